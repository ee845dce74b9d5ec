/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: libc's string functions plus the kernel's few extras. */
#ifndef _SHIM_LINUX_STRING_H
#define _SHIM_LINUX_STRING_H

#include <string.h>
#include <linux/types.h>

char *kmemdup_nul(const char *s, size_t len, gfp_t gfp);

#endif /* _SHIM_LINUX_STRING_H */
