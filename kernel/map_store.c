// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: the map in force.  It is replaced whole under cmafw_rwsem held
 * for writing, so every allocation sees the old map or the new one.
 */
#define pr_fmt(fmt) "cmafw: " fmt

#include <linux/err.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "internal.h"
#include "map.h"

static struct cmafw_map *cmafw_current_map;

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
	struct cmafw_map *new, *old;

	new = cmafw_map_parse(map ?: "");
	if (IS_ERR(new))
		return PTR_ERR(new);

	down_write(&cmafw_rwsem);
	old = cmafw_current_map;
	cmafw_current_map = new;
	cmafw_gen++;
	up_write(&cmafw_rwsem);

	if (old)
		cmafw_map_free(old);
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

	down_read(&cmafw_rwsem);
	len = sysfs_emit(buf, "%s\n", cmafw_current_map ?
			 cmafw_map_text(cmafw_current_map) : "");
	up_read(&cmafw_rwsem);
	return len;
}

/**
 * cmafw_map_current_lookup() - match a device against the map in force.
 * @dev:	device name.
 * @type:	kind of memory.
 *
 * Context: cmafw_rwsem held; the result is valid until it is released.
 * Return: the matching rule's region list, or NULL.
 */
const char *cmafw_map_current_lookup(const char *dev, const char *type)
{
	lockdep_assert_held(&cmafw_rwsem);
	return cmafw_map_lookup(cmafw_current_map, dev, type);
}

/**
 * cmafw_map_exit() - drop the map at module unload.
 */
void cmafw_map_exit(void)
{
	if (cmafw_current_map)
		cmafw_map_free(cmafw_current_map);
	cmafw_current_map = NULL;
}
