/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_rtcp.c - RTCP scrubbing for topology hiding (dp_rtcp.h), without the EAL:
 *  - dp_rtcp_scrub on compound packets built here octet by octet and compared with the
 *    expected result built the same way: SR + SDES (CNAME, NAME, EMAIL); RR + SDES with
 *    several chunks (every item type, kept MID/RID, a chunk without CNAME, an empty
 *    chunk) + BYE with a reason; CNAMEs empty, shorter than, as long as and longer
 *    than the replacement, with every chunk alignment; padding on rewritten and copied
 *    packets; an APP packet copied as it is;
 *  - malformed compounds (lengths beyond the datagram, items beyond the chunk, missing
 *    null octets, leftovers, bad padding counts, BYE reasons of the wrong size, every
 *    truncation of a valid compound, random corruption) refused without reading out of
 *    bounds (ASan: inputs sit at the end of heap buffers of their exact size), and any
 *    accepted result scrubbed again unchanged in shape;
 *  - the opaque CNAME: base64, stable for one call and CNAME, different otherwise;
 *  - dp_relay_kind on the RTP port (rtcp-mux), the RTCP port and SRTP flows;
 *  - the relay path (dp_relay_kind, dp_rtcp_relay_scrub, dp_relay_rewrite, as
 *    dp_relay_input runs them) on IPv4 -> IPv4 and IPv6 -> IPv6 in place, IPv4 <-> IPv6
 *    and IPv6 with an extension header: IP lengths, IPv4 header checksum, UDP length
 *    and checksum checked from scratch; a zero IPv4 UDP checksum; an error in the
 *    received datagram still shows; trailers dropped; no room to grow; malformed RTCP
 *    leaves the packet untouched; SRTCP and RTP pass byte for byte.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "dp_flow.h"
#include "dp_parse.h"
#include "dp_relay.h"
#include "dp_rtcp.h"
#include "frames.h"
#include "test_prng.h"

#define MAXC 4096 /* largest compound built here */
#define CALL 4242

static const struct sbc_hash_key key = { 0x0123456789abcdefull, 0xfedcba9876543210ull };

/* ---- building compounds -------------------------------------------------------------- */

struct w {
	uint8_t b[MAXC];
	size_t n;
	size_t at; /* start of the packet being written */
};

static void
w_u8(struct w *w, uint8_t v)
{
	assert_true(w->n < sizeof(w->b));
	w->b[w->n++] = v;
}

static void
w_u32(struct w *w, uint32_t v)
{
	w_u8(w, (uint8_t)(v >> 24));
	w_u8(w, (uint8_t)(v >> 16));
	w_u8(w, (uint8_t)(v >> 8));
	w_u8(w, (uint8_t)v);
}

static void
w_mem(struct w *w, const void *p, size_t n)
{
	assert_true(w->n + n <= sizeof(w->b));
	memcpy(w->b + w->n, p, n);
	w->n += n;
}

/* Starts a packet: V=2, count, type; length written by w_end. */
static void
w_pkt(struct w *w, uint8_t count, uint8_t pt)
{
	w->at = w->n;
	w_u8(w, (uint8_t)(0x80 | count));
	w_u8(w, pt);
	w_u8(w, 0);
	w_u8(w, 0);
}

/* Ends a packet: sets its length (32-bit words, minus one). */
static void
w_end(struct w *w)
{
	size_t words;

	assert_int_equal((w->n - w->at) % 4, 0);
	words = (w->n - w->at) / 4 - 1;
	w->b[w->at + 2] = (uint8_t)(words >> 8);
	w->b[w->at + 3] = (uint8_t)words;
}

/* Ends a packet padded with pad octets (a multiple of 4 keeps it aligned). */
static void
w_end_pad(struct w *w, uint8_t pad)
{
	uint8_t i;

	for (i = 1; i < pad; i++)
		w_u8(w, 0);
	if (pad != 0) {
		w_u8(w, pad);
		w->b[w->at] |= 0x20;
	}
	w_end(w);
}

/* An SDES item with a text value. */
static void
w_item(struct w *w, uint8_t type, const char *s)
{
	size_t n = strlen(s);

	assert_true(n <= 255);
	w_u8(w, type);
	w_u8(w, (uint8_t)n);
	w_mem(w, s, n);
}

/* The null octet ending a chunk's items and the nulls to the next 32-bit boundary. */
static void
w_chunk_end(struct w *w)
{
	w_u8(w, 0);
	while ((w->n - w->at) % 4)
		w_u8(w, 0);
}

/* An SR with n report blocks (their content arbitrary but fixed). */
static void
w_sr(struct w *w, uint32_t ssrc, uint8_t n)
{
	unsigned int i;

	w_pkt(w, n, DP_RTCP_SR);
	w_u32(w, ssrc);
	for (i = 0; i < 5; i++)
		w_u32(w, 0xe1000000u + i); /* NTP, RTP timestamp, counts */
	for (i = 0; i < 6u * n; i++)
		w_u32(w, 0x5b000000u + i);
	w_end(w);
}

static void
w_rr(struct w *w, uint32_t ssrc, uint8_t n)
{
	unsigned int i;

	w_pkt(w, n, DP_RTCP_RR);
	w_u32(w, ssrc);
	for (i = 0; i < 6u * n; i++)
		w_u32(w, 0x7a000000u + i);
	w_end(w);
}

/* The opaque CNAME item for the text CNAME s. */
static void
w_cname_opaque(struct w *w, const char *s)
{
	char v[DP_RTCP_CNAME_LEN + 1];

	dp_rtcp_cname(&key, CALL, (const uint8_t *)s, (uint8_t)strlen(s), v);
	v[DP_RTCP_CNAME_LEN] = '\0';
	w_item(w, DP_SDES_CNAME, v);
}

/*
 * Scrubs the compound in w from the end of a heap buffer of its exact size (so ASan
 * sees any read past it) into another of cap octets. Returns the result's length or
 * the error; the result goes to out (MAXC octets).
 */
