#!/bin/bash
# Boot the Debian cloud kernel in QEMU with a busybox initramfs, run a test
# entry script inside it and judge the result (TAP + dmesg).
#
# usage: scripts/guest-run.sh [--timeout SECS] [--append 'ARGS'] [--keep]
#                             [--verbose] [GUEST_ENTRY [ENTRY_ARGS...]]
#        scripts/guest-run.sh --judge-only CONSOLE_LOG
#
# GUEST_ENTRY  a script in the tree (relative to the repo root or to $PWD,
#              default selftests/cmafw/guest/main.sh), run in the guest as
#              `sh /<path>`; or a host path outside the tree, copied to
#              /entry.sh.  ENTRY_ARGS are passed on to it.
# --timeout    host-side limit for the whole QEMU run (default 300 s, env
#              GUEST_TIMEOUT); inside the guest the entry is killed ~25 s
#              earlier so that dmesg (and sysrq-w) still get printed.
# --append     extra kernel command line arguments (env GUEST_APPEND).
# --keep       keep the staging tree build/guest/root after the run.
# --verbose    stream the whole serial console, not just the entry output
#              (env GUEST_VERBOSE=1).
# --judge-only parse a saved console log only (no build, no boot).
#
# After an Oops / kernel BUG / GPF the guest kills the entry GUEST_OOPS_GRACE
# seconds later (default 20, `off` disables), since the suite then usually
# hangs on a lock the dead task held.
# Other environment: GUEST_EXTRA_KO (space separated host .ko paths copied
# to /modules too), GUEST_MEM (1536M), GUEST_SMP (2), GUEST_ACCEL (auto: kvm
# when a probe guest and the kernel run under it, else tcg, and tcg again
# for a guest KVM stops; kvm forces it or fails; see scripts/accel.sh),
# GUEST_BUILD_DIR (build/guest), GUEST_QEMU_EXTRA (more QEMU arguments,
# split at blanks: a monitor socket for `info jit`, say), KVER,
# VMLINUZ, MODDIR (scripts/env.sh), GUEST_MEMMAP (the memmap= windows and
# the lend window's online policy, on arm64 mem= and the policy; empty for
# none), GUEST_CONFIGFS (`builtin`: no configfs.ko needed),
# GUEST_CMAADM_SHELLS (the shells cmaadm's bats suite runs the tool under,
# in 80-cmaadm.sh: default "sh bash", busybox ash then bash; "none" for
# no pass, shown as a skip).
# GUEST_ARCH=arm64 (scripts/arm64.sh sets it) boots qemu-system-aarch64
# -M virt -cpu cortex-a57 with GUEST_DTB on ttyAMA0 and no memmap=, or
# with GUEST_FIRMWARE set through that UEFI firmware (-bios, ACPI off: the
# firmware hands QEMU's own device tree on, and GUEST_DTB is not used);
# it also reads GUEST_BUSYBOX (a static busybox of the guest's arch),
# GUEST_OVERLAY (a directory laid over the guest root: bash and its
# libraries) and GUEST_KO_ROOT (where kernel/ and selftests/ hold the
# cross-built .ko).
#
# Guest environment for the entry: cwd /, stdin /dev/null, PATH with
# busybox applets (+ bash and bats when present on the host), CMAFW_GUEST=1,
# CMAFW_MODULES=/modules, CMAFW_SELFTESTS=/selftests, CMAFW_TOOLS=/tools,
# CMAFW_CMAADM_SHELLS (GUEST_CMAADM_SHELLS),
# the ABI documents at /Documentation/ABI,
# TMPDIR=/tmp; user `user` (uid/gid 1000, home /home/user) exists; configfs
# is mounted at /sys/kernel/config, debugfs at /sys/kernel/debug.
# The entry prints TAP on stdout (`ok N ...`, `not ok N ...`, `# SKIP`),
# and may declare expected WARN()s with `# expect-warn <count> <substring>`.
#
# Exit status: 0 all good; 1 test failures or problems; 2 usage/setup error.
# Last stdout line: `N passed, N failed` (+ `, N skipped` when > 0); each
# harness-level problem (crash, timeout, non-zero exit, no tests, kernel
# report in dmesg) is counted as one failure.  An RCU stall report logged
# before init marks the entry's start in dmesg is only a note: nothing of
# ours has run yet, and under TCG a stall while the kernel boots is the
# host's hiccup.
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CMAFW_ROOT="$ROOT"
# shellcheck source=scripts/env.sh
. "$ROOT/scripts/env.sh"

