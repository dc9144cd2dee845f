/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sig_lcore.c - the signalling lcore loop (see sig_lcore.h).
 *
 * Concurrency: each signalling lcore owns its struct sig_lcore and counters; it shares
 * nothing writable with other threads. Until the SIP transport lands, a loop iteration
 * finds no work, so with the idle policy on it sleeps and costs (almost) no CPU.
 */
#include "sbc_run.h"
#include "sig_lcore.h"

int
sig_lcore_main(void *arg)
{
	struct sig_lcore *sl = arg;
	struct sbc_idle idle;

	sbc_idle_init(&idle, sl->idle_cfg->idle_sleep, sl->idle_cfg->idle_polls,
			sl->idle_cfg->idle_max_us);
	while (!sbc_quit_requested())
		sbc_idle_account(&idle, sl->st, false);
	return 0;
}
