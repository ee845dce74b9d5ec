#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A block's index line (kernel/index_gather.c) and its sub-blocks
# (kernel/index_sub.c): a block gets its line when 16 chunks gather in it
# and loses it below 12; from 56 chunks it hangs them under one sub-block
# per quarter, a chunk across quarters under the block, and below 44 the
# sub-blocks go.  Every step is read back from /proc/iomem and from the
# walks sysfs and cmaadm make.

section "index: a block's line and its sub-blocks"
# index=1: the region's index from its first chunk (kernel/index_build.c).
load_cmafw index=1 && load_test
# 4 MiB: 16 blocks of 256 KiB (no groups), quarters of 64 KiB.  First fit.
ctl register d dense 0x20000000 4M 0 bitmap >/dev/null
expect_eq "set the map" "$(ctl map 'dense=dense')" "ok"
d_sys=/sys/kernel/cmafw/regions/dense

# The number of index lines of block 0, sub-blocks included.
block0_lines() {
	grep -c ': cmafw:dense#0$' /proc/iomem
}

check "15 chunks in block 0" take_pages dense 15
expect_eq "have no index line" "$(block0_lines)" 0
check "and hang right under the region" \
	iomem_has 2000e000 2000efff dense 2
check "the 16th brings the block's line" take_pages dense 1
check "which spans the block" \
	iomem_has 20000000 2003ffff cmafw:dense#0 2
check "with the first chunk under it" \
	iomem_has 20000000 20000fff dense 3
check "and the 16th" iomem_has 2000f000 2000ffff dense 3
check "39 more: 55 chunks" take_pages dense 39
expect_eq "still the block's one line" "$(block0_lines)" 1
check "the 56th makes the block dense" take_pages dense 1
check "quarter 0 has a sub-block inside the block's line" \
	iomem_has 20000000 2000ffff cmafw:dense#0 3
check "and so has quarter 1" iomem_has 20010000 2001ffff cmafw:dense#0 3
check "and quarter 2" iomem_has 20020000 2002ffff cmafw:dense#0 3
check "and quarter 3, with chunks from page 48" \
	iomem_has 20030000 2003ffff cmafw:dense#0 3
expect_eq "the block's line and 4 sub-blocks" "$(block0_lines)" 5
check "the first chunk hangs under its sub-block" \
	iomem_has 20000000 20000fff dense 4
check "the 56th too" iomem_has 20037000 20037fff dense 4
check "chunk_has still finds it under its region" \
	chunk_has 20037000 20037fff dense dense
check "8 more fill the block: 64" take_pages dense 8
expect_eq "sysfs owners walks the sub-blocks: 64 chunks" \
	"$(cat "$d_sys/owners")" "dense 262144 64"
expect_eq "cmaadm chunks finds all 64 in /proc/iomem" \
	"$("$CMAFW_TOOLS/cmaadm/cmaadm" chunks dense | grep -c '^dense ')" 64
expect_eq "free_extents walks them too: one extent of 3 MiB" \
	"$(awk '$2 != 0' "$d_sys/free_extents")" "2097152 1"

# Pages 15 and 16 freed: first fit puts 8 KiB across quarters 0 and 1.
check "free the last chunk of quarter 0 and the first of quarter 1" \
	give_pages 0x20000000 15 16
expect_eq "8 KiB across quarters 0 and 1" "$(alloc dense - 8K 0)" \
	"0x2000f000"
check "hangs under the block itself" iomem_has 2000f000 20010fff dense 3
check "where quarter 0's sub-block gives it room" \
	iomem_has 20000000 2000efff cmafw:dense#0 3
check "and quarter 1's" iomem_has 20011000 2001ffff cmafw:dense#0 3
# A chunk wholly in the part of a quarter a straddler left hangs under the
# block (while few do): the quarter's sub-block keeps its span.
expect_eq "the chunk across quarters frees" "$(ctl free 0x2000f000)" ok
check "a page where it was, in quarter 0" take_pages dense 1
check "hangs under the block" iomem_has 2000f000 2000ffff dense 3
check "quarter 0's sub-block keeps its span" \
	iomem_has 20000000 2000efff cmafw:dense#0 3
check "the next page, in quarter 1" take_pages dense 1
check "hangs under the block too" iomem_has 20010000 20010fff dense 3
check "quarter 1's sub-block keeps its span" \
	iomem_has 20011000 2001ffff cmafw:dense#0 3
check "both free" give_pages 0x20000000 15 16
expect_eq "8 KiB across quarters 0 and 1 again" "$(alloc dense - 8K 0)" \
	"0x2000f000"
