// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: the "bitmap" allocator's summary tree (bitmap_tree.h) exists only
 * while the region's allocations pay for it.
 *
 * The tree grows with the region, not with what it holds: a u32 for every
 * group of 512 pages and a node above for every FANOUT of those, 608
 * bytes for 256 MiB.  A region that holds a few buffers would carry it
 * for nothing, past the metadata budget of a bit a page and 128 bytes an
 * allocation.  So the tree is made when the region's live allocations
 * reach four times the count at which they bear TREE_CHUNK_BYTES of it
 * each, and freed when they fall below that count; the gap keeps a region
 * that churns around one count from making and freeing it over and over.
 *
 * Without the tree, first fit scans the bitmap a word at a time
 * (bitmap_search.c), as mm/cma.c does for every allocation: few
 * allocations leave few runs to skip.  Making the tree reads every word
 * once, as one such scan does.  Out of memory for it, the region goes on
 * without it and the next allocation tries again.
 *
 * Lock rules: the region's mutex, held by the allocator's caller, which
 * may sleep (the allocator's alloc and free ops).
 */
#include <linux/math.h>
#include <linux/slab.h>
#include <linux/types.h>

#include "bitmap_tree.h"

/**
 * cmafw_bitmap_tree_bytes() - the summary tree's memory for a region.
 * @nr:		nodes per level, as cmafw_bitmap_shape() set them.
 * @nr_upper:	nodes of levels 2 and up, as cmafw_bitmap_shape() set it.
 *
 * Return: the bytes of its two arrays, slab rounding included.
 */
size_t cmafw_bitmap_tree_bytes(const unsigned int *nr, unsigned int nr_upper)
{
	size_t bytes = kmalloc_size_roundup(nr[1] * sizeof(u32));

	if (nr_upper)
		bytes += kmalloc_size_roundup(nr_upper *
					      sizeof(struct bitmap_span));
	return bytes;
}

/**
 * cmafw_bitmap_tree_from() - the live allocations that make the tree.
 * @nr:		nodes per level, as cmafw_bitmap_shape() set them.
 * @nr_upper:	nodes of levels 2 and up.
 *
 * Return: four times the count whose TREE_CHUNK_BYTES each pay for the
 * tree; the tree goes again below that count.
 */
unsigned long cmafw_bitmap_tree_from(const unsigned int *nr,
				     unsigned int nr_upper)
{
	return 4 * DIV_ROUND_UP(cmafw_bitmap_tree_bytes(nr, nr_upper),
				TREE_CHUNK_BYTES);
}

/* Nodes of levels 2 and up: where the top level ends in @r->upper. */
static unsigned int tree_upper_nodes(const struct bitmap_region *r)
{
	return r->top >= 2 ? r->first[r->top] + r->nr[r->top] : 0;
}

/**
 * cmafw_bitmap_tree_drop() - free the summary tree, if there is one.
 * @r:		the region; its search scans the bitmap from now on.
 */
void cmafw_bitmap_tree_drop(struct bitmap_region *r)
{
	kvfree(r->upper);
	kvfree(r->group);
	r->upper = NULL;
	r->group = NULL;
}

/* Make the tree from the bitmap; without the memory, go on without it. */
static void cmafw_bitmap_tree_make(struct bitmap_region *r)
{
	unsigned int upper = tree_upper_nodes(r);

	r->group = kvcalloc(r->nr[1], sizeof(*r->group), GFP_KERNEL);
	if (upper)
		r->upper = kvcalloc(upper, sizeof(*r->upper), GFP_KERNEL);
	if (!r->group || (upper && !r->upper)) {
		cmafw_bitmap_tree_drop(r);
		return;
	}
	cmafw_bitmap_summarise(r);
}

/**
 * cmafw_bitmap_tree_turn() - make the tree, or free it, for @r->live.
 * @r:		the region, whose live allocations reached @r->tree_from
 *		without a tree, or fell below a quarter of it with one
 *		(cmafw_bitmap_tree_follow()).
 */
void cmafw_bitmap_tree_turn(struct bitmap_region *r)
{
	if (r->group)
		cmafw_bitmap_tree_drop(r);
	else
		cmafw_bitmap_tree_make(r);
}
