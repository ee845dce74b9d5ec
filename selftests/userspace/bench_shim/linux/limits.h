/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim for the benchmark: the limits of <linux/limits.h> it uses. */
#ifndef _BENCH_SHIM_LINUX_LIMITS_H
#define _BENCH_SHIM_LINUX_LIMITS_H

#include <stdint.h>

#define U64_MAX		UINT64_MAX

#endif /* _BENCH_SHIM_LINUX_LIMITS_H */
