#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Documentation/admin-guide/mm/cmafw.rst, use cases 1 to 4, step by step with
# the guide's own commands, checking what the guide says happens.

section "admin guide use cases"
load_cmafw && load_test
FRAME=6220800
cd /sys/kernel/config/cmafw || exit 1

mkdir regions/region
echo 20M        > regions/region/size
echo 0x20000000 > regions/region/start
echo 1          > regions/region/active
echo 'video,camera=region' > map
f=$(alloc video - $FRAME 0)
expect_eq "1: the decoder gets a full-HD frame" "$f" 0x20000000
check "1: /proc/iomem shows it as the guide does" \
	chunk_has 20000000 205eefff video region
c1=$(alloc camera - 4K 0)
c2=$(alloc camera - 4K 0)
check "1: two small camera chunks hang under the region, as the guide shows" \
	iomem_has 205ef000 205effff camera 2
check "1: the second one too" iomem_has 205f0000 205f0fff camera 2
check_not "1: with no index line: the region holds 3 chunks, not 64" \
	grep -q 'cmafw:region#' /proc/iomem
ctl free "$c1" >/dev/null
ctl free "$c2" >/dev/null

mkdir regions/common
echo 5M         > regions/common/size
echo 0x21400000 > regions/common/start
echo 1          > regions/common/active
echo 'video,camera=region;*=common' > map
expect_eq "2: other devices use common" "$(served_by radio -)" common
expect_eq "2: camera still uses region" "$(served_by camera -)" region

echo 'video=v;camera=c;*=common' > map
check_not "3: the shared region cannot go while it holds a frame" \
	rmdir regions/region
expect_eq "3: until v exists, video gets ENOENT" "$(alloc video - 4K 0)" \
	"err -$ENOENT"
ctl free "$f" >/dev/null
rmdir regions/region
mkdir regions/v regions/c
echo 20M > regions/v/size
echo 20M > regions/c/size
echo 0x20000000 > regions/v/start
echo 0x21900000 > regions/c/start
echo 1 > regions/v/active
echo 1 > regions/c/active
expect_eq "3: video uses v" "$(served_by video -)" v
expect_eq "3: camera uses c" "$(served_by camera -)" c
expect_eq "3: the others still use common" "$(served_by radio -)" common

echo 0       > regions/v/active
echo bestfit > regions/v/allocator
echo 1       > regions/v/active
expect_eq "4: v now uses bestfit" \
	"$(cat /sys/kernel/cmafw/regions/v/allocator)" bestfit
expect_eq "4: and still serves video" "$(served_by video -)" v

cd / || exit 1
echo > /sys/kernel/config/cmafw/map
for r in v c common; do
	rmdir /sys/kernel/config/cmafw/regions/$r
done
check "both modules unload" unload_all
