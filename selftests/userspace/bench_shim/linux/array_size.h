/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim for the benchmark: ARRAY_SIZE(). */
#ifndef _BENCH_SHIM_LINUX_ARRAY_SIZE_H
#define _BENCH_SHIM_LINUX_ARRAY_SIZE_H

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#endif /* _BENCH_SHIM_LINUX_ARRAY_SIZE_H */
