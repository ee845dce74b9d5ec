/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: the kernel's isgraph(), which goes by Latin-1 byte by
 * byte whatever the C library's locale says: 0x21-0x7e and 0xa1-0xff.
 */
#ifndef _SHIM_LINUX_CTYPE_H
#define _SHIM_LINUX_CTYPE_H

#include <ctype.h>

static inline int shim_isgraph(char c)
{
	unsigned char u = c;

	return (u > 0x20 && u < 0x7f) || u > 0xa0;
}

#undef isgraph
#define isgraph(c) shim_isgraph(c)

#endif /* _SHIM_LINUX_CTYPE_H */
