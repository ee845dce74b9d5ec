#!/usr/bin/env bats
# Tests of the KVM probe (scripts/accel.sh) and of guest-run.sh's use of
# it, and of its second boot after a guest died booting, with a stand-in
# QEMU on PATH.  The stand-in plays one of three hosts for the probe guest
# (FAKE_QEMU):
#   works   the probe guest writes to isa-debug-exit: QEMU exits 3
#   msr     QEMU 7.2 on a nested host: "failed to set MSR 0x10a", abort
#   stuck   "KVM internal error. Suberror: 1", then QEMU just sits there
# one of three for the probe kernel, a boot without an initramfs
# (FAKE_KERNEL): works (the default: the root mount panic), noinit (the
# panic of a kernel without block devices), stuck (as above) and silent
# (prints nothing and sits there);
# and a boot with an initramfs prints a one-test guest console, unless
# FAKE_BOOT says it dies while booting (dies, dies-once) or that KVM stops
# it (kvm-stuck: as stuck, under -accel kvm only).
ACCEL=$BATS_TEST_DIRNAME/../accel.sh
GR=$BATS_TEST_DIRNAME/../guest-run.sh

setup() {
	unset CMAFW_ACCEL CMAFW_ACCEL_WHY CMAFW_ACCEL_STATE GUEST_ACCEL VMLINUZ
	# long enough for a loaded host; a test that waits them out sets less
	export PROBE_SECONDS=10 KERNEL_PROBE_SECONDS=10
	export BUILD_DIR=$BATS_TEST_TMPDIR/build
	BIN=$BATS_TEST_TMPDIR/bin
	mkdir -p "$BIN"
	export FAKE_QEMU_LOG=$BATS_TEST_TMPDIR/qemu.log
	: >"$FAKE_QEMU_LOG"
	cat >"$BIN/qemu-system-x86_64" <<'EOF'
#!/bin/bash
printf '%s\n' "$*" >>"$FAKE_QEMU_LOG"
# stuck: what QEMU does after a KVM error (it wrote its -pidfile first)
stuck() {
	local a prev=
	for a in "$@"; do
		[ "$prev" = -pidfile ] && echo $$ >"$a"
		prev=$a
	done
	echo 'KVM internal error. Suberror: 1' >&2
	echo 'emulation failure' >&2
	hang
}
# hang: a QEMU that never ends, its PID where the tests look for it
hang() {
	echo $$ >"${FAKE_QEMU_LOG%/*}/qemu.pid"
	exec sleep 600
}
case " $* " in
*isa-debug-exit*) ;;
*" -initrd "*)
	# a real boot: a guest that passes one test, unless FAKE_BOOT says
	# KVM stops it, or it dies while booting (always, or the first time)
	n=$(grep -c -- ' -initrd ' "$FAKE_QEMU_LOG")
	if [ "${FAKE_BOOT:-}" = kvm-stuck ] && [[ " $* " == *" -accel kvm "* ]]; then
		stuck "$@"
	fi
	if [ "${FAKE_BOOT:-}" = dies ] || { [ "${FAKE_BOOT:-}" = dies-once ] && [ "$n" -eq 1 ]; }; then
		printf 'Oops: int3: 0000 [#1] PREEMPT SMP NOPTI\nKernel panic - not syncing: Fatal exception\n'
		exit 0
	fi
	printf '@@CMAFW-GUEST-START@@\nok 1 - fake guest\n1..1\n@@CMAFW-GUEST-EXIT 0@@\n'
	printf '@@CMAFW-DMESG-BEGIN@@\n@@CMAFW-DMESG-END@@\n'
	exit 0 ;;
*)	# the probe kernel
	case ${FAKE_KERNEL:-works} in
	works)	echo 'Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)'
		exit 0 ;;
	noinit)	echo 'Kernel panic - not syncing: No working init found.  Try passing init= option to kernel.'
		exit 0 ;;
	stuck)	stuck "$@" ;;
	silent)	hang ;;
	esac ;;
esac
case $FAKE_QEMU in
works) exit 3 ;;
msr)	echo 'qemu-system-x86_64: error: failed to set MSR 0x10a to 0x69' >&2
	echo "qemu-system-x86_64: ../../target/i386/kvm/kvm.c:3183: kvm_buf_set_msrs: Assertion \`ret == cpu->kvm_msr_buf->nmsrs' failed." >&2
	exit 134 ;;
