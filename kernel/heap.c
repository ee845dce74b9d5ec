// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: one dma-buf heap per named region, /dev/dma_heap/cmafw-<region>.
 *
 * The kernel's own heap registry cannot be reached from a module (its
 * functions are not exported and a heap can never be removed), so each
 * region gets a character device of ours that speaks the same uAPI,
 * <linux/dma-heap.h>: DMA_HEAP_IOCTL_ALLOC returns a dma-buf fd.  The
 * class's devnode puts the node in /dev/dma_heap/ beside the kernel's
 * heaps, root-only (0600); udev or chmod/chgrp open it to a group.
 *
 * DMA_HEAP_IOCTL_ALLOC's struct is taken at the size the caller's header
 * gives, as the kernel's heaps take it, so that a program built against an
 * older or a newer <linux/dma-heap.h> works: a shorter struct (down to the
 * fields that carry the fd back) is read as far as it goes and the rest is
 * zero; a longer one must be zero past ours (copy_struct_from_user(),
 * -E2BIG otherwise, where the kernel's heaps ignore it).  An unknown ioctl
 * gets -ENOTTY, as any character device answers; the kernel's heaps answer
 * -EINVAL to an unknown command number.
 *
 * The node is created when its region is registered and removed when it
 * is unregistered, both under cmafw_rwsem held for writing; heap.h has
 * the lifetime rules.
 */
#define pr_fmt(fmt) "cmafw: " fmt

#include <linux/compat.h>
#include <linux/dma-buf.h>
#include <linux/file.h>
#include <uapi/linux/dma-heap.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/version.h>

#include "heap.h"
#include "internal.h"

#define CMAFW_HEAP_MINORS	256
/* The longest whole-page scatterlist segment. */
#define CMAFW_HEAP_LEN_MAX	(UINT_MAX & PAGE_MASK)

static struct class *cmafw_heap_class;
static dev_t cmafw_heap_devt;
static DEFINE_IDA(cmafw_heap_minors);

/*
 * Until the module's init has succeeded, the load can still fail, and the
 * module loader then frees the module's code whatever still refers to it:
 * a node opened meanwhile (those of the regions= and device-tree regions
 * appear early) would call into freed code when closed, and a buffer
 * allocated through it would keep its region.  So opens are refused with
 * -EAGAIN until cmafw_heap_ready().  Set once, before init returns; read
 * without a lock.
 */
static bool cmafw_heap_loaded;

#define to_heap(d) container_of(d, struct cmafw_heap, dev)

static int cmafw_heap_open(struct inode *inode, struct file *file)
{
	struct cmafw_heap *heap = container_of(inode->i_cdev,
					       struct cmafw_heap, cdev);

	if (!READ_ONCE(cmafw_heap_loaded)) {
		dev_notice_ratelimited(&heap->dev,
				       "%s[%d]: cmafw is still loading: try again\n",
				       current->comm, task_tgid_nr(current));
		return -EAGAIN;
	}
	get_device(&heap->dev);
	file->private_data = heap;
	return nonseekable_open(inode, file);
}

static int cmafw_heap_release(struct inode *inode, struct file *file)
{
	struct cmafw_heap *heap = file->private_data;

	put_device(&heap->dev);
	return 0;
}

/* The shortest request that can carry the fd back. */
#define CMAFW_HEAP_ALLOC_MIN \
	offsetofend(struct dma_heap_allocation_data, fd_flags)

static long cmafw_heap_alloc(struct cmafw_heap *heap, void __user *uarg,
			     size_t usize)
{
	struct dma_heap_allocation_data data;
	size_t out = min(usize, sizeof(data));
	struct dma_buf *dmabuf;
	int fd, ret;

	if (usize < CMAFW_HEAP_ALLOC_MIN) {
		dev_warn_ratelimited(&heap->dev,
				     "%s[%d]: bad request: %zu bytes, at least %zu carry the fd back\n",
				     current->comm, task_tgid_nr(current),
				     usize, CMAFW_HEAP_ALLOC_MIN);
		return -EINVAL;
	}
	ret = copy_struct_from_user(&data, sizeof(data), uarg, usize);
	if (ret == -E2BIG)
		dev_warn_ratelimited(&heap->dev,
				     "%s[%d]: bad request: %zu bytes, not zero past the %zu known\n",
				     current->comm, task_tgid_nr(current),
				     usize, sizeof(data));
	if (ret)
		return ret;
	if (data.fd || !data.len || data.fd_flags & ~DMA_HEAP_VALID_FD_FLAGS ||
	    data.heap_flags & ~DMA_HEAP_VALID_HEAP_FLAGS) {
		dev_warn_ratelimited(&heap->dev,
				     "%s[%d]: bad request: len %llu fd %u fd_flags %#x heap_flags %#llx\n",
				     current->comm, task_tgid_nr(current),
				     data.len, data.fd, data.fd_flags,
				     data.heap_flags);
		return -EINVAL;
	}
	/*
	 * A buffer is handed to importers as one scatterlist segment, whose
	 * length is an unsigned int.
	 */
	if (data.len > CMAFW_HEAP_LEN_MAX) {
		dev_warn_ratelimited(&heap->dev,
				     "%s[%d]: %llu bytes: a buffer is at most %lu\n",
				     current->comm, task_tgid_nr(current),
				     data.len, CMAFW_HEAP_LEN_MAX);
		return -EINVAL;
	}

	/*
	 * The fd is reserved first and installed last, once userspace has
	 * its number: a failed copy-out then leaves no fd and no buffer.
	 */
	fd = get_unused_fd_flags(data.fd_flags);
	if (fd < 0)
		return fd;
	dmabuf = cmafw_heap_buf_new(heap, data.len, data.fd_flags);
	if (IS_ERR(dmabuf)) {
		put_unused_fd(fd);
		return PTR_ERR(dmabuf);
	}
	data.fd = fd;
	if (copy_to_user(uarg, &data, out)) {
		put_unused_fd(fd);
		dma_buf_put(dmabuf);	/* frees the buffer */
		return -EFAULT;
	}
	fd_install(fd, dmabuf->file);
	return 0;
}

static long cmafw_heap_ioctl(struct file *file, unsigned int cmd,
			     unsigned long arg)
{
	struct cmafw_heap *heap = file->private_data;

	/* ALLOC at any size; see the top. */
	if (_IOC_TYPE(cmd) != DMA_HEAP_IOC_MAGIC ||
	    _IOC_NR(cmd) != _IOC_NR(DMA_HEAP_IOCTL_ALLOC) ||
	    _IOC_DIR(cmd) != (_IOC_READ | _IOC_WRITE))
		return -ENOTTY;
	return cmafw_heap_alloc(heap, (void __user *)arg, _IOC_SIZE(cmd));
}

static const struct file_operations cmafw_heap_fops = {
	.owner = THIS_MODULE,
	.open = cmafw_heap_open,
	.release = cmafw_heap_release,
	.unlocked_ioctl = cmafw_heap_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static ssize_t region_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%s\n", to_heap(dev)->region);
}
static DEVICE_ATTR_RO(region);

static ssize_t buffers_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&to_heap(dev)->buffers));
}
static DEVICE_ATTR_RO(buffers);

