// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: runtime administration through configfs, in null_blk's manner:
 *
 *	/sys/kernel/config/cmafw/map			the map, read and write
 *	/sys/kernel/config/cmafw/regions/<name>/	mkdir to describe a region
 *		size, start, alignment, allocator, mode	its configuration
 *		active					1 registers it, 0 removes it
 *		chunks, used				live figures
 *
 * Configuration is refused with -EBUSY while the region is active.  While
 * it holds chunks the region depends on its item, so deactivation and
 * rmdir get -EBUSY; a region with no chunks is removed by rmdir.  An active
 * lend region depends on its item too: only active=0, which can fail when
 * the kernel cannot give the memory back, ends it.  Every
 * store is validated whole: on error nothing changes, the write returns
 * the errno and one line in the kernel log says why.
 *
 * Lock order: cmafw_cfs_region::lock, then cmafw_rwsem and the region's
 * mutex (internal.h), or, as a lend region is activated or taken back,
 * the memory hotplug locks (with no cmafw lock held inside it).  The
 * first_chunk hook runs under the region's mutex and takes only configfs'
 * dirent spinlock.
 */
#define pr_fmt(fmt) "cmafw: " fmt

#include <linux/configfs.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/seqlock.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"
#include "logval.h"

/**
 * struct cmafw_cfs_region - a region described in configfs.
 * @item:	regions/<name>.
 * @reg:	what is registered while active; @reg.state says whether.
 * @lock:	serialises stores, activation and deactivation.  A lend
 *		region's deactivation holds it while the kernel gives the
 *		memory back, for seconds maybe: a store waiting behind it
 *		can be killed (cmafw_cfs_lock()).
 * @size:	configured size, bytes.
 * @start:	configured start.
 * @alignment:	configured alignment, 0 for a page.
 * @name:	storage for @reg.name: the item's name.
 * @alloc:	configured allocator, "" for the default.
 * @alloc_seq:	lets a show copy @alloc without @lock, which an activation
 *		may hold for seconds; stores write @alloc inside it.
 * @lend:	configured mode: lend rather than carve.
 * @gone:	rmdir has unlinked the item: its first_chunk hook must not
 *		call into configfs any more.  Set under @lock and, while
 *		active, the region's mutex, which the hook runs under.
 */
struct cmafw_cfs_region {
	struct config_item item;
	struct cma_region reg;
	struct mutex lock;		/* see the kernel-doc above */
	u64 size;
	u64 start;
	u64 alignment;
	char name[CMAFW_NAME_MAX + 1];
	char alloc[CMAFW_NAME_MAX + 1];
	seqcount_mutex_t alloc_seq;
	bool lend;
	bool gone;
};

static struct configfs_subsystem cmafw_cfs_subsys;

static struct cmafw_cfs_region *to_cfs_region(struct config_item *item)
{
	return container_of(item, struct cmafw_cfs_region, item);
}

/*
 * Lock @r for a store.  The wait ends with -EINTR on a fatal signal, as
 * the take-back it may wait behind does (lend.c): Ctrl-C stops an "echo"
 * stuck there.
 */
static int cmafw_cfs_lock(struct cmafw_cfs_region *r)
{
	return mutex_lock_killable(&r->lock) ? -EINTR : 0;
}

/* A number as cmafw_parse_size() takes it, and one trailing newline. */
static int cmafw_cfs_parse(const char *page, size_t count, u64 *val)
{
	if (count && page[count - 1] == '\n')
		count--;
	return cmafw_parse_size(page, count, val);
}

/* Parse and check a configuration value; log one line on error. */
static int cmafw_cfs_value(struct cmafw_cfs_region *r, const char *attr,
			   const char *page, size_t count, u64 *val,
			   bool (*valid)(u64 val), const char *expected)
{
	int ret = cmafw_cfs_parse(page, count, val);
	struct cmafw_logval v;

	if (!ret && !valid(*val))
		ret = -EINVAL;
	if (ret)
		pr_err("regions/%s/%s: \"%s\" refused: expected %s\n",
		       r->name, attr, cmafw_logval_store(&v, page, count),
		       ret == -ERANGE ? "a value that fits 64 bits" : expected);
	return ret;
}

static bool cmafw_cfs_valid_size(u64 val)
{
	return val && PAGE_ALIGNED(val) && val <= SIZE_MAX;
}

