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

void
sig_timer_cancel(struct sig_wheel *w, struct sig_timer *t)
{
	if (t->pprev == NULL)
		return;
	*t->pprev = t->next;
	if (t->next != NULL)
		t->next->pprev = t->pprev;
	t->next = NULL;
	t->pprev = NULL;
	w->armed--;
}

void
sig_timer_arm(struct sig_wheel *w, struct sig_timer *t, uint64_t delay_ms, sig_timer_fn fn)
{
	struct sig_timer **head;

	sig_timer_cancel(w, t);
	/* Never in the slot being run now: the earliest is the next millisecond. */
	t->due_ms = w->now_ms + (delay_ms ? delay_ms : 1);
	t->fn = fn;
	head = &w->slot[t->due_ms & (SIG_WHEEL_SLOTS - 1)];
	t->next = *head;
	if (*head != NULL)
		(*head)->pprev = &t->next;
	*head = t;
	t->pprev = head;
	w->armed++;
}

unsigned int
sig_wheel_run(struct sig_wheel *w, uint64_t now_ms)
{
	unsigned int fired = 0;

	/* A long pause need not walk every millisecond twice: one revolution covers all. */
	if (now_ms - w->now_ms > SIG_WHEEL_SLOTS)
		w->now_ms = now_ms - SIG_WHEEL_SLOTS;
	while (w->now_ms < now_ms && w->armed > 0) {
		struct sig_timer **head = &w->slot[++w->now_ms & (SIG_WHEEL_SLOTS - 1)], *t;

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
