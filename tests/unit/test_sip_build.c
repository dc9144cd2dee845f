/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_sip_build.c - writing SIP messages (sip_build.h): the sip_out_* steps, with
 * Content-Length always written from the body; and sip_rebuild, whose output must parse
 * back to the same message (round trips on several layouts) or to exactly the edited one
 * (outputs compared byte for byte). Too-small buffers are refused without a write past
 * their end.
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

#include "sip_build.h"
#include "sip_msg.h"

#define S(lit)    ((struct sip_str){ lit, sizeof(lit) - 1 })
#define GUARD     64

static bool
str_same(struct sip_str a, struct sip_str b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.s, b.s, a.len) == 0);
}

/* Prints both texts when they differ. */
static void
assert_text(const char *what, const char *got, int n, const char *exp, size_t exp_len)
{
	if (n != (int)exp_len || memcmp(got, exp, exp_len) != 0) {
		print_error("%s: expected (%zu octets):\n%.*s\n-- got (%d):\n%.*s\n", what, exp_len,
				(int)exp_len, exp, n, n > 0 ? n : 0, got);
		fail();
	}
}

struct tmsg {
	struct sip_msg m;
	char *copy;
};

/* Parses an exact-size heap copy of [s, s + len) as a datagram; must succeed. */
static void
t_parse(struct tmsg *t, const char *what, const char *s, size_t len)
{
	t->copy = malloc(len ? len : 1);
	assert_non_null(t->copy);
	memcpy(t->copy, s, len);
	if (sip_parse(&t->m, t->copy, len, SIP_FRAME_DATAGRAM, NULL) != 0) {
		print_error("%s: refused: %s\n%.*s\n", what, t->m.err.reason, (int)len, s);
		fail();
	}
}

static void
t_free(struct tmsg *t)
{
	free(t->copy);
}

/* ---- sip_out_* ------------------------------------------------------------------------------ */

static void
test_out_request(void **state)
{
	static const char exp[] = "INVITE sip:bob@example.com SIP/2.0\r\n"
				  "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\n"
				  "Call-ID: a@example.com\r\n"
				  "Content-Length: 5\r\n\r\nhello";
	char buf[256];
	struct sip_out o;
	struct tmsg t;
	int n;

	(void)state;
	sip_out_init(&o, buf, sizeof(buf));
	sip_out_request_line(&o, S("INVITE"), S("sip:bob@example.com"));
	sip_out_header(&o, S("Via"), S("SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1"));
	sip_out_header(&o, S("Call-ID"), S("a@example.com"));
	n = sip_out_finish(&o, S("hello"));
	assert_text("request", buf, n, exp, sizeof(exp) - 1);
	assert_false(o.overflow);

	t_parse(&t, "request", buf, (size_t)n);
	assert_int_equal(t.m.method, SIP_M_INVITE);
	assert_int_equal(t.m.content_length, 5);
	assert_true(str_is(t.m.body, "hello"));
	t_free(&t);
}