# From the 8th chunk beside the sub-blocks on, a chunk in a trimmed part
# grows the quarter's sub-block back, unless a chunk beside them is in the
# way: then it hangs beside them too.
expect_eq "the chunk across quarters frees again" "$(ctl free 0x2000f000)" ok
check "and pages 8-14" give_pages 0x20000000 8 14
check "and 17-23: 48 chunks" give_pages 0x20000000 17 23
expect_eq "64 KiB across quarters 0 and 1" "$(alloc dense - 64K 0)" \
	"0x20008000"
check "quarter 0's sub-block gives it room" \
	iomem_has 20000000 20007fff cmafw:dense#0 3
check "and quarter 1's" iomem_has 20018000 2001ffff cmafw:dense#0 3
expect_eq "the 64 KiB frees" "$(ctl free 0x20008000)" ok
check "8 pages where it was" take_pages dense 8
check "the 8th hangs under the block" iomem_has 2000f000 2000ffff dense 3
check "quarter 0's sub-block keeps its span" \
	iomem_has 20000000 20007fff cmafw:dense#0 3
check "a 9th, in quarter 1" take_pages dense 1
check "hangs under quarter 1's sub-block" iomem_has 20010000 20010fff dense 4
check "which grew back to it" iomem_has 20010000 2001ffff cmafw:dense#0 3
check "7 more fill the block: 64 chunks" take_pages dense 7
check "free page 10" give_pages 0x20000000 10 10
check "and pages 31 and 32" give_pages 0x20000000 31 32
expect_eq "8 KiB across quarters 1 and 2: the 8th beside the sub-blocks" \
	"$(alloc dense - 8K 0)" "0x2001f000"
expect_eq "a page at 10, with chunks beside the sub-blocks in the way" \
	"$(alloc dense - 4K 0)" "0x2000a000"
check "hangs under the block" iomem_has 2000a000 2000afff dense 3
check "quarter 0's sub-block keeps its span" \
	iomem_has 20000000 20007fff cmafw:dense#0 3
expect_eq "the chunk across quarters 1 and 2 frees" \
	"$(ctl free 0x2001f000)" ok
check "and pages 8-16" give_pages 0x20000000 8 16
check "7 pages into pages 8-14" take_pages dense 7
expect_eq "8 KiB across quarters 0 and 1 once more" "$(alloc dense - 8K 0)" \
	"0x2000f000"
check "pages 31 and 32: 63 chunks" take_pages dense 2
expect_eq "sysfs counts 63 chunks" "$(cat "$d_sys/chunks")" 63

check "quarter 1 emptied: 48 chunks" give_pages 0x20000000 17 31
check_not "its sub-block is gone" iomem_line 20011000 2001ffff
expect_eq "the block is still dense" "$(block0_lines)" 4
check "quarter 0 down to 11 chunks: 44" give_pages 0x20000000 1 4
expect_eq "44 chunks: still dense" "$(block0_lines)" 4
check "one more: 43" give_pages 0x20000000 5 5
expect_eq "below 44 chunks the sub-blocks go" "$(block0_lines)" 1
check "the chunks hang under the block again" \
	iomem_has 20000000 20000fff dense 3
check "the one across quarters too" iomem_has 2000f000 20010fff dense 3
check "and those of quarter 3" iomem_has 20030000 20030fff dense 3
expect_eq "sysfs owners: 43 chunks" "$(cat "$d_sys/owners")" \
	"dense 180224 43"
check "free quarters 2 and 3 but for page 63: 12 chunks" \
	give_pages 0x20000000 32 62
expect_eq "12 chunks: the block keeps its line" "$(block0_lines)" 1
check "one more: 11" give_pages 0x20000000 63 63
expect_eq "below 12 chunks the block's line goes" "$(block0_lines)" 0
check "its chunks hang right under the region" \
	iomem_has 20000000 20000fff dense 2
check "the one across quarters too" iomem_has 2000f000 20010fff dense 2
expect_eq "sysfs owners: 11 chunks" "$(cat "$d_sys/owners")" \
	"dense 49152 11"
check "4 chunks into pages 1-4: 15" take_pages dense 4
expect_eq "15 chunks: no line yet" "$(block0_lines)" 0
check "page 5: the 16th brings it back" take_pages dense 1
check "spanning the block" iomem_has 20000000 2003ffff cmafw:dense#0 2
check "with the chunk across quarters under it" \
	iomem_has 2000f000 20010fff dense 3
