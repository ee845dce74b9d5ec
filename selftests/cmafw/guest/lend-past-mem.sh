#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Lend mode on RAM past mem=, which no resource covers: cmafw goes by the
# firmware's description of the memory, as the kernel does.  Two boots run
# this entry, each with 2 GiB of RAM and mem=1G
# memhp_default_state=online_movable:
#  - x86 (scripts/check.sh, after each kernel's guest suite): the
#    firmware's e820 map gives RAM up to 0x7ffdffff and keeps the last
#    128 KiB below 2 GiB Reserved for its own tables; memmap=128M$0x100000000
#    makes a Reserved block with no RAM behind it;
#  - arm64 through UEFI (scripts/arm64.sh efi): QEMU's virt board and its
#    UEFI firmware, RAM at 0x40000000.  The EFI memory map is what counts;
#    the device tree's /memory node may stay, but the kernel does not go
#    by it.
# cmafw lends 256 MiB past mem=, takes a zeroed chunk of it, and refuses a
# block past the end of RAM; on x86 also the block that holds the
# firmware's reservation and the memmap= block.  Then, as the kernel keeps
# memory from there on: an activation that fails midway and is killed
# while it gives its memory back, and a lend region the kernel cannot
# vacate at unload.
# shellcheck source-path=SCRIPTDIR