TIMEOUT=${GUEST_TIMEOUT:-300}
APPEND=${GUEST_APPEND:-}
KEEP=0
VERBOSE=${GUEST_VERBOSE:-0}
JUDGE_ONLY=
GB=${GUEST_BUILD_DIR:-$BUILD_DIR/guest}

die() { printf 'guest-run: ERROR: %s\n' "$*" >&2; exit 2; }
usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }

while [ $# -gt 0 ]; do
	case $1 in
	--timeout) [ $# -ge 2 ] || die "--timeout needs a value"; TIMEOUT=$2; shift 2 ;;
	--timeout=*) TIMEOUT=${1#*=}; shift ;;
	--append) [ $# -ge 2 ] || die "--append needs a value"; APPEND="$APPEND $2"; shift 2 ;;
	--append=*) APPEND="$APPEND ${1#*=}"; shift ;;
	--keep) KEEP=1; shift ;;
	--verbose|-v) VERBOSE=1; shift ;;
	--judge-only) [ $# -ge 2 ] || die "--judge-only needs a log file"; JUDGE_ONLY=$2; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	--) shift; break ;;
	-*) die "unknown option $1 (see --help)" ;;
	*) break ;;
	esac
done
case $TIMEOUT in ''|*[!0-9]*) die "--timeout must be a number of seconds" ;; esac

# ---------------------------------------------------------------------------
# judge: parse a console log, print a report, last line "N passed, N failed".
# $1 log file, $2 qemu exit status ("" if unknown), $3 timeout used.
# Returns 0 only when nothing failed.
# ---------------------------------------------------------------------------
# What init logs to dmesg as it starts the entry (see judge()).
ENTRY_MARK="cmafw-guest: the test entry starts"

