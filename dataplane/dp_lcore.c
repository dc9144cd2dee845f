/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_lcore.c - the dataplane lcore: poll, parse, filter, answer, relay, transmit.
 *
 * Read top to bottom. dp_lcore_main() polls each RX queue it owns for a burst, and
 * dp_rx_burst() handles it in three stages:
 *  1. dp_rx_look(), per packet, a few packets behind the prefetches of mbuf headers and
 *     data: parse L2-L4, check that the packet is for us (address, VLAN, spoofing),
 *     name its firewall service (dp_fw.h) and write its classification key; media
 *     packets also get their relay slot prefetched;
 *  2. dp_rx_filter(), per burst: the blocklist lookup (while it is not empty) and one
 *     rte_acl_classify() per family;
 *  3. dp_rx_act(), per packet, prefetching relay rules ahead: the firewall's verdict,
 *     then the handler of the packet's kind: SIP to the signalling rings (after the
 *     first-line check and the flood limits, dp_sip.c), media to the relay, host
 *     services to the kernel (with the ICMP errors about their flows), ICMP/ARP/ND
 *     answered, fragments reassembled. A handler
 *     consumes the packet and returns SBC_DROP_NONE, or returns the reason to drop it;
 *     dp_rx_act() counts and frees it.
 * Replies go to per-port TX buffers, flushed when full, when an iteration finds no new
 * packets, or after tx_drain_us. The host exception port's RX queue brings the
 * kernel's packets, sent out by the port owning their source (dp_host_input).
 *
 * Concurrency: this lcore writes its own struct dp_lcore and counters, its row of the
 * firewall generation's counters and rate-limit state, and, in the shared neighbour
 * table, only the "used" flag of stale entries (see dp_neigh.h). It transmits only on
 * its own TX queue of each port, reads the interface, neighbour, blocklist and firewall
 * tables lock-free, loads the firewall generation once per burst, and reports an RCU
 * quiescent state once per loop (it holds no table reference across iterations). What
 * it learns goes to the control thread through the neighbour ring, and offences to the
 * firewall control thread through the report ring (dp_block.h).
 */
#include <rte_branch_prediction.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>
#include <rte_rcu_qsbr.h>

#include "dp.h"
#include "dp_parse.h"
#include "dp_proto.h"
#include "dp_relay.h"
#include "dp_sip.h"
#include "sbc_run.h"


/* Queues a packet that is done with; dp_rx_burst() frees the lot in one call. */
static inline void
dp_free_later(struct dp_lcore *lc, struct rte_mbuf *m)
{
	lc->to_free[lc->n_free++] = m;
}

/* Frees, in one call, the packets the burst is done with. */
static inline void
dp_free_flush(struct dp_lcore *lc)
{
	if (lc->n_free != 0) {
		rte_pktmbuf_free_bulk(lc->to_free, lc->n_free);
		lc->n_free = 0;
	}
}

/* Counts event ev on the port ifc. */
static inline void
count_ev(struct dp_lcore *lc, const struct dp_iface *ifc, unsigned int ev)
{
	if (ev < SBC_EV_MAX)
		sbc_cnt_add(&lc->st->port[ifc->idx].events[ev], 1);
}

/* Buffers m for transmission on ifc, counting it. */
static inline void
dp_tx(struct dp_lcore *lc, const struct dp_iface *ifc, struct rte_mbuf *m)
{
	struct sbc_port_stats *ps = &lc->st->port[ifc->idx];

	sbc_cnt_add(&ps->tx_pkts, 1);
	sbc_cnt_add(&ps->tx_bytes, rte_pktmbuf_pkt_len(m));
	rte_eth_tx_buffer(ifc->port_id, lc->txq, lc->txb[ifc->idx], m);
}

/* Sends the L3 packet at l3_off out of out to the next hop nh, or queues it to resolve. */
static inline enum sbc_drop
dp_nh_output(struct dp_lcore *lc, const struct dp_iface *out, struct rte_mbuf *m,
		uint16_t l3_off, uint16_t l3_len, int v6, const uint8_t *nh, struct dp_neigh_hint *h)
{
	struct rte_ether_addr mac;

	if (likely(dp_neigh_lookup(&lc->dp->neigh, out->idx, v6, nh, &mac, h) == 0)) {
		if (unlikely(dp_l2_encap(m, l3_off, l3_len, out, &mac,
					     v6 ? RTE_ETHER_TYPE_IPV6 : RTE_ETHER_TYPE_IPV4) < 0))
			return SBC_DROP_NO_MBUF;
		dp_tx(lc, out, m);
		return SBC_DROP_NONE;
	}
	/* Next hop unknown: the control thread resolves it and sends the packet. */
	rte_pktmbuf_adj(m, l3_off);
	rte_pktmbuf_trim(m, (uint16_t)(rte_pktmbuf_data_len(m) - l3_len));
	if (unlikely(dp_neigh_post_resolve(&lc->dp->neigh, out->idx, v6, nh, m, l3_len) < 0))
		return SBC_DROP_NEIGH_QUEUE_FULL;
	return SBC_DROP_NONE;
}

