/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sdp.h - session descriptions (RFC 4566, offer/answer of RFC 3264) as an SBC needs
 * them: origin, connection addresses (session and media level, IPv4 and IPv6), media
 * lines, RTCP (a=rtcp, a=rtcp-mux), direction, ICE and crypto attributes (counted and
 * kept opaque); and the rewrite the media relay needs, into a caller's buffer.
 * Fields are slices of the body. Several c= lines in one section (layered multicast)
 * are refused: the relay could not rewrite them all. Any thread; no allocation.
 */
#ifndef SDP_H
#define SDP_H

#include "sip_msg.h"

#define SDP_MAX_MEDIA 16

enum sdp_dir {
	SDP_DIR_NONE = 0, /* not given (sendrecv by default) */
	SDP_DIR_SENDRECV,
	SDP_DIR_SENDONLY,
	SDP_DIR_RECVONLY,
	SDP_DIR_INACTIVE,
};

struct sdp_conn {
	bool present;
	bool v6;
	struct sip_str addrtype; /* "IP4" / "IP6" */
	struct sip_str addr;     /* address, without "/ttl" */
};

struct sdp_media {
	struct sip_str type;     /* audio, video, image, application, ... */
	uint32_t port;
	uint32_t nports;         /* 1 unless "port/n" */
	struct sip_str proto;    /* RTP/AVP, RTP/SAVP, UDP/TLS/RTP/SAVPF, udptl, ... */
	struct sip_str fmts;     /* the format list, raw */
	struct sdp_conn conn;    /* media-level c= */
	int32_t rtcp_port;       /* a=rtcp port, -1 when absent */
	struct sdp_conn rtcp_conn;
	bool rtcp_mux;
	uint8_t dir;             /* enum sdp_dir */
	uint16_t n_crypto;
	uint16_t n_candidates;
	struct sip_str ice_ufrag, ice_pwd;
};

struct sdp {
	struct sip_str o_username, o_sess_id, o_sess_version, o_addrtype, o_addr;
	struct sip_str session_name;
	struct sdp_conn conn;    /* session-level c= */
	uint8_t dir;             /* session-level direction */
	bool ice_lite;
	struct sip_str ice_ufrag, ice_pwd;
	const char *err;         /* why sdp_parse failed */
	uint16_t n_media;
	struct sdp_media media[SDP_MAX_MEDIA]; /* last: sdp_parse clears only what it uses */
};

/*
 * Parses the description in [buf, buf + len): lines end in CRLF or LF (the last may end
 * without), "v=0" first, one o= line. Returns 0, or -1 with s->err naming the problem.
 * Any thread.
 */
int sdp_parse(const char *buf, size_t len, struct sdp *s);

#define SDP_CNAME_MAX 255 /* longest CNAME sdp_rewrite writes in a=ssrc (RTCP's limit) */

/* What sdp_rewrite changes in one media section. */
struct sdp_rewrite_media {
	bool set_port;
	uint16_t port;           /* 0 rejects the stream */
	const char *conn_addr;   /* new c= for this section (written even if it had none) */
	bool conn_v6;
	bool set_rtcp;           /* a=rtcp: port (and address, when it carries one) */
	uint16_t rtcp_port;
};

struct sdp_rewrite {
	const char *origin_username; /* NULL: keep */
	const char *origin_sess_id;  /* decimal, NULL: keep */
	const char *origin_version;  /* decimal, NULL: keep */
	const char *origin_addr;     /* NULL: keep */
	bool origin_v6;
	const char *conn_addr;       /* session-level c=, NULL: keep */
	bool conn_v6;
	bool strip_ice;              /* drop ICE attributes (the relay is the only candidate) */
	/*
	 * a=ssrc:<id> cname:<value> (RFC 5576): when set, the value becomes what cname()
	 * writes to out (at most SDP_CNAME_MAX octets; it returns how many), so that the SDP
	 * names each source as the relayed RTCP does. NULL: copied as it is.
	 */
	size_t (*cname)(const void *arg, struct sip_str value, char *out);
	const void *cname_arg;
	uint16_t n_media;            /* entries in media[]; sections beyond are copied */
	struct sdp_rewrite_media media[SDP_MAX_MEDIA];
};

/*
 * Writes the description of [buf, buf + len) (already parsed into s) with the changes in
 * rw to out, lines ending in CRLF. Returns the length written, or -1 when cap is too
 * small. Any thread (rw->cname runs on the caller's thread).
 */
int sdp_rewrite(const char *buf, size_t len, const struct sdp *s, const struct sdp_rewrite *rw,
		char *out, size_t cap);

#endif /* SDP_H */
