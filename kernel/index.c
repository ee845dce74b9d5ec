// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: where a chunk's resource hangs in the resource tree.
 *
 * kernel/resource.c keeps a resource's children in a sorted singly linked
 * list and walks it to insert and to release, so a region whose chunks
 * were all direct children would cost O(chunks) per allocation and free.
 * Instead a region of at least CMAFW_INDEX_MIN_PAGES is cut into aligned
 * blocks of about sqrt(pages) pages:
 *
 * - a chunk inside one block hangs under that block's index resource,
 *   "cmafw:<region>#<block>", which exists only while it has some;
 * - a chunk that straddles blocks hangs directly under the region.
 *
 * An index resource spans its whole block but for the ends that
 * straddlers cover: the chunks of the block a straddler starts in lie
 * before it, those of the block it ends in after it, so a block gives up
 * that part of its span when a straddler comes (cmafw_index_make_room())
 * and takes it back, when a chunk needs it, only once the straddler is
 * gone.  So adjust_resource(), which walks the region's children, is rare:
 * a chunk that lands inside its block's span costs one request_resource()
 * and one release_resource() on the block's list.  Every sibling list is
 * bounded by the number of blocks or of pages per block, whatever the
 * number of chunks, and /proc/iomem still shows every chunk with its
 * owner, under its region.
 *
 * Everything here runs under the region's mutex; see internal.h.
 */
#define pr_fmt(fmt) "cmafw: " fmt

#include <linux/ioport.h>
#include <linux/log2.h>
#include <linux/math.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>

#include "internal.h"

#define CMAFW_INDEX_MIN_PAGES	256
#define CMAFW_INDEX_MIN_BLOCK	64

static bool index = true;
module_param(index, bool, 0444);
MODULE_PARM_DESC(index,
		 "Group small chunks under per-block index resources (default); 0 hangs every chunk right under its region, for comparison");

/**
 * struct cmafw_block - an index resource grouping a block's chunks.
 * @res:	child of the region's resource; spans its block but for the
 *		ends straddlers cover.
 * @name:	"cmafw:<region>#<block>", which @res.name points at.
 */
struct cmafw_block {
	struct resource res;
	char name[];
};

static unsigned long cmafw_index_block(const struct cma_region_state *state,
				       resource_size_t addr)
{
	return (addr - state->res->start) >> state->block_shift;
}

static bool cmafw_index_is_block(const struct cma_region_state *state,
				 const struct resource *res)
{
	struct cmafw_block *block;

	if (!state->blocks || res->parent != state->chunk_root)
		return false;
	block = state->blocks[cmafw_index_block(state, res->start)];
	return block && &block->res == res;
}

/**
 * cmafw_index_init() - size the index of a region being registered.
 * @state:	the region; @state->res is set.
 *
 * Return: 0 or -ENOMEM.
 */
int cmafw_index_init(struct cma_region_state *state)
{
	unsigned long pages = resource_size(state->res) >> PAGE_SHIFT;
	unsigned long block_pages;

	if (!index || pages < CMAFW_INDEX_MIN_PAGES)
		return 0;
	block_pages = max_t(unsigned long, CMAFW_INDEX_MIN_BLOCK,
			    roundup_pow_of_two(int_sqrt(pages)));
	state->block_shift = PAGE_SHIFT + ilog2(block_pages);
	state->nr_blocks = cmafw_index_block(state, state->res->end) + 1;
	state->blocks = kcalloc(state->nr_blocks, sizeof(*state->blocks),
				GFP_KERNEL);
	return state->blocks ? 0 : -ENOMEM;
}

/**
 * cmafw_index_exit() - free the index of a region without chunks.
 * @state:	the region.
 */
void cmafw_index_exit(struct cma_region_state *state)
{
	kfree(state->blocks);
	state->blocks = NULL;
	kfree(state->spare_block);
	state->spare_block = NULL;
}

/* The first and last address of block @k. */
static void cmafw_index_range(const struct cma_region_state *state,
			      unsigned long k, resource_size_t *lo,
			      resource_size_t *hi)
{
	struct resource *root = state->chunk_root;
	resource_size_t start;

	start = state->res->start + ((resource_size_t)k << state->block_shift);
	*lo = max(root->start, start);
	*hi = min(root->end,
		  start + ((resource_size_t)1 << state->block_shift) - 1);
}

