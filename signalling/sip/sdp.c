/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sdp.c - SDP parsing and rewriting (see sdp.h).
 *
 * A description is a list of "x=value" lines; everything before the first m= is the
 * session level. Lines the SBC does not interpret are kept as they are; c=, o=, m= and
 * a=rtcp are checked because the relay rewrites them. Any thread.
 */
#include <stddef.h>
#include <stdio.h>

#include "sdp.h"
#include "sip_build.h"
#include "sip_lex.h"
#include "sip_uri.h"

struct line {
	char type;
	struct sip_str val;  /* after "x=" */
	const char *start;   /* the "x" */
	const char *next;    /* first octet of the next line */
};

/* Reads the line at p; returns false at the end. */
static bool
next_line(const char **p, const char *end, struct line *l)
{
	const char *lf, *cend;

	while (*p < end && (**p == '\r' || **p == '\n'))
		(*p)++; /* empty lines are tolerated */
	if (*p >= end)
		return false;
	lf = memchr(*p, '\n', (size_t)(end - *p));
	cend = lf == NULL ? end : (lf > *p && lf[-1] == '\r' ? lf - 1 : lf);
	l->start = *p;
	l->type = **p;
	l->val = cend - *p >= 2 ? (struct sip_str){ *p + 2, (uint32_t)(cend - *p - 2) } :
				  SIP_STR_NULL;
	l->next = lf == NULL ? end : lf + 1;
	*p = l->next;
	return true;
}

/* Splits off the next space-separated field of [*p, end). */
static bool
field(const char **p, const char *end, struct sip_str *out)
{
	const char *q;

	while (*p < end && **p == ' ')
		(*p)++;
	if (*p >= end)
		return false;
	q = *p;
	while (q < end && *q != ' ')
		q++;
	*out = (struct sip_str){ *p, (uint32_t)(q - *p) };
	*p = q;
	return true;
}

static bool
rest_empty(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p == end;
}

/* nettype addrtype address, as in c= and the tail of o= and a=rtcp. */
static bool
parse_addr(const char **p, const char *end, struct sdp_conn *c)
{
	struct sip_str nettype, addr;
	const char *slash;

	if (!field(p, end, &nettype) || !sip_str_eq(nettype, "IN") ||
			!field(p, end, &c->addrtype) || !field(p, end, &addr))
		return false;
	slash = memchr(addr.s, '/', addr.len); /* multicast "/ttl[/n]" */
	if (slash != NULL)
		addr.len = (uint32_t)(slash - addr.s);
	if (sip_str_eq(c->addrtype, "IP4")) {
		struct sip_str host;
		uint8_t type;
		int32_t port;

		/* An IPv4 address, or a host name (RFC 4566 allows an FQDN). */
		if (sip_hostport_parse(addr.s, addr.s + addr.len, &host, &type, &port) !=
						addr.s + addr.len ||
				port >= 0 || type == SIP_HOST_IPV6)
			return false;
		c->v6 = false;
	} else if (sip_str_eq(c->addrtype, "IP6")) {
		/* "[2001:db8::1]" is not RFC 4566, but SIPp and others send it: tolerated. */
		if (addr.len > 2 && addr.s[0] == '[' && addr.s[addr.len - 1] == ']') {
			addr.s++;
			addr.len -= 2;
		}
		if (!sip_ipv6_parse(addr.s, addr.len, NULL))
			return false;
		c->v6 = true;
	} else {
		return false;
	}
	c->addr = addr;
	c->present = true;
	return true;
}

static bool
parse_origin(struct sdp *s, struct sip_str v)
{
	const char *p = v.s, *end = v.s + v.len;
	struct sdp_conn c = { 0 };

	if (!field(&p, end, &s->o_username) || !field(&p, end, &s->o_sess_id) ||
			!field(&p, end, &s->o_sess_version) || !parse_addr(&p, end, &c) ||
			!rest_empty(p, end))
		return false;
	s->o_addrtype = c.addrtype;
	s->o_addr = c.addr;
	return true;
}

static bool
parse_uint_field(struct sip_str f, uint32_t max, uint32_t *out)
{
	uint64_t v;

	if (sip_parse_uint(f.s, f.s + f.len, max, &v) != f.s + f.len)
		return false;
	*out = (uint32_t)v;
	return true;
}

