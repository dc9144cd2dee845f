/* SPDX-License-Identifier: BSD-3-Clause */
/* sig_txn.c - SIP transaction machines (see sig_txn.h). Owning signalling lcore only. */
#include <stddef.h>
#include <string.h>

#include "sig_core.h"
#include "sig_txn.h"
#include "sip_build.h"
#include "sip_reply.h"
#include "sip_shard.h"

#define T1(c) ((c)->t1_ms)
#define T2(c) ((c)->t2_ms)
#define T4(c) ((c)->t4_ms)
#define TIMER_C_MS 180000u /* a provisional answer keeps an INVITE alive this long */

/* ---- pool ----------------------------------------------------------------------------- */

static struct sig_txn *
txn_alloc(struct sig_core *c, enum sig_txn_kind kind, enum sip_method method)
{
	struct sig_txns *tl = &c->txns;
	struct sig_txn *t = tl->free;
	uint32_t idx;

	if (t == NULL)
		return NULL;
	tl->free = t->hnext;
	idx = t->idx;
	memset(t, 0, sizeof(*t));
	t->idx = idx;
	t->kind = (uint8_t)kind;
	t->method = (uint8_t)method;
	t->state = SIG_TS_TRYING;
	tl->active++;
	sbc_cnt_add(&c->st->sig.txns_active, 1);
	return t;
}

static void
txn_unhash(struct sig_core *c, struct sig_txn *t)
{
	struct sig_txn **pp = &c->txns.bucket[t->hash & c->txns.mask];

	for (; *pp != NULL; pp = &(*pp)->hnext)
		if (*pp == t) {
			*pp = t->hnext;
			return;
		}
}

void
sig_txn_terminate(struct sig_core *c, struct sig_txn *t)
{
	struct sig_txns *tl = &c->txns;

	if (t->state == SIG_TS_FREE)
		return;
	sig_timer_cancel(&c->wheel, &t->t_retx);
	sig_timer_cancel(&c->wheel, &t->t_end);
	if (t->kind == SIG_IST || t->kind == SIG_NIST)
		txn_unhash(c, t);
	t->state = SIG_TS_TERMINATED;
	if (t->cancel != NULL && t->cancel->cancel == t)
		t->cancel->cancel = NULL;
	c->tu->gone(c->tu_arg, t);
	sig_buf_free(&c->mem, &t->branch);
	sig_buf_free(&c->mem, &t->msg);
	sig_buf_free(&c->mem, &t->head);
	t->state = SIG_TS_FREE;
	t->hnext = tl->free;
	tl->free = t;
	tl->active--;
	sbc_cnt_add(&c->st->sig.txns_active, (uint64_t)-1);
}

static void
resend(struct sig_core *c, struct sig_txn *t)
{
	if (t->msg.len > 0)
		sig_core_send(c, &t->local, &t->remote, t->msg.s, t->msg.len);
}

/* ---- timers --------------------------------------------------------------------------- */

static void
on_retx(struct sig_timer *tm, void *ctx)
{
	struct sig_txn *t = SIG_OWNER(tm, struct sig_txn, t_retx);
	struct sig_core *c = ctx;

	resend(c, t);
	sbc_cnt_add(&c->st->sig.retransmissions, 1);
	switch (t->kind) {
	case SIG_ICT: /* timer A: doubles without a cap */
		t->interval *= 2;
		break;
	case SIG_NICT: /* timer E: doubles up to T2, T2 once proceeding */
	case SIG_IST:  /* timer G: doubles up to T2 */
		t->interval = t->state == SIG_TS_PROCEEDING ? T2(c) :
							      SIG_MIN(t->interval * 2, T2(c));
		break;
	default:
		return;
	}
	sig_timer_arm(&c->wheel, &t->t_retx, t->interval, on_retx);
}

