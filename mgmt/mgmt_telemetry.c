/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mgmt_telemetry.c - /sbc/ telemetry commands.
 *
 * Commands (parameters after a comma):
 *   /sbc/info                 version, uptime, lcores, ports
 *   /sbc/ports                port names, in configuration order
 *   /sbc/port/stats,NAME|IDX  rx/tx, drops by reason, events, ethdev counters
 *   /sbc/lcores               lcore ids with a role
 *   /sbc/lcore/stats,ID       role, busy/idle cycles, polls, packets, cycles/packet
 *   /sbc/drops                drops by reason summed over ports and lcores
 *   /sbc/neigh                neighbour table: {"N": {port, ip, mac, state}} (first 256)
 *   /sbc/sip                  calls, transactions, flows, memory, mbufs in use; call
 *                             outcomes; CPU of the signalling lcores per call
 *   /sbc/media/flows          active relay flows {"PORT_RELAYPORT": counters} (first 256)
 *
 * Concurrency: callbacks run on the EAL telemetry thread. They only read: counters
 * with relaxed atomic loads (sbc_stats.h), neighbour entries through dp_neigh_walk(),
 * flow rules as an RCU QSBR reader with a thread id of its own (online only while it
 * reads, so it never holds up the signalling lcores that free replaced rules).
 * The one lock here, mgmt_tel_lock, keeps a callback from running while the main thread
 * detaches the dataplane at shutdown; no packet-path thread ever takes it.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_rcu_qsbr.h>
#include <rte_telemetry.h>

#include "b2b.h"
#include "dp_flow.h"
#include "mgmt_telemetry.h"
#include "sbc_addr.h"
#include "sbc_build.h"
#include "sbc_stats.h"
#include "sig_txn.h"

pthread_mutex_t mgmt_tel_lock = PTHREAD_MUTEX_INITIALIZER;
const struct sbc_config *mgmt_tel_cfg;
static unsigned int tel_rcu_id = RTE_MAX_LCORE; /* RCU reader id; RTE_MAX_LCORE: none */
static struct dp *tel_dp;
static uint64_t start_tsc;

/* Finds the port named by params (a name or an index); returns its index or -1. */
static int
port_param(const char *params)
{
	char *end;
	long v;

	if (params == NULL || *params == '\0')
		return -1;
	v = strtol(params, &end, 10);
	if (*end == '\0' && v >= 0 && (unsigned long)v < mgmt_tel_cfg->n_ports)
		return (int)v;
	return sbc_config_port_index(mgmt_tel_cfg, params);
}

/* Sums one port's counters over every lcore. */
static void
port_sum(unsigned int idx, struct sbc_port_stats *sum)
{
	unsigned int l, k;

	memset(sum, 0, sizeof(*sum));
	for (l = 0; l < SBC_MAX_LCORES; l++) {
		const struct sbc_lcore_stats *st = sbc_stats_get(l);
		const struct sbc_port_stats *ps;

		if (st == NULL)
			continue;
		ps = &st->port[idx];
		sum->rx_pkts += sbc_cnt_read(&ps->rx_pkts);
		sum->rx_bytes += sbc_cnt_read(&ps->rx_bytes);
		sum->tx_pkts += sbc_cnt_read(&ps->tx_pkts);
		sum->tx_bytes += sbc_cnt_read(&ps->tx_bytes);
		for (k = 1; k < SBC_DROP_MAX; k++)
			sum->drops[k] += sbc_cnt_read(&ps->drops[k]);
		for (k = 0; k < SBC_EV_MAX; k++)
			sum->events[k] += sbc_cnt_read(&ps->events[k]);
	}
}

static uint64_t
drops_total(const struct sbc_port_stats *ps)
{
	uint64_t t = 0;
	unsigned int k;

	for (k = 1; k < SBC_DROP_MAX; k++)
		t += ps->drops[k];
	return t;
}

static void
add_drops(struct rte_tel_data *d, const uint64_t *drops)
{
	unsigned int k;

	rte_tel_data_start_dict(d);
	for (k = 1; k < SBC_DROP_MAX; k++)
		rte_tel_data_add_dict_u64(d, sbc_drop_name(k), drops[k]);
}

