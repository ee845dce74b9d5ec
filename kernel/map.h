/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The device -> regions map: parsing and matching.  Pure logic with no
 * locking of its own; it also builds in userspace over
 * selftests/userspace/shim/.
 */
#ifndef _CMAFW_MAP_H
#define _CMAFW_MAP_H

#include <linux/types.h>

struct cmafw_map;

struct cmafw_map *cmafw_map_parse(const char *text);
void cmafw_map_free(struct cmafw_map *map);
const char *cmafw_map_text(const struct cmafw_map *map);
const char *cmafw_map_lookup(const struct cmafw_map *map, const char *dev,
			     const char *type);
/**
 * cmafw_name_end() - whether a character ends a name in a list of regions.
 * @c:		a character of a list of region names.
 *
 * A ',' separates two names, and a ';' or a NUL ends the list (a map
 * rule's list ends at its ';').
 *
 * Return: true for ',', ';' and NUL.
 */
static inline bool cmafw_name_end(char c)
{
	return !c || c == ',' || c == ';';
}

const char *cmafw_name_next(const char *list, size_t *len);
const char *cmafw_name_skip(const char *p);
size_t cmafw_name_len(const char *name);

#endif /* _CMAFW_MAP_H */
