/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * b2b_call.c - the life of a call (b2b.h): the caller's INVITE opens leg A and, towards
 * the route's next hop, leg B; answers, ACKs, cancellations, hang-ups and everything
 * in the dialog are relayed from one leg to the other, rebuilt (b2b_msg.c) and with
 * their SDP rewritten (b2b_media.c). Owning signalling lcore only.
 *
 * Read from the top: the pool and lookup of calls, the end of a call, the requests
 * (new INVITE, ACK, CANCEL, BYE, re-INVITE, other in-dialog requests), then the
 * responses and timeouts the transaction layer hands over, then the call timers.
 */
#include <rte_cycles.h>
#include <rte_malloc.h>

#include "b2b.h"
#include "sig_lcore.h"
#include "sip_build.h"
#include "sip_hdr.h"
#include "sip_reply.h"
#include "sip_shard.h"
#include "sip_uri.h"

#define T1(sl) ((sl)->cfg->sip.t1_ms)
#define T2(sl) ((sl)->cfg->sip.t2_ms)
#define RETRY_AFTER_S 5

/* The Reason header a BYE of the SBC's own carries, per cause (NULL: none). */
static const char *const end_reason[SBC_END_MAX] = {
	[SBC_END_NO_ACK] = "Reason: SIP ;cause=408 ;text=\"ACK not received\"\r\n",
	[SBC_END_MEDIA_TIMEOUT] = "Reason: Q.850 ;cause=102 ;text=\"media inactivity\"\r\n",
	[SBC_END_MAX_DURATION] = "Reason: Q.850 ;cause=102 ;text=\"maximum call duration\"\r\n",
	[SBC_END_SESSION_EXPIRED] = "Reason: SIP ;cause=408 ;text=\"session timer expired\"\r\n",
	[SBC_END_ERROR] = "Reason: SIP ;cause=500 ;text=\"SBC internal error\"\r\n",
	[SBC_END_SHUTDOWN] = "Reason: SIP ;cause=503 ;text=\"SBC shutting down\"\r\n",
};

static void b2b_call_end(struct sig_lcore *sl, struct b2b_call *c, enum sbc_call_end why,
		int by_side, const struct sip_msg *bye);

static struct sip_str
cstr(const char *s)
{
	return (struct sip_str){ s, (uint32_t)strlen(s) };
}

static struct sip_str
bstr(const struct sig_buf *b)
{
	return (struct sip_str){ b->s, b->len };
}

static bool
buf_eq(const struct sig_buf *b, struct sip_str s)
{
	return b->len == s.len && memcmp(b->s, s.s, s.len) == 0;
}

/* ---- pool and lookup ------------------------------------------------------------------ */

int
b2b_init(struct sig_lcore *sl, int socket)
{
	struct b2b_calls *cl = &sl->calls;
	uint32_t n = sl->cfg->sip.max_calls / sl->dp->n_sig, nb = 1, i;

	if (n < 16)
		n = 16;
	while (nb < n)
		nb <<= 1;
	cl->pool = rte_zmalloc_socket("sbc_calls", sizeof(*cl->pool) * n, RTE_CACHE_LINE_SIZE,
			socket);
	cl->bucket = rte_zmalloc_socket("sbc_call_hash", sizeof(*cl->bucket) * nb, 0, socket);
	if (cl->pool == NULL || cl->bucket == NULL)
		return -ENOMEM;
	cl->n = n;
	cl->mask = nb - 1;
	for (i = n; i-- > 0;) {
		cl->pool[i].idx = i;
		cl->pool[i].hnext = cl->free;
		cl->free = &cl->pool[i];
	}
	return b2b_media_init(sl, socket);
}

void
b2b_fini(struct sig_lcore *sl)
{
	b2b_media_fini(sl);
	rte_free(sl->calls.pool);
	rte_free(sl->calls.bucket);
	memset(&sl->calls, 0, sizeof(sl->calls));
}

static uint32_t
call_key(struct sip_str call_id, struct sip_str tag)
{
	return sip_hash(call_id) * 31u + sip_hash(tag);
}

static struct b2b_call *
call_alloc(struct sig_lcore *sl)
{
	struct b2b_calls *cl = &sl->calls;
	struct b2b_call *c = cl->free;
	uint32_t idx;

	if (c == NULL)
		return NULL;
	cl->free = c->hnext;
	idx = c->idx;
	memset(c, 0, sizeof(*c));
	c->idx = idx;
	c->state = B2B_CALLING;
	c->start_ms = sl->now_ms;
	cl->active++;
	sbc_cnt_add(&sl->st->sig.calls_active, 1);
	return c;
}

static void
call_unhash(struct sig_lcore *sl, struct b2b_call *c)
{
	struct b2b_call **pp = &sl->calls.bucket[c->hash & sl->calls.mask];

	for (; *pp != NULL; pp = &(*pp)->hnext)
		if (*pp == c) {
			*pp = c->hnext;
			return;
		}
}

