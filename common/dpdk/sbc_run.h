/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sbc_run.h - what every polling loop shares: the stop request and the idle policy
 * with busy/idle cycle accounting.
 *
 * The stop request is one flag: the signal handler sets it (an atomic store is
 * async-signal-safe), every loop reads it with a relaxed load once per iteration.
 *
 * Idle policy (adaptive polling): after idle_polls empty iterations in a row the loop
 * sleeps, 1 us first, doubling up to idle_max_us, and polls at full speed again as soon
 * as it finds work. It lets sbcd share a small machine with SIPp; with it off, an
 * lcore spins at 100% as a production dataplane should.
 */
#ifndef SBC_RUN_H
#define SBC_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_cycles.h>

#include "sbc_stats.h"

extern int sbc_quit;

/* Returns whether a stop was requested. Any thread; loops call it once per turn. */
static inline bool
sbc_quit_requested(void)
{
	return __atomic_load_n(&sbc_quit, __ATOMIC_RELAXED) != 0;
}

/* Asks every loop to stop. Any thread, and signal handlers. */
static inline void
sbc_request_quit(void)
{
	__atomic_store_n(&sbc_quit, 1, __ATOMIC_RELAXED);
}

/*
 * Withdraws a stop request (benchmarks run the loops several times in one process).
 * Main thread, while no loop runs.
 */
static inline void
sbc_quit_clear(void)
{
	__atomic_store_n(&sbc_quit, 0, __ATOMIC_RELAXED);
}

struct sbc_idle {
	bool enabled;
	uint32_t polls_before_sleep;
	uint32_t max_us;
	uint32_t empty;
	uint32_t sleep_us;
	uint64_t t_prev;
};

/* Sets up the idle policy of one loop and starts its cycle count. The loop's lcore. */
static inline void
sbc_idle_init(struct sbc_idle *idle, bool enabled, uint32_t polls, uint32_t max_us)
{
	idle->enabled = enabled;
	idle->polls_before_sleep = polls;
	idle->max_us = max_us;
	idle->empty = 0;
	idle->sleep_us = 0;
	idle->t_prev = rte_rdtsc();
}

/*
 * Ends one loop iteration: charges its cycles to busy or idle, and when idle long
 * enough, sleeps (charged to idle and sleep). The loop's lcore, the writer of st.
 */
static inline void
sbc_idle_account(struct sbc_idle *idle, struct sbc_lcore_stats *st, bool busy)
{
	uint64_t now = rte_rdtsc();

	sbc_cnt_add(&st->polls, 1);
	if (busy) {
		sbc_cnt_add(&st->busy_cycles, now - idle->t_prev);
		sbc_cnt_add(&st->busy_polls, 1);
		idle->empty = 0;
		idle->sleep_us = 0;
		idle->t_prev = now;
		return;
	}
	sbc_cnt_add(&st->idle_cycles, now - idle->t_prev);
	if (idle->enabled && ++idle->empty >= idle->polls_before_sleep) {
		uint64_t after;

		idle->sleep_us = idle->sleep_us == 0 ? 1 :
				 idle->sleep_us * 2 > idle->max_us ? idle->max_us :
								      idle->sleep_us * 2;
		rte_delay_us_sleep(idle->sleep_us);
		after = rte_rdtsc();
		sbc_cnt_add(&st->idle_cycles, after - now);
		sbc_cnt_add(&st->sleep_cycles, after - now);
		sbc_cnt_add(&st->sleeps, 1);
		now = after;
	}
	idle->t_prev = now;
}

#endif /* SBC_RUN_H */
