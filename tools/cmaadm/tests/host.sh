#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Host-side checks of cmaadm, no root and no module needed (the guest suite
# is cmaadm.bats).  Prints TAP.
#
#  - shellcheck -s sh of the tool (and the test scripts);
#  - the read-only commands against a fake sysfs/configfs/iomem tree, under
#    busybox sh with busybox's applets, under dash and under bash with the
#    host's: the same output, and JSON that python3 and json-check.awk accept;
#  - json-check.awk agrees with python3 on valid and invalid texts;
#  - map-diff.sh: the map grammar against kernel/map.c (needs cc);
#  - the man page renders without warnings (needs groff).
# Missing tools make their checks skip.
here=$(cd "$(dirname "$0")" && pwd)
tool=$here/../cmaadm
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
failed=0
skipped=0

ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
skip() { n=$((n + 1)); skipped=$((skipped + 1)); echo "ok $n - $1 # SKIP $2"; }
check() {
	c_desc=$1
	shift
	if "$@" >"$tmp/out" 2>&1; then ok "$c_desc"; else not_ok "$c_desc"; sed 's/^/# /' "$tmp/out"; fi
}

if command -v shellcheck >/dev/null; then
	check "shellcheck -s sh cmaadm" shellcheck -s sh "$tool"
	check "shellcheck the tests" shellcheck -s sh "$here/served.sh" "$here/map-diff.sh" "$here/host.sh"
else
	skip "shellcheck" "no shellcheck"
fi

# The fake tree: two configfs regions with chunks (one under an index
# line), an inactive one, a driver's and a private region.
F=$tmp/fake
mkdir -p "$F/sys/regions" "$F/cfs/regions"
printf 'bitmap\nbestfit\nwhole\n' >"$F/sys/allocators"
printf 'video,camera=video,common;foo/*=drv;*=common\n' >"$F/cfs/map"
sysreg() {
	d=$F/sys/regions/$1
	mkdir -p "$d"
	echo "$2" >"$d/origin"; echo "$3" >"$d/base"; echo "$4" >"$d/size"
	echo "$5" >"$d/used"; echo $(($4 - $5)) >"$d/free"; echo "$6" >"$d/chunks"
	echo "$7" >"$d/allocator"; echo "$8" >"$d/largest_free"
	echo 3 >"$d/alloc_success"; echo 1 >"$d/alloc_fail"; echo 0 >"$d/release_success"
	printf '4096 0\n8192 1\n16384 0\n' >"$d/free_extents"
	shift 8
	: >"$d/owners"
	for o; do echo "$o" >>"$d/owners"; done
}
cfsreg() {
	d=$F/cfs/regions/$1
	mkdir -p "$d"
	echo "$2" >"$d/size"; echo "$3" >"$d/start"; echo "$4" >"$d/alignment"
	echo "$5" >"$d/allocator"; echo "$6" >"$d/active"; echo 0 >"$d/chunks"; echo 0 >"$d/used"
}
sysreg video configfs 0x20000000 20971520 12582912 2 bitmap 8388608 'video 6291456 1' 'camera/a 6291456 1'
sysreg common configfs 0x21400000 4194304 1056768 3 bestfit 3137536 'we"ird\x 1048576 1' "$(printf 'caf\303\251') 8192 2"
sysreg drv driver 0x30000000 1048576 0 0 bitmap 1048576 'heap:cam_app[42] 1228800 2'
sysreg private@30100000 driver 0x30100000 1048576 0 0 bitmap 1048576
sysreg lent configfs 0x40000000 134217728 4198400 2 bitmap 127926272 'video 4198400 2'
printf '%s\n' lend >"$F/sys/regions/lent/mode"
for f in 'lent 130023424' 'reclaims 3' 'reclaim_failures 1' 'reclaim_retries 2' \
	'reclaimed 6291456' 'reclaim_p50_us 380' 'reclaim_p99_us 454000' 'leaving 0' \
	'offline 0'; do
	echo "${f#* }" >"$F/sys/regions/lent/${f% *}"
done
cfsreg video 20971520 0x20000000 0 bitmap 1
cfsreg common 4194304 0x21400000 1048576 bestfit 1
cfsreg staged 8388608 0x22000000 0 bitmap 0
cfsreg lent 134217728 0x40000000 0 bitmap 1
cat >"$F/iomem" <<IOMEM
00000000-00000fff : Reserved
00100000-1ffdffff : System RAM
  01000000-01ffffff : Kernel code
