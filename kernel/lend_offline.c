// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: lend mode, the last step of taking a region back for good:
 * offlining memory the page allocator never sees again.
 *
 * Removal first takes every page of the region back (lend_take.c), which
 * tells without spinning whether the kernel can vacate it.  Those pages
 * must not go back to the page allocator before their memory blocks are
 * offlined: under memory pressure it would fill them again at once, and
 * the offlining would migrate it all out a second time, or spin until a
 * signal on a page it cannot move.  So the pages are marked PageOffline()
 * and kept, and when the kernel offlines a block, the memory notifier
 * drops their references (MEM_GOING_OFFLINE); pages so marked with no
 * reference are what offline_pages() skips as already offline.  If the
 * offlining is cancelled (MEM_CANCEL_OFFLINE, sent even when another
 * notifier refused it), the references come back.
 *
 * offline_and_remove_memory() puts back online any block it offlined
 * before a later one failed: those blocks return to the page allocator as
 * new, free pages.  The pages of blocks it never offlined are still ours,
 * marked: undoing gives them back to the page allocator, as lent memory.
 *
 * The managed page count: from 6.11, offlining subtracts only pages not
 * PageOffline(), so marked pages leave the count when marked and come
 * back to it when unmarked; before, it subtracted every page of the
 * block, so marking must not touch it.  Either way MemTotal ends where it
 * was before the region was lent.
 *
 * Locking: everything here runs in the remover's task, which alone may
 * offline the range (lend.c); the notifier's part also under
 * cmafw_lend_lock and the memory hotplug locks.
 */
#define pr_fmt(fmt) "cmafw: " fmt

#include <linux/bitmap.h>
#include <linux/memory.h>
#include <linux/mm.h>
#include <linux/page-flags.h>
#include <linux/page_ref.h>
#include <linux/version.h>

#include "lend_state.h"

/*
 * Marked pages leave the managed count, or come back to it, here when
 * offlining leaves them out of what it subtracts: from 6.11 (see the top).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
static void lend_managed(unsigned long pfn, long nr)
{
	adjust_managed_page_count(pfn_to_page(pfn), nr);
}
#else
static void lend_managed(unsigned long pfn, long nr)
{
}
#endif

/* Bits per pageblock in @l->offline: references dropped; block offlined. */
#define LEND_PB_DROPPED	0
#define LEND_PB_GONE	1
#define LEND_PB_BITS	2

static bool lend_pb_test(const struct cmafw_lend *l, unsigned long pb,
			 int bit)
{
	return test_bit(pb * LEND_PB_BITS + bit, l->offline);
}

static void lend_pb_assign(struct cmafw_lend *l, unsigned long pb, int bit,
			   bool value)
{
	assign_bit(pb * LEND_PB_BITS + bit, l->offline, value);
}

/**
 * cmafw_lend_offline_init() - make room for a removal's bookkeeping.
 * @l:		the region's record, @nr_pb set.
 *
 * Return: 0 or -ENOMEM.
 */
int cmafw_lend_offline_init(struct cmafw_lend *l)
{
	l->offline = bitmap_zalloc(l->nr_pb * LEND_PB_BITS, GFP_KERNEL);
	return l->offline ? 0 : -ENOMEM;
}

/**
 * cmafw_lend_offline_free() - free what cmafw_lend_offline_init() made.
 * @l:		the region's record.
 */
void cmafw_lend_offline_free(struct cmafw_lend *l)
{
	bitmap_free(l->offline);
}

/* The page type of an order-0 page: 6.12 has folio helpers for it. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
static void lend_page_offline(struct page *page, bool offline)
{
	if (offline)
		__folio_set_offline(page_folio(page));
	else
		__folio_clear_offline(page_folio(page));
}
#else
static void lend_page_offline(struct page *page, bool offline)
{
	if (offline)
		__SetPageOffline(page);
	else
		__ClearPageOffline(page);
}
#endif

/* Mark or unmark [pfn, pfn + nr) as offline, against PFN walkers. */
static void lend_mark(unsigned long pfn, unsigned long nr, bool offline)
{
	unsigned long i;

	page_offline_begin();
	for (i = 0; i < nr; i++)
		lend_page_offline(pfn_to_page(pfn + i), offline);
	page_offline_end();
	lend_managed(pfn, offline ? -(long)nr : (long)nr);
}

