/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_relay.h - the RTP/RTCP relay's per-packet steps: the source check, what kind of
 * payload a datagram carries, RFC 3550 receiver statistics, and the rewrite that makes
 * a received datagram leave the SBC towards the other side (addresses, ports, IPv4 <->
 * IPv6). The payload is never touched here; plain RTCP is scrubbed out of line before
 * the rewrite (dp_rtcp.h). Inline: they run per media packet on the dataplane lcores,
 * called from dp_relay_input() in dp_lcore.c (concurrency in dp_flow.h).
 *
 * Source rule (RTP Bleed, injection): only the address and port the SDP announced. A
 * leg flagged as behind NAT may instead latch, once per announced address, onto the
 * first other source seen within the latch window after the flow was installed, and
 * only when that source sends the stream's SSRC (the SSRC of the first datagram
 * forwarded, if any came from the announced address first).
 */
#ifndef DP_RELAY_H
#define DP_RELAY_H

#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "dp_cksum.h"
#include "dp_flow.h"
#include "dp_parse.h"
#include "dp_rtcp.h"

#define RTP_SEQ_MOD (1u << 16)
#define RTP_MAX_DROPOUT 3000
#define RTP_MAX_MISORDER 100
#define RTP_MIN_SEQUENTIAL 2

/* Returns the SSRC of the RTP header at rtp (12 octets or more). Any thread. */
static inline uint32_t
dp_rtp_ssrc(const uint8_t *rtp)
{
	return (uint32_t)rtp[8] << 24 | (uint32_t)rtp[9] << 16 | (uint32_t)rtp[10] << 8 | rtp[11];
}

/*
 * Returns whether len octets at d are RTP: version 2 and not RTCP multiplexed on the
 * same port (RFC 5761 4: packet types 192-223 are RTCP). Any thread.
 */
static inline bool
dp_is_rtp(const uint8_t *d, uint32_t len)
{
	return len >= 12 && (d[0] >> 6) == 2 && !(d[1] >= 192 && d[1] <= 223);
}

/* What the relay does with a datagram's payload besides forwarding it. */
enum dp_media_kind {
	DP_MEDIA_OTHER = 0, /* nothing (RTCP of an SRTP stream, STUN, no RTP profile, ...) */
	DP_MEDIA_RTP,       /* receiver statistics (DP_FLOW_RTP) */
	DP_MEDIA_RTCP,      /* plain RTCP to scrub (DP_FLOW_RTCP_SCRUB, dp_rtcp.h) */
};

/*
 * Returns the kind of the plen-octet payload at d on flow c. RTP is decided first and
 * alone, so that an RTP datagram pays for no other test. RTCP comes on the RTCP
 * component's flow (no DP_FLOW_RTP) or multiplexed on the RTP port (RFC 5761).
 * Dataplane lcores.
 */
static __rte_always_inline enum dp_media_kind
dp_relay_kind(const struct dp_flow_cfg *c, const uint8_t *d, uint32_t plen)
{
	if ((c->flags & DP_FLOW_RTP) && dp_is_rtp(d, plen))
		return DP_MEDIA_RTP;
	if (unlikely(c->flags & DP_FLOW_RTCP_SCRUB) && dp_rtcp_is(d, plen))
		return DP_MEDIA_RTCP;
	return DP_MEDIA_OTHER;
}

/*
 * Updates s with the RTP datagram at rtp received at tsc: RFC 3550 A.1 init_seq /
 * update_seq, and the A.8 interarrival jitter. The dataplane lcore relaying the flow.
 */
