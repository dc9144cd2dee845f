/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sbc_config.c - reads and validates the startup configuration (see sbc_config.h).
 *
 * Design: one small helper per JSON type checks presence, type and bounds and reports
 * "FILE: KEY = VALUE: PROBLEM"; one function per object walks its keys. Unknown keys
 * are checked first, so a misspelt key is reported as such rather than as a missing
 * one. Cross-field rules (duplicate addresses, gateways on-link, disjoint lcore sets)
 * run after the fields. The first problem ends the load. Main thread only.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <jansson.h>

#include "cfg_json.h"
#include "sbc_config.h"

#define MAX_EAL_ARGS 64
/* ---- EAL arguments and lcores ---------------------------------------------------------- */

static int
parse_eal(struct cfg_ctx *c, const json_t *root, struct sbc_config *cfg)
{
	json_t *arr, *v;
	size_t i;
	char p[CFG_PATH_LEN];

	if (cfg_get_array(c, "", root, "eal", false, 0, MAX_EAL_ARGS, &arr) < 0)
		return -1;
	cfg->eal_argc = 0;
	cfg->eal_argv = calloc(MAX_EAL_ARGS + 1, sizeof(char *));
	if (cfg->eal_argv == NULL)
		return cfg_fail(c, "eal", NULL, "out of memory");
	if (arr == NULL)
		return 0;
	json_array_foreach(arr, i, v) {
		snprintf(p, sizeof(p), "eal[%zu]", i);
		if (!json_is_string(v) || json_string_length(v) == 0)
			return cfg_fail(c, p, v, "must be a non-empty string (one EAL argument)");
		if (strlen(json_string_value(v)) != json_string_length(v))
			return cfg_fail(c, p, v, "contains a NUL character");
		cfg->eal_argv[cfg->eal_argc] = strdup(json_string_value(v));
		if (cfg->eal_argv[cfg->eal_argc] == NULL)
			return cfg_fail(c, p, NULL, "out of memory");
		cfg->eal_argc++;
	}
	return 0;
}

static int
parse_lcore_list(struct cfg_ctx *c, const json_t *obj, const char *key, unsigned int *out,
		unsigned int *n)
{
	json_t *arr, *v;
	size_t i, j;
	char p[CFG_PATH_LEN];

	if (cfg_get_array(c, "lcores", obj, key, true, 1, SBC_CFG_MAX_LCORES, &arr) < 0)
		return -1;
	json_array_foreach(arr, i, v) {
		snprintf(p, sizeof(p), "lcores.%s[%zu]", key, i);
		if (cfg_check_uint(c, p, v, 0, 127, &out[i]) < 0)
			return -1;
		for (j = 0; j < i; j++)
			if (out[j] == out[i])
				return cfg_fail(c, p, v, "lcore listed twice");
	}
	*n = (unsigned int)json_array_size(arr);
	return 0;
}

static int
parse_lcores(struct cfg_ctx *c, const json_t *root, struct sbc_config *cfg)
{
	static const char *const keys[] = { "dataplane", "signalling", NULL };
	json_t *obj;
	unsigned int i, j;
	char p[CFG_PATH_LEN];

	if (cfg_get_object(c, "", root, "lcores", true, &obj) < 0 || cfg_check_keys(c, "lcores", obj, keys))
		return -1;
	if (parse_lcore_list(c, obj, "dataplane", cfg->dp_lcores, &cfg->n_dp_lcores) < 0 ||
			parse_lcore_list(c, obj, "signalling", cfg->sig_lcores, &cfg->n_sig_lcores) < 0)
		return -1;
	for (i = 0; i < cfg->n_sig_lcores; i++)
		for (j = 0; j < cfg->n_dp_lcores; j++)
			if (cfg->sig_lcores[i] == cfg->dp_lcores[j]) {
				snprintf(p, sizeof(p), "lcores.signalling[%u]", i);
				return cfg_fail(c, p, json_array_get(json_object_get(obj, "signalling"), i),
						"lcore %u is already lcores.dataplane[%u]",
						cfg->sig_lcores[i], j);
			}
	return 0;
}

/* ---- ports ----------------------------------------------------------------------------- */

