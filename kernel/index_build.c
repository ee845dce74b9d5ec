// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: a region's index exists only while its chunks crowd.
 *
 * The index (index.c) bounds the sibling lists kernel/resource.c walks,
 * and it has a price of its own: a chunk alone in its group makes and
 * drops the group's index resource, and a chunk that straddles blocks
 * makes their spans give way with adjust_resource().  While a region
 * holds a few dozen chunks, as a camera's and a decoder's buffer sets do,
 * one walk of a list that short costs less.  (Measured in guest boots,
 * BENCHMARKS.md: on the two-device trace, whose regions hold up to 28
 * chunks, hanging them right under the region took the framework's alloc
 * p99 from 0.73x-1.16x of gen_pool's to 0.62x-0.85x; at 64 live chunks the
 * two layouts are even, and from 256 on the index costs less.)
 *
 * So a region hangs its chunks right under it, in its chunk root
 * (internal.h), until it holds @index of them (the module parameter, 64
 * by default, cmafw_index_from here).  Then cmafw_index_follow() (index.h)
 * has cmafw_index_turn() slide index resources under them in one pass,
 * the coarsest level first, with cmafw_index_gather():
 * insert_resource() takes in the chunks that lie wholly inside each one's
 * span, which is its slot but for where straddlers reach into it, as
 * index.c would have made it; a block's only where CMAFW_BLOCK_FORM of its
 * chunks or more lie, the others' chunks staying loose under their group's
 * (index_gather.c).  From then on chunks come and go through the index.
 * Once they fall below a quarter of @index, cmafw_index_flatten() lifts
 * them back under the region with remove_resource() and the index
 * resources go.  The gap between the two counts keeps a region that
 * churns around one of them from building and dropping its index over and
 * over.
 *
 * A build that runs out of memory for a record undoes itself, and the
 * region stays flat, with all its chunks still in /proc/iomem; the next
 * chunk tries again.  @index=1 indexes every chunk from the first, and
 * @index=0 never, for comparison.
 *
 * Lock rules: index.c's.  Everything here runs under the region's mutex,
 * and kernel/resource.c's resource_lock is taken inside insert_resource()
 * and remove_resource() and never held here.  A reader of /proc/iomem sees
 * every chunk at every moment, under its region or under an index line.
 */
#define pr_fmt(fmt) "cmafw: " fmt

#include <linux/err.h>
#include <linux/ioport.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

#include "index.h"
#include "internal.h"

#define CMAFW_INDEX_DENSE	64

/* The index's own name for it: index.h reads it inline. */
unsigned int cmafw_index_from = CMAFW_INDEX_DENSE;
module_param_named(index, cmafw_index_from, uint, 0444);
MODULE_PARM_DESC(index,
		 "Chunks from which a region groups them under index resources by block (default 64; below a quarter of that, they hang right under it again); 1 from the first chunk; 0 never, for comparison");

/**
 * cmafw_index_enabled() - whether regions may have an index at all.
 *
 * Return: false when loaded with index=0.
 */
bool cmafw_index_enabled(void)
{
	return cmafw_index_from;
}

/*
 * The children of @parent from @res on that lie wholly inside the deepest
 * level's @slot: how many, up to the first that does not.
 */
static unsigned int cmafw_index_run(struct cma_region_state *state,
				    struct cmafw_block **slot,
				    const struct resource *res)
{
	unsigned int l = state->nr_levels - 1, n = 0;

	for (; res && cmafw_index_slot(state, l, res->start) == slot &&
	     cmafw_index_slot(state, l, res->end) == slot; res = res->sibling)
		n++;
	return n;
}

/*
 * Slide level @l's index resources under @parent's children that lie
 * wholly inside one of that level's slots, and the finer levels' under
 * theirs; a block's only under CMAFW_BLOCK_FORM chunks or more, the others
 * counted loose (index_gather.c).  Return: 0, or an errno with what was
 * made left for the caller to undo: -ENOMEM for a record, or
 * insert_resource()'s -EBUSY when a span crosses a child (a bug, with a
 * warning).
 */
static int cmafw_index_build_level(struct cma_region_state *state,
				   unsigned int l, struct resource *parent)
{
	struct resource *res = parent->child, *prev = NULL;
	bool deepest = l == state->nr_levels - 1;

	while (res) {
		struct cmafw_block **slot = cmafw_index_slot(state, l,
							      res->start);
		struct cmafw_block *block;
		int ret;

		/* A straddler of this level stays where it is. */
		if (slot != cmafw_index_slot(state, l, res->end)) {
			prev = res;
			res = res->sibling;
			continue;
		}
		if (deepest) {
			unsigned int run = cmafw_index_run(state, slot, res);

			if (run < CMAFW_BLOCK_FORM) {
				state->index[l].loose[slot -
						      state->index[l].slots] = run;
				while (run--) {
					prev = res;
					res = res->sibling;
				}
				continue;
			}
		}
		block = cmafw_index_gather(state, l, slot, parent, prev, res);
		if (IS_ERR(block))
			return PTR_ERR(block);
		if (!deepest) {
			ret = cmafw_index_build_level(state, l + 1,
						      &block->res);
			if (ret)
				return ret;
			/* Its own chunks: loose, and straddlers of blocks. */
			cmafw_sub_adopted(state, block);
		}
		prev = &block->res;
		res = block->res.sibling;
	}
	return 0;
}

/*
 * Lift every chunk back under the region's chunk root and drop the index
 * resources, the finer first, so that each remove_resource() hands its
 * children to a parent that stays.
 */
static void cmafw_index_flatten(struct cma_region_state *state)
{
	unsigned int l = state->nr_levels;

	while (l--) {
		struct cmafw_index_level *level = &state->index[l];
		unsigned long i;

		/* Their children take their place in their parents' lists. */
		for (i = 0; i < level->nr; i++)
			if (level->slots[i])
				cmafw_index_scatter(state, l, &level->slots[i]);
		if (level->loose)
			memset(level->loose, 0, level->nr * sizeof(*level->loose));
	}
	/* No group is dense any more. */
	cmafw_sub_exit(state);
	state->indexed = false;
}

/**
 * cmafw_index_turn() - build a region's index, or drop it.
 * @state:	the region, whose chunks reached cmafw_index_from or fell
 *		below a quarter of it (cmafw_index_follow()).
 *
 * Context: the region's mutex held.
 */
void cmafw_index_turn(struct cma_region_state *state)
{
	lockdep_assert_held(&state->lock);
	if (state->indexed) {
		cmafw_index_flatten(state);
		return;
	}
	if (cmafw_index_build_level(state, 0, state->chunk_root))
		cmafw_index_flatten(state);
	else
		state->indexed = true;
}
