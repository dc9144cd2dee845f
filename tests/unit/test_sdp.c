/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_sdp.c - sdp_parse and sdp_rewrite (sdp.h): connection addresses at both levels
 * (IPv4, IPv6, FQDN, multicast), origin, media lines, RTCP, directions, crypto and ICE
 * attributes, line ends, every refusal; and the relay's rewrite, compared byte for byte
 * and re-parsed, with too-small buffers refused without a write past their end. Inputs
 * are heap copies of their exact length, so that ASan sees any over-read.
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

#include "sdp.h"

/* Parses a heap copy of s; the copy stays alive (the slices point into it). */
static int
parse_copy(const char *s, struct sdp *sdp, char **copy)
{
	size_t len = strlen(s);

	*copy = dup_exact(s, len);
	return sdp_parse(*copy, len, sdp);
}

#define SDP_HEAD                                                                                   \
	"v=0\r\n"                                                                                  \
	"o=alice 2890844526 2890844527 IN IP4 192.0.2.10\r\n"                                     \
	"s=-\r\n"

/* ---- parsing: what is read --------------------------------------------------------------- */

static void
test_parse_basic(void **state)
{
	static const char sdp[] = SDP_HEAD "c=IN IP4 192.0.2.10\r\n"
					   "t=0 0\r\n"
					   "m=audio 49170 RTP/AVP 0 8 97\r\n"
					   "a=rtpmap:97 iLBC/8000\r\n"
					   "m=video 51372/2 RTP/AVP 31 32\r\n"
					   "c=IN IP6 2001:db8::2\r\n"
					   "m=image 0 udptl t38\r\n";
	struct sdp s;
	char *c;

	(void)state;
	assert_int_equal(parse_copy(sdp, &s, &c), 0);
	assert_true(str_is(s.o_username, "alice"));
	assert_true(str_is(s.o_sess_id, "2890844526"));
	assert_true(str_is(s.o_sess_version, "2890844527"));
	assert_true(str_is(s.o_addrtype, "IP4"));
	assert_true(str_is(s.o_addr, "192.0.2.10"));
	assert_true(str_is(s.session_name, "-"));
	assert_true(s.conn.present);
	assert_false(s.conn.v6);
	assert_true(str_is(s.conn.addrtype, "IP4"));
	assert_true(str_is(s.conn.addr, "192.0.2.10"));
	assert_int_equal(s.n_media, 3);

	assert_true(str_is(s.media[0].type, "audio"));
	assert_int_equal(s.media[0].port, 49170);
	assert_int_equal(s.media[0].nports, 1);
	assert_true(str_is(s.media[0].proto, "RTP/AVP"));
	assert_true(str_is(s.media[0].fmts, "0 8 97"));
	assert_false(s.media[0].conn.present);
	assert_int_equal(s.media[0].rtcp_port, -1);
	assert_false(s.media[0].rtcp_mux);
	assert_int_equal(s.media[0].dir, SDP_DIR_NONE);

	assert_true(str_is(s.media[1].type, "video"));
	assert_int_equal(s.media[1].port, 51372);
	assert_int_equal(s.media[1].nports, 2);
	assert_true(str_is(s.media[1].fmts, "31 32"));
	assert_true(s.media[1].conn.present);
	assert_true(s.media[1].conn.v6);
	assert_true(str_is(s.media[1].conn.addrtype, "IP6"));
	assert_true(str_is(s.media[1].conn.addr, "2001:db8::2"));

	assert_true(str_is(s.media[2].type, "image"));
	assert_int_equal(s.media[2].port, 0);
	assert_true(str_is(s.media[2].proto, "udptl"));
	assert_true(str_is(s.media[2].fmts, "t38"));
	free(c);
}

/* Connection lines, at session level (and the same at media level). */
struct conn_case {
	const char *line; /* the c= value */
	bool ok;
	bool v6;
	const char *addr;
};

static const struct conn_case conn_cases[] = {
	{ "IN IP4 192.0.2.10", true, false, "192.0.2.10" },
	{ "IN IP6 2001:db8::1", true, true, "2001:db8::1" },
	{ "IN IP6 2001:db8::192.0.2.1", true, true, "2001:db8::192.0.2.1" },
	{ "IN IP4 media.example.com", true, false, "media.example.com" },
	{ "IN IP4 233.252.0.1/127", true, false, "233.252.0.1" },
	{ "IN IP4 233.252.0.1/127/3", true, false, "233.252.0.1" },
	{ "IN IP6 ff0e::db8:0:1/3", true, true, "ff0e::db8:0:1" },
	{ "IN IP4 192.0.2.10  ", true, false, "192.0.2.10" },
	{ "IN IP4 256.0.2.10", false, false, NULL },
	{ "IN IP4 192.0.2", false, false, NULL },
	{ "IN IP4 2001:db8::1", false, false, NULL },
	{ "IN IP4 [2001:db8::1]", false, false, NULL },
	{ "IN IP6 192.0.2.10", false, false, NULL },
	{ "IN IP6 [2001:db8::1]", true, true, "2001:db8::1" }, /* tolerated (SIPp) */
	{ "IN IP6 2001:db8::g", false, false, NULL },
	{ "IN IP4 192.0.2.10:5004", false, false, NULL },
	{ "IN IP4 -bad.example.com", false, false, NULL },
	{ "IN IP4 192.0.2.10 extra", false, false, NULL },
	{ "IN IP5 192.0.2.10", false, false, NULL },
	{ "ATM NSAP 47.0005.80.ffe100.0000.f21a.26d8.0020ea0004b7.00", false, false, NULL },
	{ "IN IP4", false, false, NULL },
	{ "IN", false, false, NULL },
	{ "", false, false, NULL },
};

