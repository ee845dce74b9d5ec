/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cmafw: the "bitmap" allocator's state, shared by alloc_bitmap.c (the
 * allocator), bitmap_tree.c (the summary tree over the bitmap, kept
 * exact) and bitmap_search.c (first fit through that tree).  Nothing else
 * includes it but the tests and the benchmark, which look inside.
 *
 * Level 0 of the tree is the bitmap's words; a node of level 1 (a
 * "group") covers GROUP_WORDS words, and a node of each level above covers
 * FANOUT nodes of the level below, up to a top level of at most TOP_NODES
 * nodes.  Each node of level 1 and up keeps three lengths in pages: its
 * free prefix, its free suffix and the longest free run inside it (runs
 * cut at its edges).  The bits past the region's last page, and the words
 * and nodes past its end, count as allocated.
 *
 * The tree exists only while the region's allocations pay for it: at most
 * TREE_CHUNK_BYTES each (bitmap_lazy.c).  Without it, the search scans
 * the bitmap a word at a time (bitmap_search.c).
 *
 * Everything here runs under the region's mutex (the allocator's caller).
 */
#ifndef _CMAFW_BITMAP_TREE_H
#define _CMAFW_BITMAP_TREE_H

#include <linux/bitops.h>
#include <linux/types.h>

#define WORD_BITS	BITS_PER_LONG
#define WORD_SHIFT	(BITS_PER_LONG == 64 ? 6 : 5)
#define GROUP_SHIFT	3
#define GROUP_WORDS	BIT(GROUP_SHIFT)
#define FANOUT_SHIFT	4
#define FANOUT		BIT(FANOUT_SHIFT)
/*
 * The most nodes the top level may have.  Every allocation measures a
 * node of each level above the groups again from its FANOUT children when
 * it cuts that node's longest run, as most large ones do, while a search
 * passes a top node it cannot use with one compare: a top level wider than
 * FANOUT saves a level's updates for the price of a few more compares.  A
 * region of up to 64 groups (128 MiB with 64-bit words and 4 KiB pages)
 * has no level above the groups.
 */
#define TOP_NODES	64
/* Words, groups and the levels above, for any page count below 2^32. */
#define MAX_LEVELS	8
/* A group's three lengths (at most 512 pages) packed in a u32. */
#define GROUP_FIELD	10
#define GROUP_MASK	((1U << GROUP_FIELD) - 1)
/*
 * The most bytes of the tree each allocation bears: the tree is made at
 * four times the count that pays for it, and goes below that count.  Out
 * of the metadata budget of 128 bytes a chunk over the bitmap's bit a
 * page, the framework's records take up to 112 (kernel/index.h).
 */
#define TREE_CHUNK_BYTES	16

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
 *		packed in a u32 (GROUP_FIELD bits per length); NULL while
 *		there is no tree.
 * @upper:	levels 2 to @top of the summary tree; NULL while there is
 *		no tree, or no level above the groups.
 * @base_pfn:	page frame number of the region's first page.
 * @pages:	number of pages in the region.
 * @live:	allocations not freed yet.
 * @tree_from:	@live from which the tree is made; it goes again when
 *		@live falls below a quarter of that (bitmap_lazy.c).
 * @top:	the summary tree's top level, at least 1.
 * @nr:		nodes per level; nr[0] is the number of words in @used.
 * @first:	where each level from 2 up starts in @upper.
 */
struct bitmap_region {
	unsigned long *used;
	u32 *group;
	struct bitmap_span *upper;
	unsigned long base_pfn;
	unsigned long pages;
	unsigned long live;
	unsigned long tree_from;
	unsigned int top;
	unsigned int nr[MAX_LEVELS];
	unsigned int first[MAX_LEVELS];
};

/* log2 of the pages a node of @level covers. */
static inline unsigned int level_shift(unsigned int level)
{
	if (!level)
		return WORD_SHIFT;
	return WORD_SHIFT + GROUP_SHIFT + FANOUT_SHIFT * (level - 1);
}

static inline void tree_get(const struct bitmap_region *r,
			    unsigned int level, unsigned long idx,
			    struct bitmap_span *n)
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
static inline unsigned long word_runs(unsigned long x, unsigned long n)
{
	unsigned long have = 1, step;

	while (have < n && x) {
		step = have < n - have ? have : n - have;
		x &= x >> step;
		have += step;
	}
	return x;
}

/* bitmap_tree.c */
unsigned int cmafw_bitmap_shape(unsigned long pages, unsigned int *nr,
				unsigned int *nr_upper);
void cmafw_bitmap_summarise(struct bitmap_region *r);
void cmafw_bitmap_mark(struct bitmap_region *r, unsigned long start,
		       unsigned long nr, bool set);

/* bitmap_lazy.c */
size_t cmafw_bitmap_tree_bytes(const unsigned int *nr, unsigned int nr_upper);
unsigned long cmafw_bitmap_tree_from(const unsigned int *nr,
				     unsigned int nr_upper);
void cmafw_bitmap_tree_drop(struct bitmap_region *r);
void cmafw_bitmap_tree_turn(struct bitmap_region *r);

/**
 * cmafw_bitmap_tree_follow() - make or free the summary tree for the
 * region's live allocations (bitmap_lazy.c).
 * @r:		the region, @r->live just changed.
 *
 * Inline: every allocation and free passes here, and only rarely on.
 */
static inline void cmafw_bitmap_tree_follow(struct bitmap_region *r)
{
	if (r->group ? r->live < r->tree_from / 4 : r->live >= r->tree_from)
		cmafw_bitmap_tree_turn(r);
}

/* bitmap_search.c */
unsigned long cmafw_bitmap_first_fit(const struct bitmap_region *r,
				     unsigned long nr, unsigned long mask,
				     unsigned long off);

#endif /* _CMAFW_BITMAP_TREE_H */
