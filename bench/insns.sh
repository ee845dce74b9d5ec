#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Issue 15's P5 in instructions: what the framework executes per free and
# allocation, against its placement, counted by QEMU rather than timed.
# The counts come out the same from one run to the next, where TCG's
# timings swing by a tenth or more (BENCHMARKS.md), so a change to the hot
# path shows its effect exactly, function by function.
#
# usage: bench/insns.sh [--floor] [--scales LO,HI] [--steps LIVE,...]
#                       [--rounds N] [--top N] [--timeout SECS]
#
#   --floor    also count the floor backends alone (bench/bench_floor.c,
#              and bench/bench_floor_api.c: the floor with what the API
#              asks): four boots more
#   --steps    only these steps of the scaling trace, by live chunks
#              (64,256,1024,4096,16384; default all five): the report is
#              then per pair of those steps alone
#   --scales   the scaling trace at two scales, percent (default 100,1000):
#              the difference is the extra measured pairs alone, without
#              setup, fill and teardown
#   --rounds   cmafw_bench.ko's rounds (default 1)
#   --top      framework functions listed (default 30)
#   --timeout  host-side limit for each guest (default 1800)
#   --again    no build, no boot: the report again, from the last counts
#
# Each boot replays the scaling trace with one backend (bestfit,
# fw-bestfit, and with --floor the two floors) under TCG, as a plugin does not
# run under KVM, with bench/qemu/insn-count.c counting every translated
# block of the kernel; bench/insns-entry.sh prints the guest's symbols,
# so that each block is put down to its function.
#
# - placement: bestfit alone's instructions in the allocator's functions
#   (kernel/alloc_bestfit.c, kernel/alloc_holes.c) and the rbtree's;
# - framework: fw-bestfit's instructions less bestfit alone's, in
#   cmafw.ko's other functions and in the kernel functions on its path
#   (classify() lists them);
# - floor, floor+api: each floor's less bestfit alone's, in
#   bench_floor.c's and bench_floor_api.c's functions and the same kernel
#   ones.
#
# One vCPU (GUEST_SMP=1): with two, a vCPU that the host descheduled
# holding a lock leaves the other spinning, and the spins count; so the
# counts moved with the host's load (lock_timer_base and the spinlock
# slow path: hundreds of instructions a pair, with a lint running).
#
# Per pair: divided by the measured pairs the two scales differ by (the
# trace's growth replays, alike for every backend, ride along).  Blocks are
# translated blocks run: each one ends in a jump, call or return.
# Output in build/insns/ (report.txt, and per boot the guest log and
# counts).  Exit status: 0, or 1 when a boot failed.
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CMAFW_ROOT="$ROOT"
# shellcheck source=scripts/env.sh
. "$ROOT/scripts/env.sh"

floor=0
again=0
scales=100,1000
steps=
rounds=1
top=30
timeout=1800
while [ $# -gt 0 ]; do
	case $1 in
	--floor) floor=1; shift ;;
	--scales) scales=$2; shift 2 ;;
	--steps) steps=$2; shift 2 ;;
	--rounds) rounds=$2; shift 2 ;;
	--top) top=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--again) again=1; shift ;;
	-h|--help) sed -n '3,50s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "insns: unknown argument $1 (see --help)" >&2; exit 2 ;;
	esac
done
lo=${scales%,*}
hi=${scales#*,}
case $lo,$hi in
*[!0-9,]*|,*|*,) echo "insns: --scales LO,HI, two numbers" >&2; exit 2 ;;
esac
[ "$hi" -gt "$lo" ] || { echo "insns: --scales: HI above LO" >&2; exit 2; }
# The scaling trace, or the steps asked for: "scaling/64,scaling/256".
traces=scaling
if [ -n "$steps" ]; then
	traces=
	for live in ${steps//,/ }; do
		case $live in
		64|256|1024|4096|16384) traces=${traces:+$traces,}scaling/$live ;;
		*) echo "insns: --steps: $live is not a step (64,256,1024,4096,16384)" >&2
		   exit 2 ;;
		esac
	done
fi

