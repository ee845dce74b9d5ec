/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: powers of two. */
#ifndef _SHIM_LINUX_LOG2_H
#define _SHIM_LINUX_LOG2_H

#include <limits.h>
#include <linux/types.h>

static inline bool is_power_of_2(unsigned long n)
{
	return n && !(n & (n - 1));
}

/* As the kernel's: undefined for 0 and above the top bit. */
static inline unsigned long roundup_pow_of_two(unsigned long n)
{
	if (n <= 1)
		return 1;
	return 1UL << (sizeof(long) * CHAR_BIT - __builtin_clzl(n - 1));
}

#endif /* _SHIM_LINUX_LOG2_H */
