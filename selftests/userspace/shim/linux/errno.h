/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: the kernel's errno values are the UAPI ones.  No guard of
 * our own: glibc's <errno.h> includes <linux/errno.h> too and must reach
 * the real one.
 */
#include_next <linux/errno.h>
