/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_sip_uri.c - URIs (sip_uri.h): sip, sips, tel and opaque schemes, user parts and
 * escapes, host names, IPv4 and IPv6 references (with the RFC 5118 ":::" form), ports,
 * parameters and headers; and the address helpers on their own. Every input is parsed
 * from a heap copy of its exact length, so that ASan sees any over-read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sip_test.h"

#include "sip_uri.h"

/* Expected slices: NULL means absent (a NULL slice), "" present but empty. */

/* Compares one field; prints the case and the field on a mismatch. */

/* A heap copy of exactly strlen(s) octets (at least one allocated). */

/* ---- sip_uri_parse ------------------------------------------------------------------- */

struct uri_case {
	const char *in;
	const char *why; /* NULL: accepted; else the exact reason */
	uint8_t scheme;
	uint8_t host_type;
	const char *user, *password, *host;
	int32_t port;
	const char *params, *headers;
};

#define OK(in, sch, ht, user, pw, host, port, params, hdrs)                                        \
	{ in, NULL, SIP_SCHEME_##sch, SIP_HOST_##ht, user, pw, host, port, params, hdrs }
#define BAD(in, why) { in, why, 0, 0, NULL, NULL, NULL, -1, NULL, NULL }

static const struct uri_case uri_cases[] = {
	/* schemes */
	OK("sip:alice@example.com", SIP, NAME, "alice", NULL, "example.com", -1, NULL, NULL),
	OK("SIP:alice@example.com", SIP, NAME, "alice", NULL, "example.com", -1, NULL, NULL),
	OK("sips:bob@example.net:5061", SIPS, NAME, "bob", NULL, "example.net", 5061, NULL, NULL),
	OK("sip:example.org", SIP, NAME, NULL, NULL, "example.org", -1, NULL, NULL),
	/* user and password */
	OK("sip:alice:secret@example.com", SIP, NAME, "alice", "secret", "example.com", -1, NULL,
			NULL),
	OK("sip:alice:@example.com", SIP, NAME, "alice", "", "example.com", -1, NULL, NULL),
	OK("sip:alice:a&b=c+d$e,f@example.com", SIP, NAME, "alice", "a&b=c+d$e,f", "example.com", -1,
			NULL, NULL),
	BAD("sip:alice:p:w@example.com", "Invalid Password in URI"),
	BAD("sip:alice:p;w@example.com", "Invalid Password in URI"),
	BAD("sip:@example.com", "Invalid User Part in URI"),
	/* escapes */
	OK("sip:%41lice@example.com", SIP, NAME, "%41lice", NULL, "example.com", -1, NULL, NULL),
	OK("sip:%4a%4B@example.com", SIP, NAME, "%4a%4B", NULL, "example.com", -1, NULL, NULL),
	/* RFC 3261 escaped = "%" HEXDIG HEXDIG: an escaped NUL is grammatical, kept escaped. */
	OK("sip:a%00b@example.com", SIP, NAME, "a%00b", NULL, "example.com", -1, NULL, NULL),
	BAD("sip:%4@example.com", "Invalid User Part in URI"),
	/* toplabel = ALPHA *( alphanum / "-" ): only the last label must start with a letter */
	OK("sip:1a.example.com", SIP, NAME, NULL, NULL, "1a.example.com", -1, NULL, NULL),
	OK("sip:example.com.", SIP, NAME, NULL, NULL, "example.com.", -1, NULL, NULL),
	BAD("sip:example.123", "Invalid Host or Port in URI"),
	BAD("sip:example.123.", "Invalid Host or Port in URI"),
	BAD("sip:1.2.3.4a", "Invalid Host or Port in URI"),
	BAD("sip:ab%4@example.com", "Invalid User Part in URI"),
	BAD("sip:%ZZ@example.com", "Invalid User Part in URI"),
	BAD("sip:%@example.com", "Invalid User Part in URI"),
	BAD("sip:alice:%G1@example.com", "Invalid Password in URI"),
	/* user parts with the user-unreserved characters */
	OK("sip:alice;day=tue@example.com", SIP, NAME, "alice;day=tue", NULL, "example.com", -1, NULL,
			NULL),
	OK("sip:alice?x=y@example.com", SIP, NAME, "alice?x=y", NULL, "example.com", -1, NULL, NULL),
	OK("sip:a,b/c&d=e+f$g@example.com", SIP, NAME, "a,b/c&d=e+f$g", NULL, "example.com", -1, NULL,
			NULL),
	OK("sip:+1-201-555-0123;phone-context=example.com@example.com;user=phone", SIP, NAME,
			"+1-201-555-0123;phone-context=example.com", NULL, "example.com", -1,
			"user=phone", NULL),
	BAD("sip:al ice@example.com", "Invalid User Part in URI"),
	BAD("sip:al<ice@example.com", "Invalid User Part in URI"),
	BAD("sip:al\"ice@example.com", "Invalid User Part in URI"),
	/* host names */
	OK("sip:example.com.", SIP, NAME, NULL, NULL, "example.com.", -1, NULL, NULL),
	OK("sip:ex-am-ple.example.com", SIP, NAME, NULL, NULL, "ex-am-ple.example.com", -1, NULL,
			NULL),
	OK("sip:a1.b-2.example.com", SIP, NAME, NULL, NULL, "a1.b-2.example.com", -1, NULL, NULL),
	OK("sip:localhost", SIP, NAME, NULL, NULL, "localhost", -1, NULL, NULL),
	BAD("sip:-example.com", "Invalid Host or Port in URI"),
	BAD("sip:example-.com", "Invalid Host or Port in URI"),
	BAD("sip:www.-example.com", "Invalid Host or Port in URI"),
	BAD("sip:example..com", "Invalid Host or Port in URI"),
	BAD("sip:.example.com", "Invalid Host or Port in URI"),
	BAD("sip:example.com..", "Invalid Host or Port in URI"),
	BAD("sip:a_b.example.com", "Invalid Character in URI"),
	BAD("sip:alice@", "Invalid Host or Port in URI"),
	BAD("sip:alice@;lr", "Invalid Host or Port in URI"),
	/* IPv4 */
	OK("sip:192.0.2.1", SIP, IPV4, NULL, NULL, "192.0.2.1", -1, NULL, NULL),
	OK("sip:alice@198.51.100.7:5080", SIP, IPV4, "alice", NULL, "198.51.100.7", 5080, NULL,
			NULL),
	BAD("sip:256.1.1.1", "Invalid Host or Port in URI"),
	BAD("sip:1.2.3", "Invalid Host or Port in URI"),
	BAD("sip:203.0.113.1.5", "Invalid Host or Port in URI"),
	BAD("sip:203.0.113.", "Invalid Host or Port in URI"),
	/* IPv6 references */
	OK("sip:[2001:db8::1]", SIP, IPV6, NULL, NULL, "[2001:db8::1]", -1, NULL, NULL),
	OK("sip:alice@[2001:db8::1]:5060", SIP, IPV6, "alice", NULL, "[2001:db8::1]", 5060, NULL,
			NULL),
	OK("sip:[2001:db8::192.0.2.1]", SIP, IPV6, NULL, NULL, "[2001:db8::192.0.2.1]", -1, NULL,
			NULL),
	/* RFC 5118 4.10: the extra colon before an embedded IPv4 address is tolerated. */
	OK("sip:[2001:db8:::192.0.2.1]", SIP, IPV6, NULL, NULL, "[2001:db8:::192.0.2.1]", -1, NULL,
			NULL),
	OK("sip:[::ffff:192.0.2.1]:5060", SIP, IPV6, NULL, NULL, "[::ffff:192.0.2.1]", 5060, NULL,
			NULL),
	BAD("sip:[2001:db8::1", "Invalid Host or Port in URI"),
	BAD("sip:[2001:db8::g]", "Invalid Host or Port in URI"),
	BAD("sip:[]", "Invalid Host or Port in URI"),
	BAD("sip:[2001:db8::1::2]", "Invalid Host or Port in URI"),
	BAD("sip:[2001:db8:::1]", "Invalid Host or Port in URI"),
	BAD("sip:[2001:db8::::192.0.2.1]", "Invalid Host or Port in URI"),
	BAD("sip:[1:2:3:4:5:6:7:8:9]", "Invalid Host or Port in URI"),
	BAD("sip:[2001:db8::1%25eth0]", "Invalid Host or Port in URI"),
	BAD("sip:2001:db8::1", "Invalid Host or Port in URI"),
	BAD("sip:[2001:db8::1]5060", "Invalid Character in URI"),
	/* ports */
	OK("sip:example.com:0", SIP, NAME, NULL, NULL, "example.com", 0, NULL, NULL),
	OK("sip:example.com:65535", SIP, NAME, NULL, NULL, "example.com", 65535, NULL, NULL),
	OK("sip:example.com:05060", SIP, NAME, NULL, NULL, "example.com", 5060, NULL, NULL),
	BAD("sip:example.com:65536", "Invalid Host or Port in URI"),
	BAD("sip:example.com:99999", "Invalid Host or Port in URI"),
	BAD("sip:example.com:", "Invalid Host or Port in URI"),
	BAD("sip:example.com:;lr", "Invalid Host or Port in URI"),
	BAD("sip:example.com:50a", "Invalid Character in URI"),
	/* parameters */
	OK("sip:example.com;lr", SIP, NAME, NULL, NULL, "example.com", -1, "lr", NULL),
	OK("sip:example.com:5060;transport=tcp;lr", SIP, NAME, NULL, NULL, "example.com", 5060,
			"transport=tcp;lr", NULL),
	OK("sip:example.com;x=%41%62", SIP, NAME, NULL, NULL, "example.com", -1, "x=%41%62", NULL),
	OK("sip:example.com;maddr=[2001:db8::1]", SIP, NAME, NULL, NULL, "example.com", -1,
			"maddr=[2001:db8::1]", NULL),
	BAD("sip:example.com;", "Invalid URI Parameter"),
	BAD("sip:example.com;;lr", "Invalid URI Parameter"),
	BAD("sip:example.com;lr;", "Invalid URI Parameter"),
	BAD("sip:example.com;=tcp", "Invalid URI Parameter"),
	BAD("sip:example.com;transport=", "Invalid URI Parameter"),
	BAD("sip:example.com;x=%4", "Invalid URI Parameter"),
	BAD("sip:example.com;x=a b", "Invalid Character in URI"),
	/* headers */
	OK("sip:alice@example.com?a=b&c=d", SIP, NAME, "alice", NULL, "example.com", -1, NULL,
			"a=b&c=d"),
	OK("sip:example.com;lr?subject=hi%20there", SIP, NAME, NULL, NULL, "example.com", -1, "lr",
			"subject=hi%20there"),
	OK("sip:example.com?a=&b", SIP, NAME, NULL, NULL, "example.com", -1, NULL, "a=&b"),
	BAD("sip:example.com?", "Invalid URI Header"),
	BAD("sip:example.com?a=b&", "Invalid URI Header"),
	BAD("sip:example.com?&a=b", "Invalid URI Header"),
	BAD("sip:example.com?a=%zz", "Invalid URI Header"),
	BAD("sip:example.com?a=b;lr", "Invalid Character in URI"),
	/* tel (RFC 3966) */
	OK("tel:+1-201-555-0123", TEL, NONE, "+1-201-555-0123", NULL, NULL, -1, NULL, NULL),
	OK("tel:+1(201)555.0123;ext=42", TEL, NONE, "+1(201)555.0123", NULL, NULL, -1, "ext=42",
			NULL),
	OK("tel:7042;phone-context=example.com", TEL, NONE, "7042", NULL, NULL, -1,
			"phone-context=example.com", NULL),
	OK("TEL:*61;phone-context=+1-201", TEL, NONE, "*61", NULL, NULL, -1,
			"phone-context=+1-201", NULL),
	BAD("tel:+", "Invalid Telephone Number"),
	BAD("tel:-.()", "Invalid Telephone Number"),
	BAD("tel:+1 201", "Invalid Character in tel URI"),
	BAD("tel:+1201;", "Invalid tel URI Parameter"),
	BAD("tel:+1201@example.com", "Invalid Character in tel URI"),
	/* scheme and overall shape */
	BAD("", "Invalid URI Scheme"),
	BAD("alice", "Invalid URI Scheme"),
	BAD("1sip:alice@example.com", "Invalid URI Scheme"),
	BAD("s_p:alice@example.com", "Invalid URI Scheme"),
	BAD(":alice", "Invalid URI Scheme"),
	BAD("sip:", "Empty URI"),
	BAD("tel:", "Empty URI"),
	BAD("<sip:alice@example.com>", "Invalid URI Scheme"),
	BAD("sip:<alice@example.com>", "Invalid User Part in URI"),
	BAD("sip:alice@example.com>", "Invalid Character in URI"),
	BAD("sip:alice@example.com ", "Invalid Character in URI"),
	BAD(" sip:alice@example.com", "Invalid URI Scheme"),
	BAD("sip:alice@exa mple.com", "Invalid Character in URI"),
};

static void
test_uri_cases(void **state)
{
	int bad = 0;
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(uri_cases); i++) {
		const struct uri_case *c = &uri_cases[i];
		size_t len = strlen(c->in);
		char *copy = dup_exact(c->in, len);
		const char *why = NULL;
		struct sip_uri u;
		int rc = sip_uri_parse(copy, len, &u, &why);

		if (c->why != NULL) {
			if (rc != -1 || why == NULL || strcmp(why, c->why) != 0) {
				print_error("%s: expected refusal \"%s\", got rc %d (%s)\n", c->in,
						c->why, rc, why ? why : "no reason");
				bad++;
			}
			free(copy);
			continue;
		}
		if (rc != 0) {
			print_error("%s: expected success, got %d (%s)\n", c->in, rc,
					why ? why : "no reason");
			bad++;
			free(copy);
			continue;
		}
		bad += check_int(c->in, "scheme", u.scheme, c->scheme);
		bad += check_int(c->in, "host_type", u.host_type, c->host_type);
		bad += check_str(c->in, "user", u.user, c->user);
		bad += check_str(c->in, "password", u.password, c->password);
		bad += check_str(c->in, "host", u.host, c->host);
		bad += check_int(c->in, "port", u.port, c->port);
		bad += check_str(c->in, "params", u.params, c->params);
		bad += check_str(c->in, "headers", u.headers, c->headers);
		bad += check_str(c->in, "opaque", u.opaque, NULL);
		/* The scheme as written: everything before the first ':'. */
		bad += check_int(c->in, "scheme_str.len", u.scheme_str.len,
				(long long)(strchr(c->in, ':') - c->in));
		free(copy);
	}
	if (bad)
		fail_msg("%d mismatches", bad);
}

