/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sig_lcore.h - signalling lcores: each owns the calls of its shard (sip_shard.h) for
 * their whole life, reads the SIP datagrams the dataplane queues to it, and sends on
 * its own TX queue of every port.
 *
 * Concurrency: a signalling lcore shares nothing writable with the others. It reads the
 * dataplane's interface and neighbour tables as an RCU QSBR reader (reporting a
 * quiescent state once per loop), and posts neighbour resolutions to the control thread
 * like a dataplane lcore does.
 */
#ifndef SIG_LCORE_H
#define SIG_LCORE_H

#include <rte_ring.h>

#include "dp.h"
#include "sbc_config.h"
#include "sbc_stats.h"
#include "sig_io.h"
#include "sip_msg.h"

#define SIG_BURST 32
#define SIG_BUF 65536

struct sig_lcore {
	struct dp *dp;
	const struct sbc_config *cfg;
	unsigned int lcore_id;
	unsigned int shard;     /* index among the signalling lcores */
	uint16_t txq;           /* own TX queue on every port */
	struct rte_ring *ring;  /* datagrams the dataplane queued */
	struct sbc_lcore_stats *st;
	uint64_t rnd;           /* xorshift state for identifiers */
	uint8_t *scratch;       /* a reassembled frame, read contiguously */
	char *out;              /* a message being written */
	struct sip_msg *msg;    /* the message being handled */
	struct sig_pkt pkt;     /* ... and where it came from */
};

/* Prepares lcore state (main thread, before launch). Returns 0 or -ENOMEM. */
int sig_lcore_init(struct sig_lcore *sl, struct dp *dp, const struct sbc_config *cfg,
		unsigned int shard, unsigned int lcore_id);
void sig_lcore_fini(struct sig_lcore *sl);

/* Entry point of a signalling lcore (arg: its struct sig_lcore). Returns at shutdown. */
int sig_lcore_main(void *arg);

/* Handles one datagram already read into sl->pkt (tests call it directly). */
void sig_handle_datagram(struct sig_lcore *sl);

/* A fresh unpredictable 64-bit number (xorshift64*, seeded from the TSC). */
uint64_t sig_random(struct sig_lcore *sl);

/* Sends a message from our address local to the peer remote, counting it. */
void sig_send_msg(struct sig_lcore *sl, const struct sig_addr *local,
		const struct sig_addr *remote, const char *data, uint32_t len);

#endif /* SIG_LCORE_H */
