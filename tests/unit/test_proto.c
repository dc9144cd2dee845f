/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_proto.c - ARP, ICMP echo, ICMPv6 echo and neighbour discovery handlers, the
 * request builders, and the interface/route helpers. Frames are parsed with dp_parse
 * first, as on the dataplane; replies are checked field by field and their checksums
 * verified with the independent RFC 1071 loop of frames.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "dp_iface.h"
#include "dp_parse.h"
#include "dp_proto.h"
#include "frames.h"

#define BUF 512

static struct dp_iface ifc;       /* 192.0.2.1/24, 2001:db8:a::1/64, 203.0.113.1/28 */
static struct dp_iface ifc_core;  /* 198.51.100.1/24, 2001:db8:c::1/64, gateways */

static void
setup_ifaces(void)
{
	struct sbc_port_cfg pc = { .name = "access", .mtu = 1500 };
	struct sbc_port_cfg pcc = { .name = "core", .mtu = 1500 };
	struct rte_ether_addr mac, macc = { { 0x02, 0, 0, 0, 0, 0x02 } };

	memcpy(mac.addr_bytes, T_MAC_US, 6);
	sbc_ip_parse("192.0.2.1/24", AF_INET, true, &pc.addr4[0]);
	sbc_ip_parse("203.0.113.1/28", AF_INET, true, &pc.addr4[1]);
	pc.n_addr4 = 2;
	sbc_ip_parse("2001:db8:a::1/64", AF_INET6, true, &pc.addr6[0]);
	pc.n_addr6 = 1;
	dp_iface_init(&ifc, 0, 0, &pc, &mac);

	sbc_ip_parse("198.51.100.1/24", AF_INET, true, &pcc.addr4[0]);
	pcc.n_addr4 = 1;
	sbc_ip_parse("2001:db8:c::1/64", AF_INET6, true, &pcc.addr6[0]);
	pcc.n_addr6 = 1;
	sbc_ip_parse("198.51.100.254", AF_INET, false, &pcc.gw4);
	pcc.has_gw4 = true;
	sbc_ip_parse("2001:db8:c::fe", AF_INET6, false, &pcc.gw6);
	pcc.has_gw6 = true;
	dp_iface_init(&ifc_core, 1, 1, &pcc, &macc);
}

static int
setup(void **state)
{
	(void)state;
	setup_ifaces();
	return 0;
}

static size_t
parse_ok(const uint8_t *f, size_t len, struct dp_pkt *p)
{
	assert_int_equal(dp_parse(f, (uint32_t)len, 0, p), SBC_DROP_NONE);
	return len;
}

/* ---- ARP ------------------------------------------------------------------------------- */

static size_t
arp_frame(uint8_t *f, uint16_t op, const uint8_t *sha, const uint8_t *sip, const uint8_t *tip)
{
	static const uint8_t zero[6];
	size_t l = t_eth(f, T_MAC_BCAST, sha, 0x0806, 0, 0);

	return l + t_arp(f + l, op, sha, sip, zero, tip);
}

static void
test_arp_request(void **state)
{
	uint8_t f[BUF];
	struct dp_proto_res r;
	struct dp_pkt p;
	uint8_t *a = f + 14;

	(void)state;
	parse_ok(f, arp_frame(f, 1, T_MAC_PEER, T_IP4_PEER, T_IP4_US), &p);
	assert_int_equal(dp_arp_input(&ifc, f + p.l3_off, &r), SBC_DROP_NONE);
	assert_int_equal(r.reply, DP_REPLY_DIRECT);
	assert_int_equal(r.learn, DP_LEARN_UPDATE | DP_LEARN_CREATE | DP_LEARN_OVERRIDE);
	assert_int_equal(r.ev_rx, SBC_EV_ARP_REQUEST_RX);
	assert_int_equal(r.ev_tx, SBC_EV_ARP_REPLY_TX);
	assert_int_equal(r.l3_len, 28);
	assert_memory_equal(r.mac.addr_bytes, T_MAC_PEER, 6);
	assert_memory_equal(r.ip, T_IP4_PEER, 4);
	/* The buffer is now our reply. */
	assert_int_equal(a[7], 2);
	assert_memory_equal(a + 8, T_MAC_US, 6);
	assert_memory_equal(a + 14, T_IP4_US, 4);
	assert_memory_equal(a + 18, T_MAC_PEER, 6);
	assert_memory_equal(a + 24, T_IP4_PEER, 4);

	/* For our second address too. */
	{
		const uint8_t second[4] = { 203, 0, 113, 1 };

		parse_ok(f, arp_frame(f, 1, T_MAC_PEER, T_IP4_PEER, second), &p);
		assert_int_equal(dp_arp_input(&ifc, f + p.l3_off, &r), SBC_DROP_NONE);
		assert_memory_equal(a + 14, second, 4);
	}
}