static inline void
dp_rtp_update(struct dp_rtp_stats *s, const uint8_t *rtp, uint64_t tsc, uint64_t mult)
{
	uint16_t seq = (uint16_t)(rtp[2] << 8 | rtp[3]);
	uint32_t ts = (uint32_t)rtp[4] << 24 | (uint32_t)rtp[5] << 16 | (uint32_t)rtp[6] << 8 |
			rtp[7];
	uint16_t udelta;
	uint32_t arrival, transit;
	int32_t d;

	if (s->received == 0 && s->probation == 0) {
		s->base_seq = seq;
		s->max_seq = (uint16_t)(seq - 1);
		s->bad_seq = RTP_SEQ_MOD + 1;
		s->cycles = 0;
		s->probation = RTP_MIN_SEQUENTIAL;
	}
	udelta = (uint16_t)(seq - s->max_seq);
	if (s->probation) {
		/* A new source: counted once RTP_MIN_SEQUENTIAL packets came in sequence. */
		if (seq == (uint16_t)(s->max_seq + 1)) {
			s->probation--;
			s->max_seq = seq;
			if (s->probation == 0) {
				s->base_seq = seq;
				s->cycles = 0;
				s->received = 1;
				s->transit = (uint32_t)(((unsigned __int128)tsc * mult) >> 32) - ts;
			}
		} else {
			s->probation = RTP_MIN_SEQUENTIAL - 1;
			s->max_seq = seq;
		}
		return;
	} else if (udelta < RTP_MAX_DROPOUT) {
		if (seq < s->max_seq)
			s->cycles += RTP_SEQ_MOD; /* wrapped */
		s->max_seq = seq;
	} else if (udelta <= RTP_SEQ_MOD - RTP_MAX_MISORDER) {
		if (seq == s->bad_seq) { /* two in a row: the sender restarted */
			s->base_seq = seq;
			s->max_seq = seq;
			s->cycles = 0;
			s->bad_seq = RTP_SEQ_MOD + 1;
			s->received = 0;
		} else {
			s->bad_seq = (seq + 1) & (RTP_SEQ_MOD - 1);
			return;
		}
	}
	/* else: a duplicate or a reordered packet, counted */
	s->received++;
	/* Arrival in RTP timestamp units: tsc * clock / tsc_hz as 32.32 fixed point. */
	arrival = (uint32_t)(((unsigned __int128)tsc * mult) >> 32);
	transit = arrival - ts;
	if (s->received > 1) {
		/* |D| in unsigned arithmetic: the sender picks timestamps, D may be INT32_MIN. */
		d = (int32_t)(transit - s->transit);
		s->jitter += (d < 0 ? 0u - (uint32_t)d : (uint32_t)d) - ((s->jitter + 8) >> 4);
	}
	s->transit = transit;
}

/*
 * Returns whether a and b are the same address (constant sizes: the compiler compares
 * in registers, no memcmp call). Any thread.
 */
static inline bool
dp_addr_eq(const uint8_t *a, const uint8_t *b, int v6)
{
	return v6 ? memcmp(a, b, 16) == 0 : memcmp(a, b, 4) == 0;
}

/* Verdicts of dp_relay_source_ok(). */
enum { DP_SRC_BAD = 0, DP_SRC_OK = 1, DP_SRC_LATCHED = 2 };

/*
 * Is the datagram's source the flow's (announced, or latched)? Returns DP_SRC_OK,
 * DP_SRC_BAD, or DP_SRC_LATCHED (once) when it latches. The announced source is checked
 * on the rule's first line (IPv4) alone; latch state is on the slot's second line, read
 * only when that fails. The dataplane lcore relaying the flow (it writes the latch).
 */
static inline int
dp_relay_source_ok(struct dp_flow *f, const struct dp_flow_cfg *c, int v6, const uint8_t *ip,
		uint16_t port, const uint8_t *payload, uint32_t plen, uint64_t now)
{
	if (likely(c->in_v6 == v6 && c->peer_port == port &&
			dp_addr_eq(v6 ? c->peer_ip : c->peer4, ip, v6)))
		return DP_SRC_OK;
	if (f->latch_epoch == c->latch_epoch)
		return f->latch_v6 == v6 && f->latch_port == port && dp_addr_eq(f->latch_ip, ip, v6) ?
				DP_SRC_OK : DP_SRC_BAD;
	if (!c->nat || now >= c->latch_until || plen < 12)
		return DP_SRC_BAD;
	/* Behind NAT: the first other source within the window, with the stream's SSRC. */
	if (dp_flow_has_ssrc(f) && f->ssrc != dp_rtp_ssrc(payload))
		return DP_SRC_BAD;
	f->latch_epoch = c->latch_epoch;
	f->latch_v6 = (uint8_t)v6;
	f->latch_port = port;
	memcpy(f->latch_ip, ip, v6 ? 16 : 4);
	return DP_SRC_LATCHED;
}

