/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * b2b_msg.c - topology hiding: the requests and responses each leg of a call sees
 * (b2b.h). The dialog's own headers are always the SBC's (Via, Contact, Call-ID, tags,
 * From/To built from the leg's state, Route from the leg's own route set); of the
 * other leg's message only end-to-end headers pass, never Record-Route, Route, Path,
 * credentials or anything the configuration strips; P-Asserted-Identity keeps its
 * user and display name, and gets the SBC's address as host.
 * Owning signalling lcore only.
 */
#include "b2b_priv.h"
#include "sip_build.h"
#include "sip_hdr.h"
#include "sip_uri.h"

/* "1.2.3.4" or "[2001:db8::1]" */
static void
out_host(struct sip_out *o, const struct sig_addr *a)
{
	char ip[64];

	sig_addr_ip_str(a, ip, sizeof(ip));
	if (a->v6)
		sip_out_raw(o, "[", 1);
	sip_out_cstr(o, ip);
	if (a->v6)
		sip_out_raw(o, "]", 1);
}

void
b2b_out_hostport(struct sip_out *o, const struct sig_addr *a)
{
	out_host(o, a);
	sip_out_raw(o, ":", 1);
	sip_out_uint(o, a->port);
}

static void
out_buf(struct sip_out *o, const struct sig_buf *buf)
{
	sip_out_raw(o, buf->s, buf->len);
}

/* Does a header of the other leg's message pass across? */
static bool
passes(const struct b2b *b, const struct sip_hdr *h)
{
	unsigned int i;

	switch (h->id) {
	case SIP_H_VIA:
	case SIP_H_FROM:
	case SIP_H_TO:
	case SIP_H_CALL_ID:
	case SIP_H_CSEQ:
	case SIP_H_MAX_FORWARDS:
	case SIP_H_CONTACT:
	case SIP_H_ROUTE:
	case SIP_H_RECORD_ROUTE:
	case SIP_H_PATH:
	case SIP_H_CONTENT_LENGTH:
	case SIP_H_CONTENT_TYPE:
	case SIP_H_CONTENT_ENCODING:
	case SIP_H_AUTHORIZATION:
	case SIP_H_PROXY_AUTHORIZATION:
	case SIP_H_RACK:
	case SIP_H_P_ASSERTED_IDENTITY:
	case SIP_H_P_PREFERRED_IDENTITY:
		return false; /* ours, rebuilt, or never across */
	case SIP_H_OTHER:
		if (!b->cfg->sip.pass_unknown)
			return false;
		for (i = 0; i < b->cfg->sip.n_strip; i++)
			if (sip_str_icase(h->name, b->cfg->sip.strip[i]))
				return false;
		return true;
	default:
		return !b->strip_id[h->id];
	}
}

/* P-Asserted-Identity with our host: the identity (user, display name) passes. */
static void
out_pai(struct b2b *b, struct sip_out *o, const struct sip_msg *m, const struct sig_addr *us)
{
	struct sip_iter it;
	struct sip_addr a;
	struct sip_uri u;

	if (b->strip_id[SIP_H_P_ASSERTED_IDENTITY])
		return;
	sip_iter_init(&it, m, SIP_H_P_ASSERTED_IDENTITY);
	while (sip_addr_next(&it, &a) == 1) {
		if (sip_uri_parse(a.uri.s, a.uri.len, &u, NULL) < 0)
			continue;
		sip_out_cstr(o, "P-Asserted-Identity: ");
		if (a.display.len) {
			sip_out_str(o, a.display);
			sip_out_raw(o, " ", 1);
		}
		if (u.scheme == SIP_SCHEME_TEL) {
			sip_out_raw(o, "<", 1);
			sip_out_str(o, a.uri);
			sip_out_raw(o, ">\r\n", 3);
			continue;
		}
		sip_out_cstr(o, u.scheme == SIP_SCHEME_SIPS ? "<sips:" : "<sip:");
		if (u.user.len) {
			sip_out_str(o, u.user);
			sip_out_raw(o, "@", 1);
		}
		out_host(o, us);
		if (u.user_param.len) {
			sip_out_cstr(o, ";user=");
			sip_out_str(o, u.user_param);
		}
		sip_out_raw(o, ">\r\n", 3);
	}
}

