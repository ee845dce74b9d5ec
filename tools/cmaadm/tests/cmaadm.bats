#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# cmaadm against the real module, inside the QEMU guest; see helpers.bash.
# CMAADM_SHELL picks the interpreter the tool runs under (sh: busybox ash;
# bash).  Every test starts and ends with no regions, chunks or map.
# Tests are few and dense: under emulation each bats test costs a second.

load helpers

setup_file() {
	if in_guest; then
		load_modules
	fi
}

setup() {
	in_guest || skip "runs in the cmafw QEMU guest only (scripts/guest-run.sh)"
	load_modules
}

teardown() {
	in_guest || return 0
	cleanup
}

@test "help for every command; usage errors exit 2" {
	# One shell for the loop: a bats run per command costs a fork of bash.
	# shellcheck disable=SC2016 # expanded by that shell
	run $CMAADM_SHELL -c '
		for c in "" region "region add" "region rm" "region list" \
			"region show" map "map get" "map set" "map check" status \
			chunks heaps allocators dump apply; do
			out=$('"$CMAADM_SHELL $CMAADM"' $c --help) || { echo "$c: status $?"; exit 1; }
			case $out in "usage: cmaadm"*) ;; *) echo "$c: $out"; exit 1 ;; esac
		done'
	expect_status 0
	run cmaadm help region add
	expect_status 0
	expect_in "--start ADDR"
	run cmaadm
	expect_status 2
	expect_in "expected a command" "cmaadm --help"
	run cmaadm frobnicate
	expect_status 2
	expect_in "unknown command 'frobnicate'"
	run cmaadm region add
	expect_status 2
	expect_in "expected a NAME" "cmaadm region add --help"
	run cmaadm region add x --size
	expect_status 2
	expect_in "option --size needs a value"
	run cmaadm chunks a b
	expect_status 2
}

@test "region add: plain, aligned with an allocator, inactive" {
	run cmaadm region add video --size 20M --start 0x20000000
	expect_status 0
	expect_in "region 'video' added: 20M at 0x20000000-0x213fffff, allocator bitmap"
	expect_eq "$(cat "$SYS"/regions/video/origin)" configfs
	grep -qx '  20000000-213fffff : cmafw:video' /proc/iomem
	run cmaadm region add cam --size=16M --start=0x21400000 --align 1M --allocator bestfit
	expect_status 0
	expect_in "allocator bestfit"
	expect_eq "$(cat "$SYS"/regions/cam/allocator) $(cat "$CFS"/regions/cam/alignment)" "bestfit 1048576"
	run cmaadm region add staged --size 4M --start 0x30000000 --inactive
	expect_status 0
	expect_in "described (inactive)"
	expect_eq "$(cat "$CFS"/regions/staged/active)" 0
	[ ! -e "$SYS"/regions/staged ]
}

@test "region add refuses bad values before touching configfs (exit 2)" {
	run cmaadm region add video --size 20M
	expect_status 2
	expect_in "--start is required" "does not place regions by itself"
	for s in 0 5000 1Q 0x 99999999999999999999; do
		run cmaadm region add video --size "$s" --start 0x20000000
		expect_status 2
		expect_in "size"
	done
	for n in 'a,b' 'r#1' 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'; do
		run cmaadm region add "$n" --size 1M --start 0x20000000
		expect_status 2
		expect_in "invalid region name"
	done
	run cmaadm region add v --size 1M --start 0x20000800
	expect_status 2
	expect_in "not page aligned"
	run cmaadm region add v --size 1M --start 0x20000000 --align 3M
	expect_status 2
	expect_in "invalid alignment"
	run cmaadm region add v --size 1M --start 0x20080000 --align 1M
	expect_status 2
	expect_in "not aligned to the alignment 1M"
	[ -z "$(ls "$CFS"/regions)" ]
}

