/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_fw.c - the firewall's compiled rule sets (dp_fw.h) and the blocklist (dp_block.h),
 * on a real EAL (rte_acl and rte_hash need one), without hugepages or NICs:
 *  - classification against a plain C reference matcher (the first rule of the key's
 *    service that matches, or none) over random rule sets: IPv4 and IPv6 prefixes of
 *    every length from /0 to host routes, rules for every source, prefixes of both
 *    families in one rule, port ranges from one port to all, exact and any ingress
 *    port, lists of single addresses; keys biased to fall in, just outside, or at the
 *    edges of the rules; for every classification method this CPU and EAL allow, in
 *    bursts of 1, 7, 32, 64 and 100 keys;
 *  - edge cases by hand: no rules at all, one deny of 0.0.0.0/0, rule order, port range
 *    boundaries, ingress port exact or any, IPv6 prefixes at the 32-bit word edges of
 *    the ACL fields, services isolated by the key's service octet, single addresses
 *    mixed with prefixes and port conditions in rule order, a method the EAL forbids
 *    (the build fails, says why, and still takes the rules over);
 *  - dp_fw_decide: verdicts, hits per rule and per default summed over lcores, and the
 *    GCRA share of a rate-limit rule (burst, emission interval, split over lcores);
 *  - generations: numbering, two alive at once (unique rte_acl context names), every
 *    octet of EAL memory given back by dp_fw_free;
 *  - the blocklist: keys (an IPv6 source is its /64), add / find / del, -EEXIST,
 *    -ENOSPC, bulk lookup and its hit counters, a deleted key's slot not reused before
 *    reclaim and reusable after; the report ring, in order and intact, and full; keys
 *    hashed where an array puts them (misaligned: a regression test).
 * The EAL runs with --no-huge, --no-shconf, --no-telemetry and a file prefix of its own,
 * so that runs may overlap; its runtime directory is removed right after the EAL starts
 * (and again at the end). Run it under ASan/LSan.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <unistd.h>

#include <cmocka.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_vect.h>

#include "dp_block.h"
#include "dp_fw.h"
#include "sbc_addr.h"
#include "sbc_config.h"
#include "sbc_fw_config.h"
#include "test_prng.h"

#define N_KEYS 3000 /* random keys per family and rule set */

static struct sbc_config t_cfg; /* only media.port_min / port_max are read */

/* ---- building rule sets by hand -------------------------------------------------------------- */

/* Appends a rule with the n prefixes ips (0: every source) to service svc; returns its index. */
static unsigned int
t_rule_ips(struct sbc_fw_cfg *fw, unsigned int svc, const struct sbc_ip *ips, unsigned int n,
		unsigned int lo, unsigned int hi, int ifidx, unsigned int action)
{
	struct sbc_fw_svc_cfg *sc = &fw->svc[svc];
	struct sbc_fw_rule *r;
	void *p;

	p = realloc(sc->rules, (sc->n_rules + 1) * sizeof(*sc->rules));
	assert_non_null(p);
	sc->rules = p;
	if (n != 0) {
		p = realloc(sc->srcs, (sc->n_srcs + n) * sizeof(*sc->srcs));
		assert_non_null(p);
		sc->srcs = p;
		memcpy(&sc->srcs[sc->n_srcs], ips, n * sizeof(*ips));
	}
	r = &sc->rules[sc->n_rules];
	memset(r, 0, sizeof(*r));
	r->src_off = sc->n_srcs;
	r->n_src = (uint16_t)n;
	r->port_lo = (uint16_t)lo;
	r->port_hi = (uint16_t)hi;
	r->ifidx = (int8_t)ifidx;
	r->action = (uint8_t)action;
	sc->n_srcs += n;
	return sc->n_rules++;
}

/* The same with the prefixes as text, separated by spaces ("": every source). */
static unsigned int
t_rule(struct sbc_fw_cfg *fw, unsigned int svc, const char *srcs, unsigned int lo, unsigned int hi,
		int ifidx, unsigned int action)
{
	struct sbc_ip ips[SBC_FW_MAX_RULE_SRC];
	char buf[1024], *tok, *save = NULL;
	unsigned int n = 0;

	snprintf(buf, sizeof(buf), "%s", srcs);
	for (tok = strtok_r(buf, " ", &save); tok != NULL; tok = strtok_r(NULL, " ", &save)) {
		assert_true(n < SBC_FW_MAX_RULE_SRC);
		assert_int_equal(sbc_ip_parse(tok, strchr(tok, ':') ? AF_INET6 : AF_INET, true,
						 &ips[n]),
				0);
		n++;
	}
	return t_rule_ips(fw, svc, ips, n, lo, hi, ifidx, action);
}

/* A rate-limit rule for every source on every port. */
static unsigned int
t_rule_rl(struct sbc_fw_cfg *fw, unsigned int svc, unsigned int rate, unsigned int burst)
{
	unsigned int i = t_rule_ips(fw, svc, NULL, 0, 0, 65535, -1, SBC_FW_RATE_LIMIT);

	fw->svc[svc].rules[i].rate = rate;
	fw->svc[svc].rules[i].burst = burst;
	return i;
}

/* Compiles fw (taken over) for n_lcores with method m; fails the test when it cannot. */
static struct dp_fw_rules *
t_build(struct sbc_fw_cfg *fw, unsigned int m, unsigned int n_lcores, uint64_t gen)
{
	struct dp_fw_rules *r;
	char err[256] = "";

	fw->classify = m;
	r = dp_fw_build(fw, &t_cfg, n_lcores, gen, err, sizeof(err));
	if (r == NULL)
		fail_msg("dp_fw_build (%s): %s", sbc_fw_classify_name(m), err);
	return r;
}

/*
 * Compiles fw (taken over) with method m for one lcore: NULL when m is a SIMD method this
 * machine lacks (the caller skips it); any other failure fails the test.
 */
static struct dp_fw_rules *
t_try_build(struct sbc_fw_cfg *fw, unsigned int m)
{
	struct dp_fw_rules *r;
	char err[256] = "";

	fw->classify = m;
	r = dp_fw_build(fw, &t_cfg, 1, 1, err, sizeof(err));
	if (r == NULL && (m <= SBC_FW_CLASSIFY_SCALAR || strstr(err, "not available") == NULL))
		fail_msg("dp_fw_build (%s): %s", sbc_fw_classify_name(m), err);
	return r;
}

/* ---- keys ------------------------------------------------------------------------------------ */

/* A key as the test thinks of it: host order, address in network order. */
struct tkey {
	int v6;
	uint8_t svc;
	uint8_t src[16];
	uint16_t dport;
	uint16_t ifidx;
};

static void
t_key4(struct dp_fw_key4 *k, const struct tkey *t)
{
	memset(k, 0, sizeof(*k));
	k->svc = t->svc;
	memcpy(k->src, t->src, 4);
	k->dport = rte_cpu_to_be_16(t->dport);
	k->ifidx = rte_cpu_to_be_16(t->ifidx);
}

static void
t_key6(struct dp_fw_key6 *k, const struct tkey *t)
{
	memset(k, 0, sizeof(*k));
	k->svc = t->svc;
	memcpy(k->src, t->src, 16);
	k->dport = rte_cpu_to_be_16(t->dport);
	k->ifidx = rte_cpu_to_be_16(t->ifidx);
}

/* Classifies one key; returns the result (0, or rule id + 1). */
static uint32_t
t_classify1(const struct dp_fw_rules *r, const struct tkey *t)
{
	struct dp_fw_key4 k4;
	struct dp_fw_key6 k6;
	const uint8_t *p;
	uint32_t res = 0xdeadbeef;

	if (t->v6) {
		t_key6(&k6, t);
		p = (const uint8_t *)&k6;
	} else {
		t_key4(&k4, t);
		p = (const uint8_t *)&k4;
	}
	dp_fw_classify(r, t->v6, &p, &res, 1);
	return res;
}

/* Fills t: a key of service svc from the address src (text), to dport, on ifidx. */
static void
t_tkey(struct tkey *t, unsigned int svc, const char *src, unsigned int dport, unsigned int ifidx)
{
	struct sbc_ip ip;

	memset(t, 0, sizeof(*t));
	t->v6 = strchr(src, ':') != NULL;
	t->svc = (uint8_t)svc;
	t->dport = (uint16_t)dport;
	t->ifidx = (uint16_t)ifidx;
	assert_int_equal(sbc_ip_parse(src, t->v6 ? AF_INET6 : AF_INET, false, &ip), 0);
	memcpy(t->src, ip.a, 16);
}

/* Classifies a key of service svc from the address src (text), to dport, on ifidx. */
static uint32_t
t_cls(const struct dp_fw_rules *r, unsigned int svc, const char *src, unsigned int dport,
		unsigned int ifidx)
{
	struct tkey t;

	t_tkey(&t, svc, src, dport, ifidx);
	return t_classify1(r, &t);
}

/* The result that means rule i of service svc. */
static uint32_t
t_id(const struct dp_fw_rules *r, unsigned int svc, unsigned int i)
{
	return r->base[svc] + i + 1;
}

/*
 * Checks that a key of service svc from src to dport on ifidx matches rule i of that
 * service (its index in the service's list), or no rule when i is -1.
 */
static void
t_expect(const struct dp_fw_rules *r, unsigned int svc, const char *src, unsigned int dport,
		unsigned int ifidx, int i)
{
	uint32_t got = t_cls(r, svc, src, dport, ifidx);
	uint32_t want = i < 0 ? 0 : t_id(r, svc, (unsigned int)i);

	if (got != want)
		fail_msg("%s key from %s to port %u on port %u: result %u, want %u (rule %d)",
				sbc_fw_svc_name(svc), src, dport, ifidx, got, want, i);
}

/* ---- the reference matcher ------------------------------------------------------------------- */

static int
t_bit(const uint8_t *a, unsigned int b)
{
	return a[b / 8] >> (7 - b % 8) & 1;
}

static void
t_flip(uint8_t *a, unsigned int b)
{
	a[b / 8] ^= (uint8_t)(0x80 >> (b % 8));
}

/* Bit by bit: whether a lies in net/plen. */
static bool
t_in(const uint8_t *a, const uint8_t *net, unsigned int plen)
{
	unsigned int b;

	for (b = 0; b < plen; b++)
		if (t_bit(a, b) != t_bit(net, b))
			return false;
	return true;
}

