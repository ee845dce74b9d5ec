// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the benchmark engine (bench/bench_core.c, the very file
 * cmafw_bench.ko is built from): the order in which bench_lockstep()
 * replays its lanes, the operations it leaves out of the p99s, and what
 * the medians still count.  The goals P1, P5, P8 and P9 are read off
 * these figures, so they are checked here against a scripted backend on
 * a scripted clock, where every operation's time is known.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/err.h>
#include <linux/errno.h>
#include <linux/mm.h>

#include "bench_engine.h"
#include "test.h"

/*
 * The clock, ticks and ns alike, moved only by the scripted backend; the
 * rest of the engine's environment is bench_env_plain.c.
 */
static u64 now;

u64 bench_env_ticks(void)
{
	return now;
}

u64 bench_env_ns(void)
{
	return now;
}

#define FILL		10	/* unmeasured allocations first */
#define PAIRS		60	/* then measured alloc+free pairs */
#define NR_OPS		(FILL + 2 * PAIRS)
#define FAST		100
#define SLOW		5000
#define MAX_LOG		(2 * NR_OPS + 2 * FILL)

/*
 * The scripted backend: a bump allocator in its window.  Each operation
 * logs its lane and moves the clock by FAST, but an allocation by SLOW
 * when it is among the first @slow_first measured operations of a turn of
 * @turn (a lane's operations counted from its first measured one).
 */
struct script {
	unsigned int lane;
	dma_addr_t next;
	unsigned int ops;
	u64 extra;
};

static unsigned int op_log[MAX_LOG], nr_logged;
static unsigned int turn = 1, slow_first;
/* What lane 1's operations cost more than FAST, round by round. */
static u64 lane1_extra[5];
static unsigned int lane1_rounds;

static void *script_setup(const struct bench_backend *be, dma_addr_t base,
			  size_t size)
{
	struct script *s = calloc(1, sizeof(*s));

	(void)size;
	if (!s)
		return ERR_PTR(-ENOMEM);
	s->lane = (unsigned int)(unsigned long)be->data;
	s->next = base;
	if (s->lane == 1)
		s->extra = lane1_extra[lane1_rounds++ % 5];
	return s;
}

static void script_teardown(void *priv)
{
	free(priv);
}

static void script_op(struct script *s, bool alloc)
{
	unsigned int i = s->ops++;

	if (nr_logged < MAX_LOG)
		op_log[nr_logged++] = s->lane;
	now += s->extra + (alloc && i >= FILL && (i - FILL) % turn < slow_first ?
			   SLOW : FAST);
}

static int script_alloc(void *priv, size_t size, dma_addr_t align,
			dma_addr_t *addr)
{
	struct script *s = priv;

	(void)align;
	script_op(s, true);
	*addr = s->next;
	s->next += size;
	return 0;
}

static void script_free(void *priv, dma_addr_t addr, size_t size)
{
	(void)addr;
	(void)size;
	script_op(priv, false);
}

static const struct bench_backend lane_be[2] = {
	{ .name = "lane0", .setup = script_setup, .teardown = script_teardown,
	  .alloc = script_alloc, .free = script_free, .data = (void *)0UL },
	{ .name = "lane1", .setup = script_setup, .teardown = script_teardown,
	  .alloc = script_alloc, .free = script_free, .data = (void *)1UL },
};

static struct bench_op ops[NR_OPS];
static const struct bench_trace trace = {
	.name = "script", .region = 4 << 20, .ops = ops, .nr_ops = NR_OPS,
	.max_ops = NR_OPS, .nr_slots = FILL + PAIRS,
};

/*
 * A scaling step's shape, whose pairs P5 reads: FILL live chunks, then
 * PAIRS measured frees, each followed by an allocation.
 */
static struct bench_op step_ops[NR_OPS];
static const struct bench_trace step = {
	.name = "script-step", .live = FILL, .region = 4 << 20,
	.ops = step_ops, .nr_ops = NR_OPS, .max_ops = NR_OPS,
	.nr_slots = FILL + PAIRS,
};

