// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: the "bitmap" allocator.
 *
 * One bit per page, set while the page is allocated; a request takes the
 * lowest suitably aligned run of free pages (first fit).
 *
 * A summary tree over the bitmap lets the search skip what cannot hold
 * the request.  Level 0 is the bitmap's words; a node of level 1 (a
 * "group") covers GROUP_WORDS words, and a node of each level above
 * covers FANOUT nodes of the level below, up to a top level of at most
 * FANOUT nodes.  Each node of level 1 and up keeps three lengths in pages,
 * exact after every allocation and free: its free prefix, its free suffix
 * and the longest free run inside it (runs cut at its edges).
 *
 * The search walks the top level in address order, carrying the start of
 * a free run that reaches the current node.  At a node it first tests the
 * run through the node's prefix (the carried one, or one that starts at
 * the node), then goes down into the node only if its longest run is as
 * long as the request, and otherwise carries the node's suffix on.  In a
 * word, the aligned starts of runs of the request's length are found with
 * a few shifts.  A node skipped holds no fit, so the search returns the
 * plain scan's first fit; for a request aligned to one page every node it
 * goes down into holds a fit, so it reads at most FANOUT nodes a level.
 *
 * An allocation or a free changes one free run.  From the groups up, the
 * run is followed to the edges of the nodes holding the changed pages and
 * their lengths follow from it; a node is measured again from its
 * children only when an allocation cuts what may have been its longest
 * run, and a level where nothing changed ends the update.
 *
 * The bits past the region's last page, and the words and nodes past its
 * end, count as allocated: no run reaches beyond the region.
 */

#define pr_fmt(fmt) "cmafw: " fmt

#include <linux/bitops.h>
#include <linux/err.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "alloc.h"

#define WORD_BITS	BITS_PER_LONG
#define WORD_SHIFT	(BITS_PER_LONG == 64 ? 6 : 5)
#define GROUP_SHIFT	3
#define GROUP_WORDS	BIT(GROUP_SHIFT)
#define FANOUT_SHIFT	4
#define FANOUT		BIT(FANOUT_SHIFT)
/* Words, groups and the levels above, for any page count below 2^32. */
#define MAX_LEVELS	8
/* A group's three lengths (at most 512 pages) packed in a u32. */
#define GROUP_FIELD	10
#define GROUP_MASK	((1U << GROUP_FIELD) - 1)

/**
 * struct bitmap_span - the free runs of a node of the summary tree.
 * @pre:	free pages from the node's start.
 * @suf:	free pages up to the node's end.
 * @lon:	the longest run of free pages inside the node.
 */
struct bitmap_span {
	u32 pre;
	u32 suf;
	u32 lon;
};

/**
 * struct bitmap_region - the allocator's state for one region.
 * @used:	one bit per page, set while the page is allocated; the bits
 *		past the last page are set.
 * @group:	level 1 of the summary tree, a struct bitmap_span per group
 *		packed in a u32 (GROUP_FIELD bits per length).
 * @base_pfn:	page frame number of the region's first page.
 * @pages:	number of pages in the region.
 * @top:	the summary tree's top level, at least 1.
 * @nr:		nodes per level; nr[0] is the number of words in @used.
 * @first:	where each level from 2 up starts in @upper.
 * @upper:	levels 2 to @top of the summary tree.
 */
struct bitmap_region {
	unsigned long *used;
	u32 *group;
	unsigned long base_pfn;
	unsigned long pages;
	unsigned int top;
	unsigned int nr[MAX_LEVELS];
	unsigned int first[MAX_LEVELS];
	struct bitmap_span upper[];
};

/* log2 of the pages a node of @level covers. */
static unsigned int level_shift(unsigned int level)
{
	if (!level)
		return WORD_SHIFT;
	return WORD_SHIFT + GROUP_SHIFT + FANOUT_SHIFT * (level - 1);
}

/* log2 of the children of a node of @level (at least 1). */
static unsigned int child_shift(unsigned int level)
{
	return level == 1 ? GROUP_SHIFT : FANOUT_SHIFT;
}

/*
 * The tree's shape for @pages pages: nodes per level into @nr, and the
 * number of nodes of levels 2 and up; returns the top level.
 */
