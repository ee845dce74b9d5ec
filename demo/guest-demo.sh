#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The cmafw demo, run inside the QEMU guest by scripts/demo.sh (make demo).
#
# It replays the use cases of the 2010 CMA framework, step by step, with
# the sample drivers in samples/ (platform devices "video", "camera" and
# "jpeg" that keep full-HD or 720p frames) and tools/cmaadm/cmaadm for
# every administrative step:
#
#   1. one 20 MiB region shared by video and camera;
#   2. both devices at once: the allocation that fails, and why;
#   3. a region per device plus a 5 MiB common region for everyone else;
#   4. switching a region's allocator by name, bitmap -> bestfit;
#   5. fragmentation before and after the switch;
#   6. camera/video churn on one region, bitmap against segfit, drawn with
#      `cmaadm region show --layout`;
#   7. lend mode: the memory is not wasted while the camera is off;
#   8. (demo/guest-camera.sh, on the generic kernel) a camera pipeline in
#      userspace: vivid captures into frames from a cmafw heap.
#
# Each step prints its title, every command and its outcome (with the
# kernel log lines it caused), then the cmafw lines of /proc/iomem and
# `cmaadm status`.  Every outcome the story tells is checked and reported
# as a TAP line, so a step that does not do what the story says fails the
# demo.  POSIX sh: runs under busybox ash.

MODS=${CMAFW_MODULES:-/modules}
CMAADM=${CMAFW_TOOLS:-/tools}/cmaadm/cmaadm
SYS=/sys/kernel/cmafw/regions

MIB=1048576
# A full-HD frame: 1920 x 1080 pixels x 3 bytes, in whole 4 KiB pages.
FRAME_BYTES=6220800
FRAME=6221824
# A 720p frame: 1280 x 720 x 3 bytes, a whole number of pages already.
HD720=2764800

# --- output --------------------------------------------------------------

step() {
	printf '\n%s\n' '========================================================================'
	printf 'Step %s\n\n' "$*"
}

# say TEXT...: a line of the story.
say() {
	printf '%s\n' "$*"
}

# n NUMBER: with thousands separators.
n() {
	awk -v x="$1" 'BEGIN {
		while (length(x) > 3) {
			s = "," substr(x, length(x) - 2) s
			x = substr(x, 1, length(x) - 3)
		}
		print x s
	}'
}

klog_mark() {
	KLOG_AT=$(dmesg | wc -l)
}

# The kernel log lines from cmafw and the sample drivers since klog_mark,
# each once: busybox's insmod retries a failed finit_module() with
# init_module(), so a module whose init fails logs everything twice.
klog_show() {
	dmesg | tail -n +$((KLOG_AT + 1)) |
		grep -E '(cmafw|cmafw_video|cmafw_camera|cmafw_jpeg): ' |
		grep -Ev 'taints kernel|module verification failed' |
		sed 's/^\[[^]]*\] *//' | awk '!seen[$0]++ { print "  kernel: " $0 }'
}

# run 'COMMAND': print it, run it, print the kernel log lines it caused
# and its output.  Returns the command's exit status.
run() {
	printf '\n$ %s\n' "$1"
	klog_mark
	eval "$1" >/tmp/run.out 2>&1
	RUN_STATUS=$?
	klog_show
	sed 's/^/  /' /tmp/run.out
	[ "$RUN_STATUS" -eq 0 ] || printf '  (exit status %s)\n' "$RUN_STATUS"
	return "$RUN_STATUS"
}

# The cmafw regions in /proc/iomem and the chunks under them.
iomem() {
	awk '
	function depth(l) { match(l, /^ */); return RLENGTH }
	in_region && depth($0) > rdepth { print; next }
	{ in_region = 0 }
	/ : cmafw:/ { in_region = 1; rdepth = depth($0); print; found = 1 }
	END { if (!found) print "(no cmafw region)" }' /proc/iomem
}

# show: the state at the end of a step.
show() {
	printf '\n/proc/iomem, cmafw lines:\n'
	iomem | sed 's/^/  /'
	printf '\n$ cmaadm status\n'
	cmaadm status 2>&1 | sed 's/^/  /'
}

# --- checks (TAP): the guest suite's own helpers (ok, not_ok, check,
# expect_eq, ...), from the test tree the harness puts in every guest ------
# shellcheck disable=SC1091 # a guest path
. /selftests/cmafw/guest/lib.sh

# --- the system under demonstration -------------------------------------

cmaadm() {
	sh "$CMAADM" "$@"
}

