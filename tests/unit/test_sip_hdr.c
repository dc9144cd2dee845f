/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_sip_hdr.c - the typed header parsers of sip_hdr.h, run on messages parsed with
 * sip_parse (so that folds, compact names and repeated lines reach them as they would
 * from the wire), and the verdicts of sip_validate (sip_check.h). Every message is a heap
 * copy of its exact length, so that ASan sees any over-read.
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

#include "sip_check.h"
#include "sip_hdr.h"
#include "sip_msg.h"
#include "sip_uri.h"

#define REQ "OPTIONS sip:example.com SIP/2.0\r\n"

struct tmsg {
	struct sip_msg m;
	char *copy;
};

/* Parses REQ + hdrs + CRLF (or msg as given when whole is true); must succeed. */
static void
t_parse(struct tmsg *t, const char *name, const char *hdrs, bool whole)
{
	size_t len = strlen(hdrs) + (whole ? 0 : strlen(REQ) + 2);

	t->copy = malloc(len);
	assert_non_null(t->copy);
	if (whole) {
		memcpy(t->copy, hdrs, len);
	} else {
		memcpy(t->copy, REQ, strlen(REQ));
		memcpy(t->copy + strlen(REQ), hdrs, strlen(hdrs));
		memcpy(t->copy + len - 2, "\r\n", 2);
	}
	if (sip_parse(&t->m, t->copy, len, SIP_FRAME_DATAGRAM, NULL) != 0) {
		print_error("%s: sip_parse refused the message: %s\n", name, t->m.err.reason);
		fail();
	}
}

static void
t_free(struct tmsg *t)
{
	free(t->copy);
}

/* ---- Via -------------------------------------------------------------------------------- */

struct via_exp {
	const char *transport, *host;
	uint8_t host_type;
	int32_t port;
	const char *branch, *received;
	bool has_rport;
	const char *rport, *maddr, *ttl;
};

struct via_case {
	const char *name;
	const char *hdrs;
	int n;        /* elements read successfully */
	bool err;     /* then -1 (else 0, the end) */
	struct via_exp exp[3];
};

#define IP4 SIP_HOST_IPV4
#define IP6 SIP_HOST_IPV6
#define HN  SIP_HOST_NAME

static const struct via_case via_cases[] = {
	{ "plain", "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds\r\n", 1, false,
			{ { "UDP", "192.0.2.1", IP4, 5060, "z9hG4bK776asdhds", NULL, false, NULL,
					NULL, NULL } } },
	{ "compact, no port", "v: SIP/2.0/TCP client.example.com;branch=z9hG4bK1\r\n", 1, false,
			{ { "TCP", "client.example.com", HN, -1, "z9hG4bK1", NULL, false, NULL, NULL,
					NULL } } },
	{ "LWS around /", "Via: SIP / 2.0\t/  TLS example.com;branch=z9hG4bK1\r\n", 1, false,
			{ { "TLS", "example.com", HN, -1, "z9hG4bK1", NULL, false, NULL, NULL,
					NULL } } },
	{ "folded around /", "Via: SIP  /   2.0\r\n /UDP\r\n    192.0.2.2;branch=390skdjuw\r\n",
			1, false,
			{ { "UDP", "192.0.2.2", IP4, -1, "390skdjuw", NULL, false, NULL, NULL,
					NULL } } },
	{ "LWS around :", "Via: SIP/2.0/UDP example.com : 5060;branch=z9hG4bK1\r\n", 1, false,
			{ { "UDP", "example.com", HN, 5060, "z9hG4bK1", NULL, false, NULL, NULL,
					NULL } } },
	{ "LWS before :", "Via: SIP/2.0/UDP example.com :5060;branch=z9hG4bK1\r\n", 1, false,
			{ { "UDP", "example.com", HN, 5060, "z9hG4bK1", NULL, false, NULL, NULL,
					NULL } } },
	/* COLON = SWS ":" SWS (RFC 3261 25.1), so LWS may follow the colon alone. */
	{ "LWS after :", "Via: SIP/2.0/UDP example.com: 5060;branch=z9hG4bK1\r\n", 1, false,
			{ { "UDP", "example.com", HN, 5060, "z9hG4bK1", NULL, false, NULL, NULL,
					NULL } } },
	{ "LWS around ; and =",
			"Via: SIP/2.0/UDP example.com ; branch = z9hG4bK1 ;\trport ; received =\r\n"
			" 192.0.2.9\r\n",
			1, false,
			{ { "UDP", "example.com", HN, -1, "z9hG4bK1", "192.0.2.9", true, NULL, NULL,
					NULL } } },
	{ "IPv6 sent-by with port", "Via: SIP/2.0/UDP [2001:db8::9:1]:5070;branch=z9hG4bK1\r\n", 1,
			false,
			{ { "UDP", "[2001:db8::9:1]", IP6, 5070, "z9hG4bK1", NULL, false, NULL, NULL,
					NULL } } },
	{ "IPv6 sent-by, RFC 5118 form",
			"Via: SIP/2.0/UDP [2001:db8:::192.0.2.1];branch=z9hG4bK1\r\n", 1, false,
			{ { "UDP", "[2001:db8:::192.0.2.1]", IP6, -1, "z9hG4bK1", NULL, false, NULL,
					NULL, NULL } } },
	{ "received with brackets",
			"Via: SIP/2.0/UDP [2001:db8::9:1];received=[2001:db8::9:255]"
			";branch=z9hG4bK1\r\n",
			1, false,
			{ { "UDP", "[2001:db8::9:1]", IP6, -1, "z9hG4bK1", "[2001:db8::9:255]", false,
					NULL, NULL, NULL } } },
	{ "received without brackets",
			"Via: SIP/2.0/UDP [2001:db8::9:1];received=2001:db8::9:255"
			";branch=z9hG4bK1\r\n",
			1, false,
			{ { "UDP", "[2001:db8::9:1]", IP6, -1, "z9hG4bK1", "2001:db8::9:255", false,
					NULL, NULL, NULL } } },
	{ "rport without value", "Via: SIP/2.0/UDP 192.0.2.1;rport;branch=z9hG4bK1\r\n", 1, false,
			{ { "UDP", "192.0.2.1", IP4, -1, "z9hG4bK1", NULL, true, NULL, NULL,
					NULL } } },
	{ "rport with value",
			"Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1;rport=5061;received=198.51.100.4\r\n",
			1, false,
			{ { "UDP", "192.0.2.1", IP4, -1, "z9hG4bK1", "198.51.100.4", true, "5061",
					NULL, NULL } } },
	{ "maddr and ttl", "Via: SIP/2.0/UDP example.com;maddr=224.2.0.1;ttl=16;branch=z9hG4bK1\r\n",
			1, false,
			{ { "UDP", "example.com", HN, -1, "z9hG4bK1", NULL, false, NULL, "224.2.0.1",
					"16" } } },
	{ "unknown transports", "Via: SIP/2.0/SCTP a.example.com, SIP/2.0/WSS b.example.com,\r\n"
				"  SIP/2.0/FOO-BAR c.example.com\r\n",
			3, false,
			{ { "SCTP", "a.example.com", HN, -1, NULL, NULL, false, NULL, NULL, NULL },
					{ "WSS", "b.example.com", HN, -1, NULL, NULL, false, NULL, NULL,
							NULL },
					{ "FOO-BAR", "c.example.com", HN, -1, NULL, NULL, false, NULL,
							NULL, NULL } } },
	{ "several on one line",
			"Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1 ,"
			"SIP/2.0/TCP 192.0.2.7:5061;branch=z9hG4bK2\r\n",
			2, false,
			{ { "UDP", "a.example.com", HN, -1, "z9hG4bK1", NULL, false, NULL, NULL, NULL },
					{ "TCP", "192.0.2.7", IP4, 5061, "z9hG4bK2", NULL, false, NULL,
							NULL, NULL } } },
	{ "across lines", "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\r\n"
			  "Subject: between\r\n"
			  "v: SIP/2.0/UDP b.example.com;branch=z9hG4bK2, "
			  "SIP/2.0/TLS c.example.com;branch=z9hG4bK3\r\n",
			3, false,
			{ { "UDP", "a.example.com", HN, -1, "z9hG4bK1", NULL, false, NULL, NULL, NULL },
					{ "UDP", "b.example.com", HN, -1, "z9hG4bK2", NULL, false, NULL,
							NULL, NULL },
					{ "TLS", "c.example.com", HN, -1, "z9hG4bK3", NULL, false, NULL,
							NULL, NULL } } },
	{ "quoted param value", "Via: SIP/2.0/UDP a.example.com;x=\"a, b;c\";branch=z9hG4bK1\r\n", 1,
			false,
			{ { "UDP", "a.example.com", HN, -1, "z9hG4bK1", NULL, false, NULL, NULL,
					NULL } } },
	/* An empty element is an error where it is met. */
	{ "double comma", "Via: SIP/2.0/UDP a.example.com,, SIP/2.0/UDP b.example.com\r\n", 0, true,
			{ { NULL } } },
	{ "comma space comma", "Via: SIP/2.0/UDP a.example.com, , SIP/2.0/UDP b.example.com\r\n", 0,
			true, { { NULL } } },
	{ "trailing comma", "Via: SIP/2.0/UDP a.example.com,\r\n", 0, true, { { NULL } } },
	{ "leading comma", "Via: , SIP/2.0/UDP a.example.com\r\n", 0, true, { { NULL } } },
	{ "empty Via line", "Via:\r\n", 0, true, { { NULL } } },
	{ "empty second line", "Via: SIP/2.0/UDP a.example.com\r\nVia:\r\n", 1, true,
			{ { "UDP", "a.example.com", HN, -1, NULL, NULL, false, NULL, NULL, NULL } } },
	{ "double semicolon", "Via: SIP/2.0/UDP a.example.com;;branch=z9hG4bK1\r\n", 0, true,
			{ { NULL } } },
	{ "trailing semicolon", "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1;\r\n", 0, true,
			{ { NULL } } },
	{ "param without value after =", "Via: SIP/2.0/UDP a.example.com;branch=\r\n", 0, true,
			{ { NULL } } },
	{ "unterminated quote", "Via: SIP/2.0/UDP a.example.com;x=\"abc\r\n", 0, true,
			{ { NULL } } },
	{ "no LWS before sent-by", "Via: SIP/2.0/UDPa.example.com\r\n", 0, true, { { NULL } } },
	{ "no transport", "Via: SIP/2.0 a.example.com\r\n", 0, true, { { NULL } } },
	{ "no sent-by", "Via: SIP/2.0/UDP\r\n", 0, true, { { NULL } } },
	{ "bad host", "Via: SIP/2.0/UDP -a.example.com\r\n", 0, true, { { NULL } } },
	{ "port too big", "Via: SIP/2.0/UDP a.example.com:65536\r\n", 0, true, { { NULL } } },
	{ "empty port", "Via: SIP/2.0/UDP a.example.com:;branch=z9hG4bK1\r\n", 0, true,
			{ { NULL } } },
	{ "junk after sent-by", "Via: SIP/2.0/UDP a.example.com junk\r\n", 0, true, { { NULL } } },
	{ "two ports", "Via: SIP/2.0/UDP a.example.com:5060 :5061\r\n", 0, true, { { NULL } } },
	{ "second element bad", "Via: SIP/2.0/UDP a.example.com, SIP/2.0 b.example.com\r\n", 1,
			true,
			{ { "UDP", "a.example.com", HN, -1, NULL, NULL, false, NULL, NULL, NULL } } },
};

