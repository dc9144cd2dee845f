/* SPDX-License-Identifier: BSD-3-Clause */
/* sip_build.c - SIP message writing (see sip_build.h). Any thread. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sip_build.h"

void
sip_out_init(struct sip_out *o, char *buf, size_t cap)
{
	o->start = o->p = buf;
	o->end = buf + cap;
	o->overflow = false;
}

void
sip_out_raw(struct sip_out *o, const char *s, size_t n)
{
	if (n == 0)
		return;
	if (o->overflow || (size_t)(o->end - o->p) < n) {
		o->overflow = true;
		return;
	}
	memcpy(o->p, s, n);
	o->p += n;
}

void
sip_out_str(struct sip_out *o, struct sip_str s)
{
	sip_out_raw(o, s.s, s.len);
}

void
sip_out_cstr(struct sip_out *o, const char *s)
{
	sip_out_raw(o, s, strlen(s));
}

size_t
sip_fmt_u64(char *out, uint64_t v)
{
	/* Two digits a division: numbers here are ports, lengths, CSeqs and SDP origins. */
	static const char pairs[201] =
		"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
		"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
		"8081828384858687888990919293949596979899";
	char tmp[20];
	size_t n = sizeof(tmp);

	while (v >= 100) {
		unsigned int r = (unsigned int)(v % 100);

		v /= 100;
		n -= 2;
		memcpy(tmp + n, pairs + 2 * r, 2);
	}
	if (v >= 10) {
		n -= 2;
		memcpy(tmp + n, pairs + 2 * v, 2);
	} else {
		tmp[--n] = (char)('0' + v);
	}
	memcpy(out, tmp + n, sizeof(tmp) - n);
	out[sizeof(tmp) - n] = '\0';
	return sizeof(tmp) - n;
}

void
sip_out_uint(struct sip_out *o, unsigned int v)
{
	char tmp[21];

	sip_out_raw(o, tmp, sip_fmt_u64(tmp, v));
}

void
sip_out_request_line(struct sip_out *o, struct sip_str method, struct sip_str uri)
{
	sip_out_str(o, method);
	sip_out_raw(o, " ", 1);
	sip_out_str(o, uri);
	sip_out_raw(o, " SIP/2.0\r\n", 10);
}

void
sip_out_status_line(struct sip_out *o, unsigned int code, struct sip_str reason)
{
	sip_out_raw(o, "SIP/2.0 ", 8);
	sip_out_uint(o, code);
	sip_out_raw(o, " ", 1);
	sip_out_str(o, reason);
	sip_out_raw(o, "\r\n", 2);
}

void
sip_out_insert(struct sip_out *o, size_t off, const char *s, size_t n)
{
	size_t used = (size_t)(o->p - o->start);

	if (o->overflow || off > used || n > (size_t)(o->end - o->p)) {
		o->overflow = true;
		return;
	}
	memmove(o->start + off + n, o->start + off, used - off);
	memcpy(o->start + off, s, n);
	o->p += n;
}

void
sip_out_header(struct sip_out *o, struct sip_str name, struct sip_str value)
{
	sip_out_str(o, name);
	sip_out_raw(o, ": ", 2);
	sip_out_str(o, value);
	sip_out_raw(o, "\r\n", 2);
}

/* Raw header line(s); every line end written as CRLF, folds kept. */
void
sip_out_copy_header(struct sip_out *o, const struct sip_msg *m, const struct sip_hdr *h)
{
	const char *s = m->buf + h->raw_off, *end = s + h->raw_len, *lf;

	if (!h->bare_lf) {
		sip_out_raw(o, s, h->raw_len);
		return;
	}
	while (s < end && (lf = memchr(s, '\n', (size_t)(end - s))) != NULL) {
		sip_out_raw(o, s, (size_t)(lf - s) - (lf > s && lf[-1] == '\r'));
		sip_out_raw(o, "\r\n", 2);
		s = lf + 1;
	}
}

int
sip_out_finish(struct sip_out *o, struct sip_str body)
{
	sip_out_raw(o, "Content-Length: ", 16);
	sip_out_uint(o, body.len);
	sip_out_raw(o, "\r\n\r\n", 4);
	sip_out_str(o, body);
	return o->overflow ? -1 : (int)(o->p - o->start);
}

