/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sip_auth.c - Authorization / Proxy-Authorization credentials and WWW- /
 * Proxy-Authenticate challenges (RFC 3261 22, RFC 2617):
 *   credentials = "Digest" LWS dig-resp *( COMMA dig-resp ) / other-response
 *   auth-param  = auth-param-name EQUAL ( token / quoted-string )
 * Quoted values are returned without their quotes (escapes kept). Any thread.
 */
#include "sip_hdr.h"
#include "sip_lex.h"

static void
auth_store(struct sip_auth *a, struct sip_str name, struct sip_str val)
{
	static const struct {
		const char *name;
		size_t off;
	} fields[] = {
		{ "username", offsetof(struct sip_auth, username) },
		{ "realm", offsetof(struct sip_auth, realm) },
		{ "nonce", offsetof(struct sip_auth, nonce) },
		{ "uri", offsetof(struct sip_auth, uri) },
		{ "response", offsetof(struct sip_auth, response) },
		{ "algorithm", offsetof(struct sip_auth, algorithm) },
		{ "cnonce", offsetof(struct sip_auth, cnonce) },
		{ "opaque", offsetof(struct sip_auth, opaque) },
		{ "qop", offsetof(struct sip_auth, qop) },
		{ "nc", offsetof(struct sip_auth, nc) },
		{ "domain", offsetof(struct sip_auth, domain) },
		{ "stale", offsetof(struct sip_auth, stale) },
	};
	size_t i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (sip_str_ieq(name, fields[i].name)) {
			*(struct sip_str *)(void *)((char *)a + fields[i].off) = val;
			return;
		}
}

int
sip_auth_parse(const struct sip_hdr *h, struct sip_auth *a)
{
	const char *p = h->value.s, *end = p + h->value.len, *q;

	memset(a, 0, sizeof(*a));
	q = sip_scan(sip_c_token, p, end);
	if (q == p)
		return -1;
	a->scheme = (struct sip_str){ p, (uint32_t)(q - p) };
	p = sip_skip_lws(q, end);
	a->params = (struct sip_str){ p, (uint32_t)(end - p) };
	if (!sip_str_ieq(a->scheme, "digest"))
		return 0; /* another scheme: kept whole, not interpreted */
	if (q == p || p == end)
		return -1;
	while (p < end) {
		struct sip_str name, val;

		q = sip_scan(sip_c_token, p, end);
		if (q == p)
			return -1;
		name = (struct sip_str){ p, (uint32_t)(q - p) };
		p = sip_skip_lws(q, end);
		if (p >= end || *p != '=')
			return -1;
		p = sip_skip_lws(p + 1, end);
		if (p < end && *p == '"') {
			q = sip_scan_quoted(p, end, &val);
			if (q == NULL)
				return -1;
		} else {
			q = sip_scan(sip_c_token, p, end);
			if (q == p)
				return -1;
			val = (struct sip_str){ p, (uint32_t)(q - p) };
		}
		auth_store(a, name, val);
		p = sip_skip_lws(q, end);
		if (p == end)
			break;
		if (*p != ',')
			return -1;
		p = sip_skip_lws(p + 1, end);
		if (p == end)
			return -1;
	}
	return 0;
}
