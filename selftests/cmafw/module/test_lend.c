// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw_test: commands for lend mode.  They read and write a chunk's bytes
 * through a kernel mapping, and hold a page of RAM the kernel cannot move,
 * as a driver that pins a page would.  The callers hold the driver's
 * command mutex.
 */
#define pr_fmt(fmt) "cmafw_test: " fmt

#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include <linux/cmafw.h>

#include "test_lend.h"

#define PINS_MAX	8

static unsigned long pins[PINS_MAX];	/* pfn + 1 of each pinned page */

/* ADDR as a number, SIZE as memparse() takes it ("64K"). */
static int parse_range(char **argv, u64 *addr, u64 *size)
{
	char *end;

	*size = memparse(argv[2], &end);
	if (kstrtou64(argv[1], 0, addr) || end == argv[2] || *end ||
	    !*size || !PAGE_ALIGNED(*addr) || !PAGE_ALIGNED(*size))
		return -EINVAL;
	return 0;
}

/* nonzero ADDR SIZE: "ok N", the number of pages with a non-zero byte. */
int cmafw_test_nonzero(char **argv, char *out)
{
	unsigned long pages = 0, off;
	u64 addr, size;
	void *va;

	if (parse_range(argv, &addr, &size))
		return -EINVAL;
	va = memremap(addr, size, MEMREMAP_WB);
	if (!va)
		return -ENXIO;
	for (off = 0; off < size; off += PAGE_SIZE) {
		if (memchr_inv(va + off, 0, PAGE_SIZE))
			pages++;
		cond_resched();
	}
	memunmap(va);
	snprintf(out, 160, "ok %lu", pages);
	return 0;
}

/*
 * inuse ADDR SIZE: "ok N", the number of online pages of RAM in the range
 * that are allocated (a reference held: the kernel placed something there).
 */
int cmafw_test_inuse(char **argv, char *out)
{
	unsigned long pfn, end, pages = 0;
	struct page *page;
	u64 addr, size;

	if (parse_range(argv, &addr, &size))
		return -EINVAL;
	end = PHYS_PFN(addr + size);
	for (pfn = PHYS_PFN(addr); pfn < end; pfn++) {
		page = pfn_to_online_page(pfn);
		if (page && page_count(page))
			pages++;
	}
	snprintf(out, 160, "ok %lu", pages);
	return 0;
}

/* fill ADDR SIZE BYTE: write BYTE over the range. */
int cmafw_test_fill(char **argv, char *out)
{
	u64 addr, size;
	u8 byte;
	void *va;

	if (parse_range(argv, &addr, &size) || kstrtou8(argv[3], 0, &byte))
		return -EINVAL;
	va = memremap(addr, size, MEMREMAP_WB);
	if (!va)
		return -ENXIO;
	memset(va, byte, size);
	memunmap(va);
	return 0;
}

/**
 * cmafw_test_take_page() - take a page of RAM from the page allocator.
 * @pfn:	its page frame, online; what the kernel placed there is moved.
 *
 * Return: 0, the page ours with one reference (free_contig_range() gives
 * it back); -EINVAL if it is not online RAM; alloc_contig_range()'s error;
 * -EOPNOTSUPP without CONFIG_CONTIG_ALLOC.
 */
int cmafw_test_take_page(unsigned long pfn)
{
	if (!pfn_to_online_page(pfn))
		return -EINVAL;
#ifdef CONFIG_CONTIG_ALLOC
	return alloc_contig_range(pfn, pfn + 1, MIGRATE_MOVABLE,
				  GFP_KERNEL | __GFP_NOWARN);
#else
	return -EOPNOTSUPP;	/* a small kernel, such as check-builtin's */
#endif
}

/*
 * pin ADDR: take the page of RAM at ADDR from the page allocator (moving
 * what is there) and hold it.  An unmovable page with a reference, not on
 * any LRU: nothing can migrate it until unpin.  EOPNOTSUPP without
 * CONFIG_CONTIG_ALLOC.
 */
