/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_b2b.c - golden call flows through the real transaction layer and B2BUA, with a
 * fake environment (b2b_fake.h): no DPDK, no EAL, run under ASan/UBSan.
 *
 * The fake's random numbers are a fixed sequence, so the SBC's tags, branches and
 * Call-IDs are the same on every run, and what each side receives is checked as whole
 * messages where it matters (the leg B INVITE), otherwise header by header. Every flow
 * also checks topology hiding: nothing that names the other side (addresses, Call-ID,
 * tags, branches, Contact) reaches a side, and ends with no call, transaction, flow or
 * relay port left.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "b2b_fake.h"

#define CALLER_SDP                                                                               \
	"v=0\n"                                                                                  \
	"o=alice 2890844526 2890844526 IN IP4 192.0.2.10\n"                                      \
	"s=-\n"                                                                                  \
	"c=IN IP4 192.0.2.10\n"                                                                  \
	"t=0 0\n"                                                                                \
	"m=audio 49170 RTP/AVP 0\n"                                                              \
	"a=rtpmap:0 PCMU/8000\n"

#define CALLEE_SDP                                                                               \
	"v=0\n"                                                                                  \
	"o=bob 2808844564 2808844564 IN IP4 198.51.100.10\n"                                     \
	"s=-\n"                                                                                  \
	"c=IN IP4 198.51.100.10\n"                                                               \
	"t=0 0\n"                                                                                \
	"m=audio 3456 RTP/AVP 0\n"                                                               \
	"a=rtpmap:0 PCMU/8000\n"

/* What the caller's side is named by: none of it may reach the callee. */
static const char *const caller_secrets[] = {
	"192.0.2.10", "a84b4c76e66710", "1928301774", "z9hG4bK776asdhds", "49170", "2890844526",
	"pc33.atlanta", NULL,
};

/* What the callee's side is named by: none of it may reach the caller. */
static const char *const callee_secrets[] = {
	"198.51.100.10", "a6c85cf", "z9hG4bKcallee", "3456", "2808844564", NULL,
};

static void
no_leak(const char *text, const char *const *secrets)
{
	unsigned int i;

	assert_non_null(text);
	for (i = 0; secrets[i] != NULL; i++)
		if (strstr(text, secrets[i]) != NULL)
			fail_msg("\"%s\" leaked into:\n%s", secrets[i], text);
}

/* The caller's INVITE (CSeq 1, branch z9hG4bK776asdhds), with SDP. */
static void
caller_invite(struct fake_env *f)
{
	fake_recv(f, FAKE_CALLER,
			"INVITE sip:bob@192.0.2.1 SIP/2.0\n"
			"Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport\n"
			"Max-Forwards: 70\n"
			"To: Bob <sip:bob@192.0.2.1>\n"
			"From: Alice <sip:alice@192.0.2.10>;tag=1928301774\n"
			"Call-ID: a84b4c76e66710@pc33.atlanta.example.com\n"
			"CSeq: 314159 INVITE\n"
			"Contact: <sip:alice@192.0.2.10:5060>\n"
			"Content-Type: application/sdp\n"
			"Content-Length: %zu\n\n%s",
			strlen(CALLER_SDP) + 7, CALLER_SDP);
}

/* The golden INVITE leg B gets from caller_invite (the fake's fixed random sequence). */
static const char leg_b_invite[] =
	"INVITE sip:bob@198.51.100.10:5060 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bKsbc00.AAAAABHHIMVOlhYFg;rport\r\n"
	"Max-Forwards: 69\r\n"
	"From: Alice <sip:alice@198.51.100.1>;tag=sbc00.Pde_4VcJAwD\r\n"
	"To: Bob <sip:bob@198.51.100.10:5060>\r\n"
	"Call-ID: sbc00.AAAAAAJdCiEk9ShLx\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: <sip:198.51.100.1:5060>\r\n"
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

/*
 * The callee answers the request req (its text as received): status, with its To tag
 * a6c85cf, and SDP on a 2xx to INVITE.
 */
static void
callee_answer(struct fake_env *f, const char *req, unsigned int status, const char *reason)
{
	char via[512], from[256], to[256], callid[128], cseq[64];
	bool sdp;

	fake_parse(f, req);
	sdp = status >= 200 && status < 300 && f->msg->method == SIP_M_INVITE;
	snprintf(via, sizeof(via), "%s", fake_hdr(f, "Via"));
	snprintf(from, sizeof(from), "%s", fake_hdr(f, "From"));
	snprintf(to, sizeof(to), "%s", fake_hdr(f, "To"));
	snprintf(callid, sizeof(callid), "%s", fake_hdr(f, "Call-ID"));
	snprintf(cseq, sizeof(cseq), "%s", fake_hdr(f, "CSeq"));
	fake_recv(f, FAKE_CALLEE,
			"SIP/2.0 %u %s\n"
			"Via: %s\n"
			"From: %s\n"
			"To: %s;tag=a6c85cf\n"
			"Call-ID: %s\n"
			"CSeq: %s\n"
			"Contact: <sip:bob@198.51.100.10:5060>\n"
			"%s"
			"Content-Length: %zu\n\n%s",
			status, reason, via, from, to, callid, cseq,
			sdp ? "Content-Type: application/sdp\n" : "",
			sdp ? strlen(CALLEE_SDP) + 7 : 0, sdp ? CALLEE_SDP : "");
}

