/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_sip_msg.c - sip_parse (sip_msg.h): start lines, the header index (compact and
 * long names in any case, folding, chains of repeated headers), limits, datagram
 * framing of the body, stream framing (sip_frame_stream), keep-alives, the rule that a
 * response is never answered, and control octets (refused with their own cause, but for
 * HTAB and quoted-pairs; the SSE2 scan that finds them checked against its table). Every message is parsed from a heap copy of its exact
 * length, so that ASan sees any over-read.
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
#include "test_prng.h"

#include "sip_lex.h"
#include "sip_msg.h"
#include "sip_reply.h"

/* A minimal request and response head; the tests add what they look at. */
#define REQ  "OPTIONS sip:example.com SIP/2.0\r\n"
#define RESP "SIP/2.0 200 OK\r\n"
#define VIA  "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\n"

static int
check_reason(const char *cname, const char *got, const char *exp)
{
	if (exp == NULL ? got == NULL : got != NULL && strcmp(got, exp) == 0)
		return 0;
	print_error("%s: reason: expected \"%s\", got \"%s\"\n", cname, exp ? exp : "(none)",
			got ? got : "(none)");
	return 1;
}

/* A parsed message and the exact-size heap copy its slices point into. */
struct tmsg {
	struct sip_msg m;
	char *copy;
	size_t len;
	int rc;
};

static int
t_parse(struct tmsg *t, const char *s, size_t len, enum sip_framing fr,
		const struct sip_limits *lim)
{
	t->copy = malloc(len ? len : 1);
	assert_non_null(t->copy);
	memcpy(t->copy, s, len);
	t->len = len;
	t->rc = sip_parse(&t->m, t->copy, len, fr, lim);
	return t->rc;
}

static void
t_free(struct tmsg *t)
{
	free(t->copy);
	t->copy = NULL;
}

/* ---- start lines ------------------------------------------------------------------------ */

struct sl_case {
	const char *line;   /* start line without its CRLF */
	uint16_t status;    /* err.status expected on failure; 0 with reason NULL: success */
	const char *reason; /* err.reason expected, NULL when accepted */
	uint8_t kind;
	uint8_t method;
	const char *method_str, *ruri, *version;
	uint16_t code;
	const char *phrase;
};

#define RQ(l, m, ms, u, v) { l, 0, NULL, SIP_KIND_REQUEST, SIP_M_##m, ms, u, v, 0, NULL }
#define RS(l, c, ph)                                                                               \
	{ l, 0, NULL, SIP_KIND_RESPONSE, SIP_M_OTHER, NULL, NULL, "SIP/2.0", c, ph }
#define RQ_BAD(l, st, why) { l, st, why, SIP_KIND_REQUEST, 0, NULL, NULL, NULL, 0, NULL }
#define RS_BAD(l, why)     { l, 0, why, SIP_KIND_RESPONSE, 0, NULL, NULL, NULL, 0, NULL }

static const struct sl_case sl_cases[] = {
	RQ("INVITE sip:bob@example.com SIP/2.0", INVITE, "INVITE", "sip:bob@example.com",
			"SIP/2.0"),
	RQ("ACK sip:bob@example.com SIP/2.0", ACK, "ACK", "sip:bob@example.com", "SIP/2.0"),
	RQ("REGISTER sips:example.com SIP/2.0", REGISTER, "REGISTER", "sips:example.com",
			"SIP/2.0"),
	RQ("PUBLISH tel:+1-201-555-0123 SIP/2.0", PUBLISH, "PUBLISH", "tel:+1-201-555-0123",
			"SIP/2.0"),
	/* Unknown methods are kept by name; methods are case-sensitive. */
	RQ("FOO sip:example.com SIP/2.0", OTHER, "FOO", "sip:example.com", "SIP/2.0"),
	RQ("invite sip:example.com SIP/2.0", OTHER, "invite", "sip:example.com", "SIP/2.0"),
	RQ("INVITEX sip:example.com SIP/2.0", OTHER, "INVITEX", "sip:example.com", "SIP/2.0"),
	RQ("NEW-METHOD.1! sip:example.com SIP/2.0", OTHER, "NEW-METHOD.1!", "sip:example.com",
			"SIP/2.0"),
	/* The version is case-insensitive (RFC 3261 7.1). */
	RQ("INVITE sip:bob@example.com sip/2.0", INVITE, "INVITE", "sip:bob@example.com",
			"sip/2.0"),
	/* The Request-URI is not checked here, only delimited. */
	RQ("INVITE <sip:bob@example.com> SIP/2.0", INVITE, "INVITE", "<sip:bob@example.com>",
			"SIP/2.0"),
	RQ_BAD("INVITE  sip:bob@example.com SIP/2.0", 400, "Multiple SP in Request-Line"),
	RQ_BAD("INVITE sip:bob@example.com  SIP/2.0", 400, "Multiple SP in Request-Line"),
	RQ_BAD("INVITE sip:bob@example.com SIP/2.0 ", 400, "SP at End of Request-Line"),
	RQ_BAD("INVITE sip:bob@example.com SIP/2.0\t", 400, "SP at End of Request-Line"),
	RQ_BAD("INVITE ", 400, "SP at End of Request-Line"),
	RQ_BAD(" INVITE sip:bob@example.com SIP/2.0", 400, "Malformed Request-Line"),
	RQ_BAD("INVITE\tsip:bob@example.com SIP/2.0", 400, "Malformed Request-Line"),
	RQ_BAD("INVITE sip:bob@example.com", 400, "Malformed Request-Line"),
	RQ_BAD("INVITE", 400, "Malformed Request-Line"),
	RQ_BAD("INV@TE sip:bob@example.com SIP/2.0", 400, "Malformed Request-Line"),
	RQ_BAD("INVITE sip:bob @example.com SIP/2.0", 400, "Whitespace Inside Request-URI"),
	RQ_BAD("INVITE sip:bob@example.com;a=b c SIP/2.0", 400, "Whitespace Inside Request-URI"),
	RQ_BAD("INVITE sip:bob\t@example.com SIP/2.0", 400, "Whitespace Inside Request-URI"),
	RQ_BAD("INVITE sip:bob@example.com\tSIP/2.0", 400, "Malformed Request-Line"),
	RQ_BAD("INVITE sip:bob@example.com SIP/3.0", 505, "Version Not Supported"),
	RQ_BAD("INVITE sip:bob@example.com SIP/1.0", 505, "Version Not Supported"),
	RQ_BAD("INVITE sip:bob@example.com SIP/2.1", 505, "Version Not Supported"),
	RQ_BAD("INVITE sip:bob@example.com SIP/20.0", 505, "Version Not Supported"),
	RQ_BAD("INVITE sip:bob@example.com SIP/2", 400, "Malformed SIP-Version"),
	RQ_BAD("INVITE sip:bob@example.com SIP/2.", 400, "Malformed SIP-Version"),
	RQ_BAD("INVITE sip:bob@example.com SIP/.0", 400, "Malformed SIP-Version"),
	RQ_BAD("INVITE sip:bob@example.com SIP/2.0a", 400, "Malformed SIP-Version"),
	/* The version is the last word: here the URI would hold the space. */
	RQ_BAD("INVITE sip:bob@example.com SIP 2.0", 400, "Whitespace Inside Request-URI"),
	RQ_BAD("INVITE sip:bob@example.com HTTP/1.1", 400, "Malformed SIP-Version"),
	RQ_BAD("INVITE sip:bob@example.com SIP/", 400, "Malformed SIP-Version"),
	RS("SIP/2.0 200 OK", 200, "OK"),
	RS("SIP/2.0 180 Ringing", 180, "Ringing"),
	RS("SIP/2.0 100 Trying", 100, "Trying"),
	RS("SIP/2.0 699 A reason  with\tspaces", 699, "A reason  with\tspaces"),
	RS("SIP/2.0 486 ", 486, ""),
	RS("SIP/2.0 486", 486, ""), /* the SP before an empty phrase is tolerated missing */
	{ "sip/2.0 200 OK", 0, NULL, SIP_KIND_RESPONSE, SIP_M_OTHER, NULL, NULL, "sip/2.0", 200,
			"OK" },
	RS_BAD("SIP/2.0 099 Low", "Status-Code Out of Range"),
	RS_BAD("SIP/2.0 000 Zero", "Status-Code Out of Range"),
	RS_BAD("SIP/2.0 700 High", "Status-Code Out of Range"),
	RS_BAD("SIP/2.0 999 High", "Status-Code Out of Range"),
	RS_BAD("SIP/2.0 2000 OK", "Malformed Status-Code"),
	RS_BAD("SIP/2.0 20 OK", "Malformed Status-Code"),
	RS_BAD("SIP/2.0 2x0 OK", "Malformed Status-Code"),
	RS_BAD("SIP/2.0  200 OK", "Malformed Status-Code"),
	RS_BAD("SIP/2.0 ", "Malformed Status-Code"),
	RS_BAD("SIP/2.0", "Malformed Status-Line"),
	RS_BAD("SIP/3.0 200 OK", "Unsupported SIP-Version in Status-Line"),
	RS_BAD("SIP/2.0a 200 OK", "Unsupported SIP-Version in Status-Line"),
	RS_BAD("SIP/2.0\t200 OK", "Unsupported SIP-Version in Status-Line"),
};

