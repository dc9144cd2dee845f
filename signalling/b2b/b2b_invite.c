/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * b2b_invite.c - a new call, from the caller's INVITE to our INVITE on leg B, in
 * stages (b2b.h). Owner lcore only. Read from the top:
 *  1. screen: the SBC's own checks, answered statelessly (capacity, hops, body,
 *     Accept, Require, the dialog's identifiers, loops);
 *  2. take on: a server transaction (retransmissions absorbed from now on), a call in
 *     B2B_ADMITTING, 100 Trying;
 *  3. admit: the new_call hook (b2b_env.h) says go, refuse, or wait; waiting keeps a
 *     copy of the INVITE in the call and arms the admission deadline, and
 *     b2b_call_resume() comes back to step 4 with that copy;
 *  4. route: the next hop and the interface towards it;
 *  5. open leg A: the caller's dialog as the SBC's UAS side;
 *  6. open leg B: identity, media, our INVITE.
 * Steps 4-6 read the INVITE as an argument (the one received, or the held copy parsed
 * again), never from the lcore's state.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>

#include "b2b_priv.h"
#include "sip_build.h"
#include "sip_hdr.h"
#include "sip_shard.h"
#include "sip_uri.h"

/* ---- 1. screen ------------------------------------------------------------------------ */

/*
 * Option tags the call may require: those the B2BUA relays end to end (reliable
 * provisional responses, session timers, preconditions, 199). Anything else is 420.
 */
static bool
require_ok(struct b2b *b, const struct sig_in *in)
{
	static const char *const known[] = { "100rel", "timer", "precondition", "199" };
	struct sip_iter it;
	struct sip_str tok;
	char extra[256];
	unsigned int i;
	int n = 0;

	sip_iter_init(&it, in->msg, SIP_H_REQUIRE);
	while (sip_token_next(&it, &tok) == 1) {
		for (i = 0; i < SIG_DIM(known); i++)
			if (sip_str_icase(tok, known[i]))
				break;
		if (i == SIG_DIM(known) && n < (int)sizeof(extra) - 64)
			n += snprintf(extra + n, sizeof(extra) - (size_t)n, "%s%.*s",
					n ? ", " : "Unsupported: ", (int)SIG_MIN(tok.len, 48u), tok.s);
	}
	if (n == 0)
		return true;
	snprintf(extra + n, sizeof(extra) - (size_t)n, "\r\n");
	b2b_reply(b, in, 420, "Bad Extension", extra);
	return false;
}

/* Is one media range of an Accept value (up to its parameters) SDP or a wildcard for it? */
static bool
range_takes_sdp(struct sip_str r)
{
	return sip_str_ieq(r, "application/sdp") || sip_str_ieq(r, "application/*") ||
			sip_str_ieq(r, "*/*");
}

/* The caller must accept SDP in the answer (RFC 3261 21.4.7): Accept absent or naming it. */
static bool
accepts_sdp(const struct sip_msg *m)
{
	const struct sip_hdr *h = sip_hdr_first(m, SIP_H_ACCEPT);

	if (h == NULL)
		return true;
	for (; h != NULL; h = sip_hdr_next(m, h)) {
		const char *p = h->value.s, *end = p + h->value.len;

		if (h->value.len == 0)
			return true; /* an empty Accept: no body wanted; ours comes anyway */
		while (p < end) {
			const char *e = memchr(p, ',', (size_t)(end - p)), *t;

			if (e == NULL)
				e = end;
			while (p < e && (*p == ' ' || *p == '\t'))
				p++;
			for (t = p; t < e && *t != ';' && *t != ' ' && *t != '\t'; t++)
				;
			if (range_takes_sdp((struct sip_str){ p, (uint32_t)(t - p) }))
				return true;
			p = e + 1;
		}
	}
	return false;
}

/* The first route for calls arriving on interface ifidx, or NULL. */
static const struct sbc_route_cfg *
route_for(const struct b2b *b, unsigned int ifidx)
{
	unsigned int i;

	for (i = 0; i < b->cfg->n_routes; i++)
		if (b->cfg->routes[i].from == (int)ifidx)
			return &b->cfg->routes[i];
	return NULL;
}

