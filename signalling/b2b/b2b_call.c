/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * b2b_call.c - the life of a call (b2b.h) once its INVITE is in (b2b_invite.c):
 * answers, ACKs, cancellations, hang-ups and everything in the dialog are relayed from
 * one leg to the other, rebuilt (b2b_msg.c) and with their SDP rewritten
 * (b2b_media.c). Owner lcore only.
 *
 * Read from the top: the pool and lookup of calls, sending, dialog state, the end of a
 * call, the call timers, the requests (ACK, CANCEL, BYE, re-INVITE and the other
 * requests in a dialog), then the responses and timeouts the transaction layer hands
 * over.
 */
#include <errno.h>
#include <stdio.h>

#include "b2b_priv.h"
#include "sip_build.h"
#include "sip_hdr.h"
#include "sip_reply.h"
#include "sip_shard.h"
#include "sip_uri.h"

/* The Reason header a BYE of the SBC's own carries, per cause (NULL: none). */
static const char *const end_reason[SBC_END_MAX] = {
	[SBC_END_NO_ACK] = "Reason: SIP ;cause=408 ;text=\"ACK not received\"\r\n",
	[SBC_END_MEDIA_TIMEOUT] = "Reason: Q.850 ;cause=102 ;text=\"media inactivity\"\r\n",
	[SBC_END_MAX_DURATION] = "Reason: Q.850 ;cause=102 ;text=\"maximum call duration\"\r\n",
	[SBC_END_SESSION_EXPIRED] = "Reason: SIP ;cause=408 ;text=\"session timer expired\"\r\n",
	[SBC_END_ERROR] = "Reason: SIP ;cause=500 ;text=\"SBC internal error\"\r\n",
	[SBC_END_SHUTDOWN] = "Reason: SIP ;cause=503 ;text=\"SBC shutting down\"\r\n",
};

/* The B2BUA a timer of one of its calls belongs to (the wheel's context is the core). */
static inline struct b2b *
b2b_of(void *ctx)
{
	return SIG_OWNER(ctx, struct b2b, core);
}

/* ---- pool and lookup ------------------------------------------------------------------ */

static uint32_t
call_key(struct b2b *b, struct sip_str call_id, struct sip_str tag)
{
	return sig_core_hash(&b->core, call_id) * 31u + sig_core_hash(&b->core, tag);
}

struct b2b_call *
b2b_call_alloc(struct b2b *b)
{
	struct b2b_calls *cl = &b->calls;
	struct b2b_call *c = cl->free;
	uint32_t idx, gen;

	if (c == NULL)
		return NULL;
	cl->free = c->hnext;
	idx = c->idx;
	gen = c->gen;
	memset(c, 0, sizeof(*c));
	c->idx = idx;
	c->gen = gen + 1;
	c->state = B2B_ADMITTING;
	c->start_ms = b->core.now_ms;
	cl->active++;
	sbc_cnt_add(&B2B_ST(b)->calls_active, 1);
	return c;
}

void
b2b_call_hash(struct b2b *b, struct b2b_call *c, struct sip_str call_id, struct sip_str tag)
{
	c->hash = call_key(b, call_id, tag);
	c->hnext = b->calls.bucket[c->hash & b->calls.mask];
	b->calls.bucket[c->hash & b->calls.mask] = c;
	c->hashed = 1;
}

static void
call_unhash(struct b2b *b, struct b2b_call *c)
{
	struct b2b_call **pp = &b->calls.bucket[c->hash & b->calls.mask];

	for (; *pp != NULL; pp = &(*pp)->hnext)
		if (*pp == c) {
			*pp = c->hnext;
			return;
		}
}

static void
call_free(struct b2b *b, struct b2b_call *c)
{
	struct sig_mem *mem = &b->core.mem;
	struct sig_txn *t, *next;
	int s;

	sig_timer_cancel(&b->core.wheel, &c->t_2xx);
	sig_timer_cancel(&b->core.wheel, &c->t_limit);
	sig_timer_cancel(&b->core.wheel, &c->t_session);
	sig_timer_cancel(&b->core.wheel, &c->t_media);
	/* Transactions live on (absorbing retransmissions) without their call. */
	for (t = c->txns; t != NULL; t = next) {
		next = t->onext;
		t->owner = NULL;
		t->onext = NULL;
		if (t->peer != NULL)
			t->peer->peer = NULL;
		t->peer = NULL;
	}
	if (c->hashed)
		call_unhash(b, c);
	sig_buf_free(mem, &c->ok);
	sig_buf_free(mem, &c->ack);
	sig_buf_free(mem, &c->offer_undo);
	for (s = 0; s < 2; s++) {
		struct b2b_leg *l = &c->leg[s];

		sig_buf_free(mem, &l->call_id);
		sig_buf_free(mem, &l->local_tag);
		sig_buf_free(mem, &l->remote_tag);
		sig_buf_free(mem, &l->local_uri);
		sig_buf_free(mem, &l->remote_uri);
		sig_buf_free(mem, &l->target);
		sig_buf_free(mem, &l->route);
	}
	c->state = B2B_FREE;
	c->hnext = b->calls.free;
	b->calls.free = c;
	b->calls.active--;
	sbc_cnt_add(&B2B_ST(b)->calls_active, (uint64_t)-1);
}

