// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: lend mode, memory a failed removal leaves offline.
 *
 * When offline_and_remove_memory() fails on one memory block, it puts the
 * blocks it had already offlined back online; if that fails too (the
 * kernel logs "Failed to re-online memory"), those blocks stay offline
 * while the region stays lent.  Their pages are nobody's: not the page
 * allocator's, and not safe for a chunk either, as offlining left their
 * struct pages uninitialised.  Such pageblocks are "stranded" here:
 *
 * - the allocator holds them, so that no placement lands on them (each
 *   would fail to take its pages back, and the region would refuse
 *   chunks it has room for);
 * - they are neither lent nor free, and sysfs' offline says how much;
 * - the free extents skip them;
 * - the notifier refuses to online their blocks: the allocator's hold
 *   would make that memory lost to the region while it served the kernel;
 * - the next removal neither takes them back nor marks them: the kernel
 *   removes offline blocks with the rest (lend.c, lend_offline.c).
 *
 * Locking: the region's mutex, with the region closing (so the allocator
 * holds no chunk and nothing else calls it); the notifier reads the
 * bitmap under cmafw_lend_lock alone, one bit at a time.
 */
#define pr_fmt(fmt) "cmafw: " fmt

#include <linux/bitmap.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "internal.h"
#include "lend.h"
#include "lend_state.h"

#define LEND_PB_BYTES	(PAGE_SIZE * pageblock_nr_pages)

/*
 * Hold @fresh's pageblocks in the allocator: ask it for every pageblock
 * of the region, which holds no chunk, keep those and give the rest back.
 * Return: how many of @nr_fresh it gave.
 */
static unsigned long lend_hold(struct cma_region_state *state,
			       const unsigned long *fresh,
			       unsigned long nr_fresh)
{
	struct cmafw_lend *l = state->lend;
	unsigned long n = 0, held = 0, i;
	dma_addr_t *others, addr;

	others = kvmalloc_array(l->nr_pb, sizeof(*others), GFP_KERNEL);
	if (!others)
		return 0;
	while (held < nr_fresh && n < l->nr_pb &&
	       !cmafw_chunk_place(state, LEND_PB_BYTES, LEND_PB_BYTES, &addr)) {
		if (test_bit(lend_pb_of(l, addr), fresh))
			held++;
		else
			others[n++] = addr;
	}
	for (i = 0; i < n; i++)
		state->alloc->free(state->alloc_priv, others[i], LEND_PB_BYTES);
	kvfree(others);
	return held;
}

/**
 * cmafw_lend_strand() - keep what a failed removal left offline.
 * @state:	a lend region whose removal failed, without chunks.
 *
 * Every pageblock now offline that was not already stranded becomes so:
 * held by the allocator, neither free nor lent.  One line names the
 * range.
 *
 * Context: the region's mutex held, the region closing.
 */
void cmafw_lend_strand(struct cma_region_state *state)
{
	struct cmafw_lend *l = state->lend;
	unsigned long *fresh, nr = 0, pb, held;
	dma_addr_t first = 0, last = 0;

	lockdep_assert_held(&state->lock);
	fresh = bitmap_zalloc(l->nr_pb, GFP_KERNEL);
	for (pb = 0; pb < l->nr_pb; pb++) {
		if (test_bit(pb, l->stranded) ||
		    pfn_to_online_page(lend_pb_pfn(l, pb)))
			continue;
		set_bit(pb, l->stranded);
		if (fresh)
			set_bit(pb, fresh);
		if (!nr++)
			first = PFN_PHYS(lend_pb_pfn(l, pb));
		last = PFN_PHYS(lend_pb_pfn(l, pb + 1)) - 1;
	}
	if (!nr) {
		bitmap_free(fresh);
		return;
	}
	l->nr_stranded += nr;
	l->taken_pb += nr;
	state->free -= nr * LEND_PB_BYTES;
	held = fresh ? lend_hold(state, fresh, nr) : 0;
	bitmap_free(fresh);
	pr_err("region %s: the kernel could not bring %lu MiB of %pad-%pad back online; the region keeps it out of use until it is removed\n",
	       state->id, nr * LEND_PB_BYTES >> 20, &first, &last);
	if (held < nr)
		pr_warn("region %s: its allocator would not set %lu MiB of it aside: chunks placed there will be refused\n",
			state->id, (nr - held) * LEND_PB_BYTES >> 20);
}

/**
 * cmafw_lend_stranded_in() - whether pages of a range are stranded.
 * @l:		the region's record.
 * @start_pfn:	the range's first page frame.
 * @end_pfn:	one past its last.
 *
 * Context: cmafw_lend_lock held (the notifier).
 * Return: true if a pageblock of @l in the range is stranded.
 */
bool cmafw_lend_stranded_in(const struct cmafw_lend *l,
			    unsigned long start_pfn, unsigned long end_pfn)
{
	unsigned long pb, pb_end;

	start_pfn = max(start_pfn, l->start_pfn);
	end_pfn = min(end_pfn, l->end_pfn);
	if (start_pfn >= end_pfn)
		return false;
	pb_end = DIV_ROUND_UP(end_pfn - l->start_pfn, pageblock_nr_pages);
	for (pb = (start_pfn - l->start_pfn) / pageblock_nr_pages; pb < pb_end;
	     pb++)
		if (test_bit(pb, l->stranded))
			return true;
	return false;
}

/**
 * cmafw_lend_walk_gap() - visit the free extents of a gap between chunks.
 * @state:	a lend region.
 * @start:	the gap's first byte.
 * @size:	its size.
 * @fn:		called with @arg and each free extent's size.
 * @arg:	passed to @fn.
 *
 * The stranded pageblocks in the gap split it; they are not free.
 *
 * Context: the region's mutex held.
 */
void cmafw_lend_walk_gap(struct cma_region_state *state, dma_addr_t start,
			 size_t size, void (*fn)(void *arg, size_t size),
			 void *arg)
{
	const struct cmafw_lend *l = state->lend;
	dma_addr_t end = start + size, from = start, pb_start;
	unsigned long pb;

	if (!l->nr_stranded) {
		fn(arg, size);
		return;
	}
	/* Chunks and stranded pageblocks both start on page boundaries. */
	for (pb = lend_pb_of(l, start); pb < l->nr_pb; pb++) {
		pb_start = PFN_PHYS(lend_pb_pfn(l, pb));
		if (pb_start >= end)
			break;
		if (!test_bit(pb, l->stranded))
			continue;
		if (pb_start > from)
			fn(arg, pb_start - from);
		from = pb_start + LEND_PB_BYTES;
	}
	if (end > from)
		fn(arg, end - from);
}