@test "region add: the kernel's refusals in words, rolled back (exit 1)" {
	cmaadm region add video --size 20M --start 0x20000000
	run cmaadm region add video --size 4M --start 0x30000000
	expect_status 1
	expect_in "region 'video' already exists in configfs"
	ctl register drv drv 0x30000000 1M 0 -
	run cmaadm region add drv --size 1M --start 0x31000000
	expect_status 1
	expect_in "region 'drv' already exists: it is registered by a driver"
	run cmaadm region add other --size 4M --start 0x21000000
	expect_status 1
	expect_in "cannot add region 'other'" \
		"overlaps region video (0x20000000-0x213fffff)" "nothing was changed"
	run cmaadm region add ram --size 1M --start "${CMAFW_SYSRAM:-0x08000000}"
	expect_status 1
	expect_in "System RAM" "(kernel: region ram: "
	# A board's kernel log has usually wrapped: it keeps a fixed number
	# of lines, new ones pushing the oldest out.  The kernel's reason
	# still comes, found by its timestamp (a count of lines stays put).
	# The wrapper below keeps 50 lines; busybox sh runs its own dmesg
	# whatever PATH says, so the pass under bash is the one it tests.
	mkdir -p "$BATS_TMPDIR/wrapped"
	printf '#!/bin/sh\n%s "$@" | tail -n 50\n' "$(command -v dmesg)" \
		>"$BATS_TMPDIR/wrapped/dmesg"
	chmod +x "$BATS_TMPDIR/wrapped/dmesg"
	PATH=$BATS_TMPDIR/wrapped:$PATH run cmaadm region add ram --size 1M \
		--start "${CMAFW_SYSRAM:-0x08000000}"
	expect_status 1
	expect_in "System RAM" "(kernel: region ram: "
	run cmaadm region add v --size 1M --start 0x22000000 --allocator nosuch
	expect_status 1
	expect_in "no allocator named 'nosuch'" "bitmap"
	expect_eq "$(ls "$CFS"/regions)" video
}

@test "region rm: removes, refuses busy regions and others' regions" {
	cmaadm region add video --size 20M --start 0x20000000
	cmaadm region add staged --size 4M --start 0x22000000 --inactive
	run cmaadm region rm staged
	expect_status 0
	expect_in "region 'staged' removed"
	no_region staged
	ctl map 'video,camera=video'
	alloc video - 1M
	alloc video - 1M
	c=$(alloc camera a 2M)
	run cmaadm region rm video
	expect_status 1
	expect_in "region 'video' still has 3 chunks" "video 2M" "camera/a 2M"
	expect_eq "$(cat "$CFS"/regions/video/active)" 1
	for a in $(chunk_addrs); do ctl free "$a"; done
	run cmaadm region rm video
	expect_status 0
	no_region video
	ctl register drv drv 0x30000000 1M 0 -
	run cmaadm region rm drv
	expect_status 1
	expect_in "region 'drv' was registered by a driver; configfs cannot remove it"
	ctl register p1 - 0x30200000 1M 0 -
	run cmaadm region rm private@30200000
	expect_status 1
	expect_in "configfs cannot remove it"
	run cmaadm region rm nosuch
	expect_status 1
	expect_in "no region named 'nosuch'"
}