static void
test_out_status(void **state)
{
	static const struct {
		unsigned int code;
		const char *reason;
		const char *exp;
	} cases[] = {
		{ 200, "OK", "SIP/2.0 200 OK\r\n" },
		{ 100, "Trying", "SIP/2.0 100 Trying\r\n" },
		{ 486, "Busy Here", "SIP/2.0 486 Busy Here\r\n" },
		{ 699, "", "SIP/2.0 699 \r\n" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(cases); i++) {
		char buf[128];
		struct sip_out o;
		struct tmsg t;
		size_t l = strlen(cases[i].exp);
		int n;

		sip_out_init(&o, buf, sizeof(buf));
		sip_out_status_line(&o, cases[i].code,
				(struct sip_str){ cases[i].reason, (uint32_t)strlen(cases[i].reason) });
		assert_int_equal(o.p - o.start, l);
		assert_memory_equal(buf, cases[i].exp, l);
		n = sip_out_finish(&o, S(""));
		assert_text(cases[i].exp, buf + l, n - (int)l, "Content-Length: 0\r\n\r\n", 21);
		t_parse(&t, cases[i].exp, buf, (size_t)n);
		assert_int_equal(t.m.status, cases[i].code);
		assert_true(str_is(t.m.reason, cases[i].reason));
		assert_int_equal(t.m.content_length, 0);
		t_free(&t);
	}
}

/* Content-Length is written from the body, whatever its size and content. */
static void
test_out_content_length(void **state)
{
	static const size_t sizes[] = { 0, 1, 9, 10, 99, 100, 1000, 4096 };
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(sizes); i++) {
		char *body = malloc(sizes[i] + 1), buf[8192], exp[64];
		struct sip_out o;
		struct tmsg t;
		int n, e;

		assert_non_null(body);
		memset(body, 'x', sizes[i]);
		if (sizes[i] > 2)
			body[1] = '\0'; /* NUL octets are body octets like any other */
		sip_out_init(&o, buf, sizeof(buf));
		sip_out_request_line(&o, S("MESSAGE"), S("sip:bob@example.com"));
		n = sip_out_finish(&o, (struct sip_str){ body, (uint32_t)sizes[i] });
		e = snprintf(exp, sizeof(exp),
				"MESSAGE sip:bob@example.com SIP/2.0\r\nContent-Length: %zu\r\n\r\n",
				sizes[i]);
		assert_int_equal(n, e + (int)sizes[i]);
		assert_memory_equal(buf, exp, (size_t)e);
		t_parse(&t, "body", buf, (size_t)n);
		assert_int_equal(t.m.content_length, sizes[i]);
		assert_int_equal(t.m.body.len, sizes[i]);
		if (sizes[i])
			assert_memory_equal(t.m.body.s, body, sizes[i]);
		t_free(&t);
		free(body);
	}
}

/* Copied headers keep their folds and compact names; a bare LF gets its CR back. */
static void
test_out_copy_header(void **state)
{
	static const char in[] = "OPTIONS sip:example.com SIP/2.0\r\n"
				 "v: SIP/2.0/UDP a.example.com,\r\n SIP/2.0/UDP b.example.com\r\n"
				 "Subject: bare\n"
				 "X-Fold: a\r\n\tb\n"
				 "\r\n";
	static const char exp[] = "SIP/2.0 200 OK\r\n"
				  "v: SIP/2.0/UDP a.example.com,\r\n SIP/2.0/UDP b.example.com\r\n"
				  "Subject: bare\r\n"
				  "X-Fold: a\r\n\tb\r\n"
				  "Content-Length: 0\r\n\r\n";
	char buf[512];
	struct sip_out o;
	struct tmsg t;
	unsigned int i;
	int n;

	(void)state;
	t_parse(&t, "copy", in, sizeof(in) - 1);
	assert_int_equal(t.m.n_hdrs, 3);
	sip_out_init(&o, buf, sizeof(buf));
	sip_out_status_line(&o, 200, S("OK"));
	for (i = 0; i < t.m.n_hdrs; i++)
		sip_out_copy_header(&o, &t.m, &t.m.hdrs[i]);
	n = sip_out_finish(&o, S(""));
	assert_text("copied headers", buf, n, exp, sizeof(exp) - 1);
	t_free(&t);
}

/* Overflow: reported once, at the end; nothing is written past the buffer. */
static void
test_out_overflow(void **state)
{
	char buf[16 + GUARD];
	struct sip_out o;
	size_t k;

	(void)state;
	memset(buf, 0x5a, sizeof(buf));
	sip_out_init(&o, buf, 16);
	sip_out_request_line(&o, S("INVITE"), S("sip:bob@example.com"));
	assert_true(o.overflow);
	/* "INVITE " fitted; nothing after the first refusal, even what would fit. */
	assert_int_equal(o.p - o.start, 7);
	sip_out_raw(&o, "ab", 2);
	assert_int_equal(o.p - o.start, 7);
	assert_int_equal(sip_out_finish(&o, S("body")), -1);
	for (k = 16; k < sizeof(buf); k++)
		assert_int_equal((uint8_t)buf[k], 0x5a);
	assert_memory_equal(buf, "INVITE ", 7);

	/* Exactly full is not an overflow. */
	sip_out_init(&o, buf, 4);
	sip_out_raw(&o, "abcd", 4);
	assert_false(o.overflow);
	sip_out_raw(&o, "", 0);
	assert_false(o.overflow);
	sip_out_raw(&o, "e", 1);
	assert_true(o.overflow);

	/* A zero-sized buffer. */
	sip_out_init(&o, buf, 0);
	sip_out_header(&o, S("A"), S("b"));
	assert_int_equal(sip_out_finish(&o, SIP_STR_NULL), -1);
}

