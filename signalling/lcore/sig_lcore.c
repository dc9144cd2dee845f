/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sig_lcore.c - the signalling lcore loop and the message layer's own answers.
 *
 * Each datagram: read it (sig_io), parse it (sip_parse), judge it (sip_validate).
 * A request the message layer refuses is answered there and then (400, 416, 501, 505,
 * 513, statelessly); a bad response or a keep-alive is dropped; an OPTIONS out of any
 * dialog, for the SBC itself, is answered 200. Malformed SIP is reported to the
 * firewall (dp_block.h), which blocks a source that sends it repeatedly. The rest goes
 * to the transaction layer and the B2BUA (b2b_request, b2b_response).
 */
#include <rte_cycles.h>
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>

#include "b2b.h"
#include "sbc_random.h"
#include "sbc_run.h"
#include "sig_lcore.h"
#include "sip_check.h"
#include "sip_hdr.h"
#include "sip_reply.h"
#include "sip_shard.h"
#include "sip_uri.h"

uint64_t
sig_random(struct sig_lcore *sl)
{
	return sbc_rng_u64(&sl->rng);
}

int
sig_lcore_init(struct sig_lcore *sl, struct dp *dp, const struct sbc_config *cfg,
		unsigned int shard, unsigned int lcore_id)
{
	int socket = (int)rte_lcore_to_socket_id(lcore_id);
	unsigned int i;

	memset(sl, 0, sizeof(*sl));
	sl->dp = dp;
	sl->cfg = cfg;
	sl->lcore_id = lcore_id;
	sl->shard = shard;
	sl->txq = (uint16_t)(dp->sig_txq_base + shard);
	sl->ring = dp->sip_ring[shard];
	if (sbc_rng_init(&sl->rng) < 0)
		return -EIO;
	sl->st = sbc_stats_register(lcore_id, SBC_ROLE_SIGNALLING);
	sl->scratch = rte_malloc_socket("sbc_sig_scratch", SIG_BUF, 0, socket);
	sl->out = rte_malloc_socket("sbc_sig_out", SIG_BUF, 0, socket);
	sl->sdp_out = rte_malloc_socket("sbc_sig_sdp", SIG_BUF, 0, socket);
	sl->msg = rte_malloc_socket("sbc_sig_msg", sizeof(*sl->msg), RTE_CACHE_LINE_SIZE, socket);
	sl->msg2 = rte_malloc_socket("sbc_sig_msg", sizeof(*sl->msg2), RTE_CACHE_LINE_SIZE, socket);
	sl->sdp = rte_malloc_socket("sbc_sig_sdp", sizeof(*sl->sdp), RTE_CACHE_LINE_SIZE, socket);
	if (sl->st == NULL || sl->scratch == NULL || sl->out == NULL || sl->sdp_out == NULL ||
			sl->msg == NULL || sl->msg2 == NULL || sl->sdp == NULL ||
			sig_txns_init(&sl->txns, RTE_MAX(cfg->sip.max_transactions / dp->n_sig, 64u),
					socket) < 0 ||
			b2b_init(sl, socket) < 0) {
		sig_lcore_fini(sl);
		return -ENOMEM;
	}
	for (i = 0; i < cfg->sip.n_strip; i++) {
		enum sip_hdr_id id = sip_hdr_lookup(cfg->sip.strip[i], strlen(cfg->sip.strip[i]));

		if (id != SIP_H_OTHER)
			sl->strip_id[id] = true;
	}
	sl->now_ms = rte_rdtsc() / (rte_get_tsc_hz() / 1000);
	sig_wheel_init(&sl->wheel, sl->now_ms, sl);
	return 0;
}

void
sig_lcore_fini(struct sig_lcore *sl)
{
	b2b_fini(sl);
	sig_txns_fini(&sl->txns);
	sig_mem_fini(&sl->mem);
	rte_free(sl->scratch);
	rte_free(sl->out);
	rte_free(sl->sdp_out);
	rte_free(sl->msg);
	rte_free(sl->msg2);
	rte_free(sl->sdp);
	sl->scratch = NULL;
	sl->out = NULL;
	sl->sdp_out = NULL;
	sl->msg = NULL;
	sl->msg2 = NULL;
	sl->sdp = NULL;
}