static void
call_free(struct sig_lcore *sl, struct b2b_call *c)
{
	struct sig_txn *t, *next;
	int s;

	sig_timer_cancel(&sl->wheel, &c->t_2xx);
	sig_timer_cancel(&sl->wheel, &c->t_limit);
	sig_timer_cancel(&sl->wheel, &c->t_session);
	sig_timer_cancel(&sl->wheel, &c->t_media);
	/* Transactions live on (absorbing retransmissions) without their call. */
	for (t = c->txns; t != NULL; t = next) {
		next = t->onext;
		t->call = NULL;
		t->onext = NULL;
		if (t->peer != NULL)
			t->peer->peer = NULL;
		t->peer = NULL;
	}
	if (c->hashed)
		call_unhash(sl, c);
	sig_buf_free(&sl->mem, &c->ok);
	sig_buf_free(&sl->mem, &c->ack);
	for (s = 0; s < 2; s++) {
		struct b2b_leg *l = &c->leg[s];

		sig_buf_free(&sl->mem, &l->call_id);
		sig_buf_free(&sl->mem, &l->local_tag);
		sig_buf_free(&sl->mem, &l->remote_tag);
		sig_buf_free(&sl->mem, &l->local_uri);
		sig_buf_free(&sl->mem, &l->remote_uri);
		sig_buf_free(&sl->mem, &l->target);
		sig_buf_free(&sl->mem, &l->route);
	}
	c->state = B2B_FREE;
	c->hnext = sl->calls.free;
	sl->calls.free = c;
	sl->calls.active--;
	sbc_cnt_add(&sl->st->sig.calls_active, (uint64_t)-1);
}

static void
attach(struct b2b_call *c, struct sig_txn *t, enum b2b_side side)
{
	t->call = c;
	t->side = (uint8_t)side;
	t->onext = c->txns;
	c->txns = t;
}

void
b2b_txn_gone(struct sig_lcore *sl, struct sig_txn *t)
{
	struct b2b_call *c = t->call;
	struct sig_txn **pp;

	(void)sl;
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
	t->call = NULL;
}

/* The call of leg A by the caller's Call-ID and From tag. */
static struct b2b_call *
find_a(struct sig_lcore *sl, struct sip_str call_id, struct sip_str tag)
{
	uint32_t h = call_key(call_id, tag);
	struct b2b_call *c;

	for (c = sl->calls.bucket[h & sl->calls.mask]; c != NULL; c = c->hnext)
		if (c->hash == h && buf_eq(&c->leg[B2B_A].call_id, call_id) &&
				buf_eq(&c->leg[B2B_A].remote_tag, tag))
			return c;
	return NULL;
}

/* The call of leg B by our Call-ID (it carries the call's slot). */
static struct b2b_call *
find_b(struct sig_lcore *sl, struct sip_str call_id)
{
	uint32_t idx;
	struct b2b_call *c;

	if (sip_id_slot(call_id, SIP_ID_PREFIX, &idx) < 0 || idx >= sl->calls.n)
		return NULL;
	c = &sl->calls.pool[idx];
	return c->state != B2B_FREE && buf_eq(&c->leg[B2B_B].call_id, call_id) ? c : NULL;
}

/* The dialog of an in-dialog request: the call and the leg it came on, or NULL. */
static struct b2b_call *
find_dialog(struct sig_lcore *sl, const struct sip_msg *m, enum b2b_side *side)
{
	struct sip_addr from, to;
	struct sip_str id;
	struct b2b_call *c;

	if (sip_call_id(m, &id) < 0 || sip_from(m, &from) < 0 || sip_to(m, &to) < 0 ||
			!from.has_tag || !to.has_tag)
		return NULL;
	c = find_b(sl, id);
	if (c != NULL) {
		*side = B2B_B;
		return buf_eq(&c->leg[B2B_B].local_tag, to.tag) &&
						buf_eq(&c->leg[B2B_B].remote_tag, from.tag) ?
				c :
				NULL;
	}
	c = find_a(sl, id, from.tag);
	*side = B2B_A;
	return c != NULL && buf_eq(&c->leg[B2B_A].local_tag, to.tag) ? c : NULL;
}

static bool
new_tag(struct sig_lcore *sl, struct sig_buf *b)
{
	char id[48];
	size_t n = sip_make_id(id, SIP_ID_PREFIX, sl->shard, sig_random(sl));

	return sig_buf_set(&sl->mem, b, id, (uint32_t)n);
}

/* ---- sending -------------------------------------------------------------------------- */

/* A response on server transaction st (leg side of call c) relaying src's headers. */
static void
respond(struct sig_lcore *sl, struct b2b_call *c, struct sig_txn *st, unsigned int status,
		struct sip_str reason, const struct b2b_out *out)
{
	int n = b2b_build_response(sl, c, (enum b2b_side)st->side, st, status, reason, out, sl->out,
			SIG_BUF);

	if (n < 0) {
		sbc_cnt_add(&sl->st->port[st->local.ifidx].drops[SBC_DROP_SIP_TOO_BIG], 1);
		return;
	}
	sig_txn_respond(sl, st, status, sl->out, (uint32_t)n);
}

/* A request in leg side's dialog on a new client transaction; NULL when none is free. */
static struct sig_txn *
request(struct sig_lcore *sl, struct b2b_call *c, enum b2b_side side, enum sip_method method,
		const struct b2b_out *out)
{
	struct b2b_leg *leg = &c->leg[side];
	struct sig_txn *ct = sig_txn_client_new(sl, method, &leg->local, &leg->remote);
	int n;

	if (ct == NULL)
		return NULL;
	ct->cseq = ++leg->local_cseq;
	n = b2b_build_request(sl, c, side, method, ct->cseq, bstr(&ct->branch), out, sl->out,
			SIG_BUF);
	if (n < 0) {
		sig_txn_terminate(sl, ct);
		return NULL;
	}
	attach(c, ct, side);
	sig_txn_client_send(sl, ct, sl->out, (uint32_t)n);
	return ct;
}

