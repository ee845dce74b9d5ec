#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest entry of scripts/check-builtin.sh: cmafw built into the kernel,
# its regions reserved at boot from the command line alone (no memmap=).
#
# usage: guest-entry.sh malformed
#        guest-entry.sh refused BASELINE_KB empty|twin|lend|zero|giveback
#        guest-entry.sh oversized
#        guest-entry.sh regions BASELINE_KB FIXED_START
#        guest-entry.sh devicetree
#        guest-entry.sh initfail sysfs|configfs BASELINE_KB
#
#   malformed  cmafw.regions is broken: the kernel is up, one log line says
#              where, no region exists.  Prints "# memtotal_kb N", the
#              baseline for the regions boot (same kernel, same initramfs).
#   refused BASELINE_KB empty|twin|lend|zero|giveback
#              cmafw.regions empty, with a name twice, with lend mode, or
#              with a region at @0: refused at parse time with one line,
#              nothing reserved.  giveback: two regions (gb placed, gbfix fixed)
#              reserved at boot whose allocator does not exist: each
#              refused at registration with a line saying why and one
#              saying its memory went back to the page allocator.
#   oversized  a region memblock cannot place and a fixed one outside RAM:
#              one line each; the small region given with them is there.
#   regions    the seed's video=20M;camera=20M;common=5M, fixed=8M (landing
#              at FIXED_START), cmafw.map="video,camera=video;*=common" and the self-test's
#              4 MiB private early region: placement, MemTotal, /proc/iomem,
#              sysfs, allocation through the map, configfs and cmaadm;
#              a dma-buf heap allocation, and lend mode refused as not
#              built (the test kernel has no memory hot-remove).
#   devicetree arm64 with README.md's device tree (build/arm64/virt-cmafw.dtb)
#              and cmafw.regions=boot1=4M (and steal=1M over the no-map
#              window-a, refused): the device tree's regions as the
#              module suite checks them (guest/devicetree-lib.sh), beside
#              the command line's, and the heap suite on a no-map region.
#   initfail   cmafw.test_init_fail= takes the name "cmafw" before the
#              framework starts.  sysfs: its first step fails, it does not
#              start, and the regions if (placed) and iffix (fixed),
#              reserved at boot, go back to the page allocator (MemTotal is
#              the baseline's).  configfs: its last step fails after the
#              regions are registered; it goes on without configfs, and
#              the regions serve drivers and their heaps.

G=${CMAFW_SELFTESTS:-/selftests}/cmafw/guest
# shellcheck source=SCRIPTDIR/../selftests/cmafw/guest/lib.sh
. "$G/lib.sh"
MODDIR=${CMAFW_MODULES:-/modules}
SYS=/sys/kernel/cmafw
CFS=/sys/kernel/config/cmafw
CMAADM=${CMAFW_TOOLS:-/tools}/cmaadm/cmaadm
MODE=$1

echo "TAP version 13"
section "built-in kernel, boot $MODE"
case $(uname -r) in
*-cmafw-builtin) ok "the guest runs the built-in kernel ($(uname -r))" ;;
*) not_ok "the guest runs the built-in kernel (got $(uname -r))" ;;
esac
if [ "$MODE ${2:-}" = "initfail sysfs" ]; then
	check_not "cmafw did not start" test -d "$SYS/regions"
else
	check "cmafw is up" test -d "$SYS/regions"
fi
check_not "and it is not a module" grep -q '^cmafw ' /proc/modules
check_not "no memmap= on the command line" grep -q memmap= /proc/cmdline
memtotal_kb=$(awk '$1 == "MemTotal:" { print $2 }' /proc/meminfo)

# lines PATTERN: how many kernel log lines match.
lines() {
	dmesg | grep -c -e "$1"
}
# regions: the registered regions' ids, one per line.
regions() {
	ls "$SYS/regions"
}

