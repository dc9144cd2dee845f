/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_fw.c - compiling a firewall configuration into a generation of rte_acl contexts
 * (see dp_fw.h). A reload calls it (the main thread at start, then under mgmt_fw.c's
 * reload lock); nothing here is on the packet
 * path, and nothing it builds is visible to a reader before dp_fw_publish().
 *
 * Rule expansion: a configured rule with k source prefixes becomes k ACL rules of the
 * prefixes' families (a rule for every source becomes one IPv4 and one IPv6 rule), all
 * with the same id and priority. Priority falls with the position in the service's
 * list, so the first matching rule wins; the default policy is not an ACL rule (no
 * match = default), which keeps the tries small.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_vect.h>

#include "dp_fw.h"

RTE_ACL_RULE_DEF(dp_acl_rule4, 4);
RTE_ACL_RULE_DEF(dp_acl_rule6, 7);

/* Context names must be unique: rte_acl_create() returns an existing one by name. */
static uint64_t ctx_seq;

static const struct rte_acl_field_def defs4[] = {
	{ RTE_ACL_FIELD_TYPE_BITMASK, 1, 0, 0, offsetof(struct dp_fw_key4, svc) },
	{ RTE_ACL_FIELD_TYPE_MASK, 4, 1, 1, offsetof(struct dp_fw_key4, src) },
	{ RTE_ACL_FIELD_TYPE_RANGE, 2, 2, 2, offsetof(struct dp_fw_key4, dport) },
	{ RTE_ACL_FIELD_TYPE_RANGE, 2, 3, 2, offsetof(struct dp_fw_key4, ifidx) },
};

static const struct rte_acl_field_def defs6[] = {
	{ RTE_ACL_FIELD_TYPE_BITMASK, 1, 0, 0, offsetof(struct dp_fw_key6, svc) },
	{ RTE_ACL_FIELD_TYPE_MASK, 4, 1, 1, offsetof(struct dp_fw_key6, src) },
	{ RTE_ACL_FIELD_TYPE_MASK, 4, 2, 2, offsetof(struct dp_fw_key6, src) + 4 },
	{ RTE_ACL_FIELD_TYPE_MASK, 4, 3, 3, offsetof(struct dp_fw_key6, src) + 8 },
	{ RTE_ACL_FIELD_TYPE_MASK, 4, 4, 4, offsetof(struct dp_fw_key6, src) + 12 },
	{ RTE_ACL_FIELD_TYPE_RANGE, 2, 5, 5, offsetof(struct dp_fw_key6, dport) },
	{ RTE_ACL_FIELD_TYPE_RANGE, 2, 6, 5, offsetof(struct dp_fw_key6, ifidx) },
};

static const struct {
	const char *name;
	enum rte_acl_classify_alg alg;
} algs[SBC_FW_CLASSIFY_MAX] = {
	[SBC_FW_CLASSIFY_AUTO] = { "auto", RTE_ACL_CLASSIFY_DEFAULT },
	[SBC_FW_CLASSIFY_SCALAR] = { "scalar", RTE_ACL_CLASSIFY_SCALAR },
	[SBC_FW_CLASSIFY_SSE] = { "sse", RTE_ACL_CLASSIFY_SSE },
	[SBC_FW_CLASSIFY_AVX2] = { "avx2", RTE_ACL_CLASSIFY_AVX2 },
	[SBC_FW_CLASSIFY_AVX512X16] = { "avx512x16", RTE_ACL_CLASSIFY_AVX512X16 },
	[SBC_FW_CLASSIFY_AVX512X32] = { "avx512x32", RTE_ACL_CLASSIFY_AVX512X32 },
};

/*
 * AUTO: the fastest method the CPU has and the EAL's SIMD cap allows, best first
 * (docs/BENCHMARKS.md). AVX-512 with 32 lanes needs the cap at 512 bits
 * (--force-max-simd-bitwidth=512: x86 builds of DPDK default to 256), 16 lanes run on
 * 256-bit vectors.
 */