static int
cmd_info(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct rte_tel_data *dpl, *sigl;
	unsigned int i;

	(void)cmd;
	(void)params;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "version", SBC_VERSION);
	rte_tel_data_add_dict_string(d, "config", mgmt_tel_cfg->path);
	rte_tel_data_add_dict_u64(d, "uptime_s", (rte_rdtsc() - start_tsc) / rte_get_tsc_hz());
	rte_tel_data_add_dict_u64(d, "tsc_hz", rte_get_tsc_hz());
	rte_tel_data_add_dict_int(d, "main_lcore", (int)rte_get_main_lcore());
	rte_tel_data_add_dict_int(d, "ports", (int)mgmt_tel_cfg->n_ports);
	dpl = rte_tel_data_alloc();
	sigl = rte_tel_data_alloc();
	if (dpl == NULL || sigl == NULL) {
		rte_tel_data_free(dpl);
		rte_tel_data_free(sigl);
		return -1;
	}
	rte_tel_data_start_array(dpl, RTE_TEL_INT_VAL);
	rte_tel_data_start_array(sigl, RTE_TEL_INT_VAL);
	for (i = 0; i < mgmt_tel_cfg->n_dp_lcores; i++)
		rte_tel_data_add_array_int(dpl, (int)mgmt_tel_cfg->dp_lcores[i]);
	for (i = 0; i < mgmt_tel_cfg->n_sig_lcores; i++)
		rte_tel_data_add_array_int(sigl, (int)mgmt_tel_cfg->sig_lcores[i]);
	rte_tel_data_add_dict_container(d, "dataplane_lcores", dpl, 0);
	rte_tel_data_add_dict_container(d, "signalling_lcores", sigl, 0);
	return 0;
}

static int
cmd_ports(const char *cmd, const char *params, struct rte_tel_data *d)
{
	unsigned int i;

	(void)cmd;
	(void)params;
	rte_tel_data_start_array(d, RTE_TEL_STRING_VAL);
	for (i = 0; i < mgmt_tel_cfg->n_ports; i++)
		rte_tel_data_add_array_string(d, mgmt_tel_cfg->ports[i].name);
	return 0;
}

static int
cmd_port_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct dp_iface *ifc;
	struct sbc_port_stats sum;
	struct rte_eth_stats es;
	struct rte_tel_data *drops, *events;
	char mac[RTE_ETHER_ADDR_FMT_SIZE];
	unsigned int k;
	int idx = port_param(params);

	(void)cmd;
	if (idx < 0)
		return -1;
	ifc = &tel_dp->ifaces[idx];
	port_sum((unsigned int)idx, &sum);
	drops = rte_tel_data_alloc();
	events = rte_tel_data_alloc();
	if (drops == NULL || events == NULL) {
		rte_tel_data_free(drops);
		rte_tel_data_free(events);
		return -1;
	}
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "name", ifc->name);
	rte_tel_data_add_dict_int(d, "ethdev", ifc->port_id);
	rte_ether_format_addr(mac, sizeof(mac), &ifc->mac);
	rte_tel_data_add_dict_string(d, "mac", mac);
	rte_tel_data_add_dict_u64(d, "rx_pkts", sum.rx_pkts);
	rte_tel_data_add_dict_u64(d, "rx_bytes", sum.rx_bytes);
	rte_tel_data_add_dict_u64(d, "tx_pkts", sum.tx_pkts);
	rte_tel_data_add_dict_u64(d, "tx_bytes", sum.tx_bytes);
	rte_tel_data_add_dict_u64(d, "drops_total", drops_total(&sum));
	if (rte_eth_stats_get(ifc->port_id, &es) == 0) {
		rte_tel_data_add_dict_u64(d, "eth_ipackets", es.ipackets);
		rte_tel_data_add_dict_u64(d, "eth_opackets", es.opackets);
		rte_tel_data_add_dict_u64(d, "eth_imissed", es.imissed);
		rte_tel_data_add_dict_u64(d, "eth_ierrors", es.ierrors);
		rte_tel_data_add_dict_u64(d, "eth_oerrors", es.oerrors);
		rte_tel_data_add_dict_u64(d, "eth_rx_nombuf", es.rx_nombuf);
	}
	add_drops(drops, sum.drops);
	rte_tel_data_start_dict(events);
	for (k = 0; k < SBC_EV_MAX; k++)
		rte_tel_data_add_dict_u64(events, sbc_event_name(k), sum.events[k]);
	rte_tel_data_add_dict_container(d, "drops", drops, 0);
	rte_tel_data_add_dict_container(d, "events", events, 0);
	return 0;
}

