// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: the dma-bufs a region's heap exports.  A buffer is one chunk of
 * the region, taken through the region's allocator like any other and
 * shown in /proc/iomem as "heap:<comm>[<pid>]", the process that asked
 * for it (blanks and odd characters of the name become '_').
 *
 * Region memory is usually outside the kernel's direct map (memmap=, a
 * no-map device-tree node), and its struct pages, where it has any, are
 * not the page allocator's: devices get the chunk as one segment at its
 * bus address, or through dma_map_resource() behind an IOMMU, with its
 * first page if it has one (cmafw_heap_buf_page()); userspace maps it with
 * vm_iomap_memory() and the kernel through memremap(), which the buffer
 * keeps from allocation (to zero it) to release.  (RAM is mapped to
 * userspace with remap_pfn_range(): see memory encryption below.)
 *
 * Memory encryption (AMD SME, and the encrypted guests): the CPU reaches
 * memory outside the direct map unencrypted, through ioremap and
 * vm_iomap_memory() alike, so a device that maps by address alone gets
 * its unencrypted bus address (cmafw_heap_dma_addr()).  RAM is
 * encrypted in the direct map and in dma_map_sgtable()'s address, so
 * userspace maps it with remap_pfn_range(), which keeps the encryption,
 * as the kernel's own heaps do.
 *
 * A chunk of RAM (a boot region's, or one taken back from the page
 * allocator in lend mode) has struct pages and a direct mapping: devices
 * get it as one page segment through dma_map_sgtable(), as the kernel's
 * own heaps hand out pages, and memremap() gives the kernel the direct
 * mapping.
 *
 * Caching: where DMA is coherent with the CPU's caches (x86), every mapping
 * is cached, the kernel's and userspace's alike.  Where the architecture
 * does cache maintenance for DMA (arm64, whose devices may not snoop),
 * every CPU mapping of memory outside the direct map is write-combined
 * instead, as dma_alloc_coherent() maps memory for such devices: a device
 * can then miss nothing in a cache, and no cache maintenance is needed on
 * memory that the kernel's linear map does not cover (a no-map reserved
 * range), where the DMA API's syncs would fault.  CPU access to such
 * memory only orders the CPU's writes.  RAM stays cached everywhere, as
 * its direct mapping is (memremap() refuses another attribute beside it),
 * and begin/end_cpu_access sync its mapped attachments through the DMA
 * API like any page's.
 *
 * Locking: a buffer's mutex protects its list of attachments and their
 * mappings; cmafw_rwsem is taken for reading only to find and pin the
 * region around a chunk's allocation and free, never across the dma-buf
 * core's calls.
 */
#define pr_fmt(fmt) "cmafw: " fmt

#include <linux/ctype.h>
#include <linux/dma-buf.h>
#include <linux/dma-direct.h>
#include <linux/dma-map-ops.h>
#include <linux/dma-mapping.h>
#include <linux/version.h>
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#include <linux/iommu-dma.h>
#endif
#include <linux/io.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/swiotlb.h>

#include "heap.h"
#include "internal.h"
#include "trace.h"

MODULE_IMPORT_NS(DMA_BUF);

/**
 * struct cmafw_heap_buf - one exported buffer.
 * @heap:	the heap it came from; the buffer holds a reference.
 * @state:	the region; valid while the chunk lives.
 * @phys:	the chunk's physical address.
 * @size:	its size, whole pages.
 * @vaddr:	the kernel's mapping of the chunk.
 * @lock:	protects @attachments and their mappings.
 * @attachments: struct cmafw_heap_att entries.
 */
struct cmafw_heap_buf {
	struct cmafw_heap *heap;
	struct cma_region_state *state;
	phys_addr_t phys;
	size_t size;
	void *vaddr;
	struct mutex lock;		/* see above */
	struct list_head attachments;
};

/**
 * struct cmafw_heap_att - one importing device.
 * @dev:	the device.
 * @sgt:	the one-entry table handed to it while mapped.
 * @dir:	the direction of the mapping.
 * @mapped:	whether @sgt holds a live DMA mapping.
 * @resource:	whether dma_map_resource() made it.
 * @node:	entry in the buffer's list.
 */
struct cmafw_heap_att {
	struct device *dev;
	struct sg_table sgt;
	enum dma_data_direction dir;
	bool mapped;
	bool resource;
	struct list_head node;
};

