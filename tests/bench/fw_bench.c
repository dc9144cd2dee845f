/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fw_bench.c - the firewall's rule sets: classification rate of one lcore, build time,
 * and the time a new set takes to be in force.
 *
 *   fw_bench EAL-ARGUMENTS -- [--rules N[,N...]] [--family v4|v6|both]
 *            [--methods scalar,sse,avx2,avx512x16,avx512x32] [--seconds S] [--runs R]
 *            [--burst B] [--spread carrier|wide]
 *   (the EAL needs two lcores: -l 0-1)
 *
 * Rule sets are generated (fixed seed) as a carrier's would look: mostly source
 * prefixes to deny or allow on the SIP service, a fifth on media port ranges, some on
 * ICMP and SSH, one in ten bound to an ingress port. Prefix lengths (--spread): carrier
 * (default) 60% host entries, 35% /20-/28 (IPv6 /40-/64), 5% shorter; wide: 20% /8 and
 * /16 (IPv6 /24-/40), each overlapping thousands of other rules, the build's hard case.
 * Keys (65,536 of them) are half drawn inside a rule's prefix, half random, so both
 * matches and misses are classified.
 *
 * For each size, family and method:
 *  - build: dp_fw_build(), the whole compilation (rule expansion, rte_acl build);
 *  - in force: dp_fw_publish() while another lcore classifies in a loop and reports a
 *    quiescent state after each burst, as a dataplane lcore does: the pointer swap and
 *    the grace period, after which the old set is gone;
 *  - rate: the main lcore classifies bursts of keys (rte_acl_classify through
 *    dp_fw_classify) and applies each result as the dataplane does (dp_fw_decide:
 *    verdict, per-rule counter, rate-limit state); Mpps = keys / elapsed time, the
 *    median and best of --runs runs (a shared machine steals cycles now and then).
 * Prints a Markdown table for docs/BENCHMARKS.md.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>

#include "dp.h"
#include "dp_fw.h"
#include "test_prng.h"

#define N_KEYS 65536
#define MAX_SIZES 8

struct opts {
	unsigned int sizes[MAX_SIZES];
	unsigned int n_sizes;
	int family; /* 0 v4, 1 v6, 2 both */
	bool method[SBC_FW_CLASSIFY_MAX];
	double seconds;
	unsigned int runs;
	unsigned int burst;
};

/* xorshift64*: the same rule sets and keys every run. */
static uint64_t rnd_state = 0x2545f4914f6cdd1dull;

static uint64_t
rnd(void)
{
	return test_prng_next(&rnd_state);
}

static unsigned int
pick(const unsigned int *weights, unsigned int n)
{
	unsigned int i, total = 0, r;

	for (i = 0; i < n; i++)
		total += weights[i];
	r = (unsigned int)(rnd() % total);
	for (i = 0; i < n; i++) {
		if (r < weights[i])
			return i;
		r -= weights[i];
	}
	return n - 1;
}

/*
 * Prefix lengths, per mille. "carrier": host entries and customer or peer networks, a
 * few aggregates; "wide": a fifth of the rules /8-/16 (IPv4) or /32-/48 (IPv6),
 * overlapping thousands of others each, a stress case for the build.
 */
static const unsigned int len4[] = { 32, 28, 24, 20, 16, 12, 8 };
static const unsigned int len6[] = { 128, 64, 56, 48, 40, 32, 24 };
static const unsigned int carrier_w[] = { 600, 100, 150, 100, 40, 9, 1 };
static const unsigned int wide_w[] = { 400, 0, 300, 100, 100, 0, 100 };
static const unsigned int *spread_w = carrier_w;

