/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_bench.c - base dataplane rate of one lcore on net_ring.
 *
 *   dp_bench EAL-ARGUMENTS -- [--seconds N] [--runs N] [--burst N] [--scenario echo|drop]
 *   (the EAL needs two lcores: -l 0-1)
 *
 * The real dataplane (dp_init + dp_lcore_main) runs on the second lcore with one port
 * made from rings. The main lcore is the traffic generator: it allocates mbufs from the
 * dataplane's pool, copies a 64-octet template into them, enqueues them on the port's
 * RX ring as fast as the ring takes them, and frees whatever the dataplane transmits.
 * Scenarios:
 *   echo  ICMP echo requests to the SBC: parse, checksum check, reply built in place,
 *         next hop from the neighbour table, TX (the full answer path)
 *   drop  UDP to a port with no service: parse, classify, count, free
 * Rates come from the dataplane lcore's own counters: packets / elapsed time, and busy
 * TSC cycles / packets. When the dataplane lcore was idle more than 2% of the time, the
 * generator could not keep it busy, and the line says so. Each scenario runs --runs
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

#define RING_SIZE 4096
#define GEN_BURST 64

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

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seconds", required_argument, NULL, 's' },
		{ "burst", required_argument, NULL, 'b' },
		{ "runs", required_argument, NULL, 'r' },
		{ "scenario", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	struct rte_ring *rx, *tx[3];
	struct sbc_config cfg;
	struct scenario sc[2] = {
		{ .name = "echo", .what = "ICMP echo request answered (parse, verify, reply, TX)" },
		{ .name = "drop", .what = "UDP to a port with no service (parse, classify, drop)" },
	};
	struct dp *dp;
	char err[512];
	double seconds = 5;
	unsigned int burst = 32, runs = 3, dp_lcore, i, k;
	const char *only = NULL;
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
	while ((opt = getopt_long(argc, argv, "s:b:r:c:", opts, NULL)) != -1) {
		if (opt == 's')
			seconds = atof(optarg);
		else if (opt == 'b')
			burst = (unsigned int)atoi(optarg);
		else if (opt == 'r')
			runs = (unsigned int)atoi(optarg);
		else if (opt == 'c')
			only = optarg;
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
	if (rx == NULL || tx[0] == NULL || tx[1] == NULL || tx[2] == NULL ||
			rte_eth_from_rings("bench", &rx, 1, tx, 3, rte_socket_id()) < 0) {
		fprintf(stderr, "dp_bench: cannot create the ring port\n");
		return 1;
	}
	make_config(&cfg, dp_lcore, burst);
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
	       "64-octet frames, burst %u, %u runs of %.0f s per scenario, TSC %.2f GHz\n",
			dp_lcore, rte_get_main_lcore(), burst, runs, seconds,
			(double)rte_get_tsc_hz() / 1e9);
	printf("| scenario | Mpps (median) | cycles/packet (median) | Mpps (best) | "
	       "cycles/packet (best) | dataplane idle (median run) |\n");
	printf("|---|---:|---:|---:|---:|---:|\n");
	for (i = 0; i < 2; i++) {
		struct result r[99], tmp;

		if (only != NULL && strcmp(only, sc[i].name) != 0)
			continue;
		for (k = 0; k < runs; k++)
			r[k] = run(dp, &sc[i], rx, tx[0], dp_lcore, seconds);
		for (k = 1; k < runs; k++) /* insertion sort by rate, best first */
			for (n = (int)k; n > 0 && r[n].mpps > r[n - 1].mpps; n--) {
				tmp = r[n];
				r[n] = r[n - 1];
				r[n - 1] = tmp;
			}
		printf("| %s: %s | %.2f | %.1f | %.2f | %.1f | %.1f%%%s |\n", sc[i].name, sc[i].what,
				r[runs / 2].mpps, r[runs / 2].cycles, r[0].mpps, r[0].cycles,
				r[runs / 2].idle_pct,
				r[runs / 2].idle_pct > 2 ? " (generator-bound)" : "");
		fflush(stdout);
	}
	dp_fini(dp);
	free(dp);
	sbc_stats_release_all();
	for (i = 0; i < 3; i++)
		rte_ring_free(tx[i]);
	rte_ring_free(rx);
	rte_eal_cleanup();
	return 0;
}
