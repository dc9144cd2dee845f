/* SPDX-License-Identifier: BSD-3-Clause */
/* sig_txn.c - SIP transaction machines (see sig_txn.h). Owning signalling lcore only. */
#include <stdlib.h>

#include <rte_common.h>
#include <rte_malloc.h>

#include "b2b.h"
#include "sig_lcore.h"
#include "sig_txn.h"
#include "sip_build.h"
#include "sip_reply.h"
#include "sip_shard.h"

#define T1(sl) ((sl)->cfg->sip.t1_ms)
#define T2(sl) ((sl)->cfg->sip.t2_ms)
#define T4(sl) ((sl)->cfg->sip.t4_ms)
#define TIMER_C_MS 180000u /* a provisional answer keeps an INVITE alive this long */

/* ---- kept octets ---------------------------------------------------------------------- */

/* ---- pool ----------------------------------------------------------------------------- */

int
sig_txns_init(struct sig_txns *tl, uint32_t n, int socket)
{
	uint32_t i, nb = 1;

	memset(tl, 0, sizeof(*tl));
	while (nb < n)
		nb <<= 1;
	tl->pool = rte_zmalloc_socket("sbc_txns", sizeof(*tl->pool) * n, RTE_CACHE_LINE_SIZE,
			socket);
	tl->bucket = rte_zmalloc_socket("sbc_txn_hash", sizeof(*tl->bucket) * nb, 0, socket);
	if (tl->pool == NULL || tl->bucket == NULL) {
		sig_txns_fini(tl);
		return -ENOMEM;
	}
	tl->n = n;
	tl->mask = nb - 1;
	for (i = n; i-- > 0;) {
		tl->pool[i].idx = i;
		tl->pool[i].hnext = tl->free;
		tl->free = &tl->pool[i];
	}
	return 0;
}

void
sig_txns_fini(struct sig_txns *tl)
{
	struct sig_mem mem = { 0 }; /* blocks of the lcore's slabs, released by sig_mem_fini */
	uint32_t i;

	for (i = 0; tl->pool != NULL && i < tl->n; i++) {
		sig_buf_free(&mem, &tl->pool[i].branch);
		sig_buf_free(&mem, &tl->pool[i].msg);
		sig_buf_free(&mem, &tl->pool[i].head);
	}
	rte_free(tl->pool);
	rte_free(tl->bucket);
	memset(tl, 0, sizeof(*tl));
}

static struct sig_txn *
txn_alloc(struct sig_lcore *sl, enum sig_txn_kind kind, enum sip_method method)
{
	struct sig_txns *tl = &sl->txns;
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
	sbc_cnt_add(&sl->st->sig.txns_active, 1);
	return t;
}

static void
txn_unhash(struct sig_lcore *sl, struct sig_txn *t)
{
	struct sig_txn **pp = &sl->txns.bucket[t->hash & sl->txns.mask];

	for (; *pp != NULL; pp = &(*pp)->hnext)
		if (*pp == t) {
			*pp = t->hnext;
			return;
		}
}

void
sig_txn_terminate(struct sig_lcore *sl, struct sig_txn *t)
{
	struct sig_txns *tl = &sl->txns;

	if (t->state == SIG_TS_FREE)
		return;
	sig_timer_cancel(&sl->wheel, &t->t_retx);
	sig_timer_cancel(&sl->wheel, &t->t_end);
	if (t->kind == SIG_IST || t->kind == SIG_NIST)
		txn_unhash(sl, t);
	t->state = SIG_TS_TERMINATED;
	if (t->cancel != NULL && t->cancel->cancel == t)
		t->cancel->cancel = NULL;
	b2b_txn_gone(sl, t);
	sig_buf_free(&sl->mem, &t->branch);
	sig_buf_free(&sl->mem, &t->msg);
	sig_buf_free(&sl->mem, &t->head);
	t->state = SIG_TS_FREE;
	t->hnext = tl->free;
	tl->free = t;
	tl->active--;
	sbc_cnt_add(&sl->st->sig.txns_active, (uint64_t)-1);
}

static void
resend(struct sig_lcore *sl, struct sig_txn *t)
{
	if (t->msg.len > 0)
		sig_send_msg(sl, &t->local, &t->remote, t->msg.s, t->msg.len);
}

/* ---- timers --------------------------------------------------------------------------- */

static void
on_retx(struct sig_timer *tm, void *ctx)
{
	struct sig_txn *t = container_of(tm, struct sig_txn, t_retx);
	struct sig_lcore *sl = ctx;

	resend(sl, t);
	sbc_cnt_add(&sl->st->sig.retransmissions, 1);
	switch (t->kind) {
	case SIG_ICT: /* timer A: doubles without a cap */
		t->interval *= 2;
		break;
	case SIG_NICT: /* timer E: doubles up to T2, T2 once proceeding */
	case SIG_IST:  /* timer G: doubles up to T2 */
		t->interval = t->state == SIG_TS_PROCEEDING ? T2(sl) :
							      RTE_MIN(t->interval * 2, T2(sl));
		break;
	default:
		return;
	}
	sig_timer_arm(&sl->wheel, &t->t_retx, t->interval, on_retx);
}