static bool cmafw_cfs_valid_start(u64 val)
{
	return PAGE_ALIGNED(val);
}

static bool cmafw_cfs_valid_active(u64 val)
{
	return val <= 1;
}

static bool cmafw_cfs_valid_alignment(u64 val)
{
	return !val || (cmafw_is_pow2(val) && val >= PAGE_SIZE);
}

/* A configuration store: refused while active, checked before storing. */
static ssize_t cmafw_cfs_setting(struct config_item *item, const char *attr,
				 const char *page, size_t count, u64 *setting,
				 bool (*valid)(u64 val), const char *expected)
{
	struct cmafw_cfs_region *r = to_cfs_region(item);
	u64 val;
	int ret;

	ret = cmafw_cfs_lock(r);
	if (ret)
		return ret;
	if (r->reg.state) {
		pr_err("regions/%s/%s: refused while active\n", r->name, attr);
		ret = -EBUSY;
	} else {
		ret = cmafw_cfs_value(r, attr, page, count, &val, valid,
				      expected);
		if (!ret)
			*setting = val;
	}
	mutex_unlock(&r->lock);
	return ret ?: count;
}

static ssize_t cmafw_cfs_size_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%llu\n", to_cfs_region(item)->size);
}

static ssize_t cmafw_cfs_size_store(struct config_item *item,
				    const char *page, size_t count)
{
	return cmafw_cfs_setting(item, "size", page, count,
				 &to_cfs_region(item)->size,
				 cmafw_cfs_valid_size,
				 "a non-zero multiple of the page size");
}
CONFIGFS_ATTR(cmafw_cfs_, size);

static ssize_t cmafw_cfs_start_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "0x%llx\n", to_cfs_region(item)->start);
}

static ssize_t cmafw_cfs_start_store(struct config_item *item,
				     const char *page, size_t count)
{
	return cmafw_cfs_setting(item, "start", page, count,
				 &to_cfs_region(item)->start,
				 cmafw_cfs_valid_start, "a page-aligned address");
}

/* A physical address: root's only, as in /proc/iomem. */
static struct configfs_attribute cmafw_cfs_attr_start = {
	.ca_name	= "start",
	.ca_mode	= 0600,
	.ca_owner	= THIS_MODULE,
	.show		= cmafw_cfs_start_show,
	.store		= cmafw_cfs_start_store,
};

static ssize_t cmafw_cfs_alignment_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%llu\n", to_cfs_region(item)->alignment);
}

static ssize_t cmafw_cfs_alignment_store(struct config_item *item,
					 const char *page, size_t count)
{
	return cmafw_cfs_setting(item, "alignment", page, count,
				 &to_cfs_region(item)->alignment,
				 cmafw_cfs_valid_alignment,
				 "0 or a power of two of at least the page size");
}
CONFIGFS_ATTR(cmafw_cfs_, alignment);

static ssize_t cmafw_cfs_allocator_show(struct config_item *item, char *page)
{
	struct cmafw_cfs_region *r = to_cfs_region(item);
	char name[CMAFW_NAME_MAX + 1];
	unsigned int seq;

	do {
		seq = read_seqcount_begin(&r->alloc_seq);
		memcpy(name, r->alloc, sizeof(name));
	} while (read_seqcount_retry(&r->alloc_seq, seq));
	name[CMAFW_NAME_MAX] = '\0';
	return sysfs_emit(page, "%s\n", name[0] ? name :
			  CMAFW_DEFAULT_ALLOCATOR);
}

static ssize_t cmafw_cfs_allocator_store(struct config_item *item,
					 const char *page, size_t count)
{
	struct cmafw_cfs_region *r = to_cfs_region(item);
	char name[CMAFW_NAME_MAX + 1];
	struct cmafw_logval v;
	size_t len = count;
	int ret = 0;

	if (len && page[len - 1] == '\n')
		len--;
	if (len && len <= CMAFW_NAME_MAX) {
		memcpy(name, page, len);
		name[len] = '\0';
	}
	if (!len || len > CMAFW_NAME_MAX || !cmafw_name_valid(name) ||
	    strlen(name) != len) {
		pr_err("regions/%s/allocator: \"%s\" refused: not an allocator name\n",
		       r->name, cmafw_logval_store(&v, page, count));
		return -EINVAL;
	}
	ret = cmafw_cfs_lock(r);
	if (ret)
		return ret;
	if (r->reg.state) {
		pr_err("regions/%s/allocator: refused while active\n", r->name);
		ret = -EBUSY;
	} else if (!cmafw_allocator_exists(name)) {
		pr_err("regions/%s/allocator: no allocator named \"%s\"\n",
		       r->name, name);
		ret = -ENODEV;
	} else {
		write_seqcount_begin(&r->alloc_seq);
		strscpy(r->alloc, name, sizeof(r->alloc));
		write_seqcount_end(&r->alloc_seq);
	}
	mutex_unlock(&r->lock);
	return ret ?: count;
}
CONFIGFS_ATTR(cmafw_cfs_, allocator);