here=$(dirname "$0")
# shellcheck source=lib.sh
. "$here/lib.sh"
P_CFS=/sys/kernel/config/cmafw/regions/pastmem
P_SYS=/sys/kernel/cmafw/regions/pastmem
p_memtotal() { awk '/^MemTotal:/ { print $2 }' /proc/meminfo; }
case $(uname -m) in
aarch64) P_LEND=0x80000000 P_END=0xc0000000 P_FW='' P_NORAM='' ;;
*) P_LEND=0x40000000 P_END=0x180000000 P_FW=0x78000000 P_NORAM=0x100000000 ;;
esac
P_A0=$(printf '%08x' $((P_LEND))) P_A1=$(printf '%08x' $((P_LEND + 0xfffffff)))
# p_fw_kept: the firmware's map (/sys/firmware/memmap) has the x86
# guest's Reserved entry at the end of RAM.
p_fw_kept() {
	for p_d in /sys/firmware/memmap/*; do
		[ "$(cat "$p_d/start") $(cat "$p_d/end") $(cat "$p_d/type")" = \
			"0x7ffe0000 0x7fffffff Reserved" ] && return 0
	done
	return 1
}
# p_refused START WHAT: a 128 MiB block there is refused, with one line,
# and nothing is left behind.
p_refused() {
	echo 128M >$P_CFS/size
	echo "$1" >$P_CFS/start
	log_mark
	expect_eq "$2: refused" "$(wr $P_CFS/active 1)" "$EINVAL_T"
	check "...one line says why" log_since "pastmem: lend mode needs RAM kept from the kernel at boot"
	check "...nothing left behind" sh -c '! grep -q cmafw:pastmem /proc/iomem'
}

echo "TAP version 13"
section "lend mode on RAM past mem="
if [ "$(uname -m)" = aarch64 ]; then
	check "booted through UEFI" test -d /sys/firmware/efi
else
	check "the firmware keeps 0x7ffe0000-0x7fffffff for itself" p_fw_kept
fi
check "nothing in /proc/iomem from $P_LEND" \
	sh -c "! grep -q '^0*${P_A0%???????}[0-9a-f]\{7\}-' /proc/iomem"
# shellcheck disable=SC2119 # no arguments: the defaults
load_cmafw && load_test
p_mt0=$(p_memtotal)
mkdir $P_CFS
echo lend >$P_CFS/mode
p_refused "$P_END" "a block past the end of RAM"
[ -z "$P_FW" ] ||
	p_refused "$P_FW" "a block past mem= that holds the firmware's reservation"
[ -z "$P_NORAM" ] ||
	p_refused "$P_NORAM" "a Reserved block (memmap=) with no RAM behind it"

echo 256M >$P_CFS/size
echo "$P_LEND" >$P_CFS/start
expect_eq "256 MiB past mem=, RAM as the firmware describes it: lent" \
	"$(wr $P_CFS/active 1)" ok
expect_eq "MemTotal grows by 256 MiB" $(($(p_memtotal) - p_mt0)) 262144
check "/proc/iomem: the region at the top level" \
	iomem_has "$P_A0" "$P_A1" cmafw:pastmem 0
check "/proc/iomem: the borrowed RAM under it" \
	iomem_has "$P_A0" "$P_A1" "System RAM (cmafw:pastmem)" 1
p_a=$(addr_of "$(ctl from pastmem 64M 0)")
expect_eq "a 64 MiB chunk" "${p_a%%[!0x]*}" 0x
expect_eq "...reads back zero" "$(ctl nonzero "$p_a" 64M)" "ok 0"
expect_eq "...and is freed" "$(ctl free "$p_a")" ok
expect_eq "everything lent again" "$(cat $P_SYS/lent)" 268435456
expect_eq "deactivates" "$(wr $P_CFS/active 0)" ok
expect_eq "MemTotal is back" "$(p_memtotal)" "$p_mt0"

# An activation that fails midway (the test driver, test_online.c, fails
# the onlining of the second of two blocks) takes the memory it added
# away again.  A fatal signal at that moment, while the test driver holds
# the first block's offlining, leaves the memory to the kernel: one line
# says so, without a warning, and the region's line leaves /proc/iomem.
# The 256 MiB above the 256 just lent stay the kernel's for the rest of
# the boot.
section "a signal while a failed activation gives its memory back"
p_sig=$(printf '0x%x' $((P_LEND + 0x10000000)))
p_s0=$(printf '%08x' $((p_sig))) p_s1=$(printf '%08x' $((p_sig + 0xfffffff)))
echo 256M >$P_CFS/size
echo "$p_sig" >$P_CFS/start
expect_eq "the test driver fails the onlining of the second block" \
	"$(ctl refuse_online $((p_sig + 0x8000000)))" ok
expect_eq "...and holds the offlining of the first" \
	"$(ctl hold_offline "$p_sig")" ok
log_mark
sh -c "echo 1 >$P_CFS/active" 2>/dev/null &
p_w=$!
p_offlining() { [ "$(ctl offline_held)" = "ok 1" ]; }
check "the failed activation waits in the offlining" wait_until 300 p_offlining
kill -9 $p_w
expect_eq "...its writer is killed" "$(ctl offline_go)" ok
wait $p_w
expect_eq "...and ends by the signal" $? 137
check "one line says the kernel keeps the memory, and why" log_since \
	"region pastmem: the kernel cannot give 0x0*${p_s0}-0x0*${p_s1} back (-4: a signal interrupted it); it keeps it as System RAM until reboot"
check "...no warning" sh -c '! dmesg | grep -q "WARNING:"'
expect_eq "...MemTotal keeps the first block's 128 MiB" \
	$(($(p_memtotal) - p_mt0)) 131072
check "/proc/iomem: the RAM stays, named, at the top level" \
	iomem_has "$p_s0" "$p_s1" "System RAM (cmafw:pastmem)" 0
check "...and the region's own line is gone" \
	sh -c '! grep -q "cmafw:pastmem\$" /proc/iomem'
expect_eq "the region is not active" "$(cat $P_CFS/active)" 0
check "...and not registered" test ! -e $P_SYS
p_mt0=$(p_memtotal)
rmdir $P_CFS
check "cmafw unloads" unload_all

# Last in this boot, as the kernel keeps the memory from here on: a
# regions= region is removed for good at unload, and what the kernel will
# not give back stays System RAM.  A page the test driver pins, then
# abandons (it stays allocated after the driver unloads, as a leaked one
# would), stands for one the kernel cannot move.  Readers of the
# region's sysfs figures run meanwhile.
section "a lend region the kernel keeps at unload"
P_K=/sys/kernel/cmafw/regions/kept
expect_eq "regions= lends 256 MiB past mem=" \
	"$(load_cmafw regions="kept=256M@$P_LEND,lend" && load_test &&
		cat $P_K/mode) $(($(p_memtotal) - p_mt0))" "lend 262144"
p_pin=$(printf '0x%x' $((P_LEND + 4 * 1048576)))
expect_eq "the test driver pins a page of it" "$(ctl pin "$p_pin")" ok
expect_eq "...and abandons it" "$(ctl abandon "$p_pin")" ok
check "the test driver unloads" rmmod cmafw_test
p_readers() {
	while [ -e $P_K ]; do
		cat $P_K/owners $P_K/largest_free $P_K/free_extents >/dev/null 2>&1
	done
}
p_readers &
p_r1=$!
p_readers &
p_r2=$!
log_mark
check "cmafw unloads all the same" rmmod cmafw
wait $p_r1 $p_r2
check "...one line says the kernel keeps the memory" log_since \
	"region kept: the kernel cannot give 0x0*${P_A0}-0x0*$(printf '%08x' $((P_LEND + 0xfffffff))) back (-16: .*); it keeps it as System RAM until reboot"
expect_eq "MemTotal keeps the 256 MiB" $(($(p_memtotal) - p_mt0)) 262144
check "/proc/iomem: the RAM stays, named, at the top level" \
	iomem_has "$P_A0" "$(printf '%08x' $((P_LEND + 0xfffffff)))" \
	"System RAM (cmafw:kept)" 0
check "...and the region's own line is gone" \
	sh -c '! grep -q "cmafw:kept\$" /proc/iomem'
echo "1..$T_NUM"
[ "$T_FAILED" -eq 0 ]
