#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`, the heap row: boot the 6.12 guest (the one with the
# kernel's system heap) and time alloc+free of a 6,220,800-byte buffer
# from /dev/dma_heap/cmafw-bench against /dev/dma_heap/system, alternated
# in the same run.  Prints the row, also to build/bench/heap.txt.
#
# usage: bench/heap.sh [ITERS]   (default 200)
# Environment: scripts/guest-run.sh's GUEST_*.
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CMAFW_ROOT="$ROOT"
# shellcheck source=scripts/env.sh
. "$ROOT/scripts/env.sh"

iters=${1:-200}
out=$BUILD_DIR/bench
mkdir -p "$out"
${MAKE:-make} -s -C "$ROOT" modules KDIR="$KDIR" >"$out/heap-build.log" 2>&1 || {
	tail -n 30 "$out/heap-build.log" >&2
	exit 1
}
st=0
GUEST_BUILD_DIR=$BUILD_DIR/bench-heap-guest \
	"$ROOT/scripts/guest-run.sh" --timeout 300 bench/heap-entry.sh "$iters" \
	>"$out/heap-guest.log" 2>&1 || st=$?
tail -n 1 "$out/heap-guest.log"
awk -v host="$(cut -d' ' -f1-3 /proc/loadavg)" -v kver="$KVER" '
	{ gsub(/\r/, "") }
	$1 == "bench" && $2 ~ /cmafw-bench$/ { cp50 = $5; cp99 = $6; len = $3; n = $4 }
	$1 == "bench" && $2 ~ /cmafw-lbench$/ { lp50 = $5; lp99 = $6 }
	# Each cmafw heap is alternated with the system heap: its own pass.
	$1 == "bench" && $2 ~ /system/ && !lp50 { sp50 = $5; sp99 = $6 }
	$1 == "bench" && $2 ~ /system/ && lp50 { tp50 = $5; tp99 = $6 }
	END {
		if (!cp50 || !sp50) { print "heap bench: no result (see build/bench/heap-guest.log)"; exit 1 }
		printf "heap alloc+free, %d bytes, %d rounds alternated, guest %s (host load %s)\n", len, n, kver, host
		printf "| heap | p50 | p99 |\n|---|---|---|\n"
		printf "| cmafw-bench | %.1f us | %.1f us |\n", cp50 / 1000, cp99 / 1000
		printf "| system | %.1f us | %.1f us |\n", sp50 / 1000, sp99 / 1000
		printf "| ratio cmafw/system | %.2fx | %.2fx |\n", cp50 / sp50, cp99 / sp99
		if (!lp50 || !tp50) { print "heap bench: no lend result (see build/bench/heap-guest.log)"; exit 1 }
		printf "| cmafw-lbench (lend) | %.1f us | %.1f us |\n", lp50 / 1000, lp99 / 1000
		printf "| system, alternated with it | %.1f us | %.1f us |\n", tp50 / 1000, tp99 / 1000
		printf "| ratio lend/system | %.2fx | %.2fx |\n", lp50 / tp50, lp99 / tp99
	}' "$out/heap-guest.log" | tee "$out/heap.txt"
exit "$st"