static int
scrub(const uint8_t *in, size_t n, uint8_t *out, uint32_t cap)
{
	uint8_t *src = malloc(n ? n : 1), *dst = malloc(cap ? cap : 1);
	int rc;

	assert_non_null(src);
	assert_non_null(dst);
	memcpy(src, in, n);
	rc = dp_rtcp_scrub(&key, CALL, src, (uint32_t)n, dst, cap);
	if (rc > 0)
		memcpy(out, dst, (size_t)rc);
	free(src);
	free(dst);
	return rc;
}

/* Scrubs got and compares with want. */
static void
chk_scrub(const struct w *got, const struct w *want)
{
	uint8_t out[MAXC];
	int n = scrub(got->b, got->n, out, MAXC);

	assert_int_equal(n, (int)want->n);
	assert_memory_equal(out, want->b, want->n);
}

/* No octet string s of length n in [p, p + len). */
static void
chk_absent(const uint8_t *p, size_t len, const char *s)
{
	size_t n = strlen(s), i;

	for (i = 0; i + n <= len; i++)
		assert_false(memcmp(p + i, s, n) == 0);
}

/* ---- the opaque CNAME ---------------------------------------------------------------- */

static void
test_cname(void **state)
{
	static const struct sbc_hash_key other_key = { 1, 2 };
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const uint8_t *alice = (const uint8_t *)"alice@192.168.1.20";
	char a[16], b[16], c[16], d[16], e[16];
	unsigned int i;

	(void)state;
	dp_rtcp_cname(&key, CALL, alice, 18, a);
	dp_rtcp_cname(&key, CALL, alice, 18, b);
	assert_memory_equal(a, b, 16); /* no state: the same every time */
	dp_rtcp_cname(&key, CALL + 1, alice, 18, c);
	dp_rtcp_cname(&other_key, CALL, alice, 18, d);
	dp_rtcp_cname(&key, CALL, alice, 17, e);
	assert_memory_not_equal(a, c, 16); /* another call */
	assert_memory_not_equal(a, d, 16); /* another key (process) */
	assert_memory_not_equal(a, e, 16); /* another CNAME */
	for (i = 0; i < 16; i++)
		assert_non_null(memchr(b64, a[i], 64));
	/* Empty and longest CNAMEs. */
	{
		uint8_t longest[255];

		memset(longest, 'x', sizeof(longest));
		dp_rtcp_cname(&key, CALL, longest, 255, a);
		dp_rtcp_cname(&key, CALL, longest, 0, b);
		assert_memory_not_equal(a, b, 16);
	}
}

/* ---- compounds ----------------------------------------------------------------------- */

/* SR + SDES (CNAME, NAME, EMAIL): the report as it was, the CNAME opaque, the rest gone. */
static void
test_sr_sdes(void **state)
{
	struct w in = { 0 }, want = { 0 };
	uint8_t out[MAXC];
	int n;

	(void)state;
	w_sr(&in, 0x11223344, 1);
	w_pkt(&in, 1, DP_RTCP_SDES);
	w_u32(&in, 0x11223344);
	w_item(&in, DP_SDES_CNAME, "alice@192.168.1.20");
	w_item(&in, DP_SDES_NAME, "Alice Liddell");
	w_item(&in, DP_SDES_EMAIL, "alice@example.com");
	w_chunk_end(&in);
	w_end(&in);

	w_sr(&want, 0x11223344, 1);
	w_pkt(&want, 1, DP_RTCP_SDES);
	w_u32(&want, 0x11223344);
	w_cname_opaque(&want, "alice@192.168.1.20");
	w_chunk_end(&want);
	w_end(&want);
	chk_scrub(&in, &want);

	n = scrub(in.b, in.n, out, MAXC);
	chk_absent(out, (size_t)n, "192.168");
	chk_absent(out, (size_t)n, "Alice");
	chk_absent(out, (size_t)n, "example.com");
	/* The SR (52 octets), then SDES: header 4, SSRC 4, CNAME 2 + 16, two nulls. */
	assert_int_equal(n, 52 + 28);
}

/*
 * RR + SDES with four chunks + BYE with a reason: every item type, MID and RID kept in
 * place, a chunk without CNAME, an empty chunk; the BYE keeps its SSRCs, not its reason.
 */
static void
test_rr_chunks_bye(void **state)
{
	struct w in = { 0 }, want = { 0 };
	uint8_t out[MAXC];
	int n;

	(void)state;
	w_rr(&in, 0xaabbccdd, 2);
	w_pkt(&in, 4, DP_RTCP_SDES);
	w_u32(&in, 0xaabbccdd);
	w_item(&in, DP_SDES_CNAME, "bob@10.0.0.7");
	w_item(&in, DP_SDES_TOOL, "baresip v1.0.0 (x86_64/linux)");
	w_item(&in, DP_SDES_PHONE, "+1 555 0100");
	w_item(&in, DP_SDES_LOC, "Office 3, 10.0.0.0/8");
	w_item(&in, DP_SDES_NOTE, "on a call from 10.0.0.7");
	w_item(&in, DP_SDES_MID, "audio");
	w_u8(&in, DP_SDES_PRIV); /* PRIV: prefix length, prefix, value */
	w_u8(&in, 12);
	w_u8(&in, 4);
	w_mem(&in, "host10.0.0.7", 11);
	w_item(&in, DP_SDES_H323_CADDR, "10.0.0.7:1720");
	w_item(&in, 99, "an item type nobody knows, 10.0.0.7");
	w_chunk_end(&in);
	w_u32(&in, 0x01020304); /* a CSRC: NAME only, no CNAME */
	w_item(&in, DP_SDES_NAME, "Carol");
	w_item(&in, DP_SDES_RTP_STREAM_ID, "hi");
	w_chunk_end(&in);
	w_u32(&in, 0x05060708); /* an empty chunk: four null octets */
	w_chunk_end(&in);
	w_u32(&in, 0x090a0b0c);
	w_item(&in, DP_SDES_CNAME, "dave@[fd00::7]");
	w_item(&in, DP_SDES_REPAIRED_RTP_STREAM_ID, "r1");
	w_chunk_end(&in);
	w_end(&in);
	w_pkt(&in, 2, DP_RTCP_BYE);
	w_u32(&in, 0xaabbccdd);
	w_u32(&in, 0x01020304);
	w_u8(&in, 17);
	w_mem(&in, "moved to 10.0.0.9", 17);
	w_u8(&in, 0);
	w_u8(&in, 0);
	w_end(&in);

	w_rr(&want, 0xaabbccdd, 2);
	w_pkt(&want, 4, DP_RTCP_SDES);
	w_u32(&want, 0xaabbccdd);
	w_cname_opaque(&want, "bob@10.0.0.7");
	w_item(&want, DP_SDES_MID, "audio");
	w_chunk_end(&want);
	w_u32(&want, 0x01020304);
	w_item(&want, DP_SDES_RTP_STREAM_ID, "hi");
	w_chunk_end(&want);
	w_u32(&want, 0x05060708);
	w_chunk_end(&want);
	w_u32(&want, 0x090a0b0c);
	w_cname_opaque(&want, "dave@[fd00::7]");
	w_item(&want, DP_SDES_REPAIRED_RTP_STREAM_ID, "r1");
	w_chunk_end(&want);
	w_end(&want);
	w_pkt(&want, 2, DP_RTCP_BYE);
	w_u32(&want, 0xaabbccdd);
	w_u32(&want, 0x01020304);
	w_end(&want);
	chk_scrub(&in, &want);

	n = scrub(in.b, in.n, out, MAXC);
	chk_absent(out, (size_t)n, "10.0.0");
	chk_absent(out, (size_t)n, "fd00");
	chk_absent(out, (size_t)n, "baresip");
	chk_absent(out, (size_t)n, "Carol");
	/* A BYE without a reason is copied as it is; an empty SDES too. */
	memset(&in, 0, sizeof(in));
	w_rr(&in, 1, 0);
	w_pkt(&in, 1, DP_RTCP_BYE);
	w_u32(&in, 1);
	w_end(&in);
	w_pkt(&in, 0, DP_RTCP_SDES);
	w_end(&in);
	chk_scrub(&in, &in);
}

