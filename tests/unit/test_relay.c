/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_relay.c - the media relay's per-packet steps (dp_relay.h), without the EAL:
 *  - dp_relay_rewrite, same family in place: addresses, ports, TTL / hop limit, and the
 *    RFC 1624 incremental IPv4 header and UDP checksums, compared with a from-scratch
 *    RFC 1071 sum over random datagrams and rules, including datagrams built so that
 *    the sums hit 0x0000 / 0xffff, all-zero and all-ones rules; a zero IPv4 UDP
 *    checksum is kept;
 *  - dp_relay_rewrite across families (and IPv6 with extension headers): a new header
 *    in front of the UDP datagram, traffic class kept, padding trimmed, full checksum,
 *    too little headroom;
 *  - dp_relay_source_ok: the announced source, NAT latching (window, SSRC, epoch);
 *  - dp_rtp_update with dp_flow_rtp_report: RFC 3550 A.1 probation, loss, sequence
 *    wrap, duplicates, restart, and the A.8 jitter.
 * Frames are built with frames.h and parsed with dp_parse as on the dataplane. The mbuf
 * is set up by hand on a heap buffer of exactly its size, so that ASan sees any access
 * outside it; checksums are checked with the plain loop of frames.h and with DPDK's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "dp_flow.h"
#include "dp_parse.h"
#include "dp_relay.h"
#include "frames.h"

#define BUF 1600
#define MAX_PAYLOAD 1400
#define ROUNDS 1000
#define SEED 20221

/* A UDP datagram to build: every field the rewrite keeps or replaces. */
struct tdgram {
	int v6;
	int ext;            /* IPv6: an 8-octet destination options header in front of UDP */
	int nvlan;
	uint8_t src[16];
	uint8_t dst[16];
	uint16_t sport;     /* host order */
	uint16_t dport;
	uint8_t ttl;        /* TTL or hop limit */
	uint8_t tos;        /* TOS or traffic class */
	uint16_t id;        /* IPv4 identification */
	uint32_t flow;      /* IPv6 flow label */
	uint16_t ulen;      /* UDP length, header included */
	uint16_t extra;     /* IP payload octets after the UDP datagram */
	uint16_t trailer;   /* octets after the IP packet (Ethernet padding) */
	int no_cksum;       /* UDP checksum 0 */
	uint8_t payload[MAX_PAYLOAD];
};

/* One's complement sum folded to 16 bits, not inverted. */
static uint16_t
t_ones(uint32_t sum)
{
	return (uint16_t)~t_fold(sum);
}

/* The 16-bit word that, added to sum, makes it all ones (a checksum of 0x0000). */
static uint16_t
t_complete(uint32_t sum)
{
	return (uint16_t)(0xffff - t_ones(sum));
}

static uint16_t
t_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* The IPv4 header checksum from scratch (the field itself skipped). */
static uint16_t
t_ip4_cksum(const uint8_t *ip)
{
	return t_fold(t_sum(ip + 12, (ip[0] & 0xf) * 4u - 12, t_sum(ip, 10, 0)));
}

/* The UDP checksum field from scratch (the field itself skipped; 0 sent as 0xffff). */
static uint16_t
t_udp_cksum(const uint8_t *ip, int v6, const uint8_t *udp)
{
	uint16_t ulen = t_get16(udp + 4);
	uint32_t sum = v6 ? t_sum(ip + 8, 32, 0) : t_sum(ip + 12, 8, 0);
	uint16_t c;

	sum += IPPROTO_UDP + (uint32_t)ulen;
	sum = t_sum(udp, 6, sum);
	c = t_fold(t_sum(udp + 8, ulen - 8u, sum));
	return c ? c : 0xffff;
}

/* Sum of the pseudo-header and UDP header of d's datagram from src to dst, checksum 0. */
static uint32_t
t_udp_sum(const struct tdgram *d, int v6, const uint8_t *src, const uint8_t *dst,
		uint16_t sport, uint16_t dport)
{
	uint32_t sum = t_sum(src, v6 ? 16 : 4, 0);

	sum = t_sum(dst, v6 ? 16 : 4, sum);
	return sum + IPPROTO_UDP + 2u * d->ulen + sport + dport;
}

/* Sum of an IPv4 header for d from src to dst with TTL ttl, identification and checksum 0. */
static uint32_t
t_ip4_sum(const struct tdgram *d, const uint8_t *src, const uint8_t *dst, uint8_t ttl)
{
	uint8_t h[20];

	t_ip4(h, src, dst, IPPROTO_UDP, (uint16_t)(d->ulen + d->extra));
	h[1] = d->tos;
	h[4] = h[5] = 0;
	h[8] = ttl;
	return t_sum(h, 10, t_sum(h + 12, 8, 0));
}