struct b2b_call *
b2b_call_at(struct b2b *b, uint32_t idx)
{
	if (idx >= b->calls.n || b->calls.pool[idx].state == B2B_FREE)
		return NULL;
	return &b->calls.pool[idx];
}

void
b2b_attach(struct b2b_call *c, struct sig_txn *t, enum b2b_side side)
{
	t->owner = c;
	t->side = (uint8_t)side;
	t->onext = c->txns;
	c->txns = t;
}

/* The transaction layer is done with t: no call refers to it any more. */
static void
txn_gone(void *arg, struct sig_txn *t)
{
	struct b2b_call *c = t->owner;
	struct sig_txn **pp;

	(void)arg;
	if (t->peer != NULL)
		t->peer->peer = NULL;
	t->peer = NULL;
	if (c == NULL)
		return;
	for (pp = &c->txns; *pp != NULL; pp = &(*pp)->onext)
		if (*pp == t) {
			*pp = t->onext;
			break;
		}
	if (c->inv_a == t)
		c->inv_a = NULL;
	if (c->inv_b == t)
		c->inv_b = NULL;
	t->owner = NULL;
}

struct b2b_call *
b2b_find_a(struct b2b *b, struct sip_str call_id, struct sip_str tag)
{
	uint32_t h = call_key(b, call_id, tag);
	struct b2b_call *c;

	for (c = b->calls.bucket[h & b->calls.mask]; c != NULL; c = c->hnext)
		if (c->hash == h && b2b_buf_eq(&c->leg[B2B_A].call_id, call_id) &&
				b2b_buf_eq(&c->leg[B2B_A].remote_tag, tag))
			return c;
	return NULL;
}

/* The call of leg B by our Call-ID (it carries the call's slot). */
static struct b2b_call *
find_b(struct b2b *b, struct sip_str call_id)
{
	uint32_t idx;
	struct b2b_call *c;

	if (sip_id_slot(call_id, SIP_ID_PREFIX, &idx) < 0 || idx >= b->calls.n)
		return NULL;
	c = &b->calls.pool[idx];
	return c->state != B2B_FREE && b2b_buf_eq(&c->leg[B2B_B].call_id, call_id) ? c : NULL;
}

/* The dialog of an in-dialog request: the call and the leg it came on, or NULL. */
static struct b2b_call *
find_dialog(struct b2b *b, const struct sig_in *in, enum b2b_side *side)
{
	struct sip_addr from, to;
	struct b2b_call *c;

	if (!in->has_from || !in->has_to || !in->from.has_tag || !in->to.has_tag)
		return NULL;
	from = in->from;
	to = in->to;
	c = find_b(b, in->call_id);
	/* A call still being admitted has no dialog yet (we gave the caller no tag). */
	if (c != NULL && c->state == B2B_ADMITTING)
		return NULL;
	if (c != NULL) {
		*side = B2B_B;
		return b2b_buf_eq(&c->leg[B2B_B].local_tag, to.tag) &&
						b2b_buf_eq(&c->leg[B2B_B].remote_tag, from.tag) ?
				c :
				NULL;
	}
	c = b2b_find_a(b, in->call_id, from.tag);
	*side = B2B_A;
	return c != NULL && c->state != B2B_ADMITTING &&
					b2b_buf_eq(&c->leg[B2B_A].local_tag, to.tag) ?
			c :
			NULL;
}

bool
b2b_new_tag(struct b2b *b, struct sig_buf *buf)
{
	char id[SIP_ID_MAX];
	size_t n = sip_make_id(id, SIP_ID_PREFIX, b->core.shard, sig_core_random(&b->core));

	return sig_buf_set(&b->core.mem, buf, id, (uint32_t)n);
}

/* ---- sending -------------------------------------------------------------------------- */

void
b2b_respond(struct b2b *b, struct b2b_call *c, struct sig_txn *st, unsigned int status,
		struct sip_str reason, const struct b2b_out *out)
{
	int n = b2b_build_response(b, c, (enum b2b_side)st->side, st, status, reason, out,
			b->core.out, SIG_BUF);

	if (n < 0) {
		sbc_cnt_add(&b->core.st->port[st->local.ifidx].drops[SBC_DROP_SIP_TOO_BIG], 1);
		return;
	}
	sig_txn_respond(&b->core, st, status, b->core.out, (uint32_t)n);
}

struct sig_txn *
b2b_request_out(struct b2b *b, struct b2b_call *c, enum b2b_side side, enum sip_method method,
		const struct b2b_out *out)
{
	struct b2b_leg *leg = &c->leg[side];
	struct sig_txn *ct = sig_txn_client_new(&b->core, method, &leg->local, &leg->remote);
	int n;

	if (ct == NULL)
		return NULL;
	ct->cseq = ++leg->local_cseq;
	n = b2b_build_request(b, c, side, method, ct->cseq, b2b_bstr(&ct->branch), out,
			b->core.out, SIG_BUF);
	if (n < 0) {
		sig_txn_terminate(&b->core, ct);
		return NULL;
	}
	b2b_attach(c, ct, side);
	sig_txn_client_send(&b->core, ct, b->core.out, (uint32_t)n);
	return ct;
}