static void
count_ev(struct sig_lcore *sl, unsigned int ifidx, enum sbc_event ev)
{
	sbc_cnt_add(&sl->st->port[ifidx].events[ev], 1);
}

void
sig_send_msg(struct sig_lcore *sl, const struct sig_addr *local, const struct sig_addr *remote,
		const char *data, uint32_t len)
{
	enum sbc_drop why = sig_send(sl->dp, sl->txq, sl->st, local, remote, data, len);

	if (why == SBC_DROP_NONE)
		count_ev(sl, local->ifidx, SBC_EV_SIP_TX);
	else
		sbc_cnt_add(&sl->st->port[local->ifidx].drops[why], 1);
}

void
sig_reply(struct sig_lcore *sl, unsigned int status, const char *reason, const char *extra)
{
	char tag[48], src[64];
	struct sip_reply r = { .status = status, .reason = reason, .extra = extra };
	int n;

	r.to_tag = (struct sip_str){ tag, (uint32_t)sip_make_id(tag, SIP_ID_PREFIX, sl->shard,
							      sig_random(sl)) };
	r.src_ip = sig_addr_ip_str(&sl->pkt.src, src, sizeof(src));
	r.src_port = sl->pkt.src.port;
	n = sip_make_response(sl->msg, &r, sl->out, SIG_BUF);
	if (n > 0)
		sig_send_msg(sl, &sl->pkt.dst, &sl->pkt.src, sl->out, (uint32_t)n);
	else
		count_ev(sl, sl->pkt.dst.ifidx, SBC_EV_SIP_DISCARDED);
}

/* Is the Request-URI's host one of the SBC's addresses? */
static bool
for_us(struct sig_lcore *sl)
{
	struct sip_uri u;
	uint8_t a[16];
	unsigned int i;

	if (sip_uri_parse(sl->msg->ruri.s, sl->msg->ruri.len, &u, NULL) < 0 || u.host.len == 0)
		return false;
	for (i = 0; i < sl->dp->n_ifaces; i++) {
		const struct dp_iface *ifc = &sl->dp->ifaces[i];

		if (u.host_type == SIP_HOST_IPV4 && sip_ipv4_parse(u.host.s, u.host.len, a) &&
				dp_iface_own4(ifc, a) >= 0)
			return true;
		if (u.host_type == SIP_HOST_IPV6 &&
				sip_ipv6_parse(u.host.s + 1, u.host.len - 2, a) &&
				dp_iface_own6(ifc, a) >= 0)
			return true;
	}
	return false;
}

/*
 * Reports malformed SIP from the datagram's source to the firewall control thread,
 * which blocks the source when it keeps at it (firewall.blocklist.malformed).
 */
static void
report_malformed(struct sig_lcore *sl)
{
	const struct sig_addr *src = &sl->pkt.src;
	unsigned int ifidx = sl->pkt.dst.ifidx;

	if (dp_blocks_report(&sl->dp->blocks, src->v6, src->ip, SBC_FW_OFF_MALFORMED, ifidx) == 0)
		count_ev(sl, ifidx, SBC_EV_FW_REPORTED);
	else
		count_ev(sl, ifidx, SBC_EV_FW_REPORT_LOST);
}