expect_eq "the chunk across quarters frees" "$(ctl free 0x2000f000)" ok
check "and pages 0-14" give_pages 0x20000000 0 14
expect_eq "sysfs counts no chunk" "$(cat "$d_sys/chunks")" 0
check_not "no chunk or index line of the region is left in /proc/iomem" \
	grep -qE ' : (dense|cmafw:dense#)' /proc/iomem
ctl unregister d >/dev/null
check "both modules unload" unload_all

section "index: the bands of a group crowded with loose chunks"
load_cmafw index=1 && load_test
# 16 MiB: 64 blocks of 256 KiB in groups of 16 (4 MiB), bands of 2 blocks
# (512 KiB).  4 KiB chunks aligned to 32 KiB: 8 to a block, too few for a
# block's line, so that they all hang loose under group 0's.
ctl register b band 0x20000000 16M 0 bitmap >/dev/null
ctl map 'band=band' >/dev/null
b_sys=/sys/kernel/cmafw/regions/band

# b_take N: N chunks of 4 KiB aligned to 32 KiB (no program per chunk).
# shellcheck disable=SC2154 # t_answer: ctl's answer (lib.sh)
b_take() {
	b_n=$1
	while [ "$b_n" -gt 0 ]; do
		ctl alloc band - 4K 32K >/dev/null
		case $t_answer in "ok 0x"*) ;; *) return 1 ;; esac
		b_n=$((b_n - 1))
	done
}

check "47 chunks, 8 to a block" b_take 47
expect_eq "hang under group 0's line, with no band" \
	"$(grep -c ': cmafw:band#0-15$' /proc/iomem)" 1
check "the last of them at depth 3" iomem_has 20170000 20170fff band 3
check "the 48th gives the group bands" b_take 1
check "band 0, blocks 0-1, inside the group's line" \
	iomem_has 20000000 2007ffff cmafw:band#0-15 3
check "band 1" iomem_has 20080000 200fffff cmafw:band#0-15 3
check "band 2" iomem_has 20100000 2017ffff cmafw:band#0-15 3
expect_eq "3 bands" "$(iomem_sub_blocks band bands)" 3
expect_eq "and no block's sub-block" "$(iomem_sub_blocks band)" 0
check "the first chunk hangs under band 0" \
	iomem_has 20000000 20000fff band 4
check "the 48th under band 2" iomem_has 20178000 20178fff band 4
# A straddler of groups whose far end is in a group without bands.
expect_eq "4 MiB from group 0 into group 1, which has no line" \
	"$(alloc band - 4M 512K)" 0x20180000
check "hangs right under the region" iomem_has 20180000 2057ffff band 2
check "group 0's line gives it room" \
	iomem_has 20000000 2017ffff cmafw:band#0-15 2
expect_eq "and frees" "$(ctl free 0x20180000)" ok
expect_eq "sysfs owners walks the bands: 48 chunks" \
	"$(cat "$b_sys/owners")" "band 196608 48"
expect_eq "cmaadm chunks finds all 48 in /proc/iomem" \
	"$("$CMAFW_TOOLS/cmaadm/cmaadm" chunks band | grep -c '^band ')" 48
check "chunk_has finds one under its region" \
	chunk_has 20178000 20178fff band band
# Deeper than /proc/iomem indents: 48 more chunks fill block 0's free
# pages, 56 in all, so that its line (under band 0) splits in quarters.
# A chunk under a quarter is 6 levels deep, the region being under
# Reserved; the kernel shows it at the 5th, its quarter's.
b_deep=
b_n=48
while [ "$b_n" -gt 0 ]; do
	ctl alloc band - 4K 4K >/dev/null
	case $t_answer in "ok 0x"*) b_deep="$b_deep ${t_answer#ok }" ;; esac
	b_n=$((b_n - 1))
done
expect_eq "48 chunks of a page more in block 0" "$(echo "$b_deep" | wc -w) $(cat "$b_sys/chunks")" \
	"48 96"
expect_eq "block 0's line under band 0, in quarters" \
	"$(iomem_sub_blocks band) $(iomem_sub_blocks band bands)" "4 3"
check "its second page's chunk shows at the quarter's depth, the 5th" \
	iomem_has 20001000 20001fff band 5
expect_eq "cmaadm chunks still finds all 96" \
	"$("$CMAFW_TOOLS/cmaadm/cmaadm" chunks band | grep -c '^band ')" 96
check "chunk_has finds it too" chunk_has 20001000 20001fff band band
for b_a in $b_deep; do
	ctl free "$b_a" >/dev/null
done
expect_eq "freed: 48 chunks, 3 bands, no quarter" \
	"$(cat "$b_sys/chunks") $(iomem_sub_blocks band bands) $(iomem_sub_blocks band)" \
	"48 3 0"
