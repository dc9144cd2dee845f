/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * b2b_env.h - what the B2BUA asks of the world around it, and where the policy layers
 * plug into it.
 *
 * Environment (struct b2b_env_ops): besides what every signalling layer gets from
 * struct sig_env_ops (send, random, memory), the B2BUA needs relay ports and the flows
 * the dataplane forwards media by, the SBC's own addresses, the load of its lcore, and
 * a way to report offences to the firewall. The lcore glue (signalling/lcore) fills
 * the table with the real thing (port FIFOs per interface, flow rules published by RCU,
 * the interface table, the SIP ring's fill level, the firewall's report ring); a unit
 * test fills it with a fake that records every call. The B2BUA never sees DPDK.
 *
 * Hooks (struct b2b_hooks): named points where the next layers (authentication and
 * admission, rating, CDRs) plug in without editing the call path, after Kamailio's
 * tm callbacks and t_suspend/t_continue:
 *  - new_call: a new INVITE passed the SBC's own checks and has a server transaction
 *    (its retransmissions are absorbed, 100 Trying sent). The hook decides: go on
 *    (with limits), refuse (with a status), or wait: then the call is held in
 *    B2B_ADMITTING, the lcore goes on with other work, and whoever has the answer
 *    (a store reply arriving on the lcore's ring) calls b2b_call_resume() with the
 *    handle it was given. A CANCEL, or the admission deadline, ends a held call; a late
 *    answer for it finds a stale handle and is dropped.
 *  - answered: the call was answered (rating starts here).
 *  - ended: the call ends, for whatever reason (the CDR is written here).
 * Every hook runs on the call's signalling lcore; none may block it.
 */
#ifndef B2B_ENV_H
#define B2B_ENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sbc_fw.h"
#include "sbc_stats.h"
#include "sig_addr.h"
#include "sip_msg.h"

/*
 * What one relay port forwards: the rule the dataplane applies to every datagram
 * reaching port (interface, port), as the B2BUA describes it; the glue turns it into
 * the dataplane's own form (struct dp_flow_cfg) with the next hop and our source address.
 */
struct b2b_flow {
	uint8_t in_v6;          /* the expected source is IPv6 */
	uint8_t rtp;            /* RTP of an RTP profile: statistics kept */
	uint8_t scrub_rtcp;     /* plain RTCP (not SRTCP): SDES items that name hosts replaced */
	uint8_t video;          /* RTP clock of 90 kHz rather than 8 kHz */
	uint8_t has_dst;        /* 0 while the other side has no address (no answer, hold) */
	uint8_t out_v6;
	uint8_t out_ifidx;      /* interface the forwarded datagram leaves by */
	uint16_t peer_port;     /* expected source port */
	uint16_t src_port;      /* our relay port on the out interface */
	uint16_t dst_port;      /* the other side's port */
	uint32_t latch_epoch;   /* a latch made under another epoch no longer counts */
	uint32_t call;          /* the call's slot, for reports */
	uint64_t latch_until_ms; /* NAT latching allowed before this (the lcore's clock) */
	uint8_t peer_ip[16];    /* expected source address (from the SDP) */
	uint8_t dst_ip[16];     /* the other side's address */
};

/* The B2BUA's environment; its ops are called on the B2BUA's lcore only. */
struct b2b_env_ops {
	/* Returns the RTP port of a free relay pair on interface ifidx (RTCP: +1), or 0. */
	uint16_t (*port_alloc)(void *env, unsigned int ifidx);
	/*
	 * Gives a pair back (its flows withdrawn first); it becomes free again once no
	 * dataplane lcore can still see the flows it had.
	 */
	void (*port_free)(void *env, unsigned int ifidx, uint16_t port);
	/*
	 * Installs (or replaces) the rule of relay port (ifidx, port), or withdraws it
	 * (f NULL; why says why, for the counters). Returns 0, or -ENOMEM (the old rule
	 * stays withdrawn: nothing forwards on a rule that could not be made).
	 */
	int (*flow_set)(void *env, unsigned int ifidx, uint16_t port, const struct b2b_flow *f,
			enum sbc_call_end why);
	/* Returns when relay port (ifidx, port) last accepted a datagram (lcore clock, ms), or 0. */
	uint64_t (*flow_last_ms)(void *env, unsigned int ifidx, uint16_t port);
	/*
	 * Our address on interface ifidx to send to dst from (v6: 16 octets, else 4) into
	 * src. Returns false when the interface has no address of that family.
	 */
	bool (*local_addr)(void *env, unsigned int ifidx, int v6, const uint8_t *dst, uint8_t *src);
	/* Returns whether ip (v6: 16 octets, else 4) is one of the SBC's addresses. */
	bool (*is_ours)(void *env, int v6, const uint8_t *ip);
	/* Reports an offence of the source src to the firewall (the blocklist's policy). */
	void (*offence)(void *env, const struct sig_addr *src, enum sbc_fw_offence off);
	/* Returns whether the lcore is too loaded to take new calls (its backlog). */
	bool (*overloaded)(void *env);
	/*
	 * Writes to out (at most SDP_CNAME_MAX octets) the opaque CNAME the relay gives the
	 * RTCP of call's source named value, so that an SDP's a=ssrc cname agrees with the
	 * relayed RTCP; returns its length.
	 */
	size_t (*rtcp_cname)(void *env, uint32_t call, struct sip_str value, char *out);
	/*
	 * Posts a request to the store thread (accounts, balances, CDRs: issue 12 onwards);
	 * the answer comes back to the lcore, which resumes the call it concerns
	 * (b2b_call_resume). NULL while sbcd has no store: no layer calls it yet.
	 */
	int (*store_post)(void *env, const void *req, size_t len);
};

struct b2b;
struct b2b_call;

/* Names a call across a wait: its slot and the generation of that slot. */
struct b2b_handle {
	uint32_t idx;
	uint32_t gen;
};

/* What admission decided about a new call. */
enum b2b_verdict {
	B2B_GO = 0, /* go on: route, open leg B */
	B2B_REFUSE, /* answer the caller status/reason and end the call */
	B2B_WAIT,   /* held: b2b_call_resume() will say */
};

struct b2b_admission {
	uint8_t verdict;         /* enum b2b_verdict */
	uint16_t status;         /* B2B_REFUSE: 4xx-6xx */
	const char *reason;      /* B2B_REFUSE: reason phrase (static) */
	const char *extra;       /* B2B_REFUSE: header lines ending in CRLF, or NULL */
	uint32_t max_duration_s; /* B2B_GO: the call ends after this long once answered; 0: none */
};

struct b2b_hooks {
	/*
	 * A new call (see the file header). m is the INVITE, h the call's handle for a
	 * later b2b_call_resume; fills *a. NULL: every call goes on.
	 */
	void (*new_call)(void *arg, struct b2b *b, struct b2b_call *c, const struct sip_msg *m,
			struct b2b_handle h, struct b2b_admission *a);
	/* The call was answered. NULL: nothing to do. */
	void (*answered)(void *arg, struct b2b *b, struct b2b_call *c);
	/* The call ends (why), before its memory is reused. NULL: nothing to do. */
	void (*ended)(void *arg, struct b2b *b, const struct b2b_call *c, enum sbc_call_end why);
	void *arg;
};

#endif /* B2B_ENV_H */
