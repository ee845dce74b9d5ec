// SPDX-License-Identifier: GPL-2.0
/*
 * The bitmap helpers a word at a time, as lib/bitmap.c works (finding a
 * bit: shim/linux/find.h, as lib/find_bit.c), for the native benchmark
 * and callgrind: shim/bitmap.c goes bit by bit, which is fine for the
 * unit tests but would make the bitmap allocator look many times slower
 * than it is in the kernel.  Same
 * interface and results as shim/bitmap.c (the fuzz_bitmap_fast target
 * checks the bitmap allocator over this file against an exact oracle).
 */
#include <linux/bitmap.h>

#define WORD(nr)		((nr) / BITS_PER_LONG)
#define FIRST_MASK(nr)		(~0UL << ((nr) % BITS_PER_LONG))
#define LAST_MASK(nr)		(~0UL >> (-(nr) % BITS_PER_LONG))

void bitmap_set(unsigned long *map, unsigned int start, unsigned int nbits)
{
	unsigned long end = (unsigned long)start + nbits;
	unsigned long *p = map + WORD(start);
	unsigned long mask = FIRST_MASK(start);
	long left = nbits + start % BITS_PER_LONG;

	if (!nbits)
		return;
	while (left >= (long)BITS_PER_LONG) {
		*p++ |= mask;
		left -= BITS_PER_LONG;
		mask = ~0UL;
	}
	if (left > 0)
		*p |= mask & LAST_MASK(end);
}

void bitmap_clear(unsigned long *map, unsigned int start, unsigned int nbits)
{
	unsigned long end = (unsigned long)start + nbits;
	unsigned long *p = map + WORD(start);
	unsigned long mask = FIRST_MASK(start);
	long left = nbits + start % BITS_PER_LONG;

	if (!nbits)
		return;
	while (left >= (long)BITS_PER_LONG) {
		*p++ &= ~mask;
		left -= BITS_PER_LONG;
		mask = ~0UL;
	}
	if (left > 0)
		*p &= ~(mask & LAST_MASK(end));
}

unsigned long bitmap_find_next_zero_area_off(unsigned long *map,
					     unsigned long size,
					     unsigned long start,
					     unsigned int nr,
					     unsigned long align_mask,
					     unsigned long align_offset)
{
	unsigned long index, end, i;

	for (;;) {
		index = find_next_zero_bit(map, size, start);
		index = ((index + align_offset + align_mask) & ~align_mask) -
			align_offset;
		end = index + nr;
		if (end > size)
			return end;
		i = find_next_bit(map, end, index);
		if (i >= end)
			return index;
		start = i + 1;
	}
}
