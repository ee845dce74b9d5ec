#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The userspace `make check`: the unit tests and the benchmark engine's,
# then a smoke run of the native benchmark (sanitizer build, tiny scale:
# the engine and the traces stay sound) and, when clang can build
# libFuzzer targets, a few seconds of every fuzz target.  Ends with the
# combined `N passed, N failed[, N skipped]` line that scripts/check.sh
# counts.
#
# usage: bench_check.sh   (run by make from selftests/userspace)
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=$(cd "$here/../.." && pwd)/build/userspace
p=0 f=0 s=0

# add LOG STATUS: add the last `N passed, N failed` of LOG to the counts; a
# non-zero STATUS with no failure counted is one failure.
add() {
	local line lp lf=0 _
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
	if [ -n "$line" ]; then
		read -r lp _ lf _ <<<"$line"
		p=$((p + lp))
	fi
	[ "$2" -ne 0 ] && [ "$lf" -eq 0 ] && lf=1
	f=$((f + lf))
}

# report STATUS DESCRIPTION LOG: one TAP line for a check, counted; when
# it failed, LOG's last lines as comments.
report() {
	if [ "$1" -eq 0 ]; then
		echo "ok - $2"
		p=$((p + 1))
	else
		echo "not ok - $2: see $3"
		sed 's/^/# /' "$3" | tail -n 20
		f=$((f + 1))
	fi
}

mkdir -p "$out"

# 1. unit tests
"$here/cmafw_test" | tee "$out/unit.log"
add "$out/unit.log" "${PIPESTATUS[0]}"

# 1a. the benchmark engine's own tests (a scripted clock and backend)
"$out/bench_engine_test" | tee "$out/bench-engine.log"
add "$out/bench-engine.log" "${PIPESTATUS[0]}"

# 2. benchmark smoke: every trace and backend at 2% scale under ASan/UBSan,
# the targets against bitmap
"$out/bench-asan" -s 2 -q -r bitmap >"$out/bench-smoke.log" 2>&1
report $? "bench smoke: every trace replayed through bitmap, bestfit and segfit, no misplaced chunk" \
	"$out/bench-smoke.log"

# 2a. the targets against the reference (P1, P8, P9): a line for bestfit
# and for segfit each, from the replays in lockstep with the reference
# (no "(replayed apart)" fallback), whose verdict follows its ratios:
# MISSED when one is above 1.00x, when a trace failed or has no reference
# ("-"), or when the line has no ratio at all; met when every ratio is
# below 1.00x
awk '
	/^P[0-9]+:/ { p = $1 }
	p ~ /^P[189]:$/ && /^    (bestfit|segfit) / {
		if (!((p $1) in seen))
			lines++
		seen[p $1] = 1
		hi = lo = n = 0
		for (i = 2; i < NF; i++)
			if ($i ~ /^[0-9.]+x$/) {
				r = substr($i, 1, length($i) - 1) + 0
				if (r > 1) hi = 1
				if (r >= 1) lo = 1
				n++
			} else if ($i == "-" || $i == "FAILED" || $i == "over") {
				hi = 1
			}
		if (!n)
			hi = 1
		if (/\(replayed apart\)/) {
			print "# not replayed with the reference: " $0
			bad = 1
		}
		if ((hi && $NF != "MISSED") || (!hi && !lo && $NF != "met")) {
			print "# verdict against its ratios: " $0
			bad = 1
		}
	}
	END { exit bad || lines != 6 }' "$out/bench-smoke.log"
report $? "bench targets: P1, P8 and P9 give bestfit and segfit a verdict, paired with the reference, that follows their ratios" \
	"$out/bench-smoke.log"

# 3. the two-device search: the region every backend needs lies between
# the peak the devices held at once, which no placement can go under, and
# the top size the walk starts from (1.5x the peak, in whole MiB); the
# mean over the timelines is no more than it
log=$out/bench-twodev.log
"$out/bench-asan" -t twodev -s 25 >"$log" 2>&1 &&
	awk '
	/^\(needs: / { for (i = 1; i <= NF; i++) if ($i == "once,") peak = $(i + 1) * 1024 }
	/^(bitmap|bestfit|segfit) / { need[$1] = $2 * 1048576; mean[$1] = $3 * 1048576 }
	END {
		top = int((peak * 3 / 2 + 1048575) / 1048576) * 1048576
		n = 0
		for (b in need) {
			n++
			if (need[b] < peak || need[b] > top || mean[b] > need[b]) {
				printf "# %s needs %d bytes, %d on average: not within [%d, %d]\n", b, need[b], mean[b], peak, top
				exit 1
			}
		}
		exit !(n == 3 && peak > 0)
	}' "$log"
report $? "twodev: bitmap, bestfit and segfit each need a region between the peak held and 1.5x it" \
	"$log"

# 3a. the fragmentation oracle's model of segfit: its online-coarse rule,
# seeing chunk starts per 16 pages and the chunk touching each side of a
# hole, with segfit's thresholds and its joins weighed over three frees
# (-w 1 -s -j 3), fails exactly as often as kernel/alloc_segfit.c on the
# camera trace, on the benchmark's seed and the next (seeing every
# chunk's extent, it does not); a change to segfit's placement that the
# oracle's comment no longer describes fails here
log=$out/frag-oracle.log
"$out/frag_oracle" -w 1 -s -j 3 -n 1 >"$log" 2>&1 &&
	awk '
	/^segfit / && /fragloss/ { seg = $NF " " $(NF - 2) }
	/^online-coarse / && /fragloss/ { crs = $NF " " $(NF - 2) }
	/^segfit / && /sd/ { seg_n = $2 " " $4 " " $5 }
	/^online-coarse / && /sd/ { crs_n = $2 " " $4 " " $5; diff = $(NF - 2) " " $(NF - 1) " " $NF }
	END {
		if (seg == "" || seg != crs || seg_n == "" || seg_n != crs_n ||
		    diff != "+0.000 +- 0.000") {
			print "# segfit " seg " / " seg_n "; online-coarse " crs " / " crs_n " (" diff ")"
			exit 1
		}
	}' "$log"
report $? "frag oracle: online-coarse -w 1 -s -j 3 fails as often as segfit on 2 seeds of the camera trace" \
	"$log"

# 4. fuzz smoke, if clang can link libFuzzer
probe=$out/fuzz-probe
if echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }' |
	${FUZZ_CC:-clang} -x c -fsanitize=fuzzer,address,undefined -o "$probe" - >/dev/null 2>&1; then
	rm -f "$probe"
	"$here/fuzz.sh" --time "${FUZZ_SMOKE_TIME:-1}" --jobs 4 |
		tee "$out/fuzz-smoke.log"
	add "$out/fuzz-smoke.log" "${PIPESTATUS[0]}"
else
	echo "ok - fuzz smoke # SKIP no clang with -fsanitize=fuzzer (apt-get install clang libclang-rt-dev)"
	s=$((s + 1))
fi

line="$p passed, $f failed"
[ "$s" -eq 0 ] || line="$line, $s skipped"
echo "$line"
[ "$f" -eq 0 ]
