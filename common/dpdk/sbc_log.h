/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sbc_log.h - log types of the planes, on top of rte_log (stderr/journald).
 * Never called per packet: the dataplane counts instead of logging.
 */
#ifndef SBC_LOG_H
#define SBC_LOG_H

#include <rte_log.h>

extern int sbc_logtype_dp;
extern int sbc_logtype_sig;
extern int sbc_logtype_mgmt;

#define SBC_LOG(level, plane, fmt, ...)                                                            \
	rte_log(RTE_LOG_##level, sbc_logtype_##plane, "sbc." #plane ": " fmt "\n", ##__VA_ARGS__)

#define DP_LOG(level, fmt, ...) SBC_LOG(level, dp, fmt, ##__VA_ARGS__)
#define SIG_LOG(level, fmt, ...) SBC_LOG(level, sig, fmt, ##__VA_ARGS__)
#define MGMT_LOG(level, fmt, ...) SBC_LOG(level, mgmt, fmt, ##__VA_ARGS__)

#endif /* SBC_LOG_H */
