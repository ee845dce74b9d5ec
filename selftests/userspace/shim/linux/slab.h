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
#define kvcalloc	kcalloc
#define kvzalloc	kzalloc
#define kvfree		kfree

/* No size classes over malloc(): an object takes what it asks for. */
static inline size_t kmalloc_size_roundup(size_t size)
{
	return size;
}

/*
 * Slab caches over kmalloc(): each object and the cache itself count as
 * allocations (and can be made to fail); destroying a cache that still
 * has objects aborts, where the kernel would warn.
 */
typedef unsigned int slab_flags_t;
struct kmem_cache;

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
				     unsigned int align, slab_flags_t flags,
				     void (*ctor)(void *));
void kmem_cache_destroy(struct kmem_cache *s);
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t flags);
void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t flags);
void kmem_cache_free(struct kmem_cache *s, void *obj);
unsigned int kmem_cache_size(struct kmem_cache *s);

/* Test hooks, not kernel API. */
extern long shim_nr_allocs;	/* allocation calls, failed ones too */
extern long shim_live_allocs;	/* allocations not freed yet */
extern long shim_fail_in;	/* if > 0, the shim_fail_in-th call fails */

#endif /* _SHIM_LINUX_SLAB_H */