/* The other leg's end-to-end headers, the caller's extras, Content-Type and the body. */
static int
finish(struct b2b *b, struct sip_out *o, const struct b2b_out *out, const struct sig_addr *us)
{
	const struct sip_msg *src = out != NULL ? out->src : NULL;
	uint16_t i;

	if (src != NULL) {
		for (i = 0; i < src->n_hdrs; i++)
			if (passes(b, &src->hdrs[i]))
				sip_out_copy_header(o, src, &src->hdrs[i]);
		out_pai(b, o, src, us);
	}
	if (out != NULL && out->extra != NULL)
		sip_out_cstr(o, out->extra);
	if (out != NULL && out->body.len > 0) {
		sip_out_cstr(o, "Content-Type: ");
		sip_out_str(o, out->ctype);
		sip_out_raw(o, "\r\n", 2);
	}
	return sip_out_finish(o, out != NULL ? out->body : SIP_STR_NULL);
}

/* Requests and 2xx/1xx to dialog-forming or target-refreshing requests carry a Contact. */
static bool
needs_contact(enum sip_method method)
{
	return method == SIP_M_INVITE || method == SIP_M_UPDATE;
}

int
b2b_build_request(struct b2b *b, struct b2b_call *c, enum b2b_side side,
		enum sip_method method, uint32_t cseq, struct sip_str branch,
		const struct b2b_out *out, char *buf, size_t cap)
{
	struct b2b_leg *leg = &c->leg[side];
	const char *mname = sip_method_name(method);
	struct sip_str ms = { mname, (uint32_t)strlen(mname) };
	int mf = 70;
	struct sip_out o;

	if (out != NULL && out->src != NULL && out->src->kind == SIP_KIND_REQUEST) {
		int v = sip_max_forwards(out->src);

		if (v > 0)
			mf = v - 1;
	}
	sip_out_init(&o, buf, cap);
	sip_out_request_line(&o, ms, (struct sip_str){ leg->target.s, leg->target.len });
	sip_out_cstr(&o, "Via: SIP/2.0/UDP ");
	b2b_out_hostport(&o, &leg->local);
	sip_out_cstr(&o, ";branch=");
	sip_out_str(&o, branch);
	sip_out_cstr(&o, ";rport\r\n");
	if (leg->route.len) {
		sip_out_cstr(&o, "Route: ");
		out_buf(&o, &leg->route);
		sip_out_raw(&o, "\r\n", 2);
	}
	sip_out_cstr(&o, "Max-Forwards: ");
	sip_out_uint(&o, (unsigned int)mf);
	sip_out_cstr(&o, "\r\nFrom: ");
	out_buf(&o, &leg->local_uri);
	sip_out_cstr(&o, ";tag=");
	out_buf(&o, &leg->local_tag);
	sip_out_cstr(&o, "\r\nTo: ");
	out_buf(&o, &leg->remote_uri);
	if (leg->remote_tag.len) {
		sip_out_cstr(&o, ";tag=");
		out_buf(&o, &leg->remote_tag);
	}
	sip_out_cstr(&o, "\r\nCall-ID: ");
	out_buf(&o, &leg->call_id);
	sip_out_cstr(&o, "\r\nCSeq: ");
	sip_out_uint(&o, cseq);
	sip_out_raw(&o, " ", 1);
	sip_out_str(&o, ms);
	sip_out_raw(&o, "\r\n", 2);
	if (needs_contact(method)) {
		sip_out_cstr(&o, "Contact: <sip:");
		b2b_out_hostport(&o, &leg->local);
		sip_out_cstr(&o, ">\r\n");
	}
	if (method == SIP_M_PRACK && out != NULL && out->src != NULL) {
		const struct sip_hdr *h = sip_hdr_first(out->src, SIP_H_RACK);
		const char *p, *e;

		/* RAck: response-num CSeq-num Method; the CSeq is this leg's INVITE's. */
		if (h != NULL) {
			p = h->value.s;
			e = p + h->value.len;
			while (p < e && *p >= '0' && *p <= '9')
				p++;
			sip_out_cstr(&o, "RAck: ");
			sip_out_raw(&o, h->value.s, (size_t)(p - h->value.s));
			sip_out_raw(&o, " ", 1);
			sip_out_uint(&o, out->rack_cseq);
			sip_out_cstr(&o, " INVITE\r\n");
		}
	}
	return finish(b, &o, out, &leg->local);
}