static void
test_arp_other(void **state)
{
	const uint8_t other[4] = { 192, 0, 2, 99 }, offnet[4] = { 10, 1, 1, 1 };
	const uint8_t mcast_mac[6] = { 0x01, 0, 0x5e, 0, 0, 1 };
	uint8_t f[BUF];
	struct dp_proto_res r;
	struct dp_pkt p;

	(void)state;
	parse_ok(f, arp_frame(f, 1, T_MAC_PEER, T_IP4_PEER, other), &p);
	assert_int_equal(dp_arp_input(&ifc, f + 14, &r), SBC_DROP_ARP_NOT_FOR_US);
	assert_int_equal(r.learn, 0);

	/* A reply to us proves reachability; no answer. */
	parse_ok(f, arp_frame(f, 2, T_MAC_PEER, T_IP4_PEER, T_IP4_US), &p);
	assert_int_equal(dp_arp_input(&ifc, f + 14, &r), SBC_DROP_NONE);
	assert_int_equal(r.reply, DP_REPLY_NONE);
	assert_int_equal(r.learn, DP_LEARN_UPDATE | DP_LEARN_CONFIRM | DP_LEARN_OVERRIDE);
	assert_int_equal(r.ev_rx, SBC_EV_ARP_REPLY_RX);

	/* Gratuitous ARP of a neighbour: may replace its MAC, creates nothing, no answer. */
	parse_ok(f, arp_frame(f, 1, T_MAC_PEER, T_IP4_PEER, T_IP4_PEER), &p);
	assert_int_equal(dp_arp_input(&ifc, f + 14, &r), SBC_DROP_NONE);
	assert_int_equal(r.learn, DP_LEARN_UPDATE | DP_LEARN_OVERRIDE);
	assert_int_equal(r.reply, DP_REPLY_NONE);

	/* A sender outside our subnets is answered but not learned. */
	parse_ok(f, arp_frame(f, 1, T_MAC_PEER, offnet, T_IP4_US), &p);
	assert_int_equal(dp_arp_input(&ifc, f + 14, &r), SBC_DROP_NONE);
	assert_int_equal(r.learn, 0);
	assert_int_equal(r.reply, DP_REPLY_DIRECT);

	/* A subnet's network address as sender: answered, not learned. */
	{
		const uint8_t net[4] = { 192, 0, 2, 0 }, bcast[4] = { 192, 0, 2, 255 };

		parse_ok(f, arp_frame(f, 1, T_MAC_PEER, net, T_IP4_US), &p);
		assert_int_equal(dp_arp_input(&ifc, f + 14, &r), SBC_DROP_NONE);
		assert_int_equal(r.learn, 0);
		/* Its broadcast address: refused. */
		parse_ok(f, arp_frame(f, 1, T_MAC_PEER, bcast, T_IP4_US), &p);
		assert_int_equal(dp_arp_input(&ifc, f + 14, &r), SBC_DROP_ARP_BAD_SENDER);
	}

	/* Somebody claiming our address. */
	parse_ok(f, arp_frame(f, 1, T_MAC_PEER, T_IP4_US, T_IP4_US), &p);
	assert_int_equal(dp_arp_input(&ifc, f + 14, &r), SBC_DROP_ARP_BAD_SENDER);

	/* A multicast sender hardware address inside the ARP body. */
	parse_ok(f, arp_frame(f, 1, T_MAC_PEER, T_IP4_PEER, T_IP4_US), &p);
	memcpy(f + 14 + 8, mcast_mac, 6);
	assert_int_equal(dp_arp_input(&ifc, f + 14, &r), SBC_DROP_ARP_BAD_SENDER);

	parse_ok(f, arp_frame(f, 3, T_MAC_PEER, T_IP4_PEER, T_IP4_US), &p);
	assert_int_equal(dp_arp_input(&ifc, f + 14, &r), SBC_DROP_ARP_BAD_OP);

	parse_ok(f, arp_frame(f, 1, T_MAC_PEER, T_IP4_PEER, T_IP4_US), &p);
	f[14 + 1] = 6; /* hardware type 6 (IEEE 802) */
	assert_int_equal(dp_arp_input(&ifc, f + 14, &r), SBC_DROP_ARP_MALFORMED);
	parse_ok(f, arp_frame(f, 1, T_MAC_PEER, T_IP4_PEER, T_IP4_US), &p);
	f[14 + 5] = 16; /* protocol length */
	assert_int_equal(dp_arp_input(&ifc, f + 14, &r), SBC_DROP_ARP_MALFORMED);
}

