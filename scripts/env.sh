# shellcheck shell=sh
# Common environment for cmafw scripts.  Source it (POSIX sh, bash, dash):
#     . "$ROOT/scripts/env.sh"
# Every variable can be overridden from the environment.
#
#   CMAFW_ROOT   repository root (from the caller's CMAFW_ROOT, else from
#                this file's location when sourced by bash, else $PWD)
#   KVER         guest/target kernel release: the newest
#                /lib/modules/6.12.*-cloud-amd64 that has /boot/vmlinuz-$KVER;
#                KVER=6.1 or KVER=6.12 picks the newest of that series
#   KDIR         kernel build dir for out-of-tree modules
#                (default /usr/src/linux-headers-$KVER)
#   VMLINUZ      guest kernel image (default /boot/vmlinuz-$KVER)
#   MODDIR       /lib/modules/$KVER (source of configfs.ko.xz for the guest)
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

# cmafw_detect_kver [SERIES]: the newest /lib/modules/SERIES.*-cloud-amd64
# (default series 6.12) that has its /boot/vmlinuz.
cmafw_detect_kver() {
	_best=
	for _d in /lib/modules/"${1:-6.12}".*-cloud-amd64; do
		[ -d "$_d" ] || continue
		_v=${_d##*/}
		[ -f "/boot/vmlinuz-$_v" ] || continue
		_best="$_best$_v
"
	done
	[ -n "$_best" ] && printf '%s' "$_best" | sort -V | tail -n 1
	unset _best _d _v
}

# KVER may name a series (6.1, 6.12) instead of a release.
case ${KVER:-} in
'') KVER=$(cmafw_detect_kver) ;;
6.1|6.12) KVER=$(cmafw_detect_kver "$KVER") ;;
esac
: "${KDIR:=${KVER:+/usr/src/linux-headers-$KVER}}"
: "${VMLINUZ:=${KVER:+/boot/vmlinuz-$KVER}}"
: "${MODDIR:=${KVER:+/lib/modules/$KVER}}"
: "${CMAFW_CACHE:=${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/cmafw}"
: "${LINUX_SRC:=$CMAFW_CACHE/linux-source-6.12}"
: "${BUILD_DIR:=$CMAFW_ROOT/build}"
export CMAFW_ROOT KVER KDIR VMLINUZ MODDIR CMAFW_CACHE LINUX_SRC BUILD_DIR
