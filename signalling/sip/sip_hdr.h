/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sip_hdr.h - typed parsers of header values, run on demand over a parsed message.
 *
 * Each works inside the value slice of one header line and sees folded lines as plain
 * whitespace. List headers (Via, Contact, Route, Record-Route, P-Asserted-Identity,
 * option tags, Reason) are read through an iterator that walks every comma-separated
 * element of every line of that header, so "Via: a, b" and two Via lines read alike;
 * an empty element (",,") is an error. Results are slices of the message buffer.
 * Any thread; no allocation.
 */
#ifndef SIP_HDR_H
#define SIP_HDR_H

#include "sip_msg.h"

/* Walks the elements of a list header. */
struct sip_iter {
	const struct sip_msg *m;
	const struct sip_hdr *h; /* current line, NULL at the end */
	const char *p;           /* next element in that line */
	const char *end;
	bool allow_empty;        /* an empty header line is an empty list, not an error */
};

/* Sets it on the first line of the headers id of m (none: at the end). Any thread. */
void sip_iter_init(struct sip_iter *it, const struct sip_msg *m, enum sip_hdr_id id);

/*
 * The two steps every list parser takes: sip_iter_begin() positions it->p on the next
 * element (1), reports the end (0) or an empty header line (-1); after parsing an
 * element that ends at p, sip_iter_after() accepts the line's end or a ',' followed by
 * another element (1), and refuses anything else (-1). Any thread.
 */
int sip_iter_begin(struct sip_iter *it);
int sip_iter_after(struct sip_iter *it, const char *p);

/* One "; name [= value]" parameter (value NULL-sliced when absent; quotes kept). */
struct sip_param {
	const char *start;    /* the ';' */
	struct sip_str name;
	struct sip_str value;
	bool has_value;
};

/*
 * Reads the next ";param" at *p (LWS allowed around ';' and '='). Returns 1 with *out,
 * 0 when the next character is not ';' (the parameters are over), -1 when malformed
 * (an empty name, a missing value after '=', an unterminated quote). Any thread.
 */
int sip_param_next(const char **p, const char *end, struct sip_param *out);

/*
 * Finds a parameter by name (case-insensitive) in a raw ";a=b;c" list (a params slice).
 * Returns whether it is there, with its value (empty when none) in *value if not NULL.
 * Any thread.
 */
bool sip_param_find(struct sip_str params, const char *name, struct sip_str *value);

struct sip_via {
	struct sip_str protocol;  /* "SIP" */
	struct sip_str version;   /* "2.0" */
	struct sip_str transport; /* "UDP", "TCP", "TLS", ... */
	struct sip_str host;      /* IPv6 references keep their brackets */
	int32_t port;             /* -1 when absent */
	uint8_t host_type;        /* enum sip_host_type */
	bool has_branch, has_received, has_rport;
	struct sip_str branch, received, rport, maddr, ttl;
	struct sip_str params;    /* raw, from the first ';' after the sent-by */
	struct sip_str raw;       /* the whole via-parm */
};

/* Reads the next via-parm: returns 1, 0 at the end, or -1 when malformed. Any thread. */
int sip_via_next(struct sip_iter *it, struct sip_via *v);

/* Reads the topmost via-parm. Returns 0, or -1 when missing or malformed. Any thread. */
int sip_via_top(const struct sip_msg *m, struct sip_via *v);

/* name-addr or addr-spec with header parameters (From, To, Contact, Route, ...). */
struct sip_addr {
	struct sip_str display;  /* raw: quoted string with its quotes, or tokens; may be empty */
	struct sip_str uri;      /* inside <>, or the addr-spec */
	struct sip_str params;   /* raw header parameters after the URI, from the first ';' */
	struct sip_str tag;
	bool has_tag;
	bool bracketed;          /* name-addr form */
	bool star;               /* Contact: * */
};

/*
 * Parses one address with parameters and nothing else (a From or To value). Returns 0 or
 * -1. Any thread.
 */
