#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The device API: addresses, rounding, alignment, owner names in
# /proc/iomem, errnos, fallback along a rule, exact cma_info figures.

section "allocation (allocator ${ALLOCATOR:-bitmap})"
# index=1: the index from the first chunk (kernel/index_build.c), so that a
# few chunks show its layout.
load_cmafw index=1 && load_test
al=${ALLOCATOR:--}
ctl register v video 0x20000000 16M 0 "$al" >/dev/null
ctl register c camera 0x21000000 8M 0 "$al" >/dev/null
ctl register s small 0x30000000 1M 0 "$al" >/dev/null
ctl register b big 0x30100000 4M 0 "$al" >/dev/null
# cmafw's references before any chunk (cmafw_test's own among them).
al_ref0=$(cat /sys/module/cmafw/refcnt)
expect_eq "set the map" \
	"$(ctl map 'video=video;camera=camera;fb=small,big;ghost=nosuch')" "ok"

expect_eq "first chunk at the region start" \
	"$(alloc video - 1M 0)" "0x20000000"
check "/proc/iomem names the owner under its region" \
	chunk_has 20000000 200fffff video video
# 16 MiB: 64 blocks of 256 KiB, in groups of 16 blocks (4 MiB).
check "a chunk across index blocks hangs under its group's index line" \
	iomem_has 20000000 200fffff video 3
check "which spans the whole group, blocks 0-15" \
	iomem_has 20000000 203fffff cmafw:video#0-15 2
expect_eq "5000 bytes take two pages" "$(alloc video - 5000 0)" "0x20100000"
check "the chunk ends after two pages" chunk_has 20100000 20101fff video video
# A block gets an index line of its own only once 16 chunks gather in it
# (kernel/index_gather.c, and 22-dense.sh).
check "a chunk alone in its 256 KiB block hangs under its group's line" \
	iomem_has 20100000 20101fff video 3
check_not "its block has no index line" grep -q ': cmafw:video#4$' /proc/iomem
expect_eq "a 1 MiB alignment skips to the next boundary" \
	"$(alloc video - 4K 1M)" "0x20200000"
expect_eq "type \"a\" is served" "$(alloc camera a 4K 0)" "0x21000000"
check "a type other than common is appended to the owner" \
	chunk_has 21000000 21000fff camera/a camera
expect_eq "type \"common\" is served" "$(alloc camera common 4K 0)" \
	"0x21001000"
check "type \"common\" is not appended" \
	chunk_has 21001000 21001fff camera camera
# 8 MiB: 32 blocks, too few for groups.
check "both chunks hang right under their region: a block's line waits for 16" \
	iomem_has 21001000 21001fff camera 2
expect_eq "a chunk across blocks 4 and 5, after the small one" \
	"$(alloc video - 256K 0)" "0x20102000"
check "hangs under the group's index line" iomem_has 20102000 20141fff video 3
if [ -z "${ALLOCATOR:-}" ]; then
	# First fit: past the 4 KiB chunk in block 8, across groups 0 and 1.
	expect_eq "a chunk across groups 0 and 1" \
		"$(alloc video - 2052K 0)" "0x20201000"
	check "hangs right under the region" \
		iomem_has 20201000 20401fff video 2
	check "where group 0's index line gives it room" \
		iomem_has 20000000 20200fff cmafw:video#0-15 2
	check "and the 4 KiB chunk of block 8 stays under it" \
		iomem_has 20200000 20200fff video 3
	ctl free 0x20201000 >/dev/null
fi
ctl free 0x20102000 >/dev/null

expect_eq "free a chunk" "$(ctl free 0x20100000)" "ok"
check_not "its /proc/iomem line is gone" iomem_line 20100000 20101fff
check_not "and no index line of its block came" \
	grep -q 'cmafw:video#4' /proc/iomem
echo "# expect-warn 1 which is not a chunk"
expect_eq "a double free gets ENOENT" "$(ctl free 0x20100000)" "err -$ENOENT"
expect_eq "an address outside every region gets ENOENT" \
	"$(ctl free 0x12345000)" "err -$ENOENT"
expect_eq "a reused hole is handed out again" \
	"$(alloc video - 8K 0)" "0x20100000"
ctl free 0x20100000 >/dev/null

expect_eq "a NULL device gets EINVAL" "$(alloc - - 4K 0)" "err -$EINVAL"
expect_eq "size 0 gets EINVAL" "$(alloc video - 0 0)" "err -$EINVAL"
expect_eq "alignment 3 gets EINVAL" "$(alloc video - 4K 3)" "err -$EINVAL"
expect_eq "a device no rule names gets ENOENT" \
	"$(alloc other - 4K 0)" "err -$ENOENT"
