/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sip_peek.c - the first-line SIP check (sip_peek.h).
 *
 * The start line is found with one memchr and classified: a status line is "SIP/" (any
 * case), digits, '.', digits, SP and three digits; a request line is a method token,
 * whitespace, a Request-URI (a run of non-whitespace octets) and, further along the line,
 * a word starting "SIP/" (any case). Extra spaces and tabs, whitespace inside the
 * Request-URI, trailing whitespace and unknown versions all pass: the message layer
 * answers them. Header lines are then walked one memchr at a time up to the empty line;
 * only the first To header and the User-Agent headers are read. The To value goes
 * through a small state machine, one octet at a time and line by line across folds,
 * that skips quoted strings, <...> and [...] values, so that only a header parameter
 * named tag counts. User-Agent values are searched for scanner names, at most
 * SIP_PEEK_UA_SCAN octets per datagram.
 *
 * Any thread; no allocation, no global state but constant tables.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "sip_lex.h"
#include "sip_peek.h"

const char *const sip_peek_default_scanners[] = {
	"friendly-scanner",
	"sipvicious",
	"sipcli",
	"sip-scan",
	"VaxSIPUserAgent",
	"iWar",
	"SIVuS",
	"sundayddr",
	"smap",
	NULL,
};

int
sip_peek_names_init(struct sip_peek_names *names, const char *const *list)
{
	unsigned int i;

	if (names == NULL)
		return -EINVAL;
	names->n = 0;
	if (list == NULL)
		return -EINVAL;
	/* Validate everything, then commit. */
	for (i = 0; list[i] != NULL; i++) {
		size_t len = strnlen(list[i], SIP_PEEK_NAME_LEN);

		if (i >= SIP_PEEK_MAX_NAMES || len == 0 || len >= SIP_PEEK_NAME_LEN)
			return -EINVAL;
	}
	for (i = 0; list[i] != NULL; i++) {
		names->name[i] = list[i];
		names->len[i] = (uint8_t)strlen(list[i]);
	}
	names->n = i;
	return 0;
}

/* Returns c in lower case (ASCII letters only). */
static inline char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c | 0x20) : c;
}

/* Returns whether [p, end) starts with lit (n octets, lower case), in any case. */
static inline bool
icase_prefix(const char *p, const char *end, const char *lit, size_t n)
{
	size_t i;

	if ((size_t)(end - p) < n)
		return false;
	for (i = 0; i < n; i++)
		if (lower(p[i]) != lit[i])
			return false;
	return true;
}

/* Returns the first octet at or after p that is not SP or HTAB (or end). */
static inline const char *
skip_wsp(const char *p, const char *end)
{
	while (p < end && sip_is_wsp(*p))
		p++;
	return p;
}

/* Returns the first octet at or after p that is SP or HTAB (or end). */
static inline const char *
skip_word(const char *p, const char *end)
{
	while (p < end && !sip_is_wsp(*p))
		p++;
	return p;
}

/* Returns the end of 1*DIGIT at p, or p when there is no digit. */
static inline const char *
skip_digits(const char *p, const char *end)
{
	while (p < end && sip_is_digit(*p))
		p++;
	return p;
}

/* ---- start line ------------------------------------------------------------------------- */

/*
 * Status-Line [p, end) without its line end: "SIP/" 1*DIGIT "." 1*DIGIT SP 3DIGIT, then
 * whitespace or nothing. Returns SIP_PEEK_RESPONSE or SIP_PEEK_NO_START_LINE.
 */
static uint8_t
peek_status_line(const char *p, const char *end)
{
	const char *q;

	p += 4; /* "SIP/", checked by the caller */
	q = skip_digits(p, end);
	if (q == p || q >= end || *q != '.')
		return SIP_PEEK_NO_START_LINE;
	p = q + 1;
	q = skip_digits(p, end);
	if (q == p || end - q < 4 || *q != ' ')
		return SIP_PEEK_NO_START_LINE;
	p = q + 1;
	if (!sip_is_digit(p[0]) || !sip_is_digit(p[1]) || !sip_is_digit(p[2]))
		return SIP_PEEK_NO_START_LINE;
	if (end - p > 3 && !sip_is_wsp(p[3]))
		return SIP_PEEK_NO_START_LINE;
	return SIP_PEEK_RESPONSE;
}

