/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CMAFW_TEST_DMABUF_H
#define _CMAFW_TEST_DMABUF_H

int cmafw_test_dmabuf(char **argv, char *out);
int cmafw_test_dmabuf_limit(char **argv, char *out);
int cmafw_test_dmabuf_offset(char **argv, char *out);

#endif /* _CMAFW_TEST_DMABUF_H */
