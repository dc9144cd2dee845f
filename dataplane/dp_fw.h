/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_fw.h - the firewall's rule sets on the dataplane: compiled with rte_acl, published
 * by RCU, applied to every packet addressed to the SBC.
 *
 * What a packet is checked against: the dataplane first names the packet's service
 * (sbc_fw.h) from its protocol and destination port (dp_fw_service); packets of no
 * service are not the firewall's business (ARP, neighbour discovery, UDP to a closed
 * port, which is dropped anyway). It then builds a small key, {service, source,
 * destination port, ingress port}, and a whole burst of keys is classified with one
 * rte_acl_classify() call per family. The match is the highest-priority rule of that
 * service (the first in the configured order); no match means the service's default
 * policy. Services never overlap, so each keeps its own order.
 *
 * A generation (struct dp_fw_rules) is immutable once published, except its per-lcore
 * counters and rate-limit state, each written by one dataplane lcore only:
 *  - hits[lcore][rule]: packets that rule decided (the default of each service too);
 *  - rl_tat[lcore][k]: the GCRA state of rate-limit rule k, whose rate is shared out
 *    evenly among the dataplane lcores (RSS spreads sources over them).
 *
 * Concurrency: one writer at a time (mgmt_fw.c's reload lock: the reloader thread on
 * SIGHUP, or the telemetry thread for /sbc/fw/reload) builds a new generation off to
 * the side (dp_fw_build: seconds of CPU at most, no lock held that a
 * packet path takes), then dp_fw_publish() swaps the pointer (release) and waits for a
 * grace period (rte_rcu_qsbr_synchronize) before the old one is freed. Dataplane lcores
 * load the pointer (acquire) once per burst and report a quiescent state once per loop,
 * so a burst sees exactly one generation: a swap never pauses forwarding, and every
 * packet is judged by the old set or by the new one, never by a mixture.
 */
#ifndef DP_FW_H
#define DP_FW_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <netinet/in.h>

#include <rte_acl.h>
#include <rte_branch_prediction.h>
#include <rte_byteorder.h>
#include <rte_common.h>

#include "dp_limit.h"
#include "sbc_config.h"
#include "sbc_fw.h"
#include "sip_peek.h"

#define DP_FW_SVC_NONE 0xff /* not a firewall service */
#define DP_FW_FAMILIES 2    /* 0: IPv4, 1: IPv6 */

/*
 * The classification keys. rte_acl reads the first octet, then groups of four; values
 * are in network byte order as in a packet (rules are given in host order).
 */
struct dp_fw_key4 {
	uint8_t svc;
	uint8_t pad[3];
	uint8_t src[4];
	uint16_t dport; /* ICMP: the type */
	uint16_t ifidx;
};

struct dp_fw_key6 {
	uint8_t svc;
	uint8_t pad[3];
	uint8_t src[16];
	uint16_t dport;
	uint16_t ifidx;
};

/* What a rule id decides. Ids: every service's rules in order, then one default each. */
struct dp_fw_rt {
	uint8_t svc;
	uint8_t action;  /* enum sbc_fw_action */
	uint16_t pad;
	uint32_t rl;     /* rate-limit rules: index of its GCRA state */
};

/* A rate-limit rule's share on one lcore: GCRA emission interval and tolerance (TSC). */
struct dp_fw_rl {
	uint64_t t;
	uint64_t tau;
};

/* Flood limits in TSC units (dp_limit.h), and the scanner names (sip_peek.h). */
struct dp_fw_flood {
	bool enabled;
	struct dp_limit_params lp;
	unsigned int n_exempt;
	/* flood.exempt, then the routes' next hops (trunks the SBC itself sends calls to) */
	struct sbc_ip exempt[SBC_FW_MAX_EXEMPT + SBC_CFG_MAX_ROUTES];
	struct sip_peek_names scanners;
};

struct dp_fw_rules {
	uint64_t gen;                       /* generation number, from 1 */
	struct rte_acl_ctx *acl[DP_FW_FAMILIES]; /* NULL: no rule of that family */
	bool classify[SBC_FW_SVC_MAX];      /* the service has rules: run rte_acl */
	uint8_t def[SBC_FW_SVC_MAX];        /* default action */
	uint32_t def_id[SBC_FW_SVC_MAX];    /* rule id of the default */
	uint32_t base[SBC_FW_SVC_MAX];      /* rule id of the service's first rule */
	uint16_t n_host_ports[SBC_FW_SVC_MAX];
	uint16_t host_port[SBC_FW_SVC_MAX][SBC_FW_MAX_SVC_PORTS]; /* network order */
	uint16_t media_lo, media_hi;        /* relay range, host order */
	uint32_t n_ids;
	struct dp_fw_rt *rt;                /* [n_ids] */
	uint32_t n_rl;
	struct dp_fw_rl *rl;                /* [n_rl] */
	unsigned int n_lcores;
	uint32_t stride;                    /* hits per lcore, rounded to a cache line */
	uint32_t rl_stride;
	uint64_t *hits;                     /* [n_lcores][stride] */
	uint64_t *rl_tat;                   /* [n_lcores][rl_stride] */
	struct dp_fw_flood flood;
	unsigned int alg;                   /* enum sbc_fw_classify in use */
	uint32_t n_acl_rules[DP_FW_FAMILIES];
	uint64_t build_ns;                  /* time dp_fw_build took */
	struct sbc_fw_cfg cfg;              /* what it was built from (owned) */
};

