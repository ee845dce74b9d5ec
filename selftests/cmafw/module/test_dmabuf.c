// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw_test: "dmabuf FD", a dma-buf importer as a driver would be one.
 * It takes the writer's fd FD, attaches a device with a 32-bit DMA mask,
 * maps the buffer for DMA and reads it through vmap, then lets it all go.
 * The answer is "ok <dma address> <segments> <bytes> <fnv1a-64 of the
 * bytes> <sg_phys(), or 0 without a page>", for the caller to compare
 * with /proc/iomem and what it wrote: a DRM driver that maps an imported
 * buffer through its own IOMMU reads sg_phys().
 * "dmabuf_limit FD BITS" does the same for a device on a bus that reaches
 * only the first 2^BITS bytes (bus_dma_limit, as a device tree's
 * dma-ranges sets it), BITS 24-63, and "dmabuf_offset FD BASE" for a
 * device on a bus that sees the CPU's 4 GiB from BASE at address 0 (its
 * dma_range_map, as an offset dma-ranges sets it).
 */
#define pr_fmt(fmt) "cmafw_test: " fmt

#include <linux/device.h>
#include <linux/dma-buf.h>
#include <linux/dma-direct.h>
#include <linux/dma-mapping.h>
#include <linux/iosys-map.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/version.h>

#include "test_dmabuf.h"

MODULE_IMPORT_NS(DMA_BUF);

#define ANSWER_MAX	160

static void test_dmabuf_dev_release(struct device *dev)
{
	kfree(dev);
}

/*
 * The device of an import, with a 32-bit DMA mask, on a bus that reaches
 * 2^@bits bytes unless @bits is 0, whose map (@map, unless NULL) offsets
 * its addresses from the CPU's.
 */
static struct device *test_dmabuf_dev(unsigned int bits,
				      const struct bus_dma_region *map)
{
	struct device *dev = kzalloc(sizeof(*dev), GFP_KERNEL);

	if (!dev)
		return NULL;
	device_initialize(dev);
	dev->release = test_dmabuf_dev_release;
	dev->dma_mask = &dev->coherent_dma_mask;
	if (dev_set_name(dev, "cmafw_test_importer") ||
	    dma_set_mask_and_coherent(dev, DMA_BIT_MASK(32))) {
		put_device(dev);
		return NULL;
	}
	if (bits)
		dev->bus_dma_limit = DMA_BIT_MASK(bits);
	dev->dma_range_map = map;
	return dev;
}

/* The device's map is the caller's: the device core would kfree() it. */
static void test_dmabuf_dev_put(struct device *dev)
{
	dev->dma_range_map = NULL;
	put_device(dev);
}

static u64 test_fnv1a(const u8 *p, size_t len)
{
	u64 h = 0xcbf29ce484222325ULL;

	while (len--) {
		h ^= *p++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* 6.2 made dma_buf_vmap() need the reservation lock; _unlocked takes it. */
static int test_vmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	return dma_buf_vmap_unlocked(dmabuf, map);
#else
	return dma_buf_vmap(dmabuf, map);
#endif
}

static void test_vunmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	dma_buf_vunmap_unlocked(dmabuf, map);
#else
	dma_buf_vunmap(dmabuf, map);
#endif
}

