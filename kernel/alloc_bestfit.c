// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: the "bestfit" allocator.
 *
 * The free space is a set of maximal holes, each kept in two rbtrees: by
 * address, to find the neighbours a freed chunk merges with, and by
 * (size, address), to find the smallest hole that fits a request; among
 * equal holes the lowest address wins.
 *
 * free() cannot fail, so it must not allocate.  Each hole needs a node, and
 * a free with no free neighbour adds a hole.  There are never more holes
 * than live chunks plus one, so the allocator keeps exactly that many nodes:
 * alloc() allocates one node before it commits and free() releases one
 * after it is done.  Nodes that are not holes wait on a list of spares.
 */

#define pr_fmt(fmt) "cmafw: " fmt

#include <linux/align.h>
#include <linux/err.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/rbtree.h>
#include <linux/slab.h>

#include "alloc.h"

/**
 * struct bestfit_hole - a maximal run of free pages, or a spare node.
 * @by_addr:	node in &bestfit_region.by_addr.
 * @by_size:	node in &bestfit_region.by_size.
 * @pfn:	first page of the hole.
 * @pages:	number of pages in the hole.
 * @next_spare:	next node on &bestfit_region.spares, while a spare.
 */
struct bestfit_hole {
	struct rb_node by_addr;
	struct rb_node by_size;
	unsigned long pfn;
	unsigned long pages;
	struct bestfit_hole *next_spare;
};

/**
 * struct bestfit_region - the allocator's state for one region.
 * @by_addr:	holes ordered by address.
 * @by_size:	holes ordered by size, then address.
 * @spares:	nodes that are not holes; live chunks + 1 - holes of them.
 * @end_pfn:	page frame number just past the region.
 */
struct bestfit_region {
	struct rb_root by_addr;
	struct rb_root by_size;
	struct bestfit_hole *spares;
	unsigned long end_pfn;
};

#define to_hole(node, member) rb_entry(node, struct bestfit_hole, member)

static bool addr_less(struct rb_node *a, const struct rb_node *b)
{
	return to_hole(a, by_addr)->pfn < to_hole(b, by_addr)->pfn;
}

static bool size_less(struct rb_node *a, const struct rb_node *b)
{
	const struct bestfit_hole *x = to_hole(a, by_size);
	const struct bestfit_hole *y = to_hole(b, by_size);

	return x->pages < y->pages || (x->pages == y->pages && x->pfn < y->pfn);
}

static void put_spare(struct bestfit_region *r, struct bestfit_hole *hole)
{
	hole->next_spare = r->spares;
	r->spares = hole;
}

static struct bestfit_hole *take_spare(struct bestfit_region *r)
{
	struct bestfit_hole *hole = r->spares;

	r->spares = hole->next_spare;
	return hole;
}

static void add_hole(struct bestfit_region *r, struct bestfit_hole *hole,
		     unsigned long pfn, unsigned long pages)
{
	hole->pfn = pfn;
	hole->pages = pages;
	rb_add(&hole->by_addr, &r->by_addr, addr_less);
	rb_add(&hole->by_size, &r->by_size, size_less);
}

static void remove_hole(struct bestfit_region *r, struct bestfit_hole *hole)
{
	rb_erase(&hole->by_addr, &r->by_addr);
	rb_erase(&hole->by_size, &r->by_size);
	put_spare(r, hole);
}

/* The hole keeps its place by address: no other hole lies in between. */
static void resize_hole(struct bestfit_region *r, struct bestfit_hole *hole,
			unsigned long pfn, unsigned long pages)
{
	rb_erase(&hole->by_size, &r->by_size);
	hole->pfn = pfn;
	hole->pages = pages;
	rb_add(&hole->by_size, &r->by_size, size_less);
}

static void *cmafw_bestfit_init(dma_addr_t base, size_t size)
{
	unsigned long pages = size >> PAGE_SHIFT;
	struct bestfit_region *r;
	struct bestfit_hole *hole;

	if (!pages)
		return ERR_PTR(-EINVAL);

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	hole = kzalloc(sizeof(*hole), GFP_KERNEL);
	if (!r || !hole) {
		kfree(hole);
		kfree(r);
		return ERR_PTR(-ENOMEM);
	}
	r->by_addr = RB_ROOT;
	r->by_size = RB_ROOT;
	r->end_pfn = (base >> PAGE_SHIFT) + pages;
	add_hole(r, hole, base >> PAGE_SHIFT, pages);
	return r;
}

