// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for one allocator (kernel/alloc_bitmap.c,
 * kernel/alloc_bestfit.c with -DFUZZ_BESTFIT or kernel/alloc_segfit.c with
 * -DFUZZ_SEGFIT), over the shim.
 *
 * The input picks a region (base and size) and then a sequence of
 * operations: allocate (size, alignment), free one live chunk, free a
 * run of them in address order, make the next kmalloc() fail, free
 * everything.  A shadow page map follows the live chunks, and after
 * every operation:
 *  - an allocation succeeds iff some aligned run of free pages fits, and
 *    lands exactly where the allocator's policy says (bitmap: the lowest
 *    aligned fit; bestfit: in the smallest free extent that holds an
 *    aligned fit, the lowest such extent on a tie, at its first aligned
 *    page; segfit: as model_segfit.h works it out), so it is inside the
 *    region, aligned and overlaps nothing;
 *  - a failed allocation (also one whose kmalloc() failed) changes
 *    nothing;
 *  - a free gives back exactly the chunk's pages: the free count is what
 *    it was before the allocation, and once everything is freed the
 *    whole region can be allocated again in one piece;
 *  - the allocator holds the memory its design says (bestfit and segfit:
 *    one node per live chunk plus one, and up to CMAFW_HOLES_SPARE spares,
 *    so that an allocation whose kmalloc() fails still succeeds with a
 *    spare; bitmap: nothing per chunk, and its summary tree's arrays only
 *    while a quarter of tree_from chunks or more are live, which pay for
 *    them; from tree_from on it has them, unless the kmalloc() that would
 *    have made them failed).
 * Any disagreement abort()s, which libFuzzer reports as a crash.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/array_size.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "alloc.h"

#if defined(FUZZ_BESTFIT)
#include "alloc_holes.h"
#define ALLOCATOR	cmafw_bestfit_allocator
#define NODES_PER_CHUNK	1
#define SPARE_NODES	CMAFW_HOLES_SPARE
#elif defined(FUZZ_SEGFIT)
#include "alloc_holes.h"
#include "model_segfit.h"
#define ALLOCATOR	cmafw_segfit_allocator
#define NODES_PER_CHUNK	1
#define SPARE_NODES	CMAFW_HOLES_SPARE
#else
#include "bitmap_tree.h"
#define ALLOCATOR	cmafw_bitmap_allocator
#define NODES_PER_CHUNK	0
#define SPARE_NODES	0
#define FUZZ_BITMAP
#endif

#define MAX_PAGES	4096
#define MAX_LIVE	MAX_PAGES

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "fuzz_alloc: %s:%d: %s\n",	\
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

/* Region starts: page 0, odd pages, 1 MiB multiples, the top of 64 bits. */
static const u64 bases[] = {
	0, 1, 0x3, 0x100, 0x101, 0x20000, 0x20001, 0x12345, 0x40000,
	0xfffffffffULL, (1ULL << 52) - MAX_PAGES, (1ULL << 52) - 1 - MAX_PAGES,
};

struct chunk {
	u64 pfn;
	u64 pages;
};

struct state {
	void *priv;
	u64 base_pfn;
	u64 pages;
	u64 free_pages;
	u8 used[MAX_PAGES];
	struct chunk live[MAX_LIVE];
	unsigned int nr_live;
	long allocs_base;
	/* A kmalloc() failed since the last allocation or free. */
	bool kmalloc_failed;
#ifdef FUZZ_SEGFIT
	struct model_frees frees;	/* every free the allocator saw */
	/* a byte per MODEL_GRANULE pages, set where a chunk starts */
	u8 starts[MAX_PAGES / MODEL_GRANULE];
#endif
};

/* A free the allocator is about to see: segfit's model follows frees. */
#ifdef FUZZ_SEGFIT
static void note_free(struct state *s, u64 pfn, u64 pages)
{
	model_frees_note(&s->frees, pfn, pages);
}

/* A chunk starting at @pfn placed (@placed) or gone: segfit's start bit. */
static void note_start(struct state *s, u64 pfn, bool placed)
{
	s->starts[(pfn - s->base_pfn) / MODEL_GRANULE] = placed;
}
#else
static void note_free(struct state *s, u64 pfn, u64 pages)
{
	(void)s;
	(void)pfn;
	(void)pages;
}

static void note_start(struct state *s, u64 pfn, bool placed)
{
	(void)s;
	(void)pfn;
	(void)placed;
}
#endif

struct input {
	const u8 *data;
	size_t size;
};