/* The ACK for leg side's 2xx to the INVITE with CSeq cseq; kept, to answer its resends. */
static void
send_ack(struct sig_lcore *sl, struct b2b_call *c, enum b2b_side side, uint32_t cseq,
		const struct b2b_out *out)
{
	char br[48];
	size_t bl = sip_make_id(br, SIP_BRANCH_PREFIX, sl->shard, sig_random(sl));
	int n = b2b_build_request(sl, c, side, SIP_M_ACK, cseq, (struct sip_str){ br, (uint32_t)bl },
			out, sl->out, SIG_BUF);

	if (n < 0)
		return;
	sig_buf_set(&sl->mem, &c->ack, sl->out, (uint32_t)n);
	c->ack_side = (uint8_t)side;
	c->ack_cseq = cseq;
	sig_send_msg(sl, &c->leg[side].local, &c->leg[side].remote, sl->out, (uint32_t)n);
}

/* The message's body for the other leg: SDP rewritten, anything else as it is. */
static int
body_for_other(struct sig_lcore *sl, struct b2b_call *c, enum b2b_side side,
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
	n = b2b_media_sdp(sl, c, side, m, sl->sdp_out, SIG_BUF, status);
	if (n < 0)
		return -1;
	out->body = (struct sip_str){ sl->sdp_out, (uint32_t)n };
	out->ctype = cstr("application/sdp");
	return 0;
}

/* ---- dialog state --------------------------------------------------------------------- */

/* Remote target: the first Contact's URI. */
static void
learn_target(struct sig_lcore *sl, struct b2b_leg *leg, const struct sip_msg *m)
{
	struct sip_iter it;
	struct sip_addr a;

	sip_iter_init(&it, m, SIP_H_CONTACT);
	if (sip_addr_next(&it, &a) == 1 && !a.star && a.uri.len > 0)
		sig_buf_set(&sl->mem, &leg->target, a.uri.s, a.uri.len);
}

/* Route set from Record-Route: as received (UAS), or reversed (UAC). */
static void
learn_routes(struct sig_lcore *sl, struct b2b_leg *leg, const struct sip_msg *m, bool reverse)
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
		sig_buf_set(&sl->mem, &leg->route, tmp, (uint32_t)(o.p - tmp));
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
		*reason = "Service Unavailable";
		return 503;
	default:
		*reason = "Server Internal Error";
		return 500;
	}
}

/*
 * Ends the call: the caller's pending INVITE gets a final answer, ours is cancelled,
 * every confirmed leg but the one that hung up (by_side, or -1) gets a BYE (with bye's
 * end-to-end headers, or the SBC's Reason), the flows are withdrawn, and the call is
 * freed; its transactions finish on their own.
 */
static void
b2b_call_end(struct sig_lcore *sl, struct b2b_call *c, enum sbc_call_end why, int by_side,
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

		respond(sl, c, c->inv_a, st, cstr(rs), NULL);
	}
	if (c->inv_b != NULL) {
		if (c->inv_b->state == SIG_TS_PROCEEDING)
			sig_txn_send_cancel(sl, c->inv_b);
		else if (c->inv_b->state == SIG_TS_TRYING)
			c->inv_b->flags |= SIG_TXN_F_CANCEL_PENDING;
	}
	/* Requests still waiting for an answer in the dialog will get none from us. */
	for (t = c->txns; t != NULL; t = t->onext)
		if ((t->kind == SIG_IST || t->kind == SIG_NIST) &&
				(t->state == SIG_TS_TRYING || t->state == SIG_TS_PROCEEDING))
			respond(sl, c, t, t->kind == SIG_IST ? 487 : 481,
					cstr(t->kind == SIG_IST ? "Request Terminated" :
								  "Call/Transaction Does Not Exist"),
					NULL);
	for (s = 0; s < 2; s++) {
		if (s != by_side && c->answered[s]) {
			if (c->ack_pending && c->ack_side == s) {
				send_ack(sl, c, (enum b2b_side)s, c->ack_cseq, NULL);
				c->ack_pending = 0;
			}
			if (request(sl, c, (enum b2b_side)s, SIP_M_BYE, &out) == NULL)
				sbc_cnt_add(&sl->st->sig.no_memory, 1);
		}
	}
	b2b_media_release(sl, c, why);
	sbc_cnt_add(&sl->st->sig.calls_ended[why], 1);
	call_free(sl, c);
}

void
b2b_end_all(struct sig_lcore *sl)
{
	uint32_t i;

	for (i = 0; i < sl->calls.n; i++)
		if (sl->calls.pool[i].state != B2B_FREE)
			b2b_call_end(sl, &sl->calls.pool[i], SBC_END_SHUTDOWN, -1, NULL);
}

/* ---- call timers ---------------------------------------------------------------------- */

static void
on_2xx(struct sig_timer *t, void *ctx)
{
	struct b2b_call *c = container_of(t, struct b2b_call, t_2xx);
	struct sig_lcore *sl = ctx;
	struct b2b_leg *leg = &c->leg[c->ok_side];

	/* RFC 3261 13.3.1.4: T1 doubling up to T2, until 64*T1 without ACK. */
	if (sl->now_ms >= c->ok_until_ms) {
		b2b_call_end(sl, c, SBC_END_NO_ACK, -1, NULL);
		return;
	}
	sig_send_msg(sl, &leg->local, &leg->remote, c->ok.s, c->ok.len);
	sbc_cnt_add(&sl->st->sig.retransmissions, 1);
	c->ok_interval = RTE_MIN(c->ok_interval * 2, T2(sl));
	sig_timer_arm(&sl->wheel, t, c->ok_interval, on_2xx);
}

static void
on_limit(struct sig_timer *t, void *ctx)
{
	b2b_call_end(ctx, container_of(t, struct b2b_call, t_limit), SBC_END_MAX_DURATION, -1,
			NULL);
}

static void
on_session(struct sig_timer *t, void *ctx)
{
	b2b_call_end(ctx, container_of(t, struct b2b_call, t_session), SBC_END_SESSION_EXPIRED, -1,
			NULL);
}