stuck)	stuck "$@" ;;
esac
exit 1
EOF
	chmod +x "$BIN/qemu-system-x86_64"
	export PATH=$BIN:$PATH
	export CMAFW_KVM_DEV=$BATS_TEST_TMPDIR/kvm
	: >"$CMAFW_KVM_DEV"
}

probes() { grep -c isa-debug-exit "$FAKE_QEMU_LOG" || true; }
kernel_probes() { grep -vc -e isa-debug-exit -e ' -initrd ' "$FAKE_QEMU_LOG" || true; }
boots() { grep -c -- ' -initrd ' "$FAKE_QEMU_LOG" || true; }
# qemu_gone: the hanging QEMU started, and is no longer running (a zombie
# that its parent has yet to reap is gone too)
qemu_gone() {
	local pid
	pid=$(cat "$BATS_TEST_TMPDIR/qemu.pid")
	[ -n "$pid" ]
	! kill -0 "$pid" 2>/dev/null || grep -q ') Z ' "/proc/$pid/stat"
}

@test "KVM that runs a guest is used" {
	FAKE_QEMU=works run "$ACCEL"
	[ "$status" -eq 0 ]
	[ "$output" = "kvm	$CMAFW_KVM_DEV runs a guest" ]
	grep -q -- '-accel kvm -cpu host' "$FAKE_QEMU_LOG"
}

@test "a KVM device whose guest aborts (MSR 0x10a) means TCG, with QEMU's reason" {
	FAKE_QEMU=msr run "$ACCEL"
	[ "$status" -eq 0 ]
	[ "$output" = "tcg	$CMAFW_KVM_DEV cannot run a guest (QEMU: failed to set MSR 0x10a to 0x69)" ]
}

@test "a KVM device whose guest hangs (internal error) means TCG within the probe's time" {
	SECONDS=0
	PROBE_SECONDS=2 FAKE_QEMU=stuck run "$ACCEL"
	[ "$status" -eq 0 ]
	[ "$output" = "tcg	$CMAFW_KVM_DEV cannot run a guest (QEMU: KVM internal error. Suberror: 1)" ]
	[ "$SECONDS" -le 6 ]
}

@test "no KVM device means TCG without a probe" {
	CMAFW_KVM_DEV=$BATS_TEST_TMPDIR/none FAKE_QEMU=works run "$ACCEL"
	[ "$status" -eq 0 ]
	[ "$output" = "tcg	there is no $BATS_TEST_TMPDIR/none" ]
	[ "$(probes)" -eq 0 ]
}

@test "GUEST_ACCEL=kvm fails, in words, when KVM cannot run a guest" {
	GUEST_ACCEL=kvm FAKE_QEMU=msr run "$ACCEL"
	[ "$status" -eq 1 ]
	[ "$output" = "guest-run: GUEST_ACCEL=kvm, but $CMAFW_KVM_DEV cannot run a guest (QEMU: failed to set MSR 0x10a to 0x69)" ]
	CMAFW_KVM_DEV=$BATS_TEST_TMPDIR/none GUEST_ACCEL=kvm run "$ACCEL"
	[ "$status" -eq 1 ]
	[ "$output" = "guest-run: GUEST_ACCEL=kvm, but there is no $BATS_TEST_TMPDIR/none" ]
}

@test "GUEST_ACCEL=tcg never probes; a bad value is a usage error" {
	GUEST_ACCEL=tcg FAKE_QEMU=works run "$ACCEL"
	[ "$status" -eq 0 ]; [ "$output" = "tcg	GUEST_ACCEL=tcg" ]
	[ "$(probes)" -eq 0 ]
	GUEST_ACCEL=xen run "$ACCEL"
	[ "$status" -eq 2 ]
}

@test "--export caches the answer: a later auto run does not probe again" {
	FAKE_QEMU=msr run "$ACCEL" --export
	[ "$status" -eq 0 ]
	eval "$output"
	[ "$CMAFW_ACCEL" = tcg ]
	[ "$(probes)" -eq 1 ]
	FAKE_QEMU=works run "$ACCEL"
	[ "$output" = "tcg	$CMAFW_KVM_DEV cannot run a guest (QEMU: failed to set MSR 0x10a to 0x69)" ]
	[ "$(probes)" -eq 1 ]
}

