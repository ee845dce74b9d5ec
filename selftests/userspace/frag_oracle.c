// SPDX-License-Identifier: GPL-2.0
/*
 * How far placement alone can take the camera trace: the benchmark's own
 * camera trace (bench/bench_core.c, same generator, same seed) replayed
 * through segfit, the closest online rule found and placements that know
 * the future.
 *
 *   make -C selftests/userspace frag-oracle
 *
 * The replay counts like the benchmark: of the measured allocations, the
 * failures while at least as many bytes were free ("fragloss"), and the
 * successes.  The placements:
 *
 *   segfit      kernel/alloc_segfit.c itself, over the shim: the check that
 *               this replay counts as the benchmark does.
 *   neighbour   clairvoyant: at either end of any hole that holds the
 *               chunk, against the neighbour (a chunk, or the region's
 *               edge, which never goes) that is freed closest in time to
 *               the chunk itself, so that holes open together.
 *   rollout     clairvoyant: a request above 512 KiB tries both ends of
 *               the 8 smallest holes that hold it and keeps the one after
 *               which the next 150 operations of the real trace, placed
 *               by a plain rule (smallest hole, 2 MiB and up at its top),
 *               fail least; smaller ones take the lowest hole.
 *   online      not clairvoyant: the closest to 1.00% an online rule came
 *               (issue 15).  Up to 512 KiB: the lowest of the first 16
 *               holes that holds it, at whichever end scores better, else
 *               the best fit.  Larger: the 4 smallest holes that hold it,
 *               smallest first, each at both ends, and at both 1 MiB
 *               aligned ends too from 300 pages up (when finer aligned),
 *               at both 2 MiB aligned ends from 4 MiB up; the search stops
 *               after a hole once the best score is <= 0.  The score:
 *               segfit's loss (the room for frames cut, in RGB frames:
 *               room_of()), minus the room that freeing one (or, weighed
 *               0.05, two) of the chunks between the 2 holes each side
 *               would open, times the frees weighed (at most all the
 *               chunks) over the live chunks + 1, minus 0.01 for each
 *               touching chunk (< 64 pages away) within 10% of its size.  Ties: the coarser
 *               alignment, the smaller hole, the lower, the smaller sliver,
 *               from 3 MiB the higher start (else the lower).  It sees
 *               every chunk's extent, which a struct cma_allocator does not.
 *   online-holes the same seeing only the holes, as the hole trees show
 *               them: the used run between two holes is taken as one chunk.
 *               Without the weight of two frees (-p 0), with small
 *               requests at the first page of the lowest hole that holds
 *               them, 1 MiB aligned ends from 1 MiB and the top end from
 *               2 MiB (-s), it was segfit before it kept chunk starts,
 *               when both weighed 6 and 8 MiB runs instead of frames: it
 *               failed exactly as often on each of 41 seeds (BENCHMARKS.md,
 *               stop 54).
 *   online-coarse the same seeing the holes and a map of chunk starts, one
 *               bit per 16 pages (-g PAGES), which fits segfit's metadata
 *               budget where a bit per page does not: touching chunks that
 *               start in one granule look like one, and a start looks like
 *               its granule's first page.  With the chunk touching each
 *               side of a hole (-w 1), segfit's thresholds (-s) and the
 *               joins weighed over three frees (-j 3), this is segfit:
 *               `make check` replays two seeds through both.
 * "-n N" also replays the next N seeds (seed + 1 .. seed + N) through
 * segfit, the online placements and rollout, and prints for each the
 * mean, one seed's standard deviation, the range and how many seeds read
 * at most 1.00%: how far the benchmark's one seed tells two placements
 * apart.  "-g PAGES" sets online-coarse's granule.  "-w 1" has the online
 * rules weigh one neighbour each side of a hole instead of two (for
 * online, the chunk touching it), "-p WEIGHT" sets the weight of two frees
 * (0.05; 0 for none), "-j FREES" weighs the joins over that many frees to
 * come (1; segfit 3) and "-s" gives the online rules segfit's thresholds
 * (above).
 *
 * Neither clairvoyant placement is optimal, so what they reach is an upper
 * bound on the best a non-moving placement can do, not a lower one.  The
 * trace frees a uniformly random live chunk, so an allocator that does not
 * know the future has nothing to tell which neighbours go together.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../bench/bench_core.c"
#include "alloc.h"
#include "alloc_holes.h"

/* The engine's clock: none; the rest is bench_env_plain.c. */
u64 bench_env_ns(void)
{
	return 0;
}

