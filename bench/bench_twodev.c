// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw benchmark engine: the seed's two-device trace.
 *
 * The seed's use case: a video decoder and a camera, each needing about
 * 20 MiB at worst, run at the same time from one shared region.  How large
 * must that region be for neither device to ever fail an allocation?  No
 * placement can do with less than the most bytes the two hold at once
 * (the peak); what a placement needs above it is what it loses to
 * fragmentation, in the unit an integrator sizes regions in.
 *
 * The trace is a timeline of sessions on each device, from a fixed seed
 * (eight timelines, each from its own):
 *
 *   decoder  plays a stream of 1080p (half the time), 720p or 480p NV12:
 *	      two bitstream buffers, then a picture set of 5 to 8 frames
 *	      (64 KiB aligned), each with a side buffer for its motion
 *	      vectors.  A stream may change resolution once or twice: the
 *	      picture set is freed and one for the new size allocated, the
 *	      bitstream buffers stay.  At the end of the stream all go.
 *   camera   opens for a photo (a 720p preview set, and per shot a pair of
 *	      full-HD RGB frames that are freed once the shot is taken),
 *	      a video (six 1080p NV12 frames) or a video call (six 720p
 *	      ones), with two ISP statistics buffers while it is open.
 *
 * Buffers of a set are freed in the order they were allocated, as
 * VIDIOC_REQBUFS(0) releases them.  Each device rests for a random time
 * between sessions, so the two overlap in every way.  Every allocation is
 * measured: once the sizes are searched, each timeline is replayed at its
 * top size through every backend in turn, round after round, as the other
 * traces are (a burst of load on the machine then hits a round, not a
 * backend); the table gives the median alloc p99 over the rounds, and its
 * median over the timelines.  Each framework backend is then replayed
 * again in lockstep with the reference, a few operations a turn, so that
 * a slow stretch of the host reaches both sides alike: P9 reads that
 * ratio, as it reads the other traces' from bench_paired.c.
 *
 * For each backend and timeline the region shrinks from 1.5 times the
 * timeline's peak, in 1 MiB steps and then in 256 KiB steps, down to the
 * first size at which an allocation fails: the timeline needs the last
 * size before it, from which every size tried served it whole.  A larger
 * region can fail where a smaller one did not (first fit is not
 * monotonic), hence the walk down rather than a bisection.  A region that
 * serves every timeline is what an integrator must reserve: the table
 * gives it, and the mean over the timelines, as one seed alone would
 * mislead (BENCHMARKS.md shows by how much on the camera trace).
 */
#include <linux/align.h>
#include <linux/array_size.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/types.h>

#include "bench_engine.h"

#define TWODEV_SEED		0x2de71ce0001ULL
#define TWODEV_MAX_LIVE		48	/* buffers one device holds at most */
#define TWODEV_MAX_OPS		128	/* operations of one session at most */
#define TWODEV_COARSE		SZ_1M
#define TWODEV_FINE		SZ_256K
#define TWODEV_FRAME_SHIFT	16	/* 64 KiB, for every frame */
#define TWODEV_STATS_SIZE	SZ_64K
#define TWODEV_RGB_1080P	(1920 * 1080 * 3)
/*
 * Operations a lane replays in a lockstep turn: a turn's first one finds
 * the cache as the other lane left it, so turns are long enough for those
 * to stay well under the 1% a p99 looks at, and short next to the host's
 * slow stretches (a thousand operations and more in the profiles).
 */
#define TWODEV_TURN		256
#define NV12(w, h)		((w) * (h) * 3 / 2)

/* A stream the decoder plays: sizes of a frame, its side buffer and a
 * bitstream buffer; the least frames its picture set holds, and how many
 * more it may.
 */
struct twodev_stream {
	u32 frame;
	u32 side;
	u32 bitstream;
	u8 frames;
	u8 more;
};

static const struct twodev_stream twodev_streams[] = {
	{ NV12(1920, 1088), 128 << 10, 1 << 20, 5, 2 },
	{ NV12(1280, 720), 64 << 10, 512 << 10, 6, 3 },
	{ NV12(720, 480), 32 << 10, 256 << 10, 6, 3 },
};

struct twodev_buf {
	u32 slot;
	u32 size;
};

