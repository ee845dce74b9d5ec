// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: the owner names a region's chunks show in /proc/iomem, one copy
 * per name.
 *
 * A chunk is a bare struct resource whose name points at its owner's entry
 * here: a device holding many chunks costs one name, not one per chunk, and
 * the chunk record stays in kmalloc-64.  An entry lives while chunks use
 * it.  A region has few owners (its devices), so the list is short.
 * Everything here runs under the region's mutex; see internal.h.
 */
#define pr_fmt(fmt) "cmafw: " fmt

#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"

/**
 * struct cmafw_owner - an owner name and how many chunks use it.
 * @node:	entry in &cma_region_state.owners.
 * @users:	live chunks named after it.
 * @name:	"<device>", "<device>/<type>" or "<module>".
 */
struct cmafw_owner {
	struct list_head node;
	unsigned int users;
	char name[];
};

static bool cmafw_owner_matches(const struct cmafw_owner *o, const char *owner,
				size_t olen, const char *type)
{
	if (strncmp(o->name, owner, olen))
		return false;
	if (!type)
		return !o->name[olen];
	return o->name[olen] == '/' && !strcmp(o->name + olen + 1, type);
}

/**
 * cmafw_owner_get() - the region's copy of an owner name, made if need be.
 * @state:	the region.
 * @owner:	device or module name.
 * @type:	appended after a '/' unless NULL.
 *
 * Context: the region's mutex held.
 * Return: the name, to be given back with cmafw_owner_put(); NULL when
 * out of memory.
 */
const char *cmafw_owner_get(struct cma_region_state *state, const char *owner,
			    const char *type)
{
	size_t olen = strlen(owner);
	size_t tlen = type ? strlen(type) + 1 : 0;
	struct cmafw_owner *o;

	lockdep_assert_held(&state->lock);
	list_for_each_entry(o, &state->owners, node) {
		if (cmafw_owner_matches(o, owner, olen, type)) {
			o->users++;
			return o->name;
		}
	}
	o = kzalloc(struct_size(o, name, olen + tlen + 1), GFP_KERNEL);
	if (!o)
		return NULL;
	memcpy(o->name, owner, olen);
	if (type) {
		o->name[olen] = '/';
		memcpy(o->name + olen + 1, type, tlen - 1);
	}
	o->users = 1;
	list_add(&o->node, &state->owners);
	return o->name;
}

static struct cmafw_owner *cmafw_owner_of(struct cma_region_state *state,
					  const char *name)
{
	struct cmafw_owner *o;

	list_for_each_entry(o, &state->owners, node)
		if (o->name == name)
			return o;
	return NULL;
}

/**
 * cmafw_owner_is() - tell whether @name is one of the region's owner names.
 * @state:	the region.
 * @name:	a resource's name pointer.
 *
 * Context: the region's mutex held.
 * Return: true if cmafw_owner_get() handed out @name and it is in use.
 */
bool cmafw_owner_is(struct cma_region_state *state, const char *name)
{
	lockdep_assert_held(&state->lock);
	return cmafw_owner_of(state, name);
}

/**
 * cmafw_owner_put() - a chunk named @name is gone.
 * @state:	the region.
 * @name:	what cmafw_owner_get() returned.
 *
 * Context: the region's mutex held; no resource points at @name any more
 * once its last user is gone.
 */
void cmafw_owner_put(struct cma_region_state *state, const char *name)
{
	struct cmafw_owner *o = cmafw_owner_of(state, name);

	lockdep_assert_held(&state->lock);
	if (WARN_ON(!o) || --o->users)
		return;
	list_del(&o->node);
	kfree(o);
}
