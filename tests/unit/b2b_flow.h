/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * b2b_flow.h - the two parties of the B2BUA's golden call flows (test_b2b*.c), on top of
 * the fake environment (b2b_fake.h).
 *
 * The caller (alice, 192.0.2.10 or 2001:db8:a::10) and the callee (bob, 198.51.100.10)
 * write their messages as RFC 3261's examples do; these helpers send them and take what
 * the SBC sent back. Every message taken through flow_take is checked for topology
 * hiding on the way: nothing that names the other side reaches a side, neither that
 * side's own identifiers (addresses, ports, tags, Call-ID, branches, host names, SDP
 * origin) nor the identifiers the SBC uses on the other leg (its tag and Call-ID there,
 * its address on the other interface).
 */
#ifndef B2B_FLOW_H
#define B2B_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "b2b_fake.h"

#define CALLER_SDP                                                                               \
	"v=0\n"                                                                                  \
	"o=alice 2890844526 2890844526 IN IP4 192.0.2.10\n"                                      \
	"s=-\n"                                                                                  \
	"c=IN IP4 192.0.2.10\n"                                                                  \
	"t=0 0\n"                                                                                \
	"m=audio 49170 RTP/AVP 0\n"                                                              \
	"a=rtpmap:0 PCMU/8000\n"

/* The same caller on IPv6. */
#define CALLER_SDP6                                                                              \
	"v=0\n"                                                                                  \
	"o=alice 2890844526 2890844526 IN IP6 2001:db8:a::10\n"                                  \
	"s=-\n"                                                                                  \
	"c=IN IP6 2001:db8:a::10\n"                                                              \
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

/* The caller's identifiers (RFC 3261 24.2): Call-ID, From tag, INVITE branch and CSeq. */
#define CALLER_CALL_ID "a84b4c76e66710@pc33.atlanta.example.com"
#define CALLER_TAG "1928301774"
#define CALLER_BRANCH "z9hG4bK776asdhds"
#define CALLER_CSEQ 314159u
/* The callee's To tag, and the branch prefix of its requests. */
#define CALLEE_TAG "a6c85cf"
#define CALLEE_BRANCH "z9hG4bKcallee"

/* The golden INVITE leg B gets from flow_invite (the fake's fixed random sequence). */
extern const char flow_leg_b_invite[];

/* What the parties learnt of the call from the SBC's messages. */
struct flow_call {
	struct fake_env *f;
	int v6;             /* the caller speaks IPv6 */
	char a_tag[64];     /* the SBC's To tag in the caller's dialog ("" before one came) */
	char *inv_b;        /* the INVITE leg B received (its text), or NULL */
	char b_call_id[64]; /* the SBC's identifiers on leg B, from that INVITE */
	char b_tag[64];
};

/* Starts a flow on f (the caller on IPv4, or IPv6 with v6). */
void flow_start(struct flow_call *fc, struct fake_env *f, int v6);
/* Frees what fc kept. */
void flow_end(struct flow_call *fc);

/*
 * The caller's INVITE (CSeq 314159, the given branch; NULL: CALLER_BRANCH) with extra
 * header lines ("\n"-terminated, or NULL) and an SDP body (NULL: none).
 */
void flow_invite(struct flow_call *fc, const char *branch, const char *extra, const char *sdp);

/* The caller's CANCEL of that INVITE (RFC 3261 9.1: its Request-URI, branch, To, CSeq). */
void flow_cancel(struct flow_call *fc);

/*
 * A request from the caller in its dialog with the SBC (To tag: fc->a_tag), or from the
 * callee in leg B's dialog (From tag CALLEE_TAG, To tag fc->b_tag). extra: header lines,
 * "\n"-terminated, or NULL; body: NULL for none, typed application/sdp unless extra has
 * a Content-Type.
 */
void flow_caller_req(struct flow_call *fc, const char *method, unsigned int cseq,
		const char *branch, const char *extra, const char *body);
void flow_callee_req(struct flow_call *fc, const char *method, unsigned int cseq,
		const char *branch, const char *extra, const char *body);

/*
 * side answers the request req (its text as the SBC sent it): status and reason, its
 * Via, From, To (given the callee's tag CALLEE_TAG when it has none), Call-ID and CSeq,
 * a Contact on 1xx/2xx to INVITE and UPDATE, extra lines and a body as above.
 */
void flow_answer(struct flow_call *fc, enum fake_side side, const char *req, unsigned int status,
		const char *reason, const char *extra, const char *body);

/*
 * Takes the next message the SBC sent to side, fails the test when there is none or
 * when it names the other side (see the file header), and returns its text (valid until
 * the next take; f->msg holds it parsed). The first response with a tag to the caller's
 * INVITE teaches fc->a_tag; an INVITE to the callee teaches the leg B identifiers (and is kept in
 * fc->inv_b when it is the first). With FLOW_DUMP set in the environment, every message
 * taken is printed on stderr, to read a flow.
 */
const char *flow_take(struct flow_call *fc, enum fake_side side);

/* A copy of s the caller frees (fails the test when out of memory). */
char *flow_dup(const char *s);

/* Fails the test when s names one of secrets (a NULL-terminated list). */
void flow_no_leak(const char *text, const char *const *secrets);

/* Fails the test when the SBC has anything left to send to either side. */
void flow_nothing_sent(const struct fake_env *f);

/* Everything is back to idle: no call, transaction, flow or relay port. */
void flow_all_idle(const struct fake_env *f);

/*
 * The golden set-up: INVITE (CALLER_SDP, or CALLER_SDP6 over IPv6), 100, leg B INVITE
 * (exactly flow_leg_b_invite), 180, 200 (CALLEE_SDP), ACK relayed.
 * Leaves a confirmed call with nothing waiting to be taken.
 */
void flow_establish(struct flow_call *fc);

/*
 * Lets both transactions and calls run out (64*T1 and more) and checks that the SBC is
 * idle again and sent nothing more.
 */
void flow_drain(struct flow_call *fc);

/* Returns the number of text's lines that start with prefix (a header name and ": "). */
unsigned int flow_count_lines(const char *text, const char *prefix);

/*
 * What the caller gets when it cancels the call of flow_invite before any final answer:
 * 200 to the CANCEL and 487 to the INVITE, both with the To tag of the INVITE's answers
 * (RFC 3261 9.2), as the fake's fixed random sequence makes it.
 */
extern const char flow_cancel_a_ok[];
extern const char flow_invite_a_487[];

#endif /* B2B_FLOW_H */
