/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_b2b_admit.c - what decides whether a call is taken, through the real
 * transaction layer and B2BUA with the fake environment (b2b_fake.h, b2b_flow.h):
 *  - the admission hooks of b2b_env.h: go with a maximum duration, refuse, wait and
 *    resume (b2b_call_resume), a wait ended by CANCEL or by the deadline, the INVITE
 *    retransmitted while waiting; the answered and ended hooks called once each;
 *  - the answers the SBC gives itself before any call exists (b2b_datagram's message
 *    layer and the new call's screening): 400 (an offence), 501, 416, 505, 420, 483,
 *    482, 503 when overloaded; datagrams dropped without an answer.
 */
#include <errno.h>
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

/* Admission's refusal: its status, reason and header lines, with the dialog's To tag. */
static const char refused_a_403[] =
	"SIP/2.0 403 Forbidden\r\n"
	"Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport=5060\r\n"
	"From: Alice <sip:alice@192.0.2.10>;tag=1928301774\r\n"
	"To: Bob <sip:bob@192.0.2.1>;tag=sbc00.B3XgbgIHDKg\r\n"
	"Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
	"CSeq: 314159 INVITE\r\n"
	"Reason: Q.850 ;cause=21 ;text=\"call rejected\"\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

/* Admission gave no answer in time. */
static const char deadline_a_503[] =
	"SIP/2.0 503 Service Unavailable\r\n"
	"Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport=5060\r\n"
	"From: Alice <sip:alice@192.0.2.10>;tag=1928301774\r\n"
	"To: Bob <sip:bob@192.0.2.1>;tag=sbc00.B3XgbgIHDKg\r\n"
	"Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
	"CSeq: 314159 INVITE\r\n"
	"Retry-After: 5\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

/* The message layer's 400 for a broken CSeq: its reason says what is wrong; a fresh tag. */
static const char malformed_400[] =
	"SIP/2.0 400 Malformed CSeq\r\n"
	"Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776own;rport=5060\r\n"
	"From: Alice <sip:alice@192.0.2.10>;tag=1928301774\r\n"
	"To: Bob <sip:bob@192.0.2.1>;tag=sbc00.B3XgbgIHDKg\r\n"
	"Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
	"CSeq: many INVITE\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

/* 501 for a method the SBC does not know, with what it knows (RFC 3261 8.2.1). */
static const char unknown_501[] =
	"SIP/2.0 501 Not Implemented\r\n"
	"Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776own;rport=5060\r\n"
	"From: Alice <sip:alice@192.0.2.10>;tag=1928301774\r\n"
	"To: Bob <sip:bob@192.0.2.1>;tag=sbc00.EkIIftGj4AL\r\n"
	"Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
	"CSeq: 1 FOO\r\n"
	"Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, PRACK, INFO\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

/* ---- hooks -------------------------------------------------------------------------- */

/* What the hooks were asked and said. */
struct hook_log {
	struct b2b_admission verdict; /* what new_call answers */
	unsigned int new_calls;
	unsigned int answered;
	unsigned int ended;
	enum sbc_call_end why;        /* the last ended call's */
	struct b2b_handle h;          /* the last new call's handle */
	char call_id[128];            /* the Call-ID of the INVITE new_call saw */
};

static void
hook_new_call(void *arg, struct b2b *b, struct b2b_call *c, const struct sip_msg *m,
		struct b2b_handle h, struct b2b_admission *a)
{
	struct hook_log *log = arg;
	struct sip_str id;

	(void)b;
	assert_int_equal(c->state, B2B_ADMITTING);
	assert_int_equal(m->method, SIP_M_INVITE);
	assert_int_equal(sip_call_id(m, &id), 0);
	snprintf(log->call_id, sizeof(log->call_id), "%.*s", (int)id.len, id.s);
	log->new_calls++;
	log->h = h;
	*a = log->verdict;
}

static void
hook_answered(void *arg, struct b2b *b, struct b2b_call *c)
{
	struct hook_log *log = arg;

	(void)b;
	assert_int_equal(c->state, B2B_ANSWERED);
	log->answered++;
}

static void
hook_ended(void *arg, struct b2b *b, const struct b2b_call *c, enum sbc_call_end why)
{
	struct hook_log *log = arg;

	(void)b;
	assert_int_not_equal(c->state, B2B_FREE);
	log->ended++;
	log->why = why;
}

/* A fake environment with the hooks above; the verdict comes from the test (prestate). */
struct hook_fixture {
	struct fake_env *f;
	struct hook_log log;
};

static const struct b2b_admission go = { .verdict = B2B_GO };
static const struct b2b_admission go_20s = { .verdict = B2B_GO, .max_duration_s = 20 };
static const struct b2b_admission wait = { .verdict = B2B_WAIT };
static const struct b2b_admission refuse_403 = {
	.verdict = B2B_REFUSE,
	.status = 403,
	.reason = "Forbidden",
	.extra = "Reason: Q.850 ;cause=21 ;text=\"call rejected\"\r\n",
};

static int
setup_hooks(void **state)
{
	struct hook_fixture *x = calloc(1, sizeof(*x));
	struct b2b_hooks hooks = {
		.new_call = hook_new_call,
		.answered = hook_answered,
		.ended = hook_ended,
	};

	assert_non_null(x);
	x->log.verdict = *(const struct b2b_admission *)*state;
	hooks.arg = &x->log;
	/* sip.max_call_s above the admission's limit: the lower one holds. */
	x->f = fake_new("{ \"max_call_s\": 30 }", "{ \"inactivity_s\": 0 }", &hooks);
	*state = x;
	return 0;
}

static int
teardown_hooks(void **state)
{
	struct hook_fixture *x = *state;

	fake_free(x->f);
	free(x);
	return 0;
}

/* The callee answers leg B's INVITE 180 then 200, the caller ACKs: a confirmed call. */
static void
answer_and_ack(struct flow_call *fc)
{
	struct fake_env *f = fc->f;

	flow_answer(fc, FAKE_CALLEE, fc->inv_b, 180, "Ringing", NULL, NULL);
	flow_take(fc, FAKE_CALLER);
	assert_int_equal(fake_status(f), 180);
	flow_answer(fc, FAKE_CALLEE, fc->inv_b, 200, "OK", NULL, CALLEE_SDP);
	flow_take(fc, FAKE_CALLER);
	assert_int_equal(fake_status(f), 200);
	flow_caller_req(fc, "ACK", CALLER_CSEQ, "z9hG4bK776ack1", NULL, NULL);
	flow_take(fc, FAKE_CALLEE);
	assert_string_equal(fake_start(f), "ACK sip:bob@198.51.100.10:5060 SIP/2.0");
	flow_nothing_sent(f);
}

/* The SBC ended the confirmed call itself: BYE to both, each answered 200. */
static void
both_get_bye(struct flow_call *fc, const char *reason)
{
	struct fake_env *f = fc->f;
	enum fake_side s;
	char *bye;

	for (s = FAKE_CALLER; s <= FAKE_CALLEE; s++) {
		bye = flow_dup(flow_take(fc, s));
		assert_true(strncmp(fake_start(f), "BYE ", 4) == 0);
		assert_string_equal(fake_hdr(f, "Reason"), reason);
		flow_answer(fc, s, bye, 200, "OK", NULL, NULL);
		free(bye);
	}
	flow_nothing_sent(f);
}

/*
 * Admission says go, for 20 s at most (sip.max_call_s is 30): the call is set up as
 * without a hook, and ends 20 s after the answer. The hooks each run once.
 */
static void
test_admit_go_limited(void **state)
{
	struct hook_fixture *x = *state;
	struct fake_env *f = x->f;
	struct flow_call fc;

	flow_start(&fc, f, 0);
	flow_invite(&fc, NULL, NULL, CALLER_SDP);
	flow_take(&fc, FAKE_CALLER);
	assert_int_equal(fake_status(f), 100);
	assert_int_equal(x->log.new_calls, 1);
	assert_string_equal(x->log.call_id, CALLER_CALL_ID);
	assert_string_equal(flow_take(&fc, FAKE_CALLEE), flow_leg_b_invite);
	assert_int_equal(x->log.answered, 0);
	answer_and_ack(&fc);
	assert_int_equal(x->log.answered, 1);
	fake_advance(f, 20000 - 1);
	flow_nothing_sent(f);
	fake_advance(f, 1);
	both_get_bye(&fc, "Q.850 ;cause=102 ;text=\"maximum call duration\"");
	assert_int_equal(x->log.ended, 1);
	assert_int_equal(x->log.why, SBC_END_MAX_DURATION);
	assert_int_equal(x->log.answered, 1);
	assert_int_equal(x->log.new_calls, 1);
	flow_drain(&fc);
	flow_end(&fc);
}

/*
 * Admission refuses 403 with a Reason: the caller gets it (after the 100), nothing goes
 * on leg B, the call ends counted as rejected; the caller's ACK is absorbed.
 */
static void
test_admit_refuse(void **state)
{
	struct hook_fixture *x = *state;
	struct fake_env *f = x->f;
	struct flow_call fc;
	const char *m;

	flow_start(&fc, f, 0);
	flow_invite(&fc, NULL, NULL, CALLER_SDP);
	flow_take(&fc, FAKE_CALLER);
	assert_int_equal(fake_status(f), 100);
	m = flow_take(&fc, FAKE_CALLER);
	assert_string_equal(m, refused_a_403);
	flow_nothing_sent(f);
	assert_int_equal(fake_calls(f), 0);
	assert_int_equal(f->ports_in_use, 0);
	assert_int_equal(f->st->sig.calls_offered, 1);
	assert_int_equal(f->st->sig.calls_ended[SBC_END_REJECTED], 1);
	assert_int_equal(x->log.ended, 1);
	assert_int_equal(x->log.why, SBC_END_REJECTED);
	assert_int_equal(x->log.answered, 0);
	flow_caller_req(&fc, "ACK", CALLER_CSEQ, CALLER_BRANCH, NULL, NULL);
	flow_nothing_sent(f);
	flow_drain(&fc);
	flow_end(&fc);
}

/*
 * Admission waits: the caller has its 100, leg B nothing; the INVITE retransmitted
 * meanwhile is absorbed (the 100 again, no second new_call). b2b_call_resume(GO) then
 * opens leg B with the held INVITE, exactly as the synchronous case does; the call
 * goes on. A second answer, or a "wait" given to resume, is refused.
 */
static void
test_admit_wait_resume(void **state)
{
	struct hook_fixture *x = *state;
	struct fake_env *f = x->f;
	struct flow_call fc;
	char *trying, *bye;

	flow_start(&fc, f, 0);
	flow_invite(&fc, NULL, NULL, CALLER_SDP);
	trying = flow_dup(flow_take(&fc, FAKE_CALLER));
	assert_int_equal(fake_status(f), 100);
	flow_nothing_sent(f);
	assert_int_equal(fake_calls(f), 1);
	assert_int_equal(f->ports_in_use, 0);
	fake_advance(f, 1000);
	flow_invite(&fc, NULL, NULL, CALLER_SDP);
	assert_string_equal(flow_take(&fc, FAKE_CALLER), trying);
	flow_nothing_sent(f);
	assert_int_equal(x->log.new_calls, 1);
	assert_int_equal(b2b_call_resume(&f->b2b, x->log.h, &wait), -ENOENT);
	flow_nothing_sent(f);
	assert_int_equal(b2b_call_resume(&f->b2b, x->log.h, &go), 0);
	assert_string_equal(flow_take(&fc, FAKE_CALLEE), flow_leg_b_invite);
	flow_nothing_sent(f);
	assert_int_equal(b2b_call_resume(&f->b2b, x->log.h, &go), -ENOENT);
	flow_nothing_sent(f);
	answer_and_ack(&fc);
	assert_int_equal(x->log.answered, 1);
	flow_caller_req(&fc, "BYE", CALLER_CSEQ + 1, "z9hG4bK776bye1", NULL, NULL);
	flow_take(&fc, FAKE_CALLER);
	assert_int_equal(fake_status(f), 200);
	bye = flow_dup(flow_take(&fc, FAKE_CALLEE));
	flow_answer(&fc, FAKE_CALLEE, bye, 200, "OK", NULL, NULL);
	assert_int_equal(x->log.ended, 1);
	assert_int_equal(x->log.why, SBC_END_BYE_A);
	free(trying);
	free(bye);
	flow_drain(&fc);
	flow_end(&fc);
}

/*
 * The caller cancels while admission waits: 200 to the CANCEL, 487 to the INVITE
 * (both with the dialog's tag), nothing on leg B. The late answer finds a stale handle,
 * even once the slot holds a new call, whose own handle works.
 */
static void
test_admit_wait_cancel(void **state)
{
	struct hook_fixture *x = *state;
	struct fake_env *f = x->f;
	struct b2b_handle stale;
	struct flow_call fc;
	const char *m;
	char tag[64];

	flow_start(&fc, f, 0);
	flow_invite(&fc, NULL, NULL, CALLER_SDP);
	flow_take(&fc, FAKE_CALLER);
	stale = x->log.h;
	flow_cancel(&fc);
	m = flow_take(&fc, FAKE_CALLER);
	assert_string_equal(m, flow_cancel_a_ok);
	snprintf(tag, sizeof(tag), "%s", fake_param(f, "To", "tag"));
	m = flow_take(&fc, FAKE_CALLER);
	assert_string_equal(m, flow_invite_a_487);
	assert_string_equal(fake_param(f, "To", "tag"), tag);
	flow_nothing_sent(f);
	assert_int_equal(x->log.ended, 1);
	assert_int_equal(x->log.why, SBC_END_CANCEL);
	assert_int_equal(fake_calls(f), 0);
	assert_int_equal(b2b_call_resume(&f->b2b, stale, &go), -ENOENT);
	flow_nothing_sent(f);
	flow_caller_req(&fc, "ACK", CALLER_CSEQ, CALLER_BRANCH, NULL, NULL);
	flow_nothing_sent(f);

	/* A new call in the same slot: the old handle names it not. */
	flow_invite(&fc, "z9hG4bK776second", NULL, CALLER_SDP);
	flow_take(&fc, FAKE_CALLER);
	assert_int_equal(fake_status(f), 100);
	assert_int_equal(x->log.h.idx, stale.idx);
	assert_int_not_equal(x->log.h.gen, stale.gen);
	assert_int_equal(b2b_call_resume(&f->b2b, stale, &go), -ENOENT);
	flow_nothing_sent(f);
	assert_int_equal(b2b_call_resume(&f->b2b, x->log.h, &refuse_403), 0);
	flow_take(&fc, FAKE_CALLER);
	assert_int_equal(fake_status(f), 403);
	flow_caller_req(&fc, "ACK", CALLER_CSEQ, "z9hG4bK776second", NULL, NULL);
	flow_nothing_sent(f);
	assert_int_equal(x->log.ended, 2);
	assert_int_equal(x->log.why, SBC_END_REJECTED);
	flow_drain(&fc);
	flow_end(&fc);
}

/* Admission never answers: after B2B_ADMIT_DEADLINE_MS the caller gets 503 Retry-After. */
static void
test_admit_wait_deadline(void **state)
{
	struct hook_fixture *x = *state;
	struct fake_env *f = x->f;
	struct flow_call fc;
	const char *m;

	flow_start(&fc, f, 0);
	flow_invite(&fc, NULL, NULL, CALLER_SDP);
	flow_take(&fc, FAKE_CALLER);
	fake_advance(f, B2B_ADMIT_DEADLINE_MS - 1);
	flow_nothing_sent(f);
	assert_int_equal(fake_calls(f), 1);
	fake_advance(f, 1);
	m = flow_take(&fc, FAKE_CALLER);
	assert_string_equal(m, deadline_a_503);
	flow_nothing_sent(f);
	assert_int_equal(f->st->sig.calls_ended[SBC_END_ADMIT_TIMEOUT], 1);
	assert_int_equal(x->log.ended, 1);
	assert_int_equal(x->log.why, SBC_END_ADMIT_TIMEOUT);
	assert_int_equal(b2b_call_resume(&f->b2b, x->log.h, &go), -ENOENT);
	flow_caller_req(&fc, "ACK", CALLER_CSEQ, CALLER_BRANCH, NULL, NULL);
	flow_nothing_sent(f);
	flow_drain(&fc);
	flow_end(&fc);
}

/* ---- the SBC's own answers ---------------------------------------------------------- */

/* A datagram from the caller, and what the SBC must do with it. */
struct own_case {
	const char *name;
	const char *text;       /* "\n" line ends; Content-Length written */
	bool overloaded;        /* the lcore reports a backlog */
	unsigned int status;    /* the answer, 0: none */
	const char *reason;
	const char *header;     /* a header line the answer carries ("Name: value"), or NULL */
	unsigned int offences;  /* malformed SIP reported to the firewall */
	enum sbc_drop drop;     /* SBC_DROP_NONE, or the drop counted on the port */
	enum sbc_event event;   /* an event the port counts (SBC_EV_SIP_RX: none besides) */
};

#define VIA "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776own;rport\n"
#define HEAD                                                                                     \
	"To: Bob <sip:bob@192.0.2.1>\n"                                                          \
	"From: Alice <sip:alice@192.0.2.10>;tag=" CALLER_TAG "\n"                                \
	"Call-ID: " CALLER_CALL_ID "\n"

static const struct own_case own_cases[] = {
	{ "malformed CSeq",
			"INVITE sip:bob@192.0.2.1 SIP/2.0\n" VIA "Max-Forwards: 70\n" HEAD
			"CSeq: many INVITE\nContent-Length: 0\n\n",
			false, 400, "Malformed CSeq", NULL, 1, SBC_DROP_NONE, SBC_EV_SIP_REJECTED },
	/* Malformed, and no answer can copy the Call-ID it lacks: dropped, reported. */
	{ "no Call-ID",
			"BYE sip:bob@192.0.2.1 SIP/2.0\n" VIA
			"To: Bob <sip:bob@192.0.2.1>;tag=x\n"
			"From: Alice <sip:alice@192.0.2.10>;tag=" CALLER_TAG "\n"
			"CSeq: 2 BYE\nContent-Length: 0\n\n",
			false, 0, NULL, NULL, 1, SBC_DROP_NONE, SBC_EV_SIP_DISCARDED },
	{ "unknown method",
			"FOO sip:192.0.2.1 SIP/2.0\n" VIA "Max-Forwards: 70\n" HEAD
			"CSeq: 1 FOO\nContent-Length: 0\n\n",
			false, 501, "Not Implemented",
			"Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, PRACK, INFO", 0,
			SBC_DROP_NONE, SBC_EV_SIP_RX },
	{ "URI scheme",
			"INVITE xmpp:bob@192.0.2.1 SIP/2.0\n" VIA "Max-Forwards: 70\n" HEAD
			"CSeq: 1 INVITE\nContent-Length: 0\n\n",
			false, 416, "Unsupported URI Scheme", NULL, 0, SBC_DROP_NONE,
			SBC_EV_SIP_REJECTED },
	{ "SIP version",
			"INVITE sip:bob@192.0.2.1 SIP/3.0\n" VIA "Max-Forwards: 70\n" HEAD
			"CSeq: 1 INVITE\nContent-Length: 0\n\n",
			false, 505, "Version Not Supported", NULL, 0, SBC_DROP_NONE,
			SBC_EV_SIP_REJECTED },
	{ "Require: foo",
			"INVITE sip:bob@192.0.2.1 SIP/2.0\n" VIA "Max-Forwards: 70\n" HEAD
			"CSeq: 1 INVITE\nRequire: 100rel, foo\nContent-Length: 0\n\n",
			false, 420, "Bad Extension", "Unsupported: foo", 0, SBC_DROP_NONE,
			SBC_EV_SIP_RX },
	{ "Max-Forwards: 0",
			"INVITE sip:bob@192.0.2.1 SIP/2.0\n" VIA "Max-Forwards: 0\n" HEAD
			"CSeq: 1 INVITE\nContent-Length: 0\n\n",
			false, 483, "Too Many Hops", NULL, 0, SBC_DROP_NONE, SBC_EV_SIP_RX },
	{ "overloaded",
			"INVITE sip:bob@192.0.2.1 SIP/2.0\n" VIA "Max-Forwards: 70\n" HEAD
			"CSeq: 1 INVITE\nContent-Length: 0\n\n",
			true, 503, "Service Unavailable", "Retry-After: 5", 0, SBC_DROP_NONE,
			SBC_EV_SIP_RX },
	{ "out-of-dialog BYE",
			"BYE sip:bob@192.0.2.1 SIP/2.0\n" VIA "Max-Forwards: 70\n" HEAD
			"CSeq: 2 BYE\nContent-Length: 0\n\n",
			false, 481, "Call/Transaction Does Not Exist", NULL, 0, SBC_DROP_NONE,
			SBC_EV_SIP_RX },
	{ "OPTIONS for another host",
			"OPTIONS sip:carrier.example.net SIP/2.0\n" VIA "Max-Forwards: 70\n" HEAD
			"CSeq: 1 OPTIONS\nContent-Length: 0\n\n",
			false, 404, "Not Found", NULL, 0, SBC_DROP_NONE, SBC_EV_SIP_RX },
	/* (A NUL cannot pass through the harness's C strings: test_sip_msg covers it.) */
	{ "DEL in a header value",
			"OPTIONS sip:192.0.2.1 SIP/2.0\n" VIA "Max-Forwards: 70\n" HEAD
			"CSeq: 1 OPTIONS\nSubject: a\x7f" "b\nContent-Length: 0\n\n",
			false, 400, "Control Character in Header Value", NULL, 1, SBC_DROP_NONE,
			SBC_EV_SIP_CONTROL_CHAR },
	/* Not SIP (a TLS record): a bad request line with nothing to answer by. */
	{ "not SIP", "\x16\x03\x01 not SIP at all\n\n", false, 0, NULL, NULL, 1,
			SBC_DROP_NONE, SBC_EV_SIP_DISCARDED },
	{ "keep-alive", "\n\n", false, 0, NULL, NULL, 0, SBC_DROP_NONE, SBC_EV_SIP_DISCARDED },
	{ "malformed ACK",
			"ACK sip:bob@192.0.2.1 SIP/2.0\n" VIA "Max-Forwards: 70\n" HEAD
			"CSeq: one ACK\nContent-Length: 0\n\n",
			false, 0, NULL, NULL, 1, SBC_DROP_NONE, SBC_EV_SIP_DISCARDED },
};

/* The first header of f->msg named as in line ("Name: value") has line's value. */
static void
check_header_line(const struct fake_env *f, const char *line)
{
	char name[64];
	size_t n = strcspn(line, ":");

	snprintf(name, sizeof(name), "%.*s", (int)n, line);
	assert_string_equal(fake_hdr(f, name), line + n + 2);
}

/* Each datagram of own_cases to a fresh SBC: the answer it gets, what is counted. */
static void
test_own_answers(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < SIG_DIM(own_cases); i++) {
		const struct own_case *oc = &own_cases[i];
		struct fake_env *f = fake_new(NULL, NULL, NULL);
		struct flow_call fc;
		char start[128];

		print_message("case: %s\n", oc->name);
		flow_start(&fc, f, 0);
		f->overloaded = oc->overloaded;
		fake_recv(f, FAKE_CALLER, "%s", oc->text);
		if (oc->status != 0) {
			flow_take(&fc, FAKE_CALLER);
			snprintf(start, sizeof(start), "SIP/2.0 %u %s", oc->status, oc->reason);
			assert_string_equal(fake_start(f), start);
			/* A fresh To tag of the SBC's on every error (RFC 3261 8.2.6.2). */
			assert_true(strncmp(fake_param(f, "To", "tag"), "sbc00.", 6) == 0);
			if (oc->header != NULL)
				check_header_line(f, oc->header);
		}
		flow_nothing_sent(f);
		assert_int_equal(f->offences[SBC_FW_OFF_MALFORMED], oc->offences);
		if (oc->drop != SBC_DROP_NONE)
			assert_int_equal(f->st->port[FAKE_CALLER].drops[oc->drop], 1);
		assert_int_equal(f->st->port[FAKE_CALLER].events[oc->event], 1);
		assert_int_equal(f->st->sig.calls_offered, 0);
		assert_int_equal(f->st->sig.calls_overload, oc->overloaded);
		flow_all_idle(f);
		flow_end(&fc);
		fake_free(f);
	}
}

