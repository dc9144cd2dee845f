/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_flow.h - media flows: what the dataplane does with a datagram reaching one of the
 * SBC's relay ports.
 *
 * There is one slot per (interface, relay port): a datagram to port P on interface I is
 * looked up by index, no hash. A slot's forwarding rule (struct dp_flow_cfg: expected
 * source, where to send, as whom) is an immutable object published by pointer.
 *
 * Concurrency:
 *  - Writers: the signalling lcore that owns the port (each owns a slice of the range,
 *    so one writer per slot) installs a rule, replaces it, or withdraws it. The store is
 *    a release; the old rule is freed only after a grace period (rte_rcu_qsbr_dq).
 *  - Readers: dataplane lcores load the rule with acquire (a plain load on x86). They
 *    update the slot's counters, latch state and RTP statistics, and the rule's
 *    neighbour hint, with plain single-writer stores. RSS keeps one 5-tuple on one
 *    queue, so one lcore writes them. A source that moves (latching)
 *    could move a flow to another lcore; then counts may race, never memory.
 *  - The owner reads the counters (relaxed) to detect silence and report.
 *  - A withdrawn slot is not written by readers (no rule, nothing counted in it), and is
 *    reused only after a grace period, after its counters are reset.
 */
#ifndef DP_FLOW_H
#define DP_FLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <rte_common.h>
#include <rte_prefetch.h>

#include "dp_neigh.h"
#include "sbc_config.h"
#include "sbc_stats.h"

/*
 * What the relay does to a flow's payloads besides forwarding them (struct dp_flow_cfg's
 * flags), set by the signalling side from the stream's SDP:
 *  DP_FLOW_RTP         RTP: the receiver statistics are kept (RFC 3550 A.1, A.8). Set
 *                      on the RTP component's rule of a stream with an RTP profile.
 *  DP_FLOW_RTCP_SCRUB  plain RTCP: compound packets are checked and their SDES items
 *                      that name a host or a person rewritten or removed (dp_rtcp.h).
 *                      Set on both components' rules (RTCP may be multiplexed on the
 *                      RTP port, RFC 5761) of a stream with an RTP profile, unless its
 *                      media is SRTP: the latest SDP of each side for the stream is
 *                      secure, that is its profile contains "SAVP" (RTP/SAVP,
 *                      RTP/SAVPF, UDP/TLS/RTP/SAVP, UDP/TLS/RTP/SAVPF) or it carries
 *                      a=crypto lines (SDES-SRTP, also "best effort" on RTP/AVP). Never
 *                      with SRTCP: its packets are authenticated and mostly encrypted,
 *                      so the check would find them malformed and drop them.
 */
#define DP_FLOW_RTP 0x01
#define DP_FLOW_RTCP_SCRUB 0x02

/*
 * A flow's rule. The first cache line holds everything an IPv4 datagram needs (a
 * carrier's relay visits each flow once per packetization interval, so every line is a
 * memory access); IPv6 addresses are on the second. Writers fill the 16-octet
 * addresses; dp_flow_rule_seal() (called by dp_flow_publish) copies the IPv4 ones to
 * line one. Immutable once published, except the neighbour hint, which only the
 * dataplane lcore relaying the flow writes (a new rule starts with none).
 */
struct dp_flow_cfg {
	uint8_t out_ifidx;    /* interface the forwarded datagram leaves by */
	uint8_t out_v6;       /* forwarded as IPv6 */
	uint8_t in_v6;        /* the expected source is IPv6 */
	uint8_t nat;          /* latching to another source allowed (leg behind NAT) */
	uint8_t flags;        /* DP_FLOW_*: what is done to the payload */
	uint8_t has_dst;      /* 0 while the other side has no media address (hold) */
	uint16_t peer_port;   /* expected source port, network order */
	uint16_t src_port;    /* our relay port on the out leg, network order */
	uint16_t dst_port;    /* the other side's port, network order */
	uint32_t latch_epoch; /* a latch made under another epoch no longer counts */
	uint64_t rtp_mult;    /* TSC to RTP clock units, 32.32 fixed point (jitter) */
	uint64_t latch_until; /* TSC: latching allowed before this */
	uint32_t call;        /* the owner's call number, for reports */
	/* IPv4 copies of the addresses below (dp_flow_rule_seal). */
	uint8_t peer4[4];
	uint8_t src4[4];
	uint8_t dst4[4];
	uint8_t nh4[4];
	struct dp_neigh_hint nh; /* where the next hop's neighbour entry is (reader-written) */
	/* Second line. */
	uint8_t peer_ip[16] __rte_cache_aligned; /* expected source address (from the SDP) */
	uint8_t src_ip[16];   /* our address on the out leg */
	uint8_t dst_ip[16];   /* the other side's address */
	uint8_t nh_ip[16];    /* next hop towards dst (dst itself, or a gateway) */
} __rte_cache_aligned;

/* RFC 3550 A.1/A.8 receiver state. */
struct dp_rtp_stats {
	uint16_t max_seq;
	uint16_t base_seq;
	uint32_t cycles;
	uint32_t bad_seq;
	uint32_t probation;
	uint32_t received;
	uint32_t transit;
	uint32_t jitter; /* in timestamp units, times 16 */
};

/*
 * A relay port's slot. The first line is what every forwarded datagram touches; drops
 * and latch state, on the second, only matter off the main path.
 */
