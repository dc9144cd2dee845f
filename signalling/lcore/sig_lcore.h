/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sig_lcore.h - the signalling lcores: the DPDK glue around the B2BUA (b2b.h). Each
 * owns the calls of its shard for their whole life, reads the SIP datagrams the
 * dataplane queues to it (struct sbc_sip_dgram, sbc_contracts.h), and sends on its own
 * TX queue of every port.
 *
 * Files: sig_lcore.c the loop and life cycle; sig_io.c datagrams in (a ring element into
 * a struct b2b_dgram, no parsing) and out (UDP/IP built and fragmented, dp_output);
 * sig_env.c the environment the layers above call (struct sig_env_ops and
 * struct b2b_env_ops: transmit, the CSPRNG buffer, NUMA-local memory, relay ports and
 * flow rules, interface addresses, offence reports, load).
 *
 * Each turn: a burst of datagrams from the ring (into the B2BUA), the timers due, the
 * flow rules whose grace period is over, a quiescent state. When a turn finds nothing,
 * the CSPRNG buffer is topped up.
 *
 * Concurrency: a signalling lcore shares nothing writable with the others. It reads
 * the dataplane's interface and neighbour tables as an RCU QSBR reader (a quiescent
 * state once per turn), posts neighbour resolutions to the control thread like a
 * dataplane lcore does, posts offences to the firewall's report ring, and is the only
 * writer of the relay slots of its own ports (dp_flow.h).
 */
#ifndef SIG_LCORE_H
#define SIG_LCORE_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#include "b2b.h"
#include "dp.h"
#include "sbc_config.h"
#include "sbc_contracts.h"
#include "sbc_random.h"
#include "sbc_stats.h"

#define SIG_BURST 32

/* The free relay port pairs this lcore owns on one interface: a FIFO of pair numbers. */
struct sig_relay_pairs {
	uint16_t *fifo;  /* cap entries, circular */
	uint32_t cap;
	uint32_t head;   /* the next pair handed out */
	uint32_t count;  /* pairs free */
};

struct sig_lcore {
	struct b2b b2b;                  /* calls, transactions, timers: no DPDK (b2b.h) */
	struct dp *dp;
	const struct sbc_config *cfg;
	unsigned int lcore_id;
	unsigned int shard;              /* index among the signalling lcores */
	uint16_t txq;                    /* own TX queue on every port */
	struct rte_ring *ring;           /* datagrams the dataplane queued (sbc_sip_dgram) */
	struct sbc_lcore_stats *st;
	uint64_t ms_tsc;                 /* TSC cycles per millisecond (the lcore's clock) */
	uint8_t *scratch;                /* a reassembled datagram's payload, contiguous */
	struct sbc_rng rng;              /* identifiers, relay port order (CSPRNG) */
	struct sig_relay_pairs pairs[SBC_MAX_PORTS];
	struct rte_rcu_qsbr_dq *dq;      /* flow rules and pairs waiting for a grace period */
	uint32_t deferred;               /* ... how many (no reclaim pass while none) */
};

/*
 * Prepares lcore state. Returns 0, -ENOMEM, or -EIO (no randomness); on failure sl holds
 * nothing to free. Main thread, before launch.
 */
int sig_lcore_init(struct sig_lcore *sl, struct dp *dp, const struct sbc_config *cfg,
		unsigned int shard, unsigned int lcore_id);

/* Frees what sig_lcore_init made. Main thread, after the lcore returned. */
void sig_lcore_fini(struct sig_lcore *sl);

/*
 * Entry point of a signalling lcore (arg: its struct sig_lcore). Returns 0 at shutdown,
 * after ending every call. Runs on that lcore, launched by the main thread.
 */
int sig_lcore_main(void *arg);

/*
 * One turn of the loop at now_ms: hands the n queued datagrams in dg to the B2BUA (and
 * frees their mbufs), runs the timers due, frees the flow rules whose grace period is
 * over, reports a quiescent state. Returns whether there was work. The loop of
 * sig_lcore_main, and what benchmarks drive without it (tests/bench/call_bench.c).
 * Owner lcore.
 */
bool sig_lcore_turn(struct sig_lcore *sl, const struct sbc_sip_dgram *dg, unsigned int n,
		uint64_t now_ms);

/* The environment sig_lcore_init gives the B2BUA (sig_env.c). */
extern const struct sig_env_ops sig_env_core_ops;
extern const struct b2b_env_ops sig_env_b2b_ops;

/*
 * Relay ports and the flow rules' defer queue (sig_env.c): init returns 0 or -ENOMEM,
 * fini frees them. Main thread, before launch / after the lcore returned.
 */
int sig_env_media_init(struct sig_lcore *sl, int socket);
void sig_env_media_fini(struct sig_lcore *sl);

/* Frees the flow rules and pairs whose grace period is over (sig_env.c). Owner lcore. */
void sig_env_media_reclaim(struct sig_lcore *sl);

#endif /* SIG_LCORE_H */
