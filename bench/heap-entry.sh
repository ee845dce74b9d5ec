#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest entry for bench/heap.sh: alloc+free of a 6,220,800-byte buffer
# (1920x1080 RGB24) from a cmafw heap and from the kernel's system heap,
# alternated in one run; prints "bench NODE LEN ITERS P50_NS P99_NS" lines
# and TAP.
# usage: heap-entry.sh [ITERS]

iters=${1:-200}
n=0
failed=0
tap() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}

insmod "$CMAFW_MODULES/cmafw.ko" 'regions=bench=64M@0x20000000'
tap $? "insmod cmafw.ko with a 64 MiB region"
if [ -c /dev/dma_heap/system ]; then
	"$CMAFW_SELFTESTS/cmafw/heap/heaptest" bench /dev/dma_heap/cmafw-bench \
		/dev/dma_heap/system 6220800 "$iters"
	tap $? "heaptest bench, $iters rounds"
else
	echo "ok $((n + 1)) - heap bench # SKIP no /dev/dma_heap/system in $(uname -r)"
	n=$((n + 1))
fi
rmmod cmafw
tap $? "rmmod cmafw"
echo "1..$n"
exit $failed
