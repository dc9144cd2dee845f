/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * b2b.c - the B2BUA's entry points (b2b.h): life cycle, the clock, and a received
 * datagram through the message layer.
 *
 * Each datagram: parse it (sip_parse), judge it (sip_validate). A request the message
 * layer refuses is answered there and then (400, 416, 501, 505, 513, statelessly); a
 * bad response or a keep-alive is dropped; an OPTIONS out of any dialog, for the SBC
 * itself, is answered 200. Malformed SIP is reported to the firewall as an offence
 * (through the environment), which blocks a source that keeps sending it. The rest goes
 * to the transactions and the calls (b2b_request, b2b_response in b2b_call.c).
 * Owner lcore only.
 */
#include <errno.h>
#include <string.h>

#include "b2b_priv.h"
#include "sdp.h"
#include "sip_check.h"
#include "sip_hdr.h"
#include "sip_reply.h"
#include "sip_shard.h"
#include "sip_uri.h"

/* ---- life cycle ----------------------------------------------------------------------- */

static int
calls_init(struct b2b *b, uint32_t n)
{
	struct b2b_calls *cl = &b->calls;
	uint32_t nb = 1, i;

	if (n < 16)
		n = 16;
	while (nb < n)
		nb <<= 1;
	cl->pool = b->core.ops->zalloc(b->core.env, "sbc_calls", sizeof(*cl->pool) * n);
	cl->bucket = b->core.ops->zalloc(b->core.env, "sbc_call_hash", sizeof(*cl->bucket) * nb);
	if (cl->pool == NULL || cl->bucket == NULL)
		return -ENOMEM;
	cl->n = n;
	cl->mask = nb - 1;
	for (i = n; i-- > 0;) {
		cl->pool[i].idx = i;
		cl->pool[i].hnext = cl->free;
		cl->free = &cl->pool[i];
	}
	return 0;
}

int
b2b_init(struct b2b *b, const struct b2b_args *a)
{
	struct sig_core_args ca = a->core;
	const struct sbc_sip_cfg *sip = &a->cfg->sip;
	void *env;
	unsigned int i;
	int rc;

	memset(b, 0, sizeof(*b));
	ca.tu = &b2b_txn_user;
	ca.tu_arg = b;
	rc = sig_core_init(&b->core, &ca);
	if (rc < 0)
		return rc;
	b->ops = a->ops;
	b->env = a->env;
	b->cfg = a->cfg;
	if (a->hooks != NULL)
		b->hooks = *a->hooks;
	env = b->core.env;
	b->msg = b->core.ops->zalloc(env, "sbc_sig_msg", sizeof(*b->msg));
	b->held = b->core.ops->zalloc(env, "sbc_sig_held", sizeof(*b->held));
	b->sdp = b->core.ops->zalloc(env, "sbc_sig_sdp", sizeof(*b->sdp));
	b->sdp_out = b->core.ops->zalloc(env, "sbc_sig_sdp_out", SIG_BUF);
	rc = b->msg == NULL || b->held == NULL || b->sdp == NULL || b->sdp_out == NULL ?
			-ENOMEM :
			calls_init(b, a->max_calls);
	if (rc < 0) {
		b2b_fini(b);
		return rc;
	}
	for (i = 0; i < sip->n_strip; i++) {
		enum sip_hdr_id id = sip_hdr_lookup(sip->strip[i], strlen(sip->strip[i]));

		if (id != SIP_H_OTHER)
			b->strip_id[id] = true;
	}
	return 0;
}

void
b2b_fini(struct b2b *b)
{
	const struct sig_env_ops *ops = b->core.ops;
	void *env = b->core.env;

	if (ops == NULL)
		return;
	ops->free(env, b->calls.pool);
	ops->free(env, b->calls.bucket);
	ops->free(env, b->msg);
	ops->free(env, b->held);
	ops->free(env, b->sdp);
	ops->free(env, b->sdp_out);
	memset(&b->calls, 0, sizeof(b->calls));
	b->msg = b->held = NULL;
	b->sdp = NULL;
	b->sdp_out = NULL;
	sig_core_fini(&b->core); /* every block the calls held goes with the slabs */
}

unsigned int
b2b_tick(struct b2b *b, uint64_t now_ms)
{
	return sig_core_tick(&b->core, now_ms);
}

/* ---- the message layer's answers ------------------------------------------------------ */

void
b2b_reply(struct b2b *b, const struct sig_in *in, unsigned int status, const char *reason,
		const char *extra)
{
	char tag[SIP_ID_MAX];
	size_t n = sip_make_id(tag, SIP_ID_PREFIX, b->core.shard, sig_core_random(&b->core));

	b2b_reply_tag(b, in, status, reason, extra, (struct sip_str){ tag, (uint32_t)n });
}

void
b2b_reply_tag(struct b2b *b, const struct sig_in *in, unsigned int status, const char *reason,
		const char *extra, struct sip_str to_tag)
{
	struct sip_reply r = { .status = status, .reason = reason, .extra = extra,
		.to_tag = to_tag };
	char src[64];
	int n;

	r.src_ip = sig_addr_ip_str(&in->src, src, sizeof(src));
	r.src_port = in->src.port;
	n = sip_make_response(in->msg, &r, b->core.out, SIG_BUF);
	if (n > 0)
		sig_core_send(&b->core, &in->dst, &in->src, b->core.out, (uint32_t)n);
	else
		b2b_count(b, in->dst.ifidx, SBC_EV_SIP_DISCARDED);
}