/* Sends an L3 packet towards dst: routed, next hop resolved, or queued to resolve. */
static inline enum sbc_drop
dp_ip_output(struct dp_lcore *lc, const struct dp_iface *ingress, struct rte_mbuf *m,
		uint16_t l3_off, uint16_t l3_len, int v6, const uint8_t *dst)
{
	const struct dp_iface *out;
	const uint8_t *nh;

	out = dp_route(lc->dp->ifaces, lc->dp->n_ifaces, ingress, v6, dst, &nh);
	if (unlikely(out == NULL))
		return SBC_DROP_NO_ROUTE;
	return dp_nh_output(lc, out, m, l3_off, l3_len, v6, nh, NULL);
}

/* Counts, rewrites towards the other side of the call and sends a datagram of flow f. */
static __rte_always_inline enum sbc_drop
dp_relay_send(struct dp_lcore *lc, const struct dp_iface *ifc, struct rte_mbuf *m,
		const struct dp_pkt *p, int v6, struct dp_flow *f, struct dp_flow_cfg *c,
		uint32_t plen)
{
	uint16_t l3_len;

	f->pkts++;
	f->bytes += plen;
	if (unlikely(dp_relay_rewrite(m, p, v6, c, &l3_len) < 0)) {
		f->drop_other++;
		return SBC_DROP_NO_MBUF;
	}
	count_ev(lc, ifc, SBC_EV_MEDIA_RELAYED);
	/* The rule keeps where its next hop's neighbour entry is (written here only). */
	return dp_nh_output(lc, &lc->dp->ifaces[c->out_ifidx], m, 0, l3_len, c->out_v6,
			c->out_v6 ? c->nh_ip : c->nh4, &c->nh);
}

/*
 * Plain RTCP of flow f, rule c: scrubbed (dp_rtcp.h), then sent like any datagram. Out
 * of line, and reached by a tail call with dp_relay_input's arguments in the same
 * places (c for frame), so that the RTP path keeps its registers: about one datagram
 * per stream every 5 s comes here.
 */
static __rte_noinline enum sbc_drop
dp_relay_rtcp(struct dp_lcore *lc, const struct dp_iface *ifc, struct rte_mbuf *m,
		struct dp_flow_cfg *c, const struct dp_pkt *p, int v6, struct dp_flow *f)
{
	const uint8_t *frame = rte_pktmbuf_mtod(m, const uint8_t *);
	const struct rte_udp_hdr *udp = (const struct rte_udp_hdr *)(frame + p->l4_off);
	uint32_t plen = rte_be_to_cpu_16(udp->dgram_len) - (uint32_t)sizeof(*udp);
	struct dp_pkt scrubbed = *p; /* its lengths change */
	enum sbc_drop why;

	why = dp_rtcp_relay_scrub(m, &scrubbed, v6, &lc->dp->rtcp_key, c->call, lc->scratch,
			DP_SCRATCH);
	if (why != SBC_DROP_NONE) {
		f->drop_other++;
		return why;
	}
	return dp_relay_send(lc, ifc, m, &scrubbed, v6, f, c, plen);
}

/*
 * A datagram to one of our relay ports: checked against its flow's expected source,
 * counted (RTP receiver statistics too), plain RTCP scrubbed, rewritten towards the
 * other side of the call and sent (dp_relay.h).
 */
static inline enum sbc_drop
dp_relay_input(struct dp_lcore *lc, const struct dp_iface *ifc, struct rte_mbuf *m,
		const uint8_t *frame, const struct dp_pkt *p, int v6, struct dp_flow *f)
{
	struct dp_flow_cfg *c = __atomic_load_n(&f->cfg, __ATOMIC_ACQUIRE);
	const struct rte_udp_hdr *udp = (const struct rte_udp_hdr *)(frame + p->l4_off);
	const uint8_t *payload = (const uint8_t *)(udp + 1);
	uint32_t plen = rte_be_to_cpu_16(udp->dgram_len) - (uint32_t)sizeof(*udp);
	const uint8_t *src = v6 ? ((const struct rte_ipv6_hdr *)(frame + p->l3_off))->src_addr :
				  (const uint8_t *)&((const struct rte_ipv4_hdr *)(frame + p->l3_off))
						  ->src_addr;
	enum dp_media_kind kind;
	int src_ok;

	if (unlikely(c == NULL))
		return SBC_DROP_MEDIA_NO_FLOW;
	src_ok = dp_relay_source_ok(f, c, v6, src, udp->src_port, payload, plen, lc->now);
	if (unlikely(src_ok != DP_SRC_OK)) {
		if (src_ok == DP_SRC_BAD) {
			f->drop_src++;
			return SBC_DROP_MEDIA_BAD_SOURCE;
		}
		count_ev(lc, ifc, SBC_EV_MEDIA_LATCHED);
	}
	f->last_tsc = lc->now;
	if (unlikely(!c->has_dst)) {
		f->drop_other++;
		return SBC_DROP_MEDIA_NO_DEST;
	}
	kind = dp_relay_kind(c, payload, plen);
	if (kind == DP_MEDIA_RTP) {
		if (unlikely(!dp_flow_has_ssrc(f)))
			f->ssrc = dp_rtp_ssrc(payload);
		dp_rtp_update(&f->rtp, payload, lc->now, c->rtp_mult);
	} else if (unlikely(kind == DP_MEDIA_RTCP)) {
		return dp_relay_rtcp(lc, ifc, m, c, p, v6, f);
	}
	return dp_relay_send(lc, ifc, m, p, v6, f, c, plen);
}

