#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Stress: kernel threads of the test driver allocate and free random sizes
# and alignments across four regions (both allocators) while the shell
# rewrites the map and makes, activates, deactivates and removes configfs
# regions around them.  Afterwards every region is whole, /proc/iomem holds
# no chunk and every region's counters add up.  CMAFW_STRESS_SECONDS sets
# the duration (default 10).

section "stress"
load_cmafw && load_test
st_cfs=/sys/kernel/config/cmafw
st_sys=/sys/kernel/cmafw/regions
st_secs=${CMAFW_STRESS_SECONDS:-10}
st_threads=4

# Two regions per allocator, one of them with a 1 MiB alignment; the
# configfs regions c1 and c2 come and go in the free parts of the windows.
ctl register s1 s1 0x20000000 16M 0 bitmap >/dev/null
ctl register s2 s2 0x21000000 16M 0 bestfit >/dev/null
ctl register s3 s3 0x30000000 8M 1M bitmap >/dev/null
ctl register s4 s4 0x30800000 8M 0 bestfit >/dev/null
# st_ls DIR: the names in DIR on one line.
st_ls() {
	for t_f in "$1"/*; do
		[ -e "$t_f" ] && printf '%s ' "${t_f##*/}"
	done
	echo
}
expect_eq "four stress regions registered" "$(st_ls $st_sys)" "s1 s2 s3 s4 "

# st_map N: the maps the shell cycles through; some send devices to the
# configfs regions (which may be absent) or to nothing at all.
st_map() {
	case $1 in
	0) echo 'stress0,stress1=s1,s2;stress2=s3;*=s4' ;;
	1) echo 'stress0=c1,s1;stress1=c2,s2;*=s3,s4' ;;
	2) echo '*=c1,c2,s2' ;;
	3) echo 'stress3=nosuch;stress?=s4,s1;*=s2' ;;
	*) printf '%s\n' '\n' ;; # a lone newline: the empty map
	esac
}
wr $st_cfs/map "$(st_map 0)" >/dev/null

# st_cfs_toggle NAME START ALLOCATOR: make and activate regions/NAME, or
# deactivate and remove it; deactivation fails while it holds chunks.
st_cfs_toggle() {
	t_r=$st_cfs/regions/$1
	if [ ! -d "$t_r" ]; then
		mkdir "$t_r" &&
			[ "$(wr "$t_r/size" 4M)" = ok ] &&
			[ "$(wr "$t_r/start" "$2")" = ok ] &&
			[ "$(wr "$t_r/allocator" "$3")" = ok ] &&
			[ "$(wr "$t_r/active" 1)" = ok ] &&
			st_made=$((st_made + 1))
	elif [ "$(wr "$t_r/active" 0)" = ok ] && rmdir "$t_r"; then
		st_removed=$((st_removed + 1))
	else
		st_busy=$((st_busy + 1))
	fi
}

# st_figures R: "free=size chunks alloc_success release_success" check line.
st_figures() {
	t_d=$st_sys/$1
	t_size=$(cat "$t_d/size")
	t_free=$(cat "$t_d/free")
	t_chunks=$(cat "$t_d/chunks")
	t_as=$(cat "$t_d/alloc_success")
	t_rs=$(cat "$t_d/release_success")
	expect_eq "$1: free equals size" "$t_free" "$t_size"
	expect_eq "$1: no chunk left" "$t_chunks" 0
	expect_eq "$1: alloc_success = release_success + chunks ($t_as)" \
		"$t_as" "$((t_rs + t_chunks))"
}

st_made=0 st_removed=0 st_busy=0 st_maps=0 st_reads=0
st_t0=$(date +%s)
(ctl stress "$st_secs" "$st_threads" s1,s2,s3,s4 >/tmp/stress.out) &
st_pid=$!
st_i=0
while kill -0 $st_pid 2>/dev/null; do
	st_i=$((st_i + 1))
	[ "$(wr $st_cfs/map "$(st_map $((st_i % 5)))")" = ok ] &&
		st_maps=$((st_maps + 1))
	case $((st_i % 3)) in
	0) st_cfs_toggle c1 0x22000000 bitmap ;;
	1) st_cfs_toggle c2 0x31000000 bestfit ;;
	*)
		for t_r in s1 s2 s3 s4; do
			cat $st_sys/$t_r/free $st_sys/$t_r/largest_free \
				$st_sys/$t_r/owners >/dev/null
		done
		st_reads=$((st_reads + 1))
		;;
	esac
done
wait $st_pid
st_t1=$(date +%s)
st_out=$(cat /tmp/stress.out)
rm -f /tmp/stress.out

echo "# stress: $((st_t1 - st_t0)) s ($st_secs s asked), $st_threads threads: ${st_out#ok }"
echo "# stress: meanwhile $st_maps map rewrites, $st_made configfs regions activated, $st_removed removed, $st_busy removals refused (busy), $st_reads sysfs sweeps"
case $st_out in
"ok ops="*) ok "the stress command completed" ;;
*) not_ok "the stress command completed"; echo "#   got: '$st_out'" ;;
esac
# field NAME: the value of NAME=... in the answer.
st_field() {
	echo "$st_out" | tr ' ' '\n' | sed -n "s/^$1=//p"
}
expect_eq "no answer broke the API's promises (bad=0)" "$(st_field bad)" 0
check "the threads did work" test "$(st_field allocs)" -gt 0
expect_eq "every chunk allocated was freed" "$(st_field frees)" \
	"$(st_field allocs)"
check "the shell really changed the map and the regions meanwhile" \
	test "$st_maps" -gt 2 -a "$((st_made + st_removed))" -gt 1

for r in s1 s2 s3 s4; do
	st_figures $r
done
# st_gone R: a configfs region the shell removed left nothing behind (as
# many checks as st_figures, so that the count does not vary by run).
st_gone() {
	check_not "$1: removed, it is not in sysfs" test -e "$st_sys/$1"
	check_not "$1: nor in /proc/iomem" grep -q " : cmafw:$1\$" /proc/iomem
	check_not "$1: nor in /dev/dma_heap" test -e "/dev/dma_heap/cmafw-$1"
}
for r in c1 c2; do
	if [ -d $st_cfs/regions/$r ]; then
		st_figures $r
	else
		st_gone $r
	fi
done
check_not "/proc/iomem holds no chunk and no index line" \
	grep -qE ' : (stress[0-9]+|cmafw_test|cmafw:.*#[0-9-]+)$' /proc/iomem

for r in c1 c2; do
	if [ -d $st_cfs/regions/$r ]; then
		wr $st_cfs/regions/$r/active 0 >/dev/null
		rmdir $st_cfs/regions/$r
	fi
done
check_not "the configfs regions are gone" test -e $st_cfs/regions/c1 -o \
	-e $st_cfs/regions/c2
for r in s1 s2 s3 s4; do
	ctl unregister $r >/dev/null
done
expect_eq "no cmafw line is left in /proc/iomem" "$(iomem_count cmafw)" 0
expect_eq "sysfs lists no region" "$(st_ls $st_sys)" ""
check "both modules unload" unload_all
