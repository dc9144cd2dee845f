/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sbc_rand.h - xorshift64*: a fast pseudo-random sequence from a 64-bit state that is
 * never zero. Not cryptographic. The state is the caller's, one per thread: no locking.
 */
#ifndef SBC_RAND_H
#define SBC_RAND_H

#include <stdint.h>

/* Advances *s and returns the next number (the high bits are the best ones). */
static inline uint64_t
sbc_rand_next(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dull;
}

#endif /* SBC_RAND_H */