out=$BUILD_DIR/insns
mkdir -p "$out"
plugin=$out/insn-count.so
# text NM_ARGS...: the text symbols nm lists
text() {
	nm "$@" | awk '$2 ~ /^[tT]$/ { print $3 }' | sort -u
}
# classify: whose instructions count as what, in $out/*.fns: the
# allocator's own functions, as bench/cmafw_bench.ko builds them (and the
# rbtree's, in the report); cmafw.ko's other functions; the floor's; and
# the kernel's functions that an allocation or a free reaches from
# either: kernel/resource.c's, the locks', the slab's, the wake-up's and
# the string helpers'.  Other kernel functions are left out: between
# boots they differ by a few hundred instructions a pair of noise
# (calibration at boot, printing, page faults, the benchmark's sorting of
# different samples).  --again keeps the last build's lists.
classify() {
	text --defined-only "$ROOT/bench/bench_alloc_bestfit.o" >"$out/placement.fns"
	text --defined-only "$ROOT/kernel/cmafw.ko" |
		comm -23 - "$out/placement.fns" >"$out/cmafw.fns"
	text --defined-only "$ROOT/bench/bench_floor.o" \
		"$ROOT/bench/bench_floor_api.o" >"$out/floor.fns"
	{
		printf '%s\n' request_resource __request_resource release_resource \
			__release_resource adjust_resource __adjust_resource \
			insert_resource __insert_resource remove_resource \
			mutex_lock mutex_lock_killable mutex_unlock _raw_write_lock \
			_raw_write_unlock __cond_resched __percpu_down_read \
			rcuwait_wake_up \
			__kmalloc_cache_noprof __kmalloc_noprof kfree \
			wake_up_var __wake_up_bit __var_waitqueue __module_get \
			module_put memcmp memset memset_orig strcmp strlen \
			sized_strscpy
		nm -u "$ROOT/kernel/cmafw.ko" | awk '$2 ~ /^__x86_indirect_thunk/ { print $2 }'
	} | sort -u >"$out/kernel.fns"
}

if [ "$again" = 0 ]; then
	echo "insns: building the plugin, cmafw.ko and bench/cmafw_bench.ko"
	${CC:-cc} -O2 -Wall -Wextra -Werror -shared -fPIC -pthread \
		-o "$plugin" "$ROOT/bench/qemu/insn-count.c"
	"$ROOT/bench/build-modules.sh" "$ROOT" "$out/build.log" || {
		echo "insns: build failed; log: ${out#"$ROOT"/}/build.log" >&2
		exit 1
	}
	classify
	echo "$traces" >"$out/traces"
fi

# count BACKEND SCALE: one boot; $out/TAG.fn holds "function instructions
# blocks" for the whole boot
count() {
	local tag=$1-$2
	echo "insns: $1 at scale $2%"
	rm -f "$out/$tag.blocks"
	GUEST_ACCEL=tcg GUEST_SMP=${GUEST_SMP:-1} GUEST_MEM=${GUEST_MEM:-2G} \
	GUEST_MEMMAP="memmap=256M\$0x40000000 memmap=256M\$0x50000000" \
	GUEST_BUILD_DIR=${GUEST_BUILD_DIR:-$BUILD_DIR/insns-guest} \
	GUEST_EXTRA_KO="$ROOT/bench/cmafw_bench.ko" \
	GUEST_QEMU_EXTRA="-plugin $plugin,out=$out/$tag.blocks" \
		"$ROOT/scripts/guest-run.sh" --timeout "$timeout" \
		"$ROOT/bench/insns-entry.sh" "$1" "$2" "$rounds" 0x50000000 "$traces" \
		>"$out/$tag.log" 2>&1 || {
		echo "insns: the guest failed; log: ${out#"$ROOT"/}/$tag.log" >&2
		return 1
	}
	[ -s "$out/$tag.blocks" ] || {
		echo "insns: no counts from the plugin (${out#"$ROOT"/}/$tag.log)" >&2
		return 1
	}
	# Symbols ("0") before blocks ("1") at one address; both 16 hex digits.
	{
		tr -d '\r' <"$out/$tag.log" |
			awk '$1 == "@@CMAFW-SYM" { print $2, 0, $3 }'
		awk '{ print $1, 1, $2, $3 }' "$out/$tag.blocks"
	} | sort -k1,1 -k2,2n |
	awk '$2 == 0 { fn = $3; next }
	     { ins[fn] += $3 * $4; runs[fn] += $4 }
	     END { for (f in ins) print (f == "" ? "?" : f), ins[f], runs[f] }' \
		>"$out/$tag.fn"
	# Measured pairs: per step, times the steps.
	tr -d '\r' <"$out/$tag.log" | awk '
		/^== scaling: / { for (i = 1; i <= NF; i++)
				      if ($(i + 1) == "measured") n = $i }
		/^-- scaling\/[0-9]+ took/ { steps++ }
		END { print n * steps }' >"$out/$tag.pairs"
}

backends=(bestfit fw-bestfit)
[ "$floor" = 1 ] && backends+=(floor floor+api)
status=0
for be in "${backends[@]}"; do
	for scale in "$lo" "$hi"; do
		if [ "$again" = 1 ]; then
			if [ ! -s "$out/$be-$scale.fn" ] ||
			   [ ! -s "$out/cmafw.fns" ]; then
				echo "insns: --again: no counts for $be at $scale%" >&2
				status=1
			fi
		else
			count "$be" "$scale" || status=1
		fi
	done
