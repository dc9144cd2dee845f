/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_build.c - libFuzzer harness: builder round trip. A message that parses is
 * rebuilt without changes; the result must parse to the same start line, the same
 * headers (but Content-Length) and the same body. It is then rebuilt with edits (new
 * top Via, Contact replaced, Route removed, a header appended, new body), which must
 * parse and show them.
 */
#include <stdlib.h>
#include <string.h>

#include "sip_build.h"
#include "sip_hdr.h"
#include "sip_msg.h"

static bool
same(struct sip_str a, struct sip_str b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.s, b.s, a.len) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sip_msg m, m2;
	struct sip_rebuild rb = { 0 };
	size_t cap = size + 1024;
	unsigned int i, j;
	char *out;
	int n;

	if (sip_parse(&m, (const char *)data, size, SIP_FRAME_DATAGRAM, NULL) < 0)
		return 0;
	/*
	 * The rebuilt message may gain up to four lines (Content-Length, the new Via, a
	 * Contact where there was none, X-Sbc): skip inputs so near the header limit that
	 * the parser would refuse the rebuild.
	 */
	if (m.n_hdrs + 4 > SIP_MAX_HEADERS)
		return 0;
	out = malloc(cap);
	if (out == NULL)
		return 0;
	n = sip_rebuild(&m, &rb, out, cap);
	if (n < 0)
		abort();
	if (sip_parse(&m2, out, (size_t)n, SIP_FRAME_DATAGRAM, NULL) < 0)
		abort();
	if (m2.kind != m.kind || !same(m2.method_str, m.method_str) || !same(m2.ruri, m.ruri) ||
			m2.status != m.status || !same(m2.body, m.body))
		abort();
	for (i = 0, j = 0; i < m.n_hdrs; i++) {
		if (m.hdrs[i].id == SIP_H_CONTENT_LENGTH)
			continue;
		if (j >= m2.n_hdrs || !same(m.hdrs[i].name, m2.hdrs[j].name) ||
				m.hdrs[i].id != m2.hdrs[j].id)
			abort();
		j++;
	}
	if (m2.n_hdrs != j + 1 || m2.hdrs[j].id != SIP_H_CONTENT_LENGTH)
		abort();

	{
		static const char via[] = "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKsbc1";
		static const char body[] = "v=0\r\n";
		const struct sip_edit edits[] = {
			{ SIP_EDIT_INSERT_FIRST, SIP_H_VIA, SIP_STR_NULL, { via, sizeof(via) - 1 } },
			{ SIP_EDIT_REPLACE, SIP_H_CONTACT, SIP_STR_NULL, { "<sip:sbc@192.0.2.1>", 19 } },
			{ SIP_EDIT_REMOVE, SIP_H_ROUTE, SIP_STR_NULL, SIP_STR_NULL },
			{ SIP_EDIT_APPEND, SIP_H_OTHER, { "X-Sbc", 5 }, { "1", 1 } },
		};
		struct sip_via v;

		rb.edits = edits;
		rb.n_edits = 4;
		rb.set_body = true;
		rb.body = (struct sip_str){ body, sizeof(body) - 1 };
		n = sip_rebuild(&m, &rb, out, cap);
		if (n < 0)
			abort();
		if (sip_parse(&m2, out, (size_t)n, SIP_FRAME_DATAGRAM, NULL) < 0 ||
				sip_hdr_first(&m2, SIP_H_ROUTE) != NULL ||
				sip_hdr_count(&m2, SIP_H_CONTACT) != 1 || m2.body.len != 5 ||
				sip_via_top(&m2, &v) < 0 || !same(v.branch, (struct sip_str){
									     "z9hG4bKsbc1", 11 }))
			abort();
	}
	free(out);
	return 0;
}
