/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mgmt_telemetry.h - rte_telemetry commands under /sbc/ (read them with
 * dpdk-telemetry.py or any client of the telemetry socket).
 */
#ifndef MGMT_TELEMETRY_H
#define MGMT_TELEMETRY_H

#include <pthread.h>

#include <rte_telemetry.h>

#include "dp.h"
#include "sbc_config.h"

/* A command to register: its name, callback and help text. */
struct mgmt_tel_cmd {
	const char *name;
	telemetry_cb fn;
	const char *help;
};

/*
 * Every /sbc/ command runs under mgmt_tel_lock and only while mgmt_tel_cfg is set:
 * mgmt_telemetry_stop() clears it under the lock before the planes are freed, so no
 * callback reads them afterwards. No packet-path thread takes the lock.
 */
extern pthread_mutex_t mgmt_tel_lock;
extern const struct sbc_config *mgmt_tel_cfg;

/* Defines fn_locked(), which runs fn under mgmt_tel_lock, or fails once detached. */
#define MGMT_TEL_LOCKED(fn)                                                                        \
	static int fn##_locked(const char *cmd, const char *params, struct rte_tel_data *d)        \
	{                                                                                          \
		int rc = -1;                                                                       \
		pthread_mutex_lock(&mgmt_tel_lock);                                                \
		if (mgmt_tel_cfg != NULL)                                                          \
			rc = fn(cmd, params, d);                                                   \
		pthread_mutex_unlock(&mgmt_tel_lock);                                              \
		return rc;                                                                         \
	}

/* Registers n commands. Returns 0 or -errno. Main thread, at init. */
int mgmt_tel_register(const struct mgmt_tel_cmd *cmds, unsigned int n);

/* Registers the /sbc/ commands. Returns 0 or -errno. Main thread, once, after dp_init. */
int mgmt_telemetry_init(struct dp *dp, const struct sbc_config *cfg);

/*
 * Detaches the commands from the dataplane before it is freed; it takes mgmt_tel_lock,
 * so no locked command runs on after it. Main thread.
 */
void mgmt_telemetry_stop(void);

/*
 * Registers the /sbc/fw/ commands (mgmt_fw_telemetry.c). Returns 0 or -errno. Main
 * thread, after mgmt_telemetry_init().
 */
int mgmt_fw_telemetry_init(void);

#endif /* MGMT_TELEMETRY_H */
