/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_hash_random.c - the keyed hash (sbc_hash.c) against published values, and the
 * CSPRNG buffers (sbc_random.c): refills, no value handed out twice, keys that differ,
 * and the attack that predicted the old identifier generator failing on the new one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sbc_hash.h"
#include "sbc_random.h"

/* The paper's key: octets 00 .. 0f, read little-endian. */
static const struct sbc_hash_key paper_key = { 0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull };

static void
message(uint8_t *m, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		m[i] = (uint8_t)i;
}

/* SipHash-2-4: the reference implementation's vectors (message 00, 01, ... of length n). */
static void
test_siphash24_vectors(void **state)
{
	static const struct {
		size_t n;
		uint64_t h;
	} v[] = {
		{ 0, 0x726fdb47dd0e0e31ull }, { 1, 0x74f839c593dc67fdull },
		{ 2, 0x0d6c8009d9a94f5aull }, { 3, 0x85676696d7fb7e2dull },
		{ 4, 0xcf2794e0277187b7ull }, { 15, 0xa129ca6149be45e5ull },
		{ 63, 0x958a324ceb064572ull },
	};
	uint8_t m[64];
	size_t i;

	(void)state;
	message(m, sizeof(m));
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		assert_true(sbc_siphash24(&paper_key, m, v[i].n) == v[i].h);
}

/*
 * SipHash-1-3 with a zero key: the values Rust's std::collections::hash_map::
 * DefaultHasher (SipHash-1-3, keys 0 and 0) gives for the same messages.
 */
static void
test_siphash13_vectors(void **state)
{
	static const struct sbc_hash_key zero = { 0, 0 };
	static const struct {
		size_t n;
		uint64_t h;
	} v[] = {
		{ 0, 0xd1fba762150c532cull }, { 7, 0x2f098ab0c751325aull },
		{ 8, 0xead411e67ebe2eeaull }, { 15, 0xf30eb725bb91c9eaull },
		{ 63, 0x385d3e39e5f37359ull },
	};
	uint8_t m[64];
	size_t i;

	(void)state;
	message(m, sizeof(m));
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		assert_true(sbc_siphash13(&zero, m, v[i].n) == v[i].h);
}

/* The same input under two fresh keys hashes differently; the key is never zero. */
static void
test_key_new(void **state)
{
	struct sbc_hash_key a, b;
	const char id[] = "a84b4c76e66710@pc33.atlanta.com";

	(void)state;
	assert_int_equal(sbc_hash_key_new(&a), 0);
	assert_int_equal(sbc_hash_key_new(&b), 0);
	assert_false(a.k0 == 0 && a.k1 == 0);
	assert_false(a.k0 == b.k0 && a.k1 == b.k1);
	assert_true(sbc_siphash13(&a, id, sizeof(id) - 1) != sbc_siphash13(&b, id, sizeof(id) - 1));
	assert_true(sbc_siphash13(&a, id, sizeof(id) - 1) == sbc_siphash13(&a, id, sizeof(id) - 1));
}

static int
cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

/*
 * Numbers from a buffer: refilled when it runs dry (never a value read twice: 4,096
 * draws across eight refills are all different), topped up only below half.
 */
static void
test_rng_buffer(void **state)
{
	struct sbc_rng *r = malloc(sizeof(*r));
	enum { N = 4096 };
	uint64_t *v = malloc(N * sizeof(*v));
	unsigned int i, ones = 0;

	(void)state;
	assert_non_null(r);
	assert_non_null(v);
	assert_int_equal(sbc_rng_init(r), 0);
	assert_int_equal(r->refills, 1);
	for (i = 0; i < N; i++) {
		v[i] = sbc_rng_u64(r);
		ones += (unsigned int)__builtin_popcountll(v[i]);
	}
	assert_int_equal(r->refills, N * 8 / SBC_RNG_BUF);
	qsort(v, N, sizeof(*v), cmp_u64);
	for (i = 1; i < N; i++)
		assert_true(v[i] != v[i - 1]);
	/* Half the bits set, within 1% (the standard deviation is 0.1%). */
	assert_true(ones > N * 64 / 2 - N * 64 / 100 && ones < N * 64 / 2 + N * 64 / 100);
	/* A full buffer is not refilled by a top-up; one past half is. */
	assert_int_equal(sbc_rng_refill(r), 0);
	i = r->refills;
	assert_int_equal(sbc_rng_top_up(r), 0);
	assert_int_equal(r->refills, i);
	r->pos = SBC_RNG_BUF / 2;
	assert_int_equal(sbc_rng_top_up(r), 0);
	assert_int_equal(r->refills, i + 1);
	assert_int_equal(r->pos, 0);
	free(v);
	free(r);
}

/* The inverse of odd a modulo 2^64 (Newton: each step doubles the bits that are right). */
static uint64_t
inverse64(uint64_t a)
{
	uint64_t x = a; /* right to 3 bits for odd a */
	int i;

	for (i = 0; i < 5; i++)
		x *= 2 - a * x;
	return x;
}

/*
 * The attack that worked on the identifiers' old generator (xorshift64*: the output is
 * the state times a constant): from one value, undo the multiplication, step the state,
 * multiply again. It must predict nothing the CSPRNG hands out, and does predict the
 * old generator (so the check itself is sound).
 */
static void
test_rng_not_xorshift(void **state)
{
	const uint64_t mul = 0x2545f4914f6cdd1dull, inv = inverse64(mul);
	struct sbc_rng *r = malloc(sizeof(*r));
	uint64_t prev, next, x, st = 0x9e3779b97f4a7c15ull;
	unsigned int i, hits = 0;

	(void)state;
	assert_true(mul * inv == 1);
	assert_non_null(r);
	assert_int_equal(sbc_rng_init(r), 0);
	prev = sbc_rng_u64(r);
	for (i = 0; i < 10000; i++) {
		next = sbc_rng_u64(r);
		x = prev * inv;
		x ^= x >> 12;
		x ^= x << 25;
		x ^= x >> 27;
		hits += x * mul == next;
		prev = next;
	}
	assert_int_equal(hits, 0);
	/* The same attack on xorshift64* itself always wins. */
	for (i = 0; i < 100; i++) {
		uint64_t out;

		st ^= st >> 12;
		st ^= st << 25;
		st ^= st >> 27;
		out = st * mul;
		x = out * inv;
		x ^= x >> 12;
		x ^= x << 25;
		x ^= x >> 27;
		st ^= st >> 12;
		st ^= st << 25;
		st ^= st >> 27;
		assert_true(x * mul == st * mul);
	}
	free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_siphash24_vectors),
		cmocka_unit_test(test_siphash13_vectors),
		cmocka_unit_test(test_key_new),
		cmocka_unit_test(test_rng_buffer),
		cmocka_unit_test(test_rng_not_xorshift),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