/* A random prefix of the family, its length drawn from the spread in use. */
static void
rand_prefix(struct sbc_ip *ip, int v6)
{
	unsigned int k = pick(spread_w, RTE_DIM(len4)), i, plen = v6 ? len6[k] : len4[k];

	memset(ip, 0, sizeof(*ip));
	ip->family = v6 ? AF_INET6 : AF_INET;
	ip->plen = (uint8_t)plen;
	for (i = 0; i < (v6 ? 16u : 4u); i++)
		ip->a[i] = (uint8_t)rnd();
	if (v6)
		ip->a[0] = 0x20; /* global unicast */
	for (i = 0; i < (v6 ? 16u : 4u); i++) {
		unsigned int bits = plen > i * 8 ? plen - i * 8 : 0;

		if (bits < 8)
			ip->a[i] &= (uint8_t)(0xff00 >> bits);
	}
}

/* A rule set of n rules of one family, as described in the file header. */
static void
make_rules(struct sbc_fw_cfg *fw, unsigned int n, int v6, unsigned int method)
{
	static const unsigned int svc_w[] = { 70, 20, 5, 5 };
	static const unsigned int svcs[] = { SBC_FW_SIP, SBC_FW_MEDIA, SBC_FW_ICMP, SBC_FW_SSH };
	unsigned int count[SBC_FW_SVC_MAX] = { 0 }, i, s;
	unsigned int *which = malloc(n * sizeof(*which));

	memset(fw, 0, sizeof(*fw));
	fw->classify = method;
	for (s = 0; s < SBC_FW_SVC_MAX; s++) {
		fw->svc[s].default_action = SBC_FW_IS_HOST(s) ? SBC_FW_DENY : SBC_FW_ALLOW;
		if (SBC_FW_IS_HOST(s)) {
			fw->svc[s].n_ports = 1;
			fw->svc[s].ports[0] = s == SBC_FW_SSH ? 22 : s == SBC_FW_WEB ? 443 : 5432;
		}
	}
	for (i = 0; i < n; i++)
		count[which[i] = svcs[pick(svc_w, 4)]]++;
	for (s = 0; s < SBC_FW_SVC_MAX; s++) {
		fw->svc[s].rules = calloc(count[s] + 1, sizeof(struct sbc_fw_rule));
		fw->svc[s].srcs = calloc(count[s] + 1, sizeof(struct sbc_ip));
	}
	for (i = 0; i < n; i++) {
		struct sbc_fw_svc_cfg *sc = &fw->svc[which[i]];
		struct sbc_fw_rule *r = &sc->rules[sc->n_rules++];

		r->src_off = sc->n_srcs;
		r->n_src = 1;
		rand_prefix(&sc->srcs[sc->n_srcs++], v6);
		r->action = rnd() % 10 == 0 ? SBC_FW_ALLOW : SBC_FW_DENY;
		r->ifidx = rnd() % 10 == 0 ? (int8_t)(rnd() % 2) : -1;
		r->port_lo = 0;
		r->port_hi = 65535;
		if (which[i] == SBC_FW_MEDIA) {
			r->port_lo = (uint16_t)(20000 + rnd() % 19000);
			r->port_hi = (uint16_t)(r->port_lo + rnd() % 1000);
		}
	}
	free(which);
}

/* Keys: half inside a random rule's prefix (with its service, port and interface). */
static void
make_keys(const struct sbc_fw_cfg *fw, int v6, uint8_t *keys, size_t ksize)
{
	unsigned int i, k;

	for (i = 0; i < N_KEYS; i++) {
		uint8_t *key = keys + i * ksize;
		unsigned int s = SBC_FW_SIP;
		uint8_t src[16];
		uint16_t dport = 5060, ifidx = 0;

		for (k = 0; k < 16; k++)
			src[k] = (uint8_t)rnd();
		if (rnd() & 1) {
			const struct sbc_fw_svc_cfg *sc;
			const struct sbc_fw_rule *r;
			const struct sbc_ip *ip;

			do
				s = (unsigned int)(rnd() % SBC_FW_SVC_MAX);
			while (fw->svc[s].n_rules == 0);
			sc = &fw->svc[s];
			r = &sc->rules[rnd() % sc->n_rules];
			ip = &sc->srcs[r->src_off];
			for (k = 0; k < ip->plen / 8; k++)
				src[k] = ip->a[k];
			if (ip->plen % 8)
				src[k] = (uint8_t)((ip->a[k] & (0xff00 >> (ip->plen % 8))) |
						(src[k] & (0xff >> (ip->plen % 8))));
			dport = (uint16_t)(r->port_lo + rnd() % ((unsigned int)r->port_hi - r->port_lo + 1));
			ifidx = r->ifidx < 0 ? (uint16_t)(rnd() % 2) : (uint16_t)r->ifidx;
		}
		memset(key, 0, ksize);
		key[0] = (uint8_t)s;
		memcpy(key + 4, src, v6 ? 16 : 4);
		*(uint16_t *)(void *)(key + (v6 ? 20 : 8)) = rte_cpu_to_be_16(dport);
		*(uint16_t *)(void *)(key + (v6 ? 22 : 10)) = rte_cpu_to_be_16(ifidx);
	}
}

