/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_proto.c - ARP, ICMP echo and IPv6 neighbour discovery (see dp_proto.h).
 * Called per control packet by the dataplane lcores and by the control thread.
 * Replies are built in place; every field read from the request is copied before
 * the buffer is overwritten.
 */
#include <stdbool.h>
#include <string.h>

#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_icmp.h>
#include <rte_ip.h>

#include "dp_cksum.h"
#include "dp_proto.h"

#define ICMP6_ECHO_REQUEST 128
#define ICMP6_ECHO_REPLY 129
#define ND_ROUTER_SOLICIT 133
#define ND_ROUTER_ADVERT 134
#define ND_NEIGHBOR_SOLICIT 135
#define ND_NEIGHBOR_ADVERT 136
#define ND_OPT_SOURCE_LLADDR 1
#define ND_OPT_TARGET_LLADDR 2
#define ND_NA_FLAG_ROUTER 0x80
#define ND_NA_FLAG_SOLICITED 0x40
#define ND_NA_FLAG_OVERRIDE 0x20
#define ND_HDR_LEN 24 /* type, code, cksum, flags/reserved, target */
#define IP6_HDR_LEN 40

static void
res_init(struct dp_proto_res *res)
{
	memset(res, 0, sizeof(*res));
	res->ev_rx = SBC_EV_MAX;
	res->ev_tx = SBC_EV_MAX;
}

/* ---- ARP -------------------------------------------------------------------------------- */

enum sbc_drop
dp_arp_input(const struct dp_iface *ifc, uint8_t *buf, struct dp_proto_res *res)
{
	struct rte_arp_hdr *arp = (struct rte_arp_hdr *)buf;
	struct rte_arp_ipv4 *d = &arp->arp_data;
	uint8_t sip[4], tip[4];
	struct rte_ether_addr sha;
	bool learnable;
	uint16_t op;

	res_init(res);
	if (arp->arp_hardware != RTE_BE16(RTE_ARP_HRD_ETHER) ||
			arp->arp_protocol != RTE_BE16(RTE_ETHER_TYPE_IPV4) ||
			arp->arp_hlen != RTE_ETHER_ADDR_LEN || arp->arp_plen != 4)
		return SBC_DROP_ARP_MALFORMED;
	op = rte_be_to_cpu_16(arp->arp_opcode);
	if (op != RTE_ARP_OP_REQUEST && op != RTE_ARP_OP_REPLY)
		return SBC_DROP_ARP_BAD_OP;
	memcpy(sip, &d->arp_sip, 4);
	memcpy(tip, &d->arp_tip, 4);
	sha = d->arp_sha;
	if (!rte_is_unicast_ether_addr(&sha) || rte_is_zero_ether_addr(&sha) ||
			rte_is_same_ether_addr(&sha, &ifc->mac))
		return SBC_DROP_ARP_BAD_SENDER;
	/* Somebody claiming one of our addresses: never learn it, never answer it. */
	if (dp_iface_own4(ifc, sip) >= 0)
		return SBC_DROP_ARP_BAD_SENDER;

	/* Nor a network or broadcast address, nor a sender outside our subnets. */
	if (dp_iface_bcast4(ifc, sip))
		return SBC_DROP_ARP_BAD_SENDER;
	memcpy(res->ip, sip, 4);
	res->mac = sha;
	/* 0.0.0.0 (an address probe, RFC 5227) is outside every subnet: never learned. */
	learnable = dp_iface_onlink(ifc, 0, sip) >= 0 && !dp_iface_net4(ifc, sip);

	if (dp_iface_own4(ifc, tip) < 0) {
		if (memcmp(sip, tip, 4) == 0 && learnable) {
			/* Gratuitous ARP: a neighbour announcing a new MAC. */
			res->learn = DP_LEARN_UPDATE | DP_LEARN_OVERRIDE;
			return SBC_DROP_NONE;
		}
		return SBC_DROP_ARP_NOT_FOR_US;
	}
	if (op == RTE_ARP_OP_REPLY) {
		res->ev_rx = SBC_EV_ARP_REPLY_RX;
		res->learn = learnable ? DP_LEARN_UPDATE | DP_LEARN_CONFIRM | DP_LEARN_OVERRIDE : 0;
		return SBC_DROP_NONE;
	}
	/* A request for us: the sender will talk to us, so remember it (RFC 826). */
	res->ev_rx = SBC_EV_ARP_REQUEST_RX;
	res->learn = learnable ? DP_LEARN_UPDATE | DP_LEARN_CREATE | DP_LEARN_OVERRIDE : 0;
	arp->arp_opcode = RTE_BE16(RTE_ARP_OP_REPLY);
	d->arp_tha = sha;
	memcpy(&d->arp_tip, sip, 4);
	d->arp_sha = ifc->mac;
	memcpy(&d->arp_sip, tip, 4);
	res->reply = DP_REPLY_DIRECT;
	res->ev_tx = SBC_EV_ARP_REPLY_TX;
	res->l3_len = sizeof(*arp);
	return SBC_DROP_NONE;
}