/* ---- sip_rebuild: round trips ---------------------------------------------------------- */

struct rt_case {
	const char *name;
	const char *msg;
	size_t len; /* 0: strlen */
};

static const struct rt_case rt_cases[] = {
	{ "invite with sdp",
			"INVITE sip:bob@example.com SIP/2.0\r\n"
			"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK74bf9\r\n"
			"Max-Forwards: 70\r\n"
			"From: Alice <sip:alice@example.com>;tag=9fxced76sl\r\n"
			"To: Bob <sip:bob@example.com>\r\n"
			"Call-ID: 3848276298220188511@192.0.2.1\r\n"
			"CSeq: 1 INVITE\r\n"
			"Contact: <sip:alice@192.0.2.1>\r\n"
			"Content-Type: application/sdp\r\n"
			"Content-Length: 31\r\n"
			"\r\n"
			"v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n",
			0 },
	{ "compact names and folds",
			"OPTIONS sip:example.com SIP/2.0\r\n"
			"v: SIP/2.0/UDP a.example.com;branch=z9hG4bK1,\r\n"
			"   SIP/2.0/TCP b.example.com;branch=z9hG4bK2\r\n"
			"f: <sip:alice@example.com>;tag=1\r\n"
			"t: <sip:bob@example.com>\r\n"
			"i: x@example.com\r\n"
			"CSeq: 2\r\n\tOPTIONS\r\n"
			"Subject: a folded\r\n subject\r\n\t on three lines\r\n"
			"k: timer\r\n"
			"l: 0\r\n"
			"X-Unknown:   spaced value  \r\n"
			"\r\n",
			0 },
	{ "response with bare LF and no Content-Length",
			"SIP/2.0 180 Ringing\n"
			"Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\n"
			"To: <sip:bob@example.com>;tag=2\n"
			"Empty:\n"
			"\n"
			"some body\r\nwith two lines",
			0 },
	{ "datagram with extra octets",
			"MESSAGE sip:bob@example.com SIP/2.0\r\n"
			"Content-Length: 2\r\n"
			"Call-ID: y\r\n"
			"\r\n"
			"hi and the rest is ignored",
			0 },
	{ "no headers at all", "OPTIONS sip:example.com SIP/2.0\r\n\r\n", 0 },
	{ "leading CRLF and NUL in body",
			"\r\n\r\nINFO sip:bob@example.com SIP/2.0\r\nl: 3\r\n\r\na\0b",
			sizeof("\r\n\r\nINFO sip:bob@example.com SIP/2.0\r\nl: 3\r\n\r\na\0b") - 1 },
};

/* Header lines of m but Content-Length, in order. */
static unsigned int
non_cl(const struct sip_msg *m, const struct sip_hdr **out)
{
	unsigned int i, n = 0;

	for (i = 0; i < m->n_hdrs; i++)
		if (m->hdrs[i].id != SIP_H_CONTENT_LENGTH)
			out[n++] = &m->hdrs[i];
	return n;
}

