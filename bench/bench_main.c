// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw_bench: replay the benchmark traces (bench_core.c) in the kernel,
 * through the framework (cmafw_alloc_from() and cmafw_free() on a region
 * registered in a reserved window), through lib/genalloc, and through the
 * framework's allocators alone.
 *
 * Control, root only, in debugfs:
 *
 *	echo all >/sys/kernel/debug/cmafw_bench/run
 *	cat /sys/kernel/debug/cmafw_bench/results
 *
 * "run" takes "all" or a comma-separated list of traces (camera, small,
 * scaling, twodev; scaling/64 and the like for one scaling step) and
 * returns when they are done: an error if a backend misplaced a chunk.
 * "results" holds everything printed since the module was loaded, and
 * grows while a run is going on.  The window and the amount of work are
 * module parameters.  The window must be reserved from System RAM
 * (memmap=256M$0x40000000) for the framework's backends; the others only
 * juggle addresses and never touch the memory.  A second window of the
 * same size (window2_base; bench/run.sh reserves 0x50000000) lets the
 * framework's backends replay two scaling steps side by side, for P6.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cmafw.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/genalloc.h>
#include <linux/ioport.h>
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timex.h>
#include <linux/utsname.h>
#include <linux/vmalloc.h>

#include "../kernel/index.h"
#include "../kernel/internal.h"
#include "bench_alloc.h"
#include "bench_core.h"
#include "bench_floor.h"
#include "bench_res.h"

#define BENCH_REGION	"cmafw-bench"
#define BENCH_OWNER	KBUILD_MODNAME
#define BENCH_OUT_SIZE	(512 << 10)

static unsigned long long window_base = 0x40000000;
module_param(window_base, ullong, 0600);
MODULE_PARM_DESC(window_base, "physical start of the reserved window (default 0x40000000)");

static unsigned long long window_size = 256 << 20;
module_param(window_size, ullong, 0600);
MODULE_PARM_DESC(window_size, "window size in bytes (default 256 MiB)");

static unsigned long long window2_base;
module_param(window2_base, ullong, 0600);
MODULE_PARM_DESC(window2_base, "physical start of a second reserved window of the same size, for the framework's growth measurement (default 0: none)");

static unsigned int scale = 100;
module_param(scale, uint, 0600);
MODULE_PARM_DESC(scale, "percent of the default number of operations (default 100)");

static unsigned int rounds = 5;
module_param(rounds, uint, 0600);
MODULE_PARM_DESC(rounds, "replays of every trace by every backend, median kept (default 5)");

static char *backends = "all";
module_param(backends, charp, 0600);
MODULE_PARM_DESC(backends, "comma-separated backends to run (default all)");

static char *ref = "gp-bf";
module_param(ref, charp, 0600);
MODULE_PARM_DESC(ref, "backend the ratio columns divide by (default gp-bf)");

static DEFINE_MUTEX(bench_run_lock);	/* one run at a time */
static DEFINE_MUTEX(bench_out_lock);	/* bench_out, bench_out_len */
static char *bench_out;
static size_t bench_out_len;
static bool bench_use_cycles;
static struct dentry *bench_dir;
/*
 * The framework's index in a region of @pages, as it set one up: P4 asks
 * after the replays, for the traces' own region sizes, which the last
 * region set up (the two-device trace's, say) need not have.
 */
struct bench_fw_shape {
	unsigned long pages;
	unsigned long blocks;
	unsigned long groups;
	size_t block_size;
	size_t arrays;
	unsigned int index_from;
};

#define BENCH_FW_SHAPES	8
static struct bench_fw_shape bench_fw_shapes[BENCH_FW_SHAPES];

/* The shape recorded for @pages, or a free slot for it; NULL when full. */
static struct bench_fw_shape *bench_fw_shape(unsigned long pages)
{
	unsigned int i;

