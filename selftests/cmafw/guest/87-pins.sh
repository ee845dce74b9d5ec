#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A region that takes long to serve an allocation (a lend region waiting
# for the kernel to vacate memory) stalls nobody else: the map can be
# replaced and other regions serve their requests meanwhile; removing the
# busy region waits for the allocation, refusing new ones meanwhile, then
# refuses while its chunk lives; a fatal signal ends either wait; a free
# that waits for the busy region holds no lock either.
# The test module's "whole" allocator holds its allocations on demand.
# Its control file serves one command at a time, so while one is held the
# others go through configfs and the heap.

section "pins: a held allocation"
load_cmafw "regions=pa=1M@$CMAFW_WIN_A" && load_test
pn_par=/sys/module/cmafw_test/parameters
pn_cfs=/sys/kernel/config/cmafw
pn_w=$pn_cfs/regions/pw
pn_start=$(hex "$CMAFW_WIN_B")
pn_heap=/dev/dma_heap/cmafw-pa
pn_w_heap=/dev/dma_heap/cmafw-pw
pn_heaptest=${CMAFW_SELFTESTS:-/selftests}/cmafw/heap/heaptest

# pn_gone PID: whether the process ends within 10 s.
pn_gone() {
	t_i=0
	while [ "$t_i" -lt 100 ] && kill -0 "$1" 2>/dev/null; do
		sleep 0.1
		t_i=$((t_i + 1))
	done
	! kill -0 "$1" 2>/dev/null
}

# pn_held N: whether "whole" holds N allocations within 10 s.
pn_held() {
	t_i=0
	while [ "$t_i" -lt 100 ] && [ "$(cat $pn_par/whole_held)" != "$1" ]; do
		sleep 0.1
		t_i=$((t_i + 1))
	done
	[ "$(cat $pn_par/whole_held)" = "$1" ]
}

mkdir $pn_w
wr $pn_w/size 1M >/dev/null
wr $pn_w/start "$pn_start" >/dev/null
wr $pn_w/allocator whole >/dev/null
expect_eq "a region of the allocator that holds" "$(wr $pn_w/active 1)" ok

wr $pn_par/whole_hold Y >/dev/null
ctl from pw 4K 0 >"$TMPDIR/pn.from" &
pn_from=$!
check "an allocation is held inside the allocator" pn_held 1

# Before pins, the allocation held cmafw_rwsem for reading: the map's
# writer queued behind it, and every reader queued behind the writer.
wr $pn_cfs/map '*=pa' >"$TMPDIR/pn.map" &
pn_map=$!
"$pn_heaptest" alloc $pn_heap 4096 >"$TMPDIR/pn.heap" 2>&1 &
pn_alloc=$!
check "meanwhile the map is replaced" pn_gone $pn_map
expect_eq "the write succeeded" "$(cat "$TMPDIR/pn.map")" ok
expect_eq "and is in force" "$(cat $pn_cfs/map)" '*=pa'
check "another region's heap serves a buffer meanwhile" pn_gone $pn_alloc
expect_eq "the buffer was allocated" "$(cat "$TMPDIR/pn.heap")" ok
check "the first allocation is still held" pn_held 1

# Removal waits for the held allocation, then finds its chunk.
wr $pn_w/active 0 >"$TMPDIR/pn.off" &
pn_off=$!
sleep 1
check "deactivation waits while the allocation is held" kill -0 $pn_off
check "the region is still registered" test -d /sys/kernel/cmafw/regions/pw
"$pn_heaptest" alloc $pn_heap 4096 >"$TMPDIR/pn.heap" 2>&1 &
pn_alloc=$!
check "the waiting deactivation holds up no other region" pn_gone $pn_alloc
expect_eq "whose heap serves a buffer" "$(cat "$TMPDIR/pn.heap")" ok
# New allocations would keep a waiting removal waiting: they are refused.
"$pn_heaptest" alloc $pn_w_heap 4096 >"$TMPDIR/pn.new" 2>&1 &
pn_new=$!
check "the region being removed refuses a new buffer at once" pn_gone $pn_new
expect_eq "...with EBUSY" "$(cat "$TMPDIR/pn.new")" "alloc: $EBUSY_T"
cat $pn_w/chunks $pn_w/used >"$TMPDIR/pn.fig" 2>&1 &
pn_fig=$!
check "its configfs figures answer meanwhile" pn_gone $pn_fig
expect_eq "...no chunk yet, nothing used" "$(tr '\n' ' ' <"$TMPDIR/pn.fig")" "0 0 "
wr $pn_par/whole_hold N >/dev/null
check "released, the allocation finishes" pn_gone $pn_from
expect_eq "with the region's start" "$(addr_of "$(cat "$TMPDIR/pn.from")")" \
	"$pn_start"
check "and the deactivation" pn_gone $pn_off
expect_eq "which the live chunk refused" "$(cat "$TMPDIR/pn.off")" "$EBUSY_T"
expect_eq "the region stays active" "$(cat $pn_w/active)" 1
expect_eq "its chunk is freed" "$(ctl free "$pn_start")" ok