/*
 * Mark the pageblocks of @l that a failed removal did not leave offline
 * (lend_stranded.c), a run at a time.
 */
static void lend_mark_held(struct cmafw_lend *l)
{
	unsigned long pb, end;

	for_each_clear_bitrange(pb, end, l->stranded, l->nr_pb)
		lend_mark(lend_pb_pfn(l, pb), (end - pb) * pageblock_nr_pages,
			  true);
}

/**
 * cmafw_lend_offline_begin() - keep a taken-back region for offlining.
 * @l:		the region's record; every page of it taken back but the
 *		stranded pageblocks', which are offline already.
 *
 * Context: the remover's task, before it offlines the range.
 */
void cmafw_lend_offline_begin(struct cmafw_lend *l)
{
	bitmap_zero(l->offline, l->nr_pb * LEND_PB_BITS);
	lend_mark_held(l);
	l->marked = true;
}

/**
 * cmafw_lend_offline_undo() - lend what a failed offlining left us.
 * @l:		the region's record, after offline_and_remove_memory() failed.
 *
 * The pageblocks of blocks the kernel never offlined are unmarked and
 * given to the page allocator; the others it already has, or left
 * offline (lend_stranded.c).
 *
 * Context: the remover's task.
 */
void cmafw_lend_offline_undo(struct cmafw_lend *l)
{
	unsigned long pb, pfn;

	for (pb = 0; pb < l->nr_pb; pb++) {
		if (lend_pb_test(l, pb, LEND_PB_GONE) ||
		    test_bit(pb, l->stranded))
			continue;
		/* MEM_CANCEL_OFFLINE always follows MEM_GOING_OFFLINE. */
		WARN_ON_ONCE(lend_pb_test(l, pb, LEND_PB_DROPPED));
		pfn = lend_pb_pfn(l, pb);
		lend_mark(pfn, pageblock_nr_pages, false);
		free_contig_range(pfn, pageblock_nr_pages);
	}
	l->marked = false;
}

/* Drop or take again the references of pageblock @pb's pages. */
static void lend_pb_refs(struct cmafw_lend *l, unsigned long pb, bool drop)
{
	unsigned long pfn = lend_pb_pfn(l, pb), i;
	struct page *page;

	for (i = 0; i < pageblock_nr_pages; i++) {
		page = pfn_to_page(pfn + i);
		/* A page still referenced makes the offlining fail. */
		if (!drop)
			page_ref_inc(page);
		else if (!page_ref_dec_and_test(page))
			pr_warn_once("page %#lx is referenced as its block goes offline\n",
				     pfn + i);
	}
	lend_pb_assign(l, pb, LEND_PB_DROPPED, drop);
}

/**
 * cmafw_lend_offline_event() - follow the kernel offlining our pages.
 * @l:		the region's record.
 * @action:	the memory notifier's event.
 * @start_pfn:	the first page frame of the block the event is about.
 * @end_pfn:	one past its last.
 *
 * Does nothing unless cmafw_lend_offline_begin() marked the region.
 *
 * Context: the remover's task, in the memory notifier, with
 * cmafw_lend_lock held.
 */
void cmafw_lend_offline_event(struct cmafw_lend *l, unsigned long action,
			      unsigned long start_pfn, unsigned long end_pfn)
{
	unsigned long pb, pb_end;

	if (!l->marked)
		return;
	start_pfn = max(start_pfn, l->start_pfn);
	end_pfn = min(end_pfn, l->end_pfn);
	pb_end = (end_pfn - l->start_pfn) / pageblock_nr_pages;
	for (pb = (start_pfn - l->start_pfn) / pageblock_nr_pages; pb < pb_end;
	     pb++) {
		/* Offline before this removal began: nothing of ours. */
		if (test_bit(pb, l->stranded))
			continue;
		switch (action) {
		case MEM_GOING_OFFLINE:
			if (!lend_pb_test(l, pb, LEND_PB_DROPPED))
				lend_pb_refs(l, pb, true);
			break;
		case MEM_CANCEL_OFFLINE:
			if (lend_pb_test(l, pb, LEND_PB_DROPPED))
				lend_pb_refs(l, pb, false);
			break;
		case MEM_OFFLINE:
			lend_pb_assign(l, pb, LEND_PB_DROPPED, false);
			lend_pb_assign(l, pb, LEND_PB_GONE, true);
			break;
		}
	}
}
