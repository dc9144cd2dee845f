/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_lcore.c - the dataplane lcore: poll, parse, answer, drop, transmit.
 *
 * Read top to bottom: dp_lcore_main() polls each RX queue it owns for a burst,
 * dp_rx_burst() prefetches ahead and hands every packet to dp_rx_one(), which parses
 * L2-L4 and dispatches by protocol (ARP, ICMP, SIP to the signalling rings, media to
 * the relay); each handler either consumes the packet (answered,
 * queued for resolution, or handled) and returns SBC_DROP_NONE, or returns the reason
 * and dp_rx_one() counts and frees it. Replies go to per-port TX buffers, flushed when
 * full, when an iteration finds no new packets, or after tx_drain_us.
 *
 * Concurrency: this lcore writes its own struct dp_lcore and counters and, in the
 * shared neighbour table, only the "used" flag of stale entries (see dp_neigh.h). It
 * transmits only on its own TX queue, reads the interface and neighbour tables
 * lock-free, and reports an RCU quiescent state once per loop (it holds no table
 * reference across iterations). What it learns goes to the control thread through the
 * neighbour ring, and only when it would change the table.
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

static inline void
count_ev(struct dp_lcore *lc, const struct dp_iface *ifc, unsigned int ev)
{
	if (ev < SBC_EV_MAX)
		sbc_cnt_add(&lc->st->port[ifc->idx].events[ev], 1);
}

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

