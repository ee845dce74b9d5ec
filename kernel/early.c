// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: early regions, built in only (CONFIG_CMAFW_BOOT).
 *
 * An early region is recorded before memblock hands memory to the page
 * allocator (cmafw_early_region_register()), given memory by the arch hook
 * cmafw_early_regions_reserve() next to dma_contiguous_reserve(), and
 * registered at subsys_initcall with origin "boot".
 *
 * Boot regions are RAM: /proc/iomem shows them inside "System RAM", the
 * pages have struct pages and a direct mapping.  The kernel never hands
 * them out because memblock kept them reserved, so their pages stay
 * PageReserved.  That is what the boot origin checks instead of the usual
 * "outside System RAM": a range that is RAM must be reserved RAM, page by
 * page.  Their iomem resource is inserted under System RAM (which is busy,
 * so __request_region() cannot nest there), as the kernel does for its own
 * code and crash kernel; on arm64, under the "reserved" line the arch made
 * of the memblock reservation.
 */
#define pr_fmt(fmt) "cmafw: " fmt

#include <linux/init.h>
#include <linux/ioport.h>
#include <linux/kmemleak.h>
#include <linux/list.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "internal.h"

/* Regions placed by memblock (no @START) end below this address. */
#define CMAFW_BOOT_LIMIT	SZ_4G

static LIST_HEAD(cmafw_early_regions);
static bool cmafw_early_reserve_done __initdata;

static const char *cmafw_early_id(const struct cma_region *reg)
{
	return reg->name ?: "(private)";
}

/* The region's final geometry; one line says what is wrong with it. */
static int __init cmafw_early_geometry(const struct cma_region *reg,
				       dma_addr_t *start, size_t *size,
				       dma_addr_t *align)
{
	if (!reg->size || (reg->alignment && !cmafw_is_pow2(reg->alignment))) {
		pr_err("region %s: needs a size and a power-of-two alignment\n",
		       cmafw_early_id(reg));
		return -EINVAL;
	}
	*align = max_t(dma_addr_t, reg->alignment, PAGE_SIZE);
	*start = ALIGN(reg->start, *align);
	*size = PAGE_ALIGN(reg->size);
	if (*size < reg->size || *start < reg->start ||
	    *start + *size - 1 < *start) {
		pr_err("region %s: size %zu at %pad does not fit the address space\n",
		       cmafw_early_id(reg), reg->size, &reg->start);
		return -EINVAL;
	}
	/* Lend mode hot-adds memory the kernel never had; these are RAM. */
	if (reg->lend) {
		pr_err("region %s: a boot region is RAM and cannot be in lend mode\n",
		       cmafw_early_id(reg));
		return -EINVAL;
	}
	return 0;
}

/*
 * Whether @reg, or another early region of its name, is recorded: twice
 * on the list would loop it, and a second name could never register.
 */
static int __init cmafw_early_recorded(const struct cma_region *reg)
{
	const struct cma_region *r;

	list_for_each_entry(r, &cmafw_early_regions, early_node) {
		if (r == reg) {
			pr_err("region %s: already recorded as an early region\n",
			       cmafw_early_id(reg));
			return -EBUSY;
		}
		if (reg->name && r->name && !strcmp(reg->name, r->name)) {
			pr_err("region %s: another early region has that name\n",
			       reg->name);
			return -EEXIST;
		}
	}
	return 0;
}

/**
 * cmafw_early_region_check() - whether an early region would be recorded.
 * @reg:	the region.
 *
 * For a caller that records several regions all or none: what
 * cmafw_early_region_register() would refuse, with the same line.
 *
 * Return: 0, -EINVAL, or -EBUSY or -EEXIST when it or its name is recorded.
 */
int __init cmafw_early_region_check(const struct cma_region *reg)
{
	dma_addr_t align, start;
	size_t size;

	return cmafw_early_geometry(reg, &start, &size, &align) ?:
	       cmafw_early_recorded(reg);
}

/**
 * cmafw_early_region_register() - record an early region.
 * @reg:	the region; see cma_early_region_register() in <linux/cmafw.h>.
 *
 * Return: 0, -EINVAL, -EBUSY or -EEXIST as cma_early_region_register()
 * says.
 */
