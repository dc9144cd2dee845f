/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_neigh.h - neighbour table (ARP and IPv6 ND) shared by all dataplane lcores.
 *
 * Concurrency: one writer, many lock-free readers.
 *  - The control thread (main lcore) is the only writer. Dataplane lcores never modify
 *    the table: they post what they learn (ARP, NS/NA) and what they need resolved
 *    (with the packet that waits for it) to a multi-producer ring the control thread
 *    drains in dp_neigh_ctl_poll(). Signalling lcores read it and post resolutions
 *    the same way (dp_output).
 *  - The key index is an rte_hash with RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF, so
 *    lookups never block. Each entry's MAC and state are one 64-bit word written with a
 *    release store and read with an acquire load: a reader sees the old or the new
 *    MAC, never half of each.
 *  - A deleted key's slot is reused only after every reader reported a quiescent state
 *    (RCU QSBR defer queue), so a reader holding a slot index never sees it recycled.
 *  - Readers may remember where a next hop's entry is (struct dp_neigh_hint) and skip
 *    the hash while the entry keeps its generation: the writer bumps an entry's gen
 *    when it deletes it and again when the slot takes a new key, before it publishes
 *    a word, so a reader that loads the word (acquire) and then the same gen knows the
 *    word belongs to the key it looked up.
 *  - The only reader write is the "used" flag of a stale entry (a relaxed atomic byte
 *    store the control thread reads, and clears, to decide whether to re-probe or let
 *    the entry age out).
 *  - A dataplane lcore sends a learn message only when it would change something
 *    (dp_neigh_same), and learning never takes the ring's last places.
 */
#ifndef DP_NEIGH_H
#define DP_NEIGH_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_hash.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#include "sbc_config.h"
#include "sbc_contracts.h"

enum dp_neigh_state {
	DP_NEIGH_FREE = 0,
	DP_NEIGH_INCOMPLETE, /* request sent, no answer yet */
	DP_NEIGH_REACHABLE,  /* confirmed less than reachable_s ago */
	DP_NEIGH_STALE,      /* older; still used; re-probed when used */
};

struct dp_neigh_key {
	uint16_t ifidx;
	uint8_t v6;
	uint8_t pad;
	uint8_t addr[16];
};

struct dp_neigh_entry {
	/* Read by the dataplane lcores. */
	uint64_t word; /* MAC in bits 0-47, state in bits 48-55 */
	uint32_t gen;  /* bumped when the slot is freed or takes a new key */
	uint8_t used;  /* set by readers when they use a stale entry */
	/* Control thread only. */
	uint8_t probes;
	uint8_t in_table;
	struct dp_neigh_key key;
	uint64_t confirmed_tsc; /* last proof of reachability */
	uint64_t state_tsc;     /* when the current state began */
	uint64_t probe_tsc;
	uint64_t used_tsc;
	struct rte_mbuf *pending; /* one packet waiting for resolution, L3 at data start */
} __rte_cache_aligned;

/* Messages from the lcores to the control thread: struct sbc_neigh_msg (sbc_contracts.h). */

struct dp;

struct dp_neigh {
	struct rte_hash *hash;
	struct dp_neigh_entry *entries;
	struct rte_ring *ring;
	struct rte_rcu_qsbr_dq *dq;
	struct rte_rcu_qsbr *qsbr;
	uint32_t capacity;
	/* Control thread only: dense list of live slots, for aging without a full scan. */
	uint32_t count;
	uint32_t *active;    /* [count] slot positions */
	uint32_t *active_at; /* slot position -> index in active */
	uint64_t reachable_tsc;
	uint64_t stale_tsc;
	uint64_t retrans_tsc;
	uint32_t probes;
	uint32_t evict_at; /* where the next search for an evictable entry starts */
	uint64_t next_tick;
};

/* Room kept in the ring for resolution requests: learning may not fill it. */
#define DP_NEIGH_LEARN_RESERVE (SBC_NEIGH_RING / 4)

/* Creates the table for cfg. Returns 0 or -errno. Main thread, before launch. */
int dp_neigh_init(struct dp_neigh *n, const struct sbc_neigh_cfg *cfg, struct rte_rcu_qsbr *qsbr,
		uint64_t tsc_hz, int socket);

/* Frees the table and any waiting packets. Main thread, after every reader stopped. */
void dp_neigh_fini(struct dp_neigh *n);

/* Fills k, zero padded, with the hash key of addr on ifidx. Any thread. */
static inline void
dp_neigh_key_make(struct dp_neigh_key *k, uint16_t ifidx, int v6, const uint8_t *addr)
{
	memset(k, 0, sizeof(*k));
	k->ifidx = ifidx;
	k->v6 = (uint8_t)v6;
	memcpy(k->addr, addr, v6 ? 16 : 4);
}

/* A reader's memo of an entry's position: valid while the entry keeps its gen. */
struct dp_neigh_hint {
	uint32_t pos1; /* position + 1; 0: none */
	uint32_t gen;
};

/*
 * Looks up the MAC of addr on interface ifidx. Returns 0 with *mac set, or -ENOENT when
 * it is unknown or still resolving. Dataplane and signalling lcores (RCU readers, through
 * dp_output for the latter), lock-free. With a hint (may be NULL) that still holds, a
 * REACHABLE entry is read without hashing; a successful lookup of a REACHABLE entry
 * refreshes the hint. (STALE entries always take the hash path, which marks them used.)
 */