/*
 * CNAMEs of every length from empty to 255 octets (shorter than, as long as and longer
 * than the replacement), after 0-3 octets of a kept item so that every chunk alignment
 * occurs, alone and followed by another chunk.
 */
static void
test_cname_lengths(void **state)
{
	char cname[256];
	unsigned int len, mid;

	(void)state;
	for (len = 0; len <= 255; len++) {
		memset(cname, 'a' + len % 26, len);
		cname[len] = '\0';
		for (mid = 0; mid < 4; mid++) {
			struct w in = { 0 }, want = { 0 };
			char m[4] = "abc";

			m[mid] = '\0'; /* a MID of 0-3 octets: 2-5 octets of item */
			w_rr(&in, 7, 0);
			w_pkt(&in, 2, DP_RTCP_SDES);
			w_u32(&in, 7);
			w_item(&in, DP_SDES_MID, m);
			w_item(&in, DP_SDES_CNAME, cname);
			w_chunk_end(&in);
			w_u32(&in, 8);
			w_item(&in, DP_SDES_CNAME, cname);
			w_item(&in, DP_SDES_NOTE, m);
			w_chunk_end(&in);
			w_end(&in);

			w_rr(&want, 7, 0);
			w_pkt(&want, 2, DP_RTCP_SDES);
			w_u32(&want, 7);
			w_item(&want, DP_SDES_MID, m);
			w_cname_opaque(&want, cname);
			w_chunk_end(&want);
			w_u32(&want, 8);
			w_cname_opaque(&want, cname);
			w_chunk_end(&want);
			w_end(&want);
			chk_scrub(&in, &want);
		}
	}
}

/*
 * Padding (P bit): a padded SDES or BYE comes out without it (still aligned), a padded
 * RR or APP is copied with it; APP data is left alone.
 */
static void
test_padding(void **state)
{
	struct w in = { 0 }, want = { 0 };

	(void)state;
	w_rr(&in, 3, 1);
	w_pkt(&in, 0, DP_RTCP_RR); /* another RR, padded */
	w_u32(&in, 3);
	w_end_pad(&in, 8);
	w_pkt(&in, 1, DP_RTCP_SDES);
	w_u32(&in, 3);
	w_item(&in, DP_SDES_CNAME, "x@192.0.2.10");
	w_chunk_end(&in);
	w_end_pad(&in, 4);
	w_pkt(&in, 1, DP_RTCP_APP);
	w_u32(&in, 3);
	w_mem(&in, "TEST", 4);
	w_mem(&in, "app data", 8);
	w_end_pad(&in, 12);
	w_pkt(&in, 1, DP_RTCP_BYE);
	w_u32(&in, 3);
	w_u8(&in, 2);
	w_mem(&in, "ok", 2);
	w_u8(&in, 0);
	w_end_pad(&in, 4);

	w_rr(&want, 3, 1);
	w_pkt(&want, 0, DP_RTCP_RR);
	w_u32(&want, 3);
	w_end_pad(&want, 8);
	w_pkt(&want, 1, DP_RTCP_SDES);
	w_u32(&want, 3);
	w_cname_opaque(&want, "x@192.0.2.10");
	w_chunk_end(&want);
	w_end(&want);
	w_pkt(&want, 1, DP_RTCP_APP);
	w_u32(&want, 3);
	w_mem(&want, "TEST", 4);
	w_mem(&want, "app data", 8);
	w_end_pad(&want, 12);
	w_pkt(&want, 1, DP_RTCP_BYE);
	w_u32(&want, 3);
	w_end(&want);
	chk_scrub(&in, &want);
}

/* A valid compound with a bit of everything, for the malformation tests. */
static void
w_sample(struct w *w)
{
	memset(w, 0, sizeof(*w));
	w_sr(w, 0x11223344, 1);
	w_pkt(w, 2, DP_RTCP_SDES);
	w_u32(w, 0x11223344);
	w_item(w, DP_SDES_CNAME, "alice@192.168.1.20");
	w_item(w, DP_SDES_NAME, "Alice");
	w_chunk_end(w);
	w_u32(w, 0x55667788);
	w_item(w, DP_SDES_CNAME, "b");
	w_chunk_end(w);
	w_end(w);
	w_pkt(w, 1, DP_RTCP_BYE);
	w_u32(w, 0x11223344);
	w_u8(w, 3);
	w_mem(w, "bye", 3);
	w_end_pad(w, 4);
}

static int
scrub_w(const struct w *w)
{
	uint8_t out[MAXC];

	return scrub(w->b, w->n, out, MAXC);
}