static int
check_via(const char *name, const struct sip_via *v, const struct via_exp *e)
{
	int bad = 0;

	bad += check_str(name, "protocol", v->protocol, "SIP");
	bad += check_str(name, "version", v->version, "2.0");
	bad += check_str(name, "transport", v->transport, e->transport);
	bad += check_str(name, "host", v->host, e->host);
	bad += check_int(name, "host_type", v->host_type, e->host_type);
	bad += check_int(name, "port", v->port, e->port);
	bad += check_int(name, "has_branch", v->has_branch, e->branch != NULL);
	bad += check_str(name, "branch", v->branch, e->branch);
	bad += check_int(name, "has_received", v->has_received, e->received != NULL);
	bad += check_str(name, "received", v->received, e->received);
	bad += check_int(name, "has_rport", v->has_rport, e->has_rport);
	bad += check_str(name, "rport", v->rport, e->rport);
	bad += check_str(name, "maddr", v->maddr, e->maddr);
	bad += check_str(name, "ttl", v->ttl, e->ttl);
	return bad;
}

static void
test_via(void **state)
{
	int bad = 0;
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(via_cases); i++) {
		const struct via_case *c = &via_cases[i];
		struct sip_iter it;
		struct sip_via v;
		struct tmsg t;
		int k, r;

		t_parse(&t, c->name, c->hdrs, false);
		sip_iter_init(&it, &t.m, SIP_H_VIA);
		for (k = 0; (r = sip_via_next(&it, &v)) == 1 && k < 3; k++)
			if (k < c->n)
				bad += check_via(c->name, &v, &c->exp[k]);
		if (k != c->n || r != (c->err ? -1 : 0)) {
			print_error("%s: expected %d elements then %d, got %d then %d\n", c->name,
					c->n, c->err ? -1 : 0, k, r);
			bad++;
		}
		/* The top Via is the first element, when that one is well formed. */
		if (sip_via_top(&t.m, &v) != (c->n > 0 ? 0 : -1)) {
			print_error("%s: sip_via_top disagrees\n", c->name);
			bad++;
		} else if (c->n > 0) {
			bad += check_via(c->name, &v, &c->exp[0]);
		}
		t_free(&t);
	}
	if (bad)
		fail_msg("%d mismatches", bad);
}

static void
test_via_params(void **state)
{
	struct sip_str val;
	struct sip_via v;
	struct tmsg t;

	(void)state;
	t_parse(&t, "via params",
			"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1;rport;x-ext=\"q\"\r\n",
			false);
	assert_int_equal(sip_via_top(&t.m, &v), 0);
	assert_true(str_is(v.params, ";branch=z9hG4bK1;rport;x-ext=\"q\""));
	assert_true(sip_param_find(v.params, "branch", &val));
	assert_true(str_is(val, "z9hG4bK1"));
	assert_true(sip_param_find(v.params, "rport", &val));
	assert_null(val.s);
	assert_true(sip_param_find(v.params, "x-ext", &val));
	assert_true(str_is(val, "\"q\""));
	assert_false(sip_param_find(v.params, "received", NULL));
	t_free(&t);

	/* No parameters: an absent slice, and nothing to find. */
	t_parse(&t, "via no params", "Via: SIP/2.0/UDP 192.0.2.1\r\n", false);
	assert_int_equal(sip_via_top(&t.m, &v), 0);
	assert_null(v.params.s);
	assert_false(sip_param_find(v.params, "branch", NULL));
	t_free(&t);

	/* Absent Via. */
	t_parse(&t, "no via", "Subject: x\r\n", false);
	assert_int_equal(sip_via_top(&t.m, &v), -1);
	t_free(&t);
}

/* ---- parameters --------------------------------------------------------------------------- */

struct pn_case {
	const char *in;
	int rc;
	const char *name, *value; /* value NULL: none */
	int consumed;             /* octets consumed on success (or where it stopped on 0) */
};

static const struct pn_case pn_cases[] = {
	{ ";a=b", 1, "a", "b", 4 },
	{ ";a", 1, "a", NULL, 2 },
	{ " ; a = b ;c", 1, "a", "b", 8 },
	{ ";a ;c", 1, "a", NULL, 2 },
	{ ";a=\"x;y, z\"", 1, "a", "\"x;y, z\"", 11 },
	{ ";a=\"x\\\"y\"", 1, "a", "\"x\\\"y\"", 9 },
	{ ";maddr=[2001:db8::1];x", 1, "maddr", "[2001:db8::1]", 20 },
	{ ";received=2001:db8::1,", 1, "received", "2001:db8::1", 21 },
	{ ";a=b,c", 1, "a", "b", 4 },
	{ "", 0, NULL, NULL, 0 },
	{ "  ,x", 0, NULL, NULL, 2 },
	{ "x", 0, NULL, NULL, 0 },
	{ ";", -1, NULL, NULL, 0 },
	{ ";;a", -1, NULL, NULL, 0 },
	{ ";=b", -1, NULL, NULL, 0 },
	{ ";a=", -1, NULL, NULL, 0 },
	{ ";a= ;b", -1, NULL, NULL, 0 },
	{ ";a=\"x", -1, NULL, NULL, 0 },
	{ ";a=[2001:db8::1", -1, NULL, NULL, 0 },
};

static void
test_param_next(void **state)
{
	int bad = 0;
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(pn_cases); i++) {
		const struct pn_case *c = &pn_cases[i];
		size_t len = strlen(c->in);
		char *copy = malloc(len ? len : 1);
		const char *p;
		struct sip_param prm;
		int rc;

		assert_non_null(copy);
		memcpy(copy, c->in, len);
		p = copy;
		rc = sip_param_next(&p, copy + len, &prm);
		bad += check_int(c->in, "rc", rc, c->rc);
		if (rc == 1) {
			bad += check_str(c->in, "name", prm.name, c->name);
			bad += check_int(c->in, "has_value", prm.has_value, c->value != NULL);
			bad += check_str(c->in, "value", prm.value, c->value);
		}
		if (rc >= 0)
			bad += check_int(c->in, "consumed", p - copy, c->consumed);
		free(copy);
	}
	if (bad)
		fail_msg("%d mismatches", bad);
}

/*
 * sip_param_find on the params slice of an element with LWS around its ';' (SEMI = SWS
 * ";" SWS): the slice starts at the first ';'.
 */
static void
test_param_find_after_lws(void **state)
{
	struct sip_str val = SIP_STR_NULL;
	struct sip_iter it;
	struct sip_addr a;
	struct sip_via v;
	struct tmsg t;

	(void)state;
	t_parse(&t, "params after LWS",
			"Contact: <sip:alice@192.0.2.1> ; q=0.5 ; expires=60\r\n"
			"Via: SIP/2.0/UDP 192.0.2.1; branch=z9hG4bK1\r\n",
			false);
	sip_iter_init(&it, &t.m, SIP_H_CONTACT);
	assert_int_equal(sip_addr_next(&it, &a), 1);
	assert_true(str_is(a.params, "; q=0.5 ; expires=60"));
	assert_true(sip_param_find(a.params, "expires", &val));
	assert_true(str_is(val, "60"));
	assert_true(sip_param_find(a.params, "q", &val));
	assert_true(str_is(val, "0.5"));
	assert_int_equal(sip_via_top(&t.m, &v), 0);
	assert_true(str_is(v.branch, "z9hG4bK1"));
	assert_true(sip_param_find(v.params, "branch", &val));
	t_free(&t);
}