@test "region list and show, as tables and JSON" {
	cmaadm region add video --size 20M --start 0x20000000 --allocator bestfit
	cmaadm region add staged --size 4M --start 0x22000000 --inactive
	ctl register drv drv 0x30000000 1M 0 -
	ctl register p1 - 0x30200000 1M 0 -
	ctl map 'video=video'
	alloc video - 6M
	run cmaadm region list
	expect_status 0
	[[ $output =~ video\ +configfs\ +active\ +0x20000000-0x213fffff\ +20M\ +0\ +bestfit\ +carve ]]
	[[ $output =~ staged\ +configfs\ +inactive ]]
	[[ $output =~ drv\ +driver\ +active\ +0x30000000-0x300fffff\ +1M ]]
	[[ $output =~ private@30200000\ +private ]]
	output=$(cmaadm --json region list)
	json_ok "$output"
	expect_in '{"name":"video","origin":"configfs","active":true,"start":"0x20000000","end":"0x213fffff","size":20971520,"alignment":0,"allocator":"bestfit","mode":"carve","chunks":1,"used":6291456,"lent":null,"leaving":false,"offline":null}'
	run cmaadm region show video
	expect_status 0
	expect_in "origin:        configfs" "range:         0x20000000-0x213fffff" \
		"mode:          carve (the kernel never uses the memory)" \
		"used:          6M (6291456 bytes, 30%)" "largest free:  14M" \
		"owners:        video" "map rules:     video=video"
	output=$(cmaadm region show video --json)
	json_ok "$output"
	expect_in '"owners":[{"owner":"video","bytes":6291456,"chunks":1}]' \
		'"allocator":"bestfit","mode":"carve","lent":null,'
	run cmaadm region show drv
	expect_in "driver (configfs cannot change it)"
	run cmaadm region show nosuch
	expect_status 1
	expect_in "no region named 'nosuch'"
}

@test "region show --layout: the real chunks as a strip, with a legend" {
	cmaadm region add cam --size 16M --start 0x20000000 --allocator segfit
	ctl map 'camera=cam;video=cam'
	alloc camera - 1M
	# segfit: 2 MiB and more at the top of the hole.
	[ "$(alloc video - 6M)" = 0x20a00000 ]
	run cmaadm region show cam --layout
	expect_status 0
	local strip
	strip="|AAAA$(printf '%36s' '' | tr ' ' .)$(printf '%24s' '' | tr ' ' B)|"
	expect_in "$strip" "256K per column, allocator segfit" \
		"A  camera" "B  video" "0x20000000"
	output=$(cmaadm --json region show cam --layout)
	json_ok "$output"
	expect_in '"columns":64,"bytes_per_column":262144' \
		'{"letter":"B","owner":"video","bytes":6291456,"chunks":1}'
}

