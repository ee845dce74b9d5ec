// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: where a chunk's resource hangs in the resource tree.
 *
 * kernel/resource.c keeps a resource's children in a sorted singly linked
 * list and walks it to insert and to release, so a region whose chunks
 * were all direct children would cost O(chunks) per allocation and free.
 * Instead a region of at least CMAFW_INDEX_MIN_PAGES is cut into aligned
 * blocks of about sqrt(pages) pages, and a region of at least
 * CMAFW_INDEX_MIN_GROUPED blocks also into aligned groups of about
 * 2 * sqrt(blocks) blocks: one or two index levels, group over block.
 * (Twice the square root: half as many group records, which a region
 * holding a few large chunks pays for in its metadata budget, for group
 * lists twice as long.  With sqrt(blocks), fw-bitmap's 72 chunks at the
 * camera trace's end kept 16 group records, over its budget.)
 *
 * - a chunk inside one block hangs under that block's index resource,
 *   "cmafw:<region>#<block>", which exists only while enough chunks share
 *   it (index_gather.c); until then the block's chunks hang loose under
 *   its group's;
 * - a block's resource, and a chunk that straddles blocks but lies inside
 *   one group, hang under the group's index resource,
 *   "cmafw:<region>#<first block>-<last block>", which exists only while
 *   it has some;
 * - a chunk that straddles groups (or blocks, without groups) hangs
 *   directly under the region.
 *
 * Each level's index resources are found through a pointer array
 * (@state->index[]), so descending needs no walk, and every sibling list
 * kernel/resource.c walks holds at most about sqrt(blocks) index lines, as
 * many straddlers and a few loose chunks for each block, or the chunks of
 * one block, whatever the number of chunks.  A block crowded with chunks
 * hangs them under sub-blocks, one per quarter of it, which exist only
 * there (index_sub.c).  And a region holding only a few dozen chunks, or
 * fewer than pay for its index, has no index at all: they hang right
 * under it until they crowd (index_build.c).
 *
 * An index resource spans its whole block (or group) but for the ends that
 * straddlers cover: the chunks of the block a straddler starts in lie
 * before it, those of the block it ends in after it, so a block gives up
 * that part of its span when a straddler comes (cmafw_index_make_room(),
 * the finer level first) and takes it back, when a chunk needs it, only
 * once the straddler is gone (cmafw_index_grow(), the coarser level
 * first).  So adjust_resource(), which walks the parent's children, is
 * rare: a chunk that lands inside its block's span costs one
 * request_resource() and one release_resource() on the block's list.
 * /proc/iomem still shows every chunk with its owner, under its region.
 *
 * Lock rules: everything here runs under the region's mutex (internal.h);
 * only this file, and index_sub.c for it, add or remove index resources,
 * and only chunk.c (through this file) adds or removes chunks under a
 * region, so the subtree may be walked under that mutex.
 * kernel/resource.c's resource_lock is taken inside its functions that
 * this file and index_sub.c call, and never held here.
 */
#define pr_fmt(fmt) "cmafw: " fmt

#include <linux/ioport.h>
#include <linux/log2.h>
#include <linux/math.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "index.h"
#include "internal.h"

#define CMAFW_INDEX_MIN_PAGES	256
#define CMAFW_INDEX_MIN_BLOCK	64
/* So that a block's count of loose chunks fits in 16 bits. */
#define CMAFW_INDEX_MAX_BLOCK	32768
#define CMAFW_INDEX_MIN_GROUPED	64

/* The number, within its level, of the slot at @slot. */
static unsigned long cmafw_index_nr(const struct cma_region_state *state,
				    unsigned int l, struct cmafw_block **slot)
{
	return slot - state->index[l].slots;
}

static bool cmafw_index_is_block(const struct cma_region_state *state,
				 unsigned int l, const struct resource *res)
{
	struct cmafw_block *block;

	if (l >= state->nr_levels)
		return false;
	block = *cmafw_index_slot(state, l, res->start);
	return block && &block->res == res;
}

/**
 * cmafw_index_init() - shape the index of a region being registered.
 * @state:	the region; @state->res and @state->res_name are set.
 *
 * Its levels' block sizes and slot counts, and from how many chunks it is
 * built (index_build.c); nothing is allocated before that.
 */
void cmafw_index_init(struct cma_region_state *state)
{
	resource_size_t last = resource_size(state->res) - 1;
	unsigned long pages = resource_size(state->res) >> PAGE_SHIFT;
	unsigned long block_pages;
	unsigned int shift, l, depth = 0;

	state->nr_levels = 0;
	state->index_depth = 0;
	state->index_from = 0;
	if (!cmafw_index_enabled() || pages < CMAFW_INDEX_MIN_PAGES)
		return;
	block_pages = clamp_t(unsigned long,
			      roundup_pow_of_two(int_sqrt(pages)),
			      CMAFW_INDEX_MIN_BLOCK, CMAFW_INDEX_MAX_BLOCK);
	shift = PAGE_SHIFT + ilog2(block_pages);
	if ((last >> shift) + 1 >= CMAFW_INDEX_MIN_GROUPED) {
		/* Groups of about 2 * sqrt(blocks) blocks. */
		state->index[0].shift = shift +
			ilog2(roundup_pow_of_two(2 * int_sqrt((last >> shift) + 1)));
		depth = 1;
	}
	state->index[depth++].shift = shift;
	for (l = 0; l < depth; l++)
		state->index[l].nr = (last >> state->index[l].shift) + 1;
	state->index_depth = depth;
	cmafw_index_set_from(state);
}

/* One of the region's spare block records, unzeroed; NULL if none. */
static struct cmafw_block *cmafw_index_spare(struct cma_region_state *state)
{
	struct resource *res = cmafw_spare_take(&state->spare_blocks);

	return res ? container_of(res, struct cmafw_block, res) : NULL;
}

/**
 * cmafw_index_exit() - free the index of a region without chunks.
 * @state:	the region.
 */
void cmafw_index_exit(struct cma_region_state *state)
{
	struct cmafw_block *block;

	cmafw_index_arrays_free(state);
	while ((block = cmafw_index_spare(state)))
		kfree(block);
}

/**
 * cmafw_index_range() - the first and last address a slot may span.
 * @state:	the region.
 * @l:		the slot's level.
 * @slot:	the slot.
 * @parent:	what its index resource hangs under.
 * @lo:		set to the slot's first address, within @parent.
 * @hi:		and its last.
 */
void cmafw_index_range(const struct cma_region_state *state,
		       unsigned int l, struct cmafw_block **slot,
		       const struct resource *parent,
		       resource_size_t *lo, resource_size_t *hi)
{
	unsigned int shift = state->index[l].shift;
	resource_size_t start;

	start = state->res->start +
		((resource_size_t)cmafw_index_nr(state, l, slot) << shift);
	*lo = max(parent->start, start);
	*hi = cmafw_index_span_end(start, shift, parent->end);
}

/*
 * A straddler [start, end] of level @l's slots is about to hang above that
 * level: the index resources of that level and finer ones that it starts
 * and ends in give up the part of their span it covers, the finer first,
 * as their children must stay inside them.  Their chunks lie before
 * @start and after @end respectively, so the shrunk spans still hold them.
 */
static void cmafw_index_make_room(struct cma_region_state *state,
				  unsigned int l, resource_size_t start,
				  resource_size_t end)
{
	unsigned int m = state->nr_levels;

	while (m-- > l) {
		struct cmafw_block *first = *cmafw_index_slot(state, m, start);
		struct cmafw_block *last = *cmafw_index_slot(state, m, end);

		/* A dense record's sub-blocks, finer, come first. */
		if (first)
			cmafw_sub_make_room(state, first, start, end);
		if (last)
			cmafw_sub_make_room(state, last, start, end);
		if (first && first->res.end >= start && first->res.start < start)
			adjust_resource(&first->res, first->res.start,
					start - first->res.start);
		if (last && last->res.start <= end && last->res.end > end)
			adjust_resource(&last->res, end + 1, last->res.end - end);
	}
}

/**
 * cmafw_index_stretch() - grow an index resource to cover a new chunk.
 * @res:	a block's, a group's or a sub-block's resource.
 * @lo:		the first byte its slot lets it span.
 * @hi:		and the last.
 * @start:	the chunk's first byte.
 * @end:	and its last.
 *
 * To the whole slot on the side that grows when no straddler is in the
 * way, else just enough.
 *
 * Return: 0, or adjust_resource()'s error.
 */
int cmafw_index_stretch(struct resource *res, resource_size_t lo,
			resource_size_t hi, resource_size_t start,
			resource_size_t end)
{
	lo = start < res->start ? lo : res->start;
	hi = end > res->end ? hi : res->end;
	if (!adjust_resource(res, lo, hi - lo + 1))
		return 0;
	lo = min(res->start, start);
	hi = max(res->end, end);
	return adjust_resource(res, lo, hi - lo + 1);
}

/* Grow @slot's block, under @parent which holds [start, end], to cover it. */
static int cmafw_index_grow(struct cma_region_state *state, unsigned int l,
			    struct cmafw_block **slot,
			    const struct resource *parent,
			    resource_size_t start, resource_size_t end)
{
	resource_size_t lo, hi;

	cmafw_index_range(state, l, slot, parent, &lo, &hi);
	return cmafw_index_stretch(&(*slot)->res, lo, hi, start, end);
}

/* Write @v in decimal at @p; return the number of characters. */
unsigned int cmafw_index_utoa(char *p, unsigned long v)
{
	char digits[20];
	unsigned int n = 0, i;

	do {
		digits[n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	for (i = 0; i < n; i++)
		p[i] = digits[n - 1 - i];
	return n;
}

/**
 * cmafw_index_new() - a record for the index resource of a slot.
 * @state:	the region.
 * @l:		the slot's level.
 * @slot:	the slot.
 *
 * Its resource zeroed and named: "<res_name>#<block>" for a block, one of
 * the region's spare records if it has one (every block's name fits in the
 * same record, and snprintf() is slow next to the rest of an allocation),
 * or "<res_name>#<first>-<last>" for a group, its blocks.
 *
 * Return: the record, or NULL out of memory.
 */
struct cmafw_block *cmafw_index_new(struct cma_region_state *state,
				    unsigned int l, struct cmafw_block **slot)
{
	unsigned int deepest = state->nr_levels - 1;
	size_t len = strlen(state->res_name);
	unsigned long k = cmafw_index_nr(state, l, slot);
	struct cmafw_block *block = NULL;
	/* '#', 20 digits, '-', 20 digits and a NUL. */
	char suffix[43], last[20];
	size_t n = 1;

	suffix[0] = '#';
	if (l == deepest) {
		n += cmafw_index_utoa(suffix + n, k);
		block = cmafw_index_spare(state);
	} else {
		unsigned int bits = state->index[l].shift -
				    state->index[deepest].shift;
		unsigned long nr = state->index[deepest].nr;

		n += cmafw_index_utoa(suffix + n, k << bits);
		suffix[n++] = '-';
		n += cmafw_index_utoa(suffix + n,
				      min(nr, (k + 1) << bits) - 1);
	}
	suffix[n++] = '\0';
	if (block) {
		memset(&block->res, 0, sizeof(block->res));
		block->chunks = 0;
		block->dense = 0;
	} else {
		/* A block's record holds any block's name: the last one's. */
		size_t room = l == deepest ?
			2 + cmafw_index_utoa(last, state->index[l].nr - 1) : n;

		/* The name from its offset: sizeof() pads after @dense. */
		block = kzalloc(offsetof(struct cmafw_block, name) + len + room,
				GFP_KERNEL);
		if (!block)
			return NULL;
	}
	memcpy(block->name, state->res_name, len);
	memcpy(block->name + len, suffix, n);
	block->res.name = block->name;
	block->group = l != deepest;
	return block;
}

/**
 * cmafw_index_recycle() - keep a record among the region's spares, or free it.
 * @state:	the region.
 * @l:		the level of the index resource it was.
 * @block:	the record, out of the resource tree.
 */
void cmafw_index_recycle(struct cma_region_state *state, unsigned int l,
			 struct cmafw_block *block)
{
	if (l != state->nr_levels - 1 ||
	    !cmafw_spare_keep(&state->spare_blocks, &block->res,
			      CMAFW_SPARE_BLOCKS))
		kfree(block);
}

/* Drop level @l's index resource at @slot, which has no child left. */
static void cmafw_index_drop(struct cma_region_state *state, unsigned int l,
			     struct cmafw_block **slot)
{
	struct cmafw_block *block = *slot;

	*slot = NULL;
	release_resource(&block->res);
	cmafw_index_recycle(state, l, block);
}

/*
 * Drop the index resources on @addr's path that have no child left, the
 * finer first: an index resource exists only while it holds something.
 * (Sub-blocks, finer still, are dropped by the caller.)
 */
static void cmafw_index_prune(struct cma_region_state *state,
			      resource_size_t addr)
{
	unsigned int l = state->nr_levels;

	while (l--) {
		struct cmafw_block **slot = cmafw_index_slot(state, l, addr);

		if (!*slot)
			continue;
		if ((*slot)->res.child)
			return;
		cmafw_index_drop(state, l, slot);
	}
}

/*
 * The span of a new index resource for level @l's @slot under @parent,
 * whose first chunk starts at @start: the whole slot but for where
 * @parent's children next to it, straddlers, reach into it.  One walk of
 * @parent's children, which only this file changes and only under the
 * region's mutex; it leaves them in the cache for request_resource()'s
 * walk.
 */
static void cmafw_index_span(struct cma_region_state *state, unsigned int l,
			     struct cmafw_block **slot,
			     const struct resource *parent,
			     resource_size_t start, resource_size_t *lo,
			     resource_size_t *hi)
{
	struct resource *next = parent->child, *prev = NULL;

	cmafw_index_range(state, l, slot, parent, lo, hi);
	for (; next && next->start < start; next = next->sibling)
		prev = next;
	if (prev && prev->end >= *lo)
		*lo = prev->end + 1;
	if (next && next->start <= *hi)
		*hi = next->start - 1;
}

/*
 * The deepest index resource that holds [start, end] entirely, a group's
 * (and a dense group's band) created if need be; the region's chunk root
 * if none.  *@blockp is the block (the deepest level) it lies inside, or
 * NULL; otherwise *@groupp is the group it lies inside, or NULL, and
 * *@loosep the slot of a block without a record that it lies inside, or
 * NULL.  On error the caller prunes what was created.
 */
static struct resource *cmafw_index_parent(struct cma_region_state *state,
					   resource_size_t start,
					   resource_size_t end,
					   struct cmafw_block **blockp,
					   struct cmafw_block **groupp,
					   struct cmafw_block ***loosep)
{
	struct resource *parent = state->chunk_root;
	unsigned int l;

	*blockp = NULL;
	*groupp = NULL;
	*loosep = NULL;
	if (!state->indexed)
		return parent;
	for (l = 0; l < state->nr_levels; l++) {
		struct cmafw_block **slot = cmafw_index_slot(state, l, start);
		struct cmafw_block *block = *slot;
		resource_size_t lo, hi;

		if (slot != cmafw_index_slot(state, l, end)) {
			cmafw_index_make_room(state, l, start, end);
			return parent;
		}
		/* A block's record comes once its chunks gather. */
		if (!block && l == state->nr_levels - 1) {
			*loosep = slot;
			return parent;
		}
		if (block) {
			/*
			 * A span only grows here, and only shrinks for a
			 * straddler: most chunks land inside it with no
			 * adjust_resource() and its walk of the parent's
			 * children.
			 */
			if ((start < block->res.start || end > block->res.end) &&
			    cmafw_index_grow(state, l, slot, parent, start, end))
				return ERR_PTR(-EBUSY);
		} else {
			block = cmafw_index_new(state, l, slot);
			if (!block)
				return ERR_PTR(-ENOMEM);
			cmafw_index_span(state, l, slot, parent, start, &lo,
					 &hi);
			/* Field by field: 6.1's DEFINE_RES_NAMED() is no rvalue. */
			block->res.start = lo;
			block->res.end = hi;
			block->res.flags = IORESOURCE_MEM;
			if (request_resource(parent, &block->res)) {
				cmafw_index_recycle(state, l, block);
				return ERR_PTR(-EBUSY);
			}
			*slot = block;
		}
		parent = &block->res;
		if (l + 1 == state->nr_levels)
			continue;
		/*
		 * Inside one group: a dense one's bands come next, once the
		 * blocks, finer, gave a straddler of theirs room.
		 */
		*groupp = block;
		if (!block->dense)
			continue;
		if (cmafw_index_slot(state, l + 1, start) !=
		    cmafw_index_slot(state, l + 1, end))
			cmafw_index_make_room(state, l + 1, start, end);
		parent = cmafw_sub_parent(state, block, start, end);
		if (IS_ERR(parent))
			return parent;
	}
	/* Inside one block: a dense one's sub-blocks come next. */
	if (state->nr_levels) {
		*groupp = NULL;
		*blockp = container_of(parent, struct cmafw_block, res);
		if ((*blockp)->dense)
			return cmafw_sub_parent(state, *blockp, start, end);
	}
	return parent;
}

/* The block (the deepest level) whose subtree holds chunk @res, or NULL. */
static struct cmafw_block *cmafw_index_block_of(struct cma_region_state *state,
						const struct resource *res)
{
	struct cmafw_block *block;

	if (!state->nr_levels)
		return NULL;
	block = *cmafw_index_slot(state, state->nr_levels - 1, res->start);
	if (!block)
		return NULL;
	if (res->parent == &block->res ||
	    (res->parent->parent == &block->res &&
	     cmafw_sub_is_sub(block, res->parent)))
		return block;
	return NULL;
}

/*
 * The group whose count holds chunk @res, which hangs under no block's
 * record: the group it lies inside, if any (and the region has groups).
 */
static struct cmafw_block *cmafw_index_group_of(struct cma_region_state *state,
						const struct resource *res)
{
	struct cmafw_block **slot;

	if (state->nr_levels < 2)
		return NULL;
	slot = cmafw_index_slot(state, 0, res->start);
	return slot == cmafw_index_slot(state, 0, res->end) ? *slot : NULL;
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
	struct cmafw_block *block, *group, **loose;
	struct resource *parent;
	int ret = -EBUSY;

	lockdep_assert_held(&state->lock);
	parent = cmafw_index_parent(state, res->start, res->end, &block,
				    &group, &loose);
	if (IS_ERR(parent)) {
		ret = PTR_ERR(parent);
	} else if (!request_resource(parent, res)) {
		if (block)
			cmafw_sub_added(state, block);
		/* Either may move it: its group into a band, or out of it. */
		if (group)
			cmafw_sub_added(state, group);
		if (loose)
			cmafw_loose_added(state, loose, res->parent);
		cmafw_index_follow(state, state->chunks + 1);
		return 0;
	}
	if (block)
		cmafw_sub_prune(state, block, res->start);
	if (group)
		cmafw_sub_prune(state, group, res->start);
	cmafw_index_prune(state, res->start);
	return ret;
}

/**
 * cmafw_index_find() - find the chunk resource that starts at @addr.
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
	unsigned int l;

	lockdep_assert_held(&state->lock);
	for (l = 0; l < state->nr_levels; l++) {
		block = *cmafw_index_slot(state, l, addr);
		if (!block || addr < block->res.start || addr > block->res.end) {
			block = NULL;
			break;
		}
		/* A dense group's band, or a dense block's sub-block. */
		parent = block->dense ?
			cmafw_sub_holding(state, block, addr) : &block->res;
	}
	/*
	 * An index resource starting at @addr would hold it: the walk above
	 * went into it.  So a match here is a busy resource, or none.
	 */
	for (res = parent->child; res && res->start <= addr;
	     res = res->sibling)
		if (res->start == addr)
			return res->flags & IORESOURCE_BUSY ? res : NULL;
	return NULL;
}

/**
 * cmafw_index_remove() - take a chunk's resource out of the region.
 * @state:	the region.
 * @res:	a chunk's resource, found by cmafw_index_find().
 */
void cmafw_index_remove(struct cma_region_state *state, struct resource *res)
{
	struct cmafw_block *block = cmafw_index_block_of(state, res);
	struct resource *parent = res->parent;
	bool emptied;

	lockdep_assert_held(&state->lock);
	release_resource(res);
	/*
	 * Only an index resource left with no child can go, with those
	 * above it that then hold nothing: read before a sub-block that
	 * emptied is dropped below.
	 */
	emptied = parent != state->chunk_root && !parent->child;
	if (block) {
		cmafw_sub_removed(state, block, parent);
		cmafw_block_thinned(state, block);
	} else if (state->indexed) {
		struct cmafw_block *group = cmafw_index_group_of(state, res);

		if (group)
			cmafw_sub_removed(state, group, parent);
		cmafw_loose_removed(state, res);
	}
	/* An index resource keeps its span while it holds chunks: no walk. */
	if (emptied)
		cmafw_index_prune(state, res->start);
	cmafw_index_follow(state, state->chunks - 1);
}

/*
 * Visit @parent's children, level @l's index resources among them, and
 * @rec's sub-blocks (bands or quarters) if @parent is that record's.
 */
static void cmafw_index_walk_from(struct cma_region_state *state,
				  struct resource *parent, unsigned int l,
				  const struct cmafw_block *rec,
				  void (*fn)(void *arg, struct resource *res),
				  void *arg)
{
	struct resource *res;

	for (res = parent->child; res; res = res->sibling) {
		if (rec && cmafw_sub_is_sub(rec, res))
			cmafw_index_walk_from(state, res, l, NULL, fn, arg);
		else if (cmafw_index_is_block(state, l, res))
			cmafw_index_walk_from(state, res, l + 1,
					      container_of(res,
							   struct cmafw_block,
							   res),
					      fn, arg);
		else
			fn(arg, res);
	}
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
	lockdep_assert_held(&state->lock);
	cmafw_index_walk_from(state, state->chunk_root, 0, NULL, fn, arg);
}