/* The first rule of the key's service in fw that matches it (id + 1), or 0. */
static uint32_t
t_ref(const struct sbc_fw_cfg *fw, const struct tkey *t)
{
	const struct sbc_fw_svc_cfg *sc;
	uint32_t base = 0, i, k;
	unsigned int s;

	if (t->svc >= SBC_FW_SVC_MAX)
		return 0;
	for (s = 0; s < t->svc; s++)
		base += fw->svc[s].n_rules;
	sc = &fw->svc[t->svc];
	for (i = 0; i < sc->n_rules; i++) {
		const struct sbc_fw_rule *fr = &sc->rules[i];

		if (t->dport < fr->port_lo || t->dport > fr->port_hi)
			continue;
		if (fr->ifidx >= 0 && t->ifidx != (uint16_t)fr->ifidx)
			continue;
		if (fr->n_src == 0)
			return base + i + 1;
		for (k = 0; k < fr->n_src; k++) {
			const struct sbc_ip *ip = &sc->srcs[fr->src_off + k];

			if ((ip->family == AF_INET6) == (t->v6 != 0) &&
					t_in(t->src, ip->a, ip->plen))
				return base + i + 1;
		}
	}
	return 0;
}

/* How many rules of the key's service match it (the order decides when 2 or more). */
static unsigned int
t_ref_n(const struct sbc_fw_cfg *fw, const struct tkey *t)
{
	struct sbc_fw_cfg one;
	unsigned int n = 0, i;

	if (t->svc >= SBC_FW_SVC_MAX)
		return 0;
	/* The reference on a copy of the service cut down to rule i alone. */
	memset(&one, 0, sizeof(one));
	for (i = 0; i < fw->svc[t->svc].n_rules; i++) {
		one.svc[t->svc] = fw->svc[t->svc];
		one.svc[t->svc].rules += i;
		one.svc[t->svc].n_rules = 1;
		n += t_ref(&one, t) != 0;
	}
	return n;
}

/* ---- random rule sets and keys --------------------------------------------------------------- */

/* A random number below n. */
static unsigned int
t_rn(uint64_t *s, unsigned int n)
{
	return (unsigned int)(test_prng_next(s) >> 33) % n;
}

/* Networks the random prefixes and keys grow from, so that rules overlap. */
static const uint8_t pool4[4][4] = { { 192, 0, 2, 0 }, { 198, 51, 100, 0 }, { 203, 0, 113, 0 },
	{ 10, 0, 0, 0 } };
static const uint8_t pool6[4][16] = { { 0x20, 0x01, 0x0d, 0xb8 },
	{ 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1 }, { 0x20, 0x01, 0x0d, 0xb8, 0xff, 0xff },
	{ 0xfd } };
static const unsigned int edge4[] = { 1, 7, 8, 9, 15, 16, 17, 23, 24, 25, 31 };
static const unsigned int edge6[] = { 1, 31, 32, 33, 63, 64, 65, 95, 96, 97, 127 };
static const uint16_t port_pool[] = { 0, 1, 22, 443, 5060, 5061, 10000, 20000, 65534, 65535 };

/* An address from the pool with bits from a random point on random. */
static void
t_rand_addr(uint64_t *rs, int v6, uint8_t *a)
{
	unsigned int max = v6 ? 128 : 32, from = t_rn(rs, max + 1), b;

	memset(a, 0, 16);
	memcpy(a, v6 ? pool6[t_rn(rs, 4)] : pool4[t_rn(rs, 4)], v6 ? 16 : 4);
	for (b = from; b < max; b++)
		if (t_rn(rs, 2))
			t_flip(a, b);
}

/*
 * A random prefix: /0 only when wide, else a host route, one at an octet or word edge,
 * or any length from a quarter of the address on (shorter ones would cover most keys).
 */
static void
t_rand_prefix(uint64_t *rs, int v6, bool wide, struct sbc_ip *ip)
{
	unsigned int max = v6 ? 128 : 32, p = t_rn(rs, 10), b;

	memset(ip, 0, sizeof(*ip));
	ip->family = v6 ? AF_INET6 : AF_INET;
	if (wide)
		ip->plen = 0;
	else if (p <= 1)
		ip->plen = (uint8_t)max;
	else if (p <= 4)
		ip->plen = (uint8_t)(v6 ? edge6[t_rn(rs, RTE_DIM(edge6))] :
					  edge4[t_rn(rs, RTE_DIM(edge4))]);
	else
		ip->plen = (uint8_t)(max / 4 + t_rn(rs, max - max / 4 + 1));
	t_rand_addr(rs, v6, ip->a);
	for (b = ip->plen; b < max; b++) /* as the parser wants it: no host bits */
		if (t_bit(ip->a, b))
			t_flip(ip->a, b);
}

/*
 * n random rules spread over the services, random defaults. About two rules of a set
 * are wide (every source, or a /0 among their prefixes), wherever they fall; about one
 * in six is a list of single addresses (and maybe a prefix) on any port and ingress
 * port, the kind of rule an implementation might keep in an exact-match table.
 */
static void
t_rand_rules(uint64_t *rs, struct sbc_fw_cfg *fw, unsigned int n)
{
	struct sbc_ip ips[6];
	unsigned int i, k, n_src, lo, hi, p;
	bool wide;
	int ifidx;

	memset(fw, 0, sizeof(*fw));
	for (i = 0; i < SBC_FW_SVC_MAX; i++)
		fw->svc[i].default_action = t_rn(rs, 2) ? SBC_FW_ALLOW : SBC_FW_DENY;
	for (i = 0; i < n; i++) {
		if (t_rn(rs, 6) == 0) { /* a list of addresses, and maybe a prefix, on any port */
			n_src = 1 + t_rn(rs, 6);
			for (k = 0; k < n_src; k++) {
				t_rand_prefix(rs, (int)t_rn(rs, 2), false, &ips[k]);
				if (k == 0 && t_rn(rs, 3) == 0)
					continue;
				ips[k].plen = (uint8_t)(ips[k].family == AF_INET6 ? 128 : 32);
				t_rand_addr(rs, ips[k].family == AF_INET6, ips[k].a);
			}
			t_rule_ips(fw, t_rn(rs, SBC_FW_SVC_MAX), ips, n_src, 0, 65535, -1,
					t_rn(rs, 2) ? SBC_FW_ALLOW : SBC_FW_DENY);
			continue;
		}
		wide = t_rn(rs, n) < 2;
		n_src = wide && t_rn(rs, 2) ? 0 : 1 + t_rn(rs, 4);
		for (k = 0; k < n_src; k++)
			t_rand_prefix(rs, (int)t_rn(rs, 2), wide && k == 0, &ips[k]);
		p = t_rn(rs, 8);
		if (p == 0) {
			lo = 0;
			hi = 65535;
		} else if (p <= 2) {
			lo = hi = port_pool[t_rn(rs, RTE_DIM(port_pool))];
		} else {
			lo = t_rn(rs, 3) == 0 ? port_pool[t_rn(rs, RTE_DIM(port_pool))] :
						 t_rn(rs, 65536);
			hi = lo + (t_rn(rs, 2) ? t_rn(rs, 100) : t_rn(rs, 30000));
			if (hi > 65535)
				hi = 65535;
		}
		ifidx = t_rn(rs, 2) ? -1 : (int)t_rn(rs, 4);
		t_rule_ips(fw, t_rn(rs, SBC_FW_SVC_MAX), ips, n_src, lo, hi, ifidx,
				t_rn(rs, 2) ? SBC_FW_ALLOW : SBC_FW_DENY);
	}
}

/*
 * A random key of family v6: mostly aimed at a random rule of fw (inside one of its
 * prefixes, just outside it, at the edges of its port range, on its ingress port),
 * otherwise anything.
 */
static void
t_rand_key(uint64_t *rs, const struct sbc_fw_cfg *fw, int v6, struct tkey *t)
{
	const struct sbc_fw_svc_cfg *sc;
	const struct sbc_fw_rule *fr;
	unsigned int max = v6 ? 128 : 32, s, k, b, n;
	const struct sbc_ip *ip = NULL;

	memset(t, 0, sizeof(*t));
	t->v6 = v6;
	t->svc = t_rn(rs, 50) == 0 ? (uint8_t)(SBC_FW_SVC_MAX + t_rn(rs, 250)) :
				     (uint8_t)t_rn(rs, SBC_FW_SVC_MAX);
	t->dport = t_rn(rs, 2) ? port_pool[t_rn(rs, RTE_DIM(port_pool))] :
				 (uint16_t)t_rn(rs, 65536);
	t->ifidx = (uint16_t)t_rn(rs, 5);
	t_rand_addr(rs, v6, t->src);
	if (t_rn(rs, 10) >= 8 || sbc_fw_config_rules(fw) == 0)
		return;
	do /* a service with rules */
		s = t_rn(rs, SBC_FW_SVC_MAX);
	while (fw->svc[s].n_rules == 0);
	sc = &fw->svc[s];
	fr = &sc->rules[t_rn(rs, sc->n_rules)];
	if (t_rn(rs, 10) != 0)
		t->svc = (uint8_t)s;
	for (n = 0, k = 0; k < fr->n_src; k++) /* one of the rule's prefixes of this family */
		if ((sc->srcs[fr->src_off + k].family == AF_INET6) == (v6 != 0) &&
				t_rn(rs, ++n) == 0)
			ip = &sc->srcs[fr->src_off + k];
	if (ip != NULL) {
		memcpy(t->src, ip->a, v6 ? 16 : 4);
		for (b = ip->plen; b < max; b++)
			if (t_rn(rs, 2))
				t_flip(t->src, b);
		if (ip->plen != 0 && t_rn(rs, 4) == 0) /* just outside */
			t_flip(t->src, ip->plen - 1u - t_rn(rs, RTE_MIN(ip->plen, 3u)));
	}
	switch (t_rn(rs, 6)) {
	case 0:
		t->dport = (uint16_t)(fr->port_lo - 1u);
		break;
	case 1:
		t->dport = fr->port_lo;
		break;
	case 2:
		t->dport = fr->port_hi;
		break;
	case 3:
		t->dport = (uint16_t)(fr->port_hi + 1u);
		break;
	default:
		t->dport = (uint16_t)(fr->port_lo + t_rn(rs, fr->port_hi - fr->port_lo + 1u));
		break;
	}
	if (fr->ifidx >= 0 && t_rn(rs, 4) != 0)
		t->ifidx = (uint16_t)fr->ifidx;
}

/* ---- classification against the reference ---------------------------------------------------- */

static const unsigned int methods[] = { SBC_FW_CLASSIFY_AUTO, SBC_FW_CLASSIFY_SCALAR,
	SBC_FW_CLASSIFY_SSE, SBC_FW_CLASSIFY_AVX2, SBC_FW_CLASSIFY_AVX512X16,
	SBC_FW_CLASSIFY_AVX512X32 };

/*
 * Classifies the n keys of family v6 with r in bursts of 1, 7, 32, 64, 100 keys in turn and
 * compares with want[]; returns the number of differences (the first few are printed).
 */