/* Malformed compounds: refused whole (-EBADMSG), never read beyond. */
static void
test_malformed(void **state)
{
	struct w w;
	size_t sdes, bye, i;
	uint8_t out[MAXC];

	(void)state;
	w_sample(&w);
	assert_true(scrub_w(&w) > 0);
	sdes = 28 + 24; /* offsets of the packets in the sample */
	bye = sdes + 4 + 4 + 20 + 7 + 1 + 4 + 3 + 1;
	assert_int_equal(w.b[sdes + 1], DP_RTCP_SDES);
	assert_int_equal(w.b[bye + 1], DP_RTCP_BYE);

	/* Every truncation but at a packet's end: a length goes beyond the datagram. */
	for (i = 0; i < w.n; i++)
		if (i == sdes || i == bye)
			assert_true(scrub(w.b, i, out, MAXC) > 0);
		else
			assert_int_equal(scrub(w.b, i, out, MAXC), -EBADMSG);
	/* Octets after the last packet; a datagram not a multiple of 4. */
	w.b[w.n++] = 0x80;
	w.b[w.n++] = 0;
	assert_int_equal(scrub_w(&w), -EBADMSG);

	/* A length beyond the datagram, in the first and in a later packet. */
	w_sample(&w);
	w.b[3] += 1;
	assert_int_equal(scrub_w(&w), -EBADMSG);
	w_sample(&w);
	w.b[bye + 3] = 0xff;
	assert_int_equal(scrub_w(&w), -EBADMSG);
	/* Version 1 in a later packet. */
	w_sample(&w);
	w.b[bye] = (uint8_t)((w.b[bye] & 0x3f) | 0x40);
	assert_int_equal(scrub_w(&w), -EBADMSG);
	/* An item beyond the chunk (the CNAME's length). */
	w_sample(&w);
	w.b[sdes + 9] = 200;
	assert_int_equal(scrub_w(&w), -EBADMSG);
	/* More chunks counted than present; fewer (octets left over). */
	w_sample(&w);
	w.b[sdes] = 0x83;
	assert_int_equal(scrub_w(&w), -EBADMSG);
	w_sample(&w);
	w.b[sdes] = 0x81;
	assert_int_equal(scrub_w(&w), -EBADMSG);
	/* Padding count 0, or beyond the packet. */
	w_sample(&w);
	w.b[w.n - 1] = 0;
	assert_int_equal(scrub_w(&w), -EBADMSG);
	w_sample(&w);
	w.b[w.n - 1] = 200;
	assert_int_equal(scrub_w(&w), -EBADMSG);
	/* ... and in packets that are copied (RR) or rewritten (SDES): into the header. */
	memset(&w, 0, sizeof(w));
	w_pkt(&w, 0, DP_RTCP_RR);
	w_u32(&w, 1);
	w_end_pad(&w, 4);
	assert_true(scrub_w(&w) > 0);
	w.b[w.n - 1] = 8; /* the SSRC and the count itself: allowed */
	assert_true(scrub_w(&w) > 0);
	w.b[w.n - 1] = 9;
	assert_int_equal(scrub_w(&w), -EBADMSG);
	memset(&w, 0, sizeof(w));
	w_pkt(&w, 0, DP_RTCP_SDES);
	w_end_pad(&w, 4);
	assert_true(scrub_w(&w) > 0);
	w.b[w.n - 1] = 5;
	assert_int_equal(scrub_w(&w), -EBADMSG);
	/* A BYE reason longer than its space. */
	w_sample(&w);
	w.b[bye + 8] = 4;
	assert_int_equal(scrub_w(&w), -EBADMSG);
	/* A BYE counting more sources than it holds. */
	w_sample(&w);
	w.b[bye] = (uint8_t)(w.b[bye] | 0x1f);
	assert_int_equal(scrub_w(&w), -EBADMSG);

	/* A chunk whose items run to the end of the packet without a null octet. */
	memset(&w, 0, sizeof(w));
	w_pkt(&w, 1, DP_RTCP_SDES);
	w_u32(&w, 1);
	w_item(&w, DP_SDES_CNAME, "ab"); /* 4 octets: the packet ends right after */
	w_end(&w);
	assert_int_equal(scrub_w(&w), -EBADMSG);
	/* A chunk whose SSRC is cut short. */
	memset(&w, 0, sizeof(w));
	w_rr(&w, 1, 0);
	w_pkt(&w, 2, DP_RTCP_SDES);
	w_u32(&w, 1);
	w_chunk_end(&w);
	w_end(&w);
	assert_int_equal(scrub_w(&w), -EBADMSG);
	/* Nothing at all, a header alone cut short. */
	assert_int_equal(scrub(w.b, 0, out, MAXC), -EBADMSG);
	assert_int_equal(scrub(w.b, 3, out, MAXC), -EBADMSG);
}

/*
 * Random corruption of valid compounds (one to four octets): never a read out of
 * bounds; whatever is accepted comes out as a compound that is accepted again and
 * holds no item but CNAME (of the replacement's length), MID, RID and RRID.
 */
static void
test_corruption(void **state)
{
	uint64_t seed = 20240611;
	unsigned int round, k;
	unsigned int accepted = 0, refused = 0;

	(void)state;
	for (round = 0; round < 20000; round++) {
		uint8_t out[MAXC], again[MAXC];
		unsigned int flips = 1 + (unsigned int)(test_prng_next(&seed) % 4);
		struct w w;
		int n, m;

		w_sample(&w);
		for (k = 0; k < flips; k++)
			w.b[test_prng_next(&seed) % w.n] = (uint8_t)test_prng_next(&seed);
		n = scrub(w.b, w.n, out, MAXC);
		if (n < 0) {
			assert_int_equal(n, -EBADMSG);
			refused++;
			continue;
		}
		accepted++;
		assert_int_equal(n % 4, 0);
		m = scrub(out, (size_t)n, again, MAXC);
		assert_int_equal(m, n);
		/* Walk the result: every SDES item is one the relay keeps. */
		{
			size_t off = 0;

			while (off < (size_t)n) {
				size_t plen = 4u * ((size_t)out[off + 2] << 8 | out[off + 3]) + 4;

				if (out[off + 1] == DP_RTCP_SDES) {
					size_t p = off + 4, end = off + plen;
					unsigned int c;

					assert_int_equal(out[off] & 0x20, 0);
					for (c = 0; c < (out[off] & 0x1fu); c++) {
						for (p += 4; out[p] != 0; p += 2u + out[p + 1]) {
							assert_true(out[p] == DP_SDES_CNAME ||
									out[p] == DP_SDES_MID ||
									out[p] == DP_SDES_RTP_STREAM_ID ||
									out[p] == DP_SDES_REPAIRED_RTP_STREAM_ID);
							if (out[p] == DP_SDES_CNAME)
								assert_int_equal(out[p + 1], DP_RTCP_CNAME_LEN);
						}
						p = (p - off + 4) / 4 * 4 + off;
					}
					assert_int_equal(p, end);
				}
				off += plen;
			}
		}
	}
	assert_true(accepted > 100);
	assert_true(refused > 100);
}

