// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: the owner names a region's chunks show in /proc/iomem, one copy
 * per name.
 *
 * A chunk is a bare struct resource whose name points at its owner's entry
 * here: a device holding many chunks costs one name, not one per chunk, and
 * the chunk record stays in kmalloc-64.  An entry lives while chunks use
 * it, and the last one whose chunks all went waits, off the list, for its
 * owner's next chunk: a device that frees all its buffers and allocates
 * again (a stream that restarts) does not make its name again.  A region
 * has few owners, its devices and the processes holding heap buffers
 * ("heap:<comm>[<pid>]"), so the list stays short.
 * Everything here runs under the region's mutex; see internal.h.
 */
#define pr_fmt(fmt) "cmafw: " fmt

#include <linux/err.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"
#include "name_cmp.h"

/**
 * struct cmafw_owner - an owner name and how many chunks use it.
 * @node:	entry in &cma_region_state.owners.
 * @users:	live chunks named after it.
 * @holder:	who frees them; a heap's process and a device of the same
 *		name get two entries.
 * @olen:	the length of the device's or module's part of @name.
 * @tlen:	and of the type's after its '/', or 0.
 * @name:	"<device>", "<device>/<type>" or "<module>", then zeros to
 *		at least a word past its NUL, for cmafw_name_starts().
 */
struct cmafw_owner {
	struct list_head node;
	unsigned int users;
	enum cmafw_holder holder;
	unsigned int olen;
	unsigned int tlen;
	char name[];
};

/* Whether @o's name is "<owner>", or "<owner>/<type>" with a @type. */
static bool cmafw_owner_matches(const struct cmafw_owner *o,
				const char *owner, const char *type)
{
	const char *t = o->name + o->olen;

	if (!cmafw_name_starts(owner, o->name, o->olen) || owner[o->olen])
		return false;
	if (!type)
		return !*t;
	return *t == '/' && cmafw_name_starts(type, t + 1, o->tlen) &&
	       !type[o->tlen];
}

/**
 * cmafw_owner_get() - the region's copy of an owner name, made if need be.
 * @state:	the region.
 * @holder:	who will free the chunk named after it.
 * @owner:	device or module name.
 * @type:	appended after a '/' unless NULL.
 *
 * Context: the region's mutex held.
 * Return: the name, to be given back with cmafw_owner_put(); NULL when
 * out of memory.
 */
const char *cmafw_owner_get(struct cma_region_state *state,
			    enum cmafw_holder holder, const char *owner,
			    const char *type)
{
	struct cmafw_owner *o;
	size_t olen, tlen;

	lockdep_assert_held(&state->lock);
	list_for_each_entry(o, &state->owners, node) {
		if (o->holder == holder &&
		    cmafw_owner_matches(o, owner, type)) {
			o->users++;
			return o->name;
		}
	}
	o = state->idle_owner;
	if (o && o->holder == holder && cmafw_owner_matches(o, owner, type)) {
		state->idle_owner = NULL;
	} else {
		olen = strlen(owner);
		tlen = type ? strlen(type) : 0;
		/* "<owner>/<type>", its NUL, and a word of zeros. */
		o = kzalloc(struct_size(o, name, olen + 1 + tlen + 1 +
					sizeof(long)), GFP_KERNEL);
		if (!o)
			return NULL;
		memcpy(o->name, owner, olen);
		if (type) {
			o->name[olen] = '/';
			memcpy(o->name + olen + 1, type, tlen);
		}
		o->olen = olen;
		o->tlen = tlen;
		o->holder = holder;
	}
	o->users = 1;
	list_add(&o->node, &state->owners);
	return o->name;
}

/**
 * cmafw_owner_find() - the owner entry a chunk's name points at.
 * @state:	the region.
 * @name:	a resource's name pointer.
 *
 * A resource is one of the region's chunks exactly when its name is one
 * of these entries' (chunk.c).
 *
 * Context: the region's mutex held.
 * Return: the entry, for cmafw_owner_put(); NULL if cmafw_owner_get() did
 * not hand @name out or it is no longer in use.
 */
struct cmafw_owner *cmafw_owner_find(struct cma_region_state *state,
				     const char *name)
{
	struct cmafw_owner *o;

	lockdep_assert_held(&state->lock);
	list_for_each_entry(o, &state->owners, node)
		if (o->name == name)
			return o;
	return NULL;
}

/**
 * cmafw_owner_of() - the owner entry of a chunk that @holder frees.
 * @state:	the region.
 * @name:	a resource's name pointer.
 * @holder:	who is freeing the chunk.
 *
 * Context: the region's mutex held.
 * Return: the entry, for cmafw_owner_put(); NULL as cmafw_owner_find();
 * ERR_PTR(-EBUSY) if the chunk is another holder's to free.
 */
struct cmafw_owner *cmafw_owner_of(struct cma_region_state *state,
				   const char *name, enum cmafw_holder holder)
{
	struct cmafw_owner *o = cmafw_owner_find(state, name);

	if (o && o->holder != holder)
		return ERR_PTR(-EBUSY);
	return o;
}

/**
 * cmafw_owner_put() - a chunk named after @o is gone.
 * @state:	the region.
 * @o:		what cmafw_owner_find() returned for the chunk's name.
 *
 * Context: the region's mutex held; no resource points at @o's name any
 * more once its last user is gone.
 */
void cmafw_owner_put(struct cma_region_state *state, struct cmafw_owner *o)
{
	lockdep_assert_held(&state->lock);
	if (--o->users)
		return;
	list_del(&o->node);
	kfree(state->idle_owner);
	state->idle_owner = o;
}

/**
 * cmafw_owner_exit() - free the idle entry of a region going away.
 * @state:	the region, without chunks.
 */
void cmafw_owner_exit(struct cma_region_state *state)
{
	kfree(state->idle_owner);
	state->idle_owner = NULL;
}