/*
 * The SBC's own checks on a new INVITE. Returns true when the call may be taken on;
 * otherwise it was answered (and counted where it is an overload).
 */
static bool
screen(struct b2b *b, const struct sig_in *in)
{
	const struct sip_msg *m = in->msg;
	struct sip_cseq cs;

	if (b->calls.free == NULL || b->core.txns.active + 8 > b->core.txns.n ||
			b->ops->overloaded(b->env)) {
		sbc_cnt_add(&B2B_ST(b)->calls_overload, 1);
		b2b_reply(b, in, 503, "Service Unavailable", B2B_RETRY_AFTER);
		return false;
	}
	if (route_for(b, in->dst.ifidx) == NULL) {
		b2b_reply(b, in, 404, "No Route", NULL);
		return false;
	}
	if (sip_max_forwards(m) == 0) {
		b2b_reply(b, in, 483, "Too Many Hops", NULL);
		return false;
	}
	if (m->body.len > 0 && (!sip_body_is_sdp(m) || sip_hdr_first(m, SIP_H_CONTENT_ENCODING))) {
		b2b_reply(b, in, 415, "Unsupported Media Type", "Accept: application/sdp\r\n");
		return false;
	}
	if (!accepts_sdp(m)) {
		b2b_reply(b, in, 406, "Not Acceptable", NULL);
		return false;
	}
	if (!require_ok(b, in))
		return false;
	if (in->call_id.len == 0 || !in->has_from || !in->from.has_tag || !in->has_to ||
			sip_cseq(m, &cs) < 0) {
		b2b_reply(b, in, 400, "Bad Request", NULL);
		return false;
	}
	/* The same dialog again with a new branch: a loop or a confused client. */
	if (b2b_find_a(b, in->call_id, in->from.tag) != NULL) {
		b2b_reply(b, in, 482, "Loop Detected", NULL);
		return false;
	}
	return true;
}

/* ---- 4-6. route, open leg A, open leg B ----------------------------------------------- */

/* The reason phrase of a refusal the SBC makes itself. */
static const char *
refusal_reason(unsigned int status)
{
	switch (status) {
	case 404:
		return "No Route";
	case 488:
		return "Not Acceptable Here";
	case 503:
		return "Service Unavailable";
	default:
		return "Server Internal Error";
	}
}

/*
 * Leg A: the caller's dialog with the SBC as UAS, from the INVITE m (server transaction
 * st holds the addresses). Returns 0, or -1 (out of memory).
 */
static int
open_leg_a(struct b2b *b, struct b2b_call *c, const struct b2b_invite *inv,
		const struct sig_txn *st)
{
	const struct sip_msg *m = inv->m;
	struct b2b_leg *a = &c->leg[B2B_A];
	struct sig_mem *mem = &b->core.mem;

	if (!b2b_copy_nametag(mem, &a->local_uri, sip_hdr_first(m, SIP_H_TO)->value) ||
			!b2b_copy_nametag(mem, &a->remote_uri, sip_hdr_first(m, SIP_H_FROM)->value))
		return -1;
	a->local = st->local;
	a->remote = st->remote;
	a->remote_cseq = st->cseq;
	a->o_sess_id = sig_core_random(&b->core) >> 12;
	b2b_learn_target(b, a, m);
	if (a->target.len == 0 &&
			!sig_buf_set(mem, &a->target, inv->from.uri.s, inv->from.uri.len))
		return -1;
	b2b_learn_routes(b, a, m, false);
	return 0;
}

/*
 * Leg B: the SBC as UAC, from our address on the route's interface towards its next
 * hop; its identity from the INVITE m, its SDP from m's. Returns 0, or the status to
 * refuse the call with.
 */