/* The ACK for leg side's 2xx to the INVITE with CSeq cseq; kept, to answer its resends. */
static void
send_ack(struct b2b *b, struct b2b_call *c, enum b2b_side side, uint32_t cseq,
		const struct b2b_out *out)
{
	char br[SIP_ID_MAX];
	size_t bl = sip_make_id(br, SIP_BRANCH_PREFIX, b->core.shard, sig_core_random(&b->core));
	int n = b2b_build_request(b, c, side, SIP_M_ACK, cseq, (struct sip_str){ br, (uint32_t)bl },
			out, b->core.out, SIG_BUF);

	if (n < 0)
		return;
	sig_buf_set(&b->core.mem, &c->ack, b->core.out, (uint32_t)n);
	c->ack_side = (uint8_t)side;
	c->ack_cseq = cseq;
	sig_core_send(&b->core, &c->leg[side].local, &c->leg[side].remote, b->core.out,
			(uint32_t)n);
}

int
b2b_body_for_other(struct b2b *b, struct b2b_call *c, enum b2b_side side,
		const struct sip_msg *m, struct b2b_out *out, unsigned int *status)
{
	const struct sip_hdr *ct = sip_hdr_first(m, SIP_H_CONTENT_TYPE);
	int n;

	out->body = SIP_STR_NULL;
	if (m->body.len == 0)
		return 0;
	if (!sip_body_is_sdp(m)) {
		if (ct == NULL)
			return 0; /* a body without a type is not relayed */
		out->body = m->body;
		out->ctype = ct->value;
		return 0;
	}
	n = b2b_media_sdp(b, c, side, m, b->sdp_out, SIG_BUF, status);
	if (n < 0)
		return -1;
	out->body = (struct sip_str){ b->sdp_out, (uint32_t)n };
	out->ctype = b2b_cstr("application/sdp");
	return 0;
}

/* ---- dialog state --------------------------------------------------------------------- */

void
b2b_learn_target(struct b2b *b, struct b2b_leg *leg, const struct sip_msg *m)
{
	struct sip_iter it;
	struct sip_addr a;

	sip_iter_init(&it, m, SIP_H_CONTACT);
	if (sip_addr_next(&it, &a) == 1 && !a.star && a.uri.len > 0)
		sig_buf_set(&b->core.mem, &leg->target, a.uri.s, a.uri.len);
}

void
b2b_learn_routes(struct b2b *b, struct b2b_leg *leg, const struct sip_msg *m, bool reverse)
{
	struct sip_addr el[16];
	unsigned int n = 0, i;
	struct sip_iter it;
	struct sip_out o;
	char tmp[2048];

	sip_iter_init(&it, m, SIP_H_RECORD_ROUTE);
	while (n < 16 && sip_addr_next(&it, &el[n]) == 1)
		n++;
	if (n == 0)
		return;
	sip_out_init(&o, tmp, sizeof(tmp));
	for (i = 0; i < n; i++) {
		const struct sip_addr *a = &el[reverse ? n - 1 - i : i];

		if (i)
			sip_out_raw(&o, ", ", 2);
		sip_out_raw(&o, "<", 1);
		sip_out_str(&o, a->uri);
		sip_out_raw(&o, ">", 1);
		sip_out_str(&o, a->params);
	}
	if (!o.overflow)
		sig_buf_set(&b->core.mem, &leg->route, tmp, (uint32_t)(o.p - tmp));
}

/* ---- ending --------------------------------------------------------------------------- */

/* Final status for the caller when the SBC ends an unanswered call itself. */
static unsigned int
end_status(enum sbc_call_end why, const char **reason)
{
	switch (why) {
	case SBC_END_CANCEL:
	case SBC_END_BYE_A:
		*reason = "Request Terminated";
		return 487;
	case SBC_END_NO_ANSWER:
		*reason = "Request Timeout";
		return 408;
	case SBC_END_SHUTDOWN:
	case SBC_END_ADMIT_TIMEOUT:
		*reason = "Service Unavailable";
		return 503;
	default:
		*reason = "Server Internal Error";
		return 500;
	}
}