static void
on_end(struct sig_timer *tm, void *ctx)
{
	struct sig_txn *t = SIG_OWNER(tm, struct sig_txn, t_end);
	struct sig_core *c = ctx;

	/* Timer C: ringing too long. The TU cancels; the 487 ends the transaction. */
	if (t->kind == SIG_ICT && t->state == SIG_TS_PROCEEDING && t->cancel == NULL) {
		sbc_cnt_add(&c->st->sig.txn_timeouts, 1);
		c->tu->timeout(c->tu_arg, t);
		if (t->state == SIG_TS_PROCEEDING) {
			sig_timer_arm(&c->wheel, &t->t_end, 64 * T1(c), on_end);
			return;
		}
	}
	/* B and F: the request went unanswered; H: no ACK came. */
	if ((t->kind == SIG_ICT && t->state == SIG_TS_TRYING) ||
			(t->kind == SIG_NICT && t->state != SIG_TS_COMPLETED) ||
			(t->kind == SIG_IST && t->state == SIG_TS_COMPLETED)) {
		sbc_cnt_add(&c->st->sig.txn_timeouts, 1);
		c->tu->timeout(c->tu_arg, t);
	}
	/* D, I, J, K, L, M (and the above): the transaction is over. */
	sig_txn_terminate(c, t);
}

/* ---- server --------------------------------------------------------------------------- */

static bool
method_matches(const struct sig_txn *t, enum sip_method method)
{
	if (method == SIP_M_ACK)
		return t->kind == SIG_IST;
	return t->method == method;
}

struct sig_txn *
sig_txn_server_find(struct sig_core *c, const struct sig_in *in, enum sip_method method)
{
	const struct sip_via *top = &in->top;
	uint32_t h;
	struct sig_txn *t;

	if (!top->has_branch || top->branch.len == 0)
		return NULL;
	h = sig_core_hash(c, top->branch);
	for (t = c->txns.bucket[h & c->txns.mask]; t != NULL; t = t->hnext)
		if (t->hash == h && t->branch.len == top->branch.len &&
				memcmp(t->branch.s, top->branch.s, top->branch.len) == 0 &&
				method_matches(t, method) && sig_addr_eq(&t->remote, &in->src))
			return t;
	return NULL;
}

bool
sig_txn_server_request(struct sig_core *c, struct sig_txn *st, const struct sig_in *in)
{
	if (in->msg->method == SIP_M_ACK) {
		if (st->state == SIG_TS_ACCEPTED)
			return false; /* RFC 6026 8.7: the TU's */
		if (st->state == SIG_TS_COMPLETED) {
			st->state = SIG_TS_CONFIRMED;
			sig_timer_cancel(&c->wheel, &st->t_retx);
			sig_timer_arm(&c->wheel, &st->t_end, T4(c), on_end); /* timer I */
		}
		return true;
	}
	sbc_cnt_add(&c->st->sig.retransmissions_rx, 1);
	if (st->state == SIG_TS_PROCEEDING || st->state == SIG_TS_COMPLETED)
		resend(c, st);
	return true;
}

struct sig_txn *
sig_txn_server_new(struct sig_core *c, const struct sig_in *in)
{
	const struct sip_via *top = &in->top;
	const struct sip_msg *m = in->msg;
	enum sip_method method = (enum sip_method)m->method;
	struct sig_txn *t;
	struct sip_out o;
	struct sip_cseq cs;
	char ip[64];
	bool has_tag;

	if (!top->has_branch || top->branch.len == 0 || sip_cseq(m, &cs) < 0)
		return NULL;
	t = txn_alloc(c, method == SIP_M_INVITE ? SIG_IST : SIG_NIST, method);
	if (t == NULL)
		return NULL;
	t->local = in->dst;
	t->remote = in->src;
	t->cseq = cs.num;
	t->state = method == SIP_M_INVITE ? SIG_TS_PROCEEDING : SIG_TS_TRYING;
	sip_out_init(&o, c->out, SIG_BUF);
	if (sip_response_head(m, sig_addr_ip_str(&in->src, ip, sizeof(ip)), in->src.port,
			    &o, &t->head_to, &has_tag) < 0)
		goto fail;
	/* Responses that make a dialog carry the request's Record-Route (RFC 3261 12.1.1). */
	if (method == SIP_M_INVITE) {
		const struct sip_hdr *h;

		for (h = sip_hdr_first(m, SIP_H_RECORD_ROUTE); h != NULL; h = sip_hdr_next(m, h))
			sip_out_copy_header(&o, m, h);
	}
	if (o.overflow ||
			!sig_buf_set(&c->mem, &t->head, o.start, (uint32_t)(o.p - o.start)) ||
			!sig_buf_set(&c->mem, &t->branch, top->branch.s, top->branch.len))
		goto fail;
	t->to_has_tag = has_tag;
	t->hash = sig_core_hash(c, top->branch);
	t->hnext = c->txns.bucket[t->hash & c->txns.mask];
	c->txns.bucket[t->hash & c->txns.mask] = t;
	return t;
fail:
	sig_txn_terminate(c, t); /* not hashed yet: the unhash finds nothing */
	return NULL;
}