/*
 * Request-Line [p, end) without its line end: a method token, whitespace, a Request-URI,
 * and then some word starting "SIP/" in any case. Returns SIP_PEEK_REQUEST (setting
 * out->invite) or SIP_PEEK_NO_START_LINE.
 */
static uint8_t
peek_request_line(const char *p, const char *end, struct sip_peek *out)
{
	const char *method_end = sip_scan(sip_c_token, p, end);
	const char *q;

	if (method_end == p || method_end >= end || !sip_is_wsp(*method_end))
		return SIP_PEEK_NO_START_LINE;
	q = skip_wsp(method_end, end);
	if (q >= end)
		return SIP_PEEK_NO_START_LINE; /* no Request-URI */
	q = skip_word(q, end);
	for (;;) {
		const char *w = skip_wsp(q, end);

		if (w >= end)
			return SIP_PEEK_NO_START_LINE;
		if (icase_prefix(w, end, "sip/", 4))
			break;
		q = skip_word(w, end);
	}
	out->invite = method_end - p == 6 && memcmp(p, "INVITE", 6) == 0;
	return SIP_PEEK_REQUEST;
}

/* ---- To --------------------------------------------------------------------------------- */

/* Where the To value reader is; a fold continues in the same state. */
enum to_state {
	TO_VALUE = 0, /* outside quotes, brackets and parameter names */
	TO_QUOTE,     /* inside "..." */
	TO_QESC,      /* after '\' inside "..." */
	TO_ANGLE,     /* inside <...> */
	TO_BRACKET,   /* inside a [...] parameter value */
	TO_PNAME_PRE, /* after ';', before the parameter name */
	TO_PNAME,     /* in a parameter name; tagi says how much of "tag" it matches */
	TO_PNAME_END, /* after a parameter name, before '=' */
	TO_PVAL_PRE,  /* after '=' of a parameter other than tag */
	TO_TAG_EQ,    /* after "tag" LWS "=" : a value octet makes the tag */
	TO_DONE,      /* a tag was found */
};

#define TAG_NO 0xff /* the parameter name is not "tag" */

struct to_reader {
	uint8_t state; /* enum to_state */
	uint8_t tagi;  /* octets of "tag" matched so far, or TAG_NO */
};

/* Returns the state that octet c leads to from TO_VALUE. */
static inline uint8_t
to_value(char c)
{
	switch (c) {
	case '"':
		return TO_QUOTE;
	case '<':
		return TO_ANGLE;
	case ';':
		return TO_PNAME_PRE;
	default:
		return TO_VALUE;
	}
}

/* Returns how much of "tag" a parameter name matches after octet c (tagi so far). */
static inline uint8_t
tag_match(uint8_t tagi, char c)
{
	return tagi < 3 && lower(c) == "tag"[tagi] ? (uint8_t)(tagi + 1) : TAG_NO;
}

/* Returns the state after octet c of a parameter name's end (its '=' or anything else). */
static inline uint8_t
to_pname_end(struct to_reader *r, char c)
{
	if (c == '=')
		return r->tagi == 3 ? TO_TAG_EQ : TO_PVAL_PRE;
	return to_value(c);
}

