/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cmafw: the interface for allocator authors and platform code.
 *
 * An allocator only decides where a chunk goes inside a region.  The
 * framework keeps the record of what is allocated (the chunks are child
 * resources of the region in iomem_resource), validates every argument,
 * and serialises calls: at most one thread is inside an allocator for a
 * given region at a time, and it may sleep.
 */
#ifndef _LINUX_CMAFW_ALLOCATOR_H
#define _LINUX_CMAFW_ALLOCATOR_H

#include <linux/list.h>
#include <linux/module.h>
#include <linux/types.h>

/**
 * struct cma_allocator - a placement algorithm, selected by name.
 * @name:	unique name, used by a region's alloc_name.
 * @owner:	module providing the ops (THIS_MODULE), pinned while any
 *		region uses the allocator: a module whose own regions use
 *		its allocator cannot be unloaded before they are gone, so it
 *		must not wait for its exit to remove them.
 * @init:	set up for a region of @size bytes at physical @base (both
 *		page aligned).  Returns the allocator's private data or an
 *		ERR_PTR().
 * @cleanup:	free what init() set up; the region holds no chunks.
 * @alloc:	find @size bytes (whole pages) whose physical address is a
 *		multiple of @align (a power of two, at least PAGE_SIZE), mark
 *		them used and store the address in @addr.  Returns 0 or
 *		-ENOMEM (-EINVAL for less than a page, which the framework
 *		never asks); nothing changes on error.
 * @free:	mark [@addr, @addr + @size) free again; it was returned by
 *		alloc() with that size.  Cannot fail.
 * @list:	framework-private.
 */
struct cma_allocator {
	const char *name;
	struct module *owner;
	void *(*init)(dma_addr_t base, size_t size);
	void (*cleanup)(void *priv);
	int (*alloc)(void *priv, size_t size, dma_addr_t align,
		     dma_addr_t *addr);
	void (*free)(void *priv, dma_addr_t addr, size_t size);
	struct list_head list;
};

int __cmafw_allocator_register(struct cma_allocator *alloc,
			       struct module *owner);

/**
 * cmafw_allocator_register() - make a placement algorithm available.
 * @alloc:	as for __cmafw_allocator_register(); a NULL @alloc->owner
 *		is set to the calling module, which regions using it then
 *		pin.
 *
 * Return: as __cmafw_allocator_register().
 */
#define cmafw_allocator_register(alloc) \
	__cmafw_allocator_register(alloc, THIS_MODULE)

int cmafw_allocator_unregister(struct cma_allocator *alloc);
int cmafw_map_set(const char *map);

/*
 * The seed's names for allocator authors, as <linux/cmafw.h> gives drivers
 * theirs: static inline wrappers, hidden by CMAFW_NO_SEED_NAMES.
 */
#ifndef CMAFW_NO_SEED_NAMES

/**
 * cma_allocator_register() - make a placement algorithm available.
 * @alloc:	the ops, with a unique @alloc->name; init, alloc and free are
 *		required, cleanup is optional.  A NULL @alloc->owner is set
 *		to the calling module, which regions using it then pin.
 *
 * Regions then select it by name.
 *
 * Context: process context; may sleep.
 * Return: 0, -EINVAL for a missing op or a bad name, -EEXIST when the
 * name is taken.
 */
static inline int cma_allocator_register(struct cma_allocator *alloc)
{
	return cmafw_allocator_register(alloc);
}

/**
 * cma_allocator_unregister() - withdraw a placement algorithm.
 * @alloc:	an allocator registered with cma_allocator_register().
 *
 * Context: process context; may sleep.
 * Return: 0, -EBUSY while a region uses it, -ENOENT when it is not
 * registered, -EINVAL for NULL or an allocator without a name.
 */
static inline int cma_allocator_unregister(struct cma_allocator *alloc)
{
	return cmafw_allocator_unregister(alloc);
}

#endif /* CMAFW_NO_SEED_NAMES */

#endif /* _LINUX_CMAFW_ALLOCATOR_H */