void
b2b_call_end(struct b2b *b, struct b2b_call *c, enum sbc_call_end why, int by_side,
		const struct sip_msg *bye)
{
	struct b2b_out out = { .src = bye, .extra = end_reason[why] };
	struct sig_txn *t;
	const char *rs;
	int s;

	if (c->state == B2B_FREE)
		return;
	if (c->inv_a != NULL) {
		unsigned int st = end_status(why, &rs);

		b2b_respond(b, c, c->inv_a, st, b2b_cstr(rs),
				st == 503 ? &(struct b2b_out){ .extra = B2B_RETRY_AFTER } : NULL);
	}
	if (c->inv_b != NULL) {
		if (c->inv_b->state == SIG_TS_PROCEEDING)
			sig_txn_send_cancel(&b->core, c->inv_b);
		else if (c->inv_b->state == SIG_TS_TRYING)
			c->inv_b->flags |= SIG_TXN_F_CANCEL_PENDING;
	}
	/* Requests still waiting for an answer in the dialog will get none from us. */
	for (t = c->txns; t != NULL; t = t->onext)
		if ((t->kind == SIG_IST || t->kind == SIG_NIST) &&
				(t->state == SIG_TS_TRYING || t->state == SIG_TS_PROCEEDING))
			b2b_respond(b, c, t, t->kind == SIG_IST ? 487 : 481,
					b2b_cstr(t->kind == SIG_IST ? "Request Terminated" :
								      "Call/Transaction Does Not Exist"),
					NULL);
	for (s = 0; s < 2; s++) {
		if (s != by_side && c->answered[s]) {
			if (c->ack_pending && c->ack_side == s) {
				send_ack(b, c, (enum b2b_side)s, c->ack_cseq, NULL);
				c->ack_pending = 0;
			}
			if (b2b_request_out(b, c, (enum b2b_side)s, SIP_M_BYE, &out) == NULL)
				sbc_cnt_add(&B2B_ST(b)->no_memory, 1);
		}
	}
	b2b_media_release(b, c, why);
	sbc_cnt_add(&B2B_ST(b)->calls_ended[why], 1);
	if (b->hooks.ended != NULL)
		b->hooks.ended(b->hooks.arg, b, c, why);
	call_free(b, c);
}

void
b2b_end_all(struct b2b *b)
{
	uint32_t i;

	for (i = 0; i < b->calls.n; i++)
		if (b->calls.pool[i].state != B2B_FREE)
			b2b_call_end(b, &b->calls.pool[i], SBC_END_SHUTDOWN, -1, NULL);
}

/* ---- call timers ---------------------------------------------------------------------- */

static void
on_2xx(struct sig_timer *t, void *ctx)
{
	struct b2b_call *c = SIG_OWNER(t, struct b2b_call, t_2xx);
	struct b2b *b = b2b_of(ctx);
	struct b2b_leg *leg = &c->leg[c->ok_side];

	/* RFC 3261 13.3.1.4: T1 doubling up to T2, until 64*T1 without ACK. */
	if (b->core.now_ms >= c->ok_until_ms) {
		b2b_call_end(b, c, SBC_END_NO_ACK, -1, NULL);
		return;
	}
	sig_core_send(&b->core, &leg->local, &leg->remote, c->ok.s, c->ok.len);
	sbc_cnt_add(&B2B_ST(b)->retransmissions, 1);
	c->ok_interval = SIG_MIN(c->ok_interval * 2, B2B_T2(b));
	/* The last wait ends at 64*T1, not at the first resend due after it. */
	sig_timer_arm(&b->core.wheel, t, SIG_MIN(c->ok_interval, c->ok_until_ms - b->core.now_ms),
			on_2xx);
}

static void
on_limit(struct sig_timer *t, void *ctx)
{
	b2b_call_end(b2b_of(ctx), SIG_OWNER(t, struct b2b_call, t_limit), SBC_END_MAX_DURATION,
			-1, NULL);
}

static void
on_session(struct sig_timer *t, void *ctx)
{
	b2b_call_end(b2b_of(ctx), SIG_OWNER(t, struct b2b_call, t_session),
			SBC_END_SESSION_EXPIRED, -1, NULL);
}

static void
on_media(struct sig_timer *t, void *ctx)
{
	struct b2b_call *c = SIG_OWNER(t, struct b2b_call, t_media);
	struct b2b *b = b2b_of(ctx);
	uint64_t limit = (uint64_t)b->cfg->media.inactivity_s * 1000, now = b->core.now_ms;
	uint64_t last = b2b_media_last(b, c);

	if (c->n_streams == 0)
		return; /* no media to watch (any more) */
	/* Silent since the answer, or since the last datagram. */
	if (now - (last != 0 ? last : c->answer_ms) >= limit) {
		b2b_call_end(b, c, SBC_END_MEDIA_TIMEOUT, -1, NULL);
		return;
	}
	sig_timer_arm(&b->core.wheel, t, 1000, on_media);
}

/* Session timer (RFC 4028) from a 2xx: a refresh is due within Session-Expires. */
static void
session_timer(struct b2b *b, struct b2b_call *c, const struct sip_msg *m)
{
	struct sip_session_expires se;

	if (sip_session_expires(m, &se) == 0 && se.delta > 0) {
		c->session_s = se.delta;
		sig_timer_arm(&b->core.wheel, &c->t_session, (uint64_t)se.delta * 1000, on_session);
	} else {
		c->session_s = 0;
		sig_timer_cancel(&b->core.wheel, &c->t_session);
	}
}

void
b2b_call_limit(struct b2b *b, struct b2b_call *c, uint32_t seconds)
{
	sig_timer_arm(&b->core.wheel, &c->t_limit, (uint64_t)seconds * 1000, on_limit);
}

