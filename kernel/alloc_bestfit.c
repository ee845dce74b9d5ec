// SPDX-License-Identifier: GPL-2.0
/*
 * cmafw: the "bestfit" allocator.
 *
 * The free space is a set of maximal holes (alloc_holes.c); a request takes
 * the smallest hole that holds it once aligned, the lowest such hole among
 * equals, at its first aligned page.
 */

#include "alloc.h"
#include "alloc_holes.h"

static int cmafw_bestfit_alloc(void *priv, size_t size, dma_addr_t align,
			       dma_addr_t *addr)
{
	return cmafw_holes_alloc(priv, size, align, false, addr);
}

struct cma_allocator cmafw_bestfit_allocator = {
	.name = "bestfit",
	.init = cmafw_holes_init,
	.cleanup = cmafw_holes_cleanup,
	.alloc = cmafw_bestfit_alloc,
	.free = cmafw_holes_free,
};
