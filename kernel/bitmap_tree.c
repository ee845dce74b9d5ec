// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: the "bitmap" allocator's summary tree (bitmap_tree.h), kept
 * exact after every allocation and free.
 *
 * An allocation or a free changes one free run.  From the groups up, the
 * run is followed to the edges of the nodes holding the changed pages and
 * their lengths follow from it; a node is measured again from its
 * children only when an allocation cuts what may have been its longest
 * run, and a level where nothing changed ends the update.
 */
#include <linux/bitops.h>
#include <linux/types.h>

#include "bitmap_tree.h"

/* log2 of the children of a node of @level (at least 1). */
static unsigned int child_shift(unsigned int level)
{
	return level == 1 ? GROUP_SHIFT : FANOUT_SHIFT;
}

/* A group's three lengths, packed as in &bitmap_region.group. */
static u32 group_pack(unsigned long pre, unsigned long suf, unsigned long lon)
{
	return pre | suf << GROUP_FIELD | lon << (2 * GROUP_FIELD);
}

/**
 * cmafw_bitmap_shape() - the summary tree's shape for a region.
 * @pages:	the region's size in pages, below 2^32.
 * @nr:		set to the nodes of each level, words (level 0) included;
 *		MAX_LEVELS entries.
 * @nr_upper:	set to the number of nodes of levels 2 and up.
 *
 * Return: the top level, at least 1.
 */
unsigned int cmafw_bitmap_shape(unsigned long pages, unsigned int *nr,
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
	} while (nr[level] > TOP_NODES);
	return level;
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

/**
 * cmafw_bitmap_summarise() - compute the whole tree from the bitmap.
 * @r:		the region, its bitmap set and the tree's arrays allocated.
 */
void cmafw_bitmap_summarise(struct bitmap_region *r)
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

/**
 * cmafw_bitmap_mark() - allocate or free pages in the bitmap, and in the
 * tree if there is one.
 * @r:		the region.
 * @start:	the first page's index in the region.
 * @nr:		the number of pages, at least 1.
 * @set:	true to allocate them (set their bits), false to free them.
 */
void cmafw_bitmap_mark(struct bitmap_region *r, unsigned long start,
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
	if (r->group)
		bitmap_resummarise(r, start, end, set);
}