/* The well-known parameters, found in any case and in any order. */
struct param_case {
	const char *in;
	bool lr;
	const char *transport, *user_param, *method, *maddr, *ttl;
};

static const struct param_case param_cases[] = {
	{ "sip:example.com", false, NULL, NULL, NULL, NULL, NULL },
	{ "sip:example.com;lr", true, NULL, NULL, NULL, NULL, NULL },
	{ "sip:example.com;LR=on", true, NULL, NULL, NULL, NULL, NULL },
	{ "sip:example.com;lrx", false, NULL, NULL, NULL, NULL, NULL },
	{ "sip:alice@example.com;transport=tcp;maddr=192.0.2.1;ttl=16;user=ip;method=INVITE;lr",
			true, "tcp", "ip", "INVITE", "192.0.2.1", "16" },
	{ "sip:example.com;Transport=TLS;USER=phone;foo=bar", false, "TLS", "phone", NULL, NULL,
			NULL },
	/* A parameter without a value reads as absent. */
	{ "sip:example.com;maddr=203.0.113.9;transport", false, NULL, NULL, NULL, "203.0.113.9",
			NULL },
	{ "sips:example.com;method=REGISTER?to=alice%40example.com", false, NULL, NULL, "REGISTER",
			NULL, NULL },
	{ "tel:+1-201-555-0123;transport=udp", false, "udp", NULL, NULL, NULL, NULL },
};