int __init cmafw_early_region_register(struct cma_region *reg)
{
	dma_addr_t align, start;
	size_t size;
	int ret;

	if (cmafw_early_reserve_done) {
		pr_err("region %s: early regions were already reserved\n",
		       cmafw_early_id(reg));
		return -EBUSY;
	}
	ret = cmafw_early_geometry(reg, &start, &size, &align);
	if (!ret)
		ret = cmafw_early_recorded(reg);
	if (ret)
		return ret;
	reg->start = start;
	reg->size = size;
	reg->alignment = align;
	reg->reserved = 0;
	reg->own_reserve = 0;
	reg->registered = 0;
	list_add_tail(&reg->early_node, &cmafw_early_regions);
	return 0;
}

/*
 * Whether firmware set part of the range aside with no-map: such memory
 * is flagged in memblock's memory list, never in its reserved list.
 */
static bool __init cmafw_early_overlaps_nomap(phys_addr_t start,
					      phys_addr_t size)
{
	struct memblock_region *r;

	for_each_mem_region(r)
		if (memblock_is_nomap(r) && start < r->base + r->size &&
		    r->base < start + size)
			return true;
	return false;
}

/**
 * cmafw_early_region_reserve() - the default reserve callback.
 * @reg:	an early region.
 *
 * See cma_early_region_reserve() in <linux/cmafw.h>.
 *
 * Return: 0, -EINVAL, -EBUSY or -ENOMEM.
 */
int __init cmafw_early_region_reserve(struct cma_region *reg)
{
	phys_addr_t addr;

	if (reg->reserved)
		return -EINVAL;
	if (reg->start) {
		if (!memblock_is_region_memory(reg->start, reg->size))
			return -EINVAL;
		if (memblock_is_region_reserved(reg->start, reg->size) ||
		    cmafw_early_overlaps_nomap(reg->start, reg->size))
			return -EBUSY;
		if (memblock_reserve(reg->start, reg->size))
			return -ENOMEM;
		/*
		 * memblock's allocations accept their memory for an encrypted
		 * guest (TDX, SEV-SNP), which must before it touches it; a
		 * reservation does not.  A no-op elsewhere.
		 */
		accept_memory(reg->start, reg->size);
	} else {
		addr = memblock_phys_alloc_range(reg->size, reg->alignment, 0,
						 CMAFW_BOOT_LIMIT);
		if (!addr)
			return -ENOMEM;
		/*
		 * As mm/cma.c does: kmemleak is not to scan device buffers
		 * for pointers.  The object memblock made stays, ignored,
		 * until memblock_free_late() deletes it on a give-back.
		 */
		kmemleak_ignore_phys(addr);
		reg->start = addr;
	}
	/* Also when a platform's own callback called this one. */
	reg->reserved = 1;
	return 0;
}

static const char *cmafw_early_why(int err, bool fixed)
{
	switch (err) {
	case -EINVAL:
		return fixed ? "the range is not all RAM" : "invalid region";
	case -EBUSY:
		return "part of the range is already reserved";
	case -ENOMEM:
		return fixed ? "memblock cannot record it" :
			"no free RAM of that size and alignment below 4 GiB";
	default:
		return "the platform's reserve callback failed";
	}
}

static void __init cmafw_early_reserve_one(struct cma_region *reg,
					   int (*reserve)(struct cma_region *))
{
	bool fixed = reg->start;
	dma_addr_t end;
	int ret;

	ret = reserve(reg);
	if (ret < 0) {
		if (fixed)
			pr_err("region %s: cannot reserve %zu bytes at %pad: %s (%d); booting without it\n",
			       cmafw_early_id(reg), reg->size, &reg->start,
			       cmafw_early_why(ret, true), ret);
		else
			pr_err("region %s: cannot reserve %zu bytes: %s (%d); booting without it\n",
			       cmafw_early_id(reg), reg->size,
			       cmafw_early_why(ret, false), ret);
		return;
	}
	reg->reserved = 1;
	/*
	 * Only memory the default callback took from memblock is given
	 * back if the region fails to register: what a platform's callback
	 * set aside (even through this one) may be more than RAM to cmafw.
	 */
	reg->own_reserve = reserve == cmafw_early_region_reserve;
	end = reg->start + reg->size - 1;
	pr_info("region %s: reserved %pad-%pad at boot\n",
		cmafw_early_id(reg), &reg->start, &end);
}

