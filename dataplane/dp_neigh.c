/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_neigh.c - neighbour table: resolution, learning and aging (see dp_neigh.h for the
 * concurrency design). Everything here but dp_neigh_walk() runs on the control thread.
 *
 * Life of an entry (RFC 4861 7.3, applied to ARP as well):
 *   (none) --we need it--> INCOMPLETE --answer--> REACHABLE --reachable_s--> STALE
 *   (none) --ARP request / NS from it--> STALE
 *   INCOMPLETE: request resent every retransmit_ms; removed after `probes` tries.
 *   STALE and used by the dataplane: unicast probes; removed after `probes` unanswered.
 *   STALE and unused for stale_s: removed.
 *   A proof of reachability (ARP reply, solicited NA) makes it REACHABLE; a request or
 *   unsolicited advertisement with a new MAC makes it STALE; an NA without the Override
 *   flag never replaces a known MAC (7.2.5).
 * A packet waiting for resolution (one per entry; a newer one replaces it) is sent as
 * soon as a MAC is known. When the table is full, an unused STALE entry gives way.
 */
#include <errno.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>

#include "dp.h"
#include "dp_neigh.h"
#include "dp_proto.h"
#include "sbc_log.h"

#define NEIGH_MSGS_PER_POLL 256
#define NEIGH_TICK_MS 100
#define NEIGH_EVICT_SCAN 64 /* entries looked at for one eviction */

static void
entry_publish(struct dp_neigh_entry *e, const struct rte_ether_addr *mac, uint8_t state)
{
	uint64_t w = 0;

	if (mac != NULL)
		memcpy(&w, mac->addr_bytes, RTE_ETHER_ADDR_LEN);
	else
		w = __atomic_load_n(&e->word, __ATOMIC_RELAXED) & 0xffffffffffffull;
	w |= (uint64_t)state << 48;
	__atomic_store_n(&e->word, w, __ATOMIC_RELEASE);
}

static uint8_t
entry_state(const struct dp_neigh_entry *e)
{
	return (uint8_t)(__atomic_load_n(&e->word, __ATOMIC_RELAXED) >> 48);
}

static void
entry_mac(const struct dp_neigh_entry *e, struct rte_ether_addr *mac)
{
	uint64_t w = __atomic_load_n(&e->word, __ATOMIC_RELAXED);

	memcpy(mac->addr_bytes, &w, RTE_ETHER_ADDR_LEN);
}

/* RCU defer-queue callback: the slots' readers are gone; make them reusable. */
static void
neigh_reclaim(void *p, void *elems, unsigned int n)
{
	struct dp_neigh *nt = p;
	uint64_t *pos = elems;
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct dp_neigh_entry *e = &nt->entries[pos[i]];
		uint32_t gen = e->gen;

		rte_hash_free_key_with_position(nt->hash, (int32_t)pos[i]);
		/*
		 * Only hints still point here; the word is already 0 (FREE), so they match
		 * nothing while gen is briefly 0, and gen goes on from where it was.
		 */
		memset(e, 0, sizeof(*e));
		__atomic_store_n(&e->gen, gen, __ATOMIC_RELEASE);
	}
}

int
dp_neigh_init(struct dp_neigh *n, const struct sbc_neigh_cfg *cfg, struct rte_rcu_qsbr *qsbr,
		uint64_t tsc_hz, int socket)
{
	struct rte_hash_parameters hp = {
		.name = "sbc_neigh",
		.entries = cfg->max_entries,
		.key_len = sizeof(struct dp_neigh_key),
		.hash_func = rte_hash_crc,
		.socket_id = socket,
		.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF | RTE_HASH_EXTRA_FLAGS_EXT_TABLE,
	};
	struct rte_rcu_qsbr_dq_parameters dq = {
		.name = "sbc_neigh_dq",
		.size = cfg->max_entries,
		.esize = sizeof(uint64_t),
		.trigger_reclaim_limit = 64,
		.max_reclaim_size = 256,
		.free_fn = neigh_reclaim,
		.p = n,
		.v = qsbr,
	};

	memset(n, 0, sizeof(*n));
	n->qsbr = qsbr;
	n->capacity = cfg->max_entries;
	n->reachable_tsc = tsc_hz * cfg->reachable_s;
	n->stale_tsc = tsc_hz * cfg->stale_s;
	n->retrans_tsc = tsc_hz / 1000 * cfg->retransmit_ms;
	n->probes = cfg->probes;
	n->hash = rte_hash_create(&hp);
	if (n->hash == NULL)
		goto fail;
	n->entries = rte_zmalloc_socket("sbc_neigh_entries",
			sizeof(*n->entries) * n->capacity, RTE_CACHE_LINE_SIZE, socket);
	n->active = rte_zmalloc_socket("sbc_neigh_active", sizeof(uint32_t) * n->capacity, 0,
			socket);
	n->active_at = rte_zmalloc_socket("sbc_neigh_index", sizeof(uint32_t) * n->capacity, 0,
			socket);
	n->ring = rte_ring_create_elem("sbc_neigh_req", sizeof(struct sbc_neigh_msg),
			SBC_NEIGH_RING, socket, RING_F_SC_DEQ);
	n->dq = rte_rcu_qsbr_dq_create(&dq);
	if (n->entries == NULL || n->active == NULL || n->active_at == NULL || n->ring == NULL ||
			n->dq == NULL)
		goto fail;
	return 0;
fail:
	DP_LOG(ERR, "neighbour table of %u entries: %s", cfg->max_entries, rte_strerror(rte_errno));
	dp_neigh_fini(n);
	return -ENOMEM;
}

