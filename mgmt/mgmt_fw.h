/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mgmt_fw.h - the firewall's control side: rule set reloads, the blocklist's policy
 * (offences in, blocks with an expiry out), operator blocks and unblocks, the record of
 * every block and unblock, and the security alerts.
 *
 * A control thread ("sbc-fw") takes the offences the planes report (dp_block.h),
 * counts them per source over firewall.blocklist.window_s, blocks a source when a
 * threshold is reached (floods at once: the dataplane already applied its threshold),
 * and expires blocks; a reloader thread reloads the rule sets on SIGHUP. Operator
 * commands (telemetry) call in directly.
 *
 * Concurrency: one mutex (state_lock) serialises every writer of the blocklist table,
 * the block records and the alert state: the control thread, operator commands and
 * reloads; it is never taken on the packet path (dataplane lcores read the tables
 * lock-free, dp_block.h, dp_fw.h). A reload builds the new rule set outside the lock
 * (reload_lock keeps reloads one at a time) and takes state_lock only to publish it and
 * free the old one, so a large build does not stall blocking. The functions below that
 * take these locks are for threads that may block: never an lcore (the packet path
 * never waits, and unblocks and reloads wait for an RCU grace period, which an lcore
 * would be holding up), never with state_lock already held.
 */
#ifndef MGMT_FW_H
#define MGMT_FW_H

#include <stdbool.h>
#include <stdint.h>

#include "dp.h"
#include "sbc_config.h"

/* The outcome of a reload. */
struct mgmt_fw_reload_res {
	bool ok;
	uint64_t gen;            /* the generation in force afterwards */
	unsigned long rules;
	uint64_t build_us;       /* parse and compile */
	uint64_t publish_us;     /* swap and grace period */
	char method[16];         /* classification method */
	char msg[SBC_CFG_ERR_LEN]; /* !ok: "FILE: KEY = VALUE: PROBLEM" */
	struct sbc_cfg_err err;  /* !ok: its parts */
};

/* A blocked source. */
struct mgmt_fw_block_info {
	struct sbc_ip src;   /* /32, or /64 for IPv6 */
	struct sbc_ip seen;  /* the address that offended (or was named) */
	uint8_t offence;     /* enum sbc_fw_offence */
	bool all;            /* every service blocked (an operator's block), else SIP only */
	char reason[96];
	char by[24];         /* "dataplane", "signalling", "operator", ... */
	int64_t since_s;     /* wall clock */
	int64_t until_s;     /* wall clock; 0: until unblocked */
	uint64_t hits;       /* packets dropped */
};

/* One entry of the record. */
struct mgmt_fw_record {
	int64_t time_ms;     /* wall clock */
	char action[12];     /* block, unblock, expire, refused, ack, unack, reload */
	uint8_t offence;     /* enum sbc_fw_offence, SBC_FW_OFF_MAX: none */
	bool has_src;
	struct sbc_ip src;
	uint32_t seconds;    /* block: for how long (0: until unblocked) */
	char what[112];      /* reason, service or outcome */
	char by[24];
};

/* A service's alert with its acknowledgement. */
struct mgmt_fw_alert_state {
	struct sbc_fw_alert alert;
	bool acked;          /* by an operator command (until restart) */
	bool acked_config;   /* by alert_ack in the configuration */
};

/*
 * Starts the control thread and the reloader for dp. Returns 0 or -errno. Main thread,
 * after dp_init and before launch.
 */
int mgmt_fw_start(struct dp *dp, const struct sbc_config *cfg);

/* Stops both threads and frees the control side. Main thread, before dp_fini. */
void mgmt_fw_stop(void);

/* Asks the reloader for a reload. Any thread, and signal handlers (SIGHUP). */
void mgmt_fw_sighup(void);

/*
 * Re-reads the configuration file's "firewall" section, validates all of it, builds
 * and publishes it; a bad set leaves the running one in force. by names who asked.
 * Returns 0 or -1 (res says why either way). Any thread that may block (the reloader,
 * telemetry's /sbc/fw/reload); it takes both locks and waits for a grace period.
 */
int mgmt_fw_reload(const char *by, struct mgmt_fw_reload_res *res);

/*
 * Blocks the source of ip (its /64 for IPv6) for seconds (0: until unblocked) with
 * reason. Returns 0, or -1 with why in err. Any thread that may block (telemetry).
 */
int mgmt_fw_block(const struct sbc_ip *ip, unsigned int seconds, const char *reason,
		const char *by, char *err, size_t errlen);

/*
 * Unblocks the source of ip. Returns 0, or -1 with why in err. Any thread that may block
 * (telemetry); it waits for a grace period.
 */
int mgmt_fw_unblock(const struct sbc_ip *ip, const char *by, char *err, size_t errlen);

/*
 * Copies up to n blocks, from the from-th on; returns how many; *total: all of them. Any
 * thread that may block (telemetry).
 */
unsigned int mgmt_fw_blocks(unsigned int from, struct mgmt_fw_block_info *out, unsigned int n,
		unsigned int *total);

/*
 * Copies up to n records, newest first, from the from-th on; returns how many; *total:
 * records kept. Any thread that may block (telemetry).
 */
unsigned int mgmt_fw_records(unsigned int from, struct mgmt_fw_record *out, unsigned int n,
		unsigned int *total);

/*
 * Fills out with the alerts of every service, as the rule set in force raises them. Any
 * thread that may block (telemetry).
 */
void mgmt_fw_alerts(struct mgmt_fw_alert_state out[SBC_FW_SVC_MAX]);

/*
 * Acknowledges (or withdraws the acknowledgement of) svc's alert. Returns 0 or -EINVAL.
 * Any thread that may block (telemetry).
 */
int mgmt_fw_ack(unsigned int svc, bool ack, const char *by);

/*
 * Calls fn with the generation in force, which stays valid until fn returns (fn runs
 * under state_lock: it must not call back in here). Does nothing while the firewall is
 * not running. Any thread that may block (telemetry).
 */
void mgmt_fw_with_rules(void (*fn)(const struct dp_fw_rules *r, void *arg), void *arg);

/*
 * Copies the offences received from the planes, by kind, and the blocks refused (table
 * full). Any thread that may block (telemetry).
 */
void mgmt_fw_counters(uint64_t offences[SBC_FW_OFF_MAX], uint64_t *refused);

#endif /* MGMT_FW_H */