judge() {
	awk -v qemu_status="${2:-}" -v tmo="${3:-}" -v entry_mark="$ENTRY_MARK" '
	function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
	function problem(s) { prob[++nprob] = s }
	# Lines that are kernel reports worth failing for.  Returns a label or "".
	function report_kind(l) {
		# kmemleak saying its own bookkeeping could not be allocated
		# (it then scans the whole object): no leak, no bug.
		if (l ~ /kmemleak: Cannot allocate a scan area/) return ""
		if (l ~ /WARNING: CPU: [0-9]+ PID: [0-9]+ at /) return "warn"
		if (l ~ /self-detected stall|detected stalls on CPUs/) return "stall"
		if (l ~ /BUG:|kernel BUG at|Oops|Kernel panic|general protection|KASAN|UBSAN|kmemleak|possible recursive locking|circular locking|INFO: task|WARNING:|soft lockup|hard LOCKUP|BUG [A-Za-z0-9_.:-]+ \(/) return "report"
		return ""
	}
	{
		gsub(/\r/, "")
		con[++ncon] = $0
	}
	state <= 1 && index($0, "@@CMAFW-GUEST-START@@") { state = 1; started = 1; next }
	state == 1 && index($0, "@@CMAFW-GUEST-EXIT ") {
		s = substr($0, index($0, "@@CMAFW-GUEST-EXIT ") + 19)
		sub(/@@.*/, "", s)
		exit_status = s; have_exit = 1; state = 2; next
	}
	state < 3 && index($0, "@@CMAFW-DMESG-BEGIN@@") { state = 3; have_dmesg = 1; next }
	state == 3 && index($0, "@@CMAFW-DMESG-END@@") { state = 4; dmesg_end = 1; next }
	state == 3 { d[++nd] = $0; next }
	state == 1 {
		if (index($0, "@@CMAFW-GUEST-TIMEOUT@@")) { guest_timeout = 1; next }
		if (index($0, "@@CMAFW-GUEST-OOPS-ABORT ")) {
			oops_abort = substr($0, index($0, "@@CMAFW-GUEST-OOPS-ABORT ") + 25); sub(/@@.*/, "", oops_abort)
			next
		}
		if ($0 ~ /^(not )?ok [0-9]+/) {
			low = tolower($0)
			isnot = ($0 ~ /^not /)
			skip = (low ~ /(^|[^\\])#[ \t]*skip/)
			todo = (low ~ /(^|[^\\])#[ \t]*todo/)
			if (skip) nskip++
			else if (isnot && todo) { nskip++; ntodo++ }
			else if (isnot) { nfail++; failed_lines[nfail] = $0 }
			else npass++
			ntests++
		} else if ($0 ~ /^1\.\.[0-9]+/) {
			plan = $0; sub(/^1\.\./, "", plan); sub(/[^0-9].*/, "", plan)
			nplans++
		} else if ($0 ~ /^Bail out!/) {
			problem("TAP: " $0)
		} else if ($0 ~ /^# expect-warn [0-9]+ /) {
			rest = substr($0, 15)
			cnt = rest; sub(/ .*/, "", cnt)
			sub(/^[0-9]+ /, "", rest)
			rest = trim(rest)
			if (rest != "") { ew_sub[++new] = rest; ew_left[new] = cnt + 0; ew_max[new] = cnt + 0 }
		}
	}
	END {
		if (!started) {
			if (qemu_status == "124" || qemu_status == "137")
				problem("TIMEOUT: QEMU killed after " tmo " s before the guest reached the test entry (boot too slow? raise --timeout)")
			else
				problem("guest never reached the test entry (no @@CMAFW-GUEST-START@@): kernel or initramfs failed to boot")
		} else if (!have_exit) {
			if (qemu_status == "124" || qemu_status == "137")
				problem("TIMEOUT: no exit marker after " tmo " s; QEMU was killed (guest hung or far too slow)")
			else {
				why = "guest crashed or powered off before the exit marker"
				for (i = 1; i <= ncon; i++) if (con[i] ~ /Kernel panic/) { why = "KERNEL PANIC: " trim(con[i]); break }
				problem(why (qemu_status != "" ? " (qemu exit status " qemu_status ")" : ""))
			}
		} else {
			if (oops_abort != "")
				problem("guest entry was killed " oops_abort " s after a kernel Oops/BUG; the rest of the suite did not run")
			if (guest_timeout)
				problem("guest entry was killed by the in-guest timeout (hung test?); see sysrq-w task dump in dmesg")
			# a non-zero exit is explained by `not ok` lines; else it is a failure
			if (exit_status != "0" && nfail == 0 && oops_abort == "" && !guest_timeout)
				problem("guest entry exited with status " exit_status)
			if (!have_dmesg || !dmesg_end)
				problem("dmesg section missing or truncated")
			# The plan, printed last, says the entry ran to its end.
			if (oops_abort == "" && !guest_timeout && ntests > 0) {
				if (nplans != 1)
					problem("TAP: " (nplans ? nplans " plans" : "no plan (1..N)") ": the entry did not run to its end")
				else if (plan + 0 != ntests)
					problem("TAP: the plan is 1.." plan " but " ntests " tests ran")
			}
		}
		if (started && ntests == 0)
			problem("no TAP test results (zero `ok N` / `not ok N` lines)")

		# ---- kernel report scan: dmesg section, or whole console if none
		if (have_dmesg) { src = "dmesg"; for (i = 1; i <= nd; i++) L[i] = d[i]; nl = nd }
		else { src = "console"; for (i = 1; i <= ncon; i++) L[i] = con[i]; nl = ncon }
		shown_to = 0; nrep = 0; nallowed = 0; out = ""
		last_end = 0
		# where init logged the entry start; 0: not logged, nothing before it
		entry_at = 0
		for (i = 1; i <= nl && !entry_at; i++)
			if (index(L[i], entry_mark)) entry_at = i
		for (i = 1; i <= nl; i++) {
			if (L[i] ~ /---\[ end trace/) last_end = i
			k = report_kind(L[i])
			if (k == "" || i <= shown_to) continue
			if (k == "stall" && i < entry_at) {
				nallowed++
				allowed_msg[nallowed] = "note: RCU stall while the kernel booted, before the test entry started (not a failure): " trim(L[i])
				# skip its dump, up to the entry start at the latest
				for (j = i + 1; j < entry_at && j <= i + 80; j++) if (L[j] ~ /---\[ end trace/) break
				shown_to = j < entry_at ? j : entry_at - 1
				continue
			}
			if (k == "warn") {
				lo = i - 5; if (lo <= last_end) lo = last_end + 1; if (lo < 1) lo = 1
				hi = i + 5; if (hi > nl) hi = nl
				ok_by = 0
				for (e = 1; e <= new && !ok_by; e++) {
					if (ew_left[e] <= 0) continue
					for (j = lo; j <= hi; j++) {
						if (L[j] ~ /Modules linked in:/) continue
						if (index(L[j], ew_sub[e])) { ok_by = e; break }
					}
				}
				if (ok_by) {
					ew_left[ok_by]--; nallowed++
					allowed_msg[nallowed] = "allowed by expect-warn \"" ew_sub[ok_by] "\": " trim(L[i])
					# skip the rest of this splat
					for (j = i + 1; j <= nl && j <= i + 80; j++) if (L[j] ~ /---\[ end trace/) break
					shown_to = j
					continue
				}
			}
			# print the block: from a few lines before to the end of trace
			nrep++
			lo = i - 3; if (lo <= shown_to) lo = shown_to + 1; if (lo < 1) lo = 1
			for (j = i + 1; j <= nl && j <= i + 60; j++) if (L[j] ~ /---\[ end trace/) break
			if (j > nl) j = nl
			if (j - i > 60) j = i + 60
			hi = j
			out = out sprintf("guest: ---- %s report #%d (%s lines %d-%d) ----\n", src, nrep, src, lo, hi)
			for (j = lo; j <= hi; j++) out = out "  | " L[j] "\n"
			shown_to = hi
		}
		if (nrep > 0)
			problem(nrep " unexpected kernel report(s) in " src " (BUG/Oops/WARNING/lockdep/hung task...)")

		# ---- report
		printf "guest: TAP: %d ok, %d not ok, %d skipped%s; exit status %s\n", npass, nfail, nskip, \
			(ntodo ? " (" ntodo " not ok # TODO)" : ""), (have_exit ? exit_status : "none")
		for (i = 1; i <= nfail; i++) print "guest: FAILED: " failed_lines[i]
		for (i = 1; i <= nallowed; i++) print "guest: " allowed_msg[i]
		for (e = 1; e <= new; e++)
			if (ew_left[e] > 0) printf "guest: note: expect-warn \"%s\" matched %d of up to %d WARNING(s)\n", ew_sub[e], ew_max[e] - ew_left[e], ew_max[e]
		printf "%s", out
		if (!have_exit && ncon > 0 && !(src == "console" && nrep > 0)) {
			t = ncon - 40; if (t < 1) t = 1
			print "guest: ---- last console lines ----"
			for (i = t; i <= ncon; i++) print "  | " con[i]
		}
		for (i = 1; i <= nprob; i++) print "guest: PROBLEM: " prob[i]
		failed = nfail + nprob
		line = (npass + 0) " passed, " failed " failed"
		if (nskip > 0) line = line ", " nskip " skipped"
		print line
		exit(failed ? 1 : 0)
	}' "$1"
}

if [ -n "$JUDGE_ONLY" ]; then
	[ -r "$JUDGE_ONLY" ] || die "cannot read $JUDGE_ONLY"
	judge "$JUDGE_ONLY" "" "$TIMEOUT"
	exit $?
fi

# ---------------------------------------------------------------------------
# Resolve the guest entry
# ---------------------------------------------------------------------------
ENTRY=${1:-selftests/cmafw/guest/main.sh}
[ $# -gt 0 ] && shift
ENTRY_ARGS=("$@")

entry_host='' entry_guest=''
case $ENTRY in
/*) abs=$ENTRY ;;
*)  if [ -e "$ROOT/$ENTRY" ]; then abs=$ROOT/$ENTRY; else abs=$PWD/$ENTRY; fi ;;
esac
[ -f "$abs" ] || die "guest entry '$ENTRY' not found (looked for $abs)"
abs=$(readlink -f "$abs")
case $abs in
"$ROOT"/*) entry_host=$abs; entry_guest=/${abs#"$ROOT"/} ;;
*)         entry_host=$abs; entry_guest=/entry.sh ;;
esac

# ---------------------------------------------------------------------------
# Check host prerequisites
# ---------------------------------------------------------------------------
ARCH=${GUEST_ARCH:-x86_64}
case $ARCH in
x86_64) QEMU=qemu-system-x86_64 ;;
arm64)  QEMU=qemu-system-aarch64
	[ -r "${GUEST_FIRMWARE:-${GUEST_DTB:-}}" ] ||
		die "GUEST_ARCH=arm64 needs GUEST_DTB or GUEST_FIRMWARE" ;;
*)      die "GUEST_ARCH must be x86_64 or arm64" ;;
esac
for t in "$QEMU" busybox cpio gzip xz timeout ldd; do
	command -v "$t" >/dev/null || die "$t not found; run scripts/deps.sh"
done
[ -n "$KVER" ] || die "no guest kernel found (the headers of a 6.12 cloud kernel); run scripts/deps.sh"
[ -r "$VMLINUZ" ] || die "cannot read $VMLINUZ"
CONFIGFS_KO=
for f in "$MODDIR/kernel/fs/configfs/configfs.ko.xz" "$MODDIR/kernel/fs/configfs/configfs.ko"; do
	[ -f "$f" ] && { CONFIGFS_KO=$f; break; }
done
# GUEST_CONFIGFS=builtin: a kernel with configfs built in (check-builtin.sh).
[ -n "$CONFIGFS_KO" ] || [ "${GUEST_CONFIGFS:-}" = builtin ] ||
	die "configfs module not found under $MODDIR"

# ---------------------------------------------------------------------------
# Stage the initramfs
# ---------------------------------------------------------------------------
t_stage=$EPOCHREALTIME
STAGE=$GB/root
rm -rf "$STAGE"
mkdir -p "$STAGE"/{bin,sbin,usr/bin,usr/sbin,usr/lib,usr/libexec,lib/modules,modules,etc,dev,proc,sys,tmp,run,root,home/user,mnt}

# copy_with_libs SRC DEST(rel to stage): binary plus its shared libraries
copy_with_libs() {
	local src=$1 dst=$2 lib
	mkdir -p "$STAGE/$(dirname "$dst")"
	cp -L "$src" "$STAGE/$dst"
	while read -r lib; do
		if [ -z "$lib" ] || [ ! -e "$lib" ]; then continue; fi
		[ -e "$STAGE$lib" ] && continue
		mkdir -p "$STAGE$(dirname "$lib")"
		cp -L "$lib" "$STAGE$lib"
	done < <(ldd "$src" 2>/dev/null | awk '/=> \//{print $3} /^[ \t]*\//{print $1}')
}

BUSYBOX=$(readlink -f "${GUEST_BUSYBOX:-$(command -v busybox)}")
copy_with_libs "$BUSYBOX" bin/busybox
# the other applet links are made at boot by `busybox --install -s` (fast)
ln -s busybox "$STAGE/bin/sh"

# optional: bash and bats
HAVE_BASH=0 HAVE_BATS=0
if [ -x "${GUEST_OVERLAY:-/nonexistent}/bin/bash" ]; then
	HAVE_BASH=1
	ln -sf /bin/bash "$STAGE/usr/bin/bash"
elif [ "$ARCH" = x86_64 ] && command -v bash >/dev/null; then
	copy_with_libs "$(readlink -f "$(command -v bash)")" bin/bash
	ln -sf /bin/bash "$STAGE/usr/bin/bash"
	HAVE_BASH=1
fi
if [ "$HAVE_BASH" = 1 ]; then
	if command -v bats >/dev/null; then
		bats_path=$(readlink -f "$(command -v bats)")
		bats_root=${bats_path%/*/*}
		if [ -d "$bats_root/libexec/bats-core" ] && [ -d "$bats_root/lib/bats-core" ]; then
			cp "$bats_path" "$STAGE/usr/bin/bats"
			cp -r "$bats_root/libexec/bats-core" "$STAGE/usr/libexec/"
			cp -r "$bats_root/lib/bats-core" "$STAGE/usr/lib/"
			HAVE_BATS=1
		fi
	fi
fi

# configfs (Debian builds it as a module)
case $CONFIGFS_KO in
'') ;;
*.xz) xz -dc "$CONFIGFS_KO" >"$STAGE/lib/modules/configfs.ko" ;;
*)    cp "$CONFIGFS_KO" "$STAGE/lib/modules/configfs.ko" ;;
esac

# modules: every built *.ko under kernel/ and selftests/, plus GUEST_EXTRA_KO
kos=()
for d in kernel selftests; do
	[ -d "${GUEST_KO_ROOT:-$ROOT}/$d" ] || continue
	while IFS= read -r -d '' ko; do kos+=("$ko"); done < <(find "${GUEST_KO_ROOT:-$ROOT}/$d" -name '*.ko' -type f -print0)
done
read -r -a extra <<<"${GUEST_EXTRA_KO:-}"
for ko in ${extra[@]+"${extra[@]}"}; do
	[ -f "$ko" ] || die "GUEST_EXTRA_KO: $ko not found"
	kos+=("$ko")
done
for ko in ${kos[@]+"${kos[@]}"}; do
	b=$(basename "$ko")
	[ -e "$STAGE/modules/$b" ] && die "two modules named $b ($ko)"
	cp "$ko" "$STAGE/modules/$b"
	vm=$(modinfo -F vermagic "$ko" 2>/dev/null | awk '{print $1}') || vm=
	if [ -n "$vm" ] && [ "$vm" != "$KVER" ]; then
		printf 'guest-run: WARNING: %s was built for %s but the guest runs %s (rebuild with KDIR=%s)\n' \
			"$b" "$vm" "$KVER" "$KDIR" >&2
	fi
done

# test trees (build droppings left out)
for d in selftests tools Documentation/ABI; do
	[ -d "$ROOT/$d" ] || continue
	tar -C "$ROOT" --exclude='*.o' --exclude='.*.cmd' --exclude='*.mod.c' -cf - "$d" | tar -C "$STAGE" -xf -
done
if [ ! -e "$STAGE$entry_guest" ]; then
	mkdir -p "$STAGE$(dirname "$entry_guest")"
	cp "$entry_host" "$STAGE$entry_guest"
fi

[ -z "${GUEST_OVERLAY:-}" ] || cp -a "$GUEST_OVERLAY/." "$STAGE/"

# users
cat >"$STAGE/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
user:x:1000:1000:user:/home/user:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat >"$STAGE/etc/group" <<'EOF'
root:x:0:
user:x:1000:
nogroup:x:65534:
EOF
echo cmafw-guest >"$STAGE/etc/hostname"

# sh-quote the entry arguments for /init
sq() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
args_q=
for a in ${ENTRY_ARGS[@]+"${ENTRY_ARGS[@]}"}; do args_q="$args_q $(sq "$a")"; done

CMAADM_SHELLS=${GUEST_CMAADM_SHELLS:-sh bash}
if [ "$CMAADM_SHELLS" != none ]; then
	for sh_name in $CMAADM_SHELLS; do
		case $sh_name in sh|bash) ;; *) die "GUEST_CMAADM_SHELLS: '$sh_name' is not sh, bash or none" ;; esac
	done
fi

OOPS_GRACE=${GUEST_OOPS_GRACE:-20}
case $OOPS_GRACE in off|[0-9]*) ;; *) die "GUEST_OOPS_GRACE must be seconds or off" ;; esac

