/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_txn.c - the transaction layer alone (sig_txn.c, RFC 3261 17 with RFC 6026's
 * Accepted state), driven by a trivial transaction user through sig_core with a small
 * fake environment of its own: what is sent is recorded, the clock moves by hand, the
 * random numbers are a fixed sequence.
 *
 * Server: retransmissions absorbed and answered with the last response (nothing in
 * Trying), timer G doubling up to T2, the ACK of a non-2xx ending in Confirmed and then
 * Terminated after T4, timer H reported once, the ACK of a 2xx left to the user.
 * Client: timer A doubling, timer E capped at T2 (and T2 once proceeding), timers B
 * and F reported once, the ACK of a non-2xx built by the layer (the INVITE's branch,
 * the response's To) and sent again for each resent final response, the CANCEL built
 * from the kept INVITE, responses that do not belong (another source, CSeq, branch)
 * ignored.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sig_core.h"
#include "test_prng.h"

#define T1 500u
#define T2 4000u
#define T4 5000u
#define MAX_SENT 64

/* The fake world: one peer (198.51.100.10:5060) and our address (198.51.100.1:5060). */
struct txn_env {
	struct sig_core core;
	struct sbc_lcore_stats st;
	uint64_t rnd;
	uint64_t now_ms;
	char *sent[MAX_SENT];      /* what was sent, oldest first */
	struct sig_addr sent_to[MAX_SENT];
	unsigned int n_sent;
	struct sip_msg msg;        /* a received message */
	/* what the transaction user was told */
	unsigned int responses;
	unsigned int last_status;
	unsigned int timeouts;
	unsigned int gone;
	const struct sig_txn *timed_out;
};

static const struct sig_addr us = { .ifidx = 1, .port = 5060, .ip = { 198, 51, 100, 1 } };
static const struct sig_addr peer = { .ifidx = 1, .port = 5060, .ip = { 198, 51, 100, 10 } };
static const struct sig_addr stranger = { .ifidx = 1, .port = 5060, .ip = { 203, 0, 113, 66 } };

/* ---- the environment and the transaction user ----------------------------------------- */

static int
env_send(void *env, const struct sig_addr *from, const struct sig_addr *to, const char *data,
		uint32_t len)
{
	struct txn_env *e = env;

	assert_true(sig_addr_eq(from, &us));
	assert_true(e->n_sent < MAX_SENT);
	e->sent[e->n_sent] = strndup(data, len);
	assert_non_null(e->sent[e->n_sent]);
	e->sent_to[e->n_sent++] = *to;
	return 0;
}

static uint64_t
env_random(void *env)
{
	return test_prng_next(&((struct txn_env *)env)->rnd);
}

static void *
env_zalloc(void *env, const char *what, size_t size)
{
	(void)env;
	(void)what;
	return calloc(1, size);
}

static void
env_free(void *env, void *p)
{
	(void)env;
	free(p);
}

static const struct sig_env_ops ops = {
	.send = env_send,
	.random = env_random,
	.zalloc = env_zalloc,
	.free = env_free,
};

static void
tu_response(void *arg, struct sig_txn *ct, const struct sip_msg *m)
{
	struct txn_env *e = arg;

	(void)ct;
	e->responses++;
	e->last_status = m->status;
}

static void
tu_timeout(void *arg, struct sig_txn *t)
{
	struct txn_env *e = arg;

	e->timeouts++;
	e->timed_out = t;
}

static void
tu_gone(void *arg, struct sig_txn *t)
{
	struct txn_env *e = arg;

	assert_int_equal(t->state, SIG_TS_TERMINATED);
	e->gone++;
}

static const struct sig_txn_user tu = {
	.response = tu_response,
	.timeout = tu_timeout,
	.gone = tu_gone,
};

static int
setup(void **state)
{
	struct txn_env *e = calloc(1, sizeof(*e));
	struct sig_core_args a = {
		.ops = &ops,
		.shard = 0,
		.t1_ms = T1,
		.t2_ms = T2,
		.t4_ms = T4,
		.max_txns = 64,
		.now_ms = 1000000,
		.tu = &tu,
	};

	assert_non_null(e);
	e->rnd = 0x5eed5eed5eed5eedull;
	e->now_ms = a.now_ms;
	a.env = e;
	a.st = &e->st;
	a.tu_arg = e;
	assert_int_equal(sig_core_init(&e->core, &a), 0);
	*state = e;
	return 0;
}

static void
flush(struct txn_env *e)
{
	unsigned int i;

	for (i = 0; i < e->n_sent; i++)
		free(e->sent[i]);
	e->n_sent = 0;
}

static int
teardown(void **state)
{
	struct txn_env *e = *state;

	flush(e);
	sig_core_fini(&e->core);
	free(e);
	return 0;
}

/* Moves the clock ms forward, a millisecond at a time. */
static void
advance(struct txn_env *e, uint64_t ms)
{
	uint64_t end = e->now_ms + ms;

	while (e->now_ms < end)
		sig_core_tick(&e->core, ++e->now_ms);
}

/* Takes the oldest datagram sent (to the peer); fails when there is none. Caller frees. */
static char *
take(struct txn_env *e)
{
	char *s;

	if (e->n_sent == 0)
		fail_msg("nothing was sent");
	assert_true(sig_addr_eq(&e->sent_to[0], &peer));
	s = e->sent[0];
	memmove(&e->sent[0], &e->sent[1], (e->n_sent - 1) * sizeof(e->sent[0]));
	memmove(&e->sent_to[0], &e->sent_to[1], (e->n_sent - 1) * sizeof(e->sent_to[0]));
	e->n_sent--;
	return s;
}

/* Takes the next datagram and checks it is text. */
static void
take_is(struct txn_env *e, const char *text)
{
	char *s = take(e);

	assert_string_equal(s, text);
	free(s);
}

static void
nothing_sent(const struct txn_env *e)
{
	if (e->n_sent > 0)
		fail_msg("sent more than expected:\n%s", e->sent[0]);
}

/* "\n" -> CRLF, into a buffer the caller frees. */
static char *
crlf(const char *text)
{
	char *out = malloc(2 * strlen(text) + 1), *p = out;

	assert_non_null(out);
	for (; *text != '\0'; text++) {
		if (*text == '\n')
			*p++ = '\r';
		*p++ = *text;
	}
	*p = '\0';
	return out;
}

/*
 * Parses text ("\n" line ends; kept in *wire, which the caller frees after use) from src
 * into e->msg and fills in.
 */
static void
receive(struct txn_env *e, const char *text, const struct sig_addr *src, struct sig_in *in,
		char **wire)
{
	*wire = crlf(text);
	memset(in, 0, sizeof(*in));
	assert_int_equal(sip_parse(&e->msg, *wire, strlen(*wire), SIP_FRAME_DATAGRAM, NULL), 0);
	in->msg = &e->msg;
	in->src = *src;
	in->dst = us;
	if (e->msg.kind == SIP_KIND_REQUEST)
		assert_int_equal(sip_via_top(&e->msg, &in->top), 0);
}

/* ---- server transactions ------------------------------------------------------------ */

#define UAC_INVITE                                                                               \
	"INVITE sip:bob@198.51.100.1 SIP/2.0\n"                                                  \
	"Via: SIP/2.0/UDP 198.51.100.10:5060;branch=z9hG4bKuac1;rport\n"                         \
	"Max-Forwards: 70\n"                                                                     \
	"From: <sip:alice@198.51.100.10>;tag=uac\n"                                              \
	"To: <sip:bob@198.51.100.1>\n"                                                           \
	"Call-ID: txn-server-1\n"                                                                \
	"CSeq: 7 INVITE\n"                                                                       \
	"Content-Length: 0\n\n"

/* The ACK for a non-2xx answer to UAC_INVITE: same branch, the answer's To tag. */
#define UAC_ACK                                                                                  \
	"ACK sip:bob@198.51.100.1 SIP/2.0\n"                                                     \
	"Via: SIP/2.0/UDP 198.51.100.10:5060;branch=z9hG4bKuac1;rport\n"                         \
	"Max-Forwards: 70\n"                                                                     \
	"From: <sip:alice@198.51.100.10>;tag=uac\n"                                              \
	"To: <sip:bob@198.51.100.1>;tag=uas\n"                                                   \
	"Call-ID: txn-server-1\n"                                                                \
	"CSeq: 7 ACK\n"                                                                          \
	"Content-Length: 0\n\n"

/* What the user answers with (the layer sends the text it is given). */
static const char trying[] = "SIP/2.0 100 Trying\r\n(the rest does not matter here)\r\n";
static const char busy[] = "SIP/2.0 486 Busy Here\r\n(the rest does not matter here)\r\n";
static const char ok[] = "SIP/2.0 200 OK\r\n(the rest does not matter here)\r\n";

/*
 * A request from the peer: the server transaction it belongs to handles it (returns
 * what sig_txn_server_request says: true when absorbed), or, when it belongs to none,
 * *st is NULL and the function returns false.
 */
static bool
server_gets(struct txn_env *e, const char *text, struct sig_txn **st)
{
	struct sig_in in;
	char *wire;
	bool absorbed = false;

	receive(e, text, &peer, &in, &wire);
	*st = sig_txn_server_find(&e->core, &in, (enum sip_method)e->msg.method);
	if (*st != NULL)
		absorbed = sig_txn_server_request(&e->core, *st, &in);
	free(wire);
	return absorbed;
}

/* A new INVITE server transaction for UAC_INVITE. */
static struct sig_txn *
new_ist(struct txn_env *e)
{
	struct sig_txn *st;
	struct sig_in in;
	char *wire;

	receive(e, UAC_INVITE, &peer, &in, &wire);
	assert_null(sig_txn_server_find(&e->core, &in, SIP_M_INVITE));
	st = sig_txn_server_new(&e->core, &in);
	assert_non_null(st);
	free(wire);
	assert_int_equal(st->kind, SIG_IST);
	assert_int_equal(st->state, SIG_TS_PROCEEDING);
	assert_int_equal(st->cseq, 7);
	return st;
}

/*
 * INVITE server, non-2xx: each retransmitted INVITE gets the last response again; the
 * 486 goes again on timer G (T1 doubling up to T2); the ACK stops it (Confirmed,
 * absorbed, and so is the ACK again), and T4 later the transaction is gone, without a
 * timeout.
 */
static void
test_ist_non2xx(void **state)
{
	static const uint64_t g[] = { 500, 1500, 3500, 7500, 11500 };
	struct txn_env *e = *state;
	struct sig_txn *st = new_ist(e), *found;
	uint64_t now = 0;
	unsigned int i;

	sig_txn_respond(&e->core, st, 100, trying, sizeof(trying) - 1);
	take_is(e, trying);
	assert_true(server_gets(e, UAC_INVITE, &found));
	assert_ptr_equal(found, st);
	take_is(e, trying);
	assert_int_equal(e->st.sig.retransmissions_rx, 1);

	sig_txn_respond(&e->core, st, 486, busy, sizeof(busy) - 1);
	take_is(e, busy);
	assert_int_equal(st->state, SIG_TS_COMPLETED);
	/* A response after the final one is not sent. */
	sig_txn_respond(&e->core, st, 500, ok, sizeof(ok) - 1);
	nothing_sent(e);
	for (i = 0; i < SIG_DIM(g); i++) {
		advance(e, g[i] - 1 - now);
		nothing_sent(e);
		advance(e, 1);
		now = g[i];
		take_is(e, busy);
	}
	assert_true(server_gets(e, UAC_INVITE, &found));
	take_is(e, busy);
	assert_true(server_gets(e, UAC_ACK, &found));
	assert_ptr_equal(found, st);
	assert_int_equal(st->state, SIG_TS_CONFIRMED);
	assert_true(server_gets(e, UAC_ACK, &found));
	advance(e, T4 - 1);
	nothing_sent(e);
	assert_int_equal(e->core.txns.active, 1);
	assert_int_equal(e->gone, 0);
	advance(e, 1);
	assert_int_equal(e->core.txns.active, 0);
	assert_int_equal(e->gone, 1);
	assert_int_equal(e->timeouts, 0);
	/* The ACK once more: no transaction knows it now. */
	assert_false(server_gets(e, UAC_ACK, &found));
	assert_null(found);
	nothing_sent(e);
}

/* INVITE server, no ACK for the 486: timer H at 64*T1 reports it once, then it is gone. */
static void
test_ist_timer_h(void **state)
{
	struct txn_env *e = *state;
	struct sig_txn *st = new_ist(e);

	sig_txn_respond(&e->core, st, 486, busy, sizeof(busy) - 1);
	flush(e);
	advance(e, 64 * T1 - 1);
	assert_int_equal(e->timeouts, 0);
	flush(e);
	advance(e, 1);
	assert_int_equal(e->timeouts, 1);
	assert_ptr_equal(e->timed_out, st);
	assert_int_equal(e->gone, 1);
	assert_int_equal(e->core.txns.active, 0);
	advance(e, 64 * T1);
	nothing_sent(e);
	assert_int_equal(e->timeouts, 1);
	assert_int_equal(e->st.sig.txn_timeouts, 1);
}

/*
 * INVITE server, 2xx (RFC 6026): Accepted; retransmitted INVITEs are absorbed without
 * an answer (the user resends its 2xx), the ACK is the user's; gone after 64*T1.
 */
static void
test_ist_2xx(void **state)
{
	struct txn_env *e = *state;
	struct sig_txn *st = new_ist(e), *found;

	sig_txn_respond(&e->core, st, 200, ok, sizeof(ok) - 1);
	take_is(e, ok);
	assert_int_equal(st->state, SIG_TS_ACCEPTED);
	assert_true(server_gets(e, UAC_INVITE, &found));
	nothing_sent(e);
	assert_false(server_gets(e, UAC_ACK, &found));
	assert_ptr_equal(found, st);
	advance(e, 64 * T1 - 1);
	nothing_sent(e);
	assert_int_equal(e->gone, 0);
	advance(e, 1);
	assert_int_equal(e->gone, 1);
	assert_int_equal(e->timeouts, 0);
}

/*
 * Non-INVITE server: a retransmission in Trying is absorbed silently, in Completed it
 * gets the final response again; gone after 64*T1 (timer J).
 */
static void
test_nist(void **state)
{
	static const char bye[] = "BYE sip:bob@198.51.100.1 SIP/2.0\n"
				  "Via: SIP/2.0/UDP 198.51.100.10:5060;branch=z9hG4bKbye1\n"
				  "Max-Forwards: 70\n"
				  "From: <sip:alice@198.51.100.10>;tag=uac\n"
				  "To: <sip:bob@198.51.100.1>;tag=uas\n"
				  "Call-ID: txn-server-1\n"
				  "CSeq: 8 BYE\n"
				  "Content-Length: 0\n\n";
	struct txn_env *e = *state;
	struct sig_txn *st, *found;
	struct sig_in in;
	char *wire;

	receive(e, bye, &peer, &in, &wire);
	st = sig_txn_server_new(&e->core, &in);
	free(wire);
	assert_non_null(st);
	assert_int_equal(st->kind, SIG_NIST);
	assert_true(server_gets(e, bye, &found));
	assert_ptr_equal(found, st);
	nothing_sent(e);
	sig_txn_respond(&e->core, st, 200, ok, sizeof(ok) - 1);
	take_is(e, ok);
	assert_true(server_gets(e, bye, &found));
	take_is(e, ok);
	advance(e, 64 * T1 - 1);
	nothing_sent(e);
	assert_int_equal(e->gone, 0);
	advance(e, 1);
	assert_int_equal(e->gone, 1);
	assert_int_equal(e->timeouts, 0);
}

/* ---- client transactions ------------------------------------------------------------ */

/* The INVITE (or another request) a client transaction sends, with its branch. */
static char *
request_text(const char *method, const struct sig_txn *ct)
{
	char text[1024];

	snprintf(text, sizeof(text),
			"%s sip:bob@198.51.100.10:5060 SIP/2.0\n"
			"Via: SIP/2.0/UDP 198.51.100.1:5060;branch=%.*s;rport\n"
			"Route: <sip:edge.example.com;lr>\n"
			"Max-Forwards: 70\n"
			"From: <sip:alice@198.51.100.1>;tag=uac\n"
			"To: <sip:bob@198.51.100.10>\n"
			"Call-ID: txn-client-1\n"
			"CSeq: %u %s\n"
			"Contact: <sip:198.51.100.1:5060>\n"
			"Content-Length: 0\n\n",
			method, (int)ct->branch.len, ct->branch.s, ct->cseq, method);
	return crlf(text);
}

/* A client transaction for method, its request sent (CSeq 1). Frees nothing. */
static struct sig_txn *
client_sends(struct txn_env *e, enum sip_method method, char **req)
{
	struct sig_txn *ct = sig_txn_client_new(&e->core, method, &us, &peer);

	assert_non_null(ct);
	assert_true(ct->branch.len > 7 && memcmp(ct->branch.s, "z9hG4bK", 7) == 0);
	ct->cseq = 1;
	*req = request_text(sip_method_name(method), ct);
	sig_txn_client_send(&e->core, ct, *req, (uint32_t)strlen(*req));
	take_is(e, *req);
	return ct;
}

/*
 * A response from src to the request of ct: status, the branch (NULL: ct's), the CSeq
 * number and method, a To tag. Returns whether a client transaction took it.
 */
static bool
respond_from(struct txn_env *e, const struct sig_txn *ct, const struct sig_addr *src,
		unsigned int status, const char *branch, unsigned int cseq, const char *method)
{
	char text[1024], br[64];
	struct sig_txn *found;
	struct sig_in in;
	char *wire;

	snprintf(br, sizeof(br), "%.*s", (int)ct->branch.len, ct->branch.s);
	snprintf(text, sizeof(text),
			"SIP/2.0 %u Whatever\n"
			"Via: SIP/2.0/UDP 198.51.100.1:5060;branch=%s;rport=5060\n"
			"From: <sip:alice@198.51.100.1>;tag=uac\n"
			"To: <sip:bob@198.51.100.10>%s\n"
			"Call-ID: txn-client-1\n"
			"CSeq: %u %s\n"
			"Content-Length: 0\n\n",
			status, branch != NULL ? branch : br, status > 100 ? ";tag=uas" : "", cseq,
			method);
	receive(e, text, src, &in, &wire);
	found = sig_txn_client_find(&e->core, &in);
	if (found != NULL)
		sig_txn_client_response(&e->core, found, &e->msg);
	free(wire);
	return found != NULL;
}

/* The usual case: from the peer, the transaction's own branch and CSeq. */
static bool
respond(struct txn_env *e, const struct sig_txn *ct, unsigned int status)
{
	return respond_from(e, ct, &peer, status, NULL, ct->cseq,
			ct->method == SIP_M_CANCEL ? "CANCEL" : sip_method_name(ct->method));
}

/* The request again at each instant of at[] (ms after it was sent), and not before. */
static void
resent_at(struct txn_env *e, const char *req, const uint64_t *at, unsigned int n)
{
	uint64_t now = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		advance(e, at[i] - 1 - now);
		nothing_sent(e);
		advance(e, 1);
		now = at[i];
		take_is(e, req);
		nothing_sent(e);
	}
}

