// SPDX-License-Identifier: GPL-2.0
/*
 * The "bitmap" allocator from the inside (kernel/alloc_bitmap.c, and
 * bitmap_tree.c and bitmap_search.c linked in): its summary tree is checked
 * against the runs counted page by page in a model, and every allocation
 * against a plain scan of the model for the lowest aligned fit, on random
 * operations over regions of many shapes (up to three levels of the tree,
 * last word, group and node cut short, odd bases).
 *
 * The allocator's source is compiled into this file (its functions are
 * static) under another name for its ops, next to the copy that
 * test_alloc.c runs through the ops only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define cmafw_bitmap_allocator cmafw_bitmap_allocator_inside
#include "../../kernel/alloc_bitmap.c"
#undef cmafw_bitmap_allocator

#include "rand.h"
#include "test.h"

/* A page-per-byte picture of the region. */
struct bm_model {
	unsigned long base_pfn;
	unsigned long pages;
	unsigned char *used;
};

/*
 * The lowest index aligned to @align pages where @nr free pages start: each
 * aligned candidate in turn, on past the last used page of its window.
 */
static unsigned long model_first_fit(const struct bm_model *m,
				     unsigned long nr, unsigned long align)
{
	unsigned long first = (align - m->base_pfn % align) % align, k;

	while (first + nr <= m->pages) {
		for (k = first + nr; k > first && !m->used[k - 1]; k--)
			;
		if (k == first)
			return first;
		/* Page k - 1 is used: the next candidate is past it. */
		first += (k - first + align - 1) / align * align;
	}
	return m->pages;
}

/* The runs of [@start, @end) of the model, pages past its end allocated. */
static void model_span(const struct bm_model *m, unsigned long start,
		       unsigned long end, struct bitmap_span *n)
{
	unsigned long page, cur = 0, lon = 0;
	bool open = true;

	n->pre = 0;
	for (page = start; page < end; page++) {
		if (page < m->pages && !m->used[page]) {
			cur++;
			continue;
		}
		if (open)
			n->pre = cur;
		open = false;
		if (cur > lon)
			lon = cur;
		cur = 0;
	}
	if (open)
		n->pre = cur;
	n->suf = cur;
	n->lon = cur > lon ? cur : lon;
}

/*
 * Every node of the tree against the model; false at the first mismatch.
 * Without a tree, whether it should have one (kernel/bitmap_lazy.c): not
 * from tree_from live allocations on, and with one, not below a quarter
 * of that.
 */
static bool tree_matches(const struct bitmap_region *r,
			 const struct bm_model *m, int op)
{
	struct bitmap_span want, have;
	unsigned int level, shift;
	unsigned long idx;
	bool upper_ok;

	if (!r->group)
		return EXPECTF(!r->upper && r->live < r->tree_from,
			       "op %d: %lu live, tree from %lu: no tree",
			       op, r->live, r->tree_from);
	upper_ok = r->top >= 2 ? !!r->upper : !r->upper;
	if (!EXPECTF(r->live >= r->tree_from / 4 && upper_ok,
		     "op %d: %lu live, tree from %lu: a tree (upper levels %s)",
		     op, r->live, r->tree_from, r->upper ? "kept" : "none"))
		return false;
	for (level = 1; level <= r->top; level++) {
		shift = level_shift(level);
		for (idx = 0; idx < r->nr[level]; idx++) {
			model_span(m, idx << shift, (idx + 1) << shift, &want);
			tree_get(r, level, idx, &have);
			if (!EXPECTF(want.pre == have.pre &&
				     want.suf == have.suf &&
				     want.lon == have.lon,
				     "op %d: level %u node %lu: pre/suf/longest %u/%u/%u, pages say %u/%u/%u",
				     op, level, idx, have.pre, have.suf,
				     have.lon, want.pre, want.suf, want.lon))
				return false;
		}
	}
	return true;
}

struct bm_chunk {
	unsigned long index;
	unsigned long pages;
};

struct bm_shape {
	unsigned long base_pfn;
	unsigned long pages;
	unsigned int ops;
	/* The tree's top level this shape must have. */
	unsigned int top;
};

static bool bm_alloc(struct bitmap_region *r, struct bm_model *m,
		     struct bm_chunk *chunks, unsigned long *nr_chunks,
		     u64 *seed, int op)
{
	unsigned int kind = rand_below(seed, 16);
	unsigned long nr, align, want, got;
	dma_addr_t addr;
	int rc;

	/* Mostly small; some long enough to cross words, groups, nodes. */
	if (kind < 10)
		nr = 1 + rand_below(seed, 16);
	else if (kind < 14)
		nr = 1 + rand_below(seed, 700);
	else
		nr = 1 + rand_below(seed, 20000);
	if (nr > m->pages)
		nr = 1 + rand_below(seed, m->pages);
	align = rand_below(seed, 2) ? 1 : 1UL << rand_below(seed, 13);
	want = model_first_fit(m, nr, align);
	rc = cmafw_bitmap_alloc(r, nr << PAGE_SHIFT,
				(dma_addr_t)align << PAGE_SHIFT, &addr);
	got = rc ? m->pages : (addr >> PAGE_SHIFT) - m->base_pfn;
	if (!EXPECTF(got == want && (want < m->pages ? !rc : rc == -ENOMEM),
		     "op %d: %lu pages aligned to %lu: rc %d at page %lu, a plain scan says %lu",
		     op, nr, align, rc, got, want))
		return false;
	if (!rc) {
		memset(m->used + got, 1, nr);
		chunks[(*nr_chunks)++] = (struct bm_chunk){ got, nr };
	}
	return true;
}

