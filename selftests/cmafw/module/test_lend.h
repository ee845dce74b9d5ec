/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CMAFW_TEST_LEND_H
#define _CMAFW_TEST_LEND_H

#include <linux/types.h>

int cmafw_test_nonzero(char **argv, char *out);
int cmafw_test_fill(char **argv, char *out);
int cmafw_test_inuse(char **argv, char *out);
int cmafw_test_take_page(unsigned long pfn);
int cmafw_test_pin(char **argv, char *out);
int cmafw_test_unpin(char **argv, char *out);
int cmafw_test_abandon(char **argv, char *out);
int cmafw_test_timing(char **argv, char *out);
void cmafw_test_latencies(u64 *us, unsigned int n, char *out, size_t len);
void cmafw_test_lend_exit(void);

#endif /* _CMAFW_TEST_LEND_H */
