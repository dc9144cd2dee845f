/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * b2b_priv.h - what the B2BUA's files share among themselves (b2b.h is what the rest
 * of sbcd sees). Owner lcore only, like everything in the B2BUA.
 */
#ifndef B2B_PRIV_H
#define B2B_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "b2b.h"
#include "sig_core.h"
#include "sip_build.h"
#include "sip_hdr.h"
#include "sip_msg.h"

struct sdp;

#define B2B_T1(b) ((b)->core.t1_ms)
#define B2B_T2(b) ((b)->core.t2_ms)
#define B2B_RETRY_AFTER "Retry-After: 5\r\n"

/* The call counters of this lcore. */
#define B2B_ST(b) (&(b)->core.st->sig)

/* Returns a slice of the C string s. Any thread. */
static inline struct sip_str
b2b_cstr(const char *s)
{
	return (struct sip_str){ s, (uint32_t)strlen(s) };
}

/* Returns a slice of the kept buffer buf. Any thread. */
static inline struct sip_str
b2b_bstr(const struct sig_buf *buf)
{
	return (struct sip_str){ buf->s, buf->len };
}

/* Returns whether the kept buffer buf holds exactly s. Any thread. */
static inline bool
b2b_buf_eq(const struct sig_buf *buf, struct sip_str s)
{
	return buf->len == s.len && memcmp(buf->s, s.s, s.len) == 0;
}

/* Counts event ev on our interface ifidx. Owner lcore (the counters' writer). */
static inline void
b2b_count(struct b2b *b, unsigned int ifidx, enum sbc_event ev)
{
	sbc_cnt_add(&b->core.st->port[ifidx].events[ev], 1);
}

/* ---- b2b.c ---------------------------------------------------------------------------- */

/*
 * Answers the request in statelessly, from the address it reached to its source (a
 * fresh To tag; extra: header lines ending in CRLF, or NULL). Owner lcore.
 */
void b2b_reply(struct b2b *b, const struct sig_in *in, unsigned int status, const char *reason,
		const char *extra);

/* The same with the To tag to_tag (empty: none added). Owner lcore. */
void b2b_reply_tag(struct b2b *b, const struct sig_in *in, unsigned int status,
		const char *reason, const char *extra, struct sip_str to_tag);

/* ---- b2b_call.c: calls, dialogs, and what the transactions hand over ------------------ */

/* Returns a free call, set up for a new INVITE (state B2B_ADMITTING), or NULL. Owner lcore. */
struct b2b_call *b2b_call_alloc(struct b2b *b);

/* Puts c in the caller's index by (Call-ID, From tag). Owner lcore. */
void b2b_call_hash(struct b2b *b, struct b2b_call *c, struct sip_str call_id, struct sip_str tag);

/* Returns the call of leg A by the caller's Call-ID and From tag, or NULL. Owner lcore. */
struct b2b_call *b2b_find_a(struct b2b *b, struct sip_str call_id, struct sip_str tag);

/* Makes t one of c's transactions, on leg side. Owner lcore. */
void b2b_attach(struct b2b_call *c, struct sig_txn *t, enum b2b_side side);

/* Writes a fresh tag of ours into buf. Returns false when out of memory. Owner lcore. */
bool b2b_new_tag(struct b2b *b, struct sig_buf *buf);

/* What goes into a message built for a leg, besides the dialog's own headers. */
struct b2b_out {
	const struct sip_msg *src; /* the message from the other leg whose headers pass, or NULL */
	struct sip_str body;       /* the body (an SDP already rewritten), or empty */
	struct sip_str ctype;      /* its Content-Type value */
	const char *extra;         /* more header lines (CRLF-terminated), or NULL */
	uint32_t rack_cseq;        /* PRACK: the CSeq number the RAck refers to on this leg */
};

/* Builds and sends a response on server transaction st (leg st->side of c). Owner lcore. */
void b2b_respond(struct b2b *b, struct b2b_call *c, struct sig_txn *st, unsigned int status,
		struct sip_str reason, const struct b2b_out *out);

/*
 * Builds and sends a request in leg side's dialog on a new client transaction; returns
 * it, or NULL when none is free (or the request could not be built). Owner lcore.
 */
struct sig_txn *b2b_request_out(struct b2b *b, struct b2b_call *c, enum b2b_side side,
		enum sip_method method, const struct b2b_out *out);

/*
 * The body of m (from leg side) for the other leg: SDP rewritten, any other typed body
 * as it is. Returns 0, or -1 with *status (488, 503). Owner lcore.
 */
int b2b_body_for_other(struct b2b *b, struct b2b_call *c, enum b2b_side side,
		const struct sip_msg *m, struct b2b_out *out, unsigned int *status);

/* Learns the remote target of leg from the first Contact of m. Owner lcore. */
void b2b_learn_target(struct b2b *b, struct b2b_leg *leg, const struct sip_msg *m);