/* ---- From / To ---------------------------------------------------------------------------- */

struct addr_case {
	const char *value; /* From header value */
	int rc;
	const char *display, *uri, *params, *tag;
	bool bracketed;
};

static const struct addr_case addr_cases[] = {
	{ "Alice <sip:alice@example.com>;tag=1928301774", 0, "Alice", "sip:alice@example.com",
			";tag=1928301774", "1928301774", true },
	{ "\"Alice Smith\" <sip:alice@example.com>;tag=a", 0, "\"Alice Smith\"",
			"sip:alice@example.com", ";tag=a", "a", true },
	{ "\"A \\\"quoted\\\" name, with comma\" <sip:alice@example.com>", 0,
			"\"A \\\"quoted\\\" name, with comma\"", "sip:alice@example.com", NULL, NULL,
			true },
	{ "\"\" <sip:alice@example.com>", 0, "\"\"", "sip:alice@example.com", NULL, NULL, true },
	{ "\"caller\"<sip:caller@example.com>;tag=323", 0, "\"caller\"", "sip:caller@example.com",
			";tag=323", "323", true },
	{ "Alice<sip:alice@example.com>", 0, "Alice", "sip:alice@example.com", NULL, NULL, true },
	{ "Mr.  Alice\t Smith <sip:alice@example.com>", 0, "Mr.  Alice\t Smith",
			"sip:alice@example.com", NULL, NULL, true },
	{ "<sip:alice@example.com>", 0, "", "sip:alice@example.com", NULL, NULL, true },
	{ "<sip:alice@example.com;transport=tcp?subject=x>;tag=1;x=y", 0, "",
			"sip:alice@example.com;transport=tcp?subject=x", ";tag=1;x=y", "1", true },
	{ "<sip:alice@example.com> ;tag = abc", 0, "", "sip:alice@example.com", ";tag = abc", "abc",
			true },
	{ "sip:alice@example.com;tag=x;day=tue", 0, NULL, "sip:alice@example.com", ";tag=x;day=tue",
			"x", false },
	{ "sip:alice@example.com", 0, NULL, "sip:alice@example.com", NULL, NULL, false },
	{ "tel:+1-201-555-0123;tag=9", 0, NULL, "tel:+1-201-555-0123", ";tag=9", "9", false },
	{ "Anonymous <sip:anonymous@anonymous.invalid>;tag=hyh8", 0, "Anonymous",
			"sip:anonymous@anonymous.invalid", ";tag=hyh8", "hyh8", true },
	{ "<urn:service:sos>", 0, "", "urn:service:sos", NULL, NULL, true },
	/* Refusals */
	{ "sip:alice@example.com?subject=x", -1, NULL, NULL, NULL, NULL, false },
	{ "\"Alice <sip:alice@example.com>", -1, NULL, NULL, NULL, NULL, false },
	{ "\"Alice\" sip:alice@example.com", -1, NULL, NULL, NULL, NULL, false },
	{ "\"Alice\"", -1, NULL, NULL, NULL, NULL, false },
	{ "<sip:alice@example.com", -1, NULL, NULL, NULL, NULL, false },
	{ "<sip:a@example.com>, <sip:b@example.com>", -1, NULL, NULL, NULL, NULL, false },
	{ "sip:a@example.com, sip:b@example.com", -1, NULL, NULL, NULL, NULL, false },
	{ "<sip:alice@example.com>;tag", -1, NULL, NULL, NULL, NULL, false },
	{ "<sip:alice@example.com>;;tag=1", -1, NULL, NULL, NULL, NULL, false },
	{ "<sip:alice@example.com>;", -1, NULL, NULL, NULL, NULL, false },
	{ "<sip:alice@example.com> junk", -1, NULL, NULL, NULL, NULL, false },
	{ "Alice@Home <sip:alice@example.com>", -1, NULL, NULL, NULL, NULL, false },
	{ "\"Alice\" Smith <sip:alice@example.com>", -1, NULL, NULL, NULL, NULL, false },
	{ "sip:alice@exa\"mple.com", -1, NULL, NULL, NULL, NULL, false },
	{ "sip:alice@example.com>", -1, NULL, NULL, NULL, NULL, false },
};

static void
test_from_to(void **state)
{
	int bad = 0;
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(addr_cases); i++) {
		const struct addr_case *c = &addr_cases[i];
		char hdrs[512];
		struct sip_addr a;
		struct tmsg t;
		int rc;

		snprintf(hdrs, sizeof(hdrs), "From: %s\r\nTo: %s\r\n", c->value, c->value);
		t_parse(&t, c->value, hdrs, false);
		rc = sip_from(&t.m, &a);
		bad += check_int(c->value, "rc", rc, c->rc);
		if (rc == 0 && c->rc == 0) {
			bad += check_str(c->value, "display", a.display, c->display);
			bad += check_str(c->value, "uri", a.uri, c->uri);
			bad += check_str(c->value, "params", a.params, c->params);
			bad += check_str(c->value, "tag", a.tag, c->tag);
			bad += check_int(c->value, "has_tag", a.has_tag, c->tag != NULL);
			bad += check_int(c->value, "bracketed", a.bracketed, c->bracketed);
			bad += check_int(c->value, "star", a.star, false);
		}
		/* To reads alike. */
		rc = sip_to(&t.m, &a);
		bad += check_int(c->value, "To rc", rc, c->rc);
		if (rc == 0 && c->rc == 0)
			bad += check_str(c->value, "To uri", a.uri, c->uri);
		t_free(&t);
	}
	if (bad)
		fail_msg("%d mismatches", bad);
}

static void
test_from_to_presence(void **state)
{
	struct sip_addr a;
	struct tmsg t;

	(void)state;
	t_parse(&t, "absent", "Subject: x\r\n", false);
	assert_int_equal(sip_from(&t.m, &a), -1);
	assert_int_equal(sip_to(&t.m, &a), -1);
	t_free(&t);
	t_parse(&t, "two From", "From: <sip:a@example.com>\r\nf: <sip:b@example.com>\r\n", false);
	assert_int_equal(sip_from(&t.m, &a), -1);
	t_free(&t);
	t_parse(&t, "empty", "From:\r\nt: <sip:b@example.com>;tag=x\r\n", false);
	assert_int_equal(sip_from(&t.m, &a), -1);
	assert_int_equal(sip_to(&t.m, &a), 0);
	assert_true(str_is(a.tag, "x"));
	t_free(&t);
	t_parse(&t, "folded", "From: \"Alice\"\r\n <sip:alice@example.com>\r\n ;tag=1\r\n", false);
	assert_int_equal(sip_from(&t.m, &a), 0);
	assert_true(str_is(a.display, "\"Alice\""));
	assert_true(str_is(a.tag, "1"));
	t_free(&t);
}

/* ---- address lists: Contact, Route, Record-Route, P-Asserted-Identity ------------------- */

struct list_exp {
	const char *uri, *params, *display;
	bool star;
};

struct list_case {
	const char *name;
	enum sip_hdr_id id;
	const char *hdrs;
	int n;
	bool err;
	struct list_exp exp[4];
};

static const struct list_case list_cases[] = {
	{ "contacts", SIP_H_CONTACT,
			"Contact: <sip:a@192.0.2.1>;q=0.7;expires=3600,"
			" \"B\" <sip:b@192.0.2.2>;q=0.1\r\n"
			"m: sip:c@192.0.2.3;expires=0\r\n",
			3, false,
			{ { "sip:a@192.0.2.1", ";q=0.7;expires=3600", "", false },
					{ "sip:b@192.0.2.2", ";q=0.1", "\"B\"", false },
					{ "sip:c@192.0.2.3", ";expires=0", NULL, false } } },
	{ "contact star", SIP_H_CONTACT, "Contact: *\r\n", 1, false,
			{ { NULL, NULL, NULL, true } } },
	{ "contact star with LWS", SIP_H_CONTACT, "Contact:   *  \r\n", 1, false,
			{ { NULL, NULL, NULL, true } } },
	/* The iterator reads a star among others; sip_validate refuses the mix. */
	{ "contact star and address", SIP_H_CONTACT, "Contact: *, <sip:a@example.com>\r\n", 2,
			false,
			{ { NULL, NULL, NULL, true }, { "sip:a@example.com", NULL, "", false } } },
	{ "contact star with params", SIP_H_CONTACT, "Contact: *;expires=0\r\n", 0, true,
			{ { NULL } } },
	{ "contact empty element", SIP_H_CONTACT,
			"Contact: <sip:a@example.com>,,<sip:b@example.com>\r\n", 0, true,
			{ { NULL } } },
	{ "contact empty line", SIP_H_CONTACT, "Contact:\r\n", 0, true, { { NULL } } },
	{ "contact unbracketed ?", SIP_H_CONTACT, "Contact: sip:a@example.com?x=y\r\n", 0, true,
			{ { NULL } } },
	{ "contact comma in quotes", SIP_H_CONTACT,
			"Contact: \"Smith, Bob\" <sip:b@example.com>, <sip:c@example.com>\r\n", 2,
			false,
			{ { "sip:b@example.com", NULL, "\"Smith, Bob\"", false },
					{ "sip:c@example.com", NULL, "", false } } },
	{ "routes", SIP_H_ROUTE,
			"Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>\r\n"
			"Route: <sip:p3.example.com;lr>;x=1\r\n",
			3, false,
			{ { "sip:p1.example.com;lr", NULL, "", false },
					{ "sip:p2.example.com;lr", NULL, "", false },
					{ "sip:p3.example.com;lr", ";x=1", "", false } } },
	{ "route star is no star", SIP_H_ROUTE, "Route: *\r\n", 1, false,
			{ { "*", NULL, NULL, false } } },
	{ "record-routes folded", SIP_H_RECORD_ROUTE,
			"Record-Route: <sip:p1.example.com;lr>,\r\n <sip:[2001:db8::5];lr>\r\n", 2,
			false,
			{ { "sip:p1.example.com;lr", NULL, "", false },
					{ "sip:[2001:db8::5];lr", NULL, "", false } } },
	{ "record-route trailing comma", SIP_H_RECORD_ROUTE,
			"Record-Route: <sip:p1.example.com;lr>,\r\n", 0, true, { { NULL } } },
	{ "p-asserted-identity", SIP_H_P_ASSERTED_IDENTITY,
			"P-Asserted-Identity: \"Alice\" <sip:alice@example.com>,"
			" <tel:+1-201-555-0123>\r\n",
			2, false,
			{ { "sip:alice@example.com", NULL, "\"Alice\"", false },
					{ "tel:+1-201-555-0123", NULL, "", false } } },
	{ "p-asserted-identity star", SIP_H_P_ASSERTED_IDENTITY, "P-Asserted-Identity: *\r\n", 1,
			false, { { "*", NULL, NULL, false } } },
	{ "path", SIP_H_PATH, "Path: <sip:edge.example.com;lr>\r\n", 1, false,
			{ { "sip:edge.example.com;lr", NULL, "", false } } },
	{ "absent", SIP_H_ROUTE, "Subject: x\r\n", 0, false, { { NULL } } },
};