20000000-23ffffff : Reserved
  20000000-213fffff : cmafw:video
    20000000-205fffff : video
    20600000-20bfffff : camera/a
  21400000-217fffff : cmafw:common
    21400000-214fffff : we"ird\\x
    21500000-21501fff : cmafw:common#5
      21500000-21500fff : $(printf 'caf\303\251')
      21501000-21501fff : $(printf 'caf\303\251')
30000000-33ffffff : Reserved
  30000000-300fffff : cmafw:drv
  30100000-301fffff : cmafw:private@30100000
40000000-47ffffff : Reserved
  40000000-47ffffff : cmafw:lent
    40000000-47ffffff : System RAM (cmafw:lent)
      40000000-41ffffff : cmafw:lent#0-31
        40000000-403fffff : video
        40400000-40401fff : cmafw:lent#4
          40400000-40400fff : video
IOMEM
sed 's/[0-9a-f]\{8\}-[0-9a-f]\{8\}/00000000-00000000/' "$F/iomem" >"$F/iomem.user"
# Heaps: the named regions', one with two buffers.
heap() {
	mkdir -p "$F/heaps/cmafw-$1"
	echo "$1" >"$F/heaps/cmafw-$1/region"
	echo "$2" >"$F/heaps/cmafw-$1/buffers"
	echo "$3" >"$F/heaps/cmafw-$1/bytes"
}
heap video 0 0
heap common 0 0
heap drv 2 1228800

# run SHELL IOMEM ARGS...: the tool against the fake tree.
bb=
if command -v busybox >/dev/null; then
	bb=$tmp/bb
	mkdir "$bb"
	busybox --install -s "$bb" 2>/dev/null
fi
run() {
	r_sh=$1 r_io=$2
	shift 2
	# busybox sh runs with busybox's applets alone.
	case $r_sh in
	ash) set -- env PATH="$bb" busybox sh "$tool" "$@" ;;
	*) set -- "$r_sh" "$tool" "$@" ;;
	esac
	CMAADM_SYSFS=${r_tree:-$F}/sys CMAADM_CONFIGFS=${r_tree:-$F}/cfs \
		CMAADM_IOMEM=$r_io CMAADM_HEAPS=$F/heaps "$@"
}

for c in status "region list" "region show video" "region show staged" \
	"region show drv" chunks "chunks common" heaps allocators dump "map get" \
	"map check video,camera=video,common;foo/quaz=r1;/*=drv;*=common video camera/x foo foo/quaz"; do
	for io in iomem iomem.user; do
		# shellcheck disable=SC2086
		run bash "$F/$io" $c >"$tmp/bash.txt" 2>&1
		check "'$c' ($io): bash exits 0 with output, no error" \
			eval "[ $? -eq 0 ] && [ -s '$tmp/bash.txt' ] && ! grep '^cmaadm:' '$tmp/bash.txt' | grep -qv '^cmaadm: warning:'"
		if [ -n "$bb" ]; then
			# shellcheck disable=SC2086
			run ash "$F/$io" $c >"$tmp/ash.txt" 2>&1
			check "'$c' ($io): busybox sh and bash agree" cmp "$tmp/ash.txt" "$tmp/bash.txt"
		fi
		# dash is /bin/sh on Debian, which an installed cmaadm runs under.
		if command -v dash >/dev/null; then
			# shellcheck disable=SC2086
			run dash "$F/$io" $c >"$tmp/dash.txt" 2>&1
			check "'$c' ($io): dash and bash agree" cmp "$tmp/dash.txt" "$tmp/bash.txt"
		fi
		case $c in map*check*) continue ;; esac
		for sh_ in ash bash; do
			[ "$sh_" = bash ] || [ -n "$bb" ] || continue
			# shellcheck disable=SC2086
			run $sh_ "$F/$io" --json $c >"$tmp/j.json" 2>"$tmp/j.err"
			check "--json $c ($io, $sh_): json-check.awk accepts it" awk -f "$here/json-check.awk" "$tmp/j.json"
			if command -v python3 >/dev/null; then
				check "--json $c ($io, $sh_): python3 accepts it" python3 -m json.tool "$tmp/j.json"
			fi
		done
	done
done
run bash "$F/iomem" status >"$tmp/status.txt"
check "status shows the inactive region and the typed owner" \
	grep -Eq 'staged +configfs +8M .*inactive' "$tmp/status.txt"
