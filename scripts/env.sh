# shellcheck shell=sh
# Common environment for cmafw scripts.  Source it (POSIX sh, bash, dash):
#     . "$ROOT/scripts/env.sh"
# Every variable can be overridden from the environment.
#
#   CMAFW_ROOT   repository root (from the caller's CMAFW_ROOT, else from
#                this file's location when sourced by bash, else $PWD)
#   KVER         guest/target kernel release: the newest 6.12 cloud kernel
#                whose headers are installed (/usr/src/linux-headers-6.12.*-
#                cloud-amd64); KVER=6.1 or KVER=6.12 picks the newest of
#                that series
#   KDIR         kernel build dir for out-of-tree modules
#                (default /usr/src/linux-headers-$KVER)
#   VMLINUZ      guest kernel image: $CMAFW_CACHE/cloud-$KVER/root/boot/vmlinuz-$KVER,
#                unpacked there by scripts/cloud-kernel.sh and never
#                installed (else an installed /boot/vmlinuz-$KVER)
#   MODDIR       its modules, beside it (source of configfs.ko.xz for the
#                guest)
#   CMAFW_CACHE  ${XDG_CACHE_HOME:-$HOME/.cache}/cmafw
#   LINUX_SRC    unpacked linux-source-6.12 (checkpatch.pl, kernel-doc),
#                default $CMAFW_CACHE/linux-source-6.12 (made by scripts/deps.sh)
#   BUILD_DIR    $CMAFW_ROOT/build (gitignored scratch space)

if [ -z "${CMAFW_ROOT:-}" ]; then
	if [ -n "${BASH_SOURCE:-}" ]; then
		# shellcheck disable=SC3028,SC3054
		CMAFW_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
	else
		CMAFW_ROOT=$PWD
	fi
fi

: "${CMAFW_CACHE:=${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/cmafw}"

# cmafw_detect_kver [SERIES]: the newest cloud kernel release of SERIES
# (default 6.12) whose headers are installed.
cmafw_detect_kver() {
	_best=
	for _d in /usr/src/linux-headers-"${1:-6.12}".*-cloud-amd64; do
		[ -d "$_d" ] || continue
		_best="$_best${_d#/usr/src/linux-headers-}
"
	done
	[ -n "$_best" ] && printf '%s' "$_best" | sort -V | tail -n 1
	unset _best _d
}

# cmafw_kernel_root RELEASE: the root the cloud kernel RELEASE's boot/ and
# lib/modules/ are under: the cache's unpacked copy, or / for one that is
# installed and not in the cache.
cmafw_kernel_root() {
	if [ ! -f "$CMAFW_CACHE/cloud-$1/root/boot/vmlinuz-$1" ] &&
	   [ -f "/boot/vmlinuz-$1" ]; then
		printf '/'
	else
		printf '%s/' "$CMAFW_CACHE/cloud-$1/root"
	fi
}

# KVER may name a series (6.1, 6.12) instead of a release.
case ${KVER:-} in
'') KVER=$(cmafw_detect_kver) ;;
6.1|6.12) KVER=$(cmafw_detect_kver "$KVER") ;;
esac
: "${KDIR:=${KVER:+/usr/src/linux-headers-$KVER}}"
: "${VMLINUZ:=${KVER:+$(cmafw_kernel_root "$KVER")boot/vmlinuz-$KVER}}"
: "${MODDIR:=${KVER:+$(cmafw_kernel_root "$KVER")lib/modules/$KVER}}"
: "${LINUX_SRC:=$CMAFW_CACHE/linux-source-6.12}"
: "${BUILD_DIR:=$CMAFW_ROOT/build}"
export CMAFW_ROOT KVER KDIR VMLINUZ MODDIR CMAFW_CACHE LINUX_SRC BUILD_DIR
