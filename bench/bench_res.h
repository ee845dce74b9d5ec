/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cmafw benchmark: filling in a struct resource the same way on 6.1,
 * where DEFINE_RES_NAMED() is only an initializer, and on 6.12, where it
 * is a compound literal.
 */
#ifndef _CMAFW_BENCH_RES_H
#define _CMAFW_BENCH_RES_H

#include <linux/ioport.h>

static inline void bench_res_set(struct resource *res, resource_size_t start,
				 resource_size_t size, const char *name,
				 unsigned long flags)
{
	*res = (struct resource){
		.start = start,
		.end = start + size - 1,
		.name = name,
		.flags = flags,
	};
}

#endif /* _CMAFW_BENCH_RES_H */
