#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Lend mode, on the guest's lend window (CMAFW_LEND_WIN in lib.sh:
# memmap=256M$0x40000000 on x86, what mem=768M leaves out at 0x70000000 on
# arm64; booted with memhp_default_state=online_movable): shapes refused
# with nothing left behind, the zone policy refused, the kernel's use of
# the memory (MemTotal, the Movable zone, /proc/iomem), chunks under
# memory pressure with both allocators (zeroed, data intact), a pinned
# page, concurrency, and unloading with a lend region from the regions=
# parameter.

section "lend mode"
# index=1: the index from the first chunk (kernel/index_build.c), so that
# a few chunks show its lines under the borrowed RAM.
load_cmafw index=1 && load_test
LC=/sys/kernel/config/cmafw/regions
LS=/sys/kernel/cmafw/regions
LA=$LC/lenda
LB=$LC/lendb
L_WIN=$CMAFW_LEND_WIN
L_WIN2=$(printf '0x%x' $((L_WIN + 0x8000000)))
# hex as /proc/iomem prints it, of an expression
l_hex() { printf '%08x' $(($1)); }
L_A0=$(l_hex L_WIN) L_A1=$(l_hex "L_WIN + 0x7ffffff")
L_B0=$(l_hex L_WIN2) L_B1=$(l_hex "L_WIN2 + 0x7ffffff")
L_D=$CMAFW_LEND_DEPTH
# Where the firmware describes no RAM the kernel lacks: x86's PCI hole;
# on arm64 past the end of the guest's 1280 MiB.
case $(uname -m) in
aarch64) L_NOT_RAM=0x90000000 ;;
*) L_NOT_RAM=0x60000000 ;;
esac
L_AUTO=/sys/devices/system/memory/auto_online_blocks

l_memtotal() { awk '/^MemTotal:/ { print $2 }' /proc/meminfo; }
# The Movable zone's FIELD ("present", "managed", "free") in pages;
# nothing if /proc/zoneinfo has no such line (it lists every zone's
# fields, populated or not).
l_movable() {
	awk -v f="$1" '/^Node/ { z = $4 }
		z == "Movable" && ($1 == f || ($1 == "pages" && $2 == f)) { print $NF; exit }' \
		/proc/zoneinfo
}
l_blocks() { grep -l online /sys/devices/system/memory/memory*/state | wc -l; }
# l_kpf ADDR: the /proc/kpageflags word of ADDR's page, in hex.
l_kpf() {
	dd if=/proc/kpageflags bs=8 skip=$(($1 >> 12)) count=1 2>/dev/null |
		od -An -tx8 | tr -d ' '
}
# l_kpf_bit ADDR BIT: that flag of ADDR's page (KPF_BUDDY 10, KPF_OFFLINE
# 23), or "?" when /proc/kpageflags cannot be read.
l_kpf_bit() {
	l_k=$(l_kpf "$1")
	if [ -n "$l_k" ]; then echo $(((0x$l_k >> $2) & 1)); else echo '?'; fi
}
# l_block_state ADDR: the state of ADDR's 128 MiB memory block.
l_block_state() { cat /sys/devices/system/memory/memory$(($1 >> 27))/state; }
# l_cfg DIR SIZE START ALLOCATOR: a lend region in the making.
l_cfg() {
	mkdir -p "$1" && echo "$2" >"$1/size" && echo "$3" >"$1/start" &&
		echo "$4" >"$1/allocator" && echo lend >"$1/mode"
}
# l_nothing_left: no trace of a lend region in iomem, memory or sysfs.
l_nothing_left() {
	! grep -q 'cmafw:lend' /proc/iomem && [ "$(l_memtotal)" = "$l_mt0" ] &&
		[ "$(l_blocks)" = "$l_bl0" ] && [ ! -e "$LS"/lenda ]
}

l_mt0=$(l_memtotal)
l_bl0=$(l_blocks)
l_bs=$(($(printf '%d' 0x"$(cat /sys/devices/system/memory/block_size_bytes)") >> 20))
expect_eq "the guest's memory blocks are 128 MiB" "$l_bs" 128
expect_eq "the boot left the Movable zone empty" "$(l_movable present)" 0

# --- shapes
check "a lend region in the making" l_cfg $LA 64M "$L_WIN" bitmap
expect_eq "its mode reads lend" "$(cat $LA/mode)" lend
expect_eq "mode refuses other words" "$(wr $LA/mode 'borrow')" "$EINVAL_T"
# l_shape SIZE START WHAT: activation is refused with one line naming
# the block size, and nothing is left behind.
l_shape() {
	echo "$1" >$LA/size
	echo "$2" >$LA/start
	log_mark
	expect_eq "$3: activation refused" "$(wr $LA/active 1)" "$EINVAL_T"
	check "$3: one line names the 128 MiB block size" log_since "lenda: lend .*128 MiB"
	check "$3: nothing left behind" l_nothing_left
}
l_shape 64M "$L_WIN" "part of a block"
l_shape 128M "$(printf '0x%x' $((L_WIN + 0x4000000)))" "a start inside a block"
l_shape 128M "$CMAFW_SYSRAM" "a block of boot RAM"
l_shape 128M $L_NOT_RAM "a block the firmware did not reserve"
# Past mem=, a reserved-memory node leaves nothing in /proc/iomem: the
# device tree itself must keep lend mode off its block.
if [ "$(uname -m)" = aarch64 ]; then
	echo 0x88000000 >$LA/start
	log_mark
	expect_eq "a block past mem= with a reserved-memory node: refused" \
		"$(wr $LA/active 1)" "$EINVAL_T"
	check "...one line names the node" \
		log_since "lenda: lend mode cannot take .*reserves part of it (/reserved-memory/secure@88000000)"
	check "...nothing left behind" l_nothing_left
	echo 0x80000000 >$LA/start
	expect_eq "the block below it, also past mem=, activates" "$(wr $LA/active 1)" ok
	expect_eq "...and deactivates" "$(wr $LA/active 0)" ok
fi

# --- the zone policy: blocks that would not be movable are refused
echo 128M >$LA/size
echo "$L_WIN" >$LA/start
for l_pol in online offline; do
	echo $l_pol >$L_AUTO
	log_mark
	expect_eq "auto_online_blocks=$l_pol: activation refused" \
		"$(wr $LA/active 1)" "$EINVAL_T"
	check "auto_online_blocks=$l_pol: the line says how to boot" \
		log_since "lenda: .*not booted with memhp_default_state=online_movable"
	check "auto_online_blocks=$l_pol: nothing left behind" l_nothing_left