static void
test_parse_conn(void **state)
{
	int bad = 0;
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(conn_cases); i++) {
		const struct conn_case *c = &conn_cases[i];
		char buf[512];
		int level;

		for (level = 0; level < 2; level++) {
			const struct sdp_conn *conn;
			struct sdp s;
			char *copy;
			int rc;

			if (level == 0)
				snprintf(buf, sizeof(buf), SDP_HEAD "c=%s\r\nt=0 0\r\n"
						"m=audio 49170 RTP/AVP 0\r\n", c->line);
			else
				snprintf(buf, sizeof(buf), SDP_HEAD "t=0 0\r\n"
						"m=audio 49170 RTP/AVP 0\r\nc=%s\r\n", c->line);
			rc = parse_copy(buf, &s, &copy);
			conn = level == 0 ? &s.conn : &s.media[0].conn;
			if (rc != (c->ok ? 0 : -1)) {
				print_error("c=%s (%s level): expected %s, got %d (%s)\n", c->line,
						level ? "media" : "session",
						c->ok ? "success" : "refusal", rc,
						rc != 0 && s.err ? s.err : "");
				bad++;
			} else if (!c->ok) {
				if (s.err == NULL || strcmp(s.err, "Malformed SDP c= line") != 0) {
					print_error("c=%s: reason \"%s\"\n", c->line,
							s.err ? s.err : "(none)");
					bad++;
				}
			} else if (!conn->present || conn->v6 != c->v6 ||
					!str_is(conn->addr, c->addr) ||
					!str_is(conn->addrtype, c->v6 ? "IP6" : "IP4")) {
				print_error("c=%s (%s level): wrong connection %.*s\n", c->line,
						level ? "media" : "session", (int)conn->addr.len,
						conn->addr.s ? conn->addr.s : "");
				bad++;
			}
			free(copy);
		}
	}
	if (bad)
		fail_msg("%d mismatches", bad);
}

struct origin_case {
	const char *line; /* the o= value */
	bool ok;
	const char *user, *id, *version, *addrtype, *addr;
};

static const struct origin_case origin_cases[] = {
	{ "alice 2890844526 2890844527 IN IP4 192.0.2.10", true, "alice", "2890844526",
			"2890844527", "IP4", "192.0.2.10" },
	{ "- 0 0 IN IP6 2001:db8::1", true, "-", "0", "0", "IP6", "2001:db8::1" },
	{ "jdoe 1 2 IN IP4 host.example.com", true, "jdoe", "1", "2", "IP4", "host.example.com" },
	{ "- 1 1 IN IP4 192.0.2.10 ", true, "-", "1", "1", "IP4", "192.0.2.10" },
	{ "- 1 IN IP4 192.0.2.10", false, NULL, NULL, NULL, NULL, NULL },
	{ "- 1 1 IN IP4 192.0.2.10 extra", false, NULL, NULL, NULL, NULL, NULL },
	{ "- 1 1 IN IP4 256.0.0.1", false, NULL, NULL, NULL, NULL, NULL },
	{ "- 1 1 IN IP6 192.0.2.10", false, NULL, NULL, NULL, NULL, NULL },
	{ "- 1 1 XX IP4 192.0.2.10", false, NULL, NULL, NULL, NULL, NULL },
	{ "", false, NULL, NULL, NULL, NULL, NULL },
};

static void
test_parse_origin(void **state)
{
	int bad = 0;
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(origin_cases); i++) {
		const struct origin_case *c = &origin_cases[i];
		char buf[256];
		struct sdp s;
		char *copy;
		int rc;

		snprintf(buf, sizeof(buf), "v=0\r\no=%s\r\ns=-\r\nt=0 0\r\n", c->line);
		rc = parse_copy(buf, &s, &copy);
		if (rc != (c->ok ? 0 : -1)) {
			print_error("o=%s: got %d (%s)\n", c->line, rc,
					rc != 0 && s.err ? s.err : "");
			bad++;
		} else if (!c->ok) {
			if (strcmp(s.err, "Malformed SDP o= line") != 0) {
				print_error("o=%s: reason %s\n", c->line, s.err);
				bad++;
			}
		} else if (!str_is(s.o_username, c->user) || !str_is(s.o_sess_id, c->id) ||
				!str_is(s.o_sess_version, c->version) ||
				!str_is(s.o_addrtype, c->addrtype) || !str_is(s.o_addr, c->addr)) {
			print_error("o=%s: wrong fields\n", c->line);
			bad++;
		}
		free(copy);
	}
	if (bad)
		fail_msg("%d mismatches", bad);
}

