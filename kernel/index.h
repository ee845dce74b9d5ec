/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cmafw: the index's records, shared by index.c (groups and blocks),
 * index_sub.c (sub-blocks of crowded blocks), index_gather.c (records
 * slid under chunks already in place, and a block's record only while
 * enough chunks share it) and index_build.c (the whole index, made and
 * dropped as a region's chunks crowd and thin).  Nothing else needs them
 * but the benchmark, which counts them.
 */
#ifndef _CMAFW_INDEX_H
#define _CMAFW_INDEX_H

#include <linux/ioport.h>
#include <linux/types.h>

struct cma_region_state;

/*
 * How many chunks share a record, so that the index costs each chunk at
 * most 8 bytes (index_gather.c, index_sub.c): a block's record is made
 * when CMAFW_BLOCK_FORM of its chunks gather and goes below
 * CMAFW_BLOCK_MIN; a block is dense (2^CMAFW_SUB_ORDER sub-blocks) from
 * CMAFW_SUB_DENSE chunks and plain again below CMAFW_SUB_SPARSE.
 */
#define CMAFW_BLOCK_FORM	16
#define CMAFW_BLOCK_MIN		12
#define CMAFW_SUB_ORDER		2
#define CMAFW_SUB_DENSE		56
#define CMAFW_SUB_SPARSE	44

/*
 * A group with CMAFW_BAND_DENSE chunks or more outside its blocks' records
 * hangs them under 2^CMAFW_BAND_ORDER bands, its sub-blocks, until they are
 * fewer than CMAFW_BAND_SPARSE (index_sub.c).  Bands are few for the
 * region's size, like groups.
 */
#define CMAFW_BAND_ORDER	3
#define CMAFW_BAND_DENSE	48
#define CMAFW_BAND_SPARSE	24

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

/* index.c */
struct cmafw_block **cmafw_index_slot(const struct cma_region_state *state,
				      unsigned int l, resource_size_t addr);
void cmafw_index_range(const struct cma_region_state *state,
		       unsigned int l, struct cmafw_block **slot,
		       const struct resource *parent,
		       resource_size_t *lo, resource_size_t *hi);
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
void cmafw_sub_added(struct cma_region_state *state,
		     struct cmafw_block *block);
void cmafw_sub_adopted(struct cma_region_state *state,
		       struct cmafw_block *block);
void cmafw_sub_moved(struct cma_region_state *state,
		     struct cmafw_block *block, unsigned int n, bool gained);
void cmafw_sub_lift(struct cmafw_block *block);

/* index_gather.c */
struct cmafw_block *cmafw_index_gather(struct cma_region_state *state,
				       unsigned int l, struct cmafw_block **slot,
				       struct resource *parent,
				       const struct resource *prev,
				       const struct resource *first);
void cmafw_index_scatter(struct cma_region_state *state, unsigned int l,
			 struct cmafw_block **slot);
void cmafw_loose_added(struct cma_region_state *state,
		       struct cmafw_block **slot, struct resource *parent);
void cmafw_loose_removed(struct cma_region_state *state,
			 const struct resource *res);
void cmafw_block_thinned(struct cma_region_state *state,
			 struct cmafw_block *block);

/* index_build.c */
bool cmafw_index_enabled(void);
void cmafw_index_follow(struct cma_region_state *state, unsigned int chunks);
void cmafw_sub_removed(struct cma_region_state *state,
		       struct cmafw_block *block, struct resource *parent);

#endif /* _CMAFW_INDEX_H */
