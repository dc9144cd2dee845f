/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_parse.c - L2-L4 parsing: every accepted layout and every drop reason, from
 * crafted frames; truncations and random mutations read only inside the frame (the
 * buffer is heap-allocated to its exact size, so ASan catches any over-read).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dp_parse.h"
#include "frames.h"

#define BUF 256

/* Builds variant v of a frame into f; returns its length. */
typedef size_t (*build_fn)(uint8_t *f, int v);

static size_t
b_arp(uint8_t *f, int v)
{
	size_t l = t_eth(f, T_MAC_BCAST, T_MAC_PEER, 0x0806, 0, 0);
	static const uint8_t zero[6];

	l += t_arp(f + l, 1, T_MAC_PEER, T_IP4_PEER, zero, T_IP4_US);
	return v == 1 ? l - 1 : l; /* 1: truncated */
}

/* An IPv4 frame with an L4 of proto and plen octets; variants tweak one field each. */
static size_t
b_ip4(uint8_t *f, uint8_t proto, uint16_t plen, int v)
{
	size_t l = t_eth(f, T_MAC_US, T_MAC_PEER, 0x0800, 0, 0);
	uint8_t *ip = f + l;
	uint8_t *l4 = ip + 20;

	t_ip4(ip, T_IP4_PEER, T_IP4_US, proto, plen);
	memset(l4, 0, plen);
	if (proto == IPPROTO_UDP && plen >= 8)
		t_put16(l4 + 4, plen);
	if (proto == IPPROTO_TCP && plen >= 20)
		l4[12] = 5 << 4;
	switch (v) {
	case 1: /* bad version */
		ip[0] = 0x55;
		break;
	case 2: /* IHL 4 */
		ip[0] = 0x44;
		break;
	case 3: /* total length beyond the frame */
		t_put16(ip + 2, (uint16_t)(20 + plen + 1));
		break;
	case 4: /* total length below the header */
		t_put16(ip + 2, 19);
		break;
	case 5: /* wrong checksum */
		ip[10] ^= 0x55;
		return l + 20 + plen;
	case 6: /* loopback source */
		ip[12] = 127;
		break;
	case 7: /* multicast source */
		ip[12] = 224;
		break;
	case 8: /* more fragments */
		ip[6] = 0x20;
		break;
	case 9: /* fragment offset */
		ip[7] = 0x01;
		break;
	case 10: /* IHL 15, longer than the packet */
		ip[0] = 0x4f;
		break;
	case 11: /* zero source */
		ip[12] = 0;
		break;
	default:
		break;
	}
	ip[10] = ip[11] = 0;
	t_put16(ip + 10, t_fold(t_sum(ip, (ip[0] & 0xf) * 4u > 20 ? 20 : (ip[0] & 0xf) * 4u, 0)));
	return l + 20 + plen;
}

static size_t
b_ip4_icmp(uint8_t *f, int v)
{
	return b_ip4(f, IPPROTO_ICMP, 64, v);
}

static size_t
b_ip6(uint8_t *f, uint8_t nh, const uint8_t *ext, size_t extlen, uint8_t proto, uint16_t plen,
		int v)
{
	size_t l = t_eth(f, T_MAC_US, T_MAC_PEER, 0x86dd, 0, 0);
	uint8_t *ip = f + l;

	t_ip6(ip, T_IP6_PEER, T_IP6_US, extlen ? nh : proto, (uint16_t)(extlen + plen), 64);
	if (extlen)
		memcpy(ip + 40, ext, extlen);
	memset(ip + 40 + extlen, 0, plen);
	if (proto == IPPROTO_UDP && plen >= 8)
		t_put16(ip + 40 + extlen + 4, plen);
	switch (v) {
	case 1:
		ip[0] = 0x40;
		break;
	case 2:
		t_put16(ip + 4, (uint16_t)(extlen + plen + 1));
		break;
	case 3:
		t_put16(ip + 4, 0);
		break;
	case 4:
		ip[8] = 0xff;
		break;
	case 5:
		memset(ip + 8, 0, 16);
		ip[23] = 1;
		break;
	default:
		break;
	}
	return l + 40 + extlen + plen;
}

struct pcase {
	const char *name;
	size_t (*build)(uint8_t *f);
	enum sbc_drop expect;
	uint8_t l3;
	uint8_t l4;
	uint16_t l4_off;
};