/* Builds d's frame into f; returns its length. */
static size_t
b_dgram(uint8_t *f, const struct tdgram *d)
{
	static const uint8_t dstopts[8] = { IPPROTO_UDP, 0, 1, 4 }; /* PadN */
	size_t l = t_eth(f, T_MAC_US, T_MAC_PEER, d->v6 ? 0x86dd : 0x0800, d->nvlan, 100);
	uint8_t *ip = f + l, *udp;
	size_t hl;

	if (d->v6) {
		hl = t_ip6(ip, d->src, d->dst, d->ext ? IPPROTO_DSTOPTS : IPPROTO_UDP,
				(uint16_t)((d->ext ? 8 : 0) + d->ulen + d->extra), d->ttl);
		ip[0] = (uint8_t)(0x60 | d->tos >> 4);
		ip[1] = (uint8_t)(d->tos << 4 | (d->flow >> 16 & 0xf));
		t_put16(ip + 2, (uint16_t)d->flow);
		if (d->ext) {
			memcpy(ip + hl, dstopts, sizeof(dstopts));
			hl += sizeof(dstopts);
		}
	} else {
		hl = t_ip4(ip, d->src, d->dst, IPPROTO_UDP, (uint16_t)(d->ulen + d->extra));
		ip[1] = d->tos;
		t_put16(ip + 4, d->id);
		ip[8] = d->ttl;
		ip[10] = ip[11] = 0;
		t_put16(ip + 10, t_fold(t_sum(ip, 20, 0)));
	}
	udp = ip + hl;
	t_put16(udp, d->sport);
	t_put16(udp + 2, d->dport);
	t_put16(udp + 4, d->ulen);
	t_put16(udp + 6, 0);
	memcpy(udp + 8, d->payload, d->ulen - 8u);
	memset(udp + d->ulen, 0xa5, (size_t)d->extra + d->trailer);
	if (!d->no_cksum)
		t_put16(udp + 6, t_udp_cksum(ip, d->v6, udp));
	return l + hl + d->ulen + d->extra + d->trailer;
}

/*
 * An mbuf over a heap buffer of exactly headroom + len octets holding the frame, as
 * the PMD would hand it over (one segment).
 */
static void
t_mbuf(struct rte_mbuf *m, const uint8_t *frame, size_t len, uint16_t headroom)
{
	uint8_t *buf = malloc(headroom + len);

	assert_non_null(buf);
	memcpy(buf + headroom, frame, len);
	memset(m, 0, sizeof(*m));
	m->buf_addr = buf;
	m->buf_len = (uint16_t)(headroom + len);
	m->data_off = headroom;
	m->data_len = (uint16_t)len;
	m->pkt_len = (uint32_t)len;
	m->nb_segs = 1;
	m->next = NULL;
	rte_mbuf_refcnt_set(m, 1);
}

static void
t_mbuf_free(struct rte_mbuf *m)
{
	free(m->buf_addr);
	m->buf_addr = NULL;
}

/* Parses the frame in m as the dataplane does, then rewrites it by rule c. */
static int
t_rewrite(struct rte_mbuf *m, const struct dp_flow_cfg *c, struct dp_pkt *p, uint16_t *l3_len)
{
	enum sbc_drop why = dp_parse(rte_pktmbuf_mtod(m, const uint8_t *),
			rte_pktmbuf_data_len(m), 0, p);

	assert_int_equal(why, SBC_DROP_NONE);
	assert_int_equal(p->l4, IPPROTO_UDP);
	return dp_relay_rewrite(m, p, p->l3 == DP_L3_IPV6, c, l3_len);
}

static uint32_t
r32(unsigned int *seed)
{
	return (uint32_t)rand_r(seed) << 16 ^ (uint32_t)rand_r(seed);
}

static void
r_bytes(unsigned int *seed, uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)rand_r(seed);
}

/* A random source address dp_parse accepts. */
static void
r_src(unsigned int *seed, uint8_t *a, int v6)
{
	memset(a, 0, 16);
	r_bytes(seed, a, v6 ? 16 : 4);
	if (v6)
		a[0] = 0x20; /* global unicast */
	else if (a[0] == 0 || a[0] == 127 || a[0] >= 224)
		a[0] = 10;
}

/* A random datagram of family v6 (UDP checksum set unless the caller clears it). */
static void
r_dgram(unsigned int *seed, struct tdgram *d, int v6)
{
	memset(d, 0, sizeof(*d));
	d->v6 = v6;
	d->nvlan = rand_r(seed) % 3;
	r_src(seed, d->src, v6);
	r_bytes(seed, d->dst, v6 ? 16 : 4);
	d->sport = (uint16_t)rand_r(seed);
	d->dport = (uint16_t)rand_r(seed);
	d->ttl = (uint8_t)(1 + rand_r(seed) % 255);
	d->tos = (uint8_t)rand_r(seed);
	d->id = (uint16_t)rand_r(seed);
	d->flow = r32(seed) & 0xfffff;
	d->ulen = (uint16_t)(8 + rand_r(seed) % (MAX_PAYLOAD + 1));
	d->extra = rand_r(seed) % 4 == 0 ? (uint16_t)(rand_r(seed) % 8) : 0;
	d->trailer = rand_r(seed) % 4 == 0 ? (uint16_t)(rand_r(seed) % 24) : 0;
	r_bytes(seed, d->payload, d->ulen - 8u);
}

/* A rule out of family out_v6: all-zero or all-ones fields (round % 8 0, 1), or random. */
static void
r_rule(unsigned int *seed, struct dp_flow_cfg *c, int out_v6, unsigned int round)
{
	memset(c, 0, sizeof(*c));
	c->out_v6 = (uint8_t)out_v6;
	c->has_dst = 1;
	if (round % 8 == 1) {
		memset(c->src_ip, 0xff, out_v6 ? 16 : 4);
		memset(c->dst_ip, 0xff, out_v6 ? 16 : 4);
		c->src_port = 0xffff;
		c->dst_port = 0xffff;
	} else if (round % 8 != 0) {
		r_bytes(seed, c->src_ip, out_v6 ? 16 : 4);
		r_bytes(seed, c->dst_ip, out_v6 ? 16 : 4);
		c->src_port = (uint16_t)rand_r(seed);
		c->dst_port = (uint16_t)rand_r(seed);
	}
	dp_flow_rule_seal(c); /* as dp_flow_publish does */
}

