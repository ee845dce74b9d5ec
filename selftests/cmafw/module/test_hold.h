/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CMAFW_TEST_HOLD_H
#define _CMAFW_TEST_HOLD_H

int cmafw_test_hold(char **argv, char *out);
int cmafw_test_held(char **argv, char *out);
int cmafw_test_unhold(char **argv, char *out);
int cmafw_test_release(char **argv, char *out);
void cmafw_test_hold_exit(void);

#endif /* _CMAFW_TEST_HOLD_H */
