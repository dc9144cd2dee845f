/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_b2b.c - golden call flows through the real transaction layer and B2BUA, with a
 * fake environment (b2b_fake.h): no DPDK, no EAL, run under ASan/UBSan. This file: a
 * call's set-up and end (answer, hang-up from either side, cancellation, failure, late
 * offer, retransmissions, the SBC's timers), IPv6. In the dialog: test_b2b_dialog.c;
 * admission and the SBC's own answers: test_b2b_admit.c.
 *
 * The fake's random numbers are a fixed sequence, so the SBC's tags, branches and
 * Call-IDs are the same on every run, and what each side receives is checked as whole
 * messages where it matters, otherwise header by header. Every message a side receives
 * is checked for topology hiding (b2b_flow.h: nothing that names the other side), and
 * every flow ends with no call, transaction, flow or relay port left.
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

#define T1 500u

/* ---- what the parties receive (golden; read against the RFCs before freezing) ------- */

/* The callee's BYE answered on leg B at once, in leg B's own terms (RFC 3261 8.2.6.2). */
static const char bye_b_ok[] =
	"SIP/2.0 200 OK\r\n"
	"Via: SIP/2.0/UDP 198.51.100.10:5060;branch=z9hG4bKcalleebye1;rport=5060\r\n"
	"From: Bob <sip:bob@198.51.100.10:5060>;tag=a6c85cf\r\n"
	"To: Alice <sip:alice@198.51.100.1>;tag=sbc00.Pde_4VcJAwD\r\n"
	"Call-ID: sbc00.AAAAAAJdCiEk9ShLx\r\n"
	"CSeq: 1 BYE\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

/* The BYE the caller gets when the callee hangs up: the caller's dialog as the SBC
 * holds it (its Contact as Request-URI, our tag in From, the SBC's first CSeq on leg A),
 * the end-to-end Reason passed on, nothing of leg B. */
static const char bye_a[] =
	"BYE sip:alice@192.0.2.10:5060 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKsbc00.AAAAADE4sUBInoABV;rport\r\n"
	"Max-Forwards: 69\r\n"
	"From: Bob <sip:bob@192.0.2.1>;tag=sbc00.B3XgbgIHDKg\r\n"
	"To: Alice <sip:alice@192.0.2.10>;tag=1928301774\r\n"
	"Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
	"CSeq: 1 BYE\r\n"
	"Reason: Q.850;cause=16\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

/* The SBC's CANCEL on leg B (RFC 3261 9.1): the INVITE's Request-URI, top Via with its
 * branch, From, To without a tag, Call-ID and CSeq number. */
static const char cancel_b[] =
	"CANCEL sip:bob@198.51.100.10:5060 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bKsbc00.AAAAABHHIMVOlhYFg;rport\r\n"
	"Max-Forwards: 70\r\n"
	"From: Alice <sip:alice@198.51.100.1>;tag=sbc00.Pde_4VcJAwD\r\n"
	"To: Bob <sip:bob@198.51.100.10:5060>\r\n"
	"Call-ID: sbc00.AAAAAAJdCiEk9ShLx\r\n"
	"CSeq: 1 CANCEL\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

/* The SBC's ACK for a failure on leg B (RFC 3261 17.1.1.3): the INVITE's Request-URI,
 * top Via with its branch, From, Call-ID and CSeq number; the response's To, with its tag. */
static const char ack_b_failure[] =
	"ACK sip:bob@198.51.100.10:5060 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bKsbc00.AAAAABHHIMVOlhYFg;rport\r\n"
	"Max-Forwards: 70\r\n"
	"From: Alice <sip:alice@198.51.100.1>;tag=sbc00.Pde_4VcJAwD\r\n"
	"To: Bob <sip:bob@198.51.100.10:5060>;tag=a6c85cf\r\n"
	"Call-ID: sbc00.AAAAAAJdCiEk9ShLx\r\n"
	"CSeq: 1 ACK\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

/* The callee's 486 relayed to the caller: Retry-After passes, Warning does not (its
 * agent names a host: sip.strip_headers). */
static const char busy_a[] =
	"SIP/2.0 486 Busy Here\r\n"
	"Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport=5060\r\n"
	"From: Alice <sip:alice@192.0.2.10>;tag=1928301774\r\n"
	"To: Bob <sip:bob@192.0.2.1>;tag=sbc00.B3XgbgIHDKg\r\n"
	"Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
	"CSeq: 314159 INVITE\r\n"
	"Retry-After: 60\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

/* The ACK leg B gets for its 2xx with the caller's answer: a transaction of its own
 * (a new branch, RFC 3261 13.2.2.4), the INVITE's CSeq number, the SDP rewritten. */
static const char late_ack_b[] =
	"ACK sip:bob@198.51.100.10:5060 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bKsbc00.AbNFu65bbF_;rport\r\n"
	"Max-Forwards: 69\r\n"
	"From: Alice <sip:alice@198.51.100.1>;tag=sbc00.Pde_4VcJAwD\r\n"
	"To: Bob <sip:bob@198.51.100.10:5060>;tag=a6c85cf\r\n"
	"Call-ID: sbc00.AAAAAAJdCiEk9ShLx\r\n"
	"CSeq: 1 ACK\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length: 131\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 4219364718613058 1 IN IP4 198.51.100.1\r\n"
	"s=-\r\n"
	"c=IN IP4 198.51.100.1\r\n"
	"t=0 0\r\n"
	"m=audio 20000 RTP/AVP 0\r\n"
	"a=rtpmap:0 PCMU/8000\r\n";

/* 408 to the caller when leg B never answered. */
static const char timeout_a_408[] =
	"SIP/2.0 408 Request Timeout\r\n"
	"Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport=5060\r\n"
	"From: Alice <sip:alice@192.0.2.10>;tag=1928301774\r\n"
	"To: Bob <sip:bob@192.0.2.1>;tag=sbc00.B3XgbgIHDKg\r\n"
	"Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
	"CSeq: 314159 INVITE\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

