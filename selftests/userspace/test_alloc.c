// SPDX-License-Identifier: GPL-2.0
/*
 * kernel/alloc_bitmap.c, alloc_bestfit.c and alloc_segfit.c: one suite,
 * run against each.  Where they must differ (first fit against best fit,
 * segfit's own rules: model_segfit.h), the suite says what each should
 * do.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/err.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "alloc.h"
#include "alloc_holes.h"
#include "model_segfit.h"
#include "rand.h"
#include "test.h"

#define SZ_4K	0x1000ULL
#define SZ_16K	0x4000ULL
#define SZ_64K	0x10000ULL
#define SZ_1M	0x100000ULL

/* Not aligned to 64K on purpose: alignment is against physical addresses. */
#define ODD_BASE 0x20001000ULL

struct suite {
	struct cma_allocator *ops;
	/* Requests below 64 KiB take the smallest hole, not the lowest. */
	bool best_fit;
	/* Placed as model_segfit() says. */
	bool segfit;
	/* The allocations init() makes. */
	unsigned int init_allocs;
};

struct region {
	const struct suite *suite;
	void *priv;
	dma_addr_t base;
	unsigned long pages;
};

static dma_addr_t page_addr(const struct region *r, unsigned long page)
{
	return r->base + page * PAGE_SIZE;
}

static bool region_init(struct region *r, const struct suite *suite,
			dma_addr_t base, unsigned long pages)
{
	r->suite = suite;
	r->base = base;
	r->pages = pages;
	r->priv = suite->ops->init(base, pages * PAGE_SIZE);
	return EXPECTF(!IS_ERR(r->priv), "init: %ld", PTR_ERR(r->priv));
}

static void region_cleanup(struct region *r)
{
	r->suite->ops->cleanup(r->priv);
}

static int get(struct region *r, unsigned long pages, dma_addr_t align,
	       dma_addr_t *addr)
{
	*addr = 0xdeadbeef;
	return r->suite->ops->alloc(r->priv, pages * PAGE_SIZE, align, addr);
}

/* Allocate and expect @want; returns whether it went that way. */
static bool get_at(struct region *r, unsigned long pages, dma_addr_t align,
		   dma_addr_t want, int line)
{
	dma_addr_t addr;
	int rc = get(r, pages, align, &addr);

	return expect_at(rc == 0 && addr == want, __FILE__, line,
			 "alloc(%lu pages, align %#llx): rc %d addr %#llx, want %#llx",
			 pages, (unsigned long long)align, rc,
			 (unsigned long long)addr, (unsigned long long)want);
}

static bool get_none(struct region *r, unsigned long pages, dma_addr_t align,
		     int line)
{
	dma_addr_t addr;
	int rc = get(r, pages, align, &addr);

	return expect_at(rc == -ENOMEM, __FILE__, line,
			 "alloc(%lu pages, align %#llx): rc %d addr %#llx, want -ENOMEM",
			 pages, (unsigned long long)align, rc,
			 (unsigned long long)addr);
}

#define GET_AT(r, pages, align, want) get_at(r, pages, align, want, __LINE__)
#define GET_NONE(r, pages, align) get_none(r, pages, align, __LINE__)

static void put(struct region *r, dma_addr_t addr, unsigned long pages)
{
	r->suite->ops->free(r->priv, addr, pages * PAGE_SIZE);
}

/* The whole region in one piece, then nothing more. */
static void expect_all_free(struct region *r)
{
	if (GET_AT(r, r->pages, SZ_4K, r->base)) {
		GET_NONE(r, 1, SZ_4K);
		put(r, r->base, r->pages);
	}
}

static void test_init(const struct suite *s)
{
	long live = shim_live_allocs;
	void *priv;
	long nth;

	test_begin();
	priv = s->ops->init(ODD_BASE, 0);
	EXPECTF(IS_ERR(priv) && PTR_ERR(priv) == -EINVAL, "size 0: %ld",
		PTR_ERR(priv));
	/* Every allocator counts pages in 32 bits. */
	priv = s->ops->init(ODD_BASE, (size_t)1 << (32 + PAGE_SHIFT));
	EXPECTF(IS_ERR(priv) && PTR_ERR(priv) == -EINVAL, "2^32 pages: %ld",
		PTR_ERR(priv));
	/*
	 * Each allocation init() makes, up to the first count it does not
	 * reach (the bitmap's two, bestfit's three, segfit's five).
	 */
	for (nth = 1;; nth++) {
		bool reached;

		shim_fail_in = nth;
		priv = s->ops->init(ODD_BASE, 16 * PAGE_SIZE);
		reached = !shim_fail_in;
		shim_fail_in = 0;
		if (!reached)
			break;
		EXPECTF(IS_ERR(priv) && PTR_ERR(priv) == -ENOMEM,
			"allocation %ld fails: %ld", nth, PTR_ERR(priv));
		if (!IS_ERR(priv))
			s->ops->cleanup(priv);
	}
	EXPECTF(nth == s->init_allocs + 1, "init() made %ld allocations, want %u",
		nth - 1, s->init_allocs);
	if (!IS_ERR(priv))
		s->ops->cleanup(priv);
	priv = s->ops->init(ODD_BASE, 16 * PAGE_SIZE);
	if (EXPECT(!IS_ERR(priv)))
		s->ops->cleanup(priv);
	EXPECT(shim_live_allocs == live);
	EXPECT(!s->ops->owner);
	test_end("%s: init rejects size 0 and 2^32 pages, fails cleanly without memory",
		 s->ops->name);
}