/* Count the tree's coming (@made) and going (@dropped) since @had. */
static void tree_came_or_went(const struct bitmap_region *r, bool *had,
			      unsigned long *made, unsigned long *dropped)
{
	if (*had == !!r->group)
		return;
	*made += !*had;
	*dropped += *had;
	*had = r->group;
}

/*
 * Random operations on a region of shape @sh, each allocation checked
 * against the model's first fit.  @lazy: the tree as the allocator keeps
 * it, made and dropped as the count of live allocations goes; otherwise
 * made at once and kept all along (tree_from 0).
 */
static void test_shape(const struct bm_shape *sh, bool lazy)
{
	struct bm_model m = { sh->base_pfn, sh->pages, NULL };
	unsigned long nr_chunks = 0, max_chunks = 0, used = 0, i;
	unsigned long made = 0, dropped = 0;
	bool had = false;
	struct bm_chunk *chunks;
	struct bitmap_region *r;
	u64 seed = 0xb17a5 + sh->pages;
	bool ok = true;
	int op;

	test_begin();
	m.used = calloc(sh->pages, 1);
	chunks = calloc(sh->pages, sizeof(*chunks));
	r = cmafw_bitmap_init((dma_addr_t)sh->base_pfn << PAGE_SHIFT,
			      sh->pages << PAGE_SHIFT);
	if (!EXPECT(m.used && chunks && !IS_ERR(r)))
		goto out;
	if (!lazy) {
		r->tree_from = 0;
		cmafw_bitmap_tree_follow(r);
	}
	ok = EXPECTF(r->top == sh->top, "top level %u, want %u", r->top,
		     sh->top) && tree_matches(r, &m, -1);
	for (op = 0; op < (int)sh->ops && ok; op++) {
		/* Churn at about 85% full, where the holes are small. */
		if (nr_chunks && (used > sh->pages * 85 / 100 ||
				  rand_below(&seed, 100) < 20)) {
			i = rand_below(&seed, nr_chunks);
			used -= chunks[i].pages;
			cmafw_bitmap_free(r, (dma_addr_t)(sh->base_pfn +
							  chunks[i].index) << PAGE_SHIFT,
					  chunks[i].pages << PAGE_SHIFT);
			memset(m.used + chunks[i].index, 0, chunks[i].pages);
			chunks[i] = chunks[--nr_chunks];
		} else {
			i = nr_chunks;
			ok = bm_alloc(r, &m, chunks, &nr_chunks, &seed, op);
			if (nr_chunks > i)
				used += chunks[i].pages;
		}
		if (nr_chunks > max_chunks)
			max_chunks = nr_chunks;
		tree_came_or_went(r, &had, &made, &dropped);
		/*
		 * The tree after every op at first, then now and then, and
		 * whenever it has just been made.
		 */
		if (ok && (op < 300 || op % 97 == 0 ||
			   (had && r->live == r->tree_from)))
			ok = tree_matches(r, &m, op);
	}
	while (ok && nr_chunks) {
		nr_chunks--;
		cmafw_bitmap_free(r, (dma_addr_t)(sh->base_pfn +
						  chunks[nr_chunks].index) << PAGE_SHIFT,
				  chunks[nr_chunks].pages << PAGE_SHIFT);
		memset(m.used + chunks[nr_chunks].index, 0,
		       chunks[nr_chunks].pages);
		tree_came_or_went(r, &had, &made, &dropped);
	}
	if (ok)
		tree_matches(r, &m, sh->ops);
	/*
	 * Lazy: the tree came if the chunks were ever enough, and went with
	 * them.
	 */
	if (ok && lazy)
		EXPECTF((max_chunks >= r->tree_from ? made > 0 : !made) &&
			dropped == made && !r->group,
			"made %lu times, dropped %lu times", made, dropped);
	if (ok && !lazy)
		EXPECTF(r->group && !dropped, "the tree was dropped");
	cmafw_bitmap_cleanup(r);
out:
	free(chunks);
	free(m.used);
	test_end("bitmap tree%s: %lu pages from pfn %#lx (top level %u): %u random ops, up to %lu chunks, match a plain scan; tree made %lu times, dropped %lu",
		 lazy ? " as kept" : " throughout", sh->pages, sh->base_pfn,
		 sh->top, sh->ops, max_chunks, made, dropped);
}

