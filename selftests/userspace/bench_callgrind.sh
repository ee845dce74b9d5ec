#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Instructions per operation of each allocator on each trace, counted by
# callgrind: exact and repeatable where the timings are not.
#
# usage: bench_callgrind.sh BENCH [SCALE]
#
# Runs BENCH (build/userspace/bench) once under callgrind with collection on only
# inside the engine's timed calls (bench_measured_alloc/free: the
# allocator's op plus a constant few instructions of call and clock-read
# overhead); the program dumps the counts of each replay on its own.
# SCALE (default 20) is the percent of the default operation counts.
set -euo pipefail

bench=$1
scale=${2:-20}
dir=$(dirname "$bench")/callgrind
command -v valgrind >/dev/null || { echo "callgrind: valgrind not found (apt-get install valgrind)" >&2; exit 1; }
rm -rf "$dir"
mkdir -p "$dir"

valgrind --tool=callgrind --callgrind-out-file="$dir/cg.out" \
	--collect-atstart=no --compress-strings=no --compress-pos=no \
	--toggle-collect='bench_measured_alloc*' \
	--toggle-collect='bench_measured_free*' \
	"$bench" -s "$scale" -n 1 -q >"$dir/bench.log" 2>"$dir/valgrind.log" || {
	cat "$dir/valgrind.log" >&2
	exit 1
}

echo "callgrind: instructions (Ir) per measured operation, scale $scale%"
printf '%-14s %-8s %7s %7s %10s %10s %10s\n' trace backend allocs frees \
	Ir/alloc Ir/free Ir/op
# Every dump: the label says which replay; the cost lines under
# fn=bench_measured_alloc / _free (their own and their callees', listed
# after calls=) add up to the inclusive count.
i=1
while [ -f "$dir/cg.out.$i" ]; do
	f=$dir/cg.out.$i
	i=$((i + 1))
	awk '
	/^desc: Trigger: Client Request: / {
		for (i = 5; i <= NF; i++) { split($i, kv, "="); lab[kv[1]] = kv[2] }
	}
	/^fn=/ { fn = substr($0, 4); sub(/ .*/, "", fn) }
	/^[0-9]/ {
		if (fn ~ /^bench_measured_alloc/) a += $2
		else if (fn ~ /^bench_measured_free/) f += $2
	}
	END {
		if (!("trace" in lab)) exit
		na = lab["allocs"] + 0; nf = lab["frees"] + 0
		printf "%-14s %-8s %7d %7d %10.0f %10.0f %10.0f\n", lab["trace"],
			lab["backend"], na, nf, na ? a / na : 0, nf ? f / nf : 0,
			(na + nf) ? (a + f) / (na + nf) : 0
	}' "$f"
done