/* The UDP datagram after the rewrite: the rule's ports, d's length and payload. */
static void
chk_udp(const uint8_t *ip, int v6, const uint8_t *udp, const struct tdgram *d,
		const struct dp_flow_cfg *c)
{
	const struct rte_udp_hdr *u = (const struct rte_udp_hdr *)udp;

	assert_int_equal(u->src_port, c->src_port);
	assert_int_equal(u->dst_port, c->dst_port);
	assert_int_equal(t_get16(udp + 4), d->ulen);
	assert_memory_equal(udp + 8, d->payload, d->ulen - 8u);
	assert_int_equal(t_get16(udp + 6), t_udp_cksum(ip, v6, udp));
	/* DPDK's check takes the L4 length from the IP header: only without extra octets. */
	if (v6 && udp == ip + 40 && t_get16(ip + 4) == d->ulen)
		assert_int_equal(rte_ipv6_udptcp_cksum_verify((const struct rte_ipv6_hdr *)ip, udp),
				0);
	else if (!v6 && t_get16(ip + 2) == 20 + d->ulen)
		assert_int_equal(rte_ipv4_udptcp_cksum_verify((const struct rte_ipv4_hdr *)ip, udp),
				0);
}

/* An IPv4 header: the rule's addresses, TTL 64, d's TOS and length, a valid checksum. */
static void
chk_ip4(const uint8_t *ip, const struct tdgram *d, const struct dp_flow_cfg *c,
		uint16_t tot_len)
{
	assert_int_equal(ip[0], 0x45);
	assert_int_equal(ip[1], d->tos);
	assert_int_equal(t_get16(ip + 2), tot_len);
	assert_int_equal(t_get16(ip + 6) & 0x3fff, 0); /* neither MF nor an offset */
	assert_int_equal(ip[8], 64);
	assert_int_equal(ip[9], IPPROTO_UDP);
	assert_memory_equal(ip + 12, c->src_ip, 4);
	assert_memory_equal(ip + 16, c->dst_ip, 4);
	assert_int_equal(t_get16(ip + 10), t_ip4_cksum(ip));
	assert_int_equal(t_fold(t_sum(ip, 20, 0)), 0);
	assert_int_equal(rte_ipv4_cksum((const struct rte_ipv4_hdr *)ip), 0);
}

/* Counts of the checksum edge values met, to prove the rounds reached them. */
struct edges {
	unsigned int in_udp_ffff;  /* input UDP checksum computed as 0, sent as 0xffff */
	unsigned int out_udp_ffff; /* output UDP checksum computed as 0 */
	unsigned int in_hdr_0;     /* input IPv4 header checksum 0x0000 */
	unsigned int out_hdr_0;    /* output IPv4 header checksum 0x0000 */
};

/*
 * Steers d (a payload word, the IPv4 identification) so that one checksum of the
 * datagram before or after the rewrite by c is 0x0000: kind 1 the input UDP one, 2 the
 * output UDP one, 3 the input IPv4 header, 4 the output IPv4 header.
 */
static void
steer(struct tdgram *d, const struct dp_flow_cfg *c, int kind)
{
	uint32_t sum;

	if ((kind == 1 || kind == 2) && d->ulen < 10) {
		d->ulen = 10;
		d->payload[0] = 0x5a;
		d->payload[1] = 0xa5;
	}
	switch (kind) {
	case 1:
	case 2:
		t_put16(d->payload, 0);
		sum = kind == 1 ? t_udp_sum(d, d->v6, d->src, d->dst, d->sport, d->dport) :
				  t_udp_sum(d, c->out_v6, c->src_ip, c->dst_ip,
						  rte_be_to_cpu_16(c->src_port),
						  rte_be_to_cpu_16(c->dst_port));
		t_put16(d->payload, t_complete(t_sum(d->payload, d->ulen - 8u, sum)));
		break;
	case 3:
		d->id = t_complete(t_ip4_sum(d, d->src, d->dst, d->ttl));
		break;
	case 4:
		d->id = t_complete(t_ip4_sum(d, c->src_ip, c->dst_ip, 64));
		break;
	default:
		break;
	}
}

