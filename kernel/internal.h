/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cmafw internals shared by the core's files.  Nothing here is for drivers
 * or allocators.
 *
 * Locking, in the order the locks nest:
 *
 * 1. cmafw_rwsem (core.c) protects the list of regions, the list of
 *    allocators, every region's place in both, and the current map.
 *    Allocation, free and info take it for reading, so they never see a
 *    region half registered or a map half replaced; registration,
 *    unregistration and map replacement take it for writing.  It is a
 *    per-CPU rwsem: a reader only counts itself on its own CPU, so
 *    allocations on different CPUs share no cache line for it, and a
 *    writer pays for that with an RCU grace period (writers that follow
 *    one another within a grace period pay once).
 *    No reader holds it while it waits for a region's mutex: an
 *    allocation in a lend region holds that mutex while it waits seconds
 *    for the kernel to vacate memory (lend_take.c), and a writer queued
 *    behind a waiting reader would make every later reader, in every
 *    region, wait too.  Allocation and free pin the region instead
 *    (cmafw_region_pin()), drop the lock, take the region's mutex and
 *    unpin.  Removal marks the region closing, which refuses new pins for
 *    allocations (cmafw_region_pin_alloc()); frees, which need a chunk,
 *    still pin.  It waits for the pins with the lock dropped, checks them
 *    again each time it holds the lock, and checks the chunks once it
 *    holds the lock with no pin left, so no chunk can come or go under
 *    the check.  Info and configfs' live figures read a region's counters
 *    under the lock, without its mutex.  Taking a lend region's memory
 *    back can take seconds too: removal, the region still closing, marks
 *    it leaving (for sysfs) and drops the lock meanwhile.  Hot-adding a lend
 *    region's memory drops it too: the region waits on cmafw_arriving,
 *    which the name, overlap and allocator checks read and lookups do
 *    not.  What a reader keeps across the lock's release it keeps by a
 *    reference: a region by its pin, a map rule's list by the map's
 *    (cmafw_map_current_get()); a region it looks up again by name.
 *
 * 2. cma_region_state::lock, a mutex, serialises everything inside one
 *    region: the allocator's calls (the allocator contract: one thread in a
 *    region at a time, sleeping allowed), the chunk resources under the
 *    region's resource, and the region's counters.  Only this code adds or
 *    removes resources under a region's resource (chunks, and index.c's
 *    and index_sub.c's index resources), always under this mutex, so the
 *    subtree may be walked while holding it.  One exception: in lend mode
 *    the kernel adds and removes the "System RAM" resource the chunks hang
 *    under, without the mutex; readers then walk an empty stand-in
 *    (lend.c, state->chunk_root).
 *
 * 3. kernel/resource.c's own resource_lock is taken inside
 *    request_resource(), release_resource(), adjust_resource(),
 *    insert_resource() and remove_resource(); it is never held here.
 *
 * 4. The memory hotplug locks, which lend mode's activation and removal
 *    take through the kernel, are taken with none of the above held;
 *    lend.c's cmafw_lend_lock nests inside them (lend.c).
 *
 * No spinlock is held anywhere in cmafw, so every path may sleep.
 */
#ifndef _CMAFW_INTERNAL_H
#define _CMAFW_INTERNAL_H

#include <linux/cmafw.h>
#include <linux/cmafw-allocator.h>
#include <linux/atomic.h>
#include <linux/ioport.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/percpu-rwsem.h>
#include <linux/rcupdate.h>
#include <linux/wait_bit.h>

#include "name.h"

#define CMAFW_DEFAULT_ALLOCATOR	"bitmap"
#define CMAFW_COMMON_TYPE	"common"
/* A region's id: its name, or "private@<start>". */
#define CMAFW_ID_MAX		(CMAFW_NAME_MAX + 16)
/*
 * Records a region keeps when they fall free, rather than give them back to
 * the slab allocator and ask for them again: a device frees its set of
 * buffers and allocates the next one (a stream restarts, a resolution
 * changes), which would otherwise cost a kfree() and a kzalloc() per
 * buffer and per index block.  At most this many, per region, whatever the
 * region holds.
 */
#define CMAFW_SPARE_CHUNKS	16
#define CMAFW_SPARE_BLOCKS	4
/* Index levels over a region's chunks: groups of blocks, blocks. */
#define CMAFW_INDEX_LEVELS	2

