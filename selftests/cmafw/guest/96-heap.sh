#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# dma-buf heaps: every named region, whatever registered it, has
# /dev/dma_heap/cmafw-<region> while it is registered and only then; the
# static client heaptest checks the uAPI (alloc, mmap, /proc/iomem owner,
# fd passing, an importing driver, bad input, ENOMEM, frees); a held
# buffer keeps its region and the module; the node is root-only until an
# administrator opens it to a group.

section "dma-buf heaps"
hp_cfs=/sys/kernel/config/cmafw
hp_dev=/dev/dma_heap
hp_cls=/sys/class/cmafw_heap
HEAPTEST=$CMAFW_SELFTESTS/cmafw/heap/heaptest

# hp_user CMD: run CMD as `user`; print its output.
hp_user() {
	su -s /bin/sh user -c "$1" 2>&1
}

# hp_try CMD...: run it; print "ok" or the text after its last ": ".
hp_try() {
	if t_out=$("$@" 2>&1); then echo ok; else echo "${t_out##*: }"; fi
}

# hp_hold NODE LEN: start heaptest hold in the background, wait for it to
# hold the buffer (30 s at most: under TCG beside another guest, 5 s was
# once too few); its pid is in hp_pid.  The last hold's output goes
# first: the background shell truncates the file only once it runs, and
# until then the wait would read the last "held" (a CI run on 6.1 went on
# to kill the process before it had allocated anything).
hp_hold() {
	rm -f "$TMPDIR/hold.out"
	"$HEAPTEST" hold "$1" "$2" >"$TMPDIR/hold.out" 2>&1 &
	hp_pid=$!
	wait_until 300 grep -qs held "$TMPDIR/hold.out" &&
		grep -qF " : heap:heaptest[$hp_pid]" /proc/iomem
}

hp_release() {
	kill "$hp_pid"
	wait "$hp_pid" 2>/dev/null
}

check "heaptest is in the initramfs" test -x "$HEAPTEST"
hp_d=$(printf '0x%x' $((CMAFW_WIN_A + 0x800000)))
hp_p=$(printf '0x%x' $((CMAFW_WIN_A + 0x900000)))
load_cmafw "regions=hp=4M@$CMAFW_WIN_B" && load_test
check "a region from regions= has $hp_dev/cmafw-hp" test -c $hp_dev/cmafw-hp
expect_eq "the node is root's, mode 0600" \
	"$(stat -c '%U:%G %a' $hp_dev/cmafw-hp)" "root:root 600"
expect_eq "sysfs names the heap's region" "$(cat $hp_cls/cmafw-hp/region)" hp
hp_abi=/Documentation/ABI/testing/sysfs-class-cmafw_heap
expect_eq "sysfs-class-cmafw_heap documents exactly the heap's own files" \
	"$(for t_f in "$hp_cls"/cmafw-hp/*; do
		case ${t_f##*/} in dev | uevent | power | subsystem) continue ;; esac
		echo "/sys/class/cmafw_heap/cmafw-<region>/${t_f##*/}"
	done)" \
	"$(sed -n 's#^What:[[:space:]]*\(.*/cmafw-<region>/.*\)#\1#p' $hp_abi | sort)"
expect_eq "and counts nothing yet" \
	"$(cat $hp_cls/cmafw-hp/buffers $hp_cls/cmafw-hp/bytes | tr '\n' ' ')" \
	"0 0 "

mkdir $hp_cfs/regions/hc
wr $hp_cfs/regions/hc/size 8M >/dev/null
wr $hp_cfs/regions/hc/start "$CMAFW_WIN_A" >/dev/null
check_not "an inactive configfs region has no heap" test -e $hp_dev/cmafw-hc
wr $hp_cfs/regions/hc/active 1 >/dev/null
check "an active one has $hp_dev/cmafw-hc" test -c $hp_dev/cmafw-hc