static void
test_start_lines(void **state)
{
	int bad = 0;
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(sl_cases); i++) {
		const struct sl_case *c = &sl_cases[i];
		char msg[256];
		struct tmsg t;
		int n = snprintf(msg, sizeof(msg), "%s\r\n" VIA "Call-ID: a@example.com\r\n\r\n",
				c->line);

		t_parse(&t, msg, (size_t)n, SIP_FRAME_DATAGRAM, NULL);
		bad += check_int(c->line, "rc", t.rc, c->reason ? -1 : 0);
		bad += check_int(c->line, "kind", t.m.kind, c->kind);
		bad += check_int(c->line, "err.status", t.m.err.status, c->status);
		bad += check_reason(c->line, t.m.err.reason, c->reason);
		/* Whatever the start line, the headers are indexed. */
		bad += check_int(c->line, "n_hdrs", t.m.n_hdrs, 2);
		if (c->reason == NULL) {
			if (c->kind == SIP_KIND_REQUEST) {
				bad += check_int(c->line, "method", t.m.method, c->method);
				bad += check_str(c->line, "method_str", t.m.method_str, c->method_str);
				bad += check_str(c->line, "ruri", t.m.ruri, c->ruri);
				bad += check_int(c->line, "status", t.m.status, 0);
			} else {
				bad += check_int(c->line, "status", t.m.status, c->code);
				bad += check_str(c->line, "reason", t.m.reason, c->phrase);
				bad += check_str(c->line, "method_str", t.m.method_str, NULL);
			}
			bad += check_str(c->line, "version", t.m.version, c->version);
			bad += check_int(c->line, "len", t.m.len, n);
		}
		t_free(&t);
	}
	if (bad)
		fail_msg("%d mismatches", bad);
}

/* After a bad start line the headers and body are still there for the answer (8.2.6). */
static void
test_bad_start_line_keeps_headers(void **state)
{
	static const char msg[] = "INVITE sip:bob@example.com SIP/3.0\r\n" VIA
				  "From: <sip:alice@example.com>;tag=1\r\n"
				  "Call-ID: abc@example.com\r\n"
				  "CSeq: 1 INVITE\r\n"
				  "Content-Length: 4\r\n\r\nbody";
	const struct sip_hdr *h;
	struct tmsg t;

	(void)state;
	assert_int_equal(t_parse(&t, msg, sizeof(msg) - 1, SIP_FRAME_DATAGRAM, NULL), -1);
	assert_int_equal(t.m.err.status, 505);
	assert_string_equal(t.m.err.reason, "Version Not Supported");
	assert_int_equal(t.m.kind, SIP_KIND_REQUEST);
	assert_int_equal(t.m.n_hdrs, 5);
	h = sip_hdr_first(&t.m, SIP_H_CALL_ID);
	assert_non_null(h);
	assert_true(str_is(h->value, "abc@example.com"));
	h = sip_hdr_first(&t.m, SIP_H_CSEQ);
	assert_non_null(h);
	assert_true(str_is(h->value, "1 INVITE"));
	assert_int_equal(t.m.content_length, 4);
	assert_true(str_is(t.m.body, "body"));
	t_free(&t);

	/* A bad start line and a bad header: the start line's error is the one reported. */
	{
		static const char m2[] = "INVITE  sip:bob@example.com SIP/2.0\r\nVia x\r\n\r\n";

		assert_int_equal(t_parse(&t, m2, sizeof(m2) - 1, SIP_FRAME_DATAGRAM, NULL), -1);
		assert_int_equal(t.m.err.status, 400);
		assert_string_equal(t.m.err.reason, "Multiple SP in Request-Line");
		t_free(&t);
	}
}

/* ---- header names ----------------------------------------------------------------------- */

struct name_case {
	const char *name;
	enum sip_hdr_id id;
};

static const struct name_case name_cases[] = {
	{ "v", SIP_H_VIA },
	{ "V", SIP_H_VIA },
	{ "f", SIP_H_FROM },
	{ "F", SIP_H_FROM },
	{ "t", SIP_H_TO },
	{ "i", SIP_H_CALL_ID },
	{ "I", SIP_H_CALL_ID },
	{ "m", SIP_H_CONTACT },
	{ "l", SIP_H_CONTENT_LENGTH },
	{ "L", SIP_H_CONTENT_LENGTH },
	{ "c", SIP_H_CONTENT_TYPE },
	{ "k", SIP_H_SUPPORTED },
	{ "s", SIP_H_SUBJECT },
	{ "e", SIP_H_CONTENT_ENCODING },
	{ "x", SIP_H_SESSION_EXPIRES },
	{ "o", SIP_H_EVENT },
	{ "r", SIP_H_REFER_TO },
	{ "b", SIP_H_REFERRED_BY },
	{ "u", SIP_H_ALLOW_EVENTS },
	{ "U", SIP_H_ALLOW_EVENTS },
	/* Compact forms the SBC does not know are other headers. */
	{ "a", SIP_H_OTHER },
	{ "j", SIP_H_OTHER },
	{ "y", SIP_H_OTHER },
	{ "z", SIP_H_OTHER },
	{ "1", SIP_H_OTHER },
	{ "Via", SIP_H_VIA },
	{ "VIA", SIP_H_VIA },
	{ "vIa", SIP_H_VIA },
	{ "call-id", SIP_H_CALL_ID },
	{ "CALL-ID", SIP_H_CALL_ID },
	{ "Content-length", SIP_H_CONTENT_LENGTH },
	{ "cseq", SIP_H_CSEQ },
	{ "max-FORWARDS", SIP_H_MAX_FORWARDS },
	{ "record-route", SIP_H_RECORD_ROUTE },
	{ "Route", SIP_H_ROUTE },
	{ "www-authenticate", SIP_H_WWW_AUTHENTICATE },
	{ "p-asserted-identity", SIP_H_P_ASSERTED_IDENTITY },
	{ "rack", SIP_H_RACK },
	{ "RSEQ", SIP_H_RSEQ },
	{ "min-se", SIP_H_MIN_SE },
	{ "session-expires", SIP_H_SESSION_EXPIRES },
	{ "Date", SIP_H_DATE },
	{ "Vi", SIP_H_OTHER },
	{ "Viaa", SIP_H_OTHER },
	{ "X-Via", SIP_H_OTHER },
	{ "Routes", SIP_H_OTHER },
	{ "Call-Info", SIP_H_OTHER },
	{ "Content", SIP_H_OTHER },
	{ "Accept-Contact", SIP_H_OTHER },
	{ "X-.!%*_+`'~", SIP_H_OTHER },
};

static void
test_header_names(void **state)
{
	int bad = 0;
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(name_cases); i++) {
		const struct name_case *c = &name_cases[i];
		char msg[256];
		struct tmsg t;
		int n = snprintf(msg, sizeof(msg), REQ "%s: 0\r\n\r\n", c->name);

		bad += check_int(c->name, "lookup", sip_hdr_lookup(c->name, strlen(c->name)), c->id);
		t_parse(&t, msg, (size_t)n, SIP_FRAME_DATAGRAM, NULL);
		bad += check_int(c->name, "rc", t.rc, 0);
		bad += check_int(c->name, "n_hdrs", t.m.n_hdrs, 1);
		bad += check_int(c->name, "id", t.m.hdrs[0].id, c->id);
		bad += check_str(c->name, "name", t.m.hdrs[0].name, c->name);
		bad += check_str(c->name, "value", t.m.hdrs[0].value, "0");
		bad += check_int(c->name, "first", t.m.first[c->id], 0);
		bad += check_int(c->name, "count", sip_hdr_count(&t.m, c->id), 1);
		t_free(&t);
	}
	/* Every known header's long name maps back to it, in any case. */
	for (i = 1; i < SIP_H_MAX; i++) {
		const char *name = sip_hdr_name((enum sip_hdr_id)i);
		char up[64];
		size_t k;

		assert_non_null(name);
		for (k = 0; name[k] != '\0'; k++)
			up[k] = (char)(name[k] >= 'a' && name[k] <= 'z' ? name[k] - 32 : name[k]);
		bad += check_int(name, "lookup", sip_hdr_lookup(name, strlen(name)), (long long)i);
		bad += check_int(name, "lookup upper", sip_hdr_lookup(up, k), (long long)i);
	}
	bad += check_int("empty name", "lookup", sip_hdr_lookup("Via", 0), SIP_H_OTHER);
	if (sip_hdr_name(SIP_H_OTHER) != NULL || sip_hdr_name(SIP_H_MAX) != NULL) {
		print_error("sip_hdr_name: expected NULL for OTHER and MAX\n");
		bad++;
	}
	if (bad)
		fail_msg("%d mismatches", bad);
}

static void
test_method_names(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 1; i < SIP_M_MAX; i++) {
		const char *name = sip_method_name((enum sip_method)i);

		assert_non_null(name);
		assert_int_equal(sip_method_lookup(name, strlen(name)), i);
	}
	assert_string_equal(sip_method_name(SIP_M_INVITE), "INVITE");
	assert_string_equal(sip_method_name(SIP_M_PRACK), "PRACK");
	assert_null(sip_method_name(SIP_M_MAX));
	assert_int_equal(sip_method_lookup("INVITE", 6), SIP_M_INVITE);
	assert_int_equal(sip_method_lookup("INVITE", 5), SIP_M_OTHER);
	assert_int_equal(sip_method_lookup("Invite", 6), SIP_M_OTHER);
	assert_int_equal(sip_method_lookup("INFO", 4), SIP_M_INFO);
	assert_int_equal(sip_method_lookup("INFOX", 5), SIP_M_OTHER);
}

/* ---- header lines ----------------------------------------------------------------------- */

struct line_case {
	const char *name;
	const char *headers; /* between the start line and the empty line */
	int rc;
	const char *reason;  /* when refused (status 400) */
	const char *hname;   /* first header's name and value when accepted */
	const char *hvalue;
};

