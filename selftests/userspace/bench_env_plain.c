// SPDX-License-Identifier: GPL-2.0
/*
 * The benchmark engine's environment in userspace: calloc() and free(),
 * stdout, nothing to yield to, and by default nothing to count per replay
 * (bench.c counts under callgrind instead).  Each program (bench.c,
 * frag_oracle.c, test_bench.c) brings its own clock: bench_env_ticks()
 * and bench_env_ns().
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench_core.h"

void *bench_env_zalloc(size_t size)
{
	return calloc(1, size ? size : 1);
}

void bench_env_free(void *ptr)
{
	free(ptr);
}

int bench_env_yield(void)
{
	return 0;
}

void bench_env_printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

void __weak bench_env_replay_begin(const char *trace, const char *backend)
{
	(void)trace;
	(void)backend;
}

void __weak bench_env_replay_end(const char *trace, const char *backend,
				 unsigned int nr_alloc, unsigned int nr_free)
{
	(void)trace;
	(void)backend;
	(void)nr_alloc;
	(void)nr_free;
}
