// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: regions from the device tree, and the regions a device's
 * memory-region property gives it.  Built only with CONFIG_OF; the binding
 * is Documentation/devicetree/bindings/reserved-memory/cmafw-region.yaml.
 *
 * At load every available reserved-memory child with compatible
 * "cmafw,region" becomes a region with origin "devicetree", at the place
 * the kernel reserved for it at boot (of_reserved_mem_lookup()), and the
 * "cmafw,map" string of /chosen becomes the map unless the map parameter
 * was given.  A node that cannot be used costs one log line and is
 * skipped.  The list of these regions is written only at load and unload,
 * so lookups need no lock of their own.
 */
#define pr_fmt(fmt) "cmafw: " fmt

#include <linux/device.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/of_reserved_mem.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"

#define CMAFW_OF_COMPATIBLE	"cmafw,region"

/**
 * struct cmafw_of_region - a region a device-tree node describes.
 * @reg:	the region, registered while the module is loaded.
 * @np:		its node, referenced.
 * @node:	entry in cmafw_of_regions.
 * @name:	storage for @reg.name.
 */
struct cmafw_of_region {
	struct cma_region reg;
	struct device_node *np;
	struct list_head node;
	char name[CMAFW_NAME_MAX + 1];
};

static LIST_HEAD(cmafw_of_regions);

static bool devicetree = true;
module_param(devicetree, bool, 0444);
MODULE_PARM_DESC(devicetree,
		 "Register the device tree's cmafw regions and map at load (default: yes)");

static const struct cmafw_origin cmafw_origin_devicetree = {
	.name = "devicetree",
};

/* The node's name up to its unit address, or its cmafw,name property. */
static int cmafw_of_name(struct cmafw_of_region *r)
{
	const char *name;
	size_t len;
	int ret;

	/* -EINVAL: no such property; an empty or unterminated one is bad. */
	ret = of_property_read_string(r->np, "cmafw,name", &name);
	if (ret && ret != -EINVAL)
		return ret;
	if (ret) {
		name = kbasename(of_node_full_name(r->np));
		len = strcspn(name, "@");
	} else {
		len = strlen(name);
	}
	if (len > CMAFW_NAME_MAX)
		return -EINVAL;
	memcpy(r->name, name, len);
	r->name[len] = '\0';
	return cmafw_name_valid(r->name) ? 0 : -EINVAL;
}

/*
 * Fill @r->reg from the node and the kernel's reservation.  Return a
 * reason for the log, or NULL when the node is usable.
 */
static const char *cmafw_of_parse(struct cmafw_of_region *r)
{
	struct device_node *parent = of_get_parent(r->np);
	struct reserved_mem *rmem;
	struct resource res;
	const __be32 *prop;
	bool reserved;
	int len, ret;
	u64 align;

	/*
	 * The kernel finds a node's reservation by the node's name alone:
	 * elsewhere, a node would get the range of a namesake.
	 */
	reserved = parent && of_node_name_eq(parent, "reserved-memory") &&
		   parent->parent && !parent->parent->parent;
	of_node_put(parent);
	if (!reserved)
		return "not a child of /reserved-memory";
	rmem = of_reserved_mem_lookup(r->np);
	if (!rmem || !rmem->size)
		return "the kernel reserved no memory for it";
	/*
	 * With a fixed reg the kernel only marks the range no-map: its
	 * "reserved" line in iomem is not busy, so the region's line can
	 * nest in it.  A size-only node's memory is allocated from memblock
	 * and stays reserved there, which arm64 shows as a busy "reserved"
	 * line inside the first: cmafw could not claim it.
	 */
	if (!of_find_property(r->np, "reg", NULL))
		return "no reg: a size-only node is not supported";
	if (!of_address_to_resource(r->np, 1, &res))
		return "reg has more than one range";
	if (of_address_to_resource(r->np, 0, &res) ||
	    res.start != rmem->base || resource_size(&res) != rmem->size)
		return "reg is not the range the kernel reserved for it";
	if (!of_property_read_bool(r->np, "no-map"))
		return of_property_read_bool(r->np, "reusable") ?
			"reusable instead of no-map: the kernel maps that memory" :
			"no no-map: the memory stays the kernel's";
	if (cmafw_of_name(r))
		return "no usable name: 1-32 characters, no blank or ,;=/?*@#, not . or ..";
	if (!PAGE_ALIGNED(rmem->base) || !PAGE_ALIGNED(rmem->size))
		return "base or size is not page aligned";
	/* A 32-bit kernel with LPAE has 64-bit ranges, 32-bit sizes. */
	if (rmem->size > SIZE_MAX)
		return "size does not fit this kernel's size_t";
	/*
	 * The kernel reads alignment with #address-cells; accept
	 * #size-cells too, where they differ, as cmafw once read it.
	 */
	prop = of_get_property(r->np, "alignment", &len);
	if (prop) {
		if (len != of_n_addr_cells(r->np) * sizeof(*prop) &&
		    len != of_n_size_cells(r->np) * sizeof(*prop))
			return "alignment does not have #address-cells cells";
		align = of_read_number(prop, len / sizeof(*prop));
		/* Zero means no alignment, as in cma_region. */
		if (align && (!cmafw_is_pow2(align) ||
			      !IS_ALIGNED((u64)rmem->base, align)))
			return "alignment is not a power of two the base meets";
		r->reg.alignment = align;
	}
	/* An absent property leaves NULL: the default allocator. */
	ret = of_property_read_string(r->np, "cmafw,allocator",
				      &r->reg.alloc_name);
	if (ret && ret != -EINVAL)
		return "cmafw,allocator is empty or not a string";
	r->reg.name = r->name;
	r->reg.start = rmem->base;
	r->reg.size = rmem->size;
	return NULL;
}

