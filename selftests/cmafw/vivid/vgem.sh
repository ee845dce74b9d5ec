#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Sourced by capture.sh, with cmafw up and region $VV_REGION's heap at
# $VV_NODE: vgem, a real DRM driver, imports a buffer of the heap through
# PRIME (heaptest drm, selftests/cmafw/heap/heaptest_drm.c).

section "vgem (DRM) imports cmafw heap buffers"
vg_loaded=1
for m in $VG_MODULES; do
	insmod "$CMAFW_MODULES/$m.ko" || vg_loaded=0
done
expect_eq "vgem and the DRM modules it needs load" "$vg_loaded" 1
vg_card=
for c in /dev/dri/card*; do
	[ -c "$c" ] && vg_card=$c
done
check "vgem has a DRM node ($vg_card)" test -n "$vg_card"

"$HEAPTEST" drm "$VV_NODE" "$vg_card" 4194304 >"$TMPDIR/drm.out" 2>&1
vg_st=$?
while IFS= read -r t_line; do
	case $t_line in
	"PASS "*) ok "${t_line#PASS }" ;;
	"FAIL "*) not_ok "${t_line#FAIL }" ;;
	*) echo "# $t_line" ;;
	esac
done <"$TMPDIR/drm.out"
expect_eq "heaptest drm exits 0" "$vg_st" 0
expect_eq "the region is whole again: used 0" "$(cat "$VV_SYS/used")" 0
check "vgem unloads" rmmod vgem