	for (i = 0; i < BENCH_FW_SHAPES; i++)
		if (bench_fw_shapes[i].pages == pages ||
		    !bench_fw_shapes[i].pages)
			return &bench_fw_shapes[i];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* The environment bench_core.c runs in                                */

/**
 * bench_env_zalloc() - zeroed memory for the engine's tables.
 * @size:	bytes.
 *
 * Return: the memory or NULL.
 */
void *bench_env_zalloc(size_t size)
{
	return kvzalloc(size, GFP_KERNEL);
}

/**
 * bench_env_free() - free what bench_env_zalloc() gave.
 * @ptr:	the memory, or NULL.
 */
void bench_env_free(void *ptr)
{
	kvfree(ptr);
}

/**
 * bench_env_ticks() - a fast clock for timing one operation.
 *
 * get_cycles() where it counts, else ktime_get_ns().  The engine converts
 * ticks to ns against bench_env_ns() over each replay.
 *
 * Return: the clock's value.
 */
u64 bench_env_ticks(void)
{
	return bench_use_cycles ? (u64)get_cycles() : ktime_get_ns();
}

/**
 * bench_env_ns() - the time in ns, to calibrate bench_env_ticks().
 *
 * Return: ktime_get_ns().
 */
u64 bench_env_ns(void)
{
	return ktime_get_ns();
}

/**
 * bench_env_yield() - let others run between operations.
 *
 * Return: non-zero when the writer of "run" was killed: the run stops.
 */
int bench_env_yield(void)
{
	cond_resched();
	return fatal_signal_pending(current);
}

/**
 * bench_env_printk() - append to the results file.
 * @fmt:	printf format.
 *
 * Output beyond BENCH_OUT_SIZE is dropped.
 */
void bench_env_printk(const char *fmt, ...)
{
	va_list ap;

	mutex_lock(&bench_out_lock);
	va_start(ap, fmt);
	bench_out_len += vscnprintf(bench_out + bench_out_len,
				    BENCH_OUT_SIZE - bench_out_len, fmt, ap);
	va_end(ap);
	mutex_unlock(&bench_out_lock);
}

/**
 * bench_env_replay_begin() - a replay starts (nothing to do here).
 * @trace:	trace name.
 * @backend:	backend name.
 */
void bench_env_replay_begin(const char *trace, const char *backend)
{
}

/**
 * bench_env_replay_end() - a replay ended (nothing to do here).
 * @trace:	trace name.
 * @backend:	backend name.
 * @nr_alloc:	measured allocations.
 * @nr_free:	measured frees.
 */
void bench_env_replay_end(const char *trace, const char *backend,
			  unsigned int nr_alloc, unsigned int nr_free)
{
}

/* ------------------------------------------------------------------ */
/* Per-chunk record, as kernel/chunk.c keeps it: a bare resource */

static size_t chunk_record_size(void)
{
	return kmalloc_size_roundup(sizeof(struct resource));
}

/*
 * What the framework keeps per region besides the allocator's state; the
 * benchmark's one owner name (kernel/owner.c: a list head, a count, the
 * holder, two lengths, the name with a '/' and a NUL's room, and a word
 * of zeros) among it.
 */
static size_t region_record_size(void)
{
	return kmalloc_size_roundup(sizeof(struct cma_region_state)) +
	       kmalloc_size_roundup(sizeof(struct resource)) +
	       kmalloc_size_roundup(sizeof(struct list_head) +
				    4 * sizeof(int) + sizeof(BENCH_OWNER) +
				    1 + sizeof(long));
}

static void meta_bitmap(unsigned long pages, struct bench_meta *m)
{
	struct bench_lazy *tree = &m->lazy[m->nr_lazy++];

	m->per_page_bits = 1;
	/* The summary tree grows with the region, from a count of chunks. */
	bench_bitmap_meta(pages, &m->fixed, &tree->bytes, &tree->from);
	tree->what = "tree";
}

static void meta_holes(unsigned long pages, bool segfit, struct bench_meta *m)
{
	/*
	 * One node per live chunk, plus one and the spares, from the nodes'
	 * own slab cache: its slot size, not a kmalloc() size class;
	 * segfit's own state (alloc_segfit.c) besides, and its bitmap of
	 * chunk starts, which grows with the region.
	 */
	m->per_chunk = bench_bestfit_node_size();
	m->fixed = kmalloc_size_roundup(bench_bestfit_region_size()) +
		   bench_bestfit_nodes_kept() * m->per_chunk;
	if (segfit) {
		m->fixed += kmalloc_size_roundup(bench_segfit_state_size());
		m->scaled += bench_segfit_starts_size(pages);
	}
}

/* ------------------------------------------------------------------ */
/* Backend: the framework, cmafw_alloc_from() + cmafw_free()           */

struct bench_fw {
	struct cma_region reg;
	unsigned long bad_frees;
};

static void *fw_setup(const struct bench_backend *be, dma_addr_t base,
		      size_t size)
{
	struct bench_fw *fw = kzalloc(sizeof(*fw), GFP_KERNEL);
	struct bench_fw_shape *shape;
	struct cma_region_state *state;
	char digits[24];
	unsigned int l;
	size_t len;
	int err;

	if (!fw)
		return ERR_PTR(-ENOMEM);
	/* The second window's instance needs a name of its own. */
	fw->reg.name = base == window_base ? BENCH_REGION : BENCH_REGION "-2";
	fw->reg.start = base;
	fw->reg.size = size;
	fw->reg.alloc_name = be->data;
	err = cmafw_region_register(&fw->reg);
	if (err) {
		kfree(fw);
		return ERR_PTR(err);
	}
	/*
	 * Registering took cmafw_rwsem for writing, which leaves its readers
	 * on their slow path until a grace period has passed.  A driver's
	 * region is registered long before it serves; wait that out here,
	 * outside the timed operations.
	 */
	cmafw_rwsem_quiesce();
	/*
	 * As kernel/index.c sizes its records: the record and its name, room
	 * for the last "#<block>" in a block's, "#<first>-<last>" in a
	 * group's; and a pointer array per level, with the deepest level's
	 * loose counts (kernel/index_gather.c).
	 */
	state = fw->reg.state;
	shape = bench_fw_shape(size >> PAGE_SHIFT);
	if (!shape)
		return fw;
	len = strlen(state->res_name);
	*shape = (struct bench_fw_shape){ .pages = size >> PAGE_SHIFT };
	shape->index_from = state->index_from;
	for (l = 0; l < state->index_depth; l++) {
		shape->arrays += kmalloc_size_roundup(state->index[l].nr *
						      sizeof(void *));
		if (l < state->index_depth - 1) {
			shape->groups += state->index[l].nr;
			continue;
		}
		shape->blocks = state->index[l].nr;
		shape->arrays +=
			kmalloc_size_roundup(state->index[l].nr *
					     sizeof(*state->index[l].loose));
	}
	if (state->index_depth) {
		unsigned long last = state->index[state->index_depth - 1].nr - 1;

		len += offsetof(struct cmafw_block, name);
		shape->block_size =
			kmalloc_size_roundup(len + 2 +
					     snprintf(digits, sizeof(digits),
						      "%lu", last));
	}
	if (state->index_depth > 1) {
		len += 3 + 2 * snprintf(digits, sizeof(digits), "%lu",
					shape->blocks - 1);
		shape->block_size = max(shape->block_size,
					kmalloc_size_roundup(len));
	}
	return fw;
}

static void fw_teardown(void *priv)
{
	struct bench_fw *fw = priv;

	if (fw->bad_frees)
		bench_env_printk("!! %lu frees failed\n", fw->bad_frees);
	if (cmafw_region_unregister(&fw->reg))
		bench_env_printk("!! cannot unregister the region\n");
	kfree(fw);
}

static int fw_alloc(void *priv, size_t size, dma_addr_t align,
		    dma_addr_t *addr)
{
	struct bench_fw *fw = priv;
	dma_addr_t ret = cmafw_alloc_from(fw->reg.name, size, align,
					  BENCH_OWNER);

	if (IS_ERR_VALUE(ret))
		return (int)ret;
	*addr = ret;
	return 0;
}

static void fw_free(void *priv, dma_addr_t addr, size_t size)
{
	struct bench_fw *fw = priv;

	if (cmafw_free(addr))
		fw->bad_frees++;
}

static void fw_meta(const struct bench_backend *be, unsigned long pages,
		    struct bench_meta *m)
{
	const struct bench_fw_shape *shape = bench_fw_shape(pages);
	unsigned long blocks = 0;