/* The 200 an IPv6 caller gets: the relay's IPv6 address in Contact and SDP. */
static const char ok_a_v6[] =
	"SIP/2.0 200 OK\r\n"
	"Via: SIP/2.0/UDP [2001:db8:a::10]:5060;branch=z9hG4bK776asdhds;rport=5060\r\n"
	"From: Alice <sip:alice@[2001:db8:a::10]>;tag=1928301774\r\n"
	"To: Bob <sip:bob@[2001:db8:a::1]>;tag=sbc00.B3XgbgIHDKg\r\n"
	"Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
	"CSeq: 314159 INVITE\r\n"
	"Contact: <sip:[2001:db8:a::1]:5060>\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length: 133\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 1284788458907896 1 IN IP6 2001:db8:a::1\r\n"
	"s=-\r\n"
	"c=IN IP6 2001:db8:a::1\r\n"
	"t=0 0\r\n"
	"m=audio 20000 RTP/AVP 0\r\n"
	"a=rtpmap:0 PCMU/8000\r\n";

/*
 * INVITE, 100, 180, 200 (SDP both ways), ACK, BYE from the caller, 200: what each side
 * sees, exactly for leg B's INVITE; media flows installed in both directions.
 */
static void
test_basic_call(void **state)
{
	struct fake_env *f = *state;
	struct flow_call fc;
	const char *m;
	char *bye;

	flow_start(&fc, f, 0);
	flow_invite(&fc, NULL, NULL, CALLER_SDP);
	/* The caller hears 100 Trying at once, without a tag. */
	flow_take(&fc, FAKE_CALLER);
	assert_int_equal(fake_status(f), 100);
	assert_string_equal(fake_param(f, "To", "tag"), "");
	assert_string_equal(fake_hdr(f, "Call-ID"), CALLER_CALL_ID);
	/* The callee gets an INVITE the SBC built: exactly this. */
	m = flow_take(&fc, FAKE_CALLEE);
	assert_string_equal(m, flow_leg_b_invite);
	flow_nothing_sent(f);
	/* Flows: the caller's RTP and RTCP are expected on the access pair; no destination yet. */
	assert_true(f->flow[FAKE_CALLER][0].set && f->flow[FAKE_CALLER][1].set);
	assert_int_equal(f->flow[FAKE_CALLER][0].f.peer_port, 49170);
	assert_int_equal(f->flow[FAKE_CALLER][1].f.peer_port, 49171);
	assert_false(f->flow[FAKE_CALLER][0].f.has_dst);

	flow_answer(&fc, FAKE_CALLEE, fc.inv_b, 180, "Ringing", NULL, NULL);
	flow_take(&fc, FAKE_CALLER);
	assert_int_equal(fake_status(f), 180);
	assert_true(strncmp(fc.a_tag, "sbc00.", 6) == 0);
	/* Our answers go back by the caller's Via, completed with rport (RFC 3581). */
	assert_string_equal(fake_hdr(f, "Via"),
			"SIP/2.0/UDP 192.0.2.10:5060;branch=" CALLER_BRANCH ";rport=5060");

	/* The callee's 200 with SDP: the caller gets it with the relay's address. */
	flow_answer(&fc, FAKE_CALLEE, fc.inv_b, 200, "OK", NULL, CALLEE_SDP);
	assert_int_equal(fake_pending(f, FAKE_CALLEE), 0); /* no ACK before the caller's */
	m = flow_take(&fc, FAKE_CALLER);
	assert_int_equal(fake_status(f), 200);
	assert_string_equal(fake_param(f, "To", "tag"), fc.a_tag);
	assert_string_equal(fake_hdr(f, "Contact"), "<sip:192.0.2.1:5060>");
	assert_true(fake_has(m, "\r\nc=IN IP4 192.0.2.1\r\n"));
	assert_true(fake_has(m, "\r\nm=audio 20000 RTP/AVP 0\r\n"));
	/* Media both ways: caller -> access:20000 -> core:20000 -> callee, and back. */
	assert_true(f->flow[FAKE_CALLER][0].f.has_dst);
	assert_int_equal(f->flow[FAKE_CALLER][0].f.dst_port, 3456);
	assert_int_equal(f->flow[FAKE_CALLER][0].f.src_port, 20000);
	assert_int_equal(f->flow[FAKE_CALLER][0].f.out_ifidx, FAKE_CALLEE);
	assert_true(f->flow[FAKE_CALLEE][0].f.has_dst);
	assert_int_equal(f->flow[FAKE_CALLEE][0].f.peer_port, 3456);
	assert_int_equal(f->flow[FAKE_CALLEE][0].f.dst_port, 49170);
	assert_int_equal(f->flows_set, 4);
	assert_int_equal(f->st->sig.calls_answered, 1);

	/* The caller's ACK: leg B's 2xx is ACKed, then the caller hangs up. */
	flow_caller_req(&fc, "ACK", CALLER_CSEQ, "z9hG4bK776ack1", NULL, NULL);
	flow_take(&fc, FAKE_CALLEE);
	assert_string_equal(fake_start(f), "ACK sip:bob@198.51.100.10:5060 SIP/2.0");
	assert_string_equal(fake_hdr(f, "CSeq"), "1 ACK");
	assert_string_equal(fake_param(f, "To", "tag"), CALLEE_TAG);
	flow_caller_req(&fc, "BYE", CALLER_CSEQ + 1, "z9hG4bK776bye1", NULL, NULL);
	flow_take(&fc, FAKE_CALLER);
	assert_int_equal(fake_status(f), 200);
	assert_string_equal(fake_hdr(f, "CSeq"), "314160 BYE");
	m = flow_take(&fc, FAKE_CALLEE);
	assert_string_equal(fake_start(f), "BYE sip:bob@198.51.100.10:5060 SIP/2.0");
	assert_string_equal(fake_hdr(f, "CSeq"), "2 BYE");
	bye = flow_dup(m);
	/* The flows are withdrawn at once, counted as the caller's hang-up. */
	assert_int_equal(f->flows_set, 0);
	assert_int_equal(f->withdrawn[SBC_END_BYE_A], 4);
	assert_int_equal(f->st->sig.calls_ended[SBC_END_BYE_A], 1);
	flow_answer(&fc, FAKE_CALLEE, bye, 200, "OK", NULL, NULL);
	flow_nothing_sent(f);
	free(bye);
	/* The transactions linger (64*T1) and end. */
	flow_drain(&fc);
	flow_end(&fc);
}

