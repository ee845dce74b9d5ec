// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw benchmark engine: traces, replay, statistics and tables.
 *
 * This one file is built into the kernel module bench/cmafw_bench.ko and
 * into the native userspace benchmark selftests/userspace/bench, so both
 * replay exactly the same traces and compute the same statistics.
 *
 * A trace is a list of operations generated up front from a fixed seed:
 * allocate a slot (size in bytes, alignment) or free a slot.  The trace
 * does not depend on what a backend does with it; a free whose allocation
 * failed is skipped.  Only "measured" operations are timed and counted:
 * the ramp that first fills a region, and the final release of every
 * chunk (in address order), are not.
 *
 * Traces:
 *   camera   camera/video buffers, 64 KiB to 8 MiB, full-HD RGB frames of
 *	      6,220,800 bytes, alignments up to 1 MiB; churn around 85% fill.
 *   small    4 KiB to 64 KiB chunks, churn around 85% fill.
 *   scaling  hold 64, 256, 1024, 4096 and 16384 live chunks (one step
 *	      each, at 50% fill); time free + alloc pairs at each step.
 *	      "scaling/N" names one step alone (bench/insns.sh --steps).
 *   twodev   the seed's video decoder and camera sharing one region: the
 *	      smallest region each backend serves them in (bench_twodev.c).
 */
#include <linux/align.h>
#include <linux/array_size.h>
#include <linux/cmafw-allocator.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/sort.h>
#include <linux/stddef.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/string.h>
#include <linux/types.h>

#include "bench_engine.h"

#define BENCH_CHURN_FILL	85	/* percent, camera and small */
#define BENCH_SWEEP_FILL	50	/* percent, scaling */
#define BENCH_CAMERA_OPS	50000	/* measured operations at scale 100 */
#define BENCH_CAMERA_SEED	0xca3e2a0001ULL	/* also selftests/userspace/frag_oracle.c */
#define BENCH_SMALL_OPS		20000
#define BENCH_TWODEV_SESSIONS	200	/* per device and timeline */
#define BENCH_TWODEV_TIMELINES	8
#define BENCH_SWEEP_PAIRS	2000	/* measured free + alloc pairs */
#define BENCH_CLOCK_SAMPLES	1001
#define BENCH_GROWTH_TURN	64	/* operations per turn, P6 */
#define BENCH_SWEEP_SEED(live)	(0x5ca1e000ULL + (live))	/* per step */
#define BENCH_P1_LIVE		256
#define BENCH_P2_FROM		64
#define BENCH_P2_TO		4096
#define BENCH_P4_CHUNK_BYTES	128
/* In @dur: a measured free skipped, as its allocation had failed. */
#define BENCH_NOT_RUN		U64_MAX
/* A lane's first operations of a lockstep turn: not in its p99s. */
#define BENCH_LOCK_COLD		8

#define SZ_64K_PAGES		(0x10000 >> PAGE_SHIFT)
#define FRAME_1080P_RGB		6220800	/* 1920 * 1080 * 3 */
#define FRAME_1080P_NV12	3110400	/* 1920 * 1080 * 3 / 2 */
#define FRAME_720P_NV12		1382400	/* 1280 * 720 * 3 / 2 */

static const unsigned int bench_steps[BENCH_NR_STEPS] = {
	64, 256, 1024, 4096, 16384
};

/* ------------------------------------------------------------------ */
/* Trace generation                                                    */

/**
 * struct bench_gen - state of the generator for one trace.
 * @t:		the trace being written.
 * @rng:	random state.
 * @live:	slots of the live chunks, in no order.
 * @live_size:	their sizes in bytes, page rounded, by index in @live.
 * @nr_live:	number of live chunks.
 * @spare:	slots free for reuse (a stack).
 * @nr_spare:	entries in @spare.
 * @live_bytes:	sum of @live_size.
 */
struct bench_gen {
	struct bench_trace *t;
	u64 rng;
	u32 *live;
	u32 *live_size;
	unsigned int nr_live;
	u32 *spare;
	unsigned int nr_spare;
	u64 live_bytes;
};

static int gen_start(struct bench_gen *g, struct bench_trace *t, u64 seed,
		     unsigned int max_ops, unsigned int max_live)
{
	memset(g, 0, sizeof(*g));
	g->t = t;
	g->rng = seed;
	t->max_ops = max_ops;
	t->ops = bench_env_zalloc(sizeof(*t->ops) * max_ops);
	g->live = bench_env_zalloc(sizeof(*g->live) * max_live);
	g->live_size = bench_env_zalloc(sizeof(*g->live_size) * max_live);
	g->spare = bench_env_zalloc(sizeof(*g->spare) * max_live);
	if (!t->ops || !g->live || !g->live_size || !g->spare)
		return -ENOMEM;
	return 0;
}

static void gen_end(struct bench_gen *g)
{
	bench_env_free(g->live);
	bench_env_free(g->live_size);
	bench_env_free(g->spare);
}

static struct bench_op *gen_op(struct bench_gen *g)
{
	struct bench_trace *t = g->t;

	if (t->nr_ops >= t->max_ops)
		return NULL;
	return &t->ops[t->nr_ops++];
}

static int gen_alloc(struct bench_gen *g, u32 size, u8 align_shift,
		     bool measured)
{
	struct bench_op *op = gen_op(g);
	u32 slot;

	if (!op)
		return -ENOSPC;
	slot = g->nr_spare ? g->spare[--g->nr_spare] : g->t->nr_slots++;
	bench_op_alloc(op, slot, size, align_shift, measured);
	g->live[g->nr_live] = slot;
	g->live_size[g->nr_live] = ALIGN(size, PAGE_SIZE);
	g->live_bytes += g->live_size[g->nr_live];
	g->nr_live++;
	return 0;
}

static int gen_free_random(struct bench_gen *g, bool measured)
{
	struct bench_op *op;
	unsigned int i;

	if (!g->nr_live)
		return 0;
	op = gen_op(g);
	if (!op)
		return -ENOSPC;
	i = bench_rng_below(&g->rng, g->nr_live);
	bench_op_free(op, g->live[i], measured);
	g->spare[g->nr_spare++] = g->live[i];
	g->live_bytes -= g->live_size[i];
	g->nr_live--;
	g->live[i] = g->live[g->nr_live];
	g->live_size[i] = g->live_size[g->nr_live];
	return 0;
}

/*
 * Camera and codec buffers: full-HD RGB and NV12 frames, 720p NV12
 * frames, codec bitstream buffers of 1 to 8 MiB, and 64 to 512 KiB
 * buffers for statistics and metadata.  Frames want 1 MiB or 64 KiB
 * alignment (large mappings, codec constraints); the mean is ~3.2 MiB.
 */
static void pick_camera(u64 *rng, u32 *size, u8 *align_shift)
{
	u32 r = bench_rng_below(rng, 100);

	if (r < 25) {
		*size = FRAME_1080P_RGB;
		*align_shift = 20;
	} else if (r < 45) {
		*size = FRAME_1080P_NV12;
		*align_shift = 16;
	} else if (r < 55) {
		*size = FRAME_720P_NV12;
		*align_shift = 16;
	} else if (r < 65) {
		*size = (256 + bench_rng_below(rng, 1793)) << PAGE_SHIFT;
		*align_shift = 16;
	} else if (r < 70) {
		*size = 8 << 20;
		*align_shift = 20;
	} else {
		*size = (SZ_64K_PAGES + bench_rng_below(rng, 113)) << PAGE_SHIFT;
		*align_shift = bench_rng_below(rng, 2) ? 16 : PAGE_SHIFT;
	}
}

/* 4 KiB to 64 KiB, page aligned: mean 34 KiB. */
static void pick_small(u64 *rng, u32 *size, u8 *align_shift)
{
	*size = (1 + bench_rng_below(rng, 16)) << PAGE_SHIFT;
	*align_shift = PAGE_SHIFT;
}

/*
 * Fill the region to the target with unmeasured allocations, then churn:
 * allocate while below the target, free a random live chunk while at or
 * above it, so the fill hovers around the target.
 */
static int gen_churn(struct bench_trace *t, u64 seed, unsigned int measured,
		     void (*pick)(u64 *rng, u32 *size, u8 *align_shift))
{
	unsigned long pages = t->region >> PAGE_SHIFT;
	u64 target = div_u64((u64)t->region * BENCH_CHURN_FILL, 100);
	u64 asked = 0, nr_asked = 0;
	struct bench_gen g;
	unsigned int i;
	u8 shift;
	u32 size;
	int err;

	err = gen_start(&g, t, seed, pages + measured + 1, pages + 1);
	while (!err && g.live_bytes < target) {
		pick(&g.rng, &size, &shift);
		err = gen_alloc(&g, size, shift, false);
	}
	for (i = 0; !err && i < measured; i++) {
		if (g.live_bytes < target) {
			pick(&g.rng, &size, &shift);
			asked += size;
			nr_asked++;
			err = gen_alloc(&g, size, shift, true);
		} else {
			err = gen_free_random(&g, true);
		}
	}
	t->mean_size = nr_asked ? div64_u64(asked, nr_asked) : 0;
	gen_end(&g);
	return err;
}

/*
 * Scaling step: allocate @live chunks of random sizes averaging 50% of the
 * region, unmeasured, then @pairs measured pairs of (free a random chunk,
 * allocate a new one).  Chunk sizes shrink as @live grows so that the fill,
 * not just the count, stays the same at every step.
 */
static int gen_sweep(struct bench_trace *t, u64 seed, unsigned int live,
		     unsigned int pairs)
{
	unsigned long pages = t->region >> PAGE_SHIFT;
	unsigned long mean = div_u64((u64)pages * BENCH_SWEEP_FILL, 100) /
			     live;
	struct bench_gen g;
	unsigned int i;
	int err;

	if (mean < 2)
		return -E2BIG;
	t->live = live;
	t->mean_size = (u64)mean << PAGE_SHIFT;
	err = gen_start(&g, t, seed, live + 2 * pairs, live + 1);
	for (i = 0; !err && i < live; i++)
		err = gen_alloc(&g, (mean / 2 + bench_rng_below(&g.rng, mean + 1)) <<
				PAGE_SHIFT, PAGE_SHIFT, false);
	for (i = 0; !err && i < pairs; i++) {
		err = gen_free_random(&g, true);
		if (!err)
			err = gen_alloc(&g, (mean / 2 +
					     bench_rng_below(&g.rng, mean + 1)) <<
					PAGE_SHIFT, PAGE_SHIFT, true);
	}
	gen_end(&g);
	return err;
}

static void trace_free(struct bench_trace *t)
{
	bench_env_free(t->ops);
	t->ops = NULL;
}

