/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_limit.c - the per-source flood limiter (dp_limit.h) and the source table under it
 * (dp_srctab, dp_src.h). Plain C on the heap, no EAL; times are in arbitrary units
 * (the dataplane uses TSC cycles), always > 0 since 0 marks a free entry:
 *  - the SIP datagram bucket (GCRA): exactly the burst at one instant, then one per
 *    emission interval and not a unit earlier; a refused datagram takes no token; a
 *    source at exactly the rate is never refused; a long pause refills to the burst only;
 *  - the new-call bucket: limits datagrams that start a call while others still pass,
 *    and a datagram refused by either bucket takes a token from neither;
 *  - reports: *report set exactly when the block_after-th refusal falls in the current
 *    window, once per window when posted, and again only once a new window has begun;
 *    a report that could not be posted asked for again at the next refusal; block_after
 *    0 never reports; *report otherwise left alone;
 *  - sources: independent, an IPv6 source being its /64; kept from the time 1 on;
 *  - the table: sizes, free entries used first, the least recently seen entry of a full
 *    set recycled (the others keep their state), one set of 4 ways and sets of a
 *    larger table;
 *  - random traffic against a token-bucket model of both limits and the report window;
 *  - the key hash on keys assigned as structs and on misaligned keys (a regression test).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dp_limit.h"
#include "test_prng.h"

#define T0 1000000 /* the first instant of most tests: larger than any window */

/* A table for at least n sources, on the heap. */
static void *
t_table(struct dp_limit *t, unsigned int n)
{
	void *mem = calloc(1, dp_limit_mem_size(n));

	assert_non_null(mem);
	dp_limit_init(t, mem, n);
	return mem;
}

/*
 * Limits of burst SIP datagrams at once and one per sip_t units, call_burst new calls at
 * once and one per call_t units; block_after refusals within window get reported.
 */
static struct dp_limit_params
t_params_t(unsigned int burst, uint64_t sip_t, unsigned int call_burst, uint64_t call_t,
		uint64_t window, uint32_t block_after)
{
	struct dp_limit_params lp = {
		.sip_t = sip_t,
		.sip_tau = sip_t * (burst - 1),
		.call_t = call_t,
		.call_tau = call_t * (call_burst - 1),
		.window = window,
		.block_after = block_after,
	};

	return lp;
}

/* The same with a SIP interval of 100 units and a call interval of 1000. */
static struct dp_limit_params
t_params(unsigned int burst, unsigned int call_burst, uint64_t window, uint32_t block_after)
{
	return t_params_t(burst, 100, call_burst, 1000, window, block_after);
}

/* The same with intervals so long that no token comes back within a test. */
static struct dp_limit_params
t_params_slow(unsigned int burst, unsigned int call_burst, uint64_t window, uint32_t block_after)
{
	return t_params_t(burst, 1000000000, call_burst, 1000000000, window, block_after);
}

/*
 * A source key, 8-aligned, and always made in place with dp_src_key_make(), never
 * assigned as a struct: both for the reason given with the last test.
 */
struct t_key {
	_Alignas(8) struct dp_src_key k;
};

/* The key of the address a (IPv4 "a.b.c.d" or IPv6 text). */
static void
t_src(struct t_key *k, const char *a)
{
	struct sbc_ip ip;

	assert_int_equal(sbc_ip_parse(a, strchr(a, ':') ? AF_INET6 : AF_INET, false, &ip), 0);
	dp_src_key_of_ip(&k->k, &ip);
}

/* The i-th of many distinct IPv4 sources. */
static void
t_nsrc(struct t_key *k, unsigned int i)
{
	uint8_t a[4] = { 10, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i };

	dp_src_key_make(&k->k, 0, a);
}

/*
 * dp_limit_sip as the dataplane uses it when every report gets posted: sets *report
 * when one is due (and confirms it), leaves it alone otherwise.
 */
static enum dp_limit_verdict
t_limit(struct dp_limit *t, const struct dp_limit_params *lp, const struct dp_src_key *k,
		bool call, uint64_t now, bool *report)
{
	struct dp_limit_ent *e = NULL;
	enum dp_limit_verdict v = dp_limit_sip(t, lp, k, call, now, &e);

	if (e != NULL) {
		*report = true;
		dp_limit_report_posted(e);
	}
	return v;
}

