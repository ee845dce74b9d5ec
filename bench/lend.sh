#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench-lend: allocation latency in a lend region against a carve-out,
# in one guest run under the same tmpfs and anonymous-memory pressure:
# 4, 16 and 64 MiB, BENCH_LEND_TRIALS (50) allocate+free trials each, p50,
# p99 and success, the lend/carve ratios and the time per MiB vacated.
# Mainline CMA is not in the table: Debian's amd64 kernels have CONFIG_CMA
# off and this run uses the stock guest kernel.  Results go to
# build/bench-lend/results.txt.
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CMAFW_ROOT="$ROOT"
# shellcheck source=scripts/env.sh
. "$ROOT/scripts/env.sh"
trials=${BENCH_LEND_TRIALS:-50}
out=$BUILD_DIR/bench-lend
mkdir -p "$out"

${MAKE:-make} -C "$ROOT" modules KDIR="$KDIR" >"$out/build.log" 2>&1 ||
	{ tail -n 30 "$out/build.log" >&2; exit 1; }
status=0
GUEST_BUILD_DIR=$out "$ROOT/scripts/guest-run.sh" --timeout 1500 \
	"$ROOT/bench/lend-entry.sh" "$trials" >"$out/guest.log" 2>&1 || status=$?
tail -n 1 "$out/guest.log"
{
	printf 'host: %s CPUs, load average %s; guest: %s, TCG unless KVM works\n' \
		"$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$KVER"
	tr -d '\r' <"$out/guest.log" | grep '^# pages of the lend' || true
	tr -d '\r' <"$out/guest.log" | sed -n 's/^@@LEND \(.*\)@@$/\1/p' | awk '
	{
		for (i = 4; i <= NF; i++) { split($i, kv, "="); v[$1, $2, kv[1]] = kv[2] }
		sizes[$2] = 1; n[$1, $2] = $3
	}
	END {
		printf "\n%-5s  %-6s  %9s  %9s  %9s  %9s  %11s\n", "size", "mode", "success", "p50 ms", "p99 ms", "MiB taken", "ms per MiB"
		split("4M 16M 64M", order, " ")
		for (k = 1; k <= 3; k++) {
			s = order[k]
			if (!(s in sizes)) continue
			for (m = 1; m <= 2; m++) {
				r = m == 1 ? "lend" : "carve"
				mib = v[r, s, "reclaimed"] / 1048576
				per = mib > 0 ? sprintf("%.2f", v[r, s, "p50"] / 1000 / (s + 0)) : "-"
				printf "%-5s  %-6s  %4d/%-4d  %9.3f  %9.3f  %9.0f  %11s\n", s, r, v[r, s, "ok"], n[r, s], v[r, s, "p50"] / 1000, v[r, s, "p99"] / 1000, mib, per
			}
			c50 = v["carve", s, "p50"]; c99 = v["carve", s, "p99"]
			printf "%-5s  lend/carve: p50 %.1fx, p99 %.1fx\n", s, (c50 ? v["lend", s, "p50"] / c50 : 0), (c99 ? v["lend", s, "p99"] / c99 : 0)
		}
		print "\n(ms per MiB: lend p50 over the size; a carve-out vacates nothing.)"
		print "mainline CMA: not measured in this run (needs a kernel built with CONFIG_CMA)."
	}'
} | tee "$out/results.txt"
exit "$status"