/*
 * INVITE client, no answer: timer A doubles without a cap (0.5, 1.5, 3.5, 7.5, 15.5,
 * 31.5 s); timer B at 64*T1 reports the timeout once and ends the transaction.
 */
static void
test_ict_timers_a_b(void **state)
{
	static const uint64_t a[] = { 500, 1500, 3500, 7500, 15500, 31500 };
	struct txn_env *e = *state;
	char *req;
	struct sig_txn *ct = client_sends(e, SIP_M_INVITE, &req);

	resent_at(e, req, a, SIG_DIM(a));
	assert_int_equal(e->timeouts, 0);
	advance(e, 64 * T1 - 31500);
	assert_int_equal(e->timeouts, 1);
	assert_ptr_equal(e->timed_out, ct);
	assert_int_equal(e->gone, 1);
	assert_int_equal(e->core.txns.active, 0);
	advance(e, 64 * T1);
	nothing_sent(e);
	assert_int_equal(e->timeouts, 1);
	assert_int_equal(e->st.sig.retransmissions, SIG_DIM(a));
	free(req);
}

/*
 * Non-INVITE client, no answer: timer E doubles up to T2 (0.5, 1.5, 3.5, 7.5, then every
 * 4 s up to 31.5 s); timer F at 64*T1 reports the timeout once.
 */
