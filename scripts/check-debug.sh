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
#      line of the fragment must hold in the result.
#   3. The tree's modules, built against that kernel in a copy of the tree
#      ($DEBUG_WORK_DIR/tree), so the Debian-built *.ko of the work tree
#      stay as they are.
#   4. The copy's scripts/guest-run.sh boots the debug kernel (GUEST_SMP
#      CPUs, at least 2; `cma=16M kmemleak=on tsc=reliable`, the last so
#      that the clocksource watchdog does not log about slow TCG reads)
#      with debug/guest-entry.sh, which runs selftests/cmafw/guest/main.sh
#      (stress included), the fault sweep (selftests/cmafw/fault/) and ends
#      with a kmemleak scan.
#
# usage: scripts/check-debug.sh [--build-only] [--config-only] [--rebuild]
#   --config-only  make and verify the kernel config, print its path, stop
#   --build-only   build (or find) the kernel and the modules, do not boot
#   --rebuild      throw the cached kernel for this key away first
#
# Environment: DEBUG_JOBS (make -j, default nproc), DEBUG_WORK_DIR
# ($BUILD_DIR/debug), GUEST_TIMEOUT (default 4800 s: the fault sweep takes 20-30 min under TCG), GUEST_SMP (2),
# GUEST_APPEND (added after those), CMAFW_STRESS_SECONDS
# (stress duration in the guest, default 30), GUEST_* (scripts/guest-run.sh).
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

missing=()
for t in make gcc flex bison bc perl xz depmod flock sha256sum tar; do
	command -v "$t" >/dev/null || missing+=("$t")
done
[ -f /usr/include/gelf.h ] || [ -f /usr/include/libelf/gelf.h ] || missing+=("libelf-dev (gelf.h)")
[ ${#missing[@]} -eq 0 ] || die "missing for the kernel build: ${missing[*]} (apt-get install flex bison bc libelf-dev kmod util-linux)"
if [ ! -f "$LINUX_SRC/Makefile" ] || [ ! -f "$LINUX_SRC/.cmafw-unpacked" ]; then
	die "no unpacked kernel source in $LINUX_SRC: run scripts/deps.sh"
fi
[ -f "$FRAGMENT" ] || die "$FRAGMENT missing"

JOBS=${DEBUG_JOBS:-$(nproc)}
WORK=${DEBUG_WORK_DIR:-$BUILD_DIR/debug}

# --- 2. the debug kernel ------------------------------------------------------
src_version=$(cat "$LINUX_SRC/.cmafw-unpacked")
cc_version=$(gcc --version | head -n 1)
KEY=$({
	printf 'recipe %s\nbase tinyconfig\nsource %s\ncc %s\n' "$RECIPE" "$src_version" "$cc_version"
	cat "$FRAGMENT"
} | sha256sum | cut -c1-16)
KCACHE=$CMAFW_CACHE/debug-kernel/$KEY
OBJ=$KCACHE/obj
STAMP=$KCACHE/built
mkdir -p "$KCACHE"

# One build per key at a time, however many trees ask for it.
exec 9>"$KCACHE.lock"
if ! flock -n 9; then
	log "another check-debug builds $KEY; waiting for it"
	flock 9
fi

if [ "$REBUILD" = 1 ]; then
	log "--rebuild: removing $KCACHE"
	rm -rf "$OBJ" "$STAMP" "$KCACHE/root" "$KCACHE/build.log"
fi

kmake() { make -C "$LINUX_SRC" O="$OBJ" "$@"; }

# verify_config FRAGMENT CONFIG: print each fragment line the config lacks.
verify_config() {
	local line sym got bad=0
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*)
			sym=${line%%=*}
			grep -qxF -- "$line" "$2" && continue ;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }; sym=${sym%% *}
			grep -q "^$sym=" "$2" || continue ;;
		*) continue ;;
		esac
		got=$(grep -E "^(# )?${sym}[= ]" "$2" || true)
		printf '  wanted: %-45s got: %s\n' "$line" "${got:-(not in .config: unmet dependencies)}"
		bad=$((bad + 1))
	done <"$1"
	return $((bad > 0))
}