/* One datagram; the verdict. Fails when it reports. */
static enum dp_limit_verdict
t_sip(struct dp_limit *t, const struct dp_limit_params *lp, const struct t_key *k, bool call,
		uint64_t now)
{
	bool report = false;
	enum dp_limit_verdict v = t_limit(t, lp, &k->k, call, now, &report);

	assert_false(report);
	return v;
}

/* Datagrams that pass at now before the first refusal (at most cap). */
static unsigned int
t_pass(struct dp_limit *t, const struct dp_limit_params *lp, const struct t_key *k, bool call,
		uint64_t now, unsigned int cap)
{
	unsigned int n = 0;

	while (n < cap && t_sip(t, lp, k, call, now) == DP_LIMIT_OK)
		n++;
	return n;
}

/* ---- the table ------------------------------------------------------------------------------- */

static void
test_sizes(void **state)
{
	static const struct {
		unsigned int n, entries;
	} c[] = { { 0, 4 }, { 1, 4 }, { 4, 4 }, { 5, 8 }, { 8, 8 }, { 9, 16 }, { 1000, 1024 },
		{ 1024, 1024 }, { 1025, 2048 } };
	struct dp_limit t;
	unsigned int i;
	void *mem;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		assert_int_equal(dp_srctab_mem_size(c[i].n, 40), c[i].entries * 40);
		assert_int_equal(dp_limit_mem_size(c[i].n),
				c[i].entries * sizeof(struct dp_limit_ent));
		mem = t_table(&t, c[i].n);
		assert_int_equal(t.t.mask + 1, c[i].entries / DP_SRCTAB_WAYS);
		assert_int_equal(t.t.esize, sizeof(struct dp_limit_ent));
		free(mem);
	}
}

/*
 * One set of four ways: four sources fill it (free entries first: none lost), a fifth
 * takes the entry seen least recently; the other three keep their state.
 */
static void
test_recycle_one_set(void **state)
{
	const struct dp_limit_params lp = t_params(3, 1, 100000, 0);
	struct t_key k[5];
	struct dp_limit t;
	unsigned int i;
	void *mem = t_table(&t, 4);

	(void)state;
	assert_int_equal(t.t.mask, 0);
	for (i = 0; i < 5; i++)
		t_nsrc(&k[i], i);
	/*
	 * A at 100, B at 110, C at 120, D at 130, each out of tokens after a burst of 3 (one
	 * comes back 100 units later: nothing here waits that long); B seen again at 140.
	 */
	for (i = 0; i < 4; i++)
		assert_int_equal(t_pass(&t, &lp, &k[i], false, 100 + 10 * i, 10), 3);
	assert_int_equal(t_sip(&t, &lp, &k[1], false, 140), DP_LIMIT_SIP);
	assert_int_equal(t_sip(&t, &lp, &k[0], false, 141), DP_LIMIT_SIP); /* none lost */
	assert_int_equal(t_sip(&t, &lp, &k[2], false, 142), DP_LIMIT_SIP);
	/* Order of last use now: D 130, B 140, A 141, C 142. E at 150 takes D's entry. */
	assert_int_equal(t_pass(&t, &lp, &k[4], false, 150, 10), 3);
	assert_null(dp_srctab_get(&t.t, &k[3].k, 151, false));
	/* A, B, C kept their state: still no token (and seen at 152 now). */
	for (i = 0; i < 3; i++)
		assert_int_equal(t_sip(&t, &lp, &k[i], false, 152), DP_LIMIT_SIP);
	/* D comes back as new (a full burst), taking E's entry (seen last at 150). */
	assert_int_equal(t_pass(&t, &lp, &k[3], false, 160, 10), 3);
	assert_null(dp_srctab_get(&t.t, &k[4].k, 161, false));
	for (i = 0; i < 4; i++)
		assert_non_null(dp_srctab_get(&t.t, &k[i].k, 162, false));
	free(mem);
}