static void
on_media(struct sig_timer *t, void *ctx)
{
	struct b2b_call *c = container_of(t, struct b2b_call, t_media);
	struct sig_lcore *sl = ctx;
	uint64_t hz = rte_get_tsc_hz(), now = rte_rdtsc();
	uint64_t limit = hz * sl->cfg->media.inactivity_s;
	uint64_t last = b2b_media_last(sl, c);
	uint64_t since = (sl->now_ms - c->answer_ms) * (hz / 1000);

	if (c->n_streams == 0)
		return; /* no media to watch (any more) */
	if (last == 0 && since >= limit) {
		b2b_call_end(sl, c, SBC_END_MEDIA_TIMEOUT, -1, NULL);
		return;
	}
	if (last != 0 && now - last >= limit) {
		b2b_call_end(sl, c, SBC_END_MEDIA_TIMEOUT, -1, NULL);
		return;
	}
	sig_timer_arm(&sl->wheel, t, 1000, on_media);
}

/* Session timer (RFC 4028) from a 2xx: a refresh is due within Session-Expires. */
static void
session_timer(struct sig_lcore *sl, struct b2b_call *c, const struct sip_msg *m)
{
	struct sip_session_expires se;

	if (sip_session_expires(m, &se) == 0 && se.delta > 0) {
		c->session_s = se.delta;
		sig_timer_arm(&sl->wheel, &c->t_session, (uint64_t)se.delta * 1000, on_session);
	} else {
		c->session_s = 0;
		sig_timer_cancel(&sl->wheel, &c->t_session);
	}
}

void
b2b_call_limit(struct sig_lcore *sl, struct b2b_call *c, uint32_t seconds)
{
	sig_timer_arm(&sl->wheel, &c->t_limit, (uint64_t)seconds * 1000, on_limit);
}

/* Sends a 2xx to an INVITE on st and keeps retransmitting it until the ACK. */
static void
relay_2xx(struct sig_lcore *sl, struct b2b_call *c, struct sig_txn *st, const struct sip_msg *m,
		const struct b2b_out *out)
{
	int n = b2b_build_response(sl, c, (enum b2b_side)st->side, st, m->status, m->reason, out,
			sl->out, SIG_BUF);

	if (n < 0)
		return;
	sig_txn_respond(sl, st, m->status, sl->out, (uint32_t)n);
	sig_buf_set(&sl->mem, &c->ok, sl->out, (uint32_t)n);
	c->ok_side = st->side;
	c->ok_cseq = st->cseq;
	c->ok_interval = T1(sl);
	c->ok_until_ms = sl->now_ms + 64 * T1(sl);
	sig_timer_arm(&sl->wheel, &c->t_2xx, c->ok_interval, on_2xx);
}

/* ---- requests ------------------------------------------------------------------------- */

/*
 * Option tags the call may require: those the B2BUA relays end to end (reliable
 * provisional responses, session timers, preconditions, 199). Anything else is 420.
 */
static bool
require_ok(struct sig_lcore *sl, const struct sip_msg *m)
{
	static const char *const known[] = { "100rel", "timer", "precondition", "199" };
	struct sip_iter it;
	struct sip_str tok;
	char extra[256];
	unsigned int i;
	int n = 0;

	sip_iter_init(&it, m, SIP_H_REQUIRE);
	while (sip_token_next(&it, &tok) == 1) {
		for (i = 0; i < RTE_DIM(known); i++)
			if (sip_str_icase(tok, known[i]))
				break;
		if (i == RTE_DIM(known) && n < (int)sizeof(extra) - 64)
			n += snprintf(extra + n, sizeof(extra) - (size_t)n, "%s%.*s",
					n ? ", " : "Unsupported: ", (int)RTE_MIN(tok.len, 48u), tok.s);
	}
	if (n == 0)
		return true;
	snprintf(extra + n, sizeof(extra) - (size_t)n, "\r\n");
	sig_reply(sl, 420, "Bad Extension", extra);
	return false;
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
			if (sip_str_ieq((struct sip_str){ p, (uint32_t)(t - p) }, "application/sdp") ||
					sip_str_ieq((struct sip_str){ p, (uint32_t)(t - p) },
							"application/*") ||
					sip_str_ieq((struct sip_str){ p, (uint32_t)(t - p) }, "*/*"))
				return true;
			p = e + 1;
		}
	}
	return false;
}