# b_give FIRST LAST: free the chunks FIRST to LAST, counted in 32 KiB
# steps from the region's start (no program per chunk).
b_give() {
	b_p=$1
	while [ "$b_p" -le "$2" ]; do
		ctl free $((0x20000000 + b_p * 32768)) >/dev/null
		[ "$t_answer" = ok ] || return 1
		b_p=$((b_p + 1))
	done
}
# Frees in band 0, every 32 KiB: 16 of them leave 32.
check "band 0 emptied: 32 chunks" b_give 0 15
check_not "its line is gone" iomem_line 20000000 2007ffff
expect_eq "2 bands left" "$(iomem_sub_blocks band bands)" 2
expect_eq "a chunk in band 0 again" "$(alloc band - 4K 32K)" 0x20000000
check "makes its line anew" iomem_has 20000000 2007ffff cmafw:band#0-15 3
check "and hangs under it" iomem_has 20000000 20000fff band 4
expect_eq "3 bands" "$(iomem_sub_blocks band bands)" 3
check "it frees, and band 0 goes again" b_give 0 0
check_not "band 0's line is gone" iomem_line 20000000 2007ffff
check "8 more freed: 24 chunks" b_give 16 23
expect_eq "24: the group keeps its bands" "$(iomem_sub_blocks band bands)" 2
check "one more: 23" b_give 24 24
expect_eq "below 24 the bands go" "$(iomem_sub_blocks band bands)" 0
check "the chunks hang under the group's line again" \
	iomem_has 20178000 20178fff band 3
check "25 more, where the first 25 were: 48 again" b_take 25
expect_eq "the bands come back" "$(iomem_sub_blocks band bands)" 3
check "band 0's line with them" iomem_has 20000000 2007ffff cmafw:band#0-15 3
check "the first chunk under it" iomem_has 20000000 20000fff band 4
check "those 25 free" b_give 0 24
expect_eq "and at 23 the bands go again" "$(iomem_sub_blocks band bands)" 0
check "the other 23 free" b_give 25 47
expect_eq "sysfs counts no chunk" "$(cat "$b_sys/chunks")" 0
check_not "no chunk or index line of the region is left in /proc/iomem" \
	grep -qE ' : (band|cmafw:band#)' /proc/iomem
ctl unregister b >/dev/null
check "both modules unload" unload_all

section "index: dropped while groups have bands, and built again"
# index=200: built at 200 chunks, dropped below 50.  The same 16 MiB and
# chunks 8 to a block: 128 loose in group 0 and 72 in group 1, both
# with bands when the index is built.
load_cmafw index=200 && load_test
ctl register b band 0x20000000 16M 0 bitmap >/dev/null
ctl map 'band=band' >/dev/null
check "199 chunks: no index yet" b_take 199
expect_eq "no index line" "$(grep -c 'cmafw:band#' /proc/iomem)" 0
check "the 200th builds it" b_take 1
# Group 0: blocks 0-15, 8 bands of 2 blocks; group 1: chunks in blocks
# 16-24, bands 0-4.
expect_eq "13 bands" "$(iomem_sub_blocks band bands)" 13
check "group 1's band 4, block 24, at depth 3" \
	iomem_has 20600000 2067ffff cmafw:band#16-31 3
check "and its chunks under it" iomem_has 20638000 20638fff band 4
check "151 frees leave 49 in group 1, with its bands" b_give 0 150
expect_eq "below 50 the index goes, bands and all" \
	"$(grep -c 'cmafw:band#' /proc/iomem)" 0
check "the chunks hang right under the region" \
	iomem_has 20638000 20638fff band 2
check "151 again: 200" b_take 151
expect_eq "the index is back, with 13 bands" \
	"$(iomem_sub_blocks band bands)" 13
check "the first chunk under band 0" iomem_has 20000000 20000fff band 4
check "/proc/iomem, cmaadm and sysfs agree on 200 chunks" \
	test "$(cat "$b_sys/chunks")" = 200 -a \
	"$("$CMAFW_TOOLS/cmaadm/cmaadm" chunks band | grep -c '^band ')" = 200
check "all 200 free" b_give 0 199
check_not "no chunk or index line of the region is left in /proc/iomem" \
	grep -qE ' : (band|cmafw:band#)' /proc/iomem
ctl unregister b >/dev/null
check "both modules unload" unload_all