expect_eq "a driver's region gets one" \
	"$(ctl register hd hd "$hp_d" 1M 0 - | cut -d' ' -f1)" ok
check "at $hp_dev/cmafw-hd" test -c $hp_dev/cmafw-hd
expect_eq "a private region gets none" \
	"$(ctl register hpriv - "$hp_p" 1M 0 - | cut -d' ' -f1)" ok
expect_eq "the heaps are exactly the named regions'" \
	"$(cd $hp_dev && echo cmafw-*)" "cmafw-hc cmafw-hd cmafw-hp"

heaptest_run suite $hp_dev/cmafw-hc 8388608

# A held buffer keeps the region and the module.
check "a process holds a 1 MiB buffer of hc" hp_hold $hp_dev/cmafw-hc 1048576
hp_owner="heap:heaptest[$hp_pid]"
check "/proc/iomem names the process" chunk_has "$(printf '%08x' $((CMAFW_WIN_A)))" \
	"$(printf '%08x' $((CMAFW_WIN_A + 0xfffff)))" "$hp_owner" hc
expect_eq "sysfs owners names it" \
	"$(grep -F "$hp_owner" /sys/kernel/cmafw/regions/hc/owners | cut -d' ' -f1)" \
	"$hp_owner"
# A driver's cma_free() of the buffer's address (a double free that met
# the reused chunk) frees nothing under the process.
hp_a=$(printf '0x%x' $((CMAFW_WIN_A)))
echo "# expect-warn 1 which a dma-buf of region hc's heap holds"
log_mark
expect_eq "a driver's free of the buffer's chunk gets EBUSY" \
	"$(ctl free "$hp_a")" "err -$EBUSY"
check "...one warning names the address and the region" log_since \
	"free of $(printf '0x%016x' "$hp_a"), which a dma-buf of region hc's heap holds"
check "...the chunk is still the process's" chunk_has \
	"$(printf '%08x' $((CMAFW_WIN_A)))" \
	"$(printf '%08x' $((CMAFW_WIN_A + 0xfffff)))" "$hp_owner" hc
hp_b=$(addr_of "$(ctl from hc 1M 0)")
expect_eq "...and a driver is placed after it, not over it" "$hp_b" \
	"$(printf '0x%x' $((CMAFW_WIN_A + 0x100000)))"
ctl free "$hp_b" >/dev/null
expect_eq "deactivating hc: busy" "$(wr $hp_cfs/regions/hc/active 0)" "$EBUSY_T"
expect_eq "rmdir hc: busy" "$(hp_try rmdir $hp_cfs/regions/hc)" "$EBUSY_T"
check "the heap stays" test -c $hp_dev/cmafw-hc
hp_release
expect_eq "the holder is gone: its buffer too" \
	"$(cat $hp_cls/cmafw-hc/buffers)" 0

# A heap buffer is traced as a driver's request is (65-trace.sh), under
# its process's name.  record-cmd off: see 65-trace.sh.
hp_tr=/sys/kernel/tracing
echo 0 >$hp_tr/options/record-cmd
echo >$hp_tr/trace
echo 1 >$hp_tr/events/cmafw/enable
check "a process holds a traced 64 KiB buffer of hc" \
	hp_hold $hp_dev/cmafw-hc 65536
hp_owner="heap:heaptest[$hp_pid]"
hp_release
echo 0 >$hp_tr/events/cmafw/enable
echo 1 >$hp_tr/options/record-cmd
# hp_event NAME: the text after "NAME: " of each traced NAME event.
hp_event() {
	grep " $1: " $hp_tr/trace | sed "s/.* $1: //"
}
hp_a=$(printf '0x%x' "$CMAFW_WIN_A")
expect_eq "trace: the request, under the process's name" \
	"$(hp_event cmafw_alloc_start)" \
	"owner=$hp_owner type=common size=65536 align=4096"
