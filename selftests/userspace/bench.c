// SPDX-License-Identifier: GPL-2.0
/*
 * Native benchmark of the cmafw allocators: the traces of bench/bench_core.c
 * (the very file the kernel benchmark module is built from) replayed
 * through kernel/alloc_bitmap.c, alloc_bestfit.c and alloc_segfit.c over
 * the shim.
 *
 *	bench [-t TRACES] [-b BACKENDS] [-s SCALE] [-n ROUNDS] [-w MIB] [-q]
 *
 * Under callgrind (see bench_callgrind.sh) every replay is dumped on its
 * own and the clock is not read, so that only the allocators' instructions
 * are counted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#if __has_include("valgrind/callgrind.h")
#include <valgrind/callgrind.h>
#else
#define RUNNING_ON_VALGRIND		0
#define CALLGRIND_ZERO_STATS		((void)0)
#define CALLGRIND_DUMP_STATS_AT(label)	((void)(label))
#endif

#include <linux/array_size.h>

#include "alloc.h"
#include "bench_core.h"

static bool under_valgrind;

/**
 * bench_env_ticks() - the clock for one operation: CLOCK_MONOTONIC.
 *
 * Return: the time in ns; 0 under valgrind, where only instructions count.
 */
u64 bench_env_ticks(void)
{
	return under_valgrind ? 0 : bench_env_ns();
}

/**
 * bench_env_ns() - CLOCK_MONOTONIC in ns.
 *
 * Return: the time.
 */
u64 bench_env_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/**
 * bench_env_replay_begin() - under callgrind, count from here.
 * @trace:	trace name.
 * @backend:	backend name.
 */
void bench_env_replay_begin(const char *trace, const char *backend)
{
	(void)trace;
	(void)backend;
	CALLGRIND_ZERO_STATS;
}

/**
 * bench_env_replay_end() - under callgrind, dump this replay's counts.
 * @trace:	trace name.
 * @backend:	backend name.
 * @nr_alloc:	measured allocations.
 * @nr_free:	measured frees.
 */
void bench_env_replay_end(const char *trace, const char *backend,
			  unsigned int nr_alloc, unsigned int nr_free)
{
	char label[128];

	if (!under_valgrind)
		return;
	snprintf(label, sizeof(label), "trace=%s backend=%s allocs=%u frees=%u",
		 trace, backend, nr_alloc, nr_free);
	CALLGRIND_DUMP_STATS_AT(label);
}

static const struct bench_backend bench_bitmap = {
	.name = "bitmap", .setup = bench_ops_setup,
	.teardown = bench_ops_teardown, .alloc = bench_ops_alloc,
	.free = bench_ops_free, .ops = &cmafw_bitmap_allocator,
};

static const struct bench_backend bench_bestfit = {
	.name = "bestfit", .setup = bench_ops_setup,
	.teardown = bench_ops_teardown, .alloc = bench_ops_alloc,
	.free = bench_ops_free, .ops = &cmafw_bestfit_allocator,
};

static const struct bench_backend bench_segfit = {
	.name = "segfit", .setup = bench_ops_setup,
	.teardown = bench_ops_teardown, .alloc = bench_ops_alloc,
	.free = bench_ops_free, .ops = &cmafw_segfit_allocator,
};

static const struct bench_backend *const bench_backends[] = {
	&bench_bitmap, &bench_bestfit, &bench_segfit,
};

static void print_usage(const char *prog)
{
	fprintf(stderr, "Usage: %s [-t TRACES] [-b BACKENDS] [-s SCALE]\n"
		"\t[-n ROUNDS] [-w MIB] [-r REF] [-q]\n", prog);
	fprintf(stderr,
		"  -t  all (default) or any of camera,small,scaling,twodev\n"
		"  -b  all (default) or any of bitmap,bestfit,segfit\n"
		"  -s  percent of the default operation counts (100)\n"
		"  -n  rounds, the median of each timing is shown (3)\n"
		"  -w  region size in MiB (256, as in the guest)\n"
		"  -r  backend the ratio columns divide by (none)\n"
		"  -q  print the targets only\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct bench_params p = {
		.base = 0x40000000,
		.size = 256 << 20,
		.scale = 100,
		.rounds = 3,
		.traces = "all",
		.backends = "all",
	};
	int opt, err;

	under_valgrind = RUNNING_ON_VALGRIND;
	while ((opt = getopt(argc, argv, "t:b:s:n:w:r:q")) != -1) {
		switch (opt) {
		case 't':
			p.traces = optarg;
			break;
		case 'b':
			p.backends = optarg;
			break;
		case 's':
			p.scale = strtoul(optarg, NULL, 0);
			break;
		case 'n':
			p.rounds = strtoul(optarg, NULL, 0);
			break;
		case 'w':
			p.size = strtoul(optarg, NULL, 0) << 20;
			break;
		case 'r':
			p.ref = optarg;
			break;
		case 'q':
			p.quiet = true;
			break;
		default:
			print_usage(argv[0]);
		}
	}
	if (optind != argc)
		print_usage(argv[0]);

	bench_env_printk("bench: native userspace, %ld CPUs, clock CLOCK_MONOTONIC%s; region %zu MiB; scale %u%%, %u rounds; traces %s\n",
			 sysconf(_SC_NPROCESSORS_ONLN),
			 under_valgrind ? " (off under valgrind)" : "",
			 p.size >> 20, p.scale, p.rounds, p.traces);
	err = bench_run(&p, bench_backends, ARRAY_SIZE(bench_backends));
	if (err) {
		fprintf(stderr, "bench: failed: %s\n", strerror(-err));
		return 1;
	}
	return 0;
}
