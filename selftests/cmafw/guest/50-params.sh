#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Load-time configuration: the seed's example configurations from module
# parameters, and bad parameters that fail the load and leave nothing.

section "module parameters"

# with_params DESCRIPTION REGIONS MAP: load, report, leave loaded; the
# load's log lines are those log_since finds.
with_params() {
	unload_all
	log_mark
	check "$1" load_cmafw "regions=$2" "map=$3"
	load_test
}

with_params "one 20 MiB region shared by video and camera" \
	'region=20M@0x20000000' 'video,camera=region'
check "the region shows in /proc/iomem" \
	iomem_has 20000000 213fffff cmafw:region 1
expect_eq "video is served by it" "$(served_by video -)" region
expect_eq "camera is served by it" "$(served_by camera -)" region
expect_eq "nobody else is" "$(served_by radio -)" "err -$ENOENT"

with_params "plus a 5 MiB region for everyone else" \
	'region=20M@0x20000000;common=5M@0x21400000' \
	'video,camera=region;*=common'
expect_eq "video still uses region" "$(served_by video -)" region
expect_eq "radio uses common" "$(served_by radio -)" common

with_params "separate v and c regions plus common" \
	'v=20M@0x20000000;c=20M@0x21400000;common=5M@0x30000000' \
	'video=v;camera=c;*=common'
expect_eq "video uses v" "$(served_by video -)" v
expect_eq "camera uses c" "$(served_by camera -)" c
expect_eq "radio uses common" "$(served_by radio -)" common

with_params "a 30 MiB region with the bestfit allocator" \
	'region=30M@0x20000000:bestfit;common=5M@0x30000000' \
	'video,camera=region;*=common'
check "the log names the allocator" \
	log_since "region region: .* allocator bestfit"
expect_eq "video uses region" "$(served_by video -)" region

with_params "alignment in the parameter" 'x=1M@0x20001000/1M' 'd=x'
check "the start is rounded up to it" iomem_has 20100000 201fffff cmafw:x 1
with_params "alignment 0 in the parameter: none" 'x=1M@0x20001000/0' 'd=x'
check "the start stays where it is" iomem_has 20001000 20100fff cmafw:x 1

# refused DESCRIPTION REGIONS MAP LOG: the load fails, LOG is logged, no
# region is left behind.
refused() {
	unload_all
	log_mark
	check_not "$1 fails the load" load_cmafw "regions=$2" "map=$3"
	check "$1 is explained in the log" \
		log_since "$4"
	expect_eq "$1 leaves no region" "$(iomem_count cmafw)" 0
}

refused "a region without a start" 'x=1M' '' 'regions: column 5: expected @START'
refused "a region in System RAM" "ok=1M@0x20000000;bad=1M@$CMAFW_SYSRAM" '' \
	'overlaps System RAM'
refused "overlapping regions" 'a=2M@0x20000000;b=1M@0x20100000' '' \
	'overlaps region a'
refused "garbage in a start address" 'a=1M@0x20000000x' '' \
	'regions: column 6: expected a start address'
refused "a size that wraps" 'a=18446744073709551617@0x20000000' '' \
	'regions: column 3: expected a size that fits 64 bits'
refused "an alignment that is not a power of two" \
	'a=1M@0x20000000;b=1M@0x20200000/3K;c=1M@0x20400000' '' \
	'regions: column 33: expected an alignment that is 0 or a power of two'
refused "a size of 0" 'z=0@0x20000000' '' 'region z: size 0$'
refused "an unknown allocator" 'a=1M@0x20000000:nosuch' '' \
	'no allocator named'
refused "an invalid map" 'a=1M@0x20000000' 'a=' 'map: column'
refused "the name '..', which sysfs cannot show" 'ok=1M@0x20000000;..=1M@0x20200000' '' \
	'regions: column 18: expected NAME=SIZE@START with a valid region name'
refused "the name '.'" '.=1M@0x20200000' '' \
	'regions: column 1: expected NAME=SIZE@START with a valid region name'
check "nothing is loaded after refusals" unload_all
