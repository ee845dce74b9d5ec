/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim for the benchmark: sort() over qsort(). */
#ifndef _BENCH_SHIM_LINUX_SORT_H
#define _BENCH_SHIM_LINUX_SORT_H

#include <stdlib.h>

typedef int (*cmp_func_t)(const void *a, const void *b);
typedef void (*swap_func_t)(void *a, void *b, int size);

/* Only the kernel's default swap (@swap_func NULL) is supported. */
static inline void sort(void *base, size_t num, size_t size,
			cmp_func_t cmp_func, swap_func_t swap_func)
{
	(void)swap_func;
	qsort(base, num, size, cmp_func);
}

#endif /* _BENCH_SHIM_LINUX_SORT_H */