static void
test_parse_attributes(void **state)
{
	static const char sdp[] = SDP_HEAD "t=0 0\r\n"
					   "a=sendonly\r\n"
					   "a=ice-lite\r\n"
					   "a=ice-ufrag:sessufrag\r\n"
					   "a=ice-pwd:sesspwd0123456789abcdef\r\n"
					   "a=candidate:0 1 UDP 1 192.0.2.99 9 typ host\r\n"
					   "m=audio 49170 RTP/SAVP 0\r\n"
					   "c=IN IP4 192.0.2.10\r\n"
					   "a=rtcp:53020\r\n"
					   "a=crypto:1 AES_CM_128_HMAC_SHA1_80"
					   " inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32\r\n"
					   "a=crypto:2 AES_CM_128_HMAC_SHA1_32"
					   " inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj|2^20|1:32\r\n"
					   "a=recvonly\r\n"
					   "m=audio 49172 UDP/TLS/RTP/SAVPF 111\r\n"
					   "c=IN IP4 192.0.2.10\r\n"
					   "a=rtcp:53021 IN IP4 192.0.2.20\r\n"
					   "a=rtcp-mux\r\n"
					   "a=ice-ufrag:m1\r\n"
					   "a=ice-pwd:m1pwd\r\n"
					   "a=candidate:1 1 UDP 2130706431 192.0.2.10 49172 typ host\r\n"
					   "a=candidate:1 2 UDP 2130706430 192.0.2.10 49173 typ host\r\n"
					   "a=candidate:2 1 UDP 1694498815 203.0.113.7 50000 typ srflx"
					   " raddr 192.0.2.10 rport 49172\r\n"
					   "a=inactive\r\n"
					   "m=video 49174 RTP/AVP 31\r\n"
					   "a=rtcp:53022 IN IP6 2001:db8::20\r\n"
					   "a=sendrecv\r\n";
	struct sdp s;
	char *c;

	(void)state;
	assert_int_equal(parse_copy(sdp, &s, &c), 0);
	assert_int_equal(s.dir, SDP_DIR_SENDONLY);
	assert_true(s.ice_lite);
	assert_true(str_is(s.ice_ufrag, "sessufrag"));
	assert_true(str_is(s.ice_pwd, "sesspwd0123456789abcdef"));
	assert_int_equal(s.n_media, 3);

	assert_int_equal(s.media[0].rtcp_port, 53020);
	assert_false(s.media[0].rtcp_conn.present);
	assert_int_equal(s.media[0].n_crypto, 2);
	assert_int_equal(s.media[0].n_candidates, 0);
	assert_int_equal(s.media[0].dir, SDP_DIR_RECVONLY);
	assert_false(s.media[0].rtcp_mux);
	assert_null(s.media[0].ice_ufrag.s);

	assert_int_equal(s.media[1].rtcp_port, 53021);
	assert_true(s.media[1].rtcp_conn.present);
	assert_false(s.media[1].rtcp_conn.v6);
	assert_true(str_is(s.media[1].rtcp_conn.addr, "192.0.2.20"));
	assert_true(s.media[1].rtcp_mux);
	assert_int_equal(s.media[1].n_crypto, 0);
	assert_int_equal(s.media[1].n_candidates, 3);
	assert_true(str_is(s.media[1].ice_ufrag, "m1"));
	assert_true(str_is(s.media[1].ice_pwd, "m1pwd"));
	assert_int_equal(s.media[1].dir, SDP_DIR_INACTIVE);
	assert_true(str_is(s.media[1].proto, "UDP/TLS/RTP/SAVPF"));

	assert_int_equal(s.media[2].rtcp_port, 53022);
	assert_true(s.media[2].rtcp_conn.present);
	assert_true(s.media[2].rtcp_conn.v6);
	assert_true(str_is(s.media[2].rtcp_conn.addr, "2001:db8::20"));
	assert_int_equal(s.media[2].dir, SDP_DIR_SENDRECV);
	assert_int_equal(s.media[2].n_crypto, 0);
	/* Session-level values are not copied into the media. */
	assert_null(s.media[2].ice_ufrag.s);
	free(c);
}

/* Line ends: CRLF, LF, none on the last line; empty lines are skipped. */
static void
test_parse_line_ends(void **state)
{
	static const char *const variants[] = {
		"v=0\no=- 1 1 IN IP4 192.0.2.1\ns=x\nc=IN IP4 192.0.2.1\nt=0 0\n"
		"m=audio 5004 RTP/AVP 0\na=sendonly",
		"v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=x\nc=IN IP4 192.0.2.1\r\nt=0 0\n"
		"m=audio 5004 RTP/AVP 0\r\na=sendonly\r\n",
		"\r\nv=0\r\n\r\no=- 1 1 IN IP4 192.0.2.1\r\n\ns=x\r\n\r\n\r\nc=IN IP4 192.0.2.1\r\n"
		"t=0 0\r\nm=audio 5004 RTP/AVP 0\n\na=sendonly\n\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(variants); i++) {
		struct sdp s;
		char *c;

		if (parse_copy(variants[i], &s, &c) != 0) {
			print_error("variant %zu refused: %s\n", i, s.err);
			fail();
		}
		assert_true(str_is(s.session_name, "x"));
		assert_true(str_is(s.conn.addr, "192.0.2.1"));
		assert_int_equal(s.n_media, 1);
		assert_int_equal(s.media[0].port, 5004);
		assert_true(str_is(s.media[0].fmts, "0"));
		assert_int_equal(s.media[0].dir, SDP_DIR_SENDONLY);
		free(c);
	}
}

