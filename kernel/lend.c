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
 * A chunk takes back the pageblocks it needs (lend_take.c); the figures
 * are in sysfs (lend_sysfs.c).
 *
 * Deactivation takes the whole region back first, a piece at a time, to
 * learn without spinning whether the kernel can vacate it, then offlines
 * and removes it without giving the pages back in between
 * (lend_offline.c).  What a failed one leaves offline stays out of use
 * (lend_stranded.c).  It runs in the remover's context, so a signal stops
 * it.  Module unload cannot fail: a region it cannot vacate is left to
 * the kernel as System RAM (its resource name outlives the module).
 *
 * A memory notifier refuses to online a lend region's blocks anywhere but
 * ZONE_MOVABLE, and to offline them behind cmafw's back; it follows
 * cmafw's own offlining (lend_offline.c).
 *
 * Locking: activation runs with cmafw_rwsem dropped and the region not
 * yet listed, only arriving (region.c), which no lookup finds;
 * deactivation with it dropped and the region closing, which keeps
 * allocations and other removals out (region.c); a chunk's hooks run under the
 * region's mutex, with the region pinned and cmafw_rwsem dropped
 * (internal.h).  cmafw_lend_lock, innermost, guards the list of lend
 * ranges the notifier reads, and each range's @remover.  Removal does not
 * hold the region's mutex across offline_and_remove_memory(), which can
 * take seconds: under the mutex it first points the chunk root, which
 * sysfs readers walk, away from the RAM resource that removal frees, so
 * that readers, and requests refused with EBUSY, do not wait.  So the
 * memory hotplug locks are only ever taken with no cmafw lock held, and
 * the notifier's cmafw_lend_lock nests inside them.
 */
#define pr_fmt(fmt) "cmafw: " fmt

#include <linux/bitmap.h>
#include <linux/memory.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "internal.h"
#include "lend.h"
#include "lend_state.h"

static DEFINE_MUTEX(cmafw_lend_lock);	/* innermost; see the top */
static LIST_HEAD(cmafw_lend_ranges);

/* The line for an onlining of stranded memory (lend_stranded.c). */
static int lend_refuse_stranded(const struct cmafw_lend *l,
				unsigned long start_pfn, unsigned long end_pfn)
{
	dma_addr_t start = PFN_PHYS(start_pfn), end = PFN_PHYS(end_pfn) - 1;

	pr_warn_ratelimited("%s: %pad-%pad stays offline until its region is removed\n",
			    l->ram_name, &start, &end);
	return NOTIFY_BAD;
}

/*
 * Refuse to online our blocks outside ZONE_MOVABLE, or those a failed
 * removal left offline (lend_stranded.c), and to offline them unless
 * cmafw's remover does; follow what its offlining does.
 */
