#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The device tree's regions as a driver and an integrator meet them, for
# a guest booted with build/arm64/virt-cmafw.dtb (README.md's snippet and
# selftests/cmafw/arm64/test-nodes.dtsi) and cmafw up, as a module
# (15-devicetree.sh) or built in (builtin/guest-entry.sh devicetree):
# dt_region_checks.  Needs lib.sh and cmafw_test loaded; the malformed
# nodes' log lines are looked for after T_LOG_MARK (the whole log when
# unset).  Leaves the map '*=common' and no chunk.

SYSR=/sys/kernel/cmafw/regions
CFS_MAP=/sys/kernel/config/cmafw/map

# reg_of NAME FILE: a figure of a region's sysfs directory.
reg_of() {
	cat "$SYSR/$1/$2" 2>/dev/null
}

# parent_of START: the name of the /proc/iomem line just above the line
# that starts at START (hex without 0x), one level up.
parent_of() {
	awk -v s="$1" '
	{ match($0, /^ */); d = RLENGTH / 2; r = $0; sub(/^ */, "", r)
	  n = r; sub(/^[^:]* : /, "", n); name[d] = n }
	index(r, s "-") == 1 && d > 0 { print name[d - 1]; exit }' /proc/iomem
}

pdev() {
	addr_of "$(ctl pdev_alloc "$@")"
}

