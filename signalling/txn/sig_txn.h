/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sig_txn.h - SIP transactions over UDP (RFC 3261 17, with the Accepted states of
 * RFC 6026) for one signalling lcore.
 *
 * Four machines: INVITE and non-INVITE, server (IST, NIST) and client (ICT, NICT).
 * A server transaction absorbs retransmitted requests and answers them with the last
 * response it sent; a client transaction retransmits its request (timers A, E), ACKs
 * non-2xx final responses itself and gives up after timer B or F. Only what the
 * transaction user (the B2BUA) must act on reaches it, through the callbacks of
 * struct sig_txn_user: the first of each response, 2xx retransmissions in Accepted,
 * timeouts, and the end of a transaction. New requests are the TU's from the start: it
 * asks for a server transaction when it takes one on.
 *
 * Identification:
 *  - server transactions by the top Via branch (RFC 3261 17.2.3) and the source, in a
 *    table keyed by SipHash under a key drawn at start (the branch is the peer's
 *    choice: an unkeyed hash would let it fill one bucket); ACK matches the INVITE
 *    transaction, CANCEL is its own and finds the INVITE;
 *  - client transactions by the branch the SBC made (sip_shard.h): it carries the
 *    transaction's slot, so a response finds its transaction by index and is checked
 *    against the whole branch, its CSeq and its source.
 *
 * Memory: transactions come from a fixed pool per lcore; what a retransmission sends is
 * kept as one block of the lcore's memory (sig_mem.h). Plain C, no DPDK.
 * Concurrency: none; everything here belongs to its signalling lcore (struct sig_core).
 */
#ifndef SIG_TXN_H
#define SIG_TXN_H

#include <stdbool.h>
#include <stdint.h>

#include "sig_addr.h"
#include "sig_mem.h"
#include "sig_timer.h"
#include "sip_hdr.h"
#include "sip_msg.h"

struct sig_core;
struct sig_in;

enum sig_txn_kind {
	SIG_IST = 0, /* INVITE server */
	SIG_NIST,    /* non-INVITE server */
	SIG_ICT,     /* INVITE client */
	SIG_NICT,    /* non-INVITE client */
};

enum sig_txn_state {
	SIG_TS_FREE = 0,
	SIG_TS_TRYING,     /* NIST, NICT; "Calling" for ICT */
	SIG_TS_PROCEEDING,
	SIG_TS_COMPLETED,
	SIG_TS_CONFIRMED,  /* IST: ACK received */
	SIG_TS_ACCEPTED,   /* IST, ICT: 2xx sent / received (RFC 6026) */
	SIG_TS_TERMINATED,
};

struct sig_txn {
	struct sig_timer t_retx;   /* A, E, G */
	struct sig_timer t_end;    /* B, D, F, H, I, J, K, L, M */
	struct sig_txn *hnext;     /* server: hash chain; free: free list */
	void *owner;               /* the TU's object (a call), or NULL */
	struct sig_txn *onext;     /* the owner's other transactions (the TU's list) */
	struct sig_txn *peer;      /* the transaction the TU pairs it with (other leg) */
	struct sig_txn *cancel;    /* ICT: the CANCEL sent for it; that CANCEL: the ICT */
	struct sig_buf branch;     /* server: the request's top branch; client: ours */
	struct sig_buf msg;        /* what a retransmission sends */
	struct sig_buf head;       /* server: Via ... CSeq lines of every response */
	uint32_t head_to;          /* offset in head where the To value ends (tag goes there) */
	uint32_t idx;              /* slot in the pool */
	uint32_t hash;
	uint32_t cseq;             /* CSeq number of the request */
	uint32_t interval;         /* current retransmission interval, ms */
	uint16_t status;           /* last response sent (server) or received (client) */
	uint8_t kind;              /* enum sig_txn_kind */
	uint8_t state;             /* enum sig_txn_state */
	uint8_t method;            /* enum sip_method of the request */
	uint8_t side;              /* the TU's leg number */
	uint8_t to_has_tag;        /* server: the request's To had a tag */
	uint8_t flags;             /* SIG_TXN_F_* for the transaction user */
	struct sig_addr local;     /* our address on this leg */
	struct sig_addr remote;    /* the peer: responses (server) or requests (client) go there */
};