static void test_fill_pages(const struct suite *s)
{
	struct region r;
	unsigned long i;

	test_begin();
	if (!region_init(&r, s, 0x20000000, 64))
		goto out;
	for (i = 0; i < 64; i++)
		if (!GET_AT(&r, 1, SZ_4K, page_addr(&r, i)))
			break;
	GET_NONE(&r, 1, SZ_4K);
	for (i = 0; i < 64; i++)
		put(&r, page_addr(&r, i), 1);
	expect_all_free(&r);
	region_cleanup(&r);
out:
	test_end("%s: 64 single pages fill 64 pages in order, then -ENOMEM",
		 s->ops->name);
}

static void test_fill_mixed(const struct suite *s)
{
	static const unsigned long order[] = { 4, 9, 0, 7, 2, 5, 1, 8, 6, 3 };
	dma_addr_t addr[10], next = ODD_BASE;
	struct region r;
	unsigned long i;

	test_begin();
	if (!region_init(&r, s, ODD_BASE, 55))
		goto out;
	for (i = 0; i < 10; i++) {
		GET_AT(&r, i + 1, SZ_4K, next);
		addr[i] = next;
		next += (i + 1) * PAGE_SIZE;
	}
	GET_NONE(&r, 1, SZ_4K);
	for (i = 0; i < 10; i++)
		put(&r, addr[order[i]], order[i] + 1);
	expect_all_free(&r);
	region_cleanup(&r);
out:
	test_end("%s: chunks of 1..10 pages fill 55 pages exactly", s->ops->name);
}

static void test_bad_sizes(const struct suite *s)
{
	struct region r;
	dma_addr_t addr;

	test_begin();
	if (!region_init(&r, s, ODD_BASE, 64))
		goto out;
	GET_NONE(&r, 65, SZ_4K);
	EXPECT(s->ops->alloc(r.priv, 0, SZ_4K, &addr) == -EINVAL);
	GET_AT(&r, 1, SZ_4K, ODD_BASE);
	GET_NONE(&r, 64, SZ_4K);
	put(&r, ODD_BASE, 1);
	expect_all_free(&r);
	region_cleanup(&r);
out:
	test_end("%s: too big is -ENOMEM, zero is -EINVAL, nothing changes",
		 s->ops->name);
}

static void test_alignment(const struct suite *s)
{
	struct region r;
	unsigned long i;

	test_begin();
	/* 0x20001000 up to 0x20101000: fifteen 64K-aligned 64K slots. */
	if (!region_init(&r, s, ODD_BASE, 256))
		goto out;
	for (i = 0; i < 15; i++)
		GET_AT(&r, 16, SZ_64K, 0x20010000 + i * SZ_64K);
	GET_NONE(&r, 16, SZ_64K);
	/*
	 * Left: 15 pages at 0x20001000 and 1 page at 0x20100000, which is
	 * 64K aligned.
	 */
	if (s->best_fit) {
		GET_AT(&r, 1, SZ_4K, 0x20100000);
		GET_NONE(&r, 1, SZ_64K);
		GET_AT(&r, 1, SZ_16K, 0x20004000);
		GET_AT(&r, 2, SZ_4K, 0x20001000);
		GET_AT(&r, 1, SZ_4K, 0x20003000);
	} else {
		GET_AT(&r, 1, SZ_4K, 0x20001000);
		GET_AT(&r, 1, SZ_64K, 0x20100000);
		GET_AT(&r, 1, SZ_16K, 0x20004000);
		GET_AT(&r, 2, SZ_4K, 0x20002000);
	}
	GET_AT(&r, 11, SZ_4K, 0x20005000);
	GET_NONE(&r, 1, SZ_4K);
	region_cleanup(&r);
out:
	test_end("%s: 64K alignment is of the physical address (base %#llx)",
		 s->ops->name, ODD_BASE);
}

static void test_huge_alignment(const struct suite *s)
{
	struct region r;

	test_begin();
	if (region_init(&r, s, 0, 16)) {
		GET_AT(&r, 1, 1ULL << 40, 0);
		GET_NONE(&r, 1, 1ULL << 40);
		put(&r, 0, 1);
		GET_AT(&r, 16, 1ULL << 63, 0);
		put(&r, 0, 16);
		region_cleanup(&r);
	}
	if (region_init(&r, s, ODD_BASE, 16)) {
		GET_NONE(&r, 1, 1ULL << 40);
		GET_NONE(&r, 1, 1ULL << 63);
		GET_NONE(&r, 1, 0x20000000);
		GET_AT(&r, 1, SZ_64K, 0x20010000);
		GET_NONE(&r, 1, SZ_64K);
		region_cleanup(&r);
	}
	if (region_init(&r, s, 0x40000000, 16)) {
		GET_AT(&r, 2, 0x40000000, 0x40000000);
		GET_NONE(&r, 1, 0x40000000);
		GET_NONE(&r, 1, 1ULL << 63);
		region_cleanup(&r);
	}
	test_end("%s: alignments beyond the region only admit what they should",
		 s->ops->name);
}

