/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp.c - dataplane lifecycle: init (ports, pool, RCU, neighbours, lcore state), the
 * control-thread duties and teardown. Main thread, except dp_lcore_of() (any thread),
 * dp_output() (signalling lcores, sending on their own TX queue) and dp_fw_publish()
 * (the firewall's reloader or the telemetry thread, holding mgmt_fw.c's locks).
 * dp_init() unwinds through dp_fini(), which tolerates a partly built dataplane.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "dp.h"
#include "dp_port.h"
#include "dp_sip.h"
#include "sbc_log.h"

#define DP_MBUF_CACHE 256

/* TX buffer error callback: the packets the queue refused are dropped and un-counted. */
static void
tx_refused(struct rte_mbuf **pkts, uint16_t unsent, void *userdata)
{
	struct sbc_port_stats *ps = userdata;
	uint64_t bytes = 0;
	uint16_t i;

	for (i = 0; i < unsent; i++) {
		bytes += rte_pktmbuf_pkt_len(pkts[i]);
		rte_pktmbuf_free(pkts[i]);
	}
	sbc_cnt_add(&ps->drops[SBC_DROP_TX_FULL], unsent);
	sbc_cnt_add(&ps->tx_pkts, -(uint64_t)unsent);
	sbc_cnt_add(&ps->tx_bytes, -bytes);
}

/* Same for the exception port's buffers: the packets the kernel would have had. */
static void
tx_refused_host(struct rte_mbuf **pkts, uint16_t unsent, void *userdata)
{
	struct sbc_lcore_stats *st = userdata;
	uint16_t i;

	for (i = 0; i < unsent; i++)
		rte_pktmbuf_free(pkts[i]);
	sbc_cnt_add(&st->fw.host_drops[SBC_DROP_TX_FULL], unsent);
}

/*
 * A TX buffer of burst packets on socket, whose refusals go to refused(userdata);
 * NULL when out of memory.
 */
static struct rte_eth_dev_tx_buffer *
txb_new(unsigned int burst, int socket, buffer_tx_error_fn refused, void *userdata)
{
	struct rte_eth_dev_tx_buffer *b = rte_zmalloc_socket("sbc_txb",
			RTE_ETH_TX_BUFFER_SIZE(burst), 0, socket);

	if (b == NULL)
		return NULL;
	rte_eth_tx_buffer_init(b, (uint16_t)burst);
	rte_eth_tx_buffer_set_err_callback(b, refused, userdata);
	return b;
}

/* Frees a TX buffer of a closed port (what it still holds can only be freed). */
static void
txb_free(struct rte_eth_dev_tx_buffer *b)
{
	if (b == NULL)
		return;
	while (b->length > 0)
		rte_pktmbuf_free(b->pkts[--b->length]);
	rte_free(b);
}

/* Writes "FILE: ports[i].KEY = VALUE: why" for the keys a device can refuse. */
static int
fail_port(char *err, size_t errlen, const struct sbc_config *cfg, unsigned int i, const char *key,
		const char *why)
{
	const struct sbc_port_cfg *pc = &cfg->ports[i];

	if (strcmp(key, "mtu") == 0)
		snprintf(err, errlen, "%s: ports[%u].mtu = %u: %s", cfg->path, i, pc->mtu, why);
	else if (strcmp(key, "rx_queues") == 0)
		snprintf(err, errlen, "%s: ports[%u].rx_queues = %u: %s", cfg->path, i,
				pc->rx_queues, why);
	else
		snprintf(err, errlen, "%s: ports[%u].devargs = \"%s\": %s", cfg->path, i,
				pc->devargs, why);
	return -1;
}

/* Mbufs the configuration needs: every descriptor, every burst and cache, and spare. */
static unsigned int
mbufs_needed(const struct dp *dp, const uint16_t *n_rxq)
{
	const struct sbc_config *cfg = dp->cfg;
	unsigned int i, n = 0;

	for (i = 0; i < cfg->n_ports; i++)
		n += cfg->ports[i].rx_desc * n_rxq[i] + cfg->ports[i].tx_desc * dp->n_txq;
	n += (cfg->n_dp_lcores + cfg->n_sig_lcores + 1) * (cfg->dp.burst * 2 + DP_MBUF_CACHE);
	/* SIP datagrams parked in the signalling rings, and fragments being reassembled. */
	n += cfg->n_sig_lcores * cfg->sip.ring_size + cfg->n_dp_lcores * DP_REASM_FLOWS;
	/* The host path's TUN: its RX descriptors, TX descriptors and buffers per lcore. */
	if (cfg->host.iface[0] != '\0')
		n += DP_HOST_DESC + cfg->n_dp_lcores * (DP_HOST_DESC + cfg->dp.burst);
	return n + 1024;
}

