// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: chunks.  A chunk is a busy resource under its region, named after
 * its owner (owner.c), so /proc/iomem shows who holds what; index.c
 * decides where in the region's subtree it hangs.  The resource tree is
 * the only record of live chunks: free finds them there.  Everything here
 * runs under the region's mutex; see internal.h.
 */
#define pr_fmt(fmt) "cmafw: " fmt

#include <linux/err.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"
#include "lend.h"

/*
 * A chunk is a bare struct resource (kmalloc-64) whose name is its owner's
 * entry in owner.c.  A region's leaves are all chunks unless someone
 * inserted a resource of their own under our busy region; recognise ours
 * by that name pointer.
 */
static bool cmafw_is_chunk(struct cma_region_state *state,
			   const struct resource *res)
{
	return cmafw_owner_find(state, res->name);
}

/*
 * Whether @res holds any address aligned to @align: its first aligned
 * one, which is its start when that is 0, neither wraps nor passes its end.
 */
static bool cmafw_chunk_align_fits(const struct resource *res,
				   dma_addr_t align)
{
	resource_size_t first = ALIGN(res->start, align);

	return first >= res->start && first <= res->end;
}

/*
 * A record for a new chunk: a spare one, zeroed, else a new one.  Spares
 * spare the slab allocator a round trip per allocation and free.
 */
static struct resource *cmafw_chunk_record(struct cma_region_state *state)
{
	struct resource *res = cmafw_spare_take(&state->spares);

	if (!res)
		return kzalloc(sizeof(*res), GFP_KERNEL);
	memset(res, 0, sizeof(*res));
	return res;
}

/* Keep a record no chunk uses any more; false if it is to be freed. */
static bool cmafw_chunk_recycle(struct cma_region_state *state,
				struct resource *res)
{
	return cmafw_spare_keep(&state->spares, res, CMAFW_SPARE_CHUNKS);
}

/**
 * cmafw_chunk_exit() - free the spare records of a region going away,
 * and its idle owner entry.
 * @state:	the region, without chunks.
 */
void cmafw_chunk_exit(struct cma_region_state *state)
{
	struct resource *res;

	while ((res = cmafw_spare_take(&state->spares)))
		kfree(res);
	cmafw_owner_exit(state);
}

/**
 * cmafw_chunk_place() - ask the region's allocator for a placement.
 * @state:	the region.
 * @size:	bytes, whole pages.
 * @align:	a power of two, at least PAGE_SIZE.
 * @addr:	set to the placement.
 *
 * A placement that is not aligned or not wholly inside the region, which
 * only a broken allocator gives, is given back to it with a warning:
 * nothing that indexes the region by address ever sees it.
 *
 * Context: the region's mutex held.
 * Return: 0; -EFAULT for a misplacement; else the allocator's errno.
 */
int cmafw_chunk_place(struct cma_region_state *state, size_t size,
		      dma_addr_t align, dma_addr_t *addr)
{
	const struct resource *region = state->res;
	int ret;

	lockdep_assert_held(&state->lock);
	ret = state->alloc->alloc(state->alloc_priv, size, align, addr);
	if (ret)
		return ret;
	if (IS_ALIGNED(*addr, align) && *addr >= region->start &&
	    *addr <= region->end && size - 1 <= region->end - *addr)
		return 0;
	WARN(1, "cmafw: allocator %s misplaced %zu bytes aligned to %pad at %pad, outside region %s %pR or unaligned\n",
	     state->alloc->name, size, &align, addr, state->id, region);
	state->alloc->free(state->alloc_priv, *addr, size);
	return -EFAULT;
}

/* Undo a placement: the allocator's, and a lend region's take. */
static void cmafw_chunk_unplace(struct cma_region_state *state,
				dma_addr_t addr, size_t size)
{
	state->alloc->free(state->alloc_priv, addr, size);
	if (state->lend)
		cmafw_lend_give(state, addr, size);
}

