/* SPDX-License-Identifier: BSD-3-Clause */
/* sbc_addr.c - address parsing and prefix matching (see sbc_addr.h). Any thread. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbc_addr.h"

/* Parses the decimal prefix length in s (no sign, no spaces); returns it or -1. */
static int
parse_plen(const char *s, unsigned max)
{
	unsigned v = 0;

	if (*s == '\0' || strlen(s) > 3)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (unsigned)(*s - '0');
	}
	return v <= max ? (int)v : -1;
}

int
sbc_ip_parse(const char *s, int family, bool want_prefix, struct sbc_ip *out)
{
	char buf[SBC_IP_STRLEN];
	const char *slash;
	unsigned max = family == AF_INET ? 32 : 128;
	int plen = (int)max;
	size_t alen;

	if (s == NULL || (family != AF_INET && family != AF_INET6))
		return -EINVAL;
	slash = strchr(s, '/');
	if ((slash != NULL) != want_prefix)
		return -EINVAL;
	alen = slash ? (size_t)(slash - s) : strlen(s);
	if (alen == 0 || alen >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	if (slash) {
		plen = parse_plen(slash + 1, max);
		if (plen < 0)
			return -EINVAL;
	}
	memset(out, 0, sizeof(*out));
	if (inet_pton(family, buf, out->a) != 1)
		return -EINVAL;
	out->family = (uint8_t)family;
	out->plen = (uint8_t)plen;
	return 0;
}

char *
sbc_ip_format(const struct sbc_ip *ip, bool with_prefix, char *buf, size_t len)
{
	char tmp[INET6_ADDRSTRLEN];

	if (inet_ntop(ip->family, ip->a, tmp, sizeof(tmp)) == NULL)
		snprintf(tmp, sizeof(tmp), "?");
	if (with_prefix)
		snprintf(buf, len, "%s/%u", tmp, ip->plen);
	else
		snprintf(buf, len, "%s", tmp);
	return buf;
}

bool
sbc_prefix_match(const uint8_t *a, const uint8_t *b, unsigned plen)
{
	unsigned full = plen / 8, rest = plen % 8;

	if (memcmp(a, b, full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((a[full] ^ b[full]) & (uint8_t)(0xff << (8 - rest))) == 0;
}

bool
sbc_ip_in_prefix(const struct sbc_ip *addr, const struct sbc_ip *net)
{
	return addr->family == net->family && sbc_prefix_match(addr->a, net->a, net->plen);
}

bool
sbc_ip_equal(const struct sbc_ip *x, const struct sbc_ip *y)
{
	size_t n = x->family == AF_INET ? 4 : 16;

	return x->family == y->family && memcmp(x->a, y->a, n) == 0;
}
