/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * b2b.h - the back-to-back user agent of one signalling lcore: every call is two
 * dialogs, the caller's (leg A, the SBC as UAS) and the one the SBC opens towards the
 * route's next hop (leg B, the SBC as UAC). Nothing passes from one leg to the other
 * without being rebuilt. Files:
 *  - b2b.c: a received datagram through the message layer (parse, judge, the
 *    answers the SBC gives statelessly: 400, 501, 200 to OPTIONS...), then to the
 *    transactions and the calls;
 *  - b2b_invite.c: a new INVITE in stages: screen (the SBC's own checks) -> admit (the
 *    new_call hook, which may wait) -> route -> open leg A -> open leg B;
 *  - b2b_call.c: the call's life after that: answers, ACK, CANCEL, BYE, requests in
 *    the dialog (re-INVITE, UPDATE, PRACK, INFO, OPTIONS), session timers, the maximum
 *    duration and media inactivity, each ending the call with BYE and a Reason;
 *  - b2b_msg.c: topology hiding: the messages each leg sees (our Via, Contact, Call-ID
 *    and tags only; no Record-Route/Route/Path of the other side; From/To/PAI hosts
 *    replaced by ours; configured headers removed);
 *  - b2b_media.c: the SDP each leg sees (origin, addresses and ports of the relay, no
 *    ICE) and the relay's flows, described to the environment (b2b_env.h).
 *
 * Lookup without search: a call's B-leg Call-ID carries its slot (sip_shard.h), so a
 * request from the far side finds the call by index; the caller's requests find it by
 * keyed hash of (Call-ID, From tag). Transactions are in sig_txn.h.
 *
 * Everything comes in as an argument (the datagram, the clock) and goes out through the
 * environment (b2b_env.h, sig_core.h): no thread state, no DPDK. So the unit tests run
 * whole call flows with a fake environment.
 *
 * Memory: calls come from a fixed pool per lcore (sip.max_calls shared out); dialog
 * strings and kept messages from the lcore's block memory (sig_mem.h), which counts them.
 * Concurrency: a struct b2b and its calls belong to one signalling lcore for their
 * whole life (sharding by Call-ID); only it calls these functions (and the main thread
 * before launch and after the lcore returned).
 */
#ifndef B2B_H
#define B2B_H

#include <stdbool.h>
#include <stdint.h>

#include "b2b_env.h"
#include "sbc_config.h"
#include "sig_core.h"
#include "sip_msg.h"

enum b2b_side {
	B2B_A = 0, /* the caller's leg */
	B2B_B = 1, /* the leg the SBC opened */
};
#define B2B_OTHER(s) ((s) ^ 1)

enum b2b_state {
	B2B_FREE = 0,
	B2B_ADMITTING, /* waiting for the new_call hook's answer (b2b_env.h) */
	B2B_CALLING,   /* INVITE sent on leg B, no answer yet */
	B2B_EARLY,     /* a provisional answer came */
	B2B_ANSWERED,  /* 2xx relayed to the caller, waiting for its ACK */
	B2B_CONFIRMED, /* both dialogs confirmed */
};

/* How long admission may keep a new call waiting before it is refused 503. */
#define B2B_ADMIT_DEADLINE_MS 5000

/* The methods the SBC handles, for Allow headers. */
#define B2B_ALLOW "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, PRACK, INFO\r\n"

/* One dialog of the call, as the SBC sees it. */
struct b2b_leg {
	struct sig_addr local;      /* our address and port on this leg */
	struct sig_addr remote;     /* the peer's: our requests and responses go there */
	struct sig_buf call_id;
	struct sig_buf local_tag;
	struct sig_buf remote_tag;
	struct sig_buf local_uri;   /* our name-addr (From of our requests), no tag */
	struct sig_buf remote_uri;  /* the peer's name-addr (To of our requests), no tag */
	struct sig_buf target;      /* remote target: Request-URI of our requests */
	struct sig_buf route;       /* route set, as a Route header value, or empty */
	uint32_t local_cseq;        /* last CSeq number we sent */
	uint32_t local_cseq_invite; /* CSeq number of our last INVITE (PRACK's RAck) */
	uint32_t remote_cseq;       /* last CSeq number received */
	uint64_t o_sess_id;         /* SDP origin we present on this leg */
	uint32_t o_version;
	uint32_t peer_o_version;    /* hash of the last origin version the peer sent */
	bool has_peer_o;
};

/* A side's media address for one stream, from its SDP. */
struct b2b_peer {
	uint8_t known;    /* its SDP gave one */
	uint8_t v6;
	uint8_t hold;     /* unspecified address (0.0.0.0 / ::) or port 0: send nothing */
	uint8_t rtcp_mux;
	uint16_t port;    /* RTP */
	uint16_t rtcp_port;
	uint8_t ip[16];
	uint8_t rtcp_ip[16];
};

#define B2B_MAX_STREAMS 4

/* One media line (m=) of the session: a relay port pair on each leg's interface. */
struct b2b_stream {
	uint16_t relay[2];          /* RTP port on side s's interface (RTCP: +1); 0: none */
	uint8_t rtp;                /* RTP profile (statistics kept) */
	uint8_t video;              /* 90 kHz clock rather than 8 kHz */
	uint8_t srtp[2];            /* side s's latest SDP is SRTP (SAVP profile or a=crypto) */
	uint32_t epoch[2];          /* latch epoch of the flows receiving from side s */
	uint64_t latch_until_ms[2]; /* latching onto side s allowed before this; 0: not open */
	struct b2b_peer peer[2];
};

