#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Helpers for the guest tests: TAP output, the test driver's control file,
# /proc/iomem and module loading.  POSIX sh: runs under busybox ash.

T_NUM=0
T_FAILED=0
CTL=/sys/kernel/debug/cmafw_test/ctl
MODDIR=${MODDIR:-/modules}

# errno values, as the test driver reports them ("err -12").
# shellcheck disable=SC2034 # used by the test files
ENOENT=2 ENOMEM=12 EFAULT=14 EBUSY=16 EEXIST=17 ENODEV=19 EINVAL=22 EADDRINUSE=98 EADDRNOTAVAIL=99

# strerror() texts, as busybox reports a failed write ("wr" below).
# shellcheck disable=SC2034 # used by the test files
EINVAL_T="Invalid argument" ERANGE_T="Numerical result out of range"
# shellcheck disable=SC2034
EBUSY_T="Device or resource busy" ENODEV_T="No such device"
# shellcheck disable=SC2034
EEXIST_T="File exists" E2BIG_T="Argument list too long"
# shellcheck disable=SC2034
EACCES_T="Permission denied" EPERM_T="Operation not permitted"
# shellcheck disable=SC2034
EADDRINUSE_T="Address already in use" EADDRNOTAVAIL_T="Cannot assign requested address"
# shellcheck disable=SC2034
EIO_T="Input/output error" ENOENT_T="No such file or directory"

ok() {
	T_NUM=$((T_NUM + 1))
	echo "ok $T_NUM - $*"
}

not_ok() {
	T_NUM=$((T_NUM + 1))
	T_FAILED=$((T_FAILED + 1))
	echo "not ok $T_NUM - $*"
}

# expect_eq DESCRIPTION ACTUAL EXPECTED
expect_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1"
		echo "#   got:      '$2'"
		echo "#   expected: '$3'"
	fi
}

# check DESCRIPTION COMMAND...: passes when the command succeeds.
check() {
	t_desc=$1
	shift
	if "$@"; then ok "$t_desc"; else not_ok "$t_desc"; fi
}

# check_not DESCRIPTION COMMAND...: passes when the command fails.
check_not() {
	t_desc=$1
	shift
	if "$@"; then not_ok "$t_desc"; else ok "$t_desc"; fi
}

# tap STATUS DESCRIPTION: passes when STATUS, a command's exit status, is 0.
tap() {
	if [ "$1" -eq 0 ]; then ok "$2"; else not_ok "$2"; fi
}

# section TITLE: a heading, with the guest's uptime, so that a log shows
# where a run's time goes.
section() {
	read -r s_up _ </proc/uptime
	echo "# --- $* (at $s_up s)"
}

# ctl COMMAND...: run one test-driver command, print its answer and leave
# it in t_answer.  The helpers below call it in this shell and read
# t_answer, rather than $(ctl ...): under TCG a fork costs more than the
# kernel's part of most commands.
ctl() {
	exec 3<>"$CTL"
	echo "$*" >&3
	read -r t_answer <&3
	exec 3>&-
	echo "$t_answer"
}

# addr_of ANSWER: the address in an "ok 0x..." answer, as 0x%x.
addr_of() {
	case $1 in
	"ok 0x"*) printf '0x%x\n' "${1#ok }" ;;
	*) echo "$1" ;;
	esac
}

# alloc DEV TYPE SIZE ALIGN: print the address or "err -N".
alloc() {
	ctl alloc "$@" >/dev/null
	addr_of "$t_answer"
}

# take_pages DEVICE N: N chunks of 4 KiB for DEVICE; prints nothing, fails
# on the first error.
take_pages() {
	tp_n=$2
	while [ "$tp_n" -gt 0 ]; do
		ctl alloc "$1" - 4K 0 >/dev/null
		case $t_answer in "ok 0x"*) ;; *) return 1 ;; esac
		tp_n=$((tp_n - 1))
	done
}

# The churn: a pseudo-random walk of allocations and frees that tests
# replay the same every run.  Its live chunks, in the order they came, are
# the words "ADDRESS:BYTES" of CHURN_LIVE, CHURN_N of them, kept in the
# shell rather than in a file: under TCG the programs a step ran on a file
# (wc, sed, grep, mv) took longer than the kernel's part of it.