static void
test_arp_build(void **state)
{
	uint8_t a[28];
	const uint8_t tip[4] = { 192, 0, 2, 77 };

	(void)state;
	assert_int_equal(dp_arp_build_request(a, &ifc, T_IP4_US, tip), 28);
	assert_int_equal(a[0] << 8 | a[1], 1);
	assert_int_equal(a[2] << 8 | a[3], 0x0800);
	assert_int_equal(a[7], 1);
	assert_memory_equal(a + 8, T_MAC_US, 6);
	assert_memory_equal(a + 14, T_IP4_US, 4);
	assert_memory_equal(a + 24, tip, 4);
}

/* ---- ICMP echo ------------------------------------------------------------------------ */

static size_t
echo4_frame(uint8_t *f, uint8_t type, size_t data)
{
	size_t l = t_eth(f, T_MAC_US, T_MAC_PEER, 0x0800, 0, 0);
	uint8_t *icmp = f + l + 20;
	size_t n = t_icmp_echo(icmp, type, data);

	t_put16(icmp + 2, t_fold(t_sum(icmp, n, 0)));
	t_ip4(f + l, T_IP4_PEER, T_IP4_US, IPPROTO_ICMP, (uint16_t)n);
	return l + 20 + n;
}

static void
test_icmp_echo(void **state)
{
	uint8_t f[BUF], orig[BUF];
	struct dp_proto_res r;
	struct dp_pkt p;
	size_t len = echo4_frame(f, 8, 56);

	(void)state;
	memcpy(orig, f, len);
	parse_ok(f, len, &p);
	assert_int_equal(dp_icmp4_input(&ifc, f, &p, &r), SBC_DROP_NONE);
	assert_int_equal(r.reply, DP_REPLY_ROUTE);
	assert_int_equal(r.ev_rx, SBC_EV_ICMP_ECHO_RX);
	assert_int_equal(r.l3_len, 84);
	assert_memory_equal(r.dst, T_IP4_PEER, 4);
	assert_memory_equal(f + 14 + 12, T_IP4_US, 4);
	assert_memory_equal(f + 14 + 16, T_IP4_PEER, 4);
	assert_int_equal(f[34], 0);
	assert_int_equal(t_fold(t_sum(f + 14, 20, 0)), 0);  /* IP header checksum */
	assert_int_equal(t_fold(t_sum(f + 34, 64, 0)), 0);  /* ICMP checksum */
	assert_memory_equal(f + 38, orig + 38, 60);          /* id, seq, data untouched */

	len = echo4_frame(f, 8, 56);
	f[40] ^= 1;
	parse_ok(f, len, &p);
	assert_int_equal(dp_icmp4_input(&ifc, f, &p, &r), SBC_DROP_ICMP_BAD_CKSUM);

	len = echo4_frame(f, 13, 12); /* timestamp request */
	parse_ok(f, len, &p);
	assert_int_equal(dp_icmp4_input(&ifc, f, &p, &r), SBC_DROP_ICMP_UNHANDLED);

	len = echo4_frame(f, 0, 8); /* an echo reply is not answered */
	parse_ok(f, len, &p);
	assert_int_equal(dp_icmp4_input(&ifc, f, &p, &r), SBC_DROP_ICMP_UNHANDLED);
}

/* ---- ICMPv6 ----------------------------------------------------------------------------- */

/* IPv6 frame with an ICMPv6 message (msg, n octets) whose checksum is set here. */
static size_t
icmp6_frame(uint8_t *f, const uint8_t *src, const uint8_t *dst, const uint8_t *l2dst,
		const uint8_t *msg, size_t n, uint8_t hops)
{
	size_t l = t_eth(f, l2dst, T_MAC_PEER, 0x86dd, 0, 0);
	uint8_t *icmp = f + l + 40;

	t_ip6(f + l, src, dst, IPPROTO_ICMPV6, (uint16_t)n, hops);
	memcpy(icmp, msg, n);
	icmp[2] = icmp[3] = 0;
	t_put16(icmp + 2, t_cksum6(f + l, icmp, n, IPPROTO_ICMPV6));
	return l + 40 + n;
}

static void
check_icmp6(const uint8_t *ip6, size_t n)
{
	assert_int_equal(ip6[4] << 8 | ip6[5], n);
	assert_int_equal(ip6[6], IPPROTO_ICMPV6);
	assert_int_equal(t_cksum6(ip6, ip6 + 40, n, IPPROTO_ICMPV6), 0);
}

