#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# configfs: regions made with mkdir and echo, every bad input refused with
# the right errno and no change, busy regions kept, the map attribute.

section "configfs"
load_cmafw && load_test
CFS=/sys/kernel/config/cmafw
R=$CFS/regions/cam

# wr (lib.sh) writes a value and prints "ok" or the error text.

# The configuration of regions/cam, in one line.
cfg() {
	for t_f in size start alignment allocator active chunks used; do
		printf '%s=%s ' "$t_f" "$(cat "$R/$t_f")"
	done
}

check "the subsystem is in configfs" test -d $CFS/regions
check "mkdir makes a region in the making" mkdir $R
expect_eq "its defaults" "$(cfg)" \
	"size=0 start=0x0 alignment=0 allocator=bitmap active=0 chunks=0 used=0 "
check_not "mkdir with a map separator in the name is refused" \
	mkdir "$CFS/regions/a,b"

# refuse ATTR VALUE ERROR: the write fails with ERROR and nothing changes.
refuse() {
	t_before=$(cfg)
	expect_eq "$1 '$2' is refused: $3" "$(wr "$R/$1" "$2")" "$3"
	expect_eq "$1 '$2' leaves the region unchanged" "$(cfg)" "$t_before"
	T_CASES=$((T_CASES + 1))
}
T_CASES=0
EINVAL_T="Invalid argument"
ERANGE_T="Numerical result out of range"
EBUSY_T="Device or resource busy"
for v in ' ' '\n' 'abc' '-4096' '0' '5000' '4096 x' '4K\0' '1Q' '0x'; do
	refuse size "$v" "$EINVAL_T"
done
refuse size 99999999999999999999 "$ERANGE_T"
refuse size 20000000T "$ERANGE_T"
for v in '\n' 'xyz' '-4096' '0x20000800' '0x2000000z'; do
	refuse start "$v" "$EINVAL_T"
done
refuse start 0x1ffffffffffffffff "$ERANGE_T"
for v in '\n' 'abc' '-1' '3M' '512' '0x3000'; do
	refuse alignment "$v" "$EINVAL_T"
done
for v in '\n' 'no such' 'a,b' 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' 'bit\0map'; do
	refuse allocator "$v" "$EINVAL_T"
done
refuse allocator nosuch "No such device"
for v in '\n' '2' 'yes' '-1' '1x'; do
	refuse active "$v" "$EINVAL_T"
done
log_mark
refuse active 1 "$EINVAL_T"
check "activation without a size is explained" \
	log_since 'set size before activating'

expect_eq "size 0100M, octal as on the kernel's command line" \
	"$(wr $R/size 0100M)$(cat $R/size)" ok67108864
expect_eq "size 16M" "$(wr $R/size 16M)" ok
expect_eq "start" "$(wr $R/start 0x20080000)" ok
expect_eq "alignment 1M" "$(wr $R/alignment 1M)" ok
refuse active 1 "$EINVAL_T"
ctl register drv drv 0x20000000 1M 0 - >/dev/null
expect_eq "start over a driver's region" "$(wr $R/start 0x20000000)" ok
iomem_before=$(cat /proc/iomem)
refuse active 1 "Address already in use"
expect_eq "start in System RAM" "$(wr $R/start "$CMAFW_SYSRAM")" ok
refuse active 1 "Cannot assign requested address"
expect_eq "refused activations leave /proc/iomem unchanged" \
	"$(cat /proc/iomem)" "$iomem_before"
mkdir $CFS/regions/drv
wr $CFS/regions/drv/size 1M >/dev/null
wr $CFS/regions/drv/start 0x30000000 >/dev/null
expect_eq "configfs cannot take over a driver's region by name" \
	"$(wr $CFS/regions/drv/active 1)" "File exists"
rmdir $CFS/regions/drv
expect_eq "the driver's region is untouched" "$(cat /sys/kernel/cmafw/regions/drv/origin)" driver

