/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * b2b_fake.h - a fake environment for the B2BUA (b2b_env.h, sig_core.h), so that unit
 * tests drive whole call flows through the real transaction layer and B2BUA without
 * DPDK or the EAL.
 *
 * The fake plays the world around one signalling lcore: a caller on the access side
 * (192.0.2.10:5060, the SBC there 192.0.2.1:5060) and a callee on the core side
 * (198.51.100.10:5060, the SBC 198.51.100.1:5060), as in the lab. Tests hand datagrams
 * to the B2BUA as if the dataplane queued them (fake_recv), move the clock
 * (fake_advance), and take what the SBC sent, side by side, in order (fake_take). Its
 * random numbers come from a fixed-seed sequence, so every tag, branch and Call-ID the
 * SBC makes is the same on every run and messages can be compared as whole texts.
 * Relay ports are handed out in order; flows are remembered per port; offences,
 * withdrawals and the hooks' calls are counted.
 */
#ifndef B2B_FAKE_H
#define B2B_FAKE_H

#include <stdbool.h>
#include <stdint.h>

#include "b2b.h"
#include "sbc_config.h"
#include "sbc_stats.h"
#include "sip_msg.h"

enum fake_side {
	FAKE_CALLER = 0, /* access: 192.0.2.10 (and 2001:db8:a::10) */
	FAKE_CALLEE = 1, /* core: 198.51.100.10 */
};

#define FAKE_MAX_SENT 256
#define FAKE_PORTS 64 /* relay port pairs per interface the fake hands out */

/* A datagram the SBC sent. */
struct fake_sent {
	struct sig_addr from, to;
	char *data; /* NUL-terminated copy */
	uint32_t len;
};

/* What the fake knows of one relay port. */
struct fake_flow {
	bool set;             /* a flow is installed */
	struct b2b_flow f;
	uint64_t last_ms;     /* what flow_last_ms answers (tests set it) */
};

struct fake_env {
	struct b2b b2b;
	struct sbc_config cfg;
	struct sbc_lcore_stats *st;
	uint64_t rnd;
	uint64_t now_ms;
	/* what was sent, not yet taken */
	struct fake_sent sent[FAKE_MAX_SENT];
	unsigned int n_sent;
	/* relay ports: per interface, FAKE_PORTS pairs from 20000 */
	bool port_used[2][FAKE_PORTS];
	unsigned int ports_in_use;
	struct fake_flow flow[2][2 * FAKE_PORTS];
	unsigned int flows_set;      /* flows installed now */
	unsigned int withdrawn[SBC_END_MAX + 1];
	unsigned int offences[SBC_FW_OFF_MAX];
	bool overloaded;
	bool send_fails;             /* the next sends report a drop */
	/* the received message the test parses, and what fake_take returned */
	struct sip_msg *msg;
	struct fake_sent taken;
};

/*
 * Sets up f with the lab's configuration changed by jq-free JSON fragments: sip and
 * media objects given as text (NULL: defaults), and hooks (NULL: none). Fails the test
 * when it cannot.
 */
void fake_init(struct fake_env *f, const char *sip_json, const char *media_json,
		const struct b2b_hooks *hooks);
void fake_fini(struct fake_env *f);

/* Returns a fresh fake environment on the heap (the B2BUA is large). */
struct fake_env *fake_new(const char *sip_json, const char *media_json,
		const struct b2b_hooks *hooks);
void fake_free(struct fake_env *f);

/*
 * Hands the B2BUA a datagram from side's host (port 5060) to the SBC's address on that
 * side, printf-style. "\n" in the text stands for CRLF; Content-Length is not computed
 * (tests write it). Returns nothing: look at what was sent.
 */
void fake_recv(struct fake_env *f, enum fake_side side, const char *fmt, ...)
		__attribute__((format(printf, 3, 4)));

/* The same from IPv6 (the caller at 2001:db8:a::10, the SBC at 2001:db8:a::1). */
void fake_recv6(struct fake_env *f, enum fake_side side, const char *fmt, ...)
		__attribute__((format(printf, 3, 4)));

/* Moves the clock ms forward and runs the timers due. */
void fake_advance(struct fake_env *f, uint64_t ms);

/*
 * Takes the oldest datagram the SBC sent to side and parses it into f->msg. Returns its
 * text, or NULL when nothing was sent there (the test fails if it expected something).
 */
const char *fake_take(struct fake_env *f, enum fake_side side);

/* Parses text (which must outlive its use) into f->msg, for fake_hdr and friends. */
void fake_parse(struct fake_env *f, const char *text);

/* How many datagrams wait for side. */
unsigned int fake_pending(const struct fake_env *f, enum fake_side side);

/* Drops every datagram not taken yet. */
void fake_flush(struct fake_env *f);

/* The value of the first header name (any case) in f->msg, "" when absent (static copy). */
const char *fake_hdr(const struct fake_env *f, const char *name);

/* A header parameter (tag, branch) of the first header name in f->msg, "" when absent. */
const char *fake_param(const struct fake_env *f, const char *name, const char *param);

/* Status of f->msg (0 for a request), and its method or status line. */
int fake_status(const struct fake_env *f);
const char *fake_start(const struct fake_env *f);

/* Returns whether text contains s. */
bool fake_has(const char *text, const char *s);

/* Calls and transactions in progress, flows installed. */
unsigned int fake_calls(const struct fake_env *f);
unsigned int fake_txns(const struct fake_env *f);

#endif /* B2B_FAKE_H */
