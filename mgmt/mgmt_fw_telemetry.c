/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mgmt_fw_telemetry.c - /sbc/fw/ telemetry commands: the firewall's state, and the
 * operator's commands (reload, block, unblock, acknowledge an alert).
 *
 *   /sbc/fw                          generation, method, rules and verdicts per service,
 *                                    blocklist size, offences, host path counters
 *   /sbc/fw/rules,SERVICE[,FROM]     a service's rules with their hits (a page: up to 64,
 *                                    and "next" when more are left)
 *   /sbc/fw/reload                   re-reads the firewall section; the result or the error
 *   /sbc/fw/blocks[,FROM]            blocked sources (a page)
 *   /sbc/fw/block,ADDR[,SECONDS[,REASON]]   blocks a source (0 s: until unblocked)
 *   /sbc/fw/unblock,ADDR
 *   /sbc/fw/log[,FROM]               the record, newest first (a page)
 *   /sbc/fw/alerts                   security alerts per service
 *   /sbc/fw/alerts/ack,SERVICE       acknowledges one (unack: withdraws it)
 *
 * Lists are dicts keyed by position ("0", "1", ...): DPDK telemetry keys allow only
 * letters, digits, '_' and '/'. Concurrency: callbacks run on the EAL telemetry thread;
 * they read counters with relaxed loads and go through mgmt_fw.h for everything else,
 * which serialises them with the firewall control thread (mgmt_fw.h). All but reload run
 * under mgmt_tel_lock and refuse to once mgmt_telemetry_stop() detached the planes
 * (mgmt_telemetry.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_telemetry.h>

#include "mgmt_fw.h"
#include "mgmt_telemetry.h"
#include "sbc_addr.h"

#define PAGE 64
/*
 * DPDK's telemetry replies hold 16 KiB, and what does not fit is left out without a
 * word: a page stops at about this many octets of JSON, and says where the next starts.
 */
#define PAGE_BUDGET 12000
#define DEFAULT_BLOCK_S 3600
#define MAX_BLOCK_S (366u * 86400u)

/* Splits params at its first comma: returns the rest (after it), or NULL. */
static char *
split(char *params)
{
	char *c = params != NULL ? strchr(params, ',') : NULL;

	if (c == NULL)
		return NULL;
	*c = '\0';
	return c + 1;
}

/* A non-negative decimal, or -1. */
static long
number(const char *s)
{
	char *end;
	long v;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	return *end == '\0' && errno == 0 ? v : -1;
}

/* The service named s, or -1. */
static int
service_of(const char *s)
{
	unsigned int i;

	for (i = 0; s != NULL && i < SBC_FW_SVC_MAX; i++)
		if (strcmp(s, sbc_fw_svc_name(i)) == 0)
			return (int)i;
	return -1;
}

/* Replies {"result": "error", "error": what}. */
static void
error_reply(struct rte_tel_data *d, const char *what)
{
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "result", "error");
	rte_tel_data_add_dict_string(d, "error", what);
}

/* ---- /sbc/fw --------------------------------------------------------------------------- */

struct sums {
	uint64_t svc[SBC_FW_SVC_MAX][SBC_FW_V_MAX];
	uint64_t host_rx;
	uint64_t host_drops[SBC_DROP_MAX];
};

/* Sums the firewall counters of every dataplane lcore. */
static void
sum_lcores(struct sums *s)
{
	unsigned int l, i, k;

	memset(s, 0, sizeof(*s));
	for (l = 0; l < SBC_MAX_LCORES; l++) {
		const struct sbc_lcore_stats *st = sbc_stats_get(l);

		if (st == NULL || st->role != SBC_ROLE_DATAPLANE)
			continue;
		for (i = 0; i < SBC_FW_SVC_MAX; i++)
			for (k = 0; k < SBC_FW_V_MAX; k++)
				s->svc[i][k] += sbc_cnt_read(&st->fw.svc[i][k]);
		s->host_rx += sbc_cnt_read(&st->fw.host_rx);
		for (k = 0; k < SBC_DROP_MAX; k++)
			s->host_drops[k] += sbc_cnt_read(&st->fw.host_drops[k]);
	}
}

struct summary {
	struct rte_tel_data *d;
	const struct sums *sums;
};