/*
 * Returns the one's complement sum of n octets at p, n a multiple of 4 (addresses):
 * 32-bit words added in 64 bits, folded to at most 17 bits so callers can add ports to
 * it. The constant sizes of the callers unroll it; __rte_raw_cksum's 16-bit loop costs
 * more than the rest of the rewrite. Any thread.
 */
static inline uint32_t
dp_sum(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint64_t s = 0;
	uint32_t w;
	size_t i;

	for (i = 0; i < n; i += 4) {
		memcpy(&w, b + i, 4);
		s += w;
	}
	s = (s & 0xffffffff) + (s >> 32);
	s = (s & 0xffffffff) + (s >> 32);
	return (uint32_t)((s & 0xffff) + (s >> 16));
}

/*
 * Returns a checksum field after data summing to old_sum was replaced by data summing to
 * new_sum. Any thread.
 */
static inline uint16_t
dp_cksum_adjust(uint16_t cksum, uint32_t old_sum, uint32_t new_sum)
{
	uint32_t sum = (uint16_t)~cksum;

	sum += (uint16_t)~dp_cksum_fold(old_sum);
	sum += dp_cksum_fold(new_sum);
	return (uint16_t)~dp_cksum_fold(sum);
}

/*
 * Returns the sum of the addresses c sends from and to (its out family), for the
 * checksums. Any thread that may read c.
 */
static inline uint32_t
dp_relay_out_sum(const struct dp_flow_cfg *c)
{
	return c->out_v6 ? dp_sum(c->src_ip, 16) + dp_sum(c->dst_ip, 16) :
			   dp_sum(c->src4, 4) + dp_sum(c->dst4, 4);
}

/*
 * Rewrites the datagram (frame at the mbuf's data start, L3 at p->l3_off) to leave by c.
 * Same family without IPv6 extension headers: in place. Otherwise a new IP header in
 * front of the same UDP datagram. Either way the UDP checksum is updated incrementally
 * (RFC 1624): only the addresses and ports change, the pseudo-header's length and
 * protocol sum the same in both families, so an error in the datagram still shows on
 * the far side. A zero IPv4 UDP checksum (the sender chose none) stays zero towards
 * IPv4 and is computed in full towards IPv6, where it is mandatory. On return the mbuf
 * starts with the L3 header and *l3_len is the packet's length. Returns 0, or -1 when
 * the mbuf lacks headroom. Dataplane lcores (the caller owns m).
 */