static ssize_t cmafw_cfs_mode_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%s\n", to_cfs_region(item)->lend ? "lend" :
			  "carve");
}

static ssize_t cmafw_cfs_mode_store(struct config_item *item,
				    const char *page, size_t count)
{
	struct cmafw_cfs_region *r = to_cfs_region(item);
	size_t len = count && page[count - 1] == '\n' ? count - 1 : count;
	bool lend = len == 4 && !strncmp(page, "lend", 4);
	struct cmafw_logval v;
	int ret = 0;

	if (!lend && (len != 5 || strncmp(page, "carve", 5))) {
		pr_err("regions/%s/mode: \"%s\" refused: expected carve or lend\n",
		       r->name, cmafw_logval_store(&v, page, count));
		return -EINVAL;
	}
	ret = cmafw_cfs_lock(r);
	if (ret)
		return ret;
	if (r->reg.state) {
		pr_err("regions/%s/mode: refused while active\n", r->name);
		ret = -EBUSY;
	} else {
		r->lend = lend;
	}
	mutex_unlock(&r->lock);
	return ret ?: count;
}
CONFIGFS_ATTR(cmafw_cfs_, mode);

/*
 * Called under the region's mutex.  configfs_depend_item() would take the
 * configfs root's inode lock there, which a reader of "chunks" orders
 * before our locks (lockdep saw the cycle).  The unlocked variant takes
 * only configfs' dirent spinlock: it needs our subsystem to stay
 * registered, which it does while any region exists, since every region
 * pins this module.
 */
static int cmafw_cfs_first_chunk(struct cma_region *reg)
{
	struct cmafw_cfs_region *r = container_of(reg, typeof(*r), reg);

	/* Unlinked: configfs_depend_item_unlocked() would follow NULL. */
	if (r->gone)
		return -ENOENT;
	return configfs_depend_item_unlocked(&cmafw_cfs_subsys, &r->item);
}

static void cmafw_cfs_last_chunk(struct cma_region *reg)
{
	struct cmafw_cfs_region *r = container_of(reg, typeof(*r), reg);

	configfs_undepend_item(&r->item);
}

static const struct cmafw_origin cmafw_origin_configfs = {
	.name = "configfs",
	.first_chunk = cmafw_cfs_first_chunk,
	.last_chunk = cmafw_cfs_last_chunk,
};

static int cmafw_cfs_activate(struct cmafw_cfs_region *r)
{
	dma_addr_t align = max_t(u64, r->alignment, PAGE_SIZE);
	int ret;

	if (!r->size) {
		pr_err("regions/%s: set size before activating\n", r->name);
		return -EINVAL;
	}
	if (!IS_ALIGNED(r->start, align) || r->start + r->size < r->start) {
		pr_err("regions/%s: start 0x%llx is not aligned to %pad or the region wraps\n",
		       r->name, r->start, &align);
		return -EINVAL;
	}
	r->reg = (struct cma_region) {
		.name = r->name,
		.start = r->start,
		.size = r->size,
		.alignment = r->alignment,
		.alloc_name = r->alloc[0] ? r->alloc : NULL,
		.lend = r->lend,
	};
	/*
	 * rmdir cannot fail: a lend region leaves by active=0 only, so it
	 * depends on its item before it exists.  A racing rmdir then fails
	 * the dependency (-ENOENT) while nothing has changed yet.
	 */
	if (r->lend) {
		ret = configfs_depend_item_unlocked(&cmafw_cfs_subsys,
						    &r->item);
		if (ret) {
			pr_err("regions/%s: being removed, not activated\n",
			       r->name);
			return ret;
		}
	}
	ret = cmafw_region_add(&r->reg, &cmafw_origin_configfs);
	if (ret && r->lend)
		configfs_undepend_item(&r->item);
	return ret;
}

