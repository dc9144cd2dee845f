/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_sdp.c - libFuzzer harness: SDP parsing and rewriting. A description that parses
 * is rewritten the way the relay does (origin, connections, ports, RTCP, ICE stripped);
 * the result must parse again with the same media count and the new values, and a
 * too-small buffer must be refused without writing past it.
 */
#include <stdlib.h>
#include <string.h>

#include "sdp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sdp s, s2;
	struct sdp_rewrite rw = { 0 };
	size_t cap = size * 2 + 4096;
	char *out;
	int n, i;

	if (sdp_parse((const char *)data, size, &s) < 0)
		return 0;
	rw.origin_addr = "2001:db8::1";
	rw.origin_v6 = true;
	rw.origin_version = "2";
	rw.conn_addr = "192.0.2.1";
	rw.strip_ice = true;
	rw.n_media = s.n_media;
	for (i = 0; i < s.n_media; i++) {
		rw.media[i].set_port = true;
		rw.media[i].port = (uint16_t)(20000 + 2 * i);
		rw.media[i].set_rtcp = true;
		rw.media[i].rtcp_port = (uint16_t)(20001 + 2 * i);
		rw.media[i].conn_addr = i & 1 ? "2001:db8::2" : "198.51.100.1";
		rw.media[i].conn_v6 = i & 1;
	}
	out = malloc(cap);
	if (out == NULL)
		return 0;
	n = sdp_rewrite((const char *)data, size, &s, &rw, out, cap);
	if (n < 0 || (size_t)n > cap)
		abort();
	if (sdp_parse(out, (size_t)n, &s2) < 0 || s2.n_media != s.n_media)
		abort();
	for (i = 0; i < s2.n_media; i++)
		if (s2.media[i].port != (uint32_t)(20000 + 2 * i) || !s2.media[i].conn.present)
			abort();
	/* Too small: refused, nothing written past the end (ASan watches the copy). */
	if (n > 0) {
		char *small = malloc((size_t)n - 1 ? (size_t)n - 1 : 1);

		if (small != NULL && sdp_rewrite((const char *)data, size, &s, &rw, small,
						 (size_t)n - 1) != -1)
			abort();
		free(small);
	}
	free(out);
	return 0;
}
