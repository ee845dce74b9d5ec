// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: which memory a lend region may be.  Lend mode hot-adds the
 * region as RAM, so it must be whole memory blocks of RAM that the kernel
 * was not given at boot and that nobody else holds:
 *
 *  - a "Reserved" range in /proc/iomem (IORES_DESC_RESERVED), which is
 *    what memmap=SIZE$START makes on x86, or RAM past mem=, which no
 *    resource covers at all;
 *  - and, either way, RAM as the firmware describes it: on x86 the
 *    firmware's own e820 map, as it was before memmap= and mem= changed
 *    the kernel's copy (memmap= reserves any range, RAM or not, and the
 *    firmware's reserved ranges read "Reserved" too); on a board booted
 *    through UEFI the EFI memory map, which is all the kernel goes by
 *    there (it drops the memblocks of the device tree's /memory nodes);
 *    otherwise a /memory node.
 *
 * A device-tree reserved-memory node does not qualify, even with no-map:
 * its memory stays in memblock, so the kernel already has a memory map
 * for it, and it shows in /proc/iomem as "reserved".  Past mem=, such a
 * node (the secure world's memory, say) leaves no trace in /proc/iomem,
 * so the device tree is asked: a range that overlaps one is refused.
 */
#define pr_fmt(fmt) "cmafw: " fmt

#include <linux/efi.h>
#include <linux/ioport.h>
#include <linux/memory.h>
#include <linux/mm.h>
#include <linux/of.h>
#include <linux/of_address.h>

#ifdef CONFIG_X86
#include <asm/e820/api.h>
#endif

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

#ifdef CONFIG_EFI
/*
 * Does the EFI memory map give all of [start, end] as conventional memory
 * (in descriptors in any order)?  Only that type: past mem=, loader, boot
 * services and runtime memory may still hold what the kernel reads, such
 * as this very map, the initrd or firmware tables.
 */
static bool lend_efi_ram(phys_addr_t start, phys_addr_t end)
{
	efi_memory_desc_t *md;
	phys_addr_t at = start;
	bool moved = true;
	u64 last;

	while (moved) {
		moved = false;
		for_each_efi_memory_desc(md) {
			last = md->phys_addr +
			       (md->num_pages << EFI_PAGE_SHIFT) - 1;
			if (md->type != EFI_CONVENTIONAL_MEMORY ||
			    !(md->attribute & EFI_MEMORY_WB) ||
			    md->phys_addr > at || last < at)
				continue;
			if (last >= end)
				return true;
			at = last + 1;
			moved = true;
		}
	}
	return false;
}
#else
static bool lend_efi_ram(phys_addr_t start, phys_addr_t end)
{
	return false;
}
#endif

#ifdef CONFIG_X86
/*
 * Does the firmware's e820 map give all of [start, end] as RAM?  Its
 * entries do not overlap, so: no entry of another type touches the range,
 * and every page of it touches a RAM entry (no hole between two).
 */
static bool lend_e820_ram(phys_addr_t start, phys_addr_t end)
{
	static const enum e820_type other[] = {
		E820_TYPE_RESERVED, E820_TYPE_ACPI, E820_TYPE_NVS,
		E820_TYPE_UNUSABLE, E820_TYPE_PMEM, E820_TYPE_PRAM,
		E820_TYPE_SOFT_RESERVED,
	};
	phys_addr_t at;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(other); i++)
		if (e820__mapped_raw_any(start, end + 1, other[i]))
			return false;
	for (at = start; at < end; at += PAGE_SIZE) {
		if (!e820__mapped_raw_any(at, at + PAGE_SIZE, E820_TYPE_RAM))
			return false;
		if (!(PHYS_PFN(at) % 4096))
			cond_resched();
	}
	return true;
}
#else
static bool lend_e820_ram(phys_addr_t start, phys_addr_t end)
{
	return false;
}
#endif

/* RAM as the firmware describes it: see the top of this file. */
static bool lend_firmware_ram(phys_addr_t start, phys_addr_t end)
{
	if (IS_ENABLED(CONFIG_X86))
		return lend_e820_ram(start, end);
	if (efi_enabled(EFI_MEMMAP))
		return lend_efi_ram(start, end);
	return lend_dt_ram(start, end);
}

/* RAM set aside at boot: see the top of this file. */
static bool lend_withheld_ram(dma_addr_t start, size_t size)
{
	/* Flags 0 match every resource: DISJOINT means nothing is there. */
	if (region_intersects(start, size, IORESOURCE_MEM,
			      IORES_DESC_RESERVED) != REGION_INTERSECTS &&
	    region_intersects(start, size, 0, IORES_DESC_NONE) !=
	    REGION_DISJOINT)
		return false;
	return lend_firmware_ram(start, start + size - 1);
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
		pr_err("region %s: lend mode needs RAM kept from the kernel at boot (memmap=SIZE$START, or RAM past mem=) in whole %lu MiB blocks; %pad-%pad is not\n",
		       state->id, block >> 20, &start, &end);
		return -EINVAL;
	}
	return 0;
}