/*
 * Allocate the region in pieces of @sizes pages and free the pieces with
 * a non-zero @keep_free flag, leaving those holes.  Pieces go in bits of
 * at most 128 pages (512 KiB), so that every allocator places them at the
 * bottom of what is left.  A hole's bits are freed in address order if
 * @in_order (as a device frees a buffer set), else the even ones first,
 * then the odd ones: segfit then sees frees that do not follow each other
 * (alloc_segfit.c, cmafw_segfit_free()) and weighs the joins.
 */
#define MAKE_HOLES_BIT	128

static bool make_holes_freed(struct region *r, const unsigned long *sizes,
			     const bool *keep_free, size_t n, bool in_order)
{
	unsigned long page = 0, bit, done, pass;
	size_t i;

	for (i = 0; i < n; i++) {
		for (done = 0; done < sizes[i]; done += bit) {
			bit = sizes[i] - done < MAKE_HOLES_BIT ?
			      sizes[i] - done : MAKE_HOLES_BIT;
			if (!GET_AT(r, bit, SZ_4K, page_addr(r, page)))
				return false;
			page += bit;
		}
	}
	for (i = 0, page = 0; i < n; page += sizes[i++]) {
		if (!keep_free[i])
			continue;
		for (pass = 0; pass < (in_order ? 1 : 2); pass++) {
			unsigned long k = 0;

			for (done = 0; done < sizes[i]; done += bit, k++) {
				bit = sizes[i] - done < MAKE_HOLES_BIT ?
				      sizes[i] - done : MAKE_HOLES_BIT;
				if (in_order || k % 2 == pass)
					put(r, page_addr(r, page + done), bit);
			}
		}
	}
	return true;
}

static bool make_holes(struct region *r, const unsigned long *sizes,
		       const bool *keep_free, size_t n)
{
	return make_holes_freed(r, sizes, keep_free, n, false);
}

static void test_fit_choice(const struct suite *s)
{
	/* Holes of 3, 1 and 2 pages at pages 0, 4 and 6. */
	static const unsigned long sizes[] = { 3, 1, 1, 1, 2, 8 };
	static const bool holes[] = { 1, 0, 1, 0, 1, 0 };
	struct region r;

	test_begin();
	if (!region_init(&r, s, ODD_BASE, 16))
		goto out;
	if (make_holes(&r, sizes, holes, 6)) {
		GET_AT(&r, 1, SZ_4K, page_addr(&r, s->best_fit ? 4 : 0));
		put(&r, page_addr(&r, s->best_fit ? 4 : 0), 1);
		GET_AT(&r, 2, SZ_4K, page_addr(&r, s->best_fit ? 6 : 0));
		put(&r, page_addr(&r, s->best_fit ? 6 : 0), 2);
		GET_AT(&r, 3, SZ_4K, page_addr(&r, 0));
		GET_NONE(&r, 3, SZ_4K);
	}
	region_cleanup(&r);
out:
	test_end("%s: holes of 3, 1, 2 pages; 1 page goes to the %s hole",
		 s->ops->name, s->best_fit ? "1-page" : "first");
}

static void test_equal_holes(const struct suite *s)
{
	/* Holes of 2 pages at pages 0, 5 and 9. */
	static const unsigned long sizes[] = { 2, 3, 2, 2, 2, 5 };
	static const bool holes[] = { 1, 0, 1, 0, 1, 0 };
	struct region r;

	test_begin();
	if (!region_init(&r, s, 0x20000000, 16))
		goto out;
	if (make_holes(&r, sizes, holes, 6)) {
		GET_AT(&r, 2, SZ_4K, page_addr(&r, 0));
		GET_AT(&r, 1, SZ_4K, page_addr(&r, 5));
		GET_AT(&r, 2, SZ_4K, page_addr(&r, 9));
		GET_AT(&r, 1, SZ_4K, page_addr(&r, 6));
		GET_NONE(&r, 1, SZ_4K);
	}
	region_cleanup(&r);
out:
	test_end("%s: among equal holes the lowest address wins", s->ops->name);
}