/*
 * The tree's life on a 256 MiB region (kernel/bitmap_lazy.c): 608 bytes
 * (128 groups, 8 nodes above), paid 16 bytes at a time by 38 chunks, so
 * made at 152 and dropped below 38; first fit at the same pages with it
 * and without.  Out of memory, the 152nd allocation still succeeds
 * without a tree, and the 153rd makes it.
 */
static void test_tree_life(void)
{
	struct bm_model m = { 0x40000, 65536, NULL };
	long live_allocs = shim_live_allocs;
	struct bitmap_region *r;
	unsigned long i;
	bool ok = true;
	dma_addr_t addr;

	test_begin();
	m.used = calloc(m.pages, 1);
	r = cmafw_bitmap_init((dma_addr_t)m.base_pfn << PAGE_SHIFT,
			      m.pages << PAGE_SHIFT);
	if (!EXPECT(m.used && !IS_ERR(r)))
		goto out;
	ok = EXPECTF(r->tree_from == 152, "tree from %lu live, want 152",
		     r->tree_from);
	for (i = 0; ok && i < 152; i++) {
		/*
		 * Two pages aligned to four: two-page holes between, which
		 * the scan and the tree must both pass.
		 */
		ok = EXPECT(!cmafw_bitmap_alloc(r, 2 * PAGE_SIZE, 4 * PAGE_SIZE,
						&addr)) &&
		     EXPECTF(addr >> PAGE_SHIFT == m.base_pfn + 4 * i,
			     "chunk %lu at pfn %#llx", i,
			     (unsigned long long)(addr >> PAGE_SHIFT)) &&
		     EXPECTF(!r->group == (i < 151),
			     "%lu live: tree %s", i + 1,
			     r->group ? "made" : "not made");
		memset(m.used + 4 * i, 1, 2);
	}
	ok = ok && tree_matches(r, &m, 152);
	/* Down to 38 it stays; the 37th goes with it. */
	for (i = 152; ok && i > 37; i--) {
		cmafw_bitmap_free(r, (dma_addr_t)(m.base_pfn + 4 * (i - 1)) <<
				  PAGE_SHIFT, 2 * PAGE_SIZE);
		memset(m.used + 4 * (i - 1), 0, 2);
		ok = EXPECTF(!r->group == (i - 1 < 38), "%lu live: tree %s",
			     i - 1, r->group ? "kept" : "dropped");
		if (ok && i - 1 == 38)
			ok = tree_matches(r, &m, 38);
	}
	/* Up again, with the kmalloc() that makes the tree failing. */
	for (i = 37; ok && i < 151; i++)
		ok = EXPECT(!cmafw_bitmap_alloc(r, 2 * PAGE_SIZE, 4 * PAGE_SIZE,
						&addr)) &&
		     EXPECTF(addr >> PAGE_SHIFT == m.base_pfn + 4 * i,
			     "chunk %lu at pfn %#llx", i,
			     (unsigned long long)(addr >> PAGE_SHIFT));
	shim_fail_in = 1;
	ok = ok && EXPECT(!cmafw_bitmap_alloc(r, 2 * PAGE_SIZE, 4 * PAGE_SIZE,
					      &addr)) &&
	     EXPECTF(!shim_fail_in && !r->group && r->live == 152,
		     "out of memory at 152 live: tree %s",
		     r->group ? "made" : "not made");
	shim_fail_in = 0;
	ok = ok && EXPECT(!cmafw_bitmap_alloc(r, 2 * PAGE_SIZE, 4 * PAGE_SIZE,
					      &addr)) &&
	     EXPECTF(addr >> PAGE_SHIFT == m.base_pfn + 4 * 152 && r->group,
		     "153rd at pfn %#llx, tree %s",
		     (unsigned long long)(addr >> PAGE_SHIFT),
		     r->group ? "made" : "not made");
	cmafw_bitmap_cleanup(r);
	EXPECT(shim_live_allocs == live_allocs);
out:
	free(m.used);
	test_end("bitmap tree of 256 MiB: made at 152 live, kept down to 38, dropped at 37; made late without memory; first fit the same throughout");
}

void test_alloc_bitmap(void)
{
	/*
	 * 64-bit words: a group is 512 pages, a level 2 node 8192; the top
	 * level has at most 64 nodes.
	 */
	static const struct bm_shape shapes[] = {
		{ 0x20001, 1, 200, 1 },
		{ 0x20001, 63, 2000, 1 },
		{ 0x40000, 64, 2000, 1 },
		{ 0x20001, 513, 3000, 1 },
		{ 0x40000, 8192, 6000, 1 },
		{ 0x12345, 8193, 6000, 1 },
		{ 0x20001, 3 * 8192 + 777, 6000, 1 },
		{ 0x40000, 64 * 512, 6000, 1 },
		{ 0x12345, 64 * 512 + 1, 6000, 2 },
		{ 0x40000, 65536, 4000, 2 },
		{ 0x20001, 17 * 8192 + 100, 3000, 2 },
		{ 0x20001, 64 * 8192 + 1, 1500, 3 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(shapes); i++) {
		test_shape(&shapes[i], false);
		test_shape(&shapes[i], true);
	}
	test_tree_life();
}