static uint16_t
mbuf_data_room(const struct sbc_config *cfg)
{
	unsigned int i, mtu = 0, room;

	for (i = 0; i < cfg->n_ports; i++)
		mtu = RTE_MAX(mtu, cfg->ports[i].mtu);
	room = RTE_PKTMBUF_HEADROOM + mtu + RTE_ETHER_HDR_LEN + 2 * 4 /* VLAN */ + 4 /* CRC */;
	return (uint16_t)RTE_MAX(room, (unsigned int)RTE_MBUF_DEFAULT_BUF_SIZE);
}

static int
dp_create_pool(struct dp *dp, const uint16_t *n_rxq, char *err, size_t errlen)
{
	const struct sbc_config *cfg = dp->cfg;
	unsigned int need = mbufs_needed(dp, n_rxq), n = cfg->dp.mbufs;

	if (n == 0) {
		/* Automatic: twice the need, as 2^k - 1 (the mempool's best size). */
		for (n = 8191; n < need * 2; n = n * 2 + 1)
			;
	} else if (n < need) {
		snprintf(err, errlen, "%s: dataplane.mbufs = %u: too few for the configured ports, "
				"queues and lcores (at least %u)", cfg->path, n, need);
		return -1;
	}
	dp->pool = rte_pktmbuf_pool_create("sbc_mbuf", n, DP_MBUF_CACHE, 0, mbuf_data_room(cfg),
			(int)rte_socket_id());
	if (dp->pool == NULL) {
		snprintf(err, errlen, "cannot create a pool of %u mbufs: %s (more hugepages, or "
				"a smaller dataplane.mbufs)", n, rte_strerror(rte_errno));
		return -1;
	}
	DP_LOG(INFO, "packet pool: %u mbufs of %u octets", n, mbuf_data_room(cfg));
	return 0;
}

static int
dp_setup_lcores(struct dp *dp, const uint16_t *n_rxq, char *err, size_t errlen)
{
	const struct sbc_config *cfg = dp->cfg;
	unsigned int i, p, q, k = 0;
	void *mem;

	dp->n_lcores = cfg->n_dp_lcores;
	for (i = 0; i < dp->n_lcores; i++) {
		unsigned int lcore = cfg->dp_lcores[i];
		int socket = (int)rte_lcore_to_socket_id(lcore);
		struct dp_lcore *lc = rte_zmalloc_socket("sbc_dp_lcore", sizeof(*lc),
				RTE_CACHE_LINE_SIZE, socket);

		if (lc == NULL)
			goto nomem;
		dp->lcores[i] = lc;
		lc->dp = dp;
		lc->lcore_id = lcore;
		lc->txq = (uint16_t)i;
		lc->drain_tsc = dp->tsc_hz / 1000000 * cfg->dp.tx_drain_us;
		lc->idx = i;
		lc->st = sbc_stats_register(lcore, SBC_ROLE_DATAPLANE);
		if (lc->st == NULL || dp_reasm_init(lc, socket) < 0)
			goto nomem;
		mem = rte_zmalloc_socket("sbc_dp_limit", dp_limit_mem_size(cfg->fw.flood.sources),
				RTE_CACHE_LINE_SIZE, socket);
		if (mem == NULL)
			goto nomem;
		dp_limit_init(&lc->limit, mem, cfg->fw.flood.sources);
		for (p = 0; p < dp->n_ifaces; p++) {
			lc->txb[p] = txb_new(cfg->dp.burst, socket, tx_refused, &lc->st->port[p]);
			if (lc->txb[p] == NULL)
				goto nomem;
		}
	}
	/* RX queues go round-robin over the dataplane lcores. */
	for (p = 0; p < dp->n_ifaces; p++)
		for (q = 0; q < n_rxq[p]; q++, k++) {
			struct dp_lcore *lc = dp->lcores[k % dp->n_lcores];

			if (lc->n_rxq == DP_MAX_RXQ_PER_LCORE) {
				snprintf(err, errlen, "%s: ports[%u].rx_queues: the ports have more RX "
						"queues than lcores.dataplane (%u lcores) can poll, %u "
						"each at most", dp->cfg->path, p, dp->n_lcores,
						DP_MAX_RXQ_PER_LCORE);
				return -1;
			}
			lc->rxq[lc->n_rxq++] = (struct dp_rxq){ .port_id = dp->ifaces[p].port_id,
				.queue = (uint16_t)q, .ifidx = (uint16_t)p };
		}
	return 0;
nomem:
	snprintf(err, errlen, "out of memory for the dataplane lcores");
	return -1;
}

