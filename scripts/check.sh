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
#      whole suite is ~900 tests: GUEST_TIMEOUT defaults to 1200 s here),
#      once on the newest Debian 6.12 cloud kernel with the work tree's
#      modules and once on the newest 6.1 cloud kernel with a copy of the
#      tree built for it (build/kernels/<release>/tree); KVER=6.1, 6.12 or
#      a release runs that kernel only.  After each, a second boot of the
#      same kernel runs guest/lend-past-mem.sh (2 GiB, mem=1G, and a
#      memmap= block with no RAM behind it), and a third
#      guest/heap-bounce.sh (swiotlb=force)
#   9. scripts/patches.sh --check             (the in-kernel series),
#      scripts/check-debug.sh --config-only   (the debug kernel's config)
#  10. scripts/vivid-run.sh                   (vivid captures into a cmafw
#      heap, and vgem imports one, on Debian's generic 6.12 kernel)
#  11. scripts/arm64.sh run .../arm64/smoke.sh (arm64 smoke: cross-build,
#      device tree, heap, lend mode, qemu-system-aarch64; the full run is
#      make check-arm64), scripts/arm64.sh vivid (10. on arm64) and
#      scripts/arm64.sh efi (lend mode on a boot through UEFI), on Debian's
#      arm64 6.12 kernel, then on its 6.1 one (bookworm's default)
#
# Each kernel's steps of 8., and 9.-11., run in background jobs beside
# 3.-7.: under TCG a guest keeps about one core busy and the host suites
# mostly one, so on two cores this takes little longer than the longest.
#
# Keeps going after a failure, prints a summary and ends with the line
# `N passed, N failed` (+ `, N skipped`) summed over the userspace, harness,
# lint, install and guest suites.  A failed step that reports no failed
# test (build error, crash...) counts as one failure, as do a suite that
# reports no test and a background job that ends early.  Exit status non-zero
# on any failure.  Logs: build/check/<step>.log.  Environment: KDIR (build),
# KVER (see 8.), GUEST_* (see scripts/guest-run.sh; the accelerator is
# decided once, by scripts/accel.sh), MAKE.
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

# record P F S LINE: add a suite's or step's counts and summary line to
# the totals; inside a background job (BG_RESULTS set) to its results
# file, which collect() reads once the job has ended.
record() {
	if [ -n "${BG_RESULTS:-}" ]; then
		printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$BG_RESULTS"
		return
	fi
	TOTAL_P=$((TOTAL_P + $1)) TOTAL_F=$((TOTAL_F + $2)) TOTAL_S=$((TOTAL_S + $3))
	SUMMARY+=("$4")
}