static inline int
dp_neigh_lookup(const struct dp_neigh *n, uint16_t ifidx, int v6, const uint8_t *addr,
		struct rte_ether_addr *mac, struct dp_neigh_hint *h)
{
	struct dp_neigh_key k;
	struct dp_neigh_entry *e;
	uint64_t w;
	int pos;

	if (h != NULL && likely(h->pos1 != 0)) {
		e = &n->entries[h->pos1 - 1];
		w = __atomic_load_n(&e->word, __ATOMIC_ACQUIRE);
		if (likely(__atomic_load_n(&e->gen, __ATOMIC_RELAXED) == h->gen &&
				    (w >> 48) == DP_NEIGH_REACHABLE)) {
			memcpy(mac->addr_bytes, &w, RTE_ETHER_ADDR_LEN);
			return 0;
		}
		h->pos1 = 0;
	}
	dp_neigh_key_make(&k, ifidx, v6, addr);
	pos = rte_hash_lookup(n->hash, &k);
	if (pos < 0)
		return -ENOENT;
	e = &n->entries[pos];
	w = __atomic_load_n(&e->word, __ATOMIC_ACQUIRE);
	if ((w >> 48) < DP_NEIGH_REACHABLE)
		return -ENOENT;
	if ((w >> 48) == DP_NEIGH_STALE) {
		if (!__atomic_load_n(&e->used, __ATOMIC_RELAXED))
			__atomic_store_n(&e->used, 1, __ATOMIC_RELAXED);
	} else if (h != NULL) {
		h->gen = __atomic_load_n(&e->gen, __ATOMIC_RELAXED);
		h->pos1 = (uint32_t)pos + 1;
	}
	memcpy(mac->addr_bytes, &w, RTE_ETHER_ADDR_LEN); /* little-endian: bits 0-47 */
	return 0;
}

/*
 * Returns true when the table already holds addr -> mac in a usable state, so that a
 * learn message (without reachability proof) would change nothing and need not be sent.
 * Dataplane lcores, lock-free.
 */
static inline bool
dp_neigh_same(const struct dp_neigh *n, uint16_t ifidx, int v6, const uint8_t *addr,
		const struct rte_ether_addr *mac)
{
	struct dp_neigh_key k;
	uint64_t w, m = 0;
	int pos;

	dp_neigh_key_make(&k, ifidx, v6, addr);
	pos = rte_hash_lookup(n->hash, &k);
	if (pos < 0)
		return false;
	w = __atomic_load_n(&n->entries[pos].word, __ATOMIC_ACQUIRE);
	memcpy(&m, mac->addr_bytes, RTE_ETHER_ADDR_LEN);
	return (w >> 48) >= DP_NEIGH_REACHABLE && (w & 0xffffffffffffull) == m;
}

/*
 * Posts a message to the control thread. Learning leaves the last DP_NEIGH_LEARN_RESERVE
 * places to resolution requests, so a flood of ARP or NS cannot starve them. Returns 0 or
 * -ENOBUFS. Dataplane lcores (learns, resolutions) and signalling lcores (resolutions).
 */
static inline int
dp_neigh_post(struct dp_neigh *n, const struct sbc_neigh_msg *msg)
{
	if (msg->type == SBC_NEIGH_MSG_LEARN &&
			rte_ring_free_count(n->ring) <= DP_NEIGH_LEARN_RESERVE)
		return -ENOBUFS;
	return rte_ring_mp_enqueue_elem(n->ring, (void *)(uintptr_t)msg, sizeof(*msg)) == 0 ?
			0 :
			-ENOBUFS;
}

/*
 * Hands a packet (L3 header at its data start, l3_len long) whose next hop nh has no
 * MAC yet to the control thread, which resolves it and sends the packet. Returns 0 or
 * -ENOBUFS (the caller still owns m). Dataplane and signalling lcores.
 */
static inline int
dp_neigh_post_resolve(struct dp_neigh *n, uint16_t ifidx, int v6, const uint8_t *nh,
		struct rte_mbuf *m, uint16_t l3_len)
{
	struct sbc_neigh_msg msg;

	memset(&msg, 0, sizeof(msg));
	msg.type = SBC_NEIGH_MSG_RESOLVE;
	msg.v6 = (uint8_t)v6;
	msg.ifidx = ifidx;
	memcpy(msg.addr, nh, v6 ? 16 : 4);
	msg.m = m;
	msg.l3_len = l3_len;
	return dp_neigh_post(n, &msg);
}

/* Drains the message ring and runs the timers. The control thread (main) only. */
void dp_neigh_ctl_poll(struct dp *dp);

/*
 * Applies what a received ARP/NS/NA said about addr -> mac on ifidx; flags are
 * DP_LEARN_* (dp_proto.h). Used by dp_neigh_ctl_poll and benchmarks. The control thread
 * (main) only: it is the table's writer.
 */
void dp_neigh_learn(struct dp *dp, uint16_t ifidx, int v6, const uint8_t *addr,
		const struct rte_ether_addr *mac, unsigned int flags);

/*
 * Calls fn for every entry in use (racy snapshot; values are atomic). Any thread while
 * the table exists (the telemetry thread; it need not be an RCU reader).
 */
typedef void (*dp_neigh_walk_fn)(const struct dp_neigh_entry *e, uint8_t state,
		const struct rte_ether_addr *mac, void *arg);
void dp_neigh_walk(const struct dp_neigh *n, dp_neigh_walk_fn fn, void *arg);

#endif /* DP_NEIGH_H */