/* The callee hangs up: the caller gets a BYE in its dialog, built by the SBC. */
static void
test_bye_from_callee(void **state)
{
	struct fake_env *f = *state;
	struct flow_call fc;
	const char *m;
	char *bye;

	flow_start(&fc, f, 0);
	flow_establish(&fc);
	flow_callee_req(&fc, "BYE", 1, CALLEE_BRANCH "bye1", "Reason: Q.850;cause=16\n", NULL);
	/* Answered at once on leg B, in the callee's own terms. */
	m = flow_take(&fc, FAKE_CALLEE);
	assert_string_equal(m, bye_b_ok);
	/* The caller's BYE: its dialog (our tag, its Call-ID, our first CSeq there). */
	m = flow_take(&fc, FAKE_CALLER);
	assert_string_equal(m, bye_a);
	bye = flow_dup(m);
	assert_int_equal(f->flows_set, 0);
	assert_int_equal(f->withdrawn[SBC_END_BYE_B], 4);
	assert_int_equal(f->st->sig.calls_ended[SBC_END_BYE_B], 1);
	flow_answer(&fc, FAKE_CALLER, bye, 200, "OK", NULL, NULL);
	flow_nothing_sent(f);
	free(bye);
	flow_drain(&fc);
	flow_end(&fc);
}

/*
 * The caller cancels before leg B answered at all: the caller gets 200 for the CANCEL
 * and 487 for the INVITE at once, but the CANCEL on leg B waits for a provisional answer
 * (RFC 3261 9.1); then leg B's 487 is ACKed by the SBC's transaction.
 */
static void
test_cancel_before_provisional(void **state)
{
	struct fake_env *f = *state;
	struct flow_call fc;
	char tag[64], *cancel;
	const char *m;

	flow_start(&fc, f, 0);
	flow_invite(&fc, NULL, NULL, CALLER_SDP);
	flow_take(&fc, FAKE_CALLER);
	flow_take(&fc, FAKE_CALLEE);
	flow_cancel(&fc);
	m = flow_take(&fc, FAKE_CALLER);
	assert_string_equal(m, flow_cancel_a_ok);
	snprintf(tag, sizeof(tag), "%s", fake_param(f, "To", "tag"));
	m = flow_take(&fc, FAKE_CALLER);
	assert_string_equal(m, flow_invite_a_487);
	/* RFC 3261 9.2: the same To tag in the answers to the CANCEL and to the INVITE. */
	assert_string_equal(fake_param(f, "To", "tag"), tag);
	flow_nothing_sent(f);
	assert_int_equal(f->st->sig.calls_ended[SBC_END_CANCEL], 1);
	assert_int_equal(fake_calls(f), 0);
	assert_int_equal(f->flows_set + f->ports_in_use, 0);
	/* The caller ACKs the 487 (same branch): absorbed, and the 487 is not sent again. */
	flow_caller_req(&fc, "ACK", CALLER_CSEQ, CALLER_BRANCH, NULL, NULL);
	/* Leg B's INVITE is still retransmitted (timer A), without a CANCEL. */
	fake_advance(f, T1);
	m = flow_take(&fc, FAKE_CALLEE);
	assert_string_equal(m, flow_leg_b_invite);
	flow_nothing_sent(f);
	/* The first provisional answer lets the CANCEL go; the 180 goes nowhere else. */
	flow_answer(&fc, FAKE_CALLEE, fc.inv_b, 180, "Ringing", NULL, NULL);
	m = flow_take(&fc, FAKE_CALLEE);
	assert_string_equal(m, cancel_b);
	cancel = flow_dup(m);
	flow_nothing_sent(f);
	flow_answer(&fc, FAKE_CALLEE, cancel, 200, "OK", NULL, NULL);
	flow_nothing_sent(f);
	flow_answer(&fc, FAKE_CALLEE, fc.inv_b, 487, "Request Terminated", NULL, NULL);
	m = flow_take(&fc, FAKE_CALLEE);
	assert_string_equal(m, ack_b_failure);
	flow_nothing_sent(f);
	free(cancel);
	flow_drain(&fc);
	flow_end(&fc);
}

/* The caller cancels while leg B rings: the CANCEL goes on leg B at once. */
static void
test_cancel_after_ringing(void **state)
{
	struct fake_env *f = *state;
	struct flow_call fc;
	char *cancel;
	const char *m;

	flow_start(&fc, f, 0);
	flow_invite(&fc, NULL, NULL, CALLER_SDP);
	flow_take(&fc, FAKE_CALLER);
	flow_take(&fc, FAKE_CALLEE);
	flow_answer(&fc, FAKE_CALLEE, fc.inv_b, 180, "Ringing", NULL, NULL);
	flow_take(&fc, FAKE_CALLER);
	assert_int_equal(fake_status(f), 180);
	flow_cancel(&fc);
	m = flow_take(&fc, FAKE_CALLER);
	assert_string_equal(m, flow_cancel_a_ok);
	m = flow_take(&fc, FAKE_CALLER);
	assert_string_equal(m, flow_invite_a_487);
	m = flow_take(&fc, FAKE_CALLEE);
	assert_string_equal(m, cancel_b);
	cancel = flow_dup(m);
	flow_nothing_sent(f);
	/* The CANCEL crosses nothing: its 200, the INVITE's 487 (ACKed), the caller's ACK. */
	flow_answer(&fc, FAKE_CALLEE, cancel, 200, "OK", NULL, NULL);
	flow_answer(&fc, FAKE_CALLEE, fc.inv_b, 487, "Request Terminated", NULL, NULL);
	m = flow_take(&fc, FAKE_CALLEE);
	assert_string_equal(m, ack_b_failure);
	flow_caller_req(&fc, "ACK", CALLER_CSEQ, CALLER_BRANCH, NULL, NULL);
	flow_nothing_sent(f);
	assert_int_equal(f->st->sig.calls_ended[SBC_END_CANCEL], 1);
	assert_int_equal(f->st->sig.calls_answered, 0);
	free(cancel);
	flow_drain(&fc);
	flow_end(&fc);
}

/*
 * The callee's 200 crosses the SBC's CANCEL: the dialog it made on leg B is ACKed and
 * closed with BYE (RFC 3261 15), and the caller, already told 487, hears nothing more.
 */