static void test_aligned_fit(const struct suite *s)
{
	/*
	 * At 0x20000000: holes of 6 pages at page 0, 2 at 7, 3 at 10 and 4
	 * at 14.  Of the small ones, only the 4-page hole holds 2 pages at a
	 * 16K boundary (0x20010000).
	 */
	static const unsigned long sizes[] = { 6, 1, 2, 1, 3, 1, 4, 14 };
	static const bool holes[] = { 1, 0, 1, 0, 1, 0, 1, 0 };
	struct region r;

	test_begin();
	if (!region_init(&r, s, 0x20000000, 32))
		goto out;
	if (make_holes(&r, sizes, holes, 8)) {
		GET_AT(&r, 2, SZ_16K, s->best_fit ? 0x20010000 : 0x20000000);
		GET_AT(&r, 2, SZ_16K, s->best_fit ? 0x20000000 : 0x20004000);
	}
	region_cleanup(&r);
out:
	test_end("%s: a hole too small once aligned is passed over",
		 s->ops->name);
}

static void test_coalescing(const struct suite *s)
{
	static const int orders[6][3] = {
		{ 1, 0, 2 }, { 1, 2, 0 }, { 0, 1, 2 },
		{ 0, 2, 1 }, { 2, 0, 1 }, { 2, 1, 0 },
	};
	struct region r;
	int o, i;

	test_begin();
	if (!region_init(&r, s, ODD_BASE, 12))
		goto out;
	for (o = 0; o < 6; o++) {
		for (i = 0; i < 3; i++)
			GET_AT(&r, 4, SZ_4K, page_addr(&r, 4 * i));
		for (i = 0; i < 3; i++)
			put(&r, page_addr(&r, 4 * orders[o][i]), 4);
		expect_all_free(&r);
	}
	region_cleanup(&r);
out:
	test_end("%s: three chunks freed in any order merge into one hole",
		 s->ops->name);
}

static void test_free_never_allocates(const struct suite *s)
{
	dma_addr_t addr[8];
	struct region r;
	long allocs;
	int i;

	test_begin();
	if (!region_init(&r, s, ODD_BASE, 16))
		goto out;
	for (i = 0; i < 8; i++) {
		addr[i] = page_addr(&r, 2 * i);
		GET_AT(&r, 2, SZ_4K, addr[i]);
	}
	allocs = shim_nr_allocs;
	shim_fail_in = 1;
	for (i = 0; i < 8; i += 2)	/* every free adds a hole */
		put(&r, addr[i], 2);
	for (i = 1; i < 8; i += 2)	/* every free merges holes */
		put(&r, addr[i], 2);
	shim_fail_in = 0;
	EXPECT(shim_nr_allocs == allocs);
	expect_all_free(&r);
	region_cleanup(&r);
out:
	test_end("%s: free() never allocates", s->ops->name);
}

/*
 * The bitmap allocates nothing per chunk.  The hole allocators need a node
 * for the hole a chunk's free may add, unless they have one to spare: a
 * fresh region has none, and a free leaves one.
 */
static void test_alloc_without_memory(const struct suite *s)
{
	bool holes = s->ops != &cmafw_bitmap_allocator;
	struct region r;
	dma_addr_t addr;
	int rc;

	test_begin();
	if (!region_init(&r, s, ODD_BASE, 16))
		goto out;
	shim_fail_in = 1;
	rc = get(&r, 2, SZ_4K, &addr);
	shim_fail_in = 0;
	if (holes)
		EXPECTF(rc == -ENOMEM, "fresh region: rc %d", rc);
	else if (EXPECTF(rc == 0 && addr == ODD_BASE, "fresh region: rc %d",
			 rc))
		put(&r, addr, 2);
	GET_AT(&r, 2, SZ_4K, ODD_BASE);
	GET_AT(&r, 2, SZ_4K, ODD_BASE + 2 * SZ_4K);
	put(&r, ODD_BASE, 2);
	shim_fail_in = 1;
	rc = get(&r, 1, SZ_4K, &addr);
	shim_fail_in = 0;
	if (EXPECTF(rc == 0 && addr == ODD_BASE, "after a free: rc %d", rc))
		put(&r, addr, 1);
	put(&r, ODD_BASE + 2 * SZ_4K, 2);
	expect_all_free(&r);
	region_cleanup(&r);
out:
	test_end("%s: when kmalloc fails, alloc() fails cleanly or needs none",
		 s->ops->name);
}

/*
 * The hole allocators keep CMAFW_HOLES_SPARE nodes beyond those their live
 * chunks need, and no more: frees after that return theirs, and the next
 * allocations take the spares before they allocate.
 */
static void test_spare_nodes(const struct suite *s)
{
	long live = shim_live_allocs, init, allocs;
	struct region r;
	int i;

	test_begin();
	if (!region_init(&r, s, ODD_BASE, 32))
		goto out;
	init = shim_live_allocs;
	for (i = 0; i < 20; i++)
		GET_AT(&r, 1, SZ_4K, page_addr(&r, i));
	EXPECTF(shim_live_allocs - init == 20, "20 chunks: %ld nodes more",
		shim_live_allocs - init);
	for (i = 0; i < 20; i++)
		put(&r, page_addr(&r, i), 1);
	EXPECTF(shim_live_allocs - init == CMAFW_HOLES_SPARE,
		"all freed: %ld nodes more", shim_live_allocs - init);
	allocs = shim_nr_allocs;
	for (i = 0; i < CMAFW_HOLES_SPARE; i++)
		GET_AT(&r, 1, SZ_4K, page_addr(&r, i));
	EXPECTF(shim_nr_allocs == allocs, "%ld allocations for %d chunks",
		shim_nr_allocs - allocs, CMAFW_HOLES_SPARE);
	GET_AT(&r, 1, SZ_4K, page_addr(&r, i));
	EXPECTF(shim_nr_allocs == allocs + 1,
		"%ld allocations for one chunk more", shim_nr_allocs - allocs);
	for (i = 0; i <= CMAFW_HOLES_SPARE; i++)
		put(&r, page_addr(&r, i), 1);
	expect_all_free(&r);
	region_cleanup(&r);
	EXPECT(shim_live_allocs == live);
out:
	test_end("%s: %d spare nodes kept, and used first", s->ops->name,
		 CMAFW_HOLES_SPARE);
}

