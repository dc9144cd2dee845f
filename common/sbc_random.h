/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sbc_random.h - unpredictable numbers for everything a peer must not guess: SIP tags,
 * Via branches and Call-IDs (RFC 3261 19.3 asks for cryptographic randomness), relay
 * port order, hash keys, and from the next issues digest nonces and session tokens.
 *
 * Source: OpenSSL's RAND_bytes, a DRBG (AES-256-CTR, NIST SP 800-90A) seeded and
 * reseeded from the kernel (getrandom). Nothing here is a home-made generator; what
 * this file adds is a buffer per thread, so that a signalling lcore takes 8 octets with
 * a load and an add, and pays for RAND_bytes once per SBC_RNG_BUF octets. The lcore
 * refills its buffer when it has nothing else to do (sbc_rng_top_up), so under normal
 * load the refill is off the message path; a buffer that runs dry mid-burst refills
 * there and then, never reuses a value.
 *
 * When RAND_bytes fails (it does not, once OpenSSL has seeded itself), the bytes come
 * from getrandom(2) directly; if that fails too the caller gets an error, never weak
 * numbers.
 *
 * Threads: sbc_random_bytes() and sbc_rng_fatal() from any thread. A struct sbc_rng
 * belongs to one thread at a time, which alone calls the other functions on it: the main
 * thread fills it before launch (sig_lcore_init), then its signalling lcore uses it.
 */
#ifndef SBC_RANDOM_H
#define SBC_RANDOM_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SBC_RNG_BUF 4096 /* octets per refill: 512 numbers of 64 bits */

struct sbc_rng {
	uint32_t pos;      /* next unused octet of buf; SBC_RNG_BUF: empty */
	uint32_t refills;  /* how many times buf was filled (for the tests and counters) */
	uint8_t buf[SBC_RNG_BUF];
};

/* Fills n octets at p with CSPRNG output. Returns 0 or -EIO. Any thread. */
int sbc_random_bytes(void *p, size_t n);

/*
 * Fills r's buffer. Returns 0, or -EIO (r is then empty). Owner thread (in sbcd the main
 * thread, before launch).
 */
int sbc_rng_init(struct sbc_rng *r);

/* Refills r's buffer from scratch. Returns 0 or -EIO. Owner thread. */
int sbc_rng_refill(struct sbc_rng *r);

/*
 * Refills r when less than half of its buffer is left: for an lcore's idle turns.
 * Returns 0 or -EIO. Owner thread.
 */
int sbc_rng_top_up(struct sbc_rng *r);

/*
 * Aborts the process, never returns: called only when the system has no randomness left
 * to give, where going on would hand out guessable identifiers. Any thread.
 */
void sbc_rng_fatal(void) __attribute__((noreturn));

/* Returns 64 unpredictable bits from r, refilling it when empty (or aborting). Owner thread. */
static inline uint64_t
sbc_rng_u64(struct sbc_rng *r)
{
	uint64_t v;

	if (__builtin_expect(r->pos > SBC_RNG_BUF - sizeof(v), 0) && sbc_rng_refill(r) < 0)
		sbc_rng_fatal();
	memcpy(&v, r->buf + r->pos, sizeof(v));
	r->pos += sizeof(v);
	return v;
}

#endif /* SBC_RANDOM_H */