static void
test_uri_params(void **state)
{
	int bad = 0;
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(param_cases); i++) {
		const struct param_case *c = &param_cases[i];
		size_t len = strlen(c->in);
		char *copy = dup_exact(c->in, len);
		struct sip_uri u;

		if (sip_uri_parse(copy, len, &u, NULL) != 0) {
			print_error("%s: refused\n", c->in);
			bad++;
			free(copy);
			continue;
		}
		bad += check_int(c->in, "lr", u.lr, c->lr);
		bad += check_str(c->in, "transport", u.transport, c->transport);
		bad += check_str(c->in, "user", u.user_param, c->user_param);
		bad += check_str(c->in, "method", u.method, c->method);
		bad += check_str(c->in, "maddr", u.maddr, c->maddr);
		bad += check_str(c->in, "ttl", u.ttl, c->ttl);
		free(copy);
	}
	if (bad)
		fail_msg("%d mismatches", bad);
}

/* Other schemes are kept whole, as long as they hold no space, quote or angle bracket. */
struct opaque_case {
	const char *in;
	const char *scheme_str; /* NULL: refused */
	const char *opaque;
};

static const struct opaque_case opaque_cases[] = {
	{ "isbn:0-395-36341-1", "isbn", "0-395-36341-1" },
	{ "http://www.example.com/a?b=c&d=%20", "http", "//www.example.com/a?b=c&d=%20" },
	{ "soap.beep://example.com/x", "soap.beep", "//example.com/x" },
	{ "urn:service:sos", "urn", "service:sos" },
	{ "mailto:alice@example.com", "mailto", "alice@example.com" },
	{ "im:alice@example.com", "im", "alice@example.com" },
	{ "x-custom+1.0-a:b", "x-custom+1.0-a", "b" },
	{ "http://www.example.com/a b", NULL, NULL },
	{ "http://www.example.com/<a>", NULL, NULL },
	{ "http://www.example.com/\"a\"", NULL, NULL },
	{ "http://www.example.com/\ta", NULL, NULL },
	{ "http://www.example.com/\x7f", NULL, NULL },
	{ "http://www.example.com/\xc3\xa9", NULL, NULL },
	{ "http:", NULL, NULL },
};

