/* SPDX-License-Identifier: BSD-3-Clause */
/* b2b_flow.c - the parties of the B2BUA's golden call flows (see b2b_flow.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "b2b_flow.h"

const char flow_leg_b_invite[] =
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
 * What names the caller's side: none of it may reach the callee. The SBC's own access
 * addresses are among them (the callee sees the SBC's core address only); every
 * branch the caller makes starts with "z9hG4bK776"; its proxies are *.atlanta.example.
 */
static const char *const caller_secrets[] = {
	"192.0.2.1", "2001:db8:a:", "a84b4c76e66710", "atlanta.example", CALLER_TAG, "z9hG4bK776",
	"49170", "2890844526", NULL,
};

/* What names the callee's side (its proxies: *.biloxi.example): none may reach the caller. */
static const char *const callee_secrets[] = {
	"198.51.100.1", "2001:db8:c:", "biloxi.example", CALLEE_TAG, CALLEE_BRANCH, "3456",
	"2808844564", NULL,
};

char *
flow_dup(const char *s)
{
	char *d;

	assert_non_null(s);
	d = strdup(s);
	assert_non_null(d);
	return d;
}

void
flow_no_leak(const char *text, const char *const *secrets)
{
	unsigned int i;

	assert_non_null(text);
	for (i = 0; secrets[i] != NULL; i++)
		if (secrets[i][0] != '\0' && strstr(text, secrets[i]) != NULL)
			fail_msg("\"%s\" leaked into:\n%s", secrets[i], text);
}

void
flow_start(struct flow_call *fc, struct fake_env *f, int v6)
{
	memset(fc, 0, sizeof(*fc));
	fc->f = f;
	fc->v6 = v6;
}

void
flow_end(struct flow_call *fc)
{
	free(fc->inv_b);
	fc->inv_b = NULL;
}

/* The caller's address, and the SBC's on the caller's side, as URI hosts. */
static const char *
caller_host(const struct flow_call *fc)
{
	return fc->v6 ? "[2001:db8:a::10]" : "192.0.2.10";
}

static const char *
sbc_a_host(const struct flow_call *fc)
{
	return fc->v6 ? "[2001:db8:a::1]" : "192.0.2.1";
}

/* The length of a "\n" text once each "\n" is CRLF (fake_recv's conversion). */
static size_t
wire_len(const char *s)
{
	size_t n = 0;

	for (; s != NULL && *s != '\0'; s++)
		n += *s == '\n' ? 2 : 1;
	return n;
}

/* Hands the datagram of the given start line, headers and body to the SBC from side. */
static void
send_msg(struct flow_call *fc, enum fake_side side, const char *start, const char *hdrs,
		const char *extra, const char *body)
{
	bool typed = extra != NULL && strstr(extra, "Content-Type:") != NULL;
	const char *ctype = body != NULL && !typed ? "Content-Type: application/sdp\n" : "";
#define MSG_FMT "%s\n%s%s%sContent-Length: %zu\n\n%s"

	if (fc->v6 && side == FAKE_CALLER)
		fake_recv6(fc->f, side, MSG_FMT, start, hdrs, extra != NULL ? extra : "", ctype,
				wire_len(body), body != NULL ? body : "");
	else
		fake_recv(fc->f, side, MSG_FMT, start, hdrs, extra != NULL ? extra : "", ctype,
				wire_len(body), body != NULL ? body : "");
#undef MSG_FMT
}

void
flow_invite(struct flow_call *fc, const char *branch, const char *extra, const char *sdp)
{
	char start[128], hdrs[1024];

	snprintf(start, sizeof(start), "INVITE sip:bob@%s SIP/2.0", sbc_a_host(fc));
	snprintf(hdrs, sizeof(hdrs),
			"Via: SIP/2.0/UDP %s:5060;branch=%s;rport\n"
			"Max-Forwards: 70\n"
			"To: Bob <sip:bob@%s>\n"
			"From: Alice <sip:alice@%s>;tag=" CALLER_TAG "\n"
			"Call-ID: " CALLER_CALL_ID "\n"
			"CSeq: %u INVITE\n"
			"Contact: <sip:alice@%s:5060>\n",
			caller_host(fc), branch != NULL ? branch : CALLER_BRANCH, sbc_a_host(fc),
			caller_host(fc), CALLER_CSEQ, caller_host(fc));
	send_msg(fc, FAKE_CALLER, start, hdrs, extra, sdp);
}

