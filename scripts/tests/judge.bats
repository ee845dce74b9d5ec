#!/usr/bin/env bats
# Tests of scripts/guest-run.sh --judge-only on synthetic console logs.
GR=${GR:-$BATS_TEST_DIRNAME/../guest-run.sh}

mklog() { # $1 guest stdout, $2 dmesg, $3 exit status
	printf 'boot noise\r\n@@CMAFW-GUEST-START@@\r\n'
	printf '%s\n' "$1" | sed 's/$/\r/'
	printf '@@CMAFW-GUEST-EXIT %s@@\r\n@@CMAFW-DMESG-BEGIN@@\r\n' "${3:-0}"
	printf '%s\n' "$2" | sed 's/$/\r/'
	printf '@@CMAFW-DMESG-END@@\r\n'
}
warn_splat() { # $1 message, $2 function
	cat <<W
[    5.000000] ------------[ cut here ]------------
[    5.000001] $1
[    5.000002] WARNING: CPU: 1 PID: 77 at kernel/alloc.c:42 $2+0x1c/0x40 [cmafw]
[    5.000003] Modules linked in: cmafw(OE) configfs
[    5.000004] CPU: 1 UID: 0 PID: 77 Comm: sh Tainted: G           OE      6.12.117 #1
[    5.000005] RIP: 0010:$2+0x1c/0x40 [cmafw]
[    5.000006] Call Trace:
[    5.000007]  <TASK>
[    5.000008]  </TASK>
[    5.000009] ---[ end trace 0000000000000000 ]---
W
}
judge() { mklog "$@" >"$BATS_TEST_TMPDIR/log"; run "$GR" --judge-only "$BATS_TEST_TMPDIR/log"; }

@test "all pass" {
	judge $'TAP version 13\n1..2\nok 1 - a\nok 2 - b' "[ 1.0] hello"
	[ "$status" -eq 0 ]; [ "${lines[-1]}" = "2 passed, 0 failed" ]
}
@test "skip is not pass; todo not ok is not a failure" {
	judge $'ok 1 - a # SKIP no hw\nok 2 - b # skip lower\nnot ok 3 - c # TODO later\nok 4 - d \\# SKIP escaped\n1..4' ""
	[ "$status" -eq 0 ]; [ "${lines[-1]}" = "1 passed, 0 failed, 3 skipped" ]
}
@test "not ok fails" {
	judge $'ok 1 - a\nnot ok 2 - b\n  not ok 3 - indented subtest ignored\n1..2' ""
	[ "$status" -eq 1 ]; [ "${lines[-1]}" = "1 passed, 1 failed" ]
	[[ $output == *"FAILED: not ok 2 - b"* ]]
}
@test "non-zero exit status fails" {
	judge $'ok 1 - a\n1..1' "" 3
	[ "$status" -eq 1 ]; [ "${lines[-1]}" = "1 passed, 1 failed" ]
	[[ $output == *"exited with status 3"* ]]
}
@test "no plan fails: the entry did not run to its end" {
	judge $'TAP version 13\nok 1 - a\nnot ok 2 - b' "[ 1.0] x" 1
	[ "$status" -eq 1 ]; [[ $output == *"no plan (1..N)"* ]]
	[ "${lines[-1]}" = "1 passed, 2 failed" ]
}

@test "a plan the tests do not match fails" {
	judge $'TAP version 13\nok 1 - a\nok 2 - b\n1..5' "[ 1.0] x"
	[ "$status" -eq 1 ]; [[ $output == *"the plan is 1..5 but 2 tests ran"* ]]
}

