/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim for the benchmark: snprintf() and friends from libc. */
#ifndef _BENCH_SHIM_LINUX_SPRINTF_H
#define _BENCH_SHIM_LINUX_SPRINTF_H

#include <stdio.h>

#endif /* _BENCH_SHIM_LINUX_SPRINTF_H */
