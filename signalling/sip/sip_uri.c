/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sip_uri.c - URI parsing (see sip_uri.h).
 *
 *   SIP-URI  = "sip:" [ userinfo ] hostport uri-parameters [ headers ]
 *   userinfo = ( user / telephone-subscriber ) [ ":" password ] "@"
 * An unescaped '@' can only end the userinfo (parameters and headers must escape it),
 * so the first '@' splits the URI; the user part may hold ';', '?', ',' and '/'.
 * Any thread.
 */
#include <arpa/inet.h>
#include <strings.h>

#include "sip_lex.h"
#include "sip_uri.h"

bool
sip_ipv4_parse(const char *s, size_t len, uint8_t *addr)
{
	const char *p = s, *end = s + len;
	unsigned int i;

	for (i = 0; i < 4; i++) {
		unsigned int v = 0, n = 0;

		while (p < end && sip_is_digit(*p) && n < 4) {
			v = v * 10 + (unsigned int)(*p++ - '0');
			n++;
		}
		if (n == 0 || n > 3 || v > 255)
			return false;
		if (addr != NULL)
			addr[i] = (uint8_t)v;
		if (i < 3) {
			if (p >= end || *p != '.')
				return false;
			p++;
		}
	}
	return p == end;
}

bool
sip_ipv6_parse(const char *s, size_t len, uint8_t *addr)
{
	char tmp[64];
	uint8_t out[16];
	const char *tri;
	size_t i;

	if (len < 2 || len >= sizeof(tmp))
		return false;
	for (i = 0; i < len; i++)
		if (!(sip_c_hex[(uint8_t)s[i]] || s[i] == ':' || s[i] == '.'))
			return false;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	if (inet_pton(AF_INET6, tmp, out) != 1) {
		/* RFC 5118 4.10: "x:::a.b.c.d" is derivable from RFC 3261; drop one colon. */
		tri = strstr(tmp, ":::");
		if (tri == NULL || strstr(tri + 1, ":::") != NULL || strchr(tri, '.') == NULL)
			return false;
		memmove((char *)tri, tri + 1, strlen(tri + 1) + 1);
		if (inet_pton(AF_INET6, tmp, out) != 1)
			return false;
	}
	if (addr != NULL)
		memcpy(addr, out, 16);
	return true;
}

