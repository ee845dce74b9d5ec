// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw_test's "stress" command: kernel threads allocate and free chunks
 * of random sizes and alignments, by region name and through the map, for
 * a bounded time, while the shell changes the map and the regions around
 * them.  Every answer the framework gives is checked; an answer that is
 * neither a well-placed chunk nor an expected errno is counted as bad.
 *
 *	stress SECONDS NTHREADS REGIONS
 *	ok ops=N allocs=N frees=N fails=N bad=N
 *
 * REGIONS is a comma-separated list of region names.  Thread i allocates
 * in turn from one of REGIONS (cma_alloc_from()), for a device named
 * "stress<i>" through the map (cma_alloc()), and asks cma_info() and
 * cma_info_about(); it holds up to STRESS_HELD chunks and frees them all
 * before it ends.  The command returns when every thread has ended.
 */
#define pr_fmt(fmt) "cmafw_test: " fmt

#include <linux/device.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <linux/cmafw.h>

#include "test_stress.h"

#define STRESS_THREADS_MAX	16
#define STRESS_SECONDS_MAX	600
#define STRESS_REGIONS_MAX	8
#define STRESS_HELD		32
#define STRESS_ANSWER_MAX	160	/* test_ctl.c's ANSWER_MAX */

struct stress_run;

/**
 * struct stress_region - a region the threads allocate from by name.
 * @name:	its name, NUL-terminated inside stress_run::names.
 * @lower:	its first address, from cma_info_about() at the start.
 * @upper:	one past its last address.
 */
struct stress_region {
	const char *name;
	dma_addr_t lower;
	dma_addr_t upper;
};

/**
 * struct stress_thread - one worker and what it counted.
 * @run:	the whole run.
 * @task:	the kthread, referenced until it has been reaped.
 * @dev:	the device it allocates for through the map.
 * @rnd:	its random state.
 * @held:	the chunks it holds.
 * @nheld:	how many.
 * @ops:	operations done.
 * @allocs:	chunks obtained.
 * @frees:	chunks given back.
 * @fails:	allocations refused with an expected errno.
 * @bad:	answers that break the API's promises (each logged).
 */
struct stress_thread {
	struct stress_run *run;
	struct task_struct *task;
	struct device *dev;
	struct rnd_state rnd;
	dma_addr_t held[STRESS_HELD];
	unsigned int nheld;
	unsigned long ops, allocs, frees, fails, bad;
};

/**
 * struct stress_run - one stress command.
 * @deadline:	jiffies at which the threads stop.
 * @names:	copy of REGIONS, cut into names.
 * @regions:	the regions named.
 * @nregions:	how many.
 */
struct stress_run {
	unsigned long deadline;
	char *names;
	struct stress_region regions[STRESS_REGIONS_MAX];
	unsigned int nregions;
};

static void stress_dev_release(struct device *dev)
{
	kfree(dev);
}

static struct device *stress_dev_new(unsigned int i)
{
	struct device *dev = kzalloc(sizeof(*dev), GFP_KERNEL);

	if (!dev)
		return NULL;
	device_initialize(dev);
	dev->release = stress_dev_release;
	if (dev_set_name(dev, "stress%u", i)) {
		put_device(dev);
		return NULL;
	}
	return dev;
}

static u32 stress_rand(struct stress_thread *t, u32 n)
{
	return prandom_u32_state(&t->rnd) % n;
}

static void stress_bad(struct stress_thread *t, const char *what,
		       long long val)
{
	t->bad++;
	pr_err("stress: %s: %s %lld (0x%llx)\n", dev_name(t->dev), what, val,
	       val);
}

/* A size of 1 to 64 pages, a quarter of the time not a page multiple. */
static size_t stress_size(struct stress_thread *t)
{
	size_t size = (stress_rand(t, 64) + 1) << PAGE_SHIFT;

	if (!stress_rand(t, 4))
		size -= stress_rand(t, PAGE_SIZE);
	return size;
}

