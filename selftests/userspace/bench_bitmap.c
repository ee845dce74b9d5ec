// SPDX-License-Identifier: GPL-2.0
/*
 * The bitmap helpers a word at a time, as lib/bitmap.c and lib/find_bit.c
 * work, for the native benchmark and callgrind: shim/bitmap.c goes bit by
 * bit, which is fine for the unit tests but would make the bitmap
 * allocator look many times slower than it is in the kernel.  Same
 * interface and results as shim/bitmap.c (the fuzz_bitmap_fast target
 * checks the bitmap allocator over this file against an exact oracle).
 */
#include <linux/bitmap.h>

#define WORD(nr)		((nr) / BITS_PER_LONG)
#define FIRST_MASK(nr)		(~0UL << ((nr) % BITS_PER_LONG))
#define LAST_MASK(nr)		(~0UL >> (-(nr) % BITS_PER_LONG))

/*
 * First bit at or after @start, below @size, that is set (@invert 0) or
 * clear (@invert ~0UL); @size if none.
 */
static unsigned long find_next(const unsigned long *map, unsigned long size,
			       unsigned long start, unsigned long invert)
{
	unsigned long word;

	if (start >= size)
		return size;
	word = (map[WORD(start)] ^ invert) & FIRST_MASK(start);
	start -= start % BITS_PER_LONG;
	while (!word) {
		start += BITS_PER_LONG;
		if (start >= size)
			return size;
		word = map[WORD(start)] ^ invert;
	}
	start += __builtin_ctzl(word);
	return start < size ? start : size;
}

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
		index = find_next(map, size, start, ~0UL);
		index = ((index + align_offset + align_mask) & ~align_mask) -
			align_offset;
		end = index + nr;
		if (end > size)
			return end;
		i = find_next(map, end, index, 0);
		if (i >= end)
			return index;
		start = i + 1;
	}
}