static void
test_nict_timers_e_f(void **state)
{
	static const uint64_t at[] = { 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500,
		31500 };
	struct txn_env *e = *state;
	char *req;
	struct sig_txn *ct = client_sends(e, SIP_M_OPTIONS, &req);

	resent_at(e, req, at, SIG_DIM(at));
	assert_int_equal(e->timeouts, 0);
	advance(e, 64 * T1 - 31500 - 1);
	assert_int_equal(e->timeouts, 0);
	advance(e, 1);
	assert_int_equal(e->timeouts, 1);
	assert_ptr_equal(e->timed_out, ct);
	assert_int_equal(e->gone, 1);
	advance(e, 64 * T1);
	nothing_sent(e);
	assert_int_equal(e->timeouts, 1);
	free(req);
}

/*
 * Non-INVITE client, a provisional answer 0.6 s after the request: timer E, already
 * due at 1.5 s, fires then and from there every T2 (RFC 3261 17.1.2.2); the user does
 * not hear the provisional answer; timer F still ends it at 64*T1.
 */
static void
test_nict_proceeding(void **state)
{
	static const uint64_t at[] = { 900, 4900, 8900, 12900, 16900, 20900, 24900, 28900 };
	struct txn_env *e = *state;
	char *req;
	struct sig_txn *ct = client_sends(e, SIP_M_OPTIONS, &req);

	advance(e, 500);
	take_is(e, req);
	advance(e, 100);
	assert_true(respond(e, ct, 100));
	assert_int_equal(ct->state, SIG_TS_PROCEEDING);
	assert_int_equal(e->responses, 0);
	resent_at(e, req, at, SIG_DIM(at)); /* 1.5, 5.5, 9.5 ... 29.5 s */
	advance(e, 64 * T1 - 29500 - 1);
	nothing_sent(e);
	assert_int_equal(e->timeouts, 0);
	advance(e, 1);
	assert_int_equal(e->timeouts, 1);
	assert_int_equal(e->gone, 1);
	free(req);
}