u64 bench_env_ticks(void)
{
	return 0;
}

#define NEVER		(~0UL)
#define MAX_LIVE	4096
#define ROLL_OPS	150
#define ROLL_HOLES	8
#define MIB_PAGES	((1UL << 20) >> PAGE_SHIFT)
/* Where the native benchmark puts the region (1 GiB: alignment as 0). */
#define BASE		0x40000000UL

/* A live chunk of the layout; @gone: index of the op that frees it. */
struct piece {
	unsigned long pfn;
	unsigned long pages;
	unsigned int slot;
	unsigned long gone;
};

struct layout {
	struct piece p[MAX_LIVE];
	unsigned int n;
	unsigned long pages;
};

static const struct bench_trace *trace;
static unsigned long *gone_at;	/* per alloc op: the op freeing it */

static unsigned long gap_start(const struct layout *l, unsigned int i)
{
	return i ? l->p[i - 1].pfn + l->p[i - 1].pages : 0;
}

static unsigned long gap_end(const struct layout *l, unsigned int i)
{
	return i < l->n ? l->p[i].pfn : l->pages;
}

/* Gap i lies below piece i; gap n is the top of the region. */
static bool gap_fit(const struct layout *l, unsigned int i, unsigned long nr,
		    unsigned long align, bool top, unsigned long *pfn)
{
	unsigned long s = gap_start(l, i), e = gap_end(l, i);
	unsigned long first = ALIGN(s, align);

	if (e - s < nr || first > e - nr)
		return false;
	*pfn = top ? ALIGN_DOWN(e - nr, align) : first;
	return true;
}

static void insert(struct layout *l, unsigned long pfn, unsigned long nr,
		   unsigned int slot, unsigned long gone)
{
	unsigned int i = l->n;

	while (i && l->p[i - 1].pfn > pfn) {
		l->p[i] = l->p[i - 1];
		i--;
	}
	l->p[i] = (struct piece){ pfn, nr, slot, gone };
	l->n++;
}

static bool drop(struct layout *l, unsigned int slot)
{
	unsigned int i;

	for (i = 0; i < l->n; i++) {
		if (l->p[i].slot != slot)
			continue;
		memmove(&l->p[i], &l->p[i + 1], (l->n - i - 1) * sizeof(l->p[0]));
		l->n--;
		return true;
	}
	return false;
}

/* Best fit: the smallest gap that holds it (the lowest among equals). */
static bool place_best(const struct layout *l, unsigned long nr,
		       unsigned long align, bool top, unsigned long *pfn)
{
	unsigned long best = NEVER, at;
	unsigned int i;

	for (i = 0; i <= l->n; i++) {
		unsigned long len = gap_end(l, i) - gap_start(l, i);

		if (len < best && gap_fit(l, i, nr, align, top, &at)) {
			best = len;
			*pfn = at;
		}
	}
	return best != NEVER;
}

/* The plain rule of the rollouts: smallest gap, 2 MiB and up at the top. */
static bool place_plain(const struct layout *l, unsigned long nr,
			unsigned long align, unsigned long *pfn)
{
	return place_best(l, nr, align, nr >= 2 * MIB_PAGES, pfn);
}

static bool place_lowest(const struct layout *l, unsigned long nr,
			 unsigned long align, unsigned long *pfn)
{
	unsigned int i;

	for (i = 0; i <= l->n; i++)
		if (gap_fit(l, i, nr, align, false, pfn))
			return true;
	return false;
}

static unsigned long distance(unsigned long a, unsigned long b)
{
	if (a == NEVER || b == NEVER)
		return a == b ? 0 : NEVER - 1;
	return a > b ? a - b : b - a;
}

