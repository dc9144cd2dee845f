/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sip_parse.c - start line, header index and framing of a SIP message (sip_msg.h).
 *
 * One pass: each physical line is found with sip_scan_ctl, which stops at any control
 * octet, so the line end and a control octet inside the line (refused, see sip_msg.h)
 * come out of the same scan. A line starting with SP or HT continues the previous header
 * (folding); otherwise it is "name [WSP] : value". The name is classified once (long or
 * compact form, any case) and the header linked into its id's chain, so later lookups
 * are O(1). The start line is strict (single spaces, SIP/2.0), as an SBC must not pass
 * on what it cannot re-serialise faithfully.
 *
 * A control octet in a header value is rare and almost always refused; the one legal
 * case, the escaped octet of a quoted-pair, needs to know whether it stands inside a
 * quoted-string or comment, so only a line holding one is walked octet by octet (struct
 * qp_walk), resuming where the walk of the same header stopped: linear in the header.
 * Any thread; no allocation.
 */
#include <strings.h>

#include "sip_lex.h"
#include "sip_msg.h"

const struct sip_limits sip_default_limits = {
	.max_msg = SIP_DEFAULT_MAX_MSG,
	.max_headers = SIP_MAX_HEADERS,
	.max_line = SIP_DEFAULT_MAX_LINE,
};

#define SIP_X_NAME(sym, name, compact) [SIP_H_##sym] = name,
static const char *const hdr_names[SIP_H_MAX] = { SIP_HEADERS(SIP_X_NAME) };
#undef SIP_X_NAME

#define SIP_X_COMPACT(sym, name, compact) [SIP_H_##sym] = compact,
static const char hdr_compact[SIP_H_MAX] = { SIP_HEADERS(SIP_X_COMPACT) };
#undef SIP_X_COMPACT

#define SIP_X_LEN(sym, name, compact) [SIP_H_##sym] = sizeof(name) - 1,
static const uint8_t hdr_name_len[SIP_H_MAX] = { SIP_HEADERS(SIP_X_LEN) };
#undef SIP_X_LEN

#define SIP_X_NAME(sym, name) [SIP_ERR_##sym] = name,
static const char *const cause_names[SIP_ERR_MAX] = { SIP_ERR_CAUSES(SIP_X_NAME) };
#undef SIP_X_NAME

#define SIP_X_NAME(m) [SIP_M_##m] = #m,
static const char *const method_names[SIP_M_MAX] = { SIP_METHODS(SIP_X_NAME) };
#undef SIP_X_NAME

#define SIP_X_LEN(m) [SIP_M_##m] = sizeof(#m) - 1,
static const uint8_t method_len[SIP_M_MAX] = { SIP_METHODS(SIP_X_LEN) };
#undef SIP_X_LEN

bool
sip_str_icase(struct sip_str a, const char *s)
{
	size_t n = strlen(s);

	return a.len == n && strncasecmp(a.s, s, n) == 0;
}

const char *
sip_hdr_name(enum sip_hdr_id id)
{
	return (unsigned int)id < SIP_H_MAX ? hdr_names[id] : NULL;
}

const char *
sip_err_cause_name(enum sip_err_cause c)
{
	return (unsigned int)c < SIP_ERR_MAX ? cause_names[c] : NULL;
}

const char *
sip_method_name(enum sip_method m)
{
	return (unsigned int)m < SIP_M_MAX ? method_names[m] : NULL;
}

enum sip_method
sip_method_lookup(const char *s, size_t len)
{
	unsigned int i;

	/* Methods are case-sensitive; length and first letter sort them quickly. */
	for (i = 1; i < SIP_M_MAX; i++)
		if (method_len[i] == len && method_names[i][0] == s[0] &&
				memcmp(method_names[i], s, len) == 0)
			return (enum sip_method)i;
	return SIP_M_OTHER;
}

/*
 * Header names indexed by (length, first letter): each slot holds the first id with that
 * shape and hdr_same[] chains the rest, so a lookup compares one or two names. Built once
 * before main() from the X-macro list; read-only afterwards.
 */
