// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: sub-blocks, the index level that exists only where chunks crowd.
 *
 * index.c hangs a chunk under the block it lies in, so a block's list of
 * children, which kernel/resource.c walks on every request and release
 * and which index.c walks to find a chunk on free, is as long as the
 * block is crowded: 64 chunks in each 1 MiB block of a 256 MiB region
 * holding 16,384.  Blocks of a fixed smaller size would cost their slot
 * array and records in every region, crowded or not.  So a block that
 * comes to hold CMAFW_SUB_DENSE chunks becomes dense: each quarter of it
 * that holds chunks gets a sub-block, which insert_resource() slides under
 * them in one step, and from then on a chunk inside a quarter hangs under
 * the quarter's sub-block, which exists while it holds one.  A chunk that
 * straddles quarters hangs under the block itself, and the sub-blocks it
 * reaches into give up that part of their span, as blocks do for
 * straddlers (index.c).  A later chunk wholly in such a part hangs under
 * the block too, while fewer than CMAFW_SUB_LOOSE_MAX chunks hang there
 * beside the sub-blocks: growing the sub-block back would walk all of its
 * children in adjust_resource(), and with first fit chunks keep landing
 * there.  When the dense block's chunks fall below
 * CMAFW_SUB_SPARSE, remove_resource() lifts them back under the block and
 * the sub-blocks go.
 *
 * A group's list crowds the same way with the chunks of its blocks that
 * have no record of their own (index_gather.c), and with the chunks that
 * straddle blocks: 128 in each group of a 256 MiB region holding 1,024
 * chunks, four to a block.  So a group with CMAFW_BAND_DENSE of those is
 * dense too: its sub-blocks are bands, an eighth of it each, which hold
 * such chunks and the blocks' records that lie inside them; a chunk that
 * straddles bands hangs under the group itself.  Below CMAFW_BAND_SPARSE
 * the bands go.  Blocks' records never count here: their chunks are
 * theirs.  A group's list is long (its bands, the straddlers, and at
 * 16,384 live the blocks' records), and every allocation and free in a
 * dense group asks for a band: so a dense group's eight bands are one
 * array, made when it turns dense and freed when it is plain again, and
 * found by group number in the level's @bands (made when a group first
 * turns dense, 8 bytes a group, freed with the index).  A band not in
 * use is a zeroed place in the array, with no parent.  A block's four
 * quarters are bare resources of their own, found by a walk of its short
 * list: a pointer to them in every block would cost a region with few
 * dense blocks 8 B a block, past the metadata budget.
 *
 * A sub-block is a bare struct resource (kmalloc-64) that shares its
 * record's name: /proc/iomem shows "cmafw:<region>#<block>" (or a group's
 * "#<first>-<last>") twice, the sub-block's nested in the record's, and it
 * is recognised by that name pointer.  Four sub-blocks cost 256 B, paid
 * only by a block that holds CMAFW_SUB_SPARSE chunks or more: with the
 * block's own record, at most 8 B each (index.h).  Bands, eight to a
 * group, are as few as groups for the region's size.
 *
 * Lock rules: index.c's.  Everything here runs under the region's mutex,
 * only index.c calls it, and kernel/resource.c's resource_lock is taken
 * inside insert_resource(), remove_resource(), release_resource() and
 * adjust_resource() and never held here.
 */
#define pr_fmt(fmt) "cmafw: " fmt

#include <linux/bits.h>
#include <linux/err.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "index.h"
#include "internal.h"

/*
 * log2 of the size in bytes of @block's sub-blocks: an eighth of a group
 * (a band), a quarter of a block.
 */
static unsigned int cmafw_sub_shift(const struct cma_region_state *state,
				    const struct cmafw_block *block)
{
	if (block->group)
		return state->index[0].shift - CMAFW_BAND_ORDER;
	return state->index[state->nr_levels - 1].shift - CMAFW_SUB_ORDER;
}

/* The number, across the region, of @block's sub-block @addr lies in. */
static unsigned long cmafw_sub_nr(const struct cma_region_state *state,
				  const struct cmafw_block *block,
				  resource_size_t addr)
{
	return (addr - state->res->start) >> cmafw_sub_shift(state, block);
}

