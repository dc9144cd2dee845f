/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_timer.c - the signalling lcores' two-level timing wheel (sig_timer.c): every
 * armed timer fires exactly once, at the first run whose clock reached its due time,
 * never before; cancelled and re-armed timers follow their last arming; long pauses
 * (beyond both revolutions) lose nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sig_timer.h"

#define N 4000

struct owner {
	struct sig_timer t;
	uint64_t due;       /* what the test expects; 0: not armed */
	unsigned int fired;
	uint64_t fired_at;
};

struct ctx {
	struct owner o[N];
	uint64_t now;        /* the clock of the run in progress */
	uint64_t prev;       /* the clock of the run before */
	unsigned int rearm;  /* callbacks re-arm their timer this many times in all */
	struct sig_wheel *w;
	unsigned int seed;
};

static void
on_fire(struct sig_timer *t, void *arg)
{
	struct ctx *c = arg;
	struct owner *o = (struct owner *)((char *)t - offsetof(struct owner, t));

	assert_false(sig_timer_armed(t));
	assert_int_not_equal(o->due, 0);
	/* Not early, and not later than the first run that reached it. */
	assert_true(o->due <= c->now);
	assert_true(o->due > c->prev);
	o->fired++;
	o->fired_at = c->now;
	o->due = 0;
	if (c->rearm > 0 && rand_r(&c->seed) % 4 == 0) {
		uint64_t d = 1 + (uint64_t)rand_r(&c->seed) % 20000;

		c->rearm--;
		sig_timer_arm(c->w, t, d, on_fire);
		o->due = c->w->now_ms + d;
	}
}

static uint64_t
r_delay(unsigned int *seed)
{
	switch (rand_r(seed) % 6) {
	case 0:
		return (uint64_t)rand_r(seed) % 10;                  /* 0: next millisecond */
	case 1:
		return (uint64_t)rand_r(seed) % SIG_WHEEL_SLOTS;     /* fine */
	case 2:
		return SIG_FINE_SPAN - 2 + (uint64_t)rand_r(seed) % 4; /* the border */
	case 3:
		return 32000 + (uint64_t)rand_r(seed) % 100;         /* 64*T1, Timer J */
	case 4:
		return (uint64_t)rand_r(seed) % 400000;              /* minutes */
	default:                                              /* beyond a coarse revolution */
		return (uint64_t)SIG_COARSE_SLOTS * SIG_COARSE_MS + (uint64_t)rand_r(seed) % 5000000;
	}
}

static void
run_to(struct ctx *c, struct sig_wheel *w, uint64_t to)
{
	unsigned int i;

	c->now = to;
	sig_wheel_run(w, to);
	c->prev = to;
	for (i = 0; i < N; i++)
		if (c->o[i].due != 0)
			assert_true(c->o[i].due > to); /* everything due has fired */
}

static void
check_wheel(unsigned int seed, uint64_t start, int pauses)
{
	struct ctx *c = calloc(1, sizeof(*c));
	struct sig_wheel *w = calloc(1, sizeof(*w));
	uint64_t now = start, fired = 0, armed = 0;
	unsigned int i, step;

	assert_non_null(c);
	assert_non_null(w);
	c->seed = seed;
	c->w = w;
	c->rearm = N / 2;
	c->prev = start;
	sig_wheel_init(w, start, c);
	for (step = 0; step < 3000; step++) {
		/* Arm, re-arm or cancel a few. */
		for (i = 0; i < 5; i++) {
			struct owner *o = &c->o[(unsigned int)rand_r(&c->seed) % N];

			if (rand_r(&c->seed) % 5 == 0) {
				sig_timer_cancel(w, &o->t);
				o->due = 0;
			} else {
				uint64_t d = r_delay(&c->seed);

				sig_timer_arm(w, &o->t, d, on_fire);
				o->due = w->now_ms + (d ? d : 1);
				armed++;
			}
		}
		/* Then time passes: a millisecond, a few seconds, or (pauses) hours. */
		switch (rand_r(&c->seed) % (pauses ? 8 : 6)) {
		case 0:
		case 1:
			now += 1;
			break;
		case 2:
		case 3:
			now += (uint64_t)rand_r(&c->seed) % 50;
			break;
		case 4:
		case 5:
			now += (uint64_t)rand_r(&c->seed) % 5000;
			break;
		default:
			now += (uint64_t)rand_r(&c->seed) % 8000000;
			break;
		}
		run_to(c, w, now);
	}
	/* Far enough for everything, in one step. */
	now += 2ull * SIG_COARSE_SLOTS * SIG_COARSE_MS + 10000000;
	run_to(c, w, now);
	for (i = 0; i < N; i++) {
		assert_false(sig_timer_armed(&c->o[i].t));
		fired += c->o[i].fired;
	}
	assert_int_equal(w->armed, 0);
	assert_true(fired > 0 && armed > 0);
	free(c);
	free(w);
}

static void
test_steady(void **state)
{
	(void)state;
	check_wheel(1, 1000, 0);
	check_wheel(2, 123456789, 0);
}

static void
test_pauses(void **state)
{
	(void)state;
	check_wheel(3, 1000, 1);
	check_wheel(4, (1ull << 40) + 1023, 1);
}

/* A 32 s timer sits in the coarse wheel and fires on time; the fine one beside it too. */
static void
test_coarse_exact(void **state)
{
	struct ctx *c = calloc(1, sizeof(*c));
	struct sig_wheel *w = calloc(1, sizeof(*w));
	uint64_t t0 = 5000, t;

	(void)state;
	assert_non_null(c);
	assert_non_null(w);
	c->w = w;
	c->prev = t0;
	sig_wheel_init(w, t0, c);
	sig_timer_arm(w, &c->o[0].t, 32000, on_fire);
	c->o[0].due = t0 + 32000;
	sig_timer_arm(w, &c->o[1].t, SIG_FINE_SPAN - 1, on_fire);
	c->o[1].due = t0 + SIG_FINE_SPAN - 1;
	for (t = t0 + 1; t <= t0 + 33000; t++)
		run_to(c, w, t);
	assert_int_equal(c->o[0].fired, 1);
	assert_int_equal(c->o[0].fired_at, t0 + 32000);
	assert_int_equal(c->o[1].fired, 1);
	assert_int_equal(c->o[1].fired_at, t0 + SIG_FINE_SPAN - 1);
	free(c);
	free(w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_coarse_exact),
		cmocka_unit_test(test_steady),
		cmocka_unit_test(test_pauses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