/* Returns NULL when ip may be an interface address, else why not. */
static const char *
unicast_problem(const struct sbc_ip *ip)
{
	const uint8_t *a = ip->a;

	if (ip->family == AF_INET) {
		uint32_t h = ((uint32_t)a[0] << 24) | ((uint32_t)a[1] << 16) | ((uint32_t)a[2] << 8) |
				a[3];
		uint32_t host = ip->plen >= 32 ? 0 : 0xffffffffu >> ip->plen;

		if (a[0] == 0 || a[0] == 127 || a[0] >= 224)
			return "not a unicast address (0/8, 127/8, multicast and 240/4 are refused)";
		if (ip->plen <= 30 && ((h & host) == 0 || (h & host) == host))
			return "is the network or broadcast address of its prefix";
		return NULL;
	}
	if (a[0] == 0xff)
		return "is a multicast address";
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
		return "is link-local (sbcd derives each port's link-local address from its MAC)";
	{
		static const uint8_t zero[16], loop[16] = { [15] = 1 };
		static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };

		if (memcmp(a, zero, 16) == 0 || memcmp(a, loop, 16) == 0)
			return "is the unspecified or loopback address";
		if (memcmp(a, mapped, 12) == 0)
			return "is an IPv4-mapped address";
	}
	return NULL;
}

static int
parse_addr_list(struct cfg_ctx *c, const char *path, const json_t *port, const char *key, int family,
		struct sbc_ip *out, unsigned int *n)
{
	json_t *arr, *v;
	size_t i;
	char p[CFG_PATH_LEN];
	const char *why;

	*n = 0;
	if (cfg_get_array(c, path, port, key, false, 1, SBC_CFG_MAX_ADDRS, &arr) < 0)
		return -1;
	if (arr == NULL)
		return 0;
	json_array_foreach(arr, i, v) {
		snprintf(p, sizeof(p), "%s.%s[%zu]", path, key, i);
		if (!json_is_string(v) ||
				sbc_ip_parse(json_string_value(v), family, true, &out[i]) < 0)
			return cfg_fail(c, p, v, "not an %s address with prefix (%s)",
					family == AF_INET ? "IPv4" : "IPv6",
					family == AF_INET ? "a.b.c.d/1-32" : "x:x::x/1-128");
		if (out[i].plen == 0)
			return cfg_fail(c, p, v, "prefix length 0 is refused");
		why = unicast_problem(&out[i]);
		if (why != NULL)
			return cfg_fail(c, p, v, "%s", why);
	}
	*n = (unsigned int)json_array_size(arr);
	return 0;
}

static int
parse_gateway(struct cfg_ctx *c, const char *path, const json_t *port, const char *key, int family,
		const struct sbc_ip *addrs, unsigned int n, struct sbc_ip *gw, bool *has)
{
	char p[CFG_PATH_LEN];
	json_t *v = json_object_get(port, key);
	unsigned int i;
	bool onlink = false;

	*has = false;
	if (v == NULL)
		return 0;
	cfg_join(p, path, key);
	if (!json_is_string(v) || sbc_ip_parse(json_string_value(v), family, false, gw) < 0)
		return cfg_fail(c, p, v, "not an %s address", family == AF_INET ? "IPv4" : "IPv6");
	if (n == 0)
		return cfg_fail(c, p, v, "the port has no %s address to reach it from",
				family == AF_INET ? "ipv4" : "ipv6");
	gw->plen = family == AF_INET ? 32 : 128;
	if (unicast_problem(gw) != NULL && !(family == AF_INET6 && gw->a[0] == 0xfe))
		return cfg_fail(c, p, v, "not a unicast address");
	for (i = 0; i < n; i++) {
		struct sbc_ip as_host = *gw;

		if (sbc_ip_equal(gw, &addrs[i]))
			return cfg_fail(c, p, v, "is one of the port's own addresses");
		if (!sbc_ip_in_prefix(gw, &addrs[i]))
			continue;
		onlink = true;
		/* Judged with the prefix it is in: not that subnet's network or broadcast. */
		as_host.plen = addrs[i].plen;
		if (family == AF_INET && unicast_problem(&as_host) != NULL)
			return cfg_fail(c, p, v, "is the network or broadcast address of ipv4[%u]'s "
					"prefix", i);
	}
	/* An IPv6 router is commonly known by its link-local address. */
	if (family == AF_INET6 && gw->a[0] == 0xfe && (gw->a[1] & 0xc0) == 0x80)
		onlink = true;
	if (!onlink)
		return cfg_fail(c, p, v, "not inside any of the port's %s prefixes",
				family == AF_INET ? "ipv4" : "ipv6");
	*has = true;
	return 0;
}

/* Whether s holds only letters, digits and the characters in extra. */
static bool
name_chars(const char *s, const char *extra)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
				    (*s >= '0' && *s <= '9') || strchr(extra, *s) != NULL))
			return false;
	return true;
}