# suite NAME CMD...: run a test suite, add its counts to the totals.
suite() {
	local name=$1 log=$LOGDIR/$1.log p f s how st note=
	shift
	banner "$name: $*"
	"$@" 2>&1 | tee "$log"
	st=${PIPESTATUS[0]}
	read -r p f s how < <(counts "$log")
	# A suite that reports no test ran none: a failure, not a pass.
	if [ "$how" = none ]; then f=1; note=" (no test counts found)"; fi
	if [ "$st" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1; note="$note (exit status $st)"
	fi
	record "$p" "$f" "$s" "$(printf '%-15s %d passed, %d failed, %d skipped%s' "$name" "$p" "$f" "$s" "$note")"
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
		record 0 0 0 "$(printf '%-15s ok' "$name")"
	else
		record 0 1 0 "$(printf '%-15s FAILED (exit status %d, log %s)' "$name" "$st" "${log#"$ROOT"/}")"
	fi
	return "$st"
}

# background NAME CMD...: run CMD (suites and steps) beside the rest, its
# output into build/check/NAME.job.log.  Under TCG a guest keeps about one
# core busy, so two guests on two cores take little longer than one.
BG_NAMES=() BG_PIDS=()
background() {
	local name=$1
	shift
	printf '\n==== %s: started in the background (log: %s) ====\n' "$name" \
		"${LOGDIR#"$ROOT"/}/$name.job.log"
	: >"$LOGDIR/$name.results"
	rm -f "$LOGDIR/$name.done"
	(
		BG_RESULTS=$LOGDIR/$name.results "$@"
		: >"$LOGDIR/$name.done"
	) >"$LOGDIR/$name.job.log" 2>&1 &
	BG_NAMES+=("$name") BG_PIDS+=("$!")
}

# collect: wait for the background jobs; show their output and add their
# results, in the order they were started.  A job that did not get to its
# end (killed, or a shell error) counts as one failure more: the suites
# it did not reach are not in its results.
collect() {
	local i name p f s line st
	for i in "${!BG_PIDS[@]}"; do
		name=${BG_NAMES[$i]}
		wait "${BG_PIDS[$i]}"
		st=$?
		printf '\n==== %s: the background job ====\n' "$name"
		cat "$LOGDIR/$name.job.log"
		while IFS=$'\t' read -r p f s line; do
			record "$p" "$f" "$s" "$line"
		done <"$LOGDIR/$name.results"
		[ -e "$LOGDIR/$name.done" ] ||
			record 0 1 0 "$(printf '%-15s FAILED: %s (exit status %d, log %s)' \
				"$name" "the job ended early" "$st" \
				"${LOGDIR#"$ROOT"/}/$name.job.log")"
	done
	BG_NAMES=() BG_PIDS=()
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
USER_KVER=${KVER:-}
step deps "$ROOT/scripts/deps.sh" || finish

# deps may just have installed the kernel: compute KDIR now unless given
# shellcheck source=scripts/env.sh
. "$ROOT/scripts/env.sh"

# KVM or TCG, decided once for every guest of this run (scripts/accel.sh)
if accel=$("$ROOT/scripts/accel.sh" --export); then
	eval "$accel"
	printf 'check: guests run under %s: %s\n' "$CMAFW_ACCEL" "$CMAFW_ACCEL_WHY"
else
	step accel "$ROOT/scripts/accel.sh"
	finish
fi

built=1
step build "$MAKE" -C "$ROOT" modules KDIR="$KDIR" || built=0

# KVER given: that kernel only; else the newest 6.12 and 6.1 cloud kernels.
if [ -n "$USER_KVER" ]; then
	kernels=("$KVER")
else
	kernels=("$(cmafw_detect_kver 6.12)" "$(cmafw_detect_kver 6.1)")
fi
for k in "${kernels[@]}"; do
	[ -n "$k" ] && continue
	record 0 1 0 "$(printf '%-15s NOT RUN (a kernel is missing: run scripts/deps.sh)' guest)"
	finish
done

# guest KREL [SHELLS]: the guest suite on kernel KREL, with cmaadm's bats
# suite run under SHELLS (GUEST_CMAADM_SHELLS; empty or none: guest-run.sh's
# default, both).  The work tree's modules are built for $KDIR's kernel;
# any other kernel gets its own copy of the tree (scripts/kbuild-copy.sh),
# whose guest-run.sh boots it.
# shellcheck disable=SC2317 # run by background()
guest() {
	local krel=$1 shells=${2:-} name tree=$ROOT kdir=/usr/src/linux-headers-$1
	name=guest-$(printf '%s' "$krel" | cut -d. -f1,2)
	[ -d "$kdir" ] || kdir=$KDIR
	if [ "$built" != 1 ]; then
		record 0 1 0 "$(printf '%-15s NOT RUN (module build failed)' "$name")"
		return
	fi
	if [ "$kdir" != "$KDIR" ]; then
		tree=$BUILD_DIR/kernels/$krel/tree
		step "build-${name#guest-}" "$ROOT/scripts/kbuild-copy.sh" "$kdir" "$tree" || return
		KDIR=$kdir suite "install-${name#guest-}" "$tree/scripts/install-test.sh"
	fi
	# Both boots below are of this kernel, with the tree's modules for it.
	local root KVER=$krel KDIR=$kdir VMLINUZ MODDIR
	root=$(cmafw_kernel_root "$krel")
	VMLINUZ=${root}boot/vmlinuz-$krel MODDIR=${root}lib/modules/$krel
	export KVER KDIR VMLINUZ MODDIR
	GUEST_BUILD_DIR=$BUILD_DIR/guest-$krel GUEST_TIMEOUT=${GUEST_TIMEOUT:-1200} \
	GUEST_CMAADM_SHELLS=$shells suite "$name" "$tree/scripts/guest-run.sh"
	# Lend mode on the RAM past mem=, in a boot of its own.
	GUEST_BUILD_DIR=$BUILD_DIR/pastmem-$krel GUEST_TIMEOUT=300 GUEST_MEM=2G \
	GUEST_MEMMAP="mem=1G memmap=128M\$0x100000000 memhp_default_state=online_movable" \
		suite "pastmem-${name#guest-}" "$tree/scripts/guest-run.sh" \
		selftests/cmafw/guest/lend-past-mem.sh
	# Heap imports when the kernel bounces all DMA, in a boot of its own.
	GUEST_BUILD_DIR=$BUILD_DIR/bounce-$krel GUEST_TIMEOUT=300 \
	GUEST_APPEND=swiotlb=force \
		suite "bounce-${name#guest-}" "$tree/scripts/guest-run.sh" \
		selftests/cmafw/guest/heap-bounce.sh
}

# Every kernel's guest suite (and for all but the first, its own build and
# install test) runs in the background, beside the host suites.  With two
# kernels, cmaadm's bats suite runs once, with the tool under busybox ash
# (the shell of the boards it is for), in the second kernel's guest, 6.1's:
# a pass takes 3-6 minutes under TCG beside the other emulators, and the
# tool reads the same sysfs and configfs on both.  The tool's agreement
# under busybox ash, dash and bash is host.sh's (above, on a fake tree);
# its bash pass against a real kernel is make check-arm64's and make
# check-debug's, which run both passes.
cmaadm_shells=(none sh)
for i in "${!kernels[@]}"; do
	shells=
	[ "${#kernels[@]}" -eq 1 ] || shells=${cmaadm_shells[$i]}
	background "kernel-$(printf '%s' "${kernels[$i]}" | cut -d. -f1,2)" \
		guest "${kernels[$i]}" "$shells"
done

# others: what builds its own copy of the tree, one after another: the
# in-kernel series (regenerated, applied, checkpatch'ed), the debug
# kernel's configuration (every line of debug/debug.config, fault
# injection included, holds; the build and the suite are make
# check-debug), vivid capturing into a heap and vgem importing one on
# Debian's generic 6.12 kernel, and on arm64 (6.12 and 6.1) the smoke
# subset, the same vivid and vgem run, and lend mode through UEFI.
# shellcheck disable=SC2317 # run by background()
others() {
	suite patches "$ROOT/scripts/patches.sh" --check
	step debug-cfg "$ROOT/scripts/check-debug.sh" --config-only
	if [ "$built" = 1 ]; then
		suite vivid "$ROOT/scripts/vivid-run.sh"
	else
		record 0 1 0 "$(printf '%-15s NOT RUN (module build failed)' vivid)"
	fi
	GUEST_TIMEOUT=600 suite arm64 "$ROOT/scripts/arm64.sh" run selftests/cmafw/arm64/smoke.sh
	GUEST_TIMEOUT=600 suite vivid-arm64 "$ROOT/scripts/arm64.sh" vivid
	GUEST_TIMEOUT=600 suite efi-arm64 "$ROOT/scripts/arm64.sh" efi
	GUEST_TIMEOUT=600 suite arm64-6.1 env KVER=6.1 "$ROOT/scripts/arm64.sh" run \
		selftests/cmafw/arm64/smoke.sh
	GUEST_TIMEOUT=600 suite vivid-arm64-6.1 env KVER=6.1 "$ROOT/scripts/arm64.sh" vivid
	GUEST_TIMEOUT=600 suite efi-arm64-6.1 env KVER=6.1 "$ROOT/scripts/arm64.sh" efi
}
background others others

if [ -f "$ROOT/selftests/userspace/Makefile" ]; then
	suite userspace "$MAKE" -C "$ROOT/selftests/userspace" check
else
	record 0 1 0 "$(printf '%-15s FAILED: no selftests/userspace/Makefile' userspace)"
fi

suite harness bats --tap "$ROOT/scripts/tests"

suite cmaadm sh "$ROOT/tools/cmaadm/tests/host.sh"

suite lint "$ROOT/scripts/lint.sh"

if [ "$built" = 1 ]; then
	suite install "$ROOT/scripts/install-test.sh"
else
	TOTAL_F=$((TOTAL_F + 1))
	SUMMARY+=("$(printf '%-15s NOT RUN (module build failed)' install)")
fi

collect

SUMMARY+=("$(printf '%-15s %ds' time $((SECONDS - start)))")
finish
