// SPDX-License-Identifier: GPL-2.0
/* Userspace shim: the bitmap helpers, bit by bit. */
#include <linux/bitmap.h>

static void assign_bit(unsigned long nr, unsigned long *map, bool value)
{
	unsigned long mask = 1UL << (nr % BITS_PER_LONG);

	if (value)
		map[nr / BITS_PER_LONG] |= mask;
	else
		map[nr / BITS_PER_LONG] &= ~mask;
}

void bitmap_set(unsigned long *map, unsigned int start, unsigned int nbits)
{
	unsigned long nr;

	for (nr = start; nr < (unsigned long)start + nbits; nr++)
		assign_bit(nr, map, true);
}

void bitmap_clear(unsigned long *map, unsigned int start, unsigned int nbits)
{
	unsigned long nr;

	for (nr = start; nr < (unsigned long)start + nbits; nr++)
		assign_bit(nr, map, false);
}

/*
 * As documented in the kernel: the lowest index at or after @start with
 * (index + @align_offset) & @align_mask == 0 whose @nr bits are all clear,
 * or a value above @size - @nr if there is none.
 */
unsigned long bitmap_find_next_zero_area_off(unsigned long *map,
					     unsigned long size,
					     unsigned long start,
					     unsigned int nr,
					     unsigned long align_mask,
					     unsigned long align_offset)
{
	unsigned long index = start, end, i;

	for (;;) {
		while (index < size && test_bit(index, map))
			index++;
		index = ((index + align_offset + align_mask) & ~align_mask) -
			align_offset;
		end = index + nr;
		if (end > size)
			return end;
		for (i = index; i < end && !test_bit(i, map); i++)
			;
		if (i == end)
			return index;
		index = i + 1;
	}
}