void
dp_neigh_fini(struct dp_neigh *n)
{
	uint32_t i;
	struct sbc_neigh_msg msg;

	if (n->ring != NULL)
		while (rte_ring_sc_dequeue_elem(n->ring, &msg, sizeof(msg)) == 0)
			rte_pktmbuf_free(msg.m);
	if (n->entries != NULL)
		for (i = 0; i < n->capacity; i++)
			rte_pktmbuf_free(n->entries[i].pending);
	if (n->dq != NULL)
		rte_rcu_qsbr_dq_delete(n->dq);
	rte_ring_free(n->ring);
	rte_hash_free(n->hash);
	rte_free(n->entries);
	rte_free(n->active);
	rte_free(n->active_at);
	memset(n, 0, sizeof(*n));
}

/* ---- sending requests and waiting packets ---------------------------------------------- */

static void
count_ev(struct dp *dp, uint16_t ifidx, enum sbc_event ev)
{
	sbc_cnt_add(&dp->ctl_stats->port[ifidx].events[ev], 1);
}

static void
count_drop(struct dp *dp, uint16_t ifidx, enum sbc_drop why)
{
	sbc_cnt_add(&dp->ctl_stats->port[ifidx].drops[why], 1);
}

/* Sends an ARP request or NS for the entry; unicast to its known MAC when probing. */
static void
send_request(struct dp *dp, struct dp_neigh_entry *e, bool unicast)
{
	const struct dp_iface *ifc = &dp->ifaces[e->key.ifidx];
	struct rte_ether_addr dst, known;
	struct rte_mbuf *m;
	uint8_t *l3;
	size_t len;
	uint16_t type;

	m = rte_pktmbuf_alloc(dp->pool);
	if (m == NULL) {
		count_drop(dp, e->key.ifidx, SBC_DROP_NO_MBUF);
		return;
	}
	l3 = rte_pktmbuf_mtod(m, uint8_t *);
	entry_mac(e, &known);
	if (e->key.v6) {
		len = dp_nd_build_ns(l3, ifc, e->key.addr, unicast, &known, &dst);
		type = RTE_ETHER_TYPE_IPV6;
	} else {
		const uint8_t *sip = dp_iface_src_for(ifc, 0, e->key.addr);

		if (sip == NULL) {
			rte_pktmbuf_free(m);
			return;
		}
		len = dp_arp_build_request(l3, ifc, sip, e->key.addr);
		if (unicast)
			dst = known;
		else
			memset(&dst, 0xff, sizeof(dst));
		type = RTE_ETHER_TYPE_ARP;
	}
	m->data_len = m->pkt_len = (uint32_t)len;
	if (dp_l2_encap(m, 0, (uint16_t)len, ifc, &dst, type) < 0) {
		rte_pktmbuf_free(m);
		return;
	}
	count_ev(dp, e->key.ifidx, e->key.v6 ? SBC_EV_ND_NS_TX : SBC_EV_ARP_REQUEST_TX);
	e->probe_tsc = rte_rdtsc();
	e->probes++;
	dp_ctl_send(dp, ifc, m);
}

