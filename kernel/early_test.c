// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: boot-time self-test of the early-region API (CONFIG_CMAFW_BOOT_TEST,
 * test kernels only).  With cmafw.test_early=SIZE on the command line, an
 * early_param hook registers a private early region of SIZE, 1 MiB
 * aligned, placed by the framework; given twice, it registers the same
 * region again, which must be refused.  At late_initcall, once the system is
 * up, the test checks the reserved and registered flags, allocates from
 * the region, writes and reads the chunk back through the direct mapping,
 * frees it and logs one line: "boot test: ... ok" or "boot test: FAILED".
 */
#define pr_fmt(fmt) "cmafw: " fmt

#include <linux/init.h>
#include <linux/io.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "internal.h"

#define CMAFW_TEST_CHUNK	SZ_64K

static struct cma_region cmafw_test_region = { .alignment = SZ_1M };

static int __init cmafw_test_early(char *val)
{
	u64 size;
	int ret;

	if (cmafw_test_region.size) {
		/* Given twice: the region must be refused, and stay as it is. */
		ret = cma_early_region_register(&cmafw_test_region);
		if (ret != -EBUSY)
			pr_err("boot test: FAILED: a second registration returned %d, not -EBUSY\n",
			       ret);
		return 0;
	}
	if (!val || cmafw_parse_size(val, strlen(val), &size) || !size ||
	    size > SZ_1G) {
		pr_err("boot test: FAILED: cmafw.test_early=SIZE (at most 1G) expected\n");
		return 0;
	}
	cmafw_test_region.size = size;
	if (cma_early_region_register(&cmafw_test_region))
		cmafw_test_region.size = 0;
	return 0;
}
early_param("cmafw.test_early", cmafw_test_early);

static const char *cmafw_test_run(dma_addr_t *got)
{
	struct cma_region *reg = &cmafw_test_region;
	dma_addr_t addr, again;
	u8 *p;
	size_t i;

	if (!reg->reserved)
		return "the region was not reserved";
	if (!reg->registered || !reg->state)
		return "the region was reserved but not registered";
	addr = cma_alloc_from_region(reg, CMAFW_TEST_CHUNK, 0);
	if (IS_ERR_VALUE(addr))
		return "cma_alloc_from_region() failed";
	*got = addr;
	if (addr < reg->start || addr + CMAFW_TEST_CHUNK > reg->start + reg->size)
		return "the chunk lies outside the region";
	p = phys_to_virt(addr);
	memset(p, 0xa5, CMAFW_TEST_CHUNK);
	for (i = 0; i < CMAFW_TEST_CHUNK; i++)
		if (p[i] != 0xa5)
			return "the chunk did not read back";
	if (cma_free(addr))
		return "cma_free() failed";
	again = cma_alloc_from_region(reg, CMAFW_TEST_CHUNK, 0);
	if (again != addr)
		return "the freed chunk was not handed out again";
	if (cma_free(again))
		return "the second cma_free() failed";
	return NULL;
}

static int __init cmafw_test_late(void)
{
	struct cma_region *reg = &cmafw_test_region;
	dma_addr_t addr = 0;
	const char *why;

	if (!reg->size)
		return 0;
	why = cmafw_test_run(&addr);
	if (why)
		pr_err("boot test: FAILED: private early region of %zu bytes: %s\n",
		       reg->size, why);
	else
		pr_info("boot test: private early region %pad+%zu (align %pad): chunk at %pad read back and freed: ok\n",
			&reg->start, reg->size, &reg->alignment, &addr);
	return 0;
}
late_initcall(cmafw_test_late);