/* Variadic so that bodies may hold braced initializers. */
#define FRAME(fn, ...)                                                                             \
	static size_t fn(uint8_t *f)                                                               \
	{                                                                                          \
		__VA_ARGS__                                                                        \
	}

FRAME(f_arp, return b_arp(f, 0);)
FRAME(f_arp_trunc, return b_arp(f, 1);)
FRAME(f_icmp, return b_ip4_icmp(f, 0);)
FRAME(f_udp, return b_ip4(f, IPPROTO_UDP, 30, 0);)
FRAME(f_tcp, return b_ip4(f, IPPROTO_TCP, 20, 0);)
FRAME(f_ip4_ver, return b_ip4_icmp(f, 1);)
FRAME(f_ip4_ihl4, return b_ip4_icmp(f, 2);)
FRAME(f_ip4_ihl15, return b_ip4(f, IPPROTO_ICMP, 8, 10);)
FRAME(f_ip4_len_long, return b_ip4_icmp(f, 3);)
FRAME(f_ip4_len_short, return b_ip4_icmp(f, 4);)
FRAME(f_ip4_cksum, return b_ip4_icmp(f, 5);)
FRAME(f_ip4_src_lo, return b_ip4_icmp(f, 6);)
FRAME(f_ip4_src_mc, return b_ip4_icmp(f, 7);)
FRAME(f_ip4_src_zero, return b_ip4_icmp(f, 11);)
FRAME(f_ip4_mf, return b_ip4_icmp(f, 8);)
FRAME(f_ip4_off, return b_ip4_icmp(f, 9);)
FRAME(f_ip4_trunc, size_t l = b_ip4_icmp(f, 0); (void)l; return 14 + 19;)
FRAME(f_udp_trunc, return b_ip4(f, IPPROTO_UDP, 7, 0);)
FRAME(f_icmp_trunc, return b_ip4(f, IPPROTO_ICMP, 7, 0);)
FRAME(f_tcp_trunc, return b_ip4(f, IPPROTO_TCP, 19, 0);)
FRAME(f_udp_len_small, size_t l = b_ip4(f, IPPROTO_UDP, 30, 0); t_put16(f + 34 + 4, 7); return l;)
FRAME(f_udp_len_big, size_t l = b_ip4(f, IPPROTO_UDP, 30, 0); t_put16(f + 34 + 4, 31); return l;)
FRAME(f_tcp_doff4, size_t l = b_ip4(f, IPPROTO_TCP, 20, 0); f[34 + 12] = 4 << 4; return l;)
FRAME(f_tcp_doff15, size_t l = b_ip4(f, IPPROTO_TCP, 40, 0); f[34 + 12] = 15 << 4; return l;)
FRAME(f_ip4_opts,
	size_t l = b_ip4(f, IPPROTO_ICMP, 12, 0);
	/* Rebuild with IHL 6: a 4-octet NOP option in front of an 8-octet ICMP message. */
	f[14] = 0x46; f[14 + 20] = 1; f[14 + 21] = 1; f[14 + 22] = 1; f[14 + 23] = 1;
	f[24] = f[25] = 0; t_put16(f + 24, t_fold(t_sum(f + 14, 24, 0)));
	return l;)
FRAME(f_ip4_padded,
	/* 28-octet IP packet in a 60-octet minimum frame: the padding is not IP. */
	size_t l = b_ip4(f, IPPROTO_ICMP, 8, 0);
	memset(f + l, 0, 60 - l); return 60;)
FRAME(f_vlan, size_t l = t_eth(f, T_MAC_US, T_MAC_PEER, 0x0800, 1, 100);
	l += t_ip4(f + l, T_IP4_PEER, T_IP4_US, IPPROTO_ICMP, 8); memset(f + l, 0, 8); return l + 8;)
FRAME(f_qinq, size_t l = t_eth(f, T_MAC_US, T_MAC_PEER, 0x0800, 2, 100);
	l += t_ip4(f + l, T_IP4_PEER, T_IP4_US, IPPROTO_ICMP, 8); memset(f + l, 0, 8); return l + 8;)
FRAME(f_vlan3, size_t l = t_eth(f, T_MAC_US, T_MAC_PEER, 0x8100, 2, 100);
	t_put16(f + l, 5); t_put16(f + l + 2, 0x0800); return l + 4 + 40;)