/* Sends the packet held by the entry, now that its MAC is known. */
static void
send_pending(struct dp *dp, struct dp_neigh_entry *e)
{
	const struct dp_iface *ifc = &dp->ifaces[e->key.ifidx];
	struct rte_mbuf *m = e->pending;
	struct rte_ether_addr mac;

	e->pending = NULL;
	entry_mac(e, &mac);
	if (dp_l2_encap(m, 0, (uint16_t)rte_pktmbuf_data_len(m), ifc, &mac,
			    e->key.v6 ? RTE_ETHER_TYPE_IPV6 : RTE_ETHER_TYPE_IPV4) < 0) {
		count_drop(dp, e->key.ifidx, SBC_DROP_NO_MBUF);
		rte_pktmbuf_free(m);
		return;
	}
	count_ev(dp, e->key.ifidx, SBC_EV_NEIGH_RESOLVED);
	dp_ctl_send(dp, ifc, m);
}

/* ---- table changes --------------------------------------------------------------------- */

static struct dp_neigh_entry *
entry_find(struct dp_neigh *n, const struct dp_neigh_key *k)
{
	int pos = rte_hash_lookup(n->hash, k);

	return pos < 0 ? NULL : &n->entries[pos];
}

static void
entry_delete(struct dp *dp, struct dp_neigh_entry *e, enum sbc_event ev)
{
	struct dp_neigh *n = &dp->neigh;
	uint32_t pos = (uint32_t)(e - n->entries);
	uint32_t at = n->active_at[pos];
	uint64_t elem = pos;

	if (e->pending != NULL) {
		count_drop(dp, e->key.ifidx, SBC_DROP_NEIGH_UNRESOLVED);
		rte_pktmbuf_free(e->pending);
		e->pending = NULL;
	}
	if (ev < SBC_EV_MAX)
		count_ev(dp, e->key.ifidx, ev);
	/*
	 * Readers holding the slot now see FREE, and their hints a new gen; the slot is
	 * reused after a grace period.
	 */
	__atomic_store_n(&e->gen, e->gen + 1, __ATOMIC_RELEASE);
	__atomic_store_n(&e->word, 0, __ATOMIC_RELEASE);
	e->in_table = 0;
	rte_hash_del_key(n->hash, &e->key);
	n->active[at] = n->active[--n->count];
	n->active_at[n->active[at]] = at;
	if (rte_rcu_qsbr_dq_enqueue(n->dq, &elem) != 0) {
		/* Cannot happen (the queue holds every slot), but never leak the slot. */
		rte_rcu_qsbr_dq_reclaim(n->dq, n->capacity, NULL, NULL, NULL);
		rte_rcu_qsbr_dq_enqueue(n->dq, &elem);
	}
}

/* Frees one unused STALE entry with no waiting packet, if one is found quickly. */
static bool
entry_evict(struct dp *dp)
{
	struct dp_neigh *n = &dp->neigh;
	uint32_t i;

	for (i = 0; i < NEIGH_EVICT_SCAN && n->count > 0; i++) {
		struct dp_neigh_entry *e = &n->entries[n->active[n->evict_at++ % n->count]];

		if (entry_state(e) == DP_NEIGH_STALE && e->pending == NULL && e->probes == 0 &&
				!__atomic_load_n(&e->used, __ATOMIC_RELAXED)) {
			entry_delete(dp, e, SBC_EV_NEIGH_EXPIRED);
			return true;
		}
	}
	return false;
}

static struct dp_neigh_entry *
entry_add(struct dp *dp, const struct dp_neigh_key *k)
{
	struct dp_neigh *n = &dp->neigh;
	struct dp_neigh_entry *e;
	int pos = rte_hash_add_key(n->hash, k);

	if (pos == -ENOSPC) {
		/* Slots may be waiting for a grace period, or an unused entry may give way. */
		rte_rcu_qsbr_dq_reclaim(n->dq, n->capacity, NULL, NULL, NULL);
		pos = rte_hash_add_key(n->hash, k);
		if (pos == -ENOSPC && entry_evict(dp)) {
			/*
			 * The evicted slot is reusable once every reader passed a quiescent
			 * point: at most one dataplane loop or idle sleep. Only a full table
			 * makes the control thread wait for it.
			 */
			rte_rcu_qsbr_synchronize(n->qsbr, RTE_QSBR_THRID_INVALID);
			rte_rcu_qsbr_dq_reclaim(n->dq, n->capacity, NULL, NULL, NULL);
			pos = rte_hash_add_key(n->hash, k);
		}
	}
	if (pos < 0) {
		count_drop(dp, k->ifidx, SBC_DROP_NEIGH_TABLE_FULL);
		return NULL;
	}
	if ((uint32_t)pos >= n->capacity) { /* the hash's slots never exceed its entries */
		rte_hash_del_key(n->hash, k);
		rte_hash_free_key_with_position(n->hash, pos);
		count_drop(dp, k->ifidx, SBC_DROP_NEIGH_TABLE_FULL);
		return NULL;
	}
	/*
	 * The slot comes zeroed (from rte_zmalloc or from reclaim), so the fields readers
	 * load are already FREE; only control-thread fields are set here.
	 */
	e = &n->entries[pos];
	/* A hint taken between the delete and now must not match the new key. */
	__atomic_store_n(&e->gen, e->gen + 1, __ATOMIC_RELEASE);
	e->key = *k;
	e->in_table = 1;
	e->probes = 0;
	e->pending = NULL;
	e->confirmed_tsc = e->state_tsc = e->probe_tsc = e->used_tsc = rte_rdtsc();
	n->active_at[pos] = n->count;
	n->active[n->count++] = (uint32_t)pos;
	return e;
}

