// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: the map in force.  It is replaced whole under cmafw_rwsem held
 * for writing, so every allocation sees the old map or the new one.  An
 * allocation walks its rule's region list with cmafw_rwsem dropped while
 * each region serves (api.c), holding a reference on the map meanwhile:
 * a replaced map is freed by the last request still walking it.
 */
#define pr_fmt(fmt) "cmafw: " fmt

#include <linux/err.h>
#include <linux/kref.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "internal.h"
#include "map.h"

/**
 * struct cmafw_map_ref - a map and who still reads it.
 * @kref:	one for being in force, one per request walking it.
 * @map:	the parsed map.
 */
struct cmafw_map_ref {
	struct kref kref;
	struct cmafw_map *map;
};

static struct cmafw_map_ref *cmafw_current_map;

static void cmafw_map_release(struct kref *kref)
{
	struct cmafw_map_ref *ref = container_of(kref, struct cmafw_map_ref,
						 kref);

	cmafw_map_free(ref->map);
	kfree(ref);
}

/**
 * cmafw_map_set() - replace the map.
 * @map:	the new map text (its grammar is in
 *		Documentation/ABI/testing/configfs-cmafw); "" or NULL clears
 *		it.  One trailing newline is ignored.
 *
 * The text is checked whole before anything changes.
 *
 * Context: process context; takes cmafw_rwsem.
 * Return: 0, -EINVAL for an invalid map (the kernel log names the column),
 * or -ENOMEM.
 */
int cmafw_map_set(const char *map)
{
	struct cmafw_map_ref *new, *old;

	new = kmalloc(sizeof(*new), GFP_KERNEL);
	if (!new)
		return -ENOMEM;
	new->map = cmafw_map_parse(map ?: "");
	if (IS_ERR(new->map)) {
		int ret = PTR_ERR(new->map);

		kfree(new);
		return ret;
	}
	kref_init(&new->kref);

	percpu_down_write(&cmafw_rwsem);
	old = cmafw_current_map;
	cmafw_current_map = new;
	percpu_up_write(&cmafw_rwsem);

	cmafw_map_put(old);
	return 0;
}
EXPORT_SYMBOL_GPL(cmafw_map_set);

/**
 * cmafw_map_show() - copy the map in force into a buffer.
 * @buf:	a PAGE_SIZE buffer.
 *
 * Context: process context; takes cmafw_rwsem.
 * Return: bytes written: the map followed by a newline.
 */
ssize_t cmafw_map_show(char *buf)
{
	ssize_t len;

	percpu_down_read(&cmafw_rwsem);
	len = sysfs_emit(buf, "%s\n", cmafw_current_map ?
			 cmafw_map_text(cmafw_current_map->map) : "");
	percpu_up_read(&cmafw_rwsem);
	return len;
}

/**
 * cmafw_map_current_get() - match a device against the map in force, and
 * keep that map.
 * @dev:	device name.
 * @type:	kind of memory.
 * @ref:	set to what keeps the result valid with cmafw_rwsem released,
 *		for cmafw_map_put(); NULL when there is no result.
 *
 * Context: cmafw_rwsem held.
 * Return: the matching rule's region list, or NULL.
 */
const char *cmafw_map_current_get(const char *dev, const char *type,
				  struct cmafw_map_ref **ref)
{
	const char *list;

	lockdep_assert_held(&cmafw_rwsem);
	*ref = NULL;
	list = cmafw_current_map ?
	       cmafw_map_lookup(cmafw_current_map->map, dev, type) : NULL;
	if (list) {
		*ref = cmafw_current_map;
		kref_get(&(*ref)->kref);
	}
	return list;
}

/**
 * cmafw_map_put() - let go of a map cmafw_map_current_get() kept.
 * @ref:	its @ref, or NULL.
 *
 * Context: process context; no lock needed.
 */
void cmafw_map_put(struct cmafw_map_ref *ref)
{
	if (ref)
		kref_put(&ref->kref, cmafw_map_release);
}

/**
 * cmafw_map_exit() - drop the map at module unload, when no request is in
 * flight.
 */
void cmafw_map_exit(void)
{
	cmafw_map_put(cmafw_current_map);
	cmafw_current_map = NULL;
}
