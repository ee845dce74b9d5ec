// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: lend mode.  While no chunk needs it, a lend region's memory serves
 * the page allocator as movable memory; a chunk takes its pages back.
 *
 * Activation hot-adds the region as driver-managed RAM, which must come
 * online in ZONE_MOVABLE (memhp_default_state=online_movable), so that
 * only movable data the kernel can migrate ever lands there:
 *
 *	40000000-4fffffff : Reserved			(memmap=256M$0x40000000)
 *	  40000000-4fffffff : cmafw:<id>		the region, not busy
 *	    40000000-4fffffff : System RAM (cmafw:<id>)	what the kernel borrows
 *	      40000000-403fffff : <owner>		a chunk (or its index)
 *
 * (on arm64, with mem= keeping the range from the kernel, the region's
 * line is at the top level: lend_window.c says which ranges qualify).
 *
 * A chunk is placed by the region's allocator as in carve mode; then the
 * pageblocks it touches that no other chunk holds are taken back from the
 * kernel with alloc_contig_range(), which migrates their contents away,
 * retried on -EBUSY for a bounded time.  Taken pages stay ordinary
 * allocated pages: the notifier below already refuses any offlining but
 * cmafw's own, before the kernel tries to migrate anything, and a page
 * type (PageOffline) would hide a chunk from /proc/kcore, hibernation
 * images and crash dumps, and from vm_insert_page() on 6.12.  A placement
 * that cannot be vacated is held while the allocator is asked for another
 * one, a few times at most.  Pageblocks are the unit because compaction
 * cannot isolate a large folio from a tail page: a range that starts
 * inside a THP never comes free.  A chunk is zeroed here: 6.1 ignores
 * __GFP_ZERO and init_on_alloc is only a default.
 *
 * Deactivation takes the whole region back first, to learn without
 * spinning whether the kernel can vacate it, gives it back and then
 * offlines and removes it.  It runs in the remover's context, so a signal
 * stops it.  Module unload cannot fail: a region it cannot vacate is left
 * to the kernel as System RAM (its resource name outlives the module).
 *
 * A memory notifier refuses to online a lend region's blocks anywhere but
 * ZONE_MOVABLE, and to offline them behind cmafw's back.
 *
 * Locking: activation runs with cmafw_rwsem dropped and the region not
 * yet listed, only arriving (region.c), which no lookup finds;
 * deactivation with it dropped and the region leaving, which keeps
 * allocations and other removals out; a chunk's hooks run under the
 * region's mutex, with the region pinned and cmafw_rwsem dropped
 * (internal.h).  cmafw_lend_lock, innermost, guards the list of lend
 * ranges the notifier reads, and each range's @remover.  Removal holds the
 * region's mutex across offline_and_remove_memory(), which frees the RAM
 * resource that sysfs readers walk: the memory hotplug locks, and the
 * notifier's cmafw_lend_lock, nest inside it.
 */
#define pr_fmt(fmt) "cmafw: " fmt

#include <linux/delay.h>
#include <linux/highmem.h>
#include <linux/gfp.h>
#include <linux/ktime.h>
#include <linux/memory.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/page-flags.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/sysfs.h>

#include "internal.h"
#include "lend.h"

/* Bounds on taking one run of pageblocks back while it is busy. */
#define LEND_BUSY_TRIES		24
#define LEND_BUSY_MS		2000
/* Placements tried for one chunk before giving up. */
#define LEND_PLACEMENTS		8
/* Reclaim times kept for the percentiles in sysfs. */
#define LEND_RECENT		256

/**
 * struct cmafw_lend - a lend region's side of the bargain.
 * @node:	entry in cmafw_lend_ranges, read by the memory notifier.
 * @start_pfn:	first page frame of the region.
 * @end_pfn:	one past the last.
 * @remover:	the task offlining the range for cmafw, while it does; the
 *		notifier lets only that task offline it, so that nobody
 *		else slips an offline in while the range is being removed.
 * @ram:	the "System RAM (cmafw:<id>)" resource under the region's.
 * @ram_name:	its name; leaked on purpose if the kernel keeps the memory.
 * @users:	per pageblock, the number of chunks in it; a pageblock is
 *		taken from the kernel exactly while it has users.
 * @nr_pb:	pageblocks in the region.
 * @taken_pb:	pageblocks taken from the kernel.
 * @nr_reclaim:	takes that got their pages back.
 * @nr_reclaim_fail: takes that did not.
 * @nr_retries:	-EBUSY retries over all takes.
 * @reclaimed:	bytes taken back, over all takes.
 * @recent_us:	duration of the last LEND_RECENT takes, successful or not.
 *
 * Everything but @node and @remover is under the region's mutex.
 */
