// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: load-time configuration, the module's answer to the seed's cma=
 * and cma.map= command line options:
 *
 *	modprobe cmafw regions='video=20M@0x20000000;common=5M@0x21400000:bestfit' \
 *		map='video,camera=video;*=common'
 *
 * or cmafw.regions=... and cmafw.map=... on the kernel command line of a
 * kernel with cmafw built in.  A region is
 * NAME=SIZE@START[/ALIGN][:ALLOCATOR][,MODE], MODE being carve (the
 * default) or lend; regions are separated by ';'.  Any error fails the load
 * and undoes what was set up.
 */
#define pr_fmt(fmt) "cmafw: " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"

/* Root's only: it holds physical addresses. */
static char *regions;
module_param(regions, charp, 0400);
MODULE_PARM_DESC(regions,
		 "Regions to register at load: NAME=SIZE@START[/ALIGN][:ALLOCATOR][,carve|,lend], separated by ';'");

static char *map;
module_param(map, charp, 0444);
MODULE_PARM_DESC(map, "The device to regions map to start with");

/**
 * struct cmafw_param_region - a region described by the regions parameter.
 * @reg:	the region, registered while the module is loaded.
 * @node:	entry in cmafw_param_regions.
 * @name:	storage for @reg.name.
 * @alloc:	storage for @reg.alloc_name.
 */
struct cmafw_param_region {
	struct cma_region reg;
	struct list_head node;
	char name[CMAFW_NAME_MAX + 1];
	char alloc[CMAFW_NAME_MAX + 1];
};

static LIST_HEAD(cmafw_param_regions);

static const struct cmafw_origin cmafw_origin_param = { .name = "parameter" };

static void cmafw_param_regions_drop(void)
{
	struct cmafw_param_region *p, *next;

	list_for_each_entry_safe_reverse(p, next, &cmafw_param_regions, node) {
		/*
		 * Final: the kernel may keep a lend region it cannot vacate.
		 * Live chunks cannot make it fail: they pin the module, and
		 * during a load that fails none can be taken (drivers cannot
		 * link yet and the heaps refuse opens).
		 */
		if (cmafw_region_remove(&p->reg, CMAFW_REMOVE_FINAL))
			continue;
		list_del(&p->node);
		kfree(p);
	}
}

static int cmafw_param_regions_add(void)
{
	char *copy, *cursor, *spec;
	int ret = 0;

	copy = kstrdup(regions, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	cursor = copy;
	while (!ret && (spec = strsep(&cursor, ";"))) {
		struct cmafw_param_region *p;

		if (!*spec)
			continue;
		p = kzalloc(sizeof(*p), GFP_KERNEL);
		if (!p) {
			ret = -ENOMEM;
			break;
		}
		ret = cmafw_param_parse(&p->reg, p->name, p->alloc,
					copy, spec, true);
		if (!ret)
			ret = cmafw_region_add(&p->reg, &cmafw_origin_param);
		if (ret)
			kfree(p);
		else
			list_add_tail(&p->node, &cmafw_param_regions);
	}
	kfree(copy);
	if (ret)
		cmafw_param_regions_drop();
	return ret;
}

/**
 * cmafw_params_init() - register the regions and set the map given at load.
 *
 * Return: 0, or the first error, with everything undone.
 */
int cmafw_params_init(void)
{
	int ret;

	if (regions) {
		ret = cmafw_param_regions_add();
		if (ret)
			return ret;
	}
	if (map) {
		ret = cmafw_map_set(map);
		if (ret) {
			cmafw_param_regions_drop();
			return ret;
		}
	}
	return 0;
}

/**
 * cmafw_params_exit() - unregister the regions registered at load.
 */
void cmafw_params_exit(void)
{
	cmafw_param_regions_drop();
}

/**
 * cmafw_params_final() - whether the regions registered at init must stay.
 *
 * Return: false: a module's regions are undone when its load fails.
 */
bool cmafw_params_final(void)
{
	return false;
}

/**
 * cmafw_params_abort() - the framework's init failed; nothing is left to undo.
 * @err:	the error it failed with.
 *
 * cmafw_params_exit() unregistered the regions of the regions parameter:
 * they are a module's, on memory the module never owned.
 */
void cmafw_params_abort(int err)
{
}

/**
 * cmafw_params_have_map() - whether the map parameter was given.
 *
 * Return: true if it was; it then overrides the device tree's map.
 */
bool cmafw_params_have_map(void)
{
	return map;
}
