/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sip_lex.h - character classes of RFC 3261 section 25 and the small scanners every
 * SIP parser here shares: whitespace and folded lines (LWS), tokens, quoted strings,
 * numbers. All work inside explicit [p, end) bounds and return where they stopped.
 * Tables are constant; any thread.
 */
#ifndef SIP_LEX_H
#define SIP_LEX_H

#include <stdbool.h>
#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "sip_msg.h"

/* Membership tables, indexed by octet. */
extern const uint8_t sip_c_token[256];      /* token */
extern const uint8_t sip_c_word[256];       /* word (Call-ID) */
extern const uint8_t sip_c_unreserved[256]; /* unreserved */
extern const uint8_t sip_c_user[256];       /* unreserved / user-unreserved */
extern const uint8_t sip_c_password[256];   /* unreserved / & = + $ , */
extern const uint8_t sip_c_param[256];      /* unreserved / param-unreserved */
extern const uint8_t sip_c_hnv[256];        /* unreserved / hnv-unreserved */
extern const uint8_t sip_c_hex[256];        /* HEXDIG */
extern const uint8_t sip_c_genvalue[256];   /* token / ':' (gen-value without quotes) */
extern const uint8_t sip_c_noctl[256];      /* not a control octet: 0x20-0x7e, 0x80-0xff */

/* Returns whether c is WSP (space or tab). Any thread. */
static inline bool
sip_is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

/* Returns whether c is an ASCII digit. Any thread. */
static inline bool
sip_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Skips LWS: spaces, tabs and line folds (CRLF or LF followed by a space or tab), and
 * returns the first position after them. Header values keep their folds; this is how the
 * parsers see through them. Any thread.
 */
static inline const char *
sip_skip_lws(const char *p, const char *end)
{
	/* SP, HT, CR and LF are all <= 0x20: one comparison lets every other octet out. */
	while (p < end && (uint8_t)*p <= ' ') {
		if (sip_is_wsp(*p))
			p++;
		else if (*p == '\r' && end - p > 2 && p[1] == '\n' && sip_is_wsp(p[2]))
			p += 3;
		else if (*p == '\n' && end - p > 1 && sip_is_wsp(p[1]))
			p += 2;
		else
			break;
	}
	return p;
}

/* Returns the end of the run of octets in table t starting at p (unrolled by four). Any thread. */
static inline const char *
sip_scan(const uint8_t *t, const char *p, const char *end)
{
	while (end - p >= 4) {
		if (!t[(uint8_t)p[0]])
			return p;
		if (!t[(uint8_t)p[1]])
			return p + 1;
		if (!t[(uint8_t)p[2]])
			return p + 2;
		if (!t[(uint8_t)p[3]])
			return p + 3;
		p += 4;
	}
	while (p < end && t[(uint8_t)*p])
		p++;
	return p;
}

/*
 * Returns the first control octet (0x00-0x1f, HTAB, CR and LF included, or DEL 0x7f) at
 * or after p, or end. This is how sip_parse finds line ends, and it sees every other
 * control octet of a line on the way, so refusing them costs no pass of its own. SSE2
 * looks at 16 octets per step (x86-64 always has it); elsewhere, and for the last 15
 * octets of the buffer, the table sip_c_noctl does it one octet at a time. Any thread.
 */
static inline const char *
sip_scan_ctl(const char *p, const char *end)
{
#if defined(__SSE2__)
	/*
	 * XOR 0x3f maps the 33 control octets onto 0x20-0x40 (0x00-0x1f reversed, then
	 * DEL), adding 0x3f moves that onto 0x5f-0x7f, the top of the signed range: one
	 * signed comparison then picks exactly them, with no copy of the octets.
	 */
	const __m128i flip = _mm_set1_epi8(0x3f);
	const __m128i low = _mm_set1_epi8(0x5e);

	if (end - p >= 16) {
		const char *last = end - 16;

		do {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
			unsigned int mask;

			v = _mm_add_epi8(_mm_xor_si128(v, flip), flip);
			mask = (unsigned int)_mm_movemask_epi8(_mm_cmpgt_epi8(v, low));
			if (mask != 0)
				return p + __builtin_ctz(mask);
			p += 16;
		} while (p <= last);
	}
#endif
	return sip_scan(sip_c_noctl, p, end);
}

/*
 * Scans a quoted-string starting at the opening quote at p. Returns the position after
 * the closing quote, or NULL when it is not terminated (or holds a bare CR/LF that is
 * not a fold). *inner receives the text between the quotes, escapes kept. Any thread.
 */
const char *sip_scan_quoted(const char *p, const char *end, struct sip_str *inner);

/*
 * Scans "%XX" escapes along with octets of table t; returns the end of the run, or
 * NULL when a '%' is not followed by two hex digits. Any thread.
 */
const char *sip_scan_escaped(const uint8_t *t, const char *p, const char *end);

/*
 * Parses 1*DIGIT at [p, end) as an unsigned number no larger than max (at most
 * UINT32_MAX). Returns the position after the digits, or NULL (no digit, or above max;
 * leading zeros are fine). Any thread.
 */
const char *sip_parse_uint(const char *p, const char *end, uint64_t max, uint64_t *out);

/* Returns the slice s without the LWS at either end. Any thread. */
struct sip_str sip_str_trim(struct sip_str s);

#endif /* SIP_LEX_H */