FRAME(f_vlan_trunc, t_eth(f, T_MAC_US, T_MAC_PEER, 0x0800, 1, 100); return 16;)
FRAME(f_runt, memcpy(f, T_MAC_US, 6); memcpy(f + 6, T_MAC_PEER, 6); f[12] = 8; return 13;)
FRAME(f_src_mcast, size_t l = b_ip4_icmp(f, 0); f[6] = 0x01; return l;)
FRAME(f_src_zero, size_t l = b_ip4_icmp(f, 0); memset(f + 6, 0, 6); return l;)
FRAME(f_lldp, size_t l = t_eth(f, T_MAC_US, T_MAC_PEER, 0x88cc, 0, 0); memset(f + l, 0, 46);
	return l + 46;)
FRAME(f_bcast, size_t l = b_ip4_icmp(f, 0); memcpy(f, T_MAC_BCAST, 6); return l;)
FRAME(f_ip6_icmp, return b_ip6(f, 0, NULL, 0, IPPROTO_ICMPV6, 16, 0);)
FRAME(f_ip6_ver, return b_ip6(f, 0, NULL, 0, IPPROTO_ICMPV6, 16, 1);)
FRAME(f_ip6_len_long, return b_ip6(f, 0, NULL, 0, IPPROTO_ICMPV6, 16, 2);)
FRAME(f_ip6_len_zero, return b_ip6(f, 0, NULL, 0, IPPROTO_ICMPV6, 16, 3);)
FRAME(f_ip6_src_mc, return b_ip6(f, 0, NULL, 0, IPPROTO_ICMPV6, 16, 4);)
FRAME(f_ip6_src_lo, return b_ip6(f, 0, NULL, 0, IPPROTO_ICMPV6, 16, 5);)
FRAME(f_ip6_trunc, b_ip6(f, 0, NULL, 0, IPPROTO_ICMPV6, 16, 0); return 14 + 39;)
FRAME(f_ip6_exts,
	/* Hop-by-hop (8) then destination options (16), then UDP. */
	uint8_t ext[24] = { IPPROTO_DSTOPTS, 0, 1, 4, 0, 0, 0, 0, IPPROTO_UDP, 1, 1, 12 };
	return b_ip6(f, IPPROTO_HOPOPTS, ext, sizeof(ext), IPPROTO_UDP, 12, 0);)
FRAME(f_ip6_nonext, uint8_t ext[8] = { 59, 0, 1, 4 };
	return b_ip6(f, IPPROTO_DSTOPTS, ext, sizeof(ext), 59, 0, 0);)
FRAME(f_ip6_frag, uint8_t ext[8] = { IPPROTO_UDP, 0, 0, 1 };
	return b_ip6(f, IPPROTO_FRAGMENT, ext, sizeof(ext), IPPROTO_UDP, 12, 0);)
FRAME(f_ip6_routing, uint8_t ext[8] = { IPPROTO_UDP, 0, 0, 1 };
	return b_ip6(f, IPPROTO_ROUTING, ext, sizeof(ext), IPPROTO_UDP, 12, 0);)
FRAME(f_ip6_routing_done, uint8_t ext[8] = { IPPROTO_UDP, 0, 0, 0 };
	return b_ip6(f, IPPROTO_ROUTING, ext, sizeof(ext), IPPROTO_UDP, 12, 0);)
FRAME(f_ip6_ext_overrun, uint8_t ext[8] = { IPPROTO_UDP, 3 };
	return b_ip6(f, IPPROTO_DSTOPTS, ext, sizeof(ext), IPPROTO_UDP, 12, 0);)
FRAME(f_ip6_ext_short, uint8_t ext[4] = { IPPROTO_UDP, 0 };
	return b_ip6(f, IPPROTO_DSTOPTS, ext, sizeof(ext), IPPROTO_UDP, 0, 0);)
FRAME(f_ip6_hbh_late, uint8_t ext[16] = { IPPROTO_HOPOPTS, 0, 0, 0, 0, 0, 0, 0, IPPROTO_UDP };
	return b_ip6(f, IPPROTO_DSTOPTS, ext, sizeof(ext), IPPROTO_UDP, 8, 0);)
