/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * b2b_media.c - the media side of a call: relay ports, the SDP each leg sees, and the
 * flows the dataplane forwards by (b2b.h), described to the environment (b2b_env.h).
 *
 * Every stream (m= line) gets a port pair (RTP even, RTCP next) on each leg's
 * interface. Side X's SDP tells where X receives (and, the relay assumes, sends from:
 * symmetric RTP, RFC 4961); the other side Y is shown our address on Y's interface and
 * the pair we hold there instead. Per stream and component that makes two flows: what
 * reaches our pair on X's interface from X's announced address leaves Y's interface,
 * from our pair there, for Y's announced address; and the reverse.
 *
 * Which pairs, how a flow becomes a dataplane rule and when a withdrawn rule's memory
 * may be reused are the environment's business (signalling/lcore/sig_env.c: each lcore
 * owns every n-th pair in a shuffled order; rules are published by RCU). Here only
 * the negotiation: what each side announced, what the other must be shown. Owner lcore.
 */
#include <string.h>

#include "b2b_priv.h"
#include "sdp.h"
#include "sip_build.h"
#include "sip_hdr.h"
#include "sip_uri.h"

/* Flows withdrawn while a call goes on (a side moved, went on hold): not an end. */
#define NOT_AN_END SBC_END_MAX

/* The flow for what side x sends to component comp (0 RTP, 1 RTCP) of stream st. */
static void
make_flow(const struct b2b_call *c, const struct b2b_stream *st, int x, int comp,
		struct b2b_flow *f)
{
	int y = B2B_OTHER(x);
	const struct b2b_peer *px = &st->peer[x], *py = &st->peer[y];
	int ycomp;

	memset(f, 0, sizeof(*f));
	f->in_v6 = px->v6;
	memcpy(f->peer_ip, comp ? px->rtcp_ip : px->ip, 16);
	f->peer_port = comp ? px->rtcp_port : px->port;
	f->latch_epoch = st->epoch[x];
	f->latch_until_ms = st->latch_until_ms[x];
	f->out_ifidx = c->leg[y].local.ifidx;
	f->rtp = st->rtp && comp == 0;
	f->video = st->video;
	/*
	 * Plain RTCP (on either port: rtcp-mux) is scrubbed; SRTCP passes untouched (it is
	 * authenticated, and mostly encrypted: the check would find it malformed).
	 */
	f->scrub_rtcp = st->rtp && !(st->srtp[B2B_A] && st->srtp[B2B_B]);
	f->call = c->idx;
	if (!py->known || py->hold)
		return; /* nowhere to send yet: received, counted, dropped */
	/* RTCP goes to y's RTCP port, or its RTP port when y multiplexes. */
	ycomp = comp && !py->rtcp_mux;
	f->has_dst = 1;
	f->out_v6 = py->v6;
	memcpy(f->dst_ip, ycomp ? py->rtcp_ip : py->ip, 16);
	f->dst_port = ycomp ? py->rtcp_port : py->port;
	f->src_port = (uint16_t)(st->relay[y] + ycomp);
}

/* (Re)installs the flows of stream i after either side's SDP changed. */
static void
publish_stream(struct b2b *b, struct b2b_call *c, unsigned int i)
{
	struct b2b_stream *st = &c->stream[i];
	struct b2b_flow f;
	int x, comp;

	for (x = 0; x < 2; x++) {
		unsigned int ifidx = c->leg[x].local.ifidx;

		if (st->relay[x] == 0)
			continue;
		/*
		 * The latch window opens when what x sends can go somewhere: the stream starts
		 * (at the answer, or with early media), not when the offer was made.
		 */
		if (st->latch_until_ms[x] == 0 && st->peer[B2B_OTHER(x)].known &&
				!st->peer[B2B_OTHER(x)].hold)
			st->latch_until_ms[x] = b->core.now_ms + b->cfg->media.latch_window_ms;
		for (comp = 0; comp < 2; comp++) {
			uint16_t port = (uint16_t)(st->relay[x] + comp);

			if (!st->peer[x].known || (comp && st->peer[x].rtcp_mux)) {
				b->ops->flow_set(b->env, ifidx, port, NULL, NOT_AN_END);
				continue;
			}
			make_flow(c, st, x, comp, &f);
			if (b->ops->flow_set(b->env, ifidx, port, &f, NOT_AN_END) < 0)
				sbc_cnt_add(&B2B_ST(b)->no_memory, 1);
		}
	}
}

/* Withdraws the flows of streams first and up, and gives their ports back. */
static void
release_from(struct b2b *b, struct b2b_call *c, unsigned int first, enum sbc_call_end why)
{
	unsigned int i;
	int x, comp;

	for (i = first; i < c->n_streams; i++) {
		struct b2b_stream *st = &c->stream[i];

		for (x = 0; x < 2; x++) {
			unsigned int ifidx = c->leg[x].local.ifidx;

			if (st->relay[x] == 0)
				continue;
			for (comp = 0; comp < 2; comp++)
				b->ops->flow_set(b->env, ifidx, (uint16_t)(st->relay[x] + comp), NULL,
						why);
			b->ops->port_free(b->env, ifidx, st->relay[x]);
			st->relay[x] = 0;
		}
	}
	c->n_streams = (uint8_t)SIG_MIN(first, c->n_streams);
}