/* Sub-block @nr, within @block's span. */
static void cmafw_sub_range(const struct cma_region_state *state,
			    const struct cmafw_block *block, unsigned long nr,
			    resource_size_t *lo, resource_size_t *hi)
{
	unsigned int shift = cmafw_sub_shift(state, block);
	resource_size_t start = state->res->start +
				((resource_size_t)nr << shift);

	*lo = max(block->res.start, start);
	*hi = cmafw_index_span_end(start, shift, block->res.end);
}

/* Band @nr's place in its dense group's array, in use or not. */
static struct resource *cmafw_band(const struct cma_region_state *state,
				   unsigned long nr)
{
	return &state->index[0].bands[nr >> CMAFW_BAND_ORDER]
		[nr & (BIT(CMAFW_BAND_ORDER) - 1)];
}

/* The number of @group's array of bands in the level's @bands. */
static unsigned long cmafw_band_group(const struct cma_region_state *state,
				      const struct cmafw_block *group)
{
	return cmafw_sub_nr(state, group, group->res.start) >>
	       CMAFW_BAND_ORDER;
}

/*
 * Dense @block's sub-block for quarter (or band) @nr, or NULL, also when
 * @nr lies outside @block (the far end of a straddler): a band by its
 * number, a quarter by a walk of its block's short list.
 */
static struct resource *cmafw_sub_find(const struct cma_region_state *state,
				       const struct cmafw_block *block,
				       unsigned long nr)
{
	struct resource *res;

	if (block->group) {
		if (nr >> CMAFW_BAND_ORDER != cmafw_band_group(state, block))
			return NULL;
		res = cmafw_band(state, nr);
		return res->parent ? res : NULL;
	}
	for (res = block->res.child; res; res = res->sibling) {
		unsigned long k = cmafw_sub_nr(state, block, res->start);

		if (k > nr)
			break;
		if (k == nr && res->name == block->res.name)
			return res;
	}
	return NULL;
}

/*
 * The span a new sub-block for quarter @nr may take: the quarter, within
 * @block's span, but for where children of @block that cross the
 * quarter's edges reach into it.  What lies wholly inside is the
 * sub-block's to take in.  Empty (@lo > @hi) if they cover it all.
 */
static void cmafw_sub_span(const struct cma_region_state *state,
			   const struct cmafw_block *block, unsigned long nr,
			   resource_size_t *lo, resource_size_t *hi)
{
	struct resource *res;

	cmafw_sub_range(state, block, nr, lo, hi);
	for (res = block->res.child; res && res->start <= *hi;
	     res = res->sibling) {
		if (res->end < *lo)
			continue;
		if (res->start < *lo) {
			*lo = res->end + 1;
		} else if (res->end > *hi) {
			*hi = res->start - 1;
			break;
		}
	}
}

/*
 * A sub-block out of the tree: a quarter's record freed, a band's place
 * zeroed for its next use.
 */
static void cmafw_sub_free(const struct cmafw_block *block,
			   struct resource *sub)
{
	if (block->group)
		memset(sub, 0, sizeof(*sub));
	else
		kfree(sub);
}

/*
 * Make quarter @nr's sub-block (or band @nr) and slide it under the
 * children of @block that lie wholly inside its span.
 */
static struct resource *cmafw_sub_new(const struct cma_region_state *state,
				      struct cmafw_block *block,
				      unsigned long nr)
{
	struct resource *sub;
	resource_size_t lo, hi;

	cmafw_sub_span(state, block, nr, &lo, &hi);
	if (lo > hi)
		return ERR_PTR(-EBUSY);
	sub = block->group ? cmafw_band(state, nr) :
			     kzalloc(sizeof(*sub), GFP_KERNEL);
	if (!sub)
		return ERR_PTR(-ENOMEM);
	/* Field by field: 6.1's DEFINE_RES_NAMED() is no rvalue. */
	sub->start = lo;
	sub->end = hi;
	sub->name = block->res.name;
	sub->flags = IORESOURCE_MEM;
	if (insert_resource(&block->res, sub)) {
		cmafw_sub_free(block, sub);
		return ERR_PTR(-EBUSY);
	}
	return sub;
}

/**
 * cmafw_sub_drop() - take away a sub-block that holds nothing.
 * @block:	the dense block (or group) it is a sub-block of.
 * @sub:	a sub-block without children.
 */
void cmafw_sub_drop(const struct cmafw_block *block, struct resource *sub)
{
	release_resource(sub);
	cmafw_sub_free(block, sub);
}