/* A new INVITE: leg A answered 100, leg B opened towards the route's next hop. */
static void
new_call(struct sig_lcore *sl, const struct sip_via *top)
{
	const struct sip_msg *m = sl->msg;
	const struct sbc_route_cfg *rt = NULL;
	struct b2b_out out = { .src = m };
	struct sip_addr from, to;
	struct sip_str call_id;
	struct sip_cseq cs;
	struct b2b_call *c;
	struct b2b_leg *a, *b;
	struct sig_txn *st, *ct;
	unsigned int i, status = 500;
	const struct dp_iface *via;
	const uint8_t *src;
	char id[48];
	size_t n;

	if (sl->calls.free == NULL || sl->txns.active + 8 > sl->txns.n ||
			rte_ring_count(sl->ring) > rte_ring_get_size(sl->ring) * 3 / 4) {
		sbc_cnt_add(&sl->st->sig.calls_overload, 1);
		sig_reply(sl, 503, "Service Unavailable", "Retry-After: 5\r\n");
		return;
	}
	for (i = 0; i < sl->cfg->n_routes; i++)
		if (sl->cfg->routes[i].from == sl->pkt.dst.ifidx) {
			rt = &sl->cfg->routes[i];
			break;
		}
	if (rt == NULL) {
		sig_reply(sl, 404, "No Route", NULL);
		return;
	}
	if (sip_max_forwards(m) == 0) {
		sig_reply(sl, 483, "Too Many Hops", NULL);
		return;
	}
	if (m->body.len > 0 && (!sip_body_is_sdp(m) || sip_hdr_first(m, SIP_H_CONTENT_ENCODING))) {
		sig_reply(sl, 415, "Unsupported Media Type", "Accept: application/sdp\r\n");
		return;
	}
	if (!accepts_sdp(m)) {
		sig_reply(sl, 406, "Not Acceptable", NULL);
		return;
	}
	if (!require_ok(sl, m))
		return;
	if (sip_call_id(m, &call_id) < 0 || sip_from(m, &from) < 0 || !from.has_tag ||
			sip_to(m, &to) < 0 || sip_cseq(m, &cs) < 0) {
		sig_reply(sl, 400, "Bad Request", NULL);
		return;
	}
	/* The same dialog again with a new branch: a loop or a confused client. */
	if (find_a(sl, call_id, from.tag) != NULL) {
		sig_reply(sl, 482, "Loop Detected", NULL);
		return;
	}
	via = &sl->dp->ifaces[rt->via >= 0 ? rt->via : sl->pkt.dst.ifidx];
	if (rt->dst.family == AF_INET6 ? via->n6 < 2 : via->n4 == 0) {
		sig_reply(sl, 503, "Service Unavailable", NULL);
		return;
	}
	st = sig_txn_server_new(sl, top);
	c = st != NULL ? call_alloc(sl) : NULL;
	if (c == NULL) {
		if (st != NULL)
			sig_txn_terminate(sl, st);
		sbc_cnt_add(&sl->st->sig.calls_overload, 1);
		sig_reply(sl, 503, "Service Unavailable", "Retry-After: 5\r\n");
		return;
	}
	attach(c, st, B2B_A);
	c->inv_a = st;
	sbc_cnt_add(&sl->st->sig.calls_offered, 1);

	/* Leg A: the caller's dialog, the SBC as UAS. */
	a = &c->leg[B2B_A];
	a->local = sl->pkt.dst;
	a->remote = sl->pkt.src;
	a->remote_cseq = cs.num;
	a->o_sess_id = sig_random(sl) >> 12;
	if (!sig_buf_set(&sl->mem, &a->call_id, call_id.s, call_id.len) ||
			!sig_buf_set(&sl->mem, &a->remote_tag, from.tag.s, from.tag.len) ||
			!new_tag(sl, &a->local_tag) ||
			!b2b_copy_nametag(&sl->mem, &a->local_uri, sip_hdr_first(m, SIP_H_TO)->value) ||
			!b2b_copy_nametag(&sl->mem, &a->remote_uri, sip_hdr_first(m, SIP_H_FROM)->value))
		goto fail;
	learn_target(sl, a, m);
	if (a->target.len == 0 && !sig_buf_set(&sl->mem, &a->target, from.uri.s, from.uri.len))
		goto fail;
	learn_routes(sl, a, m, false);
	c->hash = call_key(call_id, from.tag);
	c->hnext = sl->calls.bucket[c->hash & sl->calls.mask];
	sl->calls.bucket[c->hash & sl->calls.mask] = c;
	c->hashed = 1;
	respond(sl, c, st, 100, cstr("Trying"), NULL);

	/* Leg B: the SBC as UAC, from our address on the route's interface. */
	b = &c->leg[B2B_B];
	b->local.ifidx = (uint8_t)via->idx;
	b->local.v6 = rt->dst.family == AF_INET6;
	b->local.port = sl->cfg->ports[via->idx].sip_udp_port;
	memcpy(b->remote.ip, rt->dst.a, b->local.v6 ? 16 : 4);
	src = dp_iface_src_for(via, b->local.v6, b->remote.ip);
	memcpy(b->local.ip, src, b->local.v6 ? 16 : 4);
	b->remote.ifidx = b->local.ifidx;
	b->remote.v6 = b->local.v6;
	b->remote.port = rt->dst_port;
	b->o_sess_id = sig_random(sl) >> 12;
	n = sip_make_id(id, SIP_ID_PREFIX, sl->shard,
			(uint64_t)c->idx << 32 | (sig_random(sl) & 0xffffffffu));
	if (!sig_buf_set(&sl->mem, &b->call_id, id, (uint32_t)n) || !new_tag(sl, &b->local_tag) ||
			b2b_leg_b_identity(sl, c, m) < 0)
		goto fail;
	if (body_for_other(sl, c, B2B_A, m, &out, &status) < 0)
		goto refuse;
	ct = request(sl, c, B2B_B, SIP_M_INVITE, &out);
	if (ct == NULL)
		goto fail;
	c->inv_b = ct;
	ct->flags |= SIG_TXN_F_INITIAL;
	b->local_cseq_invite = ct->cseq;
	ct->peer = st;
	st->peer = ct;
	return;
fail:
	status = 500;
refuse:
	respond(sl, c, st, status, cstr(status == 488 ? "Not Acceptable Here" :
					 status == 503 ? "Service Unavailable" :
							 "Server Internal Error"),
			NULL);
	c->inv_a = NULL;
	b2b_call_end(sl, c, SBC_END_REJECTED, -1, NULL);
}

