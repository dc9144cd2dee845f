/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sip_check.c - message-layer validation (see sip_check.h). The order of the checks
 * decides which problem a request with several is answered for: syntax of what the
 * transaction layer needs first (400), then what the SBC supports (416, 501).
 * Any thread.
 */
#include "sip_check.h"
#include "sip_hdr.h"
#include "sip_lex.h"
#include "sip_uri.h"

static int
refuse(const struct sip_msg *m, struct sip_error *err, uint16_t status, const char *reason)
{
	err->status = m->kind == SIP_KIND_RESPONSE ? 0 : status;
	err->reason = reason;
	err->cause = SIP_ERR_OTHER; /* sip_parse has refused every control octet already */
	return -1;
}

/* A name-addr's URI must parse (any scheme: To and From may hold isbn: or http:). */
static bool
addr_uri_ok(const struct sip_addr *a)
{
	struct sip_uri u;

	return a->star || sip_uri_parse(a->uri.s, a->uri.len, &u, NULL) == 0;
}

static int
check_addr_list(enum sip_hdr_id id, const struct sip_msg *m)
{
	struct sip_iter it;
	struct sip_addr a;
	int r, n = 0;
	bool star = false;

	sip_iter_init(&it, m, id);
	while ((r = sip_addr_next(&it, &a)) == 1) {
		if (!addr_uri_ok(&a))
			return -1;
		star |= a.star;
		n++;
	}
	/* "Contact: *" stands alone (RFC 3261 10.2.2). */
	if (r < 0 || (star && n > 1))
		return -1;
	return 0;
}

static int
check_mandatory(const struct sip_msg *m, struct sip_error *err)
{
	static const struct {
		enum sip_hdr_id id;
		const char *missing;
		const char *multiple;
	} single[] = {
		{ SIP_H_CALL_ID, "Missing Call-ID Header", "Multiple Call-ID Values" },
		{ SIP_H_FROM, "Missing From Header", "Multiple From Values" },
		{ SIP_H_TO, "Missing To Header", "Multiple To Values" },
		{ SIP_H_CSEQ, "Missing CSeq Header", "Multiple CSeq Values" },
		{ SIP_H_MAX_FORWARDS, NULL, "Multiple Max-Forwards Values" },
		{ SIP_H_CONTENT_TYPE, NULL, "Multiple Content-Type Values" },
		{ SIP_H_EXPIRES, NULL, "Multiple Expires Values" },
	};
	unsigned int i, n;

	for (i = 0; i < sizeof(single) / sizeof(single[0]); i++) {
		n = sip_hdr_count(m, single[i].id);
		if (n == 0 && single[i].missing != NULL)
			return refuse(m, err, 400, single[i].missing);
		if (n > 1)
			return refuse(m, err, 400, single[i].multiple);
	}
	if (sip_hdr_first(m, SIP_H_VIA) == NULL)
		return refuse(m, err, 400, "Missing Via Header");
	return 0;
}

static int
check_headers(const struct sip_msg *m, struct sip_error *err)
{
	struct sip_addr a;
	struct sip_cseq cs;
	struct sip_str id;
	struct sip_iter it;
	struct sip_via v;
	int r;

	if (sip_call_id(m, &id) < 0)
		return refuse(m, err, 400, "Malformed Call-ID");
	if (sip_cseq(m, &cs) < 0)
		return refuse(m, err, 400, "Malformed CSeq");
	if (sip_from(m, &a) < 0 || !addr_uri_ok(&a))
		return refuse(m, err, 400, "Malformed From");
	if (sip_to(m, &a) < 0 || !addr_uri_ok(&a))
		return refuse(m, err, 400, "Malformed To");
	sip_iter_init(&it, m, SIP_H_VIA);
	while ((r = sip_via_next(&it, &v)) == 1)
		;
	if (r < 0)
		return refuse(m, err, 400, "Malformed Via");
	if (sip_max_forwards(m) == -1)
		return refuse(m, err, 400, "Invalid Max-Forwards");
	if (sip_delta_seconds(m, SIP_H_EXPIRES) == -1)
		return refuse(m, err, 400, "Invalid Expires");
	if (check_addr_list(SIP_H_CONTACT, m) < 0)
		return refuse(m, err, 400, "Malformed Contact");
	if (check_addr_list(SIP_H_ROUTE, m) < 0)
		return refuse(m, err, 400, "Malformed Route");
	if (check_addr_list(SIP_H_RECORD_ROUTE, m) < 0)
		return refuse(m, err, 400, "Malformed Record-Route");
	return 0;
}

static int
check_request_uri(const struct sip_msg *m, struct sip_error *err)
{
	struct sip_uri u;

	if (m->ruri.len > 0 && m->ruri.s[0] == '<')
		return refuse(m, err, 400, "Request-URI Enclosed in <>");
	if (sip_uri_parse(m->ruri.s, m->ruri.len, &u, NULL) < 0)
		return refuse(m, err, 400, "Malformed Request-URI");
	if (u.scheme == SIP_SCHEME_OTHER)
		return refuse(m, err, 416, "Unsupported URI Scheme");
	if (u.headers.s != NULL)
		return refuse(m, err, 400, "Headers Not Allowed in Request-URI");
	return 0;
}

int
sip_validate(const struct sip_msg *m, struct sip_error *err)
{
	struct sip_cseq cs;

	if (check_mandatory(m, err) < 0 || check_headers(m, err) < 0)
		return -1;
	if (m->kind != SIP_KIND_REQUEST)
		return 0;
	if (check_request_uri(m, err) < 0)
		return -1;
	sip_cseq(m, &cs);
	if (!(cs.method_str.len == m->method_str.len &&
			    memcmp(cs.method_str.s, m->method_str.s, cs.method_str.len) == 0))
		return refuse(m, err, m->method == SIP_M_OTHER ? 501 : 400,
				m->method == SIP_M_OTHER ? "Not Implemented" :
							   "CSeq Method Does Not Match Request");
	return 0;
}
