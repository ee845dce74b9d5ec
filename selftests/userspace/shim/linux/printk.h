/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: messages go to stderr, where the tests capture them. */
#ifndef _SHIM_LINUX_PRINTK_H
#define _SHIM_LINUX_PRINTK_H

#include <stdio.h>

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

#define pr_err(fmt, ...) fprintf(stderr, pr_fmt(fmt), ##__VA_ARGS__)

#endif /* _SHIM_LINUX_PRINTK_H */
