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

/*
 * Buffers of @len pages laid in [@pfn, @pfn + @pages) one after the other,
 * each at the next page aligned to @align.
 */
static inline u64 model_fits(u64 pfn, u64 pages, u64 len, u64 align)
{
	u64 at = (pfn + align - 1) & ~(align - 1);
	u64 n = 0;

	while (at + len <= pfn + pages) {
		n++;
		at = (at + len + align - 1) & ~(align - 1);
	}
	return n;
}

/* The frames segfit keeps room for, in pages, and their alignments. */
#define MODEL_RGB_PAGES		((1920ULL * 1080 * 3 + PAGE_SIZE - 1) / PAGE_SIZE)
#define MODEL_NV12_PAGES	((1920ULL * 1080 * 3 / 2 + PAGE_SIZE - 1) / PAGE_SIZE)
#define MODEL_HD_PAGES		((1280ULL * 720 * 3 / 2 + PAGE_SIZE - 1) / PAGE_SIZE)
#define MODEL_PLANE_PAGES	((64ULL << 10) / PAGE_SIZE)

/*
 * What a free run holds: RGB frames and 8 MiB buffers (1 MiB aligned)
 * count 20, full-HD NV12 frames 2 and 720p ones 1 (64 KiB aligned); in
 * the joins (@join) the same doubled, but 8 MiB buffers count 20.
 */
