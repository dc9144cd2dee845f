/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_proto.h - the SBC's own link and network control protocols on plain buffers:
 * ARP (RFC 826), ICMP echo (RFC 792), ICMPv6 echo (RFC 4443) and neighbour discovery
 * (RFC 4861 NS/NA). Each input function validates a received message, says what to
 * learn about the neighbour, and rewrites the buffer into the answer when one is due.
 * Builders make the requests the neighbour table sends. No mbufs and no state, so the
 * dataplane lcores and the control thread both call them, and unit tests do too.
 */
#ifndef DP_PROTO_H
#define DP_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include <rte_ether.h>

#include "dp_iface.h"
#include "dp_parse.h"
#include "sbc_stats.h"

/*
 * What a received message says about its sender (RFC 4861 7.2.3-7.2.5, applied to ARP
 * the same way): none of these set means nothing is learned.
 */
#define DP_LEARN_UPDATE 0x08   /* set on every learn: refresh or complete an existing entry */
#define DP_LEARN_CREATE 0x01   /* may create an entry (a request to us: ARP, NS) */
#define DP_LEARN_CONFIRM 0x02  /* proves reachability (ARP reply, NA with S) */
#define DP_LEARN_OVERRIDE 0x04 /* may replace a different cached MAC (not NA without O) */

enum dp_reply {
	DP_REPLY_NONE = 0,
	DP_REPLY_DIRECT, /* send to res.mac on the ingress port (ARP reply, NA) */
	DP_REPLY_ROUTE,  /* route to res.dst through the neighbour table (echo reply) */
};

struct dp_proto_res {
	uint8_t learn;      /* DP_LEARN_* flags, 0: nothing to learn */
	uint8_t reply;      /* enum dp_reply */
	uint8_t v6;         /* reply and learned address are IPv6 */
	uint8_t ev_rx;      /* SBC_EV_* of the received message, or SBC_EV_MAX */
	uint8_t ev_tx;      /* SBC_EV_* of the reply, or SBC_EV_MAX */
	uint16_t l3_len;    /* length of the reply from the L3 header on */
	uint8_t ip[16];     /* neighbour address to learn */
	struct rte_ether_addr mac; /* its MAC; for DP_REPLY_DIRECT also the L2 destination */
	uint8_t dst[16];    /* DP_REPLY_ROUTE: IP destination of the reply */
};

/*
 * ARP packet (28 octets) received on ifc. Returns SBC_DROP_NONE with *res filled (the
 * buffer holds the reply when res->reply is set), or a drop reason. Any thread.
 */
enum sbc_drop dp_arp_input(const struct dp_iface *ifc, uint8_t *arp, struct dp_proto_res *res);

/*
 * IPv4 packet whose destination is one of ifc's addresses and whose protocol is ICMP.
 * Answers echo requests in place (same length). Returns SBC_DROP_NONE with *res filled,
 * or a drop reason. Any thread.
 */
enum sbc_drop dp_icmp4_input(const struct dp_iface *ifc, uint8_t *frame, const struct dp_pkt *p,
		struct dp_proto_res *res);

/*
 * IPv6 packet for ifc (one of its addresses or a solicited-node group) carrying ICMPv6.
 * cap: octets writable from the L3 header on (an NA may be longer than the NS). Returns
 * SBC_DROP_NONE with *res filled (the reply written when res->reply is set), or a drop
 * reason. Any thread.
 */
enum sbc_drop dp_icmp6_input(const struct dp_iface *ifc, uint8_t *frame, const struct dp_pkt *p,
		size_t cap, struct dp_proto_res *res);

/* Writes an ARP request for tip (from sip) at arp; returns its length (28). Any thread. */
size_t dp_arp_build_request(uint8_t *arp, const struct dp_iface *ifc, const uint8_t *sip,
		const uint8_t *tip);

/*
 * Writes an IPv6 packet holding a neighbour solicitation for target at l3, multicast to
 * its solicited-node group or, when unicast is set, to target itself (a probe). Returns
 * the L3 length (72) and the L2 destination in *l2dst. Any thread.
 */
size_t dp_nd_build_ns(uint8_t *l3, const struct dp_iface *ifc, const uint8_t *target, int unicast,
		const struct rte_ether_addr *unicast_mac, struct rte_ether_addr *l2dst);

#endif /* DP_PROTO_H */
