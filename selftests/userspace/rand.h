/* SPDX-License-Identifier: GPL-2.0 */
/* A fixed-seed generator, so every run and every libc see the same trace. */
#ifndef _CMAFW_TEST_RAND_H
#define _CMAFW_TEST_RAND_H

#include <linux/types.h>

static inline u64 rand_next(u64 *state)
{
	/* xorshift64* */
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545f4914f6cdd1dULL;
}

/* A value in [0, n). */
static inline u64 rand_below(u64 *state, u64 n)
{
	return rand_next(state) % n;
}

#endif /* _CMAFW_TEST_RAND_H */