/* Sends a 2xx to an INVITE on st and keeps retransmitting it until the ACK. */
static void
relay_2xx(struct b2b *b, struct b2b_call *c, struct sig_txn *st, const struct sip_msg *m,
		const struct b2b_out *out)
{
	int n = b2b_build_response(b, c, (enum b2b_side)st->side, st, m->status, m->reason, out,
			b->core.out, SIG_BUF);

	if (n < 0)
		return;
	sig_txn_respond(&b->core, st, m->status, b->core.out, (uint32_t)n);
	sig_buf_set(&b->core.mem, &c->ok, b->core.out, (uint32_t)n);
	c->ok_side = st->side;
	c->ok_cseq = st->cseq;
	c->ok_interval = B2B_T1(b);
	c->ok_until_ms = b->core.now_ms + 64 * B2B_T1(b);
	sig_timer_arm(&b->core.wheel, &c->t_2xx, c->ok_interval, on_2xx);
}

/* The call is answered (the initial INVITE's 2xx reached the caller): timers, hook. */
static void
answered(struct b2b *b, struct b2b_call *c)
{
	uint32_t limit = b->cfg->sip.max_call_s;

	c->answered[B2B_A] = 1;
	c->state = B2B_ANSWERED;
	c->answer_ms = b->core.now_ms;
	c->inv_a = NULL;
	c->inv_b = NULL;
	sbc_cnt_add(&B2B_ST(b)->calls_answered, 1);
	if (c->max_duration_s != 0 && (limit == 0 || c->max_duration_s < limit))
		limit = c->max_duration_s;
	if (limit != 0)
		b2b_call_limit(b, c, limit);
	if (b->cfg->media.inactivity_s)
		sig_timer_arm(&b->core.wheel, &c->t_media, 1000, on_media);
	if (b->hooks.answered != NULL)
		b->hooks.answered(b->hooks.arg, b, c);
}

/* ---- requests in a dialog ------------------------------------------------------------- */

/* An ACK in a dialog: the 2xx it acknowledges stops, and the other leg's 2xx is ACKed. */
static void
on_ack(struct b2b *b, const struct sig_in *in)
{
	const struct sip_msg *m = in->msg;
	struct b2b_out out = { .src = m };
	enum b2b_side side;
	struct sip_cseq cs;
	unsigned int status;
	struct b2b_call *c = find_dialog(b, in, &side);

	if (c == NULL || sip_cseq(m, &cs) < 0) {
		sbc_cnt_add(&B2B_ST(b)->stray, 1);
		return;
	}
	if (c->ok.len == 0 || side != c->ok_side || cs.num != c->ok_cseq)
		return; /* a retransmitted ACK */
	sig_timer_cancel(&b->core.wheel, &c->t_2xx);
	sig_buf_free(&b->core.mem, &c->ok);
	if (c->state == B2B_ANSWERED)
		c->state = B2B_CONFIRMED;
	c->reinvite = 0;
	if (!c->ack_pending)
		return;
	c->ack_pending = 0;
	/* A late offer's answer rides on the ACK. */
	if (b2b_body_for_other(b, c, side, m, &out, &status) < 0)
		out.body = SIP_STR_NULL;
	send_ack(b, c, (enum b2b_side)c->ack_side, c->ack_cseq, &out);
}

/* CANCEL: 200 for it, 487 for the INVITE, a CANCEL on leg B (RFC 3261 9.2). */
static void
on_cancel(struct b2b *b, const struct sig_in *in)
{
	struct sig_txn *inv = sig_txn_server_find(&b->core, in, SIP_M_INVITE);
	struct b2b_call *c;

	if (inv == NULL) {
		b2b_reply(b, in, 481, "Call/Transaction Does Not Exist", NULL);
		return;
	}
	/* The 200 carries the tag of the INVITE's answers (RFC 3261 9.2). */
	c = inv->owner;
	b2b_reply_tag(b, in, 200, "OK", NULL,
			c != NULL ? b2b_bstr(&c->leg[B2B_A].local_tag) : SIP_STR_NULL);
	if (c == NULL || inv->state != SIG_TS_PROCEEDING || c->inv_a != inv)
		return; /* answered already: the CANCEL changes nothing */
	b2b_call_end(b, c, SBC_END_CANCEL, -1, NULL);
}

/* BYE: answered here and now, the other leg gets one, the call ends. */
static void
on_bye(struct b2b *b, struct b2b_call *c, enum b2b_side side, const struct sig_in *in)
{
	struct sig_txn *st = sig_txn_server_new(&b->core, in);

	if (st != NULL) {
		b2b_attach(c, st, side);
		b2b_respond(b, c, st, 200, b2b_cstr("OK"), NULL);
	}
	b2b_call_end(b, c, side == B2B_A ? SBC_END_BYE_A : SBC_END_BYE_B, side, in->msg);
}

/*
 * A request in the dialog relayed to the other leg: re-INVITE (with its ACK later),
 * UPDATE, PRACK (RAck renumbered), INFO, OPTIONS. SDP is rewritten, other bodies pass.
 */