static int
parse_port(struct cfg_ctx *c, const json_t *v, size_t idx, struct sbc_port_cfg *pc)
{
	static const char *const keys[] = { "name", "devargs", "ipv4", "ipv6", "gateway4",
		"gateway6", "vlan", "mtu", "rx_desc", "tx_desc", "rx_queues", "sip_udp_port",
		"media_nat", NULL };
	char path[CFG_PATH_LEN], p[CFG_PATH_LEN];
	unsigned int mtu;

	snprintf(path, sizeof(path), "ports[%zu]", idx);
	if (!json_is_object(v))
		return cfg_fail(c, path, v, "must be an object");
	if (cfg_check_keys(c, path, v, keys) < 0 ||
			cfg_get_string(c, path, v, "name", true, "", pc->name, sizeof(pc->name)) < 0)
		return -1;
	if (!name_chars(pc->name, "_-"))
		return cfg_fail(c, cfg_join(p, path, "name"), json_object_get(v, "name"),
				"only letters, digits, '_' and '-' are allowed");
	if (cfg_get_string(c, path, v, "devargs", true, "", pc->devargs, sizeof(pc->devargs)) < 0 ||
			parse_addr_list(c, path, v, "ipv4", AF_INET, pc->addr4, &pc->n_addr4) < 0 ||
			parse_addr_list(c, path, v, "ipv6", AF_INET6, pc->addr6, &pc->n_addr6) < 0 ||
			parse_gateway(c, path, v, "gateway4", AF_INET, pc->addr4, pc->n_addr4,
					&pc->gw4, &pc->has_gw4) < 0 ||
			parse_gateway(c, path, v, "gateway6", AF_INET6, pc->addr6, pc->n_addr6,
					&pc->gw6, &pc->has_gw6) < 0 ||
			cfg_get_u16(c, path, v, "vlan", 0, 4094, 0, &pc->vlan) < 0 ||
			cfg_get_uint(c, path, v, "mtu", 68, 9000, 1500, &mtu) < 0 ||
			cfg_get_u16(c, path, v, "rx_desc", 64, 16384, 1024, &pc->rx_desc) < 0 ||
			cfg_get_u16(c, path, v, "tx_desc", 64, 16384, 1024, &pc->tx_desc) < 0 ||
			cfg_get_u16(c, path, v, "rx_queues", 0, 64, 0, &pc->rx_queues) < 0 ||
			cfg_get_u16(c, path, v, "sip_udp_port", 0, 65535, 0, &pc->sip_udp_port) < 0 ||
			cfg_get_bool(c, path, v, "media_nat", false, &pc->media_nat) < 0)
		return -1;
	pc->mtu = (uint16_t)mtu;
	if (pc->n_addr4 + pc->n_addr6 == 0)
		return cfg_fail(c, path, NULL, "has no address (give ipv4, ipv6 or both)");
	if (pc->n_addr6 > 0 && pc->mtu < 1280)
		return cfg_fail(c, cfg_join(p, path, "mtu"), json_object_get(v, "mtu"),
				"IPv6 needs an MTU of at least 1280");
	return 0;
}

/* Returns true when the two prefixes overlap. */
static bool
prefixes_overlap(const struct sbc_ip *x, const struct sbc_ip *y)
{
	unsigned int plen = x->plen < y->plen ? x->plen : y->plen;

	return x->family == y->family && sbc_prefix_match(x->a, y->a, plen);
}