/* ------------------------------------------------------------------ */
/* Backends that drive a struct cma_allocator directly                */

struct bench_ops_priv {
	const struct cma_allocator *ops;
	void *priv;
};

/**
 * bench_ops_setup() - start the allocator of @be on a region.
 * @be:		a backend whose @ops is set.
 * @base:	physical start of the region, page aligned.
 * @size:	its size in bytes, whole pages.
 *
 * Return: data for bench_ops_alloc() and friends, or an ERR_PTR().
 */
void *bench_ops_setup(const struct bench_backend *be, dma_addr_t base,
		      size_t size)
{
	struct bench_ops_priv *p = bench_env_zalloc(sizeof(*p));
	void *priv;

	if (!p)
		return ERR_PTR(-ENOMEM);
	priv = be->ops->init(base, size);
	if (IS_ERR(priv)) {
		bench_env_free(p);
		return priv;
	}
	p->ops = be->ops;
	p->priv = priv;
	return p;
}

/**
 * bench_ops_teardown() - stop an allocator started by bench_ops_setup().
 * @priv:	what bench_ops_setup() returned.
 */
void bench_ops_teardown(void *priv)
{
	struct bench_ops_priv *p = priv;

	if (p->ops->cleanup)
		p->ops->cleanup(p->priv);
	bench_env_free(p);
}

/**
 * bench_ops_alloc() - call the allocator's alloc op.
 * @priv:	what bench_ops_setup() returned.
 * @size:	bytes, whole pages.
 * @align:	a power of two, at least a page.
 * @addr:	where the address goes.
 *
 * Return: what the op returns: 0 or a negative errno.
 */
int bench_ops_alloc(void *priv, size_t size, dma_addr_t align,
		    dma_addr_t *addr)
{
	struct bench_ops_priv *p = priv;

	return p->ops->alloc(p->priv, size, align, addr);
}

/**
 * bench_ops_free() - call the allocator's free op.
 * @priv:	what bench_ops_setup() returned.
 * @addr:	a chunk from bench_ops_alloc().
 * @size:	its size.
 */
void bench_ops_free(void *priv, dma_addr_t addr, size_t size)
{
	struct bench_ops_priv *p = priv;

	p->ops->free(p->priv, addr, size);
}

/* ------------------------------------------------------------------ */
/* Replay                                                              */

/*
 * The timed calls live in their own functions so that callgrind can
 * count the instructions of measured operations alone (see
 * selftests/userspace/bench_callgrind.sh).
 */
static noinline int bench_measured_alloc(const struct bench_backend *be,
					 void *priv, size_t size,
					 dma_addr_t align, dma_addr_t *addr,
					 u64 *ticks)
{
	u64 t0 = bench_env_ticks();
	int ret = be->alloc(priv, size, align, addr);

	*ticks = bench_env_ticks() - t0;
	return ret;
}

static noinline void bench_measured_free(const struct bench_backend *be,
					 void *priv, dma_addr_t addr,
					 size_t size, u64 *ticks)
{
	u64 t0 = bench_env_ticks();

	be->free(priv, addr, size);
	*ticks = bench_env_ticks() - t0;
}

/**
 * bench_cmp_u64() - sort() comparison of two u64s, ascending.
 * @a:		one.
 * @b:		the other.
 *
 * Return: <0, 0 or >0 as @a is below, equal to or above @b.
 */
int bench_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/**
 * bench_median_u64() - sort @n values and return their median.
 * @v:		the values, sorted in place.
 * @n:		how many, at least one.
 *
 * Return: the middle value, or the mean of the two middle ones when @n is
 * even.
 */
