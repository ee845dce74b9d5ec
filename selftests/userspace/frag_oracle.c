// SPDX-License-Identifier: GPL-2.0
/*
 * How far placement alone can take the camera trace: the benchmark's own
 * camera trace (bench/bench_core.c, same generator, same seed) replayed
 * through placements that know the future, next to segfit.
 *
 *   make -C selftests/userspace frag-oracle
 *
 * The replay counts like the benchmark: of the measured allocations, the
 * failures while at least as many bytes were free ("fragloss"), and the
 * successes.  The placements:
 *
 *   segfit      kernel/alloc_segfit.c itself, over the shim: the check that
 *               this replay counts as the benchmark does.
 *   neighbour   clairvoyant: at either end of any hole that holds the
 *               chunk, against the neighbour (a chunk, or the region's
 *               edge, which never goes) that is freed closest in time to
 *               the chunk itself, so that holes open together.
 *   rollout     clairvoyant: a request above 512 KiB tries both ends of
 *               the 8 smallest holes that hold it and keeps the one after
 *               which the next 150 operations of the real trace, placed
 *               by a plain rule (smallest hole, 2 MiB and up at its top),
 *               fail least; smaller ones take the lowest hole.
 *
 * Neither clairvoyant placement is optimal, so what they reach is an upper
 * bound on the best a non-moving placement can do, not a lower one.  The
 * trace frees a uniformly random live chunk, so an allocator that does not
 * know the future has nothing to tell which neighbours go together.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../bench/bench_core.c"
#include "alloc.h"

/* The engine's environment, as little as the generator needs. */
void *bench_env_zalloc(size_t size)
{
	return calloc(1, size ? size : 1);
}

void bench_env_free(void *ptr)
{
	free(ptr);
}

u64 bench_env_ns(void)
{
	return 0;
}

