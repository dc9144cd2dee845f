/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sip_hdr_misc.c - single-value and token headers: Call-ID, CSeq, Max-Forwards,
 * delta-seconds (Expires, Min-SE, RSeq), Content-Type, option tags and methods,
 * Session-Expires, Reason (see sip_hdr.h). Any thread.
 */
#include "sip_hdr.h"
#include "sip_lex.h"

/* The value of the only header of this id; NULL when missing or repeated. */
static const struct sip_hdr *
only(const struct sip_msg *m, enum sip_hdr_id id)
{
	const struct sip_hdr *h = sip_hdr_first(m, id);

	return h == NULL || h->next >= 0 ? NULL : h;
}

int
sip_call_id(const struct sip_msg *m, struct sip_str *id)
{
	const struct sip_hdr *h = only(m, SIP_H_CALL_ID);
	const char *p, *end, *q;

	if (h == NULL || h->value.len == 0)
		return -1;
	p = h->value.s;
	end = p + h->value.len;
	/* callid = word [ "@" word ] */
	q = sip_scan(sip_c_word, p, end);
	if (q == p)
		return -1;
	if (q < end && *q == '@') {
		const char *w = q + 1;

		q = sip_scan(sip_c_word, w, end);
		if (q == w)
			return -1;
	}
	if (q != end)
		return -1;
	*id = h->value;
	return 0;
}

int
sip_cseq(const struct sip_msg *m, struct sip_cseq *c)
{
	const struct sip_hdr *h = only(m, SIP_H_CSEQ);
	const char *p, *end, *q;
	uint64_t n;

	if (h == NULL)
		return -1;
	p = h->value.s;
	end = p + h->value.len;
	q = sip_parse_uint(p, end, UINT32_MAX, &n);
	if (q == NULL)
		return -1;
	p = sip_skip_lws(q, end);
	if (p == q)
		return -1; /* 1*DIGIT LWS Method */
	q = sip_scan(sip_c_token, p, end);
	if (q == p || q != end)
		return -1;
	c->num = (uint32_t)n;
	c->method_str = (struct sip_str){ p, (uint32_t)(q - p) };
	c->method = (uint8_t)sip_method_lookup(p, (size_t)(q - p));
	return 0;
}

/* A header holding only 1*DIGIT up to max: the value, SIP_ABSENT, or -1. */
static int64_t
number_header(const struct sip_msg *m, enum sip_hdr_id id, uint64_t max)
{
	const struct sip_hdr *h = sip_hdr_first(m, id);
	const char *end, *q;
	uint64_t v;

	if (h == NULL)
		return SIP_ABSENT;
	if (h->next >= 0)
		return -1;
	end = h->value.s + h->value.len;
	q = sip_parse_uint(h->value.s, end, max, &v);
	if (q == NULL || q != end)
		return -1;
	return (int64_t)v;
}

int
sip_max_forwards(const struct sip_msg *m)
{
	return (int)number_header(m, SIP_H_MAX_FORWARDS, 255);
}

int64_t
sip_delta_seconds(const struct sip_msg *m, enum sip_hdr_id id)
{
	return number_header(m, id, UINT32_MAX);
}

int
sip_content_type(const struct sip_msg *m, struct sip_content_type *ct)
{
	const struct sip_hdr *h = sip_hdr_first(m, SIP_H_CONTENT_TYPE);
	struct sip_param prm;
	const char *p, *end, *q, *params = NULL;
	int r;

	if (h == NULL)
		return SIP_ABSENT;
	if (h->next >= 0)
		return -1;
	p = h->value.s;
	end = p + h->value.len;
	q = sip_scan(sip_c_token, p, end);
	if (q == p)
		return -1;
	ct->type = (struct sip_str){ p, (uint32_t)(q - p) };
	p = sip_skip_lws(q, end);
	if (p >= end || *p != '/')
		return -1;
	p = sip_skip_lws(p + 1, end);
	q = sip_scan(sip_c_token, p, end);
	if (q == p)
		return -1;
	ct->subtype = (struct sip_str){ p, (uint32_t)(q - p) };
	p = q;
	ct->params = SIP_STR_NULL;
	while ((r = sip_param_next(&p, end, &prm)) == 1)
		if (params == NULL)
			params = prm.start;
	if (r < 0 || sip_skip_lws(p, end) != end)
		return -1;
	if (params != NULL)
		ct->params = (struct sip_str){ params, (uint32_t)(p - params) };
	return 0;
}