/**
 * cmafw_chunk_alloc() - place a chunk in a region and record it.
 * @state:	the region.
 * @size:	bytes, whole pages.
 * @align:	a power of two, at least PAGE_SIZE.
 * @holder:	who will free it (internal.h).
 * @owner:	the name the chunk is shown under.
 * @type:	appended to @owner after a '/' unless NULL.
 *
 * Context: the region pinned (cmafw_region_pin_alloc()) and cmafw_rwsem not
 * held, so that a lend region's wait stalls no other region; takes the
 * region's mutex.
 * Return: the chunk's address, or a negative errno cast to dma_addr_t:
 * -ENOMEM; -ENOENT when its origin
 * refuses the first chunk; -EFAULT when the allocator misplaced it;
 * -EINTR when a fatal signal ended the wait for the region's mutex or a
 * lend region's take-back.
 */
dma_addr_t cmafw_chunk_alloc(struct cma_region_state *state, size_t size,
			     dma_addr_t align, enum cmafw_holder holder,
			     const char *owner, const char *type)
{
	struct cma_allocator *alloc = state->alloc;
	struct resource *res;
	const char *name;
	dma_addr_t addr;
	bool kept;
	int ret;

	/* A lend region's take-back may hold the mutex for seconds. */
	if (mutex_lock_killable(&state->lock))
		return -EINTR;
	res = cmafw_chunk_record(state);
	if (!res) {
		mutex_unlock(&state->lock);
		return -ENOMEM;
	}
	name = cmafw_owner_get(state, holder, owner, type);
	if (!name) {
		ret = -ENOMEM;
		goto out_record;
	}
	if (size > state->free || !cmafw_chunk_align_fits(state->res, align))
		ret = -ENOMEM;
	else if (state->lend)
		ret = cmafw_lend_place(state, size, align, &addr);
	else
		ret = cmafw_chunk_place(state, size, align, &addr);
	if (ret) {
		state->nr_fail++;
		if (ret != -EFAULT && ret != -EINTR)
			ret = -ENOMEM;
		goto out_owner;
	}
	if (!state->chunks && state->origin->first_chunk &&
	    state->origin->first_chunk(state->reg)) {
		/* The region is on its way out. */
		cmafw_chunk_unplace(state, addr, size);
		ret = -ENOENT;
		goto out_owner;
	}

	/* Field by field: 6.1's DEFINE_RES_NAMED() is no rvalue. */
	res->start = addr;
	res->end = addr + size - 1;
	res->name = name;
	res->flags = IORESOURCE_MEM | IORESOURCE_BUSY;
	ret = cmafw_index_insert(state, res);
	if (ret) {
		/* Placed over a live chunk. */
		WARN(ret == -EBUSY, "cmafw: allocator %s misplaced %pR in region %s\n",
		     alloc->name, res, state->id);
		cmafw_chunk_unplace(state, addr, size);
		if (!state->chunks && state->origin->last_chunk)
			state->origin->last_chunk(state->reg);
		state->nr_fail++;
		if (ret == -EBUSY)
			ret = -EFAULT;
		goto out_owner;
	}
	/* A region with live chunks keeps the framework loaded. */
	if (!state->chunks)
		__module_get(THIS_MODULE);
	state->free -= size;
	state->chunks++;
	state->nr_alloc++;
	mutex_unlock(&state->lock);
	return addr;

out_owner:
	cmafw_owner_put(state, cmafw_owner_find(state, name));
out_record:
	kept = cmafw_chunk_recycle(state, res);
	mutex_unlock(&state->lock);
	if (!kept)
		kfree(res);
	return ret;
}

/**
 * cmafw_chunk_free() - release the chunk that starts at @addr.
 * @state:	the region holding @addr.
 * @holder:	who is freeing it.
 * @addr:	the chunk's start.
 * @size:	set to the chunk's size.
 *
 * Context: the region pinned (cmafw_region_pin()) and cmafw_rwsem not
 * held; takes the region's mutex.
 * Return: 0; -ENOENT when no chunk starts at @addr; -EBUSY, with nothing
 * changed, when the chunk is another holder's to free: a driver's free
 * of a heap buffer's chunk.
 */