/*
 * A straddler [start, end] is about to hang under the region: the blocks
 * it starts and ends in give up the part of their span it covers.  Their
 * chunks lie before @start and after @end respectively, so the shrunk
 * spans still hold them.
 */
static void cmafw_index_make_room(struct cma_region_state *state,
				  resource_size_t start, resource_size_t end)
{
	struct cmafw_block *first = state->blocks[cmafw_index_block(state, start)];
	struct cmafw_block *last = state->blocks[cmafw_index_block(state, end)];

	if (first && first->res.end >= start && first->res.start < start)
		adjust_resource(&first->res, first->res.start,
				start - first->res.start);
	if (last && last->res.start <= end && last->res.end > end)
		adjust_resource(&last->res, end + 1, last->res.end - end);
}

/*
 * Grow @block's span to cover [start, end]: to its whole block on the side
 * that grows when no straddler is in the way, else just enough.
 */
static int cmafw_index_grow(struct cma_region_state *state,
			    struct cmafw_block *block, resource_size_t start,
			    resource_size_t end)
{
	struct resource *res = &block->res;
	resource_size_t lo, hi;

	cmafw_index_range(state, cmafw_index_block(state, start), &lo, &hi);
	lo = start < res->start ? lo : res->start;
	hi = end > res->end ? hi : res->end;
	if (!adjust_resource(res, lo, hi - lo + 1))
		return 0;
	lo = min(res->start, start);
	hi = max(res->end, end);
	return adjust_resource(res, lo, hi - lo + 1);
}

/*
 * A record for block @k, named "<res_name>#<k>", its resource zeroed: the
 * region's spare one if it has one.  Every block's name fits in the same
 * record, and snprintf() is slow next to the rest of an allocation.
 */
static struct cmafw_block *cmafw_index_new(struct cma_region_state *state,
					   unsigned long k)
{
	size_t len = strlen(state->res_name);
	struct cmafw_block *block = state->spare_block;
	char digits[10];
	int n = 0;

	if (block) {
		state->spare_block = NULL;
		memset(&block->res, 0, sizeof(block->res));
	} else {
		/* '#', up to 10 digits (nr_blocks < 2^32) and a NUL. */
		block = kzalloc(struct_size(block, name, len + 12), GFP_KERNEL);
		if (!block)
			return NULL;
	}
	do {
		digits[n++] = '0' + k % 10;
		k /= 10;
	} while (k);
	memcpy(block->name, state->res_name, len);
	block->name[len++] = '#';
	while (n)
		block->name[len++] = digits[--n];
	block->name[len] = '\0';
	block->res.name = block->name;
	return block;
}

/* Keep @block's record as the region's spare, or free it. */
static void cmafw_index_recycle(struct cma_region_state *state,
				struct cmafw_block *block)
{
	if (state->spare_block)
		kfree(block);
	else
		state->spare_block = block;
}

/*
 * The span of a new index resource for block @k, whose first chunk starts
 * at @start: the whole block but for where the region's children next to
 * it, straddlers, reach into it.  One walk of the region's children, which
 * only this file changes and only under the region's mutex; it leaves them
 * in the cache for request_resource()'s walk.
 */
static void cmafw_index_span(struct cma_region_state *state, unsigned long k,
			     resource_size_t start, resource_size_t *lo,
			     resource_size_t *hi)
{
	struct resource *next = state->chunk_root->child, *prev = NULL;

	cmafw_index_range(state, k, lo, hi);
	for (; next && next->start < start; next = next->sibling)
		prev = next;
	if (prev && prev->end >= *lo)
		*lo = prev->end + 1;
	if (next && next->start <= *hi)
		*hi = next->start - 1;
}

