/* SPDX-License-Identifier: BSD-3-Clause */
/* sbc_random.c - the CSPRNG and its per-thread buffers (see sbc_random.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>

#include <openssl/rand.h>

#include "sbc_random.h"

/* getrandom(2) until n octets came, retrying interruptions. */
static int
kernel_bytes(uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t got = getrandom(p, n, 0);

		if (got < 0) {
			if (errno == EINTR)
				continue;
			return -EIO;
		}
		p += got;
		n -= (size_t)got;
	}
	return 0;
}

int
sbc_random_bytes(void *p, size_t n)
{
	uint8_t *b = p;

	while (n > 0) {
		int chunk = n > (1u << 30) ? 1 << 30 : (int)n;

		if (RAND_bytes(b, chunk) != 1)
			return kernel_bytes(b, n);
		b += chunk;
		n -= (size_t)chunk;
	}
	return 0;
}

int
sbc_rng_refill(struct sbc_rng *r)
{
	r->pos = SBC_RNG_BUF;
	if (sbc_random_bytes(r->buf, SBC_RNG_BUF) < 0)
		return -EIO;
	r->pos = 0;
	r->refills++;
	return 0;
}

int
sbc_rng_init(struct sbc_rng *r)
{
	r->refills = 0;
	return sbc_rng_refill(r);
}

int
sbc_rng_top_up(struct sbc_rng *r)
{
	if (r->pos < SBC_RNG_BUF / 2)
		return 0;
	return sbc_rng_refill(r);
}

void
sbc_rng_fatal(void)
{
	fprintf(stderr, "sbc: the system's random number generator failed; stopping rather "
			"than hand out guessable identifiers\n");
	abort();
}