FRAME(f_ip6_ext_many,
	uint8_t ext[72]; int i;
	for (i = 0; i < 9; i++) { memset(ext + 8 * i, 0, 8); ext[8 * i] = i == 8 ? IPPROTO_UDP : IPPROTO_DSTOPTS; }
	return b_ip6(f, IPPROTO_DSTOPTS, ext, sizeof(ext), IPPROTO_UDP, 8, 0);)

static const struct pcase cases[] = {
	{ "arp", f_arp, SBC_DROP_NONE, DP_L3_ARP, 0, 0 },
	{ "icmp", f_icmp, SBC_DROP_NONE, DP_L3_IPV4, IPPROTO_ICMP, 34 },
	{ "udp", f_udp, SBC_DROP_NONE, DP_L3_IPV4, IPPROTO_UDP, 34 },
	{ "tcp", f_tcp, SBC_DROP_NONE, DP_L3_IPV4, IPPROTO_TCP, 34 },
	{ "ip4 options", f_ip4_opts, SBC_DROP_NONE, DP_L3_IPV4, IPPROTO_ICMP, 38 },
	{ "ethernet padding", f_ip4_padded, SBC_DROP_NONE, DP_L3_IPV4, IPPROTO_ICMP, 34 },
	{ "vlan", f_vlan, SBC_DROP_NONE, DP_L3_IPV4, IPPROTO_ICMP, 38 },
	{ "qinq", f_qinq, SBC_DROP_NONE, DP_L3_IPV4, IPPROTO_ICMP, 42 },
	{ "broadcast dst", f_bcast, SBC_DROP_NONE, DP_L3_IPV4, IPPROTO_ICMP, 34 },
	{ "ip6 icmp", f_ip6_icmp, SBC_DROP_NONE, DP_L3_IPV6, IPPROTO_ICMPV6, 54 },
	{ "ip6 ext headers", f_ip6_exts, SBC_DROP_NONE, DP_L3_IPV6, IPPROTO_UDP, 78 },
	{ "ip6 no next header", f_ip6_nonext, SBC_DROP_NONE, DP_L3_IPV6, 59, 62 },
	{ "runt", f_runt, SBC_DROP_L2_RUNT, 0, 0, 0 },
	{ "src multicast", f_src_mcast, SBC_DROP_L2_SRC_INVALID, 0, 0, 0 },
	{ "src zero", f_src_zero, SBC_DROP_L2_SRC_INVALID, 0, 0, 0 },
	{ "vlan truncated", f_vlan_trunc, SBC_DROP_VLAN_TRUNCATED, 0, 0, 0 },
	{ "three vlan tags", f_vlan3, SBC_DROP_VLAN_TOO_MANY, 0, 0, 0 },
	{ "lldp", f_lldp, SBC_DROP_ETHERTYPE_UNKNOWN, 0, 0, 0 },
	{ "arp truncated", f_arp_trunc, SBC_DROP_ARP_TRUNCATED, 0, 0, 0 },
	{ "ip4 truncated", f_ip4_trunc, SBC_DROP_IP4_TRUNCATED, 0, 0, 0 },
	{ "ip4 version", f_ip4_ver, SBC_DROP_IP4_BAD_VERSION, 0, 0, 0 },
	{ "ip4 ihl 4", f_ip4_ihl4, SBC_DROP_IP4_BAD_IHL, 0, 0, 0 },
	{ "ip4 ihl 15", f_ip4_ihl15, SBC_DROP_IP4_BAD_IHL, 0, 0, 0 },
	{ "ip4 length long", f_ip4_len_long, SBC_DROP_IP4_BAD_LEN, 0, 0, 0 },
	{ "ip4 length short", f_ip4_len_short, SBC_DROP_IP4_BAD_LEN, 0, 0, 0 },
	{ "ip4 checksum", f_ip4_cksum, SBC_DROP_IP4_BAD_CKSUM, 0, 0, 0 },
	{ "ip4 src loopback", f_ip4_src_lo, SBC_DROP_IP4_BAD_SRC, 0, 0, 0 },
	{ "ip4 src multicast", f_ip4_src_mc, SBC_DROP_IP4_BAD_SRC, 0, 0, 0 },
	{ "ip4 src zero", f_ip4_src_zero, SBC_DROP_IP4_BAD_SRC, 0, 0, 0 },
	{ "ip4 more fragments", f_ip4_mf, SBC_DROP_NONE, DP_L3_IPV4, IPPROTO_ICMP, 34 },
	{ "ip4 fragment offset", f_ip4_off, SBC_DROP_NONE, DP_L3_IPV4, IPPROTO_ICMP, 34 },
	{ "udp truncated", f_udp_trunc, SBC_DROP_L4_TRUNCATED, 0, 0, 0 },
	{ "icmp truncated", f_icmp_trunc, SBC_DROP_L4_TRUNCATED, 0, 0, 0 },
	{ "tcp truncated", f_tcp_trunc, SBC_DROP_L4_TRUNCATED, 0, 0, 0 },
	{ "udp length small", f_udp_len_small, SBC_DROP_UDP_BAD_LEN, 0, 0, 0 },
	{ "udp length big", f_udp_len_big, SBC_DROP_UDP_BAD_LEN, 0, 0, 0 },
	{ "tcp offset 4", f_tcp_doff4, SBC_DROP_TCP_BAD_OFFSET, 0, 0, 0 },
	{ "tcp offset 15", f_tcp_doff15, SBC_DROP_TCP_BAD_OFFSET, 0, 0, 0 },
	{ "ip6 truncated", f_ip6_trunc, SBC_DROP_IP6_TRUNCATED, 0, 0, 0 },
	{ "ip6 version", f_ip6_ver, SBC_DROP_IP6_BAD_VERSION, 0, 0, 0 },
	{ "ip6 length long", f_ip6_len_long, SBC_DROP_IP6_BAD_LEN, 0, 0, 0 },
	{ "ip6 length zero", f_ip6_len_zero, SBC_DROP_IP6_BAD_LEN, 0, 0, 0 },
	{ "ip6 src multicast", f_ip6_src_mc, SBC_DROP_IP6_BAD_SRC, 0, 0, 0 },
	{ "ip6 src loopback", f_ip6_src_lo, SBC_DROP_IP6_BAD_SRC, 0, 0, 0 },
	{ "ip6 fragment", f_ip6_frag, SBC_DROP_IP6_FRAGMENT, 0, 0, 0 },
	{ "ip6 routing header with segments left", f_ip6_routing, SBC_DROP_IP6_ROUTING, 0, 0, 0 },
	{ "ip6 routing header done", f_ip6_routing_done, SBC_DROP_NONE, DP_L3_IPV6, IPPROTO_UDP, 62 },
	{ "ip6 ext overrun", f_ip6_ext_overrun, SBC_DROP_IP6_EXT_MALFORMED, 0, 0, 0 },
	{ "ip6 ext short", f_ip6_ext_short, SBC_DROP_IP6_EXT_MALFORMED, 0, 0, 0 },
	{ "ip6 hop-by-hop not first", f_ip6_hbh_late, SBC_DROP_IP6_EXT_MALFORMED, 0, 0, 0 },
	{ "ip6 nine ext headers", f_ip6_ext_many, SBC_DROP_IP6_EXT_TOO_MANY, 0, 0, 0 },
};