check "status lists heap buffers by process" \
	grep -Eq '^cam_app\[42\] +2 +1\.1M +drv$' "$tmp/status.txt"
# The percentage follows the bar: 99% with a page free, 1% with a page used.
v_d=$F/sys/regions/video
echo $((20971520 - 4096)) >"$v_d/used"; echo 4096 >"$v_d/free"
run bash "$F/iomem" status >"$tmp/pct.txt"
check "a page free: 99%, not 100%" grep -Eq '^ *video .*\] +99%$' "$tmp/pct.txt"
run bash "$F/iomem" --json status >"$tmp/pct.json"
check "...in --json too" grep -q '"name":"video",[^}]*"used_percent":99,' "$tmp/pct.json"
echo 4096 >"$v_d/used"; echo $((20971520 - 4096)) >"$v_d/free"
run bash "$F/iomem" status >"$tmp/pct.txt"
check "a page used: 1%, not 0%" grep -Eq '^ *video .*\] +1%$' "$tmp/pct.txt"
echo 12582912 >"$v_d/used"; echo 8388608 >"$v_d/free"
run bash "$F/iomem" heaps >"$tmp/heaps.txt"
check "heaps: node, region, buffers and bytes of each heap" \
	grep -Eq '^/dev/dma_heap/cmafw-drv +drv +2 +1\.1M$' "$tmp/heaps.txt"
run bash "$F/iomem" chunks >"$tmp/chunks.txt"
check "chunks under an index line are listed" \
	grep -Eq 'common +0x21501000 +0x21501fff +4K' "$tmp/chunks.txt"
check "a lend region's chunks, under its System RAM line, are listed" \
	grep -Eq 'lent +0x40400000 +0x40400fff +4K +video' "$tmp/chunks.txt"
check "chunks under a group's and a block's index lines, and none of those lines" \
	test "$(grep -Ec '^lent +0x40(00|40)0000 +0x40(3fff|400f)ff +(4M|4K) +video$' "$tmp/chunks.txt")" = 2 -a \
	"$(grep -c 'cmafw:' "$tmp/chunks.txt")" = 0
check "status shows what a lend region lends and what reclaims cost" \
	grep -Eq '^lent +124M +3 +1 +2 +0\.3ms +454\.0ms$' "$tmp/status.txt"
check "status says nothing of a removal when none is under way" \
	test "$(grep -c 'being taken back' "$tmp/status.txt")" = 0
run bash "$F/iomem" region show lent >"$tmp/show.txt"
check "region show: a lend region that is not leaving is active" \
	grep -Eq '^state: +active$' "$tmp/show.txt"
echo 1 >"$F/sys/regions/lent/leaving"
run bash "$F/iomem" status >"$tmp/status.txt"
check "status says when a removal is taking a lend region back" \
	grep -Eq '^ +being taken back from the kernel for its removal: allocations get EBUSY meanwhile$' "$tmp/status.txt"
run bash "$F/iomem" region show lent >"$tmp/show.txt"
check "region show: a leaving region's state says so" \
	grep -Eq '^state: +leaving \(a removal takes its memory back from the kernel; allocations get EBUSY meanwhile\)$' "$tmp/show.txt"
run bash "$F/iomem" region list >"$tmp/list.txt"
check "region list: a leaving region's state, and only its" \
	test "$(grep -Ec '^lent +configfs +leaving ' "$tmp/list.txt") $(grep -c ' leaving ' "$tmp/list.txt")" = "1 1"
for c in status "region list" "region show lent"; do
	# shellcheck disable=SC2086
	run bash "$F/iomem" --json $c >"$tmp/l.json"
	check "--json $c: a leaving region says so" \
		grep -q '"name":"lent",[^}]*"lent":130023424,"leaving":true' "$tmp/l.json"
done
run bash "$F/iomem" region rm lent >"$tmp/rm.txt" 2>&1
check "region rm: refused while another removal takes the region back, untouched" \
	test "$?:$(cat "$tmp/rm.txt"):$(cat "$F/cfs/regions/lent/active")" = \
	"1:cmaadm: cannot remove region 'lent': another removal is taking its memory back from the kernel; try again once it ends:1"