static bool place_neighbour(const struct layout *l, unsigned long nr,
			    unsigned long align, unsigned long gone,
			    unsigned long *pfn)
{
	unsigned long best = NEVER, best_len = 0, at;
	unsigned int i, end;

	for (i = 0; i <= l->n; i++) {
		unsigned long len = gap_end(l, i) - gap_start(l, i);

		for (end = 0; end < 2; end++) {
			unsigned long d;

			if (!gap_fit(l, i, nr, align, end, &at))
				continue;
			/* Bottom: against piece i - 1; top: against piece i. */
			if (end)
				d = distance(i < l->n ? l->p[i].gone : NEVER,
					     gone);
			else
				d = distance(i ? l->p[i - 1].gone : NEVER, gone);
			if (best == NEVER || d < best ||
			    (d == best && len < best_len)) {
				best = d;
				best_len = len;
				*pfn = at;
			}
		}
	}
	return best != NEVER;
}

/* Failures over the next ROLL_OPS ops after op @from, from layout @l. */
static unsigned int roll(const struct layout *start, unsigned int from)
{
	static struct layout l;
	unsigned int i, fails = 0;
	unsigned long used = 0, pfn;

	l = *start;
	for (i = 0; i < l.n; i++)
		used += l.p[i].pages;
	for (i = from + 1; i < trace->nr_ops && i <= from + ROLL_OPS; i++) {
		const struct bench_op *op = &trace->ops[i];
		unsigned long nr = ALIGN(op->size, PAGE_SIZE) >> PAGE_SHIFT;

		if (op->kind == BENCH_FREE) {
			unsigned int k;

			for (k = 0; k < l.n; k++)
				if (l.p[k].slot == op->slot)
					break;
			if (k < l.n) {
				used -= l.p[k].pages;
				drop(&l, op->slot);
			}
			continue;
		}
		if (!place_plain(&l, nr, 1UL << (op->align_shift - PAGE_SHIFT),
				 &pfn)) {
			fails += nr <= l.pages - used;
			continue;
		}
		insert(&l, pfn, nr, op->slot, NEVER);
		used += nr;
	}
	return fails;
}

/*
 * The next gap in (size, address) order after the one of *@len pages at
 * *@start (the first when *@len is NEVER) that holds @nr pages at @align:
 * its index, with *@len and *@start set to it; -1 when none is left.
 */
static int next_smallest(const struct layout *l, unsigned long nr,
			 unsigned long align, unsigned long *len,
			 unsigned long *start)
{
	unsigned long best = NEVER, s = 0, at;
	unsigned int i;
	int pick = -1;

	for (i = 0; i <= l->n; i++) {
		unsigned long gl = gap_end(l, i) - gap_start(l, i);
		unsigned long gs = gap_start(l, i);

		if (*len != NEVER && (gl < *len ||
				      (gl == *len && gs <= *start)))
			continue;
		if ((gl < best || (gl == best && gs < s)) &&
		    gap_fit(l, i, nr, align, false, &at)) {
			best = gl;
			s = gs;
			pick = i;
		}
	}
	if (pick >= 0) {
		*len = best;
		*start = s;
	}
	return pick;
}

static bool place_rollout(const struct layout *l, unsigned int at_op,
			  unsigned long nr, unsigned long align,
			  unsigned long *pfn)
{
	static struct layout trial;
	unsigned int k, end, tried = 0, best = ~0U;
	unsigned long prev_len = NEVER, prev_start = 0, at;

	if (nr <= MIB_PAGES / 2)
		return place_lowest(l, nr, align, pfn);
	/* The ROLL_HOLES smallest gaps that hold it, in (size, address). */
	for (k = 0; k < ROLL_HOLES; k++) {
		int pick = next_smallest(l, nr, align, &prev_len, &prev_start);

		if (pick < 0)
			break;
		for (end = 0; end < 2; end++) {
			unsigned int f;

			gap_fit(l, pick, nr, align, !end, &at);
			trial = *l;
			insert(&trial, at, nr, ~0U, NEVER);
			f = roll(&trial, at_op);
			tried++;
			if (f < best) {
				best = f;
				*pfn = at;
			}
		}
	}
	return tried;
}


/*
 * The online rule.  Capacity of a free run: its 1 MiB aligned runs of
 * 6 MiB and of 8 MiB (the merge term weighs the 8 MiB ones by half).
 */
