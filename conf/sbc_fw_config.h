/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sbc_fw_config.h - the "firewall" section of the configuration: per-service rule sets,
 * flood limits, blocklist policy and the SIP scanner list.
 *
 * Each service (sbc_fw.h) has an ordered list of rules and a default policy. A rule
 * matches by source prefixes (any number, IPv4 and IPv6 mixed; none: every source),
 * destination ports (within the service's) and ingress port, and says allow, deny or
 * rate-limit; the first match decides. sbc_fw_config_parse() validates the whole
 * section before anything uses it and names the rule and the field of the first
 * problem; sbc_fw_config_reload() does the same on the file again (a reload), judged
 * against the running configuration's ports and media range. Plain data, no DPDK: the
 * dataplane compiles it (dp_fw.h). Main thread at start, then the thread running a
 * reload (one at a time, mgmt_fw.c); an sbc_fw_cfg is not shared while being written.
 */
#ifndef SBC_FW_CONFIG_H
#define SBC_FW_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sbc_addr.h"
#include "sbc_fw.h"

#define SBC_FW_MAX_SVC_PORTS 16   /* TCP ports of a host service */
#define SBC_FW_MAX_RULE_SRC 64    /* prefixes in one rule */
#define SBC_FW_MAX_RULES 1000000  /* rules of one service */
#define SBC_FW_MAX_EXEMPT 64
#define SBC_FW_MAX_SCANNERS 32
#define SBC_FW_SCANNER_LEN 48
#define SBC_FW_RULE_NAME_LEN 48

/* Classification methods of rte_acl; AUTO picks the fastest the CPU and EAL allow. */
enum sbc_fw_classify {
	SBC_FW_CLASSIFY_AUTO = 0,
	SBC_FW_CLASSIFY_SCALAR,
	SBC_FW_CLASSIFY_SSE,
	SBC_FW_CLASSIFY_AVX2,
	SBC_FW_CLASSIFY_AVX512X16,
	SBC_FW_CLASSIFY_AVX512X32,
	SBC_FW_CLASSIFY_MAX
};

struct sbc_fw_rule {
	uint32_t src_off;  /* first of its prefixes in the service's srcs[] */
	uint16_t n_src;    /* 0: every source, both families */
	uint16_t port_lo;  /* destination ports, host order (ICMP: 0-65535) */
	uint16_t port_hi;
	int8_t ifidx;      /* ingress port index; -1: any */
	uint8_t action;    /* enum sbc_fw_action */
	uint32_t rate;     /* rate-limit: packets per second (over all dataplane lcores) */
	uint32_t burst;    /* rate-limit: packets above the rate accepted at once */
	char name[SBC_FW_RULE_NAME_LEN]; /* optional label, "" when none */
};

struct sbc_fw_svc_cfg {
	uint8_t default_action; /* SBC_FW_ALLOW or SBC_FW_DENY */
	bool alert_ack;         /* the operator accepts this service open to all (sbc_fw_alerts) */
	unsigned int n_ports;   /* host services: their TCP ports */
	uint16_t ports[SBC_FW_MAX_SVC_PORTS];
	unsigned int n_rules;
	struct sbc_fw_rule *rules; /* malloc'd, n_rules */
	unsigned int n_srcs;
	struct sbc_ip *srcs;       /* malloc'd: the rules' source prefixes */
};

/* Per-source limits on the dataplane (dp_limit.h). */
struct sbc_fw_flood_cfg {
	bool enabled;
	unsigned int sip_rate, sip_burst;   /* SIP datagrams per second from one source */
	unsigned int call_rate, call_burst; /* new calls (INVITE without To tag) per second */
	unsigned int block_after;           /* drops over a limit within 10 s that block; 0: never */
	unsigned int block_s;               /* how long a flooder stays blocked */
	unsigned int sources;               /* sources tracked per dataplane lcore (restart to change) */
	unsigned int n_exempt;
	struct sbc_ip exempt[SBC_FW_MAX_EXEMPT]; /* trusted trunks: no flood limit */
};

/* Blocks for offences the planes report (sbc_fw.h), counted per source. */
struct sbc_fw_block_cfg {
	unsigned int max_entries; /* blocked sources at once (restart to change) */
	unsigned int window_s;    /* offences counted over this long */
	unsigned int block_s;     /* how long an offender stays blocked */
	unsigned int malformed;   /* malformed SIP messages in window_s that block; 0: never */
	unsigned int auth_failures;
	unsigned int scanner;     /* scanner messages that block (1: the first) */
};

struct sbc_fw_cfg {
	unsigned int classify; /* enum sbc_fw_classify */
	struct sbc_fw_svc_cfg svc[SBC_FW_SVC_MAX];
	struct sbc_fw_flood_cfg flood;
	struct sbc_fw_block_cfg block;
	unsigned int n_scanners;
	char scanners[SBC_FW_MAX_SCANNERS][SBC_FW_SCANNER_LEN]; /* User-Agents dropped early */
};

struct sbc_config;
struct sbc_cfg_err;
struct cfg_ctx;

/*
 * Parses the "firewall" object fw (NULL: the defaults) of a configuration whose ports,
 * media range and host path are already in cfg. Returns 0, or -1 after cfg_fail().
 * Internal to conf/ (sbc_config_parse and sbc_fw_config_reload call it); out holds
 * nothing to free on failure. The parsing thread (cfg_json.h).
 */
int sbc_fw_config_parse_json(struct cfg_ctx *c, const void *fw, const struct sbc_config *cfg,
		struct sbc_fw_cfg *out);

/*
 * Reads the file at path again and parses its "firewall" section as the running
 * configuration cfg would (same ports and media range; the sizes that need a restart
 * must not change). Returns 0, or -1 with "FILE: KEY = VALUE: PROBLEM" in err and, when
 * detail is not NULL, its parts. On failure out holds nothing to free. The thread running
 * a reload, holding mgmt_fw.c's reload lock (the reloader, or telemetry's /sbc/fw/reload).
 */
int sbc_fw_config_reload(const char *path, const struct sbc_config *cfg, struct sbc_fw_cfg *out,
		char *err, size_t errlen, struct sbc_cfg_err *detail);

/*
 * Makes dst a deep copy of src. Returns 0 or -ENOMEM (dst then holds nothing). Any thread
 * (sbcd: the main thread, at init).
 */
int sbc_fw_config_dup(struct sbc_fw_cfg *dst, const struct sbc_fw_cfg *src);

/* Frees the rule lists of fw (and leaves it empty). The thread that owns fw. */
void sbc_fw_config_free(struct sbc_fw_cfg *fw);

/*
 * Returns the method named s ("auto", "scalar", "sse", "avx2", "avx512x16", "avx512x32"),
 * or -1. Any thread.
 */
int sbc_fw_classify_parse(const char *s);

/* Returns the static name of method m, "?" when out of range. Any thread. */
const char *sbc_fw_classify_name(unsigned int m);

/* Returns the number of rules over every service. Any thread that may read fw. */
unsigned long sbc_fw_config_rules(const struct sbc_fw_cfg *fw);

/*
 * Security alert of one service (SIP, Web, SSH, DB): raised when, somewhere the service
 * is reached (an ingress port and a destination port of the service), some family of
 * source is let in whatever its address: by the default policy, or by an allow or
 * rate-limit rule for every source of that family there, ahead of any rule that
 * closes it.
 */
struct sbc_fw_alert {
	bool raised;
	bool v4, v6;   /* which families are open */
	int rule;      /* the rule that opens it, -1: the default policy */
	char text[128];
};

/*
 * Fills the alert of every service (those without alerts: not raised). cfg gives the
 * ingress ports and their SIP ports (NULL: one port, SIP on 5060). Any thread that may
 * read fw (sbcd: under mgmt_fw.c's state lock).
 */
void sbc_fw_alerts(const struct sbc_fw_cfg *fw, const struct sbc_config *cfg,
		struct sbc_fw_alert out[SBC_FW_SVC_MAX]);

#endif /* SBC_FW_CONFIG_H */
