/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_sip.c - SIP datagrams to their signalling lcore, and IPv4 reassembly (dp_sip.h).
 * Runs on the dataplane lcores; each touches only its own reassembly table.
 */
#include <rte_cycles.h>
#include <rte_malloc.h>

#include "dp_sip.h"
#include "sbc_hash.h"
#include "sip_shard.h"

int
dp_reasm_init(struct dp_lcore *lc, int socket)
{
	uint64_t cycles = rte_get_tsc_hz() / 1000 * DP_REASM_MS;

	lc->frag_tbl = rte_ip_frag_table_create(DP_REASM_FLOWS / 4, 4, DP_REASM_FLOWS, cycles,
			socket);
	lc->scratch = rte_malloc_socket("sbc_dp_scratch", DP_SCRATCH, 0, socket);
	memset(&lc->frag_dr, 0, sizeof(lc->frag_dr));
	return lc->frag_tbl != NULL && lc->scratch != NULL ? 0 : -ENOMEM;
}

void
dp_reasm_fini(struct dp_lcore *lc)
{
	rte_ip_frag_free_death_row(&lc->frag_dr, 0);
	if (lc->frag_tbl != NULL)
		rte_ip_frag_table_destroy(lc->frag_tbl);
	rte_free(lc->scratch);
	lc->frag_tbl = NULL;
	lc->scratch = NULL;
}

unsigned int
dp_sip_shard(const struct dp *dp, const uint8_t *payload, uint32_t len, const struct sip_peek *pk)
{
	const char *p = (const char *)payload;
	struct sip_str id = { p + pk->call_id_off, pk->call_id_len };
	int s;

	if (dp->n_sig <= 1)
		return 0;
	if (pk->kind == SIP_PEEK_RESPONSE && pk->branch_len != 0) {
		s = sip_shard_from_id((struct sip_str){ p + pk->branch_off, pk->branch_len },
				SIP_BRANCH_PREFIX);
		if (s >= 0 && (unsigned int)s < dp->n_sig)
			return (unsigned int)s;
	}
	if (id.len == 0) /* no Call-ID: the same malformed request meets the same lcore */
		id = (struct sip_str){ p, len > 256 ? 256 : len };
	s = sip_shard_from_id(id, SIP_ID_PREFIX);
	if (s >= 0 && (unsigned int)s < dp->n_sig)
		return (unsigned int)s;
	return (unsigned int)(sbc_siphash13(&dp->shard_key, id.s, id.len) % dp->n_sig);
}

/* Queues m to its signalling lcore with what the first-line check found (pk). */
static enum sbc_drop
dp_sip_queue(struct dp_lcore *lc, const struct dp_iface *ifc, struct rte_mbuf *m,
		const struct dp_sip_at *at, const struct sip_peek *pk)
{
	struct dp *dp = lc->dp;
	struct sbc_sip_dgram d;

	if (unlikely(dp->n_sig == 0))
		return SBC_DROP_NO_SERVICE;
	d.mbuf = m;
	memset(d.src_ip, 0, sizeof(d.src_ip) + sizeof(d.dst_ip));
	if (at->v6) {
		const struct rte_ipv6_hdr *ip = (const struct rte_ipv6_hdr *)at->l3;

		memcpy(d.src_ip, ip->src_addr, 16);
		memcpy(d.dst_ip, ip->dst_addr, 16);
	} else {
		const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)at->l3;

		memcpy(d.src_ip, &ip->src_addr, 4);
		memcpy(d.dst_ip, &ip->dst_addr, 4);
	}
	d.src_port = rte_be_to_cpu_16(at->udp->src_port);
	d.dst_port = rte_be_to_cpu_16(at->udp->dst_port);
	d.payload_off = at->payload_off;
	d.payload_len = (uint16_t)at->len;
	d.call_id_off = pk->call_id_off;
	d.call_id_len = pk->call_id_len;
	d.branch_off = pk->branch_off;
	d.branch_len = pk->branch_len;
	d.ifidx = (uint8_t)ifc->idx;
	d.v6 = (uint8_t)at->v6;
	d.kind = pk->kind;
	d.flags = (uint8_t)((pk->invite ? SBC_SIP_DGRAM_F_INVITE : 0) |
			(pk->to_tag ? SBC_SIP_DGRAM_F_TO_TAG : 0));
	if (unlikely(rte_ring_mp_enqueue_elem(dp->sip_ring[dp_sip_shard(dp, at->payload, at->len,
							      pk)],
				     &d, sizeof(d)) != 0))
		return SBC_DROP_SIP_QUEUE_FULL;
	return SBC_DROP_NONE;
}

