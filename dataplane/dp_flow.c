/* SPDX-License-Identifier: BSD-3-Clause */
/* dp_flow.c - media flow slots: allocation, owner-side updates, reports (dp_flow.h). */
#include <rte_malloc.h>
#include <rte_mempool.h>

#include "dp.h"
#include "dp_flow.h"

/*
 * Rules come from one mempool sized for every slot twice over (a rule in force and
 * its successor, or a withdrawn one waiting for its grace period), with a per-lcore
 * cache: a call allocates four and frees four, without the heap allocator's lock and
 * search (docs/BENCHMARKS.md). One dataplane per process.
 */
static struct rte_mempool *rule_pool;

int
dp_flows_init(struct dp *dp, const struct sbc_config *cfg)
{
	struct dp_flows *fl = &dp->flows;
	unsigned int i, n_slots = 0;

	fl->port_min = (uint16_t)cfg->media.port_min;
	fl->n_ports = (uint16_t)(cfg->media.port_max - cfg->media.port_min + 1);
	for (i = 0; i < cfg->n_ports; i++) {
		if (cfg->ports[i].sip_udp_port == 0)
			continue;
		fl->slot[i] = rte_zmalloc("sbc_flows", sizeof(struct dp_flow) * fl->n_ports,
				RTE_CACHE_LINE_SIZE);
		if (fl->slot[i] == NULL)
			return -ENOMEM;
		n_slots += fl->n_ports;
	}
	if (n_slots > 0) {
		rule_pool = rte_mempool_create("sbc_rules", 2 * n_slots + 1024,
				sizeof(struct dp_flow_cfg), 64, 0, NULL, NULL, NULL, NULL,
				(int)rte_socket_id(), 0);
		if (rule_pool == NULL)
			return -ENOMEM;
	}
	return 0;
}

void
dp_flows_fini(struct dp *dp)
{
	unsigned int i, k;

	for (i = 0; i < SBC_MAX_PORTS; i++) {
		if (dp->flows.slot[i] == NULL)
			continue;
		/* Lcores are done: rules still installed are freed here. */
		for (k = 0; k < dp->flows.n_ports; k++)
			dp_flow_rule_free(dp->flows.slot[i][k].cfg, NULL);
		rte_free(dp->flows.slot[i]);
		dp->flows.slot[i] = NULL;
	}
	rte_mempool_free(rule_pool);
	rule_pool = NULL;
}

struct dp_flow *
dp_flow_slot(struct dp *dp, unsigned int ifidx, uint16_t port)
{
	struct dp_flows *fl = &dp->flows;

	if (ifidx >= SBC_MAX_PORTS || fl->slot[ifidx] == NULL || port < fl->port_min ||
			port - fl->port_min >= fl->n_ports)
		return NULL;
	return &fl->slot[ifidx][port - fl->port_min];
}

void
dp_flow_reset(struct dp_flow *f)
{
	struct dp_flow_cfg *keep = f->cfg;

	memset(f, 0, sizeof(*f));
	f->cfg = keep;
}

struct dp_flow_cfg *
dp_flow_publish(struct dp_flow *f, struct dp_flow_cfg *cfg)
{
	if (cfg != NULL)
		dp_flow_rule_seal(cfg);
	return __atomic_exchange_n(&f->cfg, cfg, __ATOMIC_ACQ_REL);
}

void
dp_flow_rtp_report(const struct dp_flow *f, uint32_t *expected, uint32_t *received,
		int32_t *lost, uint32_t *jitter)
{
	const struct dp_rtp_stats *s = &f->rtp;
	uint32_t ext_max = __atomic_load_n(&s->cycles, __ATOMIC_RELAXED) +
			__atomic_load_n(&s->max_seq, __ATOMIC_RELAXED);
	uint32_t rcv = __atomic_load_n(&s->received, __ATOMIC_RELAXED);

	*received = rcv;
	*expected = rcv ? ext_max - __atomic_load_n(&s->base_seq, __ATOMIC_RELAXED) + 1 : 0;
	*lost = (int32_t)(*expected - rcv);
	*jitter = __atomic_load_n(&s->jitter, __ATOMIC_RELAXED) >> 4;
}

/* What a rule holds of the pool: the object, its header and padding. */
static uint64_t
rule_size(void)
{
	return (uint64_t)rule_pool->header_size + rule_pool->elt_size + rule_pool->trailer_size;
}

struct dp_flow_cfg *
dp_flow_rule_alloc(uint64_t *mem)
{
	void *r;

	if (rule_pool == NULL || rte_mempool_get(rule_pool, &r) != 0)
		return NULL;
	memset(r, 0, sizeof(struct dp_flow_cfg));
	if (mem != NULL)
		*mem += rule_size();
	return r;
}

void
dp_flow_rule_free(struct dp_flow_cfg *r, uint64_t *mem)
{
	if (r == NULL)
		return;
	if (mem != NULL)
		*mem -= rule_size();
	rte_mempool_put(rule_pool, r);
}