@test "map set and get; invalid maps refused in the kernel's own words" {
	cmaadm region add video --size 4M --start 0x20000000
	run cmaadm map set 'video,camera=video,common;*=common'
	expect_status 0
	expect_in "   1  video,camera=video,common" "   2  *=common" \
		"not registered: common"
	run cmaadm map get
	expect_eq "$output" 'video,camera=video,common;*=common'
	expect_eq "$(cat "$CFS"/map)" 'video,camera=video,common;*=common'
	output=$(cmaadm --json map get)
	json_ok "$output"
	expect_eq "$output" '{"map":"video,camera=video,common;*=common","rules":[{"text":"video,camera=video,common","patterns":["video","camera"],"regions":["video","common"]},{"text":"*=common","patterns":["*"],"regions":["common"]}]}'
	mine='' n=0
	for bad in '=r' 'a=r,,s' 'a*b=r' 'a/b/c=r' 'a b=r' "$(printf 'a=b\001')"; do
		run cmaadm map set "$bad"
		expect_status 2
		l=${output#*invalid map: }
		mine+="map: ${l%%$'\n'*}"$'\n'
		# The kernel's verdict on the same text, written directly: refused
		# (a bare "! cmd" cannot fail a bats test).
		if printf '%s' "$bad" >"$CFS"/map 2>/dev/null; then
			echo "the kernel took the map '$bad'"
			return 1
		fi
		n=$((n + 1))
	done
	expect_eq "$mine" "$(dmesg | grep 'cmafw: map: column' | tail -n $n | sed 's/.*cmafw: //')"$'\n'
	expect_eq "$(cat "$CFS"/map)" 'video,camera=video,common;*=common'
	long=$(printf 'd=r;%.0s' {1..1022})
	run cmaadm map set "${long}d=rrr;"
	expect_status 0
	expect_eq "$(wc -c <"$CFS"/map)" 4095
	run cmaadm map set "${long}d=rrrr;"
	expect_status 2
	expect_in "4095 bytes long: configfs takes at most 4094"
	run cmaadm map set ''
	expect_status 0
	expect_in "map cleared"
	expect_eq "$(cat "$CFS"/map)" ""
}

@test "map check serves devices as the kernel does, and names the regions" {
	i=0
	for r in r1 r2 r3; do
		ctl register "$r" "$r" "$(printf '0x%x' $((0x20000000 + i * 0x100000)))" 1M 0 - >/dev/null
		i=$((i + 1))
	done
	# check_map MAP QUERY...: the first region cmaadm names for each
	# query is the one the kernel serves it from (all regions are empty).
	check_map() {
		local map=$1 l mine=
		shift
		ctl map "$map" >/dev/null
		run cmaadm map check "$map" "$@"
		expect_status 0 || return 1
		while IFS= read -r l; do
			case $l in
			*": no rule matches"*) mine+="${l%%: *} err -2"$'\n' ;;
			*": rule "*) l2=${l##*: }; mine+="${l%%: *} ${l2%% (*}"$'\n' ;;
			esac
		done <<<"$output"
		expect_eq "$map:"$'\n'"$mine" "$map:"$'\n'"$(sh "$TESTS_DIR/served.sh" "$@")"$'\n'
	}
	check_map 'foo/quaz=r1;foo/*=r2;/*=r2;bar=r1,r2;baz?/a,baz?/b=r3' \
		foo/quaz foo foo/other bar baz1/a bazz/b baz1/c baz12/a qux
	check_map 'foo/quaz=r1;/*=r2' foo/x foo/quaz bar/x
	check_map '/x=r1;fo*=r2;/y=r3;*=r3,r1' foo/y fo bar/x
	cmaadm region add video --size 4M --start 0x21000000
	cmaadm region add staged --size 4M --start 0x22000000 --inactive
	run cmaadm map check 'video,camera=video,staged,common;foo/quaz=r1;/*=video;*=common' \
		camera/preview foo radio
	expect_status 0
	expect_in "map is valid; rules:" "   3  /*=video" \
		"camera/preview: rule 1, pattern 'camera': video (exists), staged (inactive), common (missing)" \
		"foo: rule 3, pattern '/*', device matched earlier by 'foo/quaz': video (exists)" \
		"radio: rule 4, pattern '*': common (missing)"
	run cmaadm map check 'a=b;c'
	expect_status 2
	expect_in "column 6: expected '/', ',' or '=' after the device pattern, found the end"
}

