/* SPDX-License-Identifier: BSD-3-Clause */
/* sig_addr.c - addresses of SIP flows (see sig_addr.h). Any thread. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "sig_addr.h"
#include "sip_build.h"

bool
sig_addr_eq(const struct sig_addr *a, const struct sig_addr *b)
{
	return a->v6 == b->v6 && a->port == b->port &&
			memcmp(a->ip, b->ip, a->v6 ? 16 : 4) == 0;
}

char *
sig_addr_ip_str(const struct sig_addr *a, char *buf, size_t len)
{
	/* IPv4 by hand: inet_ntop formats with sprintf, and this runs for every Via. */
	if (!a->v6 && len >= 16) {
		size_t n = 0;
		int i;

		for (i = 0; i < 4; i++) {
			n += sip_fmt_u64(buf + n, a->ip[i]);
			buf[n++] = '.';
		}
		buf[n - 1] = '\0';
		return buf;
	}
	if (inet_ntop(a->v6 ? AF_INET6 : AF_INET, a->ip, buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
	return buf;
}
