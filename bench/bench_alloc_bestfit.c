// SPDX-License-Identifier: GPL-2.0
/*
 * kernel/alloc_holes.c, alloc_bestfit.c and alloc_segfit.c themselves,
 * compiled into the benchmark module (not copies: the same files), plus
 * what the benchmark needs to know of their state.
 */
#include "../kernel/alloc_holes.c"
#include "../kernel/alloc_bestfit.c"
#include "../kernel/alloc_segfit.c"

#include "bench_alloc.h"

/**
 * bench_bestfit_region_size() - size of the hole allocators' region state.
 *
 * Return: sizeof(struct cmafw_holes).
 */
size_t bench_bestfit_region_size(void)
{
	return sizeof(struct cmafw_holes);
}

/**
 * bench_bestfit_node_size() - size of one hole node of the hole allocators.
 *
 * bestfit and segfit keep one node per live chunk plus one.
 *
 * Return: sizeof(struct cmafw_hole).
 */
size_t bench_bestfit_node_size(void)
{
	return sizeof(struct cmafw_hole);
}
