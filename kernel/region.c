// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: regions.  A registered region is an IORESOURCE_MEM resource in
 * iomem_resource, nested under whatever non-busy entry covers it (such as
 * the "Reserved" range memmap= creates): busy, with its chunks below it
 * (under index.c's resources), or in lend mode not busy, with the RAM the
 * kernel borrows below it and the chunks below that (lend.c).  The list
 * of regions and their registration are under cmafw_rwsem; see
 * internal.h.
 */
#define pr_fmt(fmt) "cmafw: " fmt

#include <linux/ctype.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait_bit.h>

#include "heap.h"
#include "internal.h"
#include "lend.h"
#include "logval.h"
#include "map.h"
#include "name_cmp.h"

/**
 * cmafw_name_valid() - check a region or allocator name.
 * @name:	the name.
 *
 * A name is 1 to CMAFW_NAME_MAX printable characters without blanks and
 * without the reserved characters of CMAFW_NAME_RESERVED (name.h).  "."
 * and ".." are not names: a region's name is its sysfs directory's.
 *
 * Return: true if @name is usable.
 */
bool cmafw_name_valid(const char *name)
{
	const char *c;

	if (!name || !*name || strlen(name) > CMAFW_NAME_MAX ||
	    !strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	for (c = name; *c; c++)
		if (!isgraph(*c) || strchr(CMAFW_NAME_RESERVED, *c))
			return false;
	return true;
}

/**
 * cmafw_region_find() - look a named region up.
 * @name:	the name; need not be NUL-terminated.
 * @len:	its length.
 *
 * Context: cmafw_rwsem held.
 * Return: the region, or NULL.
 */
struct cma_region_state *cmafw_region_find(const char *name, size_t len)
{
	struct cma_region_state *state;

	lockdep_assert_held(&cmafw_rwsem);
	/*
	 * The framework's copy of the name, not the registrant's: a driver
	 * that frees its struct after an -EBUSY unregister must not take
	 * every lookup down with it.  A private region's id,
	 * "private@<start>", is no name: its @name_len is 0.  Lengths first:
	 * every allocation by name comes here.
	 */
	list_for_each_entry(state, &cmafw_regions, node)
		if (len && state->name_len == len &&
		    !memcmp(state->id, name, len))
			return state;
	return NULL;
}

/**
 * cmafw_region_named() - the region a name in a list names.
 * @name:	a name that ends at a ',', a ';' or a NUL (cmafw_name_skip()).
 *
 * Each region's name is compared with @name's characters a word at a time
 * where the kernel can (cmafw_name_starts()), without measuring @name
 * first: every allocation by name comes here.  A private region has no
 * name (cmafw_region_find()).
 *
 * Context: cmafw_rwsem held.
 * Return: the region, or NULL.
 */
struct cma_region_state *cmafw_region_named(const char *name)
{
	struct cma_region_state *state;

	/* A name's last word still lies inside the id that holds it. */
	static_assert(ALIGN(CMAFW_NAME_MAX, sizeof(long)) <= CMAFW_ID_MAX);
	lockdep_assert_held(&cmafw_rwsem);
	list_for_each_entry(state, &cmafw_regions, node)
		if (state->name_len &&
		    cmafw_name_starts(name, state->id, state->name_len) &&
		    cmafw_name_end(name[state->name_len]))
			return state;
	return NULL;
}

/**
 * cmafw_region_containing() - find the region an address lies in.
 * @addr:	a physical address.
 *
 * Context: cmafw_rwsem held.
 * Return: the region, or NULL.
 */
struct cma_region_state *cmafw_region_containing(dma_addr_t addr)
{
	struct cma_region_state *state;

	lockdep_assert_held(&cmafw_rwsem);
	list_for_each_entry(state, &cmafw_regions, node)
		if (addr >= state->res->start && addr <= state->res->end)
			return state;
	return NULL;
}

/*
 * Whether @state is a registered region's; compares pointers only, so
 * @state may be stale.  Under cmafw_rwsem.
 */
static bool cmafw_region_listed(const struct cma_region_state *state)
{
	const struct cma_region_state *s;

	list_for_each_entry(s, &cmafw_regions, node)
		if (s == state)
			return true;
	return false;
}

/* The id of a region, or of one arriving, that [start, end] overlaps. */
static const char *cmafw_region_overlapping(dma_addr_t start, dma_addr_t end)
{
	struct cma_region_state *state;
	struct cmafw_arrival *a;

	list_for_each_entry(state, &cmafw_regions, node)
		if (start <= state->res->end && end >= state->res->start)
			return state->id;
	list_for_each_entry(a, &cmafw_arriving, node)
		if (start <= a->end && end >= a->start)
			return a->state->id;
	return NULL;
}

/* Whether a region, or one arriving, has the name @name. */
static bool cmafw_region_name_taken(const char *name)
{
	struct cmafw_arrival *a;

	if (cmafw_region_find(name, strlen(name)))
		return true;
	list_for_each_entry(a, &cmafw_arriving, node)
		if (!strcmp(a->state->id, name))
			return true;
	return false;
}

/*
 * Check the registrant's fields and compute the region's real geometry:
 * size up to whole pages, alignment at least a page, start up to it.
 */
static int cmafw_region_geometry(const struct cma_region *reg,
				 dma_addr_t *start, size_t *size,
				 dma_addr_t *align)
{
	const char *id = reg->name ?: "(private)";
	struct cmafw_logval v;

	if (reg->state) {
		pr_err("region %s: already registered\n", id);
		return -EEXIST;
	}
	if (reg->name && !cmafw_name_valid(reg->name)) {
		pr_err("region name \"%s\": use 1-%d printable characters without blanks or %s, other than . and ..\n",
		       cmafw_logval(&v, reg->name, strlen(reg->name)),
		       CMAFW_NAME_MAX, CMAFW_NAME_RESERVED);
		return -EINVAL;
	}
	if (reg->alignment && !cmafw_is_pow2(reg->alignment)) {
		pr_err("region %s: alignment %pad is not a power of two\n",
		       id, &reg->alignment);
		return -EINVAL;
	}
	if (!reg->size) {
		pr_err("region %s: size 0\n", id);
		return -EINVAL;
	}
	*align = max_t(dma_addr_t, reg->alignment, PAGE_SIZE);
	*start = ALIGN(reg->start, *align);
	*size = PAGE_ALIGN(reg->size);
	if (*size < reg->size || *start < reg->start ||
	    *start + *size - 1 < *start) {
		pr_err("region %s: size %zu at %pad does not fit the address space\n",
		       id, reg->size, &reg->start);
		return -EINVAL;
	}
	return 0;
}

/* Everything that can refuse the range, each with its own errno. */
static int cmafw_region_admissible(struct cma_region_state *state,
				   const struct cma_region *reg,
				   dma_addr_t start, size_t size)
{
	dma_addr_t end = start + size - 1;
	const char *other;

	if (reg->name && cmafw_region_name_taken(reg->name)) {
		pr_err("region %s: name already in use\n", reg->name);
		return -EEXIST;
	}
	other = cmafw_region_overlapping(start, end);
	if (other) {
		pr_err("region %s: %pad-%pad overlaps region %s\n",
		       state->id, &start, &end, other);
		return -EADDRINUSE;
	}
	/* Where the architecture sets it (x86: the CPU's physical bits). */
	if (end > iomem_resource.end) {
		pr_err("region %s: %pad-%pad lies beyond the physical address space, which ends at %pa\n",
		       state->id, &start, &end, &iomem_resource.end);
		return -EADDRNOTAVAIL;
	}
	/* A lend range becomes System RAM: lend.c checks its shape. */
	if (reg->lend)
		return cmafw_lend_admissible(state, start, size);
	if (state->origin->admit)
		return state->origin->admit(state, start, size);
	if (region_intersects(start, size, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_DISJOINT) {
		pr_err("region %s: %pad-%pad overlaps System RAM the kernel manages\n",
		       state->id, &start, &end);
		return -EADDRNOTAVAIL;
	}
	return 0;
}

static int cmafw_region_attach(struct cma_region_state *state,
			       const char *alloc_name, dma_addr_t start,
			       size_t size)
{
	void *priv;

	state->alloc = cmafw_allocator_get(alloc_name);
	if (!state->alloc) {
		pr_err("region %s: no allocator named \"%s\"\n", state->id,
		       alloc_name);
		return -ENODEV;
	}
	priv = state->alloc->init(start, size);
	if (IS_ERR(priv)) {
		pr_err("region %s: allocator %s failed to start: %pe\n",
		       state->id, alloc_name, priv);
		cmafw_allocator_put(state->alloc);
		return PTR_ERR(priv);
	}
	state->alloc_priv = priv;
	return 0;
}

static void cmafw_region_detach(struct cma_region_state *state)
{
	if (state->alloc->cleanup)
		state->alloc->cleanup(state->alloc_priv);
	cmafw_allocator_put(state->alloc);
}

static int cmafw_region_claim(struct cma_region_state *state,
			      dma_addr_t start, size_t size)
{
	dma_addr_t end = start + size - 1;
	int ret;

	if (state->origin->claim) {
		ret = state->origin->claim(state, start, size);
		if (ret)
			return ret;
	} else {
		state->res = __request_region(&iomem_resource, start, size,
					      state->res_name, 0);
		if (!state->res) {
			pr_err("region %s: %pad-%pad is held by another driver (see /proc/iomem)\n",
			       state->id, &start, &end);
			return -EBUSY;
		}
	}
	/* Chunks hang here, unless lend.c puts them under the borrowed RAM. */
	state->chunk_root = state->res;
	return 0;
}

static void cmafw_region_release(struct cma_region_state *state)
{
	if (state->origin->release)
		state->origin->release(state);
	else
		__release_region(&iomem_resource, state->res->start,
				 resource_size(state->res));
}

static const struct cmafw_origin cmafw_origin_driver = {
	.name = "driver",
	.holds_module = true,
};

/*
 * Lend a claimed region's memory to the kernel (lend.c), or take it back
 * from a region that failed to register, with cmafw_rwsem dropped:
 * hot-adding and onlining the memory takes tens of milliseconds or more,
 * emptying it again seconds when the kernel has used it meanwhile, and
 * the other regions serve meanwhile.  On cmafw_arriving the region keeps
 * its name and range from other registrations, and its allocator from
 * unregistering, while no lookup finds it.
 *
 * Context: cmafw_rwsem held for writing; dropped, and held again on return.
 * Return: cmafw_lend_activate()'s, or cmafw_lend_deactivate()'s (final:
 * what the kernel will not give back, it keeps).
 */
static int cmafw_region_lend_unlocked(struct cma_region_state *state,
				      bool lend)
{
	struct cmafw_arrival a = {
		.state = state,
		.start = state->res->start,
		.end = state->res->end,
	};
	int ret;

	list_add_tail(&a.node, &cmafw_arriving);
	percpu_up_write(&cmafw_rwsem);
	ret = lend ? cmafw_lend_activate(state) :
	      cmafw_lend_deactivate(state, true);
	percpu_down_write(&cmafw_rwsem);
	list_del(&a.node);
	return ret;
}

/**
 * cmafw_region_add() - register a region on behalf of @origin.
 * @reg:	the region.
 * @origin:	who registers it; its hooks hear of the first and last chunk.
 *
 * On success @reg's start, size and alignment hold the values in use.
 * On error nothing has changed and one line in the kernel log says why;
 * only a lend region that fails after its memory was lent may leave
 * memory the kernel will not give back as System RAM, with a line more.
 *
 * Context: process context; takes cmafw_rwsem.
 * Return: 0 or a negative errno, as documented for cma_region_register().
 */
int cmafw_region_add(struct cma_region *reg, const struct cmafw_origin *origin)
{
	struct cma_region_state *state;
	dma_addr_t start, align;
	size_t size;
	int ret;

	if (!reg)
		return -EINVAL;
	ret = cmafw_region_geometry(reg, &start, &size, &align);
	if (ret)
		return ret;

	state = kzalloc(sizeof(*state), GFP_KERNEL);
	if (!state)
		return -ENOMEM;
	/* From here on kobject_put() frees the state. */
	cmafw_sysfs_region_init(state);
	mutex_init(&state->lock);
	INIT_LIST_HEAD(&state->owners);
	state->reg = reg;
	state->lend_mode = reg->lend;
	state->origin = origin;
	state->free = size;
	if (reg->name)
		state->name_len = strscpy(state->id, reg->name,
					  sizeof(state->id));
	else
		snprintf(state->id, sizeof(state->id), "private@%llx",
			 (unsigned long long)start);
	snprintf(state->res_name, sizeof(state->res_name), "cmafw:%s",
		 state->id);

	percpu_down_write(&cmafw_rwsem);
	ret = cmafw_region_admissible(state, reg, start, size);
	if (ret)
		goto out_unlock;
	/* The claim first: it is cheap, the allocator's start may not be. */
	ret = cmafw_region_claim(state, start, size);
	if (ret)
		goto out_unlock;
	ret = cmafw_region_attach(state, reg->alloc_name ?:
				  CMAFW_DEFAULT_ALLOCATOR, start, size);
	if (ret)
		goto out_release;
	if (reg->lend) {
		ret = cmafw_region_lend_unlocked(state, true);
		if (ret)
			goto out_detach;
	}
	cmafw_index_init(state);
	ret = cmafw_heap_add(state);
	if (ret)
		goto out_index;
	ret = cmafw_sysfs_region_add(state);
	if (ret) {
		pr_err("region %s: cannot add to sysfs: %d\n", state->id, ret);
		goto out_heap;
	}
	list_add_tail(&state->node, &cmafw_regions);
	reg->start = start;
	reg->size = size;
	reg->alignment = align;
	reg->state = state;
	if (origin->holds_module)
		__module_get(THIS_MODULE);
	pr_info("region %s: %pR, allocator %s, %s\n", state->id, state->res,
		state->alloc->name, state->lend ? "lend" : "carve");
	percpu_up_write(&cmafw_rwsem);
	return 0;

out_heap:
	cmafw_heap_remove(state);
out_index:
	cmafw_index_exit(state);
	cmafw_chunk_exit(state);
	/* The kernel may have used the memory since: it gives it back. */
	if (state->lend && cmafw_region_lend_unlocked(state, false)) {
		/* It keeps it: the resource is out of the tree (lend.c). */
		kfree(state->res);
		state->res = NULL;
	}
out_detach:
	cmafw_region_detach(state);
out_release:
	/* NULL when the kernel kept a lend range (one line said so). */
	if (state->res)
		cmafw_region_release(state);
out_unlock:
	percpu_up_write(&cmafw_rwsem);
	kobject_put(&state->kobj);
	return ret;
}

/**
 * cmafw_region_register() - add a region; see cma_region_register().
 * @reg:	the region.
 *
 * On success @reg's start, size and alignment hold the values in use.
 * On error nothing has changed and one line in the kernel log says why
 * (a NULL @reg gets -EINVAL alone), except that a lend region that fails
 * after its memory was lent may leave memory the kernel will not give
 * back as System RAM.
 *
 * Context: process context; takes cmafw_rwsem.
 * Return: 0 or a negative errno, as documented for cma_region_register().
 */
int cmafw_region_register(struct cma_region *reg)
{
	return cmafw_region_add(reg, &cmafw_origin_driver);
}
EXPORT_SYMBOL_GPL(cmafw_region_register);

/* No pin left but the waiting removal's bias (internal.h). */
static bool cmafw_region_waited(struct cma_region_state *state)
{
	return atomic_read_acquire(&state->pins) == CMAFW_PINS_WAITED;
}

/*
 * Wait until no allocation or free is in progress in @state, a closing
 * region.  An allocation or free in progress holds no lock, only a pin:
 * wait for it with the lock dropped, so that other regions are not held
 * up meanwhile, the state kept by a reference.  Pins are taken under the
 * lock, so none comes while it is held; a free may pin the region while
 * it is dropped, so the pins are checked again each time it is taken.  A
 * closing region takes no pin for an allocation and a free needs a
 * chunk, so the waits end.  Only @how's CMAFW_REMOVE_ADMIN wait ends on
 * a fatal signal.
 *
 * Context: cmafw_rwsem held for writing; dropped and taken again.
 * Return: 0 with no pin left, or -EINTR.
 */
static int cmafw_region_unpinned(struct cma_region_state *state,
				 enum cmafw_removal how)
{
	int ret = 0;

	atomic_add(CMAFW_PINS_WAITED, &state->pins);
	while (!cmafw_region_waited(state)) {
		kobject_get(&state->kobj);
		percpu_up_write(&cmafw_rwsem);
		if (how == CMAFW_REMOVE_ADMIN)
			ret = wait_var_event_killable(&state->pins,
						      cmafw_region_waited(state));
		else
			wait_var_event(&state->pins, cmafw_region_waited(state));
		percpu_down_write(&cmafw_rwsem);
		kobject_put(&state->kobj);
		if (ret)
			break;
	}
	/* Under the lock for writing: no pin comes before it is dropped. */
	atomic_sub(CMAFW_PINS_WAITED, &state->pins);
	return ret ? -EINTR : 0;
}

static void cmafw_region_set_leaving(struct cma_region_state *state,
				     bool leaving)
{
	mutex_lock(&state->lock);
	state->leaving = leaving;
	mutex_unlock(&state->lock);
}

/*
 * Take a lend region's memory back (lend.c) with cmafw_rwsem dropped: the
 * kernel may need seconds to vacate it, and the other regions serve
 * meanwhile.  The region, closing, refuses allocations, so it stays
 * without chunks, and other removals, so it stays registered; sysfs shows
 * it leaving.
 *
 * Context: cmafw_rwsem held for writing, the region without pins or
 * chunks; dropped, and held again on return with no pin left.
 * Return: cmafw_lend_deactivate()'s.
 */
static int cmafw_region_take_back(struct cma_region_state *state,
				  enum cmafw_removal how)
{
	int ret;

	cmafw_region_set_leaving(state, true);
	percpu_up_write(&cmafw_rwsem);
	ret = cmafw_lend_deactivate(state, how == CMAFW_REMOVE_FINAL);
	percpu_down_write(&cmafw_rwsem);
	/*
	 * A free of no chunk (a driver's bug) may hold a pin.  Not killable:
	 * the memory may be gone from the kernel already.
	 */
	cmafw_region_unpinned(state, CMAFW_REMOVE_DRIVER);
	if (ret < 0)
		cmafw_region_set_leaving(state, false);
	return ret;
}

/**
 * cmafw_region_remove() - remove a region.
 * @reg:	a registered region.
 * @how:	who removes it (enum cmafw_removal).
 *
 * While it waits for allocations in progress, the region refuses new
 * ones (-EBUSY), and a list of regions goes on to the next.
 *
 * Context: process context; takes cmafw_rwsem.
 * Return: 0; -EBUSY while chunks are live, while another removal is under
 * way or, for a lend region unless CMAFW_REMOVE_FINAL, while the kernel
 * cannot vacate its memory; -EINTR when a fatal signal ended the wait of
 * a CMAFW_REMOVE_ADMIN removal, or a signal stopped taking a lend
 * region's memory back; -EINVAL if not registered, or if @reg is
 * a copy of the registered struct.  On error nothing has changed.
 */
int cmafw_region_remove(struct cma_region *reg, enum cmafw_removal how)
{
	struct cma_region_state *state;
	bool holds_module;
	int ret;

	if (!reg)
		return -EINVAL;

	percpu_down_write(&cmafw_rwsem);
	/* Checked under the lock: a concurrent removal may have won. */
	state = reg->state;
	if (!state) {
		percpu_up_write(&cmafw_rwsem);
		return -EINVAL;
	}
	/*
	 * A copy of a registered struct: the original would keep the state.
	 * A copy of one since removed holds a stale pointer, compared with
	 * the registered regions' before anything reads through it.
	 */
	if (!cmafw_region_listed(state)) {
		pr_err("unregistering a region that is not registered, a copy of one removed since\n");
		percpu_up_write(&cmafw_rwsem);
		return -EINVAL;
	}
	if (state->reg != reg) {
		pr_err("region %s: unregistered through a copy of its struct cma_region\n",
		       state->id);
		percpu_up_write(&cmafw_rwsem);
		return -EINVAL;
	}
	if (state->closing) {
		if (state->leaving)
			pr_err("region %s: its memory is already being taken back\n",
			       state->id);
		else
			pr_err("region %s: already being removed\n", state->id);
		percpu_up_write(&cmafw_rwsem);
		return -EBUSY;
	}
	state->closing = true;
	ret = cmafw_region_unpinned(state, how);
	if (!ret && state->chunks) {
		pr_err("region %s: still has %u chunks\n", state->id,
		       state->chunks);
		ret = -EBUSY;
	}
	if (!ret && state->lend)
		ret = cmafw_region_take_back(state, how);
	if (ret < 0) {
		state->closing = false;
		percpu_up_write(&cmafw_rwsem);
		return ret;
	}
	list_del(&state->node);
	reg->state = NULL;
	holds_module = state->origin->holds_module;
	cmafw_heap_remove(state);
	/* Waits for sysfs readers, which use the resource. */
	kobject_del(&state->kobj);
	cmafw_index_exit(state);
	cmafw_chunk_exit(state);
	if (ret)	/* 1: the kernel kept the memory (lend.c) */
		kfree(state->res);
	else
		cmafw_region_release(state);
	cmafw_region_detach(state);
	percpu_up_write(&cmafw_rwsem);

	kobject_put(&state->kobj);
	if (holds_module)
		module_put(THIS_MODULE);
	return 0;
}

/**
 * cmafw_region_unregister() - remove a region; see cma_region_unregister().
 * @reg:	a registered region.
 *
 * Context: process context; takes cmafw_rwsem.
 * Return: 0, -EBUSY while chunks are live, while another removal is under
 * way or while the kernel cannot vacate a lend region, -EINTR when a
 * signal stopped the kernel vacating one, -EINVAL if not registered or if
 * @reg is a copy of the registered struct.
 */
int cmafw_region_unregister(struct cma_region *reg)
{
	return cmafw_region_remove(reg, CMAFW_REMOVE_DRIVER);
}
EXPORT_SYMBOL_GPL(cmafw_region_unregister);