# A show racing a store reads the old name or the new one, whole.
(
	while :; do
		echo segfit >$R/allocator
		echo bestfit >$R/allocator
	done
) 2>/dev/null &
t_w=$!
t_reads=0
t_torn=
while [ $t_reads -lt 3000 ]; do
	read -r t_a <$R/allocator
	case $t_a in segfit | bestfit | bitmap) ;; *) t_torn="$t_torn $t_a" ;; esac
	t_reads=$((t_reads + 1))
done
kill $t_w
wait $t_w 2>/dev/null
expect_eq "3000 reads of allocator during stores: each a whole name" \
	"$t_torn" ""
expect_eq "allocator bestfit" "$(wr $R/allocator bestfit)" ok
expect_eq "start 0x21000000" "$(wr $R/start 0x21000000)" ok
expect_eq "activate" "$(wr $R/active 1)" ok
check "the region is in /proc/iomem" iomem_has 21000000 21ffffff cmafw:cam 1
expect_eq "sysfs shows its origin" \
	"$(cat /sys/kernel/cmafw/regions/cam/origin)" configfs
expect_eq "sysfs shows its allocator" \
	"$(cat /sys/kernel/cmafw/regions/cam/allocator)" bestfit
expect_eq "activating twice is harmless" "$(wr $R/active 1)" ok
for a in size start alignment allocator; do
	refuse "$a" 1M "$EBUSY_T"
done
refuse allocator bitmap "$EBUSY_T"

expect_eq "write the map" "$(wr $CFS/map 'cam=cam;*=drv\n')" ok
expect_eq "read the map back" "$(cat $CFS/map)" "cam=cam;*=drv"
c=$(alloc cam - 1M 0)
expect_eq "a chunk for cam" "$c" 0x21000000
expect_eq "live figures in configfs" "$(cat $R/chunks) $(cat $R/used)" \
	"1 1048576"
refuse active 0 "$EBUSY_T"
check_not "rmdir with a live chunk is refused" rmdir $R
check "the region stays" iomem_has 21000000 21ffffff cmafw:cam 1
expect_eq "free the chunk" "$(ctl free "$c")" ok
expect_eq "deactivate" "$(wr $R/active 0)" ok
check_not "the region left /proc/iomem" iomem_line 21000000 21ffffff
check_not "and sysfs" test -e /sys/kernel/cmafw/regions/cam
expect_eq "configuration is writable again" "$(wr $R/size 8M)" ok
expect_eq "reactivate" "$(wr $R/active 1)" ok
c=$(alloc cam - 4K 0)
ctl free "$c" >/dev/null
check "rmdir of an active region without chunks works" rmdir $R
check_not "and removes it from /proc/iomem" iomem_line 21000000 217fffff

# A region over 128 GiB: its bitmap, 8 MiB here, is more than the slab
# allocator gives (a warning before).  x86 only: 128-384 GiB is free there,
# on QEMU's arm64 board it is PCIe and interrupt controller space.
if [ "$(uname -m)" != aarch64 ]; then
	mkdir $R
	echo 256G >$R/size
	echo 0x2000000000 >$R/start
	log_mark
	expect_eq "a 256 GiB region activates" "$(wr $R/active 1)" ok
	expect_eq "...with its size in sysfs" \
		"$(cat /sys/kernel/cmafw/regions/cam/size)" 274877906944
	check_not "...and no warning" log_since "WARNING"
	check "rmdir removes it" rmdir $R
fi

section "configfs map"
log_mark
expect_eq "an invalid map is refused" "$(wr $CFS/map 'a=')" "$EINVAL_T"
check "the log names the column" log_since 'map: column [0-9]'
expect_eq "the old map stays" "$(cat $CFS/map)" "cam=cam;*=drv"
# A device-tree node's name is no region name: no region could match it.
log_mark
expect_eq "a map naming region pool@30000000 is refused" \
	"$(wr $CFS/map 'cam=pool@30000000')" "$EINVAL_T"
check "...with a line at the '@'" log_since \
	"map: column 9: expected ',' or ';' after the region name, found '@'"
