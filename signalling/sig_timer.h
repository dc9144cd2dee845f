/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sig_timer.h - a hashed timing wheel of 1 ms slots for one signalling lcore: SIP
 * transaction timers (A-K, RFC 3261 17), 2xx retransmission, session timers, call
 * duration limits, media inactivity checks.
 *
 * Timers are embedded in their owners (no allocation); add and cancel are O(1); a tick
 * visits one slot, and a timer due beyond one revolution (4.096 s) waits in its slot
 * for its turn. Not thread-safe: each wheel belongs to one lcore.
 */
#ifndef SIG_TIMER_H
#define SIG_TIMER_H

#include <stdbool.h>
#include <stdint.h>

#define SIG_WHEEL_SLOTS 4096 /* power of two */

struct sig_timer;
/* ctx: the wheel's context (the signalling lcore); the owner is found by container_of. */
typedef void (*sig_timer_fn)(struct sig_timer *t, void *ctx);

struct sig_timer {
	struct sig_timer *next;
	struct sig_timer **pprev; /* NULL when not armed */
	uint64_t due_ms;
	sig_timer_fn fn;
};

struct sig_wheel {
	uint64_t now_ms;   /* everything up to this instant has run */
	void *ctx;         /* passed to every callback */
	uint64_t armed;    /* timers pending */
	struct sig_timer *slot[SIG_WHEEL_SLOTS];
};

void sig_wheel_init(struct sig_wheel *w, uint64_t now_ms, void *ctx);

/* Arms t to call fn in delay_ms (re-arms it if it was armed). */
void sig_timer_arm(struct sig_wheel *w, struct sig_timer *t, uint64_t delay_ms, sig_timer_fn fn);

/* Disarms t (no effect when it is not armed). */
void sig_timer_cancel(struct sig_wheel *w, struct sig_timer *t);

static inline bool
sig_timer_armed(const struct sig_timer *t)
{
	return t->pprev != NULL;
}

/* Runs every timer due up to now_ms; returns how many fired. */
unsigned int sig_wheel_run(struct sig_wheel *w, uint64_t now_ms);

#endif /* SIG_TIMER_H */