@test "zero tests fails" {
	judge $'# nothing' ""
	[ "$status" -eq 1 ]; [ "${lines[-1]}" = "0 passed, 1 failed" ]
	[[ $output == *"no TAP test results"* ]]
}
@test "Bail out fails" {
	judge $'ok 1 - a\nBail out! no configfs\n1..1' ""
	[ "$status" -eq 1 ]; [[ $output == *"Bail out! no configfs"* ]]
}
@test "unexpected WARNING fails and is printed" {
	judge $'ok 1 - a\n1..1' "$(warn_splat 'cmafw: double free of chunk' cmafw_free)"
	[ "$status" -eq 1 ]; [ "${lines[-1]}" = "1 passed, 1 failed" ]
	[[ $output == *"| [    5.000002] WARNING: CPU: 1 PID: 77"* ]]
	[[ $output == *"end trace"* ]]
}
@test "expect-warn allows up to count matching WARNINGs (message before)" {
	judge $'# expect-warn 1 double free of chunk\nok 1 - a\n1..1' "$(warn_splat 'cmafw: double free of chunk' cmafw_free)"
	[ "$status" -eq 0 ]; [[ $output == *"allowed by expect-warn"* ]]
}
@test "expect-warn matches function name after the WARNING line" {
	judge $'# expect-warn 2 cmafw_free+\nok 1 - a\n1..1' "$(warn_splat 'x' cmafw_free)"
	[ "$status" -eq 0 ]; [[ $output == *"matched 1 of up to 2"* ]]
}
@test "expect-warn count is a budget" {
	judge $'# expect-warn 1 double free\nok 1 - a\n1..1' "$(warn_splat 'double free' f)
$(warn_splat 'double free' f)"
	[ "$status" -eq 1 ]; [[ $output == *"1 unexpected kernel report"* ]]
}
@test "expect-warn does not match the Modules linked in line" {
	judge $'# expect-warn 1 configfs\nok 1 - a\n1..1' "$(warn_splat 'other' f)"
	[ "$status" -eq 1 ]
}
@test "expect-warn for a different message does not allow" {
	judge $'# expect-warn 1 something else\nok 1 - a\n1..1' "$(warn_splat 'double free' f)"
	[ "$status" -eq 1 ]
}
@test "lockdep WARNING cannot be waived" {
	judge $'# expect-warn 5 locking\nok 1 - a\n1..1' "[ 3.0] ======================================================
[ 3.0] WARNING: possible circular locking dependency detected
[ 3.0] 6.12.117 Tainted: G OE
[ 3.0] ------------------------------------------------------"
	[ "$status" -eq 1 ]
}
@test "Oops is one report" {
	judge $'ok 1 - a\n1..1' "[ 4.0] BUG: kernel NULL pointer dereference, address: 0000000000000008
[ 4.0] #PF: supervisor write access in kernel mode
[ 4.0] Oops: Oops: 0002 [#1] PREEMPT SMP NOPTI
[ 4.0] RIP: 0010:cmafw_map+0x10/0x20 [cmafw]
[ 4.1] ---[ end trace 0000000000000000 ]---"
	[ "$status" -eq 1 ]; [[ $output == *"1 unexpected kernel report(s)"* ]]
}
@test "each listed pattern fails" {
	for p in 'BUG: KASAN: use-after-free' 'UBSAN: shift-out-of-bounds' 'kmemleak: 1 new suspected memory leaks' \
		'WARNING: possible recursive locking detected' 'INFO: task sh:99 blocked for more than 120 seconds.' \
		'general protection fault, probably for non-canonical address' 'kernel BUG at mm/slub.c:1' \
		'watchdog: BUG: soft lockup - CPU#0 stuck for 22s!' 'rcu: INFO: rcu_preempt self-detected stall on CPU' \
		'WARNING: suspicious RCU usage'; do
		judge $'ok 1 - a\n1..1' "[ 1.0] $p"
		[ "$status" -eq 1 ] || { echo "not caught: $p"; return 1; }
	done
}
@test "missing exit marker: crash with panic" {
	printf '@@CMAFW-GUEST-START@@\nok 1 - a\n[ 9.0] Kernel panic - not syncing: Fatal exception\n' >"$BATS_TEST_TMPDIR/log"
	run "$GR" --judge-only "$BATS_TEST_TMPDIR/log"
	[ "$status" -eq 1 ]; [[ $output == *"KERNEL PANIC: [ 9.0] Kernel panic"* ]]
	[[ $output == *"console report #1"* ]]
}
@test "never started" {
	printf 'Kernel panic - not syncing: VFS: Unable to mount root fs\n' >"$BATS_TEST_TMPDIR/log"
	run "$GR" --judge-only "$BATS_TEST_TMPDIR/log"
	[ "$status" -eq 1 ]; [[ $output == *"never reached the test entry"* ]]; [ "${lines[-1]}" = "0 passed, 2 failed" ]
}
@test "in-guest timeout marker" {
	printf '@@CMAFW-GUEST-START@@\nok 1 - a\n@@CMAFW-GUEST-TIMEOUT@@\n@@CMAFW-GUEST-EXIT 137@@\n@@CMAFW-DMESG-BEGIN@@\n@@CMAFW-DMESG-END@@\n' >"$BATS_TEST_TMPDIR/log"
	run "$GR" --judge-only "$BATS_TEST_TMPDIR/log"
	[ "$status" -eq 1 ]; [[ $output == *"in-guest timeout"* ]]
}
@test "truncated dmesg" {
	printf '@@CMAFW-GUEST-START@@\nok 1 - a\n@@CMAFW-GUEST-EXIT 0@@\n@@CMAFW-DMESG-BEGIN@@\n[ 1.0] x\n' >"$BATS_TEST_TMPDIR/log"
	run "$GR" --judge-only "$BATS_TEST_TMPDIR/log"
	[ "$status" -eq 1 ]; [[ $output == *"dmesg section missing or truncated"* ]]
}
@test "not ok plus the exit status it causes count once" {
	judge $'ok 1 - a\nnot ok 2 - b\n1..2' "" 1
	[ "$status" -eq 1 ]; [ "${lines[-1]}" = "1 passed, 1 failed" ]
}
@test "oops-abort marker" {
	printf '@@CMAFW-GUEST-START@@\nok 1 - a\n@@CMAFW-GUEST-OOPS-ABORT 20@@\n@@CMAFW-GUEST-EXIT 137@@\n@@CMAFW-DMESG-BEGIN@@\n[ 1.0] Oops: 0000 [#1]\n@@CMAFW-DMESG-END@@\n' >"$BATS_TEST_TMPDIR/log"
	run "$GR" --judge-only "$BATS_TEST_TMPDIR/log"
	[ "$status" -eq 1 ]; [[ $output == *"killed 20 s after a kernel Oops"* ]]; [ "${lines[-1]}" = "1 passed, 2 failed" ]
}
stall_dump() { # $1 timestamp
	cat <<S
[ $1] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:
[ $1] rcu: 	(detected by 1, t=5722 jiffies, g=-931, q=1 ncpus=2)
[ $1] Call Trace:
[ $1]  <TASK>
[ $1]  </TASK>
S
}
@test "an RCU stall while the kernel boots, before the entry starts, is a note" {
	judge $'ok 1 - a\n1..1' "$(stall_dump 25.0)
[ 26.0] cmafw-guest: the test entry starts
[ 27.0] hello"
	[ "$status" -eq 0 ]; [ "${lines[-1]}" = "1 passed, 0 failed" ]
	[[ $output == *"note: RCU stall while the kernel booted"* ]]
}
@test "an RCU stall after the entry starts fails" {
	judge $'ok 1 - a\n1..1' "[ 26.0] cmafw-guest: the test entry starts
$(stall_dump 30.0)"
	[ "$status" -eq 1 ]; [[ $output == *"1 unexpected kernel report(s)"* ]]
}
@test "without the entry's mark in dmesg, an RCU stall fails" {
	judge $'ok 1 - a\n1..1' "$(stall_dump 25.0)"
	[ "$status" -eq 1 ]
}
@test "a boot stall's dump does not hide a report after the entry starts" {
	judge $'ok 1 - a\n1..1' "$(stall_dump 25.0)
[ 26.0] cmafw-guest: the test entry starts
[ 27.0] BUG: kernel NULL pointer dereference, address: 0000000000000008"
	[ "$status" -eq 1 ]; [[ $output == *"1 unexpected kernel report(s)"* ]]
}
@test "a WARNING before the entry starts still fails" {
	judge $'ok 1 - a\n1..1' "$(warn_splat 'boot-time trouble' early_init)
[ 26.0] cmafw-guest: the test entry starts"
	[ "$status" -eq 1 ]
}