static void
test_rebuild_round_trip(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(rt_cases); i++) {
		const struct rt_case *c = &rt_cases[i];
		const struct sip_hdr *h1[SIP_MAX_HEADERS], *h2[SIP_MAX_HEADERS];
		struct sip_rebuild rb = { 0 };
		struct tmsg a, b;
		unsigned int n1, n2, k;
		char buf[2048];
		int n;

		t_parse(&a, c->name, c->msg, c->len ? c->len : strlen(c->msg));
		n = sip_rebuild(&a.m, &rb, buf, sizeof(buf));
		if (n < 0) {
			print_error("%s: rebuild failed\n", c->name);
			fail();
		}
		t_parse(&b, c->name, buf, (size_t)n);
		/* The whole output is one message, with one right Content-Length. */
		assert_int_equal(b.m.len, n);
		assert_int_equal(sip_hdr_count(&b.m, SIP_H_CONTENT_LENGTH), 1);
		assert_int_equal(b.m.content_length, a.m.body.len);
		assert_true(str_same(a.m.body, b.m.body));
		/* The same start line. */
		assert_int_equal(a.m.kind, b.m.kind);
		assert_true(str_same(a.m.method_str, b.m.method_str));
		assert_true(str_same(a.m.ruri, b.m.ruri));
		assert_true(str_same(a.m.version, b.m.version));
		assert_int_equal(a.m.status, b.m.status);
		assert_true(str_same(a.m.reason, b.m.reason));
		/* The same headers, in order, but Content-Length (written last). */
		n1 = non_cl(&a.m, h1);
		n2 = non_cl(&b.m, h2);
		assert_int_equal(n1, n2);
		for (k = 0; k < n1; k++) {
			if (!str_same(h1[k]->name, h2[k]->name) ||
					!str_same(h1[k]->value, h2[k]->value) ||
					h1[k]->id != h2[k]->id) {
				print_error("%s: header %u differs: %.*s: %.*s\n", c->name, k,
						(int)h2[k]->name.len, h2[k]->name.s,
						(int)h2[k]->value.len, h2[k]->value.s);
				fail();
			}
		}
		assert_int_equal(b.m.hdrs[b.m.n_hdrs - 1].id, SIP_H_CONTENT_LENGTH);
		/* Every line of the head ends in CRLF. */
		for (k = 0; k < b.m.body_off; k++)
			if (buf[k] == '\n' && (k == 0 || buf[k - 1] != '\r')) {
				print_error("%s: bare LF at %u\n", c->name, k);
				fail();
			}
		/* Rebuilding the rebuilt message changes nothing. */
		{
			char buf2[2048];
			int n3 = sip_rebuild(&b.m, &rb, buf2, sizeof(buf2));

			assert_text(c->name, buf2, n3, buf, (size_t)n);
		}
		t_free(&b);
		t_free(&a);
	}
}

/* The exact bytes of a rebuild without edits: lines copied, Content-Length moved last. */
static void
test_rebuild_exact(void **state)
{
	static const char in[] = "INVITE sip:bob@example.com SIP/2.0\n"
				 "Via: a\r\n"
				 "Content-Length: 4\r\n"
				 "X:y\n"
				 "Subject: s\r\n"
				 "\n"
				 "bodyEXTRA";
	static const char exp[] = "INVITE sip:bob@example.com SIP/2.0\r\n"
				  "Via: a\r\n"
				  "X:y\r\n"
				  "Subject: s\r\n"
				  "Content-Length: 4\r\n"
				  "\r\n"
				  "body";
	struct sip_rebuild rb = { 0 };
	char buf[256];
	struct tmsg t;
	int n;

	(void)state;
	t_parse(&t, "exact", in, sizeof(in) - 1);
	n = sip_rebuild(&t.m, &rb, buf, sizeof(buf));
	assert_text("exact", buf, n, exp, sizeof(exp) - 1);
	t_free(&t);
}

/* ---- sip_rebuild: edits -------------------------------------------------------------------- */

#define B_START "INVITE sip:bob@example.com SIP/2.0\r\n"
#define B_VIA1  "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\r\n"
#define B_VIA2  "v: SIP/2.0/UDP b.example.com;branch=z9hG4bK2\r\n"
#define B_MF    "Max-Forwards: 70\r\n"
#define B_TO    "To: <sip:bob@example.com>\r\n"
#define B_FROM  "From: <sip:alice@example.com>;tag=1\r\n"
#define B_XS1   "X-Secret: s1\r\n"
#define B_CID   "Call-ID: x@example.com\r\n"
#define B_XS2   "x-secret: s2\r\n"
#define B_CSEQ  "CSeq: 1 INVITE\r\n"
#define B_END   "Content-Length: 4\r\n\r\n"
#define B_BODY  "body"

static const char base[] = B_START B_VIA1 B_VIA2 B_MF B_TO B_FROM B_XS1 B_CID B_XS2 B_CSEQ
		B_END B_BODY;

#define CL4 "Content-Length: 4\r\n\r\nbody"

