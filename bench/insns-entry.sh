#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest entry for bench/insns.sh: load cmafw and the benchmark module with
# BACKENDS, print the kernel's text symbols (@@CMAFW-SYM lines: where each
# translated block the host counts lies), replay the scaling trace once
# and report TAP.  The host counts the instructions; this only runs them.
#
# usage: insns-entry.sh BACKENDS SCALE ROUNDS WINDOW2 [TRACES]
#
# TRACES: "scaling" (the default), or some of its steps ("scaling/64,...").

backends=$1
scale=$2
rounds=$3
window2=$4
traces=${5:-scaling}
d=/sys/kernel/debug/cmafw_bench
# shellcheck disable=SC1091 # a guest path
. "$CMAFW_SELFTESTS/cmafw/guest/lib.sh"

echo "TAP version 13"
insmod "$CMAFW_MODULES/cmafw.ko"
tap $? "insmod cmafw.ko"
insmod "$CMAFW_MODULES/cmafw_bench.ko" scale="$scale" rounds="$rounds" \
	backends="$backends" window2_base="$window2"
tap $? "insmod cmafw_bench.ko backends=$backends scale=$scale"
# Module text moves with each load: the symbols of this one.
awk '$2 == "t" || $2 == "T" { print "@@CMAFW-SYM " $1 " " $3 }' /proc/kallsyms
rc=0
echo "$traces" >"$d/run" || rc=1
tap "$rc" "$traces replayed"
# The pairs measured, for the host's division, and their p50s.
grep -E -A 1 '^(== scaling: |-- scaling/|pair p50 ns)' "$d/results" |
	grep -E '^(== |-- |pair|fw-|bestfit|floor)'

rmmod cmafw_bench && rmmod cmafw
tap $? "both modules unload"
echo "1..$T_NUM"
[ "$T_FAILED" -eq 0 ]