/*
 * Learns the route set of leg from the Record-Route of m: as received (UAS), or reversed
 * (UAC). Owner lcore.
 */
void b2b_learn_routes(struct b2b *b, struct b2b_leg *leg, const struct sip_msg *m, bool reverse);

/*
 * Ends the call: the caller's pending INVITE gets a final answer, ours is cancelled,
 * every confirmed leg but the one that hung up (by_side, or -1) gets a BYE (with bye's
 * end-to-end headers, or the SBC's Reason), the flows are withdrawn, the ended hook
 * runs and the call is freed; its transactions finish on their own. Owner lcore.
 */
void b2b_call_end(struct b2b *b, struct b2b_call *c, enum sbc_call_end why, int by_side,
		const struct sip_msg *bye);

/* Handles a request that passed the message layer. Owner lcore. */
void b2b_request(struct b2b *b, const struct sig_in *in);

/* Handles a response that passed the message layer. Owner lcore. */
void b2b_response(struct b2b *b, const struct sig_in *in);

/* The transaction user's callbacks (sig_txn.h), run on the owner lcore. */
extern const struct sig_txn_user b2b_txn_user;

/* ---- b2b_invite.c: a new call --------------------------------------------------------- */

/*
 * Handles a new INVITE (no To tag) that passed the message layer and matched no
 * transaction. Owner lcore.
 */
void b2b_new_call(struct b2b *b, const struct sig_in *in);

/* ---- b2b_msg.c: the messages each leg sees -------------------------------------------- */


/* Writes "1.2.3.4:5060" or "[2001:db8::1]:5060" (an address of ours in a Via, a Contact). */
void b2b_out_hostport(struct sip_out *o, const struct sig_addr *a);
/*
 * Writes a request in the dialog of leg side (Request-URI, Via with branch, Route, From,
 * To, ...) into buf. Returns its length, or -1 when cap is too small. Owner lcore.
 */
int b2b_build_request(struct b2b *b, struct b2b_call *c, enum b2b_side side,
		enum sip_method method, uint32_t cseq, struct sip_str branch,
		const struct b2b_out *out, char *buf, size_t cap);

/*
 * Writes a response on server transaction st of leg side into buf. Returns its length,
 * or -1 when cap is too small. Owner lcore.
 */
int b2b_build_response(struct b2b *b, struct b2b_call *c, enum b2b_side side,
		const struct sig_txn *st, unsigned int status, struct sip_str reason,
		const struct b2b_out *out, char *buf, size_t cap);

/* The caller's INVITE with its From and To, parsed once for every stage that reads them. */
struct b2b_invite {
	const struct sip_msg *m;
	struct sip_addr from, to;
};

/*
 * Sets the Request-URI, From and To of leg B from the caller's INVITE. Returns 0 or -1.
 * Owner lcore.
 */
int b2b_leg_b_identity(struct b2b *b, struct b2b_call *c, const struct b2b_invite *inv);

/*
 * Copies a name-addr value without its tag parameter (From/To of the caller's dialog)
 * into dst. Returns false when it is malformed, too long or out of memory. Owner lcore.
 */
bool b2b_copy_nametag(struct sig_mem *mem, struct sig_buf *dst, struct sip_str value);

/* ---- b2b_media.c: SDP and relay flows ------------------------------------------------- */

/*
 * Learns side's media from the SDP body of m and writes the SDP the other side must see
 * into buf. Returns its length, or -1 with *status (488 unreadable SDP, 503 no relay
 * port free). Owner lcore.
 */
int b2b_media_sdp(struct b2b *b, struct b2b_call *c, enum b2b_side side,
		const struct sip_msg *m, char *buf, size_t cap, unsigned int *status);

/*
 * Withdraws the call's flows (they stop forwarding now) and gives its ports back. Owner
 * lcore.
 */
void b2b_media_release(struct b2b *b, struct b2b_call *c, enum sbc_call_end why);

/*
 * An offer in the dialog (re-INVITE, UPDATE) is about to change the streams: keeps them
 * as they are, for b2b_media_offer_end. Owner lcore.
 */
void b2b_media_offer_keep(struct b2b *b, struct b2b_call *c);

/*
 * The offer was answered (refused false), or refused, timed out, or not relayed
 * (refused true): then the streams, and their flows, are put back as they were before
 * it (RFC 3264 5: a refused offer changes nothing). No effect when none was kept. Owner
 * lcore.
 */
void b2b_media_offer_end(struct b2b *b, struct b2b_call *c, bool refused);

/* Returns when any flow of the call last accepted a datagram (ms), or 0. Owner lcore. */
uint64_t b2b_media_last(struct b2b *b, const struct b2b_call *c);

#endif /* B2B_PRIV_H */