static void
test_addr_lists(void **state)
{
	int bad = 0;
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(list_cases); i++) {
		const struct list_case *c = &list_cases[i];
		struct sip_iter it;
		struct sip_addr a;
		struct tmsg t;
		int k, r;

		t_parse(&t, c->name, c->hdrs, false);
		sip_iter_init(&it, &t.m, c->id);
		for (k = 0; (r = sip_addr_next(&it, &a)) == 1 && k < 4; k++) {
			if (k >= c->n)
				continue;
			bad += check_int(c->name, "star", a.star, c->exp[k].star);
			if (!a.star) {
				bad += check_str(c->name, "uri", a.uri, c->exp[k].uri);
				bad += check_str(c->name, "params", a.params, c->exp[k].params);
				bad += check_str(c->name, "display", a.display, c->exp[k].display);
			}
		}
		if (k != c->n || r != (c->err ? -1 : 0)) {
			print_error("%s: expected %d elements then %d, got %d then %d\n", c->name,
					c->n, c->err ? -1 : 0, k, r);
			bad++;
		}
		t_free(&t);
	}
	if (bad)
		fail_msg("%d mismatches", bad);
}

static void
test_contact_params(void **state)
{
	struct sip_str v;
	struct sip_iter it;
	struct sip_addr a;
	struct tmsg t;

	(void)state;
	t_parse(&t, "contact params",
			"Contact: <sip:a@192.0.2.1;transport=tcp>;q=0.7;expires=3600"
			";+sip.instance=\"<urn:uuid:x>\"\r\n",
			false);
	sip_iter_init(&it, &t.m, SIP_H_CONTACT);
	assert_int_equal(sip_addr_next(&it, &a), 1);
	assert_true(sip_param_find(a.params, "q", &v));
	assert_true(str_is(v, "0.7"));
	assert_true(sip_param_find(a.params, "expires", &v));
	assert_true(str_is(v, "3600"));
	assert_true(sip_param_find(a.params, "+sip.instance", &v));
	assert_true(str_is(v, "\"<urn:uuid:x>\""));
	/* URI parameters are not header parameters. */
	assert_false(sip_param_find(a.params, "transport", NULL));
	assert_int_equal(sip_addr_next(&it, &a), 0);
	t_free(&t);
}

/* ---- Call-ID, CSeq, Max-Forwards, Expires ------------------------------------------------ */

struct value_case {
	const char *hdrs;
	long long rc;      /* return value expected */
	const char *str;   /* slice expected on success (Call-ID, CSeq method) */
	long long num;     /* number expected (CSeq) */
	uint8_t method;
};

static const struct value_case callid_cases[] = {
	{ "Call-ID: f81d4fae-7dec-11d0-a765-00a0c91e6bf6@192.0.2.4\r\n", 0,
			"f81d4fae-7dec-11d0-a765-00a0c91e6bf6@192.0.2.4", 0, 0 },
	{ "Call-ID: abc\r\n", 0, "abc", 0, 0 },
	{ "i: a@b\r\n", 0, "a@b", 0, 0 },
	{ "Call-ID: a!%*_+`'~()<>:\\\"/[]?{}.-@[2001:db8::1]\r\n", 0,
			"a!%*_+`'~()<>:\\\"/[]?{}.-@[2001:db8::1]", 0, 0 },
	{ "Call-ID:   abc  \r\n", 0, "abc", 0, 0 },
	{ "Call-ID:\r\n abc\r\n", 0, "abc", 0, 0 },
	{ "Call-ID: a b\r\n", -1, NULL, 0, 0 },
	{ "Call-ID: abc\r\n def\r\n", -1, NULL, 0, 0 },
	{ "Call-ID: a@b@c\r\n", -1, NULL, 0, 0 },
	{ "Call-ID: @b\r\n", -1, NULL, 0, 0 },
	{ "Call-ID: a@\r\n", -1, NULL, 0, 0 },
	{ "Call-ID: a;b\r\n", -1, NULL, 0, 0 },
	{ "Call-ID: a,b\r\n", -1, NULL, 0, 0 },
	{ "Call-ID: a=b\r\n", -1, NULL, 0, 0 },
	{ "Call-ID:\r\n", -1, NULL, 0, 0 },
	{ "Call-ID: a\r\ni: a\r\n", -1, NULL, 0, 0 },
	{ "Subject: no call-id\r\n", -1, NULL, 0, 0 },
};

static const struct value_case cseq_cases[] = {
	{ "CSeq: 1 INVITE\r\n", 0, "INVITE", 1, SIP_M_INVITE },
	{ "CSeq: 0001 ACK\r\n", 0, "ACK", 1, SIP_M_ACK },
	{ "CSeq: 0 BYE\r\n", 0, "BYE", 0, SIP_M_BYE },
	{ "CSeq: 4294967295 BYE\r\n", 0, "BYE", 4294967295LL, SIP_M_BYE },
	{ "CSeq: 1 \t  PRACK\r\n", 0, "PRACK", 1, SIP_M_PRACK },
	{ "CSeq: 1\r\n INFO\r\n", 0, "INFO", 1, SIP_M_INFO },
	{ "CSeq: 7 FOO\r\n", 0, "FOO", 7, SIP_M_OTHER },
	{ "CSeq: 7 invite\r\n", 0, "invite", 7, SIP_M_OTHER },
	{ "CSeq: 4294967296 BYE\r\n", -1, NULL, 0, 0 },
	{ "CSeq: 99999999999999999999 BYE\r\n", -1, NULL, 0, 0 },
	{ "CSeq: 1INVITE\r\n", -1, NULL, 0, 0 },
	{ "CSeq: INVITE\r\n", -1, NULL, 0, 0 },
	{ "CSeq: 1\r\n", -1, NULL, 0, 0 },
	{ "CSeq: 1 INVITE x\r\n", -1, NULL, 0, 0 },
	{ "CSeq: -1 INVITE\r\n", -1, NULL, 0, 0 },
	{ "CSeq: 1 INV@TE\r\n", -1, NULL, 0, 0 },
	{ "CSeq:\r\n", -1, NULL, 0, 0 },
	{ "CSeq: 1 INVITE\r\nCSeq: 1 INVITE\r\n", -1, NULL, 0, 0 },
	{ "Subject: no cseq\r\n", -1, NULL, 0, 0 },
};

static const struct value_case mf_cases[] = {
	{ "Max-Forwards: 70\r\n", 70, NULL, 0, 0 },
	{ "Max-Forwards: 0\r\n", 0, NULL, 0, 0 },
	{ "Max-Forwards: 255\r\n", 255, NULL, 0, 0 },
	{ "Max-Forwards: 00070\r\n", 70, NULL, 0, 0 },
	{ "Max-Forwards:\r\n 7\r\n", 7, NULL, 0, 0 },
	{ "Max-Forwards: 256\r\n", -1, NULL, 0, 0 },
	{ "Max-Forwards: -1\r\n", -1, NULL, 0, 0 },
	{ "Max-Forwards: x\r\n", -1, NULL, 0, 0 },
	{ "Max-Forwards:\r\n", -1, NULL, 0, 0 },
	{ "Max-Forwards: 70 x\r\n", -1, NULL, 0, 0 },
	{ "Max-Forwards: 70\r\nMax-Forwards: 70\r\n", -1, NULL, 0, 0 },
	{ "Subject: none\r\n", SIP_ABSENT, NULL, 0, 0 },
};