/* Acts on what a protocol handler decided: learn, answer, or just consume. */
static inline enum sbc_drop
dp_proto_done(struct dp_lcore *lc, const struct dp_iface *ifc, struct rte_mbuf *m,
		const struct dp_pkt *p, const struct dp_proto_res *res)
{
	enum sbc_drop why = SBC_DROP_NONE;

	count_ev(lc, ifc, res->ev_rx);
	/* A proof of reachability always counts; otherwise only news are worth sending. */
	if (res->learn != 0 && ((res->learn & DP_LEARN_CONFIRM) ||
				       !dp_neigh_same(&lc->dp->neigh, ifc->idx, res->v6, res->ip,
						       &res->mac))) {
		struct sbc_neigh_msg msg;

		memset(&msg, 0, sizeof(msg));
		msg.type = SBC_NEIGH_MSG_LEARN;
		msg.flags = res->learn;
		msg.v6 = res->v6;
		msg.ifidx = ifc->idx;
		memcpy(msg.mac, res->mac.addr_bytes, RTE_ETHER_ADDR_LEN);
		memcpy(msg.addr, res->ip, res->v6 ? 16 : 4);
		if (unlikely(dp_neigh_post(&lc->dp->neigh, &msg) < 0))
			sbc_cnt_add(&lc->st->port[ifc->idx].drops[SBC_DROP_NEIGH_QUEUE_FULL], 1);
	}
	switch (res->reply) {
	case DP_REPLY_DIRECT:
		if (unlikely(dp_l2_encap(m, p->l3_off, res->l3_len, ifc, &res->mac,
					     res->v6 ? RTE_ETHER_TYPE_IPV6 : RTE_ETHER_TYPE_ARP) < 0))
			return SBC_DROP_NO_MBUF;
		dp_tx(lc, ifc, m);
		break;
	case DP_REPLY_ROUTE:
		why = dp_ip_output(lc, ifc, m, p->l3_off, res->l3_len, res->v6, res->dst);
		if (why != SBC_DROP_NONE)
			return why;
		break;
	default:
		dp_free_later(lc, m);
		return SBC_DROP_NONE;
	}
	count_ev(lc, ifc, res->ev_tx);
	return SBC_DROP_NONE;
}

/* Destination MAC and VLAN must be this port's. */
static inline enum sbc_drop
dp_l2_accept(const struct dp_iface *ifc, const uint8_t *frame, const struct dp_pkt *p)
{
	const struct rte_ether_hdr *eth = (const struct rte_ether_hdr *)frame;

	if (p->l2_flags == 0 && unlikely(!rte_is_same_ether_addr(&eth->dst_addr, &ifc->mac)))
		return SBC_DROP_L2_DST_OTHER;
	if (ifc->vlan == 0 ? unlikely(p->n_vlan != 0) :
			     unlikely(p->n_vlan != 1 || p->vlan != ifc->vlan))
		return SBC_DROP_VLAN_MISMATCH;
	return SBC_DROP_NONE;
}

/* ---- stage 1: what each packet is ---------------------------------------------------- */

/* Address tests of the shape dp_fw_icmp_for_host() takes. */
static bool
own4(const void *ifc, const uint8_t *a)
{
	return dp_iface_own4(ifc, a) >= 0;
}

static bool
own6(const void *ifc, const uint8_t *a)
{
	return dp_iface_own6(ifc, a) > 0;
}

/*
 * A packet for one of our addresses, of kind x->kind: names its firewall service and
 * writes its classification key (when the service has rules) and its blocklist key
 * (when the list is not empty: all services but media, whose relay checks sources).
 */