/* ---- parsing: refusals ------------------------------------------------------------------- */

struct bad_case {
	const char *name;
	const char *sdp;
	const char *err;
};

#define MEDIA "t=0 0\r\nm=audio 49170 RTP/AVP 0\r\n"

static const struct bad_case bad_cases[] = {
	{ "empty", "", "SDP does not start with v=0" },
	{ "only empty lines", "\r\n\n", "SDP does not start with v=0" },
	{ "o= first", "o=- 1 1 IN IP4 192.0.2.1\r\nv=0\r\n", "SDP does not start with v=0" },
	{ "v=1", "v=1\r\no=- 1 1 IN IP4 192.0.2.1\r\n", "SDP does not start with v=0" },
	{ "v=00", "v=00\r\no=- 1 1 IN IP4 192.0.2.1\r\n", "SDP does not start with v=0" },
	{ "v without =", "v0\r\no=- 1 1 IN IP4 192.0.2.1\r\n", "SDP does not start with v=0" },
	{ "lone v", "v", "SDP does not start with v=0" },
	{ "missing o=", "v=0\r\ns=-\r\n" MEDIA, "SDP without o= line" },
	{ "only v=0", "v=0\r\n", "SDP without o= line" },
	{ "two o=", SDP_HEAD "o=- 1 1 IN IP4 192.0.2.1\r\n" MEDIA, "Malformed SDP o= line" },
	{ "o= in a media section", "v=0\r\ns=-\r\n" MEDIA "o=- 1 1 IN IP4 192.0.2.1\r\n",
			"Malformed SDP o= line" },
	{ "two session c=", SDP_HEAD "c=IN IP4 192.0.2.1\r\nc=IN IP4 192.0.2.2\r\n" MEDIA,
			"Malformed SDP c= line" },
	{ "bad media c=", SDP_HEAD MEDIA "c=IN IP4 192.0.2.256\r\n", "Malformed SDP c= line" },
	{ "m= port 65536", SDP_HEAD "t=0 0\r\nm=audio 65536 RTP/AVP 0\r\n",
			"Malformed SDP m= line" },
	{ "m= port not a number", SDP_HEAD "t=0 0\r\nm=audio x RTP/AVP 0\r\n",
			"Malformed SDP m= line" },
	{ "m= port negative", SDP_HEAD "t=0 0\r\nm=audio -1 RTP/AVP 0\r\n",
			"Malformed SDP m= line" },
	{ "m= port/0", SDP_HEAD "t=0 0\r\nm=audio 49170/0 RTP/AVP 0\r\n",
			"Malformed SDP m= line" },
	{ "m= port/", SDP_HEAD "t=0 0\r\nm=audio 49170/ RTP/AVP 0\r\n", "Malformed SDP m= line" },
	{ "m= no proto", SDP_HEAD "t=0 0\r\nm=audio 49170\r\n", "Malformed SDP m= line" },
	{ "m= empty", SDP_HEAD "t=0 0\r\nm=\r\n", "Malformed SDP m= line" },
	{ "a=rtcp bad port", SDP_HEAD MEDIA "a=rtcp:x\r\n", "Malformed SDP a=rtcp line" },
	{ "a=rtcp port 65536", SDP_HEAD MEDIA "a=rtcp:65536\r\n", "Malformed SDP a=rtcp line" },
	{ "a=rtcp without port", SDP_HEAD MEDIA "a=rtcp\r\n", "Malformed SDP a=rtcp line" },
	{ "a=rtcp empty", SDP_HEAD MEDIA "a=rtcp:\r\n", "Malformed SDP a=rtcp line" },
	{ "a=rtcp no address", SDP_HEAD MEDIA "a=rtcp:53020 IN IP4\r\n",
			"Malformed SDP a=rtcp line" },
	{ "a=rtcp bad address", SDP_HEAD MEDIA "a=rtcp:53020 IN IP6 192.0.2.1\r\n",
			"Malformed SDP a=rtcp line" },
	{ "a=rtcp trailing junk", SDP_HEAD MEDIA "a=rtcp:53020 IN IP4 192.0.2.1 x\r\n",
			"Malformed SDP a=rtcp line" },
	{ "line without =", SDP_HEAD "t=0 0\r\nx\r\n", "Malformed SDP line" },
	{ "word without =", SDP_HEAD "t=0 0\r\nabc\r\n", "Malformed SDP line" },
	{ "last line one octet", SDP_HEAD "t=0 0\r\na", "Malformed SDP line" },
	{ "upper-case type", SDP_HEAD "t=0 0\r\nA=sendonly\r\n", "Malformed SDP line" },
	{ "digit type", SDP_HEAD "t=0 0\r\n1=x\r\n", "Malformed SDP line" },
	{ "space before =", SDP_HEAD "t =0 0\r\n", "Malformed SDP line" },
	{ "CR inside", SDP_HEAD "a\r=x\r\n", "Malformed SDP line" },
};

static void
test_parse_refusals(void **state)
{
	int bad = 0;
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(bad_cases); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct sdp s;
		char *copy;
		int rc = parse_copy(c->sdp, &s, &copy);

		if (rc != -1 || s.err == NULL || strcmp(s.err, c->err) != 0) {
			print_error("%s: expected \"%s\", got %d (%s)\n", c->name, c->err, rc,
					rc == -1 && s.err ? s.err : "no reason");
			bad++;
		}
		free(copy);
	}
	if (bad)
		fail_msg("%d mismatches", bad);
}

