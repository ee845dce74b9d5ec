// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: the "segfit" allocator: small buffers low, frames where they
 * cut the least room for the frames to come.
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
 *    are weighed at both ends, at the request's own alignment and, from
 *    1 MiB up, at both 1 MiB aligned ends too (from 4 MiB, 2 MiB aligned
 *    ones as well).  A placement costs the room for the frames camera and
 *    codec drivers ask for again and again that the hole holds and its
 *    leftovers no longer do (segfit_room()), less what the next frees are
 *    expected to give back when the chunks touching the hole go
 *    (segfit_score()).  The cheapest
 *    wins; on a tie an end at the request's own alignment, when that is
 *    finer than 1 MiB, loses to the 1 MiB and 2 MiB aligned ends (which
 *    tie with each other), then the smaller hole wins, the lower one, the
 *    smaller sliver, then for SEGFIT_TOP_BYTES and up the top start
 *    (bottom for smaller ones).  Once a hole has given a placement
 *    that costs nothing, the search ends.
 *
 * What the next frees give back is weighed as if every live chunk were as
 * likely to go next: churn, one buffer at a time in no order.  Devices
 * more often free a whole buffer set at the end of a stream, one buffer
 * after the other, and there the weighing misleads; segfit tells the two
 * apart by how many frees lately touched one of the last SEGFIT_RECENT
 * chunks freed (cmafw_segfit_free()) and, from SEGFIT_SETS_SHARE of them
 * on, places every request by best fit, as bestfit does.
 *
 * Both walks are bounded: O(log n) to find where to start, plus a fixed
 * number of holes (and, as in bestfit, the holes too small once aligned),
 * each with its two neighbours by address and the chunks touching it,
 * found in a bitmap of chunk starts between those neighbours.  Nothing is
 * kept per chunk beyond bestfit's hole nodes and that bitmap, a bit per
 * SEGFIT_GRANULE pages; the set counts its chunks, and segfit remembers
 * its last few frees.
 *
 * Why these rules, in short (bench/; the measurements behind each, and
 * what was tried and dropped, are in BENCHMARKS.md):
 *
 *  - The camera trace churns 256 MiB at 85% fill, and every request it
 *    loses with enough free bytes is a frame above 4 MiB.  Small buffers
 *    kept low, and each frame placed where it cuts the least room for
 *    the frames to come, take that loss from bestfit's 1.83% to 0.95% on
 *    the bench's seed (0.960% over 1,000 other seeds).  A rule that knew
 *    every chunk's extent did no better (selftests/userspace/
 *    frag_oracle.c), nor did more choices or more low holes.
 *  - Room is weighed for the frames themselves, each at its alignment:
 *    a run sized in MiB overrates RGB frames and misses NV12 ones.
 *  - Buffer sets freed one after the other at a stream's end mislead
 *    that weighing: on the two-device trace (bench/bench_twodev.c) it
 *    needed a 48.25 MiB region where best fit needs 47.00.  The other
 *    traces never look like sets, so they place as if the rule were not
 *    there.
 *  - Tiny chunks go by best fit: gathered low, the small trace's 4-64
 *    KiB chunks crowded the bottom index blocks' resource lists and
 *    slowed the framework by half.
 *  - The weighing costs more instructions than bestfit where holes are
 *    many and small, so holes and placements that cannot win are passed
 *    over first (segfit_hole_least(), segfit_least()).
 */

#include <linux/align.h>
#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "alloc.h"
#include "alloc_holes.h"

#define SEGFIT_TINY_BYTES	SZ_64K
#define SEGFIT_SMALL_BYTES	SZ_512K
#define SEGFIT_LOW_HOLES	16
#define SEGFIT_CHOICES		4
#define SEGFIT_TOP_BYTES	SZ_2M
#define SEGFIT_TOUCH_PAGES	64

/* Pages in 1 MiB: the alignment of the coarse ends weighed. */
#define SEGFIT_MIB		(SZ_1M >> PAGE_SHIFT)
/* From this size on, 2 MiB aligned ends are weighed too. */
#define SEGFIT_COARSER_PAGES	(SZ_4M >> PAGE_SHIFT)
/* A hole's two ends at up to three alignments. */
#define SEGFIT_ENDS		6