static void
test_cancel_crosses_answer(void **state)
{
	struct fake_env *f = *state;
	struct flow_call fc;
	char *bye, *cancel;
	const char *m;

	flow_start(&fc, f, 0);
	flow_invite(&fc, NULL, NULL, CALLER_SDP);
	flow_take(&fc, FAKE_CALLER);
	flow_take(&fc, FAKE_CALLEE);
	flow_answer(&fc, FAKE_CALLEE, fc.inv_b, 180, "Ringing", NULL, NULL);
	flow_take(&fc, FAKE_CALLER);
	flow_cancel(&fc);
	flow_take(&fc, FAKE_CALLER);
	flow_take(&fc, FAKE_CALLER);
	cancel = flow_dup(flow_take(&fc, FAKE_CALLEE));
	assert_string_equal(fake_start(f), "CANCEL sip:bob@198.51.100.10:5060 SIP/2.0");
	/* The callee's 200 crossed the CANCEL, which the callee answers 200 as well. */
	flow_answer(&fc, FAKE_CALLEE, fc.inv_b, 200, "OK", NULL, CALLEE_SDP);
	m = flow_take(&fc, FAKE_CALLEE);
	assert_string_equal(fake_start(f), "ACK sip:bob@198.51.100.10:5060 SIP/2.0");
	assert_string_equal(fake_hdr(f, "CSeq"), "1 ACK");
	assert_string_equal(fake_param(f, "To", "tag"), CALLEE_TAG);
	assert_string_equal(fake_param(f, "From", "tag"), fc.b_tag);
	assert_string_equal(fake_hdr(f, "Call-ID"), fc.b_call_id);
	m = flow_take(&fc, FAKE_CALLEE);
	assert_string_equal(fake_start(f), "BYE sip:bob@198.51.100.10:5060 SIP/2.0");
	assert_string_equal(fake_hdr(f, "CSeq"), "2 BYE");
	assert_string_equal(fake_param(f, "To", "tag"), CALLEE_TAG);
	assert_string_equal(fake_hdr(f, "Call-ID"), fc.b_call_id);
	bye = flow_dup(m);
	flow_nothing_sent(f);
	flow_answer(&fc, FAKE_CALLEE, cancel, 200, "OK", NULL, NULL);
	flow_answer(&fc, FAKE_CALLEE, bye, 200, "OK", NULL, NULL);
	flow_caller_req(&fc, "ACK", CALLER_CSEQ, CALLER_BRANCH, NULL, NULL);
	flow_nothing_sent(f);
	free(cancel);
	free(bye);
	flow_drain(&fc);
	flow_end(&fc);
}

/*
 * The caller hangs up an early dialog (RFC 3261 15: a caller may BYE an early dialog):
 * 200 for the BYE, 487 for its INVITE, and leg B, which only rang, is cancelled.
 */
static void
test_bye_while_ringing(void **state)
{
	struct fake_env *f = *state;
	struct flow_call fc;
	char *cancel;

	flow_start(&fc, f, 0);
	flow_invite(&fc, NULL, NULL, CALLER_SDP);
	flow_take(&fc, FAKE_CALLER);
	flow_take(&fc, FAKE_CALLEE);
	flow_answer(&fc, FAKE_CALLEE, fc.inv_b, 180, "Ringing", NULL, NULL);
	flow_take(&fc, FAKE_CALLER);
	flow_caller_req(&fc, "BYE", CALLER_CSEQ + 1, "z9hG4bK776bye1", NULL, NULL);
	flow_take(&fc, FAKE_CALLER);
	assert_string_equal(fake_start(f), "SIP/2.0 200 OK");
	assert_string_equal(fake_hdr(f, "CSeq"), "314160 BYE");
	assert_string_equal(flow_take(&fc, FAKE_CALLER), flow_invite_a_487);
	cancel = flow_dup(flow_take(&fc, FAKE_CALLEE));
	assert_string_equal(cancel, cancel_b);
	flow_nothing_sent(f);
	assert_int_equal(f->st->sig.calls_ended[SBC_END_BYE_A], 1);
	assert_int_equal(f->ports_in_use, 0);
	flow_answer(&fc, FAKE_CALLEE, cancel, 200, "OK", NULL, NULL);
	flow_answer(&fc, FAKE_CALLEE, fc.inv_b, 487, "Request Terminated", NULL, NULL);
	assert_string_equal(flow_take(&fc, FAKE_CALLEE), ack_b_failure);
	flow_caller_req(&fc, "ACK", CALLER_CSEQ, CALLER_BRANCH, NULL, NULL);
	flow_nothing_sent(f);
	free(cancel);
	flow_drain(&fc);
	flow_end(&fc);
}

/*
 * 486 from the callee: relayed to the caller (end-to-end headers pass, the configured
 * ones do not); the SBC's transaction ACKs leg B's 486 itself and absorbs the caller's
 * ACK for the relayed one.
 */
static void
test_callee_busy(void **state)
{
	struct fake_env *f = *state;
	struct flow_call fc;
	const char *m;

	flow_start(&fc, f, 0);
	flow_invite(&fc, NULL, NULL, CALLER_SDP);
	flow_take(&fc, FAKE_CALLER);
	flow_take(&fc, FAKE_CALLEE);
	flow_answer(&fc, FAKE_CALLEE, fc.inv_b, 486, "Busy Here",
			"Retry-After: 60\nWarning: 399 bob.biloxi.example.com \"busy\"\n", NULL);
	m = flow_take(&fc, FAKE_CALLEE);
	assert_string_equal(m, ack_b_failure);
	m = flow_take(&fc, FAKE_CALLER);
	assert_string_equal(m, busy_a);
	flow_nothing_sent(f);
	assert_int_equal(f->st->sig.calls_ended[SBC_END_FAILED], 1);
	assert_int_equal(fake_calls(f), 0);
	/* Leg B's 486 again: our ACK again (the client transaction is Completed). */
	flow_answer(&fc, FAKE_CALLEE, fc.inv_b, 486, "Busy Here", NULL, NULL);
	m = flow_take(&fc, FAKE_CALLEE);
	assert_string_equal(m, ack_b_failure);
	/* No ACK from the caller yet: the 486 again after T1 (timer G). */
	fake_advance(f, T1);
	m = flow_take(&fc, FAKE_CALLER);
	assert_string_equal(m, busy_a);
	flow_caller_req(&fc, "ACK", CALLER_CSEQ, CALLER_BRANCH, NULL, NULL);
	flow_nothing_sent(f);
	/* Absorbed: no more 486 (the server transaction is Confirmed, then gone after T4). */
	fake_advance(f, 5000);
	flow_nothing_sent(f);
	flow_drain(&fc);
	flow_end(&fc);
}

/*
 * A late offer: the INVITE has no SDP, the callee's 200 makes the offer and the caller's
 * ACK carries the answer, which reaches leg B in the SBC's ACK; the flows are complete
 * only then.
 */