size_t
dp_arp_build_request(uint8_t *buf, const struct dp_iface *ifc, const uint8_t *sip,
		const uint8_t *tip)
{
	struct rte_arp_hdr *arp = (struct rte_arp_hdr *)buf;

	arp->arp_hardware = RTE_BE16(RTE_ARP_HRD_ETHER);
	arp->arp_protocol = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	arp->arp_hlen = RTE_ETHER_ADDR_LEN;
	arp->arp_plen = 4;
	arp->arp_opcode = RTE_BE16(RTE_ARP_OP_REQUEST);
	arp->arp_data.arp_sha = ifc->mac;
	memcpy(&arp->arp_data.arp_sip, sip, 4);
	memset(&arp->arp_data.arp_tha, 0, sizeof(arp->arp_data.arp_tha));
	memcpy(&arp->arp_data.arp_tip, tip, 4);
	return sizeof(*arp);
}

/* ---- ICMP echo -------------------------------------------------------------------------- */

enum sbc_drop
dp_icmp4_input(const struct dp_iface *ifc, uint8_t *frame, const struct dp_pkt *p,
		struct dp_proto_res *res)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(frame + p->l3_off);
	struct rte_icmp_hdr *icmp = (struct rte_icmp_hdr *)(frame + p->l4_off);
	uint32_t tmp;

	(void)ifc;
	res_init(res);
	if (icmp->icmp_type != RTE_IP_ICMP_ECHO_REQUEST || icmp->icmp_code != 0)
		return SBC_DROP_ICMP_UNHANDLED;
	if (!dp_cksum_ok(0, icmp, p->l4_len))
		return SBC_DROP_ICMP_BAD_CKSUM;
	res->ev_rx = SBC_EV_ICMP_ECHO_RX;

	tmp = ip->src_addr;
	ip->src_addr = ip->dst_addr;
	ip->dst_addr = tmp;
	ip->time_to_live = 64;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	icmp->icmp_type = RTE_IP_ICMP_ECHO_REPLY;
	icmp->icmp_cksum = dp_cksum_update16(icmp->icmp_cksum, RTE_BE16(RTE_IP_ICMP_ECHO_REQUEST << 8),
			RTE_BE16(RTE_IP_ICMP_ECHO_REPLY << 8));

	memcpy(res->dst, &ip->dst_addr, 4);
	res->reply = DP_REPLY_ROUTE;
	res->ev_tx = SBC_EV_ICMP_ECHO_TX;
	res->l3_len = p->l3_len;
	return SBC_DROP_NONE;
}

/* ---- ICMPv6: echo and neighbour discovery ---------------------------------------------- */

/* A neighbour's link-layer address must be unicast, non-zero and not ours. */
static bool
lladdr_ok(const struct dp_iface *ifc, const struct rte_ether_addr *mac)
{
	return rte_is_unicast_ether_addr(mac) && !rte_is_zero_ether_addr(mac) &&
			!rte_is_same_ether_addr(mac, &ifc->mac);
}