/* The same in a table of 16 sets: five sources of one set, while other sets are untouched. */
static void
test_recycle_sets(void **state)
{
	const struct dp_limit_params lp = t_params(2, 1, 100000, 0);
	struct t_key k[5], other, c;
	struct dp_limit t;
	unsigned int i, n = 0, set = 0;
	bool have_other = false;
	void *mem = t_table(&t, 64);

	(void)state;
	assert_int_equal(t.t.mask, 15);
	/* Five sources whose hash selects one set, and one of another set. */
	for (i = 0; n < 5 || !have_other; i++) {
		uint32_t s;

		t_nsrc(&c, i);
		s = dp_src_key_hash(&c.k) & t.t.mask;
		if (n == 0)
			set = s;
		if (s == set && n < 5) {
			t_nsrc(&k[n++], i);
		} else if (s != set && !have_other) {
			t_nsrc(&other, i);
			have_other = true;
		}
	}
	assert_int_equal(t_pass(&t, &lp, &other, false, 10, 10), 2);
	for (i = 0; i < 5; i++)
		assert_int_equal(t_pass(&t, &lp, &k[i], false, 20 + i, 10), 2);
	assert_null(dp_srctab_get(&t.t, &k[0].k, 30, false));
	for (i = 1; i < 5; i++)
		assert_int_equal(t_sip(&t, &lp, &k[i], false, 31), DP_LIMIT_SIP);
	/* The other set's source is older than all of them, yet it stays. */
	assert_int_equal(t_sip(&t, &lp, &other, false, 32), DP_LIMIT_SIP);
	free(mem);
}

/* ---- the SIP bucket -------------------------------------------------------------------------- */

/* Exactly the burst at once; then one per interval, not a unit earlier; refusals are free. */
static void
test_sip_burst(void **state)
{
	static const unsigned int bursts[] = { 1, 2, 5, 32 };
	struct dp_limit_params lp;
	struct dp_limit t;
	struct t_key a;
	unsigned int i, j;
	void *mem;

	(void)state;
	t_src(&a, "192.0.2.1");
	for (i = 0; i < sizeof(bursts) / sizeof(bursts[0]); i++) {
		lp = t_params(bursts[i], 1, 1000, 0);
		mem = t_table(&t, 16);
		assert_int_equal(t_pass(&t, &lp, &a, false, T0, 100), bursts[i]);
		for (j = 0; j < 20; j++) /* refused, and taking nothing */
			assert_int_equal(t_sip(&t, &lp, &a, false, T0 + j), DP_LIMIT_SIP);
		assert_int_equal(t_pass(&t, &lp, &a, false, T0 + 99, 100), 0);
		assert_int_equal(t_pass(&t, &lp, &a, false, T0 + 100, 100), 1);
		assert_int_equal(t_pass(&t, &lp, &a, false, T0 + 199, 100), 0);
		/* 2.5 intervals later: two (one when the burst is 1: it holds no more). */
		assert_int_equal(t_pass(&t, &lp, &a, false, T0 + 350, 100), bursts[i] > 1 ? 2 : 1);
		/* A long pause fills the bucket to the burst, no more. */
		assert_int_equal(t_pass(&t, &lp, &a, false, T0 + 1000000, 100), bursts[i]);
		/* Exactly at the rate: never refused. */
		for (j = 1; j <= 1000; j++)
			assert_int_equal(t_sip(&t, &lp, &a, false, T0 + 1000000 + 100 * j),
					DP_LIMIT_OK);
		free(mem);
	}
	/* 10% over the rate with a burst of 5: the slack of 4 intervals lasts 40 datagrams. */
	lp = t_params(5, 1, 1000, 0);
	mem = t_table(&t, 16);
	for (j = 0; j < 41; j++)
		assert_int_equal(t_sip(&t, &lp, &a, false, T0 + 90 * j), DP_LIMIT_OK);
	assert_int_equal(t_sip(&t, &lp, &a, false, T0 + 90 * 41), DP_LIMIT_SIP);
	free(mem);
}