done
echo online_movable >$L_AUTO

# --- activation holds up no other region: while the kernel onlines
# lenda's memory, held there by the test driver (test_online.c), lenda is
# not registered yet, keeps its name and range from other registrations,
# and the other regions serve and come and go.
l_tmp=$TMPDIR/lend-act
l_onlining() {
	[ "$(ctl online_held)" = "ok 1" ]
}
expect_eq "the test driver holds the onlining of lenda's block" \
	"$(ctl hold_online "$L_WIN")" ok
rm -f "$l_tmp"
(wr $LA/active 1 >"$l_tmp.w"; mv "$l_tmp.w" "$l_tmp") &
check "activation waits in the onlining" wait_until 300 l_onlining
check "...lenda is not in sysfs yet" test ! -e $LS/lenda
expect_eq "...nor does it serve" "$(ctl from lenda 4K 0)" "err -$ENOENT"
l_out=$(ctl register act act "$CMAFW_WIN_A" 1M 0 -)
expect_eq "another region registers meanwhile" "${l_out%% *}" ok
l_c=$(addr_of "$(ctl from act 4K 0)")
expect_eq "...serves a chunk" "$l_c" "$(hex "$CMAFW_WIN_A")"
ctl free "$l_c" >/dev/null
expect_eq "...and goes" "$(ctl unregister act)" ok
expect_eq "a region named lenda is refused (EEXIST)" \
	"$(ctl register dup lenda "$CMAFW_WIN_A" 1M 0 -)" "err -$EEXIST"
expect_eq "a region overlapping lenda's range is refused (EADDRINUSE)" \
	"$(ctl register ov ov "$(hex "$L_WIN + 0x100000")" 1M 0 -)" \
	"err -$EADDRINUSE"
check "the activation still waits" test ! -e "$l_tmp"
expect_eq "the test driver lets the onlining go" "$(ctl online_go)" ok
wait
expect_eq "...and lenda activates" "$(cat "$l_tmp")" ok
expect_eq "...in sysfs, serving" \
	"$(cat $LS/lenda/chunks) $(ctl from lenda 256M 0)" "0 err -$ENOMEM"
expect_eq "it deactivates again" "$(wr $LA/active 0)" ok
check "...leaving nothing behind" l_nothing_left
rm -f "$l_tmp"

# --- activation: the kernel uses the memory
check "a second lend region, bestfit" l_cfg $LB 128M "$L_WIN2" bestfit
expect_eq "both activate" "$(wr $LA/active 1)$(wr $LB/active 1)" okok
expect_eq "MemTotal grows by 256 MiB" $(($(l_memtotal) - l_mt0)) 262144
expect_eq "the Movable zone holds the 65536 pages" "$(l_movable present)" 65536
check "/proc/iomem: the region's line" iomem_has "$L_A0" "$L_A1" cmafw:lenda "$L_D"
check "/proc/iomem: the borrowed RAM under the region" \
	iomem_has "$L_A0" "$L_A1" "System RAM (cmafw:lenda)" $((L_D + 1))
check "/proc/iomem: the same for lendb" \
	iomem_has "$L_B0" "$L_B1" "System RAM (cmafw:lendb)" $((L_D + 1))
expect_eq "sysfs: mode and bytes lent" \
	"$(cat $LS/lenda/mode) $(cat $LS/lenda/lent) $(cat $LS/lenda/reclaims)" \
	"lend 134217728 0"
expect_eq "mode is refused while active" "$(wr $LA/mode carve)" "$EBUSY_T"
check_not "rmdir is refused while lent" rmdir $LA

# --- pressure: tmpfs files and an anonymous buffer, most in the region
l_fs=/tmp/lend
mkdir -p $l_fs
for l_i in 1 2 3 4; do
	head -c $((8 * 1048576)) /dev/urandom >$l_fs/f$l_i
done
head -c $((16 * 1048576)) /dev/urandom >$l_fs/anon.src
(cd $l_fs && md5sum f1 f2 f3 f4 >sums)
# dd holds 16 MiB of anonymous memory until the last byte arrives.
rm -f /tmp/lend.fifo
mkfifo /tmp/lend.fifo
dd if=/tmp/lend.fifo of=$l_fs/anon.out bs=16M count=1 iflag=fullblock 2>/dev/null &
l_dd=$!
exec 4>/tmp/lend.fifo
head -c $((16 * 1048576 - 1)) $l_fs/anon.src >&4
l_used=$(ctl inuse "$L_WIN" 256M)
l_used=${l_used#ok }
echo "# pages the kernel placed in the lend window: $l_used"
check "the kernel placed over 8 MiB in the lend window" test "$l_used" -gt 2048
l_used64=$(ctl inuse "$L_WIN" 64M)
l_used64=${l_used64#ok }
check "...some of it in the first 64 MiB" test "${l_used64:-0}" -gt 0

# l_chunks REGION: a 64 MiB chunk and 24 small ones, each zeroed.
l_chunks() {
	l_list=
	l_big=$(addr_of "$(ctl from "$1" 64M 0)")
	case $l_big in 0x*) l_list=$l_big ;; esac
	expect_eq "$1: a 64 MiB chunk" "${l_big%%[!0x]*}" 0x
	for l_sz in 4K 12K 64K 200K 1M 2M 3M 8K 16K 128K 512K 4K \
		36K 20K 1M 64K 4K 8K 256K 2M 4K 96K 8K 40K; do
		l_a=$(addr_of "$(ctl from "$1" $l_sz 0)")
		case $l_a in 0x*) l_list="$l_list $l_a:$l_sz" ;; *) break ;; esac
	done
	expect_eq "$1: 24 small chunks" "$(echo "$l_list" | wc -w)" 25
	l_nz=0
	for l_c in $l_big:64M $l_list; do
		case $l_c in *:*) ;; *) continue ;; esac
		l_n=$(ctl nonzero "${l_c%:*}" "${l_c#*:}")
		[ "$l_n" = "ok 0" ] || l_nz=$((l_nz + 1))
	done
	expect_eq "$1: every chunk reads back zero" "$l_nz" 0
}
l_chunks lenda
l_lista=$l_list
# A taken page stays an ordinary allocated page: no page type (KPF_OFFLINE,
# bit 23 of /proc/kpageflags) hides it from /proc/kcore, hibernation or
# vm_insert_page().  Offlining its block behind cmafw's back is refused
# by the notifier, before the kernel migrates anything.
expect_eq "a taken page is not PageOffline (kpageflags 0x$(l_kpf "$l_big"))" \
	"$(l_kpf_bit "$l_big" 23)" 0
