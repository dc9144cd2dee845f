/* SPDX-License-Identifier: BSD-3-Clause */
/* sip_shard.c - identifiers and their shard (see sip_shard.h). Any thread. */
#include <string.h>

#include "sip_shard.h"

#define SLOT_CHARS 6  /* 36 bits: a 32-bit slot */
#define RAND_CHARS 11 /* 66 bits: 64 random bits */

static const char b64url[64] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int
b64val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

/* n characters of v, six bits each, the most significant first. */
static size_t
put_b64(char *out, uint64_t v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		out[i] = b64url[(v >> (6 * (n - 1 - i))) & 63];
	return n;
}

/* "<prefix><XX>." */
static size_t
put_head(char *out, const char *prefix, unsigned int shard)
{
	static const char hex[16] = "0123456789abcdef";
	size_t n = strlen(prefix);

	memcpy(out, prefix, n);
	out[n++] = hex[shard >> 4 & 0xf];
	out[n++] = hex[shard & 0xf];
	out[n++] = '.';
	return n;
}

size_t
sip_make_id(char *out, const char *prefix, unsigned int shard, uint64_t rnd)
{
	size_t n = put_head(out, prefix, shard);

	n += put_b64(out + n, rnd, RAND_CHARS);
	out[n] = '\0';
	return n;
}

size_t
sip_make_slot_id(char *out, const char *prefix, unsigned int shard, uint32_t slot, uint64_t rnd)
{
	size_t n = put_head(out, prefix, shard);

	n += put_b64(out + n, slot, SLOT_CHARS);
	n += put_b64(out + n, rnd, RAND_CHARS);
	out[n] = '\0';
	return n;
}

int
sip_shard_from_id(struct sip_str id, const char *prefix)
{
	size_t n = strlen(prefix);
	int hi, lo;

	if (id.len < n + 3 || memcmp(id.s, prefix, n) != 0 || id.s[n + 2] != '.')
		return -1;
	hi = hexval(id.s[n]);
	lo = hexval(id.s[n + 1]);
	if (hi < 0 || lo < 0)
		return -1;
	return hi * 16 + lo;
}

int
sip_id_slot(struct sip_str id, const char *prefix, uint32_t *slot)
{
	size_t n = strlen(prefix) + 3, i;
	uint64_t v = 0;

	if (id.len != n + SLOT_CHARS + RAND_CHARS || sip_shard_from_id(id, prefix) < 0)
		return -1;
	for (i = 0; i < SLOT_CHARS; i++) {
		int d = b64val(id.s[n + i]);

		if (d < 0)
			return -1;
		v = v << 6 | (uint64_t)d;
	}
	if (v > UINT32_MAX)
		return -1;
	*slot = (uint32_t)v;
	return 0;
}
