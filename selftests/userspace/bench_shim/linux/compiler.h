/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim for the benchmark: the compiler attributes it uses,
 * __printf(), noinline and __weak, come from the Makefile's command line
 * (BENCH_ATTRS), as compiler_attributes.h is not worth a copy here.
 */
#ifndef _BENCH_SHIM_LINUX_COMPILER_H
#define _BENCH_SHIM_LINUX_COMPILER_H

#if !defined(__printf) || !defined(noinline) || !defined(__weak)
#error "build with the Makefile's BENCH_ATTRS"
#endif

#endif /* _BENCH_SHIM_LINUX_COMPILER_H */