int
b2b_build_response(struct b2b *b, struct b2b_call *c, enum b2b_side side,
		const struct sig_txn *st, unsigned int status, struct sip_str reason,
		const struct b2b_out *out, char *buf, size_t cap)
{
	struct b2b_leg *leg = &c->leg[side];
	struct sip_out o;

	sip_out_init(&o, buf, cap);
	sip_out_status_line(&o, status, reason);
	sip_out_raw(&o, st->head.s, st->head_to);
	if (status > 100 && !st->to_has_tag) {
		sip_out_cstr(&o, ";tag=");
		out_buf(&o, &leg->local_tag);
	}
	sip_out_raw(&o, st->head.s + st->head_to, st->head.len - st->head_to);
	if (status > 100 && status < 300 && needs_contact((enum sip_method)st->method)) {
		sip_out_cstr(&o, "Contact: <sip:");
		b2b_out_hostport(&o, &leg->local);
		sip_out_cstr(&o, ">\r\n");
	}
	return finish(b, &o, out, &leg->local);
}

bool
b2b_copy_nametag(struct sig_mem *mem, struct sig_buf *dst, struct sip_str value)
{
	struct sip_addr a;
	struct sip_param prm;
	const char *p, *end;
	char tmp[1024];
	struct sip_out o;

	if (sip_addr_parse(value, &a) < 0)
		return false;
	sip_out_init(&o, tmp, sizeof(tmp));
	if (a.display.len) {
		sip_out_str(&o, a.display);
		sip_out_raw(&o, " ", 1);
	}
	sip_out_raw(&o, "<", 1);
	sip_out_str(&o, a.uri);
	sip_out_raw(&o, ">", 1);
	p = a.params.s;
	end = p ? p + a.params.len : NULL;
	while (p != NULL && sip_param_next(&p, end, &prm) == 1)
		if (!sip_str_ieq(prm.name, "tag"))
			sip_out_raw(&o, prm.start, (size_t)(p - prm.start));
	if (o.overflow)
		return false;
	return sig_buf_set(mem, dst, tmp, (uint32_t)(o.p - tmp));
}

/* "[display ]<scheme:user@host[;user=phone]>" for leg B's From and To. */
static bool
leg_b_uri(struct b2b *b, struct sig_buf *dst, struct sip_str display, struct sip_str uri,
		void (*host)(struct sip_out *, const void *), const void *arg)
{
	struct sip_uri u;
	struct sip_out o;
	char tmp[512];

	if (sip_uri_parse(uri.s, uri.len, &u, NULL) < 0)
		return false;
	sip_out_init(&o, tmp, sizeof(tmp));
	if (display.len) {
		sip_out_str(&o, display);
		sip_out_raw(&o, " ", 1);
	}
	sip_out_cstr(&o, "<sip:");
	if (u.user.len) {
		sip_out_str(&o, u.user);
		sip_out_raw(&o, "@", 1);
	}
	host(&o, arg);
	if (u.scheme == SIP_SCHEME_TEL)
		sip_out_cstr(&o, ";user=phone");
	else if (u.user_param.len) {
		sip_out_cstr(&o, ";user=");
		sip_out_str(&o, u.user_param);
	}
	sip_out_raw(&o, ">", 1);
	if (o.overflow)
		return false;
	return sig_buf_set(&b->core.mem, dst, tmp, (uint32_t)(o.p - tmp));
}

static void
host_of(struct sip_out *o, const void *arg)
{
	out_host(o, arg);
}

static void
hostport_of(struct sip_out *o, const void *arg)
{
	b2b_out_hostport(o, arg);
}

int
b2b_leg_b_identity(struct b2b *b, struct b2b_call *c, const struct b2b_invite *invite)
{
	const struct sip_msg *inv = invite->m;
	const struct sip_addr *from = &invite->from, *to = &invite->to;
	struct b2b_leg *leg = &c->leg[B2B_B];
	struct sip_uri u;
	struct sip_out o;
	char tmp[512];

	if (!leg_b_uri(b, &leg->local_uri, from->display, from->uri, host_of, &leg->local) ||
			!leg_b_uri(b, &leg->remote_uri, to->display, to->uri, hostport_of, &leg->remote))
		return -1;
	/* Request-URI: the caller's user at the route's next hop. */
	if (sip_uri_parse(inv->ruri.s, inv->ruri.len, &u, NULL) < 0)
		return -1;
	sip_out_init(&o, tmp, sizeof(tmp));
	sip_out_cstr(&o, "sip:");
	if (u.user.len) {
		sip_out_str(&o, u.user);
		sip_out_raw(&o, "@", 1);
	}
	b2b_out_hostport(&o, &leg->remote);
	if (u.scheme == SIP_SCHEME_TEL)
		sip_out_cstr(&o, ";user=phone");
	else if (u.user_param.len) {
		sip_out_cstr(&o, ";user=");
		sip_out_str(&o, u.user_param);
	}
	if (o.overflow || !sig_buf_set(&b->core.mem, &leg->target, tmp, (uint32_t)(o.p - tmp)))
		return -1;
	return 0;
}