static unsigned int take(struct input *in, unsigned int bytes)
{
	unsigned int v = 0;

	while (bytes--) {
		v <<= 8;
		if (in->size) {
			v |= *in->data++;
			in->size--;
		}
	}
	return v;
}

#ifdef FUZZ_SEGFIT
/* segfit: what model_segfit() says over the shadow map's free extents. */
static long expected(const struct state *s, u64 nr, u64 align_pages)
{
	static struct model_extent ext[MAX_PAGES];
	unsigned int n = 0;
	u64 i = 0, pfn;

	while (i < s->pages) {
		if (s->used[i]) {
			i++;
			continue;
		}
		ext[n].pfn = s->base_pfn + i;
		while (i < s->pages && !s->used[i])
			i++;
		ext[n].pages = s->base_pfn + i - ext[n].pfn;
		n++;
	}
	if (!model_segfit(ext, n, s->starts, s->base_pfn,
			  s->base_pfn + s->pages,
			  s->nr_live, model_frees_sets(&s->frees), nr,
			  align_pages, &pfn))
		return -1;
	return pfn - s->base_pfn;
}
#else
/*
 * Where the allocator must put @nr pages aligned to @align_pages (a power
 * of two): an index into the region, or -1 if nothing fits.
 */
static long expected(const struct state *s, u64 nr, u64 align_pages)
{
	long best = -1;
	u64 best_len = 0, i = 0;

	while (i < s->pages) {
		u64 start, len, first;

		if (s->used[i]) {
			i++;
			continue;
		}
		for (start = i; i < s->pages && !s->used[i]; i++)
			;
		len = i - start;
		/* The first page of the extent whose pfn is aligned. */
		first = (s->base_pfn + start + align_pages - 1) &
			~(align_pages - 1);
		if (first < s->base_pfn + start ||
		    first - (s->base_pfn + start) + nr > len)
			continue;
		first -= s->base_pfn;
		if (!NODES_PER_CHUNK)
			return first;	/* first fit */
		if (best < 0 || len < best_len) {
			best = first;
			best_len = len;
		}
	}
	return best;
}
#endif

#ifdef FUZZ_BITMAP
/*
 * The bitmap's summary tree: its arrays (kernel/bitmap_lazy.c) exist only
 * while the live chunks pay for them, and from tree_from chunks on unless
 * the kmalloc() that would have made them failed.  Return: how many.
 */
static long tree_arrays(const struct state *s)
{
	const struct bitmap_region *r = s->priv;

	CHECK(r->live == s->nr_live);
	if (!r->group) {
		CHECK(!r->upper);
		CHECK(r->live < r->tree_from || s->kmalloc_failed);
		return 0;
	}
	CHECK(r->live >= r->tree_from / 4);
	CHECK(!r->upper == (r->top < 2));
	return r->upper ? 2 : 1;
}
#else
static long tree_arrays(const struct state *s)
{
	(void)s;
	return 0;
}
#endif

/* Allocations beyond a node per live chunk (and the set's own): spares. */
static long spare_nodes(const struct state *s)
{
	return shim_live_allocs - s->allocs_base -
	       (long)s->nr_live * NODES_PER_CHUNK - tree_arrays(s);
}

static void check_memory(const struct state *s)
{
	CHECK(spare_nodes(s) >= 0 && spare_nodes(s) <= SPARE_NODES);
}

static void do_alloc(struct state *s, u64 nr, unsigned int align_shift,
		     bool fail_kmalloc)
{
	dma_addr_t align = (dma_addr_t)1 << align_shift, addr = 0;
	long want = expected(s, nr, align >> PAGE_SHIFT);
	u64 before = s->free_pages;
	/* A node for the chunk's free, unless one is spare. */
	bool needs_node = NODES_PER_CHUNK && !spare_nodes(s);
	struct chunk *c;
	int ret;

	shim_fail_in = fail_kmalloc ? 1 : 0;
	ret = ALLOCATOR.alloc(s->priv, nr << PAGE_SHIFT, align, &addr);
	/* A failed allocation changes nothing, the tree's absence included. */
	if (fail_kmalloc && !shim_fail_in)
		s->kmalloc_failed = true;
	else if (!ret)
		s->kmalloc_failed = false;
	shim_fail_in = 0;

	if (want < 0 || (fail_kmalloc && needs_node)) {
		CHECK(ret == -ENOMEM);
		CHECK(s->free_pages == before);
		check_memory(s);
		return;
	}
	CHECK(ret == 0);
	CHECK(addr % align == 0);
	CHECK(addr >> PAGE_SHIFT >= s->base_pfn);
	CHECK((addr >> PAGE_SHIFT) - s->base_pfn + nr <= s->pages);
	CHECK((long)((addr >> PAGE_SHIFT) - s->base_pfn) == want);
	c = &s->live[s->nr_live++];
	c->pfn = addr >> PAGE_SHIFT;
	c->pages = nr;
	for (u64 i = 0; i < nr; i++) {
		CHECK(!s->used[c->pfn - s->base_pfn + i]);
		s->used[c->pfn - s->base_pfn + i] = 1;
	}
	note_start(s, c->pfn, true);
	s->free_pages -= nr;
	check_memory(s);
}