/* The /sbc/fw fields that come from the generation in force. */
static void
summary_fill(const struct dp_fw_rules *r, void *arg)
{
	struct summary *sm = arg;
	struct rte_tel_data *d = sm->d, *svcs = rte_tel_data_alloc();
	unsigned int s, v;

	rte_tel_data_add_dict_u64(d, "generation", r->gen);
	rte_tel_data_add_dict_string(d, "classify", dp_fw_alg_name(r));
	rte_tel_data_add_dict_u64(d, "build_us", r->build_ns / 1000);
	rte_tel_data_add_dict_u64(d, "rules", sbc_fw_config_rules(&r->cfg));
	rte_tel_data_add_dict_u64(d, "acl_rules_ipv4", r->n_acl_rules[0]);
	rte_tel_data_add_dict_u64(d, "acl_rules_ipv6", r->n_acl_rules[1]);
	rte_tel_data_add_dict_int(d, "flood_protection", r->cfg.flood.enabled);
	if (svcs == NULL)
		return;
	rte_tel_data_start_dict(svcs);
	for (s = 0; s < SBC_FW_SVC_MAX; s++) {
		struct rte_tel_data *e = rte_tel_data_alloc();

		if (e == NULL)
			continue;
		rte_tel_data_start_dict(e);
		rte_tel_data_add_dict_string(e, "protocol", sbc_fw_svc_proto(s));
		rte_tel_data_add_dict_u64(e, "rules", r->cfg.svc[s].n_rules);
		rte_tel_data_add_dict_string(e, "default",
				sbc_fw_action_name(r->cfg.svc[s].default_action));
		for (v = 0; v < SBC_FW_V_MAX; v++)
			rte_tel_data_add_dict_u64(e, sbc_fw_verdict_name(v), sm->sums->svc[s][v]);
		rte_tel_data_add_dict_container(svcs, sbc_fw_svc_name(s), e, 0);
	}
	rte_tel_data_add_dict_container(d, "services", svcs, 0);
}

/* /sbc/fw: the summary. */
static int
cmd_fw(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct sums sums;
	struct summary sm = { .d = d, .sums = &sums };
	struct rte_tel_data *off = rte_tel_data_alloc(), *host = rte_tel_data_alloc();
	uint64_t offences[SBC_FW_OFF_MAX], refused;
	struct mgmt_fw_block_info one;
	unsigned int total, k;

	(void)cmd;
	(void)params;
	if (off == NULL || host == NULL) {
		rte_tel_data_free(off);
		rte_tel_data_free(host);
		return -1;
	}
	sum_lcores(&sums);
	rte_tel_data_start_dict(d);
	mgmt_fw_with_rules(summary_fill, &sm);
	mgmt_fw_blocks(0, &one, 0, &total);
	rte_tel_data_add_dict_u64(d, "blocked_sources", total);
	rte_tel_data_add_dict_u64(d, "blocklist_max", mgmt_tel_cfg->fw.block.max_entries);
	mgmt_fw_counters(offences, &refused);
	rte_tel_data_start_dict(off);
	for (k = 0; k < SBC_FW_OFF_MAX; k++)
		rte_tel_data_add_dict_u64(off, sbc_fw_offence_name(k), offences[k]);
	rte_tel_data_add_dict_container(d, "offences", off, 0);
	rte_tel_data_add_dict_u64(d, "blocks_refused", refused);
	rte_tel_data_start_dict(host);
	rte_tel_data_add_dict_string(host, "iface", mgmt_tel_cfg->host.iface);
	rte_tel_data_add_dict_u64(host, "from_kernel", sums.host_rx);
	for (k = 1; k < SBC_DROP_MAX; k++)
		if (sums.host_drops[k] != 0)
			rte_tel_data_add_dict_u64(host, sbc_drop_name(k), sums.host_drops[k]);
	rte_tel_data_add_dict_container(d, "host", host, 0);
	return 0;
}

/* ---- /sbc/fw/rules ----------------------------------------------------------------------- */

struct rules_page {
	struct rte_tel_data *d;
	int svc;
	unsigned int from;
};