l_mb=/sys/devices/system/memory/memory$((l_big >> 27))/state
expect_eq "offlining its memory block from sysfs is refused" \
	"$(wr "$l_mb" offline)" "$EPERM_T"
expect_eq "...the block stays online" "$(cat "$l_mb")" online
expect_eq "...and the chunk holds its zeros" "$(ctl nonzero "$l_big" 64M)" "ok 0"
# Small chunks hang under index lines, under the borrowed RAM's line: a
# group's (32 blocks of 1 MiB); a block's comes inside it once 16 chunks
# gather there (below).
L_RAMLINE="$(printf "%$(((L_D + 1) * 2))s" "")$L_A0-$L_A1 : System RAM (cmafw:lenda)"
# shellcheck disable=SC2016 # an awk program
check "/proc/iomem: index lines under System RAM (cmafw:lenda)" awk -v ram="$L_RAMLINE" '
	function depth(l) { match(l, /^ */); return RLENGTH }
	$0 == ram { on = 1; d = depth($0); next }
	on && depth($0) <= d { on = 0 }
	on && depth($0) == d + 2 && / : cmafw:lenda#[0-9]+-[0-9]+$/ { grp = 1; next }
	on && grp && depth($0) == d + 4 { found = 1 }
	END { exit !found }' /proc/iomem
# 96 more chunks of 4 KiB: at least 56 of them share a block, which gets
# its line and turns dense; its quarters' lines nest in its own, under the
# borrowed RAM.
l_crowd=
l_i=96
while [ $l_i -gt 0 ]; do
	l_a=$(addr_of "$(ctl from lenda 4K 0)")
	case $l_a in 0x*) l_crowd="$l_crowd $l_a" ;; *) break ;; esac
	l_i=$((l_i - 1))
done
expect_eq "lenda: 96 chunks of 4 KiB" "$(echo "$l_crowd" | wc -w)" 96
check "lenda: a crowded block has sub-blocks" \
	test "$(iomem_sub_blocks lenda)" -gt 0
# shellcheck disable=SC2016 # an awk program
check "/proc/iomem: they nest under System RAM (cmafw:lenda)" awk -v ram="$L_RAMLINE" '
	function depth(l) { match(l, /^ */); return RLENGTH }
	$0 == ram { on = 1; d = depth($0); next }
	on && depth($0) <= d { on = 0 }
	on && / : cmafw:lenda#[0-9]+$/ {
		if (name[depth($0) - 2] == $NF) found = 1
		name[depth($0)] = $NF
	}
	END { exit !found }' /proc/iomem
l_nf=0
for l_a in $l_crowd; do
	[ "$(ctl free "$l_a")" = ok ] || l_nf=$((l_nf + 1))
done
expect_eq "lenda: the 96 free" "$l_nf" 0
expect_eq "lenda: and the sub-blocks go" "$(iomem_sub_blocks lenda)" 0
l_chunks lendb
l_listb=$l_list
expect_eq "lenda: reclaims counted, none failed" \
	"$(($(cat $LS/lenda/reclaims) > 0)) $(cat $LS/lenda/reclaim_failures)" "1 0"
check "lenda: less is lent now" test "$(cat $LS/lenda/lent)" -lt 134217728
echo "# lenda: reclaimed $(cat $LS/lenda/reclaimed) bytes, p50 $(cat $LS/lenda/reclaim_p50_us) us, p99 $(cat $LS/lenda/reclaim_p99_us) us, retries $(cat $LS/lenda/reclaim_retries)"
check "the tmpfs files are intact" sh -c "cd $l_fs && md5sum -c sums >/dev/null"
tail -c 1 $l_fs/anon.src >&4
exec 4>&-
wait $l_dd
check "the anonymous buffer is intact" cmp -s $l_fs/anon.src $l_fs/anon.out
rm -f /tmp/lend.fifo

# Zeroing is cmafw's: reuse a freed chunk in a pageblock another holds.
l_x=$(addr_of "$(ctl from lenda 64K 0)")
l_y=$(addr_of "$(ctl from lenda 64K 0)")
ctl fill "$l_x" 64K 0xa5 >/dev/null
expect_eq "a chunk filled with 0xa5 reads non-zero" "$(ctl nonzero "$l_x" 64K)" "ok 16"
ctl free "$l_x" >/dev/null
expect_eq "allocated again in the same place" "$(addr_of "$(ctl from lenda 64K 0)")" "$l_x"
expect_eq "...it reads back zero" "$(ctl nonzero "$l_x" 64K)" "ok 0"
ctl free "$l_x" >/dev/null
ctl free "$l_y" >/dev/null

# Freeing gives the memory back: over 2 x 64 MiB come free in Movable.
l_mf0=$(l_movable free)
for l_c in $l_lista $l_listb; do
	ctl free "${l_c%:*}" >/dev/null
done
expect_eq "all freed: everything lent again" \
	"$(cat $LS/lenda/chunks) $(cat $LS/lenda/lent) $(cat $LS/lendb/lent)" \
	"0 134217728 134217728"
check "the Movable zone has 128 MiB more free memory than under the chunks" \
	test "$(l_movable free)" -gt $((l_mf0 + 32768))
rm -rf $l_fs

# --- a page the kernel cannot move
expect_eq "the test driver pins the region's first page" "$(ctl pin "$L_WIN")" ok
l_rf=$(cat $LS/lenda/reclaim_failures)
l_p=$(addr_of "$(ctl from lenda 64M 0)")
check "a 64 MiB chunk goes elsewhere ($l_p)" \
	test "$((l_p))" -ge $((L_WIN + 64 * 1048576))
check "the failed placement is counted" \
	test "$(cat $LS/lenda/reclaim_failures)" -gt "$l_rf"
ctl free "$l_p" >/dev/null
log_mark
expect_eq "the whole region cannot be had" "$(ctl from lenda 128M 0)" "err -$ENOMEM"
check "one line says why" log_since "lenda: no room for 134217728 bytes: .* could not be vacated.* could not move"
log_mark
l_rr=$(cat $LS/lenda/reclaim_retries)
expect_eq "deactivation is refused while the page is pinned" \
	"$(wr $LA/active 0)" "$EBUSY_T"
