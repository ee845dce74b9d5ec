#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A region's index (kernel/index_build.c): its chunks hang right under it
# until it holds 64 (the index parameter's default; more where its index
# costs more than 64 chunks pay for, below); then index lines are
# slid under them in one pass, around a chunk that straddles blocks, a
# block's only where 16 chunks or more gather (kernel/index_gather.c), and
# below 16 chunks they go again.  Every step is read back from
# /proc/iomem and from the walks sysfs and cmaadm make.

section "index: built at 64 chunks, dropped below 16"
load_cmafw && load_test
expect_eq "the index parameter defaults to 64 chunks" \
	"$(cat /sys/module/cmafw/parameters/index)" 64
# 4 MiB: 16 blocks of 256 KiB (64 pages; no groups), quarters of 64 KiB.
ctl register z lazy 0x20000000 4M 0 bitmap >/dev/null
expect_eq "set the map" "$(ctl map 'lazy=lazy')" "ok"
z_sys=/sys/kernel/cmafw/regions/lazy

# z_lines: the region's index lines, sub-blocks' included.
z_lines() {
	grep -c ': cmafw:lazy#' /proc/iomem
}

# z_flat: the region's chunk lines that hang right under it.
z_flat() {
	awk '
	function depth(l) { match(l, /^ */); return RLENGTH }
	/ : cmafw:lazy$/ { on = 1; d = depth($0); next }
	on && depth($0) <= d { on = 0 }
	on && depth($0) == d + 2 && / : lazy$/ { n++ }
	END { print n + 0 }' /proc/iomem
}

# z_agree N BYTES GAPS: sysfs's owners and cmaadm (through /proc/iomem)
# count N chunks of BYTES in all, and sysfs's walk of the free extents
# GAPS between them.
z_agree() {
	[ "$(cat "$z_sys/owners")" = "lazy $2 $1" ] &&
		[ "$("$CMAFW_TOOLS/cmaadm/cmaadm" chunks lazy | grep -c '^lazy ')" = "$1" ] &&
		[ "$(awk '{ n += $2 } END { print n }' "$z_sys/free_extents")" = "$3" ]
}

check "60 chunks at pages 0-59" take_pages lazy 60
expect_eq "first fit puts 24 KiB at pages 60-65, across blocks 0 and 1" \
	"$(alloc lazy - 24K 0)" "0x2003c000"
check "two more chunks, at pages 66 and 67: 63" take_pages lazy 2
expect_eq "63 chunks: no index line" "$(z_lines)" 0
expect_eq "all 63 hang right under the region" "$(z_flat)" 63
check "sysfs, cmaadm and the free extents agree on 63" \
	z_agree 63 278528 1
check "the 64th chunk builds the index" take_pages lazy 1
expect_eq "block 0's 60 chunks now hang under index lines" "$(z_flat)" 4
check "the straddler stays under the region" \
	iomem_has 2003c000 20041fff lazy 2
check "block 0's line ends where the straddler starts" \
	iomem_has 20000000 2003bfff cmafw:lazy#0 2
check_not "block 1, with 3 chunks, has no line" \
	grep -q ': cmafw:lazy#1$' /proc/iomem
check "its chunks at pages 66-68 stay under the region" \
	iomem_has 20044000 20044fff lazy 2
check "block 0, with 60 chunks, is dense: quarter 0's line" \
	iomem_has 20000000 2000ffff cmafw:lazy#0 3
check "quarter 3's line ends where the straddler starts" \
	iomem_has 20030000 2003bfff cmafw:lazy#0 3
check "the first chunk hangs under quarter 0's line" \
	iomem_has 20000000 20000fff lazy 4
expect_eq "1 block's line and 4 quarters' lines" "$(z_lines)" 5
check "sysfs, cmaadm and the free extents still agree" \
	z_agree 64 282624 1

check "free pages 0-47: 16 chunks" give_pages 0x20000000 0 47
expect_eq "16 chunks: still indexed" "$(z_flat)" 4
check "block 0's line stays, for its 12 chunks at pages 48-59" \
	iomem_has 20000000 2003bfff cmafw:lazy#0 2