/*
 * Posts an offence of the source at src to the firewall control thread, counting it.
 * Returns 0, or -1 when the queue was full (the report is lost).
 */
static int
report(struct dp_lcore *lc, const struct dp_iface *ifc, int v6, const uint8_t *src,
		enum sbc_fw_offence off)
{
	return dp_blocks_report_counted(&lc->dp->blocks, &lc->st->port[ifc->idx], v6, src, off,
			ifc->idx);
}

/*
 * A STUN message (RFC 5389: two zero bits, then the magic cookie at octet 4): the
 * keep-alive of SIP outbound (RFC 5626 4.4.2), sent by well-behaved clients behind NAT.
 */
static bool
is_stun(const uint8_t *p, uint32_t len)
{
	return len >= 20 && (p[0] & 0xc0) == 0 && p[4] == 0x21 && p[5] == 0x12 && p[6] == 0xa4 &&
			p[7] == 0x42;
}

enum sbc_drop
dp_sip_admit(struct dp_lcore *lc, const struct dp_iface *ifc, struct rte_mbuf *m,
		const struct dp_sip_at *at)
{
	const struct dp_fw_flood *fl = &lc->fw->flood;
	const uint8_t *src = at->v6 ? ((const struct rte_ipv6_hdr *)at->l3)->src_addr :
				      (const uint8_t *)&((const struct rte_ipv4_hdr *)at->l3)->src_addr;
	int v6 = at->v6;
	struct sip_peek pk;

	sip_peek((const char *)at->payload, at->len, &fl->scanners, &pk);
	if (fl->enabled && !dp_fw_exempt(fl, v6, src)) {
		struct dp_limit_ent *rep = NULL;
		struct dp_src_key k;
		enum dp_limit_verdict v;

		dp_src_key_make(&k, v6, src);
		v = dp_limit_sip(&lc->limit, &fl->lp, &k,
				pk.kind == SIP_PEEK_REQUEST && pk.invite && !pk.to_tag, lc->now, &rep);
		if (unlikely(v != DP_LIMIT_OK)) {
			if (rep != NULL && report(lc, ifc, v6, src, v == DP_LIMIT_SIP ?
							SBC_FW_OFF_SIP_FLOOD :
							SBC_FW_OFF_CALL_FLOOD) == 0)
				dp_limit_report_posted(rep);
			return v == DP_LIMIT_SIP ? SBC_DROP_SIP_FLOOD : SBC_DROP_CALL_FLOOD;
		}
	}
	if (unlikely(pk.kind == SIP_PEEK_NO_START_LINE)) {
		if (is_stun(at->payload, at->len))
			return SBC_DROP_SIP_STUN; /* not junk: not reported */
		report(lc, ifc, v6, src, SBC_FW_OFF_MALFORMED);
		return SBC_DROP_SIP_NO_START_LINE;
	}
	if (unlikely(pk.scanner)) {
		report(lc, ifc, v6, src, SBC_FW_OFF_SCANNER);
		return SBC_DROP_SIP_SCANNER;
	}
	return dp_sip_queue(lc, ifc, m, at, &pk);
}

/*
 * The firewall's verdict on a reassembled SIP datagram (its fragments were checked
 * against the blocklist one by one): classified alone, counted like any packet.
 */
static enum sbc_drop
judge_reassembled(struct dp_lcore *lc, const struct dp_iface *ifc, const uint8_t *src,
		uint16_t dport)
{
	const struct dp_fw_rules *fw = lc->fw;
	struct dp_fw_key4 key = { .svc = SBC_FW_SIP, .dport = dport,
		.ifidx = rte_cpu_to_be_16(ifc->idx) };
	const uint8_t *key_ptr = (const uint8_t *)&key;
	uint32_t res = 0;
	unsigned int v;

	memcpy(key.src, src, 4);
	if (fw->classify[SBC_FW_SIP])
		dp_fw_classify(fw, 0, &key_ptr, &res, 1);
	v = dp_fw_decide(fw, lc->idx, SBC_FW_SIP, res, lc->now);
	sbc_cnt_add(&lc->st->fw.svc[SBC_FW_SIP][v], 1);
	return dp_fw_verdict_drop(v);
}