static unsigned int bitmap_shape(unsigned long pages, unsigned int *nr,
				 unsigned int *nr_upper)
{
	unsigned int level = 0;

	nr[0] = (pages + WORD_BITS - 1) >> WORD_SHIFT;
	*nr_upper = 0;
	do {
		level++;
		nr[level] = (nr[level - 1] + (1U << child_shift(level)) - 1) >>
			    child_shift(level);
		if (level >= 2)
			*nr_upper += nr[level];
	} while (nr[level] > FANOUT);
	return level;
}

static u32 group_pack(unsigned long pre, unsigned long suf, unsigned long lon)
{
	return pre | suf << GROUP_FIELD | lon << (2 * GROUP_FIELD);
}

static void tree_get(const struct bitmap_region *r, unsigned int level,
		     unsigned long idx, struct bitmap_span *n)
{
	u32 v;

	if (level >= 2) {
		*n = r->upper[r->first[level] + idx];
		return;
	}
	v = r->group[idx];
	n->pre = v & GROUP_MASK;
	n->suf = (v >> GROUP_FIELD) & GROUP_MASK;
	n->lon = v >> (2 * GROUP_FIELD);
}

/* Bit i set iff x has @n ones from bit i up, within the word. */
static unsigned long word_runs(unsigned long x, unsigned long n)
{
	unsigned long have = 1, step;

	while (have < n && x) {
		step = have < n - have ? have : n - have;
		x &= x >> step;
		have += step;
	}
	return x;
}

/* The longest run of ones in @x (not 0): doubled, then halved back. */
static unsigned long word_longest(unsigned long x)
{
	unsigned long len = 1, y;

	while (len < WORD_BITS && (y = x & (x >> len))) {
		x = y;
		len <<= 1;
	}
	/* Runs of len exist, none of 2 * len: add what still fits. */
	for (y = len >> 1; y; y >>= 1) {
		if (x & (x >> y)) {
			x &= x >> y;
			len += y;
		}
	}
	return len;
}

/*
 * A group's runs, from its words.  @floor is the length of a run known to
 * be in the group (or 0): shorter runs need not be measured.
 */
static u32 group_compute(const struct bitmap_region *r, unsigned long g,
			 unsigned long floor)
{
	unsigned long w = g << GROUP_SHIFT, end = w + GROUP_WORDS;
	unsigned long used, cur = 0, pre = ~0UL, lon = floor, p, q;

	/* The words past the region's end count as allocated. */
	if (end > r->nr[0])
		end = r->nr[0] + 1;
	for (; w < end; w++) {
		used = w < r->nr[0] ? r->used[w] : ~0UL;
		if (!used) {
			cur += WORD_BITS;
			continue;
		}
		/* The run reaching the word ends at its first used page. */
		p = __ffs(used);
		q = WORD_BITS - 1 - __fls(used);
		cur += p;
		if (pre == ~0UL)
			pre = cur;
		if (cur > lon)
			lon = cur;
		/*
		 * The runs between the word's edges, if they could matter:
		 * no run there is longer than the word's free pages.
		 */
		if (p + q + 2 < WORD_BITS && WORD_BITS - p - q - 2 > lon) {
			used = ~used & (~0UL << (p + 1)) & (~0UL >> (q + 1));
			if (word_runs(used, lon + 1))
				lon = word_longest(used);
		}
		cur = q;
	}
	if (pre == ~0UL)
		pre = cur;
	if (cur > lon)
		lon = cur;
	return group_pack(pre, cur, lon);
}