static ssize_t bytes_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&to_heap(dev)->bytes));
}
static DEVICE_ATTR_RO(bytes);

static struct attribute *cmafw_heap_attrs[] = {
	&dev_attr_region.attr,
	&dev_attr_buffers.attr,
	&dev_attr_bytes.attr,
	NULL
};
ATTRIBUTE_GROUPS(cmafw_heap);

static void cmafw_heap_dev_release(struct device *dev)
{
	kfree(to_heap(dev));
}

/**
 * cmafw_heap_add() - create the heap of a region being registered.
 * @state:	the region; private regions get no heap.
 *
 * With every heap minor in use the region goes without a heap: the heap
 * is a view for userspace, and drivers may still need the region.
 *
 * Context: cmafw_rwsem held for writing.
 * Return: 0 or a negative errno, with one line in the kernel log (for
 * -ENOMEM, the allocator's own report).
 */
int cmafw_heap_add(struct cma_region_state *state)
{
	const char *name = state->reg->name;
	struct cmafw_heap *heap;
	int minor, ret;
	size_t len;

	if (!name)
		return 0;
	minor = ida_alloc_max(&cmafw_heap_minors, CMAFW_HEAP_MINORS - 1,
			      GFP_KERNEL);
	if (minor == -ENOSPC) {
		pr_warn("region %s: no dma-buf heap: all %d heap minors are in use\n",
			state->id, CMAFW_HEAP_MINORS);
		return 0;
	}
	if (minor < 0)
		return minor;
	len = strlen(name) + 1;
	heap = kzalloc(struct_size(heap, region, len), GFP_KERNEL);
	if (!heap) {
		ida_free(&cmafw_heap_minors, minor);
		return -ENOMEM;
	}
	memcpy(heap->region, name, len);
	heap->state = state;
	/* Once per region: region_intersects() walks the chunks' lines. */
	heap->ram = region_intersects(state->res->start,
				      resource_size(state->res),
				      IORESOURCE_SYSTEM_RAM,
				      IORES_DESC_NONE) == REGION_INTERSECTS;
	device_initialize(&heap->dev);
	heap->dev.class = cmafw_heap_class;
	heap->dev.devt = MKDEV(MAJOR(cmafw_heap_devt), minor);
	heap->dev.groups = cmafw_heap_groups;
	heap->dev.release = cmafw_heap_dev_release;
	cdev_init(&heap->cdev, &cmafw_heap_fops);
	heap->cdev.owner = THIS_MODULE;
	ret = dev_set_name(&heap->dev, "cmafw-%s", name);
	if (!ret)
		ret = cdev_device_add(&heap->cdev, &heap->dev);
	if (ret) {
		pr_err("region %s: cannot add its dma-buf heap: %d\n",
		       state->id, ret);
		put_device(&heap->dev);
		ida_free(&cmafw_heap_minors, minor);
		return ret;
	}
	state->heap = heap;
	return 0;
}

