#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The map: every example of the seed's documentation, checked by which
# region really serves each (device, type), and invalid maps refused whole.

section "map"
load_cmafw && load_test
i=0
for r in r1 r2 r3 region common a b; do
	ctl register "$r" "$r" "$(hex $((0x20000000 + i * 0x100000)))" 1M 0 - \
		>/dev/null
	i=$((i + 1))
done

# served DEV TYPE EXPECTED: which region serves (DEV, TYPE).
served() {
	expect_eq "$map_under_test: ($1, $2) -> $3" "$(served_by "$1" "$2")" "$3"
}

map_under_test='foo/quaz=r1;foo/*=r2;/*=r2;bar=r1,r2;baz?/a,baz?/b=r3'
expect_eq "set the seed's first example" "$(ctl map "$map_under_test")" ok
served foo quaz r1
served foo - r2
served foo other r2
served bar x r1
served bar - r1
served baz1 a r3
served bazz b r3
served baz1 c "err -$ENOENT"
served baz a "err -$ENOENT"
served baz12 a "err -$ENOENT"
served qux - "err -$ENOENT"

map_under_test='foo/quaz=r1;/*=r2'
expect_eq "an empty device part reuses the previous device" \
	"$(ctl map "$map_under_test")" ok
served foo x r2
served foo quaz r1
served bar x "err -$ENOENT"

map_under_test='video,camera=region;*=common'
expect_eq "set the shared-region example" "$(ctl map "$map_under_test")" ok
served video - region
served camera - region
served video other region
served radio - common

map_under_test='foo/a=a;foo/b=b;*=a,b'
expect_eq "set the two-bank example" "$(ctl map "$map_under_test")" ok
served foo a a
served foo b b
served bar - a

map_under_test='foo/a=a,b;foo/b=b,a;*=a,b'
expect_eq "set the two-bank example with fallback" \
	"$(ctl map "$map_under_test")" ok
served foo a a
served foo b b
full=$(alloc filler a 1M 0)
expect_eq "fill bank a" "$(region_of "$full")" a
served foo a b
served x - b
ctl free "$full" >/dev/null
served x - a

expect_eq "a trailing semicolon is accepted" "$(ctl map 'video=region;')" ok
served video - region

for bad in '=r' 'a=' 'a=r,,s' 'a*b=r' 'a/b/c=r' 'a/=r' 'a=b=c' 'a b=r' \
	'foo' ';a=r' 'a=r;;b=r'; do
	log_mark
	expect_eq "invalid map '$bad' gets EINVAL" "$(ctl map "$bad")" \
		"err -$EINVAL"
	check "the log names a column for '$bad'" \
		log_since 'map: column [0-9]'
done
map_under_test='video=region (kept)'
served video - region

# The longest map a driver can set reads back whole, with its newline.
m_long=$(i=0; while [ $i -lt 1022 ]; do printf 'd=r;'; i=$((i + 1)); done)
expect_eq "a driver sets a 4094-byte map" "$(ctl map "${m_long}d=rrr;")" ok
# configfs gives every attribute the size of a page: tail must not seek.
# shellcheck disable=SC2002
expect_eq "...which reads back whole, newline and all" \
	"$(wc -c </sys/kernel/config/cmafw/map) $(cat /sys/kernel/config/cmafw/map | tail -c 6 | head -c 5)" \
	"4095 =rrr;"
log_mark
expect_eq "a 4095-byte one gets EINVAL" "$(ctl map "${m_long}d=rrrr;")" \
	"err -$EINVAL"
check "...with a line" \
	log_since 'map: column 4095: expected the end of the map (at most 4094 bytes)'
# shellcheck disable=SC2002
expect_eq "...and the map stays" "$(cat /sys/kernel/config/cmafw/map | tail -c 6 | head -c 5)" "=rrr;"

expect_eq "an empty map clears it" "$(ctl map)" ok
served video - "err -$ENOENT"

for r in r1 r2 r3 region common a b; do
	ctl unregister "$r" >/dev/null
done
check "both modules unload" unload_all
