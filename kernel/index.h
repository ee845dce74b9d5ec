/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cmafw: the index's records, shared by index.c (groups and blocks),
 * index_sub.c (sub-blocks of crowded blocks), index_gather.c (records
 * slid under chunks already in place, and a block's record only while
 * enough chunks share it) and index_build.c (the whole index, made and
 * dropped as a region's chunks crowd and thin).  Nothing else needs them
 * but the benchmark, which counts them.
 *
 * The checks every allocation and free passes through are inline here, so
 * this header reads the region's state from internal.h, which never
 * includes it.
 */
#ifndef _CMAFW_INDEX_H
#define _CMAFW_INDEX_H

#include <linux/ioport.h>
#include <linux/lockdep.h>
#include <linux/types.h>

#include "internal.h"

/*
 * How many chunks share a record, so that the index costs each chunk at
 * most 8 bytes (index_gather.c, index_sub.c): a block's record is made
 * when CMAFW_BLOCK_FORM of its chunks gather and goes below
 * CMAFW_BLOCK_MIN; a block is dense (2^CMAFW_SUB_ORDER sub-blocks) from
 * CMAFW_SUB_DENSE chunks and plain again below CMAFW_SUB_SPARSE.  A
 * chunk in the part of a quarter that a straddler took hangs under the
 * dense block itself while fewer than CMAFW_SUB_LOOSE_MAX chunks do.
 */
#define CMAFW_BLOCK_FORM	16
#define CMAFW_BLOCK_MIN		12
#define CMAFW_SUB_ORDER		2
#define CMAFW_SUB_DENSE		56
#define CMAFW_SUB_SPARSE	44
#define CMAFW_SUB_LOOSE_MAX	8

/*
 * A group with CMAFW_BAND_DENSE chunks or more outside its blocks' records
 * hangs them under 2^CMAFW_BAND_ORDER bands, its sub-blocks, until they are
 * fewer than CMAFW_BAND_SPARSE (index_sub.c).  Bands are few for the
 * region's size, like groups.
 */
#define CMAFW_BAND_ORDER	3
#define CMAFW_BAND_DENSE	48
#define CMAFW_BAND_SPARSE	24

/*
 * The most bytes of the index's bulk, what no CMAFW_BLOCK_MIN chunks share
 * (its arrays, and groups' records and bands), that each chunk bears while
 * the region has an index (index_build.c).  A chunk's metadata at worst,
 * against the budget of 128 bytes over the allocator's bit a page: its
 * resource and owner's share (chunk.c, 64), its share of the records
 * above (8), this, and the "bitmap" allocator's summary tree
 * (TREE_CHUNK_BYTES, 16, bitmap_tree.h).
 */
#define CMAFW_INDEX_CHUNK_BYTES	40

/**
 * struct cmafw_block - an index resource grouping a block's (or a group's)
 * chunks and blocks.
 * @res:	child of the chunk root (internal.h) or of a group's; spans its
 *		block but for the ends straddlers cover.
 * @chunks:	for a block, the chunks under it, at any depth; for a
 *		group, those under it outside its blocks' records.
 * @dense:	whether its chunks hang under sub-blocks (index_sub.c).
 * @group:	a group's record: its sub-blocks are bands, an eighth of it,
 *		not quarters.  (A bit, not a field: with a byte more, a block's
 *		record and its name would not fit in 96 bytes.)
 * @name:	"cmafw:<region>#<block>" or "cmafw:<region>#<first>-<last>",
 *		which @res.name points at.
 */
struct cmafw_block {
	struct resource res;
	unsigned int chunks : 30;
	unsigned int dense : 1;
	unsigned int group : 1;
	char name[];
};

/**
 * cmafw_sub_is_sub() - whether @res is one of @block's sub-blocks.
 * @block:	a block (the index's deepest level).
 * @res:	one of its children.
 *
 * A sub-block shares its block's name (index_sub.c).
 *
 * Return: true for a sub-block of a dense block.
 */
static inline bool cmafw_sub_is_sub(const struct cmafw_block *block,
				    const struct resource *res)
{
	return block->dense && res->name == block->res.name;
}

/**
 * cmafw_index_span_end() - the last address of a slot, within its parent.
 * @start:	the slot's first address, at most @cap.
 * @shift:	log2 of the slot's size.
 * @cap:	the parent's last address.
 *
 * The last slot of a region that ends at the top of the address space
 * (0xffffffff on a 32-bit kernel) may reach past it: @start plus the
 * slot's size would wrap.
 *
 * Return: the lesser of @cap and the slot's last address.
 */
static inline resource_size_t cmafw_index_span_end(resource_size_t start,
						   unsigned int shift,
						   resource_size_t cap)
{
	resource_size_t mask = ((resource_size_t)1 << shift) - 1;

	return cap - start <= mask ? cap : start + mask;
}

/**
 * cmafw_index_slot() - where level @l's index resource for @addr is kept.
 * @state:	the region.
 * @l:		the level, 0 the coarsest (index.c).
 * @addr:	an address inside the region.
 *
 * Inline: an allocation and a free ask it several times, from index.c,
 * index_sub.c, index_gather.c and the checks below.
 *
 * Return: the slot, which holds NULL when there is no such resource.
 */
static inline struct cmafw_block **
cmafw_index_slot(const struct cma_region_state *state, unsigned int l,
		 resource_size_t addr)
{
	return &state->index[l].slots[(addr - state->res->start) >>
				      state->index[l].shift];
}

/* index.c */
void cmafw_index_range(const struct cma_region_state *state,
		       unsigned int l, struct cmafw_block **slot,
		       const struct resource *parent,
		       resource_size_t *lo, resource_size_t *hi);
unsigned int cmafw_index_utoa(char *p, unsigned long v);
struct cmafw_block *cmafw_index_new(struct cma_region_state *state,
				    unsigned int l, struct cmafw_block **slot);
void cmafw_index_recycle(struct cma_region_state *state, unsigned int l,
			 struct cmafw_block *block);
int cmafw_index_stretch(struct resource *res, resource_size_t lo,
			resource_size_t hi, resource_size_t start,
			resource_size_t end);

/* index_sub.c */
struct resource *cmafw_sub_parent(struct cma_region_state *state,
				  struct cmafw_block *block,
				  resource_size_t start, resource_size_t end);
struct resource *cmafw_sub_holding(struct cma_region_state *state,
				   struct cmafw_block *block,
				   resource_size_t addr);
void cmafw_sub_make_room(struct cma_region_state *state,
			 struct cmafw_block *block, resource_size_t start,
			 resource_size_t end);
void cmafw_sub_prune(struct cma_region_state *state,
		     struct cmafw_block *block, resource_size_t addr);
void cmafw_sub_split(struct cma_region_state *state,
		     struct cmafw_block *block);
void cmafw_sub_drop(const struct cmafw_block *block, struct resource *sub);
void cmafw_sub_adopted(struct cma_region_state *state,
		       struct cmafw_block *block);
void cmafw_sub_moved(struct cma_region_state *state,
		     struct cmafw_block *block, unsigned int n, bool gained);
void cmafw_sub_lift(const struct cma_region_state *state,
		    struct cmafw_block *block);
void cmafw_sub_exit(struct cma_region_state *state);

/* index_gather.c */
struct cmafw_block *cmafw_index_gather(struct cma_region_state *state,
				       unsigned int l, struct cmafw_block **slot,
				       struct resource *parent,
				       const struct resource *prev,
				       const struct resource *first);
void cmafw_index_scatter(struct cma_region_state *state, unsigned int l,
			 struct cmafw_block **slot);
void cmafw_loose_gather(struct cma_region_state *state,
			struct cmafw_block **slot, struct resource *parent);
void cmafw_block_dissolve(struct cma_region_state *state,
			  struct cmafw_block *block);

/* index_build.c */
bool cmafw_index_enabled(void);
void cmafw_index_set_from(struct cma_region_state *state);
void cmafw_index_arrays_free(struct cma_region_state *state);
void cmafw_index_turn(struct cma_region_state *state);

/*
 * Every allocation and free passes through what follows, which changes a
 * count and only rarely more: the checks are inline, so that the hot path
 * pays no call for them (under TCG a call costs as much as a few dozen
 * instructions).
 */

/**
 * cmafw_index_follow() - build or drop a region's index for its chunk count
 * (index_build.c).
 * @state:	the region.
 * @chunks:	the chunks it holds now, the one just hung or taken out
 *		counted.
 *
 * Context: the region's mutex held.
 */
static inline void cmafw_index_follow(struct cma_region_state *state,
				      unsigned int chunks)
{
	lockdep_assert_held(&state->lock);
	if (state->index_from &&
	    (state->indexed ? chunks < state->index_from / 4 :
			      chunks >= state->index_from))
		cmafw_index_turn(state);
}

/**
 * cmafw_loose_added() - a chunk now hangs loose for a block without a record.
 * @state:	the region, indexed.
 * @slot:	the block's slot, which holds no record.
 * @parent:	what the chunk hangs under: the group's resource, or the
 *		chunk root.
 *
 * From CMAFW_BLOCK_FORM chunks the block gets its record (index_gather.c).
 */
static inline void cmafw_loose_added(struct cma_region_state *state,
				     struct cmafw_block **slot,
				     struct resource *parent)
{
	struct cmafw_index_level *level = &state->index[state->nr_levels - 1];

	if (++level->loose[slot - level->slots] >= CMAFW_BLOCK_FORM)
		cmafw_loose_gather(state, slot, parent);
}

/**
 * cmafw_loose_removed() - a chunk that hung outside any block record went.
 * @state:	the region, indexed.
 * @res:	the chunk's resource, out of the tree.
 *
 * A straddler of blocks was never counted.
 */
static inline void cmafw_loose_removed(struct cma_region_state *state,
				       const struct resource *res)
{
	unsigned int l = state->nr_levels - 1;
	struct cmafw_block **slot;
	unsigned short *loose;

	if (!state->nr_levels)
		return;
	slot = cmafw_index_slot(state, l, res->start);
	if (slot != cmafw_index_slot(state, l, res->end))
		return;
	loose = &state->index[l].loose[slot - state->index[l].slots];
	if (!WARN_ON_ONCE(!*loose))
		(*loose)--;
}

/* The chunks from which a record's chunks hang under sub-blocks. */
static inline unsigned int cmafw_sub_dense_at(const struct cmafw_block *block)
{
	return block->group ? CMAFW_BAND_DENSE : CMAFW_SUB_DENSE;
}

/* And below which they hang under it again. */
static inline unsigned int cmafw_sub_sparse_at(const struct cmafw_block *block)
{
	return block->group ? CMAFW_BAND_SPARSE : CMAFW_SUB_SPARSE;
}

/**
 * cmafw_sub_follow() - make @block dense, or plain, for its chunk count.
 * @state:	the region.
 * @block:	a block, or a group (index_sub.c).
 *
 * Sub-blocks from CMAFW_SUB_DENSE chunks (a block) or CMAFW_BAND_DENSE (a
 * group) on, and while dense down to CMAFW_SUB_SPARSE or CMAFW_BAND_SPARSE.
 */
static inline void cmafw_sub_follow(struct cma_region_state *state,
				    struct cmafw_block *block)
{
	if (!block->dense && block->chunks >= cmafw_sub_dense_at(block))
		cmafw_sub_split(state, block);
	else if (block->dense && block->chunks < cmafw_sub_sparse_at(block))
		cmafw_sub_lift(state, block);
}

/**
 * cmafw_sub_added() - a chunk now hangs in @block's subtree.
 * @state:	the region.
 * @block:	a block, or a group for a chunk outside its blocks' records;
 *		made dense when it has enough (index_sub.c).
 */
static inline void cmafw_sub_added(struct cma_region_state *state,
				   struct cmafw_block *block)
{
	block->chunks++;
	cmafw_sub_follow(state, block);
}

/**
 * cmafw_sub_removed() - a chunk left @block's subtree.
 * @state:	the region.
 * @block:	a block, or a group for a chunk outside its blocks'
 *		records; plain again when it has too few (index_sub.c).
 * @parent:	what the chunk hung under: @block, or one of its sub-blocks,
 *		which goes if it holds nothing more.
 */
static inline void cmafw_sub_removed(struct cma_region_state *state,
				     struct cmafw_block *block,
				     struct resource *parent)
{
	block->chunks--;
	if (parent != &block->res && !parent->child)
		cmafw_sub_drop(block, parent);
	cmafw_sub_follow(state, block);
}

/**
 * cmafw_block_thinned() - a chunk left @block's subtree.
 * @state:	the region.
 * @block:	the block; its record goes below CMAFW_BLOCK_MIN chunks
 *		(index_gather.c).
 */
static inline void cmafw_block_thinned(struct cma_region_state *state,
				       struct cmafw_block *block)
{
	if (block->chunks < CMAFW_BLOCK_MIN)
		cmafw_block_dissolve(state, block);
}

#endif /* _CMAFW_INDEX_H */
