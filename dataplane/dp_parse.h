/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_parse.h - L2-L4 parsing of one frame held in a plain buffer.
 *
 * dp_parse() walks Ethernet, up to two VLAN tags, ARP / IPv4 / IPv6 (with extension
 * headers) and the first octets of UDP, TCP and ICMP, checking every length against
 * the octets present. It reads only, never writes, and reports a precise drop reason
 * (enum sbc_drop) for anything malformed. Nothing here knows about mbufs or ports, so
 * unit tests feed it crafted buffers. Inline: it runs once per received packet on the
 * dataplane lcores.
 */
#ifndef DP_PARSE_H
#define DP_PARSE_H

#include <stdint.h>
#include <string.h>

#include <rte_arp.h>
#include <rte_branch_prediction.h>
#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_ether.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "dp_cksum.h"
#include "sbc_stats.h"

enum dp_l3 {
	DP_L3_NONE = 0,
	DP_L3_ARP,
	DP_L3_IPV4,
	DP_L3_IPV6,
};

#define DP_L2_BCAST 0x01 /* destination MAC ff:ff:ff:ff:ff:ff */
#define DP_L2_MCAST 0x02 /* destination MAC multicast (group bit), broadcast excluded */
#define DP_IP4_FRAG 0x04 /* IPv4 fragment: L4 not checked (only the reassembled datagram is) */

/* The PMD verified the IPv4 header checksum (RTE_MBUF_F_RX_IP_CKSUM_GOOD). */
#define DP_HINT_IP4_CKSUM_GOOD 0x01

#define DP_MAX_VLAN 2
#define DP_MAX_IP6_EXT 8

/* What dp_parse() found; offsets are from the first octet of the frame. */
struct dp_pkt {
	uint16_t l3_off; /* ARP or IP header */
	uint16_t l3_len; /* octets of the L3 packet (IP total length; 28 for ARP) */
	uint16_t l4_off; /* upper-layer header, after IPv6 extension headers */
	uint16_t l4_len; /* octets from l4_off to the end of the IP payload */
	uint16_t vlan;   /* outer VLAN id, 0 when untagged */
	uint8_t n_vlan;
	uint8_t l3;      /* enum dp_l3 */
	uint8_t l4;      /* IPPROTO_* of the upper layer */
	uint8_t l2_flags;    /* DP_L2_*, and DP_IP4_FRAG */
};

/* Returns whether next header nh is an IPv6 extension header walked here. Any thread. */
static inline int
dp_ip6_is_ext(uint8_t nh)
{
	return nh == IPPROTO_HOPOPTS || nh == IPPROTO_ROUTING || nh == IPPROTO_DSTOPTS ||
			nh == IPPROTO_FRAGMENT || nh == IPPROTO_AH;
}

/*
 * Checks the UDP, TCP or ICMP header at l4 against p->l4_len. Returns SBC_DROP_NONE (any
 * other protocol too) or the reason to drop. Any thread.
 */
static __rte_always_inline enum sbc_drop
dp_parse_l4(const uint8_t *l4, struct dp_pkt *p)
{
	switch (p->l4) {
	case IPPROTO_UDP: {
		uint16_t ulen;

		if (unlikely(p->l4_len < sizeof(struct rte_udp_hdr)))
			return SBC_DROP_L4_TRUNCATED;
		ulen = rte_be_to_cpu_16(((const struct rte_udp_hdr *)l4)->dgram_len);
		if (unlikely(ulen < sizeof(struct rte_udp_hdr) || ulen > p->l4_len))
			return SBC_DROP_UDP_BAD_LEN;
		return SBC_DROP_NONE;
	}
	case IPPROTO_TCP: {
		unsigned int doff;

		if (unlikely(p->l4_len < sizeof(struct rte_tcp_hdr)))
			return SBC_DROP_L4_TRUNCATED;
		doff = (((const struct rte_tcp_hdr *)l4)->data_off >> 4) * 4u;
		if (unlikely(doff < sizeof(struct rte_tcp_hdr) || doff > p->l4_len))
			return SBC_DROP_TCP_BAD_OFFSET;
		return SBC_DROP_NONE;
	}
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		/* Every ICMP(v6) message has at least type, code, checksum and 4 more octets. */
		if (unlikely(p->l4_len < 8))
			return SBC_DROP_L4_TRUNCATED;
		return SBC_DROP_NONE;
	default:
		return SBC_DROP_NONE;
	}
}

