/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cmafw benchmark engine: what its files share.  bench_core.c holds the
 * engine (the churn and scaling traces, the replay, the tables and the
 * targets); bench_twodev.c the seed's two-device trace, replayed through
 * the same bench_replay(); bench_paired.c the replays of each backend in
 * lockstep with the reference that P1, P8 and P9 read.  Nothing outside
 * bench/ includes this.
 */
#ifndef _CMAFW_BENCH_ENGINE_H
#define _CMAFW_BENCH_ENGINE_H

#include <linux/types.h>

#include "bench_core.h"

#define BENCH_MAX_ROUNDS	9
#define BENCH_MAX_BACKENDS	10
#define BENCH_FLOORS		2	/* floor, floor+api */
#define BENCH_LOCKSTEP		3	/* placement, framework, a floor */
/* The lockstep figures kept: placement, framework, then each floor's. */
#define BENCH_LOCK_COLS		(2 + BENCH_FLOORS)
#define BENCH_NR_STEPS		5	/* scaling steps, 64 to 16,384 live */
#define BENCH_TWODEV_MAX_TIMELINES 16

enum bench_op_kind {
	BENCH_ALLOC,
	BENCH_FREE,
};

/**
 * struct bench_op - one operation of a trace.
 * @slot:	the chunk it allocates or frees; slots are reused.
 * @size:	bytes asked for (allocations); rounded up to pages.
 * @kind:	BENCH_ALLOC or BENCH_FREE.
 * @align_shift: log2 of the alignment in bytes (allocations).
 * @measured:	timed and counted in the statistics.
 */
struct bench_op {
	u32 slot;
	u32 size;
	u8 kind;
	u8 align_shift;
	u8 measured;
};

/**
 * struct bench_trace - a generated trace.
 * @name:	"camera", "small", "scaling/<live>" or "twodev".
 * @live:	for a scaling step, the number of live chunks it holds.
 * @region:	region size in bytes.
 * @ops:	the operations.
 * @nr_ops:	number of operations.
 * @max_ops:	room in @ops.
 * @nr_slots:	slots used (highest slot + 1).
 * @mean_size:	mean chunk size asked for, in bytes.
 */
struct bench_trace {
	char name[24];
	unsigned int live;
	size_t region;
	struct bench_op *ops;
	unsigned int nr_ops;
	unsigned int max_ops;
	unsigned int nr_slots;
	u64 mean_size;
};

/**
 * struct bench_stats - what one backend did with one trace.
 * @error:	0, or why the replay stopped or failed a check.
 * @attempts:	measured allocations.
 * @ok:		measured allocations that succeeded.
 * @frag:	measured failures while the region had at least as many free
 *		bytes as asked for (fragmentation loss).
 * @frag_by:	@frag by request size: up to 1 MiB, up to 4 MiB, above.
 * @misaligned:	allocations placed below their alignment (only for a backend
 *		that ignores alignment).
 * @frees:	measured frees.
 * @alloc_p50:	median allocation time, ns.
 * @alloc_p99:	99th percentile allocation time, ns.
 * @free_p50:	median free time, ns.
 * @free_p99:	99th percentile free time, ns.
 * @pair_p50:	median of free + following alloc, ns (scaling steps).
 * @ops_per_s:	measured operations per second of time spent in them.
 * @largest_free: largest free extent after the last operation, bytes.
 * @live_end:	live chunks after the last operation.
 * @blocks_end:	index records in use after it, if the backend tells.
 * @index_bytes_end: and their bytes, if it tells.
 * @ran:	the replay took place.
 */
struct bench_stats {
	int error;
	unsigned int attempts;
	unsigned int ok;
	unsigned int frag;
	unsigned int frag_by[3];
	unsigned int misaligned;
	unsigned int frees;
	u64 alloc_p50;
	u64 alloc_p99;
	u64 free_p50;
	u64 free_p99;
	u64 pair_p50;
	u64 ops_per_s;
	u64 largest_free;
	unsigned int live_end;
	unsigned long blocks_end;
	u64 index_bytes_end;
	bool ran;
};