/* A result larger than the room given: -ENOSPC, at every size below the result's. */
static void
test_no_room(void **state)
{
	struct w in = { 0 };
	uint8_t out[MAXC];
	int n;
	uint32_t cap;

	(void)state;
	w_rr(&in, 1, 0);
	w_pkt(&in, 1, DP_RTCP_SDES);
	w_u32(&in, 1);
	w_item(&in, DP_SDES_CNAME, "a"); /* a chunk of 8 octets becomes one of 24 */
	w_chunk_end(&in);
	w_end(&in);
	n = scrub(in.b, in.n, out, MAXC);
	assert_int_equal(n, (int)in.n + 16);
	for (cap = 0; cap < (uint32_t)n; cap++)
		assert_int_equal(scrub(in.b, in.n, out, cap), -ENOSPC);
	assert_int_equal(scrub(in.b, in.n, out, (uint32_t)n), n);
}

/* ---- which datagrams are scrubbed ------------------------------------------------------ */

static void
test_kind(void **state)
{
	static const uint8_t rtp[12] = { 0x80, 0x00, 0x12, 0x34 };
	static const uint8_t rtp_m[12] = { 0x80, 0xe0 }; /* PT 96 with the marker: 224 */
	static const uint8_t sr[8] = { 0x80, 200, 0, 1 };
	static const uint8_t rr[8] = { 0x81, 201, 0, 1 };
	static const uint8_t stun[20] = { 0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42 };
	static const uint8_t dtls[13] = { 22, 0xfe, 0xfd };
	struct dp_flow_cfg c;

	(void)state;
	memset(&c, 0, sizeof(c));
	/* The RTP port of a plain RTP/AVP stream: RTCP multiplexed on it is scrubbed. */
	c.flags = DP_FLOW_RTP | DP_FLOW_RTCP_SCRUB;
	assert_int_equal(dp_relay_kind(&c, rtp, sizeof(rtp)), DP_MEDIA_RTP);
	assert_int_equal(dp_relay_kind(&c, rtp_m, sizeof(rtp_m)), DP_MEDIA_RTP);
	assert_int_equal(dp_relay_kind(&c, sr, sizeof(sr)), DP_MEDIA_RTCP);
	assert_int_equal(dp_relay_kind(&c, rr, sizeof(rr)), DP_MEDIA_RTCP);
	assert_int_equal(dp_relay_kind(&c, stun, sizeof(stun)), DP_MEDIA_OTHER);
	assert_int_equal(dp_relay_kind(&c, dtls, sizeof(dtls)), DP_MEDIA_OTHER);
	assert_int_equal(dp_relay_kind(&c, rtp, 11), DP_MEDIA_OTHER); /* too short for RTP */
	assert_int_equal(dp_relay_kind(&c, sr, 1), DP_MEDIA_OTHER);
	/* The RTCP port: RTCP scrubbed, anything else passes. */
	c.flags = DP_FLOW_RTCP_SCRUB;
	assert_int_equal(dp_relay_kind(&c, sr, sizeof(sr)), DP_MEDIA_RTCP);
	assert_int_equal(dp_relay_kind(&c, rtp, sizeof(rtp)), DP_MEDIA_OTHER);
	assert_int_equal(dp_relay_kind(&c, stun, sizeof(stun)), DP_MEDIA_OTHER);
	/* SRTP (SAVP): statistics on RTP, SRTCP untouched on either port. */
	c.flags = DP_FLOW_RTP;
	assert_int_equal(dp_relay_kind(&c, rtp, sizeof(rtp)), DP_MEDIA_RTP);
	assert_int_equal(dp_relay_kind(&c, sr, sizeof(sr)), DP_MEDIA_OTHER);
	c.flags = 0;
	assert_int_equal(dp_relay_kind(&c, sr, sizeof(sr)), DP_MEDIA_OTHER);
	assert_int_equal(dp_relay_kind(&c, rtp, sizeof(rtp)), DP_MEDIA_OTHER);
}

/* ---- the relay path ------------------------------------------------------------------ */

static const uint8_t out4_src[4] = { 198, 51, 100, 1 };
static const uint8_t out4_dst[4] = { 198, 51, 100, 10 };
static const uint8_t out6_src[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x0c, [15] = 1 };
static const uint8_t out6_dst[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x0c, [15] = 0x10 };

static uint16_t
t_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* How a datagram is framed. */
struct tf {
	int v6;
	int ext;          /* IPv6: a destination options header in front of UDP */
	int no_cksum;     /* IPv4: UDP checksum 0 */
	uint16_t extra;   /* IP payload octets after the UDP datagram */
	uint16_t trailer; /* octets after the IP packet */
};

