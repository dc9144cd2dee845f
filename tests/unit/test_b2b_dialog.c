/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_b2b_dialog.c - golden flows inside a call's dialogs, through the real
 * transaction layer and B2BUA with the fake environment (b2b_fake.h, b2b_flow.h):
 * re-INVITE from either side (hold and resume, the flows following; refused, the media
 * left as it was), session refresh, route sets, reliable provisional responses and
 * PRACK, UPDATE and INFO both ways, OPTIONS in a dialog and to the SBC itself, glare,
 * requests for a call that ended, stray responses, Max-Forwards.
 *
 * As in test_b2b.c, every message a side receives is checked for topology hiding, the
 * messages that matter are compared whole, and every flow ends idle.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "b2b_flow.h"

/* ---- what the parties receive (golden; read against the RFCs before freezing) ------- */

/* The caller's hold as leg B gets it: leg B's dialog (next CSeq, Contact), the origin
 * version moved on, a=sendonly passed, the relay's address. */
static const char hold_b[] =
	"INVITE sip:bob@198.51.100.10:5060 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bKsbc00.AAAAADE4sUBInoABV;rport\r\n"
	"Max-Forwards: 69\r\n"
	"From: Alice <sip:alice@198.51.100.1>;tag=sbc00.Pde_4VcJAwD\r\n"
	"To: Bob <sip:bob@198.51.100.10:5060>;tag=a6c85cf\r\n"
	"Call-ID: sbc00.AAAAAAJdCiEk9ShLx\r\n"
	"CSeq: 2 INVITE\r\n"
	"Contact: <sip:198.51.100.1:5060>\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length: 143\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 4219364718613058 2 IN IP4 198.51.100.1\r\n"
	"s=-\r\n"
	"c=IN IP4 198.51.100.1\r\n"
	"t=0 0\r\n"
	"m=audio 20000 RTP/AVP 0\r\n"
	"a=rtpmap:0 PCMU/8000\r\n"
	"a=sendonly\r\n";

/* ... and the callee's answer as the caller gets it. */
static const char held_a_ok[] =
	"SIP/2.0 200 OK\r\n"
	"Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776hold;rport=5060\r\n"
	"From: Alice <sip:alice@192.0.2.10>;tag=1928301774\r\n"
	"To: Bob <sip:bob@192.0.2.1>;tag=sbc00.B3XgbgIHDKg\r\n"
	"Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
	"CSeq: 314160 INVITE\r\n"
	"Contact: <sip:192.0.2.1:5060>\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length: 137\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 1284788458907896 2 IN IP4 192.0.2.1\r\n"
	"s=-\r\n"
	"c=IN IP4 192.0.2.1\r\n"
	"t=0 0\r\n"
	"m=audio 20000 RTP/AVP 0\r\n"
	"a=rtpmap:0 PCMU/8000\r\n"
	"a=recvonly\r\n";

/* The callee's hold with 0.0.0.0 as the caller gets it, in the caller's dialog (the
 * SBC's first CSeq there): 0.0.0.0 is kept at media level, which overrides the
 * session-level address (RFC 4566 5.7). */
static const char hold0_a[] =
	"INVITE sip:alice@192.0.2.10:5060 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKsbc00.AAAAADE4sUBInoABV;rport\r\n"
	"Max-Forwards: 69\r\n"
	"From: Bob <sip:bob@192.0.2.1>;tag=sbc00.B3XgbgIHDKg\r\n"
	"To: Alice <sip:alice@192.0.2.10>;tag=1928301774\r\n"
	"Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: <sip:192.0.2.1:5060>\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length: 143\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 1284788458907896 2 IN IP4 192.0.2.1\r\n"
	"s=-\r\n"
	"c=IN IP4 192.0.2.1\r\n"
	"t=0 0\r\n"
	"m=audio 20000 RTP/AVP 0\r\n"
	"c=IN IP4 0.0.0.0\r\n"
	"a=rtpmap:0 PCMU/8000\r\n";

/* ... and the caller's answer as the callee gets it. */
static const char hold0_b_ok[] =
	"SIP/2.0 200 OK\r\n"
	"Via: SIP/2.0/UDP 198.51.100.10:5060;branch=z9hG4bKcalleehold;rport=5060\r\n"
	"From: Bob <sip:bob@198.51.100.10:5060>;tag=a6c85cf\r\n"
	"To: Alice <sip:alice@198.51.100.1>;tag=sbc00.Pde_4VcJAwD\r\n"
	"Call-ID: sbc00.AAAAAAJdCiEk9ShLx\r\n"
	"CSeq: 100 INVITE\r\n"
	"Contact: <sip:198.51.100.1:5060>\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length: 131\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 4219364718613058 2 IN IP4 198.51.100.1\r\n"
	"s=-\r\n"
	"c=IN IP4 198.51.100.1\r\n"
	"t=0 0\r\n"
	"m=audio 20000 RTP/AVP 0\r\n"
	"a=rtpmap:0 PCMU/8000\r\n";

/* The BYE the caller gets through its proxies: Route is its route set as the INVITE's
 * Record-Route gave it (RFC 3261 12.1.1), the Request-URI its Contact (loose routing). */
static const char routed_bye_a[] =
	"BYE sip:alice@192.0.2.10:5060 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKsbc00.AAAAADE4sUBInoABV;rport\r\n"
	"Route: <sip:p1.atlanta.example.com;lr>, <sip:p2.atlanta.example.com;lr>\r\n"
	"Max-Forwards: 69\r\n"
	"From: Bob <sip:bob@192.0.2.1>;tag=sbc00.B3XgbgIHDKg\r\n"
	"To: Alice <sip:alice@192.0.2.10>;tag=1928301774\r\n"
	"Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
	"CSeq: 1 BYE\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

/* The reliable 183 as the caller gets it (RFC 3262): Require: 100rel and RSeq passed,
 * a Contact of the SBC's, the SDP rewritten. */
static const char progress_a_183[] =
	"SIP/2.0 183 Session Progress\r\n"
	"Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport=5060\r\n"
	"From: Alice <sip:alice@192.0.2.10>;tag=1928301774\r\n"
	"To: Bob <sip:bob@192.0.2.1>;tag=sbc00.B3XgbgIHDKg\r\n"
	"Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
	"CSeq: 314159 INVITE\r\n"
	"Contact: <sip:192.0.2.1:5060>\r\n"
	"Require: 100rel\r\n"
	"RSeq: 1\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length: 125\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 1284788458907896 1 IN IP4 192.0.2.1\r\n"
	"s=-\r\n"
	"c=IN IP4 192.0.2.1\r\n"
	"t=0 0\r\n"
	"m=audio 20000 RTP/AVP 0\r\n"
	"a=rtpmap:0 PCMU/8000\r\n";

