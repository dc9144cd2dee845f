/* SPDX-License-Identifier: BSD-3-Clause */
/* sip_reply.c - responses to requests (see sip_reply.h). Any thread. */
#include <arpa/inet.h>

#include "sip_build.h"
#include "sip_hdr.h"
#include "sip_reply.h"
#include "sip_uri.h"

/* Is host (a Via sent-by) the same address as ip (text)? Names never are. */
static bool
same_host(struct sip_str host, const char *ip)
{
	uint8_t a[16], b[16];
	char tmp[64];

	if (host.len == 0 || host.len >= sizeof(tmp))
		return false;
	if (host.s[0] == '[' && host.len >= 2) {
		memcpy(tmp, host.s + 1, host.len - 2);
		tmp[host.len - 2] = '\0';
		return inet_pton(AF_INET6, tmp, a) == 1 && inet_pton(AF_INET6, ip, b) == 1 &&
				memcmp(a, b, 16) == 0;
	}
	memcpy(tmp, host.s, host.len);
	tmp[host.len] = '\0';
	return inet_pton(AF_INET, tmp, a) == 1 && inet_pton(AF_INET, ip, b) == 1 &&
			memcmp(a, b, 4) == 0;
}

/* The top via-parm with received (when the sent-by is not the source) and rport. */
static void
top_via(struct sip_out *o, const struct sip_via *v, const struct sip_reply *r)
{
	const char *p = v->params.s, *end = p ? p + v->params.len : NULL;
	struct sip_param prm;

	sip_out_raw(o, "Via: ", 5);
	sip_out_raw(o, v->raw.s, p ? (size_t)(p - v->raw.s) : v->raw.len);
	while (p != NULL && sip_param_next(&p, end, &prm) == 1) {
		if (sip_str_ieq(prm.name, "received"))
			continue;
		if (sip_str_ieq(prm.name, "rport") && r->src_ip != NULL) {
			sip_out_cstr(o, ";rport=");
			sip_out_uint(o, r->src_port);
			continue;
		}
		sip_out_raw(o, prm.start, (size_t)(p - prm.start));
	}
	if (r->src_ip != NULL && !same_host(v->host, r->src_ip)) {
		sip_out_cstr(o, ";received=");
		sip_out_cstr(o, r->src_ip);
	}
	sip_out_raw(o, "\r\n", 2);
}

int
sip_response_head(const struct sip_msg *req, const char *src_ip, unsigned int src_port,
		struct sip_out *o, uint32_t *to_end, bool *to_has_tag)
{
	const struct sip_hdr *from = sip_hdr_first(req, SIP_H_FROM);
	const struct sip_hdr *to = sip_hdr_first(req, SIP_H_TO);
	const struct sip_hdr *cid = sip_hdr_first(req, SIP_H_CALL_ID);
	const struct sip_hdr *cseq = sip_hdr_first(req, SIP_H_CSEQ);
	struct sip_reply r = { .src_ip = src_ip, .src_port = src_port };
	struct sip_iter it;
	struct sip_via v;
	struct sip_addr a;
	bool first = true;

	if (from == NULL || to == NULL || cid == NULL || cseq == NULL)
		return -1;
	sip_iter_init(&it, req, SIP_H_VIA);
	while (sip_via_next(&it, &v) == 1) {
		if (first)
			top_via(o, &v, &r);
		else
			sip_out_header(o, (struct sip_str){ "Via", 3 }, v.raw);
		first = false;
	}
	if (first)
		return -1; /* no Via: nowhere to send the response */
	sip_out_header(o, (struct sip_str){ "From", 4 }, from->value);
	sip_out_raw(o, "To: ", 4);
	sip_out_str(o, to->value);
	*to_end = (uint32_t)(o->p - o->start);
	*to_has_tag = sip_to(req, &a) == 0 && a.has_tag;
	sip_out_raw(o, "\r\n", 2);
	sip_out_header(o, (struct sip_str){ "Call-ID", 7 }, cid->value);
	sip_out_header(o, (struct sip_str){ "CSeq", 4 }, cseq->value);
	return o->overflow ? -1 : 0;
}

int
sip_make_response(const struct sip_msg *req, const struct sip_reply *r, char *out, size_t cap)
{
	struct sip_out o;
	uint32_t to_end;
	bool has_tag;

	sip_out_init(&o, out, cap);
	sip_out_status_line(&o, r->status, (struct sip_str){ r->reason, (uint32_t)strlen(r->reason) });
	if (sip_response_head(req, r->src_ip, r->src_port, &o, &to_end, &has_tag) < 0)
		return -1;
	if (r->status > 100 && r->to_tag.len > 0 && !has_tag) {
		sip_out_insert(&o, to_end, ";tag=", 5);
		sip_out_insert(&o, to_end + 5, r->to_tag.s, r->to_tag.len);
	}
	if (r->extra != NULL)
		sip_out_cstr(&o, r->extra);
	if (r->body.len > 0 && r->content_type != NULL) {
		sip_out_cstr(&o, "Content-Type: ");
		sip_out_cstr(&o, r->content_type);
		sip_out_raw(&o, "\r\n", 2);
	}
	return sip_out_finish(&o, r->body);
}