# The take-back's last moments: the lend figures fail (ENODEV in the
# kernel; here EIO, from a file that cannot be read at its start).
lend_figures='lent reclaims reclaim_failures reclaim_retries reclaim_p50_us reclaim_p99_us'
for f in $lend_figures; do
	mv "$F/sys/regions/lent/$f" "$tmp/$f.kept"
	ln -s /proc/self/mem "$F/sys/regions/lent/$f"
done
for c in status "region show lent" "--json status"; do
	# shellcheck disable=SC2086
	run bash "$F/iomem" $c >"$tmp/out.txt" 2>"$tmp/err.txt"
	check "$c: figures that fail to read as a region leaves are no errors" \
		test "$?:$(cat "$tmp/err.txt")" = "0:"
done
check "...and read as nothing lent" \
	grep -q '"name":"lent",[^}]*"lent":0,"leaving":true' "$tmp/out.txt"
for f in $lend_figures; do
	rm "$F/sys/regions/lent/$f"
	mv "$tmp/$f.kept" "$F/sys/regions/lent/$f"
done
echo 0 >"$F/sys/regions/lent/leaving"
for c in status "region list"; do
	# shellcheck disable=SC2086
	run bash "$F/iomem" --json $c >"$tmp/l.json"
	check "--json $c: a lend region's mode and memory lent, not leaving" \
		grep -q '"name":"lent",[^}]*"mode":"lend",[^}]*"lent":130023424,"leaving":false' "$tmp/l.json"
	check "--json $c: a carve region lends nothing (null), and is not leaving" \
		grep -q '"name":"video",[^}]*"mode":"carve",[^}]*"lent":null,"leaving":false' "$tmp/l.json"
done
run bash "$F/iomem" --json status >"$tmp/l.json"
check "--json status: a lend region's reclaim figures" \
	grep -q '"name":"lent",[^}]*"reclaim":{"count":3,"failures":1,"retries":2,"p50_us":380,"p99_us":454000}}' "$tmp/l.json"
check "--json status: a carve region has none (null)" \
	grep -q '"name":"video",[^}]*"reclaim":null}' "$tmp/l.json"
run bash "$F/iomem" status >"$tmp/status.txt"
check "status says nothing of offline memory when there is none" \
	test "$(grep -c 'offline' "$tmp/status.txt")" = 0
# What a failed removal left offline (sysfs' offline): status, show, JSON.
echo 8388608 >"$F/sys/regions/lent/offline"
run bash "$F/iomem" status >"$tmp/status.txt"
check "status gives a lend region's offline memory a line" \
	grep -Eq '^ +8M offline since a removal failed: out of use until the region is removed$' "$tmp/status.txt"
run bash "$F/iomem" region show lent >"$tmp/show.txt"
check "region show: the mode line says what is offline" \
	grep -Eq '^mode: +lend \(idle memory serves the page allocator; 124M lent now, 8M offline since a removal failed\)$' "$tmp/show.txt"
for c in status "region list" "region show lent"; do
	# shellcheck disable=SC2086
	run bash "$F/iomem" --json $c >"$tmp/l.json"
	check "--json $c: a lend region's offline bytes, a carve region's null" \
		test "$(grep -c '"name":"lent",[^}]*"leaving":false,"offline":8388608' "$tmp/l.json"):$(grep -c '"name":"video",[^}]*"leaving":false,"offline":null' "$tmp/l.json")" \
		= "1:$([ "$c" = "region show lent" ] && echo 0 || echo 1)"
done
echo 0 >"$F/sys/regions/lent/offline"
# mode_refused: a usage error (2) that names the two modes.
mode_refused() {
	run bash "$F/iomem" region add x --size 1M --start 0x1000000 --mode borrow \
		>"$tmp/mode.txt" 2>&1
	[ $? -eq 2 ] && grep -q 'carve or lend' "$tmp/mode.txt"
}
check "region add --mode refuses other words" mode_refused

# A region add whose rollback fails must not say "nothing was changed":
# this mkdir makes the directory with a directory where "start" goes, so
# the write fails and so does the rmdir of the no longer empty directory.
mkdir "$tmp/fakebin"
cat >"$tmp/fakebin/mkdir" <<'FAKE'
#!/bin/sh
/bin/mkdir "$@" && /bin/mkdir "$1/start"
FAKE
chmod +x "$tmp/fakebin/mkdir"
cp -R "$F" "$tmp/rb"
left_behind() {
	r_tree=$tmp/rb PATH=$tmp/fakebin:$PATH run bash "$F/iomem" \
		region add z --size 1M --start 0x23000000 >"$tmp/rb.txt" 2>&1
	[ $? -eq 1 ] && ! grep -q "nothing was changed" "$tmp/rb.txt" &&
		grep -q "regions/z is left behind (cmaadm region remove z)" "$tmp/rb.txt"
}
check "region add: a failed rollback says what is left behind" left_behind

