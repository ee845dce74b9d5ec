// SPDX-License-Identifier: GPL-2.0
/*
 * Build-time proof that a driver can include mainline's <linux/cma.h> and
 * <linux/cmafw.h> together: with CMAFW_NO_SEED_NAMES it calls cmafw_*()
 * while mainline's cma_alloc() stays in scope.  Nothing here runs.
 */
#define CMAFW_NO_SEED_NAMES

#include <linux/cma.h>
#include <linux/cmafw.h>
#include <linux/cmafw-allocator.h>

#include "test_coexist.h"

/**
 * cmafw_test_coexist_free() - cmafw's free, called from a file that also
 * sees mainline's CMA declarations.
 * @addr:	a chunk address.
 *
 * Return: what cmafw_free() returns.
 */
int cmafw_test_coexist_free(dma_addr_t addr)
{
	return cmafw_free(addr);
}

/**
 * cmafw_test_coexist_allocator_register() - register an allocator through
 * cmafw's own name, from a file that cannot use cma_allocator_register().
 * @alloc:	the allocator, its owner left NULL.
 *
 * Return: what cmafw_allocator_register() returns.
 */
int cmafw_test_coexist_allocator_register(struct cma_allocator *alloc)
{
	return cmafw_allocator_register(alloc);
}
