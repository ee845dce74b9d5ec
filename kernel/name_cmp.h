/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cmafw: a name the framework keeps, compared with a caller's string a
 * word at a time.  Every allocation by name compares the regions' names
 * with the caller's (region.c) and its owner with the region's owner
 * entries (owner.c); byte by byte, those two loops took 187 instructions
 * of the framework's 1,411 a pair at 64 live chunks (bench/insns.sh).
 */
#ifndef _CMAFW_NAME_CMP_H
#define _CMAFW_NAME_CMP_H

#include <linux/compiler.h>
#include <linux/string.h>
#include <linux/types.h>
#if defined(CONFIG_DCACHE_WORD_ACCESS) && defined(__LITTLE_ENDIAN)
#include <asm/word-at-a-time.h>
#define CMAFW_NAME_CMP_WORDS	1
#endif

/**
 * cmafw_name_starts() - whether a string starts with a kept name.
 * @s:		the caller's string, NUL-terminated.
 * @kept:	the name, @len bytes, none of them a NUL, readable up to
 *		@len rounded up to a whole word (its buffer holds that much).
 * @len:	its length.
 *
 * Where the kernel may read a word that runs past a string's end
 * (CONFIG_DCACHE_WORD_ACCESS, as fs/dcache.c compares names), @s is read a
 * word at a time, and never past the word that holds the first byte that
 * differs: a string shorter than @len differs at its NUL, which @kept has
 * no byte of.  Elsewhere, byte by byte.  The byte after the match, @s[@len],
 * is the caller's to look at.  Always inline: a call costs a TCG guest
 * as much as the compare.
 *
 * Return: true if @s's first @len bytes are @kept's.
 */
static __always_inline bool cmafw_name_starts(const char *s,
					      const char *kept, size_t len)
{
#ifdef CMAFW_NAME_CMP_WORDS
	unsigned long w;

	for (; len >= sizeof(w); len -= sizeof(w)) {
		memcpy(&w, kept, sizeof(w));
		if (load_unaligned_zeropad(s) != w)
			return false;
		kept += sizeof(w);
		s += sizeof(w);
	}
	if (!len)
		return true;
	memcpy(&w, kept, sizeof(w));
	/* Little-endian: the string's first @len bytes are the low ones. */
	return !((load_unaligned_zeropad(s) ^ w) & ((1UL << (8 * len)) - 1));
#else
	for (; len; len--)
		if (*s++ != *kept++)
			return false;
	return true;
#endif
}

#endif /* _CMAFW_NAME_CMP_H */