static const struct value_case expires_cases[] = {
	{ "Expires: 3600\r\n", 3600, NULL, 0, 0 },
	{ "Expires: 0\r\n", 0, NULL, 0, 0 },
	{ "Expires: 4294967295\r\n", 4294967295LL, NULL, 0, 0 },
	{ "Expires: 4294967296\r\n", -1, NULL, 0, 0 },
	{ "Expires: Thu, 01 Dec 2044 16:00:00 GMT\r\n", -1, NULL, 0, 0 },
	{ "Expires: 1.5\r\n", -1, NULL, 0, 0 },
	{ "Expires: 1\r\nExpires: 1\r\n", -1, NULL, 0, 0 },
	{ "Subject: none\r\n", SIP_ABSENT, NULL, 0, 0 },
};

static void
test_call_id(void **state)
{
	int bad = 0;
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(callid_cases); i++) {
		const struct value_case *c = &callid_cases[i];
		struct sip_str id = SIP_STR_NULL;
		struct tmsg t;
		int rc;

		t_parse(&t, c->hdrs, c->hdrs, false);
		rc = sip_call_id(&t.m, &id);
		bad += check_int(c->hdrs, "rc", rc, c->rc);
		if (rc == 0)
			bad += check_str(c->hdrs, "id", id, c->str);
		t_free(&t);
	}
	if (bad)
		fail_msg("%d mismatches", bad);
}

static void
test_cseq(void **state)
{
	int bad = 0;
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(cseq_cases); i++) {
		const struct value_case *c = &cseq_cases[i];
		struct sip_cseq cs;
		struct tmsg t;
		int rc;

		t_parse(&t, c->hdrs, c->hdrs, false);
		rc = sip_cseq(&t.m, &cs);
		bad += check_int(c->hdrs, "rc", rc, c->rc);
		if (rc == 0) {
			bad += check_int(c->hdrs, "num", cs.num, c->num);
			bad += check_str(c->hdrs, "method_str", cs.method_str, c->str);
			bad += check_int(c->hdrs, "method", cs.method, c->method);
		}
		t_free(&t);
	}
	if (bad)
		fail_msg("%d mismatches", bad);
}

static void
test_numbers(void **state)
{
	int bad = 0;
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(mf_cases); i++) {
		struct tmsg t;

		t_parse(&t, mf_cases[i].hdrs, mf_cases[i].hdrs, false);
		bad += check_int(mf_cases[i].hdrs, "max-forwards", sip_max_forwards(&t.m),
				mf_cases[i].rc);
		t_free(&t);
	}
	for (i = 0; i < N_ELEM(expires_cases); i++) {
		struct tmsg t;

		t_parse(&t, expires_cases[i].hdrs, expires_cases[i].hdrs, false);
		bad += check_int(expires_cases[i].hdrs, "expires",
				sip_delta_seconds(&t.m, SIP_H_EXPIRES), expires_cases[i].rc);
		t_free(&t);
	}
	/* The other delta-seconds headers. */
	{
		struct tmsg t;

		t_parse(&t, "min-se, rseq", "Min-SE: 90\r\nRSeq: 988789\r\n", false);
		bad += check_int("Min-SE", "value", sip_delta_seconds(&t.m, SIP_H_MIN_SE), 90);
		bad += check_int("RSeq", "value", sip_delta_seconds(&t.m, SIP_H_RSEQ), 988789);
		bad += check_int("Expires", "value", sip_delta_seconds(&t.m, SIP_H_EXPIRES),
				SIP_ABSENT);
		t_free(&t);
	}
	if (bad)
		fail_msg("%d mismatches", bad);
}

/* ---- Content-Type ----------------------------------------------------------------------- */

struct ct_case {
	const char *hdrs;
	int rc;
	const char *type, *subtype, *params;
	bool sdp;
};

static const struct ct_case ct_cases[] = {
	{ "Content-Type: application/sdp\r\n", 0, "application", "sdp", NULL, true },
	{ "c: application/sdp\r\n", 0, "application", "sdp", NULL, true },
	{ "Content-Type: Application / SDP\r\n", 0, "Application", "SDP", NULL, true },
	{ "Content-Type: application/sdp; charset=utf-8\r\n", 0, "application", "sdp",
			"; charset=utf-8", true },
	{ "Content-Type: multipart/mixed;boundary=\"unique-boundary-1\";x=y\r\n", 0, "multipart",
			"mixed", ";boundary=\"unique-boundary-1\";x=y", false },
	{ "Content-Type: text/plain\r\n", 0, "text", "plain", NULL, false },
	{ "Content-Type: application/sdp+xml\r\n", 0, "application", "sdp+xml", NULL, false },
	{ "Content-Type: application\r\n", -1, NULL, NULL, NULL, false },
	{ "Content-Type: application/\r\n", -1, NULL, NULL, NULL, false },
	{ "Content-Type: /sdp\r\n", -1, NULL, NULL, NULL, false },
	{ "Content-Type: application/sdp;\r\n", -1, NULL, NULL, NULL, false },
	{ "Content-Type: application/sdp x\r\n", -1, NULL, NULL, NULL, false },
	{ "Content-Type: application/sdp, text/plain\r\n", -1, NULL, NULL, NULL, false },
	{ "Content-Type:\r\n", -1, NULL, NULL, NULL, false },
	{ "Content-Type: application/sdp\r\nc: application/sdp\r\n", -1, NULL, NULL, NULL, false },
	{ "Subject: none\r\n", SIP_ABSENT, NULL, NULL, NULL, false },
};

static void
test_content_type(void **state)
{
	int bad = 0;
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(ct_cases); i++) {
		const struct ct_case *c = &ct_cases[i];
		struct sip_content_type ct;
		struct tmsg t;
		int rc;

		t_parse(&t, c->hdrs, c->hdrs, false);
		rc = sip_content_type(&t.m, &ct);
		bad += check_int(c->hdrs, "rc", rc, c->rc);
		if (rc == 0) {
			bad += check_str(c->hdrs, "type", ct.type, c->type);
			bad += check_str(c->hdrs, "subtype", ct.subtype, c->subtype);
			bad += check_str(c->hdrs, "params", ct.params, c->params);
		}
		bad += check_int(c->hdrs, "is_sdp", sip_body_is_sdp(&t.m), c->sdp);
		t_free(&t);
	}
	if (bad)
		fail_msg("%d mismatches", bad);
}

/* ---- option tags and methods -------------------------------------------------------------- */

struct tok_case {
	const char *name;
	enum sip_hdr_id id;
	const char *hdrs;
	const char *toks[8]; /* tokens read, NULL-terminated */
	bool err;
};

static const struct tok_case tok_cases[] = {
	{ "supported", SIP_H_SUPPORTED, "Supported: timer, 100rel,replaces\r\nk: path\r\n",
			{ "timer", "100rel", "replaces", "path", NULL }, false },
	{ "empty supported", SIP_H_SUPPORTED, "Supported:\r\n", { NULL }, false },
	{ "empty then tags", SIP_H_SUPPORTED, "Supported:\r\nSupported: timer\r\nSupported:   \r\n",
			{ "timer", NULL }, false },
	{ "allow", SIP_H_ALLOW, "Allow: INVITE, ACK, OPTIONS,\r\n CANCEL ,BYE\r\n",
			{ "INVITE", "ACK", "OPTIONS", "CANCEL", "BYE", NULL }, false },
	{ "require", SIP_H_REQUIRE, "Require: 100rel\r\n", { "100rel", NULL }, false },
	{ "proxy-require", SIP_H_PROXY_REQUIRE, "Proxy-Require: sec-agree\r\n",
			{ "sec-agree", NULL }, false },
	{ "absent", SIP_H_REQUIRE, "Subject: x\r\n", { NULL }, false },
	{ "double comma", SIP_H_REQUIRE, "Require: 100rel,,timer\r\n", { NULL }, true },
	{ "missing comma", SIP_H_REQUIRE, "Require: 100rel timer\r\n", { NULL }, true },
	{ "trailing comma", SIP_H_REQUIRE, "Require: 100rel,\r\n", { NULL }, true },
	{ "not a token", SIP_H_REQUIRE, "Require: timer, @\r\n", { "timer", NULL }, true },
	{ "leading comma", SIP_H_SUPPORTED, "Supported: ,timer\r\n", { NULL }, true },
};

static void
test_tokens(void **state)
{
	int bad = 0;
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(tok_cases); i++) {
		const struct tok_case *c = &tok_cases[i];
		struct sip_iter it;
		struct sip_str tok;
		struct tmsg t;
		int k, r;

		t_parse(&t, c->name, c->hdrs, false);
		sip_iter_init(&it, &t.m, c->id);
		for (k = 0; (r = sip_token_next(&it, &tok)) == 1 && k < 6; k++)
			bad += check_str(c->name, "token", tok, c->toks[k]);
		if (c->toks[k] != NULL || r != (c->err ? -1 : 0)) {
			print_error("%s: stopped after %d tokens with %d\n", c->name, k, r);
			bad++;
		}
		t_free(&t);
	}
	if (bad)
		fail_msg("%d mismatches", bad);
}

