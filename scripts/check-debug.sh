#!/bin/bash
# `make check-debug`: the guest suite on a debug kernel (KASAN, lockdep,
# kmemleak, DEBUG_LIST, DEBUG_ATOMIC_SLEEP) with mainline CMA built in.
#
#   1. scripts/deps.sh, then the build tools a kernel needs.
#   2. The debug kernel, built once from Debian's linux-source-6.12 (the
#      unpacked copy in $LINUX_SRC, only read: the build uses O=) and cached
#      in $CMAFW_CACHE/debug-kernel/<key>/ , where <key> hashes
#      debug/debug.config, the source version and the compiler.  The config
#      is `make tinyconfig` + debug/debug.config + olddefconfig, and every
#      line of the fragment must hold in the result (scripts/kernel-cache.sh).
#   3. The tree's modules, built against that kernel in a copy of the tree
#      ($DEBUG_WORK_DIR/tree), so the Debian-built *.ko of the work tree
#      stay as they are.
#   4. The copy's scripts/guest-run.sh boots the debug kernel twice, side
#      by side (GUEST_SMP CPUs each, at least 2; `cma=16M kmemleak=on
#      tsc=reliable`, the last so that the clocksource watchdog does not
#      log about slow TCG reads), with debug/guest-entry.sh: one guest runs
#      selftests/cmafw/guest/main.sh (stress included), the other the fault
#      sweep (selftests/cmafw/fault/); each ends with a kmemleak scan.
#
# usage: scripts/check-debug.sh [--build-only] [--config-only] [--rebuild]
#   --config-only  make and verify the kernel config, print its path, stop
#   --build-only   build (or find) the kernel and the modules, do not boot
#   --rebuild      throw the cached kernel for this key away first
#
# Environment: DEBUG_JOBS (make -j, default nproc), DEBUG_WORK_DIR
# ($BUILD_DIR/debug), GUEST_TIMEOUT (per guest, default 5400 s: each part
# takes about an hour under TCG on a 2-core host), GUEST_SMP (2),
# GUEST_APPEND (added after those), CMAFW_STRESS_SECONDS (stress duration
# in the guest, default 30), GUEST_* (scripts/guest-run.sh).
# Last line: `N passed, N failed` as from scripts/guest-run.sh; exit status
# 0 only when the kernel built and the guest run passed.
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CMAFW_ROOT="$ROOT"

# Bump when the way the kernel is configured or built changes: it is part
# of the cache key.
RECIPE=1
FRAGMENT=$ROOT/debug/debug.config

MODE=run
REBUILD=0
while [ $# -gt 0 ]; do
	case $1 in
	--build-only) MODE=build; shift ;;
	--config-only) MODE=config; shift ;;
	--rebuild) REBUILD=1; shift ;;
	-h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
	*) printf 'check-debug: unknown argument %s (see --help)\n' "$1" >&2; exit 2 ;;
	esac
done

log() { printf 'check-debug: %s\n' "$*"; }
die() { printf 'check-debug: ERROR: %s\n' "$*" >&2; exit 2; }
elapsed() { printf '%ds' $((SECONDS - $1)); }

t_all=$SECONDS

# --- 1. dependencies --------------------------------------------------------
"$ROOT/scripts/deps.sh" | sed 's/^/check-debug: /'
# shellcheck source=scripts/env.sh
. "$ROOT/scripts/env.sh"

# shellcheck source=scripts/kernel-cache.sh
. "$ROOT/scripts/kernel-cache.sh"
kcache_check_tools

JOBS=${DEBUG_JOBS:-$(nproc)}
WORK=${DEBUG_WORK_DIR:-$BUILD_DIR/debug}

# --- 2. the debug kernel ------------------------------------------------------
kcache_build debug-kernel "$FRAGMENT" "$RECIPE" "$JOBS" "$MODE" "$REBUILD"
[ "$MODE" != config ] || { echo "$OBJ/.config"; exit 0; }

