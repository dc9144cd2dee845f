/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_sip.h - the dataplane's part of the SIP transport: UDP datagrams to an interface's
 * SIP port are queued, whole (the mbuf as received), to the signalling lcore that owns
 * their call; IPv4 fragments for the SBC are reassembled first.
 *
 * Before a datagram is queued, dp_sip_admit() drops what is plainly not SIP or comes
 * from a scanner, and enforces the source's flood limits (per lcore, dp_limit.h). Its
 * first-line check (sip_peek.h) also finds the Call-ID and the top Via's branch: they
 * choose the signalling lcore and travel with the datagram in its ring element
 * (struct sbc_sip_dgram, sbc_contracts.h) with the addresses, ports and payload
 * offset, so the signalling lcore parses neither L2-L4 nor the Call-ID again. The
 * shard is the one our own identifiers name (a response's branch, a far-side request's
 * Call-ID: sip_shard.h), else a keyed hash of the Call-ID (the key drawn at start:
 * nobody can aim a set of Call-IDs at one lcore).
 *
 * Concurrency: every dataplane lcore may enqueue to every signalling lcore's ring
 * (multi-producer, single-consumer rte_ring: lock-free); a full ring drops and counts,
 * never waits. Each dataplane lcore has its own reassembly table (fragments of one
 * datagram reach the same lcore, as RSS hashes IPv4 fragments by addresses only).
 */
#ifndef DP_SIP_H
#define DP_SIP_H

#include <rte_ip_frag.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "dp.h"
#include "dp_parse.h"
#include "sip_peek.h"

#define DP_SCRATCH 65536
#define DP_REASM_MS 2000    /* a datagram's fragments must all arrive within this */
#define DP_REASM_FLOWS 4096 /* datagrams being reassembled at once, per lcore */

/*
 * Creates / frees the reassembly table and scratch buffer of a dataplane lcore; init
 * returns 0 or -ENOMEM (fini frees what was made). Main thread, before launch / after
 * the lcore returned.
 */
int dp_reasm_init(struct dp_lcore *lc, int socket);
void dp_reasm_fini(struct dp_lcore *lc);

/* Where a SIP datagram is, in the frame the dataplane received (for dp_sip_admit). */
struct dp_sip_at {
	int v6;
	const uint8_t *l3;                /* its IP header */
	const struct rte_udp_hdr *udp;    /* its UDP header */
	const uint8_t *payload;           /* the SIP message, contiguous (scratch if chained) */
	uint32_t len;
	uint16_t payload_off;             /* the SIP message's offset in the frame (chain) */
};

/*
 * Returns the signalling lcore (0 .. n - 1) for a datagram: the shard our identifier in
 * it names, else the keyed hash of its Call-ID (of its first octets when it has none).
 * Any thread.
 */
unsigned int dp_sip_shard(const struct dp *dp, const uint8_t *payload, uint32_t len,
		const struct sip_peek *pk);

/*
 * A SIP datagram the firewall's rules allowed: the first-line check (sip_peek.h: no
 * start line, scanner) and the source's flood limits (dp_limit.h), offences reported
 * (dp_block.h), then queued to its signalling lcore with what was learnt about it.
 * Returns SBC_DROP_NONE (m is now the signalling lcore's) or the reason to drop m.
 * The calling dataplane lcore only.
 */
enum sbc_drop dp_sip_admit(struct dp_lcore *lc, const struct dp_iface *ifc, struct rte_mbuf *m,
		const struct dp_sip_at *at);

/*
 * IPv4 fragment for the SBC. Returns SBC_DROP_NONE when m was taken (held for its
 * siblings, or the datagram completed and was delivered), or a reason to drop m. The
 * dataplane lcore lc only.
 */
enum sbc_drop dp_reasm_input(struct dp_lcore *lc, const struct dp_iface *ifc,
		struct rte_mbuf *m, const struct dp_pkt *p);

/*
 * Frees what reassembly gave up (counting it) and purges expired datagrams. The dataplane
 * lcore lc only, once per loop turn.
 */
void dp_reasm_maintain(struct dp_lcore *lc, uint64_t now);

#endif /* DP_SIP_H */