#define NAME_MAX_LEN 24
static uint8_t hdr_by_shape[NAME_MAX_LEN][32];
static uint8_t hdr_same[SIP_H_MAX];
static uint8_t hdr_by_compact[32];

static void __attribute__((constructor))
hdr_index_build(void)
{
	int i;

	for (i = SIP_H_MAX - 1; i >= 1; i--) {
		uint8_t *slot = &hdr_by_shape[hdr_name_len[i]][hdr_names[i][0] & 31];

		hdr_same[i] = *slot;
		*slot = (uint8_t)i;
		if (hdr_compact[i])
			hdr_by_compact[hdr_compact[i] & 31] = (uint8_t)i;
	}
}

enum sip_hdr_id
sip_hdr_lookup(const char *name, size_t len)
{
	unsigned int id;

	if (len == 0 || len >= NAME_MAX_LEN || !((name[0] | 0x20) >= 'a' && (name[0] | 0x20) <= 'z'))
		return SIP_H_OTHER;
	if (len == 1)
		return (enum sip_hdr_id)hdr_by_compact[name[0] & 31];
	for (id = hdr_by_shape[len][name[0] & 31]; id != 0; id = hdr_same[id]) {
		const char *n = hdr_names[id];
		size_t k = 0;

		/*
		 * Known names are letters and '-': OR-ing 0x20 folds the case of both, eight
		 * octets at a time while they last.
		 */
		if (len >= 8) {
			/* Whole words, the last one overlapping the one before. */
			const uint64_t fold = 0x2020202020202020ull;
			uint64_t a, b;

			for (k = 0;; k += 8) {
				if (k + 8 > len)
					k = len - 8;
				memcpy(&a, name + k, 8);
				memcpy(&b, n + k, 8);
				if ((a | fold) != (b | fold) || k + 8 == len)
					break;
			}
			if ((a | fold) == (b | fold))
				return (enum sip_hdr_id)id;
			continue;
		}
		for (; k < len && (n[k] | 0x20) == (name[k] | 0x20); k++)
			;
		if (k == len)
			return (enum sip_hdr_id)id;
	}
	return SIP_H_OTHER;
}

unsigned int
sip_hdr_count(const struct sip_msg *m, enum sip_hdr_id id)
{
	const struct sip_hdr *h;
	unsigned int n = 0;

	for (h = sip_hdr_first(m, id); h != NULL; h = sip_hdr_next(m, h))
		n++;
	return n;
}

static int
fail(struct sip_msg *m, uint16_t status, const char *reason)
{
	/* Responses are never answered: a bad one is only discarded. */
	m->err.status = m->kind == SIP_KIND_RESPONSE ? 0 : status;
	m->err.reason = reason;
	m->err.cause = SIP_ERR_OTHER;
	return -1;
}

/* A control octet where the grammar has none: 400 (requests), counted apart. */
static int
fail_ctl(struct sip_msg *m, const char *reason)
{
	fail(m, 400, reason);
	m->err.cause = SIP_ERR_CONTROL_CHAR;
	return -1;
}

/*
 * Names the part of the Request-Line [p, end) that holds the control octet at ctl: the
 * method before the first SP, the version after the last one (when there are two).
 */
static const char *
request_line_ctl(const char *p, const char *end, const char *ctl)
{
	const char *sp1 = memchr(p, ' ', (size_t)(end - p)), *sp2 = end - 1;

	if (sp1 == NULL || ctl < sp1)
		return "Control Character in Method";
	while (sp2 > sp1 && *sp2 != ' ')
		sp2--;
	return sp2 > sp1 && ctl > sp2 ? "Control Character in SIP-Version" :
					"Control Character in Request-URI";
}