/*
 * The firewall: blocklist, the first rule set (from the configuration), and the host
 * exception port, whose RX queue the first dataplane lcore polls.
 */
static int
dp_fw_init(struct dp *dp, char *err, size_t errlen)
{
	const struct sbc_config *cfg = dp->cfg;
	struct sbc_fw_cfg fw;
	char why[256];
	unsigned int i;

	if (dp_blocks_init(&dp->blocks, cfg->fw.block.max_entries, (int)rte_socket_id()) < 0) {
		snprintf(err, errlen, "%s: firewall.blocklist.max_entries = %u: cannot create the "
				"blocklist (out of memory?)", cfg->path, cfg->fw.block.max_entries);
		return -1;
	}
	if (sbc_fw_config_dup(&fw, &cfg->fw) < 0) {
		snprintf(err, errlen, "out of memory for the firewall rules");
		return -1;
	}
	dp->fw = dp_fw_build(&fw, cfg, dp->n_lcores, 1, why, sizeof(why));
	if (dp->fw == NULL) {
		snprintf(err, errlen, "%s: firewall: %s", cfg->path, why);
		return -1;
	}
	DP_LOG(INFO, "firewall: %lu rules (%u IPv4 and %u IPv6 classifier rules), %s, built in "
			"%" PRIu64 " us", sbc_fw_config_rules(&dp->fw->cfg), dp->fw->n_acl_rules[0],
			dp->fw->n_acl_rules[1], dp_fw_alg_name(dp->fw), dp->fw->build_ns / 1000);
	if (dp_host_init(dp, (uint16_t)dp->n_lcores, err, errlen) < 0)
		return -1;
	if (!dp->host.on)
		return 0;
	for (i = 0; i < dp->n_lcores; i++) {
		struct dp_lcore *lc = dp->lcores[i];

		lc->host_txb = txb_new(cfg->dp.burst, (int)rte_lcore_to_socket_id(lc->lcore_id),
				tx_refused_host, lc->st);
		if (lc->host_txb == NULL) {
			snprintf(err, errlen, "out of memory for the dataplane lcores");
			return -1;
		}
	}
	if (dp->lcores[0]->n_rxq == DP_MAX_RXQ_PER_LCORE) {
		snprintf(err, errlen, "%s: host.iface: the first dataplane lcore polls %u RX queues "
				"already, the most it can", cfg->path, DP_MAX_RXQ_PER_LCORE);
		return -1;
	}
	dp->lcores[0]->rxq[dp->lcores[0]->n_rxq++] = (struct dp_rxq){ .port_id = dp->host.port_id,
		.queue = 0, .ifidx = DP_HOST_IFIDX };
	return 0;
}

struct dp_fw_rules *
dp_fw_publish(struct dp *dp, struct dp_fw_rules *r)
{
	struct dp_fw_rules *old = __atomic_exchange_n(&dp->fw, r, __ATOMIC_ACQ_REL);

	/* Every reader that could hold old passes a quiescent state before it is freed. */
	rte_rcu_qsbr_synchronize(dp->qsbr, RTE_QSBR_THRID_INVALID);
	return old;
}

