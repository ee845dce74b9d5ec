// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw benchmark: a floor under the framework's cost.
 *
 * Issue 15 asks that the framework cost no more than its placement while
 * the resource tree stays the one record of live chunks.  Whatever else a
 * framework does, that rule makes it pay, per allocation and free:
 *
 * - a lock around the allocator (a mutex here);
 * - a record per chunk (recycled here: no kmalloc() after warm-up);
 * - request_resource() of the record under some parent, a walk that finds
 *   it again on free, and release_resource().
 *
 * This backend does exactly that around bestfit and nothing more: no
 * region lookup, no owner name, no index upkeep.  To keep the walks as
 * short as the chunks allow, a chunk hangs under one of many parents, by
 * the 2^floor_shift pages its start falls in; each parent spans the whole
 * window and none is in a tree (it would break /proc/iomem: this is a
 * yardstick, not a design).  With floor_dense=1 the records are not
 * recycled but sit in an array with a slot per page, in address order, so
 * that a walk touches neighbouring memory: the most a layout can do for
 * the cache, at 64 bytes per page of the region.
 *
 * It is replayed only on the scaling trace, together with bestfit and
 * fw-bestfit (bench_core.c: bench_lock_run()).
 */
#include <linux/ioport.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "bench_alloc.h"
#include "bench_floor.h"
#include "bench_res.h"

static unsigned int floor_shift = 4;
module_param(floor_shift, uint, 0444);
MODULE_PARM_DESC(floor_shift,
		 "floor backend: a parent per 2^floor_shift pages (default 4: 16 pages)");

static bool floor_dense;
module_param(floor_dense, bool, 0444);
MODULE_PARM_DESC(floor_dense,
		 "floor backend: records in a page-indexed array instead of recycled ones");

/**
 * bench_floor_new() - a floor over [@base, @base + @size).
 * @base:	the window's first byte.
 * @size:	its bytes.
 *
 * Return: the floor, or an ERR_PTR().
 */
struct bench_floor *bench_floor_new(dma_addr_t base, size_t size)
{
	unsigned int shift = PAGE_SHIFT + min(floor_shift, 20U);
	unsigned long n = ((size - 1) >> shift) + 1, i;
	struct bench_floor *fl;
	void *alloc;

	fl = kvzalloc(struct_size(fl, parents, n), GFP_KERNEL);
	if (!fl)
		return ERR_PTR(-ENOMEM);
	if (floor_dense) {
		fl->dense = vzalloc(array_size(size >> PAGE_SHIFT,
					       sizeof(*fl->dense)));
		if (!fl->dense) {
			kvfree(fl);
			return ERR_PTR(-ENOMEM);
		}
	}
	alloc = cmafw_bestfit_allocator.init(base, size);
	if (IS_ERR(alloc)) {
		vfree(fl->dense);
		kvfree(fl);
		return alloc;
	}
	mutex_init(&fl->lock);
	fl->alloc = alloc;
	fl->base = base;
	fl->shift = shift;
	fl->nr_parents = n;
	for (i = 0; i < n; i++)
		bench_res_set(&fl->parents[i], base, size, "bench",
			      IORESOURCE_MEM);
	return fl;
}

/**
 * bench_floor_delete() - free a floor whose chunks are all freed.
 * @fl:		the floor.
 */
void bench_floor_delete(struct bench_floor *fl)
{
	struct resource *res;
	unsigned long i;

	for (i = 0; i < fl->nr_parents; i++)
		if (fl->parents[i].child)
			bench_env_printk("!! floor: chunks left in the tree\n");
	while ((res = fl->spares)) {
		fl->spares = res->child;
		kfree(res);
	}
	cmafw_bestfit_allocator.cleanup(fl->alloc);
	vfree(fl->dense);
	kvfree(fl);
}

static struct resource *floor_parent(struct bench_floor *fl, dma_addr_t addr)
{
	return &fl->parents[(addr - fl->base) >> fl->shift];
}

