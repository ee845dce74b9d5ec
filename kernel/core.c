// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: module entry and the framework's global state.  The locking rules
 * are written in internal.h, next to the structures they protect.
 */
#define pr_fmt(fmt) "cmafw: " fmt

#include <linux/module.h>

#include "alloc.h"
#include "internal.h"

DECLARE_RWSEM(cmafw_rwsem);
LIST_HEAD(cmafw_regions);

static int __init cmafw_init(void)
{
	int ret;

	ret = cmafw_sysfs_init();
	if (ret)
		return ret;
	ret = cmafw_allocator_register(&cmafw_bitmap_allocator);
	if (ret)
		goto out_sysfs;
	ret = cmafw_allocator_register(&cmafw_bestfit_allocator);
	if (ret)
		goto out_bitmap;
	ret = cmafw_params_init();
	if (ret)
		goto out_bestfit;
	cmafw_of_init();
	ret = cmafw_configfs_init();
	if (ret) {
		pr_err("cannot register in configfs: %d\n", ret);
		goto out_params;
	}
	return 0;

out_params:
	cmafw_of_exit();
	cmafw_params_exit();
	cmafw_map_exit();
out_bestfit:
	cmafw_allocator_unregister(&cmafw_bestfit_allocator);
out_bitmap:
	cmafw_allocator_unregister(&cmafw_bitmap_allocator);
out_sysfs:
	cmafw_sysfs_exit();
	return ret;
}

static void __exit cmafw_exit(void)
{
	cmafw_configfs_exit();
	cmafw_of_exit();
	cmafw_params_exit();
	cmafw_map_exit();
	cmafw_allocator_unregister(&cmafw_bestfit_allocator);
	cmafw_allocator_unregister(&cmafw_bitmap_allocator);
	cmafw_sysfs_exit();
}

module_init(cmafw_init);
module_exit(cmafw_exit);

MODULE_DESCRIPTION("Contiguous memory regions for devices without scatter-gather");
MODULE_LICENSE("GPL");