/* The frame of a datagram from the access side to our relay port; returns its length. */
static size_t
b_frame(uint8_t *f, const struct tf *t, const uint8_t *pl, size_t n)
{
	static const uint8_t dstopts[8] = { IPPROTO_UDP, 0, 1, 4 };
	size_t l = t_eth(f, T_MAC_US, T_MAC_PEER, t->v6 ? 0x86dd : 0x0800, 0, 0);
	uint16_t ulen = (uint16_t)(8 + n);
	uint8_t *ip = f + l, *udp;
	size_t hl;
	uint32_t sum;

	if (t->v6) {
		hl = t_ip6(ip, T_IP6_PEER, T_IP6_US, t->ext ? IPPROTO_DSTOPTS : IPPROTO_UDP,
				(uint16_t)((t->ext ? 8 : 0) + ulen + t->extra), 57);
		if (t->ext) {
			memcpy(ip + hl, dstopts, sizeof(dstopts));
			hl += sizeof(dstopts);
		}
	} else {
		hl = t_ip4(ip, T_IP4_PEER, T_IP4_US, IPPROTO_UDP, (uint16_t)(ulen + t->extra));
	}
	udp = ip + hl;
	t_put16(udp, 40002);
	t_put16(udp + 2, 20001);
	t_put16(udp + 4, ulen);
	t_put16(udp + 6, 0);
	memcpy(udp + 8, pl, n);
	memset(udp + ulen, 0xa5, (size_t)t->extra + t->trailer);
	if (!(t->no_cksum && !t->v6)) {
		uint16_t c;

		sum = t->v6 ? t_sum(ip + 8, 32, 0) : t_sum(ip + 12, 8, 0);
		sum += IPPROTO_UDP + (uint32_t)ulen;
		c = t_fold(t_sum(udp, ulen, sum));
		t_put16(udp + 6, c ? c : 0xffff);
	}
	return l + hl + ulen + t->extra + t->trailer;
}

/* An mbuf over a heap buffer of exactly headroom + len + tailroom octets. */
static void
t_mbuf(struct rte_mbuf *m, const uint8_t *frame, size_t len, uint16_t tailroom)
{
	uint8_t *buf = malloc(RTE_PKTMBUF_HEADROOM + len + tailroom);

	assert_non_null(buf);
	memcpy(buf + RTE_PKTMBUF_HEADROOM, frame, len);
	memset(m, 0, sizeof(*m));
	m->buf_addr = buf;
	m->buf_len = (uint16_t)(RTE_PKTMBUF_HEADROOM + len + tailroom);
	m->data_off = RTE_PKTMBUF_HEADROOM;
	m->data_len = (uint16_t)len;
	m->pkt_len = (uint32_t)len;
	m->nb_segs = 1;
	rte_mbuf_refcnt_set(m, 1);
}

/* A rule sending from our core-side address to the callee, in family out_v6. */
static void
t_rule(struct dp_flow_cfg *c, int out_v6, uint8_t flags)
{
	memset(c, 0, sizeof(*c));
	c->out_v6 = (uint8_t)out_v6;
	c->has_dst = 1;
	c->flags = flags;
	c->call = CALL;
	memcpy(c->src_ip, out_v6 ? out6_src : out4_src, out_v6 ? 16 : 4);
	memcpy(c->dst_ip, out_v6 ? out6_dst : out4_dst, out_v6 ? 16 : 4);
	c->src_port = rte_cpu_to_be_16(30001);
	c->dst_port = rte_cpu_to_be_16(6001);
	dp_flow_rule_seal(c);
}

/*
 * The payload steps of dp_relay_input on m: the kind, the scrub of plain RTCP, the
 * rewrite. Returns SBC_DROP_NONE with *l3_len set, or the reason to drop; *kind says
 * which way the datagram went.
 */
static enum sbc_drop
t_relay(struct rte_mbuf *m, const struct dp_flow_cfg *c, uint16_t *l3_len,
		enum dp_media_kind *kind)
{
	static uint8_t scratch[65536];
	const uint8_t *frame = rte_pktmbuf_mtod(m, const uint8_t *);
	struct dp_pkt p;
	const uint8_t *payload;
	uint32_t plen;
	enum sbc_drop why;

	assert_int_equal(dp_parse(frame, rte_pktmbuf_data_len(m), 0, &p), SBC_DROP_NONE);
	payload = frame + p.l4_off + 8;
	plen = t_get16(frame + p.l4_off + 4) - 8u;
	*kind = dp_relay_kind(c, payload, plen);
	if (*kind == DP_MEDIA_RTCP) {
		why = dp_rtcp_relay_scrub(m, &p, p.l3 == DP_L3_IPV6, &key, c->call, scratch,
				sizeof(scratch));
		if (why != SBC_DROP_NONE)
			return why;
	}
	assert_int_equal(dp_relay_rewrite(m, &p, p.l3 == DP_L3_IPV6, c, l3_len), 0);
	return SBC_DROP_NONE;
}

/*
 * The packet in m (L3 at its start) is a valid datagram by rule c carrying want (n
 * octets): IP version, lengths and header checksum, UDP ports, length and checksum
 * (zero when zero is expected), mbuf lengths.
 */
static void
chk_sent(struct rte_mbuf *m, uint16_t l3_len, const struct dp_flow_cfg *c, const uint8_t *want,
		size_t n, int zero_cksum)
{
	const uint8_t *ip = rte_pktmbuf_mtod(m, const uint8_t *);
	size_t hl = c->out_v6 ? 40 : 20;
	const uint8_t *udp = ip + hl;
	uint32_t sum;

	assert_int_equal(l3_len, hl + 8 + n);
	assert_int_equal(rte_pktmbuf_data_len(m), l3_len);
	assert_int_equal(rte_pktmbuf_pkt_len(m), l3_len);
	if (c->out_v6) {
		assert_int_equal(ip[0] >> 4, 6);
		assert_int_equal(t_get16(ip + 4), 8 + n);
		assert_int_equal(ip[6], IPPROTO_UDP);
		assert_memory_equal(ip + 8, out6_src, 16);
		assert_memory_equal(ip + 24, out6_dst, 16);
		sum = t_sum(ip + 8, 32, 0);
	} else {
		assert_int_equal(ip[0], 0x45);
		assert_int_equal(t_get16(ip + 2), 20 + 8 + n);
		assert_int_equal(t_fold(t_sum(ip, 20, 0)), 0); /* header checksum */
		assert_memory_equal(ip + 12, out4_src, 4);
		assert_memory_equal(ip + 16, out4_dst, 4);
		sum = t_sum(ip + 12, 8, 0);
	}
	assert_int_equal(t_get16(udp), 30001);
	assert_int_equal(t_get16(udp + 2), 6001);
	assert_int_equal(t_get16(udp + 4), 8 + n);
	assert_memory_equal(udp + 8, want, n);
	if (zero_cksum) {
		assert_int_equal(t_get16(udp + 6), 0);
		return;
	}
	assert_int_not_equal(t_get16(udp + 6), 0);
	sum += IPPROTO_UDP + (uint32_t)(8 + n);
	assert_int_equal(t_fold(t_sum(udp, 8 + n, sum)), 0);
	if (c->out_v6)
		assert_int_equal(rte_ipv6_udptcp_cksum_verify((const struct rte_ipv6_hdr *)ip, udp), 0);
	else
		assert_int_equal(rte_ipv4_udptcp_cksum_verify((const struct rte_ipv4_hdr *)ip, udp), 0);
}