/*
 * Walks the ND options in [opt, opt + len): fails on a zero-length or overrunning option
 * (RFC 4861 7.1) and returns the link-layer address of option type want in *mac.
 */
static int
nd_options(const uint8_t *opt, size_t len, uint8_t want, struct rte_ether_addr *mac, int *found)
{
	*found = 0;
	while (len > 0) {
		size_t olen;

		if (len < 2)
			return -1;
		olen = opt[1] * 8u;
		if (olen == 0 || olen > len)
			return -1;
		if (opt[0] == want && olen >= 8) {
			memcpy(mac, opt + 2, RTE_ETHER_ADDR_LEN);
			*found = 1;
		}
		opt += olen;
		len -= olen;
	}
	return 0;
}

static void
ip6_header(uint8_t *l3, const uint8_t *src, const uint8_t *dst, uint16_t plen, uint8_t hops)
{
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)l3;

	ip->vtc_flow = RTE_BE32(6u << 28);
	ip->payload_len = rte_cpu_to_be_16(plen);
	ip->proto = IPPROTO_ICMPV6;
	ip->hop_limits = hops;
	memmove(ip->src_addr, src, 16);
	memmove(ip->dst_addr, dst, 16);
}

static void
icmp6_set_cksum(uint8_t *l3, uint16_t plen)
{
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)l3;
	uint8_t *icmp = l3 + IP6_HDR_LEN;

	icmp[2] = icmp[3] = 0;
	uint16_t c = dp_cksum_finish(dp_cksum_phdr6(ip->src_addr, ip->dst_addr, plen, IPPROTO_ICMPV6),
			icmp, plen);
	memcpy(icmp + 2, &c, 2);
}

/* Writes NA (with our link-layer address) at l3; returns the L3 length. */
static size_t
nd_build_na(uint8_t *l3, const struct dp_iface *ifc, const uint8_t *target, const uint8_t *dst,
		uint8_t flags)
{
	uint8_t *icmp = l3 + IP6_HDR_LEN;
	const uint16_t plen = ND_HDR_LEN + 8;

	ip6_header(l3, target, dst, plen, 255);
	memset(icmp, 0, plen);
	icmp[0] = ND_NEIGHBOR_ADVERT;
	icmp[4] = flags;
	memcpy(icmp + 8, target, 16);
	icmp[24] = ND_OPT_TARGET_LLADDR;
	icmp[25] = 1;
	memcpy(icmp + 26, ifc->mac.addr_bytes, RTE_ETHER_ADDR_LEN);
	icmp6_set_cksum(l3, plen);
	return IP6_HDR_LEN + plen;
}