static int cmafw_heap_attach(struct dma_buf *dmabuf,
			     struct dma_buf_attachment *attach)
{
	struct cmafw_heap_buf *buf = dmabuf->priv;
	struct cmafw_heap_att *a;

	a = kzalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	if (sg_alloc_table(&a->sgt, 1, GFP_KERNEL)) {
		kfree(a);
		return -ENOMEM;
	}
	a->dev = attach->dev;
	attach->priv = a;
	mutex_lock(&buf->lock);
	list_add(&a->node, &buf->attachments);
	mutex_unlock(&buf->lock);
	return 0;
}

static void cmafw_heap_detach(struct dma_buf *dmabuf,
			      struct dma_buf_attachment *attach)
{
	struct cmafw_heap_buf *buf = dmabuf->priv;
	struct cmafw_heap_att *a = attach->priv;

	mutex_lock(&buf->lock);
	list_del(&a->node);
	mutex_unlock(&buf->lock);
	sg_free_table(&a->sgt);
	kfree(a);
}

/*
 * Does an IOMMU map for @dev?  6.12 calls dma-iommu directly; 6.1 gives
 * such a device DMA ops, which cmafw_heap_reachable() checks first.
 */
static bool cmafw_heap_dev_iommu(struct device *dev)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	return use_dma_iommu(dev);
#else
	return false;
#endif
}

/*
 * Does the DMA API map for @dev by address alone (dma-direct)?  Then the
 * device sees memory at phys_to_dma(), which a bus offset from the CPU's
 * (a device tree's dma-ranges) moves, and dma_map_resource() would hand
 * out the CPU's address unchanged, as it does for another device's
 * registers.
 */
static bool cmafw_heap_dev_direct(struct device *dev)
{
	return !get_dma_ops(dev) && !cmafw_heap_dev_iommu(dev);
}

/*
 * The address a device that maps by address alone sees the buffer at:
 * as the CPU does, encrypted for RAM, unencrypted outside it (see the
 * top of this file).
 */
static dma_addr_t cmafw_heap_dma_addr(struct device *dev,
				      const struct cmafw_heap_buf *buf)
{
	return buf->heap->ram ? phys_to_dma(dev, buf->phys) :
				phys_to_dma_unencrypted(dev, buf->phys);
}

/*
 * Can @dev reach the buffer where it is?  For a device it maps directly,
 * the DMA API warns and fails (memory outside the direct map) or bounces
 * every transfer through swiotlb (RAM) when its mask or bus limit stops
 * short of the chunk, and a device whose every transfer is bounced
 * (swiotlb=force, or a guest with encrypted memory) only ever sees a copy:
 * neither is a buffer shared in place.  Such an import is refused
 * instead, with one line.
 */
static bool cmafw_heap_reachable(struct device *dev,
				 const struct cmafw_heap_buf *buf)
{
	dma_addr_t addr = cmafw_heap_dma_addr(dev, buf);

	if (is_swiotlb_force_bounce(dev)) {
		pr_err_ratelimited("%s: cannot share the heap buffer at %pa in place: the kernel bounces all of its DMA through swiotlb\n",
				   dev_name(dev), &buf->phys);
		return false;
	}
	if (!cmafw_heap_dev_direct(dev) ||
	    (dev->dma_mask && dma_capable(dev, addr, buf->size, false)))
		return true;
	pr_err_ratelimited("%s: cannot reach the heap buffer at %pa (%zu bytes): DMA mask %#llx, bus limit %#llx\n",
			   dev_name(dev), &buf->phys, buf->size,
			   dev->dma_mask ? *dev->dma_mask : 0ULL,
			   (unsigned long long)dev->bus_dma_limit);
	return false;
}

/*
 * Whether every page of [@first, @last] has a struct page.  They come by
 * memory section (hot-added memory by subsection), so a range may have
 * them at both ends and not in between.
 */
static bool cmafw_heap_pfns_valid(unsigned long first, unsigned long last)
{
#ifdef CONFIG_SPARSEMEM
	unsigned long pfn;

	for (pfn = first; pfn < last;
	     pfn = ALIGN(pfn + 1, PAGES_PER_SUBSECTION))
		if (!pfn_valid(pfn))
			return false;
#endif
	return pfn_valid(first) && pfn_valid(last);
}

/*
 * The first page of a chunk outside the direct map, or NULL.  Importers
 * should use the DMA address and length alone, but some DRM drivers read
 * sg_phys() (to map the buffer through their own IOMMU) or the pages:
 * where the memory has struct pages, as a no-map range of RAM on arm64
 * and memmap= inside the RAM's sections on x86 do, they get the right
 * ones instead of a NULL page's nonsense address.
 */