/**
 * struct twodev_dev - one device of the timeline.
 * @buf:	its live buffers, in the order it allocated them.
 * @nr:		entries in @buf.
 * @keep:	buffers that stay for the whole session (the first @keep).
 * @next:	time of its next step.
 * @left:	resolution changes, or shots, still to come in this session.
 * @sessions:	sessions started.
 * @busy:	in a session.
 * @done:	idle after its last session.
 */
struct twodev_dev {
	struct twodev_buf buf[TWODEV_MAX_LIVE];
	unsigned int nr;
	unsigned int keep;
	u64 next;
	unsigned int left;
	unsigned int sessions;
	bool busy;
	bool done;
};

/**
 * struct twodev_gen - the generator's state.
 * @t:		the trace being written.
 * @rng:	random state.
 * @spare:	slots free for reuse (a stack).
 * @nr_spare:	entries in @spare.
 * @live:	bytes the two devices hold now, page rounded.
 * @peak:	the most they held at once.
 */
struct twodev_gen {
	struct bench_trace *t;
	u64 rng;
	u32 *spare;
	unsigned int nr_spare;
	u64 live;
	u64 peak;
};

static struct bench_op *twodev_op(struct twodev_gen *g)
{
	struct bench_trace *t = g->t;

	return t->nr_ops < t->max_ops ? &t->ops[t->nr_ops++] : NULL;
}

static int twodev_alloc(struct twodev_gen *g, struct twodev_dev *d,
			u32 size, u8 align_shift)
{
	struct bench_op *op = twodev_op(g);
	u32 slot;

	if (!op || d->nr == TWODEV_MAX_LIVE)
		return -ENOSPC;
	slot = g->nr_spare ? g->spare[--g->nr_spare] : g->t->nr_slots++;
	bench_op_alloc(op, slot, size, align_shift, true);
	d->buf[d->nr++] = (struct twodev_buf) { slot, size };
	g->live += ALIGN(size, PAGE_SIZE);
	if (g->live > g->peak)
		g->peak = g->live;
	return 0;
}

/* Free @d's buffers from the @from'th on, in the order they came. */
static int twodev_free_from(struct twodev_gen *g, struct twodev_dev *d,
			    unsigned int from)
{
	unsigned int i;

	for (i = from; i < d->nr; i++) {
		struct bench_op *op = twodev_op(g);

		if (!op)
			return -ENOSPC;
		bench_op_free(op, d->buf[i].slot, true);
		g->spare[g->nr_spare++] = d->buf[i].slot;
		g->live -= ALIGN(d->buf[i].size, PAGE_SIZE);
	}
	if (d->nr > from)
		d->nr = from;
	return 0;
}

/* A stream: half 1080p, a third 720p, the rest 480p; not @not. */
static unsigned int twodev_pick_stream(struct twodev_gen *g, unsigned int not)
{
	unsigned int s;

	do {
		u32 r = bench_rng_below(&g->rng, 100);

		s = r < 50 ? 0 : r < 85 ? 1 : 2;
	} while (s == not);
	return s;
}

static int twodev_picture_set(struct twodev_gen *g, struct twodev_dev *d,
			      const struct twodev_stream *s)
{
	unsigned int i, n = s->frames + bench_rng_below(&g->rng, s->more + 1);
	int err = 0;

	for (i = 0; i < n && !err; i++) {
		err = twodev_alloc(g, d, s->frame, TWODEV_FRAME_SHIFT);
		if (!err)
			err = twodev_alloc(g, d, s->side, PAGE_SHIFT);
	}
	return err;
}

/* The decoder's next step: start a stream, change resolution, or stop. */
static int twodev_decoder_step(struct twodev_gen *g, struct twodev_dev *d,
			       unsigned int *stream)
{
	u32 r;
	int err;

	if (!d->busy) {
		*stream = twodev_pick_stream(g, ARRAY_SIZE(twodev_streams));
		err = twodev_alloc(g, d, twodev_streams[*stream].bitstream,
				   PAGE_SHIFT);
		if (!err)
			err = twodev_alloc(g, d,
					   twodev_streams[*stream].bitstream,
					   PAGE_SHIFT);
		d->keep = d->nr;
		if (!err)
			err = twodev_picture_set(g, d, &twodev_streams[*stream]);
		r = bench_rng_below(&g->rng, 100);
		d->left = r < 50 ? 0 : r < 80 ? 1 : 2;
		d->busy = true;
		d->sessions++;
		d->next += 50 + bench_rng_below(&g->rng, 351);
		return err;
	}
	if (d->left) {
		d->left--;
		err = twodev_free_from(g, d, d->keep);
		*stream = twodev_pick_stream(g, *stream);
		if (!err)
			err = twodev_picture_set(g, d, &twodev_streams[*stream]);
		d->next += 50 + bench_rng_below(&g->rng, 351);
		return err;
	}
	d->busy = false;
	d->next += bench_rng_below(&g->rng, 301);
	return twodev_free_from(g, d, 0);
}

