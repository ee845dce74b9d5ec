/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The allocators built into cmafw.  Pure logic over the cma_allocator ops;
 * they also build in userspace over selftests/userspace/shim/.
 */
#ifndef _CMAFW_ALLOC_H
#define _CMAFW_ALLOC_H

#include <linux/cmafw-allocator.h>

extern struct cma_allocator cmafw_bitmap_allocator;
extern struct cma_allocator cmafw_bestfit_allocator;
extern struct cma_allocator cmafw_segfit_allocator;

#endif /* _CMAFW_ALLOC_H */