/*
 * The buffers whose room a placement is weighed by (segfit_room()): the
 * frames camera and codec drivers ask for again and again, full-HD RGB
 * and NV12 and 720p NV12, and 8 MiB bitstream buffers.  Large frames and
 * bitstream buffers are laid 1 MiB aligned, NV12 planes 64 KiB aligned.
 */
#define SEGFIT_RGB_PAGES	DIV_ROUND_UP(1920 * 1080 * 3, PAGE_SIZE)
#define SEGFIT_NV12_PAGES	DIV_ROUND_UP(1920 * 1080 * 3 / 2, PAGE_SIZE)
#define SEGFIT_HD_PAGES		DIV_ROUND_UP(1280 * 720 * 3 / 2, PAGE_SIZE)
#define SEGFIT_BIG_PAGES	(SZ_8M >> PAGE_SHIFT)
#define SEGFIT_PLANE_ALIGN	((SZ_64K >> PAGE_SHIFT) ?: 1)
/* From one buffer's first page to the next one's, each aligned. */
#define SEGFIT_RGB_STEP		ALIGN(SEGFIT_RGB_PAGES, SEGFIT_MIB)
#define SEGFIT_NV12_STEP	ALIGN(SEGFIT_NV12_PAGES, SEGFIT_PLANE_ALIGN)
#define SEGFIT_HD_STEP		ALIGN(SEGFIT_HD_PAGES, SEGFIT_PLANE_ALIGN)

/* Frees remembered, to tell whether frees come in sets (cmafw_segfit_free()). */
#define SEGFIT_RECENT		4
/* The share of frees next to a recent one: in 1/1024, over ~32 frees. */
#define SEGFIT_SHARE_ONE	1024
#define SEGFIT_SHARE_SHIFT	5
/* From a fifth on, frees come in sets: best fit places everything. */
#define SEGFIT_SETS_SHARE	(SEGFIT_SHARE_ONE / 5)

/**
 * struct segfit - a region's segfit state.
 * @holes:	its free extents.
 * @starts:	a bit per SEGFIT_GRANULE pages, set where a chunk starts.
 * @recent_start: first pages of the last SEGFIT_RECENT chunks freed.
 * @recent_end:	and the pages after them.
 * @known:	slots of @recent_start filled so far.
 * @next:	the slot of @recent_start the next free takes.
 * @share:	of the frees lately, the share (in 1/SEGFIT_SHARE_ONE) whose
 *		chunk touched one of the recent ones, decaying over about
 *		2^SEGFIT_SHARE_SHIFT frees.
 */
struct segfit {
	struct cmafw_holes *holes;
	unsigned long *starts;
	unsigned long recent_start[SEGFIT_RECENT];
	unsigned long recent_end[SEGFIT_RECENT];
	unsigned int known;
	unsigned int next;
	unsigned int share;
};

/**
 * struct segfit_room - what a free run holds of the buffers segfit keeps
 * room for, each laid at the next aligned page after the one before.
 * @cut:	full-HD RGB frames and 8 MiB buffers, twenty each, full-HD
 *		NV12 frames two each and 720p NV12 frames one each: what a
 *		placement is charged for cutting.
 * @join:	the same doubled, but for 8 MiB buffers, which count twenty:
 *		what a join is credited with.
 *
 * The weights were chosen by measurement (the camera trace, seeds other
 * than the bench's): a frame of half the size counts a tenth, one of a
 * quarter a twentieth, and in the joins 8 MiB buffers count half, as
 * 8 MiB runs did before.
 */
struct segfit_room {
	long cut;
	long join;
};

/* How many of @len pages fit from @first, each at the next @step after. */
static unsigned long segfit_fit(unsigned long first, unsigned long end,
				unsigned long len, unsigned long step)
{
	return end >= first + len ? (end - first - len) / step + 1 : 0;
}

/* &segfit_room.cut of so many buffers of each kind. */
static long segfit_cut(long rgb, long big, long nv12, long hd)
{
	return 20 * (rgb + big) + 2 * nv12 + hd;
}