#define ON_SMALL	(MIB_PAGES / 2)
#define ON_LOW_HOLES	16
#define ON_CHOICES	4
#define ON_WINDOW_MAX	2
static int on_window_n = ON_WINDOW_MAX;	/* holes each side weighed for merges (-w) */
static double on_pair = 0.05;	/* weight of two frees against one (-p) */
static double on_frees = 1;	/* frees the joins are weighed over (-j) */
/* segfit's thresholds instead of the rule's own (-s) */
static bool on_segfit_thresholds;
#define ON_TOUCH	64	/* pages: a chunk this close is a neighbour */
#define ON_SAME		0.01	/* bonus for a neighbour of about its size */

static bool online_holes_only;

/*
 * As segfit weighs a gap (kernel/alloc_segfit.c): @len pages laid one after
 * the other from @pfn, each at the next page aligned to @align.
 */
static unsigned long fits_of(unsigned long pfn, unsigned long pages,
			     unsigned long len, unsigned long align)
{
	unsigned long first = ALIGN(pfn, align), end = pfn + pages;

	return end >= first + len ?
	       (end - first - len) / ALIGN(len, align) + 1 : 0;
}

/*
 * The room a gap holds, in RGB frames: full-HD RGB frames and 8 MiB
 * buffers (1 MiB aligned) count one (8 MiB a half in the joins, @join),
 * full-HD NV12 frames a tenth, 720p NV12 frames a twentieth (64 KiB
 * aligned).
 */
static double room_of(unsigned long pfn, unsigned long pages, bool join)
{
	unsigned long rgb = fits_of(pfn, pages,
				    DIV_ROUND_UP(FRAME_1080P_RGB, PAGE_SIZE),
				    MIB_PAGES);
	unsigned long big = fits_of(pfn, pages, 8 * MIB_PAGES, MIB_PAGES);
	unsigned long nv12 = fits_of(pfn, pages,
				     DIV_ROUND_UP(FRAME_1080P_NV12, PAGE_SIZE),
				     (64 << 10) >> PAGE_SHIFT);
	unsigned long hd = fits_of(pfn, pages,
				   DIV_ROUND_UP(FRAME_720P_NV12, PAGE_SIZE),
				   (64 << 10) >> PAGE_SHIFT);

	return rgb + (join ? 0.5 : 1) * big + 0.1 * nv12 + 0.05 * hd;
}

static double cap_loss(unsigned long pfn, unsigned long pages)
{
	return room_of(pfn, pages, false);
}

static double cap_merge(unsigned long pfn, unsigned long pages)
{
	return room_of(pfn, pages, true);
}

/*
 * Holes hs/he[0..m] with a used run between each two: what freeing the
 * runs in @mask (bit j: the run below hole j) adds to the capacity.
 */
static double merge_gain(const unsigned long *hs, const unsigned long *he,
			 int m, unsigned int mask)
{
	double g = 0;
	int a = 0, b, j;

	while (a <= m) {
		for (b = a; b < m && (mask >> (b + 1) & 1); b++)
			;
		if (b > a) {
			g += cap_merge(hs[a], he[b] - hs[a]);
			for (j = a; j <= b; j++)
				g -= cap_merge(hs[j], he[j] - hs[j]);
		}
		a = b + 1;
	}
	return g;
}

static double merge_value(const unsigned long *hs, const unsigned long *he,
			  int m)
{
	double one = 0, two = 0;
	int x, y;

	for (x = 1; x <= m; x++)
		one += merge_gain(hs, he, m, 1U << x);
	for (x = 1; x <= m; x++)
		for (y = x + 1; y <= m; y++)
			two += merge_gain(hs, he, m, 1U << x | 1U << y) -
			       merge_gain(hs, he, m, 1U << x) -
			       merge_gain(hs, he, m, 1U << y);
	return one + on_pair * two;
}

struct on_choice {
	int gap;		/* -1: none yet */
	unsigned long pfn;
	double score;
	bool natural;		/* at its own alignment, a coarser one tried */
	unsigned long len;
	unsigned long sliver;
};

static bool on_empty(const struct layout *l, int g)
{
	return gap_end(l, g) == gap_start(l, g);
}