static unsigned int
t_compare(const struct dp_fw_rules *r, int v6, const struct tkey *keys, const uint32_t *want,
		unsigned int n, const char *what)
{
	static const unsigned int bursts[] = { 1, 7, 32, 64, 100 };
	const uint8_t **ptr = calloc(n, sizeof(*ptr));
	struct dp_fw_key4 *k4 = calloc(n, sizeof(*k4));
	struct dp_fw_key6 *k6 = calloc(n, sizeof(*k6));
	uint32_t *res = malloc(n * sizeof(*res));
	unsigned int i, m, b = 0, bad = 0;
	char a[SBC_IP_STRLEN];
	struct sbc_ip ip;

	assert_true(ptr != NULL && k4 != NULL && k6 != NULL && res != NULL);
	memset(res, 0xa5, n * sizeof(*res));
	for (i = 0; i < n; i++) {
		if (v6) {
			t_key6(&k6[i], &keys[i]);
			ptr[i] = (const uint8_t *)&k6[i];
		} else {
			t_key4(&k4[i], &keys[i]);
			ptr[i] = (const uint8_t *)&k4[i];
		}
	}
	for (i = 0; i < n; i += m) {
		m = RTE_MIN(bursts[b++ % RTE_DIM(bursts)], n - i);
		dp_fw_classify(r, v6, ptr + i, res + i, m);
	}
	for (i = 0; i < n; i++) {
		if (res[i] == want[i])
			continue;
		if (++bad <= 5) {
			memset(&ip, 0, sizeof(ip));
			ip.family = v6 ? AF_INET6 : AF_INET;
			memcpy(ip.a, keys[i].src, 16);
			print_error("%s: key %u {svc %u, src %s, dport %u, ifidx %u}: got %u, "
				    "want %u\n", what, i, keys[i].svc,
					sbc_ip_format(&ip, false, a, sizeof(a)), keys[i].dport,
					keys[i].ifidx, res[i], want[i]);
		}
	}
	free(ptr);
	free(k4);
	free(k6);
	free(res);
	return bad;
}

/* Which methods ran and which are not available here, for the report; what AUTO chose. */
static bool method_ran[SBC_FW_CLASSIFY_MAX], method_skipped[SBC_FW_CLASSIFY_MAX];
static unsigned int method_auto;

/* One random rule set of n rules from seed, every method, both families. */
static void
t_random_set(uint64_t seed, unsigned int n)
{
	static struct tkey keys[DP_FW_FAMILIES][N_KEYS];
	static uint32_t want[DP_FW_FAMILIES][N_KEYS];
	unsigned int i, f, m, hit[DP_FW_FAMILIES] = { 0 }, multi[DP_FW_FAMILIES] = { 0 }, bad = 0;
	struct sbc_fw_cfg fw, copy;
	struct dp_fw_rules *r;
	char err[256], what[96];
	uint64_t rs = seed;

	t_rand_rules(&rs, &fw, n);
	for (f = 0; f < DP_FW_FAMILIES; f++)
		for (i = 0; i < N_KEYS; i++) {
			t_rand_key(&rs, &fw, (int)f, &keys[f][i]);
			want[f][i] = t_ref(&fw, &keys[f][i]);
			hit[f] += want[f][i] != 0;
			multi[f] += t_ref_n(&fw, &keys[f][i]) > 1;
		}
	printf("# %u random rules (seed %" PRIu64 "), %u keys per family: %u IPv4 and %u IPv6 "
	       "match a rule, %u and %u more than one\n",
			n, seed, N_KEYS, hit[0], hit[1], multi[0], multi[1]);
	/* The keys are useful: many match a rule, many do not, some match several. */
	for (f = 0; f < DP_FW_FAMILIES; f++) {
		assert_true(hit[f] > N_KEYS / 8);
		assert_true(hit[f] < N_KEYS - N_KEYS / 10);
		assert_true(n < 200 || multi[f] > N_KEYS / 20);
	}
	for (m = 0; m < RTE_DIM(methods); m++) {
		assert_int_equal(sbc_fw_config_dup(&copy, &fw), 0);
		copy.classify = methods[m];
		err[0] = '\0';
		r = dp_fw_build(&copy, &t_cfg, 1, 1, err, sizeof(err));
		for (i = 0; i < SBC_FW_SVC_MAX; i++) /* taken over, whatever the outcome */
			assert_null(copy.svc[i].rules);
		if (r == NULL) {
			/* Only the SIMD methods may be missing; the message says why. */
			assert_true(methods[m] != SBC_FW_CLASSIFY_SCALAR &&
					methods[m] != SBC_FW_CLASSIFY_AUTO);
			if (strstr(err, "not available") == NULL)
				fail_msg("%s: %s", sbc_fw_classify_name(methods[m]), err);
			method_skipped[methods[m]] = true;
			continue;
		}
		if (methods[m] != SBC_FW_CLASSIFY_AUTO)
			assert_int_equal(r->alg, methods[m]);
		method_ran[methods[m]] = true;
		if (methods[m] == SBC_FW_CLASSIFY_AUTO)
			method_auto = r->alg;
		for (f = 0; f < DP_FW_FAMILIES; f++) {
			snprintf(what, sizeof(what), "%u rules, %s (%s), IPv%c", n,
					sbc_fw_classify_name(methods[m]), dp_fw_alg_name(r),
					f ? '6' : '4');
			bad += t_compare(r, (int)f, keys[f], want[f], N_KEYS, what);
		}
		dp_fw_free(r);
	}
	sbc_fw_config_free(&fw);
	assert_int_equal(bad, 0);
}

static void
test_random(void **state)
{
	char ran[128] = "", skipped[128] = "";
	unsigned int m;

	(void)state;
	t_random_set(0x5bc0f1e57ull, 300);
	t_random_set(0x1234567ull, 60);
	t_random_set(0xfeedull, 8);
	for (m = SBC_FW_CLASSIFY_SCALAR; m < SBC_FW_CLASSIFY_MAX; m++) {
		char *list = method_ran[m] ? ran : skipped;

		assert_true(method_ran[m] != method_skipped[m]);
		snprintf(list + strlen(list), sizeof(ran) - strlen(list), " %s",
				sbc_fw_classify_name(m));
	}
	printf("# classification methods run: auto (= %s)%s; not available here:%s\n",
			sbc_fw_classify_name(method_auto), ran, skipped[0] ? skipped : " none");
	assert_true(method_ran[SBC_FW_CLASSIFY_AUTO] && method_ran[SBC_FW_CLASSIFY_SCALAR]);
}

/* ---- edge cases ------------------------------------------------------------------------------ */

/* No rule at all: no classifier is built, every result is 0 and the defaults decide. */
static void
test_empty(void **state)
{
	static const char *const srcs[] = { "192.0.2.1", "0.0.0.0", "2001:db8::1", "::" };
	struct sbc_fw_cfg fw;
	struct dp_fw_rules *r;
	const uint8_t *p[3];
	struct dp_fw_key4 k4[3];
	uint32_t res[3];
	unsigned int s, i;

	(void)state;
	memset(&fw, 0, sizeof(fw));
	for (s = 0; s < SBC_FW_SVC_MAX; s++)
		fw.svc[s].default_action = s % 2 ? SBC_FW_DENY : SBC_FW_ALLOW;
	r = t_build(&fw, SBC_FW_CLASSIFY_AUTO, 1, 1);
	assert_null(r->acl[0]);
	assert_null(r->acl[1]);
	assert_int_equal(r->n_ids, SBC_FW_SVC_MAX);
	for (s = 0; s < SBC_FW_SVC_MAX; s++) {
		assert_false(r->classify[s]);
		assert_int_equal(r->def_id[s], s);
		for (i = 0; i < RTE_DIM(srcs); i++) {
			t_expect(r, s, srcs[i], 5060, 0, -1);
			assert_int_equal(dp_fw_decide(r, 0, (uint8_t)s, 0, 1),
					s % 2 ? SBC_FW_V_DEFAULT_DENIED : SBC_FW_V_ALLOWED);
		}
		assert_int_equal(dp_fw_hits(r, r->def_id[s]), RTE_DIM(srcs));
	}
	/* A burst is cleared too, not just the first result. */
	for (i = 0; i < 3; i++) {
		memset(&k4[i], 0, sizeof(k4[i]));
		p[i] = (const uint8_t *)&k4[i];
	}
	memset(res, 0xff, sizeof(res));
	dp_fw_classify(r, 0, p, res, 3);
	assert_int_equal(res[0] | res[1] | res[2], 0);
	dp_fw_free(r);
}

/* A deny of 0.0.0.0/0 with an allow default: every IPv4 source denied, IPv6 untouched. */
static void
test_deny_all4(void **state)
{
	struct sbc_fw_cfg fw;
	struct dp_fw_rules *r;
	unsigned int m;

	(void)state;
	for (m = 0; m < RTE_DIM(methods); m++) {
		memset(&fw, 0, sizeof(fw));
		fw.svc[SBC_FW_SIP].default_action = SBC_FW_ALLOW;
		t_rule(&fw, SBC_FW_SIP, "0.0.0.0/0", 0, 65535, -1, SBC_FW_DENY);
		r = t_try_build(&fw, methods[m]);
		if (r == NULL)
			continue; /* not available here */
		assert_null(r->acl[1]); /* no IPv6 rule: nothing to classify IPv6 with */
		t_expect(r, SBC_FW_SIP, "0.0.0.0", 0, 0, 0);
		t_expect(r, SBC_FW_SIP, "255.255.255.255", 65535, 127, 0);
		t_expect(r, SBC_FW_SIP, "192.0.2.1", 5060, 3, 0);
		t_expect(r, SBC_FW_SIP, "2001:db8::1", 5060, 0, -1);
		t_expect(r, SBC_FW_SSH, "192.0.2.1", 22, 0, -1);
		assert_int_equal(dp_fw_decide(r, 0, SBC_FW_SIP, t_id(r, SBC_FW_SIP, 0), 1),
				SBC_FW_V_DENIED);
		assert_int_equal(dp_fw_decide(r, 0, SBC_FW_SIP, 0, 1), SBC_FW_V_ALLOWED);
		dp_fw_free(r);
	}
}

