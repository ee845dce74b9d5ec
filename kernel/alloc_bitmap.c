// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: the "bitmap" allocator.
 *
 * One bit per page, set while the page is allocated; a request takes the
 * lowest suitably aligned run of free pages (first fit).
 *
 * Two summary bits per bitmap word make the search skip what it need not
 * look at: "full" is set while every page of the word is allocated,
 * "empty" while none is.  A search for a fit walks only the words that
 * are neither full nor inside a free run it is measuring, and tests a
 * whole word at once: the aligned starts of runs of @nr free pages within
 * a word are found with a few shifts, a run reaching the word's top is
 * carried into the next words, and the words a long run covers are
 * crossed through the "empty" summary.  The bits past the region's last
 * page are kept set, so no run reaches beyond it.
 */

#define pr_fmt(fmt) "cmafw: " fmt

#include <linux/bitops.h>
#include <linux/err.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "alloc.h"

/**
 * struct bitmap_region - the allocator's state for one region.
 * @used:	one bit per page, set while the page is allocated; the bits
 *		past the last page are set.
 * @full:	one bit per word of @used, set while the word is all ones.
 * @empty:	one bit per word of @used, set while the word is all zeroes.
 * @base_pfn:	page frame number of the region's first page.
 * @pages:	number of pages in the region.
 * @words:	number of words in @used.
 */
struct bitmap_region {
	unsigned long *used;
	unsigned long *full;
	unsigned long *empty;
	unsigned long base_pfn;
	unsigned long pages;
	unsigned long words;
};

#define WORD_BITS	BITS_PER_LONG
#define NR_WORDS(bits)	(((bits) + WORD_BITS - 1) / WORD_BITS)

static void bitmap_summarise(struct bitmap_region *r, unsigned long w)
{
	unsigned long bit = 1UL << (w % WORD_BITS);
	unsigned long *full = &r->full[w / WORD_BITS];
	unsigned long *empty = &r->empty[w / WORD_BITS];

	if (r->used[w] == ~0UL)
		*full |= bit;
	else
		*full &= ~bit;
	if (!r->used[w])
		*empty |= bit;
	else
		*empty &= ~bit;
}

/* Set (@set) or clear @nr bits of @used from @start, and the summaries. */
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
		bitmap_summarise(r, w);
	}
}

/* The first clear bit of summary @map at or after @w, or r->words. */
static unsigned long summary_next_clear(const struct bitmap_region *r,
					const unsigned long *map,
					unsigned long w)
{
	unsigned long i = w / WORD_BITS, bits;

	if (w >= r->words)
		return r->words;
	bits = ~map[i] & (~0UL << (w % WORD_BITS));
	while (!bits) {
		if (++i >= NR_WORDS(r->words))
			return r->words;
		bits = ~map[i];
	}
	w = i * WORD_BITS + __ffs(bits);
	return w < r->words ? w : r->words;
}

/* The first free page at or after @pos, or r->pages. */
static unsigned long bitmap_next_free(const struct bitmap_region *r,
				      unsigned long pos)
{
	unsigned long w = pos / WORD_BITS, bits;

	if (pos >= r->pages)
		return r->pages;
	bits = ~r->used[w] & (~0UL << (pos % WORD_BITS));
	if (!bits) {
		w = summary_next_clear(r, r->full, w + 1);
		if (w >= r->words)
			return r->pages;
		bits = ~r->used[w];
	}
	return w * WORD_BITS + __ffs(bits);
}

/* The first used page in [@start, @end), or @end; @start < @end. */
static unsigned long bitmap_first_used(const struct bitmap_region *r,
				       unsigned long start, unsigned long end)
{
	unsigned long w = start / WORD_BITS, last = (end - 1) / WORD_BITS;
	unsigned long bits = r->used[w] & (~0UL << (start % WORD_BITS));

	if (w < last && !bits) {
		/* The words in between: the first that is not empty. */
		w = summary_next_clear(r, r->empty, w + 1);
		if (w > last)
			return end;
		bits = r->used[w];
	}
	if (w == last && end % WORD_BITS)
		bits &= ~0UL >> (WORD_BITS - end % WORD_BITS);
	return bits ? w * WORD_BITS + __ffs(bits) : end;
}

/* The lowest index >= @pos with (@off + index) & @mask == 0. */
static unsigned long align_up(unsigned long pos, unsigned long mask,
			      unsigned long off)
{
	return ((pos + off + mask) & ~mask) - off;
}

/*
 * First fit for any alignment: from the first free page, align, and test
 * the range; on a used page, start again after it.  Each round moves past
 * a used page, and free and empty words are crossed through the summaries.
 */