log_mark
expect_eq "so is a region name of 33 bytes" \
	"$(wr $CFS/map 'cam=abcdefghijklmnopqrstuvwxyz0123456')" "$EINVAL_T"
check "...with a line at the 33rd" log_since \
	"map: column 37: expected the end of the region name (at most 32 bytes), found '6'"
expect_eq "the old map still stays" "$(cat $CFS/map)" "cam=cam;*=drv"
expect_eq "a 32-byte region name is taken" \
	"$(wr $CFS/map 'cam=abcdefghijklmnopqrstuvwxyz012345;*=drv')" ok
expect_eq "...and read back" "$(cat $CFS/map)" \
	"cam=abcdefghijklmnopqrstuvwxyz012345;*=drv"
expect_eq "put the map back" "$(wr $CFS/map 'cam=cam;*=drv')" ok
expect_eq "a map with a NUL is refused" "$(wr $CFS/map 'a=b\0c=d')" \
	"$EINVAL_T"
long=$(i=0; while [ $i -lt 1022 ]; do printf 'd=r;'; i=$((i + 1)); done)
expect_eq "a 4094-byte map is accepted" "$(wr $CFS/map "${long}d=rrr;")" ok
expect_eq "it reads back whole" "$(wc -c <$CFS/map)" 4095
expect_eq "a 4095-byte map gets E2BIG" "$(wr $CFS/map "${long}d=rrrr;")" \
	"Argument list too long"
log_mark
expect_eq "so does a 9000-byte one" "$(wr $CFS/map "$long$long$long")" \
	"Argument list too long"
check "the log says why" log_since 'map: longer than 4094 bytes'
expect_eq "an empty line clears the map" "$(wr $CFS/map '\n')" ok
expect_eq "and it reads back empty" "$(cat $CFS/map)" ""

section "configfs map swap under load"
for r in r1 r2; do
	mkdir $CFS/regions/$r
done
wr $CFS/regions/r1/size 4M >/dev/null
wr $CFS/regions/r1/start 0x22000000 >/dev/null
wr $CFS/regions/r2/size 4M >/dev/null
wr $CFS/regions/r2/start 0x23000000 >/dev/null
wr $CFS/regions/r1/active 1 >/dev/null
wr $CFS/regions/r2/active 1 >/dev/null
wr $CFS/map 'cam=r1' >/dev/null
(
	i=0
	while [ $i -lt 150 ]; do
		a=$(alloc cam - 64K 0)
		case $a in
		0x22* | 0x23*) ctl free "$a" >/dev/null ;;
		*) echo "bad $a" ;;
		esac
		i=$((i + 1))
	done
) >/tmp/swap.out &
loader=$!
swaps=0
while kill -0 $loader 2>/dev/null; do
	wr $CFS/map 'cam=r2' >/dev/null
	wr $CFS/map 'cam=r1' >/dev/null
	swaps=$((swaps + 2))
done
wait $loader
echo "# $swaps map swaps during 150 allocations"
expect_eq "every allocation saw the old map or the new one" \
	"$(cat /tmp/swap.out)" ""
check "the map was really swapped during the run" test "$swaps" -gt 10
expect_eq "r1 and r2 are whole again" \
	"$(cat /sys/kernel/cmafw/regions/r1/free) $(cat /sys/kernel/cmafw/regions/r2/free)" \
	"4194304 4194304"
for r in r1 r2; do
	rmdir $CFS/regions/$r
done
echo "# configfs bad-input cases: $T_CASES"
expect_eq "the driver's region goes" "$(ctl unregister drv)" ok
# cmafw_test would refuse the unload by itself: it goes first.
check "cmafw_test unloads" rmmod cmafw_test
check "a configfs region x" mkdir $CFS/regions/x
check_not "rmmod cmafw is refused while a configfs region exists" rmmod cmafw
rmdir $CFS/regions/x
check "...and done once x is gone" rmmod cmafw
check "both modules are out" unload_all
check_not "configfs has no cmafw left" test -e $CFS