static void
test_parse_max_media(void **state)
{
	char buf[2048];
	struct sdp s;
	size_t off;
	char *c;
	int i;

	(void)state;
	off = (size_t)snprintf(buf, sizeof(buf), SDP_HEAD "c=IN IP4 192.0.2.10\r\nt=0 0\r\n");
	for (i = 0; i < SDP_MAX_MEDIA; i++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "m=audio %d RTP/AVP 0\r\n",
				10000 + 2 * i);
	assert_int_equal(parse_copy(buf, &s, &c), 0);
	assert_int_equal(s.n_media, SDP_MAX_MEDIA);
	assert_int_equal(s.media[SDP_MAX_MEDIA - 1].port, 10000 + 2 * (SDP_MAX_MEDIA - 1));
	free(c);
	snprintf(buf + off, sizeof(buf) - off, "m=audio 30000 RTP/AVP 0\r\n");
	assert_int_equal(parse_copy(buf, &s, &c), -1);
	assert_string_equal(s.err, "Too Many SDP Media Sections");
	free(c);
}

/* ---- rewriting ---------------------------------------------------------------------------- */

/* Input with LF and CRLF ends, session and media ICE, a section without c=. */
static const char rw_in[] = "v=0\n"
			    "o=alice 2890844526 2890844527 IN IP4 192.0.2.10\r\n"
			    "s=Session\n"
			    "i=A session\r\n"
			    "c=IN IP4 192.0.2.10\n"
			    "b=AS:128\r\n"
			    "t=0 0\n"
			    "a=ice-lite\r\n"
			    "a=ice-ufrag:sess\n"
			    "a=ice-pwd:sesspwd\r\n"
			    "a=ice-options:trickle\n"
			    "m=audio 49170 RTP/AVP 0 8\r\n"
			    "i=audio stream\n"
			    "b=AS:64\r\n"
			    "a=rtcp:49171\n"
			    "a=candidate:1 1 UDP 2130706431 192.0.2.10 49170 typ host\r\n"
			    "a=ice-ufrag:m1\n"
			    "a=ice-pwd:m1pwd\r\n"
			    "a=end-of-candidates\n"
			    "a=sendrecv\r\n"
			    "m=video 51372/2 RTP/AVP 31\n"
			    "c=IN IP4 192.0.2.11/127\r\n"
			    "a=rtcp:51373 IN IP4 192.0.2.11\n"
			    "a=remote-candidates:1 192.0.2.1 5000\r\n"
			    "a=fmtp:31 x=y\n"
			    "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
			    "a=rtcp:9\n"
			    "a=sctp-port:5000";

static const char rw_out[] = "v=0\r\n"
			     "o=alice 2890844526 2890844528 IN IP6 2001:db8::10\r\n"
			     "s=Session\r\n"
			     "i=A session\r\n"
			     "c=IN IP6 2001:db8::1\r\n"
			     "b=AS:128\r\n"
			     "t=0 0\r\n"
			     "m=audio 20000 RTP/AVP 0 8\r\n"
			     "i=audio stream\r\n"
			     "c=IN IP4 203.0.113.5\r\n"
			     "b=AS:64\r\n"
			     "a=rtcp:20001\r\n"
			     "a=sendrecv\r\n"
			     "m=video 20002/2 RTP/AVP 31\r\n"
			     "c=IN IP6 2001:db8::5\r\n"
			     "a=rtcp:20003 IN IP6 2001:db8::5\r\n"
			     "a=fmtp:31 x=y\r\n"
			     "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
			     "a=rtcp:9\r\n"
			     "a=sctp-port:5000\r\n";

static void
rw_relay(struct sdp_rewrite *rw)
{
	memset(rw, 0, sizeof(*rw));
	rw->origin_addr = "2001:db8::10";
	rw->origin_v6 = true;
	rw->origin_version = "2890844528";
	rw->conn_addr = "2001:db8::1";
	rw->conn_v6 = true;
	rw->strip_ice = true;
	rw->n_media = 2;
	rw->media[0].set_port = true;
	rw->media[0].port = 20000;
	rw->media[0].conn_addr = "203.0.113.5";
	rw->media[0].set_rtcp = true;
	rw->media[0].rtcp_port = 20001;
	rw->media[1].set_port = true;
	rw->media[1].port = 20002;
	rw->media[1].conn_addr = "2001:db8::5";
	rw->media[1].conn_v6 = true;
	rw->media[1].set_rtcp = true;
	rw->media[1].rtcp_port = 20003;
}

/* Prints both texts when they differ. */
static void
assert_text(const char *what, const char *got, int n, const char *exp)
{
	if (n != (int)strlen(exp) || memcmp(got, exp, (size_t)n) != 0) {
		print_error("%s: expected (%zu octets):\n%s\n-- got (%d):\n%.*s\n", what,
				strlen(exp), exp, n, n > 0 ? n : 0, got);
		fail();
	}
}