static inline void
dp_rx_service(struct dp_lcore *lc, const struct dp_iface *ifc, const uint8_t *frame,
		struct dp_rx_pkt *x, const uint8_t *src, bool blocks, uint16_t *n_key,
		uint16_t *n_blk, uint16_t *blk)
{
	const struct dp_fw_rules *fw = lc->fw;
	struct dp_flows *fl = &lc->dp->flows;
	uint16_t dport = 0;
	uint8_t svc;

	if (x->kind == DP_RX_FRAG) {
		svc = DP_FW_SVC_NONE; /* judged once reassembled (dp_sip.c) */
	} else {
		svc = dp_fw_service(fw, x->p.l4, frame + x->p.l4_off, ifc->sip_port,
				fl->slot[ifc->idx] != NULL, &dport);
		if (unlikely(x->kind == DP_RX_ICMP)) {
			/* Echo to a multicast group is not ours to answer: no verdict. */
			if (x->v6 && frame[x->p.l3_off + offsetof(struct rte_ipv6_hdr, dst_addr)] ==
						     0xff)
				svc = DP_FW_SVC_NONE;
			/* An error about a host service's TCP (path MTU): the kernel's, if allowed. */
			else if (svc == DP_FW_SVC_NONE &&
					dp_fw_icmp_for_host(fw, x->v6, frame + x->p.l4_off, x->p.l4_len,
							x->v6 ? own6 : own4, ifc)) {
				svc = SBC_FW_ICMP;
				x->kind = DP_RX_TO_HOST;
			}
		}
		x->svc = svc;
	}
	if (svc == SBC_FW_MEDIA) {
		x->flow = &fl->slot[ifc->idx][rte_be_to_cpu_16(dport) - fl->port_min];
		dp_flow_prefetch(x->flow);
	} else if (blocks && (svc != DP_FW_SVC_NONE || x->kind == DP_RX_FRAG)) {
		/* Fragments reassemble only into SIP datagrams. */
		lc->block_svc[*n_blk] = DP_BLOCK_SVC(svc == DP_FW_SVC_NONE ? SBC_FW_SIP : svc);
		dp_src_key_make(&lc->block_keys[*n_blk], x->v6, src);
		blk[(*n_blk)++] = (uint16_t)(x - lc->rx);
	}
	if (svc == DP_FW_SVC_NONE || !fw->classify[svc])
		return;
	x->key = n_key[x->v6]++;
	if (x->v6) {
		struct dp_fw_key6 *k = &lc->key6[x->key];

		k->svc = svc;
		memcpy(k->src, src, 16);
		k->dport = dport;
		k->ifidx = rte_cpu_to_be_16(ifc->idx);
		lc->key_ptrs[1][x->key] = (const uint8_t *)k;
	} else {
		struct dp_fw_key4 *k = &lc->key4[x->key];

		k->svc = svc;
		memcpy(k->src, src, 4);
		k->dport = dport;
		k->ifidx = rte_cpu_to_be_16(ifc->idx);
		lc->key_ptrs[0][x->key] = (const uint8_t *)k;
	}
}

/* IPv4: for us, not spoofed; fragments go to reassembly. */
static inline enum sbc_drop
dp_ip4_look(const struct dp_iface *ifc, const uint8_t *frame, struct dp_rx_pkt *x)
{
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(frame + x->p.l3_off);
	const uint8_t *dst = (const uint8_t *)&ip->dst_addr;
	const uint8_t *src = (const uint8_t *)&ip->src_addr;

	if (unlikely(dp_iface_own4(ifc, dst) < 0))
		return dst[0] >= 224 || dp_iface_bcast4(ifc, dst) ? SBC_DROP_L3_MULTICAST :
								     SBC_DROP_NOT_LOCAL;
	/* Our own address or a subnet broadcast as source: spoofed, never answered. */
	if (unlikely(dp_iface_own4(ifc, src) >= 0 || dp_iface_bcast4(ifc, src)))
		return SBC_DROP_IP4_BAD_SRC;
	if (unlikely(x->p.l2_flags & DP_IP4_FRAG)) {
		x->kind = DP_RX_FRAG;
		return SBC_DROP_NONE;
	}
	switch (x->p.l4) {
	case IPPROTO_UDP:
		x->kind = DP_RX_UDP;
		return SBC_DROP_NONE;
	case IPPROTO_TCP:
		x->kind = DP_RX_TCP;
		return SBC_DROP_NONE;
	case IPPROTO_ICMP:
		x->kind = DP_RX_ICMP;
		return SBC_DROP_NONE;
	default:
		return SBC_DROP_NO_SERVICE;
	}
}