/*
 * Compiles fw (taken over: the caller's copy is emptied, on failure too) into a new
 * generation for n_lcores dataplane lcores, numbered gen. Returns it, or NULL with why
 * in err (out of memory, or rte_acl refusing the set). The main thread at init, or the
 * thread running a reload, holding mgmt_fw.c's reload lock but not its state lock.
 */
struct dp_fw_rules *dp_fw_build(struct sbc_fw_cfg *fw, const struct sbc_config *cfg,
		unsigned int n_lcores, uint64_t gen, char *err, size_t errlen);

/*
 * Frees a generation no reader can see any more (never published, or returned by
 * dp_fw_publish). The thread that holds r: its builder, the reload that replaced it
 * (under mgmt_fw.c's state lock), or the main thread at fini.
 */
void dp_fw_free(struct dp_fw_rules *r);

/*
 * Returns the name of the classification method actually used (AUTO resolved), for
 * reports. Any thread that may read r (main at init; else under mgmt_fw.c's state lock).
 */
const char *dp_fw_alg_name(const struct dp_fw_rules *r);

/*
 * Returns the sum over the lcores of the packets rule id decided (relaxed loads). Any
 * thread that may read r (telemetry, under mgmt_fw.c's state lock).
 */
uint64_t dp_fw_hits(const struct dp_fw_rules *r, uint32_t id);

/* ---- per packet: dataplane lcores, on the generation loaded for the burst -------------- */

/*
 * Returns the host service whose TCP port is port (network order), or DP_FW_SVC_NONE.
 * Dataplane lcores.
 */
static inline uint8_t
dp_fw_host_port(const struct dp_fw_rules *r, uint16_t port)
{
	unsigned int s, i;

	for (s = SBC_FW_WEB; s <= SBC_FW_DB; s++)
		for (i = 0; i < r->n_host_ports[s]; i++)
			if (r->host_port[s][i] == port)
				return (uint8_t)s;
	return DP_FW_SVC_NONE;
}

/*
 * The service of a packet to one of our addresses: l4 is its protocol, l4h its L4 header
 * (at least 8 octets, checked by dp_parse), sip_port the ingress port's SIP port (network
 * order, 0: none), media whether the ingress port relays media. *dport receives the key's
 * port (network order). Returns the service or DP_FW_SVC_NONE. Dataplane lcores.
 */
static inline uint8_t
dp_fw_service(const struct dp_fw_rules *r, uint8_t l4, const uint8_t *l4h, uint16_t sip_port,
		bool media, uint16_t *dport)
{
	uint16_t port;

	switch (l4) {
	case IPPROTO_UDP:
		port = *(const uint16_t *)(const void *)(l4h + 2);
		*dport = port;
		if (port == sip_port && sip_port != 0)
			return SBC_FW_SIP;
		if (media && rte_be_to_cpu_16(port) >= r->media_lo &&
				rte_be_to_cpu_16(port) <= r->media_hi)
			return SBC_FW_MEDIA;
		return DP_FW_SVC_NONE;
	case IPPROTO_TCP:
		port = *(const uint16_t *)(const void *)(l4h + 2);
		*dport = port;
		return dp_fw_host_port(r, port);
	case IPPROTO_ICMP:
		*dport = rte_cpu_to_be_16(l4h[0]);
		return l4h[0] == 8 ? SBC_FW_ICMP : DP_FW_SVC_NONE; /* echo request */
	case IPPROTO_ICMPV6:
		*dport = rte_cpu_to_be_16(l4h[0]);
		return l4h[0] == 128 ? SBC_FW_ICMP : DP_FW_SVC_NONE;
	default:
		return DP_FW_SVC_NONE;
	}
}

/*
 * Returns whether an ICMP (v6: ICMPv6) message of l4_len octets at l4h is an error about
 * a TCP segment a host service sent from one of our addresses (own: the address test):
 * destination unreachable (path MTU: fragmentation needed, packet too big), time
 * exceeded, parameter problem. Such errors belong to the host's TCP. Dataplane lcores.
 */