/* Returns the state after octet c: one step of the To value reader. */
static uint8_t
to_step(struct to_reader *r, char c)
{
	switch (r->state) {
	case TO_VALUE:
		return to_value(c);
	case TO_QUOTE:
		return c == '\\' ? TO_QESC : c == '"' ? TO_VALUE : TO_QUOTE;
	case TO_QESC:
		return TO_QUOTE;
	case TO_ANGLE:
		return c == '>' ? TO_VALUE : TO_ANGLE;
	case TO_BRACKET:
		return c == ']' ? TO_VALUE : TO_BRACKET;
	case TO_PNAME_PRE:
		if (sip_is_wsp(c))
			return TO_PNAME_PRE;
		if (!sip_c_token[(uint8_t)c])
			return to_value(c);
		r->tagi = tag_match(0, c);
		return TO_PNAME;
	case TO_PNAME:
		if (sip_c_token[(uint8_t)c]) {
			r->tagi = tag_match(r->tagi, c);
			return TO_PNAME;
		}
		return sip_is_wsp(c) ? TO_PNAME_END : to_pname_end(r, c);
	case TO_PNAME_END:
		return sip_is_wsp(c) ? TO_PNAME_END : to_pname_end(r, c);
	case TO_PVAL_PRE:
		if (sip_is_wsp(c))
			return TO_PVAL_PRE;
		return c == '[' ? TO_BRACKET : to_value(c);
	case TO_TAG_EQ:
		if (sip_is_wsp(c))
			return TO_TAG_EQ;
		return c == ';' || c == ',' ? to_value(c) : TO_DONE;
	default:
		return TO_DONE;
	}
}

/* Feeds the octets [p, end) of the To value to r. Returns whether a tag was found. */
static bool
to_feed(struct to_reader *r, const char *p, const char *end)
{
	for (; p < end && r->state != TO_DONE; p++)
		r->state = to_step(r, *p);
	return r->state == TO_DONE;
}

/* ---- User-Agent ------------------------------------------------------------------------- */

struct ua_reader {
	const struct sip_peek_names *names;
	unsigned int n;                    /* names in use */
	uint32_t first[8];                 /* bit set: some name starts with this octet */
	char first_of[SIP_PEEK_MAX_NAMES]; /* each name's first octet (lower case) */
	uint32_t budget;                   /* octets still to search */
	bool ready;                        /* first[] and first_of[] are built */
};

/*
 * Builds the first-octet filters of the names (once per datagram, when a User-Agent
 * comes); returns whether there is any name to look for.
 */
static bool
ua_prepare(struct ua_reader *u)
{
	const struct sip_peek_names *nm = u->names;
	unsigned int i;
	bool any = false;

	u->n = nm->n < SIP_PEEK_MAX_NAMES ? nm->n : SIP_PEEK_MAX_NAMES;
	memset(u->first, 0, sizeof(u->first));
	for (i = 0; i < u->n; i++) {
		uint8_t c = (uint8_t)lower(nm->name[i][0]);

		u->first_of[i] = (char)c;
		if (nm->len[i] == 0)
			continue;
		u->first[c >> 5] |= 1u << (c & 31);
		any = true;
	}
	u->ready = true;
	if (!any)
		u->budget = 0;
	return any;
}

/* Returns whether [p, end) holds a scanner name, searching at most u->budget octets. */
static bool
ua_search(struct ua_reader *u, const char *p, const char *end)
{
	const struct sip_peek_names *nm = u->names;
	const char *stop;

	if (!u->ready && !ua_prepare(u))
		return false;
	stop = (size_t)(end - p) > u->budget ? p + u->budget : end;
	u->budget -= (uint32_t)(stop - p);
	for (; p < stop; p++) {
		uint8_t c = (uint8_t)lower(*p);
		unsigned int i;

		if (!(u->first[c >> 5] & (1u << (c & 31))))
			continue;
		for (i = 0; i < u->n; i++) {
			size_t k, len = nm->len[i];

			if (u->first_of[i] != (char)c || len == 0 || (size_t)(end - p) < len)
				continue;
			for (k = 1; k < len && lower(p[k]) == lower(nm->name[i][k]); k++)
				;
			if (k == len)
				return true;
		}
	}
	return false;
}

/* ---- headers ---------------------------------------------------------------------------- */