struct cma_region_state;
struct cmafw_block;
struct cmafw_heap;
struct cmafw_lend;
struct cmafw_owner;

/**
 * struct cmafw_spares - records kept for reuse, a list through their
 * resource's @child.
 * @head:	the last one kept; NULL if none.
 * @nr:		how many.
 */
struct cmafw_spares {
	struct resource *head;
	unsigned int nr;
};

/* A kept record's resource, unzeroed; NULL if none is kept. */
static inline struct resource *cmafw_spare_take(struct cmafw_spares *s)
{
	struct resource *res = s->head;

	if (res) {
		s->head = res->child;
		s->nr--;
	}
	return res;
}

/* Keep the record of @res unless @max are kept; false if not kept. */
static inline bool cmafw_spare_keep(struct cmafw_spares *s,
				    struct resource *res, unsigned int max)
{
	if (s->nr >= max)
		return false;
	res->child = s->head;
	s->head = res;
	s->nr++;
	return true;
}

/**
 * struct cmafw_origin - who registered a region, and what it must hear.
 * @name:	"driver", "parameter", "configfs", "devicetree" or "boot",
 *		shown in sysfs.
 * @first_chunk: optional; called under the region's mutex before the
 *		region's first live chunk is created.  A non-zero return
 *		(the region is being removed) fails that allocation.
 * @last_chunk:	optional; called under the region's mutex after the last
 *		live chunk went away.
 * @admit:	optional; replaces the check that the range lies outside
 *		System RAM, for origins whose memory is RAM the kernel set
 *		aside itself (boot regions).  Called under cmafw_rwsem;
 *		logs one line and returns a negative errno to refuse.
 * @claim:	optional; replaces __request_region() for such origins: it
 *		must set state->res to a busy resource covering the range.
 * @release:	with @claim: undoes it.
 * @holds_module: the region keeps cmafw loaded while it is registered.  A
 *		driver's does: a driver whose cma_region_unregister() failed
 *		may go and leave its region behind, which must outlive it.
 */
struct cmafw_origin {
	const char *name;
	bool holds_module;
	int (*first_chunk)(struct cma_region *reg);
	void (*last_chunk)(struct cma_region *reg);
	int (*admit)(struct cma_region_state *state, dma_addr_t start,
		     size_t size);
	int (*claim)(struct cma_region_state *state, dma_addr_t start,
		     size_t size);
	void (*release)(struct cma_region_state *state);
};

/**
 * struct cmafw_index_level - one level of a region's index (index.c).
 * @slots:	its index resources by number, NULL where there is none.
 * @loose:	the deepest level's only (index_gather.c): by number, the
 *		chunks of a block without an index resource, which hang
 *		under its group's; 0 where it has one.
 * @bands:	the group level's only: by number, a dense group's bands,
 *		2^CMAFW_BAND_ORDER resources in one allocation (index_sub.c),
 *		NULL for a plain group; itself NULL until a group first turns
 *		dense.
 * @nr:		entries in @slots (and @loose, @bands).
 * @shift:	log2 of its blocks' size in bytes.
 */
struct cmafw_index_level {
	struct cmafw_block **slots;
	unsigned short *loose;
	struct resource **bands;
	unsigned long nr;
	unsigned int shift;
};

