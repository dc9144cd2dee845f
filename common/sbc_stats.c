/* SPDX-License-Identifier: BSD-3-Clause */
/* sbc_stats.c - names of the counters declared in sbc_stats.h. Any thread. */
#include <stdlib.h>
#include <string.h>

#include "sbc_stats.h"

static struct sbc_lcore_stats *registry[SBC_MAX_LCORES];

#define SBC_X_NAME(sym, name, desc) [SBC_DROP_##sym] = name,
static const char *const drop_names[SBC_DROP_MAX] = {
	[SBC_DROP_NONE] = "none",
	SBC_DROP_REASONS(SBC_X_NAME)
};
#undef SBC_X_NAME

#define SBC_X_DESC(sym, name, desc) [SBC_DROP_##sym] = desc,
static const char *const drop_descs[SBC_DROP_MAX] = {
	[SBC_DROP_NONE] = "not dropped",
	SBC_DROP_REASONS(SBC_X_DESC)
};
#undef SBC_X_DESC

#define SBC_X_NAME(sym, name, desc) [SBC_EV_##sym] = name,
static const char *const event_names[SBC_EV_MAX] = { SBC_EVENTS(SBC_X_NAME) };
#undef SBC_X_NAME

#define SBC_X_NAME(sym, name, desc) [SBC_END_##sym] = name,
static const char *const end_names[SBC_END_MAX] = { SBC_CALL_ENDS(SBC_X_NAME) };
#undef SBC_X_NAME

const char *
sbc_call_end_name(enum sbc_call_end e)
{
	return (unsigned)e < SBC_END_MAX ? end_names[e] : "?";
}

/* Returns the telemetry name of a drop reason, "?" if out of range. */
const char *
sbc_drop_name(enum sbc_drop d)
{
	return (unsigned)d < SBC_DROP_MAX ? drop_names[d] : "?";
}

/* Returns the one-line description of a drop reason. */
const char *
sbc_drop_desc(enum sbc_drop d)
{
	return (unsigned)d < SBC_DROP_MAX ? drop_descs[d] : "?";
}

/* Returns the telemetry name of an event counter. */
const char *
sbc_event_name(enum sbc_event e)
{
	return (unsigned)e < SBC_EV_MAX ? event_names[e] : "?";
}

/* Returns the name of an lcore role. */
const char *
sbc_role_name(enum sbc_lcore_role r)
{
	switch (r) {
	case SBC_ROLE_CONTROL:
		return "control";
	case SBC_ROLE_DATAPLANE:
		return "dataplane";
	case SBC_ROLE_SIGNALLING:
		return "signalling";
	default:
		return "none";
	}
}

/* Allocates (zeroed, cache aligned) the counters of lcore; returns them or NULL. */
struct sbc_lcore_stats *
sbc_stats_register(unsigned int lcore, enum sbc_lcore_role role)
{
	struct sbc_lcore_stats *st;

	if (lcore >= SBC_MAX_LCORES)
		return NULL;
	if (registry[lcore] != NULL)
		return registry[lcore];
	st = aligned_alloc(64, sizeof(*st));
	if (st == NULL)
		return NULL;
	memset(st, 0, sizeof(*st));
	st->role = role;
	registry[lcore] = st;
	return st;
}

/* Returns the counters of lcore, or NULL when it has none. */
struct sbc_lcore_stats *
sbc_stats_get(unsigned int lcore)
{
	return lcore < SBC_MAX_LCORES ? registry[lcore] : NULL;
}

/* Frees every registered set of counters. */
void
sbc_stats_release_all(void)
{
	unsigned int i;

	for (i = 0; i < SBC_MAX_LCORES; i++) {
		free(registry[i]);
		registry[i] = NULL;
	}
}
