/* SPDX-License-Identifier: BSD-3-Clause */
/* sip_lex.c - character tables and scanners (see sip_lex.h). Any thread. */
#include "sip_lex.h"

#define ALNUM ['0' ... '9'] = 1, ['A' ... 'Z'] = 1, ['a' ... 'z'] = 1
#define MARK ['-'] = 1, ['_'] = 1, ['.'] = 1, ['!'] = 1, ['~'] = 1, ['*'] = 1, ['\''] = 1, \
	     ['('] = 1, [')'] = 1

const uint8_t sip_c_token[256] = {
	ALNUM, ['-'] = 1, ['.'] = 1, ['!'] = 1, ['%'] = 1, ['*'] = 1, ['_'] = 1, ['+'] = 1,
	['`'] = 1, ['\''] = 1, ['~'] = 1,
};

const uint8_t sip_c_word[256] = {
	ALNUM, ['-'] = 1, ['.'] = 1, ['!'] = 1, ['%'] = 1, ['*'] = 1, ['_'] = 1, ['+'] = 1,
	['`'] = 1, ['\''] = 1, ['~'] = 1, ['('] = 1, [')'] = 1, ['<'] = 1, ['>'] = 1, [':'] = 1,
	['\\'] = 1, ['"'] = 1, ['/'] = 1, ['['] = 1, [']'] = 1, ['?'] = 1, ['{'] = 1, ['}'] = 1,
};

const uint8_t sip_c_unreserved[256] = { ALNUM, MARK };

const uint8_t sip_c_user[256] = {
	ALNUM, MARK, ['&'] = 1, ['='] = 1, ['+'] = 1, ['$'] = 1, [','] = 1, [';'] = 1, ['?'] = 1,
	['/'] = 1,
};

const uint8_t sip_c_password[256] = {
	ALNUM, MARK, ['&'] = 1, ['='] = 1, ['+'] = 1, ['$'] = 1, [','] = 1,
};

const uint8_t sip_c_param[256] = {
	ALNUM, MARK, ['['] = 1, [']'] = 1, ['/'] = 1, [':'] = 1, ['&'] = 1, ['+'] = 1, ['$'] = 1,
};

const uint8_t sip_c_hnv[256] = {
	ALNUM, MARK, ['['] = 1, [']'] = 1, ['/'] = 1, ['?'] = 1, [':'] = 1, ['+'] = 1, ['$'] = 1,
};

const uint8_t sip_c_genvalue[256] = {
	ALNUM, ['-'] = 1, ['.'] = 1, ['!'] = 1, ['%'] = 1, ['*'] = 1, ['_'] = 1, ['+'] = 1,
	['`'] = 1, ['\''] = 1, ['~'] = 1, [':'] = 1,
};

const uint8_t sip_c_noctl[256] = {
	[0x20 ... 0x7e] = 1, [0x80 ... 0xff] = 1,
};

const uint8_t sip_c_hex[256] = {
	['0' ... '9'] = 1, ['A' ... 'F'] = 1, ['a' ... 'f'] = 1,
};

const char *
sip_scan_quoted(const char *p, const char *end, struct sip_str *inner)
{
	const char *start = ++p;

	while (p < end) {
		char c = *p;

		if (c == '"') {
			inner->s = start;
			inner->len = (uint32_t)(p - start);
			return p + 1;
		}
		if (c == '\\') {
			/* quoted-pair: any octet but CR and LF */
			if (p + 1 >= end || p[1] == '\r' || p[1] == '\n')
				return NULL;
			p += 2;
			continue;
		}
		if (c == '\r' || c == '\n') {
			const char *q = sip_skip_lws(p, end);

			if (q == p)
				return NULL; /* a line end that is not a fold */
			p = q;
			continue;
		}
		p++;
	}
	return NULL;
}

const char *
sip_scan_escaped(const uint8_t *t, const char *p, const char *end)
{
	while (p < end) {
		if (t[(uint8_t)*p]) {
			p++;
		} else if (*p == '%') {
			if (end - p < 3 || !sip_c_hex[(uint8_t)p[1]] || !sip_c_hex[(uint8_t)p[2]])
				return NULL;
			p += 3;
		} else {
			break;
		}
	}
	return p;
}

const char *
sip_parse_uint(const char *p, const char *end, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	const char *start = p;

	/* max <= UINT32_MAX, so v * 10 + 9 stays far below 2^64 while v <= max. */
	while (p < end && sip_is_digit(*p)) {
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > max)
			return NULL;
		p++;
	}
	if (p == start)
		return NULL;
	*out = v;
	return p;
}

struct sip_str
sip_str_trim(struct sip_str s)
{
	const char *b = s.s, *e = s.s + s.len;

	b = sip_skip_lws(b, e);
	while (e > b && (uint8_t)e[-1] <= ' ' &&
			(sip_is_wsp(e[-1]) || e[-1] == '\r' || e[-1] == '\n'))
		e--;
	return (struct sip_str){ b, (uint32_t)(e - b) };
}