bool
sip_body_is_sdp(const struct sip_msg *m)
{
	struct sip_content_type ct;

	return sip_content_type(m, &ct) == 0 && sip_str_ieq(ct.type, "application") &&
			sip_str_ieq(ct.subtype, "sdp");
}

int
sip_token_next(struct sip_iter *it, struct sip_str *tok)
{
	const char *q;
	int r;

	it->allow_empty = true; /* "Supported:" with nothing is an empty list */
	r = sip_iter_begin(it);
	if (r <= 0)
		return r;
	q = sip_scan(sip_c_token, it->p, it->end);
	if (q == it->p)
		return -1;
	*tok = (struct sip_str){ it->p, (uint32_t)(q - it->p) };
	return sip_iter_after(it, q) < 0 ? -1 : 1;
}

bool
sip_token_has(const struct sip_msg *m, enum sip_hdr_id id, const char *tok)
{
	struct sip_iter it;
	struct sip_str t;

	sip_iter_init(&it, m, id);
	while (sip_token_next(&it, &t) == 1)
		if (sip_str_icase(t, tok))
			return true;
	return false;
}

int
sip_session_expires(const struct sip_msg *m, struct sip_session_expires *se)
{
	const struct sip_hdr *h = sip_hdr_first(m, SIP_H_SESSION_EXPIRES);
	struct sip_param prm;
	const char *p, *end, *params = NULL;
	uint64_t v;
	int r;

	if (h == NULL)
		return SIP_ABSENT;
	if (h->next >= 0)
		return -1;
	end = h->value.s + h->value.len;
	p = sip_parse_uint(h->value.s, end, UINT32_MAX, &v);
	if (p == NULL)
		return -1;
	se->delta = (uint32_t)v;
	se->refresher = 0;
	se->params = SIP_STR_NULL;
	while ((r = sip_param_next(&p, end, &prm)) == 1) {
		if (params == NULL)
			params = prm.start;
		if (sip_str_ieq(prm.name, "refresher")) {
			if (sip_str_ieq(prm.value, "uac"))
				se->refresher = 1;
			else if (sip_str_ieq(prm.value, "uas"))
				se->refresher = 2;
			else
				return -1;
		}
	}
	if (r < 0 || sip_skip_lws(p, end) != end)
		return -1;
	if (params != NULL)
		se->params = (struct sip_str){ params, (uint32_t)(p - params) };
	return 0;
}

int
sip_reason_next(struct sip_iter *it, struct sip_reason *r)
{
	struct sip_param prm;
	const char *p, *q, *params = NULL;
	int rc = sip_iter_begin(it);

	if (rc <= 0)
		return rc;
	memset(r, 0, sizeof(*r));
	r->cause = -1;
	p = it->p;
	q = sip_scan(sip_c_token, p, it->end);
	if (q == p)
		return -1;
	r->protocol = (struct sip_str){ p, (uint32_t)(q - p) };
	p = q;
	while ((rc = sip_param_next(&p, it->end, &prm)) == 1) {
		if (params == NULL)
			params = prm.start;
		if (sip_str_ieq(prm.name, "cause")) {
			uint64_t v;
			const char *e;

			if (!prm.has_value)
				return -1;
			e = prm.value.s + prm.value.len;
			if (sip_parse_uint(prm.value.s, e, 65535, &v) != e)
				return -1;
			r->cause = (int32_t)v;
		} else if (sip_str_ieq(prm.name, "text")) {
			if (prm.value.len < 2 || prm.value.s[0] != '"')
				return -1;
			r->text = (struct sip_str){ prm.value.s + 1, prm.value.len - 2 };
		}
	}
	if (rc < 0)
		return -1;
	if (params != NULL)
		r->params = (struct sip_str){ params, (uint32_t)(p - params) };
	return sip_iter_after(it, p) < 0 ? -1 : 1;
}
