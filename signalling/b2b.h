/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * b2b.h - the back-to-back user agent: every call is two dialogs, the caller's (leg A,
 * the SBC as UAS) and the one the SBC opens towards the route's next hop (leg B, the
 * SBC as UAC). Nothing passes from one leg to the other without being rebuilt:
 *  - b2b_call.c: the call's life (INVITE, provisional and final answers, ACK, CANCEL,
 *    BYE, re-INVITE, UPDATE, PRACK, INFO, OPTIONS; session timers, the maximum
 *    duration and media inactivity, each ending the call with BYE and a Reason);
 *  - b2b_msg.c: topology hiding, i.e. the messages each leg sees: our Via, Contact,
 *    Call-ID and tags only, no Record-Route/Route/Path of the other side, From/To/PAI
 *    hosts replaced by ours, the configured headers removed;
 *  - b2b_media.c: the SDP each leg sees (origin, addresses and ports of the relay, no
 *    ICE) and the relay's flows in the dataplane (dp_flow.h).
 *
 * Lookup without search: a call's B-leg Call-ID carries its slot (sip_shard.h), so a
 * request from the far side finds the call by index; the caller's requests find it by
 * hash of (Call-ID, From tag). Transactions are in sig_txn.h.
 *
 * Memory: calls come from a fixed pool per signalling lcore (sip.max_calls shared out);
 * dialog strings and kept messages come from sl->mem (sig_mem.h), which counts them.
 * Concurrency: a call belongs to one signalling lcore for its whole life (sharding by
 * Call-ID); nothing here is shared, except the flow rules it publishes (dp_flow.h).
 */
#ifndef B2B_H
#define B2B_H

#include <stdbool.h>
#include <stdint.h>

#include "dp_flow.h"
#include "sig_io.h"
#include "sig_timer.h"
#include "sig_txn.h"
#include "sip_msg.h"

struct sig_lcore;

enum b2b_side {
	B2B_A = 0, /* the caller's leg */
	B2B_B = 1, /* the leg the SBC opened */
};
#define B2B_OTHER(s) ((s) ^ 1)

enum b2b_state {
	B2B_FREE = 0,
	B2B_CALLING,   /* INVITE sent on leg B, no answer yet */
	B2B_EARLY,     /* a provisional answer came */
	B2B_ANSWERED,  /* 2xx relayed to the caller, waiting for its ACK */
	B2B_CONFIRMED, /* both dialogs confirmed */
};


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
	uint16_t relay[2];       /* RTP port on side s's interface (RTCP: +1); 0: none */
	uint8_t rtp;             /* RTP profile (statistics kept) */
	uint8_t video;           /* 90 kHz clock rather than 8 kHz */
	uint8_t srtp[2];         /* side s's latest SDP: SAVP profile or a=crypto (SRTCP) */
	uint32_t epoch[2];       /* latch epoch of the flows receiving from side s */
	uint64_t latch_until[2]; /* TSC */
	struct b2b_peer peer[2];
};

struct b2b_call {
	struct sig_timer t_2xx;     /* retransmits a 2xx to an INVITE until its ACK */
	struct sig_timer t_limit;   /* maximum duration */
	struct sig_timer t_session; /* session refresh expected before (RFC 4028) */
	struct sig_timer t_media;   /* media inactivity check */
	struct b2b_call *hnext;     /* hash chain by the caller's Call-ID and tag; free list */
	struct sig_txn *txns;       /* the call's transactions */
	struct sig_txn *inv_a;      /* the caller's INVITE transaction, until final */
	struct sig_txn *inv_b;      /* ours on leg B, until final */
	struct sig_buf ok;          /* the 2xx being retransmitted */
	struct sig_buf ack;         /* the ACK sent for the other leg's 2xx (resent when it is) */
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
	struct b2b_call **bucket; /* by the caller's Call-ID and From tag */
	uint32_t mask;
};