static void
test_token_has(void **state)
{
	struct tmsg t;

	(void)state;
	t_parse(&t, "token has",
			"Supported: timer, 100rel\r\nk: replaces\r\nRequire: x,,y\r\nAllow:\r\n", false);
	assert_true(sip_token_has(&t.m, SIP_H_SUPPORTED, "timer"));
	assert_true(sip_token_has(&t.m, SIP_H_SUPPORTED, "100rel"));
	assert_true(sip_token_has(&t.m, SIP_H_SUPPORTED, "replaces"));
	assert_false(sip_token_has(&t.m, SIP_H_SUPPORTED, "path"));
	assert_false(sip_token_has(&t.m, SIP_H_SUPPORTED, "time"));
	assert_false(sip_token_has(&t.m, SIP_H_ALLOW, "INVITE"));
	assert_false(sip_token_has(&t.m, SIP_H_UNSUPPORTED, "timer"));
	/* A malformed list holds nothing past the error. */
	assert_false(sip_token_has(&t.m, SIP_H_REQUIRE, "y"));
	t_free(&t);
}

/* ---- Session-Expires ---------------------------------------------------------------------- */

struct se_case {
	const char *hdrs;
	int rc;
	uint32_t delta;
	uint8_t refresher;
	const char *params;
};

static const struct se_case se_cases[] = {
	{ "Session-Expires: 1800;refresher=uac\r\n", 0, 1800, 1, ";refresher=uac" },
	{ "Session-Expires: 1800 ; refresher = uas\r\n", 0, 1800, 2, "; refresher = uas" },
	{ "Session-Expires: 1800;refresher=UAC\r\n", 0, 1800, 1, ";refresher=UAC" },
	{ "x: 90\r\n", 0, 90, 0, NULL },
	{ "Session-Expires: 4294967295;x=y\r\n", 0, 4294967295U, 0, ";x=y" },
	{ "Session-Expires: 1800;foo;refresher=uas\r\n", 0, 1800, 2, ";foo;refresher=uas" },
	{ "Session-Expires: 1800;refresher=foo\r\n", -1, 0, 0, NULL },
	{ "Session-Expires: 1800;refresher\r\n", -1, 0, 0, NULL },
	{ "Session-Expires: 1800;refresher=\"uac\"\r\n", -1, 0, 0, NULL },
	{ "Session-Expires: 1800;\r\n", -1, 0, 0, NULL },
	{ "Session-Expires: 1800 x\r\n", -1, 0, 0, NULL },
	{ "Session-Expires: abc\r\n", -1, 0, 0, NULL },
	{ "Session-Expires: 4294967296\r\n", -1, 0, 0, NULL },
	{ "Session-Expires:\r\n", -1, 0, 0, NULL },
	{ "Session-Expires: 90\r\nx: 90\r\n", -1, 0, 0, NULL },
	{ "Subject: none\r\n", SIP_ABSENT, 0, 0, NULL },
};

static void
test_session_expires(void **state)
{
	int bad = 0;
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(se_cases); i++) {
		const struct se_case *c = &se_cases[i];
		struct sip_session_expires se;
		struct tmsg t;
		int rc;

		t_parse(&t, c->hdrs, c->hdrs, false);
		rc = sip_session_expires(&t.m, &se);
		bad += check_int(c->hdrs, "rc", rc, c->rc);
		if (rc == 0) {
			bad += check_int(c->hdrs, "delta", se.delta, c->delta);
			bad += check_int(c->hdrs, "refresher", se.refresher, c->refresher);
			bad += check_str(c->hdrs, "params", se.params, c->params);
		}
		t_free(&t);
	}
	if (bad)
		fail_msg("%d mismatches", bad);
}

/* ---- Reason --------------------------------------------------------------------------------- */

struct reason_exp {
	const char *protocol;
	int32_t cause;
	const char *text, *params;
};

struct reason_case {
	const char *hdrs;
	int n;
	bool err;
	struct reason_exp exp[3];
};

static const struct reason_case reason_cases[] = {
	{ "Reason: SIP;cause=200;text=\"Call completed elsewhere\"\r\n", 1, false,
			{ { "SIP", 200, "Call completed elsewhere",
					";cause=200;text=\"Call completed elsewhere\"" } } },
	{ "Reason: Q.850;cause=16;text=\"Terminated\", SIP ;cause=487\r\nReason: X-Foo\r\n", 3,
			false,
			{ { "Q.850", 16, "Terminated", ";cause=16;text=\"Terminated\"" },
					{ "SIP", 487, NULL, ";cause=487" },
					{ "X-Foo", -1, NULL, NULL } } },
	{ "Reason: SIP;text=\"a, b; \\\"c\\\"\";cause=603\r\n", 1, false,
			{ { "SIP", 603, "a, b; \\\"c\\\"", ";text=\"a, b; \\\"c\\\"\";cause=603" } } },
	{ "Reason: SIP ; cause = 0 ; text = \"\"\r\n", 1, false,
			{ { "SIP", 0, "", "; cause = 0 ; text = \"\"" } } },
	{ "Reason: SIP;cause=200;foo=bar\r\n", 1, false,
			{ { "SIP", 200, NULL, ";cause=200;foo=bar" } } },
	{ "Reason: SIP;cause=abc\r\n", 0, true, { { NULL } } },
	{ "Reason: SIP;cause=\"200\"\r\n", 0, true, { { NULL } } },
	{ "Reason: SIP;cause=65536\r\n", 0, true, { { NULL } } },
	{ "Reason: SIP;cause\r\n", 0, true, { { NULL } } },
	{ "Reason: SIP;text=plain\r\n", 0, true, { { NULL } } },
	{ "Reason: SIP;text\r\n", 0, true, { { NULL } } },
	{ "Reason: SIP;text=\"open\r\n", 0, true, { { NULL } } },
	{ "Reason: ;cause=1\r\n", 0, true, { { NULL } } },
	{ "Reason: SIP x\r\n", 0, true, { { NULL } } },
	{ "Reason: SIP;cause=200,,Q.850;cause=16\r\n", 0, true, { { NULL } } },
	{ "Reason: SIP;cause=200, Q.850;cause=x\r\n", 1, true,
			{ { "SIP", 200, NULL, ";cause=200" } } },
};

static void
test_reason(void **state)
{
	int bad = 0;
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(reason_cases); i++) {
		const struct reason_case *c = &reason_cases[i];
		struct sip_iter it;
		struct sip_reason r;
		struct tmsg t;
		int k, rc;

		t_parse(&t, c->hdrs, c->hdrs, false);
		sip_iter_init(&it, &t.m, SIP_H_REASON);
		for (k = 0; (rc = sip_reason_next(&it, &r)) == 1 && k < 3; k++) {
			if (k >= c->n)
				continue;
			bad += check_str(c->hdrs, "protocol", r.protocol, c->exp[k].protocol);
			bad += check_int(c->hdrs, "cause", r.cause, c->exp[k].cause);
			bad += check_str(c->hdrs, "text", r.text, c->exp[k].text);
			bad += check_str(c->hdrs, "params", r.params, c->exp[k].params);
		}
		if (k != c->n || rc != (c->err ? -1 : 0)) {
			print_error("%s: expected %d elements then %d, got %d then %d\n", c->hdrs,
					c->n, c->err ? -1 : 0, k, rc);
			bad++;
		}
		t_free(&t);
	}
	if (bad)
		fail_msg("%d mismatches", bad);
}

/* ---- credentials and challenges --------------------------------------------------------- */

struct auth_case {
	const char *name;
	const char *hdrs; /* one header of id */
	enum sip_hdr_id id;
	int rc;
	const char *scheme, *params;
	/* username realm nonce uri response algorithm cnonce opaque qop nc domain stale */
	const char *f[12];
};

#define DIGEST_RESP                                                                                \
	"Digest username=\"alice\", realm=\"example.com\",\r\n"                                    \
	"  nonce=\"ea9c8e88df84f1cec4341ae6cbe5a359\", uri=\"sip:bob@example.com\",\r\n"          \
	"  response=\"dfe56131d1958046689d83306477ecc\", algorithm=MD5, cnonce=\"0a4f113b\",\r\n"  \
	"  opaque=\"\", qop=auth, nc=00000001"

