/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * relay_bench.c - media relay rate of one dataplane lcore with many active flows.
 *
 *   relay_bench EAL-ARGUMENTS -- [--flows N[,N...]] [--family v4|x] [--seconds N]
 *                                 [--runs N] [--burst N] [--prefill N]
 *   (the EAL needs two lcores: -l 0-1)
 *
 * The real dataplane (dp_init + dp_lcore_main) runs on the second lcore with two ports
 * made from rings, "access" and "core", as in the lab. N flows are installed the way a
 * signalling lcore installs them (dp_flow_reset + dp_flow_publish): half on each port,
 * in pairs, one pair per call leg direction, each expecting one announced source
 * (200 hosts per side, distinct ports) and sending to a host on the other side. The
 * frames are G.711 RTP: 14 + 20 + 8 + 12 + 160 = 214 octets (IPv6: 234).
 *
 * Every packet goes to a different flow: the flows are visited in a random order,
 * the same order each pass, and a flow's RTP sequence number and timestamp advance by
 * one packet (1, 160) per pass, so the dataplane's RFC 3550 statistics see a clean
 * stream and the flow table is touched as a busy carrier's would be: no two
 * consecutive packets share a flow's cache lines.
 *
 * Two feeds, as in dp_bench:
 *   prefilled  --prefill packets in the RX rings before the dataplane starts; it drains
 *              them alone (the main lcore sleeps): the relay's own cost, mbufs cold
 *   live       the main lcore recycles what the dataplane transmitted: it takes each
 *              forwarded packet from the TX rings, rewrites its headers (42 octets, and
 *              the 12-octet RTP header) into the next flow's packet, and puts it back
 *              into the RX ring of that flow's port; the 160-octet payload stays
 * Families: v4 (both legs IPv4, rewrite in place, incremental checksums) or x (access
 * leg IPv4, core leg IPv6: each packet gets a new IP header; its UDP checksum is updated).
 * Cycles per packet come from the dataplane lcore's busy-cycle counter.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_udp.h>

#include "bench_ring.h"
#include "dp.h"
#include "dp_flow.h"
#include "dp_proto.h"
#include "sbc_run.h"

#define RING_SIZE (1 << 21)
#define N_TXQ 3
#define BURST 64
#define HOSTS 200 /* .10 to .209 */
#define PORT_MIN 10000
#define PAYLOAD 160
#define MAX_SIZES 8
#define IN_FLIGHT 16384

static const uint8_t host_mac[2][6] = { { 0x02, 0, 0, 0, 0, 0x10 }, { 0x02, 0, 0, 0, 0, 0x20 } };

/* A flow as the generator sees it: where its packets come from and go to. */
struct gen_flow {
	uint8_t side;     /* 0 access, 1 core: the port the packet arrives on */
	uint8_t v6;
	uint16_t sport;   /* network order */
	uint16_t dport;   /* network order */
	uint8_t src[16];
	uint8_t dst[16];
	uint32_t base_sum; /* UDP checksum sum without the RTP sequence and timestamp */
};

struct bench {
	struct dp *dp;
	struct dp_lcore *lc;
	unsigned int dp_lcore;
	struct rte_ring *rx[2];
	struct rte_ring *tx[2][N_TXQ];
	struct rte_mempool *gen;
	struct gen_flow *flows;
	uint32_t *order; /* random visiting order of the flows */
	unsigned int n_flows;
	unsigned int pos;
	uint32_t pass;
	int family_x;
	struct rte_ether_addr our_mac[2];
};

static uint32_t
sum16(const void *p, size_t n)
{
	return __rte_raw_cksum(p, n, 0);
}

