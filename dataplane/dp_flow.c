/* SPDX-License-Identifier: BSD-3-Clause */
/* dp_flow.c - media flow slots: allocation, owner-side updates, reports (dp_flow.h). */
#include <rte_malloc.h>

#include "dp.h"
#include "dp_flow.h"

int
dp_flows_init(struct dp *dp, const struct sbc_config *cfg)
{
	struct dp_flows *fl = &dp->flows;
	unsigned int i;

	fl->port_min = (uint16_t)cfg->media.port_min;
	fl->n_ports = (uint16_t)(cfg->media.port_max - cfg->media.port_min + 1);
	for (i = 0; i < cfg->n_ports; i++) {
		if (cfg->ports[i].sip_udp_port == 0)
			continue;
		fl->slot[i] = rte_zmalloc("sbc_flows", sizeof(struct dp_flow) * fl->n_ports,
				RTE_CACHE_LINE_SIZE);
		if (fl->slot[i] == NULL)
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

static uint64_t
rule_size(const struct dp_flow_cfg *r)
{
	size_t n = 0;

	if (rte_malloc_validate(r, &n) < 0)
		n = sizeof(*r);
	return n;
}

struct dp_flow_cfg *
dp_flow_rule_alloc(uint64_t *mem)
{
	static uint64_t next_id = 1; /* any lcore may allocate: atomic */
	struct dp_flow_cfg *r = rte_zmalloc("sbc_rule", sizeof(*r), RTE_CACHE_LINE_SIZE);

	if (r == NULL)
		return NULL;
	r->id = __atomic_fetch_add(&next_id, 1, __ATOMIC_RELAXED);
	if (mem != NULL)
		*mem += rule_size(r);
	return r;
}

void
dp_flow_rule_free(struct dp_flow_cfg *r, uint64_t *mem)
{
	if (r == NULL)
		return;
	if (mem != NULL)
		*mem -= rule_size(r);
	rte_free(r);
}