/* New calls: their own bucket; a refusal by either bucket takes from neither. */
static void
test_call_limit(void **state)
{
	struct dp_limit_params lp = t_params(10, 2, 1000, 0);
	struct dp_limit t;
	struct t_key a;
	void *mem = t_table(&t, 16);

	(void)state;
	t_src(&a, "2001:db8::1");
	assert_int_equal(t_pass(&t, &lp, &a, true, T0, 100), 2);
	assert_int_equal(t_sip(&t, &lp, &a, true, T0), DP_LIMIT_CALL);
	assert_int_equal(t_sip(&t, &lp, &a, true, T0), DP_LIMIT_CALL);
	/* Other datagrams pass: the 8 SIP tokens the two calls left (none to refusals). */
	assert_int_equal(t_pass(&t, &lp, &a, false, T0, 100), 8);
	/* Now over the SIP rate: a new call is refused for that first. */
	assert_int_equal(t_sip(&t, &lp, &a, true, T0), DP_LIMIT_SIP);
	/* One call interval later both buckets have room for one call exactly. */
	assert_int_equal(t_pass(&t, &lp, &a, true, T0 + 999, 100), 0);
	assert_int_equal(t_pass(&t, &lp, &a, true, T0 + 1000, 100), 1);
	assert_int_equal(t_sip(&t, &lp, &a, true, T0 + 1000), DP_LIMIT_CALL);
	free(mem);

	/* A call refused for the SIP rate leaves its call token. */
	lp = t_params(1, 1, 1000, 0);
	mem = t_table(&t, 16);
	assert_int_equal(t_sip(&t, &lp, &a, false, T0), DP_LIMIT_OK);
	assert_int_equal(t_sip(&t, &lp, &a, true, T0), DP_LIMIT_SIP);
	assert_int_equal(t_sip(&t, &lp, &a, true, T0 + 50), DP_LIMIT_SIP);
	assert_int_equal(t_sip(&t, &lp, &a, true, T0 + 100), DP_LIMIT_OK);
	assert_int_equal(t_sip(&t, &lp, &a, true, T0 + 200), DP_LIMIT_CALL);
	assert_int_equal(t_sip(&t, &lp, &a, false, T0 + 200), DP_LIMIT_OK);
	free(mem);
}

/* Sources are independent; an IPv6 source is its /64. */
static void
test_sources(void **state)
{
	const struct dp_limit_params lp = t_params(4, 1, 1000, 0);
	struct t_key a, a2, b, b2, c;
	struct dp_limit t;
	void *mem = t_table(&t, 64);

	(void)state;
	t_src(&a, "192.0.2.1");
	t_src(&a2, "192.0.2.2");
	t_src(&b, "2001:db8:1:2::1");
	t_src(&b2, "2001:db8:1:2:ffff::7");
	t_src(&c, "2001:db8:1:3::1");
	assert_int_equal(t_pass(&t, &lp, &a, false, T0, 100), 4);
	assert_int_equal(t_pass(&t, &lp, &a2, false, T0, 100), 4);
	assert_int_equal(t_pass(&t, &lp, &b, false, T0, 2), 2);
	assert_int_equal(t_pass(&t, &lp, &b2, false, T0, 100), 2); /* the same /64: 2 left */
	assert_int_equal(t_pass(&t, &lp, &c, false, T0, 100), 4);
	assert_int_equal(t_sip(&t, &lp, &a, false, T0), DP_LIMIT_SIP);
	assert_int_equal(t_sip(&t, &lp, &b, false, T0), DP_LIMIT_SIP);
	free(mem);

	/* The earliest time there is, 1 (0 marks a free entry): the source is kept. */
	mem = t_table(&t, 4);
	assert_null(dp_srctab_get(&t.t, &a.k, 1, false));
	assert_int_equal(t_pass(&t, &lp, &a, false, 1, 100), 4);
	assert_non_null(dp_srctab_get(&t.t, &a.k, 1, false));
	assert_int_equal(t_pass(&t, &lp, &b, false, 1, 100), 4); /* takes a free entry */
	assert_int_equal(t_sip(&t, &lp, &a, false, 1), DP_LIMIT_SIP);
	assert_int_equal(t_sip(&t, &lp, &a, false, 101), DP_LIMIT_OK);
	free(mem);
}

/* ---- reports --------------------------------------------------------------------------------- */

/* A refusal at now: asserts the verdict v and whether it reports. */
static void
t_refuse(struct dp_limit *t, const struct dp_limit_params *lp, const struct t_key *k, bool call,
		uint64_t now, enum dp_limit_verdict v, bool report)
{
	bool r = false;

	assert_int_equal(t_limit(t, lp, &k->k, call, now, &r), v);
	assert_int_equal(r, report);
}

