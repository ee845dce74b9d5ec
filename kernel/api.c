// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: the device API.  Requests are checked here, routed by the map or
 * by region name, and served by chunk.c.  The inline wrappers with the
 * seed's names are in <linux/cmafw.h>.
 */
#define pr_fmt(fmt) "cmafw: " fmt

#include <linux/device.h>
#include <linux/err.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/string.h>

#include "internal.h"
#include "logval.h"
#include "map.h"
#include "trace.h"

/* Sizes round up to pages and alignments to at least a page. */
static int cmafw_request_check(size_t *size, dma_addr_t *align)
{
	if (!*size || (*align && !cmafw_is_pow2(*align)))
		return -EINVAL;
	if (*size > SIZE_MAX - PAGE_SIZE + 1)
		return -ENOMEM;
	*size = PAGE_ALIGN(*size);
	*align = max_t(dma_addr_t, *align, PAGE_SIZE);
	return 0;
}

/*
 * Serve a request from one region, pinned while cmafw_rwsem is dropped
 * (internal.h); the region's name goes to @served, for the trace, while
 * it is pinned.  -EBUSY while a removal waits for the region.
 *
 * Context: cmafw_rwsem held for reading; released on return.
 */
static dma_addr_t cmafw_alloc_pinned(struct cma_region_state *state,
				     size_t size, dma_addr_t align,
				     const char *owner, const char *type,
				     char *served)
{
	dma_addr_t ret;

	if (!cmafw_region_pin_alloc(state)) {
		percpu_up_read(&cmafw_rwsem);
		return -EBUSY;
	}
	percpu_up_read(&cmafw_rwsem);
	ret = cmafw_chunk_alloc(state, size, align, CMAFW_HELD_BY_DRIVER,
				owner, type);
	if (trace_cmafw_alloc_finish_enabled())
		strscpy(served, state->id, CMAFW_ID_MAX);
	cmafw_region_unpin(state);
	return ret;
}

/*
 * Try the regions of a comma-separated list in order.  -ENOENT when none
 * of them is registered, otherwise the last region's failure; a fatal
 * signal (-EINTR) ends the walk.  Each region serves with cmafw_rwsem
 * dropped: @list must stay valid without it (the caller's string, a map
 * kept with cmafw_map_current_get(), or a device-tree region's name,
 * which lives until module exit).
 *
 * Context: cmafw_rwsem held for reading; released on return.
 */
static dma_addr_t cmafw_alloc_list(const char *list, size_t size,
				   dma_addr_t align, const char *owner,
				   const char *type, char *served)
{
	dma_addr_t ret = -ENOENT;
	const char *name;

	for (name = cmafw_name_skip(list); name;
	     name = cmafw_name_skip(name + cmafw_name_len(name))) {
		struct cma_region_state *state = cmafw_region_named(name);

		if (!state)
			continue;
		ret = cmafw_alloc_pinned(state, size, align, owner, type,
					 served);
		if (!IS_ERR_VALUE(ret) || ret == (dma_addr_t)-EINTR)
			return ret;
		percpu_down_read(&cmafw_rwsem);
	}
	percpu_up_read(&cmafw_rwsem);
	return ret;
}

/**
 * struct cmafw_request - where a request may be served from.
 * @owner:	the name the chunk is shown under.
 * @type:	the device's kind of memory; NULL for "common".
 * @dev:	the device, when the request is for one.
 * @by_map:	serve @dev from its memory-region if it has one for @type
 *		(of.c), else look @owner and @type up in the map.
 * @regions:	otherwise, a comma-separated list of region names;
 * @reg:	or else this one region.
 */
struct cmafw_request {
	const char *owner;
	const char *type;
	const struct device *dev;
	bool by_map;
	const char *regions;
	struct cma_region *reg;
};

/*
 * The regions that serve @dev for @type: its device tree memory-region
 * first, then the map's rule for @owner, whose map @map then keeps for
 * cmafw_map_put() (or NULL).  Under cmafw_rwsem.
 */
static const char *cmafw_regions_for(const struct device *dev,
				     const char *owner, const char *type,
				     struct cmafw_map_ref **map)
{
	const char *list = cmafw_of_lookup(dev, type);

	*map = NULL;
	return list ?: cmafw_map_current_get(owner, type ?: CMAFW_COMMON_TYPE,
					     map);
}

/*
 * A driver's memory type: NULL or "common" as NULL; else one that can
 * name a chunk in /proc/iomem ("<device>/<type>"), or -EINVAL.
 */
static int cmafw_type_check(const char *owner, const char **type)
{
	struct cmafw_logval v;

	if (!*type || !strcmp(*type, CMAFW_COMMON_TYPE)) {
		*type = NULL;
		return 0;
	}
	if (cmafw_name_valid(*type))
		return 0;
	pr_err_ratelimited("%s: memory type \"%s\" is not a valid name\n",
			   owner, cmafw_logval(&v, *type, strlen(*type)));
	return -EINVAL;
}