/* Is the Request-URI's host one of the SBC's addresses? */
static bool
for_us(struct b2b *b, const struct sip_msg *m)
{
	struct sip_uri u;
	uint8_t a[16];

	if (sip_uri_parse(m->ruri.s, m->ruri.len, &u, NULL) < 0 || u.host.len == 0)
		return false;
	if (u.host_type == SIP_HOST_IPV4 && sip_ipv4_parse(u.host.s, u.host.len, a))
		return b->ops->is_ours(b->env, 0, a);
	if (u.host_type == SIP_HOST_IPV6 && sip_ipv6_parse(u.host.s + 1, u.host.len - 2, a))
		return b->ops->is_ours(b->env, 1, a);
	return false;
}

/*
 * Malformed SIP from the datagram's source, for the firewall, which blocks the source
 * when it keeps at it (firewall.blocklist.malformed).
 */
static void
report_malformed(struct b2b *b, const struct b2b_dgram *d)
{
	b->ops->offence(b->env, &d->src, SBC_FW_OFF_MALFORMED);
}

/*
 * The Call-ID the calls are found by: the dataplane's (no second search) when it is the
 * one the parser indexed, else the parser's (a folded or repeated header, which the
 * dataplane's lenient look cannot tell apart).
 */
static struct sip_str
call_id_of(const struct sip_msg *m, const struct b2b_dgram *d)
{
	const struct sip_hdr *h = sip_hdr_first(m, SIP_H_CALL_ID);
	struct sip_str id;

	if (h != NULL && d->call_id.len == h->value.len && d->call_id.s == h->value.s)
		return d->call_id;
	return sip_call_id(m, &id) == 0 ? id : SIP_STR_NULL;
}

/* A request or response the message layer refused (err says why). */
static void
refused(struct b2b *b, const struct b2b_dgram *d, const struct sig_in *in,
		const struct sip_error *err)
{
	const struct sip_msg *m = in->msg;
	unsigned int ifidx = d->dst.ifidx;

	if (err->cause == SIP_ERR_CONTROL_CHAR)
		b2b_count(b, ifidx, SBC_EV_SIP_CONTROL_CHAR);
	/*
	 * A request gets the answer the message layer chose, unless it is an ACK. A request
	 * with broken syntax (400) or no start line is an offence; one that is well formed
	 * but unsupported (416, 501, 505, 513) is not. A refused response counts whatever
	 * the reason (the layer does not tell them apart for responses); the trunks calls
	 * go to are never blocked for it (routes are exempt).
	 */
	if (m->kind == SIP_KIND_REQUEST && err->status != 0 && m->method != SIP_M_ACK) {
		b2b_count(b, ifidx, SBC_EV_SIP_REJECTED);
		b2b_reply(b, in, err->status, err->reason, err->status == 501 ? B2B_ALLOW : NULL);
		if (err->status == 400)
			report_malformed(b, d);
	} else if (m->kind == SIP_KIND_NONE && err->status == 0) {
		b2b_count(b, ifidx, SBC_EV_SIP_DISCARDED); /* keep-alive */
	} else if (m->kind == SIP_KIND_NONE) {
		sbc_cnt_add(&b->core.st->port[ifidx].drops[SBC_DROP_SIP_UNPARSEABLE], 1);
		report_malformed(b, d);
	} else {
		b2b_count(b, ifidx, SBC_EV_SIP_DISCARDED);
		if (m->kind == SIP_KIND_RESPONSE || err->status == 400)
			report_malformed(b, d);
	}
}

void
b2b_datagram(struct b2b *b, const struct b2b_dgram *d)
{
	struct sip_msg *m = b->msg;
	struct sig_in in = { .msg = m, .src = d->src, .dst = d->dst };
	struct sip_error err;

	b2b_count(b, d->dst.ifidx, SBC_EV_SIP_RX);
	if (sip_parse(m, d->data, d->len, SIP_FRAME_DATAGRAM, NULL) < 0) {
		err = m->err;
		refused(b, d, &in, &err);
		return;
	}
	if (sip_validate(m, &err) < 0) {
		refused(b, d, &in, &err);
		return;
	}
	in.call_id = call_id_of(m, d);
	if (m->kind == SIP_KIND_RESPONSE) {
		in.branch = d->branch;
		b2b_response(b, &in);
		return;
	}
	in.has_from = sip_from(m, &in.from) == 0;
	in.has_to = sip_to(m, &in.to) == 0;
	if (m->method == SIP_M_OPTIONS && !(in.has_to && in.to.has_tag) && for_us(b, m)) {
		b2b_count(b, d->dst.ifidx, SBC_EV_SIP_OPTIONS);
		b2b_reply(b, &in, 200, "OK", B2B_ALLOW "Accept: application/sdp\r\n"
						"Supported: 100rel, timer\r\n");
		return;
	}
	if (sip_via_top(m, &in.top) == 0)
		b2b_request(b, &in);
}