/* Rules between ports: unique names, devices and addresses, one gateway per family. */
static int
check_ports(struct cfg_ctx *c, const json_t *arr, const struct sbc_config *cfg)
{
	unsigned int i, j, k, l;
	char p[CFG_PATH_LEN];

	for (i = 0; i < cfg->n_ports; i++) {
		const struct sbc_port_cfg *a = &cfg->ports[i];
		const json_t *ja = json_array_get(arr, i);

		for (j = 0; j < i; j++) {
			const struct sbc_port_cfg *b = &cfg->ports[j];

			snprintf(p, sizeof(p), "ports[%u].name", i);
			if (strcmp(a->name, b->name) == 0)
				return cfg_fail(c, p, json_object_get(ja, "name"),
						"same name as ports[%u]", j);
			snprintf(p, sizeof(p), "ports[%u].devargs", i);
			if (strcmp(a->devargs, b->devargs) == 0)
				return cfg_fail(c, p, json_object_get(ja, "devargs"),
						"same device as ports[%u]", j);
			for (k = 0; k < a->n_addr4 + a->n_addr6; k++) {
				bool v6 = k >= a->n_addr4;
				const struct sbc_ip *x = v6 ? &a->addr6[k - a->n_addr4] : &a->addr4[k];
				unsigned int kk = v6 ? k - a->n_addr4 : k;

				for (l = 0; l < b->n_addr4 + b->n_addr6; l++) {
					bool w6 = l >= b->n_addr4;
					const struct sbc_ip *y =
							w6 ? &b->addr6[l - b->n_addr4] : &b->addr4[l];

					if (!prefixes_overlap(x, y))
						continue;
					snprintf(p, sizeof(p), "ports[%u].%s[%u]", i,
							v6 ? "ipv6" : "ipv4", kk);
					return cfg_fail(c, p,
							json_array_get(json_object_get(ja,
										       v6 ? "ipv6" : "ipv4"),
									kk),
							"overlaps ports[%u].%s[%u] (each port needs its "
							"own subnets)",
							j, w6 ? "ipv6" : "ipv4",
							w6 ? l - b->n_addr4 : l);
				}
			}
			if (a->has_gw4 && b->has_gw4) {
				snprintf(p, sizeof(p), "ports[%u].gateway4", i);
				return cfg_fail(c, p, json_object_get(ja, "gateway4"),
						"only one port may have an IPv4 gateway (ports[%u] "
						"has one)", j);
			}
			if (a->has_gw6 && b->has_gw6) {
				snprintf(p, sizeof(p), "ports[%u].gateway6", i);
				return cfg_fail(c, p, json_object_get(ja, "gateway6"),
						"only one port may have an IPv6 gateway (ports[%u] "
						"has one)", j);
			}
		}
		/* Addresses repeated inside one port. */
		for (k = 0; k < a->n_addr4; k++)
			for (l = 0; l < k; l++)
				if (sbc_ip_equal(&a->addr4[k], &a->addr4[l])) {
					snprintf(p, sizeof(p), "ports[%u].ipv4[%u]", i, k);
					return cfg_fail(c, p,
							json_array_get(json_object_get(ja, "ipv4"), k),
							"same address as ports[%u].ipv4[%u]", i, l);
				}
		for (k = 0; k < a->n_addr6; k++)
			for (l = 0; l < k; l++)
				if (sbc_ip_equal(&a->addr6[k], &a->addr6[l])) {
					snprintf(p, sizeof(p), "ports[%u].ipv6[%u]", i, k);
					return cfg_fail(c, p,
							json_array_get(json_object_get(ja, "ipv6"), k),
							"same address as ports[%u].ipv6[%u]", i, l);
				}
	}
	return 0;
}

static int
parse_ports(struct cfg_ctx *c, const json_t *root, struct sbc_config *cfg)
{
	json_t *arr, *v;
	size_t i;

	if (cfg_get_array(c, "", root, "ports", true, 1, SBC_MAX_PORTS, &arr) < 0)
		return -1;
	json_array_foreach(arr, i, v) {
		if (parse_port(c, v, i, &cfg->ports[i]) < 0)
			return -1;
	}
	cfg->n_ports = (unsigned int)json_array_size(arr);
	return check_ports(c, arr, cfg);
}

/* ---- dataplane, neighbours, paths, log --------------------------------------------------- */

static int
parse_dataplane(struct cfg_ctx *c, const json_t *root, struct sbc_dp_cfg *dp)
{
	static const char *const keys[] = { "burst", "mbufs", "idle_sleep", "idle_polls",
		"idle_max_us", "tx_drain_us", NULL };
	json_t *obj;

	/* jansson's getters return NULL on a NULL object: absent sections take defaults. */
	if (cfg_get_object(c, "", root, "dataplane", false, &obj) < 0)
		return -1;
	if (obj && cfg_check_keys(c, "dataplane", obj, keys) < 0)
		return -1;
	if (cfg_get_uint(c, "dataplane", obj, "burst", 1, 256, 32, &dp->burst) < 0 ||
			cfg_get_uint(c, "dataplane", obj, "mbufs", 0, 4194304, 0, &dp->mbufs) < 0 ||
			cfg_get_bool(c, "dataplane", obj, "idle_sleep", false, &dp->idle_sleep) < 0 ||
			cfg_get_uint(c, "dataplane", obj, "idle_polls", 1, 1000000, 100, &dp->idle_polls) <
					0 ||
			cfg_get_uint(c, "dataplane", obj, "idle_max_us", 1, 100000, 250, &dp->idle_max_us) <
					0 ||
			cfg_get_uint(c, "dataplane", obj, "tx_drain_us", 1, 10000, 100, &dp->tx_drain_us) < 0)
		return -1;
	if (dp->mbufs != 0 && dp->mbufs < 1023)
		return cfg_fail(c, "dataplane.mbufs", json_object_get(obj, "mbufs"),
				"too small (0 for automatic, or at least 1023)");
	return 0;
}