expect_eq "...and its own retries are not counted as a chunk's" \
	"$(cat $LS/lenda/reclaim_retries)" "$l_rr"
l_out=$(sh "${CMAFW_TOOLS:-/tools}/cmaadm/cmaadm" region rm lenda 2>&1)
expect_eq "cmaadm region rm says why, not 'free the chunks'" \
	"$(printf '%s' "$l_out" | grep -c 'cannot give the memory it was lent back yet')" 1
echo "# $l_out" | head -n 1
check "...with a line" log_since "lenda: the kernel cannot give .* back .*stays active"
check "...the region stays in /proc/iomem" \
	iomem_has "$L_A0" "$L_A1" "System RAM (cmafw:lenda)" $((L_D + 1))
l_a=$(addr_of "$(ctl from lenda 4M 0)")
expect_eq "...and serves chunks" "${l_a%%[!0x]*}" 0x
ctl free "$l_a" >/dev/null

# While the kernel gives lenda back, lenda is leaving: it refuses requests
# with EBUSY, and so does its heap; a map goes on to its next region, and
# the other regions serve.  To look at that for as long as it takes, the
# test driver holds the take-back midway: its page in lenda makes
# alloc_contig_range() wait in the driver's migration callback until
# "unhold" (test_hold.c), then refuses to move, as the pinned page does.
# l_held: whether a migration waits on the held page.
l_held() {
	[ "$(ctl held)" = "ok 1" ]
}
l_tmp=$TMPDIR/lend-deact
l_lc=$LC/lc
mkdir $l_lc && wr $l_lc/size 1M >/dev/null && wr $l_lc/start "$CMAFW_WIN_A" >/dev/null
expect_eq "a carve-out region beside them" "$(wr $l_lc/active 1)" ok
expect_eq "sysfs: lenda is not leaving" "$(cat $LS/lenda/leaving)" 0
expect_eq "the test driver holds a page of lenda's against migration" \
	"$(ctl hold $((L_WIN + 4 * 1048576)))" ok
rm -f "$l_tmp"
(wr $LA/active 0 >"$l_tmp.w"; mv "$l_tmp.w" "$l_tmp") &
wait_until 300 l_held
expect_eq "deactivation waits in the take-back, on the held page" \
	"$(ctl held)" "ok 1"
expect_eq "sysfs: lenda is leaving" "$(cat $LS/lenda/leaving)" 1
l_st=$(sh "${CMAFW_TOOLS:-/tools}/cmaadm/cmaadm" status 2>&1)
expect_eq "cmaadm status says it is being taken back" \
	"$(printf '%s\n' "$l_st" | grep -c 'being taken back from the kernel')" 1
l_st=$(sh "${CMAFW_TOOLS:-/tools}/cmaadm/cmaadm" region show lenda 2>&1)
expect_eq "cmaadm region show says its state is leaving" \
	"$(printf '%s\n' "$l_st" | grep -c '^state: *leaving ')" 1
l_st=$(sh "${CMAFW_TOOLS:-/tools}/cmaadm/cmaadm" region rm lenda 2>&1)
expect_eq "cmaadm region rm refuses at once, and says why" "$?: $l_st" \
	"1: cmaadm: cannot remove region 'lenda': another removal is taking its memory back from the kernel; try again once it ends"
l_st=$(sh "${CMAFW_TOOLS:-/tools}/cmaadm/cmaadm" --json status 2>&1)
expect_eq "cmaadm --json status: lenda is leaving, lendb and lc are not" \
	"$(printf '%s\n' "$l_st" | grep -o '"name":"[a-z]*",[^}]*"leaving":[a-z]*' |
		sed 's/"name":"\([a-z]*\)".*"leaving":/\1=/' | grep -E '^(lend[ab]|lc)=' | sort | tr '\n' ' ')" \
	"lc=false lenda=true lendb=false "
expect_eq "lenda refuses a chunk" "$(ctl from lenda 4K 0)" "err -$EBUSY"
l_c=$(addr_of "$(ctl from lc 4K 0)")
expect_eq "lc serves a chunk meanwhile" "$l_c" "$(hex "$CMAFW_WIN_A")"
ctl free "$l_c" >/dev/null
l_map=$(cat "${LC%/regions}/map")
expect_eq "a map that names lenda, then lc" "$(ctl map 'lh=lenda,lc')" ok
l_c=$(alloc lh - 4K 0)
expect_eq "...is served by lc" "$l_c" "$(hex "$CMAFW_WIN_A")"
ctl free "$l_c" >/dev/null
expect_eq "the map as it was" "$(ctl map "$l_map")" ok
l_out=$("${CMAFW_SELFTESTS:-/selftests}/cmafw/heap/heaptest" alloc \
	/dev/dma_heap/cmafw-lenda 4096 2>&1)
expect_eq "lenda's heap fails an allocation with EBUSY" "$l_out" \
	"alloc: $EBUSY_T"
# configfs' live figures answer meanwhile (they do not wait for the
# removal's store to end).
(cat $LA/chunks $LA/used >"$l_tmp.fw"; mv "$l_tmp.fw" "$l_tmp.f") &
wait_until 300 test -e "$l_tmp.f"
expect_eq "configfs: lenda's chunks and used answer meanwhile" \
	"$(tr '\n' ' ' <"$l_tmp.f" 2>&1)" "0 0 "
# configfs serialises a region's stores: a second "echo 0 > active" waits
# for the first, then tries for itself.
(wr $LA/active 0 >"$l_tmp.2w"; mv "$l_tmp.2w" "$l_tmp.2") &
sleep 1
expect_eq "the chunk counts are untouched" \
	"$(cat $LS/lenda/chunks) $(cat $LS/lc/chunks)" "0 0"
check "the deactivation still waits" test ! -e "$l_tmp"
check "...and so does a second one" test ! -e "$l_tmp.2"
# A store waiting there can be killed, as Ctrl-C would.
# l_state: the store's process state (/proc/PID/stat), empty once reaped.
l_state() {
	sed 's/.*) \(.\).*/\1/' "/proc/$l_pid/stat" 2>/dev/null
}
l_waiting() {
	[ "$(l_state)" = D ]
}
l_ended() {
	case $(l_state) in D | S | R) return 1 ;; esac
}
sh -c "echo carve >$LA/mode" 2>/dev/null &
l_pid=$!
check "a mode store waits there too (state D)" wait_until 300 l_waiting
kill -TERM "$l_pid"
if wait_until 300 l_ended; then
	ok "...until a fatal signal ends it"
	wait "$l_pid"
	expect_eq "...which kills it, the mode unchanged" "$? $(cat $LA/mode)" \
		"143 lend"
