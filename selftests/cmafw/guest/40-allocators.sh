#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Allocators: first fit against best fit on the same holes, segfit's small
# chunks at the bottom and frames at the top, and an allocator from another
# module that cannot go while a region uses it.

section "allocators"
load_cmafw && load_test

# allocs N SIZE: N chunks of SIZE for device d from the mapped region.
allocs() {
	i=0
	while [ $i -lt "$1" ]; do
		alloc d - "$2" 0 >/dev/null
		i=$((i + 1))
	done
}

# holes ALLOCATOR: a 16-page region with free holes of 3, 1 and 2 pages
# (pages 1-3, 6 and 9-10), then where 1 and 2 pages land.
holes() {
	ctl register h holes 0x20000000 64K 0 "$1" >/dev/null
	ctl map '*=holes' >/dev/null
	allocs 16 4K
	for p in 1 2 3 6 9 10; do
		ctl free "$(hex $((0x20000000 + p * 4096)))" >/dev/null
	done
	one=$(alloc d - 4K 0)
	two=$(alloc d - 8K 0)
	echo "$one $two"
	for a in "$one" "$two"; do
		ctl free "$a" >/dev/null
	done
	for p in 0 4 5 7 8 11 12 13 14 15; do
		ctl free "$(hex $((0x20000000 + p * 4096)))" >/dev/null
	done
	ctl unregister h >/dev/null
}

expect_eq "bitmap takes the first hole that fits" "$(holes bitmap)" \
	"0x20001000 0x20002000"
expect_eq "bestfit takes the smallest hole that fits" "$(holes bestfit)" \
	"0x20006000 0x20009000"
expect_eq "segfit takes the smallest hole that fits too, below 64 KiB" \
	"$(holes segfit)" "0x20006000 0x20009000"
expect_eq "the region is gone afterwards" "$(iomem_count cmafw:holes)" "0"

ctl register g seg 0x20000000 8M 0 segfit >/dev/null
ctl map '*=seg' >/dev/null
expect_eq "segfit: a small chunk at the bottom" "$(alloc d - 64K 0)" \
	"0x20000000"
expect_eq "segfit: 2 MiB and more at the top of the hole, aligned" \
	"$(alloc d - 6220800 1M)" "0x20200000"
check "/proc/iomem shows it there" chunk_has 20200000 207eefff d seg
# A hole node per chunk, and a few spares, from a slab cache of 56-byte
# objects (not kmalloc-64); under KASAN the slot holds its redzones too.
slab=/sys/kernel/slab/cmafw_hole
expect_eq "the hole nodes' slab cache has 56-byte objects" \
	"$(cat $slab/object_size 2>&1)" 56
if grep -q ' __asan_load8$' /proc/kallsyms; then
	echo "# KASAN: a hole node's slot is $(cat $slab/slab_size) bytes"
else
	expect_eq "and 56-byte slots" "$(cat $slab/slab_size 2>&1)" 56
fi
for a in 0x20000000 0x20200000; do
	ctl free $a >/dev/null
done
ctl unregister g >/dev/null

# A 20 MiB segfit region with free holes of 9 MiB (at its start) and
# 10 MiB (its top half), made of 512 KiB chunks that go bottom up, the
# even ones freed first: churn, not a set (below).
ctl register g seg 0x20000000 20M 0 segfit >/dev/null
ctl map '*=seg' >/dev/null
allocs 20 512K
for i in 0 2 4 6 8 10 12 14 16 1 3 5 7 9 11 13 15 17; do
	ctl free "$(hex $((0x20000000 + i * 0x80000)))" >/dev/null
done
expect_eq "segfit: 2 MiB where it leaves an 8 MiB run, the 10 MiB hole's top" \
	"$(alloc d - 2M 1M)" "0x21200000"
check "/proc/iomem shows it there" chunk_has 21200000 213fffff d seg
for a in 0x20900000 0x20980000 0x21200000; do
	ctl free $a >/dev/null