static int
parse_neigh(struct cfg_ctx *c, const json_t *root, struct sbc_neigh_cfg *n)
{
	static const char *const keys[] = { "max_entries", "reachable_s", "stale_s",
		"retransmit_ms", "probes", NULL };
	json_t *obj;

	if (cfg_get_object(c, "", root, "neighbours", false, &obj) < 0)
		return -1;
	if (obj && cfg_check_keys(c, "neighbours", obj, keys) < 0)
		return -1;
	if (cfg_get_uint(c, "neighbours", obj, "max_entries", 64, 1048576, 4096, &n->max_entries) < 0 ||
			cfg_get_uint(c, "neighbours", obj, "reachable_s", 1, 86400, 30,
					&n->reachable_s) < 0 ||
			cfg_get_uint(c, "neighbours", obj, "stale_s", 1, 86400, 600, &n->stale_s) < 0 ||
			cfg_get_uint(c, "neighbours", obj, "retransmit_ms", 100, 60000, 1000,
					&n->retransmit_ms) < 0 ||
			cfg_get_uint(c, "neighbours", obj, "probes", 1, 10, 3, &n->probes) < 0)
		return -1;
	return 0;
}

static int
parse_sip(struct cfg_ctx *c, const json_t *root, struct sbc_sip_cfg *sip)
{
	static const char *const keys[] = { "t1_ms", "t2_ms", "t4_ms", "max_calls",
		"max_transactions", "ring_size", "max_call_s", "strip_headers", "pass_unknown",
		NULL };
	static const char *const default_strip[] = { "User-Agent", "Server", "Organization",
		"Warning", "Call-Info", "Reply-To", "History-Info", "Diversion", "Path",
		"P-Preferred-Identity", "Alert-Info", "Error-Info", NULL };
	char p[CFG_PATH_LEN];
	json_t *obj, *arr, *v;
	size_t i;

	if (cfg_get_object(c, "", root, "sip", false, &obj) < 0)
		return -1;
	if (obj && cfg_check_keys(c, "sip", obj, keys) < 0)
		return -1;
	if (cfg_get_uint(c, "sip", obj, "t1_ms", 50, 10000, 500, &sip->t1_ms) < 0 ||
			cfg_get_uint(c, "sip", obj, "t2_ms", 100, 60000, 4000, &sip->t2_ms) < 0 ||
			cfg_get_uint(c, "sip", obj, "t4_ms", 100, 60000, 5000, &sip->t4_ms) < 0 ||
			cfg_get_uint(c, "sip", obj, "max_calls", 16, 4000000, 16384, &sip->max_calls) < 0 ||
			cfg_get_uint(c, "sip", obj, "max_transactions", 64, 16000000, 65536,
					&sip->max_transactions) < 0 ||
			cfg_get_uint(c, "sip", obj, "ring_size", 256, 1048576, 4096, &sip->ring_size) <
					0 ||
			cfg_get_uint(c, "sip", obj, "max_call_s", 0, 864000, 0, &sip->max_call_s) < 0 ||
			cfg_get_bool(c, "sip", obj, "pass_unknown", true, &sip->pass_unknown) < 0)
		return -1;
	if (sip->t2_ms < sip->t1_ms)
		return cfg_fail(c, "sip.t2_ms", json_object_get(obj, "t2_ms"),
				"must not be below sip.t1_ms (%u)", sip->t1_ms);
	if ((sip->ring_size & (sip->ring_size - 1)) != 0)
		return cfg_fail(c, "sip.ring_size", json_object_get(obj, "ring_size"),
				"must be a power of two");
	if (cfg_get_array(c, "sip", obj, "strip_headers", false, 0, SBC_CFG_MAX_STRIP, &arr) < 0)
		return -1;
	sip->n_strip = 0;
	if (arr == NULL) {
		for (i = 0; default_strip[i] != NULL; i++)
			snprintf(sip->strip[sip->n_strip++], SBC_CFG_HDR_LEN, "%s", default_strip[i]);
		return 0;
	}
	json_array_foreach(arr, i, v) {
		snprintf(p, sizeof(p), "sip.strip_headers[%zu]", i);
		if (cfg_check_string(c, p, v, sip->strip[i], SBC_CFG_HDR_LEN) < 0)
			return -1;
		if (!name_chars(sip->strip[i], "-_."))
			return cfg_fail(c, p, v, "not a header name");
		sip->n_strip++;
	}
	return 0;
}