static enum sbc_drop
nd_solicit_input(const struct dp_iface *ifc, uint8_t *frame, const struct dp_pkt *p, size_t cap,
		struct dp_proto_res *res)
{
	static const uint8_t unspec[16];
	static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 1 };
	const struct rte_ipv6_hdr *ip = (const struct rte_ipv6_hdr *)(frame + p->l3_off);
	const uint8_t *icmp = frame + p->l4_off;
	uint8_t src[16], target[16];
	struct rte_ether_addr sll;
	int has_sll, dad;
	uint8_t *l3 = frame + p->l3_off;

	if (p->l4_len < ND_HDR_LEN || (icmp[8] == 0xff))
		return SBC_DROP_ND_INVALID;
	if (nd_options(icmp + ND_HDR_LEN, p->l4_len - ND_HDR_LEN, ND_OPT_SOURCE_LLADDR, &sll,
			    &has_sll) < 0)
		return SBC_DROP_ND_INVALID;
	if (has_sll && !lladdr_ok(ifc, &sll))
		return SBC_DROP_ND_INVALID;
	memcpy(src, ip->src_addr, 16);
	memcpy(target, icmp + 8, 16);
	dad = memcmp(src, unspec, 16) == 0;
	/* RFC 4861 7.1.1: from ::, only to a solicited-node group and without SLLAO. */
	if (dad && (has_sll || !dp_iface_solicited6(ifc, ip->dst_addr)))
		return SBC_DROP_ND_INVALID;
	/* Somebody using one of our addresses as its source. */
	if (dp_iface_own6(ifc, src) >= 0)
		return SBC_DROP_ND_INVALID;
	if (dp_iface_own6(ifc, target) < 0)
		return SBC_DROP_ND_NOT_FOR_US;
	if (cap < IP6_HDR_LEN + ND_HDR_LEN + 8)
		return SBC_DROP_ND_INVALID;
	res->ev_rx = SBC_EV_ND_NS_RX;

	if (dad) {
		/* Somebody is about to use our address: defend it to all nodes (7.2.4). */
		rte_ether_addr_copy(&(struct rte_ether_addr){ { 0x33, 0x33, 0, 0, 0, 1 } }, &res->mac);
		res->l3_len = (uint16_t)nd_build_na(l3, ifc, target, all_nodes, ND_NA_FLAG_OVERRIDE);
	} else {
		memcpy(res->ip, src, 16);
		if (has_sll) {
			res->mac = sll;
			/* Hop limit 255 proved the sender is on the link; learn on-link sources. */
			if (dp_iface_onlink(ifc, 1, src) >= 0)
				res->learn = DP_LEARN_UPDATE | DP_LEARN_CREATE | DP_LEARN_OVERRIDE;
		} else {
			/* No SLLAO: answer the frame's sender, learn nothing. */
			res->mac = ((const struct rte_ether_hdr *)frame)->src_addr;
		}
		res->l3_len = (uint16_t)nd_build_na(l3, ifc, target, src,
				ND_NA_FLAG_SOLICITED | ND_NA_FLAG_OVERRIDE);
	}
	res->v6 = 1;
	res->reply = DP_REPLY_DIRECT;
	res->ev_tx = SBC_EV_ND_NA_TX;
	return SBC_DROP_NONE;
}

static enum sbc_drop
nd_advert_input(const struct dp_iface *ifc, uint8_t *frame, const struct dp_pkt *p,
		struct dp_proto_res *res)
{
	const struct rte_ipv6_hdr *ip = (const struct rte_ipv6_hdr *)(frame + p->l3_off);
	const uint8_t *icmp = frame + p->l4_off;
	struct rte_ether_addr tll;
	int has_tll;

	if (p->l4_len < ND_HDR_LEN || icmp[8] == 0xff)
		return SBC_DROP_ND_INVALID;
	/* 7.1.2: a multicast NA must not claim to be solicited. */
	if (ip->dst_addr[0] == 0xff && (icmp[4] & ND_NA_FLAG_SOLICITED))
		return SBC_DROP_ND_INVALID;
	if (nd_options(icmp + ND_HDR_LEN, p->l4_len - ND_HDR_LEN, ND_OPT_TARGET_LLADDR, &tll,
			    &has_tll) < 0)
		return SBC_DROP_ND_INVALID;
	if (dp_iface_own6(ifc, icmp + 8) >= 0)
		return SBC_DROP_ND_INVALID; /* a duplicate of our address: never learn it */
	if (has_tll && !lladdr_ok(ifc, &tll))
		return SBC_DROP_ND_INVALID;
	res->ev_rx = SBC_EV_ND_NA_RX;
	res->v6 = 1;
	/* Without a target link-layer address there is nothing to learn (7.2.5). */
	if (has_tll) {
		memcpy(res->ip, icmp + 8, 16);
		res->mac = tll;
		res->learn = DP_LEARN_UPDATE |
				(icmp[4] & ND_NA_FLAG_SOLICITED ? DP_LEARN_CONFIRM : 0) |
				(icmp[4] & ND_NA_FLAG_OVERRIDE ? DP_LEARN_OVERRIDE : 0);
	}
	return SBC_DROP_NONE;
}