#define TRACE_OPS	100000
#define TRACE_PAGES	1024

/* A page-per-byte picture of the region, for the random trace. */
struct model {
	dma_addr_t base;
	unsigned long pages;
	unsigned long free_pages;
	unsigned char *used;
	unsigned long chunks;
	struct model_frees frees;	/* segfit's view of the frees */
	/* a byte per MODEL_GRANULE pages: segfit's chunk starts */
	unsigned char *starts;
};

/* segfit's choice over the model's free extents. */
static bool model_find_segfit(const struct model *m, unsigned long nr,
			      dma_addr_t align, dma_addr_t *addr)
{
	static struct model_extent ext[TRACE_PAGES];
	unsigned long page = 0, n = 0;
	u64 pfn;

	while (page < m->pages) {
		if (m->used[page]) {
			page++;
			continue;
		}
		ext[n].pfn = m->base / PAGE_SIZE + page;
		while (page < m->pages && !m->used[page])
			page++;
		ext[n].pages = m->base / PAGE_SIZE + page - ext[n].pfn;
		n++;
	}
	if (!model_segfit(ext, n, m->starts, m->base / PAGE_SIZE,
			  m->base / PAGE_SIZE + m->pages, m->chunks,
			  model_frees_sets(&m->frees), nr, align / PAGE_SIZE,
			  &pfn))
		return false;
	*addr = pfn * PAGE_SIZE;
	return true;
}

/* Where the allocator should put @nr pages at @align, if anywhere. */
static bool model_find(const struct model *m, unsigned long nr,
		       dma_addr_t align, const struct suite *s,
		       dma_addr_t *addr)
{
	unsigned long page = 0, start, best_len = ~0UL;
	dma_addr_t first, end;
	bool found = false;

	if (s->segfit)
		return model_find_segfit(m, nr, align, addr);
	while (page < m->pages) {
		if (m->used[page]) {
			page++;
			continue;
		}
		start = page;
		while (page < m->pages && !m->used[page])
			page++;
		first = m->base + start * PAGE_SIZE;
		first = (first + align - 1) & ~(align - 1);
		end = m->base + page * PAGE_SIZE;
		if (first > end || end - first < nr * PAGE_SIZE)
			continue;
		if (!s->best_fit) {
			*addr = first;
			return true;
		}
		if (page - start < best_len) {
			best_len = page - start;
			*addr = first;
			found = true;
		}
	}
	return found;
}

/* Mark a chunk in the model; false if it is not inside or not free. */
static bool model_mark(struct model *m, dma_addr_t addr, unsigned long nr,
		       bool used)
{
	unsigned long first, i;

	if (addr < m->base || (addr - m->base) % PAGE_SIZE)
		return false;
	first = (addr - m->base) / PAGE_SIZE;
	if (first > m->pages || m->pages - first < nr)
		return false;
	for (i = first; i < first + nr; i++) {
		if (m->used[i] == used)
			return false;
		m->used[i] = used;
	}
	m->free_pages += used ? -nr : nr;
	m->chunks += used ? 1 : -1;
	m->starts[first / MODEL_GRANULE] = used;
	return true;
}

struct chunk {
	dma_addr_t addr;
	unsigned long pages;
};

/* Take single pages until none is left: as many as the model has free. */
static void check_free_sum(struct region *r, struct model *m, int op)
{
	static dma_addr_t taken[TRACE_PAGES];
	unsigned long n = 0, i;

	while (n < TRACE_PAGES && !get(r, 1, SZ_4K, &taken[n]))
		n++;
	EXPECTF(n == m->free_pages, "op %d: %lu free pages, model has %lu",
		op, n, m->free_pages);
	for (i = 0; i < n; i++) {
		put(r, taken[i], 1);
		model_frees_note(&m->frees, taken[i] / PAGE_SIZE, 1);
		/* Its start, set and cleared: that of any other chunk too. */
		m->starts[(taken[i] - m->base) / PAGE_SIZE / MODEL_GRANULE] = 0;
	}
}