void
b2b_media_release(struct b2b *b, struct b2b_call *c, enum sbc_call_end why)
{
	release_from(b, c, 0, why);
}

void
b2b_media_offer_keep(struct b2b *b, struct b2b_call *c)
{
	c->offer_kept = sig_buf_set(&b->core.mem, &c->offer_undo, (const char *)c->stream,
			(uint32_t)(c->n_streams * sizeof(c->stream[0])));
	if (!c->offer_kept)
		sbc_cnt_add(&B2B_ST(b)->no_memory, 1);
}

void
b2b_media_offer_end(struct b2b *b, struct b2b_call *c, bool refused)
{
	unsigned int n = c->offer_undo.len / sizeof(c->stream[0]), i;

	if (c->offer_kept && refused) {
		/* Streams the offer added go; the others get their state and flows back. */
		release_from(b, c, n, NOT_AN_END);
		memcpy(c->stream, c->offer_undo.s, c->offer_undo.len);
		c->n_streams = (uint8_t)n;
		for (i = 0; i < n; i++)
			publish_stream(b, c, i);
	}
	c->offer_kept = 0;
	sig_buf_free(&b->core.mem, &c->offer_undo);
}

uint64_t
b2b_media_last(struct b2b *b, const struct b2b_call *c)
{
	uint64_t last = 0;
	unsigned int i;
	int x, comp;

	for (i = 0; i < c->n_streams; i++)
		for (x = 0; x < 2; x++) {
			if (c->stream[i].relay[x] == 0)
				continue;
			for (comp = 0; comp < 2; comp++) {
				uint64_t t = b->ops->flow_last_ms(b->env, c->leg[x].local.ifidx,
						(uint16_t)(c->stream[i].relay[x] + comp));

				if (t > last)
					last = t;
			}
		}
	return last;
}

/* An SRTP profile: RTP/SAVP, RTP/SAVPF, UDP/TLS/RTP/SAVP, UDP/TLS/RTP/SAVPF. */
static bool
secure_profile(struct sip_str p)
{
	return (p.len >= 4 && memcmp(p.s + p.len - 4, "SAVP", 4) == 0) ||
			(p.len >= 5 && memcmp(p.s + p.len - 5, "SAVPF", 5) == 0);
}

/* Whose RTCP CNAMEs an SDP names (sdp_rewrite's cname): the call's. */
struct cname_arg {
	struct b2b *b;
	uint32_t call;
};

/* The CNAME of an a=ssrc line: the one the relay writes into the RTCP. */
static size_t
sdp_cname(const void *arg, struct sip_str value, char *out)
{
	const struct cname_arg *a = arg;

	return a->b->ops->rtcp_cname(a->b->env, a->call, value, out);
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
b2b_media_sdp(struct b2b *b, struct b2b_call *c, enum b2b_side side,
		const struct sip_msg *m, char *buf, size_t cap, unsigned int *status)
{
	enum b2b_side other = B2B_OTHER(side);
	struct b2b_leg *ol = &c->leg[other];
	struct sdp *s = b->sdp;
	struct sdp_rewrite rw;
	char ours[64], sess[24], ver[16];
	const char *unspec_addr = ol->local.v6 ? "::" : "0.0.0.0";
	struct cname_arg cname_arg = { b, c->idx };
	uint32_t oh;
	unsigned int i;
	int n;

	*status = 488;
	if (sdp_parse(m->body.s, m->body.len, s) < 0)
		return -1;
	memset(&rw, 0, sizeof(rw));
	sig_addr_ip_str(&ol->local, ours, sizeof(ours));
	/* The origin we present moves on when the peer's does (RFC 3264 8). */
	oh = sig_core_hash(&b->core, s->o_sess_id) * 31u + sig_core_hash(&b->core, s->o_sess_version);
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
				st->relay[B2B_A] = b->ops->port_alloc(b->env, c->leg[B2B_A].local.ifidx);
			if (st->relay[B2B_B] == 0)
				st->relay[B2B_B] = b->ops->port_alloc(b->env, c->leg[B2B_B].local.ifidx);
			if (st->relay[B2B_A] == 0 || st->relay[B2B_B] == 0) {
				sbc_cnt_add(&B2B_ST(b)->no_relay_port, 1);
				*status = 503;
				return -1;
			}
		}
		st->rtp = md->proto.len >= 3 && memcmp(md->proto.s, "RTP", 3) == 0;
		st->rtp = st->rtp || (md->proto.len >= 11 && memcmp(md->proto.s, "UDP/TLS/RTP", 11) == 0);
		st->srtp[side] = md->n_crypto > 0 || secure_profile(md->proto);
		st->video = sip_str_eq(md->type, "video");
		if (learn_peer(&st->peer[side], md, ip, cn->v6, unspec, rip)) {
			/* A new address: a new latch window (publish_stream opens it). */
			st->epoch[side] = ++b->epoch;
			st->latch_until_ms[side] = 0;
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
		publish_stream(b, c, i);
	return n;
}
