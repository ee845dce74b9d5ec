/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CMAFW_TEST_OF_H
#define _CMAFW_TEST_OF_H

#ifdef CONFIG_OF
int cmafw_test_of_init(void);
void cmafw_test_of_exit(void);
int cmafw_test_pdev_alloc(char **argv, char *out);
int cmafw_test_pdev_coherent(char **argv, char *out);
int cmafw_test_wc_rw(char **argv, char *out);
#else
static inline int cmafw_test_of_init(void)
{
	return 0;
}

static inline void cmafw_test_of_exit(void) { }
#endif

#endif /* _CMAFW_TEST_OF_H */
