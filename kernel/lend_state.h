/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cmafw: a lend region's record, shared by lend.c (lending the memory to
 * the kernel and taking it back for good), lend_take.c (a chunk taking its
 * pageblocks back), lend_offline.c (offlining what removal took back) and
 * lend_sysfs.c (the figures).  Nothing else needs it.
 */
#ifndef _CMAFW_LEND_STATE_H
#define _CMAFW_LEND_STATE_H

#include <linux/ioport.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/types.h>

struct cma_region_state;
struct task_struct;

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
 * @vacant:	an empty chunk root for sysfs readers to walk while removal
 *		frees @ram, without a child.
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
 * @offline:	per pageblock, what removal's offlining did with it
 *		(lend_offline.c).
 * @marked:	removal holds every page, marked PageOffline().
 * @stranded:	per pageblock, left offline by a removal that failed
 *		(lend_stranded.c): held by the allocator, not lent.
 * @nr_stranded: pageblocks in @stranded.
 *
 * Everything but @node and @remover (cmafw_lend_lock) is under the
 * region's mutex, except what activation and removal set while the
 * region is out of every request's reach: @ram_name, @vacant before it
 * becomes the chunk root, and @offline and @marked, which only the
 * remover's task touches.  The notifier also reads @stranded, bit by bit.
 */
struct cmafw_lend {
	struct list_head node;
	unsigned long start_pfn;
	unsigned long end_pfn;
	struct task_struct *remover;
	struct resource *ram;
	struct resource vacant;
	char *ram_name;
	u16 *users;
	unsigned long nr_pb;
	unsigned long taken_pb;
	unsigned long nr_reclaim;
	unsigned long nr_reclaim_fail;
	unsigned long nr_retries;
	u64 reclaimed;
	u32 recent_us[LEND_RECENT];
	unsigned long *offline;
	bool marked;
	unsigned long *stranded;
	unsigned long nr_stranded;
};

/* The first page frame of pageblock @pb of @l. */
static inline unsigned long lend_pb_pfn(const struct cmafw_lend *l,
					unsigned long pb)
{
	return l->start_pfn + pb * pageblock_nr_pages;
}

/* The pageblock of @l that holds @addr. */
static inline unsigned long lend_pb_of(const struct cmafw_lend *l,
				       dma_addr_t addr)
{
	return (PHYS_PFN(addr) - l->start_pfn) / pageblock_nr_pages;
}

/* lend.c */
bool cmafw_lend_movable(const struct cmafw_lend *l, unsigned long pb,
			unsigned long pb_end);

/* lend_take.c */
int cmafw_lend_take_run(struct cmafw_lend *l, unsigned long pb,
			unsigned long pb_end, unsigned long *retries);
const char *cmafw_lend_why(int err);

/* lend_offline.c */
int cmafw_lend_offline_init(struct cmafw_lend *l);
void cmafw_lend_offline_free(struct cmafw_lend *l);
void cmafw_lend_offline_begin(struct cmafw_lend *l);
void cmafw_lend_offline_undo(struct cmafw_lend *l);
void cmafw_lend_offline_event(struct cmafw_lend *l, unsigned long action,
			      unsigned long start_pfn, unsigned long end_pfn);

/* lend_stranded.c */
void cmafw_lend_strand(struct cma_region_state *state);
bool cmafw_lend_stranded_in(const struct cmafw_lend *l,
			    unsigned long start_pfn, unsigned long end_pfn);

#endif /* _CMAFW_LEND_STATE_H */
