#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The demo's last step, run by scripts/demo.sh in a second guest, Debian's
# generic 6.12 kernel (scripts/vivid-run.sh), which has vivid, a virtual
# camera: a camera pipeline in userspace.  A program allocates frame
# buffers from the region's dma-buf heap, /dev/dma_heap/cmafw-camera, and
# vivid, in dma-contig mode (a device without scatter-gather), captures
# into them; /proc/iomem and cmaadm show the frames and their owner, and
# closing the program gives the memory back.  Checked as TAP, like
# demo/guest-demo.sh.  POSIX sh: runs under busybox ash.

MODS=${CMAFW_MODULES:-/modules}
CMAADM=${CMAFW_TOOLS:-/tools}/cmaadm/cmaadm
HEAPTEST=${CMAFW_SELFTESTS:-/selftests}/cmafw/heap/heaptest
SYS=/sys/kernel/cmafw/regions/camera
# shellcheck disable=SC1091 # a guest path
. /selftests/cmafw/guest/lib.sh

cmaadm() {
	sh "$CMAADM" "$@"
}

# show 'COMMAND': print it and its output, indented.
show() {
	printf '\n$ %s\n' "$1"
	eval "$1" 2>&1 | sed 's/^/  /'
}

# The cmafw lines of /proc/iomem.
cmafw_iomem() {
	awk '/ : cmafw:/ { d = index($0, $1); on = 1; print; next }
	on && index($0, $1) > d { print; next } { on = 0 }' /proc/iomem
}

cd "$MODS" || exit 2
dmesg -n 1
echo "TAP version 13"
printf '%s\n' '========================================================================'
printf 'Step 8: a camera pipeline in userspace\n\n'
echo "Camera stacks (libcamera, GStreamer, PipeWire) allocate frame buffers from"
echo "a dma-buf heap in /dev/dma_heap/ and hand the fds to the V4L2 driver."
echo "Every named cmafw region has one.  The camera here is vivid, in"
echo "dma-contig mode: like a camera without scatter-gather, it takes only"
echo "physically contiguous buffers.  Kernel: $(uname -r)."
VV_MODULES=
# shellcheck disable=SC1091 # a guest path
. /selftests/cmafw/vivid/modules.sh
for m in $VV_MODULES; do
	# vivid itself in dma-contig mode
	if [ "$m" = vivid ]; then insmod vivid.ko allocators=1; else insmod "$m.ko"; fi
done
check "vivid is loaded with dma-contig" test -c /dev/video0

show 'insmod cmafw.ko'
show 'cmaadm region add camera --size 16M --start 0x20000000'
show 'ls -l /dev/dma_heap/'
check "the region has its heap, root-only" \
	test "$(stat -c '%a %U' /dev/dma_heap/cmafw-camera)" = "600 root"
show 'cmaadm heaps'

printf '\n$ heaptest capture /dev/dma_heap/cmafw-camera /dev/video0 4 60 &\n'
echo "  (allocates 4 frames of 640x480 YUYV from the heap, queues them with"
echo "   V4L2_MEMORY_DMABUF, checks 60 frames, and keeps streaming until told)"
mkfifo /tmp/cam.go
HEAPTEST_HOLD=1 "$HEAPTEST" capture /dev/dma_heap/cmafw-camera /dev/video0 4 60 \
	</tmp/cam.go >/tmp/cam.out 2>&1 &
cam=$!
exec 8>/tmp/cam.go
i=0
while [ $i -lt 300 ] && ! grep -q '^# holding' /tmp/cam.out; do
	sleep 0.1
	i=$((i + 1))
done
echo
echo "While it streams, /proc/iomem shows the frames under the region, owned"
echo "by the program:"
cmafw_iomem | sed 's/^/  /'
expect_eq "4 frames of 614400 bytes in /proc/iomem, owned by heaptest" \
	"$(grep -c " : heap:heaptest\[$cam\]\$" /proc/iomem)" 4
show 'cmaadm heaps'
show 'cmaadm status'
exec 8>&-
wait "$cam"
cam_status=$?
echo
echo "The program's report:"
sed 's/^/  /' /tmp/cam.out
expect_eq "vivid captured into them, every frame checked" "$cam_status" 0

echo
echo "The program has closed its buffers: the memory is back."
cmafw_iomem | sed 's/^/  /'
expect_eq "no frame is left" "$(cat $SYS/used)" 0
expect_eq "the region is one free extent again" "$(cat $SYS/largest_free)" 16777216
show 'cmaadm heaps'

show 'cmaadm region rm camera'
show 'rmmod cmafw'
check "cmafw unloads" sh -c '! grep -q "^cmafw" /proc/modules'
echo "1..$T_NUM"
[ "$T_FAILED" -eq 0 ]