static __rte_always_inline int
dp_relay_rewrite(struct rte_mbuf *m, const struct dp_pkt *p, int in_v6,
		const struct dp_flow_cfg *c, uint16_t *l3_len)
{
	uint8_t *frame = rte_pktmbuf_mtod(m, uint8_t *);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(frame + p->l4_off);
	uint16_t ulen = rte_be_to_cpu_16(udp->dgram_len);
	uint16_t ck = udp->dgram_cksum;
	uint32_t os, ns;
	uint8_t tos;

	if (!in_v6 && !c->out_v6) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(frame + p->l3_off);
		uint8_t ttl[2] = { 64, ip->next_proto_id }; /* TTL and protocol: one 16-bit word */
		uint16_t ottl, nttl;

		os = dp_sum(&ip->src_addr, 8);
		ns = dp_relay_out_sum(c);
		memcpy(&ottl, &ip->time_to_live, 2);
		memcpy(&nttl, ttl, 2);
		if (ck != 0) {
			ck = dp_cksum_adjust(ck, os + udp->src_port + udp->dst_port,
					ns + c->src_port + c->dst_port);
			udp->dgram_cksum = ck ? ck : 0xffff;
		}
		memcpy(&ip->src_addr, c->src4, 4);
		memcpy(&ip->dst_addr, c->dst4, 4);
		ip->time_to_live = 64;
		/* The header checksum follows the addresses and the TTL. */
		ip->hdr_checksum = dp_cksum_adjust(ip->hdr_checksum, os + ottl, ns + nttl);
		udp->src_port = c->src_port;
		udp->dst_port = c->dst_port;
		rte_pktmbuf_adj(m, p->l3_off);
		*l3_len = p->l3_len;
		return 0;
	}
	if (in_v6 && c->out_v6 && p->l4_off - p->l3_off == sizeof(struct rte_ipv6_hdr)) {
		struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(frame + p->l3_off);

		os = dp_sum(ip->src_addr, 32) + udp->src_port + udp->dst_port;
		ns = dp_relay_out_sum(c) + c->src_port + c->dst_port;
		ck = dp_cksum_adjust(ck, os, ns);
		udp->dgram_cksum = ck ? ck : 0xffff;
		memcpy(ip->src_addr, c->src_ip, 16);
		memcpy(ip->dst_addr, c->dst_ip, 16);
		ip->hop_limits = 64;
		udp->src_port = c->src_port;
		udp->dst_port = c->dst_port;
		rte_pktmbuf_adj(m, p->l3_off);
		*l3_len = p->l3_len;
		return 0;
	}
	/* Another header in front of the same UDP datagram; the traffic class is kept. */
	if (in_v6) {
		const struct rte_ipv6_hdr *ip = (const struct rte_ipv6_hdr *)(frame + p->l3_off);

		tos = (uint8_t)(rte_be_to_cpu_32(ip->vtc_flow) >> 20);
		os = dp_sum(ip->src_addr, 32);
	} else {
		const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(frame + p->l3_off);

		tos = ip->type_of_service;
		os = dp_sum(&ip->src_addr, 8);
	}
	os += udp->src_port + udp->dst_port;
	ns = dp_relay_out_sum(c) + c->src_port + c->dst_port;
	{
		uint16_t hdr = c->out_v6 ? sizeof(struct rte_ipv6_hdr) : sizeof(struct rte_ipv4_hdr);
		uint8_t *l3;

		rte_pktmbuf_adj(m, p->l4_off);
		if (rte_pktmbuf_data_len(m) > ulen)
			rte_pktmbuf_trim(m, (uint16_t)(rte_pktmbuf_data_len(m) - ulen));
		l3 = (uint8_t *)rte_pktmbuf_prepend(m, hdr);
		if (l3 == NULL)
			return -1;
		udp = (struct rte_udp_hdr *)(l3 + hdr);
		udp->src_port = c->src_port;
		udp->dst_port = c->dst_port;
		if (c->out_v6) {
			struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)l3;

			ip->vtc_flow = rte_cpu_to_be_32(6u << 28 | (uint32_t)tos << 20);
			ip->payload_len = rte_cpu_to_be_16(ulen);
			ip->proto = IPPROTO_UDP;
			ip->hop_limits = 64;
			memcpy(ip->src_addr, c->src_ip, 16);
			memcpy(ip->dst_addr, c->dst_ip, 16);
		} else {
			struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)l3;

			memset(ip, 0, sizeof(*ip));
			ip->version_ihl = 0x45;
			ip->type_of_service = tos;
			ip->total_length = rte_cpu_to_be_16((uint16_t)(hdr + ulen));
			ip->time_to_live = 64;
			ip->next_proto_id = IPPROTO_UDP;
			memcpy(&ip->src_addr, c->src4, 4);
			memcpy(&ip->dst_addr, c->dst4, 4);
			ip->hdr_checksum = rte_ipv4_cksum(ip);
		}
		if (ck != 0) {
			ck = dp_cksum_adjust(ck, os, ns);
			udp->dgram_cksum = ck ? ck : 0xffff;
		} else if (c->out_v6) {
			udp->dgram_cksum = 0;
			ck = dp_cksum_finish(dp_cksum_phdr6(c->src_ip, c->dst_ip, ulen, IPPROTO_UDP),
					udp, ulen);
			udp->dgram_cksum = ck ? ck : 0xffff;
		}
		*l3_len = (uint16_t)(hdr + ulen);
	}
	return 0;
}

#endif /* DP_RELAY_H */