/*
 * A datagram to one of our relay ports: checked against its flow's expected source,
 * counted, rewritten towards the other side of the call and sent (dp_relay.h).
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
	uint16_t l3_len;
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
	if (c->rtp && dp_is_rtp(payload, plen)) {
		if (unlikely(!dp_flow_has_ssrc(f)))
			f->ssrc = dp_rtp_ssrc(payload);
		dp_rtp_update(&f->rtp, payload, lc->now, c->rtp_mult);
	}
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

/* UDP to one of our addresses: SIP, media, or no service. */
static inline enum sbc_drop
dp_udp_input(struct dp_lcore *lc, const struct dp_iface *ifc, struct rte_mbuf *m,
		const uint8_t *frame, const struct dp_pkt *p, int v6)
{
	const struct rte_udp_hdr *udp = (const struct rte_udp_hdr *)(frame + p->l4_off);
	struct dp_flow *f;

	if (udp->dst_port == ifc->sip_port && ifc->sip_port != 0)
		return dp_sip_input(lc, ifc, m, (const uint8_t *)(udp + 1),
				rte_be_to_cpu_16(udp->dgram_len) - (uint32_t)sizeof(*udp));
	f = dp_flow_slot(lc->dp, ifc->idx, rte_be_to_cpu_16(udp->dst_port));
	if (f != NULL)
		return dp_relay_input(lc, ifc, m, frame, p, v6, f);
	return SBC_DROP_NO_SERVICE;
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
		struct dp_neigh_msg msg;

		memset(&msg, 0, sizeof(msg));
		msg.type = DP_NEIGH_MSG_LEARN;
		msg.flags = res->learn;
		msg.v6 = res->v6;
		msg.ifidx = ifc->idx;
		msg.mac = res->mac;
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

static inline enum sbc_drop
dp_ip4_input(struct dp_lcore *lc, const struct dp_iface *ifc, struct rte_mbuf *m, uint8_t *frame,
		const struct dp_pkt *p)
{
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(frame + p->l3_off);
	const uint8_t *dst = (const uint8_t *)&ip->dst_addr;
	const uint8_t *src = (const uint8_t *)&ip->src_addr;
	struct dp_proto_res res;
	enum sbc_drop why;

	if (unlikely(dp_iface_own4(ifc, dst) < 0))
		return dst[0] >= 224 || dp_iface_bcast4(ifc, dst) ? SBC_DROP_L3_MULTICAST :
								     SBC_DROP_NOT_LOCAL;
	/* Our own address or a subnet broadcast as source: spoofed, never answered. */
	if (unlikely(dp_iface_own4(ifc, src) >= 0 || dp_iface_bcast4(ifc, src)))
		return SBC_DROP_IP4_BAD_SRC;
	if (unlikely(p->l2_flags & DP_IP4_FRAG))
		return dp_reasm_input(lc, ifc, m, p);
	if (p->l4 == IPPROTO_UDP)
		return dp_udp_input(lc, ifc, m, frame, p, 0);
	if (p->l4 != IPPROTO_ICMP)
		return SBC_DROP_NO_SERVICE;
	why = dp_icmp4_input(ifc, frame, p, &res);
	if (why != SBC_DROP_NONE)
		return why;
	return dp_proto_done(lc, ifc, m, p, &res);
}

static inline enum sbc_drop
dp_ip6_input(struct dp_lcore *lc, const struct dp_iface *ifc, struct rte_mbuf *m, uint8_t *frame,
		const struct dp_pkt *p)
{
	static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 1 };
	static const uint8_t unspec[16];
	const struct rte_ipv6_hdr *ip = (const struct rte_ipv6_hdr *)(frame + p->l3_off);
	struct dp_proto_res res;
	enum sbc_drop why;
	size_t cap;

	if (unlikely(ifc->n6 == 0))
		return SBC_DROP_NOT_LOCAL;
	if (p->l4 == IPPROTO_UDP && dp_iface_own6(ifc, ip->dst_addr) > 0) {
		if (dp_iface_own6(ifc, ip->src_addr) >= 0)
			return SBC_DROP_IP6_BAD_SRC;
		return dp_udp_input(lc, ifc, m, frame, p, 1);
	}
	/*
	 * Our own address as source is spoofed; the unspecified address is the source of a
	 * duplicate address detection NS only (RFC 4291 2.5.2).
	 */
	if (unlikely(dp_iface_own6(ifc, ip->src_addr) >= 0 ||
			    (memcmp(ip->src_addr, unspec, 16) == 0 &&
					    !(p->l4 == IPPROTO_ICMPV6 && frame[p->l4_off] == 135))))
		return SBC_DROP_IP6_BAD_SRC;
	if (dp_iface_own6(ifc, ip->dst_addr) < 0) {
		if (ip->dst_addr[0] != 0xff)
			return SBC_DROP_NOT_LOCAL;
		/* Multicast: only neighbour discovery to our groups is for us. */
		if (p->l4 != IPPROTO_ICMPV6 || !(dp_iface_solicited6(ifc, ip->dst_addr) ||
							memcmp(ip->dst_addr, all_nodes, 16) == 0))
			return SBC_DROP_L3_MULTICAST;
	} else if (p->l4 != IPPROTO_ICMPV6) {
		return SBC_DROP_NO_SERVICE;
	}
	cap = (size_t)rte_pktmbuf_data_len(m) - p->l3_off + rte_pktmbuf_tailroom(m);
	why = dp_icmp6_input(ifc, frame, p, cap, &res);
	if (why != SBC_DROP_NONE)
		return why;
	return dp_proto_done(lc, ifc, m, p, &res);
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

static inline void
dp_rx_one(struct dp_lcore *lc, const struct dp_iface *ifc, struct rte_mbuf *m, unsigned int hints)
{
	uint8_t *frame = rte_pktmbuf_mtod(m, uint8_t *);
	struct dp_pkt p;
	enum sbc_drop why;

	if (unlikely(m->nb_segs != 1)) {
		why = SBC_DROP_L2_SEGMENTED;
		goto drop;
	}
	if ((m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK) != RTE_MBUF_F_RX_IP_CKSUM_GOOD)
		hints &= ~(unsigned int)DP_HINT_IP4_CKSUM_GOOD;
	why = dp_parse(frame, rte_pktmbuf_data_len(m), hints, &p);
	if (unlikely(why != SBC_DROP_NONE))
		goto drop;
	why = dp_l2_accept(ifc, frame, &p);
	if (unlikely(why != SBC_DROP_NONE))
		goto drop;

	switch (p.l3) {
	case DP_L3_IPV4:
		why = dp_ip4_input(lc, ifc, m, frame, &p);
		break;
	case DP_L3_IPV6:
		why = dp_ip6_input(lc, ifc, m, frame, &p);
		break;
	case DP_L3_ARP: {
		struct dp_proto_res res;

		why = dp_arp_input(ifc, frame + p.l3_off, &res);
		if (why == SBC_DROP_NONE)
			why = dp_proto_done(lc, ifc, m, &p, &res);
		break;
	}
	default:
		why = SBC_DROP_ETHERTYPE_UNKNOWN;
		break;
	}
	if (likely(why == SBC_DROP_NONE))
		return;
drop:
	sbc_cnt_add(&lc->st->port[ifc->idx].drops[why], 1);
	dp_free_later(lc, m);
}

/*
 * The burst loop is a software pipeline: while packet i is handled, what packets
 * further on will need is fetched, each step one stage ahead of the step that needs
 * it, because each locates the next: the mbuf header (it says where the data is), the
 * packet data (its UDP port names the media flow slot), the slot (it points to the
 * flow's rule), the rule. With many active calls slots and rules are cold (a relay
 * visits a flow once every 20 ms); fetched when needed they would cost a memory
 * latency each, one after the other.
 */
#define DP_AHEAD_RULE 4 /* packets ahead: the flow's rule */
#define DP_AHEAD_SLOT 8 /* the flow slot (needs the packet data) */
#define DP_AHEAD_DATA 12 /* the packet data (needs the mbuf header) */
#define DP_AHEAD_MBUF 16 /* the mbuf header */

static inline void
dp_rx_burst(struct dp_lcore *lc, const struct dp_iface *ifc, struct rte_mbuf **pkts, uint16_t n,
		unsigned int hints)
{
	struct sbc_port_stats *ps = &lc->st->port[ifc->idx];
	struct dp_flow *fl[DP_MAX_BURST];
	uint64_t bytes = 0;
	int k, j;

	lc->now = rte_rdtsc();
	for (k = 0; k < n + DP_AHEAD_MBUF; k++) {
		if (k < n)
			rte_prefetch0(pkts[k]);
		j = k - (DP_AHEAD_MBUF - DP_AHEAD_DATA);
		if (j >= 0 && j < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[j], void *));
		j = k - (DP_AHEAD_MBUF - DP_AHEAD_SLOT);
		if (j >= 0 && j < n) {
			fl[j] = dp_flow_peek(&lc->dp->flows, ifc->idx,
					rte_pktmbuf_mtod(pkts[j], uint8_t *), rte_pktmbuf_data_len(pkts[j]));
			if (fl[j] != NULL)
				dp_flow_prefetch(fl[j]);
		}
		j = k - (DP_AHEAD_MBUF - DP_AHEAD_RULE);
		if (j >= 0 && j < n && fl[j] != NULL)
			dp_flow_prefetch_rule(fl[j]);
		j = k - DP_AHEAD_MBUF;
		if (j >= 0) {
			bytes += rte_pktmbuf_pkt_len(pkts[j]);
			dp_rx_one(lc, ifc, pkts[j], hints);
		}
	}
	sbc_cnt_add(&ps->rx_pkts, n);
	sbc_cnt_add(&ps->rx_bytes, bytes);
	if (lc->n_free != 0) {
		rte_pktmbuf_free_bulk(lc->to_free, lc->n_free);
		lc->n_free = 0;
	}
}

static inline void
dp_tx_flush(struct dp_lcore *lc)
{
	unsigned int i;

	for (i = 0; i < lc->dp->n_ifaces; i++)
		if (lc->txb[i]->length != 0)
			rte_eth_tx_buffer_flush(lc->dp->ifaces[i].port_id, lc->txq, lc->txb[i]);
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
			dp_rx_burst(lc, &dp->ifaces[rq->ifidx], pkts, n, dp->rx_hints[rq->ifidx]);
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
