#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`: build cmafw.ko and bench/cmafw_bench.ko, boot the guest
# kernel with a 256 MiB window reserved at 1 GiB (and a second one after
# it, for the growth target P6), replay the benchmark traces there and
# print the tables.
#
# usage: bench/run.sh [--traces LIST] [--scale PCT] [--rounds N]
#                     [--flat LIST|none] [--flat-rounds N] [--timeout SECS]
#
#   --traces   all (default) or any of camera,small,scaling,twodev
#   --scale    percent of the default operation counts (default 100)
#   --rounds   replays per trace and backend, median kept (default 5)
#   --flat     traces for the second pass with cmafw index=0, the flat
#              resource layout (default scaling; none skips it)
#   --flat-rounds  rounds of that pass (default 1)
#   --timeout  host-side limit for the guest (default 900)
#
# Environment: BENCH_TRACES, BENCH_SCALE, BENCH_ROUNDS, BENCH_FLAT,
# BENCH_FLAT_ROUNDS, and scripts/guest-run.sh's GUEST_* (GUEST_MEM defaults
# to 2G here, GUEST_BUILD_DIR to build/bench-guest).  The tables also go
# to build/bench/results.txt, the whole guest output to
# build/bench/guest.log.
# Exit status: scripts/guest-run.sh's (0 when every check passed).
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CMAFW_ROOT="$ROOT"
# shellcheck source=scripts/env.sh
. "$ROOT/scripts/env.sh"

traces=${BENCH_TRACES:-all}
scale=${BENCH_SCALE:-100}
rounds=${BENCH_ROUNDS:-5}
flat=${BENCH_FLAT:-scaling}
flat_rounds=${BENCH_FLAT_ROUNDS:-1}
timeout=900
while [ $# -gt 0 ]; do
	case $1 in
	--traces) traces=$2; shift 2 ;;
	--scale) scale=$2; shift 2 ;;
	--rounds) rounds=$2; shift 2 ;;
	--flat) flat=$2; shift 2 ;;
	--flat-rounds) flat_rounds=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	-h|--help) sed -n '3,24s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "bench: unknown argument $1 (see --help)" >&2; exit 2 ;;
	esac
done

# KVM or TCG, decided once by a probe (scripts/accel.sh); the header says
# which the guest really ran under, and why.
accel=$("$ROOT/scripts/accel.sh" --export) || exit 1
eval "$accel"

out=$BUILD_DIR/bench
mkdir -p "$out"
log=$out/guest.log
results=$out/results.txt

build() {
	echo "bench: building cmafw.ko and bench/cmafw_bench.ko against $KDIR"
	"$ROOT/bench/build-modules.sh" "$ROOT" "$out/build.log" || {
		echo "bench: build failed; log: ${out#"$ROOT"/}/build.log" >&2
		exit 1
	}
}

# host LOADAVG: the header line; the guest's accelerator as accel.sh now
# says, which is TCG if KVM stopped the guest and guest-run.sh fell back
host() {
	IFS=$'\t' read -r CMAFW_ACCEL CMAFW_ACCEL_WHY < <("$ROOT/scripts/accel.sh")
	printf 'host: %s, %s CPUs, load average %s; guest: QEMU %s -smp %s -m %s\n' \
		"$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)" \
		"$(nproc)" "$1" \
		"$(tr '[:lower:]' '[:upper:]' <<<"$CMAFW_ACCEL") ($CMAFW_ACCEL_WHY)" "${GUEST_SMP:-2}" \
		"${GUEST_MEM:-2G}"
}

boot() {
	# The two windows and nothing else: x86's KASLR keeps the kernel out
	# of the first four memmap= ranges only, and with the guest suite's
	# three windows in front, the kernel now and then landed in the second
	# window (0x59400000 in one boot), which P6 then could not register.
	GUEST_MEM=${GUEST_MEM:-2G} \
	GUEST_MEMMAP="memmap=256M\$0x40000000 memmap=256M\$0x50000000" \
	GUEST_BUILD_DIR=${GUEST_BUILD_DIR:-$BUILD_DIR/bench-guest} \
	GUEST_EXTRA_KO="${GUEST_EXTRA_KO:+$GUEST_EXTRA_KO }$ROOT/bench/cmafw_bench.ko" \
		"$ROOT/scripts/guest-run.sh" --timeout "$timeout" \
		"$ROOT/bench/guest-entry.sh" "$traces" "$scale" "$rounds" "$flat" \
		"$flat_rounds" 0x50000000 \
		>"$log" 2>&1 &
	local pid=$!
	# Progress: the trace headers and timings as the guest prints them.
	tail -n +1 -f --pid="$pid" "$log" 2>/dev/null |
		grep --line-buffered -E '^(guest-run: (booting|QEMU)|-- .* took|@@CMAFW-BENCH-BEGIN)' |
		sed -u 's/^@@CMAFW-BENCH-BEGIN \(.*\)@@$/bench: pass: \1/; s/^/  /' || true
	wait "$pid"
}

build
load=$(cut -d' ' -f1-3 /proc/loadavg)
status=0
boot || status=$?
before=$(host "$load")

{
	echo "$before"
	echo "command: make bench (bench/run.sh --traces $traces --scale $scale --rounds $rounds --flat $flat --flat-rounds $flat_rounds)"
	awk '
	{ gsub(/\r/, "") }
	/^@@CMAFW-BENCH-BEGIN / { t = $0; sub(/^@@CMAFW-BENCH-BEGIN /, "", t); sub(/@@$/, "", t)
				  print ""; print "######## " t; on = 1; next }
	/^@@CMAFW-BENCH-END@@/ { on = 0; next }
	on' "$log"
	echo
	host "$(cut -d' ' -f1-3 /proc/loadavg)" | sed 's/^host:/host after:/'
} >"$results"
cat "$results"
echo
grep -E '^(guest: |[0-9]+ passed, [0-9]+ failed)' "$log" || true
echo "bench: tables in ${results#"$ROOT"/}, guest output in ${log#"$ROOT"/}"
exit "$status"
