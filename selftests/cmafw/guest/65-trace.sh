#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Tracepoints: alloc start and finish, and free, read back from tracefs.

section "tracepoints"
load_cmafw && load_test
T=/sys/kernel/tracing
ctl register t tr 0x20000000 1M 0 - >/dev/null
ctl map 'cam=tr' >/dev/null
check "the cmafw events exist" test -d $T/events/cmafw/cmafw_alloc_finish
# Without record-cmd, enabling an event patches no scheduler code: under
# TCG, the kernel patching the wake-up path (text_poke_bp()) while the
# other vCPU ran it once left a stale int3 there ("Oops: int3" in
# ttwu_do_activate(), in a CI run).  Only cmafw's own sites are patched.
echo 0 >$T/options/record-cmd
echo 1 >$T/events/cmafw/enable
echo >$T/trace
a=$(alloc cam x 8K 4K)
ctl free "$a" >/dev/null
alloc cam - 2M 0 >/dev/null
echo 0 >$T/events/cmafw/enable
echo 1 >$T/options/record-cmd

# event NAME: the text after "NAME: " of each traced NAME event.
event() {
	grep " $1: " $T/trace | sed "s/.* $1: //"
}
expect_eq "alloc start: owner, type, size, alignment" \
	"$(event cmafw_alloc_start | head -n 1)" \
	"owner=cam type=x size=8192 align=4096"
expect_eq "alloc finish: the region and the address" \
	"$(event cmafw_alloc_finish | head -n 1 | sed 's/ duration_ns=.*//')" \
	"owner=cam type=x size=8192 align=4096 region=tr addr=0x20000000 error=0"
check "alloc finish: a duration" \
	sh -c "grep -q 'cmafw_alloc_finish: .* duration_ns=[1-9][0-9]*$' $T/trace"
expect_eq "free: address, size, region, result" "$(event cmafw_free)" \
	"addr=0x20000000 size=8192 region=tr result=0"
expect_eq "a failed alloc: the errno" \
	"$(event cmafw_alloc_finish | tail -n 1 | sed 's/ duration_ns=.*//')" \
	"owner=cam type=common size=2097152 align=4096 region=tr addr=0x0 error=-$ENOMEM"
ctl unregister t >/dev/null
check "both modules unload" unload_all
