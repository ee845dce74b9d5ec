// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: module entry and the framework's global state.  The locking rules
 * are written in internal.h, next to the structures they protect.
 */
#define pr_fmt(fmt) "cmafw: " fmt

#include <linux/module.h>

#include "alloc.h"
#include "heap.h"
#include "internal.h"
#include "lend.h"

DEFINE_PERCPU_RWSEM(cmafw_rwsem);
LIST_HEAD(cmafw_regions);
LIST_HEAD(cmafw_arriving);

static int __init cmafw_init(void)
{
	int ret;

	ret = cmafw_sysfs_init();
	if (ret)
		goto out;
	/* No owner: a region needs no reference on the module it is in. */
	ret = __cmafw_allocator_register(&cmafw_bitmap_allocator, NULL);
	if (ret)
		goto out_sysfs;
	ret = __cmafw_allocator_register(&cmafw_bestfit_allocator, NULL);
	if (ret)
		goto out_bitmap;
	ret = __cmafw_allocator_register(&cmafw_segfit_allocator, NULL);
	if (ret)
		goto out_bestfit;
	ret = cmafw_heap_init();
	if (ret)
		goto out_segfit;
	ret = cmafw_lend_init();
	if (ret)
		goto out_heap;
	ret = cmafw_params_init();
	if (ret)
		goto out_lend;
	cmafw_of_init();
	ret = cmafw_configfs_init();
	if (ret) {
		/*
		 * Regions reserved at boot cannot be undone: the framework
		 * goes on with them, and without configfs.
		 */
		bool final = cmafw_params_final();

		pr_err("cannot register in configfs: %d%s\n", ret,
		       final ? "; going on without it" : "");
		if (!final)
			goto out_params;
	}
	cmafw_heap_ready();
	return 0;

out_params:
	cmafw_of_exit();
	cmafw_params_exit();
	cmafw_map_exit();
out_lend:
	cmafw_lend_exit();
out_heap:
	cmafw_heap_exit();
out_segfit:
	cmafw_allocator_unregister(&cmafw_segfit_allocator);
out_bestfit:
	cmafw_allocator_unregister(&cmafw_bestfit_allocator);
out_bitmap:
	cmafw_allocator_unregister(&cmafw_bitmap_allocator);
out_sysfs:
	cmafw_sysfs_exit();
out:
	cmafw_params_abort(ret);
	cmafw_rwsem_quiesce();
	return ret;
}

static void __exit cmafw_exit(void)
{
	cmafw_configfs_exit();
	cmafw_of_exit();
	cmafw_params_exit();
	cmafw_map_exit();
	cmafw_lend_exit();
	cmafw_heap_exit();
	cmafw_allocator_unregister(&cmafw_segfit_allocator);
	cmafw_allocator_unregister(&cmafw_bestfit_allocator);
	cmafw_allocator_unregister(&cmafw_bitmap_allocator);
	cmafw_sysfs_exit();
	cmafw_rwsem_quiesce();
}

/*
 * Built in, the framework (and the regions reserved at boot) is ready
 * before drivers probe; in a module this is module_init().
 */
subsys_initcall(cmafw_init);
module_exit(cmafw_exit);

MODULE_DESCRIPTION("Contiguous memory regions for devices without scatter-gather");
MODULE_LICENSE("GPL");
