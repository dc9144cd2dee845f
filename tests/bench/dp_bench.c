/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_bench.c - base dataplane rate of one lcore on net_ring.
 *
 *   dp_bench EAL-ARGUMENTS -- [--seconds N] [--runs N] [--burst N] [--scenario echo|drop]
 *            [--rules N]
 *   (the EAL needs two lcores: -l 0-1)
 *
 * The real dataplane (dp_init + dp_lcore_main) runs on the second lcore with one port
 * made from rings. Two ways to feed it:
 *   prefilled  the port's RX ring is filled with 1,000,000 packets (from a pool of small
 *              mbufs) before the dataplane lcore starts; it drains them while the main
 *              lcore sleeps, so nothing else runs: the dataplane's own cost
 *   live       the main lcore generates while the dataplane runs: it allocates mbufs,
 *              copies a 64-octet template, enqueues them as fast as the ring takes
 *              them and frees what the dataplane transmits (both lcores busy, which on
 *              a machine whose CPUs share a core or a host also measures that sharing)
 * Scenarios:
 *   echo  ICMP echo requests to the SBC: parse, checksum check, reply built in place,
 *         next hop from the neighbour table, TX (the full answer path)
 *   drop  UDP to a port with no service: parse, classify, count, free
 * --rules N puts N firewall rules on the ICMP service (deny rules for random IPv4
 * sources, none of them the generator's), so that every echo request is classified
 * against them with rte_acl (and let through by the default policy): the cost of the
 * firewall on the packet path.
 * Rates come from the dataplane lcore's own counters: busy TSC cycles / packets, and
 * for live runs packets / elapsed time; for prefilled runs the rate is the TSC rate /
 * cycles per packet (what the lcore sustains while busy). When the dataplane lcore was
 * idle more than 2% of a live run, the generator could not keep it busy, and the line
 * says so. Each scenario runs --runs
 * times; the table gives the median run (by rate) and the best one, since a shared or
 * virtual machine steals cycles now and then.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "dp.h"
#include "dp_proto.h"
#include "sbc_run.h"

#define RING_SIZE (1 << 20)
#define GEN_BURST 64
#define PREFILL 1000000

static const uint8_t host_mac[6] = { 0x02, 0, 0, 0, 0, 0x10 };

struct scenario {
	const char *name;
	const char *what;
	uint8_t frame[64];
	uint16_t len;
};

static uint16_t
cksum16(const uint8_t *p, size_t n)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* 64-octet Ethernet frame (60 + no FCS) carrying IPv4 proto with an 8-octet header. */
static void
build(struct scenario *sc, const struct rte_ether_addr *us, uint8_t proto)
{
	uint8_t *f = sc->frame, *ip = f + 14, *l4 = ip + 20;
	uint16_t c;

	memset(f, 0, sizeof(sc->frame));
	memcpy(f, us->addr_bytes, 6);
	memcpy(f + 6, host_mac, 6);
	f[12] = 0x08;
	ip[0] = 0x45;
	ip[3] = 64 - 14;
	ip[8] = 64;
	ip[9] = proto;
	ip[12] = 192, ip[13] = 0, ip[14] = 2, ip[15] = 10;
	ip[16] = 192, ip[17] = 0, ip[18] = 2, ip[19] = 1;
	c = cksum16(ip, 20);
	ip[10] = (uint8_t)(c >> 8), ip[11] = (uint8_t)c;
	if (proto == IPPROTO_ICMP) {
		l4[0] = 8;
		l4[4] = 0x12;
		l4[7] = 1;
		c = cksum16(l4, 64 - 34);
		l4[2] = (uint8_t)(c >> 8), l4[3] = (uint8_t)c;
	} else {
		l4[0] = 0x13, l4[1] = 0xc4; /* 5060 */
		l4[2] = 0x13, l4[3] = 0xc5; /* 5061: nothing listens */
		l4[5] = 64 - 34;
	}
	sc->len = 64;
}

struct result {
	double mpps;
	double cycles;
	double idle_pct;
	uint64_t pkts;
	uint64_t tx;
};

static uint64_t
sum_port(const struct sbc_lcore_stats *st, int tx)
{
	return tx ? sbc_cnt_read(&st->port[0].tx_pkts) : sbc_cnt_read(&st->port[0].rx_pkts);
}

/* Runs one scenario for the given time; the dataplane runs on lcore dp_lcore. */
static struct result
run(struct dp *dp, const struct scenario *sc, struct rte_ring *rx, struct rte_ring *tx,
		unsigned int dp_lcore, double seconds)
{
	struct dp_lcore *lc = dp_lcore_of(dp, dp_lcore);
	struct sbc_lcore_stats *st = lc->st;
	struct rte_mbuf *m[GEN_BURST];
	uint64_t rx0, tx0, busy0, idle0, t0, t1, end;
	struct result r;
	unsigned int i, n;

	sbc_quit_clear();
	rx0 = sum_port(st, 0);
	tx0 = sum_port(st, 1);
	busy0 = sbc_cnt_read(&st->busy_cycles);
	idle0 = sbc_cnt_read(&st->idle_cycles);
	rte_eal_remote_launch(dp_lcore_main, lc, dp_lcore);
	t0 = rte_rdtsc();
	end = t0 + (uint64_t)(seconds * (double)rte_get_tsc_hz());
	while (rte_rdtsc() < end) {
		/* Drain what the dataplane sent, then refill its RX ring. */
		while ((n = rte_ring_sc_dequeue_burst(tx, (void **)m, GEN_BURST, NULL)) > 0)
			rte_pktmbuf_free_bulk(m, n);
		if (rte_ring_free_count(rx) < GEN_BURST)
			continue;
		if (rte_pktmbuf_alloc_bulk(dp->pool, m, GEN_BURST) != 0)
			continue;
		for (i = 0; i < GEN_BURST; i++) {
			memcpy(rte_pktmbuf_mtod(m[i], void *), sc->frame, sizeof(sc->frame));
			m[i]->data_len = m[i]->pkt_len = sc->len;
		}
		n = rte_ring_sp_enqueue_burst(rx, (void **)m, GEN_BURST, NULL);
		if (n < GEN_BURST)
			rte_pktmbuf_free_bulk(m + n, GEN_BURST - n);
	}
	t1 = rte_rdtsc();
	sbc_request_quit();
	rte_eal_wait_lcore(dp_lcore);
	while ((n = rte_ring_sc_dequeue_burst(tx, (void **)m, GEN_BURST, NULL)) > 0)
		rte_pktmbuf_free_bulk(m, n);
	while ((n = rte_ring_sc_dequeue_burst(rx, (void **)m, GEN_BURST, NULL)) > 0)
		rte_pktmbuf_free_bulk(m, n);

	r.pkts = sum_port(st, 0) - rx0;
	r.tx = sum_port(st, 1) - tx0;
	r.mpps = (double)r.pkts / ((double)(t1 - t0) / (double)rte_get_tsc_hz()) / 1e6;
	r.cycles = r.pkts ? (double)(sbc_cnt_read(&st->busy_cycles) - busy0) / (double)r.pkts : 0;
	{
		double busy = (double)(sbc_cnt_read(&st->busy_cycles) - busy0);
		double idle = (double)(sbc_cnt_read(&st->idle_cycles) - idle0);

		r.idle_pct = busy + idle > 0 ? 100.0 * idle / (busy + idle) : 0;
	}
	return r;
}

/* Fills the RX ring, lets the dataplane drain it alone, and measures its busy cycles. */
static struct result
run_prefilled(struct dp *dp, const struct scenario *sc, struct rte_ring *rx, struct rte_ring *tx,
		struct rte_mempool *gen, unsigned int dp_lcore)
{
	struct dp_lcore *lc = dp_lcore_of(dp, dp_lcore);
	struct sbc_lcore_stats *st = lc->st;
	struct rte_mbuf *m[GEN_BURST];
	uint64_t rx0, tx0, busy0;
	struct result r = { 0 };
	unsigned int i, n, filled = 0;

	while (filled < PREFILL) {
		n = RTE_MIN(GEN_BURST, PREFILL - filled);
		if (rte_pktmbuf_alloc_bulk(gen, m, n) != 0)
			break;
		for (i = 0; i < n; i++) {
			memcpy(rte_pktmbuf_mtod(m[i], void *), sc->frame, sizeof(sc->frame));
			m[i]->data_len = m[i]->pkt_len = sc->len;
		}
		rte_ring_sp_enqueue_bulk(rx, (void **)m, n, NULL);
		filled += n;
	}
	sbc_quit_clear();
	rx0 = sum_port(st, 0);
	tx0 = sum_port(st, 1);
	busy0 = sbc_cnt_read(&st->busy_cycles);
	rte_eal_remote_launch(dp_lcore_main, lc, dp_lcore);
	/* Sleep, not spin: the main lcore must not compete for the CPU. */
	while (sum_port(st, 0) - rx0 < filled)
		rte_delay_us_sleep(1000);
	sbc_request_quit();
	rte_eal_wait_lcore(dp_lcore);
	r.pkts = sum_port(st, 0) - rx0;
	r.tx = sum_port(st, 1) - tx0;
	r.cycles = r.pkts ? (double)(sbc_cnt_read(&st->busy_cycles) - busy0) / (double)r.pkts : 0;
	r.mpps = r.cycles > 0 ? (double)rte_get_tsc_hz() / r.cycles / 1e6 : 0;
	while ((n = rte_ring_sc_dequeue_burst(tx, (void **)m, GEN_BURST, NULL)) > 0)
		rte_pktmbuf_free_bulk(m, n);
	return r;
}

static void
make_config(struct sbc_config *cfg, unsigned int dp_lcore, unsigned int burst)
{
	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->path, sizeof(cfg->path), "(dp_bench)");
	cfg->n_dp_lcores = 1;
	cfg->dp_lcores[0] = dp_lcore;
	cfg->n_sig_lcores = 1; /* not launched: only its TX queue exists, as in sbcd */
	cfg->sig_lcores[0] = RTE_MAX_LCORE - 1;
	cfg->n_ports = 1;
	snprintf(cfg->ports[0].name, sizeof(cfg->ports[0].name), "bench");
	snprintf(cfg->ports[0].devargs, sizeof(cfg->ports[0].devargs), "net_ring_bench");
	cfg->ports[0].mtu = 1500;
	cfg->ports[0].rx_desc = 1024;
	cfg->ports[0].tx_desc = 1024;
	sbc_ip_parse("192.0.2.1/24", AF_INET, true, &cfg->ports[0].addr4[0]);
	cfg->ports[0].n_addr4 = 1;
	sbc_ip_parse("2001:db8:a::1/64", AF_INET6, true, &cfg->ports[0].addr6[0]);
	cfg->ports[0].n_addr6 = 1;
	cfg->dp = (struct sbc_dp_cfg){ .burst = burst, .idle_polls = 100, .idle_max_us = 100,
		.tx_drain_us = 100 };
	cfg->neigh = (struct sbc_neigh_cfg){ .max_entries = 4096, .reachable_s = 86400,
		.stale_s = 86400, .retransmit_ms = 1000, .probes = 3 };
}