/*
 * The map in force when the request came serves it to the end, whatever
 * replaces it meanwhile.
 *
 * Context: cmafw_rwsem held for reading; released on return.
 */
static dma_addr_t cmafw_serve(const struct cmafw_request *req, size_t size,
			      dma_addr_t align, char *served)
{
	struct cmafw_map_ref *map;
	const char *list;
	dma_addr_t ret;

	if (req->reg) {
		if (req->reg->state)
			return cmafw_alloc_pinned(req->reg->state, size, align,
						  req->owner, NULL, served);
		percpu_up_read(&cmafw_rwsem);
		return -EINVAL;
	}
	if (!req->by_map)
		return cmafw_alloc_list(req->regions, size, align, req->owner,
					req->type, served);
	list = cmafw_regions_for(req->dev, req->owner, req->type, &map);
	if (IS_ERR_OR_NULL(list)) {
		percpu_up_read(&cmafw_rwsem);
		return list ? PTR_ERR(list) : -ENOENT;
	}
	ret = cmafw_alloc_list(list, size, align, req->owner, req->type,
			       served);
	cmafw_map_put(map);
	return ret;
}

/* Every allocation comes through here: checked, served and traced. */
static dma_addr_t cmafw_alloc_request(const struct cmafw_request *req,
				      size_t size, dma_addr_t align)
{
	u64 start = trace_cmafw_alloc_finish_enabled() ? ktime_get_ns() : 0;
	char served[CMAFW_ID_MAX] = "-";
	dma_addr_t ret;

	trace_cmafw_alloc_start(req->owner, req->type, size, align);
	ret = cmafw_request_check(&size, &align);
	if (!ret) {
		percpu_down_read(&cmafw_rwsem);
		ret = cmafw_serve(req, size, align, served);
	}
	/* The clock is read only for a listener. */
	if (trace_cmafw_alloc_finish_enabled())
		trace_cmafw_alloc_finish(req->owner, req->type, size, align,
					 served, ret,
					 start ? ktime_get_ns() - start : 0);
	return ret;
}

/**
 * cmafw_alloc() - allocate for a device through the map; see cma_alloc().
 * @dev:	the device.
 * @type:	kind of memory, NULL for "common".
 * @size:	bytes.
 * @alignment:	zero or a power of two.
 *
 * Context: process context; may sleep.
 * Return: an address, or a negative errno inside the dma_addr_t.
 */
dma_addr_t cmafw_alloc(const struct device *dev, const char *type,
		       size_t size, dma_addr_t alignment)
{
	struct cmafw_request req = { .dev = dev, .by_map = true, .type = type };

	if (!dev)
		return -EINVAL;
	req.owner = dev_name(dev);
	if (!req.owner || !*req.owner)
		return -EINVAL;
	if (cmafw_type_check(req.owner, &req.type))
		return -EINVAL;
	return cmafw_alloc_request(&req, size, alignment);
}
EXPORT_SYMBOL_GPL(cmafw_alloc);

/**
 * cmafw_alloc_from() - allocate from named regions; see cma_alloc_from().
 * @regions:	comma-separated names, ending at a NUL or a semicolon.
 * @size:	bytes.
 * @alignment:	zero or a power of two.
 * @owner:	the name the chunk is shown under (the caller's module).
 *
 * Context: process context; may sleep.
 * Return: an address, or a negative errno inside the dma_addr_t; -ENOENT
 * when none of @regions is registered.
 */
dma_addr_t cmafw_alloc_from(const char *regions, size_t size,
			    dma_addr_t alignment, const char *owner)
{
	struct cmafw_request req = { .owner = owner, .regions = regions };

	if (!regions || !owner)
		return -EINVAL;
	return cmafw_alloc_request(&req, size, alignment);
}
EXPORT_SYMBOL_GPL(cmafw_alloc_from);

/**
 * cmafw_alloc_from_region() - allocate from one region; see
 * cma_alloc_from_region().
 * @reg:	a registered region.
 * @size:	bytes.
 * @alignment:	zero or a power of two.
 * @owner:	the name the chunk is shown under (the caller's module).
 *
 * Context: process context; may sleep.
 * Return: an address, or a negative errno inside the dma_addr_t.
 */
dma_addr_t cmafw_alloc_from_region(struct cma_region *reg, size_t size,
				   dma_addr_t alignment, const char *owner)
{
	struct cmafw_request req = { .owner = owner, .reg = reg };

	if (!reg || !owner)
		return -EINVAL;
	return cmafw_alloc_request(&req, size, alignment);
}
EXPORT_SYMBOL_GPL(cmafw_alloc_from_region);