else
	# Still waiting: reaped by the "wait" for the stores below.
	not_ok "...until a fatal signal ends it"
fi
expect_eq "the test driver lets the take-back go" "$(ctl unhold)" ok
wait
expect_eq "...which fails on the pages that will not move" "$(cat "$l_tmp")" \
	"$EBUSY_T"
expect_eq "...and so does the second" "$(cat "$l_tmp.2")" "$EBUSY_T"
expect_eq "the test driver gives its page back" "$(ctl release)" ok
expect_eq "sysfs: lenda is not leaving any more" "$(cat $LS/lenda/leaving)" 0
expect_eq "lenda serves again" \
	"$(cat $LS/lenda/chunks) $(ctl from lenda 256M 0)" "0 err -$ENOMEM"
l_a=$(addr_of "$(ctl from lenda 4M 0)")
expect_eq "...chunks too" "${l_a%%[!0x]*}" 0x
ctl free "$l_a" >/dev/null
rm -f "$l_tmp" "$l_tmp.2" "$l_tmp.f"
expect_eq "unpinned" "$(ctl unpin "$L_WIN")" ok

# The take-back goes 16 MiB at a time: held at +100 MiB, it has taken the
# six pieces below (lent reads the 32 MiB left); failing there, it gives
# them all back.
expect_eq "the test driver holds a page at +100 MiB" \
	"$(ctl hold $((L_WIN + 100 * 1048576)))" ok
(wr $LA/active 0 >"$l_tmp.w"; mv "$l_tmp.w" "$l_tmp") &
wait_until 300 l_held
expect_eq "the take-back waits there, 96 MiB taken: lent reads the rest" \
	"$(ctl held) $(cat $LS/lenda/leaving) $(cat $LS/lenda/lent)" \
	"ok 1 1 33554432"
expect_eq "the test driver lets it go" "$(ctl unhold)" ok
wait
expect_eq "...it fails on the page that will not move" "$(cat "$l_tmp")" \
	"$EBUSY_T"
expect_eq "the test driver gives its page back" "$(ctl release)" ok
expect_eq "the pieces taken are given back: all of lenda is lent again" \
	"$(cat $LS/lenda/leaving) $(cat $LS/lenda/lent)" "0 134217728"
l_a=$(addr_of "$(ctl from lenda 128M 0)")
expect_eq "...and the whole region can be taken for a chunk" "$l_a" "$L_WIN"
ctl free "$l_a" >/dev/null
rm -f "$l_tmp"

# A chunk's own take-back, held the same way: a heap buffer of lenda's
# waits in the kernel's migration, with lenda's mutex held, while the
# other regions serve.  Let go, the page is refused (it stays until
# "release") and the chunk goes to the allocator's next placement.
# (Through the heap: a ctl command would hold the test driver's command
# mutex, which "unhold" needs.)
l_ht=${CMAFW_SELFTESTS:-/selftests}/cmafw/heap/heaptest
expect_eq "the test driver holds the page 4 MiB into lenda" \
	"$(ctl hold $((L_WIN + 4 * 1048576)))" ok
l_rf=$(cat $LS/lenda/reclaim_failures)
"$l_ht" hold /dev/dma_heap/cmafw-lenda 8388608 >"$l_tmp" 2>&1 &
l_hp=$!
wait_until 300 l_held
expect_eq "an 8 MiB heap buffer at lenda's start waits in its take-back" \
	"$(ctl held)" "ok 1"
l_c=$(addr_of "$(ctl from lc 4K 0)")
expect_eq "lc serves a chunk meanwhile" "$l_c" "$(hex "$CMAFW_WIN_A")"
ctl free "$l_c" >/dev/null
expect_eq "...and lendb's heap a buffer" \
	"$("$l_ht" alloc /dev/dma_heap/cmafw-lendb 4096 2>&1)" ok
check "the buffer still waits" test ! -s "$l_tmp"
expect_eq "the test driver lets the take-back go" "$(ctl unhold)" ok
wait_until 300 grep -qs held "$l_tmp"
expect_eq "then the buffer is allocated" "$(cat "$l_tmp")" held
l_a=0x$(sed -n "s/^ *\([0-9a-f]*\)-.* : heap:heaptest\[$l_hp\]\$/\1/p" /proc/iomem)
check "...past the 8 MiB with the refused page ($l_a)" \
	test $((l_a)) -ge $((L_WIN + 8 * 1048576))
check "the refused placement is counted" \
	test "$(cat $LS/lenda/reclaim_failures)" -gt "$l_rf"
kill $l_hp
wait $l_hp 2>/dev/null
expect_eq "closed, lenda holds nothing" "$(cat $LS/lenda/chunks)" 0
expect_eq "the test driver gives its page back" "$(ctl release)" ok

# A fatal signal ends a take-back: the request goes with its process, and
# no other placement is tried, counted as failed or logged for it.
expect_eq "the test driver holds the page 4 MiB into lenda again" \
	"$(ctl hold $((L_WIN + 4 * 1048576)))" ok
l_rf=$(cat $LS/lenda/reclaim_failures)
log_mark
"$l_ht" hold /dev/dma_heap/cmafw-lenda 8388608 >"$l_tmp" 2>&1 &
l_hp=$!
wait_until 300 l_held
expect_eq "an 8 MiB heap buffer waits in its take-back again" \
	"$(ctl held)" "ok 1"
kill -KILL $l_hp
expect_eq "killed, and the test driver lets the take-back go" \
	"$(ctl unhold)" ok
wait $l_hp 2>/dev/null
expect_eq "...the process ends without a buffer" \
	"$? $(grep -c held "$l_tmp") $(cat $LS/lenda/chunks)" "137 0 0"
expect_eq "...no failed take is counted" \
	$(($(cat $LS/lenda/reclaim_failures) - l_rf)) 0
check_not "...and no 'no room' line is logged" \
	log_since "lenda: no room for 8388608 bytes"
expect_eq "the test driver gives its page back" "$(ctl release)" ok
rm -f "$l_tmp"
expect_eq "the carve-out region goes" "$(wr $l_lc/active 0)" ok
rmdir $l_lc

