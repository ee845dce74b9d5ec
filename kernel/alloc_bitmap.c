// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: the "bitmap" allocator.
 *
 * One bit per page, set while the page is allocated; a request takes the
 * lowest suitably aligned run of free pages (first fit).
 */

#define pr_fmt(fmt) "cmafw: " fmt

#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "alloc.h"

/**
 * struct bitmap_region - the allocator's state for one region.
 * @used:	one bit per page, set while the page is allocated.
 * @base_pfn:	page frame number of the region's first page.
 * @pages:	number of pages in the region.
 */
struct bitmap_region {
	unsigned long *used;
	unsigned long base_pfn;
	unsigned long pages;
};

static void *cmafw_bitmap_init(dma_addr_t base, size_t size)
{
	unsigned long pages = size >> PAGE_SHIFT;
	struct bitmap_region *r;

	/* The bitmap helpers count bits in an unsigned int. */
	if (!pages || (unsigned int)pages != pages)
		return ERR_PTR(-EINVAL);

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return ERR_PTR(-ENOMEM);
	r->used = bitmap_zalloc(pages, GFP_KERNEL);
	if (!r->used) {
		kfree(r);
		return ERR_PTR(-ENOMEM);
	}
	r->base_pfn = base >> PAGE_SHIFT;
	r->pages = pages;
	return r;
}

static void cmafw_bitmap_cleanup(void *priv)
{
	struct bitmap_region *r = priv;

	bitmap_free(r->used);
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
	unsigned long nr = size >> PAGE_SHIFT;
	unsigned long mask = align_in_pages(align, r->base_pfn + r->pages) - 1;
	unsigned long index;

	if (!nr)
		return -EINVAL;
	if (nr > r->pages)
		return -ENOMEM;

	/* Makes (r->base_pfn + index) a multiple of the alignment. */
	index = bitmap_find_next_zero_area_off(r->used, r->pages, 0, nr, mask,
					       r->base_pfn & mask);
	if (index > r->pages - nr)
		return -ENOMEM;

	bitmap_set(r->used, index, nr);
	*addr = (dma_addr_t)(r->base_pfn + index) << PAGE_SHIFT;
	return 0;
}

static void cmafw_bitmap_free(void *priv, dma_addr_t addr, size_t size)
{
	struct bitmap_region *r = priv;

	bitmap_clear(r->used, (addr >> PAGE_SHIFT) - r->base_pfn,
		     size >> PAGE_SHIFT);
}

struct cma_allocator cmafw_bitmap_allocator = {
	.name = "bitmap",
	.init = cmafw_bitmap_init,
	.cleanup = cmafw_bitmap_cleanup,
	.alloc = cmafw_bitmap_alloc,
	.free = cmafw_bitmap_free,
};