/* Names the part of the Status-Line [p, end) that holds the control octet at ctl. */
static const char *
status_line_ctl(const char *p, const char *end, const char *ctl)
{
	const char *sp = memchr(p, ' ', (size_t)(end - p));

	if (sp == NULL || ctl < sp)
		return "Control Character in SIP-Version";
	return ctl <= sp + 3 ? "Control Character in Status-Code" :
			       "Control Character in Reason-Phrase";
}

/* SIP-Version = "SIP/" 1*DIGIT "." 1*DIGIT, "SIP" case-insensitive. 0 ok, 1 other, -1 bad */
static int
check_version(struct sip_str v)
{
	const char *p = v.s, *end = v.s + v.len;
	const char *q;

	if (v.len < 5 || strncasecmp(p, "SIP/", 4) != 0)
		return -1;
	for (p += 4, q = p; p < end && sip_is_digit(*p); p++)
		;
	if (p == q || p >= end || *p != '.')
		return -1;
	q = ++p;
	while (p < end && sip_is_digit(*p))
		p++;
	if (p == q || p != end)
		return -1;
	return v.len == 7 && memcmp(v.s + 4, "2.0", 3) == 0 ? 0 : 1;
}

/*
 * Request-Line = Method SP Request-URI SP SIP-Version: exactly two single spaces, no
 * control octet (ctl: the first one, or NULL; HTAB is whitespace, refused as such).
 */
static int
parse_request_line(struct sip_msg *m, const char *p, const char *end, const char *ctl)
{
	const char *sp1, *sp2;
	int v;

	m->kind = SIP_KIND_REQUEST;
	sp1 = sip_scan(sip_c_token, p, end);
	if (sp1 > p && sp1 < end && *sp1 == ' ') {
		/* Known even when the rest is refused: an ACK is never answered. */
		m->method_str = (struct sip_str){ p, (uint32_t)(sp1 - p) };
		m->method = (uint8_t)sip_method_lookup(p, (size_t)(sp1 - p));
	}
	if (ctl != NULL)
		return fail_ctl(m, request_line_ctl(p, end, ctl));
	if (m->method_str.s == NULL)
		return fail(m, 400, "Malformed Request-Line");
	if (end[-1] == ' ' || end[-1] == '\t')
		return fail(m, 400, "SP at End of Request-Line");
	/* The version is the last element; what lies between is the Request-URI. */
	sp2 = end - 1;
	while (sp2 > sp1 && *sp2 != ' ')
		sp2--;
	if (sp2 == sp1 || sp1[1] == ' ' || sp2[-1] == ' ')
		return fail(m, 400, sp2 == sp1 ? "Malformed Request-Line" :
						 "Multiple SP in Request-Line");
	m->ruri = (struct sip_str){ sp1 + 1, (uint32_t)(sp2 - sp1 - 1) };
	m->version = (struct sip_str){ sp2 + 1, (uint32_t)(end - sp2 - 1) };
	if (memchr(m->ruri.s, ' ', m->ruri.len) != NULL || memchr(m->ruri.s, '\t', m->ruri.len))
		return fail(m, 400, "Whitespace Inside Request-URI");
	v = check_version(m->version);
	if (v < 0)
		return fail(m, 400, "Malformed SIP-Version");
	if (v > 0)
		return fail(m, 505, "Version Not Supported");
	return 0;
}

/*
 * Status-Line = SIP-Version SP Status-Code SP Reason-Phrase, no control octet but HTAB
 * in the Reason-Phrase (ctl: the first other one, or NULL).
 */
