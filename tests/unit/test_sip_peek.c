/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_sip_peek.c - the first-line SIP check (sip_peek.h): start lines of requests and
 * responses, keep-alives and junk (binary, STUN, HTTP, unterminated lines); the To tag
 * in its long, compact, folded and LWS forms, and not inside <...> or a quoted display
 * name; scanner User-Agents with the default and a custom list; control octets the
 * message layer refuses and answers; every truncation of a request; and the rule that every torture message the message layer accepts or answers
 * has a start line here too. Every datagram is read from a heap copy of its exact length,
 * so that ASan sees any over-read.
 */
#include <dirent.h>
#include <errno.h>
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
#include "sip_peek.h"

#define TORTURE_DIR SBC_SOURCE_ROOT "/../shared/conformance/sip-torture"

#define REQ  "INVITE sip:bob@example.com SIP/2.0\r\n"
#define RESP "SIP/2.0 200 OK\r\n"
#define VIA  "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\n"
#define TAIL "Call-ID: a@example.com\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n"

/* The default scanner list, as the dataplane holds it. */
static struct sip_peek_names default_names;

/* Returns the kind sip_peek() gives to an exact-size heap copy of s[0, len), with *out. */
static int
t_peek(const char *s, size_t len, const struct sip_peek_names *names, struct sip_peek *out)
{
	char *c = dup_exact(s, len);
	int kind = sip_peek(c, (uint32_t)len, names, out);

	free(c);
	return kind;
}

/* A datagram and what sip_peek() must find in it. */
struct peek_case {
	const char *what;
	const char *msg;
	size_t len;
	uint8_t kind;
	bool invite, to_tag, scanner;
};

/* A literal with its length (so that binary literals may hold NUL). */
#define LIT(s) s, sizeof(s) - 1

#define RQ(w, s, inv)   { w, LIT(s), SIP_PEEK_REQUEST, inv, false, false }
#define RS(w, s)        { w, LIT(s), SIP_PEEK_RESPONSE, false, false, false }
#define KA(w, s)        { w, LIT(s), SIP_PEEK_KEEPALIVE, false, false, false }
#define NO(w, s)        { w, LIT(s), SIP_PEEK_NO_START_LINE, false, false, false }
#define TAG(w, s, t)    { w, LIT(s), SIP_PEEK_REQUEST, true, t, false }
#define SCAN(w, s, sc)  { w, LIT(s), SIP_PEEK_REQUEST, true, false, sc }

/* Returns the number of fields that differ from c (printing each). */
static int
check_case(const struct peek_case *c, const struct sip_peek_names *names)
{
	struct sip_peek p;
	int kind = t_peek(c->msg, c->len, names, &p);
	int bad = 0;

	bad += check_int(c->what, "return", kind, c->kind);
	bad += check_int(c->what, "kind", p.kind, c->kind);
	bad += check_int(c->what, "invite", p.invite, c->invite);
	bad += check_int(c->what, "to_tag", p.to_tag, c->to_tag);
	bad += check_int(c->what, "scanner", p.scanner, c->scanner);
	return bad;
}

/* Checks every case of a table with the given names; fails listing the mismatches. */
static void
run_cases(const struct peek_case *cases, size_t n, const struct sip_peek_names *names)
{
	int bad = 0;
	size_t i;

	for (i = 0; i < n; i++)
		bad += check_case(&cases[i], names);
	if (bad)
		fail_msg("%d mismatches", bad);
}

/* ---- start lines ------------------------------------------------------------------------ */