void
sig_txn_respond(struct sig_core *c, struct sig_txn *st, unsigned int status, const char *data,
		uint32_t len)
{
	if (st->state != SIG_TS_TRYING && st->state != SIG_TS_PROCEEDING)
		return; /* a final response was sent already */
	sig_core_send(c, &st->local, &st->remote, data, len);
	st->status = (uint16_t)status;
	if (status < 200) {
		st->state = SIG_TS_PROCEEDING;
		sig_buf_set(&c->mem, &st->msg, data, len);
		return;
	}
	sig_timer_cancel(&c->wheel, &st->t_retx);
	if (st->kind == SIG_IST && status < 300) {
		/* The UAS core retransmits the 2xx; absorb INVITE retransmissions (timer L). */
		st->state = SIG_TS_ACCEPTED;
		sig_buf_free(&c->mem, &st->msg);
		sig_timer_arm(&c->wheel, &st->t_end, 64 * T1(c), on_end);
		return;
	}
	st->state = SIG_TS_COMPLETED;
	sig_buf_set(&c->mem, &st->msg, data, len);
	if (st->kind == SIG_IST) {
		st->interval = T1(c);
		sig_timer_arm(&c->wheel, &st->t_retx, st->interval, on_retx);  /* G */
		sig_timer_arm(&c->wheel, &st->t_end, 64 * T1(c), on_end);     /* H */
	} else {
		sig_timer_arm(&c->wheel, &st->t_end, 64 * T1(c), on_end);     /* J */
	}
}

/* ---- client --------------------------------------------------------------------------- */

struct sig_txn *
sig_txn_client_new(struct sig_core *c, enum sip_method method, const struct sig_addr *local,
		const struct sig_addr *remote)
{
	struct sig_txn *t = txn_alloc(c, method == SIP_M_INVITE ? SIG_ICT : SIG_NICT, method);
	char br[SIP_ID_MAX];
	size_t n;

	if (t == NULL)
		return NULL;
	n = sip_make_slot_id(br, SIP_BRANCH_PREFIX, c->shard, t->idx, sig_core_random(c));
	if (!sig_buf_set(&c->mem, &t->branch, br, (uint32_t)n)) {
		sig_txn_terminate(c, t);
		return NULL;
	}
	t->local = *local;
	t->remote = *remote;
	return t;
}

/* A CANCEL transaction for the INVITE client transaction ict (same branch), or NULL. */
static struct sig_txn *
client_cancel(struct sig_core *c, struct sig_txn *ict)
{
	struct sig_txn *t;

	if (ict->cancel != NULL)
		return NULL;
	t = txn_alloc(c, SIG_NICT, SIP_M_CANCEL);
	if (t == NULL)
		return NULL;
	if (!sig_buf_set(&c->mem, &t->branch, ict->branch.s, ict->branch.len)) {
		sig_txn_terminate(c, t);
		return NULL;
	}
	t->local = ict->local;
	t->remote = ict->remote;
	t->cseq = ict->cseq;
	t->cancel = ict; /* each points at the other */
	ict->cancel = t;
	return t;
}