/* The holes around gap @i, on_window_n each side, into ws/we; *mid: @i's. */
static int on_window(const struct layout *l, int i, unsigned long *ws,
		     unsigned long *we, int *mid)
{
	unsigned long bs[ON_WINDOW_MAX + 1], be[ON_WINDOW_MAX + 1];
	int n = 0, nb = 0, g, k, seen;

	if (!online_holes_only) {
		int lo = i - on_window_n < 0 ? 0 : i - on_window_n;
		int hi = i + on_window_n > (int)l->n ? (int)l->n : i + on_window_n;

		for (g = lo; g <= hi; g++) {
			if (g == i)
				*mid = n;
			ws[n] = gap_start(l, g);
			we[n++] = gap_end(l, g);
		}
		return n;
	}
	/* Only holes: a region edge stands for an empty hole. */
	for (g = i - 1, seen = 0; seen < on_window_n; g--) {
		if (g < 0) {
			bs[nb] = be[nb] = 0;
			nb++;
			break;
		}
		if (!on_empty(l, g)) {
			bs[nb] = gap_start(l, g);
			be[nb++] = gap_end(l, g);
			seen++;
		}
	}
	for (k = nb - 1; k >= 0; k--) {
		ws[n] = bs[k];
		we[n++] = be[k];
	}
	*mid = n;
	ws[n] = gap_start(l, i);
	we[n++] = gap_end(l, i);
	for (g = i + 1, seen = 0; seen < on_window_n; g++) {
		if (g > (int)l->n) {
			ws[n] = we[n] = l->pages;
			n++;
			break;
		}
		if (!on_empty(l, g)) {
			ws[n] = gap_start(l, g);
			we[n++] = gap_end(l, g);
			seen++;
		}
	}
	return n;
}

/* The size of the used run (or chunk) against gap @i, below or above. */
static unsigned long on_neighbour(const struct layout *l, int i, bool above)
{
	int g;

	if (!online_holes_only)
		return above ? l->p[i].pages : l->p[i - 1].pages;
	if (above) {
		for (g = i + 1; g < (int)l->n && on_empty(l, g); g++)
			;
		return gap_start(l, g) - gap_end(l, i);
	}
	for (g = i - 1; g > 0 && on_empty(l, g); g--)
		;
	return gap_start(l, i) - gap_end(l, g);
}

static bool about(unsigned long a, unsigned long b)
{
	return a * 10 >= b * 9 && a * 9 <= b * 10;
}

static bool on_better(const struct on_choice *a, const struct on_choice *b,
		      bool top)
{
	if (b->gap < 0)
		return true;
	if (a->score < b->score - 1e-9 || a->score > b->score + 1e-9)
		return a->score < b->score;
	if (a->natural != b->natural)
		return !a->natural;
	if (a->len != b->len)
		return a->len < b->len;
	if (a->gap != b->gap)
		return a->gap < b->gap;
	if (a->sliver != b->sliver)
		return a->sliver < b->sliver;
	return top ? a->pfn > b->pfn : a->pfn < b->pfn;
}

static void on_weigh(const struct layout *l, int i, unsigned long pfn,
		     unsigned long nr, bool natural, bool top,
		     struct on_choice *best)
{
	unsigned long s = gap_start(l, i), e = gap_end(l, i);
	unsigned long below = pfn - s, above = e - pfn - nr;
	unsigned long hs[2 * ON_WINDOW_MAX + 4] = { 0 }, he[2 * ON_WINDOW_MAX + 4] = { 0 };
	unsigned long ws[2 * ON_WINDOW_MAX + 3] = { 0 }, we[2 * ON_WINDOW_MAX + 3] = { 0 };
	struct on_choice c = {
		.gap = i, .pfn = pfn, .natural = natural, .len = e - s,
		.sliver = below < above ? below : above,
	};
	int n, mid = 0, k, m = 0;
	double merge, same = 0;

	c.score = cap_loss(s, e - s) - cap_loss(s, below) -
		  cap_loss(pfn + nr, above);
	n = on_window(l, i, ws, we, &mid);
	for (k = 0; k < n; k++) {
		if (k == mid) {
			hs[m] = s;
			he[m++] = pfn;
			hs[m] = pfn + nr;
			he[m++] = e;
		} else {
			hs[m] = ws[k];
			he[m++] = we[k];
		}
	}
	merge = merge_value(hs, he, m - 1) - merge_value(ws, we, n - 1);
	if (i > 0 && below < ON_TOUCH && about(on_neighbour(l, i, false), nr))
		same++;
	if (i < (int)l->n && above < ON_TOUCH &&
	    about(on_neighbour(l, i, true), nr))
		same++;
	/* Among fewer chunks than the frees weighed, each surely goes. */
	c.score -= (on_frees < l->n + 1 ? on_frees : l->n + 1) * merge /
		   (l->n + 1) + ON_SAME * same;
	if (on_better(&c, best, top))
		*best = c;
}