static void
relay_request(struct b2b *b, struct b2b_call *c, enum b2b_side side, const struct sig_in *in)
{
	const struct sip_msg *m = in->msg;
	enum b2b_side other = B2B_OTHER(side);
	struct b2b_out out = { .src = m };
	struct sig_txn *st, *ct;
	unsigned int status = 500;
	const char *reason = "Server Internal Error";

	st = sig_txn_server_new(&b->core, in);
	if (st == NULL) {
		b2b_reply(b, in, 503, "Service Unavailable", B2B_RETRY_AFTER);
		return;
	}
	b2b_attach(c, st, side);
	/* Glare: 491 on the transaction, which absorbs the ACK and answers resends alike. */
	if (m->method == SIP_M_INVITE && (c->reinvite || c->inv_a != NULL || c->inv_b != NULL ||
						  c->ok.len > 0)) {
		b2b_respond(b, c, st, 491, b2b_cstr("Request Pending"), NULL);
		return;
	}
	/* No hop left (RFC 3261 16.3): not relayed, where it would get a fresh count of 70. */
	if (sip_max_forwards(m) == 0) {
		b2b_respond(b, c, st, 483, b2b_cstr("Too Many Hops"), NULL);
		return;
	}
	if (m->method == SIP_M_INVITE)
		b2b_respond(b, c, st, 100, b2b_cstr("Trying"), NULL);
	if (m->method == SIP_M_INVITE || m->method == SIP_M_UPDATE)
		b2b_learn_target(b, &c->leg[side], m); /* target refresh */
	if (m->method == SIP_M_PRACK)
		out.rack_cseq = c->leg[other].local_cseq_invite;
	if (m->method == SIP_M_INVITE || m->method == SIP_M_UPDATE)
		b2b_media_offer_keep(b, c); /* until the answer, or the refusal, comes */
	if (b2b_body_for_other(b, c, side, m, &out, &status) < 0) {
		reason = status == 488 ? "Not Acceptable Here" : "Service Unavailable";
		goto refuse;
	}
	ct = b2b_request_out(b, c, other, (enum sip_method)m->method, &out);
	if (ct == NULL) {
		status = 503;
		reason = "Service Unavailable";
		goto refuse;
	}
	if (m->method == SIP_M_INVITE) {
		c->reinvite = 1;
		c->leg[other].local_cseq_invite = ct->cseq;
	}
	ct->peer = st;
	st->peer = ct;
	return;
refuse:
	b2b_media_offer_end(b, c, true);
	b2b_respond(b, c, st, status, b2b_cstr(reason), NULL);
}

/* A request with a To tag: find its dialog, check its CSeq, act by method. */
static void
in_dialog(struct b2b *b, const struct sig_in *in)
{
	const struct sip_msg *m = in->msg;
	enum b2b_side side;
	struct sip_cseq cs;
	struct b2b_call *c = find_dialog(b, in, &side);

	if (c == NULL) {
		sbc_cnt_add(&B2B_ST(b)->stray, 1);
		b2b_reply(b, in, 481, "Call/Transaction Does Not Exist", NULL);
		return;
	}
	if (sip_cseq(m, &cs) < 0 || cs.num <= c->leg[side].remote_cseq) {
		b2b_reply(b, in, 500, "Server Internal Error", "Retry-After: 1\r\n");
		return; /* RFC 3261 12.2.2: lower CSeq */
	}
	c->leg[side].remote_cseq = cs.num;
	switch (m->method) {
	case SIP_M_BYE:
		on_bye(b, c, side, in);
		return;
	case SIP_M_INVITE:
	case SIP_M_UPDATE:
	case SIP_M_PRACK:
	case SIP_M_INFO:
	case SIP_M_OPTIONS:
		relay_request(b, c, side, in);
		return;
	case SIP_M_OTHER:
		b2b_reply(b, in, 501, "Not Implemented", B2B_ALLOW);
		return;
	default:
		b2b_reply(b, in, 405, "Method Not Allowed", B2B_ALLOW);
		return;
	}
}

void
b2b_request(struct b2b *b, const struct sig_in *in)
{
	const struct sip_msg *m = in->msg;
	struct sig_txn *st = sig_txn_server_find(&b->core, in, (enum sip_method)m->method);

	if (st != NULL && sig_txn_server_request(&b->core, st, in))
		return; /* a retransmission, or the ACK of an error response */
	if (m->method == SIP_M_ACK) {
		on_ack(b, in);
		return;
	}
	if (!in->top.has_branch || in->top.branch.len == 0) {
		b2b_reply(b, in, 400, "Missing Via Branch", NULL);
		return;
	}
	if (m->method == SIP_M_CANCEL) {
		on_cancel(b, in);
		return;
	}
	if (in->has_to && in->to.has_tag) {
		in_dialog(b, in);
		return;
	}
	switch (m->method) {
	case SIP_M_INVITE:
		b2b_new_call(b, in);
		return;
	case SIP_M_BYE:
	case SIP_M_PRACK:
	case SIP_M_UPDATE:
	case SIP_M_INFO:
		b2b_reply(b, in, 481, "Call/Transaction Does Not Exist", NULL);
		return;
	case SIP_M_OPTIONS:
		/* For another host (ours were answered 200): the SBC routes calls only. */
		b2b_reply(b, in, 404, "Not Found", NULL);
		return;
	case SIP_M_OTHER:
		b2b_reply(b, in, 501, "Not Implemented", B2B_ALLOW);
		return;
	default:
		b2b_reply(b, in, 405, "Method Not Allowed", B2B_ALLOW);
		return;
	}
}