struct cmafw_lend {
	struct list_head node;
	unsigned long start_pfn;
	unsigned long end_pfn;
	struct task_struct *remover;
	struct resource *ram;
	char *ram_name;
	u16 *users;
	unsigned long nr_pb;
	unsigned long taken_pb;
	unsigned long nr_reclaim;
	unsigned long nr_reclaim_fail;
	unsigned long nr_retries;
	u64 reclaimed;
	u32 recent_us[LEND_RECENT];
};

static DEFINE_MUTEX(cmafw_lend_lock);	/* innermost; see the top */
static LIST_HEAD(cmafw_lend_ranges);

static unsigned long lend_pb_pfn(const struct cmafw_lend *l, unsigned long pb)
{
	return l->start_pfn + pb * pageblock_nr_pages;
}

static unsigned long lend_pb_of(const struct cmafw_lend *l, dma_addr_t addr)
{
	return (PHYS_PFN(addr) - l->start_pfn) / pageblock_nr_pages;
}

/* Refuse to online our blocks outside ZONE_MOVABLE or to offline them. */
static int cmafw_lend_notify(struct notifier_block *nb, unsigned long action,
			     void *data)
{
	const struct memory_notify *mn = data;
	unsigned long end = mn->start_pfn + mn->nr_pages;
	struct cmafw_lend *l;
	int ret = NOTIFY_OK;

	if (action != MEM_GOING_ONLINE && action != MEM_GOING_OFFLINE)
		return NOTIFY_OK;
	mutex_lock(&cmafw_lend_lock);
	list_for_each_entry(l, &cmafw_lend_ranges, node) {
		if (mn->start_pfn >= l->end_pfn || end <= l->start_pfn)
			continue;
		if (action == MEM_GOING_OFFLINE && l->remover != current)
			ret = NOTIFY_BAD;
		/* The zone is chosen before MEM_GOING_ONLINE is sent. */
		if (action == MEM_GOING_ONLINE &&
		    zone_idx(page_zone(pfn_to_page(mn->start_pfn))) !=
		    ZONE_MOVABLE)
			ret = NOTIFY_BAD;
	}
	mutex_unlock(&cmafw_lend_lock);
	return ret;
}

static struct notifier_block cmafw_lend_nb = {
	.notifier_call = cmafw_lend_notify,
};

/**
 * cmafw_lend_init() - start watching memory hotplug for lend regions.
 *
 * Return: 0 or the errno of register_memory_notifier().
 */
int cmafw_lend_init(void)
{
	return register_memory_notifier(&cmafw_lend_nb);
}

/**
 * cmafw_lend_exit() - stop watching; no lend region is left.
 */
void cmafw_lend_exit(void)
{
	unregister_memory_notifier(&cmafw_lend_nb);
}

/* Is every pageblock of [pb, pb_end) online in ZONE_MOVABLE? */
static bool lend_movable(const struct cmafw_lend *l, unsigned long pb,
			 unsigned long pb_end)
{
	struct page *page;

	for (; pb < pb_end; pb++) {
		page = pfn_to_online_page(lend_pb_pfn(l, pb));
		if (!page || zone_idx(page_zone(page)) != ZONE_MOVABLE)
			return false;
	}
	return true;
}

static void lend_unlist(struct cmafw_lend *l)
{
	mutex_lock(&cmafw_lend_lock);
	list_del(&l->node);
	mutex_unlock(&cmafw_lend_lock);
}

/* Let current, and only current, offline @l's range, or nobody. */
static void lend_set_removing(struct cmafw_lend *l, bool removing)
{
	mutex_lock(&cmafw_lend_lock);
	l->remover = removing ? current : NULL;
	mutex_unlock(&cmafw_lend_lock);
}

static void lend_free(struct cmafw_lend *l)
{
	kfree(l->ram_name);
	kfree(l->users);
	kfree(l);
}