static const struct line_case line_cases[] = {
	{ "plain", "Subject: hello\r\n", 0, NULL, "Subject", "hello" },
	{ "no space after colon", "Subject:hello\r\n", 0, NULL, "Subject", "hello" },
	{ "LWS around value", "Subject: \t hello world \t \r\n", 0, NULL, "Subject",
			"hello world" },
	{ "SP before colon", "Subject  : hello\r\n", 0, NULL, "Subject", "hello" },
	{ "HT before colon", "Subject\t: hello\r\n", 0, NULL, "Subject", "hello" },
	{ "empty value", "Subject:\r\n", 0, NULL, "Subject", "" },
	{ "only spaces", "Subject:   \r\n", 0, NULL, "Subject", "" },
	{ "colons in value", "Subject: a:b: c\r\n", 0, NULL, "Subject", "a:b: c" },
	{ "fold", "Subject: first\r\n second\r\n", 0, NULL, "Subject", "first\r\n second" },
	{ "folds on several lines", "Subject: first\r\n second\r\n\tthird\r\n   fourth\r\n", 0,
			NULL, "Subject", "first\r\n second\r\n\tthird\r\n   fourth" },
	{ "fold after an empty value", "Subject:\r\n  hello\r\n", 0, NULL, "Subject", "hello" },
	{ "fold with trailing LWS", "Subject: a  \r\n  b  \r\n", 0, NULL, "Subject",
			"a  \r\n  b" },
	{ "fold of only LWS", "Subject: a\r\n   \r\n", 0, NULL, "Subject", "a" },
	{ "bare LF fold", "Subject: a\n b\n", 0, NULL, "Subject", "a\n b" },
	{ "fold before any header", " Subject: a\r\n", -1, "Folded Line Without a Header", NULL,
			NULL },
	{ "tab fold before any header", "\tx\r\n", -1, "Folded Line Without a Header", NULL, NULL },
	{ "no colon", "Subject hello\r\n", -1, "Malformed Header Line", NULL, NULL },
	{ "empty name", ": hello\r\n", -1, "Malformed Header Line", NULL, NULL },
	{ "space in name", "Sub ject: hello\r\n", -1, "Malformed Header Line", NULL, NULL },
	{ "separator in name", "Subject;x: hello\r\n", -1, "Malformed Header Line", NULL, NULL },
	{ "non-token in name", "Sub@ject: hello\r\n", -1, "Malformed Header Line", NULL, NULL },
	{ "CR alone", "\r\r\n", -1, "Control Character in Header Name", NULL, NULL },
	{ "second line bad", "Subject: a\r\nbad line\r\n", -1, "Malformed Header Line", NULL,
			NULL },
};

static void
test_header_lines(void **state)
{
	int bad = 0;
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(line_cases); i++) {
		const struct line_case *c = &line_cases[i];
		char msg[512];
		struct tmsg t;
		int n = snprintf(msg, sizeof(msg), REQ "%s\r\n", c->headers);

		t_parse(&t, msg, (size_t)n, SIP_FRAME_DATAGRAM, NULL);
		bad += check_int(c->name, "rc", t.rc, c->rc);
		if (c->rc == 0) {
			const struct sip_hdr *h = &t.m.hdrs[0];

			bad += check_str(c->name, "name", h->name, c->hname);
			bad += check_str(c->name, "value", h->value, c->hvalue);
			/* The raw line(s) are the whole header section but the empty line. */
			bad += check_int(c->name, "raw_off", h->raw_off, strlen(REQ));
			bad += check_int(c->name, "raw_len", h->raw_len, strlen(c->headers));
			bad += check_int(c->name, "n_hdrs", t.m.n_hdrs, 1);
			bad += check_int(c->name, "body_off", t.m.body_off, n);
		} else {
			bad += check_int(c->name, "err.status", t.m.err.status, 400);
			bad += check_reason(c->name, t.m.err.reason, c->reason);
		}
		t_free(&t);
	}
	if (bad)
		fail_msg("%d mismatches", bad);
}

/* Repeated headers: each id has its own chain, in order, however they interleave. */
static void
test_header_chains(void **state)
{
	static const char msg[] = REQ "Via: SIP/2.0/UDP a.example.com\r\n"
				      "From: <sip:alice@example.com>\r\n"
				      "Via: SIP/2.0/UDP b.example.com\r\n"
				      "X-A: 1\r\n"
				      "v: SIP/2.0/UDP c.example.com\r\n"
				      "X-B: 2\r\n"
				      "VIA: SIP/2.0/UDP d.example.com,\r\n"
				      " SIP/2.0/UDP e.example.com\r\n"
				      "Record-Route: <sip:p1.example.com;lr>\r\n"
				      "\r\n";
	static const int via_idx[] = { 0, 2, 4, 6 };
	const struct sip_hdr *h;
	struct tmsg t;
	unsigned int k;

	(void)state;
	assert_int_equal(t_parse(&t, msg, sizeof(msg) - 1, SIP_FRAME_DATAGRAM, NULL), 0);
	assert_int_equal(t.m.n_hdrs, 8);
	assert_int_equal(sip_hdr_count(&t.m, SIP_H_VIA), 4);
	assert_int_equal(sip_hdr_count(&t.m, SIP_H_OTHER), 2);
	assert_int_equal(sip_hdr_count(&t.m, SIP_H_FROM), 1);
	assert_int_equal(sip_hdr_count(&t.m, SIP_H_RECORD_ROUTE), 1);
	assert_int_equal(sip_hdr_count(&t.m, SIP_H_TO), 0);
	assert_int_equal(sip_hdr_count(&t.m, SIP_H_CONTENT_LENGTH), 0);
	assert_null(sip_hdr_first(&t.m, SIP_H_TO));
	assert_int_equal(t.m.first[SIP_H_TO], -1);
	assert_int_equal(t.m.last[SIP_H_TO], -1);
	assert_int_equal(t.m.first[SIP_H_VIA], 0);
	assert_int_equal(t.m.last[SIP_H_VIA], 6);
	for (h = sip_hdr_first(&t.m, SIP_H_VIA), k = 0; h != NULL; h = sip_hdr_next(&t.m, h), k++) {
		assert_true(k < 4);
		assert_ptr_equal(h, &t.m.hdrs[via_idx[k]]);
		assert_int_equal(h->id, SIP_H_VIA);
	}
	assert_int_equal(k, 4);
	assert_true(str_is(t.m.hdrs[4].name, "v"));
	assert_true(str_is(t.m.hdrs[6].value,
			"SIP/2.0/UDP d.example.com,\r\n SIP/2.0/UDP e.example.com"));
	h = sip_hdr_first(&t.m, SIP_H_OTHER);
	assert_true(str_is(h->name, "X-A"));
	h = sip_hdr_next(&t.m, h);
	assert_true(str_is(h->name, "X-B"));
	assert_true(str_is(h->value, "2"));
	assert_null(sip_hdr_next(&t.m, h));
	/* Each line's raw slice starts where the previous one ended. */
	for (k = 1; k < t.m.n_hdrs; k++)
		assert_int_equal(t.m.hdrs[k].raw_off,
				t.m.hdrs[k - 1].raw_off + t.m.hdrs[k - 1].raw_len);
	assert_int_equal(t.m.hdr_end, sizeof(msg) - 3);
	assert_int_equal(t.m.body_off, sizeof(msg) - 1);
	assert_int_equal(t.m.content_length, -1);
	assert_int_equal(t.m.body.len, 0);
	t_free(&t);
}

/* ---- limits ----------------------------------------------------------------------------- */

static char *
make_headers(unsigned int n)
{
	size_t cap = strlen(REQ) + n * 16 + 3, off;
	char *s = malloc(cap);
	unsigned int i;

	if (s == NULL)
		abort();
	off = (size_t)snprintf(s, cap, REQ);
	for (i = 0; i < n; i++)
		off += (size_t)snprintf(s + off, cap - off, "X-H%u: %u\r\n", i, i);
	snprintf(s + off, cap - off, "\r\n");
	return s;
}

static void
test_limit_headers(void **state)
{
	struct sip_limits lim = sip_default_limits;
	struct tmsg t;
	char *s;

	(void)state;
	assert_int_equal(sip_default_limits.max_headers, SIP_MAX_HEADERS);
	assert_int_equal(sip_default_limits.max_msg, SIP_DEFAULT_MAX_MSG);
	assert_int_equal(sip_default_limits.max_line, SIP_DEFAULT_MAX_LINE);

	s = make_headers(SIP_MAX_HEADERS);
	assert_int_equal(t_parse(&t, s, strlen(s), SIP_FRAME_DATAGRAM, NULL), 0);
	assert_int_equal(t.m.n_hdrs, SIP_MAX_HEADERS);
	assert_int_equal(sip_hdr_count(&t.m, SIP_H_OTHER), SIP_MAX_HEADERS);
	t_free(&t);
	free(s);

	s = make_headers(SIP_MAX_HEADERS + 1);
	assert_int_equal(t_parse(&t, s, strlen(s), SIP_FRAME_DATAGRAM, NULL), -1);
	assert_int_equal(t.m.err.status, 400);
	assert_string_equal(t.m.err.reason, "Too Many Header Fields");
	t_free(&t);
	free(s);

	/* A configured limit below the array size. */
	lim.max_headers = 3;
	s = make_headers(3);
	assert_int_equal(t_parse(&t, s, strlen(s), SIP_FRAME_DATAGRAM, &lim), 0);
	t_free(&t);
	free(s);
	s = make_headers(4);
	assert_int_equal(t_parse(&t, s, strlen(s), SIP_FRAME_DATAGRAM, &lim), -1);
	assert_int_equal(t.m.err.status, 400);
	assert_string_equal(t.m.err.reason, "Too Many Header Fields");
	t_free(&t);
	free(s);

	/* Folded continuation lines are not header fields. */
	{
		static const char m[] = REQ "A: 1\r\n 2\r\n 3\r\nB: 1\r\nC: 1\r\n\r\n";

		assert_int_equal(t_parse(&t, m, sizeof(m) - 1, SIP_FRAME_DATAGRAM, &lim), 0);
		assert_int_equal(t.m.n_hdrs, 3);
		t_free(&t);
	}
}