case $MODE in
malformed)
	expect_eq "one log line says where cmafw.regions is malformed" \
		"$(lines 'cmafw: regions: column')" 1
	echo "# $(dmesg_last 'cmafw: regions: column' | sed 's/^\[[^]]*\] //')"
	expect_eq "no region was registered" "$(regions | wc -l)" 0
	check_not "and none is in /proc/iomem" grep -q cmafw: /proc/iomem
	echo "# memtotal_kb $memtotal_kb"
	;;
refused)
	case $3 in
	empty) expect_eq "an empty cmafw.regions: one line, no region" \
		"$(lines "cmafw: regions: cmafw.regions= is empty: no boot region, not even the platform's")" 1 ;;
	twin) expect_eq "a name given twice: one line, and cmafw.regions is ignored" \
		"$(lines 'cmafw: regions: region twin is given twice; ignoring cmafw.regions')" 1 ;;
	lend) expect_eq "lend mode: one line, and cmafw.regions is ignored" \
		"$(lines 'cmafw: region ln: a boot region is RAM and cannot be in lend mode')" 1 ;;
	zero) expect_eq "a start of 0: one line, and cmafw.regions is ignored" \
		"$(lines 'cmafw: regions: column 8: a boot region cannot be fixed at 0; leave out @START to have it placed')" 1 ;;
	giveback)
		for r in gb gbfix; do
			expect_eq "$r: reserved at boot" \
				"$(lines "cmafw: region $r: reserved 0x[0-9a-f]*-0x[0-9a-f]* at boot")" 1
			expect_eq "$r: one line says why it was not registered" \
				"$(lines "cmafw: region $r: no allocator named \"bestfitt\"")" 1
			expect_eq "$r: one line says its memory was given back" \
				"$(lines "cmafw: region $r: not registered (-19); gave 0x[0-9a-f]*-0x[0-9a-f]* back to the page allocator")" 1
		done
		dmesg | grep 'cmafw: region gb' | sed 's/^\[[^]]*\] /# /'
		check_not "neither is in /proc/iomem" grep -q cmafw: /proc/iomem ;;
	esac
	expect_eq "no region was registered" "$(regions | wc -l)" 0
	expect_eq "nor any memory set aside: MemTotal is the baseline's" \
		"$memtotal_kb" "$2"
	;;
oversized)
	expect_eq "one log line says the 2 GiB region did not fit" \
		"$(lines 'cmafw: region huge: cannot reserve .*no free RAM.*booting without it')" 1
	expect_eq "one log line says the fixed region is not RAM" \
		"$(lines 'cmafw: region away: cannot reserve .* at 0x0*80000000: the range is not all RAM.*booting without it')" 1
	dmesg | grep 'cmafw: region \(huge\|away\)' | sed 's/^\[[^]]*\] /# /'
	expect_eq "only the region that fits is registered" "$(regions)" small
	expect_eq "and it is the boot's" "$(cat "$SYS/regions/small/origin")" boot
	;;