/**
 * struct cma_region_state - the framework's side of a registered region.
 * @reg:	the registrant's description (name, start, size ...), read
 *		while it registers; after that only an origin's own hooks
 *		use it (a driver may free it after an -EBUSY unregister):
 *		later readers use the copies here (@id, @lend_mode).
 * @origin:	who registered it.
 * @kobj:	/sys/kernel/cmafw/regions/<id>; its release frees the state.
 * @res:	the region's resource in iomem_resource: busy in carve mode,
 *		with the chunks (and index.c's resources) below it; in lend
 *		mode a non-busy parent of the RAM the kernel borrows (lend.c).
 * @chunk_root:	where the chunks hang: @res, or in lend mode the RAM
 *		resource under it.
 * @lend:	lend mode's state (lend_state.h); NULL for a carve-out.
 * @node:	entry in cmafw_regions.
 * @lock:	see the locking rules at the top of this file.
 * @alloc:	placement algorithm.
 * @alloc_priv:	@alloc's data for this region.
 * @free:	bytes not in any chunk.
 * @chunks:	number of live chunks.
 * @nr_alloc:	chunks handed out since registration.
 * @nr_fail:	requests this region could not fit.
 * @nr_release:	chunks given back.
 * @index:	index levels (index.c), the coarsest first: each level's
 *		index resources by number (@index[l].slots, @index[l].nr of
 *		them) and log2 of its blocks' size in bytes
 *		(@index[l].shift).
 * @index_depth: levels its index has when built, 0 for a region too
 *		small to need one.
 * @index_from:	chunks from which it builds its index, and below a quarter
 *		of which it drops it; 0 never (index_build.c).
 * @nr_levels:	levels whose arrays exist: @index_depth while it has an
 *		index, else 0.
 * @indexed:	its chunks hang under @index's resources; false while it
 *		holds too few to need them (index_build.c).
 * @id:		the name sysfs and /proc/iomem use: the region's name, or
 *		"private@<start>" for a private region.
 * @name_len:	the length of the region's name; 0 for a private region.
 * @res_name:	"cmafw:<id>", the name shown in /proc/iomem.
 * @owners:	the names its chunks show (owner.c), under @lock.
 * @spares:	chunk records kept for reuse (chunk.c), under @lock, at
 *		most CMAFW_SPARE_CHUNKS.
 * @spare_blocks: index block records kept for reuse (index.c), under
 *		@lock, at most CMAFW_SPARE_BLOCKS.
 * @idle_owner:	the last owner entry whose chunks all went (owner.c), kept
 *		for the same owner's next chunk, under @lock; NULL if none.
 * @heap:	the region's dma-buf heap (heap.c); NULL for a private one.
 * @pins:	allocations and frees being served with cmafw_rwsem dropped
 *		(cmafw_region_pin()); removal waits for none to be left.
 * @closing:	a removal is waiting for the pins, or taking the memory
 *		back: allocations are refused before they pin (-EBUSY), and
 *		other removals.  Under cmafw_rwsem.
 * @leaving:	a lend region whose memory removal is taking back with
 *		cmafw_rwsem dropped (closing all the while), shown in sysfs.
 *		Changed under cmafw_rwsem held for writing
 *		and @lock, so either one is enough to read it.
 * @lend_mode:	@reg->lend, for sysfs, which cannot ask @lend either:
 *		removal frees it before the region leaves sysfs.
 */
struct cma_region_state {
	struct cma_region *reg;
	const struct cmafw_origin *origin;
	struct kobject kobj;
	struct resource *res;
	struct resource *chunk_root;
	struct cmafw_lend *lend;
	struct list_head node;
	struct mutex lock;		/* rules at the top of this file */
	struct cma_allocator *alloc;
	void *alloc_priv;
	size_t free;
	unsigned int chunks;
	unsigned long nr_alloc;
	unsigned long nr_fail;
	unsigned long nr_release;
	struct cmafw_index_level index[CMAFW_INDEX_LEVELS];
	unsigned int index_depth;
	unsigned int index_from;
	unsigned int nr_levels;
	bool indexed;
	char id[CMAFW_ID_MAX];
	size_t name_len;
	char res_name[CMAFW_NAME_MAX + 24];
	struct list_head owners;
	struct cmafw_spares spares;
	struct cmafw_spares spare_blocks;
	struct cmafw_owner *idle_owner;
	struct cmafw_heap *heap;
	atomic_t pins;
	bool closing;
	bool leaving;
	bool lend_mode;
};

/**
 * struct cmafw_arrival - a lend region whose memory is being hot-added
 * with cmafw_rwsem dropped (region.c), not yet in cmafw_regions.
 * @node:	entry in cmafw_arriving, under cmafw_rwsem.
 * @state:	the region; its id and allocator are set.
 * @start:	its first byte: a copy, as activation may free @state->res
 *		(lend.c).
 * @end:	its last byte.
 */
struct cmafw_arrival {
	struct list_head node;
	struct cma_region_state *state;
	dma_addr_t start;
	dma_addr_t end;
};

/* core.c */
extern struct percpu_rw_semaphore cmafw_rwsem;
extern struct list_head cmafw_regions;
extern struct list_head cmafw_arriving;

/*
 * A writer's release of cmafw_rwsem leaves an RCU callback queued on the
 * lock's rcu_sync: a grace period later it returns the readers to their
 * fast path, and it queues itself once more if another writer came and
 * went meanwhile.  Two barriers see both through, once no writer is left:
 * before the module's memory goes, and in the bench before it times
 * readers.
 */