configure() {
	log "configuring: tinyconfig + ${FRAGMENT#"$ROOT"/} + olddefconfig in $OBJ"
	mkdir -p "$OBJ"
	kmake -s tinyconfig >/dev/null
	# merge_config.sh makes its temporary files in $PWD: keep them in $OBJ.
	(cd "$OBJ" && "$LINUX_SRC/scripts/kconfig/merge_config.sh" -m -Q .config "$FRAGMENT" >/dev/null)
	kmake -s olddefconfig >/dev/null
	local report
	if ! report=$(verify_config "$FRAGMENT" "$OBJ/.config"); then
		printf '%s\n' "$report" >&2
		rm -f "$OBJ/.config"
		die "these options of ${FRAGMENT#"$ROOT"/} did not end up set (see above); fix the fragment"
	fi
	log "config verified: all $(grep -cE '^(CONFIG_|# CONFIG_.* is not set)' "$FRAGMENT") fragment lines hold"
}

if [ -f "$STAMP" ] && [ -f "$OBJ/arch/x86/boot/bzImage" ]; then
	KREL=$(cat "$STAMP")
	log "debug kernel $KREL cached in $KCACHE (key $KEY)"
	[ "$MODE" != config ] || { echo "$OBJ/.config"; exit 0; }
else
	t_kernel=$SECONDS
	# A half-built objdir of an interrupted run is reused: make is incremental.
	configure
	if [ "$MODE" = config ]; then echo "$OBJ/.config"; exit 0; fi
	log "building bzImage and modules with -j$JOBS (log: $KCACHE/build.log); a cold build takes minutes"
	if ! kmake -j"$JOBS" bzImage modules >"$KCACHE/build.log" 2>&1; then
		tail -n 40 "$KCACHE/build.log" >&2
		die "kernel build failed (log: $KCACHE/build.log)"
	fi
	rm -rf "$KCACHE/root"
	kmake -s INSTALL_MOD_PATH="$KCACHE/root" modules_install >>"$KCACHE/build.log" 2>&1 \
		|| die "modules_install failed (log: $KCACHE/build.log)"
	KREL=$(kmake -s kernelrelease)
	printf '%s\n' "$KREL" >"$STAMP"
	log "debug kernel $KREL built in $(elapsed "$t_kernel")"
fi
# The cache is ready; let other builds of this key in.
exec 9>&-

VMLINUZ=$OBJ/arch/x86/boot/bzImage
MODDIR=$KCACHE/root/lib/modules/$KREL
[ -f "$MODDIR/kernel/fs/configfs/configfs.ko" ] || die "configfs.ko missing under $MODDIR (is CONFIG_CONFIGFS_FS=m?)"

# --- 3. the tree's modules, in a copy of the tree ---------------------------
t_mod=$SECONDS
TREE=$WORK/tree
KBUILD_JOBS=$JOBS "$ROOT/scripts/kbuild-copy.sh" "$OBJ" "$TREE" "$WORK/modules.log" >/dev/null ||
	die "building the modules against the debug kernel failed"
# The fault sweep's helper, static: the guest has busybox only.
gcc -O2 -Wall -static -o "$TREE/selftests/cmafw/fault/failnth" \
	"$TREE/selftests/cmafw/fault/failnth.c" || die "building failnth failed"
log "modules built for $KREL in $TREE in $(elapsed "$t_mod")"
[ "$MODE" = run ] || { log "--build-only: not booting"; exit 0; }

# --- 4. boot it --------------------------------------------------------------
SMP=${GUEST_SMP:-2}
[ "$SMP" -ge 2 ] || die "GUEST_SMP must be at least 2 (lockdep and the stress test want real concurrency)"
t_guest=$SECONDS
set +e
GUEST_BUILD_DIR=$WORK/guest VMLINUZ=$VMLINUZ KVER=$KREL MODDIR=$MODDIR \
GUEST_SMP=$SMP GUEST_TIMEOUT=${GUEST_TIMEOUT:-4800} \
GUEST_APPEND="cma=16M kmemleak=on tsc=reliable${GUEST_APPEND:+ $GUEST_APPEND}" \
	"$TREE/scripts/guest-run.sh" debug/guest-entry.sh "${CMAFW_STRESS_SECONDS:-30}"
st=$?
set -e
log "guest run on $KREL took $(elapsed "$t_guest"); whole check-debug $(elapsed "$t_all"); console log $WORK/guest/console.log" >&2
exit "$st"