static const struct peek_case start_cases[] = {
	RQ("INVITE", REQ VIA TAIL, true),
	RQ("OPTIONS", "OPTIONS sip:example.com SIP/2.0\r\n" VIA TAIL, false),
	RQ("REGISTER, no headers", "REGISTER sip:example.com SIP/2.0\r\n", false),
	RQ("method case", "invite sip:bob@example.com SIP/2.0\r\n" VIA TAIL, false),
	RQ("INVITEX", "INVITEX sip:bob@example.com SIP/2.0\r\n" VIA TAIL, false),
	RQ("INVIT", "INVIT sip:bob@example.com SIP/2.0\r\n" VIA TAIL, false),
	RQ("unusual method", "!interesting-Method0123456789_*+`.%indeed'~ sip:a@example.com "
			     "SIP/2.0\r\n" VIA TAIL, false),
	RQ("version case", "INVITE sip:bob@example.com sip/2.0\r\n" VIA TAIL, true),
	RQ("version 7.0 (505)", "OPTIONS sip:t.watson@example.org SIP/7.0\r\n" VIA TAIL, false),
	RQ("version anything", "INVITE sip:bob@example.com SIP/\r\n" VIA TAIL, true),
	RQ("extra spaces (lwsstart)", "INVITE  sip:user@example.com  SIP/2.0\r\n" VIA TAIL, true),
	RQ("tabs", "INVITE\tsip:bob@example.com\tSIP/2.0\r\n" VIA TAIL, true),
	RQ("LWS in URI (lwsruri)", "INVITE sip:user@example.com; lr SIP/2.0\r\n" VIA TAIL, true),
	RQ("trailing SP (trws)", "OPTIONS sip:a@example.com SIP/2.0  \r\n" VIA TAIL, false),
	RQ("words after version", "INVITE sip:bob@example.com SIP/2.0 x\r\n" VIA TAIL, true),
	RQ("<uri> (ltgtruri)", "INVITE <sip:user@example.com> SIP/2.0\r\n" VIA TAIL, true),
	RQ("bare LF", "INVITE sip:bob@example.com SIP/2.0\nVia: SIP/2.0/UDP h\n\n", true),
	RQ("leading CRLFs", "\r\n\r\n" REQ VIA TAIL, true),
	RQ("leading LFs", "\n\n\n" REQ VIA TAIL, true),
	RQ("leading CR and LF mixed", "\r\r\n\n" REQ, true),
	RQ("start line, nothing else", REQ, true),
	RS("200", RESP VIA TAIL),
	RS("version case", "sip/2.0 180 Ringing\r\n" VIA TAIL),
	RS("empty reason (noreason)", "SIP/2.0 100 \r\n" VIA TAIL),
	RS("no reason, no SP", "SIP/2.0 486\r\n" VIA TAIL),
	RS("tab before reason", "SIP/2.0 200\tOK\r\n" VIA TAIL),
	RS("other version", "SIP/3.0 200 OK\r\n" VIA TAIL),
	RS("bare LF", "SIP/2.0 200 OK\n\n"),
	RS("leading CRLF", "\r\nSIP/2.0 404 Not Found\r\n\r\n"),
	KA("empty", ""),
	KA("CRLF", "\r\n"),
	KA("CRLFCRLF (RFC 5626)", "\r\n\r\n"),
	KA("LF", "\n"),
	KA("CR", "\r"),
	KA("SP", " "),
	KA("whitespace", " \t\r\n \r\n\t"),
	KA("CRLF SP CRLF", "\r\n \r\n"),
	NO("leading SP", " INVITE sip:bob@example.com SIP/2.0\r\n" VIA TAIL),
	NO("CRLF then SP", "\r\n INVITE sip:bob@example.com SIP/2.0\r\n" VIA TAIL),
	NO("start line without end", "INVITE sip:bob@example.com SIP/2.0"),
	NO("start line ending in CR", "INVITE sip:bob@example.com SIP/2.0\r"),
	NO("status line without end", "SIP/2.0 200 OK"),
	NO("HTTP", "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n"),
	NO("HTTP response", "HTTP/1.1 200 OK\r\n\r\n"),
	NO("STUN binding request", "\x00\x01\x00\x00\x21\x12\xa4\x42"
				   "\x0a\x0d\x0a\x0d\x0a\x0d\x0a\x0d\x0a\x0d\x0a\x0d"),
	NO("TLS ClientHello", "\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03\n"),
	NO("NUL octets", "\0\0\0\0\n"),
	NO("binary after CRLF", "\r\n\x80\xff\n"),
	NO("text", "hello\r\n"),
	NO("no version", "INVITE sip:bob@example.com\r\n" VIA TAIL),
	NO("method only", "INVITE\r\n" VIA TAIL),
	NO("method and SP", "INVITE \r\n" VIA TAIL),
	NO("no Request-URI", "INVITE SIP/2.0\r\n" VIA TAIL),
	NO("bad method octet", "INV@TE sip:bob@example.com SIP/2.0\r\n" VIA TAIL),
	NO("URI first", "sip:bob@example.com SIP/2.0\r\n" VIA TAIL),
	NO("version not a word", "INVITE sip:bob@example.com xSIP/2.0\r\n" VIA TAIL),
	NO("status: two SP", "SIP/2.0  200 OK\r\n" VIA TAIL),
	NO("status: 4 digits", "SIP/2.0 2000 OK\r\n" VIA TAIL),
	NO("status: 2 digits", "SIP/2.0 20 OK\r\n" VIA TAIL),
	NO("status: letters", "SIP/2.0 abc OK\r\n" VIA TAIL),
	NO("status: no code", "SIP/2.0\r\n" VIA TAIL),
	NO("status: no version", "SIP/ 200 OK\r\n" VIA TAIL),
	NO("status: no minor", "SIP/2. 200 OK\r\n" VIA TAIL),
	NO("status: no major", "SIP/.0 200 OK\r\n" VIA TAIL),
	NO("status: tab", "SIP/2.0\t200 OK\r\n" VIA TAIL),
};

static void
test_start_lines(void **state)
{
	(void)state;
	run_cases(start_cases, N_ELEM(start_cases), &default_names);
	run_cases(start_cases, N_ELEM(start_cases), NULL);
}