expect_eq "a rule whose regions do not exist gets ENOENT" \
	"$(alloc ghost - 4K 0)" "err -$ENOENT"
expect_eq "a request larger than the region gets ENOMEM" \
	"$(alloc video - 32M 0)" "err -$ENOMEM"

expect_eq "fallback: the first region of the rule serves first" \
	"$(alloc fb - 1M 0)" "0x30000000"
expect_eq "fallback: the next region serves once it is full" \
	"$(alloc fb - 4K 0)" "0x30100000"
expect_eq "ENOMEM when no region of the rule can fit" \
	"$(alloc fb - 8M 0)" "err -$ENOMEM"

expect_eq "cma_info for video is exact" "$(ctl info video -)" \
	"ok lower=0x0000000020000000 upper=0x0000000021000000 total=16777216 free=15724544 count=1"
expect_eq "cma_info sums the regions of a rule" "$(ctl info fb -)" \
	"ok lower=0x0000000030000000 upper=0x0000000030500000 total=5242880 free=4190208 count=2"
# ctl fills the struct with junk first: an error must zero it.
expect_eq "cma_info for a device no rule names gets ENOENT, info zeroed" \
	"$(ctl info other -)" "err -$ENOENT"
expect_eq "cma_info with a NULL device gets EINVAL, info zeroed" \
	"$(ctl info - -)" "err -$EINVAL"
expect_eq "cma_info with an invalid type gets EINVAL, info zeroed" \
	"$(ctl info video a/b)" "err -$EINVAL"
expect_eq "cma_info_about spans named regions" \
	"$(ctl info_about video,camera)" \
	"ok lower=0x0000000020000000 upper=0x0000000021800000 total=25165824 free=24104960 count=2"
expect_eq "cma_info_about counts a repeated name once" \
	"$(ctl info_about video,video)" \
	"ok lower=0x0000000020000000 upper=0x0000000021000000 total=16777216 free=15724544 count=1"
expect_eq "cma_info_about skips unknown names" "$(ctl info_about nosuch)" \
	"ok lower=0x0000000000000000 upper=0x0000000000000000 total=0 free=0 count=0"

a=$(addr_of "$(ctl from nosuch,small,big 4K 0)")
expect_eq "cma_alloc_from tries the names in order" "$a" "0x30101000"
check "its chunk is named after the calling module" \
	chunk_has 30101000 30101fff cmafw_test big
expect_eq "cma_alloc_from with no known region gets ENOENT" \
	"$(ctl from nosuch 4K 0)" "err -$ENOENT"
expect_eq "a name is matched whole: a prefix of one gets ENOENT" \
	"$(ctl from vide 4K 0)" "err -$ENOENT"
expect_eq "and so does a name one longer" \
	"$(ctl from videos 4K 0)" "err -$ENOENT"

expect_eq "unregister with live chunks gets EBUSY" "$(ctl unregister v)" \
	"err -$EBUSY"
# cmafw_test owns the regions here, so it cannot go first to let an
# rmmod cmafw tell; al_ref0 already counts the regions' references, so
# what this compares is the references the chunks take.
check "live chunks hold references on cmafw, which refuse its unload" \
	test "$(cat /sys/module/cmafw/refcnt)" -gt "$al_ref0"
for a in 0x20000000 0x20200000 0x21000000 0x21001000 0x30000000 \
	0x30100000 0x30101000; do
	ctl free $a >/dev/null
done
expect_eq "every chunk freed: the regions are whole again" \
	"$(ctl info_about video,camera,small,big)" \
	"ok lower=0x0000000020000000 upper=0x0000000030500000 total=30408704 free=30408704 count=4"
check_not "no chunk or index line is left in /proc/iomem" \
	grep -qE ' : (video|camera|cmafw_test|cmafw:.*#)' /proc/iomem
# An emptied region keeps the entry of the owner whose chunks went last
# (kernel/owner.c), "fb" here: only that owner's next chunk may take it.
expect_eq "an emptied region serves another owner" \
	"$(alloc fb a 4K 0)" "0x30000000"
check "under its own name, not the last owner's" \
	chunk_has 30000000 30000fff fb/a small
ctl free 0x30000000 >/dev/null
expect_eq "then the owner before it again" "$(alloc fb - 4K 0)" "0x30000000"
check "under its own name again" chunk_has 30000000 30000fff fb small
ctl free 0x30000000 >/dev/null
for r in v c s b; do
	ctl unregister $r >/dev/null
done
check "both modules unload" unload_all