static void
test_echo6(void **state)
{
	static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 1 };
	uint8_t f[BUF], msg[72];
	struct dp_proto_res r;
	struct dp_pkt p;
	size_t n = t_icmp_echo(msg, 128, 56), len;

	(void)state;
	len = icmp6_frame(f, T_IP6_PEER, T_IP6_US, T_MAC_US, msg, n, 64);
	parse_ok(f, len, &p);
	assert_int_equal(dp_icmp6_input(&ifc, f, &p, BUF - 14, &r), SBC_DROP_NONE);
	assert_int_equal(r.reply, DP_REPLY_ROUTE);
	assert_int_equal(r.ev_tx, SBC_EV_ICMP6_ECHO_TX);
	assert_memory_equal(r.dst, T_IP6_PEER, 16);
	assert_int_equal(r.l3_len, 40 + n);
	assert_memory_equal(f + 14 + 8, T_IP6_US, 16);
	assert_memory_equal(f + 14 + 24, T_IP6_PEER, 16);
	assert_int_equal(f[14 + 40], 129);
	check_icmp6(f + 14, n);

	/* To a multicast group: not answered. */
	len = icmp6_frame(f, T_IP6_PEER, all_nodes, T_MAC_US, msg, n, 64);
	parse_ok(f, len, &p);
	assert_int_equal(dp_icmp6_input(&ifc, f, &p, BUF - 14, &r), SBC_DROP_L3_MULTICAST);

	/* Corrupted checksum. */
	len = icmp6_frame(f, T_IP6_PEER, T_IP6_US, T_MAC_US, msg, n, 64);
	f[len - 1] ^= 0xff;
	parse_ok(f, len, &p);
	assert_int_equal(dp_icmp6_input(&ifc, f, &p, BUF - 14, &r), SBC_DROP_ICMP_BAD_CKSUM);
}

static void
test_echo6_ext(void **state)
{
	uint8_t f[BUF], msg[64];
	struct dp_proto_res r;
	struct dp_pkt p;
	size_t n = t_icmp_echo(msg, 128, 16), l = t_eth(f, T_MAC_US, T_MAC_PEER, 0x86dd, 0, 0);
	uint8_t *ip = f + l;

	(void)state;
	/* Echo request behind an 8-octet destination options header. */
	t_ip6(ip, T_IP6_PEER, T_IP6_US, IPPROTO_DSTOPTS, (uint16_t)(8 + n), 64);
	memset(ip + 40, 0, 8);
	ip[40] = IPPROTO_ICMPV6;
	ip[42] = 1;
	ip[43] = 4;
	memcpy(ip + 48, msg, n);
	{
		/* The checksum covers the upper-layer message only. */
		uint8_t tmp[40];

		memcpy(tmp, ip, 40);
		t_put16(ip + 48 + 2, t_cksum6(tmp, ip + 48, n, IPPROTO_ICMPV6));
	}
	parse_ok(f, l + 48 + n, &p);
	assert_int_equal(dp_icmp6_input(&ifc, f, &p, BUF - 14, &r), SBC_DROP_NONE);
	assert_int_equal(r.l3_len, 40 + n);
	check_icmp6(ip, n);
	assert_int_equal(ip[40], 129);
	assert_int_equal(ip[44] << 8 | ip[45], 0x4242); /* identifier moved up intact */
}

/* Neighbour solicitation body: target and optional source link-layer address. */
static size_t
ns_msg(uint8_t *m, const uint8_t *target, const uint8_t *sll)
{
	memset(m, 0, 32);
	m[0] = 135;
	memcpy(m + 8, target, 16);
	if (sll == NULL)
		return 24;
	m[24] = 1;
	m[25] = 1;
	memcpy(m + 26, sll, 6);
	return 32;
}

