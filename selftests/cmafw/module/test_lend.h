/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CMAFW_TEST_LEND_H
#define _CMAFW_TEST_LEND_H

int cmafw_test_nonzero(char **argv, char *out);
int cmafw_test_fill(char **argv, char *out);
int cmafw_test_inuse(char **argv, char *out);
int cmafw_test_pin(char **argv, char *out);
int cmafw_test_unpin(char **argv, char *out);
int cmafw_test_timing(char **argv, char *out);
void cmafw_test_lend_exit(void);

#endif /* _CMAFW_TEST_LEND_H */
