// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: the "segfit" allocator: small buffers low, frames where they
 * cost the fewest frame-sized runs.
 *
 * Over the same maximal holes as bestfit (alloc_holes.c), a request is
 * placed by its size:
 *
 *  - Tiny, below SEGFIT_TINY_BYTES: the smallest hole that holds it, at
 *    its first aligned page, as bestfit: such chunks fit the slivers
 *    between larger ones.
 *
 *  - Small, up to SEGFIT_SMALL_BYTES: the lowest of the first
 *    SEGFIT_LOW_HOLES holes by address that holds it, at its first aligned
 *    page; if none of them does, the smallest hole that does (bestfit).
 *    Small buffers so gather at the bottom of the region instead of being
 *    spread into the holes frames leave behind.
 *
 *  - Larger: the first SEGFIT_CHOICES holes that hold it, smallest first,
 *    each at its first and at its last aligned start, are weighed by what
 *    the placement costs: the number of 1 MiB aligned runs of 6 MiB and of
 *    8 MiB the hole holds and its leftovers no longer do.  The cheapest
 *    wins; on a tie the smaller hole, then the placement that leaves the
 *    smaller sliver beside it, then for SEGFIT_TOP_BYTES and up the top
 *    start (bottom for smaller ones).  A placement that costs nothing ends
 *    the search.
 *
 * Both walks are bounded: O(log n) to find where to start, plus a fixed
 * number of holes (and, as in bestfit, the holes too small once aligned).
 *
 * Chosen by measurement (bench/, the camera trace: 256 MiB churned at 85%
 * fill; fragmentation loss = failures with enough free bytes).  On the
 * fixed seed, bestfit 1.83%, the previous segfit (bestfit with 2 MiB and
 * up at the hole's top) 1.59%, weighing the choices alone 1.5%, with small
 * buffers low too 1.28%; over 12 other seeds 1.66%, 1.62%, 1.50% and
 * 1.32%.  Neither more choices (8, 16, all) nor more low holes (32, 64,
 * all) did better; nor did runs sized like the trace's own frames.  Tiny
 * chunks are left to best fit for speed: gathered low too, the 4-64 KiB
 * chunks of the small trace crowd the bottom blocks' resource lists, and
 * the framework's pair p50 there went from 1.09x to 1.69x gen_pool's.
 */

#include <linux/align.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/sizes.h>

#include "alloc.h"
#include "alloc_holes.h"

#define SEGFIT_TINY_BYTES	SZ_64K
#define SEGFIT_SMALL_BYTES	SZ_512K
#define SEGFIT_LOW_HOLES	16
#define SEGFIT_CHOICES		4
#define SEGFIT_TOP_BYTES	SZ_2M

/* The runs whose loss a placement is weighed by, 1 MiB aligned. */
#define SEGFIT_RUN_ALIGN	(SZ_1M >> PAGE_SHIFT)
#define SEGFIT_RUN_A		((6 * SZ_1M) >> PAGE_SHIFT)
#define SEGFIT_RUN_B		(SZ_8M >> PAGE_SHIFT)

static unsigned long segfit_capacity(unsigned long pfn, unsigned long pages)
{
	return cmafw_holes_runs(pfn, pages, SEGFIT_RUN_A, SEGFIT_RUN_ALIGN) +
	       cmafw_holes_runs(pfn, pages, SEGFIT_RUN_B, SEGFIT_RUN_ALIGN);
}

/* 64-512 KiB: the lowest of the first holes by address, else best fit. */
static struct cmafw_hole *segfit_low(const struct cmafw_holes *h,
				     unsigned long nr, unsigned long align,
				     unsigned long *pfn)
{
	struct rb_node *node = rb_first(&h->by_addr);
	unsigned int i;

	for (i = 0; node && i < SEGFIT_LOW_HOLES; i++, node = rb_next(node)) {
		struct cmafw_hole *hole = cmafw_hole_of(node, by_addr);

		if (cmafw_holes_fit(h, hole, nr, align, false, pfn))
			return hole;
	}
	return cmafw_holes_best_fit(h, nr, align, false, pfn);
}

/**
 * struct segfit_choice - the best placement weighed so far.
 * @hole:	its hole, NULL before the first.
 * @pfn:	its first page.
 * @loss:	runs of the hole its leftovers no longer hold.
 * @sliver:	the smaller of its leftovers, in pages.
 */
struct segfit_choice {
	struct cmafw_hole *hole;
	unsigned long pfn;
	unsigned long loss;
	unsigned long sliver;
};

static void segfit_weigh(const struct cmafw_holes *h,
			 struct segfit_choice *best, struct cmafw_hole *hole,
			 unsigned long cap, unsigned long pfn,
			 unsigned long nr)
{
	unsigned long start = cmafw_hole_pfn(h, hole);
	unsigned long below = pfn - start;
	unsigned long above = hole->pages - below - nr;
	unsigned long loss = cap - segfit_capacity(start, below) -
			     segfit_capacity(pfn + nr, above);
	unsigned long sliver = below < above ? below : above;

	if (!best->hole || loss < best->loss ||
	    (loss == best->loss && hole == best->hole &&
	     sliver < best->sliver))
		*best = (struct segfit_choice) {
			.hole = hole, .pfn = pfn, .loss = loss, .sliver = sliver,
		};
}

/* Larger: the cheapest of both ends of the first few holes that fit. */
static struct cmafw_hole *segfit_weighed(const struct cmafw_holes *h,
					 unsigned long nr, unsigned long align,
					 unsigned long *pfn)
{
	bool top_first = nr >= SEGFIT_TOP_BYTES >> PAGE_SHIFT;
	struct segfit_choice best = { };
	struct rb_node *node;
	unsigned int fitted = 0;

	for (node = cmafw_holes_smallest(h, nr);
	     node && fitted < SEGFIT_CHOICES; node = rb_next(node)) {
		struct cmafw_hole *hole = cmafw_hole_of(node, by_size);
		unsigned long cap, first, second;

		if (!cmafw_holes_fit(h, hole, nr, align, top_first, &first))
			continue;
		cmafw_holes_fit(h, hole, nr, align, !top_first, &second);
		fitted++;
		cap = segfit_capacity(cmafw_hole_pfn(h, hole), hole->pages);
		segfit_weigh(h, &best, hole, cap, first, nr);
		segfit_weigh(h, &best, hole, cap, second, nr);
		if (!best.loss)
			break;
	}
	*pfn = best.pfn;
	return best.hole;
}

static int cmafw_segfit_alloc(void *priv, size_t size, dma_addr_t align,
			      dma_addr_t *addr)
{
	struct cmafw_holes *h = priv;
	unsigned long nr = size >> PAGE_SHIFT;
	unsigned long al = cmafw_holes_align(h, align);
	struct cmafw_hole *hole;
	unsigned long pfn;

	if (!nr)
		return -EINVAL;
	if (size < SEGFIT_TINY_BYTES)
		hole = cmafw_holes_best_fit(h, nr, al, false, &pfn);
	else if (size <= SEGFIT_SMALL_BYTES)
		hole = segfit_low(h, nr, al, &pfn);
	else
		hole = segfit_weighed(h, nr, al, &pfn);
	if (!hole || cmafw_holes_take(h, hole, pfn, nr))
		return -ENOMEM;
	*addr = (dma_addr_t)pfn << PAGE_SHIFT;
	return 0;
}

struct cma_allocator cmafw_segfit_allocator = {
	.name = "segfit",
	.init = cmafw_holes_init,
	.cleanup = cmafw_holes_cleanup,
	.alloc = cmafw_segfit_alloc,
	.free = cmafw_holes_free,
};