/* Both ends of gap @i at alignment @al, if it holds @nr pages so. */
static void on_ends(const struct layout *l, int i, unsigned long nr,
		    unsigned long al, bool natural, bool top,
		    struct on_choice *best)
{
	unsigned long at;

	if (!gap_fit(l, i, nr, al, false, &at))
		return;
	on_weigh(l, i, at, nr, natural, top, best);
	gap_fit(l, i, nr, al, true, &at);
	on_weigh(l, i, at, nr, natural, top, best);
}

static bool place_online(const struct layout *l, unsigned long nr,
			 unsigned long align, unsigned long *pfn)
{
	struct on_choice best = { .gap = -1 };
	unsigned long prev_len = NEVER, prev_start = 0, at;
	bool top = nr >= (on_segfit_thresholds ? 2 : 3) * MIB_PAGES, coarse;
	int i, k, seen;

	if (nr <= ON_SMALL) {
		for (i = 0, seen = 0; i <= (int)l->n && seen < ON_LOW_HOLES;
		     i++) {
			if (on_empty(l, i))
				continue;
			seen++;
			if (gap_fit(l, i, nr, align, false, &at)) {
				if (on_segfit_thresholds) {
					*pfn = at;
					return true;
				}
				on_ends(l, i, nr, align, true, false, &best);
				*pfn = best.pfn;
				return true;
			}
		}
		return place_best(l, nr, align, false, pfn);
	}
	/* The ON_CHOICES smallest holes that hold it, in (size, address). */
	for (k = 0; k < ON_CHOICES; k++) {
		int pick = next_smallest(l, nr, align, &prev_len, &prev_start);

		if (pick < 0)
			break;
		/* Natural ends lose ties only to a coarser choice of 1 MiB. */
		coarse = nr >= (on_segfit_thresholds ? MIB_PAGES : 300) &&
			 align < MIB_PAGES;
		on_ends(l, pick, nr, align, coarse, top, &best);
		if (coarse)
			on_ends(l, pick, nr, MIB_PAGES, false, top, &best);
		if (nr >= 4 * MIB_PAGES && align < 2 * MIB_PAGES)
			on_ends(l, pick, nr, 2 * MIB_PAGES, false, top, &best);
		if (best.gap >= 0 && best.score <= 0)
			break;
	}
	if (best.gap < 0)
		return false;
	*pfn = best.pfn;
	return true;
}

enum policy { SEGFIT, NEIGHBOUR, ROLLOUT, ONLINE, ONLINE_HOLES, ONLINE_COARSE };
static const char *const policy_names[] = {
	"segfit", "neighbour", "rollout", "online", "online-holes", "online-coarse",
};
static unsigned long coarse_g = 16;

/*
 * What a map of chunk starts, one bit per coarse_g pages, shows of @l:
 * touching chunks that start in the same granule are one chunk, and a
 * start inside a granule is seen at the granule's first page.  Two live
 * chunks share a granule only if one is smaller than it (the camera
 * trace's smallest is 16 pages); for larger granules this is what a
 * count of starts per granule shows, as a bit cleared by the first free
 * would lose the other start.
 */
static void coarse_view(const struct layout *l, struct layout *v)
{
	unsigned int i;

	v->pages = l->pages;
	v->n = 0;
	for (i = 0; i < l->n; i++) {
		struct piece p = l->p[i];
		struct piece *q = v->n ? &v->p[v->n - 1] : NULL;

		if (q && q->pfn + q->pages == p.pfn) {
			unsigned long at = p.pfn / coarse_g * coarse_g;

			if (at <= q->pfn) {
				q->pages += p.pages;
				continue;
			}
			q->pages = at - q->pfn;
			p.pages += p.pfn - at;
			p.pfn = at;
		}
		v->p[v->n++] = p;
	}
}