/**
 * cmafw_early_regions_reserve() - give every early region its memory.
 * @reserve:	callback, or NULL for cmafw_early_region_reserve().
 *
 * Regions with a fixed start go first, so that memblock's placement of
 * the others cannot take their place; what the architecture reserved
 * before the hook (on arm64 the memory map and the CMA area, placed
 * top-down) they cannot have.  See cma_early_regions_reserve().
 */
void __init cmafw_early_regions_reserve(int (*reserve)(struct cma_region *reg))
{
	struct cma_region *reg;

	if (cmafw_early_reserve_done)
		return;
	cmafw_early_reserve_done = true;
	if (!reserve)
		reserve = cmafw_early_region_reserve;
	list_for_each_entry(reg, &cmafw_early_regions, early_node)
		if (!reg->reserved && reg->start)
			cmafw_early_reserve_one(reg, reserve);
	list_for_each_entry(reg, &cmafw_early_regions, early_node)
		if (!reg->reserved && !reg->start)
			cmafw_early_reserve_one(reg, reserve);
}

/* Admit RAM only if the page allocator never had any of it. */
static int cmafw_boot_admit(struct cma_region_state *state, dma_addr_t start,
			    size_t size)
{
	dma_addr_t end = start + size - 1;
	unsigned long pfn;

	switch (region_intersects(start, size, IORESOURCE_SYSTEM_RAM,
				  IORES_DESC_NONE)) {
	case REGION_DISJOINT:
		/* A platform callback set aside memory the kernel lacks. */
		return 0;
	case REGION_INTERSECTS:
		break;
	default:
		pr_err("region %s: %pad-%pad is partly System RAM\n",
		       state->id, &start, &end);
		return -EADDRNOTAVAIL;
	}
	for (pfn = PHYS_PFN(start); pfn <= PHYS_PFN(end); pfn++) {
		if (!pfn_valid(pfn) || !PageReserved(pfn_to_page(pfn))) {
			pr_err("region %s: page frame %#lx of %pad-%pad belongs to the page allocator\n",
			       state->id, pfn, &start, &end);
			return -EADDRNOTAVAIL;
		}
	}
	return 0;
}

/*
 * Whether @res, just inserted, took as its only child the arch's record
 * of the memblock reservation behind it: arm64 lists every reserved range
 * as "reserved" under System RAM at arch_initcall, before this runs.
 */
static bool cmafw_boot_adopted_reservation(const struct resource *res)
{
	const struct resource *c = res->child;

	return c && !c->sibling && !c->child && c->start == res->start &&
	       c->end == res->end && (c->flags & IORESOURCE_BUSY) &&
	       c->name && !strcasecmp(c->name, "reserved");
}

static int cmafw_boot_claim(struct cma_region_state *state, dma_addr_t start,
			    size_t size)
{
	dma_addr_t end = start + size - 1;
	struct resource *res, *reservation;

	res = kzalloc(sizeof(*res), GFP_KERNEL);
	if (!res)
		return -ENOMEM;
	res->name = state->res_name;
	res->start = start;
	res->end = end;
	res->flags = IORESOURCE_MEM | IORESOURCE_BUSY;
	/*
	 * Nests under System RAM, or under a "reserved" line that covers
	 * more than the region.  One that covers exactly the region is
	 * adopted by insert_resource(): go under it instead.  Anything else
	 * adopted is somebody's, and refused.
	 */
	if (!insert_resource(&iomem_resource, res) &&
	    cmafw_boot_adopted_reservation(res)) {
		reservation = res->child;
		/* Gives the child back to System RAM, but leaves ->child. */
		remove_resource(res);
		res->child = NULL;
		insert_resource(reservation, res);
	}
	/* Not inserted, or adopted somebody's resource. */
	if (!res->parent || res->child) {
		if (res->parent)
			remove_resource(res);
		kfree(res);
		pr_err("region %s: %pad-%pad conflicts with another resource (see /proc/iomem)\n",
		       state->id, &start, &end);
		return -EBUSY;
	}
	state->res = res;
	return 0;
}

