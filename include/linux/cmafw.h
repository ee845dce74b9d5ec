/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cmafw: physically contiguous memory for devices without scatter-gather.
 *
 * This is the only header a device driver needs.  A driver asks for memory
 * in its own name and the platform's map decides which region serves it:
 *
 *	dma_addr_t buf = cma_alloc(dev, NULL, SZ_8M, 0);
 *
 *	if (IS_ERR_VALUE(buf))
 *		return (int)buf;
 *	...
 *	cma_free(buf);
 *
 * The seed's names (cma_alloc(), cma_free(), ...) are static inline
 * wrappers around the exported cmafw_*() functions, so that nothing this
 * module exports can clash with mainline's own CMA symbols.  A file that
 * also includes mainline's <linux/cma.h> defines CMAFW_NO_SEED_NAMES first
 * and calls the cmafw_*() functions directly.
 *
 * Allocation and free sleep on the region's mutex, which an allocation
 * holds while it allocates memory (GFP_KERNEL) and, in lend mode, while
 * the kernel vacates the chunk's pages, which may reclaim: call neither
 * from memory reclaim (a shrinker), nor with a lock a shrinker takes.
 *
 * See Documentation/ABI/testing/configfs-cmafw for the map grammar, and
 * Documentation/admin-guide/mm/cmafw.rst for the administration
 * interfaces.
 */
#ifndef _LINUX_CMAFW_H
#define _LINUX_CMAFW_H

#include <linux/err.h>
#include <linux/init.h>
#include <linux/list.h>
#include <linux/types.h>

struct device;
struct cma_region_state;

/**
 * struct cma_info - what a set of regions can give.
 * @lower_bound: lowest address any of the regions can return.
 * @upper_bound: one byte past the highest address any of them can return.
 * @total_size:	sum of the regions' sizes.
 * @free_size:	sum of their free bytes when asked (a snapshot: other users
 *		may allocate right after).
 * @count:	number of registered regions counted.
 */
struct cma_info {
	dma_addr_t lower_bound;
	dma_addr_t upper_bound;
	size_t total_size;
	size_t free_size;
	unsigned int count;
};

/**
 * struct cma_region - a window of physical memory handed out in chunks.
 * @name:	unique name used by the map and cma_alloc_from(); NULL makes
 *		the region private, reachable only by cma_alloc_from_region().
 * @start:	physical start; rounded up to @alignment on registration.
 * @size:	size in bytes; rounded up to whole pages on registration.
 * @alignment:	alignment of @start: zero or a power of two, raised to at
 *		least PAGE_SIZE on registration.
 * @alloc_name:	name of the allocator to use; NULL selects "bitmap".
 * @lend:	lend mode: while no chunk needs it, the kernel uses the
 *		memory as movable RAM, and a chunk takes it back by
 *		migrating what is there.  The region must be whole memory
 *		blocks reserved at boot; false (carve-out) is the default.
 * @state:	framework-private; NULL while the region is not registered.
 * @early_node:	framework-private (CONFIG_CMAFW_BOOT): entry in the list of
 *		early regions.
 * @reserved:	early regions only (CONFIG_CMAFW_BOOT); read only.  Set when
 *		cmafw_early_regions_reserve() (or a platform reserve
 *		callback) set the region's memory aside at boot; @start then
 *		holds where.  Cleared only when the region then fails to
 *		register and its memory went back to the page allocator
 *		(see @registered); otherwise the memory stays away from the
 *		page allocator for good.
 * @own_reserve: framework-private (CONFIG_CMAFW_BOOT): the default
 *		callback, cmafw_early_region_reserve(), reserved the memory
 *		as the arch hook's callback, so cmafw may give it back.
 * @registered:	early regions only (CONFIG_CMAFW_BOOT); read only.  Set when
 *		the reserved region was registered as a normal region at
 *		subsys_initcall, before drivers probe; from then on the
 *		normal API (cma_alloc_from_region(), the map) uses it.  A
 *		region that fails to register is logged with why; if the
 *		default callback reserved it, its memory is given back to
 *		the page allocator and @reserved cleared, with one more line.
 *		A platform callback's region stays @reserved but not
 *		@registered, wasting its memory.
 *
 * The caller owns the structure and keeps it alive while registered (an
 * early region: from cmafw_early_region_register() on, for good).
 */
