#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The fault sweep of `make check-debug` (sourced by debug/guest-entry.sh,
# needs a kernel with FAILSLAB, FAIL_PAGE_ALLOC and their debugfs files).
#
# For each operation of the table below, for N = 1, 2, ...: the N-th call
# of the operation's system call to a fault-injection point (a slab or a
# page allocation) fails, through /proc/thread-self/fail-nth in the
# helper failnth (failnth.c), which sets it for its own task only.  Until
# an N passes the whole call with no failure injected, each injected
# failure must leave:
#   - -ENOMEM (the call's errno, or the test driver's "err -12");
#   - configfs, cmafw's sysfs, /proc/iomem and the map exactly as before
#     (alloc_fail, which counts failed allocations, left out);
#   - no kernel report in the log;
#   - a retry without injection that succeeds (then undone).
# An injected failure that the operation absorbs (it succeeds anyway) is
# counted apart and must behave as a clean run.  Each operation then says
# how many injection points it went through: calls failed, and distinct
# call stacks among them (FAULT_INJECTION's verbose=2 stack dumps).
#
# A table line is NAME|SETUP|CALL|UNDO|CLEANUP: SETUP, UNDO and CLEANUP
# are shell commands, CALL is failnth's arguments; UNDO reverts a
# successful CALL to the state SETUP made, and may use $FS_ANSWER, CALL's
# output line; CLEANUP leaves no trace for the next line.
# shellcheck disable=SC2016 # the table's commands expand when they run

FS_BIN=${CMAFW_SELFTESTS:-/selftests}/cmafw/fault/failnth
FS_DBG=/sys/kernel/debug
FS_CFS=/sys/kernel/config/cmafw
FS_R=$FS_CFS/regions
# More calls than this in one operation means the sweep is lost.
FS_MAX=${CMAFW_FAULT_MAX:-3000}
# CMAFW_FAULT_ONLY: an extended regular expression; only the operations
# whose name matches it run (all when unset).
# kmemleak's own bookkeeping may be what fails; it says so, and copes.
FS_BENIGN='kmemleak: Cannot allocate a scan area'
FS_REPORTS='WARNING:|BUG:|BUG [A-Za-z0-9_.:-]+ \(|kernel BUG at|Oops|general protection|KASAN|UBSAN|kmemleak|possible recursive locking|circular locking|inconsistent lock state|INFO: task'

# Where fs_wr and fs_ctl note a refusal, from a subshell too: fs_sweep
# reads it after a line's SETUP.
FS_SETUP_LOG=$(mktemp)

# fs_wr FILE VALUE: a write that must succeed.
fs_wr() {
	t_r=$(wr "$1" "$2")
	[ "$t_r" = ok ] && return
	echo "# fault-sweep: setup: $2 > $1: $t_r"
	echo "$2 > $1: $t_r" >>"$FS_SETUP_LOG"
	return 1
}

# fs_region NAME SIZE START: a configured, inactive configfs region.
fs_region() {
	if ! mkdir "$FS_R/$1"; then
		echo "mkdir $FS_R/$1 failed" >>"$FS_SETUP_LOG"
		return 1
	fi
	fs_wr "$FS_R/$1/size" "$2" && fs_wr "$FS_R/$1/start" "$3"
}

# fs_ctl COMMAND: a test-driver command that must succeed; its answer.
fs_ctl() {
	t_r=$(ctl "$@")
	echo "$t_r"
	case $t_r in
	ok*) ;;
	*)
		echo "# fault-sweep: setup: $*: $t_r" >&2
		echo "$*: $t_r" >>"$FS_SETUP_LOG"
		return 1
		;;
	esac
}