/* n ICMP deny rules for random /32 sources (never 192.0.2.10, the generator's). */
static int
add_rules(struct sbc_config *cfg, unsigned int n)
{
	struct sbc_fw_svc_cfg *sc = &cfg->fw.svc[SBC_FW_ICMP];
	uint32_t x = 2463534242u;
	unsigned int i;

	if (n == 0)
		return 0;
	sc->rules = calloc(n, sizeof(*sc->rules));
	sc->srcs = calloc(n, sizeof(*sc->srcs));
	if (sc->rules == NULL || sc->srcs == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		sc->srcs[i].family = AF_INET;
		sc->srcs[i].plen = 32;
		memcpy(sc->srcs[i].a, &x, 4);
		sc->srcs[i].a[0] = (uint8_t)(sc->srcs[i].a[0] == 192 ? 193 : sc->srcs[i].a[0]);
		sc->rules[i] = (struct sbc_fw_rule){ .src_off = i, .n_src = 1, .port_hi = 65535,
			.ifidx = -1, .action = SBC_FW_DENY };
	}
	sc->n_rules = sc->n_srcs = n;
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seconds", required_argument, NULL, 's' },
		{ "burst", required_argument, NULL, 'b' },
		{ "runs", required_argument, NULL, 'r' },
		{ "scenario", required_argument, NULL, 'c' },
		{ "rules", required_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 },
	};
	struct rte_ring *rx, *tx[3];
	struct sbc_config cfg;
	struct scenario sc[2] = {
		{ .name = "echo", .what = "ICMP echo request answered (parse, verify, reply, TX)" },
		{ .name = "drop", .what = "UDP to a port with no service (parse, classify, drop)" },
	};
	struct rte_mempool *gen;
	struct dp *dp;
	char err[512];
	double seconds = 5;
	unsigned int burst = 32, runs = 3, dp_lcore, i, k;
	const char *only = NULL;
	unsigned int n_rules = 0;
	int opt, n;
	const uint8_t host_ip[4] = { 192, 0, 2, 10 };
	struct rte_ether_addr hm;

	n = rte_eal_init(argc, argv);
	if (n < 0) {
		fprintf(stderr, "dp_bench: EAL initialisation failed\n");
		return 1;
	}
	argc -= n;
	argv += n;
	while ((opt = getopt_long(argc, argv, "s:b:r:c:R:", opts, NULL)) != -1) {
		if (opt == 's')
			seconds = atof(optarg);
		else if (opt == 'b')
			burst = (unsigned int)atoi(optarg);
		else if (opt == 'r')
			runs = (unsigned int)atoi(optarg);
		else if (opt == 'c')
			only = optarg;
		else if (opt == 'R')
			n_rules = (unsigned int)atoi(optarg);
		else
			return 2;
	}
	if (runs == 0 || runs > 99) {
		fprintf(stderr, "dp_bench: --runs 1-99\n");
		return 2;
	}
	dp_lcore = rte_get_next_lcore(rte_get_main_lcore(), 1, 0);
	if (dp_lcore >= RTE_MAX_LCORE || seconds <= 0 || burst == 0 || burst > 256) {
		fprintf(stderr, "dp_bench: needs two lcores (-l 0-1), --seconds > 0, --burst 1-256\n");
		return 2;
	}
	rx = rte_ring_create("bench_rx", RING_SIZE, (int)rte_socket_id(), RING_F_SP_ENQ | RING_F_SC_DEQ);
	for (i = 0; i < 3; i++) {
		char name[32];

		snprintf(name, sizeof(name), "bench_tx%u", i);
		tx[i] = rte_ring_create(name, RING_SIZE, (int)rte_socket_id(),
				RING_F_SP_ENQ | RING_F_SC_DEQ);
	}
	gen = rte_pktmbuf_pool_create("bench_gen", PREFILL + 4096, 256, 0,
			RTE_PKTMBUF_HEADROOM + 128, (int)rte_socket_id());
	if (gen == NULL) {
		fprintf(stderr, "dp_bench: no memory for %u prefilled packets\n", PREFILL);
		return 1;
	}
	if (rx == NULL || tx[0] == NULL || tx[1] == NULL || tx[2] == NULL ||
			rte_eth_from_rings("bench", &rx, 1, tx, 3, rte_socket_id()) < 0) {
		fprintf(stderr, "dp_bench: cannot create the ring port\n");
		return 1;
	}
	make_config(&cfg, dp_lcore, burst);
	if (add_rules(&cfg, n_rules) < 0) {
		fprintf(stderr, "dp_bench: no memory for %u rules\n", n_rules);
		return 1;
	}
	dp = calloc(1, sizeof(*dp));
	if (dp == NULL || dp_init(dp, &cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "dp_bench: %s\n", dp ? err : "out of memory");
		return 1;
	}
	memcpy(hm.addr_bytes, host_mac, 6);
	dp_neigh_learn(dp, 0, 0, host_ip, &hm,
			DP_LEARN_UPDATE | DP_LEARN_CREATE | DP_LEARN_CONFIRM | DP_LEARN_OVERRIDE);
	build(&sc[0], &dp->ifaces[0].mac, IPPROTO_ICMP);
	build(&sc[1], &dp->ifaces[0].mac, IPPROTO_UDP);

	printf("# dp_bench: one dataplane lcore (%u), generator on lcore %u, net_ring, "
	       "64-octet frames, burst %u, %u runs per line (prefilled: %u packets each; live: "
	       "%.0f s each), TSC %.2f GHz, %u firewall rules on ICMP (%s)\n",
			dp_lcore, rte_get_main_lcore(), burst, runs, PREFILL, seconds,
			(double)rte_get_tsc_hz() / 1e9, n_rules, dp_fw_alg_name(dp->fw));
	printf("| scenario | feed | Mpps (median) | cycles/packet (median) | Mpps (best) | "
	       "cycles/packet (best) | dataplane idle (median run) |\n");
	printf("|---|---|---:|---:|---:|---:|---:|\n");
	for (i = 0; i < 4; i++) {
		const struct scenario *c = &sc[i % 2];
		bool live = i >= 2;
		struct result r[99], tmp;
		char idle[48];

		if (only != NULL && strcmp(only, c->name) != 0)
			continue;
		for (k = 0; k < runs; k++)
			r[k] = live ? run(dp, c, rx, tx[0], dp_lcore, seconds) :
				      run_prefilled(dp, c, rx, tx[0], gen, dp_lcore);
		for (k = 1; k < runs; k++) /* insertion sort by rate, best first */
			for (n = (int)k; n > 0 && r[n].mpps > r[n - 1].mpps; n--) {
				tmp = r[n];
				r[n] = r[n - 1];
				r[n - 1] = tmp;
			}
		if (live)
			snprintf(idle, sizeof(idle), "%.1f%%%s", r[runs / 2].idle_pct,
					r[runs / 2].idle_pct > 2 ? " (generator-bound)" : "");
		else
			snprintf(idle, sizeof(idle), "-");
		printf("| %s: %s | %s | %.2f | %.1f | %.2f | %.1f | %s |\n", c->name, c->what,
				live ? "live generator" : "prefilled 1M", r[runs / 2].mpps,
				r[runs / 2].cycles, r[0].mpps, r[0].cycles, idle);
		fflush(stdout);
	}
	dp_fini(dp);
	free(dp);
	sbc_config_free(&cfg);
	sbc_stats_release_all();
	for (i = 0; i < 3; i++)
		rte_ring_free(tx[i]);
	rte_ring_free(rx);
	rte_mempool_free(gen);
	rte_eal_cleanup();
	return 0;
}
