// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw sample driver: a device that keeps its frame buffers in physically
 * contiguous memory from cmafw, through <linux/cmafw.h> alone.
 *
 * cmafw_video.c, cmafw_camera.c and cmafw_jpeg.c include this file after
 * defining the device's name and default frame geometry, and each builds
 * one module.  The module registers a platform device of that name, so that
 * cmafw's map decides which region serves it, and allocates @frames buffers
 * of @width x @height pixels, 3 bytes each, with cma_alloc():
 *
 *	insmod cmafw_video.ko frames=3
 *	echo 1 > /sys/module/cmafw_video/parameters/frames
 *
 * The kernel log gets one line per buffer with its address, and one line
 * with the errno name for an allocation that fails.  The driver keeps the
 * buffers it got and loads with fewer frames than asked for; only when it
 * asked for some and got none does the load fail, with that errno
 * (frames=0 loads holding nothing).  Writing @frames
 * at runtime grows or shrinks the set the same way (the last buffers go
 * first), and the write fails with the errno of the allocation that failed.
 * @frames reads back the number of buffers held.  Unloading frees them all.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/build_bug.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/platform_device.h>
#include <linux/stringify.h>

#include <linux/cmafw.h>

#define CMAFW_SAMPLE_MAX_FRAMES	16
#define CMAFW_SAMPLE_MAX_SIDE	8192
#define CMAFW_SAMPLE_BPP	3	/* bytes per pixel: RGB888 */

static unsigned int width = CMAFW_SAMPLE_WIDTH;
module_param(width, uint, 0444);
MODULE_PARM_DESC(width, "Frame width in pixels (default "
		 __stringify(CMAFW_SAMPLE_WIDTH) ")");

static unsigned int height = CMAFW_SAMPLE_HEIGHT;
module_param(height, uint, 0444);
MODULE_PARM_DESC(height, "Frame height in pixels (default "
		 __stringify(CMAFW_SAMPLE_HEIGHT) ")");

/*
 * The number of frames wanted until the module is initialised, the number
 * held from then on.  Like everything below, it is protected by
 * kernel_param_lock(THIS_MODULE), which the kernel holds around the
 * parameter's set() at load and on writes through sysfs.
 */
static unsigned int frames = CMAFW_SAMPLE_FRAMES;

static struct platform_device *cmafw_sample_pdev;	/* NULL unless live */
static dma_addr_t cmafw_sample_buf[CMAFW_SAMPLE_MAX_FRAMES];
static size_t cmafw_sample_size;

static const char *cmafw_sample_why(int err)
{
	switch (err) {
	case -ENOENT:
		return ": no map rule names the device, or none of its regions exists";
	case -ENOMEM:
		return ": no region of its map rule has a free extent that large";
	default:
		return "";
	}
}

static void cmafw_sample_free_last(void)
{
	dma_addr_t addr = cmafw_sample_buf[--frames];
	int ret = cma_free(addr);

	if (ret)
		pr_err("frame %u at %#llx: cma_free() failed: %pe\n", frames,
		       (unsigned long long)addr, ERR_PTR(ret));
	else
		pr_info("frame %u at %#llx released\n", frames,
			(unsigned long long)addr);
}

/*
 * Grow or shrink the set of buffers to @want; the last ones go first.
 * Return: 0, or the errno of the allocation that failed, keeping the
 * buffers allocated before it.
 */
static int cmafw_sample_resize(unsigned int want)
{
	struct device *dev = &cmafw_sample_pdev->dev;

	while (frames > want)
		cmafw_sample_free_last();
	while (frames < want) {
		dma_addr_t addr = cma_alloc(dev, NULL, cmafw_sample_size, 0);

		if (IS_ERR_VALUE(addr)) {
			int err = (int)addr;

			pr_err("frame %u: cma_alloc(%s, %zu bytes) failed: %pe%s\n",
			       frames, dev_name(dev), cmafw_sample_size,
			       ERR_PTR(err), cmafw_sample_why(err));
			return err;
		}
		cmafw_sample_buf[frames] = addr;
		pr_info("frame %u: %zu bytes at %#llx\n", frames,
			cmafw_sample_size, (unsigned long long)addr);
		frames++;
	}
	return 0;
}

static int cmafw_sample_frames_set(const char *val,
				   const struct kernel_param *kp)
{
	unsigned int want;
	int ret;

	ret = kstrtouint(val, 0, &want);
	if (ret)
		return ret;
	if (want > CMAFW_SAMPLE_MAX_FRAMES) {
		pr_err("frames: at most %d\n", CMAFW_SAMPLE_MAX_FRAMES);
		return -EINVAL;
	}
	if (!cmafw_sample_pdev) {
		/* At load, before init: only record the wish. */
		frames = want;
		return 0;
	}
	return cmafw_sample_resize(want);
}

static const struct kernel_param_ops cmafw_sample_frames_ops = {
	.set = cmafw_sample_frames_set,
	.get = param_get_uint,
};
module_param_cb(frames, &cmafw_sample_frames_ops, &frames, 0644);
MODULE_PARM_DESC(frames, "Frame buffers to hold, at most "
		 __stringify(CMAFW_SAMPLE_MAX_FRAMES) " (default "
		 __stringify(CMAFW_SAMPLE_FRAMES) "); writable at runtime");

static int __init cmafw_sample_init(void)
{
	struct platform_device *pdev;
	unsigned int want;
	int ret;

	BUILD_BUG_ON(CMAFW_SAMPLE_FRAMES > CMAFW_SAMPLE_MAX_FRAMES);
	if (!width || !height || width > CMAFW_SAMPLE_MAX_SIDE ||
	    height > CMAFW_SAMPLE_MAX_SIDE) {
		pr_err("width and height must be 1 to %d pixels\n",
		       CMAFW_SAMPLE_MAX_SIDE);
		return -EINVAL;
	}
	cmafw_sample_size = (size_t)width * height * CMAFW_SAMPLE_BPP;

	pdev = platform_device_register_simple(CMAFW_SAMPLE_DEVICE,
					       PLATFORM_DEVID_NONE, NULL, 0);
	if (IS_ERR(pdev)) {
		pr_err("cannot register platform device %s: %pe\n",
		       CMAFW_SAMPLE_DEVICE, pdev);
		return PTR_ERR(pdev);
	}

	kernel_param_lock(THIS_MODULE);
	want = frames;
	frames = 0;
	cmafw_sample_pdev = pdev;
	ret = cmafw_sample_resize(want);
	if (ret && !frames) {
		cmafw_sample_pdev = NULL;
		kernel_param_unlock(THIS_MODULE);
		platform_device_unregister(pdev);
		pr_err("%s has no frame buffer at all: not loading\n",
		       CMAFW_SAMPLE_DEVICE);
		return ret;
	}
	if (ret)
		pr_warn("%s runs with %u of %u frames\n", CMAFW_SAMPLE_DEVICE,
			frames, want);
	kernel_param_unlock(THIS_MODULE);
	return 0;
}

static void __exit cmafw_sample_exit(void)
{
	struct platform_device *pdev;

	kernel_param_lock(THIS_MODULE);
	cmafw_sample_resize(0);
	pdev = cmafw_sample_pdev;
	cmafw_sample_pdev = NULL;
	kernel_param_unlock(THIS_MODULE);
	platform_device_unregister(pdev);
}

module_init(cmafw_sample_init);
module_exit(cmafw_sample_exit);

MODULE_DESCRIPTION("cmafw sample driver for the \"" CMAFW_SAMPLE_DEVICE
		   "\" device");
MODULE_LICENSE("GPL");