static void do_free(struct state *s, unsigned int which)
{
	struct chunk c;

	if (!s->nr_live)
		return;
	which %= s->nr_live;
	c = s->live[which];
	s->live[which] = s->live[--s->nr_live];
	note_free(s, c.pfn, c.pages);
	ALLOCATOR.free(s->priv, c.pfn << PAGE_SHIFT, c.pages << PAGE_SHIFT);
	for (u64 i = 0; i < c.pages; i++) {
		CHECK(s->used[c.pfn - s->base_pfn + i]);
		s->used[c.pfn - s->base_pfn + i] = 0;
	}
	note_start(s, c.pfn, false);
	s->free_pages += c.pages;
	s->kmalloc_failed = false;
	check_memory(s);
}

/*
 * Free @n live chunks in address order from the @which'th live one, as a
 * device frees a buffer set (segfit tells such frees apart).
 */
static void do_free_run(struct state *s, unsigned int which, unsigned int n)
{
	u64 from;

	if (!s->nr_live)
		return;
	from = s->live[which % s->nr_live].pfn;
	while (n-- && s->nr_live) {
		unsigned int i, next = s->nr_live;

		for (i = 0; i < s->nr_live; i++)
			if (s->live[i].pfn >= from &&
			    (next == s->nr_live ||
			     s->live[i].pfn < s->live[next].pfn))
				next = i;
		if (next == s->nr_live)
			return;
		from = s->live[next].pfn + s->live[next].pages;
		do_free(s, next);
	}
}

/* Free everything; the region must then come back in one piece. */
static void do_free_all(struct state *s)
{
	dma_addr_t addr = 0;

	while (s->nr_live)
		do_free(s, s->nr_live - 1);
	CHECK(s->free_pages == s->pages);
	CHECK(ALLOCATOR.alloc(s->priv, s->pages << PAGE_SHIFT, PAGE_SIZE,
			      &addr) == 0);
	CHECK(addr == s->base_pfn << PAGE_SHIFT);
	note_free(s, s->base_pfn, s->pages);
	ALLOCATOR.free(s->priv, addr, s->pages << PAGE_SHIFT);
	check_memory(s);
}

/* LLVMFuzzerTestOneInput(), named by the Makefile. */
int fuzz_one_input(const u8 *data, size_t size);

int fuzz_one_input(const u8 *data, size_t size)
{
	static struct state s;
	struct input in = { data, size };
	long allocs = shim_live_allocs;

	memset(&s, 0, sizeof(s));
	s.base_pfn = bases[take(&in, 1) % ARRAY_SIZE(bases)];
	s.pages = 1 + take(&in, 2) % MAX_PAGES;
	s.free_pages = s.pages;
	s.priv = ALLOCATOR.init(s.base_pfn << PAGE_SHIFT,
				s.pages << PAGE_SHIFT);
	CHECK(!IS_ERR(s.priv));
	s.allocs_base = shim_live_allocs;

	while (in.size) {
		unsigned int op = take(&in, 1);

		if (op < 160) {
			/* Mostly small, sometimes anything up to past the end. */
			u64 nr = op < 128 ? 1 + take(&in, 1) % 32 :
					    1 + take(&in, 2) % (s.pages + 8);
			unsigned int shift = PAGE_SHIFT + take(&in, 1) % 52;

			do_alloc(&s, nr, shift, false);
		} else if (op < 230) {
			do_free(&s, take(&in, 2));
		} else if (op < 240) {
			do_free_run(&s, take(&in, 2), 1 + take(&in, 1) % 16);
		} else if (op < 250) {
			do_alloc(&s, 1 + take(&in, 1) % 16, PAGE_SHIFT, true);
		} else {
			do_free_all(&s);
		}
	}
	do_free_all(&s);
	ALLOCATOR.cleanup(s.priv);
	CHECK(shim_live_allocs == allocs);
	return 0;
}
