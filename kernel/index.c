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
 *   "cmafw:<region>#<block>", whose range is exactly the span of its
 *   chunks and which exists only while it has some;
 * - a chunk that straddles blocks hangs directly under the region.
 *
 * A straddler never overlaps an index resource: the chunks of the block it
 * starts in lie before it, those of the block it ends in after it.  So every
 * sibling list is bounded by the number of blocks or of pages per block,
 * whatever the number of chunks, and /proc/iomem still shows every chunk
 * with its owner, under its region.
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
 * @res:	child of the region's resource; spans exactly its children.
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
}

/* The block that holds [start, end] entirely, created if need be. */
static struct resource *cmafw_index_parent(struct cma_region_state *state,
					   resource_size_t start,
					   resource_size_t end)
{
	unsigned long k = cmafw_index_block(state, start);
	struct cmafw_block *block;
	resource_size_t lo, hi;
	size_t len;

	if (!state->blocks || k != cmafw_index_block(state, end))
		return state->chunk_root;

	block = state->blocks[k];
	if (block) {
		lo = min(block->res.start, start);
		hi = max(block->res.end, end);
		/*
		 * adjust_resource() walks the region's children up to the
		 * block: only when the span grows.
		 */
		if ((lo != block->res.start || hi != block->res.end) &&
		    adjust_resource(&block->res, lo, hi - lo + 1))
			return ERR_PTR(-EBUSY);
		return &block->res;
	}

	len = strlen(state->res_name) + 12;
	block = kzalloc(struct_size(block, name, len), GFP_KERNEL);
	if (!block)
		return ERR_PTR(-ENOMEM);
	snprintf(block->name, len, "%s#%lu", state->res_name, k);
	/* Field by field: 6.1's DEFINE_RES_NAMED() is no rvalue. */
	block->res.start = start;
	block->res.end = end;
	block->res.name = block->name;
	block->res.flags = IORESOURCE_MEM;
	if (request_resource(state->chunk_root, &block->res)) {
		kfree(block);
		return ERR_PTR(-EBUSY);
	}
	state->blocks[k] = block;
	return &block->res;
}

/* After a chunk left @block: shrink it to its children, or drop it. */
static void cmafw_index_trim(struct cma_region_state *state,
			     struct resource *res)
{
	unsigned long k = cmafw_index_block(state, res->start);
	struct resource *last;

	if (!res->child) {
		release_resource(res);
		kfree(state->blocks[k]);
		state->blocks[k] = NULL;
		return;
	}
	for (last = res->child; last->sibling; last = last->sibling)
		;
	/* Shrinking within the old span cannot conflict. */
	WARN_ON(adjust_resource(res, res->child->start,
				last->end - res->child->start + 1));
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
		if (parent != state->chunk_root)
			cmafw_index_trim(state, parent);
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
	bool edge = res->start == parent->start || res->end == parent->end;

	lockdep_assert_held(&state->lock);
	release_resource(res);
	/* Away from the block's edges the span stays exact: no walk. */
	if (parent != state->chunk_root && (edge || !parent->child))
		cmafw_index_trim(state, parent);
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