/**
 * cmafw_lend_activate() - lend a freshly claimed region to the kernel.
 * @state:	the region; @state->res is its claimed, busy resource.
 *
 * Makes the region's resource a non-busy parent, hot-adds the range under
 * it and checks it came online in ZONE_MOVABLE.  Chunks will hang under
 * the RAM resource (@state->chunk_root).
 *
 * Context: cmafw_rwsem not held, the region arriving (region.c): claimed,
 * and out of every lookup's reach; a user's context.
 * Return: 0; -EINVAL when the blocks are not movable, with a line saying
 * how to boot; -ENOMEM; or the errno of add_memory_driver_managed().  On
 * error the resource is busy again and the kernel has nothing, unless the
 * kernel would not give back blocks it had just added (a WARN): then the
 * resource is gone and @state->res NULL.
 */
int cmafw_lend_activate(struct cma_region_state *state)
{
	struct resource *res = state->res, *r;
	unsigned long flags = res->flags;
	dma_addr_t start = res->start, end = res->end;
	u64 size = resource_size(res);
	struct cmafw_lend *l;
	int ret;

	l = kzalloc(sizeof(*l), GFP_KERNEL);
	if (!l)
		return -ENOMEM;
	l->start_pfn = PHYS_PFN(start);
	l->end_pfn = PHYS_PFN(end + 1);
	l->nr_pb = (l->end_pfn - l->start_pfn) / pageblock_nr_pages;
	l->users = kcalloc(l->nr_pb, sizeof(*l->users), GFP_KERNEL);
	l->ram_name = kasprintf(GFP_KERNEL, "System RAM (%s)", state->res_name);
	if (!l->users || !l->ram_name) {
		lend_free(l);
		return -ENOMEM;
	}
	mutex_lock(&cmafw_lend_lock);
	list_add(&l->node, &cmafw_lend_ranges);
	mutex_unlock(&cmafw_lend_lock);

	/* Not busy, as dax/kmem does, so that the RAM can nest under it. */
	res->flags = IORESOURCE_SYSTEM_RAM;
	ret = add_memory_driver_managed(memory_add_physaddr_to_nid(start),
					start, size, l->ram_name, MHP_NONE);
	if (ret) {
		pr_err("region %s: the kernel refused to add %pad-%pad as memory: %d\n",
		       state->id, &start, &end, ret);
		goto out;
	}
	if (!lend_movable(l, 0, l->nr_pb)) {
		/*
		 * The kernel does not say why: its hotplug policy, or an
		 * onlining that failed (it drops that errno).
		 */
		pr_err("region %s: the kernel did not online %pad-%pad as movable memory (out of memory, or not booted with memhp_default_state=online_movable)\n",
		       state->id, &start, &end);
		lend_set_removing(l, true);
		/* Nothing can be in memory that is offline or refused. */
		ret = offline_and_remove_memory(start, size);
		if (WARN(ret, "cmafw: region %s: cannot remove %pad-%pad again: %d\n",
			 state->id, &start, &end, ret)) {
			/* The kernel keeps it, and the name with it. */
			remove_resource(res);
			kfree(res);
			state->res = NULL;
			l->ram_name = NULL;
		}
		ret = -EINVAL;
		goto out;
	}
	for (r = res->child; r; r = r->sibling)
		if (r->start == start && r->end == end)
			l->ram = r;
	if (WARN_ON(!l->ram)) {
		ret = -ENOENT;
		goto out_remove;
	}
	state->lend = l;
	state->chunk_root = l->ram;
	pr_info("region %s: %pad-%pad lent to the kernel as movable memory\n",
		state->id, &start, &end);
	return 0;

out_remove:
	lend_set_removing(l, true);
	if (offline_and_remove_memory(start, size)) {
		/* As above: the kernel keeps it, and the name with it. */
		remove_resource(res);
		kfree(res);
		state->res = NULL;
		l->ram_name = NULL;
	}
out:
	if (state->res)
		res->flags = flags;
	lend_unlist(l);
	lend_free(l);
	return ret;
}

/*
 * Take [pb, pb_end) back with bounded retries on -EBUSY, counted in
 * *@retries when it is not NULL; no retry on anything else (-ENOMEM: the
 * rest of RAM is full).
 */