/* The first matching rule wins, whichever is the wider prefix; both families. */
static void
test_order(void **state)
{
	struct sbc_fw_cfg fw;
	struct dp_fw_rules *r;
	unsigned int m;

	(void)state;
	for (m = 0; m < RTE_DIM(methods); m++) {
		memset(&fw, 0, sizeof(fw));
		/* SIP: narrow deny first; SSH: wide allow first; WEB: the same rule twice. */
		t_rule(&fw, SBC_FW_SIP, "192.0.2.0/24 2001:db8:1::/48", 0, 65535, -1, SBC_FW_DENY);
		t_rule(&fw, SBC_FW_SIP, "192.0.0.0/16 2001:db8::/32", 0, 65535, -1, SBC_FW_ALLOW);
		t_rule(&fw, SBC_FW_SSH, "192.0.0.0/16 2001:db8::/32", 0, 65535, -1, SBC_FW_ALLOW);
		t_rule(&fw, SBC_FW_SSH, "192.0.2.0/24 2001:db8:1::/48", 0, 65535, -1, SBC_FW_DENY);
		t_rule(&fw, SBC_FW_WEB, "198.51.100.0/24", 443, 443, -1, SBC_FW_DENY);
		t_rule(&fw, SBC_FW_WEB, "198.51.100.0/24", 443, 443, -1, SBC_FW_ALLOW);
		/* A wide rule after many narrow ones that do not match. */
		t_rule(&fw, SBC_FW_DB, "203.0.113.1/32 203.0.113.2/32 203.0.113.3/32", 0, 65535, -1,
				SBC_FW_DENY);
		t_rule(&fw, SBC_FW_DB, "203.0.113.0/24", 0, 65535, -1, SBC_FW_ALLOW);
		r = t_try_build(&fw, methods[m]);
		if (r == NULL)
			continue; /* not available here */
		assert_int_equal(r->base[SBC_FW_SIP], 0);
		assert_int_equal(r->base[SBC_FW_MEDIA], 2);
		assert_int_equal(r->base[SBC_FW_WEB], 2);
		assert_int_equal(r->base[SBC_FW_SSH], 4);
		assert_int_equal(r->base[SBC_FW_DB], 6);
		assert_int_equal(r->base[SBC_FW_ICMP], 8);
		assert_int_equal(r->def_id[SBC_FW_SIP], 8);
		assert_int_equal(r->def_id[SBC_FW_ICMP], 13);
		assert_int_equal(r->n_ids, 14);
		t_expect(r, SBC_FW_SIP, "192.0.2.5", 5060, 0, 0);
		t_expect(r, SBC_FW_SIP, "192.0.3.5", 5060, 0, 1);
		t_expect(r, SBC_FW_SIP, "192.1.2.5", 5060, 0, -1);
		t_expect(r, SBC_FW_SIP, "2001:db8:1:ffff::5", 5060, 0, 0);
		t_expect(r, SBC_FW_SIP, "2001:db8:2::5", 5060, 0, 1);
		t_expect(r, SBC_FW_SIP, "2001:db9::5", 5060, 0, -1);
		t_expect(r, SBC_FW_SSH, "192.0.2.5", 22, 0, 0);
		t_expect(r, SBC_FW_SSH, "192.0.3.5", 22, 0, 0);
		t_expect(r, SBC_FW_SSH, "2001:db8:1::5", 22, 0, 0);
		t_expect(r, SBC_FW_WEB, "198.51.100.7", 443, 0, 0);
		t_expect(r, SBC_FW_DB, "203.0.113.2", 3306, 0, 0);
		t_expect(r, SBC_FW_DB, "203.0.113.4", 3306, 0, 1);
		dp_fw_free(r);
	}
}

/* Port ranges: lo - 1, lo, hi, hi + 1; single ports; the ends of the port space. */
static void
test_ports(void **state)
{
	static const struct {
		unsigned int lo, hi;
	} rng[] = { { 5000, 5010 }, { 5060, 5060 }, { 0, 0 }, { 65535, 65535 }, { 0, 99 },
		{ 65000, 65535 }, { 0, 65535 } };
	struct sbc_fw_cfg fw;
	struct dp_fw_rules *r;
	unsigned int i, m;
	uint32_t id;

	(void)state;
	for (m = 0; m < RTE_DIM(methods); m++) {
		for (i = 0; i < RTE_DIM(rng); i++) {
			memset(&fw, 0, sizeof(fw));
			t_rule(&fw, SBC_FW_MEDIA, "192.0.2.0/24 2001:db8::/32", rng[i].lo,
					rng[i].hi, -1, SBC_FW_ALLOW);
			r = t_try_build(&fw, methods[m]);
			if (r == NULL)
				break; /* not available here */
			id = t_id(r, SBC_FW_MEDIA, 0);
			assert_int_equal(t_cls(r, SBC_FW_MEDIA, "192.0.2.1", rng[i].lo, 0), id);
			assert_int_equal(t_cls(r, SBC_FW_MEDIA, "192.0.2.1", rng[i].hi, 0), id);
			assert_int_equal(t_cls(r, SBC_FW_MEDIA, "2001:db8::1", rng[i].lo, 0), id);
			assert_int_equal(t_cls(r, SBC_FW_MEDIA, "2001:db8::1", rng[i].hi, 0), id);
			assert_int_equal(t_cls(r, SBC_FW_MEDIA, "192.0.2.1",
						 (rng[i].lo + rng[i].hi) / 2, 0), id);
			if (rng[i].lo > 0) {
				t_expect(r, SBC_FW_MEDIA, "192.0.2.1", rng[i].lo - 1, 0, -1);
				t_expect(r, SBC_FW_MEDIA, "2001:db8::1", rng[i].lo - 1, 0, -1);
			}
			if (rng[i].hi < 65535) {
				t_expect(r, SBC_FW_MEDIA, "192.0.2.1", rng[i].hi + 1, 0, -1);
				t_expect(r, SBC_FW_MEDIA, "2001:db8::1", rng[i].hi + 1, 0, -1);
			}
			/* Octet order: the swapped port is another port. */
			if (rng[i].lo == 5060) {
				t_expect(r, SBC_FW_MEDIA, "192.0.2.1", 0xc413, 0, -1);
				t_expect(r, SBC_FW_MEDIA, "2001:db8::1", 0xc413, 0, -1);
			}
			dp_fw_free(r);
		}
	}
}

/* The ingress port: exact (0 too, which is not "any") or any. */
static void
test_ifidx(void **state)
{
	struct sbc_fw_cfg fw;
	struct dp_fw_rules *r;
	unsigned int m, i;

	(void)state;
	for (m = 0; m < RTE_DIM(methods); m++) {
		memset(&fw, 0, sizeof(fw));
		t_rule(&fw, SBC_FW_SIP, "192.0.2.0/24 2001:db8::/32", 0, 65535, 2, SBC_FW_ALLOW);
		t_rule(&fw, SBC_FW_SIP, "192.0.2.0/24 2001:db8::/32", 0, 65535, 0, SBC_FW_DENY);
		t_rule(&fw, SBC_FW_SIP, "192.0.2.0/24 2001:db8::/32", 0, 65535, 127, SBC_FW_DENY);
		t_rule(&fw, SBC_FW_SSH, "192.0.2.0/24 2001:db8::/32", 0, 65535, -1, SBC_FW_ALLOW);
		r = t_try_build(&fw, methods[m]);
		if (r == NULL)
			continue; /* not available here */
		t_expect(r, SBC_FW_SIP, "192.0.2.1", 5060, 2, 0);
		t_expect(r, SBC_FW_SIP, "2001:db8::1", 5060, 2, 0);
		t_expect(r, SBC_FW_SIP, "192.0.2.1", 5060, 0, 1);
		t_expect(r, SBC_FW_SIP, "2001:db8::1", 5060, 0, 1);
		t_expect(r, SBC_FW_SIP, "192.0.2.1", 5060, 127, 2);
		for (i = 1; i < 8; i++) {
			if (i == 2)
				continue;
			t_expect(r, SBC_FW_SIP, "192.0.2.1", 5060, i, -1);
			t_expect(r, SBC_FW_SIP, "2001:db8::1", 5060, i, -1);
		}
		t_expect(r, SBC_FW_SIP, "192.0.2.1", 5060, 0x200, -1); /* octet order */
		for (i = 0; i < 128; i++) {
			t_expect(r, SBC_FW_SSH, "192.0.2.1", 22, i, 0);
			t_expect(r, SBC_FW_SSH, "2001:db8::1", 22, i, 0);
		}
		dp_fw_free(r);
	}
}

/*
 * Prefix lengths at the edges of the 32-bit words the IPv6 source is split into (and of
 * the IPv4 word): the address itself, its last host bit set, the bit just inside the
 * prefix flipped (outside), the bit just after it flipped (inside).
 */
static void
test_prefix_edges(void **state)
{
	static const unsigned int plen4[] = { 1, 8, 24, 31, 32 };
	static const unsigned int plen6[] = { 1, 31, 32, 33, 63, 64, 65, 95, 96, 97, 127, 128 };
	static const uint8_t base6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0xa5, 0x5a, 0x0f, 0xf0, 0x12,
		0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0 };
	static const uint8_t base4[4] = { 203, 0, 113, 0x9a };
	struct sbc_fw_cfg fw;
	struct dp_fw_rules *r;
	struct sbc_ip ip;
	struct tkey t;
	unsigned int f, i, n, b, max, plen, m;

	(void)state;
	for (m = 0; m < RTE_DIM(methods); m++) {
		for (f = 0; f < 2; f++) {
			n = f ? RTE_DIM(plen6) : RTE_DIM(plen4);
			max = f ? 128 : 32;
			for (i = 0; i < n; i++) {
				plen = f ? plen6[i] : plen4[i];
				memset(&ip, 0, sizeof(ip));
				ip.family = f ? AF_INET6 : AF_INET;
				ip.plen = (uint8_t)plen;
				memcpy(ip.a, f ? base6 : base4, f ? 16 : 4);
				for (b = plen; b < max; b++)
					if (t_bit(ip.a, b))
						t_flip(ip.a, b);
				memset(&fw, 0, sizeof(fw));
				t_rule_ips(&fw, SBC_FW_SIP, &ip, 1, 0, 65535, -1, SBC_FW_ALLOW);
				r = t_try_build(&fw, methods[m]);
				if (r == NULL)
					goto next_method; /* not available here */
				memset(&t, 0, sizeof(t));
				t.v6 = (int)f;
				t.svc = SBC_FW_SIP;
				t.dport = 5060;
				memcpy(t.src, ip.a, 16);
				assert_int_equal(t_classify1(r, &t), 1);
				t_flip(t.src, max - 1);
				assert_int_equal(t_classify1(r, &t), plen < max ? 1 : 0);
				memcpy(t.src, ip.a, 16);
				t_flip(t.src, plen - 1);
				assert_int_equal(t_classify1(r, &t), 0);
				if (plen < max) {
					memcpy(t.src, ip.a, 16);
					t_flip(t.src, plen);
					assert_int_equal(t_classify1(r, &t), 1);
					for (b = plen; b < max; b++) /* every host bit set */
						if (!t_bit(t.src, b))
							t_flip(t.src, b);
					assert_int_equal(t_classify1(r, &t), 1);
				}
				/* Every bit of the prefix matters. */
				for (b = 0; b < plen; b++) {
					memcpy(t.src, ip.a, 16);
					t_flip(t.src, b);
					assert_int_equal(t_classify1(r, &t), 0);
				}
				dp_fw_free(r);
			}
		}
next_method:;
	}
}