/*
 * A CANCEL or a non-2xx ACK, into c->out: the INVITE's Request-URI, top Via (v),
 * Route set, From and Call-ID; To from to_src (the INVITE for CANCEL, the response
 * for ACK); CSeq with the INVITE's number. Returns the length, or -1.
 */
static int
build_from_invite(struct sig_core *c, const struct sip_msg *inv, const struct sip_via *v,
		const struct sip_msg *to_src, const char *method, uint32_t cseq)
{
	const struct sip_hdr *h;
	struct sip_out o;

	sip_out_init(&o, c->out, SIG_BUF);
	sip_out_request_line(&o, (struct sip_str){ method, (uint32_t)strlen(method) }, inv->ruri);
	sip_out_header(&o, (struct sip_str){ "Via", 3 }, v->raw);
	for (h = sip_hdr_first(inv, SIP_H_ROUTE); h != NULL; h = sip_hdr_next(inv, h))
		sip_out_copy_header(&o, inv, h);
	sip_out_cstr(&o, "Max-Forwards: 70\r\n");
	if ((h = sip_hdr_first(inv, SIP_H_FROM)) != NULL)
		sip_out_copy_header(&o, inv, h);
	if ((h = sip_hdr_first(to_src, SIP_H_TO)) != NULL)
		sip_out_copy_header(&o, to_src, h);
	if ((h = sip_hdr_first(inv, SIP_H_CALL_ID)) != NULL)
		sip_out_copy_header(&o, inv, h);
	sip_out_cstr(&o, "CSeq: ");
	sip_out_uint(&o, cseq);
	sip_out_cstr(&o, " ");
	sip_out_cstr(&o, method);
	sip_out_cstr(&o, "\r\n");
	return sip_out_finish(&o, SIP_STR_NULL);
}

void
sig_txn_send_cancel(struct sig_core *c, struct sig_txn *ict)
{
	struct sip_msg *inv = c->kept;
	struct sig_txn *ct;
	struct sip_via v;
	int n;

	ict->flags &= (uint8_t)~SIG_TXN_F_CANCEL_PENDING;
	if (ict->msg.len == 0 || sip_parse(inv, ict->msg.s, ict->msg.len, SIP_FRAME_DATAGRAM, NULL) < 0 ||
			sip_via_top(inv, &v) < 0)
		return;
	ct = client_cancel(c, ict);
	if (ct == NULL)
		return;
	/* RFC 3261 9.1: Request-URI, Call-ID, From, To, CSeq number and top Via of the INVITE. */
	n = build_from_invite(c, inv, &v, inv, "CANCEL", ict->cseq);
	if (n < 0) {
		sig_txn_terminate(c, ct);
		return;
	}
	sig_txn_client_send(c, ct, c->out, (uint32_t)n);
}

void
sig_txn_client_send(struct sig_core *c, struct sig_txn *ct, const char *data, uint32_t len)
{
	sig_buf_set(&c->mem, &ct->msg, data, len);
	sig_core_send(c, &ct->local, &ct->remote, data, len);
	ct->interval = T1(c);
	sig_timer_arm(&c->wheel, &ct->t_retx, ct->interval, on_retx); /* A or E */
	sig_timer_arm(&c->wheel, &ct->t_end, 64 * T1(c), on_end);    /* B or F */
}

