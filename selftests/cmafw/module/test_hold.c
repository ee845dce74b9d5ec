// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw_test: hold a lend region's take-back midway, for as long as a test
 * needs to look at everything else meanwhile.
 *
 * "hold ADDR" takes the page of RAM at ADDR from the page allocator, as
 * "pin" does (test_lend.c), and makes it a movable page of this driver's,
 * as a balloon driver's pages are.  alloc_contig_range() then isolates it
 * with the rest of its range and asks this driver to migrate it; in
 * MIGRATE_SYNC mode, alloc_contig_range()'s and memory offlining's, the
 * migration waits here until "unhold" (HOLD_MAX_S at most) and is
 * refused, as is every later one: the page stays, as a pinned one would,
 * until "release".  Other modes (compaction's) are refused at once, so
 * only a take-back waits.  "held" says how many migrations are waiting.
 * The callers hold the driver's command mutex; the callbacks run in the
 * migrating task, under the page lock, which also guards @hold_isolated.
 */
#define pr_fmt(fmt) "cmafw_test: " fmt

#include <linux/atomic.h>
#include <linux/gfp.h>
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/wait.h>

#include "test_hold.h"
#include "test_lend.h"

#define HOLD_MAX_S	60

static struct page *hold_page;
static bool hold_on;		/* migrations of hold_page wait */
static bool hold_isolated;	/* a migration has it; under its page lock */
static atomic_t hold_waiting = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(hold_wq);

static bool hold_isolate(struct page *page, isolate_mode_t mode)
{
	WRITE_ONCE(hold_isolated, true);
	return true;
}

static int hold_migrate(struct page *dst, struct page *src,
			enum migrate_mode mode)
{
	if (mode != MIGRATE_SYNC)
		return -EBUSY;
	atomic_inc(&hold_waiting);
	wait_event_timeout(hold_wq, !READ_ONCE(hold_on), HOLD_MAX_S * HZ);
	atomic_dec(&hold_waiting);
	return -EBUSY;
}

static void hold_putback(struct page *page)
{
	WRITE_ONCE(hold_isolated, false);
	wake_up_all(&hold_wq);
}

static const struct movable_operations hold_mops = {
	.isolate_page = hold_isolate,
	.migrate_page = hold_migrate,
	.putback_page = hold_putback,
};

/* hold ADDR: take the page at ADDR and hold every take-back of it. */
int cmafw_test_hold(char **argv, char *out)
{
	unsigned long pfn;
	u64 addr;
	int ret;

	if (kstrtou64(argv[1], 0, &addr) || !PAGE_ALIGNED(addr))
		return -EINVAL;
	if (hold_page)
		return -EBUSY;
	/* Without compaction no page is movable but the LRU's. */
	if (!IS_ENABLED(CONFIG_COMPACTION))
		return -EOPNOTSUPP;
	pfn = PHYS_PFN(addr);
	ret = cmafw_test_take_page(pfn);
	if (ret)
		return ret;
	hold_page = pfn_to_page(pfn);
	WRITE_ONCE(hold_on, true);
	lock_page(hold_page);
	__SetPageMovable(hold_page, &hold_mops);
	unlock_page(hold_page);
	return 0;
}

/* held: "ok N", the migrations waiting on the held page. */
int cmafw_test_held(char **argv, char *out)
{
	snprintf(out, 160, "ok %d", atomic_read(&hold_waiting));
	return 0;
}

/* unhold: the waiting migrations, and any later one, are refused at once. */
int cmafw_test_unhold(char **argv, char *out)
{
	WRITE_ONCE(hold_on, false);
	wake_up_all(&hold_wq);
	return hold_page ? 0 : -ENOENT;
}

/* release: give the page back, once no migration has it. */
int cmafw_test_release(char **argv, char *out)
{
	if (!hold_page)
		return -ENOENT;
	cmafw_test_unhold(argv, out);
	for (;;) {
		if (!wait_event_timeout(hold_wq, !READ_ONCE(hold_isolated),
					HOLD_MAX_S * HZ))
			return -EBUSY;
		lock_page(hold_page);
		if (!hold_isolated)
			break;
		unlock_page(hold_page);
	}
	/* Not movable any more: nothing isolates it again. */
	__ClearPageMovable(hold_page);
	unlock_page(hold_page);
	free_contig_range(page_to_pfn(hold_page), 1);
	hold_page = NULL;
	return 0;
}

/* Module exit: give the held page back. */
void cmafw_test_hold_exit(void)
{
	if (hold_page)
		cmafw_test_release(NULL, NULL);
}