/*
 * The key's service octet keeps the services apart: rules of one never match another's
 * keys, whatever else matches; values past the last service match nothing. A rule for
 * every source covers both families; one rule may mix families.
 */
static void
test_services(void **state)
{
	struct sbc_fw_cfg fw;
	struct dp_fw_rules *r;
	unsigned int s, m, i;

	(void)state;
	for (m = 0; m < RTE_DIM(methods); m++) {
		memset(&fw, 0, sizeof(fw));
		t_rule(&fw, SBC_FW_SIP, "", 0, 65535, -1, SBC_FW_ALLOW);
		t_rule(&fw, SBC_FW_SSH, "0.0.0.0/0 ::/0", 0, 65535, -1, SBC_FW_DENY);
		t_rule(&fw, SBC_FW_ICMP, "198.51.100.0/24 2001:db8:5::/48 192.0.2.7/32", 0, 65535,
				-1, SBC_FW_DENY);
		r = t_try_build(&fw, methods[m]);
		if (r == NULL)
			continue; /* not available here */
		for (i = 0; i < 2; i++) {
			const char *src = i ? "2001:db8:5::1" : "192.0.2.7";

			t_expect(r, SBC_FW_SIP, src, 22, 0, 0);
			t_expect(r, SBC_FW_SSH, src, 22, 0, 0);
			t_expect(r, SBC_FW_ICMP, src, 8, 0, 0);
			t_expect(r, SBC_FW_MEDIA, src, 22, 0, -1);
			t_expect(r, SBC_FW_WEB, src, 22, 0, -1);
			t_expect(r, SBC_FW_DB, src, 22, 0, -1);
			for (s = SBC_FW_SVC_MAX; s < 256; s++)
				t_expect(r, s, src, 22, 0, -1);
		}
		t_expect(r, SBC_FW_ICMP, "198.51.100.200", 8, 0, 0);
		t_expect(r, SBC_FW_ICMP, "192.0.2.8", 8, 0, -1);
		t_expect(r, SBC_FW_ICMP, "2001:db8:6::1", 8, 0, -1);
		assert_true(r->classify[SBC_FW_SIP] && r->classify[SBC_FW_SSH] &&
				r->classify[SBC_FW_ICMP]);
		assert_false(r->classify[SBC_FW_MEDIA] || r->classify[SBC_FW_WEB] ||
				r->classify[SBC_FW_DB]);
		dp_fw_free(r);
	}
}

/*
 * Single addresses (/32, /128) on any port and ingress port, which an implementation may
 * hold in an exact-match table apart from the ACL: still judged in rule order against
 * prefixes and port conditions around them, per service, in bursts longer than a hash
 * table's bulk lookup (64).
 */
static void
test_hosts(void **state)
{
	static const char *const srcs[2][4] = {
		{ "192.0.2.7", "192.0.2.8", "198.51.100.1", "203.0.113.5" },
		{ "2001:db8::7", "2001:db8::8", "2001:db8:1::1", "2001:db8::9" } };
	static const unsigned int ports[] = { 22, 23, 5060, 5061 };
	struct dp_fw_key4 k4[200];
	struct dp_fw_key6 k6[200];
	uint32_t res[200], one[200];
	const uint8_t *p[200];
	struct tkey key;
	struct sbc_fw_cfg fw;
	struct dp_fw_rules *r;
	unsigned int m, i, f;

	(void)state;
	for (m = 0; m < RTE_DIM(methods); m++) {
		memset(&fw, 0, sizeof(fw));
		t_rule(&fw, SBC_FW_SIP, "192.0.2.0/24", 5060, 5060, -1, SBC_FW_DENY);
		t_rule(&fw, SBC_FW_SIP, "192.0.2.7/32", 0, 65535, -1, SBC_FW_ALLOW);
		t_rule(&fw, SBC_FW_SIP, "192.0.2.7/32 192.0.2.8/32", 0, 65535, -1, SBC_FW_DENY);
		t_rule(&fw, SBC_FW_SIP, "2001:db8::7/128 198.51.100.0/24", 0, 65535, -1,
				SBC_FW_ALLOW);
		t_rule(&fw, SBC_FW_SIP, "203.0.113.5/32", 22, 22, -1, SBC_FW_ALLOW);
		t_rule(&fw, SBC_FW_SIP, "203.0.113.5/32", 0, 65535, 1, SBC_FW_ALLOW);
		t_rule(&fw, SBC_FW_SIP, "0.0.0.0/0 2001:db8:1::1/128", 0, 65535, -1, SBC_FW_DENY);
		t_rule(&fw, SBC_FW_SIP, "203.0.113.5/32 2001:db8::8/128", 0, 65535, -1,
				SBC_FW_ALLOW);
		t_rule(&fw, SBC_FW_SSH, "192.0.2.7/32 2001:db8::8/128", 0, 65535, -1, SBC_FW_ALLOW);
		r = t_try_build(&fw, methods[m]);
		if (r == NULL)
			continue; /* not available here */
		/* An earlier prefix with a port condition beats a later address. */
		t_expect(r, SBC_FW_SIP, "192.0.2.7", 5060, 0, 0);
		t_expect(r, SBC_FW_SIP, "192.0.2.7", 5061, 0, 1);
		/* An address named twice: the first rule naming it. */
		t_expect(r, SBC_FW_SIP, "192.0.2.8", 5061, 0, 2);
		t_expect(r, SBC_FW_SIP, "192.0.2.8", 5060, 0, 0);
		/* An address and a prefix of the other family in one rule. */
		t_expect(r, SBC_FW_SIP, "2001:db8::7", 1, 3, 3);
		t_expect(r, SBC_FW_SIP, "198.51.100.1", 1, 3, 3);
		/* An address with a port or ingress port condition keeps it. */
		t_expect(r, SBC_FW_SIP, "203.0.113.5", 22, 0, 4);
		t_expect(r, SBC_FW_SIP, "203.0.113.5", 23, 1, 5);
		/* A later address behind an earlier prefix that covers it... */
		t_expect(r, SBC_FW_SIP, "203.0.113.5", 23, 0, 6);
		t_expect(r, SBC_FW_SIP, "2001:db8:1::1", 5060, 0, 6);
		/* ... but not of that family; near misses match nothing. */
		t_expect(r, SBC_FW_SIP, "2001:db8::8", 5060, 0, 7);
		t_expect(r, SBC_FW_SIP, "2001:db8::9", 5060, 0, -1);
		t_expect(r, SBC_FW_SIP, "2001:db8:1::", 5060, 0, -1);
		/* Per service. */
		t_expect(r, SBC_FW_SSH, "192.0.2.7", 22, 0, 0);
		t_expect(r, SBC_FW_SSH, "2001:db8::8", 22, 0, 0);
		t_expect(r, SBC_FW_SSH, "192.0.2.8", 22, 0, -1);
		t_expect(r, SBC_FW_SSH, "2001:db8::7", 22, 0, -1);
		t_expect(r, SBC_FW_WEB, "192.0.2.7", 443, 0, -1);
		t_expect(r, SBC_FW_DB, "2001:db8::8", 443, 0, -1);
		/* Up to 200 keys in one burst give what they give one at a time. */
		for (f = 0; f < 2; f++) {
			for (i = 0; i < RTE_DIM(k4); i++) {
				t_tkey(&key, i % 5 == 0 ? SBC_FW_SSH : SBC_FW_SIP,
						srcs[f][(i * 3 + i / 4) % 4],
						ports[i % RTE_DIM(ports)], i % 3);
				one[i] = t_classify1(r, &key);
				if (f) {
					t_key6(&k6[i], &key);
					p[i] = (const uint8_t *)&k6[i];
				} else {
					t_key4(&k4[i], &key);
					p[i] = (const uint8_t *)&k4[i];
				}
			}
			memset(res, 0xa5, sizeof(res));
			dp_fw_classify(r, (int)f, p, res, RTE_DIM(k4));
			assert_memory_equal(res, one, sizeof(res));
		}
		dp_fw_free(r);
	}
}

/*
 * A method the EAL does not allow (SIMD capped at 128 bits): the build fails with a
 * message naming it, and the caller's rules are taken over all the same. AUTO then
 * falls back to a method within the cap.
 */
static void
test_method_refused(void **state)
{
	uint16_t cap = rte_vect_get_max_simd_bitwidth();
	struct sbc_fw_cfg fw;
	struct dp_fw_rules *r;
	char err[256] = "";

	(void)state;
	if (rte_vect_set_max_simd_bitwidth(RTE_VECT_SIMD_128) != 0)
		skip();
	memset(&fw, 0, sizeof(fw));
	t_rule(&fw, SBC_FW_SIP, "192.0.2.0/24", 0, 65535, -1, SBC_FW_DENY);
	fw.classify = SBC_FW_CLASSIFY_AVX2;
	r = dp_fw_build(&fw, &t_cfg, 1, 1, err, sizeof(err));
	assert_null(r);
	assert_non_null(strstr(err, "firewall.classify = \"avx2\": not available here"));
	assert_null(fw.svc[SBC_FW_SIP].rules);
	assert_null(fw.svc[SBC_FW_SIP].srcs);
	assert_int_equal(fw.svc[SBC_FW_SIP].n_rules, 0);

	t_rule(&fw, SBC_FW_SIP, "2001:db8::/32", 0, 65535, -1, SBC_FW_DENY);
	r = t_build(&fw, SBC_FW_CLASSIFY_AUTO, 1, 1);
	assert_true(r->alg == SBC_FW_CLASSIFY_SSE || r->alg == SBC_FW_CLASSIFY_SCALAR);
	assert_int_equal(t_cls(r, SBC_FW_SIP, "2001:db8::1", 5060, 0), 1);
	dp_fw_free(r);
	assert_int_equal(rte_vect_set_max_simd_bitwidth(cap), 0);
}

/* ---- decisions ------------------------------------------------------------------------------- */

/* Decides n packets of (svc, src) on lcore lc, checking each verdict. */
static void
t_decide(const struct dp_fw_rules *r, unsigned int lc, unsigned int svc, const char *src,
		unsigned int n, unsigned int verdict)
{
	uint32_t res = t_cls(r, svc, src, 5060, 0);

	while (n-- > 0)
		assert_int_equal(dp_fw_decide(r, lc, (uint8_t)svc, res, 1000), verdict);
}