static int
cmd_lcores(const char *cmd, const char *params, struct rte_tel_data *d)
{
	unsigned int l;

	(void)cmd;
	(void)params;
	rte_tel_data_start_array(d, RTE_TEL_INT_VAL);
	for (l = 0; l < SBC_MAX_LCORES; l++)
		if (sbc_stats_get(l) != NULL)
			rte_tel_data_add_array_int(d, (int)l);
	return 0;
}

static int
cmd_lcore_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct sbc_lcore_stats *st;
	uint64_t busy, idle, rx = 0, tx = 0;
	unsigned int p;
	char *end;
	long l;

	(void)cmd;
	if (params == NULL || *params == '\0')
		return -1;
	l = strtol(params, &end, 10);
	if (*end != '\0' || l < 0 || (st = sbc_stats_get((unsigned int)l)) == NULL)
		return -1;
	for (p = 0; p < SBC_MAX_PORTS; p++) {
		rx += sbc_cnt_read(&st->port[p].rx_pkts);
		tx += sbc_cnt_read(&st->port[p].tx_pkts);
	}
	busy = sbc_cnt_read(&st->busy_cycles);
	idle = sbc_cnt_read(&st->idle_cycles);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_int(d, "lcore", (int)l);
	rte_tel_data_add_dict_string(d, "role", sbc_role_name(st->role));
	rte_tel_data_add_dict_u64(d, "busy_cycles", busy);
	rte_tel_data_add_dict_u64(d, "idle_cycles", idle);
	rte_tel_data_add_dict_u64(d, "sleep_cycles", sbc_cnt_read(&st->sleep_cycles));
	rte_tel_data_add_dict_u64(d, "polls", sbc_cnt_read(&st->polls));
	rte_tel_data_add_dict_u64(d, "busy_polls", sbc_cnt_read(&st->busy_polls));
	rte_tel_data_add_dict_u64(d, "sleeps", sbc_cnt_read(&st->sleeps));
	rte_tel_data_add_dict_u64(d, "rx_pkts", rx);
	rte_tel_data_add_dict_u64(d, "tx_pkts", tx);
	rte_tel_data_add_dict_u64(d, "busy_pct_x100",
			busy + idle ? busy * 10000 / (busy + idle) : 0);
	rte_tel_data_add_dict_u64(d, "busy_cycles_per_rx_pkt", rx ? busy / rx : 0);
	return 0;
}

static int
cmd_drops(const char *cmd, const char *params, struct rte_tel_data *d)
{
	uint64_t total[SBC_DROP_MAX] = { 0 };
	struct sbc_port_stats sum;
	unsigned int i, k;

	(void)cmd;
	(void)params;
	for (i = 0; i < mgmt_tel_cfg->n_ports; i++) {
		port_sum(i, &sum);
		for (k = 1; k < SBC_DROP_MAX; k++)
			total[k] += sum.drops[k];
	}
	add_drops(d, total);
	return 0;
}

struct neigh_walk {
	struct rte_tel_data *dict;
	unsigned int n;
};

/*
 * DPDK 22.11 nests dicts only inside dicts, and dict keys allow only [0-9A-Za-z_/]:
 * entries are keyed by their sequence number.
 */
static void
neigh_one(const struct dp_neigh_entry *e, uint8_t state, const struct rte_ether_addr *mac,
		void *arg)
{
	static const char *const names[] = { "free", "incomplete", "reachable", "stale" };
	struct neigh_walk *w = arg;
	struct rte_tel_data *ent;
	struct sbc_ip ip = { .family = e->key.v6 ? AF_INET6 : AF_INET };
	char addr[SBC_IP_STRLEN], key[RTE_TEL_MAX_STRING_LEN], macs[RTE_ETHER_ADDR_FMT_SIZE];

	if (w->n >= RTE_TEL_MAX_DICT_ENTRIES || e->key.ifidx >= mgmt_tel_cfg->n_ports ||
			(ent = rte_tel_data_alloc()) == NULL)
		return;
	memcpy(ip.a, e->key.addr, e->key.v6 ? 16 : 4);
	snprintf(key, sizeof(key), "%u", w->n);
	rte_ether_format_addr(macs, sizeof(macs), mac);
	rte_tel_data_start_dict(ent);
	rte_tel_data_add_dict_string(ent, "port", mgmt_tel_cfg->ports[e->key.ifidx].name);
	rte_tel_data_add_dict_string(ent, "ip", sbc_ip_format(&ip, false, addr, sizeof(addr)));
	rte_tel_data_add_dict_string(ent, "mac", state == DP_NEIGH_INCOMPLETE ? "" : macs);
	rte_tel_data_add_dict_string(ent, "state", state < RTE_DIM(names) ? names[state] : "?");
	if (rte_tel_data_add_dict_container(w->dict, key, ent, 0) == 0)
		w->n++;
	else
		rte_tel_data_free(ent);
}

