/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_sip_peek.c - libFuzzer harness: the first-line SIP check (sip_peek.h) on arbitrary
 * input, with and without the default scanner list. Invariants: the kind is in range and
 * returned; the result is the same twice and the input unchanged; a request starts (after
 * CR and LF) with a method token octet and a keep-alive holds only whitespace; what is not
 * a request or response has no flags; the names change only the scanner flag; and what
 * the message layer accepts is classed the same here, with the same INVITE and To tag.
 */
#include <stdlib.h>
#include <string.h>

#include "sip_hdr.h"
#include "sip_lex.h"
#include "sip_msg.h"
#include "sip_peek.h"

static struct sip_peek_names names;
static struct sip_msg msg;

/* Checks what the message layer makes of the input against the peek p. */
static void
against_parser(const char *buf, size_t size, const struct sip_peek *p)
{
	struct sip_addr to;

	if (sip_parse(&msg, buf, size, SIP_FRAME_DATAGRAM, NULL) != 0)
		return;
	if (p->kind != (msg.kind == SIP_KIND_REQUEST ? SIP_PEEK_REQUEST : SIP_PEEK_RESPONSE))
		abort();
	if (p->invite != (msg.kind == SIP_KIND_REQUEST && msg.method == SIP_M_INVITE))
		abort();
	if (sip_to(&msg, &to) == 0 && p->to_tag != to.has_tag)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct sip_peek a, b, c;
	uint8_t *copy;
	size_t i;
	int kind;

	if (size > UINT32_MAX)
		return 0;
	if (names.n == 0 && sip_peek_names_init(&names, sip_peek_default_scanners) != 0)
		abort();
	copy = malloc(size ? size : 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);

	kind = sip_peek(buf, (uint32_t)size, &names, &a);
	if (kind != a.kind || a.kind > SIP_PEEK_NO_START_LINE)
		abort();
	sip_peek(buf, (uint32_t)size, &names, &b);
	if (memcmp(&a, &b, sizeof(a)) != 0 || memcmp(copy, data, size) != 0)
		abort();
	sip_peek(buf, (uint32_t)size, NULL, &c);
	if (c.kind != a.kind || c.invite != a.invite || c.to_tag != a.to_tag || c.scanner)
		abort();
	free(copy);

	for (i = 0; i < size && (buf[i] == '\r' || buf[i] == '\n'); i++)
		;
	switch (a.kind) {
	case SIP_PEEK_REQUEST:
		if (i == size || !sip_c_token[data[i]])
			abort();
		break;
	case SIP_PEEK_RESPONSE:
		if (a.invite)
			abort();
		break;
	default:
		if (a.invite || a.to_tag || a.scanner)
			abort();
		if (a.kind == SIP_PEEK_KEEPALIVE)
			for (; i < size; i++)
				if (!sip_is_wsp(buf[i]) && buf[i] != '\r' && buf[i] != '\n')
					abort();
		break;
	}
	against_parser(buf, size, &a);
	return 0;
}