/* Verdicts of allow, deny and both defaults; hits per rule and default over two lcores. */
static void
test_decide(void **state)
{
	struct sbc_fw_cfg fw;
	struct dp_fw_rules *r;
	uint64_t total = 0;
	uint32_t id;

	(void)state;
	memset(&fw, 0, sizeof(fw));
	fw.svc[SBC_FW_SIP].default_action = SBC_FW_DENY;
	t_rule(&fw, SBC_FW_SIP, "192.0.2.0/24", 0, 65535, -1, SBC_FW_ALLOW);
	t_rule(&fw, SBC_FW_SIP, "198.51.100.0/24", 0, 65535, -1, SBC_FW_DENY);
	fw.svc[SBC_FW_WEB].default_action = SBC_FW_ALLOW;
	t_rule(&fw, SBC_FW_WEB, "2001:db8::/32", 0, 65535, -1, SBC_FW_DENY);
	fw.svc[SBC_FW_SSH].default_action = SBC_FW_DENY;
	fw.svc[SBC_FW_ICMP].default_action = SBC_FW_ALLOW;
	r = t_build(&fw, SBC_FW_CLASSIFY_AUTO, 2, 1);
	assert_int_equal(r->n_lcores, 2);
	assert_int_equal(r->n_ids, 3 + SBC_FW_SVC_MAX);

	t_decide(r, 0, SBC_FW_SIP, "192.0.2.9", 3, SBC_FW_V_ALLOWED);
	t_decide(r, 1, SBC_FW_SIP, "192.0.2.10", 2, SBC_FW_V_ALLOWED);
	t_decide(r, 0, SBC_FW_SIP, "198.51.100.7", 1, SBC_FW_V_DENIED);
	t_decide(r, 1, SBC_FW_SIP, "198.51.100.8", 4, SBC_FW_V_DENIED);
	t_decide(r, 0, SBC_FW_SIP, "203.0.113.1", 2, SBC_FW_V_DEFAULT_DENIED);
	t_decide(r, 1, SBC_FW_SIP, "2001:db8::1", 2, SBC_FW_V_DEFAULT_DENIED);
	t_decide(r, 0, SBC_FW_WEB, "2001:db8::1", 1, SBC_FW_V_DENIED);
	t_decide(r, 1, SBC_FW_WEB, "2001:db8:ffff::1", 1, SBC_FW_V_DENIED);
	t_decide(r, 0, SBC_FW_WEB, "2001:db9::1", 5, SBC_FW_V_ALLOWED);
	t_decide(r, 1, SBC_FW_SSH, "192.0.2.9", 3, SBC_FW_V_DEFAULT_DENIED);
	t_decide(r, 0, SBC_FW_ICMP, "192.0.2.9", 2, SBC_FW_V_ALLOWED);
	t_decide(r, 1, SBC_FW_ICMP, "2001:db8::1", 2, SBC_FW_V_ALLOWED);

	assert_int_equal(dp_fw_hits(r, t_id(r, SBC_FW_SIP, 0) - 1), 5);
	assert_int_equal(dp_fw_hits(r, t_id(r, SBC_FW_SIP, 1) - 1), 5);
	assert_int_equal(dp_fw_hits(r, r->def_id[SBC_FW_SIP]), 4);
	assert_int_equal(dp_fw_hits(r, t_id(r, SBC_FW_WEB, 0) - 1), 2);
	assert_int_equal(dp_fw_hits(r, r->def_id[SBC_FW_WEB]), 5);
	assert_int_equal(dp_fw_hits(r, r->def_id[SBC_FW_SSH]), 3);
	assert_int_equal(dp_fw_hits(r, r->def_id[SBC_FW_ICMP]), 4);
	assert_int_equal(dp_fw_hits(r, r->def_id[SBC_FW_MEDIA]), 0);
	assert_int_equal(dp_fw_hits(r, r->def_id[SBC_FW_DB]), 0);
	for (id = 0; id < r->n_ids; id++)
		total += dp_fw_hits(r, id);
	assert_int_equal(total, 5 + 5 + 4 + 2 + 5 + 3 + 4);
	assert_int_equal(dp_fw_hits(r, r->n_ids), 0); /* out of range */
	assert_int_equal(dp_fw_hits(r, UINT32_MAX), 0);
	dp_fw_free(r);
}

/* Packets rule res lets through on lcore lc at now before it refuses one (at most cap). */
static unsigned int
t_allowed(const struct dp_fw_rules *r, unsigned int lc, uint32_t res, uint64_t now,
		unsigned int cap)
{
	unsigned int n = 0;

	while (n < cap && dp_fw_decide(r, lc, SBC_FW_SIP, res, now) == SBC_FW_V_ALLOWED)
		n++;
	return n;
}

/*
 * Rate-limit rules: at one instant exactly the burst passes, then one more per emission
 * interval; with two lcores each gets half the rate and half the burst (at least 1).
 */
static void
test_rate_limit(void **state)
{
	const uint64_t hz = rte_get_tsc_hz(), now = hz * 1000;
	struct sbc_fw_cfg fw;
	struct dp_fw_rules *r;
	uint32_t res, res2;
	uint64_t t;

	(void)state;
	/* One lcore: rate 100/s, burst 8. A second rule keeps a state of its own. */
	memset(&fw, 0, sizeof(fw));
	t_rule(&fw, SBC_FW_SIP, "192.0.2.0/24", 0, 65535, -1, SBC_FW_ALLOW);
	t_rule_rl(&fw, SBC_FW_SIP, 100, 8);
	t_rule_rl(&fw, SBC_FW_ICMP, 10, 3);
	r = t_build(&fw, SBC_FW_CLASSIFY_AUTO, 1, 1);
	res = t_cls(r, SBC_FW_SIP, "198.51.100.1", 5060, 0);
	assert_int_equal(res, t_id(r, SBC_FW_SIP, 1));
	res2 = t_cls(r, SBC_FW_ICMP, "198.51.100.1", 8, 0);
	assert_int_equal(res2, t_id(r, SBC_FW_ICMP, 0));
	t = hz / 100;
	assert_int_equal(t_allowed(r, 0, res, now, 100), 8);
	assert_int_equal(dp_fw_decide(r, 0, SBC_FW_SIP, res, now), SBC_FW_V_RATE_LIMITED);
	assert_int_equal(t_allowed(r, 0, res, now + t - 1, 100), 0);
	assert_int_equal(t_allowed(r, 0, res, now + t, 100), 1);
	assert_int_equal(t_allowed(r, 0, res, now + 3 * t, 100), 2);
	assert_int_equal(t_allowed(r, 0, res, now + 100 * hz, 100), 8); /* full again, no more */
	/* The other rule's bucket is untouched, and has its own rate. */
	assert_int_equal(dp_fw_decide(r, 0, SBC_FW_ICMP, res2, now), SBC_FW_V_ALLOWED);
	assert_int_equal(dp_fw_decide(r, 0, SBC_FW_ICMP, res2, now), SBC_FW_V_ALLOWED);
	assert_int_equal(dp_fw_decide(r, 0, SBC_FW_ICMP, res2, now), SBC_FW_V_ALLOWED);
	assert_int_equal(dp_fw_decide(r, 0, SBC_FW_ICMP, res2, now), SBC_FW_V_RATE_LIMITED);
	assert_int_equal(dp_fw_decide(r, 0, SBC_FW_ICMP, res2, now + hz / 10),
			SBC_FW_V_ALLOWED);
	/* Every decision counts, refusals too: 9 + 1 + 1 + 2 + 3 + 9. */
	assert_int_equal(dp_fw_hits(r, res - 1), 25);
	assert_int_equal(dp_fw_hits(r, res2 - 1), 5);
	dp_fw_free(r);

	/* Two lcores: 50/s and a burst of 4 each, independently. */
	memset(&fw, 0, sizeof(fw));
	t_rule_rl(&fw, SBC_FW_SIP, 100, 8);
	r = t_build(&fw, SBC_FW_CLASSIFY_AUTO, 2, 1);
	res = t_cls(r, SBC_FW_SIP, "2001:db8::1", 5060, 0);
	assert_int_equal(res, t_id(r, SBC_FW_SIP, 0));
	t = 2 * hz / 100;
	assert_int_equal(t_allowed(r, 0, res, now, 100), 4);
	assert_int_equal(t_allowed(r, 1, res, now, 100), 4);
	assert_int_equal(t_allowed(r, 0, res, now + hz / 100, 100), 0);
	assert_int_equal(t_allowed(r, 0, res, now + t - 1, 100), 0);
	assert_int_equal(t_allowed(r, 0, res, now + t, 100), 1);
	assert_int_equal(t_allowed(r, 1, res, now + t, 100), 1);
	dp_fw_free(r);

	/* Two lcores, odd burst: 5 / 2 = 2 each; burst 1: at least 1 each. */
	memset(&fw, 0, sizeof(fw));
	t_rule_rl(&fw, SBC_FW_SIP, 100, 5);
	t_rule_rl(&fw, SBC_FW_SIP, 100, 1);
	r = t_build(&fw, SBC_FW_CLASSIFY_AUTO, 2, 1);
	res = t_id(r, SBC_FW_SIP, 0);
	assert_int_equal(t_allowed(r, 0, res, now, 100), 2);
	assert_int_equal(t_allowed(r, 1, res, now, 100), 2);
	res = t_id(r, SBC_FW_SIP, 1);
	assert_int_equal(t_allowed(r, 0, res, now, 100), 1);
	assert_int_equal(t_allowed(r, 1, res, now, 100), 1);
	dp_fw_free(r);
}

/* ---- generations ----------------------------------------------------------------------------- */

/* Octets allocated from every EAL heap. */
static size_t
t_heap_used(void)
{
	struct rte_malloc_socket_stats st;
	unsigned int i;
	size_t n = 0;

	for (i = 0; i < rte_socket_count(); i++)
		if (rte_malloc_get_socket_stats(rte_socket_id_by_idx(i), &st) == 0)
			n += st.heap_allocsz_bytes;
	return n;
}

/*
 * Two generations alive at once, built from different rules: each keeps its own
 * classifiers (a context created under a name in use would be the old one, and the new
 * rules would land in it) and its own number; freeing them gives every octet back.
 */
