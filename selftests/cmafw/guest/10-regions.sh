#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Regions: registration as iomem resources, geometry, refusals.

section "regions"
load_cmafw && load_test
check "cmafw and cmafw_test load" test -e "$CTL"
expect_eq "control file is root-only" "$(stat -c %a "$CTL")" "600"

expect_eq "register a 16 MiB region" \
	"$(ctl register r1 r1 0x20000000 16M 0 -)" \
	"ok start=0x0000000020000000 size=16777216 align=0x0000000000001000"
check "it nests under Reserved in /proc/iomem" \
	iomem_has 20000000 20ffffff cmafw:r1 1

expect_eq "size rounds up to whole pages" \
	"$(ctl register pr pr 0x21000000 5000 0 -)" \
	"ok start=0x0000000021000000 size=8192 align=0x0000000000001000"
check "the rounded region shows" iomem_has 21000000 21001fff cmafw:pr 1

expect_eq "start rounds up to the alignment" \
	"$(ctl register al al 0x21001000 1M 1M -)" \
	"ok start=0x0000000021100000 size=1048576 align=0x0000000000100000"

iomem_before=$(cat /proc/iomem)
expect_eq "alignment 3 MiB is not a power of two" \
	"$(ctl register bad bad 0x22000000 1M 3M -)" "err -$EINVAL"
expect_eq "size 0 is refused" \
	"$(ctl register bad bad 0x22000000 0 0 -)" "err -$EINVAL"
expect_eq "a region that wraps the address space is refused" \
	"$(ctl register bad bad 0xfffffffffffff000 1M 0 -)" "err -$EINVAL"
expect_eq "overlap with another region gets EADDRINUSE" \
	"$(ctl register bad bad 0x20800000 16M 0 -)" "err -$EADDRINUSE"
expect_eq "the log names the overlapped region" \
	"$(dmesg_last 'region bad:' | sed 's/.*cmafw: //')" \
	"region bad: 0x0000000020800000-0x00000000217fffff overlaps region r1"
expect_eq "a taken name gets EEXIST" \
	"$(ctl register bad r1 0x22000000 1M 0 -)" "err -$EEXIST"
log_mark
expect_eq "a range in System RAM gets EADDRNOTAVAIL" \
	"$(ctl register bad bad "$CMAFW_SYSRAM" 1M 0 -)" "err -$EADDRNOTAVAIL"
check "the log says System RAM" \
	log_since 'overlaps System RAM'
expect_eq "an unknown allocator gets ENODEV" \
	"$(ctl register bad bad 0x22000000 1M 0 nosuch)" "err -$ENODEV"
expect_eq "a name with a map separator is refused" \
	"$(ctl register bad a,b 0x22000000 1M 0 -)" "err -$EINVAL"
expect_eq "refusals leave /proc/iomem unchanged" \
	"$(cat /proc/iomem)" "$iomem_before"

expect_eq "a private region registers" \
	"$(ctl register p1 - 0x22000000 1M 0 -)" \
	"ok start=0x0000000022000000 size=1048576 align=0x0000000000001000"
check "it shows under a generated name" \
	iomem_has 22000000 220fffff cmafw:private@22000000 1
a=$(addr_of "$(ctl region_alloc p1 8K 0)")
expect_eq "private region allocation" "$a" "0x22000000"
check "its chunk is named after the calling module" \
	chunk_has 22000000 22001fff cmafw_test private@22000000
expect_eq "a private region is not reachable by name" \
	"$(ctl from private@22000000 4K 0)" "err -$ENOENT"
expect_eq "unregister with a live chunk gets EBUSY" \
	"$(ctl unregister p1)" "err -$EBUSY"
check "the region stays" iomem_has 22000000 220fffff cmafw:private@22000000 1
expect_eq "free the chunk" "$(ctl free "$a")" "ok"
expect_eq "then unregister works" "$(ctl unregister p1)" "ok"

for r in r1 pr al; do
	ctl unregister $r >/dev/null
done
expect_eq "no cmafw line is left in /proc/iomem" "$(iomem_count cmafw)" "0"
check "both modules unload" unload_all
