// SPDX-License-Identifier: GPL-2.0
/*
 * The "bitmap" allocator itself, kernel/alloc_bitmap.c and the two files
 * of its summary tree, compiled into the benchmark module (not a copy:
 * the same files), plus what the benchmark needs to know of its state.
 */
#include "../kernel/alloc_bitmap.c"
#include "../kernel/bitmap_tree.c"
#include "../kernel/bitmap_search.c"
#include "../kernel/bitmap_lazy.c"

#include "bench_alloc.h"

/**
 * bench_bitmap_meta() - the bitmap allocator's memory for one region.
 * @pages:	the region's size in pages.
 * @fixed:	set to the bytes that do not grow with @pages: the region
 *		state, the bitmap's slab rounding.
 * @tree:	set to the bytes of the summary tree over the bitmap, slab
 *		rounding included, which grow with @pages.
 * @tree_from:	set to the live allocations from which the tree exists at
 *		worst: once made (kernel/bitmap_lazy.c), it stays down to a
 *		quarter of the count that made it.
 */
void bench_bitmap_meta(unsigned long pages, size_t *fixed, size_t *tree,
		       unsigned long *tree_from)
{
	unsigned int nr[MAX_LEVELS] = { 0 }, nr_upper;

	cmafw_bitmap_shape(pages, nr, &nr_upper);
	*tree = cmafw_bitmap_tree_bytes(nr, nr_upper);
	*tree_from = cmafw_bitmap_tree_from(nr, nr_upper) / 4;
	*fixed = kmalloc_size_roundup(sizeof(struct bitmap_region)) +
		 kmalloc_size_roundup(nr[0] * sizeof(unsigned long)) -
		 pages / 8;
}
