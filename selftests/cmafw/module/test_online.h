/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CMAFW_TEST_ONLINE_H
#define _CMAFW_TEST_ONLINE_H

int cmafw_test_online_init(void);
void cmafw_test_online_exit(void);
int cmafw_test_hold_online(char **argv, char *out);
int cmafw_test_online_held(char **argv, char *out);
int cmafw_test_online_go(char **argv, char *out);
int cmafw_test_refuse_online(char **argv, char *out);
int cmafw_test_refuse_offline(char **argv, char *out);
int cmafw_test_hold_offline(char **argv, char *out);
int cmafw_test_offline_held(char **argv, char *out);
int cmafw_test_offline_go(char **argv, char *out);

#endif /* _CMAFW_TEST_ONLINE_H */