static int lend_take_run(struct cmafw_lend *l, unsigned long pb,
			 unsigned long pb_end, unsigned long *retries)
{
	ktime_t deadline = ktime_add_ms(ktime_get(), LEND_BUSY_MS);
	int tries = 0, ret;

	for (;;) {
		ret = alloc_contig_range(lend_pb_pfn(l, pb),
					 lend_pb_pfn(l, pb_end),
					 MIGRATE_MOVABLE,
					 GFP_KERNEL | __GFP_NOWARN);
		if (ret != -EBUSY || ++tries >= LEND_BUSY_TRIES ||
		    ktime_after(ktime_get(), deadline) ||
		    fatal_signal_pending(current))
			return ret;
		if (retries)
			(*retries)++;
		usleep_range(1000, 2000);
	}
}

/* Give the pageblocks of [pb, pb_end) without users back to the kernel. */
static void lend_give_unused(struct cmafw_lend *l, unsigned long pb,
			     unsigned long pb_end)
{
	for (; pb < pb_end; pb++) {
		if (l->users[pb])
			continue;
		free_contig_range(lend_pb_pfn(l, pb), pageblock_nr_pages);
		l->taken_pb--;
	}
}

static void lend_account(struct cmafw_lend *l, ktime_t t0, int ret, u64 bytes)
{
	u64 us = ktime_us_delta(ktime_get(), t0);
	unsigned long n = l->nr_reclaim + l->nr_reclaim_fail;

	l->recent_us[n % LEND_RECENT] = min_t(u64, us, U32_MAX);
	if (ret) {
		l->nr_reclaim_fail++;
	} else {
		l->nr_reclaim++;
		l->reclaimed += bytes;
	}
}

/**
 * struct lend_run - pageblocks [@pb, @end) of a lend region.
 * @pb:		the first.
 * @end:	one past the last.
 */
struct lend_run {
	unsigned long pb, end;
};

/*
 * Take back every pageblock of [addr, addr + size) that no chunk holds,
 * and count one more user for each.  *@busy is set to a run that would
 * not come free.
 */
static int lend_take(struct cma_region_state *state, dma_addr_t addr,
		     size_t size, struct lend_run *busy)
{
	struct cmafw_lend *l = state->lend;
	unsigned long first = lend_pb_of(l, addr);
	unsigned long last = lend_pb_of(l, addr + size - 1);
	unsigned long pb, run, n = 0;
	ktime_t t0 = ktime_get();
	int ret = 0;

	for (pb = first; pb <= last; pb++)
		n += !l->users[pb];
	if (!n)
		goto out_use;
	if (!lend_movable(l, first, last + 1)) {
		*busy = (struct lend_run){ first, last + 1 };
		ret = -ENXIO;
		goto out;
	}
	for (pb = first; pb <= last; pb = run) {
		if (l->users[pb]) {
			run = pb + 1;
			continue;
		}
		for (run = pb; run <= last && !l->users[run]; run++)
			;
		ret = lend_take_run(l, pb, run, &l->nr_retries);
		if (ret) {
			*busy = (struct lend_run){ pb, run };
			/* The runs before this one were taken here. */
			lend_give_unused(l, first, pb);
			goto out;
		}
		l->taken_pb += run - pb;
	}
out:
	lend_account(l, t0, ret, n * pageblock_nr_pages * PAGE_SIZE);
	if (ret)
		return ret;
out_use:
	for (pb = first; pb <= last; pb++)
		l->users[pb]++;
	return 0;
}

static void lend_zero(dma_addr_t addr, size_t size)
{
	unsigned long pfn = PHYS_PFN(addr), end = PHYS_PFN(addr + size);

	for (; pfn < end; pfn++) {
		clear_highpage(pfn_to_page(pfn));
		if (!(pfn % 512))
			cond_resched();
	}
}

static const char *lend_why(int err)
{
	switch (err) {
	case -EBUSY:
		return "pages the kernel could not move (pinned or in use)";
	case -ENOMEM:
		return "the rest of RAM has no room for the pages there";
	case -ENXIO:
		return "memory offline or outside ZONE_MOVABLE";
	default:
		return "an error";
	}
}

/* Whether [addr, addr + size) touches a pageblock of one of @runs. */
static bool lend_touches(const struct cmafw_lend *l, dma_addr_t addr,
			 size_t size, const struct lend_run *runs,
			 unsigned int n)
{
	unsigned long first = lend_pb_of(l, addr);
	unsigned long last = lend_pb_of(l, addr + size - 1);
	unsigned int i;

	for (i = 0; i < n; i++)
		if (first < runs[i].end && runs[i].pb <= last)
			return true;
	return false;
}