/* An ACK in a dialog: the 2xx it acknowledges stops, and the other leg's 2xx is ACKed. */
static void
on_ack(struct sig_lcore *sl)
{
	const struct sip_msg *m = sl->msg;
	struct b2b_out out = { .src = m };
	enum b2b_side side;
	struct sip_cseq cs;
	unsigned int status;
	struct b2b_call *c = find_dialog(sl, m, &side);

	if (c == NULL || sip_cseq(m, &cs) < 0) {
		sbc_cnt_add(&sl->st->sig.stray, 1);
		return;
	}
	if (c->ok.len == 0 || side != c->ok_side || cs.num != c->ok_cseq)
		return; /* a retransmitted ACK */
	sig_timer_cancel(&sl->wheel, &c->t_2xx);
	sig_buf_free(&sl->mem, &c->ok);
	if (c->state == B2B_ANSWERED)
		c->state = B2B_CONFIRMED;
	c->reinvite = 0;
	if (!c->ack_pending)
		return;
	c->ack_pending = 0;
	/* A late offer's answer rides on the ACK. */
	if (body_for_other(sl, c, side, m, &out, &status) < 0)
		out.body = SIP_STR_NULL;
	send_ack(sl, c, (enum b2b_side)c->ack_side, c->ack_cseq, &out);
}

/* CANCEL: 200 for it, 487 for the INVITE, a CANCEL on leg B (RFC 3261 9.2). */
static void
on_cancel(struct sig_lcore *sl, const struct sip_via *top)
{
	struct sig_txn *inv = sig_txn_server_find(sl, sl->msg, top, SIP_M_INVITE);
	struct b2b_call *c;
	struct sip_reply r = { .status = 200, .reason = "OK" };
	char src[64];
	int n;

	if (inv == NULL) {
		sig_reply(sl, 481, "Call/Transaction Does Not Exist", NULL);
		return;
	}
	c = inv->call;
	if (c != NULL)
		r.to_tag = bstr(&c->leg[B2B_A].local_tag);
	r.src_ip = sig_addr_ip_str(&sl->pkt.src, src, sizeof(src));
	r.src_port = sl->pkt.src.port;
	n = sip_make_response(sl->msg, &r, sl->out, SIG_BUF);
	if (n > 0)
		sig_send_msg(sl, &sl->pkt.dst, &sl->pkt.src, sl->out, (uint32_t)n);
	if (c == NULL || inv->state != SIG_TS_PROCEEDING || c->inv_a != inv)
		return; /* answered already: the CANCEL changes nothing */
	b2b_call_end(sl, c, SBC_END_CANCEL, -1, NULL);
}

/* BYE: answered here and now, the other leg gets one, the call ends. */
static void
on_bye(struct sig_lcore *sl, struct b2b_call *c, enum b2b_side side, const struct sip_via *top)
{
	struct sig_txn *st = sig_txn_server_new(sl, top);

	if (st != NULL) {
		attach(c, st, side);
		respond(sl, c, st, 200, cstr("OK"), NULL);
	}
	b2b_call_end(sl, c, side == B2B_A ? SBC_END_BYE_A : SBC_END_BYE_B, side, sl->msg);
}

/*
 * A request in the dialog relayed to the other leg: re-INVITE (with its ACK later),
 * UPDATE, PRACK (RAck renumbered), INFO, OPTIONS. SDP is rewritten, other bodies pass.
 */
static void
relay_request(struct sig_lcore *sl, struct b2b_call *c, enum b2b_side side,
		const struct sip_via *top)
{
	const struct sip_msg *m = sl->msg;
	enum b2b_side other = B2B_OTHER(side);
	struct b2b_out out = { .src = m };
	struct sig_txn *st, *ct;
	unsigned int status = 500;
	const char *reason = "Server Internal Error";

	if (m->method == SIP_M_INVITE && (c->reinvite || c->inv_a != NULL || c->inv_b != NULL ||
						  c->ok.len > 0)) {
		sig_reply(sl, 491, "Request Pending", NULL);
		return;
	}
	st = sig_txn_server_new(sl, top);
	if (st == NULL) {
		sig_reply(sl, 503, "Service Unavailable", "Retry-After: 5\r\n");
		return;
	}
	attach(c, st, side);
	if (m->method == SIP_M_INVITE)
		respond(sl, c, st, 100, cstr("Trying"), NULL);
	if (m->method == SIP_M_INVITE || m->method == SIP_M_UPDATE)
		learn_target(sl, &c->leg[side], m); /* target refresh */
	if (m->method == SIP_M_PRACK)
		out.rack_cseq = c->leg[other].local_cseq_invite;
	if (body_for_other(sl, c, side, m, &out, &status) < 0) {
		reason = status == 488 ? "Not Acceptable Here" : "Service Unavailable";
		goto refuse;
	}
	ct = request(sl, c, other, (enum sip_method)m->method, &out);
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
	respond(sl, c, st, status, cstr(reason), NULL);
}

/* A request with a To tag: find its dialog, check its CSeq, act by method. */
static void
in_dialog(struct sig_lcore *sl, const struct sip_via *top)
{
	const struct sip_msg *m = sl->msg;
	enum b2b_side side;
	struct sip_cseq cs;
	struct b2b_call *c = find_dialog(sl, m, &side);

	if (c == NULL) {
		sbc_cnt_add(&sl->st->sig.stray, 1);
		sig_reply(sl, 481, "Call/Transaction Does Not Exist", NULL);
		return;
	}
	if (sip_cseq(m, &cs) < 0 || cs.num <= c->leg[side].remote_cseq) {
		sig_reply(sl, 500, "Server Internal Error", "Retry-After: 1\r\n");
		return; /* RFC 3261 12.2.2: lower CSeq */
	}
	c->leg[side].remote_cseq = cs.num;
	switch (m->method) {
	case SIP_M_BYE:
		on_bye(sl, c, side, top);
		return;
	case SIP_M_INVITE:
	case SIP_M_UPDATE:
	case SIP_M_PRACK:
	case SIP_M_INFO:
	case SIP_M_OPTIONS:
		relay_request(sl, c, side, top);
		return;
	case SIP_M_OTHER:
		sig_reply(sl, 501, "Not Implemented", SIG_ALLOW);
		return;
	default:
		sig_reply(sl, 405, "Method Not Allowed", SIG_ALLOW);
		return;
	}
}