/* One rule of service s as a telemetry dict, with its hits. */
static void
rule_entry(struct rte_tel_data *e, const struct dp_fw_rules *r, unsigned int s, unsigned int i)
{
	const struct sbc_fw_svc_cfg *sc = &r->cfg.svc[s];
	const struct sbc_fw_rule *fr = &sc->rules[i];
	struct rte_tel_data *src = rte_tel_data_alloc();
	char buf[SBC_IP_STRLEN + 8];
	unsigned int k;

	rte_tel_data_start_dict(e);
	if (fr->name[0])
		rte_tel_data_add_dict_string(e, "name", fr->name);
	if (src != NULL) {
		rte_tel_data_start_array(src, RTE_TEL_STRING_VAL);
		if (fr->n_src == 0)
			rte_tel_data_add_array_string(src, "any");
		for (k = 0; k < fr->n_src; k++)
			rte_tel_data_add_array_string(src, sbc_ip_format(&sc->srcs[fr->src_off + k],
								   true, buf, sizeof(buf)));
		rte_tel_data_add_dict_container(e, "src", src, 0);
	}
	if (fr->port_lo == 0 && fr->port_hi == 65535)
		snprintf(buf, sizeof(buf), "any");
	else if (fr->port_lo == fr->port_hi)
		snprintf(buf, sizeof(buf), "%u", fr->port_lo);
	else
		snprintf(buf, sizeof(buf), "%u-%u", fr->port_lo, fr->port_hi);
	rte_tel_data_add_dict_string(e, "ports", buf);
	rte_tel_data_add_dict_string(e, "port", fr->ifidx < 0 ? "any" :
								mgmt_tel_cfg->ports[fr->ifidx].name);
	rte_tel_data_add_dict_string(e, "action", sbc_fw_action_name(fr->action));
	if (fr->action == SBC_FW_RATE_LIMIT) {
		rte_tel_data_add_dict_u64(e, "rate", fr->rate);
		rte_tel_data_add_dict_u64(e, "burst", fr->burst);
	}
	rte_tel_data_add_dict_u64(e, "hits", dp_fw_hits(r, r->base[s] + i));
}

/* A page of a service's rules from the generation in force. */
static void
rules_fill(const struct dp_fw_rules *r, void *arg)
{
	struct rules_page *pg = arg;
	const struct sbc_fw_svc_cfg *sc = &r->cfg.svc[pg->svc];
	struct rte_tel_data *list = rte_tel_data_alloc(), *def = rte_tel_data_alloc();
	char key[16];
	size_t used = 0;
	unsigned int i;

	rte_tel_data_add_dict_string(pg->d, "service", sbc_fw_svc_name(pg->svc));
	rte_tel_data_add_dict_u64(pg->d, "generation", r->gen);
	rte_tel_data_add_dict_u64(pg->d, "total", sc->n_rules);
	rte_tel_data_add_dict_u64(pg->d, "from", pg->from);
	if (list == NULL || def == NULL) {
		rte_tel_data_free(list);
		rte_tel_data_free(def);
		return;
	}
	rte_tel_data_start_dict(def);
	rte_tel_data_add_dict_string(def, "action", sbc_fw_action_name(sc->default_action));
	rte_tel_data_add_dict_u64(def, "hits", dp_fw_hits(r, r->def_id[pg->svc]));
	rte_tel_data_add_dict_container(pg->d, "default", def, 0);
	rte_tel_data_start_dict(list);
	for (i = pg->from; i < sc->n_rules && i < pg->from + PAGE; i++) {
		struct rte_tel_data *e;

		/* An entry: its fixed keys, name, and a prefix string per source. */
		used += 200 + strlen(sc->rules[i].name) + 48 * (size_t)sc->rules[i].n_src;
		if (i > pg->from && used > PAGE_BUDGET)
			break;
		e = rte_tel_data_alloc();
		if (e == NULL)
			break;
		rule_entry(e, r, (unsigned int)pg->svc, i);
		snprintf(key, sizeof(key), "%u", i);
		rte_tel_data_add_dict_container(list, key, e, 0);
	}
	if (i < sc->n_rules)
		rte_tel_data_add_dict_u64(pg->d, "next", i);
	rte_tel_data_add_dict_container(pg->d, "rules", list, 0);
}

/* /sbc/fw/rules,SERVICE[,FROM]. */
static int
cmd_rules(const char *cmd, const char *params, struct rte_tel_data *d)
{
	char buf[64];
	struct rules_page pg = { .d = d };
	char *rest;
	long from;

	(void)cmd;
	snprintf(buf, sizeof(buf), "%s", params ? params : "");
	rest = split(buf);
	pg.svc = service_of(buf);
	from = rest ? number(rest) : 0;
	if (pg.svc < 0 || from < 0) {
		error_reply(d, "usage: /sbc/fw/rules,SERVICE[,FROM] (sip, media, web, ssh, db, icmp)");
		return 0;
	}
	pg.from = (unsigned int)from;
	rte_tel_data_start_dict(d);
	mgmt_fw_with_rules(rules_fill, &pg);
	return 0;
}

