#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench-lend: allocation latency in a lend region against mainline CMA
# and a carve-out, in one guest run under the same tmpfs and
# anonymous-memory pressure: 4, 16 and 64 MiB, BENCH_LEND_TRIALS (50)
# allocate+free trials each, p50, p99 and success, the lend/mainline and
# lend/carve ratios and the time per MiB vacated.
#
# Debian's amd64 kernels have CONFIG_CMA off, so the guest boots the
# kernel scripts/cma-kernel.sh builds (once, cached) from linux-source-6.12
# with CMA and DMA_CMA, booted with cma=256M (like the lend region); the
# tree's modules are built against it in a copy (build/bench-lend/tree).
# Mainline CMA is dma_alloc_coherent() on a platform device, which the
# kernel serves from its CMA area (the test module's coherent_timing; only
# allocations inside the area count).  The pressure fills the CMA area's
# pages to BENCH_LEND_CMA_USED MiB (64) too.  GUEST_MEM: 1536M.
# Results go to build/bench-lend/results.txt.
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CMAFW_ROOT="$ROOT"
# shellcheck source=scripts/env.sh
. "$ROOT/scripts/env.sh"
trials=${BENCH_LEND_TRIALS:-50}
out=$BUILD_DIR/bench-lend
mkdir -p "$out"

t0=$SECONDS
read -r obj krel < <("$ROOT/scripts/cma-kernel.sh" | tail -n 1)
[ -n "${krel:-}" ] || { echo "bench-lend: no CMA kernel" >&2; exit 1; }
echo "bench-lend: kernel $krel ready after $((SECONDS - t0)) s"
"$ROOT/scripts/kbuild-copy.sh" "$obj" "$out/tree" "$out/build.log" >/dev/null
# KVM or TCG, decided once by a probe (scripts/accel.sh); the header says
# which the guest really ran under (TCG if KVM stopped it and
# guest-run.sh fell back), and why.
accel=$("$ROOT/scripts/accel.sh" --export) || exit 1
eval "$accel"
status=0
GUEST_BUILD_DIR=$out/guest VMLINUZ=$obj/arch/x86/boot/bzImage KVER=$krel \
MODDIR=$obj/../root/lib/modules/$krel GUEST_MEM=${GUEST_MEM:-1536M} \
GUEST_APPEND="cma=256M${GUEST_APPEND:+ $GUEST_APPEND}" \
	"$out/tree/scripts/guest-run.sh" --timeout 1800 bench/lend-entry.sh \
	"$trials" "${BENCH_LEND_CMA_USED:-64}" >"$out/guest.log" 2>&1 || status=$?
tail -n 1 "$out/guest.log"
IFS=$'\t' read -r CMAFW_ACCEL CMAFW_ACCEL_WHY < <("$ROOT/scripts/accel.sh")
{
	printf 'host: %s CPUs, load average %s; guest: %s, -m %s, QEMU %s (%s)\n' \
		"$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$krel" \
		"${GUEST_MEM:-1536M}" \
		"$(tr '[:lower:]' '[:upper:]' <<<"$CMAFW_ACCEL")" "$CMAFW_ACCEL_WHY"
	tr -d '\r' <"$out/guest.log" | grep -E '^# (pages of the|mainline CMA|no mainline|filler|after the)' || true
	tr -d '\r' <"$out/guest.log" | sed -n 's/^@@LEND \(.*\)@@$/\1/p' | awk '
	function ratio(a, b) { return b > 0 && a != "" ? sprintf("%.2fx", a / b) : "-" }
	{
		for (i = 4; i <= NF; i++) { split($i, kv, "="); v[$1, $2, kv[1]] = kv[2] }
		sizes[$2] = 1; n[$1, $2] = $3; seen[$1] = 1
	}
	END {
		printf "\n%-5s  %-8s  %9s  %9s  %9s  %9s  %11s\n", "size", "mode", "success", "p50 ms", "p99 ms", "MiB taken", "ms per MiB"
		split("4M 16M 64M", order, " ")
		split("lend cma carve", modes, " ")
		name["lend"] = "lend"; name["cma"] = "mainline"; name["carve"] = "carve"
		for (k = 1; k <= 3; k++) {
			s = order[k]
			if (!(s in sizes)) continue
			for (m = 1; m <= 3; m++) {
				r = modes[m]
				if (!(r in seen)) continue
				mib = v[r, s, "reclaimed"] / 1048576
				per = r == "carve" ? "-" : sprintf("%.2f", v[r, s, "p50"] / 1000 / (s + 0))
				taken = r == "cma" ? "?" : sprintf("%.0f", mib)
				printf "%-5s  %-8s  %4d/%-4d  %9.3f  %9.3f  %9s  %11s\n", s, name[r], v[r, s, "ok"], n[r, s], v[r, s, "p50"] / 1000, v[r, s, "p99"] / 1000, taken, per
				if (r == "cma" && v[r, s, "outside"] > 0)
					printf "%-5s  (mainline: %d more allocations came from outside the CMA area, not counted)\n", s, v[r, s, "outside"]
			}
			if ("cma" in seen)
				printf "%-5s  lend/mainline: p50 %s, p99 %s, success %d vs %d\n", s,
					ratio(v["lend", s, "p50"], v["cma", s, "p50"]), ratio(v["lend", s, "p99"], v["cma", s, "p99"]),
					v["lend", s, "ok"], v["cma", s, "ok"]
			printf "%-5s  lend/carve: p50 %s, p99 %s\n", s,
				ratio(v["lend", s, "p50"], v["carve", s, "p50"]), ratio(v["lend", s, "p99"], v["carve", s, "p99"])
		}
		print "\n(ms per MiB: p50 over the size, what vacating and zeroing a MiB costs;"
		print " a carve-out vacates nothing.  MiB taken: the lend region'"'"'s reclaimed"
		print " counter; mainline CMA has no such counter in this kernel.)"
		if (!("cma" in seen))
			print "mainline CMA: not measured in this run (the kernel has no CMA area)."
	}'
} | tee "$out/results.txt"
exit "$status"