/* The block that holds [start, end] entirely, created if need be. */
static struct resource *cmafw_index_parent(struct cma_region_state *state,
					   resource_size_t start,
					   resource_size_t end)
{
	unsigned long k = cmafw_index_block(state, start);
	struct cmafw_block *block;
	resource_size_t lo, hi;

	if (!state->blocks)
		return state->chunk_root;
	if (k != cmafw_index_block(state, end)) {
		cmafw_index_make_room(state, start, end);
		return state->chunk_root;
	}

	block = state->blocks[k];
	if (block) {
		/*
		 * A block's span only grows here, and only shrinks for a
		 * straddler: most chunks land inside it with no
		 * adjust_resource() and its walk of the region's children.
		 */
		if ((start < block->res.start || end > block->res.end) &&
		    cmafw_index_grow(state, block, start, end))
			return ERR_PTR(-EBUSY);
		return &block->res;
	}

	block = cmafw_index_new(state, k);
	if (!block)
		return ERR_PTR(-ENOMEM);
	cmafw_index_span(state, k, start, &lo, &hi);
	/* Field by field: 6.1's DEFINE_RES_NAMED() is no rvalue. */
	block->res.start = lo;
	block->res.end = hi;
	block->res.flags = IORESOURCE_MEM;
	if (request_resource(state->chunk_root, &block->res)) {
		cmafw_index_recycle(state, block);
		return ERR_PTR(-EBUSY);
	}
	state->blocks[k] = block;
	return &block->res;
}

/* @res, a block's index resource, has no chunk left: drop it. */
static void cmafw_index_drop(struct cma_region_state *state,
			     struct resource *res)
{
	unsigned long k = cmafw_index_block(state, res->start);

	release_resource(res);
	cmafw_index_recycle(state, state->blocks[k]);
	state->blocks[k] = NULL;
}

/**
 * cmafw_index_insert() - hang a new chunk's resource in the region.
 * @state:	the region.
 * @res:	the chunk's resource, placed by the allocator.
 *
 * Return: 0, -ENOMEM, or -EBUSY when @res overlaps something (an
 * allocator bug).
 */
int cmafw_index_insert(struct cma_region_state *state, struct resource *res)
{
	struct resource *parent;

	lockdep_assert_held(&state->lock);
	parent = cmafw_index_parent(state, res->start, res->end);
	if (IS_ERR(parent))
		return PTR_ERR(parent);
	if (request_resource(parent, res)) {
		if (parent != state->chunk_root && !parent->child)
			cmafw_index_drop(state, parent);
		return -EBUSY;
	}
	return 0;
}

/**
 * cmafw_index_find() - find the resource that starts at @addr.
 * @state:	the region holding @addr.
 * @addr:	a physical address.
 *
 * Return: the resource, or NULL.
 */
struct resource *cmafw_index_find(struct cma_region_state *state,
				  resource_size_t addr)
{
	struct resource *parent = state->chunk_root, *res;
	struct cmafw_block *block = NULL;

	lockdep_assert_held(&state->lock);
	if (state->blocks)
		block = state->blocks[cmafw_index_block(state, addr)];
	if (block && addr >= block->res.start && addr <= block->res.end)
		parent = &block->res;
	for (res = parent->child; res && res->start <= addr;
	     res = res->sibling)
		if (res->start == addr && !cmafw_index_is_block(state, res))
			return res;
	return NULL;
}

/**
 * cmafw_index_remove() - take a chunk's resource out of the region.
 * @state:	the region.
 * @res:	a chunk's resource, found by cmafw_index_find().
 */
void cmafw_index_remove(struct cma_region_state *state, struct resource *res)
{
	struct resource *parent = res->parent;

	lockdep_assert_held(&state->lock);
	release_resource(res);
	/* A block keeps its span while it holds chunks: no walk. */
	if (parent != state->chunk_root && !parent->child)
		cmafw_index_drop(state, parent);
}

/**
 * cmafw_index_walk() - visit the region's chunk resources in address order.
 * @state:	the region.
 * @fn:		called with @arg and each resource that is not an index.
 * @arg:	passed to @fn.
 */
void cmafw_index_walk(struct cma_region_state *state,
		      void (*fn)(void *arg, struct resource *res), void *arg)
{
	struct resource *res, *child;

	lockdep_assert_held(&state->lock);
	for (res = state->chunk_root->child; res; res = res->sibling) {
		if (!cmafw_index_is_block(state, res)) {
			fn(arg, res);
			continue;
		}
		for (child = res->child; child; child = child->sibling)
			fn(arg, child);
	}
}
