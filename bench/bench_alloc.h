/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The framework's allocators, built into the benchmark module from the
 * very sources cmafw.ko is built from (bench_alloc_*.c include them), so
 * that their ops can be timed without the framework around them.
 */
#ifndef _CMAFW_BENCH_ALLOC_H
#define _CMAFW_BENCH_ALLOC_H

#include <linux/types.h>

#include "../kernel/alloc.h"

void bench_bitmap_meta(unsigned long pages, size_t *fixed, size_t *tree,
		       unsigned long *tree_from);
size_t bench_bestfit_region_size(void);
size_t bench_segfit_state_size(void);
size_t bench_segfit_starts_size(unsigned long pages);
size_t bench_bestfit_node_size(void);
size_t bench_bestfit_nodes_kept(void);

#endif /* _CMAFW_BENCH_ALLOC_H */