static unsigned int
open_leg_b(struct b2b *b, struct b2b_call *c, const struct b2b_invite *inv,
		const struct sbc_route_cfg *rt)
{
	const struct sip_msg *m = inv->m;
	struct b2b_leg *leg = &c->leg[B2B_B];
	unsigned int ifidx = rt->via >= 0 ? (unsigned int)rt->via : c->leg[B2B_A].local.ifidx;
	struct b2b_out out = { .src = m };
	unsigned int status = 500;
	struct sig_txn *ct;
	char id[SIP_ID_MAX];
	size_t n;

	leg->local.ifidx = leg->remote.ifidx = (uint8_t)ifidx;
	leg->local.v6 = leg->remote.v6 = rt->dst.family == AF_INET6;
	leg->local.port = b->cfg->ports[ifidx].sip_udp_port;
	memcpy(leg->remote.ip, rt->dst.a, leg->local.v6 ? 16 : 4);
	leg->remote.port = rt->dst_port;
	if (!b->ops->local_addr(b->env, ifidx, leg->local.v6, leg->remote.ip, leg->local.ip))
		return 503; /* the route's interface has no address of its family */
	leg->o_sess_id = sig_core_random(&b->core) >> 12;
	n = sip_make_slot_id(id, SIP_ID_PREFIX, b->core.shard, c->idx, sig_core_random(&b->core));
	if (!sig_buf_set(&b->core.mem, &leg->call_id, id, (uint32_t)n) ||
			!b2b_new_tag(b, &leg->local_tag) || b2b_leg_b_identity(b, c, inv) < 0)
		return 500;
	if (b2b_body_for_other(b, c, B2B_A, m, &out, &status) < 0)
		return status;
	ct = b2b_request_out(b, c, B2B_B, SIP_M_INVITE, &out);
	if (ct == NULL)
		return 500;
	c->inv_b = ct;
	ct->flags |= SIG_TXN_F_INITIAL;
	leg->local_cseq_invite = ct->cseq;
	ct->peer = c->inv_a;
	c->inv_a->peer = ct;
	c->state = B2B_CALLING;
	return 0;
}

/* Refuses call c: the caller gets status, the call ends (counted as ended by the SBC). */
static void
refuse(struct b2b *b, struct b2b_call *c, unsigned int status, const char *reason,
		const char *extra)
{
	if (c->inv_a != NULL) {
		b2b_respond(b, c, c->inv_a, status, b2b_cstr(reason),
				extra != NULL ? &(struct b2b_out){ .extra = extra } : NULL);
		c->inv_a = NULL;
	}
	b2b_call_end(b, c, SBC_END_REJECTED, -1, NULL);
}

/* Steps 4-6 for an admitted call, from the INVITE inv. */
static void
proceed(struct b2b *b, struct b2b_call *c, const struct b2b_invite *inv)
{
	const struct sbc_route_cfg *rt = route_for(b, c->leg[B2B_A].local.ifidx);
	unsigned int status;

	if (c->inv_a == NULL) {
		b2b_call_end(b, c, SBC_END_ERROR, -1, NULL); /* the caller's INVITE is gone */
		return;
	}
	if (rt == NULL) {
		refuse(b, c, 404, refusal_reason(404), NULL);
		return;
	}
	if (open_leg_a(b, c, inv, c->inv_a) < 0) {
		refuse(b, c, 500, refusal_reason(500), NULL);
		return;
	}
	status = open_leg_b(b, c, inv, rt);
	if (status != 0)
		refuse(b, c, status, refusal_reason(status), NULL);
}

/* ---- 2-3. take on, admit -------------------------------------------------------------- */

/* Admission did not answer in time (t_2xx doubles as the deadline while admitting). */
static void
on_admit_deadline(struct sig_timer *t, void *ctx)
{
	struct b2b *b = SIG_OWNER(ctx, struct b2b, core);
	struct b2b_call *c = SIG_OWNER(t, struct b2b_call, t_2xx);

	b2b_call_end(b, c, SBC_END_ADMIT_TIMEOUT, -1, NULL);
}