static void
test_late_offer(void **state)
{
	struct fake_env *f = *state;
	struct flow_call fc;
	const char *m;
	char *bye;

	flow_start(&fc, f, 0);
	flow_invite(&fc, NULL, NULL, NULL);
	flow_take(&fc, FAKE_CALLER);
	m = flow_take(&fc, FAKE_CALLEE);
	assert_string_equal(fake_hdr(f, "Content-Length"), "0");
	assert_false(fake_has(m, "Content-Type"));
	assert_int_equal(f->ports_in_use, 0);
	flow_answer(&fc, FAKE_CALLEE, fc.inv_b, 200, "OK", NULL, CALLEE_SDP);
	m = flow_take(&fc, FAKE_CALLER);
	assert_int_equal(fake_status(f), 200);
	assert_true(fake_has(m, "\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 20000 RTP/AVP 0\r\n"));
	/* The callee's side is known, the caller's not yet: nowhere to send what it sends. */
	assert_true(f->flow[FAKE_CALLEE][0].set);
	assert_false(f->flow[FAKE_CALLEE][0].f.has_dst);
	assert_false(f->flow[FAKE_CALLER][0].set);
	flow_caller_req(&fc, "ACK", CALLER_CSEQ, "z9hG4bK776ack1", NULL, CALLER_SDP);
	m = flow_take(&fc, FAKE_CALLEE);
	assert_string_equal(m, late_ack_b);
	flow_nothing_sent(f);
	assert_int_equal(f->flows_set, 4);
	assert_int_equal(f->flow[FAKE_CALLEE][0].f.dst_port, 49170);
	assert_int_equal(f->flow[FAKE_CALLER][0].f.dst_port, 3456);
	flow_caller_req(&fc, "BYE", CALLER_CSEQ + 1, "z9hG4bK776bye1", NULL, NULL);
	flow_take(&fc, FAKE_CALLER);
	bye = flow_dup(flow_take(&fc, FAKE_CALLEE));
	flow_answer(&fc, FAKE_CALLEE, bye, 200, "OK", NULL, NULL);
	free(bye);
	flow_drain(&fc);
	flow_end(&fc);
}

/*
 * What crosses from leg A to leg B besides the dialog's own headers: end-to-end ones
 * (Subject, an unknown X- header: sip.pass_unknown), P-Asserted-Identity with the SBC's
 * host; not credentials, nor what sip.strip_headers names (User-Agent by default).
 */
static void
test_headers_across(void **state)
{
	struct fake_env *f = *state;
	struct flow_call fc;
	const char *m;

	flow_start(&fc, f, 0);
	flow_invite(&fc, NULL,
			"Subject: lunch\n"
			"X-Account: 42\n"
			"User-Agent: Atlanta Phone 1.0 (pc33.atlanta.example.com)\n"
			"P-Asserted-Identity: \"Alice\" "
			"<sip:+15551234@pc33.atlanta.example.com;user=phone>\n"
			"Proxy-Authorization: Digest username=\"alice\", "
			"realm=\"atlanta.example.com\", nonce=\"x\", uri=\"sip:bob@192.0.2.1\", "
			"response=\"y\"\n",
			CALLER_SDP);
	flow_take(&fc, FAKE_CALLER);
	m = flow_take(&fc, FAKE_CALLEE);
	assert_string_equal(fake_hdr(f, "Subject"), "lunch");
	assert_string_equal(fake_hdr(f, "X-Account"), "42");
	assert_string_equal(fake_hdr(f, "P-Asserted-Identity"),
			"\"Alice\" <sip:+15551234@198.51.100.1;user=phone>");
	assert_false(fake_has(m, "User-Agent"));
	assert_false(fake_has(m, "Authorization"));
	assert_false(fake_has(m, "Digest"));
	flow_answer(&fc, FAKE_CALLEE, fc.inv_b, 486, "Busy Here", "Server: Biloxi PBX 2.0\n", NULL);
	flow_take(&fc, FAKE_CALLEE);
	m = flow_take(&fc, FAKE_CALLER);
	assert_int_equal(fake_status(f), 486);
	assert_false(fake_has(m, "Server"));
	flow_caller_req(&fc, "ACK", CALLER_CSEQ, CALLER_BRANCH, NULL, NULL);
	flow_drain(&fc);
	flow_end(&fc);
}

/* ---- retransmissions ---------------------------------------------------------------- */

/*
 * The caller's INVITE again: absorbed by its server transaction, which answers with the
 * last provisional response; after the 2xx, absorbed without an answer (RFC 6026).
 */
static void
test_retransmitted_invite(void **state)
{
	struct fake_env *f = *state;
	struct flow_call fc;
	char *trying, *ringing;
	const char *m;

	flow_start(&fc, f, 0);
	flow_invite(&fc, NULL, NULL, CALLER_SDP);
	trying = flow_dup(flow_take(&fc, FAKE_CALLER));
	flow_take(&fc, FAKE_CALLEE);
	flow_invite(&fc, NULL, NULL, CALLER_SDP);
	m = flow_take(&fc, FAKE_CALLER);
	assert_string_equal(m, trying);
	flow_nothing_sent(f);
	assert_int_equal(f->st->sig.retransmissions_rx, 1);
	flow_answer(&fc, FAKE_CALLEE, fc.inv_b, 180, "Ringing", NULL, NULL);
	ringing = flow_dup(flow_take(&fc, FAKE_CALLER));
	flow_invite(&fc, NULL, NULL, CALLER_SDP);
	m = flow_take(&fc, FAKE_CALLER);
	assert_string_equal(m, ringing);
	flow_nothing_sent(f);
	flow_answer(&fc, FAKE_CALLEE, fc.inv_b, 200, "OK", NULL, CALLEE_SDP);
	flow_take(&fc, FAKE_CALLER);
	assert_int_equal(fake_status(f), 200);
	flow_invite(&fc, NULL, NULL, CALLER_SDP);
	flow_nothing_sent(f);
	assert_int_equal(f->st->sig.retransmissions_rx, 3);
	assert_int_equal(f->st->sig.calls_offered, 1);
	flow_caller_req(&fc, "ACK", CALLER_CSEQ, "z9hG4bK776ack1", NULL, NULL);
	flow_take(&fc, FAKE_CALLEE);
	flow_caller_req(&fc, "BYE", CALLER_CSEQ + 1, "z9hG4bK776bye1", NULL, NULL);
	flow_take(&fc, FAKE_CALLER);
	m = flow_take(&fc, FAKE_CALLEE);
	flow_answer(&fc, FAKE_CALLEE, m, 200, "OK", NULL, NULL);
	free(trying);
	free(ringing);
	flow_drain(&fc);
	flow_end(&fc);
}