int sip_addr_parse(struct sip_str value, struct sip_addr *a);

/*
 * Reads the next element of an address list header (Contact, Route, Record-Route, PAI,
 * ...): returns 1, 0 at the end, or -1 when malformed. Any thread.
 */
int sip_addr_next(struct sip_iter *it, struct sip_addr *a);

/*
 * From or To: exactly one header with one address. Returns 0, or -1 (missing, several
 * values, or malformed). Any thread.
 */
int sip_from(const struct sip_msg *m, struct sip_addr *a);
int sip_to(const struct sip_msg *m, struct sip_addr *a);

/* Call-ID: word [ "@" word ]. Returns 0, or -1 (missing, several, malformed). Any thread. */
int sip_call_id(const struct sip_msg *m, struct sip_str *id);

struct sip_cseq {
	uint32_t num;
	uint8_t method;      /* enum sip_method */
	struct sip_str method_str;
};

/* CSeq: 1*DIGIT LWS Method, number <= 2^32-1. Returns 0 or -1. Any thread. */
int sip_cseq(const struct sip_msg *m, struct sip_cseq *c);

/* What a parser of an optional header returns when the message has none. */
#define SIP_ABSENT (-2)

/* Returns Max-Forwards (0-255), SIP_ABSENT when missing, or -1 when malformed. Any thread. */
int sip_max_forwards(const struct sip_msg *m);

/*
 * Returns the value of a header that holds one delta-seconds (Expires, Min-SE, RSeq),
 * SIP_ABSENT, or -1 when malformed. Any thread.
 */
int64_t sip_delta_seconds(const struct sip_msg *m, enum sip_hdr_id id);

struct sip_content_type {
	struct sip_str type, subtype, params;
};

/* Content-Type: type "/" subtype *( ";" param ). Returns 0, SIP_ABSENT or -1. Any thread. */
int sip_content_type(const struct sip_msg *m, struct sip_content_type *ct);

/* Returns true when the message's Content-Type is application/sdp. Any thread. */
bool sip_body_is_sdp(const struct sip_msg *m);

/*
 * Reads the next option tag / method of a token list (Require, Supported, Allow, ...):
 * returns 1, 0 at the end, or -1 when malformed. Any thread.
 */
int sip_token_next(struct sip_iter *it, struct sip_str *tok);

/* Returns true when a token list header holds tok (case-insensitive). Any thread. */
bool sip_token_has(const struct sip_msg *m, enum sip_hdr_id id, const char *tok);

struct sip_session_expires {
	uint32_t delta;
	uint8_t refresher; /* 0 none, 1 uac, 2 uas */
	struct sip_str params;
};

/* Session-Expires (RFC 4028). Returns 0, SIP_ABSENT or -1. Any thread. */
int sip_session_expires(const struct sip_msg *m, struct sip_session_expires *se);

struct sip_reason {
	struct sip_str protocol; /* "SIP", "Q.850", ... */
	int32_t cause;           /* -1 when absent */
	struct sip_str text;     /* inside the quotes */
	struct sip_str params;
};

/*
 * Reads the next element of Reason (RFC 3326): returns 1, 0 at the end, or -1 when
 * malformed. Any thread.
 */
int sip_reason_next(struct sip_iter *it, struct sip_reason *r);

/* Credentials or a challenge (RFC 3261 22, RFC 2617). Quoted values without quotes. */
struct sip_auth {
	struct sip_str scheme; /* "Digest", or any other token */
	struct sip_str username, realm, nonce, uri, response, algorithm, cnonce, opaque, qop, nc;
	struct sip_str domain, stale;
	struct sip_str params; /* everything after the scheme */
};

/*
 * Parses one Authorization / Proxy-Authorization / *-Authenticate header line (another
 * scheme than Digest is kept whole in params). Returns 0 or -1. Any thread.
 */
int sip_auth_parse(const struct sip_hdr *h, struct sip_auth *a);

#endif /* SIP_HDR_H */
