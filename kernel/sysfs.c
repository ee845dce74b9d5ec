// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: the state every region shows in /sys/kernel/cmafw/regions/<id>/.
 * Figures are read under the region's mutex, so each file is exact at the
 * moment it is read.  Documentation/ABI/testing/sysfs-kernel-cmafw lists
 * the files.
 */
#define pr_fmt(fmt) "cmafw: " fmt

#include <linux/kobject.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "internal.h"
#include "lend.h"
#include "sysfs_figure.h"

static struct kobject *cmafw_kobj;
static struct kobject *cmafw_regions_kobj;

/* Free extents are counted in classes of [2^k, 2^(k+1)) pages. */
#define CMAFW_HOLE_CLASSES	(BITS_PER_LONG - PAGE_SHIFT)

/* What a walk of a region's free extents found (not alloc_holes.h's set). */
struct cmafw_free_extents {
	size_t largest;
	unsigned int count[CMAFW_HOLE_CLASSES];
};

static void cmafw_free_extents_add(void *arg, size_t size)
{
	struct cmafw_free_extents *holes = arg;

	holes->largest = max(holes->largest, size);
	holes->count[ilog2(size >> PAGE_SHIFT)]++;
}

/* -EINTR: killed while a lend region's take-back held the mutex. */
static int cmafw_free_extents_read(struct cma_region_state *state,
				   struct cmafw_free_extents *holes)
{
	memset(holes, 0, sizeof(*holes));
	if (mutex_lock_killable(&state->lock))
		return -EINTR;
	cmafw_chunk_walk_holes(state, cmafw_free_extents_add, holes);
	mutex_unlock(&state->lock);
	return 0;
}

CMAFW_FIGURE_MODE(base, 0400, "0x%llx",
		  (unsigned long long)state->res->start);
CMAFW_FIGURE(size, "%llu", (unsigned long long)resource_size(state->res));
CMAFW_FIGURE(free, "%zu", state->free);
CMAFW_FIGURE(used, "%llu",
	     (unsigned long long)resource_size(state->res) - state->free);
CMAFW_FIGURE(chunks, "%u", state->chunks);
CMAFW_FIGURE(allocator, "%s", state->alloc->name);
CMAFW_FIGURE(origin, "%s", state->origin->name);
CMAFW_FIGURE(mode, "%s", state->lend_mode ? "lend" : "carve");
CMAFW_FIGURE(alloc_success, "%lu", state->nr_alloc);
CMAFW_FIGURE(alloc_fail, "%lu", state->nr_fail);
CMAFW_FIGURE(release_success, "%lu", state->nr_release);

static ssize_t largest_free_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	struct cmafw_free_extents holes;

	if (cmafw_free_extents_read(to_state(kobj), &holes))
		return -EINTR;
	return sysfs_emit(buf, "%zu\n", holes.largest);
}

static struct kobj_attribute largest_free_attr = __ATTR_RO(largest_free);

/*
 * One line per size class up to the region's size: "<bytes> <count>",
 * where the class holds free extents of at least <bytes> and less than
 * twice that.
 */
static ssize_t free_extents_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	struct cma_region_state *state = to_state(kobj);
	unsigned int k, top = ilog2(resource_size(state->res) >> PAGE_SHIFT);
	struct cmafw_free_extents holes;
	ssize_t len = 0;

	if (cmafw_free_extents_read(state, &holes))
		return -EINTR;
	for (k = 0; k <= top; k++)
		len += sysfs_emit_at(buf, len, "%lu %u\n", PAGE_SIZE << k,
				     holes.count[k]);
	return len;
}

static struct kobj_attribute free_extents_attr = __ATTR_RO(free_extents);

#define CMAFW_OWNERS_MAX	64

struct cmafw_owners {
	unsigned int n;
	bool truncated;
	struct {
		const char *name;
		size_t bytes;
		unsigned int chunks;
	} row[CMAFW_OWNERS_MAX];
};

static void cmafw_owners_add(void *arg, const char *owner, size_t size)
{
	struct cmafw_owners *owners = arg;
	unsigned int i;

	for (i = 0; i < owners->n; i++)
		if (!strcmp(owners->row[i].name, owner))
			break;
	if (i == owners->n) {
		if (i == CMAFW_OWNERS_MAX) {
			owners->truncated = true;
			return;
		}
		owners->row[i].name = owner;
		owners->n++;
	}
	owners->row[i].bytes += size;
	owners->row[i].chunks++;
}

