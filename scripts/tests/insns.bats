#!/usr/bin/env bats
# Tests of bench/insns.sh: what its command line refuses before it builds
# or boots anything, and the report's arithmetic on counts made up here
# (--again reads the counts of the last run from $BUILD_DIR/insns).
INSNS=$BATS_TEST_DIRNAME/../../bench/insns.sh

setup() {
	export BUILD_DIR=$BATS_TEST_TMPDIR/build
	out=$BUILD_DIR/insns
	mkdir -p "$out"
}

@test "insns.sh refuses an unknown argument" {
	run "$INSNS" --flor
	[ "$status" -eq 2 ]
	[[ $output == *"unknown argument --flor"* ]]
}

@test "insns.sh wants two scales, the second above the first" {
	run "$INSNS" --scales 100
	[ "$status" -eq 2 ]
	[[ $output == *"HI above LO"* ]]
	run "$INSNS" --scales 1000,100
	[ "$status" -eq 2 ]
	run "$INSNS" --scales 1x,200
	[ "$status" -eq 2 ]
	[[ $output == *"two numbers"* ]]
}

@test "insns.sh --steps takes only the scaling trace's steps" {
	run "$INSNS" --steps 64,100
	[ "$status" -eq 2 ]
	[[ $output == *"100 is not a step"* ]]
	[ ! -e "$out/insn-count.so" ]
}

@test "insns.sh --again without counts says so and builds nothing" {
	run "$INSNS" --again
	[ "$status" -eq 1 ]
	[[ $output == *"no counts for bestfit at 100%"* ]]
	[ ! -e "$out/insn-count.so" ]
}

# fn FILE LINES...: a boot's "function instructions blocks"
fn() {
	local f=$out/$1
	shift
	printf '%s\n' "$@" >"$f"
}

@test "insns.sh --again: placement, framework and the floors per pair" {
	printf '%s\n' best_fit >"$out/placement.fns"
	printf '%s\n' cmafw_a >"$out/cmafw.fns"
	printf '%s\n' floor_a floor_api_a >"$out/floor.fns"
	printf '%s\n' request_resource >"$out/kernel.fns"
	echo 10 >"$out/bestfit-100.pairs"
	echo 20 >"$out/bestfit-200.pairs"
	# The engine (bench_x) and boot noise cancel or are not counted.
	fn bestfit-100.fn "best_fit 100 10" "rb_erase 10 1" "bench_x 500 50" "noise 7 1"
	fn bestfit-200.fn "best_fit 1100 110" "rb_erase 110 11" "bench_x 1500 150" "noise 900 90"
	fn fw-bestfit-100.fn "best_fit 100 10" "rb_erase 10 1" "bench_x 500 50" \
		"cmafw_a 50 5" "request_resource 20 2"
	fn fw-bestfit-200.fn "best_fit 1100 110" "rb_erase 110 11" "bench_x 1500 150" \
		"cmafw_a 2050 205" "request_resource 1020 102" "noise 5 1"
	fn floor-100.fn "best_fit 100 10" "floor_a 0 0" "request_resource 0 0"
	fn floor-200.fn "best_fit 1100 110" "floor_a 600 60" "request_resource 500 50"
	fn floor+api-100.fn "best_fit 100 10" "floor_api_a 0 0" "floor_a 0 0"
	fn floor+api-200.fn "best_fit 1100 110" "floor_api_a 300 30" \
		"floor_a 600 60" "request_resource 500 50"
	run "$INSNS" --again --floor --scales 100,200
	[ "$status" -eq 0 ]
	# 10 pairs apart: placement (1000 + 100) / 10, framework 3000 / 10.
	[[ $output == *"10 pairs apart"* ]]
	[[ $output =~ placement:\ bestfit\ alone\ +110\ +11\ +1.00x ]]
	[[ $output =~ framework:\ fw-bestfit\ less\ bestfit\ +300\ +30\ +2.73x ]]
	[[ $output =~ of\ which\ in\ cmafw.ko\ +200\ +20\ +1.82x ]]
	[[ $output =~ floor:\ floor\ less\ bestfit\ +110\ +11\ +1.00x ]]
	# floor+api: (300 + 600 + 500) / 10 over the placement's 110.
	[[ $output =~ floor\+api:\ less\ bestfit\ +140\ +14\ +1.27x ]]
	[[ $output =~ cmafw_a\ +200.0\ +20.00 ]]
	[ -s "$out/report.txt" ]
}