static void
test_uri_opaque(void **state)
{
	int bad = 0;
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(opaque_cases); i++) {
		const struct opaque_case *c = &opaque_cases[i];
		size_t len = strlen(c->in);
		char *copy = dup_exact(c->in, len);
		const char *why = NULL;
		struct sip_uri u;
		int rc = sip_uri_parse(copy, len, &u, &why);

		if (c->scheme_str == NULL) {
			if (rc != -1 || why == NULL) {
				print_error("%s: expected a refusal, got %d\n", c->in, rc);
				bad++;
			}
		} else if (rc != 0) {
			print_error("%s: refused (%s)\n", c->in, why);
			bad++;
		} else {
			bad += check_int(c->in, "scheme", u.scheme, SIP_SCHEME_OTHER);
			bad += check_str(c->in, "scheme_str", u.scheme_str, c->scheme_str);
			bad += check_str(c->in, "opaque", u.opaque, c->opaque);
			bad += check_str(c->in, "host", u.host, NULL);
			bad += check_int(c->in, "port", u.port, -1);
		}
		free(copy);
	}
	if (bad)
		fail_msg("%d mismatches", bad);
}

/* The reason pointer is optional; a refused parse leaves the port at -1. */
static void
test_uri_misc(void **state)
{
	const char *s = "sip:alice@example.com:5060";
	struct sip_uri u;

	(void)state;
	assert_int_equal(sip_uri_parse(s, strlen(s), &u, NULL), 0);
	assert_int_equal(u.port, 5060);
	/* A length shorter than the string bounds the parse: "sip:alice@example.com:50". */
	assert_int_equal(sip_uri_parse(s, strlen(s) - 2, &u, NULL), 0);
	assert_int_equal(u.port, 50);
	assert_int_equal(sip_uri_parse("sip:[x]", 7, &u, NULL), -1);
	/* Fields of a previous parse do not survive into the next one. */
	assert_int_equal(sip_uri_parse("sip:example.com", 15, &u, NULL), 0);
	assert_null(u.user.s);
	assert_int_equal(u.port, -1);
	assert_false(u.lr);
}