# A user's view: sysfs base and configfs start are root's alone (the tool
# takes a missing file as an unreadable one, so the tests need no user).
U=$tmp/user
cp -R "$F" "$U"
rm -f "$U"/sys/regions/*/base "$U"/cfs/regions/*/start
run bash "$F/iomem" dump >"$tmp/dump.txt"
r_tree=$U
export r_tree
u_list() {
	! grep -q "0x0-" "$tmp/ulist.txt" &&
		grep -Eq '^video +configfs +active +- ' "$tmp/ulist.txt"
}
u_json() {
	grep -q '"start":null,"end":null' "$tmp/u.json" &&
		! grep -q '"start":"' "$tmp/u.json"
}
u_says() { ! grep -q "$2" "$1" && grep -q "run cmaadm as root" "$1"; }
run bash "$F/iomem.user" region list >"$tmp/ulist.txt" 2>&1
check "not root: region list shows no made-up address" u_list
run bash "$F/iomem.user" region show staged >"$tmp/ushow.txt" 2>&1
check "not root: region show gives the range as -" \
	grep -Eq '^range: +-$' "$tmp/ushow.txt"
for c in status "region list" "region show video"; do
	# shellcheck disable=SC2086
	run bash "$F/iomem.user" --json $c >"$tmp/u.json" 2>&1
	check "not root: --json $c gives start and end as null" u_json
done
run bash "$F/iomem.user" dump >"$tmp/udump.txt" 2>&1
check "not root: dump exits 4" test $? -eq 4
check "not root: dump writes no region, and says why" \
	u_says "$tmp/udump.txt" "^region"
run bash "$F/iomem.user" apply --dry-run "$tmp/dump.txt" >"$tmp/uapply.txt" 2>&1
check "not root: apply --dry-run exits 4" test $? -eq 4
check "not root: apply --dry-run plans no move to 0x0" \
	u_says "$tmp/uapply.txt" "0x0 ->"
r_tree=

# region show --layout: 64 columns of 320K over video, 64K over common.
run bash "$F/iomem" region show video --layout >"$tmp/layout.txt"
check "--layout: a strip of 64 columns, one letter per owner" \
	grep -qx '|AAAAAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBBBB..........................|' \
	"$tmp/layout.txt"
check "--layout: the legend names each letter" \
	grep -Eq '^  B  camera/a +6M in 1 chunk$' "$tmp/layout.txt"
check "--layout: the strip is labelled with the region's ends" \
	grep -Eq '^0x20000000 +0x213fffff$' "$tmp/layout.txt"
for sh_ in ash bash; do
	[ "$sh_" = bash ] || [ -n "$bb" ] || continue
	run $sh_ "$F/iomem" --json region show common --layout >"$tmp/j.json"
	check "--json region show common --layout ($sh_): the strip and legend" \
		grep -q '"layout":"AAAAAAAAAAAAAAAA\.\{48\}","legend":\[{"letter":"A","owner":"we\\"ird\\\\x","bytes":1048576,"chunks":1},{"letter":"B"' "$tmp/j.json"
	check "--json region show common --layout ($sh_): json-check.awk accepts it" \
		awk -f "$here/json-check.awk" "$tmp/j.json"
done
run bash "$F/iomem.user" region show video --layout >/dev/null 2>&1
check "--layout without addresses in /proc/iomem: exit 4" test $? -eq 4
run bash "$F/iomem" region show staged --layout >"$tmp/inact.txt" 2>&1
check "--layout of an inactive region: exit 1" test $? -eq 1
check "...saying it is not active" grep -q "region 'staged' is not active" "$tmp/inact.txt"