static uint16_t
fold(uint32_t s)
{
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

static uint8_t payload_byte(unsigned int i)
{
	return (uint8_t)(0xd5 ^ (i * 7)); /* G.711 A-law around silence, not constant */
}

/* Host h on a side: 192.0.2.(10+h) / 198.51.100.(10+h), 2001:db8:a::/c:: + 0x100+h. */
static void
host_addr(unsigned int side, int v6, unsigned int h, uint8_t *a)
{
	memset(a, 0, 16);
	if (v6) {
		a[0] = 0x20, a[1] = 0x01, a[2] = 0x0d, a[3] = 0xb8;
		a[5] = side ? 0x0c : 0x0a;
		a[14] = (uint8_t)((0x100 + h) >> 8), a[15] = (uint8_t)(0x100 + h);
	} else if (side == 0) {
		a[0] = 192, a[1] = 0, a[2] = 2, a[3] = (uint8_t)(10 + h);
	} else {
		a[0] = 198, a[1] = 51, a[2] = 100, a[3] = (uint8_t)(10 + h);
	}
}

static void
our_addr(unsigned int side, int v6, uint8_t *a)
{
	host_addr(side, v6, 0, a);
	if (v6)
		a[14] = 0, a[15] = 1;
	else
		a[3] = 1;
}

static int
side_v6(const struct bench *b, unsigned int side)
{
	return b->family_x && side == 1;
}

/*
 * Flow j: side j & 1, relay port PORT_MIN + j / 2 on that side. Its announced source
 * is host (k % HOSTS) of its side, port 16384 + 2 * (k / HOSTS); it is relayed to the
 * same numbered host and port on the other side, from the paired relay port there.
 */
static struct dp_flow_cfg *
make_rule(const struct bench *b, unsigned int j, struct gen_flow *g)
{
	unsigned int side = j & 1, other = side ^ 1, k = j / 2;
	uint16_t hport = (uint16_t)(16384 + 2 * (k / HOSTS));
	struct dp_flow_cfg *c = dp_flow_rule_alloc(NULL);
	uint8_t rtp[12] = { 0x80, 0x08 };
	uint32_t s;
	unsigned int i;

	if (c == NULL)
		return NULL;
	c->out_ifidx = (uint8_t)other;
	c->out_v6 = (uint8_t)side_v6(b, other);
	c->in_v6 = (uint8_t)side_v6(b, side);
	c->flags = DP_FLOW_RTP | DP_FLOW_RTCP_SCRUB; /* plain RTP/AVP, as in the lab */
	c->has_dst = 1;
	host_addr(side, c->in_v6, k % HOSTS, c->peer_ip);
	c->peer_port = rte_cpu_to_be_16(hport);
	our_addr(other, c->out_v6, c->src_ip);
	c->src_port = rte_cpu_to_be_16((uint16_t)(PORT_MIN + k));
	host_addr(other, c->out_v6, k % HOSTS, c->dst_ip);
	c->dst_port = rte_cpu_to_be_16(hport);
	memcpy(c->nh_ip, c->dst_ip, 16);
	c->rtp_mult = (uint64_t)(((unsigned __int128)8000 << 32) / rte_get_tsc_hz());
	c->latch_epoch = 1;
	c->call = k;

	g->side = (uint8_t)side;
	g->v6 = c->in_v6;
	g->sport = c->peer_port;
	g->dport = rte_cpu_to_be_16((uint16_t)(PORT_MIN + k));
	memcpy(g->src, c->peer_ip, 16);
	our_addr(side, g->v6, g->dst);
	/* Pseudo-header, UDP header (checksum 0), RTP header without seq and ts, payload. */
	s = sum16(g->src, g->v6 ? 16 : 4) + sum16(g->dst, g->v6 ? 16 : 4);
	s += rte_cpu_to_be_16(IPPROTO_UDP) + 2 * rte_cpu_to_be_16(8 + 12 + PAYLOAD);
	s += g->sport + g->dport;
	rtp[8] = (uint8_t)(j >> 24), rtp[9] = (uint8_t)(j >> 16), rtp[10] = (uint8_t)(j >> 8);
	rtp[11] = (uint8_t)j;
	s += sum16(rtp, 12);
	for (i = 0; i < PAYLOAD; i += 2) {
		uint8_t w[2] = { payload_byte(i), payload_byte(i + 1) };

		s += sum16(w, 2);
	}
	g->base_sum = s;
	return c;
}

/* Writes the next flow's packet into m (headers only unless fresh). */
static inline unsigned int
fill(struct bench *b, struct rte_mbuf *m, int fresh)
{
	uint32_t j = b->order[b->pos];
	const struct gen_flow *g = &b->flows[j];
	uint16_t seq = (uint16_t)b->pass;
	uint32_t ts = b->pass * PAYLOAD;
	uint16_t l3 = g->v6 ? sizeof(struct rte_ipv6_hdr) : sizeof(struct rte_ipv4_hdr);
	uint8_t *f, *rtp;
	struct rte_udp_hdr *udp;
	uint32_t s;
	unsigned int i;

	if (++b->pos == b->n_flows) {
		b->pos = 0;
		b->pass++;
	}
	m->data_off = RTE_PKTMBUF_HEADROOM;
	m->data_len = m->pkt_len = (uint32_t)(14 + l3 + 8 + 12 + PAYLOAD);
	m->nb_segs = 1;
	m->next = NULL;
	m->ol_flags = 0;
	f = rte_pktmbuf_mtod(m, uint8_t *);
	memcpy(f, b->our_mac[g->side].addr_bytes, 6);
	memcpy(f + 6, host_mac[g->side], 6);
	if (g->v6) {
		struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(f + 14);

		f[12] = 0x86, f[13] = 0xdd;
		ip->vtc_flow = rte_cpu_to_be_32(6u << 28 | 0xb8u << 20); /* EF */
		ip->payload_len = rte_cpu_to_be_16(8 + 12 + PAYLOAD);
		ip->proto = IPPROTO_UDP;
		ip->hop_limits = 64;
		memcpy(ip->src_addr, g->src, 16);
		memcpy(ip->dst_addr, g->dst, 16);
	} else {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(f + 14);

		f[12] = 0x08, f[13] = 0x00;
		ip->version_ihl = 0x45;
		ip->type_of_service = 0xb8;
		ip->total_length = rte_cpu_to_be_16(20 + 8 + 12 + PAYLOAD);
		ip->packet_id = rte_cpu_to_be_16(seq);
		ip->fragment_offset = 0;
		ip->time_to_live = 64;
		ip->next_proto_id = IPPROTO_UDP;
		memcpy(&ip->src_addr, g->src, 4);
		memcpy(&ip->dst_addr, g->dst, 4);
		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
	}
	udp = (struct rte_udp_hdr *)(f + 14 + l3);
	udp->src_port = g->sport;
	udp->dst_port = g->dport;
	udp->dgram_len = rte_cpu_to_be_16(8 + 12 + PAYLOAD);
	rtp = (uint8_t *)(udp + 1);
	rtp[0] = 0x80, rtp[1] = 0x08;
	rtp[2] = (uint8_t)(seq >> 8), rtp[3] = (uint8_t)seq;
	rtp[4] = (uint8_t)(ts >> 24), rtp[5] = (uint8_t)(ts >> 16);
	rtp[6] = (uint8_t)(ts >> 8), rtp[7] = (uint8_t)ts;
	rtp[8] = (uint8_t)(j >> 24), rtp[9] = (uint8_t)(j >> 16);
	rtp[10] = (uint8_t)(j >> 8), rtp[11] = (uint8_t)j;
	if (fresh)
		for (i = 0; i < PAYLOAD; i++)
			rtp[12 + i] = payload_byte(i);
	s = g->base_sum + sum16(rtp + 2, 6);
	udp->dgram_cksum = (uint16_t)~fold(s);
	if (udp->dgram_cksum == 0)
		udp->dgram_cksum = 0xffff;
	return g->side;
}

struct result {
	double mpps;
	double cycles;
	double idle_pct;
	uint64_t pkts;
	uint64_t relayed;
	uint64_t drops;
};

static void
counters(const struct bench *b, uint64_t *rx, uint64_t *drops, uint64_t *relayed)
{
	const struct sbc_lcore_stats *st = b->lc->st;
	unsigned int p, d;

	*rx = *drops = *relayed = 0;
	for (p = 0; p < 2; p++) {
		*rx += sbc_cnt_read(&st->port[p].rx_pkts);
		*relayed += sbc_cnt_read(&st->port[p].events[SBC_EV_MEDIA_RELAYED]);
		for (d = 0; d < SBC_DROP_MAX; d++)
			*drops += sbc_cnt_read(&st->port[p].drops[d]);
	}
}

static void
drain(struct rte_ring *r)
{
	struct rte_mbuf *m[BURST];
	unsigned int n;

	while ((n = rte_ring_sc_dequeue_burst(r, (void **)m, BURST, NULL)) > 0)
		rte_pktmbuf_free_bulk(m, n);
}

static void
drain_all(struct bench *b)
{
	unsigned int p, q;

	for (p = 0; p < 2; p++) {
		drain(b->rx[p]);
		for (q = 0; q < N_TXQ; q++)
			drain(b->tx[p][q]);
	}
}

/* Queues n fresh packets, each into its flow's port. Returns how many. */
static unsigned int
inject(struct bench *b, unsigned int n)
{
	struct rte_mbuf *m[BURST];
	unsigned int done = 0, i, k;

	while (done < n) {
		k = RTE_MIN(BURST, n - done);
		if (rte_pktmbuf_alloc_bulk(b->gen, m, k) != 0)
			break;
		for (i = 0; i < k; i++)
			if (rte_ring_sp_enqueue(b->rx[fill(b, m[i], 1)], m[i]) != 0)
				rte_pktmbuf_free(m[i]);
		done += k;
	}
	return done;
}

static struct result
finish(struct bench *b, uint64_t rx0, uint64_t d0, uint64_t r0, uint64_t busy0, uint64_t idle0)
{
	const struct sbc_lcore_stats *st = b->lc->st;
	uint64_t rx, d, rel;
	double busy = (double)(sbc_cnt_read(&st->busy_cycles) - busy0);
	double idle = (double)(sbc_cnt_read(&st->idle_cycles) - idle0);
	struct result r = { 0 };

	counters(b, &rx, &d, &rel);
	r.pkts = rx - rx0;
	r.relayed = rel - r0;
	r.drops = d - d0;
	r.cycles = r.pkts ? busy / (double)r.pkts : 0;
	r.idle_pct = busy + idle > 0 ? 100.0 * idle / (busy + idle) : 0;
	return r;
}

static struct result
run_prefilled(struct bench *b, unsigned int prefill)
{
	uint64_t rx0, d0, r0, busy0, idle0, rx, d, rel;
	unsigned int filled;
	struct result r;

	filled = inject(b, prefill);
	sbc_quit_clear();
	counters(b, &rx0, &d0, &r0);
	busy0 = sbc_cnt_read(&b->lc->st->busy_cycles);
	idle0 = sbc_cnt_read(&b->lc->st->idle_cycles);
	rte_eal_remote_launch(dp_lcore_main, b->lc, b->dp_lcore);
	/* Sleep, not spin: the main lcore must not compete for the CPU. */
	do {
		rte_delay_us_sleep(1000);
		counters(b, &rx, &d, &rel);
	} while (rx - rx0 < filled);
	sbc_request_quit();
	rte_eal_wait_lcore(b->dp_lcore);
	r = finish(b, rx0, d0, r0, busy0, idle0);
	r.mpps = r.cycles > 0 ? (double)rte_get_tsc_hz() / r.cycles / 1e6 : 0;
	r.idle_pct = -1;
	drain_all(b);
	return r;
}

static struct result
run_live(struct bench *b, double seconds)
{
	struct rte_mbuf *m[BURST];
	uint64_t rx0, d0, r0, busy0, idle0, t0, t1, end;
	unsigned int p, q, n, i;
	struct result r;

	inject(b, IN_FLIGHT);
	sbc_quit_clear();
	counters(b, &rx0, &d0, &r0);
	busy0 = sbc_cnt_read(&b->lc->st->busy_cycles);
	idle0 = sbc_cnt_read(&b->lc->st->idle_cycles);
	rte_eal_remote_launch(dp_lcore_main, b->lc, b->dp_lcore);
	t0 = rte_rdtsc();
	end = t0 + (uint64_t)(seconds * (double)rte_get_tsc_hz());
	while (rte_rdtsc() < end) {
		for (p = 0; p < 2; p++)
			for (q = 0; q < N_TXQ; q++) {
				n = rte_ring_sc_dequeue_burst(b->tx[p][q], (void **)m, BURST, NULL);
				for (i = 0; i < n; i++)
					if (rte_ring_sp_enqueue(b->rx[fill(b, m[i], 0)], m[i]) != 0)
						rte_pktmbuf_free(m[i]);
			}
		/* Whatever the dataplane dropped is replaced. */
		n = rte_ring_count(b->rx[0]) + rte_ring_count(b->rx[1]);
		if (n < IN_FLIGHT / 4)
			inject(b, BURST);
	}
	t1 = rte_rdtsc();
	sbc_request_quit();
	rte_eal_wait_lcore(b->dp_lcore);
	r = finish(b, rx0, d0, r0, busy0, idle0);
	r.mpps = (double)r.pkts / ((double)(t1 - t0) / (double)rte_get_tsc_hz()) / 1e6;
	drain_all(b);
	return r;
}

static void
make_config(struct sbc_config *cfg, unsigned int dp_lcore, unsigned int burst, unsigned int max_flows)
{
	static const char *const name[2] = { "access", "core" };
	static const char *const a4[2] = { "192.0.2.1/24", "198.51.100.1/24" };
	static const char *const a6[2] = { "2001:db8:a::1/64", "2001:db8:c::1/64" };
	unsigned int i;

	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->path, sizeof(cfg->path), "(relay_bench)");
	cfg->n_dp_lcores = 1;
	cfg->dp_lcores[0] = dp_lcore;
	cfg->n_sig_lcores = 1; /* not launched: only its TX queue exists, as in sbcd */
	cfg->sig_lcores[0] = RTE_MAX_LCORE - 1;
	cfg->n_ports = 2;
	for (i = 0; i < 2; i++) {
		struct sbc_port_cfg *pc = &cfg->ports[i];

		snprintf(pc->name, sizeof(pc->name), "%s", name[i]);
		snprintf(pc->devargs, sizeof(pc->devargs), "net_ring_%s", name[i]);
		pc->mtu = 1500;
		pc->rx_desc = 1024;
		pc->tx_desc = 1024;
		pc->sip_udp_port = 5060;
		sbc_ip_parse(a4[i], AF_INET, true, &pc->addr4[0]);
		pc->n_addr4 = 1;
		sbc_ip_parse(a6[i], AF_INET6, true, &pc->addr6[0]);
		pc->n_addr6 = 1;
	}
	cfg->dp = (struct sbc_dp_cfg){ .burst = burst, .idle_polls = 100, .idle_max_us = 100,
		.tx_drain_us = 100 };
	cfg->neigh = (struct sbc_neigh_cfg){ .max_entries = 4096, .reachable_s = 86400,
		.stale_s = 86400, .retransmit_ms = 1000, .probes = 3 };
	cfg->sip = (struct sbc_sip_cfg){ .t1_ms = 500, .t2_ms = 4000, .t4_ms = 5000,
		.max_calls = 16, .max_transactions = 16, .ring_size = 1024 };
	cfg->media.port_min = PORT_MIN;
	cfg->media.port_max = PORT_MIN + (max_flows + 1) / 2 - 1;
}

