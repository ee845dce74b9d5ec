#!/bin/bash
# Idempotent dependency installer for cmafw on Debian bookworm.
#
#  * installs (apt-get install -y --no-install-recommends) only the packages
#    that dpkg-query says are missing; "apt-get update" runs only then;
#  * installs no kernel: the guests' cloud kernels (6.12 and 6.1, the
#    releases of the installed headers) and Debian's generic 6.12 are
#    downloaded and unpacked into the cache, so /boot and the boot loader
#    stay as they were;
#  * unpacks /usr/src/linux-source-6.12.tar.xz once into $LINUX_SRC
#    (default ${XDG_CACHE_HOME:-$HOME/.cache}/cmafw/linux-source-6.12) for
#    checkpatch.pl and kernel-doc; re-unpacks only if the package version
#    changes.
#
# A second run calls neither apt-get nor tar and takes a few milliseconds.
# Prints one line per action.  Environment: see scripts/env.sh.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CMAFW_ROOT="$ROOT"

PACKAGES=(
	# guest (its kernels are downloaded, not installed: cloud-kernel.sh)
	qemu-system-x86 busybox-static cpio gzip xz-utils kmod
	# module build (headers pull gcc-12, linux-kbuild, pahole), for 6.12
	# and for bookworm's default kernel, 6.1
	linux-headers-6.12-cloud-amd64 linux-headers-cloud-amd64 make gcc libc6-dev
	# static checks: sparse, checkpatch.pl/kernel-doc (perl), scripts
	linux-source-6.12 sparse perl shellcheck
	# test runners; coreutils for timeout(1), libc-bin for ldd(1)
	bats bash coreutils libc-bin util-linux findutils
	# fuzzing (libFuzzer runtime), callgrind, cmaadm's JSON check
	clang libclang-rt-14-dev valgrind python3
	# make check-debug builds a kernel
	flex bison bc libelf-dev
	# arm64 (scripts/arm64.sh): the guest, the cross compiler, dtc, and
	# UEFI firmware for the boot through UEFI
	qemu-system-arm gcc-aarch64-linux-gnu libc6-dev-arm64-cross device-tree-compiler
	qemu-efi-aarch64
)

log() { printf 'deps: %s\n' "$*"; }
die() { printf 'deps: ERROR: %s\n' "$*" >&2; exit 1; }

command -v dpkg-query >/dev/null || die "dpkg-query not found: this script supports Debian bookworm only"

SUDO=()
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null || die "not root and no sudo: cannot install packages"
	SUDO=(sudo)
fi

# --- packages ---------------------------------------------------------------
# scripts/arm64.sh downloads arm64 packages (apt-get download, never
# installed): dpkg must know the architecture.
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	log "dpkg --add-architecture arm64; apt-get update"
	"${SUDO[@]}" dpkg --add-architecture arm64
	"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
fi

declare -A installed=()
while IFS=$'\t' read -r pkg status; do
	[[ $status == ii* ]] && installed[$pkg]=1
done < <(dpkg-query -W -f='${Package}\t${db:Status-Abbrev}\n' "${PACKAGES[@]}" 2>/dev/null || true)

missing=()
for p in "${PACKAGES[@]}"; do
	[ -n "${installed[$p]:-}" ] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
	log "all ${#PACKAGES[@]} packages already installed"
else
	export DEBIAN_FRONTEND=noninteractive
	log "apt-get update (missing: ${missing[*]})"
	"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	log "apt-get install ${missing[*]}"
	"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	log "installed ${#missing[@]} package(s)"
fi

# --- environment (after installs: KVER may only exist now) -------------------
# shellcheck source=scripts/env.sh
. "$ROOT/scripts/env.sh"
[ -n "$KVER" ] || die "no 6.12 cloud kernel headers (linux-headers-6.12-cloud-amd64)"
[ -d "$KDIR" ] || die "kernel headers dir $KDIR missing"
k61=$(cmafw_detect_kver 6.1)
[ -n "$k61" ] || die "no 6.1 cloud kernel headers (linux-headers-cloud-amd64)"

# --- the guests' kernels, downloaded, not installed -------------------------
"$ROOT/scripts/cloud-kernel.sh" "$KVER" "$k61" ||
	die "cannot fetch the guest kernels $KVER and $k61"
for k in "$KVER" "$k61"; do
	m=$CMAFW_CACHE/cloud-$k/root/lib/modules/$k/kernel/fs/configfs
	[ -f "$m/configfs.ko.xz" ] || [ -f "$m/configfs.ko" ] ||
		die "configfs module missing under $CMAFW_CACHE/cloud-$k"
done

# --- linux source (checkpatch.pl, kernel-doc) --------------------------------
TARBALL=/usr/src/linux-source-6.12.tar.xz
STAMP="$LINUX_SRC/.cmafw-unpacked"
want=$(dpkg-query -W -f='${Version}' linux-source-6.12)
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
	log "linux source $want already unpacked in $LINUX_SRC"
else
	[ -r "$TARBALL" ] || die "$TARBALL missing"
	parent=$(dirname "$LINUX_SRC")
	mkdir -p "$parent"
	exec 9>"$parent/.deps.lock"
	flock 9
	if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
		log "linux source $want unpacked concurrently in $LINUX_SRC"
	else
		log "unpacking $TARBALL ($want) into $LINUX_SRC"
		tmp=$(mktemp -d "$parent/.unpack.XXXXXX")
		trap 'rm -rf "$tmp"' EXIT
		tar -xJf "$TARBALL" -C "$tmp"
		[ -f "$tmp/linux-source-6.12/scripts/checkpatch.pl" ] || die "unexpected tarball layout"
		printf '%s\n' "$want" >"$tmp/linux-source-6.12/.cmafw-unpacked"
		rm -rf "$LINUX_SRC"
		mv "$tmp/linux-source-6.12" "$LINUX_SRC"
		rm -rf "$tmp"
		trap - EXIT
	fi
	exec 9>&-
fi

# --- Debian's generic 6.12 kernel (vivid), downloaded, not installed --------
gk=$("$ROOT/scripts/generic-kernel.sh") || die "cannot fetch the generic 6.12 kernel"
gk=${gk#GKVER=}
log "generic kernel ${gk%%$'\n'*} unpacked in $CMAFW_CACHE"

log "KVER=$KVER KDIR=$KDIR LINUX_SRC=$LINUX_SRC; 6.1: $k61"