/* Rewrites d by c in place (same family) and checks the result; counts edge values. */
static void
run_inplace(const struct tdgram *d, const struct dp_flow_cfg *c, struct edges *e)
{
	uint8_t f[BUF];
	size_t len = b_dgram(f, d);
	struct rte_mbuf m;
	struct dp_pkt p;
	uint16_t l3_len = 0;
	uint8_t *ip, *udp;

	t_mbuf(&m, f, len, RTE_PKTMBUF_HEADROOM);
	assert_int_equal(t_rewrite(&m, c, &p, &l3_len), 0);
	ip = rte_pktmbuf_mtod(&m, uint8_t *);
	/* In place: the packet starts where its IP header was; nothing is trimmed. */
	assert_ptr_equal(ip, (uint8_t *)m.buf_addr + RTE_PKTMBUF_HEADROOM + p.l3_off);
	assert_int_equal(rte_pktmbuf_data_len(&m), len - p.l3_off);
	assert_int_equal(rte_pktmbuf_pkt_len(&m), len - p.l3_off);
	assert_int_equal(l3_len, p.l3_len);
	udp = ip + (p.l4_off - p.l3_off);
	if (d->v6) {
		assert_int_equal(l3_len, 40 + d->ulen + d->extra);
		assert_memory_equal(ip, f + p.l3_off, 4); /* version, traffic class, flow label */
		assert_int_equal(t_get16(ip + 4), d->ulen + d->extra);
		assert_int_equal(ip[6], IPPROTO_UDP);
		assert_int_equal(ip[7], 64);
		assert_memory_equal(ip + 8, c->src_ip, 16);
		assert_memory_equal(ip + 24, c->dst_ip, 16);
	} else {
		assert_int_equal(l3_len, 20 + d->ulen + d->extra);
		chk_ip4(ip, d, c, l3_len);
		assert_int_equal(t_get16(ip + 4), d->id);
		if (t_get16(f + p.l3_off + 10) == 0)
			e->in_hdr_0++;
		if (t_get16(ip + 10) == 0)
			e->out_hdr_0++;
	}
	if (d->no_cksum) {
		assert_int_equal(t_get16(udp + 6), 0);
		assert_int_equal(t_get16(udp + 4), d->ulen);
		assert_memory_equal(udp + 8, d->payload, d->ulen - 8u);
	} else {
		chk_udp(ip, d->v6, udp, d, c);
		if (t_get16(f + p.l4_off + 6) == 0xffff)
			e->in_udp_ffff++;
		if (t_get16(udp + 6) == 0xffff)
			e->out_udp_ffff++;
	}
	/* What follows the UDP datagram (longer IP payload, padding) is left as it was. */
	assert_memory_equal(udp + d->ulen, f + p.l4_off + d->ulen, (size_t)d->extra + d->trailer);
	t_mbuf_free(&m);
}

/* Random IPv4 -> IPv4 rewrites, each checksum edge steered to in turn. */
static void
test_rewrite4(void **state)
{
	unsigned int seed = SEED, round;
	struct edges e = { 0 };
	struct dp_flow_cfg c;
	struct tdgram d;

	(void)state;
	for (round = 0; round < ROUNDS; round++) {
		r_dgram(&seed, &d, 0);
		r_rule(&seed, &c, 0, round);
		steer(&d, &c, (int)(round % 5));
		run_inplace(&d, &c, &e);
	}
	/* The first datagram of the brief: TTL 57, DSCP EF, announced addresses. */
	r_dgram(&seed, &d, 0);
	memcpy(d.src, T_IP4_PEER, 4);
	memcpy(d.dst, T_IP4_US, 4);
	d.ttl = 57;
	d.tos = 46 << 2;
	r_rule(&seed, &c, 0, 2);
	run_inplace(&d, &c, &e);

	assert_true(e.in_udp_ffff >= ROUNDS / 5);
	assert_true(e.out_udp_ffff >= ROUNDS / 5);
	assert_true(e.in_hdr_0 >= ROUNDS / 5);
	assert_true(e.out_hdr_0 >= ROUNDS / 5);
}

/* A zero IPv4 UDP checksum (none sent) stays zero; the header checksum is updated. */
static void
test_rewrite4_no_cksum(void **state)
{
	unsigned int seed = SEED + 1, round;
	struct edges e = { 0 };
	struct dp_flow_cfg c;
	struct tdgram d;

	(void)state;
	for (round = 0; round < ROUNDS / 10; round++) {
		r_dgram(&seed, &d, 0);
		d.no_cksum = 1;
		r_rule(&seed, &c, 0, round);
		steer(&d, &c, round % 2 ? 4 : 0);
		run_inplace(&d, &c, &e);
	}
	assert_true(e.out_hdr_0 >= ROUNDS / 20);
}

/* Random IPv6 -> IPv6 rewrites (no extension header: in place). */
static void
test_rewrite6(void **state)
{
	unsigned int seed = SEED + 2, round;
	struct edges e = { 0 };
	struct dp_flow_cfg c;
	struct tdgram d;

	(void)state;
	for (round = 0; round < ROUNDS; round++) {
		r_dgram(&seed, &d, 1);
		r_rule(&seed, &c, 1, round);
		steer(&d, &c, (int)(round % 3));
		run_inplace(&d, &c, &e);
	}
	assert_true(e.in_udp_ffff >= ROUNDS / 3);
	assert_true(e.out_udp_ffff >= ROUNDS / 3);
}

/*
 * Rewrites d by c into a new IP header (another family, or IPv6 with extension headers)
 * and checks the result; counts edge values.
 */
static void
run_cross(const struct tdgram *d, const struct dp_flow_cfg *c, struct edges *e)
{
	uint16_t hdr = c->out_v6 ? 40 : 20;
	uint8_t f[BUF];
	size_t len = b_dgram(f, d);
	struct rte_mbuf m;
	struct dp_pkt p;
	uint16_t l3_len = 0;
	uint8_t *ip;

	t_mbuf(&m, f, len, RTE_PKTMBUF_HEADROOM);
	assert_int_equal(t_rewrite(&m, c, &p, &l3_len), 0);
	ip = rte_pktmbuf_mtod(&m, uint8_t *);
	/* The new header right in front of the UDP datagram; nothing after it. */
	assert_ptr_equal(ip + hdr, (uint8_t *)m.buf_addr + RTE_PKTMBUF_HEADROOM + p.l4_off);
	assert_int_equal(l3_len, hdr + d->ulen);
	assert_int_equal(rte_pktmbuf_data_len(&m), l3_len);
	assert_int_equal(rte_pktmbuf_pkt_len(&m), l3_len);
	if (c->out_v6) {
		uint32_t vtc = (uint32_t)ip[0] << 24 | (uint32_t)ip[1] << 16 | t_get16(ip + 2);

		assert_int_equal(vtc, 6u << 28 | (uint32_t)d->tos << 20);
		assert_int_equal(t_get16(ip + 4), d->ulen);
		assert_int_equal(ip[6], IPPROTO_UDP);
		assert_int_equal(ip[7], 64);
		assert_memory_equal(ip + 8, c->src_ip, 16);
		assert_memory_equal(ip + 24, c->dst_ip, 16);
	} else {
		chk_ip4(ip, d, c, l3_len);
		if (t_get16(ip + 10) == 0)
			e->out_hdr_0++;
	}
	chk_udp(ip, c->out_v6, ip + hdr, d, c);
	if (t_get16(ip + hdr + 6) == 0xffff)
		e->out_udp_ffff++;
	t_mbuf_free(&m);
}