/* The caller's PRACK as leg B gets it: the RAck names leg B's INVITE (CSeq 1). */
static const char prack_b[] =
	"PRACK sip:bob@198.51.100.10:5060 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bKsbc00.AAAAADAbNFu65bbF_;rport\r\n"
	"Max-Forwards: 69\r\n"
	"From: Alice <sip:alice@198.51.100.1>;tag=sbc00.Pde_4VcJAwD\r\n"
	"To: Bob <sip:bob@198.51.100.10:5060>;tag=a6c85cf\r\n"
	"Call-ID: sbc00.AAAAAAJdCiEk9ShLx\r\n"
	"CSeq: 2 PRACK\r\n"
	"RAck: 1 1 INVITE\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

/* The caller's UPDATE as leg B gets it: a Contact (target refresh, RFC 3311), the
 * origin version moved on, the same relay port. */
static const char update_b[] =
	"UPDATE sip:bob@198.51.100.10:5060 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bKsbc00.AAAAADE4sUBInoABV;rport\r\n"
	"Max-Forwards: 69\r\n"
	"From: Alice <sip:alice@198.51.100.1>;tag=sbc00.Pde_4VcJAwD\r\n"
	"To: Bob <sip:bob@198.51.100.10:5060>;tag=a6c85cf\r\n"
	"Call-ID: sbc00.AAAAAAJdCiEk9ShLx\r\n"
	"CSeq: 2 UPDATE\r\n"
	"Contact: <sip:198.51.100.1:5060>\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length: 131\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 4219364718613058 2 IN IP4 198.51.100.1\r\n"
	"s=-\r\n"
	"c=IN IP4 198.51.100.1\r\n"
	"t=0 0\r\n"
	"m=audio 20000 RTP/AVP 0\r\n"
	"a=rtpmap:0 PCMU/8000\r\n";

/* ... and the callee's answer as the caller gets it. */
static const char update_a_ok[] =
	"SIP/2.0 200 OK\r\n"
	"Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776upd;rport=5060\r\n"
	"From: Alice <sip:alice@192.0.2.10>;tag=1928301774\r\n"
	"To: Bob <sip:bob@192.0.2.1>;tag=sbc00.B3XgbgIHDKg\r\n"
	"Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
	"CSeq: 314160 UPDATE\r\n"
	"Contact: <sip:192.0.2.1:5060>\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length: 137\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 1284788458907896 2 IN IP4 192.0.2.1\r\n"
	"s=-\r\n"
	"c=IN IP4 192.0.2.1\r\n"
	"t=0 0\r\n"
	"m=audio 20000 RTP/AVP 0\r\n"
	"a=rtpmap:0 PCMU/8000\r\n"
	"a=sendrecv\r\n";

/* The caller's INFO as leg B gets it: the body and its type passed as they are. */
static const char info_b[] =
	"INFO sip:bob@198.51.100.10:5060 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bKsbc00.AAAAAHPUvb_d08ZCu;rport\r\n"
	"Max-Forwards: 69\r\n"
	"From: Alice <sip:alice@198.51.100.1>;tag=sbc00.Pde_4VcJAwD\r\n"
	"To: Bob <sip:bob@198.51.100.10:5060>;tag=a6c85cf\r\n"
	"Call-ID: sbc00.AAAAAAJdCiEk9ShLx\r\n"
	"CSeq: 3 INFO\r\n"
	"Content-Type: application/dtmf-relay\r\n"
	"Content-Length: 24\r\n"
	"\r\n"
	"Signal=5\r\n"
	"Duration=160\r\n";

/* The SBC's own answer to OPTIONS: what it does (RFC 3261 11.2). */
static const char options_ok[] =
	"SIP/2.0 200 OK\r\n"
	"Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776opt;rport=5060\r\n"
	"From: Alice <sip:alice@192.0.2.10>;tag=1928301774\r\n"
	"To: <sip:192.0.2.1>;tag=sbc00.B3XgbgIHDKg\r\n"
	"Call-ID: options-1@pc33.atlanta.example.com\r\n"
	"CSeq: 1 OPTIONS\r\n"
	"Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, PRACK, INFO\r\n"
	"Accept: application/sdp\r\n"
	"Supported: 100rel, timer\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

/* 491 to a re-INVITE that met another INVITE transaction (RFC 3261 14.1). */
static const char pending_a_491[] =
	"SIP/2.0 491 Request Pending\r\n"
	"Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776glare;rport=5060\r\n"
	"From: Alice <sip:alice@192.0.2.10>;tag=1928301774\r\n"
	"To: Bob <sip:bob@192.0.2.1>;tag=sbc00.B3XgbgIHDKg\r\n"
	"Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
	"CSeq: 314160 INVITE\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

/* The caller puts the call on hold (RFC 3264 8.4: sendonly), then takes it back. */
#define CALLER_SDP_HOLD                                                                          \
	"v=0\n"                                                                                  \
	"o=alice 2890844526 2890844527 IN IP4 192.0.2.10\n"                                      \
	"s=-\n"                                                                                  \
	"c=IN IP4 192.0.2.10\n"                                                                  \
	"t=0 0\n"                                                                                \
	"m=audio 49170 RTP/AVP 0\n"                                                              \
	"a=rtpmap:0 PCMU/8000\n"                                                                 \
	"a=sendonly\n"

#define CALLER_SDP_RESUME                                                                        \
	"v=0\n"                                                                                  \
	"o=alice 2890844526 2890844528 IN IP4 192.0.2.10\n"                                      \
	"s=-\n"                                                                                  \
	"c=IN IP4 192.0.2.10\n"                                                                  \
	"t=0 0\n"                                                                                \
	"m=audio 49170 RTP/AVP 0\n"                                                              \
	"a=rtpmap:0 PCMU/8000\n"                                                                 \
	"a=sendrecv\n"

/* The callee's answers to those. */
#define CALLEE_SDP_HELD                                                                          \
	"v=0\n"                                                                                  \
	"o=bob 2808844564 2808844565 IN IP4 198.51.100.10\n"                                     \
	"s=-\n"                                                                                  \
	"c=IN IP4 198.51.100.10\n"                                                               \
	"t=0 0\n"                                                                                \
	"m=audio 3456 RTP/AVP 0\n"                                                               \
	"a=rtpmap:0 PCMU/8000\n"                                                                 \
	"a=recvonly\n"

#define CALLEE_SDP_RESUMED                                                                       \
	"v=0\n"                                                                                  \
	"o=bob 2808844564 2808844566 IN IP4 198.51.100.10\n"                                     \
	"s=-\n"                                                                                  \
	"c=IN IP4 198.51.100.10\n"                                                               \
	"t=0 0\n"                                                                                \
	"m=audio 3456 RTP/AVP 0\n"                                                               \
	"a=rtpmap:0 PCMU/8000\n"                                                                 \
	"a=sendrecv\n"

/* The callee holds the old way (RFC 2543: connection address 0.0.0.0), then resumes. */
#define CALLEE_SDP_HOLD0                                                                         \
	"v=0\n"                                                                                  \
	"o=bob 2808844564 2808844565 IN IP4 198.51.100.10\n"                                     \
	"s=-\n"                                                                                  \
	"c=IN IP4 0.0.0.0\n"                                                                     \
	"t=0 0\n"                                                                                \
	"m=audio 3456 RTP/AVP 0\n"                                                               \
	"a=rtpmap:0 PCMU/8000\n"