static void
test_limit_lines(void **state)
{
	struct sip_limits lim = sip_default_limits;
	char msg[256];
	struct tmsg t;
	int n;

	(void)state;
	/* The start line "OPTIONS sip:example.com SIP/2.0" is 31 octets (line end excluded). */
	lim.max_line = 31;
	n = snprintf(msg, sizeof(msg), REQ "Subject: 0123456789012345678901\r\n\r\n");
	assert_int_equal(t_parse(&t, msg, (size_t)n, SIP_FRAME_DATAGRAM, &lim), 0);
	t_free(&t);
	n = snprintf(msg, sizeof(msg), REQ "Subject: 01234567890123456789012\r\n\r\n");
	assert_int_equal(t_parse(&t, msg, (size_t)n, SIP_FRAME_DATAGRAM, &lim), -1);
	assert_int_equal(t.m.err.status, 400);
	assert_string_equal(t.m.err.reason, "Header Line Too Long");
	t_free(&t);
	/* Each physical line of a folded header counts on its own. */
	n = snprintf(msg, sizeof(msg), REQ "Subject: 0123456789012345678901\r\n"
					   " 012345678901234567890123456789\r\n\r\n");
	assert_int_equal(t_parse(&t, msg, (size_t)n, SIP_FRAME_DATAGRAM, &lim), 0);
	t_free(&t);
	n = snprintf(msg, sizeof(msg),
			REQ "Subject: 0\r\n 0123456789012345678901234567890\r\n\r\n");
	assert_int_equal(t_parse(&t, msg, (size_t)n, SIP_FRAME_DATAGRAM, &lim), -1);
	assert_string_equal(t.m.err.reason, "Header Line Too Long");
	t_free(&t);

	lim.max_line = 30;
	n = snprintf(msg, sizeof(msg), REQ "\r\n");
	assert_int_equal(t_parse(&t, msg, (size_t)n, SIP_FRAME_DATAGRAM, &lim), -1);
	assert_int_equal(t.m.err.status, 400);
	assert_string_equal(t.m.err.reason, "Start Line Too Long");
	assert_int_equal(t.m.kind, SIP_KIND_REQUEST);
	t_free(&t);
	/* A response whose start line is too long is discarded, not answered. */
	n = snprintf(msg, sizeof(msg), "SIP/2.0 200 OK, with a long reason phrase\r\n\r\n");
	assert_int_equal(t_parse(&t, msg, (size_t)n, SIP_FRAME_DATAGRAM, &lim), -1);
	assert_int_equal(t.m.err.status, 0);
	assert_string_equal(t.m.err.reason, "Start Line Too Long");
	assert_int_equal(t.m.kind, SIP_KIND_RESPONSE);
	t_free(&t);
}

static void
test_limit_msg(void **state)
{
	struct sip_limits lim = sip_default_limits;
	static const char req[] = "\r\n" REQ "Content-Length: 5\r\n\r\nhello";
	static const char resp[] = RESP "Content-Length: 5\r\n\r\nhello";
	size_t rlen = sizeof(req) - 1 - 2; /* the leading CRLF is not part of the message */
	char *big;
	struct tmsg t;

	(void)state;
	lim.max_msg = (uint32_t)rlen;
	assert_int_equal(t_parse(&t, req, sizeof(req) - 1, SIP_FRAME_DATAGRAM, &lim), 0);
	assert_int_equal(t.m.len, rlen);
	t_free(&t);
	lim.max_msg = (uint32_t)rlen - 1;
	assert_int_equal(t_parse(&t, req, sizeof(req) - 1, SIP_FRAME_DATAGRAM, &lim), -1);
	assert_int_equal(t.m.err.status, 513);
	assert_string_equal(t.m.err.reason, "Message Too Large");
	assert_int_equal(t.m.kind, SIP_KIND_REQUEST);
	t_free(&t);
	/* An oversized response is discarded. */
	lim.max_msg = sizeof(resp) - 2;
	assert_int_equal(t_parse(&t, resp, sizeof(resp) - 1, SIP_FRAME_DATAGRAM, &lim), -1);
	assert_int_equal(t.m.err.status, 0);
	assert_string_equal(t.m.err.reason, "Message Too Large");
	assert_int_equal(t.m.kind, SIP_KIND_RESPONSE);
	t_free(&t);
	/* A declared Content-Length above the limit is not a number the parser takes. */
	{
		static const char m[] = REQ "Content-Length: 1000\r\n\r\nhello";

		lim.max_msg = 999;
		assert_int_equal(t_parse(&t, m, sizeof(m) - 1, SIP_FRAME_DATAGRAM, &lim), -1);
		assert_int_equal(t.m.err.status, 400);
		assert_string_equal(t.m.err.reason, "Invalid Content-Length");
		t_free(&t);
	}
	/* The default limit: 65535 octets. */
	big = malloc(SIP_DEFAULT_MAX_MSG + 1);
	assert_non_null(big);
	memset(big, 'a', SIP_DEFAULT_MAX_MSG + 1);
	memcpy(big, REQ "\r\n", strlen(REQ) + 2);
	assert_int_equal(t_parse(&t, big, SIP_DEFAULT_MAX_MSG, SIP_FRAME_DATAGRAM, NULL), 0);
	assert_int_equal(t.m.body.len, SIP_DEFAULT_MAX_MSG - strlen(REQ) - 2);
	t_free(&t);
	assert_int_equal(t_parse(&t, big, SIP_DEFAULT_MAX_MSG + 1, SIP_FRAME_DATAGRAM, NULL), -1);
	assert_int_equal(t.m.err.status, 513);
	t_free(&t);
	free(big);
}

/* ---- datagram framing ------------------------------------------------------------------- */

struct frame_case {
	const char *name;
	const char *msg;
	size_t len;          /* 0: strlen */
	uint16_t status;     /* 0 with reason NULL: success */
	const char *reason;
	int64_t cl;          /* content_length expected */
	const char *body;    /* expected body (NUL-free cases) */
	size_t body_len;
	size_t msg_len;      /* m.len expected, 0 to skip */
};

#define HEAD REQ "Call-ID: a@example.com\r\n"

static const struct frame_case frame_cases[] = {
	{ "CL bounds the body", HEAD "Content-Length: 5\r\n\r\nhello world", 0, 0, NULL, 5,
			"hello", 5, sizeof(HEAD "Content-Length: 5\r\n\r\nhello") - 1 },
	{ "CL exact", HEAD "Content-Length: 11\r\n\r\nhello world", 0, 0, NULL, 11, "hello world",
			11, sizeof(HEAD "Content-Length: 11\r\n\r\nhello world") - 1 },
	{ "CL 0 with extra octets", HEAD "Content-Length: 0\r\n\r\n\r\n\r\ngarbage", 0, 0, NULL, 0,
			"", 0, sizeof(HEAD "Content-Length: 0\r\n\r\n") - 1 },
	{ "compact l", HEAD "l: 3\r\n\r\nabcdef", 0, 0, NULL, 3, "abc", 3,
			sizeof(HEAD "l: 3\r\n\r\nabc") - 1 },
	{ "CL with leading zeros", HEAD "Content-Length: 003\r\n\r\nabcdef", 0, 0, NULL, 3, "abc",
			3, 0 },
	{ "CL with LWS", HEAD "Content-Length:   3  \r\n\r\nabcdef", 0, 0, NULL, 3, "abc", 3, 0 },
	{ "CL folded", HEAD "Content-Length:\r\n 3\r\n\r\nabcdef", 0, 0, NULL, 3, "abc", 3, 0 },
	{ "missing CL is the rest", HEAD "\r\nthe rest\r\n", 0, 0, NULL, -1, "the rest\r\n", 10,
			sizeof(HEAD "\r\nthe rest\r\n") - 1 },
	{ "missing CL no body", HEAD "\r\n", 0, 0, NULL, -1, "", 0, sizeof(HEAD "\r\n") - 1 },
	{ "NUL octets in the body", HEAD "Content-Length: 5\r\n\r\na\0b\0cXX",
			sizeof(HEAD "Content-Length: 5\r\n\r\na\0b\0cXX") - 1, 0, NULL, 5, "a\0b\0c", 5,
			sizeof(HEAD "Content-Length: 5\r\n\r\na\0b\0c") - 1 },
	{ "NUL octets without CL", HEAD "\r\n\0\0\0", sizeof(HEAD "\r\n\0\0\0") - 1, 0, NULL, -1,
			"\0\0\0", 3, 0 },
	{ "bare LF line ends", "OPTIONS sip:example.com SIP/2.0\nCall-ID: x\nl: 2\n\nabc", 0, 0,
			NULL, 2, "ab", 2, 0 },
	{ "CL larger than the datagram", HEAD "Content-Length: 12\r\n\r\nhello world", 0, 400,
			"Content-Length Larger Than Message", 12, "hello world", 11, 0 },
	{ "CL negative", HEAD "Content-Length: -1\r\n\r\nhello", 0, 400, "Invalid Content-Length",
			-1, NULL, 0, 0 },
	{ "CL plus sign", HEAD "Content-Length: +1\r\n\r\nhello", 0, 400, "Invalid Content-Length",
			-1, NULL, 0, 0 },
	{ "CL not a number", HEAD "Content-Length: five\r\n\r\nhello", 0, 400,
			"Invalid Content-Length", -1, NULL, 0, 0 },
	{ "CL trailing junk", HEAD "Content-Length: 5x\r\n\r\nhello", 0, 400,
			"Invalid Content-Length", -1, NULL, 0, 0 },
	{ "CL two numbers", HEAD "Content-Length: 5 5\r\n\r\nhello", 0, 400,
			"Invalid Content-Length", -1, NULL, 0, 0 },
	{ "CL empty", HEAD "Content-Length:\r\n\r\nhello", 0, 400, "Invalid Content-Length", -1,
			NULL, 0, 0 },
	{ "CL hex", HEAD "Content-Length: 0x5\r\n\r\nhello", 0, 400, "Invalid Content-Length", -1,
			NULL, 0, 0 },
	{ "CL huge", HEAD "Content-Length: 99999999999999999999999\r\n\r\nhello", 0, 400,
			"Invalid Content-Length", -1, NULL, 0, 0 },
	{ "CL repeated", HEAD "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello", 0, 400,
			"Multiple Content-Length Values", -1, NULL, 0, 0 },
	{ "CL repeated compact", HEAD "l: 5\r\nContent-Length: 5\r\n\r\nhello", 0, 400,
			"Multiple Content-Length Values", -1, NULL, 0, 0 },
	{ "headers not terminated", HEAD "Content-Length: 0\r\n", 0, 400,
			"Header Section Not Terminated", -1, NULL, 0, 0 },
	{ "last header without LF", HEAD "Content-Length: 0", 0, 400,
			"Header Section Not Terminated", -1, NULL, 0, 0 },
	{ "only a CR after the headers", HEAD "\r", 0, 400, "Header Section Not Terminated", -1,
			NULL, 0, 0 },
	{ "start line not terminated", "OPTIONS sip:example.com SIP/2.0", 0, 400,
			"Start Line Not Terminated", -1, NULL, 0, 0 },
	{ "one octet", "O", 0, 400, "Start Line Not Terminated", -1, NULL, 0, 0 },
	{ "three octets", "SIP", 0, 400, "Start Line Not Terminated", -1, NULL, 0, 0 },
	{ "start line only", REQ, 0, 400, "Header Section Not Terminated", -1, NULL, 0, 0 },
};