static __always_inline struct segfit_room segfit_room(unsigned long pfn,
						      unsigned long pages)
{
	unsigned long end = pfn + pages;
	unsigned long mib = ALIGN(pfn, SEGFIT_MIB);
	unsigned long plane = ALIGN(pfn, SEGFIT_PLANE_ALIGN);
	long rgb = 0, big = 0, nv12 = 0, hd;

	/*
	 * Most leftovers hold nothing: the smallest frame is 720p's.  Many
	 * hold no frame larger.
	 */
	if (pages < SEGFIT_HD_PAGES)
		return (struct segfit_room){ };
	hd = segfit_fit(plane, end, SEGFIT_HD_PAGES, SEGFIT_HD_STEP);
	if (pages >= SEGFIT_NV12_PAGES)
		nv12 = segfit_fit(plane, end, SEGFIT_NV12_PAGES,
				  SEGFIT_NV12_STEP);
	if (pages >= SEGFIT_RGB_PAGES)
		rgb = segfit_fit(mib, end, SEGFIT_RGB_PAGES, SEGFIT_RGB_STEP);
	if (pages >= SEGFIT_BIG_PAGES)
		big = segfit_fit(mib, end, SEGFIT_BIG_PAGES, SEGFIT_BIG_PAGES);
	return (struct segfit_room){
		.cut = segfit_cut(rgb, big, nv12, hd),
		.join = 2 * segfit_cut(rgb, 0, nv12, hd) + 20 * big,
	};
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

/*
 * The chunks touching a hole: segfit keeps a bit per SEGFIT_GRANULE pages,
 * set where a chunk starts (cmafw_segfit_alloc()) and cleared when it goes
 * (cmafw_segfit_free()).  Between two holes the next chunk starts at the
 * next set bit's granule, and chunks that start in one granule look like
 * one.  Only chunks smaller than a granule can share one, and freeing
 * either clears the bit the other still needs: that blurs what a hole's
 * neighbours look like, never where anything may go, which the holes
 * alone decide.
 */
#define SEGFIT_GRANULE_SHIFT	4
#define SEGFIT_GRANULE		BIT(SEGFIT_GRANULE_SHIFT)

/* The bits of a region of @size bytes. */
static unsigned long segfit_starts_bits(size_t size)
{
	return DIV_ROUND_UP(size >> PAGE_SHIFT, SEGFIT_GRANULE);
}

static unsigned long segfit_granule(const struct cmafw_holes *h,
				    unsigned long pfn)
{
	return (pfn - h->base_pfn) >> SEGFIT_GRANULE_SHIFT;
}

/*
 * The first page of the chunk that ends at @start, a hole's first page;
 * @lo_end ends the hole below (the region's first page if none), where
 * the first chunk above it starts.
 */
static unsigned long segfit_chunk_below(const struct segfit *sf,
					unsigned long lo_end,
					unsigned long start)
{
	const struct cmafw_holes *h = sf->holes;
	unsigned long from = segfit_granule(h, lo_end) + 1;
	unsigned long to = segfit_granule(h, start - 1) + 1;
	unsigned long g;

	if (from >= to)
		return lo_end;
	g = find_last_bit(sf->starts, to);
	return g < to && g >= from ?
	       h->base_pfn + (g << SEGFIT_GRANULE_SHIFT) : lo_end;
}

/*
 * The page after the chunk that starts at @end, a hole's end; the hole
 * above runs from @hi_start to @hi_end (both the page after the region if
 * there is none).  A chunk starts at @hi_end, unless the region ends
 * there, and its bit is not this chunk's end even if its granule is
 * @hi_start's: the granule's bit stands for it alone.
 */
static unsigned long segfit_chunk_above(const struct segfit *sf,
					unsigned long end,
					unsigned long hi_start,
					unsigned long hi_end)
{
	const struct cmafw_holes *h = sf->holes;
	unsigned long from = segfit_granule(h, end) + 1;
	unsigned long to = segfit_granule(h, hi_start - 1) + 1;
	unsigned long g;

	if (hi_end < h->end_pfn && segfit_granule(h, hi_end) < to)
		to = segfit_granule(h, hi_end);
	if (from >= to)
		return hi_start;
	g = find_next_bit(sf->starts, to, from);
	return g < to ? h->base_pfn + (g << SEGFIT_GRANULE_SHIFT) : hi_start;
}

/**
 * struct segfit_hole - a candidate hole, its touching chunks and what lies
 * beyond them.
 * @hole:	the hole.
 * @start:	its first page.
 * @end:	the page after it.
 * @lo_start:	the first page of the free run below the chunk touching
 *		the hole from below: the hole below, if that chunk is all
 *		that lies between, else an empty run where that chunk starts
 *		(a chunk, or the region's first page when the hole starts
 *		there).
 * @lo_end:	the page after that run.
 * @hi_start:	the same above: the first page of the hole above, if the
 *		chunk touching the hole from above is all that lies between,
 *		else an empty run where that chunk ends.
 * @hi_end:	the page after that run.
 * @room:	what the hole holds.
 * @spread:	&segfit_room.join from @lo_start to @end and from @start to
 *		@hi_end, less that from @lo_start to @hi_end.
 * @once:	the part of what one touching chunk gone gives back, after
 *		a placement less before it, that does not depend on the
 *		placement (segfit_score()).
 * @twice:	the same for two of them gone together.
 *
 * Everything a placement's cost needs that does not depend on where in
 * the hole it goes, worked out once per hole.
 */
struct segfit_hole {
	struct cmafw_hole *hole;
	unsigned long start, end;
	unsigned long lo_start, lo_end;
	unsigned long hi_start, hi_end;
	struct segfit_room room;
	long spread;
	long once, twice;
};

/*
 * What a join is worth, in 1/200 of &segfit_room.cut over chunks + 1
 * (&segfit_room.join counting it twice): a touching chunk is among the
 * next SEGFIT_HORIZON frees about SEGFIT_HORIZON times in chunks + 1 (and
 * surely among fewer chunks: segfit_score()), and what only two of them
 * gone together would open counts a twentieth of that.  Three frees
 * is about what comes between two requests of 4 MiB and up on the camera
 * trace, where a third of the requests are that large and a free follows
 * each request; anything from two to five does about as well.
 */
#define SEGFIT_HORIZON		3
#define SEGFIT_ONE_FREE		(100 * SEGFIT_HORIZON)
#define SEGFIT_TWO_FREES	(5 * SEGFIT_HORIZON)

/*
 * @c's hole and what it holds, before what lies around it is known; and
 * its &segfit_hole.spread at most: what the hole holds.  The two runs
 * that spread adds up overlap in the hole, so each buffer they hold lies
 * in the run over both, and only those in the hole count twice.
 */
static void segfit_hole_own(const struct cmafw_holes *h,
			    struct cmafw_hole *hole, struct segfit_hole *c)
{
	c->hole = hole;
	c->start = cmafw_hole_pfn(h, hole);
	c->end = c->start + hole->pages;
	c->room = segfit_room(c->start, hole->pages);
	c->spread = c->room.join;
}

/* The rest of @c, whose hole segfit_hole_own() set: what lies around it. */
static void segfit_hole_around(const struct segfit *sf, struct segfit_hole *c)
{
	const struct cmafw_holes *h = sf->holes;
	struct rb_node *lo = rb_prev(&c->hole->by_addr);
	struct rb_node *hi = rb_next(&c->hole->by_addr);
	unsigned long lo_start, lo_end, hi_start, hi_end;
	long lo_join, hi_join;

	lo_start = lo ? cmafw_hole_pfn(h, cmafw_hole_of(lo, by_addr)) :
			h->base_pfn;
	lo_end = lo_start + (lo ? cmafw_hole_of(lo, by_addr)->pages : 0);
	hi_start = hi ? cmafw_hole_pfn(h, cmafw_hole_of(hi, by_addr)) :
			h->end_pfn;
	hi_end = hi_start + (hi ? cmafw_hole_of(hi, by_addr)->pages : 0);
	if (c->start == h->base_pfn) {
		c->lo_start = c->start;
		c->lo_end = c->start;
	} else {
		c->lo_end = segfit_chunk_below(sf, lo_end, c->start);
		c->lo_start = c->lo_end == lo_end ? lo_start : c->lo_end;
	}
	if (c->end == h->end_pfn) {
		c->hi_start = c->end;
		c->hi_end = c->end;
	} else {
		c->hi_start = segfit_chunk_above(sf, c->end, hi_start,
						 hi_end);
		c->hi_end = c->hi_start == hi_start ? hi_end : c->hi_start;
	}
	lo_join = segfit_room(c->lo_start, c->end - c->lo_start).join;
	hi_join = segfit_room(c->start, c->hi_end - c->start).join;
	c->spread = lo_join + hi_join -
		    segfit_room(c->lo_start, c->hi_end - c->lo_start).join;
	c->once = 3 * c->room.join - lo_join - hi_join;
	c->twice = lo_join + hi_join - 3 * c->room.join + c->spread;
}

/* Whether @a is within a tenth of @b, either way. */
static bool segfit_about(unsigned long a, unsigned long b)
{
	return a * 10 >= b * 9 && a * 9 <= b * 10;
}

/**
 * struct segfit_choice - the best placement weighed so far.
 * @hole:	its hole, NULL before the first.
 * @pfn:	the placement's first page.
 * @score:	its cost (segfit_score()): the lower, the better.
 * @finer:	at the request's own alignment, finer than the 1 MiB
 *		aligned ends weighed beside it.
 * @sliver:	the smaller of its leftovers, in pages.
 */
struct segfit_choice {
	struct cmafw_hole *hole;
	unsigned long pfn;
	s64 score;
	bool finer;
	unsigned long sliver;
};

/*
 * Of the SEGFIT_HORIZON frees weighed, how many a chunk can be among: all
 * of them, unless fewer than that many @chunks are live.
 */
static s64 segfit_sure(s64 chunks)
{
	return chunks < SEGFIT_HORIZON ? chunks : SEGFIT_HORIZON;
}

/*
 * What @spread, pairs of touching chunks gone together opening that much
 * (&segfit_room.join), takes off segfit_least().
 */
static s64 segfit_spread_weight(const struct cmafw_holes *h, long spread)
{
	return segfit_sure((s64)h->chunks + 1) * SEGFIT_TWO_FREES * spread;
}

/*
 * Less than what a placement in @c's hole costs (segfit_score()) that
 * cuts @loss (&segfit_room.cut) and @cut (&segfit_room.join) of the room,
 * lands against @same alike chunks and leaves leftovers holding @left
 * (&segfit_room.join): for a bound over the whole hole, at least the
 * first two and at most the last two.
 *
 * Room only grows with a run, and two runs apart hold no more than the
 * run from the start of one to the end of the other.  So the chunk below,
 * once gone, joins no more than it would with the new chunk gone too,
 * which is what the placement cuts, the leftovers staying as they are;
 * the same above, and the new chunk itself joins just that.  The pairs
 * of them gone together open no more than @c's &segfit_hole.spread less
 * what the leftovers hold.
 */
static s64 segfit_least(const struct cmafw_holes *h,
			const struct segfit_hole *c, long loss, long cut,
			unsigned int same, long left)
{
	s64 chunks = (s64)h->chunks + 1;

	return SEGFIT_HORIZON * (200 * chunks * loss - 40 * chunks * same) -
	       segfit_sure(chunks) * 3 *
	       (SEGFIT_ONE_FREE - SEGFIT_TWO_FREES) * cut -
	       segfit_spread_weight(h, c->spread - left);
}

/*
 * The cost of @nr pages at @pfn in @c's hole, in 1/(200 * SEGFIT_HORIZON *
 * (chunks + 1)) of &segfit_room.cut:
 *
 *  - the room the hole holds and its leftovers no longer do;
 *  - less what the next SEGFIT_HORIZON frees are expected to give back:
 *    every live chunk is as likely to go next, and a chunk between two
 *    free runs, once gone, joins them into room neither holds.  Weighed
 *    over the chunks touching the hole (and the new one between its
 *    leftovers), after the placement less before it, as
 *    &segfit_room.join; what only two of them gone together would open,
 *    at a twentieth.  The runs beyond the touching chunks are there
 *    before and after alike, so what they hold drops out;
 *  - less a hundredth of an RGB frame's room for each chunk the new one
 *    lands against (within SEGFIT_TOUCH_PAGES) that is about its size:
 *    alike neighbours tend to free alike holes.
 *
 * A placement that must cost more than @best is not weighed to the end
 * (segfit_least()): what is returned then is only more than @best's cost.
 */
static s64 segfit_score(const struct cmafw_holes *h,
			const struct segfit_hole *c, unsigned long pfn,
			unsigned long nr, const struct segfit_choice *best)
{
	unsigned long below = pfn - c->start, above = c->end - pfn - nr;
	struct segfit_room lo = { }, hi = { };
	s64 chunks = (s64)h->chunks + 1;
	long loss, left, beside;
	unsigned int same = 0;
	s64 least;

	/* A hole that holds no room leaves leftovers that hold none. */
	if (c->room.cut) {
		lo = segfit_room(c->start, below);
		hi = segfit_room(pfn + nr, above);
	}
	if (c->start > h->base_pfn && below < SEGFIT_TOUCH_PAGES &&
	    segfit_about(c->start - c->lo_end, nr))
		same++;
	if (c->end < h->end_pfn && above < SEGFIT_TOUCH_PAGES &&
	    segfit_about(c->hi_start - c->end, nr))
		same++;
	loss = c->room.cut - lo.cut - hi.cut;
	left = lo.join + hi.join;
	least = segfit_least(h, c, loss, c->room.join - left, same, left);
	if (best->hole && least > best->score)
		return least;
	/*
	 * After it, freeing the chunk below joins the run below and the
	 * leftover below; the new one, the two leftovers; the chunk above,
	 * the leftover above and the run above.  Two touching chunks gone
	 * together join three runs.  Each join counts what the joined run
	 * holds less what its runs hold apart, after the placement less
	 * before it: for one free, what the runs from the run below to the
	 * new chunk and from the new chunk to the run above hold (@beside),
	 * less twice the leftovers' room, and @c's &segfit_hole.once; what
	 * two frees add to that, the opposite, and &segfit_hole.twice.
	 */
	beside = segfit_room(c->lo_start, pfn - c->lo_start).join +
		 segfit_room(pfn + nr, c->hi_end - pfn - nr).join;
	return SEGFIT_HORIZON * (200 * chunks * loss - 40 * chunks * same) -
	       segfit_sure(chunks) *
	       (SEGFIT_ONE_FREE * (beside - 2 * left + c->once) +
		SEGFIT_TWO_FREES * (left - beside + c->twice));
}

/* At most how many buffers of @len pages two runs of @pages in all hold. */
static unsigned long segfit_most(unsigned long pages, unsigned long len,
				 unsigned long step)
{
	return (pages + 2 * (step - len)) / step;
}

/*
 * Less than any placement of @nr pages in @c's hole can cost
 * (segfit_score()): its leftovers, @nr pages fewer than the hole, hold at
 * most what two runs of that many pages in all can; it lands against two
 * alike chunks at most; and it cuts at most all the hole holds.
 */
static s64 segfit_hole_least(const struct cmafw_holes *h,
			     const struct segfit_hole *c, unsigned long nr)
{
	unsigned long left = c->end - c->start - nr;
	long kept, loss;

	kept = segfit_cut(segfit_most(left, SEGFIT_RGB_PAGES, SEGFIT_RGB_STEP),
			  segfit_most(left, SEGFIT_BIG_PAGES,
				      SEGFIT_BIG_PAGES),
			  segfit_most(left, SEGFIT_NV12_PAGES,
				      SEGFIT_NV12_STEP),
			  segfit_most(left, SEGFIT_HD_PAGES, SEGFIT_HD_STEP));
	loss = c->room.cut > kept ? c->room.cut - kept : 0;
	return segfit_least(h, c, loss, c->room.join, 2, 0);
}

/*
 * Whether @a beats @b: the lower cost; then not @finer, the smaller hole,
 * the lower hole, the smaller sliver; then for SEGFIT_TOP_BYTES and up
 * the higher start, else the lower.
 */
static bool segfit_better(const struct segfit_choice *a,
			  const struct segfit_choice *b, bool top)
{
	if (!b->hole)
		return true;
	if (a->score != b->score)
		return a->score < b->score;
	if (a->finer != b->finer)
		return !a->finer;
	if (a->hole->pages != b->hole->pages)
		return a->hole->pages < b->hole->pages;
	if (a->hole != b->hole)
		return a->hole->off < b->hole->off;
	if (a->sliver != b->sliver)
		return a->sliver < b->sliver;
	return top ? a->pfn > b->pfn : a->pfn < b->pfn;
}

/* Add @pfn to the @n starts at @at, unless it is one of them already. */
static unsigned int segfit_add_start(unsigned long *at, unsigned int n,
				     unsigned long pfn)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (at[i] == pfn)
			return n;
	at[n] = pfn;
	return n + 1;
}