struct cma_region {
	const char *name;
	dma_addr_t start;
	size_t size;
	dma_addr_t alignment;
	const char *alloc_name;
	bool lend;
	struct cma_region_state *state;
#ifdef CONFIG_CMAFW_BOOT
	struct list_head early_node;
	unsigned int reserved:1;
	unsigned int own_reserve:1;
	unsigned int registered:1;
#endif
};

#ifndef CONFIG_CMAFW_STUBS
dma_addr_t __must_check cmafw_alloc(const struct device *dev, const char *type,
				    size_t size, dma_addr_t alignment);
dma_addr_t __must_check cmafw_alloc_from(const char *regions, size_t size,
					 dma_addr_t alignment,
					 const char *owner);
dma_addr_t __must_check cmafw_alloc_from_region(struct cma_region *reg,
						size_t size,
						dma_addr_t alignment,
						const char *owner);
int cmafw_free(dma_addr_t addr);
int cmafw_info(struct cma_info *info, const struct device *dev,
	       const char *type);
int cmafw_info_about(struct cma_info *info, const char *regions);
int __must_check cmafw_region_register(struct cma_region *reg);
int __must_check cmafw_region_unregister(struct cma_region *reg);
#else
/*
 * A kernel tree that carries cmafw but builds without it (CONFIG_CMAFW=n)
 * sets CONFIG_CMAFW_STUBS, so that a driver that can do without cmafw
 * needs no #ifdef: there is no region, allocations and queries fail with
 * -ENODEV, and no address is a chunk or region to give back.  Out of
 * tree, built against a kernel that knows nothing of cmafw, the symbol is
 * never set and the declarations above stand.
 */
static inline dma_addr_t __must_check
cmafw_alloc(const struct device *dev, const char *type, size_t size,
	    dma_addr_t alignment)
{
	return -ENODEV;
}

static inline dma_addr_t __must_check
cmafw_alloc_from(const char *regions, size_t size, dma_addr_t alignment,
		 const char *owner)
{
	return -ENODEV;
}

static inline dma_addr_t __must_check
cmafw_alloc_from_region(struct cma_region *reg, size_t size,
			dma_addr_t alignment, const char *owner)
{
	return -ENODEV;
}

static inline int cmafw_free(dma_addr_t addr)
{
	return -ENOENT;
}

static inline int cmafw_info(struct cma_info *info, const struct device *dev,
			     const char *type)
{
	return -ENODEV;
}

static inline int cmafw_info_about(struct cma_info *info, const char *regions)
{
	return -ENODEV;
}

static inline int __must_check cmafw_region_register(struct cma_region *reg)
{
	return -ENODEV;
}

static inline int __must_check cmafw_region_unregister(struct cma_region *reg)
{
	return -EINVAL;
}
#endif /* CONFIG_CMAFW_STUBS */

/*
 * Early regions (the seed's platform interface), with cmafw built in and
 * CONFIG_CMAFW_BOOT.  The order at boot:
 *
 * 1. cmafw.regions= and cmafw.map= are read by early_param; board code may
 *    add cmafw_set_defaults() and drivers cmafw_early_region_register(),
 *    both before step 2 (from an early_param handler or arch code).
 * 2. Arch code calls cmafw_early_regions_reserve() once memblock knows the
 *    RAM (next to dma_contiguous_reserve() on x86 and arm64); every early
 *    region not yet reserved gets its memory from memblock there.
 * 3. At subsys_initcall every reserved early region is registered as a
 *    normal region with origin "boot".  One that fails goes back to the
 *    page allocator if the default callback reserved it.
 *
 * Without CONFIG_CMAFW_BOOT only the no-op cmafw_early_regions_reserve()
 * exists, so that arch code can call it unconditionally.
 */