# fs_free_answer: free the chunk whose address FS_ANSWER holds.
fs_free_answer() {
	fs_ctl free "$(addr_of "${FS_ANSWER#* * }")" >/dev/null
}

# fs_fill REGION N: N chunks of a page from REGION, first fit.
fs_fill() {
	fs_k=$2
	while [ "$fs_k" -gt 0 ]; do
		fs_ctl region_alloc "$1" 4K 0 >/dev/null
		fs_k=$((fs_k - 1))
	done
}

# Region p for the allocation calls, and a map that sends every device
# there.
# index=1: every chunk through the index, and a fresh region's first
# chunk through its build (kernel/index_build.c), so that their
# allocations are swept too.
fs_load() {
	load_cmafw index=1 'regions=p=1M@0x30000000' 'map=*=p' && load_test
}

# The state an injected failure must leave alone, in two processes (the
# sweep runs it thousands of times): what configfs and sysfs show, the
# map included, and /proc/iomem.  Not the statistics alloc_success,
# alloc_fail and release_success, which count calls.
fs_state() {
	grep -r . $FS_CFS /sys/kernel/cmafw /proc/iomem 2>&1 |
		grep -Ev '/(alloc_success|alloc_fail|release_success):'
}

# fs_kmsg: kernel log lines since fs_mark, without their timestamps.
fs_kmsg() {
	dmesg | tail -n +$((fs_mark + 1)) | sed 's/^\[[^]]*\] //'
}

# fs_stacks: the number of distinct call stacks of the injected failures
# in fs_kmsg, of distinct innermost cmafw frames among them, and of
# injections with no module frame on the stack (the filter's leaks).
fs_stacks() {
	fs_kmsg | awk '
	/FAULT_INJECTION: forcing a failure/ { inj = 1; st = ""; cm = ""; next }
	inj && /Call Trace:/ { tr = 1; next }
	inj && tr && /<\/TASK>/ {
		stacks[st] = 1
		if (cm != "") sites[cm] = 1
		if (st !~ /\[[a-z_]+\]/) outside++
		inj = tr = 0
		next
	}
	inj && tr {
		f = $0
		sub(/^ */, "", f)
		# Frames the unwinder is unsure of ("? ") vary: leave them out.
		if (f ~ /^(<|\? )/) next
		sub(/\+0x[0-9a-f]+\/0x[0-9a-f]+/, "", f)
		st = st " " f
		if (cm == "" && f ~ /\[cmafw\]/) cm = f
	}
	END {
		for (s in stacks) n++
		for (s in sites) m++
		print n + 0, m + 0, outside + 0
	}'
}

# fs_last_stack: the call stack of the last injected failure.
fs_last_stack() {
	fs_kmsg | awk '
	/FAULT_INJECTION: forcing a failure/ { n = 0; next }
	{ l[++n] = $0 }
	END { for (i = 1; i <= n && i <= 40; i++) print l[i] }' |
		sed -n '/Call Trace:/,/<\/TASK>/p'
}

# fs_last_stack_has FUNCTION: whether it is in that stack.
fs_last_stack_has() {
	fs_last_stack | grep -q " $1+"
}

# fs_sweep NAME SETUP CALL UNDO CLEANUP: one table line.  SETUP may set
# fs_kernel_warns to the WARNING lines' "at FILE" that the kernel itself
# prints for an allocation failure (WARN_ON_ONCE: one per boot).
fs_sweep() {
	fs_kernel_warns=
	: >"$FS_SETUP_LOG"
	eval "$2"
	if [ -s "$FS_SETUP_LOG" ]; then
		# Swept from elsewhere, the line would prove nothing.
		not_ok "$1: its setup failed: $(head -n 1 "$FS_SETUP_LOG")"
		eval "$5"
		return
	fi
	fs_mark=$(dmesg | wc -l)
	fs_n=1 fs_points=0 fs_absorbed=0 fs_bad=0 fs_errnos=
	fs_t0=$(date +%s)
	# Every undo restores it, so it holds before every call.
	fs_before=$(fs_state)
	while [ $fs_n -le "$FS_MAX" ]; do
		[ $((fs_n % 50)) -ne 0 ] || echo "# $1: call $fs_n"
		FS_ANSWER=$(eval "\"$FS_BIN\" $fs_n $3")
		# shellcheck disable=SC2086 # the answer's words
		set -- "$1" "$2" "$3" "$4" "$5" $FS_ANSWER
		fs_ret=$6 fs_inj=$7
		fs_err=$fs_ret
		[ "$fs_ret" != 0 ] || [ "${8:-}" != err ] || fs_err=${9:-}
		if [ "$fs_inj" != 1 ]; then
			# The whole call went by with no failure injected.
			if [ "$fs_err" = 0 ]; then
				eval "$4"
			else
				not_ok "$1: a run with no failure injected fails: $FS_ANSWER"
				fs_bad=$((fs_bad + 1))
			fi
			break
		fi
		fs_points=$((fs_points + 1))
		if [ "$fs_err" = 0 ]; then
			# Absorbed: the operation succeeded all the same.
			fs_absorbed=$((fs_absorbed + 1))
			eval "$4"
			fs_n=$((fs_n + 1))
			continue
		fi
		case " $fs_errnos " in *" $fs_err "*) ;; *) fs_errnos="$fs_errnos $fs_err" ;; esac
		if [ "$fs_err" = "-$EBUSY" ] && fs_last_stack_has __request_region; then
			# __request_region() returns NULL for its failed
			# allocation as for a busy range: -EBUSY, as from
			# every driver whose request_mem_region() fails.
			:
		elif [ "$fs_err" = "-$EEXIST" ] &&
			fs_last_stack_has register_memory_resource; then
			# So does add_memory_driver_managed(), as -EEXIST.
			:
		elif [ "$fs_err" = "-$EINVAL" ] && fs_last_stack_has online_pages; then
			# The kernel adds hot-plugged memory even when it
			# cannot online it, and drops that errno: cmafw sees
			# memory that is not movable, as with the wrong
			# hotplug policy, and refuses it as such.
			:
		elif [ "$fs_err" != "-$ENOMEM" ]; then
			not_ok "$1: call $fs_n failed with $fs_err, not -ENOMEM: $FS_ANSWER"
			fs_last_stack | sed 's/^/#   /'
			fs_bad=$((fs_bad + 1))
		fi
		fs_after=$(fs_state)
		if [ "$fs_after" != "$fs_before" ]; then
			not_ok "$1: call $fs_n failed with $fs_err and changed the state"
			diff_states "$fs_before" "$fs_after"
			fs_bad=$((fs_bad + 1))
		fi
		FS_ANSWER=$(eval "\"$FS_BIN\" 0 $3")
		# shellcheck disable=SC2086
		set -- "$1" "$2" "$3" "$4" "$5" $FS_ANSWER
		if [ "$6" = 0 ] && [ "${8:-}" != err ]; then
			eval "$4"
		else
			not_ok "$1: the retry after call $fs_n failed: $FS_ANSWER"
			fs_bad=$((fs_bad + 1))
			break
		fi
		fs_n=$((fs_n + 1))
	done
	fs_after=$(fs_state)
	if [ "$fs_after" != "$fs_before" ]; then
		not_ok "$1: the last call, undone, left the state changed"
		diff_states "$fs_before" "$fs_after"
		fs_bad=$((fs_bad + 1))
	fi
	[ $fs_n -le "$FS_MAX" ] || {
		not_ok "$1: still failing after $FS_MAX injected failures"
		fs_bad=$((fs_bad + 1))
	}
	eval "$5"
	fs_rep=$(fs_kmsg | grep -E "$FS_REPORTS" | grep -vE "$FS_BENIGN")
	if [ -n "$fs_kernel_warns" ] && [ -n "$fs_rep" ]; then
		t_w=$(echo "$fs_rep" | grep -E "^WARNING: .* at ($fs_kernel_warns)")
		if [ -n "$t_w" ]; then
			echo "# $1: the kernel's own warning on the injected failure: $t_w"
			# For the harness's judge of the whole log.
			echo "$t_w" | sed 's/.* at \([^ ]*\) .*/# expect-warn 1 \1/'
			fs_rep=$(echo "$fs_rep" | grep -vF "$t_w")
		fi
	fi
	if [ -n "$fs_rep" ]; then
		not_ok "$1: no kernel report while injecting"
		echo "$fs_rep" | head -n 20 | sed 's/^/#   /'
		fs_bad=$((fs_bad + 1))
	fi
	# shellcheck disable=SC2046 # three numbers
	set -- "$1" $(fs_stacks)
	if [ "$4" != 0 ]; then
		not_ok "$1: $4 injected failure(s) with no module code on the stack"
		fs_bad=$((fs_bad + 1))
	fi
	fs_line="$fs_points injection points ($2 distinct stacks, $3 distinct cmafw call sites), $fs_absorbed absorbed, errnos:${fs_errnos:- none}, $(($(date +%s) - fs_t0)) s"
	FS_SUMMARY="$FS_SUMMARY