/* A non-INVITE client's final answer: the user hears it once, Completed lasts T4. */
static void
test_nict_final(void **state)
{
	struct txn_env *e = *state;
	char *req;
	struct sig_txn *ct = client_sends(e, SIP_M_OPTIONS, &req);

	assert_true(respond(e, ct, 200));
	assert_int_equal(e->responses, 1);
	assert_int_equal(e->last_status, 200);
	assert_true(respond(e, ct, 200));
	assert_int_equal(e->responses, 1);
	advance(e, T4 - 1);
	nothing_sent(e);
	assert_int_equal(e->gone, 0);
	advance(e, 1);
	assert_int_equal(e->gone, 1);
	assert_int_equal(e->timeouts, 0);
	free(req);
}

/* The ACK the layer builds for a 486 to request_text("INVITE"): RFC 3261 17.1.1.3. */
static const char non2xx_ack_fmt[] = "ACK sip:bob@198.51.100.10:5060 SIP/2.0\r\n"
				     "Via: SIP/2.0/UDP 198.51.100.1:5060;branch=%s;rport\r\n"
				     "Route: <sip:edge.example.com;lr>\r\n"
				     "Max-Forwards: 70\r\n"
				     "From: <sip:alice@198.51.100.1>;tag=uac\r\n"
				     "To: <sip:bob@198.51.100.10>;tag=uas\r\n"
				     "Call-ID: txn-client-1\r\n"
				     "CSeq: 1 ACK\r\n"
				     "Content-Length: 0\r\n"
				     "\r\n";