/* Replays the trace through @pol; prints its line unless @quiet. */
static double replay(enum policy pol, bool quiet)
{
	static struct layout l;
	void *seg = NULL;
	unsigned long free_pages, nr, pfn, align;
	unsigned int i, attempts = 0, ok = 0, frag = 0;
	dma_addr_t addr;
	bool *live = calloc(trace->nr_slots, sizeof(*live));
	unsigned long *size = calloc(trace->nr_slots, sizeof(*size));
	unsigned long *where = calloc(trace->nr_slots, sizeof(*where));

	memset(&l, 0, sizeof(l));
	l.pages = trace->region >> PAGE_SHIFT;
	free_pages = l.pages;
	if (pol == SEGFIT)
		seg = cmafw_segfit_allocator.init(BASE, trace->region);
	for (i = 0; i < trace->nr_ops; i++) {
		const struct bench_op *op = &trace->ops[i];
		bool placed;

		if (op->kind == BENCH_FREE) {
			if (!live[op->slot])
				continue;
			if (seg)
				cmafw_segfit_allocator.free(seg,
					BASE + (where[op->slot] << PAGE_SHIFT),
					size[op->slot] << PAGE_SHIFT);
			drop(&l, op->slot);
			live[op->slot] = false;
			free_pages += size[op->slot];
			continue;
		}
		nr = ALIGN(op->size, PAGE_SIZE) >> PAGE_SHIFT;
		align = 1UL << (op->align_shift - PAGE_SHIFT);
		switch (pol) {
		case SEGFIT:
			placed = !cmafw_segfit_allocator.alloc(seg,
					nr << PAGE_SHIFT, align << PAGE_SHIFT,
					&addr);
			pfn = (addr - BASE) >> PAGE_SHIFT;
			break;
		case ONLINE_COARSE: {
			static struct layout v;

			online_holes_only = false;
			coarse_view(&l, &v);
			placed = place_online(&v, nr, align, &pfn);
			break;
		}
		case ONLINE:
		case ONLINE_HOLES:
			online_holes_only = pol == ONLINE_HOLES;
			placed = place_online(&l, nr, align, &pfn);
			break;
		case NEIGHBOUR:
			placed = place_neighbour(&l, nr, align, gone_at[i],
						 &pfn);
			break;
		default:
			placed = place_rollout(&l, i, nr, align, &pfn);
			break;
		}
		attempts += op->measured;
		if (!placed) {
			frag += op->measured && nr <= free_pages;
			continue;
		}
		ok += op->measured;
		insert(&l, pfn, nr, op->slot, gone_at[i]);
		live[op->slot] = true;
		size[op->slot] = nr;
		where[op->slot] = pfn;
		free_pages -= nr;
	}
	if (seg)
		cmafw_segfit_allocator.cleanup(seg);
	if (!quiet)
		printf("%-12s success %6.2f%%  fragloss %5.2f%%  (%u of %u)\n",
		       policy_names[pol], 100.0 * ok / attempts,
		       100.0 * frag / attempts, frag, attempts);
	free(live);
	free(size);
	free(where);
	return 100.0 * frag / attempts;
}

/* Generates the camera trace of @seed into @t, and when each chunk goes. */
static int load(struct bench_trace *t, u64 seed)
{
	unsigned long *last;
	unsigned int i;

	*t = (struct bench_trace){ .name = "camera", .region = 256 << 20 };
	if (gen_churn(t, seed, BENCH_CAMERA_OPS, pick_camera))
		return -1;
	trace = t;
	gone_at = calloc(t->nr_ops, sizeof(*gone_at));
	last = calloc(t->nr_slots, sizeof(*last));
	for (i = 0; i < t->nr_ops; i++) {
		gone_at[i] = NEVER;
		if (t->ops[i].kind == BENCH_FREE)
			gone_at[last[t->ops[i].slot]] = i;
		else
			last[t->ops[i].slot] = i;
	}
	free(last);
	return 0;
}

static void unload(struct bench_trace *t)
{
	free(gone_at);
	gone_at = NULL;
	trace_free(t);
}

