/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sbc_config.h - the startup configuration of sbcd (a JSON file, read with jansson).
 *
 * sbc_config_load() validates the whole file before anything starts: on the first
 * problem it fails with one message that names the key (as a path such as
 * "ports[1].ipv4[0]"), the value and what is wrong; unknown keys are errors too.
 * The reference of every key is in README.md; conf/lab.json and conf/example.json are
 * complete examples. The main thread loads it before the EAL starts and frees it after
 * the EAL stopped; in between it is read-only, and any thread reads it.
 */
#ifndef SBC_CONFIG_H
#define SBC_CONFIG_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sbc_addr.h"
#include "sbc_fw_config.h"
#include "sbc_stats.h"

#define SBC_CFG_MAX_ADDRS 8
#define SBC_CFG_MAX_LCORES 64
#define SBC_CFG_NAME_LEN 16
#define SBC_CFG_DEVARGS_LEN 256
#define SBC_CFG_ERR_LEN 512
#define SBC_CFG_MAX_ROUTES 16
#define SBC_CFG_MAX_STRIP 32
#define SBC_CFG_HDR_LEN 48
#define SBC_CFG_IFNAME_LEN 16 /* a kernel interface name (IFNAMSIZ) */
#define SBC_CFG_MAX_FILE (64 << 20) /* room for rule sets of a few hundred thousand rules */

struct sbc_port_cfg {
	char name[SBC_CFG_NAME_LEN];
	char devargs[SBC_CFG_DEVARGS_LEN];
	uint16_t vlan; /* 0: untagged */
	uint16_t mtu;
	uint16_t rx_desc;
	uint16_t tx_desc;
	uint16_t rx_queues; /* 0: automatic */
	uint16_t sip_udp_port; /* 0: no SIP on this port */
	bool media_nat;        /* peers here may be behind NAT: media latching allowed */
	unsigned int n_addr4;
	unsigned int n_addr6;
	struct sbc_ip addr4[SBC_CFG_MAX_ADDRS];
	struct sbc_ip addr6[SBC_CFG_MAX_ADDRS];
	bool has_gw4;
	bool has_gw6;
	struct sbc_ip gw4;
	struct sbc_ip gw6;
};

struct sbc_dp_cfg {
	unsigned int burst;
	unsigned int mbufs; /* 0: computed from ports, queues and lcores */
	bool idle_sleep;
	unsigned int idle_polls;
	unsigned int idle_max_us;
	unsigned int tx_drain_us;
};

struct sbc_neigh_cfg {
	unsigned int max_entries;
	unsigned int reachable_s;
	unsigned int stale_s;
	unsigned int retransmit_ms;
	unsigned int probes;
};

struct sbc_sip_cfg {
	unsigned int t1_ms, t2_ms, t4_ms;
	unsigned int max_calls;        /* in all, shared among the signalling lcores */
	unsigned int max_transactions; /* likewise */
	unsigned int ring_size;        /* dataplane -> signalling lcore ring */
	unsigned int max_call_s;       /* 0: no limit */
	unsigned int n_strip;
	char strip[SBC_CFG_MAX_STRIP][SBC_CFG_HDR_LEN]; /* headers never passed across */
	bool pass_unknown;                               /* pass unknown headers across */
};

struct sbc_media_cfg {
	unsigned int port_min, port_max; /* relay ports, on every port with SIP */
	unsigned int inactivity_s;       /* 0: never end a call for silence */
	unsigned int latch_window_ms;    /* NAT latching allowed this long after start */
};

struct sbc_route_cfg {
	int from;             /* ingress port index */
	int via;              /* egress port index, -1: chosen by routing */
	struct sbc_ip dst;    /* next hop of the outgoing leg */
	uint16_t dst_port;
};

/*
 * The host exception path (dp_host.h): a TUN interface through which the host's own
 * services (SSH, the API, a database) get the traffic the firewall allows.
 */
struct sbc_host_cfg {
	char iface[SBC_CFG_IFNAME_LEN]; /* "": no exception path */
	unsigned int route_table;       /* policy routing table for replies from our addresses */
};

/* Log severities, numbered as rte_log numbers them (sbcd passes the value on). */
enum sbc_log_level {
	SBC_LOG_EMERG = 1,
	SBC_LOG_ALERT,
	SBC_LOG_CRIT,
	SBC_LOG_ERR,
	SBC_LOG_WARNING,
	SBC_LOG_NOTICE,
	SBC_LOG_INFO,
	SBC_LOG_DEBUG,
};

struct sbc_config {
	char path[PATH_MAX];
	int eal_argc;
	char **eal_argv; /* owned; NULL-terminated */
	unsigned int n_dp_lcores;
	unsigned int n_sig_lcores;
	unsigned int dp_lcores[SBC_CFG_MAX_LCORES];
	unsigned int sig_lcores[SBC_CFG_MAX_LCORES];
	unsigned int n_ports;
	struct sbc_port_cfg ports[SBC_MAX_PORTS];
	struct sbc_dp_cfg dp;
	struct sbc_neigh_cfg neigh;
	struct sbc_sip_cfg sip;
	struct sbc_media_cfg media;
	unsigned int n_routes;
	struct sbc_route_cfg routes[SBC_CFG_MAX_ROUTES];
	struct sbc_host_cfg host;
	struct sbc_fw_cfg fw; /* the rule sets in force at start (sbc_fw_config.h) */
	char run_dir[PATH_MAX];
	char data_dir[PATH_MAX];
	int log_level; /* enum sbc_log_level */
};

/* A configuration error split into its parts, for interfaces that show them apart. */
struct sbc_cfg_err {
	char key[96];      /* "firewall.services.ssh.rules[3].src" */
	char value[96];    /* the value as JSON, "" when the key is missing */
	char problem[256]; /* what is wrong with it */
};

/*
 * Reads and validates the file at path. Returns 0, or -1 with a one-line message in
 * err ("FILE: KEY = VALUE: PROBLEM"). On failure cfg holds nothing to free. Main thread,
 * before the EAL starts.
 */
int sbc_config_load(const char *path, struct sbc_config *cfg, char *err, size_t errlen);

/*
 * Same on a JSON text; name stands for the file in messages. Returns 0 or -1. Any thread
 * (it touches no shared state).
 */
int sbc_config_parse(const char *text, const char *name, struct sbc_config *cfg, char *err,
		size_t errlen);

/* Releases what a successful load allocated. Main thread, once no other thread runs. */
void sbc_config_free(struct sbc_config *cfg);

/* Returns the index of the port called name, or -1. Any thread (telemetry, reloads). */
int sbc_config_port_index(const struct sbc_config *cfg, const char *name);

#endif /* SBC_CONFIG_H */