static bool
parse_media(struct sdp_media *md, struct sip_str v)
{
	const char *p = v.s, *end = v.s + v.len, *slash;
	struct sip_str port;

	memset(md, 0, sizeof(*md));
	md->rtcp_port = -1;
	md->nports = 1;
	if (!field(&p, end, &md->type) || !field(&p, end, &port) || !field(&p, end, &md->proto))
		return false;
	slash = memchr(port.s, '/', port.len);
	if (slash != NULL) {
		struct sip_str n = { slash + 1, (uint32_t)(port.s + port.len - slash - 1) };

		if (!parse_uint_field(n, 65535, &md->nports) || md->nports == 0)
			return false;
		port.len = (uint32_t)(slash - port.s);
	}
	if (!parse_uint_field(port, 65535, &md->port))
		return false;
	while (p < end && *p == ' ')
		p++;
	md->fmts = (struct sip_str){ p, (uint32_t)(end - p) };
	return true;
}

static uint8_t
direction(struct sip_str a)
{
	if (sip_str_eq(a, "sendrecv"))
		return SDP_DIR_SENDRECV;
	if (sip_str_eq(a, "sendonly"))
		return SDP_DIR_SENDONLY;
	if (sip_str_eq(a, "recvonly"))
		return SDP_DIR_RECVONLY;
	if (sip_str_eq(a, "inactive"))
		return SDP_DIR_INACTIVE;
	return SDP_DIR_NONE;
}

/* a=<name>[:<value>] */
static void
split_attr(struct sip_str v, struct sip_str *name, struct sip_str *val)
{
	const char *colon = memchr(v.s, ':', v.len);

	if (colon == NULL) {
		*name = v;
		*val = SIP_STR_NULL;
	} else {
		*name = (struct sip_str){ v.s, (uint32_t)(colon - v.s) };
		*val = (struct sip_str){ colon + 1, (uint32_t)(v.s + v.len - colon - 1) };
	}
}

static bool
is_ice_attr(struct sip_str name)
{
	return sip_str_eq(name, "candidate") || sip_str_eq(name, "ice-ufrag") ||
			sip_str_eq(name, "ice-pwd") || sip_str_eq(name, "ice-options") ||
			sip_str_eq(name, "ice-lite") || sip_str_eq(name, "remote-candidates") ||
			sip_str_eq(name, "end-of-candidates") || sip_str_eq(name, "ice-mismatch");
}

static bool
parse_attr(struct sdp *s, struct sdp_media *md, struct sip_str v)
{
	struct sip_str name, val;
	uint8_t dir;

	split_attr(v, &name, &val);
	switch (name.len ? name.s[0] : 0) { /* most attributes (rtpmap, fmtp, ptime) pass here */
	case 's':
	case 'r':
	case 'i':
	case 'c':
		break;
	default:
		return true;
	}
	dir = direction(name);
	if (dir != SDP_DIR_NONE) {
		if (md != NULL)
			md->dir = dir;
		else
			s->dir = dir;
	} else if (sip_str_eq(name, "rtcp")) {
		const char *p = val.s, *end;
		struct sip_str port;
		uint32_t n;

		if (md == NULL)
			return true; /* a=rtcp is media-level (RFC 3605): ignored elsewhere */
		if (p == NULL)
			return false;
		end = p + val.len;
		if (!field(&p, end, &port) || !parse_uint_field(port, 65535, &n))
			return false;
		md->rtcp_port = (int32_t)n;
		if (!rest_empty(p, end) && (!parse_addr(&p, end, &md->rtcp_conn) ||
						   !rest_empty(p, end)))
			return false;
	} else if (sip_str_eq(name, "rtcp-mux")) {
		if (md != NULL)
			md->rtcp_mux = true;
	} else if (sip_str_eq(name, "crypto")) {
		if (md != NULL)
			md->n_crypto++;
	} else if (sip_str_eq(name, "candidate")) {
		if (md != NULL)
			md->n_candidates++;
	} else if (sip_str_eq(name, "ice-ufrag")) {
		*(md ? &md->ice_ufrag : &s->ice_ufrag) = val;
	} else if (sip_str_eq(name, "ice-pwd")) {
		*(md ? &md->ice_pwd : &s->ice_pwd) = val;
	} else if (sip_str_eq(name, "ice-lite")) {
		s->ice_lite = true;
	}
	return true;
}