static void
test_ns(void **state)
{
	uint8_t f[BUF], m[64], sn[16] = { 0xff, 0x02, [11] = 1, [12] = 0xff, [15] = 1 };
	const uint8_t sn_mac[6] = { 0x33, 0x33, 0xff, 0, 0, 1 };
	struct dp_proto_res r;
	struct dp_pkt p;
	size_t len;
	uint8_t *ip = f + 14, *na = f + 54;

	(void)state;
	/* To our solicited-node group, with SLLAO: NA back, sender learned. */
	len = icmp6_frame(f, T_IP6_PEER, sn, sn_mac, m, ns_msg(m, T_IP6_US, T_MAC_PEER), 255);
	parse_ok(f, len, &p);
	assert_int_equal(dp_icmp6_input(&ifc, f, &p, BUF - 14, &r), SBC_DROP_NONE);
	assert_int_equal(r.reply, DP_REPLY_DIRECT);
	assert_int_equal(r.learn, DP_LEARN_UPDATE | DP_LEARN_CREATE | DP_LEARN_OVERRIDE);
	assert_int_equal(r.ev_rx, SBC_EV_ND_NS_RX);
	assert_int_equal(r.ev_tx, SBC_EV_ND_NA_TX);
	assert_memory_equal(r.mac.addr_bytes, T_MAC_PEER, 6);
	assert_memory_equal(r.ip, T_IP6_PEER, 16);
	assert_int_equal(r.l3_len, 72);
	check_icmp6(ip, 32);
	assert_int_equal(ip[7], 255);
	assert_memory_equal(ip + 8, T_IP6_US, 16);
	assert_memory_equal(ip + 24, T_IP6_PEER, 16);
	assert_int_equal(na[0], 136);
	assert_int_equal(na[4], 0x60); /* solicited, override */
	assert_memory_equal(na + 8, T_IP6_US, 16);
	assert_int_equal(na[24], 2);
	assert_int_equal(na[25], 1);
	assert_memory_equal(na + 26, T_MAC_US, 6);

	/* Without SLLAO: answered to the frame's sender, nothing learned. */
	len = icmp6_frame(f, T_IP6_PEER, T_IP6_US, T_MAC_US, m, ns_msg(m, T_IP6_US, NULL), 255);
	parse_ok(f, len, &p);
	assert_true(p.l3_len < 72); /* the NA is longer than the NS */
	assert_int_equal(dp_icmp6_input(&ifc, f, &p, BUF - 14, &r), SBC_DROP_NONE);
	assert_int_equal(r.learn, 0);
	assert_memory_equal(r.mac.addr_bytes, T_MAC_PEER, 6);
	check_icmp6(ip, 32);

	/* An on-link-by-hop-limit sender outside our prefixes: answered, not learned. */
	{
		const uint8_t offnet[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x99, [15] = 7 };

		len = icmp6_frame(f, offnet, T_IP6_US, T_MAC_US, m, ns_msg(m, T_IP6_US, T_MAC_PEER),
				255);
		parse_ok(f, len, &p);
		assert_int_equal(dp_icmp6_input(&ifc, f, &p, BUF - 14, &r), SBC_DROP_NONE);
		assert_int_equal(r.learn, 0);
		assert_int_equal(r.reply, DP_REPLY_DIRECT);
	}
	/* From a link-local source: learned. */
	{
		const uint8_t ll[16] = { 0xfe, 0x80, [15] = 0x10 };

		len = icmp6_frame(f, ll, T_IP6_US, T_MAC_US, m, ns_msg(m, T_IP6_US, T_MAC_PEER), 255);
		parse_ok(f, len, &p);
		assert_int_equal(dp_icmp6_input(&ifc, f, &p, BUF - 14, &r), SBC_DROP_NONE);
		assert_true(r.learn & DP_LEARN_CREATE);
	}

	/* For our link-local address. */
	len = icmp6_frame(f, T_IP6_PEER, ifc.addr6[0], T_MAC_US, m,
			ns_msg(m, ifc.addr6[0], T_MAC_PEER), 255);
	parse_ok(f, len, &p);
	assert_int_equal(dp_icmp6_input(&ifc, f, &p, BUF - 14, &r), SBC_DROP_NONE);
	assert_memory_equal(ip + 8, ifc.addr6[0], 16);

	/* Not enough room for the NA. */
	len = icmp6_frame(f, T_IP6_PEER, T_IP6_US, T_MAC_US, m, ns_msg(m, T_IP6_US, NULL), 255);
	parse_ok(f, len, &p);
	assert_int_equal(dp_icmp6_input(&ifc, f, &p, 64, &r), SBC_DROP_ND_INVALID);
}

