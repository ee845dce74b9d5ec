#!/bin/bash
# The arm64 side of the harness: Debian's arm64 kernel under
# qemu-system-aarch64 -M virt -cpu cortex-a57 (TCG), a cross-built cmafw
# and a device tree that carries cmafw regions.
#
# usage: scripts/arm64.sh prepare    download and unpack the arm64 packages
#        scripts/arm64.sh build      cross-build cmafw, the test module and
#                                    the samples in build/arm64/src
#        scripts/arm64.sh dtb        build/arm64/virt-cmafw.dtb
#        scripts/arm64.sh overlay    prepare, then build/arm64/overlay: bash,
#                                    its libraries and heaptest for the guest
#        scripts/arm64.sh root       prepare, then print the unpacked root
#                                    (its bin/busybox is the guest's)
#        scripts/arm64.sh run [GUEST_ENTRY [ARGS...]]
#                                    all of the above, then boot the entry
#                                    through scripts/guest-run.sh (default
#                                    selftests/cmafw/guest/main.sh)
#        scripts/arm64.sh vivid      run selftests/cmafw/vivid/capture.sh,
#                                    with the kernel's vivid and vgem
#                                    modules (the real clients of the heap)
#        scripts/arm64.sh efi        run selftests/cmafw/guest/lend-past-mem.sh
#                                    on a boot through UEFI firmware
#
# prepare: `apt-get download` of linux-image-<abi>-arm64,
# linux-headers-<abi>-arm64, linux-headers-<abi>-common, busybox-static,
# bash, libc6 and libtinfo6 (all :arm64), where <abi> is the host's
# 6.12 kernel ABI (such as 6.12.118+deb12), or its 6.1 one with KVER=6.1,
# unpacked with dpkg-deb -x into $CMAFW_CACHE/arm64/<abi>/root (flock'd,
# done once: scripts/debs.sh).  Nothing arm64 is installed on the host.  The headers'
# scripts/ and tools/ links point at ../../lib/linux-kbuild-<abi>
# (linux-kbuild-6.1 on 6.1): one symlink to the host's amd64 linux-kbuild
# of the same version makes them resolve, and the headers' Makefile is
# pointed at the unpacked -common tree.
#
# dtb: QEMU's own virt DT (dumpdtb, same -m and -smp as the boot), plus
# the fenced ```dts block after `<!-- arm64-dt -->` in README.md, plus
# selftests/cmafw/arm64/test-nodes.dtsi (nodes that only tests want):
# dtc merges the three into one tree.
#
# Environment: GUEST_MEM (1280M), GUEST_SMP (1), CMAFW_CACHE, KVER (the
# host's 6.12 cloud kernel, for the ABI), and what guest-run.sh reads.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CMAFW_ROOT="$ROOT"
# shellcheck source=scripts/env.sh
. "$ROOT/scripts/env.sh"
# shellcheck source=scripts/debs.sh
. "$ROOT/scripts/debs.sh"

die() { printf 'arm64: ERROR: %s\n' "$*" >&2; exit 2; }
log() { printf 'arm64: %s\n' "$*"; }

[ -n "$KVER" ] || die "no host 6.12 kernel found: run scripts/deps.sh"
ABI=${KVER%-cloud-amd64}
AKVER=$ABI-arm64
CACHE=$CMAFW_CACHE/arm64/$ABI
AROOT=$CACHE/root
AKDIR=$AROOT/usr/src/linux-headers-$AKVER
OUT=$BUILD_DIR/arm64
SRC=$OUT/src
export GUEST_MEM=${GUEST_MEM:-1280M} GUEST_SMP=${GUEST_SMP:-1}
CROSS=aarch64-linux-gnu-
# qemu-efi-aarch64's EDK2 build for QEMU's virt board
EFI_FIRMWARE=/usr/share/qemu-efi-aarch64/QEMU_EFI.fd
DEBS=("linux-image-$AKVER:arm64" "linux-headers-$AKVER:arm64"
      "linux-headers-$ABI-common" busybox-static:arm64 bash:arm64
      libc6:arm64 libtinfo6:arm64)

