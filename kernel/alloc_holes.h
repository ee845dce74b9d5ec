/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The free extents of a region as two rbtrees of maximal holes, shared by
 * the allocators that place by hole ("bestfit", "segfit"): see
 * alloc_holes.c.
 */
#ifndef _CMAFW_ALLOC_HOLES_H
#define _CMAFW_ALLOC_HOLES_H

#include <linux/align.h>
#include <linux/math.h>
#include <linux/rbtree.h>
#include <linux/types.h>

/**
 * struct cmafw_hole - a maximal run of free pages, or a spare node.
 * @by_addr:	node in &cmafw_holes.by_addr, while a hole.
 * @next_spare:	next node on &cmafw_holes.spares, while a spare.
 * @by_size:	node in &cmafw_holes.by_size.
 * @off:	first page of the hole, counted from the region's first page
 *		(cmafw_hole_pfn() gives its page frame number).
 * @pages:	number of pages in the hole.
 *
 * 56 bytes on 64-bit, a region being at most 2^32 - 1 pages: one node per
 * live chunk, plus one and at most CMAFW_HOLES_SPARE spares, from a slab
 * cache of its own (kmalloc() would round it up to 64).
 */
struct cmafw_hole {
	union {
		struct rb_node by_addr;
		struct cmafw_hole *next_spare;
	};
	struct rb_node by_size;
	u32 off;
	u32 pages;
};

/**
 * struct cmafw_holes - the free extents of one region.
 * @by_addr:	holes ordered by address.
 * @by_size:	holes ordered by size, then address.
 * @spares:	nodes that are not holes: at least live chunks + 1 - holes
 *		of them, and at most CMAFW_HOLES_SPARE more.
 * @chunks:	live chunks: ranges taken and not given back yet.
 * @nodes:	holes and spares.
 * @base_pfn:	page frame number of the region's first page.
 * @end_pfn:	page frame number just past the region.
 */
struct cmafw_holes {
	struct rb_root by_addr;
	struct rb_root by_size;
	struct cmafw_hole *spares;
	unsigned long chunks;
	unsigned long nodes;
	unsigned long base_pfn;
	unsigned long end_pfn;
};

/* Spare nodes a set keeps beyond those its live chunks may need. */
#define CMAFW_HOLES_SPARE	8

#define cmafw_hole_of(node, member) rb_entry(node, struct cmafw_hole, member)

/**
 * cmafw_hole_pfn() - the page frame number of a hole's first page.
 * @h:		the set the hole is in.
 * @hole:	the hole.
 *
 * Return: @hole's first page.
 */
static inline unsigned long cmafw_hole_pfn(const struct cmafw_holes *h,
					   const struct cmafw_hole *hole)
{
	return h->base_pfn + hole->off;
}

/**
 * cmafw_holes_fit() - where an aligned run starts in a hole, if it fits.
 * @h:		the set the hole is in.
 * @hole:	the hole.
 * @nr:		pages wanted.
 * @align:	their alignment in pages, a power of two (cmafw_holes_align()).
 * @top:	the hole's last aligned start, not its first.
 * @pfn:	set to the run's first page when it fits.
 *
 * Return: true if @hole holds the run.
 */
static inline bool cmafw_holes_fit(const struct cmafw_holes *h,
				   const struct cmafw_hole *hole,
				   unsigned long nr, unsigned long align,
				   bool top, unsigned long *pfn)
{
	unsigned long start = cmafw_hole_pfn(h, hole);

	if (hole->pages < nr)
		return false;
	if (top) {
		*pfn = ALIGN_DOWN(start + hole->pages - nr, align);
		return *pfn >= start;
	}
	*pfn = ALIGN(start, align);
	return *pfn - start <= hole->pages - nr;
}

struct cmafw_holes *cmafw_holes_new(dma_addr_t base, size_t size);
void cmafw_holes_destroy(struct cmafw_holes *h);
unsigned long cmafw_holes_align(const struct cmafw_holes *h, dma_addr_t align);
struct rb_node *cmafw_holes_smallest(const struct cmafw_holes *h,
				     unsigned long nr);
struct cmafw_hole *cmafw_holes_best_fit(const struct cmafw_holes *h,
					unsigned long nr, unsigned long align,
					bool top, unsigned long *pfn);
int cmafw_holes_take(struct cmafw_holes *h, struct cmafw_hole *hole,
		     unsigned long pfn, unsigned long nr);
void cmafw_holes_give(struct cmafw_holes *h, unsigned long pfn,
		      unsigned long nr);

void *cmafw_holes_init(dma_addr_t base, size_t size);
void cmafw_holes_cleanup(void *priv);
int cmafw_holes_alloc(void *priv, size_t size, dma_addr_t align, bool top,
		      dma_addr_t *addr);
void cmafw_holes_free(void *priv, dma_addr_t addr, size_t size);

#endif /* _CMAFW_ALLOC_HOLES_H */