# json-check.awk against python3.
if command -v python3 >/dev/null; then
	agree=0
	disagree=
	while IFS= read -r l; do
		printf '%s' "$l" >"$tmp/one.json"
		p=0 a=0
		python3 -m json.tool "$tmp/one.json" >/dev/null 2>&1 && p=1
		awk -f "$here/json-check.awk" "$tmp/one.json" 2>/dev/null && a=1
		if [ "$p" = "$a" ]; then agree=$((agree + 1)); else disagree="$disagree [$l]"; fi
	done <<'CASES'
{}
[]
{"a":1}
{"a":[1,2,{"b":null}],"c":"x\"y\\z\u00e9","d":-1.5e3,"e":true,"f":false}
"str"
-0.5
{"a":1,}
[1,2
{"a" 1}
{'a':1}
[01]
[1.]
["\x"]
{"a":1}}
[tru]
[1 2]
{"a":"\u12"}
[-]
   [ 1 , "x" ]   
CASES
	if [ -z "$disagree" ]; then
		ok "json-check.awk agrees with python3 on $agree texts"
	else
		not_ok "json-check.awk disagrees with python3 on:$disagree"
	fi
else
	skip "json-check.awk against python3" "no python3"
fi

if command -v "${CC:-cc}" >/dev/null; then
	check "map grammar and lookup agree with kernel/map.c (mawk/host awk)" sh "$here/map-diff.sh" 3000 1
	if [ -n "$bb" ]; then
		check "map grammar and lookup agree with kernel/map.c (busybox awk)" \
			env PATH="$bb:$PATH" sh "$here/map-diff.sh" 3000 2
	fi
else
	skip "map-diff.sh" "no C compiler"
fi

# A store the kernel refuses is explained under every shell.  dash's
# builtin echo reports any failed write as "I/O error"; cmaadm writes
# through the echo program.  A size file that is /proc/self/oom_score_adj
# refuses "16777216" with EINVAL, as the kernel refuses a bad size.
r_tree=$tmp/refuse
cp -a "$F" "$r_tree"
ln -sf /proc/self/oom_score_adj "$r_tree/cfs/regions/staged/size"
echo 'region staged size=16M start=0x22000000 align=0 allocator=bitmap mode=carve active=0' >"$tmp/refuse.conf"
for sh_ in dash bash ash; do
	case $sh_ in
	dash) command -v dash >/dev/null || continue ;;
	ash) [ -n "$bb" ] || continue ;;
	esac
	run $sh_ "$F/iomem" apply "$tmp/refuse.conf" >"$tmp/refuse.txt" 2>&1
	check "apply under $sh_: a store the kernel refuses is explained (EINVAL)" \
		test "$?:$(head -n 1 "$tmp/refuse.txt")" = \
		"1:cmaadm: apply: region 'staged': cannot set size: the kernel refused size '16777216'"
done
# A region whose owners file is cut short: the owners it names, then
# "more", and no error from the shell.
echo 2 >"$r_tree/cfs/regions/video/chunks"
printf '%s\n' 'video 6291456 1' '... more owners not shown' >"$r_tree/sys/regions/video/owners"
run bash "$F/iomem" region rm video >"$tmp/rm.txt" 2>&1
check "region rm: a cut-short owners list reads '..., more'" \
	test "$?:$(cat "$tmp/rm.txt")" = \
	"1:cmaadm: cannot remove region 'video': region 'video' still has 2 chunks (video 6M, more); free them first"
r_tree=
# A stand-in for env (cmaadm writes through "env echo") plays the kernel
# where a fake tree cannot.  KBIN=refuse: it refuses a new map, and "0"
# into staged's active file, with EINVAL.  KBIN=linger: it lets "1" into
# staged's active file through, touches $KBIN_MARK, then lingers, as a
# lend region's activation can.
mkdir "$tmp/kbin"
cat >"$tmp/kbin/env" <<'EOS'
#!/bin/sh
case "$KBIN:$(readlink "/proc/$$/fd/1") $*" in
refuse:*/cfs/map*" echo -n "* | refuse:*/regions/staged/active" echo 0")
	echo "echo: write error: Invalid argument" >&2
	exit 1 ;;
linger:*/regions/staged/active" echo 1")
	/usr/bin/env "$@" || exit
	: >"$KBIN_MARK"
	sleep 1
	exit 0 ;;
esac
exec /usr/bin/env "$@"
EOS
chmod +x "$tmp/kbin/env"

# A rollback that fails is reported, not taken for done: apply activates
# staged, fails on the map, and cannot deactivate staged again.
r_tree=$tmp/undo
cp -a "$F" "$r_tree"
printf '%s\n' 'region staged size=8M start=0x22000000 align=0 allocator=bitmap mode=carve active=1' \
	'map video=video' >"$tmp/undo.conf"
