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
#define MODEL_MAX_EXTENTS	4096

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

/* The same in half runs, 8 MiB ones at half weight: what joins weigh. */
static inline s64 model_half_runs(u64 pfn, u64 pages)
{
	return 2 * model_runs(pfn, pages, 6 * MODEL_MIB_PAGES) +
	       model_runs(pfn, pages, 8 * MODEL_MIB_PAGES);
}

/*
 * Whether frees come in sets, as segfit judges from the frees it saw: a
 * share out of 1024 moves, at each free, a 32nd (rounded down) of the way
 * towards 1024 if the chunk freed touches one of the last four chunks
 * freed, towards 0 if not; from a fifth (1024 / 5) on, they do, and
 * every request goes by best fit.
 */
struct model_frees {
	u64 start[4];
	u64 end[4];
	unsigned int known;
	unsigned int next;
	unsigned int share;
};

static inline void model_frees_note(struct model_frees *f, u64 pfn, u64 pages)
{
	unsigned int i, touch = 0;

	for (i = 0; i < f->known; i++)
		if (f->end[i] == pfn || f->start[i] == pfn + pages)
			touch = 1;
	f->share = f->share + 32 * touch - f->share / 32;
	f->start[f->next] = pfn;
	f->end[f->next] = pfn + pages;
	f->next = (f->next + 1) % 4;
	if (f->known < 4)
		f->known++;
}

static inline bool model_frees_sets(const struct model_frees *f)
{
	return f->share >= 1024 / 5;
}

/* (pages, pfn) order, the order of segfit's size tree. */
static inline bool model_before(const struct model_extent *a,
				const struct model_extent *b)
{
	return a->pages < b->pages || (a->pages == b->pages && a->pfn < b->pfn);
}

/*
 * Over every two neighbouring free extents of @ext (in address order,
 * with an empty extent at each end of the region [@base, @end)): what
 * freeing everything between the two would add, in half runs.
 */
static inline s64 model_joins(const struct model_extent *ext, unsigned int n,
			      u64 base, u64 end)
{
	struct model_extent prev = { base, 0 }, cur;
	s64 sum = 0;
	unsigned int i;

	for (i = 0; i <= n; i++) {
		cur = i < n ? ext[i] : (struct model_extent){ end, 0 };
		sum += model_half_runs(prev.pfn, cur.pfn + cur.pages - prev.pfn) -
		       model_half_runs(prev.pfn, prev.pages) -
		       model_half_runs(cur.pfn, cur.pages);
		prev = cur;
	}
	return sum;
}

static inline bool model_about(u64 a, u64 b)
{
	return a * 10 >= b * 9 && a * 9 <= b * 10;
}

/* A placement being weighed. */
struct model_place {
	const struct model_extent *e;
	u64 pfn;
	s64 cost;
	bool finer;
	u64 sliver;
};

/*
 * segfit's cost of @nr pages at @pfn in extent @i: the runs lost, less
 * the joins the next free is expected to make (over @chunks + 1), less a
 * hundredth of a run per touching neighbour of about its size; all times
 * 200 * (@chunks + 1), to stay in integers.
 */
static inline s64 model_cost(const struct model_extent *ext, unsigned int n,
			     u64 base, u64 end, u64 chunks,
			     unsigned int i, u64 nr, u64 pfn)
{
	/* The callers' regions hold at most 4096 pages: 2049 extents. */
	static struct model_extent after[MODEL_MAX_EXTENTS + 1];
	const struct model_extent *e = &ext[i];
	u64 below = pfn - e->pfn, above = e->pages - below - nr;
	u64 lo_end = i ? ext[i - 1].pfn + ext[i - 1].pages : base;
	u64 hi_start = i + 1 < n ? ext[i + 1].pfn : end;
	s64 loss, joins, k = (s64)chunks + 1;
	unsigned int j, m = 0, same = 0;

	loss = (s64)model_capacity(e->pfn, e->pages) -
	       (s64)model_capacity(e->pfn, below) -
	       (s64)model_capacity(pfn + nr, above);
	for (j = 0; j < n && j < MODEL_MAX_EXTENTS; j++) {
		if (j != i) {
			after[m++] = ext[j];
			continue;
		}
		after[m++] = (struct model_extent){ e->pfn, below };
		after[m++] = (struct model_extent){ pfn + nr, above };
	}
	joins = model_joins(after, m, base, end) -
		model_joins(ext, n, base, end);
	if (e->pfn > base && below < 64 && model_about(e->pfn - lo_end, nr))
		same++;
	if (e->pfn + e->pages < end && above < 64 &&
	    model_about(hi_start - e->pfn - e->pages, nr))
		same++;
	return 200 * k * loss - 100 * joins - 2 * k * (s64)same;
}