/* ---- responses ------------------------------------------------------------------------ */

/* "ACK" or "BYE" for the dialog a stray 2xx m made (see close_stray_dialog). */
static int
build_stray(struct b2b *b, const struct sig_txn *ct, const struct sip_msg *m,
		struct sip_str target, bool is_ack, struct sip_str branch)
{
	static const enum sip_hdr_id copied[] = { SIP_H_FROM, SIP_H_TO, SIP_H_CALL_ID };
	const struct sip_hdr *h;
	struct sip_out o;
	unsigned int i;

	sip_out_init(&o, b->core.out, SIG_BUF);
	sip_out_request_line(&o, b2b_cstr(is_ack ? "ACK" : "BYE"), target);
	sip_out_cstr(&o, "Via: SIP/2.0/UDP ");
	b2b_out_hostport(&o, &ct->local);
	sip_out_cstr(&o, ";branch=");
	sip_out_str(&o, branch);
	sip_out_cstr(&o, ";rport\r\nMax-Forwards: 70\r\n");
	for (i = 0; i < SIG_DIM(copied); i++)
		if ((h = sip_hdr_first(m, copied[i])) != NULL)
			sip_out_copy_header(&o, m, h);
	sip_out_cstr(&o, "CSeq: ");
	sip_out_uint(&o, is_ack ? ct->cseq : ct->cseq + 1);
	sip_out_cstr(&o, is_ack ? " ACK\r\n" : " BYE\r\n");
	return sip_out_finish(&o, SIP_STR_NULL);
}

/*
 * A 2xx to an INVITE of ours that has no call any more (cancelled, or another fork's
 * answer): the dialog it made is ACKed and closed with BYE (RFC 3261 15, 13.2.2.4).
 */
static void
close_stray_dialog(struct b2b *b, struct sig_txn *ct, const struct sip_msg *m)
{
	struct sip_iter it;
	struct sip_addr a;
	struct sig_txn *bye;
	char br[SIP_ID_MAX];
	size_t bl;
	int n;

	sip_iter_init(&it, m, SIP_H_CONTACT);
	if (sip_addr_next(&it, &a) != 1 || a.star || a.uri.len == 0)
		return;
	bl = sip_make_id(br, SIP_BRANCH_PREFIX, b->core.shard, sig_core_random(&b->core));
	n = build_stray(b, ct, m, a.uri, true, (struct sip_str){ br, (uint32_t)bl });
	if (n < 0)
		return;
	sig_core_send(&b->core, &ct->local, &ct->remote, b->core.out, (uint32_t)n);
	bye = sig_txn_client_new(&b->core, SIP_M_BYE, &ct->local, &ct->remote);
	if (bye == NULL)
		return;
	bye->cseq = ct->cseq + 1;
	n = build_stray(b, ct, m, a.uri, false, b2b_bstr(&bye->branch));
	if (n < 0) {
		sig_txn_terminate(&b->core, bye);
		return;
	}
	sig_txn_client_send(&b->core, bye, b->core.out, (uint32_t)n);
}

/* Dialog state of leg side from a response that establishes or confirms it. */
static void
learn_dialog(struct b2b *b, struct b2b_call *c, enum b2b_side side, const struct sip_msg *m,
		bool initial)
{
	struct b2b_leg *leg = &c->leg[side];
	struct sip_addr to;

	if (m->status <= 100 || m->status >= 300)
		return;
	b2b_learn_target(b, leg, m);
	if (!initial || sip_to(m, &to) < 0 || !to.has_tag)
		return;
	/* A 2xx from another fork than the early dialog's replaces it. */
	if (leg->remote_tag.len == 0 || (m->status >= 200 && c->state < B2B_ANSWERED)) {
		sig_buf_set(&b->core.mem, &leg->remote_tag, to.tag.s, to.tag.len);
		sig_buf_free(&b->core.mem, &leg->route);
		b2b_learn_routes(b, leg, m, true);
	}
}