/* Acts on admission's verdict a for call c (INVITE inv). */
static void
admitted(struct b2b *b, struct b2b_call *c, const struct b2b_invite *inv,
		const struct b2b_admission *a)
{
	const struct sip_msg *m = inv->m;

	switch (a->verdict) {
	case B2B_GO:
		c->max_duration_s = a->max_duration_s;
		proceed(b, c, inv);
		return;
	case B2B_WAIT:
		/* Held: the INVITE is kept (in ok, unused until an answer) until resumed. */
		if (!sig_buf_set(&b->core.mem, &c->ok, m->buf, m->len)) {
			sbc_cnt_add(&B2B_ST(b)->no_memory, 1);
			refuse(b, c, 500, refusal_reason(500), NULL);
			return;
		}
		sig_timer_arm(&b->core.wheel, &c->t_2xx, B2B_ADMIT_DEADLINE_MS, on_admit_deadline);
		return;
	default:
		if (a->status < 400 || a->status > 699)
			refuse(b, c, 500, refusal_reason(500), NULL);
		else
			refuse(b, c, a->status, a->reason != NULL ? a->reason : "Forbidden",
					a->extra);
		return;
	}
}

void
b2b_new_call(struct b2b *b, const struct sig_in *in)
{
	struct b2b_admission a = { .verdict = B2B_GO };
	const struct sip_addr *from = &in->from;
	struct sig_txn *st;
	struct b2b_call *c;

	if (!screen(b, in))
		return;
	st = sig_txn_server_new(&b->core, in);
	c = st != NULL ? b2b_call_alloc(b) : NULL;
	if (c == NULL) {
		if (st != NULL)
			sig_txn_terminate(&b->core, st);
		sbc_cnt_add(&B2B_ST(b)->calls_overload, 1);
		b2b_reply(b, in, 503, "Service Unavailable", B2B_RETRY_AFTER);
		return;
	}
	b2b_attach(c, st, B2B_A);
	c->inv_a = st;
	sbc_cnt_add(&B2B_ST(b)->calls_offered, 1);
	/*
	 * Found by the caller's requests (ACK, CANCEL, BYE) from now on. Our To tag is
	 * made now: every answer but the 100 carries it, a refusal before leg A opens too.
	 */
	if (!sig_buf_set(&b->core.mem, &c->leg[B2B_A].call_id, in->call_id.s, in->call_id.len) ||
			!sig_buf_set(&b->core.mem, &c->leg[B2B_A].remote_tag, from->tag.s,
					from->tag.len) ||
			!b2b_new_tag(b, &c->leg[B2B_A].local_tag)) {
		refuse(b, c, 500, refusal_reason(500), NULL);
		return;
	}
	b2b_call_hash(b, c, in->call_id, from->tag);
	b2b_respond(b, c, st, 100, b2b_cstr("Trying"), NULL);
	if (b->hooks.new_call != NULL)
		b->hooks.new_call(b->hooks.arg, b, c, in->msg,
				(struct b2b_handle){ .idx = c->idx, .gen = c->gen }, &a);
	admitted(b, c, &(struct b2b_invite){ .m = in->msg, .from = in->from, .to = in->to }, &a);
}

int
b2b_call_resume(struct b2b *b, struct b2b_handle h, const struct b2b_admission *a)
{
	struct b2b_call *c = b2b_call_at(b, h.idx);
	struct b2b_invite inv;

	if (c == NULL || c->gen != h.gen || c->state != B2B_ADMITTING || c->ok.len == 0 ||
			a->verdict == B2B_WAIT)
		return -ENOENT;
	sig_timer_cancel(&b->core.wheel, &c->t_2xx);
	if (sip_parse(b->held, c->ok.s, c->ok.len, SIP_FRAME_DATAGRAM, NULL) < 0) {
		sig_buf_free(&b->core.mem, &c->ok);
		refuse(b, c, 500, refusal_reason(500), NULL);
		return 0;
	}
	inv.m = b->held;
	if (sip_from(inv.m, &inv.from) < 0 || sip_to(inv.m, &inv.to) < 0) {
		sig_buf_free(&b->core.mem, &c->ok);
		refuse(b, c, 500, refusal_reason(500), NULL);
		return 0;
	}
	/* The held copy stays until steps 4-6 are done with it (they read it). */
	admitted(b, c, &inv, a);
	if (c->state != B2B_FREE && c->state < B2B_ANSWERED)
		sig_buf_free(&b->core.mem, &c->ok);
	return 0;
}