done
[ "$status" = 0 ] || exit 1

# delta BACKEND: "function instructions blocks", the high scale less the low
delta() {
	awk 'FNR == NR { i[$1] -= $2; b[$1] -= $3; next }
	     { i[$1] += $2; b[$1] += $3 }
	     END { for (f in i) print f, i[f], b[f] }' \
		"$out/$1-$lo.fn" "$out/$1-$hi.fn"
}
pairs=$(( ($(cat "$out/bestfit-$hi.pairs") - $(cat "$out/bestfit-$lo.pairs")) * rounds ))
[ "$pairs" -gt 0 ] || { echo "insns: no measured pairs in the logs" >&2; exit 1; }
delta bestfit >"$out/bestfit.delta"
delta fw-bestfit >"$out/fw-bestfit.delta"
if [ "$floor" = 1 ]; then
	delta floor >"$out/floor.delta"
	delta floor+api >"$out/floor+api.delta"
fi

{
	echo "insns: instructions per measured pair (free + allocation), $(cat "$out/traces" 2>/dev/null || echo scaling), scales $lo% and $hi%, $pairs pairs apart; QEMU $(qemu-system-x86_64 --version | head -n 1 | awk '{ print $4 }') TCG, one vCPU, guest $(awk '/^guest-run: booting/ { print $3; exit }' "$out/fw-bestfit-$hi.log" 2>/dev/null)"
	awk -v pairs="$pairs" -v top="$top" -v floor="$floor" -v dir="$out" '
	function load(file, set) { while ((getline f <file) > 0) set[f] = 1 }
	BEGIN {
		load(dir "/placement.fns", place)
		load(dir "/cmafw.fns", own)
		load(dir "/floor.fns", fl)
		load(dir "/kernel.fns", kern)
		while ((getline <(dir "/bestfit.delta")) > 0) {
			bi[$1] = $2; bb[$1] = $3
			if (place[$1] || $1 ~ /^(rb_|__rb_)/) { pi += $2; pb += $3 }
		}
		while ((getline <(dir "/fw-bestfit.delta")) > 0) {
			fi[$1] = $2; fb[$1] = $3
		}
		if (floor) {
			while ((getline <(dir "/floor.delta")) > 0) {
				li[$1] = $2; lb[$1] = $3
			}
			while ((getline <(dir "/floor+api.delta")) > 0) {
				ai[$1] = $2; ab[$1] = $3
			}
		}
		for (f in bi) {
			if (!(f in fi)) fi[f] = 0
			if (!(f in li)) li[f] = 0
			if (!(f in ai)) ai[f] = 0
		}
		n = 0
		for (f in fi) {
			if (!own[f] && !kern[f])
				continue
			di[f] = fi[f] - bi[f]; db[f] = fb[f] - bb[f]
			wi += di[f]; wb += db[f]
			if (own[f]) { oi += di[f]; ob += db[f] }
			key[++n] = f
		}
		for (f in li)
			if (fl[f] || kern[f]) { fli += li[f] - bi[f]; flb += lb[f] - bb[f] }
		for (f in ai)
			if (fl[f] || kern[f]) { fai += ai[f] - bi[f]; fab += ab[f] - bb[f] }
		printf "%-44s %12s %8s %10s\n", "", "instructions", "blocks", "/placement"
		printf "%-44s %12.0f %8.0f %9.2fx\n", "placement: bestfit alone", pi / pairs, pb / pairs, 1
		printf "%-44s %12.0f %8.0f %9.2fx\n", "framework: fw-bestfit less bestfit", wi / pairs, wb / pairs, wi / pi
		printf "%-44s %12.0f %8.0f %9.2fx\n", "  of which in cmafw.ko", oi / pairs, ob / pairs, oi / pi
		if (floor) {
			printf "%-44s %12.0f %8.0f %9.2fx\n", "floor: floor less bestfit", fli / pairs, flb / pairs, fli / pi
			printf "%-44s %12.0f %8.0f %9.2fx\n", "floor+api: less bestfit",
				fai / pairs, fab / pairs, fai / pi
		}
		print ""
		print "the framework by function (instructions and blocks per pair):"
		# selection sort of the largest few
		for (k = 1; k <= top && k <= n; k++) {
			m = k
			for (j = k + 1; j <= n; j++) if (di[key[j]] > di[key[m]]) m = j
			t = key[k]; key[k] = key[m]; key[m] = t
			printf "  %-42s %8.1f %7.2f\n", key[k], di[key[k]] / pairs, db[key[k]] / pairs
		}
	}' </dev/null
} | tee "$out/report.txt"
echo "insns: report in ${out#"$ROOT"/}/report.txt"
