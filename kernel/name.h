/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cmafw: what a region, allocator or memory type name may be.  Shared by
 * region.c, which judges names, and map.c, which refuses a map naming a
 * region that could never exist; it builds in userspace too.
 */
#ifndef _CMAFW_NAME_H
#define _CMAFW_NAME_H

#include <linux/types.h>

#define CMAFW_NAME_MAX		32

/*
 * Never in a name: the map's separators and wildcards, and the characters
 * of private ids ("private@<start>") and of /proc/iomem's index lines.
 */
#define CMAFW_NAME_RESERVED	",;=/?*@#"

#endif /* _CMAFW_NAME_H */