/**
 * cmafw_free() - give a chunk back; see cma_free().
 * @addr:	the chunk's address.
 *
 * Context: process context; may sleep.
 * Return: 0; -ENOENT (warning once) when no chunk starts at @addr;
 * -EBUSY (warning once) when a dma-buf of the region's heap holds it.
 */
int cmafw_free(dma_addr_t addr)
{
	struct cma_region_state *state;
	int ret = -ENOENT;
	size_t size = 0;

	percpu_down_read(&cmafw_rwsem);
	state = cmafw_region_containing(addr);
	if (state)
		cmafw_region_pin(state);
	percpu_up_read(&cmafw_rwsem);
	/* Pinned, not locked: the region's mutex may be busy for seconds. */
	if (state)
		ret = cmafw_chunk_free(state, CMAFW_HELD_BY_DRIVER, addr,
				       &size);
	trace_cmafw_free(addr, size, state ? state->id : "-", ret);
	/* A driver's double free that met a reused chunk, most likely. */
	WARN_ONCE(ret == -EBUSY,
		  "cmafw: free of %pad, which a dma-buf of region %s's heap holds\n",
		  &addr, state->id);
	if (state)
		cmafw_region_unpin(state);
	WARN_ONCE(ret == -ENOENT, "cmafw: free of %pad, which is not a chunk\n",
		  &addr);
	return ret;
}
EXPORT_SYMBOL_GPL(cmafw_free);

/* True if the name at @name also stands earlier in @list. */
static bool cmafw_name_repeated(const char *list, const char *name,
				size_t len)
{
	const char *prev;
	size_t plen;

	for (prev = cmafw_name_next(list, &plen); prev && prev < name;
	     prev = cmafw_name_next(prev + plen, &plen))
		if (plen == len && !strncmp(prev, name, len))
			return true;
	return false;
}

static void cmafw_info_add(struct cma_info *info,
			   struct cma_region_state *state)
{
	dma_addr_t start = state->res->start;
	dma_addr_t end = state->res->end + 1;

	if (!info->count || start < info->lower_bound)
		info->lower_bound = start;
	if (!info->count || end > info->upper_bound)
		info->upper_bound = end;
	info->total_size += resource_size(state->res);
	/*
	 * A snapshot, read without the region's mutex, which an allocation
	 * in a lend region may hold for seconds while cmafw_rwsem is held
	 * here.
	 */
	info->free_size += data_race(state->free);
	info->count++;
}

static void cmafw_info_list(struct cma_info *info, const char *list)
{
	const char *name;
	size_t len;

	memset(info, 0, sizeof(*info));
	for (name = cmafw_name_next(list, &len); name;
	     name = cmafw_name_next(name + len, &len)) {
		struct cma_region_state *state = cmafw_region_find(name, len);

		if (state && !cmafw_name_repeated(list, name, len))
			cmafw_info_add(info, state);
	}
}

/**
 * cmafw_info() - describe a device's regions; see cma_info().
 * @info:	filled in on success, zeroed on error.
 * @dev:	the device.
 * @type:	kind of memory, NULL for "common".
 *
 * Context: process context; may sleep.
 * Return: 0; -EINVAL, also for an invalid @type; -ENOENT when no map rule
 * names the device, or its memory-region is a cmafw region node that is
 * not registered.
 */
int cmafw_info(struct cma_info *info, const struct device *dev,
	       const char *type)
{
	struct cmafw_map_ref *map;
	const char *name, *list;

	/* As the seed's: zeros, not the caller's stack, on any error. */
	if (info)
		memset(info, 0, sizeof(*info));
	if (!info || !dev)
		return -EINVAL;
	name = dev_name(dev);
	if (!name || !*name || cmafw_type_check(name, &type))
		return -EINVAL;

	percpu_down_read(&cmafw_rwsem);
	list = cmafw_regions_for(dev, name, type, &map);
	if (!IS_ERR_OR_NULL(list))
		cmafw_info_list(info, list);
	percpu_up_read(&cmafw_rwsem);
	cmafw_map_put(map);
	return IS_ERR_OR_NULL(list) ? -ENOENT : 0;
}
EXPORT_SYMBOL_GPL(cmafw_info);

/**
 * cmafw_info_about() - describe regions by name; see cma_info_about().
 * @info:	filled in on success, zeroed on error.
 * @regions:	comma-separated names, ending at a NUL or a semicolon.
 *
 * Context: process context; may sleep.
 * Return: 0 or -EINVAL.
 */
int cmafw_info_about(struct cma_info *info, const char *regions)
{
	if (info)
		memset(info, 0, sizeof(*info));
	if (!info || !regions)
		return -EINVAL;

	percpu_down_read(&cmafw_rwsem);
	cmafw_info_list(info, regions);
	percpu_up_read(&cmafw_rwsem);
	return 0;
}
EXPORT_SYMBOL_GPL(cmafw_info_about);