static int test_dmabuf_read(struct dma_buf *dmabuf, struct device *dev,
			    char *out)
{
	struct dma_buf_attachment *att;
	struct iosys_map map;
	struct sg_table *sgt;
	phys_addr_t phys;
	dma_addr_t addr;
	u64 hash = 0;
	int ret;

	att = dma_buf_attach(dmabuf, dev);
	if (IS_ERR(att))
		return PTR_ERR(att);
	sgt = dma_buf_map_attachment_unlocked(att, DMA_BIDIRECTIONAL);
	if (IS_ERR(sgt)) {
		ret = PTR_ERR(sgt);
		goto out_detach;
	}
	addr = sg_dma_address(sgt->sgl);
	phys = sg_page(sgt->sgl) ? sg_phys(sgt->sgl) : 0;
	ret = dma_buf_begin_cpu_access(dmabuf, DMA_FROM_DEVICE);
	if (ret)
		goto out_unmap;
	ret = test_vmap(dmabuf, &map);
	if (!ret) {
		if (map.is_iomem)
			ret = -EIO;
		else
			hash = test_fnv1a(map.vaddr, dmabuf->size);
		test_vunmap(dmabuf, &map);
	}
	dma_buf_end_cpu_access(dmabuf, DMA_FROM_DEVICE);
	if (!ret)
		snprintf(out, ANSWER_MAX, "ok %pad %u %u 0x%016llx %pa", &addr,
			 sgt->nents, sg_dma_len(sgt->sgl), hash, &phys);
out_unmap:
	dma_buf_unmap_attachment_unlocked(att, sgt, DMA_BIDIRECTIONAL);
out_detach:
	dma_buf_detach(dmabuf, att);
	return ret;
}

/* Import the writer's fd @fd_arg into test_dmabuf_dev(@bits, @map). */
static int test_dmabuf_import(const char *fd_arg, unsigned int bits,
			      const struct bus_dma_region *map, char *out)
{
	struct dma_buf *dmabuf;
	struct device *dev;
	int fd, ret;

	if (kstrtoint(fd_arg, 0, &fd))
		return -EINVAL;
	dmabuf = dma_buf_get(fd);
	if (IS_ERR(dmabuf))
		return PTR_ERR(dmabuf);
	dev = test_dmabuf_dev(bits, map);
	if (!dev) {
		dma_buf_put(dmabuf);
		return -ENOMEM;
	}
	ret = test_dmabuf_read(dmabuf, dev, out);
	test_dmabuf_dev_put(dev);
	dma_buf_put(dmabuf);
	return ret;
}

/**
 * cmafw_test_dmabuf() - the "dmabuf FD" command.
 * @argv:	"dmabuf" and the fd, in the writer's file table.
 * @out:	the answer, ANSWER_MAX bytes.
 *
 * Return: 0 or a negative errno.
 */
int cmafw_test_dmabuf(char **argv, char *out)
{
	return test_dmabuf_import(argv[1], 0, NULL, out);
}

/**
 * cmafw_test_dmabuf_limit() - the "dmabuf_limit FD BITS" command.
 * @argv:	"dmabuf_limit", the fd and how many address bits the
 *		device's bus reaches.
 * @out:	the answer, ANSWER_MAX bytes.
 *
 * Return: 0 or a negative errno.
 */
int cmafw_test_dmabuf_limit(char **argv, char *out)
{
	unsigned int bits;

	if (kstrtouint(argv[2], 0, &bits) || bits < 24 || bits > 63)
		return -EINVAL;
	return test_dmabuf_import(argv[1], bits, NULL, out);
}

/**
 * cmafw_test_dmabuf_offset() - the "dmabuf_offset FD BASE" command.
 * @argv:	"dmabuf_offset", the fd and the CPU address the device's bus
 *		sees at 0, a multiple of 1 MiB.
 * @out:	the answer, ANSWER_MAX bytes.
 *
 * Return: 0 or a negative errno.
 */
int cmafw_test_dmabuf_offset(char **argv, char *out)
{
	/* The second entry, of size 0, ends the map. */
	struct bus_dma_region map[2] = { };
	u64 base;

	if (kstrtou64(argv[2], 0, &base) || !IS_ALIGNED(base, SZ_1M))
		return -EINVAL;
	map[0].cpu_start = base;
	map[0].dma_start = 0;
	map[0].size = SZ_4G;
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0)
	/* 6.1's translation subtracts this; 6.12's struct has none. */
	map[0].offset = base;
#endif
	return test_dmabuf_import(argv[1], 0, map, out);
}
