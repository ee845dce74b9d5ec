// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: lend mode, a chunk taking its pages back from the kernel.
 *
 * A chunk is placed by the region's allocator as in carve mode; then the
 * pageblocks it touches that no other chunk holds are taken back from the
 * kernel with alloc_contig_range(), which migrates their contents away,
 * retried on -EBUSY for a bounded time.  Taken pages stay ordinary
 * allocated pages: lend.c's notifier already refuses any offlining but
 * cmafw's own, before the kernel tries to migrate anything, and a page
 * type (PageOffline) would hide a chunk from /proc/kcore, hibernation
 * images and crash dumps, and from vm_insert_page() on 6.12.  A placement
 * that cannot be vacated is held while the allocator is asked for another
 * one, a few times at most.  Pageblocks are the unit because compaction
 * cannot isolate a large folio from a tail page: a range that starts
 * inside a THP never comes free.  A chunk is zeroed here: 6.1 ignores
 * __GFP_ZERO and init_on_alloc is only a default.
 *
 * Locking: everything here runs under the region's mutex, with the region
 * pinned and cmafw_rwsem dropped (lend.c, internal.h), except
 * cmafw_lend_take_run() when removal takes the whole region back: then
 * the region is closing, and no request reaches it (region.c).
 */
#define pr_fmt(fmt) "cmafw: " fmt

#include <linux/delay.h>
#include <linux/highmem.h>
#include <linux/gfp.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>

#include "internal.h"
#include "lend.h"
#include "lend_state.h"

/* Bounds on taking one run of pageblocks back while it is busy. */
#define LEND_BUSY_TRIES		24
#define LEND_BUSY_MS		2000
/* Placements tried for one chunk before giving up. */
#define LEND_PLACEMENTS		8

/**
 * cmafw_lend_take_run() - take a run of pageblocks back from the kernel.
 * @l:		the region's record.
 * @pb:		the run's first pageblock.
 * @pb_end:	one past its last.
 * @retries:	counts the retries on -EBUSY, unless NULL.
 *
 * Retries on -EBUSY for a bounded time and number of tries, and not on
 * anything else (-ENOMEM: the rest of RAM is full).
 *
 * Context: a user's context; a fatal signal ends the retries.
 * Return: 0 with the run's pages allocated, -EINTR on a fatal signal, or
 * alloc_contig_range()'s errno.
 */
int cmafw_lend_take_run(struct cmafw_lend *l, unsigned long pb,
			unsigned long pb_end, unsigned long *retries)
{
	ktime_t deadline = ktime_add_ms(ktime_get(), LEND_BUSY_MS);
	int tries = 0, ret;

	for (;;) {
		ret = alloc_contig_range(lend_pb_pfn(l, pb),
					 lend_pb_pfn(l, pb_end),
					 MIGRATE_MOVABLE,
					 GFP_KERNEL | __GFP_NOWARN);
		/*
		 * A fatal signal that came after alloc_contig_range() last
		 * looked is the caller's end, not a busy page's.
		 */
		if (ret == -EBUSY && fatal_signal_pending(current))
			return -EINTR;
		if (ret != -EBUSY || ++tries >= LEND_BUSY_TRIES ||
		    ktime_after(ktime_get(), deadline))
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
	if (!cmafw_lend_movable(l, first, last + 1)) {
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
		ret = cmafw_lend_take_run(l, pb, run, &l->nr_retries);
		if (ret) {
			*busy = (struct lend_run){ pb, run };
			/* The runs before this one were taken here. */
			lend_give_unused(l, first, pb);
			goto out;
		}
		l->taken_pb += run - pb;
	}
out:
	/* A fatal signal cut it short: neither a reclaim nor a failure. */
	if (ret != -EINTR)
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

/**
 * cmafw_lend_why() - what an errno of taking pages back means, in words.
 * @err:	cmafw_lend_take_run()'s or offline_and_remove_memory()'s
 *		errno, or -ENXIO for memory that is not online in
 *		ZONE_MOVABLE.
 *
 * Return: a phrase for a log line.
 */
const char *cmafw_lend_why(int err)
{
	switch (err) {
	case -EBUSY:
		return "pages the kernel could not move (pinned or in use)";
	case -ENOMEM:
		return "the rest of RAM has no room for the pages there";
	case -ENXIO:
		return "memory offline or outside ZONE_MOVABLE";
	case -EINTR:
		return "a signal interrupted it";
	case -EPERM:
		/* notifier_to_errno(NOTIFY_BAD), from offline_pages(). */
		return "a driver refused to let the memory go offline";
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
 * Return: 0, -EFAULT when the allocator misplaced a chunk (warned),
 * -EINTR when a fatal signal ended a take, or -ENOMEM; when pages could
 * not be vacated, one line says why.
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
	int err = 0, ret = 0;

	lockdep_assert_held(&state->lock);
	pb_align = max_t(dma_addr_t, align, PAGE_SIZE * pageblock_nr_pages);
	while (n < LEND_PLACEMENTS) {
		ret = cmafw_chunk_place(state, size, n ? pb_align : align,
					addr);
		if (ret)
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
		/* The caller is being killed: it needs no other placement. */
		if (err == -EINTR)
			break;
	}
	for (i = 0; i < n; i++)
		alloc->free(state->alloc_priv, held[i], size);
	if (placed) {
		lend_zero(*addr, size);
		return 0;
	}
	if (ret == -EFAULT)
		return ret;
	if (err == -EINTR)
		return err;
	if (nr_busy) {
		where = PFN_PHYS(lend_pb_pfn(l, busy[nr_busy - 1].pb));
		pr_warn_ratelimited("region %s: no room for %zu bytes: %u placements could not be vacated, the last because of %s at %pad\n",
				    state->id, size, n, cmafw_lend_why(err), &where);
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