int
dp_init(struct dp *dp, const struct sbc_config *cfg, char *err, size_t errlen)
{
	uint16_t port_ids[SBC_MAX_PORTS], n_rxq[SBC_MAX_PORTS];
	char why[256];
	unsigned int i;
	size_t sz;

	memset(dp, 0, sizeof(*dp));
	dp->cfg = cfg;
	dp->tsc_hz = rte_get_tsc_hz();
	dp->ctl_txq = (uint16_t)cfg->n_dp_lcores;
	dp->sig_txq_base = (uint16_t)(cfg->n_dp_lcores + 1);
	dp->n_txq = (uint16_t)(cfg->n_dp_lcores + 1 + cfg->n_sig_lcores);
	memset(dp->ifidx_of_port, 0xff, sizeof(dp->ifidx_of_port));
	dp->ctl_stats = sbc_stats_register(rte_get_main_lcore(), SBC_ROLE_CONTROL);
	if (dp->ctl_stats == NULL) {
		snprintf(err, errlen, "out of memory for counters");
		return -1;
	}
	/* One key per process: RTCP CNAMEs are stable within a run, unrelated across runs. */
	if (sbc_hash_key_new(&dp->rtcp_key) < 0) {
		snprintf(err, errlen, "no randomness for the RTCP CNAME key");
		return -1;
	}

	for (i = 0; i < cfg->n_ports; i++) {
		bool probed;

		if (dp_port_probe(cfg->ports[i].devargs, &port_ids[i], &probed, why, sizeof(why)) < 0)
			return fail_port(err, errlen, cfg, i, "devargs", why);
		if (dp->ifidx_of_port[port_ids[i]] >= 0)
			return fail_port(err, errlen, cfg, i, "devargs",
					"same ethdev port as another entry");
		dp->ifidx_of_port[port_ids[i]] = (int16_t)i;
		dp->ifaces[i].port_id = port_ids[i];
		dp->port_open[i] = true;
		dp->port_probed[i] = probed;
		dp->n_ifaces = i + 1;
	}
	/* The pool size depends on the queue counts, which depend on the devices. */
	for (i = 0; i < cfg->n_ports; i++) {
		n_rxq[i] = dp_port_rx_queues(port_ids[i], &cfg->ports[i], cfg->n_dp_lcores);
		if (n_rxq[i] == 0)
			return fail_port(err, errlen, cfg, i, "devargs",
					"cannot read device information");
	}
	if (dp_create_pool(dp, n_rxq, err, errlen) < 0)
		return -1;
	for (i = 0; i < cfg->n_ports; i++) {
		struct rte_ether_addr mac;
		const char *key;

		if (dp_port_configure(port_ids[i], &cfg->ports[i], n_rxq[i], dp->n_txq, dp->pool,
				    &dp->rx_hints[i], why, sizeof(why), &key) < 0)
			return fail_port(err, errlen, cfg, i, key, why);
		if (rte_eth_macaddr_get(port_ids[i], &mac) != 0)
			return fail_port(err, errlen, cfg, i, "devargs", "cannot read the MAC address");
		dp_iface_init(&dp->ifaces[i], (uint16_t)i, port_ids[i], &cfg->ports[i], &mac);
	}

	sz = rte_rcu_qsbr_get_memsize(RTE_MAX_LCORE);
	dp->qsbr = rte_zmalloc("sbc_qsbr", sz, RTE_CACHE_LINE_SIZE);
	if (dp->qsbr == NULL || rte_rcu_qsbr_init(dp->qsbr, RTE_MAX_LCORE) != 0) {
		snprintf(err, errlen, "cannot create the RCU state");
		return -1;
	}
	if (dp_neigh_init(&dp->neigh, &cfg->neigh, dp->qsbr, dp->tsc_hz, (int)rte_socket_id()) < 0) {
		snprintf(err, errlen, "%s: neighbours.max_entries = %u: cannot create the "
				"neighbour table (out of memory?)", cfg->path, cfg->neigh.max_entries);
		return -1;
	}
	if (dp_setup_lcores(dp, n_rxq, err, errlen) < 0)
		return -1;
	/*
	 * One ring per signalling lcore: every dataplane lcore produces, the owner consumes.
	 * The key spreads foreign Call-IDs over them so that nobody can aim at one.
	 */
	dp->n_sig = cfg->n_sig_lcores;
	if (sbc_hash_key_new(&dp->shard_key) < 0) {
		snprintf(err, errlen, "no randomness for the signalling shard key");
		return -1;
	}
	for (i = 0; i < dp->n_sig; i++) {
		char name[RTE_RING_NAMESIZE];

		snprintf(name, sizeof(name), "sbc_sipq%u", i);
		dp->sip_ring[i] = rte_ring_create_elem(name, sizeof(struct sbc_sip_dgram),
				cfg->sip.ring_size, (int)rte_lcore_to_socket_id(cfg->sig_lcores[i]),
				RING_F_SC_DEQ);
		if (dp->sip_ring[i] == NULL) {
			snprintf(err, errlen, "%s: sip.ring_size = %u: cannot create the signalling "
					"queues: %s", cfg->path, cfg->sip.ring_size,
					rte_strerror(rte_errno));
			return -1;
		}
	}
	if (dp_flows_init(dp, cfg) < 0) {
		snprintf(err, errlen, "%s: media.port_min .. media.port_max = %u .. %u: out of "
				"memory for the relay's flow slots", cfg->path, cfg->media.port_min,
				cfg->media.port_max);
		return -1;
	}
	if (dp_fw_init(dp, err, errlen) < 0)
		return -1;
	for (i = 0; i < cfg->n_ports; i++) {
		int rc = dp_port_start(port_ids[i], cfg->ports[i].name);

		if (rc != 0) {
			snprintf(why, sizeof(why), "cannot start the port: %s", strerror(-rc));
			return fail_port(err, errlen, cfg, i, "devargs", why);
		}
		dp->port_started[i] = true;
	}
	return 0;
}

