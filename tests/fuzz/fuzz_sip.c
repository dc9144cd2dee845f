/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_sip.c - libFuzzer harness: the SIP parser, stream framing, validation and every
 * typed header parser on arbitrary input. Invariants: every slice the parser returns
 * lies inside the input; the framed length never exceeds it; whether the message is
 * accepted or not, the parts of the start line it gives and the headers it indexes (what
 * an answer copies) hold no control octet, but HTAB in the Reason-Phrase, in header
 * values and in a refused Request-Line, the line ends of folds and octets after a
 * backslash (quoted-pairs); a refusal
 * for a control octet points at an input that has one.
 */
#include <stdlib.h>
#include <string.h>

#include "sdp.h"
#include "sip_check.h"
#include "sip_hdr.h"
#include "sip_msg.h"
#include "sip_uri.h"

static const uint8_t *in_lo, *in_hi;

static void
inside(struct sip_str s)
{
	if (s.s == NULL)
		return;
	if ((const uint8_t *)s.s < in_lo || (const uint8_t *)s.s + s.len > in_hi)
		abort();
}

static bool
is_ctl(uint8_t c)
{
	return c < 0x20 || c == 0x7f;
}

/* Aborts when s holds a control octet other than HTAB (when tab_ok). */
static void
no_ctl(struct sip_str s, bool tab_ok)
{
	uint32_t i;

	for (i = 0; i < s.len; i++)
		if (is_ctl((uint8_t)s.s[i]) && !(tab_ok && s.s[i] == '\t'))
			abort();
}

/* Aborts when a header value holds a control octet that is no HTAB, fold or quoted-pair. */
static void
value_ctl(struct sip_str v)
{
	uint32_t i;

	for (i = 0; i < v.len; i++) {
		uint8_t c = (uint8_t)v.s[i];

		if (!is_ctl(c) || c == '\t')
			continue;
		if (c == '\r' && i + 2 < v.len && v.s[i + 1] == '\n' &&
				(v.s[i + 2] == ' ' || v.s[i + 2] == '\t')) {
			i++;
			continue;
		}
		if (c == '\n' && i + 1 < v.len && (v.s[i + 1] == ' ' || v.s[i + 1] == '\t'))
			continue;
		if (c != '\r' && c != '\n' && i > 0 && v.s[i - 1] == '\\')
			continue;
		abort();
	}
}

/* Checks the control-octet invariants of a parse (see the file header). */
static void
check_ctl(const struct sip_msg *m, int rc, const uint8_t *data, size_t size)
{
	unsigned int i;

	/* A refused Request-Line may be given with HTAB (whitespace, refused as such). */
	no_ctl(m->method_str, rc < 0);
	no_ctl(m->ruri, rc < 0);
	no_ctl(m->version, rc < 0);
	no_ctl(m->reason, true);
	for (i = 0; i < m->n_hdrs; i++) {
		no_ctl(m->hdrs[i].name, false);
		value_ctl(m->hdrs[i].value);
	}
	if (rc < 0 && m->err.cause == SIP_ERR_CONTROL_CHAR) {
		size_t k;

		for (k = 0; k < size; k++)
			if (is_ctl(data[k]) && data[k] != '\t' && data[k] != '\n' &&
					!(data[k] == '\r' && k + 1 < size && data[k + 1] == '\n'))
				return;
		abort();
	}
}

static void
typed(const struct sip_msg *m)
{
	struct sip_iter it;
	struct sip_via v;
	struct sip_addr a;
	struct sip_str s;
	struct sip_cseq cs;
	struct sip_content_type ct;
	struct sip_session_expires se;
	struct sip_reason r;
	struct sip_auth au;
	struct sip_uri u;
	struct sip_error err;
	static const uint8_t lists[] = { SIP_H_CONTACT, SIP_H_ROUTE, SIP_H_RECORD_ROUTE,
		SIP_H_P_ASSERTED_IDENTITY, SIP_H_PATH };
	static const uint8_t tokens[] = { SIP_H_REQUIRE, SIP_H_SUPPORTED, SIP_H_ALLOW,
		SIP_H_PROXY_REQUIRE, SIP_H_UNSUPPORTED };
	static const uint8_t auths[] = { SIP_H_AUTHORIZATION, SIP_H_PROXY_AUTHORIZATION,
		SIP_H_WWW_AUTHENTICATE, SIP_H_PROXY_AUTHENTICATE };
	unsigned int i;
	const struct sip_hdr *h;

	sip_validate(m, &err);
	sip_iter_init(&it, m, SIP_H_VIA);
	while (sip_via_next(&it, &v) == 1) {
		inside(v.host);
		inside(v.branch);
		inside(v.received);
	}
	for (i = 0; i < sizeof(lists); i++) {
		sip_iter_init(&it, m, lists[i]);
		while (sip_addr_next(&it, &a) == 1) {
			inside(a.uri);
			inside(a.display);
			if (sip_uri_parse(a.uri.s, a.uri.len, &u, NULL) == 0) {
				inside(u.host);
				inside(u.user);
				inside(u.params);
			}
		}
	}
	if (sip_from(m, &a) == 0)
		inside(a.tag);
	if (sip_to(m, &a) == 0)
		inside(a.tag);
	if (sip_call_id(m, &s) == 0)
		inside(s);
	if (sip_cseq(m, &cs) == 0)
		inside(cs.method_str);
	sip_max_forwards(m);
	sip_delta_seconds(m, SIP_H_EXPIRES);
	sip_delta_seconds(m, SIP_H_MIN_SE);
	if (sip_content_type(m, &ct) == 0)
		inside(ct.params);
	sip_session_expires(m, &se);
	for (i = 0; i < sizeof(tokens); i++) {
		sip_iter_init(&it, m, tokens[i]);
		while (sip_token_next(&it, &s) == 1)
			inside(s);
	}
	sip_iter_init(&it, m, SIP_H_REASON);
	while (sip_reason_next(&it, &r) == 1)
		inside(r.text);
	for (i = 0; i < sizeof(auths); i++)
		for (h = sip_hdr_first(m, auths[i]); h != NULL; h = sip_hdr_next(m, h))
			if (sip_auth_parse(h, &au) == 0) {
				inside(au.nonce);
				inside(au.response);
			}
	if (m->kind == SIP_KIND_REQUEST && sip_uri_parse(m->ruri.s, m->ruri.len, &u, NULL) == 0)
		inside(u.host);
	if (sip_body_is_sdp(m)) {
		struct sdp *d = malloc(sizeof(*d));

		if (d != NULL && sdp_parse(m->body.s, m->body.len, d) == 0)
			inside(d->o_addr);
		free(d);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sip_msg m;
	struct sip_error err;
	size_t skip, len;
	unsigned int i;
	int rc;

	in_lo = data;
	in_hi = data + size;
	sip_frame_stream((const char *)data, size, NULL, &skip, &len, &err);
	rc = sip_parse(&m, (const char *)data, size, size & 1 ? SIP_FRAME_STREAM :
								SIP_FRAME_DATAGRAM, NULL);
	if (rc == 0 && m.len > size)
		abort();
	if (m.kind != SIP_KIND_NONE)
		check_ctl(&m, rc, data, size);
	if (m.kind == SIP_KIND_NONE)
		return 0;
	inside(m.ruri);
	inside(m.body);
	for (i = 0; i < m.n_hdrs; i++) {
		inside(m.hdrs[i].name);
		inside(m.hdrs[i].value);
		inside((struct sip_str){ m.buf + m.hdrs[i].raw_off, m.hdrs[i].raw_len });
	}
	typed(&m);
	return 0;
}