/* An edit by id (the id's long name is written) or by name (written as given). */
#define EI(op, id, value)                                                                          \
	{ SIP_EDIT_##op, SIP_H_##id, { NULL, 0 }, { value, sizeof(value) - 1 } }
#define EN(op, id, name, value)                                                                    \
	{ SIP_EDIT_##op, SIP_H_##id, { name, sizeof(name) - 1 }, { value, sizeof(value) - 1 } }

struct edit_case {
	const char *name;
	struct sip_edit edits[4];
	unsigned int n;
	const char *exp;
};

static const struct edit_case edit_cases[] = {
	{ "remove by id", { EI(REMOVE, VIA, "") }, 1,
			B_START B_MF B_TO B_FROM B_XS1 B_CID B_XS2 B_CSEQ CL4 },
	{ "remove by name, any case", { EN(REMOVE, OTHER, "X-SECRET", "") }, 1,
			B_START B_VIA1 B_VIA2 B_MF B_TO B_FROM B_CID B_CSEQ CL4 },
	{ "remove by name needs the whole name", { EN(REMOVE, OTHER, "X-Secre", "") }, 1,
			B_START B_VIA1 B_VIA2 B_MF B_TO B_FROM B_XS1 B_CID B_XS2 B_CSEQ CL4 },
	{ "remove absent", { EI(REMOVE, ROUTE, "") }, 1,
			B_START B_VIA1 B_VIA2 B_MF B_TO B_FROM B_XS1 B_CID B_XS2 B_CSEQ CL4 },
	{ "replace by id", { EI(REPLACE, MAX_FORWARDS, "69") }, 1,
			B_START B_VIA1 B_VIA2 "Max-Forwards: 69\r\n" B_TO B_FROM B_XS1 B_CID B_XS2
					B_CSEQ CL4 },
	{ "replace several lines", { EI(REPLACE, VIA, "SIP/2.0/UDP sbc.example.com") }, 1,
			B_START "Via: SIP/2.0/UDP sbc.example.com\r\n" B_MF B_TO B_FROM B_XS1 B_CID
					B_XS2 B_CSEQ CL4 },
	{ "replace by name", { EN(REPLACE, OTHER, "x-SECRET", "redacted") }, 1,
			B_START B_VIA1 B_VIA2 B_MF B_TO B_FROM "x-SECRET: redacted\r\n" B_CID B_CSEQ
					CL4 },
	{ "replace with another name", { EN(REPLACE, VIA, "v", "SIP/2.0/TCP c.example.com") }, 1,
			B_START "v: SIP/2.0/TCP c.example.com\r\n" B_MF B_TO B_FROM B_XS1 B_CID B_XS2
					B_CSEQ CL4 },
	{ "insert first", { EI(INSERT_FIRST, VIA, "SIP/2.0/UDP sbc.example.com;branch=z9hG4bKs") },
			1,
			B_START "Via: SIP/2.0/UDP sbc.example.com;branch=z9hG4bKs\r\n" B_VIA1 B_VIA2
					B_MF B_TO B_FROM B_XS1 B_CID B_XS2 B_CSEQ CL4 },
	{ "insert first by name", { EN(INSERT_FIRST, OTHER, "X-Secret", "s0") }, 1,
			B_START B_VIA1 B_VIA2 B_MF B_TO B_FROM "X-Secret: s0\r\n" B_XS1 B_CID B_XS2
					B_CSEQ CL4 },
	{ "insert first, absent: at the top", { EI(INSERT_FIRST, ROUTE, "<sip:p.example.com;lr>") },
			1,
			B_START "Route: <sip:p.example.com;lr>\r\n" B_VIA1 B_VIA2 B_MF B_TO B_FROM
					B_XS1 B_CID B_XS2 B_CSEQ CL4 },
	{ "append", { EI(APPEND, RECORD_ROUTE, "<sip:sbc.example.com;lr>") }, 1,
			B_START B_VIA1 B_VIA2 B_MF B_TO B_FROM B_XS1 B_CID B_XS2 B_CSEQ
			"Record-Route: <sip:sbc.example.com;lr>\r\n" CL4 },
	{ "append present", { EI(APPEND, VIA, "SIP/2.0/UDP z.example.com") }, 1,
			B_START B_VIA1 B_VIA2 B_MF B_TO B_FROM B_XS1 B_CID B_XS2 B_CSEQ
			"Via: SIP/2.0/UDP z.example.com\r\n" CL4 },
	{ "append by name", { EN(APPEND, OTHER, "X-New", "1") }, 1,
			B_START B_VIA1 B_VIA2 B_MF B_TO B_FROM B_XS1 B_CID B_XS2 B_CSEQ "X-New: 1\r\n"
					CL4 },
	{ "replace absent: last", { EI(REPLACE, SUBJECT, "hello") }, 1,
			B_START B_VIA1 B_VIA2 B_MF B_TO B_FROM B_XS1 B_CID B_XS2 B_CSEQ
			"Subject: hello\r\n" CL4 },
	{ "combined",
			{ EI(INSERT_FIRST, VIA, "SIP/2.0/UDP sbc.example.com;branch=z9hG4bKs"),
					EN(REMOVE, OTHER, "x-secret", ""),
					EI(REPLACE, MAX_FORWARDS, "69"),
					EN(APPEND, OTHER, "P-Charging-Vector", "icid-value=1") },
			4,
			B_START "Via: SIP/2.0/UDP sbc.example.com;branch=z9hG4bKs\r\n" B_VIA1 B_VIA2
					"Max-Forwards: 69\r\n" B_TO B_FROM B_CID B_CSEQ
					"P-Charging-Vector: icid-value=1\r\n" CL4 },
	{ "absent inserts and replacements keep edit order",
			{ EI(REPLACE, SUBJECT, "s"), EI(INSERT_FIRST, ROUTE, "<sip:r1>"),
					EN(APPEND, OTHER, "X-A", "a"),
					EI(INSERT_FIRST, RECORD_ROUTE, "<sip:r2>") },
			4,
			B_START "Route: <sip:r1>\r\nRecord-Route: <sip:r2>\r\n" B_VIA1 B_VIA2 B_MF
					B_TO B_FROM B_XS1 B_CID B_XS2 B_CSEQ "Subject: s\r\nX-A: a\r\n"
					CL4 },
};

static void
test_rebuild_edits(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(edit_cases); i++) {
		const struct edit_case *c = &edit_cases[i];
		struct sip_rebuild rb = { 0 };
		char buf[1024];
		struct tmsg t, out;
		int n;

		t_parse(&t, c->name, base, sizeof(base) - 1);
		rb.edits = c->edits;
		rb.n_edits = c->n;
		n = sip_rebuild(&t.m, &rb, buf, sizeof(buf));
		assert_text(c->name, buf, n, c->exp, strlen(c->exp));
		/* The result is a message whose framing holds. */
		t_parse(&out, c->name, buf, (size_t)n);
		assert_int_equal(out.m.len, n);
		assert_true(str_is(out.m.body, "body"));
		t_free(&out);
		t_free(&t);
	}
}

static void
test_rebuild_start_line_and_body(void **state)
{
	static const char resp[] = "SIP/2.0 180 Ringing\r\nVia: v\r\nl: 4\r\n\r\nbody";
	struct sip_rebuild rb = { 0 };
	char buf[512];
	struct tmsg t;
	int n;

	(void)state;
	/* A new request line. */
	t_parse(&t, "base", base, sizeof(base) - 1);
	rb.set_request_line = true;
	rb.method = S("INVITE");
	rb.uri = S("sip:bob@192.0.2.77:5080;transport=udp");
	n = sip_rebuild(&t.m, &rb, buf, sizeof(buf));
	assert_text("new request line", buf, n,
			"INVITE sip:bob@192.0.2.77:5080;transport=udp SIP/2.0\r\n" B_VIA1 B_VIA2 B_MF
			B_TO B_FROM B_XS1 B_CID B_XS2 B_CSEQ CL4,
			strlen("INVITE sip:bob@192.0.2.77:5080;transport=udp SIP/2.0\r\n" B_VIA1 B_VIA2
					B_MF B_TO B_FROM B_XS1 B_CID B_XS2 B_CSEQ CL4));

	/* A new body: Content-Length follows it. */
	memset(&rb, 0, sizeof(rb));
	rb.set_body = true;
	rb.body = S("v=0\r\n");
	n = sip_rebuild(&t.m, &rb, buf, sizeof(buf));
	assert_text("new body", buf, n,
			B_START B_VIA1 B_VIA2 B_MF B_TO B_FROM B_XS1 B_CID B_XS2 B_CSEQ
			"Content-Length: 5\r\n\r\nv=0\r\n",
			strlen(B_START B_VIA1 B_VIA2 B_MF B_TO B_FROM B_XS1 B_CID B_XS2 B_CSEQ
					"Content-Length: 5\r\n\r\nv=0\r\n"));
	/* An empty body. */
	rb.body = S("");
	n = sip_rebuild(&t.m, &rb, buf, sizeof(buf));
	assert_text("empty body", buf, n,
			B_START B_VIA1 B_VIA2 B_MF B_TO B_FROM B_XS1 B_CID B_XS2 B_CSEQ
			"Content-Length: 0\r\n\r\n",
			strlen(B_START B_VIA1 B_VIA2 B_MF B_TO B_FROM B_XS1 B_CID B_XS2 B_CSEQ
					"Content-Length: 0\r\n\r\n"));
	t_free(&t);

	/* A new status line on a response. */
	t_parse(&t, "response", resp, sizeof(resp) - 1);
	memset(&rb, 0, sizeof(rb));
	rb.set_status_line = true;
	rb.status = 183;
	rb.reason = S("Session Progress");
	n = sip_rebuild(&t.m, &rb, buf, sizeof(buf));
	assert_text("new status line", buf, n,
			"SIP/2.0 183 Session Progress\r\nVia: v\r\nContent-Length: 4\r\n\r\nbody",
			strlen("SIP/2.0 183 Session Progress\r\nVia: v\r\n"
			       "Content-Length: 4\r\n\r\nbody"));
	t_free(&t);
}

/* Every capacity below the length is refused, with nothing written at or past it. */
static void
test_rebuild_cap(void **state)
{
	static const struct sip_edit edits[] = {
		EI(INSERT_FIRST, VIA, "SIP/2.0/UDP sbc.example.com;branch=z9hG4bKs"),
		EN(REMOVE, OTHER, "x-secret", ""),
		EI(APPEND, RECORD_ROUTE, "<sip:sbc.example.com;lr>"),
	};
	struct sip_rebuild rb = { 0 };
	char full[1024];
	struct tmsg t;
	int need;
	size_t cap, k;

	(void)state;
	t_parse(&t, "cap", base, sizeof(base) - 1);
	rb.edits = edits;
	rb.n_edits = N_ELEM(edits);
	need = sip_rebuild(&t.m, &rb, full, sizeof(full));
	assert_true(need > 0);
	for (cap = 0; cap <= (size_t)need; cap++) {
		char *out = malloc(cap + GUARD);
		int n;

		assert_non_null(out);
		memset(out, 0xa5, cap + GUARD);
		n = sip_rebuild(&t.m, &rb, out, cap);
		if (n != (cap < (size_t)need ? -1 : need)) {
			print_error("cap %zu: returned %d\n", cap, n);
			fail();
		}
		for (k = cap; k < cap + GUARD; k++)
			if ((uint8_t)out[k] != 0xa5) {
				print_error("cap %zu: octet %zu written\n", cap, k);
				fail();
			}
		if (n > 0)
			assert_memory_equal(out, full, (size_t)n);
		free(out);
		/* And into a buffer of exactly cap octets, for ASan. */
		out = malloc(cap ? cap : 1);
		assert_non_null(out);
		sip_rebuild(&t.m, &rb, out, cap);
		free(out);
	}
	t_free(&t);
}

static void
test_rebuild_too_many_edits(void **state)
{
	struct sip_edit edits[65];
	struct sip_rebuild rb = { 0 };
	char buf[4096];
	struct tmsg t;
	unsigned int i;

	(void)state;
	for (i = 0; i < N_ELEM(edits); i++)
		edits[i] = (struct sip_edit){ SIP_EDIT_REMOVE, SIP_H_ROUTE, SIP_STR_NULL,
			SIP_STR_NULL };
	t_parse(&t, "edits", base, sizeof(base) - 1);
	rb.edits = edits;
	rb.n_edits = 64;
	assert_int_equal(sip_rebuild(&t.m, &rb, buf, sizeof(buf)), (int)sizeof(base) - 1);
	rb.n_edits = 65;
	assert_int_equal(sip_rebuild(&t.m, &rb, buf, sizeof(buf)), -1);
	t_free(&t);
}

/* Content-Length belongs to the builder: edits naming it are ignored, by id or by name. */
static void
test_rebuild_owns_content_length(void **state)
{
	const struct sip_edit edits[] = {
		{ SIP_EDIT_REPLACE, SIP_H_CONTENT_LENGTH, SIP_STR_NULL, S("999") },
		{ SIP_EDIT_APPEND, SIP_H_OTHER, S("content-length"), S("7") },
		{ SIP_EDIT_INSERT_FIRST, SIP_H_CONTENT_LENGTH, SIP_STR_NULL, S("1") },
	};
	struct sip_rebuild rb = { .edits = edits, .n_edits = N_ELEM(edits) };
	char buf[4096];
	struct tmsg t, t2;
	int n;

	(void)state;
	t_parse(&t, "content-length edits", base, sizeof(base) - 1);
	n = sip_rebuild(&t.m, &rb, buf, sizeof(buf));
	assert_int_equal(n, (int)sizeof(base) - 1); /* the same message, one Content-Length */
	t_parse(&t2, "content-length edits, rebuilt", buf, (size_t)n);
	assert_int_equal(sip_hdr_count(&t2.m, SIP_H_CONTENT_LENGTH), 1);
	assert_int_equal(t2.m.content_length, (int64_t)t.m.body.len);
	t_free(&t2);
	t_free(&t);
}

/* Bare LF line ends, in folds too, are written as CRLF. */
static void
test_rebuild_bare_lf(void **state)
{
	static const char in[] = "OPTIONS sip:example.com SIP/2.0\n"
				 "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\n"
				 "Subject: one\n two\r\n three\n"
				 "Call-ID: lf@192.0.2.1\n"
				 "\n";
	static const char exp[] = "OPTIONS sip:example.com SIP/2.0\r\n"
				  "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\n"
				  "Subject: one\r\n two\r\n three\r\n"
				  "Call-ID: lf@192.0.2.1\r\n"
				  "Content-Length: 0\r\n\r\n";
	struct sip_rebuild rb = { 0 };
	char buf[512];
	struct tmsg t;
	int n;

	(void)state;
	t_parse(&t, "bare LF", in, sizeof(in) - 1);
	n = sip_rebuild(&t.m, &rb, buf, sizeof(buf));
	assert_text("bare LF normalised", buf, n, exp, sizeof(exp) - 1);
	t_free(&t);
}

/*
 * SIP_STR_NULL is the absent slice: as a body or a header value it writes nothing (an
 * empty body, an empty value). Kept apart so that a sanitizer stop here spares the rest.
 */
static void
test_out_null_slices(void **state)
{
	static const char exp[] = "OPTIONS sip:example.com SIP/2.0\r\nSubject: \r\n"
				  "Content-Length: 0\r\n\r\n";
	struct sip_rebuild rb = { 0 };
	char buf[256], buf2[256];
	struct sip_out o;
	struct tmsg t;
	int n;

	(void)state;
	sip_out_init(&o, buf, sizeof(buf));
	sip_out_request_line(&o, S("OPTIONS"), S("sip:example.com"));
	sip_out_header(&o, S("Subject"), SIP_STR_NULL);
	n = sip_out_finish(&o, SIP_STR_NULL);
	assert_text("absent slices", buf, n, exp, sizeof(exp) - 1);

	t_parse(&t, "absent body", buf, (size_t)n);
	rb.set_body = true;
	rb.body = SIP_STR_NULL;
	n = sip_rebuild(&t.m, &rb, buf2, sizeof(buf2));
	assert_text("rebuild with an absent body", buf2, n, exp, sizeof(exp) - 1);
	t_free(&t);
}

/* Decimal numbers as printf writes them: every boundary of the two-digit steps. */
static void
test_fmt_u64(void **state)
{
	static const uint64_t v[] = { 0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 65535, 65536,
		4219364718613058ull, 18446744073709551615ull };
	char got[32], want[32];
	uint64_t x;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		snprintf(want, sizeof(want), "%llu", (unsigned long long)v[i]);
		assert_int_equal(sip_fmt_u64(got, v[i]), strlen(want));
		assert_string_equal(got, want);
	}
	for (x = 0; x < 100000; x++) {
		snprintf(want, sizeof(want), "%llu", (unsigned long long)x);
		sip_fmt_u64(got, x);
		assert_string_equal(got, want);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_out_request),
		cmocka_unit_test(test_out_status),
		cmocka_unit_test(test_out_content_length),
		cmocka_unit_test(test_out_copy_header),
		cmocka_unit_test(test_out_overflow),
		cmocka_unit_test(test_rebuild_round_trip),
		cmocka_unit_test(test_rebuild_exact),
		cmocka_unit_test(test_rebuild_edits),
		cmocka_unit_test(test_rebuild_start_line_and_body),
		cmocka_unit_test(test_rebuild_cap),
		cmocka_unit_test(test_rebuild_too_many_edits),
		cmocka_unit_test(test_out_null_slices),
		cmocka_unit_test(test_rebuild_owns_content_length),
		cmocka_unit_test(test_rebuild_bare_lf),
		cmocka_unit_test(test_fmt_u64),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