static void
test_datagram_framing(void **state)
{
	int bad = 0;
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(frame_cases); i++) {
		const struct frame_case *c = &frame_cases[i];
		size_t len = c->len ? c->len : strlen(c->msg);
		struct tmsg t;

		t_parse(&t, c->msg, len, SIP_FRAME_DATAGRAM, NULL);
		bad += check_int(c->name, "rc", t.rc, c->reason ? -1 : 0);
		bad += check_int(c->name, "err.status", t.m.err.status, c->status);
		bad += check_reason(c->name, t.m.err.reason, c->reason);
		if (c->reason == NULL || c->body != NULL) {
			bad += check_int(c->name, "content_length", t.m.content_length, c->cl);
			if (t.m.body.len != c->body_len || t.m.body.s == NULL ||
					memcmp(t.m.body.s, c->body, c->body_len) != 0) {
				print_error("%s: wrong body (%u octets)\n", c->name, t.m.body.len);
				bad++;
			}
			if (t.m.body.s != NULL)
				bad += check_int(c->name, "body.s", t.m.body.s - t.m.buf,
						t.m.body_off);
		}
		if (c->msg_len)
			bad += check_int(c->name, "len", t.m.len, (long long)c->msg_len);
		t_free(&t);
	}
	if (bad)
		fail_msg("%d mismatches", bad);
}

/* The stream framing of sip_parse needs a Content-Length; CL bounds the message. */
static void
test_parse_stream(void **state)
{
	static const char no_cl[] = HEAD "\r\nbody";
	static const char two[] = HEAD "Content-Length: 2\r\n\r\nabOPTIONS sip:x SIP/2.0\r\n";
	struct tmsg t;

	(void)state;
	assert_int_equal(t_parse(&t, no_cl, sizeof(no_cl) - 1, SIP_FRAME_STREAM, NULL), -1);
	assert_int_equal(t.m.err.status, 400);
	assert_string_equal(t.m.err.reason, "Missing Content-Length");
	t_free(&t);
	assert_int_equal(t_parse(&t, two, sizeof(two) - 1, SIP_FRAME_STREAM, NULL), 0);
	assert_int_equal(t.m.len, sizeof(HEAD "Content-Length: 2\r\n\r\nab") - 1);
	assert_true(str_is(t.m.body, "ab"));
	t_free(&t);
}

/* Leading CRLFs are skipped; a buffer of only CRLFs is a keep-alive, never answered. */
static void
test_keepalive(void **state)
{
	static const char *const ka[] = { "\r\n\r\n", "\r\n", "\n", "\r\n\r\n\r\n\r\n", "" };
	static const char lead[] = "\r\n\r\n" REQ "\r\n";
	struct tmsg t;
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(ka); i++) {
		assert_int_equal(t_parse(&t, ka[i], strlen(ka[i]), SIP_FRAME_DATAGRAM, NULL), -1);
		assert_int_equal(t.m.err.status, 0);
		assert_string_equal(t.m.err.reason, "Empty (Keep-Alive)");
		assert_int_equal(t.m.kind, SIP_KIND_NONE);
		t_free(&t);
	}
	assert_int_equal(t_parse(&t, lead, sizeof(lead) - 1, SIP_FRAME_DATAGRAM, NULL), 0);
	assert_ptr_equal(t.m.buf, t.copy + 4);
	assert_int_equal(t.m.len, sizeof(lead) - 1 - 4);
	assert_int_equal(t.m.body_off, strlen(REQ) + 2);
	assert_int_equal(t.m.method, SIP_M_OPTIONS);
	t_free(&t);
}

/* A bad response is discarded: err.status stays 0 whatever the problem. */
static const char *const bad_responses[] = {
	"SIP/2.0 200 OK\r\nVia x\r\n\r\n",
	"SIP/2.0 200 OK\r\n Via: x\r\n\r\n",
	"SIP/2.0 200 OK\r\nContent-Length: 9\r\n\r\nshort",
	"SIP/2.0 200 OK\r\nContent-Length: x\r\n\r\n",
	"SIP/2.0 200 OK\r\nl: 1\r\nl: 1\r\n\r\nx",
	"SIP/2.0 200 OK\r\nVia: x\r\n",
	"SIP/2.0 200 OK",
	"SIP/2.0 99 OK\r\n\r\n",
	"SIP/2.0 200OK\r\n\r\n",
	"SIP/1.0 200 OK\r\n\r\n",
	"sip/2.0 700 OK\r\n\r\n",
};

static void
test_responses_not_answered(void **state)
{
	struct sip_limits lim = sip_default_limits;
	int bad = 0;
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(bad_responses); i++) {
		struct tmsg t;

		t_parse(&t, bad_responses[i], strlen(bad_responses[i]), SIP_FRAME_DATAGRAM, NULL);
		if (t.rc != -1 || t.m.err.status != 0 || t.m.err.reason == NULL ||
				t.m.kind != SIP_KIND_RESPONSE) {
			print_error("response %zu: rc %d status %u reason %s kind %u\n", i, t.rc,
					t.m.err.status, t.m.err.reason ? t.m.err.reason : "(none)",
					t.m.kind);
			bad++;
		}
		t_free(&t);
	}
	/* Too many headers and too long a line in a response: discarded too. */
	lim.max_headers = 1;
	lim.max_line = 20;
	{
		static const char m1[] = "SIP/2.0 200 OK\r\nA: 1\r\nB: 2\r\n\r\n";
		static const char m2[] = "SIP/2.0 200 OK\r\nA: 123456789012345678901\r\n\r\n";
		struct tmsg t;

		t_parse(&t, m1, sizeof(m1) - 1, SIP_FRAME_DATAGRAM, &lim);
		bad += check_int("response, too many headers", "status", t.m.err.status, 0);
		bad += check_reason("response, too many headers", t.m.err.reason,
				"Too Many Header Fields");
		t_free(&t);
		t_parse(&t, m2, sizeof(m2) - 1, SIP_FRAME_DATAGRAM, &lim);
		bad += check_int("response, long line", "status", t.m.err.status, 0);
		bad += check_reason("response, long line", t.m.err.reason, "Header Line Too Long");
		t_free(&t);
	}
	if (bad)
		fail_msg("%d mismatches", bad);
}

/* ---- sip_frame_stream ------------------------------------------------------------------- */

struct stream_case {
	const char *name;
	const char *buf;
	size_t len; /* 0: strlen */
	uint32_t max_msg; /* 0: default */
	enum sip_frame_result res;
	size_t skip;
	size_t msg_len;
	uint16_t status;
	const char *reason;
};

#define MSG5  REQ "Content-Length: 5\r\n\r\nhello"
#define MSG5N (sizeof(MSG5) - 1)