static void trace_init(void)
{
	unsigned int i;

	for (i = 0; i < FILL; i++)
		bench_op_alloc(&step_ops[i], i, PAGE_SIZE, PAGE_SHIFT, false);
	for (i = 0; i < PAIRS; i++) {
		bench_op_free(&step_ops[FILL + 2 * i], i, true);
		bench_op_alloc(&step_ops[FILL + 2 * i + 1], FILL + i,
			       PAGE_SIZE, PAGE_SHIFT, true);
	}

	for (i = 0; i < FILL; i++)
		bench_op_alloc(&ops[i], i, PAGE_SIZE, PAGE_SHIFT, false);
	for (i = 0; i < PAIRS; i++) {
		bench_op_alloc(&ops[FILL + 2 * i], FILL + i, PAGE_SIZE,
			       PAGE_SHIFT, true);
		bench_op_free(&ops[FILL + 2 * i + 1], FILL + i, true);
	}
}

/* Replay @n lanes in turns of @seg; @slow_first: see struct script. */
static int replay(unsigned int n, unsigned int seg, unsigned int slow,
		  struct bench_work *w, struct bench_stats *st)
{
	const struct bench_lane lane[2] = {
		{ .t = &trace, .be = &lane_be[0], .base = 1 << 30 },
		{ .t = &trace, .be = &lane_be[1], .base = 2U << 30 },
	};

	nr_logged = 0;
	turn = seg;
	slow_first = slow;
	return bench_lockstep(lane, n, seg, w, st);
}

/* Each lane's fill, lane by lane, then turns of @seg, rounds rotating. */
static void test_lockstep_order(struct bench_work *w)
{
	unsigned int expect[MAX_LOG], n = 0, pos[2] = { FILL, FILL };
	unsigned int i, j, b, k, seg = 16;
	struct bench_stats st[2];
	int err;

	test_begin();
	err = replay(2, seg, 0, w, st);
	EXPECTF(!err, "bench_lockstep() returned %d", err);
	for (b = 0; b < 2; b++)
		for (i = 0; i < FILL; i++)
			expect[n++] = b;
	for (i = 0; pos[0] < NR_OPS || pos[1] < NR_OPS; i++)
		for (j = 0; j < 2; j++) {
			b = (i + j) % 2;
			for (k = 0; k < seg && pos[b] < NR_OPS; k++, pos[b]++)
				expect[n++] = b;
		}
	EXPECT(nr_logged >= n);
	for (i = 0; i < n && i < nr_logged; i++)
		if (!EXPECTF(op_log[i] == expect[i],
			     "operation %u ran on lane %u, not %u", i,
			     op_log[i], expect[i]))
			break;
	for (b = 0; b < 2; b++) {
		EXPECTF(st[b].attempts == PAIRS && st[b].ok == PAIRS &&
			st[b].frees == PAIRS,
			"lane %u: %u allocations, %u placed, %u frees", b,
			st[b].attempts, st[b].ok, st[b].frees);
		EXPECTF(st[b].alloc_p50 == FAST && st[b].alloc_p99 == FAST,
			"lane %u: alloc p50 %llu, p99 %llu", b,
			(unsigned long long)st[b].alloc_p50,
			(unsigned long long)st[b].alloc_p99);
	}
	test_end("lockstep order: fills first, then turns of 16, lanes taking turns to lead");
}

/* Which operations a replay in turns of @seg marks cold. */
static void test_lockstep_cold(struct bench_work *w, unsigned int seg)
{
	unsigned int i, k, nr_cold = 0;
	struct bench_stats st;
	int err;

	test_begin();
	err = replay(1, seg, 0, w, &st);
	EXPECTF(!err, "bench_lockstep() returned %d", err);
	for (i = 0; i < FILL; i++)
		EXPECTF(!w->cold[i], "fill operation %u marked cold", i);
	for (i = FILL; i < NR_OPS; i++) {
		k = (i - FILL) % seg;
		nr_cold += w->cold[i];
		EXPECTF(w->cold[i] == (seg > 8 && k < 8),
			"operation %u, %u of its turn of %u: cold %u", i, k,
			seg, w->cold[i]);
	}
	test_end("lockstep turns of %u: %u cold, each turn's first 8 when longer",
		 seg, nr_cold);
}

/*
 * Allocations slow at the start of each turn: left out of the p99s when
 * marked cold, counted by the medians whether marked or not.  The frees,
 * never slow, read FAST throughout.
 */