void
sig_handle_datagram(struct sig_lcore *sl)
{
	struct sip_msg *m = sl->msg;
	struct sip_error err;
	struct sip_addr to;
	struct sip_via top;
	unsigned int ifidx = sl->pkt.dst.ifidx;

	count_ev(sl, ifidx, SBC_EV_SIP_RX);
	if (sip_parse(m, sl->pkt.data, sl->pkt.len, SIP_FRAME_DATAGRAM, NULL) < 0) {
		err = m->err;
	} else if (sip_validate(m, &err) == 0) {
		if (m->kind == SIP_KIND_REQUEST && m->method == SIP_M_OPTIONS &&
				!(sip_to(m, &to) == 0 && to.has_tag) && for_us(sl)) {
			count_ev(sl, ifidx, SBC_EV_SIP_OPTIONS);
			sig_reply(sl, 200, "OK", SIG_ALLOW "Accept: application/sdp\r\n"
					     "Supported: 100rel, timer\r\n");
			return;
		}
		if (m->kind == SIP_KIND_RESPONSE)
			b2b_response(sl);
		else if (sip_via_top(m, &top) == 0)
			b2b_request(sl, &top);
		return;
	}
	/*
	 * Refused: a request gets the answer the message layer chose, unless it is an ACK.
	 * A request with broken syntax (400) or no start line is an offence; one that is
	 * well formed but unsupported (416, 501, 505, 513) is not. A refused response
	 * counts whatever the reason (the layer does not tell them apart for responses);
	 * the trunks calls go to are never blocked for it (routes are exempt).
	 */
	if (m->kind == SIP_KIND_REQUEST && err.status != 0 && m->method != SIP_M_ACK) {
		count_ev(sl, ifidx, SBC_EV_SIP_REJECTED);
		sig_reply(sl, err.status, err.reason, err.status == 501 ? SIG_ALLOW : NULL);
		if (err.status == 400)
			report_malformed(sl);
	} else if (m->kind == SIP_KIND_NONE && err.status == 0) {
		count_ev(sl, ifidx, SBC_EV_SIP_DISCARDED); /* keep-alive */
	} else if (m->kind == SIP_KIND_NONE) {
		sbc_cnt_add(&sl->st->port[ifidx].drops[SBC_DROP_SIP_UNPARSEABLE], 1);
		report_malformed(sl);
	} else {
		count_ev(sl, ifidx, SBC_EV_SIP_DISCARDED);
		if (m->kind == SIP_KIND_RESPONSE || err.status == 400)
			report_malformed(sl);
	}
}

bool
sig_lcore_turn(struct sig_lcore *sl, struct rte_mbuf **pkts, unsigned int n, uint64_t now_ms)
{
	uint64_t t0 = rte_rdtsc();
	unsigned int i, fired;

	sl->now_ms = now_ms;
	for (i = 0; i < n; i++) {
		if (sig_pkt_read(sl->dp, pkts[i], sl->scratch, &sl->pkt) == 0)
			sig_handle_datagram(sl);
		rte_pktmbuf_free(pkts[i]);
	}
	fired = sig_wheel_run(&sl->wheel, sl->now_ms);
	if (n > 0 || fired > 0)
		sbc_cnt_add(&sl->st->sig.msg_cycles, rte_rdtsc() - t0);
	b2b_media_reclaim(sl);
	sbc_cnt_add(&sl->st->sig.mem_bytes, sl->mem.bytes - sbc_cnt_read(&sl->st->sig.mem_bytes));
	rte_rcu_qsbr_quiescent(sl->dp->qsbr, sl->lcore_id);
	return n > 0 || fired > 0;
}

int
sig_lcore_main(void *arg)
{
	struct sig_lcore *sl = arg;
	struct rte_rcu_qsbr *qsbr = sl->dp->qsbr;
	struct rte_mbuf *pkts[SIG_BURST];
	struct sbc_idle idle;
	const struct sbc_dp_cfg *dc = &sl->cfg->dp;
	uint64_t ms_tsc = rte_get_tsc_hz() / 1000;

	rte_rcu_qsbr_thread_register(qsbr, sl->lcore_id);
	rte_rcu_qsbr_thread_online(qsbr, sl->lcore_id);
	sbc_idle_init(&idle, dc->idle_sleep, dc->idle_polls, dc->idle_max_us);
	while (!sbc_quit_requested()) {
		unsigned int n = rte_ring_sc_dequeue_burst(sl->ring, (void **)pkts, SIG_BURST, NULL);

		sbc_idle_account(&idle, sl->st, sig_lcore_turn(sl, pkts, n, idle.t_prev / ms_tsc));
	}
	/* Calls in progress end with a BYE on both legs while the ports still work. */
	sl->now_ms = rte_rdtsc() / ms_tsc;
	b2b_end_all(sl);
	rte_rcu_qsbr_thread_offline(qsbr, sl->lcore_id);
	rte_rcu_qsbr_thread_unregister(qsbr, sl->lcore_id);
	return 0;
}
