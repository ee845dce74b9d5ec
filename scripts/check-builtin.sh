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
#   4. Boots without memmap=, each with builtin/guest-entry.sh:
#      "malformed" (a broken cmafw.regions: the kernel comes up, one line
#      says why; its MemTotal is the baseline), "refused-*" (regions
#      refused at parse time, or reserved and given back when they fail
#      to register: MemTotal is the baseline's), "oversized" (a region
#      memblock cannot place), and "regions": the seed's example
#      video=20M;camera=20M;common=5M, a fixed region with an alignment,
#      the self-test's private early region, and the guest checks of
#      placement, MemTotal, /proc/iomem, sysfs, allocation, map, configfs,
#      cmaadm and the dma-buf heap's suite on a boot region (RAM); and
#      "initfail-sysfs" and "initfail-configfs", where the framework's
#      first or last step fails at boot (cmafw.test_init_fail=).
#
#   mm/cmafw/ is also compiled with CONFIG_CMAFW=m and W=1 in a second
#   objdir (unless --no-modular), and with sparse when it is installed;
#   with CONFIG_CMAFW=n, in a third, builtin/stubs/ (a driver of the whole
#   API) must build on the header's stubs.
#
#   --arch arm64 does the same for arm64 (`make check-builtin-arm64`):
#   builtin/arm64.config merged after builtin/builtin.config, cross-built
#   with aarch64-linux-gnu-, booted on QEMU's virt board with its own
#   device tree (scripts/arm64.sh prepares the arm64 busybox, bash and
#   heaptest).  arm64 lists every memblock reservation in /proc/iomem as
#   "reserved" before cmafw registers its boot regions, so this is where
#   the claim that nests a region under that line is tested, and where a
#   heap buffer of RAM must stay cached on an architecture that maps
#   other region memory write-combined.  A fourth boot, "devicetree",
#   has README.md's device tree (scripts/arm64.sh dtb) beside a
#   command-line region.  The modular compile is left to the x86 run.
#
# usage: scripts/check-builtin.sh [--arch x86_64|arm64] [--build-only] [--no-modular]
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
KARCH=x86_64
while [ $# -gt 0 ]; do
	case $1 in
	--build-only) MODE=build ;;
	--no-modular) MODULAR=0 ;;
	--arch) KARCH=${2:-}; shift ;;
	*) printf 'check-builtin: unknown argument %s\n' "$1" >&2; exit 2 ;;
	esac
	shift
done
FRAGMENTS=("$FRAGMENT")
case $KARCH in
x86_64)
	XMAKE=() IMAGE=bzImage IMAGE_PATH=arch/x86/boot/bzImage ;;
arm64)
	XMAKE=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-)
	IMAGE=Image IMAGE_PATH=arch/arm64/boot/Image MODULAR=0
	FRAGMENTS+=("$ROOT/builtin/arm64.config") ;;
*) printf 'check-builtin: --arch takes x86_64 or arm64\n' >&2; exit 2 ;;
esac

log() { printf 'check-builtin: %s\n' "$*"; }
# The fragments' lines, the last one for each option winning.
fragment_lines() {
	cat "${FRAGMENTS[@]}" | awk '
		/^CONFIG_/ { o = $0; sub(/=.*/, "", o) }
		/^# CONFIG_.* is not set$/ { o = $2 }
		o != "" { if (!(o in line)) order[n++] = o; line[o] = $0; o = "" }
		END { for (i = 0; i < n; i++) print line[order[i]] }'
}
die() { printf 'check-builtin: ERROR: %s\n' "$*" >&2; exit 2; }

"$ROOT/scripts/deps.sh" | sed 's/^/check-builtin: /'
# shellcheck source=scripts/env.sh
. "$ROOT/scripts/env.sh"
[ "$KARCH" = x86_64 ] || command -v aarch64-linux-gnu-gcc >/dev/null ||
	die "aarch64-linux-gnu-gcc missing (apt-get install gcc-aarch64-linux-gnu)"
for t in make gcc flex bison bc perl sha256sum flock; do
	command -v "$t" >/dev/null || die "$t missing (apt-get install flex bison bc libelf-dev)"
done
[ -f "$LINUX_SRC/.cmafw-unpacked" ] || die "no unpacked kernel source in $LINUX_SRC: run scripts/deps.sh"
JOBS=${BUILTIN_JOBS:-$(nproc)}
WORK=$BUILD_DIR/builtin
[ "$KARCH" = x86_64 ] || WORK=$BUILD_DIR/builtin-$KARCH