u64 bench_env_ticks(void)
{
	return 0;
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

void bench_env_replay_begin(const char *trace, const char *backend)
{
	(void)trace;
	(void)backend;
}

void bench_env_replay_end(const char *trace, const char *backend,
			  unsigned int nr_alloc, unsigned int nr_free)
{
	(void)trace;
	(void)backend;
	(void)nr_alloc;
	(void)nr_free;
}

#define NEVER		(~0UL)
#define MAX_LIVE	4096
#define ROLL_OPS	150
#define ROLL_HOLES	8
#define MIB_PAGES	((1UL << 20) >> PAGE_SHIFT)
/* Where the native benchmark puts the region (1 GiB: alignment as 0). */
#define BASE		0x40000000UL

/* A live chunk of the layout; @gone: index of the op that frees it. */
struct piece {
	unsigned long pfn;
	unsigned long pages;
	unsigned int slot;
	unsigned long gone;
};

struct layout {
	struct piece p[MAX_LIVE];
	unsigned int n;
	unsigned long pages;
};

static const struct bench_trace *trace;
static unsigned long *gone_at;	/* per alloc op: the op freeing it */

static unsigned long gap_start(const struct layout *l, unsigned int i)
{
	return i ? l->p[i - 1].pfn + l->p[i - 1].pages : 0;
}

static unsigned long gap_end(const struct layout *l, unsigned int i)
{
	return i < l->n ? l->p[i].pfn : l->pages;
}

/* Gap i lies below piece i; gap n is the top of the region. */
static bool gap_fit(const struct layout *l, unsigned int i, unsigned long nr,
		    unsigned long align, bool top, unsigned long *pfn)
{
	unsigned long s = gap_start(l, i), e = gap_end(l, i);
	unsigned long first = ALIGN(s, align);

	if (e - s < nr || first > e - nr)
		return false;
	*pfn = top ? ALIGN_DOWN(e - nr, align) : first;
	return true;
}

static void insert(struct layout *l, unsigned long pfn, unsigned long nr,
		   unsigned int slot, unsigned long gone)
{
	unsigned int i = l->n;

	while (i && l->p[i - 1].pfn > pfn) {
		l->p[i] = l->p[i - 1];
		i--;
	}
	l->p[i] = (struct piece){ pfn, nr, slot, gone };
	l->n++;
}

static bool drop(struct layout *l, unsigned int slot)
{
	unsigned int i;

	for (i = 0; i < l->n; i++) {
		if (l->p[i].slot != slot)
			continue;
		memmove(&l->p[i], &l->p[i + 1], (l->n - i - 1) * sizeof(l->p[0]));
		l->n--;
		return true;
	}
	return false;
}

/* The plain rule of the rollouts: smallest gap, 2 MiB and up at the top. */
static bool place_plain(const struct layout *l, unsigned long nr,
			unsigned long align, unsigned long *pfn)
{
	unsigned long best = NEVER, at;
	unsigned int i;

	for (i = 0; i <= l->n; i++) {
		unsigned long len = gap_end(l, i) - gap_start(l, i);

		if (len < best && gap_fit(l, i, nr, align, nr >= 2 * MIB_PAGES,
					  &at)) {
			best = len;
			*pfn = at;
		}
	}
	return best != NEVER;
}

static bool place_lowest(const struct layout *l, unsigned long nr,
			 unsigned long align, unsigned long *pfn)
{
	unsigned int i;

	for (i = 0; i <= l->n; i++)
		if (gap_fit(l, i, nr, align, false, pfn))
			return true;
	return false;
}

static unsigned long distance(unsigned long a, unsigned long b)
{
	if (a == NEVER || b == NEVER)
		return a == b ? 0 : NEVER - 1;
	return a > b ? a - b : b - a;
}

static bool place_neighbour(const struct layout *l, unsigned long nr,
			    unsigned long align, unsigned long gone,
			    unsigned long *pfn)
{
	unsigned long best = NEVER, best_len = 0, at;
	unsigned int i, end;

	for (i = 0; i <= l->n; i++) {
		unsigned long len = gap_end(l, i) - gap_start(l, i);

		for (end = 0; end < 2; end++) {
			unsigned long d;

			if (!gap_fit(l, i, nr, align, end, &at))
				continue;
			/* Bottom: against piece i - 1; top: against piece i. */
			if (end)
				d = distance(i < l->n ? l->p[i].gone : NEVER,
					     gone);
			else
				d = distance(i ? l->p[i - 1].gone : NEVER, gone);
			if (best == NEVER || d < best ||
			    (d == best && len < best_len)) {
				best = d;
				best_len = len;
				*pfn = at;
			}
		}
	}
	return best != NEVER;
}

/* Failures over the next ROLL_OPS ops after op @from, from layout @l. */
static unsigned int roll(const struct layout *start, unsigned int from)
{
	static struct layout l;
	unsigned int i, fails = 0;
	unsigned long used = 0, pfn;

	l = *start;
	for (i = 0; i < l.n; i++)
		used += l.p[i].pages;
	for (i = from + 1; i < trace->nr_ops && i <= from + ROLL_OPS; i++) {
		const struct bench_op *op = &trace->ops[i];
		unsigned long nr = ALIGN(op->size, PAGE_SIZE) >> PAGE_SHIFT;

		if (op->kind == BENCH_FREE) {
			unsigned int k;

			for (k = 0; k < l.n; k++)
				if (l.p[k].slot == op->slot)
					break;
			if (k < l.n) {
				used -= l.p[k].pages;
				drop(&l, op->slot);
			}
			continue;
		}
		if (!place_plain(&l, nr, 1UL << (op->align_shift - PAGE_SHIFT),
				 &pfn)) {
			fails += nr <= l.pages - used;
			continue;
		}
		insert(&l, pfn, nr, op->slot, NEVER);
		used += nr;
	}
	return fails;
}

static bool place_rollout(const struct layout *l, unsigned int at_op,
			  unsigned long nr, unsigned long align,
			  unsigned long *pfn)
{
	static struct layout trial;
	unsigned int i, k, end, tried = 0, best = ~0U;
	unsigned long prev_len = 0, prev_start = 0, at;

	if (nr <= MIB_PAGES / 2)
		return place_lowest(l, nr, align, pfn);
	/* The ROLL_HOLES smallest gaps that hold it, in (size, address). */
	for (k = 0; k < ROLL_HOLES; k++) {
		unsigned long len = NEVER, s = 0;
		int pick = -1;

		for (i = 0; i <= l->n; i++) {
			unsigned long gl = gap_end(l, i) - gap_start(l, i);
			unsigned long gs = gap_start(l, i);

			if (k && (gl < prev_len ||
				  (gl == prev_len && gs <= prev_start)))
				continue;
			if ((gl < len || (gl == len && gs < s)) &&
			    gap_fit(l, i, nr, align, false, &at)) {
				len = gl;
				s = gs;
				pick = i;
			}
		}
		if (pick < 0)
			break;
		prev_len = len;
		prev_start = s;
		for (end = 0; end < 2; end++) {
			unsigned int f;

			gap_fit(l, pick, nr, align, !end, &at);
			trial = *l;
			insert(&trial, at, nr, ~0U, NEVER);
			f = roll(&trial, at_op);
			tried++;
			if (f < best) {
				best = f;
				*pfn = at;
			}
		}
	}
	return tried;
}

enum policy { SEGFIT, NEIGHBOUR, ROLLOUT };
static const char *const policy_names[] = { "segfit", "neighbour", "rollout" };

static void replay(enum policy pol)
{
	static struct layout l;
	void *seg = NULL;
	unsigned long free_pages, nr, pfn, align;
	unsigned int i, attempts = 0, ok = 0, frag = 0;
	dma_addr_t addr;
	bool *live = calloc(trace->nr_slots, sizeof(*live));
	unsigned long *size = calloc(trace->nr_slots, sizeof(*size));
	unsigned long *where = calloc(trace->nr_slots, sizeof(*where));

	memset(&l, 0, sizeof(l));
	l.pages = trace->region >> PAGE_SHIFT;
	free_pages = l.pages;
	if (pol == SEGFIT)
		seg = cmafw_segfit_allocator.init(BASE, trace->region);
	for (i = 0; i < trace->nr_ops; i++) {
		const struct bench_op *op = &trace->ops[i];
		bool placed;

		if (op->kind == BENCH_FREE) {
			if (!live[op->slot])
				continue;
			if (seg)
				cmafw_segfit_allocator.free(seg,
					BASE + (where[op->slot] << PAGE_SHIFT),
					size[op->slot] << PAGE_SHIFT);
			drop(&l, op->slot);
			live[op->slot] = false;
			free_pages += size[op->slot];
			continue;
		}
		nr = ALIGN(op->size, PAGE_SIZE) >> PAGE_SHIFT;
		align = 1UL << (op->align_shift - PAGE_SHIFT);
		switch (pol) {
		case SEGFIT:
			placed = !cmafw_segfit_allocator.alloc(seg,
					nr << PAGE_SHIFT, align << PAGE_SHIFT,
					&addr);
			pfn = (addr - BASE) >> PAGE_SHIFT;
			break;
		case NEIGHBOUR:
			placed = place_neighbour(&l, nr, align, gone_at[i],
						 &pfn);
			break;
		default:
			placed = place_rollout(&l, i, nr, align, &pfn);
			break;
		}
		attempts += op->measured;
		if (!placed) {
			frag += op->measured && nr <= free_pages;
			continue;
		}
		ok += op->measured;
		insert(&l, pfn, nr, op->slot, gone_at[i]);
		live[op->slot] = true;
		size[op->slot] = nr;
		where[op->slot] = pfn;
		free_pages -= nr;
	}
	if (seg)
		cmafw_segfit_allocator.cleanup(seg);
	printf("%-10s success %6.2f%%  fragloss %5.2f%%  (%u of %u)\n",
	       policy_names[pol], 100.0 * ok / attempts,
	       100.0 * frag / attempts, frag, attempts);
	free(live);
	free(size);
	free(where);
}

int main(void)
{
	static struct bench_trace t = { .name = "camera", .region = 256 << 20 };
	unsigned long *last;
	unsigned int i;

	if (gen_churn(&t, BENCH_CAMERA_SEED, BENCH_CAMERA_OPS, pick_camera))
		return 1;
	trace = &t;
	gone_at = calloc(t.nr_ops, sizeof(*gone_at));
	last = calloc(t.nr_slots, sizeof(*last));
	for (i = 0; i < t.nr_ops; i++) {
		gone_at[i] = NEVER;
		if (t.ops[i].kind == BENCH_FREE)
			gone_at[last[t.ops[i].slot]] = i;
		else
			last[t.ops[i].slot] = i;
	}
	printf("camera trace: seed %#llx, %u ops, 256 MiB\n",
	       (unsigned long long)BENCH_CAMERA_SEED, t.nr_ops);
	printf("fragloss: failures with enough free bytes, of all allocations\n");
	replay(SEGFIT);
	replay(NEIGHBOUR);
	replay(ROLLOUT);
	free(last);
	free(gone_at);
	trace_free(&t);
	return 0;
}