/*
 * Leg B's INVITE goes again on timer A (T1, doubling: 0.5, 1.5, 3.5, 7.5 s) until the
 * callee answers provisionally; then nothing more.
 */
static void
test_invite_timer_a(void **state)
{
	static const uint64_t at[] = { 500, 1500, 3500, 7500 };
	struct fake_env *f = *state;
	struct flow_call fc;
	uint64_t now = 0;
	unsigned int i;
	const char *m;

	flow_start(&fc, f, 0);
	flow_invite(&fc, NULL, NULL, CALLER_SDP);
	flow_take(&fc, FAKE_CALLER);
	flow_take(&fc, FAKE_CALLEE);
	for (i = 0; i < SIG_DIM(at); i++) {
		fake_advance(f, at[i] - 1 - now);
		flow_nothing_sent(f);
		fake_advance(f, 1);
		now = at[i];
		m = flow_take(&fc, FAKE_CALLEE);
		assert_string_equal(m, flow_leg_b_invite);
		flow_nothing_sent(f);
	}
	assert_int_equal(f->st->sig.retransmissions, SIG_DIM(at));
	flow_answer(&fc, FAKE_CALLEE, fc.inv_b, 180, "Ringing", NULL, NULL);
	flow_take(&fc, FAKE_CALLER);
	fake_advance(f, 20000);
	flow_nothing_sent(f);
	/* The callee turns it down: 486, ACKed; the caller gets it and ACKs. */
	flow_answer(&fc, FAKE_CALLEE, fc.inv_b, 486, "Busy Here", NULL, NULL);
	flow_take(&fc, FAKE_CALLEE);
	flow_take(&fc, FAKE_CALLER);
	assert_int_equal(fake_status(f), 486);
	flow_caller_req(&fc, "ACK", CALLER_CSEQ, CALLER_BRANCH, NULL, NULL);
	flow_drain(&fc);
	flow_end(&fc);
}

/*
 * The 2xx to the caller goes again until its ACK (RFC 3261 13.3.1.4: T1 doubling up to
 * T2: 0.5, 1.5, 3.5, 7.5, 11.5 s); leg B's 2xx is ACKed only once the caller's ACK came,
 * and each time leg B sends its 2xx again, the SBC sends the same ACK again.
 */
static void
test_2xx_retransmissions(void **state)
{
	static const uint64_t at[] = { 500, 1500, 3500, 7500, 11500 };
	struct fake_env *f = *state;
	struct flow_call fc;
	uint64_t now = 0;
	char *ok, *ack;
	unsigned int i;
	const char *m;

	flow_start(&fc, f, 0);
	flow_invite(&fc, NULL, NULL, CALLER_SDP);
	flow_take(&fc, FAKE_CALLER);
	flow_take(&fc, FAKE_CALLEE);
	flow_answer(&fc, FAKE_CALLEE, fc.inv_b, 200, "OK", NULL, CALLEE_SDP);
	ok = flow_dup(flow_take(&fc, FAKE_CALLER));
	assert_int_equal(fake_status(f), 200);
	for (i = 0; i < SIG_DIM(at); i++) {
		fake_advance(f, at[i] - 1 - now);
		flow_nothing_sent(f);
		fake_advance(f, 1);
		now = at[i];
		m = flow_take(&fc, FAKE_CALLER);
		assert_string_equal(m, ok);
		flow_nothing_sent(f);
		/* Leg B's 2xx again meanwhile: no ACK yet (the caller's is awaited). */
		flow_answer(&fc, FAKE_CALLEE, fc.inv_b, 200, "OK", NULL, CALLEE_SDP);
		flow_nothing_sent(f);
	}
	flow_caller_req(&fc, "ACK", CALLER_CSEQ, "z9hG4bK776ack1", NULL, NULL);
	ack = flow_dup(flow_take(&fc, FAKE_CALLEE));
	assert_string_equal(fake_start(f), "ACK sip:bob@198.51.100.10:5060 SIP/2.0");
	fake_advance(f, 10000);
	flow_nothing_sent(f);
	/* Leg B's 2xx again: the same ACK again; the caller's ACK again: nothing. */
	flow_answer(&fc, FAKE_CALLEE, fc.inv_b, 200, "OK", NULL, CALLEE_SDP);
	m = flow_take(&fc, FAKE_CALLEE);
	assert_string_equal(m, ack);
	flow_caller_req(&fc, "ACK", CALLER_CSEQ, "z9hG4bK776ack1", NULL, NULL);
	flow_nothing_sent(f);
	assert_int_equal(f->st->sig.calls_answered, 1);
	flow_caller_req(&fc, "BYE", CALLER_CSEQ + 1, "z9hG4bK776bye1", NULL, NULL);
	flow_take(&fc, FAKE_CALLER);
	m = flow_take(&fc, FAKE_CALLEE);
	flow_answer(&fc, FAKE_CALLEE, m, 200, "OK", NULL, NULL);
	free(ok);
	free(ack);
	flow_drain(&fc);
	flow_end(&fc);
}

/* ---- the SBC's timers --------------------------------------------------------------- */

/*
 * Nobody answers leg B's INVITE: after 64*T1 (timer B) the caller gets 408; no CANCEL
 * goes on leg B, which never answered provisionally (RFC 3261 9.1).
 */
static void
test_no_answer(void **state)
{
	struct fake_env *f = *state;
	struct flow_call fc;
	unsigned int n = 0;
	const char *m;

	flow_start(&fc, f, 0);
	flow_invite(&fc, NULL, NULL, CALLER_SDP);
	flow_take(&fc, FAKE_CALLER);
	flow_take(&fc, FAKE_CALLEE);
	fake_advance(f, 64 * T1 - 1);
	while (fake_pending(f, FAKE_CALLEE) > 0) {
		m = flow_take(&fc, FAKE_CALLEE);
		assert_string_equal(m, flow_leg_b_invite);
		n++;
	}
	assert_int_equal(n, 6); /* 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s */
	flow_nothing_sent(f);
	fake_advance(f, 1);
	m = flow_take(&fc, FAKE_CALLER);
	assert_string_equal(m, timeout_a_408);
	flow_nothing_sent(f);
	assert_int_equal(f->st->sig.calls_ended[SBC_END_NO_ANSWER], 1);
	assert_int_equal(f->st->sig.txn_timeouts, 1);
	flow_caller_req(&fc, "ACK", CALLER_CSEQ, CALLER_BRANCH, NULL, NULL);
	flow_drain(&fc);
	flow_end(&fc);
}