static struct page *cmafw_heap_buf_page(const struct cmafw_heap_buf *buf)
{
	unsigned long first = PHYS_PFN(buf->phys);

	return cmafw_heap_pfns_valid(first,
				     PHYS_PFN(buf->phys + buf->size - 1)) ?
	       pfn_to_page(first) : NULL;
}

static struct sg_table *cmafw_heap_map(struct dma_buf_attachment *attach,
				       enum dma_data_direction dir)
{
	struct cmafw_heap_buf *buf = attach->dmabuf->priv;
	struct cmafw_heap_att *a = attach->priv;
	struct scatterlist *sg = a->sgt.sgl;
	dma_addr_t addr;
	int ret;

	if (!cmafw_heap_reachable(attach->dev, buf))
		return ERR_PTR(-EIO);
	if (buf->heap->ram) {
		/* Cleans the CPU's caches for a device that does not snoop. */
		sg_set_page(sg, pfn_to_page(PHYS_PFN(buf->phys)), buf->size, 0);
		ret = dma_map_sgtable(attach->dev, &a->sgt, dir, 0);
		if (ret)
			return ERR_PTR(ret);
	} else {
		a->resource = !cmafw_heap_dev_direct(attach->dev);
		if (a->resource)
			addr = dma_map_resource(attach->dev, buf->phys,
						buf->size, dir, 0);
		else
			addr = cmafw_heap_dma_addr(attach->dev, buf);
		if (dma_mapping_error(attach->dev, addr))
			return ERR_PTR(-ENOMEM);
		sg_set_page(sg, cmafw_heap_buf_page(buf), buf->size, 0);
		sg_dma_address(sg) = addr;
		sg_dma_len(sg) = buf->size;
	}
	mutex_lock(&buf->lock);
	a->dir = dir;
	a->mapped = true;
	mutex_unlock(&buf->lock);
	return &a->sgt;
}

static void cmafw_heap_unmap(struct dma_buf_attachment *attach,
			     struct sg_table *sgt, enum dma_data_direction dir)
{
	struct cmafw_heap_buf *buf = attach->dmabuf->priv;
	struct cmafw_heap_att *a = attach->priv;

	mutex_lock(&buf->lock);
	a->mapped = false;
	mutex_unlock(&buf->lock);
	if (buf->heap->ram)
		dma_unmap_sgtable(attach->dev, sgt, dir, 0);
	else if (a->resource)
		dma_unmap_resource(attach->dev, sg_dma_address(sgt->sgl),
				   buf->size, dir, 0);
}

/* See "Caching" at the top of this file. */
static bool cmafw_heap_buf_cached(const struct cmafw_heap_buf *buf)
{
	return buf->heap->ram ||
	       !IS_ENABLED(CONFIG_ARCH_HAS_SYNC_DMA_FOR_DEVICE);
}

/*
 * Sync every mapped attachment, for the CPU or back for its device, in the
 * direction it was mapped with, as the DMA API asks (the CPU's own
 * direction, which begin/end_cpu_access pass, could invalidate what the
 * CPU wrote for a device that only reads).
 */
static void cmafw_heap_sync(struct cmafw_heap_buf *buf, bool for_cpu)
{
	struct cmafw_heap_att *a;

	if (!buf->heap->ram) {
		/*
		 * Write-combined where DMA is not coherent, cached where it
		 * is: drain the CPU's buffered writes, nothing to sync
		 * (dma_map_resource()'s handles have no sync either).
		 */
		wmb();
		return;
	}
	mutex_lock(&buf->lock);
	list_for_each_entry(a, &buf->attachments, node) {
		if (!a->mapped)
			continue;
		if (for_cpu)
			dma_sync_sgtable_for_cpu(a->dev, &a->sgt, a->dir);
		else
			dma_sync_sgtable_for_device(a->dev, &a->sgt, a->dir);
	}
	mutex_unlock(&buf->lock);
}

static int cmafw_heap_begin_cpu(struct dma_buf *dmabuf,
				enum dma_data_direction dir)
{
	cmafw_heap_sync(dmabuf->priv, true);
	return 0;
}

static int cmafw_heap_end_cpu(struct dma_buf *dmabuf,
			      enum dma_data_direction dir)
{
	cmafw_heap_sync(dmabuf->priv, false);
	return 0;
}