int main(int argc, char **argv)
{
	static const enum policy online[] = { SEGFIT, ONLINE, ONLINE_HOLES, ONLINE_COARSE, ROLLOUT };
	static struct bench_trace t;
	double sum[ARRAY_SIZE(online)] = { 0 }, sq[ARRAY_SIZE(online)] = { 0 };
	double lo[ARRAY_SIZE(online)], hi[ARRAY_SIZE(online)];
	/* Each seed's figure less segfit's on the same seed. */
	double dsum[ARRAY_SIZE(online)] = { 0 }, dsq[ARRAY_SIZE(online)] = { 0 };
	unsigned int under[ARRAY_SIZE(online)] = { 0 };
	unsigned int i, k, seeds = 0;
	double base = 0;

	/* Options in any order; an unknown one, or one without its value, stops. */
	for (i = 1; i < (unsigned int)argc; i++) {
		bool valued = i + 1 < (unsigned int)argc;

		if (!strcmp(argv[i], "-s"))
			on_segfit_thresholds = true;
		else if (valued && !strcmp(argv[i], "-n"))
			seeds = strtoul(argv[++i], NULL, 0);
		else if (valued && !strcmp(argv[i], "-g"))
			coarse_g = strtoul(argv[++i], NULL, 0);
		else if (valued && !strcmp(argv[i], "-w"))
			on_window_n = atoi(argv[++i]);
		else if (valued && !strcmp(argv[i], "-p"))
			on_pair = atof(argv[++i]);
		else if (valued && !strcmp(argv[i], "-j"))
			on_frees = atof(argv[++i]);
		else
			break;
	}
	if (i != (unsigned int)argc || !coarse_g || on_window_n < 1 ||
	    on_window_n > ON_WINDOW_MAX || on_pair < 0 || on_frees <= 0) {
		fprintf(stderr, "usage: %s [-s] [-n SEEDS] [-g PAGES] [-w 1|2] [-p WEIGHT] [-j FREES]\n",
			argv[0]);
		return 2;
	}
	if (load(&t, BENCH_CAMERA_SEED))
		return 1;
	printf("camera trace: seed %#llx, %u ops, 256 MiB; online-coarse sees chunk starts per %lu pages; the online rules' window %d each side, two frees at %g, joins over %g free(s)%s\n",
	       (unsigned long long)BENCH_CAMERA_SEED, t.nr_ops, coarse_g,
	       on_window_n, on_pair, on_frees,
	       on_segfit_thresholds ? ", segfit's thresholds" : "");
	printf("fragloss: failures with enough free bytes, of all allocations\n");
	replay(SEGFIT, false);
	replay(ONLINE, false);
	replay(ONLINE_HOLES, false);
	replay(ONLINE_COARSE, false);
	replay(NEIGHBOUR, false);
	replay(ROLLOUT, false);
	unload(&t);
	if (!seeds)
		return 0;
	for (i = 1; i <= seeds; i++) {
		if (load(&t, BENCH_CAMERA_SEED + i))
			return 1;
		for (k = 0; k < ARRAY_SIZE(online); k++) {
			double v = replay(online[k], true);

			sum[k] += v;
			sq[k] += v * v;
			base = k ? base : v;
			dsum[k] += v - base;
			dsq[k] += (v - base) * (v - base);
			lo[k] = i == 1 || v < lo[k] ? v : lo[k];
			hi[k] = i == 1 || v > hi[k] ? v : hi[k];
			under[k] += v <= 1.0;
		}
		unload(&t);
	}
	/*
	 * The spread says how far one seed's figure (the benchmark's) tells
	 * two placements apart; the paired difference, with its standard
	 * error, how far all the seeds together do.
	 */
	printf("fragloss over seeds %#llx + 1 .. %u: mean, standard deviation of one seed, range, seeds at <= 1.00%%;\n"
	       "  then the mean difference from segfit on the same seeds, +- its standard error\n",
	       (unsigned long long)BENCH_CAMERA_SEED, seeds);
	for (k = 0; k < ARRAY_SIZE(online); k++) {
		double mean = sum[k] / seeds, dmean = dsum[k] / seeds;
		double var = seeds > 1 ? (sq[k] - seeds * mean * mean) /
					 (seeds - 1) : 0;
		double dvar = seeds > 1 ? (dsq[k] - seeds * dmean * dmean) /
					  (seeds - 1) : 0;

		printf("%-12s %5.3f%%  sd %5.3f  %5.3f%%-%5.3f%%  %3u of %u",
		       policy_names[online[k]], mean,
		       var > 0 ? sqrt(var) : 0, lo[k], hi[k], under[k], seeds);
		if (k)
			printf("  %+6.3f +- %5.3f", dmean,
			       dvar > 0 ? sqrt(dvar / seeds) : 0);
		printf("\n");
	}
	return 0;
}
