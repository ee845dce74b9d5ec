#!/bin/bash
# Decide how QEMU runs the x86 guests: KVM only when it really runs one.
#
# usage: scripts/accel.sh            print "ACCEL<TAB>WHY" (ACCEL kvm|tcg)
#        scripts/accel.sh --export   print shell to eval: it sets and exports
#                                    CMAFW_ACCEL and CMAFW_ACCEL_WHY, so that
#                                    every later guest-run.sh of the same run
#                                    reuses the answer instead of probing
#        scripts/accel.sh --kvm-failed CONSOLE
#                                    print QEMU's words and exit 0 when the
#                                    console of a guest booted under KVM
#                                    shows KVM failing it; else exit 1
#
# A /dev/kvm that opens is no proof: on some hosts (a KVM guest itself) QEMU
# 7.2 aborts at once ("failed to set MSR 0x10a") or stops with "KVM internal
# error".  So the probe boots a one-sector guest that writes to QEMU's
# isa-debug-exit port, with the same -cpu the real boot uses; QEMU then
# exits with status 3.  Anything else within PROBE_SECONDS means no KVM.
# That guest runs a few real-mode instructions, and a host was seen to pass
# it and then stop every kernel with "KVM internal error ... emulation
# failure" in its first instructions.  So when VMLINUZ names a kernel, the
# probe also boots it, with no initramfs, to the panic that ends its boot
# ("Unable to mount root", or "No working init found" for a kernel
# without block devices); a KVM error on the console, or no such panic
# within KERNEL_PROBE_SECONDS, means no KVM.
#
# GUEST_ACCEL   auto (default): the probe decides; tcg: TCG, no probe;
#               kvm: KVM or exit status 1 with the probe's reason.
# CMAFW_ACCEL   an earlier answer of this run (from --export): reused when
#               GUEST_ACCEL is auto.  CMAFW_ACCEL_WHY goes with it.
# CMAFW_ACCEL_STATE  a file where guest-run.sh writes "tcg<TAB>WHY" when
#               KVM failed in a real guest after the probe passed.  When it
#               is not set, --export empties BUILD_DIR/accel-state (default
#               build/) and exports that.  While it holds an answer, that
#               answer wins over CMAFW_ACCEL.
# VMLINUZ       a kernel for the second probe (scripts/env.sh sets it)
# CMAFW_KVM_DEV the KVM device (default /dev/kvm; tests point it elsewhere)
# QEMU_X86      the QEMU binary (default qemu-system-x86_64)
# PROBE_SECONDS how long the probe guest may take (default 5)
# KERNEL_PROBE_SECONDS  how long the probe kernel may take (default 30)
#
# Exit status: 0 an answer was printed; 1 GUEST_ACCEL=kvm and KVM cannot
# run a guest; 2 usage error.  Messages on stderr start with "guest-run:",
# as they belong to the guest runs that call this.
set -euo pipefail
export LC_ALL=C

EXPORT=0
case ${1:-} in
--export) EXPORT=1 ;;
--kvm-failed) [ $# -eq 2 ] || { echo 'accel.sh: --kvm-failed CONSOLE' >&2; exit 2; } ;;
'') ;;
-h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
*) printf 'accel.sh: unknown argument %s\n' "$1" >&2; exit 2 ;;
esac

KVM_DEV=${CMAFW_KVM_DEV:-/dev/kvm}
QEMU=${QEMU_X86:-qemu-system-x86_64}
PROBE_SECONDS=${PROBE_SECONDS:-5}
KERNEL_PROBE_SECONDS=${KERNEL_PROBE_SECONDS:-30}
KVM_FAILED='KVM internal error|failed to set MSR|emulation failure'
BOOTED='Unable to mount root|No working init found'

# qemu_words ERE: the first line of stdin matching ERE, case aside, without
# QEMU's "qemu-system-x86_64: error: " prefix
qemu_words() {
	grep -m1 -iE "$1" | sed -E 's/^[^:]*qemu[^:]*: ((error|warning): )?//'
}

if [ "${1:-}" = --kvm-failed ]; then
	why=$(qemu_words "$KVM_FAILED" <"$2") || exit 1
	printf '%s\n' "$why"
	exit 0
fi

# probe: run the one-sector guest under KVM; print why it failed, if it did.
probe() {
	local dir img out st why
	dir=$(mktemp -d "${TMPDIR:-/tmp}/cmafw-kvm-probe.XXXXXX")
	img=$dir/boot.img
	# mov al,1; out 0xf4,al; cli; hlt; jmp $ -- then the boot signature
	printf '\xb0\x01\xe6\xf4\xfa\xf4\xeb\xfe' >"$img"
	truncate -s 510 "$img"
	printf '\x55\xaa' >>"$img"
	set +e
	out=$(timeout -k 2 "$PROBE_SECONDS" "$QEMU" -accel kvm -cpu host \
		-nodefaults -display none -no-reboot -m 16 \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-drive "file=$img,format=raw,if=ide" </dev/null 2>&1)
	st=$?
	set -e
	rm -rf "$dir"
	[ "$st" -eq 3 ] && { probe_kernel; return; }
	# QEMU's own words, without its "qemu-system-x86_64: error: " prefix
	why=$(printf '%s\n' "$out" | qemu_words 'error|fail|abort|assert') || why=
	if [ -z "$why" ]; then
		case $st in
		124|137) why="the probe guest did not finish in ${PROBE_SECONDS}s" ;;
		*) why="the probe guest ended with status $st" ;;
		esac
	fi
	printf '%s' "$why"
	return 1
}