/*
 * Add both ends of @c's hole at @align to the @n starts at @at, if the hole
 * holds @nr pages so aligned.
 */
static unsigned int segfit_add_ends(const struct cmafw_holes *h,
				    const struct segfit_hole *c,
				    unsigned long nr, unsigned long align,
				    unsigned long *at, unsigned int n)
{
	unsigned long lo, hi;

	if (!cmafw_holes_fit(h, c->hole, nr, align, false, &lo) ||
	    !cmafw_holes_fit(h, c->hole, nr, align, true, &hi))
		return n;
	n = segfit_add_start(at, n, lo);
	return segfit_add_start(at, n, hi);
}

/*
 * The starts to weigh in @c's hole, SEGFIT_ENDS at most: both ends at each
 * alignment that holds @nr pages, the coarsest first, and each start only
 * once, at its coarsest alignment (the same placement, which wins or ties
 * with itself there).  Those from *@finer_from on are at @align, the
 * request's own alignment.
 *
 * Return: how many.
 */
static unsigned int segfit_ends(const struct cmafw_holes *h,
				const struct segfit_hole *c, unsigned long nr,
				unsigned long align, bool coarse, bool coarser,
				unsigned long *at, unsigned int *finer_from)
{
	unsigned int n = 0;

	if (coarser)
		n = segfit_add_ends(h, c, nr, 2 * SEGFIT_MIB, at, n);
	if (coarse)
		n = segfit_add_ends(h, c, nr, SEGFIT_MIB, at, n);
	*finer_from = n;
	return segfit_add_ends(h, c, nr, align, at, n);
}