static inline void cmafw_rwsem_quiesce(void)
{
	rcu_barrier();
	rcu_barrier();
}

/* allocator.c */
struct cma_allocator *cmafw_allocator_get(const char *name);
void cmafw_allocator_put(struct cma_allocator *alloc);
ssize_t cmafw_allocator_names(char *buf);
bool cmafw_allocator_exists(const char *name);

/* region.c */
int cmafw_region_add(struct cma_region *reg,
		     const struct cmafw_origin *origin);
/**
 * enum cmafw_removal - who removes a region, which decides how it waits.
 * @CMAFW_REMOVE_DRIVER: its registrant (cma_region_unregister(), the
 *	device tree, configfs' rmdir): waits for allocations in progress,
 *	and refuses a lend region whose memory the kernel cannot vacate.
 * @CMAFW_REMOVE_ADMIN: an administrator (configfs' active): the same, but
 *	a fatal signal ends the wait for allocations in progress (-EINTR),
 *	with nothing changed.
 * @CMAFW_REMOVE_FINAL: the module going away: a lend region the kernel
 *	cannot vacate is left to the kernel instead of refused.
 */
enum cmafw_removal {
	CMAFW_REMOVE_DRIVER,
	CMAFW_REMOVE_ADMIN,
	CMAFW_REMOVE_FINAL,
};

int cmafw_region_remove(struct cma_region *reg, enum cmafw_removal how);
struct cma_region_state *cmafw_region_find(const char *name, size_t len);
struct cma_region_state *cmafw_region_named(const char *name);
struct cma_region_state *cmafw_region_containing(dma_addr_t addr);
bool cmafw_name_valid(const char *name);

/*
 * Every allocation and free pins its region: the pins are inline, so that
 * they cost no call (under TCG a call costs as much as a few dozen
 * instructions).
 */

/**
 * cmafw_region_pin() - keep a region registered while cmafw_rwsem is
 * dropped.
 * @state:	a registered region.
 *
 * cmafw_region_remove() waits until every pin is gone before it looks at
 * the region's chunks.
 *
 * Context: cmafw_rwsem held for reading.
 */
static inline void cmafw_region_pin(struct cma_region_state *state)
{
	lockdep_assert_held_read(&cmafw_rwsem);
	atomic_inc(&state->pins);
}

/**
 * cmafw_region_pin_alloc() - pin a region for an allocation, unless it is
 * being removed.
 * @state:	a registered region.
 *
 * A removal waiting for the pins to go would wait for ever if
 * allocations kept coming; it refuses them instead, and only frees pin
 * a closing region.
 *
 * Context: cmafw_rwsem held for reading.
 * Return: true if pinned; false if the region is closing.
 */
static inline bool cmafw_region_pin_alloc(struct cma_region_state *state)
{
	lockdep_assert_held_read(&cmafw_rwsem);
	if (state->closing)
		return false;
	atomic_inc(&state->pins);
	return true;
}

/*
 * While a removal waits for the pins (region.c), they count up from this
 * bias instead of from zero, so that the unpin bringing them back to it
 * knows, from the count alone, that it must wake the removal: it may not
 * read @state after its decrement, which lets the removal go on and free
 * it.  With no removal waiting, the last unpin calls nothing.
 */
#define CMAFW_PINS_WAITED	0x40000000

/**
 * cmafw_region_unpin() - drop a pin; @state may be gone once it returns.
 * @state:	a pinned region.
 *
 * Context: cmafw_rwsem not held.
 */
static inline void cmafw_region_unpin(struct cma_region_state *state)
{
	/*
	 * Fully ordered against the removal's atomic_add() of the bias and
	 * its wait: either it sees this decrement, or this sees its bias.
	 * wake_up_var() only hashes the address: @state may be freed.
	 */
	if (atomic_dec_return(&state->pins) == CMAFW_PINS_WAITED)
		wake_up_var(&state->pins);
}

/*
 * Who frees a chunk: the driver that asked for it, through cma_free(), or
 * the release of the dma-buf that a region's heap made of it (heap_buf.c),
 * and only that.  A driver's cma_free() of a heap buffer's address, a
 * double free that met a reused chunk, would free it under userspace.
 */