int
sdp_parse(const char *buf, size_t len, struct sdp *s)
{
	const char *p = buf, *end = buf ? buf + len : NULL;
	struct sdp_media *md = NULL;
	struct line l;
	bool have_o = false;

	/* Media sections are cleared as they are met (parse_media), not all 16 up front. */
	memset(s, 0, offsetof(struct sdp, media));
	if (buf == NULL) {
		s->err = "Empty SDP";
		return -1;
	}
	if (!next_line(&p, end, &l) || l.type != 'v' || l.start + 1 >= end || l.start[1] != '=' ||
			!sip_str_eq(l.val, "0")) {
		s->err = "SDP does not start with v=0";
		return -1;
	}
	while (next_line(&p, end, &l)) {
		if (l.type < 'a' || l.type > 'z' || l.start + 1 >= l.next || l.start[1] != '=') {
			s->err = "Malformed SDP line";
			return -1;
		}
		switch (l.type) {
		case 'o':
			if (md != NULL || have_o || !parse_origin(s, l.val)) {
				s->err = "Malformed SDP o= line";
				return -1;
			}
			have_o = true;
			break;
		case 's':
			if (md == NULL)
				s->session_name = l.val;
			break;
		case 'c': {
			const char *q = l.val.s;
			struct sdp_conn *c = md ? &md->conn : &s->conn;

			if (c->present || !parse_addr(&q, l.val.s + l.val.len, c) ||
					!rest_empty(q, l.val.s + l.val.len)) {
				s->err = "Malformed SDP c= line";
				return -1;
			}
			break;
		}
		case 'm':
			if (s->n_media == SDP_MAX_MEDIA) {
				s->err = "Too Many SDP Media Sections";
				return -1;
			}
			md = &s->media[s->n_media++];
			if (!parse_media(md, l.val)) {
				s->err = "Malformed SDP m= line";
				return -1;
			}
			break;
		case 'a':
			if (!parse_attr(s, md, l.val)) {
				s->err = "Malformed SDP a=rtcp line";
				return -1;
			}
			break;
		default:
			break; /* i u e p b t r z k: kept, not interpreted */
		}
	}
	if (!have_o) {
		s->err = "SDP without o= line";
		return -1;
	}
	return 0;
}

/* ---- rewrite ------------------------------------------------------------------------- */

static void
put_conn_line(struct sip_out *o, const char *addr, bool v6)
{
	sip_out_cstr(o, v6 ? "c=IN IP6 " : "c=IN IP4 ");
	sip_out_cstr(o, addr);
	sip_out_raw(o, "\r\n", 2);
}

/*
 * Writes a=ssrc:<id> cname:<value> with the value replaced (rw->cname). Returns whether
 * it wrote the line; other a=ssrc attributes (msid, ...) are the caller's to copy.
 */
static bool
put_ssrc_cname(struct sip_out *o, const struct sdp_rewrite *rw, struct sip_str val)
{
	const char *sp = memchr(val.s, ' ', val.len);
	char cname[SDP_CNAME_MAX];
	struct sip_str attr;
	size_t n;

	if (sp == NULL)
		return false;
	attr = (struct sip_str){ sp + 1, (uint32_t)(val.s + val.len - sp - 1) };
	if (attr.len < 6 || memcmp(attr.s, "cname:", 6) != 0)
		return false;
	n = rw->cname(rw->cname_arg, (struct sip_str){ attr.s + 6, attr.len - 6 }, cname);
	sip_out_cstr(o, "a=ssrc:");
	sip_out_raw(o, val.s, (size_t)(sp - val.s));
	sip_out_cstr(o, " cname:");
	sip_out_raw(o, cname, n < sizeof(cname) ? n : sizeof(cname));
	sip_out_raw(o, "\r\n", 2);
	return true;
}