#ifdef CONFIG_CMAFW_BOOT
int __init __must_check cmafw_early_region_register(struct cma_region *reg);
int __init cmafw_set_defaults(struct cma_region *regions, const char *map);
int __init cmafw_early_region_reserve(struct cma_region *reg);
void __init cmafw_early_regions_reserve(int (*reserve)(struct cma_region *reg));
#else
static inline void
cmafw_early_regions_reserve(int (*reserve)(struct cma_region *reg))
{
}
#endif

#ifndef CMAFW_NO_SEED_NAMES

/**
 * cma_alloc() - allocate a contiguous chunk for a device.
 * @dev:	the device the memory is for.  Its device tree memory-region
 *		(the entry memory-region-names gives @type, if it has names)
 *		chooses the region, else the map matches its name; the name
 *		also names the chunk in /proc/iomem.
 * @type:	kind of memory the platform defines ("a", "b", ...): 1 to 32
 *		printable characters without blanks or ,;=/?*@#, other than
 *		"." and "..".  NULL
 *		means "common".
 * @size:	bytes; rounded up to whole pages.
 * @alignment:	zero or a power of two; at least a page is always used.
 *
 * The address is physical, and cma_alloc() does not check it against
 * @dev's DMA mask.  For the CPU, map it with memremap().  For a device
 * behind an IOMMU, map it with dma_map_resource(); for one without, its
 * bus address is phys_to_dma() (<linux/dma-direct.h>), which a device
 * tree's dma-ranges may offset: dma_map_resource() would hand out the
 * physical address unchanged.  The contents are whatever the chunk's last
 * user left, except in a lend region, whose chunks are zeroed (the kernel
 * held other data there): clear a chunk before a process can see it.
 *
 * Context: process context; may sleep.
 * Return: the chunk's physical address, or a negative errno inside the
 * dma_addr_t (check with IS_ERR_VALUE()): -EINVAL for a NULL @dev, a
 * @type that is not a valid name, a zero @size or a bad @alignment;
 * -ENOENT when no map rule names the device, when its memory-region is a
 * cmafw region node that is not registered (disabled, or refused at
 * load), when none of the rule's regions is registered, or when the last
 * one tried is a configfs region whose directory is being removed;
 * -ENOMEM when no region of the matching rule can fit the request;
 * -EBUSY when the last one tried is being unregistered: the removal waits
 * for the allocations in progress there, or takes a lend region's memory
 * back (cma_region_unregister()), and may fail, so a retry can succeed;
 * -EFAULT when an allocator misplaced the chunk (a bug, with a warning);
 * -EINTR when the caller got a fatal signal while it waited for a region
 * another allocation held (a lend region taking its memory back from the
 * kernel holds it for seconds), or while it took the memory back itself;
 * no other region is tried then.
 */
static inline dma_addr_t __must_check
cma_alloc(const struct device *dev, const char *type, size_t size,
	  dma_addr_t alignment)
{
	return cmafw_alloc(dev, type, size, alignment);
}

/**
 * cma_alloc_from() - allocate from regions named by the caller.
 * @regions:	comma-separated region names, tried in order; ends at a NUL
 *		or a semicolon.
 * @size:	bytes; rounded up to whole pages.
 * @alignment:	zero or a power of two.
 *
 * The chunk is named after the calling module.
 *
 * Context: process context; may sleep.
 * Return: as cma_alloc(); -ENOENT when none of @regions is registered.
 */
static inline dma_addr_t __must_check
cma_alloc_from(const char *regions, size_t size, dma_addr_t alignment)
{
	return cmafw_alloc_from(regions, size, alignment, KBUILD_MODNAME);
}