/* ---- control octets --------------------------------------------------------------------- */

/*
 * The message layer refuses a control octet in the start line or a header with 400 and
 * a cause of its own (SIP_ERR_CONTROL_CHAR), which the signalling lcore answers and
 * counts: such requests must get there. Each case is checked against sip_parse as well.
 * The exception is a control octet in the method: like any octet that is not a token
 * octet there ("INV@TE" above), it leaves no start line to recognise, and the dataplane
 * drops it as such.
 */
static const struct peek_case ctl_cases[] = {
	RQ("NUL in Request-URI", "INVITE sip:bob\0@example.com SIP/2.0\r\n" VIA TAIL, true),
	RQ("DEL in Request-URI", "INVITE sip:bob\x7f@example.com SIP/2.0\r\n" VIA TAIL, true),
	RQ("bare CR in Request-URI", "INVITE sip:bob\r@example.com SIP/2.0\r\n" VIA TAIL, true),
	RQ("NUL in SIP-Version", "INVITE sip:bob@example.com SIP/2.0\0\r\n" VIA TAIL, true),
	RQ("SOH in SIP-Version", "INVITE sip:bob@example.com SIP/\x01" "2.0\r\n" VIA TAIL, true),
	RQ("NUL in header name", REQ VIA "Sub\0ject: x\r\n" TAIL, true),
	RQ("NUL in header value", REQ VIA "Subject: a\0b\r\n" TAIL, true),
	RQ("ESC in header value", REQ VIA "Subject: \x1b[2J\r\n" TAIL, true),
	RQ("bare CR in header value", REQ VIA "Subject: a\rb\r\n" TAIL, true),
	RQ("NUL in a folded value", REQ VIA "Subject: a\r\n b\0\r\n" TAIL, true),
	RQ("NUL in the To value", REQ VIA "To: <sip:bob@example.com>\0\r\n" TAIL, true),
	RQ("NUL in a User-Agent value", REQ VIA "User-Agent: x\0y\r\n" TAIL, true),
	{ "NUL in reason phrase", LIT("SIP/2.0 200 O\0K\r\n" VIA TAIL), SIP_PEEK_RESPONSE, false,
			false, false },
	{ "NUL in a response header", LIT(RESP VIA "Subject: \0\r\n" TAIL), SIP_PEEK_RESPONSE,
			false, false, false },
	NO("NUL in method", "INV\0ITE sip:bob@example.com SIP/2.0\r\n" VIA TAIL),
	NO("ESC before the method's SP", "INVITE\x1b sip:bob@example.com SIP/2.0\r\n" VIA TAIL),
};

static void
test_control_octets(void **state)
{
	struct sip_msg *m = malloc(sizeof(*m));
	int bad = 0;
	size_t i;

	(void)state;
	assert_non_null(m);
	run_cases(ctl_cases, N_ELEM(ctl_cases), &default_names);
	for (i = 0; i < N_ELEM(ctl_cases); i++) {
		const struct peek_case *c = &ctl_cases[i];
		char *copy = dup_exact(c->msg, c->len);

		bad += check_int(c->what, "sip_parse", sip_parse(m, copy, c->len,
						SIP_FRAME_DATAGRAM, NULL), -1);
		bad += check_int(c->what, "err.cause", m->err.cause, SIP_ERR_CONTROL_CHAR);
		bad += check_int(c->what, "err.status", m->err.status,
				c->kind == SIP_PEEK_RESPONSE ? 0 : 400);
		free(copy);
	}
	free(m);
	if (bad)
		fail_msg("%d mismatches", bad);
}

/* ---- To tag ----------------------------------------------------------------------------- */

#define TO(h) REQ VIA h "\r\n" TAIL