int
sdp_rewrite(const char *buf, size_t len, const struct sdp *s, const struct sdp_rewrite *rw,
		char *outbuf, size_t cap)
{
	struct sip_out o;
	const char *p = buf, *end = buf + len;
	const struct sdp_rewrite_media *rm = NULL;
	const struct sdp_media *md = NULL;
	bool conn_pending = false;
	int mi = -1;
	struct line l;

	sip_out_init(&o, outbuf, cap);
	while (next_line(&p, end, &l)) {
		struct sip_str name, val;

		/* A media section's new c= goes after m= (and i=), before anything else. */
		if (conn_pending && l.type != 'i') {
			put_conn_line(&o, rm->conn_addr, rm->conn_v6);
			conn_pending = false;
		}
		switch (l.type) {
		case 'o':
			if (rw->origin_username || rw->origin_sess_id || rw->origin_version ||
					rw->origin_addr) {
				sip_out_cstr(&o, "o=");
				if (rw->origin_username)
					sip_out_cstr(&o, rw->origin_username);
				else
					sip_out_str(&o, s->o_username);
				sip_out_raw(&o, " ", 1);
				if (rw->origin_sess_id)
					sip_out_cstr(&o, rw->origin_sess_id);
				else
					sip_out_str(&o, s->o_sess_id);
				sip_out_raw(&o, " ", 1);
				if (rw->origin_version)
					sip_out_cstr(&o, rw->origin_version);
				else
					sip_out_str(&o, s->o_sess_version);
				if (rw->origin_addr) {
					sip_out_cstr(&o, rw->origin_v6 ? " IN IP6 " : " IN IP4 ");
					sip_out_cstr(&o, rw->origin_addr);
				} else {
					sip_out_cstr(&o, " IN ");
					sip_out_str(&o, s->o_addrtype);
					sip_out_raw(&o, " ", 1);
					sip_out_str(&o, s->o_addr);
				}
				sip_out_raw(&o, "\r\n", 2);
				continue;
			}
			break;
		case 'c':
			if (mi < 0 && rw->conn_addr) {
				put_conn_line(&o, rw->conn_addr, rw->conn_v6);
				continue;
			}
			if (mi >= 0 && rm != NULL && rm->conn_addr) {
				put_conn_line(&o, rm->conn_addr, rm->conn_v6);
				continue;
			}
			break;
		case 'm':
			mi++;
			md = &s->media[mi];
			rm = mi < rw->n_media ? &rw->media[mi] : NULL;
			if (rm != NULL && rm->set_port) {
				sip_out_cstr(&o, "m=");
				sip_out_str(&o, md->type);
				sip_out_raw(&o, " ", 1);
				sip_out_uint(&o, rm->port);
				if (md->nports != 1) {
					sip_out_raw(&o, "/", 1);
					sip_out_uint(&o, md->nports);
				}
				sip_out_raw(&o, " ", 1);
				sip_out_str(&o, md->proto);
				if (md->fmts.len) {
					sip_out_raw(&o, " ", 1);
					sip_out_str(&o, md->fmts);
				}
				sip_out_raw(&o, "\r\n", 2);
			} else {
				sip_out_str(&o, (struct sip_str){ l.start, (uint32_t)(l.val.s + l.val.len -
										l.start) });
				sip_out_raw(&o, "\r\n", 2);
			}
			conn_pending = rm != NULL && rm->conn_addr && !md->conn.present;
			continue;
		case 'a':
			split_attr(l.val, &name, &val);
			if (rw->strip_ice && is_ice_attr(name))
				continue;
			if (rw->cname != NULL && sip_str_eq(name, "ssrc") &&
					put_ssrc_cname(&o, rw, val))
				continue;
			if (rm != NULL && rm->set_rtcp && sip_str_eq(name, "rtcp")) {
				sip_out_cstr(&o, "a=rtcp:");
				sip_out_uint(&o, rm->rtcp_port);
				if (md->rtcp_conn.present) {
					/* RTCP goes where the media goes: the section's or session's. */
					const char *a = rm->conn_addr ? rm->conn_addr : rw->conn_addr;
					bool v6 = rm->conn_addr ? rm->conn_v6 : rw->conn_v6;

					sip_out_cstr(&o, (a ? v6 : md->rtcp_conn.v6) ? " IN IP6 " : " IN IP4 ");
					if (a)
						sip_out_cstr(&o, a);
					else
						sip_out_str(&o, md->rtcp_conn.addr);
				}
				sip_out_raw(&o, "\r\n", 2);
				continue;
			}
			break;
		default:
			break;
		}
		/* Anything else is copied, with its line end normalised to CRLF. */
		sip_out_str(&o, (struct sip_str){ l.start, (uint32_t)(l.val.s ? l.val.s + l.val.len - l.start :
									   1) });
		sip_out_raw(&o, "\r\n", 2);
	}
	if (conn_pending)
		put_conn_line(&o, rm->conn_addr, rm->conn_v6);
	return o.overflow ? -1 : (int)(o.p - outbuf);
}
