// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: a region's index exists only while its chunks crowd, and pay
 * for it.
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
 * It has a price in memory too, which grows with the region and not with
 * its chunks: a pointer a block and a loose count at the deepest level,
 * and at worst a record and eight bands a group, 7,552 bytes for 256 MiB
 * (cmafw_index_bulk()).  The metadata budget is a bit a page for the
 * allocator and 128 bytes a chunk: CMAFW_INDEX_CHUNK_BYTES of those may
 * pay for that bulk (index.h).
 *
 * So a region hangs its chunks right under it, in its chunk root
 * (internal.h), until it holds @index_from of them: 64 (the index module
 * parameter, cmafw_index_from here), or four times the chunks that pay
 * for its bulk if that is more, about 750 for 256 MiB
 * (cmafw_index_set_from()).
 * Then cmafw_index_follow() (index.h) has cmafw_index_turn() allocate the
 * levels' arrays and slide index resources under the chunks in one pass,
 * the coarsest level first, with cmafw_index_gather():
 * insert_resource() takes in the chunks that lie wholly inside each one's
 * span, which is its slot but for where straddlers reach into it, as
 * index.c would have made it; a block's only where CMAFW_BLOCK_FORM of its
 * chunks or more lie, the others' chunks staying loose under their group's
 * (index_gather.c).  From then on chunks come and go through the index.
 * Once they fall below a quarter of @index_from, cmafw_index_flatten()
 * lifts them back under the region with remove_resource(), and the index
 * resources and arrays go.  The gap between the two counts keeps a region
 * that churns around one of them from building and dropping its index
 * over and over.
 *
 * A build that runs out of memory for the arrays or a record undoes
 * itself, and the region stays flat, with all its chunks still in
 * /proc/iomem; the next chunk tries again.  An index parameter given at
 * load or boot is taken as is, whatever the index costs: index=1 indexes
 * every chunk from the first, and index=0 never, for tests and
 * comparison.
 *
 * Lock rules: index.c's.  Everything here runs under the region's mutex,
 * and kernel/resource.c's resource_lock is taken inside insert_resource()
 * and remove_resource() and never held here.  A reader of /proc/iomem sees
 * every chunk at every moment, under its region or under an index line.
 */
#define pr_fmt(fmt) "cmafw: " fmt

#include <linux/bits.h>
#include <linux/err.h>
#include <linux/ioport.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "index.h"
#include "internal.h"

#define CMAFW_INDEX_DENSE	64

static unsigned int cmafw_index_from = CMAFW_INDEX_DENSE;
/* Set on the command line or at load: then every region takes it as is. */
static bool cmafw_index_given;

static int cmafw_index_param_set(const char *val,
				 const struct kernel_param *kp)
{
	int ret = param_set_uint(val, kp);

	if (!ret)
		cmafw_index_given = true;
	return ret;
}

static const struct kernel_param_ops cmafw_index_param_ops = {
	.set = cmafw_index_param_set,
	.get = param_get_uint,
};

module_param_cb(index, &cmafw_index_param_ops, &cmafw_index_from, 0444);
__MODULE_PARM_TYPE(index, "uint");
MODULE_PARM_DESC(index,
		 "Chunks from which a region groups them under index resources by block, and below a quarter of which it drops them (by default 64, or more where the index would cost each chunk over 40 bytes); 1 from the first chunk; 0 never");

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
 * At worst, the bytes of a region's index that no CMAFW_BLOCK_MIN chunks
 * share (index.h): the levels' arrays, the deepest level's loose counts,
 * and every group's record with its bands and its place among them.
 */
static size_t cmafw_index_bulk(const struct cma_region_state *state)
{
	unsigned int deepest = state->index_depth - 1, l;
	unsigned long groups = state->index[0].nr;
	size_t bytes = 0, record;
	unsigned int digits;
	char last[20];

	for (l = 0; l <= deepest; l++)
		bytes += kmalloc_size_roundup(state->index[l].nr *
					      sizeof(*state->index[l].slots));
	bytes += kmalloc_size_roundup(state->index[deepest].nr *
				      sizeof(*state->index[deepest].loose));
	if (!deepest)
		return bytes;
	/*
	 * "#<first>-<last>" and a NUL, as cmafw_index_new() names a group,
	 * with the last block's number for both.
	 */
	digits = cmafw_index_utoa(last, state->index[deepest].nr - 1);
	record = kmalloc_size_roundup(offsetof(struct cmafw_block, name) +
				      strlen(state->res_name) + 3 + 2 * digits);
	return bytes + kmalloc_size_roundup(groups * sizeof(struct resource *)) +
	       groups * (record +
			 kmalloc_size_roundup(BIT(CMAFW_BAND_ORDER) *
					      sizeof(struct resource)));
}

/**
 * cmafw_index_set_from() - from how many chunks a region builds its index.
 * @state:	the region, its index shaped (cmafw_index_init()).
 *
 * The index parameter, as given; by default 64, or four times the chunks
 * whose CMAFW_INDEX_CHUNK_BYTES each pay for the index's bulk, if that is
 * more.  Below a quarter of it, the index goes.
 */
void cmafw_index_set_from(struct cma_region_state *state)
{
	unsigned long from = cmafw_index_from;

	if (!cmafw_index_given)
		from = max(from, 4 * DIV_ROUND_UP(cmafw_index_bulk(state),
						  CMAFW_INDEX_CHUNK_BYTES));
	state->index_from = min_t(unsigned long, from, UINT_MAX);
}

/* The levels' arrays, for a build; false without the memory. */
static bool cmafw_index_arrays_make(struct cma_region_state *state)
{
	unsigned int deepest = state->index_depth - 1, l;

	for (l = 0; l <= deepest; l++) {
		struct cmafw_index_level *level = &state->index[l];

		level->slots = kcalloc(level->nr, sizeof(*level->slots),
				       GFP_KERNEL);
		if (!level->slots)
			goto fail;
	}
	state->index[deepest].loose = kcalloc(state->index[deepest].nr,
					      sizeof(*state->index[deepest].loose),
					      GFP_KERNEL);
	if (!state->index[deepest].loose)
		goto fail;
	state->nr_levels = state->index_depth;
	return true;
fail:
	cmafw_index_arrays_free(state);
	return false;
}

/**
 * cmafw_index_arrays_free() - free the levels' arrays, the index gone.
 * @state:	the region, with no index resource left in the tree.
 */
void cmafw_index_arrays_free(struct cma_region_state *state)
{
	unsigned int l;

	for (l = 0; l < CMAFW_INDEX_LEVELS; l++) {
		kfree(state->index[l].slots);
		state->index[l].slots = NULL;
		kfree(state->index[l].loose);
		state->index[l].loose = NULL;
	}
	cmafw_sub_exit(state);
	state->nr_levels = 0;
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
 * children to a parent that stays; then free the levels' arrays.
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
	}
	cmafw_index_arrays_free(state);
	state->indexed = false;
}

/**
 * cmafw_index_turn() - build a region's index, or drop it.
 * @state:	the region, whose chunks reached its @index_from or fell
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
	if (!cmafw_index_arrays_make(state))
		return;
	if (cmafw_index_build_level(state, 0, state->chunk_root))
		cmafw_index_flatten(state);
	else
		state->indexed = true;
}