#define SIG_TXN_F_CANCEL_PENDING 0x01 /* ICT: CANCEL once a provisional response came */
#define SIG_TXN_F_ANSWERED 0x02       /* ICT: the TU has seen a 2xx (later ones are resends) */
#define SIG_TXN_F_INITIAL 0x04        /* ICT: the INVITE that opened leg B */

/* What the transaction layer tells its user (the B2BUA); arg is the user's. */
struct sig_txn_user {
	/* A response the client transaction ct lets through (first of each, 2xx resends). */
	void (*response)(void *arg, struct sig_txn *ct, const struct sip_msg *m);
	/* Timer B, C, F or H fired on t (no answer, ringing too long, no ACK). */
	void (*timeout)(void *arg, struct sig_txn *t);
	/* t ends now: the user drops every reference to it. */
	void (*gone)(void *arg, struct sig_txn *t);
};

/* The transaction table of one lcore (inside struct sig_core). */
struct sig_txns {
	struct sig_txn *pool;
	uint32_t n;
	uint32_t active;
	struct sig_txn *free;
	struct sig_txn **bucket; /* server transactions by keyed hash of the branch */
	uint32_t mask;
};

/*
 * Returns the server transaction a request belongs to (ACK: the INVITE's; CANCEL: its
 * own), or NULL. Owner lcore.
 */
struct sig_txn *sig_txn_server_find(struct sig_core *c, const struct sig_in *in,
		enum sip_method method);

/*
 * Acts on a request that matched server transaction st (a retransmission, an ACK for a
 * non-2xx final response, or an ACK the TU must see in Accepted). Returns true when the
 * transaction absorbed it, false when the TU must handle it (an ACK in Accepted). Owner
 * lcore.
 */
bool sig_txn_server_request(struct sig_core *c, struct sig_txn *st, const struct sig_in *in);

/*
 * Returns a server transaction for the request in (its top Via in in->top), with its
 * response head built; NULL when the pool is empty or the request lacks what responses
 * copy. Owner lcore.
 */
struct sig_txn *sig_txn_server_new(struct sig_core *c, const struct sig_in *in);

/*
 * Sends a response of len octets on st, keeps it for retransmissions, moves the machine.
 * Owner lcore.
 */
void sig_txn_respond(struct sig_core *c, struct sig_txn *st, unsigned int status,
		const char *data, uint32_t len);

/*
 * Returns a client transaction for method from local to remote, with a fresh branch of
 * ours (ct->branch), or NULL when the pool is empty. Owner lcore.
 */
struct sig_txn *sig_txn_client_new(struct sig_core *c, enum sip_method method,
		const struct sig_addr *local, const struct sig_addr *remote);

/* Sends the request on ct (and keeps it for retransmission). Owner lcore. */
void sig_txn_client_send(struct sig_core *c, struct sig_txn *ct, const char *data, uint32_t len);

/* Returns the client transaction the response in belongs to, or NULL (stray). Owner lcore. */
struct sig_txn *sig_txn_client_find(struct sig_core *c, const struct sig_in *in);

/* Runs the client machine on the response m; the TU sees what it must. Owner lcore. */
void sig_txn_client_response(struct sig_core *c, struct sig_txn *ct, const struct sip_msg *m);

/*
 * Ends a transaction now (no more retransmissions or timers); the TU hears of it. Owner
 * lcore.
 */
void sig_txn_terminate(struct sig_core *c, struct sig_txn *t);

/* Sends a CANCEL for ict (RFC 3261 9.1), built from the INVITE it keeps. Owner lcore. */
void sig_txn_send_cancel(struct sig_core *c, struct sig_txn *ict);

#endif /* SIG_TXN_H */
