#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest entry for bench/heap.sh: alloc+free of a 6,220,800-byte buffer
# (1920x1080 RGB24) from a cmafw heap and from the kernel's system heap,
# alternated in one run, then from a lend region's heap against the system
# heap again; prints "bench NODE LEN ITERS P50_NS P99_NS" lines
# and TAP.
# usage: heap-entry.sh [ITERS]

# shellcheck disable=SC1091 # a guest path
. "$CMAFW_SELFTESTS/cmafw/guest/lib.sh"

iters=${1:-200}

insmod "$CMAFW_MODULES/cmafw.ko" 'regions=bench=64M@0x20000000'
tap $? "insmod cmafw.ko with a 64 MiB region"
if [ -c /dev/dma_heap/system ]; then
	"$CMAFW_SELFTESTS/cmafw/heap/heaptest" bench /dev/dma_heap/cmafw-bench \
		/dev/dma_heap/system 6220800 "$iters"
	tap $? "heaptest bench, $iters rounds"
	# A lend region's heap: each buffer is taken back from the kernel
	# (and zeroed) as it is asked for.
	c=/sys/kernel/config/cmafw/regions/lbench
	mkdir $c && echo 128M >$c/size && echo 0x40000000 >$c/start &&
		echo lend >$c/mode && echo 1 >$c/active
	tap $? "a 128 MiB lend region, lbench"
	"$CMAFW_SELFTESTS/cmafw/heap/heaptest" bench /dev/dma_heap/cmafw-lbench \
		/dev/dma_heap/system 6220800 "$iters"
	tap $? "heaptest bench on the lend region, $iters rounds"
	echo 0 >$c/active && rmdir $c
	tap $? "lbench deactivated and removed"
else
	ok "heap bench # SKIP no /dev/dma_heap/system in $(uname -r)"
fi
rmmod cmafw
tap $? "rmmod cmafw"
echo "1..$T_NUM"
[ "$T_FAILED" -eq 0 ]
