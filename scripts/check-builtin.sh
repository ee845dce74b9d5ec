#!/bin/bash
# `make check-builtin`: cmafw built into a kernel, with its boot regions.
#
#   1. `make patches`, then linux-source-6.12 with the series applied: a
#      hard-linked copy of $LINUX_SRC ($KCACHE/src; patch(1) breaks the
#      links of the files it changes), redone when the series changes.
#   2. The kernel, `make tinyconfig` + builtin/builtin.config (CONFIG_CMAFW=y,
#      CONFIG_CMAFW_BOOT, CONFIG_CMAFW_BOOT_TEST) + olddefconfig, built with
#      O= in $CMAFW_CACHE/builtin-kernel/<key>/obj, where <key> hashes the
#      fragment, the source version and the compiler; a new series rebuilds
#      incrementally there.  mm/cmafw/ is then rebuilt with W=1 and must
#      give no warning.
#   3. selftests/cmafw/module (cmafw_test.ko) built against it.
#   4. Three boots without memmap=, each with builtin/guest-entry.sh:
#      "malformed" (a broken cmafw.regions: the kernel comes up, one line
#      says why; its MemTotal is the baseline), "oversized" (a region
#      memblock cannot place), and "regions": the seed's example
#      video=20M;camera=20M;common=5M, a fixed region with an alignment,
#      the self-test's private early region, and the guest checks of
#      placement, MemTotal, /proc/iomem, sysfs, allocation, map, configfs
#      and cmaadm.
#
#   mm/cmafw/ is also compiled with CONFIG_CMAFW=m and W=1 in a second
#   objdir (unless --no-modular), and with sparse when it is installed.
#
# usage: scripts/check-builtin.sh [--build-only] [--no-modular]
# Environment: BUILTIN_JOBS (make -j, default nproc), GUEST_* as for
# scripts/guest-run.sh.  Last line `N passed, N failed`.
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CMAFW_ROOT="$ROOT"
RECIPE=1
FRAGMENT=$ROOT/builtin/builtin.config
MODE=run
MODULAR=1
for a in "$@"; do
	case $a in
	--build-only) MODE=build ;;
	--no-modular) MODULAR=0 ;;
	*) printf 'check-builtin: unknown argument %s\n' "$a" >&2; exit 2 ;;
	esac
done

log() { printf 'check-builtin: %s\n' "$*"; }
die() { printf 'check-builtin: ERROR: %s\n' "$*" >&2; exit 2; }

"$ROOT/scripts/deps.sh" | sed 's/^/check-builtin: /'
# shellcheck source=scripts/env.sh
. "$ROOT/scripts/env.sh"
for t in make gcc flex bison bc perl sha256sum flock; do
	command -v "$t" >/dev/null || die "$t missing (apt-get install flex bison bc libelf-dev)"
done
[ -f "$LINUX_SRC/.cmafw-unpacked" ] || die "no unpacked kernel source in $LINUX_SRC: run scripts/deps.sh"
JOBS=${BUILTIN_JOBS:-$(nproc)}
WORK=$BUILD_DIR/builtin

# --- 1. the series, applied ---------------------------------------------------
"$ROOT/scripts/patches.sh" | sed 's/^/check-builtin: /'
SERIES=$(cat "$BUILD_DIR"/patches/0*.patch | sha256sum | cut -c1-16)
KEY=$({
	printf 'recipe %s\nbase tinyconfig\nsource %s\ncc %s\n' "$RECIPE" \
		"$(cat "$LINUX_SRC/.cmafw-unpacked")" "$(gcc --version | head -n 1)"
	cat "$FRAGMENT"
} | sha256sum | cut -c1-16)
KCACHE=$CMAFW_CACHE/builtin-kernel/$KEY
SRC=$KCACHE/src
OBJ=$KCACHE/obj
mkdir -p "$KCACHE"
exec 9>"$KCACHE.lock"
flock -n 9 || { log "another check-builtin builds $KEY; waiting"; flock 9; }