static void
test_ns_dad_and_invalid(void **state)
{
	static const uint8_t unspec[16];
	static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 1 };
	uint8_t f[BUF], m[64], sn[16] = { 0xff, 0x02, [11] = 1, [12] = 0xff, [15] = 1 };
	const uint8_t sn_mac[6] = { 0x33, 0x33, 0xff, 0, 0, 1 };
	const uint8_t other[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x0a, [15] = 0x99 };
	struct dp_proto_res r;
	struct dp_pkt p;
	size_t len, n;

	(void)state;
	/* Duplicate address detection of our address: defended to all nodes. */
	len = icmp6_frame(f, unspec, sn, sn_mac, m, ns_msg(m, T_IP6_US, NULL), 255);
	parse_ok(f, len, &p);
	assert_int_equal(dp_icmp6_input(&ifc, f, &p, BUF - 14, &r), SBC_DROP_NONE);
	assert_int_equal(r.learn, 0);
	assert_int_equal(r.mac.addr_bytes[0], 0x33);
	assert_int_equal(r.mac.addr_bytes[5], 0x01);
	assert_memory_equal(f + 14 + 24, all_nodes, 16);
	assert_int_equal(f[54 + 4], 0x20); /* override only: not solicited */
	check_icmp6(f + 14, 32);

	/* DAD with a source link-layer option is invalid (RFC 4861 7.1.1). */
	len = icmp6_frame(f, unspec, sn, sn_mac, m, ns_msg(m, T_IP6_US, T_MAC_PEER), 255);
	parse_ok(f, len, &p);
	assert_int_equal(dp_icmp6_input(&ifc, f, &p, BUF - 14, &r), SBC_DROP_ND_INVALID);

	/* A broadcast source link-layer address, or our own MAC, is refused. */
	len = icmp6_frame(f, T_IP6_PEER, T_IP6_US, T_MAC_US, m, ns_msg(m, T_IP6_US, T_MAC_BCAST), 255);
	parse_ok(f, len, &p);
	assert_int_equal(dp_icmp6_input(&ifc, f, &p, BUF - 14, &r), SBC_DROP_ND_INVALID);
	len = icmp6_frame(f, T_IP6_PEER, T_IP6_US, T_MAC_US, m, ns_msg(m, T_IP6_US, T_MAC_US), 255);
	parse_ok(f, len, &p);
	assert_int_equal(dp_icmp6_input(&ifc, f, &p, BUF - 14, &r), SBC_DROP_ND_INVALID);

	/* Our own address as the source. */
	len = icmp6_frame(f, T_IP6_US, T_IP6_US, T_MAC_US, m, ns_msg(m, T_IP6_US, T_MAC_PEER), 255);
	parse_ok(f, len, &p);
	assert_int_equal(dp_icmp6_input(&ifc, f, &p, BUF - 14, &r), SBC_DROP_ND_INVALID);

	/* Hop limit below 255: may come from off the link. */
	len = icmp6_frame(f, T_IP6_PEER, T_IP6_US, T_MAC_US, m, ns_msg(m, T_IP6_US, T_MAC_PEER), 64);
	parse_ok(f, len, &p);
	assert_int_equal(dp_icmp6_input(&ifc, f, &p, BUF - 14, &r), SBC_DROP_ND_INVALID);

	/* Code 1. */
	n = ns_msg(m, T_IP6_US, T_MAC_PEER);
	m[1] = 1;
	len = icmp6_frame(f, T_IP6_PEER, T_IP6_US, T_MAC_US, m, n, 255);
	parse_ok(f, len, &p);
	assert_int_equal(dp_icmp6_input(&ifc, f, &p, BUF - 14, &r), SBC_DROP_ND_INVALID);

	/* Option of length zero. */
	n = ns_msg(m, T_IP6_US, T_MAC_PEER);
	m[25] = 0;
	len = icmp6_frame(f, T_IP6_PEER, T_IP6_US, T_MAC_US, m, n, 255);
	parse_ok(f, len, &p);
	assert_int_equal(dp_icmp6_input(&ifc, f, &p, BUF - 14, &r), SBC_DROP_ND_INVALID);

	/* Option longer than the message. */
	n = ns_msg(m, T_IP6_US, T_MAC_PEER);
	m[25] = 2;
	len = icmp6_frame(f, T_IP6_PEER, T_IP6_US, T_MAC_US, m, n, 255);
	parse_ok(f, len, &p);
	assert_int_equal(dp_icmp6_input(&ifc, f, &p, BUF - 14, &r), SBC_DROP_ND_INVALID);

	/* Multicast target. */
	len = icmp6_frame(f, T_IP6_PEER, T_IP6_US, T_MAC_US, m, ns_msg(m, all_nodes, NULL), 255);
	parse_ok(f, len, &p);
	assert_int_equal(dp_icmp6_input(&ifc, f, &p, BUF - 14, &r), SBC_DROP_ND_INVALID);

	/* Too short to hold a target. */
	len = icmp6_frame(f, T_IP6_PEER, T_IP6_US, T_MAC_US, m, 16, 255);
	parse_ok(f, len, &p);
	assert_int_equal(dp_icmp6_input(&ifc, f, &p, BUF - 14, &r), SBC_DROP_ND_INVALID);

	/* Somebody else's address. */
	len = icmp6_frame(f, T_IP6_PEER, T_IP6_US, T_MAC_US, m, ns_msg(m, other, NULL), 255);
	parse_ok(f, len, &p);
	assert_int_equal(dp_icmp6_input(&ifc, f, &p, BUF - 14, &r), SBC_DROP_ND_NOT_FOR_US);

	/* Router advertisements are not ours to handle. */
	memset(m, 0, 16);
	m[0] = 134;
	len = icmp6_frame(f, T_IP6_PEER, T_IP6_US, T_MAC_US, m, 16, 255);
	parse_ok(f, len, &p);
	assert_int_equal(dp_icmp6_input(&ifc, f, &p, BUF - 14, &r), SBC_DROP_ICMP_UNHANDLED);
}

