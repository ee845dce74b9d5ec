#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Lifecycle: what keeps the modules loaded (live chunks, a client module,
# an allocator a region uses), what an unload leaves behind (nothing), and
# a double free that warns once and corrupts nothing.

section "lifecycle"
lc_sys=/sys/kernel/cmafw
lc_cfs=/sys/kernel/config/cmafw
EAGAIN_T="Resource temporarily unavailable"

# lc_rmmod MODULE: unload it; print "ok" or rmmod's error text.
lc_rmmod() {
	if t_out=$(rmmod "$1" 2>&1); then
		echo ok
	else
		echo "${t_out##*: }"
	fi
}

# lc_clean: nothing of cmafw is left anywhere.
lc_clean() {
	! grep -q cmafw /proc/iomem &&
		! grep -q '^cmafw' /proc/modules &&
		[ ! -e $lc_sys ] && [ ! -e $lc_cfs ] &&
		[ ! -e /sys/module/cmafw ] &&
		[ ! -e /sys/kernel/debug/cmafw_test ] &&
		[ ! -e /sys/kernel/tracing/events/cmafw ]
}

check "clean before the first load" lc_clean
load_cmafw 'regions=lc=1M@0x20000000' && load_test
expect_eq "the framework lists its client as a holder" \
	"$(ls /sys/module/cmafw/holders)" cmafw_test
lc_ref0=$(cat /sys/module/cmafw/refcnt)
expect_eq "rmmod cmafw is refused while cmafw_test uses it" \
	"$(lc_rmmod cmafw)" "$EAGAIN_T"
check "and cmafw stays" test -d $lc_sys/regions/lc

a=$(addr_of "$(ctl from lc 64K 0)")
expect_eq "a chunk from the parameter region" "$a" 0x20000000
expect_eq "a live chunk holds a reference on cmafw" \
	"$(cat /sys/module/cmafw/refcnt)" $((lc_ref0 + 1))
expect_eq "the client can go while its chunk lives on" \
	"$(lc_rmmod cmafw_test)" ok
expect_eq "rmmod cmafw is refused while a chunk is live" \
	"$(lc_rmmod cmafw)" "$EAGAIN_T"
check "the chunk is still in /proc/iomem" \
	chunk_has 20000000 2000ffff cmafw_test lc
load_test
expect_eq "a reloaded client frees it by address" "$(ctl free "$a")" ok
expect_eq "the chunk's reference is gone" \
	"$(cat /sys/module/cmafw/refcnt)" "$lc_ref0"

expect_eq "a driver region" "$(ctl register d d 0x21000000 1M 0 -)" \
	"ok start=0x0000000021000000 size=1048576 align=0x0000000000001000"
expect_eq "rmmod cmafw_test is refused while it owns a region" \
	"$(lc_rmmod cmafw_test)" "$EAGAIN_T"
# A driver whose unregister failed may go and leave its region behind:
# the region, not only the driver, keeps cmafw loaded.
expect_eq "the driver's region holds a reference on cmafw" \
	"$(cat /sys/module/cmafw/refcnt)" $((lc_ref0 + 1))
log_mark
expect_eq "unregistering a copy of its struct gets EINVAL" \
	"$(ctl unregister_copy d)" "err -$EINVAL"
check "...with one line" log_since \
	"region d: unregistered through a copy of its struct cma_region"
check "...and the region stays" test -d $lc_sys/regions/d
expect_eq "...with its reference" \
	"$(cat /sys/module/cmafw/refcnt)" $((lc_ref0 + 1))
expect_eq "unregister it" "$(ctl unregister d)" ok
expect_eq "its reference is gone" \
	"$(cat /sys/module/cmafw/refcnt)" "$lc_ref0"
expect_eq "the region again" "$(ctl register d d 0x21000000 1M 0 -)" \
	"ok start=0x0000000021000000 size=1048576 align=0x0000000000001000"
log_mark
expect_eq "unregistered, then a stale copy of its struct: EINVAL" \
	"$(ctl unregister_stale d)" "err -$EINVAL"
check "...with one line" log_since \
	"unregistering a region that is not registered, a copy of one removed since"
check_not "...the region is gone" test -d $lc_sys/regions/d
expect_eq "...and its reference" \
	"$(cat /sys/module/cmafw/refcnt)" "$lc_ref0"

section "lifecycle: an allocator in use"
mkdir $lc_cfs/regions/w
wr $lc_cfs/regions/w/size 1M >/dev/null
wr $lc_cfs/regions/w/start 0x22000000 >/dev/null
expect_eq "a configfs region selects the test module's allocator" \
	"$(wr $lc_cfs/regions/w/allocator whole)" ok
expect_eq "and activates" "$(wr $lc_cfs/regions/w/active 1)" ok
expect_eq "the allocator's module is pinned" \
	"$(cat /sys/module/cmafw_test/refcnt)" 1
expect_eq "the allocator cannot be unregistered" \
	"$(ctl allocator_unregister)" "err -$EBUSY"
expect_eq "its module cannot be unloaded" "$(lc_rmmod cmafw_test)" \
	"$EAGAIN_T"
expect_eq "the allocator serves" "$(ctl from w 4K 0)" "ok 0x0000000022000000"
expect_eq "one chunk at a time" "$(ctl from w 4K 0)" "err -$ENOMEM"
expect_eq "free it" "$(ctl free 0x22000000)" ok
expect_eq "deactivate the region" "$(wr $lc_cfs/regions/w/active 0)" ok
expect_eq "the allocator's module is free again" \
	"$(cat /sys/module/cmafw_test/refcnt)" 0
