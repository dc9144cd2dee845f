/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sig_env.c - the environment a signalling lcore gives the layers above it (sig_core.h:
 * struct sig_env_ops; b2b_env.h: struct b2b_env_ops), on DPDK. The env pointer of every
 * op is the lcore's struct sig_lcore. Owner lcore only, except the media set-up and
 * tear-down, which the main thread runs before launch and after the lcore returned.
 *
 * Relay ports: each signalling lcore owns every n-th pair of the configured range on
 * each interface, handed out in a shuffled order (from the CSPRNG) from a FIFO, so a
 * port is reused as late as possible and cannot be guessed from the previous call.
 *
 * Flow rules (dp_flow.h): a struct b2b_flow becomes a struct dp_flow_cfg with our source
 * address and next hop on the out interface, the RTP clock in TSC units and the latch
 * window in TSC. This lcore is the only writer of its ports' slots. A replaced or
 * withdrawn rule, and a released pair, go to an RCU defer queue; they are freed (the
 * pair's counters reset and the pair made free again) only after every dataplane
 * lcore has reported a quiescent state, so no lcore still reads them.
 */
#include <errno.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#include "dp.h"
#include "dp_flow.h"
#include "dp_rtcp.h"
#include "sig_io.h"
#include "sig_lcore.h"

/* ---- struct sig_env_ops ---------------------------------------------------------------- */

static void
count_ev(struct sig_lcore *sl, unsigned int ifidx, enum sbc_event ev)
{
	sbc_cnt_add(&sl->st->port[ifidx].events[ev], 1);
}

static int
env_send(void *env, const struct sig_addr *from, const struct sig_addr *to, const char *data,
		uint32_t len)
{
	struct sig_lcore *sl = env;
	enum sbc_drop why = sig_send(sl->dp, sl->txq, sl->st, from, to, data, len);

	if (why == SBC_DROP_NONE)
		count_ev(sl, from->ifidx, SBC_EV_SIP_TX);
	else
		sbc_cnt_add(&sl->st->port[from->ifidx].drops[why], 1);
	return (int)why;
}

static uint64_t
env_random(void *env)
{
	return sbc_rng_u64(&((struct sig_lcore *)env)->rng);
}

static void *
env_zalloc(void *env, const char *what, size_t size)
{
	struct sig_lcore *sl = env;

	return rte_zmalloc_socket(what, size, RTE_CACHE_LINE_SIZE,
			(int)rte_lcore_to_socket_id(sl->lcore_id));
}

static void
env_free(void *env, void *p)
{
	(void)env;
	rte_free(p);
}

const struct sig_env_ops sig_env_core_ops = {
	.send = env_send,
	.random = env_random,
	.zalloc = env_zalloc,
	.free = env_free,
};

/* ---- relay ports and the defer queue -------------------------------------------------- */

/* What waits for a grace period: a rule to free, or a pair to reset and free again. */
struct media_deferred {
	struct dp_flow_cfg *cfg; /* or NULL */
	uint16_t ifidx;
	uint16_t port;           /* RTP port of a released pair, or 0 */
	uint32_t pad;
};

static void
pairs_push(struct sig_relay_pairs *p, uint16_t pair)
{
	p->fifo[(p->head + p->count) % p->cap] = pair;
	p->count++;
}

static void
reclaim(void *arg, void *e, unsigned int n)
{
	struct sig_lcore *sl = arg;
	struct media_deferred *d = e;
	unsigned int i;

	sl->deferred -= n;
	for (i = 0; i < n; i++, d++) {
		if (d->cfg != NULL)
			dp_flow_rule_free(d->cfg, &sl->b2b.core.mem.bytes);
		if (d->port != 0) {
			struct dp_flow *f = dp_flow_slot(sl->dp, d->ifidx, d->port);

			dp_flow_reset(f);
			dp_flow_reset(f + 1);
			pairs_push(&sl->pairs[d->ifidx],
					(uint16_t)((d->port - sl->dp->flows.port_min) / 2));
		}
	}
}

static void
defer(struct sig_lcore *sl, struct dp_flow_cfg *cfg, uint16_t ifidx, uint16_t port)
{
	struct media_deferred d = { .cfg = cfg, .ifidx = ifidx, .port = port };

	if (cfg == NULL && port == 0)
		return;
	if (rte_rcu_qsbr_dq_enqueue(sl->dq, &d) == 0) {
		sl->deferred++;
		return;
	}
	/* The queue is full: wait for the readers here (this lcore reports first). */
	sbc_cnt_add(&sl->st->sig.media_dq_full, 1);
	rte_rcu_qsbr_synchronize(sl->dp->qsbr, sl->lcore_id);
	sl->deferred++; /* reclaim() counts it out */
	reclaim(sl, &d, 1);
}

int
sig_env_media_init(struct sig_lcore *sl, int socket)
{
	const struct dp_flows *fl = &sl->dp->flows;
	struct rte_rcu_qsbr_dq_parameters prm;
	uint32_t pairs = fl->n_ports / 2, i, k;
	char name[32];

	for (i = 0; i < SBC_MAX_PORTS; i++) {
		struct sig_relay_pairs *p = &sl->pairs[i];

		if (fl->slot[i] == NULL)
			continue;
		p->cap = (pairs + sl->dp->n_sig - 1) / sl->dp->n_sig;
		p->fifo = rte_malloc_socket("sbc_relay_pairs", sizeof(*p->fifo) * p->cap, 0, socket);
		if (p->fifo == NULL)
			return -ENOMEM;
		for (k = sl->shard; k < pairs; k += sl->dp->n_sig)
			pairs_push(p, (uint16_t)k);
		/* Shuffled (Fisher-Yates): the next port cannot be told from the last. */
		for (k = p->count; k > 1; k--) {
			uint32_t j = (uint32_t)(sbc_rng_u64(&sl->rng) % k);
			uint16_t t = p->fifo[k - 1];

			p->fifo[k - 1] = p->fifo[j];
			p->fifo[j] = t;
		}
	}
	memset(&prm, 0, sizeof(prm));
	snprintf(name, sizeof(name), "sbc_mdq%u", sl->shard);
	prm.name = name;
	prm.flags = RTE_RCU_QSBR_DQ_MT_UNSAFE;
	prm.size = 65536;
	prm.esize = sizeof(struct media_deferred);
	prm.trigger_reclaim_limit = 1024;
	prm.max_reclaim_size = 4096;
	prm.free_fn = reclaim;
	prm.p = sl;
	prm.v = sl->dp->qsbr;
	sl->dq = rte_rcu_qsbr_dq_create(&prm);
	return sl->dq != NULL ? 0 : -ENOMEM;
}

void
sig_env_media_fini(struct sig_lcore *sl)
{
	unsigned int i;

	/* Every lcore is done: nothing reads the rules any more. */
	if (sl->dq != NULL && rte_rcu_qsbr_dq_delete(sl->dq) == 0)
		sl->dq = NULL;
	for (i = 0; i < SBC_MAX_PORTS; i++) {
		rte_free(sl->pairs[i].fifo);
		memset(&sl->pairs[i], 0, sizeof(sl->pairs[i]));
	}
}

void
sig_env_media_reclaim(struct sig_lcore *sl)
{
	/* An empty queue is not walked: most turns of an idle lcore have nothing to free. */
	if (sl->dq != NULL && sl->deferred != 0)
		rte_rcu_qsbr_dq_reclaim(sl->dq, 256, NULL, NULL, NULL);
}

/* ---- struct b2b_env_ops ----------------------------------------------------------------- */

static uint16_t
env_port_alloc(void *env, unsigned int ifidx)
{
	struct sig_lcore *sl = env;
	struct sig_relay_pairs *p = &sl->pairs[ifidx];
	uint16_t pair;

	if (ifidx >= SBC_MAX_PORTS || p->count == 0)
		return 0;
	pair = p->fifo[p->head];
	p->head = (p->head + 1) % p->cap;
	p->count--;
	return (uint16_t)(sl->dp->flows.port_min + 2 * pair);
}

static void
env_port_free(void *env, unsigned int ifidx, uint16_t port)
{
	defer(env, NULL, (uint16_t)ifidx, port);
}

/* Our source address on ifc towards dst, and the next hop; false when unreachable. */
static bool
out_path(const struct dp_iface *ifc, int v6, const uint8_t *dst, uint8_t *src, uint8_t *nh)
{
	const uint8_t *s;

	if (v6 ? ifc->n6 < 2 : ifc->n4 == 0)
		return false;
	s = dp_iface_src_for(ifc, v6, dst);
	memcpy(src, s, v6 ? 16 : 4);
	if (dp_iface_onlink(ifc, v6, dst) >= 0)
		memcpy(nh, dst, v6 ? 16 : 4);
	else if (v6 ? ifc->has_gw6 : ifc->has_gw4)
		memcpy(nh, v6 ? ifc->gw6 : ifc->gw4, v6 ? 16 : 4);
	else
		return false;
	return true;
}

/* The dataplane's rule for flow f received on interface in_ifidx, or NULL (no memory). */
static struct dp_flow_cfg *
make_rule(struct sig_lcore *sl, unsigned int in_ifidx, const struct b2b_flow *f)
{
	const struct dp_iface *oif = &sl->dp->ifaces[f->out_ifidx];
	uint64_t clock = f->video ? 90000 : 8000;
	struct dp_flow_cfg *r = dp_flow_rule_alloc(&sl->b2b.core.mem.bytes);

	if (r == NULL)
		return NULL;
	r->in_v6 = f->in_v6;
	memcpy(r->peer_ip, f->peer_ip, 16);
	r->peer_port = rte_cpu_to_be_16(f->peer_port);
	r->nat = sl->dp->ifaces[in_ifidx].media_nat;
	r->latch_epoch = f->latch_epoch;
	r->latch_until = f->latch_until_ms * sl->ms_tsc;
	r->out_ifidx = f->out_ifidx;
	r->flags = (uint8_t)((f->rtp ? DP_FLOW_RTP : 0) | (f->scrub_rtcp ? DP_FLOW_RTCP_SCRUB : 0));
	r->rtp_mult = (uint64_t)(((unsigned __int128)clock << 32) / rte_get_tsc_hz());
	r->call = f->call;
	if (!f->has_dst)
		return r; /* nowhere to send yet: received, counted, dropped */
	r->out_v6 = f->out_v6;
	memcpy(r->dst_ip, f->dst_ip, 16);
	r->dst_port = rte_cpu_to_be_16(f->dst_port);
	r->src_port = rte_cpu_to_be_16(f->src_port);
	r->has_dst = out_path(oif, f->out_v6, r->dst_ip, r->src_ip, r->nh_ip);
	return r;
}

static int
env_flow_set(void *env, unsigned int ifidx, uint16_t port, const struct b2b_flow *f,
		enum sbc_call_end why)
{
	struct sig_lcore *sl = env;
	struct dp_flow *slot = dp_flow_slot(sl->dp, ifidx, port);
	struct dp_flow_cfg *r = NULL, *old;
	int rc = 0;

	if (slot == NULL)
		return -EINVAL;
	if (f != NULL) {
		r = make_rule(sl, ifidx, f);
		if (r == NULL)
			rc = -ENOMEM; /* withdrawn: nothing forwards on a rule that could not be made */
	}
	/* Plain read: this lcore is the slot's only writer. */
	if (r != NULL && slot->cfg != NULL && dp_flow_rule_same(r, slot->cfg)) {
		dp_flow_rule_free(r, &sl->b2b.core.mem.bytes);
		return 0;
	}
	old = dp_flow_publish(slot, r);
	if (old == NULL && r != NULL)
		sbc_cnt_add(&sl->st->sig.flows_active, 1);
	else if (old != NULL && r == NULL) {
		sbc_cnt_add(&sl->st->sig.flows_active, (uint64_t)-1);
		if (why < SBC_END_MAX)
			sbc_cnt_add(&sl->st->sig.flows_withdrawn[why], 1);
	}
	defer(sl, old, 0, 0);
	return rc;
}

static uint64_t
env_flow_last_ms(void *env, unsigned int ifidx, uint16_t port)
{
	struct sig_lcore *sl = env;
	const struct dp_flow *f = dp_flow_slot(sl->dp, ifidx, port);
	uint64_t t = f != NULL ? __atomic_load_n(&f->last_tsc, __ATOMIC_RELAXED) : 0;

	return t / sl->ms_tsc;
}

static bool
env_local_addr(void *env, unsigned int ifidx, int v6, const uint8_t *dst, uint8_t *src)
{
	struct sig_lcore *sl = env;
	const struct dp_iface *ifc;

	if (ifidx >= sl->dp->n_ifaces)
		return false;
	ifc = &sl->dp->ifaces[ifidx];
	if (v6 ? ifc->n6 < 2 : ifc->n4 == 0)
		return false;
	memcpy(src, dp_iface_src_for(ifc, v6, dst), v6 ? 16 : 4);
	return true;
}

static bool
env_is_ours(void *env, int v6, const uint8_t *ip)
{
	struct sig_lcore *sl = env;
	unsigned int i;

	for (i = 0; i < sl->dp->n_ifaces; i++)
		if (v6 ? dp_iface_own6(&sl->dp->ifaces[i], ip) >= 0 :
			 dp_iface_own4(&sl->dp->ifaces[i], ip) >= 0)
			return true;
	return false;
}

static void
env_offence(void *env, const struct sig_addr *src, enum sbc_fw_offence off)
{
	struct sig_lcore *sl = env;

	dp_blocks_report_counted(&sl->dp->blocks, &sl->st->port[src->ifidx], src->v6, src->ip,
			off, src->ifidx);
}

static bool
env_overloaded(void *env)
{
	struct sig_lcore *sl = env;

	/* A backlog of datagrams: new calls would wait behind it (and make it longer). */
	return rte_ring_count(sl->ring) > rte_ring_get_size(sl->ring) * 3 / 4;
}

static size_t
env_rtcp_cname(void *env, uint32_t call, struct sip_str value, char *out)
{
	struct sig_lcore *sl = env;

	dp_rtcp_cname(&sl->dp->rtcp_key, call, (const uint8_t *)value.s,
			(uint8_t)RTE_MIN(value.len, (uint32_t)UINT8_MAX), out);
	return DP_RTCP_CNAME_LEN;
}

const struct b2b_env_ops sig_env_b2b_ops = {
	.port_alloc = env_port_alloc,
	.port_free = env_port_free,
	.flow_set = env_flow_set,
	.flow_last_ms = env_flow_last_ms,
	.local_addr = env_local_addr,
	.is_ours = env_is_ours,
	.offence = env_offence,
	.overloaded = env_overloaded,
	.rtcp_cname = env_rtcp_cname,
	.store_post = NULL, /* no store yet (issue 12) */
};