static void cmafw_bestfit_cleanup(void *priv)
{
	struct bestfit_region *r = priv;
	struct rb_node *node;

	while ((node = rb_first(&r->by_addr)))
		remove_hole(r, to_hole(node, by_addr));
	while (r->spares)
		kfree(take_spare(r));
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

/*
 * Find the smallest hole, lowest address first, that holds @nr pages
 * starting at a multiple of @align pages, and store that start in @pfn.
 *
 * Holes smaller than @nr are skipped by a descent of the size tree.  From
 * there a hole may still be too small once its start is aligned, but any
 * hole of at least @nr + @align - 1 pages fits, so the walk visits only
 * the holes of @nr to @nr + @align - 2 pages before it succeeds or runs
 * out: O(log n) plus that number of holes, and just O(log n) for an
 * alignment of one page.
 */
static struct bestfit_hole *find_best_hole(struct bestfit_region *r,
					   unsigned long nr,
					   unsigned long align,
					   unsigned long *pfn)
{
	struct rb_node *node = r->by_size.rb_node;
	struct rb_node *smallest = NULL;
	struct bestfit_hole *hole;

	while (node) {
		if (to_hole(node, by_size)->pages >= nr) {
			smallest = node;
			node = node->rb_left;
		} else {
			node = node->rb_right;
		}
	}

	for (node = smallest; node; node = rb_next(node)) {
		hole = to_hole(node, by_size);
		*pfn = ALIGN(hole->pfn, align);
		if (*pfn - hole->pfn <= hole->pages - nr)
			return hole;
	}
	return NULL;
}

static int cmafw_bestfit_alloc(void *priv, size_t size, dma_addr_t align,
			       dma_addr_t *addr)
{
	struct bestfit_region *r = priv;
	unsigned long nr = size >> PAGE_SHIFT;
	unsigned long pfn, head, tail;
	struct bestfit_hole *hole, *spare;

	if (!nr)
		return -EINVAL;
	hole = find_best_hole(r, nr, align_in_pages(align, r->end_pfn), &pfn);
	if (!hole)
		return -ENOMEM;

	/* The node a later free() of this chunk may need. */
	spare = kzalloc(sizeof(*spare), GFP_KERNEL);
	if (!spare)
		return -ENOMEM;
	put_spare(r, spare);

	head = pfn - hole->pfn;
	tail = hole->pages - head - nr;
	if (head && tail) {
		add_hole(r, take_spare(r), pfn + nr, tail);
		resize_hole(r, hole, hole->pfn, head);
	} else if (head) {
		resize_hole(r, hole, hole->pfn, head);
	} else if (tail) {
		resize_hole(r, hole, pfn + nr, tail);
	} else {
		remove_hole(r, hole);
	}

	*addr = (dma_addr_t)pfn << PAGE_SHIFT;
	return 0;
}

static void cmafw_bestfit_free(void *priv, dma_addr_t addr, size_t size)
{
	struct bestfit_region *r = priv;
	unsigned long pfn = addr >> PAGE_SHIFT;
	unsigned long nr = size >> PAGE_SHIFT;
	struct rb_node *node = r->by_addr.rb_node;
	struct bestfit_hole *prev = NULL, *next = NULL;
	bool join_prev, join_next;

	while (node) {
		struct bestfit_hole *hole = to_hole(node, by_addr);

		if (hole->pfn < pfn) {
			prev = hole;
			node = node->rb_right;
		} else {
			next = hole;
			node = node->rb_left;
		}
	}
	join_prev = prev && prev->pfn + prev->pages == pfn;
	join_next = next && next->pfn == pfn + nr;

	if (join_prev && join_next) {
		resize_hole(r, prev, prev->pfn, prev->pages + nr + next->pages);
		remove_hole(r, next);
	} else if (join_prev) {
		resize_hole(r, prev, prev->pfn, prev->pages + nr);
	} else if (join_next) {
		resize_hole(r, next, pfn, nr + next->pages);
	} else {
		add_hole(r, take_spare(r), pfn, nr);
	}

	/* One live chunk less: one node less. */
	kfree(take_spare(r));
}

struct cma_allocator cmafw_bestfit_allocator = {
	.name = "bestfit",
	.init = cmafw_bestfit_init,
	.cleanup = cmafw_bestfit_cleanup,
	.alloc = cmafw_bestfit_alloc,
	.free = cmafw_bestfit_free,
};