# probe_kernel: boot $VMLINUZ, if it names a kernel, under KVM with no
# initramfs and the guests' CPU count; print why it failed, if it did.
# QEMU exits by itself after the panic (panic=-1, -no-reboot), but stays
# stopped after a KVM error: the console is watched, and QEMU killed then.
probe_kernel() {
	local dir out pid i why
	[ -n "${VMLINUZ:-}" ] && [ -r "$VMLINUZ" ] || return 0
	dir=$(mktemp -d "${TMPDIR:-/tmp}/cmafw-kvm-probe.XXXXXX")
	out=$dir/console
	: >"$out" # before the loop reads it, not when QEMU's shell opens it
	# timeout: should this script be killed, QEMU still ends
	timeout -k 2 "$KERNEL_PROBE_SECONDS" "$QEMU" -accel kvm -cpu host \
		-nodefaults -display none -no-reboot -m 256 -smp "${GUEST_SMP:-2}" \
		-kernel "$VMLINUZ" -append 'console=ttyS0 panic=-1' -serial stdio \
		</dev/null >"$out" 2>&1 &
	pid=$!
	for ((i = 0; i < KERNEL_PROBE_SECONDS * 5; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		grep -qE "$KVM_FAILED|$BOOTED" "$out" && break
		sleep 0.2
	done
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	why=$(qemu_words "$KVM_FAILED" <"$out") || why=
	if [ -z "$why" ] && ! grep -qE "$BOOTED" "$out"; then
		why="the probe kernel did not reach its end of boot in ${KERNEL_PROBE_SECONDS}s"
	fi
	rm -rf "$dir"
	[ -z "$why" ] && return 0
	printf '%s, booting %s' "$why" "${VMLINUZ##*/}"
	return 1
}

# resolve: set ACCEL and WHY; return 1 when KVM was forced and fails.
resolve() {
	local mode=${GUEST_ACCEL:-auto} why
	case $mode in
	tcg) ACCEL=tcg WHY="GUEST_ACCEL=tcg"; return 0 ;;
	kvm|auto) ;;
	*) printf 'guest-run: GUEST_ACCEL must be auto, kvm or tcg, not %s\n' "$mode" >&2; exit 2 ;;
	esac
	if [ "$mode" = auto ] && [ -n "${CMAFW_ACCEL_STATE:-}" ] &&
	   [ -s "$CMAFW_ACCEL_STATE" ]; then
		IFS=$'\t' read -r ACCEL WHY <"$CMAFW_ACCEL_STATE"
		return 0
	fi
	if [ "$mode" = auto ] && [ -n "${CMAFW_ACCEL:-}" ]; then
		ACCEL=$CMAFW_ACCEL WHY=${CMAFW_ACCEL_WHY:-decided earlier in this run}
		return 0
	fi
	if [ ! -e "$KVM_DEV" ]; then
		why="there is no $KVM_DEV"
	elif [ ! -r "$KVM_DEV" ] || [ ! -w "$KVM_DEV" ]; then
		why="$KVM_DEV is not read-write for $(id -un)"
	elif why=$(probe); then
		ACCEL=kvm WHY="$KVM_DEV runs a guest"
		return 0
	else
		why="$KVM_DEV cannot run a guest (QEMU: $why)"
	fi
	if [ "$mode" = kvm ]; then
		printf 'guest-run: GUEST_ACCEL=kvm, but %s\n' "$why" >&2
		return 1
	fi
	ACCEL=tcg WHY=$why
}

# A run of its own: what an earlier run's guests found does not count.
if [ "$EXPORT" = 1 ] && [ -z "${CMAFW_ACCEL_STATE:-}" ]; then
	CMAFW_ACCEL_STATE=${BUILD_DIR:-$(cd "$(dirname "$0")/.." && pwd)/build}/accel-state
	mkdir -p "${CMAFW_ACCEL_STATE%/*}"
	: >"$CMAFW_ACCEL_STATE"
fi
resolve || exit 1
if [ "$EXPORT" = 1 ]; then
	printf 'export CMAFW_ACCEL=%q CMAFW_ACCEL_WHY=%q CMAFW_ACCEL_STATE=%q\n' \
		"$ACCEL" "$WHY" "$CMAFW_ACCEL_STATE"
else
	printf '%s\t%s\n' "$ACCEL" "$WHY"
fi