int cmafw_chunk_free(struct cma_region_state *state, enum cmafw_holder holder,
		     dma_addr_t addr, size_t *size)
{
	struct cmafw_owner *owner = NULL;
	struct resource *res;
	bool last, kept;

	mutex_lock(&state->lock);
	res = cmafw_index_find(state, addr);
	if (res)
		owner = cmafw_owner_of(state, res->name, holder);
	if (IS_ERR_OR_NULL(owner)) {
		mutex_unlock(&state->lock);
		return owner ? PTR_ERR(owner) : -ENOENT;
	}
	*size = resource_size(res);
	cmafw_index_remove(state, res);
	cmafw_owner_put(state, owner);
	cmafw_chunk_unplace(state, addr, *size);
	state->free += *size;
	state->chunks--;
	state->nr_release++;
	last = !state->chunks;
	if (last && state->origin->last_chunk)
		state->origin->last_chunk(state->reg);
	kept = cmafw_chunk_recycle(state, res);
	mutex_unlock(&state->lock);

	if (!kept)
		kfree(res);
	if (last)
		module_put(THIS_MODULE);
	return 0;
}

/*
 * @next: the first address after the chunks seen; @full: they reach @end,
 * the region's last address, past which @next wraps to 0 when that is
 * the top of the address space.
 */
struct cmafw_hole_walk {
	struct cma_region_state *state;
	resource_size_t next;
	bool full;
	resource_size_t end;
	void (*fn)(void *arg, size_t size);
	void *arg;
};

/* A gap between chunks: free, but for what lend mode keeps offline. */
static void cmafw_chunk_gap(struct cma_region_state *state,
			    resource_size_t start, size_t size,
			    void (*fn)(void *arg, size_t size), void *arg)
{
	if (state->lend)
		cmafw_lend_walk_gap(state, start, size, fn, arg);
	else
		fn(arg, size);
}

static void cmafw_hole_step(void *arg, struct resource *res)
{
	struct cmafw_hole_walk *walk = arg;

	if (res->start > walk->next)
		cmafw_chunk_gap(walk->state, walk->next,
				res->start - walk->next, walk->fn, walk->arg);
	walk->full = res->end == walk->end;
	walk->next = res->end + 1;
}

/**
 * cmafw_chunk_walk_holes() - visit the region's free extents.
 * @state:	the region.
 * @fn:		called with @arg and each free extent's size, in address
 *		order.
 * @arg:	passed to @fn.
 *
 * The free extents are the gaps between the chunks in the resource tree:
 * the tree is the truth, whatever the allocator keeps; in a lend region,
 * less what a failed removal left offline (lend_stranded.c).
 *
 * Context: the region's mutex held.
 */
void cmafw_chunk_walk_holes(struct cma_region_state *state,
			    void (*fn)(void *arg, size_t size), void *arg)
{
	struct cmafw_hole_walk walk = {
		.state = state, .next = state->res->start,
		.end = state->res->end, .fn = fn, .arg = arg,
	};

	cmafw_index_walk(state, cmafw_hole_step, &walk);
	if (!walk.full)
		cmafw_chunk_gap(state, walk.next,
				state->res->end + 1 - walk.next, fn, arg);
}

struct cmafw_chunk_walk {
	struct cma_region_state *state;
	void (*fn)(void *arg, const char *owner, size_t size);
	void *arg;
};

static void cmafw_chunk_step(void *arg, struct resource *res)
{
	struct cmafw_chunk_walk *walk = arg;

	if (cmafw_is_chunk(walk->state, res))
		walk->fn(walk->arg, res->name, resource_size(res));
}

/**
 * cmafw_chunk_walk() - visit the region's live chunks.
 * @state:	the region.
 * @fn:		called with @arg, each chunk's owner and size, in address
 *		order.
 * @arg:	passed to @fn.
 *
 * Context: the region's mutex held.
 */
void cmafw_chunk_walk(struct cma_region_state *state,
		      void (*fn)(void *arg, const char *owner, size_t size),
		      void *arg)
{
	struct cmafw_chunk_walk walk = { .state = state, .fn = fn, .arg = arg };

	cmafw_index_walk(state, cmafw_chunk_step, &walk);
}