VMLINUZ=$OBJ/arch/x86/boot/bzImage
MODDIR=$KCACHE/root/lib/modules/$KREL

# --- 3. the tree's modules, in a copy of the tree ---------------------------
t_mod=$SECONDS
TREE=$WORK/tree
KBUILD_JOBS=$JOBS "$ROOT/scripts/kbuild-copy.sh" "$OBJ" "$TREE" "$WORK/modules.log" >/dev/null ||
	die "building the modules against the debug kernel failed"
# The fault sweep's helper, static: the guest has busybox only.
gcc -O2 -Wall -static -o "$TREE/selftests/cmafw/fault/failnth" \
	"$TREE/selftests/cmafw/fault/failnth.c" || die "building failnth failed"
# And the dma-buf heap client the guest suite's heap section runs.
make -s -C "$TREE/selftests/cmafw/heap" || die "building heaptest failed"
log "modules built for $KREL in $TREE in $(elapsed "$t_mod")"
[ "$MODE" = run ] || { log "--build-only: not booting"; exit 0; }

# --- 4. boot it, twice side by side ------------------------------------------
# One guest runs the guest suite, the other the fault sweep: each takes
# about an hour under TCG and keeps about one core busy.
SMP=${GUEST_SMP:-2}
# KVM or TCG, decided once for both guests, by booting this kernel
# (scripts/accel.sh)
accel=$(VMLINUZ="$VMLINUZ" "$ROOT/scripts/accel.sh" --export) || exit 2
eval "$accel"
log "guests run under $CMAFW_ACCEL: $CMAFW_ACCEL_WHY"
[ "$SMP" -ge 2 ] || die "GUEST_SMP must be at least 2 (lockdep and the stress test want real concurrency)"
t_guest=$SECONDS
# boot PART: the guest for that part of debug/guest-entry.sh, its output
# in $WORK/guest-PART/run.log.
boot() {
	mkdir -p "$WORK/guest-$1"
	GUEST_BUILD_DIR=$WORK/guest-$1 VMLINUZ=$VMLINUZ KVER=$KREL MODDIR=$MODDIR \
	GUEST_SMP=$SMP GUEST_TIMEOUT=${GUEST_TIMEOUT:-5400} \
	GUEST_APPEND="cma=16M kmemleak=on tsc=reliable${GUEST_APPEND:+ $GUEST_APPEND}" \
		"$TREE/scripts/guest-run.sh" debug/guest-entry.sh "$1" \
		"${CMAFW_STRESS_SECONDS:-30}" >"$WORK/guest-$1/run.log" 2>&1
}
parts=(suite sweep)
pids=()
for p in "${parts[@]}"; do
	boot "$p" &
	pids+=("$!")
	log "booted the $p guest (log: $WORK/guest-$p/run.log)"
done
st=0 passed=0 failed=0 skipped=0
for i in "${!parts[@]}"; do
	p=${parts[$i]}
	wait "${pids[$i]}" || st=1
	printf '\n==== check-debug: the %s guest ====\n' "$p"
	cat "$WORK/guest-$p/run.log"
	# guest-run.sh's last line: N passed, N failed[, N skipped]; read
	# fails on no such line, which set -e must not take for the end.
	np='' nf='' ns=''
	read -r np nf ns < <(tail -n 1 "$WORK/guest-$p/run.log" |
		sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed\(, \([0-9]*\) skipped\)\{0,1\}$/\1 \2 \4/p') || true
	if [ -z "$np" ]; then
		np=0 nf=1
		log "the $p guest printed no counts" >&2
	fi
	passed=$((passed + np)) failed=$((failed + nf)) skipped=$((skipped + ${ns:-0}))
	log "$p guest: $np passed, $nf failed${ns:+, $ns skipped}" >&2
done
[ "$failed" -eq 0 ] || st=1
log "guests on $KREL took $(elapsed "$t_guest"); whole check-debug $(elapsed "$t_all"); console logs $WORK/guest-{suite,sweep}/console.log" >&2
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
exit "$st"