static const struct auth_case auth_cases[] = {
	{ "authorization", "Authorization: " DIGEST_RESP "\r\n", SIP_H_AUTHORIZATION, 0, "Digest",
			NULL,
			{ "alice", "example.com", "ea9c8e88df84f1cec4341ae6cbe5a359",
					"sip:bob@example.com", "dfe56131d1958046689d83306477ecc",
					"MD5", "0a4f113b", "", "auth", "00000001", NULL, NULL } },
	{ "proxy-authorization", "Proxy-Authorization: digest USERNAME = \"bob\" ,Realm=\"r\"\r\n",
			SIP_H_PROXY_AUTHORIZATION, 0, "digest", "USERNAME = \"bob\" ,Realm=\"r\"",
			{ "bob", "r" } },
	{ "challenge",
			"WWW-Authenticate: Digest realm=\"example.com\","
			" domain=\"sip:example.com sip:example.net\",\r\n"
			" nonce=\"x\", stale=FALSE, algorithm=MD5, qop=\"auth,auth-int\"\r\n",
			SIP_H_WWW_AUTHENTICATE, 0, "Digest", NULL,
			{ NULL, "example.com", "x", NULL, NULL, "MD5", NULL, NULL, "auth,auth-int",
					NULL, "sip:example.com sip:example.net", "FALSE" } },
	{ "quoted commas and quotes",
			"Proxy-Authenticate: Digest realm=\"a, b \\\"c\\\"\", nonce=\"n,n\"\r\n",
			SIP_H_PROXY_AUTHENTICATE, 0, "Digest", "realm=\"a, b \\\"c\\\"\", nonce=\"n,n\"",
			{ NULL, "a, b \\\"c\\\"", "n,n" } },
	{ "unknown params kept out", "Authorization: Digest foo=bar, username=\"a\", x=\"y\"\r\n",
			SIP_H_AUTHORIZATION, 0, "Digest", "foo=bar, username=\"a\", x=\"y\"",
			{ "a" } },
	{ "other scheme", "Authorization: Bearer eyJhbGciOi.abc.def\r\n", SIP_H_AUTHORIZATION, 0,
			"Bearer", "eyJhbGciOi.abc.def", { NULL } },
	{ "other scheme with params", "WWW-Authenticate: Basic realm=\"x, y\", a=b\r\n",
			SIP_H_WWW_AUTHENTICATE, 0, "Basic", "realm=\"x, y\", a=b", { NULL } },
	{ "other scheme alone", "WWW-Authenticate: Negotiate\r\n", SIP_H_WWW_AUTHENTICATE, 0,
			"Negotiate", "", { NULL } },
	{ "digest alone", "Authorization: Digest\r\n", SIP_H_AUTHORIZATION, -1, NULL, NULL,
			{ NULL } },
	{ "digest no LWS", "Authorization: Digest,username=\"a\"\r\n", SIP_H_AUTHORIZATION, -1,
			NULL, NULL, { NULL } },
	{ "name only", "Authorization: Digest username\r\n", SIP_H_AUTHORIZATION, -1, NULL, NULL,
			{ NULL } },
	{ "empty value", "Authorization: Digest username=\r\n", SIP_H_AUTHORIZATION, -1, NULL,
			NULL, { NULL } },
	{ "unterminated quote", "Authorization: Digest username=\"a\r\n", SIP_H_AUTHORIZATION, -1,
			NULL, NULL, { NULL } },
	{ "trailing comma", "Authorization: Digest username=\"a\",\r\n", SIP_H_AUTHORIZATION, -1,
			NULL, NULL, { NULL } },
	{ "double comma", "Authorization: Digest username=\"a\",,realm=\"b\"\r\n",
			SIP_H_AUTHORIZATION, -1, NULL, NULL, { NULL } },
	{ "missing comma", "Authorization: Digest username=\"a\" realm=\"b\"\r\n",
			SIP_H_AUTHORIZATION, -1, NULL, NULL, { NULL } },
	{ "empty header", "Authorization:\r\n", SIP_H_AUTHORIZATION, -1, NULL, NULL, { NULL } },
};

static void
test_auth(void **state)
{
	static const char *const fname[12] = { "username", "realm", "nonce", "uri", "response",
		"algorithm", "cnonce", "opaque", "qop", "nc", "domain", "stale" };
	int bad = 0;
	size_t i, k;

	(void)state;
	for (i = 0; i < N_ELEM(auth_cases); i++) {
		const struct auth_case *c = &auth_cases[i];
		struct sip_auth a;
		struct tmsg t;
		int rc;

		t_parse(&t, c->name, c->hdrs, false);
		assert_non_null(sip_hdr_first(&t.m, c->id));
		rc = sip_auth_parse(sip_hdr_first(&t.m, c->id), &a);
		bad += check_int(c->name, "rc", rc, c->rc);
		if (rc == 0) {
			const struct sip_str got[12] = { a.username, a.realm, a.nonce, a.uri,
				a.response, a.algorithm, a.cnonce, a.opaque, a.qop, a.nc, a.domain,
				a.stale };

			bad += check_str(c->name, "scheme", a.scheme, c->scheme);
			if (c->params != NULL)
				bad += check_str(c->name, "params", a.params, c->params);
			for (k = 0; k < 12; k++)
				bad += check_str(c->name, fname[k], got[k], c->f[k]);
		}
		t_free(&t);
	}
	if (bad)
		fail_msg("%d mismatches", bad);
}

/* ---- sip_validate --------------------------------------------------------------------------- */

#define INV     "INVITE sip:bob@example.com SIP/2.0\r\n"
#define V_VIA   "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK74bf9\r\n"
#define V_MF    "Max-Forwards: 70\r\n"
#define V_FROM  "From: Alice <sip:alice@example.com>;tag=9fxced76sl\r\n"
#define V_TO    "To: Bob <sip:bob@example.com>\r\n"
#define V_CID   "Call-ID: 3848276298220188511@192.0.2.1\r\n"
#define V_CSEQ  "CSeq: 1 INVITE\r\n"
#define V_CT    "Contact: <sip:alice@192.0.2.1>\r\n"
#define V_END   "Content-Length: 0\r\n\r\n"
/* Everything but the start line, CSeq and the end. */
#define V_REST  V_VIA V_MF V_FROM V_TO V_CID
#define V_OK(sl) sl V_REST V_CSEQ V_CT V_END

struct val_case {
	const char *name;
	const char *msg;
	int parse_rc;       /* sip_parse's verdict */
	uint16_t status;    /* expected answer (0 and reason NULL: accepted) */
	const char *reason;
};

