#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fetch Debian's generic 6.12 kernel (the one with media drivers: vivid,
# videobuf2-dma-contig) of the same release as the cloud kernel the main
# suite boots, and unpack it into the cache without installing it:
#
#   $CMAFW_CACHE/generic-<ver>/root/   the image and headers, downloaded and
#                                      unpacked by scripts/debs.sh, with a
#                                      modules.dep made by depmod -b
#
# The headers' common part and kbuild are the cloud headers' own (same
# release), already installed by scripts/deps.sh.  Idempotent: a second
# run does nothing.  Prints the variables scripts/vivid-run.sh uses:
# GKVER GVMLINUZ GMODDIR GKDIR.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CMAFW_ROOT="$ROOT"
# The 6.12 series whatever kernel the caller's guests run (make check
# KVER=6.1 still runs vivid on 6.12).
case ${KVER:-} in
6.12.*) ;;
*) KVER=6.12 ;;
esac
# shellcheck source=scripts/env.sh
. "$ROOT/scripts/env.sh"
# shellcheck source=scripts/debs.sh
. "$ROOT/scripts/debs.sh"

die() { printf 'generic-kernel: ERROR: %s\n' "$*" >&2; exit 1; }

[ -n "$KVER" ] || die "no cloud 6.12 kernel: run scripts/deps.sh"
ver=${KVER%-cloud-amd64}
GKVER=$ver-amd64
top=$CMAFW_CACHE/generic-$ver
root=$top/root

# The headers' scripts/ and tools/ point at the installed kbuild.
generic_finish() {
	[ -d "/usr/lib/linux-kbuild-$ver" ] || {
		echo "linux-kbuild-$ver missing: run scripts/deps.sh" >&2
		return 1
	}
	mkdir -p "$1/usr/lib"
	ln -sfn "/usr/lib/linux-kbuild-$ver" "$1/usr/lib/linux-kbuild-$ver"
	depmod -b "$1" "$GKVER"
}
cmafw_debs "$top" generic_finish "linux-image-$GKVER-unsigned" \
	"linux-headers-$GKVER" >&2 ||
	die "cannot fetch and unpack the generic $ver kernel"

printf 'GKVER=%s\nGVMLINUZ=%s\nGMODDIR=%s\nGKDIR=%s\n' "$GKVER" \
	"$root/boot/vmlinuz-$GKVER" "$root/lib/modules/$GKVER" \
	"$root/usr/src/linux-headers-$GKVER"
