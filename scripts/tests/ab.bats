#!/usr/bin/env bats
# Tests of bench/ab.sh's command line: what it refuses before it builds
# or boots anything.
AB=$BATS_TEST_DIRNAME/../../bench/ab.sh

setup() {
	export BUILD_DIR=$BATS_TEST_TMPDIR/build
}

@test "ab.sh wants two revisions or more" {
	run "$AB" HEAD
	[ "$status" -eq 2 ]
	[[ $output == *"two revisions or more"* ]]
}

@test "ab.sh refuses an unknown option" {
	run "$AB" --round 2 HEAD HEAD
	[ "$status" -eq 2 ]
	[[ $output == *"unknown option --round"* ]]
}

@test "ab.sh wants a count of rounds and of replays" {
	run "$AB" --replays x HEAD HEAD
	[ "$status" -eq 2 ]
	[[ $output == *"not 'x'"* ]]
	run "$AB" --rounds 0 HEAD HEAD
	[ "$status" -eq 2 ]
	[[ $output == *"--rounds and --replays want a count"* ]]
}

@test "ab.sh names a revision git does not know, and builds nothing" {
	run "$AB" HEAD no-such-revision-here
	[ "$status" -eq 2 ]
	[[ $output == *"no such revision: no-such-revision-here"* ]]
	[ ! -e "$BUILD_DIR/ab/ko/cmafw-1-$(git -C "$BATS_TEST_DIRNAME" rev-parse --short HEAD).ko" ]
}