/* The reader lcore: classifies in a loop, quiescent after each burst, as dp_lcore does. */
struct reader {
	struct dp *dp;
	const uint8_t *const *key_ptrs;
	int v6;
	unsigned int burst;
	volatile int stop;
	uint64_t bursts;
};

static int
reader_main(void *arg)
{
	struct reader *rd = arg;
	unsigned int lcore = rte_lcore_id(), off = 0;
	uint32_t res[256];

	rte_rcu_qsbr_thread_register(rd->dp->qsbr, lcore);
	rte_rcu_qsbr_thread_online(rd->dp->qsbr, lcore);
	while (!rd->stop) {
		const struct dp_fw_rules *r = __atomic_load_n(&rd->dp->fw, __ATOMIC_ACQUIRE);

		dp_fw_classify(r, rd->v6, (const uint8_t **)(uintptr_t)(rd->key_ptrs + off), res, rd->burst);
		off = (off + rd->burst) % (N_KEYS - rd->burst);
		rd->bursts++;
		rte_rcu_qsbr_quiescent(rd->dp->qsbr, lcore);
	}
	rte_rcu_qsbr_thread_offline(rd->dp->qsbr, lcore);
	rte_rcu_qsbr_thread_unregister(rd->dp->qsbr, lcore);
	return 0;
}

struct run {
	double mpps;
};

static int
cmp_run(const void *a, const void *b)
{
	double x = ((const struct run *)a)->mpps, y = ((const struct run *)b)->mpps;

	return x < y ? 1 : x > y ? -1 : 0;
}

/* One timed run: keys classified and decided per second, in millions. */
static double
rate(const struct dp_fw_rules *r, int v6, const uint8_t *const *key_ptrs, unsigned int burst,
		double seconds, bool decide)
{
	uint64_t hz = rte_get_tsc_hz(), t0 = rte_rdtsc(), end = t0 + (uint64_t)(seconds * hz), n = 0;
	uint32_t res[256];
	unsigned int off = 0, i, v = 0;

	while (rte_rdtsc() < end) {
		unsigned int k;

		for (k = 0; k < 64; k++) {
			dp_fw_classify(r, v6, (const uint8_t **)(uintptr_t)(key_ptrs + off), res, burst);
			if (decide)
				for (i = 0; i < burst; i++)
					v += dp_fw_decide(r, 0, key_ptrs[off + i][0], res[i], t0);
			off += burst;
			if (off + burst > N_KEYS)
				off = 0;
		}
		n += 64 * burst;
	}
	if (v == 0xffffffff) /* keep the verdicts alive */
		printf(" ");
	return (double)n / ((double)(rte_rdtsc() - t0) / (double)hz) / 1e6;
}

static double
median_best(const struct dp_fw_rules *r, int v6, const uint8_t *const *key_ptrs, const struct opts *o,
		bool decide, double *best)
{
	struct run runs[32];
	unsigned int i, n = o->runs > 32 ? 32 : o->runs;

	for (i = 0; i < n; i++)
		runs[i].mpps = rate(r, v6, key_ptrs, o->burst, o->seconds, decide);
	qsort(runs, n, sizeof(runs[0]), cmp_run);
	*best = runs[0].mpps;
	return runs[n / 2].mpps;
}