# --- concurrency
l_st=$(ctl stress 4 3 lendb)
case $l_st in
"ok "*" bad=0") ok "stress in a lend region: $l_st" ;;
*) not_ok "stress in a lend region"; echo "#   got: '$l_st'" ;;
esac
expect_eq "lendb whole after the stress" "$(cat $LS/lendb/chunks) $(cat $LS/lendb/lent)" \
	"0 134217728"

# --- its dma-buf heap: buffers of lent memory are RAM, with struct pages
# (kernel/heap_buf.c maps them through those), taken back as they come.
heaptest_run suite /dev/dma_heap/cmafw-lendb 134217728
expect_eq "lendb whole after the heap's suite" \
	"$(cat $LS/lendb/chunks) $(cat $LS/lendb/lent)" "0 134217728"

# --- while the kernel offlines lenda's memory, held there by the test
# driver (test_online.c), removal holds up nothing: lenda refuses
# requests with EBUSY at once, its heap too, and its figures answer.
l_offlining() {
	[ "$(ctl offline_held)" = "ok 1" ]
}
l_tmp=$TMPDIR/lend-off
expect_eq "the test driver holds the offlining of lenda's memory" \
	"$(ctl hold_offline "$L_WIN")" ok
rm -f "$l_tmp"
(wr $LA/active 0 >"$l_tmp.w"; mv "$l_tmp.w" "$l_tmp") &
check "deactivation waits in the offlining" wait_until 300 l_offlining
expect_eq "...lenda refuses a chunk (EBUSY)" "$(ctl from lenda 4K 0)" \
	"err -$EBUSY"
expect_eq "...and so does its heap" \
	"$("${CMAFW_SELFTESTS:-/selftests}/cmafw/heap/heaptest" alloc \
		/dev/dma_heap/cmafw-lenda 4096 2>&1)" "alloc: $EBUSY_T"
expect_eq "...its figures answer: leaving, no chunk, all of it free, none lent" \
	"$(cat $LS/lenda/leaving $LS/lenda/chunks $LS/lenda/largest_free $LS/lenda/lent | tr '\n' ' ')" \
	"1 0 134217728 0 "
# The pages removal took back never went back to the page allocator,
# which under pressure would fill them again for the offlining to move
# out: they are offline (KPF_OFFLINE), not free (KPF_BUDDY).
l_pg=$((L_WIN + 0x4000000))
expect_eq "...its pages are offline, not free for the page allocator" \
	"$(l_kpf_bit $l_pg 23) $(l_kpf_bit $l_pg 10)" "1 0"
expect_eq "...all while the offlining is still held" "$(ctl offline_held)" \
	"ok 1"
check "...and the deactivation still waits" test ! -e "$l_tmp"
expect_eq "the test driver lets the offlining go" "$(ctl offline_go)" ok
wait
expect_eq "...and lenda deactivates" "$(cat "$l_tmp")" ok
rm -f "$l_tmp"

# --- deactivation gives the memory back to the firmware's reservation
expect_eq "lendb deactivates too" "$(wr $LB/active 0)" ok
expect_eq "MemTotal is back" "$(l_memtotal)" "$l_mt0"
expect_eq "the Movable zone is empty again" "$(l_movable present)" 0
check "/proc/iomem is back" l_nothing_left

# --- sysfs readers while lendb comes and goes: removing the memory frees
# the RAM resource they walk (the debug kernel's KASAN watches this)
l_reader() {
	while [ -e /tmp/lend.read ]; do
		cat $LS/lendb/free_extents $LS/lendb/largest_free \
			$LS/lendb/owners >/dev/null 2>&1
	done
}
: >/tmp/lend.read
l_reader &
l_r1=$!
l_reader &
l_r2=$!
l_ok=0
for l_i in 1 2 3 4 5 6 7 8 9 10; do
	[ "$(wr $LB/active 1)$(wr $LB/active 0)" = okok ] && l_ok=$((l_ok + 1))
done
rm -f /tmp/lend.read
wait $l_r1 $l_r2
expect_eq "lendb comes and goes 10 times beside two sysfs readers" "$l_ok" 10
check "...and leaves nothing behind" l_nothing_left
check "a carve region fits the window again" sh -c \
	"echo carve >$LA/mode && echo 1 >$LA/active && echo 0 >$LA/active"

# --- a busy pageblock is not tried twice for one chunk.  segfit puts a
# 3 MiB chunk at the top of the empty region, [+0x7d00000, +0x8000000),
# whose pageblock at +0x7c00000 holds a pinned page; its next placement,
# 2 MiB aligned below that one, touches the same pageblock (before this
# was fixed, it was taken again and failed again) and is held without a
# take; the third, at the bottom, is free.
check "lenda again, lend and segfit" sh -c \
	"echo lend >$LA/mode && echo segfit >$LA/allocator && echo 1 >$LA/active"
L_PIN=$(printf '0x%x' $((L_WIN + 0x7c80000)))
expect_eq "a page pinned in pageblock +0x7c00000" "$(ctl pin "$L_PIN")" ok
l_rf=$(cat $LS/lenda/reclaim_failures)
l_p=$(addr_of "$(ctl from lenda 3M 0)")
expect_eq "the chunk lands clear of it, at the third placement" "$l_p" "$L_WIN"
expect_eq "...after one failed take, not two" \
	$(($(cat $LS/lenda/reclaim_failures) - l_rf)) 1
ctl free "$l_p" >/dev/null
expect_eq "unpinned" "$(ctl unpin "$L_PIN")" ok
expect_eq "lenda deactivates" "$(wr $LA/active 0)" ok

# --- a placement past the region's end, which only a broken allocator
# gives (the test driver's "whole" told to misplace), is refused with
# EFAULT and a warning before any of lenda's pages is taken for it.
l_mis=/sys/module/cmafw_test/parameters/whole_misplace
check "lenda again, lend and the test driver's allocator" sh -c \
	"echo whole >$LA/allocator && echo 1 >$LA/active"
echo "# expect-warn 1 misplaced"
echo $((0x8000000)) >$l_mis
log_mark
expect_eq "a placement just past lenda's end is refused (EFAULT)" \
	"$(ctl from lenda 4K 0)" "err -$EFAULT"
check "...with a warning naming the allocator" \
	log_since "allocator whole misplaced 4096 bytes aligned to 0x0000000000001000 at 0x0*$(printf '%x' $((L_WIN + 0x8000000))), outside region lenda"
echo 0 >$l_mis
expect_eq "...with nothing taken back: all lent, no chunk" \
	"$(cat $LS/lenda/lent $LS/lenda/chunks | tr '\n' ' ')" "134217728 0 "