#   $(printf '%-26s %s' "$1" "$fs_line")"
	# Every operation of the table allocates (a write at least its page
	# of buffer): none injected means the injection missed it.
	if [ $fs_bad -eq 0 ] && [ "$fs_points" -gt 0 ]; then
		ok "$1: every injected failure refused cleanly: $fs_line"
	elif [ $fs_bad -eq 0 ]; then
		not_ok "$1: no failure was injected at all: the sweep does not reach it"
	fi
}

# diff_states BEFORE AFTER: the lines that differ, as TAP comments.
diff_states() {
	printf '%s\n' "$1" >/tmp/fs.before
	printf '%s\n' "$2" >/tmp/fs.after
	diff /tmp/fs.before /tmp/fs.after | head -n 20 | sed 's/^/#   /'
}

# fs_module_area: "START END", the addresses of module code: from the
# end of the kernel image (kallsyms' _end) to x86-64's MODULES_END.
fs_module_area() {
	t_end=$(awk '$3 == "_end" { print $1; exit }' /proc/kallsyms)
	echo "0x$t_end 0xffffffffff000000"
}

# fs_spare FIRST LAST | -: no failure is injected into allocations made
# with code from the function FIRST to the end of the function LAST on
# the stack (reject-start/reject-end, from kallsyms), or, with -, only
# into those of SLUB's sysfs_slab_add(): when kobject_init_and_add() or
# sysfs_create_group() fails there, 6.12 returns without kobject_put()
# and leaks the kobject's name (mm/slub.c), which kmemleak reports after
# the sweep.  kmem_cache_create() reaches it for the hole allocators'
# node cache (kernel/alloc_holes.c); the failure of the cache's creation
# itself is still swept.  The
# lend sweep spares x86-64's page-table builders for hot-added memory,
# phys_pte_init() to __kernel_physical_mapping_init(): their pages come
# from alloc_low_page(), after boot a GFP_ATOMIC __get_free_pages() (a
# tail call, so its own frame is not on the stack), and phys_pud_init()
# dereferences its NULL.
fs_spare() {
	[ "$1" != - ] || set -- sysfs_slab_add sysfs_slab_add
	t_range=$(sort /proc/kallsyms | awk -v f="$1" -v l="$2" '
		$3 == f { a = $1 }
		last { print "0x" a, "0x" $1; exit }
		$3 == l { last = 1 }')
	[ -n "$t_range" ] || t_range="0 0"
	# shellcheck disable=SC2086 # two addresses
	set -- $t_range
	for a in failslab fail_page_alloc; do
		echo "$1" >$FS_DBG/$a/reject-start
		echo "$2" >$FS_DBG/$a/reject-end
	done
}

# fs_inject_setup: failslab and fail_page_alloc fail any call, GFP_KERNEL
# and order 0 included, but only when fail-nth says so (probability 0,
# task-filter on: nothing else in the system ever fails), and only when
# module code is on the stack (require-start/require-end): what cmafw, its
# test driver and configfs.ko ask for, and what the kernel does on their
# behalf, but not the VFS's path lookup or the module loader's own work
# around cmafw's init.  Each injection dumps its stack into the log,
# unthrottled.
fs_inject_setup() {
	# shellcheck disable=SC2046 # two addresses
	set -- $(fs_module_area)
	for a in failslab fail_page_alloc; do
		for kv in probability=0 task-filter=Y times=-1 space=0 interval=1 \
			verbose=2 verbose_ratelimit_interval_ms=0 ignore-gfp-wait=N \
			stacktrace-depth=64 require-start="$1" require-end="$2"; do
			echo "${kv#*=}" >"$FS_DBG/$a/${kv%%=*}" ||
				not_ok "fault injection: set $a/${kv%%=*}"
		done
	done
	expect_eq "injection is limited to module code, from the kernel's end" \
		"$(cat $FS_DBG/failslab/require-start)" "$1"
	check_not "the kernel's end is known (kallsyms not hidden)" \
		[ "$1" = 0x0000000000000000 ]
	echo N >$FS_DBG/fail_page_alloc/ignore-gfp-highmem
	echo 0 >$FS_DBG/fail_page_alloc/min-order
}

section "fault sweep: the N-th allocation fails"
if [ ! -d $FS_DBG/failslab ] || [ ! -d $FS_DBG/fail_page_alloc ] ||
	[ ! -w /proc/thread-self/fail-nth ] || [ ! -x "$FS_BIN" ]; then
	not_ok "fault injection is there (failslab, fail_page_alloc, fail-nth, $FS_BIN)"
else
	fs_inject_setup
	fs_spare -
	FS_SUMMARY=
	unload_all
	fs_load
	fs_ctl alloc fdev - 4K 0 >/dev/null
	fs_ctl free 0x30000000 >/dev/null
	while IFS='|' read -r t_name t_setup t_call t_undo t_cleanup; do
		case $t_name in '' | '#'*) continue ;; esac
		if [ -n "${CMAFW_FAULT_ONLY:-}" ]; then
			echo "$t_name" | grep -qE "$CMAFW_FAULT_ONLY" || continue
		fi
		fs_sweep "$t_name" "$t_setup" "$t_call" "$t_undo" "$t_cleanup"
	done <<'EOF'
