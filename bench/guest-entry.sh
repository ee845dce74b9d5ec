#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest entry for bench/run.sh: load cmafw and the benchmark module, run
# the traces, stream the results between @@CMAFW-BENCH-BEGIN <title>@@ and
# @@CMAFW-BENCH-END@@, and report TAP.
#
# usage: guest-entry.sh [TRACES [SCALE [ROUNDS [FLAT_TRACES [FLAT_ROUNDS [WINDOW2]]]]]]
#
# Two passes in one boot:
#   1. cmafw as it loads by default: every backend on TRACES (default all),
#      ROUNDS rounds (default 5);
#   2. cmafw index=0 (every chunk right under its region, the flat layout
#      kernel/index.c replaced): gp-bf, bestfit and the framework's
#      backends on FLAT_TRACES (default scaling; "none" skips the pass),
#      FLAT_ROUNDS rounds (default 1: its walks dwarf the noise).
# SCALE (default 100) goes to cmafw_bench.ko, and WINDOW2 (default 0: none)
# as window2_base, the second reserved window P6 needs for the framework.

traces=${1:-all}
scale=${2:-100}
rounds=${3:-5}
flat=${4:-scaling}
flat_rounds=${5:-1}
window2=${6:-0}
d=/sys/kernel/debug/cmafw_bench
# shellcheck disable=SC1091 # a guest path
. "$CMAFW_SELFTESTS/cmafw/guest/lib.sh"

# pass TITLE CMAFW_ARGS BACKENDS TRACES ROUNDS
pass() {
	# shellcheck disable=SC2086 # $2 holds module parameters
	if ! insmod "$CMAFW_MODULES/cmafw.ko" $2; then
		tap 1 "$1: insmod cmafw.ko $2"
		return
	fi
	insmod "$CMAFW_MODULES/cmafw_bench.ko" scale="$scale" \
		rounds="$5" backends="$3" window2_base="$window2"
	tap $? "$1: insmod cmafw_bench.ko backends=$3"

	if [ -w "$d/run" ]; then
		echo "@@CMAFW-BENCH-BEGIN $1@@"
		exec 3<"$d/results"
		echo "$4" >"$d/run" &
		pid=$!
		# The results grow while the run goes on: show them as they come.
		while kill -0 "$pid" 2>/dev/null; do
			sleep 2
			cat <&3
		done
		wait "$pid"
		rc=$?
		cat <&3
		exec 3<&-
		echo "@@CMAFW-BENCH-END@@"
		tap $rc "$1: run '$4': every chunk inside its region, aligned, no overlap"
	else
		tap 1 "$1: no $d/run"
	fi

	rmmod cmafw_bench
	tap $? "$1: rmmod cmafw_bench"
	! grep -q cmafw-bench /proc/iomem
	tap $? "$1: no benchmark region left in /proc/iomem"
	rmmod cmafw
	tap $? "$1: rmmod cmafw: no chunk left behind"
}

echo "TAP version 13"
pass "cmafw as loaded by default" "" all "$traces" "$rounds"
if [ "$flat" = none ]; then
	:
elif [ -e /sys/module/cmafw ] || ! insmod "$CMAFW_MODULES/cmafw.ko" index=0; then
	not_ok "cmafw index=0: flat layout: cmafw is still loaded, or insmod index=0 failed"
else
	rmmod cmafw
	pass "cmafw index=0 (flat: every chunk a child of its region)" index=0 \
		gp-bf,bestfit,fw-bitmap,fw-bestfit "$flat" "$flat_rounds"
fi
echo "1..$T_NUM"
[ "$T_FAILED" -eq 0 ]