static bool trace_alloc(struct region *r, struct model *m,
			struct chunk *chunks, unsigned long *nr_chunks,
			u64 *seed, int op)
{
	unsigned long pages = rand_below(seed, 10) < 8 ?
			      1 + rand_below(seed, 8) :
			      1 + rand_below(seed, 64);
	/* Now and then a larger one, where segfit's rules differ. */
	if (r->suite->segfit && rand_below(seed, 64) == 0)
		pages = 100 + rand_below(seed, 600);
	dma_addr_t align = rand_below(seed, 10) < 5 ? SZ_4K :
			   SZ_4K << rand_below(seed, 7);
	bool inject = rand_below(seed, 100) == 0;
	dma_addr_t want, addr;
	bool fits = model_find(m, pages, align, r->suite, &want);
	int rc;

	shim_fail_in = inject;
	rc = get(r, pages, align, &addr);
	shim_fail_in = 0;
	if (inject && rc == -ENOMEM && fits)
		rc = get(r, pages, align, &addr);	/* nothing changed */

	if (!fits)
		return EXPECTF(rc == -ENOMEM,
			       "op %d: %lu pages align %#llx: rc %d, want -ENOMEM",
			       op, pages, (unsigned long long)align, rc);
	if (!EXPECTF(rc == 0 && addr == want,
		     "op %d: %lu pages align %#llx: rc %d addr %#llx, want %#llx",
		     op, pages, (unsigned long long)align, rc,
		     (unsigned long long)addr, (unsigned long long)want))
		return false;
	if (!EXPECTF(!(addr & (align - 1)) && model_mark(m, addr, pages, true),
		     "op %d: chunk %#llx+%lu pages misaligned, outside or overlapping",
		     op, (unsigned long long)addr, pages))
		return false;
	chunks[(*nr_chunks)++] = (struct chunk){ addr, pages };
	return true;
}

static void test_random_trace(const struct suite *s)
{
	static struct chunk chunks[TRACE_PAGES];
	static unsigned char used[TRACE_PAGES];
	static unsigned char starts[TRACE_PAGES / MODEL_GRANULE];
	struct model m = {
		.base = ODD_BASE, .pages = TRACE_PAGES,
		.free_pages = TRACE_PAGES, .used = used, .starts = starts,
	};
	unsigned long nr_chunks = 0, max_chunks = 0, nr_allocs = 0;
	long live = shim_live_allocs, allocs;
	u64 seed = 0xc0ffee;
	struct region r;
	bool ok = true;
	int op;

	test_begin();
	memset(used, 0, sizeof(used));
	memset(starts, 0, sizeof(starts));
	if (!region_init(&r, s, ODD_BASE, TRACE_PAGES))
		goto out;
	for (op = 0; op < TRACE_OPS && ok; op++) {
		if (!nr_chunks || rand_below(&seed, 100) < 55) {
			ok = trace_alloc(&r, &m, chunks, &nr_chunks, &seed, op);
			nr_allocs++;
		} else {
			unsigned long i = rand_below(&seed, nr_chunks);

			allocs = shim_nr_allocs;
			put(&r, chunks[i].addr, chunks[i].pages);
			model_frees_note(&m.frees, chunks[i].addr / PAGE_SIZE,
					 chunks[i].pages);
			ok = EXPECTF(shim_nr_allocs == allocs,
				     "op %d: free() allocated", op) &&
			     EXPECT(model_mark(&m, chunks[i].addr,
					       chunks[i].pages, false));
			chunks[i] = chunks[--nr_chunks];
		}
		/*
		 * A node per live chunk plus one, and the spares; the set,
		 * segfit's state and its chunk starts.
		 */
		ok &= EXPECTF(shim_live_allocs - live <=
			      (long)nr_chunks + 5 + CMAFW_HOLES_SPARE,
			      "op %d: %ld allocations for %lu chunks", op,
			      shim_live_allocs - live, nr_chunks);
		if (nr_chunks > max_chunks)
			max_chunks = nr_chunks;
		if (op % 10000 == 9999)
			check_free_sum(&r, &m, op);
	}
	while (nr_chunks) {
		nr_chunks--;
		put(&r, chunks[nr_chunks].addr, chunks[nr_chunks].pages);
	}
	expect_all_free(&r);
	region_cleanup(&r);
	EXPECT(shim_live_allocs == live);
out:
	test_end("%s: %d random ops (%lu allocs, up to %lu chunks) match the model",
		 s->ops->name, TRACE_OPS, nr_allocs, max_chunks);
}

/* segfit: small requests low, larger ones by end and by cost. */
static void test_segfit_ends(const struct suite *s)
{
	struct region r;

	test_begin();
	/*
	 * Up to 0x20402000: 1025 pages.  With one chunk live, the next frees
	 * surely take a new chunk, which gives back whatever room it cut:
	 * larger requests cost nothing anywhere, and ties decide.
	 */
	if (!region_init(&r, s, ODD_BASE, 1025))
		goto out;
	GET_AT(&r, 1, SZ_4K, ODD_BASE);
	/* 2 MiB: the hole's last 1 MiB boundary, which leaves the smaller sliver. */
	GET_AT(&r, 512, SZ_1M, 0x20200000);
	/* Above 512 KiB, under 2 MiB: the bottom of its only hole. */
	GET_AT(&r, 200, SZ_4K, ODD_BASE + SZ_4K);
	/* Below 64 KiB: the smallest hole (2 pages), not the lowest (310). */
	GET_AT(&r, 2, SZ_4K, 0x20400000);
	put(&r, 0x20400000, 2);
	put(&r, ODD_BASE + SZ_4K, 200);
	put(&r, 0x20200000, 512);
	put(&r, ODD_BASE, 1);
	expect_all_free(&r);
	region_cleanup(&r);
out:
	test_end("%s: 2 MiB and up at a hole's top, less at its bottom",
		 s->ops->name);
}