#define CALLEE_SDP_UNHOLD0                                                                       \
	"v=0\n"                                                                                  \
	"o=bob 2808844564 2808844566 IN IP4 198.51.100.10\n"                                     \
	"s=-\n"                                                                                  \
	"c=IN IP4 198.51.100.10\n"                                                               \
	"t=0 0\n"                                                                                \
	"m=audio 3456 RTP/AVP 0\n"                                                               \
	"a=rtpmap:0 PCMU/8000\n"

/* The caller's answer when the callee asks again (its version moves on). */
#define CALLER_SDP_V2                                                                            \
	"v=0\n"                                                                                  \
	"o=alice 2890844526 2890844527 IN IP4 192.0.2.10\n"                                      \
	"s=-\n"                                                                                  \
	"c=IN IP4 192.0.2.10\n"                                                                  \
	"t=0 0\n"                                                                                \
	"m=audio 49170 RTP/AVP 0\n"                                                              \
	"a=rtpmap:0 PCMU/8000\n"

#define CALLER_SDP_V3                                                                            \
	"v=0\n"                                                                                  \
	"o=alice 2890844526 2890844528 IN IP4 192.0.2.10\n"                                      \
	"s=-\n"                                                                                  \
	"c=IN IP4 192.0.2.10\n"                                                                  \
	"t=0 0\n"                                                                                \
	"m=audio 49170 RTP/AVP 0\n"                                                              \
	"a=rtpmap:0 PCMU/8000\n"

/* The caller moves its media to another port (UPDATE). */
#define CALLER_SDP_MOVED                                                                         \
	"v=0\n"                                                                                  \
	"o=alice 2890844526 2890844527 IN IP4 192.0.2.10\n"                                      \
	"s=-\n"                                                                                  \
	"c=IN IP4 192.0.2.10\n"                                                                  \
	"t=0 0\n"                                                                                \
	"m=audio 49172 RTP/AVP 0\n"                                                              \
	"a=rtpmap:0 PCMU/8000\n"

/* The caller moves its audio and adds video (a re-INVITE the callee refuses). */
#define CALLER_SDP_VIDEO                                                                         \
	"v=0\n"                                                                                  \
	"o=alice 2890844526 2890844527 IN IP4 192.0.2.10\n"                                      \
	"s=-\n"                                                                                  \
	"c=IN IP4 192.0.2.10\n"                                                                  \
	"t=0 0\n"                                                                                \
	"m=audio 49172 RTP/AVP 0\n"                                                              \
	"a=rtpmap:0 PCMU/8000\n"                                                                 \
	"m=video 49174 RTP/AVP 96\n"                                                             \
	"a=rtpmap:96 H264/90000\n"

/* ... and later moves its audio with an UPDATE the callee refuses as well. */
#define CALLER_SDP_MOVED_AGAIN                                                                   \
	"v=0\n"                                                                                  \
	"o=alice 2890844526 2890844529 IN IP4 192.0.2.10\n"                                      \
	"s=-\n"                                                                                  \
	"c=IN IP4 192.0.2.10\n"                                                                  \
	"t=0 0\n"                                                                                \
	"m=audio 49176 RTP/AVP 0\n"                                                              \
	"a=rtpmap:0 PCMU/8000\n"

#define DTMF_INFO                                                                                \
	"Content-Type: application/dtmf-relay\n"

#define DTMF_BODY "Signal=5\nDuration=160\n"

/* Takes the message to side and checks its start line (a request) or status. */
static const char *
take_start(struct flow_call *fc, enum fake_side side, const char *start)
{
	const char *m = flow_take(fc, side);

	assert_string_equal(fake_start(fc->f), start);
	return m;
}

/* The caller hangs up a confirmed call (its CSeq cseq); both BYEs answered; all idle. */
static void
caller_hangs_up(struct flow_call *fc, unsigned int cseq)
{
	char *bye;

	flow_caller_req(fc, "BYE", cseq, "z9hG4bK776byeN", NULL, NULL);
	take_start(fc, FAKE_CALLER, "SIP/2.0 200 OK");
	bye = flow_dup(take_start(fc, FAKE_CALLEE, "BYE sip:bob@198.51.100.10:5060 SIP/2.0"));
	flow_answer(fc, FAKE_CALLEE, bye, 200, "OK", NULL, NULL);
	free(bye);
	flow_drain(fc);
	flow_end(fc);
}

/* ---- re-INVITE ---------------------------------------------------------------------- */

/*
 * The caller holds (a=sendonly) and resumes: each re-INVITE gets 100 at once, goes to
 * the callee in leg B's dialog (next CSeq, new origin version, the relay's address), the
 * answer comes back the same way, and the caller's ACK is relayed.
 */
static void
test_reinvite_from_caller(void **state)
{
	struct fake_env *f = *state;
	struct flow_call fc;
	char *reinv;
	const char *m;

	flow_start(&fc, f, 0);
	flow_establish(&fc);
	flow_caller_req(&fc, "INVITE", CALLER_CSEQ + 1, "z9hG4bK776hold", NULL, CALLER_SDP_HOLD);
	take_start(&fc, FAKE_CALLER, "SIP/2.0 100 Trying");
	assert_string_equal(fake_param(f, "To", "tag"), fc.a_tag);
	m = flow_take(&fc, FAKE_CALLEE);
	assert_string_equal(m, hold_b);
	reinv = flow_dup(m);
	flow_nothing_sent(f);
	flow_answer(&fc, FAKE_CALLEE, reinv, 200, "OK", NULL, CALLEE_SDP_HELD);
	m = flow_take(&fc, FAKE_CALLER);
	assert_string_equal(m, held_a_ok);
	free(reinv);
	/* Both sides kept their addresses: the flows forward as before. */
	assert_int_equal(f->flows_set, 4);
	assert_true(f->flow[FAKE_CALLER][0].f.has_dst);
	assert_true(f->flow[FAKE_CALLEE][0].f.has_dst);
	assert_int_equal(f->flow[FAKE_CALLEE][0].f.dst_port, 49170);
	flow_caller_req(&fc, "ACK", CALLER_CSEQ + 1, "z9hG4bK776ack2", NULL, NULL);
	m = take_start(&fc, FAKE_CALLEE, "ACK sip:bob@198.51.100.10:5060 SIP/2.0");
	assert_string_equal(fake_hdr(f, "CSeq"), "2 ACK");
	flow_nothing_sent(f);

	/* Resume. */
	flow_caller_req(&fc, "INVITE", CALLER_CSEQ + 2, "z9hG4bK776resume", NULL,
			CALLER_SDP_RESUME);
	take_start(&fc, FAKE_CALLER, "SIP/2.0 100 Trying");
	m = take_start(&fc, FAKE_CALLEE, "INVITE sip:bob@198.51.100.10:5060 SIP/2.0");
	assert_string_equal(fake_hdr(f, "CSeq"), "3 INVITE");
	assert_true(fake_has(m, "\r\no=- 4219364718613058 3 IN IP4 198.51.100.1\r\n"));
	assert_true(fake_has(m, "\r\na=sendrecv\r\n"));
	reinv = flow_dup(m);
	flow_answer(&fc, FAKE_CALLEE, reinv, 200, "OK", NULL, CALLEE_SDP_RESUMED);
	m = take_start(&fc, FAKE_CALLER, "SIP/2.0 200 OK");
	assert_string_equal(fake_hdr(f, "CSeq"), "314161 INVITE");
	assert_true(fake_has(m, "\r\no=- 1284788458907896 3 IN IP4 192.0.2.1\r\n"));
	assert_true(fake_has(m, "\r\nm=audio 20000 RTP/AVP 0\r\n"));
	free(reinv);
	flow_caller_req(&fc, "ACK", CALLER_CSEQ + 2, "z9hG4bK776ack3", NULL, NULL);
	take_start(&fc, FAKE_CALLEE, "ACK sip:bob@198.51.100.10:5060 SIP/2.0");
	assert_string_equal(fake_hdr(f, "CSeq"), "3 ACK");
	flow_nothing_sent(f);
	caller_hangs_up(&fc, CALLER_CSEQ + 3);
}

