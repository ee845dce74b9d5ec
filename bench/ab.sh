#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Compare builds of cmafw in one guest boot.  Each revision's cmafw.ko and
# bench/cmafw_bench.ko are loaded in turn, round after round, and replay
# the same traces, so that every build sees the same machine; under TCG
# two boots of one build can differ by more than a change does
# (BENCHMARKS.md).  Prints the goals' lines of every build and round,
# prefixed with both; the whole tables go to build/ab/results.txt.
#
# usage: bench/ab.sh [--rounds N] [--replays N] [--backends LIST]
#                    [--traces LIST] [--scale PCT] [--timeout SECS]
#                    REV REV...
#
#   REV         a git revision, or . for the working tree as it is; the
#               same one twice compares a build with itself
#   --rounds    turns of each build, alternated (default 3)
#   --replays   replays of each trace in a turn, medians kept, as
#               cmafw_bench.ko's rounds (default 5, as make bench)
#   --backends  cmafw_bench.ko's backends (default
#               gp-bf,bestfit,segfit,fw-bestfit,fw-segfit)
#   --traces    all or any of camera,small,scaling,twodev (default scaling)
#   --scale     percent of the default operation counts (default 100)
#   --timeout   host-side limit for the guest (default 900)
#
# A revision is checked out in a worktree under build/ab/ and built there
# against $KDIR (scripts/env.sh).  A turn of the first build that is
# not reported comes first: the first turn after boot reads slower.
# Exit status: scripts/guest-run.sh's; 2 for bad usage or a failed build.
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CMAFW_ROOT="$ROOT"
# shellcheck source=scripts/env.sh
. "$ROOT/scripts/env.sh"

rounds=3
replays=5
backends=gp-bf,bestfit,segfit,fw-bestfit,fw-segfit
traces=scaling
scale=100
timeout=900
revs=()
while [ $# -gt 0 ]; do
	case $1 in
	--rounds) rounds=$2; shift 2 ;;
	--replays) replays=$2; shift 2 ;;
	--backends) backends=$2; shift 2 ;;
	--traces) traces=$2; shift 2 ;;
	--scale) scale=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	-h|--help) sed -n '3,28s/^# \{0,1\}//p' "$0"; exit 0 ;;
	-*) echo "ab: unknown option $1 (see --help)" >&2; exit 2 ;;
	*) revs+=("$1"); shift ;;
	esac
done
if [ ${#revs[@]} -lt 2 ]; then
	echo "ab: two revisions or more to compare (see --help)" >&2
	exit 2
fi
for n in "$rounds" "$replays"; do
	case $n in
	''|*[!0-9]*|0) echo "ab: --rounds and --replays want a count, not '$n'" >&2; exit 2 ;;
	esac
done

out=$BUILD_DIR/ab
mkdir -p "$out/ko"
rm -f "$out"/ko/*.ko

# build TAG DIR: both modules of the tree at DIR, as TAG on the guest
build() {
	local tag=$1 dir=$2 log=$out/build-$1.log
	local where=${dir#"$ROOT"/}

	[ "$dir" = "$ROOT" ] && where="the working tree"
	echo "ab: $tag: building in $where"
	"$ROOT/bench/build-modules.sh" "$dir" "$log" || {
		echo "ab: $tag: build failed; log: ${log#"$ROOT"/}" >&2
		exit 2
	}
	cp "$dir/kernel/cmafw.ko" "$out/ko/cmafw-$tag.ko"
	cp "$dir/bench/cmafw_bench.ko" "$out/ko/bench-$tag.ko"
}

# Every revision is resolved before anything is built.
tags=()
dirs=()
i=0
for rev in "${revs[@]}"; do
	i=$((i + 1))
	if [ "$rev" = . ]; then
		tags+=("$i-worktree")
		dirs+=("$ROOT")
		continue
	fi
	sha=$(git -C "$ROOT" rev-parse --verify --quiet --short "$rev^{commit}") || {
		echo "ab: no such revision: $rev" >&2
		exit 2
	}
	tags+=("$i-$sha")
	dirs+=("$out/$sha")
done
for i in "${!tags[@]}"; do
	dir=${dirs[$i]}
	sha=${tags[$i]#*-}
	if [ "$dir" != "$ROOT" ] &&
	   [ "$(git -C "$dir" rev-parse --short HEAD 2>/dev/null)" != "$sha" ]; then
		rm -rf "$dir"
		git -C "$ROOT" worktree prune
		git -C "$ROOT" worktree add --detach --force "$dir" "$sha" >/dev/null
	fi
	build "${tags[$i]}" "$dir"
done

accel=$("$ROOT/scripts/accel.sh" --export) || exit 1
eval "$accel"
log=$out/guest.log
ko=$(printf '%s ' "$out"/ko/*.ko)
status=0
# The two windows bench/run.sh boots with, and nothing else.
GUEST_MEM=${GUEST_MEM:-2G} \
GUEST_MEMMAP="memmap=256M\$0x40000000 memmap=256M\$0x50000000" \
GUEST_BUILD_DIR=${GUEST_BUILD_DIR:-$BUILD_DIR/ab-guest} \
GUEST_EXTRA_KO="${GUEST_EXTRA_KO:+$GUEST_EXTRA_KO }${ko% }" \
	"$ROOT/scripts/guest-run.sh" --timeout "$timeout" \
	"$ROOT/bench/ab-entry.sh" "${tags[*]}" "$rounds" "$replays" \
	"$backends" "$traces" "$scale" 0x50000000 >"$log" 2>&1 || status=$?

# The whole tables, then each build's and round's goal lines.
awk '
{ gsub(/\r/, "") }
/^@@CMAFW-AB-BEGIN / { t = $2 " round " $3; sub(/@@$/, "", t)
		       print ""; print "######## " t; on = 1; next }
/^@@CMAFW-AB-END@@/ { on = 0; next }
on' "$log" >"$out/results.txt"
awk '
/^######## / { tag = $2; round = $4; goals = 0; next }
/^== targets/ { goals = 1; next }
goals && /^P[0-9]+:/ { p = $1; sub(/:$/, "", p); next }
goals && /^     *[^ (]/ && !/ chunks/ { sub(/^ +/, ""); print tag, round, p, $0 }
' "$out/results.txt"
grep -E '^(guest: |[0-9]+ passed, [0-9]+ failed)' "$log" || true
echo "ab: tables in ${out#"$ROOT"/}/results.txt, guest output in ${log#"$ROOT"/}"
exit "$status"