void
flow_cancel(struct flow_call *fc)
{
	char start[128], hdrs[1024];

	snprintf(start, sizeof(start), "CANCEL sip:bob@%s SIP/2.0", sbc_a_host(fc));
	snprintf(hdrs, sizeof(hdrs),
			"Via: SIP/2.0/UDP %s:5060;branch=" CALLER_BRANCH ";rport\n"
			"Max-Forwards: 70\n"
			"To: Bob <sip:bob@%s>\n"
			"From: Alice <sip:alice@%s>;tag=" CALLER_TAG "\n"
			"Call-ID: " CALLER_CALL_ID "\n"
			"CSeq: %u CANCEL\n",
			caller_host(fc), sbc_a_host(fc), caller_host(fc), CALLER_CSEQ);
	send_msg(fc, FAKE_CALLER, start, hdrs, NULL, NULL);
}

/* Requests that refresh the remote target carry a Contact. */
static bool
refreshes_target(const char *method)
{
	return strcmp(method, "INVITE") == 0 || strcmp(method, "UPDATE") == 0;
}

void
flow_caller_req(struct flow_call *fc, const char *method, unsigned int cseq, const char *branch,
		const char *extra, const char *body)
{
	char start[128], hdrs[1024], contact[128] = "";

	if (refreshes_target(method))
		snprintf(contact, sizeof(contact), "Contact: <sip:alice@%s:5060>\n",
				caller_host(fc));
	snprintf(start, sizeof(start), "%s sip:%s:5060 SIP/2.0", method, sbc_a_host(fc));
	snprintf(hdrs, sizeof(hdrs),
			"Via: SIP/2.0/UDP %s:5060;branch=%s;rport\n"
			"Max-Forwards: 70\n"
			"To: Bob <sip:bob@%s>;tag=%s\n"
			"From: Alice <sip:alice@%s>;tag=" CALLER_TAG "\n"
			"Call-ID: " CALLER_CALL_ID "\n"
			"CSeq: %u %s\n"
			"%s",
			caller_host(fc), branch, sbc_a_host(fc), fc->a_tag, caller_host(fc), cseq,
			method, contact);
	send_msg(fc, FAKE_CALLER, start, hdrs, extra, body);
}

void
flow_callee_req(struct flow_call *fc, const char *method, unsigned int cseq, const char *branch,
		const char *extra, const char *body)
{
	char start[128], hdrs[1024], from[256], to[256];
	struct fake_env *f = fc->f;

	assert_non_null(fc->inv_b);
	/* From and To of leg B's INVITE, the other way round; the callee's tag on its From. */
	fake_parse(f, fc->inv_b);
	snprintf(from, sizeof(from), "%s", fake_hdr(f, "To"));
	snprintf(to, sizeof(to), "%s", fake_hdr(f, "From"));
	snprintf(start, sizeof(start), "%s sip:198.51.100.1:5060 SIP/2.0", method);
	snprintf(hdrs, sizeof(hdrs),
			"Via: SIP/2.0/UDP 198.51.100.10:5060;branch=%s;rport\n"
			"Max-Forwards: 70\n"
			"From: %s;tag=" CALLEE_TAG "\n"
			"To: %s\n"
			"Call-ID: %s\n"
			"CSeq: %u %s\n"
			"%s",
			branch, from, to, fc->b_call_id, cseq, method,
			refreshes_target(method) ? "Contact: <sip:bob@198.51.100.10:5060>\n" : "");
	send_msg(fc, FAKE_CALLEE, start, hdrs, extra, body);
}

void
flow_answer(struct flow_call *fc, enum fake_side side, const char *req, unsigned int status,
		const char *reason, const char *extra, const char *body)
{
	char start[128], hdrs[2048], via[512], from[256], to[256], callid[128], cseq[64];
	char contact[128] = "";
	struct fake_env *f = fc->f;
	const char *tag = "";

	fake_parse(f, req);
	assert_int_equal(fake_status(f), 0); /* a request */
	assert_int_equal(flow_count_lines(req, "Via: "), 1);
	snprintf(via, sizeof(via), "%s", fake_hdr(f, "Via"));
	snprintf(from, sizeof(from), "%s", fake_hdr(f, "From"));
	snprintf(to, sizeof(to), "%s", fake_hdr(f, "To"));
	snprintf(callid, sizeof(callid), "%s", fake_hdr(f, "Call-ID"));
	snprintf(cseq, sizeof(cseq), "%s", fake_hdr(f, "CSeq"));
	if (status > 100 && fake_param(f, "To", "tag")[0] == '\0') {
		assert_int_equal(side, FAKE_CALLEE); /* the SBC opens dialogs on leg B only */
		tag = ";tag=" CALLEE_TAG;
	}
	if (status > 100 && status < 300 &&
			(f->msg->method == SIP_M_INVITE || f->msg->method == SIP_M_UPDATE))
		snprintf(contact, sizeof(contact), "Contact: <sip:%s@%s:5060>\n",
				side == FAKE_CALLEE ? "bob" : "alice",
				side == FAKE_CALLEE ? "198.51.100.10" : caller_host(fc));
	snprintf(start, sizeof(start), "SIP/2.0 %u %s", status, reason);
	snprintf(hdrs, sizeof(hdrs), "Via: %s\nFrom: %s\nTo: %s%s\nCall-ID: %s\nCSeq: %s\n%s", via,
			from, to, tag, callid, cseq, contact);
	send_msg(fc, side, start, hdrs, extra, body);
}