static const struct peek_case to_cases[] = {
	TAG("name-addr", TO("To: <sip:bob@example.com>;tag=abc"), true),
	TAG("no tag", TO("To: <sip:bob@example.com>"), false),
	TAG("addr-spec", TO("To: sip:bob@example.com;tag=1"), true),
	TAG("addr-spec, no tag", TO("To: sip:bob@example.com"), false),
	TAG("compact", TO("t: <sip:bob@example.com>;tag=abc"), true),
	TAG("compact upper case", TO("T: sip:bob@example.com;tag=1"), true),
	TAG("name case", TO("TO: <sip:bob@example.com>;tag=1"), true),
	TAG("name mixed case, SP before colon", TO("tO : <sip:bob@example.com>;tag=1"), true),
	TAG("tab before colon", TO("To\t: <sip:bob@example.com>;tag=1"), true),
	TAG("no space after colon", TO("To:<sip:bob@example.com>;tag=1"), true),
	TAG("tag case", TO("To: <sip:bob@example.com>;TAG=1"), true),
	TAG("LWS around ; and =", TO("To: <sip:bob@example.com> ; tag = x"), true),
	TAG("tabs around ; and =", TO("To: <sip:bob@example.com>\t;\ttag\t=\tx"), true),
	TAG("display name", TO("To: Bob <sip:bob@example.com>;tag=1"), true),
	TAG("quoted display name", TO("To: \"Bob\" <sip:bob@example.com>;tag=1"), true),
	TAG("after other params", TO("To: <sip:bob@example.com>;x=1;y;tag=2"), true),
	TAG("before other params", TO("To: <sip:bob@example.com>;tag=2;x=1"), true),
	TAG("quoted value", TO("To: <sip:bob@example.com>;tag=\"q\""), true),
	TAG("empty params first", TO("To: <sip:bob@example.com>;;tag=2"), true),
	TAG("IPv6 addr-spec", TO("To: sip:user@[2001:db8::1];tag=2"), true),
	TAG("tag in <uri>", TO("To: <sip:bob@example.com;tag=x>"), false),
	TAG("tag in <uri> with LWS", TO("To: <sip:bob@example.com ; tag = x>"), false),
	TAG("tag in quoted display name", TO("To: \"a;tag=b\" <sip:bob@example.com>"), false),
	TAG("escaped quote in display name",
			TO("To: \"a\\\";tag=b\" <sip:bob@example.com>"), false),
	TAG("'<' in display name", TO("To: \"<a\" <sip:bob@example.com>"), false),
	TAG("tag in quoted param value", TO("To: <sip:bob@example.com>;p=\"x;tag=1\""), false),
	TAG("tag in [param value]", TO("To: <sip:bob@example.com>;p=[x;tag=1]"), false),
	TAG("tagx", TO("To: <sip:bob@example.com>;tagx=1"), false),
	TAG("xtag", TO("To: <sip:bob@example.com>;xtag=1"), false),
	TAG("ta", TO("To: <sip:bob@example.com>;ta=1"), false),
	TAG("tag without value", TO("To: <sip:bob@example.com>;tag"), false),
	TAG("tag with empty value", TO("To: <sip:bob@example.com>;tag="), false),
	TAG("tag with empty value then param", TO("To: <sip:bob@example.com>;tag=;x=1"), false),
	TAG("tag as value", TO("To: <sip:bob@example.com>;x=tag"), false),
	TAG("tag in user part", TO("To: sip:tag=1@example.com"), false),
	TAG("folded value", TO("To:\r\n <sip:bob@example.com>\r\n ;tag=1"), true),
	TAG("folded with LF", TO("To:\n\t<sip:bob@example.com>\n ;tag=1"), true),
	TAG("folded around = (wsinv)",
			TO("TO :\r\n sip:vivekg@example.com ;   tag    = 1918181833n"), true),
	TAG("folded after =", TO("To: <sip:bob@example.com>;tag=\r\n 1"), true),
	TAG("first To has no tag", TO("To: <sip:bob@example.com>\r\nTo: <sip:b@x>;tag=1"), false),
	TAG("first To has a tag", TO("To: <sip:bob@example.com>;tag=1\r\nTo: <sip:b@x>"), true),
	TAG("compact then long", TO("t: <sip:bob@example.com>\r\nTo: <sip:b@x>;tag=1"), false),
	TAG("From tag only", TO("From: <sip:alice@example.com>;tag=1\r\nTo: <sip:b@x>"), false),
	TAG("other t headers first", TO("Timestamp: 1\r\nt1: x\r\nTo: <sip:b@example.com>;tag=1"),
			true),
	TAG("Tox", TO("Tox: <sip:bob@example.com>;tag=1"), false),
	TAG("X-To", TO("X-To: <sip:bob@example.com>;tag=1"), false),
	TAG("fold of Subject", TO("Subject: x\r\n To: <sip:bob@example.com>;tag=1"), false),
	TAG("To after a malformed line", TO("Junk line\r\nTo: <sip:bob@example.com>;tag=1"),
			true),
	TAG("To in the body", REQ VIA "To: <sip:bob@example.com>\r\nContent-Length: 29\r\n\r\n"
				    "To: <sip:b@example.com>;tag=1", false),
	TAG("bare LF", "INVITE sip:b@example.com SIP/2.0\nTo: <sip:b@example.com>;tag=1\n\n",
			true),
	TAG("last line without end", REQ "To: <sip:bob@example.com>;tag=1", true),
	TAG("last line, tag cut", REQ "To: <sip:bob@example.com>;tag=", false),
	{ "response with tag", LIT(RESP "To: <sip:bob@example.com>;tag=1\r\n\r\n"),
			SIP_PEEK_RESPONSE, false, true, false },
	{ "junk with tag", LIT("hello\r\nTo: <sip:bob@example.com>;tag=1\r\n\r\n"),
			SIP_PEEK_NO_START_LINE, false, false, false },
};