/* IPv4 <-> IPv6, and IPv6 with an extension header, over random datagrams and rules. */
static void
test_rewrite_cross(void **state)
{
	unsigned int seed = SEED + 3, round;
	struct edges e = { 0 };
	struct dp_flow_cfg c;
	struct tdgram d;
	int dir;

	(void)state;
	for (dir = 0; dir < 3; dir++) {
		memset(&e, 0, sizeof(e));
		for (round = 0; round < ROUNDS; round++) {
			r_dgram(&seed, &d, dir != 0);
			d.ext = dir == 2;
			/* From IPv4, without a UDP checksum too: one is computed for IPv6. */
			d.no_cksum = dir == 0 && round % 4 == 3;
			r_rule(&seed, &c, dir != 1, round);
			steer(&d, &c, round % 4 == 1 ? 2 : 0);
			run_cross(&d, &c, &e);
		}
		assert_true(e.out_udp_ffff >= ROUNDS / 4);
	}
}

/*
 * A datagram damaged on the way in stays detectably damaged on the way out, in both
 * directions and in place: the checksum is carried over, never recomputed from the
 * (damaged) data. The one exception is IPv4 without a checksum towards IPv6.
 */
static void
test_rewrite_keeps_errors(void **state)
{
	unsigned int seed = SEED + 6, round;
	int dir;

	(void)state;
	for (dir = 0; dir < 4; dir++)
		for (round = 0; round < ROUNDS / 10; round++) {
			int in_v6 = dir == 1 || dir == 3, out_v6 = dir == 0 || dir == 3;
			uint16_t hdr = out_v6 ? 40 : 20;
			struct dp_flow_cfg c;
			struct tdgram d;
			struct rte_mbuf m;
			struct dp_pkt p;
			uint8_t f[BUF], *ip;
			uint16_t l3_len;
			size_t len;

			r_dgram(&seed, &d, in_v6);
			if (d.ulen < 9)
				d.ulen = 9;
			r_rule(&seed, &c, out_v6, round | 2);
			len = b_dgram(f, &d);
			assert_int_equal(dp_parse(f, len, 0, &p), SBC_DROP_NONE);
			f[p.l4_off + 8 + round % (d.ulen - 8u)] ^= (uint8_t)(1u << round % 8);
			t_mbuf(&m, f, len, RTE_PKTMBUF_HEADROOM);
			assert_int_equal(t_rewrite(&m, &c, &p, &l3_len), 0);
			ip = rte_pktmbuf_mtod(&m, uint8_t *);
			if (dir == 3 || dir == 2)
				hdr = (uint16_t)(p.l4_off - p.l3_off);
			assert_int_not_equal(t_get16(ip + hdr + 6), t_udp_cksum(ip, out_v6, ip + hdr));
			t_mbuf_free(&m);
		}
}

/* Ethernet padding after a short datagram, and a UDP length below the IP payload. */
static void
test_rewrite_trim(void **state)
{
	unsigned int seed = SEED + 4;
	struct edges e = { 0 };
	struct dp_flow_cfg c;
	struct tdgram d;
	uint8_t f[BUF];

	(void)state;
	/* IPv4 -> IPv6: 14 + 20 + 12 octets padded to the 60-octet minimum frame. */
	r_dgram(&seed, &d, 0);
	d.nvlan = 0;
	d.ulen = 12;
	d.extra = 0;
	d.trailer = 14;
	assert_int_equal(b_dgram(f, &d), 60);
	r_rule(&seed, &c, 1, 2);
	run_cross(&d, &c, &e);
	/* IPv4 -> IPv6 and IPv6 -> IPv4, IP payload longer than the UDP datagram, trailer. */
	r_dgram(&seed, &d, 0);
	d.extra = 6;
	d.trailer = 10;
	r_rule(&seed, &c, 1, 2);
	run_cross(&d, &c, &e);
	r_dgram(&seed, &d, 1);
	d.extra = 6;
	d.trailer = 10;
	r_rule(&seed, &c, 0, 2);
	run_cross(&d, &c, &e);
	/* IPv6 with an extension header -> IPv6, with a trailer. */
	r_dgram(&seed, &d, 1);
	d.ext = 1;
	d.trailer = 3;
	r_rule(&seed, &c, 1, 2);
	run_cross(&d, &c, &e);
}