/*
 * Leg B rings for longer than timer C (3 minutes): the SBC cancels leg B and the caller
 * gets 408.
 */
static void
test_ringing_too_long(void **state)
{
	struct fake_env *f = *state;
	struct flow_call fc;
	char *cancel;
	const char *m;

	flow_start(&fc, f, 0);
	flow_invite(&fc, NULL, NULL, CALLER_SDP);
	flow_take(&fc, FAKE_CALLER);
	flow_take(&fc, FAKE_CALLEE);
	flow_answer(&fc, FAKE_CALLEE, fc.inv_b, 180, "Ringing", NULL, NULL);
	flow_take(&fc, FAKE_CALLER);
	fake_advance(f, 180000 - 1);
	flow_nothing_sent(f);
	fake_advance(f, 1);
	m = flow_take(&fc, FAKE_CALLEE);
	assert_string_equal(m, cancel_b);
	cancel = flow_dup(m);
	m = flow_take(&fc, FAKE_CALLER);
	assert_int_equal(fake_status(f), 408);
	assert_string_equal(fake_param(f, "To", "tag"), fc.a_tag);
	flow_nothing_sent(f);
	assert_int_equal(f->st->sig.calls_ended[SBC_END_NO_ANSWER], 1);
	flow_answer(&fc, FAKE_CALLEE, cancel, 200, "OK", NULL, NULL);
	flow_answer(&fc, FAKE_CALLEE, fc.inv_b, 487, "Request Terminated", NULL, NULL);
	m = flow_take(&fc, FAKE_CALLEE);
	assert_string_equal(m, ack_b_failure);
	flow_caller_req(&fc, "ACK", CALLER_CSEQ, CALLER_BRANCH, NULL, NULL);
	free(cancel);
	flow_drain(&fc);
	flow_end(&fc);
}

/* A confirmed call the SBC ends itself, one case per cause. */
struct sbc_end_case {
	const char *sip_json;   /* configuration (NULL: defaults) */
	const char *media_json;
	const char *ok_extra;   /* header lines of the callee's 200 */
	bool no_ack;            /* the caller never ACKs the 200 */
	uint64_t media_at_ms;   /* a datagram reaches the relay this long after answer (0: none) */
	uint64_t end_ms;        /* the BYEs go this long after the answer, not 1 ms before */
	enum sbc_call_end why;
	const char *reason;     /* the Reason header both BYEs carry */
};

static const struct sbc_end_case end_cases[] = {
	/* RFC 3261 13.3.1.4: no ACK within 64*T1 of the 2xx. */
	{ NULL, "{ \"inactivity_s\": 0 }", NULL, true, 0, 64 * T1, SBC_END_NO_ACK,
			"SIP ;cause=408 ;text=\"ACK not received\"" },
	/* RFC 4028: the 200 sets a 90 s session interval, no refresh comes. */
	{ NULL, "{ \"inactivity_s\": 0 }",
			"Require: timer\nSupported: timer\nSession-Expires: 90;refresher=uac\n",
			false, 0, 90000, SBC_END_SESSION_EXPIRED,
			"SIP ;cause=408 ;text=\"session timer expired\"" },
	/* sip.max_call_s */
	{ "{ \"max_call_s\": 30 }", "{ \"inactivity_s\": 0 }", NULL, false, 0, 30000,
			SBC_END_MAX_DURATION, "Q.850 ;cause=102 ;text=\"maximum call duration\"" },
	/* media.inactivity_s, silent from the answer */
	{ NULL, "{ \"inactivity_s\": 5 }", NULL, false, 0, 5000, SBC_END_MEDIA_TIMEOUT,
			"Q.850 ;cause=102 ;text=\"media inactivity\"" },
	/* ... and silent from the last datagram the relay saw, 3 s after the answer */
	{ NULL, "{ \"inactivity_s\": 5 }", NULL, false, 3000, 8000, SBC_END_MEDIA_TIMEOUT,
			"Q.850 ;cause=102 ;text=\"media inactivity\"" },
};

/* Checks the BYE m the SBC sent side on its own, and has side answer it. */
static void
sbc_bye(struct flow_call *fc, enum fake_side side, const char *m, const struct sbc_end_case *ec)
{
	struct fake_env *f = fc->f;
	char *bye = flow_dup(m);

	assert_int_equal(fake_status(f), 0);
	if (side == FAKE_CALLER) {
		assert_string_equal(fake_start(f), "BYE sip:alice@192.0.2.10:5060 SIP/2.0");
		assert_string_equal(fake_hdr(f, "CSeq"), "1 BYE");
		assert_string_equal(fake_param(f, "From", "tag"), fc->a_tag);
		assert_string_equal(fake_param(f, "To", "tag"), CALLER_TAG);
		assert_string_equal(fake_hdr(f, "Call-ID"), CALLER_CALL_ID);
	} else {
		assert_string_equal(fake_start(f), "BYE sip:bob@198.51.100.10:5060 SIP/2.0");
		assert_string_equal(fake_hdr(f, "CSeq"), "2 BYE");
		assert_string_equal(fake_param(f, "From", "tag"), fc->b_tag);
		assert_string_equal(fake_param(f, "To", "tag"), CALLEE_TAG);
		assert_string_equal(fake_hdr(f, "Call-ID"), fc->b_call_id);
	}
	assert_string_equal(fake_hdr(f, "Max-Forwards"), "70");
	assert_string_equal(fake_hdr(f, "Reason"), ec->reason);
	flow_answer(fc, side, bye, 200, "OK", NULL, NULL);
	free(bye);
}

/* A fake environment configured for one case of end_cases (prestate: the case). */
struct end_fixture {
	struct fake_env *f;
	const struct sbc_end_case *ec;
};

static int
setup_end_case(void **state)
{
	struct end_fixture *x = calloc(1, sizeof(*x));

	assert_non_null(x);
	x->ec = *state;
	x->f = fake_new(x->ec->sip_json, x->ec->media_json, NULL);
	*state = x;
	return 0;
}

static int
teardown_end_case(void **state)
{
	struct end_fixture *x = *state;

	fake_free(x->f);
	free(x);
	return 0;
}