/*
 * The callee holds with 0.0.0.0 (RFC 2543) and resumes: the re-INVITE reaches the
 * caller in its own dialog (the SBC's first CSeq there), 0.0.0.0 is kept, and what the
 * caller sends goes nowhere until the callee is back.
 */
static void
test_reinvite_from_callee(void **state)
{
	struct fake_env *f = *state;
	struct flow_call fc;
	char *reinv;
	const char *m;

	flow_start(&fc, f, 0);
	flow_establish(&fc);
	flow_callee_req(&fc, "INVITE", 100, CALLEE_BRANCH "hold", NULL, CALLEE_SDP_HOLD0);
	take_start(&fc, FAKE_CALLEE, "SIP/2.0 100 Trying");
	m = flow_take(&fc, FAKE_CALLER);
	assert_string_equal(m, hold0_a);
	reinv = flow_dup(m);
	flow_nothing_sent(f);
	/* Nothing the caller sends can reach the callee now; the other way still goes. */
	assert_false(f->flow[FAKE_CALLER][0].f.has_dst);
	assert_false(f->flow[FAKE_CALLER][1].f.has_dst);
	assert_true(f->flow[FAKE_CALLEE][0].f.has_dst);
	flow_answer(&fc, FAKE_CALLER, reinv, 200, "OK", NULL, CALLER_SDP_V2);
	m = flow_take(&fc, FAKE_CALLEE);
	assert_string_equal(m, hold0_b_ok);
	free(reinv);
	flow_callee_req(&fc, "ACK", 100, CALLEE_BRANCH "ack2", NULL, NULL);
	m = take_start(&fc, FAKE_CALLER, "ACK sip:alice@192.0.2.10:5060 SIP/2.0");
	assert_string_equal(fake_hdr(f, "CSeq"), "1 ACK");
	assert_string_equal(fake_param(f, "From", "tag"), fc.a_tag);
	flow_nothing_sent(f);

	/* Resume: the caller's media reaches the callee again. */
	flow_callee_req(&fc, "INVITE", 101, CALLEE_BRANCH "resume", NULL, CALLEE_SDP_UNHOLD0);
	take_start(&fc, FAKE_CALLEE, "SIP/2.0 100 Trying");
	m = take_start(&fc, FAKE_CALLER, "INVITE sip:alice@192.0.2.10:5060 SIP/2.0");
	assert_string_equal(fake_hdr(f, "CSeq"), "2 INVITE");
	assert_true(fake_has(m, "\r\nc=IN IP4 192.0.2.1\r\n"));
	reinv = flow_dup(m);
	assert_true(f->flow[FAKE_CALLER][0].f.has_dst);
	assert_int_equal(f->flow[FAKE_CALLER][0].f.dst_port, 3456);
	assert_int_equal(f->flow[FAKE_CALLER][1].f.dst_port, 3457);
	flow_answer(&fc, FAKE_CALLER, reinv, 200, "OK", NULL, CALLER_SDP_V3);
	take_start(&fc, FAKE_CALLEE, "SIP/2.0 200 OK");
	assert_string_equal(fake_hdr(f, "CSeq"), "101 INVITE");
	free(reinv);
	flow_callee_req(&fc, "ACK", 101, CALLEE_BRANCH "ack3", NULL, NULL);
	take_start(&fc, FAKE_CALLER, "ACK sip:alice@192.0.2.10:5060 SIP/2.0");
	assert_string_equal(fake_hdr(f, "CSeq"), "2 ACK");
	flow_nothing_sent(f);
	caller_hangs_up(&fc, CALLER_CSEQ + 1);
}

/*
 * The callee turns down the caller's re-INVITE (488), which moved the audio and added
 * video: relayed, leg B's 488 ACKed by the SBC, the caller's ACK absorbed; the call goes
 * on as it was, media included (RFC 3264 5: a refused offer changes nothing: the flows
 * forward as before, the video's relay ports are given back), and the next re-INVITE
 * is not taken for glare.
 */
