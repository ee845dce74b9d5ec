#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest entry for scripts/vivid-run.sh, on Debian's generic 6.12 kernel,
# and for `scripts/arm64.sh vivid`, on Debian's arm64 kernel: vivid
# (dma-contig) captures 640x480 YUYV frames into buffers heaptest
# allocated from /dev/dma_heap/cmafw-cam and queued with
# V4L2_MEMORY_DMABUF; then the same with the kernel's system heap as the
# control, whose outcome is recorded, not judged; then vgem, a DRM driver,
# imports a heap buffer (vgem.sh).
# shellcheck source-path=SCRIPTDIR

here=$(dirname "$0")
# shellcheck source=../guest/lib.sh
. "$here/../guest/lib.sh"
HEAPTEST=$CMAFW_SELFTESTS/cmafw/heap/heaptest
VV_REGION=cam
VV_NODE=/dev/dma_heap/cmafw-$VV_REGION
VV_SYS=/sys/kernel/cmafw/regions/$VV_REGION

# shellcheck source=modules.sh
. "$here/modules.sh"

# vv_capture NODE [--control]: run heaptest capture, TAP from its lines.
vv_capture() {
	"$HEAPTEST" capture "$1" /dev/video0 4 60 ${2:+"$2"} >"$TMPDIR/cap.out" 2>&1
	vv_st=$?
	while IFS= read -r t_line; do
		case ${2:-}$t_line in
		"PASS "*) ok "${t_line#PASS }" ;;
		"FAIL "*) not_ok "${t_line#FAIL }" ;;
		--control[PF]*) echo "# control: $t_line" ;;
		*) echo "# $t_line" ;;
		esac
	done <"$TMPDIR/cap.out"
}

echo "TAP version 13"
section "vivid captures into cmafw heap buffers ($(uname -r))"
vv_loaded=1
for m in $VV_MODULES; do
	vv_args=
	# vivid itself with dma-contig for its capture node
	[ "$m" = vivid ] && vv_args=allocators=1
	# shellcheck disable=SC2086 # empty or one word
	insmod "$CMAFW_MODULES/$m.ko" $vv_args || vv_loaded=0
done
expect_eq "vivid and its media modules load, with dma-contig" \
	"$vv_loaded $(cut -d, -f1 /sys/module/vivid/parameters/allocators)" "1 1"
check "vivid's capture node is /dev/video0" test -c /dev/video0
load_cmafw "regions=$VV_REGION=16M@$CMAFW_WIN_A" && load_test
check "region $VV_REGION has its heap $VV_NODE" test -c "$VV_NODE"

vv_capture "$VV_NODE"
expect_eq "heaptest capture from $VV_NODE exits 0" "$vv_st" 0
expect_eq "the region is whole again: used 0" "$(cat $VV_SYS/used)" 0
expect_eq "one free extent, the whole region" \
	"$(cat $VV_SYS/largest_free)" 16777216
expect_eq "no chunk left" "$(cat $VV_SYS/chunks)" 0
check "no kernel complaint about contiguity" \
	sh -c '! dmesg | grep -q "contiguous chunk is too small"'

if [ -c /dev/dma_heap/system ]; then
	log_mark
	vv_capture /dev/dma_heap/system --control
	case $vv_st in
	0) echo "# control: the system heap's buffers streamed (by luck of placement): recorded, not a cmafw failure" ;;
	3) echo "# control: the system heap's buffers were refused at QBUF, as expected" ;;
	*) not_ok "the control run itself broke (heaptest exit $vv_st)" ;;
	esac
	if log_since "contiguous chunk is too small"; then
		echo "# control: kernel: $(dmesg_last 'contiguous chunk is too small')"
	fi
else
	echo "# control: no /dev/dma_heap/system in this kernel"
fi

# shellcheck source=vgem.sh
. "$here/vgem.sh"

rmmod cmafw_test
check "cmafw unloads" unload_all
echo "1..$T_NUM"
[ "$T_FAILED" -eq 0 ]