	if (shape && shape->pages == pages)
		blocks = shape->blocks;
	else
		bench_env_printk("!! %s: no region of %lu pages was set up: its index is not counted\n",
				 be->name, pages);
	if (!strcmp(be->data, "bitmap")) {
		meta_bitmap(pages, m);
		m->how = "bitmap and tree, block array + per chunk a resource (kernel/chunk.c)";
	} else {
		meta_holes(pages, !strcmp(be->data, "segfit"), m);
		m->how = "hole node, the block array + per chunk a resource (kernel/chunk.c)";
	}
	m->per_chunk += chunk_record_size();
	/*
	 * Spare chunk and block records and the idle owner entry, at most
	 * (region_record_size() counts an owner entry already).
	 */
	m->fixed += region_record_size() +
		    CMAFW_SPARE_CHUNKS * chunk_record_size() +
		    (blocks ? CMAFW_SPARE_BLOCKS * shape->block_size : 0);
	if (blocks) {
		/*
		 * A block's record is shared by CMAFW_BLOCK_MIN chunks or
		 * more, and a dense block's sub-blocks (bare resources) with
		 * its record by CMAFW_SUB_SPARSE or more
		 * (kernel/index_gather.c, kernel/index_sub.c).  Groups and
		 * their bands (bare resources too, in an array a dense group's)
		 * are few: at worst all in use, with a pointer a group to the
		 * bands.  They and the levels' arrays exist only while the
		 * region has its index: from a quarter of the chunks that
		 * build it on (kernel/index_build.c), and measured then.
		 */
		size_t dense = shape->block_size +
			       (chunk_record_size() << CMAFW_SUB_ORDER);
		struct bench_lazy *index = &m->lazy[m->nr_lazy++];

		m->nr_blocks = blocks + shape->groups;
		m->per_block = shape->block_size;
		m->share = max(DIV_ROUND_UP(shape->block_size,
					    CMAFW_BLOCK_MIN),
			       DIV_ROUND_UP(dense, CMAFW_SUB_SPARSE));
		index->bytes = shape->arrays + shape->groups *
			       (shape->block_size + sizeof(void *) +
				(chunk_record_size() << CMAFW_BAND_ORDER));
		index->from = shape->index_from / 4;
		index->measured = true;
		index->what = "index";
	}
}

/*
 * kernel/index.c's records (groups and blocks) that hold something now,
 * and kernel/index_sub.c's sub-blocks of dense blocks and groups: how many,
 * and the bytes of their slab objects with the levels' arrays (while the
 * region has its index).
 */
static void fw_index_now(void *priv, unsigned long *records, u64 *bytes)
{
	struct cma_region_state *state = ((struct bench_fw *)priv)->reg.state;
	unsigned long i;
	unsigned int l;

	*records = 0;
	*bytes = 0;
	mutex_lock(&state->lock);
	/* The groups' bands by number, once a group has been dense. */
	if (state->nr_levels && state->index[0].bands)
		*bytes += ksize(state->index[0].bands);
	/* The levels' arrays, while the region has its index. */
	for (l = 0; l < state->nr_levels; l++) {
		*bytes += ksize(state->index[l].slots);
		if (state->index[l].loose)
			*bytes += ksize(state->index[l].loose);
	}
	for (l = 0; l < state->nr_levels; l++) {
		for (i = 0; i < state->index[l].nr; i++) {
			struct cmafw_block *block = state->index[l].slots[i];
			struct resource *res;

			if (!block)
				continue;
			(*records)++;
			*bytes += ksize(block);
			if (!block->dense)
				continue;
			/* A dense group's bands are one array (index_sub.c). */
			if (block->group)
				*bytes += ksize(state->index[0].bands[i]);
			for (res = block->res.child; res; res = res->sibling) {
				if (!cmafw_sub_is_sub(block, res))
					continue;
				(*records)++;
				if (!block->group)
					*bytes += ksize(res);
			}
		}
	}
	mutex_unlock(&state->lock);
}

static unsigned long fw_blocks_now(void *priv)
{
	unsigned long records;
	u64 bytes;

	fw_index_now(priv, &records, &bytes);
	return records;
}

static u64 fw_index_bytes_now(void *priv)
{
	unsigned long records;
	u64 bytes;

	fw_index_now(priv, &records, &bytes);
	return bytes;
}

/* ------------------------------------------------------------------ */
/* Backend: the bestfit allocator + a resource tree, nothing else      */

/*
 * What kernel/chunk.c adds to the allocator, without the framework's
 * locks and lookups: a kmalloc()ed resource per chunk inserted under the
 * region's resource with request_resource(), found again by a walk of
 * the children.  It tells the resource tree's share of the framework's
 * time.  The root is private, never inserted in iomem_resource.
 */
struct bench_rt {
	struct resource root;
	void *alloc;
};

struct bench_rt_chunk {
	struct resource res;
	char owner[];
};

static void *rt_setup(const struct bench_backend *be, dma_addr_t base,
		      size_t size)
{
	struct bench_rt *rt = kzalloc(sizeof(*rt), GFP_KERNEL);
	void *alloc;

	if (!rt)
		return ERR_PTR(-ENOMEM);
	alloc = cmafw_bestfit_allocator.init(base, size);
	if (IS_ERR(alloc)) {
		kfree(rt);
		return alloc;
	}
	bench_res_set(&rt->root, base, size, "bench", IORESOURCE_MEM);
	rt->alloc = alloc;
	return rt;
}

static void rt_teardown(void *priv)
{
	struct bench_rt *rt = priv;

	if (rt->root.child)
		bench_env_printk("!! rt+bestfit: chunks left in the tree\n");
	cmafw_bestfit_allocator.cleanup(rt->alloc);
	kfree(rt);
}

static int rt_alloc(void *priv, size_t size, dma_addr_t align,
		    dma_addr_t *addr)
{
	struct bench_rt *rt = priv;
	struct bench_rt_chunk *chunk;
	int ret;

	chunk = kzalloc(struct_size(chunk, owner, sizeof(BENCH_OWNER)),
			GFP_KERNEL);
	if (!chunk)
		return -ENOMEM;
	memcpy(chunk->owner, BENCH_OWNER, sizeof(BENCH_OWNER));
	ret = cmafw_bestfit_allocator.alloc(rt->alloc, size, align, addr);
	if (ret) {
		kfree(chunk);
		return ret;
	}
	bench_res_set(&chunk->res, *addr, size, chunk->owner,
		      IORESOURCE_MEM | IORESOURCE_BUSY);
	if (request_resource(&rt->root, &chunk->res)) {
		cmafw_bestfit_allocator.free(rt->alloc, *addr, size);
		kfree(chunk);
		return -EFAULT;
	}
	return 0;
}

static void rt_free(void *priv, dma_addr_t addr, size_t size)
{
	struct bench_rt *rt = priv;
	struct resource *res;

	for (res = rt->root.child; res && res->start <= addr;
	     res = res->sibling) {
		if (res->start == addr)
			break;
	}
	if (!res || res->start != addr) {
		bench_env_printk("!! rt+bestfit: no chunk at %pad\n", &addr);
		return;
	}
	release_resource(res);
	cmafw_bestfit_allocator.free(rt->alloc, addr, resource_size(res));
	kfree(container_of(res, struct bench_rt_chunk, res));
}

static void rt_meta(const struct bench_backend *be, unsigned long pages,
		    struct bench_meta *m)
{
	meta_holes(pages, false, m);
	m->per_chunk += chunk_record_size();
	m->how = "bestfit node + struct resource and owner name";
}

/* ------------------------------------------------------------------ */
/* Backends: lib/genalloc                                              */

static void *gp_setup(const struct bench_backend *be, dma_addr_t base,
		      size_t size)
{
	struct gen_pool *pool = gen_pool_create(PAGE_SHIFT, NUMA_NO_NODE);

	if (!pool)
		return ERR_PTR(-ENOMEM);
	if (base > ULONG_MAX - size ||
	    gen_pool_add(pool, base, size, NUMA_NO_NODE)) {
		gen_pool_destroy(pool);
		return ERR_PTR(-ENOMEM);
	}
	return pool;
}

static void gp_teardown(void *priv)
{
	gen_pool_destroy(priv);
}

/* gen_pool_first_fit, or gen_pool_first_fit_align above a page. */
static int gp_ff_alloc(void *priv, size_t size, dma_addr_t align,
		       dma_addr_t *addr)
{
	struct genpool_data_align data = { .align = align };
	unsigned long ret;

	if (align > PAGE_SIZE)
		ret = gen_pool_alloc_algo(priv, size, gen_pool_first_fit_align,
					  &data);
	else
		ret = gen_pool_alloc_algo(priv, size, gen_pool_first_fit,
					  NULL);
	if (!ret)
		return -ENOMEM;
	*addr = ret;
	return 0;
}

/* gen_pool_best_fit has no alignment: results may be misaligned. */
static int gp_bf_alloc(void *priv, size_t size, dma_addr_t align,
		       dma_addr_t *addr)
{
	unsigned long ret = gen_pool_alloc_algo(priv, size, gen_pool_best_fit,
						NULL);

	if (!ret)
		return -ENOMEM;
	*addr = ret;
	return 0;
}

static void gp_free(void *priv, dma_addr_t addr, size_t size)
{
	gen_pool_free(priv, addr, size);
}

static void gp_meta(const struct bench_backend *be, unsigned long pages,
		    struct bench_meta *m)
{
	/* gen_pool_add() vzalloc()s the chunk with its bitmap. */
	m->per_page_bits = 1;
	m->fixed = kmalloc_size_roundup(sizeof(struct gen_pool)) +
		   PAGE_ALIGN(struct_size_t(struct gen_pool_chunk, bits,
					    BITS_TO_LONGS(pages))) -
		   pages / 8;
	m->how = "one bit per page in the pool's chunk";
}

/* ------------------------------------------------------------------ */
/* The framework's allocators alone                                    */

static void ops_meta(const struct bench_backend *be, unsigned long pages,
		     struct bench_meta *m)
{
	if (be->ops == &cmafw_bitmap_allocator) {
		meta_bitmap(pages, m);
		m->how = "the bitmap and its summary tree";
	} else {
		meta_holes(pages, be->ops == &cmafw_segfit_allocator, m);
		m->how = "the hole nodes only";
	}
}

static const struct bench_backend bench_gp_ff = {
	.name = "gp-ff", .setup = gp_setup, .teardown = gp_teardown,
	.alloc = gp_ff_alloc, .free = gp_free, .meta = gp_meta,
};

static const struct bench_backend bench_gp_bf = {
	.name = "gp-bf", .setup = gp_setup, .teardown = gp_teardown,
	.alloc = gp_bf_alloc, .free = gp_free, .meta = gp_meta,
	.ignores_align = true,
};

static const struct bench_backend bench_bitmap = {
	.name = "bitmap", .setup = bench_ops_setup,
	.teardown = bench_ops_teardown, .alloc = bench_ops_alloc,
	.free = bench_ops_free, .meta = ops_meta,
	.ops = &cmafw_bitmap_allocator,
};

static const struct bench_backend bench_bestfit = {
	.name = "bestfit", .setup = bench_ops_setup,
	.teardown = bench_ops_teardown, .alloc = bench_ops_alloc,
	.free = bench_ops_free, .meta = ops_meta,
	.ops = &cmafw_bestfit_allocator,
};

static const struct bench_backend bench_segfit = {
	.name = "segfit", .setup = bench_ops_setup,
	.teardown = bench_ops_teardown, .alloc = bench_ops_alloc,
	.free = bench_ops_free, .meta = ops_meta,
	.ops = &cmafw_segfit_allocator,
};

static const struct bench_backend bench_rt_bestfit = {
	.name = "rt+bestfit", .setup = rt_setup, .teardown = rt_teardown,
	.alloc = rt_alloc, .free = rt_free, .meta = rt_meta,
};

static const struct bench_backend bench_fw_bitmap = {
	.name = "fw-bitmap", .setup = fw_setup, .teardown = fw_teardown,
	.alloc = fw_alloc, .free = fw_free, .meta = fw_meta,
	.blocks_now = fw_blocks_now,
	.index_bytes_now = fw_index_bytes_now, .data = "bitmap",
	.uses_window = true,
};

static const struct bench_backend bench_fw_bestfit = {
	.name = "fw-bestfit", .setup = fw_setup, .teardown = fw_teardown,
	.alloc = fw_alloc, .free = fw_free, .meta = fw_meta,
	.blocks_now = fw_blocks_now,
	.index_bytes_now = fw_index_bytes_now, .data = "bestfit",
	.uses_window = true,
};

static const struct bench_backend bench_fw_segfit = {
	.name = "fw-segfit", .setup = fw_setup, .teardown = fw_teardown,
	.alloc = fw_alloc, .free = fw_free, .meta = fw_meta,
	.blocks_now = fw_blocks_now,
	.index_bytes_now = fw_index_bytes_now, .data = "segfit",
	.uses_window = true,
};

static const struct bench_backend *const bench_backends[] = {
	&bench_gp_ff, &bench_gp_bf, &bench_bitmap, &bench_bestfit,
	&bench_segfit, &bench_rt_bestfit, &bench_floor, &bench_floor_api,
	&bench_fw_bitmap, &bench_fw_bestfit, &bench_fw_segfit,
};

/* ------------------------------------------------------------------ */
/* debugfs                                                             */

static ssize_t bench_run_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	struct bench_params params = {
		.base = window_base,
		.size = window_size,
		.base2 = window2_base,
		.scale = scale,
		.rounds = rounds,
		.backends = backends,
		.ref = ref,
	};
	char traces[64];
	int err;