/* ---- /sbc/fw/reload ------------------------------------------------------------------- */

/* /sbc/fw/reload: the outcome, or the error in its parts. */
static int
cmd_reload(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct mgmt_fw_reload_res res;

	(void)cmd;
	(void)params;
	rte_tel_data_start_dict(d);
	if (mgmt_fw_reload("telemetry", &res) == 0) {
		rte_tel_data_add_dict_string(d, "result", "ok");
		rte_tel_data_add_dict_u64(d, "generation", res.gen);
		rte_tel_data_add_dict_u64(d, "rules", res.rules);
		rte_tel_data_add_dict_string(d, "classify", res.method);
		rte_tel_data_add_dict_u64(d, "build_us", res.build_us);
		rte_tel_data_add_dict_u64(d, "publish_us", res.publish_us);
		return 0;
	}
	rte_tel_data_add_dict_string(d, "result", "error");
	rte_tel_data_add_dict_u64(d, "generation", res.gen);
	rte_tel_data_add_dict_string(d, "key", res.err.key);
	rte_tel_data_add_dict_string(d, "value", res.err.value);
	rte_tel_data_add_dict_string(d, "error", res.err.problem);
	return 0;
}

/* ---- blocks ------------------------------------------------------------------------------- */

/* An address (optionally /32, or /64 and longer for IPv6) to block or unblock. */
static int
parse_src(const char *s, struct sbc_ip *ip, const char **why)
{
	int family = s != NULL && strchr(s, ':') ? AF_INET6 : AF_INET;

	*why = "not an IPv4 or IPv6 address";
	if (s == NULL || sbc_ip_parse(s, family, strchr(s, '/') != NULL, ip) < 0)
		return -1;
	if (family == AF_INET && ip->plen != 32) {
		*why = "IPv4 sources are blocked one address at a time (a prefix: a deny rule)";
		return -1;
	}
	if (family == AF_INET6 && ip->plen < 64) {
		*why = "IPv6 sources are blocked by /64 (a shorter prefix: a deny rule)";
		return -1;
	}
	return 0;
}

/* /sbc/fw/block,ADDR[,SECONDS[,REASON]]. */
static int
cmd_block(const char *cmd, const char *params, struct rte_tel_data *d)
{
	char buf[256], err[160];
	char *secs, *reason;
	struct sbc_ip ip;
	const char *why;
	long seconds = DEFAULT_BLOCK_S;

	(void)cmd;
	snprintf(buf, sizeof(buf), "%s", params ? params : "");
	secs = split(buf);
	reason = split(secs);
	if (parse_src(buf, &ip, &why) < 0) {
		error_reply(d, why);
		return 0;
	}
	if (secs != NULL && ((seconds = number(secs)) < 0 || seconds > (long)MAX_BLOCK_S)) {
		error_reply(d, "SECONDS: a whole number of seconds up to 31622400 (0: until "
			       "unblocked)");
		return 0;
	}
	if (mgmt_fw_block(&ip, (unsigned int)seconds, reason && *reason ? reason : "by operator",
			    "operator", err, sizeof(err)) < 0) {
		error_reply(d, err);
		return 0;
	}
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "result", "blocked");
	rte_tel_data_add_dict_u64(d, "seconds", (uint64_t)seconds);
	return 0;
}

/* /sbc/fw/unblock,ADDR. */
static int
cmd_unblock(const char *cmd, const char *params, struct rte_tel_data *d)
{
	char err[160];
	struct sbc_ip ip;
	const char *why;

	(void)cmd;
	if (parse_src(params, &ip, &why) < 0) {
		error_reply(d, why);
		return 0;
	}
	if (mgmt_fw_unblock(&ip, "operator", err, sizeof(err)) < 0) {
		error_reply(d, err);
		return 0;
	}
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "result", "unblocked");
	return 0;
}

/*
 * A paged list: items from the FROM-th (params, default 0) on, at most PAGE and about
 * PAGE_BUDGET octets of JSON (cost() estimates an entry's), fetched by fetch() into a
 * buffer of item_size octets each; replies {"total", "from", "next" (when more are
 * left), name: {"N": entry made by fill()}}.
 */