static void
test_reinvite_refused(void **state)
{
	struct fake_env *f = *state;
	struct flow_call fc;
	char *reinv;

	flow_start(&fc, f, 0);
	flow_establish(&fc);
	flow_caller_req(&fc, "INVITE", CALLER_CSEQ + 1, "z9hG4bK776move", NULL, CALLER_SDP_VIDEO);
	take_start(&fc, FAKE_CALLER, "SIP/2.0 100 Trying");
	reinv = flow_dup(take_start(&fc, FAKE_CALLEE, "INVITE sip:bob@198.51.100.10:5060 SIP/2.0"));
	assert_true(fake_has(reinv, "\r\nm=video 20002 RTP/AVP 96\r\n"));
	assert_int_equal(f->ports_in_use, 4);
	flow_answer(&fc, FAKE_CALLEE, reinv, 488, "Not Acceptable Here", NULL, NULL);
	take_start(&fc, FAKE_CALLEE, "ACK sip:bob@198.51.100.10:5060 SIP/2.0");
	assert_string_equal(fake_hdr(f, "CSeq"), "2 ACK");
	take_start(&fc, FAKE_CALLER, "SIP/2.0 488 Not Acceptable Here");
	assert_string_equal(fake_hdr(f, "CSeq"), "314160 INVITE");
	flow_caller_req(&fc, "ACK", CALLER_CSEQ + 1, "z9hG4bK776move", NULL, NULL);
	flow_nothing_sent(f);
	free(reinv);
	/* The offer was refused: what the callee sends still goes to the caller's old port. */
	assert_int_equal(f->flow[FAKE_CALLEE][0].f.dst_port, 49170);
	assert_int_equal(f->flow[FAKE_CALLER][0].f.peer_port, 49170);
	assert_int_equal(f->flows_set, 4);
	assert_int_equal(f->ports_in_use, 2);
	flow_caller_req(&fc, "INVITE", CALLER_CSEQ + 2, "z9hG4bK776hold", NULL, CALLER_SDP_HOLD);
	take_start(&fc, FAKE_CALLER, "SIP/2.0 100 Trying");
	reinv = flow_dup(take_start(&fc, FAKE_CALLEE, "INVITE sip:bob@198.51.100.10:5060 SIP/2.0"));
	flow_answer(&fc, FAKE_CALLEE, reinv, 200, "OK", NULL, CALLEE_SDP_HELD);
	take_start(&fc, FAKE_CALLER, "SIP/2.0 200 OK");
	flow_caller_req(&fc, "ACK", CALLER_CSEQ + 2, "z9hG4bK776ack3", NULL, NULL);
	take_start(&fc, FAKE_CALLEE, "ACK sip:bob@198.51.100.10:5060 SIP/2.0");
	free(reinv);
	flow_nothing_sent(f);
	/* An UPDATE that moves the audio, refused: the flows stay as well. */
	flow_caller_req(&fc, "UPDATE", CALLER_CSEQ + 3, "z9hG4bK776upd", NULL,
			CALLER_SDP_MOVED_AGAIN);
	reinv = flow_dup(take_start(&fc, FAKE_CALLEE, "UPDATE sip:bob@198.51.100.10:5060 SIP/2.0"));
	assert_int_equal(f->flow[FAKE_CALLEE][0].f.dst_port, 49176);
	flow_answer(&fc, FAKE_CALLEE, reinv, 488, "Not Acceptable Here", NULL, NULL);
	take_start(&fc, FAKE_CALLER, "SIP/2.0 488 Not Acceptable Here");
	assert_string_equal(fake_hdr(f, "CSeq"), "314162 UPDATE");
	assert_int_equal(f->flow[FAKE_CALLEE][0].f.dst_port, 49170);
	assert_int_equal(f->flow[FAKE_CALLER][0].f.peer_port, 49170);
	free(reinv);
	flow_nothing_sent(f);
	caller_hangs_up(&fc, CALLER_CSEQ + 4);
}

/*
 * Session timer kept alive (RFC 4028): the 200 sets 90 s; a re-INVITE 60 s in gets a
 * 200 with 90 s again, so nothing happens at 90 s, and the call ends at 60 + 90 s.
 */
static void
test_session_refresh(void **state)
{
	static const char se[] = "Require: timer\nSession-Expires: 90;refresher=uac\n";
	struct fake_env *f = fake_new(NULL, "{ \"inactivity_s\": 0 }", NULL);
	struct flow_call fc;
	char *reinv;

	(void)state;
	flow_start(&fc, f, 0);
	flow_invite(&fc, NULL, "Supported: timer\nSession-Expires: 90\n", CALLER_SDP);
	flow_take(&fc, FAKE_CALLER);
	take_start(&fc, FAKE_CALLEE, "INVITE sip:bob@198.51.100.10:5060 SIP/2.0");
	assert_string_equal(fake_hdr(f, "Session-Expires"), "90");
	flow_answer(&fc, FAKE_CALLEE, fc.inv_b, 200, "OK", se, CALLEE_SDP);
	take_start(&fc, FAKE_CALLER, "SIP/2.0 200 OK");
	flow_caller_req(&fc, "ACK", CALLER_CSEQ, "z9hG4bK776ack1", NULL, NULL);
	take_start(&fc, FAKE_CALLEE, "ACK sip:bob@198.51.100.10:5060 SIP/2.0");
	fake_advance(f, 60000);
	flow_nothing_sent(f);
	flow_caller_req(&fc, "INVITE", CALLER_CSEQ + 1, "z9hG4bK776refresh",
			"Session-Expires: 90;refresher=uac\n", CALLER_SDP);
	take_start(&fc, FAKE_CALLER, "SIP/2.0 100 Trying");
	reinv = flow_dup(take_start(&fc, FAKE_CALLEE, "INVITE sip:bob@198.51.100.10:5060 SIP/2.0"));
	/* The same SDP again: the origin we show does not move either. */
	assert_true(fake_has(reinv, "\r\no=- 4219364718613058 1 IN IP4 198.51.100.1\r\n"));
	flow_answer(&fc, FAKE_CALLEE, reinv, 200, "OK", se, CALLEE_SDP);
	take_start(&fc, FAKE_CALLER, "SIP/2.0 200 OK");
	flow_caller_req(&fc, "ACK", CALLER_CSEQ + 1, "z9hG4bK776ack2", NULL, NULL);
	take_start(&fc, FAKE_CALLEE, "ACK sip:bob@198.51.100.10:5060 SIP/2.0");
	free(reinv);
	fake_advance(f, 90000 - 1);
	flow_nothing_sent(f);
	assert_int_equal(fake_calls(f), 1);
	fake_advance(f, 1);
	reinv = flow_dup(take_start(&fc, FAKE_CALLEE, "BYE sip:bob@198.51.100.10:5060 SIP/2.0"));
	flow_answer(&fc, FAKE_CALLEE, reinv, 200, "OK", NULL, NULL);
	free(reinv);
	reinv = flow_dup(take_start(&fc, FAKE_CALLER, "BYE sip:alice@192.0.2.10:5060 SIP/2.0"));
	flow_answer(&fc, FAKE_CALLER, reinv, 200, "OK", NULL, NULL);
	free(reinv);
	assert_int_equal(f->st->sig.calls_ended[SBC_END_SESSION_EXPIRED], 1);
	flow_drain(&fc);
	flow_end(&fc);
	fake_free(f);
}

/*
 * Route sets (RFC 3261 12.1): the caller's proxies Record-Route the INVITE, the callee's
 * the 200. Each side's Record-Route stays on its side: the caller's answers carry its
 * own, and the SBC's requests in each dialog carry that dialog's route set as a Route
 * header (the caller's as received, the callee's reversed).
 */