/* Larger: the cheapest end of the first few holes that fit. */
static struct cmafw_hole *segfit_weighed(const struct segfit *sf,
					 unsigned long nr, unsigned long align,
					 unsigned long *pfn)
{
	const struct cmafw_holes *h = sf->holes;
	bool top = nr >= SEGFIT_TOP_BYTES >> PAGE_SHIFT;
	bool coarse = nr >= SEGFIT_MIB && align < SEGFIT_MIB;
	bool coarser = nr >= SEGFIT_COARSER_PAGES &&
		       align < 2 * SEGFIT_MIB;
	struct segfit_choice best = { };
	struct rb_node *node;
	unsigned int fitted = 0;

	for (node = cmafw_holes_smallest(h, nr);
	     node && fitted < SEGFIT_CHOICES; node = rb_next(node)) {
		struct cmafw_hole *hole = cmafw_hole_of(node, by_size);
		unsigned long at[SEGFIT_ENDS], first;
		unsigned int n, finer_from, i;
		struct segfit_hole c;
		s64 least = 0;

		if (!cmafw_holes_fit(h, hole, nr, align, false, &first))
			continue;
		fitted++;
		/*
		 * A hole that cannot beat the best so far is not weighed:
		 * by what it holds alone, then, with what lies around it,
		 * by the same bound with the spread it really has.
		 */
		segfit_hole_own(h, hole, &c);
		if (best.hole) {
			least = segfit_hole_least(h, &c, nr);
			if (least > best.score)
				continue;
		}
		segfit_hole_around(sf, &c);
		if (best.hole &&
		    least + segfit_spread_weight(h, c.room.join - c.spread) >
		    best.score)
			continue;
		n = segfit_ends(h, &c, nr, align, coarse, coarser, at,
				&finer_from);
		for (i = 0; i < n; i++) {
			struct segfit_choice x = {
				.hole = hole,
				.pfn = at[i],
				.finer = coarse && i >= finer_from,
			};
			unsigned long below = x.pfn - c.start;
			unsigned long above = c.end - x.pfn - nr;

			x.sliver = below < above ? below : above;
			x.score = segfit_score(h, &c, x.pfn, nr, &best);
			if (segfit_better(&x, &best, top))
				best = x;
		}
		if (best.score <= 0)
			break;
	}
	*pfn = best.pfn;
	return best.hole;
}