check "free one more: 15" give_pages 0x20000000 48 48
expect_eq "15 chunks: no index line" "$(z_lines)" 0
expect_eq "all 15 hang right under the region" "$(z_flat)" 15
check "the straddler among them" iomem_has 2003c000 20041fff lazy 2
check "and the last chunk" iomem_has 20044000 20044fff lazy 2
check "sysfs, cmaadm and the free extents agree on 15: 2 gaps" \
	z_agree 15 81920 2
check "49 chunks into the hole below: 64 again" take_pages lazy 49
expect_eq "the index is back" "$(z_flat)" 4
check "block 0's line, around the straddler again" \
	iomem_has 20000000 2003bfff cmafw:lazy#0 2
check "and dense again" iomem_has 20000000 2000ffff cmafw:lazy#0 3
check "sysfs, cmaadm and the free extents agree on 64" \
	z_agree 64 282624 1
check "free all of them" give_pages 0x20000000 0 59
check "...the chunks at pages 66-68" give_pages 0x20000000 66 68
expect_eq "...and the straddler" "$(ctl free 0x2003c000)" ok
expect_eq "sysfs counts no chunk" "$(cat "$z_sys/chunks")" 0
check_not "no chunk or index line of the region is left in /proc/iomem" \
	grep -qE ' : (lazy|cmafw:lazy#)' /proc/iomem
ctl unregister z >/dev/null
check "both modules unload" unload_all

section "index: by default, not before its chunks pay for it"
load_cmafw && load_test
# 16 MiB: 64 blocks of 256 KiB in groups of 16 (4 MiB).  At worst its
# index takes about 3 KiB that no 12 chunks share (the levels' arrays, and
# each group's record with its bands), more than 64 chunks pay for at 40
# bytes each (kernel/index_build.c): the region builds it at four times
# the chunks that do, not at 64, and drops it below a quarter of that.
ctl register z lazy 0x20000000 16M 0 bitmap >/dev/null
ctl map 'lazy=lazy' >/dev/null

# z_build_at MAX: one-page chunks, up to MAX, until the region has an
# index line: how many it took.
z_build_at() {
	zb_n=0
	while [ "$zb_n" -lt "$1" ]; do
		take_pages lazy 1 || return 1
		zb_n=$((zb_n + 1))
		if [ "$(z_lines)" -gt 0 ]; then
			echo "$zb_n"
			return 0
		fi
	done
	return 1
}

z_from=$(z_build_at 1024) || z_from=0
check "the index comes at $z_from chunks, past 64" test "$z_from" -gt 64
expect_eq "...four times a count" "$((z_from % 4))" 0
z_low=$((z_from / 4))
check "free the top chunks down to $z_low" \
	give_pages 0x20000000 "$z_low" $((z_from - 1))
check "$z_low chunks: still indexed" test "$(z_lines)" -gt 0
check "free one more" give_pages 0x20000000 $((z_low - 1)) $((z_low - 1))
expect_eq "$((z_low - 1)) chunks: no index line" "$(z_lines)" 0
expect_eq "all of them right under the region" "$(z_flat)" $((z_low - 1))
check "free the rest" give_pages 0x20000000 0 $((z_low - 2))
ctl unregister z >/dev/null
check "both modules unload" unload_all

section "index: index=64 given is taken as is"
load_cmafw index=64 && load_test
ctl register z lazy 0x20000000 16M 0 bitmap >/dev/null
ctl map 'lazy=lazy' >/dev/null
check "63 chunks" take_pages lazy 63
expect_eq "no index line" "$(z_lines)" 0
check "the 64th builds it" take_pages lazy 1
check "block 0's line" iomem_has 20000000 2003ffff cmafw:lazy#0 3
check "free them" give_pages 0x20000000 0 63
ctl unregister z >/dev/null
check "both modules unload" unload_all

section "index: built and dropped again and again under churn"
# index=64, given, as is: built at 64 chunks, dropped below 16.
load_cmafw index=64 && load_test
# 16 MiB: 64 blocks of 256 KiB in groups of 16 (4 MiB), so that the build
# makes both levels.  The live count climbs past 64 and falls below 16,
# three times; chunks of 60-80 pages straddle blocks and groups.
ctl register z lazy 0x20000000 16M 0 bitmap >/dev/null
ctl map 'lazy=lazy' >/dev/null
churn_start 4242