/* ---- sip_ipv4_parse / sip_ipv6_parse -------------------------------------------------- */

struct ip_case {
	const char *in;
	bool ok;
	uint8_t addr[16];
};

static const struct ip_case ipv4_cases[] = {
	{ "192.0.2.1", true, { 192, 0, 2, 1 } },
	{ "0.0.0.0", true, { 0, 0, 0, 0 } },
	{ "255.255.255.255", true, { 255, 255, 255, 255 } },
	{ "198.51.100.099", true, { 198, 51, 100, 99 } }, /* 1*3DIGIT: leading zeros allowed */
	{ "256.1.1.1", false, { 0 } },
	{ "1.256.1.1", false, { 0 } },
	{ "1.1.1.300", false, { 0 } },
	{ "1.2.3", false, { 0 } },
	{ "1.2.3.4.5", false, { 0 } },
	{ "1.2.3.4.", false, { 0 } },
	{ ".1.2.3.4", false, { 0 } },
	{ "1..2.3", false, { 0 } },
	{ "1.2.3.0004", false, { 0 } },
	{ "1.2.3.-4", false, { 0 } },
	{ "a.b.c.d", false, { 0 } },
	{ "192.0.2.1 ", false, { 0 } },
	{ " 192.0.2.1", false, { 0 } },
	{ "192.0.2.1:5060", false, { 0 } },
	{ "", false, { 0 } },
};

