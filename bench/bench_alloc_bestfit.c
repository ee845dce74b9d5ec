// SPDX-License-Identifier: GPL-2.0
/*
 * kernel/alloc_bestfit.c itself, compiled into the benchmark module (not a
 * copy: the same file), plus what the benchmark needs to know of its
 * state.
 */
#include "../kernel/alloc_bestfit.c"

#include "bench_alloc.h"

/**
 * bench_bestfit_region_size() - size of the bestfit allocator's region state.
 *
 * Return: sizeof(struct bestfit_region).
 */
size_t bench_bestfit_region_size(void)
{
	return sizeof(struct bestfit_region);
}

/**
 * bench_bestfit_node_size() - size of one hole node of the bestfit allocator.
 *
 * The allocator keeps one node per live chunk plus one.
 *
 * Return: sizeof(struct bestfit_hole).
 */
size_t bench_bestfit_node_size(void)
{
	return sizeof(struct bestfit_hole);
}
