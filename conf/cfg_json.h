/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cfg_json.h - the helpers every configuration section parser shares (sbc_config.c,
 * sbc_fw_config.c): one per JSON type, each checking presence, type and bounds and
 * reporting the first problem as "FILE: KEY = VALUE: PROBLEM", where KEY is a path such
 * as "ports[1].ipv4[0]". Internal to conf/. Threads: the parsing thread, that is the
 * main thread at start or the thread running a firewall reload (the reloader, or the
 * telemetry thread; one at a time, mgmt_fw.c); no shared state. Every helper that checks
 * returns 0, or -1 once cfg_fail() wrote the message.
 */
#ifndef CFG_JSON_H
#define CFG_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "sbc_config.h"

#define CFG_PATH_LEN 96

struct cfg_ctx {
	const char *file;
	char *err;
	size_t errlen;
	struct sbc_cfg_err *detail; /* when not NULL, also gets the parts of the message */
};

/*
 * Writes the error message (and its parts); returns -1 so callers can "return cfg_fail()".
 * Parsing thread.
 */
int cfg_fail(struct cfg_ctx *c, const char *path, const json_t *v, const char *fmt, ...)
		__attribute__((format(printf, 4, 5)));

/*
 * Writes "parent.key" (or "key" at the top) into out (CFG_PATH_LEN octets); returns out.
 * Any thread.
 */
const char *cfg_join(char *out, const char *parent, const char *key);

/*
 * Fails on the first key of obj that is not in the NULL-terminated list known. Returns 0
 * or -1. Parsing thread.
 */
int cfg_check_keys(struct cfg_ctx *c, const char *path, const json_t *obj,
		const char *const *known);

/*
 * Fetches a member that must be an object (or absent when !required: *out = NULL).
 * Returns 0 or -1. Parsing thread.
 */
int cfg_get_object(struct cfg_ctx *c, const char *path, const json_t *obj, const char *key,
		bool required, json_t **out);

/*
 * Fetches a member that must be a list of min to max elements (or absent when !required).
 * Returns 0 or -1. Parsing thread.
 */
int cfg_get_array(struct cfg_ctx *c, const char *path, const json_t *obj, const char *key,
		bool required, size_t min, size_t max, json_t **out);

/* Checks that v is an integer in [min, max] and stores it. Returns 0 or -1. Parsing thread. */
int cfg_check_uint(struct cfg_ctx *c, const char *path, const json_t *v, unsigned int min,
		unsigned int max, unsigned int *out);

/* Optional integer members in [min, max]; def when absent. Returns 0 or -1. Parsing thread. */
int cfg_get_uint(struct cfg_ctx *c, const char *path, const json_t *obj, const char *key,
		unsigned int min, unsigned int max, unsigned int def, unsigned int *out);
int cfg_get_u16(struct cfg_ctx *c, const char *path, const json_t *obj, const char *key,
		unsigned int min, unsigned int max, unsigned int def, uint16_t *out);

/* Optional boolean member; def when absent. Returns 0 or -1. Parsing thread. */
int cfg_get_bool(struct cfg_ctx *c, const char *path, const json_t *obj, const char *key,
		bool def, bool *out);

/*
 * Checks that v is a non-empty string shorter than size and copies it to out. Returns 0
 * or -1. Parsing thread.
 */
int cfg_check_string(struct cfg_ctx *c, const char *path, const json_t *v, char *out,
		size_t size);

/* String member (required, or def when absent) copied to out. Returns 0 or -1. Parsing thread. */
int cfg_get_string(struct cfg_ctx *c, const char *path, const json_t *obj, const char *key,
		bool required, const char *def, char *out, size_t size);

#endif /* CFG_JSON_H */