static int
parse_media(struct cfg_ctx *c, const json_t *root, struct sbc_media_cfg *md)
{
	static const char *const keys[] = { "port_min", "port_max", "inactivity_s",
		"latch_window_ms", NULL };
	json_t *obj;

	if (cfg_get_object(c, "", root, "media", false, &obj) < 0)
		return -1;
	if (obj && cfg_check_keys(c, "media", obj, keys) < 0)
		return -1;
	if (cfg_get_uint(c, "media", obj, "port_min", 1024, 65534, 20000, &md->port_min) < 0 ||
			cfg_get_uint(c, "media", obj, "port_max", 1025, 65535, 39999, &md->port_max) < 0 ||
			cfg_get_uint(c, "media", obj, "inactivity_s", 0, 86400, 60, &md->inactivity_s) <
					0 ||
			cfg_get_uint(c, "media", obj, "latch_window_ms", 0, 60000, 2000,
					&md->latch_window_ms) < 0)
		return -1;
	if (md->port_min & 1)
		return cfg_fail(c, "media.port_min", json_object_get(obj, "port_min"),
				"must be even (RTP on even ports, RTCP on the next)");
	if (md->port_max < md->port_min + 3)
		return cfg_fail(c, "media.port_max", json_object_get(obj, "port_max"),
				"must leave at least two port pairs above media.port_min (%u)",
				md->port_min);
	return 0;
}

/* "a.b.c.d[:port]" or "[x:y::z][:port]"; the port defaults to 5060. */
static int
parse_hostport(const char *s, struct sbc_ip *ip, uint16_t *port)
{
	char host[SBC_IP_STRLEN];
	const char *end, *colon;
	unsigned long v = 5060;
	int family = AF_INET;
	size_t n;

	if (s[0] == '[') {
		end = strchr(s, ']');
		if (end == NULL)
			return -1;
		n = (size_t)(end - s - 1);
		s++;
		colon = end[1] == ':' ? end + 1 : (end[1] == '\0' ? NULL : end + 1);
		if (colon != NULL && *colon != ':')
			return -1;
		family = AF_INET6;
	} else {
		colon = strchr(s, ':');
		n = colon ? (size_t)(colon - s) : strlen(s);
	}
	if (n == 0 || n >= sizeof(host))
		return -1;
	memcpy(host, s, n);
	host[n] = '\0';
	if (sbc_ip_parse(host, family, false, ip) < 0)
		return -1;
	if (colon != NULL) {
		char *e;

		v = strtoul(colon + 1, &e, 10);
		if (*e != '\0' || colon[1] == '\0' || v == 0 || v > 65535)
			return -1;
	}
	*port = (uint16_t)v;
	return 0;
}

static int
port_by_name(const struct sbc_config *cfg, const json_t *v)
{
	return json_is_string(v) ? sbc_config_port_index(cfg, json_string_value(v)) : -1;
}