struct b2b_call {
	struct sig_timer t_2xx;     /* retransmits a 2xx until its ACK; admission deadline */
	struct sig_timer t_limit;   /* maximum duration */
	struct sig_timer t_session; /* session refresh expected before (RFC 4028) */
	struct sig_timer t_media;   /* media inactivity check */
	struct b2b_call *hnext;     /* hash chain by the caller's Call-ID and tag; free list */
	struct sig_txn *txns;       /* the call's transactions */
	struct sig_txn *inv_a;      /* the caller's INVITE transaction, until final */
	struct sig_txn *inv_b;      /* ours on leg B, until final */
	struct sig_buf ok;          /* the 2xx being retransmitted; the INVITE while admitting */
	struct sig_buf ack;         /* the ACK sent for the other leg's 2xx (resent when it is) */
	struct sig_buf offer_undo;  /* stream[] before an offer in the dialog, until answered */
	uint32_t idx;
	uint32_t hash;
	uint32_t ok_interval;
	uint32_t ok_cseq;           /* CSeq of the INVITE whose 2xx waits for ACK */
	uint32_t ack_cseq;          /* CSeq of the INVITE the kept ACK answers */
	uint32_t session_s;         /* session interval in force, 0: none */
	uint8_t state;              /* enum b2b_state */
	uint8_t n_streams;
	uint8_t ok_side;            /* leg of the 2xx being retransmitted */
	uint8_t ack_side;           /* leg of the kept ACK */
	uint8_t ack_pending;        /* leg B's 2xx waits for the caller's ACK */
	uint8_t reinvite;           /* an INVITE transaction is running in the dialog */
	uint8_t hashed;             /* in the hash table */
	uint8_t answered[2];        /* A: we sent the caller a 2xx; B: leg B sent us one */
	uint8_t offer_kept;         /* offer_undo holds the streams (maybe none) */
	uint32_t gen;               /* generation of the slot: a b2b_handle names one call */
	uint32_t max_duration_s;    /* from admission: ends the call this long after answer */
	uint64_t ok_until_ms;       /* no ACK by then: the call ends */
	uint64_t start_ms;
	uint64_t answer_ms;
	struct b2b_leg leg[2];
	struct b2b_stream stream[B2B_MAX_STREAMS];
};

struct b2b_calls {
	struct b2b_call *pool;
	uint32_t n;
	uint32_t active;
	struct b2b_call *free;
	struct b2b_call **bucket; /* by keyed hash of the caller's Call-ID and From tag */
	uint32_t mask;
};

struct sdp;

/* The B2BUA of one signalling lcore. */
struct b2b {
	struct sig_core core;          /* transactions, timers, memory, clock (sig_core.h) */
	const struct b2b_env_ops *ops; /* media, addresses, offences, load (b2b_env.h) */
	void *env;
	const struct sbc_config *cfg;  /* sip, media and routes (read-only) */
	struct b2b_hooks hooks;
	struct b2b_calls calls;
	bool strip_id[SIP_H_MAX];      /* known headers sip.strip_headers names */
	uint32_t epoch;                /* last latch epoch handed out (b2b_media.c) */
	struct sip_msg *msg;           /* the received message being handled */
	struct sip_msg *held;          /* a held INVITE read again (admission answered) */
	struct sdp *sdp;               /* an SDP being rewritten */
	char *sdp_out;                 /* ... and its new text */
};

/* What b2b_init needs. */
struct b2b_args {
	struct sig_core_args core;     /* tu and tu_arg are the B2BUA's own: left empty */
	const struct b2b_env_ops *ops;
	void *env;
	const struct sbc_config *cfg;
	uint32_t max_calls;
	const struct b2b_hooks *hooks; /* NULL: none */
};

/* A datagram for the B2BUA, from the lcore glue: the SIP payload and where it went. */
struct b2b_dgram {
	const char *data;
	uint32_t len;
	struct sig_addr src;    /* the peer */
	struct sig_addr dst;    /* our address and port it reached */
	struct sip_str call_id; /* the Call-ID value the dataplane found (empty: none) */
	struct sip_str branch;  /* the top Via's branch the dataplane found (empty: none) */
};

/*
 * Prepares b. Returns 0, -ENOMEM or -EIO (no randomness); on failure b holds nothing to
 * free. Main thread, before the lcore runs.
 */
int b2b_init(struct b2b *b, const struct b2b_args *a);

/*
 * Frees what b2b_init made; calls still in progress are dropped without a word. Main
 * thread, after the lcore returned.
 */
void b2b_fini(struct b2b *b);

/*
 * Handles one received datagram: the message layer's verdict, then transactions and
 * calls. Owner lcore; the datagram need not outlive the call.
 */
void b2b_datagram(struct b2b *b, const struct b2b_dgram *d);

/* Sets the clock to now_ms and runs the timers due; returns how many fired. Owner lcore. */
unsigned int b2b_tick(struct b2b *b, uint64_t now_ms);

/*
 * Ends every call (shutdown): final answers, BYE with a Reason to both legs, flows
 * withdrawn. Owner lcore, as its last turn.
 */
void b2b_end_all(struct b2b *b);

/*
 * Admission's answer for a call held by the new_call hook: goes on, or ends the call
 * refused. A handle whose call ended meanwhile is ignored. Returns 0, or -ENOENT for
 * such a stale handle. Owner lcore.
 */
int b2b_call_resume(struct b2b *b, struct b2b_handle h, const struct b2b_admission *a);

/* Ends the call with BYE seconds from now (maximum duration). Owner lcore. */
void b2b_call_limit(struct b2b *b, struct b2b_call *c, uint32_t seconds);

/* Returns the call in slot idx when it is in progress, else NULL. Owner lcore. */
struct b2b_call *b2b_call_at(struct b2b *b, uint32_t idx);

#endif /* B2B_H */