# The headers' scripts/ and tools/ links resolve through the host's
# linux-kbuild; their Makefile includes the unpacked -common tree.
arm64_finish() {
	local kb
	kb=$(readlink "$1/usr/src/linux-headers-$AKVER/scripts")
	kb=${kb%/scripts}
	kb=${kb##*/}
	[ -d "/usr/lib/$kb" ] || { echo "/usr/lib/$kb missing ($kb)" >&2; return 1; }
	mkdir -p "$1/usr/lib"
	ln -sfn "/usr/lib/$kb" "$1/usr/lib/$kb"
	sed -i "s|^include /usr/src/linux-headers-$ABI-common/|include $AROOT/usr/src/linux-headers-$ABI-common/|" \
		"$1/usr/src/linux-headers-$AKVER/Makefile"
}

prepare() {
	dpkg --print-foreign-architectures | grep -qx arm64 ||
		die "dpkg has no arm64 architecture: run scripts/deps.sh"
	cmafw_debs "$CACHE" arm64_finish "${DEBS[@]}" ||
		die "cannot fetch and unpack ${DEBS[*]}"
	log "arm64 $AKVER unpacked in $AROOT"
}

# A copy of the sources, so that arm64 objects never meet the x86 ones.
build() {
	local logf=$OUT/build.log
	mkdir -p "$SRC"
	tar -C "$ROOT" --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
		--exclude='*.mod' --exclude='*.mod.c' --exclude='Module.symvers' \
		--exclude='modules.order' -cf - Kbuild kernel include \
		selftests/cmafw/module samples | tar -C "$SRC" -xf -
	log "cross-building in ${SRC#"$ROOT"/}"
	if ! make -s -j"$(nproc)" -C "$AKDIR" M="$SRC" ARCH=arm64 CROSS_COMPILE=$CROSS W=1 \
		modules >"$logf" 2>&1; then
		cat "$logf"
		die "cross-build failed"
	fi
	if grep -q 'warning:' "$logf"; then
		cat "$logf"
		die "cross-build has warnings"
	fi
}

dtb() {
	local snippet
	mkdir -p "$OUT"
	qemu-system-aarch64 -M "virt,dumpdtb=$OUT/virt.dtb" -cpu cortex-a57 \
		-m "$GUEST_MEM" -smp "$GUEST_SMP" -display none >/dev/null 2>&1 ||
		die "qemu-system-aarch64 could not dump its device tree"
	snippet=$(awk '/^<!-- arm64-dt -->$/ { want = 1; next }
		want && /^```dts$/ { on = 1; next }
		on && /^```$/ { exit }
		on { print }' "$ROOT/README.md")
	[ -n "$snippet" ] || die "README.md has no \`<!-- arm64-dt -->\` dts block"
	{
		dtc -q -I dtb -O dts "$OUT/virt.dtb"
		printf '\n/* README.md */\n%s\n' "$snippet"
		printf '\n/* selftests/cmafw/arm64/test-nodes.dtsi */\n'
		cat "$ROOT/selftests/cmafw/arm64/test-nodes.dtsi"
	} >"$OUT/virt-cmafw.dts"
	dtc -q -I dts -O dtb -o "$OUT/virt-cmafw.dtb" "$OUT/virt-cmafw.dts" ||
		die "dtc refused build/arm64/virt-cmafw.dts"
}

# bash (for bats) and its libraries, and the arm64 heaptest, laid over the
# guest's root.
overlay() {
	local ov=$OUT/overlay f
	rm -rf "$ov"
	mkdir -p "$ov/bin" "$ov/lib/aarch64-linux-gnu"
	cp "$AROOT/bin/bash" "$ov/bin/bash"
	cp -L "$AROOT/lib/ld-linux-aarch64.so.1" "$ov/lib/"
	for f in libc.so.6 libtinfo.so.6; do
		cp -L "$AROOT/lib/aarch64-linux-gnu/$f" "$ov/lib/aarch64-linux-gnu/"
	done
	# the dma-buf heap client, built for arm64 over the tree's x86 one
	mkdir -p "$ov/selftests/cmafw/heap"
	make -s -C "$ROOT/selftests/cmafw/heap" CC="${CROSS}gcc" \
		OUT="$ov/selftests/cmafw/heap" || die "cross-building heaptest failed"
}

# vivid and vgem with the modules they need (selftests/cmafw/vivid/
# modules.sh), uncompressed for busybox insmod, into MEDIA_KO.
MEDIA_KO=()
media() {
	local m p VV_MODULES='' VG_MODULES=''
	# shellcheck source=selftests/cmafw/vivid/modules.sh
	. "$ROOT/selftests/cmafw/vivid/modules.sh"
	rm -rf "${OUT:?}/media"
	mkdir -p "$OUT/media"
	for m in $VV_MODULES $VG_MODULES; do
		# 6.12 ships them xz-compressed, 6.1 not
		p=$(find "$AROOT/lib/modules/$AKVER/kernel" \( -name "$m.ko.xz" -o -name "$m.ko" \) -print -quit)
		[ -n "$p" ] || die "$m.ko is not among $AKVER's modules"
		case $p in
		*.xz) xz -dc "$p" >"$OUT/media/$m.ko" ;;
		*) cp "$p" "$OUT/media/$m.ko" ;;
		esac
		MEDIA_KO+=("$OUT/media/$m.ko")
	done
}

run() {
	local extra=() ko
	prepare
	build
	dtb
	overlay
	for ko in "$SRC"/samples/*.ko; do extra+=("$ko"); done
	extra+=(${MEDIA_KO[@]+"${MEDIA_KO[@]}"})
	GUEST_ARCH=arm64 KVER=$AKVER KDIR=$AKDIR \
	VMLINUZ=$AROOT/boot/vmlinuz-$AKVER MODDIR=$AROOT/lib/modules/$AKVER \
	GUEST_DTB=$OUT/virt-cmafw.dtb GUEST_BUSYBOX=$AROOT/bin/busybox \
	GUEST_OVERLAY=$OUT/overlay GUEST_KO_ROOT=$SRC \
	GUEST_EXTRA_KO="${extra[*]}" GUEST_BUILD_DIR=$OUT/guest \
		"$ROOT/scripts/guest-run.sh" "$@"
}

cmd=${1:-run}
[ $# -gt 0 ] && shift
case $cmd in
prepare|build|dtb) "$cmd" ;;
overlay) prepare; overlay ;;
root) prepare; printf '%s\n' "$AROOT" ;;
run) run "$@" ;;
vivid) prepare; media; run selftests/cmafw/vivid/capture.sh "$@" ;;
efi)
	[ -r "$EFI_FIRMWARE" ] || die "$EFI_FIRMWARE missing: run scripts/deps.sh"
	GUEST_MEM=2G GUEST_FIRMWARE=$EFI_FIRMWARE \
	GUEST_MEMMAP="mem=1G memhp_default_state=online_movable" \
		run selftests/cmafw/guest/lend-past-mem.sh "$@" ;;
*) die "unknown command $cmd (prepare, build, dtb, overlay, root, run, vivid or efi)" ;;
esac
