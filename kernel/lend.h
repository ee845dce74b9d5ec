/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cmafw: lend mode, the hooks the core calls for a region whose idle memory
 * the kernel borrows (kernel/lend.c).  Every hook but init and exit runs
 * for lend regions only (state->lend set, or reg->lend at registration).
 */
#ifndef _CMAFW_LEND_H
#define _CMAFW_LEND_H

#include <linux/errno.h>
#include <linux/printk.h>
#include <linux/sysfs.h>
#include <linux/types.h>

struct cma_region_state;

/*
 * In the kernel tree lend mode is CONFIG_CMAFW_LEND (it needs memory
 * hot-remove and alloc_contig_range()); the out-of-tree module always has
 * it (kernel/Kbuild defines the symbol).  Without it no region is ever a
 * lend region: registering one fails, so the other hooks are never called.
 */
#ifdef CONFIG_CMAFW_LEND
int cmafw_lend_init(void);
void cmafw_lend_exit(void);

int cmafw_lend_admissible(struct cma_region_state *state, dma_addr_t start,
			  size_t size);
int cmafw_lend_activate(struct cma_region_state *state);
int cmafw_lend_deactivate(struct cma_region_state *state, bool final);

int cmafw_lend_place(struct cma_region_state *state, size_t size,
		     dma_addr_t align, dma_addr_t *addr);
void cmafw_lend_give(struct cma_region_state *state, dma_addr_t addr,
		     size_t size);

void cmafw_lend_walk_gap(struct cma_region_state *state, dma_addr_t start,
			 size_t size, void (*fn)(void *arg, size_t size),
			 void *arg);

extern const struct attribute_group cmafw_lend_attr_group;
#else
static inline int cmafw_lend_init(void)
{
	return 0;
}

static inline void cmafw_lend_exit(void)
{
}

static inline int cmafw_lend_admissible(struct cma_region_state *state,
					dma_addr_t start, size_t size)
{
	pr_err("lend mode is not built in (CONFIG_CMAFW_LEND is off)\n");
	return -EOPNOTSUPP;
}

static inline int cmafw_lend_activate(struct cma_region_state *state)
{
	return -EOPNOTSUPP;
}

static inline int cmafw_lend_deactivate(struct cma_region_state *state,
					bool final)
{
	return 0;
}

static inline int cmafw_lend_place(struct cma_region_state *state,
				   size_t size, dma_addr_t align,
				   dma_addr_t *addr)
{
	return -ENOMEM;
}

static inline void cmafw_lend_give(struct cma_region_state *state,
				   dma_addr_t addr, size_t size)
{
}

static inline void cmafw_lend_walk_gap(struct cma_region_state *state,
				       dma_addr_t start, size_t size,
				       void (*fn)(void *arg, size_t size),
				       void *arg)
{
	fn(arg, size);
}
#endif /* CONFIG_CMAFW_LEND */

#endif /* _CMAFW_LEND_H */