# dt_region_checks: the regions, their /proc/iomem lines, the skipped
# nodes, the /chosen map, cmaadm, and memory-region per device.
dt_region_checks() {
	for r in video common frames solo; do
		expect_eq "DT region $r has origin devicetree" \
			"$(reg_of $r origin)" devicetree
	done
	expect_eq "video: the node's reg" \
		"$(reg_of video base) $(reg_of video size)" "0x60000000 33554432"
	expect_eq "common: the node's reg" \
		"$(reg_of common base) $(reg_of common size)" "0x62000000 16777216"
	expect_eq "video: cmafw,allocator picks bestfit" \
		"$(reg_of video allocator)" bestfit
	expect_eq "common: bitmap when cmafw,allocator is absent" \
		"$(reg_of common allocator)" bitmap
	expect_eq "frames: named by cmafw,name, the node's reg" \
		"$(reg_of frames base) $(reg_of frames size)" "0x66000000 8388608"
	check "video shows in /proc/iomem" \
		iomem_has 60000000 61ffffff cmafw:video 1
	check "common shows in /proc/iomem" \
		iomem_has 62000000 62ffffff cmafw:common 1
	check "frames shows in /proc/iomem" \
		iomem_has 66000000 667fffff cmafw:frames 1
	expect_eq "a no-map region nests under the kernel's 'reserved'" \
		"$(parent_of 60000000)" reserved
	# The DT regions' part of /proc/iomem, for the record.
	awk '{ r = $1; sub(/-.*/, "", r); r = sprintf("%8s", r); gsub(/ /, "0", r) }
		r >= "60000000" && r < "68000000"' /proc/iomem | sed 's/^/# iomem: /'

	for n in bad-mapped@65000000 bad-name@65100000 bad-align@65300000 \
		bad-reusable@65800000 bad-noname@65900000 bad-noalloc@65a00000 \
		bad-dynamic; do
		expect_eq "malformed node $n: one log line" \
			"$(dmesg | tail -n +$((T_LOG_MARK + 1)) | grep -c "/reserved-memory/$n")" 1
	done
	check "the line says why (no no-map)" \
		log_since 'bad-mapped@65000000: no no-map'
	check "the line says why (alignment)" \
		log_since 'bad-align@65300000: alignment is not a power of two the base meets'
	check "the line says why (reusable)" \
		log_since 'bad-reusable@65800000: reusable instead of no-map'
	check "the line says why (an empty cmafw,name)" \
		log_since 'bad-noname@65900000: no usable name'
	check "the line says why (an empty cmafw,allocator)" \
		log_since 'bad-noalloc@65a00000: cmafw,allocator is empty or not a string'
	check "the line says why (size-only)" \
		log_since 'bad-dynamic: no reg'
	expect_eq "bad-alloc@65200000: one log line, from the registration" \
		"$(dmesg | tail -n +$((T_LOG_MARK + 1)) | grep -c 'cmafw: region bad-alloc:')" 1
	check "a cmafw,region outside /reserved-memory: one line" \
		log_since '/chosen/window-a@68000000: not a child of /reserved-memory; skipped'
	check_not "and no region takes its namesake's range" test -e "$SYSR/stray"
	expect_eq "no malformed node became a region" \
		"$(grep -c ' : cmafw:bad' /proc/iomem)" 0

	expect_eq "the map comes from /chosen's cmafw,map" \
		"$(cat $CFS_MAP)" "video,camera=video;*=common"
	expect_eq "the map sends video to video (bestfit)" \
		"$(served_by video -)" video
	expect_eq "the map sends anyone else to common (bitmap)" \
		"$(served_by someone -)" common
	a=$(alloc video - 1M 0)
	expect_eq "bestfit hands out video's start" "$a" 0x60000000
	ctl free "$a" >/dev/null
	a=$(alloc someone - 64K 0)
	expect_eq "bitmap hands out common's start" "$a" 0x62000000
	ctl free "$a" >/dev/null

	CMAADM=${CMAFW_TOOLS:-/tools}/cmaadm/cmaadm
	"$CMAADM" region list | sed 's/^/# cmaadm: /'
	check "cmaadm region list shows video from the device tree" \
		sh -c "'$CMAADM' region list | grep -Eq '^video +devicetree '"
	expect_eq "cmaadm says who holds the name" \
		"$("$CMAADM" region add video --size 1M --start 0x30000000 2>&1 |
			grep -c "registered by the device tree")" 1

	check "the platform driver bound cmafw-test" \
		test -e /sys/bus/platform/devices/cmafw-test/driver
	a=$(pdev cmafw-test - 64K 0)
	expect_eq "memory-region beats the map: cmafw-test's common is frames" \
		"$(region_of "$a")" frames
	check "the chunk is cmafw-test's in /proc/iomem" \
		chunk_has "$(printf %x $((a)))" "$(printf %x $((a + 0xffff)))" \
		cmafw-test frames
	expect_eq "the kernel treats cmafw-test as not DMA coherent" \
		"$(ctl pdev_coherent cmafw-test)" "ok 0"
	expect_eq "and cmafw-test2, declared dma-coherent, as coherent" \
		"$(ctl pdev_coherent cmafw-test2)" "ok 1"
	expect_eq "a write-combined CPU mapping of the chunk reads back" \
		"$(ctl wc_rw "$a" 65536)" ok
	ctl free "$a" >/dev/null
	v=$(pdev cmafw-test video 4K 0)
	expect_eq "memory-region-names: type video is video" \
		"$(region_of "$v")" video
	ctl free "$v" >/dev/null
	ctl map "" >/dev/null
	a=$(pdev cmafw-test2 - 4K 0)
	expect_eq "no map rule: cmafw-test2 is served from solo" \
		"$(region_of "$a")" solo
	b=$(pdev cmafw-test2 anything 4K 0)
	expect_eq "without memory-region-names every type is solo" \
		"$(region_of "$b")" solo
	expect_eq "and a DT device with no entry for a type goes to the map" \
		"$(pdev cmafw-test other 4K 0)" "err -$ENOENT"
	ctl map '*=common' >/dev/null
	expect_eq "a full memory-region gets ENOMEM, not the map's region" \
		"$(pdev cmafw-test2 - 8M 0)" "err -$ENOMEM"
	log_mark
	expect_eq "a memory-region that is a disabled cmafw region: ENOENT, not the map" \
		"$(pdev cmafw-test3 - 4K 0)" "err -$ENOENT"
	check "one line names the device and the node" log_since \
		'cmafw-test3: cmafw: its memory-region /reserved-memory/off@64400000 is not a registered region'
	ctl free "$a" >/dev/null
	ctl free "$b" >/dev/null
}
