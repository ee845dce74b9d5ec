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

struct bench_floor {
	struct mutex lock;	/* around the allocator and the parents */
	void *alloc;
	dma_addr_t base;
	unsigned int shift;
	struct resource *spares;
	struct resource *dense;
	unsigned long nr_parents;
	struct resource parents[];
};

static void *floor_setup(const struct bench_backend *be, dma_addr_t base,
			 size_t size)
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

static void floor_teardown(void *priv)
{
	struct bench_floor *fl = priv;
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

static int floor_alloc(void *priv, size_t size, dma_addr_t align,
		       dma_addr_t *addr)
{
	struct bench_floor *fl = priv;
	struct resource *res;
	int ret;

	mutex_lock(&fl->lock);
	ret = cmafw_bestfit_allocator.alloc(fl->alloc, size, align, addr);
	if (ret)
		goto out;
	res = floor_record(fl, *addr);
	if (!res) {
		ret = -ENOMEM;
	} else {
		bench_res_set(res, *addr, size, KBUILD_MODNAME,
			      IORESOURCE_MEM | IORESOURCE_BUSY);
		if (request_resource(floor_parent(fl, *addr), res)) {
			floor_recycle(fl, res);
			ret = -EFAULT;
		}
	}
	if (ret)
		cmafw_bestfit_allocator.free(fl->alloc, *addr, size);
out:
	mutex_unlock(&fl->lock);
	return ret;
}

static void floor_free(void *priv, dma_addr_t addr, size_t size)
{
	struct bench_floor *fl = priv;
	struct resource *res;

	mutex_lock(&fl->lock);
	for (res = floor_parent(fl, addr)->child; res && res->start < addr;
	     res = res->sibling)
		;
	if (res && res->start == addr) {
		release_resource(res);
		cmafw_bestfit_allocator.free(fl->alloc, addr,
					     resource_size(res));
		floor_recycle(fl, res);
	} else {
		bench_env_printk("!! floor: no chunk at %pad\n", &addr);
	}
	mutex_unlock(&fl->lock);
}

const struct bench_backend bench_floor = {
	.name = "floor", .setup = floor_setup, .teardown = floor_teardown,
	.alloc = floor_alloc, .free = floor_free, .lockstep_only = true,
};