void
b2b_request(struct sig_lcore *sl, const struct sip_via *top)
{
	const struct sip_msg *m = sl->msg;
	struct sig_txn *st = sig_txn_server_find(sl, m, top, (enum sip_method)m->method);
	struct sip_addr to;

	if (st != NULL && sig_txn_server_request(sl, st, m))
		return; /* a retransmission, or the ACK of an error response */
	if (m->method == SIP_M_ACK) {
		on_ack(sl);
		return;
	}
	if (!top->has_branch || top->branch.len == 0) {
		sig_reply(sl, 400, "Missing Via Branch", NULL);
		return;
	}
	if (m->method == SIP_M_CANCEL) {
		on_cancel(sl, top);
		return;
	}
	if (sip_to(m, &to) == 0 && to.has_tag) {
		in_dialog(sl, top);
		return;
	}
	switch (m->method) {
	case SIP_M_INVITE:
		new_call(sl, top);
		return;
	case SIP_M_BYE:
	case SIP_M_PRACK:
	case SIP_M_UPDATE:
	case SIP_M_INFO:
		sig_reply(sl, 481, "Call/Transaction Does Not Exist", NULL);
		return;
	case SIP_M_OTHER:
		sig_reply(sl, 501, "Not Implemented", SIG_ALLOW);
		return;
	default:
		sig_reply(sl, 405, "Method Not Allowed", SIG_ALLOW);
		return;
	}
}

/* ---- responses ------------------------------------------------------------------------ */

/*
 * A 2xx to an INVITE of ours that has no call any more (cancelled, or another fork's
 * answer): the dialog it made is ACKed and closed with BYE (RFC 3261 15, 13.2.2.4).
 */
static void
close_stray_dialog(struct sig_lcore *sl, struct sig_txn *ct, const struct sip_msg *m)
{
	struct sip_iter it;
	struct sip_addr a;
	struct sip_str target = SIP_STR_NULL;
	const struct sip_hdr *h;
	struct sig_txn *bye;
	struct sip_out o;
	char br[48];
	size_t bl;
	int n, pass;

	sip_iter_init(&it, m, SIP_H_CONTACT);
	if (sip_addr_next(&it, &a) == 1 && !a.star)
		target = a.uri;
	if (target.len == 0)
		return;
	for (pass = 0; pass < 2; pass++) {
		bool is_ack = pass == 0;

		bye = NULL;
		if (is_ack) {
			bl = sip_make_id(br, SIP_BRANCH_PREFIX, sl->shard, sig_random(sl));
		} else {
			bye = sig_txn_client_new(sl, SIP_M_BYE, &ct->local, &ct->remote);
			if (bye == NULL)
				return;
			bye->cseq = ct->cseq + 1;
			bl = bye->branch.len;
			memcpy(br, bye->branch.s, bl);
		}
		sip_out_init(&o, sl->out, SIG_BUF);
		sip_out_request_line(&o, cstr(is_ack ? "ACK" : "BYE"), target);
		sip_out_cstr(&o, "Via: SIP/2.0/UDP ");
		{
			char ip[64];

			sig_addr_ip_str(&ct->local, ip, sizeof(ip));
			if (ct->local.v6)
				sip_out_raw(&o, "[", 1);
			sip_out_cstr(&o, ip);
			if (ct->local.v6)
				sip_out_raw(&o, "]", 1);
			sip_out_raw(&o, ":", 1);
			sip_out_uint(&o, ct->local.port);
		}
		sip_out_cstr(&o, ";branch=");
		sip_out_raw(&o, br, bl);
		sip_out_cstr(&o, ";rport\r\nMax-Forwards: 70\r\n");
		for (h = sip_hdr_first(m, SIP_H_FROM); h != NULL; h = NULL)
			sip_out_copy_header(&o, m, h);
		for (h = sip_hdr_first(m, SIP_H_TO); h != NULL; h = NULL)
			sip_out_copy_header(&o, m, h);
		for (h = sip_hdr_first(m, SIP_H_CALL_ID); h != NULL; h = NULL)
			sip_out_copy_header(&o, m, h);
		sip_out_cstr(&o, "CSeq: ");
		sip_out_uint(&o, is_ack ? ct->cseq : ct->cseq + 1);
		sip_out_cstr(&o, is_ack ? " ACK\r\n" : " BYE\r\n");
		n = sip_out_finish(&o, SIP_STR_NULL);
		if (n < 0) {
			if (bye != NULL)
				sig_txn_terminate(sl, bye);
			return;
		}
		if (is_ack)
			sig_send_msg(sl, &ct->local, &ct->remote, sl->out, (uint32_t)n);
		else
			sig_txn_client_send(sl, bye, sl->out, (uint32_t)n);
	}
}

/* Dialog state of leg side from a response that establishes or confirms it. */
static void
learn_dialog(struct sig_lcore *sl, struct b2b_call *c, enum b2b_side side, const struct sip_msg *m,
		bool initial)
{
	struct b2b_leg *leg = &c->leg[side];
	struct sip_addr to;

	if (m->status <= 100 || m->status >= 300)
		return;
	learn_target(sl, leg, m);
	if (!initial || sip_to(m, &to) < 0 || !to.has_tag)
		return;
	/* A 2xx from another fork than the early dialog's replaces it. */
	if (leg->remote_tag.len == 0 || (m->status >= 200 && c->state < B2B_ANSWERED)) {
		sig_buf_set(&sl->mem, &leg->remote_tag, to.tag.s, to.tag.len);
		sig_buf_free(&sl->mem, &leg->route);
		learn_routes(sl, leg, m, true);
	}
}