static void *cmafw_segfit_init(dma_addr_t base, size_t size)
{
	struct cmafw_holes *h = cmafw_holes_new(base, size);
	struct segfit *sf;

	if (IS_ERR(h))
		return h;
	sf = kzalloc(sizeof(*sf), GFP_KERNEL);
	if (sf)
		sf->starts = bitmap_zalloc(segfit_starts_bits(size),
					   GFP_KERNEL);
	if (!sf || !sf->starts) {
		kfree(sf);
		cmafw_holes_destroy(h);
		return ERR_PTR(-ENOMEM);
	}
	sf->holes = h;
	return sf;
}

static void cmafw_segfit_cleanup(void *priv)
{
	struct segfit *sf = priv;

	cmafw_holes_destroy(sf->holes);
	bitmap_free(sf->starts);
	kfree(sf);
}

static int cmafw_segfit_alloc(void *priv, size_t size, dma_addr_t align,
			      dma_addr_t *addr)
{
	struct segfit *sf = priv;
	struct cmafw_holes *h = sf->holes;
	unsigned long nr = size >> PAGE_SHIFT;
	unsigned long al = cmafw_holes_align(h, align);
	struct cmafw_hole *hole;
	unsigned long pfn;

	if (!nr)
		return -EINVAL;
	if (size < SEGFIT_TINY_BYTES || sf->share >= SEGFIT_SETS_SHARE)
		hole = cmafw_holes_best_fit(h, nr, al, false, &pfn);
	else if (size <= SEGFIT_SMALL_BYTES)
		hole = segfit_low(h, nr, al, &pfn);
	else
		hole = segfit_weighed(sf, nr, al, &pfn);
	if (!hole || cmafw_holes_take(h, hole, pfn, nr))
		return -ENOMEM;
	__set_bit(segfit_granule(h, pfn), sf->starts);
	*addr = (dma_addr_t)pfn << PAGE_SHIFT;
	return 0;
}