/* Parses a heap copy of exactly len octets, so that ASan sees any over-read. */
static enum sbc_drop
parse_exact(const uint8_t *f, size_t len, unsigned int hints, struct dp_pkt *p)
{
	uint8_t *copy = malloc(len ? len : 1);
	enum sbc_drop why;

	assert_non_null(copy);
	memcpy(copy, f, len);
	why = dp_parse(copy, (uint32_t)len, hints, p);
	free(copy);
	return why;
}

static void
check_bounds(const struct dp_pkt *p, size_t len)
{
	assert_true(p->l3_off <= len);
	assert_true((size_t)p->l3_off + p->l3_len <= len);
	if (p->l3 == DP_L3_IPV4 || p->l3 == DP_L3_IPV6)
		assert_true((size_t)p->l4_off + p->l4_len <= len);
}

static void
test_cases(void **state)
{
	uint8_t f[BUF];
	struct dp_pkt p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len;
		enum sbc_drop why;

		memset(f, 0, sizeof(f));
		len = cases[i].build(f);
		why = parse_exact(f, len, 0, &p);
		if (why != cases[i].expect) {
			print_error("%s: expected %s, got %s\n", cases[i].name,
					sbc_drop_name(cases[i].expect), sbc_drop_name(why));
			fail();
		}
		if (why != SBC_DROP_NONE)
			continue;
		check_bounds(&p, len);
		assert_int_equal(p.l3, cases[i].l3);
		if (p.l3 != DP_L3_ARP) {
			assert_int_equal(p.l4, cases[i].l4);
			assert_int_equal(p.l4_off, cases[i].l4_off);
		}
	}
}