static const struct ip_case ipv6_cases[] = {
	{ "2001:db8::1", true, { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 } },
	{ "::", true, { 0 } },
	{ "::1", true, { [15] = 1 } },
	{ "2001:0DB8:0000:0000:0000:0000:0000:0001", true, { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 } },
	{ "2001:db8::192.0.2.1", true, { 0x20, 0x01, 0x0d, 0xb8, [12] = 192, 0, 2, 1 } },
	{ "::ffff:192.0.2.1", true, { [10] = 0xff, 0xff, 192, 0, 2, 1 } },
	/* RFC 5118 4.10 */
	{ "2001:db8:::192.0.2.1", true, { 0x20, 0x01, 0x0d, 0xb8, [12] = 192, 0, 2, 1 } },
	{ ":::192.0.2.1", true, { [12] = 192, 0, 2, 1 } },
	{ "2001:db8:::1", false, { 0 } },
	{ "2001:db8::::192.0.2.1", false, { 0 } },
	{ "2001:db8:::192.0.2.1:::1", false, { 0 } },
	{ "2001:db8::1::2", false, { 0 } },
	{ "2001:db8::g", false, { 0 } },
	{ "[2001:db8::1]", false, { 0 } },
	{ "1:2:3:4:5:6:7:8:9", false, { 0 } },
	{ "1:2:3:4:5:6:7", false, { 0 } },
	{ "12345::1", false, { 0 } },
	{ "2001:db8::1%eth0", false, { 0 } },
	{ "2001:db8::256.0.2.1", false, { 0 } },
	{ "2001:db8:: 1", false, { 0 } },
	{ "192.0.2.1", false, { 0 } },
	{ ":", false, { 0 } },
	{ "", false, { 0 } },
	{ "0000:0000:0000:0000:0000:0000:0000:0000:0000:0000:0000:0000:0001", false, { 0 } },
};

static void
run_ip_cases(const struct ip_case *cases, size_t n, bool v6)
{
	int bad = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		const struct ip_case *c = &cases[i];
		size_t len = strlen(c->in);
		char *copy = dup_exact(c->in, len);
		uint8_t addr[16];
		bool ok;

		memset(addr, 0xee, sizeof(addr));
		ok = v6 ? sip_ipv6_parse(copy, len, addr) : sip_ipv4_parse(copy, len, addr);
		if (ok != c->ok) {
			print_error("\"%s\": expected %s, got %s\n", c->in,
					c->ok ? "valid" : "invalid", ok ? "valid" : "invalid");
			bad++;
		} else if (ok && memcmp(addr, c->addr, v6 ? 16 : 4) != 0) {
			print_error("\"%s\": wrong address octets\n", c->in);
			bad++;
		}
		/* Without an output the verdict is the same. */
		if ((v6 ? sip_ipv6_parse(copy, len, NULL) : sip_ipv4_parse(copy, len, NULL)) != ok) {
			print_error("\"%s\": verdict differs without an output\n", c->in);
			bad++;
		}
		free(copy);
	}
	if (bad)
		fail_msg("%d mismatches", bad);
}