static inline s64 model_room(u64 pfn, u64 pages, bool join)
{
	u64 rgb = model_fits(pfn, pages, MODEL_RGB_PAGES, MODEL_MIB_PAGES);
	u64 big = model_fits(pfn, pages, 8 * MODEL_MIB_PAGES, MODEL_MIB_PAGES);
	u64 nv12 = model_fits(pfn, pages, MODEL_NV12_PAGES, MODEL_PLANE_PAGES);
	u64 hd = model_fits(pfn, pages, MODEL_HD_PAGES, MODEL_PLANE_PAGES);

	if (join)
		return 40 * rgb + 20 * big + 4 * nv12 + 2 * hd;
	return 20 * (rgb + big) + 2 * nv12 + hd;
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

/* A bit per this many pages, set where a chunk starts (alloc_segfit.c). */
#define MODEL_GRANULE		16
#define MODEL_MAX_RUNS		(MODEL_MAX_EXTENTS + 4096 / MODEL_GRANULE + 2)

/*
 * The free runs segfit sees in the region [@base, @end), in address
 * order, into @runs: each extent of @ext, and an empty run where it sees
 * a chunk start inside a used run.  @starts has a byte per granule of
 * MODEL_GRANULE pages from @base, set where the caller's chunks started
 * and cleared when they went (so a granule that held two starts loses
 * both with the first free, as segfit's bit does).  In a used run, a
 * chunk is seen to start at the first page of each granule with its byte
 * set, past the granule the used run starts in (all chunks starting
 * there look like the first one) and before the granule of the chunk
 * that starts past the next extent (its own byte).  An empty run stands
 * at a region's edge where a chunk touches it.  Returns how many.
 */
static inline unsigned int model_seen(const struct model_extent *ext,
				      unsigned int n, const u8 *starts,
				      u64 base, u64 end,
				      struct model_extent *runs)
{
	unsigned int i, m = 0;
	u64 used = base, g, last, stop;

	for (i = 0; i <= n; i++) {
		u64 to = i < n ? ext[i].pfn : end;

		if (to > used) {
			if (!m)
				runs[m++] = (struct model_extent){ base, 0 };
			last = (to - 1 - base) / MODEL_GRANULE;
			stop = last + 1;
			if (i < n && ext[i].pfn + ext[i].pages < end &&
			    (ext[i].pfn + ext[i].pages - base) / MODEL_GRANULE < stop)
				stop = (ext[i].pfn + ext[i].pages - base) /
				       MODEL_GRANULE;
			for (g = (used - base) / MODEL_GRANULE + 1; g < stop; g++)
				if (starts[g])
					runs[m++] = (struct model_extent){
						base + g * MODEL_GRANULE, 0 };
			if (i == n)
				runs[m++] = (struct model_extent){ end, 0 };
		}
		if (i < n) {
			runs[m++] = ext[i];
			used = ext[i].pfn + ext[i].pages;
		}
	}
	return m;
}

/* The room freeing the chunks between @r[@from] and @r[@to] adds. */
static inline s64 model_freed(const struct model_extent *r, unsigned int from,
			      unsigned int to)
{
	s64 sum = model_room(r[from].pfn,
			     r[to].pfn + r[to].pages - r[from].pfn, true);
	unsigned int k;

	for (k = from; k <= to; k++)
		sum -= model_room(r[k].pfn, r[k].pages, true);
	return sum;
}

/*
 * What the next three frees are expected to give back among the @m free
 * runs of @r and the chunks between them, in 1/200 of model_room() over
 * the live chunks + 1: each chunk freed alone, three times, and at a twentieth of
 * that what two freed together add besides.
 */
static inline s64 model_merges(const struct model_extent *r, unsigned int m)
{
	unsigned int x, y;
	s64 sum = 0;

	for (x = 1; x < m; x++)
		sum += 300 * model_freed(r, x - 1, x);
	for (x = 1; x < m; x++)
		for (y = x + 1; y < m; y++)
			if (y == x + 1)
				sum += 15 * (model_freed(r, x - 1, y) -
					    model_freed(r, x - 1, x) -
					    model_freed(r, y - 1, y));
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
 * segfit's cost of @nr pages at @pfn in the free run @j of the @m it sees
 * (@runs, model_seen()), in a region holding @chunks chunks: the room
 * lost (model_room()), less what the next three frees are expected to give
 * back over the chunks touching the run (model_merges()), less a hundredth
 * of an RGB frame's room per touching chunk of about its size; all times
 * 600 * (@chunks + 1), to stay in integers.
 */
static inline s64 model_cost(const struct model_extent *runs, unsigned int m,
			     u64 chunks, unsigned int j, u64 nr, u64 pfn)
{
	const struct model_extent *e = &runs[j];
	u64 below = pfn - e->pfn, above = e->pages - below - nr;
	unsigned int lo = j ? j - 1 : j, hi = j + 1 < m ? j + 1 : j;
	struct model_extent after[4];
	s64 loss, joins, k = (s64)chunks + 1;
	unsigned int x, w = 0, same = 0;

	loss = model_room(e->pfn, e->pages, false) -
	       model_room(e->pfn, below, false) -
	       model_room(pfn + nr, above, false);
	for (x = lo; x <= hi; x++) {
		if (x != j) {
			after[w++] = runs[x];
			continue;
		}
		after[w++] = (struct model_extent){ e->pfn, below };
		after[w++] = (struct model_extent){ pfn + nr, above };
	}
	joins = model_merges(after, w) - model_merges(&runs[lo], hi - lo + 1);
	if (j && below < 64 &&
	    model_about(e->pfn - runs[j - 1].pfn - runs[j - 1].pages, nr))
		same++;
	if (j + 1 < m && above < 64 &&
	    model_about(runs[j + 1].pfn - e->pfn - e->pages, nr))
		same++;
	/* The next three frees surely take each of fewer chunks. */
	return 3 * (200 * k * loss - 40 * k * (s64)same) -
	       (k < 3 ? k : 3) * joins;
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
 * address order, in the region [@base, @end) holding @chunks chunks that
 * started in the granules @starts marks (model_seen()), its frees coming
 * in @sets or not (model_frees_sets()): true and *@pfn, or false when
 * nothing fits.
 */
static inline bool model_segfit(const struct model_extent *ext, unsigned int n,
				const u8 *starts, u64 base, u64 end,
				u64 chunks, bool sets, u64 nr, u64 align,
				u64 *pfn)
{
	static struct model_extent runs[MODEL_MAX_RUNS];
	unsigned int m, j;
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

	m = model_seen(ext, n, starts, base, end, runs);
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
		for (j = 0; runs[j].pfn != e->pfn || !runs[j].pages; j++)
			;
		for (t = 0; t < 3; t++) {
			for (k = 0; tried[t] && k < 2; k++) {
				struct model_place c = { .e = e, .finer = !t && tried[1] };
				u64 below, above;

				if (!model_start(e, nr, aligns[t], k, &c.pfn))
					continue;
				below = c.pfn - e->pfn;
				above = e->pages - below - nr;
				c.sliver = below < above ? below : above;
				c.cost = model_cost(runs, m, chunks, j, nr,
						    c.pfn);
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
