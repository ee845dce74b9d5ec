#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build and run the libFuzzer targets (clang -fsanitize=fuzzer,address,
# undefined).  `make fuzz` at the top runs this for a long time; the
# userspace `make check` runs it for a second per target.
#
# usage: fuzz.sh [--time SECS] [--jobs N] [TARGET...]
#
#   --time   seconds per target (default $FUZZ_TIME, else 600)
#   --jobs   targets run at once (default: the number of CPUs)
#   TARGET   fuzz_map fuzz_bitmap fuzz_bestfit fuzz_bitmap_fast fuzz_segfit
#            (default all)
#
# Each target keeps a corpus in build/userspace/corpus/TARGET (seeded from
# fuzz_corpus/TARGET), so later runs start where earlier ones stopped; a
# crashing input is saved as build/userspace/crash-TARGET-*; the log is
# build/userspace/TARGET.log (build/ at the top of the tree).  Prints one TAP line per target and ends with
# `N passed, N failed`.  Exit status 0 only if no target found anything.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=$(cd "$here/../.." && pwd)/build/userspace
time=${FUZZ_TIME:-600}
jobs=$(nproc 2>/dev/null || echo 1)
all=(fuzz_map fuzz_bitmap fuzz_bestfit fuzz_bitmap_fast fuzz_segfit)

while [ $# -gt 0 ]; do
	case $1 in
	--time) time=$2; shift 2 ;;
	--jobs) jobs=$2; shift 2 ;;
	-h|--help) sed -n '3,18s/^# \{0,1\}//p' "$0"; exit 0 ;;
	-*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")

bins=()
for t in "${targets[@]}"; do bins+=("$out/$t"); done
${MAKE:-make} -s -C "$here" -j"$jobs" "${bins[@]}" || {
	echo "not ok 1 - fuzz targets build (needs clang and libclang-rt-dev)"
	echo "0 passed, 1 failed"
	exit 1
}

# run TARGET: fuzz for $time seconds, leave the verdict in $out/TARGET.rc
run() {
	local t=$1 corpus=$out/corpus/$1 seeds=() opts=()
	mkdir -p "$corpus"
	[ -d "$here/fuzz_corpus/${t#fuzz_}" ] && seeds=("$here/fuzz_corpus/${t#fuzz_}")
	[ "$t" = fuzz_map ] && opts=(-dict="$here/fuzz_corpus/map.dict" -max_len=4200)
	"$out/$t" -max_total_time="$time" -print_final_stats=1 \
		-artifact_prefix="$out/crash-$t-" "${opts[@]}" \
		"$corpus" "${seeds[@]}" >"$out/$t.log" 2>&1
	echo $? >"$out/$t.rc"
}

running=0
for t in "${targets[@]}"; do
	run "$t" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait

n=0 failed=0
for t in "${targets[@]}"; do
	n=$((n + 1))
	rc=$(cat "$out/$t.rc" 2>/dev/null || echo 99)
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$t.log" | tail -n 1)
	cov=$(grep -ao 'cov: [0-9]*' "$out/$t.log" | tail -n 1)
	if [ "$rc" = 0 ]; then
		echo "ok $n - $t: ${runs:-?} inputs in ${time}s, ${cov:-cov: ?}, corpus $(find "$out/corpus/$t" -type f | wc -l)"
	else
		failed=$((failed + 1))
		echo "not ok $n - $t: exit status $rc, see $out/$t.log"
		grep -a -m 3 -E 'fuzz_(map|alloc):|ERROR:|SUMMARY:' "$out/$t.log" | sed 's/^/# /'
		find "$out" -maxdepth 1 -name "crash-$t-*" | sed 's/^/# input: /'
	fi
done
echo "$((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
