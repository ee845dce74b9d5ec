#!/bin/bash
# Build the tree's modules for another kernel in a copy of the tree, so the
# work tree's own *.ko (built for the default kernel) stay as they are.
# Kbuild writes objects next to the sources, so one tree holds one kernel's
# build; the copy is made fresh from the work tree every time.
#
# usage: scripts/kbuild-copy.sh KDIR DEST [LOG]
#   KDIR  the kernel's build directory (headers, or a kernel's O= tree)
#   DEST  the copy: the whole tree (sources, scripts, tests, tools)
#         without .git, build/ or build output, then `make -C KDIR M=DEST
#         modules` (whatever the top Kbuild lists)
#   LOG   the build log (default DEST.log); shown in part on failure
#
# Checks that cmafw.ko and the test module are built for KDIR's release.
# Environment: KBUILD_JOBS (make -j, default nproc).
set -euo pipefail
export LC_ALL=C

[ $# -ge 2 ] || { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" >&2; exit 2; }
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KDIR=$1 DEST=$(realpath -m "$2") LOG=$(realpath -m "${3:-$2.log}")

die() { printf 'kbuild-copy: ERROR: %s\n' "$*" >&2; exit 1; }
[ -d "$KDIR" ] || die "no kernel build directory $KDIR"
# The release modules get in their vermagic (Debian's 6.1 headers have
# 6.1.192 in kernel.release but 6.1.0-57-cloud-amd64 here).
krel=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' \
	"$KDIR/include/generated/utsrelease.h" 2>/dev/null)
[ -n "$krel" ] || die "$KDIR has no include/generated/utsrelease.h"

"$ROOT/scripts/copy-tree.sh" "$DEST"
if ! make -C "$KDIR" M="$DEST" -j"${KBUILD_JOBS:-$(nproc)}" modules >"$LOG" 2>&1; then
	tail -n 40 "$LOG" >&2
	die "building the modules against $KDIR failed (log: $LOG)"
fi
grep -E 'warning:|error:' "$LOG" >&2 || true
for ko in "$DEST/kernel/cmafw.ko" "$DEST/selftests/cmafw/module/cmafw_test.ko"; do
	vm=$(modinfo -F vermagic "$ko" | awk '{print $1}')
	[ "$vm" = "$krel" ] || die "$ko is built for '$vm', not $krel"
done
printf 'kbuild-copy: modules for %s built in %s\n' "$krel" "$DEST"