/* The camera's next step: open, take or finish a shot, or close. */
static int twodev_camera_step(struct twodev_gen *g, struct twodev_dev *d)
{
	unsigned int i, frames = 6;
	u32 frame, r;
	int err = 0;

	if (!d->busy) {
		r = bench_rng_below(&g->rng, 100);
		d->left = 0;
		frame = NV12(1280, 720);
		if (r < 40) {
			frames = 4;
			d->left = 1 + bench_rng_below(&g->rng, 6);
		} else if (r < 75) {
			frame = NV12(1920, 1080);
		}
		for (i = 0; i < 2 && !err; i++)
			err = twodev_alloc(g, d, TWODEV_STATS_SIZE, PAGE_SHIFT);
		for (i = 0; i < frames && !err; i++)
			err = twodev_alloc(g, d, frame, TWODEV_FRAME_SHIFT);
		d->keep = d->nr;
		d->busy = true;
		d->sessions++;
		d->next += 20 + bench_rng_below(&g->rng, 181);
		return err;
	}
	if (d->nr > d->keep) {
		d->left--;
		d->next += 10 + bench_rng_below(&g->rng, 91);
		return twodev_free_from(g, d, d->keep);
	}
	if (d->left) {
		d->next += 5 + bench_rng_below(&g->rng, 26);
		err = twodev_alloc(g, d, TWODEV_RGB_1080P, TWODEV_FRAME_SHIFT);
		if (!err)
			err = twodev_alloc(g, d, TWODEV_RGB_1080P,
					   TWODEV_FRAME_SHIFT);
		return err;
	}
	d->busy = false;
	d->next += bench_rng_below(&g->rng, 301);
	return twodev_free_from(g, d, 0);
}

/*
 * Timeline @seed: the device due first steps, until both did @sessions.
 * The peak they held at once goes to @peak.
 */
static int twodev_generate(struct bench_trace *t, u64 seed,
			   unsigned int sessions, u64 *peak)
{
	struct twodev_gen g = { .t = t, .rng = seed };
	struct twodev_dev *dev;
	unsigned int stream = 0;
	int err = 0;

	t->max_ops = 2 * sessions * TWODEV_MAX_OPS;
	t->ops = bench_env_zalloc(sizeof(*t->ops) * t->max_ops);
	g.spare = bench_env_zalloc(sizeof(*g.spare) * 2 * TWODEV_MAX_LIVE);
	dev = bench_env_zalloc(sizeof(*dev) * 2);
	if (!t->ops || !g.spare || !dev) {
		err = -ENOMEM;
		goto out;
	}
	dev[0].next = bench_rng_below(&g.rng, 301);
	dev[1].next = bench_rng_below(&g.rng, 301);
	while (!err && !(dev[0].done && dev[1].done)) {
		unsigned int i = dev[1].done ||
				 (!dev[0].done && dev[0].next <= dev[1].next) ?
				 0 : 1;
		struct twodev_dev *d = &dev[i];

		if (!d->busy && d->sessions == sessions) {
			d->done = true;
			continue;
		}
		err = i ? twodev_camera_step(&g, d) :
			  twodev_decoder_step(&g, d, &stream);
	}
	*peak = g.peak;
out:
	bench_env_free(dev);
	bench_env_free(g.spare);
	return err;
}

/* Whether @be serves all of @t in a region of @size bytes; <0 on error. */
static int twodev_serves(const struct bench_ctx *c, struct bench_trace *t,
			 const struct bench_backend *be, u64 size,
			 struct bench_work *w, struct bench_stats *st)
{
	int err;

	t->region = size;
	err = bench_replay(t, be, c->params->base, w, st);
	if (err)
		return err;
	return st->ok == st->attempts;
}

/*
 * Walk the region for timeline @t down from @top (see the top of the
 * file) and add what it needs to @row.
 */