static void cmafw_boot_release(struct cma_region_state *state)
{
	remove_resource(state->res);
	kfree(state->res);
	state->res = NULL;
}

static const struct cmafw_origin cmafw_origin_boot = {
	.name = "boot",
	.admit = cmafw_boot_admit,
	.claim = cmafw_boot_claim,
	.release = cmafw_boot_release,
};

/*
 * A reserved region failed to register with @err (its line is logged):
 * give its memory to the page allocator if cmafw's default callback
 * reserved it, and say so in one more line.  memblock_free_late() also
 * drops the kmemleak object of a placed region; a fixed one has none,
 * and deleting an unknown range is silent (as for the EFI boot services
 * memory x86 gives back the same way).  A page that is no longer
 * reserved would be freed twice: then the whole region is kept.
 */
static void __init cmafw_early_give_back(struct cma_region *reg, int err)
{
	dma_addr_t start = reg->start, end = reg->start + reg->size - 1;
	unsigned long pfn;

	if (!reg->own_reserve) {
		pr_err("region %s: not registered (%d); %pad-%pad stays reserved, as the platform's callback set it aside\n",
		       cmafw_early_id(reg), err, &start, &end);
		return;
	}
	for (pfn = PHYS_PFN(start); pfn <= PHYS_PFN(end); pfn++) {
		if (!pfn_valid(pfn) || !PageReserved(pfn_to_page(pfn))) {
			pr_err("region %s: not registered (%d); %pad-%pad stays reserved: page frame %#lx is not reserved memory\n",
			       cmafw_early_id(reg), err, &start, &end, pfn);
			return;
		}
	}
	memblock_free_late(start, reg->size);
	reg->reserved = 0;
	reg->own_reserve = 0;
	pr_warn("region %s: not registered (%d); gave %pad-%pad back to the page allocator\n",
		cmafw_early_id(reg), err, &start, &end);
}

/**
 * cmafw_early_regions_register() - register the reserved early regions.
 *
 * Called once while the framework initialises, at subsys_initcall.  Sets
 * each region's registered flag.  A region that fails is logged with why
 * and, if cmafw_early_region_reserve() reserved it as the arch hook's
 * callback, its memory goes back to the page allocator (reserved is
 * cleared) with one more line; a platform callback's region stays
 * reserved.  If the arch never called cmafw_early_regions_reserve(), one
 * line per recorded region says so.
 */
void __init cmafw_early_regions_register(void)
{
	struct cma_region *reg, *next;
	int ret;

	list_for_each_entry_safe(reg, next, &cmafw_early_regions, early_node) {
		list_del_init(&reg->early_node);
		if (!cmafw_early_reserve_done) {
			pr_err("region %s: never reserved: the architecture did not call cmafw_early_regions_reserve(); booting without it\n",
			       cmafw_early_id(reg));
			continue;
		}
		/* One that was not reserved was logged then. */
		if (!reg->reserved)
			continue;
		ret = cmafw_region_add(reg, &cmafw_origin_boot);
		if (ret)
			cmafw_early_give_back(reg, ret);
		else
			reg->registered = 1;
	}
}

/**
 * cmafw_early_regions_abandon() - give back the early regions never registered.
 * @err:	why the framework could not start.
 *
 * Called once, instead of cmafw_early_regions_register(), when the
 * framework fails to start: every reserved early region goes back to the
 * page allocator as one that failed to register does, with its lines.
 */
void __init cmafw_early_regions_abandon(int err)
{
	struct cma_region *reg, *next;

	list_for_each_entry_safe(reg, next, &cmafw_early_regions, early_node) {
		list_del_init(&reg->early_node);
		if (reg->reserved)
			cmafw_early_give_back(reg, err);
	}
}