static int cmafw_cfs_deactivate(struct cmafw_cfs_region *r)
{
	bool lend = r->reg.lend;
	int ret = cmafw_region_remove(&r->reg, CMAFW_REMOVE_ADMIN);

	if (!ret && lend)
		configfs_undepend_item(&r->item);
	return ret;
}

static ssize_t cmafw_cfs_active_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%d\n", !!to_cfs_region(item)->reg.state);
}

static ssize_t cmafw_cfs_active_store(struct config_item *item,
				      const char *page, size_t count)
{
	struct cmafw_cfs_region *r = to_cfs_region(item);
	bool on;
	u64 val;
	int ret;

	ret = cmafw_cfs_value(r, "active", page, count, &val,
			      cmafw_cfs_valid_active, "0 or 1");
	if (ret)
		return ret;
	on = val;
	ret = cmafw_cfs_lock(r);
	if (ret)
		return ret;
	if (on == !!r->reg.state)
		ret = 0;
	else if (on)
		ret = cmafw_cfs_activate(r);
	else
		ret = cmafw_cfs_deactivate(r);
	mutex_unlock(&r->lock);
	return ret ?: count;
}
CONFIGFS_ATTR(cmafw_cfs_, active);

/*
 * Live figures; zero while inactive.  Not under @r->lock, which a removal
 * holds while a lend region's memory is taken back, for seconds maybe,
 * nor under the region's mutex, which a lend region's allocation holds as
 * long: read under cmafw_rwsem, which keeps the region registered, as
 * info reads the free bytes (internal.h).
 */
static ssize_t cmafw_cfs_figure(struct config_item *item, char *page,
				bool chunks)
{
	struct cmafw_cfs_region *r = to_cfs_region(item);
	struct cma_region_state *state;
	u64 val = 0;

	percpu_down_read(&cmafw_rwsem);
	state = r->reg.state;
	if (state && chunks) {
		/* Kept under the region's mutex: a moment's value will do. */
		val = data_race(state->chunks);
	} else if (state) {
		/* The same. */
		val = resource_size(state->res) - data_race(state->free);
	}
	percpu_up_read(&cmafw_rwsem);
	return sysfs_emit(page, "%llu\n", val);
}

static ssize_t cmafw_cfs_chunks_show(struct config_item *item, char *page)
{
	return cmafw_cfs_figure(item, page, true);
}
CONFIGFS_ATTR_RO(cmafw_cfs_, chunks);

static ssize_t cmafw_cfs_used_show(struct config_item *item, char *page)
{
	return cmafw_cfs_figure(item, page, false);
}
CONFIGFS_ATTR_RO(cmafw_cfs_, used);

static struct configfs_attribute *cmafw_cfs_region_attrs[] = {
	&cmafw_cfs_attr_size,
	&cmafw_cfs_attr_start,
	&cmafw_cfs_attr_alignment,
	&cmafw_cfs_attr_allocator,
	&cmafw_cfs_attr_mode,
	&cmafw_cfs_attr_active,
	&cmafw_cfs_attr_chunks,
	&cmafw_cfs_attr_used,
	NULL,
};

static void cmafw_cfs_region_release(struct config_item *item)
{
	struct cmafw_cfs_region *r = to_cfs_region(item);

	mutex_destroy(&r->lock);
	kfree(r);
}

static struct configfs_item_operations cmafw_cfs_region_ops = {
	.release = cmafw_cfs_region_release,
};

static const struct config_item_type cmafw_cfs_region_type = {
	.ct_item_ops = &cmafw_cfs_region_ops,
	.ct_attrs = cmafw_cfs_region_attrs,
	.ct_owner = THIS_MODULE,
};

static struct config_item *cmafw_cfs_make_region(struct config_group *group,
						 const char *name)
{
	struct cmafw_cfs_region *r;
	struct cmafw_logval v;

	if (!cmafw_name_valid(name)) {
		pr_err("regions/\"%s\": use 1-%d printable characters without blanks or %s\n",
		       cmafw_logval(&v, name, strlen(name)), CMAFW_NAME_MAX,
		       CMAFW_NAME_RESERVED);
		return ERR_PTR(-EINVAL);
	}
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return ERR_PTR(-ENOMEM);
	mutex_init(&r->lock);
	seqcount_mutex_init(&r->alloc_seq, &r->lock);
	strscpy(r->name, name, sizeof(r->name));
	config_item_init_type_name(&r->item, name, &cmafw_cfs_region_type);
	return &r->item;
}