void
dp_fini(struct dp *dp)
{
	unsigned int i, p;

	for (i = 0; i < dp->n_ifaces; i++)
		if (dp->port_open[i])
			dp_port_close(dp->ifaces[i].port_id, dp->cfg->ports[i].name,
					dp->port_started[i], dp->port_probed[i]);
	dp_host_fini(dp);
	for (i = 0; i < dp->n_lcores; i++) {
		struct dp_lcore *lc = dp->lcores[i];

		if (lc == NULL)
			continue;
		for (p = 0; p < SBC_MAX_PORTS; p++)
			txb_free(lc->txb[p]);
		txb_free(lc->host_txb);
		rte_free(lc->limit.t.mem);
		dp_reasm_fini(lc);
		rte_free(lc);
		dp->lcores[i] = NULL;
	}
	for (i = 0; i < dp->n_sig; i++) {
		struct sbc_sip_dgram d;

		while (dp->sip_ring[i] != NULL &&
				rte_ring_sc_dequeue_elem(dp->sip_ring[i], &d, sizeof(d)) == 0)
			rte_pktmbuf_free(d.mbuf);
		rte_ring_free(dp->sip_ring[i]);
	}
	dp_flows_fini(dp);
	dp_fw_free(dp->fw);
	dp_blocks_fini(&dp->blocks);
	dp_neigh_fini(&dp->neigh);
	rte_free(dp->qsbr);
	rte_mempool_free(dp->pool);
	memset(dp, 0, sizeof(*dp));
}

struct dp_lcore *
dp_lcore_of(struct dp *dp, unsigned int lcore_id)
{
	unsigned int i;

	for (i = 0; i < dp->n_lcores; i++)
		if (dp->lcores[i]->lcore_id == lcore_id)
			return dp->lcores[i];
	return NULL;
}

void
dp_ctl_send(struct dp *dp, const struct dp_iface *ifc, struct rte_mbuf *m)
{
	struct sbc_port_stats *ps = &dp->ctl_stats->port[ifc->idx];
	uint32_t len = rte_pktmbuf_pkt_len(m);

	if (rte_eth_tx_burst(ifc->port_id, dp->ctl_txq, &m, 1) == 1) {
		sbc_cnt_add(&ps->tx_pkts, 1);
		sbc_cnt_add(&ps->tx_bytes, len);
		return;
	}
	sbc_cnt_add(&ps->drops[SBC_DROP_TX_FULL], 1);
	rte_pktmbuf_free(m);
}

enum sbc_drop
dp_output(struct dp *dp, uint16_t txq, const struct dp_iface *out, struct rte_mbuf *m, int v6,
		const uint8_t *dst, struct sbc_port_stats *ps)
{
	const uint8_t *nh = dp_iface_nexthop(out, v6, dst);
	struct rte_ether_addr mac;
	uint16_t len = (uint16_t)rte_pktmbuf_data_len(m);

	if (nh == NULL)
		return SBC_DROP_NO_ROUTE;
	if (dp_neigh_lookup(&dp->neigh, out->idx, v6, nh, &mac, NULL) == 0) {
		uint32_t bytes;

		if (dp_l2_encap(m, 0, len, out, &mac, v6 ? RTE_ETHER_TYPE_IPV6 :
							       RTE_ETHER_TYPE_IPV4) < 0)
			return SBC_DROP_NO_MBUF;
		bytes = rte_pktmbuf_pkt_len(m);
		if (rte_eth_tx_burst(out->port_id, txq, &m, 1) != 1)
			return SBC_DROP_TX_FULL;
		sbc_cnt_add(&ps->tx_pkts, 1);
		sbc_cnt_add(&ps->tx_bytes, bytes);
		return SBC_DROP_NONE;
	}
	return dp_neigh_post_resolve(&dp->neigh, out->idx, v6, nh, m, len) == 0 ?
			SBC_DROP_NONE :
			SBC_DROP_NEIGH_QUEUE_FULL;
}

void
dp_ctl_poll(struct dp *dp)
{
	dp_neigh_ctl_poll(dp);
}