expect_eq "trace: the region and the address" \
	"$(hp_event cmafw_alloc_finish | sed 's/ duration_ns=.*//')" \
	"owner=$hp_owner type=common size=65536 align=4096 region=hc addr=$hp_a error=0"
expect_eq "trace: the free when the process let go" \
	"$(hp_event cmafw_free)" "addr=$hp_a size=65536 region=hc result=0"

# An open node outlives its region without harm.
exec 7<$hp_dev/cmafw-hd
expect_eq "unregister hd with its node open" "$(ctl unregister hd)" ok
check_not "the node goes with the region" test -e $hp_dev/cmafw-hd
check_not "and its sysfs directory" test -e $hp_cls/cmafw-hd
exec 7<&-
expect_eq "re-register hd" \
	"$(ctl register hd hd "$hp_d" 1M 0 - | cut -d' ' -f1)" ok
mkfifo "$TMPDIR/hp.go"
HEAPTEST_WAIT=1 "$HEAPTEST" alloc $hp_dev/cmafw-hd 4096 <"$TMPDIR/hp.go" \
	>"$TMPDIR/stale.out" 2>&1 &
hp_pid=$!
exec 8>"$TMPDIR/hp.go"
wait_until 300 grep -qs opened "$TMPDIR/stale.out"
expect_eq "a process has hd's node open; unregister hd" "$(ctl unregister hd)" ok
exec 8>&-
wait "$hp_pid"
expect_eq "its allocation on the stale node: ENODEV, nothing allocated" \
	"$(tail -n 1 "$TMPDIR/stale.out")" "alloc: $ENODEV_T"
check_not "and no chunk of it anywhere" grep -qF "heap:heaptest[$hp_pid]" /proc/iomem
rm -f "$TMPDIR/hp.go"
expect_eq "re-register hd" \
	"$(ctl register hd hd "$hp_d" 1M 0 - | cut -d' ' -f1)" ok
check "its node is back" test -c $hp_dev/cmafw-hd
expect_eq "unregister hd again" "$(ctl unregister hd)" ok
expect_eq "unregister the private region" "$(ctl unregister hpriv)" ok

# 256 heap minors: one region more than that goes without a heap, and
# works; the minors come back with the regions.
hp_heaps() { find $hp_cls -mindepth 1 -maxdepth 1 | wc -l; }
hp_n=$((257 - $(hp_heaps)))
hp_i=0
while [ $hp_i -lt $hp_n ]; do
	mkdir $hp_cfs/regions/m$hp_i
	echo 4K >$hp_cfs/regions/m$hp_i/size
	printf '0x%x\n' $((CMAFW_WIN_A + 0xc00000 + hp_i * 4096)) \
		>$hp_cfs/regions/m$hp_i/start
	[ $hp_i -lt $((hp_n - 1)) ] || log_mark
	echo 1 >$hp_cfs/regions/m$hp_i/active || break
	hp_i=$((hp_i + 1))
done
hp_last=m$((hp_n - 1))
expect_eq "$hp_n regions more activate, the last past 256 heaps" "$hp_i" "$hp_n"
expect_eq "...there are 256 heaps" "$(hp_heaps)" 256
check_not "...$hp_last has none" test -e $hp_dev/cmafw-$hp_last
check "...one line says why" \
	log_since "region $hp_last: no dma-buf heap: all 256 heap minors are in use"
hp_a=$(addr_of "$(ctl from $hp_last 4K 0)")
expect_eq "...and it serves a driver" "$hp_a" \
	"$(printf '0x%x' $((CMAFW_WIN_A + 0xc00000 + (hp_n - 1) * 4096)))"
ctl free "$hp_a" >/dev/null
hp_i=0
while [ $hp_i -lt $hp_n ]; do
	echo 0 >$hp_cfs/regions/m$hp_i/active
	rmdir $hp_cfs/regions/m$hp_i
	hp_i=$((hp_i + 1))