/* A record for a chunk at @addr: its slot, or a spare, or a new one. */
static struct resource *floor_record(struct bench_floor *fl, dma_addr_t addr)
{
	struct resource *res;

	if (fl->dense)
		return &fl->dense[(addr - fl->base) >> PAGE_SHIFT];
	res = fl->spares;
	if (!res)
		return kzalloc(sizeof(*res), GFP_KERNEL);
	fl->spares = res->child;
	return res;
}

static void floor_recycle(struct bench_floor *fl, struct resource *res)
{
	if (fl->dense)
		return;
	res->child = fl->spares;
	fl->spares = res;
}

/**
 * bench_floor_place() - place a chunk and hang its record.
 * @fl:		the floor, its lock held.
 * @size:	bytes, whole pages.
 * @align:	a power of two, at least a page.
 * @addr:	set to the chunk's address.
 * @name:	the record's name.
 *
 * Return: 0, or bestfit's errno; -ENOMEM without a record; -EFAULT if
 * the record overlaps another (a misplacement).
 */
int bench_floor_place(struct bench_floor *fl, size_t size, dma_addr_t align,
		      dma_addr_t *addr, const char *name)
{
	struct resource *res;
	int ret;

	ret = cmafw_bestfit_allocator.alloc(fl->alloc, size, align, addr);
	if (ret)
		return ret;
	res = floor_record(fl, *addr);
	if (!res) {
		ret = -ENOMEM;
	} else {
		bench_res_set(res, *addr, size, name,
			      IORESOURCE_MEM | IORESOURCE_BUSY);
		if (request_resource(floor_parent(fl, *addr), res)) {
			floor_recycle(fl, res);
			ret = -EFAULT;
		}
	}
	if (ret)
		cmafw_bestfit_allocator.free(fl->alloc, *addr, size);
	return ret;
}

/**
 * bench_floor_unplace() - find the chunk at @addr, unhang and free it.
 * @fl:		the floor, its lock held.
 * @addr:	the chunk's address.
 * @name:	set to its record's name.
 *
 * Return: the chunk's size; 0 if no chunk starts at @addr.
 */
size_t bench_floor_unplace(struct bench_floor *fl, dma_addr_t addr,
			   const char **name)
{
	struct resource *res;
	size_t size;

	for (res = floor_parent(fl, addr)->child; res && res->start < addr;
	     res = res->sibling)
		;
	if (!res || res->start != addr) {
		bench_env_printk("!! floor: no chunk at %pad\n", &addr);
		return 0;
	}
	size = resource_size(res);
	release_resource(res);
	cmafw_bestfit_allocator.free(fl->alloc, addr, size);
	*name = res->name;
	floor_recycle(fl, res);
	return size;
}

static void *floor_setup(const struct bench_backend *be, dma_addr_t base,
			 size_t size)
{
	return bench_floor_new(base, size);
}

static void floor_teardown(void *priv)
{
	bench_floor_delete(priv);
}

static int floor_alloc(void *priv, size_t size, dma_addr_t align,
		       dma_addr_t *addr)
{
	struct bench_floor *fl = priv;
	int ret;

	mutex_lock(&fl->lock);
	ret = bench_floor_place(fl, size, align, addr, KBUILD_MODNAME);
	mutex_unlock(&fl->lock);
	return ret;
}

static void floor_free(void *priv, dma_addr_t addr, size_t size)
{
	struct bench_floor *fl = priv;
	const char *name;

	mutex_lock(&fl->lock);
	bench_floor_unplace(fl, addr, &name);
	mutex_unlock(&fl->lock);
}

const struct bench_backend bench_floor = {
	.name = "floor", .setup = floor_setup, .teardown = floor_teardown,
	.alloc = floor_alloc, .free = floor_free, .lockstep_only = true,
	.about = "bestfit, a mutex and the resource tree on short lists, no lookups",
};