/* IPv6: for us (or neighbour discovery to our groups), not spoofed. */
static inline enum sbc_drop
dp_ip6_look(const struct dp_iface *ifc, const uint8_t *frame, struct dp_rx_pkt *x)
{
	static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 1 };
	static const uint8_t unspec[16];
	const struct rte_ipv6_hdr *ip = (const struct rte_ipv6_hdr *)(frame + x->p.l3_off);
	uint8_t l4 = x->p.l4;
	int own;

	if (unlikely(ifc->n6 == 0))
		return SBC_DROP_NOT_LOCAL;
	own = dp_iface_own6(ifc, ip->dst_addr);
	/* UDP and TCP to a global address of ours: the common case first. */
	if ((l4 == IPPROTO_UDP || l4 == IPPROTO_TCP) && own > 0) {
		if (dp_iface_own6(ifc, ip->src_addr) >= 0)
			return SBC_DROP_IP6_BAD_SRC;
		x->kind = l4 == IPPROTO_UDP ? DP_RX_UDP : DP_RX_TCP;
		return SBC_DROP_NONE;
	}
	/*
	 * Our own address as source is spoofed; the unspecified address is the source of a
	 * duplicate address detection NS only (RFC 4291 2.5.2).
	 */
	if (unlikely(dp_iface_own6(ifc, ip->src_addr) >= 0 ||
			    (memcmp(ip->src_addr, unspec, 16) == 0 &&
					    !(l4 == IPPROTO_ICMPV6 && frame[x->p.l4_off] == 135))))
		return SBC_DROP_IP6_BAD_SRC;
	if (own < 0) {
		if (ip->dst_addr[0] != 0xff)
			return SBC_DROP_NOT_LOCAL;
		/* Multicast: only neighbour discovery to our groups is for us. */
		if (l4 != IPPROTO_ICMPV6 || !(dp_iface_solicited6(ifc, ip->dst_addr) ||
						     memcmp(ip->dst_addr, all_nodes, 16) == 0))
			return SBC_DROP_L3_MULTICAST;
	} else if (l4 != IPPROTO_ICMPV6) {
		return SBC_DROP_NO_SERVICE;
	}
	x->kind = DP_RX_ICMP;
	return SBC_DROP_NONE;
}

/* Stage 1 for one packet: fills x (kind DP_RX_DROP with a reason, or what to do). */
static inline void
dp_rx_look(struct dp_lcore *lc, const struct dp_iface *ifc, struct rte_mbuf *m, unsigned int hints,
		struct dp_rx_pkt *x, bool blocks, uint16_t *n_key, uint16_t *n_blk, uint16_t *blk)
{
	const uint8_t *frame = rte_pktmbuf_mtod(m, const uint8_t *);
	const uint8_t *src;
	enum sbc_drop why;

	x->kind = DP_RX_DROP;
	x->svc = DP_FW_SVC_NONE;
	x->blocked = 0;
	x->flow = NULL;
	if (unlikely(m->nb_segs != 1)) {
		why = SBC_DROP_L2_SEGMENTED;
		goto drop;
	}
	if ((m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK) != RTE_MBUF_F_RX_IP_CKSUM_GOOD)
		hints &= ~(unsigned int)DP_HINT_IP4_CKSUM_GOOD;
	why = dp_parse(frame, rte_pktmbuf_data_len(m), hints, &x->p);
	if (unlikely(why != SBC_DROP_NONE))
		goto drop;
	why = dp_l2_accept(ifc, frame, &x->p);
	if (unlikely(why != SBC_DROP_NONE))
		goto drop;
	switch (x->p.l3) {
	case DP_L3_IPV4:
		x->v6 = 0;
		why = dp_ip4_look(ifc, frame, x);
		src = frame + x->p.l3_off + offsetof(struct rte_ipv4_hdr, src_addr);
		break;
	case DP_L3_IPV6:
		x->v6 = 1;
		why = dp_ip6_look(ifc, frame, x);
		src = frame + x->p.l3_off + offsetof(struct rte_ipv6_hdr, src_addr);
		break;
	case DP_L3_ARP:
		x->kind = DP_RX_ARP;
		return;
	default:
		why = SBC_DROP_ETHERTYPE_UNKNOWN;
		goto drop;
	}
	if (likely(why == SBC_DROP_NONE)) {
		dp_rx_service(lc, ifc, frame, x, src, blocks, n_key, n_blk, blk);
		return;
	}
drop:
	x->kind = DP_RX_DROP;
	x->why = (uint16_t)why;
}

/* ---- stage 2: the blocklist and the rule sets, a burst at a time ---------------------- */

/*
 * Stage 2: the blocklist lookups (in chunks of the hash's bulk size), then one
 * classification per family.
 */
static inline void
dp_rx_filter(struct dp_lcore *lc, const uint16_t *n_key, uint16_t n_blk, const uint16_t *blk)
{
	int32_t pos[RTE_HASH_LOOKUP_BULK_MAX];
	const void *keys[RTE_HASH_LOOKUP_BULK_MAX];
	uint16_t i, j, n;

	for (i = 0; i < n_blk; i += n) {
		n = (uint16_t)RTE_MIN(n_blk - i, RTE_HASH_LOOKUP_BULK_MAX);
		for (j = 0; j < n; j++)
			keys[j] = &lc->block_keys[i + j];
		if (dp_blocks_lookup(&lc->dp->blocks, keys, lc->block_svc + i, n, pos) != 0)
			continue;
		for (j = 0; j < n; j++)
			if (pos[j] >= 0)
				lc->rx[blk[i + j]].blocked = 1;
	}
	dp_fw_classify(lc->fw, 0, lc->key_ptrs[0], lc->res[0], n_key[0]);
	dp_fw_classify(lc->fw, 1, lc->key_ptrs[1], lc->res[1], n_key[1]);
}