static int cmafw_heap_mmap(struct dma_buf *dmabuf, struct vm_area_struct *vma)
{
	struct cmafw_heap_buf *buf = dmabuf->priv;

	/*
	 * A private mapping would copy on write, away from the device.  A
	 * shared one of a read-only file keeps VM_MAYSHARE alone.
	 */
	if (!(vma->vm_flags & (VM_SHARED | VM_MAYSHARE)))
		return -EINVAL;
	/* Offset and length within the buffer: dma_buf_mmap checked them. */
	if (!cmafw_heap_buf_cached(buf))
		vma->vm_page_prot = pgprot_writecombine(vma->vm_page_prot);
	if (buf->heap->ram)
		return remap_pfn_range(vma, vma->vm_start,
				       PHYS_PFN(buf->phys) + vma->vm_pgoff,
				       vma->vm_end - vma->vm_start,
				       vma->vm_page_prot);
	return vm_iomap_memory(vma, buf->phys, buf->size);
}

static int cmafw_heap_vmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
	struct cmafw_heap_buf *buf = dmabuf->priv;

	iosys_map_set_vaddr(map, buf->vaddr);
	return 0;
}

static void cmafw_heap_vunmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
	/* The mapping lives as long as the buffer. */
}

/* Give the chunk back; the buffer's last reference is gone. */
static void cmafw_heap_buf_free(struct cmafw_heap_buf *buf)
{
	struct cmafw_heap *heap = buf->heap;
	size_t size = 0;
	int ret;

	if (buf->vaddr)
		memunmap(buf->vaddr);
	/*
	 * Pinned, not locked: the region's mutex may be busy for seconds,
	 * and removal, which checks the chunks without it, waits for pins.
	 */
	percpu_down_read(&cmafw_rwsem);
	cmafw_region_pin(buf->state);
	percpu_up_read(&cmafw_rwsem);
	ret = cmafw_chunk_free(buf->state, CMAFW_HELD_BY_HEAP, buf->phys,
			       &size);
	WARN_ON(ret);
	trace_cmafw_free(buf->phys, size, buf->state->id, ret);
	cmafw_region_unpin(buf->state);
	atomic_dec(&heap->buffers);
	atomic_long_sub(buf->size, &heap->bytes);
	put_device(&heap->dev);
	kfree(buf);
}

static void cmafw_heap_buf_release(struct dma_buf *dmabuf)
{
	cmafw_heap_buf_free(dmabuf->priv);
}

static const struct dma_buf_ops cmafw_heap_buf_ops = {
	.attach = cmafw_heap_attach,
	.detach = cmafw_heap_detach,
	.map_dma_buf = cmafw_heap_map,
	.unmap_dma_buf = cmafw_heap_unmap,
	.begin_cpu_access = cmafw_heap_begin_cpu,
	.end_cpu_access = cmafw_heap_end_cpu,
	.mmap = cmafw_heap_mmap,
	.vmap = cmafw_heap_vmap,
	.vunmap = cmafw_heap_vunmap,
	.release = cmafw_heap_buf_release,
};

/* "heap:<comm>[<tgid>]", with blanks and reserved characters made '_'. */
static void cmafw_heap_owner(char *owner, size_t len)
{
	char comm[TASK_COMM_LEN];
	char *c;

	get_task_comm(comm, current);
	for (c = comm; *c; c++)
		if (!isgraph(*c) || strchr(CMAFW_NAME_RESERVED "[]", *c))
			*c = '_';
	snprintf(owner, len, "heap:%s[%d]", comm, task_tgid_nr(current));
}

/*
 * Take the chunk; the region cannot go while it lives.  Traced as the
 * driver API's requests are (api.c), under the buffer's owner name.
 */
static int cmafw_heap_buf_chunk(struct cmafw_heap *heap,
				struct cmafw_heap_buf *buf)
{
	u64 start = trace_cmafw_alloc_finish_enabled() ? ktime_get_ns() : 0;
	char owner[TASK_COMM_LEN + 24];
	dma_addr_t addr = -ENODEV;
	bool pinned = false;

