// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: the registry of placement algorithms, looked up by name.
 *
 * The list is under cmafw_rwsem.  Whether an allocator is in use is not
 * counted separately: a region holds it, so the region list tells.  A
 * region pins the allocator's module while it uses it.
 */
#define pr_fmt(fmt) "cmafw: " fmt

#include <linux/module.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "internal.h"

static LIST_HEAD(cmafw_allocators);

static struct cma_allocator *cmafw_allocator_find(const char *name)
{
	struct cma_allocator *alloc;

	list_for_each_entry(alloc, &cmafw_allocators, list)
		if (!strcmp(alloc->name, name))
			return alloc;
	return NULL;
}

static bool cmafw_allocator_in_use(const struct cma_allocator *alloc)
{
	struct cma_region_state *state;
	struct cmafw_arrival *a;

	list_for_each_entry(state, &cmafw_regions, node)
		if (state->alloc == alloc)
			return true;
	list_for_each_entry(a, &cmafw_arriving, node)
		if (a->state->alloc == alloc)
			return true;
	return false;
}

/**
 * __cmafw_allocator_register() - make a placement algorithm available;
 * called as cmafw_allocator_register() or cma_allocator_register().
 * @alloc:	the ops, with a unique @alloc->name; init, alloc and free are
 *		required, cleanup is optional.
 * @owner:	the calling module (THIS_MODULE), made @alloc->owner unless
 *		that is set: every region using the allocator pins it, so
 *		that its code cannot go from under them.
 *
 * Regions then select it by name.
 *
 * Context: process context; takes cmafw_rwsem.
 * Return: 0, -EINVAL for a missing op or a bad name, -EEXIST when the
 * name is taken; on error @alloc is left as it was.
 */
int __cmafw_allocator_register(struct cma_allocator *alloc,
			       struct module *owner)
{
	int ret = 0;

	if (!alloc || !alloc->init || !alloc->alloc || !alloc->free ||
	    !cmafw_name_valid(alloc->name)) {
		pr_err("allocator %s: missing ops or bad name\n",
		       alloc && alloc->name ? alloc->name : "(null)");
		return -EINVAL;
	}

	percpu_down_write(&cmafw_rwsem);
	if (cmafw_allocator_find(alloc->name)) {
		pr_err("allocator %s: already registered\n", alloc->name);
		ret = -EEXIST;
	} else {
		if (!alloc->owner)
			alloc->owner = owner;
		list_add_tail(&alloc->list, &cmafw_allocators);
	}
	percpu_up_write(&cmafw_rwsem);
	return ret;
}
EXPORT_SYMBOL_GPL(__cmafw_allocator_register);

/**
 * cmafw_allocator_unregister() - withdraw a placement algorithm.
 * @alloc:	a registered allocator.
 *
 * Context: process context; takes cmafw_rwsem.
 * Return: 0, -EBUSY while a region uses it, -ENOENT if not registered,
 * -EINVAL for NULL or an allocator without a name.
 */
int cmafw_allocator_unregister(struct cma_allocator *alloc)
{
	int ret = 0;

	if (!alloc || !alloc->name) {
		pr_err("cannot unregister an allocator without a name\n");
		return -EINVAL;
	}
	percpu_down_write(&cmafw_rwsem);
	if (cmafw_allocator_find(alloc->name) != alloc)
		ret = -ENOENT;
	else if (cmafw_allocator_in_use(alloc))
		ret = -EBUSY;
	else
		list_del(&alloc->list);
	percpu_up_write(&cmafw_rwsem);
	if (ret)
		pr_err("allocator %s: cannot unregister: %s\n", alloc->name,
		       ret == -EBUSY ? "a region uses it" : "not registered");
	return ret;
}
EXPORT_SYMBOL_GPL(cmafw_allocator_unregister);

/**
 * cmafw_allocator_get() - find an allocator by name and pin its module.
 * @name:	the allocator's name.
 *
 * Context: cmafw_rwsem held for writing.
 * Return: the allocator, or NULL if none by that name is registered.
 */
struct cma_allocator *cmafw_allocator_get(const char *name)
{
	struct cma_allocator *alloc;

	lockdep_assert_held_write(&cmafw_rwsem);
	alloc = cmafw_allocator_find(name);
	if (alloc && !try_module_get(alloc->owner))
		alloc = NULL;
	return alloc;
}

/**
 * cmafw_allocator_put() - unpin an allocator taken by cmafw_allocator_get().
 * @alloc:	the allocator.
 */
void cmafw_allocator_put(struct cma_allocator *alloc)
{
	module_put(alloc->owner);
}

/**
 * cmafw_allocator_names() - list the registered allocators.
 * @buf:	a PAGE_SIZE buffer, filled with one name per line.
 *
 * Context: process context; takes cmafw_rwsem.
 * Return: the number of bytes written.
 */
ssize_t cmafw_allocator_names(char *buf)
{
	struct cma_allocator *alloc;
	ssize_t len = 0;

	percpu_down_read(&cmafw_rwsem);
	list_for_each_entry(alloc, &cmafw_allocators, list)
		len += sysfs_emit_at(buf, len, "%s\n", alloc->name);
	percpu_up_read(&cmafw_rwsem);
	return len;
}

/**
 * cmafw_allocator_exists() - tell whether an allocator is registered.
 * @name:	the allocator's name.
 *
 * Context: process context; takes cmafw_rwsem.
 * Return: true if it is registered now.
 */
bool cmafw_allocator_exists(const char *name)
{
	bool found;

	percpu_down_read(&cmafw_rwsem);
	found = cmafw_allocator_find(name);
	percpu_up_read(&cmafw_rwsem);
	return found;
}
