// SPDX-License-Identifier: GPL-2.0
/*
 * The "bitmap" allocator itself, kernel/alloc_bitmap.c and the two files
 * of its summary tree, compiled into the benchmark module (not a copy:
 * the same files), plus what the benchmark needs to know of its state.
 */
#include "../kernel/alloc_bitmap.c"
#include "../kernel/bitmap_tree.c"
#include "../kernel/bitmap_search.c"

#include "bench_alloc.h"

/**
 * bench_bitmap_meta() - the bitmap allocator's memory for one region.
 * @pages:	the region's size in pages.
 * @fixed:	set to the bytes that do not grow with @pages: the region
 *		state without its summary nodes, the bitmap's slab rounding.
 * @scaled:	set to the bytes of the summary tree over the bitmap, slab
 *		rounding included, which grow with @pages.
 */
void bench_bitmap_meta(unsigned long pages, size_t *fixed, size_t *scaled)
{
	unsigned int nr[MAX_LEVELS] = { 0 }, nr_upper;
	size_t state = kmalloc_size_roundup(sizeof(struct bitmap_region));
	struct bitmap_region *r = NULL;

	cmafw_bitmap_shape(pages, nr, &nr_upper);
	*scaled = kmalloc_size_roundup(nr[1] * sizeof(u32)) +
		  kmalloc_size_roundup(struct_size(r, upper, nr_upper)) - state;
	*fixed = state + kmalloc_size_roundup(nr[0] * sizeof(unsigned long)) -
		 pages / 8;
}
