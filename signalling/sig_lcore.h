/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sig_lcore.h - signalling lcores: the threads that will own SIP calls (sharded by
 * Call-ID). This issue establishes the threads, their counters and their idle policy;
 * the SIP stack that runs on them arrives with the SIP issues.
 */
#ifndef SIG_LCORE_H
#define SIG_LCORE_H

#include "sbc_config.h"
#include "sbc_stats.h"

struct sig_lcore {
	unsigned int lcore_id;
	unsigned int shard; /* index among the signalling lcores */
	uint16_t txq;       /* own TX queue on every port */
	const struct sbc_dp_cfg *idle_cfg;
	struct sbc_lcore_stats *st;
};

/* Entry point of a signalling lcore (arg: its struct sig_lcore). Returns at shutdown. */
int sig_lcore_main(void *arg);

#endif /* SIG_LCORE_H */