static inline bool model_beats(const struct model_place *a,
			       const struct model_place *b, bool top)
{
	if (!b->e)
		return true;
	if (a->cost != b->cost)
		return a->cost < b->cost;
	if (a->finer != b->finer)
		return b->finer;
	if (a->e->pages != b->e->pages)
		return a->e->pages < b->e->pages;
	if (a->e->pfn != b->e->pfn)
		return a->e->pfn < b->e->pfn;
	if (a->sliver != b->sliver)
		return a->sliver < b->sliver;
	return top ? a->pfn > b->pfn : a->pfn < b->pfn;
}

/*
 * segfit's choice for @nr pages at @align pages among @n extents in
 * address order, in the region [@base, @end) holding @chunks chunks, its
 * frees coming in @sets or not (model_frees_sets()): true and *@pfn, or
 * false when nothing fits.
 */
static inline bool model_segfit(const struct model_extent *ext, unsigned int n,
				u64 base, u64 end, u64 chunks, bool sets,
				u64 nr, u64 align, u64 *pfn)
{
	const struct model_extent *prev = NULL, *best_e = NULL;
	struct model_place best = { 0 };
	unsigned int i, k, t, fitted = 0;
	bool top = nr >= 2 * MODEL_MIB_PAGES;
	u64 p;

	if (sets || nr <= MODEL_MIB_PAGES / 2) {
		/* 64 KiB up, unless in sets: the lowest of the first 16. */
		for (i = 0; !sets && nr >= MODEL_MIB_PAGES / 16 && i < n &&
		     i < 16; i++)
			if (model_start(&ext[i], nr, align, false, pfn))
				return true;
		/* Else, below 64 KiB and in sets: the best fit. */
		for (i = 0; i < n; i++)
			if (model_start(&ext[i], nr, align, false, &p) &&
			    (!best_e || model_before(&ext[i], best_e)))
				best_e = &ext[i];
		return best_e && model_start(best_e, nr, align, false, pfn);
	}

	/* The first 4 extents that fit, in (pages, pfn) order. */
	while (fitted < 4) {
		/* At its own alignment; 1 MiB and 2 MiB aligned, if coarser. */
		const u64 aligns[3] = {
			align, MODEL_MIB_PAGES, 2 * MODEL_MIB_PAGES,
		};
		const bool tried[3] = {
			true,
			nr >= MODEL_MIB_PAGES && align < MODEL_MIB_PAGES,
			nr >= 4 * MODEL_MIB_PAGES && align < 2 * MODEL_MIB_PAGES,
		};
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
		for (t = 0; t < 3; t++) {
			for (k = 0; tried[t] && k < 2; k++) {
				struct model_place c = { .e = e, .finer = !t && tried[1] };
				u64 below, above;

				if (!model_start(e, nr, aligns[t], k, &c.pfn))
					continue;
				below = c.pfn - e->pfn;
				above = e->pages - below - nr;
				c.sliver = below < above ? below : above;
				c.cost = model_cost(ext, n, base, end, chunks,
						    e - ext, nr, c.pfn);
				if (model_beats(&c, &best, top))
					best = c;
			}
		}
		if (best.cost <= 0)
			break;
	}
	*pfn = best.pfn;
	return best.e;
}

#endif /* _CMAFW_MODEL_SEGFIT_H */
