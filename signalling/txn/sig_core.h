/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sig_core.h - what every signalling layer of one lcore shares, below the B2BUA: the
 * environment it runs in, its clock, timer wheel, memory, counters and transactions.
 *
 * The environment is an ops table (struct sig_env_ops) that the lcore glue fills with
 * the real thing (signalling/lcore: DPDK transmit, the lcore's CSPRNG buffer, NUMA-local
 * memory) and a unit test with a fake (it records what is sent, draws from a seeded
 * sequence, uses calloc). The layers never reach past it: no DPDK header is included
 * here or above, so the transaction layer and the B2BUA build and run without the EAL.
 *
 * The clock is the lcore's millisecond clock, written by the glue into now_ms at the
 * start of each turn (sig_core_tick) and read by everything that arms or checks time.
 *
 * Concurrency: one struct sig_core per signalling lcore, used only by that lcore (and by
 * the main thread before launch and after the lcore returned). Nothing in it is shared.
 */
#ifndef SIG_CORE_H
#define SIG_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sbc_hash.h"
#include "sbc_stats.h"
#include "sig_addr.h"
#include "sig_mem.h"
#include "sig_timer.h"
#include "sig_txn.h"
#include "sip_hdr.h"
#include "sip_msg.h"

#define SIG_BUF 65536 /* the largest message built or kept (a UDP datagram) */

#define SIG_MIN(a, b) ((a) < (b) ? (a) : (b))
#define SIG_MAX(a, b) ((a) > (b) ? (a) : (b))
#define SIG_DIM(a) (sizeof(a) / sizeof((a)[0]))
/* The object a member belongs to (timers are embedded in their owners). */
#define SIG_OWNER(p, type, member) ((type *)(void *)((char *)(p) - offsetof(type, member)))

/*
 * The environment the signalling layers call (filled by the lcore glue or a test). Its
 * ops are called on the owner lcore, and zalloc and free also by the main thread at init
 * and fini.
 */
struct sig_env_ops {
	/*
	 * Sends len octets from our address from (interface, address, port) to to. Returns
	 * 0, or the drop reason (enum sbc_drop), which the environment has counted.
	 */
	int (*send)(void *env, const struct sig_addr *from, const struct sig_addr *to,
			const char *data, uint32_t len);
	/* Returns 64 unpredictable bits (a CSPRNG's). */
	uint64_t (*random)(void *env);
	/* Returns size zeroed octets, 64-octet aligned, near the lcore's memory, or NULL. */
	void *(*zalloc)(void *env, const char *what, size_t size);
	/* Frees what zalloc returned (NULL: nothing). */
	void (*free)(void *env, void *p);
};

/* A received message, as the layers are handed it: explicit, never a thread's state. */
struct sig_in {
	const struct sip_msg *msg; /* parsed (and, before the B2BUA sees it, validated) */
	struct sig_addr src;       /* the peer that sent it */
	struct sig_addr dst;       /* our address and port it reached */
	struct sip_str call_id;    /* its Call-ID value (from the dataplane's metadata) */
	struct sip_str branch;     /* responses: the top Via's branch (metadata), or empty */
	struct sip_via top;        /* requests: the top Via, parsed */
	struct sip_addr from, to;  /* requests: From and To, parsed once (has_from, has_to) */
	bool has_from, has_to;
};

/* What sig_core_init needs. */
struct sig_core_args {
	const struct sig_env_ops *ops;
	void *env;
	struct sbc_lcore_stats *st;     /* this lcore's counters */
	unsigned int shard;             /* index among the signalling lcores (< 256) */
	uint32_t t1_ms, t2_ms, t4_ms;   /* RFC 3261 timers */
	uint32_t max_txns;              /* transaction pool size */
	uint64_t now_ms;                /* the clock at start */
	const struct sig_txn_user *tu;  /* the transaction user's callbacks */
	void *tu_arg;
};

struct sig_core {
	const struct sig_env_ops *ops;
	void *env;
	struct sbc_lcore_stats *st;
	uint64_t now_ms;                /* the clock (see the file header) */
	unsigned int shard;
	uint32_t t1_ms, t2_ms, t4_ms;
	const struct sig_txn_user *tu;
	void *tu_arg;
	struct sbc_hash_key key;        /* keyed tables of peer-chosen strings (CSPRNG) */
	char *out;                      /* SIG_BUF octets: a message being written */
	struct sip_msg *kept;           /* a kept message read again (an INVITE to ACK or CANCEL) */
	struct sig_txns txns;           /* transactions (sig_txn.h) */
	struct sig_mem mem;             /* kept messages and dialog strings (sig_mem.h) */
	struct sig_wheel wheel;         /* every timer of the lcore; its context is this core */
};

/*
 * Prepares c from a. Returns 0, -ENOMEM, or -EIO (no randomness for the hash key); on
 * failure c holds nothing to free. Main thread, before the lcore runs.
 */
int sig_core_init(struct sig_core *c, const struct sig_core_args *a);

/* Frees what sig_core_init made. Main thread, once the lcore is done (or never ran). */
void sig_core_fini(struct sig_core *c);

/* Sets the clock (now_ms) and runs the timers due; returns how many fired. Owner lcore. */
unsigned int sig_core_tick(struct sig_core *c, uint64_t now_ms);

/*
 * Sends through the environment (see struct sig_env_ops); returns 0 or the drop reason.
 * Owner lcore.
 */
static inline int
sig_core_send(struct sig_core *c, const struct sig_addr *from, const struct sig_addr *to,
		const char *data, uint32_t len)
{
	return c->ops->send(c->env, from, to, data, len);
}

/* Returns 64 unpredictable bits from the environment's CSPRNG. Owner lcore. */
static inline uint64_t
sig_core_random(struct sig_core *c)
{
	return c->ops->random(c->env);
}

/* Returns the keyed hash (SipHash-1-3, truncated) of a string the peer chose. Any thread. */
static inline uint32_t
sig_core_hash(const struct sig_core *c, struct sip_str s)
{
	return (uint32_t)sbc_siphash13(&c->key, s.s, s.len);
}

#endif /* SIG_CORE_H */