static void
test_route_sets(void **state)
{
	struct fake_env *f = *state;
	struct flow_call fc;
	const char *m;
	char *bye;

	flow_start(&fc, f, 0);
	flow_invite(&fc, NULL,
			"Record-Route: <sip:p1.atlanta.example.com;lr>\n"
			"Record-Route: <sip:p2.atlanta.example.com;lr>\n",
			CALLER_SDP);
	flow_take(&fc, FAKE_CALLER);
	m = flow_take(&fc, FAKE_CALLEE);
	assert_string_equal(m, flow_leg_b_invite);
	flow_answer(&fc, FAKE_CALLEE, fc.inv_b, 200, "OK",
			"Record-Route: <sip:p4.biloxi.example.com;lr>, "
			"<sip:p3.biloxi.example.com;lr>\n",
			CALLEE_SDP);
	m = take_start(&fc, FAKE_CALLER, "SIP/2.0 200 OK");
	assert_int_equal(flow_count_lines(m, "Record-Route: "), 2);
	assert_true(fake_has(m, "\r\nRecord-Route: <sip:p1.atlanta.example.com;lr>\r\n"
				"Record-Route: <sip:p2.atlanta.example.com;lr>\r\n"));
	flow_caller_req(&fc, "ACK", CALLER_CSEQ, "z9hG4bK776ack1",
			"Route: <sip:p2.atlanta.example.com;lr>, <sip:p1.atlanta.example.com;lr>\n",
			NULL);
	m = take_start(&fc, FAKE_CALLEE, "ACK sip:bob@198.51.100.10:5060 SIP/2.0");
	assert_string_equal(fake_hdr(f, "Route"),
			"<sip:p3.biloxi.example.com;lr>, <sip:p4.biloxi.example.com;lr>");
	assert_int_equal(flow_count_lines(m, "Route: "), 1);
	flow_callee_req(&fc, "BYE", 1, CALLEE_BRANCH "bye1",
			"Route: <sip:p4.biloxi.example.com;lr>, <sip:p3.biloxi.example.com;lr>\n",
			NULL);
	take_start(&fc, FAKE_CALLEE, "SIP/2.0 200 OK");
	m = take_start(&fc, FAKE_CALLER, "BYE sip:alice@192.0.2.10:5060 SIP/2.0");
	assert_string_equal(m, routed_bye_a);
	bye = flow_dup(m);
	flow_answer(&fc, FAKE_CALLER, bye, 200, "OK", NULL, NULL);
	free(bye);
	flow_drain(&fc);
	flow_end(&fc);
}

/* ---- PRACK -------------------------------------------------------------------------- */

/*
 * A reliable 183 with SDP (RFC 3262): relayed with Require: 100rel and RSeq; the
 * caller's PRACK reaches the callee with its RAck renumbered to leg B's INVITE; the
 * 200s of PRACK and INVITE come back.
 */
static void
test_prack(void **state)
{
	struct fake_env *f = *state;
	struct flow_call fc;
	char *prack;
	const char *m;

	flow_start(&fc, f, 0);
	flow_invite(&fc, NULL, "Supported: 100rel\n", CALLER_SDP);
	take_start(&fc, FAKE_CALLER, "SIP/2.0 100 Trying");
	m = take_start(&fc, FAKE_CALLEE, "INVITE sip:bob@198.51.100.10:5060 SIP/2.0");
	assert_string_equal(fake_hdr(f, "Supported"), "100rel");
	flow_answer(&fc, FAKE_CALLEE, fc.inv_b, 183, "Session Progress",
			"Require: 100rel\nRSeq: 1\n", CALLEE_SDP);
	m = flow_take(&fc, FAKE_CALLER);
	assert_string_equal(m, progress_a_183);
	/* Early media flows both ways. */
	assert_int_equal(f->flows_set, 4);
	assert_true(f->flow[FAKE_CALLER][0].f.has_dst && f->flow[FAKE_CALLEE][0].f.has_dst);
	flow_caller_req(&fc, "PRACK", CALLER_CSEQ + 1, "z9hG4bK776prack",
			"RAck: 1 314159 INVITE\n", NULL);
	m = flow_take(&fc, FAKE_CALLEE);
	assert_string_equal(m, prack_b);
	prack = flow_dup(m);
	flow_nothing_sent(f);
	flow_answer(&fc, FAKE_CALLEE, prack, 200, "OK", NULL, NULL);
	take_start(&fc, FAKE_CALLER, "SIP/2.0 200 OK");
	assert_string_equal(fake_hdr(f, "CSeq"), "314160 PRACK");
	assert_string_equal(fake_param(f, "To", "tag"), fc.a_tag);
	free(prack);
	/* The 200 to the INVITE without SDP (the answer came in the 183). */
	flow_answer(&fc, FAKE_CALLEE, fc.inv_b, 200, "OK", NULL, NULL);
	m = take_start(&fc, FAKE_CALLER, "SIP/2.0 200 OK");
	assert_string_equal(fake_hdr(f, "CSeq"), "314159 INVITE");
	assert_string_equal(fake_hdr(f, "Content-Length"), "0");
	flow_caller_req(&fc, "ACK", CALLER_CSEQ, "z9hG4bK776ack1", NULL, NULL);
	take_start(&fc, FAKE_CALLEE, "ACK sip:bob@198.51.100.10:5060 SIP/2.0");
	assert_string_equal(fake_hdr(f, "CSeq"), "1 ACK");
	flow_nothing_sent(f);
	caller_hangs_up(&fc, CALLER_CSEQ + 2);
}

/* ---- UPDATE, INFO, OPTIONS ---------------------------------------------------------- */

/*
 * UPDATE with SDP from the caller (its media moved: the flows follow) and from the
 * callee; INFO with a DTMF body both ways; OPTIONS in the dialog from the callee. Each
 * request goes on the other leg in that leg's dialog, its answer comes back on the
 * request's own transaction.
 */
