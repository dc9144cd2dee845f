/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_block.h - the dynamic blocklist and the offence reports that feed it.
 *
 * Blocklist: a hash of blocked sources (dp_src.h: an IPv4 address or an IPv6 /64), each
 * with the services it applies to (a bit per service: a source blocked for SIP offences
 * still reaches SSH if the rules allow it, so a spoofed SIP offence cannot lock an
 * operator out; an operator's block covers everything). Every packet for a firewall
 * service except media (whose relay ports only accept the source each call announced)
 * is looked up, a burst at a time, while the list is not empty; a hit on a block of its
 * service is dropped and counted against the entry. Expiry, reasons and the record of
 * every block and unblock are the control side's (mgmt_fw.c); the dataplane only sees
 * keys and scopes.
 *
 * Reports: a dataplane lcore that sees a flood or a scanner, and a signalling lcore
 * that sees malformed SIP (or, later, failed authentication), posts the source and the
 * offence to one ring; the control thread decides whether to block.
 *
 * Concurrency:
 *  - The hash is lock-free for readers (RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF) and has
 *    one writer at a time: whoever holds mgmt_fw.c's state lock (the firewall control
 *    thread, or the telemetry thread for an operator's command). A deleted key's slot
 *    is freed only after an RCU grace period on the dataplane's QSBR variable
 *    (dp_blocks_reclaim), so a reader never sees a slot reused under it, and the
 *    per-entry hit counter it adds to is never another source's.
 *  - scope[] is set after the key is added and reset to DP_BLOCK_ALL when its slot is
 *    freed: a reader that finds a key a moment before its scope is written blocks all
 *    services for that moment, never too few.
 *  - hits[] are added to by several lcores without atomics: a count may be a little
 *    low when two lcores hit one entry at the same instant, never wrong in memory.
 *  - count is written by the writer (relaxed) and read per burst to skip lookups while
 *    the list is empty.
 *  - The report ring is multi-producer (dataplane and signalling lcores), single
 *    consumer (the control thread); a full ring drops the report and the producer
 *    counts it.
 */
#ifndef DP_BLOCK_H
#define DP_BLOCK_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_hash.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "dp_src.h"
#include "sbc_contracts.h"
#include "sbc_fw.h"
#include "sbc_stats.h"

#define DP_BLOCK_ALL 0xff                       /* a block of every service */
#define DP_BLOCK_SVC(svc) ((uint8_t)(1u << (svc))) /* of one service */

/* Offences are posted to the control thread as struct sbc_fw_report (sbc_contracts.h). */

struct dp_blocks {
	struct rte_hash *h;
	uint32_t max;
	uint32_t count;
	uint64_t *hits;            /* [slot]: packets dropped */
	uint8_t *scope;            /* [slot]: services blocked (DP_BLOCK_*) */
	struct rte_ring *reports;
	uint32_t n_freed;          /* slots waiting for a grace period */
	int32_t *freed;
};

/*
 * Creates the table for max sources and the report ring. Returns 0 or -ENOMEM. Main
 * thread, before launch (from dp_init).
 */
int dp_blocks_init(struct dp_blocks *b, unsigned int max, int socket);

/* Frees the table and the ring. Main thread, after every reader and writer stopped. */
void dp_blocks_fini(struct dp_blocks *b);

/* ---- readers: dataplane lcores; reporters: dataplane and signalling lcores ------------- */

/* Returns how many sources are blocked (0: skip the lookups), perhaps stale. Any thread. */
static inline uint32_t
dp_blocks_count(const struct dp_blocks *b)
{
	return __atomic_load_n(&b->count, __ATOMIC_RELAXED);
}

/*
 * Looks up n keys (n <= RTE_HASH_LOOKUP_BULK_MAX) for packets of the services in svc
 * (DP_BLOCK_SVC bits, one per key; NULL: any block counts): pos[i] >= 0 when keys[i] is
 * blocked for its service. Counts the hits. Returns 0, or -1 when the lookup could not
 * be made (all not found). Dataplane lcores (RCU readers), lock-free.
 */
static inline int
dp_blocks_lookup(struct dp_blocks *b, const void **keys, const uint8_t *svc, uint32_t n,
		int32_t *pos)
{
	uint32_t i;

	if (rte_hash_lookup_bulk(b->h, keys, n, pos) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (pos[i] < 0)
			continue;
		if (svc != NULL && !(__atomic_load_n(&b->scope[pos[i]], __ATOMIC_RELAXED) & svc[i])) {
			pos[i] = -ENOENT;
			continue;
		}
		__atomic_store_n(&b->hits[pos[i]],
				__atomic_load_n(&b->hits[pos[i]], __ATOMIC_RELAXED) + 1,
				__ATOMIC_RELAXED);
	}
	return 0;
}

/*
 * Posts an offence of the source at addr; returns 0, or -1 when the ring is full (the
 * caller counts it). Dataplane and signalling lcores (multi-producer ring).
 */
static inline int
dp_blocks_report(struct dp_blocks *b, int v6, const uint8_t *addr, enum sbc_fw_offence off,
		unsigned int ifidx)
{
	struct sbc_fw_report r;

	r.offence = (uint8_t)off;
	r.ifidx = (uint8_t)ifidx;
	r.v6 = (uint8_t)(v6 != 0);
	r.pad = 0;
	memset(r.addr, 0, sizeof(r.addr));
	memcpy(r.addr, addr, v6 ? 16 : 4);
	return rte_ring_mp_enqueue_elem(b->reports, &r, sizeof(r)) == 0 ? 0 : -1;
}

/*
 * dp_blocks_report(), counted on the port where the offence was seen (ps): event
 * fw_reported, or fw_report_lost when the ring is full. Returns 0 or -1 like it.
 * Dataplane and signalling lcores, each on its own counters.
 */
static inline int
dp_blocks_report_counted(struct dp_blocks *b, struct sbc_port_stats *ps, int v6,
		const uint8_t *addr, enum sbc_fw_offence off, unsigned int ifidx)
{
	if (dp_blocks_report(b, v6, addr, off, ifidx) == 0) {
		sbc_cnt_add(&ps->events[SBC_EV_FW_REPORTED], 1);
		return 0;
	}
	sbc_cnt_add(&ps->events[SBC_EV_FW_REPORT_LOST], 1);
	return -1;
}

/* ---- the writer: whoever holds mgmt_fw.c's state lock --------------------------------- */

/*
 * Blocks k for the services in scope (DP_BLOCK_*). Returns its slot, -EEXIST (already
 * blocked) or -ENOSPC (table full). Holder of the state lock.
 */
int dp_blocks_add(struct dp_blocks *b, const struct dp_src_key *k, uint8_t scope);

/*
 * Unblocks k; its slot is freed after the next grace period. Returns 0 or -ENOENT. Holder
 * of the state lock.
 */
int dp_blocks_del(struct dp_blocks *b, const struct dp_src_key *k);

/* Returns the slot of k, or -ENOENT. Holder of the state lock. */
int dp_blocks_find(const struct dp_blocks *b, const struct dp_src_key *k);

/*
 * Frees the slots of deleted keys once every reader of qsbr has passed a quiescent
 * state (waits for it). Call after a batch of dp_blocks_del(). Holder of the state lock,
 * never an RCU reader of qsbr itself.
 */
void dp_blocks_reclaim(struct dp_blocks *b, struct rte_rcu_qsbr *qsbr);

/*
 * Takes up to n reports from the ring; returns how many. The firewall control thread
 * only (single consumer).
 */
unsigned int dp_blocks_reports(struct dp_blocks *b, struct sbc_fw_report *out, unsigned int n);

#endif /* DP_BLOCK_H */
