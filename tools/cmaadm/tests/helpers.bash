# SPDX-License-Identifier: GPL-2.0
# Helpers for cmaadm.bats.  The suite runs inside the QEMU guest against
# the real module (scripts/guest-run.sh; selftests/cmafw/guest/80-cmaadm.sh
# runs it once per interpreter):
#
#   CMAADM_SHELL=sh   bats --tap tools/cmaadm/tests/cmaadm.bats   (busybox ash)
#   CMAADM_SHELL=bash bats --tap tools/cmaadm/tests/cmaadm.bats
#
# It loads cmafw.ko and cmafw_test.ko from $CMAFW_MODULES itself and
# refuses to run (every test skips) outside the guest (CMAFW_GUEST=1).
# shellcheck disable=SC2119,SC2120 # load_modules takes insmod parameters
# shellcheck disable=SC2154 # bats sets status and output

TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CMAADM=${CMAADM:-$TESTS_DIR/../cmaadm}
CMAADM_SHELL=${CMAADM_SHELL:-sh}
MODULES=${CMAFW_MODULES:-/modules}
CFS=/sys/kernel/config/cmafw
SYS=/sys/kernel/cmafw
CTL=/sys/kernel/debug/cmafw_test/ctl

# The tool, under the interpreter the run tests (word split on purpose:
# CMAADM_SHELL may be "busybox sh").
cmaadm() {
	# shellcheck disable=SC2086
	$CMAADM_SHELL "$CMAADM" "$@"
}

in_guest() {
	[ "${CMAFW_GUEST:-0}" = 1 ] && [ "$(id -u)" = 0 ]
}

loaded() {
	local mods
	read -r -d '' mods </proc/modules
	[[ $'\n'$mods == *$'\n'"$1 "* ]]
}

load_modules() {
	# CMAFW_LOAD_ARGS: devicetree=0 on arm64 (guest/lib.sh)
	# shellcheck disable=SC2086 # empty or one word
	loaded cmafw || insmod "$MODULES/cmafw.ko" ${CMAFW_LOAD_ARGS:-} "$@" || return 1
	loaded cmafw_test || insmod "$MODULES/cmafw_test.ko"
}

unload_modules() {
	! loaded cmafw_test || rmmod cmafw_test || return 1
	! loaded cmafw || rmmod cmafw
}

# ctl COMMAND...: one command to the test driver, its answer on stdout.
ctl() {
	exec 4<>"$CTL"
	echo "$*" >&4
	read -r ctl_answer <&4
	exec 4>&-
	echo "$ctl_answer"
}

# alloc DEV TYPE SIZE: a chunk for a named device; prints 0x<addr>.
alloc() {
	local a
	a=$(ctl alloc "$1" "$2" "$3" 0)
	case $a in
	"ok 0x"*) printf '0x%x\n' "${a#ok }" ;;
	*) echo "$a"; return 1 ;;
	esac
}

# Every live chunk's address, from /proc/iomem: children of cmafw regions,
# directly or under an index line "cmafw:<region>#<block>".
chunk_addrs() {
	awk '
	{ match($0, /^ */); d = RLENGTH; split($1, r, "-") }
	in_r && d == rd + 2 && $3 ~ /^cmafw:.*#/ { in_i = 1; next }
	in_r && d == rd + 2 { in_i = 0; print "0x" r[1]; next }
	in_r && in_i && d == rd + 4 { print "0x" r[1]; next }
	in_r && d > rd { next }
	{ in_r = 0 }
	$3 ~ /^cmafw:/ { in_r = 1; in_i = 0; rd = d }' /proc/iomem
}

# Back to nothing: no chunks, no driver or configfs regions, no map.
cleanup() {
	local a d
	if ! loaded cmafw; then
		load_modules
		return
	fi
	loaded cmafw_test || insmod "$MODULES/cmafw_test.ko"
	for a in $(chunk_addrs); do
		ctl free "$a" >/dev/null
	done
	for a in drv drv2 p1 r1 r2 r3 region common a b; do
		ctl unregister "$a" >/dev/null
	done
	for d in "$CFS"/regions/*/ "$CFS"/regions/.[!.]*/ "$CFS"/regions/..?*/; do
		[ -d "$d" ] || continue
		echo 0 >"$d/active" 2>/dev/null
		rmdir "$d"
	done
	echo >"$CFS/map"
}

# --- assertions: print what went wrong, for the TAP diagnostics ---

expect_status() {
	if [ "$status" -ne "$1" ]; then
		printf 'exit status %s, expected %s; output:\n%s\n' "$status" "$1" "$output"
		return 1
	fi
}

# expect_in TEXT...: the output holds every TEXT.
expect_in() {
	local t
	for t; do
		case $output in
		*"$t"*) ;;
		*)
			printf 'expected the output to hold: %s\noutput:\n%s\n' "$t" "$output"
			return 1
			;;
		esac
	done
}

expect_not_in() {
	case $output in
	*"$1"*)
		printf 'expected the output not to hold: %s\noutput:\n%s\n' "$1" "$output"
		return 1
		;;
	esac
}

# expect_eq ACTUAL EXPECTED
expect_eq() {
	if [ "$1" != "$2" ]; then
		printf 'got:      %s\nexpected: %s\n' "$1" "$2"
		return 1
	fi
}

# json_ok TEXT: one valid JSON text (awk validator; python3 too where it
# exists, as on the host).
json_ok() {
	if ! printf '%s\n' "$1" | awk -f "$TESTS_DIR/json-check.awk"; then
		printf 'invalid JSON:\n%s\n' "$1"
		return 1
	fi
	if command -v python3 >/dev/null 2>&1 &&
		! printf '%s\n' "$1" | python3 -m json.tool >/dev/null; then
		printf 'python3 refuses the JSON:\n%s\n' "$1"
		return 1
	fi
}

# no_cfs NAME: nothing left behind in configfs or sysfs.
no_region() {
	if [ -e "$CFS/regions/$1" ] || [ -e "$SYS/regions/$1" ]; then
		echo "region $1 was left behind"
		return 1
	fi
}

# add NAME SIZE START [ALIGN [ALLOCATOR]]: a configfs region, directly.
add() {
	mkdir "$CFS/regions/$1" &&
		echo "$2" >"$CFS/regions/$1/size" &&
		echo "$3" >"$CFS/regions/$1/start" &&
		{ [ -z "$4" ] || echo "$4" >"$CFS/regions/$1/alignment"; } &&
		{ [ -z "$5" ] || echo "$5" >"$CFS/regions/$1/allocator"; } &&
		echo 1 >"$CFS/regions/$1/active"
}

# Show OUTPUT in the TAP stream as comments (for the reader of the log).
show_tap() {
	printf '%s\n' "$1" | sed 's/^/# /' >&3
}