static void
test_ipv4(void **state)
{
	(void)state;
	run_ip_cases(ipv4_cases, N_ELEM(ipv4_cases), false);
}

static void
test_ipv6(void **state)
{
	(void)state;
	run_ip_cases(ipv6_cases, N_ELEM(ipv6_cases), true);
}

/* ---- sip_hostport_parse ---------------------------------------------------------------- */

struct hp_case {
	const char *in;
	int consumed; /* octets read, -1: refused */
	const char *host;
	uint8_t type;
	int32_t port;
};

static const struct hp_case hp_cases[] = {
	{ "example.com", 11, "example.com", SIP_HOST_NAME, -1 },
	{ "example.com.", 12, "example.com.", SIP_HOST_NAME, -1 },
	{ "example.com:5060", 16, "example.com", SIP_HOST_NAME, 5060 },
	{ "192.0.2.1:5060;transport=udp", 14, "192.0.2.1", SIP_HOST_IPV4, 5060 },
	{ "198.51.100.1", 12, "198.51.100.1", SIP_HOST_IPV4, -1 },
	{ "[2001:db8::1]:5061", 18, "[2001:db8::1]", SIP_HOST_IPV6, 5061 },
	{ "[2001:db8::1];received", 13, "[2001:db8::1]", SIP_HOST_IPV6, -1 },
	{ "[2001:db8:::203.0.113.5]", 24, "[2001:db8:::203.0.113.5]", SIP_HOST_IPV6, -1 },
	{ "example.com:0", 13, "example.com", SIP_HOST_NAME, 0 },
	{ "example.com:65535", 17, "example.com", SIP_HOST_NAME, 65535 },
	{ "example.com:05060", 17, "example.com", SIP_HOST_NAME, 5060 },
	{ "example.com 5060", 11, "example.com", SIP_HOST_NAME, -1 },
	{ "example.com:5060x", 16, "example.com", SIP_HOST_NAME, 5060 },
	{ "a_b", 1, "a", SIP_HOST_NAME, -1 },
	{ "example.com:65536", -1, NULL, 0, -1 },
	{ "example.com:000005060", -1, NULL, 0, -1 },
	{ "example.com:", -1, NULL, 0, -1 },
	{ "example.com:x", -1, NULL, 0, -1 },
	{ ":5060", -1, NULL, 0, -1 },
	{ "", -1, NULL, 0, -1 },
	{ "1.2.3", -1, NULL, 0, -1 },
	{ "256.0.0.1", -1, NULL, 0, -1 },
	{ "[2001:db8::1", -1, NULL, 0, -1 },
	{ "[192.0.2.1]", -1, NULL, 0, -1 },
	{ "a.-b.example.com", -1, NULL, 0, -1 },
	{ "a-.example.com", -1, NULL, 0, -1 },
	{ "-", -1, NULL, 0, -1 },
	{ ".", -1, NULL, 0, -1 },
};

static void
test_hostport(void **state)
{
	int bad = 0;
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(hp_cases); i++) {
		const struct hp_case *c = &hp_cases[i];
		size_t len = strlen(c->in);
		char *copy = dup_exact(c->in, len);
		struct sip_str host = SIP_STR_NULL;
		uint8_t type = 0xff;
		int32_t port = 12345;
		const char *e = sip_hostport_parse(copy, copy + len, &host, &type, &port);
		int consumed = e == NULL ? -1 : (int)(e - copy);

		if (consumed != c->consumed) {
			print_error("\"%s\": expected %d octets read, got %d\n", c->in, c->consumed,
					consumed);
			bad++;
		} else if (e != NULL) {
			bad += check_str(c->in, "host", host, c->host);
			bad += check_int(c->in, "type", type, c->type);
			bad += check_int(c->in, "port", port, c->port);
		}
		free(copy);
	}
	if (bad)
		fail_msg("%d mismatches", bad);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uri_cases),
		cmocka_unit_test(test_uri_params),
		cmocka_unit_test(test_uri_opaque),
		cmocka_unit_test(test_uri_misc),
		cmocka_unit_test(test_ipv4),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_hostport),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
