#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Device tree (arm64): the reserved-memory nodes of README.md's snippet and
# selftests/cmafw/arm64/test-nodes.dtsi become regions with origin
# "devicetree", malformed nodes are skipped with one log line each, the
# /chosen map applies unless map= is given, and a DT device's
# memory-region serves it before the map.  Skipped where there is no
# device tree with cmafw nodes (x86).
# shellcheck source-path=SCRIPTDIR

DT=/sys/firmware/devicetree/base
# shellcheck source=devicetree-lib.sh
. "${CMAFW_SELFTESTS:-/selftests}/cmafw/guest/devicetree-lib.sh"

dt_tests() {
	log_mark
	insmod "$MODDIR/cmafw.ko" && load_test
	check "cmafw and cmafw_test load with the device tree's regions" \
		test -e "$CTL"
	dt_region_checks
	check "unload removes the DT regions" unload_all
	expect_eq "no cmafw line left in /proc/iomem" \
		"$(grep -c ' : cmafw:' /proc/iomem)" 0

	log_mark
	insmod "$MODDIR/cmafw.ko" 'regions=video=1M@0x64000000' 'map=*=video'
	expect_eq "map= overrides /chosen's map" "$(cat "$CFS_MAP")" "*=video"
	expect_eq "a regions= region takes the name first" \
		"$(reg_of video origin)" parameter
	check "the DT node with that name is skipped, logged" \
		log_since 'region video: name already in use'
	check "the DT node overlapping it is skipped" \
		test ! -e "$SYSR/solo"
	expect_eq "the other DT regions still come up" \
		"$(reg_of common origin) $(reg_of frames origin)" \
		"devicetree devicetree"
	check "unload" unload_all
	check "cmafw loads with devicetree=0" insmod "$MODDIR/cmafw.ko" devicetree=0
	check "...and has its regions directory" test -d "$SYSR"
	expect_eq "devicetree=0: no DT region" \
		"$(find $SYSR -mindepth 1 -maxdepth 1 | wc -l)" 0
	check "unload" unload_all
}

section "devicetree"
if [ -d "$DT/reserved-memory" ] && grep -qs cmafw,region "$DT"/reserved-memory/*/compatible; then
	dt_tests
elif [ "$(uname -m)" = aarch64 ]; then
	# The arm64 guests always boot build/arm64/virt-cmafw.dtb.
	not_ok "the arm64 guest's device tree has cmafw,region nodes"
else
	ok "device-tree regions # SKIP no device tree with cmafw,region nodes here (x86 kernels have no CONFIG_OF)"
fi
