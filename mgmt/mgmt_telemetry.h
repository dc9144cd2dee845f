/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mgmt_telemetry.h - rte_telemetry commands under /sbc/ (read them with
 * dpdk-telemetry.py or any client of the telemetry socket).
 */
#ifndef MGMT_TELEMETRY_H
#define MGMT_TELEMETRY_H

#include "dp.h"
#include "sbc_config.h"

/* Registers the commands (main thread, once, after dp_init). Returns 0 or -errno. */
int mgmt_telemetry_init(struct dp *dp, const struct sbc_config *cfg);

/* Detaches the commands from the dataplane before it is freed (main thread). */
void mgmt_telemetry_stop(void);

/* The /sbc/fw/ commands (mgmt_fw_telemetry.c): register, and detach before mgmt_fw_stop. */
int mgmt_fw_telemetry_init(const struct sbc_config *cfg);
void mgmt_fw_telemetry_stop(void);

#endif /* MGMT_TELEMETRY_H */