static int
paged(struct rte_tel_data *d, const char *params, size_t item_size, const char *name,
		unsigned int (*fetch)(unsigned int from, void *out, unsigned int n,
				unsigned int *total),
		void (*fill)(struct rte_tel_data *e, const void *item),
		size_t (*cost)(const void *item))
{
	uint8_t *items = calloc(PAGE, item_size);
	struct rte_tel_data *list;
	long from = params && *params ? number(params) : 0;
	unsigned int n, i, total;
	size_t used = 0;
	char key[16];

	if (items == NULL || from < 0 || (list = rte_tel_data_alloc()) == NULL) {
		free(items);
		return -1;
	}
	n = fetch((unsigned int)from, items, PAGE, &total);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "total", total);
	rte_tel_data_add_dict_u64(d, "from", (uint64_t)from);
	rte_tel_data_start_dict(list);
	for (i = 0; i < n; i++) {
		struct rte_tel_data *e;

		used += cost(items + i * item_size);
		if (i > 0 && used > PAGE_BUDGET)
			break;
		e = rte_tel_data_alloc();
		if (e == NULL)
			break;
		rte_tel_data_start_dict(e);
		fill(e, items + i * item_size);
		snprintf(key, sizeof(key), "%u", (unsigned int)from + i);
		rte_tel_data_add_dict_container(list, key, e, 0);
	}
	if ((unsigned int)from + i < total)
		rte_tel_data_add_dict_u64(d, "next", (uint64_t)from + i);
	rte_tel_data_add_dict_container(d, name, list, 0);
	free(items);
	return 0;
}

/* JSON octets of an entry: its fixed keys and numbers, and its strings. */
static size_t
block_cost(const void *item)
{
	const struct mgmt_fw_block_info *b = item;

	return 260 + strlen(b->reason) + strlen(b->by);
}

/* JSON octets of a record entry. */
static size_t
record_cost(const void *item)
{
	const struct mgmt_fw_record *r = item;

	return 180 + strlen(r->what) + strlen(r->by);
}

/* Adapters of the block list for paged(). */
static unsigned int
fetch_blocks(unsigned int from, void *out, unsigned int n, unsigned int *total)
{
	return mgmt_fw_blocks(from, out, n, total);
}

/* A block as a telemetry dict. */
static void
fill_block(struct rte_tel_data *e, const void *item)
{
	const struct mgmt_fw_block_info *b = item;
	char a[SBC_IP_STRLEN + 4];

	rte_tel_data_add_dict_string(e, "src", sbc_ip_format(&b->src, true, a, sizeof(a)));
	rte_tel_data_add_dict_string(e, "seen", sbc_ip_format(&b->seen, false, a, sizeof(a)));
	rte_tel_data_add_dict_string(e, "offence", sbc_fw_offence_name(b->offence));
	rte_tel_data_add_dict_string(e, "services", b->all ? "all" : "sip");
	rte_tel_data_add_dict_string(e, "reason", b->reason);
	rte_tel_data_add_dict_string(e, "by", b->by);
	rte_tel_data_add_dict_u64(e, "since", (uint64_t)b->since_s);
	rte_tel_data_add_dict_u64(e, "until", (uint64_t)b->until_s);
	rte_tel_data_add_dict_u64(e, "hits", b->hits);
}

/* /sbc/fw/blocks[,FROM]. */
static int
cmd_blocks(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd;
	return paged(d, params, sizeof(struct mgmt_fw_block_info), "blocks", fetch_blocks,
			fill_block, block_cost);
}

/* Adapters of the record for paged(). */
static unsigned int
fetch_records(unsigned int from, void *out, unsigned int n, unsigned int *total)
{
	return mgmt_fw_records(from, out, n, total);
}

/* A record entry as a telemetry dict. */
static void
fill_record(struct rte_tel_data *e, const void *item)
{
	const struct mgmt_fw_record *r = item;
	char a[SBC_IP_STRLEN + 4];

	rte_tel_data_add_dict_u64(e, "time_ms", (uint64_t)r->time_ms);
	rte_tel_data_add_dict_string(e, "action", r->action);
	if (r->has_src)
		rte_tel_data_add_dict_string(e, "src", sbc_ip_format(&r->src, true, a, sizeof(a)));
	if (r->offence < SBC_FW_OFF_MAX)
		rte_tel_data_add_dict_string(e, "offence", sbc_fw_offence_name(r->offence));
	if (strcmp(r->action, "block") == 0)
		rte_tel_data_add_dict_u64(e, "seconds", r->seconds);
	rte_tel_data_add_dict_string(e, "what", r->what);
	rte_tel_data_add_dict_string(e, "by", r->by);
}

/* /sbc/fw/log[,FROM]. */
static int
cmd_log(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd;
	return paged(d, params, sizeof(struct mgmt_fw_record), "records", fetch_records,
			fill_record, record_cost);
}