struct sig_txn *
sig_txn_client_find(struct sig_core *c, const struct sig_in *in)
{
	const struct sip_msg *m = in->msg;
	struct sip_str branch = in->branch;
	struct sip_via v;
	struct sip_cseq cs;
	struct sig_txn *t;
	uint32_t idx;

	/* The dataplane's first-line check found the branch; else the top Via is parsed. */
	if (branch.len == 0) {
		if (sip_via_top(m, &v) < 0 || !v.has_branch)
			return NULL;
		branch = v.branch;
	}
	if (sip_cseq(m, &cs) < 0 || sip_id_slot(branch, SIP_BRANCH_PREFIX, &idx) < 0 ||
			idx >= c->txns.n)
		return NULL;
	t = &c->txns.pool[idx];
	if ((t->kind != SIG_ICT && t->kind != SIG_NICT) || t->state == SIG_TS_FREE ||
			t->branch.len != branch.len || memcmp(t->branch.s, branch.s, branch.len) != 0)
		return NULL;
	if (cs.method == SIP_M_CANCEL && t->method != SIP_M_CANCEL)
		t = t->cancel;
	if (t == NULL || cs.method != t->method || cs.num != t->cseq)
		return NULL;
	/* Responses come from where the request went; anything else is forged or astray. */
	if (!sig_addr_eq(&t->remote, &in->src))
		return NULL;
	return t;
}

/*
 * The ACK for a non-2xx final response (RFC 3261 17.1.1.3): Request-URI, top Via,
 * Route, From, Call-ID and CSeq number of the INVITE, To of the response.
 */
static void
send_ack(struct sig_core *c, struct sig_txn *ct, const struct sip_msg *resp)
{
	struct sip_msg *inv = c->kept;
	struct sip_via v;
	int n;

	if (sip_parse(inv, ct->msg.s, ct->msg.len, SIP_FRAME_DATAGRAM, NULL) < 0 ||
			sip_via_top(inv, &v) < 0)
		return;
	n = build_from_invite(c, inv, &v, resp, "ACK", ct->cseq);
	if (n < 0)
		return;
	sig_buf_set(&c->mem, &ct->msg, c->out, (uint32_t)n);
	sig_core_send(c, &ct->local, &ct->remote, c->out, (uint32_t)n);
}

void
sig_txn_client_response(struct sig_core *c, struct sig_txn *ct, const struct sip_msg *m)
{
	unsigned int status = m->status;

	if (ct->kind == SIG_ICT) {
		switch (ct->state) {
		case SIG_TS_TRYING:
		case SIG_TS_PROCEEDING:
			sig_timer_cancel(&c->wheel, &ct->t_retx);
			ct->status = (uint16_t)status;
			if (status < 200) {
				ct->state = SIG_TS_PROCEEDING;
				sig_timer_arm(&c->wheel, &ct->t_end, TIMER_C_MS, on_end);
			} else if (status < 300) {
				ct->state = SIG_TS_ACCEPTED;
				sig_buf_free(&c->mem, &ct->msg);
				sig_timer_arm(&c->wheel, &ct->t_end, 64 * T1(c), on_end); /* M */
			} else {
				ct->state = SIG_TS_COMPLETED;
				send_ack(c, ct, m);
				sig_timer_arm(&c->wheel, &ct->t_end, SIG_MAX(32000u, 64 * T1(c)),
						on_end); /* D */
			}
			c->tu->response(c->tu_arg, ct, m);
			return;
		case SIG_TS_ACCEPTED:
			if (status >= 200 && status < 300)
				c->tu->response(c->tu_arg, ct, m); /* a retransmission, or another fork */
			return;
		case SIG_TS_COMPLETED:
			if (status >= 300)
				resend(c, ct); /* the final response again: so is our ACK */
			return;
		default:
			return;
		}
	}
	if (ct->state != SIG_TS_TRYING && ct->state != SIG_TS_PROCEEDING)
		return; /* Completed: a retransmitted final response */
	if (status < 200) {
		ct->state = SIG_TS_PROCEEDING;
		return;
	}
	ct->status = (uint16_t)status;
	ct->state = SIG_TS_COMPLETED;
	sig_timer_cancel(&c->wheel, &ct->t_retx);
	sig_buf_free(&c->mem, &ct->msg);
	sig_timer_arm(&c->wheel, &ct->t_end, T4(c), on_end); /* K */
	c->tu->response(c->tu_arg, ct, m);
}
