// SPDX-License-Identifier: GPL-2.0
/*
 * kernel/alloc_holes.c, alloc_bestfit.c and alloc_segfit.c themselves,
 * compiled into the benchmark module (not copies: the same files), plus
 * what the benchmark needs to know of their state.
 */
#include <linux/minmax.h>
#include <linux/slab.h>

/* cmafw.ko's copy names its node cache "cmafw_hole"; this one its own. */
#define CMAFW_HOLE_CACHE "cmafw_bench_hole"
#include "../kernel/alloc_holes.c"
#include "../kernel/alloc_bestfit.c"
#include "../kernel/alloc_segfit.c"

#include "bench_alloc.h"

/**
 * bench_bestfit_region_size() - size of the hole allocators' region state.
 *
 * Return: sizeof(struct cmafw_holes).
 */
size_t bench_bestfit_region_size(void)
{
	return sizeof(struct cmafw_holes);
}

/**
 * bench_segfit_state_size() - what segfit keeps per region besides the
 * hole allocators' state.
 *
 * Return: sizeof(struct segfit).
 */
size_t bench_segfit_state_size(void)
{
	return sizeof(struct segfit);
}

/**
 * bench_segfit_starts_size() - what segfit's bitmap of chunk starts takes
 * in a region.
 * @pages:	the region's size in pages.
 *
 * Return: the bitmap's kmalloc() size.
 */
size_t bench_segfit_starts_size(unsigned long pages)
{
	unsigned long bits = segfit_starts_bits((size_t)pages << PAGE_SHIFT);

	return kmalloc_size_roundup(BITS_TO_LONGS(bits) *
				    sizeof(unsigned long));
}

/**
 * bench_bestfit_node_size() - what one hole node of the hole allocators
 * costs in its slab cache.
 *
 * bestfit and segfit keep one node per live chunk, plus one and the
 * spares (bench_bestfit_nodes_kept()), in a cache of their own
 * (alloc_holes.c).  kmem_cache_size() tells the object's size,
 * not the slot it takes, and the cache exists only while a region uses
 * it; the slot is the object's size rounded up to the cache's alignment,
 * which the slab allocator makes at least arch_slab_minalign() and a
 * pointer's.  SLUB keeps its free pointer inside such an object (no ctor,
 * no RCU, no debugging), so nothing more is added; a 4 KiB slab of 56-byte
 * slots wastes 8 bytes, about 0.1 B a node, not counted.
 *
 * Return: sizeof(struct cmafw_hole), so rounded.
 */
size_t bench_bestfit_node_size(void)
{
	size_t align = max3((size_t)__alignof__(struct cmafw_hole),
			    (size_t)arch_slab_minalign(), sizeof(void *));

	return ALIGN(sizeof(struct cmafw_hole), align);
}

/**
 * bench_bestfit_nodes_kept() - the hole nodes a region of the hole
 * allocators may hold beyond one per live chunk.
 *
 * Return: one, and CMAFW_HOLES_SPARE spares at most.
 */
size_t bench_bestfit_nodes_kept(void)
{
	return 1 + CMAFW_HOLES_SPARE;
}