static int
parse_routes(struct cfg_ctx *c, const json_t *root, struct sbc_config *cfg)
{
	static const char *const keys[] = { "from", "to", "via", NULL };
	json_t *arr, *v;
	size_t i;
	char path[CFG_PATH_LEN], p[CFG_PATH_LEN];

	if (cfg_get_array(c, "", root, "routes", false, 0, SBC_CFG_MAX_ROUTES, &arr) < 0)
		return -1;
	cfg->n_routes = 0;
	if (arr == NULL)
		return 0;
	json_array_foreach(arr, i, v) {
		struct sbc_route_cfg *r = &cfg->routes[i];
		const struct sbc_port_cfg *via;
		json_t *f;
		unsigned int k;

		snprintf(path, sizeof(path), "routes[%zu]", i);
		if (!json_is_object(v))
			return cfg_fail(c, path, v, "must be an object");
		if (cfg_check_keys(c, path, v, keys) < 0)
			return -1;
		f = json_object_get(v, "from");
		if (f == NULL)
			return cfg_fail(c, cfg_join(p, path, "from"), NULL, "missing (required port name)");
		r->from = port_by_name(cfg, f);
		if (r->from < 0)
			return cfg_fail(c, cfg_join(p, path, "from"), f, "no port has this name");
		if (cfg->ports[r->from].sip_udp_port == 0)
			return cfg_fail(c, cfg_join(p, path, "from"), f,
					"this port has no sip_udp_port: no call arrives there");
		for (k = 0; k < i; k++)
			if (cfg->routes[k].from == r->from)
				return cfg_fail(c, cfg_join(p, path, "from"), f,
						"routes[%u] already routes calls from this port", k);
		f = json_object_get(v, "to");
		if (f == NULL)
			return cfg_fail(c, cfg_join(p, path, "to"), NULL, "missing (required host:port)");
		if (!json_is_string(f) || parse_hostport(json_string_value(f), &r->dst,
							   &r->dst_port) < 0)
			return cfg_fail(c, cfg_join(p, path, "to"), f,
					"not an address with optional port (a.b.c.d:5060 or "
					"[x::y]:5060)");
		f = json_object_get(v, "via");
		r->via = -1;
		if (f != NULL) {
			r->via = port_by_name(cfg, f);
			if (r->via < 0)
				return cfg_fail(c, cfg_join(p, path, "via"), f, "no port has this name");
		}
		/* The egress port: the named one, else the one whose subnet holds the address. */
		if (r->via < 0) {
			for (k = 0; k < cfg->n_ports && r->via < 0; k++) {
				const struct sbc_port_cfg *pc = &cfg->ports[k];
				const struct sbc_ip *a = r->dst.family == AF_INET ? pc->addr4 : pc->addr6;
				unsigned int n = r->dst.family == AF_INET ? pc->n_addr4 : pc->n_addr6, j;

				for (j = 0; j < n; j++)
					if (sbc_ip_in_prefix(&r->dst, &a[j]))
						r->via = (int)k;
			}
			for (k = 0; k < cfg->n_ports && r->via < 0; k++)
				if (r->dst.family == AF_INET ? cfg->ports[k].has_gw4 :
							       cfg->ports[k].has_gw6)
					r->via = (int)k;
			if (r->via < 0)
				return cfg_fail(c, cfg_join(p, path, "to"), json_object_get(v, "to"),
						"no port reaches this address (no subnet holds it and "
						"no gateway of its family)");
		}
		via = &cfg->ports[r->via];
		if (via->sip_udp_port == 0)
			return cfg_fail(c, cfg_join(p, path, "via"), json_object_get(v, "via"),
					"port %s has no sip_udp_port to send from", via->name);
		if ((r->dst.family == AF_INET ? via->n_addr4 : via->n_addr6) == 0)
			return cfg_fail(c, cfg_join(p, path, "to"), json_object_get(v, "to"),
					"port %s has no %s address to send from", via->name,
					r->dst.family == AF_INET ? "IPv4" : "IPv6");
		cfg->n_routes++;
	}
	return 0;
}

/* The media range must not hold a SIP port. */
static int
check_media_vs_sip(struct cfg_ctx *c, const json_t *root, const struct sbc_config *cfg)
{
	unsigned int i;
	char p[CFG_PATH_LEN];

	for (i = 0; i < cfg->n_ports; i++) {
		unsigned int sp = cfg->ports[i].sip_udp_port;

		if (sp != 0 && sp >= cfg->media.port_min && sp <= cfg->media.port_max) {
			snprintf(p, sizeof(p), "ports[%u].sip_udp_port", i);
			return cfg_fail(c, p, json_object_get(json_array_get(json_object_get(root,
								"ports"), i),
							 "sip_udp_port"),
					"inside the media port range %u-%u", cfg->media.port_min,
					cfg->media.port_max);
		}
	}
	return 0;
}

static int
parse_log_level(struct cfg_ctx *c, const json_t *root, int *level)
{
	static const struct {
		const char *name;
		int level;
	} levels[] = {
		{ "emergency", SBC_LOG_EMERG }, { "alert", SBC_LOG_ALERT },
		{ "critical", SBC_LOG_CRIT }, { "error", SBC_LOG_ERR },
		{ "warning", SBC_LOG_WARNING }, { "notice", SBC_LOG_NOTICE },
		{ "info", SBC_LOG_INFO }, { "debug", SBC_LOG_DEBUG },
	};
	char s[16];
	size_t i;

	if (cfg_get_string(c, "", root, "log_level", false, "info", s, sizeof(s)) < 0)
		return -1;
	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (strcmp(s, levels[i].name) == 0) {
			*level = levels[i].level;
			return 0;
		}
	return cfg_fail(c, "log_level", json_object_get(root, "log_level"),
			"unknown level (emergency, alert, critical, error, warning, notice, info, "
			"debug)");
}

