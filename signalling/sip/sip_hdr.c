/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sip_hdr.c - list iteration, parameters, Via and addresses (see sip_hdr.h).
 *
 *   via-parm  = sent-protocol LWS sent-by *( SEMI via-params )
 *   name-addr = [ display-name ] LAQUOT addr-spec RAQUOT
 *   addr-spec form: the URI ends at LWS, ';' or ','; a URI with '?' must be bracketed
 *   (RFC 3261 20.10), so one that is not is refused.
 * Any thread.
 */
#include "sip_hdr.h"
#include "sip_lex.h"
#include "sip_uri.h"

/* ---- list iteration ----------------------------------------------------------------- */

static void
iter_line(struct sip_iter *it)
{
	if (it->h != NULL) {
		it->p = it->h->value.s;
		it->end = it->h->value.s + it->h->value.len;
	}
}

void
sip_iter_init(struct sip_iter *it, const struct sip_msg *m, enum sip_hdr_id id)
{
	it->m = m;
	it->h = sip_hdr_first(m, id);
	it->allow_empty = false;
	iter_line(it);
}

int
sip_iter_begin(struct sip_iter *it)
{
	while (it->h != NULL) {
		it->p = sip_skip_lws(it->p, it->end);
		if (it->p < it->end)
			return 1;
		if (it->h->value.len == 0 && !it->allow_empty)
			return -1;
		it->h = sip_hdr_next(it->m, it->h);
		iter_line(it);
	}
	return 0;
}

int
sip_iter_after(struct sip_iter *it, const char *p)
{
	p = sip_skip_lws(p, it->end);
	if (p == it->end) {
		it->p = p;
		return 1;
	}
	if (*p != ',')
		return -1;
	p = sip_skip_lws(p + 1, it->end);
	if (p == it->end || *p == ',')
		return -1; /* a trailing or doubled comma: an empty element */
	it->p = p;
	return 1;
}

/* ---- parameters ----------------------------------------------------------------------- */

int
sip_param_next(const char **pp, const char *end, struct sip_param *out)
{
	const char *p = sip_skip_lws(*pp, end), *q;

	if (p >= end || *p != ';') {
		*pp = p;
		return 0;
	}
	out->start = p;
	p = sip_skip_lws(p + 1, end);
	q = sip_scan(sip_c_token, p, end);
	if (q == p)
		return -1; /* ";;" or a trailing ';' */
	out->name = (struct sip_str){ p, (uint32_t)(q - p) };
	out->value = SIP_STR_NULL;
	out->has_value = false;
	p = sip_skip_lws(q, end);
	if (p < end && *p == '=') {
		p = sip_skip_lws(p + 1, end);
		if (p < end && *p == '"') {
			struct sip_str inner;

			q = sip_scan_quoted(p, end, &inner);
			if (q == NULL)
				return -1;
		} else if (p < end && *p == '[') {
			q = memchr(p, ']', (size_t)(end - p));
			if (q == NULL)
				return -1;
			q++;
		} else {
			/* token, or a host: IPv4, name, or an unbracketed IPv6 (via-received) */
			q = sip_scan(sip_c_genvalue, p, end);
		}
		if (q == p)
			return -1;
		out->value = (struct sip_str){ p, (uint32_t)(q - p) };
		out->has_value = true;
		p = q;
	} else {
		/* No value: do not eat the LWS before a following ',' or ';' twice. */
		p = q;
	}
	*pp = p;
	return 1;
}

bool
sip_param_find(struct sip_str params, const char *name, struct sip_str *value)
{
	const char *p, *end;
	struct sip_param prm;

	if (params.s == NULL || params.len == 0)
		return false;
	p = params.s;
	end = params.s + params.len;
	while (sip_param_next(&p, end, &prm) == 1)
		if (sip_str_icase(prm.name, name)) {
			if (value != NULL)
				*value = prm.value;
			return true;
		}
	return false;
}

/* ---- Via -------------------------------------------------------------------------------- */

/* sent-protocol piece: token, then SWS "/" SWS when more follows. */
static const char *
via_token(const char *p, const char *end, struct sip_str *out, bool slash)
{
	const char *q = sip_scan(sip_c_token, p, end);

	if (q == p)
		return NULL;
	*out = (struct sip_str){ p, (uint32_t)(q - p) };
	if (!slash)
		return q;
	q = sip_skip_lws(q, end);
	if (q >= end || *q != '/')
		return NULL;
	return sip_skip_lws(q + 1, end);
}