static void
test_na(void **state)
{
	static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 1 };
	uint8_t f[BUF], m[64];
	struct dp_proto_res r;
	struct dp_pkt p;
	size_t len;

	(void)state;
	memset(m, 0, 32);
	m[0] = 136;
	m[4] = 0x60;
	memcpy(m + 8, T_IP6_PEER, 16);
	m[24] = 2;
	m[25] = 1;
	memcpy(m + 26, T_MAC_PEER, 6);
	len = icmp6_frame(f, T_IP6_PEER, T_IP6_US, T_MAC_US, m, 32, 255);
	parse_ok(f, len, &p);
	assert_int_equal(dp_icmp6_input(&ifc, f, &p, BUF - 14, &r), SBC_DROP_NONE);
	assert_int_equal(r.reply, DP_REPLY_NONE);
	assert_int_equal(r.learn, DP_LEARN_UPDATE | DP_LEARN_CONFIRM | DP_LEARN_OVERRIDE);
	assert_int_equal(r.ev_rx, SBC_EV_ND_NA_RX);
	assert_memory_equal(r.ip, T_IP6_PEER, 16);
	assert_memory_equal(r.mac.addr_bytes, T_MAC_PEER, 6);

	/* Solicited flag on a multicast NA is invalid. */
	len = icmp6_frame(f, T_IP6_PEER, all_nodes, T_MAC_US, m, 32, 255);
	parse_ok(f, len, &p);
	assert_int_equal(dp_icmp6_input(&ifc, f, &p, BUF - 14, &r), SBC_DROP_ND_INVALID);

	/* An unsolicited multicast NA with Override may replace the MAC, proves nothing. */
	m[4] = 0x20;
	len = icmp6_frame(f, T_IP6_PEER, all_nodes, T_MAC_US, m, 32, 255);
	parse_ok(f, len, &p);
	assert_int_equal(dp_icmp6_input(&ifc, f, &p, BUF - 14, &r), SBC_DROP_NONE);
	assert_int_equal(r.learn, DP_LEARN_UPDATE | DP_LEARN_OVERRIDE);

	/* Solicited without Override: confirms, may not replace a different MAC. */
	m[4] = 0x40;
	len = icmp6_frame(f, T_IP6_PEER, T_IP6_US, T_MAC_US, m, 32, 255);
	parse_ok(f, len, &p);
	assert_int_equal(dp_icmp6_input(&ifc, f, &p, BUF - 14, &r), SBC_DROP_NONE);
	assert_int_equal(r.learn, DP_LEARN_UPDATE | DP_LEARN_CONFIRM);

	/* A multicast target link-layer address is refused. */
	memcpy(m + 26, T_MAC_BCAST, 6);
	len = icmp6_frame(f, T_IP6_PEER, T_IP6_US, T_MAC_US, m, 32, 255);
	parse_ok(f, len, &p);
	assert_int_equal(dp_icmp6_input(&ifc, f, &p, BUF - 14, &r), SBC_DROP_ND_INVALID);
	memcpy(m + 26, T_MAC_PEER, 6);

	/* Somebody advertising our address: never learned. */
	memcpy(m + 8, T_IP6_US, 16);
	len = icmp6_frame(f, T_IP6_PEER, T_IP6_US, T_MAC_US, m, 32, 255);
	parse_ok(f, len, &p);
	assert_int_equal(dp_icmp6_input(&ifc, f, &p, BUF - 14, &r), SBC_DROP_ND_INVALID);
}

static void
test_ns_build(void **state)
{
	const uint8_t target[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x0a, [13] = 0xab, 0xcd, 0xef };
	uint8_t l3[80];
	struct rte_ether_addr dst, known = { { 0x02, 9, 9, 9, 9, 9 } };
	size_t n;

	(void)state;
	n = dp_nd_build_ns(l3, &ifc, target, 0, &known, &dst);
	assert_int_equal(n, 72);
	check_icmp6(l3, 32);
	assert_int_equal(l3[7], 255);
	assert_memory_equal(l3 + 8, T_IP6_US, 16); /* source from the target's prefix */
	assert_int_equal(l3[24], 0xff);
	assert_int_equal(l3[25], 0x02);
	assert_int_equal(l3[35], 1);
	assert_int_equal(l3[36], 0xff);
	assert_memory_equal(l3 + 37, target + 13, 3);
	assert_int_equal(dst.addr_bytes[0], 0x33);
	assert_int_equal(dst.addr_bytes[2], 0xff);
	assert_int_equal(dst.addr_bytes[5], 0xef);
	assert_int_equal(l3[40], 135);
	assert_memory_equal(l3 + 48, target, 16);
	assert_int_equal(l3[64], 1);
	assert_memory_equal(l3 + 66, T_MAC_US, 6);

	n = dp_nd_build_ns(l3, &ifc, target, 1, &known, &dst);
	assert_int_equal(n, 72);
	assert_memory_equal(l3 + 24, target, 16);
	assert_memory_equal(dst.addr_bytes, known.addr_bytes, 6);
	check_icmp6(l3, 32);
}