/* Our INVITE on leg B (or a re-INVITE on either leg) got an answer. */
static void
invite_response(struct sig_lcore *sl, struct b2b_call *c, struct sig_txn *ct,
		const struct sip_msg *m)
{
	enum b2b_side side = (enum b2b_side)ct->side;
	struct sig_txn *st = ct->peer;
	struct b2b_out out = { .src = m };
	bool initial = (ct->flags & SIG_TXN_F_INITIAL) != 0;
	unsigned int status = m->status, bs;
	struct sip_addr to;

	if (status >= 200 && status < 300 && (ct->flags & SIG_TXN_F_ANSWERED)) {
		/* A resent 2xx (our ACK again, if sent), or another fork's (closed). */
		if (sip_to(m, &to) == 0 && to.has_tag && buf_eq(&c->leg[side].remote_tag, to.tag)) {
			if (c->ack.len > 0 && c->ack_cseq == ct->cseq && c->ack_side == side)
				sig_send_msg(sl, &c->leg[side].local, &c->leg[side].remote, c->ack.s,
						c->ack.len);
		} else if (initial) {
			close_stray_dialog(sl, ct, m);
		}
		return;
	}
	if (status >= 200 && status < 300)
		ct->flags |= SIG_TXN_F_ANSWERED;
	learn_dialog(sl, c, side, m, initial);
	if (status == 100 || st == NULL)
		return;
	if (status < 200) {
		if (initial)
			c->state = B2B_EARLY;
		if (body_for_other(sl, c, side, m, &out, &bs) < 0)
			out.body = SIP_STR_NULL;
		respond(sl, c, st, status, m->reason, &out);
		return;
	}
	if (status < 300) {
		c->ack_pending = 1;
		c->ack_side = (uint8_t)side;
		c->ack_cseq = ct->cseq;
		if (initial)
			c->answered[B2B_B] = 1;
		if (body_for_other(sl, c, side, m, &out, &bs) < 0) {
			/* An answer we cannot relay: the call cannot go on. */
			b2b_call_end(sl, c, SBC_END_ERROR, -1, NULL);
			return;
		}
		if (initial) {
			c->answered[B2B_A] = 1;
			c->state = B2B_ANSWERED;
			c->answer_ms = sl->now_ms;
			c->inv_a = NULL;
			c->inv_b = NULL;
			sbc_cnt_add(&sl->st->sig.calls_answered, 1);
			if (sl->cfg->sip.max_call_s)
				b2b_call_limit(sl, c, sl->cfg->sip.max_call_s);
			if (sl->cfg->media.inactivity_s)
				sig_timer_arm(&sl->wheel, &c->t_media, 1000, on_media);
		}
		session_timer(sl, c, m);
		relay_2xx(sl, c, st, m, &out);
		return;
	}
	/* A failure: relayed; an initial INVITE's ends the call, a re-INVITE's does not. */
	out.body = SIP_STR_NULL;
	respond(sl, c, st, status, m->reason, &out);
	if (initial) {
		c->inv_a = NULL;
		b2b_call_end(sl, c, SBC_END_FAILED, -1, NULL);
	} else {
		c->reinvite = 0;
	}
}

void
b2b_on_response(struct sig_lcore *sl, struct sig_txn *ct, const struct sip_msg *m)
{
	struct b2b_call *c = ct->call;
	struct b2b_out out = { .src = m };
	unsigned int bs;

	if (c == NULL) {
		/* The call is gone: finish what our INVITE started. */
		if (ct->kind != SIG_ICT)
			return;
		if (m->status > 100 && m->status < 200 && (ct->flags & SIG_TXN_F_CANCEL_PENDING))
			sig_txn_send_cancel(sl, ct);
		else if (m->status >= 200 && m->status < 300)
			close_stray_dialog(sl, ct, m);
		return;
	}
	if (ct->method == SIP_M_INVITE) {
		if (ct == c->inv_b && m->status > 100 && m->status < 200 &&
				(ct->flags & SIG_TXN_F_CANCEL_PENDING)) {
			sig_txn_send_cancel(sl, ct);
			return;
		}
		invite_response(sl, c, ct, m);
		return;
	}
	if (ct->peer == NULL || m->status < 200)
		return; /* our own BYE or CANCEL; provisional answers to non-INVITEs stay here */
	if (m->status < 300 && ct->method == SIP_M_UPDATE) {
		learn_target(sl, &c->leg[ct->side], m);
		session_timer(sl, c, m);
	}
	if (body_for_other(sl, c, (enum b2b_side)ct->side, m, &out, &bs) < 0)
		out.body = SIP_STR_NULL;
	respond(sl, c, ct->peer, m->status, m->reason, &out);
}

void
b2b_on_timeout(struct sig_lcore *sl, struct sig_txn *t)
{
	struct b2b_call *c = t->call;

	if (c == NULL || t->kind == SIG_IST || t->kind == SIG_NIST)
		return;
	if (t == c->inv_b) {
		/* Nobody answered (B), or nobody picked up (C): 408 to the caller. */
		b2b_call_end(sl, c, SBC_END_NO_ANSWER, -1, NULL);
		return;
	}
	if (t->method == SIP_M_INVITE)
		c->reinvite = 0;
	if (t->peer != NULL)
		respond(sl, c, t->peer, 408, cstr("Request Timeout"), NULL);
}

void
b2b_response(struct sig_lcore *sl)
{
	struct sig_txn *ct = sig_txn_client_find(sl, sl->msg);

	if (ct == NULL) {
		sbc_cnt_add(&sl->st->sig.stray, 1);
		return;
	}
	sig_txn_client_response(sl, ct, sl->msg);
}
