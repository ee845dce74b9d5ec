// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw benchmark: every backend replayed in lockstep with the reference,
 * for the goals that hold a backend against it (P1, P8 and P9).
 *
 * The tables replay the backends one after the other, round after round.
 * On a shared host whose speed doubles or halves from one moment to the
 * next, a backend replayed in a slow stretch reads up to twice its
 * figure, and a goal compared with a reference replayed in a fast one
 * reads missed.  Here each backend and the reference replay the same
 * trace together through bench_lockstep(), PAIRED_TURN operations a turn,
 * so a slow stretch reaches both alike; each side keeps the median over
 * the rounds.  The turns are short next to the host's slow stretches (a
 * thousand operations and more).  The operations that find the emulator's
 * caches as the other lane left it, the first few of each turn, are 3% of
 * a lane's, yet held 35-50% of each cmafw backend's slowest 1% when they
 * counted; bench_lockstep() leaves them out of the p99s.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/types.h>

#include "bench_engine.h"

#define PAIRED_TURN	256

/*
 * Backend @i and the reference through @t together, @c->params->rounds
 * times (bench_lock_rounds(), which marks the run failed if a chunk is
 * misplaced).  The reference's lane goes in the second window when both
 * register a region over theirs.
 */
static int paired_one(struct bench_ctx *c, const struct bench_trace *t,
		      unsigned int i, struct bench_work *w,
		      struct bench_paired *p)
{
	const struct bench_backend *ref = c->be[c->ref], *be = c->be[i];
	struct bench_lane lane[2] = {
		{ .t = t, .be = ref, .base = c->params->base },
		{ .t = t, .be = be, .base = c->params->base },
	};
	u64 pair[2], p99[2], sum[2];
	int err;

	if (ref->uses_window && be->uses_window) {
		if (!c->params->base2)
			return 0;
		lane[0].base = c->params->base2;
	}
	err = bench_lock_rounds(c, lane, 2, PAIRED_TURN, w, pair, NULL, NULL,
				p99, sum);
	if (err == -EINTR)
		return err;
	if (err) {
		p->error = err;
		return 0;
	}
	*p = (struct bench_paired){
		.ref_pair_p50 = pair[0], .pair_p50 = pair[1],
		.ref_p50_sum = sum[0], .p50_sum = sum[1],
		.ref_alloc_p99 = p99[0], .alloc_p99 = p99[1],
		.ran = true,
	};
	return 0;
}

/**
 * bench_paired_run() - replay @t through every backend in lockstep with
 * the reference.
 * @c:		the run; nothing to do without a reference.
 * @t:		the trace, as the table replayed it.
 * @row:	one entry per backend of @c, filled in; the reference's
 *		entry stays empty.
 *
 * Return: 0, or -EINTR when asked to stop; a backend that fails a check
 * has its entry's error set and marks the run failed.
 */
int bench_paired_run(struct bench_ctx *c, const struct bench_trace *t,
		     struct bench_paired *row)
{
	struct bench_work w[2] = { { NULL } };
	unsigned int i, j;
	int err = 0;

	if (c->ref < 0)
		return 0;
	for (j = 0; j < 2 && !err; j++)
		err = bench_work_alloc(&w[j], t);
	if (err) {
		bench_env_printk("!! %s: no memory for the paired replays: %d\n",
				 t->name, err);
		err = 0;
		goto out;
	}
	for (i = 0; i < c->nr_be && !err; i++)
		if ((int)i != c->ref)
			err = paired_one(c, t, i, w, &row[i]);
out:
	for (j = 0; j < 2; j++)
		bench_work_free(&w[j]);
	return err;
}