section "index: a chunk across bands, next to a block's line"
load_cmafw index=1 && load_test
# The same 16 MiB.  Block 0 full (64 chunks: its line, dense), block 1
# with 22 (its line), then 8 chunks aligned to 32 KiB in each of blocks
# 2-7: 48 loose ones, and group 0 gets its bands.
ctl register b band 0x20000000 16M 0 bitmap >/dev/null
ctl map 'band=band' >/dev/null
check "64 chunks fill block 0, 16 more go to block 1" take_pages band 80
check "54 chunks aligned to 32 KiB: 6 in block 1, 8 in each of blocks 2-7" \
	b_take 54
check "block 1's line spans it" iomem_has 20040000 2007ffff cmafw:band#1 4
check "inside band 0, which holds only blocks' lines" \
	iomem_has 20000000 2007ffff cmafw:band#0-15 3
expect_eq "4 bands" "$(iomem_sub_blocks band bands)" 4
# 0x20078000 (block 1's last) and 0x20080000 (block 2's first) freed:
# 64 KiB aligned to 32 KiB fits first at 0x20078000, across blocks 1 and
# 2 and bands 0 and 1.
check "free 0x20078000 and 0x20080000" \
	test "$(ctl free 0x20078000) $(ctl free 0x20080000)" = "ok ok"
expect_eq "64 KiB across bands 0 and 1" "$(alloc band - 64K 32K)" \
	"0x20078000"
check "hangs under the group's line" iomem_has 20078000 20087fff band 3
check "where block 1's line gives it room first" \
	iomem_has 20040000 20077fff cmafw:band#1 4
check "then band 0's" iomem_has 20000000 20077fff cmafw:band#0-15 3
check "and band 1's" iomem_has 20088000 200fffff cmafw:band#0-15 3
check "/proc/iomem, cmaadm and sysfs agree on 133 chunks" \
	test "$(cat "$b_sys/chunks")" = 133 -a \
	"$("$CMAFW_TOOLS/cmaadm/cmaadm" chunks band | grep -c '^band ')" = 133
expect_eq "the chunk across bands frees" "$(ctl free 0x20078000)" ok
# b_free_all: free every chunk /proc/iomem shows for the region.
b_free_all() {
	awk '/ : band$/ { sub(/^ */, ""); sub(/-.*/, ""); print }' /proc/iomem >/tmp/band-live
	while read -r b_a; do
		[ "$(ctl free "0x$b_a")" = ok ] || return 1
	done </tmp/band-live
}
check "and all the others" b_free_all
expect_eq "sysfs counts no chunk" "$(cat "$b_sys/chunks")" 0
check_not "no chunk or index line of the region is left in /proc/iomem" \
	grep -qE ' : (band|cmafw:band#)' /proc/iomem
ctl unregister b >/dev/null
check "both modules unload" unload_all

section "index: churn across dense blocks, groups and straddlers"
load_cmafw index=1 && load_test
# 16 MiB: 64 blocks of 256 KiB in groups of 16.  First fit packs the
# chunks into the first blocks, which turn dense and plain again as the
# live count swings; the large ones straddle blocks and groups.
ctl register d dense 0x20000000 16M 0 bitmap >/dev/null
ctl map 'dense=dense' >/dev/null
churn_start 12345

# d_step N: N operations: an allocation (of 1 page in 95%) while fewer
# than 60 chunks live, two times in three while fewer than 140, else a
# free of a random live chunk.
d_step() {
	d_k=$1
	while [ "$d_k" -gt 0 ]; do
		churn_rand 3
		if [ "$CHURN_N" -lt 60 ] ||
			{ [ "$CHURN_N" -lt 140 ] && [ "$CHURN_R" -gt 0 ]; }; then
			churn_alloc dense 95 || return 1
		else
			churn_free || return 1
		fi
		d_k=$((d_k - 1))
	done
}

d_dense=0
for d_round in 1 2 3 4 5 6; do
	check "churn round $d_round: 100 operations" d_step 100
	check "churn round $d_round: /proc/iomem, cmaadm and sysfs agree; no empty index line" \
		churn_agree dense dense
	[ "$(iomem_sub_blocks dense)" -gt 0 ] && d_dense=$((d_dense + 1))
done
# Churn of sizes that vary (1 page in 95%) packs 56 chunks into one block
# at the end of some rounds, not all.
check "blocks were dense at the end of at least 2 rounds ($d_dense of 6)" \
	test "$d_dense" -ge 2
check "every live chunk frees" churn_free_all
check_not "and no chunk or index line of the region is left" \
	grep -qE ' : (dense|cmafw:dense#)' /proc/iomem
ctl unregister d >/dev/null
check "both modules unload" unload_all