/**
 * cmafw_lend_place() - place a chunk in a lend region and take its pages.
 * @state:	the region.
 * @size:	bytes, whole pages.
 * @align:	a power of two, at least PAGE_SIZE.
 * @addr:	set to the chunk's address.
 *
 * Asks the allocator for a placement and takes its pages back from the
 * kernel.  A placement that cannot be vacated is held while another one,
 * aligned to a pageblock, is tried; one that touches a run of pageblocks
 * that already would not come free is held without trying it again.  The
 * chunk is zeroed.
 *
 * Context: the region's mutex held.
 * Return: 0 or -ENOMEM; when pages could not be vacated, one line says why.
 */
int cmafw_lend_place(struct cma_region_state *state, size_t size,
		     dma_addr_t align, dma_addr_t *addr)
{
	struct lend_run busy[LEND_PLACEMENTS];
	dma_addr_t held[LEND_PLACEMENTS], pb_align, where;
	struct cma_allocator *alloc = state->alloc;
	struct cmafw_lend *l = state->lend;
	unsigned int n = 0, nr_busy = 0, i;
	bool placed = false;
	int err = 0;

	lockdep_assert_held(&state->lock);
	pb_align = max_t(dma_addr_t, align, PAGE_SIZE * pageblock_nr_pages);
	while (n < LEND_PLACEMENTS) {
		if (alloc->alloc(state->alloc_priv, size, n ? pb_align : align,
				 addr))
			break;
		if (!lend_touches(l, *addr, size, busy, nr_busy)) {
			err = lend_take(state, *addr, size, &busy[nr_busy]);
			if (!err) {
				placed = true;
				break;
			}
			nr_busy++;
		}
		held[n++] = *addr;
	}
	for (i = 0; i < n; i++)
		alloc->free(state->alloc_priv, held[i], size);
	if (placed) {
		lend_zero(*addr, size);
		return 0;
	}
	if (nr_busy) {
		where = PFN_PHYS(lend_pb_pfn(l, busy[nr_busy - 1].pb));
		pr_warn_ratelimited("region %s: no room for %zu bytes: %u placements could not be vacated, the last because of %s at %pad\n",
				    state->id, size, n, lend_why(err), &where);
	}
	return -ENOMEM;
}

/**
 * cmafw_lend_give() - give a freed chunk's pages back to the kernel.
 * @state:	the region.
 * @addr:	the chunk's start.
 * @size:	its size.
 *
 * The pageblocks the chunk was the last user of go back to the page
 * allocator.
 *
 * Context: the region's mutex held.
 */
void cmafw_lend_give(struct cma_region_state *state, dma_addr_t addr,
		     size_t size)
{
	struct cmafw_lend *l = state->lend;
	unsigned long first = lend_pb_of(l, addr);
	unsigned long last = lend_pb_of(l, addr + size - 1), pb;

	lockdep_assert_held(&state->lock);
	for (pb = first; pb <= last; pb++)
		l->users[pb]--;
	lend_give_unused(l, first, last + 1);
}

/*
 * The kernel keeps the memory: take the region's resource out of the tree,
 * its RAM child moving up under "Reserved".  The caller frees it.
 */
static void lend_orphan(struct cma_region_state *state)
{
	remove_resource(state->res);
	/* The RAM resource still points at its name. */
	state->lend->ram_name = NULL;
}

/**
 * cmafw_lend_deactivate() - take a lend region's memory back for good.
 * @state:	the region, without chunks.
 * @final:	the module is going: if the kernel cannot give the memory
 *		back, let it keep it as System RAM and detach the region.
 *
 * First takes the whole region back, which tells without spinning whether
 * the kernel can vacate it, then gives it back and offlines and removes
 * the memory.
 *
 * Context: the region leaving and without chunks, cmafw_rwsem not held
 * (or the region not yet listed, cmafw_rwsem held for writing); the
 * remover's context, so that a signal stops the offlining.
 * Return: 0, the region's resource busy again; 1 (only when @final), the
 * resource out of the tree, for the caller to kfree(); -EBUSY with the
 * region still lent and usable.
 */