# z_op GROW: an allocation (three times in four if GROW is 1, else one in
# four) or a free of a random live chunk.
z_op() {
	churn_rand 4
	if [ "$CHURN_N" -eq 0 ] || { [ "$1" = 1 ] && [ "$CHURN_R" -gt 0 ]; } ||
		{ [ "$1" = 0 ] && [ "$CHURN_R" -eq 0 ]; }; then
		churn_alloc lazy
	else
		churn_free
	fi
}

# z_to N: churn until N chunks live.
z_to() {
	while :; do
		[ "$CHURN_N" -eq "$1" ] && return 0
		if [ "$CHURN_N" -lt "$1" ]; then z_op 1 || return 1; else z_op 0 || return 1; fi
	done
}

# z_layout_ok: every chunk hangs where the index puts it: under its
# block's line (or a quarter's, named alike) if it lies inside one block
# that has one, else under its group's if inside one group, else right
# under the region; and a block has a line only with 12 chunks or more,
# and none from 16 on.
z_layout_ok() {
	awk '
	function depth(l) { match(l, /^ */); return RLENGTH }
	function hex(h,   i, n) {
		n = 0
		for (i = 1; i <= length(h); i++)
			n = n * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1
		return n
	}
	{ d = depth($0); name = $0; sub(/^[^:]*: /, "", name); at[d] = name }
	/ : cmafw:lazy$/ { on = 1; rd = d; next }
	on && d <= rd { on = 0 }
	on && name == "lazy" {
		split($1, r, "-")
		b = int((hex(r[1]) - hex("20000000")) / 262144)
		e = int((hex(r[2]) - hex("20000000")) / 262144)
		g = int(b / 16)
		group = "cmafw:lazy#" g * 16 "-" g * 16 + 15
		if (b == e && at[d - 2] == "cmafw:lazy#" b) {
			lined[b]++
			want = at[d - 2]
		} else if (b == e) {
			loose[b]++
			want = group
		} else if (g == int(e / 16)) {
			want = group
		} else {
			want = "cmafw:lazy"
		}
		if (at[d - 2] != want) {
			print "# " $0 " under " at[d - 2] ", not " want
			bad = 1
		}
		n++
	}
	END {
		for (b in lined)
			if (b in loose || lined[b] < 12) {
				print "# block " b ": " lined[b] \
					" chunks under its line, " loose[b] + 0 " not"
				bad = 1
			}
		for (b in loose)
			if (loose[b] >= 16) {
				print "# block " b ": " loose[b] " chunks and no line"
				bad = 1
			}
		exit bad || !n
	}' /proc/iomem
}

for z_round in 1 2 3; do
	check "round $z_round: churn up to 90 chunks" z_to 90
	check "round $z_round: /proc/iomem, cmaadm and sysfs agree; no empty index line" \
		churn_agree lazy lazy
	check "round $z_round: indexed, groups' lines among the index lines" \
		grep -qE ': cmafw:lazy#[0-9]+-[0-9]+$' /proc/iomem
	check "round $z_round: every chunk under its block's or group's line, or the region's" \
		z_layout_ok
	check "round $z_round: churn up to 16 chunks, still indexed" z_to 16
	check "round $z_round: a group's line left" \
		grep -qE ': cmafw:lazy#[0-9]+-[0-9]+$' /proc/iomem
	check "round $z_round: every chunk where the index puts it" z_layout_ok
	check "round $z_round: churn down to 10" z_to 10
	expect_eq "round $z_round: no index line" "$(z_lines)" 0
	expect_eq "round $z_round: all 10 right under the region" "$(z_flat)" 10
	check "round $z_round: /proc/iomem, cmaadm and sysfs agree" \
		churn_agree lazy lazy
done
check "every live chunk frees" churn_free_all
check_not "and no chunk or index line of the region is left" \
	grep -qE ' : (lazy|cmafw:lazy#)' /proc/iomem
ctl unregister z >/dev/null
check "both modules unload" unload_all

section "index: index=0 never indexes a region"
load_cmafw index=0 && load_test
ctl register z lazy 0x20000000 4M 0 bitmap >/dev/null
ctl map 'lazy=lazy' >/dev/null
check "70 chunks" take_pages lazy 70
expect_eq "no index line" "$(z_lines)" 0
expect_eq "all 70 right under the region" "$(z_flat)" 70
check "free them" give_pages 0x20000000 0 69
ctl unregister z >/dev/null
check "both modules unload" unload_all