if [ "$(cat "$KCACHE/series" 2>/dev/null)" != "$SERIES" ]; then
	rm -f "$KCACHE/built" "$KCACHE/series"
	# Take the old series back out (cheaper than a new copy), else copy.
	if [ -d "$KCACHE/applied" ] && [ -d "$SRC" ] &&
	   (for p in $(find "$KCACHE/applied" -name '0*.patch' | sort -r); do
		patch -R -p1 -s -d "$SRC" <"$p" || exit 1
	    done); then
		log "took the previous series out of $SRC"
	else
		log "linking a copy of $LINUX_SRC in $SRC"
		rm -rf "$SRC"
		cp -al "$LINUX_SRC" "$SRC"
	fi
	log "applying series $SERIES"
	"$ROOT/scripts/patches.sh" --apply "$SRC"
	rm -rf "$KCACHE/applied"
	cp -r "$BUILD_DIR/patches" "$KCACHE/applied"
	printf '%s\n' "$SERIES" >"$KCACHE/series"
fi

# --- 2. the kernel ------------------------------------------------------------
kmake() { make -C "$SRC" O="$OBJ" "$@"; }
if [ ! -f "$KCACHE/built" ]; then
	mkdir -p "$OBJ"
	kmake -s tinyconfig >/dev/null
	(cd "$OBJ" && "$SRC/scripts/kconfig/merge_config.sh" -m -Q .config "$FRAGMENT" >/dev/null)
	kmake -s olddefconfig >/dev/null
	bad=0
	while IFS= read -r l; do
		case $l in
		CONFIG_*=*) grep -qxF -- "$l" "$OBJ/.config" || { echo "  wanted: $l" >&2; bad=1; } ;;
		"# CONFIG_"*" is not set")
			s=${l#\# }; s=${s%% *}
			! grep -q "^$s=" "$OBJ/.config" || { echo "  wanted: $l" >&2; bad=1; } ;;
		esac
	done <"$FRAGMENT"
	[ "$bad" = 0 ] || die "builtin/builtin.config does not hold in the .config (see above)"
	log "building bzImage and modules with -j$JOBS (log: $KCACHE/build.log)"
	t=$SECONDS
	kmake -j"$JOBS" bzImage modules >"$KCACHE/build.log" 2>&1 ||
		{ tail -n 40 "$KCACHE/build.log" >&2; die "kernel build failed"; }
	rm -rf "$KCACHE/root"
	kmake -s INSTALL_MOD_PATH="$KCACHE/root" modules_install >>"$KCACHE/build.log" 2>&1
	kmake -s kernelrelease >"$KCACHE/built"
	log "kernel built in $((SECONDS - t))s"
fi
KREL=$(cat "$KCACHE/built")
# W=1 on cmafw's objects: the options change, so Kbuild recompiles them.
if ! kmake -j"$JOBS" W=1 mm/cmafw/ >"$KCACHE/w1.log" 2>&1 || grep -q 'warning:' "$KCACHE/w1.log"; then
	cat "$KCACHE/w1.log" >&2
	die "mm/cmafw/ with W=1 is not clean"
fi
log "mm/cmafw/ builds with W=1 without warnings"
if command -v sparse >/dev/null; then
	kmake -j"$JOBS" C=2 mm/cmafw/ >"$KCACHE/sparse.log" 2>&1 ||
		{ cat "$KCACHE/sparse.log" >&2; die "sparse on mm/cmafw/ failed"; }
	! grep -E 'warning:|error:' "$KCACHE/sparse.log" >&2 || die "mm/cmafw/ is not sparse clean"
	log "mm/cmafw/ is sparse clean"
fi
# The same series with CONFIG_CMAFW=m (without the boot part, which needs
# =y): mm/cmafw/ compiled as module objects, with W=1, in its own objdir.
# Only compiled, so it also takes the optional parts the test kernel
# leaves out: lend mode (memory hot-remove) and device-tree regions.
OBJM=$KCACHE/obj-m
OPTIONAL=(CONFIG_COMPACTION=y CONFIG_MIGRATION=y CONFIG_MEMORY_HOTPLUG=y
	CONFIG_MEMORY_HOTREMOVE=y CONFIG_CMAFW_LEND=y CONFIG_OF=y)
if [ "$MODULAR" = 1 ]; then
	mkdir -p "$OBJM"
	{
		sed -e 's/^CONFIG_CMAFW=y$/CONFIG_CMAFW=m/' -e '/^CONFIG_CMAFW_BOOT/d' \
			-e 's/^CONFIG_LOCALVERSION=.*/CONFIG_LOCALVERSION="-cmafw-m"/' \
			"$FRAGMENT"
		printf '%s\n' "${OPTIONAL[@]}"
	} >"$OBJM/fragment"
	make -C "$SRC" O="$OBJM" -s tinyconfig >/dev/null
	(cd "$OBJM" && "$SRC/scripts/kconfig/merge_config.sh" -m -Q .config fragment >/dev/null)
	make -C "$SRC" O="$OBJM" -s olddefconfig >/dev/null
	for l in CONFIG_CMAFW=m "${OPTIONAL[@]}"; do
		grep -qx "$l" "$OBJM/.config" || die "$l did not hold in $OBJM/.config"
	done
	if ! make -C "$SRC" O="$OBJM" -j"$JOBS" W=1 modules_prepare mm/cmafw/ >"$KCACHE/w1-m.log" 2>&1 ||
	   grep 'mm/cmafw/.*warning:' "$KCACHE/w1-m.log" >&2; then
		tail -n 30 "$KCACHE/w1-m.log" >&2
		die "mm/cmafw/ with CONFIG_CMAFW=m and W=1 is not clean"
	fi
	for o in lend.o of.o; do
		[ -f "$OBJM/mm/cmafw/$o" ] || die "mm/cmafw/$o was not compiled in $OBJM"
	done
	log "mm/cmafw/ as a module (CONFIG_CMAFW=m, with lend.o and of.o) compiles with W=1 without warnings"
fi
exec 9>&-

# --- 3. the test module, in a copy of the tree ---------------------------------
TREE=$WORK/tree
# guest-run.sh takes every *.ko under the copy's kernel/ and selftests/,
# and only cmafw_test.ko is built there.
"$ROOT/scripts/copy-tree.sh" "$TREE"
make -C "$OBJ" M="$TREE/selftests/cmafw/module" -j"$JOBS" modules >"$WORK/modules.log" 2>&1 ||
	{ cat "$WORK/modules.log" >&2; die "cmafw_test.ko does not build against $KREL"; }
# And the dma-buf heap client the "regions" boot runs: a clean clone has none.
make -s -C "$TREE/selftests/cmafw/heap" || die "building heaptest failed"
[ "$MODE" = run ] || { log "--build-only: $KREL in $KCACHE"; exit 0; }

# --- 4. three boots, none with memmap= ----------------------------------------
passed=0 failed=0
# boot NAME APPEND ENTRY_ARGS...: one guest run; its output in $WORK/NAME.out.
boot() {
	local name=$1 append=$2 st
	shift 2
	log "boot $name: $append"
	set +e
	GUEST_BUILD_DIR=$WORK/guest-$name VMLINUZ=$OBJ/arch/x86/boot/bzImage \
	KVER=$KREL MODDIR=$KCACHE/root/lib/modules/$KREL GUEST_MEMMAP='' \
	GUEST_CONFIGFS=builtin GUEST_APPEND="$append" \
		"$TREE/scripts/guest-run.sh" builtin/guest-entry.sh "$@" |
		tee "$WORK/$name.out"
	st=${PIPESTATUS[0]}
	set -e
	local counts
	counts=$(tail -n 1 "$WORK/$name.out")
	if [[ $counts =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
		passed=$((passed + BASH_REMATCH[1]))
		failed=$((failed + BASH_REMATCH[2]))
	fi
	if [ "$st" != 0 ] && [[ ! $counts =~ failed ]] || [ "$st" = 2 ]; then
		failed=$((failed + 1))
	fi
	return 0
}
REGIONS='video=20M;camera=20M;common=5M;fixed=8M@0x2f800000/16M'
MAP='video,camera=video;*=common'
good="cmafw.regions=\"$REGIONS\" cmafw.map=\"$MAP\" cmafw.test_early=4M"
bad="cmafw.regions=\"video=20M;camera=20M/3K;common=5M\" cmafw.map=\"$MAP\""
# The malformed boot is the MemTotal baseline: give it a command line as
# long as the regions boot's (the kernel keeps copies of it in memblock
# memory), padded with a dotted parameter the kernel ignores.
pad=$(printf '%*s' $((${#good} - ${#bad} - 11)) '' | tr ' ' x)
boot malformed "$bad cmafw.pad=$pad" malformed
base_kb=$(sed -n 's/^# memtotal_kb \([0-9]*\)$/\1/p' "$WORK/malformed.out")
boot oversized 'cmafw.regions="huge=2G;away=1M@0x80000000;small=1M"' oversized
if [ -n "$base_kb" ]; then
	boot regions "$good" regions "$base_kb"
else
	log "no MemTotal from the malformed boot: the regions boot cannot run" >&2
	failed=$((failed + 1))
fi
printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" = 0 ]