int cmafw_lend_deactivate(struct cma_region_state *state, bool final)
{
	struct cmafw_lend *l = state->lend;
	dma_addr_t start = state->res->start, end = state->res->end;
	int ret, detached = 0;

	/* Not a chunk's reclaim: its retries are not counted. */
	ret = lend_take_run(l, 0, l->nr_pb, NULL);
	if (!ret) {
		free_contig_range(l->start_pfn, l->end_pfn - l->start_pfn);
		lend_set_removing(l, true);
		/*
		 * Removing the memory frees the RAM resource, the chunk root
		 * that sysfs readers walk under the region's mutex.
		 */
		mutex_lock(&state->lock);
		ret = offline_and_remove_memory(start, end - start + 1);
		if (!ret)
			state->chunk_root = state->res;
		mutex_unlock(&state->lock);
		lend_set_removing(l, false);
	}
	if (ret) {
		pr_err("region %s: the kernel cannot give %pad-%pad back (%d: %s)%s\n",
		       state->id, &start, &end, ret, lend_why(ret),
		       final ? "; it keeps it as System RAM until reboot" :
		       "; the region stays active");
		if (!final)
			return -EBUSY;
		lend_orphan(state);
		detached = 1;
	} else {
		state->res->flags = IORESOURCE_MEM | IORESOURCE_BUSY;
		pr_info("region %s: %pad-%pad taken back from the kernel\n",
			state->id, &start, &end);
	}
	/* sysfs readers may still come until the region leaves sysfs. */
	mutex_lock(&state->lock);
	state->chunk_root = state->res;
	state->lend = NULL;
	mutex_unlock(&state->lock);
	lend_unlist(l);
	lend_free(l);
	return detached;
}

/* sysfs: the lend figures, for lend regions (sysfs.c has "mode"). */

#define to_state(k) container_of(k, struct cma_region_state, kobj)

static int lend_cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

/* The @pct percentile of the recent reclaim times, in microseconds. */
static u32 lend_percentile(struct cma_region_state *state, unsigned int pct)
{
	struct cmafw_lend *l = state->lend;
	unsigned long n = l->nr_reclaim + l->nr_reclaim_fail;
	u32 *v, ret = 0;

	n = min_t(unsigned long, n, LEND_RECENT);
	if (!n)
		return 0;
	v = kmemdup(l->recent_us, n * sizeof(*v), GFP_KERNEL);
	if (!v)
		return 0;
	sort(v, n, sizeof(*v), lend_cmp_u32, NULL);
	ret = v[DIV_ROUND_UP(n * pct, 100) - 1];
	kfree(v);
	return ret;
}

#define LEND_FIGURE(_name, _fmt, _expr)					\
static ssize_t _name##_show(struct kobject *kobj,			\
			    struct kobj_attribute *attr, char *buf)	\
{									\
	struct cma_region_state *state = to_state(kobj);		\
	struct cmafw_lend *l;						\
	ssize_t len;							\
									\
	mutex_lock(&state->lock);					\
	l = state->lend;						\
	len = l ? sysfs_emit(buf, _fmt "\n", _expr) : -ENODEV;		\
	mutex_unlock(&state->lock);					\
	return len;							\
}									\
static struct kobj_attribute _name##_attr = __ATTR_RO(_name)

LEND_FIGURE(lent, "%llu", (unsigned long long)(l->nr_pb - l->taken_pb) *
	    pageblock_nr_pages * PAGE_SIZE);
LEND_FIGURE(reclaims, "%lu", l->nr_reclaim);
LEND_FIGURE(reclaim_failures, "%lu", l->nr_reclaim_fail);
LEND_FIGURE(reclaim_retries, "%lu", l->nr_retries);
LEND_FIGURE(reclaimed, "%llu", l->reclaimed);
LEND_FIGURE(reclaim_p50_us, "%u", lend_percentile(state, 50));
LEND_FIGURE(reclaim_p99_us, "%u", lend_percentile(state, 99));
LEND_FIGURE(leaving, "%d", state->leaving);

static struct attribute *cmafw_lend_attrs[] = {
	&lent_attr.attr,
	&reclaims_attr.attr,
	&reclaim_failures_attr.attr,
	&reclaim_retries_attr.attr,
	&reclaimed_attr.attr,
	&reclaim_p50_us_attr.attr,
	&reclaim_p99_us_attr.attr,
	&leaving_attr.attr,
	NULL,
};

/* A region's mode is fixed while it is registered, so is its file set. */
static umode_t cmafw_lend_visible(struct kobject *kobj, struct attribute *a,
				  int n)
{
	return to_state(kobj)->lend ? a->mode : 0;
}

const struct attribute_group cmafw_lend_attr_group = {
	.attrs = cmafw_lend_attrs,
	.is_visible = cmafw_lend_visible,
};