static void
test_to_tag(void **state)
{
	(void)state;
	run_cases(to_cases, N_ELEM(to_cases), &default_names);
	run_cases(to_cases, N_ELEM(to_cases), NULL);
}

/* ---- scanners --------------------------------------------------------------------------- */

#define UA(h) REQ VIA h "\r\n" TAIL
#define X8    "xxxxxxxx"
#define X64   X8 X8 X8 X8 X8 X8 X8 X8

static const struct peek_case scanner_cases[] = {
	SCAN("friendly-scanner", UA("User-Agent: friendly-scanner"), true),
	SCAN("SIPVicious", UA("User-Agent: SIPVicious"), true),
	SCAN("name upper case", UA("User-Agent: FRIENDLY-SCANNER"), true),
	SCAN("header name case", UA("user-agent: friendly-scanner"), true),
	SCAN("header name upper, SP before colon", UA("USER-AGENT : sipcli/v1.8"), true),
	SCAN("inside a longer value", UA("User-Agent: Mozilla (friendly-scanner) 1.0"), true),
	SCAN("at the end", UA("User-Agent: x sundayddr"), true),
	SCAN("VaxSIPUserAgent", UA("User-Agent: VaxSIPUserAgent/3.1"), true),
	SCAN("sip-scan", UA("User-Agent: sip-scan"), true),
	SCAN("iWar", UA("User-Agent: iwar"), true),
	SCAN("SIVuS", UA("User-Agent: sivus"), true),
	SCAN("smap", UA("User-Agent: smap 0.6"), true),
	SCAN("no space after colon", UA("User-Agent:friendly-scanner"), true),
	SCAN("second User-Agent", UA("User-Agent: Linphone\r\nUser-Agent: sipvicious"), true),
	SCAN("folded", UA("User-Agent: Mozilla\r\n friendly-scanner"), true),
	SCAN("after To", UA("To: <sip:bob@example.com>\r\nUser-Agent: sipcli"), true),
	SCAN("other u headers first", UA("Unsupported: foo\r\nUser-Agent: sipcli"), true),
	SCAN("User-Agents", UA("User-Agents: friendly-scanner"), false),
	SCAN("normal UA", UA("User-Agent: Asterisk PBX 18.0"), false),
	SCAN("Linphone", UA("User-Agent: Linphone/5.0 (belle-sip/4.5)"), false),
	SCAN("partial name", UA("User-Agent: sip-sca"), false),
	SCAN("names split", UA("User-Agent: friendly scanner"), false),
	SCAN("Server", UA("Server: friendly-scanner"), false),
	SCAN("X-User-Agent", UA("X-User-Agent: friendly-scanner"), false),
	SCAN("in To", UA("To: <sip:friendly-scanner@example.com>"), false),
	SCAN("in Contact", UA("Contact: <sip:sipvicious@192.0.2.1>"), false),
	SCAN("in the body", REQ VIA "Content-Length: 28\r\n\r\nUser-Agent: friendly-scanner",
			false),
	SCAN("last line without end", REQ VIA "User-Agent: friendly-scanner", true),
	SCAN("within the search bound", UA("User-Agent: " X64 X64 X64 X64 X64 X64 " sipcli"), true),
	SCAN("beyond the search bound",
			UA("User-Agent: " X64 X64 X64 X64 X64 X64 X64 X64 " sipcli"), false),
	{ "response", LIT(RESP "User-Agent: friendly-scanner\r\n\r\n"), SIP_PEEK_RESPONSE, false,
			false, true },
	{ "keep-alive", LIT("\r\n\r\n"), SIP_PEEK_KEEPALIVE, false, false, false },
};

static void
test_scanner(void **state)
{
	size_t i;
	int bad = 0;

	(void)state;
	run_cases(scanner_cases, N_ELEM(scanner_cases), &default_names);
	/* Without names nothing is a scanner; everything else is the same. */
	for (i = 0; i < N_ELEM(scanner_cases); i++) {
		struct peek_case c = scanner_cases[i];

		c.scanner = false;
		bad += check_case(&c, NULL);
	}
	if (bad)
		fail_msg("%d mismatches without names", bad);
}

/* ---- names ------------------------------------------------------------------------------ */

static void
test_names_default(void **state)
{
	struct sip_peek_names n;
	unsigned int i;

	(void)state;
	assert_int_equal(sip_peek_names_init(&n, sip_peek_default_scanners), 0);
	assert_int_equal(n.n, 9);
	for (i = 0; i < n.n; i++) {
		assert_ptr_equal(n.name[i], sip_peek_default_scanners[i]);
		assert_int_equal(n.len[i], strlen(sip_peek_default_scanners[i]));
	}
	assert_string_equal(n.name[0], "friendly-scanner");
	assert_string_equal(n.name[8], "smap");
}

