#!/bin/bash
# `make check`: the one command a newcomer runs.
#
#   1. scripts/deps.sh                        (fatal if it fails)
#   2. make modules                           (a failure skips the guest)
#   3. make -C selftests/userspace check      (if that Makefile exists)
#   4. bats scripts/tests                     (the harness judges right)
#   5. tools/cmaadm/tests/host.sh             (cmaadm on a fake tree)
#   6. scripts/lint.sh                        (style gates, = make lint)
#   7. scripts/install-test.sh                (make install, staged)
#   8. scripts/guest-run.sh                   (default guest entry; the
#      whole suite is ~900 tests: GUEST_TIMEOUT defaults to 1200 s here)
#   9. scripts/arm64.sh run .../arm64/smoke.sh (arm64 smoke: cross-build,
#      device tree, qemu-system-aarch64; the full run is make check-arm64)
#
# Keeps going after a failure, prints a summary and ends with the line
# `N passed, N failed` (+ `, N skipped`) summed over the userspace, harness,
# lint, install and guest suites.  A failed step that reports no failed
# test (build error, crash...) counts as one failure.  Exit status non-zero
# on any failure.  Logs: build/check/<step>.log.  Environment: KDIR (build),
# GUEST_* (see scripts/guest-run.sh), MAKE.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MAKE=${MAKE:-make}
LOGDIR=$ROOT/build/check
mkdir -p "$LOGDIR"

TOTAL_P=0 TOTAL_F=0 TOTAL_S=0
SUMMARY=()

banner() { printf '\n==== %s ====\n' "$*"; }

# counts LOG: print "P F S found" from the last `N passed, N failed[, N
# skipped]` line, else from TAP `ok N` / `not ok N` lines.
counts() {
	awk '
	{ gsub(/\r/, "") }
	/^([A-Za-z_-]+: )?[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$/ {
		s = $0; sub(/^[A-Za-z_-]+: /, "", s); n = split(s, w, /[ ,]+/)
		lp = w[1]; lf = w[3]; ls = (n >= 5 ? w[5] : 0); have = 1
	}
	/^(not )?ok [0-9]+/ {
		l = tolower($0)
		if (l ~ /(^|[^\\])#[ \t]*skip/) ts++
		else if ($0 ~ /^not /) tf++
		else tp++
		tap = 1
	}
	END {
		if (have) print lp + 0, lf + 0, ls + 0, "summary"
		else if (tap) print tp + 0, tf + 0, ts + 0, "tap"
		else print 0, 0, 0, "none"
	}' "$1"
}

# suite NAME CMD...: run a test suite, add its counts to the totals.
suite() {
	local name=$1 log=$LOGDIR/$1.log p f s how st note=
	shift
	banner "$name: $*"
	"$@" 2>&1 | tee "$log"
	st=${PIPESTATUS[0]}
	read -r p f s how < <(counts "$log")
	if [ "$how" = none ]; then note=" (no test counts found)"; fi
	if [ "$st" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1; note="$note (exit status $st)"
	fi
	TOTAL_P=$((TOTAL_P + p)) TOTAL_F=$((TOTAL_F + f)) TOTAL_S=$((TOTAL_S + s))
	SUMMARY+=("$(printf '%-10s %d passed, %d failed, %d skipped%s' "$name" "$p" "$f" "$s" "$note")")
	return "$st"
}

# step NAME CMD...: a non-test step; a failure counts as one failed test.
step() {
	local name=$1 log=$LOGDIR/$1.log st
	shift
	banner "$name: $*"
	"$@" 2>&1 | tee "$log"
	st=${PIPESTATUS[0]}
	if [ "$st" -eq 0 ]; then
		SUMMARY+=("$(printf '%-10s ok' "$name")")
	else
		TOTAL_F=$((TOTAL_F + 1))
		SUMMARY+=("$(printf '%-10s FAILED (exit status %d, log %s)' "$name" "$st" "${log#"$ROOT"/}")")
	fi
	return "$st"
}

finish() {
	banner summary
	printf '%s\n' "${SUMMARY[@]}"
	local line="$TOTAL_P passed, $TOTAL_F failed"
	[ "$TOTAL_S" -eq 0 ] || line="$line, $TOTAL_S skipped"
	printf '%s\n' "$line"
	[ "$TOTAL_F" -eq 0 ]
	exit
}

start=$SECONDS
step deps "$ROOT/scripts/deps.sh" || finish

# deps may just have installed the kernel: compute KDIR now unless given
# shellcheck source=scripts/env.sh
. "$ROOT/scripts/env.sh"

built=1
step build "$MAKE" -C "$ROOT" modules KDIR="$KDIR" || built=0

if [ -f "$ROOT/selftests/userspace/Makefile" ]; then
	suite userspace "$MAKE" -C "$ROOT/selftests/userspace" check
else
	SUMMARY+=("$(printf '%-10s not present (no selftests/userspace/Makefile)' userspace)")
fi

suite harness bats --tap "$ROOT/scripts/tests"

suite cmaadm sh "$ROOT/tools/cmaadm/tests/host.sh"

suite lint "$ROOT/scripts/lint.sh"

if [ "$built" = 1 ]; then
	suite install "$ROOT/scripts/install-test.sh"
else
	TOTAL_F=$((TOTAL_F + 1))
	SUMMARY+=("$(printf '%-10s NOT RUN (module build failed)' install)")
fi

if [ "$built" = 1 ]; then
	GUEST_TIMEOUT=${GUEST_TIMEOUT:-1200} suite guest "$ROOT/scripts/guest-run.sh"
else
	TOTAL_F=$((TOTAL_F + 1))
	SUMMARY+=("$(printf '%-10s NOT RUN (module build failed)' guest)")
fi

GUEST_TIMEOUT=300 suite arm64 "$ROOT/scripts/arm64.sh" run selftests/cmafw/arm64/smoke.sh

SUMMARY+=("$(printf '%-10s %ds' time $((SECONDS - start)))")
finish