r_path=$PATH
PATH=$tmp/kbin:$PATH
KBIN=refuse
export KBIN
run bash "$F/iomem" apply "$tmp/undo.conf" >"$tmp/undo.txt" 2>&1
r_st=$?
PATH=$r_path
unset KBIN
check "apply: a rollback step that fails is reported, and nothing claims all was undone" \
	test "$r_st:$(grep -c 'nothing was changed' "$tmp/undo.txt"):$(tail -n 1 "$tmp/undo.txt")" = \
	"1:0:cmaadm: apply: not rolled back: 'staged' stays active"
check "...with the kernel's reason" \
	grep -qx "cmaadm: warning: rollback: cannot deactivate 'staged': Invalid argument" "$tmp/undo.txt"
r_tree=
# apply reports a changed region's activation too: reconfigured while
# inactive, it ends as the file says.
r_tree=$tmp/act
cp -a "$F" "$r_tree"
printf '%s\n' 'region video size=16M start=0x20000000 align=0 allocator=bitmap mode=carve active=0' \
	'region staged size=4M start=0x22000000 align=0 allocator=bitmap mode=carve active=1' >"$tmp/act.conf"
for d in --dry-run --; do
	run bash "$F/iomem" apply "$d" "$tmp/act.conf" >"$tmp/act.txt" 2>&1
	check "apply $d: a changed region's activation and deactivation are reported" \
		test "$(grep -E '^region (video|staged): ' "$tmp/act.txt" | sed 's/would be //' | tr '\n' '|')" = \
		"region video: changed: size 20M -> 16M, active 1 -> 0|region staged: changed: size 8M -> 4M, active 0 -> 1|"
done
check "...and so it ends" test "$(cat "$r_tree/cfs/regions/video/active") $(cat "$r_tree/cfs/regions/staged/active")" = "0 1"
r_tree=
# A name the kernel would refuse is refused first, under every shell:
# UTF-8's U with umlaut ends in 0x9c, which the kernel's isgraph() does
# not take.  Nothing is made.
r_name=$(printf '\303\234ber')
for sh_ in dash bash ash; do
	case $sh_ in
	dash) command -v dash >/dev/null || continue ;;
	ash) [ -n "$bb" ] || continue ;;
	esac
	run $sh_ "$F/iomem" region add "$r_name" --size 1M --start 0x30000000 >"$tmp/name.txt" 2>&1
	check "region add under $sh_: a name with a byte of 0x80-0xa0 is refused (exit 2), nothing made" \
		test "$?:$(grep -c 'a byte of 0x80-0xa0' "$tmp/name.txt"):$(test -e "$F/cfs/regions/$r_name" && echo made)" = "2:1:"
done

# "." and "video/" are directories under regions/, but no region's.
for r_name in . .. video/; do
	run bash "$F/iomem" region show "$r_name" >"$tmp/dot.txt" 2>&1
	check "region show '$r_name': no such region (exit 1)" \
		test "$?:$(cat "$tmp/dot.txt")" = "1:cmaadm: no region named '$r_name'"
done
# No region can be named "." or "..": the map refuses them, as the kernel.
run bash "$F/iomem" map check 'cam=a,.' cam >"$tmp/dot.txt" 2>&1
check "map check: '.' is refused at its column (exit 2)" \
	test "$?:$(head -n 1 "$tmp/dot.txt")" = \
	'2:cmaadm: invalid map: column 7: expected a region name other than "." or "..", found '"'.'"

# --layout with 70 owners of a 4K chunk each in a 1M region (16K columns):
# past the 62nd, owners share "#", which the legend sums up on one line.
r_tree=$tmp/many
cp -a "$F" "$r_tree"
r_f=$F
F=$r_tree
sysreg many configfs 0x50000000 1048576 286720 70 bitmap 761856
F=$r_f
{
	echo '50000000-500fffff : cmafw:many'
	i=0
	while [ $i -lt 70 ]; do
		printf '  %08x-%08x : d%d\n' $((0x50000000 + i * 4096)) $((0x50000fff + i * 4096)) $i
		i=$((i + 1))
	done
} >"$tmp/iomem.many"
run bash "$tmp/iomem.many" region show many --layout >"$tmp/many.txt" 2>&1
check "--layout, 70 owners: '#' where the owners past the 62nd hold most" \
	grep -qx '|AEIMQUYcgkosw04##\.\{47\}|' "$tmp/many.txt"
