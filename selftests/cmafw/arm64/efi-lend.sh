#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Lend mode on an arm64 board booted through UEFI (`scripts/arm64.sh
# efi`): QEMU's virt board with its UEFI firmware, 2 GiB of RAM at
# 0x40000000, and mem=1G memhp_default_state=online_movable.  Booted
# through UEFI, the kernel knows its RAM from the EFI memory map only (the
# device tree's /memory node may stay, but it is not what counts), and so
# does cmafw: it lends 256 MiB past mem= that the map gives as
# conventional memory, and refuses a block past the end of RAM.
# shellcheck source-path=SCRIPTDIR

here=$(dirname "$0")
# shellcheck source=../guest/lib.sh
. "$here/../guest/lib.sh"
E_CFS=/sys/kernel/config/cmafw/regions/efil
E_SYS=/sys/kernel/cmafw/regions/efil
e_memtotal() { awk '/^MemTotal:/ { print $2 }' /proc/meminfo; }

echo "TAP version 13"
section "lend mode on a board booted through UEFI"
check "booted through UEFI" test -d /sys/firmware/efi
check "nothing in /proc/iomem from 0x80000000" \
	sh -c '! grep -q "^0*8[0-9a-f]\{7\}-" /proc/iomem'
# shellcheck disable=SC2119 # no arguments: the defaults
load_cmafw && load_test
e_mt0=$(e_memtotal)
mkdir $E_CFS
echo 256M >$E_CFS/size
echo lend >$E_CFS/mode

echo 0xc0000000 >$E_CFS/start
log_mark
expect_eq "a block past the end of RAM: refused" "$(wr $E_CFS/active 1)" "$EINVAL_T"
check "...one line says why" log_since "efil: lend mode needs RAM kept from the kernel at boot"
check "...nothing left behind" sh -c '! grep -q cmafw:efil /proc/iomem'

echo 0x80000000 >$E_CFS/start
expect_eq "256 MiB past mem=, conventional memory in the EFI map: lent" \
	"$(wr $E_CFS/active 1)" ok
expect_eq "MemTotal grows by 256 MiB" $(($(e_memtotal) - e_mt0)) 262144
check "/proc/iomem: the region at the top level" \
	iomem_has 80000000 8fffffff cmafw:efil 0
check "/proc/iomem: the borrowed RAM under it" \
	iomem_has 80000000 8fffffff "System RAM (cmafw:efil)" 1
e_a=$(addr_of "$(ctl from efil 64M 0)")
expect_eq "a 64 MiB chunk" "${e_a%%[!0x]*}" 0x
expect_eq "...reads back zero" "$(ctl nonzero "$e_a" 64M)" "ok 0"
expect_eq "...and is freed" "$(ctl free "$e_a")" ok
expect_eq "everything lent again" "$(cat $E_SYS/lent)" 268435456
expect_eq "deactivates" "$(wr $E_CFS/active 0)" ok
expect_eq "MemTotal is back" "$(e_memtotal)" "$e_mt0"
rmdir $E_CFS
check "cmafw unloads" unload_all
echo "1..$T_NUM"
[ "$T_FAILED" -eq 0 ]