static int
parse_status_line(struct sip_msg *m, const char *p, const char *end, const char *ctl)
{
	const char *sp = memchr(p, ' ', (size_t)(end - p));

	m->kind = SIP_KIND_RESPONSE;
	if (ctl != NULL)
		return fail_ctl(m, status_line_ctl(p, end, ctl));
	if (sp == NULL)
		return fail(m, 0, "Malformed Status-Line");
	m->version = (struct sip_str){ p, (uint32_t)(sp - p) };
	if (check_version(m->version) != 0)
		return fail(m, 0, "Unsupported SIP-Version in Status-Line");
	p = sp + 1;
	if (end - p < 3 || !sip_is_digit(p[0]) || !sip_is_digit(p[1]) || !sip_is_digit(p[2]) ||
			(end - p > 3 && p[3] != ' '))
		return fail(m, 0, "Malformed Status-Code");
	m->status = (uint16_t)((p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0'));
	if (m->status < 100 || m->status > 699)
		return fail(m, 0, "Status-Code Out of Range");
	/* The SP before an empty reason phrase is tolerated missing (liberal receiver). */
	m->reason = end - p > 3 ? (struct sip_str){ p + 4, (uint32_t)(end - p - 4) } :
				  (struct sip_str){ end, 0 };
	return 0;
}

/*
 * Returns the end of the line at p (the LF, or end when there is none) and sets *cend to
 * the end of its content (its CR or LF) and *ctl to the first control octet in the
 * content other than HTAB (a CR not followed by LF counts), or NULL.
 */
static inline const char *
line_end(const char *p, const char *end, const char **cend, const char **ctl)
{
	const char *q = p, *lf;

	*ctl = NULL;
	for (;;) {
		q = sip_scan_ctl(q, end);
		if (q == end) {
			*cend = end;
			return end;
		}
		if (*q == '\r' && end - q > 1 && q[1] == '\n') {
			*cend = q;
			return q + 1;
		}
		if (*q == '\n') {
			*cend = q;
			return q;
		}
		if (*q != '\t')
			break;
		q++;
	}
	/* Refused, or a quoted-pair: either way only the line end matters now. */
	*ctl = q;
	lf = memchr(q, '\n', (size_t)(end - q));
	if (lf == NULL) {
		*cend = end;
		return end;
	}
	*cend = lf[-1] == '\r' ? lf - 1 : lf; /* lf > q >= p */
	return lf;
}

/*
 * Where RFC 3261 25.1 lets a header's value hold a control octet: only as the escaped
 * octet of a quoted-pair ("\" and any octet but CR and LF), which exists inside
 * quoted-strings and comments. Unknown headers are taken to have quoted-strings (most
 * extensions have display names or gen-values), as most known ones do.
 */
enum qp_grammar {
	QP_QUOTED = 0, /* quoted-strings: name-addr display names, gen-value, auth params */
	QP_NONE,       /* neither (tokens, numbers, words, TEXT-UTF8): no control octet */
	QP_COMMENTS,   /* comments, no quoted-string (product / comment) */
	QP_BOTH,       /* quoted-strings and comments */
};

static const uint8_t hdr_qp[SIP_H_MAX] = {
	[SIP_H_CALL_ID] = QP_NONE, /* word: '"' and '\\' are plain word octets there */
	[SIP_H_CSEQ] = QP_NONE,
	[SIP_H_MAX_FORWARDS] = QP_NONE,
	[SIP_H_CONTENT_LENGTH] = QP_NONE,
	[SIP_H_CONTENT_ENCODING] = QP_NONE,
	[SIP_H_EXPIRES] = QP_NONE,
	[SIP_H_REQUIRE] = QP_NONE,
	[SIP_H_PROXY_REQUIRE] = QP_NONE,
	[SIP_H_SUPPORTED] = QP_NONE,
	[SIP_H_UNSUPPORTED] = QP_NONE,
	[SIP_H_ALLOW] = QP_NONE,
	[SIP_H_RSEQ] = QP_NONE,
	[SIP_H_RACK] = QP_NONE,
	[SIP_H_SUBJECT] = QP_NONE, /* TEXT-UTF8-TRIM */
	[SIP_H_ALLOW_EVENTS] = QP_NONE,
	[SIP_H_PRIVACY] = QP_NONE,
	[SIP_H_DATE] = QP_NONE,
	[SIP_H_USER_AGENT] = QP_COMMENTS,
	[SIP_H_SERVER] = QP_COMMENTS,
	[SIP_H_RETRY_AFTER] = QP_BOTH, /* delta-seconds [ comment ] *( SEMI retry-param ) */
};

/* How far the walk of one header's value for quoted-pairs has got. */
struct qp_walk {
	const char *pos;  /* next octet to read */
	int hdr;          /* index of the header walked, -1 before any */
	uint8_t grammar;  /* enum qp_grammar */
	bool in_quote;    /* inside a quoted-string */
	bool escaped;     /* the next octet is the escaped one of a quoted-pair */
	uint32_t depth;   /* comment nesting */
};

static void
qp_walk_start(struct qp_walk *w, int hdr, const char *value, uint8_t id)
{
	*w = (struct qp_walk){ .pos = value, .hdr = hdr, .grammar = hdr_qp[id] };
}

/*
 * Returns 0 when every control octet other than HTAB in the header's value up to cend is
 * the escaped octet of a quoted-pair, -1 otherwise; ctl is the first one on the line
 * starting at line, which ends at cend. The walk goes on from where the last one of the
 * same header stopped; CR and LF before line end earlier lines (LWS), any at or after
 * line are bare.
 */
static int
qp_walk(struct qp_walk *w, const char *line, const char *ctl, const char *cend)
{
	const char *q;

	/* What is not after a backslash cannot be escaped: the usual answer, at once. */
	if (w->grammar == QP_NONE || ctl[-1] != '\\')
		return -1;
	for (q = w->pos; q < cend; q++) {
		uint8_t c = (uint8_t)*q;

		if ((c == '\r' || c == '\n') && q < line) {
			w->escaped = false;
			continue;
		}
		if (w->escaped) {
			w->escaped = false;
			if (c == '\r' || c == '\n')
				return -1; /* a quoted-pair does not escape CR or LF */
			continue;
		}
		if (!sip_c_noctl[c] && c != '\t')
			return -1;
		if (w->in_quote) {
			w->escaped = c == '\\';
			w->in_quote = c != '"';
		} else if (w->depth > 0) {
			w->escaped = c == '\\';
			w->depth += (c == '(') - (c == ')');
		} else if (c == '"' && w->grammar != QP_COMMENTS) {
			w->in_quote = true;
		} else if (c == '(' && w->grammar >= QP_COMMENTS) {
			w->depth = 1;
		}
	}
	w->pos = cend;
	return 0;
}

static void
link_header(struct sip_msg *m, unsigned int i)
{
	uint8_t id = m->hdrs[i].id;

	m->hdrs[i].next = -1;
	if (m->first[id] < 0)
		m->first[id] = (int16_t)i;
	else
		m->hdrs[m->last[id]].next = (int16_t)i;
	m->last[id] = (int16_t)i;
}

/*
 * Judges the control octet ctl on the header line [p, cend): returns NULL when it and
 * every other one on the line are escaped octets of quoted-pairs, else the reason to
 * refuse the message for (in the header name: no ':' before it; else in the value). A
 * fold goes on with the walk of the header it continues; a new line starts one for the
 * header it will be.
 */
static const char * __attribute__((cold, noinline))
line_ctl(const struct sip_msg *m, struct qp_walk *w, const char *p, const char *ctl,
		const char *cend)
{
	const char *colon;

	if (sip_is_wsp(*p)) {
		const struct sip_hdr *h;

		if (m->n_hdrs == 0)
			return "Control Character in Header Value";
		h = &m->hdrs[m->n_hdrs - 1];
		if (w->hdr != m->n_hdrs - 1)
			qp_walk_start(w, m->n_hdrs - 1, h->value.s, h->id);
	} else {
		colon = memchr(p, ':', (size_t)(ctl - p));
		if (colon == NULL)
			return "Control Character in Header Name";
		qp_walk_start(w, m->n_hdrs, colon + 1,
				sip_hdr_lookup(p, (size_t)(sip_scan(sip_c_token, p, colon) - p)));
	}
	return qp_walk(w, p, ctl, cend) < 0 ? "Control Character in Header Value" : NULL;
}

/* Takes the last header indexed out of the index (its id's chain ends before it). */
static void
unlink_last_header(struct sip_msg *m)
{
	int16_t i = (int16_t)(m->n_hdrs - 1), k;
	uint8_t id = m->hdrs[i].id;

	if (m->first[id] == i) {
		m->first[id] = m->last[id] = -1;
	} else {
		for (k = m->first[id]; m->hdrs[k].next != i; k = m->hdrs[k].next)
			;
		m->hdrs[k].next = -1;
		m->last[id] = k;
	}
	m->n_hdrs--;
}

/* The error to return: the first one, when a header was refused before (*refused). */
static int
fail_first(struct sip_msg *m, bool refused, uint16_t status, const char *reason)
{
	return refused ? -1 : fail(m, status, reason);
}

/*
 * Indexes header lines from p until the empty line; sets m->hdr_end and m->body_off.
 * A header refused for a control octet is left out of the index, folds included, and
 * the lines after it are indexed all the same, so that a request can be answered from
 * its Via, From, To, Call-ID and CSeq wherever the bad header stood; -1 at the end.
 */
static int
parse_headers(struct sip_msg *m, const char *p, const char *end, const struct sip_limits *lim)
{
	const char *buf = m->buf;
	struct qp_walk w = { .hdr = -1 };
	bool refused = false; /* a header was refused for a control octet: m->err says so */
	bool skip = false;    /* the folds of the header last refused: left out too */

	for (;;) {
		const char *cend, *lf, *name_end, *colon, *ctl, *why;
		struct sip_hdr *h;

		if (p >= end)
			return fail_first(m, refused, 400, "Header Section Not Terminated");
		lf = line_end(p, end, &cend, &ctl);
		if ((size_t)(cend - p) > lim->max_line)
			return fail_first(m, refused, 400, "Header Line Too Long");
		if (cend == p) { /* the empty line */
			if (lf == end)
				return fail_first(m, refused, 400, "Header Section Not Terminated");
			m->hdr_end = (uint32_t)(p - buf);
			m->body_off = (uint32_t)(lf + 1 - buf);
			return refused ? -1 : 0;
		}
		if (lf == end)
			return fail_first(m, refused, 400, "Header Section Not Terminated");
		if (skip && sip_is_wsp(*p)) {
			p = lf + 1;
			continue;
		}
		skip = false;
		if (ctl != NULL && (why = line_ctl(m, &w, p, ctl, cend)) != NULL) {
			if (!refused)
				fail_ctl(m, why);
			if (sip_is_wsp(*p) && m->n_hdrs > 0)
				unlink_last_header(m); /* the header this line continues */
			w.hdr = -1; /* its index may go to the next header */
			refused = skip = true;
			p = lf + 1;
			continue;
		}
		if (sip_is_wsp(*p)) {
			/* A fold: the previous header's value goes on. */
			if (m->n_hdrs == 0)
				return fail_first(m, refused, 400, "Folded Line Without a Header");
			h = &m->hdrs[m->n_hdrs - 1];
			h->raw_len = (uint32_t)(lf + 1 - buf) - h->raw_off;
			h->bare_lf |= cend == lf;
			h->value = sip_str_trim((struct sip_str){ h->value.s,
					(uint32_t)(cend - h->value.s) });
			p = lf + 1;
			continue;
		}
		if (m->n_hdrs >= lim->max_headers || m->n_hdrs >= SIP_MAX_HEADERS)
			return fail_first(m, refused, 400, "Too Many Header Fields");
		name_end = sip_scan(sip_c_token, p, cend);
		colon = name_end;
		while (colon < cend && sip_is_wsp(*colon))
			colon++;
		if (name_end == p || colon >= cend || *colon != ':')
			return fail_first(m, refused, 400, "Malformed Header Line");
		h = &m->hdrs[m->n_hdrs];
		h->name = (struct sip_str){ p, (uint32_t)(name_end - p) };
		h->value = sip_str_trim((struct sip_str){ colon + 1, (uint32_t)(cend - colon - 1) });
		h->raw_off = (uint32_t)(p - buf);
		h->raw_len = (uint32_t)(lf + 1 - p);
		h->bare_lf = cend == lf;
		h->id = (uint8_t)sip_hdr_lookup(p, (size_t)(name_end - p));
		link_header(m, m->n_hdrs);
		m->n_hdrs++;
		p = lf + 1;
	}
}

/*
 * Content-Length: one header, 1*DIGIT. Returns 0 with *cl (-1 when absent) or -1 with
 * the error set.
 */
static int
parse_content_length(struct sip_msg *m, const struct sip_limits *lim, int64_t *cl)
{
	const struct sip_hdr *h = sip_hdr_first(m, SIP_H_CONTENT_LENGTH);
	const char *p, *end;
	uint64_t v;

	*cl = -1;
	if (h == NULL)
		return 0;
	if (h->next >= 0)
		return fail(m, 400, "Multiple Content-Length Values");
	p = h->value.s;
	end = p + h->value.len;
	p = sip_parse_uint(p, end, lim->max_msg, &v);
	if (p == NULL || p != end)
		return fail(m, 400, "Invalid Content-Length");
	*cl = (int64_t)v;
	return 0;
}

static const char *
skip_leading_crlf(const char *p, const char *end)
{
	while (p < end && (*p == '\r' || *p == '\n'))
		p++;
	return p;
}

/* Frames the body after the headers (RFC 3261 18.3); sets m->body and m->len. */
static int
frame_body(struct sip_msg *m, const char *end, enum sip_framing framing)
{
	size_t rest = (size_t)(end - (m->buf + m->body_off));

	if (m->content_length < 0) {
		if (framing == SIP_FRAME_STREAM)
			return fail(m, 400, "Missing Content-Length");
		m->body = (struct sip_str){ m->buf + m->body_off, (uint32_t)rest };
	} else if ((size_t)m->content_length > rest) {
		/* Over UDP nothing more will come: the datagram is short. */
		m->body = (struct sip_str){ m->buf + m->body_off, (uint32_t)rest };
		m->len = m->body_off + m->body.len;
		return fail(m, 400, "Content-Length Larger Than Message");
	} else {
		m->body = (struct sip_str){ m->buf + m->body_off, (uint32_t)m->content_length };
	}
	m->len = m->body_off + m->body.len;
	return 0;
}

int
sip_parse(struct sip_msg *m, const char *buf, size_t len, enum sip_framing framing,
		const struct sip_limits *lim)
{
	const char *end = buf + len, *p, *cend, *lf, *ctl;
	bool start_ok;

	m->kind = SIP_KIND_NONE;
	m->method = SIP_M_OTHER;
	m->status = 0;
	m->n_hdrs = 0;
	m->content_length = -1;
	m->err = (struct sip_error){ 0, NULL };
	m->method_str = m->ruri = m->version = m->reason = m->body = SIP_STR_NULL;
	memset(m->first, 0xff, sizeof(m->first));
	memset(m->last, 0xff, sizeof(m->last));
	if (lim == NULL)
		lim = &sip_default_limits;

	p = skip_leading_crlf(buf, end);
	m->buf = p;
	if (p == end)
		return fail(m, 0, "Empty (Keep-Alive)");
	if ((size_t)(end - p) > lim->max_msg) {
		/* Classify first, so that an oversized response is not answered. */
		m->kind = end - p >= 4 && strncasecmp(p, "SIP/", 4) == 0 ? SIP_KIND_RESPONSE :
									     SIP_KIND_REQUEST;
		return fail(m, 513, "Message Too Large");
	}
	lf = line_end(p, end, &cend, &ctl);
	if ((size_t)(cend - p) > lim->max_line || lf == end) {
		m->kind = end - p >= 4 && strncasecmp(p, "SIP/", 4) == 0 ? SIP_KIND_RESPONSE :
									     SIP_KIND_REQUEST;
		return fail(m, 400, lf == end ? "Start Line Not Terminated" : "Start Line Too Long");
	}
	if (cend - p >= 4 && strncasecmp(p, "SIP/", 4) == 0)
		start_ok = parse_status_line(m, p, cend, ctl) == 0;
	else
		start_ok = parse_request_line(m, p, cend, ctl) == 0;
	if (!start_ok) {
		/*
		 * Index the headers all the same: the answer to a bad request copies its
		 * Via, From, To, Call-ID and CSeq (RFC 3261 8.2.6). The start line's error
		 * is the one reported.
		 */
		struct sip_error first = m->err;

		if (parse_headers(m, lf + 1, end, lim) == 0 &&
				parse_content_length(m, lim, &m->content_length) == 0)
			frame_body(m, end, framing);
		m->err = first;
		return -1;
	}
	if (parse_headers(m, lf + 1, end, lim) < 0 ||
			parse_content_length(m, lim, &m->content_length) < 0)
		return -1;
	return frame_body(m, end, framing);
}

enum sip_frame_result
sip_frame_stream(const char *buf, size_t len, const struct sip_limits *lim, size_t *skip,
		size_t *msg_len, struct sip_error *err)
{
	const char *end = buf + len, *p = skip_leading_crlf(buf, end), *q, *hend = NULL;
	const char *cl_val = NULL, *cl_end = NULL;
	size_t hdr_len;
	uint64_t cl;

	if (lim == NULL)
		lim = &sip_default_limits;
	*skip = (size_t)(p - buf);
	*err = (struct sip_error){ 400, NULL };
	/* Find the empty line, noting Content-Length headers on the way. */
	for (q = p; q < end;) {
		const char *lf = memchr(q, '\n', (size_t)(end - q)), *cend, *name_end, *colon;

		if (lf == NULL)
			break;
		cend = lf > q && lf[-1] == '\r' ? lf - 1 : lf;
		if (cend == q && q != p) {
			hend = lf + 1;
			break;
		}
		name_end = sip_scan(sip_c_token, q, cend);
		colon = name_end;
		while (colon < cend && sip_is_wsp(*colon))
			colon++;
		if (q != p && colon < cend && *colon == ':' &&
				sip_hdr_lookup(q, (size_t)(name_end - q)) == SIP_H_CONTENT_LENGTH) {
			if (cl_val != NULL) {
				err->reason = "Multiple Content-Length Values";
				return SIP_FRAME_ERROR;
			}
			cl_val = colon + 1;
			cl_end = cend;
		} else if (q != p && sip_is_wsp(*q) && cl_end == q - 1 - (q[-2] == '\r')) {
			cl_end = cend; /* a folded Content-Length value */
		}
		q = lf + 1;
	}
	if (hend == NULL) {
		if ((size_t)(end - p) > lim->max_msg) {
			err->reason = "Message Too Large";
			err->status = 513;
			return SIP_FRAME_ERROR;
		}
		return SIP_FRAME_NEED_MORE;
	}
	if (cl_val == NULL) {
		err->reason = "Missing Content-Length";
		return SIP_FRAME_ERROR;
	}
	{
		struct sip_str v = sip_str_trim((struct sip_str){ cl_val, (uint32_t)(cl_end - cl_val) });
		const char *e = sip_parse_uint(v.s, v.s + v.len, lim->max_msg, &cl);

		if (e == NULL || e != v.s + v.len) {
			err->reason = "Invalid Content-Length";
			return SIP_FRAME_ERROR;
		}
	}
	hdr_len = (size_t)(hend - p);
	if (hdr_len + cl > lim->max_msg) {
		err->reason = "Message Too Large";
		err->status = 513;
		return SIP_FRAME_ERROR;
	}
	if ((size_t)(end - hend) < cl)
		return SIP_FRAME_NEED_MORE;
	*msg_len = hdr_len + (size_t)cl;
	err->status = 0;
	return SIP_FRAME_COMPLETE;
}