/* One line per owner, in address order of first chunk: "<owner> <bytes> <chunks>". */
static ssize_t owners_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	static const char more[] = "... more owners not shown\n";
	struct cma_region_state *state = to_state(kobj);
	struct cmafw_owners *owners;
	ssize_t len = 0;
	unsigned int i;
	int row;

	owners = kzalloc(sizeof(*owners), GFP_KERNEL);
	if (!owners)
		return -ENOMEM;
	if (mutex_lock_killable(&state->lock)) {
		kfree(owners);
		return -EINTR;
	}
	cmafw_chunk_walk(state, cmafw_owners_add, owners);
	for (i = 0; i < owners->n; i++) {
		row = sysfs_emit_at(buf, len, "%s %zu %u\n",
				    owners->row[i].name, owners->row[i].bytes,
				    owners->row[i].chunks);
		/*
		 * Whole rows only, with room for the last line: a row the
		 * page cut, or one past that room, is written over.
		 */
		if (len + row > PAGE_SIZE - sizeof(more)) {
			owners->truncated = true;
			break;
		}
		len += row;
	}
	mutex_unlock(&state->lock);
	if (owners->truncated)
		len += sysfs_emit_at(buf, len, "%s", more);
	kfree(owners);
	return len;
}

static struct kobj_attribute owners_attr = __ATTR_RO(owners);

static struct attribute *cmafw_region_attrs[] = {
	&base_attr.attr,
	&size_attr.attr,
	&free_attr.attr,
	&used_attr.attr,
	&chunks_attr.attr,
	&allocator_attr.attr,
	&origin_attr.attr,
	&mode_attr.attr,
	&largest_free_attr.attr,
	&free_extents_attr.attr,
	&owners_attr.attr,
	&alloc_success_attr.attr,
	&alloc_fail_attr.attr,
	&release_success_attr.attr,
	NULL,
};

static const struct attribute_group cmafw_region_group = {
	.attrs = cmafw_region_attrs,
};

/* lend_sysfs.c's group adds its figures to lend regions. */
static const struct attribute_group *cmafw_region_groups[] = {
	&cmafw_region_group,
#ifdef CONFIG_CMAFW_LEND
	&cmafw_lend_attr_group,
#endif
	NULL,
};

static void cmafw_region_release(struct kobject *kobj)
{
	struct cma_region_state *state = to_state(kobj);

	mutex_destroy(&state->lock);
	kfree(state);
}

static const struct kobj_type cmafw_region_ktype = {
	.release = cmafw_region_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = cmafw_region_groups,
};

/**
 * cmafw_sysfs_region_init() - make the kobject own a new region's state.
 * @state:	freshly allocated; from now on kobject_put() frees it.
 */
void cmafw_sysfs_region_init(struct cma_region_state *state)
{
	kobject_init(&state->kobj, &cmafw_region_ktype);
}

/**
 * cmafw_sysfs_region_add() - show a registered region in sysfs.
 * @state:	the region, with its id and resource set.
 *
 * Return: 0 or a negative errno from kobject_add().
 */
int cmafw_sysfs_region_add(struct cma_region_state *state)
{
	return kobject_add(&state->kobj, cmafw_regions_kobj, "%s", state->id);
}

static ssize_t allocators_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return cmafw_allocator_names(buf);
}

static struct kobj_attribute allocators_attr = __ATTR_RO(allocators);

/**
 * cmafw_sysfs_init() - create /sys/kernel/cmafw/ and its regions/.
 *
 * Return: 0 or -ENOMEM.
 */
int cmafw_sysfs_init(void)
{
	int ret = -ENOMEM;

	cmafw_kobj = kobject_create_and_add("cmafw", kernel_kobj);
	if (!cmafw_kobj)
		return ret;
	ret = sysfs_create_file(cmafw_kobj, &allocators_attr.attr);
	if (ret)
		goto out;
	cmafw_regions_kobj = kobject_create_and_add("regions", cmafw_kobj);
	if (!cmafw_regions_kobj) {
		ret = -ENOMEM;
		goto out;
	}
	return 0;
out:
	kobject_put(cmafw_kobj);
	return ret;
}

/**
 * cmafw_sysfs_exit() - remove /sys/kernel/cmafw/; no region is left.
 */
void cmafw_sysfs_exit(void)
{
	kobject_put(cmafw_regions_kobj);
	kobject_put(cmafw_kobj);
}