static void cmafw_of_region_free(struct cmafw_of_region *r)
{
	of_node_put(r->np);
	kfree(r);
}

static void cmafw_of_add(struct device_node *np)
{
	struct cmafw_of_region *r;
	const char *why;

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return;
	r->np = of_node_get(np);
	why = cmafw_of_parse(r);
	if (why) {
		pr_err("%pOF: %s; skipped\n", np, why);
		cmafw_of_region_free(r);
		return;
	}
	/* On failure cmafw_region_add() logged its one line. */
	if (cmafw_region_add(&r->reg, &cmafw_origin_devicetree)) {
		cmafw_of_region_free(r);
		return;
	}
	list_add_tail(&r->node, &cmafw_of_regions);
}

/**
 * cmafw_of_init() - register the device tree's regions and set its map.
 *
 * Runs after the module parameters: their regions and map win.  Never
 * fails: a node or a map that cannot be used is logged and skipped.
 */
void cmafw_of_init(void)
{
	struct device_node *np, *chosen;
	const char *map;

	if (!devicetree)
		return;
	for_each_compatible_node(np, NULL, CMAFW_OF_COMPATIBLE)
		if (of_device_is_available(np))
			cmafw_of_add(np);

	if (cmafw_params_have_map())
		return;
	chosen = of_find_node_by_path("/chosen");
	if (chosen && !of_property_read_string(chosen, "cmafw,map", &map) &&
	    cmafw_map_set(map))
		pr_err("/chosen: cmafw,map is not a valid map; ignored\n");
	of_node_put(chosen);
}

/**
 * cmafw_of_exit() - unregister the device tree's regions.
 *
 * Live chunks pin the module, so every region is free by now.
 */
void cmafw_of_exit(void)
{
	struct cmafw_of_region *r, *next;

	list_for_each_entry_safe_reverse(r, next, &cmafw_of_regions, node) {
		if (cmafw_region_unregister(&r->reg))
			continue;
		list_del(&r->node);
		cmafw_of_region_free(r);
	}
}

/**
 * cmafw_of_lookup() - the region a device's memory-region gives a type.
 * @dev:	the device.
 * @type:	kind of memory; "common" for a NULL type.
 *
 * With memory-region-names, the entry named @type; without, the first
 * memory-region entry serves every type.  Only a cmafw,region node
 * counts: one that is not a registered region (disabled, refused at
 * load) makes the device's requests fail rather than fall back to the
 * map, since the board gave the device that memory and no other.
 *
 * Context: cmafw_rwsem held.  The name lives until cmafw_of_exit() (module
 * exit, when no request is in flight): an allocation walks it with the
 * lock dropped.
 * Return: the region's name; NULL to leave the device to the map;
 * ERR_PTR(-ENOENT) for a cmafw,region node that is not registered.
 */
const char *cmafw_of_lookup(const struct device *dev, const char *type)
{
	struct device_node *np = dev ? dev->of_node : NULL, *target;
	struct cmafw_of_region *r;
	const char *name = NULL;
	int idx = 0;

	if (!np || !devicetree || !of_find_property(np, "memory-region", NULL))
		return NULL;
	if (of_find_property(np, "memory-region-names", NULL)) {
		idx = of_property_match_string(np, "memory-region-names",
					       type ?: CMAFW_COMMON_TYPE);
		if (idx < 0)
			return NULL;
	}
	target = of_parse_phandle(np, "memory-region", idx);
	if (!target)
		return NULL;
	list_for_each_entry(r, &cmafw_of_regions, node) {
		if (r->np == target) {
			name = r->reg.name;
			break;
		}
	}
	if (!name && of_device_is_compatible(target, CMAFW_OF_COMPATIBLE)) {
		dev_err_ratelimited(dev, "cmafw: its memory-region %pOF is not a registered region\n",
				    target);
		name = ERR_PTR(-ENOENT);
	}
	of_node_put(target);
	return name;
}
