/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: the word bit operations, over the compiler's builtins. */
#ifndef _SHIM_LINUX_BITOPS_H
#define _SHIM_LINUX_BITOPS_H

#include <limits.h>

#ifndef BITS_PER_LONG
#define BITS_PER_LONG	(sizeof(long) * CHAR_BIT)
#endif

#ifndef BIT
#define BIT(nr)		(1UL << (nr))
#endif

/* Lowest set bit; undefined for 0, as the kernel's. */
static inline unsigned long __ffs(unsigned long word)
{
	return __builtin_ctzl(word);
}

/* Highest set bit; undefined for 0, as the kernel's. */
static inline unsigned long __fls(unsigned long word)
{
	return BITS_PER_LONG - 1 - __builtin_clzl(word);
}

static inline void __set_bit(unsigned long nr, unsigned long *map)
{
	map[nr / BITS_PER_LONG] |= 1UL << (nr % BITS_PER_LONG);
}

static inline void __clear_bit(unsigned long nr, unsigned long *map)
{
	map[nr / BITS_PER_LONG] &= ~(1UL << (nr % BITS_PER_LONG));
}

#endif /* _SHIM_LINUX_BITOPS_H */