@test "with a kernel to boot, the probe boots it to its end of boot" {
	VMLINUZ=$BATS_TEST_TMPDIR/vmlinuz-test
	: >"$VMLINUZ"
	VMLINUZ=$VMLINUZ FAKE_QEMU=works run "$ACCEL"
	[ "$status" -eq 0 ]
	[ "$output" = "kvm	$CMAFW_KVM_DEV runs a guest" ]
	[ "$(kernel_probes)" -eq 1 ]
	grep -v isa-debug-exit "$FAKE_QEMU_LOG" |
		grep -q -- "-accel kvm -cpu host .* -kernel $VMLINUZ -append console=ttyS0 panic=-1"
	# a kernel without block devices ends its boot without init instead
	FAKE_KERNEL=noinit VMLINUZ=$VMLINUZ FAKE_QEMU=works run "$ACCEL"
	[ "$output" = "kvm	$CMAFW_KVM_DEV runs a guest" ]
	[ "$(kernel_probes)" -eq 2 ]
}

@test "KVM that runs the probe guest but stops the kernel means TCG, at once" {
	VMLINUZ=$BATS_TEST_TMPDIR/vmlinuz-test
	: >"$VMLINUZ"
	SECONDS=0
	KERNEL_PROBE_SECONDS=120 VMLINUZ=$VMLINUZ FAKE_QEMU=works FAKE_KERNEL=stuck run "$ACCEL"
	[ "$status" -eq 0 ]
	[ "$output" = "tcg	$CMAFW_KVM_DEV cannot run a guest (QEMU: KVM internal error. Suberror: 1, booting vmlinuz-test)" ]
	[ "$SECONDS" -lt 60 ]
	# the stopped QEMU was killed, not left behind
	qemu_gone
}

@test "a probe kernel that never reaches its end of boot means TCG" {
	VMLINUZ=$BATS_TEST_TMPDIR/vmlinuz-test
	: >"$VMLINUZ"
	KERNEL_PROBE_SECONDS=2 VMLINUZ=$VMLINUZ FAKE_QEMU=works FAKE_KERNEL=silent run "$ACCEL"
	[ "$status" -eq 0 ]
	[ "$output" = "tcg	$CMAFW_KVM_DEV cannot run a guest (QEMU: the probe kernel did not reach its end of boot in 2s, booting vmlinuz-test)" ]
	qemu_gone
}

@test "--export names a state file of its own run, emptied; its answer wins" {
	mkdir -p "$BUILD_DIR"
	printf 'tcg\tleft by an earlier run\n' >"$BUILD_DIR/accel-state"
	FAKE_QEMU=works run "$ACCEL" --export
	[ "$status" -eq 0 ]
	eval "$output"
	[ "$CMAFW_ACCEL" = kvm ]
	[ "$CMAFW_ACCEL_STATE" = "$BUILD_DIR/accel-state" ]
	[ ! -s "$CMAFW_ACCEL_STATE" ]
	printf 'tcg\tKVM failed in a guest of this run\n' >"$CMAFW_ACCEL_STATE"
	FAKE_QEMU=works run "$ACCEL"
	[ "$output" = "tcg	KVM failed in a guest of this run" ]
	[ "$(probes)" -eq 1 ]
	# asked for KVM, the state file does not count
	GUEST_ACCEL=kvm FAKE_QEMU=works run "$ACCEL"
	[ "$output" = "kvm	$CMAFW_KVM_DEV runs a guest" ]
}

@test "--kvm-failed reads a guest console: QEMU's words when KVM failed it, else status 1" {
	con=$BATS_TEST_TMPDIR/console
	printf 'Booting\nKVM internal error. Suberror: 1\nemulation failure\n' >"$con"
	run "$ACCEL" --kvm-failed "$con"
	[ "$status" -eq 0 ]; [ "$output" = "KVM internal error. Suberror: 1" ]
	printf 'qemu-system-x86_64: error: failed to set MSR 0x10a to 0x69\n' >"$con"
	run "$ACCEL" --kvm-failed "$con"
	[ "$status" -eq 0 ]; [ "$output" = "failed to set MSR 0x10a to 0x69" ]
	printf '@@CMAFW-GUEST-START@@\nok 1 - fake guest\n' >"$con"
	run "$ACCEL" --kvm-failed "$con"
	[ "$status" -eq 1 ]; [ "$output" = "" ]
	run "$ACCEL" --kvm-failed
	[ "$status" -eq 2 ]
	[ "$(probes)" -eq 0 ]
}

# guest-run.sh end to end with the stand-in (it stages a real initramfs)
boot() {
	GUEST_BUILD_DIR=$BATS_TEST_TMPDIR/guest run "$GR" --timeout "${BOOT_TIMEOUT:-60}" "$BATS_TEST_DIRNAME/accel.bats"
}

