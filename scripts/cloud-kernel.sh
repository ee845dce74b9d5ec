#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fetch the Debian cloud kernel a guest boots and unpack it into the cache
# without installing it, so that /boot, the boot loader's default entry
# and /lib/modules stay as they are:
#
#   $CMAFW_CACHE/cloud-<release>/debs/   the .deb (apt-get download)
#   $CMAFW_CACHE/cloud-<release>/boot/   dpkg-deb -x of the image: the
#   $CMAFW_CACHE/cloud-<release>/lib/    kernel and its modules
#
# scripts/env.sh points VMLINUZ and MODDIR there.  The release is that of
# the installed headers (linux-headers-6.12-cloud-amd64 and
# linux-headers-cloud-amd64), which the modules are built against.
# Idempotent: a second run does nothing.
#
# usage: scripts/cloud-kernel.sh RELEASE...
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CMAFW_ROOT="$ROOT"
# shellcheck source=scripts/env.sh
. "$ROOT/scripts/env.sh"

die() { printf 'cloud-kernel: ERROR: %s\n' "$*" >&2; exit 1; }

[ $# -gt 0 ] || die "usage: $0 RELEASE..."
for krel; do
	case $krel in
	*-cloud-amd64) ;;
	*) die "$krel is not a cloud kernel release" ;;
	esac
	top=$CMAFW_CACHE/cloud-$krel
	mkdir -p "$top"
	exec 9>"$top/.lock"
	flock 9
	if [ ! -f "$top/.unpacked" ]; then
		rm -rf "${top:?}/debs" "${top:?}/boot" "${top:?}/lib" "${top:?}/usr" "${top:?}/etc"
		mkdir -p "$top/debs"
		(cd "$top/debs" && apt-get download -q "linux-image-$krel") >&2 ||
			die "apt-get download linux-image-$krel failed (an older release leaves the archive: apt-get update && apt-get upgrade brings the current one)"
		for deb in "$top"/debs/linux-image-"$krel"_*.deb; do
			[ -f "$deb" ] || die "missing $deb"
			dpkg-deb -x "$deb" "$top"
		done
		[ -f "$top/boot/vmlinuz-$krel" ] || die "no boot/vmlinuz-$krel in linux-image-$krel"
		date -u >"$top/.unpacked"
	fi
	exec 9>&-
	printf 'cloud-kernel: %s unpacked in %s\n' "$krel" "$top"
done