/* A node of @level (2 and up), from its children; @floor as above. */
static void upper_compute(const struct bitmap_region *r, unsigned int level,
			  unsigned long idx, struct bitmap_span *n,
			  unsigned long floor)
{
	unsigned long c = idx << FANOUT_SHIFT, end = c + FANOUT;
	unsigned long span = 1UL << level_shift(level - 1);
	unsigned long cur = 0, pre = ~0UL, lon = floor;
	bool cut = end > r->nr[level - 1];
	struct bitmap_span child;
	u32 v;

	if (cut)
		end = r->nr[level - 1];
	for (; c < end; c++) {
		if (level == 2) {
			v = r->group[c];
			child.pre = v & GROUP_MASK;
			child.suf = (v >> GROUP_FIELD) & GROUP_MASK;
			child.lon = v >> (2 * GROUP_FIELD);
		} else {
			child = r->upper[r->first[level - 1] + c];
		}
		if (child.pre == span) {
			cur += span;
			continue;
		}
		cur += child.pre;
		if (pre == ~0UL)
			pre = cur;
		if (cur > lon)
			lon = cur;
		if (child.lon > lon)
			lon = child.lon;
		cur = child.suf;
	}
	/* The children past the region's end count as allocated. */
	if (cut) {
		if (pre == ~0UL)
			pre = cur;
		if (cur > lon)
			lon = cur;
		cur = 0;
	}
	if (pre == ~0UL)
		pre = cur;
	if (cur > lon)
		lon = cur;
	n->pre = pre;
	n->suf = cur;
	n->lon = lon;
}

static void tree_set(struct bitmap_region *r, unsigned int level,
		     unsigned long idx, const struct bitmap_span *n)
{
	if (level >= 2)
		r->upper[r->first[level] + idx] = *n;
	else
		r->group[idx] = group_pack(n->pre, n->suf, n->lon);
}

/*
 * The longest run of node @idx of @level, from its children (as they are
 * now), knowing of a run of @floor pages in it.
 */
static unsigned long tree_longest(const struct bitmap_region *r,
				  unsigned int level, unsigned long idx,
				  unsigned long floor)
{
	struct bitmap_span n;

	if (level >= 2) {
		upper_compute(r, level, idx, &n, floor);
		return n.lon;
	}
	return group_compute(r, idx, floor) >> (2 * GROUP_FIELD);
}

/*
 * The start of the free run that ends at @pos (the start of child @c of a
 * node of @level), within that node: back over the node's children before
 * @c while they are free.
 */
static unsigned long run_back(const struct bitmap_region *r,
			      unsigned int level, unsigned long c,
			      unsigned long pos)
{
	unsigned long first = c >> child_shift(level) << child_shift(level);
	unsigned int cshift = level_shift(level - 1);
	struct bitmap_span n;

	while (c-- > first) {
		if (level == 1) {
			if (r->used[c])
				return (c << cshift) + __fls(r->used[c]) + 1;
		} else {
			tree_get(r, level - 1, c, &n);
			if (n.pre != 1UL << cshift)
				return ((c + 1) << cshift) - n.suf;
		}
		pos = c << cshift;
	}
	return pos;
}

/*
 * The end of the free run that starts at @pos (the end of child @c of a
 * node of @level), within that node: on over the children after @c.
 */
static unsigned long run_fwd(const struct bitmap_region *r,
			     unsigned int level, unsigned long c,
			     unsigned long pos)
{
	unsigned long end = ((c >> child_shift(level)) + 1) << child_shift(level);
	unsigned int cshift = level_shift(level - 1);
	struct bitmap_span n;

	if (end > r->nr[level - 1])
		end = r->nr[level - 1];
	while (++c < end) {
		if (level == 1) {
			if (r->used[c])
				return (c << cshift) + __ffs(r->used[c]);
		} else {
			tree_get(r, level - 1, c, &n);
			if (n.pre != 1UL << cshift)
				return (c << cshift) + n.pre;
		}
		pos = (c + 1) << cshift;
	}
	return pos;
}

/*
 * The new runs of node @idx of @level, [@ns, @ne), after the pages [@s,
 * @e) were allocated (@set) or freed; [@lo, @hi) is the free run that held
 * them (or now holds them), cut at the node's edges.  Only that run
 * changed in the node.  Returns whether the node changed.
 */