expect_eq "now the allocator goes" "$(ctl allocator_unregister)" ok
expect_eq "the region cannot come back with it" \
	"$(wr $lc_cfs/regions/w/active 1)" "$ENODEV_T"
expect_eq "nor select it" "$(wr $lc_cfs/regions/w/allocator whole)" \
	"$ENODEV_T"
expect_eq "the allocator registers again" "$(ctl allocator_register)" ok
expect_eq "the region activates with it again" \
	"$(wr $lc_cfs/regions/w/active 1)" ok
wr $lc_cfs/regions/w/active 0 >/dev/null
# Registered without an owner through cmafw's own name (a driver that
# also includes <linux/cma.h> cannot use the seed's): pinned all the same.
expect_eq "an allocator registers through cmafw_allocator_register()" \
	"$(ctl allocator_register_raw)" ok
expect_eq "the region selects it" \
	"$(wr $lc_cfs/regions/w/allocator wholeraw)" ok
expect_eq "and activates" "$(wr $lc_cfs/regions/w/active 1)" ok
expect_eq "its module is pinned" \
	"$(cat /sys/module/cmafw_test/refcnt)" 1
expect_eq "and cannot be unloaded" "$(lc_rmmod cmafw_test)" "$EAGAIN_T"
wr $lc_cfs/regions/w/active 0 >/dev/null
expect_eq "deactivated, the module is free" \
	"$(cat /sys/module/cmafw_test/refcnt)" 0
expect_eq "and the allocator goes" "$(ctl allocator_unregister_raw)" ok
rmdir $lc_cfs/regions/w

section "lifecycle: double free"
# A fresh load: cmafw's WARN_ONCE fires again after a reload.
unload_all
load_cmafw && load_test
ctl register b1 b1 0x20000000 1M 0 bitmap >/dev/null
ctl register b2 b2 0x30000000 1M 0 bestfit >/dev/null
lc_warns=$(dmesg | grep -c 'which is not a chunk')
for r in b1 b2; do
	base=$(cat $lc_sys/regions/$r/base)
	x=$(addr_of "$(ctl from $r 64K 0)")
	y=$(addr_of "$(ctl from $r 64K 0)")
	expect_eq "$r: two chunks side by side" "$x $y" \
		"$(hex "$base") $(hex $((base + 0x10000)))"
	expect_eq "$r: free the first" "$(ctl free "$x")" ok
	if [ $r = b1 ]; then
		echo "# expect-warn 1 which is not a chunk"
	fi
	expect_eq "$r: freeing it again gets ENOENT" "$(ctl free "$x")" \
		"err -$ENOENT"
	expect_eq "$r: so does the inside of a live chunk" \
		"$(ctl free "$(hex $((y + 4096)))")" "err -$ENOENT"
	expect_eq "$r: and a free page of the region" \
		"$(ctl free "$(hex $((base + 0x80000)))")" "err -$ENOENT"
	expect_eq "$r: the live chunk is untouched" \
		"$(cat $lc_sys/regions/$r/chunks) $(cat $lc_sys/regions/$r/used)" \
		"1 65536"
	z=$(addr_of "$(ctl from $r 64K 0)")
	w=$(addr_of "$(ctl from $r 128K 0)")
	expect_eq "$r: the hole is reused, the next chunk follows" "$z $w" \
		"$(hex "$base") $(hex $((base + 0x20000)))"
	expect_eq "$r: counters after the bad frees" \
		"$(cat $lc_sys/regions/$r/alloc_success) $(cat $lc_sys/regions/$r/release_success) $(cat $lc_sys/regions/$r/chunks)" \
		"4 1 3"
	for c in "$y" "$z" "$w"; do
		ctl free "$c" >/dev/null
	done
	expect_eq "$r: whole again" "$(cat $lc_sys/regions/$r/free)" 1048576
	expect_eq "$r: one free extent of the whole region" \
		"$(cat $lc_sys/regions/$r/largest_free)" 1048576
done
expect_eq "the bad frees warned exactly once" \
	"$(($(dmesg | grep -c 'which is not a chunk') - lc_warns))" 1
ctl unregister b1 >/dev/null
ctl unregister b2 >/dev/null

section "lifecycle: unload"
expect_eq "rmmod cmafw_test" "$(lc_rmmod cmafw_test)" ok
expect_eq "then rmmod cmafw" "$(lc_rmmod cmafw)" ok
check "nothing is left in /proc/iomem, sysfs, configfs, debugfs, tracefs" \
	lc_clean
# lc_cycle: load with parameters, allocate and free, unload.
lc_cycle() {
	load_cmafw 'regions=r=1M@0x20000000;q=1M@0x30000000:bestfit' \
		'map=*=r,q' && load_test &&
		[ "$(alloc x - 4K 0)" = 0x20000000 ] &&
		[ "$(ctl free 0x20000000)" = ok ] && unload_all
}
i=0
while [ $i -lt 3 ] && lc_cycle; do
	i=$((i + 1))
done
expect_eq "three load, allocate, unload cycles" "$i" 3
check "and still nothing is left" lc_clean
check "both modules unload" unload_all
