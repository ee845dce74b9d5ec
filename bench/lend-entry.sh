#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest side of `make bench-lend` (bench/lend.sh): allocation latency of a
# lend region against a carve-out in the same guest, under the same tmpfs
# and anonymous-memory pressure.  $1: trials per size (default 50).
# Prints TAP for the setup and "@@LEND row@@" lines for the host's table.
# shellcheck disable=SC1091 # a guest path
. /selftests/cmafw/guest/lib.sh

trials=${1:-50}
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
fs=/tmp/bench
mkdir -p $fs
for i in 1 2 3 4 5 6; do
	head -c $((16 * 1048576)) /dev/urandom >$fs/f$i
done
(cd $fs && md5sum f1 f2 f3 f4 f5 f6 >sums)
mkfifo /tmp/bench.fifo
dd if=/tmp/bench.fifo of=/dev/null bs=32M count=1 iflag=fullblock 2>/dev/null &
dd_pid=$!
exec 4>/tmp/bench.fifo
head -c $((32 * 1048576 - 1)) /dev/zero >&4
used=$(ctl inuse 0x40000000 256M)
echo "# pages of the lend region the kernel uses: ${used#ok }"

for size in 4M 16M 64M; do
	for r in lend carve; do
		rec0=$(cat /sys/kernel/cmafw/regions/$r/reclaimed 2>/dev/null || echo 0)
		ns0=$(cut -d' ' -f1 /proc/uptime)
		res=$(ctl timing $r $size "$trials")
		ns1=$(cut -d' ' -f1 /proc/uptime)
		rec1=$(cat /sys/kernel/cmafw/regions/$r/reclaimed 2>/dev/null || echo 0)
		case $res in
		"ok "*) ok "$r $size: $res" ;;
		*) not_ok "$r $size: $res" ;;
		esac
		echo "@@LEND $r $size $trials ${res#ok } reclaimed=$((rec1 - rec0)) wall=$ns0-$ns1@@"
	done
done
check "the tmpfs files are intact" sh -c "cd $fs && md5sum -c sums >/dev/null"
echo x >&4
exec 4>&-
wait $dd_pid
rm -rf $fs /tmp/bench.fifo
expect_eq "both regions deactivate" "$(wr $C/lend/active 0)$(wr $C/carve/active 0)" okok
rmdir $C/lend $C/carve
echo "1..$T_NUM"
[ "$T_FAILED" -eq 0 ]