/**
 * cma_alloc_from_region() - allocate from one registered region.
 * @reg:	the region, private or named: the struct given to
 *		cma_region_register() itself, not a copy of it, which is not
 *		checked here (cma_region_unregister() refuses one).
 * @size:	bytes; rounded up to whole pages.
 * @alignment:	zero or a power of two.
 *
 * The chunk is named after the calling module.
 *
 * Context: process context; may sleep.
 * Return: as cma_alloc(); -EINVAL when @reg is not registered.
 */
static inline dma_addr_t __must_check
cma_alloc_from_region(struct cma_region *reg, size_t size,
		      dma_addr_t alignment)
{
	return cmafw_alloc_from_region(reg, size, alignment, KBUILD_MODNAME);
}

/**
 * cma_free() - give a chunk back.
 * @addr:	the address cma_alloc() or a sibling returned.
 *
 * Context: process context; may sleep.
 * Return: 0; -ENOENT (with a one-time warning) when no chunk starts at
 * @addr; -EBUSY (with a one-time warning), freeing nothing, when the chunk
 * at @addr backs a dma-buf of its region's heap, which only the buffer's
 * release frees.
 */
static inline int cma_free(dma_addr_t addr)
{
	return cmafw_free(addr);
}

/**
 * cma_info() - describe the regions that serve a device, as cma_alloc()
 * chooses them (device tree memory-region, else the map).
 * @info:	filled in on success, zeroed on error (unless NULL).
 * @dev:	the device.
 * @type:	kind of memory, as for cma_alloc(); NULL means "common".
 *
 * Context: process context; may sleep.
 * Return: 0; -EINVAL for a NULL @dev or @info, or an invalid @type;
 * -ENOENT when no map rule names the device, or its memory-region is a
 * cmafw region node that is not registered.
 */
static inline int cma_info(struct cma_info *info, const struct device *dev,
			   const char *type)
{
	return cmafw_info(info, dev, type);
}

/**
 * cma_info_about() - describe regions by name.
 * @info:	filled in on success, zeroed on error (unless NULL).
 * @regions:	comma-separated region names; ends at a NUL or a semicolon.
 *
 * Context: process context; may sleep.
 * Return: 0 or -EINVAL.  Names of regions that do not exist are skipped.
 */
static inline int cma_info_about(struct cma_info *info, const char *regions)
{
	return cmafw_info_about(info, regions);
}

/**
 * cma_region_register() - add a region.
 * @reg:	the region; see struct cma_region for the fields to set.
 *
 * A named region is also a dma-buf heap, /dev/dma_heap/cmafw-<name>:
 * buffers userspace allocates there are chunks too, and keep the region
 * registered (cma_region_unregister() returns -EBUSY) until their last
 * user lets go.  A driver whose remove() cannot wait for userspace
 * registers a private region (@reg->name NULL), which has no heap.
 *
 * Context: process context; may sleep.
 * Return: 0; -EINVAL for a bad name, size or alignment; -EEXIST when @reg
 * is already registered or its name is taken; -EADDRINUSE when it
 * overlaps another region; -EADDRNOTAVAIL when it overlaps System RAM or
 * ends past the physical address space (where the architecture says
 * where that ends, as x86 does);
 * -EBUSY when another driver holds part of the range; -ENODEV for an
 * unknown allocator; -ENOMEM.  With @reg->lend, -EOPNOTSUPP when cmafw is
 * built without lend mode (CONFIG_CMAFW_LEND); -EINVAL also when the
 * range is not whole memory blocks of RAM kept from the kernel at boot or
 * the kernel would not online it in ZONE_MOVABLE; or the error the
 * allocator's init() or memory hotplug gave.  On error nothing has
 * changed, except that a lend region that fails after its memory was lent
 * may leave memory the kernel will not give back, as System RAM (one log
 * line says so).
 */
static inline int __must_check cma_region_register(struct cma_region *reg)
{
	return cmafw_region_register(reg);
}

