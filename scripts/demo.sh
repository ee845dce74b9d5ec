#!/bin/bash
# `make demo`: the first command a newcomer runs.
#
#   1. scripts/deps.sh            installs what is missing (Debian 12)
#   2. make modules               cmafw.ko, the test driver, the samples
#   3. scripts/guest-run.sh demo/guest-demo.sh
#                                 boots Debian's 6.12 kernel in QEMU with two
#                                 reserved 64 MiB windows and replays the
#                                 seed's use cases with the sample drivers
#                                 and tools/cmaadm/cmaadm
#   4. scripts/vivid-run.sh demo/guest-camera.sh
#                                 step 8 on Debian's generic 6.12 kernel:
#                                 vivid captures into frame buffers a
#                                 program allocated from a cmafw heap
#
# Exit status non-zero when any step fails, including a demo step that does
# not do what the story says: the guest's report ends with `N passed,
# N failed` over the demo's checks.  Environment: DEMO_BUILD_DIR (build/demo: initramfs,
# console log, build log), DEMO_TIMEOUT (300 s), KDIR, MAKE, and the
# GUEST_* variables of scripts/guest-run.sh except GUEST_BUILD_DIR and
# GUEST_EXTRA_KO, which this script sets.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CMAFW_ROOT="$ROOT"
MAKE=${MAKE:-make}
OUT=${DEMO_BUILD_DIR:-$ROOT/build/demo}
TIMEOUT=${DEMO_TIMEOUT:-300}
SAMPLES=(video camera jpeg)

die() { printf 'demo: ERROR: %s\n' "$*" >&2; exit 1; }
elapsed() { printf '%ds' $((SECONDS - start)); }

start=$SECONDS
"$ROOT/scripts/deps.sh"
# deps may just have installed the kernel: compute KDIR now unless given
# shellcheck source=scripts/env.sh
. "$ROOT/scripts/env.sh"

# KVM or TCG, decided once by a probe (scripts/accel.sh)
accel=$("$ROOT/scripts/accel.sh" --export) || exit 1
eval "$accel"

mkdir -p "$OUT"
printf 'demo: building the modules against %s (log: %s)\n' "$KDIR" \
	"${OUT#"$ROOT"/}/build.log"
if ! "$MAKE" -C "$ROOT" modules KDIR="$KDIR" >"$OUT/build.log" 2>&1; then
	tail -n 30 "$OUT/build.log" >&2
	die "the build failed; see $OUT/build.log"
fi

kos=()
for s in "${SAMPLES[@]}"; do
	ko=$ROOT/samples/cmafw_$s.ko
	[ -f "$ko" ] || die "$ko was not built (is samples/ in ./Kbuild?)"
	kos+=("$ko")
done
[ -f "$ROOT/tools/cmaadm/cmaadm" ] ||
	die "tools/cmaadm/cmaadm is missing: the demo runs every administrative step with it"
printf 'demo: ready after %s; booting the guest\n' "$(elapsed)"

# part NAME CONSOLE CMD...: run one guest part of the demo, its output
# also in $OUT/NAME.out; add its last `N passed, N failed` line to the
# totals (a part that printed none counts as one failure) and remember
# the console log of the first part that failed.
total_p=0 total_f=0 status=0 failed_console=
part() {
	local name=$1 console=$2 st line p f
	shift 2
	st=0
	"$@" 2>&1 | tee "$OUT/$name.out" || st=$?
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$OUT/$name.out" |
		tail -n 1) || true
	if [ -n "$line" ]; then
		read -r p _ f _ <<<"${line//,/ }"
	else
		p=0 f=1
	fi
	[ "$st" -eq 0 ] || [ "$f" -gt 0 ] || f=1
	total_p=$((total_p + p)) total_f=$((total_f + f))
	if [ "$st" -ne 0 ]; then
		[ "$status" -ne 0 ] || failed_console=$console
		status=$st
	fi
}

part steps "$OUT/console.log" env GUEST_BUILD_DIR="$OUT" \
	GUEST_EXTRA_KO="${kos[*]}" \
	"$ROOT/scripts/guest-run.sh" --timeout "$TIMEOUT" demo/guest-demo.sh
# The last step needs a camera: vivid is only in the generic kernel.
printf 'demo: step 8 boots the generic 6.12 kernel, which has vivid\n'
part camera "$BUILD_DIR/vivid/guest/console.log" \
	"$ROOT/scripts/vivid-run.sh" demo/guest-camera.sh
if [ "$status" -eq 0 ]; then
	printf 'demo: done in %s\n' "$(elapsed)"
else
	printf 'demo: FAILED (exit status %d) after %s; console log: %s\n' \
		"$status" "$(elapsed)" "$failed_console" >&2
fi
printf '%d passed, %d failed\n' "$total_p" "$total_f"
exit "$status"