/* 0 or a power of two from 1 byte to 1 MiB; 1 in 64 is invalid. */
static dma_addr_t stress_align(struct stress_thread *t, bool *invalid)
{
	u32 k = stress_rand(t, 24);

	*invalid = !stress_rand(t, 64);
	if (*invalid)
		return 3 * PAGE_SIZE;
	return k > 20 ? 0 : 1ULL << k;
}

static void stress_alloc(struct stress_thread *t)
{
	struct stress_run *run = t->run;
	struct stress_region *r = NULL;
	dma_addr_t addr, align;
	size_t size = stress_size(t);
	bool invalid;

	align = stress_align(t, &invalid);
	if (stress_rand(t, 2) && run->nregions) {
		r = &run->regions[stress_rand(t, run->nregions)];
		addr = cma_alloc_from(r->name, size, align);
	} else {
		addr = cma_alloc(t->dev, NULL, size, align);
	}

	if (invalid) {
		if (addr != (dma_addr_t)-EINVAL)
			stress_bad(t, "alignment 3 pages did not get -EINVAL",
				   (long long)addr);
		if (!IS_ERR_VALUE(addr))
			cma_free(addr);
		t->fails++;
		return;
	}
	if (IS_ERR_VALUE(addr)) {
		/* Full, or no rule for the device while the map changes. */
		if (addr == (dma_addr_t)-ENOMEM || addr == (dma_addr_t)-ENOENT)
			t->fails++;
		else
			stress_bad(t, "unexpected errno", (long long)addr);
		return;
	}
	t->allocs++;
	t->held[t->nheld++] = addr;
	if (!IS_ALIGNED(addr, max_t(dma_addr_t, align, PAGE_SIZE)))
		stress_bad(t, "misaligned chunk", addr);
	if (r && (addr < r->lower || addr + PAGE_ALIGN(size) > r->upper))
		stress_bad(t, "chunk outside its region", addr);
}

static void stress_free(struct stress_thread *t, unsigned int i)
{
	dma_addr_t addr = t->held[i];
	int ret = cma_free(addr);

	t->held[i] = t->held[--t->nheld];
	if (ret)
		stress_bad(t, "cma_free() of a live chunk failed", ret);
	else
		t->frees++;
}

static void stress_info(struct stress_thread *t)
{
	struct stress_run *run = t->run;
	struct cma_info info;
	int ret;

	if (stress_rand(t, 2)) {
		ret = cma_info(&info, t->dev, NULL);
		if (ret && ret != -ENOENT)
			stress_bad(t, "cma_info() failed", ret);
	} else if (run->nregions) {
		ret = cma_info_about(&info,
				     run->regions[stress_rand(t, run->nregions)].name);
		if (ret)
			stress_bad(t, "cma_info_about() failed", ret);
		else if (info.free_size > info.total_size)
			stress_bad(t, "cma_info_about(): more free than total",
				   info.free_size);
	}
}

static void stress_op(struct stress_thread *t)
{
	u32 dice = stress_rand(t, 16);

	if (!dice)
		stress_info(t);
	else if (t->nheld < STRESS_HELD && (!t->nheld || dice > 7))
		stress_alloc(t);
	else
		stress_free(t, stress_rand(t, t->nheld));
	t->ops++;
}

static int stress_thread_fn(void *arg)
{
	struct stress_thread *t = arg;

	while (!kthread_should_stop() &&
	       time_before(jiffies, t->run->deadline)) {
		stress_op(t);
		cond_resched();
	}
	while (t->nheld)
		stress_free(t, t->nheld - 1);
	return 0;
}