static int twodev_search(const struct bench_ctx *c, struct bench_trace *t,
			 const struct bench_backend *be,
			 u64 top, struct bench_work *w,
			 struct bench_twodev_row *row)
{
	u64 size = top, step = TWODEV_COARSE, needs = 0;
	struct bench_stats st;
	int ret;

	row->ran = true;
	ret = twodev_serves(c, t, be, size, w, &st);
	row->tried++;
	row->misaligned += st.misaligned;
	while (ret > 0) {
		needs = size;
		if (size < step + TWODEV_FINE)
			break;
		ret = twodev_serves(c, t, be, size - step, w, &st);
		row->tried++;
		if (ret > 0) {
			size -= step;
		} else if (!ret && step == TWODEV_COARSE) {
			step = TWODEV_FINE;
			ret = 1;
		}
	}
	if (ret < 0) {
		row->error = ret;
		return ret == -EINTR ? ret : 0;
	}
	if (!needs)
		row->over++;
	if (needs > row->needs)
		row->needs = needs;
	row->needs_sum += needs;
	return 0;
}

/*
 * Time timeline @k, @t, at its top size @top: every backend in turn,
 * round after round, each backend's median alloc p99 over the rounds
 * going to its row.  Backends whose search failed are left out.
 */
static int twodev_time(struct bench_ctx *c, struct bench_trace *t,
		       unsigned int k, u64 top, struct bench_work *w)
{
	unsigned int rounds = c->params->rounds, r, i;
	u64 *p99;
	int err = 0;

	p99 = bench_env_zalloc(sizeof(*p99) * BENCH_MAX_ROUNDS * c->nr_be);
	if (!p99)
		return -ENOMEM;
	for (r = 0; r < rounds && !err; r++) {
		for (i = 0; i < c->nr_be && !err; i++) {
			struct bench_stats st;
			int ret;

			if (c->twodev[i].error)
				continue;
			ret = twodev_serves(c, t, c->be[i], top, w, &st);
			if (ret < 0) {
				c->twodev[i].error = ret;
				err = ret == -EINTR ? ret : 0;
				continue;
			}
			p99[i * BENCH_MAX_ROUNDS + r] = st.alloc_p99;
		}
	}
	for (i = 0; !err && i < c->nr_be; i++) {
		c->twodev[i].alloc_p99[k] =
			bench_median_u64(&p99[i * BENCH_MAX_ROUNDS], rounds);
	}
	bench_env_free(p99);
	return err;
}

/*
 * Time timeline @k, @t, at its top size @top again, each framework backend
 * in lockstep with the reference (bench_lockstep(), TWODEV_TURN operations
 * a turn), round after round: a slow stretch of the host, which the
 * replays in turn may give one backend and not the other, then reaches
 * both alike.  Each side's median alloc p99 over the rounds goes to the
 * framework backend's row.  The reference's pool touches neither the
 * window nor the resource tree, so both lanes share the window.
 */
static int twodev_lock(struct bench_ctx *c, struct bench_trace *t,
		       unsigned int k, u64 top)
{
	unsigned int rounds = c->params->rounds, r, i, j;
	struct bench_work w[2] = { { NULL } };
	u64 p99[2][BENCH_MAX_ROUNDS];
	struct bench_stats st[2];
	int err = 0;

	if (c->ref < 0 || c->twodev[c->ref].error)
		return 0;
	t->region = top;
	for (j = 0; j < 2 && !err; j++)
		err = bench_work_alloc(&w[j], t);
	if (err)
		bench_env_printk("!! twodev: no memory for the lockstep replays: %d\n",
				 err);
	for (i = 0; i < c->nr_be && !err; i++) {
		struct bench_lane lane[2] = {
			{ .t = t, .be = c->be[c->ref], .base = c->params->base },
			{ .t = t, .be = c->be[i], .base = c->params->base },
		};

		if (strncmp(c->be[i]->name, "fw-", 3) || c->twodev[i].error)
			continue;
		for (r = 0; r < rounds && !err; r++) {
			err = bench_lockstep(lane, 2, TWODEV_TURN, w, st);
			p99[0][r] = st[0].alloc_p99;
			p99[1][r] = st[1].alloc_p99;
		}
		if (err) {
			if (err != -EINTR)
				c->twodev[i].error = err;
			break;
		}
		c->twodev[i].lock_ref_p99[k] = bench_median_u64(p99[0], rounds);
		c->twodev[i].lock_p99[k] = bench_median_u64(p99[1], rounds);
		c->twodev[i].locked = true;
	}
	for (j = 0; j < 2; j++)
		bench_work_free(&w[j]);
	return err == -EINTR ? err : 0;
}

