/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_prng.h - a fast, repeatable pseudo-random sequence for tests and benchmarks
 * (xorshift64*: a 64-bit state that is never zero). Its output is its state times a
 * constant, so anyone who sees one value computes the next: never for identifiers,
 * nonces or keys, which come from the CSPRNG (common/sbc_random.h). The state is the
 * caller's, one per thread.
 */
#ifndef TEST_PRNG_H
#define TEST_PRNG_H

#include <stdint.h>

/* Advances *s and returns the next number (the high bits are the best ones). */
static inline uint64_t
test_prng_next(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dull;
}

#endif /* TEST_PRNG_H */