done
ctl unregister g >/dev/null

# The same holes, the 9 MiB one's chunks freed in address order, as a
# device frees a buffer set: segfit takes the frees for a set and places
# by best fit, at the 9 MiB hole's bottom (kernel/alloc_segfit.c).
ctl register g seg 0x20000000 20M 0 segfit >/dev/null
ctl map '*=seg' >/dev/null
allocs 20 512K
i=0
while [ $i -lt 18 ]; do
	ctl free "$(hex $((0x20000000 + i * 0x80000)))" >/dev/null
	i=$((i + 1))
done
expect_eq "segfit: frees in sets go by best fit: the 9 MiB hole's bottom" \
	"$(alloc d - 2M 1M)" "0x20000000"
for a in 0x20000000 0x20900000 0x20980000; do
	ctl free $a >/dev/null
done
ctl unregister g >/dev/null
expect_eq "and the regions are gone" "$(iomem_count cmafw:seg)" "0"

expect_eq "a region can use an allocator from another module" \
	"$(ctl register w wh 0x20000000 1M 0 whole)" \
	"ok start=0x0000000020000000 size=1048576 align=0x0000000000001000"
expect_eq "that allocator serves" "$(ctl from wh 64K 0)" \
	"ok 0x0000000020000000"
expect_eq "and refuses a second chunk with ENOMEM" "$(ctl from wh 4K 0)" \
	"err -$ENOMEM"
expect_eq "an allocator in use cannot be unregistered" \
	"$(ctl allocator_unregister)" "err -$EBUSY"
expect_eq "a second allocator with a taken name gets EEXIST" \
	"$(ctl allocator_register)" "err -$EEXIST"
ctl free 0x20000000 >/dev/null
# A placement past the region's end, or unaligned, which only a broken
# allocator gives, is refused with EFAULT and a warning before anything
# indexes the region by it, and nothing changes.
w_mis=/sys/module/cmafw_test/parameters/whole_misplace
echo "# expect-warn 2 misplaced"
w_fail=$(cat /sys/kernel/cmafw/regions/wh/alloc_fail)
log_mark
echo $((0x100000)) >$w_mis
expect_eq "a placement just past the region's end is refused (EFAULT)" \
	"$(ctl from wh 4K 0)" "err -$EFAULT"
check "...with a warning naming the allocator and the placement" \
	log_since "allocator whole misplaced 4096 bytes aligned to 0x0000000000001000 at 0x0000000020100000, outside region wh"
log_mark
echo 2048 >$w_mis
expect_eq "...and so is an unaligned one" "$(ctl from wh 4K 0)" "err -$EFAULT"
check "...with its own warning" \
	log_since "allocator whole misplaced 4096 bytes aligned to 0x0000000000001000 at 0x0000000020000800, outside region wh"
echo 0 >$w_mis
expect_eq "the region holds nothing, and counts both failures" \
	"$(cat /sys/kernel/cmafw/regions/wh/chunks) $(($(cat /sys/kernel/cmafw/regions/wh/alloc_fail) - w_fail))" "0 2"
expect_eq "the allocator, told to place right, serves again" \
	"$(ctl from wh 64K 0)" "ok 0x0000000020000000"
ctl free 0x20000000 >/dev/null
ctl unregister w >/dev/null
expect_eq "unused, it unregisters" "$(ctl allocator_unregister)" "ok"
log_mark
expect_eq "an allocator without a name cannot be unregistered (EINVAL)" \
	"$(ctl allocator_unregister_unnamed)" "err -$EINVAL"
check "...one line says why" \
	log_since "cannot unregister an allocator without a name"
expect_eq "a region cannot select it any more" \
	"$(ctl register w wh 0x20000000 1M 0 whole)" "err -$ENODEV"
expect_eq "it registers again" "$(ctl allocator_register)" "ok"
check "both modules unload" unload_all