static const unsigned int auto_order[] = { SBC_FW_CLASSIFY_AVX512X32, SBC_FW_CLASSIFY_AVX512X16,
	SBC_FW_CLASSIFY_AVX2, SBC_FW_CLASSIFY_SSE, SBC_FW_CLASSIFY_SCALAR };

const char *
dp_fw_alg_name(const struct dp_fw_rules *r)
{
	if (r->acl[0] == NULL && r->acl[1] == NULL)
		return "none (no rules)";
	return r->alg < SBC_FW_CLASSIFY_MAX ? algs[r->alg].name : "?";
}

/* Four octets in network order as a host-order word (rte_acl rules are in host order). */
static uint32_t
host32(const uint8_t *a)
{
	return (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
}

/* Mask length of the 32-bit word k of a prefix of length plen. */
static uint32_t
word_plen(unsigned int plen, unsigned int k)
{
	return plen <= k * 32 ? 0 : plen >= (k + 1) * 32 ? 32 : plen - k * 32;
}

/* The fields every rule shares: service, destination ports, ingress port. */
static void
common_fields(struct rte_acl_field *svc, struct rte_acl_field *dport, struct rte_acl_field *ifidx,
		unsigned int s, const struct sbc_fw_rule *fr)
{
	svc->value.u8 = (uint8_t)s;
	svc->mask_range.u8 = 0xff;
	dport->value.u16 = fr->port_lo;
	dport->mask_range.u16 = fr->port_hi;
	ifidx->value.u16 = fr->ifidx < 0 ? 0 : (uint16_t)fr->ifidx;
	ifidx->mask_range.u16 = fr->ifidx < 0 ? 0xffff : (uint16_t)fr->ifidx;
}

struct expand {
	struct dp_acl_rule4 *r4;
	struct dp_acl_rule6 *r6;
	uint32_t n4, n6;
};

/* Adds the ACL rules of one configured rule (id, position pos in its service). */
static void
expand_rule(struct expand *x, unsigned int s, const struct sbc_fw_svc_cfg *sc,
		const struct sbc_fw_rule *fr, uint32_t id, uint32_t pos)
{
	struct rte_acl_rule_data d = { .category_mask = 1,
		.priority = (int32_t)(RTE_ACL_MAX_PRIORITY - pos), .userdata = id + 1 };
	unsigned int i, k, n = fr->n_src ? fr->n_src : 2;

	for (i = 0; i < n; i++) {
		const struct sbc_ip *ip = fr->n_src ? &sc->srcs[fr->src_off + i] : NULL;
		bool v6 = ip ? ip->family == AF_INET6 : i == 1;

		if (!v6) {
			struct dp_acl_rule4 *r = &x->r4[x->n4++];

			r->data = d;
			common_fields(&r->field[0], &r->field[2], &r->field[3], s, fr);
			r->field[1].value.u32 = ip ? host32(ip->a) : 0;
			r->field[1].mask_range.u32 = ip ? ip->plen : 0;
		} else {
			struct dp_acl_rule6 *r = &x->r6[x->n6++];

			r->data = d;
			common_fields(&r->field[0], &r->field[5], &r->field[6], s, fr);
			for (k = 0; k < 4; k++) {
				r->field[1 + k].value.u32 = ip ? host32(ip->a + 4 * k) : 0;
				r->field[1 + k].mask_range.u32 = ip ? word_plen(ip->plen, k) : 0;
			}
		}
	}
}

/* Sets the classify method of ctx; returns the method used or -1 (not available here). */
static int
set_alg(struct rte_acl_ctx *ctx, unsigned int want)
{
	unsigned int i;

	if (want != SBC_FW_CLASSIFY_AUTO)
		return rte_acl_set_ctx_classify(ctx, algs[want].alg) == 0 ? (int)want : -1;
	for (i = 0; i < RTE_DIM(auto_order); i++)
		if (rte_acl_set_ctx_classify(ctx, algs[auto_order[i]].alg) == 0)
			return (int)auto_order[i];
	return -1;
}

/* Creates, fills and builds the context of one family; NULL with err on failure. */
static struct rte_acl_ctx *
build_ctx(int v6, const void *rules, uint32_t n, unsigned int want, unsigned int *used, char *err,
		size_t errlen)
{
	struct rte_acl_config cfg = { .num_categories = 1 };
	char name[RTE_ACL_NAMESIZE];
	struct rte_acl_param prm = {
		.name = name,
		.socket_id = SOCKET_ID_ANY,
		.rule_size = v6 ? RTE_ACL_RULE_SZ(RTE_DIM(defs6)) : RTE_ACL_RULE_SZ(RTE_DIM(defs4)),
		.max_rule_num = n,
	};
	struct rte_acl_ctx *ctx;
	int rc, alg;

	snprintf(name, sizeof(name), "sbc_fw%d_%" PRIu64, v6 ? 6 : 4,
			__atomic_add_fetch(&ctx_seq, 1, __ATOMIC_RELAXED));
	ctx = rte_acl_create(&prm);
	if (ctx == NULL) {
		snprintf(err, errlen, "cannot create the IPv%d classifier: %s", v6 ? 6 : 4,
				rte_strerror(rte_errno));
		return NULL;
	}
	cfg.num_fields = v6 ? RTE_DIM(defs6) : RTE_DIM(defs4);
	memcpy(cfg.defs, v6 ? defs6 : defs4, cfg.num_fields * sizeof(cfg.defs[0]));
	rc = rte_acl_add_rules(ctx, rules, n);
	if (rc == 0)
		rc = rte_acl_build(ctx, &cfg);
	if (rc != 0) {
		snprintf(err, errlen, "cannot build the IPv%d classifier of %u rules: %s", v6 ? 6 : 4,
				n, strerror(-rc));
		rte_acl_free(ctx);
		return NULL;
	}
	alg = set_alg(ctx, want);
	if (alg < 0) {
		snprintf(err, errlen, "firewall.classify = \"%s\": not available here (the CPU "
				"lacks it, or the EAL caps SIMD at %u bits: --force-max-simd-bitwidth)",
				algs[want].name, (unsigned int)rte_vect_get_max_simd_bitwidth());
		rte_acl_free(ctx);
		return NULL;
	}
	*used = (unsigned int)alg;
	return ctx;
}

/* Rule ids, rate-limit indexes, defaults and the service map of a generation. */
static int
layout(struct dp_fw_rules *r, uint32_t *n_acl4, uint32_t *n_acl6)
{
	const struct sbc_fw_cfg *fw = &r->cfg;
	uint32_t id = 0, rl = 0, i;
	unsigned int s, k;

	*n_acl4 = *n_acl6 = 0;
	for (s = 0; s < SBC_FW_SVC_MAX; s++) {
		const struct sbc_fw_svc_cfg *sc = &fw->svc[s];

		r->base[s] = id;
		id += sc->n_rules;
		r->classify[s] = sc->n_rules != 0;
		r->def[s] = sc->default_action;
		for (i = 0; i < sc->n_rules; i++) {
			const struct sbc_fw_rule *fr = &sc->rules[i];

			if (fr->action == SBC_FW_RATE_LIMIT)
				rl++;
			if (fr->n_src == 0) {
				(*n_acl4)++;
				(*n_acl6)++;
			}
			for (k = 0; k < fr->n_src; k++) {
				if (sc->srcs[fr->src_off + k].family == AF_INET6)
					(*n_acl6)++;
				else
					(*n_acl4)++;
			}
		}
		r->n_host_ports[s] = SBC_FW_IS_HOST(s) ? (uint16_t)sc->n_ports : 0;
		for (k = 0; k < r->n_host_ports[s]; k++)
			r->host_port[s][k] = rte_cpu_to_be_16(sc->ports[k]);
	}
	for (s = 0; s < SBC_FW_SVC_MAX; s++)
		r->def_id[s] = id++;
	r->n_ids = id;
	r->n_rl = rl;
	r->stride = RTE_ALIGN_CEIL(r->n_ids, RTE_CACHE_LINE_SIZE / sizeof(uint64_t));
	r->rl_stride = RTE_ALIGN_CEIL(RTE_MAX(rl, 1u), RTE_CACHE_LINE_SIZE / sizeof(uint64_t));
	r->rt = rte_zmalloc("sbc_fw_rt", r->n_ids * sizeof(*r->rt), RTE_CACHE_LINE_SIZE);
	r->rl = rte_zmalloc("sbc_fw_rl", RTE_MAX(rl, 1u) * sizeof(*r->rl), RTE_CACHE_LINE_SIZE);
	r->hits = rte_zmalloc("sbc_fw_hits", (size_t)r->n_lcores * r->stride * sizeof(uint64_t),
			RTE_CACHE_LINE_SIZE);
	r->rl_tat = rte_zmalloc("sbc_fw_rl_tat",
			(size_t)r->n_lcores * r->rl_stride * sizeof(uint64_t), RTE_CACHE_LINE_SIZE);
	return r->rt && r->rl && r->hits && r->rl_tat ? 0 : -ENOMEM;
}

/* The per-rule table: what each id decides, and the GCRA share of rate-limit rules. */
static void
fill_rt(struct dp_fw_rules *r, uint64_t hz)
{
	uint32_t rl = 0, i;
	unsigned int s;

	for (s = 0; s < SBC_FW_SVC_MAX; s++) {
		const struct sbc_fw_svc_cfg *sc = &r->cfg.svc[s];

		for (i = 0; i < sc->n_rules; i++) {
			const struct sbc_fw_rule *fr = &sc->rules[i];
			struct dp_fw_rt *rt = &r->rt[r->base[s] + i];

			rt->svc = (uint8_t)s;
			rt->action = fr->action;
			if (fr->action != SBC_FW_RATE_LIMIT)
				continue;
			/* Each lcore lets through rate / n_lcores, with its share of the burst. */
			rt->rl = rl;
			r->rl[rl].t = hz * r->n_lcores / fr->rate;
			r->rl[rl].tau = r->rl[rl].t * (RTE_MAX(fr->burst / r->n_lcores, 1u) - 1);
			rl++;
		}
		r->rt[r->def_id[s]].svc = (uint8_t)s;
		r->rt[r->def_id[s]].action = sc->default_action;
	}
}

/*
 * Flood limits in TSC units, the exempt sources (flood.exempt and every route's next
 * hop: the trunks calls are sent to are trusted) and the scanner list.
 */
static int
fill_flood(struct dp_fw_rules *r, const struct sbc_config *cfg, uint64_t hz)
{
	const struct sbc_fw_flood_cfg *f = &r->cfg.flood;
	struct dp_fw_flood *d = &r->flood;
	const char *names[SBC_FW_MAX_SCANNERS + 1];
	unsigned int i;

	d->enabled = f->enabled;
	d->lp.block_after = f->block_after;
	d->lp.sip_t = hz / RTE_MAX(f->sip_rate, 1u);
	d->lp.sip_tau = d->lp.sip_t * (RTE_MAX(f->sip_burst, 1u) - 1);
	d->lp.call_t = hz / RTE_MAX(f->call_rate, 1u);
	d->lp.call_tau = d->lp.call_t * (RTE_MAX(f->call_burst, 1u) - 1);
	d->lp.window = hz * 10;
	d->n_exempt = f->n_exempt;
	memcpy(d->exempt, f->exempt, f->n_exempt * sizeof(d->exempt[0]));
	for (i = 0; i < cfg->n_routes; i++) {
		d->exempt[d->n_exempt] = cfg->routes[i].dst;
		d->exempt[d->n_exempt++].plen = cfg->routes[i].dst.family == AF_INET6 ? 128 : 32;
	}
	for (i = 0; i < r->cfg.n_scanners; i++)
		names[i] = r->cfg.scanners[i];
	names[i] = NULL;
	return sip_peek_names_init(&d->scanners, names);
}

struct dp_fw_rules *
dp_fw_build(struct sbc_fw_cfg *fw, const struct sbc_config *cfg, unsigned int n_lcores,
		uint64_t gen, char *err, size_t errlen)
{
	struct timespec t0, t1;
	struct dp_fw_rules *r;
	struct expand x = { 0 };
	uint32_t n4, n6, i;
	unsigned int s, used4 = 0, used6 = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = rte_zmalloc("sbc_fw_rules", sizeof(*r), RTE_CACHE_LINE_SIZE);
	if (r == NULL) {
		sbc_fw_config_free(fw);
		snprintf(err, errlen, "out of memory for the firewall rules");
		return NULL;
	}
	r->cfg = *fw;
	memset(fw, 0, sizeof(*fw)); /* the generation owns the rule lists now */
	r->gen = gen;
	r->n_lcores = RTE_MAX(n_lcores, 1u);
	r->alg = r->cfg.classify;
	r->media_lo = (uint16_t)cfg->media.port_min;
	r->media_hi = (uint16_t)cfg->media.port_max;
	if (layout(r, &n4, &n6) < 0)
		goto nomem;
	fill_rt(r, rte_get_tsc_hz());
	if (fill_flood(r, cfg, rte_get_tsc_hz()) < 0) {
		snprintf(err, errlen, "firewall.scanners: a name is too long or there are too many");
		goto fail;
	}
	x.r4 = calloc(RTE_MAX(n4, 1u), sizeof(*x.r4));
	x.r6 = calloc(RTE_MAX(n6, 1u), sizeof(*x.r6));
	if (x.r4 == NULL || x.r6 == NULL)
		goto nomem;
	for (s = 0; s < SBC_FW_SVC_MAX; s++)
		for (i = 0; i < r->cfg.svc[s].n_rules; i++)
			expand_rule(&x, s, &r->cfg.svc[s], &r->cfg.svc[s].rules[i], r->base[s] + i, i);
	r->n_acl_rules[0] = n4;
	r->n_acl_rules[1] = n6;
	if (n4 != 0 && (r->acl[0] = build_ctx(0, x.r4, n4, r->cfg.classify, &used4, err,
					errlen)) == NULL)
		goto fail;
	if (n6 != 0 && (r->acl[1] = build_ctx(1, x.r6, n6, r->cfg.classify, &used6, err,
					errlen)) == NULL)
		goto fail;
	if (n4 != 0 || n6 != 0)
		r->alg = n4 != 0 ? used4 : used6;
	free(x.r4);
	free(x.r6);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	r->build_ns = (uint64_t)(t1.tv_sec - t0.tv_sec) * 1000000000ull +
			(uint64_t)(t1.tv_nsec - t0.tv_nsec);
	return r;
nomem:
	snprintf(err, errlen, "out of memory for the firewall rules");
fail:
	free(x.r4);
	free(x.r6);
	dp_fw_free(r);
	return NULL;
}

void
dp_fw_free(struct dp_fw_rules *r)
{
	if (r == NULL)
		return;
	rte_acl_free(r->acl[0]);
	rte_acl_free(r->acl[1]);
	rte_free(r->rt);
	rte_free(r->rl);
	rte_free(r->hits);
	rte_free(r->rl_tat);
	sbc_fw_config_free(&r->cfg);
	rte_free(r);
}

uint64_t
dp_fw_hits(const struct dp_fw_rules *r, uint32_t id)
{
	uint64_t n = 0;
	unsigned int l;

	if (id >= r->n_ids)
		return 0;
	for (l = 0; l < r->n_lcores; l++)
		n += __atomic_load_n(&r->hits[(size_t)l * r->stride + id], __ATOMIC_RELAXED);
	return n;
}
