/* SPDX-License-Identifier: BSD-3-Clause */
/* sig_timer.c - hashed timing wheel (see sig_timer.h). One lcore per wheel. */
#include <string.h>

#include "sig_timer.h"

void
sig_wheel_init(struct sig_wheel *w, uint64_t now_ms, void *ctx)
{
	memset(w, 0, sizeof(*w));
	w->now_ms = now_ms;
	w->ctx = ctx;
}

/* Takes an armed t out of its list (slot or coarse slot). */
static inline void
unlink_timer(struct sig_timer *t)
{
	*t->pprev = t->next;
	if (t->next != NULL)
		t->next->pprev = t->pprev;
}

void
sig_timer_cancel(struct sig_wheel *w, struct sig_timer *t)
{
	if (t->pprev == NULL)
		return;
	unlink_timer(t);
	t->next = NULL;
	t->pprev = NULL;
	w->armed--;
}

static inline void
link_timer(struct sig_timer **head, struct sig_timer *t)
{
	t->next = *head;
	if (*head != NULL)
		(*head)->pprev = &t->next;
	*head = t;
	t->pprev = head;
}

void
sig_timer_arm(struct sig_wheel *w, struct sig_timer *t, uint64_t delay_ms, sig_timer_fn fn)
{
	sig_timer_cancel(w, t);
	/* Never in the slot being run now: the earliest is the next millisecond. */
	t->due_ms = w->now_ms + (delay_ms ? delay_ms : 1);
	t->fn = fn;
	/*
	 * Coarse from SIG_FINE_SPAN on: due in coarse tick >= now's + 3, it moves to the
	 * fine wheel when the walk enters the tick two before its own (sig_wheel_run).
	 */
	if (t->due_ms - w->now_ms < SIG_FINE_SPAN)
		link_timer(&w->slot[t->due_ms & (SIG_WHEEL_SLOTS - 1)], t);
	else
		link_timer(&w->coarse[(t->due_ms >> SIG_COARSE_SHIFT) & (SIG_COARSE_SLOTS - 1)], t);
	w->armed++;
}

/* Moves the timers of coarse tick `tick` to the fine wheel (they are due in 1-3 s). */
static void
cascade(struct sig_wheel *w, uint64_t tick)
{
	struct sig_timer *t = w->coarse[tick & (SIG_COARSE_SLOTS - 1)], *next;

	for (; t != NULL; t = next) {
		next = t->next;
		if (t->due_ms >> SIG_COARSE_SHIFT > tick)
			continue; /* a later revolution */
		unlink_timer(t);
		link_timer(&w->slot[t->due_ms & (SIG_WHEEL_SLOTS - 1)], t);
	}
}

unsigned int
sig_wheel_run(struct sig_wheel *w, uint64_t now_ms)
{
	unsigned int fired = 0;

	/*
	 * A long pause need not walk every millisecond twice: one revolution of the fine
	 * wheel covers all of it, once the coarse ticks skipped (at most a revolution of
	 * those) have brought their timers down.
	 */
	if (now_ms - w->now_ms > SIG_WHEEL_SLOTS) {
		uint64_t from = w->now_ms >> SIG_COARSE_SHIFT;
		uint64_t to = (now_ms - SIG_WHEEL_SLOTS) >> SIG_COARSE_SHIFT, k;

		if (to - from > SIG_COARSE_SLOTS)
			from = to - SIG_COARSE_SLOTS;
		for (k = from + 1; k <= to && w->armed > 0; k++)
			cascade(w, k + 2);
		w->now_ms = now_ms - SIG_WHEEL_SLOTS;
	}
	while (w->now_ms < now_ms && w->armed > 0) {
		struct sig_timer **head = &w->slot[++w->now_ms & (SIG_WHEEL_SLOTS - 1)], *t;

		if ((w->now_ms & (SIG_COARSE_MS - 1)) == 0)
			cascade(w, (w->now_ms >> SIG_COARSE_SHIFT) + 2);

		t = *head;
		while (t != NULL) {
			struct sig_timer *next = t->next;

			if (t->due_ms <= now_ms) {
				sig_timer_cancel(w, t);
				fired++;
				t->fn(t, w->ctx); /* may re-arm t, or arm and cancel others */
				/* The list may have changed under us: start the slot again. */
				next = *head;
			}
			t = next;
		}
	}
	w->now_ms = now_ms;
	return fired;
}