static void
test_report(void **state)
{
	struct dp_limit_params lp = t_params_slow(1, 1, 1000, 3);
	struct t_key a, b;
	struct dp_limit t;
	unsigned int i;
	bool r;
	void *mem = t_table(&t, 16);

	(void)state;
	t_src(&a, "198.51.100.7");
	t_src(&b, "198.51.100.8");
	assert_int_equal(t_sip(&t, &lp, &a, false, T0), DP_LIMIT_OK);
	t_refuse(&t, &lp, &a, false, T0 + 1, DP_LIMIT_SIP, false); /* the window starts */
	t_refuse(&t, &lp, &a, false, T0 + 2, DP_LIMIT_SIP, false);
	t_refuse(&t, &lp, &a, false, T0 + 3, DP_LIMIT_SIP, true); /* the third */
	for (i = 4; i < 50; i++)                                  /* once per window */
		t_refuse(&t, &lp, &a, false, T0 + i, DP_LIMIT_SIP, false);
	t_refuse(&t, &lp, &a, false, T0 + 1 + 1000, DP_LIMIT_SIP, false); /* still in it */
	t_refuse(&t, &lp, &a, false, T0 + 1 + 1001, DP_LIMIT_SIP, false); /* a new one: 1 */
	t_refuse(&t, &lp, &a, false, T0 + 1 + 1500, DP_LIMIT_SIP, false);
	t_refuse(&t, &lp, &a, false, T0 + 1 + 2001, DP_LIMIT_SIP, true); /* 3, at its end */
	/* Refusals spread wider than a window never add up. */
	for (i = 1; i <= 20; i++)
		t_refuse(&t, &lp, &a, false, T0 + 10000 + 600 * i, DP_LIMIT_SIP, false);
	/* *report is left alone when not reporting, and by a datagram that passes. */
	r = true;
	assert_int_equal(t_limit(&t, &lp, &a.k, false, T0 + 30000, &r), DP_LIMIT_SIP);
	assert_true(r);
	assert_int_equal(t_limit(&t, &lp, &b.k, false, T0 + 30000, &r), DP_LIMIT_OK);
	assert_true(r);
	r = false;
	assert_int_equal(t_limit(&t, &lp, &b.k, false, T0 + 30000, &r), DP_LIMIT_SIP);
	assert_false(r);
	free(mem);

	/* Call refusals count as well, mixed with SIP ones. */
	lp = t_params_slow(2, 1, 1000, 3);
	mem = t_table(&t, 16);
	assert_int_equal(t_sip(&t, &lp, &a, true, T0), DP_LIMIT_OK);
	t_refuse(&t, &lp, &a, true, T0 + 1, DP_LIMIT_CALL, false);
	t_refuse(&t, &lp, &a, true, T0 + 2, DP_LIMIT_CALL, false);
	assert_int_equal(t_sip(&t, &lp, &a, false, T0 + 3), DP_LIMIT_OK); /* passes: not counted */
	t_refuse(&t, &lp, &a, false, T0 + 4, DP_LIMIT_SIP, true);
	free(mem);

	/* block_after 1: the first refusal; 0: never. Sources count apart. */
	lp = t_params_slow(1, 1, 1000, 1);
	mem = t_table(&t, 16);
	assert_int_equal(t_sip(&t, &lp, &a, false, T0), DP_LIMIT_OK);
	assert_int_equal(t_sip(&t, &lp, &b, false, T0), DP_LIMIT_OK);
	t_refuse(&t, &lp, &a, false, T0, DP_LIMIT_SIP, true);
	t_refuse(&t, &lp, &a, false, T0, DP_LIMIT_SIP, false);
	t_refuse(&t, &lp, &b, false, T0, DP_LIMIT_SIP, true);
	free(mem);
	lp.block_after = 0;
	mem = t_table(&t, 16);
	assert_int_equal(t_sip(&t, &lp, &a, false, T0), DP_LIMIT_OK);
	for (i = 0; i < 100000; i++)
		t_refuse(&t, &lp, &a, false, T0 + i / 10, DP_LIMIT_SIP, false);
	free(mem);
}