/* Too little headroom for the new header: -1, nothing written outside the buffer. */
static void
test_rewrite_headroom(void **state)
{
	unsigned int seed = SEED + 5;
	struct dp_flow_cfg c;
	struct tdgram d;
	struct rte_mbuf m;
	struct dp_pkt p;
	uint8_t f[BUF];
	uint16_t l3_len;
	size_t len;

	(void)state;
	/* Untagged IPv4: 34 octets in front of UDP, 40 needed for IPv6. */
	r_dgram(&seed, &d, 0);
	d.nvlan = 0;
	len = b_dgram(f, &d);
	r_rule(&seed, &c, 1, 2);
	t_mbuf(&m, f, len, 0);
	assert_int_equal(t_rewrite(&m, &c, &p, &l3_len), -1);
	t_mbuf_free(&m);
	/* The same with 6 octets of headroom fits exactly. */
	t_mbuf(&m, f, len, 6);
	assert_int_equal(t_rewrite(&m, &c, &p, &l3_len), 0);
	assert_int_equal(rte_pktmbuf_headroom(&m), 0);
	assert_int_equal(l3_len, 40 + d.ulen);
	t_mbuf_free(&m);
}

/* An RTP header: version 2, PT 0, seq, timestamp, SSRC. */
static void
t_rtp(uint8_t *p, uint16_t seq, uint32_t ts, uint32_t ssrc)
{
	memset(p, 0, 12);
	p[0] = 0x80;
	t_put16(p + 2, seq);
	t_put16(p + 4, (uint16_t)(ts >> 16));
	t_put16(p + 6, (uint16_t)ts);
	t_put16(p + 8, (uint16_t)(ssrc >> 16));
	t_put16(p + 10, (uint16_t)ssrc);
}

/* Announced source, NAT latching within the window with the stream's SSRC, epochs. */
static void
test_source(void **state)
{
	static const uint8_t nat4[4] = { 198, 51, 100, 7 };
	static const uint8_t third4[4] = { 198, 51, 100, 8 };
	static const uint8_t nat6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x0b, [15] = 7 };
	const uint16_t port = rte_cpu_to_be_16(5000), nport = rte_cpu_to_be_16(40000);
	uint8_t peer16[16] = { 0 }, nat16[16] = { 0 }; /* IPv4 addresses offered as IPv6 */
	struct dp_flow_cfg c, c2;
	struct dp_flow f;
	uint8_t rtp[12], other[12];

	(void)state;
	memcpy(peer16, T_IP4_PEER, 4);
	memcpy(nat16, nat4, 4);
	memset(&f, 0, sizeof(f));
	memset(&c, 0, sizeof(c));
	memcpy(c.peer_ip, T_IP4_PEER, 4);
	c.peer_port = port;
	c.latch_epoch = 7;
	c.latch_until = 1000;
	dp_flow_rule_seal(&c);
	t_rtp(rtp, 1, 0, 0x11223344);
	t_rtp(other, 1, 0, 0x55667788);

	/* The announced source, and nothing else; no latching without NAT. */
	assert_true(dp_relay_source_ok(&f, &c, 0, T_IP4_PEER, port, rtp, 12, 10));
	assert_true(dp_relay_source_ok(&f, &c, 0, T_IP4_PEER, port, rtp, 0, 5000));
	assert_false(dp_relay_source_ok(&f, &c, 0, T_IP4_PEER, nport, rtp, 12, 10));
	assert_false(dp_relay_source_ok(&f, &c, 0, nat4, port, rtp, 12, 10));
	assert_false(dp_relay_source_ok(&f, &c, 1, peer16, port, rtp, 12, 10)); /* family */
	assert_int_equal(f.latch_epoch, 0);

	/* Behind NAT: not after the window, not without an RTP header's worth. */
	c.nat = 1;
	assert_false(dp_relay_source_ok(&f, &c, 0, nat4, nport, rtp, 12, 1000));
	assert_false(dp_relay_source_ok(&f, &c, 0, nat4, nport, rtp, 11, 10));
	/* The announced address forwarded SSRC 0x11223344 first: another SSRC is refused. */
	f.rtp.received = 1; /* an RTP datagram was forwarded: its SSRC is known */
	f.ssrc = 0x11223344;
	assert_false(dp_relay_source_ok(&f, &c, 0, nat4, nport, other, 12, 10));
	assert_int_equal(f.latch_epoch, 0);
	/* The stream's SSRC from another source within the window latches. */
	assert_int_equal(dp_relay_source_ok(&f, &c, 0, nat4, nport, rtp, 12, 999), DP_SRC_LATCHED);
	assert_int_equal(f.latch_epoch, 7);
	assert_int_equal(f.latch_v6, 0);
	assert_int_equal(f.latch_port, nport);
	assert_memory_equal(f.latch_ip, nat4, 4);
	/* Latched: that source (any payload, after the window) and the announced one. */
	assert_int_equal(dp_relay_source_ok(&f, &c, 0, nat4, nport, other, 0, 5000), DP_SRC_OK);
	assert_int_equal(dp_relay_source_ok(&f, &c, 0, T_IP4_PEER, port, other, 12, 5000),
			DP_SRC_OK);
	/* Once: a third source is refused, even within the window with the SSRC. */
	assert_false(dp_relay_source_ok(&f, &c, 0, third4, nport, rtp, 12, 10));
	assert_false(dp_relay_source_ok(&f, &c, 0, nat4, port, rtp, 12, 10));
	assert_false(dp_relay_source_ok(&f, &c, 1, nat16, nport, rtp, 12, 10));
	assert_int_equal(f.latch_port, nport);
	assert_memory_equal(f.latch_ip, nat4, 4);

	/* A new epoch (new announced address): the old latch no longer counts. */
	c2 = c;
	c2.latch_epoch = 8;
	c2.latch_until = 2000;
	assert_false(dp_relay_source_ok(&f, &c2, 0, nat4, nport, rtp, 12, 2000));
	assert_true(dp_relay_source_ok(&f, &c2, 0, third4, port, rtp, 12, 1500));
	assert_int_equal(f.latch_epoch, 8);
	assert_true(dp_relay_source_ok(&f, &c2, 0, third4, port, other, 12, 3000));
	assert_false(dp_relay_source_ok(&f, &c2, 0, nat4, nport, rtp, 12, 1500));
	/* Under the old rule (window closed) the new latch does not count either. */
	assert_false(dp_relay_source_ok(&f, &c, 0, third4, port, rtp, 12, 2000));

	/* IPv6, nothing forwarded yet (no SSRC known): the first other source latches. */
	memset(&f, 0, sizeof(f));
	memset(&c, 0, sizeof(c));
	c.in_v6 = 1;
	memcpy(c.peer_ip, T_IP6_PEER, 16);
	c.peer_port = port;
	c.nat = 1;
	c.latch_epoch = 3;
	c.latch_until = 100;
	dp_flow_rule_seal(&c);
	assert_true(dp_relay_source_ok(&f, &c, 1, T_IP6_PEER, port, rtp, 0, 500));
	assert_false(dp_relay_source_ok(&f, &c, 0, T_IP6_PEER, port, rtp, 12, 500));
	assert_true(dp_relay_source_ok(&f, &c, 1, nat6, nport, other, 12, 99));
	assert_int_equal(f.latch_v6, 1);
	assert_memory_equal(f.latch_ip, nat6, 16);
	assert_true(dp_relay_source_ok(&f, &c, 1, nat6, nport, rtp, 12, 500));
	assert_false(dp_relay_source_ok(&f, &c, 1, T_IP6_US, nport, other, 12, 50));
}

