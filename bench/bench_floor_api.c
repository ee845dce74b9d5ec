// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw benchmark: the floor, plus what the API asks of any framework.
 *
 * The floor (bench_floor.c) is the least a framework keeping its chunks
 * in the resource tree adds to its placement.  A framework serving
 * cmafw_alloc_from() and cmafw_free(), as fw-bestfit is timed, must do
 * more, whatever its design:
 *
 * - route the request by the region's name: here one compare of that
 *   name with one region's, in a list (a framework has a list, a table or
 *   a tree of regions, and compares the name at least once),
 *   a word at a time with the framework's own cmafw_name_starts();
 * - keep the region from going while it serves, without a lock held over
 *   the allocation that would stall every other region: the lookup under
 *   a per-CPU rw-semaphore held for reading (no atomic operation to take
 *   or drop it), which pins the region, unless it is closing, with one
 *   atomic increment, dropped by one atomic decrement at the end.  This is
 *   the framework's own scheme (kernel/internal.h).  An RCU list with a
 *   percpu_ref instead takes no atomic operation, but makes eight RCU
 *   read-side calls a pair: a few more instructions and blocks, and no
 *   less time under TCG (BENCHMARKS.md, stop 69);
 * - name the chunk after its owner, so that /proc/iomem shows it: one
 *   compare of the owner's name with the region's one owner entry, the
 *   same way, whose copy the chunk points at, and that entry's count of
 *   chunks;
 * - on free, find the region by address (one range compare) and
 *   reference it the same way, and drop the owner entry's count;
 * - keep the region's free bytes and chunk count.
 *
 * Each is done here the cheapest way measured, with one region and one
 * owner: a step where this costs more than the placement is out of reach
 * for any framework that serves the API and records its chunks in the
 * resource tree.  It is replayed on the scaling trace only, in the same
 * turns as the floor (bench_core.c: bench_lock_run()).
 */
#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/list.h>
#include <linux/overflow.h>
#include <linux/percpu-rwsem.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait_bit.h>

#include "../kernel/name_cmp.h"
#include "bench_floor.h"

/* As long as the fw-* backends' region and owner names (bench_main.c). */
#define FLOOR_API_REGION	"cmafw-bench"
#define FLOOR_API_OWNER		KBUILD_MODNAME

/*
 * The regions' list, read-locked for a lookup and write-locked to add or
 * remove a region.
 */
DEFINE_STATIC_PERCPU_RWSEM(floor_api_rwsem);

/* The pins count up from this while a removal waits for them. */
#define FLOOR_API_PINS_WAITED	0x40000000

/**
 * struct floor_api_region - one region as a framework must keep it.
 * @node:	in &floor_api.regions, under floor_api_rwsem.
 * @pins:	held by each request it serves, taken under floor_api_rwsem.
 * @closing:	a removal is under way: no new allocation pins it.
 * @start:	its first byte.
 * @end:	and its last.
 * @fl:		the floor under it.
 * @free:	bytes not in a chunk.
 * @chunks:	live chunks.
 * @owner_users: chunks named after @owner.
 * @name:	its name, a copy.
 * @owner:	its one owner entry's name, a copy.
 */
struct floor_api_region {
	struct list_head node;
	atomic_t pins;
	bool closing;
	dma_addr_t start;
	dma_addr_t end;
	struct bench_floor *fl;
	size_t free;
	unsigned long chunks;
	unsigned long owner_users;
	struct floor_api_name *name;
	struct floor_api_name *owner;
};

/**
 * struct floor_api_name - a name kept as cmafw_name_starts() reads it.
 * @len:	its length.
 * @str:	its bytes, its NUL, then zeros to a word past it.
 */
struct floor_api_name {
	size_t len;
	char str[];
};

static struct floor_api_name *floor_api_name_new(const char *s)
{
	size_t len = strlen(s);
	struct floor_api_name *n;

	n = kzalloc(struct_size(n, str, len + 1 + sizeof(long)), GFP_KERNEL);
	if (!n)
		return NULL;
	n->len = len;
	memcpy(n->str, s, len);
	return n;
}

/* Whether @s is @n: the framework's own compare (kernel/name_cmp.h). */
static bool floor_api_name_is(const struct floor_api_name *n, const char *s)
{
	return cmafw_name_starts(s, n->str, n->len) && !s[n->len];
}

struct floor_api {
	struct list_head regions;
	struct floor_api_region region;
};