static void test_lockstep_p99(struct bench_work *w, unsigned int seg,
			      unsigned int slow, u64 p50, u64 p99)
{
	struct bench_stats st;
	int err;

	test_begin();
	err = replay(1, seg, slow, w, &st);
	EXPECTF(!err, "bench_lockstep() returned %d", err);
	EXPECTF(st.alloc_p50 == p50 && st.alloc_p99 == p99,
		"alloc p50 %llu (want %llu), p99 %llu (want %llu)",
		(unsigned long long)st.alloc_p50, (unsigned long long)p50,
		(unsigned long long)st.alloc_p99, (unsigned long long)p99);
	EXPECTF(st.free_p50 == FAST && st.free_p99 == FAST,
		"free p50 %llu, p99 %llu (want %u)",
		(unsigned long long)st.free_p50,
		(unsigned long long)st.free_p99, FAST);
	test_end("lockstep turns of %u, first %u slow: p50 %llu ns, p99 %llu ns",
		 seg, slow, (unsigned long long)p50, (unsigned long long)p99);
}

/*
 * The rounds in which lane 1 cost more than lane 0's placement, as
 * bench_lock_rounds() counts them for P5: lane 0's pairs cost 2 * FAST,
 * less the clock's reads (@clock each, two a pair); lane 1's as much plus
 * twice @extra[r] in round r.
 */
static void test_lock_over(struct bench_work *w, u64 clock,
			   const u64 extra[5], unsigned int expect)
{
	static const struct bench_params params = { .rounds = 5 };
	static struct bench_ctx c;
	const struct bench_lane lane[2] = {
		{ .t = &step, .be = &lane_be[0], .base = 1 << 30 },
		{ .t = &step, .be = &lane_be[1], .base = 2U << 30 },
	};
	u64 med[2];
	s64 diff[2];
	u8 over[2] = { 0, 0xff };
	int err;

	test_begin();
	memset(&c, 0, sizeof(c));
	c.params = &params;
	c.clock_ns = clock;
	memcpy(lane1_extra, extra, sizeof(lane1_extra));
	lane1_rounds = 0;
	turn = 16;
	slow_first = 0;
	err = bench_lock_rounds(&c, lane, 2, 16, w, med, diff, over, NULL,
				NULL);
	memset(lane1_extra, 0, sizeof(lane1_extra));
	EXPECTF(!err, "bench_lock_rounds() returned %d", err);
	EXPECTF(lane1_rounds == 5, "lane 1 set up %u times, not 5",
		lane1_rounds);
	EXPECTF(med[0] == 2 * FAST, "lane 0's pair p50 %llu, not %u",
		(unsigned long long)med[0], 2 * FAST);
	EXPECTF(over[1] == expect, "over in %u rounds, not %u", over[1],
		expect);
	test_end("lockstep rounds over the placement, clock reads %llu ns: %u of 5",
		 (unsigned long long)clock, expect);
}

/*
 * P5's verdicts and the steps it calls out of reach, from made-up figures:
 * the placement costs 1,000 ns a pair at every step, the framework 2,000,
 * and the first @nr_floors of the floors @floors[f][k] are alongside; the
 * second floor's own pass timed the placement at @place2.  Of five rounds,
 * a floor whose median is over the placement was over it in @over_rounds,
 * one under it in none.
 */
static void print_p5(void *arg)
{
	bench_print_p5(arg);
}

static void test_p5(const s64 floors[][BENCH_NR_STEPS], unsigned int nr_floors,
		    u64 place2, unsigned int over_rounds, const char *expect,
		    const char *what)
{
	static const struct bench_backend floor_be[BENCH_FLOORS] = {
		{ .name = "floor" }, { .name = "floor+api" },
	};
	static const struct bench_params params = { .rounds = 5 };
	static struct bench_ctx c;
	static char out[4096];
	unsigned int f, k, n = 0;
	const char *p;

	test_begin();
	memset(&c, 0, sizeof(c));
	c.params = &params;
	c.nr_floors = nr_floors;
	for (f = 0; f < nr_floors; f++)
		c.floor[f] = &floor_be[f];
	for (k = 0; k < BENCH_NR_STEPS; k++) {
		c.have_lock[k] = true;
		c.lock_pair[k][0] = 1000;
		c.lock_diff[k][1] = 2000;
		for (f = 0; f < nr_floors; f++) {
			c.lock_floor_place[k][f] = f ? place2 : 1000;
			c.lock_diff[k][2 + f] = floors[f][k];
			if ((u64)floors[f][k] > c.lock_floor_place[k][f])
				c.lock_over[k][f] = over_rounds;
		}
	}
	capture_stdout(print_p5, &c, out, sizeof(out));
	for (p = out; (p = strstr(p, "MISSED")); p++)
		n++;
	EXPECTF(n == BENCH_NR_STEPS, "%u steps MISSED, not %u:\n%s", n,
		BENCH_NR_STEPS, out);
	EXPECTF(strstr(out, expect) != NULL, "no \"%s\" in:\n%s", expect,
		out);
	/*
	 * A step is over when any floor is, in every round; each floor over
	 * says so, and one over in some rounds says in how many.
	 */
	for (f = 0, n = 0; f < nr_floors; f++)
		for (k = 0; k < BENCH_NR_STEPS; k++)
			n += (u64)floors[f][k] > (f ? place2 : 1000);
	for (p = out; (p = strstr(p, over_rounds == 5 ? "x: over" :
				  "x: over in 3 of 5 rounds")); p++)
		n--;
	EXPECTF(!n, "the floors marked over are not those over the placement:\n%s",
		out);
	if (over_rounds < 5)
		EXPECTF(!strstr(out, "out of reach at"),
			"out of reach with no floor over in every round:\n%s",
			out);
	if (!nr_floors)
		EXPECTF(!strstr(out, "floor"), "a floor without one:\n%s", out);
	test_end("P5: %s", what);
}

