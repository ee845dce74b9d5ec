#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The userspace `make check`: the unit tests, then a smoke run of the
# native benchmark (sanitizer build, tiny scale: the engine and the traces
# stay sound) and, when clang can build libFuzzer targets, a few seconds of
# every fuzz target.  Ends with the combined `N passed, N failed[, N
# skipped]` line that scripts/check.sh counts.
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

mkdir -p "$out"

# 1. unit tests
"$here/cmafw_test" | tee "$out/unit.log"
add "$out/unit.log" "${PIPESTATUS[0]}"

# 2. benchmark smoke: every trace and backend at 2% scale under ASan/UBSan
if "$out/bench-asan" -s 2 -q >"$out/bench-smoke.log" 2>&1; then
	echo "ok - bench smoke: every trace replayed through bitmap, bestfit and segfit, no misplaced chunk"
	p=$((p + 1))
else
	echo "not ok - bench smoke: see $out/bench-smoke.log"
	sed 's/^/# /' "$out/bench-smoke.log" | tail -n 20
	f=$((f + 1))
fi

# 3. fuzz smoke, if clang can link libFuzzer
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