static void
test_names_custom(void **state)
{
	static const char *const list[] = { "Evil-UA", "x9", NULL };
	static const struct peek_case cases[] = {
		SCAN("custom name", UA("User-Agent: EVIL-ua 1.0"), true),
		SCAN("second custom name", UA("User-Agent: abX9"), true),
		SCAN("default name not listed", UA("User-Agent: friendly-scanner"), false),
		SCAN("no User-Agent", REQ VIA TAIL, false),
	};
	static const char *const empty_list[] = { NULL };
	struct sip_peek_names n;
	struct sip_peek p;

	(void)state;
	assert_int_equal(sip_peek_names_init(&n, list), 0);
	assert_int_equal(n.n, 2);
	assert_int_equal(n.len[0], 7);
	run_cases(cases, N_ELEM(cases), &n);

	/* An empty list is valid and finds nothing. */
	assert_int_equal(sip_peek_names_init(&n, empty_list), 0);
	assert_int_equal(n.n, 0);
	assert_int_equal(t_peek(LIT(UA("User-Agent: friendly-scanner")), &n, &p), SIP_PEEK_REQUEST);
	assert_false(p.scanner);
}

static void
test_names_errors(void **state)
{
	static const char *const empty_name[] = { "sipvicious", "", NULL };
	char len47[48], len48[49];
	const char *long_ok[] = { len47, NULL };
	const char *too_long[] = { "a", len48, NULL };
	const char *many[SIP_PEEK_MAX_NAMES + 2];
	const char *max[SIP_PEEK_MAX_NAMES + 1];
	struct sip_peek_names n;
	struct sip_peek p;
	unsigned int i;

	(void)state;
	memset(len47, 'a', 47);
	len47[47] = '\0';
	memset(len48, 'b', 48);
	len48[48] = '\0';
	for (i = 0; i < SIP_PEEK_MAX_NAMES + 1; i++)
		many[i] = "name";
	many[SIP_PEEK_MAX_NAMES + 1] = NULL;
	for (i = 0; i < SIP_PEEK_MAX_NAMES; i++)
		max[i] = "name";
	max[SIP_PEEK_MAX_NAMES] = NULL;

	assert_int_equal(sip_peek_names_init(&n, max), 0);
	assert_int_equal(n.n, SIP_PEEK_MAX_NAMES);
	assert_int_equal(sip_peek_names_init(&n, many), -EINVAL);
	assert_int_equal(n.n, 0); /* left empty */
	assert_int_equal(sip_peek_names_init(&n, long_ok), 0);
	assert_int_equal(n.len[0], 47);
	/* A name of 47 octets is found. */
	{
		char msg[256];
		int len = snprintf(msg, sizeof(msg), REQ "User-Agent: x%sx\r\n\r\n", len47);

		assert_int_equal(t_peek(msg, (size_t)len, &n, &p), SIP_PEEK_REQUEST);
		assert_true(p.scanner);
	}
	assert_int_equal(sip_peek_names_init(&n, too_long), -EINVAL);
	assert_int_equal(n.n, 0);
	assert_int_equal(sip_peek_names_init(&n, max), 0);
	assert_int_equal(sip_peek_names_init(&n, empty_name), -EINVAL);
	assert_int_equal(n.n, 0);
	assert_int_equal(sip_peek_names_init(&n, NULL), -EINVAL);
	assert_int_equal(sip_peek_names_init(NULL, sip_peek_default_scanners), -EINVAL);
}

/* ---- truncations ------------------------------------------------------------------------ */

/*
 * Every prefix of a request, from an exact-size copy: no over-read, a start line only
 * once its line end is in, and the tag and the scanner only once their octets are.
 */
static void
test_truncations(void **state)
{
	static const char msg[] = "\r\nINVITE sip:bob@example.com SIP/2.0\r\n" VIA
				  "From: <sip:alice@example.com>;tag=a1\r\n"
				  "To: \"Bob\" <sip:bob@example.com> ; tag = b2\r\n"
				  "User-Agent: friendly-scanner\r\n" TAIL "v=0\r\n";
	const size_t line_end = (size_t)(strchr(msg + 2, '\n') - msg);
	const size_t tag_at = (size_t)(strstr(msg, "b2") - msg);
	const size_t scan_end = (size_t)(strstr(msg, "friendly-scanner") - msg) + 16;
	int bad = 0;
	size_t n;

	(void)state;
	for (n = 0; n <= sizeof(msg) - 1; n++) {
		struct sip_peek p, q;
		char what[32];
		int kind;

		snprintf(what, sizeof(what), "prefix %zu", n);
		kind = t_peek(msg, n, &default_names, &p);
		t_peek(msg, n, NULL, &q);
		bad += check_int(what, "return", kind, p.kind);
		if (n <= 2)
			bad += check_int(what, "kind", p.kind, SIP_PEEK_KEEPALIVE);
		else if (n <= line_end)
			bad += check_int(what, "kind", p.kind, SIP_PEEK_NO_START_LINE);
		else
			bad += check_int(what, "kind", p.kind, SIP_PEEK_REQUEST);
		bad += check_int(what, "invite", p.invite, n > line_end);
		bad += check_int(what, "to_tag", p.to_tag, n > tag_at);
		bad += check_int(what, "scanner", p.scanner, n >= scan_end);
		bad += check_int(what, "kind without names", q.kind, p.kind);
		bad += check_int(what, "to_tag without names", q.to_tag, p.to_tag);
		bad += check_int(what, "scanner without names", q.scanner, false);
	}
	if (bad)
		fail_msg("%d mismatches", bad);
}

