/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * b2b_media.c - the media side of a call: relay ports, the SDP each leg sees, and the
 * flow rules the dataplane forwards by (b2b.h, dp_flow.h).
 *
 * Every stream (m= line) gets a port pair (RTP even, RTCP next) on each leg's
 * interface. Side X's SDP tells where X receives (and, the relay assumes, sends from:
 * symmetric RTP, RFC 4961); the other side Y is shown our address on Y's interface and
 * the pair we hold there instead. Per stream and component that makes two rules: what
 * reaches our pair on X's interface from X's announced address leaves Y's interface,
 * from our pair there, for Y's announced address; and the reverse.
 *
 * Relay ports: each signalling lcore owns every n-th pair of the configured range on
 * each interface, handed out in a shuffled order from a FIFO, so a port is reused as
 * late as possible and cannot be guessed from the previous call.
 *
 * Concurrency (see dp_flow.h): this lcore is the only writer of its ports' slots. A
 * replaced or withdrawn rule, and a released pair, go to an RCU defer queue; they are
 * freed (the pair's counters reset and the pair made free again) only after every
 * dataplane lcore has reported a quiescent state, so no lcore still reads them.
 */
#include <stdlib.h>

#include <rte_cycles.h>
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>

#include "b2b.h"
#include "dp.h"
#include "dp_rtcp.h"
#include "sdp.h"
#include "sig_lcore.h"
#include "sip_build.h"
#include "sip_hdr.h"
#include "sip_shard.h"
#include "sip_uri.h"

/* What waits for a grace period: a rule to free, or a pair to reset and free again. */
struct media_deferred {
	struct dp_flow_cfg *cfg; /* or NULL */
	uint16_t ifidx;
	uint16_t port;           /* RTP port of a released pair, or 0 */
	uint32_t pad;
};

static void
ports_push(struct b2b_ports *p, uint16_t pair)
{
	p->ring[(p->head + p->count) % p->cap] = pair;
	p->count++;
}

static void
reclaim(void *arg, void *e, unsigned int n)
{
	struct sig_lcore *sl = arg;
	struct media_deferred *d = e;
	unsigned int i;

	for (i = 0; i < n; i++, d++) {
		if (d->cfg != NULL) {
			dp_flow_rule_free(d->cfg, &sl->mem.bytes);
		}
		if (d->port != 0) {
			struct dp_flow *f = dp_flow_slot(sl->dp, d->ifidx, d->port);

			dp_flow_reset(f);
			dp_flow_reset(f + 1);
			ports_push(&sl->ports[d->ifidx],
					(uint16_t)((d->port - sl->dp->flows.port_min) / 2));
		}
	}
}

static void
defer(struct sig_lcore *sl, struct dp_flow_cfg *cfg, uint16_t ifidx, uint16_t port)
{
	struct media_deferred d = { .cfg = cfg, .ifidx = ifidx, .port = port };

	if (cfg == NULL && port == 0)
		return;
	if (rte_rcu_qsbr_dq_enqueue(sl->dq, &d) == 0)
		return;
	/* The queue is full: wait for the readers here (this lcore reports first). */
	sbc_cnt_add(&sl->st->sig.media_dq_full, 1);
	rte_rcu_qsbr_synchronize(sl->dp->qsbr, sl->lcore_id);
	reclaim(sl, &d, 1);
}

int
b2b_media_init(struct sig_lcore *sl, int socket)
{
	const struct dp_flows *fl = &sl->dp->flows;
	struct rte_rcu_qsbr_dq_parameters prm;
	uint32_t pairs = fl->n_ports / 2, i, k;
	char name[32];

	for (i = 0; i < SBC_MAX_PORTS; i++) {
		struct b2b_ports *p = &sl->ports[i];

		if (fl->slot[i] == NULL)
			continue;
		p->cap = (pairs + sl->dp->n_sig - 1) / sl->dp->n_sig;
		p->ring = rte_malloc_socket("sbc_ports", sizeof(*p->ring) * p->cap, 0, socket);
		if (p->ring == NULL)
			return -ENOMEM;
		for (k = sl->shard; k < pairs; k += sl->dp->n_sig)
			ports_push(p, (uint16_t)k);
		/* Shuffled (Fisher-Yates): the next port cannot be told from the last. */
		for (k = p->count; k > 1; k--) {
			uint32_t j = (uint32_t)(sig_random(sl) % k);
			uint16_t t = p->ring[k - 1];

			p->ring[k - 1] = p->ring[j];
			p->ring[j] = t;
		}
	}
	memset(&prm, 0, sizeof(prm));
	snprintf(name, sizeof(name), "sbc_mdq%u", sl->shard);
	prm.name = name;
	prm.flags = RTE_RCU_QSBR_DQ_MT_UNSAFE;
	prm.size = 65536;
	prm.esize = sizeof(struct media_deferred);
	prm.trigger_reclaim_limit = 1024;
	prm.max_reclaim_size = 4096;
	prm.free_fn = reclaim;
	prm.p = sl;
	prm.v = sl->dp->qsbr;
	sl->dq = rte_rcu_qsbr_dq_create(&prm);
	return sl->dq != NULL ? 0 : -ENOMEM;
}

void
b2b_media_fini(struct sig_lcore *sl)
{
	unsigned int i;

	/* Every lcore is done: nothing reads the rules any more. */
	if (sl->dq != NULL && rte_rcu_qsbr_dq_delete(sl->dq) == 0)
		sl->dq = NULL;
	for (i = 0; i < SBC_MAX_PORTS; i++) {
		rte_free(sl->ports[i].ring);
		memset(&sl->ports[i], 0, sizeof(sl->ports[i]));
	}
}

void
b2b_media_reclaim(struct sig_lcore *sl)
{
	if (sl->dq != NULL)
		rte_rcu_qsbr_dq_reclaim(sl->dq, 256, NULL, NULL, NULL);
}

/* An RTP port of a free pair on interface ifidx, or 0 (none left). */
static uint16_t
alloc_pair(struct sig_lcore *sl, unsigned int ifidx)
{
	struct b2b_ports *p = &sl->ports[ifidx];
	uint16_t pair;

	if (p->count == 0)
		return 0;
	pair = p->ring[p->head];
	p->head = (p->head + 1) % p->cap;
	p->count--;
	return (uint16_t)(sl->dp->flows.port_min + 2 * pair);
}

/* Installs rule cfg (or withdraws, with NULL) on a slot; the old one is freed later. */
static void
publish(struct sig_lcore *sl, uint16_t ifidx, uint16_t port, struct dp_flow_cfg *cfg)
{
	struct dp_flow *f = dp_flow_slot(sl->dp, ifidx, port);
	struct dp_flow_cfg *old;

	if (f == NULL) {
		dp_flow_rule_free(cfg, &sl->mem.bytes);
		return;
	}
	/* Plain read: this lcore is the slot's only writer. */
	if (cfg != NULL && f->cfg != NULL && dp_flow_rule_same(cfg, f->cfg)) {
		dp_flow_rule_free(cfg, &sl->mem.bytes);
		return;
	}
	old = dp_flow_publish(f, cfg);
	if (old == NULL && cfg != NULL)
		sbc_cnt_add(&sl->st->sig.flows_active, 1);
	else if (old != NULL && cfg == NULL)
		sbc_cnt_add(&sl->st->sig.flows_active, (uint64_t)-1);
	defer(sl, old, 0, 0);
}

/* Our source address on ifc towards dst, and the next hop; false when unreachable. */
static bool
out_path(const struct dp_iface *ifc, int v6, const uint8_t *dst, uint8_t *src, uint8_t *nh)
{
	const uint8_t *s;

	if (v6 ? ifc->n6 < 2 : ifc->n4 == 0)
		return false;
	s = dp_iface_src_for(ifc, v6, dst);
	memcpy(src, s, v6 ? 16 : 4);
	if (dp_iface_onlink(ifc, v6, dst) >= 0)
		memcpy(nh, dst, v6 ? 16 : 4);
	else if (v6 ? ifc->has_gw6 : ifc->has_gw4)
		memcpy(nh, v6 ? ifc->gw6 : ifc->gw4, v6 ? 16 : 4);
	else
		return false;
	return true;
}

/* Whose RTCP CNAMEs an SDP names (sdp_rewrite's cname): the call's. */
struct sdp_cname_arg {
	const struct sbc_hash_key *key;
	uint32_t call;
};

/* The CNAME of an a=ssrc line: the one the relay writes into the RTCP (dp_rtcp.h). */
static size_t
sdp_cname(const void *arg, struct sip_str value, char *out)
{
	const struct sdp_cname_arg *a = arg;

	dp_rtcp_cname(a->key, a->call, (const uint8_t *)value.s,
			(uint8_t)RTE_MIN(value.len, (uint32_t)UINT8_MAX), out);
	return DP_RTCP_CNAME_LEN;
}

/* An SRTP profile: RTP/SAVP, RTP/SAVPF, UDP/TLS/RTP/SAVP, UDP/TLS/RTP/SAVPF. */
static bool
proto_srtp(struct sip_str p)
{
	return (p.len >= 4 && memcmp(p.s + p.len - 4, "SAVP", 4) == 0) ||
			(p.len >= 5 && memcmp(p.s + p.len - 5, "SAVPF", 5) == 0);
}

/* The rule for what side x sends to component comp (0 RTP, 1 RTCP) of stream st. */
static struct dp_flow_cfg *
make_rule(struct sig_lcore *sl, const struct b2b_call *c, const struct b2b_stream *st, int x,
		int comp)
{
	int y = B2B_OTHER(x);
	const struct b2b_peer *px = &st->peer[x], *py = &st->peer[y];
	const struct dp_iface *oif = &sl->dp->ifaces[c->leg[y].local.ifidx];
	struct dp_flow_cfg *r;
	uint32_t clock = st->video ? 90000 : 8000;
	int ycomp;

	r = dp_flow_rule_alloc(&sl->mem.bytes);
	if (r == NULL)
		return NULL;
	r->in_v6 = px->v6;
	memcpy(r->peer_ip, comp ? px->rtcp_ip : px->ip, 16);
	r->peer_port = rte_cpu_to_be_16(comp ? px->rtcp_port : px->port);
	r->nat = sl->dp->ifaces[c->leg[x].local.ifidx].media_nat;
	r->latch_epoch = st->epoch[x];
	r->latch_until = st->latch_until[x];
	r->out_ifidx = (uint8_t)c->leg[y].local.ifidx;
	r->flags = st->rtp && comp == 0 ? DP_FLOW_RTP : 0;
	/* Plain RTCP (on either port: rtcp-mux) is scrubbed; SRTCP passes untouched. */
	if (st->rtp && !(st->srtp[B2B_A] && st->srtp[B2B_B]))
		r->flags |= DP_FLOW_RTCP_SCRUB;
	r->rtp_mult = (uint64_t)(((unsigned __int128)clock << 32) / rte_get_tsc_hz());
	r->call = c->idx;
	if (!py->known || py->hold)
		return r; /* nowhere to send yet: received, counted, dropped */
	/* RTCP goes to y's RTCP port, or its RTP port when y multiplexes. */
	ycomp = comp && !py->rtcp_mux;
	r->out_v6 = py->v6;
	memcpy(r->dst_ip, ycomp ? py->rtcp_ip : py->ip, 16);
	r->dst_port = rte_cpu_to_be_16(ycomp ? py->rtcp_port : py->port);
	r->src_port = rte_cpu_to_be_16((uint16_t)(st->relay[y] + ycomp));
	r->has_dst = out_path(oif, py->v6, r->dst_ip, r->src_ip, r->nh_ip);
	return r;
}

/* (Re)installs the rules of stream i after either side's SDP changed. */
static void
publish_stream(struct sig_lcore *sl, struct b2b_call *c, unsigned int i)
{
	struct b2b_stream *st = &c->stream[i];
	int x, comp;

	for (x = 0; x < 2; x++) {
		if (st->relay[x] == 0)
			continue;
		/*
		 * The latch window opens when what x sends can go somewhere: the stream starts
		 * (at the answer, or with early media), not when the offer was made.
		 */
		if (st->latch_until[x] == 0 && st->peer[B2B_OTHER(x)].known &&
				!st->peer[B2B_OTHER(x)].hold)
			st->latch_until[x] = rte_rdtsc() +
					rte_get_tsc_hz() / 1000 * sl->cfg->media.latch_window_ms;
		for (comp = 0; comp < 2; comp++) {
			struct dp_flow_cfg *r = NULL;

			if (st->peer[x].known && !(comp && st->peer[x].rtcp_mux)) {
				r = make_rule(sl, c, st, x, comp);
				if (r == NULL)
					sbc_cnt_add(&sl->st->sig.no_memory, 1);
			}
			publish(sl, c->leg[x].local.ifidx, (uint16_t)(st->relay[x] + comp), r);
		}
	}
}

void
b2b_media_release(struct sig_lcore *sl, struct b2b_call *c, enum sbc_call_end why)
{
	unsigned int i;
	int x, comp;

	for (i = 0; i < c->n_streams; i++) {
		struct b2b_stream *st = &c->stream[i];

		for (x = 0; x < 2; x++) {
			uint16_t ifidx = c->leg[x].local.ifidx;

			if (st->relay[x] == 0)
				continue;
			for (comp = 0; comp < 2; comp++) {
				struct dp_flow *f = dp_flow_slot(sl->dp, ifidx,
						(uint16_t)(st->relay[x] + comp));

				if (f != NULL && f->cfg != NULL)
					sbc_cnt_add(&sl->st->sig.flows_withdrawn[why], 1);
				publish(sl, ifidx, (uint16_t)(st->relay[x] + comp), NULL);
			}
			defer(sl, NULL, ifidx, st->relay[x]);
			st->relay[x] = 0;
		}
	}
	c->n_streams = 0;
}

uint64_t
b2b_media_last(struct sig_lcore *sl, const struct b2b_call *c)
{
	uint64_t last = 0;
	unsigned int i;
	int x, comp;

	for (i = 0; i < c->n_streams; i++)
		for (x = 0; x < 2; x++) {
			if (c->stream[i].relay[x] == 0)
				continue;
			for (comp = 0; comp < 2; comp++) {
				const struct dp_flow *f = dp_flow_slot(sl->dp, c->leg[x].local.ifidx,
						(uint16_t)(c->stream[i].relay[x] + comp));
				uint64_t t = f ? __atomic_load_n(&f->last_tsc, __ATOMIC_RELAXED) : 0;

				if (t > last)
					last = t;
			}
		}
	return last;
}

/* An SDP connection address into 16 octets; *unspec when 0.0.0.0 or ::. */
static bool
conn_addr(const struct sdp_conn *cn, uint8_t *ip, bool *unspec)
{
	static const uint8_t zero[16];
	struct sip_str a = cn->addr;

	memset(ip, 0, 16);
	if (cn->v6 ? !sip_ipv6_parse(a.s, a.len, ip) : !sip_ipv4_parse(a.s, a.len, ip))
		return false; /* a name: the relay cannot send there */
	*unspec = memcmp(ip, zero, 16) == 0;
	return true;
}

/* Records side's media for stream st from media section md; true when it moved. */
static bool
learn_peer(struct b2b_peer *p, const struct sdp_media *md, const uint8_t *ip, bool v6,
		bool unspec, const uint8_t *rtcp_ip)
{
	struct b2b_peer n;

	memset(&n, 0, sizeof(n));
	n.known = 1;
	n.v6 = v6;
	n.hold = unspec || md->port == 0;
	n.rtcp_mux = md->rtcp_mux;
	n.port = (uint16_t)md->port;
	n.rtcp_port = (uint16_t)(md->rtcp_port >= 0 ? (uint32_t)md->rtcp_port : md->port + 1);
	memcpy(n.ip, ip, 16);
	memcpy(n.rtcp_ip, rtcp_ip, 16);
	if (memcmp(&n, p, sizeof(n)) == 0)
		return false;
	*p = n;
	return true;
}

int
b2b_media_sdp(struct sig_lcore *sl, struct b2b_call *c, enum b2b_side side,
		const struct sip_msg *m, char *buf, size_t cap, unsigned int *status)
{
	enum b2b_side other = B2B_OTHER(side);
	struct b2b_leg *ol = &c->leg[other];
	struct sdp *s = sl->sdp;
	struct sdp_rewrite rw;
	char ours[64], sess[24], ver[16];
	const char *unspec_addr = ol->local.v6 ? "::" : "0.0.0.0";
	struct sdp_cname_arg cname_arg = { &sl->dp->rtcp_key, c->idx };
	uint32_t oh;
	unsigned int i;
	int n;

	*status = 488;
	if (sdp_parse(m->body.s, m->body.len, s) < 0)
		return -1;
	memset(&rw, 0, sizeof(rw));
	sig_addr_ip_str(&ol->local, ours, sizeof(ours));
	/* The origin we present moves on when the peer's does (RFC 3264 8). */
	oh = sip_hash(s->o_sess_id) * 31u + sip_hash(s->o_sess_version);
	if (!c->leg[side].has_peer_o || c->leg[side].peer_o_version != oh) {
		c->leg[side].has_peer_o = true;
		c->leg[side].peer_o_version = oh;
		ol->o_version++;
	}
	sip_fmt_u64(sess, ol->o_sess_id);
	sip_fmt_u64(ver, ol->o_version);
	rw.origin_username = "-";
	rw.origin_sess_id = sess;
	rw.origin_version = ver;
	rw.origin_addr = ours;
	rw.origin_v6 = ol->local.v6;
	rw.conn_addr = s->conn.present ? ours : NULL;
	rw.conn_v6 = ol->local.v6;
	rw.strip_ice = true;
	rw.cname = sdp_cname;
	rw.cname_arg = &cname_arg;
	rw.n_media = s->n_media;
	for (i = 0; i < s->n_media; i++) {
		const struct sdp_media *md = &s->media[i];
		const struct sdp_conn *cn = md->conn.present ? &md->conn : &s->conn;
		struct sdp_rewrite_media *rm = &rw.media[i];
		struct b2b_stream *st = &c->stream[i];
		uint8_t ip[16], rip[16];
		bool unspec = false, runspec = false;

		rm->set_port = true;
		rm->conn_addr = md->conn.present ? ours : NULL;
		rm->conn_v6 = ol->local.v6;
		if (i >= B2B_MAX_STREAMS || md->port == 0) {
			rm->port = 0; /* rejected, here or by the peer: nothing to relay */
			if (i < c->n_streams)
				st->peer[side].hold = 1;
			continue;
		}
		if (!cn->present || !conn_addr(cn, ip, &unspec))
			return -1;
		memcpy(rip, ip, 16);
		if (md->rtcp_conn.present && !conn_addr(&md->rtcp_conn, rip, &runspec))
			return -1;
		if (c->n_streams <= i) {
			memset(st, 0, sizeof(*st));
			c->n_streams = (uint8_t)(i + 1);
		}
		if (st->relay[B2B_A] == 0 || st->relay[B2B_B] == 0) {
			if (st->relay[B2B_A] == 0)
				st->relay[B2B_A] = alloc_pair(sl, c->leg[B2B_A].local.ifidx);
			if (st->relay[B2B_B] == 0)
				st->relay[B2B_B] = alloc_pair(sl, c->leg[B2B_B].local.ifidx);
			if (st->relay[B2B_A] == 0 || st->relay[B2B_B] == 0) {
				sbc_cnt_add(&sl->st->sig.no_relay_port, 1);
				*status = 503;
				return -1;
			}
		}
		st->rtp = md->proto.len >= 3 && memcmp(md->proto.s, "RTP", 3) == 0;
		st->rtp = st->rtp || (md->proto.len >= 11 && memcmp(md->proto.s, "UDP/TLS/RTP", 11) == 0);
		st->video = sip_str_eq(md->type, "video");
		st->srtp[side] = md->n_crypto > 0 || proto_srtp(md->proto);
		if (learn_peer(&st->peer[side], md, ip, cn->v6, unspec, rip)) {
			/* A new address: a new latch window (publish_stream opens it). */
			st->epoch[side] = ++sl->epoch;
			st->latch_until[side] = 0;
		}
		rm->port = st->relay[other];
		if (unspec)
			rm->conn_addr = unspec_addr; /* hold by address (RFC 2543 style) kept */
		if (md->rtcp_port >= 0) {
			rm->set_rtcp = true;
			rm->rtcp_port = (uint16_t)(st->relay[other] + (md->rtcp_mux ? 0 : 1));
		}
	}
	n = sdp_rewrite(m->body.s, m->body.len, s, &rw, buf, cap);
	if (n < 0)
		return -1;
	for (i = 0; i < c->n_streams; i++)
		publish_stream(sl, c, i);
	return n;
}