static void
entry_set_state(struct dp_neigh_entry *e, const struct rte_ether_addr *mac, uint8_t state)
{
	if (state != entry_state(e) || mac != NULL) {
		e->state_tsc = rte_rdtsc();
		if (state != DP_NEIGH_STALE)
			e->probes = 0;
	}
	entry_publish(e, mac, state);
}

void
dp_neigh_learn(struct dp *dp, uint16_t ifidx, int v6, const uint8_t *addr,
		const struct rte_ether_addr *mac, unsigned int flags)
{
	struct dp_neigh *n = &dp->neigh;
	struct dp_neigh_key k;
	struct dp_neigh_entry *e;
	struct rte_ether_addr known;
	bool same;
	uint8_t st;

	dp_neigh_key_make(&k, ifidx, v6, addr);
	e = entry_find(n, &k);
	if (e == NULL) {
		if (!(flags & DP_LEARN_CREATE))
			return;
		e = entry_add(dp, &k);
		if (e == NULL)
			return;
	}
	st = entry_state(e);
	entry_mac(e, &known);
	same = st >= DP_NEIGH_REACHABLE && rte_is_same_ether_addr(&known, mac);
	if (st < DP_NEIGH_REACHABLE) {
		/* New or resolving: any answer gives the MAC (7.2.5, INCOMPLETE). */
		entry_set_state(e, mac,
				flags & DP_LEARN_CONFIRM ? DP_NEIGH_REACHABLE : DP_NEIGH_STALE);
	} else if (!same && !(flags & DP_LEARN_OVERRIDE)) {
		/* A different MAC without Override: keep ours, but doubt it. */
		if (st == DP_NEIGH_REACHABLE)
			entry_set_state(e, NULL, DP_NEIGH_STALE);
		return;
	} else if (flags & DP_LEARN_CONFIRM) {
		entry_set_state(e, mac, DP_NEIGH_REACHABLE);
	} else if (!same) {
		entry_set_state(e, mac, DP_NEIGH_STALE);
	} else {
		return; /* nothing new */
	}
	if (flags & DP_LEARN_CONFIRM)
		e->confirmed_tsc = rte_rdtsc();
	__atomic_store_n(&e->used, 0, __ATOMIC_RELAXED);
	count_ev(dp, ifidx, SBC_EV_NEIGH_LEARNED);
	if (e->pending != NULL)
		send_pending(dp, e);
}

static void
neigh_resolve(struct dp *dp, const struct sbc_neigh_msg *msg)
{
	struct dp_neigh *n = &dp->neigh;
	struct dp_neigh_key k;
	struct dp_neigh_entry *e;

	dp_neigh_key_make(&k, msg->ifidx, msg->v6, msg->addr);
	e = entry_find(n, &k);
	if (e != NULL && entry_state(e) >= DP_NEIGH_REACHABLE) {
		/* Learned after the lcore looked: send right away. */
		e->pending = msg->m;
		send_pending(dp, e);
		return;
	}
	if (e != NULL) {
		if (e->pending != NULL) {
			count_drop(dp, msg->ifidx, SBC_DROP_NEIGH_REPLACED);
			rte_pktmbuf_free(e->pending);
		}
		e->pending = msg->m;
		return;
	}
	e = entry_add(dp, &k);
	if (e == NULL) {
		rte_pktmbuf_free(msg->m);
		return;
	}
	e->pending = msg->m;
	entry_publish(e, NULL, DP_NEIGH_INCOMPLETE);
	send_request(dp, e, false);
}

/* ---- timers ------------------------------------------------------------------------------ */

/*
 * Sends the next request for an entry when retransmit_ms passed since the last one, or
 * gives the entry up after `probes` unanswered. Returns false when it was deleted.
 */
