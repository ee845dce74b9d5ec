// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw_test: hold a lend region's activation or removal midway, while the
 * kernel onlines or offlines its memory, for as long as a test needs to
 * look at everything else meanwhile.
 *
 * "hold_online ADDR" makes the onlining of the memory block that holds
 * ADDR wait in this driver's memory notifier, at MEM_GOING_ONLINE, until
 * "online_go" (HOTPLUG_MAX_S at most); then it goes on as usual.
 * "online_held" says how many onlinings are waiting.  "hold_offline ADDR",
 * "offline_held" and "offline_go" do the same at MEM_GOING_OFFLINE.
 * "refuse_online ADDR" makes the next onlining of ADDR's block fail, once,
 * as one the kernel cannot complete would; "refuse_offline ADDR" the next
 * offlining, at MEM_GOING_OFFLINE, as another driver that cannot let the
 * block go would (after cmafw's notifier, registered first).  The
 * commands run under the driver's command mutex; the notifier runs in the
 * task that onlines or offlines, with the memory hotplug lock held, and
 * never takes that mutex.
 */
#define pr_fmt(fmt) "cmafw_test: " fmt

#include <linux/atomic.h>
#include <linux/kernel.h>
#include <linux/memory.h>
#include <linux/mm.h>
#include <linux/wait.h>

#include "test_online.h"

#define HOTPLUG_MAX_S	60

/**
 * struct hotplug_hold - where one kind of memory hotplug event waits.
 * @pfn:	a page frame of the block to hold, or ULONG_MAX for none.
 * @waiting:	events waiting.
 */
struct hotplug_hold {
	unsigned long pfn;
	atomic_t waiting;
};

/* MEM_GOING_ONLINE's and MEM_GOING_OFFLINE's. */
static struct hotplug_hold hold_online = { .pfn = ULONG_MAX };
static struct hotplug_hold hold_offline = { .pfn = ULONG_MAX };

static DECLARE_WAIT_QUEUE_HEAD(hotplug_wq);
/* Page frames of the blocks whose next onlining or offlining fails. */
static unsigned long refuse_pfn = ULONG_MAX;
static unsigned long refuse_off_pfn = ULONG_MAX;

/* Whether @mn is about *@pfn's block, which then stops being refused. */
static bool refuse_once(unsigned long *refused, const struct memory_notify *mn)
{
	unsigned long pfn = READ_ONCE(*refused);

	return pfn >= mn->start_pfn && pfn < mn->start_pfn + mn->nr_pages &&
	       cmpxchg(refused, pfn, ULONG_MAX) == pfn;
}

static int hotplug_notify(struct notifier_block *nb, unsigned long action,
			  void *data)
{
	struct hotplug_hold *h = action == MEM_GOING_ONLINE ? &hold_online :
				 action == MEM_GOING_OFFLINE ? &hold_offline :
				 NULL;
	const struct memory_notify *mn = data;
	unsigned long pfn;

	if (action == MEM_GOING_ONLINE && refuse_once(&refuse_pfn, mn))
		return NOTIFY_BAD;
	if (action == MEM_GOING_OFFLINE && refuse_once(&refuse_off_pfn, mn))
		return NOTIFY_BAD;
	if (!h)
		return NOTIFY_OK;
	pfn = READ_ONCE(h->pfn);
	if (pfn < mn->start_pfn || pfn >= mn->start_pfn + mn->nr_pages)
		return NOTIFY_OK;
	atomic_inc(&h->waiting);
	wait_event_timeout(hotplug_wq, READ_ONCE(h->pfn) != pfn,
			   HOTPLUG_MAX_S * HZ);
	atomic_dec(&h->waiting);
	return NOTIFY_OK;
}

static struct notifier_block hotplug_nb = {
	.notifier_call = hotplug_notify,
};

static int hotplug_hold(struct hotplug_hold *h, const char *arg)
{
	u64 addr;

	if (kstrtou64(arg, 0, &addr))
		return -EINVAL;
	if (READ_ONCE(h->pfn) != ULONG_MAX)
		return -EBUSY;
	WRITE_ONCE(h->pfn, PHYS_PFN(addr));
	return 0;
}

static int hotplug_go(struct hotplug_hold *h)
{
	WRITE_ONCE(h->pfn, ULONG_MAX);
	wake_up_all(&hotplug_wq);
	return 0;
}

/* hold_online ADDR: the onlining of ADDR's memory block waits. */
int cmafw_test_hold_online(char **argv, char *out)
{
	return hotplug_hold(&hold_online, argv[1]);
}

/* online_held: "ok N", the onlinings waiting. */
int cmafw_test_online_held(char **argv, char *out)
{
	snprintf(out, 160, "ok %d", atomic_read(&hold_online.waiting));
	return 0;
}

/* online_go: the waiting onlining, and any later one, go on. */
int cmafw_test_online_go(char **argv, char *out)
{
	return hotplug_go(&hold_online);
}

static int refuse_set(unsigned long *refused, const char *arg)
{
	u64 addr;

	if (kstrtou64(arg, 0, &addr))
		return -EINVAL;
	WRITE_ONCE(*refused, PHYS_PFN(addr));
	return 0;
}

/* refuse_online ADDR: the next onlining of ADDR's memory block fails. */
int cmafw_test_refuse_online(char **argv, char *out)
{
	return refuse_set(&refuse_pfn, argv[1]);
}

/* refuse_offline ADDR: the next offlining of ADDR's memory block fails. */
int cmafw_test_refuse_offline(char **argv, char *out)
{
	return refuse_set(&refuse_off_pfn, argv[1]);
}

/* hold_offline ADDR: the offlining of ADDR's memory block waits. */
int cmafw_test_hold_offline(char **argv, char *out)
{
	return hotplug_hold(&hold_offline, argv[1]);
}

/* offline_held: "ok N", the offlinings waiting. */
int cmafw_test_offline_held(char **argv, char *out)
{
	snprintf(out, 160, "ok %d", atomic_read(&hold_offline.waiting));
	return 0;
}

/* offline_go: the waiting offlining, and any later one, go on. */
int cmafw_test_offline_go(char **argv, char *out)
{
	return hotplug_go(&hold_offline);
}

/* Module init: watch the onlinings and offlinings. */
int cmafw_test_online_init(void)
{
	return register_memory_notifier(&hotplug_nb);
}

/* Module exit: let any waiting event go, and stop watching. */
void cmafw_test_online_exit(void)
{
	hotplug_go(&hold_online);
	hotplug_go(&hold_offline);
	WRITE_ONCE(refuse_pfn, ULONG_MAX);
	WRITE_ONCE(refuse_off_pfn, ULONG_MAX);
	unregister_memory_notifier(&hotplug_nb);
}
