#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Real clients for cmafw's dma-buf heaps: boot Debian's generic 6.12
# kernel (scripts/generic-kernel.sh) under QEMU with vivid, and let vivid
# capture into frame buffers a userspace program allocated from
# /dev/dma_heap/cmafw-cam (selftests/cmafw/vivid/capture.sh); then vgem,
# a DRM driver, imports one (selftests/cmafw/vivid/vgem.sh).
#
# usage: scripts/vivid-run.sh [GUEST_ENTRY [ARGS...]]
#
# cmafw is built against the generic kernel's headers in a copy of the tree
# under build/vivid/ (Kbuild writes objects into the source tree), again
# only when the sources changed.  The
# last line is guest-run.sh's `N passed, N failed`.  Environment: as for
# scripts/guest-run.sh (GUEST_ACCEL, GUEST_TIMEOUT default 120).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CMAFW_ROOT="$ROOT"
# shellcheck source=scripts/env.sh
. "$ROOT/scripts/env.sh"

GKVER='' GVMLINUZ='' GMODDIR='' GKDIR=''
eval "$("$ROOT/scripts/generic-kernel.sh")"
SRC=$BUILD_DIR/vivid/src
KO=$BUILD_DIR/vivid/ko

# The parts of the tree the guest needs, without build output, built
# against the generic headers (samples left out); kept while unchanged.
parts=(Makefile dkms.conf kernel include selftests scripts tools demo Documentation/ABI)
srcsum() {
	tar -C "$ROOT" --sort=name --mtime=@0 --exclude='*.o' --exclude='*.ko' \
		--exclude='*.cmd' --exclude='*.mod*' --exclude='*.symvers' \
		--exclude='*.order' --exclude=heaptest -cf - "${parts[@]}" |
		sha256sum | cut -d' ' -f1
}
want="$(srcsum) $GKDIR"
stamp=$BUILD_DIR/vivid/stamp
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
	rm -rf "$SRC" "$stamp"
	mkdir -p "$SRC"
	tar -C "$ROOT" --exclude='*.o' --exclude='*.ko' --exclude='*.cmd' \
		-cf - "${parts[@]}" | tar -C "$SRC" -xf -
	echo 'obj-m += kernel/ selftests/cmafw/module/' >"$SRC/Kbuild"
	make -s -C "$SRC" modules KDIR="$GKDIR" >"$BUILD_DIR/vivid/build.log" 2>&1 || {
		cat "$BUILD_DIR/vivid/build.log"
		echo "vivid-run: building cmafw for $GKVER failed"
		echo "0 passed, 1 failed"
		exit 1
	}
	printf '%s\n' "$want" >"$stamp"
fi
rm -rf "$KO"
mkdir -p "$KO"

# vivid and vgem with the modules they need, uncompressed for busybox
# insmod.
VV_MODULES='' VG_MODULES=''
# shellcheck source=selftests/cmafw/vivid/modules.sh
. "$ROOT/selftests/cmafw/vivid/modules.sh"
extra=()
for m in $VV_MODULES $VG_MODULES; do
	path=$(awk -F: -v m="/$m.ko.xz" 'index($1, m) && substr($1, length($1) - length(m) + 1) == m { print $1; exit }' \
		"$GMODDIR/modules.dep")
	[ -n "$path" ] || { echo "vivid-run: $m not in $GMODDIR/modules.dep"; exit 1; }
	xz -dc "$GMODDIR/$path" >"$KO/$m.ko"
	extra+=("$KO/$m.ko")
done

export KVER=$GKVER VMLINUZ=$GVMLINUZ MODDIR=$GMODDIR KDIR=$GKDIR
export GUEST_EXTRA_KO="${extra[*]}" GUEST_BUILD_DIR=$BUILD_DIR/vivid/guest
export GUEST_TIMEOUT=${GUEST_TIMEOUT:-120}
entry=${1:-selftests/cmafw/vivid/capture.sh}
[ $# -gt 0 ] && shift
exec "$SRC/scripts/guest-run.sh" "$entry" "$@"