/*
 * INVITE client, 180 then 486: the user hears each once; the layer ACKs the 486 (the
 * INVITE's Request-URI, branch, Route, From, Call-ID, CSeq number; the 486's To) and
 * ACKs again each resent 486 without telling the user; timer D ends it, no timeout.
 */
static void
test_ict_non2xx_ack(void **state)
{
	struct txn_env *e = *state;
	char *req, ack[1024], br[64];
	struct sig_txn *ct = client_sends(e, SIP_M_INVITE, &req);

	snprintf(br, sizeof(br), "%.*s", (int)ct->branch.len, ct->branch.s);
	snprintf(ack, sizeof(ack), non2xx_ack_fmt, br);
	assert_true(respond(e, ct, 180));
	assert_int_equal(e->responses, 1);
	assert_int_equal(ct->state, SIG_TS_PROCEEDING);
	/* Proceeding: no more retransmissions. */
	advance(e, 10000);
	nothing_sent(e);
	assert_true(respond(e, ct, 486));
	assert_int_equal(e->responses, 2);
	assert_int_equal(e->last_status, 486);
	take_is(e, ack);
	assert_true(respond(e, ct, 486));
	take_is(e, ack);
	assert_int_equal(e->responses, 2);
	advance(e, 32000 - 1);
	nothing_sent(e);
	assert_int_equal(e->gone, 0);
	advance(e, 1);
	assert_int_equal(e->gone, 1);
	assert_int_equal(e->timeouts, 0);
	free(req);
}