done
expect_eq "the regions gone, so are their heaps" "$(hp_heaps)" \
	$((257 - hp_n))

# Access: root-only until opened to a group, as a udev rule would.
expect_eq "user cannot open the node" \
	"$(hp_user "$HEAPTEST alloc $hp_dev/cmafw-hp 4096")" "open: $EACCES_T"
chgrp user $hp_dev/cmafw-hp && chmod 0660 $hp_dev/cmafw-hp
expect_eq "opened to user's group, user allocates" \
	"$(hp_user "$HEAPTEST alloc $hp_dev/cmafw-hp 4096")" ok
expect_eq "and the buffer was freed when user's process exited" \
	"$(cat $hp_cls/cmafw-hp/buffers)" 0

wr $hp_cfs/regions/hc/active 0 >/dev/null
check_not "deactivated, hc has no heap" test -e $hp_dev/cmafw-hc
rmdir $hp_cfs/regions/hc
check "cmafw_test unloads" rmmod cmafw_test
hp_ref0=$(cat /sys/module/cmafw/refcnt)
check "with cmafw alone, a process holds a buffer of hp" \
	hp_hold $hp_dev/cmafw-hp 65536
check "the buffer pins the module" \
	test "$(cat /sys/module/cmafw/refcnt)" -gt "$hp_ref0"
check_not "rmmod cmafw is refused" rmmod cmafw
hp_release
expect_eq "the holder gone, the module's count is back" \
	"$(cat /sys/module/cmafw/refcnt)" "$hp_ref0"
check "cmafw unloads" unload_all
check_not "no cmafw heap is left" test -e $hp_cls

# A process that opens a region's node as soon as it appears, as one
# waiting for the node would, while the load that registered the region
# goes on and fails: once the load has failed the module's code is gone,
# so the process must not be left holding its node or a buffer.  A lend
# region between the first and the failing one keeps the load going
# (its memory is hot-added, then taken back), so the process has time.
rm -f "$TMPDIR/grab.go" && mkfifo "$TMPDIR/grab.go"
"$HEAPTEST" grab $hp_dev/cmafw-early 4096 <"$TMPDIR/grab.go" \
	>"$TMPDIR/grab.out" 2>&1 &
hp_pid=$!
exec 8>"$TMPDIR/grab.go"
wait_until 300 grep -qs watching "$TMPDIR/grab.out"
hp_mt0=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
log_mark
check_not "a load whose third region overlaps its first fails" load_cmafw \
	regions="early=4M@$CMAFW_WIN_A;lent=128M@$CMAFW_LEND_WIN,lend;late=4M@$CMAFW_WIN_A"
exec 8>&-
wait "$hp_pid"
sed 's/^/# /' "$TMPDIR/grab.out"
expect_eq "a process that tried to open early's node meanwhile was refused" \
	"$(sed -n 's/^grab: \(opened [0-9]*\) refused [1-9][0-9]*$/\1 refused/p' "$TMPDIR/grab.out")" \
	"opened 0 refused"
check "...with a line" log_since "cmafw-early: heaptest\[$hp_pid\]: cmafw is still loading: try again"
check "the load failed on the overlap" \
	log_since "region late: 0x[0-9a-f]*-0x[0-9a-f]* overlaps region early"
check_not "...and cmafw is not loaded" grep -q '^cmafw ' /proc/modules
check_not "no region of the failed load is in /proc/iomem" grep -q 'cmafw:' /proc/iomem
expect_eq "...and the lend region's memory is back" \
	"$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)" "$hp_mt0"
check "cmafw loads with the first region alone" \
	load_cmafw regions="early=4M@$CMAFW_WIN_A"
expect_eq "...whose node opens at once" \
	"$(hp_try "$HEAPTEST" alloc $hp_dev/cmafw-early 4096)" ok
check "cmafw unloads" unload_all
rm -f "$TMPDIR/grab.go" "$TMPDIR/grab.out"
