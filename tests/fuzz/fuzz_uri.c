/* SPDX-License-Identifier: BSD-3-Clause */
/* fuzz_uri.c - libFuzzer harness: URIs, host:port and address literals. */
#include <stdlib.h>

#include "sip_uri.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct sip_uri u;
	struct sip_str host;
	uint8_t type, addr[16];
	int32_t port;
	const char *end;

	if (sip_uri_parse(s, size, &u, NULL) == 0) {
		if (u.host.s != NULL && (u.host.s < s || u.host.s + u.host.len > s + size))
			abort();
		if (u.port > 65535)
			abort();
	}
	end = sip_hostport_parse(s, s + size, &host, &type, &port);
	if (end != NULL && (end > s + size || port > 65535))
		abort();
	sip_ipv6_parse(s, size, addr);
	sip_ipv4_parse(s, size, addr);
	return 0;
}
