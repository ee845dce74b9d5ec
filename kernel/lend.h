/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cmafw: lend mode, the hooks the core calls for a region whose idle memory
 * the kernel borrows (kernel/lend.c).  Every hook but init and exit runs
 * for lend regions only (state->lend set, or reg->lend at registration).
 */
#ifndef _CMAFW_LEND_H
#define _CMAFW_LEND_H

#include <linux/sysfs.h>
#include <linux/types.h>

struct cma_region_state;

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

extern const struct attribute_group cmafw_lend_attr_group;

#endif /* _CMAFW_LEND_H */