/*
 * INVITE client, 2xx (RFC 6026 Accepted): the user hears the first 2xx and each resent
 * one (it ACKs them); the layer sends nothing itself; gone after 64*T1 (timer M).
 */
static void
test_ict_2xx(void **state)
{
	struct txn_env *e = *state;
	char *req;
	struct sig_txn *ct = client_sends(e, SIP_M_INVITE, &req);

	assert_true(respond(e, ct, 200));
	assert_int_equal(ct->state, SIG_TS_ACCEPTED);
	assert_true(respond(e, ct, 200));
	assert_int_equal(e->responses, 2);
	nothing_sent(e);
	advance(e, 64 * T1 - 1);
	nothing_sent(e);
	assert_int_equal(e->gone, 0);
	advance(e, 1);
	assert_int_equal(e->gone, 1);
	assert_int_equal(e->timeouts, 0);
	free(req);
}

/*
 * CANCEL of a proceeding INVITE, built from the INVITE kept for retransmission (RFC
 * 3261 9.1: Request-URI, top Via with its branch, Route, From, To, Call-ID, CSeq number);
 * its 200 goes to the CANCEL's transaction, the 487 to the INVITE's (ACKed); both end.
 */
static void
test_ict_cancel(void **state)
{
	struct txn_env *e = *state;
	char *req, cancel[1024], br[64];
	struct sig_txn *ct = client_sends(e, SIP_M_INVITE, &req), *cn;

	snprintf(br, sizeof(br), "%.*s", (int)ct->branch.len, ct->branch.s);
	snprintf(cancel, sizeof(cancel),
			"CANCEL sip:bob@198.51.100.10:5060 SIP/2.0\r\n"
			"Via: SIP/2.0/UDP 198.51.100.1:5060;branch=%s;rport\r\n"
			"Route: <sip:edge.example.com;lr>\r\n"
			"Max-Forwards: 70\r\n"
			"From: <sip:alice@198.51.100.1>;tag=uac\r\n"
			"To: <sip:bob@198.51.100.10>\r\n"
			"Call-ID: txn-client-1\r\n"
			"CSeq: 1 CANCEL\r\n"
			"Content-Length: 0\r\n"
			"\r\n",
			br);
	assert_true(respond(e, ct, 180));
	sig_txn_send_cancel(&e->core, ct);
	take_is(e, cancel);
	cn = ct->cancel;
	assert_non_null(cn);
	assert_ptr_equal(cn->cancel, ct);
	assert_int_equal(cn->method, SIP_M_CANCEL);
	/* One CANCEL per INVITE. */
	sig_txn_send_cancel(&e->core, ct);
	nothing_sent(e);
	/* The CANCEL goes again on its own timer E. */
	advance(e, T1);
	take_is(e, cancel);
	assert_true(respond(e, cn, 200));
	assert_int_equal(cn->state, SIG_TS_COMPLETED);
	assert_int_equal(e->responses, 2); /* 180, the CANCEL's 200 */
	assert_true(respond(e, ct, 487));
	snprintf(cancel, sizeof(cancel), non2xx_ack_fmt, br);
	take_is(e, cancel);
	advance(e, 32000);
	assert_int_equal(e->gone, 2);
	assert_int_equal(e->core.txns.active, 0);
	assert_int_equal(e->timeouts, 0);
	nothing_sent(e);
	free(req);
}