static void
test_update_info_options(void **state)
{
	struct fake_env *f = *state;
	struct flow_call fc;
	char *req;
	const char *m;

	flow_start(&fc, f, 0);
	flow_establish(&fc);

	flow_caller_req(&fc, "UPDATE", CALLER_CSEQ + 1, "z9hG4bK776upd", NULL, CALLER_SDP_MOVED);
	m = flow_take(&fc, FAKE_CALLEE);
	assert_string_equal(m, update_b);
	req = flow_dup(m);
	flow_nothing_sent(f);
	/* What the callee sends now goes to the caller's new port. */
	assert_int_equal(f->flow[FAKE_CALLEE][0].f.dst_port, 49172);
	assert_int_equal(f->flow[FAKE_CALLEE][1].f.dst_port, 49173);
	assert_int_equal(f->flow[FAKE_CALLER][0].f.peer_port, 49172);
	flow_answer(&fc, FAKE_CALLEE, req, 200, "OK", NULL, CALLEE_SDP_RESUMED);
	m = flow_take(&fc, FAKE_CALLER);
	assert_string_equal(m, update_a_ok);
	free(req);

	flow_callee_req(&fc, "UPDATE", 100, CALLEE_BRANCH "upd", NULL, CALLEE_SDP_HELD);
	m = take_start(&fc, FAKE_CALLER, "UPDATE sip:alice@192.0.2.10:5060 SIP/2.0");
	assert_string_equal(fake_hdr(f, "CSeq"), "1 UPDATE");
	assert_string_equal(fake_hdr(f, "Contact"), "<sip:192.0.2.1:5060>");
	assert_true(fake_has(m, "\r\na=recvonly\r\n"));
	req = flow_dup(m);
	flow_answer(&fc, FAKE_CALLER, req, 200, "OK", NULL, CALLER_SDP_V3);
	m = take_start(&fc, FAKE_CALLEE, "SIP/2.0 200 OK");
	assert_string_equal(fake_hdr(f, "CSeq"), "100 UPDATE");
	assert_string_equal(fake_hdr(f, "Contact"), "<sip:198.51.100.1:5060>");
	assert_true(fake_has(m, "\r\nc=IN IP4 198.51.100.1\r\n"));
	free(req);

	flow_caller_req(&fc, "INFO", CALLER_CSEQ + 2, "z9hG4bK776info", DTMF_INFO, DTMF_BODY);
	m = flow_take(&fc, FAKE_CALLEE);
	assert_string_equal(m, info_b);
	req = flow_dup(m);
	flow_answer(&fc, FAKE_CALLEE, req, 200, "OK", NULL, NULL);
	take_start(&fc, FAKE_CALLER, "SIP/2.0 200 OK");
	assert_string_equal(fake_hdr(f, "CSeq"), "314161 INFO");
	free(req);

	flow_callee_req(&fc, "INFO", 101, CALLEE_BRANCH "info", DTMF_INFO, DTMF_BODY);
	m = take_start(&fc, FAKE_CALLER, "INFO sip:alice@192.0.2.10:5060 SIP/2.0");
	assert_string_equal(fake_hdr(f, "CSeq"), "2 INFO");
	assert_string_equal(fake_hdr(f, "Content-Type"), "application/dtmf-relay");
	assert_true(fake_has(m, "\r\n\r\nSignal=5\r\nDuration=160\r\n"));
	req = flow_dup(m);
	flow_answer(&fc, FAKE_CALLER, req, 200, "OK", NULL, NULL);
	take_start(&fc, FAKE_CALLEE, "SIP/2.0 200 OK");
	assert_string_equal(fake_hdr(f, "CSeq"), "101 INFO");
	free(req);

	flow_callee_req(&fc, "OPTIONS", 102, CALLEE_BRANCH "opt", "Accept: application/sdp\n",
			NULL);
	m = take_start(&fc, FAKE_CALLER, "OPTIONS sip:alice@192.0.2.10:5060 SIP/2.0");
	assert_string_equal(fake_hdr(f, "CSeq"), "3 OPTIONS");
	assert_string_equal(fake_hdr(f, "Accept"), "application/sdp");
	req = flow_dup(m);
	flow_answer(&fc, FAKE_CALLER, req, 200, "OK",
			"Allow: INVITE, ACK, CANCEL, BYE, OPTIONS\nAccept: application/sdp\n",
			NULL);
	take_start(&fc, FAKE_CALLEE, "SIP/2.0 200 OK");
	assert_string_equal(fake_hdr(f, "CSeq"), "102 OPTIONS");
	assert_string_equal(fake_hdr(f, "Allow"), "INVITE, ACK, CANCEL, BYE, OPTIONS");
	free(req);
	flow_nothing_sent(f);
	assert_int_equal(f->st->sig.calls_active, 1);
	caller_hangs_up(&fc, CALLER_CSEQ + 3);
}

/* OPTIONS out of any dialog, for the SBC itself: answered there, 200 with what it does. */
static void
test_options_to_sbc(void **state)
{
	struct fake_env *f = *state;
	struct flow_call fc;
	const char *m;

	flow_start(&fc, f, 0);
	fake_recv(f, FAKE_CALLER,
			"OPTIONS sip:192.0.2.1 SIP/2.0\n"
			"Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776opt;rport\n"
			"Max-Forwards: 70\n"
			"To: <sip:192.0.2.1>\n"
			"From: Alice <sip:alice@192.0.2.10>;tag=" CALLER_TAG "\n"
			"Call-ID: options-1@pc33.atlanta.example.com\n"
			"CSeq: 1 OPTIONS\n"
			"Accept: application/sdp\n"
			"Content-Length: 0\n\n");
	m = flow_take(&fc, FAKE_CALLER);
	assert_string_equal(m, options_ok);
	flow_nothing_sent(f);
	assert_int_equal(f->st->port[FAKE_CALLER].events[SBC_EV_SIP_OPTIONS], 1);
	flow_all_idle(f);
	flow_end(&fc);
}

/* ---- glare, late requests, strays --------------------------------------------------- */

/*
 * RFC 3261 14.1: a re-INVITE while another INVITE transaction of the dialog runs gets
 * 491. Here the callee's re-INVITE is in progress on leg A when the caller sends one;
 * the caller's ACK for the 491 is absorbed, and its retransmitted re-INVITE gets the
 * same 491 again. Then the callee's re-INVITE completes normally.
 */
static void
test_glare(void **state)
{
	struct fake_env *f = *state;
	struct flow_call fc;
	char *reinv, *glare;
	const char *m;

	flow_start(&fc, f, 0);
	flow_establish(&fc);
	flow_callee_req(&fc, "INVITE", 100, CALLEE_BRANCH "reinv", NULL, CALLEE_SDP_HELD);
	take_start(&fc, FAKE_CALLEE, "SIP/2.0 100 Trying");
	reinv = flow_dup(take_start(&fc, FAKE_CALLER, "INVITE sip:alice@192.0.2.10:5060 SIP/2.0"));
	flow_caller_req(&fc, "INVITE", CALLER_CSEQ + 1, "z9hG4bK776glare", NULL, CALLER_SDP_HOLD);
	m = flow_take(&fc, FAKE_CALLER);
	assert_string_equal(m, pending_a_491);
	glare = flow_dup(m);
	flow_nothing_sent(f);
	/* The same re-INVITE again (the 491 was lost): the same 491. */
	flow_caller_req(&fc, "INVITE", CALLER_CSEQ + 1, "z9hG4bK776glare", NULL, CALLER_SDP_HOLD);
	m = flow_take(&fc, FAKE_CALLER);
	assert_string_equal(m, glare);
	flow_caller_req(&fc, "ACK", CALLER_CSEQ + 1, "z9hG4bK776glare", NULL, NULL);
	flow_nothing_sent(f);
	/* The callee's re-INVITE goes on. */
	flow_answer(&fc, FAKE_CALLER, reinv, 200, "OK", NULL, CALLER_SDP_V3);
	take_start(&fc, FAKE_CALLEE, "SIP/2.0 200 OK");
	flow_callee_req(&fc, "ACK", 100, CALLEE_BRANCH "ack2", NULL, NULL);
	take_start(&fc, FAKE_CALLER, "ACK sip:alice@192.0.2.10:5060 SIP/2.0");
	flow_nothing_sent(f);
	free(reinv);
	free(glare);
	caller_hangs_up(&fc, CALLER_CSEQ + 2);
}

/* A re-INVITE while the initial INVITE's 2xx still waits for its ACK: 491 as well. */
static void
test_glare_before_ack(void **state)
{
	struct fake_env *f = *state;
	struct flow_call fc;

	flow_start(&fc, f, 0);
	flow_invite(&fc, NULL, NULL, CALLER_SDP);
	flow_take(&fc, FAKE_CALLER);
	flow_take(&fc, FAKE_CALLEE);
	flow_answer(&fc, FAKE_CALLEE, fc.inv_b, 200, "OK", NULL, CALLEE_SDP);
	take_start(&fc, FAKE_CALLER, "SIP/2.0 200 OK");
	flow_callee_req(&fc, "INVITE", 100, CALLEE_BRANCH "early", NULL, CALLEE_SDP_HELD);
	take_start(&fc, FAKE_CALLEE, "SIP/2.0 491 Request Pending");
	assert_string_equal(fake_hdr(f, "CSeq"), "100 INVITE");
	flow_callee_req(&fc, "ACK", 100, CALLEE_BRANCH "early", NULL, NULL);
	flow_nothing_sent(f);
	flow_caller_req(&fc, "ACK", CALLER_CSEQ, "z9hG4bK776ack1", NULL, NULL);
	take_start(&fc, FAKE_CALLEE, "ACK sip:bob@198.51.100.10:5060 SIP/2.0");
	flow_nothing_sent(f);
	caller_hangs_up(&fc, CALLER_CSEQ + 1);
}