static void floor_api_teardown(void *priv)
{
	struct floor_api *api = priv;
	struct floor_api_region *r = &api->region;

	if (!list_empty(&api->regions)) {
		/* No lookup finds it now; wait for the pins it has. */
		percpu_down_write(&floor_api_rwsem);
		r->closing = true;
		list_del(&r->node);
		atomic_add(FLOOR_API_PINS_WAITED, &r->pins);
		percpu_up_write(&floor_api_rwsem);
		wait_var_event(&r->pins, atomic_read_acquire(&r->pins) ==
					 FLOOR_API_PINS_WAITED);
	}
	if (!IS_ERR_OR_NULL(r->fl))
		bench_floor_delete(r->fl);
	kfree(r->name);
	kfree(r->owner);
	kfree(api);
}

static void *floor_api_setup(const struct bench_backend *be, dma_addr_t base,
			     size_t size)
{
	struct floor_api *api = kzalloc(sizeof(*api), GFP_KERNEL);
	struct floor_api_region *r;

	if (!api)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&api->regions);
	r = &api->region;
	r->fl = bench_floor_new(base, size);
	r->name = floor_api_name_new(FLOOR_API_REGION);
	r->owner = floor_api_name_new(FLOOR_API_OWNER);
	if (IS_ERR(r->fl) || !r->name || !r->owner) {
		int err = IS_ERR(r->fl) ? PTR_ERR(r->fl) : -ENOMEM;

		floor_api_teardown(api);
		return ERR_PTR(err);
	}
	r->start = base;
	r->end = base + size - 1;
	r->free = size;
	percpu_down_write(&floor_api_rwsem);
	list_add(&r->node, &api->regions);
	percpu_up_write(&floor_api_rwsem);
	return api;
}

/* The region named @name, pinned; NULL if none or closing. */
static struct floor_api_region *floor_api_named(struct floor_api *api,
						const char *name)
{
	struct floor_api_region *r, *found = NULL;

	percpu_down_read(&floor_api_rwsem);
	list_for_each_entry(r, &api->regions, node)
		if (floor_api_name_is(r->name, name)) {
			if (!r->closing) {
				atomic_inc(&r->pins);
				found = r;
			}
			break;
		}
	percpu_up_read(&floor_api_rwsem);
	return found;
}

/* The region holding @addr, pinned; NULL if none. */
static struct floor_api_region *floor_api_holding(struct floor_api *api,
						  dma_addr_t addr)
{
	struct floor_api_region *r;

	percpu_down_read(&floor_api_rwsem);
	list_for_each_entry(r, &api->regions, node)
		if (addr >= r->start && addr <= r->end) {
			/* A free pins a closing region too: it needs a chunk. */
			atomic_inc(&r->pins);
			percpu_up_read(&floor_api_rwsem);
			return r;
		}
	percpu_up_read(&floor_api_rwsem);
	return NULL;
}

/*
 * Drop a pin.  As the framework's (cmafw_region_unpin()): fully ordered
 * against a removal, which adds a bias to the pins before it waits, so
 * that only the unpin that brings them back to the bias wakes it.
 */
static void floor_api_unpin(struct floor_api_region *r)
{
	if (atomic_dec_return(&r->pins) == FLOOR_API_PINS_WAITED)
		wake_up_var(&r->pins);
}

static int floor_api_alloc_from(struct floor_api *api, const char *regions,
				size_t size, dma_addr_t align,
				const char *owner, dma_addr_t *addr)
{
	struct floor_api_region *r = floor_api_named(api, regions);
	int ret = -EINVAL;

	if (!r)
		return -ENOENT;
	mutex_lock(&r->fl->lock);
	if (floor_api_name_is(r->owner, owner)) {
		ret = bench_floor_place(r->fl, size, align, addr,
					r->owner->str);
		if (!ret) {
			r->owner_users++;
			r->free -= size;
			r->chunks++;
		}
	}
	mutex_unlock(&r->fl->lock);
	floor_api_unpin(r);
	return ret;
}

static int floor_api_alloc(void *priv, size_t size, dma_addr_t align,
			   dma_addr_t *addr)
{
	return floor_api_alloc_from(priv, FLOOR_API_REGION, size, align,
				    FLOOR_API_OWNER, addr);
}

static void floor_api_free(void *priv, dma_addr_t addr, size_t size)
{
	struct floor_api_region *r = floor_api_holding(priv, addr);
	const char *name;
	size_t freed;

	if (!r) {
		bench_env_printk("!! floor+api: no region holds %pad\n", &addr);
		return;
	}
	mutex_lock(&r->fl->lock);
	freed = bench_floor_unplace(r->fl, addr, &name);
	if (freed) {
		if (name == r->owner->str)
			r->owner_users--;
		r->free += freed;
		r->chunks--;
	}
	mutex_unlock(&r->fl->lock);
	floor_api_unpin(r);
}

const struct bench_backend bench_floor_api = {
	.name = "floor+api", .setup = floor_api_setup,
	.teardown = floor_api_teardown, .alloc = floor_api_alloc,
	.free = floor_api_free, .lockstep_only = true,
	.about = "the floor, the region found and pinned, the owner named, counts",
};
