/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sig_lcore.h - signalling lcores: each owns the calls of its shard (sip_shard.h) for
 * their whole life, reads the SIP datagrams the dataplane queues to it, and sends on
 * its own TX queue of every port.
 *
 * Each loop: a burst of datagrams from the ring (parse, validate, then the transaction
 * layer and the B2BUA), the timers due, and the flow rules whose grace period is over.
 *
 * Concurrency: a signalling lcore shares nothing writable with the others. It reads the
 * dataplane's interface and neighbour tables as an RCU QSBR reader (reporting a
 * quiescent state once per loop), posts neighbour resolutions to the control thread
 * like a dataplane lcore does, and is the only writer of the relay slots of its own
 * ports (dp_flow.h).
 */
#ifndef SIG_LCORE_H
#define SIG_LCORE_H

#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#include "b2b.h"
#include "dp.h"
#include "sbc_config.h"
#include "sbc_random.h"
#include "sbc_stats.h"
#include "sdp.h"
#include "sig_io.h"
#include "sig_timer.h"
#include "sig_txn.h"
#include "sip_msg.h"

#define SIG_BURST 32
#define SIG_BUF 65536

/* The methods the SBC handles, for Allow headers. */
#define SIG_ALLOW "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, PRACK, INFO\r\n"

struct sig_lcore {
	struct dp *dp;
	const struct sbc_config *cfg;
	unsigned int lcore_id;
	unsigned int shard;     /* index among the signalling lcores */
	uint16_t txq;           /* own TX queue on every port */
	struct rte_ring *ring;  /* datagrams the dataplane queued */
	struct sbc_lcore_stats *st;
	uint8_t *scratch;       /* a reassembled frame, read contiguously */
	char *out;              /* a message being written */
	struct sip_msg *msg;    /* the message being handled */
	struct sip_msg *msg2;   /* a kept message read again (an INVITE to ACK or CANCEL) */
	struct sig_pkt pkt;     /* ... and where it came from */
	struct sdp *sdp;        /* an SDP being rewritten */
	char *sdp_out;          /* ... and its new text */
	uint64_t now_ms;        /* TSC in ms at the start of the current iteration */
	struct sig_mem mem;     /* kept messages and dialog strings; .bytes also counts flow rules */
	uint32_t epoch;         /* last latch epoch handed out (b2b_media.c) */
	bool strip_id[SIP_H_MAX];         /* known headers sip.strip_headers names */
	struct sig_wheel wheel;           /* every timer of this lcore */
	struct sig_txns txns;             /* transactions (sig_txn.h) */
	struct b2b_calls calls;           /* calls (b2b.h) */
	struct b2b_ports ports[SBC_MAX_PORTS]; /* relay port pairs per interface */
	struct rte_rcu_qsbr_dq *dq;       /* flow rules and pairs waiting for a grace period */
	struct sbc_rng rng;               /* identifiers, relay port order (CSPRNG) */
};

/* Prepares lcore state (main thread, before launch). Returns 0 or -ENOMEM. */
int sig_lcore_init(struct sig_lcore *sl, struct dp *dp, const struct sbc_config *cfg,
		unsigned int shard, unsigned int lcore_id);
void sig_lcore_fini(struct sig_lcore *sl);

/* Entry point of a signalling lcore (arg: its struct sig_lcore). Returns at shutdown. */
int sig_lcore_main(void *arg);

/*
 * One turn of the loop at now_ms: handles (and frees) the n datagrams in pkts, runs
 * the timers due, frees the flow rules whose grace period is over, reports a
 * quiescent state. Returns whether there was work (for idle accounting). The loop of
 * sig_lcore_main, and what benchmarks drive without it (tests/bench/call_bench.c).
 */
bool sig_lcore_turn(struct sig_lcore *sl, struct rte_mbuf **pkts, unsigned int n,
		uint64_t now_ms);

/* Handles one datagram already read into sl->pkt. */
void sig_handle_datagram(struct sig_lcore *sl);

/* A fresh unpredictable 64-bit number (xorshift64*, seeded from the TSC). */
uint64_t sig_random(struct sig_lcore *sl);

/* Sends a message from our address local to the peer remote, counting it. */
void sig_send_msg(struct sig_lcore *sl, const struct sig_addr *local,
		const struct sig_addr *remote, const char *data, uint32_t len);

/*
 * Answers the request being handled statelessly, from the address it reached to its
 * source (a fresh To tag; extra: header lines ending in CRLF, or NULL).
 */
void sig_reply(struct sig_lcore *sl, unsigned int status, const char *reason, const char *extra);

#endif /* SIG_LCORE_H */