@test "guest-run boots under TCG and says why when the KVM guest dies" {
	FAKE_QEMU=msr boot
	[ "$status" -eq 0 ]
	[[ $output == *"guest-run: $CMAFW_KVM_DEV cannot run a guest (QEMU: failed to set MSR 0x10a to 0x69); using TCG"* ]]
	[ "${lines[-1]}" = "1 passed, 0 failed" ]
	# RDRAND, so that the CRNG is ready at boot (guest-run.sh)
	grep -- ' -initrd ' "$FAKE_QEMU_LOG" | grep -q -- '-accel tcg -cpu qemu64,+rdrand -m'
}

@test "guest-run boots under KVM when it works" {
	FAKE_QEMU=works boot
	[ "$status" -eq 0 ]
	[[ $output != *"using TCG"* ]]
	grep -- ' -initrd ' "$FAKE_QEMU_LOG" | grep -q -- '-accel kvm -cpu host -m'
}

@test "guest-run with GUEST_ACCEL=kvm and a dead KVM stops before booting" {
	GUEST_ACCEL=kvm FAKE_QEMU=msr boot
	[ "$status" -eq 2 ]
	[[ $output == *"GUEST_ACCEL=kvm, but $CMAFW_KVM_DEV cannot run a guest (QEMU: failed to set MSR 0x10a"* ]]
	[ "$(boots)" -eq 0 ]
}

@test "guest-run boots once more when the guest dies before the entry" {
	GUEST_ACCEL=tcg FAKE_BOOT=dies-once boot
	[ "$status" -eq 0 ]
	[[ $output == *"the guest died before reaching the entry"*"booting once more"* ]]
	[ "${lines[-1]}" = "1 passed, 0 failed" ]
	[ "$(boots)" -eq 2 ]
}

@test "guest-run boots at most twice: a guest that never boots fails" {
	GUEST_ACCEL=tcg FAKE_BOOT=dies boot
	[ "$status" -eq 1 ]
	[[ $output == *"guest never reached the test entry"* ]]
	[ "$(boots)" -eq 2 ]
}

@test "guest-run boots again under TCG when KVM stops the real guest, and tells the run" {
	export CMAFW_ACCEL_STATE=$BATS_TEST_TMPDIR/accel-state
	: >"$CMAFW_ACCEL_STATE"
	SECONDS=0
	BOOT_TIMEOUT=300 FAKE_QEMU=works FAKE_BOOT=kvm-stuck boot
	[ "$status" -eq 0 ]
	[[ $output == *"guest-run: KVM failed in the guest (QEMU: KVM internal error. Suberror: 1; console log: "*".kvm); booting again under TCG"* ]]
	[ "${lines[-1]}" = "1 passed, 0 failed" ]
	# killed at the error, not at the 300 s timeout
	[ "$SECONDS" -lt 150 ]
	[ "$(boots)" -eq 2 ]
	grep -- ' -initrd ' "$FAKE_QEMU_LOG" | head -n 1 | grep -q -- '-accel kvm -cpu host -m'
	grep -- ' -initrd ' "$FAKE_QEMU_LOG" | tail -n 1 | grep -q -- '-accel tcg -cpu qemu64,+rdrand -m'
	[ "$(cat "$CMAFW_ACCEL_STATE")" = "tcg	KVM failed in a guest of this run (QEMU: KVM internal error. Suberror: 1)" ]
	# the next guest of the run goes straight to TCG, with the reason
	FAKE_QEMU=works FAKE_BOOT=kvm-stuck boot
	[ "$status" -eq 0 ]
	[[ $output == *"guest-run: KVM failed in a guest of this run (QEMU: KVM internal error. Suberror: 1); using TCG"* ]]
	[ "$(boots)" -eq 3 ]
}

@test "guest-run with GUEST_ACCEL=kvm does not fall back when KVM stops the guest" {
	SECONDS=0
	BOOT_TIMEOUT=300 GUEST_ACCEL=kvm FAKE_QEMU=works FAKE_BOOT=kvm-stuck boot
	[ "$status" -eq 1 ]
	[[ $output != *"booting again under TCG"* ]]
	[ "$SECONDS" -lt 150 ]
	[ "$(grep -- ' -initrd ' "$FAKE_QEMU_LOG" | grep -c -- '-accel tcg')" -eq 0 ]
}
