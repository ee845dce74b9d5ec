/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CMAFW_TEST_COHERENT_H
#define _CMAFW_TEST_COHERENT_H

int cmafw_test_coherent_timing(char **argv, char *out);
void cmafw_test_coherent_exit(void);

#endif /* _CMAFW_TEST_COHERENT_H */