/* A request from the caller in its dialog (To tag from the SBC's 2xx: to_tag). */
static void
caller_in_dialog(struct fake_env *f, const char *method, unsigned int cseq, const char *branch,
		const char *to_tag)
{
	fake_recv(f, FAKE_CALLER,
			"%s sip:192.0.2.1:5060 SIP/2.0\n"
			"Via: SIP/2.0/UDP 192.0.2.10:5060;branch=%s;rport\n"
			"Max-Forwards: 70\n"
			"To: Bob <sip:bob@192.0.2.1>;tag=%s\n"
			"From: Alice <sip:alice@192.0.2.10>;tag=1928301774\n"
			"Call-ID: a84b4c76e66710@pc33.atlanta.example.com\n"
			"CSeq: %u %s\n"
			"Content-Length: 0\n\n",
			method, branch, to_tag, cseq, method);
}

/* Everything is back to idle: no call, transaction, flow or relay port. */
static void
all_idle(struct fake_env *f)
{
	assert_int_equal(fake_calls(f), 0);
	assert_int_equal(fake_txns(f), 0);
	assert_int_equal(f->flows_set, 0);
	assert_int_equal(f->ports_in_use, 0);
	assert_int_equal(f->st->sig.calls_active, 0);
	assert_int_equal(f->st->sig.txns_active, 0);
}

/*
 * INVITE, 100, 180, 200 (SDP both ways), ACK, BYE from the caller, 200: what each side
 * sees, exactly for leg B's INVITE; media flows installed in both directions.
 */
static void
test_basic_call(void **state)
{
	struct fake_env *f = *state;
	char a_tag[64], *inv, *bye;
	const char *m;

	caller_invite(f);
	/* The caller hears 100 Trying at once, without a tag. */
	m = fake_take(f, FAKE_CALLER);
	assert_int_equal(fake_status(f), 100);
	assert_string_equal(fake_param(f, "To", "tag"), "");
	assert_string_equal(fake_hdr(f, "Call-ID"), "a84b4c76e66710@pc33.atlanta.example.com");
	/* The callee gets an INVITE the SBC built: exactly this. */
	m = fake_take(f, FAKE_CALLEE);
	assert_string_equal(m, leg_b_invite);
	inv = strdup(m);
	no_leak(m, caller_secrets);
	assert_int_equal(fake_pending(f, FAKE_CALLEE), 0);
	/* Flows: the caller's RTP and RTCP are expected on the access pair; no destination yet. */
	assert_true(f->flow[FAKE_CALLER][0].set && f->flow[FAKE_CALLER][1].set);
	assert_int_equal(f->flow[FAKE_CALLER][0].f.peer_port, 49170);
	assert_int_equal(f->flow[FAKE_CALLER][1].f.peer_port, 49171);
	assert_false(f->flow[FAKE_CALLER][0].f.has_dst);

	callee_answer(f, inv, 180, "Ringing");
	m = fake_take(f, FAKE_CALLER);
	assert_int_equal(fake_status(f), 180);
	no_leak(m, callee_secrets);
	snprintf(a_tag, sizeof(a_tag), "%s", fake_param(f, "To", "tag"));
	assert_true(strncmp(a_tag, "sbc00.", 6) == 0);
	/* Our answers go back by the caller's Via, completed with rport (RFC 3581). */
	assert_string_equal(fake_hdr(f, "Via"),
			"SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport=5060");

	/* The callee's 200 with SDP: the caller gets it with the relay's address. */
	callee_answer(f, inv, 200, "OK");
	assert_int_equal(fake_pending(f, FAKE_CALLEE), 0); /* no ACK before the caller's */
	m = fake_take(f, FAKE_CALLER);
	assert_int_equal(fake_status(f), 200);
	no_leak(m, callee_secrets);
	assert_string_equal(fake_param(f, "To", "tag"), a_tag);
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
	caller_in_dialog(f, "ACK", 314159, "z9hG4bKack1", a_tag);
	m = fake_take(f, FAKE_CALLEE);
	assert_string_equal(fake_start(f), "ACK sip:bob@198.51.100.10:5060 SIP/2.0");
	assert_string_equal(fake_hdr(f, "CSeq"), "1 ACK");
	assert_string_equal(fake_param(f, "To", "tag"), "a6c85cf");
	no_leak(m, caller_secrets);
	caller_in_dialog(f, "BYE", 314160, "z9hG4bKbye1", a_tag);
	m = fake_take(f, FAKE_CALLER);
	assert_int_equal(fake_status(f), 200);
	assert_string_equal(fake_hdr(f, "CSeq"), "314160 BYE");
	m = fake_take(f, FAKE_CALLEE);
	assert_string_equal(fake_start(f), "BYE sip:bob@198.51.100.10:5060 SIP/2.0");
	assert_string_equal(fake_hdr(f, "CSeq"), "2 BYE");
	no_leak(m, caller_secrets);
	bye = strdup(m);
	/* The flows are withdrawn at once, counted as the caller's hang-up. */
	assert_int_equal(f->flows_set, 0);
	assert_int_equal(f->withdrawn[SBC_END_BYE_A], 4);
	assert_int_equal(f->st->sig.calls_ended[SBC_END_BYE_A], 1);
	callee_answer(f, bye, 200, "OK");
	assert_int_equal(fake_pending(f, FAKE_CALLER) + fake_pending(f, FAKE_CALLEE), 0);
	free(inv);
	free(bye);
	/* The transactions linger (64*T1) and end. */
	fake_advance(f, 64 * 500 + 1);
	assert_int_equal(fake_pending(f, FAKE_CALLER) + fake_pending(f, FAKE_CALLEE), 0);
	all_idle(f);
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_basic_call, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