u64 bench_median_u64(u64 *v, unsigned int n)
{
	sort(v, n, sizeof(*v), bench_cmp_u64, NULL);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int bench_cmp_s64(const void *a, const void *b)
{
	s64 x = *(const s64 *)a, y = *(const s64 *)b;

	return x < y ? -1 : x > y;
}

/* As bench_median_u64(), for signed values. */
static s64 bench_median_s64(s64 *v, unsigned int n)
{
	sort(v, n, sizeof(*v), bench_cmp_s64, NULL);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static const struct bench_slot *cmp_slots;

static int cmp_slot_addr(const void *a, const void *b)
{
	dma_addr_t x = cmp_slots[*(const u32 *)a].addr;
	dma_addr_t y = cmp_slots[*(const u32 *)b].addr;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of @n sorted values, converted to ns. */
static u64 percentile(const u64 *v, unsigned int n, unsigned int pct,
		      u64 mult)
{
	if (!n)
		return 0;
	return (v[div_u64((u64)(n - 1) * pct, 100)] * mult) >> 20;
}

int bench_work_alloc(struct bench_work *w, const struct bench_trace *t)
{
	memset(w, 0, sizeof(*w));
	w->slots = bench_env_zalloc(sizeof(*w->slots) * (t->nr_slots + 1));
	w->dur = bench_env_zalloc(sizeof(*w->dur) * (t->nr_ops + 1));
	w->cold = bench_env_zalloc(sizeof(*w->cold) * (t->nr_ops + 1));
	w->sorted = bench_env_zalloc(sizeof(*w->sorted) * (t->nr_ops + 1));
	w->order = bench_env_zalloc(sizeof(*w->order) * (t->nr_slots + 1));
	if (!w->slots || !w->dur || !w->cold || !w->sorted || !w->order)
		return -ENOMEM;
	return 0;
}

void bench_work_free(struct bench_work *w)
{
	bench_env_free(w->slots);
	bench_env_free(w->dur);
	bench_env_free(w->cold);
	bench_env_free(w->sorted);
	bench_env_free(w->order);
}

/*
 * After the replay: check that the live chunks do not overlap, find the
 * largest free extent, then release every chunk in address order.
 */
static int bench_settle(const struct bench_trace *t,
			const struct bench_backend *be, void *priv,
			dma_addr_t base, struct bench_work *w,
			struct bench_stats *st)
{
	dma_addr_t next = base, end = base + t->region;
	unsigned int i, n = 0;
	int err = 0;

	for (i = 0; i < t->nr_slots; i++)
		if (w->slots[i].live)
			w->order[n++] = i;
	cmp_slots = w->slots;
	sort(w->order, n, sizeof(*w->order), cmp_slot_addr, NULL);
	for (i = 0; i < n; i++) {
		const struct bench_slot *s = &w->slots[w->order[i]];

		if (s->addr < next) {
			bench_env_printk("!! %s/%s: chunk %#llx+%#x overlaps the one before\n",
					 t->name, be->name,
					 (unsigned long long)s->addr, s->size);
			err = -EFAULT;
		} else if (s->addr - next > st->largest_free) {
			st->largest_free = s->addr - next;
		}
		if (s->addr + s->size > next)
			next = s->addr + s->size;
	}
	if (end - next > st->largest_free && next < end)
		st->largest_free = end - next;
	st->live_end = n;
	if (be->blocks_now)
		st->blocks_end = be->blocks_now(priv);
	if (be->index_bytes_now)
		st->index_bytes_end = be->index_bytes_now(priv);

	for (i = 0; i < n; i++) {
		struct bench_slot *s = &w->slots[w->order[i]];

		be->free(priv, s->addr, s->size);
		s->live = 0;
		if (!(i % 64))
			bench_env_yield();
	}
	return err;
}

/*
 * The measured operations of @kind that ran, sorted into @w->sorted,
 * without those bench_lockstep() marked cold unless @cold.
 *
 * Return: how many.
 */
static unsigned int bench_sorted(const struct bench_trace *t,
				 struct bench_work *w, unsigned int kind,
				 bool cold)
{
	unsigned int i, n;

	for (n = 0, i = 0; i < t->nr_ops; i++)
		if (t->ops[i].measured && t->ops[i].kind == kind &&
		    w->dur[i] != BENCH_NOT_RUN && (cold || !w->cold[i]))
			w->sorted[n++] = w->dur[i];
	sort(w->sorted, n, sizeof(*w->sorted), bench_cmp_u64, NULL);
	return n;
}

static void bench_summarise(const struct bench_trace *t, struct bench_work *w,
			    struct bench_stats *st, u64 mult)
{
	unsigned int i, n;
	u64 total = 0;

	for (i = 0; i < t->nr_ops; i++)
		if (t->ops[i].measured && w->dur[i] != BENCH_NOT_RUN)
			total += w->dur[i];

	n = bench_sorted(t, w, BENCH_ALLOC, true);
	st->alloc_p50 = percentile(w->sorted, n, 50, mult);
	n = bench_sorted(t, w, BENCH_ALLOC, false);
	st->alloc_p99 = percentile(w->sorted, n, 99, mult);

	n = bench_sorted(t, w, BENCH_FREE, true);
	st->free_p50 = percentile(w->sorted, n, 50, mult);
	n = bench_sorted(t, w, BENCH_FREE, false);
	st->free_p99 = percentile(w->sorted, n, 99, mult);

	/* Scaling steps: a measured free is followed by its allocation. */
	for (n = 0, i = 0; t->live && i + 1 < t->nr_ops; i++) {
		if (t->ops[i].measured && t->ops[i].kind == BENCH_FREE &&
		    t->ops[i + 1].kind == BENCH_ALLOC &&
		    w->dur[i] != BENCH_NOT_RUN) {
			w->sorted[n++] = w->dur[i] + w->dur[i + 1];
			i++;
		}
	}
	sort(w->sorted, n, sizeof(*w->sorted), bench_cmp_u64, NULL);
	st->pair_p50 = percentile(w->sorted, n, 50, mult);

	total = (total * mult) >> 20;
	st->ops_per_s = total ? div64_u64((u64)(st->attempts + st->frees) *
					  1000000000ULL, total) : 0;
}

/*
 * Operation @i of the trace on one backend: a free of a live slot, or an
 * allocation checked for its place and alignment; timed if measured.
 */
static int bench_apply(const struct bench_trace *t,
		       const struct bench_backend *be, void *priv,
		       dma_addr_t base, unsigned int i, struct bench_work *w,
		       struct bench_stats *st, u64 *free_bytes)
{
	const struct bench_op *op = &t->ops[i];
	struct bench_slot *s = &w->slots[op->slot];
	dma_addr_t align, addr = 0;
	size_t size;
	int ret;

	if (op->kind == BENCH_FREE) {
		/* Its allocation failed: nothing to free, nothing to time. */
		if (!s->live) {
			w->dur[i] = BENCH_NOT_RUN;
			return 0;
		}
		if (op->measured) {
			bench_measured_free(be, priv, s->addr, s->size,
					    &w->dur[i]);
			st->frees++;
		} else {
			be->free(priv, s->addr, s->size);
		}
		s->live = 0;
		*free_bytes += s->size;
		return 0;
	}

	size = ALIGN((size_t)op->size, PAGE_SIZE);
	align = (dma_addr_t)1 << op->align_shift;
	if (op->measured) {
		ret = bench_measured_alloc(be, priv, size, align, &addr,
					   &w->dur[i]);
		st->attempts++;
	} else {
		ret = be->alloc(priv, size, align, &addr);
	}
	if (ret) {
		if (op->measured && size <= *free_bytes) {
			st->frag++;
			st->frag_by[(size > (1 << 20)) + (size > (4 << 20))]++;
		}
		return 0;
	}
	if (op->measured)
		st->ok++;
	if (addr < base || size > t->region || addr - base > t->region - size) {
		bench_env_printk("!! %s/%s: %#zx bytes placed at %#llx, outside the region\n",
				 t->name, be->name, size,
				 (unsigned long long)addr);
		return -EFAULT;
	}
	if (addr & (align - 1)) {
		if (!be->ignores_align) {
			bench_env_printk("!! %s/%s: %#llx is not aligned to %#llx\n",
					 t->name, be->name,
					 (unsigned long long)addr,
					 (unsigned long long)align);
			return -EFAULT;
		}
		if (op->measured)
			st->misaligned++;
	}
	s->addr = addr;
	s->size = size;
	s->live = 1;
	*free_bytes -= size;
	return 0;
}

/* Start a replay: clear @w and @st and set the backend up. */
static void *bench_replay_setup(const struct bench_trace *t,
				const struct bench_backend *be,
				dma_addr_t base, struct bench_work *w,
				struct bench_stats *st)
{
	void *priv;

	memset(st, 0, sizeof(*st));
	memset(w->slots, 0, sizeof(*w->slots) * t->nr_slots);
	memset(w->dur, 0, sizeof(*w->dur) * t->nr_ops);
	memset(w->cold, 0, sizeof(*w->cold) * t->nr_ops);
	priv = be->setup(be, base, t->region);
	if (IS_ERR(priv)) {
		bench_env_printk("!! %s/%s: setup failed: %ld\n", t->name,
				 be->name, PTR_ERR(priv));
		st->error = PTR_ERR(priv);
	}
	return priv;
}

/* End a replay: the statistics, the overlap check, the teardown. */
static int bench_replay_finish(const struct bench_trace *t,
			       const struct bench_backend *be, void *priv,
			       dma_addr_t base, struct bench_work *w,
			       struct bench_stats *st, u64 mult, int err)
{
	bench_summarise(t, w, st, mult);
	if (bench_settle(t, be, priv, base, w, st) && !err)
		err = -EFAULT;
	be->teardown(priv);
	st->error = err;
	st->ran = true;
	return err;
}

/* ns = ticks * mult >> 20, from the clocks read around a replay. */
static u64 bench_mult(u64 t0, u64 t1, u64 n0, u64 n1)
{
	return t1 > t0 ? div64_u64((n1 - n0) << 20, t1 - t0) : 1 << 20;
}

int bench_replay(const struct bench_trace *t, const struct bench_backend *be,
		 dma_addr_t base, struct bench_work *w, struct bench_stats *st)
{
	u64 free_bytes = t->region, t0, t1, n0, n1;
	unsigned int i;
	void *priv;
	int err = 0;

	priv = bench_replay_setup(t, be, base, w, st);
	if (IS_ERR(priv))
		return st->error;

	bench_env_replay_begin(t->name, be->name);
	n0 = bench_env_ns();
	t0 = bench_env_ticks();
	for (i = 0; i < t->nr_ops && !err; i++) {
		if (!(i % 16) && bench_env_yield()) {
			err = -EINTR;
			break;
		}
		err = bench_apply(t, be, priv, base, i, w, st, &free_bytes);
	}
	t1 = bench_env_ticks();
	n1 = bench_env_ns();
	bench_env_replay_end(t->name, be->name, st->attempts, st->frees);

	return bench_replay_finish(t, be, priv, base, w, st,
				   bench_mult(t0, t1, n0, n1), err);
}

/**
 * bench_lockstep() - replay @n lanes together.
 * @lane:	the lanes, at most BENCH_LOCKSTEP.
 * @n:		how many.
 * @seg:	operations a lane replays in a turn.
 * @w:		a bench_work for each lane.
 * @st:		set to each lane's statistics.
 *
 * Replay @n lanes together: each lane's unmeasured lead-in (the fill)
 * first, lane by lane, then the rest @seg operations at a time, each round
 * starting with the next lane in turn, so that all are timed over the
 * same stretch of wall time and a change in the machine's speed (a TCG
 * guest's host is often shared) reaches them alike.  With @seg 1 each
 * lane also finds the cache as the others left it; longer turns leave
 * only a turn's first operations cold.  Those, BENCH_LOCK_COLD of a lane's
 * turn when @seg is longer, are timed but left out of its p99s: under TCG
 * a lane's first operations after the other's turn are far slower than
 * the rest, and they crowd the slowest 1% that a p99 looks at
 * (BENCHMARKS.md).  Medians count every operation.  Lanes may replay the
 * same trace or different ones; lanes set up side by side must not share
 * a window if they use it.
 *
 * Return: 0, -EINTR when asked to stop, or the first lane's failure.
 */
int bench_lockstep(const struct bench_lane *lane, unsigned int n,
		   unsigned int seg, struct bench_work *w,
		   struct bench_stats *st)
{
	u64 free_bytes[BENCH_LOCKSTEP], t0, t1, n0, n1, mult;
	unsigned int pos[BENCH_LOCKSTEP], i, j, b, left;
	void *priv[BENCH_LOCKSTEP];
	int err = 0;

	for (b = 0; b < n; b++) {
		free_bytes[b] = lane[b].t->region;
		pos[b] = 0;
		priv[b] = bench_replay_setup(lane[b].t, lane[b].be,
					     lane[b].base, &w[b], &st[b]);
		if (IS_ERR(priv[b])) {
			err = st[b].error;
			while (b--)
				lane[b].be->teardown(priv[b]);
			return err;
		}
	}

	n0 = bench_env_ns();
	t0 = bench_env_ticks();
	for (b = 0; b < n && !err; b++) {
		const struct bench_trace *t = lane[b].t;

		for (; pos[b] < t->nr_ops && !t->ops[pos[b]].measured && !err;
		     pos[b]++) {
			if (!(pos[b] % 16) && bench_env_yield())
				err = -EINTR;
			else
				err = bench_apply(t, lane[b].be, priv[b],
						  lane[b].base, pos[b], &w[b],
						  &st[b], &free_bytes[b]);
		}
	}
	for (i = 0, left = n; left && !err; i++) {
		for (j = 0, left = 0; j < n && !err; j++) {
			unsigned int k;

			b = (i + j) % n;
			for (k = 0; k < seg && pos[b] < lane[b].t->nr_ops &&
			     !err; k++) {
				w[b].cold[pos[b]] = seg > BENCH_LOCK_COLD &&
						    k < BENCH_LOCK_COLD;
				err = bench_apply(lane[b].t, lane[b].be,
						  priv[b], lane[b].base,
						  pos[b]++, &w[b], &st[b],
						  &free_bytes[b]);
			}
			left += k;
		}
		/* As bench_replay(): about every 16 operations per lane. */
		if ((i + 1) * seg % 16 < seg && bench_env_yield())
			err = -EINTR;
	}
	t1 = bench_env_ticks();
	n1 = bench_env_ns();

	mult = bench_mult(t0, t1, n0, n1);
	for (b = 0; b < n; b++)
		err = bench_replay_finish(lane[b].t, lane[b].be, priv[b],
					  lane[b].base, &w[b], &st[b], mult,
					  err);
	return err;
}

/* ------------------------------------------------------------------ */
/* Tables                                                              */

/* "1.23x": @num / @den with two decimals. */
void bench_print_ratio(u64 num, u64 den, int width)
{
	u32 rem;
	u64 r;

	if (!den) {
		bench_env_printk(" %*s", width, "-");
		return;
	}
	r = div_u64_rem(div64_u64(num * 100 + den / 2, den), 100, &rem);
	bench_env_printk(" %*llu.%02ux", width - 4, (unsigned long long)r,
			 rem);
}

/* "12.34%": @num / @den in percent with two decimals. */
static void print_pct(u64 num, u64 den, int width)
{
	u64 r = den ? div64_u64(num * 10000, den) : 0;
	u32 rem;

	r = div_u64_rem(r, 100, &rem);
	bench_env_printk(" %*llu.%02u%%", width - 4, (unsigned long long)r,
			 rem);
}

static const char *be_name(const struct bench_ctx *c, int i)
{
	return c->be[i]->name;
}

static void print_churn_table(const struct bench_ctx *c,
			      const struct bench_stats *st)
{
	const struct bench_stats *ref = c->ref >= 0 ? &st[c->ref] : NULL;
	unsigned int i;

	bench_env_printk("%-11s %9s %9s %9s %9s %10s %8s %8s %5s %9s %7s\n",
			 "backend", "alloc-p50", "alloc-p99", "free-p50",
			 "free-p99", "ops/s", "success", "fragloss", "misal",
			 "maxfree", "vs-ref");
	for (i = 0; i < c->nr_be; i++) {
		const struct bench_stats *s = &st[i];

		if (!s->ran) {
			bench_env_printk("%-11s (not run: %d)\n", be_name(c, i),
					 s->error);
			continue;
		}
		bench_env_printk("%-11s %9llu %9llu %9llu %9llu %10llu",
				 be_name(c, i),
				 (unsigned long long)s->alloc_p50,
				 (unsigned long long)s->alloc_p99,
				 (unsigned long long)s->free_p50,
				 (unsigned long long)s->free_p99,
				 (unsigned long long)s->ops_per_s);
		print_pct(s->ok, s->attempts, 7);
		print_pct(s->frag, s->attempts, 7);
		bench_env_printk(" %5u %7llu K", s->misaligned,
				 (unsigned long long)(s->largest_free >> 10));
		if (ref && ref->ran)
			bench_print_ratio(s->alloc_p50 + s->free_p50,
					  ref->alloc_p50 + ref->free_p50, 7);
		else
			bench_env_printk(" %7s", "-");
		bench_env_printk("%s\n", s->error ? "  !! FAILED" : "");
	}
	bench_env_printk("(times in ns; vs-ref: alloc-p50 + free-p50 over %s's; fragloss: failures with enough free bytes, of all allocations; misal: results below their alignment; maxfree: largest free extent at the end)\n",
			 ref ? be_name(c, c->ref) : "-");
	for (i = 0; i < c->nr_be; i++)
		if (st[i].frag)
			bench_env_printk("fragloss of %-11s by request size: <=1 MiB %u, 1-4 MiB %u, >4 MiB %u\n",
					 be_name(c, i), st[i].frag_by[0],
					 st[i].frag_by[1], st[i].frag_by[2]);
}

static void print_sweep_header(const struct bench_ctx *c, const char *what)
{
	unsigned int k;

	bench_env_printk("%-24s", what);
	for (k = 0; k < BENCH_NR_STEPS; k++)
		if (c->have_sweep[k])
			bench_env_printk(" %9u", bench_steps[k]);
	bench_env_printk("\n");
}

static int step_index(unsigned int live)
{
	unsigned int k;

	for (k = 0; k < BENCH_NR_STEPS; k++)
		if (bench_steps[k] == live)
			return k;
	return -1;
}

static void print_sweep_tables(const struct bench_ctx *c)
{
	int from = step_index(BENCH_P2_FROM), to = step_index(BENCH_P2_TO);
	int last = -1, fw = -1, rt = -1, bf = -1;
	unsigned int i, k;

	for (k = 0; k < BENCH_NR_STEPS; k++)
		if (c->have_sweep[k])
			last = k;
	if (last < 0)
		return;

	print_sweep_header(c, "pair p50 ns / live:");
	for (i = 0; i < c->nr_be; i++) {
		bench_env_printk("%-24s", be_name(c, i));
		for (k = 0; k < BENCH_NR_STEPS; k++)
			if (c->have_sweep[k])
				bench_env_printk(" %9llu", (unsigned long long)
						c->sweep[k][i].pair_p50);
		bench_env_printk("\n");
	}

	if (c->ref >= 0) {
		print_sweep_header(c, "pair p50 vs ref:");
		for (i = 0; i < c->nr_be; i++) {
			bench_env_printk("%-24s", be_name(c, i));
			for (k = 0; k < BENCH_NR_STEPS; k++)
				if (c->have_sweep[k])
					bench_print_ratio(c->sweep[k][i].pair_p50,
							  c->sweep[k][c->ref].pair_p50,
							  9);
			bench_env_printk("\n");
		}
	}

	bench_env_printk("%-24s %9s %9s\n", "growth of pair p50:",
			 "4096/64", "last/64");
	for (i = 0; i < c->nr_be && from >= 0 && c->have_sweep[from]; i++) {
		bench_env_printk("%-24s", be_name(c, i));
		if (to >= 0 && c->have_sweep[to])
			bench_print_ratio(c->sweep[to][i].pair_p50,
					  c->sweep[from][i].pair_p50, 9);
		else
			bench_env_printk(" %9s", "-");
		bench_print_ratio(c->sweep[last][i].pair_p50,
				  c->sweep[from][i].pair_p50, 9);
		bench_env_printk("\n");
	}

	print_sweep_header(c, "alloc p50 / free p50 ns:");
	for (i = 0; i < c->nr_be; i++) {
		bench_env_printk("%-24s", be_name(c, i));
		for (k = 0; k < BENCH_NR_STEPS; k++) {
			char buf[24];

			if (!c->have_sweep[k])
				continue;
			snprintf(buf, sizeof(buf), "%llu/%llu",
				 (unsigned long long)c->sweep[k][i].alloc_p50,
				 (unsigned long long)c->sweep[k][i].free_p50);
			bench_env_printk(" %9s", buf);
		}
		bench_env_printk("\n");
	}

	/* Where the framework's time goes, when the pieces were run. */
	for (i = 0; i < c->nr_be; i++) {
		if (!strcmp(be_name(c, i), "fw-bestfit"))
			fw = i;
		else if (!strcmp(be_name(c, i), "rt+bestfit"))
			rt = i;
		else if (!strcmp(be_name(c, i), "bestfit"))
			bf = i;
	}
	if (bf < 0 || (fw < 0 && rt < 0))
		return;
	bench_env_printk("where the pair p50 goes (ns): placement = bestfit alone; flat list = rt+bestfit - bestfit (kmalloc + request_resource + child walk, every chunk a child of the region); framework = fw-bestfit - bestfit (all cmafw adds: locks, lookups, its chunk records)\n");
	print_sweep_header(c, "live:");
	for (i = 0; i < 3; i++) {
		static const char * const what[] = {
			"placement", "flat list", "framework",
		};
		int other = i == 1 ? rt : fw;

		if (i && other < 0)
			continue;
		bench_env_printk("%-24s", what[i]);
		for (k = 0; k < BENCH_NR_STEPS; k++) {
			long long v = c->sweep[k][bf].pair_p50;

			if (!c->have_sweep[k])
				continue;
			if (i)
				v = (long long)c->sweep[k][other].pair_p50 - v;
			bench_env_printk(" %9lld", v);
		}
		bench_env_printk("\n");
	}
}

/*
 * A pair p50 of bestfit alone less the clock's reads in its two timed
 * operations: the placement, which the differences (framework, floors)
 * are set against, as they carry no clock reads of their own.
 */
static u64 less_clock(const struct bench_ctx *c, u64 pair)
{
	return pair > 2 * c->clock_ns ? pair - 2 * c->clock_ns : pair;
}

/*
 * Step @k's placement for the ratios of P5 and the lockstep table, for
 * lane @col (0 and 1 the first pass's, 2 + f floor f's pass's).
 */
static u64 lock_placement(const struct bench_ctx *c, unsigned int k,
			  unsigned int col)
{
	return less_clock(c, col < 2 ? c->lock_pair[k][0] :
			     c->lock_floor_place[k][col - 2]);
}

/* One row of the lockstep table: lane @col's figures, or its ratios. */
static void print_lock_row(const struct bench_ctx *c, const char *what,
			   unsigned int col, bool ratio)
{
	unsigned int k;

	bench_env_printk("%-24s", what);
	for (k = 0; k < BENCH_NR_STEPS; k++) {
		s64 v = col ? c->lock_diff[k][col] : 0;

		if (!c->have_sweep[k])
			continue;
		if (!c->have_lock[k])
			bench_env_printk(" %9s", "-");
		else if (ratio)
			bench_print_ratio(v > 0 ? v : 0,
					  lock_placement(c, k, col), 9);
		else
			bench_env_printk(" %9lld", col ? (long long)v :
					 (long long)c->lock_pair[k][0]);
	}
	bench_env_printk("\n");
}

/*
 * The framework against its placement from bench_lock_run(): the two
 * timed over the same stretch of time, the fairer comparison; and the
 * floor backends' own additions, if they ran.
 */
static void print_lock_table(const struct bench_ctx *c)
{
	char what[32];
	unsigned int f, k;
	bool any = false;

	for (k = 0; k < BENCH_NR_STEPS; k++)
		any |= c->have_lock[k];
	if (!any)
		return;
	bench_env_printk("the same, with bestfit alone and fw-bestfit%s replayed together, operation by operation, so that all see the same machine (pair p50 ns; framework and floors: the median over rounds of their difference from bestfit's in the same round; the ratios' placement without the clock's reads, a floor's from its pass)\n",
			 c->nr_floors ? ", and each floor with them in a pass of its own," : "");
	for (f = 0; f < c->nr_floors; f++)
		bench_env_printk("%s = %s\n", c->floor[f]->name,
				 c->floor[f]->about);
	print_sweep_header(c, "live:");
	print_lock_row(c, "placement", 0, false);
	print_lock_row(c, "framework", 1, false);
	for (f = 0; f < c->nr_floors; f++)
		print_lock_row(c, c->floor[f]->name, 2 + f, false);
	print_lock_row(c, "framework/placement", 1, true);
	for (f = 0; f < c->nr_floors; f++) {
		snprintf(what, sizeof(what), "%s/placement",
			 c->floor[f]->name);
		print_lock_row(c, what, 2 + f, true);
	}
}

/* ------------------------------------------------------------------ */
/* Targets                                                             */

const char *bench_verdict(bool met)
{
	return met ? "met" : "MISSED";
}

/*
 * A replay that failed a check leaves partial figures, which meet
 * nothing: say so on the backend's line, and whether it did.
 */
static bool bench_failed(const char *name, const struct bench_stats *st)
{
	if (!st->error)
		return false;
	bench_env_printk("    %-11s FAILED (%d)  %s\n", name, st->error,
			 bench_verdict(false));
	return true;
}

/**
 * bench_print_p5() - the framework goal: no more than its placement costs.
 * @c:		the run, with bench_lock_run()'s figures.
 *
 * At every step, fw-bestfit less bestfit alone against bestfit alone.
 * With the floors alongside, a step where one costs more than the
 * placement is out of reach for any framework that keeps its chunks in the
 * resource tree (the floor) and serves the API as fw-bestfit is timed
 * (floor+api): each does less than such a framework must, and hangs its
 * chunks under more parents, so walks shorter, than P4's budget would
 * allow (bench_floor.c, bench_floor_api.c).  A floor counts as over only
 * if it was over the placement in every round, as each round timed them:
 * under TCG its median swings across 1.0x from one run to the next where
 * it is close.  Over in some rounds, it says in how many.  A last line
 * names the steps out of reach.
 */
void bench_print_p5(const struct bench_ctx *c)
{
	unsigned int rounds = c->params->rounds, f, k, over = 0, near = 0;

	for (k = 0; k < BENCH_NR_STEPS && !c->have_lock[k]; k++)
		;
	if (k == BENCH_NR_STEPS)
		return;
	bench_env_printk("P5: framework (fw-bestfit - bestfit, the median of the rounds' differences) <= placement (bestfit alone, less %llu ns of clock reads), pair p50, replayed together%s\n",
			 (unsigned long long)(2 * c->clock_ns),
			 c->nr_floors ? "; the floors' shares alongside" : "");
	for (k = 0; k < BENCH_NR_STEPS; k++) {
		u64 p = lock_placement(c, k, 1);
		s64 d = c->lock_diff[k][1];
		u64 fw = d > 0 ? d : 0;

		if (!c->have_lock[k])
			continue;
		bench_env_printk("    %5u live  %7llu vs %7llu ns", bench_steps[k],
				 (unsigned long long)fw, (unsigned long long)p);
		bench_print_ratio(fw, p, 7);
		bench_env_printk("  %s", bench_verdict(fw <= p));
		for (f = 0; f < c->nr_floors; f++) {
			u64 fp = lock_placement(c, k, 2 + f);
			s64 fl = c->lock_diff[k][2 + f];

			bench_env_printk("%s%s", f ? ", " : "  (",
					 c->floor[f]->name);
			bench_print_ratio(fl > 0 ? fl : 0, fp, 6);
			if (c->lock_over[k][f] >= rounds) {
				bench_env_printk(": over");
				over |= 1U << k;
			} else if (c->lock_over[k][f]) {
				bench_env_printk(": over in %u of %u rounds",
						 c->lock_over[k][f], rounds);
				near |= 1U << k;
			}
		}
		bench_env_printk("%s\n", c->nr_floors ? ")" : "");
	}
	if (!c->nr_floors)
		return;
	if (!over) {
		if (near)
			bench_env_printk("    no step out of reach: no floor is over the placement in every round\n");
		else
			bench_env_printk("    the floors are within the placement at every step\n");
		return;
	}
	bench_env_printk("    out of reach at");
	for (k = 0; k < BENCH_NR_STEPS; k++)
		if (over & (1U << k))
			bench_env_printk(" %u", bench_steps[k]);
	bench_env_printk(" live: a floor, less than a framework keeping its chunks in the resource tree (floor) and serving the API (floor+api) must do, costs more than the placement there in every round\n");
}

/* P6: growth from the first step to the last, the two replayed together. */
static void print_p6(const struct bench_ctx *c)
{
	unsigned int i;
	bool any = false;

	for (i = 0; i < c->nr_be; i++)
		any |= c->have_growth[i];
	if (!any)
		return;
	bench_env_printk("P6: pair p50 grows <= 2.00x from %u to %u live chunks, the two steps replayed together\n",
			 bench_steps[0], bench_steps[BENCH_NR_STEPS - 1]);
	for (i = 0; i < c->nr_be; i++) {
		u64 a = c->growth_pair[i][0], b = c->growth_pair[i][1];

		if (!c->have_growth[i]) {
			bench_env_printk("    %-11s not run%s\n", be_name(c, i),
					 !c->be[i]->uses_window ? "" :
					 !c->params->base2 ?
					 " (no second window)" :
					 " (its setup failed: see above)");
			continue;
		}
		bench_env_printk("    %-11s %7llu -> %7llu ns", be_name(c, i),
				 (unsigned long long)a, (unsigned long long)b);
		bench_print_ratio(b, a, 7);
		bench_env_printk("  %s\n", bench_verdict(b <= 2 * a));
	}
}

/*
 * Backend @i's line of a goal held against the reference (P1, P8): @v
 * and @ref from the paired replays (bench_paired.c) when it has them,
 * else from the table's, @av and @aref; the verdict on their ratio.
 */
static void print_vs_ref(const struct bench_ctx *c, unsigned int i,
			 const struct bench_paired *p, u64 v, u64 ref,
			 u64 av, u64 aref)
{
	if (p->error) {
		bench_env_printk("    %-11s FAILED (%d)  %s\n", be_name(c, i),
				 p->error, bench_verdict(false));
		return;
	}
	if (!p->ran) {
		v = av;
		ref = aref;
	}
	bench_env_printk("    %-11s %7llu vs %7llu ns", be_name(c, i),
			 (unsigned long long)v, (unsigned long long)ref);
	bench_print_ratio(v, ref, 7);
	bench_env_printk("  %s%s\n", bench_verdict(ref && v <= ref),
			 p->ran ? "" : "  (replayed apart)");
}

/*
 * One backend's ratio from the tables' replays, on a goal's last line,
 * which @head begins; @col names the column it comes from, if any.
 */
static void print_apart(const struct bench_ctx *c, unsigned int i,
			const char *head, bool *any, u64 v, u64 ref,
			const char *col)
{
	bench_env_printk("%s %s", *any ? "," : head, be_name(c, i));
	bench_print_ratio(v, ref, 5);
	if (col)
		bench_env_printk(" %s", col);
	*any = true;
}

#define APART_HEAD "    (replayed apart, as in the table:"

static void print_p1_p2(const struct bench_ctx *c)
{
	int p1 = step_index(BENCH_P1_LIVE);
	int from = step_index(BENCH_P2_FROM), to = step_index(BENCH_P2_TO);
	unsigned int i;

	if (p1 >= 0 && c->have_sweep[p1] && c->ref >= 0) {
		const struct bench_stats *st = c->sweep[p1];
		const struct bench_paired *row = c->paired[BENCH_PAIRED_STEP(p1)];
		/* Without the reference's figure there is nothing to meet. */
		u64 ref = st[c->ref].error ? 0 : st[c->ref].pair_p50;
		bool any = false;

		bench_env_printk("P1: at %u live chunks, alloc+free pair p50 <= 1.00x %s's, each replayed in lockstep with it\n",
				 BENCH_P1_LIVE, be_name(c, c->ref));
		for (i = 0; i < c->nr_be; i++) {
			if ((int)i == c->ref ||
			    bench_failed(be_name(c, i), &st[i]))
				continue;
			print_vs_ref(c, i, &row[i], row[i].pair_p50,
				     row[i].ref_pair_p50, st[i].pair_p50, ref);
		}
		for (i = 0; i < c->nr_be; i++)
			if ((int)i != c->ref && !st[i].error)
				print_apart(c, i, APART_HEAD, &any,
					    st[i].pair_p50, ref, NULL);
		if (any)
			bench_env_printk(")\n");
	}
	if (from >= 0 && to >= 0 && c->have_sweep[from] && c->have_sweep[to]) {
		bench_env_printk("P2: pair p50 grows <= 4.00x from %u to %u live chunks\n",
				 BENCH_P2_FROM, BENCH_P2_TO);
		for (i = 0; i < c->nr_be; i++) {
			u64 a = c->sweep[from][i].pair_p50;
			u64 b = c->sweep[to][i].pair_p50;

			if (bench_failed(be_name(c, i), &c->sweep[from][i]) ||
			    bench_failed(be_name(c, i), &c->sweep[to][i]))
				continue;
			bench_env_printk("    %-11s %7llu -> %7llu ns",
					 be_name(c, i), (unsigned long long)a,
					 (unsigned long long)b);
			bench_print_ratio(b, a, 7);
			bench_env_printk("  %s\n", bench_verdict(b <= 4 * a));
		}
	}
}

/* The allocator behind a backend's name: "fw-bitmap" and "bitmap" alike. */
static const char *placement_of(const char *name)
{
	const char *p = strpbrk(name, "-+");

	return p ? p + 1 : name;
}

/*
 * The camera trace: fragmentation loss with the alignment honoured, and
 * success at least the reference's.  The issue names the reference's
 * success as the bar even where it ignores the alignment (gen_pool's
 * best fit does): that only makes the bar higher.  Every gen_pool is
 * shown for comparison.
 */
static void print_p3(const struct bench_ctx *c)
{
	const struct bench_stats *ref = NULL;
	unsigned int i;

	if (!c->have_camera)
		return;
	for (i = 0; i < c->nr_be; i++) {
		const struct bench_stats *s = &c->camera[i];

		if (strncmp(be_name(c, i), "gp-", 3) || !s->attempts)
			continue;
		bench_env_printk("(%s: success", be_name(c, i));
		print_pct(s->ok, s->attempts, 7);
		bench_env_printk(", fragloss");
		print_pct(s->frag, s->attempts, 7);
		bench_env_printk(", %u results misaligned)\n", s->misaligned);
	}
	if (c->ref >= 0 && !c->camera[c->ref].error &&
	    c->camera[c->ref].attempts)
		ref = &c->camera[c->ref];
	if (!ref) {
		bench_env_printk("P3: camera: fragloss <= 1.00%% with the alignment honoured (no success of the reference to compare with)\n");
	} else {
		bench_env_printk("P3: camera: fragloss <= 1.00%% with the alignment honoured, and success >= %s's",
				 be_name(c, c->ref));
		print_pct(ref->ok, ref->attempts, 7);
		bench_env_printk("\n");
	}
	for (i = 0; i < c->nr_be; i++) {
		const struct bench_stats *s = &c->camera[i];
		const char *placement = placement_of(be_name(c, i));
		bool exempt = !strcmp(placement, "bestfit");
		bool frag_ok = (u64)s->frag * 100 <= s->attempts &&
			       !s->misaligned;
		bool succ_ok = ref &&
			       (u64)s->ok * ref->attempts >= (u64)ref->ok * s->attempts;

		if (!strncmp(be_name(c, i), "gp-", 3) || !s->ran)
			continue;
		if (bench_failed(be_name(c, i), s))
			continue;
		bench_env_printk("    %-11s fragloss", be_name(c, i));
		print_pct(s->frag, s->attempts, 7);
		if (s->misaligned)
			bench_env_printk(" (%u misaligned)", s->misaligned);
		bench_env_printk(" %s, success",
				 exempt ? "-" : bench_verdict(frag_ok));
		print_pct(s->ok, s->attempts, 7);
		bench_env_printk(" %s", exempt ? "-" : bench_verdict(succ_ok));
		if (exempt)
			bench_env_printk("  (not bestfit's goal, issue 15)");
		else if (!strcmp(placement, "bitmap") && !(frag_ok && succ_ok))
			bench_env_printk("  (first fit, which the issue keeps: gp-ff's placement)");
		bench_env_printk("\n");
	}
}

/* Whether row @i is a target: not a gen_pool, not the reference. */
static bool is_target(const struct bench_ctx *c, unsigned int i)
{
	return strncmp(be_name(c, i), "gp-", 3) && (int)i != c->ref;
}

/* The small trace: alloc p50 + free p50 no more than the reference's. */
static void print_p8(const struct bench_ctx *c)
{
	const struct bench_paired *row = c->paired[BENCH_PAIRED_SMALL];
	const struct bench_stats *st = c->small;
	bool any = false;
	unsigned int i;
	u64 ref;

	if (!c->have_small || c->ref < 0)
		return;
	/* Without the reference's figure there is nothing to meet. */
	ref = st[c->ref].error ? 0 : st[c->ref].alloc_p50 + st[c->ref].free_p50;
	bench_env_printk("P8: small: alloc p50 + free p50 <= 1.00x %s's, each replayed in lockstep with it\n",
			 be_name(c, c->ref));
	for (i = 0; i < c->nr_be; i++) {
		if (!is_target(c, i) || !st[i].ran)
			continue;
		/* A round that failed leaves zeros in the medians. */
		if (bench_failed(be_name(c, i), &st[i]))
			continue;
		print_vs_ref(c, i, &row[i], row[i].p50_sum, row[i].ref_p50_sum,
			     st[i].alloc_p50 + st[i].free_p50, ref);
	}
	for (i = 0; i < c->nr_be; i++)
		if (is_target(c, i) && st[i].ran && !st[i].error)
			print_apart(c, i, APART_HEAD, &any,
				    st[i].alloc_p50 + st[i].free_p50, ref, NULL);
	if (any)
		bench_env_printk(")\n");
}

/* P9's names of the scaling steps. */
static const char * const p9_steps[BENCH_NR_STEPS] = {
	"s64", "s256", "s1024", "s4096", "s16384",
};

/*
 * One trace's column of P9: whether backend @i was run on it, why it has
 * no figure (@fail) if it failed, and its figure and the reference's,
 * which is 0 if the reference failed.
 */
struct p9_col {
	const char *name;
	bool have;
	const char *fail;
	u64 v, ref;
};

/* As replayed apart, in the table of trace @st. */
static struct p9_col p9_apart(const char *name, bool have,
			      const struct bench_stats *st, unsigned int i,
			      int ref)
{
	return (struct p9_col){
		.name = name,
		.have = have && st[i].ran,
		.fail = st[i].error ? "FAILED" : NULL,
		.v = st[i].alloc_p99,
		.ref = st[ref].error ? 0 : st[ref].alloc_p99,
	};
}

/* From the paired replays of the trace (@row) unless it is NULL. */
static struct p9_col p9_stats(const char *name, bool have,
			      const struct bench_stats *st,
			      const struct bench_paired *row, unsigned int i,
			      int ref)
{
	struct p9_col col = p9_apart(name, have, st, i, ref);

	if (!row)
		return col;
	if (row[i].error) {
		col.fail = "FAILED";
	} else if (row[i].ran && !col.fail) {
		col.v = row[i].alloc_p99;
		col.ref = row[i].ref_alloc_p99;
	}
	return col;
}

/* A backend that cannot serve a timeline at the top size has no p99. */
static const char *p9_twodev_fail(const struct bench_twodev_row *row)
{
	return row->error ? "FAILED" : row->over ? "over" : NULL;
}

/*
 * What keeping chunks in the resource tree costs the scaling columns of
 * P9: the alloc p99 of fw-bestfit and of the floors (bestfit, a mutex and
 * the tree's records, and those with what the API asks) in the lockstep
 * replays, over the reference's in the scaling replays of the same run.
 * Where a floor is over 1.00x, no framework that does what it does meets
 * the column.
 */
static void print_p9_floor(const struct bench_ctx *c,
			   const char * const *steps)
{
	unsigned int j, k;
	bool any = false;

	for (k = 0; k < BENCH_NR_STEPS; k++)
		any |= c->have_lock[k] && c->have_sweep[k];
	if (!c->nr_floors || c->ref < 0 || !any)
		return;
	for (j = 1; j < 2 + c->nr_floors; j++) {
		bench_env_printk("    (%-10s",
				 j == 1 ? "fw-bestfit" : c->floor[j - 2]->name);
		for (k = 0; k < BENCH_NR_STEPS; k++) {
			if (!c->have_lock[k] || !c->have_sweep[k] ||
			    c->sweep[k][c->ref].error)
				continue;
			bench_env_printk(" %s", steps[k]);
			bench_print_ratio(c->lock_alloc_p99[k][j],
					  c->sweep[k][c->ref].alloc_p99, 5);
		}
		bench_env_printk(" in the lockstep replays)\n");
	}
}

/* Backend @i's columns of P9, paired (@paired) or as in the tables. */
static unsigned int p9_cols(const struct bench_ctx *c, unsigned int i,
			    bool paired, struct p9_col *t)
{
	const struct bench_twodev_row *td = &c->twodev[i];
	unsigned int n = 0, k;

	t[n++] = p9_stats("camera", c->have_camera, c->camera,
			  paired ? c->paired[BENCH_PAIRED_CAMERA] : NULL, i,
			  c->ref);
	t[n++] = p9_stats("small", c->have_small, c->small,
			  paired ? c->paired[BENCH_PAIRED_SMALL] : NULL, i,
			  c->ref);
	t[n++] = (struct p9_col){
		"twodev", c->have_twodev && td->ran, p9_twodev_fail(td),
		bench_twodev_p99(c, i),
		p9_twodev_fail(&c->twodev[c->ref]) ? 0 :
		bench_twodev_p99(c, c->ref) };
	if (paired && !t[n - 1].fail && td->locked)
		bench_twodev_lock_p99(c, i, &t[n - 1].v, &t[n - 1].ref);
	for (k = 0; k < BENCH_NR_STEPS; k++)
		t[n++] = p9_stats(p9_steps[k], c->have_sweep[k], c->sweep[k],
				  paired ? c->paired[BENCH_PAIRED_STEP(k)] :
				  NULL, i, c->ref);
	return n;
}

/* Backend @i's worst column as replayed apart, on P9's last line. */
static void print_p9_apart(const struct bench_ctx *c, unsigned int i,
			   bool *any)
{
	struct p9_col t[3 + BENCH_NR_STEPS];
	unsigned int n = p9_cols(c, i, false, t), k, worst = n;

	for (k = 0; k < n; k++)
		if (t[k].have && !t[k].fail && t[k].ref &&
		    (worst == n || t[k].v * t[worst].ref > t[worst].v * t[k].ref))
			worst = k;
	if (worst == n)
		return;
	print_apart(c, i, "    (replayed apart, as in the tables, the worst column of each:",
		    any, t[worst].v, t[worst].ref, t[worst].name);
}

/* Every trace timed: alloc p99 no more than the reference's. */
static void print_p9(const struct bench_ctx *c)
{
	bool any_step = false, any = false;
	unsigned int i;

	for (i = 0; i < BENCH_NR_STEPS; i++)
		any_step |= c->have_sweep[i];
	if (c->ref < 0 ||
	    !(c->have_camera || c->have_small || c->have_twodev || any_step))
		return;
	bench_env_printk("P9: alloc p99 <= %s's on every trace (camera, small, twodev, scaling at sN live), each replayed in lockstep with it\n",
			 be_name(c, c->ref));
	for (i = 0; i < c->nr_be; i++) {
		struct p9_col t[3 + BENCH_NR_STEPS];
		unsigned int n, k, shown = 0;
		bool met = true;

		if (!is_target(c, i))
			continue;
		n = p9_cols(c, i, true, t);
		bench_env_printk("    %-11s", be_name(c, i));
		for (k = 0; k < n; k++) {
			if (!t[k].have)
				continue;
			shown++;
			bench_env_printk(" %s", t[k].name);
			if (t[k].fail) {
				bench_env_printk(" %s", t[k].fail);
				met = false;
				continue;
			}
			bench_print_ratio(t[k].v, t[k].ref, 5);
			met &= t[k].ref && t[k].v <= t[k].ref;
		}
		/* A backend no trace timed has met nothing. */
		bench_env_printk("  %s\n", bench_verdict(met && shown));
	}
	for (i = 0; i < c->nr_be; i++)
		if (is_target(c, i))
			print_p9_apart(c, i, &any);
	if (any)
		bench_env_printk(")\n");
	print_p9_floor(c, p9_steps);
}

/*
 * Metadata of @m on @pages pages for the live chunks of @st, per-region
 * constants left out; index records as measured, else as counted, else
 * at worst a block a chunk.
 */
static u64 meta_bytes(const struct bench_meta *m, unsigned long pages,
		      const struct bench_backend *be,
		      const struct bench_stats *st)
{
	unsigned long blocks = st->live_end < m->nr_blocks ? st->live_end :
							    m->nr_blocks;
	u64 index;

	unsigned int i;

	if (be->blocks_now)
		blocks = st->blocks_end;
	index = be->index_bytes_now ? st->index_bytes_end :
				      (u64)blocks * m->per_block;
	/* What exists from a count of chunks on, if not measured: at worst. */
	for (i = 0; i < m->nr_lazy; i++)
		if (!(m->lazy[i].measured && be->index_bytes_now) &&
		    st->live_end >= m->lazy[i].from)
			index += m->lazy[i].bytes;
	return m->scaled + (u64)pages * m->per_page_bits / 8 +
	       (u64)st->live_end * m->per_chunk + index;
}

/*
 * Whether what exists from a count of chunks on fits the budget: at each
 * such count, all of it that exists then against what the budget leaves
 * at that count (@room bytes beside the chunks, @spare bytes a chunk).
 */
static bool lazy_fits(const struct bench_meta *m, s64 room, s64 spare)
{
	unsigned int i, j;

	for (i = 0; i < m->nr_lazy; i++) {
		s64 bytes = 0;

		for (j = 0; j < m->nr_lazy; j++)
			if (m->lazy[j].from <= m->lazy[i].from)
				bytes += m->lazy[j].bytes;
		if (bytes > room + spare * (s64)m->lazy[i].from)
			return false;
	}
	return true;
}

static void print_p4(const struct bench_ctx *c)
{
	unsigned long pages = c->params->size >> PAGE_SHIFT;
	int to = step_index(BENCH_P2_TO), last = BENCH_NR_STEPS - 1;
	unsigned int i;
	bool any = false;

	for (i = 0; i < c->nr_be; i++) {
		const struct bench_backend *be = c->be[i];
		const struct bench_stats *at[4] = { NULL, NULL, NULL, NULL };
		static const char * const where[] = {
			"camera end", "scaling/4096", "small end", "scaling/16384",
		};
		struct bench_meta m;
		size_t worst_chunk;
		unsigned int j;
		s64 room;

		if (!be->meta)
			continue;
		if (!any)
			bench_env_printk("P4: metadata <= 1 bit per page + %d B per chunk (region of %lu pages; per-region constants aside)\n",
					 BENCH_P4_CHUNK_BYTES, pages);
		any = true;
		memset(&m, 0, sizeof(m));
		be->meta(be, pages, &m);
		/*
		 * At worst every chunk bears its share of the index records
		 * (without a share, a record to each chunk), and what grows
		 * with the region is there from the fewest chunks it may be
		 * there with.
		 */
		worst_chunk = m.per_chunk;
		if (m.nr_blocks)
			worst_chunk += m.share ? m.share : m.per_block;
		room = (s64)(pages * (1 - m.per_page_bits) / 8) -
		       (s64)m.scaled;
		bench_env_printk("    %-11s %u bit/page + %zu B/chunk", be->name,
				 m.per_page_bits, m.per_chunk);
		if (m.nr_blocks)
			bench_env_printk(" + %zu B per index record in use (of %lu)",
					 m.per_block, m.nr_blocks);
		if (m.scaled)
			bench_env_printk(" + %zu B growing with the region",
					 m.scaled);
		for (j = 0; j < m.nr_lazy; j++)
			bench_env_printk(" + %zu B %s from %lu chunks",
					 m.lazy[j].bytes, m.lazy[j].what,
					 m.lazy[j].from);
		bench_env_printk(" (+ %zu B/region): worst case %zu B/chunk",
				 m.fixed, worst_chunk);
		bench_env_printk(" %s (%s)\n",
				 bench_verdict(m.per_page_bits <= 1 &&
					       worst_chunk <= BENCH_P4_CHUNK_BYTES &&
					       room >= 0 &&
					       lazy_fits(&m, room,
							 BENCH_P4_CHUNK_BYTES -
							 (s64)worst_chunk)),
				 m.how);
		if (c->have_camera)
			at[0] = &c->camera[i];
		if (to >= 0 && c->have_sweep[to])
			at[1] = &c->sweep[to][i];
		if (c->have_small)
			at[2] = &c->small[i];
		if (c->have_sweep[last])
			at[3] = &c->sweep[last][i];
		for (j = 0; j < ARRAY_SIZE(at); j++) {
			u64 used, budget;

			if (!at[j] || !at[j]->live_end)
				continue;
			if (at[j]->error) {
				bench_env_printk("      %-12s FAILED (%d)  %s\n",
						 where[j], at[j]->error,
						 bench_verdict(false));
				continue;
			}
			used = meta_bytes(&m, pages, be, at[j]);
			budget = pages / 8 +
				 (u64)at[j]->live_end * BENCH_P4_CHUNK_BYTES;
			bench_env_printk("      %-12s %5u chunks", where[j],
					 at[j]->live_end);
			if (be->blocks_now && m.nr_blocks)
				bench_env_printk(" in %4lu index records",
						 at[j]->blocks_end);
			bench_env_printk(": %7llu B, budget %7llu B",
					 (unsigned long long)used,
					 (unsigned long long)budget);
			bench_print_ratio(used, budget, 7);
			bench_env_printk("  %s\n", bench_verdict(used <= budget));
		}
	}
}

/* ------------------------------------------------------------------ */
/* Driver                                                              */

/* What reading the clock twice costs: it is part of every timed op. */
static void print_clock_overhead(struct bench_ctx *c)
{
	u64 *d = bench_env_zalloc(sizeof(*d) * BENCH_CLOCK_SAMPLES);
	u64 n0, t0, t1, mult;
	unsigned int i;

	if (!d)
		return;
	n0 = bench_env_ns();
	t0 = bench_env_ticks();
	for (i = 0; i < BENCH_CLOCK_SAMPLES; i++) {
		u64 a = bench_env_ticks();

		d[i] = bench_env_ticks() - a;
	}
	t1 = bench_env_ticks();
	mult = t1 > t0 ? div64_u64((bench_env_ns() - n0) << 20, t1 - t0) :
			 1 << 20;
	sort(d, BENCH_CLOCK_SAMPLES, sizeof(*d), bench_cmp_u64, NULL);
	c->clock_ns = percentile(d, BENCH_CLOCK_SAMPLES, 50, mult);
	bench_env_printk("clock: every timed operation includes ~%llu ns of clock reads\n",
			 (unsigned long long)c->clock_ns);
	bench_env_free(d);
}

/* Is @name in the comma-separated @list, or is @list "all"? */
static bool listed(const char *list, const char *name)
{
	size_t len = strlen(name);
	const char *p = list;

	if (!list || !strcmp(list, "all"))
		return true;
	while (*p) {
		size_t n = strcspn(p, ",");

		if (n == len && !strncmp(p, name, len))
			return true;
		p += n;
		if (*p)
			p++;
	}
	return false;
}

/* The median of the rounds' values of the u64 at @offset in the stats. */
static u64 median_of(const struct bench_stats *round, unsigned int n,
		     size_t offset)
{
	u64 v[BENCH_MAX_ROUNDS];
	unsigned int r;

	for (r = 0; r < n; r++)
		v[r] = *(const u64 *)((const char *)&round[r] + offset);
	return bench_median_u64(v, n);
}

/*
 * Replay the trace through every backend, round after round, so that a
 * burst of load on the machine hits one round and not one backend; keep
 * the median of each timing over the rounds.  Everything else is the same
 * in every round: the trace and the backends are deterministic.
 */
static int bench_trace_run(struct bench_ctx *c, struct bench_trace *t,
			   struct bench_stats *st)
{
	static const size_t timings[] = {
		offsetof(struct bench_stats, alloc_p50),
		offsetof(struct bench_stats, alloc_p99),
		offsetof(struct bench_stats, free_p50),
		offsetof(struct bench_stats, free_p99),
		offsetof(struct bench_stats, pair_p50),
		offsetof(struct bench_stats, ops_per_s),
	};
	unsigned int rounds = c->params->rounds, i, r, k;
	struct bench_work w = { NULL };
	struct bench_stats *round;
	int err;

	round = bench_env_zalloc(sizeof(*round) * BENCH_MAX_ROUNDS * c->nr_be);
	err = round ? bench_work_alloc(&w, t) : -ENOMEM;
	if (err)
		goto out;
	for (r = 0; r < rounds && !err; r++) {
		for (i = 0; i < c->nr_be; i++) {
			err = bench_replay(t, c->be[i], c->params->base, &w,
					   &round[i * BENCH_MAX_ROUNDS + r]);
			if (err == -EINTR)
				break;
			if (err)
				c->failed = err;
			err = 0;
		}
	}
	for (i = 0; !err && i < c->nr_be; i++) {
		const struct bench_stats *ri = &round[i * BENCH_MAX_ROUNDS];

		st[i] = ri[0];
		for (r = 1; r < rounds; r++)
			if (ri[r].error)
				st[i].error = ri[r].error;
		for (k = 0; k < ARRAY_SIZE(timings); k++)
			*(u64 *)((char *)&st[i] + timings[k]) =
				median_of(ri, rounds, timings[k]);
	}
out:
	bench_work_free(&w);
	bench_env_free(round);
	return err;
}

static int bench_churn(struct bench_ctx *c, const char *name, u64 seed,
		       unsigned int ops, struct bench_stats *st,
		       struct bench_paired *paired,
		       void (*pick)(u64 *rng, u32 *size, u8 *align_shift),
		       const char *what)
{
	struct bench_trace t = { .region = c->params->size };
	u64 t0 = bench_env_ns();
	int err;

	snprintf(t.name, sizeof(t.name), "%s", name);
	err = gen_churn(&t, seed, ops, pick);
	if (err) {
		bench_env_printk("!! %s: cannot generate: %d\n", name, err);
		goto out;
	}
	if (!c->params->quiet)
		bench_env_printk("\n== %s: %s; %zu MiB region, churn at ~%d%% fill, %u measured ops, median of %u rounds (seed %#llx, mean request %llu KiB)\n",
				 name, what, t.region >> 20, BENCH_CHURN_FILL,
				 ops, c->params->rounds,
				 (unsigned long long)seed,
				 (unsigned long long)(t.mean_size >> 10));
	err = bench_trace_run(c, &t, st);
	if (!err && !c->params->quiet)
		print_churn_table(c, st);
	if (!err)
		err = bench_paired_run(c, &t, paired);
	bench_env_printk("-- %s took %llu ms\n", name,
			 (unsigned long long)div_u64(bench_env_ns() - t0,
						     1000000));
out:
	trace_free(&t);
	return err;
}

static int be_index(const struct bench_ctx *c, const char *name)
{
	unsigned int i;

	for (i = 0; i < c->nr_be; i++)
		if (!strcmp(c->be[i]->name, name))
			return i;
	return -1;
}

/**
 * bench_lock_rounds() - bench_lockstep() @c->params->rounds times, and
 * each lane's medians over the rounds.
 * @c:		the run.
 * @lane:	the lanes, at most BENCH_LOCKSTEP.
 * @n:		how many.
 * @seg:	operations a lane replays in a turn.
 * @w:		a bench_work for each lane.
 * @med:	set to each lane's median pair p50.
 * @diff:	unless NULL, @diff[j] for each lane j after the first is set
 *		to the median over the rounds of its pair p50 less the first
 *		lane's in the same round: the difference of two lanes timed
 *		together, round by round, which the medians of each lane
 *		taken apart need not give.
 * @over:	unless NULL, @over[j] for each lane j after the first is set
 *		to the rounds in which that difference was over the first
 *		lane's pair p50 less the clock's reads in its two timed
 *		operations: in which the lane cost more than the first lane's
 *		placement (bench_print_p5()).
 * @p99:	unless NULL, set to each lane's median alloc p99.
 * @p50_sum:	unless NULL, set to each lane's median alloc p50 + free p50.
 *
 * Return: 0; -EINTR when asked to stop; a misplaced chunk marks the run
 * failed, ends the rounds early and is returned (nothing is set then).
 */
int bench_lock_rounds(struct bench_ctx *c, const struct bench_lane *lane,
		      unsigned int n, unsigned int seg, struct bench_work *w,
		      u64 *med, s64 *diff, u8 *over, u64 *p99, u64 *p50_sum)
{
	u64 pairs[BENCH_LOCKSTEP][BENCH_MAX_ROUNDS];
	u64 tails[BENCH_LOCKSTEP][BENCH_MAX_ROUNDS];
	u64 sums[BENCH_LOCKSTEP][BENCH_MAX_ROUNDS];
	s64 d[BENCH_MAX_ROUNDS];
	unsigned int rounds = c->params->rounds, r, j;
	struct bench_stats st[BENCH_LOCKSTEP];
	int err;

	for (r = 0; r < rounds; r++) {
		err = bench_lockstep(lane, n, seg, w, st);
		if (err == -EINTR)
			return err;
		if (err) {
			c->failed = err;
			return err;
		}
		for (j = 0; j < n; j++) {
			pairs[j][r] = st[j].pair_p50;
			tails[j][r] = st[j].alloc_p99;
			sums[j][r] = st[j].alloc_p50 + st[j].free_p50;
		}
	}
	for (j = 1; diff && j < n; j++) {
		for (r = 0; r < rounds; r++)
			d[r] = (s64)pairs[j][r] - (s64)pairs[0][r];
		diff[j] = bench_median_s64(d, rounds);
	}
	for (j = 1; over && j < n; j++)
		for (over[j] = 0, r = 0; r < rounds; r++)
			if (pairs[j][r] > pairs[0][r] + less_clock(c, pairs[0][r]))
				over[j]++;
	for (j = 0; j < n; j++) {
		med[j] = bench_median_u64(pairs[j], rounds);
		if (p99)
			p99[j] = bench_median_u64(tails[j], rounds);
		if (p50_sum)
			p50_sum[j] = bench_median_u64(sums[j], rounds);
	}
	return 0;
}

/*
 * The framework against its own placement, measured together: bestfit
 * alone and fw-bestfit through bench_lockstep(), one operation per turn,
 * the medians in @c->lock_pair[@k]; with each floor backend listed as a
 * third lane, in a pass of its own.  A fourth lane makes every lane's
 * operations colder: in one TCG guest run with both floors in one pass,
 * the floor read 1.15x, 1.00x, 0.99x, 1.39x and 2.50x of the placement
 * from 64 to 16,384 live; in two runs with a pass each, 0.82x-0.86x,
 * 0.75x-0.94x, 0.68x-0.89x, 0.98x-1.06x and 2.13x.  The first pass gives
 * the placement and the framework; each floor's figures come from its
 * pass, its placement in @c->lock_floor_place[@k].  Nothing to do unless
 * bestfit and fw-bestfit are both in the run.
 */
static int bench_lock_run(struct bench_ctx *c, struct bench_trace *t,
			  unsigned int k)
{
	int bf = be_index(c, "bestfit"), fw = be_index(c, "fw-bestfit");
	struct bench_lane lane[BENCH_LOCKSTEP];
	struct bench_work w[BENCH_LOCKSTEP] = { { NULL } };
	u64 pair[BENCH_LOCKSTEP], p99[BENCH_LOCKSTEP];
	s64 diff[BENCH_LOCKSTEP];
	u8 over[BENCH_LOCKSTEP];
	unsigned int f = 0, j, n = c->nr_floors ? 3 : 2;
	int err = 0;

	if (bf < 0 || fw < 0)
		return 0;
	for (j = 0; j < n && !err; j++) {
		lane[j].t = t;
		lane[j].base = c->params->base;
		err = bench_work_alloc(&w[j], t);
	}
	lane[0].be = c->be[bf];
	lane[1].be = c->be[fw];
	do {
		if (c->nr_floors)
			lane[2].be = c->floor[f];
		if (!err)
			err = bench_lock_rounds(c, lane, n, 1, w, pair, diff,
						over, p99, NULL);
		if (err)
			break;
		if (!f) {
			c->lock_pair[k][0] = pair[0];
			c->lock_pair[k][1] = pair[1];
			c->lock_diff[k][1] = diff[1];
			c->lock_alloc_p99[k][1] = p99[1];
		}
		if (c->nr_floors) {
			c->lock_floor_place[k][f] = pair[0];
			c->lock_pair[k][2 + f] = pair[2];
			c->lock_diff[k][2 + f] = diff[2];
			c->lock_over[k][f] = over[2];
			c->lock_alloc_p99[k][2 + f] = p99[2];
		}
	} while (++f < c->nr_floors);
	c->have_lock[k] = !err;
	for (j = 0; j < n; j++)
		bench_work_free(&w[j]);
	return err == -EINTR ? err : 0;
}

/*
 * Growth from the first scaling step to the last, each backend's two
 * steps replayed together through bench_lockstep(), in turns of
 * BENCH_GROWTH_TURN operations (so that the big step's walks do not leave
 * every operation of the small one cold), the second instance of a
 * backend that uses its window in the second window; round after round,
 * the median pair p50 of each step kept in @c->growth_pair.  Steps
 * replayed seconds apart would each catch the machine at its own speed.
 */
static int bench_growth_run(struct bench_ctx *c, unsigned int pairs,
			    int from, int last)
{
	struct bench_trace t[2] = {
		{ .region = c->params->size }, { .region = c->params->size },
	};
	struct bench_work w[2] = { { NULL } };
	int step[2] = { from, last };
	unsigned int i, j;
	int err = 0;

	for (j = 0; j < 2 && !err; j++) {
		snprintf(t[j].name, sizeof(t[j].name), "scaling/%u",
			 bench_steps[step[j]]);
		err = gen_sweep(&t[j], BENCH_SWEEP_SEED(bench_steps[step[j]]),
				bench_steps[step[j]], pairs);
		if (!err)
			err = bench_work_alloc(&w[j], &t[j]);
	}
	for (i = 0; i < c->nr_be && !err; i++) {
		const struct bench_backend *be = c->be[i];
		struct bench_lane lane[2] = {
			{ .t = &t[0], .be = be, .base = c->params->base },
			{ .t = &t[1], .be = be, .base = c->params->base },
		};

		if (be->uses_window) {
			if (!c->params->base2)
				continue;
			lane[1].base = c->params->base2;
		}
		err = bench_lock_rounds(c, lane, 2, BENCH_GROWTH_TURN, w,
					c->growth_pair[i], NULL, NULL, NULL,
					NULL);
		c->have_growth[i] = !err;
		if (err != -EINTR)
			err = 0;	/* a misplacing backend fails the run */
	}
	for (j = 0; j < 2; j++) {
		bench_work_free(&w[j]);
		trace_free(&t[j]);
	}
	return err == -EINTR ? err : 0;
}

/* Whether the scaling step of index @k is asked for: "scaling" or "scaling/N". */
static bool sweep_step_listed(const char *list, unsigned int k)
{
	char name[sizeof("scaling/") + 10];

	snprintf(name, sizeof(name), "scaling/%u", bench_steps[k]);
	return listed(list, "scaling") || listed(list, name);
}

/* Whether any scaling step is asked for. */
static bool sweep_listed(const char *list)
{
	unsigned int k;

	for (k = 0; k < BENCH_NR_STEPS; k++)
		if (sweep_step_listed(list, k))
			return true;
	return false;
}

static int bench_sweep(struct bench_ctx *c, unsigned int pairs)
{
	unsigned int k;
	int err = 0;

	if (!c->params->quiet)
		bench_env_printk("\n== scaling: hold N live chunks at %d%% fill of a %zu MiB region (sizes shrink as N grows), %u measured free+alloc pairs per step, median of %u rounds\n",
				 BENCH_SWEEP_FILL, c->params->size >> 20,
				 pairs, c->params->rounds);
	for (k = 0; k < BENCH_NR_STEPS && !err; k++) {
		struct bench_trace t = { .region = c->params->size };

		if (!sweep_step_listed(c->params->traces, k))
			continue;
		snprintf(t.name, sizeof(t.name), "scaling/%u", bench_steps[k]);
		err = gen_sweep(&t, BENCH_SWEEP_SEED(bench_steps[k]),
				bench_steps[k], pairs);
		if (err == -E2BIG) {
			bench_env_printk("-- %s: skipped, the region is too small\n",
					 t.name);
			trace_free(&t);
			err = 0;
			continue;
		}
		if (!err) {
			u64 t0 = bench_env_ns();

			c->sweep_mean[k] = t.mean_size;
			err = bench_trace_run(c, &t, c->sweep[k]);
			c->have_sweep[k] = !err;
			if (!err)
				err = bench_lock_run(c, &t, k);
			if (!err)
				err = bench_paired_run(c, &t,
						       c->paired[BENCH_PAIRED_STEP(k)]);
			bench_env_printk("-- %s took %llu ms\n", t.name,
					 (unsigned long long)
					 div_u64(bench_env_ns() - t0, 1000000));
		}
		trace_free(&t);
	}
	if (!err && c->have_sweep[0] && c->have_sweep[BENCH_NR_STEPS - 1])
		err = bench_growth_run(c, pairs, 0, BENCH_NR_STEPS - 1);
	if (!err && !c->params->quiet) {
		print_sweep_tables(c);
		print_lock_table(c);
	}
	return err;
}

static u32 scaled(const struct bench_params *p, u32 n)
{
	u64 v = div_u64((u64)n * p->scale, 100);

	return v ? v : 1;
}

/**
 * bench_run() - generate the traces, replay them and print the results.
 * @params:	what to run, in which window.
 * @backends:	the backends to replay every trace through, in table order.
 * @nr_backends: their number, at most 10.
 *
 * Prints with bench_env_printk(): one table per trace, then the targets.
 *
 * Return: 0; -EINVAL for bad parameters; -ENOMEM; -EINTR when
 * bench_env_yield() asked to stop; -EFAULT when a backend misplaced a
 * chunk (outside the region, misaligned, overlapping) or failed to set up.
 */
int bench_run(const struct bench_params *params,
	      const struct bench_backend *const *backends,
	      unsigned int nr_backends)
{
	struct bench_ctx *c;
	unsigned int i;
	int err = 0;

	if (!params->scale || params->size < (1 << 20) ||
	    !params->rounds || params->rounds > BENCH_MAX_ROUNDS ||
	    (u64)params->size >> PAGE_SHIFT > (u32)~0U ||
	    (params->base | params->size | params->base2) & (PAGE_SIZE - 1) ||
	    (params->base2 && params->base2 < params->base + params->size &&
	     params->base < params->base2 + params->size))
		return -EINVAL;
	c = bench_env_zalloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->params = params;
	c->ref = -1;
	for (i = 0; i < nr_backends; i++) {
		if (!listed(params->backends, backends[i]->name))
			continue;
		if (backends[i]->lockstep_only) {
			if (c->nr_floors == BENCH_FLOORS) {
				err = -EINVAL;
				goto out;
			}
			c->floor[c->nr_floors++] = backends[i];
			continue;
		}
		if (c->nr_be == BENCH_MAX_BACKENDS) {
			err = -EINVAL;
			goto out;
		}
		if (params->ref && !strcmp(params->ref, backends[i]->name))
			c->ref = c->nr_be;
		c->be[c->nr_be++] = backends[i];
	}
	/* Listed alone, the floors are rows of their own (bench/insns.sh). */
	if (!c->nr_be) {
		for (i = 0; i < c->nr_floors; i++)
			c->be[c->nr_be++] = c->floor[i];
		c->nr_floors = 0;
	}
	if (!c->nr_be) {
		err = -EINVAL;
		goto out;
	}
	print_clock_overhead(c);

	if (listed(params->traces, "camera")) {
		err = bench_churn(c, "camera", BENCH_CAMERA_SEED,
				  scaled(params, BENCH_CAMERA_OPS), c->camera,
				  c->paired[BENCH_PAIRED_CAMERA], pick_camera,
				  "camera/video mix, 64 KiB-8 MiB incl. 6,220,800-byte frames, align 4 KiB-1 MiB");
		c->have_camera = !err;
	}
	if (!err && listed(params->traces, "small")) {
		err = bench_churn(c, "small", 0x5a11c4c0001ULL,
				  scaled(params, BENCH_SMALL_OPS), c->small,
				  c->paired[BENCH_PAIRED_SMALL], pick_small,
				  "small chunks, 4-64 KiB, page aligned");
		c->have_small = !err;
	}
	if (!err && sweep_listed(params->traces))
		err = bench_sweep(c, scaled(params, BENCH_SWEEP_PAIRS));
	if (!err && listed(params->traces, "twodev"))
		err = bench_twodev(c, scaled(params, BENCH_TWODEV_SESSIONS),
				   BENCH_TWODEV_TIMELINES);
	if (err)
		goto out;

	bench_env_printk("\n== targets (ref %s)\n",
			 c->ref >= 0 ? be_name(c, c->ref) : "none");
	print_p1_p2(c);
	print_p3(c);
	print_p4(c);
	bench_print_p5(c);
	print_p6(c);
	bench_print_p7(c);
	print_p8(c);
	print_p9(c);
	err = c->failed;
out:
	bench_env_free(c);
	return err;
}