/**
 * cmafw_sub_lift() - hang a dense block's chunks back under it.
 * @state:	the region.
 * @block:	the block, plain on return, its sub-blocks gone.
 */
void cmafw_sub_lift(const struct cma_region_state *state,
		    struct cmafw_block *block)
{
	struct resource *res, *next;

	for (res = block->res.child; res; res = next) {
		next = res->sibling;
		if (res->name != block->res.name)
			continue;
		/* Its children take its place in @block's list. */
		WARN_ON_ONCE(remove_resource(res));
		if (!block->group)
			kfree(res);
	}
	if (block->group) {
		struct resource **bands = state->index[0].bands +
					  cmafw_band_group(state, block);

		kfree(*bands);
		*bands = NULL;
	}
	block->dense = 0;
}

/**
 * cmafw_sub_exit() - free the group level's @bands, with the index.
 * @state:	the region, none of its groups dense: each one's bands went
 *		when it turned plain.
 */
void cmafw_sub_exit(struct cma_region_state *state)
{
	kfree(state->index[0].bands);
	state->index[0].bands = NULL;
}

/**
 * cmafw_sub_split() - make @block dense.
 * @state:	the region.
 * @block:	a plain block (or group) with enough chunks.
 *
 * A sub-block for each quarter (or band) that holds chunks; for a group,
 * its array of bands first (and for the first group to turn dense, the
 * level's @bands).  Out of memory, it stays plain, and the next chunk
 * tries again.
 */
void cmafw_sub_split(struct cma_region_state *state,
		     struct cmafw_block *block)
{
	unsigned long nr = cmafw_sub_nr(state, block, block->res.start);
	unsigned long last = cmafw_sub_nr(state, block, block->res.end);

	if (block->group) {
		struct cmafw_index_level *level = &state->index[0];
		unsigned long g = cmafw_band_group(state, block);

		if (!level->bands) {
			level->bands = kcalloc(level->nr, sizeof(*level->bands),
					       GFP_KERNEL);
			if (!level->bands)
				return;
		}
		level->bands[g] = kcalloc(BIT(CMAFW_BAND_ORDER),
					  sizeof(*level->bands[g]), GFP_KERNEL);
		if (!level->bands[g])
			return;
	}
	block->dense = 1;
	for (; nr <= last; nr++) {
		struct resource *sub = cmafw_sub_new(state, block, nr);

		if (PTR_ERR_OR_ZERO(sub) == -ENOMEM) {
			cmafw_sub_lift(state, block);
			return;
		}
		if (!IS_ERR(sub) && !sub->child)
			cmafw_sub_drop(block, sub);
	}
}

/* Grow @sub, quarter @nr's, to cover [start, end]. */
static int cmafw_sub_grow(const struct cma_region_state *state,
			  const struct cmafw_block *block, struct resource *sub,
			  unsigned long nr, resource_size_t start,
			  resource_size_t end)
{
	resource_size_t lo, hi;

	cmafw_sub_range(state, block, nr, &lo, &hi);
	return cmafw_index_stretch(sub, lo, hi, start, end);
}

/**
 * cmafw_sub_make_room() - shrink the sub-blocks a straddler reaches into.
 * @state:	the region.
 * @block:	a block that [@start, @end] starts or ends in.
 * @start:	the straddler's first byte.
 * @end:	and its last.
 *
 * The sub-block of the quarter the straddler starts in gives up what lies
 * from @start on, that of the quarter it ends in what lies up to @end.
 * Their chunks lie outside [@start, @end], so they still fit.
 */
void cmafw_sub_make_room(struct cma_region_state *state,
			 struct cmafw_block *block, resource_size_t start,
			 resource_size_t end)
{
	struct resource *first, *last;

	if (!block->dense)
		return;
	first = cmafw_sub_find(state, block, cmafw_sub_nr(state, block, start));
	last = cmafw_sub_find(state, block, cmafw_sub_nr(state, block, end));
	if (first && first->start < start && first->end >= start)
		adjust_resource(first, first->start, start - first->start);
	if (last && last->end > end && last->start <= end)
		adjust_resource(last, end + 1, last->end - end);
}

/* Whether fewer than CMAFW_SUB_LOOSE_MAX chunks hang right under @block. */
static bool cmafw_sub_loose_few(const struct cmafw_block *block)
{
	const struct resource *res;
	unsigned int n = 0;

	for (res = block->res.child; res; res = res->sibling)
		if (res->name != block->res.name && ++n >= CMAFW_SUB_LOOSE_MAX)
			return false;
	return true;
}

