/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cmafw benchmark engine, shared by the in-kernel benchmark module
 * (bench/cmafw_bench.ko) and the native userspace benchmark
 * (selftests/userspace/bench.c, over selftests/userspace/shim/).
 *
 * The engine generates deterministic traces (fixed seeds), replays each
 * one through every backend it is given, times every measured operation
 * and prints one table per trace.  Whatever differs between the kernel
 * and userspace (memory, clocks, printing) is behind the bench_env_*()
 * hooks, which each side defines.
 */
#ifndef _CMAFW_BENCH_CORE_H
#define _CMAFW_BENCH_CORE_H

#include <linux/compiler.h>
#include <linux/types.h>

struct cma_allocator;
struct bench_backend;

/**
 * struct bench_meta - metadata a backend keeps, for target P4.
 * @fixed:	bytes per region, whatever its size and contents (left out
 *		of the comparison with the budget).
 * @scaled:	bytes per region that grow with its size, besides
 *		@per_page_bits (such as segfit's bitmap of chunk starts).
 * @per_page_bits: bits per page of the region.
 * @per_chunk:	bytes per live chunk, allocation rounding included.
 * @per_block:	bytes per index record holding at least one chunk.
 * @nr_blocks:	index records the region may have (one exists only while
 *		it holds a chunk, so at most min(chunks, @nr_blocks) exist).
 * @share:	at worst, the bytes of index records each chunk bears (0:
 *		@per_block, a record to each chunk).
 * @lazy:	what grows with the region but exists only from a count of
 *		live chunks on (the bitmap's summary tree, the index's
 *		arrays and groups): at worst @lazy[i].bytes from
 *		@lazy[i].from chunks, counted in &bench_backend.index_bytes_now
 *		where @lazy[i].measured.
 * @nr_lazy:	entries in @lazy.
 * @how:	one line saying what the numbers are made of.
 */
struct bench_meta {
	size_t fixed;
	size_t scaled;
	unsigned int per_page_bits;
	size_t per_chunk;
	size_t per_block;
	unsigned long nr_blocks;
	size_t share;
	struct bench_lazy {
		size_t bytes;
		unsigned long from;
		bool measured;
		const char *what;
	} lazy[2];
	unsigned int nr_lazy;
	const char *how;
};

/**
 * struct bench_backend - one way of placing chunks, replayed in turn.
 * @name:	short name, the row label in the tables.
 * @setup:	take a region of @size bytes at @base; returns private data
 *		or an ERR_PTR().
 * @teardown:	release what @setup took; every chunk was freed before.
 * @alloc:	place @size bytes (whole pages) aligned to @align (a power of
 *		two, at least a page) and store the address in @addr; 0 or a
 *		negative errno.
 * @free:	give back [@addr, @addr + @size) from an earlier @alloc.
 * @meta:	optional: fill in what the backend keeps per region, page
 *		and chunk for a region of @pages pages.
 * @blocks_now:	optional: index records in use now (see &bench_meta).
 * @index_bytes_now: optional: the bytes those records take now, by their
 *		slab objects' sizes; counted instead of @blocks_now times
 *		&bench_meta.per_block.
 * @ops:	the allocator bench_ops_*() drive, for backends that call an
 *		allocator's ops directly.
 * @data:	anything else the backend's functions need.
 * @ignores_align: the backend cannot honour alignments above a page; its
 *		misaligned results are counted instead of failing the run.
 * @uses_window: the backend registers a region over its window: two of its
 *		instances need two windows (bench_growth_run()).
 * @lockstep_only: not a row of the tables: only replayed on the scaling
 *		trace together with bestfit and fw-bestfit, as a yardstick
 *		(see bench_lock_run()); unless it is the only backend listed
 *		(bench/insns.sh counts its instructions so).
 * @about:	for a lockstep-only backend, one line on what it adds to
 *		its placement.
 */
struct bench_backend {
	const char *name;
	void *(*setup)(const struct bench_backend *be, dma_addr_t base,
		       size_t size);
	void (*teardown)(void *priv);
	int (*alloc)(void *priv, size_t size, dma_addr_t align,
		     dma_addr_t *addr);
	void (*free)(void *priv, dma_addr_t addr, size_t size);
	void (*meta)(const struct bench_backend *be, unsigned long pages,
		     struct bench_meta *meta);
	unsigned long (*blocks_now)(void *priv);
	u64 (*index_bytes_now)(void *priv);
	const struct cma_allocator *ops;
	const void *data;
	bool ignores_align;
	bool uses_window;
	bool lockstep_only;
	const char *about;
};

/**
 * struct bench_params - what to run.
 * @base:	physical start of the window the regions are placed in.
 * @size:	its size in bytes; every trace uses the whole window.
 * @base2:	physical start of a second window of @size bytes, or 0: where
 *		a backend that uses its window replays the second of two
 *		scaling steps run together (bench_growth_run()).
 * @scale:	percent of the default number of operations per trace.
 * @rounds:	times every trace is replayed through every backend (1 to 9);
 *		the tables show the median of each timing.
 * @traces:	"all", or a comma-separated list of trace names
 *		("camera", "small", "scaling", "twodev", or "scaling/N" for
 *		the scaling step holding N live chunks).
 * @backends:	"all", or a comma-separated list of backend names.
 * @ref:	name of the backend the ratio columns divide by.
 * @quiet:	print only the targets, not the tables.
 */
struct bench_params {
	dma_addr_t base;
	size_t size;
	dma_addr_t base2;
	unsigned int scale;
	unsigned int rounds;
	const char *traces;
	const char *backends;
	const char *ref;
	bool quiet;
};

int bench_run(const struct bench_params *params,
	      const struct bench_backend *const *backends,
	      unsigned int nr_backends);

void *bench_ops_setup(const struct bench_backend *be, dma_addr_t base,
		      size_t size);
void bench_ops_teardown(void *priv);
int bench_ops_alloc(void *priv, size_t size, dma_addr_t align,
		    dma_addr_t *addr);
void bench_ops_free(void *priv, dma_addr_t addr, size_t size);

/* Provided by the environment (the module or the userspace program). */
void *bench_env_zalloc(size_t size);
void bench_env_free(void *ptr);
u64 bench_env_ticks(void);
u64 bench_env_ns(void);
int bench_env_yield(void);
__printf(1, 2) void bench_env_printk(const char *fmt, ...);
void bench_env_replay_begin(const char *trace, const char *backend);
void bench_env_replay_end(const char *trace, const char *backend,
			  unsigned int nr_alloc, unsigned int nr_free);

#endif /* _CMAFW_BENCH_CORE_H */