/* A report that could not be posted (the ring was full) is asked for at the next drop. */
static void
test_report_retry(void **state)
{
	struct dp_limit_params lp = t_params_slow(1, 1, 1000, 2);
	struct dp_limit_ent *e = NULL;
	struct t_key a;
	struct dp_limit t;
	void *mem = t_table(&t, 16);

	(void)state;
	t_src(&a, "198.51.100.9");
	assert_int_equal(t_sip(&t, &lp, &a, false, T0), DP_LIMIT_OK);
	assert_int_equal(dp_limit_sip(&t, &lp, &a.k, false, T0 + 1, &e), DP_LIMIT_SIP);
	assert_null(e);
	assert_int_equal(dp_limit_sip(&t, &lp, &a.k, false, T0 + 2, &e), DP_LIMIT_SIP);
	assert_non_null(e); /* due, and not posted */
	e = NULL;
	assert_int_equal(dp_limit_sip(&t, &lp, &a.k, false, T0 + 3, &e), DP_LIMIT_SIP);
	assert_non_null(e); /* asked again */
	dp_limit_report_posted(e);
	e = NULL;
	assert_int_equal(dp_limit_sip(&t, &lp, &a.k, false, T0 + 4, &e), DP_LIMIT_SIP);
	assert_null(e); /* posted: quiet for the rest of the window */
	assert_int_equal(dp_limit_sip(&t, &lp, &a.k, false, T0 + 1100, &e), DP_LIMIT_SIP);
	assert_null(e); /* a new window: 1 drop */
	assert_int_equal(dp_limit_sip(&t, &lp, &a.k, false, T0 + 1101, &e), DP_LIMIT_SIP);
	assert_non_null(e);
	free(mem);
}

/* ---- random traffic against a model ---------------------------------------------------------- */

/*
 * The model: two token buckets holding credit in time units (a token is t of it), full
 * at the burst (tau + t), filling at one unit per unit; a datagram needs a SIP token and,
 * when it starts a call, a call token; a refusal takes none. Refusals counted over fixed
 * windows that open at the first refusal after the previous one closed.
 */
struct t_model {
	bool used;
	uint64_t last, sip, call;
	bool open;
	uint64_t since;
	uint32_t drops;
};

static enum dp_limit_verdict
t_model_sip(struct t_model *m, const struct dp_limit_params *lp, bool call, uint64_t now,
		bool *report)
{
	uint64_t sip_cap = lp->sip_tau + lp->sip_t, call_cap = lp->call_tau + lp->call_t;
	enum dp_limit_verdict v = DP_LIMIT_OK;

	if (!m->used) {
		m->used = true;
		m->sip = sip_cap;
		m->call = call_cap;
		m->last = now;
	}
	m->sip = m->sip + (now - m->last) > sip_cap ? sip_cap : m->sip + (now - m->last);
	m->call = m->call + (now - m->last) > call_cap ? call_cap : m->call + (now - m->last);
	m->last = now;
	if (m->sip < lp->sip_t)
		v = DP_LIMIT_SIP;
	else if (call && m->call < lp->call_t)
		v = DP_LIMIT_CALL;
	if (v == DP_LIMIT_OK) {
		m->sip -= lp->sip_t;
		if (call)
			m->call -= lp->call_t;
		return v;
	}
	if (!m->open || now - m->since > lp->window) {
		m->open = true;
		m->since = now;
		m->drops = 0;
	}
	if (++m->drops == lp->block_after)
		*report = true;
	return v;
}

/* A random number of 31 bits. */
static uint64_t
t_rnd(uint64_t *s)
{
	return test_prng_next(s) >> 33;
}

/* Eight sources in a table large enough to keep them all, random gaps and call flags. */
static void
test_random(void **state)
{
	static const struct {
		unsigned int burst, call_burst, window, block_after, max_gap;
	} c[] = { { 1, 1, 1000, 1, 300 }, { 5, 2, 1000, 3, 25 }, { 20, 3, 5000, 10, 20 },
		{ 3, 1, 400, 2, 40 }, { 8, 8, 1000, 0, 20 } };
	uint64_t rs = 0x11d17ull, now;
	struct t_model model[8];
	struct dp_limit_params lp;
	unsigned int i, j, src, counts[3], reports;
	struct t_key k[8];
	struct dp_limit t;
	void *mem;

	(void)state;
	for (j = 0; j < 8; j++)
		t_nsrc(&k[j], j * 7919);
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		lp = t_params(c[i].burst, c[i].call_burst, c[i].window, c[i].block_after);
		mem = t_table(&t, 1024);
		memset(model, 0, sizeof(model));
		memset(counts, 0, sizeof(counts));
		reports = 0;
		now = T0;
		for (j = 0; j < 20000; j++) {
			bool call = t_rnd(&rs) % 4 == 0, got = false, want = false;
			enum dp_limit_verdict v, w;

			src = (unsigned int)(t_rnd(&rs) % 8);
			now += t_rnd(&rs) % (c[i].max_gap + 1);
			v = t_limit(&t, &lp, &k[src].k, call, now, &got);
			w = t_model_sip(&model[src], &lp, call, now, &want);
			if (v != w || got != want)
				fail_msg("case %u, datagram %u (source %u, %s, at %llu): "
					 "verdict %d report %d, want %d and %d", i, j, src,
						call ? "call" : "other", (unsigned long long)now, v,
						got, w, want);
			counts[v]++;
			reports += got;
		}
		printf("# case %u: %u passed, %u over the SIP rate, %u over the call rate, "
		       "%u reports\n", i, counts[DP_LIMIT_OK], counts[DP_LIMIT_SIP],
				counts[DP_LIMIT_CALL], reports);
		/* Every outcome was seen. */
		assert_true(counts[DP_LIMIT_OK] > 1000 && counts[DP_LIMIT_SIP] > 100);
		assert_true(counts[DP_LIMIT_CALL] > 10);
		assert_true(c[i].block_after == 0 ? reports == 0 : reports > 5);
		free(mem);
	}
}