/* Two answers compared whole: 400 (an offence) and 501 with Allow. */
static void
test_own_answers_golden(void **state)
{
	struct fake_env *f = *state;
	struct flow_call fc;
	const char *m;

	flow_start(&fc, f, 0);
	fake_recv(f, FAKE_CALLER, "%s", own_cases[0].text);
	m = flow_take(&fc, FAKE_CALLER);
	assert_string_equal(m, malformed_400);
	fake_recv(f, FAKE_CALLER, "%s", own_cases[2].text);
	m = flow_take(&fc, FAKE_CALLER);
	assert_string_equal(m, unknown_501);
	flow_nothing_sent(f);
	flow_all_idle(f);
	flow_end(&fc);
}

/*
 * The same dialog (Call-ID, From tag) again with a new branch while the call is in
 * progress: a loop, 482; the call goes on untouched.
 */
static void
test_loop_detected(void **state)
{
	struct fake_env *f = *state;
	struct flow_call fc;
	char *bye;

	flow_start(&fc, f, 0);
	flow_establish(&fc);
	flow_invite(&fc, "z9hG4bK776loop", NULL, CALLER_SDP);
	flow_take(&fc, FAKE_CALLER);
	assert_string_equal(fake_start(f), "SIP/2.0 482 Loop Detected");
	assert_string_equal(fake_hdr(f, "CSeq"), "314159 INVITE");
	assert_string_not_equal(fake_param(f, "To", "tag"), fc.a_tag);
	flow_nothing_sent(f);
	assert_int_equal(f->st->sig.calls_offered, 1);
	assert_int_equal(f->flows_set, 4);
	flow_caller_req(&fc, "BYE", CALLER_CSEQ + 1, "z9hG4bK776bye1", NULL, NULL);
	flow_take(&fc, FAKE_CALLER);
	assert_int_equal(fake_status(f), 200);
	bye = flow_dup(flow_take(&fc, FAKE_CALLEE));
	flow_answer(&fc, FAKE_CALLEE, bye, 200, "OK", NULL, NULL);
	free(bye);
	flow_drain(&fc);
	flow_end(&fc);
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

/* A test with the hooks, new_call answering verdict. */
#define HOOKED(test, verdict)                                                                    \
	cmocka_unit_test_prestate_setup_teardown(test, setup_hooks, teardown_hooks,              \
			(void *)&(verdict))

int
main(void)
{
	const struct CMUnitTest tests[] = {
		HOOKED(test_admit_go_limited, go_20s),
		HOOKED(test_admit_refuse, refuse_403),
		HOOKED(test_admit_wait_resume, wait),
		HOOKED(test_admit_wait_cancel, wait),
		HOOKED(test_admit_wait_deadline, wait),
		cmocka_unit_test(test_own_answers),
		cmocka_unit_test_setup_teardown(test_own_answers_golden, setup, teardown),
		cmocka_unit_test_setup_teardown(test_loop_detected, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