/* bench_median_u64() of @n timelines' values, @v left as it is. */
static u64 twodev_median(const u64 *v, unsigned int n)
{
	u64 s[BENCH_TWODEV_MAX_TIMELINES];

	if (!n)
		return 0;
	memcpy(s, v, n * sizeof(*s));
	return bench_median_u64(s, n);
}

/**
 * bench_twodev_lock_p99() - a framework backend's alloc p99 on the
 * two-device trace replayed in lockstep with the reference.
 * @c:		the run, after bench_twodev().
 * @be:		the backend's index in @c; its row must be locked.
 * @v:		set to the median over the timelines of its p99s;
 * @ref:	and of the reference's, from the same replays.
 */
void bench_twodev_lock_p99(const struct bench_ctx *c, unsigned int be,
			   u64 *v, u64 *ref)
{
	const struct bench_twodev_row *row = &c->twodev[be];

	*v = twodev_median(row->lock_p99, c->twodev_timelines);
	*ref = twodev_median(row->lock_ref_p99, c->twodev_timelines);
}

/* " 12.34": @bytes in MiB with two decimals. */
static void print_mib(u64 bytes, int width)
{
	u64 v = div_u64(bytes * 100 + SZ_512K, SZ_1M);
	u32 rem;

	v = div_u64_rem(v, 100, &rem);
	bench_env_printk(" %*llu.%02u", width - 3, (unsigned long long)v, rem);
}

/**
 * bench_twodev_p99() - a backend's alloc p99 on the two-device trace.
 * @c:		the run, after bench_twodev().
 * @be:		the backend's index in @c.
 *
 * Return: the median over the timelines of its p99s at their top sizes
 * (each the median over the rounds), in ns; 0 without timelines.
 */
u64 bench_twodev_p99(const struct bench_ctx *c, unsigned int be)
{
	return twodev_median(c->twodev[be].alloc_p99, c->twodev_timelines);
}

static void print_twodev_table(const struct bench_ctx *c)
{
	unsigned int n = c->twodev_timelines, i;
	u64 ref = c->ref >= 0 ? bench_twodev_p99(c, c->ref) : 0;

	bench_env_printk("%-11s %9s %9s %8s %6s %5s %9s %7s\n", "backend",
			 "needs-MiB", "mean-MiB", "vs-peak", "sizes", "misal",
			 "alloc-p99", "vs-ref");
	for (i = 0; i < c->nr_be; i++) {
		const struct bench_twodev_row *row = &c->twodev[i];
		u64 p99 = bench_twodev_p99(c, i);

		bench_env_printk("%-11s", c->be[i]->name);
		if (row->error) {
			bench_env_printk("  !! FAILED: %d\n", row->error);
			continue;
		}
		if (row->over) {
			bench_env_printk(" %9s %9s %8s", "over top", "-", "-");
		} else {
			print_mib(row->needs, 9);
			print_mib(div_u64(row->needs_sum, n), 9);
			bench_print_ratio(row->needs, c->twodev_peak, 8);
		}
		bench_env_printk(" %6u %5u %9llu", row->tried, row->misaligned,
				 (unsigned long long)p99);
		bench_print_ratio(p99, ref, 7);
		bench_env_printk("\n");
	}
	bench_env_printk("(needs: the region that serves every timeline, the most one needed; a timeline needs the smallest region, walking down from 1.5x its peak by 1 MiB then 256 KiB, from which every size tried served every allocation; mean: over the timelines; vs-peak: needs over the most any timeline held at once, %llu KiB, below which no placement can go; sizes: replays; misal: results below their alignment at the top sizes; alloc-p99: ns, at the top size, the median over %u rounds (every backend in turn), then over the timelines; vs-ref: over %s's)\n",
			 (unsigned long long)(c->twodev_peak >> 10),
			 c->params->rounds, c->ref >= 0 ? c->be[c->ref]->name : "-");
}

/**
 * bench_twodev() - replay the two-device timelines and size their region.
 * @c:		the run; every backend in it is searched.
 * @sessions:	sessions of each device in a timeline.
 * @timelines:	timelines, each from a seed of its own.
 *
 * Fills @c->twodev and prints the table unless @c->params->quiet.
 *
 * Return: 0, -ENOMEM, or -EINTR when asked to stop.  A backend that
 * misplaced a chunk marks the run failed (@c->failed).
 */
