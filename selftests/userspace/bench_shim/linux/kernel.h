/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim for the benchmark: the snprintf() of <linux/kernel.h>, from libc. */
#ifndef _BENCH_SHIM_LINUX_KERNEL_H
#define _BENCH_SHIM_LINUX_KERNEL_H

#include <stdio.h>

#endif /* _BENCH_SHIM_LINUX_KERNEL_H */
