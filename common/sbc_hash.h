/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sbc_hash.h - keyed hashing of strings that a peer chooses (Call-IDs, tags, Via
 * branches, RTCP SSRCs): SipHash (Aumasson and Bernstein, 2012).
 *
 * Why keyed: a table indexed by an unkeyed hash (FNV, CRC) of what the peer sends lets
 * the peer pick values that all land in one bucket and turn every lookup into a walk of
 * the whole chain (hash flooding). With a 128-bit key drawn from the CSPRNG at start,
 * which never leaves the process, the peer cannot tell which values collide.
 *
 * sbc_siphash13() is SipHash-1-3 (one compression round per word, three at the end),
 * the variant hash tables use (Rust's standard library, Python's for short strings):
 * the full 2-4 is for MACs. sbc_siphash24() is there to check the implementation
 * against the published test vectors.
 *
 * Plain C, no state: any thread; a key is read-only once filled.
 */
#ifndef SBC_HASH_H
#define SBC_HASH_H

#include <stddef.h>
#include <stdint.h>

struct sbc_hash_key {
	uint64_t k0;
	uint64_t k1;
};

/* Returns the SipHash-1-3 of n octets at p under key k (the table hash). Any thread. */
uint64_t sbc_siphash13(const struct sbc_hash_key *k, const void *p, size_t n);

/* Returns the SipHash-2-4 of n octets at p under key k (reference variant). Any thread. */
uint64_t sbc_siphash24(const struct sbc_hash_key *k, const void *p, size_t n);

/*
 * Fills k from the CSPRNG (sbc_random.h). Returns 0, or -EIO when the system has no
 * randomness to give (k is then zero and must not be used). Any thread.
 */
int sbc_hash_key_new(struct sbc_hash_key *k);

#endif /* SBC_HASH_H */