/* ---- the torture corpus ----------------------------------------------------------------- */

/* Reads a whole file into an exact-size heap buffer. Returns it (free it) or NULL. */
static char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long sz;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (sz = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc(sz > 0 ? (size_t)sz : 1);
		if (buf != NULL && fread(buf, 1, (size_t)sz, f) != (size_t)sz) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)sz;
	}
	fclose(f);
	return buf;
}

/*
 * Checks one torture message against the message layer. Returns the mismatches; counts
 * the messages the layer accepts (*parsed) or answers (*answered).
 */
/* Returns whether the slice off/len of buf spells s. */
static bool
slice_is(const char *buf, uint16_t off, uint16_t len, struct sip_str s)
{
	return len == s.len && memcmp(buf + off, s.s, s.len) == 0;
}

/*
 * A message the message layer accepts: the first-line check found the Call-ID and top
 * Via branch the parser sees (the signalling lcore uses the former without searching).
 * Returns the mismatches.
 */
static int
same_ids(const char *name, const char *buf, const struct sip_msg *m, const struct sip_peek *p)
{
	struct sip_error err;
	struct sip_str id;
	struct sip_via v;
	int bad = 0;

	if (sip_validate(m, &err) < 0)
		return 0;
	if (sip_call_id(m, &id) == 0 && !slice_is(buf, p->call_id_off, p->call_id_len, id)) {
		print_error("%s: Call-ID '%.*s', first-line check '%.*s'\n", name, (int)id.len, id.s,
				(int)p->call_id_len, buf + p->call_id_off);
		bad++;
	}
	if (m->kind == SIP_KIND_RESPONSE && sip_via_top(m, &v) == 0 && v.has_branch &&
			!slice_is(buf, p->branch_off, p->branch_len, v.branch)) {
		print_error("%s: branch '%.*s', first-line check '%.*s'\n", name, (int)v.branch.len,
				v.branch.s, (int)p->branch_len, buf + p->branch_off);
		bad++;
	}
	return bad;
}

static int
torture_one(const char *path, struct sip_msg *m, unsigned int *parsed, unsigned int *answered)
{
	const char *name = strrchr(path, '/') + 1;
	struct sip_peek p;
	struct sip_addr to;
	size_t len = 0;
	char *buf = read_file(path, &len);
	int bad = 0;

	if (buf == NULL) {
		print_error("%s: cannot read\n", path);
		return 1;
	}
	sip_peek(buf, (uint32_t)len, &default_names, &p);
	bad += check_int(name, "scanner", p.scanner, false); /* none of them is one */
	if (sip_parse(m, buf, len, SIP_FRAME_DATAGRAM, NULL) == 0) {
		(*parsed)++;
		bad += check_int(name, "kind (parsed)", p.kind,
				m->kind == SIP_KIND_REQUEST ? SIP_PEEK_REQUEST : SIP_PEEK_RESPONSE);
		bad += check_int(name, "invite", p.invite,
				m->kind == SIP_KIND_REQUEST && m->method == SIP_M_INVITE);
		if (sip_to(m, &to) == 0)
			bad += check_int(name, "to_tag", p.to_tag, to.has_tag);
		bad += same_ids(name, buf, m, &p);
	} else if (m->kind == SIP_KIND_REQUEST && m->err.status != 0) {
		/* sig_handle_datagram answers it (an ACK only goes unanswered). */
		(*answered)++;
		bad += check_int(name, "kind (answered)", p.kind, SIP_PEEK_REQUEST);
	}
	free(buf);
	return bad;
}

/* Checks every *.sip file of dir. Returns the mismatches; counts the files in *files. */
static int
torture_dir(const char *dir, struct sip_msg *m, unsigned int *files, unsigned int *parsed,
		unsigned int *answered)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int bad = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		char path[4096];

		if (n < 5 || strcmp(e->d_name + n - 4, ".sip") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		(*files)++;
		bad += torture_one(path, m, parsed, answered);
	}
	closedir(d);
	return bad;
}

/*
 * Whatever the message layer accepts, or refuses with an answer, must not be dropped
 * here as having no start line; what it accepts must be classed the same.
 */
