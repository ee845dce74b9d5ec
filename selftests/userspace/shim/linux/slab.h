/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: kmalloc() and friends over malloc(), with test hooks. */
#ifndef _SHIM_LINUX_SLAB_H
#define _SHIM_LINUX_SLAB_H

#include <linux/types.h>

#define GFP_KERNEL	0u

void *kmalloc(size_t size, gfp_t flags);
void *kzalloc(size_t size, gfp_t flags);
void *kcalloc(size_t n, size_t size, gfp_t flags);
void kfree(const void *ptr);

/* Test hooks, not kernel API. */
extern long shim_nr_allocs;	/* allocation calls, failed ones too */
extern long shim_live_allocs;	/* allocations not freed yet */
extern long shim_fail_in;	/* if > 0, the shim_fail_in-th call fails */

#endif /* _SHIM_LINUX_SLAB_H */