/* ---- stage 3: the verdict and the handlers -------------------------------------------- */

/* Host service traffic the firewall allowed: to the kernel, without its L2 header. */
static inline enum sbc_drop
dp_host_out(struct dp_lcore *lc, const struct dp_iface *ifc, struct rte_mbuf *m,
		const struct dp_pkt *p)
{
	const struct dp_host *host = &lc->dp->host;

	if (unlikely(!host->on))
		return SBC_DROP_HOST_NO_PATH;
	rte_pktmbuf_adj(m, p->l3_off);
	if (rte_pktmbuf_data_len(m) > p->l3_len)
		rte_pktmbuf_trim(m, (uint16_t)(rte_pktmbuf_data_len(m) - p->l3_len));
	count_ev(lc, ifc, SBC_EV_HOST_IN);
	rte_eth_tx_buffer(host->port_id, lc->txq, lc->host_txb, m);
	return SBC_DROP_NONE;
}

/* UDP the firewall let through: SIP to its signalling lcore, media to the relay. */
static inline enum sbc_drop
dp_udp_input(struct dp_lcore *lc, const struct dp_iface *ifc, struct rte_mbuf *m,
		const uint8_t *frame, const struct dp_rx_pkt *x)
{
	const struct rte_udp_hdr *udp = (const struct rte_udp_hdr *)(frame + x->p.l4_off);

	if (x->svc == SBC_FW_SIP) {
		struct dp_sip_at at = {
			.v6 = x->v6,
			.l3 = frame + x->p.l3_off,
			.udp = udp,
			.payload = (const uint8_t *)(udp + 1),
			.len = rte_be_to_cpu_16(udp->dgram_len) - (uint32_t)sizeof(*udp),
			.payload_off = (uint16_t)(x->p.l4_off + sizeof(*udp)),
		};

		return dp_sip_admit(lc, ifc, m, &at);
	}
	if (x->svc == SBC_FW_MEDIA)
		return dp_relay_input(lc, ifc, m, frame, &x->p, x->v6, x->flow);
	return SBC_DROP_NO_SERVICE;
}

/* ICMP or ICMPv6 for us: echo, neighbour discovery. */
static inline enum sbc_drop
dp_icmp_input(struct dp_lcore *lc, const struct dp_iface *ifc, struct rte_mbuf *m, uint8_t *frame,
		const struct dp_rx_pkt *x)
{
	struct dp_proto_res res;
	enum sbc_drop why;

	if (x->v6)
		why = dp_icmp6_input(ifc, frame, &x->p,
				(size_t)rte_pktmbuf_data_len(m) - x->p.l3_off + rte_pktmbuf_tailroom(m),
				&res);
	else
		why = dp_icmp4_input(ifc, frame, &x->p, &res);
	if (why != SBC_DROP_NONE)
		return why;
	return dp_proto_done(lc, ifc, m, &x->p, &res);
}

/* Stage 3 for one packet: the firewall's verdict, then its handler. */
static inline void
dp_rx_act(struct dp_lcore *lc, const struct dp_iface *ifc, struct rte_mbuf *m,
		const struct dp_rx_pkt *x)
{
	uint8_t *frame = rte_pktmbuf_mtod(m, uint8_t *);
	enum sbc_drop why = (enum sbc_drop)x->why;

	if (unlikely(x->kind == DP_RX_DROP))
		goto drop;
	if (x->svc != DP_FW_SVC_NONE) {
		unsigned int v = SBC_FW_V_BLOCKED;

		if (likely(!x->blocked))
			v = dp_fw_decide(lc->fw, lc->idx, x->svc,
					lc->fw->classify[x->svc] ? lc->res[x->v6][x->key] : 0, lc->now);
		sbc_cnt_add(&lc->st->fw.svc[x->svc][v], 1);
		if (unlikely(v != SBC_FW_V_ALLOWED)) {
			why = dp_fw_verdict_drop(v);
			goto drop;
		}
	} else if (unlikely(x->blocked)) {
		why = SBC_DROP_FW_BLOCKED; /* a fragment */
		goto drop;
	}
	switch (x->kind) {
	case DP_RX_UDP:
		why = dp_udp_input(lc, ifc, m, frame, x);
		break;
	case DP_RX_TCP:
		why = SBC_FW_IS_HOST(x->svc) ? dp_host_out(lc, ifc, m, &x->p) : SBC_DROP_NO_SERVICE;
		break;
	case DP_RX_TO_HOST:
		why = dp_host_out(lc, ifc, m, &x->p);
		break;
	case DP_RX_ICMP:
		why = dp_icmp_input(lc, ifc, m, frame, x);
		break;
	case DP_RX_FRAG:
		why = dp_reasm_input(lc, ifc, m, &x->p);
		break;
	case DP_RX_ARP: {
		struct dp_proto_res res;

		why = dp_arp_input(ifc, frame + x->p.l3_off, &res);
		if (why == SBC_DROP_NONE)
			why = dp_proto_done(lc, ifc, m, &x->p, &res);
		break;
	}
	default:
		why = SBC_DROP_NO_SERVICE;
		break;
	}
	if (likely(why == SBC_DROP_NONE))
		return;
drop:
	sbc_cnt_add(&lc->st->port[ifc->idx].drops[why], 1);
	dp_free_later(lc, m);
}