/* Relay port pairs of one interface owned by one signalling lcore: a FIFO of free pairs. */
struct b2b_ports {
	uint16_t *ring;
	uint32_t cap;
	uint32_t head;
	uint32_t count;
};

int b2b_init(struct sig_lcore *sl, int socket);
void b2b_fini(struct sig_lcore *sl);

/* A request that passed the message layer (sl->msg from sl->pkt; top its top Via). */
void b2b_request(struct sig_lcore *sl, const struct sip_via *top);

/* A response that passed the message layer. */
void b2b_response(struct sig_lcore *sl);

/* Ends every call (shutdown): BYE with a Reason to both legs, flows withdrawn. */
void b2b_end_all(struct sig_lcore *sl);

/* Maximum duration hook (admission): ends the call with BYE after seconds from now. */
void b2b_call_limit(struct sig_lcore *sl, struct b2b_call *c, uint32_t seconds);

/* ---- transaction user: called by sig_txn.c -------------------------------------------- */
void b2b_on_response(struct sig_lcore *sl, struct sig_txn *ct, const struct sip_msg *m);
void b2b_on_timeout(struct sig_lcore *sl, struct sig_txn *t);
void b2b_txn_gone(struct sig_lcore *sl, struct sig_txn *t);

/* ---- b2b_msg.c: the messages each leg sees -------------------------------------------- */

/* What goes into a message built for a leg, besides the dialog's own headers. */
struct b2b_out {
	const struct sip_msg *src; /* the message from the other leg whose headers pass, or NULL */
	struct sip_str body;       /* the body (an SDP already rewritten), or empty */
	struct sip_str ctype;      /* its Content-Type value */
	const char *extra;         /* more header lines (CRLF-terminated), or NULL */
	uint32_t rack_cseq;        /* PRACK: the CSeq number the RAck refers to on this leg */
};

/* A request in the dialog of leg side (Request-URI, Via with branch, Route, From, To, ...). */
int b2b_build_request(struct sig_lcore *sl, struct b2b_call *c, enum b2b_side side,
		enum sip_method method, uint32_t cseq, struct sip_str branch,
		const struct b2b_out *out, char *buf, size_t cap);

/* A response on server transaction st of leg side. */
int b2b_build_response(struct sig_lcore *sl, struct b2b_call *c, enum b2b_side side,
		const struct sig_txn *st, unsigned int status, struct sip_str reason,
		const struct b2b_out *out, char *buf, size_t cap);

/* The Request-URI, From and To of leg B from the caller's INVITE (sl->msg). */
int b2b_leg_b_identity(struct sig_lcore *sl, struct b2b_call *c, const struct sip_msg *inv);

/* A name-addr value without its tag parameter (From/To of the caller's dialog). */
bool b2b_copy_nametag(struct sig_mem *mem, struct sig_buf *dst, struct sip_str value);

/* ---- b2b_media.c: SDP and relay flows ------------------------------------------------- */

int b2b_media_init(struct sig_lcore *sl, int socket);
void b2b_media_fini(struct sig_lcore *sl);

/*
 * Learns side's media from the SDP body of m and writes the SDP the other side must see
 * into buf. Returns its length, or -1 with *status (488 unreadable SDP, 503 no relay
 * port free).
 */
int b2b_media_sdp(struct sig_lcore *sl, struct b2b_call *c, enum b2b_side side,
		const struct sip_msg *m, char *buf, size_t cap, unsigned int *status);

/* Withdraws the call's flows (they stop forwarding now) and frees its ports. */
void b2b_media_release(struct sig_lcore *sl, struct b2b_call *c, enum sbc_call_end why);

/* TSC of the last media datagram any flow of the call accepted (0: none). */
uint64_t b2b_media_last(struct sig_lcore *sl, const struct b2b_call *c);

/* Frees what the dataplane no longer sees (a grace period passed). Each loop. */
void b2b_media_reclaim(struct sig_lcore *sl);

#endif /* B2B_H */
