// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: the "bitmap" allocator's search, first fit through the summary
 * tree (bitmap_tree.h) that skips what cannot hold the request.
 *
 * The search walks the top level in address order, carrying the start of
 * a free run that reaches the current node.  At a node it first tests the
 * run through the node's prefix (the carried one, or one that starts at
 * the node), then goes down into the node only if its longest run is as
 * long as the request, and otherwise carries the node's suffix on.  In a
 * word, the aligned starts of runs of the request's length are found with
 * a few shifts.  A node skipped holds no fit, so the search returns the
 * plain scan's first fit; for a request aligned to one page every node it
 * goes down into holds a fit, so it reads at most TOP_NODES nodes at the
 * top and FANOUT a level below it.
 *
 * A region without its tree (bitmap_lazy.c) has that plain scan: from
 * each free page, aligned up, the next used page tells whether the
 * request fits there or where to look next.
 */
#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/types.h>

#include "bitmap_tree.h"

/* The lowest index >= @pos with (@off + index) & @mask == 0. */
static unsigned long align_up(unsigned long pos, unsigned long mask,
			      unsigned long off)
{
	return ((pos + off + mask) & ~mask) - off;
}

/**
 * struct bitmap_search - one first-fit search.
 * @nr:		pages requested.
 * @mask:	alignment in pages, minus one.
 * @off:	index i is aligned iff (@off + i) & @mask == 0.
 * @pattern:	for @mask below WORD_BITS, bit i set iff bit i of any word
 *		is an aligned page.
 * @run:	start of the free run reaching the current node, if @in_run.
 * @in_run:	whether the page before the current node is free.
 * @found:	the first fit, once found.
 */
struct bitmap_search {
	unsigned long nr;
	unsigned long mask;
	unsigned long off;
	unsigned long pattern;
	unsigned long run;
	bool in_run;
	unsigned long found;
};

/*
 * Test the run that goes through a node's free prefix of @pre pages from
 * @start: true if the request fits in it.  Otherwise, if the node is all
 * free (@span), the run is carried on; else it ends inside the node.
 */
static bool search_prefix(struct bitmap_search *st, unsigned long start,
			  unsigned long pre, unsigned long span)
{
	unsigned long head = st->in_run ? st->run : start, s;

	if (pre) {
		s = align_up(head, st->mask, st->off);
		if (s + st->nr <= start + pre) {
			st->found = s;
			return true;
		}
		if (pre == span) {
			st->run = head;
			st->in_run = true;
			return false;
		}
	}
	st->in_run = false;
	return false;
}

static bool search_word(const struct bitmap_region *r,
			struct bitmap_search *st, unsigned long w)
{
	unsigned long x = ~r->used[w], start = w * WORD_BITS, pat, fits;

	if (!x) {
		st->in_run = false;
		return false;
	}
	if (search_prefix(st, start, x == ~0UL ? WORD_BITS : __ffs(~x),
			  WORD_BITS))
		return true;
	if (x == ~0UL)
		return false;
	if (st->nr < WORD_BITS) {
		pat = st->pattern;
		if (st->mask >= WORD_BITS) {
			/* At most one aligned page in a word. */
			pat = align_up(start, st->mask, st->off) - start;
			pat = pat < WORD_BITS ? 1UL << pat : 0;
		}
		fits = pat ? word_runs(x, st->nr) & pat : 0;
		if (fits) {
			st->found = start + __ffs(fits);
			return true;
		}
	}
	if (x >> (WORD_BITS - 1)) {
		/* A free run reaches the top: carry it on. */
		st->in_run = true;
		st->run = start + __fls(~x) + 1;
	}
	return false;
}

/* After a node, [@start, @start + @span), that did not hold the fit. */
static void search_carry(struct bitmap_search *st, unsigned long start,
			 unsigned long span, unsigned long suf)
{
	if (suf) {
		st->in_run = true;
		st->run = start + span - suf;
	}
}

/* The words of group @g. */
static bool search_words(const struct bitmap_region *r,
			 struct bitmap_search *st, unsigned long g)
{
	unsigned long w = g << GROUP_SHIFT, end = w + GROUP_WORDS;

	if (end > r->nr[0])
		end = r->nr[0];
	for (; w < end; w++)
		if (search_word(r, st, w))
			return true;
	return false;
}

/*
 * Groups [@g, @end), in order, as search_level() below, over their packed
 * lengths: most groups are passed over with one load and a compare.
 */