/*
 * Requests for a call that ended (a late re-INVITE and INFO with the old tags, from
 * either side): 481, counted stray; a response matching no transaction of ours: dropped
 * and counted stray.
 */
static void
test_after_the_end(void **state)
{
	struct fake_env *f = *state;
	struct flow_call fc;
	char *bye;

	flow_start(&fc, f, 0);
	flow_establish(&fc);
	flow_caller_req(&fc, "BYE", CALLER_CSEQ + 1, "z9hG4bK776bye", NULL, NULL);
	take_start(&fc, FAKE_CALLER, "SIP/2.0 200 OK");
	bye = flow_dup(take_start(&fc, FAKE_CALLEE, "BYE sip:bob@198.51.100.10:5060 SIP/2.0"));
	flow_answer(&fc, FAKE_CALLEE, bye, 200, "OK", NULL, NULL);
	free(bye);
	assert_int_equal(f->st->sig.stray, 0);

	flow_caller_req(&fc, "INVITE", CALLER_CSEQ + 2, "z9hG4bK776late", NULL, CALLER_SDP_HOLD);
	take_start(&fc, FAKE_CALLER, "SIP/2.0 481 Call/Transaction Does Not Exist");
	assert_string_equal(fake_hdr(f, "CSeq"), "314161 INVITE");
	assert_string_equal(fake_param(f, "To", "tag"), fc.a_tag);
	flow_caller_req(&fc, "ACK", CALLER_CSEQ + 2, "z9hG4bK776late", NULL, NULL);
	flow_caller_req(&fc, "INFO", CALLER_CSEQ + 3, "z9hG4bK776lateinfo", DTMF_INFO, DTMF_BODY);
	take_start(&fc, FAKE_CALLER, "SIP/2.0 481 Call/Transaction Does Not Exist");
	flow_callee_req(&fc, "INFO", 100, CALLEE_BRANCH "lateinfo", DTMF_INFO, DTMF_BODY);
	take_start(&fc, FAKE_CALLEE, "SIP/2.0 481 Call/Transaction Does Not Exist");
	assert_string_equal(fake_hdr(f, "Call-ID"), fc.b_call_id);
	flow_nothing_sent(f);
	/* The ACK of the stateless 481 matches nothing either. */
	assert_int_equal(f->st->sig.stray, 4);

	/* A 200 for a request the SBC never sent, on a branch of its own form. */
	fake_recv(f, FAKE_CALLEE,
			"SIP/2.0 200 OK\n"
			"Via: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bKsbc00.AAAAAHxxxxxxxxxxx\n"
			"From: <sip:alice@198.51.100.1>;tag=sbc00.xxxxxxxxxxx\n"
			"To: <sip:bob@198.51.100.10>;tag=" CALLEE_TAG "\n"
			"Call-ID: %s\n"
			"CSeq: 7 INFO\n"
			"Content-Length: 0\n\n",
			fc.b_call_id);
	flow_nothing_sent(f);
	assert_int_equal(f->st->sig.stray, 5);
	flow_drain(&fc);
	flow_end(&fc);
}

/* An INFO from the caller in its dialog with the given Max-Forwards (no body). */
static void
caller_info_hops(struct flow_call *fc, unsigned int cseq, const char *branch, int hops)
{
	fake_recv(fc->f, FAKE_CALLER,
			"INFO sip:192.0.2.1:5060 SIP/2.0\n"
			"Via: SIP/2.0/UDP 192.0.2.10:5060;branch=%s;rport\n"
			"Max-Forwards: %d\n"
			"To: Bob <sip:bob@192.0.2.1>;tag=%s\n"
			"From: Alice <sip:alice@192.0.2.10>;tag=" CALLER_TAG "\n"
			"Call-ID: " CALLER_CALL_ID "\n"
			"CSeq: %u INFO\n"
			"Content-Length: 0\n\n",
			branch, hops, fc->a_tag, cseq);
}

/*
 * Max-Forwards in the dialog: a request is relayed with one hop less; one that has no
 * hop left is not relayed (RFC 3261 16.3: 483), nor given a fresh count of 70, which
 * would let it loop for ever; its retransmission gets the same 483.
 */
static void
test_max_forwards_in_dialog(void **state)
{
	struct fake_env *f = *state;
	struct flow_call fc;
	char *req, *tmh;

	flow_start(&fc, f, 0);
	flow_establish(&fc);
	caller_info_hops(&fc, CALLER_CSEQ + 1, "z9hG4bK776hop1", 1);
	req = flow_dup(take_start(&fc, FAKE_CALLEE, "INFO sip:bob@198.51.100.10:5060 SIP/2.0"));
	assert_string_equal(fake_hdr(f, "Max-Forwards"), "0");
	flow_answer(&fc, FAKE_CALLEE, req, 200, "OK", NULL, NULL);
	take_start(&fc, FAKE_CALLER, "SIP/2.0 200 OK");
	free(req);
	caller_info_hops(&fc, CALLER_CSEQ + 2, "z9hG4bK776hop0", 0);
	tmh = flow_dup(take_start(&fc, FAKE_CALLER, "SIP/2.0 483 Too Many Hops"));
	assert_string_equal(fake_hdr(f, "CSeq"), "314161 INFO");
	assert_string_equal(fake_param(f, "To", "tag"), fc.a_tag);
	flow_nothing_sent(f);
	caller_info_hops(&fc, CALLER_CSEQ + 2, "z9hG4bK776hop0", 0);
	assert_string_equal(flow_take(&fc, FAKE_CALLER), tmh);
	flow_nothing_sent(f);
	free(tmh);
	caller_hangs_up(&fc, CALLER_CSEQ + 3);
}

static int
setup(void **state)
{
	*state = fake_new(NULL, NULL, NULL);
	return 0;
}

static int
teardown(void **state)
{
	fake_free(*state);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_reinvite_from_caller, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reinvite_from_callee, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reinvite_refused, setup, teardown),
		cmocka_unit_test(test_session_refresh),
		cmocka_unit_test_setup_teardown(test_route_sets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prack, setup, teardown),
		cmocka_unit_test_setup_teardown(test_update_info_options, setup, teardown),
		cmocka_unit_test_setup_teardown(test_options_to_sbc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_glare, setup, teardown),
		cmocka_unit_test_setup_teardown(test_glare_before_ack, setup, teardown),
		cmocka_unit_test_setup_teardown(test_after_the_end, setup, teardown),
		cmocka_unit_test_setup_teardown(test_max_forwards_in_dialog, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
