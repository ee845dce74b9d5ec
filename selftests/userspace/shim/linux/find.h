/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: finding bits, a word at a time as the kernel does. */
#ifndef _SHIM_LINUX_FIND_H
#define _SHIM_LINUX_FIND_H

#include <linux/bitops.h>

/*
 * The first bit in [@offset, @size) that is set (@invert 0) or clear
 * (@invert ~0UL), or @size if there is none.
 */
static inline unsigned long shim_find_next(const unsigned long *map,
					   unsigned long size,
					   unsigned long offset,
					   unsigned long invert)
{
	unsigned long i = offset / BITS_PER_LONG, word;

	if (offset >= size)
		return size;
	word = (map[i] ^ invert) & (~0UL << (offset % BITS_PER_LONG));
	while (!word) {
		if (++i * BITS_PER_LONG >= size)
			return size;
		word = map[i] ^ invert;
	}
	offset = i * BITS_PER_LONG + __ffs(word);
	return offset < size ? offset : size;
}

static inline unsigned long find_next_bit(const unsigned long *map,
					  unsigned long size,
					  unsigned long offset)
{
	return shim_find_next(map, size, offset, 0);
}

static inline unsigned long find_next_zero_bit(const unsigned long *map,
					       unsigned long size,
					       unsigned long offset)
{
	return shim_find_next(map, size, offset, ~0UL);
}

/* The last set bit in [0, @size), or @size if there is none. */
static inline unsigned long find_last_bit(const unsigned long *map,
					  unsigned long size)
{
	unsigned long i, word;

	if (!size)
		return size;
	i = (size - 1) / BITS_PER_LONG;
	word = map[i] & (~0UL >> (BITS_PER_LONG - 1 - (size - 1) % BITS_PER_LONG));
	while (!word) {
		if (!i--)
			return size;
		word = map[i];
	}
	return i * BITS_PER_LONG + __fls(word);
}

#endif /* _SHIM_LINUX_FIND_H */
