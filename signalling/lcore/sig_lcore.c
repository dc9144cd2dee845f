/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sig_lcore.c - the signalling lcore: life cycle and loop (sig_lcore.h). Everything a
 * datagram means is the B2BUA's (b2b.h); this file moves datagrams from the ring into
 * it, keeps its clock, frees what the dataplane no longer sees, and reports quiescent
 * states.
 */
#include <errno.h>

#include <rte_cycles.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>

#include "sbc_run.h"
#include "sig_io.h"
#include "sig_lcore.h"

int
sig_lcore_init(struct sig_lcore *sl, struct dp *dp, const struct sbc_config *cfg,
		unsigned int shard, unsigned int lcore_id)
{
	int socket = (int)rte_lcore_to_socket_id(lcore_id);
	struct b2b_args a;
	int rc;

	memset(sl, 0, sizeof(*sl));
	sl->dp = dp;
	sl->cfg = cfg;
	sl->lcore_id = lcore_id;
	sl->shard = shard;
	sl->txq = (uint16_t)(dp->sig_txq_base + shard);
	sl->ring = dp->sip_ring[shard];
	sl->ms_tsc = rte_get_tsc_hz() / 1000;
	if (sbc_rng_init(&sl->rng) < 0)
		return -EIO;
	sl->st = sbc_stats_register(lcore_id, SBC_ROLE_SIGNALLING);
	sl->scratch = rte_malloc_socket("sbc_sig_scratch", SIG_BUF, 0, socket);
	if (sl->st == NULL || sl->scratch == NULL) {
		rte_free(sl->scratch);
		sl->scratch = NULL;
		return -ENOMEM;
	}
	memset(&a, 0, sizeof(a));
	a.core.ops = &sig_env_core_ops;
	a.core.env = sl;
	a.core.st = sl->st;
	a.core.shard = shard;
	a.core.t1_ms = cfg->sip.t1_ms;
	a.core.t2_ms = cfg->sip.t2_ms;
	a.core.t4_ms = cfg->sip.t4_ms;
	a.core.max_txns = RTE_MAX(cfg->sip.max_transactions / dp->n_sig, 64u);
	a.core.now_ms = rte_rdtsc() / sl->ms_tsc;
	a.ops = &sig_env_b2b_ops;
	a.env = sl;
	a.cfg = cfg;
	a.max_calls = cfg->sip.max_calls / dp->n_sig;
	rc = b2b_init(&sl->b2b, &a);
	if (rc == 0)
		rc = sig_env_media_init(sl, socket);
	if (rc < 0) {
		sig_lcore_fini(sl);
		return rc;
	}
	return 0;
}

void
sig_lcore_fini(struct sig_lcore *sl)
{
	b2b_fini(&sl->b2b);
	sig_env_media_fini(sl);
	rte_free(sl->scratch);
	sl->scratch = NULL;
}

bool
sig_lcore_turn(struct sig_lcore *sl, const struct sbc_sip_dgram *dg, unsigned int n,
		uint64_t now_ms)
{
	uint64_t t0 = rte_rdtsc();
	unsigned int i, fired;
	struct b2b_dgram d;

	fired = b2b_tick(&sl->b2b, now_ms);
	for (i = 0; i < n; i++) {
		if (sig_dgram_read(&dg[i], sl->scratch, &d) == 0)
			b2b_datagram(&sl->b2b, &d);
		else
			sbc_cnt_add(&sl->st->port[dg[i].ifidx].drops[SBC_DROP_SIP_UNPARSEABLE], 1);
		rte_pktmbuf_free(dg[i].mbuf);
	}
	if (n > 0 || fired > 0)
		sbc_cnt_add(&sl->st->sig.msg_cycles, rte_rdtsc() - t0);
	sig_env_media_reclaim(sl);
	sbc_cnt_add(&sl->st->sig.mem_bytes,
			sl->b2b.core.mem.bytes - sbc_cnt_read(&sl->st->sig.mem_bytes));
	rte_rcu_qsbr_quiescent(sl->dp->qsbr, sl->lcore_id);
	return n > 0 || fired > 0;
}

int
sig_lcore_main(void *arg)
{
	struct sig_lcore *sl = arg;
	struct rte_rcu_qsbr *qsbr = sl->dp->qsbr;
	struct sbc_sip_dgram dg[SIG_BURST];
	struct sbc_idle idle;
	const struct sbc_dp_cfg *dc = &sl->cfg->dp;

	rte_rcu_qsbr_thread_register(qsbr, sl->lcore_id);
	rte_rcu_qsbr_thread_online(qsbr, sl->lcore_id);
	sbc_idle_init(&idle, dc->idle_sleep, dc->idle_polls, dc->idle_max_us);
	while (!sbc_quit_requested()) {
		unsigned int n = rte_ring_sc_dequeue_burst_elem(sl->ring, dg, sizeof(dg[0]),
				SIG_BURST, NULL);
		bool busy = sig_lcore_turn(sl, dg, n, idle.t_prev / sl->ms_tsc);

		/* Nothing to do: the identifiers' random octets are drawn now, not mid-call. */
		if (!busy && sbc_rng_top_up(&sl->rng) < 0)
			sbc_rng_fatal();
		sbc_idle_account(&idle, sl->st, busy);
	}
	/* Calls in progress end with a BYE on both legs while the ports still work. */
	b2b_tick(&sl->b2b, rte_rdtsc() / sl->ms_tsc);
	b2b_end_all(&sl->b2b);
	rte_rcu_qsbr_thread_offline(qsbr, sl->lcore_id);
	rte_rcu_qsbr_thread_unregister(qsbr, sl->lcore_id);
	return 0;
}