static int cmafw_lend_notify(struct notifier_block *nb, unsigned long action,
			     void *data)
{
	const struct memory_notify *mn = data;
	unsigned long end = mn->start_pfn + mn->nr_pages;
	struct cmafw_lend *l;
	int ret = NOTIFY_OK;

	mutex_lock(&cmafw_lend_lock);
	list_for_each_entry(l, &cmafw_lend_ranges, node) {
		if (mn->start_pfn >= l->end_pfn || end <= l->start_pfn)
			continue;
		/* The zone is chosen before MEM_GOING_ONLINE is sent. */
		if (action == MEM_GOING_ONLINE &&
		    zone_idx(page_zone(pfn_to_page(mn->start_pfn))) !=
		    ZONE_MOVABLE)
			ret = NOTIFY_BAD;
		else if (action == MEM_GOING_ONLINE &&
			 cmafw_lend_stranded_in(l, mn->start_pfn, end))
			ret = lend_refuse_stranded(l, mn->start_pfn, end);
		else if (l->remover == current)
			cmafw_lend_offline_event(l, action, mn->start_pfn, end);
		else if (action == MEM_GOING_OFFLINE)
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

/**
 * cmafw_lend_movable() - whether pageblocks of a lend region may be taken.
 * @l:		the region's record.
 * @pb:		the first pageblock.
 * @pb_end:	one past the last.
 *
 * Return: true when every pageblock of [@pb, @pb_end) is online in
 * ZONE_MOVABLE.
 */
bool cmafw_lend_movable(const struct cmafw_lend *l, unsigned long pb,
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
	cmafw_lend_offline_free(l);
	bitmap_free(l->stranded);
	kfree(l->ram_name);
	kvfree(l->users);
	kfree(l);
}

/*
 * Take back memory an activation that failed has just added.  The kernel
 * may refuse: a signal to the activating process, or blocks it onlined
 * outside ZONE_MOVABLE and filled with what it cannot move.  Then it keeps
 * the memory, and the name its resource points at, until reboot: the
 * region's resource leaves the tree, the RAM moving up, and @state->res
 * becomes NULL.
 */
static void lend_unadd(struct cma_region_state *state, struct cmafw_lend *l)
{
	struct resource *res = state->res;
	dma_addr_t start = res->start, end = res->end;
	int ret;

	lend_set_removing(l, true);
	ret = offline_and_remove_memory(start, resource_size(res));
	lend_set_removing(l, false);
	if (!ret)
		return;
	pr_err("region %s: the kernel cannot give %pad-%pad back (%d: %s); it keeps it as System RAM until reboot\n",
	       state->id, &start, &end, ret, cmafw_lend_why(ret));
	remove_resource(res);
	kfree(res);
	state->res = NULL;
	l->ram_name = NULL;
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
 * how to boot; -ENOMEM; -ENOENT (warned) when the kernel added the memory
 * under another resource than the region's; or the errno of
 * add_memory_driver_managed().  On error the resource is busy again and
 * the kernel has nothing, unless the kernel would not give back blocks it
 * had just added (one line says so): then the resource is gone and
 * @state->res NULL.
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
	l->users = kvcalloc(l->nr_pb, sizeof(*l->users), GFP_KERNEL);
	l->ram_name = kasprintf(GFP_KERNEL, "System RAM (%s)", state->res_name);
	l->stranded = bitmap_zalloc(l->nr_pb, GFP_KERNEL);
	if (!l->users || !l->ram_name || !l->stranded ||
	    cmafw_lend_offline_init(l)) {
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
	if (!cmafw_lend_movable(l, 0, l->nr_pb)) {
		/*
		 * The kernel does not say why: its hotplug policy, or an
		 * onlining that failed (it drops that errno).
		 */
		pr_err("region %s: the kernel did not online %pad-%pad as movable memory (out of memory, or not booted with memhp_default_state=online_movable)\n",
		       state->id, &start, &end);
		/* Blocks that came online may hold pages: offlining moves them. */
		lend_unadd(state, l);
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
	lend_unadd(state, l);
out:
	if (state->res)
		res->flags = flags;
	lend_unlist(l);
	lend_free(l);
	return ret;
}

/*
 * Removal takes the region back this much at a time.  A page the kernel
 * cannot move for a moment then costs a retry of its piece, not of the
 * whole region, and a piece's retries are not cut short by the time the
 * pieces before it took; the pieces not yet taken serve the kernel
 * meanwhile, instead of all of them sitting isolated at once.
 */
#define LEND_PIECE_BYTES	SZ_16M

/* Count @n more pageblocks taken (fewer if negative), for sysfs's lent. */
static void lend_count_taken(struct cma_region_state *state, long n)
{
	mutex_lock(&state->lock);
	state->lend->taken_pb += n;
	mutex_unlock(&state->lock);
}

/*
 * Take back every pageblock of the region but the stranded ones, which the
 * kernel does not have, a piece at a time; on failure, give back what was
 * taken.
 */
static int lend_take_all(struct cma_region_state *state)
{
	struct cmafw_lend *l = state->lend;
	unsigned long piece = max(1UL, (unsigned long)(LEND_PIECE_BYTES /
				  (PAGE_SIZE * pageblock_nr_pages)));
	unsigned long pb, end, next, done, done_end, taken = 0;
	int ret;

	for_each_clear_bitrange(pb, end, l->stranded, l->nr_pb) {
		for (; pb < end; pb = next) {
			next = min(end, pb + piece);
			/* Not a chunk's reclaim: its retries are not counted. */
			ret = cmafw_lend_take_run(l, pb, next, NULL);
			if (ret)
				goto undo;
			lend_count_taken(state, next - pb);
			taken += next - pb;
		}
	}
	return 0;

undo:
	for_each_clear_bitrange(done, done_end, l->stranded, pb)
		free_contig_range(lend_pb_pfn(l, done),
				  (done_end - done) * pageblock_nr_pages);
	lend_count_taken(state, -(long)taken);
	return ret;
}

/*
 * The kernel keeps the memory: take the region's resource out of the tree,
 * its RAM child moving up under "Reserved".  The caller frees it.
 */
static void lend_orphan(struct cma_region_state *state)
{
	remove_resource(state->res);
	/*
	 * remove_resource() leaves ->child pointing at the RAM, now in the
	 * kernel's list: the region, the chunk root again until it leaves
	 * sysfs, must not lead readers there.
	 */
	state->res->child = NULL;
	/* The RAM resource still points at its name. */
	state->lend->ram_name = NULL;
}

/**
 * cmafw_lend_deactivate() - take a lend region's memory back for good.
 * @state:	the region, without chunks.
 * @final:	the region is going for good (its registrant is, or its
 *		registration failed): if the kernel cannot give the memory
 *		back, let it keep it as System RAM and detach the region.
 *
 * First takes the whole region back, which tells without spinning whether
 * the kernel can vacate it, then offlines and removes the memory with its
 * pages held out of the page allocator's reach (lend_offline.c).  What an
 * earlier removal left offline the kernel removes with the rest; what
 * this one leaves offline the region keeps out of use (lend_stranded.c).
 *
 * Context: cmafw_rwsem not held; the region without chunks and leaving,
 * or still arriving (region.c); the remover's context, so that a signal
 * stops the offlining.
 * Return: 0, the region's resource busy again; 1 (only when @final), the
 * resource out of the tree, for the caller to kfree(); -EBUSY with the
 * region still lent and usable, or -EINTR when a signal stopped it.
 */
int cmafw_lend_deactivate(struct cma_region_state *state, bool final)
{
	struct cmafw_lend *l = state->lend;
	dma_addr_t start = state->res->start, end = state->res->end;
	int ret, detached = 0;

	ret = lend_take_all(state);
	if (!ret) {
		cmafw_lend_offline_begin(l);
		lend_set_removing(l, true);
		/*
		 * Removing the memory frees the RAM resource, the chunk root
		 * that sysfs readers walk under the region's mutex: they walk
		 * an empty one meanwhile.
		 */
		l->vacant.start = start;
		l->vacant.end = end;
		mutex_lock(&state->lock);
		state->chunk_root = &l->vacant;
		/* Held for the offlining: the kernel has none of it now. */
		l->taken_pb = l->nr_pb;
		mutex_unlock(&state->lock);
		ret = offline_and_remove_memory(start, end - start + 1);
		lend_set_removing(l, false);
		if (ret)
			cmafw_lend_offline_undo(l);
		mutex_lock(&state->lock);
		state->chunk_root = ret ? l->ram : state->res;
		if (ret)
			l->taken_pb = l->nr_stranded;
		mutex_unlock(&state->lock);
	}
	if (ret) {
		pr_err("region %s: the kernel cannot give %pad-%pad back (%d: %s)%s\n",
		       state->id, &start, &end, ret, cmafw_lend_why(ret),
		       final ? "; it keeps it as System RAM until reboot" :
		       "; the region stays active");
		if (!final) {
			mutex_lock(&state->lock);
			cmafw_lend_strand(state);
			mutex_unlock(&state->lock);
			/* A signal's stop is not the memory's refusal. */
			return ret == -EINTR ? -EINTR : -EBUSY;
		}
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