/* The host exception path: a TUN interface name and the routing table of its replies. */
static int
parse_host(struct cfg_ctx *c, const json_t *root, struct sbc_host_cfg *h)
{
	static const char *const keys[] = { "iface", "route_table", NULL };
	json_t *obj;

	if (cfg_get_object(c, "", root, "host", false, &obj) < 0)
		return -1;
	h->iface[0] = '\0';
	h->route_table = 5060;
	if (obj == NULL)
		return 0;
	if (cfg_check_keys(c, "host", obj, keys) < 0 ||
			cfg_get_string(c, "host", obj, "iface", true, "", h->iface, sizeof(h->iface)) <
					0 ||
			cfg_get_uint(c, "host", obj, "route_table", 1, 0x7fffffff, 5060,
					&h->route_table) < 0)
		return -1;
	if (!name_chars(h->iface, "-_."))
		return cfg_fail(c, "host.iface", json_object_get(obj, "iface"),
				"not an interface name (letters, digits, '-', '_', '.')");
	if (h->route_table >= 253 && h->route_table <= 255)
		return cfg_fail(c, "host.route_table", json_object_get(obj, "route_table"),
				"253-255 are the kernel's default, main and local tables");
	return 0;
}

int
sbc_config_parse(const char *text, const char *name, struct sbc_config *cfg, char *err,
		size_t errlen)
{
	static const char *const keys[] = { "eal", "lcores", "ports", "dataplane", "neighbours",
		"sip", "media", "routes", "host", "firewall", "run_dir", "data_dir", "log_level",
		NULL };
	struct cfg_ctx c = { .file = name, .err = err, .errlen = errlen };
	json_error_t jerr;
	json_t *root;
	int rc = -1;

	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->path, sizeof(cfg->path), "%s", name);
	root = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		snprintf(err, errlen, "%s:%d:%d: invalid JSON: %s", name, jerr.line, jerr.column,
				jerr.text);
		return -1;
	}
	if (!json_is_object(root)) {
		cfg_fail(&c, "", root, "the configuration must be a JSON object");
		goto out;
	}
	if (cfg_check_keys(&c, "", root, keys) < 0 || parse_eal(&c, root, cfg) < 0 ||
			parse_lcores(&c, root, cfg) < 0 || parse_ports(&c, root, cfg) < 0 ||
			parse_dataplane(&c, root, &cfg->dp) < 0 ||
			parse_neigh(&c, root, &cfg->neigh) < 0 || parse_sip(&c, root, &cfg->sip) < 0 ||
			parse_media(&c, root, &cfg->media) < 0 ||
			check_media_vs_sip(&c, root, cfg) < 0 || parse_routes(&c, root, cfg) < 0 ||
			cfg_get_string(&c, "", root, "run_dir", false, "/run/sbc", cfg->run_dir,
					sizeof(cfg->run_dir)) < 0 ||
			cfg_get_string(&c, "", root, "data_dir", false, "/var/lib/sbc", cfg->data_dir,
					sizeof(cfg->data_dir)) < 0 ||
			parse_log_level(&c, root, &cfg->log_level) < 0 ||
			parse_host(&c, root, &cfg->host) < 0 ||
			sbc_fw_config_parse_json(&c, json_object_get(root, "firewall"), cfg, &cfg->fw) <
					0)
		goto out;
	rc = 0;
out:
	json_decref(root);
	if (rc < 0)
		sbc_config_free(cfg);
	return rc;
}

int
sbc_config_load(const char *path, struct sbc_config *cfg, char *err, size_t errlen)
{
	FILE *f;
	char *text;
	long size;
	size_t got;
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	f = fopen(path, "rb");
	if (f == NULL) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
		fclose(f);
		return -1;
	}
	if (size > SBC_CFG_MAX_FILE) {
		snprintf(err, errlen, "%s: too large (%ld bytes, at most 64 MiB)", path, size);
		fclose(f);
		return -1;
	}
	text = malloc((size_t)size + 1);
	if (text == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		fclose(f);
		return -1;
	}
	got = fread(text, 1, (size_t)size, f);
	fclose(f);
	if (got != (size_t)size) {
		snprintf(err, errlen, "%s: short read", path);
		free(text);
		return -1;
	}
	text[got] = '\0';
	if (strlen(text) != got) {
		snprintf(err, errlen, "%s: contains a NUL byte at offset %zu", path, strlen(text));
		free(text);
		return -1;
	}
	rc = sbc_config_parse(text, path, cfg, err, errlen);
	free(text);
	return rc;
}

void
sbc_config_free(struct sbc_config *cfg)
{
	int i;

	if (cfg->eal_argv != NULL) {
		for (i = 0; i < cfg->eal_argc; i++)
			free(cfg->eal_argv[i]);
		free(cfg->eal_argv);
	}
	cfg->eal_argv = NULL;
	cfg->eal_argc = 0;
	sbc_fw_config_free(&cfg->fw);
}

int
sbc_config_port_index(const struct sbc_config *cfg, const char *name)
{
	unsigned int i;

	for (i = 0; i < cfg->n_ports; i++)
		if (strcmp(cfg->ports[i].name, name) == 0)
			return (int)i;
	return -1;
}
