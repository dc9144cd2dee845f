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

static inline bool
sip_is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

static inline bool
sip_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Skips LWS: spaces, tabs and line folds (CRLF or LF followed by a space or tab).
 * Header values keep their folds; this is how the parsers see through them.
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

/* Returns the end of the run of octets in table t starting at p (unrolled by four). */
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
 * Scans a quoted-string starting at the opening quote at p. Returns the position after
 * the closing quote, or NULL when it is not terminated (or holds a bare CR/LF that is
 * not a fold). *inner receives the text between the quotes, escapes kept.
 */
const char *sip_scan_quoted(const char *p, const char *end, struct sip_str *inner);

/*
 * Scans "%XX" escapes along with octets of table t; returns the end of the run, or
 * NULL when a '%' is not followed by two hex digits.
 */
const char *sip_scan_escaped(const uint8_t *t, const char *p, const char *end);

/*
 * Parses 1*DIGIT at [p, end) as an unsigned number no larger than max (at most
 * UINT32_MAX). Returns the position after the digits, or NULL (no digit, or above max;
 * leading zeros are fine).
 */
const char *sip_parse_uint(const char *p, const char *end, uint64_t max, uint64_t *out);

/* Trims LWS at both ends of a slice. */
struct sip_str sip_str_trim(struct sip_str s);

#endif /* SIP_LEX_H */