# churn_start SEED: no chunk live yet, and the numbers from SEED.
churn_start() {
	CHURN_LIVE='' CHURN_N=0 CHURN_SEED=$1
}

# churn_rand N: set CHURN_R to a pseudo-random number below N, from
# CHURN_SEED, the same every run.  Call it as a command, not in $(...),
# where the seed would not move on.
churn_rand() {
	CHURN_SEED=$(((CHURN_SEED * 1103515245 + 12345) % 2147483648))
	CHURN_R=$(((CHURN_SEED / 65536) % $1))
}

# churn_alloc DEVICE [SINGLE]: a live chunk for DEVICE of 1 page (SINGLE
# percent of them, 85 by default), 3-20 or 60-80 pages, which straddle
# blocks.
churn_alloc() {
	churn_rand 100
	if [ "$CHURN_R" -lt "${2:-85}" ]; then
		ca_pages=1
	elif [ "$CHURN_R" -lt 95 ]; then
		ca_pages=$((3 + CHURN_R % 18))
	else
		ca_pages=$((60 + CHURN_R * 4 % 21))
	fi
	ctl alloc "$1" - $((ca_pages * 4096)) 0 >/dev/null
	case $t_answer in
	"ok 0x"*)
		CHURN_LIVE="$CHURN_LIVE ${t_answer#ok }:$((ca_pages * 4096))"
		CHURN_N=$((CHURN_N + 1))
		;;
	*) echo "# alloc of $ca_pages pages: $t_answer"; return 1 ;;
	esac
}

# churn_free: free a live chunk, picked at random.
churn_free() {
	churn_rand "$CHURN_N"
	cf_i=0 cf_rest='' cf_word=''
	for cf_w in $CHURN_LIVE; do
		if [ "$cf_i" -eq "$CHURN_R" ]; then
			cf_word=$cf_w
		else
			cf_rest="$cf_rest $cf_w"
		fi
		cf_i=$((cf_i + 1))
	done
	ctl free "${cf_word%:*}" >/dev/null
	[ "$t_answer" = ok ] || {
		echo "# free ${cf_word%:*} failed: $t_answer"
		return 1
	}
	CHURN_LIVE=$cf_rest CHURN_N=$((CHURN_N - 1))
}

# churn_free_all: free every live chunk.
churn_free_all() {
	for cf_w in $CHURN_LIVE; do
		ctl free "${cf_w%:*}" >/dev/null
		[ "$t_answer" = ok ] || return 1
	done
	CHURN_LIVE='' CHURN_N=0
}