enum cmafw_holder {
	CMAFW_HELD_BY_DRIVER,
	CMAFW_HELD_BY_HEAP,
};

/*
 * Whether @x is a power of two that a dma_addr_t holds, an alignment.
 * is_power_of_2() takes an unsigned long, which on a 32-bit kernel with
 * 64-bit physical addresses (PAE, LPAE) would judge it by its low 32 bits
 * alone; without PAE, a u64 of 4 GiB would be stored as 0.
 */
static inline bool cmafw_is_pow2(u64 x)
{
	return x && !(x & (x - 1)) && x == (dma_addr_t)x;
}

/* owner.c */
const char *cmafw_owner_get(struct cma_region_state *state,
			    enum cmafw_holder holder, const char *owner,
			    const char *type);
struct cmafw_owner *cmafw_owner_find(struct cma_region_state *state,
				     const char *name);
struct cmafw_owner *cmafw_owner_of(struct cma_region_state *state,
				   const char *name, enum cmafw_holder holder);
void cmafw_owner_put(struct cma_region_state *state, struct cmafw_owner *o);
void cmafw_owner_exit(struct cma_region_state *state);

/* chunk.c */
int cmafw_chunk_place(struct cma_region_state *state, size_t size,
		      dma_addr_t align, dma_addr_t *addr);
dma_addr_t cmafw_chunk_alloc(struct cma_region_state *state, size_t size,
			     dma_addr_t align, enum cmafw_holder holder,
			     const char *owner, const char *type);
int cmafw_chunk_free(struct cma_region_state *state, enum cmafw_holder holder,
		     dma_addr_t addr, size_t *size);
void cmafw_chunk_exit(struct cma_region_state *state);

void cmafw_chunk_walk_holes(struct cma_region_state *state,
			    void (*fn)(void *arg, size_t size), void *arg);
void cmafw_chunk_walk(struct cma_region_state *state,
		      void (*fn)(void *arg, const char *owner, size_t size),
		      void *arg);

/* configfs.c */
int cmafw_configfs_init(void);
void cmafw_configfs_exit(void);

/* index.c */
void cmafw_index_init(struct cma_region_state *state);
void cmafw_index_exit(struct cma_region_state *state);
int cmafw_index_insert(struct cma_region_state *state, struct resource *res);
struct resource *cmafw_index_find(struct cma_region_state *state,
				  resource_size_t addr);
void cmafw_index_remove(struct cma_region_state *state, struct resource *res);
void cmafw_index_walk(struct cma_region_state *state,
		      void (*fn)(void *arg, struct resource *res), void *arg);

/* parse.c */
int cmafw_parse_size(const char *s, size_t len, u64 *val);

/* sysfs.c */
int cmafw_sysfs_init(void);
void cmafw_sysfs_exit(void);
void cmafw_sysfs_region_init(struct cma_region_state *state);
int cmafw_sysfs_region_add(struct cma_region_state *state);

/* map_store.c */
struct cmafw_map_ref;
const char *cmafw_map_current_get(const char *dev, const char *type,
				  struct cmafw_map_ref **ref);
void cmafw_map_put(struct cmafw_map_ref *ref);
ssize_t cmafw_map_show(char *buf);
void cmafw_map_exit(void);

/* params.c, or early_param.c with CONFIG_CMAFW_BOOT */
int cmafw_params_init(void);
void cmafw_params_exit(void);
bool cmafw_params_final(void);
void cmafw_params_abort(int err);
bool cmafw_params_have_map(void);

/* of.c: regions from the device tree, per-device memory-region */
struct device;
#ifdef CONFIG_OF
void cmafw_of_init(void);
void cmafw_of_exit(void);
const char *cmafw_of_lookup(const struct device *dev, const char *type);
#else
static inline void cmafw_of_init(void) { }
static inline void cmafw_of_exit(void) { }
static inline const char *cmafw_of_lookup(const struct device *dev,
					  const char *type)
{
	return NULL;
}
#endif

/* early.c */
void cmafw_early_regions_register(void);
void cmafw_early_regions_abandon(int err);
int cmafw_early_region_check(const struct cma_region *reg);

/* param_parse.c */
int cmafw_param_parse(struct cma_region *reg, char *name, char *alloc,
		      const char *base, const char *spec, bool need_start);

#endif /* _CMAFW_INTERNAL_H */
