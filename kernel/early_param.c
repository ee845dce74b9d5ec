// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: the built-in kernel's command line (CONFIG_CMAFW_BOOT), the
 * seed's cma= and cma.map=:
 *
 *	cmafw.regions="video=20M;camera=20M;common=5M@0x30000000/2M:bestfit"
 *	cmafw.map="video,camera=video;*=common"
 *
 * A region is NAME=SIZE[@START][/ALIGN][:ALLOCATOR] (see param_parse.c).
 * Both are read by early_param, before memblock knows the RAM, so this
 * only records: the regions become early regions, reserved by the arch
 * hook and registered at subsys_initcall, where the map is set too.  A
 * malformed cmafw.regions, or one with a region that could never be
 * placed, is ignored as a whole, with one line saying where or which; the
 * kernel boots without those regions.  cmafw_set_defaults()
 * gives the platform's regions and map, used where the command line is
 * silent.
 */
#define pr_fmt(fmt) "cmafw: " fmt

#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/string.h>

#include "internal.h"

#define CMAFW_BOOT_REGIONS	8
#define CMAFW_BOOT_MAP_MAX	256

/**
 * struct cmafw_boot_region - a region of cmafw.regions=.
 * @reg:	the early region; stays registered for good.
 * @name:	storage for @reg.name.
 * @alloc:	storage for @reg.alloc_name.
 */
struct cmafw_boot_region {
	struct cma_region reg;
	char name[CMAFW_NAME_MAX + 1];
	char alloc[CMAFW_NAME_MAX + 1];
};

static struct cmafw_boot_region cmafw_boot_regions[CMAFW_BOOT_REGIONS];
static bool cmafw_boot_regions_given __initdata;
static char cmafw_boot_map[CMAFW_BOOT_MAP_MAX] __initdata;
static const char *cmafw_map_default;
static bool cmafw_boot_map_given __initdata;
static bool cmafw_boot_map_used;	/* read after boot by of.c */

static int __init cmafw_boot_regions_param(char *val)
{
	char *cursor = val, *spec;
	unsigned int i, n = 0;

	if (!val || cmafw_boot_regions_given) {
		pr_err("regions: give cmafw.regions= once, with a value\n");
		return 0;
	}
	/* Given at all, even empty or malformed: no platform default. */
	cmafw_boot_regions_given = true;
	/* Parse it all before registering any: all or nothing. */
	while ((spec = strsep(&cursor, ";"))) {
		struct cmafw_boot_region *p = &cmafw_boot_regions[n];

		if (!*spec)
			continue;
		if (n == CMAFW_BOOT_REGIONS) {
			pr_err("regions: more than %d regions; ignoring cmafw.regions\n",
			       CMAFW_BOOT_REGIONS);
			return 0;
		}
		if (cmafw_param_parse(&p->reg, p->name, p->alloc, val, spec,
				      false))
			return 0;
		for (i = 0; i < n; i++) {
			if (!strcmp(cmafw_boot_regions[i].name, p->name)) {
				pr_err("regions: region %s is given twice; ignoring cmafw.regions\n",
				       p->name);
				return 0;
			}
		}
		n++;
	}
	if (!n) {
		pr_info("regions: cmafw.regions= is empty: no boot region, not even the platform's\n");
		return 0;
	}
	/* Then check them all: a region that would be refused drops all. */
	for (i = 0; i < n; i++) {
		if (cmafw_early_region_check(&cmafw_boot_regions[i].reg)) {
			pr_err("regions: ignoring cmafw.regions\n");
			return 0;
		}
	}
	for (i = 0; i < n; i++)
		if (cmafw_early_region_register(&cmafw_boot_regions[i].reg))
			break;
	return 0;
}
early_param("cmafw.regions", cmafw_boot_regions_param);

static int __init cmafw_boot_map_param(char *val)
{
	/* A bad value leaves what an earlier cmafw.map= gave. */
	if (!val || strlen(val) >= sizeof(cmafw_boot_map)) {
		pr_err("map: cmafw.map= needs a value of at most %d characters; ignored\n",
		       CMAFW_BOOT_MAP_MAX - 1);
		return 0;
	}
	strscpy(cmafw_boot_map, val, sizeof(cmafw_boot_map));
	cmafw_boot_map_given = true;
	return 0;
}
early_param("cmafw.map", cmafw_boot_map_param);

/**
 * cmafw_set_defaults() - the platform's regions and map.
 * @regions:	array ended by a zero-sized region, or NULL.
 * @map:	map, or NULL.
 *
 * See cma_set_defaults() in <linux/cmafw.h>.
 *
 * Return: 0 or the first error of cmafw_early_region_register().
 */
int __init cmafw_set_defaults(struct cma_region *regions, const char *map)
{
	int ret;

	if (map && !cmafw_boot_map_given)
		cmafw_map_default = map;
	if (!regions || cmafw_boot_regions_given)
		return 0;
	for (; regions->size; regions++) {
		ret = cmafw_early_region_register(regions);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * cmafw_params_init() - register the early regions and set the boot map.
 *
 * Built in, a failure here must not keep the framework down: each
 * region or map that fails is left out with a line in the log.
 *
 * Return: 0.
 */
int __init cmafw_params_init(void)
{
	const char *map = cmafw_boot_map_given ? cmafw_boot_map :
		cmafw_map_default;

	cmafw_early_regions_register();
	/*
	 * A map that does not parse is logged by the parser and not set;
	 * the device tree's map, if any, then stands.
	 */
	cmafw_boot_map_used = map && !cmafw_map_set(map);
	return 0;
}

/**
 * cmafw_params_have_map() - whether the command line or board code set a map.
 *
 * Return: true if one was given and parsed; it then overrides the device
 * tree's map.
 */
bool cmafw_params_have_map(void)
{
	return cmafw_boot_map_used;
}

/**
 * cmafw_params_exit() - nothing to undo: a built-in framework stays.
 */
void cmafw_params_exit(void)
{
}

/**
 * cmafw_params_final() - whether the regions registered at init must stay.
 *
 * Return: true: regions reserved at boot, once registered, are in use by
 * drivers that probe later, and a failure after them must not take the
 * framework down.
 */
bool cmafw_params_final(void)
{
	return true;
}

/**
 * cmafw_params_abort() - the framework failed to start before its regions.
 * @err:	the error it failed with.
 *
 * The early regions reserved at boot will never be registered: their
 * memory goes back to the page allocator, each with a line, after one
 * that says why (a module's failed load is reported by insmod; a
 * built-in initcall's by nobody).
 */
void __init cmafw_params_abort(int err)
{
	pr_err("cannot start: %d; the regions reserved at boot go back\n", err);
	cmafw_early_regions_abandon(err);
}