static const struct stream_case stream_cases[] = {
	{ "complete", MSG5, 0, 0, SIP_FRAME_COMPLETE, 0, MSG5N, 0, NULL },
	{ "leading CRLFs", "\r\n\r\n" MSG5, 0, 0, SIP_FRAME_COMPLETE, 4, MSG5N, 0, NULL },
	{ "leading LFs", "\n\n\n" MSG5, 0, 0, SIP_FRAME_COMPLETE, 3, MSG5N, 0, NULL },
	{ "two messages", MSG5 MSG5, 0, 0, SIP_FRAME_COMPLETE, 0, MSG5N, 0, NULL },
	{ "message and a partial one", MSG5 "OPTIONS sip:", 0, 0, SIP_FRAME_COMPLETE, 0, MSG5N, 0,
			NULL },
	{ "CL 0", REQ "Content-Length: 0\r\n\r\n", 0, 0, SIP_FRAME_COMPLETE, 0,
			sizeof(REQ "Content-Length: 0\r\n\r\n") - 1, 0, NULL },
	{ "compact l", REQ "l: 2\r\n\r\nab", 0, 0, SIP_FRAME_COMPLETE, 0,
			sizeof(REQ "l: 2\r\n\r\nab") - 1, 0, NULL },
	{ "CL mixed case, WSP before colon", REQ "content-LENGTH \t: 2\r\n\r\nabcd", 0, 0,
			SIP_FRAME_COMPLETE, 0, sizeof(REQ "content-LENGTH \t: 2\r\n\r\nab") - 1, 0,
			NULL },
	{ "CL folded", REQ "Content-Length:\r\n 2\r\n\r\nab", 0, 0, SIP_FRAME_COMPLETE, 0,
			sizeof(REQ "Content-Length:\r\n 2\r\n\r\nab") - 1, 0, NULL },
	{ "CL among other headers", REQ "Via: x\r\nContent-Length: 1\r\nTo: y\r\n\r\nz", 0, 0,
			SIP_FRAME_COMPLETE, 0,
			sizeof(REQ "Via: x\r\nContent-Length: 1\r\nTo: y\r\n\r\nz") - 1, 0, NULL },
	{ "bare LF", "OPTIONS sip:example.com SIP/2.0\nl: 1\n\nx", 0, 0, SIP_FRAME_COMPLETE, 0,
			sizeof("OPTIONS sip:example.com SIP/2.0\nl: 1\n\nx") - 1, 0, NULL },
	{ "response", RESP "Content-Length: 0\r\n\r\n", 0, 0, SIP_FRAME_COMPLETE, 0,
			sizeof(RESP "Content-Length: 0\r\n\r\n") - 1, 0, NULL },
	{ "CL in the body does not count", REQ "l: 20\r\n\r\nContent-Length: 99\r\n", 0, 0,
			SIP_FRAME_COMPLETE, 0, sizeof(REQ "l: 20\r\n\r\nContent-Length: 99\r\n") - 1,
			0, NULL },
	{ "empty", "", 0, 0, SIP_FRAME_NEED_MORE, 0, 0, 0, NULL },
	{ "only CRLFs", "\r\n\r\n", 0, 0, SIP_FRAME_NEED_MORE, 4, 0, 0, NULL },
	{ "partial start line", "OPTIONS sip:exa", 0, 0, SIP_FRAME_NEED_MORE, 0, 0, 0, NULL },
	{ "partial headers", REQ "Content-Length: 5\r\n", 0, 0, SIP_FRAME_NEED_MORE, 0, 0, 0,
			NULL },
	{ "partial headers, CR", REQ "Content-Length: 5\r\n\r", 0, 0, SIP_FRAME_NEED_MORE, 0, 0, 0,
			NULL },
	{ "partial headers without CL yet", REQ "Via: x\r\n", 0, 0, SIP_FRAME_NEED_MORE, 0, 0, 0,
			NULL },
	{ "partial body", REQ "Content-Length: 5\r\n\r\nhell", 0, 0, SIP_FRAME_NEED_MORE, 0, 0, 0,
			NULL },
	{ "no body yet", REQ "Content-Length: 5\r\n\r\n", 0, 0, SIP_FRAME_NEED_MORE, 0, 0, 0,
			NULL },
	{ "missing CL", REQ "Via: x\r\n\r\nbody", 0, 0, SIP_FRAME_ERROR, 0, 0, 400,
			"Missing Content-Length" },
	{ "other header named like CL", REQ "X-Content-Length: 4\r\n\r\nbody", 0, 0,
			SIP_FRAME_ERROR, 0, 0, 400, "Missing Content-Length" },
	{ "CL not a number", REQ "Content-Length: four\r\n\r\nbody", 0, 0, SIP_FRAME_ERROR, 0, 0,
			400, "Invalid Content-Length" },
	{ "CL negative", REQ "Content-Length: -4\r\n\r\nbody", 0, 0, SIP_FRAME_ERROR, 0, 0, 400,
			"Invalid Content-Length" },
	{ "CL empty", REQ "Content-Length:\r\n\r\nbody", 0, 0, SIP_FRAME_ERROR, 0, 0, 400,
			"Invalid Content-Length" },
	{ "CL trailing junk", REQ "Content-Length: 4;x\r\n\r\nbody", 0, 0, SIP_FRAME_ERROR, 0, 0,
			400, "Invalid Content-Length" },
	{ "CL repeated", REQ "Content-Length: 4\r\nl: 4\r\n\r\nbody", 0, 0, SIP_FRAME_ERROR, 0, 0,
			400, "Multiple Content-Length Values" },
	{ "CL repeated, headers partial", REQ "Content-Length: 4\r\nContent-Length: 4\r\n", 0, 0,
			SIP_FRAME_ERROR, 0, 0, 400, "Multiple Content-Length Values" },
	{ "CL above max_msg", REQ "Content-Length: 65536\r\n\r\n", 0, 0, SIP_FRAME_ERROR, 0, 0,
			400, "Invalid Content-Length" },
	{ "headers plus CL above max_msg", MSG5, 0, MSG5N - 1, SIP_FRAME_ERROR, 0, 0, 513,
			"Message Too Large" },
	{ "headers plus CL at max_msg", MSG5, 0, MSG5N, SIP_FRAME_COMPLETE, 0, MSG5N, 0, NULL },
	{ "unterminated headers above max_msg", REQ "Via: x\r\nVia: y\r\n", 0, 40, SIP_FRAME_ERROR,
			0, 0, 513, "Message Too Large" },
	{ "unterminated headers at max_msg", REQ "Via: x\r\n", 0, sizeof(REQ "Via: x\r\n") - 1,
			SIP_FRAME_NEED_MORE, 0, 0, 0, NULL },
	{ "leading CRLFs not counted", "\r\n\r\n" REQ "Via: x\r\n", 0,
			sizeof(REQ "Via: x\r\n") - 1, SIP_FRAME_NEED_MORE, 4, 0, 0, NULL },
};

static void
test_frame_stream(void **state)
{
	int bad = 0;
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(stream_cases); i++) {
		const struct stream_case *c = &stream_cases[i];
		size_t len = c->len ? c->len : strlen(c->buf);
		struct sip_limits lim = sip_default_limits;
		char *copy = malloc(len ? len : 1);
		size_t skip = 999, msg_len = 999;
		struct sip_error err = { 999, "unset" };
		enum sip_frame_result r;

		assert_non_null(copy);
		memcpy(copy, c->buf, len);
		if (c->max_msg)
			lim.max_msg = c->max_msg;
		r = sip_frame_stream(copy, len, &lim, &skip, &msg_len, &err);
		bad += check_int(c->name, "result", r, c->res);
		bad += check_int(c->name, "skip", skip, c->skip);
		if (c->res == SIP_FRAME_COMPLETE) {
			struct tmsg t;

			bad += check_int(c->name, "msg_len", msg_len, c->msg_len);
			/* The framed octets parse as one stream message of that length. */
			t_parse(&t, copy + skip, msg_len, SIP_FRAME_STREAM, &lim);
			bad += check_int(c->name, "parse rc", t.rc, 0);
			bad += check_int(c->name, "parse len", t.m.len, msg_len);
			t_free(&t);
		}
		if (c->res == SIP_FRAME_ERROR) {
			bad += check_int(c->name, "err.status", err.status, c->status);
			bad += check_reason(c->name, err.reason, c->reason);
		}
		free(copy);
	}
	if (bad)
		fail_msg("%d mismatches", bad);
}

/* Growing a stream buffer octet by octet: NEED_MORE until the last one, then COMPLETE. */
static void
test_frame_stream_incremental(void **state)
{
	static const char msg[] = "\r\n" REQ "Via: SIP/2.0/TCP 192.0.2.1\r\n"
				  "Content-Length:\r\n 7\r\n\r\npayload";
	size_t n, skip, msg_len;
	struct sip_error err;

	(void)state;
	for (n = 0; n < sizeof(msg) - 1; n++) {
		char *copy = malloc(n ? n : 1);
		enum sip_frame_result r;

		assert_non_null(copy);
		memcpy(copy, msg, n);
		r = sip_frame_stream(copy, n, NULL, &skip, &msg_len, &err);
		free(copy);
		if (r != SIP_FRAME_NEED_MORE) {
			print_error("prefix of %zu octets: result %d\n", n, r);
			fail();
		}
	}
	assert_int_equal(sip_frame_stream(msg, sizeof(msg) - 1, NULL, &skip, &msg_len, &err),
			SIP_FRAME_COMPLETE);
	assert_int_equal(skip, 2);
	assert_int_equal(msg_len, sizeof(msg) - 1 - 2);
	assert_int_equal(err.status, 0);
}

/* Truncations of a message with folds and a body: no over-read, slices in bounds. */
static void
test_truncations(void **state)
{
	static const char msg[] = "\r\nINVITE sip:bob@example.com SIP/2.0\r\n" VIA
				  "Subject: a\r\n b\r\n"
				  "l: 4\r\n\r\nbody";
	size_t n, i;

	(void)state;
	for (n = 0; n <= sizeof(msg) - 1; n++) {
		struct tmsg t;

		if (t_parse(&t, msg, n, SIP_FRAME_DATAGRAM, NULL) == 0) {
			assert_true(t.m.len <= n);
			assert_true(t.m.body.s + t.m.body.len <= t.copy + n);
			for (i = 0; i < t.m.n_hdrs; i++)
				assert_true(t.m.hdrs[i].value.s + t.m.hdrs[i].value.len <= t.copy + n);
		}
		t_free(&t);
	}
}


/* ---- control octets --------------------------------------------------------------------- */

/* The rest of a request after its start line, enough to answer it (RFC 3261 8.2.6). */
#define ANSWERABLE VIA "From: <sip:alice@example.com>;tag=1\r\nTo: <sip:bob@example.com>\r\n" \
		       "Call-ID: c@example.com\r\nCSeq: 1 INVITE\r\n\r\n"
#define N_ANSWERABLE 5
#define INV "INVITE sip:bob@example.com SIP/2.0\r\n"
#define CTL_ERR SIP_ERR_CONTROL_CHAR

struct ctl_case {
	const char *name;
	const char *msg; /* may hold NUL octets: len gives its size */
	size_t len;
	uint16_t status;    /* err.status expected; with reason NULL: accepted */
	const char *reason; /* err.reason, NULL when accepted */
	uint8_t cause;      /* err.cause when refused */
	uint8_t kind;
	int n_hdrs;         /* headers indexed, -1: not checked */
	const char *value;  /* accepted: the first header's value (may hold NULs), or NULL */
	size_t value_len;
};

#define M(s) s, sizeof(s) - 1
#define REQ_BAD(name, s, why, n)                                                                   \
	{ name, M(s), 400, "Control Character in " why, CTL_ERR, SIP_KIND_REQUEST, n, NULL, 0 }
#define RESP_BAD(name, s, why)                                                                     \
	{ name, M(s), 0, "Control Character in " why, CTL_ERR, SIP_KIND_RESPONSE, -1, NULL, 0 }
#define HDR_BAD(name, h, why) REQ_BAD(name, INV h "\r\n\r\n", why, -1)
#define HDR_OK(name, h, v) { name, M(INV h "\r\n\r\n"), 0, NULL, 0, SIP_KIND_REQUEST, 1, M(v) }

