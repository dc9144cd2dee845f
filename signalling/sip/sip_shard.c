/* SPDX-License-Identifier: BSD-3-Clause */
/* sip_shard.c - call ownership by identifier (see sip_shard.h). Any thread. */
#include <stdio.h>
#include <string.h>

#include "sip_hdr.h"
#include "sip_shard.h"

uint32_t
sip_hash(struct sip_str s)
{
	uint32_t h = 2166136261u;
	uint32_t i;

	for (i = 0; i < s.len; i++) {
		h ^= (uint8_t)s.s[i];
		h *= 16777619u;
	}
	return h;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
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
	uint32_t v = 0;

	if (id.len != n + 16 || sip_shard_from_id(id, prefix) < 0)
		return -1;
	for (i = 0; i < 8; i++) {
		int h = hexval(id.s[n + i]);

		if (h < 0)
			return -1;
		v = v << 4 | (uint32_t)h;
	}
	*slot = v;
	return 0;
}

size_t
sip_make_id(char *out, const char *prefix, unsigned int shard, uint64_t rnd)
{
	static const char hex[16] = "0123456789abcdef";
	size_t n = strlen(prefix);
	int i;

	/* "%s%02x.%016llx", without snprintf: one per generated tag, branch and Call-ID. */
	memcpy(out, prefix, n);
	out[n++] = hex[shard >> 4 & 0xf];
	out[n++] = hex[shard & 0xf];
	out[n++] = '.';
	for (i = 60; i >= 0; i -= 4)
		out[n++] = hex[rnd >> i & 0xf];
	out[n] = '\0';
	return n;
}

unsigned int
sip_shard_of(const char *buf, size_t len, unsigned int n_shards)
{
	static __thread struct sip_msg m; /* 6 KB: not on a polling lcore's stack */
	struct sip_str id;
	struct sip_via v;
	int s;

	if (n_shards <= 1)
		return 0;
	if (sip_parse(&m, buf, len, SIP_FRAME_DATAGRAM, NULL) < 0 && m.n_hdrs == 0)
		return sip_hash((struct sip_str){ buf, (uint32_t)(len > 256 ? 256 : len) }) %
				n_shards;
	if (m.kind == SIP_KIND_RESPONSE && sip_via_top(&m, &v) == 0 && v.has_branch) {
		s = sip_shard_from_id(v.branch, SIP_BRANCH_PREFIX);
		if (s >= 0 && (unsigned int)s < n_shards)
			return (unsigned int)s;
	}
	if (sip_call_id(&m, &id) < 0) {
		const struct sip_hdr *h = sip_hdr_first(&m, SIP_H_CALL_ID);

		id = h != NULL ? h->value : (struct sip_str){ buf, (uint32_t)(len > 256 ? 256 : len) };
	}
	s = sip_shard_from_id(id, SIP_ID_PREFIX);
	if (s >= 0 && (unsigned int)s < n_shards)
		return (unsigned int)s;
	return sip_hash(id) % n_shards;
}