/*
 * Whether frees come in sets (a device releasing all its buffers at the
 * end of a stream) or one at a time in no order (churn): the share of
 * frees whose chunk touches one of the last SEGFIT_RECENT freed.
 */
static void cmafw_segfit_free(void *priv, dma_addr_t addr, size_t size)
{
	struct segfit *sf = priv;
	unsigned long pfn = addr >> PAGE_SHIFT, end = pfn + (size >> PAGE_SHIFT);
	unsigned int i, touch = 0;

	for (i = 0; i < sf->known; i++)
		if (sf->recent_end[i] == pfn || sf->recent_start[i] == end)
			touch = SEGFIT_SHARE_ONE;
	sf->share += (touch >> SEGFIT_SHARE_SHIFT) -
		     (sf->share >> SEGFIT_SHARE_SHIFT);
	sf->recent_start[sf->next] = pfn;
	sf->recent_end[sf->next] = end;
	sf->next = (sf->next + 1) % SEGFIT_RECENT;
	if (sf->known < SEGFIT_RECENT)
		sf->known++;
	__clear_bit(segfit_granule(sf->holes, pfn), sf->starts);
	cmafw_holes_give(sf->holes, pfn, end - pfn);
}

struct cma_allocator cmafw_segfit_allocator = {
	.name = "segfit",
	.init = cmafw_segfit_init,
	.cleanup = cmafw_segfit_cleanup,
	.alloc = cmafw_segfit_alloc,
	.free = cmafw_segfit_free,
};
