/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sbc_hash.c - SipHash-c-d (see sbc_hash.h), written from the paper's description:
 * four 64-bit words of state initialised from the key and four constants, each
 * little-endian 8-octet word of input mixed in with c rounds, a last word holding the
 * length's low octet and the remaining octets, then d rounds after 0xff is folded in.
 */
#include <errno.h>
#include <string.h>

#include "sbc_hash.h"
#include "sbc_random.h"

static inline uint64_t
rotl(uint64_t x, unsigned int b)
{
	return (x << b) | (x >> (64 - b));
}

/* Eight octets as a little-endian number, at any alignment. */
static inline uint64_t
load_le64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

struct sip_state {
	uint64_t v0, v1, v2, v3;
};

static inline void
sipround(struct sip_state *s)
{
	s->v0 += s->v1;
	s->v1 = rotl(s->v1, 13);
	s->v1 ^= s->v0;
	s->v0 = rotl(s->v0, 32);
	s->v2 += s->v3;
	s->v3 = rotl(s->v3, 16);
	s->v3 ^= s->v2;
	s->v0 += s->v3;
	s->v3 = rotl(s->v3, 21);
	s->v3 ^= s->v0;
	s->v2 += s->v1;
	s->v1 = rotl(s->v1, 17);
	s->v1 ^= s->v2;
	s->v2 = rotl(s->v2, 32);
}

static inline uint64_t
siphash(const struct sbc_hash_key *k, const void *data, size_t n, unsigned int c, unsigned int d)
{
	const uint8_t *p = data;
	struct sip_state s = {
		.v0 = k->k0 ^ 0x736f6d6570736575ull,
		.v1 = k->k1 ^ 0x646f72616e646f6dull,
		.v2 = k->k0 ^ 0x6c7967656e657261ull,
		.v3 = k->k1 ^ 0x7465646279746573ull,
	};
	size_t whole = n & ~(size_t)7, i;
	uint64_t m;
	unsigned int r;

	for (i = 0; i < whole; i += 8) {
		m = load_le64(p + i);
		s.v3 ^= m;
		for (r = 0; r < c; r++)
			sipround(&s);
		s.v0 ^= m;
	}
	/* The last word: the remaining octets, and the length modulo 256 on top. */
	m = (uint64_t)(n & 0xff) << 56;
	for (r = 0; r < (n & 7); r++)
		m |= (uint64_t)p[whole + r] << (8 * r);
	s.v3 ^= m;
	for (r = 0; r < c; r++)
		sipround(&s);
	s.v0 ^= m;
	s.v2 ^= 0xff;
	for (r = 0; r < d; r++)
		sipround(&s);
	return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

uint64_t
sbc_siphash13(const struct sbc_hash_key *k, const void *p, size_t n)
{
	return siphash(k, p, n, 1, 3);
}

uint64_t
sbc_siphash24(const struct sbc_hash_key *k, const void *p, size_t n)
{
	return siphash(k, p, n, 2, 4);
}

int
sbc_hash_key_new(struct sbc_hash_key *k)
{
	uint8_t b[16];

	if (sbc_random_bytes(b, sizeof(b)) < 0) {
		memset(k, 0, sizeof(*k));
		return -EIO;
	}
	k->k0 = load_le64(b);
	k->k1 = load_le64(b + 8);
	return 0;
}