/* ---- Call-ID and the top Via's branch -------------------------------------------------- */

/* Records [p, end) trimmed of whitespace as the Call-ID value, unless it is empty. */
static void
call_id_take(const char *buf, const char *p, const char *end, struct sip_peek *out)
{
	p = skip_wsp(p, end);
	while (end > p && sip_is_wsp(end[-1]))
		end--;
	if (end == p || end - buf > UINT16_MAX)
		return; /* empty here (the value may follow on a fold), or out of reach */
	out->call_id_off = (uint16_t)(p - buf);
	out->call_id_len = (uint16_t)(end - p);
}

/*
 * Finds the branch parameter in the first via-parm of a Via value [p, end): after a ';',
 * "branch" in any case, '=' between optional whitespace, then a token. Stops at the
 * first ',' (the next via-parm). Returns whether the via-parm ended on this line.
 */
static bool
via_branch(const char *buf, const char *p, const char *end, struct sip_peek *out)
{
	for (;;) {
		const char *semi = memchr(p, ';', (size_t)(end - p)), *q, *v, *e;

		/* The via-parm ends at a ',' before the next parameter. */
		if (memchr(p, ',', (size_t)((semi != NULL ? semi : end) - p)) != NULL)
			return true;
		if (semi == NULL)
			return false;
		p = semi + 1;
		q = skip_wsp(p, end);
		if (!icase_prefix(q, end, "branch", 6))
			continue;
		q = skip_wsp(q + 6, end);
		if (q >= end || *q != '=')
			continue;
		v = skip_wsp(q + 1, end);
		e = sip_scan(sip_c_token, v, end);
		if (e > v && e - buf <= UINT16_MAX) {
			out->branch_off = (uint16_t)(v - buf);
			out->branch_len = (uint16_t)(e - v);
		}
		return true;
	}
}

/* ---- headers ---------------------------------------------------------------------------- */

/* Which header the current line (and its folds) belongs to. */
enum peek_hdr {
	HDR_OTHER = 0,
	HDR_TO,
	HDR_UA,
	HDR_CALL_ID,
	HDR_VIA,
};

/* What the header walk has found so far. */
struct peek_seen {
	bool to, call_id, via;
};

/* Returns whether the name [p, end) is lit (n octets, lower case) or its compact letter. */
static inline bool
name_is(const char *p, size_t len, const char *lit, size_t n, char compact)
{
	return len == 1 ? lower(*p) == compact : len == n && icase_prefix(p, p + len, lit, n);
}

/*
 * Returns which header a name [p, end) is: the first To, Call-ID or Via, any
 * User-Agent, or another.
 */
static uint8_t
hdr_classify(const char *p, const char *end, const struct peek_seen *seen)
{
	size_t len = (size_t)(end - p);

	if (!seen->to && name_is(p, len, "to", 2, 't'))
		return HDR_TO;
	if (!seen->call_id && name_is(p, len, "call-id", 7, 'i'))
		return HDR_CALL_ID;
	if (!seen->via && name_is(p, len, "via", 3, 'v'))
		return HDR_VIA;
	if (len == 10 && icase_prefix(p, end, "user-agent", 10))
		return HDR_UA;
	return HDR_OTHER;
}

/*
 * Walks the header lines from p to the empty line (or end) and sets out->to_tag,
 * out->scanner, the Call-ID and the branch. Lines that are not "name [WSP] ':'" are
 * skipped, with their folds. buf is the datagram's start (offsets are from there).
 */