/* A reassembled datagram (a chain): SIP goes on, anything else has no local service. */
static enum sbc_drop
reassembled(struct dp_lcore *lc, const struct dp_iface *ifc, struct rte_mbuf *m)
{
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, m->l2_len);
	const struct rte_udp_hdr *udp;
	uint32_t ulen, total = rte_pktmbuf_pkt_len(m);
	struct dp_sip_at at;
	enum sbc_drop why;

	/* The library leaves the checksum zero; whoever reads the header next checks it. */
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	sbc_cnt_add(&lc->st->port[ifc->idx].events[SBC_EV_IP4_REASSEMBLED], 1);
	if (ip->next_proto_id != IPPROTO_UDP || total > DP_SCRATCH ||
			total < (uint32_t)m->l2_len + m->l3_len + sizeof(*udp))
		return SBC_DROP_NO_SERVICE;
	/* Headers are in the first segment; the payload spans the chain. */
	udp = rte_pktmbuf_mtod_offset(m, const struct rte_udp_hdr *, m->l2_len + m->l3_len);
	ulen = rte_be_to_cpu_16(udp->dgram_len);
	if (ulen < sizeof(*udp) || ulen > total - m->l2_len - m->l3_len)
		return SBC_DROP_UDP_BAD_LEN;
	if (udp->dst_port != ifc->sip_port || ifc->sip_port == 0)
		return SBC_DROP_NO_SERVICE;
	why = judge_reassembled(lc, ifc, (const uint8_t *)&ip->src_addr, udp->dst_port);
	if (why != SBC_DROP_NONE)
		return why;
	at.v6 = 0;
	at.l3 = (const uint8_t *)ip;
	at.udp = udp;
	at.payload_off = (uint16_t)(m->l2_len + m->l3_len + sizeof(*udp));
	at.len = ulen - (uint32_t)sizeof(*udp);
	at.payload = rte_pktmbuf_read(m, at.payload_off, at.len, lc->scratch);
	return dp_sip_admit(lc, ifc, m, &at);
}

enum sbc_drop
dp_reasm_input(struct dp_lcore *lc, const struct dp_iface *ifc, struct rte_mbuf *m,
		const struct dp_pkt *p)
{
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, p->l3_off);
	struct rte_mbuf *whole;
	enum sbc_drop why;

	/* The library wants exact lengths: no Ethernet padding after the fragment. */
	if (rte_pktmbuf_data_len(m) > p->l3_off + p->l3_len)
		rte_pktmbuf_trim(m, (uint16_t)(rte_pktmbuf_data_len(m) - p->l3_off - p->l3_len));
	m->l2_len = p->l3_off;
	m->l3_len = (uint16_t)(p->l4_off - p->l3_off);
	whole = rte_ipv4_frag_reassemble_packet(lc->frag_tbl, &lc->frag_dr, m, rte_rdtsc(), ip);
	if (whole == NULL)
		return SBC_DROP_NONE; /* held, or on the death row (counted when freed) */
	why = reassembled(lc, ifc, whole);
	if (why != SBC_DROP_NONE) {
		sbc_cnt_add(&lc->st->port[ifc->idx].drops[why], 1);
		rte_pktmbuf_free(whole);
	}
	return SBC_DROP_NONE;
}

void
dp_reasm_maintain(struct dp_lcore *lc, uint64_t now)
{
	if (lc->frag_tbl == NULL)
		return;
	if (now >= lc->frag_purge) {
		rte_ip_frag_table_del_expired_entries(lc->frag_tbl, &lc->frag_dr, now);
		lc->frag_purge = now + rte_get_tsc_hz() / 10;
	}
	if (lc->frag_dr.cnt != 0) {
		uint32_t i;

		/* Fragments the table gave up (expired, overlapping, too many), per port. */
		for (i = 0; i < lc->frag_dr.cnt; i++) {
			int16_t idx = lc->dp->ifidx_of_port[lc->frag_dr.row[i]->port];

			if (idx >= 0)
				sbc_cnt_add(&lc->st->port[idx].drops[SBC_DROP_IP4_REASSEMBLY], 1);
		}
		rte_ip_frag_free_death_row(&lc->frag_dr, 0);
	}
}
