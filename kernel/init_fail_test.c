// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: boot-time test of a framework that fails to start
 * (CONFIG_CMAFW_BOOT_TEST, test kernels only).  With
 * cmafw.test_init_fail=sysfs or =configfs on the command line, an
 * arch_initcall takes the name "cmafw" in /sys/kernel or in configfs
 * first, so that the framework's own registration there fails at
 * subsys_initcall as it would on a real clash:
 *
 * - sysfs, the first step: the framework does not start, and every region
 *   reserved at boot goes back to the page allocator;
 * - configfs, the last step: the regions reserved at boot are registered
 *   already and drivers will use them, so the framework starts without
 *   configfs.
 */
#define pr_fmt(fmt) "cmafw: " fmt

#include <linux/configfs.h>
#include <linux/init.h>
#include <linux/kobject.h>
#include <linux/string.h>

#include "internal.h"

static char cmafw_test_fail_step[sizeof("configfs")] __initdata;

static int __init cmafw_test_init_fail_param(char *val)
{
	if (val && (!strcmp(val, "sysfs") || !strcmp(val, "configfs")))
		strscpy(cmafw_test_fail_step, val, sizeof(cmafw_test_fail_step));
	else
		pr_err("boot test: FAILED: cmafw.test_init_fail=sysfs|configfs expected\n");
	return 0;
}
early_param("cmafw.test_init_fail", cmafw_test_init_fail_param);

static const struct config_item_type cmafw_test_squatter_type = {
	.ct_owner	= THIS_MODULE,
};

/* Never unregistered: the kernel keeps the name until it reboots. */
static struct configfs_subsystem cmafw_test_squatter;

static int __init cmafw_test_squat(void)
{
	struct configfs_subsystem *s = &cmafw_test_squatter;
	int ret = 0;

	if (!cmafw_test_fail_step[0])
		return 0;
	if (!strcmp(cmafw_test_fail_step, "sysfs")) {
		if (!kobject_create_and_add("cmafw", kernel_kobj))
			ret = -ENOMEM;
	} else {
		config_group_init_type_name(&s->su_group, "cmafw",
					    &cmafw_test_squatter_type);
		mutex_init(&s->su_mutex);
		ret = configfs_register_subsystem(s);
	}
	if (ret)
		pr_err("boot test: FAILED: cannot take \"cmafw\" in %s: %d\n",
		       cmafw_test_fail_step, ret);
	else
		pr_info("boot test: \"cmafw\" taken in %s before the framework starts\n",
			cmafw_test_fail_step);
	return 0;
}
arch_initcall(cmafw_test_squat);