	if (count >= sizeof(traces))
		return -EINVAL;
	if (copy_from_user(traces, ubuf, count))
		return -EFAULT;
	traces[count] = '\0';
	params.traces = strim(traces);

	if (mutex_lock_interruptible(&bench_run_lock))
		return -EINTR;
	bench_env_printk("cmafw_bench: kernel %s, %u CPUs, clock %s; window %#llx + %llu MiB (second window %#llx); scale %u%%, %u rounds; traces %s\n",
			 init_utsname()->release, num_online_cpus(),
			 bench_use_cycles ? "get_cycles" : "ktime_get_ns",
			 window_base, window_size >> 20, window2_base, scale,
			 rounds, params.traces);
	err = bench_run(&params, bench_backends, ARRAY_SIZE(bench_backends));
	bench_env_printk("cmafw_bench: run %s: %d\n", params.traces, err);
	mutex_unlock(&bench_run_lock);
	return err ? err : count;
}

static ssize_t bench_results_read(struct file *file, char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&bench_out_lock);
	ret = simple_read_from_buffer(ubuf, count, ppos, bench_out,
				      bench_out_len);
	mutex_unlock(&bench_out_lock);
	return ret;
}

static const struct file_operations bench_run_fops = {
	.owner = THIS_MODULE,
	.write = bench_run_write,
	.llseek = noop_llseek,
};

static const struct file_operations bench_results_fops = {
	.owner = THIS_MODULE,
	.read = bench_results_read,
	.llseek = default_llseek,
};

static int __init bench_init(void)
{
	cycles_t c0 = get_cycles();
	u64 t0 = ktime_get_ns();

	bench_out = vzalloc(BENCH_OUT_SIZE);
	if (!bench_out)
		return -ENOMEM;
	/* get_cycles() is 0 on some architectures: use it only if it runs. */
	while (ktime_get_ns() - t0 < 1000)
		cpu_relax();
	bench_use_cycles = get_cycles() != c0;

	bench_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("run", 0200, bench_dir, NULL, &bench_run_fops);
	debugfs_create_file("results", 0400, bench_dir, NULL,
			    &bench_results_fops);
	return 0;
}

static void __exit bench_exit(void)
{
	debugfs_remove(bench_dir);
	vfree(bench_out);
}

module_init(bench_init);
module_exit(bench_exit);

MODULE_DESCRIPTION("cmafw benchmarks: the framework, lib/genalloc and the allocators on the same traces");
MODULE_LICENSE("GPL");