/* ---- the key hash, a regression test ------------------------------------------------ */

/* The key of the i-th source, returned by value (as any helper returning a key would). */
static __attribute__((noinline)) struct t_key
t_key_value(unsigned int i)
{
	struct t_key k;

	t_nsrc(&k, i);
	return k;
}

/*
 * Keys returned by value, hashed next to keys made in place: how many hashes differ.
 * A function of its own, with the hash inlined (flatten) as it is on the dataplane.
 */
static __attribute__((noinline, flatten)) unsigned int
t_hash_byval(void)
{
	struct t_key byval[3], inplace;
	unsigned int i, bad = 0;

	for (i = 0; i < 3; i++)
		byval[i] = t_key_value(i);
	for (i = 0; i < 3; i++) {
		uint8_t a[4] = { 10, 0, 0, (uint8_t)i };

		dp_src_key_make(&inplace.k, 0, a);
		bad += dp_src_key_hash(&byval[i].k) != dp_src_key_hash(&inplace.k);
	}
	return bad;
}

/*
 * Regression test: dp_src_key_hash() once hashed struct dp_src_key (octets, alignment 1,
 * size 12) with rte_hash_crc(), which reads the key through uint64_t and uint32_t
 * pointers. That was undefined twice over: under strict aliasing GCC 12 at -O2 dropped
 * the stores of a key assigned as a struct and hashed stale stack (t_hash_byval() gave
 * 3), and keys 12 octets apart in an array (dp.h's block_keys[]) made the 8-octet load
 * misaligned (UBSan). The key is now copied out with memcpy before hashing (dp_src.h);
 * both checks must hold at -O2 and under UBSan.
 */
static void
test_key_array(void **state)
{
	const struct dp_limit_params lp = t_params(2, 1, 1000, 0);
	_Alignas(8) struct dp_src_key keys[2]; /* keys[1] is 4-aligned */
	struct t_key inplace;
	struct dp_limit t;
	bool r = false;
	void *mem;

	(void)state;
	assert_int_equal(t_hash_byval(), 0); /* strict aliasing (-O2) */
	t_nsrc(&inplace, 1);
	dp_src_key_make(&keys[0], 0, (const uint8_t[4]){ 10, 0, 0, 0 });
	dp_src_key_make(&keys[1], 0, (const uint8_t[4]){ 10, 0, 0, 1 });
	assert_true((uintptr_t)&keys[1] % 8 != 0);
	/* A misaligned key (UBSan would stop at a misaligned load). */
	assert_int_equal(dp_src_key_hash(&keys[1]), dp_src_key_hash(&inplace.k));
	mem = t_table(&t, 16);
	assert_int_equal(t_limit(&t, &lp, &keys[1], false, T0, &r), DP_LIMIT_OK);
	assert_int_equal(t_pass(&t, &lp, &inplace, false, T0, 10), 1); /* the same entry */
	free(mem);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_recycle_one_set),
		cmocka_unit_test(test_recycle_sets),
		cmocka_unit_test(test_sip_burst),
		cmocka_unit_test(test_call_limit),
		cmocka_unit_test(test_sources),
		cmocka_unit_test(test_report),
		cmocka_unit_test(test_report_retry),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_key_array),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