	cmafw_heap_owner(owner, sizeof(owner));
	trace_cmafw_alloc_start(owner, NULL, buf->size, PAGE_SIZE);
	percpu_down_read(&cmafw_rwsem);
	buf->state = heap->state;
	if (buf->state) {
		pinned = cmafw_region_pin_alloc(buf->state);
		if (!pinned)
			addr = -EBUSY;
	}
	percpu_up_read(&cmafw_rwsem);
	/* Pinned, not locked: a lend region may take seconds (internal.h). */
	if (pinned)
		addr = cmafw_chunk_alloc(buf->state, buf->size, PAGE_SIZE,
					 CMAFW_HELD_BY_HEAP, owner, NULL);
	/* The clock is read only for a listener. */
	if (trace_cmafw_alloc_finish_enabled())
		trace_cmafw_alloc_finish(owner, NULL, buf->size, PAGE_SIZE,
					 pinned ? buf->state->id : "-",
					 addr,
					 start ? ktime_get_ns() - start : 0);
	if (pinned)
		cmafw_region_unpin(buf->state);
	/*
	 * -ENOENT: the region refused its first chunk, on its way out.
	 * -EFAULT: the allocator misplaced it (warned); none to give.
	 * -EBUSY, as it is: a removal is waiting for the region, or taking
	 * its lent memory back.
	 * -EINTR, as it is: a fatal signal.
	 */
	if (addr == (dma_addr_t)-ENOENT)
		return -ENODEV;
	if (addr == (dma_addr_t)-EFAULT)
		return -ENOMEM;
	if (IS_ERR_VALUE(addr))
		return (int)addr;
	buf->phys = addr;
	return 0;
}

/*
 * Nobody sees the previous owner's data.  A lend region's chunk comes
 * zeroed (lend_take.c); any other is zeroed here a megabyte at a time, so
 * that a large buffer does not keep the CPU from others.  The region's
 * mode holds while the chunk lives.
 */
static void cmafw_heap_buf_zero(struct cmafw_heap_buf *buf)
{
	size_t off, n;

	if (buf->state->lend)
		return;
	for (off = 0; off < buf->size; off += n) {
		n = min_t(size_t, buf->size - off, SZ_1M);
		memset(buf->vaddr + off, 0, n);
		cond_resched();
	}
}

/**
 * cmafw_heap_buf_new() - allocate a zeroed buffer and export it.
 * @heap:	the heap asked.
 * @len:	bytes, at least one; rounded up to whole pages.
 * @fd_flags:	O_CLOEXEC and O_ACCMODE bits for the buffer's file.
 *
 * The caller gives the buffer an fd (fd_install()), or drops it with
 * dma_buf_put(), which frees it.
 *
 * Context: process context; the chunk is owned by current's process.
 * Return: the dma-buf, or ERR_PTR(-ENOMEM) when the region cannot fit
 * @len, ERR_PTR(-ENODEV) when the region is gone or going,
 * ERR_PTR(-EBUSY) while a removal waits for the region or takes its lent
 * memory back, ERR_PTR(-EINTR) on a fatal signal, another ERR_PTR() on
 * other failures.
 */
struct dma_buf *cmafw_heap_buf_new(struct cmafw_heap *heap, size_t len,
				   u32 fd_flags)
{
	DEFINE_DMA_BUF_EXPORT_INFO(exp);
	struct cmafw_heap_buf *buf;
	struct dma_buf *dmabuf;
	int ret;

	buf = kzalloc(sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	mutex_init(&buf->lock);
	INIT_LIST_HEAD(&buf->attachments);
	buf->heap = heap;
	buf->size = PAGE_ALIGN(len);
	ret = cmafw_heap_buf_chunk(heap, buf);
	if (ret) {
		kfree(buf);
		return ERR_PTR(ret);
	}
	get_device(&heap->dev);
	atomic_inc(&heap->buffers);
	atomic_long_add(buf->size, &heap->bytes);

	buf->vaddr = memremap(buf->phys, buf->size,
			      cmafw_heap_buf_cached(buf) ? MEMREMAP_WB :
							   MEMREMAP_WC);
	if (!buf->vaddr) {
		dev_err_ratelimited(&heap->dev, "cannot map %zu bytes at %pa\n",
				    buf->size, &buf->phys);
		ret = -ENOMEM;
		goto out_free;
	}
	cmafw_heap_buf_zero(buf);

	exp.exp_name = dev_name(&heap->dev);
	exp.ops = &cmafw_heap_buf_ops;
	exp.size = buf->size;
	exp.flags = fd_flags;
	exp.priv = buf;
	dmabuf = dma_buf_export(&exp);
	if (IS_ERR(dmabuf)) {
		ret = PTR_ERR(dmabuf);
		goto out_free;
	}
	return dmabuf;

out_free:
	cmafw_heap_buf_free(buf);
	return ERR_PTR(ret);
}