static const char *
via_parse(const char *p, const char *end, struct sip_via *v)
{
	struct sip_param prm;
	const char *q, *params, *start = p;
	int r;

	memset(v, 0, sizeof(*v));
	if ((p = via_token(p, end, &v->protocol, true)) == NULL ||
			(p = via_token(p, end, &v->version, true)) == NULL ||
			(p = via_token(p, end, &v->transport, false)) == NULL)
		return NULL;
	q = sip_skip_lws(p, end);
	if (q == p)
		return NULL; /* sent-protocol LWS sent-by */
	p = sip_host_parse(q, end, &v->host, &v->host_type);
	if (p == NULL)
		return NULL;
	v->port = -1;
	q = sip_skip_lws(p, end);
	if (q < end && *q == ':') { /* COLON = SWS ":" SWS */
		uint64_t port;

		q = sip_skip_lws(q + 1, end);
		p = sip_parse_uint(q, end, 65535, &port);
		if (p == NULL)
			return NULL;
		v->port = (int32_t)port;
	}
	params = NULL;
	while ((r = sip_param_next(&p, end, &prm)) == 1) {
		if (params == NULL)
			params = prm.start;
		switch (prm.name.s[0] | 0x20) { /* one comparison per parameter */
		case 'b':
		case 'r':
		case 'm':
		case 't':
			break;
		default:
			continue;
		}
		if (sip_str_ieq(prm.name, "branch")) {
			v->has_branch = true;
			v->branch = prm.value;
		} else if (sip_str_ieq(prm.name, "received")) {
			v->has_received = true;
			v->received = prm.value;
		} else if (sip_str_ieq(prm.name, "rport")) {
			v->has_rport = true;
			v->rport = prm.value;
		} else if (sip_str_ieq(prm.name, "maddr")) {
			v->maddr = prm.value;
		} else if (sip_str_ieq(prm.name, "ttl")) {
			v->ttl = prm.value;
		}
	}
	if (r < 0)
		return NULL;
	if (params != NULL)
		v->params = (struct sip_str){ params, (uint32_t)(p - params) };
	v->raw = (struct sip_str){ start, (uint32_t)(p - start) };
	return p;
}

int
sip_via_next(struct sip_iter *it, struct sip_via *v)
{
	const char *q;
	int r = sip_iter_begin(it);

	if (r <= 0)
		return r;
	q = via_parse(it->p, it->end, v);
	if (q == NULL || sip_iter_after(it, q) < 0)
		return -1;
	return 1;
}

int
sip_via_top(const struct sip_msg *m, struct sip_via *v)
{
	struct sip_iter it;

	sip_iter_init(&it, m, SIP_H_VIA);
	return sip_via_next(&it, v) == 1 ? 0 : -1;
}

/* ---- addresses -------------------------------------------------------------------------- */

static const char *
addr_parse(const char *p, const char *end, struct sip_addr *a, bool allow_star)
{
	struct sip_param prm;
	const char *q, *params = NULL;
	int r;

	memset(a, 0, sizeof(*a));
	if (allow_star && *p == '*') {
		a->star = true;
		return p + 1;
	}
	if (*p == '"') {
		struct sip_str inner;

		q = sip_scan_quoted(p, end, &inner);
		if (q == NULL)
			return NULL;
		a->display = (struct sip_str){ p, (uint32_t)(q - p) };
		p = sip_skip_lws(q, end);
		if (p >= end || *p != '<')
			return NULL;
	} else {
		/* Tokens separated by LWS and then '<': a display name; otherwise an addr-spec. */
		const char *tok_end = p;

		for (q = p; q < end;) {
			const char *t = sip_scan(sip_c_token, q, end);

			if (t == q)
				break;
			tok_end = t;
			q = sip_skip_lws(t, end);
		}
		if (q < end && *q == '<') {
			a->display = (struct sip_str){ p, (uint32_t)(tok_end - p) };
			p = q;
		}
	}
	if (*p == '<') {
		q = memchr(p, '>', (size_t)(end - p));
		if (q == NULL)
			return NULL;
		a->uri = (struct sip_str){ p + 1, (uint32_t)(q - p - 1) };
		a->bracketed = true;
		p = q + 1;
	} else {
		for (q = p; q < end; q++) {
			char c = *q;

			if ((uint8_t)c <= ' ' || c == ';' || c == ',')
				break;
			if (c == '<' || c == '>' || c == '"' || c == '?')
				return NULL; /* '?' needs the name-addr form (RFC 3261 20.10) */
		}
		if (q == p)
			return NULL;
		a->uri = (struct sip_str){ p, (uint32_t)(q - p) };
		p = q;
	}
	while ((r = sip_param_next(&p, end, &prm)) == 1) {
		if (params == NULL)
			params = prm.start;
		if (sip_str_ieq(prm.name, "tag")) {
			if (!prm.has_value)
				return NULL;
			a->has_tag = true;
			a->tag = prm.value;
		}
	}
	if (r < 0)
		return NULL;
	if (params != NULL)
		a->params = (struct sip_str){ params, (uint32_t)(p - params) };
	return p;
}

int
sip_addr_next(struct sip_iter *it, struct sip_addr *a)
{
	const char *q;
	int r = sip_iter_begin(it);

	if (r <= 0)
		return r;
	q = addr_parse(it->p, it->end, a, it->h->id == SIP_H_CONTACT);
	if (q == NULL || sip_iter_after(it, q) < 0)
		return -1;
	return 1;
}

int
sip_addr_parse(struct sip_str value, struct sip_addr *a)
{
	const char *end = value.s + value.len, *q;

	if (value.len == 0)
		return -1;
	q = addr_parse(value.s, end, a, false);
	if (q == NULL || sip_skip_lws(q, end) != end)
		return -1;
	return 0;
}

/* One header of this id holding exactly one address. */
static int
single_addr(const struct sip_msg *m, enum sip_hdr_id id, struct sip_addr *a)
{
	const struct sip_hdr *h = sip_hdr_first(m, id);

	if (h == NULL || h->next >= 0)
		return -1;
	return sip_addr_parse(h->value, a);
}

int
sip_from(const struct sip_msg *m, struct sip_addr *a)
{
	return single_addr(m, SIP_H_FROM, a);
}

int
sip_to(const struct sip_msg *m, struct sip_addr *a)
{
	return single_addr(m, SIP_H_TO, a);
}