static bool tree_update(struct bitmap_region *r, unsigned int level,
			unsigned long idx, unsigned long s, unsigned long e,
			unsigned long lo, unsigned long hi, bool set)
{
	unsigned long ns = idx << level_shift(level);
	unsigned long ne = ns + (1UL << level_shift(level));
	unsigned long left, right;
	struct bitmap_span old, n;

	tree_get(r, level, idx, &old);
	if (s <= ns && e >= ne) {
		n.pre = set ? 0 : ne - ns;
		n.suf = n.pre;
		n.lon = n.pre;
	} else if (set) {
		/* The run is cut in two: [lo, s) and [e, hi). */
		n.pre = lo > ns ? old.pre : s > ns ? s - ns : 0;
		n.suf = hi < ne ? old.suf : e < ne ? ne - e : 0;
		n.lon = old.lon;
		if (hi - lo >= old.lon) {
			/* It may have been the longest: measure again. */
			left = s > lo ? s - lo : 0;
			right = hi > e ? hi - e : 0;
			n.lon = tree_longest(r, level, idx,
					     left > right ? left : right);
		}
	} else {
		n.pre = lo > ns ? old.pre : hi - ns;
		n.suf = hi < ne ? old.suf : ne - lo;
		n.lon = hi - lo > old.lon ? hi - lo : old.lon;
	}
	if (n.pre == old.pre && n.suf == old.suf && n.lon == old.lon)
		return false;
	tree_set(r, level, idx, &n);
	return true;
}

/*
 * Bring the tree up to date after the pages [@s, @e) were all allocated
 * (@set) or all freed, a level at a time from the groups up: at each level
 * the run around [@s, @e) is followed to the edges of the nodes holding
 * @s and @e - 1, and a level where nothing changed ends it.
 */
static void bitmap_resummarise(struct bitmap_region *r, unsigned long s,
			       unsigned long e, bool set)
{
	unsigned long w = s / WORD_BITS, bits, lo, hi, n1, n2, idx;
	unsigned int level, shift, cshift;
	bool changed = true;

	/* The run within the words holding s and e - 1. */
	bits = r->used[w] & ((1UL << (s % WORD_BITS)) - 1);
	lo = bits ? w * WORD_BITS + __fls(bits) + 1 : w * WORD_BITS;
	hi = e;
	if (e % WORD_BITS) {
		w = e / WORD_BITS;
		bits = r->used[w] & (~0UL << (e % WORD_BITS));
		hi = bits ? w * WORD_BITS + __ffs(bits) : (w + 1) * WORD_BITS;
	}
	for (level = 1; level <= r->top && changed; level++) {
		cshift = level_shift(level - 1);
		shift = level_shift(level);
		if (lo == s >> cshift << cshift)
			lo = run_back(r, level, s >> cshift, lo);
		if (hi == (((e - 1) >> cshift) + 1) << cshift)
			hi = run_fwd(r, level, (e - 1) >> cshift, hi);
		n1 = s >> shift;
		n2 = (e - 1) >> shift;
		changed = tree_update(r, level, n1, s, e, lo,
				      n1 == n2 ? hi : (n1 + 1) << shift, set);
		for (idx = n1 + 1; idx < n2; idx++)
			changed |= tree_update(r, level, idx, s, e,
					       idx << shift,
					       (idx + 1) << shift, set);
		if (n2 != n1)
			changed |= tree_update(r, level, n2, s, e,
					       n2 << shift, hi, set);
	}
}

/* The whole tree, from the bitmap. */
static void bitmap_summarise(struct bitmap_region *r)
{
	unsigned int level;
	unsigned long idx;

	for (idx = 0; idx < r->nr[1]; idx++)
		r->group[idx] = group_compute(r, idx, 0);
	for (level = 2; level <= r->top; level++)
		for (idx = 0; idx < r->nr[level]; idx++)
			upper_compute(r, level, idx,
				      &r->upper[r->first[level] + idx], 0);
}

/* Set (@set) or clear @nr bits of @used from @start, and the tree. */
static void bitmap_mark(struct bitmap_region *r, unsigned long start,
			unsigned long nr, bool set)
{
	unsigned long end = start + nr, w = start / WORD_BITS;
	unsigned long last = (end - 1) / WORD_BITS;

	for (; w <= last; w++) {
		unsigned long mask = ~0UL;

		if (w == start / WORD_BITS)
			mask &= ~0UL << (start % WORD_BITS);
		if (w == last && end % WORD_BITS)
			mask &= ~0UL >> (WORD_BITS - end % WORD_BITS);
		if (set)
			r->used[w] |= mask;
		else
			r->used[w] &= ~mask;
	}
	bitmap_resummarise(r, start, end, set);
}

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