# In-guest limit for the entry: leave time for boot + dmesg dump.
if [ "$TIMEOUT" -gt 60 ]; then GUEST_LIMIT=$((TIMEOUT - 25)); else GUEST_LIMIT=$((TIMEOUT * 2 / 3)); fi
[ "$GUEST_LIMIT" -ge 1 ] || GUEST_LIMIT=1

cat >"$STAGE/init" <<EOF
#!/bin/sh
# generated by scripts/guest-run.sh
/bin/busybox --install -s
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TMPDIR=/tmp TERM=dumb
mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec 0</dev/console 1>/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=0755 tmpfs /run
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts 2>/dev/null
mount -t tmpfs -o mode=1777 tmpfs /dev/shm 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null || echo "# init: debugfs mount failed"
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
[ ! -f /lib/modules/configfs.ko ] || insmod /lib/modules/configfs.ko || echo "# init: insmod configfs.ko failed"
mount -t configfs configfs /sys/kernel/config || echo "# init: configfs mount failed"
hostname cmafw-guest
chown 1000:1000 /home/user
chmod 0755 /home/user
ln -sf /proc/self/fd /dev/fd 2>/dev/null
export CMAFW_GUEST=1 CMAFW_MODULES=/modules CMAFW_SELFTESTS=/selftests CMAFW_TOOLS=/tools
export CMAFW_HAVE_BASH=$HAVE_BASH CMAFW_HAVE_BATS=$HAVE_BATS
export CMAFW_CMAADM_SHELLS=$(sq "$CMAADM_SHELLS")
cd /
# In dmesg too, so that the judge knows what the kernel logged before it.
echo "$ENTRY_MARK" >/dev/kmsg 2>/dev/null
echo "@@CMAFW-GUEST-START@@"
timeout -s KILL $GUEST_LIMIT sh $(sq "$entry_guest")$args_q </dev/null 2>&1 &
entry=\$!
# After an Oops the suite usually hangs on a lock the dead task held:
# stop it OOPS_GRACE s after the first Oops instead of waiting for the timeout.
watcher=
if [ "$OOPS_GRACE" != off ]; then
	(
		while sleep 2; do
			if dmesg | grep -qE 'Oops|kernel BUG at|general protection fault'; then
				sleep $OOPS_GRACE
				: >/run/oops-abort
				kill -KILL \$entry 2>/dev/null
				exit 0
			fi
		done
	) &
	watcher=\$!