static bool search_groups(const struct bitmap_region *r,
			  struct bitmap_search *st, unsigned long g,
			  unsigned long end)
{
	const unsigned int shift = level_shift(1);
	const unsigned long span = 1UL << shift, nr = st->nr;
	unsigned long pre, suf;
	u32 v;

	for (; g < end; g++) {
		v = r->group[g];
		suf = (v >> GROUP_FIELD) & GROUP_MASK;
		if (v >> (2 * GROUP_FIELD) < nr) {
			/* No fit inside: the prefix may end a carried run. */
			pre = v & GROUP_MASK;
			if (st->in_run && pre) {
				if (search_prefix(st, g << shift, pre, span))
					return true;
				if (pre == span)
					continue;
			}
			st->in_run = suf;
			st->run = ((g + 1) << shift) - suf;
			continue;
		}
		if (search_prefix(st, g << shift, v & GROUP_MASK, span))
			return true;
		if ((v & GROUP_MASK) == span)
			continue;
		if (search_words(r, st, g))
			return true;
		st->in_run = st->in_run && suf;
	}
	return false;
}

/*
 * Nodes [@idx, @end) of @level (2 and up), in order.  A node whose longest
 * run is shorter than the request holds no fit but maybe the start of one
 * (its suffix) or a part of a carried one (its prefix); into the others
 * the search goes down, where the children test the prefix again (no fit
 * there: no harm) and leave the run at the node's end.
 */
static bool search_level(const struct bitmap_region *r,
			 struct bitmap_search *st, unsigned int level,
			 unsigned long idx, unsigned long end)
{
	unsigned int shift = level_shift(level);
	unsigned long span = 1UL << shift, start, c, cend;
	const struct bitmap_span *n;

	for (; idx < end; idx++) {
		n = &r->upper[r->first[level] + idx];
		start = idx << shift;
		if (!st->in_run && n->lon < st->nr) {
			/* The common case, and the prefix is no longer. */
			search_carry(st, start, span, n->suf);
			continue;
		}
		if (search_prefix(st, start, n->pre, span))
			return true;
		if (n->pre == span)
			continue;
		if (n->lon < st->nr) {
			search_carry(st, start, span, n->suf);
			continue;
		}
		c = idx << FANOUT_SHIFT;
		cend = c + FANOUT;
		if (cend > r->nr[level - 1])
			cend = r->nr[level - 1];
		if (level == 2 ? search_groups(r, st, c, cend) :
		    search_level(r, st, level - 1, c, cend))
			return true;
		st->in_run = st->in_run && n->suf;
	}
	return false;
}

/* First fit by a scan of the bitmap, for a region without its tree. */
static unsigned long scan_first_fit(const struct bitmap_region *r,
				    unsigned long nr, unsigned long mask,
				    unsigned long off)
{
	unsigned long s = 0, used;

	for (;;) {
		s = find_next_zero_bit(r->used, r->pages, s);
		if (s >= r->pages)
			return r->pages;
		s = align_up(s, mask, off);
		if (s >= r->pages || nr > r->pages - s)
			return r->pages;
		used = find_next_bit(r->used, s + nr, s);
		if (used >= s + nr)
			return s;
		s = used + 1;
	}
}

/**
 * cmafw_bitmap_first_fit() - the lowest aligned run of free pages.
 * @r:		the region.
 * @nr:		pages wanted, at least 1 and at most the region's.
 * @mask:	the alignment in pages, minus one.
 * @off:	page i of the region is aligned when (@off + i) & @mask is 0.
 *
 * Return: the index in the region of the run's first page, or r->pages
 * if no run fits.
 */
unsigned long cmafw_bitmap_first_fit(const struct bitmap_region *r,
				     unsigned long nr, unsigned long mask,
				     unsigned long off)
{
	struct bitmap_search st = { .nr = nr, .mask = mask, .off = off };
	unsigned long s;

	if (!r->group)
		return scan_first_fit(r, nr, mask, off);
	if (!st.mask) {
		st.pattern = ~0UL;
	} else if (st.mask < WORD_BITS) {
		st.pattern = 1UL << ((WORD_BITS - st.off) & st.mask);
		for (s = st.mask + 1; s < WORD_BITS; s <<= 1)
			st.pattern |= st.pattern << s;
	}
	if (r->top == 1 ? search_groups(r, &st, 0, r->nr[1]) :
	    search_level(r, &st, r->top, 0, r->nr[r->top]))
		return st.found;
	if (st.in_run) {
		/* A run up to the region's end, a node boundary. */
		s = align_up(st.run, st.mask, st.off);
		if (s + st.nr <= r->pages)
			return s;
	}
	return r->pages;
}
