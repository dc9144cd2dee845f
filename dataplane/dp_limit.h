/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_limit.h - per-source flood limits of one dataplane lcore: a token bucket (GCRA)
 * for SIP datagrams and one for new calls from every source (dp_src.h), and the count
 * of drops over them that, past a threshold, gets the source reported for blocking.
 *
 * The table is a dp_srctab (dp_src.h): set-associative, least recently seen entry
 * recycled, so a flood of spoofed sources cannot exhaust it while a real source sending
 * at a steady rate stays. Memory is the caller's (hugepages on the dataplane, the heap
 * in unit tests).
 *
 * Concurrency: each dataplane lcore has its own table and is its only reader and
 * writer. RSS keeps a source's datagrams (same addresses and ports) on one lcore; a
 * source spreading over several source ports may be counted on several lcores, each
 * with the full limit.
 */
#ifndef DP_LIMIT_H
#define DP_LIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dp_src.h"

struct dp_limit_ent {
	struct dp_srctab_ent h; /* h.spare: drops over a limit since over_since */
	uint64_t sip_tat;       /* GCRA theoretical arrival times */
	uint64_t call_tat;
	uint64_t over_since;
};

struct dp_limit {
	struct dp_srctab t;
};

/* The limits, in TSC units (see dp_fw_flood). */
struct dp_limit_params {
	uint64_t sip_t, sip_tau;
	uint64_t call_t, call_tau;
	uint64_t window;       /* drops over a limit are counted over this long */
	uint32_t block_after;  /* that many drops in a window get the source reported; 0: never */
};

/*
 * GCRA (the token bucket as a theoretical arrival time tat): returns whether a packet at
 * now conforms to an emission interval t and a tolerance tau; if so, *next is the tat
 * after it. Any thread.
 */
static inline bool
dp_gcra_conforms(uint64_t tat, uint64_t t, uint64_t tau, uint64_t now, uint64_t *next)
{
	uint64_t v = tat < now ? now : tat;

	if (v - now > tau)
		return false;
	*next = v + t;
	return true;
}

enum dp_limit_verdict {
	DP_LIMIT_OK = 0,
	DP_LIMIT_SIP,   /* over the SIP datagram rate */
	DP_LIMIT_CALL,  /* over the new call rate */
};

/* Returns the octets of memory a table for at least n sources needs. Any thread. */
static inline size_t
dp_limit_mem_size(unsigned int n)
{
	return dp_srctab_mem_size(n, sizeof(struct dp_limit_ent));
}

/*
 * Makes an empty table for at least n sources in mem (dp_limit_mem_size(n) octets,
 * zeroed). Main thread, before the lcore that will own t is launched.
 */
static inline void
dp_limit_init(struct dp_limit *t, void *mem, unsigned int n)
{
	dp_srctab_init(&t->t, mem, n, sizeof(struct dp_limit_ent));
}

/* h.spare: drops over a limit in the window (low bits), and whether it was reported. */
#define DP_LIMIT_REPORTED 0x80000000u

/*
 * A SIP datagram from source k at now (a new call when new_call). Returns DP_LIMIT_OK
 * or the limit it is over. When the source has reached params->block_after drops in
 * the current window and its report is not posted yet, *report receives its entry: the
 * caller posts the report and, when that worked, calls dp_limit_report_posted() (a
 * report that could not be posted is tried again at the next drop). *report is left
 * alone otherwise. The dataplane lcore that owns t.
 */
static inline enum dp_limit_verdict
dp_limit_sip(struct dp_limit *t, const struct dp_limit_params *lp, const struct dp_src_key *k,
		bool new_call, uint64_t now, struct dp_limit_ent **report)
{
	struct dp_limit_ent *e = dp_srctab_get(&t->t, k, now, true);
	enum dp_limit_verdict v = DP_LIMIT_OK;
	uint64_t sip, call;
	uint32_t n;

	/* Both buckets must conform before either takes a token. */
	if (!dp_gcra_conforms(e->sip_tat, lp->sip_t, lp->sip_tau, now, &sip))
		v = DP_LIMIT_SIP;
	else if (new_call && !dp_gcra_conforms(e->call_tat, lp->call_t, lp->call_tau, now, &call))
		v = DP_LIMIT_CALL;
	if (v == DP_LIMIT_OK) {
		e->sip_tat = sip;
		if (new_call)
			e->call_tat = call;
		return v;
	}
	/* A refused datagram takes no token: a source that slows down gets through again. */
	if (now - e->over_since > lp->window) {
		e->over_since = now;
		e->h.spare = 0;
	}
	n = e->h.spare & ~DP_LIMIT_REPORTED;
	if (n < ~DP_LIMIT_REPORTED)
		e->h.spare++;
	if (lp->block_after != 0 && n + 1 >= lp->block_after && !(e->h.spare & DP_LIMIT_REPORTED))
		*report = e;
	return v;
}

/*
 * Records that the report of e's source was posted: no other until its window restarts.
 * The dataplane lcore that owns e's table.
 */
static inline void
dp_limit_report_posted(struct dp_limit_ent *e)
{
	e->h.spare |= DP_LIMIT_REPORTED;
}

#endif /* DP_LIMIT_H */