l_a=$(addr_of "$(ctl from lenda 4K 0)")
expect_eq "the allocator, told to place right, serves lenda's start" "$l_a" \
	"$(hex "$L_WIN")"
ctl free "$l_a" >/dev/null
expect_eq "lenda deactivates" "$(wr $LA/active 0)" ok
echo bitmap >$LA/allocator
rmdir $LA $LB

# --- an offlining refused midway, as by another driver that cannot let a
# block go (the test driver refuses the second block's, after cmafw's
# notifier has let its pages go): the first block, already offlined,
# comes back online as free memory; the second, whose pages cmafw still
# holds, goes back to the page allocator.  The region stays lent and
# whole, MemTotal and the Movable zone as they were, and it leaves when
# nothing refuses.
LW=$LC/lendw
check "a lend region over both blocks of the window" \
	l_cfg $LW 256M "$L_WIN" bitmap
expect_eq "...active" "$(wr $LW/active 1)" ok
l_mt1=$(l_memtotal) l_mm1=$(l_movable managed)
expect_eq "the test driver will refuse the second block's offlining" \
	"$(ctl refuse_offline "$L_WIN2")" ok
log_mark
expect_eq "lendw's deactivation fails (EBUSY)" "$(wr $LW/active 0)" "$EBUSY_T"
check "...with a line that says why" \
	log_since "lendw: the kernel cannot give .* back (-1: a driver refused to let the memory go offline); the region stays active"
expect_eq "...lendw stays active, all of it lent, no chunk" \
	"$(cat $LW/active $LS/lendw/lent $LS/lendw/chunks | tr '\n' ' ')" \
	"1 268435456 0 "
expect_eq "...MemTotal as it was" "$(l_memtotal)" "$l_mt1"
expect_eq "...the Movable zone manages as many pages as it did" \
	"$(l_movable managed)" "$l_mm1"
expect_eq "...both blocks online" \
	"$(l_block_state "$L_WIN") $(l_block_state "$L_WIN2")" "online online"
l_pg2=$((L_WIN2 + 0x4000000))
expect_eq "...no page of either offline (KPF_OFFLINE)" \
	"$(l_kpf_bit $((L_WIN + 0x4000000)) 23) $(l_kpf_bit $l_pg2 23)" "0 0"
l_a=$(addr_of "$(ctl from lendw 256M 0)")
expect_eq "the whole of lendw can be had" "$l_a" "$(hex "$L_WIN")"
expect_eq "...and reads back zero" "$(ctl nonzero "$l_a" 256M)" "ok 0"
ctl free "$l_a" >/dev/null
expect_eq "lendw deactivates when nothing refuses" "$(wr $LW/active 0)" ok
expect_eq "...MemTotal is back" "$(l_memtotal)" "$l_mt0"
rmdir $LW

# --- the same, but the kernel cannot bring the first block back online
# either (the test driver refuses that onlining too): it stays offline
# while lendw stays active.  lendw keeps it out of use: not lent, not
# free, not placed on (bitmap's first fit would otherwise place every
# chunk there and fail to take it back), and not onlined by anyone else;
# the second block serves as before, and the next deactivation removes
# the offline block with the rest.
check "lendw again" l_cfg $LW 256M "$L_WIN" bitmap
expect_eq "...active" "$(wr $LW/active 1)" ok
l_mt1=$(l_memtotal)
expect_eq "...nothing of it offline" "$(cat $LS/lendw/offline)" 0
expect_eq "the test driver will refuse the second block's offlining" \
	"$(ctl refuse_offline "$L_WIN2")" ok
expect_eq "...and the first block's onlining" "$(ctl refuse_online "$L_WIN")" ok
log_mark
expect_eq "lendw's deactivation fails (EBUSY)" "$(wr $LW/active 0)" "$EBUSY_T"
check "...the kernel could not put the first block back online" \
	log_since "Failed to re-online memory"
check "...and a line says lendw keeps it out of use" \
	log_since "region lendw: the kernel could not bring 128 MiB of 0x0*$(l_hex "$L_WIN")-0x0*$(l_hex $((L_WIN2 - 1))) back online; the region keeps it out of use until it is removed"
expect_eq "...the first block offline, the second online" \
	"$(l_block_state "$L_WIN") $(l_block_state "$L_WIN2")" "offline online"
expect_eq "lendw: active, no chunk; lent, offline and free 128 MiB each" \
	"$(cat $LW/active $LS/lendw/chunks $LS/lendw/lent $LS/lendw/offline $LS/lendw/free | tr '\n' ' ')" \
	"1 0 134217728 134217728 134217728 "
expect_eq "...its largest free extent is the second block" \
	"$(cat $LS/lendw/largest_free)" 134217728
expect_eq "...MemTotal 128 MiB down" $((l_mt1 - $(l_memtotal))) 131072
l_st=$(sh "${CMAFW_TOOLS:-/tools}/cmaadm/cmaadm" region show lendw 2>&1)
expect_eq "cmaadm region show says what is lent and what is offline" \
	"$(printf '%s\n' "$l_st" | grep '^mode:' | tr -s ' ')" \
	"mode: lend (idle memory serves the page allocator; 128M lent now, 128M offline since a removal failed)"
l_rf=$(cat $LS/lendw/reclaim_failures)
l_a=$(addr_of "$(ctl from lendw 4M 0)")
expect_eq "a 4 MiB chunk lands at the second block's start" "$l_a" \
	"$(hex "$L_WIN2")"
expect_eq "...without a failed take" \
	$(($(cat $LS/lendw/reclaim_failures) - l_rf)) 0
ctl free "$l_a" >/dev/null
l_a=$(addr_of "$(ctl from lendw 128M 0)")
expect_eq "the whole second block can be had" "$l_a" "$(hex "$L_WIN2")"
expect_eq "...and reads back zero" "$(ctl nonzero "$l_a" 128M)" "ok 0"
expect_eq "...and nothing more (ENOMEM)" "$(ctl from lendw 4K 0)" \
	"err -$ENOMEM"
ctl free "$l_a" >/dev/null
expect_eq "lendw lends its second block again" "$(cat $LS/lendw/lent)" \
	134217728
log_mark
expect_eq "onlining the offline block is refused (EPERM)" \
	"$(wr /sys/devices/system/memory/memory$((L_WIN >> 27))/state \
		online_movable)" \
	"Operation not permitted"