static void
test_rewrite_relay(void **state)
{
	char *in = dup_exact(rw_in, sizeof(rw_in) - 1);
	struct sdp_rewrite rw;
	struct sdp s, s2;
	char out[2048];
	int n;

	(void)state;
	assert_int_equal(sdp_parse(in, sizeof(rw_in) - 1, &s), 0);
	assert_int_equal(s.n_media, 3);
	rw_relay(&rw);
	n = sdp_rewrite(in, sizeof(rw_in) - 1, &s, &rw, out, sizeof(out));
	assert_text("relay rewrite", out, n, rw_out);

	/* The output parses with the new values. */
	assert_int_equal(sdp_parse(out, (size_t)n, &s2), 0);
	assert_true(str_is(s2.o_username, "alice"));
	assert_true(str_is(s2.o_sess_id, "2890844526"));
	assert_true(str_is(s2.o_sess_version, "2890844528"));
	assert_true(str_is(s2.o_addrtype, "IP6"));
	assert_true(str_is(s2.o_addr, "2001:db8::10"));
	assert_true(s2.conn.v6);
	assert_true(str_is(s2.conn.addr, "2001:db8::1"));
	assert_false(s2.ice_lite);
	assert_null(s2.ice_ufrag.s);
	assert_null(s2.ice_pwd.s);
	assert_int_equal(s2.n_media, 3);
	assert_int_equal(s2.media[0].port, 20000);
	assert_true(s2.media[0].conn.present);
	assert_false(s2.media[0].conn.v6);
	assert_true(str_is(s2.media[0].conn.addr, "203.0.113.5"));
	assert_int_equal(s2.media[0].rtcp_port, 20001);
	assert_int_equal(s2.media[0].n_candidates, 0);
	assert_null(s2.media[0].ice_ufrag.s);
	assert_int_equal(s2.media[0].dir, SDP_DIR_SENDRECV);
	assert_int_equal(s2.media[1].port, 20002);
	assert_int_equal(s2.media[1].nports, 2);
	assert_true(s2.media[1].conn.v6);
	assert_true(str_is(s2.media[1].conn.addr, "2001:db8::5"));
	assert_int_equal(s2.media[1].rtcp_port, 20003);
	assert_true(s2.media[1].rtcp_conn.v6);
	assert_true(str_is(s2.media[1].rtcp_conn.addr, "2001:db8::5"));
	/* Beyond rw.n_media: copied as it was. */
	assert_int_equal(s2.media[2].port, 9);
	assert_int_equal(s2.media[2].rtcp_port, 9);
	free(in);
}

/* With no change asked, only the line ends change (empty lines are dropped). */
static void
test_rewrite_identity(void **state)
{
	static const char in_text[] = "v=0\n"
				      "o=- 1 1 IN IP4 192.0.2.1\n"
				      "\n"
				      "s=  spaces kept  \n"
				      "c=IN IP4 192.0.2.1\r\n"
				      "t=0 0\n"
				      "a=ice-ufrag:x\r\n"
				      "m=audio 5004 RTP/AVP 0\n"
				      "a=candidate:1 1 UDP 1 192.0.2.1 5004 typ host\n"
				      "a=rtcp:5005 IN IP4 192.0.2.1";
	static const char exp[] = "v=0\r\n"
				  "o=- 1 1 IN IP4 192.0.2.1\r\n"
				  "s=  spaces kept  \r\n"
				  "c=IN IP4 192.0.2.1\r\n"
				  "t=0 0\r\n"
				  "a=ice-ufrag:x\r\n"
				  "m=audio 5004 RTP/AVP 0\r\n"
				  "a=candidate:1 1 UDP 1 192.0.2.1 5004 typ host\r\n"
				  "a=rtcp:5005 IN IP4 192.0.2.1\r\n";
	char *in = dup_exact(in_text, sizeof(in_text) - 1);
	struct sdp_rewrite rw;
	struct sdp s;
	char out[1024];
	int n;

	(void)state;
	memset(&rw, 0, sizeof(rw));
	assert_int_equal(sdp_parse(in, sizeof(in_text) - 1, &s), 0);
	n = sdp_rewrite(in, sizeof(in_text) - 1, &s, &rw, out, sizeof(out));
	assert_text("identity", out, n, exp);
	/* n_media set but nothing asked in the sections: the same. */
	rw.n_media = 1;
	n = sdp_rewrite(in, sizeof(in_text) - 1, &s, &rw, out, sizeof(out));
	assert_text("identity with an empty media entry", out, n, exp);
	free(in);
}

struct rw_case {
	const char *name;
	const char *in;
	void (*setup)(struct sdp_rewrite *rw);
	const char *out;
};

static void
rw_v6_to_v4(struct sdp_rewrite *rw)
{
	rw->origin_addr = "198.51.100.1";
	rw->conn_addr = "198.51.100.2";
	rw->n_media = 1;
	rw->media[0].set_rtcp = true;
	rw->media[0].rtcp_port = 40001;
	rw->media[0].conn_addr = "198.51.100.3";
}

static void
rw_origin_user(struct sdp_rewrite *rw)
{
	rw->origin_username = "sbc";
}

static void
rw_insert_last(struct sdp_rewrite *rw)
{
	rw->n_media = 2;
	rw->media[0].conn_addr = "203.0.113.1";
	rw->media[1].conn_addr = "2001:db8::9";
	rw->media[1].conn_v6 = true;
	rw->media[1].set_port = true;
	rw->media[1].port = 0;
}

