// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw sample: the driver of a JPEG encoder, platform device "jpeg",
 * which needs one 720p frame (1280x720, 3 bytes a pixel).  No map rule
 * names it in the demo, so it shows what "*=common" is for.  The code is in
 * cmafw_sample.c.
 */
#define CMAFW_SAMPLE_DEVICE	"jpeg"
#define CMAFW_SAMPLE_WIDTH	1280
#define CMAFW_SAMPLE_HEIGHT	720
#define CMAFW_SAMPLE_FRAMES	1

#include "cmafw_sample.c"
