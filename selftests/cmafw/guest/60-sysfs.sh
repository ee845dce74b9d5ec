#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# sysfs: every figure of /sys/kernel/cmafw/regions/<id>/ checked exactly
# against a known allocation sequence.

section "sysfs"
load_cmafw 'regions=p=1M@0x30000000' && load_test
SYS=/sys/kernel/cmafw
R=$SYS/regions/s1

check "allocators lists bitmap, bestfit, segfit and another module's" \
	sh -c "tr '\n' ' ' <$SYS/allocators | grep -qx 'bitmap bestfit segfit whole '"
expect_eq "a parameter region shows its origin" \
	"$(cat $SYS/regions/p/origin)" parameter

ctl register s1 s1 0x20000000 64K 0 - >/dev/null
ctl map '*=s1' >/dev/null
# Pages: video [0,1), camera [1,3), video [3,7); then camera is freed.
v1=$(alloc video - 4K 0)
c1=$(alloc camera - 8K 0)
v2=$(alloc video - 16K 0)
ctl free "$c1" >/dev/null
expect_eq "the allocation sequence lands where expected" "$v1 $c1 $v2" \
	"0x20000000 0x20001000 0x20003000"
expect_eq "alloc beyond the region fails" "$(alloc video - 1M 0)" \
	"err -$ENOMEM"

for f in base size free used chunks allocator origin largest_free \
	alloc_success alloc_fail release_success; do
	eval "got_$f=\$(cat $R/$f)"
done
# shellcheck disable=SC2154 # set by eval above
{
expect_eq "base" "$got_base" 0x20000000
expect_eq "size" "$got_size" 65536
expect_eq "free" "$got_free" 45056
expect_eq "used" "$got_used" 20480
expect_eq "chunks" "$got_chunks" 2
expect_eq "allocator" "$got_allocator" bitmap
expect_eq "origin" "$got_origin" driver
expect_eq "largest_free is the 9-page tail" "$got_largest_free" 36864
expect_eq "alloc_success" "$got_alloc_success" 3
expect_eq "alloc_fail" "$got_alloc_fail" 1
expect_eq "release_success" "$got_release_success" 1
}
expect_eq "free_extents: a 2-page hole and a 9-page one" \
	"$(tr '\n' ';' <$R/free_extents)" \
	"4096 0;8192 1;16384 0;32768 1;65536 0;"
expect_eq "owners: per-device bytes and chunks" "$(cat $R/owners)" \
	"video 20480 2"
c2=$(alloc camera a 4K 0)
expect_eq "owners: a typed owner is its own row, in address order" \
	"$(tr '\n' ';' <$R/owners)" "video 20480 2;camera/a 4096 1;"

# 70 owners with long names: at most 64 rows, whole ones only, within a
# page, and a last line saying there are more.
ctl register s2 s2 0x20100000 1M 0 - >/dev/null
ctl map '*=s2' >/dev/null
t_long=owner-with-a-long-name-as-platform-devices-have-them-0123456789
t_addrs=
for t_i in $(seq 10 79); do
	t_addrs="$t_addrs $(alloc "$t_long-$t_i" - 4K 0)"
done
t_rows=$(grep -c . $SYS/regions/s2/owners)
echo "# owners: $t_rows lines, $(wc -c <$SYS/regions/s2/owners) bytes"
check "owners: 50 to 65 lines, the last one saying there are more" \
	sh -c "[ $t_rows -gt 49 ] && [ $t_rows -le 65 ] &&
		tail -n 1 $SYS/regions/s2/owners | grep -qx '... more owners not shown'"
expect_eq "owners: every other row whole" \
	"$(head -n -1 $SYS/regions/s2/owners | grep -cE "^$t_long-[1-7][0-9] 4096 1\$")" \
	$((t_rows - 1))
for t_a in $t_addrs; do
	ctl free "$t_a" >/dev/null
done
ctl unregister s2 >/dev/null
ctl map '*=s1' >/dev/null

ctl register p1 - 0x22000000 1M 0 bestfit >/dev/null
expect_eq "a private region shows under its generated name" \
	"$(cat $SYS/regions/private@22000000/allocator)" bestfit
ctl unregister p1 >/dev/null
check_not "and disappears when unregistered" \
	test -e $SYS/regions/private@22000000

for a in "$v1" "$v2" "$c2"; do
	ctl free "$a" >/dev/null
done
expect_eq "all freed: free equals size" "$(cat $R/free)" 65536
expect_eq "all freed: one free extent of the whole region" \
	"$(tr '\n' ';' <$R/free_extents)" \
	"4096 0;8192 0;16384 0;32768 0;65536 1;"
expect_eq "all freed: no owners" "$(wc -c <$R/owners)" 0
ctl unregister s1 >/dev/null
check_not "an unregistered region leaves sysfs" test -e $R
check "both modules unload" unload_all
check_not "/sys/kernel/cmafw goes with the module" test -e $SYS