static enum sbc_drop
echo6_input(const struct dp_iface *ifc, uint8_t *frame, const struct dp_pkt *p,
		struct dp_proto_res *res)
{
	uint8_t *l3 = frame + p->l3_off;
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)l3;
	uint8_t src[16], dst[16];
	uint16_t plen = p->l4_len;
	uint8_t *icmp;

	if (ip->dst_addr[0] == 0xff || dp_iface_own6(ifc, ip->dst_addr) < 0)
		return SBC_DROP_L3_MULTICAST;
	res->ev_rx = SBC_EV_ICMP6_ECHO_RX;
	memcpy(src, ip->src_addr, 16);
	memcpy(dst, ip->dst_addr, 16);
	/* The reply carries no extension headers: move the message up behind the header. */
	if (p->l4_off != p->l3_off + IP6_HDR_LEN)
		memmove(l3 + IP6_HDR_LEN, frame + p->l4_off, plen);
	ip6_header(l3, dst, src, plen, 64);
	icmp = l3 + IP6_HDR_LEN;
	icmp[0] = ICMP6_ECHO_REPLY;
	icmp6_set_cksum(l3, plen);
	memcpy(res->dst, src, 16);
	res->v6 = 1;
	res->reply = DP_REPLY_ROUTE;
	res->ev_tx = SBC_EV_ICMP6_ECHO_TX;
	res->l3_len = (uint16_t)(IP6_HDR_LEN + plen);
	return SBC_DROP_NONE;
}

enum sbc_drop
dp_icmp6_input(const struct dp_iface *ifc, uint8_t *frame, const struct dp_pkt *p, size_t cap,
		struct dp_proto_res *res)
{
	const struct rte_ipv6_hdr *ip = (const struct rte_ipv6_hdr *)(frame + p->l3_off);
	const uint8_t *icmp = frame + p->l4_off;

	res_init(res);
	if (!dp_cksum_ok(dp_cksum_phdr6(ip->src_addr, ip->dst_addr, p->l4_len, IPPROTO_ICMPV6), icmp,
			    p->l4_len))
		return SBC_DROP_ICMP_BAD_CKSUM;
	switch (icmp[0]) {
	case ICMP6_ECHO_REQUEST:
		if (icmp[1] != 0)
			return SBC_DROP_ICMP_UNHANDLED;
		return echo6_input(ifc, frame, p, res);
	case ND_NEIGHBOR_SOLICIT:
	case ND_NEIGHBOR_ADVERT:
		/* RFC 4861 7.1: hop limit 255 proves the sender is on the link. */
		if (ip->hop_limits != 255 || icmp[1] != 0)
			return SBC_DROP_ND_INVALID;
		if (icmp[0] == ND_NEIGHBOR_SOLICIT)
			return nd_solicit_input(ifc, frame, p, cap, res);
		return nd_advert_input(ifc, frame, p, res);
	default:
		return SBC_DROP_ICMP_UNHANDLED;
	}
}

size_t
dp_nd_build_ns(uint8_t *l3, const struct dp_iface *ifc, const uint8_t *target, int unicast,
		const struct rte_ether_addr *unicast_mac, struct rte_ether_addr *l2dst)
{
	uint8_t dst[16] = { 0xff, 0x02, [11] = 0x01, [12] = 0xff };
	uint8_t *icmp = l3 + IP6_HDR_LEN;
	const uint16_t plen = ND_HDR_LEN + 8;

	if (unicast) {
		memcpy(dst, target, 16);
		*l2dst = *unicast_mac;
	} else {
		memcpy(dst + 13, target + 13, 3);
		l2dst->addr_bytes[0] = 0x33;
		l2dst->addr_bytes[1] = 0x33;
		memcpy(&l2dst->addr_bytes[2], dst + 12, 4);
	}
	ip6_header(l3, dp_iface_src_for(ifc, 1, target), dst, plen, 255);
	memset(icmp, 0, plen);
	icmp[0] = ND_NEIGHBOR_SOLICIT;
	memcpy(icmp + 8, target, 16);
	icmp[24] = ND_OPT_SOURCE_LLADDR;
	icmp[25] = 1;
	memcpy(icmp + 26, ifc->mac.addr_bytes, RTE_ETHER_ADDR_LEN);
	icmp6_set_cksum(l3, plen);
	return IP6_HDR_LEN + plen;
}