/* Installs flows 0..n-1 and withdraws the others (the dataplane lcore is stopped). */
static int
install(struct bench *b, unsigned int n, unsigned int max_flows)
{
	unsigned int j, i;

	for (j = 0; j < max_flows; j++) {
		struct dp_flow *f = dp_flow_slot(b->dp, j & 1, (uint16_t)(PORT_MIN + j / 2));
		struct dp_flow_cfg *c = NULL;

		if (f == NULL)
			return -1;
		if (j < n && (c = make_rule(b, j, &b->flows[j])) == NULL)
			return -1;
		dp_flow_reset(f);
		dp_flow_rule_free(dp_flow_publish(f, c), NULL);
	}
	b->n_flows = n;
	b->pos = 0;
	b->pass = 1;
	for (j = 0; j < n; j++)
		b->order[j] = j;
	for (j = n; j > 1; j--) { /* Fisher-Yates */
		uint32_t t;

		i = (unsigned int)(rte_rand() % j);
		t = b->order[j - 1];
		b->order[j - 1] = b->order[i];
		b->order[i] = t;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "flows", required_argument, NULL, 'f' },
		{ "family", required_argument, NULL, 'a' },
		{ "seconds", required_argument, NULL, 's' },
		{ "runs", required_argument, NULL, 'r' },
		{ "burst", required_argument, NULL, 'b' },
		{ "prefill", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned int sizes[MAX_SIZES] = { 10000, 100000 }, n_sizes = 2, max_flows = 0;
	unsigned int burst = 32, runs = 3, prefill = 1000000, i, k, p, q;
	double seconds = 5;
	struct bench b = { 0 };
	struct sbc_config cfg;
	char err[512], *s, *tok;
	int opt, n;

	n = rte_eal_init(argc, argv);
	if (n < 0) {
		fprintf(stderr, "relay_bench: EAL initialisation failed\n");
		return 1;
	}
	argc -= n;
	argv += n;
	while ((opt = getopt_long(argc, argv, "f:a:s:r:b:p:", opts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			n_sizes = 0;
			for (s = optarg; (tok = strtok(s, ",")) != NULL && n_sizes < MAX_SIZES; s = NULL)
				sizes[n_sizes++] = (unsigned int)strtoul(tok, NULL, 10);
			break;
		case 'a':
			if (strcmp(optarg, "v4") != 0 && strcmp(optarg, "x") != 0) {
				fprintf(stderr, "relay_bench: --family v4|x\n");
				return 2;
			}
			b.family_x = optarg[0] == 'x';
			break;
		case 's':
			seconds = atof(optarg);
			break;
		case 'r':
			runs = (unsigned int)atoi(optarg);
			break;
		case 'b':
			burst = (unsigned int)atoi(optarg);
			break;
		case 'p':
			prefill = (unsigned int)strtoul(optarg, NULL, 10);
			break;
		default:
			return 2;
		}
	}
	for (i = 0; i < n_sizes; i++) {
		if (sizes[i] < 2 || sizes[i] > 2 * (65535 - PORT_MIN)) {
			fprintf(stderr, "relay_bench: --flows: 2 to %u each\n", 2 * (65535 - PORT_MIN));
			return 2;
		}
		max_flows = RTE_MAX(max_flows, sizes[i]);
	}
	b.dp_lcore = rte_get_next_lcore(rte_get_main_lcore(), 1, 0);
	if (b.dp_lcore >= RTE_MAX_LCORE || seconds <= 0 || burst == 0 || burst > 256 ||
			runs == 0 || runs > 99 || prefill < BURST || prefill > RING_SIZE - 1) {
		fprintf(stderr, "relay_bench: needs two lcores (-l 0-1), --seconds > 0, "
				"--burst 1-256, --runs 1-99, --prefill %u-%u\n", BURST, RING_SIZE - 1);
		return 2;
	}
	b.gen = rte_pktmbuf_pool_create("relay_gen", prefill + IN_FLIGHT + 4096, 256, 0,
			RTE_PKTMBUF_HEADROOM + 256, (int)rte_socket_id());
	b.flows = calloc(max_flows, sizeof(*b.flows));
	b.order = calloc(max_flows, sizeof(*b.order));
	if (b.gen == NULL || b.flows == NULL || b.order == NULL) {
		fprintf(stderr, "relay_bench: no memory for %u packets and %u flows\n", prefill,
				max_flows);
		return 1;
	}
	for (p = 0; p < 2; p++) {
		static const char *const name[2] = { "access", "core" };

		if (bench_ring_port("rb", p, name[p], RING_SIZE, &b.rx[p], b.tx[p], N_TXQ) < 0) {
			fprintf(stderr, "relay_bench: cannot create the ring port %s\n", name[p]);
			return 1;
		}
	}
	make_config(&cfg, b.dp_lcore, burst, max_flows);
	b.dp = calloc(1, sizeof(*b.dp));
	if (b.dp == NULL || dp_init(b.dp, &cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "relay_bench: %s\n", b.dp ? err : "out of memory");
		return 1;
	}
	b.lc = dp_lcore_of(b.dp, b.dp_lcore);
	for (p = 0; p < 2; p++) {
		struct rte_ether_addr hm;
		uint8_t a[16];

		b.our_mac[p] = b.dp->ifaces[p].mac;
		memcpy(hm.addr_bytes, host_mac[p], 6);
		for (k = 0; k < HOSTS; k++) {
			host_addr(p, side_v6(&b, p), k, a);
			dp_neigh_learn(b.dp, (uint16_t)p, side_v6(&b, p), a, &hm,
					DP_LEARN_UPDATE | DP_LEARN_CREATE | DP_LEARN_CONFIRM |
							DP_LEARN_OVERRIDE);
		}
	}

	printf("# relay_bench: one dataplane lcore (%u), generator on lcore %u, two net_ring "
	       "ports, G.711 RTP (%u-octet frames%s), burst %u, every packet to another flow "
	       "(random order), %u runs per line (prefilled: %u packets; live: %.0f s), "
	       "TSC %.2f GHz\n",
			b.dp_lcore, rte_get_main_lcore(), 14 + 20 + 8 + 12 + PAYLOAD,
			b.family_x ? "; core leg IPv6: 234" : "", burst, runs, prefill, seconds,
			(double)rte_get_tsc_hz() / 1e9);
	printf("| active flows | legs | feed | Mpps (median) | cycles/packet (median) | "
	       "Mpps (best) | cycles/packet (best) | dataplane idle (median run) | "
	       "not relayed |\n");
	printf("|---:|---|---|---:|---:|---:|---:|---:|---:|\n");
	for (i = 0; i < n_sizes; i++) {
		if (install(&b, sizes[i], max_flows) < 0) {
			fprintf(stderr, "relay_bench: cannot install %u flows\n", sizes[i]);
			return 1;
		}
		for (k = 0; k < 2; k++) {
			struct result r[99];
			uint64_t lost = 0;
			char idle[48];

			for (q = 0; q < runs; q++) {
				r[q] = k == 0 ? run_prefilled(&b, prefill) : run_live(&b, seconds);
				lost += r[q].pkts - r[q].relayed;
			}
			BENCH_SORT_BEST_FIRST(r, runs, mpps);
			if (k == 0)
				snprintf(idle, sizeof(idle), "-");
			else
				snprintf(idle, sizeof(idle), "%.1f%%%s", r[runs / 2].idle_pct,
						r[runs / 2].idle_pct > 2 ? " (generator-bound)" : "");
			printf("| %u | %s | %s | %.2f | %.1f | %.2f | %.1f | %s | %" PRIu64 " |\n",
					sizes[i], b.family_x ? "IPv4 <-> IPv6" : "IPv4 <-> IPv4",
					k == 0 ? "prefilled" : "live generator", r[runs / 2].mpps,
					r[runs / 2].cycles, r[0].mpps, r[0].cycles, idle, lost);
			fflush(stdout);
		}
	}
	/* Anything not relayed, by reason (there should be nothing). */
	for (p = 0; p < 2; p++)
		for (k = 0; k < SBC_DROP_MAX; k++)
			if (sbc_cnt_read(&b.lc->st->port[p].drops[k]) != 0)
				fprintf(stderr, "relay_bench: port %u dropped %" PRIu64 " (%s)\n", p,
						sbc_cnt_read(&b.lc->st->port[p].drops[k]),
						sbc_drop_name((enum sbc_drop)k));
	install(&b, 0, max_flows);
	dp_fini(b.dp);
	free(b.dp);
	sbc_stats_release_all();
	for (p = 0; p < 2; p++) {
		for (q = 0; q < N_TXQ; q++)
			rte_ring_free(b.tx[p][q]);
		rte_ring_free(b.rx[p]);
	}
	rte_mempool_free(b.gen);
	free(b.flows);
	free(b.order);
	rte_eal_cleanup();
	return 0;
}