static void
peek_headers(const char *buf, const char *p, const char *end,
		const struct sip_peek_names *names, struct sip_peek *out)
{
	struct to_reader to = { TO_VALUE, TAG_NO };
	struct ua_reader ua = { .names = names,
		.budget = names != NULL && names->n > 0 ? SIP_PEEK_UA_SCAN : 0 };
	struct peek_seen seen = { false, false, false };
	bool via_done = false;
	uint8_t hdr = HDR_OTHER;

	while (p < end) {
		const char *lf = memchr(p, '\n', (size_t)(end - p));
		const char *next = lf != NULL ? lf + 1 : end;
		const char *cend = lf != NULL ? (lf > p && lf[-1] == '\r' ? lf - 1 : lf) : end;
		const char *name_end, *colon;

		if (cend == p)
			return; /* the empty line: the body is not ours */
		if (sip_is_wsp(*p)) {
			/* A fold: the previous header goes on. */
			colon = p - 1;
		} else {
			char c0 = lower(*p);

			/* Nothing more to learn once these are past and the search is over. */
			if (seen.to && seen.call_id && (seen.via || out->kind != SIP_PEEK_RESPONSE) &&
					(out->scanner || ua.budget == 0))
				return;
			/* Only these headers matter: other names are not even read. */
			hdr = HDR_OTHER;
			/*
			 * Many names start with c (Contact, Content-*, CSeq): only Call-ID is
			 * read further; To and Call-ID only until the first is found, Via only
			 * in a response (a request's is parsed whole by the transaction layer).
			 */
			if ((c0 == 't' && !seen.to) || c0 == 'u' ||
					(c0 == 'i' && !seen.call_id) ||
					(c0 == 'v' && !seen.via && out->kind == SIP_PEEK_RESPONSE) ||
					(c0 == 'c' && !seen.call_id &&
							icase_prefix(p, cend, "call-id", 7))) {
				name_end = sip_scan(sip_c_token, p, cend);
				colon = skip_wsp(name_end, cend);
				if (name_end > p && colon < cend && *colon == ':')
					hdr = hdr_classify(p, name_end, &seen);
			}
			seen.to |= hdr == HDR_TO;
			seen.call_id |= hdr == HDR_CALL_ID;
			seen.via |= hdr == HDR_VIA;
		}
		switch (hdr) {
		case HDR_TO:
			out->to_tag = to_feed(&to, colon + 1, cend);
			break;
		case HDR_UA:
			if (!out->scanner && ua.budget > 0)
				out->scanner = ua_search(&ua, colon + 1, cend);
			break;
		case HDR_CALL_ID:
			if (out->call_id_len == 0)
				call_id_take(buf, colon + 1, cend, out);
			break;
		case HDR_VIA:
			if (!via_done)
				via_done = via_branch(buf, colon + 1, cend, out);
			break;
		default:
			break;
		}
		p = next;
	}
}

int
sip_peek(const char *buf, uint32_t len, const struct sip_peek_names *names,
		struct sip_peek *out)
{
	const char *p = buf, *end, *lf, *cend;

	*out = (struct sip_peek){ .kind = SIP_PEEK_KEEPALIVE };
	if (len == 0)
		return out->kind;
	end = buf + len;
	while (p < end && (*p == '\r' || *p == '\n'))
		p++;
	if (p < end && sip_is_wsp(*p)) {
		/* Only whitespace is a keep-alive; whitespace before a start line is junk. */
		while (p < end && (sip_is_wsp(*p) || *p == '\r' || *p == '\n'))
			p++;
		if (p < end)
			out->kind = SIP_PEEK_NO_START_LINE;
		return out->kind;
	}
	if (p == end)
		return out->kind;
	out->kind = SIP_PEEK_NO_START_LINE;
	lf = memchr(p, '\n', (size_t)(end - p));
	if (lf == NULL)
		return out->kind; /* a start line longer than the datagram */
	cend = lf > p && lf[-1] == '\r' ? lf - 1 : lf;
	if (icase_prefix(p, cend, "sip/", 4))
		out->kind = peek_status_line(p, cend);
	else
		out->kind = peek_request_line(p, cend, out);
	if (out->kind == SIP_PEEK_NO_START_LINE)
		return out->kind;
	peek_headers(buf, lf + 1, end, names, out);
	return out->kind;
}