static int
cmd_neigh(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct neigh_walk w = { .dict = d };

	(void)cmd;
	(void)params;
	rte_tel_data_start_dict(d);
	dp_neigh_walk(&tel_dp->neigh, neigh_one, &w);
	return 0;
}

static void
add_ends(struct rte_tel_data *d, const uint64_t *v)
{
	unsigned int k;

	rte_tel_data_start_dict(d);
	for (k = 0; k < SBC_END_MAX; k++)
		rte_tel_data_add_dict_u64(d, sbc_call_end_name(k), v[k]);
}

static int
cmd_sip(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct sbc_sig_stats sum;
	struct rte_tel_data *ended, *withdrawn;
	uint64_t busy = 0, *out = (uint64_t *)&sum;
	unsigned int l, k;

	(void)cmd;
	(void)params;
	memset(&sum, 0, sizeof(sum));
	for (l = 0; l < SBC_MAX_LCORES; l++) {
		const struct sbc_lcore_stats *st = sbc_stats_get(l);
		const uint64_t *in;

		if (st == NULL || st->role != SBC_ROLE_SIGNALLING)
			continue;
		in = (const uint64_t *)&st->sig;
		for (k = 0; k < sizeof(sum) / sizeof(uint64_t); k++)
			out[k] += sbc_cnt_read(&in[k]);
		busy += sbc_cnt_read(&st->busy_cycles);
	}
	ended = rte_tel_data_alloc();
	withdrawn = rte_tel_data_alloc();
	if (ended == NULL || withdrawn == NULL) {
		rte_tel_data_free(ended);
		rte_tel_data_free(withdrawn);
		return -1;
	}
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "calls_active", sum.calls_active);
	rte_tel_data_add_dict_u64(d, "transactions_active", sum.txns_active);
	rte_tel_data_add_dict_u64(d, "flows_active", sum.flows_active);
	rte_tel_data_add_dict_u64(d, "memory_bytes", sum.mem_bytes);
	/* Sizes of the preallocated objects, for memory per call: (calls * call_bytes +
	 * transactions * transaction_bytes + flows * flow_slot_bytes + memory_bytes) / calls. */
	rte_tel_data_add_dict_u64(d, "call_bytes", sizeof(struct b2b_call));
	rte_tel_data_add_dict_u64(d, "transaction_bytes", sizeof(struct sig_txn));
	rte_tel_data_add_dict_u64(d, "flow_slot_bytes", sizeof(struct dp_flow));
	rte_tel_data_add_dict_u64(d, "mbufs_in_use", rte_mempool_in_use_count(tel_dp->pool));
	rte_tel_data_add_dict_u64(d, "mbufs_total", tel_dp->pool->size);
	rte_tel_data_add_dict_u64(d, "calls_offered", sum.calls_offered);
	rte_tel_data_add_dict_u64(d, "calls_answered", sum.calls_answered);
	rte_tel_data_add_dict_u64(d, "calls_overload", sum.calls_overload);
	rte_tel_data_add_dict_u64(d, "retransmissions", sum.retransmissions);
	rte_tel_data_add_dict_u64(d, "retransmissions_rx", sum.retransmissions_rx);
	rte_tel_data_add_dict_u64(d, "transaction_timeouts", sum.txn_timeouts);
	rte_tel_data_add_dict_u64(d, "stray", sum.stray);
	rte_tel_data_add_dict_u64(d, "no_relay_port", sum.no_relay_port);
	rte_tel_data_add_dict_u64(d, "no_memory", sum.no_memory);
	rte_tel_data_add_dict_u64(d, "busy_cycles", busy);
	rte_tel_data_add_dict_u64(d, "tx_cycles", sum.tx_cycles);
	rte_tel_data_add_dict_u64(d, "msg_cycles", sum.msg_cycles);
	/*
	 * CPU per call: busy time of the signalling lcores over the calls they handled, and
	 * the part of it spent in the ports' transmit function (with net_af_packet a sendto
	 * that also carries the kernel's delivery to the peer: a lab cost, not a NIC's).
	 */
	rte_tel_data_add_dict_u64(d, "busy_ns_per_call",
			sum.calls_offered ? busy * 1000000000ull / rte_get_tsc_hz() / sum.calls_offered :
					    0);
	rte_tel_data_add_dict_u64(d, "msg_ns_per_call",
			sum.calls_offered ? sum.msg_cycles * 1000000000ull / rte_get_tsc_hz() /
							sum.calls_offered :
					    0);
	rte_tel_data_add_dict_u64(d, "tx_ns_per_call",
			sum.calls_offered ? sum.tx_cycles * 1000000000ull / rte_get_tsc_hz() /
							sum.calls_offered :
					    0);
	add_ends(ended, sum.calls_ended);
	add_ends(withdrawn, sum.flows_withdrawn);
	rte_tel_data_add_dict_container(d, "calls_ended", ended, 0);
	rte_tel_data_add_dict_container(d, "flows_withdrawn", withdrawn, 0);
	return 0;
}