static double
ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* One line of the table: size, family, method. */
static void
bench_one(struct dp *dp, const struct sbc_config *cfg, const struct opts *o, unsigned int n,
		int v6, unsigned int method, const uint8_t *const *key_ptrs, unsigned int reader_lcore)
{
	static uint64_t gen = 1;
	struct reader rd = { .dp = dp, .key_ptrs = key_ptrs, .v6 = v6, .burst = o->burst };
	struct sbc_fw_cfg fw;
	struct dp_fw_rules *r, *old;
	struct timespec t0;
	double build_ms, publish_us, med, best, med_d, best_d;
	char err[256];

	rnd_state = 0x2545f4914f6cdd1dull ^ n ^ ((uint64_t)v6 << 40);
	make_rules(&fw, n, v6, method);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = dp_fw_build(&fw, cfg, 1, ++gen, err, sizeof(err));
	build_ms = ms_since(&t0);
	if (r == NULL) {
		printf("| IPv%d | %u | %s | n/a: %s | | | |\n", v6 ? 6 : 4, n,
				sbc_fw_classify_name(method), err);
		return;
	}
	/* In force: the swap and the grace period, while another lcore classifies. */
	rte_eal_remote_launch(reader_main, &rd, reader_lcore);
	rte_delay_ms(20);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	old = dp_fw_publish(dp, r);
	publish_us = ms_since(&t0) * 1000;
	rd.stop = 1;
	rte_eal_wait_lcore(reader_lcore);
	dp_fw_free(old);
	med = median_best(r, v6, key_ptrs, o, false, &best);
	med_d = median_best(r, v6, key_ptrs, o, true, &best_d);
	printf("| IPv%d | %u | %s | %.1f | %.0f | %.1f (%.1f) | %.1f (%.1f) |\n", v6 ? 6 : 4, n,
			dp_fw_alg_name(r), build_ms, publish_us, med, best, med_d, best_d);
	fflush(stdout);
}