int cmafw_test_pin(char **argv, char *out)
{
	unsigned long pfn;
	u64 addr;
	int i, ret;

	if (kstrtou64(argv[1], 0, &addr) || !PAGE_ALIGNED(addr))
		return -EINVAL;
	pfn = PHYS_PFN(addr);
	for (i = 0; i < PINS_MAX && pins[i]; i++)
		;
	if (i == PINS_MAX)
		return -EINVAL;
	ret = cmafw_test_take_page(pfn);
	if (ret)
		return ret;
	pins[i] = pfn + 1;
	return 0;
}

/* The slot of the pinned page at ADDR: -EINVAL, or -ENOENT if none. */
static int pin_find(const char *arg)
{
	u64 addr;
	int i;

	if (kstrtou64(arg, 0, &addr))
		return -EINVAL;
	for (i = 0; i < PINS_MAX; i++)
		if (pins[i] == PHYS_PFN(addr) + 1)
			return i;
	return -ENOENT;
}

/* unpin ADDR: give a pinned page back. */
int cmafw_test_unpin(char **argv, char *out)
{
	int i = pin_find(argv[1]);

	if (i < 0)
		return i;
	free_contig_range(pins[i] - 1, 1);
	pins[i] = 0;
	return 0;
}

/*
 * abandon ADDR: forget a pinned page without giving it back, as a driver
 * that leaks one would: it stays allocated, unmovable, until reboot.
 */
int cmafw_test_abandon(char **argv, char *out)
{
	int i = pin_find(argv[1]);

	if (i < 0)
		return i;
	pins[i] = 0;
	return 0;
}

/* Module exit: give back what is still pinned. */
void cmafw_test_lend_exit(void)
{
	int i;

	for (i = 0; i < PINS_MAX; i++)
		if (pins[i])
			free_contig_range(pins[i] - 1, 1);
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/**
 * cmafw_test_latencies() - sort latencies and answer with their summary.
 * @us:		the latencies of the successful allocations, in microseconds.
 * @n:		how many there are.
 * @out:	the answer: "ok ok=N p50=US p99=US max=US".
 * @len:	its size.
 */
void cmafw_test_latencies(u64 *us, unsigned int n, char *out, size_t len)
{
	sort(us, n, sizeof(*us), cmp_u64, NULL);
	snprintf(out, len, "ok ok=%u p50=%llu p99=%llu max=%llu", n,
		 n ? us[DIV_ROUND_UP(n * 50, 100) - 1] : 0,
		 n ? us[DIV_ROUND_UP(n * 99, 100) - 1] : 0, n ? us[n - 1] : 0);
}

/*
 * timing REGION SIZE TRIALS: allocate SIZE bytes from REGION and free them
 * again, TRIALS times (1-1000); "ok ok=N p50=US p99=US max=US" over the
 * successful allocations, each timed from the call to its return.
 */
int cmafw_test_timing(char **argv, char *out)
{
	unsigned int trials, i, n = 0;
	dma_addr_t addr;
	u64 size, *us;
	ktime_t t0;
	char *end;

	size = memparse(argv[2], &end);
	if (end == argv[2] || *end || !size || kstrtouint(argv[3], 0, &trials) ||
	    !trials || trials > 1000)
		return -EINVAL;
	us = kcalloc(trials, sizeof(*us), GFP_KERNEL);
	if (!us)
		return -ENOMEM;
	for (i = 0; i < trials; i++) {
		t0 = ktime_get();
		addr = cma_alloc_from(argv[1], size, 0);
		if (IS_ERR_VALUE(addr))
			continue;
		us[n++] = ktime_us_delta(ktime_get(), t0);
		cma_free(addr);
		cond_resched();
	}
	cmafw_test_latencies(us, n, out, 160);
	kfree(us);
	return 0;
}