/* One active flow: where it expects media from and sends it to, and its counters. */
static int
flow_entry(struct rte_tel_data *ent, const struct dp_flow *f, const struct dp_flow_cfg *c)
{
	struct sbc_ip ip;
	char a[SBC_IP_STRLEN];
	uint32_t expected, received, jitter;
	int32_t lost;

	rte_tel_data_start_dict(ent);
	ip.family = c->in_v6 ? AF_INET6 : AF_INET;
	memcpy(ip.a, c->peer_ip, 16);
	rte_tel_data_add_dict_string(ent, "peer", sbc_ip_format(&ip, false, a, sizeof(a)));
	rte_tel_data_add_dict_int(ent, "peer_port", rte_be_to_cpu_16(c->peer_port));
	rte_tel_data_add_dict_string(ent, "out_port", mgmt_tel_cfg->ports[c->out_ifidx].name);
	if (c->has_dst) {
		ip.family = c->out_v6 ? AF_INET6 : AF_INET;
		memcpy(ip.a, c->dst_ip, 16);
		rte_tel_data_add_dict_string(ent, "dst", sbc_ip_format(&ip, false, a, sizeof(a)));
		rte_tel_data_add_dict_int(ent, "dst_port", rte_be_to_cpu_16(c->dst_port));
		memcpy(ip.a, c->src_ip, 16);
		rte_tel_data_add_dict_string(ent, "src", sbc_ip_format(&ip, false, a, sizeof(a)));
		rte_tel_data_add_dict_int(ent, "src_port", rte_be_to_cpu_16(c->src_port));
	}
	rte_tel_data_add_dict_int(ent, "call", (int)c->call);
	rte_tel_data_add_dict_int(ent, "rtp", !!(c->flags & DP_FLOW_RTP));
	rte_tel_data_add_dict_int(ent, "rtcp_scrub", !!(c->flags & DP_FLOW_RTCP_SCRUB));
	rte_tel_data_add_dict_int(ent, "nat", c->nat);
	rte_tel_data_add_dict_int(ent, "latched",
			__atomic_load_n(&f->latch_epoch, __ATOMIC_RELAXED) == c->latch_epoch);
	rte_tel_data_add_dict_u64(ent, "pkts", __atomic_load_n(&f->pkts, __ATOMIC_RELAXED));
	rte_tel_data_add_dict_u64(ent, "bytes", __atomic_load_n(&f->bytes, __ATOMIC_RELAXED));
	rte_tel_data_add_dict_u64(ent, "drop_source",
			__atomic_load_n(&f->drop_src, __ATOMIC_RELAXED));
	rte_tel_data_add_dict_u64(ent, "drop_other",
			__atomic_load_n(&f->drop_other, __ATOMIC_RELAXED));
	if (c->flags & DP_FLOW_RTP) {
		dp_flow_rtp_report(f, &expected, &received, &lost, &jitter);
		rte_tel_data_add_dict_u64(ent, "rtp_expected", expected);
		rte_tel_data_add_dict_u64(ent, "rtp_received", received);
		rte_tel_data_add_dict_int(ent, "rtp_lost", lost);
		rte_tel_data_add_dict_u64(ent, "rtp_jitter", jitter);
	}
	return 0;
}

