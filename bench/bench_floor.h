/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The floor backends: what any framework that records its chunks in the
 * resource tree must add to its placement (bench_floor.c), and that plus
 * what the API asks of it (bench_floor_api.c).
 */
#ifndef _CMAFW_BENCH_FLOOR_H
#define _CMAFW_BENCH_FLOOR_H

#include <linux/ioport.h>
#include <linux/mutex.h>
#include <linux/types.h>

#include "bench_core.h"

/**
 * struct bench_floor - bestfit and the records of its chunks.
 * @lock:	around the allocator, the parents and the spares; and, for
 *		floor+api, the region's owner entry and counts.
 * @alloc:	bestfit's state.
 * @base:	the window's first byte.
 * @shift:	log2 of the bytes a parent holds the chunks of.
 * @spares:	records no chunk uses, linked by their @child.
 * @dense:	with floor_dense, a record per page instead.
 * @nr_parents:	how many parents.
 * @parents:	a parent per 2^@shift bytes, by the chunk's start; none is
 *		in a tree.
 */
struct bench_floor {
	struct mutex lock;	/* see above */
	void *alloc;
	dma_addr_t base;
	unsigned int shift;
	struct resource *spares;
	struct resource *dense;
	unsigned long nr_parents;
	struct resource parents[];
};

struct bench_floor *bench_floor_new(dma_addr_t base, size_t size);
void bench_floor_delete(struct bench_floor *fl);
int bench_floor_place(struct bench_floor *fl, size_t size, dma_addr_t align,
		      dma_addr_t *addr, const char *name);
size_t bench_floor_unplace(struct bench_floor *fl, dma_addr_t addr,
			   const char **name);

extern const struct bench_backend bench_floor;
extern const struct bench_backend bench_floor_api;

#endif /* _CMAFW_BENCH_FLOOR_H */