regions)
	base_kb=$2
	# Where a boot region sits in /proc/iomem: x86 has no line for
	# memblock's reservations, arm64 has "reserved" ones under System RAM.
	case $(uname -m) in
	aarch64) under='a "reserved" line in System RAM' parents=' : reserved| : System RAM' ;;
	*) under='System RAM' parents=' : System RAM' ;;
	esac
	# name size align [start]
	set -- "video 20971520 4096" "camera 20971520 4096" "common 5242880 4096" \
		"fixed 8388608 16777216 $3"
	total=0
	: >/tmp/ranges
	for r in "$@"; do
		# shellcheck disable=SC2086 # split "name size align [start]"
		set -- $r
		d=$SYS/regions/$1
		if [ ! -d "$d" ]; then
			not_ok "region $1 is registered"
			continue
		fi
		b=$(($(cat "$d/base")))
		expect_eq "$1: origin boot" "$(cat "$d/origin")" boot
		expect_eq "$1: size $2" "$(cat "$d/size")" "$2"
		expect_eq "$1: base $(hex "$b") aligned to $3" $((b % $3)) 0
		[ -z "$4" ] || expect_eq "$1: at the start asked, rounded up to its alignment" "$(hex "$b")" "$4"
		check "$1: below 4 GiB" test $((b + $2)) -le $((1 << 32))
		s=$(printf '%x' "$b") e=$(printf '%x' $((b + $2 - 1)))
		# Its line's parents, nearest first, are $parents.
		# shellcheck disable=SC2016 # an awk program
		check "$1: /proc/iomem has it right under $under" \
			awk -v want="$s-$e : cmafw:$1" -v parents="$parents" '
			{ d = match($0, /[^ ]/) - 1; l = substr($0, d + 1)
			  sub(/^0+/, "", l); at[d] = $0 }
			l == want { p = ""; for (i = d - 2; i >= 0; i -= 2) {
				x = at[i]; sub(/^ *[0-9a-f]+-[0-9a-f]+/, "", x); p = p "|" x }
			  if (substr(p, 2) == parents) found = 1 }
			END { exit !found }' /proc/iomem
		echo "$b $((b + $2))" >>/tmp/ranges
		total=$((total + $2))
	done
	priv=$(regions | grep '^private@')
	expect_eq "the self-test's private early region is registered" \
		"$(echo "$priv" | wc -w)" 1
	if [ -n "$priv" ]; then
		b=$(($(cat "$SYS/regions/$priv/base")))
		expect_eq "private region: origin boot" "$(cat "$SYS/regions/$priv/origin")" boot
		expect_eq "private region: 1 MiB aligned" $((b % 1048576)) 0
		echo "$b $((b + 4194304))" >>/tmp/ranges
		total=$((total + 4194304))
	fi
	expect_eq "the self-test allocated from it once the system was up" \
		"$(lines 'cmafw: boot test: private early region .*: ok$')" 1
	expect_eq "cmafw.test_early given twice: the second registration is refused" \
		"$(lines 'cmafw: region (private): already recorded as an early region')" 1
	expect_eq "and the self-test saw -EBUSY" "$(lines 'cmafw: boot test: FAILED')" 0
	dmesg_last 'cmafw: boot test' | sed 's/^\[[^]]*\] /# /'
	# shellcheck disable=SC2016 # an awk program
	check "no two boot regions overlap" awk '
		{ s[NR] = $1; e[NR] = $2 }
		END { for (i = 1; i <= NR; i++) for (j = i + 1; j <= NR; j++)
			if (s[i] < e[j] && s[j] < e[i]) exit 1 }' /tmp/ranges
	expect_eq "MemTotal shrank by exactly the regions' size ($total bytes)" \
		$(((base_kb - memtotal_kb) * 1024)) "$total"
	echo "# /proc/iomem, the lines that hold boot regions, and theirs:"
	# shellcheck disable=SC2016 # an awk program
	awk '{ d = match($0, /[^ ]/) - 1; at[d] = $0; said[d] = 0 }
	     / : cmafw:/ { for (i = 0; i < d; i += 2) if (!said[i]) {
			print at[i]; said[i] = 1 }
		print }' /proc/iomem | sed 's/^/#   /'

	section "allocation and the boot map"
	expect_eq "cmafw.map is the map" "$(cat "$CFS/map")" 'video,camera=video;*=common'
	expect_eq "a second cmafw.map= too long is ignored with one line, the first stands" \
		"$(lines 'cmafw: map: cmafw.map= needs a value of at most 255 characters; ignored')" 1
	load_test
	vb=$(hex "$(cat "$SYS/regions/video/base")")
	cb=$(hex "$(cat "$SYS/regions/common/base")")
	expect_eq "camera gets the video region's first chunk" "$(alloc camera - 1M 0)" "$vb"
	expect_eq "video gets the next one" "$(alloc video - 1M 0)" "$(hex $((vb + 1048576)))"
	expect_eq "any other device gets common" "$(alloc foo - 64K 0)" "$cb"
	check "/proc/iomem names the camera's chunk under its region" \
		chunk_has "$(printf '%x' "$vb")" "$(printf '%x' $((vb + 1048575)))" camera video
	expect_eq "sysfs counts two chunks in video" "$(cat "$SYS/regions/video/chunks")" 2
	expect_eq "a 19 MiB request no longer fits video" "$(alloc video - 19M 0)" "err -$ENOMEM"
	expect_eq "free the camera's chunk" "$(ctl free "$vb")" ok
	expect_eq "the hole is handed out again" "$(alloc video - 1M 0)" "$vb"
	for a in "$vb" "$(hex $((vb + 1048576)))" "$cb"; do ctl free "$a" >/dev/null; done
	expect_eq "all chunks freed" "$(cat "$SYS/regions/video/chunks")" 0

	section "configfs beside boot regions"
	expect_eq "configfs sets a new map over boot regions" \
		"$(wr "$CFS/map" 'camera=common;*=video')" ok
	expect_eq "camera is now served by common" "$(alloc camera - 4K 0)" "$cb"
	ctl free "$cb" >/dev/null
	mkdir "$CFS/regions/clash"
	wr "$CFS/regions/clash/size" 1M >/dev/null
	wr "$CFS/regions/clash/start" "$vb" >/dev/null
	expect_eq "a configfs region over a boot region is refused" \
		"$(wr "$CFS/regions/clash/active" 1)" "$EADDRINUSE_T"
	rmdir "$CFS/regions/clash"
	expect_eq "configfs cannot take the video region away" "$(regions | grep -c '^video$')" 1

	section "cmaadm"
	out=$("$CMAADM" region list 2>&1)
	echo "$out" | sed 's/^/#   /'
	echo "$out" >/tmp/cmaadm.out
	for n in video camera common fixed; do
		check "cmaadm lists $n with origin boot" \
			grep -Eq "^${n}[[:space:]].*boot" /tmp/cmaadm.out
	done

	# This kernel has dma-buf (CMAFW selects it) but no memory
	# hot-remove, so CONFIG_CMAFW_LEND is off.
	section "dma-buf heap and lend mode, built in"
	heaptest=$CMAFW_SELFTESTS/cmafw/heap/heaptest
	check "the video region has /dev/dma_heap/cmafw-video" test -c /dev/dma_heap/cmafw-video
	n0=$(cat "$SYS/regions/video/alloc_success")
	expect_eq "heaptest allocates 1 MiB from it" \
		"$("$heaptest" alloc /dev/dma_heap/cmafw-video 1048576 2>&1)" ok
	expect_eq "video counts that allocation" \
		"$(cat "$SYS/regions/video/alloc_success")" $((n0 + 1))
	expect_eq "and its chunk is freed with the buffer" \
		"$(cat "$SYS/regions/video/chunks")" 0
	# A boot region is RAM, with struct pages and the direct map: the
	# whole uAPI suite on it, the test module importing for DMA.
	heaptest_run suite /dev/dma_heap/cmafw-video 20971520
	expect_eq "sysfs mode of a boot region is carve" "$(cat "$SYS/regions/video/mode")" carve
	mkdir "$CFS/regions/ln"
	wr "$CFS/regions/ln/size" 128M >/dev/null
	wr "$CFS/regions/ln/start" 0x40000000 >/dev/null
	expect_eq "configfs takes mode lend" "$(wr "$CFS/regions/ln/mode" lend)" ok
	expect_eq "activating it: EOPNOTSUPP, lend mode is not built" \
		"$(wr "$CFS/regions/ln/active" 1)" "Operation not supported"
	expect_eq "one log line says so" \
		"$(lines 'cmafw: lend mode is not built in (CONFIG_CMAFW_LEND is off)')" 1
	check_not "and no region ln exists" test -e "$SYS/regions/ln"
	rmdir "$CFS/regions/ln"
	;;