static unsigned long bitmap_search_sparse(const struct bitmap_region *r,
					  unsigned long nr, unsigned long mask,
					  unsigned long off)
{
	unsigned long pos = 0, start, used;

	for (;;) {
		start = bitmap_next_free(r, pos);
		if (start >= r->pages)
			return r->pages;
		start = align_up(start, mask, off);
		if (start > r->pages || r->pages - start < nr)
			return r->pages;
		used = bitmap_first_used(r, start, start + nr);
		if (used == start + nr)
			return start;
		pos = used + 1;
	}
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

/*
 * First fit for an alignment of at most a word's pages, a word at a time.
 * @pattern has bit i set iff bit i of any word is an aligned page.  @carry
 * is the start of a free run that reaches the current word, if @in_run.
 */
static unsigned long bitmap_search_dense(const struct bitmap_region *r,
					 unsigned long nr, unsigned long mask,
					 unsigned long off,
					 unsigned long pattern)
{
	unsigned long w = 0, carry = 0, x, low, start, fits;
	bool in_run = false;

	while (w < r->words) {
		if (!in_run && r->used[w] == ~0UL) {
			w = summary_next_clear(r, r->full, w + 1);
			continue;
		}
		x = ~r->used[w];
		if (in_run) {
			/* The carried run goes on through the word's low free bits. */
			low = x == ~0UL ? WORD_BITS : __ffs(~x);
			start = align_up(carry, mask, off);
			if (start + nr <= w * WORD_BITS + low)
				return start;
			if (low == WORD_BITS) {
				/* Cross the free words after this one at once. */
				w = summary_next_clear(r, r->empty, w + 1);
				continue;
			}
			in_run = false;
		}
		if (nr <= WORD_BITS) {
			fits = word_runs(x, nr) & pattern;
			if (fits)
				return w * WORD_BITS + __ffs(fits);
		}
		if (x >> (WORD_BITS - 1)) {
			/* A free run reaches the top: carry it on. */
			in_run = true;
			carry = x == ~0UL ? w * WORD_BITS :
				(__fls(~x) + 1) + w * WORD_BITS;
		}
		w++;
	}
	if (in_run) {
		/* The run reached the region's end, a word boundary. */
		start = align_up(carry, mask, off);
		if (start + nr <= r->pages)
			return start;
	}
	return r->pages;
}

static void *cmafw_bitmap_init(dma_addr_t base, size_t size)
{
	unsigned long pages = size >> PAGE_SHIFT;
	unsigned long words, sum, w;
	struct bitmap_region *r;

	/* Bit indices stay within an unsigned int, as lib/bitmap's do. */
	if (!pages || (unsigned int)pages != pages)
		return ERR_PTR(-EINVAL);

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return ERR_PTR(-ENOMEM);
	words = NR_WORDS(pages);
	sum = NR_WORDS(words);
	/* Apart: together they would round up to twice the bitmap's slab. */
	r->used = kcalloc(words, sizeof(unsigned long), GFP_KERNEL);
	r->full = kcalloc(2 * sum, sizeof(unsigned long), GFP_KERNEL);
	if (!r->used || !r->full) {
		kfree(r->full);
		kfree(r->used);
		kfree(r);
		return ERR_PTR(-ENOMEM);
	}
	r->empty = r->full + sum;
	r->base_pfn = base >> PAGE_SHIFT;
	r->pages = pages;
	r->words = words;
	if (pages % WORD_BITS)
		r->used[words - 1] = ~0UL << (pages % WORD_BITS);
	for (w = 0; w < words; w++)
		bitmap_summarise(r, w);
	return r;
}

static void cmafw_bitmap_cleanup(void *priv)
{
	struct bitmap_region *r = priv;

	kfree(r->full);
	kfree(r->used);
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
	unsigned long nr = size >> PAGE_SHIFT;
	unsigned long mask = align_in_pages(align, r->base_pfn + r->pages) - 1;
	/* Index i is aligned iff (off + i) & mask == 0. */
	unsigned long off = r->base_pfn & mask, pattern, index;

	if (!nr)
		return -EINVAL;
	if (nr > r->pages)
		return -ENOMEM;

	if (mask < WORD_BITS) {
		pattern = 1UL << ((WORD_BITS - off) & mask);
		for (index = mask + 1; index < WORD_BITS; index <<= 1)
			pattern |= pattern << index;
		index = bitmap_search_dense(r, nr, mask, off, pattern);
	} else {
		index = bitmap_search_sparse(r, nr, mask, off);
	}
	if (index >= r->pages)
		return -ENOMEM;

	bitmap_mark(r, index, nr, true);
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
