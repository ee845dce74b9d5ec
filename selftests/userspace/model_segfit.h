/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where segfit (kernel/alloc_segfit.c) must place a request, worked out
 * from its description over a plain array of free extents, for the unit
 * tests (test_alloc.c) and the fuzzer (fuzz_alloc.c): no trees, no shared
 * code with the allocator.
 */
#ifndef _CMAFW_MODEL_SEGFIT_H
#define _CMAFW_MODEL_SEGFIT_H

#include <linux/mm.h>
#include <linux/types.h>

/* A maximal run of free pages. */
struct model_extent {
	u64 pfn;
	u64 pages;
};

#define MODEL_MIB_PAGES		((1ULL << 20) >> PAGE_SHIFT)

/* Where @nr pages aligned to @align pages start in @e, lowest or highest. */
static inline bool model_start(const struct model_extent *e, u64 nr,
			       u64 align, bool top, u64 *pfn)
{
	u64 first = (e->pfn + align - 1) & ~(align - 1);

	if (first < e->pfn || first - e->pfn > e->pages ||
	    e->pages - (first - e->pfn) < nr)
		return false;
	*pfn = top ? (e->pfn + e->pages - nr) & ~(align - 1) : first;
	return true;
}

/* 1 MiB aligned runs of @run pages in [@pfn, @pfn + @pages), one by one. */
static inline u64 model_runs(u64 pfn, u64 pages, u64 run)
{
	u64 at = (pfn + MODEL_MIB_PAGES - 1) & ~(MODEL_MIB_PAGES - 1);
	u64 n = 0;

	while (at + run <= pfn + pages) {
		n++;
		at += run;
	}
	return n;
}

static inline u64 model_capacity(u64 pfn, u64 pages)
{
	return model_runs(pfn, pages, 6 * MODEL_MIB_PAGES) +
	       model_runs(pfn, pages, 8 * MODEL_MIB_PAGES);
}

/* (pages, pfn) order, the order of segfit's size tree. */
static inline bool model_before(const struct model_extent *a,
				const struct model_extent *b)
{
	return a->pages < b->pages || (a->pages == b->pages && a->pfn < b->pfn);
}

/*
 * segfit's choice for @nr pages at @align pages among @n extents in
 * address order: true and *@pfn, or false when nothing fits.
 */
static inline bool model_segfit(const struct model_extent *ext, unsigned int n,
				u64 nr, u64 align, u64 *pfn)
{
	const struct model_extent *prev = NULL, *best_e = NULL;
	u64 best_loss = 0, best_sliver = 0, best_pfn = 0, p;
	unsigned int i, k, fitted = 0;
	bool top_first;

	if (nr <= MODEL_MIB_PAGES / 2) {
		/* 64 KiB up: the lowest of the first 16 extents. */
		for (i = 0; nr >= MODEL_MIB_PAGES / 16 && i < n && i < 16; i++)
			if (model_start(&ext[i], nr, align, false, pfn))
				return true;
		/* Else, and below 64 KiB: the best fit. */
		for (i = 0; i < n; i++)
			if (model_start(&ext[i], nr, align, false, &p) &&
			    (!best_e || model_before(&ext[i], best_e)))
				best_e = &ext[i];
		return best_e && model_start(best_e, nr, align, false, pfn);
	}

	/* The first 4 extents that fit, in (pages, pfn) order. */
	top_first = nr >= 2 * MODEL_MIB_PAGES;
	while (fitted < 4) {
		const struct model_extent *e = NULL;

		for (i = 0; i < n; i++)
			if ((!prev || model_before(prev, &ext[i])) &&
			    model_start(&ext[i], nr, align, false, &p) &&
			    (!e || model_before(&ext[i], e)))
				e = &ext[i];
		if (!e)
			break;
		prev = e;
		fitted++;
		for (k = 0; k < 2; k++) {
			u64 below, above, loss, sliver;

			model_start(e, nr, align, k ? !top_first : top_first,
				    &p);
			below = p - e->pfn;
			above = e->pages - below - nr;
			loss = model_capacity(e->pfn, e->pages) -
			       model_capacity(e->pfn, below) -
			       model_capacity(p + nr, above);
			sliver = below < above ? below : above;
			/* Cheaper; or as cheap, same extent, smaller sliver. */
			if (!best_e || loss < best_loss ||
			    (loss == best_loss && e == best_e &&
			     sliver < best_sliver)) {
				best_e = e;
				best_pfn = p;
				best_loss = loss;
				best_sliver = sliver;
			}
		}
	}
	*pfn = best_pfn;
	return best_e;
}

#endif /* _CMAFW_MODEL_SEGFIT_H */