/* Relays compound in framed by t by rule c; checks the result carries its scrubbed form. */
static void
run_rtcp(const struct tf *t, const struct w *in, const struct dp_flow_cfg *c)
{
	uint8_t f[MAXC + 128], want[MAXC];
	size_t len = b_frame(f, t, in->b, in->n);
	enum dp_media_kind kind;
	struct rte_mbuf m;
	uint16_t l3_len = 0;
	int n = scrub(in->b, in->n, want, MAXC);

	assert_true(n > 0);
	t_mbuf(&m, f, len, 64);
	assert_int_equal(t_relay(&m, c, &l3_len, &kind), SBC_DROP_NONE);
	assert_int_equal(kind, DP_MEDIA_RTCP);
	chk_sent(&m, l3_len, c, want, (size_t)n, t->no_cksum && !t->v6 && !c->out_v6);
	free(m.buf_addr);
}

/* A compound that grows (short CNAME) and one that shrinks (long CNAME, NAME, BYE). */
static void
w_grows(struct w *w)
{
	memset(w, 0, sizeof(*w));
	w_sr(w, 0x11223344, 1);
	w_pkt(w, 1, DP_RTCP_SDES);
	w_u32(w, 0x11223344);
	w_item(w, DP_SDES_CNAME, "a@b");
	w_chunk_end(w);
	w_end(w);
}

static void
w_shrinks(struct w *w)
{
	memset(w, 0, sizeof(*w));
	w_rr(w, 0x11223344, 1);
	w_pkt(w, 1, DP_RTCP_SDES);
	w_u32(w, 0x11223344);
	w_item(w, DP_SDES_CNAME, "someone.with.a.long.user.name@192.0.2.10");
	w_item(w, DP_SDES_NAME, "Some One");
	w_chunk_end(w);
	w_end(w);
	w_pkt(w, 1, DP_RTCP_BYE);
	w_u32(w, 0x11223344);
	w_u8(w, 7);
	w_mem(w, "hang up", 7);
	w_end(w);
}

/*
 * Every path of the rewrite, with compounds that grow and shrink: IPv4 -> IPv4 and IPv6
 * -> IPv6 in place, IPv4 <-> IPv6 and IPv6 with an extension header through a new
 * header; on the RTP port (rtcp-mux) and the RTCP port; a zero IPv4 UDP checksum; IP
 * payload and Ethernet trailers after the datagram.
 */
static void
test_relay_paths(void **state)
{
	static const uint8_t flags[2] = { DP_FLOW_RTP | DP_FLOW_RTCP_SCRUB, DP_FLOW_RTCP_SCRUB };
	unsigned int in_v6, out_v6, ext, grow, fl, variant;

	(void)state;
	for (in_v6 = 0; in_v6 < 2; in_v6++)
		for (ext = 0; ext <= in_v6; ext++)
			for (out_v6 = 0; out_v6 < 2; out_v6++)
				for (grow = 0; grow < 2; grow++)
					for (fl = 0; fl < 2; fl++)
						for (variant = 0; variant < 3; variant++) {
							struct tf t = { .v6 = (int)in_v6, .ext = (int)ext };
							struct dp_flow_cfg c;
							struct w in;

							if (variant == 1 && in_v6)
								continue;
							t.no_cksum = variant == 1;
							if (variant == 2) {
								t.extra = 6;
								t.trailer = 10;
							}
							if (grow)
								w_grows(&in);
							else
								w_shrinks(&in);
							t_rule(&c, (int)out_v6, flags[fl]);
							run_rtcp(&t, &in, &c);
						}
}

/*
 * The UDP checksum of the scrubbed datagram, before the rewrite, computed as 0x0000:
 * sent as 0xffff (zero would mean "none" to the IPv4 rewrite), so the far side gets a
 * valid checksum in every direction. The SR's first word steers the sum there.
 */
static void
test_relay_cksum_zero(void **state)
{
	unsigned int dir;

	(void)state;
	for (dir = 0; dir < 4; dir++) {
		struct tf t = { .v6 = dir & 1 };
		uint8_t f[MAXC + 128], out[MAXC];
		struct dp_flow_cfg c;
		enum dp_media_kind kind;
		struct rte_mbuf m;
		uint16_t l3_len, w16;
		struct w in;
		uint32_t sum;
		int n;

		w_grows(&in);
		t_put16(in.b + 8, 0);
		n = scrub(in.b, in.n, out, MAXC);
		assert_true(n > 0);
		/* Pseudo-header and UDP header as they arrive, with the scrubbed length. */
		sum = t.v6 ? t_sum(T_IP6_PEER, 16, t_sum(T_IP6_US, 16, 0)) :
			     t_sum(T_IP4_PEER, 4, t_sum(T_IP4_US, 4, 0));
		sum += IPPROTO_UDP + 2u * (8u + (uint32_t)n) + 40002 + 20001;
		sum = t_sum(out, (size_t)n, sum);
		w16 = (uint16_t)(0xffff - (uint16_t)~t_fold(sum));
		t_put16(in.b + 8, w16);
		{
			size_t len = b_frame(f, &t, in.b, in.n);

			t_rule(&c, dir & 2 ? 1 : 0, DP_FLOW_RTCP_SCRUB);
			t_mbuf(&m, f, len, 64);
			assert_int_equal(t_relay(&m, &c, &l3_len, &kind), SBC_DROP_NONE);
			n = scrub(in.b, in.n, out, MAXC);
			chk_sent(&m, l3_len, &c, out, (size_t)n, 0);
			free(m.buf_addr);
		}
	}
}