static void
rw_rtcp_keep_addr(struct sdp_rewrite *rw)
{
	rw->n_media = 1;
	rw->media[0].set_rtcp = true;
	rw->media[0].rtcp_port = 7;
	rw->media[0].set_port = true;
	rw->media[0].port = 6;
}

static void
rw_strip_only(struct sdp_rewrite *rw)
{
	rw->strip_ice = true;
}

static const struct rw_case rw_cases[] = {
	{ "IPv6 to IPv4",
			"v=0\r\no=- 7 7 IN IP6 2001:db8::1\r\ns=-\r\nc=IN IP6 2001:db8::1\r\nt=0 0\r\n"
			"m=audio 5004 RTP/AVP 0\r\nc=IN IP6 2001:db8::2\r\n"
			"a=rtcp:5005 IN IP6 2001:db8::2\r\n",
			rw_v6_to_v4,
			"v=0\r\no=- 7 7 IN IP4 198.51.100.1\r\ns=-\r\nc=IN IP4 198.51.100.2\r\nt=0 0\r\n"
			"m=audio 5004 RTP/AVP 0\r\nc=IN IP4 198.51.100.3\r\n"
			"a=rtcp:40001 IN IP4 198.51.100.3\r\n" },
	{ "origin user only",
			"v=0\r\no=alice 7 8 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n",
			rw_origin_user,
			"v=0\r\no=sbc 7 8 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n" },
	/* A c= for a section without one goes after m= and i=, even at the very end. */
	{ "c= inserted, also last",
			"v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n"
			"m=audio 5004 RTP/AVP 0\r\n"
			"m=video 5006 RTP/AVP 31\r\ni=video\r\ni=again",
			rw_insert_last,
			"v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n"
			"m=audio 5004 RTP/AVP 0\r\nc=IN IP4 203.0.113.1\r\n"
			"m=video 0 RTP/AVP 31\r\ni=video\r\ni=again\r\nc=IN IP6 2001:db8::9\r\n" },
	/* Without a new address for the section, a=rtcp keeps its own. */
	{ "rtcp keeps its address",
			"v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n"
			"m=audio 5004 RTP/AVP 0\r\nc=IN IP4 192.0.2.1\r\n"
			"a=rtcp:5005 IN IP6 2001:db8::7\r\n",
			rw_rtcp_keep_addr,
			"v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n"
			"m=audio 6 RTP/AVP 0\r\nc=IN IP4 192.0.2.1\r\n"
			"a=rtcp:7 IN IP6 2001:db8::7\r\n" },
	/* Every ICE attribute goes, at both levels; others stay. */
	{ "strip ICE only",
			"v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nt=0 0\na=ice-lite\na=ice-options:ice2\n"
			"a=ice-mismatch\na=group:BUNDLE 0\nm=audio 5004 RTP/AVP 0\na=mid:0\n"
			"a=ice-ufrag:u\na=ice-pwd:p\na=candidate:1 1 UDP 1 192.0.2.1 5004 typ host\n"
			"a=remote-candidates:1 192.0.2.2 5004\na=end-of-candidates\na=ice-pwdx:kept\n",
			rw_strip_only,
			"v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
			"m=audio 5004 RTP/AVP 0\r\na=mid:0\r\na=ice-pwdx:kept\r\n" },
};

static void
test_rewrite_cases(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(rw_cases); i++) {
		const struct rw_case *c = &rw_cases[i];
		size_t len = strlen(c->in);
		char *in = dup_exact(c->in, len);
		struct sdp_rewrite rw;
		struct sdp s, s2;
		char out[1024];
		int n;

		if (sdp_parse(in, len, &s) != 0) {
			print_error("%s: input refused: %s\n", c->name, s.err);
			fail();
		}
		memset(&rw, 0, sizeof(rw));
		c->setup(&rw);
		n = sdp_rewrite(in, len, &s, &rw, out, sizeof(out));
		assert_text(c->name, out, n, c->out);
		if (sdp_parse(out, (size_t)n, &s2) != 0) {
			print_error("%s: output refused: %s\n", c->name, s2.err);
			fail();
		}
		assert_int_equal(s2.n_media, s.n_media);
		free(in);
	}
}

/* Every capacity below the length is refused, with nothing written at or past it. */
/* a=rtcp with an address follows the session-level c= when the section has none new. */
static void
test_rewrite_rtcp_follows_session(void **state)
{
	static const char in[] = "v=0\r\n"
				 "o=- 1 1 IN IP4 192.0.2.10\r\n"
				 "s=-\r\n"
				 "c=IN IP4 192.0.2.10\r\n"
				 "a=rtcp:9\r\n" /* session-level a=rtcp: ignored, kept */
				 "t=0 0\r\n"
				 "m=audio 30000 RTP/AVP 0\r\n"
				 "a=rtcp:30001 IN IP4 192.0.2.10\r\n";
	static const char exp[] = "v=0\r\n"
				  "o=- 1 1 IN IP4 192.0.2.10\r\n"
				  "s=-\r\n"
				  "c=IN IP6 2001:db8::1\r\n"
				  "a=rtcp:9\r\n"
				  "t=0 0\r\n"
				  "m=audio 20000 RTP/AVP 0\r\n"
				  "a=rtcp:20001 IN IP6 2001:db8::1\r\n";
	struct sdp_rewrite rw = { .conn_addr = "2001:db8::1", .conn_v6 = true, .n_media = 1 };
	struct sdp s;
	char out[512];
	int n;

	(void)state;
	rw.media[0] = (struct sdp_rewrite_media){ .set_port = true, .port = 20000,
		.set_rtcp = true, .rtcp_port = 20001 };
	assert_int_equal(sdp_parse(in, sizeof(in) - 1, &s), 0);
	assert_int_equal(s.media[0].rtcp_port, 30001);
	n = sdp_rewrite(in, sizeof(in) - 1, &s, &rw, out, sizeof(out));
	assert_int_equal(n, (int)sizeof(exp) - 1);
	assert_memory_equal(out, exp, sizeof(exp) - 1);
}

