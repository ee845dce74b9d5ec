/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CMAFW_TEST_COEXIST_H
#define _CMAFW_TEST_COEXIST_H

#include <linux/types.h>

struct cma_allocator;

int cmafw_test_coexist_free(dma_addr_t addr);
int cmafw_test_coexist_allocator_register(struct cma_allocator *alloc);

#endif /* _CMAFW_TEST_COEXIST_H */
