// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw_test: the mainline-CMA peer of the lend benchmark.  cma_alloc() is
 * not exported, but with CONFIG_DMA_CMA a coherent allocation of more than
 * a page on a device without an IOMMU comes from the default CMA area
 * (dma_direct_alloc() -> dma_alloc_contiguous()), as a camera driver's
 * would.  The device is a bare platform device, made on first use.  The
 * callers hold the driver's command mutex.
 */
#define pr_fmt(fmt) "cmafw_test: " fmt

#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/platform_device.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "test_coherent.h"
#include "test_lend.h"

static struct platform_device *bench_pdev;

static struct device *bench_dev(void)
{
	struct platform_device *pdev;

	if (bench_pdev)
		return &bench_pdev->dev;
	pdev = platform_device_register_simple("cmafw-bench", PLATFORM_DEVID_NONE,
					       NULL, 0);
	if (IS_ERR(pdev))
		return NULL;
	if (dma_coerce_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64))) {
		platform_device_unregister(pdev);
		return NULL;
	}
	bench_pdev = pdev;
	return &pdev->dev;
}

/*
 * coherent_timing SIZE TRIALS BASE AREA: dma_alloc_coherent() SIZE bytes
 * and free them again, TRIALS times (1-1000).  Answers as "timing" does,
 * with ok=N counting the allocations that lay inside [BASE, BASE +
 * AREA), the CMA area the kernel logged at boot ("cma: Reserved ...").
 * "outside=M" counts the others: the page allocator served those
 * instead, so they are no measurement of CMA.
 */
int cmafw_test_coherent_timing(char **argv, char *out)
{
	unsigned int trials, i, n = 0, outside = 0;
	u64 size, base, area, *us;
	struct device *dev;
	dma_addr_t handle;
	phys_addr_t phys;
	size_t len;
	ktime_t t0;
	char *end;
	void *va;

	size = memparse(argv[1], &end);
	if (end == argv[1] || *end || size <= PAGE_SIZE ||
	    kstrtouint(argv[2], 0, &trials) || !trials || trials > 1000 ||
	    kstrtou64(argv[3], 0, &base))
		return -EINVAL;
	area = memparse(argv[4], &end);
	if (end == argv[4] || *end || !area)
		return -EINVAL;
	dev = bench_dev();
	if (!dev)
		return -ENODEV;
	us = kcalloc(trials, sizeof(*us), GFP_KERNEL);
	if (!us)
		return -ENOMEM;
	for (i = 0; i < trials; i++) {
		t0 = ktime_get();
		va = dma_alloc_coherent(dev, size, &handle, GFP_KERNEL | __GFP_NOWARN);
		if (!va)
			continue;
		us[n] = ktime_us_delta(ktime_get(), t0);
		/* No IOMMU, no offset: the handle is the physical address. */
		phys = virt_to_phys(va);
		if (phys >= base && phys + size <= base + area)
			n++;
		else
			outside++;
		dma_free_coherent(dev, size, va, handle);
		cond_resched();
	}
	cmafw_test_latencies(us, n, out, 160);
	len = strlen(out);
	snprintf(out + len, 160 - len, " outside=%u", outside);
	kfree(us);
	return 0;
}

/* Module exit: the bench device goes. */
void cmafw_test_coherent_exit(void)
{
	if (bench_pdev)
		platform_device_unregister(bench_pdev);
	bench_pdev = NULL;
}