/* An error in the received datagram still shows on the far side, in every direction. */
static void
test_relay_keeps_errors(void **state)
{
	unsigned int dir;

	(void)state;
	for (dir = 0; dir < 4; dir++) {
		struct tf t = { .v6 = dir & 1 };
		uint8_t f[MAXC + 128];
		struct dp_flow_cfg c;
		enum dp_media_kind kind;
		struct rte_mbuf m;
		uint16_t l3_len;
		struct w in;
		size_t len, hl = dir & 2 ? 40 : 20;
		const uint8_t *ip, *udp;
		uint32_t sum;

		w_grows(&in);
		len = b_frame(f, &t, in.b, in.n);
		f[len - in.n + 12] ^= 0x10; /* in the SR's sender information: copied */
		t_rule(&c, dir & 2 ? 1 : 0, DP_FLOW_RTCP_SCRUB);
		t_mbuf(&m, f, len, 64);
		assert_int_equal(t_relay(&m, &c, &l3_len, &kind), SBC_DROP_NONE);
		ip = rte_pktmbuf_mtod(&m, const uint8_t *);
		udp = ip + hl;
		sum = c.out_v6 ? t_sum(ip + 8, 32, 0) : t_sum(ip + 12, 8, 0);
		sum += IPPROTO_UDP + (uint32_t)t_get16(udp + 4);
		assert_int_not_equal(t_fold(t_sum(udp, t_get16(udp + 4), sum)), 0);
		free(m.buf_addr);
	}
}

/* Malformed RTCP, or RTCP with no room to grow: dropped, the packet not touched. */
static void
test_relay_refused(void **state)
{
	struct tf t = { 0 };
	uint8_t f[MAXC + 128];
	struct dp_flow_cfg c;
	enum dp_media_kind kind;
	struct rte_mbuf m;
	uint16_t l3_len;
	struct w in;
	size_t len;

	(void)state;
	t_rule(&c, 0, DP_FLOW_RTP | DP_FLOW_RTCP_SCRUB);
	w_sample(&in);
	in.b[28 + 24 + 9] = 200; /* an item beyond its chunk */
	len = b_frame(f, &t, in.b, in.n);
	t_mbuf(&m, f, len, 64);
	assert_int_equal(t_relay(&m, &c, &l3_len, &kind), SBC_DROP_MEDIA_RTCP_MALFORMED);
	assert_int_equal(rte_pktmbuf_data_len(&m), len);
	assert_memory_equal(rte_pktmbuf_mtod(&m, uint8_t *), f, len);
	free(m.buf_addr);

	/* Grows by 12 octets: with 11 octets of tailroom it cannot; with 12 it can. */
	w_grows(&in);
	len = b_frame(f, &t, in.b, in.n);
	t_mbuf(&m, f, len, 11);
	assert_int_equal(t_relay(&m, &c, &l3_len, &kind), SBC_DROP_MEDIA_RTCP_TOO_BIG);
	assert_int_equal(rte_pktmbuf_data_len(&m), len);
	assert_memory_equal(rte_pktmbuf_mtod(&m, uint8_t *), f, len);
	free(m.buf_addr);
	t_mbuf(&m, f, len, 12);
	assert_int_equal(t_relay(&m, &c, &l3_len, &kind), SBC_DROP_NONE);
	assert_int_equal(l3_len, 20 + 8 + in.n + 12);
	free(m.buf_addr);
}

/*
 * What is not plain RTCP passes byte for byte: SRTCP (an SAVP stream's rule has no
 * DP_FLOW_RTCP_SCRUB), RTP on a scrubbing rule, STUN on the RTCP port.
 */
static void
test_relay_untouched(void **state)
{
	static const uint8_t stun[20] = { 0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42, 1, 2 };
	uint64_t seed = 7;
	unsigned int i, out_v6;

	(void)state;
	for (out_v6 = 0; out_v6 < 2; out_v6++)
		for (i = 0; i < 3; i++) {
			uint8_t f[MAXC + 128], pl[200];
			struct tf t = { .v6 = (int)(i & 1) };
			struct dp_flow_cfg c;
			enum dp_media_kind kind;
			struct rte_mbuf m;
			uint16_t l3_len;
			size_t len, n, k;
			uint8_t flags;

			if (i == 0) {
				/* SRTCP: an SR header and SSRC in clear, the rest ciphertext + tag. */
				struct w in;

				w_grows(&in);
				n = in.n + 14;
				memcpy(pl, in.b, 8);
				for (k = 8; k < n; k++)
					pl[k] = (uint8_t)test_prng_next(&seed);
				pl[in.n] |= 0x80; /* the E flag */
				flags = DP_FLOW_RTP;
			} else if (i == 1) {
				n = 172; /* G.711 RTP, 20 ms */
				memset(pl, 0xd5, n);
				memcpy(pl, (const uint8_t[]){ 0x80, 0x00, 0x12, 0x34, 0, 0, 0x10, 0,
						0xca, 0xfe, 0xba, 0xbe }, 12);
				flags = DP_FLOW_RTP | DP_FLOW_RTCP_SCRUB;
			} else {
				n = sizeof(stun);
				memcpy(pl, stun, n);
				flags = DP_FLOW_RTCP_SCRUB;
			}
			len = b_frame(f, &t, pl, n);
			t_rule(&c, (int)out_v6, flags);
			t_mbuf(&m, f, len, 64);
			assert_int_equal(t_relay(&m, &c, &l3_len, &kind), SBC_DROP_NONE);
			assert_int_equal(kind, i == 1 ? DP_MEDIA_RTP : DP_MEDIA_OTHER);
			chk_sent(&m, l3_len, &c, pl, n, 0);
			free(m.buf_addr);
		}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cname),
		cmocka_unit_test(test_sr_sdes),
		cmocka_unit_test(test_rr_chunks_bye),
		cmocka_unit_test(test_cname_lengths),
		cmocka_unit_test(test_padding),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_corruption),
		cmocka_unit_test(test_no_room),
		cmocka_unit_test(test_kind),
		cmocka_unit_test(test_relay_paths),
		cmocka_unit_test(test_relay_cksum_zero),
		cmocka_unit_test(test_relay_keeps_errors),
		cmocka_unit_test(test_relay_refused),
		cmocka_unit_test(test_relay_untouched),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