/* The CSeq method of f->msg is method. */
static bool
cseq_is(const struct fake_env *f, const char *method)
{
	const char *cs = fake_hdr(f, "CSeq"), *sp = strchr(cs, ' ');

	return sp != NULL && strcmp(sp + 1, method) == 0;
}

const char *
flow_take(struct flow_call *fc, enum fake_side side)
{
	struct fake_env *f = fc->f;
	const char *who = side == FAKE_CALLER ? "caller" : "callee";
	const char *m = fake_take(f, side);
	const char *dyn[3] = { NULL, NULL, NULL };

	if (m == NULL)
		fail_msg("the SBC sent nothing to the %s", who);
	flow_no_leak(m, side == FAKE_CALLER ? callee_secrets : caller_secrets);
	/* The SBC's identifiers on one leg never show on the other. */
	if (side == FAKE_CALLER) {
		dyn[0] = fc->b_call_id;
		dyn[1] = fc->b_tag;
	} else {
		dyn[0] = fc->a_tag;
	}
	flow_no_leak(m, dyn);
	if (getenv("FLOW_DUMP") != NULL)
		fprintf(stderr, "---- to the %s:\n%s", who, m);
	if (side == FAKE_CALLER && fake_status(f) > 100 && cseq_is(f, "INVITE") &&
			fc->a_tag[0] == '\0')
		snprintf(fc->a_tag, sizeof(fc->a_tag), "%s", fake_param(f, "To", "tag"));
	if (side == FAKE_CALLEE && fake_status(f) == 0 && f->msg->method == SIP_M_INVITE &&
			fc->inv_b == NULL) {
		snprintf(fc->b_call_id, sizeof(fc->b_call_id), "%s", fake_hdr(f, "Call-ID"));
		snprintf(fc->b_tag, sizeof(fc->b_tag), "%s", fake_param(f, "From", "tag"));
		fc->inv_b = flow_dup(m);
	}
	return m;
}

void
flow_nothing_sent(const struct fake_env *f)
{
	if (fake_pending(f, FAKE_CALLER) + fake_pending(f, FAKE_CALLEE) > 0)
		fail_msg("the SBC sent more than expected:\n%s", f->sent[0].data);
}

void
flow_all_idle(const struct fake_env *f)
{
	assert_int_equal(fake_calls(f), 0);
	assert_int_equal(fake_txns(f), 0);
	assert_int_equal(f->flows_set, 0);
	assert_int_equal(f->ports_in_use, 0);
	assert_int_equal(f->st->sig.calls_active, 0);
	assert_int_equal(f->st->sig.txns_active, 0);
}

void
flow_establish(struct flow_call *fc)
{
	struct fake_env *f = fc->f;
	const char *m;

	flow_invite(fc, NULL, NULL, fc->v6 ? CALLER_SDP6 : CALLER_SDP);
	flow_take(fc, FAKE_CALLER);
	assert_int_equal(fake_status(f), 100);
	m = flow_take(fc, FAKE_CALLEE);
	assert_string_equal(m, flow_leg_b_invite);
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
	assert_int_equal(f->flows_set, 4);
}

void
flow_drain(struct flow_call *fc)
{
	fake_advance(fc->f, 64 * 500 + 1000);
	flow_nothing_sent(fc->f);
	flow_all_idle(fc->f);
}

unsigned int
flow_count_lines(const char *text, const char *prefix)
{
	size_t n = strlen(prefix);
	unsigned int count = 0;
	const char *p = text;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, prefix, n) == 0)
			count++;
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return count;
}

const char flow_cancel_a_ok[] =
	"SIP/2.0 200 OK\r\n"
	"Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport=5060\r\n"
	"From: Alice <sip:alice@192.0.2.10>;tag=1928301774\r\n"
	"To: Bob <sip:bob@192.0.2.1>;tag=sbc00.B3XgbgIHDKg\r\n"
	"Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
	"CSeq: 314159 CANCEL\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

const char flow_invite_a_487[] =
	"SIP/2.0 487 Request Terminated\r\n"
	"Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport=5060\r\n"
	"From: Alice <sip:alice@192.0.2.10>;tag=1928301774\r\n"
	"To: Bob <sip:bob@192.0.2.1>;tag=sbc00.B3XgbgIHDKg\r\n"
	"Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
	"CSeq: 314159 INVITE\r\n"
	"Content-Length: 0\r\n"
	"\r\n";
