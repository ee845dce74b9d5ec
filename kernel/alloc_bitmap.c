// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: the "bitmap" allocator.
 *
 * One bit per page, set while the page is allocated; a request takes the
 * lowest suitably aligned run of free pages (first fit).
 *
 * A summary tree over the bitmap (bitmap_tree.h, kept by bitmap_tree.c)
 * lets the search (bitmap_search.c) skip what cannot hold the request, so
 * that it reads a few nodes a level instead of every word; it exists
 * while the region holds enough allocations to pay for it
 * (bitmap_lazy.c).  This file sizes the two and answers the allocator's
 * ops.
 */

#define pr_fmt(fmt) "cmafw: " fmt

#include <linux/err.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "alloc.h"
#include "bitmap_tree.h"

static void *cmafw_bitmap_init(dma_addr_t base, size_t size)
{
	unsigned long pages = size >> PAGE_SHIFT;
	unsigned int nr[MAX_LEVELS] = { 0 }, nr_upper, top, level;
	struct bitmap_region *r;

	/* Bit indices stay within an unsigned int, as lib/bitmap's do. */
	if (!pages || (unsigned int)pages != pages)
		return ERR_PTR(-EINVAL);

	top = cmafw_bitmap_shape(pages, nr, &nr_upper);
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return ERR_PTR(-ENOMEM);
	/* The bitmap of a region over 128 GiB is more than the slab gives. */
	r->used = kvcalloc(nr[0], sizeof(unsigned long), GFP_KERNEL);
	if (!r->used) {
		kfree(r);
		return ERR_PTR(-ENOMEM);
	}
	r->base_pfn = base >> PAGE_SHIFT;
	r->pages = pages;
	/* The tree comes with the allocations that pay for it. */
	r->tree_from = cmafw_bitmap_tree_from(nr, nr_upper);
	r->top = top;
	memcpy(r->nr, nr, sizeof(nr));
	for (level = 3; level <= top; level++)
		r->first[level] = r->first[level - 1] + nr[level - 1];
	if (pages % WORD_BITS)
		r->used[nr[0] - 1] = ~0UL << (pages % WORD_BITS);
	return r;
}

static void cmafw_bitmap_cleanup(void *priv)
{
	struct bitmap_region *r = priv;

	cmafw_bitmap_tree_drop(r);
	kvfree(r->used);
	kfree(r);
}

/*
 * Return @align in pages.  An alignment above the region's end admits only
 * page 0, as does any power of two at least that end, so it is lowered to
 * one: this keeps the page arithmetic from overflowing.
 */
static unsigned long align_in_pages(dma_addr_t align, unsigned long end_pfn)
{
	if (align >> PAGE_SHIFT > end_pfn)
		return roundup_pow_of_two(end_pfn);
	return align >> PAGE_SHIFT;
}

static int cmafw_bitmap_alloc(void *priv, size_t size, dma_addr_t align,
			      dma_addr_t *addr)
{
	struct bitmap_region *r = priv;
	unsigned long nr = size >> PAGE_SHIFT, mask, index;

	if (!nr)
		return -EINVAL;
	if (nr > r->pages)
		return -ENOMEM;

	mask = align_in_pages(align, r->base_pfn + r->pages) - 1;
	index = cmafw_bitmap_first_fit(r, nr, mask, r->base_pfn & mask);
	if (index >= r->pages)
		return -ENOMEM;

	cmafw_bitmap_mark(r, index, nr, true);
	r->live++;
	cmafw_bitmap_tree_follow(r);
	*addr = (dma_addr_t)(r->base_pfn + index) << PAGE_SHIFT;
	return 0;
}

static void cmafw_bitmap_free(void *priv, dma_addr_t addr, size_t size)
{
	struct bitmap_region *r = priv;

	cmafw_bitmap_mark(r, (addr >> PAGE_SHIFT) - r->base_pfn,
			  size >> PAGE_SHIFT, false);
	r->live--;
	cmafw_bitmap_tree_follow(r);
}

struct cma_allocator cmafw_bitmap_allocator = {
	.name = "bitmap",
	.init = cmafw_bitmap_init,
	.cleanup = cmafw_bitmap_cleanup,
	.alloc = cmafw_bitmap_alloc,
	.free = cmafw_bitmap_free,
};