# A fatal signal ends what waits behind a held allocation, changing
# nothing: an allocation waiting for the region's mutex, and a
# deactivation waiting for the allocation.
wr $pn_par/whole_hold Y >/dev/null
ctl from pw 4K 0 >"$TMPDIR/pn.from" &
pn_from=$!
check "an allocation is held again" pn_held 1
"$pn_heaptest" alloc $pn_w_heap 4096 >"$TMPDIR/pn.new" 2>&1 &
pn_new=$!
sleep 1
check "a buffer waits for the region behind it" kill -0 $pn_new
kill -KILL $pn_new
check "...and goes when killed" pn_gone $pn_new
sh -c 'echo 0 >"$1"' sh $pn_w/active 2>/dev/null &
pn_off=$!
sleep 1
check "a deactivation waits for the held allocation" kill -0 $pn_off
kill -KILL $pn_off
check "...and goes when killed" pn_gone $pn_off
expect_eq "the region stays active" "$(cat $pn_w/active)" 1
wr $pn_par/whole_hold N >/dev/null
check "released, the allocation finishes" pn_gone $pn_from
expect_eq "...with the region's start" "$(addr_of "$(cat "$TMPDIR/pn.from")")" \
	"$pn_start"
expect_eq "...its one chunk" "$(cat $pn_w/chunks)" 1
expect_eq "its chunk is freed" "$(ctl free "$pn_start")" ok
expect_eq "the region serves a buffer again" \
	"$("$pn_heaptest" alloc $pn_w_heap 4096 2>&1)" ok
expect_eq "then it deactivates" "$(wr $pn_w/active 0)" ok

# A map written again while a request walks its rule does not send the
# request back to a region that already failed it: the map in force when
# the request came serves it to the end.
section "pins: the map written under a request"
pn_sys=/sys/kernel/cmafw/regions/pw
expect_eq "the region again" "$(wr $pn_w/active 1)" ok
expect_eq "its one chunk is taken" "$(addr_of "$(ctl from pw 4K 0)")" \
	"$pn_start"
expect_eq "a rule: pncam from pw, else pa" "$(wr $pn_cfs/map 'pncam=pw,pa')" ok
pn_fail=$(cat $pn_sys/alloc_fail)
wr $pn_par/whole_hold Y >/dev/null
ctl alloc pncam - 4K 0 >"$TMPDIR/pn.cam" &
pn_cam=$!
check "pncam's allocation is held in pw" pn_held 1
expect_eq "meanwhile the map is written again" \
	"$(wr $pn_cfs/map 'pncam=pw,pa')" ok
wr $pn_par/whole_hold N >/dev/null
check "released, the allocation finishes" pn_gone $pn_cam
expect_eq "pa serves it" "$(addr_of "$(cat "$TMPDIR/pn.cam")")" \
	"$(hex "$CMAFW_WIN_A")"
expect_eq "pw was tried once" "$(($(cat $pn_sys/alloc_fail) - pn_fail))" 1
expect_eq "free pa's chunk" "$(ctl free "$(hex "$CMAFW_WIN_A")")" ok
expect_eq "free pw's" "$(ctl free "$pn_start")" ok
expect_eq "pw deactivates" "$(wr $pn_w/active 0)" ok

# A free that waits for the busy region's mutex stalls nobody else either:
# a heap buffer's chunk is freed while an allocation is held.
section "pins: a free behind a held allocation"
expect_eq "the region again" "$(wr $pn_w/active 1)" ok
"$pn_heaptest" hold $pn_w_heap 4096 >"$TMPDIR/pn.hold" 2>&1 &
pn_hold=$!
pn_i=0
while [ $pn_i -lt 100 ] && ! grep -qs held "$TMPDIR/pn.hold"; do
	sleep 0.1
	pn_i=$((pn_i + 1))
done
expect_eq "a heap buffer holds its one chunk" "$(cat $pn_w/chunks)" 1
wr $pn_par/whole_hold Y >/dev/null
ctl from pw 4K 0 >"$TMPDIR/pn.from" &
pn_from=$!
check "an allocation is held" pn_held 1
kill $pn_hold
sleep 1
check "the buffer's free waits for the region: its chunk is still there" \
	grep -q " : heap:heaptest\\[$pn_hold\\]\$" /proc/iomem
wr $pn_cfs/map 'pn-*=pa' >"$TMPDIR/pn.map" &
pn_map=$!
check "meanwhile the map is replaced" pn_gone $pn_map
expect_eq "and is in force" "$(cat $pn_cfs/map)" 'pn-*=pa'
wr $pn_par/whole_hold N >/dev/null
check "released, the allocation finishes" pn_gone $pn_from
expect_eq "refused: the buffer still held the chunk" \
	"$(cat "$TMPDIR/pn.from")" "err -$ENOMEM"
check "then the buffer is freed" pn_gone $pn_hold
check_not "its chunk is gone" grep -q " : heap:heaptest\\[$pn_hold\\]\$" /proc/iomem
expect_eq "the region has no chunk" "$(cat $pn_w/chunks)" 0
expect_eq "and deactivates" "$(wr $pn_w/active 0)" ok
rmdir $pn_w
check "both modules unload" unload_all