static void
test_torture(void **state)
{
	struct sip_msg *m = malloc(sizeof(*m));
	unsigned int files = 0, parsed = 0, answered = 0;
	int bad = 0;
	DIR *d = opendir(TORTURE_DIR);

	(void)state;
	assert_non_null(m);
	if (d == NULL) {
		free(m);
		print_message("# no torture corpus at %s\n", TORTURE_DIR);
		skip();
	}
	closedir(d);
	bad += torture_dir(TORTURE_DIR, m, &files, &parsed, &answered);
	bad += torture_dir(TORTURE_DIR "/variants", m, &files, &parsed, &answered);
	free(m);
	print_message("# %u torture messages: %u accepted, %u answered\n", files, parsed,
			answered);
	assert_true(files >= 62);
	assert_true(parsed > 0 && answered > 0);
	if (bad)
		fail_msg("%d mismatches", bad);
}

/* The Call-ID and a response's top Via branch in their forms: long, compact, folded, spaced, absent. */
static void
test_call_id_branch(void **state)
{
	static const struct {
		const char *what, *msg, *call_id, *branch;
	} c[] = {
		{ "long forms", RESP "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKa1;rport\r\n"
				  "Call-ID: abc@host\r\n\r\n", "abc@host", "z9hG4bKa1" },
		{ "compact forms, any case", RESP "v: SIP/2.0/UDP 192.0.2.1 ; BRANCH = z9hG4bKb2\r\n"
				  "I:   xyz  \r\n\r\n", "xyz", "z9hG4bKb2" },
		{ "value on a fold", RESP "Call-ID:\r\n  folded@host\r\n" VIA "\r\n",
				"folded@host", "z9hG4bK1" },
		{ "first of two Vias", RESP "Via: SIP/2.0/UDP a;branch=z9hG4bKfirst, SIP/2.0/UDP "
				  "b;branch=z9hG4bKsecond\r\nVia: SIP/2.0/UDP c;branch=z9hG4bKthird\r\n"
				  "Call-ID: 1\r\n\r\n", "1", "z9hG4bKfirst" },
		{ "a parameter before the branch", RESP "Via: SIP/2.0/UDP a;rport;Branch=z9hG4bKr\r\n"
				  "Call-ID: 3\r\n\r\n", "3", "z9hG4bKr" },
		{ "no branch in the top via-parm", RESP "Via: SIP/2.0/UDP a, SIP/2.0/UDP "
				  "b;branch=z9hG4bKsecond\r\nCall-ID: 2\r\n\r\n", "2", "" },
		{ "first Call-ID only", RESP "Call-ID: one\r\nCall-ID: two\r\n" VIA "\r\n", "one",
				"z9hG4bK1" },
		{ "a request: no branch (its Via is parsed whole later)", REQ VIA "Call-ID: r\r\n\r\n",
				"r", "" },
		{ "none", REQ "To: <sip:a@b>\r\n\r\n", "", "" },
		{ "not in the body", REQ "Content-Length: 20\r\n\r\nCall-ID: body\r\nv: x\r\n", "",
				"" },
		{ "Call-Info is not Call-ID", REQ "Call-Info: <http://x>\r\ni: real\r\n\r\n",
				"real", "" },
	};
	unsigned int i;
	int bad = 0;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		size_t len = strlen(c[i].msg);
		char *buf = dup_exact(c[i].msg, len);
		struct sip_peek p;

		sip_peek(buf, (uint32_t)len, NULL, &p);
		if (!slice_is(buf, p.call_id_off, p.call_id_len, (struct sip_str){ c[i].call_id,
					(uint32_t)strlen(c[i].call_id) })) {
			print_error("%s: Call-ID '%.*s'\n", c[i].what, (int)p.call_id_len,
					buf + p.call_id_off);
			bad++;
		}
		if (!slice_is(buf, p.branch_off, p.branch_len, (struct sip_str){ c[i].branch,
					(uint32_t)strlen(c[i].branch) })) {
			print_error("%s: branch '%.*s'\n", c[i].what, (int)p.branch_len,
					buf + p.branch_off);
			bad++;
		}
		free(buf);
	}
	if (bad)
		fail_msg("%d mismatches", bad);
}

static int
setup_names(void **state)
{
	(void)state;
	return sip_peek_names_init(&default_names, sip_peek_default_scanners);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start_lines),
		cmocka_unit_test(test_control_octets),
		cmocka_unit_test(test_to_tag),
		cmocka_unit_test(test_scanner),
		cmocka_unit_test(test_names_default),
		cmocka_unit_test(test_names_custom),
		cmocka_unit_test(test_names_errors),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_torture),
		cmocka_unit_test(test_call_id_branch),
	};

	return cmocka_run_group_tests(tests, setup_names, NULL);
}
