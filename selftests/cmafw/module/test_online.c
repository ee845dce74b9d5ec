// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw_test: hold a lend region's activation midway, while the kernel
 * onlines its memory, for as long as a test needs to look at everything
 * else meanwhile.
 *
 * "hold_online ADDR" makes the onlining of the memory block that holds
 * ADDR wait in this driver's memory notifier, at MEM_GOING_ONLINE, until
 * "online_go" (ONLINE_MAX_S at most); then it goes on as usual.
 * "online_held" says how many onlinings are waiting.  The commands run
 * under the driver's command mutex; the notifier runs in the task that
 * onlines, with the memory hotplug lock held, and never takes that mutex.
 */
#define pr_fmt(fmt) "cmafw_test: " fmt

#include <linux/atomic.h>
#include <linux/kernel.h>
#include <linux/memory.h>
#include <linux/mm.h>
#include <linux/wait.h>

#include "test_online.h"

#define ONLINE_MAX_S	60

static unsigned long online_pfn = ULONG_MAX;	/* the block's, or none */
static atomic_t online_waiting = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(online_wq);

static int online_notify(struct notifier_block *nb, unsigned long action,
			 void *data)
{
	const struct memory_notify *mn = data;
	unsigned long pfn = READ_ONCE(online_pfn);

	if (action != MEM_GOING_ONLINE || pfn < mn->start_pfn ||
	    pfn >= mn->start_pfn + mn->nr_pages)
		return NOTIFY_OK;
	atomic_inc(&online_waiting);
	wait_event_timeout(online_wq, READ_ONCE(online_pfn) != pfn,
			   ONLINE_MAX_S * HZ);
	atomic_dec(&online_waiting);
	return NOTIFY_OK;
}

static struct notifier_block online_nb = {
	.notifier_call = online_notify,
};

/* hold_online ADDR: the onlining of ADDR's memory block waits. */
int cmafw_test_hold_online(char **argv, char *out)
{
	u64 addr;

	if (kstrtou64(argv[1], 0, &addr))
		return -EINVAL;
	if (READ_ONCE(online_pfn) != ULONG_MAX)
		return -EBUSY;
	WRITE_ONCE(online_pfn, PHYS_PFN(addr));
	return 0;
}

/* online_held: "ok N", the onlinings waiting. */
int cmafw_test_online_held(char **argv, char *out)
{
	snprintf(out, 160, "ok %d", atomic_read(&online_waiting));
	return 0;
}

/* online_go: the waiting onlining, and any later one, go on. */
int cmafw_test_online_go(char **argv, char *out)
{
	WRITE_ONCE(online_pfn, ULONG_MAX);
	wake_up_all(&online_wq);
	return 0;
}

/* Module init: watch the onlinings. */
int cmafw_test_online_init(void)
{
	return register_memory_notifier(&online_nb);
}

/* Module exit: let any waiting onlining go, and stop watching. */
void cmafw_test_online_exit(void)
{
	cmafw_test_online_go(NULL, NULL);
	unregister_memory_notifier(&online_nb);
}
