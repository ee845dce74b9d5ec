#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fetch the Debian cloud kernels the guests boot and unpack them into the
# cache without installing them, so that /boot, the boot loader's default
# entry and /lib/modules stay as they are: the image of each RELEASE in
# $CMAFW_CACHE/cloud-<release>/root (scripts/debs.sh), where
# scripts/env.sh points VMLINUZ and MODDIR.  The releases are those of the
# installed headers (linux-headers-6.12-cloud-amd64 and
# linux-headers-cloud-amd64), which the modules are built against.
# Idempotent: a second run does nothing.
#
# usage: scripts/cloud-kernel.sh RELEASE...
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CMAFW_ROOT="$ROOT"
# shellcheck source=scripts/env.sh
. "$ROOT/scripts/env.sh"
# shellcheck source=scripts/debs.sh
. "$ROOT/scripts/debs.sh"

die() { printf 'cloud-kernel: ERROR: %s\n' "$*" >&2; exit 1; }

[ $# -gt 0 ] || die "usage: $0 RELEASE..."
for krel; do
	case $krel in
	*-cloud-amd64) ;;
	*) die "$krel is not a cloud kernel release" ;;
	esac
	top=$CMAFW_CACHE/cloud-$krel
	cmafw_debs "$top" : "linux-image-$krel" ||
		die "cannot fetch linux-image-$krel (an older release leaves the archive: apt-get update && apt-get upgrade brings the current one)"
	[ -f "$top/root/boot/vmlinuz-$krel" ] || die "no boot/vmlinuz-$krel in linux-image-$krel"
	printf 'cloud-kernel: %s unpacked in %s/root\n' "$krel" "$top"
done
