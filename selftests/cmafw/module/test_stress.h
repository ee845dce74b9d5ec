/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CMAFW_TEST_STRESS_H
#define _CMAFW_TEST_STRESS_H

int cmafw_test_stress(char **argv, char *out);

#endif /* _CMAFW_TEST_STRESS_H */