/* ---- the burst ----------------------------------------------------------------------- */

/*
 * Prefetch distances. Stage 1 fetches each packet's mbuf header two steps before its
 * data (the header says where the data is) and its data before parsing it; a media
 * packet's relay slot is fetched as stage 1 meets it, and its rule (the slot points to
 * it) in stage 3, a few packets ahead. With many active calls slots and rules are cold
 * (a relay visits a flow once every 20 ms); fetched when needed they would cost a memory
 * latency each, one after the other.
 */
#define DP_AHEAD_MBUF 16 /* packets ahead: the mbuf header */
#define DP_AHEAD_DATA 10 /* the packet data (needs the mbuf header) */
#define DP_AHEAD_RULE 4 /* stage 3: the relay rule (needs the slot) */

/* Not inlined, so that a profiler can count it (tools/bench-call-instructions). */
static __rte_noinline void
dp_rx_burst(struct dp_lcore *lc, const struct dp_iface *ifc, struct rte_mbuf **pkts, uint16_t n,
		unsigned int hints)
{
	struct sbc_port_stats *ps = &lc->st->port[ifc->idx];
	uint16_t n_key[DP_FW_FAMILIES] = { 0, 0 }, n_blk = 0, blk[DP_MAX_BURST];
	bool blocks = dp_blocks_count(&lc->dp->blocks) != 0;
	uint64_t bytes = 0;
	int k;

	lc->now = rte_rdtsc();
	lc->fw = __atomic_load_n(&lc->dp->fw, __ATOMIC_ACQUIRE);
	for (k = 0; k < RTE_MIN(n, DP_AHEAD_MBUF); k++)
		rte_prefetch0(pkts[k]);
	for (k = 0; k < RTE_MIN(n, DP_AHEAD_DATA); k++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[k], void *));
	for (k = 0; k < n; k++) {
		if (k + DP_AHEAD_MBUF < n)
			rte_prefetch0(pkts[k + DP_AHEAD_MBUF]);
		if (k + DP_AHEAD_DATA < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[k + DP_AHEAD_DATA], void *));
		bytes += rte_pktmbuf_pkt_len(pkts[k]);
		dp_rx_look(lc, ifc, pkts[k], hints, &lc->rx[k], blocks, n_key, &n_blk, blk);
	}
	dp_rx_filter(lc, n_key, n_blk, blk);
	for (k = 0; k < RTE_MIN(n, DP_AHEAD_RULE); k++)
		if (lc->rx[k].flow != NULL)
			dp_flow_prefetch_rule(lc->rx[k].flow);
	for (k = 0; k < n; k++) {
		if (k + DP_AHEAD_RULE < n && lc->rx[k + DP_AHEAD_RULE].flow != NULL)
			dp_flow_prefetch_rule(lc->rx[k + DP_AHEAD_RULE].flow);
		dp_rx_act(lc, ifc, pkts[k], &lc->rx[k]);
	}
	sbc_cnt_add(&ps->rx_pkts, n);
	sbc_cnt_add(&ps->rx_bytes, bytes);
	dp_free_flush(lc);
}

/* ---- the host exception port: what the kernel sends ----------------------------------- */

/*
 * A packet from the kernel (an L3 packet, no L2 header): it must come from one of our
 * addresses, and leaves by the port that owns that address, to the destination on that
 * port's link or to its gateway.
 */