/**
 * cmafw_sub_parent() - where a chunk inside dense @block hangs.
 * @state:	the region.
 * @block:	a dense block that holds [@start, @end].
 * @start:	the chunk's first byte.
 * @end:	and its last.
 *
 * Return: the quarter's sub-block, made or grown if need be; @block's
 * resource for a chunk that straddles quarters or lies in the part of its
 * quarter that a straddler took; or an ERR_PTR().
 */
struct resource *cmafw_sub_parent(struct cma_region_state *state,
				  struct cmafw_block *block,
				  resource_size_t start, resource_size_t end)
{
	unsigned long nr = cmafw_sub_nr(state, block, start);
	struct resource *sub;

	if (nr != cmafw_sub_nr(state, block, end)) {
		cmafw_sub_make_room(state, block, start, end);
		return &block->res;
	}
	sub = cmafw_sub_find(state, block, nr);
	if (!sub)
		return cmafw_sub_new(state, block, nr);
	/*
	 * Wholly in the part of a block's quarter a straddler took: under
	 * the block, while few chunks are, rather than grow the sub-block
	 * back with adjust_resource(), which walks its children.  Past
	 * that, the sub-block grows back, unless one of those chunks lies
	 * between it and the new one.  A band's is always grown back: a
	 * group's own list holds blocks' records too, so no chunk is left
	 * in a band's trimmed part to stand in the way.
	 */
	if (!block->group && (end < sub->start || start > sub->end)) {
		if (cmafw_sub_loose_few(block) ||
		    cmafw_sub_grow(state, block, sub, nr, start, end))
			return &block->res;
		return sub;
	}
	if ((start < sub->start || end > sub->end) &&
	    cmafw_sub_grow(state, block, sub, nr, start, end))
		return ERR_PTR(-EBUSY);
	return sub;
}

/**
 * cmafw_sub_holding() - where the chunk that starts at @addr would hang.
 * @state:	the region.
 * @block:	the dense block @addr lies in.
 * @addr:	a chunk's start.
 *
 * Return: the quarter's sub-block if @addr lies in its span, else
 * @block's resource.
 */
struct resource *cmafw_sub_holding(struct cma_region_state *state,
				   struct cmafw_block *block,
				   resource_size_t addr)
{
	struct resource *sub;

	sub = cmafw_sub_find(state, block, cmafw_sub_nr(state, block, addr));
	if (sub && addr >= sub->start && addr <= sub->end)
		return sub;
	return &block->res;
}

/**
 * cmafw_sub_prune() - drop @addr's sub-block if it holds nothing.
 * @state:	the region.
 * @block:	the block @addr lies in.
 * @addr:	where a chunk failed to go.
 */
void cmafw_sub_prune(struct cma_region_state *state,
		     struct cmafw_block *block, resource_size_t addr)
{
	struct resource *sub;

	if (!block->dense)
		return;
	sub = cmafw_sub_find(state, block, cmafw_sub_nr(state, block, addr));
	if (sub && !sub->child)
		cmafw_sub_drop(block, sub);
}

/**
 * cmafw_sub_moved() - chunks came into @block's count, or left it, at once.
 * @state:	the region.
 * @block:	a group whose chunks a block's record took in (@gained
 *		false) or gave back (@gained true).
 * @n:		how many.
 * @gained:	which way.
 */
void cmafw_sub_moved(struct cma_region_state *state,
		     struct cmafw_block *block, unsigned int n, bool gained)
{
	if (gained)
		block->chunks += n;
	else if (!WARN_ON_ONCE(block->chunks < n))
		block->chunks -= n;
	cmafw_sub_follow(state, block);
}

/**
 * cmafw_sub_adopted() - a new record took in chunks all at once.
 * @state:	the region.
 * @block:	the record (index_build.c, index_gather.c); it counts its
 *		children that are chunks (busy, unlike index resources),
 *		and is made dense when they are enough.
 */
void cmafw_sub_adopted(struct cma_region_state *state,
		       struct cmafw_block *block)
{
	struct resource *res;

	block->chunks = 0;
	for (res = block->res.child; res; res = res->sibling)
		if (res->flags & IORESOURCE_BUSY)
			block->chunks++;
	cmafw_sub_follow(state, block);
}
