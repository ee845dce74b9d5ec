#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Region and owner names as the framework compares them, a word (8 bytes)
# at a time where the kernel can (kernel/name_cmp.h): names that differ
# only in a second word, that end on a word's last byte, that are a
# prefix of another, and a type after an owner that ends a word.

section "names compared a word at a time"
load_cmafw && load_test
ctl register r8 abcdefgh 0x20000000 1M 0 - >/dev/null
ctl register r9 abcdefghi 0x20100000 1M 0 - >/dev/null
ctl register r16 abcdefghijklmnop 0x20200000 1M 0 - >/dev/null
ctl register r17 abcdefghijklmnoq 0x20300000 1M 0 - >/dev/null
ctl register o owners 0x20400000 1M 0 - >/dev/null

expect_eq "a name of 8 bytes, a prefix of another" \
	"$(addr_of "$(ctl from abcdefgh 4K 0)")" "0x20000000"
expect_eq "the name one byte longer" \
	"$(addr_of "$(ctl from abcdefghi 4K 0)")" "0x20100000"
expect_eq "a name of 16 bytes" \
	"$(addr_of "$(ctl from abcdefghijklmnop 4K 0)")" "0x20200000"
expect_eq "and one that differs in its 16th byte only" \
	"$(addr_of "$(ctl from abcdefghijklmnoq 4K 0)")" "0x20300000"
expect_eq "a name of 8 bytes ended by a ';' in a list" \
	"$(addr_of "$(ctl from 'abcdefgh;abcdefghi' 4K 0)")" "0x20001000"
expect_eq "and by a ','" \
	"$(addr_of "$(ctl from 'abcdefgh,abcdefghi' 4K 0)")" "0x20002000"
expect_eq "7 bytes of an 8-byte name name no region" \
	"$(ctl from abcdefg 4K 0)" "err -$ENOENT"
expect_eq "15 bytes of a 16-byte name name no region" \
	"$(ctl from abcdefghijklmno 4K 0)" "err -$ENOENT"
expect_eq "17 bytes starting with a 16-byte name name no region" \
	"$(ctl from abcdefghijklmnopq 4K 0)" "err -$ENOENT"
expect_eq "a name past a 16-byte prefix that names none is skipped" \
	"$(addr_of "$(ctl from 'abcdefghijklmnopx,abcdefghi' 4K 0)")" \
	"0x20101000"

expect_eq "set the map" "$(ctl map \
	'dev45678=owners;dev456789=owners;dev4567890123456=owners;dev4567890123457=owners')" "ok"
expect_eq "an owner of 8 bytes" "$(alloc dev45678 - 4K 0)" "0x20400000"
expect_eq "an owner one byte longer" "$(alloc dev456789 - 4K 0)" \
	"0x20401000"
expect_eq "the owner of 8 bytes with type \"a\"" \
	"$(alloc dev45678 a 4K 0)" "0x20402000"
expect_eq "and with type \"ab\"" "$(alloc dev45678 ab 4K 0)" "0x20403000"
expect_eq "an owner of 16 bytes" "$(alloc dev4567890123456 - 4K 0)" \
	"0x20404000"
expect_eq "and one that differs in its 16th byte only" \
	"$(alloc dev4567890123457 - 4K 0)" "0x20405000"
expect_eq "the 8-byte owner again" "$(alloc dev45678 - 4K 0)" "0x20406000"
expect_eq "with type \"a\" again" "$(alloc dev45678 a 4K 0)" "0x20407000"
check "/proc/iomem: the 8-byte owner" \
	chunk_has 20400000 20400fff dev45678 owners
check "the owner one byte longer" \
	chunk_has 20401000 20401fff dev456789 owners
check "the 8-byte owner with type \"a\"" \
	chunk_has 20402000 20402fff dev45678/a owners
check "with type \"ab\"" chunk_has 20403000 20403fff dev45678/ab owners
check "the 16-byte owner" \
	chunk_has 20404000 20404fff dev4567890123456 owners
check "the one that differs in its 16th byte" \
	chunk_has 20405000 20405fff dev4567890123457 owners
check "the 8-byte owner again" chunk_has 20406000 20406fff dev45678 owners
check "with type \"a\" again" \
	chunk_has 20407000 20407fff dev45678/a owners
check "the chunks by name in the lists: cmafw_test's" \
	chunk_has 20002000 20002fff cmafw_test abcdefgh
for a in 0x20000000 0x20001000 0x20002000 0x20100000 0x20101000 \
	0x20200000 0x20300000 0x20400000 0x20401000 0x20402000 0x20403000 \
	0x20404000 0x20405000 0x20406000 0x20407000; do
	ctl free $a >/dev/null
done
check_not "no chunk is left in /proc/iomem" \
	grep -qE ' : (dev4567|cmafw_test)' /proc/iomem
for r in r8 r9 r16 r17 o; do
	ctl unregister $r >/dev/null
done
check "both modules unload" unload_all