static int
parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "rules", required_argument, NULL, 'r' }, { "family", required_argument, NULL, 'f' },
		{ "methods", required_argument, NULL, 'm' }, { "seconds", required_argument, NULL, 's' },
		{ "runs", required_argument, NULL, 'n' }, { "burst", required_argument, NULL, 'b' },
		{ "spread", required_argument, NULL, 'w' }, { NULL, 0, NULL, 0 },
	};
	char *tok, *save;
	int c, m;

	o->sizes[0] = 1000;
	o->sizes[1] = 10000;
	o->sizes[2] = 100000;
	o->n_sizes = 3;
	o->family = 2;
	o->method[SBC_FW_CLASSIFY_SCALAR] = o->method[SBC_FW_CLASSIFY_AVX2] = true;
	o->method[SBC_FW_CLASSIFY_AVX512X16] = o->method[SBC_FW_CLASSIFY_AVX512X32] = true;
	o->seconds = 0.5;
	o->runs = 5;
	o->burst = 32;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'r':
			o->n_sizes = 0;
			for (tok = strtok_r(optarg, ",", &save); tok && o->n_sizes < MAX_SIZES;
					tok = strtok_r(NULL, ",", &save))
				o->sizes[o->n_sizes++] = (unsigned int)atoi(tok);
			break;
		case 'f':
			o->family = strcmp(optarg, "v4") == 0 ? 0 : strcmp(optarg, "v6") == 0 ? 1 : 2;
			break;
		case 'm':
			memset(o->method, 0, sizeof(o->method));
			for (tok = strtok_r(optarg, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
				m = sbc_fw_classify_parse(tok);
				if (m < 0) {
					fprintf(stderr, "fw_bench: unknown method %s\n", tok);
					return -1;
				}
				o->method[m] = true;
			}
			break;
		case 's':
			o->seconds = atof(optarg);
			break;
		case 'n':
			o->runs = (unsigned int)atoi(optarg);
			break;
		case 'b':
			o->burst = (unsigned int)atoi(optarg);
			break;
		case 'w':
			if (strcmp(optarg, "carrier") != 0 && strcmp(optarg, "wide") != 0) {
				fprintf(stderr, "fw_bench: --spread carrier|wide\n");
				return -1;
			}
			spread_w = strcmp(optarg, "wide") == 0 ? wide_w : carrier_w;
			break;
		default:
			return -1;
		}
	}
	if (o->burst < 1 || o->burst > 256 || o->runs < 1 || o->seconds <= 0) {
		fprintf(stderr, "fw_bench: --burst 1-256, --runs >= 1, --seconds > 0\n");
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct sbc_config cfg;
	struct dp dp;
	struct sbc_fw_cfg empty;
	uint8_t *keys;
	const uint8_t **key_ptrs;
	unsigned int i, m, reader_lcore;
	int n, v6;
	char err[256];

	n = rte_eal_init(argc, argv);
	if (n < 0)
		return 1;
	argc -= n;
	argv += n;
	if (parse_opts(argc, argv, &o) < 0)
		return 2;
	reader_lcore = rte_get_next_lcore(rte_get_main_lcore(), 1, 0);
	if (reader_lcore >= RTE_MAX_LCORE) {
		fprintf(stderr, "fw_bench: needs two lcores (-l 0-1)\n");
		return 2;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.media.port_min = 20000;
	cfg.media.port_max = 39999;
	memset(&dp, 0, sizeof(dp));
	dp.qsbr = rte_zmalloc("fw_bench_qsbr", rte_rcu_qsbr_get_memsize(RTE_MAX_LCORE),
			RTE_CACHE_LINE_SIZE);
	keys = rte_malloc("fw_bench_keys", (size_t)N_KEYS * sizeof(struct dp_fw_key6), 64);
	key_ptrs = malloc(N_KEYS * sizeof(*key_ptrs));
	if (dp.qsbr == NULL || keys == NULL || key_ptrs == NULL ||
			rte_rcu_qsbr_init(dp.qsbr, RTE_MAX_LCORE) != 0)
		return 1;
	memset(&empty, 0, sizeof(empty));
	dp.fw = dp_fw_build(&empty, &cfg, 1, 1, err, sizeof(err));
	if (dp.fw == NULL) {
		fprintf(stderr, "fw_bench: %s\n", err);
		return 1;
	}
	printf("| family | rules | method | build (ms) | in force after (us) | classify, Mpps median (best) "
	       "| classify + verdict and counters, Mpps median (best) |\n");
	printf("|---|---:|---|---:|---:|---:|---:|\n");
	for (v6 = 0; v6 < 2; v6++) {
		size_t ksize = v6 ? sizeof(struct dp_fw_key6) : sizeof(struct dp_fw_key4);

		if (o.family != 2 && o.family != v6)
			continue;
		for (i = 0; i < o.n_sizes; i++) {
			struct sbc_fw_cfg keyset;
			unsigned int k;

			/* The keys come from the set's own rules (same seed as bench_one). */
			rnd_state = 0x2545f4914f6cdd1dull ^ o.sizes[i] ^ ((uint64_t)v6 << 40);
			make_rules(&keyset, o.sizes[i], v6, SBC_FW_CLASSIFY_AUTO);
			make_keys(&keyset, v6, keys, ksize);
			sbc_fw_config_free(&keyset);
			for (k = 0; k < N_KEYS; k++)
				key_ptrs[k] = keys + k * ksize;
			for (m = 0; m < SBC_FW_CLASSIFY_MAX; m++)
				if (o.method[m])
					bench_one(&dp, &cfg, &o, o.sizes[i], v6, m, key_ptrs, reader_lcore);
		}
	}
	dp_fw_free(dp.fw);
	rte_free(dp.qsbr);
	rte_free(keys);
	free(key_ptrs);
	rte_eal_cleanup();
	return 0;
}
