// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: which memory a lend region may be.  Lend mode hot-adds the
 * region as RAM, so it must be whole memory blocks of RAM that the kernel
 * was not given at boot and that nobody else holds:
 *
 *  - a firmware "Reserved" range, which is what memmap=SIZE$START makes
 *    of RAM on x86 (IORES_DESC_RESERVED in /proc/iomem);
 *  - with a device tree, RAM that a /memory node describes and no
 *    resource covers at all, which is what mem= leaves out on arm64.
 *
 * A device-tree reserved-memory node does not qualify, even with no-map:
 * its memory stays in memblock, so the kernel already has a memory map
 * for it, and it shows in /proc/iomem as "reserved".  Past mem=, such a
 * node (the secure world's memory, say) leaves no trace in /proc/iomem,
 * so the device tree is asked: a range that overlaps one is refused.
 */
#define pr_fmt(fmt) "cmafw: " fmt

#include <linux/ioport.h>
#include <linux/memory.h>
#include <linux/mm.h>
#include <linux/of.h>
#include <linux/of_address.h>

#include "internal.h"
#include "lend.h"

/* Does one available /memory node of the device tree hold [start, end]? */
static bool lend_dt_ram(phys_addr_t start, phys_addr_t end)
{
	struct device_node *np;
	struct resource r;
	int i;

	for_each_node_by_type(np, "memory") {
		if (!of_device_is_available(np))
			continue;
		for (i = 0; !of_address_to_resource(np, i, &r); i++) {
			if (r.start <= start && end <= r.end) {
				of_node_put(np);
				return true;
			}
		}
	}
	return false;
}

/* The first available /reserved-memory node that overlaps [start, end]. */
static struct device_node *lend_dt_reserved(phys_addr_t start,
					    phys_addr_t end)
{
	struct device_node *rm, *np;
	struct resource r;
	int i;

	rm = of_find_node_by_path("/reserved-memory");
	if (!rm)
		return NULL;
	for_each_available_child_of_node(rm, np) {
		for (i = 0; !of_address_to_resource(np, i, &r); i++) {
			if (r.start <= end && start <= r.end) {
				of_node_put(rm);
				return np;
			}
		}
	}
	of_node_put(rm);
	return NULL;
}

/* RAM set aside at boot: see the top of this file. */
static bool lend_withheld_ram(dma_addr_t start, size_t size)
{
	if (region_intersects(start, size, IORESOURCE_MEM,
			      IORES_DESC_RESERVED) == REGION_INTERSECTS)
		return true;
	/* Flags 0 match every resource: DISJOINT means nothing is there. */
	return region_intersects(start, size, 0, IORES_DESC_NONE) ==
		REGION_DISJOINT && lend_dt_ram(start, start + size - 1);
}

/**
 * cmafw_lend_admissible() - check the shape of a lend region.
 * @state:	the region being registered.
 * @start:	its start.
 * @size:	its size.
 *
 * Memory is hot-added in whole memory blocks, which must not hold any RAM
 * the kernel already has, and must be real RAM set aside at boot.
 *
 * Return: 0 or -EINVAL, with one line naming the block size.
 */
int cmafw_lend_admissible(struct cma_region_state *state, dma_addr_t start,
			  size_t size)
{
	unsigned long block = memory_block_size_bytes();
	dma_addr_t end = start + size - 1;
	struct device_node *np;

	if (!IS_ALIGNED(start, block) || !IS_ALIGNED(size, block)) {
		pr_err("region %s: lend mode needs whole memory blocks: start and size must be multiples of the block size, %lu MiB\n",
		       state->id, block >> 20);
		return -EINVAL;
	}
	if (region_intersects(start, size, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_DISJOINT) {
		pr_err("region %s: lend mode needs %lu MiB memory blocks without RAM the kernel has; %pad-%pad holds some\n",
		       state->id, block >> 20, &start, &end);
		return -EINVAL;
	}
	np = lend_dt_reserved(start, end);
	if (np) {
		pr_err("region %s: lend mode cannot take %pad-%pad: the device tree reserves part of it (%pOF)\n",
		       state->id, &start, &end, np);
		of_node_put(np);
		return -EINVAL;
	}
	if (!lend_withheld_ram(start, size)) {
		pr_err("region %s: lend mode needs RAM kept from the kernel at boot (memmap=SIZE$START, or beyond mem= with a device tree) in whole %lu MiB blocks; %pad-%pad is not\n",
		       state->id, block >> 20, &start, &end);
		return -EINVAL;
	}
	return 0;
}