/* ---- alerts ------------------------------------------------------------------------------ */

/* /sbc/fw/alerts: SIP, web, SSH and DB. */
static int
cmd_alerts(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct mgmt_fw_alert_state st[SBC_FW_SVC_MAX];
	unsigned int s;

	(void)cmd;
	(void)params;
	mgmt_fw_alerts(st);
	rte_tel_data_start_dict(d);
	for (s = 0; s < SBC_FW_SVC_MAX; s++) {
		struct rte_tel_data *e;

		if (s != SBC_FW_SIP && !SBC_FW_IS_HOST(s))
			continue;
		e = rte_tel_data_alloc();
		if (e == NULL)
			return -1;
		rte_tel_data_start_dict(e);
		rte_tel_data_add_dict_int(e, "raised", st[s].alert.raised);
		rte_tel_data_add_dict_int(e, "acknowledged", st[s].acked || st[s].acked_config);
		rte_tel_data_add_dict_string(e, "acknowledged_by",
				st[s].acked_config ? "configuration" : st[s].acked ? "operator" : "");
		rte_tel_data_add_dict_string(e, "text", st[s].alert.raised ? st[s].alert.text :
									     "unknown sources denied");
		rte_tel_data_add_dict_container(d, sbc_fw_svc_name(s), e, 0);
	}
	return 0;
}

/* Acknowledges (or withdraws) the alert of the service named in params. */
static int
ack_cmd(const char *params, struct rte_tel_data *d, bool ack)
{
	int s = service_of(params);

	if (s < 0 || (s != SBC_FW_SIP && !SBC_FW_IS_HOST(s))) {
		error_reply(d, "a service with alerts: sip, web, ssh or db");
		return 0;
	}
	mgmt_fw_ack((unsigned int)s, ack, "operator");
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "result", ack ? "acknowledged" : "unacknowledged");
	return 0;
}

/* /sbc/fw/alerts/ack,SERVICE and /sbc/fw/alerts/unack,SERVICE. */
static int
cmd_ack(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd;
	return ack_cmd(params, d, true);
}

static int
cmd_unack(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd;
	return ack_cmd(params, d, false);
}

/* ---- registration -------------------------------------------------------------------- */

MGMT_TEL_LOCKED(cmd_fw)
MGMT_TEL_LOCKED(cmd_rules)
MGMT_TEL_LOCKED(cmd_blocks)
MGMT_TEL_LOCKED(cmd_block)
MGMT_TEL_LOCKED(cmd_unblock)
MGMT_TEL_LOCKED(cmd_log)
MGMT_TEL_LOCKED(cmd_alerts)
MGMT_TEL_LOCKED(cmd_ack)
MGMT_TEL_LOCKED(cmd_unack)

int
mgmt_fw_telemetry_init(void)
{
	static const struct mgmt_tel_cmd cmds[] = {
		{ "/sbc/fw", cmd_fw_locked, "Firewall: rule set in force, verdicts per service, "
				"blocklist, offences" },
		{ "/sbc/fw/rules", cmd_rules_locked,
				"A service's rules and hits. Parameters: SERVICE[,FROM]" },
		/* Not under mgmt_tel_lock: a large set builds for seconds, while the other commands
		 * (a block in an incident) must answer; mgmt_fw_reload() is safe alone. */
		{ "/sbc/fw/reload", cmd_reload,
				"Reloads the firewall section of the configuration file" },
		{ "/sbc/fw/blocks", cmd_blocks_locked, "Blocked sources. Parameter: [FROM]" },
		{ "/sbc/fw/block", cmd_block_locked,
				"Blocks a source. Parameters: ADDR[,SECONDS[,REASON]]" },
		{ "/sbc/fw/unblock", cmd_unblock_locked, "Unblocks a source. Parameter: ADDR" },
		{ "/sbc/fw/log", cmd_log_locked,
				"Blocks, unblocks, reloads and acknowledgements, newest first. "
				"Parameter: [FROM]" },
		{ "/sbc/fw/alerts", cmd_alerts_locked, "Security alerts per service" },
		{ "/sbc/fw/alerts/ack", cmd_ack_locked,
				"Acknowledges a service's alert. Parameter: SERVICE" },
		{ "/sbc/fw/alerts/unack", cmd_unack_locked,
				"Withdraws an acknowledgement. Parameter: SERVICE" },
	};

	return mgmt_tel_register(cmds, RTE_DIM(cmds));
}