/*
 * Responses that do not belong to the transaction are not given to it: from another
 * source (forged or astray), with another CSeq number or method, with a branch whose
 * slot is right but whose random part is not.
 */
static void
test_client_strangers(void **state)
{
	struct txn_env *e = *state;
	char *req, forged[64];
	struct sig_txn *ct = client_sends(e, SIP_M_INVITE, &req);

	assert_false(respond_from(e, ct, &stranger, 486, NULL, 1, "INVITE"));
	assert_false(respond_from(e, ct, &peer, 486, NULL, 2, "INVITE"));
	assert_false(respond_from(e, ct, &peer, 486, NULL, 1, "BYE"));
	/* The CANCEL's answer before any CANCEL: no such transaction. */
	assert_false(respond_from(e, ct, &peer, 200, NULL, 1, "CANCEL"));
	snprintf(forged, sizeof(forged), "%.*s", (int)ct->branch.len, ct->branch.s);
	forged[strlen(forged) - 1] ^= 1;
	assert_false(respond_from(e, ct, &peer, 486, forged, 1, "INVITE"));
	assert_false(respond_from(e, ct, &peer, 486, "z9hG4bKnot-ours", 1, "INVITE"));
	assert_int_equal(e->responses, 0);
	assert_int_equal(ct->state, SIG_TS_TRYING);
	nothing_sent(e);
	/* Still waiting: the INVITE goes again; the real answer is taken. */
	advance(e, T1);
	take_is(e, req);
	assert_true(respond(e, ct, 486));
	assert_int_equal(e->responses, 1);
	flush(e);
	free(req);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ist_non2xx, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ist_timer_h, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ist_2xx, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nist, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ict_timers_a_b, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nict_timers_e_f, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nict_proceeding, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nict_final, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ict_non2xx_ack, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ict_2xx, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ict_cancel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_client_strangers, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