static bool
probe_or_give_up(struct dp *dp, struct dp_neigh_entry *e, uint64_t now, bool unicast)
{
	struct dp_neigh *n = &dp->neigh;

	if (now - e->probe_tsc < n->retrans_tsc)
		return true;
	if (e->probes >= n->probes) {
		entry_delete(dp, e, SBC_EV_NEIGH_EXPIRED);
		return false;
	}
	send_request(dp, e, unicast);
	return true;
}

/* Runs the timers of one entry; returns false when it was deleted. */
static bool
neigh_age_one(struct dp *dp, struct dp_neigh_entry *e, uint64_t now)
{
	struct dp_neigh *n = &dp->neigh;

	if (__atomic_load_n(&e->used, __ATOMIC_RELAXED)) {
		__atomic_store_n(&e->used, 0, __ATOMIC_RELAXED);
		e->used_tsc = now;
	}
	switch (entry_state(e)) {
	case DP_NEIGH_INCOMPLETE:
		return probe_or_give_up(dp, e, now, false);
	case DP_NEIGH_REACHABLE:
		if (now - e->confirmed_tsc >= n->reachable_tsc)
			entry_set_state(e, NULL, DP_NEIGH_STALE);
		return true;
	case DP_NEIGH_STALE:
		/* Used while stale: verify it directly (7.3.3), or give it up. */
		if (e->probes > 0 || e->used_tsc > e->state_tsc)
			return probe_or_give_up(dp, e, now, true);
		if (now - e->state_tsc >= n->stale_tsc) {
			entry_delete(dp, e, SBC_EV_NEIGH_EXPIRED);
			return false;
		}
		return true;
	default:
		return true;
	}
}

static void
neigh_age(struct dp *dp, uint64_t now)
{
	struct dp_neigh *n = &dp->neigh;
	uint32_t i = 0;

	/* A deleted entry's place in the list is taken by the last one: look again. */
	while (i < n->count)
		if (neigh_age_one(dp, &n->entries[n->active[i]], now))
			i++;
	rte_rcu_qsbr_dq_reclaim(n->dq, n->capacity, NULL, NULL, NULL);
}

void
dp_neigh_ctl_poll(struct dp *dp)
{
	struct dp_neigh *n = &dp->neigh;
	struct sbc_neigh_msg msgs[32];
	unsigned int got, i, total = 0;
	uint64_t now;

	while (total < NEIGH_MSGS_PER_POLL &&
			(got = rte_ring_sc_dequeue_burst_elem(n->ring, msgs, sizeof(msgs[0]),
					 RTE_DIM(msgs), NULL)) > 0) {
		for (i = 0; i < got; i++) {
			const struct sbc_neigh_msg *msg = &msgs[i];

			if (msg->ifidx >= dp->n_ifaces) {
				rte_pktmbuf_free(msg->m);
				continue;
			}
			switch (msg->type) {
			case SBC_NEIGH_MSG_LEARN: {
				struct rte_ether_addr mac;

				memcpy(mac.addr_bytes, msg->mac, RTE_ETHER_ADDR_LEN);
				dp_neigh_learn(dp, msg->ifidx, msg->v6, msg->addr, &mac, msg->flags);
				break;
			}
			case SBC_NEIGH_MSG_RESOLVE:
				neigh_resolve(dp, msg);
				break;
			default:
				rte_pktmbuf_free(msg->m);
				break;
			}
		}
		total += got;
	}
	now = rte_rdtsc();
	if (now >= n->next_tick) {
		n->next_tick = now + dp->tsc_hz / 1000 * NEIGH_TICK_MS;
		neigh_age(dp, now);
	}
}

void
dp_neigh_walk(const struct dp_neigh *n, dp_neigh_walk_fn fn, void *arg)
{
	uint32_t i;

	if (n->entries == NULL)
		return;
	for (i = 0; i < n->capacity; i++) {
		const struct dp_neigh_entry *e = &n->entries[i];
		struct dp_neigh_entry copy;
		struct rte_ether_addr mac;
		uint64_t w = __atomic_load_n(&e->word, __ATOMIC_ACQUIRE);

		if ((w >> 48) == DP_NEIGH_FREE)
			continue;
		/* The telemetry thread is no RCU reader: copy, then check nothing moved. */
		memcpy(&copy.key, (const void *)&e->key, sizeof(copy.key));
		if (__atomic_load_n(&e->word, __ATOMIC_ACQUIRE) != w)
			continue;
		memcpy(mac.addr_bytes, &w, RTE_ETHER_ADDR_LEN);
		fn(&copy, (uint8_t)(w >> 48), &mac, arg);
	}
}