/* The first fit: an index into the region, or r->pages if none. */
static unsigned long bitmap_search(const struct bitmap_region *r,
				   struct bitmap_search *st)
{
	unsigned long s;

	if (r->top == 1 ? search_groups(r, st, 0, r->nr[1]) :
	    search_level(r, st, r->top, 0, r->nr[r->top]))
		return st->found;
	if (st->in_run) {
		/* A run up to the region's end, a node boundary. */
		s = align_up(st->run, st->mask, st->off);
		if (s + st->nr <= r->pages)
			return s;
	}
	return r->pages;
}

static void *cmafw_bitmap_init(dma_addr_t base, size_t size)
{
	unsigned long pages = size >> PAGE_SHIFT;
	unsigned int nr[MAX_LEVELS] = { 0 }, nr_upper, top, level;
	struct bitmap_region *r;

	/* Bit indices stay within an unsigned int, as lib/bitmap's do. */
	if (!pages || (unsigned int)pages != pages)
		return ERR_PTR(-EINVAL);

	top = bitmap_shape(pages, nr, &nr_upper);
	/* Zeroed, the tree says "all allocated", true of a full bitmap. */
	r = kzalloc(struct_size(r, upper, nr_upper), GFP_KERNEL);
	if (!r)
		return ERR_PTR(-ENOMEM);
	/*
	 * Apart: together they would round up to twice the bitmap's slab.
	 * The bitmap of a region over 128 GiB is more than the slab gives.
	 */
	r->used = kvcalloc(nr[0], sizeof(unsigned long), GFP_KERNEL);
	r->group = kvcalloc(nr[1], sizeof(u32), GFP_KERNEL);
	if (!r->used || !r->group) {
		kvfree(r->group);
		kvfree(r->used);
		kfree(r);
		return ERR_PTR(-ENOMEM);
	}
	r->base_pfn = base >> PAGE_SHIFT;
	r->pages = pages;
	r->top = top;
	memcpy(r->nr, nr, sizeof(nr));
	for (level = 3; level <= top; level++)
		r->first[level] = r->first[level - 1] + nr[level - 1];
	if (pages % WORD_BITS)
		r->used[nr[0] - 1] = ~0UL << (pages % WORD_BITS);
	bitmap_summarise(r);
	return r;
}

static void cmafw_bitmap_cleanup(void *priv)
{
	struct bitmap_region *r = priv;

	kvfree(r->group);
	kvfree(r->used);
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
	struct bitmap_search st = { .nr = size >> PAGE_SHIFT };
	unsigned long index;

	if (!st.nr)
		return -EINVAL;
	if (st.nr > r->pages)
		return -ENOMEM;

	st.mask = align_in_pages(align, r->base_pfn + r->pages) - 1;
	st.off = r->base_pfn & st.mask;
	if (!st.mask) {
		st.pattern = ~0UL;
	} else if (st.mask < WORD_BITS) {
		st.pattern = 1UL << ((WORD_BITS - st.off) & st.mask);
		for (index = st.mask + 1; index < WORD_BITS; index <<= 1)
			st.pattern |= st.pattern << index;
	}
	index = bitmap_search(r, &st);
	if (index >= r->pages)
		return -ENOMEM;

	bitmap_mark(r, index, st.nr, true);
	*addr = (dma_addr_t)(r->base_pfn + index) << PAGE_SHIFT;
	return 0;
}

static void cmafw_bitmap_free(void *priv, dma_addr_t addr, size_t size)
{
	struct bitmap_region *r = priv;

	bitmap_mark(r, (addr >> PAGE_SHIFT) - r->base_pfn, size >> PAGE_SHIFT,
		    false);
}

struct cma_allocator cmafw_bitmap_allocator = {
	.name = "bitmap",
	.init = cmafw_bitmap_init,
	.cleanup = cmafw_bitmap_cleanup,
	.alloc = cmafw_bitmap_alloc,
	.free = cmafw_bitmap_free,
};