int bench_twodev(struct bench_ctx *c, unsigned int sessions,
		 unsigned int timelines)
{
	u64 t0 = bench_env_ns();
	unsigned int k, i;
	int err = 0;

	if (timelines > BENCH_TWODEV_MAX_TIMELINES)
		timelines = BENCH_TWODEV_MAX_TIMELINES;
	memset(c->twodev, 0, sizeof(c->twodev));
	c->twodev_peak = 0;
	c->twodev_timelines = timelines;
	if (!c->params->quiet)
		bench_env_printk("\n== twodev: the seed's two devices at once on one region: a video decoder (1080p, 720p, 480p NV12 streams, resolution changes) and a camera (photos, video, video calls); %u timelines of %u sessions each (seeds %#llx + 0..%u)\n",
				 timelines, sessions,
				 (unsigned long long)TWODEV_SEED,
				 timelines - 1);
	for (k = 0; k < timelines && !err; k++) {
		struct bench_trace t = { .name = "twodev" };
		struct bench_work w = { NULL };
		u64 peak = 0, top;

		err = twodev_generate(&t, TWODEV_SEED + k, sessions, &peak);
		if (!err)
			err = bench_work_alloc(&w, &t);
		if (err)
			bench_env_printk("!! twodev: cannot generate: %d\n", err);
		top = ALIGN(peak * 3 / 2, TWODEV_COARSE);
		if (top > c->params->size)
			top = c->params->size;
		if (peak > c->twodev_peak)
			c->twodev_peak = peak;
		for (i = 0; i < c->nr_be && !err; i++)
			err = twodev_search(c, &t, c->be[i], top, &w,
					    &c->twodev[i]);
		if (!err)
			err = twodev_time(c, &t, k, top, &w);
		if (!err)
			err = twodev_lock(c, &t, k, top);
		for (i = 0; i < c->nr_be; i++)
			if (c->twodev[i].error && c->twodev[i].error != -EINTR)
				c->failed = c->twodev[i].error;
		bench_work_free(&w);
		bench_env_free(t.ops);
	}
	c->have_twodev = !err;
	if (!err && !c->params->quiet)
		print_twodev_table(c);
	bench_env_printk("-- twodev took %llu ms\n",
			 (unsigned long long)div_u64(bench_env_ns() - t0,
						     1000000));
	return err;
}

/**
 * bench_print_p7() - the two-device target: no larger a region, to serve
 * every timeline, than the better gen_pool that honours alignment needs.
 * @c:		the run, after bench_twodev().
 */
void bench_print_p7(const struct bench_ctx *c)
{
	unsigned int n = c->twodev_timelines, i;
	u64 ref = 0;
	int best = -1;

	if (!c->have_twodev)
		return;
	for (i = 0; i < c->nr_be; i++) {
		const struct bench_twodev_row *row = &c->twodev[i];

		if (strncmp(c->be[i]->name, "gp-", 3) || row->over ||
		    row->error)
			continue;
		if (c->be[i]->ignores_align) {
			bench_env_printk("(%s ignores alignment: needs",
					 c->be[i]->name);
			print_mib(row->needs, 5);
			bench_env_printk(" MiB, mean");
			print_mib(div_u64(row->needs_sum, n), 5);
			bench_env_printk(", with %u results misaligned: not a target)\n",
					 row->misaligned);
		} else if (best < 0 || row->needs < ref) {
			best = i;
			ref = row->needs;
		}
	}
	if (best < 0) {
		bench_env_printk("P7: two devices: no aligned gen_pool to compare the region with\n");
		return;
	}
	bench_env_printk("P7: two devices: a region serving all %u timelines <= %s's (the better aligned gen_pool),",
			 n, c->be[best]->name);
	print_mib(ref, 5);
	bench_env_printk(" MiB\n");
	for (i = 0; i < c->nr_be; i++) {
		const struct bench_twodev_row *row = &c->twodev[i];
		bool met = !row->over && !row->error && row->needs <= ref;

		if (!strncmp(c->be[i]->name, "gp-", 3) || !row->ran)
			continue;
		bench_env_printk("    %-11s", c->be[i]->name);
		if (row->over || row->error)
			bench_env_printk(" %6s", "-");
		else
			print_mib(row->needs, 6);
		bench_env_printk(" MiB %s\n", bench_verdict(met));
	}
}