@test "status, chunks and allocators: tables and JSON" {
	cmaadm region add video --size 24M --start 0x20000000
	cmaadm region add common --size 8M --start 0x30000000 --allocator bestfit
	ctl map 'video,camera=video,common;*=common'
	alloc video - 6M
	alloc camera - 6M
	alloc video - 6M
	alloc camera preview 4M
	alloc camera preview 4M
	alloc radio - 64K
	alloc radio - 64K
	alloc 'we"ird\dev' - 4K
	run cmaadm status
	expect_status 0
	show_tap "$output"
	# camera/preview: 4M still fits video, the second goes to common.
	[[ $output =~ video\ +configfs\ +24M\ +22M\ +2M\ +2M\ +4\ +\[##################\.\.\]\ +92% ]]
	[[ $output =~ common\ +configfs\ +8M\ +4.1M\ +3.8M\ +3.8M\ +4 ]]
	[[ $output =~ video\ +2\ +12M\ +video ]]
	[[ $output =~ camera\ +1\ +6M\ +video ]]
	[[ $output =~ camera/preview\ +2\ +8M\ +video,common ]]
	[[ $output =~ radio\ +2\ +128K\ +common ]]
	expect_in "map: video,camera=video,common;*=common"
	output=$(cmaadm --json status)
	json_ok "$output"
	expect_in '"owner":"camera/preview","bytes":8388608,"chunks":2' '"owner":"we\"ird\\dev"'
	run cmaadm chunks
	expect_status 0
	show_tap "$output"
	[[ $output =~ video\ +0x20000000\ +0x205fffff\ +6M\ +video ]]
	[[ $output =~ common\ +0x30400000\ +0x3040ffff\ +64K\ +radio ]]
	run cmaadm chunks common
	expect_status 0
	expect_not_in "0x205fffff"
	expect_in "camera/preview" "radio"
	output=$(cmaadm chunks --json)
	json_ok "$output"
	expect_in '"region":"video","start":"0x20000000","end":"0x205fffff","size":6291456,"owner":"video"'
	run cmaadm chunks nosuch
	expect_status 1
	# A description in configfs that is not active uses no allocator.
	cmaadm region add idle --size 4M --start 0x31000000 --allocator segfit --inactive
	run cmaadm allocators
	expect_status 0
	[[ $output =~ bitmap\ +1 ]]
	[[ $output =~ bestfit\ +1 ]]
	output=$(cmaadm --json allocators)
	expect_eq "$output" '{"allocators":[{"name":"bitmap","regions":1},{"name":"bestfit","regions":1},{"name":"segfit","regions":0},{"name":"whole","regions":0}]}'
	for c in "region show common" "region list" dump "map get"; do
		# shellcheck disable=SC2086
		json_ok "$(cmaadm --json $c)"
	done
}

@test "a user who is not root: totals instead of addresses, exit 4 for changes" {
	command -v su >/dev/null || skip "no su in the guest"
	cmaadm region add video --size 20M --start 0x20000000
	ctl map 'video=video'
	alloc video - 6M
	run su -s /bin/sh user -c "$CMAADM_SHELL $CMAADM chunks"
	expect_status 0
	expect_in "root only" "video" "6M"
	# The region's address is root's: shown as unknown, never as 0x0.
	run su -s /bin/sh user -c "$CMAADM_SHELL $CMAADM region list"
	expect_status 0
	expect_in "video"
	case $output in *0x0-* | *0x20000000*) false ;; esac
	run su -s /bin/sh user -c "$CMAADM_SHELL $CMAADM --json region show video"
	expect_status 0
	expect_in '"start":null,"end":null'
	run su -s /bin/sh user -c "$CMAADM_SHELL $CMAADM dump"
	expect_status 4
	expect_in "permission denied: run cmaadm as root"
	run su -s /bin/sh user -c "$CMAADM_SHELL $CMAADM region add x --size 1M --start 0x30000000"
	expect_status 4
	expect_in "permission denied: run cmaadm as root"
	no_region x
	# apply, which the user can read the file for, but not carry out.
	f=$(mktemp /tmp/cmaadm-user.XXXXXX)
	printf 'region x size=1M start=0x30000000\n' >"$f"
	chmod 644 "$f"
	run su -s /bin/sh user -c "$CMAADM_SHELL $CMAADM apply $f"
	rm -f "$f"
	expect_status 4
	expect_in "permission denied: run cmaadm as root"
	no_region x
	# A driver's region, and an inactive configfs description of the same
	# name: the user may not remove the description either (exit 4); root
	# may, and the driver's region stays.
	ctl register drv drv 0x30000000 1M 0 -
	mkdir "$CFS/regions/drv"
	run su -s /bin/sh user -c "$CMAADM_SHELL $CMAADM region rm drv"
	expect_status 4
	expect_in "cannot remove the inactive configfs description 'drv': permission denied: run cmaadm as root"
	run cmaadm region rm drv
	expect_status 0
	expect_in "removed the inactive configfs description 'drv'; region 'drv' itself was registered by a driver and stays"
	[ ! -e "$CFS/regions/drv" ] && [ -d "$SYS/regions/drv" ]
}

@test "heaps and status: a process's heap buffers" {
	local ht=${CMAFW_SELFTESTS:-/selftests}/cmafw/heap/heaptest pid
	[ -x "$ht" ] || skip "no heaptest in the guest"
	run cmaadm heaps
	expect_status 0
	expect_eq "$output" "no heaps"
	cmaadm region add cam --size 4M --start 0x20000000
	"$ht" hold /dev/dma_heap/cmafw-cam 614400 >"$BATS_TEST_TMPDIR/hold" 3>&- &
	pid=$!
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		grep -qs held "$BATS_TEST_TMPDIR/hold" && break
		sleep 0.2
	done
	run cmaadm heaps
	expect_status 0
	expect_in "HEAP" "/dev/dma_heap/cmafw-cam  cam           1    600K"
	run cmaadm status
	expect_in "heap buffers by process:" "heaptest[$pid]        1    600K  cam"
	run cmaadm --json heaps
	json_ok "$output"
	expect_in '{"node":"/dev/dma_heap/cmafw-cam","region":"cam","buffers":1,"bytes":614400}'
	kill "$pid"
	wait "$pid" || true
	run cmaadm heaps
	expect_in "/dev/dma_heap/cmafw-cam  cam           0       0"
}

@test "dump, then apply restores it; applying again changes nothing" {
	cmaadm region add video --size 20M --start 0x20000000
	cmaadm region add cam --size 16M --start 0x21400000 --align 1M --allocator bestfit
	cmaadm region add spare --size 8M --start 0x30000000 --inactive
	ctl register drv drv 0x31000000 1M 0 -
	cmaadm map set 'video=video;camera=cam,video;*=video'
	run cmaadm dump
	expect_status 0
	expect_in "cmaadm-config 1" \
		"region cam size=16M start=0x21400000 align=1M allocator=bestfit mode=carve active=1" \
		"region spare size=8M start=0x30000000 align=0 allocator=bitmap mode=carve active=0" \
		"# not managed by configfs: region drv (driver), 1M at 0x31000000" \
		"map video=video;camera=cam,video;*=video"
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/saved"
	json_ok "$(cmaadm --json dump)"
	cleanup
	ctl register drv drv 0x31000000 1M 0 -
	run cmaadm apply "$BATS_TEST_TMPDIR/saved"
	expect_status 0
	expect_in "region cam: created (16M at 0x21400000, align 1M, allocator bestfit)" \
		"region spare: created (8M at 0x30000000, allocator bitmap, inactive)" \
		"region video: created" "map: set to 'video=video;camera=cam,video;*=video'" \
		"apply: 3 created, 0 changed, 0 removed, 0 unchanged; map changed"
	expect_eq "$(cat "$SYS"/regions/cam/allocator)" bestfit
	expect_eq "$(cmaadm dump)" "$(cat "$BATS_TEST_TMPDIR/saved")"
	run sh -c "$CMAADM_SHELL $CMAADM apply - <'$BATS_TEST_TMPDIR/saved'"
	expect_status 0
	expect_in "region video: unchanged" "map: unchanged" "apply: nothing to change"
}

@test "names that start with a dot: listed, counted, dumped, applied, pruned" {
	cmaadm region add .cam --size 4M --start 0x20000000 --allocator segfit
	cmaadm region add ..x --size 1M --start 0x21000000 --inactive
	cmaadm region add video --size 4M --start 0x22000000
	ctl map '.cam=.cam'
	alloc .cam - 1M
	run cmaadm region list
	expect_status 0
	[[ $output =~ \.cam\ +configfs\ +active\ +0x20000000-0x203fffff\ +4M\ +0\ +segfit ]]
	[[ $output =~ \.\.x\ +configfs\ +inactive ]]
	run cmaadm status
	expect_status 0
	[[ $output =~ \.cam\ +configfs\ +4M\ +1M ]]
	run cmaadm allocators
	[[ $output =~ segfit\ +1 ]]
	run cmaadm dump
	expect_status 0
	expect_in "region .cam size=4M start=0x20000000 align=0 allocator=segfit mode=carve active=1" \
		"region ..x size=1M start=0x21000000 align=0 allocator=bitmap mode=carve active=0"
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/saved"
	cleanup
	run cmaadm apply "$BATS_TEST_TMPDIR/saved"
	expect_status 0
	expect_in "apply: 3 created, 0 changed, 0 removed, 0 unchanged"
	expect_eq "$(cmaadm dump)" "$(cat "$BATS_TEST_TMPDIR/saved")"
	printf '%s\n' 'region video size=4M start=0x22000000' >"$BATS_TEST_TMPDIR/f"
	run cmaadm apply --prune "$BATS_TEST_TMPDIR/f"
	expect_status 0
	expect_in "region .cam: removed" "region ..x: removed"
	no_region .cam
	no_region ..x
}

@test "apply changes idle regions, prunes on request, rolls back on failure" {
	cmaadm region add video --size 20M --start 0x20000000
	cmaadm region add cam --size 4M --start 0x21400000
	cmaadm region add x --size 1M --start 0x22000000
	f=$BATS_TEST_TMPDIR/f
	printf '%s\n' 'region video size=16M start=0x20000000' \
		'region cam size=4M start=0x21400000 allocator=bitmap' \
		'region new size=1M start=0x30000000 active=0' >"$f"
	run cmaadm apply --dry-run --prune "$f"
	expect_status 0
	expect_in "region x: would be removed" "region new: would be created" "(dry run)"
	[ -e "$SYS"/regions/x ]
	[ ! -e "$CFS"/regions/new ]
	expect_eq "$(cat "$SYS"/regions/video/size)" 20971520
	run cmaadm apply "$f"
	expect_status 0
	expect_in "region video: changed: size 20M -> 16M" "region cam: unchanged" \
		"region new: created" "region x: kept (not in" "map: not in" \
		"1 created, 1 changed, 0 removed, 1 unchanged"
	expect_eq "$(cat "$SYS"/regions/video/size) $(cat "$CFS"/regions/new/active)" "16777216 0"
	run cmaadm apply --prune "$f"
	expect_status 0
	expect_in "region x: removed"
	no_region x
	# The kernel refuses the last region: everything is undone.
	printf '%s\n' 'region a size=1M start=0x22000000' \
		'region video size=8M start=0x20000000' \
		"region ram size=1M start=${CMAFW_SYSRAM:-0x08000000}" 'map a=a' >"$f"
	run cmaadm apply "$f"
	expect_status 1
	expect_in "cannot register region 'ram'" "System RAM" "rolled back"
	no_region a
	no_region ram
	expect_eq "$(cat "$SYS"/regions/video/size)" 16777216
	expect_eq "$(cat "$CFS"/map)" ""
}

@test "apply refuses, changing nothing: chunks, others' regions, bad files" {
	cmaadm region add video --size 20M --start 0x20000000
	ctl map 'video=video'
	alloc video - 1M
	ctl register drv drv 0x30000000 1M 0 -
	f=$BATS_TEST_TMPDIR/f
	printf '%s\n' 'region video size=16M start=0x20000000' \
		'region new size=1M start=0x22000000' 'map *=video' >"$f"
	run cmaadm apply "$f"
	expect_status 1
	expect_in "nothing was changed" \
		"region 'video' still has 1 chunk (video 1M): cannot change it (size 20M -> 16M)"
	no_region new
	expect_eq "$(cat "$CFS"/map)" 'video=video'
	printf 'region drv size=1M start=0x31000000\nregion w size=1M start=0x30000000\n' >"$f"
	run cmaadm apply "$f"
	expect_status 1
	expect_in "region 'drv' is registered by a driver; configfs cannot manage it" \
		"region 'w' (0x30000000-0x300fffff) would overlap region 'drv'"
	check_bad() {
		printf '%s\n' "$@" >"$f"
		run cmaadm apply "$f"
		expect_status 2 && expect_in "$f:"
	}
	check_bad 'cmaadm-config 2'
	check_bad '# c' 'region a size=1M'
	check_bad 'region a size=1M start=0x22000000 colour=red'
	check_bad 'region a size=1M start=0x22000000 mode=borrow'
	check_bad 'region a size=1M start=0x22000000' 'region a size=1M start=0x23000000'
	check_bad 'region a size=2M start=0x22000000' 'region b size=1M start=0x22100000'
	check_bad 'map a=b' 'map c=d'
	check_bad 'region a size=1M start=0x22000000' 'map a='
	expect_in "invalid map: column 3"
	no_region a
}

@test "no module, no configfs, parameter regions: words and exit status 3" {
	unload_modules
	for c in status "region list" chunks dump "map set a=b" \
		"region add x --size 1M --start 0x20000000"; do
		# shellcheck disable=SC2086
		run cmaadm $c
		expect_status 3
		expect_in "cmafw is not loaded: modprobe cmafw"
	done
	run cmaadm map check 'video=video' video
	expect_status 0
	expect_in "cannot tell which regions exist" "video: rule 1, pattern 'video': video"
	load_modules 'regions=p=1M@0x30000000'
	run cmaadm region rm p
	expect_status 1
	expect_in "region 'p' was registered by the module's regions= parameter; configfs cannot remove it"
	umount /sys/kernel/config
	run cmaadm map get
	mount -t configfs configfs /sys/kernel/config
	expect_status 3
	expect_in "configfs is not mounted: mount -t configfs"
	unload_modules
	load_modules
}

@test "region add --mode lend: the kernel uses it; status shows the lend table" {
	# the guest's lend window (x86: memmap=; arm64: past mem=)
	local w=${CMAFW_LEND_WIN:-0x40000000} e
	e=$(printf '0x%08x' $((w + 0x7ffffff)))
	run cmaadm region add lz --size 100M --start "$w" --mode lend
	expect_status 1
	expect_in "cannot add region 'lz'" "128 MiB" "nothing was changed"
	run cmaadm region add lz --size 128M --start "$w" --mode lend
	expect_status 0
	expect_in "region 'lz' added: 128M at $w-$e, allocator bitmap, lent to the kernel while idle"
	expect_eq "$(cat "$SYS"/regions/lz/mode)" lend
	echo 'camera=lz' >"$CFS/map"
	a=$(alloc camera - 4M)
	run cmaadm status
	expect_status 0
	expect_in "LEND REGION" "P99"
	[[ "$output" =~ lz\ +124M\ +1\ +0\  ]] || { echo "$output"; false; }
	# list and show say lend, and show how much is lent now.
	run cmaadm region list
	[[ "$output" =~ lz\ +configfs\ +active\ +$w-$e\ +128M\ +0\ +bitmap\ +lend ]] ||
		{ echo "$output"; false; }
	run cmaadm region show lz
	expect_in "mode:          lend (idle memory serves the page allocator; 124M lent now)"
	output=$(cmaadm --json region show lz)
	json_ok "$output"
	expect_in '"mode":"lend","lent":130023424,"leaving":false,"offline":0,'
	output=$(cmaadm --json status)
	json_ok "$output"
	expect_in '"lent":130023424,"leaving":false,"offline":0,"reclaim":{"count":1,"failures":0,'
	run cmaadm chunks lz
	expect_in "$a" "camera"
	ctl free "$a" >/dev/null
	# dump keeps the mode, and apply brings the region back lent.
	run cmaadm dump
	expect_in "region lz size=128M start=$w align=0 allocator=bitmap mode=lend active=1"
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/saved"
	run cmaadm region rm lz
	expect_status 0
	run grep -c 'cmafw:lz' /proc/iomem
	expect_eq "$output" 0
	run cmaadm apply "$BATS_TEST_TMPDIR/saved"
	expect_status 0
	expect_in "region lz: created (128M at $w, allocator bitmap, lend)"
	expect_eq "$(cat "$SYS"/regions/lz/mode) $(cat "$SYS"/regions/lz/lent)" "lend 134217728"
	run cmaadm region rm lz
	expect_status 0
}