fi
wait \$entry
status=\$?
[ -z "\$watcher" ] || kill \$watcher 2>/dev/null
if [ -e /run/oops-abort ]; then
	echo "@@CMAFW-GUEST-OOPS-ABORT $OOPS_GRACE@@"
elif [ \$status -eq 137 ] || [ \$status -eq 124 ]; then
	echo "@@CMAFW-GUEST-TIMEOUT@@"
	echo w >/proc/sysrq-trigger 2>/dev/null
fi
echo "@@CMAFW-GUEST-EXIT \$status@@"
echo "@@CMAFW-DMESG-BEGIN@@"
dmesg
echo "@@CMAFW-DMESG-END@@"
sync
poweroff -f
EOF
chmod 0755 "$STAGE/init"

# newc record for /dev/console (so the kernel can open an initial console
# without needing root to mknod): NAME MODE(octal) RMAJ RMIN
newc() {
	local name=$1 mode=$2 rmaj=$3 rmin=$4 ns pad
	ns=$((${#name} + 1))
	printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
		"$5" $((8#$mode)) 0 0 1 0 0 0 0 "$rmaj" "$rmin" "$ns" 0
	printf '%s\0' "$name"
	pad=$(((4 - (110 + ns) % 4) % 4))
	[ "$pad" -eq 0 ] || head -c "$pad" /dev/zero
}

elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

INITRD=$GB/initrd.gz
{
	(cd "$STAGE" && find . -mindepth 1 -print0 | LC_ALL=C sort -z |
		cpio --null -o -H newc -R +0:+0 --quiet)
	newc dev/console 020600 5 1 900001
	newc TRAILER!!! 0 0 0 0
} | gzip -1 >"$INITRD"
t1=$EPOCHREALTIME
printf 'guest-run: initramfs %s: %s bytes (%d modules, bash=%s, bats=%s) in %ss\n' \
	"${INITRD#"$ROOT"/}" "$(stat -c %s "$INITRD")" "${#kos[@]}" "$HAVE_BASH" "$HAVE_BATS" "$(elapsed "$t_stage" "$t1")"

# ---------------------------------------------------------------------------
# Boot
# ---------------------------------------------------------------------------
# KVM only when the probes really run (scripts/accel.sh says why not)
if [ "$ARCH" = arm64 ]; then
	ACCEL=tcg # an x86 host runs an arm64 guest only under emulation
else
	accel_line=$("$ROOT/scripts/accel.sh") || exit 2
	ACCEL=${accel_line%%$'\t'*}
	ACCEL_WHY=${accel_line#*$'\t'}
	if [ "$ACCEL" = tcg ]; then
		printf 'guest-run: %s; using TCG\n' "$ACCEL_WHY"
	fi
fi
# Under TCG the x86 guest gets RDRAND, so that the kernel's CRNG is ready
# at boot.  Without it the CRNG came ready tens of seconds into a run, and
# the static key that flips then is patched (text_poke_bp()) under a
# process reading /dev/urandom on the other vCPU: TCG ran a stale int3
# there ("Oops: int3" in urandom_read_iter(), mid-run, once in a CI run).
cpu_for_accel() {
	CPU=(-cpu "qemu64,+rdrand")
	[ "$ACCEL" = kvm ] && CPU=(-cpu host)
	return 0
}
cpu_for_accel
# GUEST_MEMMAP replaces the reserved windows (empty: none at all): two
# carve-out windows, and a 256 MiB lend window (two whole memory blocks)
# whose hot-added memory goes to ZONE_MOVABLE.  The firmware keeps the
# last 128 KiB of RAM below 4 GiB for itself, so x86 guests get 1536 MiB:
# the lend window, up to 0x4fffffff, is then all RAM in the firmware's map.
MEM=${GUEST_MEM:-1536M}
MEMMAP=${GUEST_MEMMAP-memmap=64M\$0x20000000 memmap=64M\$0x30000000 memmap=256M\$0x40000000 memhp_default_state=online_movable}
CONSOLE="console=ttyS0 quiet panic=-1${MEMMAP:+ $MEMMAP}"
if [ "$ARCH" = arm64 ]; then
	if [ -n "${GUEST_FIRMWARE:-}" ]; then
		CPU=(-M "virt,acpi=off" -cpu cortex-a57 -bios "$GUEST_FIRMWARE")
	else
		CPU=(-M virt -cpu cortex-a57 -dtb "$GUEST_DTB")
	fi
	# The device tree reserves the carve-out windows.  mem=768M keeps
	# the rest of the RAM at 0x40000000 (1280 MiB from scripts/arm64.sh)
	# from the kernel: the lend window, two memory blocks at 0x70000000,
	# and above it a block with a reserved-memory node (arm64/
	# test-nodes.dtsi).
	MEMMAP=${GUEST_MEMMAP-mem=768M memhp_default_state=online_movable}
	CONSOLE="console=ttyAMA0 quiet panic=-1${MEMMAP:+ $MEMMAP}"
fi
CMDLINE="$CONSOLE log_buf_len=8M printk.devkmsg=on${APPEND:+ $APPEND}"
LOG=$GB/console.log
: >"$LOG"
printf 'guest-run: booting %s (%s, -m %s -smp %s, timeout %ss) entry %s\n' \
	"$KVER" "$ACCEL" "$MEM" "${GUEST_SMP:-2}" "$TIMEOUT" "$entry_guest"
printf 'guest-run: cmdline: %s\n' "$CMDLINE"

read -r -a QEMU_EXTRA <<<"${GUEST_QEMU_EXTRA:-}"

# boot: run QEMU once; sets qemu_status.
boot() {
	local st
	set +e
	timeout -k 10 "$TIMEOUT" "$QEMU" \
		-nodefaults -display none -no-reboot \
		-accel "$ACCEL" ${CPU[@]+"${CPU[@]}"} -m "$MEM" -smp "${GUEST_SMP:-2}" \
		-kernel "$VMLINUZ" -initrd "$INITRD" -append "$CMDLINE" \
		-pidfile "$GB/qemu.pid" ${QEMU_EXTRA[@]+"${QEMU_EXTRA[@]}"} -serial stdio </dev/null 2>&1 |
		tee "$LOG" |
		{
			# stream the entry output (or everything with --verbose) live
			on=0
			while IFS= read -r line || [ -n "$line" ]; do
				line=${line//$'\r'/}
				# after a KVM error QEMU stops the guest and waits
				case $line in
				*'KVM internal error'*)
					kill "$(cat "$GB/qemu.pid" 2>/dev/null)" 2>/dev/null ;;
				esac
				if [ "$VERBOSE" = 1 ]; then printf '%s\n' "$line"; continue; fi
				case $line in
				*@@CMAFW-GUEST-START@@*) on=1 ;;
				*@@CMAFW-GUEST-EXIT\ *) on=0 ;;
				*) [ "$on" = 0 ] || printf '%s\n' "$line" ;;
				esac
			done
		}
	st=("${PIPESTATUS[@]}")
	set -e
	qemu_status=${st[0]}
	t2=$EPOCHREALTIME
	printf 'guest-run: QEMU exited with status %s after %ss; console log: %s\n' \
		"$qemu_status" "$(elapsed "$t1" "$t2")" "${LOG#"$ROOT"/}"
}

rm -f "$GB/qemu.pid"
boot
# A KVM that passed scripts/accel.sh's probe may still fail this kernel
# ("KVM internal error ... emulation failure", seen in the kernel's first
# instructions on a nested host).  Unless KVM was asked for, boot again
# under TCG, and tell the rest of the run (CMAFW_ACCEL_STATE) to use it.
if [ "$ACCEL" = kvm ] && [ "${GUEST_ACCEL:-auto}" = auto ] &&
   kvm_why=$("$ROOT/scripts/accel.sh" --kvm-failed "$LOG"); then
	cp "$LOG" "$LOG.kvm"
	printf 'guest-run: KVM failed in the guest (QEMU: %s; console log: %s); booting again under TCG\n' \
		"$kvm_why" "${LOG#"$ROOT"/}.kvm"
	if [ -n "${CMAFW_ACCEL_STATE:-}" ]; then
		printf 'tcg\t%s\n' "KVM failed in a guest of this run (QEMU: $kvm_why)" \
			>"$CMAFW_ACCEL_STATE"
	fi
	ACCEL=tcg
	cpu_for_accel
	: >"$LOG"
	t1=$EPOCHREALTIME
	boot
fi
# TCG now and then dies while the kernel boots (an int3 Oops as it patches
# its own text, long before any of our modules loads).  When the guest never
# reached the entry and QEMU was not stopped for time, boot once more.
if ! grep -q '@@CMAFW-GUEST-START@@' "$LOG" && [ "$qemu_status" != 124 ] &&
   [ "$qemu_status" != 137 ]; then
	cp "$LOG" "$LOG.boot1"
	printf 'guest-run: the guest died before reaching the entry (console log: %s); booting once more\n' \
		"${LOG#"$ROOT"/}.boot1"
	: >"$LOG"
	t1=$EPOCHREALTIME
	boot
fi

[ "$KEEP" = 1 ] || rm -rf "$STAGE"

judge "$LOG" "$qemu_status" "$TIMEOUT"
