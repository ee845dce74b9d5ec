// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: a region's free extents as maximal holes, for the allocators that
 * place by hole.
 *
 * Each hole is kept in two rbtrees: by address, to find the neighbours a
 * freed chunk merges with, and by (size, address), to find the holes that
 * can hold a request.  The allocator picks the hole and the page; this
 * file carves and merges.
 *
 * free() cannot fail, so it must not allocate.  Each hole needs a node, and
 * a free with no free neighbour adds a hole.  There are never more holes
 * than live chunks plus one, so at least that many nodes are kept: taking
 * a chunk allocates a node before it commits if the set has no more than
 * that yet.  Nodes that are not holes wait on a list of spares, and giving
 * a chunk back frees one only when more than CMAFW_HOLES_SPARE are left
 * over: a region that churns, a free then an allocation, goes to the slab
 * cache only now and then.  (In a guest under TCG, the slab calls took a
 * quarter of bestfit's allocation and a fifth of its free.)
 *
 * The nodes come from a slab cache of their own, so that each costs its
 * 56 bytes and not kmalloc-64's.  The cache lives while some region uses
 * it: the first cmafw_holes_new() makes it, the last cmafw_holes_destroy()
 * destroys it, so that neither the module nor the userspace tests (which
 * build this very file) need a hook of their own.
 */

#include <linux/align.h>
#include <linux/err.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>

#include "alloc_holes.h"

/*
 * The benchmark module builds this file too (bench/bench_alloc_bestfit.c)
 * and names its own cache, so that the two never share a name.
 */
#ifndef CMAFW_HOLE_CACHE
#define CMAFW_HOLE_CACHE "cmafw_hole"
#endif

/*
 * The node cache and the number of sets using it, under the lock.  It is
 * taken only around the cache's creation and destruction, from a region's
 * init and cleanup (under cmafw_rwsem in the framework), and takes only
 * the slab allocator's locks inside.  While a set exists the cache does,
 * so taking and freeing nodes needs no lock of its own.
 */
static DEFINE_MUTEX(cmafw_hole_cache_lock);
static struct kmem_cache *cmafw_hole_cache;
static unsigned int cmafw_hole_cache_users;

static int cmafw_hole_cache_get(void)
{
	int ret = 0;

	mutex_lock(&cmafw_hole_cache_lock);
	if (!cmafw_hole_cache_users) {
		cmafw_hole_cache = kmem_cache_create(CMAFW_HOLE_CACHE,
						     sizeof(struct cmafw_hole),
						     __alignof__(struct cmafw_hole),
						     0, NULL);
		if (!cmafw_hole_cache)
			ret = -ENOMEM;
	}
	if (!ret)
		cmafw_hole_cache_users++;
	mutex_unlock(&cmafw_hole_cache_lock);
	return ret;
}

/* Every node of the set has been freed. */
static void cmafw_hole_cache_put(void)
{
	mutex_lock(&cmafw_hole_cache_lock);
	if (!--cmafw_hole_cache_users) {
		kmem_cache_destroy(cmafw_hole_cache);
		cmafw_hole_cache = NULL;
	}
	mutex_unlock(&cmafw_hole_cache_lock);
}

static bool addr_less(struct rb_node *a, const struct rb_node *b)
{
	return cmafw_hole_of(a, by_addr)->off < cmafw_hole_of(b, by_addr)->off;
}

static bool size_less(struct rb_node *a, const struct rb_node *b)
{
	const struct cmafw_hole *x = cmafw_hole_of(a, by_size);
	const struct cmafw_hole *y = cmafw_hole_of(b, by_size);

	return x->pages < y->pages || (x->pages == y->pages && x->off < y->off);
}

static void put_spare(struct cmafw_holes *h, struct cmafw_hole *hole)
{
	hole->next_spare = h->spares;
	h->spares = hole;
}

static struct cmafw_hole *take_spare(struct cmafw_holes *h)
{
	struct cmafw_hole *hole = h->spares;

	h->spares = hole->next_spare;
	return hole;
}

/* A hole lies within the region: its page offset and length fit a u32. */
static void set_hole(const struct cmafw_holes *h, struct cmafw_hole *hole,
		     unsigned long pfn, unsigned long pages)
{
	hole->off = pfn - h->base_pfn;
	hole->pages = pages;
}

static void add_hole(struct cmafw_holes *h, struct cmafw_hole *hole,
		     unsigned long pfn, unsigned long pages)
{
	set_hole(h, hole, pfn, pages);
	rb_add(&hole->by_addr, &h->by_addr, addr_less);
	rb_add(&hole->by_size, &h->by_size, size_less);
}

static void remove_hole(struct cmafw_holes *h, struct cmafw_hole *hole)
{
	rb_erase(&hole->by_addr, &h->by_addr);
	rb_erase(&hole->by_size, &h->by_size);
	put_spare(h, hole);
}

/* The hole keeps its place by address: no other hole lies in between. */
static void resize_hole(struct cmafw_holes *h, struct cmafw_hole *hole,
			unsigned long pfn, unsigned long pages)
{
	rb_erase(&hole->by_size, &h->by_size);
	set_hole(h, hole, pfn, pages);
	rb_add(&hole->by_size, &h->by_size, size_less);
}

/**
 * cmafw_holes_new() - the free extents of a new, empty region.
 * @base:	the region's physical start, page aligned.
 * @size:	its size, whole pages: at least one, fewer than 2^32.
 *
 * Return: the set, one hole spanning the region, or an ERR_PTR():
 * -EINVAL for a size out of range, -ENOMEM.
 */
struct cmafw_holes *cmafw_holes_new(dma_addr_t base, size_t size)
{
	unsigned long pages = size >> PAGE_SHIFT;
	struct cmafw_holes *h;
	struct cmafw_hole *hole;
	int ret;

	/* Holes count their pages in a u32 (struct cmafw_hole). */
	if (!pages || (u32)pages != pages)
		return ERR_PTR(-EINVAL);
	ret = cmafw_hole_cache_get();
	if (ret)
		return ERR_PTR(ret);

	h = kzalloc(sizeof(*h), GFP_KERNEL);
	hole = kmem_cache_zalloc(cmafw_hole_cache, GFP_KERNEL);
	if (!h || !hole) {
		if (hole)
			kmem_cache_free(cmafw_hole_cache, hole);
		kfree(h);
		cmafw_hole_cache_put();
		return ERR_PTR(-ENOMEM);
	}
	h->by_addr = RB_ROOT;
	h->by_size = RB_ROOT;
	h->base_pfn = base >> PAGE_SHIFT;
	h->end_pfn = (base >> PAGE_SHIFT) + pages;
	h->nodes = 1;
	add_hole(h, hole, base >> PAGE_SHIFT, pages);
	return h;
}

/**
 * cmafw_holes_destroy() - free a set whose region holds no chunks.
 * @h:	the set.
 */
void cmafw_holes_destroy(struct cmafw_holes *h)
{
	struct rb_node *node;

	while ((node = rb_first(&h->by_addr)))
		remove_hole(h, cmafw_hole_of(node, by_addr));
	while (h->spares)
		kmem_cache_free(cmafw_hole_cache, take_spare(h));
	kfree(h);
	cmafw_hole_cache_put();
}

/**
 * cmafw_holes_align() - an alignment in pages, safe for page arithmetic.
 * @h:		the set.
 * @align:	a power of two, at least PAGE_SIZE.
 *
 * An alignment above the region's end admits only page 0, as does any
 * power of two at least that end, so it is lowered to one: this keeps the
 * page arithmetic from overflowing.
 *
 * Return: @align in pages, so lowered.
 */
unsigned long cmafw_holes_align(const struct cmafw_holes *h, dma_addr_t align)
{
	if (align >> PAGE_SHIFT > h->end_pfn)
		return roundup_pow_of_two(h->end_pfn);
	return align >> PAGE_SHIFT;
}

/**
 * cmafw_holes_smallest() - the first hole, in size order, of @nr pages up.
 * @h:		the set.
 * @nr:		pages wanted.
 *
 * A descent of the size tree: O(log n).  rb_next() on the result walks
 * the larger holes, smallest first, the lowest first among equals.
 *
 * Return: the hole's node in &cmafw_holes.by_size, or NULL if every hole
 * is smaller.
 */
struct rb_node *cmafw_holes_smallest(const struct cmafw_holes *h,
				     unsigned long nr)
{
	struct rb_node *node = h->by_size.rb_node, *smallest = NULL;

	while (node) {
		if (cmafw_hole_of(node, by_size)->pages >= nr) {
			smallest = node;
			node = node->rb_left;
		} else {
			node = node->rb_right;
		}
	}
	return smallest;
}

/**
 * cmafw_holes_best_fit() - the smallest hole that holds an aligned run.
 * @h:		the set.
 * @nr:		pages wanted.
 * @align:	their alignment in pages, a power of two (cmafw_holes_align()).
 * @top:	place at the hole's last aligned start, not its first.
 * @pfn:	set to the run's first page.
 *
 * Among holes of equal size the lowest wins.  Holes smaller than @nr are
 * skipped by a descent of the size tree.  From there a hole may still be
 * too small once aligned, but any hole of at least @nr + @align - 1 pages
 * fits, so the walk visits only the holes of @nr to @nr + @align - 2
 * pages before it succeeds or runs out: O(log n) plus that number of
 * holes, and just O(log n) for an alignment of one page.
 *
 * Return: the hole, or NULL if none holds the run.
 */
struct cmafw_hole *cmafw_holes_best_fit(const struct cmafw_holes *h,
					unsigned long nr, unsigned long align,
					bool top, unsigned long *pfn)
{
	struct rb_node *node;

	for (node = cmafw_holes_smallest(h, nr); node; node = rb_next(node)) {
		struct cmafw_hole *hole = cmafw_hole_of(node, by_size);

		if (cmafw_holes_fit(h, hole, nr, align, top, pfn))
			return hole;
	}
	return NULL;
}

/**
 * cmafw_holes_take() - allocate [@pfn, @pfn + @nr) out of @hole.
 * @h:		the set.
 * @hole:	a hole that holds the range.
 * @pfn:	the range's first page.
 * @nr:		its pages.
 *
 * Return: 0, or -ENOMEM (nothing changed) when the node a later
 * cmafw_holes_give() of this range may need cannot be allocated.
 */
int cmafw_holes_take(struct cmafw_holes *h, struct cmafw_hole *hole,
		     unsigned long pfn, unsigned long nr)
{
	unsigned long start = cmafw_hole_pfn(h, hole);
	unsigned long head = pfn - start;
	unsigned long tail = hole->pages - head - nr;

	/* A node for the hole that giving this chunk back may add. */
	if (h->nodes < h->chunks + 2) {
		struct cmafw_hole *spare = kmem_cache_zalloc(cmafw_hole_cache,
							     GFP_KERNEL);

		if (!spare)
			return -ENOMEM;
		put_spare(h, spare);
		h->nodes++;
	}

	if (head && tail) {
		add_hole(h, take_spare(h), pfn + nr, tail);
		resize_hole(h, hole, start, head);
	} else if (head) {
		resize_hole(h, hole, start, head);
	} else if (tail) {
		resize_hole(h, hole, pfn + nr, tail);
	} else {
		remove_hole(h, hole);
	}
	h->chunks++;
	return 0;
}

/**
 * cmafw_holes_give() - free [@pfn, @pfn + @nr), taken before; cannot fail.
 * @h:		the set.
 * @pfn:	the range's first page.
 * @nr:		its pages.
 */
void cmafw_holes_give(struct cmafw_holes *h, unsigned long pfn,
		      unsigned long nr)
{
	struct rb_node *node = h->by_addr.rb_node;
	struct cmafw_hole *prev = NULL, *next = NULL;
	unsigned long off = pfn - h->base_pfn;
	bool join_prev, join_next;

	while (node) {
		struct cmafw_hole *hole = cmafw_hole_of(node, by_addr);

		if (hole->off < off) {
			prev = hole;
			node = node->rb_right;
		} else {
			next = hole;
			node = node->rb_left;
		}
	}
	join_prev = prev && (unsigned long)prev->off + prev->pages == off;
	join_next = next && next->off == off + nr;

	if (join_prev && join_next) {
		resize_hole(h, prev, cmafw_hole_pfn(h, prev),
			    prev->pages + nr + next->pages);
		remove_hole(h, next);
	} else if (join_prev) {
		resize_hole(h, prev, cmafw_hole_pfn(h, prev), prev->pages + nr);
	} else if (join_next) {
		resize_hole(h, next, pfn, nr + next->pages);
	} else {
		add_hole(h, take_spare(h), pfn, nr);
	}

	/* One live chunk less: a node to spare, beyond those kept. */
	if (h->nodes > h->chunks + CMAFW_HOLES_SPARE) {
		kmem_cache_free(cmafw_hole_cache, take_spare(h));
		h->nodes--;
	}
	h->chunks--;
}

/**
 * cmafw_holes_init() - &cma_allocator.init for the hole allocators.
 * @base:	the region's physical start, page aligned.
 * @size:	its size, whole pages.
 *
 * Return: the region's &struct cmafw_holes, or an ERR_PTR() (see
 * cmafw_holes_new()).
 */
void *cmafw_holes_init(dma_addr_t base, size_t size)
{
	return cmafw_holes_new(base, size);
}

/**
 * cmafw_holes_cleanup() - &cma_allocator.cleanup for the hole allocators.
 * @priv:	what cmafw_holes_init() returned.
 */
void cmafw_holes_cleanup(void *priv)
{
	cmafw_holes_destroy(priv);
}

/**
 * cmafw_holes_alloc() - place a chunk where cmafw_holes_best_fit() says.
 * @priv:	what cmafw_holes_init() returned.
 * @size:	bytes, whole pages.
 * @align:	a power of two, at least PAGE_SIZE.
 * @top:	place at the hole's top (see cmafw_holes_best_fit()).
 * @addr:	set to the chunk's address.
 *
 * Return: 0, -EINVAL for no pages, -ENOMEM when nothing fits or no node
 * can be allocated; nothing changes on error.
 */
int cmafw_holes_alloc(void *priv, size_t size, dma_addr_t align, bool top,
		      dma_addr_t *addr)
{
	struct cmafw_holes *h = priv;
	unsigned long nr = size >> PAGE_SHIFT;
	struct cmafw_hole *hole;
	unsigned long pfn;

	if (!nr)
		return -EINVAL;
	hole = cmafw_holes_best_fit(h, nr, cmafw_holes_align(h, align), top,
				    &pfn);
	if (!hole || cmafw_holes_take(h, hole, pfn, nr))
		return -ENOMEM;
	*addr = (dma_addr_t)pfn << PAGE_SHIFT;
	return 0;
}

/**
 * cmafw_holes_free() - &cma_allocator.free for the hole allocators.
 * @priv:	what cmafw_holes_init() returned.
 * @addr:	a chunk's address, as cmafw_holes_alloc() returned it.
 * @size:	its size.
 */
void cmafw_holes_free(void *priv, dma_addr_t addr, size_t size)
{
	cmafw_holes_give(priv, addr >> PAGE_SHIFT, size >> PAGE_SHIFT);
}
