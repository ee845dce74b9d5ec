// SPDX-License-Identifier: GPL-2.0
/*
 * kernel/alloc_bitmap.c itself, compiled into the benchmark module (not a
 * copy: the same file), plus what the benchmark needs to know of its
 * state.
 */
#include "../kernel/alloc_bitmap.c"

#include "bench_alloc.h"

/**
 * bench_bitmap_region_size() - size of the bitmap allocator's region state.
 *
 * Return: sizeof(struct bitmap_region); the bitmap itself comes on top.
 */
size_t bench_bitmap_region_size(void)
{
	return sizeof(struct bitmap_region);
}