static inline bool
dp_fw_icmp_for_host(const struct dp_fw_rules *r, int v6, const uint8_t *l4h, uint32_t l4_len,
		bool (*own)(const void *ifc, const uint8_t *a), const void *ifc)
{
	const uint8_t *ip = l4h + 8;
	uint32_t hl;

	if (v6) {
		if (l4h[0] < 1 || l4h[0] > 4 || l4_len < 8 + 40 + 4 || ip[6] != IPPROTO_TCP)
			return false;
		hl = 40;
		if (!own(ifc, ip + 8))
			return false;
	} else {
		if ((l4h[0] != 3 && l4h[0] != 11 && l4h[0] != 12) || l4_len < 8 + 20 + 4 ||
				(ip[0] >> 4) != 4 || ip[9] != IPPROTO_TCP)
			return false;
		hl = (ip[0] & 0xfu) * 4u;
		if (hl < 20 || l4_len < 8 + hl + 4 || !own(ifc, ip + 12))
			return false;
	}
	return dp_fw_host_port(r, *(const uint16_t *)(const void *)(ip + hl)) != DP_FW_SVC_NONE;
}

/*
 * Returns whether the source at src (4 or 16 octets) is exempt from flood limits. Any
 * thread that may read f's generation: a dataplane lcore, or the firewall control thread
 * under mgmt_fw.c's state lock.
 */
static inline bool
dp_fw_exempt(const struct dp_fw_flood *f, int v6, const uint8_t *src)
{
	unsigned int i;

	for (i = 0; i < f->n_exempt; i++)
		if ((f->exempt[i].family == AF_INET6) == (v6 != 0) &&
				sbc_prefix_match(src, f->exempt[i].a, f->exempt[i].plen))
			return true;
	return false;
}

/*
 * GCRA (dp_limit.h): returns whether a packet at now conforms to (t, tau); updates *tat
 * if so. The one writer of *tat.
 */
static inline bool
dp_gcra(uint64_t *tat, uint64_t t, uint64_t tau, uint64_t now)
{
	return dp_gcra_conforms(*tat, t, tau, now, tat);
}

/* Returns the drop reason of a verdict (SBC_DROP_NONE for SBC_FW_V_ALLOWED). Any thread. */
static inline enum sbc_drop
dp_fw_verdict_drop(unsigned int v)
{
	static const uint16_t drop[SBC_FW_V_MAX] = {
		[SBC_FW_V_ALLOWED] = SBC_DROP_NONE,
		[SBC_FW_V_DENIED] = SBC_DROP_FW_DENY,
		[SBC_FW_V_DEFAULT_DENIED] = SBC_DROP_FW_DEFAULT_DENY,
		[SBC_FW_V_RATE_LIMITED] = SBC_DROP_FW_RATE_LIMIT,
		[SBC_FW_V_BLOCKED] = SBC_DROP_FW_BLOCKED,
	};

	return (enum sbc_drop)drop[v];
}

/*
 * Applies the classification result res (0: no rule matched) of a packet of service svc
 * on lcore lc (index among the dataplane lcores): counts the deciding rule and returns
 * the verdict, SBC_FW_V_ALLOWED, _DENIED, _DEFAULT_DENIED or _RATE_LIMITED. The dataplane
 * lcore of index lc only (it writes that lcore's counter row and rate-limit state).
 */
static inline unsigned int
dp_fw_decide(const struct dp_fw_rules *r, unsigned int lc, uint8_t svc, uint32_t res,
		uint64_t now)
{
	uint64_t *hits = r->hits + (size_t)lc * r->stride;
	const struct dp_fw_rt *rt;
	uint64_t *tat;

	if (res == 0) {
		sbc_cnt_add(&hits[r->def_id[svc]], 1);
		return r->def[svc] == SBC_FW_ALLOW ? SBC_FW_V_ALLOWED : SBC_FW_V_DEFAULT_DENIED;
	}
	rt = &r->rt[res - 1];
	sbc_cnt_add(&hits[res - 1], 1);
	if (likely(rt->action == SBC_FW_ALLOW))
		return SBC_FW_V_ALLOWED;
	if (rt->action == SBC_FW_DENY)
		return SBC_FW_V_DENIED;
	tat = r->rl_tat + (size_t)lc * r->rl_stride + rt->rl;
	return dp_gcra(tat, r->rl[rt->rl].t, r->rl[rt->rl].tau, now) ? SBC_FW_V_ALLOWED :
								       SBC_FW_V_RATE_LIMITED;
}

/*
 * Classifies n keys of one family (pointers in keys) into res (rte_acl results: rule id
 * + 1, or 0). A family without rules yields 0 for all. Dataplane lcores.
 */
static inline void
dp_fw_classify(const struct dp_fw_rules *r, int v6, const uint8_t **keys, uint32_t *res,
		uint32_t n)
{
	if (n == 0)
		return;
	if (r->acl[v6] == NULL) {
		memset(res, 0, n * sizeof(*res));
		return;
	}
	rte_acl_classify(r->acl[v6], keys, res, n, 1);
}

#endif /* DP_FW_H */
