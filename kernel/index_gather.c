// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: index resources slid under chunks already in place, and taken
 * from under them; a block's only while enough of its chunks share it.
 *
 * A chunk costs its resource and its allocator's record: 120 bytes with
 * bestfit's or segfit's hole node, where the metadata goal is 128 bytes a
 * chunk (BENCHMARKS.md).  A block's index resource costs 96 bytes more,
 * its name included.  Made for a block's first chunk, it would cost a
 * region whose chunks lie one to a block 216 bytes a chunk.  So a block
 * has an index resource only while at least CMAFW_BLOCK_MIN chunks share
 * it, 8 bytes each at most:
 *
 * - until then its chunks hang loose under its group's index resource (or
 *   the region's chunk root, in a region without groups), and
 *   @level->loose[] counts them;
 * - once CMAFW_BLOCK_FORM of them gather, cmafw_loose_added() makes the
 *   block's index resource, and insert_resource() slides it under them in
 *   one step;
 * - once fewer than CMAFW_BLOCK_MIN are left, cmafw_block_thinned() takes
 *   it away, and remove_resource() hands them back to the group's list.
 *
 * The gap between the two counts keeps a block that churns around one of
 * them from making and dropping its resource at every chunk.  A group's
 * list so holds at most CMAFW_BLOCK_FORM - 1 loose chunks for each of its
 * blocks besides their index lines; groups themselves are few (about the
 * fourth root of the region's pages), and their records are counted with
 * what grows with the region.
 *
 * index_build.c makes and drops the whole index with the same two steps,
 * cmafw_index_gather() and cmafw_index_scatter().
 *
 * Lock rules: index.c's.  Everything here runs under the region's mutex,
 * and kernel/resource.c's resource_lock is taken inside insert_resource()
 * and remove_resource() and never held here.  A reader of /proc/iomem sees
 * every chunk at every moment, under its block's line or its group's.
 */
#define pr_fmt(fmt) "cmafw: " fmt

#include <linux/bug.h>
#include <linux/err.h>
#include <linux/ioport.h>

#include "index.h"
#include "internal.h"

/*
 * The span of a new index resource for level @l's @slot under @parent,
 * whose first child wholly inside the slot is @first, @prev the child
 * before it: the slot, within @parent, but for where the straddlers on
 * either side reach into it.
 */
static void cmafw_index_gather_span(struct cma_region_state *state,
				    unsigned int l, struct cmafw_block **slot,
				    const struct resource *parent,
				    const struct resource *prev,
				    const struct resource *first,
				    resource_size_t *lo, resource_size_t *hi)
{
	const struct resource *res;

	cmafw_index_range(state, l, slot, parent, lo, hi);
	if (prev && prev->end >= *lo)
		*lo = prev->end + 1;
	for (res = first; res && res->start <= *hi; res = res->sibling) {
		if (res->end > *hi) {
			*hi = res->start - 1;
			break;
		}
	}
}

/**
 * cmafw_index_gather() - slide an index resource under chunks in place.
 * @state:	the region.
 * @l:		the level of @slot.
 * @slot:	where the new record is kept; it holds none.
 * @parent:	what it hangs under, whose children it takes in.
 * @prev:	the child of @parent before @first, or NULL.
 * @first:	the first child of @parent wholly inside the slot.
 *
 * insert_resource() takes in the children of @parent that lie wholly
 * inside the record's span.  A block's record counts them, and makes its
 * sub-blocks if they crowd (index_sub.c).
 *
 * Return: the record, or an ERR_PTR(): -ENOMEM, or insert_resource()'s
 * -EBUSY when the span crosses a child (a bug, with a warning).
 */
struct cmafw_block *cmafw_index_gather(struct cma_region_state *state,
				       unsigned int l, struct cmafw_block **slot,
				       struct resource *parent,
				       const struct resource *prev,
				       const struct resource *first)
{
	struct cmafw_block *block;
	resource_size_t lo, hi;
	int ret;

	block = cmafw_index_new(state, l, slot);
	if (!block)
		return ERR_PTR(-ENOMEM);
	cmafw_index_gather_span(state, l, slot, parent, prev, first, &lo, &hi);
	/* Field by field: 6.1's DEFINE_RES_NAMED() is no rvalue. */
	block->res.start = lo;
	block->res.end = hi;
	block->res.flags = IORESOURCE_MEM;
	ret = insert_resource(parent, &block->res);
	if (WARN_ON_ONCE(ret)) {
		cmafw_index_recycle(state, l, block);
		return ERR_PTR(ret);
	}
	*slot = block;
	if (l == state->nr_levels - 1) {
		state->index[l].loose[slot - state->index[l].slots] = 0;
		cmafw_sub_adopted(state, block);
	}
	return block;
}

/**
 * cmafw_index_scatter() - take an index resource from under its children.
 * @state:	the region.
 * @l:		the level of @slot.
 * @slot:	the record's slot, empty on return.
 *
 * remove_resource() hands its children to its parent, in its place.  A
 * block's chunks are counted loose from then on.
 */
void cmafw_index_scatter(struct cma_region_state *state, unsigned int l,
			 struct cmafw_block **slot)
{
	struct cmafw_block *block = *slot;

	if (block->dense)
		cmafw_sub_lift(state, block);
	if (l == state->nr_levels - 1)
		state->index[l].loose[slot - state->index[l].slots] =
			block->chunks;
	WARN_ON_ONCE(remove_resource(&block->res));
	*slot = NULL;
	cmafw_index_recycle(state, l, block);
}

/**
 * cmafw_loose_gather() - a block without a record gets one.
 * @state:	the region, indexed.
 * @slot:	the block's slot, which holds no record.
 * @parent:	what its chunks hang under: the group's resource, or the
 *		chunk root.
 *
 * Once CMAFW_BLOCK_FORM of its chunks hang loose (cmafw_loose_added()).
 * Out of memory, they stay loose, and the next chunk tries again.
 */
void cmafw_loose_gather(struct cma_region_state *state,
			struct cmafw_block **slot, struct resource *parent)
{
	unsigned int l = state->nr_levels - 1;
	const struct resource *prev = NULL, *first;
	struct cmafw_block *block;
	resource_size_t lo, hi;

	/* One walk of @parent's list, once for every few chunks. */
	cmafw_index_range(state, l, slot, parent, &lo, &hi);
	for (first = parent->child; first && first->start < lo;
	     first = first->sibling)
		prev = first;
	block = cmafw_index_gather(state, l, slot, parent, prev, first);
	if (!IS_ERR(block) && l)
		cmafw_sub_moved(state, *cmafw_index_slot(state, 0, lo),
				block->chunks, false);
}

/**
 * cmafw_block_dissolve() - a block's record goes, its chunks loose again.
 * @state:	the region.
 * @block:	the block, under CMAFW_BLOCK_MIN chunks (cmafw_block_thinned()).
 */
void cmafw_block_dissolve(struct cma_region_state *state,
			  struct cmafw_block *block)
{
	unsigned int l = state->nr_levels - 1, n = block->chunks;
	resource_size_t addr = block->res.start;

	cmafw_index_scatter(state, l, cmafw_index_slot(state, l, addr));
	/* Its chunks count for its group again. */
	if (l)
		cmafw_sub_moved(state, *cmafw_index_slot(state, 0, addr), n,
				true);
}