/* Cut REGIONS into names and note each region's bounds. */
static int stress_regions(struct stress_run *run, const char *list)
{
	char *cursor, *name;

	run->names = kstrdup(list, GFP_KERNEL);
	if (!run->names)
		return -ENOMEM;
	cursor = run->names;
	while ((name = strsep(&cursor, ","))) {
		struct stress_region *r = &run->regions[run->nregions];
		struct cma_info info;

		if (!*name || run->nregions == STRESS_REGIONS_MAX ||
		    cma_info_about(&info, name) || info.count != 1)
			return -EINVAL;
		r->name = name;
		r->lower = info.lower_bound;
		r->upper = info.upper_bound;
		run->nregions++;
	}
	return 0;
}

static void stress_wait(unsigned long deadline)
{
	long left;

	while ((left = (long)(deadline - jiffies)) > 0 &&
	       !fatal_signal_pending(current))
		schedule_timeout_killable(min_t(long, left, HZ));
}

/**
 * cmafw_test_stress() - the "stress SECONDS NTHREADS REGIONS" command.
 * @argv:	the command and its three arguments.
 * @out:	the answer, "ok ops=N allocs=N frees=N fails=N bad=N".
 *
 * Context: process context, under test_ctl.c's lock; sleeps for SECONDS.
 * Return: 0, or -EINVAL for bad arguments or a region that does not exist,
 * -ENOMEM, or the error of kthread_create().
 */
int cmafw_test_stress(char **argv, char *out)
{
	unsigned int seconds, nthreads, i, started = 0;
	unsigned long ops = 0, allocs = 0, frees = 0, fails = 0, bad = 0;
	struct stress_thread *threads;
	struct stress_run *run;
	u64 seed;
	int ret;

	if (kstrtouint(argv[1], 0, &seconds) || !seconds ||
	    seconds > STRESS_SECONDS_MAX ||
	    kstrtouint(argv[2], 0, &nthreads) || !nthreads ||
	    nthreads > STRESS_THREADS_MAX)
		return -EINVAL;
	run = kzalloc(sizeof(*run), GFP_KERNEL);
	threads = kcalloc(nthreads, sizeof(*threads), GFP_KERNEL);
	if (!run || !threads) {
		ret = -ENOMEM;
		goto out;
	}
	ret = stress_regions(run, argv[3]);
	if (ret)
		goto out;

	seed = get_random_u64();
	pr_info("stress: %u threads for %u s on %s, seed 0x%llx\n", nthreads,
		seconds, argv[3], seed);
	run->deadline = jiffies + seconds * HZ;
	for (i = 0; i < nthreads; i++) {
		struct stress_thread *t = &threads[i];
		struct task_struct *task;

		t->run = run;
		prandom_seed_state(&t->rnd, seed + i);
		t->dev = stress_dev_new(i);
		if (!t->dev) {
			ret = -ENOMEM;
			break;
		}
		task = kthread_create(stress_thread_fn, t, "cmafw_stress/%u", i);
		if (IS_ERR(task)) {
			ret = PTR_ERR(task);
			break;
		}
		/* The thread may end by itself: keep it for kthread_stop(). */
		get_task_struct(task);
		t->task = task;
		wake_up_process(task);
		started++;
	}
	if (!ret)
		stress_wait(run->deadline);

	/* Each thread frees what it holds before it ends. */
	for (i = 0; i < nthreads; i++) {
		struct stress_thread *t = &threads[i];

		if (t->task) {
			kthread_stop(t->task);
			put_task_struct(t->task);
		}
		if (t->dev)
			put_device(t->dev);
		ops += t->ops;
		allocs += t->allocs;
		frees += t->frees;
		fails += t->fails;
		bad += t->bad;
	}
	if (!ret)
		snprintf(out, STRESS_ANSWER_MAX,
			 "ok ops=%lu allocs=%lu frees=%lu fails=%lu bad=%lu",
			 ops, allocs, frees, fails, bad);
	pr_info("stress: done: %u threads, ops=%lu allocs=%lu frees=%lu fails=%lu bad=%lu\n",
		started, ops, allocs, frees, fails, bad);
out:
	if (run)
		kfree(run->names);
	kfree(run);
	kfree(threads);
	return ret;
}