# --- 1. the series, applied ---------------------------------------------------
"$ROOT/scripts/patches.sh" | sed 's/^/check-builtin: /'
SERIES=$(cat "$BUILD_DIR"/patches/0*.patch | sha256sum | cut -c1-16)
KEY=$({
	printf 'recipe %s\nbase tinyconfig\nsource %s\ncc %s\n' "$RECIPE" \
		"$(cat "$LINUX_SRC/.cmafw-unpacked")" "$(gcc --version | head -n 1)"
	# x86_64's key is the one it had before there was an arm64 run.
	[ "$KARCH" = x86_64 ] || printf 'arch %s\n' "$KARCH"
	cat "${FRAGMENTS[@]}"
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
kmake() { make -C "$SRC" O="$OBJ" ${XMAKE[@]+"${XMAKE[@]}"} "$@"; }
# configure DIR FRAGMENT...: in the objdir DIR, `make tinyconfig`, the
# fragments (absolute paths) merged onto it, then olddefconfig.
configure() {
	local dir=$1
	shift
	mkdir -p "$dir"
	make -C "$SRC" O="$dir" ${XMAKE[@]+"${XMAKE[@]}"} -s tinyconfig >/dev/null
	(cd "$dir" && "$SRC/scripts/kconfig/merge_config.sh" -m -Q .config "$@" >/dev/null)
	make -C "$SRC" O="$dir" ${XMAKE[@]+"${XMAKE[@]}"} -s olddefconfig >/dev/null
}
if [ ! -f "$KCACHE/built" ]; then
	configure "$OBJ" "${FRAGMENTS[@]}"
	bad=0
	while IFS= read -r l; do
		case $l in
		CONFIG_*=*) grep -qxF -- "$l" "$OBJ/.config" || { echo "  wanted: $l" >&2; bad=1; } ;;
		"# CONFIG_"*" is not set")
			s=${l#\# }; s=${s%% *}
			! grep -q "^$s=" "$OBJ/.config" || { echo "  wanted: $l" >&2; bad=1; } ;;
		esac
	done < <(fragment_lines)
	[ "$bad" = 0 ] || die "${FRAGMENTS[*]#"$ROOT"/} do not hold in the .config (see above)"
	log "building $IMAGE and modules with -j$JOBS (log: $KCACHE/build.log)"
	t=$SECONDS
	kmake -j"$JOBS" "$IMAGE" modules >"$KCACHE/build.log" 2>&1 ||
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
	# C=2 also checks what `make` prepares first (arm64's vDSO): only
	# mm/cmafw/'s lines count.
	! grep -E '(mm/cmafw/|include/linux/cmafw)[^:]*:[0-9]+:[0-9]+: (warning|error):' \
		"$KCACHE/sparse.log" >&2 ||
		die "mm/cmafw/ is not sparse clean"
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
	configure "$OBJM" "$OBJM/fragment"
	for l in CONFIG_CMAFW=m "${OPTIONAL[@]}"; do
		grep -qx "$l" "$OBJM/.config" || die "$l did not hold in $OBJM/.config"
	done
	if ! make -C "$SRC" O="$OBJM" -j"$JOBS" W=1 modules_prepare mm/cmafw/ >"$KCACHE/w1-m.log" 2>&1 ||
	   grep 'mm/cmafw/.*warning:' "$KCACHE/w1-m.log" >&2; then
		tail -n 30 "$KCACHE/w1-m.log" >&2
		die "mm/cmafw/ with CONFIG_CMAFW=m and W=1 is not clean"
	fi
	for o in lend.o lend_take.o lend_offline.o lend_stranded.o lend_sysfs.o lend_window.o of.o; do
		[ -f "$OBJM/mm/cmafw/$o" ] || die "mm/cmafw/$o was not compiled in $OBJM"
	done
	log "mm/cmafw/ as a module (CONFIG_CMAFW=m, with lend*.o and of.o) compiles with W=1 without warnings"

	# And without cmafw (CONFIG_CMAFW=n, so CONFIG_CMAFW_STUBS): a driver
	# of the whole API (builtin/stubs/) builds on <linux/cmafw.h>'s stubs,
	# which its BUILD_BUG_ON()s fold to their errors, and refers to no
	# cmafw symbol.
	OBJN=$KCACHE/obj-n
	mkdir -p "$OBJN"
	sed -e '/^CONFIG_CMAFW/d' \
		-e 's/^CONFIG_LOCALVERSION=.*/CONFIG_LOCALVERSION="-cmafw-n"/' \
		"$FRAGMENT" >"$OBJN/fragment"
	configure "$OBJN" "$OBJN/fragment"
	grep -qx 'CONFIG_CMAFW_STUBS=y' "$OBJN/.config" ||
		die "CONFIG_CMAFW_STUBS is not set in $OBJN/.config"
	! grep -q '^CONFIG_CMAFW=' "$OBJN/.config" || die "CONFIG_CMAFW is set in $OBJN/.config"
	rm -rf "$WORK/stubs"
	mkdir -p "$WORK"
	cp -r "$ROOT/builtin/stubs" "$WORK/stubs"
	if ! make -C "$SRC" O="$OBJN" -j"$JOBS" modules_prepare >"$KCACHE/stubs.log" 2>&1 ||
	   ! make -C "$OBJN" M="$WORK/stubs" W=1 modules >>"$KCACHE/stubs.log" 2>&1 ||
	   grep 'stubs/.*warning:' "$KCACHE/stubs.log" >&2; then
		tail -n 30 "$KCACHE/stubs.log" >&2
		die "a driver of the whole API does not build cleanly with CONFIG_CMAFW=n"
	fi
	if nm -u "$WORK/stubs/cmafw_stubs_user.ko" | grep -w 'cmafw_[a-z_]*' >&2; then
		die "with CONFIG_CMAFW=n, cmafw_stubs_user.ko still refers to cmafw"
	fi
	log "CONFIG_CMAFW=n: builtin/stubs/ builds on the stubs (W=1), no cmafw symbol"
fi
exec 9>&-

# --- 3. the test module, in a copy of the tree ---------------------------------
TREE=$WORK/tree
# guest-run.sh takes every *.ko under the copy's kernel/ and selftests/,
# and only cmafw_test.ko is built there.
"$ROOT/scripts/copy-tree.sh" "$TREE"
make -C "$OBJ" M="$TREE/selftests/cmafw/module" ${XMAKE[@]+"${XMAKE[@]}"} -j"$JOBS" modules >"$WORK/modules.log" 2>&1 ||
	{ cat "$WORK/modules.log" >&2; die "cmafw_test.ko does not build against $KREL"; }
# And the dma-buf heap client the "regions" boot runs: a clean clone has
# none.  arm64's, with its busybox and bash, comes from scripts/arm64.sh.
GUEST_ENV=(VMLINUZ="$OBJ/$IMAGE_PATH")
if [ "$KARCH" = arm64 ]; then
	"$ROOT/scripts/arm64.sh" overlay | sed 's/^/check-builtin: /'
	AROOT=$("$ROOT/scripts/arm64.sh" root | tail -n 1)
	# The board's own tree (build/arm64/virt.dtb, which arm64.sh dumps
	# beside the README's), of the memory the guest gets.  QEMU pads it
	# to 1 MiB, and an uncompressed Image does not boot beside that: dtc
	# writes it back at its own size.
	GUEST_MEM=1G GUEST_SMP=1 "$ROOT/scripts/arm64.sh" dtb
	dtc -q -I dtb -O dtb -o "$WORK/virt.dtb" "$BUILD_DIR/arm64/virt.dtb" ||
		die "dtc could not rewrite build/arm64/virt.dtb"
	GUEST_ENV+=(GUEST_ARCH=arm64 GUEST_MEM=1G GUEST_SMP=1
		GUEST_DTB="$WORK/virt.dtb" GUEST_BUSYBOX="$AROOT/bin/busybox"
		GUEST_OVERLAY="$BUILD_DIR/arm64/overlay" GUEST_KO_ROOT="$TREE")
else
	make -s -C "$TREE/selftests/cmafw/heap" || die "building heaptest failed"
fi
[ "$MODE" = run ] || { log "--build-only: $KREL in $KCACHE"; exit 0; }

# --- 4. the boots, none with memmap= -----------------------------------------
# KVM or TCG, decided once for every boot, by booting this kernel
# (scripts/accel.sh); an arm64 guest runs under TCG anyway.
if [ "$KARCH" != arm64 ]; then
	accel=$(VMLINUZ="$OBJ/$IMAGE_PATH" "$ROOT/scripts/accel.sh" --export) || exit 2
	eval "$accel"
	log "guests run under $CMAFW_ACCEL: $CMAFW_ACCEL_WHY"
fi
passed=0 failed=0 skipped=0
# boot NAME APPEND ENTRY_ARGS...: one guest run; its output in $WORK/NAME.out.
boot() {
	local name=$1 append=$2 st
	shift 2
	log "boot $name: $append"
	set +e
	env "${GUEST_ENV[@]}" ${BOOT_DTB:+GUEST_DTB="$BOOT_DTB"} \
	GUEST_BUILD_DIR="$WORK/guest-$name" \
	KVER="$KREL" MODDIR="$KCACHE/root/lib/modules/$KREL" GUEST_MEMMAP='' \
	GUEST_CONFIGFS=builtin GUEST_APPEND="$append" \
		"$TREE/scripts/guest-run.sh" builtin/guest-entry.sh "$@" |
		tee "$WORK/$name.out"
	st=${PIPESTATUS[0]}
	set -e
	local counts
	counts=$(tail -n 1 "$WORK/$name.out")
	if [[ $counts =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed(,\ ([0-9]+)\ skipped)?$ ]]; then
		passed=$((passed + BASH_REMATCH[1]))
		failed=$((failed + BASH_REMATCH[2]))
		skipped=$((skipped + ${BASH_REMATCH[4]:-0}))
	fi
	if [ "$st" != 0 ] && [[ ! $counts =~ failed ]] || [ "$st" = 2 ]; then
		failed=$((failed + 1))
	fi
	return 0
}
# fixed: asked 8 MiB below a 16 MiB boundary in RAM, so it lands on it.
case $KARCH in
x86_64) FIXED=0x2f800000 FIXED_AT=0x30000000 ;;
arm64) FIXED=0x4f800000 FIXED_AT=0x50000000 ;; # virt's RAM starts at 1 GiB
esac
REGIONS="video=20M;camera=20M;common=5M;fixed=8M@$FIXED/16M"
MAP='video,camera=video;*=common'
# The self-test's region given twice must be refused the second time, and
# a second cmafw.map= that is too long must leave the first.
long_map=$(printf '%*s' 300 '' | tr ' ' m)
good="cmafw.regions=\"$REGIONS\" cmafw.map=\"$MAP\" cmafw.map=$long_map cmafw.test_early=4M cmafw.test_early=4M"
bad="cmafw.regions=\"video=20M;camera=20M/3K;common=5M\" cmafw.map=\"$MAP\""
# The malformed boot is the MemTotal baseline: give it a command line as
# long as the regions boot's (the kernel keeps copies of it in memblock
# memory), padded with a dotted parameter the kernel ignores.
pad=$(printf '%*s' $((${#good} - ${#bad} - 11)) '' | tr ' ' x)
boot malformed "$bad cmafw.pad=$pad" malformed
base_kb=$(sed -n 's/^# memtotal_kb \([0-9]*\)$/\1/p' "$WORK/malformed.out")
# Refused at parse time, padded as long as the baseline: MemTotal equal.
# giveback: reserved at boot (one region placed, one fixed), then refused
# at subsys_initcall for an allocator that does not exist: the memory
# goes back to the page allocator, so MemTotal is equal too.
for r in 'empty ' 'twin twin=1M;twin=2M' 'lend ln=64M,lend' 'zero at0=1M@0' \
	"giveback gb=8M:bestfitt;gbfix=8M@$FIXED/16M:bestfitt"; do
	spec="cmafw.regions=\"${r#* }\""
	boot "refused-${r%% *}" "$spec cmafw.pad=$(printf '%*s' $((${#bad} + ${#pad} - ${#spec})) '' | tr ' ' x)" \
		refused "$base_kb" "${r%% *}"
done
# initfail: the framework's first step (sysfs) fails, so the regions
# reserved at boot go back (MemTotal equal); or its last (configfs), after
# they are registered, and it goes on without configfs.
for f in sysfs configfs; do
	spec="cmafw.regions=\"if=8M;iffix=8M@$FIXED/16M\" cmafw.map=\"*=iffix\" cmafw.test_init_fail=$f"
	boot "initfail-$f" "$spec cmafw.pad=$(printf '%*s' $((${#bad} + ${#pad} - ${#spec})) '' | tr ' ' x)" \
		initfail "$f" "$base_kb"
done
boot oversized 'cmafw.regions="huge=2G;away=1M@0x80000000;small=1M"' oversized
if [ -n "$base_kb" ]; then
	boot regions "$good" regions "$base_kb" "$FIXED_AT"
else
	log "no MemTotal from the malformed boot: the regions boot cannot run" >&2
	failed=$((failed + 1))
fi
# arm64: README.md's device tree on the built-in kernel, with a region
# from the command line beside it, and one over its no-map window-a.
if [ "$KARCH" = arm64 ]; then
	BOOT_DTB=$BUILD_DIR/arm64/virt-cmafw.dtb \
		boot devicetree 'cmafw.regions="boot1=4M;steal=1M@0x68000000"' devicetree
fi
if [ "$skipped" -gt 0 ]; then
	printf '%d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
else
	printf '%d passed, %d failed\n' "$passed" "$failed"
fi
[ "$failed" = 0 ]
