#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest side of `make bench-lend` (bench/lend.sh): allocation latency of a
# lend region, of mainline CMA (dma_alloc_coherent() from the kernel's CMA
# area, when the kernel has one: booted with cma=) and of a carve-out, in
# the same guest under the same tmpfs and anonymous-memory pressure.
# $1: trials per size (default 50); $2: MiB of the CMA area the pressure
# should occupy (default 64; see the filler below).
# Prints TAP for the setup and "@@LEND row@@" lines for the host's table.
# shellcheck disable=SC1091 # a guest path
. /selftests/cmafw/guest/lib.sh

trials=${1:-50}
cma_goal=${2:-64}
echo "TAP version 13"
# shellcheck disable=SC2119 # cmafw without parameters
load_cmafw && load_test
C=/sys/kernel/config/cmafw/regions
mkdir $C/lend $C/carve
echo 256M >$C/lend/size; echo 0x40000000 >$C/lend/start; echo lend >$C/lend/mode
echo 64M >$C/carve/size; echo 0x20000000 >$C/carve/start
expect_eq "a 256 MiB lend region and a 64 MiB carve-out" \
	"$(wr $C/lend/active 1)$(wr $C/carve/active 1)" okok

# Pressure: 96 MiB of tmpfs files and 32 MiB held by dd, most of it in
# the lend region (movable allocations try ZONE_MOVABLE first).
# /tmp is capped at half the boot RAM: the files get a tmpfs of their own.
fs=/tmp/bench
mkdir -p $fs
mount -t tmpfs -o size=2G tmpfs $fs
for i in 1 2 3 4 5 6; do
	head -c $((16 * 1048576)) /dev/urandom >$fs/f$i
done
(cd $fs && md5sum f1 f2 f3 f4 f5 f6 >sums)
mkfifo /tmp/bench.fifo
dd if=/tmp/bench.fifo of=/dev/null bs=32M count=1 iflag=fullblock 2>/dev/null &
dd_pid=$!
exec 4>/tmp/bench.fifo
head -c $((32 * 1048576 - 1)) /dev/zero >&4

# meminfo FIELD: its value in MiB.
meminfo() {
	awk -v f="$1:" '$1 == f { print int($2 / 1024) }' /proc/meminfo
}

# The page allocator fills ZONE_MOVABLE (the lend region) first and takes
# CMA pageblocks only once they are more than half of a zone's free pages:
# the pressure above never reaches the CMA area.  So, when there is one,
# add tmpfs filler in 16 MiB files until cma_goal MiB of it are in use,
# leaving at least 256 MiB free for the trials to migrate into.
if [ "$(meminfo CmaTotal)" ] && [ "$(meminfo CmaTotal)" -gt 0 ]; then
	i=0
	while [ $(($(meminfo CmaTotal) - $(meminfo CmaFree))) -lt "$cma_goal" ] &&
		[ "$(meminfo MemFree)" -gt 256 ]; do
		i=$((i + 1))
		head -c $((16 * 1048576)) /dev/zero >$fs/filler$i || break
	done
	echo "# filler: $((i * 16)) MiB of tmpfs; MemFree $(meminfo MemFree) MiB, CmaFree $(meminfo CmaFree) of $(meminfo CmaTotal) MiB"
fi
used=$(ctl inuse 0x40000000 256M)
echo "# pages of the lend region the kernel uses: ${used#ok }"

# Mainline CMA: the area the kernel reserved at boot ("cma: Reserved 256
# MiB at 0x... on node -1"); coherent_timing counts only allocations that
# lay inside it.
modes="lend carve"
cma=$(dmesg | sed -n 's/.*cma: Reserved \([0-9]*\) MiB at \(0x[0-9a-f]*\).*/\2 \1M/p' | head -n 1)
cma_base=${cma% *} cma_size=${cma#* }
if [ -n "$cma" ]; then
	modes="lend cma carve"
	used=$(ctl inuse "$cma_base" "$cma_size")
	echo "# mainline CMA area at $cma_base, $cma_size; pages of it the kernel uses: ${used#ok }"
else
	echo "# no mainline CMA area (kernel without CONFIG_CMA or no cma=): mainline CMA not measured"
fi

for size in 4M 16M 64M; do
	for r in $modes; do
		rec0=$(cat "/sys/kernel/cmafw/regions/$r/reclaimed" 2>/dev/null || echo 0)
		ns0=$(cut -d' ' -f1 /proc/uptime)
		if [ "$r" = cma ]; then
			res=$(ctl coherent_timing $size "$trials" "$cma_base" "$cma_size")
		else
			res=$(ctl timing "$r" $size "$trials")
		fi
		ns1=$(cut -d' ' -f1 /proc/uptime)
		rec1=$(cat "/sys/kernel/cmafw/regions/$r/reclaimed" 2>/dev/null || echo 0)
		case $res in
		"ok "*) ok "$r $size: $res" ;;
		*) not_ok "$r $size: $res" ;;
		esac
		echo "@@LEND $r $size $trials ${res#ok } reclaimed=$((rec1 - rec0)) wall=$ns0-$ns1@@"
	done
done
if [ -n "$cma" ]; then
	used=$(ctl inuse "$cma_base" "$cma_size")
	echo "# after the trials, pages of the CMA area the kernel uses: ${used#ok }; of the lend region: $(ctl inuse 0x40000000 256M | cut -d' ' -f2)"
fi
check "the tmpfs files are intact" sh -c "cd $fs && md5sum -c sums >/dev/null"
echo x >&4
exec 4>&-
wait $dd_pid
umount $fs
rm -rf $fs /tmp/bench.fifo
expect_eq "both regions deactivate" "$(wr $C/lend/active 0)$(wr $C/carve/active 0)" okok
rmdir $C/lend $C/carve
echo "1..$T_NUM"
[ "$T_FAILED" -eq 0 ]