# configfs
mkdir|:|mkdir $FS_R/f|rmdir $FS_R/f|:
size store|mkdir $FS_R/f; fs_wr $FS_R/f/size 4K|write $FS_R/f/size 2M|fs_wr $FS_R/f/size 4K|rmdir $FS_R/f
start store|mkdir $FS_R/f|write $FS_R/f/start 0x22000000|fs_wr $FS_R/f/start 0|rmdir $FS_R/f
alignment store|mkdir $FS_R/f|write $FS_R/f/alignment 1M|fs_wr $FS_R/f/alignment 0|rmdir $FS_R/f
allocator store|mkdir $FS_R/f|write $FS_R/f/allocator bestfit|fs_wr $FS_R/f/allocator bitmap|rmdir $FS_R/f
activation|fs_region f 2M 0x22000000|write $FS_R/f/active 1|fs_wr $FS_R/f/active 0|rmdir $FS_R/f
deactivation|fs_region f 2M 0x22000000; fs_wr $FS_R/f/active 1|write $FS_R/f/active 0|fs_wr $FS_R/f/active 1|rmdir $FS_R/f
map store|fs_map=$(cat $FS_CFS/map)|write $FS_CFS/map 'vid*,cam=p;*=p'|fs_wr $FS_CFS/map "${fs_map:-\\n}"|:
rmdir|fs_region f 2M 0x22000000; fs_wr $FS_R/f/active 1|rmdir $FS_R/f|fs_region f 2M 0x22000000; fs_wr $FS_R/f/active 1|rmdir $FS_R/f
# the allocation API, through the test driver
cma_alloc|:|ctl $CTL 'alloc fdev - 4K 0'|fs_free_answer|:
cma_alloc_from|:|ctl $CTL 'from p 4K 0'|fs_free_answer|:
cma_alloc_from (configfs)|fs_region f 2M 0x22000000; fs_wr $FS_R/f/active 1|ctl $CTL 'from f 4K 0'|fs_free_answer|rmdir $FS_R/f
cma_alloc_from_region|fs_ctl register fr fr 0x22000000 2M 0 - >/dev/null|ctl $CTL 'region_alloc fr 4K 0'|fs_free_answer|fs_ctl unregister fr >/dev/null
# a fresh region of 16 MiB: its first chunk's index build needs a group's
# record (a block gets one only once 16 chunks gather there); a failed
# build leaves the chunk right under the region, absorbed
index build|fs_ctl register fb fb 0x22000000 16M 0 - >/dev/null|ctl $CTL 'region_alloc fb 4K 0'|fs_free_answer|fs_ctl unregister fb >/dev/null
# the 16th chunk of a block: its record, slid under the 15 loose ones
# (kernel/index_gather.c); a failed record leaves them loose, absorbed.
# UNDO frees 5, which drops the record again (below 12), and takes 4
# back, first fit at the same pages
block gather|fs_ctl register fg fg 0x22000000 16M 0 - >/dev/null; fs_fill fg 15|ctl $CTL 'region_alloc fg 4K 0'|fs_free_answer; give_pages 0x22000000 11 14 && fs_fill fg 4|give_pages 0x22000000 0 14; fs_ctl unregister fg >/dev/null
cma_free|fs_chunk=$(addr_of "$(fs_ctl from p 4K 0)")|ctl $CTL "free $fs_chunk"|fs_chunk=$(addr_of "$(fs_ctl from p 4K 0)")|fs_ctl free "$fs_chunk" >/dev/null
# drivers' regions
region register|:|ctl $CTL 'register fr fr 0x22000000 2M 0 bestfit'|fs_ctl unregister fr >/dev/null|:
region unregister|fs_ctl register fr fr 0x22000000 2M 0 - >/dev/null|ctl $CTL 'unregister fr'|fs_ctl register fr fr 0x22000000 2M 0 - >/dev/null|fs_ctl unregister fr >/dev/null
# a dma-buf from the region's heap (the buffer is closed after the call)
heap allocation|:|heap /dev/dma_heap/cmafw-p 64K|:|:
# lend mode: one 128 MiB memory block of the guest's lend window; x86's
# add_pages() warns once when __add_pages() fails, as it does on -ENOMEM
lend activation|fs_region l 128M 0x40000000; fs_wr $FS_R/l/mode lend; fs_spare phys_pte_init __kernel_physical_mapping_init; fs_kernel_warns='arch/x86/mm/init_64.c:[0-9]+ add_pages'|write $FS_R/l/active 1|fs_wr $FS_R/l/active 0|rmdir $FS_R/l; fs_spare -
# module load with regions= and map=
module load|unload_all|insmod $MODDIR/cmafw.ko 'regions=pa=1M@0x30000000;pb=2M@0x30200000/1M:bestfit map=vid*=pa;*=pb'|rmmod cmafw|fs_load
EOF
	echo "# fault sweep: injection points per operation (calls failed, of them distinct stacks and cmafw call sites)$FS_SUMMARY"
	unload_all
fi