int main(void)
{
#define RISING	{ 600, 700, 1000, 1100, 2200 }
#define UNDER	{ 600, 700, 800, 900, 1000 }
	static const s64 rising_under[][BENCH_NR_STEPS] = { RISING, UNDER };
	static const s64 under_under[][BENCH_NR_STEPS] = { UNDER, UNDER };
	static const s64 under_rising[][BENCH_NR_STEPS] = { UNDER, RISING };
	static const s64 rising_rising[][BENCH_NR_STEPS] = { RISING, RISING };
	static const u64 over_at_0[5] = { 150, 50, 150, 150, 100 };
	static const u64 over_at_20[5] = { 90, 80, 79, 100, 0 };
	struct bench_work w[2];
	int b;

	trace_init();
	for (b = 0; b < 2; b++)
		if (bench_work_alloc(&w[b], &trace)) {
			fprintf(stderr, "out of memory\n");
			return 2;
		}

	test_lockstep_order(w);
	test_lockstep_cold(w, 16);
	test_lockstep_cold(w, 8);
	test_lockstep_cold(w, 1);
	/* A turn's first operation slow: 1 in 8 allocations, all cold. */
	test_lockstep_p99(w, 16, 1, FAST, FAST);
	/* Turns of 8 mark nothing, so 1 in 4 allocations counts slow. */
	test_lockstep_p99(w, 8, 1, FAST, SLOW);
	/* Two thirds slow and cold: the medians count them, the p99s not. */
	test_lockstep_p99(w, 12, 8, SLOW, FAST);
	/* The first 9 of 16 slow: the ninth is not cold; the p99s see it. */
	test_lockstep_p99(w, 16, 9, SLOW, SLOW);

	/* Equal is not over: 2 * 100 against 2 * FAST. */
	test_lock_over(w, 0, over_at_0, 3);
	/* Against 2 * FAST - 2 * 20 once the clock's reads are left out. */
	test_lock_over(w, 20, over_at_20, 2);

	for (b = 0; b < 2; b++)
		bench_work_free(&w[b]);

	test_p5(rising_under, 1, 1000, 5, "    out of reach at 4096 16384 live: ",
		"steps whose floor is over the placement are out of reach, equal is not");
	test_p5(under_under, 2, 1000, 5,
		"    the floors are within the placement at every step\n",
		"no step out of reach while both floors are within the placement");
	test_p5(under_rising, 2, 1000, 5, "    out of reach at 4096 16384 live: ",
		"a step out of reach when floor+api alone is over the placement");
	test_p5(under_rising, 2, 2000, 5,
		"    16384 live     2000 vs    1000 ns   2.00x  MISSED  (floor  1.00x, floor+api  1.10x: over)\n",
		"a floor against the placement timed in its own pass");
	test_p5(rising_rising, 2, 1000, 5,
		"  (floor  2.20x: over, floor+api  2.20x: over)\n",
		"both floors over at a step: each says so");
	test_p5(rising_under, 1, 1000, 3,
		"    4096 live     2000 vs    1000 ns   2.00x  MISSED  (floor  1.10x: over in 3 of 5 rounds)\n",
		"a floor over in some rounds only says in how many");
	test_p5(rising_rising, 2, 1000, 3,
		"    no step out of reach: no floor is over the placement in every round\n",
		"no step out of reach unless a floor is over in every round");
	test_p5(rising_under, 0, 1000, 5,
		"    16384 live     2000 vs    1000 ns   2.00x  MISSED\n",
		"without the floors, neither verdict nor summary");
	return test_summary();
}