/* Our INVITE on leg B (or a re-INVITE on either leg) got an answer. */
static void
invite_response(struct b2b *b, struct b2b_call *c, struct sig_txn *ct, const struct sip_msg *m)
{
	enum b2b_side side = (enum b2b_side)ct->side;
	struct sig_txn *st = ct->peer;
	struct b2b_out out = { .src = m };
	bool initial = (ct->flags & SIG_TXN_F_INITIAL) != 0;
	unsigned int status = m->status, bs;
	struct sip_addr to;

	if (status >= 200 && status < 300 && (ct->flags & SIG_TXN_F_ANSWERED)) {
		/* A resent 2xx (our ACK again, if sent), or another fork's (closed). */
		if (sip_to(m, &to) == 0 && to.has_tag && b2b_buf_eq(&c->leg[side].remote_tag, to.tag)) {
			if (c->ack.len > 0 && c->ack_cseq == ct->cseq && c->ack_side == side)
				sig_core_send(&b->core, &c->leg[side].local, &c->leg[side].remote,
						c->ack.s, c->ack.len);
		} else if (initial) {
			close_stray_dialog(b, ct, m);
		}
		return;
	}
	if (status >= 200 && status < 300)
		ct->flags |= SIG_TXN_F_ANSWERED;
	learn_dialog(b, c, side, m, initial);
	if (status == 100 || st == NULL)
		return;
	if (status < 200) {
		if (initial)
			c->state = B2B_EARLY;
		if (b2b_body_for_other(b, c, side, m, &out, &bs) < 0)
			out.body = SIP_STR_NULL;
		b2b_respond(b, c, st, status, m->reason, &out);
		return;
	}
	if (status < 300) {
		c->ack_pending = 1;
		c->ack_side = (uint8_t)side;
		c->ack_cseq = ct->cseq;
		if (initial)
			c->answered[B2B_B] = 1;
		if (b2b_body_for_other(b, c, side, m, &out, &bs) < 0) {
			/* An answer we cannot relay: the call cannot go on. */
			b2b_call_end(b, c, SBC_END_ERROR, -1, NULL);
			return;
		}
		if (initial)
			answered(b, c);
		b2b_media_offer_end(b, c, false);
		session_timer(b, c, m);
		relay_2xx(b, c, st, m, &out);
		return;
	}
	/* A failure: relayed; an initial INVITE's ends the call, a re-INVITE's does not. */
	out.body = SIP_STR_NULL;
	b2b_respond(b, c, st, status, m->reason, &out);
	if (initial) {
		c->inv_a = NULL;
		b2b_call_end(b, c, SBC_END_FAILED, -1, NULL);
	} else {
		c->reinvite = 0;
		b2b_media_offer_end(b, c, true);
	}
}

/* The transaction layer lets a response through (sig_txn_user.response). */
static void
on_response(void *arg, struct sig_txn *ct, const struct sip_msg *m)
{
	struct b2b *b = arg;
	struct b2b_call *c = ct->owner;
	struct b2b_out out = { .src = m };
	unsigned int bs;

	if (c == NULL) {
		/* The call is gone: finish what our INVITE started. */
		if (ct->kind != SIG_ICT)
			return;
		if (m->status > 100 && m->status < 200 && (ct->flags & SIG_TXN_F_CANCEL_PENDING))
			sig_txn_send_cancel(&b->core, ct);
		else if (m->status >= 200 && m->status < 300)
			close_stray_dialog(b, ct, m);
		return;
	}
	if (ct->method == SIP_M_INVITE) {
		if (ct == c->inv_b && m->status > 100 && m->status < 200 &&
				(ct->flags & SIG_TXN_F_CANCEL_PENDING)) {
			sig_txn_send_cancel(&b->core, ct);
			return;
		}
		invite_response(b, c, ct, m);
		return;
	}
	if (ct->peer == NULL || m->status < 200)
		return; /* our own BYE or CANCEL; provisional answers to non-INVITEs stay here */
	if (m->status < 300 && ct->method == SIP_M_UPDATE) {
		b2b_learn_target(b, &c->leg[ct->side], m);
		session_timer(b, c, m);
	}
	if (ct->method == SIP_M_UPDATE)
		b2b_media_offer_end(b, c, m->status >= 300);
	if (b2b_body_for_other(b, c, (enum b2b_side)ct->side, m, &out, &bs) < 0)
		out.body = SIP_STR_NULL;
	b2b_respond(b, c, ct->peer, m->status, m->reason, &out);
}

/* Timer B, C, F or H fired (sig_txn_user.timeout). */
static void
on_timeout(void *arg, struct sig_txn *t)
{
	struct b2b *b = arg;
	struct b2b_call *c = t->owner;

	if (c == NULL || t->kind == SIG_IST || t->kind == SIG_NIST)
		return;
	if (t == c->inv_b) {
		/* Nobody answered (B), or nobody picked up (C): 408 to the caller. */
		b2b_call_end(b, c, SBC_END_NO_ANSWER, -1, NULL);
		return;
	}
	if (t->method == SIP_M_INVITE)
		c->reinvite = 0;
	if (t->method == SIP_M_INVITE || t->method == SIP_M_UPDATE)
		b2b_media_offer_end(b, c, true);
	if (t->peer != NULL)
		b2b_respond(b, c, t->peer, 408, b2b_cstr("Request Timeout"), NULL);
}

const struct sig_txn_user b2b_txn_user = {
	.response = on_response,
	.timeout = on_timeout,
	.gone = txn_gone,
};

void
b2b_response(struct b2b *b, const struct sig_in *in)
{
	struct sig_txn *ct = sig_txn_client_find(&b->core, in);

	if (ct == NULL) {
		sbc_cnt_add(&B2B_ST(b)->stray, 1);
		return;
	}
	sig_txn_client_response(&b->core, ct, in->msg);
}
