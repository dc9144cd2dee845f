/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sig_timer.h - a hashed timing wheel of 1 ms slots for one signalling lcore: SIP
 * transaction timers (A-K, RFC 3261 17), 2xx retransmission, session timers, call
 * duration limits, media inactivity checks.
 *
 * Timers are embedded in their owners (no allocation); add and cancel are O(1); a tick
 * visits one slot. Two levels: timers due within 3 s go to the 1 ms wheel (4,096
 * slots); later ones to a coarse wheel of 1,024 ms slots (4,096 of them, 70 minutes a
 * revolution), from which each is moved to the fine wheel 2-3 s before it is due. So
 * the 32 s timers every call leaves behind (RFC 6026, Timer J) are not walked past
 * eight times before they fire, and one that is due after a coarse revolution waits in
 * its coarse slot. Not thread-safe: each wheel belongs to one lcore.
 */
#ifndef SIG_TIMER_H
#define SIG_TIMER_H

#include <stdbool.h>
#include <stdint.h>

#define SIG_WHEEL_SLOTS 4096 /* power of two */
#define SIG_COARSE_SHIFT 10  /* a coarse slot: 1,024 ms */
#define SIG_COARSE_SLOTS 4096
#define SIG_COARSE_MS (1u << SIG_COARSE_SHIFT)
/* From this delay on, a timer starts in the coarse wheel. */
#define SIG_FINE_SPAN (SIG_WHEEL_SLOTS - SIG_COARSE_MS)

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
	struct sig_timer *coarse[SIG_COARSE_SLOTS];
};

/*
 * Makes w an empty wheel at now_ms whose callbacks get ctx. The wheel's thread (sbcd:
 * the main thread, before the lcore runs).
 */
void sig_wheel_init(struct sig_wheel *w, uint64_t now_ms, void *ctx);

/* Arms t to call fn in delay_ms (re-arms it if it was armed). The wheel's lcore. */
void sig_timer_arm(struct sig_wheel *w, struct sig_timer *t, uint64_t delay_ms, sig_timer_fn fn);

/* Disarms t (no effect when it is not armed). The wheel's lcore. */
void sig_timer_cancel(struct sig_wheel *w, struct sig_timer *t);

/* Returns whether t is armed. The wheel's lcore. */
static inline bool
sig_timer_armed(const struct sig_timer *t)
{
	return t->pprev != NULL;
}

/* Runs every timer due up to now_ms; returns how many fired. The wheel's lcore. */
unsigned int sig_wheel_run(struct sig_wheel *w, uint64_t now_ms);

#endif /* SIG_TIMER_H */