static const struct ctl_case ctl_cases[] = {
	/* The start line of a request: every part, the headers still indexed for the 400. */
	REQ_BAD("NUL in method", "INV\0ITE sip:bob@example.com SIP/2.0\r\n" ANSWERABLE, "Method",
			N_ANSWERABLE),
	REQ_BAD("ESC before the method's SP", "INVITE\x1b sip:bob@example.com SIP/2.0\r\n"
			ANSWERABLE, "Method", N_ANSWERABLE),
	REQ_BAD("NUL first", "\0INVITE sip:bob@example.com SIP/2.0\r\n" ANSWERABLE, "Method",
			N_ANSWERABLE),
	REQ_BAD("NUL in Request-URI", "INVITE sip:bob\0@example.com SIP/2.0\r\n" ANSWERABLE,
			"Request-URI", N_ANSWERABLE),
	REQ_BAD("DEL in Request-URI", "INVITE sip:bob\x7f@example.com SIP/2.0\r\n" ANSWERABLE,
			"Request-URI", N_ANSWERABLE),
	REQ_BAD("bare CR in Request-URI", "INVITE sip:bob\r@example.com SIP/2.0\r\n" ANSWERABLE,
			"Request-URI", N_ANSWERABLE),
	REQ_BAD("NUL in a Request-URI without version", "INVITE sip:bob\0@example.com\r\n"
			ANSWERABLE, "Request-URI", N_ANSWERABLE),
	REQ_BAD("NUL in SIP-Version", "INVITE sip:bob@example.com SIP/2.0\0\r\n" ANSWERABLE,
			"SIP-Version", N_ANSWERABLE),
	REQ_BAD("SOH in SIP-Version", "INVITE sip:bob@example.com SIP/\x01" "2.0\r\n" ANSWERABLE,
			"SIP-Version", N_ANSWERABLE),
	REQ_BAD("bare CR ending the start line", "INVITE sip:bob@example.com SIP/2.0\r\r\n"
			ANSWERABLE, "SIP-Version", N_ANSWERABLE),
	/* HTAB is whitespace: refused in a Request-Line as such, not as a control. */
	{ "HTAB in Request-URI", M("INVITE sip:bob\t@example.com SIP/2.0\r\n" ANSWERABLE), 400,
			"Whitespace Inside Request-URI", SIP_ERR_OTHER, SIP_KIND_REQUEST,
			N_ANSWERABLE, NULL, 0 },
	{ "HTAB after the method", M("INVITE\tsip:bob@example.com SIP/2.0\r\n" ANSWERABLE), 400,
			"Malformed Request-Line", SIP_ERR_OTHER, SIP_KIND_REQUEST, N_ANSWERABLE,
			NULL, 0 },
	/* The first problem is the one reported: here the version, not the header. */
	{ "505 before a NUL in a header", M("INVITE sip:bob@example.com SIP/3.0\r\n"
			"Subject: a\0b\r\n\r\n"), 505, "Version Not Supported", SIP_ERR_OTHER,
			SIP_KIND_REQUEST, 0, NULL, 0 },

	/* Status lines: discarded (status 0), the cause still given. */
	RESP_BAD("NUL in reason phrase", "SIP/2.0 200 O\0K\r\n\r\n", "Reason-Phrase"),
	RESP_BAD("BEL in reason phrase", "SIP/2.0 180 Ringing\a\r\n\r\n", "Reason-Phrase"),
	RESP_BAD("bare CR in reason phrase", "SIP/2.0 200 O\rK\r\n\r\n", "Reason-Phrase"),
	RESP_BAD("SOH in status code", "SIP/2.0 2\x01" "0 OK\r\n\r\n", "Status-Code"),
	RESP_BAD("DEL in SIP-Version", "SIP/2.0\x7f 200 OK\r\n\r\n", "SIP-Version"),
	RESP_BAD("NUL in a response header", "SIP/2.0 200 OK\r\nX-A: \0\r\n\r\n",
			"Header Value"),
	{ "HTAB in reason phrase", M("SIP/2.0 200 O\tK\r\n\r\n"), 0, NULL, 0, SIP_KIND_RESPONSE,
			0, NULL, 0 },
	{ "UTF-8 in reason phrase", M("SIP/2.0 200 \xc3\x87" "a va\r\n\r\n"), 0, NULL, 0,
			SIP_KIND_RESPONSE, 0, NULL, 0 },

	/* Header names. */
	HDR_BAD("NUL in header name", "Sub\0ject: hello", "Header Name"),
	HDR_BAD("SOH starting a header line", "\x01Subject: hello", "Header Name"),
	HDR_BAD("DEL before the colon", "Subject\x7f: hello", "Header Name"),
	HDR_BAD("bare CR in header name", "Sub\rject: hello", "Header Name"),
	HDR_BAD("NUL in a line without colon", "Subject hello\0", "Header Name"),

	/* Header values, plain and folded. */
	HDR_BAD("NUL in header value", "Subject: hel\0lo", "Header Value"),
	HDR_BAD("NUL ending a header value", "Subject: hello\0", "Header Value"),
	HDR_BAD("DEL in header value", "Subject: hel\x7flo", "Header Value"),
	HDR_BAD("ESC in header value", "Subject: \x1b[31mred", "Header Value"),
	HDR_BAD("VT in header value", "Subject: a\vb", "Header Value"),
	HDR_BAD("FF in header value", "Subject: a\fb", "Header Value"),
	HDR_BAD("bare CR in header value", "Subject: a\rb", "Header Value"),
	HDR_BAD("CR CR LF", "Subject: a\r", "Header Value"),
	HDR_BAD("NUL in a folded line", "Subject: a\r\n b\0c", "Header Value"),
	HDR_BAD("bare CR in a folded line", "Subject: a\r\n\tb\rc", "Header Value"),
	HDR_BAD("NUL in the second header", "Subject: a\r\nX-B: b\0", "Header Value"),
	HDR_BAD("fold with NUL before any header", " \0", "Header Value"),
	HDR_BAD("NUL in a value after 40 clean octets",
			"Subject: 0123456789012345678901234567890123456789\0", "Header Value"),
	HDR_OK("HTAB in header value", "Subject: a\tb", "a\tb"),
	HDR_OK("HTAB in a folded line", "Subject: a\r\n\tb\tc", "a\r\n\tb\tc"),
	HDR_OK("UTF-8 in header value", "Subject: \xc3\xa9t\xc3\xa9 \xe2\x82\xac", "\xc3\xa9t\xc3\xa9 \xe2\x82\xac"),
	HDR_OK("C1 control as UTF-8", "Subject: a\xc2\x85z", "a\xc2\x85z"),

	/* quoted-pair (RFC 3261 25.1; RFC 4475 3.1.1.2): escaped controls in quoted-strings. */
	HDR_OK("escaped NUL in a display name", "To: \"a\\\0b\" <sip:bob@example.com>",
			"\"a\\\0b\" <sip:bob@example.com>"),
	HDR_OK("escaped BEL, NUL, DEL", "To: \"BEL:\\\a NUL:\\\0 DEL:\\\x7f\" <sip:b@example.com>",
			"\"BEL:\\\a NUL:\\\0 DEL:\\\x7f\" <sip:b@example.com>"),
	HDR_OK("escaped NUL in a gen-value", "Contact: <sip:b@example.com>;x=\"\\\0\"",
			"<sip:b@example.com>;x=\"\\\0\""),
	HDR_OK("escaped NUL in an unknown header's quoted-string", "X-A: \"\\\0\"", "\"\\\0\""),
	HDR_OK("quoted-string across a fold", "To: \"a\r\n b\\\0c\" <sip:b@example.com>",
			"\"a\r\n b\\\0c\" <sip:b@example.com>"),
	HDR_OK("escaped NUL in a User-Agent comment", "User-Agent: x/1 (a (b) \\\0)",
			"x/1 (a (b) \\\0)"),
	HDR_BAD("NUL in a quoted-string, not escaped", "To: \"a\0b\" <sip:bob@example.com>",
			"Header Value"),
	HDR_BAD("escaped NUL outside quotes", "To: a\\\0b <sip:bob@example.com>",
			"Header Value"),
	HDR_BAD("NUL after an escaped backslash", "To: \"a\\\\\0\" <sip:bob@example.com>",
			"Header Value"),
	HDR_BAD("escaped bare CR", "To: \"a\\\rb\" <sip:bob@example.com>", "Header Value"),
	HDR_BAD("escaped NUL after the closing quote", "To: \"a\" \\\0<sip:bob@example.com>",
			"Header Value"),
	HDR_BAD("a second control, bare", "To: \"\\\0\" \0<sip:bob@example.com>",
			"Header Value"),
	HDR_BAD("escaped NUL outside quotes on a fold",
			"To: \"a\" <sip:bob@example.com>\r\n ;p=\\\0", "Header Value"),
	HDR_BAD("escaped NUL on a fold after a walked line",
			"To: \"\\\0\" <sip:bob@example.com>\r\n ;p=\\\0", "Header Value"),
	HDR_BAD("escaped NUL after a comment closed", "User-Agent: x/1 (a) \\\0",
			"Header Value"),
	HDR_BAD("quoted-string in a header with comments only", "Server: \"\\\0\"",
			"Header Value"),
	HDR_OK("escaped NUL in a Retry-After comment", "Retry-After: 5 (\\\0)", "5 (\\\0)"),
	HDR_OK("escaped NUL in a Retry-After param", "Retry-After: 5;x=\"\\\0\"",
			"5;x=\"\\\0\""),
	HDR_BAD("comment in a header without comments", "To: (\\\0) <sip:bob@example.com>",
			"Header Value"),
	/* Grammars without quoted-strings: word (Call-ID), TEXT-UTF8-TRIM (Subject). */
	HDR_BAD("quoted escaped NUL in Call-ID", "Call-ID: \"\\\0\"@example.com", "Header Value"),
	HDR_BAD("quoted escaped NUL in Subject", "Subject: \"\\\0\"", "Header Value"),
	HDR_BAD("quoted escaped NUL in compact Subject", "s: \"\\\0\"", "Header Value"),
};

