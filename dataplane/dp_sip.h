/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_sip.h - the dataplane's part of the SIP transport: UDP datagrams to an interface's
 * SIP port are queued, whole (the mbuf as received), to the signalling lcore that owns
 * their call (sip_shard.h); IPv4 fragments for the SBC are reassembled first.
 *
 * Before a datagram is queued, dp_sip_admit() drops what is plainly not SIP or comes
 * from a scanner, and enforces the source's flood limits (per lcore, dp_limit.h).
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

#include "dp.h"
#include "dp_parse.h"

#define DP_SCRATCH 65536
#define DP_REASM_MS 2000    /* a datagram's fragments must all arrive within this */
#define DP_REASM_FLOWS 4096 /* datagrams being reassembled at once, per lcore */

/* Creates / frees the reassembly table and scratch buffer of a dataplane lcore. */
int dp_reasm_init(struct dp_lcore *lc, int socket);
void dp_reasm_fini(struct dp_lcore *lc);

/*
 * UDP datagram to ifc's SIP port: queues m to its owner. Returns SBC_DROP_NONE (m is
 * now the signalling lcore's) or the reason to drop it.
 */
enum sbc_drop dp_sip_input(struct dp_lcore *lc, const struct dp_iface *ifc, struct rte_mbuf *m,
		const uint8_t *payload, uint32_t len);

/*
 * A SIP datagram (payload, len) from src (4 or 16 octets) that the firewall's rules
 * allowed: the first-line check (sip_peek.h: no start line, scanner) and the source's
 * flood limits (dp_limit.h), offences reported (dp_block.h), then dp_sip_input().
 * Returns SBC_DROP_NONE (m was queued) or the reason to drop m.
 */
enum sbc_drop dp_sip_admit(struct dp_lcore *lc, const struct dp_iface *ifc, struct rte_mbuf *m,
		int v6, const uint8_t *src, const uint8_t *payload, uint32_t len);

/*
 * IPv4 fragment for the SBC. Returns SBC_DROP_NONE when m was taken (held for its
 * siblings, or the datagram completed and was delivered), or a reason to drop m.
 */
enum sbc_drop dp_reasm_input(struct dp_lcore *lc, const struct dp_iface *ifc,
		struct rte_mbuf *m, const struct dp_pkt *p);

/* Frees what reassembly gave up (counting it) and purges expired datagrams. */
void dp_reasm_maintain(struct dp_lcore *lc, uint64_t now);

#endif /* DP_SIP_H */