check "...and one legend line sums them up" \
	test "$(grep -c '^  # ' "$tmp/many.txt"):$(grep '^  # ' "$tmp/many.txt")" = \
	"1:  #  8 other owners           32K in 8 chunks"
r_tree=

# A region deactivated while a listing reads it: the listing globs sysfs,
# then configfs.  common's base is a FIFO, whose writer deactivates common
# (its sysfs directory goes, its configfs active reads 0) before it answers.
r_tree=$tmp/race
for c in "region list" status; do
	rm -rf "$r_tree"
	cp -a "$F" "$r_tree"
	rm "$r_tree/sys/regions/common/base"
	mkfifo "$r_tree/sys/regions/common/base"
	# shellcheck disable=SC2016 # expanded by that shell
	timeout 20 sh -c 'exec 3>"$1/sys/regions/common/base"; rm -r "$1/sys/regions/common";
		echo 0 >"$1/cfs/regions/common/active"; echo 0x21400000 >&3' sh "$r_tree" &
	# shellcheck disable=SC2086
	run bash "$F/iomem" $c >"$tmp/race.txt" 2>&1
	wait
	check "$c: a region deactivated meanwhile is listed once, inactive" \
		test "$(grep -c '^common ' "$tmp/race.txt"):$(grep -Ec '^common +configfs .*inactive' "$tmp/race.txt")" = 1:1
done
r_tree=

# dump, then apply: a configfs directory without a size (a bare mkdir)
# is dumped as a comment, which apply leaves alone.
r_tree=$tmp/nosize
cp -a "$F" "$r_tree"
echo 0 >"$r_tree/cfs/regions/staged/size"
run bash "$F/iomem" dump >"$tmp/nosize.conf" 2>&1
check "dump: a region without a size is a comment" \
	test "$(grep -c '^region staged ' "$tmp/nosize.conf"):$(grep -c '^# not restorable: region staged has no size' "$tmp/nosize.conf")" = "0:1"
run bash "$F/iomem" apply "$tmp/nosize.conf" >"$tmp/nosize.txt" 2>&1
check "...and apply takes the dump" test $? -eq 0
r_tree=

# A signal in the middle of apply undoes what it did, as a refusal does,
# and exits 130: staged's activation lingers (KBIN=linger) and the signal
# comes meanwhile.  staged is inactive again afterwards, and the map is
# as it was.
r_tree=$tmp/sig
cp -a "$F" "$r_tree"
printf '%s\n' 'region staged size=8M start=0x22000000 align=0 allocator=bitmap mode=carve active=1' \
	'map video=video' >"$tmp/sig.conf"
# (Not busybox sh: it runs its own env applet whatever PATH says.)
for sh_ in bash dash; do
	case $sh_ in dash) command -v dash >/dev/null || continue ;; esac
	rm -f "$tmp/sig.mark"
	KBIN=linger KBIN_MARK=$tmp/sig.mark PATH=$tmp/kbin:$PATH \
		CMAADM_SYSFS=$r_tree/sys CMAADM_CONFIGFS=$r_tree/cfs \
		CMAADM_IOMEM=$F/iomem CMAADM_HEAPS=$F/heaps \
		$sh_ "$tool" apply "$tmp/sig.conf" >"$tmp/sig.txt" 2>&1 &
	r_pid=$!
	r_i=0
	while [ ! -e "$tmp/sig.mark" ] && [ $r_i -lt 100 ]; do
		sleep 0.1
		r_i=$((r_i + 1))
	done
	kill -TERM "$r_pid"
	wait "$r_pid"
	r_st=$?
	check "apply under $sh_, a signal midway: exit 130, staged inactive again, the map as it was" \
		test "$r_st:$(cat "$r_tree/cfs/regions/staged/active"):$(cat "$r_tree/cfs/map")" = \
		"130:0:$(cat "$F/cfs/map")"
	check "...saying so" grep -qx 'cmaadm: apply: interrupted by a signal' "$tmp/sig.txt"
done
r_tree=

if command -v groff >/dev/null; then
	groff -man -Tutf8 -ww -z "$here/../cmaadm.8" >"$tmp/groff" 2>&1
	check "cmaadm.8 renders without warnings" test ! -s "$tmp/groff"
else
	skip "cmaadm.8 renders" "no groff"
fi

echo "1..$n"
echo "$((n - failed - skipped)) passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
