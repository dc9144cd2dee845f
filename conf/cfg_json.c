/* SPDX-License-Identifier: BSD-3-Clause */
/* cfg_json.c - shared checks of the configuration parsers (see cfg_json.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_json.h"

/* Writes the error message; returns -1 so callers can "return cfg_fail(...)". */
int
cfg_fail(struct cfg_ctx *c, const char *path, const json_t *v, const char *fmt, ...)
{
	char what[256], val[96];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (v != NULL) {
		char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);

		snprintf(val, sizeof(val), "%s", s ? s : "?");
		if (s && strlen(s) >= sizeof(val))
			memcpy(val + sizeof(val) - 4, "...", 4);
		free(s);
		snprintf(c->err, c->errlen, "%s: %s = %s: %s", c->file, path[0] ? path : "(top level)",
				val, what);
	} else {
		snprintf(c->err, c->errlen, "%s: %s: %s", c->file, path[0] ? path : "(top level)",
				what);
		val[0] = '\0';
	}
	if (c->detail != NULL) {
		snprintf(c->detail->key, sizeof(c->detail->key), "%s", path[0] ? path : "(top level)");
		snprintf(c->detail->value, sizeof(c->detail->value), "%s", val);
		snprintf(c->detail->problem, sizeof(c->detail->problem), "%s", what);
	}
	return -1;
}

/* Writes "parent.key" (or "key" at the top) into out. */
const char *
cfg_join(char *out, const char *parent, const char *key)
{
	if (parent[0])
		snprintf(out, CFG_PATH_LEN, "%s.%s", parent, key);
	else
		snprintf(out, CFG_PATH_LEN, "%s", key);
	return out;
}

/* Fails on the first key of obj that is not in the NULL-terminated list known. */
int
cfg_check_keys(struct cfg_ctx *c, const char *path, const json_t *obj, const char *const *known)
{
	const char *key;
	json_t *v;
	char p[CFG_PATH_LEN], list[256];

	json_object_foreach((json_t *)obj, key, v) {
		size_t i, off = 0;
		bool ok = false;

		for (i = 0; known[i] != NULL; i++)
			if (strcmp(key, known[i]) == 0)
				ok = true;
		if (ok)
			continue;
		list[0] = '\0';
		for (i = 0; known[i] != NULL && off < sizeof(list); i++)
			off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s", i ? ", " : "",
					known[i]);
		return cfg_fail(c, cfg_join(p, path, key), v, "unknown key (known keys: %s)", list);
	}
	return 0;
}

/* Fetches an object member that must be an object (or absent when !required). */
int
cfg_get_object(struct cfg_ctx *c, const char *path, const json_t *obj, const char *key, bool required,
		json_t **out)
{
	char p[CFG_PATH_LEN];
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (v == NULL)
		return required ? cfg_fail(c, cfg_join(p, path, key), NULL, "missing (required object)") : 0;
	if (!json_is_object(v))
		return cfg_fail(c, cfg_join(p, path, key), v, "must be an object");
	*out = v;
	return 0;
}

/* Fetches an array member with at most max elements (or absent when !required). */
int
cfg_get_array(struct cfg_ctx *c, const char *path, const json_t *obj, const char *key, bool required,
		size_t min, size_t max, json_t **out)
{
	char p[CFG_PATH_LEN];
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (v == NULL) {
		if (required)
			return cfg_fail(c, cfg_join(p, path, key), NULL, "missing (required list)");
		return 0;
	}
	if (!json_is_array(v))
		return cfg_fail(c, cfg_join(p, path, key), v, "must be a list");
	if (json_array_size(v) < min)
		return cfg_fail(c, cfg_join(p, path, key), v, "needs at least %zu element%s", min,
				min == 1 ? "" : "s");
	if (json_array_size(v) > max)
		return cfg_fail(c, cfg_join(p, path, key), v, "too many elements (at most %zu)", max);
	*out = v;
	return 0;
}

/* Checks that v is an integer in [min, max] and stores it. */
int
cfg_check_uint(struct cfg_ctx *c, const char *path, const json_t *v, unsigned int min, unsigned int max,
		unsigned int *out)
{
	json_int_t i;

	if (!json_is_integer(v))
		return cfg_fail(c, path, v, "must be an integer from %u to %u", min, max);
	i = json_integer_value(v);
	if (i < (json_int_t)min || i > (json_int_t)max)
		return cfg_fail(c, path, v, "out of range (must be from %u to %u)", min, max);
	*out = (unsigned int)i;
	return 0;
}

int
cfg_get_uint(struct cfg_ctx *c, const char *path, const json_t *obj, const char *key, unsigned int min,
		unsigned int max, unsigned int def, unsigned int *out)
{
	char p[CFG_PATH_LEN];
	json_t *v = json_object_get(obj, key);

	if (v == NULL) {
		*out = def;
		return 0;
	}
	return cfg_check_uint(c, cfg_join(p, path, key), v, min, max, out);
}

int
cfg_get_u16(struct cfg_ctx *c, const char *path, const json_t *obj, const char *key, unsigned int min,
		unsigned int max, unsigned int def, uint16_t *out)
{
	unsigned int v;

	if (cfg_get_uint(c, path, obj, key, min, max, def, &v) < 0)
		return -1;
	*out = (uint16_t)v;
	return 0;
}

int
cfg_get_bool(struct cfg_ctx *c, const char *path, const json_t *obj, const char *key, bool def, bool *out)
{
	char p[CFG_PATH_LEN];
	json_t *v = json_object_get(obj, key);

	if (v == NULL) {
		*out = def;
		return 0;
	}
	if (!json_is_boolean(v))
		return cfg_fail(c, cfg_join(p, path, key), v, "must be true or false");
	*out = json_is_true(v);
	return 0;
}

/* Checks that v is a non-empty string shorter than size and copies it to out. */
int
cfg_check_string(struct cfg_ctx *c, const char *path, const json_t *v, char *out, size_t size)
{
	size_t n;

	if (!json_is_string(v))
		return cfg_fail(c, path, v, "must be a string");
	n = json_string_length(v);
	if (n == 0)
		return cfg_fail(c, path, v, "must not be empty");
	if (n >= size)
		return cfg_fail(c, path, v, "too long (at most %zu characters)", size - 1);
	if (strlen(json_string_value(v)) != n)
		return cfg_fail(c, path, v, "contains a NUL character");
	memcpy(out, json_string_value(v), n + 1);
	return 0;
}

int
cfg_get_string(struct cfg_ctx *c, const char *path, const json_t *obj, const char *key, bool required,
		const char *def, char *out, size_t size)
{
	char p[CFG_PATH_LEN];
	json_t *v = json_object_get(obj, key);

	if (v == NULL) {
		if (required)
			return cfg_fail(c, cfg_join(p, path, key), NULL, "missing (required string)");
		snprintf(out, size, "%s", def);
		return 0;
	}
	return cfg_check_string(c, cfg_join(p, path, key), v, out, size);
}