# fig REGION FILE: a figure from /sys/kernel/cmafw/regions/REGION/.
fig() {
	cat "$SYS/$1/$2" 2>/dev/null
}

# held REGION OWNER: "BYTES CHUNKS" that OWNER holds in REGION.
held() {
	awk -v o="$2" '$1 == o { print $2, $3; f = 1 } END { if (!f) print "0 0" }' \
		"$SYS/$1/owners" 2>/dev/null
}

# frames DEVICE: the frames the sample driver holds, per its parameter.
frames() {
	cat "/sys/module/cmafw_$1/parameters/frames" 2>/dev/null || echo none
}

loaded() {
	grep -q "^$1 " /proc/modules
}

# chunk_at OWNER ADDR: /proc/iomem has a chunk of OWNER starting at ADDR
# (hex without 0x).
chunk_at() {
	grep -Eq "^ +0*$2-[0-9a-f]+ : $1\$" /proc/iomem
}

# klog_has PATTERN: a kernel log line since klog_mark matches PATTERN.
klog_has() {
	dmesg | tail -n +$((KLOG_AT + 1)) | grep -q -e "$1"
}

# --- prologue ------------------------------------------------------------

cd "$MODS" || exit 2
# Kernel messages go to the story through klog_show, not to the console.
dmesg -n 1
echo "TAP version 13"
say "cmafw demo: contiguous memory for devices without scatter-gather"
say
say "The guest kernel's command line reserves memory the kernel leaves alone:"
say "  $(grep -o 'memmap=[^ ]*' /proc/cmdline | tr '\n' ' ')"
say "These windows show as \"Reserved\" in /proc/iomem:"
grep -o 'memmap=[^ ]*' /proc/cmdline | while read -r m; do
	grep -E "^ *0*$(printf '%x' "$((${m##*\$}))")-[0-9a-f]+ : Reserved\$" /proc/iomem
done | sed 's/^ */  /'
say "The video codec and the camera want full-HD frames of 1920x1080x3 ="
say "$(n $FRAME_BYTES) bytes, $(n $FRAME) in whole pages, 3 frames each by default."
if [ ! -f "$CMAADM" ]; then
	say
	say "tools/cmaadm/cmaadm is missing: the demo needs it."
	not_ok "tools/cmaadm/cmaadm is in the tree"
	echo "1..$T_NUM"
	exit 1
fi

run 'insmod cmafw.ko'
check "cmafw loads" loaded cmafw
run 'cmaadm allocators'

# --- 1 -------------------------------------------------------------------

step "1: one 20 MiB region shared by video and camera"
say "The video codec and the camera never run at the same time, so they"
say "can share one region: 20 MiB at 0x20000000, inside the first window."
run 'cmaadm region add region --size 20M --start 0x20000000'
run "cmaadm map set 'video,camera=region'"
check "the region is in /proc/iomem" grep -q ' : cmafw:region$' /proc/iomem
expect_eq "the map is set" "$(cat /sys/kernel/config/cmafw/map)" \
	'video,camera=region'
say
say "The video codec plays a film:"
run 'insmod cmafw_video.ko frames=3'
expect_eq "video holds 3 frames in region" "$(held region video)" \
	"$((3 * FRAME)) 3"
check "/proc/iomem names video's first chunk" chunk_at video 20000000
run 'rmmod cmafw_video'
expect_eq "region is empty again" "$(fig region chunks)" 0
say
say "Then the camera records, and gets the very same memory:"
run 'insmod cmafw_camera.ko frames=3'
expect_eq "camera holds 3 frames in region" "$(held region camera)" \
	"$((3 * FRAME)) 3"
check "at the addresses video had" chunk_at camera 20000000
show

# --- 2 -------------------------------------------------------------------

step "2: both devices at once"
say "Now the codec starts while the camera still records.  It wants 3"
say "frames too: 6 x $(n $FRAME) = $(n $((6 * FRAME))) bytes do not fit"
say "in $(n $((20 * MIB)))."
if run 'insmod cmafw_video.ko frames=3'; then
	not_ok "video's load fails"
else
	ok "video's load fails"
fi
check "its first frame got ENOMEM, in the kernel log" \
	klog_has 'cmafw_video: frame 0: cma_alloc(video, 6220800 bytes) failed: -ENOMEM'
check "video is not loaded" sh -c '! grep -q "^cmafw_video " /proc/modules'
free=$(fig region free)
say
say "Why: region holds $(n "$(fig region size)") bytes, the camera's 3 frames"
say "use $(n "$(fig region used)"), so $(n "$free") are free and the largest free"
say "extent is $(n "$(fig region largest_free)") bytes: less than one frame of $(n $FRAME)."
expect_eq "the camera still holds its 3 frames" "$(held region camera)" \
	"$((3 * FRAME)) 3"
check "region's free space is less than a frame" test "$free" -lt "$FRAME"
check "sysfs counted the failed request" test "$(fig region alloc_fail)" -ge 1
show

# --- 3 -------------------------------------------------------------------

step "3: a region per device, and 5 MiB for everyone else"
say "To run both at once, each device gets its own 20 MiB, and a small"
say "common region serves any other device.  Add common and the new map"
say "first: a map swap is atomic, and nothing new lands in region."
run 'cmaadm region add common --size 5M --start 0x21400000'
run "cmaadm map set 'video=v;camera=c;*=common'"
say "(Until v and c exist, video and camera would get ENOENT.)"
expect_eq "the map is set" "$(cat /sys/kernel/config/cmafw/map)" \
	'video=v;camera=c;*=common'
say
say "region cannot go while the camera holds frames in it:"
if run 'cmaadm region rm region'; then
	not_ok "removing a region with live chunks is refused"
else
	ok "removing a region with live chunks is refused"
fi
check "region is still there" test -d "$SYS/region"
run 'rmmod cmafw_camera'
run 'cmaadm region rm region'
check "region is gone" test ! -e "$SYS/region"
run 'cmaadm region add v --size 20M --start 0x20000000'
run 'cmaadm region add c --size 20M --start 0x21900000'
say
say "Both devices start, with 3 full-HD frames each:"
run 'insmod cmafw_video.ko frames=3'
run 'insmod cmafw_camera.ko frames=3'
expect_eq "video holds 3 frames in v" "$(held v video)" "$((3 * FRAME)) 3"
expect_eq "camera holds 3 frames in c" "$(held c camera)" "$((3 * FRAME)) 3"
say
say "A JPEG encoder, which no rule names, falls to \"*=common\"; it wants"
say "one 720p frame of $(n $HD720) bytes:"
run 'insmod cmafw_jpeg.ko frames=1'
expect_eq "jpeg holds 1 frame in common" "$(held common jpeg)" "$HD720 1"
check "/proc/iomem names the jpeg chunk in common" chunk_at jpeg 21400000
show

# --- 4 -------------------------------------------------------------------

# workload ALLOCATOR: video and camera share region, the camera records
# 720p, and both change their number of frames while running.  Saves the
# state before video's last request in /tmp/before.ALLOCATOR.
workload() {
	run 'insmod cmafw_video.ko frames=2'
	run 'insmod cmafw_camera.ko frames=1 width=1280 height=720'
	say
	say "The codec drops its second frame, leaving a hole of exactly one frame:"
	run 'echo 1 > /sys/module/cmafw_video/parameters/frames'
	say
	say "The camera asks for a second 720p frame.  Where does it go?"
	run 'echo 2 > /sys/module/cmafw_camera/parameters/frames'
	run 'cmaadm chunks region'
	cmaadm region show region >"/tmp/show.$1" 2>&1
	echo "$(fig region free) $(fig region largest_free)" >"/tmp/figures.$1"
	grep -v ' 0$' "$SYS/region/free_extents" >"/tmp/extents.$1"
	say
	say "The codec wants its second frame back:"
	run 'echo 2 > /sys/module/cmafw_video/parameters/frames'
	VIDEO_STATUS=$RUN_STATUS
}

step "4: switching the allocator by name, bitmap -> bestfit"
say "Back to one region shared by video and camera; the camera now"
say "records 720p, and both change their number of frames as they run."
run 'rmmod cmafw_video cmafw_camera cmafw_jpeg'
run 'cmaadm region rm v'
run 'cmaadm region rm c'
say
say "region comes back with the default allocator, bitmap (first fit):"
run 'cmaadm region add region --size 20M --start 0x20000000'
run "cmaadm map set 'video,camera=region;*=common'"
expect_eq "region uses bitmap" "$(fig region allocator)" bitmap
workload bitmap
check "bitmap put the camera's second frame in the first hole" \
	chunk_at camera 205ef000
check "so the codec's frame no longer fits: the write failed" \
	test "$VIDEO_STATUS" -ne 0
expect_eq "the codec runs with 1 frame" "$(frames video)" 1
check "the kernel log says ENOMEM" \
	klog_has 'cmafw_video: frame 1: cma_alloc(video, 6220800 bytes) failed: -ENOMEM'
show
say
say "Switch region to bestfit, which takes the smallest hole that fits.  The"
say "allocator is chosen when a region is added: remove it and add it again."
run 'rmmod cmafw_video cmafw_camera'
run 'cmaadm region rm region'
run 'cmaadm region add region --size 20M --start 0x20000000 --allocator bestfit'
expect_eq "region uses bestfit" "$(fig region allocator)" bestfit
say
say "The same sequence again:"
workload bestfit
check "bestfit put the camera's second frame in the tail hole" \
	chunk_at camera 20e81000
expect_eq "so the codec's frame fits: the write succeeded" "$VIDEO_STATUS" 0
expect_eq "the codec holds 2 frames" "$(held region video)" "$((2 * FRAME)) 2"
check "the second one where it was at first" chunk_at video 205ef000
show

# --- 5 -------------------------------------------------------------------

step "5: fragmentation before and after the switch"
say "Right before the codec asked for its frame back, the region looked like"
say "this with each allocator.  Before the switch, with bitmap:"
printf '\n$ cmaadm region show region\n'
sed 's/^/  /' /tmp/show.bitmap
say
say "After the switch, with bestfit:"
printf '\n$ cmaadm region show region\n'
sed 's/^/  /' /tmp/show.bestfit
read -r bm_free bm_largest </tmp/figures.bitmap
read -r bf_free bf_largest </tmp/figures.bestfit
say
say "              free bytes   largest_free   free extents"
printf '  bitmap    %12s   %12s   %s\n' "$(n "$bm_free")" "$(n "$bm_largest")" \
	"$(wc -l </tmp/extents.bitmap)"
printf '  bestfit   %12s   %12s   %s\n' "$(n "$bf_free")" "$(n "$bf_largest")" \
	"$(wc -l </tmp/extents.bestfit)"
say
say "The same $(n "$bm_free") bytes were free, in two extents with either"
say "allocator, but bitmap had cut the camera's 720p frame out of the hole"
say "the codec left, so its largest free extent was smaller than a full-HD"
say "frame of $(n $FRAME) bytes.  bestfit had kept that hole whole."
expect_eq "the same number of bytes was free" "$bf_free" "$bm_free"
check "bitmap: largest_free < one frame" test "$bm_largest" -lt "$FRAME"
check "bestfit: largest_free >= one frame" test "$bf_largest" -ge "$FRAME"
say
say "Fragmentation lasts only as long as the chunks: once both drivers stop,"
say "the region is one free extent again."
run 'rmmod cmafw_video cmafw_camera'
expect_eq "region is whole again" "$(fig region largest_free)" "$((20 * MIB))"
show

# --- 6 -------------------------------------------------------------------

# churn ALLOCATOR: a 16 MiB region "churn" for the three devices: the codec
# takes two frames, the JPEG encoder three small buffers, the codec drops
# a frame and the camera starts a 720p one; then the codec asks for its
# second frame again.  Sets CHURN_STATUS to that write's status.
churn() {
	run "cmaadm region add churn --size 16M --start 0x20000000 --allocator $1"
	run "cmaadm map set 'video,camera,jpeg=churn;*=common'"
	run 'insmod cmafw_video.ko frames=2'
	run 'insmod cmafw_jpeg.ko frames=3 width=256 height=256'
	run 'echo 1 > /sys/module/cmafw_video/parameters/frames'
	run 'insmod cmafw_camera.ko frames=1 width=1280 height=720'
	run 'cmaadm region show churn --layout'
	say
	say "The codec asks for its second frame again:"
	run 'echo 2 > /sys/module/cmafw_video/parameters/frames'
	CHURN_STATUS=$RUN_STATUS
	run 'cmaadm region show churn --layout'
}

step "6: camera/video churn on one region, bitmap against segfit"
say "segfit keeps buffers of up to 512 KiB in the lowest holes, and puts a"
say "larger chunk where it cuts the least room for full-HD and 720p frames and"
say "8 MiB buffers, counting the room the next few frees are likely to join"
say "again; among equal places it takes a 1 MiB boundary, and the top of the"
say "hole for 2 MiB and more.  The same churn with bitmap, then segfit:"
run 'cmaadm region rm region'
churn bitmap
check "bitmap: the camera's frame went into the hole the codec left" \
	chunk_at camera 205ef000
check "so the codec's frame no longer fits anywhere: the write failed" \
	test "$CHURN_STATUS" -ne 0
check "bitmap: largest_free < one frame" \
	test "$(fig churn largest_free)" -lt "$FRAME"
run 'rmmod cmafw_video cmafw_camera cmafw_jpeg'
run 'cmaadm region rm churn'
say
say "The same churn with segfit:"
churn segfit
check "segfit: the JPEG buffers in the lowest hole, above the codec's frame" \
	chunk_at jpeg 205ef000
check "segfit: the camera's frame at the very top of the hole, where it leaves no sliver" \
	chunk_at camera 20d5d000
expect_eq "so the codec's frame still fits: the write succeeded" \
	"$CHURN_STATUS" 0
check "segfit: the codec's second frame between the JPEG buffers and the camera's, on a 1 MiB boundary" \
	chunk_at video 20700000
run 'rmmod cmafw_video cmafw_camera cmafw_jpeg'
run 'cmaadm region rm churn'

# --- 7 -------------------------------------------------------------------

step "7: the memory is not wasted while the camera is off"
say "A carve-out is lost to everything else while its device is idle.  In"
say "lend mode the kernel uses it as movable memory until a chunk needs it."
say "The third window, 256 MiB at 0x40000000, is two whole 128 MiB memory"
say "blocks, and the kernel was booted with memhp_default_state=online_movable."
mem() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
movable() {
	awk -v f="$1" '/^Node/ { z = $4 }
		z == "Movable" && ($1 == f || ($1 == "pages" && $2 == f)) { print $NF; exit }' \
		/proc/zoneinfo
}
d_free0=$(mem MemFree)
run 'cmaadm region add lendcam --size 256M --start 0x40000000 --mode lend'
run "cmaadm map set 'camera=lendcam;*=common'"
d_free1=$(mem MemFree)
say
say "MemFree: $(n "$d_free0") kB before, $(n "$d_free1") kB now."
check "MemFree grew by over 200 MiB" test $((d_free1 - d_free0)) -gt 204800
say
say "A load fills memory: 32 MiB of files in tmpfs, and a process holding"
say "16 MiB of anonymous memory (dd waiting for the last byte of its block):"
d_fs=/tmp/demo-load
mkdir -p $d_fs
run "head -c $((16 * MIB)) /dev/urandom >$d_fs/a; head -c $((16 * MIB)) /dev/urandom >$d_fs/b; head -c $((16 * MIB)) /dev/urandom >$d_fs/anon; (cd $d_fs && md5sum a b >sums); cat $d_fs/sums"
rm -f /tmp/demo.fifo
mkfifo /tmp/demo.fifo
dd if=/tmp/demo.fifo of=$d_fs/anon.out bs=16M count=1 iflag=fullblock 2>/dev/null &
d_dd=$!
exec 4>/tmp/demo.fifo
head -c $((16 * MIB - 1)) $d_fs/anon >&4
d_used=$((($(movable present) - $(movable free)) * 4096 / MIB))
say "The kernel put $d_used MiB of it in the camera's region (the Movable zone)."
check "the load uses the lent memory" test "$d_used" -ge 8
say
say "Now the camera starts: its frames take the memory back, migrating"
say "the load's pages elsewhere."
run 'insmod cmafw_camera.ko frames=3'
expect_eq "camera holds 3 frames in lendcam" "$(held lendcam camera)" \
	"$((3 * FRAME)) 3"
show
run "(cd $d_fs && md5sum -c sums)"
check "the files are intact" sh -c "cd $d_fs && md5sum -c sums >/dev/null"
tail -c 1 $d_fs/anon >&4
exec 4>&-
wait $d_dd
check "the anonymous memory is intact" cmp -s $d_fs/anon $d_fs/anon.out
rm -rf $d_fs /tmp/demo.fifo
say
say "When the camera stops, the memory goes back to the kernel:"
run 'rmmod cmafw_camera'
expect_eq "all of lendcam is lent again" "$(fig lendcam lent)" $((256 * MIB))
run 'cmaadm region rm lendcam'
check "and removing the region takes it back from the kernel" \
	sh -c "! grep -q 'cmafw:lendcam' /proc/iomem"

# --- epilogue ------------------------------------------------------------

printf '\nCleaning up:\n'
run 'cmaadm region rm common'
run 'rmmod cmafw'
check "everything unloads" sh -c '! grep -q "^cmafw" /proc/modules'
echo "1..$T_NUM"
if [ "$T_FAILED" -eq 0 ]; then
	say "demo: all $T_NUM checks passed"
else
	say "demo: $T_FAILED of $T_NUM checks FAILED"
fi
[ "$T_FAILED" -eq 0 ]