/**
 * cmafw_heap_remove() - remove the heap of a region being unregistered.
 * @state:	the region, which holds no chunks, hence no buffers.
 *
 * Open files of the node stay valid and their allocations get -ENODEV.
 *
 * Context: cmafw_rwsem held for writing.
 */
void cmafw_heap_remove(struct cma_region_state *state)
{
	struct cmafw_heap *heap = state->heap;

	if (!heap)
		return;
	cdev_device_del(&heap->cdev, &heap->dev);
	ida_free(&cmafw_heap_minors, MINOR(heap->dev.devt));
	heap->state = NULL;
	state->heap = NULL;
	put_device(&heap->dev);
}

/* 6.4 made the devnode callback's device const. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
static char *cmafw_heap_devnode(const struct device *dev, umode_t *mode)
#else
static char *cmafw_heap_devnode(struct device *dev, umode_t *mode)
#endif
{
	if (mode)
		*mode = 0600;
	return kasprintf(GFP_KERNEL, "dma_heap/%s", dev_name(dev));
}

/**
 * cmafw_heap_init() - set up the class and the device numbers.
 *
 * Return: 0 or a negative errno.
 */
int cmafw_heap_init(void)
{
	int ret;

	ret = alloc_chrdev_region(&cmafw_heap_devt, 0, CMAFW_HEAP_MINORS,
				  "cmafw_heap");
	if (ret)
		return ret;
	/* 6.4 dropped class_create()'s owner argument. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	cmafw_heap_class = class_create("cmafw_heap");
#else
	cmafw_heap_class = class_create(THIS_MODULE, "cmafw_heap");
#endif
	if (IS_ERR(cmafw_heap_class)) {
		unregister_chrdev_region(cmafw_heap_devt, CMAFW_HEAP_MINORS);
		return PTR_ERR(cmafw_heap_class);
	}
	cmafw_heap_class->devnode = cmafw_heap_devnode;
	return 0;
}

/**
 * cmafw_heap_ready() - let the nodes be opened: the load cannot fail now.
 *
 * Called last in the framework's init, once nothing after it can fail.
 */
void cmafw_heap_ready(void)
{
	WRITE_ONCE(cmafw_heap_loaded, true);
}

/**
 * cmafw_heap_exit() - undo cmafw_heap_init(); every region is gone.
 */
void cmafw_heap_exit(void)
{
	class_destroy(cmafw_heap_class);
	unregister_chrdev_region(cmafw_heap_devt, CMAFW_HEAP_MINORS);
	ida_destroy(&cmafw_heap_minors);
}
