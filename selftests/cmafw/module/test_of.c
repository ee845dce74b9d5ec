// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw_test on a device-tree system: a platform driver for nodes with
 * compatible "cmafw,test-device", so that the shell can allocate in the
 * name of a real DT device (whose memory-region cmafw follows), ask what
 * the kernel believes of its coherence, and write and read back a chunk
 * through a write-combined mapping.  Built only with CONFIG_OF.
 */
#define pr_fmt(fmt) "cmafw_test: " fmt

#include <linux/device.h>
#include <linux/dma-map-ops.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/string.h>

#include <linux/cmafw.h>

#include "test_of.h"

#define ANSWER_MAX	160

/* A number with memparse()'s K/M/G suffixes, as test_ctl.c takes them. */
static int test_of_size(const char *arg, u64 *val)
{
	char *end;

	*val = memparse(arg, &end);
	return end == arg || *end ? -EINVAL : 0;
}

static int test_of_probe(struct platform_device *pdev)
{
	dev_info(&pdev->dev, "bound to %pOF\n", pdev->dev.of_node);
	return 0;
}

static const struct of_device_id test_of_ids[] = {
	{ .compatible = "cmafw,test-device" },
	{ }
};
MODULE_DEVICE_TABLE(of, test_of_ids);

static struct platform_driver test_of_driver = {
	.probe = test_of_probe,
	.driver = {
		.name = "cmafw-test",
		.of_match_table = test_of_ids,
	},
};

/* The bound device called @name, referenced; NULL if there is none. */
static struct device *test_of_dev(const char *name)
{
	struct device *dev = bus_find_device_by_name(&platform_bus_type, NULL,
						     name);

	if (dev && dev->driver != &test_of_driver.driver) {
		put_device(dev);
		dev = NULL;
	}
	return dev;
}

/**
 * cmafw_test_pdev_alloc() - "pdev_alloc DEV TYPE|- SIZE ALIGN".
 * @argv:	the command's words.
 * @out:	the answer, "ok <address>".
 *
 * cma_alloc() for the platform device DEV this driver is bound to.
 *
 * Return: 0, -ENODEV when DEV is not bound here, or cma_alloc()'s error.
 */
int cmafw_test_pdev_alloc(char **argv, char *out)
{
	struct device *dev = test_of_dev(argv[1]);
	const char *type = strcmp(argv[2], "-") ? argv[2] : NULL;
	dma_addr_t addr;
	u64 size, align;
	int ret = 0;

	if (!dev)
		return -ENODEV;
	if (test_of_size(argv[3], &size) || test_of_size(argv[4], &align))
		ret = -EINVAL;
	if (!ret) {
		addr = cma_alloc(dev, type, size, align);
		if (IS_ERR_VALUE(addr))
			ret = (int)addr;
		else
			snprintf(out, ANSWER_MAX, "ok %pad", &addr);
	}
	put_device(dev);
	return ret;
}

/**
 * cmafw_test_pdev_coherent() - "pdev_coherent DEV".
 * @argv:	the command's words.
 * @out:	the answer, "ok 1" if the kernel treats DEV as DMA coherent.
 *
 * Return: 0 or -ENODEV.
 */
int cmafw_test_pdev_coherent(char **argv, char *out)
{
	struct device *dev = test_of_dev(argv[1]);

	if (!dev)
		return -ENODEV;
	snprintf(out, ANSWER_MAX, "ok %d", dev_is_dma_coherent(dev));
	put_device(dev);
	return 0;
}

/**
 * cmafw_test_wc_rw() - "wc_rw ADDR SIZE".
 * @argv:	the command's words.
 * @out:	the answer, "ok" when every word read back as written.
 *
 * Maps [ADDR, ADDR + SIZE) write-combined, as a CPU path to memory a
 * non-coherent device shares must, writes each word's own offset and
 * reads it all back.
 *
 * Return: 0, -EINVAL, -ENOMEM when it cannot be mapped, or -EIO for a
 * word that did not read back.
 */
int cmafw_test_wc_rw(char **argv, char *out)
{
	u64 addr, size, i;
	u32 *va;
	int ret = 0;

	if (kstrtou64(argv[1], 0, &addr) || test_of_size(argv[2], &size) ||
	    !size || size % sizeof(*va))
		return -EINVAL;
	va = memremap(addr, size, MEMREMAP_WC);
	if (!va)
		return -ENOMEM;
	for (i = 0; i < size / sizeof(*va); i++)
		va[i] = lower_32_bits(addr + i * sizeof(*va));
	for (i = 0; i < size / sizeof(*va) && !ret; i++)
		if (va[i] != lower_32_bits(addr + i * sizeof(*va)))
			ret = -EIO;
	memunmap(va);
	return ret;
}

/**
 * cmafw_test_of_init() - register the platform driver.
 *
 * Return: 0 or platform_driver_register()'s error.
 */
int cmafw_test_of_init(void)
{
	return platform_driver_register(&test_of_driver);
}

/**
 * cmafw_test_of_exit() - unregister the platform driver.
 */
void cmafw_test_of_exit(void)
{
	platform_driver_unregister(&test_of_driver);
}
