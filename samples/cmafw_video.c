// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw sample: the driver of a video codec, platform device "video",
 * which keeps full-HD frames (1920x1080, 3 bytes a pixel).  The code is in
 * cmafw_sample.c.
 */
#define CMAFW_SAMPLE_DEVICE	"video"
#define CMAFW_SAMPLE_WIDTH	1920
#define CMAFW_SAMPLE_HEIGHT	1080
#define CMAFW_SAMPLE_FRAMES	3

#include "cmafw_sample.c"