struct bench_slot {
	dma_addr_t addr;
	u32 size;
	u32 live;
};

/* Scratch space for one replay, sized for the trace. */
struct bench_work {
	struct bench_slot *slots;
	u64 *dur;		/* ticks per operation */
	u8 *cold;		/* 1: first of a lockstep turn, out of the p99s */
	u64 *sorted;		/* ticks of one kind, then sorted */
	u32 *order;		/* live slots in address order */
};

/**
 * struct bench_twodev_row - one backend on the two-device trace, over its
 * timelines.
 * @needs:	the largest region any timeline needed: one that serves them
 *		all.  A timeline needs the smallest region size tried from
 *		which every larger size tried served it (bench_twodev.c).
 * @needs_sum:	the sum over the timelines, for the mean.
 * @over:	timelines not even served at the top size.
 * @tried:	region sizes replayed, over every timeline.
 * @misaligned: results below their alignment at the top sizes (only for a
 *		backend that ignores alignment).
 * @alloc_p99:	each timeline's alloc p99 at its top size, ns.
 * @lock_p99:	for a framework backend, each timeline's alloc p99 at its
 *		top size replayed in lockstep with the reference, ns;
 * @lock_ref_p99: and the reference's in the same replays.
 * @locked:	@lock_p99 and @lock_ref_p99 are set.
 * @error:	0, or why a replay failed a check.
 * @ran:	the search took place.
 */
struct bench_twodev_row {
	u64 needs;
	u64 needs_sum;
	unsigned int over;
	unsigned int tried;
	unsigned int misaligned;
	u64 alloc_p99[BENCH_TWODEV_MAX_TIMELINES];
	u64 lock_p99[BENCH_TWODEV_MAX_TIMELINES];
	u64 lock_ref_p99[BENCH_TWODEV_MAX_TIMELINES];
	bool locked;
	int error;
	bool ran;
};

/**
 * struct bench_paired - one backend and the reference replayed in lockstep
 * (bench_paired.c); each figure is the median over the rounds, the
 * backend's and the reference's from the same replays, in ns.
 * @pair_p50:	free + alloc pair p50 (scaling steps);
 * @ref_pair_p50: the reference's.
 * @p50_sum:	alloc p50 + free p50;
 * @ref_p50_sum: the reference's.
 * @alloc_p99:	alloc p99;
 * @ref_alloc_p99: the reference's.
 * @error:	0, or why a replay failed a check.
 * @ran:	the figures are set.
 */
struct bench_paired {
	u64 pair_p50;
	u64 ref_pair_p50;
	u64 p50_sum;
	u64 ref_p50_sum;
	u64 alloc_p99;
	u64 ref_alloc_p99;
	int error;
	bool ran;
};

/* Where a trace's paired figures go in &bench_ctx.paired. */
#define BENCH_PAIRED_CAMERA	0
#define BENCH_PAIRED_SMALL	1
#define BENCH_PAIRED_STEP(k)	(2 + (k))
#define BENCH_PAIRED_TRACES	BENCH_PAIRED_STEP(BENCH_NR_STEPS)