/*
 * Parses the IPv4 header at p->l3_off (and the L4 header unless a fragment). Returns
 * SBC_DROP_NONE with p's L3 and L4 fields set, or the reason to drop. Any thread.
 */
static __rte_always_inline enum sbc_drop
dp_parse_ip4(const uint8_t *frame, uint32_t len, unsigned int hints, struct dp_pkt *p)
{
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(frame + p->l3_off);
	uint32_t avail = len - p->l3_off;
	unsigned int hlen, tlen;
	uint8_t s0;

	if (unlikely(avail < sizeof(*ip)))
		return SBC_DROP_IP4_TRUNCATED;
	if (unlikely((ip->version_ihl >> 4) != 4))
		return SBC_DROP_IP4_BAD_VERSION;
	hlen = (ip->version_ihl & 0xf) * 4u;
	if (unlikely(hlen < sizeof(*ip) || hlen > avail))
		return SBC_DROP_IP4_BAD_IHL;
	tlen = rte_be_to_cpu_16(ip->total_length);
	if (unlikely(tlen < hlen || tlen > avail))
		return SBC_DROP_IP4_BAD_LEN;
	if (!(hints & DP_HINT_IP4_CKSUM_GOOD) && unlikely(!dp_cksum_ok(0, ip, hlen)))
		return SBC_DROP_IP4_BAD_CKSUM;
	s0 = ((const uint8_t *)&ip->src_addr)[0];
	if (unlikely(s0 == 0 || s0 == 127 || s0 >= 224))
		return SBC_DROP_IP4_BAD_SRC;
	p->l3 = DP_L3_IPV4;
	p->l3_len = (uint16_t)tlen;
	p->l4 = ip->next_proto_id;
	p->l4_off = (uint16_t)(p->l3_off + hlen);
	p->l4_len = (uint16_t)(tlen - hlen);
	if (unlikely(ip->fragment_offset & rte_cpu_to_be_16(RTE_IPV4_HDR_MF_FLAG |
							    RTE_IPV4_HDR_OFFSET_MASK))) {
		p->l2_flags |= DP_IP4_FRAG;
		return SBC_DROP_NONE;
	}
	return dp_parse_l4(frame + p->l4_off, p);
}

/*
 * Parses the IPv6 header at p->l3_off, its extension headers and the L4 header. Returns
 * SBC_DROP_NONE with p's L3 and L4 fields set, or the reason to drop. Any thread.
 */
static __rte_always_inline enum sbc_drop
dp_parse_ip6(const uint8_t *frame, uint32_t len, struct dp_pkt *p)
{
	static const uint8_t loopback[16] = { [15] = 1 };
	const struct rte_ipv6_hdr *ip = (const struct rte_ipv6_hdr *)(frame + p->l3_off);
	uint32_t avail = len - p->l3_off;
	uint32_t plen, off, n;
	uint8_t nh;

	if (unlikely(avail < sizeof(*ip)))
		return SBC_DROP_IP6_TRUNCATED;
	if (unlikely((rte_be_to_cpu_32(ip->vtc_flow) >> 28) != 6))
		return SBC_DROP_IP6_BAD_VERSION;
	plen = rte_be_to_cpu_16(ip->payload_len);
	/* A zero payload length means a jumbogram, which no link of ours carries. */
	if (unlikely(plen == 0 || plen + sizeof(*ip) > avail))
		return SBC_DROP_IP6_BAD_LEN;
	if (unlikely(ip->src_addr[0] == 0xff || memcmp(ip->src_addr, loopback, 16) == 0))
		return SBC_DROP_IP6_BAD_SRC;

	/* Walk the extension headers; off counts from the end of the fixed header. */
	nh = ip->proto;
	off = 0;
	for (n = 0; dp_ip6_is_ext(nh); n++) {
		const uint8_t *ext = frame + p->l3_off + sizeof(*ip) + off;
		uint32_t elen;

		if (unlikely(n == DP_MAX_IP6_EXT))
			return SBC_DROP_IP6_EXT_TOO_MANY;
		if (unlikely(nh == IPPROTO_HOPOPTS && n != 0))
			return SBC_DROP_IP6_EXT_MALFORMED; /* RFC 8200 4.1: only first */
		if (unlikely(off + 8 > plen))
			return SBC_DROP_IP6_EXT_MALFORMED;
		if (nh == IPPROTO_FRAGMENT)
			return SBC_DROP_IP6_FRAGMENT;
		/* RFC 8200 4.4: we are the final destination only when no segment is left. */
		if (unlikely(nh == IPPROTO_ROUTING && ext[3] != 0))
			return SBC_DROP_IP6_ROUTING;
		elen = nh == IPPROTO_AH ? (ext[1] + 2u) * 4u : (ext[1] + 1u) * 8u;
		if (unlikely(off + elen > plen))
			return SBC_DROP_IP6_EXT_MALFORMED;
		nh = ext[0];
		off += elen;
	}
	p->l3 = DP_L3_IPV6;
	p->l3_len = (uint16_t)(plen + sizeof(*ip));
	p->l4 = nh;
	p->l4_off = (uint16_t)(p->l3_off + sizeof(*ip) + off);
	p->l4_len = (uint16_t)(plen - off);
	return dp_parse_l4(frame + p->l4_off, p);
}

