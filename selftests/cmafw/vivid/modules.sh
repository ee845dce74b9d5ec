#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The kernel modules the real clients need, in load order: the host
# scripts copy them into the guest (scripts/vivid-run.sh, scripts/arm64.sh
# vivid) and the guest scripts load them (capture.sh, vgem.sh and the
# demo's camera step, demo/guest-camera.sh).
# shellcheck disable=SC2034 # read by those that source this file

# vivid, the virtual camera, with its media modules (videodev before
# videobuf2-common: on 6.1 the second needs the first)
VV_MODULES="v4l2-tpg v4l2-dv-timings mc videodev videobuf2-common
videobuf2-memops videobuf2-dma-contig videobuf2-vmalloc videobuf2-v4l2
rc-core cec vivid"
# vgem, the virtual DRM driver, with the DRM modules
VG_MODULES="drm drm_kms_helper drm_shmem_helper vgem"
