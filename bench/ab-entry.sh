#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest entry for bench/ab.sh: round after round, each build in turn loads
# its cmafw-TAG.ko and bench-TAG.ko, replays the traces and unloads,
# after one turn of the first build that is not reported.  The results
# stream between @@CMAFW-AB-BEGIN TAG ROUND@@ and @@CMAFW-AB-END@@; TAP
# says which turns ran.
#
# usage: ab-entry.sh "TAG..." ROUNDS REPLAYS BACKENDS TRACES SCALE WINDOW2

tags=$1
rounds=$2
replays=$3
backends=$4
traces=$5
scale=$6
window2=$7
d=/sys/kernel/debug/cmafw_bench
# shellcheck disable=SC1091 # a guest path
. "$CMAFW_SELFTESTS/cmafw/guest/lib.sh"

# turn TAG ROUND: one build's replay; ROUND 0 is not reported
turn() {
	if insmod "$CMAFW_MODULES/cmafw-$1.ko" &&
	   insmod "$CMAFW_MODULES/bench-$1.ko" scale="$scale" \
		rounds="$replays" backends="$backends" window2_base="$window2"; then
		[ "$2" -gt 0 ] && echo "@@CMAFW-AB-BEGIN $1 $2@@"
		rc=0
		echo "$traces" >"$d/run" || rc=1
		[ "$2" -gt 0 ] && cat "$d/results" && echo "@@CMAFW-AB-END@@"
		tap $rc "$1, round $2: run '$traces'"
	else
		tap 1 "$1, round $2: insmod"
	fi
	rmmod cmafw_bench 2>/dev/null
	rmmod cmafw 2>/dev/null
	! grep -q cmafw /proc/modules
	tap $? "$1, round $2: both modules unload"
}

echo "TAP version 13"
# The first turn after boot reads slower (the emulator translating the
# code, caches cold): one of the first build's, not reported.
turn "${tags%% *}" 0
r=1
while [ "$r" -le "$rounds" ]; do
	for tag in $tags; do
		turn "$tag" "$r"
	done
	r=$((r + 1))
done
echo "1..$T_NUM"
[ "$T_FAILED" -eq 0 ]