static void
on_end(struct sig_timer *tm, void *ctx)
{
	struct sig_txn *t = container_of(tm, struct sig_txn, t_end);
	struct sig_lcore *sl = ctx;

	/* Timer C: ringing too long. The TU cancels; the 487 ends the transaction. */
	if (t->kind == SIG_ICT && t->state == SIG_TS_PROCEEDING && t->cancel == NULL) {
		sbc_cnt_add(&sl->st->sig.txn_timeouts, 1);
		b2b_on_timeout(sl, t);
		if (t->state == SIG_TS_PROCEEDING) {
			sig_timer_arm(&sl->wheel, &t->t_end, 64 * T1(sl), on_end);
			return;
		}
	}
	/* B and F: the request went unanswered; H: no ACK came. */
	if ((t->kind == SIG_ICT && t->state == SIG_TS_TRYING) ||
			(t->kind == SIG_NICT && t->state != SIG_TS_COMPLETED) ||
			(t->kind == SIG_IST && t->state == SIG_TS_COMPLETED)) {
		sbc_cnt_add(&sl->st->sig.txn_timeouts, 1);
		b2b_on_timeout(sl, t);
	}
	/* D, I, J, K, L, M (and the above): the transaction is over. */
	sig_txn_terminate(sl, t);
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
sig_txn_server_find(struct sig_lcore *sl, const struct sip_msg *m, const struct sip_via *top,
		enum sip_method method)
{
	uint32_t h;
	struct sig_txn *t;

	(void)m;
	if (!top->has_branch || top->branch.len == 0)
		return NULL;
	h = sip_hash(top->branch);
	for (t = sl->txns.bucket[h & sl->txns.mask]; t != NULL; t = t->hnext)
		if (t->hash == h && t->branch.len == top->branch.len &&
				memcmp(t->branch.s, top->branch.s, top->branch.len) == 0 &&
				method_matches(t, method) && sig_addr_eq(&t->remote, &sl->pkt.src))
			return t;
	return NULL;
}

bool
sig_txn_server_request(struct sig_lcore *sl, struct sig_txn *st, const struct sip_msg *m)
{
	if (m->method == SIP_M_ACK) {
		if (st->state == SIG_TS_ACCEPTED)
			return false; /* RFC 6026 8.7: the TU's */
		if (st->state == SIG_TS_COMPLETED) {
			st->state = SIG_TS_CONFIRMED;
			sig_timer_cancel(&sl->wheel, &st->t_retx);
			sig_timer_arm(&sl->wheel, &st->t_end, T4(sl), on_end); /* timer I */
		}
		return true;
	}
	sbc_cnt_add(&sl->st->sig.retransmissions_rx, 1);
	if (st->state == SIG_TS_PROCEEDING || st->state == SIG_TS_COMPLETED)
		resend(sl, st);
	return true;
}

struct sig_txn *
sig_txn_server_new(struct sig_lcore *sl, const struct sip_via *top)
{
	const struct sip_msg *m = sl->msg;
	enum sip_method method = (enum sip_method)m->method;
	struct sig_txn *t;
	struct sip_out o;
	struct sip_cseq cs;
	char ip[64];
	bool has_tag;

	if (!top->has_branch || top->branch.len == 0 || sip_cseq(m, &cs) < 0)
		return NULL;
	t = txn_alloc(sl, method == SIP_M_INVITE ? SIG_IST : SIG_NIST, method);
	if (t == NULL)
		return NULL;
	t->local = sl->pkt.dst;
	t->remote = sl->pkt.src;
	t->cseq = cs.num;
	t->state = method == SIP_M_INVITE ? SIG_TS_PROCEEDING : SIG_TS_TRYING;
	sip_out_init(&o, sl->out, SIG_BUF);
	if (sip_response_head(m, sig_addr_ip_str(&sl->pkt.src, ip, sizeof(ip)), sl->pkt.src.port,
			    &o, &t->head_to, &has_tag) < 0)
		goto fail;
	/* Responses that make a dialog carry the request's Record-Route (RFC 3261 12.1.1). */
	if (method == SIP_M_INVITE) {
		const struct sip_hdr *h;

		for (h = sip_hdr_first(m, SIP_H_RECORD_ROUTE); h != NULL; h = sip_hdr_next(m, h))
			sip_out_copy_header(&o, m, h);
	}
	if (o.overflow ||
			!sig_buf_set(&sl->mem, &t->head, o.start, (uint32_t)(o.p - o.start)) ||
			!sig_buf_set(&sl->mem, &t->branch, top->branch.s, top->branch.len))
		goto fail;
	t->to_has_tag = has_tag;
	t->hash = sip_hash(top->branch);
	t->hnext = sl->txns.bucket[t->hash & sl->txns.mask];
	sl->txns.bucket[t->hash & sl->txns.mask] = t;
	return t;
fail:
	sig_txn_terminate(sl, t); /* not hashed yet: the unhash finds nothing */
	return NULL;
}

void
sig_txn_respond(struct sig_lcore *sl, struct sig_txn *st, unsigned int status, const char *data,
		uint32_t len)
{
	if (st->state != SIG_TS_TRYING && st->state != SIG_TS_PROCEEDING)
		return; /* a final response was sent already */
	sig_send_msg(sl, &st->local, &st->remote, data, len);
	st->status = (uint16_t)status;
	if (status < 200) {
		st->state = SIG_TS_PROCEEDING;
		sig_buf_set(&sl->mem, &st->msg, data, len);
		return;
	}
	sig_timer_cancel(&sl->wheel, &st->t_retx);
	if (st->kind == SIG_IST && status < 300) {
		/* The UAS core retransmits the 2xx; absorb INVITE retransmissions (timer L). */
		st->state = SIG_TS_ACCEPTED;
		sig_buf_free(&sl->mem, &st->msg);
		sig_timer_arm(&sl->wheel, &st->t_end, 64 * T1(sl), on_end);
		return;
	}
	st->state = SIG_TS_COMPLETED;
	sig_buf_set(&sl->mem, &st->msg, data, len);
	if (st->kind == SIG_IST) {
		st->interval = T1(sl);
		sig_timer_arm(&sl->wheel, &st->t_retx, st->interval, on_retx);  /* G */
		sig_timer_arm(&sl->wheel, &st->t_end, 64 * T1(sl), on_end);     /* H */
	} else {
		sig_timer_arm(&sl->wheel, &st->t_end, 64 * T1(sl), on_end);     /* J */
	}
}

/* ---- client --------------------------------------------------------------------------- */

struct sig_txn *
sig_txn_client_new(struct sig_lcore *sl, enum sip_method method, const struct sig_addr *local,
		const struct sig_addr *remote)
{
	struct sig_txn *t = txn_alloc(sl, method == SIP_M_INVITE ? SIG_ICT : SIG_NICT, method);
	char br[48];
	size_t n;

	if (t == NULL)
		return NULL;
	n = sip_make_id(br, SIP_BRANCH_PREFIX, sl->shard,
			(uint64_t)t->idx << 32 | (sig_random(sl) & 0xffffffffu));
	if (!sig_buf_set(&sl->mem, &t->branch, br, (uint32_t)n)) {
		sig_txn_terminate(sl, t);
		return NULL;
	}
	t->local = *local;
	t->remote = *remote;
	return t;
}

struct sig_txn *
sig_txn_client_cancel(struct sig_lcore *sl, struct sig_txn *ict)
{
	struct sig_txn *t;

	if (ict->cancel != NULL)
		return NULL;
	t = txn_alloc(sl, SIG_NICT, SIP_M_CANCEL);
	if (t == NULL)
		return NULL;
	if (!sig_buf_set(&sl->mem, &t->branch, ict->branch.s, ict->branch.len)) {
		sig_txn_terminate(sl, t);
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
 * A CANCEL or a non-2xx ACK, into sl->out: the INVITE's Request-URI, top Via (v),
 * Route set, From and Call-ID; To from to_src (the INVITE for CANCEL, the response
 * for ACK); CSeq with the INVITE's number. Returns the length, or -1.
 */
static int
build_from_invite(struct sig_lcore *sl, const struct sip_msg *inv, const struct sip_via *v,
		const struct sip_msg *to_src, const char *method, uint32_t cseq)
{
	const struct sip_hdr *h;
	struct sip_out o;

	sip_out_init(&o, sl->out, SIG_BUF);
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
sig_txn_send_cancel(struct sig_lcore *sl, struct sig_txn *ict)
{
	struct sip_msg *inv = sl->msg2;
	struct sig_txn *ct;
	struct sip_via v;
	int n;

	ict->flags &= (uint8_t)~SIG_TXN_F_CANCEL_PENDING;
	if (ict->msg.len == 0 || sip_parse(inv, ict->msg.s, ict->msg.len, SIP_FRAME_DATAGRAM, NULL) < 0 ||
			sip_via_top(inv, &v) < 0)
		return;
	ct = sig_txn_client_cancel(sl, ict);
	if (ct == NULL)
		return;
	/* RFC 3261 9.1: Request-URI, Call-ID, From, To, CSeq number and top Via of the INVITE. */
	n = build_from_invite(sl, inv, &v, inv, "CANCEL", ict->cseq);
	if (n < 0) {
		sig_txn_terminate(sl, ct);
		return;
	}
	sig_txn_client_send(sl, ct, sl->out, (uint32_t)n);
}

void
sig_txn_client_send(struct sig_lcore *sl, struct sig_txn *ct, const char *data, uint32_t len)
{
	sig_buf_set(&sl->mem, &ct->msg, data, len);
	sig_send_msg(sl, &ct->local, &ct->remote, data, len);
	ct->interval = T1(sl);
	sig_timer_arm(&sl->wheel, &ct->t_retx, ct->interval, on_retx); /* A or E */
	sig_timer_arm(&sl->wheel, &ct->t_end, 64 * T1(sl), on_end);    /* B or F */
}

struct sig_txn *
sig_txn_client_find(struct sig_lcore *sl, const struct sip_msg *m)
{
	struct sip_via v;
	struct sip_cseq cs;
	struct sig_txn *t;
	uint32_t idx;

	if (sip_via_top(m, &v) < 0 || !v.has_branch || sip_cseq(m, &cs) < 0 ||
			sip_id_slot(v.branch, SIP_BRANCH_PREFIX, &idx) < 0 || idx >= sl->txns.n)
		return NULL;
	t = &sl->txns.pool[idx];
	if ((t->kind != SIG_ICT && t->kind != SIG_NICT) || t->state == SIG_TS_FREE ||
			t->branch.len != v.branch.len ||
			memcmp(t->branch.s, v.branch.s, v.branch.len) != 0)
		return NULL;
	if (cs.method == SIP_M_CANCEL && t->method != SIP_M_CANCEL)
		t = t->cancel;
	if (t == NULL || cs.method != t->method || cs.num != t->cseq)
		return NULL;
	/* Responses come from where the request went; anything else is forged or astray. */
	if (!sig_addr_eq(&t->remote, &sl->pkt.src))
		return NULL;
	return t;
}

/*
 * The ACK for a non-2xx final response (RFC 3261 17.1.1.3): Request-URI, top Via,
 * Route, From, Call-ID and CSeq number of the INVITE, To of the response.
 */
static void
send_ack(struct sig_lcore *sl, struct sig_txn *ct, const struct sip_msg *resp)
{
	struct sip_msg *inv = sl->msg2;
	struct sip_via v;
	int n;

	if (sip_parse(inv, ct->msg.s, ct->msg.len, SIP_FRAME_DATAGRAM, NULL) < 0 ||
			sip_via_top(inv, &v) < 0)
		return;
	n = build_from_invite(sl, inv, &v, resp, "ACK", ct->cseq);
	if (n < 0)
		return;
	sig_buf_set(&sl->mem, &ct->msg, sl->out, (uint32_t)n);
	sig_send_msg(sl, &ct->local, &ct->remote, sl->out, (uint32_t)n);
}

void
sig_txn_client_response(struct sig_lcore *sl, struct sig_txn *ct, const struct sip_msg *m)
{
	unsigned int status = m->status;

	if (ct->kind == SIG_ICT) {
		switch (ct->state) {
		case SIG_TS_TRYING:
		case SIG_TS_PROCEEDING:
			sig_timer_cancel(&sl->wheel, &ct->t_retx);
			ct->status = (uint16_t)status;
			if (status < 200) {
				ct->state = SIG_TS_PROCEEDING;
				sig_timer_arm(&sl->wheel, &ct->t_end, TIMER_C_MS, on_end);
			} else if (status < 300) {
				ct->state = SIG_TS_ACCEPTED;
				sig_buf_free(&sl->mem, &ct->msg);
				sig_timer_arm(&sl->wheel, &ct->t_end, 64 * T1(sl), on_end); /* M */
			} else {
				ct->state = SIG_TS_COMPLETED;
				send_ack(sl, ct, m);
				sig_timer_arm(&sl->wheel, &ct->t_end, RTE_MAX(32000u, 64 * T1(sl)),
						on_end); /* D */
			}
			b2b_on_response(sl, ct, m);
			return;
		case SIG_TS_ACCEPTED:
			if (status >= 200 && status < 300)
				b2b_on_response(sl, ct, m); /* a retransmission, or another fork */
			return;
		case SIG_TS_COMPLETED:
			if (status >= 300)
				resend(sl, ct); /* the final response again: so is our ACK */
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
	sig_timer_cancel(&sl->wheel, &ct->t_retx);
	sig_buf_free(&sl->mem, &ct->msg);
	sig_timer_arm(&sl->wheel, &ct->t_end, T4(sl), on_end); /* K */
	b2b_on_response(sl, ct, m);
}