/* A replacement CNAME: "cn" and the value's length, so the test sees what was passed. */
static size_t
t_cname(const void *arg, struct sip_str value, char *out)
{
	(void)arg;
	return (size_t)snprintf(out, SDP_CNAME_MAX, "cn%u", value.len);
}

/* a=ssrc cname values replaced (RFC 5576), other a=ssrc attributes and lines kept. */
static void
test_rewrite_ssrc_cname(void **state)
{
	static const char in[] = "v=0\r\n"
				 "o=- 1 1 IN IP4 192.0.2.10\r\n"
				 "s=-\r\n"
				 "c=IN IP4 192.0.2.10\r\n"
				 "t=0 0\r\n"
				 "m=audio 30000 RTP/AVP 0\r\n"
				 "a=ssrc:4144175948 cname:sip:alice@192.0.2.10\r\n"
				 "a=ssrc:4144175948 msid:stream track\r\n"
				 "a=ssrc:1 cname:\r\n"
				 "a=ssrc:2\r\n"
				 "a=ssrc-group:FID 1 2\r\n";
	static const char exp[] = "v=0\r\n"
				  "o=- 1 1 IN IP4 192.0.2.10\r\n"
				  "s=-\r\n"
				  "c=IN IP4 192.0.2.10\r\n"
				  "t=0 0\r\n"
				  "m=audio 30000 RTP/AVP 0\r\n"
				  "a=ssrc:4144175948 cname:cn20\r\n"
				  "a=ssrc:4144175948 msid:stream track\r\n"
				  "a=ssrc:1 cname:cn0\r\n"
				  "a=ssrc:2\r\n"
				  "a=ssrc-group:FID 1 2\r\n";
	struct sdp_rewrite rw = { .cname = t_cname };
	struct sdp s;
	char out[512];
	int n;

	(void)state;
	assert_int_equal(sdp_parse(in, sizeof(in) - 1, &s), 0);
	n = sdp_rewrite(in, sizeof(in) - 1, &s, &rw, out, sizeof(out));
	assert_int_equal(n, (int)sizeof(exp) - 1);
	assert_memory_equal(out, exp, sizeof(exp) - 1);
	/* Without the callback, copied as it is. */
	rw.cname = NULL;
	n = sdp_rewrite(in, sizeof(in) - 1, &s, &rw, out, sizeof(out));
	assert_int_equal(n, (int)sizeof(in) - 1);
	assert_memory_equal(out, in, sizeof(in) - 1);
}

static void
test_rewrite_cap(void **state)
{
	char *in = dup_exact(rw_in, sizeof(rw_in) - 1);
	size_t need = sizeof(rw_out) - 1, cap;
	struct sdp_rewrite rw;
	struct sdp s;

	(void)state;
	assert_int_equal(sdp_parse(in, sizeof(rw_in) - 1, &s), 0);
	rw_relay(&rw);
	for (cap = 0; cap <= need; cap++) {
		char *out = malloc(cap + 64);
		size_t k;
		int n;

		assert_non_null(out);
		memset(out, 0xa5, cap + 64);
		n = sdp_rewrite(in, sizeof(rw_in) - 1, &s, &rw, out, cap);
		if (n != (cap < need ? -1 : (int)need)) {
			print_error("cap %zu: returned %d\n", cap, n);
			fail();
		}
		for (k = cap; k < cap + 64; k++)
			if ((uint8_t)out[k] != 0xa5) {
				print_error("cap %zu: octet %zu written\n", cap, k);
				fail();
			}
		free(out);
		/* And into a buffer of exactly cap octets, for ASan. */
		out = malloc(cap ? cap : 1);
		assert_non_null(out);
		sdp_rewrite(in, sizeof(rw_in) - 1, &s, &rw, out, cap);
		free(out);
	}
	free(in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_basic),
		cmocka_unit_test(test_parse_conn),
		cmocka_unit_test(test_parse_origin),
		cmocka_unit_test(test_parse_attributes),
		cmocka_unit_test(test_parse_line_ends),
		cmocka_unit_test(test_parse_refusals),
		cmocka_unit_test(test_parse_max_media),
		cmocka_unit_test(test_rewrite_relay),
		cmocka_unit_test(test_rewrite_identity),
		cmocka_unit_test(test_rewrite_cases),
		cmocka_unit_test(test_rewrite_cap),
		cmocka_unit_test(test_rewrite_rtcp_follows_session),
		cmocka_unit_test(test_rewrite_ssrc_cname),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