static int
cmd_flows(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct dp_flows *fl = &tel_dp->flows;
	unsigned int i, k, n = 0;
	char key[RTE_TEL_MAX_STRING_LEN];

	(void)cmd;
	(void)params;
	rte_tel_data_start_dict(d);
	if (tel_rcu_id >= RTE_MAX_LCORE)
		return 0;
	rte_rcu_qsbr_thread_online(tel_dp->qsbr, tel_rcu_id);
	for (i = 0; i < SBC_MAX_PORTS && n < RTE_TEL_MAX_DICT_ENTRIES; i++) {
		if (fl->slot[i] == NULL)
			continue;
		for (k = 0; k < fl->n_ports && n < RTE_TEL_MAX_DICT_ENTRIES; k++) {
			const struct dp_flow *f = &fl->slot[i][k];
			const struct dp_flow_cfg *c = __atomic_load_n(&f->cfg, __ATOMIC_ACQUIRE);
			struct rte_tel_data *ent;

			if (c == NULL || (ent = rte_tel_data_alloc()) == NULL)
				continue;
			flow_entry(ent, f, c);
			snprintf(key, sizeof(key), "%s_%u", mgmt_tel_cfg->ports[i].name, fl->port_min + k);
			if (rte_tel_data_add_dict_container(d, key, ent, 0) == 0)
				n++;
			else
				rte_tel_data_free(ent);
		}
	}
	rte_rcu_qsbr_thread_offline(tel_dp->qsbr, tel_rcu_id);
	return 0;
}

MGMT_TEL_LOCKED(cmd_info)
MGMT_TEL_LOCKED(cmd_ports)
MGMT_TEL_LOCKED(cmd_port_stats)
MGMT_TEL_LOCKED(cmd_lcores)
MGMT_TEL_LOCKED(cmd_lcore_stats)
MGMT_TEL_LOCKED(cmd_drops)
MGMT_TEL_LOCKED(cmd_neigh)
MGMT_TEL_LOCKED(cmd_sip)
MGMT_TEL_LOCKED(cmd_flows)

int
mgmt_telemetry_init(struct dp *dp, const struct sbc_config *cfg)
{
	static const struct mgmt_tel_cmd cmds[] = {
		{ "/sbc/info", cmd_info_locked, "sbcd version, uptime, lcores and ports" },
		{ "/sbc/ports", cmd_ports_locked, "Port names in configuration order" },
		{ "/sbc/port/stats", cmd_port_stats_locked,
				"Counters of one port. Parameter: port name or index" },
		{ "/sbc/lcores", cmd_lcores_locked, "Lcores that have a role" },
		{ "/sbc/lcore/stats", cmd_lcore_stats_locked,
				"Busy/idle cycles and packets of one lcore. Parameter: lcore id" },
		{ "/sbc/drops", cmd_drops_locked, "Drops by reason over all ports" },
		{ "/sbc/neigh", cmd_neigh_locked, "Neighbour (ARP/ND) table" },
		{ "/sbc/sip", cmd_sip_locked,
				"Calls, transactions, flows, memory and mbufs in use; call outcomes" },
		{ "/sbc/media/flows", cmd_flows_locked, "Active media relay flows (first 256)" },
	};
	unsigned int i;

	pthread_mutex_lock(&mgmt_tel_lock);
	tel_dp = dp;
	mgmt_tel_cfg = cfg;
	start_tsc = rte_rdtsc();
	/* An RCU reader id no lcore has: the highest one not enabled. */
	for (i = RTE_MAX_LCORE; i-- > 0;)
		if (!rte_lcore_is_enabled(i)) {
			if (rte_rcu_qsbr_thread_register(dp->qsbr, i) == 0)
				tel_rcu_id = i;
			break;
		}
	pthread_mutex_unlock(&mgmt_tel_lock);
	return mgmt_tel_register(cmds, RTE_DIM(cmds));
}

int
mgmt_tel_register(const struct mgmt_tel_cmd *cmds, unsigned int n)
{
	unsigned int i;
	int rc;

	for (i = 0; i < n; i++) {
		rc = rte_telemetry_register_cmd(cmds[i].name, cmds[i].fn, cmds[i].help);
		/* A second init in one process (tests) finds the commands already there. */
		if (rc != 0 && rc != -EINVAL)
			return rc;
	}
	return 0;
}

void
mgmt_telemetry_stop(void)
{
	pthread_mutex_lock(&mgmt_tel_lock);
	if (tel_dp != NULL && tel_rcu_id < RTE_MAX_LCORE)
		rte_rcu_qsbr_thread_unregister(tel_dp->qsbr, tel_rcu_id);
	tel_rcu_id = RTE_MAX_LCORE;
	tel_dp = NULL;
	mgmt_tel_cfg = NULL;
	pthread_mutex_unlock(&mgmt_tel_lock);
}