static void
test_details(void **state)
{
	uint8_t f[BUF];
	struct dp_pkt p;
	size_t len;

	(void)state;
	len = f_vlan(f);
	assert_int_equal(dp_parse(f, (uint32_t)len, 0, &p), SBC_DROP_NONE);
	assert_int_equal(p.n_vlan, 1);
	assert_int_equal(p.vlan, 100);
	assert_int_equal(p.l3_off, 18);

	len = f_qinq(f);
	assert_int_equal(dp_parse(f, (uint32_t)len, 0, &p), SBC_DROP_NONE);
	assert_int_equal(p.n_vlan, 2);
	assert_int_equal(p.vlan, 100); /* the outer tag */

	len = f_ip4_padded(f);
	assert_int_equal(dp_parse(f, (uint32_t)len, 0, &p), SBC_DROP_NONE);
	assert_int_equal(p.l3_len, 28);
	assert_int_equal(p.l4_len, 8);

	len = f_bcast(f);
	assert_int_equal(dp_parse(f, (uint32_t)len, 0, &p), SBC_DROP_NONE);
	assert_int_equal(p.l2_flags, DP_L2_BCAST);

	len = f_ip6_exts(f);
	assert_int_equal(dp_parse(f, (uint32_t)len, 0, &p), SBC_DROP_NONE);
	assert_int_equal(p.l4_len, 12);
	assert_int_equal(p.l3_len, 40 + 24 + 12);

	/* A fragment is flagged for reassembly, its L4 not checked (it may be cut short). */
	len = f_ip4_mf(f);
	assert_int_equal(dp_parse(f, (uint32_t)len, 0, &p), SBC_DROP_NONE);
	assert_true(p.l2_flags & DP_IP4_FRAG);
	len = f_udp_trunc(f);
	f[14 + 6] = 0x20; /* MF: the 7-octet UDP stub is only a piece */
	f[24] = f[25] = 0;
	t_put16(f + 24, t_fold(t_sum(f + 14, 20, 0)));
	assert_int_equal(dp_parse(f, (uint32_t)len, 0, &p), SBC_DROP_NONE);
	assert_true(p.l2_flags & DP_IP4_FRAG);
	len = f_icmp(f);
	assert_int_equal(dp_parse(f, (uint32_t)len, 0, &p), SBC_DROP_NONE);
	assert_false(p.l2_flags & DP_IP4_FRAG);

	/* The receive-checksum hint skips the software check, as the PMD already did it. */
	len = f_ip4_cksum(f);
	assert_int_equal(dp_parse(f, (uint32_t)len, 0, &p), SBC_DROP_IP4_BAD_CKSUM);
	assert_int_equal(dp_parse(f, (uint32_t)len, DP_HINT_IP4_CKSUM_GOOD, &p), SBC_DROP_NONE);
}

/* Every truncation of every frame parses without reading past its end. */
static void
test_truncations(void **state)
{
	uint8_t f[BUF];
	struct dp_pkt p;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = cases[i].build(f);

		for (n = 0; n < len; n++)
			if (parse_exact(f, n, 0, &p) == SBC_DROP_NONE)
				check_bounds(&p, n);
	}
}

/* Random mutations of valid frames: never an over-read, offsets always in bounds. */
static void
test_mutations(void **state)
{
	uint8_t f[BUF];
	struct dp_pkt p;
	unsigned int seed = 12345, round;

	(void)state;
	for (round = 0; round < 200000; round++) {
		const struct pcase *c = &cases[rand_r(&seed) % (sizeof(cases) / sizeof(cases[0]))];
		size_t len = c->build(f), k, flips = 1 + (size_t)rand_r(&seed) % 4;

		for (k = 0; k < flips; k++)
			f[(size_t)rand_r(&seed) % len] = (uint8_t)rand_r(&seed);
		if (parse_exact(f, len, (unsigned int)rand_r(&seed) & 1, &p) == SBC_DROP_NONE)
			check_bounds(&p, len);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_details),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_mutations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
