/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CMAFW_TEST_COEXIST_H
#define _CMAFW_TEST_COEXIST_H

#include <linux/types.h>

int cmafw_test_coexist_free(dma_addr_t addr);

#endif /* _CMAFW_TEST_COEXIST_H */