/* 2.5 GHz TSC, 8 kHz RTP clock: TSC to timestamp units as 32.32 fixed point. */
#define TSC_HZ 2500000000ull
#define RTP_HZ 8000u

static uint64_t
t_mult(void)
{
	return (uint64_t)(((unsigned __int128)RTP_HZ << 32) / TSC_HZ);
}

/* The TSC at which the arrival time in timestamp units, as dp_rtp_update computes it, is a. */
static uint64_t
t_tsc(uint64_t a)
{
	uint64_t mult = t_mult();

	return (uint64_t)((((unsigned __int128)a << 32) + mult - 1) / mult);
}

/* A datagram with seq and timestamp ts arriving at a (timestamp units). */
static void
t_recv(struct dp_flow *f, uint16_t seq, uint32_t ts, uint64_t a)
{
	uint8_t rtp[12];

	t_rtp(rtp, seq, ts, 0xcafe);
	dp_rtp_update(&f->rtp, rtp, t_tsc(a), t_mult());
}

struct report {
	uint32_t expected;
	uint32_t received;
	int32_t lost;
	uint32_t jitter;
};

static struct report
t_report(const struct dp_flow *f)
{
	struct report r;

	dp_flow_rtp_report(f, &r.expected, &r.received, &r.lost, &r.jitter);
	return r;
}

/* Sends n datagrams from seq, 20 ms apart, perfectly timed, timestamps from ts0. */
static void
t_stream_ts(struct dp_flow *f, uint16_t seq, uint32_t n, uint32_t ts0)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		t_recv(f, (uint16_t)(seq + i), ts0 + 160u * (uint16_t)(seq + i),
				1000000u + 160u * (uint16_t)(seq + i));
}

static void
t_stream(struct dp_flow *f, uint16_t seq, uint32_t n)
{
	t_stream_ts(f, seq, n, 0xfffff000u);
}

/*
 * RFC 3550 A.1: the first datagram starts the probation, the second (in sequence)
 * ends it and is the first counted (RTP_MIN_SEQUENTIAL 2): N in sequence count N - 1,
 * from base_seq = the second one's.
 */
static void
test_rtp_clean(void **state)
{
	struct dp_flow f;
	struct report r;

	(void)state;
	memset(&f, 0, sizeof(f));
	t_stream(&f, 1000, 1);
	r = t_report(&f);
	assert_int_equal(r.received, 0);
	assert_int_equal(r.expected, 0);
	t_stream(&f, 1001, 99);
	r = t_report(&f);
	assert_int_equal(f.rtp.base_seq, 1001);
	assert_int_equal(f.rtp.max_seq, 1099);
	assert_int_equal(r.received, 99);
	assert_int_equal(r.expected, 99);
	assert_int_equal(r.lost, 0);
	assert_int_equal(r.jitter, 0); /* timestamps wrap at 2^32; transit stays constant */

	/* Out of sequence during the probation: restarted from the later one. */
	memset(&f, 0, sizeof(f));
	t_stream(&f, 10, 1);
	t_stream(&f, 12, 1);
	assert_int_equal(t_report(&f).received, 0);
	t_stream(&f, 13, 1);
	r = t_report(&f);
	assert_int_equal(r.received, 1);
	assert_int_equal(f.rtp.base_seq, 13);
}

/* A gap of 5 sequence numbers is 5 lost; duplicates make the loss negative. */
static void
test_rtp_loss(void **state)
{
	struct dp_flow f;
	struct report r;

	(void)state;
	memset(&f, 0, sizeof(f));
	t_stream(&f, 200, 10);
	t_stream(&f, 215, 10);
	r = t_report(&f);
	assert_int_equal(r.received, 19);
	assert_int_equal(r.expected, 24);
	assert_int_equal(r.lost, 5);

	/* Duplicates and reordered datagrams are counted (RFC 3550 6.4.1: may go negative). */
	memset(&f, 0, sizeof(f));
	t_stream(&f, 200, 10);
	t_stream(&f, 209, 1);
	t_stream(&f, 205, 1);
	r = t_report(&f);
	assert_int_equal(f.rtp.max_seq, 209);
	assert_int_equal(r.received, 11);
	assert_int_equal(r.expected, 9);
	assert_int_equal(r.lost, -2);
}

