// SPDX-License-Identifier: GPL-2.0
/*
 * A driver that calls all of <linux/cmafw.h>, built by
 * scripts/check-builtin.sh against a kernel tree that carries cmafw but
 * builds without it (CONFIG_CMAFW=n, hence CONFIG_CMAFW_STUBS).  Each call
 * must be a stub the compiler folds to its documented error: the
 * BUILD_BUG_ON()s fail the build otherwise, and so would a call left to a
 * cmafw symbol, which nothing folds.  Never loaded.
 */
#include <linux/build_bug.h>
#include <linux/cmafw.h>
#include <linux/module.h>
#include <linux/sizes.h>

static struct cma_region stub_region = { .name = "stub", .size = SZ_1M };

static void __init cmafw_stubs_check(struct device *dev)
{
	struct cma_info info;

	BUILD_BUG_ON(cma_alloc(dev, NULL, SZ_1M, 0) != (dma_addr_t)-ENODEV);
	BUILD_BUG_ON(cma_alloc_from("stub", SZ_1M, 0) != (dma_addr_t)-ENODEV);
	BUILD_BUG_ON(cma_alloc_from_region(&stub_region, SZ_1M, 0) !=
		     (dma_addr_t)-ENODEV);
	BUILD_BUG_ON(cma_free(SZ_1M) != -ENOENT);
	BUILD_BUG_ON(cma_info(&info, dev, NULL) != -ENODEV);
	BUILD_BUG_ON(cma_info_about(&info, "stub") != -ENODEV);
	BUILD_BUG_ON(cma_region_register(&stub_region) != -ENODEV);
	BUILD_BUG_ON(cma_region_unregister(&stub_region) != -EINVAL);
}

static int __init cmafw_stubs_user_init(void)
{
	cmafw_stubs_check(NULL);
	return -ENODEV;
}
module_init(cmafw_stubs_user_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("cmafw's stubs, compile-tested without cmafw");