static void test_segfit_low_holes(const struct suite *s)
{
	/*
	 * Sixteen 64 KiB holes 64 KiB apart, then holes of 256 and 128 KiB
	 * 64 KiB apart.
	 */
	unsigned long sizes[35];
	bool holes[35];
	struct region r;
	int i;

	for (i = 0; i < 32; i++) {
		sizes[i] = 16;
		holes[i] = !(i & 1);
	}
	sizes[32] = 64;
	holes[32] = true;
	sizes[33] = 16;
	holes[33] = false;
	sizes[34] = 32;
	holes[34] = true;
	test_begin();
	if (!region_init(&r, s, 0x20000000, 624))
		goto out;
	if (make_holes(&r, sizes, holes, 35)) {
		/* None of the first 16 holds 128K: the smallest that does. */
		GET_AT(&r, 32, SZ_4K, page_addr(&r, 592));
		GET_AT(&r, 32, SZ_4K, page_addr(&r, 512));
		/* 64 KiB: the lowest hole, though all are as small. */
		GET_AT(&r, 16, SZ_4K, page_addr(&r, 0));
		/* Now the 16th hole holds 128K: the lowest that does. */
		GET_AT(&r, 32, SZ_4K, page_addr(&r, 544));
		GET_NONE(&r, 32, SZ_4K);
	}
	region_cleanup(&r);
	/* Holes of 128 and 64 KiB: 64 KiB goes to the lower, larger one. */
	if (region_init(&r, s, 0x20000000, 64)) {
		static const unsigned long two_sizes[] = { 32, 16, 16 };
		static const bool two_holes[] = { 1, 0, 1 };

		if (make_holes(&r, two_sizes, two_holes, 3))
			GET_AT(&r, 16, SZ_4K, page_addr(&r, 0));
		region_cleanup(&r);
	}
out:
	test_end("%s: 64-512 KiB: the lowest of the first 16 holes, else the best fit",
		 s->ops->name);
}

static void test_segfit_cost(const struct suite *s)
{
	/* At 0x20000000: holes of 9 MiB and of 10 MiB, 1 MiB apart. */
	static const unsigned long sizes[] = { 2304, 256, 2560 };
	static const bool holes[] = { 1, 0, 1 };
	struct region r;

	test_begin();
	if (!region_init(&r, s, 0x20000000, 5120))
		goto out;
	if (make_holes(&r, sizes, holes, 3)) {
		/*
		 * 2 MiB in the 9 MiB hole would leave no room for an 8 MiB
		 * buffer; at the top of the 10 MiB one it leaves an 8 MiB run.
		 */
		GET_AT(&r, 512, SZ_1M, 0x21200000);
		/*
		 * 6 MiB cuts as much room from the 9 MiB hole as from the
		 * 8 MiB one, but freeing the 2 MiB chunk above the 8 MiB hole
		 * would give it back 10 MiB, which 6 MiB there would spoil:
		 * the 9 MiB hole, at its top (2 MiB and up win ties there).
		 */
		GET_AT(&r, 1536, SZ_1M, 0x20300000);
		/*
		 * 1 MiB cuts less room from the 3 MiB hole left than from the
		 * 8 MiB one, and at its top it would take 1 MiB of the 8 MiB
		 * that freeing the 6 MiB chunk above gives back: the bottom of
		 * the 3 MiB hole.
		 */
		GET_AT(&r, 256, SZ_1M, 0x20000000);
	}
	region_cleanup(&r);
out:
	test_end("%s: a larger request goes where it cuts the least room for frames",
		 s->ops->name);
}

/*
 * A region of @pages pages at 0x20000000 laid out as @sizes (free where
 * @holes says), then one request of @nr pages at @align, which must land
 * at @want.
 */
static void segfit_lands(const struct suite *s, unsigned long pages,
			 const unsigned long *sizes, const bool *holes,
			 size_t n, unsigned long nr, dma_addr_t align,
			 dma_addr_t want)
{
	struct region r;

	if (!region_init(&r, s, 0x20000000, pages))
		return;
	if (make_holes(&r, sizes, holes, n))
		GET_AT(&r, nr, align, want);
	region_cleanup(&r);
}

