#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest entry of scripts/check-debug.sh, for the debug kernel (KASAN,
# lockdep, kmemleak; mainline CMA with cma=16M).  One TAP stream:
#
#   1. the guest really runs the debug kernel and the debug-built modules,
#      mainline CMA reserved its 16 MiB, and the boot log holds no report;
#   2. a first kmemleak scan, whose finds (the kernel's own, before any
#      cmafw code ran) are listed and then cleared, and the kernel log is
#      emptied: the harness judges what follows;
#   3. PART "suite": selftests/cmafw/guest/main.sh, renumbered into this
#      stream, with STRESS_SECONDS of stress;
#      PART "sweep": selftests/cmafw/fault/fault-sweep.sh, each operation
#      with its N-th allocation failing, for every N;
#      PART "all": both, one after the other;
#   4. lockdep still on, no taint but W/O/E, and a final kmemleak scan that
#      must find nothing.
#
# check-debug.sh boots two guests side by side, one per PART: under TCG
# each keeps about one core busy, and each takes about an hour.
#
# usage: guest-entry.sh [PART [STRESS_SECONDS]]   (default all, 30)

G=${CMAFW_SELFTESTS:-/selftests}/cmafw/guest
# shellcheck source=SCRIPTDIR/../selftests/cmafw/guest/lib.sh
. "$G/lib.sh"
PART=${1:-all}
export CMAFW_STRESS_SECONDS="${2:-30}"
case $PART in
suite | sweep | all) ;;
*) echo "Bail out! guest-entry.sh: PART must be suite, sweep or all, not $PART"; exit 2 ;;
esac
KML=/sys/kernel/debug/kmemleak
# What the harness's judge counts as a kernel report (scripts/guest-run.sh).
REPORTS='WARNING:|BUG:|BUG [A-Za-z0-9_.:-]+ \(|kernel BUG at|Oops|Kernel panic|general protection|KASAN|UBSAN|kmemleak|possible recursive locking|circular locking|INFO: task|soft lockup|hard LOCKUP|self-detected stall|detected stalls on CPUs'
# Lines of a clean boot that match it: kmemleak's banner, the command line.
BENIGN='kmemleak: Kernel memory leak detector initialized|[Cc]ommand line: '

# comment: print stdin as TAP comments, at most $1 lines.
comment() {
	head -n "$1" | sed 's/^/#   /'
}

echo "TAP version 13"
section "debug kernel"
krel=$(uname -r)
case $krel in
*-cmafw-debug) ok "the guest runs the debug kernel ($krel)" ;;
*) not_ok "the guest runs the debug kernel (got $krel)" ;;
esac
for ko in cmafw cmafw_test; do
	vm=$(tr '\0' '\n' <"$MODDIR/$ko.ko" | sed -n 's/^vermagic=//p')
	expect_eq "$ko.ko is built for it" "${vm%% *}" "$krel"
	check "$ko.ko is KASAN-instrumented" \
		grep -q __asan_report "$MODDIR/$ko.ko"
done
check "KASAN is on" sh -c "dmesg | grep -q 'KernelAddressSanitizer initialized'"
check "lockdep is on" grep -qE '^ *debug_locks: +1$' /proc/lockdep_stats
check "kmemleak is on" sh -c "echo scan >$KML"
expect_eq "mainline CMA reserved cma=16M" \
	"$(sed -n 's/^CmaTotal: *//p' /proc/meminfo)" "16384 kB"
dmesg | grep -E '(cma|CMA).*(reserved|Reserved)' | comment 3
check "the CMA dma-buf heap exists" test -c /dev/dma_heap/reserved
check "memory hotplug is there" test -d /sys/devices/system/memory

boot=$(dmesg | grep -E "$REPORTS" | grep -vE "$BENIGN")
if [ -z "$boot" ]; then
	ok "the boot log holds no kernel report"
else
	not_ok "the boot log holds no kernel report"
	echo "$boot" | comment 60
fi

# The kernel's own leaks from before any cmafw code ran are not ours:
# list them, then mark them reported so that the last scan shows only new
# ones.  The log is emptied too (it has kmemleak's banner, which the judge
# would count); the boot's warnings are on the console log anyway.
base=$(grep -c '^unreferenced object' $KML)
echo "# kmemleak baseline: $base unreferenced object(s) before the suite (the kernel's, cleared)"
grep -A12 '^unreferenced object' $KML | comment 40
echo clear >$KML
dmesg -c >/dev/null

if [ "$PART" != sweep ]; then
	section "the guest suite on the debug kernel (stress: $CMAFW_STRESS_SECONDS s)"
	t0=$(date +%s)
	{
		sh "$G/main.sh"
		echo "@@main-exit $?"
	} | awk -v off="$T_NUM" -v counts=/tmp/main.counts '
		/^TAP version/ || /^1\.\.[0-9]+$/ { next }
		/^@@main-exit / { rc = $2; next }
		/^(not )?ok [0-9]+/ {
			bad = ($0 ~ /^not ok/)
			rest = $0
			sub(/^(not )?ok [0-9]+/, "", rest)
			n++
			printf "%sok %d%s\n", bad ? "not " : "", off + n, rest
			if (bad && tolower(rest) !~ /# *(todo|skip)/)
				fail++
			fflush()
			next
		}
		{ print; fflush() }
		END { print n + 0, fail + 0, rc + 0 > counts }'
	read -r n fail rc </tmp/main.counts
	T_NUM=$((T_NUM + n))
	T_FAILED=$((T_FAILED + fail))
	echo "# main.sh: $n tests in $(($(date +%s) - t0)) s"
	if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then
		not_ok "main.sh exited with status $rc"
fi

fi

# The fault sweep: every operation with its N-th allocation failing.
if [ "$PART" != suite ]; then
	t0=$(date +%s)
	# shellcheck source=SCRIPTDIR/../selftests/cmafw/fault/fault-sweep.sh
	. "$G/../fault/fault-sweep.sh"
	echo "# fault sweep: $(($(date +%s) - t0)) s"
fi

section "after the suite"
check_not "no cmafw module is left loaded" grep -q '^cmafw' /proc/modules
if grep -qE '^ *debug_locks: +1$' /proc/lockdep_stats; then
	ok "lockdep is still checking (debug_locks 1)"
else
	not_ok "lockdep is still checking (debug_locks 1)"
fi
grep -E 'lock-classes|dependency chains|direct dependencies' /proc/lockdep_stats | comment 3
taint=$(cat /proc/sys/kernel/tainted)
# W (512, the suite's expected warnings), O (4096) and E (8192) only.
expect_eq "no taint but W, O and E (tainted=$taint)" \
	"$((taint & ~(512 | 4096 | 8192)))" 0

# Leaked objects are reported once they are 5 s old; two scans, so that a
# pointer that was only in flight is not taken for a leak.
sleep 6
echo scan >$KML
echo scan >$KML
leaks=$(grep -c '^unreferenced object' $KML)
echo "cmafw debug run: final leak scan found $leaks suspect(s)" >/dev/kmsg
if [ "$leaks" -eq 0 ]; then
	ok "kmemleak: no leak after the suite"
else
	not_ok "kmemleak: no leak after the suite ($leaks suspect(s))"
	comment 200 <$KML
fi

echo "1..$T_NUM"
[ "$T_FAILED" -eq 0 ]