check "...with a line that says why" \
	log_since "System RAM (cmafw:lendw): 0x0*$(l_hex "$L_WIN")-0x0*$(l_hex $((L_WIN2 - 1))) stays offline until its region is removed"
expect_eq "...and it stays offline" "$(l_block_state "$L_WIN")" offline
expect_eq "lendw deactivates when nothing refuses" "$(wr $LW/active 0)" ok
l_mb=/sys/devices/system/memory/memory
expect_eq "...both blocks gone" "$(ls -d $l_mb$((L_WIN >> 27)) \
	$l_mb$((L_WIN2 >> 27)) 2>/dev/null)" ""
expect_eq "...MemTotal is back" "$(l_memtotal)" "$l_mt0"
rmdir $LW
check "...and nothing is left" l_nothing_left

# --- a driver's lend region, unregistered twice at once: while the first
# call takes the memory back (held midway, as above), the second is
# refused at once with EBUSY and a line, and nothing changes.  The test
# driver runs "unregister" with its command mutex dropped.
expect_eq "the test driver registers a lend region" \
	"$(ctl register_lend dl dl "$L_WIN" 128M 0 - | cut -d' ' -f1-3)" \
	"ok start=$(printf '0x%016x' $((L_WIN))) size=134217728"
expect_eq "...which is lent" "$(cat $LS/dl/mode) $(($(l_memtotal) - l_mt0))" \
	"lend 131072"
expect_eq "the test driver holds a page of dl's against migration" \
	"$(ctl hold $((L_WIN + 4 * 1048576)))" ok
rm -f "$l_tmp"
(ctl unregister dl >"$l_tmp.w"; mv "$l_tmp.w" "$l_tmp") &
wait_until 300 l_held
expect_eq "the first unregister waits in the take-back" \
	"$(ctl held) $(cat $LS/dl/leaving)" "ok 1 1"
log_mark
expect_eq "a second unregister is refused at once (EBUSY)" \
	"$(ctl unregister dl)" "err -$EBUSY"
check "...with a line" \
	log_since "region dl: its memory is already being taken back"
check "...while the first still waits" test ! -e "$l_tmp"
expect_eq "the test driver lets the take-back go" "$(ctl unhold)" ok
wait
expect_eq "...which fails on the page that will not move" "$(cat "$l_tmp")" \
	"err -$EBUSY"
expect_eq "dl stays registered and lent" \
	"$(cat $LS/dl/leaving) $(($(l_memtotal) - l_mt0))" "0 131072"
expect_eq "the test driver gives its page back" "$(ctl release)" ok
expect_eq "...and dl unregisters" "$(ctl unregister dl)" ok
expect_eq "...its memory back with the firmware" \
	"$(test -e $LS/dl && echo listed) $(($(l_memtotal) - l_mt0))" " 0"
rm -f "$l_tmp"

# --- the regions= form, and unloading
check "both modules unload" unload_all
expect_eq "regions= takes ,lend" \
	"$(load_cmafw index=64 regions="pl=128M@$L_WIN:bestfit,lend" && cat $LS/pl/mode $LS/pl/allocator | tr '\n' ' ')" \
	"lend bestfit "
expect_eq "...and lends it" $(($(l_memtotal) - l_mt0)) 131072

# Loaded with index=64 (taken as is: by default a 128 MiB region's index
# would wait for about 380 chunks, which pay for it), a lend region's chunks hang
# right under its borrowed RAM until it holds 64; then index lines slide
# in between, and below 16 they go again (kernel/index_build.c).
L_PLRAM="$(printf "%$(((L_D + 1) * 2))s" "")$L_A0-$L_A1 : System RAM (cmafw:pl)"
# l_under_ram WHAT: how many lines right under pl's RAM line are named
# WHAT ("pl": its chunks), and of all lines under it, how many are index
# lines.
l_under_ram() {
	# shellcheck disable=SC2016 # an awk program
	awk -v ram="$L_PLRAM" -v what="$1" '
	function depth(l) { match(l, /^ */); return RLENGTH }
	$0 == ram { on = 1; d = depth($0); next }
	on && depth($0) <= d { on = 0 }
	on && depth($0) == d + 2 && $0 ~ (" : " what "$") { n++ }
	on && / : cmafw:pl#[0-9-]+$/ { idx++ }
	END { print n + 0, idx + 0 }' /proc/iomem
}
load_test
ctl map 'pl=pl' >/dev/null
check "pl: 63 chunks of 4 KiB at its first pages" take_pages pl 63
expect_eq "...right under its RAM line, no index line" "$(l_under_ram pl)" \
	"63 0"
check "pl: the 64th chunk builds the index" take_pages pl 1
expect_eq "...no chunk right under the RAM line, index lines there" \
	"$(l_under_ram pl | cut -d' ' -f1)" 0
# shellcheck disable=SC2016 # an awk program
check "...the first chunk hangs under block 0's line" awk \
	-v want="cmafw:pl#0" -v first="$L_A0-$(l_hex "L_WIN + 0xfff") : pl" '
	function depth(l) { match(l, /^ */); return RLENGTH }
	{ d = depth($0); name = $0; sub(/^[^:]*: /, "", name); at[d] = name }
	substr($0, d + 1) == first { ok = at[d - 2] == want }
	END { exit !ok }' /proc/iomem
l_nz=0
l_p=0
while [ $l_p -lt 64 ]; do
	[ "$(ctl nonzero "$(printf '0x%x' $((L_WIN + l_p * 4096)))" 4K)" = "ok 0" ] ||
		l_nz=$((l_nz + 1))
	l_p=$((l_p + 1))
done
expect_eq "...and all 64 read back zero" "$l_nz" 0
check "pl: free 49 of them" give_pages "$L_WIN" 0 48
expect_eq "...15 chunks right under the RAM line again, no index line" \
	"$(l_under_ram pl)" "15 0"
expect_eq "...sysfs counts 15" "$(cat $LS/pl/chunks)" 15
check "pl: the last 15 free" give_pages "$L_WIN" 49 63
expect_eq "...nothing left under the RAM line" "$(l_under_ram 'pl')" "0 0"
expect_eq "...and pl still lends it all" "$(cat $LS/pl/lent)" 134217728
check "rmmod takes it back" unload_all
expect_eq "MemTotal is back after rmmod" "$(l_memtotal)" "$l_mt0"
log_mark
check_not "regions= refuses an unknown mode" load_cmafw regions="pl=128M@$L_WIN,borrow"
check "...with a line" log_since "regions: column 20: expected the mode carve or lend"
unload_all