static void test_segfit_choices(const struct suite *s)
{
	/* Four 6 MiB holes 1 MiB apart, then a 10 MiB one. */
	static const unsigned long sizes[] = {
		1536, 256, 1536, 256, 1536, 256, 1536, 256, 2560,
	};
	static const bool holes[] = { 1, 0, 1, 0, 1, 0, 1, 0, 1 };

	test_begin();
	/*
	 * 2 MiB cuts an RGB frame's room from each 6 MiB hole and cuts less
	 * from the 10 MiB hole, but only the 4 smallest holes that fit are
	 * weighed.  Between two holes lie two chunks of 512 KiB
	 * (make_holes()), so the holes cost the same but for the lowest,
	 * which starts the region: at its bottom 2 MiB leaves its 4 MiB
	 * leftover against the chunk above, which once freed would make it
	 * hold one more 720p frame; at its top, no chunk below could.
	 */
	segfit_lands(s, 9728, sizes, holes, ARRAY_SIZE(sizes), 512, SZ_1M,
		     0x20000000);
	test_end("%s: a larger request weighs the 4 smallest holes that fit",
		 s->ops->name);
}

/* test_segfit_cost's holes, freed as buffer sets are: best fit. */
static void test_segfit_sets(const struct suite *s)
{
	static const unsigned long sizes[] = { 2304, 256, 2560 };
	static const bool holes[] = { 1, 0, 1 };
	struct region r;

	test_begin();
	if (!region_init(&r, s, 0x20000000, 5120))
		goto out;
	/*
	 * Each hole's bits freed one after the other: segfit takes the
	 * frees for sets and places by best fit, so 2 MiB goes to the
	 * bottom of the 9 MiB hole, not to the top of the 10 MiB one where
	 * it would cut no run (test_segfit_cost()).
	 */
	if (make_holes_freed(&r, sizes, holes, ARRAY_SIZE(sizes), true))
		GET_AT(&r, 512, SZ_1M, 0x20000000);
	region_cleanup(&r);
out:
	test_end("%s: frees that come in sets turn placement to best fit",
		 s->ops->name);
}

static void test_segfit_coarse_ends(const struct suite *s)
{
	/* A 64 KiB chunk, then 4 MiB less it free. */
	static const unsigned long sizes[] = { 16, 1008 };
	static const bool holes[] = { 0, 1 };

	test_begin();
	/*
	 * With one chunk live, 1.5 MiB at 64 KiB alignment costs nothing
	 * anywhere (test_segfit_ends()).  Its 1 MiB
	 * aligned ends win the tie over its own, and the higher of the two
	 * leaves the smaller sliver (512 KiB, not 960 KiB).
	 */
	segfit_lands(s, 1024, sizes, holes, ARRAY_SIZE(sizes), 384, SZ_64K,
		     0x20200000);
	test_end("%s: from 1 MiB up, 1 MiB aligned ends are weighed and win ties",
		 s->ops->name);
}

static void test_segfit_alike(const struct suite *s)
{
	/* A 64 KiB chunk, free 832 KiB, a 512 KiB chunk, free 864 KiB. */
	static const unsigned long sizes[] = { 16, 208, 128, 216 };
	static const bool holes[] = { 0, 1, 0, 1 };

	test_begin();
	/*
	 * 544 KiB, 64 KiB aligned.  Neither hole holds a 720p frame, and
	 * the lower one, the smaller, costs nothing at either end, which ends
	 * the search there.  At its top (page 80) 544 KiB lands against the
	 * 512 KiB chunk, which is about its size: that wins over the bottom,
	 * which the lower start would win in a plain tie.
	 */
	segfit_lands(s, 568, sizes, holes, ARRAY_SIZE(sizes), 136, SZ_64K,
		     0x20000000 + 80 * PAGE_SIZE);
	test_end("%s: a larger request lands against a neighbour of about its size",
		 s->ops->name);
}

static void run_suite(const struct suite *s)
{
	test_init(s);
	test_fill_pages(s);
	test_fill_mixed(s);
	test_bad_sizes(s);
	test_alignment(s);
	test_huge_alignment(s);
	test_fit_choice(s);
	test_equal_holes(s);
	test_aligned_fit(s);
	test_coalescing(s);
	test_free_never_allocates(s);
	test_alloc_without_memory(s);
	if (s->ops != &cmafw_bitmap_allocator)
		test_spare_nodes(s);
	if (s->segfit) {
		test_segfit_ends(s);
		test_segfit_low_holes(s);
		test_segfit_cost(s);
		test_segfit_choices(s);
		test_segfit_sets(s);
		test_segfit_coarse_ends(s);
		test_segfit_alike(s);
	}
	test_random_trace(s);
}

void test_alloc(void)
{
	static const struct suite suites[] = {
		{ &cmafw_bitmap_allocator, false, false, 2 },
		{ &cmafw_bestfit_allocator, true, false, 3 },
		{ &cmafw_segfit_allocator, true, true, 5 },
	};
	static const char *const names[] = { "bitmap", "bestfit", "segfit" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(suites); i++) {
		test_begin();
		EXPECT(!strcmp(suites[i].ops->name, names[i]));
		test_end("allocator named \"%s\"", suites[i].ops->name);
		run_suite(&suites[i]);
	}
}