static const struct val_case val_cases[] = {
	{ "invite", V_OK(INV), 0, 0, NULL },
	{ "minimal options", "OPTIONS sip:example.com SIP/2.0\r\n" V_VIA V_FROM V_TO V_CID
			"CSeq: 5 OPTIONS\r\n" V_END, 0, 0, NULL },
	{ "sips and tel request-uris", "INVITE sips:bob@example.com SIP/2.0\r\n" V_REST V_CSEQ V_END,
			0, 0, NULL },
	{ "tel request-uri", "INVITE tel:+1-201-555-0123 SIP/2.0\r\n" V_REST V_CSEQ V_END, 0, 0,
			NULL },
	{ "unknown method, matching CSeq", "FOO sip:bob@example.com SIP/2.0\r\n" V_REST
			"CSeq: 1 FOO\r\n" V_END, 0, 0, NULL },
	{ "compact forms", INV "v: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\n"
			"f: <sip:alice@example.com>;tag=1\r\nt: <sip:bob@example.com>\r\n"
			"i: abc@192.0.2.1\r\n" V_CSEQ "m: <sip:alice@192.0.2.1>\r\nl: 0\r\n\r\n", 0,
			0, NULL },
	{ "from and to with other schemes", INV V_VIA "From: <http://www.example.com/alice>;tag=1\r\n"
			"To: <urn:service:sos>\r\n" V_CID V_CSEQ V_END, 0, 0, NULL },
	{ "register with star", "REGISTER sip:example.com SIP/2.0\r\n" V_REST
			"CSeq: 2 REGISTER\r\nContact: *\r\nExpires: 0\r\n" V_END, 0, 0, NULL },
	{ "max-forwards 0 and routes", INV V_VIA "Max-Forwards: 0\r\n" V_FROM V_TO V_CID V_CSEQ
			"Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>\r\n"
			"Record-Route: <sip:[2001:db8::1];lr>\r\n" V_END, 0, 0, NULL },
	{ "several vias", INV V_VIA "Via: SIP/2.0/TCP 198.51.100.1;branch=z9hG4bK2,\r\n"
			" SIP/2.0/TLS [2001:db8::7]:5061;branch=z9hG4bK3\r\n" V_MF V_FROM V_TO V_CID
			V_CSEQ V_END, 0, 0, NULL },
	{ "response", "SIP/2.0 200 OK\r\n" V_REST V_CSEQ V_CT V_END, 0, 0, NULL },
	{ "response with another CSeq method", "SIP/2.0 200 OK\r\n" V_REST "CSeq: 3 BYE\r\n" V_END, 0,
			0, NULL },
	/* what sip_parse refuses before validation */
	{ "version", "INVITE sip:bob@example.com SIP/3.0\r\n" V_REST V_CSEQ V_END, -1, 505,
			"Version Not Supported" },
	{ "too large", NULL, -1, 513, "Message Too Large" },
	/* mandatory headers */
	{ "missing call-id", INV V_VIA V_MF V_FROM V_TO V_CSEQ V_END, 0, 400,
			"Missing Call-ID Header" },
	{ "missing from", INV V_VIA V_MF V_TO V_CID V_CSEQ V_END, 0, 400, "Missing From Header" },
	{ "missing to", INV V_VIA V_MF V_FROM V_CID V_CSEQ V_END, 0, 400, "Missing To Header" },
	{ "missing cseq", INV V_REST V_END, 0, 400, "Missing CSeq Header" },
	{ "missing via", INV V_MF V_FROM V_TO V_CID V_CSEQ V_END, 0, 400, "Missing Via Header" },
	{ "two call-ids", INV V_REST "i: x@192.0.2.1\r\n" V_CSEQ V_END, 0, 400,
			"Multiple Call-ID Values" },
	{ "two froms", INV V_REST V_FROM V_CSEQ V_END, 0, 400, "Multiple From Values" },
	{ "two tos", INV V_REST "t: <sip:carol@example.com>\r\n" V_CSEQ V_END, 0, 400,
			"Multiple To Values" },
	{ "two cseqs", INV V_REST V_CSEQ V_CSEQ V_END, 0, 400, "Multiple CSeq Values" },
	{ "two max-forwards", INV V_REST V_MF V_CSEQ V_END, 0, 400, "Multiple Max-Forwards Values" },
	{ "two content-types", INV V_REST V_CSEQ "Content-Type: application/sdp\r\n"
			"c: application/sdp\r\n" V_END, 0, 400, "Multiple Content-Type Values" },
	{ "two expires", INV V_REST V_CSEQ "Expires: 1\r\nExpires: 2\r\n" V_END, 0, 400,
			"Multiple Expires Values" },
	/* malformed values */
	{ "bad call-id", INV V_VIA V_FROM V_TO "Call-ID: a b\r\n" V_CSEQ V_END, 0, 400,
			"Malformed Call-ID" },
	{ "bad cseq", INV V_REST "CSeq: x INVITE\r\n" V_END, 0, 400, "Malformed CSeq" },
	{ "bad cseq number", INV V_REST "CSeq: 4294967296 INVITE\r\n" V_END, 0, 400,
			"Malformed CSeq" },
	{ "bad from", INV V_VIA "From: sip:alice@example.com?x=y\r\n" V_TO V_CID V_CSEQ V_END, 0,
			400, "Malformed From" },
	{ "bad from uri", INV V_VIA "From: <sip:alice@>;tag=1\r\n" V_TO V_CID V_CSEQ V_END, 0, 400,
			"Malformed From" },
	{ "bad to", INV V_VIA V_FROM "To: <sip:bob@example.com\r\n" V_CID V_CSEQ V_END, 0, 400,
			"Malformed To" },
	{ "bad to uri", INV V_VIA V_FROM "To: <bob>\r\n" V_CID V_CSEQ V_END, 0, 400,
			"Malformed To" },
	{ "bad via", INV "Via: SIP/2.0/UDP\r\n" V_MF V_FROM V_TO V_CID V_CSEQ V_END, 0, 400,
			"Malformed Via" },
	{ "bad second via", INV V_REST "Via: SIP/2.0/UDP a.example.com,,\r\n" V_CSEQ V_END, 0, 400,
			"Malformed Via" },
	{ "max-forwards 256", INV V_VIA "Max-Forwards: 256\r\n" V_FROM V_TO V_CID V_CSEQ V_END, 0,
			400, "Invalid Max-Forwards" },
	{ "bad expires", INV V_REST V_CSEQ "Expires: soon\r\n" V_END, 0, 400, "Invalid Expires" },
	{ "bad contact", INV V_REST V_CSEQ "Contact: <sip:alice@>\r\n" V_END, 0, 400,
			"Malformed Contact" },
	{ "star with another contact", "REGISTER sip:example.com SIP/2.0\r\n" V_REST
			"CSeq: 2 REGISTER\r\nContact: *, <sip:a@example.com>\r\n" V_END, 0, 400,
			"Malformed Contact" },
	{ "star and another contact line", "REGISTER sip:example.com SIP/2.0\r\n" V_REST
			"CSeq: 2 REGISTER\r\nContact: *\r\nm: <sip:a@example.com>\r\n" V_END, 0, 400,
			"Malformed Contact" },
	{ "bad route", INV V_REST V_CSEQ "Route: <sip:p1.example.com;lr>,,<sip:p2.example.com>\r\n"
			V_END, 0, 400, "Malformed Route" },
	{ "bad route uri", INV V_REST V_CSEQ "Route: <sip:p1 .example.com;lr>\r\n" V_END, 0, 400,
			"Malformed Route" },
	{ "bad record-route", INV V_REST V_CSEQ "Record-Route: <x>\r\n" V_END, 0, 400,
			"Malformed Record-Route" },
	/* the Request-URI */
	{ "request-uri in <>", "INVITE <sip:bob@example.com> SIP/2.0\r\n" V_REST V_CSEQ V_END, 0,
			400, "Request-URI Enclosed in <>" },
	{ "bad request-uri", "INVITE sip:bob@ SIP/2.0\r\n" V_REST V_CSEQ V_END, 0, 400,
			"Malformed Request-URI" },
	{ "other scheme", "INVITE http://www.example.com/ SIP/2.0\r\n" V_REST V_CSEQ V_END, 0, 416,
			"Unsupported URI Scheme" },
	{ "other scheme, isbn", "INVITE isbn:0-395-36341-1 SIP/2.0\r\n" V_REST V_CSEQ V_END, 0, 416,
			"Unsupported URI Scheme" },
	{ "headers in request-uri", "INVITE sip:bob@example.com?subject=x SIP/2.0\r\n" V_REST V_CSEQ
			V_END, 0, 400, "Headers Not Allowed in Request-URI" },
	/* CSeq method against the request method */
	{ "cseq method mismatch", INV V_REST "CSeq: 1 BYE\r\n" V_END, 0, 400,
			"CSeq Method Does Not Match Request" },
	{ "cseq method case", INV V_REST "CSeq: 1 invite\r\n" V_END, 0, 400,
			"CSeq Method Does Not Match Request" },
	{ "unknown method, other CSeq", "FOO sip:bob@example.com SIP/2.0\r\n" V_REST
			"CSeq: 1 BAR\r\n" V_END, 0, 501, "Not Implemented" },
	/* order: the first problem met is the one answered */
	{ "missing call-id before bad uri", "INVITE http://www.example.com/ SIP/2.0\r\n" V_VIA
			V_FROM V_TO "CSeq: 1 BYE\r\n" V_END, 0, 400, "Missing Call-ID Header" },
	{ "416 before cseq mismatch", "INVITE http://www.example.com/ SIP/2.0\r\n" V_REST
			"CSeq: 1 BYE\r\n" V_END, 0, 416, "Unsupported URI Scheme" },
	/* a bad response is refused without an answer */
	{ "response missing call-id", "SIP/2.0 200 OK\r\n" V_VIA V_FROM V_TO V_CSEQ V_END, 0, 0,
			"Missing Call-ID Header" },
	{ "response bad via", "SIP/2.0 180 Ringing\r\nVia: x\r\n" V_FROM V_TO V_CID V_CSEQ V_END, 0,
			0, "Malformed Via" },
};

static void
test_validate(void **state)
{
	int bad = 0;
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(val_cases); i++) {
		const struct val_case *c = &val_cases[i];
		struct sip_limits lim = sip_default_limits;
		struct sip_error err = { 999, "unset" };
		const char *msg = c->msg ? c->msg : V_OK(INV);
		size_t len = strlen(msg);
		char *copy = malloc(len);
		struct sip_msg m;
		int rc;

		assert_non_null(copy);
		memcpy(copy, msg, len);
		if (c->msg == NULL)
			lim.max_msg = (uint32_t)len - 1;
		rc = sip_parse(&m, copy, len, SIP_FRAME_DATAGRAM, &lim);
		if (rc != c->parse_rc) {
			print_error("%s: sip_parse returned %d (%s)\n", c->name, rc,
					m.err.reason ? m.err.reason : "");
			bad++;
			free(copy);
			continue;
		}
		if (rc == 0) {
			rc = sip_validate(&m, &err);
		} else {
			err = m.err;
		}
		bad += check_int(c->name, "rc", rc, c->reason ? -1 : 0);
		if (c->reason != NULL) {
			bad += check_int(c->name, "status", err.status, c->status);
			if (err.reason == NULL || strcmp(err.reason, c->reason) != 0) {
				print_error("%s: reason: expected \"%s\", got \"%s\"\n", c->name,
						c->reason, err.reason ? err.reason : "(none)");
				bad++;
			}
		}
		free(copy);
	}
	if (bad)
		fail_msg("%d mismatches", bad);
}

/*
 * The lookups by name are case-insensitive (sip_hdr.h) whatever the case of the name
 * asked for, as header parameter names and option tags are (RFC 3261 7.3.1, 19.2).
 */
static void
test_case_insensitive_lookups(void **state)
{
	struct sip_str val = SIP_STR_NULL;
	struct sip_via v;
	struct tmsg t;

	(void)state;
	t_parse(&t, "case", "Via: SIP/2.0/UDP 192.0.2.1;Branch=z9hG4bK1;RPort\r\n"
			    "Supported: Timer, 100rel\r\n",
			false);
	assert_int_equal(sip_via_top(&t.m, &v), 0);
	assert_true(v.has_branch);
	assert_true(v.has_rport);
	/* Message text in any case, a lower-case name. */
	assert_true(sip_param_find(v.params, "branch", &val));
	assert_true(str_is(val, "z9hG4bK1"));
	assert_true(sip_token_has(&t.m, SIP_H_SUPPORTED, "timer"));
	/* A name asked for in another case. */
	assert_true(sip_param_find(v.params, "BRANCH", &val));
	assert_true(sip_param_find(v.params, "rport", NULL));
	assert_true(sip_param_find(v.params, "RPort", NULL));
	assert_true(sip_token_has(&t.m, SIP_H_SUPPORTED, "TIMER"));
	assert_true(sip_token_has(&t.m, SIP_H_SUPPORTED, "100REL"));
	t_free(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_via),
		cmocka_unit_test(test_via_params),
		cmocka_unit_test(test_param_next),
		cmocka_unit_test(test_param_find_after_lws),
		cmocka_unit_test(test_from_to),
		cmocka_unit_test(test_from_to_presence),
		cmocka_unit_test(test_addr_lists),
		cmocka_unit_test(test_contact_params),
		cmocka_unit_test(test_call_id),
		cmocka_unit_test(test_cseq),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_content_type),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_token_has),
		cmocka_unit_test(test_session_expires),
		cmocka_unit_test(test_reason),
		cmocka_unit_test(test_auth),
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_case_insensitive_lookups),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