/*
 * rmdir: a region with chunks depends on its item, so configfs refused
 * already; an active region without chunks is unregistered here.
 */
static void cmafw_cfs_drop_region(struct config_group *group,
				  struct config_item *item)
{
	struct cmafw_cfs_region *r = to_cfs_region(item);
	int ret = 0;

	mutex_lock(&r->lock);
	if (r->reg.state)
		ret = cmafw_region_unregister(&r->reg);
	mutex_unlock(&r->lock);
	/* Never free a region that is still registered. */
	if (!WARN(ret, "cmafw: regions/%s: removed while busy\n", r->name))
		config_item_put(item);
}

/*
 * rmdir, before configfs unlinks the item (and clears its ci_group): from
 * here on the first_chunk hook refuses.  Taking the region's mutex waits
 * for a hook already inside configfs_depend_item_unlocked().
 */
static void cmafw_cfs_disconnect_region(struct config_group *group,
					struct config_item *item)
{
	struct cmafw_cfs_region *r = to_cfs_region(item);
	struct cma_region_state *state;

	mutex_lock(&r->lock);
	state = r->reg.state;
	if (state)
		mutex_lock(&state->lock);
	r->gone = true;
	if (state)
		mutex_unlock(&state->lock);
	mutex_unlock(&r->lock);
}

static struct configfs_group_operations cmafw_cfs_regions_ops = {
	.make_item = cmafw_cfs_make_region,
	.disconnect_notify = cmafw_cfs_disconnect_region,
	.drop_item = cmafw_cfs_drop_region,
};

static const struct config_item_type cmafw_cfs_regions_type = {
	.ct_group_ops = &cmafw_cfs_regions_ops,
	.ct_owner = THIS_MODULE,
};

static ssize_t cmafw_cfs_map_show(struct config_item *item, char *page)
{
	return cmafw_map_show(page);
}

/*
 * configfs hands a store at most SIMPLE_ATTR_SIZE - 1 = 4095 bytes of a
 * write and passes the rest to another store: a store that long may be
 * truncated, so the limit for a map is 4094 bytes.
 */
#define CMAFW_CFS_MAP_MAX	4094

static ssize_t cmafw_cfs_map_store(struct config_item *item,
				   const char *page, size_t count)
{
	int ret;

	if (count > CMAFW_CFS_MAP_MAX) {
		pr_err("map: longer than %d bytes; write a shorter map\n",
		       CMAFW_CFS_MAP_MAX);
		return -E2BIG;
	}
	if (memchr(page, '\0', count)) {
		pr_err("map: contains a NUL byte\n");
		return -EINVAL;
	}
	ret = cmafw_map_set(page);
	return ret ?: count;
}
CONFIGFS_ATTR(cmafw_cfs_, map);

static struct configfs_attribute *cmafw_cfs_root_attrs[] = {
	&cmafw_cfs_attr_map,
	NULL,
};

static const struct config_item_type cmafw_cfs_root_type = {
	.ct_attrs = cmafw_cfs_root_attrs,
	.ct_owner = THIS_MODULE,
};

static struct config_group cmafw_cfs_regions;

static struct configfs_subsystem cmafw_cfs_subsys = {
	.su_group = {
		.cg_item = {
			.ci_namebuf = "cmafw",
			.ci_type = &cmafw_cfs_root_type,
		},
	},
};

/**
 * cmafw_configfs_init() - create /sys/kernel/config/cmafw/.
 *
 * Return: 0 or the errno of configfs_register_subsystem().
 */
int cmafw_configfs_init(void)
{
	config_group_init(&cmafw_cfs_subsys.su_group);
	mutex_init(&cmafw_cfs_subsys.su_mutex);
	config_group_init_type_name(&cmafw_cfs_regions, "regions",
				    &cmafw_cfs_regions_type);
	configfs_add_default_group(&cmafw_cfs_regions,
				   &cmafw_cfs_subsys.su_group);
	return configfs_register_subsystem(&cmafw_cfs_subsys);
}

/**
 * cmafw_configfs_exit() - remove /sys/kernel/config/cmafw/.
 *
 * Every region directory pins the module, so none is left.
 */
void cmafw_configfs_exit(void)
{
	configfs_unregister_subsystem(&cmafw_cfs_subsys);
}