static inline enum sbc_drop
dp_host_input(struct dp_lcore *lc, struct rte_mbuf *m)
{
	const struct dp *dp = lc->dp;
	const uint8_t *l3 = rte_pktmbuf_mtod(m, const uint8_t *);
	const struct dp_iface *out = NULL;
	const uint8_t *src, *dst, *nh;
	struct dp_pkt p;
	enum sbc_drop why;
	unsigned int i;
	int v6;

	if (unlikely(m->nb_segs != 1 || rte_pktmbuf_data_len(m) < 1))
		return SBC_DROP_L2_SEGMENTED;
	memset(&p, 0, sizeof(p));
	v6 = (l3[0] >> 4) == 6;
	why = v6 ? dp_parse_ip6(l3, rte_pktmbuf_data_len(m), &p) :
		   dp_parse_ip4(l3, rte_pktmbuf_data_len(m), 0, &p);
	if (why != SBC_DROP_NONE)
		return why;
	src = v6 ? ((const struct rte_ipv6_hdr *)l3)->src_addr :
		   (const uint8_t *)&((const struct rte_ipv4_hdr *)l3)->src_addr;
	dst = v6 ? ((const struct rte_ipv6_hdr *)l3)->dst_addr :
		   (const uint8_t *)&((const struct rte_ipv4_hdr *)l3)->dst_addr;
	for (i = 0; i < dp->n_ifaces && out == NULL; i++)
		if (v6 ? dp_iface_own6(&dp->ifaces[i], src) > 0 : dp_iface_own4(&dp->ifaces[i], src) >= 0)
			out = &dp->ifaces[i];
	if (out == NULL)
		return SBC_DROP_HOST_BAD_SRC;
	nh = dp_iface_nexthop(out, v6, dst);
	if (nh == NULL)
		return SBC_DROP_NO_ROUTE;
	why = dp_nh_output(lc, out, m, 0, p.l3_len, v6, nh, NULL);
	if (why == SBC_DROP_NONE)
		count_ev(lc, out, SBC_EV_HOST_OUT);
	return why;
}

/* A burst from the host exception port: each packet out, or counted and freed. */
static inline void
dp_host_rx_burst(struct dp_lcore *lc, struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t k;

	lc->now = rte_rdtsc();
	sbc_cnt_add(&lc->st->fw.host_rx, n);
	for (k = 0; k < n; k++) {
		enum sbc_drop why = dp_host_input(lc, pkts[k]);

		if (why != SBC_DROP_NONE) {
			sbc_cnt_add(&lc->st->fw.host_drops[why], 1);
			dp_free_later(lc, pkts[k]);
		}
	}
	dp_free_flush(lc);
}

/* Sends what the TX buffers of every port (and of the exception port) hold. */
static inline void
dp_tx_flush(struct dp_lcore *lc)
{
	unsigned int i;

	for (i = 0; i < lc->dp->n_ifaces; i++)
		if (lc->txb[i]->length != 0)
			rte_eth_tx_buffer_flush(lc->dp->ifaces[i].port_id, lc->txq, lc->txb[i]);
	if (lc->host_txb != NULL && lc->host_txb->length != 0)
		rte_eth_tx_buffer_flush(lc->dp->host.port_id, lc->txq, lc->host_txb);
}

int
dp_lcore_main(void *arg)
{
	struct dp_lcore *lc = arg;
	struct dp *dp = lc->dp;
	const struct sbc_dp_cfg *cfg = &dp->cfg->dp;
	struct rte_mbuf *pkts[DP_MAX_BURST];
	struct sbc_idle idle;
	uint16_t burst = (uint16_t)RTE_MIN(cfg->burst, DP_MAX_BURST);

	rte_rcu_qsbr_thread_register(dp->qsbr, lc->lcore_id);
	rte_rcu_qsbr_thread_online(dp->qsbr, lc->lcore_id);
	sbc_idle_init(&idle, cfg->idle_sleep, cfg->idle_polls, cfg->idle_max_us);
	lc->last_drain = idle.t_prev;

	while (!sbc_quit_requested()) {
		bool busy = false;
		unsigned int q;

		for (q = 0; q < lc->n_rxq; q++) {
			const struct dp_rxq *rq = &lc->rxq[q];
			uint16_t n = rte_eth_rx_burst(rq->port_id, rq->queue, pkts, burst);

			if (n == 0)
				continue;
			busy = true;
			if (unlikely(rq->ifidx == DP_HOST_IFIDX))
				dp_host_rx_burst(lc, pkts, n);
			else
				dp_rx_burst(lc, &dp->ifaces[rq->ifidx], pkts, n,
						dp->rx_hints[rq->ifidx]);
		}
		/* Nothing new came in, or the drain period passed: send what is buffered. */
		if (!busy || idle.t_prev - lc->last_drain >= lc->drain_tsc) {
			dp_tx_flush(lc);
			dp_reasm_maintain(lc, idle.t_prev);
			lc->last_drain = idle.t_prev;
		}
		rte_rcu_qsbr_quiescent(dp->qsbr, lc->lcore_id);
		sbc_idle_account(&idle, lc->st, busy);
	}
	dp_tx_flush(lc);
	rte_rcu_qsbr_thread_offline(dp->qsbr, lc->lcore_id);
	rte_rcu_qsbr_thread_unregister(dp->qsbr, lc->lcore_id);
	return 0;
}