static inline bool
is_alnum(char c)
{
	return sip_is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/*
 * Scans a host name or IPv4 address at [p, end) in one pass: hostname = *( domainlabel
 * "." ) toplabel [ "." ], labels of alphanum with inner '-'; all digits and dots must be
 * a dotted quad. Returns the end, or NULL; *type receives the kind.
 */
static const char *
scan_host(const char *p, const char *end, uint8_t *type)
{
	const char *h = p, *label = p;
	unsigned int octet = 0, digits = 0, dots = 0;
	bool alpha = false, quad = true;

	for (; p < end; p++) {
		char c = *p;

		if (sip_is_digit(c)) {
			octet = octet * 10 + (unsigned int)(c - '0');
			quad &= ++digits <= 3 && octet <= 255;
		} else if (c == '.') {
			if (p == label || *label == '-' || p[-1] == '-')
				return NULL;
			quad &= digits > 0;
			dots++;
			octet = digits = 0;
			label = p + 1;
		} else if (c == '-' || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) {
			alpha = true;
		} else {
			break;
		}
	}
	if (p == h)
		return NULL;
	if (!alpha) {
		/* All digits and dots: only a dotted quad is a host. */
		*type = SIP_HOST_IPV4;
		return quad && dots == 3 && digits > 0 ? p : NULL;
	}
	/* The last label may be empty only as a trailing dot. */
	if ((p == label && (p[-1] != '.' || p - 1 == h)) ||
			(p > label && (*label == '-' || p[-1] == '-')))
		return NULL;
	/* toplabel = ALPHA *( alphanum / "-" ): the last label starts with a letter. */
	if (p == label) { /* trailing dot: look at the label before it */
		for (label = p - 1; label > h && label[-1] != '.'; label--)
			;
	}
	if (sip_is_digit(*label))
		return NULL;
	*type = SIP_HOST_NAME;
	return p;
}

const char *
sip_host_parse(const char *p, const char *end, struct sip_str *host, uint8_t *host_type)
{
	const char *h = p;

	if (p < end && *p == '[') {
		const char *rb = memchr(p, ']', (size_t)(end - p));

		if (rb == NULL || !sip_ipv6_parse(p + 1, (size_t)(rb - p - 1), NULL))
			return NULL;
		p = rb + 1;
		*host_type = SIP_HOST_IPV6;
	} else {
		p = scan_host(p, end, host_type);
		if (p == NULL)
			return NULL;
	}
	*host = (struct sip_str){ h, (uint32_t)(p - h) };
	return p;
}

const char *
sip_hostport_parse(const char *p, const char *end, struct sip_str *host, uint8_t *host_type,
		int32_t *port)
{
	*port = -1;
	p = sip_host_parse(p, end, host, host_type);
	if (p != NULL && p < end && *p == ':') {
		uint64_t v;
		const char *q = sip_parse_uint(p + 1, end, 65535, &v);

		if (q == NULL || q - p - 1 > 5)
			return NULL;
		*port = (int32_t)v;
		p = q;
	}
	return p;
}

/* uri-parameters: *( ";" pname [ "=" pvalue ] ); notes the well-known ones. */
static const char *
parse_uri_params(const char *p, const char *end, struct sip_uri *u)
{
	const char *start = p + 1;

	while (p < end && *p == ';') {
		const char *n = p + 1, *ne, *v = NULL, *ve = NULL;
		struct sip_str name, val;

		ne = sip_scan_escaped(sip_c_param, n, end);
		if (ne == NULL || ne == n)
			return NULL;
		p = ne;
		if (p < end && *p == '=') {
			v = p + 1;
			ve = sip_scan_escaped(sip_c_param, v, end);
			if (ve == NULL || ve == v)
				return NULL;
			p = ve;
		}
		name = (struct sip_str){ n, (uint32_t)(ne - n) };
		val = v ? (struct sip_str){ v, (uint32_t)(ve - v) } : SIP_STR_NULL;
		switch (*n | 0x20) { /* one comparison per parameter */
		case 't':
		case 'u':
		case 'm':
		case 'l':
			break;
		default:
			continue;
		}
		if (sip_str_ieq(name, "transport"))
			u->transport = val;
		else if (sip_str_ieq(name, "user"))
			u->user_param = val;
		else if (sip_str_ieq(name, "method"))
			u->method = val;
		else if (sip_str_ieq(name, "maddr"))
			u->maddr = val;
		else if (sip_str_ieq(name, "ttl"))
			u->ttl = val;
		else if (sip_str_ieq(name, "lr"))
			u->lr = true;
	}
	u->params = (struct sip_str){ start, (uint32_t)(p > start ? p - start : 0) };
	return p;
}

/* headers = "?" header *( "&" header ); header = hname [ "=" hvalue ] */
static const char *
parse_uri_headers(const char *p, const char *end, struct sip_uri *u)
{
	const char *start = ++p;

	for (;;) {
		const char *n = p, *q = sip_scan_escaped(sip_c_hnv, p, end);

		if (q == NULL || q == n)
			return NULL;
		p = q;
		if (p < end && *p == '=') {
			q = sip_scan_escaped(sip_c_hnv, p + 1, end);
			if (q == NULL)
				return NULL;
			p = q;
		}
		if (p < end && *p == '&') {
			p++;
			continue;
		}
		break;
	}
	u->headers = (struct sip_str){ start, (uint32_t)(p - start) };
	return p;
}

static int
parse_sip(const char *p, const char *end, struct sip_uri *u, const char **why)
{
	const char *at = memchr(p, '@', (size_t)(end - p));

	if (at != NULL) {
		const char *q = sip_scan_escaped(sip_c_user, p, at);

		if (q == NULL || q == p || (q < at && *q != ':')) {
			*why = "Invalid User Part in URI";
			return -1;
		}
		u->user = (struct sip_str){ p, (uint32_t)(q - p) };
		if (q < at) {
			const char *pw = q + 1;

			q = sip_scan_escaped(sip_c_password, pw, at);
			if (q != at) {
				*why = "Invalid Password in URI";
				return -1;
			}
			u->password = (struct sip_str){ pw, (uint32_t)(at - pw) };
		}
		p = at + 1;
	}
	p = sip_hostport_parse(p, end, &u->host, &u->host_type, &u->port);
	if (p == NULL) {
		*why = "Invalid Host or Port in URI";
		return -1;
	}
	if (p < end && *p == ';' && (p = parse_uri_params(p, end, u)) == NULL) {
		*why = "Invalid URI Parameter";
		return -1;
	}
	if (p < end && *p == '?' && (p = parse_uri_headers(p, end, u)) == NULL) {
		*why = "Invalid URI Header";
		return -1;
	}
	if (p != end) {
		*why = "Invalid Character in URI";
		return -1;
	}
	return 0;
}

/* telephone-subscriber (RFC 3966): [+]phonedigits *( ";" par ) */
static int
parse_tel(const char *p, const char *end, struct sip_uri *u, const char **why)
{
	const char *n = p;
	bool digit = false;

	if (p < end && *p == '+')
		p++;
	for (; p < end; p++) {
		char c = *p;

		if (sip_c_hex[(uint8_t)c] || c == '*' || c == '#')
			digit = true;
		else if (c != '-' && c != '.' && c != '(' && c != ')')
			break;
	}
	if (!digit) {
		*why = "Invalid Telephone Number";
		return -1;
	}
	u->user = (struct sip_str){ n, (uint32_t)(p - n) };
	if (p < end && *p == ';' && (p = parse_uri_params(p, end, u)) == NULL) {
		*why = "Invalid tel URI Parameter";
		return -1;
	}
	if (p != end) {
		*why = "Invalid Character in tel URI";
		return -1;
	}
	return 0;
}

int
sip_uri_parse(const char *s, size_t len, struct sip_uri *u, const char **why)
{
	const char *p = s, *end, *colon;
	const char *dummy;

	if (why == NULL)
		why = &dummy;
	memset(u, 0, sizeof(*u));
	u->port = -1;
	if (s == NULL) {
		*why = "Empty URI";
		return -1;
	}
	end = s + len;
	/* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) */
	if (len == 0 || sip_is_digit(*p) || !is_alnum(*p)) {
		*why = "Invalid URI Scheme";
		return -1;
	}
	for (colon = p + 1; colon < end && *colon != ':'; colon++)
		if (!is_alnum(*colon) && *colon != '+' && *colon != '-' && *colon != '.') {
			*why = "Invalid URI Scheme";
			return -1;
		}
	if (colon >= end || colon + 1 == end) {
		*why = colon >= end ? "Invalid URI Scheme" : "Empty URI";
		return -1;
	}
	u->scheme_str = (struct sip_str){ p, (uint32_t)(colon - p) };
	p = colon + 1;
	if (sip_str_ieq(u->scheme_str, "sip")) {
		u->scheme = SIP_SCHEME_SIP;
		return parse_sip(p, end, u, why);
	}
	if (sip_str_ieq(u->scheme_str, "sips")) {
		u->scheme = SIP_SCHEME_SIPS;
		return parse_sip(p, end, u, why);
	}
	if (sip_str_ieq(u->scheme_str, "tel")) {
		u->scheme = SIP_SCHEME_TEL;
		return parse_tel(p, end, u, why);
	}
	/* Any other absolute URI is kept whole: no spaces, quotes or angle brackets. */
	for (const char *q = p; q < end; q++)
		if ((uint8_t)*q <= ' ' || *q == '<' || *q == '>' || *q == '"' || (uint8_t)*q >= 0x7f) {
			*why = "Invalid Character in URI";
			return -1;
		}
	u->scheme = SIP_SCHEME_OTHER;
	u->opaque = (struct sip_str){ p, (uint32_t)(end - p) };
	return 0;
}