/* Sequence numbers wrapping at 65535 -> 0 add a cycle. */
static void
test_rtp_wrap(void **state)
{
	struct dp_flow f;
	struct report r;

	(void)state;
	memset(&f, 0, sizeof(f));
	t_stream(&f, 65530, 20);
	r = t_report(&f);
	assert_int_equal(f.rtp.cycles, 65536);
	assert_int_equal(f.rtp.max_seq, 13);
	assert_int_equal(r.received, 19);
	assert_int_equal(r.expected, 19);
	assert_int_equal(r.lost, 0);
	assert_int_equal(r.jitter, 0);

	/* A gap across the wrap: 65534, 65535, 0, 1, 2 lost. */
	memset(&f, 0, sizeof(f));
	t_stream(&f, 65528, 6);
	t_stream(&f, 3, 10);
	r = t_report(&f);
	assert_int_equal(f.rtp.cycles, 65536);
	assert_int_equal(r.received, 15);
	assert_int_equal(r.expected, 20);
	assert_int_equal(r.lost, 5);
}

/*
 * A jump beyond RTP_MAX_DROPOUT ahead, or RTP_MAX_MISORDER behind: ignored once, a
 * restart when the next datagram follows it (the sender restarted, RFC 3550 A.1).
 */
static void
test_rtp_restart(void **state)
{
	struct dp_flow f;
	struct report r;

	(void)state;
	memset(&f, 0, sizeof(f));
	t_stream(&f, 1000, 10);
	t_stream(&f, 30000, 1);
	r = t_report(&f);
	assert_int_equal(r.received, 9);
	assert_int_equal(r.expected, 9);
	/* The restarted sender has another timestamp base: no jitter from the jump. */
	t_stream_ts(&f, 30001, 5, 0x12345678);
	r = t_report(&f);
	assert_int_equal(f.rtp.base_seq, 30001);
	assert_int_equal(f.rtp.max_seq, 30005);
	assert_int_equal(r.received, 5);
	assert_int_equal(r.expected, 5);
	assert_int_equal(r.lost, 0);
	assert_int_equal(r.jitter, 0);

	/* 50 behind is a reordered datagram, counted; 150 behind is not, until restarted. */
	t_stream_ts(&f, 29955, 1, 0x12345678);
	assert_int_equal(t_report(&f).received, 6);
	t_stream_ts(&f, 29855, 1, 0x12345678);
	r = t_report(&f);
	assert_int_equal(r.received, 6);
	assert_int_equal(f.rtp.max_seq, 30005);
	t_stream_ts(&f, 29856, 1, 0x12345678);
	r = t_report(&f);
	assert_int_equal(f.rtp.base_seq, 29856);
	assert_int_equal(r.received, 1);
	assert_int_equal(r.expected, 1);
}

/* RFC 3550 A.8: no jitter for perfect timing; late datagrams make it grow. */
static void
test_rtp_jitter(void **state)
{
	unsigned int seed = SEED + 6;
	double ref = 0;
	struct dp_flow f;
	int32_t prev = 0;
	uint32_t i;

	(void)state;
	memset(&f, 0, sizeof(f));
	t_stream(&f, 0, 50);
	assert_int_equal(t_report(&f).jitter, 0);
	/* One datagram 160 units (20 ms) late: |D| = 160, 16J = 160; back: 16J += 160 - 10. */
	t_recv(&f, 50, 0xfffff000u + 160u * 50, 1000000u + 160u * 50 + 160);
	assert_int_equal(f.rtp.jitter, 160);
	assert_int_equal(t_report(&f).jitter, 10);
	t_stream(&f, 51, 1);
	assert_int_equal(f.rtp.jitter, 160 + 160 - 10);
	assert_int_equal(t_report(&f).jitter, 19);

	/* Random delays of 0-80 units against the RFC's floating-point estimator. */
	memset(&f, 0, sizeof(f));
	t_stream(&f, 0, 2);
	for (i = 2; i < 2000; i++) {
		int32_t delay = rand_r(&seed) % 81, dd = delay - prev;

		t_recv(&f, (uint16_t)i, 0xfffff000u + 160u * i,
				1000000u + 160u * i + (uint32_t)delay);
		ref += ((dd < 0 ? -dd : dd) - ref) / 16;
		prev = delay;
		assert_true(t_report(&f).jitter + 1 >= (uint32_t)ref);
		assert_true(t_report(&f).jitter <= (uint32_t)ref + 1);
	}
	assert_true(t_report(&f).jitter >= 20);
	assert_int_equal(t_report(&f).lost, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rewrite4),
		cmocka_unit_test(test_rewrite4_no_cksum),
		cmocka_unit_test(test_rewrite6),
		cmocka_unit_test(test_rewrite_cross),
		cmocka_unit_test(test_rewrite_keeps_errors),
		cmocka_unit_test(test_rewrite_trim),
		cmocka_unit_test(test_rewrite_headroom),
		cmocka_unit_test(test_source),
		cmocka_unit_test(test_rtp_clean),
		cmocka_unit_test(test_rtp_loss),
		cmocka_unit_test(test_rtp_wrap),
		cmocka_unit_test(test_rtp_restart),
		cmocka_unit_test(test_rtp_jitter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
