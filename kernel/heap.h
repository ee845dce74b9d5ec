/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cmafw: a dma-buf heap per named region (heap.c: the character device,
 * heap_buf.c: the buffers it exports).
 *
 * Lifetime: a heap lives as long as its device's reference count.  The
 * region holds one reference from registration to unregistration, every
 * open file of the node holds one and every live buffer holds one.
 * @state goes NULL, under cmafw_rwsem held for writing, when the region
 * is unregistered; readers take cmafw_rwsem for reading.  A region with
 * live buffers cannot be unregistered, since each buffer is a chunk.
 * Nodes refuse opens until the framework's init has succeeded, so a load
 * that fails leaves no file and no buffer behind (heap.c).
 */
#ifndef _CMAFW_HEAP_H
#define _CMAFW_HEAP_H

#include <linux/atomic.h>
#include <linux/cdev.h>
#include <linux/device.h>

struct cma_region_state;
struct dma_buf;

/**
 * struct cmafw_heap - /dev/dma_heap/cmafw-<region>.
 * @dev:	the device; its release frees the heap.
 * @cdev:	the character device behind the node.
 * @state:	the region, or NULL once it is gone (cmafw_rwsem).
 * @buffers:	live buffers.
 * @bytes:	bytes in live buffers.
 * @ram:	the region is System RAM (a boot region, or one lending its
 *		memory): its chunks have struct pages and a direct mapping.
 * @region:	the region's name.
 */
struct cmafw_heap {
	struct device dev;
	struct cdev cdev;
	struct cma_region_state *state;
	atomic_t buffers;
	atomic_long_t bytes;
	bool ram;
	char region[];
};

/* heap.c */
int cmafw_heap_init(void);
void cmafw_heap_ready(void);
void cmafw_heap_exit(void);
int cmafw_heap_add(struct cma_region_state *state);
void cmafw_heap_remove(struct cma_region_state *state);

/* heap_buf.c */
struct dma_buf *cmafw_heap_buf_new(struct cmafw_heap *heap, size_t len,
				   u32 fd_flags);

#endif /* _CMAFW_HEAP_H */
