#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Permissions: the unprivileged user `user` cannot change anything
# (configfs, sysfs, module parameters, modules), sees no addresses in
# /proc/iomem, sysfs, configfs or the module parameters, and cannot reach the test driver's control file, which is
# root-only and exists only while the test module is loaded.

section "permissions"
pm_cfs=/sys/kernel/config/cmafw
pm_sys=/sys/kernel/cmafw

# as_user COMMAND: run COMMAND with sh as `user`; print its output and,
# when it fails, the text after its last ": ".
as_user() {
	if t_out=$(su -s /bin/sh user -c "$1" 2>&1); then
		echo "$t_out"
	else
		echo "${t_out##*: }"
	fi
}

# pm_state: what a refused write must leave as it was.
pm_state() {
	grep -H . $pm_cfs/map $pm_cfs/regions/*/* $pm_sys/regions/*/used \
		/proc/iomem /sys/module/cmafw/refcnt 2>&1
	ls /sys/module
}

check_not "the control file is absent before the test module loads" \
	test -e "$CTL"
load_cmafw 'regions=p=1M@0x30000000' 'map=*=p'
check_not "and while only cmafw is loaded" test -e "$CTL"
load_test
check "it exists with the test module" test -e "$CTL"
expect_eq "it is root's, mode 0600" "$(stat -c '%U %a' "$CTL")" "root 600"
expect_eq "the test runs as root; user is uid 1000" \
	"$(id -u) $(as_user 'id -u')" "0 1000"

mkdir $pm_cfs/regions/cr
wr $pm_cfs/regions/cr/size 1M >/dev/null
wr $pm_cfs/regions/cr/start 0x20000000 >/dev/null
wr $pm_cfs/regions/cr/active 1 >/dev/null
pm_chunk=$(alloc dev - 64K 0)
expect_eq "a chunk to look at" "$pm_chunk" 0x30000000

expect_eq "user can read the map" "$(as_user "cat $pm_cfs/map")" "*=p"
expect_eq "user can read sysfs figures" \
	"$(as_user "cat $pm_sys/regions/p/used")" 65536
expect_eq "root reads the addresses" \
	"$(cat $pm_sys/regions/p/base $pm_cfs/regions/cr/start | tr '\n' ' ')" \
	"0x30000000 0x20000000 "

# debugfs' root is root's alone (0700): opened to all for these cases, so
# that the control file's own mode is what refuses user.
pm_dbg=$(stat -c %a /sys/kernel/debug)
chmod 755 /sys/kernel/debug
pm_cases=0
while IFS='|' read -r t_desc t_cmd t_exp; do
	t_before=$(pm_state)
	expect_eq "user: $t_desc: $t_exp" "$(as_user "$t_cmd")" "$t_exp"
	expect_eq "user: $t_desc: nothing changed" "$(pm_state)" "$t_before"
	pm_cases=$((pm_cases + 1))
done <<EOF
write the configfs map|echo '*=cr' >$pm_cfs/map|$EACCES_T
write a configfs size|echo 2M >$pm_cfs/regions/cr/size|$EACCES_T
deactivate a configfs region|echo 0 >$pm_cfs/regions/cr/active|$EACCES_T
make a configfs region|mkdir $pm_cfs/regions/u|$EACCES_T
remove a configfs region|rmdir $pm_cfs/regions/cr|$EACCES_T
write a sysfs figure|echo 0 >$pm_sys/regions/p/free|$EACCES_T
write sysfs allocators|echo x >$pm_sys/allocators|$EACCES_T
write the map parameter|echo x >/sys/module/cmafw/parameters/map|$EACCES_T
read a region's base address in sysfs|cat $pm_sys/regions/p/base|$EACCES_T
read a configfs region's start address|cat $pm_cfs/regions/cr/start|$EACCES_T
read the regions parameter, addresses and all|cat /sys/module/cmafw/parameters/regions|$EACCES_T
open the control file for writing|echo 'free $pm_chunk' >$CTL|$EACCES_T
open the control file for reading|cat $CTL|$EACCES_T
unload the test module|rmmod cmafw_test|$EPERM_T
load a module|insmod $MODDIR/cmafw.ko|$EPERM_T
EOF
chmod "$pm_dbg" /sys/kernel/debug
echo "# permission cases: $pm_cases"

pm_lines=$(as_user 'grep -c . /proc/iomem')
expect_eq "user sees every /proc/iomem line" "$pm_lines" \
	"$(grep -c . /proc/iomem)"
expect_eq "but no address in any of them" \
	"$(as_user 'grep -cvE "^ *0+-0+ : " /proc/iomem')" 0
expect_eq "a cmafw region shows as zeros" \
	"$(as_user 'grep " : cmafw:p$" /proc/iomem')" \
	"  00000000-00000000 : cmafw:p"
expect_eq "and its chunk too" \
	"$(as_user 'grep " : dev$" /proc/iomem' | sed 's/^ *//')" \
	"00000000-00000000 : dev"

expect_eq "root frees the chunk" "$(ctl free "$pm_chunk")" ok
wr $pm_cfs/regions/cr/active 0 >/dev/null
rmdir $pm_cfs/regions/cr
rmmod cmafw_test
check_not "the control file goes with the test module" test -e "$CTL"
check_not "and so does its debugfs directory" \
	test -e /sys/kernel/debug/cmafw_test
check "both modules unload" unload_all
