/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sip-lint - what the SBC's message layer makes of one SIP message.
 *
 *   sip-lint FILE|-
 *
 * Reads one message as one UDP datagram and prints one JSON object on one line:
 * verdict, response, reason, cause (why it was refused, for counters: "control_char" or
 * "other"; null when accepted), kind, method, status, request_uri, call_id, cseq,
 * from_tag, to_tag, via, max_forwards, content_length, body_length, contacts, sdp.
 * Fields are filled as far as the message could be read, also when it is refused.
 * Exit status: 0 accept, 1 reject, 2 usage or I/O error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sdp.h"
#include "sip_check.h"
#include "sip_hdr.h"
#include "sip_msg.h"

#define MAX_INPUT (1 << 20)

/* A JSON string of the slice; octets that are not UTF-8 are taken as Latin-1. */
static json_t *
jstr(struct sip_str s)
{
	json_t *j;
	char *tmp;
	size_t i, n = 0;

	if (s.s == NULL)
		return json_null();
	j = json_stringn(s.s, s.len);
	if (j != NULL)
		return j;
	tmp = malloc((size_t)s.len * 2 + 1);
	if (tmp == NULL)
		return json_null();
	for (i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.s[i];

		if (c < 0x80) {
			tmp[n++] = (char)c;
		} else {
			tmp[n++] = (char)(0xc0 | (c >> 6));
			tmp[n++] = (char)(0x80 | (c & 0x3f));
		}
	}
	j = json_stringn(tmp, n);
	free(tmp);
	return j ? j : json_null();
}

static json_t *
jconn(const struct sdp_conn *c)
{
	return c->present ? jstr(c->addr) : json_null();
}

static json_t *
sdp_json(const struct sip_msg *m, json_t *obj)
{
	struct sdp *s;
	json_t *media, *j;
	unsigned int i;

	if (!sip_body_is_sdp(m) || m->body.len == 0)
		return json_null();
	s = malloc(sizeof(*s));
	if (s == NULL)
		return json_null();
	if (sdp_parse(m->body.s, m->body.len, s) < 0) {
		json_object_set_new(obj, "sdp_error", json_string(s->err));
		free(s);
		return json_null();
	}
	media = json_array();
	for (i = 0; i < s->n_media; i++)
		json_array_append_new(media, json_pack("{s:o, s:i, s:o, s:o}", "type",
						     jstr(s->media[i].type), "port",
						     (int)s->media[i].port, "proto",
						     jstr(s->media[i].proto), "connection",
						     jconn(&s->media[i].conn)));
	j = json_pack("{s:o, s:o, s:o}", "origin_addr", jstr(s->o_addr), "connection",
			jconn(&s->conn), "media", media);
	free(s);
	return j;
}

static json_t *
message_json(const struct sip_msg *m, int verdict_ok, const struct sip_error *err)
{
	json_t *o = json_object(), *via = json_array(), *contacts = json_array();
	struct sip_addr a;
	struct sip_cseq cs;
	struct sip_str id;
	struct sip_iter it;
	struct sip_via v;
	int mf;

	json_object_set_new(o, "verdict", json_string(verdict_ok ? "accept" : "reject"));
	json_object_set_new(o, "response",
			!verdict_ok && err->status ? json_integer(err->status) : json_null());
	json_object_set_new(o, "reason", err->reason ? json_string(err->reason) : json_null());
	json_object_set_new(o, "cause", verdict_ok ? json_null() :
					json_string(sip_err_cause_name((enum sip_err_cause)err->cause)));
	json_object_set_new(o, "kind", m->kind == SIP_KIND_REQUEST ? json_string("request") :
					m->kind == SIP_KIND_RESPONSE ? json_string("response") :
								       json_null());
	json_object_set_new(o, "method",
			m->kind == SIP_KIND_REQUEST ? jstr(m->method_str) : json_null());
	json_object_set_new(o, "status",
			m->kind == SIP_KIND_RESPONSE && m->status ? json_integer(m->status) :
								     json_null());
	json_object_set_new(o, "request_uri",
			m->kind == SIP_KIND_REQUEST ? jstr(m->ruri) : json_null());
	json_object_set_new(o, "call_id", sip_call_id(m, &id) == 0 ? jstr(id) : json_null());
	json_object_set_new(o, "cseq",
			sip_cseq(m, &cs) == 0 ? json_pack("{s:I, s:o}", "num", (json_int_t)cs.num,
							"method", jstr(cs.method_str)) :
						json_null());
	json_object_set_new(o, "from_tag",
			sip_from(m, &a) == 0 && a.has_tag ? jstr(a.tag) : json_null());
	json_object_set_new(o, "to_tag", sip_to(m, &a) == 0 && a.has_tag ? jstr(a.tag) : json_null());
	sip_iter_init(&it, m, SIP_H_VIA);
	while (sip_via_next(&it, &v) == 1)
		json_array_append_new(via, json_pack("{s:o, s:o, s:o, s:o}", "transport",
						   jstr(v.transport), "host", jstr(v.host), "port",
						   v.port >= 0 ? json_integer(v.port) : json_null(),
						   "branch", v.has_branch ? jstr(v.branch) : json_null()));
	json_object_set_new(o, "via", via);
	mf = sip_max_forwards(m);
	json_object_set_new(o, "max_forwards", mf >= 0 ? json_integer(mf) : json_null());
	json_object_set_new(o, "content_length",
			m->content_length >= 0 ? json_integer(m->content_length) : json_null());
	json_object_set_new(o, "body_length", json_integer(m->body.len));
	sip_iter_init(&it, m, SIP_H_CONTACT);
	while (sip_addr_next(&it, &a) == 1)
		json_array_append_new(contacts, a.star ? json_string("*") : jstr(a.uri));
	json_object_set_new(o, "contacts", contacts);
	json_object_set_new(o, "sdp", sdp_json(m, o));
	return o;
}

int
main(int argc, char **argv)
{
	struct sip_msg *m;
	struct sip_error err = { 0, NULL };
	FILE *f;
	char *buf, *out;
	size_t len;
	int ok;
	json_t *j;

	if (argc != 2) {
		fprintf(stderr, "usage: sip-lint FILE|-\n");
		return 2;
	}
	f = strcmp(argv[1], "-") == 0 ? stdin : fopen(argv[1], "rb");
	if (f == NULL) {
		fprintf(stderr, "sip-lint: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	buf = malloc(MAX_INPUT + 1);
	m = malloc(sizeof(*m));
	if (buf == NULL || m == NULL) {
		fprintf(stderr, "sip-lint: out of memory\n");
		return 2;
	}
	len = fread(buf, 1, MAX_INPUT + 1, f);
	if (ferror(f) || len > MAX_INPUT) {
		fprintf(stderr, "sip-lint: %s: %s\n", argv[1],
				ferror(f) ? "read error" : "larger than 1 MiB");
		return 2;
	}
	if (f != stdin)
		fclose(f);

	ok = sip_parse(m, buf, len, SIP_FRAME_DATAGRAM, NULL) == 0;
	if (!ok)
		err = m->err;
	else if (sip_validate(m, &err) < 0)
		ok = 0;
	j = message_json(m, ok, &err);
	out = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (out == NULL) {
		fprintf(stderr, "sip-lint: cannot format the result\n");
		return 2;
	}
	puts(out);
	free(out);
	json_decref(j);
	free(m);
	free(buf);
	return ok ? 0 : 1;
}