devicetree)
	# shellcheck source=SCRIPTDIR/../selftests/cmafw/guest/devicetree-lib.sh
	. "$G/devicetree-lib.sh"
	load_test
	check "cmafw_test loads beside the built-in cmafw" test -e "$CTL"
	dt_region_checks
	expect_eq "the command line's region came up too" \
		"$(cat "$SYS/regions/boot1/origin")" boot
	expect_eq "a boot region over firmware's no-map window-a: one line" \
		"$(lines 'cmafw: region steal: cannot reserve 1048576 bytes at 0x0*68000000: part of the range is already reserved (-16); booting without it')" 1
	check_not "and it is not registered" test -e "$SYS/regions/steal"
	check_not "nor in /proc/iomem" grep -q 'cmafw:steal' /proc/iomem
	b=$(printf '%x' "$(($(cat "$SYS/regions/boot1/base")))")
	expect_eq "and nests under the 'reserved' line of its memblock range" \
		"$(parent_of "$b")" reserved
	# common: 16 MiB outside the direct map, write-combined on arm64.
	heaptest_run suite /dev/dma_heap/cmafw-common 16777216
	;;
initfail)
	expect_eq "the test took \"cmafw\" in $2 first" \
		"$(lines "cmafw: boot test: \"cmafw\" taken in $2 before the framework starts")" 1
	for r in if iffix; do
		expect_eq "$r: reserved at boot" \
			"$(lines "cmafw: region $r: reserved 0x[0-9a-f]*-0x[0-9a-f]* at boot")" 1
	done
	dmesg | grep 'cmafw: \(cannot\|region if\)' | sed 's/^\[[^]]*\] /# /'
	case $2 in
	sysfs)
		expect_eq "one line says the framework cannot start" \
			"$(lines 'cmafw: cannot start: -12; the regions reserved at boot go back$')" 1
		for r in if iffix; do
			expect_eq "$r: one line says its memory was given back" \
				"$(lines "cmafw: region $r: not registered (-12); gave 0x[0-9a-f]*-0x[0-9a-f]* back to the page allocator")" 1
		done
		check_not "no region is in /proc/iomem" grep -q cmafw: /proc/iomem
		check_not "no heap node exists" sh -c 'ls /dev/dma_heap 2>/dev/null | grep -q cmafw'
		expect_eq "nor any memory set aside: MemTotal is the baseline's" \
			"$memtotal_kb" "$3"
		;;
	configfs)
		expect_eq "one line says it goes on without configfs" \
			"$(lines 'cmafw: cannot register in configfs: -17; going on without it$')" 1
		expect_eq "and none says it cannot start" "$(lines 'cmafw: cannot start')" 0
		expect_eq "both regions are registered" "$(regions | tr '\n' ' ')" "if iffix "
		check "both are in /proc/iomem" sh -c \
			'grep -q "cmafw:if\$" /proc/iomem && grep -q "cmafw:iffix\$" /proc/iomem'
		load_test
		b=$(hex "$(cat "$SYS/regions/iffix/base")")
		expect_eq "a driver gets iffix's first chunk through cmafw.map" \
			"$(alloc cam - 1M 0)" "$b"
		expect_eq "and frees it" "$(ctl free "$b")" ok
		heaptest=$CMAFW_SELFTESTS/cmafw/heap/heaptest
		expect_eq "if's heap serves a buffer" \
			"$("$heaptest" alloc /dev/dma_heap/cmafw-if 1048576 2>&1)" ok
		;;
	esac
	;;
*)
	not_ok "unknown mode '$MODE'"
	;;
esac
echo "1..$T_NUM"
[ "$T_FAILED" -eq 0 ]