struct dp_flow {
	struct dp_flow_cfg *cfg; /* NULL: no rule */
	/* Written by the dataplane lcore that receives the flow. */
	uint64_t pkts;
	uint64_t bytes;
	uint64_t last_tsc;       /* last datagram from the flow's source */
	uint32_t ssrc;           /* SSRC of the first RTP datagram (dp_flow_has_ssrc) */
	struct dp_rtp_stats rtp;
	/* Second line. */
	uint64_t drop_src __rte_cache_aligned; /* from an address the call did not announce */
	uint64_t drop_other;     /* no destination (hold), no route, ... */
	uint32_t latch_epoch;    /* cfg->latch_epoch when latched; 0: not latched */
	uint8_t latch_v6;
	uint8_t pad;
	uint16_t latch_port;     /* network order */
	uint8_t latch_ip[16];
} __rte_cache_aligned;

/* One line per rule and two per slot, the hot one first: the relay's budget. */
_Static_assert(offsetof(struct dp_flow_cfg, peer_ip) == RTE_CACHE_LINE_SIZE, "rule line 1");
_Static_assert(sizeof(struct dp_flow_cfg) == 2 * RTE_CACHE_LINE_SIZE, "rule size");
_Static_assert(offsetof(struct dp_flow, drop_src) == RTE_CACHE_LINE_SIZE, "slot line 1");
_Static_assert(sizeof(struct dp_flow) == 2 * RTE_CACHE_LINE_SIZE, "slot size");

/*
 * Returns whether an RTP datagram was seen (its SSRC is in f->ssrc): the A.1 state left
 * its initial zero. The dataplane lcore relaying the flow.
 */
static inline bool
dp_flow_has_ssrc(const struct dp_flow *f)
{
	return f->rtp.received != 0 || f->rtp.probation != 0;
}

/*
 * Copies the IPv4 addresses to the rule's first line (before it is published). The
 * rule's writer (dp_flow_publish does it).
 */
static inline void
dp_flow_rule_seal(struct dp_flow_cfg *c)
{
	memcpy(c->peer4, c->peer_ip, 4);
	memcpy(c->src4, c->src_ip, 4);
	memcpy(c->dst4, c->dst_ip, 4);
	memcpy(c->nh4, c->nh_ip, 4);
}

/*
 * Returns whether two rules say the same (seal copies and hints aside). The owner of the
 * slot (a reader may be writing b's hint: it is not compared).
 */
static inline bool
dp_flow_rule_same(const struct dp_flow_cfg *a, const struct dp_flow_cfg *b)
{
	return memcmp(a, b, offsetof(struct dp_flow_cfg, peer4)) == 0 &&
			memcmp(a->peer_ip, b->peer_ip,
					sizeof(*a) - offsetof(struct dp_flow_cfg, peer_ip)) == 0;
}

struct dp_flows {
	uint16_t port_min;
	uint16_t n_ports;                     /* relay ports per interface */
	struct dp_flow *slot[SBC_MAX_PORTS];  /* [interface][port - port_min], NULL: no media */
};

struct dp;

/*
 * Allocates the slots of every interface with SIP and the rule pool. Returns 0 or
 * -ENOMEM. Main thread, at init.
 */
int dp_flows_init(struct dp *dp, const struct sbc_config *cfg);

/* Frees the rules still installed, the slots and the pool. Main thread, after the lcores. */
void dp_flows_fini(struct dp *dp);

/* Returns the slot of a relay port, or NULL. Any thread, between init and fini. */
struct dp_flow *dp_flow_slot(struct dp *dp, unsigned int ifidx, uint16_t port);

/*
 * Owner side: the signalling lcore that owns the slot's port, only. dp_flow_reset()
 * clears a free slot's counters and state before a call takes it (after a grace period:
 * no reader writes it any more). dp_flow_publish() installs (or replaces, or withdraws
 * with NULL) the rule and returns the previous one (or NULL), which the caller frees
 * after a grace period.
 */
void dp_flow_reset(struct dp_flow *f);
struct dp_flow_cfg *dp_flow_publish(struct dp_flow *f, struct dp_flow_cfg *cfg);

/* Prefetches the slot's first line (rule, counters, RTP statistics). Dataplane lcores. */
static inline void
dp_flow_prefetch(const struct dp_flow *f)
{
	rte_prefetch0(f);
}

/*
 * Prefetches the slot's rule: reads the slot (prefetched before), so one stage later.
 * Dataplane lcores (RCU readers).
 */
static inline void
dp_flow_prefetch_rule(const struct dp_flow *f)
{
	const struct dp_flow_cfg *c = __atomic_load_n(&f->cfg, __ATOMIC_RELAXED);

	/* Line one: all of an IPv4 flow; IPv6 addresses are read from line two when needed. */
	if (c != NULL)
		rte_prefetch0(c);
}

/*
 * Rules are allocated here, from a mempool in hugepage memory, cache-line aligned: the
 * dataplane reads one per media packet, and with 100,000 flows rules spread over 4 KiB
 * pages cost a TLB miss each on top of the cache miss. dp_flow_rule_alloc() returns a
 * zeroed rule or NULL (pool exhausted, or no relay ports configured); both add to or
 * take from *mem the memory the rule holds (for the owner's accounting). Any lcore or
 * the main thread may call them (the mempool is multi-producer, multi-consumer).
 */
struct dp_flow_cfg *dp_flow_rule_alloc(uint64_t *mem);
void dp_flow_rule_free(struct dp_flow_cfg *r, uint64_t *mem);

/*
 * Fills the loss and jitter of an RTP flow (RFC 3550 A.3, A.8), from relaxed loads of the
 * counters the relaying lcore writes. Any thread (telemetry).
 */
void dp_flow_rtp_report(const struct dp_flow *f, uint32_t *expected, uint32_t *received,
		int32_t *lost, uint32_t *jitter);

#endif /* DP_FLOW_H */