/*
 * Parses the frame of len octets at frame. Returns SBC_DROP_NONE and fills p, or the
 * reason to drop the frame. hints: DP_HINT_* from the receive offloads. Any thread.
 */
static __rte_always_inline enum sbc_drop
dp_parse(const uint8_t *frame, uint32_t len, unsigned int hints, struct dp_pkt *p)
{
	const struct rte_ether_hdr *eth = (const struct rte_ether_hdr *)frame;
	uint16_t type;
	uint32_t off;

	memset(p, 0, sizeof(*p));
	if (unlikely(len < sizeof(*eth)))
		return SBC_DROP_L2_RUNT;
	if (unlikely(!rte_is_unicast_ether_addr(&eth->src_addr) ||
			    rte_is_zero_ether_addr(&eth->src_addr)))
		return SBC_DROP_L2_SRC_INVALID;
	if (rte_is_broadcast_ether_addr(&eth->dst_addr))
		p->l2_flags = DP_L2_BCAST;
	else if (rte_is_multicast_ether_addr(&eth->dst_addr))
		p->l2_flags = DP_L2_MCAST;

	type = eth->ether_type;
	off = sizeof(*eth);
	while (type == rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN) ||
			type == rte_cpu_to_be_16(RTE_ETHER_TYPE_QINQ)) {
		const struct rte_vlan_hdr *vh = (const struct rte_vlan_hdr *)(frame + off);

		if (unlikely(p->n_vlan == DP_MAX_VLAN))
			return SBC_DROP_VLAN_TOO_MANY;
		if (unlikely(len < off + sizeof(*vh)))
			return SBC_DROP_VLAN_TRUNCATED;
		if (p->n_vlan == 0)
			p->vlan = rte_be_to_cpu_16(vh->vlan_tci) & 0xfff;
		p->n_vlan++;
		type = vh->eth_proto;
		off += sizeof(*vh);
	}
	p->l3_off = (uint16_t)off;

	switch (type) {
	case RTE_BE16(RTE_ETHER_TYPE_ARP):
		if (unlikely(len - off < sizeof(struct rte_arp_hdr)))
			return SBC_DROP_ARP_TRUNCATED;
		p->l3 = DP_L3_ARP;
		p->l3_len = sizeof(struct rte_arp_hdr);
		return SBC_DROP_NONE;
	case RTE_BE16(RTE_ETHER_TYPE_IPV4):
		return dp_parse_ip4(frame, len, hints, p);
	case RTE_BE16(RTE_ETHER_TYPE_IPV6):
		return dp_parse_ip6(frame, len, p);
	default:
		return SBC_DROP_ETHERTYPE_UNKNOWN;
	}
}

#endif /* DP_PARSE_H */