static void
test_generations(void **state)
{
	size_t before = t_heap_used();
	struct dp_fw_rules *a, *b, *c;
	struct sbc_fw_cfg fw;
	unsigned int i;

	(void)state;
	memset(&fw, 0, sizeof(fw));
	t_rule(&fw, SBC_FW_SIP, "192.0.2.0/24 2001:db8::/32", 0, 65535, -1, SBC_FW_DENY);
	a = t_build(&fw, SBC_FW_CLASSIFY_AUTO, 1, 41);
	memset(&fw, 0, sizeof(fw));
	t_rule(&fw, SBC_FW_SIP, "198.51.100.0/24 2001:db8:1::/48", 0, 65535, -1, SBC_FW_ALLOW);
	t_rule(&fw, SBC_FW_SIP, "192.0.2.0/24 2001:db8::/32", 0, 65535, -1, SBC_FW_DENY);
	b = t_build(&fw, SBC_FW_CLASSIFY_SCALAR, 1, 42);
	assert_int_equal(a->gen, 41);
	assert_int_equal(b->gen, 42);
	assert_ptr_not_equal(a->acl[0], b->acl[0]);
	assert_ptr_not_equal(a->acl[1], b->acl[1]);
	for (i = 0; i < 2; i++) {
		assert_int_equal(t_cls(a, SBC_FW_SIP, "192.0.2.1", 5060, 0), 1);
		assert_int_equal(t_cls(a, SBC_FW_SIP, "2001:db8:1::1", 5060, 0), 1);
		t_expect(a, SBC_FW_SIP, "198.51.100.1", 5060, 0, -1);
		assert_int_equal(t_cls(b, SBC_FW_SIP, "192.0.2.1", 5060, 0), 2);
		assert_int_equal(t_cls(b, SBC_FW_SIP, "2001:db8:1::1", 5060, 0), 1);
		assert_int_equal(t_cls(b, SBC_FW_SIP, "198.51.100.1", 5060, 0), 1);
		assert_int_equal(t_cls(b, SBC_FW_SIP, "2001:db8:2::1", 5060, 0), 2);
		/* A third one, while a and b live, and a freed in between. */
		memset(&fw, 0, sizeof(fw));
		t_rule(&fw, SBC_FW_SIP, "203.0.113.0/24", 0, 65535, -1, SBC_FW_DENY);
		c = t_build(&fw, SBC_FW_CLASSIFY_AUTO, 1, 43);
		assert_int_equal(t_cls(c, SBC_FW_SIP, "203.0.113.1", 5060, 0), 1);
		t_expect(c, SBC_FW_SIP, "192.0.2.1", 5060, 0, -1);
		dp_fw_free(c);
	}
	dp_fw_free(a);
	dp_fw_free(b);
	dp_fw_free(NULL);
	assert_int_equal(t_heap_used(), before);
}

/* ---- the blocklist --------------------------------------------------------------------------- */

/*
 * A source key on an 8-octet boundary. Every test but the last hashes keys aligned so:
 * see test_blocks_key_array for why.
 */
struct t_src_key {
	_Alignas(8) struct dp_src_key k;
};

static void
t_skey(struct dp_src_key *k, const char *addr)
{
	struct sbc_ip ip;

	assert_int_equal(sbc_ip_parse(addr, strchr(addr, ':') ? AF_INET6 : AF_INET, false, &ip), 0);
	dp_src_key_of_ip(k, &ip);
}

/* The i-th of many distinct keys, IPv4 and IPv6 in turn. */
static void
t_nkey(struct dp_src_key *k, unsigned int i)
{
	uint8_t a[16] = { 0x20, 0x01, 0x0d, 0xb8 };

	if (i % 2) {
		a[6] = (uint8_t)(i >> 8);
		a[7] = (uint8_t)i;
		a[15] = 1;
		dp_src_key_make(k, 1, a);
	} else {
		a[0] = 10;
		a[1] = (uint8_t)(i >> 16);
		a[2] = (uint8_t)(i >> 8);
		a[3] = (uint8_t)i;
		dp_src_key_make(k, 0, a);
	}
}

/* Source keys: an IPv4 address, or an IPv6 /64; families never equal. */
static void
test_src_key(void **state)
{
	_Alignas(8) struct dp_src_key x, y; /* see test_blocks_key_array */
	struct sbc_ip ip;
	char buf[SBC_IP_STRLEN];

	(void)state;
	t_skey(&x, "2001:db8:1:2::1");
	t_skey(&y, "2001:db8:1:2:ffff:ffff:ffff:ffff");
	assert_true(dp_src_key_eq(&x, &y));
	assert_int_equal(dp_src_key_hash(&x), dp_src_key_hash(&y));
	t_skey(&y, "2001:db8:1:3::1");
	assert_false(dp_src_key_eq(&x, &y));
	t_skey(&y, "2001:db8:1:2::");
	assert_true(dp_src_key_eq(&x, &y));
	dp_src_key_ip(&x, &ip);
	assert_string_equal(sbc_ip_format(&ip, true, buf, sizeof(buf)), "2001:db8:1:2::/64");
	t_skey(&x, "192.0.2.1");
	t_skey(&y, "192.0.2.2");
	assert_false(dp_src_key_eq(&x, &y));
	t_skey(&y, "c000:201::"); /* the same first octets, the other family */
	assert_false(dp_src_key_eq(&x, &y));
	dp_src_key_ip(&x, &ip);
	assert_string_equal(sbc_ip_format(&ip, true, buf, sizeof(buf)), "192.0.2.1/32");
}

/* Add, find, delete; -EEXIST, -ENOENT, -ENOSPC; slots come back after reclaim. */
static void
test_blocks(void **state)
{
	_Alignas(8) struct dp_src_key k, k2;
	struct dp_blocks b, b2;
	int pos, slot[64];
	unsigned int i;

	(void)state;
	assert_int_equal(dp_blocks_init(&b, 64, SOCKET_ID_ANY), 0);
	assert_int_equal(dp_blocks_init(&b2, 8, SOCKET_ID_ANY), 0); /* a second table */
	assert_int_equal(dp_blocks_count(&b), 0);
	t_skey(&k, "2001:db8:1:2::1");
	assert_int_equal(dp_blocks_find(&b, &k), -ENOENT);
	assert_int_equal(dp_blocks_del(&b, &k), -ENOENT);
	pos = dp_blocks_add(&b, &k, DP_BLOCK_ALL);
	assert_true(pos >= 0);
	assert_int_equal(dp_blocks_count(&b), 1);
	assert_int_equal(dp_blocks_find(&b, &k), pos);
	t_skey(&k2, "2001:db8:1:2:abcd::99"); /* the same /64 */
	assert_int_equal(dp_blocks_find(&b, &k2), pos);
	assert_int_equal(dp_blocks_add(&b, &k2, DP_BLOCK_ALL), -EEXIST);
	t_skey(&k2, "2001:db8:1:3::1"); /* the next /64 */
	assert_int_equal(dp_blocks_find(&b, &k2), -ENOENT);
	assert_int_equal(dp_blocks_find(&b2, &k), -ENOENT);
	t_skey(&k2, "192.0.2.1");
	assert_true(dp_blocks_add(&b, &k2, DP_BLOCK_ALL) >= 0);
	assert_int_equal(dp_blocks_add(&b, &k2, DP_BLOCK_ALL), -EEXIST);
	assert_int_equal(dp_blocks_count(&b), 2);
	assert_int_equal(dp_blocks_del(&b, &k), 0);
	assert_int_equal(dp_blocks_del(&b, &k), -ENOENT);
	assert_int_equal(dp_blocks_find(&b, &k), -ENOENT);
	assert_int_equal(dp_blocks_count(&b), 1);
	assert_int_equal(dp_blocks_del(&b, &k2), 0);
	assert_int_equal(dp_blocks_count(&b), 0);
	dp_blocks_reclaim(&b, NULL);
	assert_int_equal(b.n_freed, 0);
	assert_true(dp_blocks_add(&b, &k, DP_BLOCK_ALL) >= 0);
	assert_int_equal(dp_blocks_del(&b, &k), 0);
	dp_blocks_reclaim(&b, NULL);

	/* Full at max entries, whatever room the hash has. */
	for (i = 0; i < 64; i++) {
		t_nkey(&k, i);
		slot[i] = dp_blocks_add(&b, &k, DP_BLOCK_ALL);
		assert_true(slot[i] >= 0);
	}
	assert_int_equal(dp_blocks_count(&b), 64);
	t_nkey(&k, 64);
	assert_int_equal(dp_blocks_add(&b, &k, DP_BLOCK_ALL), -ENOSPC);
	assert_int_equal(dp_blocks_count(&b), 64);
	t_nkey(&k, 0);
	assert_int_equal(dp_blocks_add(&b, &k, DP_BLOCK_ALL), -EEXIST);
	for (i = 0; i < 64; i++) {
		t_nkey(&k, i);
		assert_int_equal(dp_blocks_find(&b, &k), slot[i]);
	}
	/*
	 * One out: its slot stays taken until reclaimed (a reader may still be on it), so
	 * another key gets another slot; then both out, reclaimed, and the first back in.
	 */
	t_nkey(&k, 17);
	assert_int_equal(dp_blocks_del(&b, &k), 0);
	assert_int_equal(dp_blocks_count(&b), 63);
	t_nkey(&k2, 500);
	pos = dp_blocks_add(&b, &k2, DP_BLOCK_ALL);
	assert_true(pos >= 0);
	assert_int_not_equal(pos, slot[17]);
	assert_int_equal(dp_blocks_del(&b, &k2), 0);
	dp_blocks_reclaim(&b, NULL);
	assert_true(dp_blocks_add(&b, &k, DP_BLOCK_ALL) >= 0);
	assert_int_equal(dp_blocks_count(&b), 64);
	for (i = 0; i < 64; i++) {
		t_nkey(&k, i);
		assert_int_equal(dp_blocks_del(&b, &k), 0);
	}
	assert_int_equal(dp_blocks_count(&b), 0);
	dp_blocks_reclaim(&b, NULL);
	for (i = 0; i < 64; i++) {
		t_nkey(&k, 1000 + i);
		assert_true(dp_blocks_add(&b, &k, DP_BLOCK_ALL) >= 0);
	}
	assert_int_equal(dp_blocks_count(&b), 64);
	dp_blocks_fini(&b);
	assert_null(b.h);
	dp_blocks_fini(&b2);
}