/**
 * cma_region_unregister() - remove a region that holds no chunks.
 * @reg:	a registered region.
 *
 * Return: 0, -EBUSY while chunks are live (a named region's heap buffers
 * included) or, for a lend region, while the kernel cannot vacate the
 * memory (the region then stays registered and usable, and @reg must stay
 * alive) or while another call removes the region, -EINTR (the region
 * likewise stays) when a signal stopped the kernel vacating a lend
 * region's memory, -EINVAL if not
 * registered, or if @reg is a copy of the struct that was.  The removal
 * waits for the allocations in progress in the region, and taking a lend
 * region's memory back may take seconds: all the while the region refuses
 * new allocations with -EBUSY, and the other regions serve as usual.
 * While a driver's region is registered, cmafw stays loaded.
 *
 * Context: process context; may sleep.
 */
static inline int __must_check cma_region_unregister(struct cma_region *reg)
{
	return cmafw_region_unregister(reg);
}

#ifdef CONFIG_CMAFW_BOOT
/**
 * cma_early_region_register() - add an early region, reserved at boot.
 * @reg:	the region: @size, optionally @start (zero lets the framework
 *		choose), @alignment, @name (NULL: private) and @alloc_name.
 *
 * Only records the region: memory is set aside later by
 * cma_early_regions_reserve(), and the region registered at
 * subsys_initcall.  Check @reg->reserved and @reg->registered after boot.
 * @reg must stay alive for good and must not be in __initdata.
 *
 * Context: early boot, before the arch code reserves early regions.
 * Return: 0; -EINVAL for a zero size, a bad alignment or a range that
 * does not fit the address space; -EBUSY once regions were reserved or
 * when @reg is already recorded; -EEXIST when another recorded region
 * has its name.
 */
static inline int __init __must_check
cma_early_region_register(struct cma_region *reg)
{
	return cmafw_early_region_register(reg);
}

/**
 * cma_set_defaults() - the platform's regions and map.
 * @regions:	array of early regions ended by one of zero size, or NULL.
 *		Not in __initdata: the regions stay registered.
 * @map:	the map to start with, or NULL.
 *
 * Each is used only when the command line does not give its own
 * (cmafw.regions= and cmafw.map=).
 *
 * Context: early boot, after early parameters, before the arch code
 * reserves early regions.
 * Return: 0 or the first error of cma_early_region_register().
 */
static inline int __init cma_set_defaults(struct cma_region *regions,
					  const char *map)
{
	return cmafw_set_defaults(regions, map);
}

/**
 * cma_early_region_reserve() - set one early region's memory aside.
 * @reg:	an early region, not reserved yet.
 *
 * The default reserve callback: memblock_reserve() at a fixed @start
 * after checking that it is RAM nobody reserved, or memblock placement
 * below 4 GiB, aligned as asked, when @start is zero.
 *
 * Context: early boot, while memblock manages memory.
 * Return: 0 (and @reg->reserved set, @reg->start where), -EINVAL when a
 * fixed range is not all RAM, -EBUSY when part of it is already reserved,
 * -ENOMEM when memblock finds no room.
 */
static inline int __init cma_early_region_reserve(struct cma_region *reg)
{
	return cmafw_early_region_reserve(reg);
}

/**
 * cma_early_regions_reserve() - reserve every early region.
 * @reserve:	callback that sets one region's memory aside and sets its
 *		@start; returns 0 or a negative errno.  NULL means
 *		cma_early_region_reserve().
 *
 * Called once by arch code.  A region that cannot be reserved is left out
 * with one line in the kernel log saying why.  With @reserve NULL, the
 * memory of a region that then fails to register at subsys_initcall is
 * given back to the page allocator; a platform callback's is not, as
 * cmafw cannot know what else that memory is.
 *
 * Context: early boot, while memblock manages memory.
 */
static inline void __init
cma_early_regions_reserve(int (*reserve)(struct cma_region *reg))
{
	cmafw_early_regions_reserve(reserve);
}
#endif /* CONFIG_CMAFW_BOOT */

#endif /* CMAFW_NO_SEED_NAMES */
#endif /* _LINUX_CMAFW_H */
