/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sip_reply.h - a response to a parsed request (RFC 3261 8.2.6): the request's Via
 * headers, the top one completed with received and rport (RFC 3261 18.2.1, RFC 3581),
 * From, To (given a tag when it has none), Call-ID and CSeq; then extra headers and a
 * body, with a correct Content-Length. Used for the answers the message and transaction
 * layers give themselves (400, 503, 200 to OPTIONS, 100 Trying...). Any thread.
 */
#ifndef SIP_REPLY_H
#define SIP_REPLY_H

#include "sip_build.h"
#include "sip_msg.h"

struct sip_reply {
	unsigned int status;
	const char *reason;
	struct sip_str to_tag;   /* added when the request's To has no tag and status > 100 */
	const char *src_ip;      /* the request's source address, text, for received= */
	unsigned int src_port;   /* its source port, for rport= */
	const char *extra;       /* more header lines, each ending in CRLF, or NULL */
	struct sip_str body;
	const char *content_type; /* with a body */
};

/*
 * Writes the response to req into out. Returns its length, or -1 (cap too small, or the
 * request lacks what a response must copy: Via, From, To, Call-ID, CSeq). Any thread.
 */
int sip_make_response(const struct sip_msg *req, const struct sip_reply *r, char *out,
		size_t cap);

/*
 * Writes the part every response to req shares (RFC 3261 8.2.6.2): its Via lines, the
 * top one completed with received/rport for the source src_ip:src_port (src_ip NULL:
 * unchanged), From, To, Call-ID and CSeq. *to_end is the offset in o of the end of the
 * To value (where a tag goes), *to_has_tag whether it has one. Returns 0, or -1 when req
 * lacks one of them or o overflowed. Any thread.
 */
int sip_response_head(const struct sip_msg *req, const char *src_ip, unsigned int src_port,
		struct sip_out *o, uint32_t *to_end, bool *to_has_tag);

#endif /* SIP_REPLY_H */