/* Bulk lookup: found exactly the blocked keys at their slots, and counted per key. */
static void
test_blocks_lookup(void **state)
{
	struct t_src_key keys[RTE_HASH_LOOKUP_BULK_MAX];
	const void *key_ptrs[RTE_HASH_LOOKUP_BULK_MAX];
	int32_t pos[RTE_HASH_LOOKUP_BULK_MAX];
	int slot[RTE_HASH_LOOKUP_BULK_MAX];
	struct dp_blocks b;
	unsigned int i, n = RTE_HASH_LOOKUP_BULK_MAX;

	(void)state;
	assert_int_equal(dp_blocks_init(&b, 64, SOCKET_ID_ANY), 0);
	for (i = 0; i < n; i++) {
		t_nkey(&keys[i].k, i);
		key_ptrs[i] = &keys[i].k;
		slot[i] = -1;
		if (i % 3 == 0) {
			slot[i] = dp_blocks_add(&b, &keys[i].k, DP_BLOCK_ALL);
			assert_true(slot[i] >= 0);
		}
	}
	assert_int_equal(dp_blocks_lookup(&b, key_ptrs, NULL, n, pos), 0);
	for (i = 0; i < n; i++) {
		if (slot[i] >= 0) {
			assert_int_equal(pos[i], slot[i]);
			assert_int_equal(b.hits[slot[i]], 1);
		} else {
			assert_true(pos[i] < 0);
		}
	}
	/* A key twice in one burst counts twice; short bursts too. */
	key_ptrs[1] = &keys[0].k;
	assert_int_equal(dp_blocks_lookup(&b, key_ptrs, NULL, 2, pos), 0);
	assert_int_equal(pos[0], slot[0]);
	assert_int_equal(pos[1], slot[0]);
	assert_int_equal(b.hits[slot[0]], 3);
	assert_int_equal(b.hits[slot[3]], 1);
	assert_int_equal(dp_blocks_lookup(&b, key_ptrs + 3, NULL, 1, pos), 0);
	assert_int_equal(pos[0], slot[3]);
	assert_int_equal(b.hits[slot[3]], 2);
	/* Unblocked, then blocked again: its count starts over. */
	assert_int_equal(dp_blocks_del(&b, &keys[3].k), 0);
	assert_int_equal(dp_blocks_lookup(&b, key_ptrs + 3, NULL, 1, pos), 0);
	assert_true(pos[0] < 0);
	dp_blocks_reclaim(&b, NULL);
	slot[3] = dp_blocks_add(&b, &keys[3].k, DP_BLOCK_ALL);
	assert_true(slot[3] >= 0);
	assert_int_equal(b.hits[slot[3]], 0);
	assert_int_equal(dp_blocks_lookup(&b, key_ptrs + 3, NULL, 1, pos), 0);
	assert_int_equal(b.hits[slot[3]], 1);
	/* Every slot that counted, freed and taken again by other keys: counts start over. */
	for (i = 0; i < n; i++)
		if (slot[i] >= 0)
			assert_int_equal(dp_blocks_del(&b, &keys[i].k), 0);
	dp_blocks_reclaim(&b, NULL);
	for (i = 0; i < 64; i++) {
		t_nkey(&keys[0].k, 2000 + i);
		slot[0] = dp_blocks_add(&b, &keys[0].k, DP_BLOCK_ALL);
		assert_true(slot[0] >= 0);
		assert_int_equal(b.hits[slot[0]], 0);
	}
	dp_blocks_fini(&b);
}

/* Reports come out in order with every field intact; a full ring refuses. */
static void
test_reports(void **state)
{
	static const struct {
		const char *addr;
		unsigned int off, ifidx;
	} in[] = {
		{ "192.0.2.1", SBC_FW_OFF_SIP_FLOOD, 0 },
		{ "2001:db8:1:2:3:4:5:6", SBC_FW_OFF_SCANNER, 3 },
		{ "198.51.100.255", SBC_FW_OFF_MALFORMED, 7 },
		{ "2001:db8::ffff", SBC_FW_OFF_CALL_FLOOD, 1 },
		{ "203.0.113.9", SBC_FW_OFF_AUTH_FAILURE, 255 },
	};
	struct sbc_fw_report out[8];
	struct dp_src_key got_key;
	struct dp_src_key k;
	struct dp_blocks b;
	struct sbc_ip ip;
	unsigned int i, n, got, total;
	uint8_t a[16] = { 0 };

	(void)state;
	assert_int_equal(dp_blocks_init(&b, 16, SOCKET_ID_ANY), 0);
	assert_int_equal(dp_blocks_reports(&b, out, 8), 0);
	for (i = 0; i < RTE_DIM(in); i++) {
		int v6 = strchr(in[i].addr, ':') != NULL;

		assert_int_equal(sbc_ip_parse(in[i].addr, v6 ? AF_INET6 : AF_INET, false, &ip), 0);
		assert_int_equal(dp_blocks_report(&b, v6, ip.a, in[i].off, in[i].ifidx), 0);
	}
	got = dp_blocks_reports(&b, out, 3);
	assert_int_equal(got, 3);
	got += dp_blocks_reports(&b, out + 3, 8 - 3);
	assert_int_equal(got, RTE_DIM(in));
	for (i = 0; i < RTE_DIM(in); i++) {
		int v6 = strchr(in[i].addr, ':') != NULL;

		assert_int_equal(sbc_ip_parse(in[i].addr, v6 ? AF_INET6 : AF_INET, false, &ip), 0);
		dp_src_key_of_ip(&k, &ip);
		dp_src_key_make(&got_key, out[i].v6, out[i].addr);
		assert_true(dp_src_key_eq(&got_key, &k));
		assert_int_equal(out[i].offence, in[i].off);
		assert_int_equal(out[i].ifidx, in[i].ifidx);
		assert_int_equal(out[i].v6, v6);
		assert_memory_equal(out[i].addr, ip.a, 16);
	}
	assert_int_equal(dp_blocks_reports(&b, out, 8), 0);

	/* Fill the ring: it refuses at its capacity, nothing is lost or reordered. */
	for (n = 0; n < 2 * SBC_REPORT_RING; n++) {
		a[0] = 10;
		a[2] = (uint8_t)(n >> 8);
		a[3] = (uint8_t)n;
		if (dp_blocks_report(&b, 0, a, SBC_FW_OFF_SIP_FLOOD, n % 4) != 0)
			break;
	}
	assert_true(n >= SBC_REPORT_RING - 1 && n <= SBC_REPORT_RING);
	for (total = 0; (got = dp_blocks_reports(&b, out, 8)) != 0; total += got)
		for (i = 0; i < got; i++) {
			assert_int_equal(out[i].addr[2] << 8 | out[i].addr[3],
					(total + i) & 0xffff);
			assert_int_equal(out[i].ifidx, (total + i) % 4);
		}
	assert_int_equal(total, n);
	assert_int_equal(dp_blocks_report(&b, 0, a, SBC_FW_OFF_OPERATOR, 0), 0);
	dp_blocks_fini(&b);
}

/*
 * Regression test: the blocklist's keys (struct dp_src_key: alignment 1, size 12) sit
 * 12 octets apart in arrays such as dp.h's block_keys[], so every other one is only 4-aligned.
 * They were once hashed with rte_hash_crc(), which loads 8 octets through a uint64_t
 * pointer: a misaligned load that UBSan stops at. The hash now copies the key out with
 * memcpy (dp_src.h); lookups of misaligned keys must work under UBSan.
 */
static void
test_blocks_key_array(void **state)
{
	_Alignas(8) struct dp_src_key keys[4]; /* as in dp.h: keys[1] and keys[3] 4-aligned */
	_Alignas(8) struct dp_src_key one;
	const void *key_ptrs[4];
	int32_t pos[4];
	struct dp_blocks b;
	unsigned int i;

	(void)state;
	assert_int_equal(dp_blocks_init(&b, 16, SOCKET_ID_ANY), 0);
	for (i = 0; i < 4; i++) {
		t_nkey(&keys[i], i);
		key_ptrs[i] = &keys[i];
	}
	assert_true((uintptr_t)&keys[1] % 8 != 0);
	t_nkey(&one, 1);
	assert_true(dp_blocks_add(&b, &one, DP_BLOCK_ALL) >= 0);
	assert_int_equal(dp_src_key_hash(&keys[1]), dp_src_key_hash(&one)); /* UBSan: here */
	assert_int_equal(dp_blocks_lookup(&b, key_ptrs, NULL, 4, pos), 0);              /* and here */
	assert_true(pos[0] < 0 && pos[1] >= 0 && pos[2] < 0 && pos[3] < 0);
	assert_int_equal(dp_blocks_find(&b, &keys[1]), pos[1]);
	dp_blocks_fini(&b);
}

/* ---- the EAL --------------------------------------------------------------------------------- */

/* Removes the EAL's runtime directory of this run (and the files in it), if still there. */
static void
t_rm_runtime_dir(const char *dir, const char *prefix)
{
	const char *base = strrchr(dir, '/');
	struct dirent *de;
	DIR *d;

	if (base == NULL || strcmp(base + 1, prefix) != 0)
		return; /* not ours */
	d = opendir(dir);
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			unlinkat(dirfd(d), de->d_name, 0);
	closedir(d);
	if (rmdir(dir) != 0 && errno != ENOENT)
		fprintf(stderr, "# test_fw: cannot remove %s: %s\n", dir, strerror(errno));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_deny_all4),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_ifidx),
		cmocka_unit_test(test_prefix_edges),
		cmocka_unit_test(test_services),
		cmocka_unit_test(test_hosts),
		cmocka_unit_test(test_method_refused),
		cmocka_unit_test(test_decide),
		cmocka_unit_test(test_rate_limit),
		cmocka_unit_test(test_generations),
		cmocka_unit_test(test_src_key),
		cmocka_unit_test(test_blocks),
		cmocka_unit_test(test_blocks_lookup),
		cmocka_unit_test(test_reports),
		cmocka_unit_test(test_blocks_key_array),
	};
	char prefix[32], rundir[PATH_MAX];
	char *eal_argv[] = { "test_fw", "--no-huge", "-m", "512", "--no-pci", "--no-shconf",
		"--no-telemetry", "--file-prefix", prefix, "--log-level", "lib.eal:error", NULL };
	int rc;

	/* Unique per process, so that two runs at once do not meet. */
	snprintf(prefix, sizeof(prefix), "tfw%ld", (long)getpid());
	if (rte_eal_init((int)RTE_DIM(eal_argv) - 1, eal_argv) < 0) {
		fprintf(stderr, "test_fw: EAL initialisation failed: %s\n",
				rte_strerror(rte_errno));
		return 1;
	}
	/*
	 * Without shared files and telemetry the EAL leaves its runtime directory empty and
	 * never looks at it again: removed at once, so that a run that aborts (see
	 * test_blocks_key_array) leaves nothing behind either; and again at the end.
	 */
	snprintf(rundir, sizeof(rundir), "%s", rte_eal_get_runtime_dir());
	t_rm_runtime_dir(rundir, prefix);
	/* Let every method this CPU has run (the EAL caps SIMD at 256 bits by default). */
	rte_vect_set_max_simd_bitwidth(RTE_VECT_SIMD_512);
	t_cfg.media.port_min = 10000;
	t_cfg.media.port_max = 20000;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	rte_eal_cleanup();
	t_rm_runtime_dir(rundir, prefix);
	return rc;
}