/* Does edit e concern header h? (Content-Length belongs to the builder: never.) */
static bool
edit_matches(const struct sip_edit *e, const struct sip_hdr *h)
{
	if (e->id == SIP_H_CONTENT_LENGTH)
		return false;
	if (e->id != SIP_H_OTHER)
		return h->id == e->id;
	return h->id == SIP_H_OTHER && h->name.len == e->name.len &&
			strncasecmp(h->name.s, e->name.s, e->name.len) == 0;
}

static void
out_edit(struct sip_out *o, const struct sip_edit *e)
{
	struct sip_str name = e->name;

	if (e->id == SIP_H_CONTENT_LENGTH ||
			(e->id == SIP_H_OTHER && sip_hdr_lookup(name.s, name.len) ==
							  SIP_H_CONTENT_LENGTH))
		return; /* written by sip_out_finish from the body, nowhere else */
	if (name.s == NULL) {
		const char *n = sip_hdr_name((enum sip_hdr_id)e->id);

		name = (struct sip_str){ n, (uint32_t)strlen(n) };
	}
	sip_out_header(o, name, e->value);
}

/* Copies the pending run of untouched header lines [*run, upto) in one go. */
static void
flush_run(struct sip_out *o, const struct sip_msg *m, uint32_t *run, uint32_t upto)
{
	if (*run < upto)
		sip_out_raw(o, m->buf + *run, upto - *run);
	*run = UINT32_MAX;
}

int
sip_rebuild(const struct sip_msg *m, const struct sip_rebuild *rb, char *buf, size_t cap)
{
	struct sip_out o;
	bool seen[64] = { false }; /* per edit: its first matching header was met */
	uint32_t run = UINT32_MAX;
	unsigned int i, k;

	if (rb->n_edits > 64)
		return -1;
	sip_out_init(&o, buf, cap);
	if (rb->set_request_line) {
		sip_out_request_line(&o, rb->method, rb->uri);
	} else if (rb->set_status_line) {
		sip_out_status_line(&o, rb->status, rb->reason);
	} else {
		/* The original start line, ended by CRLF. */
		const char *lf = memchr(m->buf, '\n', m->len);
		size_t n = (size_t)(lf - m->buf);

		if (n > 0 && m->buf[n - 1] == '\r')
			n--;
		sip_out_raw(&o, m->buf, n);
		sip_out_raw(&o, "\r\n", 2);
	}
	/* An insert-first edit whose header is absent goes first of all. */
	for (k = 0; k < rb->n_edits; k++) {
		const struct sip_edit *e = &rb->edits[k];

		if (e->op != SIP_EDIT_INSERT_FIRST || e->id == SIP_H_CONTENT_LENGTH)
			continue;
		for (i = 0; i < m->n_hdrs && !edit_matches(e, &m->hdrs[i]); i++)
			;
		if (i == m->n_hdrs) {
			out_edit(&o, e);
			seen[k] = true;
		}
	}
	for (i = 0; i < m->n_hdrs; i++) {
		const struct sip_hdr *h = &m->hdrs[i];
		bool keep = h->id != SIP_H_CONTENT_LENGTH;

		for (k = 0; k < rb->n_edits; k++) {
			const struct sip_edit *e = &rb->edits[k];

			if (e->op == SIP_EDIT_APPEND || !edit_matches(e, h))
				continue;
			if (e->op == SIP_EDIT_REMOVE || e->op == SIP_EDIT_REPLACE)
				keep = false;
			if (!seen[k] && (e->op == SIP_EDIT_REPLACE || e->op == SIP_EDIT_INSERT_FIRST)) {
				flush_run(&o, m, &run, h->raw_off);
				out_edit(&o, e);
			}
			seen[k] = true;
		}
		/* Runs of copied lines must be contiguous and end in CRLF to go in one copy. */
		if (!keep || h->bare_lf) {
			flush_run(&o, m, &run, h->raw_off);
			if (keep)
				sip_out_copy_header(&o, m, h);
			continue;
		}
		if (run == UINT32_MAX)
			run = h->raw_off;
	}
	flush_run(&o, m, &run, m->n_hdrs ? m->hdrs[m->n_hdrs - 1].raw_off +
							m->hdrs[m->n_hdrs - 1].raw_len :
						0);
	/* Replacements whose header was absent, and appends, go last. */
	for (k = 0; k < rb->n_edits; k++) {
		const struct sip_edit *e = &rb->edits[k];

		if (e->op == SIP_EDIT_APPEND || (!seen[k] && e->op == SIP_EDIT_REPLACE))
			out_edit(&o, e);
	}
	return sip_out_finish(&o, rb->set_body ? rb->body : m->body);
}
