/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sbc_fw_config.c - the "firewall" section (see sbc_fw_config.h): parsing, validation,
 * reload, and the security alerts a rule set raises.
 *
 * Design: as in sbc_config.c, one function per object, unknown keys first, the first
 * problem ends the parse with a message naming the rule and the field. A service's
 * rules and their source prefixes are counted first and allocated once. Main thread at
 * start, the thread running a reload (one at a time, mgmt_fw.c); nothing shared.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <sys/stat.h>
#include <jansson.h>

#include "cfg_json.h"
#include "sbc_config.h"
#include "sbc_fw_config.h"

#define RATE_MAX 10000000u

static const char *const default_scanners[] = { "friendly-scanner", "sipvicious", "sipcli",
	"sip-scan", "VaxSIPUserAgent", "iWar", "SIVuS", "sundayddr", "smap", NULL };

static const char *const classify_names[SBC_FW_CLASSIFY_MAX] = { "auto", "scalar", "sse",
	"avx2", "avx512x16", "avx512x32" };

int
sbc_fw_classify_parse(const char *s)
{
	unsigned int i;

	for (i = 0; i < SBC_FW_CLASSIFY_MAX; i++)
		if (strcmp(s, classify_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *
sbc_fw_classify_name(unsigned int m)
{
	return m < SBC_FW_CLASSIFY_MAX ? classify_names[m] : "?";
}

unsigned long
sbc_fw_config_rules(const struct sbc_fw_cfg *fw)
{
	unsigned long n = 0;
	unsigned int s;

	for (s = 0; s < SBC_FW_SVC_MAX; s++)
		n += fw->svc[s].n_rules;
	return n;
}

void
sbc_fw_config_free(struct sbc_fw_cfg *fw)
{
	unsigned int s;

	for (s = 0; s < SBC_FW_SVC_MAX; s++) {
		free(fw->svc[s].rules);
		free(fw->svc[s].srcs);
		fw->svc[s].rules = NULL;
		fw->svc[s].srcs = NULL;
		fw->svc[s].n_rules = 0;
		fw->svc[s].n_srcs = 0;
	}
}

int
sbc_fw_config_dup(struct sbc_fw_cfg *dst, const struct sbc_fw_cfg *src)
{
	unsigned int s;

	*dst = *src;
	for (s = 0; s < SBC_FW_SVC_MAX; s++) {
		const struct sbc_fw_svc_cfg *a = &src->svc[s];
		struct sbc_fw_svc_cfg *b = &dst->svc[s];

		b->rules = NULL;
		b->srcs = NULL;
		if (a->n_rules != 0) {
			b->rules = malloc(a->n_rules * sizeof(*b->rules));
			if (b->rules != NULL)
				memcpy(b->rules, a->rules, a->n_rules * sizeof(*b->rules));
		}
		if (a->n_srcs != 0) {
			b->srcs = malloc(a->n_srcs * sizeof(*b->srcs));
			if (b->srcs != NULL)
				memcpy(b->srcs, a->srcs, a->n_srcs * sizeof(*b->srcs));
		}
		if ((a->n_rules != 0 && b->rules == NULL) || (a->n_srcs != 0 && b->srcs == NULL)) {
			unsigned int k;

			/* The services not copied yet must not point at src's lists. */
			for (k = s + 1; k < SBC_FW_SVC_MAX; k++) {
				dst->svc[k].rules = NULL;
				dst->svc[k].srcs = NULL;
			}
			sbc_fw_config_free(dst);
			return -ENOMEM;
		}
	}
	return 0;
}

/* ---- values ------------------------------------------------------------------------- */

/*
 * Parses "a.b.c.d[/len]" or "x::y[/len]" (no length: one host). Returns NULL, or why the
 * text is not a prefix.
 */
static const char *
parse_prefix(const char *s, struct sbc_ip *ip, char *why, size_t whylen)
{
	int family = strchr(s, ':') != NULL ? AF_INET6 : AF_INET;
	unsigned int octets = family == AF_INET ? 4 : 16, i;
	struct sbc_ip net;

	if (sbc_ip_parse(s, family, strchr(s, '/') != NULL, ip) < 0)
		return "not an IPv4 or IPv6 address or prefix (a.b.c.d/len, x:y::z/len, or \"any\")";
	/* Host bits set: most likely a typo in the length or the address. */
	net = *ip;
	for (i = 0; i < octets; i++) {
		unsigned int bits = ip->plen > i * 8 ? ip->plen - i * 8 : 0;

		if (bits < 8)
			net.a[i] &= (uint8_t)(0xff00 >> bits);
	}
	if (memcmp(net.a, ip->a, octets) != 0) {
		char a[SBC_IP_STRLEN];

		snprintf(why, whylen, "host bits set beyond /%u (the prefix is %s)", ip->plen,
				sbc_ip_format(&net, true, a, sizeof(a)));
		return why;
	}
	return NULL;
}

/* Checks that v is a prefix string (see parse_prefix) and stores it in ip. */
static int
check_prefix(struct cfg_ctx *c, const char *path, const json_t *v, struct sbc_ip *ip)
{
	char buf[128];
	const char *why;

	if (!json_is_string(v))
		return cfg_fail(c, path, v, "must be a prefix string (a.b.c.d/len or x:y::z/len)");
	why = parse_prefix(json_string_value(v), ip, buf, sizeof(buf));
	return why != NULL ? cfg_fail(c, path, v, "%s", why) : 0;
}

/* Whether [lo, hi] holds one of the n ports. */
static bool
range_holds(unsigned int lo, unsigned int hi, const uint16_t *ports, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (ports[i] >= lo && ports[i] <= hi)
			return true;
	return false;
}

/* "1234" or 1234 or "1000-2000": a destination port range. */
static int
parse_port_range(struct cfg_ctx *c, const char *path, const json_t *v, uint16_t *lo,
		uint16_t *hi)
{
	unsigned long a, b;
	char *end;
	const char *s;

	if (json_is_integer(v)) {
		if (json_integer_value(v) < 1 || json_integer_value(v) > 65535)
			return cfg_fail(c, path, v, "out of range (a port from 1 to 65535)");
		*lo = *hi = (uint16_t)json_integer_value(v);
		return 0;
	}
	if (!json_is_string(v))
		return cfg_fail(c, path, v, "must be a port (5060) or a range (\"20000-29999\")");
	s = json_string_value(v);
	a = strtoul(s, &end, 10);
	b = a;
	if (end != s && *end == '-') {
		const char *t = end + 1;

		b = strtoul(t, &end, 10);
		if (end == t)
			end = (char *)(uintptr_t)t - 1;
	}
	if (end == s || *end != '\0' || s[0] < '0' || s[0] > '9')
		return cfg_fail(c, path, v, "must be a port (5060) or a range (\"20000-29999\")");
	if (a < 1 || b > 65535)
		return cfg_fail(c, path, v, "out of range (ports from 1 to 65535)");
	if (a > b)
		return cfg_fail(c, path, v, "the range ends before it starts");
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return 0;
}

/* ---- one rule ---------------------------------------------------------------------- */

/* The ports the service's traffic goes to, for the check that a rule's ports meet them. */
static unsigned int
service_ports(const struct sbc_config *cfg, unsigned int svc, const struct sbc_fw_svc_cfg *sc,
		int ifidx, uint16_t *out)
{
	unsigned int i, n = 0;

	switch (svc) {
	case SBC_FW_SIP:
		for (i = 0; i < cfg->n_ports; i++)
			if (cfg->ports[i].sip_udp_port != 0 && (ifidx < 0 || (int)i == ifidx))
				out[n++] = cfg->ports[i].sip_udp_port;
		return n;
	case SBC_FW_WEB:
	case SBC_FW_SSH:
	case SBC_FW_DB:
		memcpy(out, sc->ports, sc->n_ports * sizeof(*out));
		return sc->n_ports;
	default:
		return 0;
	}
}

/* A rule's "src": absent or "any" (every source), a prefix, or a list of them. */
static int
parse_rule_src(struct cfg_ctx *c, const char *path, const json_t *v, struct sbc_fw_svc_cfg *sc,
		struct sbc_fw_rule *r)
{
	char p[CFG_PATH_LEN];
	const json_t *e;
	size_t i, n;

	r->src_off = sc->n_srcs;
	r->n_src = 0;
	if (v == NULL)
		return 0;
	if (json_is_string(v) && strcmp(json_string_value(v), "any") == 0)
		return 0;
	if (json_is_array(v)) {
		n = json_array_size(v);
		if (n == 0)
			return cfg_fail(c, path, v, "needs at least 1 prefix (or omit it, or \"any\")");
		if (n > SBC_FW_MAX_RULE_SRC)
			return cfg_fail(c, path, v, "too many prefixes (at most %u; split the rule)",
					SBC_FW_MAX_RULE_SRC);
	} else if (!json_is_string(v)) {
		return cfg_fail(c, path, v, "must be a prefix, a list of prefixes, or \"any\"");
	} else {
		n = 1;
	}
	for (i = 0; i < n; i++) {
		e = json_is_array(v) ? json_array_get(v, i) : v;
		if (json_is_array(v))
			snprintf(p, sizeof(p), "%s[%zu]", path, i);
		else
			snprintf(p, sizeof(p), "%s", path);
		if (json_is_string(e) && strcmp(json_string_value(e), "any") == 0)
			return cfg_fail(c, p, e, "\"any\" cannot be in a list (it is every source)");
		if (check_prefix(c, p, e, &sc->srcs[sc->n_srcs]) < 0)
			return -1;
		sc->n_srcs++;
		r->n_src++;
	}
	return 0;
}

/* The action named s (allow, deny, and rate-limit when rl), or -1. */
static int
action_of(const json_t *v, bool rl)
{
	const char *s = json_is_string(v) ? json_string_value(v) : "";

	if (strcmp(s, "allow") == 0)
		return SBC_FW_ALLOW;
	if (strcmp(s, "deny") == 0)
		return SBC_FW_DENY;
	return rl && strcmp(s, "rate-limit") == 0 ? SBC_FW_RATE_LIMIT : -1;
}

/* A rule's "action", and "rate" / "burst" for (and only for) rate-limit. */
static int
parse_rule_action(struct cfg_ctx *c, const char *path, const json_t *rv, struct sbc_fw_rule *r)
{
	char p[CFG_PATH_LEN];
	const json_t *v = json_object_get(rv, "action");
	unsigned int burst;
	int a;

	if (v == NULL)
		return cfg_fail(c, cfg_join(p, path, "action"), NULL,
				"missing (allow, deny or rate-limit)");
	a = action_of(v, true);
	if (a < 0)
		return cfg_fail(c, cfg_join(p, path, "action"), v,
				"unknown action (allow, deny or rate-limit)");
	r->action = (uint8_t)a;
	if (r->action != SBC_FW_RATE_LIMIT) {
		if ((v = json_object_get(rv, "rate")) != NULL ||
				(v = json_object_get(rv, "burst")) != NULL)
			return cfg_fail(c, cfg_join(p, path, json_object_get(rv, "rate") ? "rate" :
											 "burst"),
					v, "only a rate-limit rule has a rate and a burst");
		return 0;
	}
	if (json_object_get(rv, "rate") == NULL)
		return cfg_fail(c, cfg_join(p, path, "rate"), NULL,
				"missing (a rate-limit rule needs packets per second)");
	if (cfg_get_uint(c, path, rv, "rate", 1, RATE_MAX, 0, &r->rate) < 0 ||
			cfg_get_uint(c, path, rv, "burst", 1, RATE_MAX, r->rate, &burst) < 0)
		return -1;
	r->burst = burst;
	return 0;
}

/* One rule of service svc: its fields, and its ports judged against the service's. */
static int
parse_rule(struct cfg_ctx *c, const char *path, const json_t *rv, unsigned int svc,
		const struct sbc_config *cfg, struct sbc_fw_svc_cfg *sc, struct sbc_fw_rule *r)
{
	static const char *const keys[] = { "src", "ports", "port", "action", "rate", "burst",
		"name", NULL };
	char p[CFG_PATH_LEN];
	uint16_t ports[SBC_MAX_PORTS > SBC_FW_MAX_SVC_PORTS ? SBC_MAX_PORTS : SBC_FW_MAX_SVC_PORTS];
	const json_t *v;
	unsigned int n;

	memset(r, 0, sizeof(*r));
	r->ifidx = -1;
	r->port_lo = 0;
	r->port_hi = 65535;
	if (!json_is_object(rv))
		return cfg_fail(c, path, rv, "must be an object (src, ports, port, action, ...)");
	if (cfg_check_keys(c, path, rv, keys) < 0 ||
			parse_rule_action(c, path, rv, r) < 0 ||
			parse_rule_src(c, cfg_join(p, path, "src"), json_object_get(rv, "src"), sc, r) <
					0)
		return -1;
	if ((v = json_object_get(rv, "name")) != NULL &&
			cfg_check_string(c, cfg_join(p, path, "name"), v, r->name, sizeof(r->name)) < 0)
		return -1;
	if ((v = json_object_get(rv, "port")) != NULL) {
		int k = json_is_string(v) ? sbc_config_port_index(cfg, json_string_value(v)) : -1;

		if (k < 0)
			return cfg_fail(c, cfg_join(p, path, "port"), v, "no port has this name");
		if (svc == SBC_FW_SIP && cfg->ports[k].sip_udp_port == 0)
			return cfg_fail(c, cfg_join(p, path, "port"), v,
					"this port has no sip_udp_port: no SIP arrives there");
		r->ifidx = (int8_t)k;
	}
	v = json_object_get(rv, "ports");
	if (v == NULL)
		return 0;
	cfg_join(p, path, "ports");
	if (svc == SBC_FW_ICMP)
		return cfg_fail(c, p, v, "ICMP has no ports");
	if (parse_port_range(c, p, v, &r->port_lo, &r->port_hi) < 0)
		return -1;
	if (svc == SBC_FW_MEDIA) {
		if (r->port_hi < cfg->media.port_min || r->port_lo > cfg->media.port_max)
			return cfg_fail(c, p, v, "outside the media relay range %u-%u",
					cfg->media.port_min, cfg->media.port_max);
		return 0;
	}
	n = service_ports(cfg, svc, sc, r->ifidx, ports);
	if (!range_holds(r->port_lo, r->port_hi, ports, n)) {
		char list[128];
		size_t off = 0;
		unsigned int i;

		list[0] = '\0';
		for (i = 0; i < n && off < sizeof(list); i++)
			off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%u", i ? ", " : "",
					ports[i]);
		return cfg_fail(c, p, v, "matches none of the %s service's ports (%s)",
				sbc_fw_svc_name(svc), n ? list : "none");
	}
	return 0;
}

/* ---- one service ------------------------------------------------------------------- */

/* A host service's "ports": 1-16 distinct TCP ports. */
static int
parse_svc_ports(struct cfg_ctx *c, const char *path, const json_t *obj, struct sbc_fw_svc_cfg *sc)
{
	char p[CFG_PATH_LEN];
	json_t *arr, *v;
	size_t i, j;
	unsigned int port;

	if (cfg_get_array(c, path, obj, "ports", false, 1, SBC_FW_MAX_SVC_PORTS, &arr) < 0)
		return -1;
	if (arr == NULL)
		return 0; /* the default stays */
	json_array_foreach(arr, i, v) {
		snprintf(p, sizeof(p), "%s.ports[%zu]", path, i);
		if (cfg_check_uint(c, p, v, 1, 65535, &port) < 0)
			return -1;
		for (j = 0; j < i; j++)
			if (sc->ports[j] == port)
				return cfg_fail(c, p, v, "port listed twice");
		sc->ports[i] = (uint16_t)port;
	}
	sc->n_ports = (unsigned int)json_array_size(arr);
	return 0;
}

/* A service's "default": allow or deny. */
static int
parse_default(struct cfg_ctx *c, const char *path, const json_t *obj, struct sbc_fw_svc_cfg *sc)
{
	char p[CFG_PATH_LEN];
	const json_t *v = json_object_get(obj, "default");
	int a;

	if (v == NULL)
		return 0;
	a = action_of(v, false);
	if (a < 0)
		return cfg_fail(c, cfg_join(p, path, "default"), v,
				"the default policy is allow or deny");
	sc->default_action = (uint8_t)a;
	return 0;
}

/* One service's object: default, alert_ack, ports (host services), rules. */
static int
parse_svc(struct cfg_ctx *c, const json_t *services, unsigned int svc,
		const struct sbc_config *cfg, struct sbc_fw_svc_cfg *sc)
{
	static const char *const keys[] = { "default", "alert_ack", "rules", NULL };
	static const char *const host_keys[] = { "default", "alert_ack", "rules", "ports", NULL };
	char path[CFG_PATH_LEN], p[CFG_PATH_LEN];
	json_t *obj, *arr, *rv;
	size_t i, n_src = 0;

	snprintf(path, sizeof(path), "firewall.services.%s", sbc_fw_svc_name(svc));
	if (cfg_get_object(c, "firewall.services", services, sbc_fw_svc_name(svc), false, &obj) < 0)
		return -1;
	if (obj == NULL)
		return 0;
	if (cfg_check_keys(c, path, obj, SBC_FW_IS_HOST(svc) ? host_keys : keys) < 0 ||
			parse_default(c, path, obj, sc) < 0 ||
			cfg_get_bool(c, path, obj, "alert_ack", false, &sc->alert_ack) < 0 ||
			(SBC_FW_IS_HOST(svc) && parse_svc_ports(c, path, obj, sc) < 0) ||
			cfg_get_array(c, path, obj, "rules", false, 0, SBC_FW_MAX_RULES, &arr) < 0)
		return -1;
	if (arr == NULL || json_array_size(arr) == 0)
		return 0;
	/* One allocation for the rules and one for their prefixes. */
	json_array_foreach(arr, i, rv) {
		const json_t *s = json_object_get(rv, "src");

		n_src += json_is_array(s) ? json_array_size(s) : 1;
	}
	sc->rules = calloc(json_array_size(arr), sizeof(*sc->rules));
	sc->srcs = calloc(n_src, sizeof(*sc->srcs));
	if (sc->rules == NULL || sc->srcs == NULL)
		return cfg_fail(c, cfg_join(p, path, "rules"), NULL, "out of memory");
	json_array_foreach(arr, i, rv) {
		snprintf(p, sizeof(p), "%s.rules[%zu]", path, i);
		if (parse_rule(c, p, rv, svc, cfg, sc, &sc->rules[i]) < 0)
			return -1;
		sc->n_rules++;
	}
	return 0;
}

/* ---- flood, blocklist, scanners ------------------------------------------------------ */

/* "firewall.flood": the per-source limits and their exempt prefixes. */
static int
parse_flood(struct cfg_ctx *c, const json_t *fw, struct sbc_fw_flood_cfg *f)
{
	static const char *const keys[] = { "enabled", "sip_rate", "sip_burst", "call_rate",
		"call_burst", "block_after", "block_s", "sources", "exempt", NULL };
	const char *path = "firewall.flood";
	char p[CFG_PATH_LEN];
	json_t *obj, *arr, *v;
	size_t i;

	if (cfg_get_object(c, "firewall", fw, "flood", false, &obj) < 0)
		return -1;
	if (obj && cfg_check_keys(c, path, obj, keys) < 0)
		return -1;
	if (cfg_get_bool(c, path, obj, "enabled", true, &f->enabled) < 0 ||
			cfg_get_uint(c, path, obj, "sip_rate", 1, RATE_MAX, 300, &f->sip_rate) < 0 ||
			cfg_get_uint(c, path, obj, "sip_burst", 1, RATE_MAX, 2 * f->sip_rate,
					&f->sip_burst) < 0 ||
			cfg_get_uint(c, path, obj, "call_rate", 1, RATE_MAX, 30, &f->call_rate) < 0 ||
			cfg_get_uint(c, path, obj, "call_burst", 1, RATE_MAX, 2 * f->call_rate,
					&f->call_burst) < 0 ||
			cfg_get_uint(c, path, obj, "block_after", 0, 1000000, 20, &f->block_after) < 0 ||
			cfg_get_uint(c, path, obj, "block_s", 1, 604800, 300, &f->block_s) < 0 ||
			cfg_get_uint(c, path, obj, "sources", 1024, 16777216, 65536, &f->sources) < 0 ||
			cfg_get_array(c, path, obj, "exempt", false, 0, SBC_FW_MAX_EXEMPT, &arr) < 0)
		return -1;
	if (arr == NULL)
		return 0;
	json_array_foreach(arr, i, v) {
		snprintf(p, sizeof(p), "%s.exempt[%zu]", path, i);
		if (check_prefix(c, p, v, &f->exempt[i]) < 0)
			return -1;
	}
	f->n_exempt = (unsigned int)json_array_size(arr);
	return 0;
}

/* "firewall.blocklist": its size and the offence thresholds. */
static int
parse_blocklist(struct cfg_ctx *c, const json_t *fw, struct sbc_fw_block_cfg *b)
{
	static const char *const keys[] = { "max_entries", "window_s", "block_s", "malformed",
		"auth_failures", "scanner", NULL };
	const char *path = "firewall.blocklist";
	json_t *obj;

	if (cfg_get_object(c, "firewall", fw, "blocklist", false, &obj) < 0)
		return -1;
	if (obj && cfg_check_keys(c, path, obj, keys) < 0)
		return -1;
	return cfg_get_uint(c, path, obj, "max_entries", 64, 1048576, 65536, &b->max_entries) < 0 ||
					cfg_get_uint(c, path, obj, "window_s", 1, 86400, 60,
							&b->window_s) < 0 ||
					cfg_get_uint(c, path, obj, "block_s", 1, 604800, 600,
							&b->block_s) < 0 ||
					cfg_get_uint(c, path, obj, "malformed", 0, 1000000, 10,
							&b->malformed) < 0 ||
					cfg_get_uint(c, path, obj, "auth_failures", 0, 1000000, 5,
							&b->auth_failures) < 0 ||
					cfg_get_uint(c, path, obj, "scanner", 0, 1000000, 1,
							&b->scanner) < 0 ?
			-1 :
			0;
}

/* "firewall.scanners": User-Agent names (the default list when absent). */
static int
parse_scanners(struct cfg_ctx *c, const json_t *fw, struct sbc_fw_cfg *out)
{
	char p[CFG_PATH_LEN];
	json_t *arr, *v;
	size_t i;

	if (cfg_get_array(c, "firewall", fw, "scanners", false, 0, SBC_FW_MAX_SCANNERS, &arr) < 0)
		return -1;
	out->n_scanners = 0;
	if (arr == NULL) {
		for (i = 0; default_scanners[i] != NULL; i++)
			snprintf(out->scanners[out->n_scanners++], SBC_FW_SCANNER_LEN, "%s",
					default_scanners[i]);
		return 0;
	}
	json_array_foreach(arr, i, v) {
		snprintf(p, sizeof(p), "firewall.scanners[%zu]", i);
		if (cfg_check_string(c, p, v, out->scanners[i], SBC_FW_SCANNER_LEN) < 0)
			return -1;
		out->n_scanners++;
	}
	return 0;
}

/* Host services must not share a TCP port. */
static int
check_host_ports(struct cfg_ctx *c, const json_t *services, const struct sbc_fw_cfg *out)
{
	unsigned int a, b, i, j;
	char p[CFG_PATH_LEN];

	for (a = 0; a < SBC_FW_SVC_MAX; a++)
		for (b = 0; b < a; b++) {
			if (!SBC_FW_IS_HOST(a) || !SBC_FW_IS_HOST(b))
				continue;
			for (i = 0; i < out->svc[a].n_ports; i++)
				for (j = 0; j < out->svc[b].n_ports; j++) {
					if (out->svc[a].ports[i] != out->svc[b].ports[j])
						continue;
					snprintf(p, sizeof(p), "firewall.services.%s.ports[%u]",
							sbc_fw_svc_name(a), i);
					return cfg_fail(c, p,
							json_array_get(json_object_get(json_object_get(
										       services,
										       sbc_fw_svc_name(a)),
										       "ports"),
									i),
							"already a port of the %s service",
							sbc_fw_svc_name(b));
				}
		}
	return 0;
}

/* The defaults of every key of the section (README.md lists them). */
static void
set_defaults(struct sbc_fw_cfg *out)
{
	static const uint16_t host_port[SBC_FW_SVC_MAX] = { [SBC_FW_WEB] = 443, [SBC_FW_SSH] = 22,
		[SBC_FW_DB] = 5432 };
	unsigned int s;

	memset(out, 0, sizeof(*out));
	for (s = 0; s < SBC_FW_SVC_MAX; s++) {
		out->svc[s].default_action = SBC_FW_IS_HOST(s) ? SBC_FW_DENY : SBC_FW_ALLOW;
		if (SBC_FW_IS_HOST(s)) {
			out->svc[s].n_ports = 1;
			out->svc[s].ports[0] = host_port[s];
		}
	}
}

int
sbc_fw_config_parse_json(struct cfg_ctx *c, const void *fwv, const struct sbc_config *cfg,
		struct sbc_fw_cfg *out)
{
	static const char *const keys[] = { "classify", "services", "flood", "blocklist",
		"scanners", NULL };
	static const char *const svc_keys[SBC_FW_SVC_MAX + 1] = {
#define SBC_X_NAME(sym, name, proto, desc) name,
		SBC_FW_SERVICES(SBC_X_NAME)
#undef SBC_X_NAME
				NULL
	};
	const json_t *fw = fwv;
	json_t *services = NULL, *v;
	unsigned int s;
	int m;

	set_defaults(out);
	if (fw != NULL && !json_is_object(fw))
		return cfg_fail(c, "firewall", fw, "must be an object");
	if (fw != NULL && cfg_check_keys(c, "firewall", fw, keys) < 0)
		goto fail;
	if ((v = json_object_get(fw, "classify")) != NULL) {
		m = json_is_string(v) ? sbc_fw_classify_parse(json_string_value(v)) : -1;
		if (m < 0) {
			cfg_fail(c, "firewall.classify", v,
					"unknown method (auto, scalar, sse, avx2, avx512x16, avx512x32)");
			goto fail;
		}
		out->classify = (unsigned int)m;
	}
	if (cfg_get_object(c, "firewall", fw, "services", false, &services) < 0)
		goto fail;
	if (services != NULL && cfg_check_keys(c, "firewall.services", services, svc_keys) < 0)
		goto fail;
	for (s = 0; s < SBC_FW_SVC_MAX; s++)
		if (parse_svc(c, services, s, cfg, &out->svc[s]) < 0)
			goto fail;
	if (check_host_ports(c, services, out) < 0 || parse_flood(c, fw, &out->flood) < 0 ||
			parse_blocklist(c, fw, &out->block) < 0 || parse_scanners(c, fw, out) < 0)
		goto fail;
	return 0;
fail:
	sbc_fw_config_free(out);
	return -1;
}

/* A problem with the file as a whole, in the parts of an error (detail may be NULL). */
static void __attribute__((format(printf, 2, 3)))
file_detail(struct sbc_cfg_err *detail, const char *fmt, ...)
{
	va_list ap;

	if (detail == NULL)
		return;
	snprintf(detail->key, sizeof(detail->key), "(file)");
	va_start(ap, fmt);
	vsnprintf(detail->problem, sizeof(detail->problem), fmt, ap);
	va_end(ap);
}

/*
 * A size allocated at start (firewall.SECTION.KEY): a reload must keep the running
 * value now. Returns 0, or -1 after cfg_fail().
 */
static int
same_size(struct cfg_ctx *c, const json_t *root, const char *section, const char *key,
		unsigned int now, unsigned int got)
{
	char p[CFG_PATH_LEN];

	if (got == now)
		return 0;
	snprintf(p, sizeof(p), "firewall.%s.%s", section, key);
	return cfg_fail(c, p,
			json_object_get(json_object_get(json_object_get(root, "firewall"), section),
					key),
			"cannot change while sbcd runs (%u now): restart to resize", now);
}

int
sbc_fw_config_reload(const char *path, const struct sbc_config *cfg, struct sbc_fw_cfg *out,
		char *err, size_t errlen, struct sbc_cfg_err *detail)
{
	struct cfg_ctx c = { .file = path, .err = err, .errlen = errlen, .detail = detail };
	json_error_t jerr;
	struct stat st;
	json_t *root;
	int rc;

	memset(out, 0, sizeof(*out));
	if (detail != NULL)
		memset(detail, 0, sizeof(*detail));
	/* The same bound as at start (sbc_config_load). */
	if (stat(path, &st) == 0 && st.st_size > SBC_CFG_MAX_FILE) {
		snprintf(err, errlen, "%s: too large (%lld bytes, at most 64 MiB)", path,
				(long long)st.st_size);
		file_detail(detail, "too large (%lld bytes, at most 64 MiB)", (long long)st.st_size);
		return -1;
	}
	root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		snprintf(err, errlen, "%s:%d:%d: invalid JSON: %s", path, jerr.line, jerr.column,
				jerr.text);
		file_detail(detail, "line %d, column %d: invalid JSON: %s", jerr.line, jerr.column,
				jerr.text);
		return -1;
	}
	if (!json_is_object(root))
		rc = cfg_fail(&c, "", root, "the configuration must be a JSON object");
	else
		rc = sbc_fw_config_parse_json(&c, json_object_get(root, "firewall"), cfg, out);
	/* Sizes allocated at start cannot follow a reload. */
	if (rc == 0)
		rc = same_size(&c, root, "flood", "sources", cfg->fw.flood.sources,
				out->flood.sources);
	if (rc == 0)
		rc = same_size(&c, root, "blocklist", "max_entries", cfg->fw.block.max_entries,
				out->block.max_entries);
	if (rc < 0)
		sbc_fw_config_free(out);
	json_decref(root);
	return rc;
}

/* ---- security alerts ---------------------------------------------------------------- */

/*
 * Whether rule r applies to every source of the family arriving on ingress port ifidx
 * for destination port dport.
 */
static bool
covers(const struct sbc_fw_svc_cfg *sc, const struct sbc_fw_rule *r, int family, int ifidx,
		unsigned int dport)
{
	unsigned int i;

	if ((r->ifidx >= 0 && r->ifidx != ifidx) || dport < r->port_lo || dport > r->port_hi)
		return false;
	if (r->n_src == 0)
		return true;
	for (i = 0; i < r->n_src; i++) {
		const struct sbc_ip *ip = &sc->srcs[r->src_off + i];

		if (ip->family == family && ip->plen == 0)
			return true;
	}
	return false;
}

/* The rule (or -1: the default) that decides for an unknown source of the family. */
static int
deciding_rule(const struct sbc_fw_svc_cfg *sc, int family, int ifidx, unsigned int dport,
		uint8_t *action)
{
	unsigned int i;

	for (i = 0; i < sc->n_rules; i++)
		if (covers(sc, &sc->rules[i], family, ifidx, dport)) {
			*action = sc->rules[i].action;
			return (int)i;
		}
	*action = sc->default_action;
	return -1;
}

/* Names what opens a service: "the default policy" or "rules[N] (rate-limit)". */
static const char *
opener(const struct sbc_fw_svc_cfg *sc, int rule, char *buf, size_t len)
{
	if (rule < 0)
		snprintf(buf, len, "the default policy");
	else
		snprintf(buf, len, "rules[%d]%s", rule,
				sc->rules[rule].action == SBC_FW_RATE_LIMIT ? " (rate-limited)" : "");
	return buf;
}

/* What an alert found open: by which rule (-1: the default), where. */
struct opening {
	unsigned int n, n_open;          /* (ingress port, destination port) pairs, open ones */
	int rule, ifidx;                 /* the first open pair's */
	unsigned int dport;
	bool one_rule;                   /* every open pair opened by that same rule */
};

/* Looks at every place a packet of the service and family can arrive, for one family. */
static void
openings(const struct sbc_fw_svc_cfg *sc, unsigned int svc, const struct sbc_config *cfg,
		int family, struct opening *o)
{
	unsigned int n_if = cfg != NULL ? cfg->n_ports : 1, i, k;

	memset(o, 0, sizeof(*o));
	o->one_rule = true;
	for (i = 0; i < n_if; i++) {
		int ifidx = cfg != NULL ? (int)i : -1;
		unsigned int n_dp = svc == SBC_FW_SIP ? 1 : sc->n_ports;

		if (svc == SBC_FW_SIP && cfg != NULL && cfg->ports[i].sip_udp_port == 0)
			continue;
		for (k = 0; k < n_dp; k++) {
			unsigned int dport = svc == SBC_FW_SIP ?
					(cfg != NULL ? cfg->ports[i].sip_udp_port : 5060) :
					sc->ports[k];
			uint8_t act;
			int r = deciding_rule(sc, family, ifidx, dport, &act);

			o->n++;
			if (act == SBC_FW_DENY)
				continue;
			if (o->n_open++ == 0) {
				o->rule = r;
				o->ifidx = ifidx;
				o->dport = dport;
			} else if (r != o->rule) {
				o->one_rule = false;
			}
		}
	}
}

/* " on port P (PORT/proto)" when not every place is open, else "". */
static const char *
where(const struct opening *o, unsigned int svc, const struct sbc_config *cfg, char *buf,
		size_t len)
{
	if (o->n_open == o->n && o->one_rule)
		buf[0] = '\0';
	else if (o->ifidx >= 0)
		snprintf(buf, len, " on %s/%u at port %s", sbc_fw_svc_proto(svc), o->dport,
				cfg->ports[o->ifidx].name);
	else
		snprintf(buf, len, " on %s/%u", sbc_fw_svc_proto(svc), o->dport);
	return buf;
}

void
sbc_fw_alerts(const struct sbc_fw_cfg *fw, const struct sbc_config *cfg,
		struct sbc_fw_alert out[SBC_FW_SVC_MAX])
{
	unsigned int s;

	memset(out, 0, sizeof(*out) * SBC_FW_SVC_MAX);
	for (s = 0; s < SBC_FW_SVC_MAX; s++) {
		const struct sbc_fw_svc_cfg *sc = &fw->svc[s];
		struct sbc_fw_alert *a = &out[s];
		struct opening o4, o6;
		char by[48], by6[48], w4[64], w6[64];

		if (s != SBC_FW_SIP && !SBC_FW_IS_HOST(s))
			continue;
		openings(sc, s, cfg, AF_INET, &o4);
		openings(sc, s, cfg, AF_INET6, &o6);
		a->v4 = o4.n_open != 0;
		a->v6 = o6.n_open != 0;
		a->raised = a->v4 || a->v6;
		if (!a->raised)
			continue;
		a->rule = a->v4 ? o4.rule : o6.rule;
		where(&o4, s, cfg, w4, sizeof(w4));
		where(&o6, s, cfg, w6, sizeof(w6));
		if (a->v4 && a->v6 && (o4.rule != o6.rule || strcmp(w4, w6) != 0)) {
			snprintf(a->text, sizeof(a->text), "%s: every IPv4 source%s (%s), every IPv6 "
					"source%s (%s)", sbc_fw_svc_name(s), w4,
					opener(sc, o4.rule, by, sizeof(by)), w6,
					opener(sc, o6.rule, by6, sizeof(by6)));
			continue;
		}
		snprintf(a->text, sizeof(a->text), "%s: every %s source%s let in by %s",
				sbc_fw_svc_name(s),
				a->v4 && a->v6 ? "IPv4 and IPv6" : a->v4 ? "IPv4" : "IPv6",
				a->v4 ? w4 : w6, opener(sc, a->rule, by, sizeof(by)));
	}
}