/* Everything one bench_run() keeps for the tables and the targets. */
struct bench_ctx {
	const struct bench_params *params;
	const struct bench_backend *be[BENCH_MAX_BACKENDS];
	const struct bench_backend *floor[BENCH_FLOORS];
	unsigned int nr_floors;
	unsigned int nr_be;
	int ref;		/* index of the reference backend, or -1 */
	struct bench_stats camera[BENCH_MAX_BACKENDS];
	struct bench_stats small[BENCH_MAX_BACKENDS];
	struct bench_stats sweep[BENCH_NR_STEPS][BENCH_MAX_BACKENDS];
	u64 sweep_mean[BENCH_NR_STEPS];
	bool have_camera;
	bool have_small;
	bool have_sweep[BENCH_NR_STEPS];
	u64 lock_pair[BENCH_NR_STEPS][BENCH_LOCK_COLS];
	s64 lock_diff[BENCH_NR_STEPS][BENCH_LOCK_COLS];
	u64 lock_alloc_p99[BENCH_NR_STEPS][BENCH_LOCK_COLS];
	u64 lock_floor_place[BENCH_NR_STEPS][BENCH_FLOORS];
	/* The rounds in which each floor cost more than its pass's placement. */
	u8 lock_over[BENCH_NR_STEPS][BENCH_FLOORS];
	bool have_lock[BENCH_NR_STEPS];
	u64 clock_ns;
	u64 growth_pair[BENCH_MAX_BACKENDS][2];
	bool have_growth[BENCH_MAX_BACKENDS];
	struct bench_paired paired[BENCH_PAIRED_TRACES][BENCH_MAX_BACKENDS];
	struct bench_twodev_row twodev[BENCH_MAX_BACKENDS];
	u64 twodev_peak;
	unsigned int twodev_timelines;
	bool have_twodev;
	int failed;
};

/* Random numbers: xorshift64*, the same sequence everywhere. */
static inline u64 bench_rng_next(u64 *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545f4914f6cdd1dULL;
}

/* A value in [0, @n), by multiply and shift: no division. */
static inline u32 bench_rng_below(u64 *state, u32 n)
{
	return (u32)(((bench_rng_next(state) >> 32) * n) >> 32);
}

/* Make @op allocate @size bytes aligned to 1 << @align_shift into @slot. */
static inline void bench_op_alloc(struct bench_op *op, u32 slot, u32 size,
				  u8 align_shift, bool measured)
{
	*op = (struct bench_op) {
		.slot = slot,
		.size = size,
		.kind = BENCH_ALLOC,
		.align_shift = align_shift,
		.measured = measured,
	};
}

/* Make @op free @slot. */
static inline void bench_op_free(struct bench_op *op, u32 slot, bool measured)
{
	*op = (struct bench_op) {
		.slot = slot,
		.kind = BENCH_FREE,
		.measured = measured,
	};
}

/**
 * struct bench_lane - one backend's part in bench_lockstep().
 * @t:		the trace it replays.
 * @be:		the backend.
 * @base:	the window it is set up in.
 */
struct bench_lane {
	const struct bench_trace *t;
	const struct bench_backend *be;
	dma_addr_t base;
};

/* bench_core.c */
int bench_lockstep(const struct bench_lane *lane, unsigned int n,
		   unsigned int seg, struct bench_work *w,
		   struct bench_stats *st);
int bench_lock_rounds(struct bench_ctx *c, const struct bench_lane *lane,
		      unsigned int n, unsigned int seg, struct bench_work *w,
		      u64 *med, s64 *diff, u8 *over, u64 *p99, u64 *p50_sum);
int bench_work_alloc(struct bench_work *w, const struct bench_trace *t);
void bench_work_free(struct bench_work *w);
int bench_replay(const struct bench_trace *t, const struct bench_backend *be,
		 dma_addr_t base, struct bench_work *w, struct bench_stats *st);
void bench_print_ratio(u64 num, u64 den, int width);
const char *bench_verdict(bool met);
void bench_print_p5(const struct bench_ctx *c);
int bench_cmp_u64(const void *a, const void *b);
u64 bench_median_u64(u64 *v, unsigned int n);

/* bench_paired.c */
int bench_paired_run(struct bench_ctx *c, const struct bench_trace *t,
		     struct bench_paired *row);

/* bench_twodev.c */
int bench_twodev(struct bench_ctx *c, unsigned int sessions,
		 unsigned int timelines);
void bench_print_p7(const struct bench_ctx *c);
u64 bench_twodev_p99(const struct bench_ctx *c, unsigned int be);
void bench_twodev_lock_p99(const struct bench_ctx *c, unsigned int be,
			   u64 *v, u64 *ref);

#endif /* _CMAFW_BENCH_ENGINE_H */