/* No ACK, session timer, maximum duration, media inactivity: BYE both ways, with a Reason. */
static void
test_sbc_ends_call(void **state)
{
	const struct end_fixture *x = *state;
	const struct sbc_end_case *ec = x->ec;
	struct fake_env *f = x->f;
	struct flow_call fc;
	uint64_t now = 0;
	const char *m;

	flow_start(&fc, f, 0);
	flow_invite(&fc, NULL, NULL, CALLER_SDP);
	flow_take(&fc, FAKE_CALLER);
	flow_take(&fc, FAKE_CALLEE);
	flow_answer(&fc, FAKE_CALLEE, fc.inv_b, 200, "OK", ec->ok_extra, CALLEE_SDP);
	flow_take(&fc, FAKE_CALLER);
	assert_int_equal(fake_status(f), 200);
	if (ec->ok_extra != NULL)
		assert_string_equal(fake_hdr(f, "Session-Expires"), "90;refresher=uac");
	if (!ec->no_ack) {
		flow_caller_req(&fc, "ACK", CALLER_CSEQ, "z9hG4bK776ack1", NULL, NULL);
		flow_take(&fc, FAKE_CALLEE);
	}
	if (ec->media_at_ms != 0) {
		fake_advance(f, ec->media_at_ms);
		now = ec->media_at_ms;
		f->flow[FAKE_CALLEE][0].last_ms = f->now_ms;
	}
	/* Until 1 ms before the end, only the 2xx's retransmissions (no ACK) go out. */
	fake_advance(f, ec->end_ms - 1 - now);
	while (ec->no_ack && fake_pending(f, FAKE_CALLER) > 0) {
		flow_take(&fc, FAKE_CALLER);
		assert_int_equal(fake_status(f), 200);
	}
	flow_nothing_sent(f);
	assert_int_equal(fake_calls(f), 1);
	fake_advance(f, 1);
	/* The callee: the ACK its 2xx still waited for, then the BYE. */
	if (ec->no_ack) {
		flow_take(&fc, FAKE_CALLEE);
		assert_string_equal(fake_start(f), "ACK sip:bob@198.51.100.10:5060 SIP/2.0");
	}
	m = flow_take(&fc, FAKE_CALLEE);
	sbc_bye(&fc, FAKE_CALLEE, m, ec);
	m = flow_take(&fc, FAKE_CALLER);
	sbc_bye(&fc, FAKE_CALLER, m, ec);
	flow_nothing_sent(f);
	assert_int_equal(f->st->sig.calls_ended[ec->why], 1);
	assert_int_equal(f->withdrawn[ec->why], 4);
	flow_drain(&fc);
	flow_end(&fc);
}

/* ---- IPv6 --------------------------------------------------------------------------- */

/*
 * A caller on IPv6 to the callee on IPv4: leg B's INVITE is the very one an IPv4 caller
 * makes (the SDP rewritten across families), the caller's 200 names the relay's IPv6
 * address, and the flows join the families.
 */
static void
test_ipv6_caller(void **state)
{
	struct fake_env *f = *state;
	struct flow_call fc;
	const char *m;

	flow_start(&fc, f, 1);
	flow_invite(&fc, NULL, NULL, CALLER_SDP6);
	flow_take(&fc, FAKE_CALLER);
	assert_int_equal(fake_status(f), 100);
	assert_string_equal(fake_hdr(f, "Via"),
			"SIP/2.0/UDP [2001:db8:a::10]:5060;branch=" CALLER_BRANCH ";rport=5060");
	m = flow_take(&fc, FAKE_CALLEE);
	assert_string_equal(m, flow_leg_b_invite);
	flow_answer(&fc, FAKE_CALLEE, fc.inv_b, 200, "OK", NULL, CALLEE_SDP);
	m = flow_take(&fc, FAKE_CALLER);
	assert_string_equal(m, ok_a_v6);
	/* caller [2001:db8:a::10]:49170 - [2001:db8:a::1]:20000 | 198.51.100.1:20000 - callee */
	assert_true(f->flow[FAKE_CALLER][0].f.in_v6);
	assert_false(f->flow[FAKE_CALLER][0].f.out_v6);
	assert_int_equal(f->flow[FAKE_CALLER][0].f.dst_port, 3456);
	assert_false(f->flow[FAKE_CALLEE][0].f.in_v6);
	assert_true(f->flow[FAKE_CALLEE][0].f.out_v6);
	assert_memory_equal(f->flow[FAKE_CALLEE][0].f.dst_ip,
			((const uint8_t[16]){ 0x20, 0x01, 0x0d, 0xb8, 0, 0xa, [15] = 0x10 }), 16);
	assert_int_equal(f->flow[FAKE_CALLEE][0].f.dst_port, 49170);
	flow_caller_req(&fc, "ACK", CALLER_CSEQ, "z9hG4bK776ack1", NULL, NULL);
	flow_take(&fc, FAKE_CALLEE);
	flow_caller_req(&fc, "BYE", CALLER_CSEQ + 1, "z9hG4bK776bye1", NULL, NULL);
	flow_take(&fc, FAKE_CALLER);
	assert_int_equal(fake_status(f), 200);
	m = flow_take(&fc, FAKE_CALLEE);
	assert_string_equal(fake_start(f), "BYE sip:bob@198.51.100.10:5060 SIP/2.0");
	flow_answer(&fc, FAKE_CALLEE, m, 200, "OK", NULL, NULL);
	flow_drain(&fc);
	flow_end(&fc);
}

/* Each test gets a fresh fake environment with the default configuration. */
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

/* One test per case of end_cases, named after it. */
#define END_CASE(i, name)                                                                        \
	{ "test_sbc_ends_call_" name, test_sbc_ends_call, setup_end_case, teardown_end_case,     \
		(void *)&end_cases[i] }

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_basic_call, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bye_from_callee, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_before_provisional, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_after_ringing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_crosses_answer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bye_while_ringing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_callee_busy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_late_offer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_headers_across, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retransmitted_invite, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invite_timer_a, setup, teardown),
		cmocka_unit_test_setup_teardown(test_2xx_retransmissions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_answer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ringing_too_long, setup, teardown),
		END_CASE(0, "no_ack"),
		END_CASE(1, "session_expired"),
		END_CASE(2, "max_duration"),
		END_CASE(3, "media_silent"),
		END_CASE(4, "media_stopped"),
		cmocka_unit_test_setup_teardown(test_ipv6_caller, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