/* ---- interfaces and routes -------------------------------------------------------------- */

static void
test_iface(void **state)
{
	const uint8_t bc[4] = { 192, 0, 2, 255 }, bc28[4] = { 203, 0, 113, 15 };
	const uint8_t lbc[4] = { 255, 255, 255, 255 }, not_bc[4] = { 192, 0, 2, 254 };
	uint8_t sn[16] = { 0xff, 0x02, [11] = 1, [12] = 0xff, [15] = 1 };

	(void)state;
	assert_int_equal(dp_iface_own4(&ifc, T_IP4_US), 0);
	assert_int_equal(dp_iface_own4(&ifc, T_IP4_PEER), -1);
	assert_int_equal(dp_iface_own6(&ifc, T_IP6_US), 1);
	assert_int_equal(ifc.addr6[0][0], 0xfe);
	assert_int_equal(ifc.addr6[0][8], 0x00); /* 0x02 with the U/L bit flipped */
	assert_int_equal(ifc.addr6[0][11], 0xff);
	assert_int_equal(ifc.addr6[0][12], 0xfe);
	assert_int_equal(ifc.addr6[0][15], 0x01);
	assert_true(dp_iface_bcast4(&ifc, bc));
	assert_true(dp_iface_bcast4(&ifc, bc28));
	assert_true(dp_iface_bcast4(&ifc, lbc));
	assert_false(dp_iface_bcast4(&ifc, not_bc));
	assert_true(dp_iface_solicited6(&ifc, sn));
	sn[15] = 2;
	assert_false(dp_iface_solicited6(&ifc, sn));
}

static void
test_route(void **state)
{
	struct dp_iface both[2];
	const uint8_t *nh;
	const uint8_t far4[4] = { 8, 8, 8, 8 }, core_host[4] = { 198, 51, 100, 7 };
	const uint8_t far6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0xff, [15] = 1 };
	const uint8_t ll[16] = { 0xfe, 0x80, [15] = 5 };

	(void)state;
	both[0] = ifc;
	both[1] = ifc_core;
	assert_ptr_equal(dp_route(both, 2, &both[1], 0, T_IP4_PEER, &nh), &both[0]);
	assert_ptr_equal(nh, T_IP4_PEER);
	assert_ptr_equal(dp_route(both, 2, &both[0], 0, core_host, &nh), &both[1]);
	assert_ptr_equal(nh, core_host);
	/* Off-link: through the port that has the gateway. */
	assert_ptr_equal(dp_route(both, 2, &both[0], 0, far4, &nh), &both[1]);
	assert_memory_equal(nh, both[1].gw4, 4);
	assert_ptr_equal(dp_route(both, 2, &both[0], 1, far6, &nh), &both[1]);
	assert_memory_equal(nh, both[1].gw6, 16);
	/* Link-local: back where it came from. */
	assert_ptr_equal(dp_route(both, 2, &both[0], 1, ll, &nh), &both[0]);
	/* No gateway at all: no route. */
	assert_null(dp_route(both, 1, &both[0], 0, far4, &nh));
	/* Source selection follows the destination's prefix. */
	{
		const uint8_t in28[4] = { 203, 0, 113, 9 };

		assert_memory_equal(dp_iface_src_for(&both[0], 0, in28), both[0].addr4[1], 4);
		assert_memory_equal(dp_iface_src_for(&both[0], 0, T_IP4_PEER), both[0].addr4[0], 4);
		assert_memory_equal(dp_iface_src_for(&both[0], 1, ll), both[0].addr6[0], 16);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arp_request),
		cmocka_unit_test(test_arp_other),
		cmocka_unit_test(test_arp_build),
		cmocka_unit_test(test_icmp_echo),
		cmocka_unit_test(test_echo6),
		cmocka_unit_test(test_echo6_ext),
		cmocka_unit_test(test_ns),
		cmocka_unit_test(test_ns_dad_and_invalid),
		cmocka_unit_test(test_na),
		cmocka_unit_test(test_ns_build),
		cmocka_unit_test(test_iface),
		cmocka_unit_test(test_route),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