# churn_agree REGION DEVICE: cmaadm (through /proc/iomem) and sysfs's owners
# count the live chunks and their bytes, all DEVICE's, and every index line
# of REGION holds something.
churn_agree() {
	cg_bytes=0
	for cg_w in $CHURN_LIVE; do
		cg_bytes=$((cg_bytes + ${cg_w#*:}))
	done
	[ "$("$CMAFW_TOOLS/cmaadm/cmaadm" chunks "$1" | awk -v r="$1" -v o="$2" '
		$1 == r && $5 == o { n++ } END { print n + 0 }')" = "$CHURN_N" ] &&
		[ "$(cat "/sys/kernel/cmafw/regions/$1/owners")" = "$2 $cg_bytes $CHURN_N" ] &&
		awk -v line=": cmafw:$1#" '
		function depth(l) { match(l, /^ */); return RLENGTH }
		{ d = depth($0) }
		open && d <= od { bad = 1 }
		{ open = index($0, line) > 0; od = d }
		END { exit bad || open }' /proc/iomem
}

# give_pages BASE FIRST LAST: free the 4 KiB chunks at pages FIRST..LAST
# counted from address BASE.
give_pages() {
	gp_p=$2
	while [ "$gp_p" -le "$3" ]; do
		ctl free $(($1 + gp_p * 4096)) >/dev/null
		[ "$t_answer" = ok ] || return 1
		gp_p=$((gp_p + 1))
	done
}

# The /proc/iomem line for [START, END] (hex without 0x), as printed.
iomem_line() {
	grep -E "^ *0*$1-0*$2 : " /proc/iomem
}

# iomem_has START END NAME DEPTH: an exact line at nesting DEPTH.
iomem_has() {
	t_pad=$(printf "%$(($4 * 2))s" "")
	grep -qx "${t_pad}0*$1-0*$2 : $3" /proc/iomem
}

# iomem_sub_blocks REGION [bands]: how many sub-blocks of crowded index
# blocks (kernel/index_sub.c) REGION has: "cmafw:REGION#N" lines nested
# right in a line of the same name; with "bands", those of crowded
# groups, "cmafw:REGION#N-M" lines so nested.
iomem_sub_blocks() {
	awk -v reg="cmafw:$1#" -v bands="${2:-}" '
	function depth(l) { match(l, /^ */); return RLENGTH }
	function name(l) { sub(/^[^:]* : /, "", l); return l }
	{ d = depth($0); n = name($0); at[d] = n }
	index(n, reg) == 1 && d >= 2 && at[d - 2] == n &&
	    (substr(n, length(reg) + 1) ~ /-/) == (bands != "") { subs++ }
	END { print subs + 0 }' /proc/iomem
}

# chunk_has START END OWNER REGION: a chunk line for OWNER under REGION,
# directly or under its index lines ("cmafw:REGION#N" for a block,
# "cmafw:REGION#N-M" for a group of blocks, one inside the other).
chunk_has() {
	awk -v want="$1-$2" -v owner="$3" -v reg="cmafw:$4" '
	function name(l) { sub(/^[^:]* : /, "", l); return l }
	function range(l) { sub(/^ */, "", l); sub(/ : .*/, "", l); return l }
	{
		match($0, /^ */)
		d = RLENGTH / 2
		anc[d] = $0
		if (range($0) != want || name($0) != owner)
			next
		for (a = d - 1; a > 0 && index(name(anc[a]), reg "#") == 1; a--)
			;
		if (a > 0 && name(anc[a]) == reg)
			found = 1
	}
	END { exit !found }' /proc/iomem
}

iomem_count() {
	grep -c "$1" /proc/iomem
}

# region_of ADDR: the cmafw region that holds ADDR, from /proc/iomem
# (index lines "cmafw:REGION#N" and "cmafw:REGION#N-M" are not regions).
region_of() {
	t_want=$(($1))
	grep ' : cmafw:' /proc/iomem | while read -r t_range _ t_name; do
		case $t_name in *'#'*) continue ;; esac
		t_lo=$((0x${t_range%-*}))
		t_hi=$((0x${t_range#*-}))
		if [ "$t_want" -ge "$t_lo" ] && [ "$t_want" -le "$t_hi" ]; then
			echo "${t_name#cmafw:}"
		fi
	done
}

# served_by DEV TYPE: allocate a page for (DEV, TYPE), print the region
# that served it (or the error), and free it again.
served_by() {
	t_addr=$(alloc "$1" "$2" 4096 0)
	case $t_addr in
	0x*)
		region_of "$t_addr"
		ctl free "$t_addr" >/dev/null
		;;
	*) echo "$t_addr" ;;
	esac
}

# wr FILE VALUE: write VALUE (echo -e escapes) in one write; print "ok"
# or the error text.  busybox's echo reports a failed write; its printf
# does not.  A zero-length write never reaches a configfs store, so an
# "empty" value is tested as a lone newline, which is what echo sends.
wr() {
	# shellcheck disable=SC3037 # busybox ash's echo takes -n and -e
	t_out=$(echo -ne "$2" 2>&1 >"$1")
	if [ -z "$t_out" ]; then
		echo ok
	else
		echo "${t_out##*: }"
	fi
}

# Where System RAM is, for the refusals.  CMAFW_SYSRAM: an address in it
# (exported for cmaadm's bats suite); CMAFW_RAM_START: where it starts;
# CMAFW_STRADDLE: 2 MiB from there run from reserved memory into it.  On
# x86: low RAM, and the end of the memmap= window at 0x20000000.  On arm64
# (QEMU virt: RAM from 1 GiB, 0x08000000 is the GIC): the end of README's
# device-tree regions video and common, 0x60000000-0x62ffffff, which stay
# reserved even when cmafw leaves them alone (devicetree=0).
# shellcheck disable=SC2034 # used by 90-badinput.sh
#
# CMAFW_WIN_A, CMAFW_WIN_B: two reserved windows of real RAM for sections
# that read and write a region's bytes: x86's memmap= windows; on arm64
# two plain no-map reserved-memory nodes (arm64/test-nodes.dtsi), since
# 0x20000000 and 0x30000000 are PCIe space on QEMU's virt machine.
#
# CMAFW_LEND_WIN: 256 MiB the kernel was not given at boot, for lend
# mode: x86's memmap=256M$0x40000000, under a "Reserved" line; on arm64
# RAM past mem=768M, with no line at all.  CMAFW_LEND_DEPTH: how deep a
# lend region's line sits in iomem.
case $(uname -m) in
aarch64) CMAFW_SYSRAM=0x48000000 CMAFW_RAM_START=0x40000000 CMAFW_STRADDLE=0x62f00000
	CMAFW_WIN_A=0x68000000 CMAFW_WIN_B=0x6c000000
	CMAFW_LEND_WIN=0x70000000 CMAFW_LEND_DEPTH=0 ;;
*) CMAFW_SYSRAM=0x08000000 CMAFW_RAM_START=0x0 CMAFW_STRADDLE=0x23f00000
	CMAFW_WIN_A=0x20000000 CMAFW_WIN_B=0x30000000
	CMAFW_LEND_WIN=0x40000000 CMAFW_LEND_DEPTH=1 ;;
esac
export CMAFW_SYSRAM CMAFW_LEND_WIN

# On a device-tree system with cmafw nodes the other sections load cmafw
# without the device tree's regions and map; 15-devicetree.sh tests them.
CMAFW_LOAD_ARGS=
if grep -qs cmafw,region /sys/firmware/devicetree/base/reserved-memory/*/compatible; then
	CMAFW_LOAD_ARGS=devicetree=0
fi
export CMAFW_LOAD_ARGS

load_cmafw() {
	# shellcheck disable=SC2086 # empty or one word
	insmod "$MODDIR/cmafw.ko" $CMAFW_LOAD_ARGS "$@"
}

load_test() {
	insmod "$MODDIR/cmafw_test.ko"
}

unload_all() {
	rmmod cmafw_test 2>/dev/null
	rmmod cmafw 2>/dev/null
	! grep -q '^cmafw' /proc/modules
}

# log_mark, then log_since PATTERN: whether a kernel log line logged after
# the mark matches PATTERN (so an unrelated line logged meanwhile, such as
# a clocksource notice, cannot hide or fake it).
log_mark() {
	T_LOG_MARK=$(dmesg | wc -l)
}

log_since() {
	dmesg | tail -n +$((T_LOG_MARK + 1)) | grep -q -e "$1"
}

# The last kernel log line that matches PATTERN.
dmesg_last() {
	dmesg | grep -e "$1" | tail -n 1
}

# wait_until TENTHS CMD...: run CMD every tenth of a second until it
# succeeds, TENTHS times at most; 1 if it never did.
wait_until() {
	t_n=$1
	shift
	until "$@"; do
		t_n=$((t_n - 1))
		[ "$t_n" -gt 0 ] || return 1
		sleep 0.1
	done
}

hex() {
	printf '0x%x' "$(($1))"
}

# heaptest_run ARGS...: run the dma-buf heap client, its PASS/FAIL/SKIP
# lines as TAP, then whether it exited 0.
heaptest_run() {
	"${CMAFW_SELFTESTS:-/selftests}/cmafw/heap/heaptest" "$@" \
		>"${TMPDIR:-/tmp}/heaptest.out" 2>&1
	t_st=$?
	while IFS= read -r t_line; do
		case $t_line in
		"PASS "*) ok "heaptest: ${t_line#PASS }" ;;
		"FAIL "*) not_ok "heaptest: ${t_line#FAIL }" ;;
		"SKIP "*) ok "heaptest: ${t_line#SKIP } # SKIP" ;;
		*) echo "# $t_line" ;;
		esac
	done <"${TMPDIR:-/tmp}/heaptest.out"
	expect_eq "heaptest $1 exits 0" "$t_st" 0
}