static void
test_control_chars(void **state)
{
	int bad = 0;
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(ctl_cases); i++) {
		const struct ctl_case *c = &ctl_cases[i];
		struct tmsg t;

		t_parse(&t, c->msg, c->len, SIP_FRAME_DATAGRAM, NULL);
		bad += check_int(c->name, "rc", t.rc, c->reason ? -1 : 0);
		bad += check_int(c->name, "kind", t.m.kind, c->kind);
		bad += check_reason(c->name, t.m.err.reason, c->reason);
		if (c->reason != NULL) {
			bad += check_int(c->name, "err.status", t.m.err.status, c->status);
			bad += check_int(c->name, "err.cause", t.m.err.cause, c->cause);
		} else {
			bad += check_int(c->name, "err.cause", t.m.err.cause, SIP_ERR_OTHER);
			bad += check_int(c->name, "len", t.m.len, (long long)c->len);
		}
		if (c->n_hdrs >= 0)
			bad += check_int(c->name, "n_hdrs", t.m.n_hdrs, c->n_hdrs);
		if (c->value != NULL && t.rc == 0) {
			/* The value may hold NUL octets: compared by length, not as a string. */
			const struct sip_hdr *h = &t.m.hdrs[0];

			if (h->value.len != c->value_len ||
					memcmp(h->value.s, c->value, c->value_len) != 0) {
				print_error("%s: value: %u octets \"%.*s\", expected %zu\n", c->name,
						h->value.len, (int)h->value.len, h->value.s,
						c->value_len);
				bad++;
			}
		}
		/* A request refused for a control octet can still be answered from its headers. */
		if (c->cause == CTL_ERR && c->n_hdrs == N_ANSWERABLE) {
			bad += check_int(c->name, "Call-ID", sip_hdr_count(&t.m, SIP_H_CALL_ID), 1);
			bad += check_int(c->name, "CSeq", sip_hdr_count(&t.m, SIP_H_CSEQ), 1);
		}
		t_free(&t);
	}
	if (bad)
		fail_msg("%d mismatches", bad);
	assert_string_equal(sip_err_cause_name(SIP_ERR_CONTROL_CHAR), "control_char");
	assert_string_equal(sip_err_cause_name(SIP_ERR_OTHER), "other");
	assert_null(sip_err_cause_name(SIP_ERR_MAX));
}

/*
 * A header refused for a control octet is left out of the index (with its folds); the
 * others are indexed wherever it stood, so that the 400 can be built from them, and
 * the answer never carries the control octet.
 */
struct answer_case {
	const char *name;
	const char *msg;
	size_t len;
	const char *reason;
	int n_hdrs;
	int n_via;
};

#define ANS(name, s, why, n, v) { name, M(s), "Control Character in " why, n, v }
#define FROM_TO "From: <sip:alice@example.com>;tag=1\r\nTo: <sip:bob@example.com>\r\n"
#define CID_CSEQ "Call-ID: c@example.com\r\nCSeq: 1 INVITE\r\n"

static const struct answer_case answer_cases[] = {
	ANS("before Via", INV "Subject: a\0\r\n" VIA FROM_TO CID_CSEQ "\r\n", "Header Value", 5, 1),
	ANS("name before Via", INV "X\0: a\r\n" VIA FROM_TO CID_CSEQ "\r\n", "Header Name", 5, 1),
	ANS("folds of the bad header skipped", INV "Subject: a\0\r\n b\r\n\tc\r\n" VIA FROM_TO
			CID_CSEQ "\r\n", "Header Value", 5, 1),
	ANS("bad fold drops its header", INV VIA "Via: SIP/2.0/UDP 192.0.2.2\r\n ;x=\0\r\n"
			FROM_TO CID_CSEQ "\r\n", "Header Value", 5, 1),
	ANS("bad fold of a first header", INV "Subject: a\r\n \0\r\n" VIA FROM_TO CID_CSEQ "\r\n",
			"Header Value", 5, 1),
	/* The first one is reported; every bad one is left out. */
	ANS("two bad headers", INV "X-A: \x7f\r\n" VIA "X-B\0: 1\r\n" FROM_TO CID_CSEQ "\r\n",
			"Header Value", 5, 1),
	ANS("bad after a bad start line", "INVITE sip:b\0@example.com SIP/2.0\r\n" VIA
			"X-A: \0\r\n" FROM_TO CID_CSEQ "\r\n", "Request-URI", 5, 1),
};

static void
test_control_chars_answered(void **state)
{
	int bad = 0;
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(answer_cases); i++) {
		const struct answer_case *c = &answer_cases[i];
		struct sip_reply r = { .status = 400 };
		char out[1024];
		struct tmsg t;
		int n;

		t_parse(&t, c->msg, c->len, SIP_FRAME_DATAGRAM, NULL);
		bad += check_int(c->name, "rc", t.rc, -1);
		bad += check_int(c->name, "err.status", t.m.err.status, 400);
		bad += check_int(c->name, "err.cause", t.m.err.cause, CTL_ERR);
		bad += check_reason(c->name, t.m.err.reason, c->reason);
		bad += check_int(c->name, "n_hdrs", t.m.n_hdrs, c->n_hdrs);
		bad += check_int(c->name, "Via", sip_hdr_count(&t.m, SIP_H_VIA), c->n_via);
		bad += check_int(c->name, "other", sip_hdr_count(&t.m, SIP_H_OTHER), 0);
		r.reason = t.m.err.reason;
		n = sip_make_response(&t.m, &r, out, sizeof(out));
		if (n <= 0 || memchr(out, '\0', (size_t)n) != NULL || memchr(out, 0x7f, (size_t)n)) {
			print_error("%s: no clean answer (%d)\n", c->name, n);
			bad++;
		} else if (memcmp(out, "SIP/2.0 400 ", 12) != 0 ||
				memmem(out, (size_t)n, c->reason, strlen(c->reason)) == NULL) {
			print_error("%s: answer: %.*s\n", c->name, n, out);
			bad++;
		}
		t_free(&t);
	}
	if (bad)
		fail_msg("%d mismatches", bad);
}

/*
 * Every octet value, at every offset of a 40-octet run (each lane of the 16-octet scan
 * and the octet-by-octet tail): in a header value only the controls but HTAB are
 * refused; in the Request-URI HTAB is refused as whitespace; LF, a line end, is left out.
 */
static void
test_control_octets_everywhere(void **state)
{
	static const char run[] = "0123456789012345678901234567890123456789";
	int bad = 0;
	unsigned int c, off;

	(void)state;
	for (c = 0; c < 256; c++) {
		bool ctl = c < 0x20 || c == 0x7f;

		if (c == '\n')
			continue;
		for (off = 0; off < sizeof(run) - 1; off++) {
			char msg[256], name[64];
			struct tmsg t;
			int n;

			/* In a header value, the value being the last octets of the message. */
			n = snprintf(msg, sizeof(msg), INV "Subject: %s\r\n\r\n", run);
			msg[strlen(INV) + 9 + off] = (char)c;
			snprintf(name, sizeof(name), "value octet 0x%02x at %u", c, off);
			t_parse(&t, msg, (size_t)n, SIP_FRAME_DATAGRAM, NULL);
			bad += check_int(name, "rc", t.rc, ctl && c != '\t' ? -1 : 0);
			if (ctl && c != '\t') {
				bad += check_int(name, "cause", t.m.err.cause, CTL_ERR);
				bad += check_reason(name, t.m.err.reason,
						"Control Character in Header Value");
			}
			t_free(&t);

			/* In the Request-URI. */
			n = snprintf(msg, sizeof(msg), "INVITE sip:%s@example.com SIP/2.0\r\n\r\n", run);
			msg[11 + off] = (char)c;
			snprintf(name, sizeof(name), "R-URI octet 0x%02x at %u", c, off);
			t_parse(&t, msg, (size_t)n, SIP_FRAME_DATAGRAM, NULL);
			if (ctl && c != '\t') {
				bad += check_int(name, "cause", t.m.err.cause, CTL_ERR);
				bad += check_reason(name, t.m.err.reason,
						"Control Character in Request-URI");
			} else if (c == ' ' || c == '\t') {
				bad += check_reason(name, t.m.err.reason,
						"Whitespace Inside Request-URI");
			} else {
				bad += check_int(name, "rc", t.rc, 0);
			}
			t_free(&t);
		}
	}
	if (bad)
		fail_msg("%d mismatches", bad);
}

/* sip_scan_ctl against its table, at every alignment and length, on random octets. */
static void
test_scan_ctl(void **state)
{
	uint64_t seed = 0x5eed0c71;
	unsigned int round;
	int bad = 0;

	(void)state;
	for (round = 0; round < 20000; round++) {
		size_t len = test_prng_next(&seed) % 80, i, exp;
		char *buf = malloc(len ? len : 1);
		/* Mostly text, sometimes a control: runs of every length before one. */
		unsigned int rate = (unsigned int)(test_prng_next(&seed) % 64) + 1;

		assert_non_null(buf);
		for (i = 0; i < len; i++) {
			uint64_t r = test_prng_next(&seed) >> 32;

			buf[i] = (char)(r % rate == 0 ? (uint8_t)(r >> 8) : 0x20 + (r >> 8) % 0x5f);
		}
		for (exp = 0; exp < len && sip_c_noctl[(uint8_t)buf[exp]]; exp++)
			;
		if (sip_scan_ctl(buf, buf + len) != buf + exp) {
			print_error("round %u: length %zu: %td, expected %zu\n", round, len,
					sip_scan_ctl(buf, buf + len) - buf, exp);
			bad++;
		}
		free(buf);
	}
	/* The table itself: exactly 0x00-0x1f and 0x7f are controls. */
	for (round = 0; round < 256; round++)
		bad += check_int("sip_c_noctl", "entry", sip_c_noctl[round],
				!(round < 0x20 || round == 0x7f));
	if (bad)
		fail_msg("%d mismatches", bad);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start_lines),
		cmocka_unit_test(test_bad_start_line_keeps_headers),
		cmocka_unit_test(test_header_names),
		cmocka_unit_test(test_method_names),
		cmocka_unit_test(test_header_lines),
		cmocka_unit_test(test_header_chains),
		cmocka_unit_test(test_limit_headers),
		cmocka_unit_test(test_limit_lines),
		cmocka_unit_test(test_limit_msg),
		cmocka_unit_test(test_datagram_framing),
		cmocka_unit_test(test_parse_stream),
		cmocka_unit_test(test_keepalive),
		cmocka_unit_test(test_responses_not_answered),
		cmocka_unit_test(test_frame_stream),
		cmocka_unit_test(test_frame_stream_incremental),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_control_chars),
		cmocka_unit_test(test_control_chars_answered),
		cmocka_unit_test(test_control_octets_everywhere),
		cmocka_unit_test(test_scan_ctl),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
