/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sip_msg.h - a SIP message parsed in place: start line, header index, body.
 *
 * sip_parse() makes one pass over a plain byte buffer: it reads the start line,
 * indexes every header line (compact and long names, folded lines, repeated headers)
 * and frames the body, checking limits and lengths as it goes. Every field is a slice
 * (struct sip_str) into the caller's buffer; nothing is copied, so the buffer must
 * outlive the message. Header values are parsed only when asked for (sip_hdr.h), so a
 * signalling lcore that needs Call-ID, CSeq and the top Via pays for those alone.
 *
 * No allocation and no mutable global state (the header-name index is built once before
 * main() and only read afterwards): any thread may parse into its own struct sip_msg.
 */
#ifndef SIP_MSG_H
#define SIP_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A slice of the message buffer. */
struct sip_str {
	const char *s;
	uint32_t len;
};

#define SIP_STR_NULL ((struct sip_str){ NULL, 0 })

/* Returns whether slice a equals the C string lit exactly. Any thread. */
static inline bool
sip_str_eq(struct sip_str a, const char *lit)
{
	size_t n = strlen(lit);

	return a.len == n && memcmp(a.s, lit, n) == 0;
}

/* Returns whether slice a equals the C string s, ignoring ASCII case. Any thread. */
bool sip_str_icase(struct sip_str a, const char *s);

/*
 * Returns whether slice a equals the lower-case literal lit, ignoring a's case (the fast
 * form). Any thread.
 */
static inline bool
sip_str_ieq(struct sip_str a, const char *lit)
{
	uint32_t i;

	for (i = 0; i < a.len; i++) {
		char c = a.s[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c | 0x20);
		if (c != lit[i])
			return false; /* also ends at the literal's NUL */
	}
	return lit[i] == '\0';
}

/*
 * Known headers: X(symbol, long name, compact letter or 0). Anything else is kept as
 * SIP_H_OTHER with its name and opaque value.
 */
#define SIP_HEADERS(X)                                                                             \
	X(VIA, "Via", 'v')                                                                         \
	X(FROM, "From", 'f')                                                                       \
	X(TO, "To", 't')                                                                           \
	X(CALL_ID, "Call-ID", 'i')                                                                 \
	X(CSEQ, "CSeq", 0)                                                                         \
	X(MAX_FORWARDS, "Max-Forwards", 0)                                                         \
	X(CONTACT, "Contact", 'm')                                                                 \
	X(ROUTE, "Route", 0)                                                                       \
	X(RECORD_ROUTE, "Record-Route", 0)                                                         \
	X(CONTENT_LENGTH, "Content-Length", 'l')                                                   \
	X(CONTENT_TYPE, "Content-Type", 'c')                                                       \
	X(CONTENT_ENCODING, "Content-Encoding", 'e')                                               \
	X(AUTHORIZATION, "Authorization", 0)                                                       \
	X(PROXY_AUTHORIZATION, "Proxy-Authorization", 0)                                           \
	X(WWW_AUTHENTICATE, "WWW-Authenticate", 0)                                                 \
	X(PROXY_AUTHENTICATE, "Proxy-Authenticate", 0)                                             \
	X(EXPIRES, "Expires", 0)                                                                   \
	X(REQUIRE, "Require", 0)                                                                   \
	X(PROXY_REQUIRE, "Proxy-Require", 0)                                                       \
	X(SUPPORTED, "Supported", 'k')                                                             \
	X(UNSUPPORTED, "Unsupported", 0)                                                           \
	X(ALLOW, "Allow", 0)                                                                       \
	X(SESSION_EXPIRES, "Session-Expires", 'x')                                                 \
	X(MIN_SE, "Min-SE", 0)                                                                     \
	X(P_ASSERTED_IDENTITY, "P-Asserted-Identity", 0)                                           \
	X(P_PREFERRED_IDENTITY, "P-Preferred-Identity", 0)                                         \
	X(REASON, "Reason", 0)                                                                     \
	X(RSEQ, "RSeq", 0)                                                                         \
	X(RACK, "RAck", 0)                                                                         \
	X(SUBJECT, "Subject", 's')                                                                 \
	X(USER_AGENT, "User-Agent", 0)                                                             \
	X(SERVER, "Server", 0)                                                                     \
	X(EVENT, "Event", 'o')                                                                     \
	X(REFER_TO, "Refer-To", 'r')                                                               \
	X(REFERRED_BY, "Referred-By", 'b')                                                         \
	X(ALLOW_EVENTS, "Allow-Events", 'u')                                                       \
	X(ACCEPT, "Accept", 0)                                                                     \
	X(RETRY_AFTER, "Retry-After", 0)                                                           \
	X(PATH, "Path", 0)                                                                         \
	X(PRIVACY, "Privacy", 0)                                                                   \
	X(DATE, "Date", 0)

#define SIP_X_ENUM(sym, name, compact) SIP_H_##sym,
enum sip_hdr_id {
	SIP_H_OTHER = 0,
	SIP_HEADERS(SIP_X_ENUM) SIP_H_MAX
};
#undef SIP_X_ENUM

/* Methods the SBC knows; anything else is SIP_M_OTHER (the name is kept). */
#define SIP_METHODS(X)                                                                             \
	X(INVITE) X(ACK) X(BYE) X(CANCEL) X(OPTIONS) X(REGISTER) X(PRACK) X(UPDATE) X(INFO)       \
	X(SUBSCRIBE) X(NOTIFY) X(REFER) X(MESSAGE) X(PUBLISH)

#define SIP_X_ENUM(m) SIP_M_##m,
enum sip_method {
	SIP_M_OTHER = 0,
	SIP_METHODS(SIP_X_ENUM) SIP_M_MAX
};
#undef SIP_X_ENUM

enum sip_kind {
	SIP_KIND_NONE = 0,
	SIP_KIND_REQUEST,
	SIP_KIND_RESPONSE,
};

/* One header line (with its folded continuation lines). */
struct sip_hdr {
	struct sip_str name;  /* as on the wire, e.g. "v" or "ViA" */
	struct sip_str value; /* after ':' and LWS, trailing LWS removed; may contain folds */
	uint32_t raw_off;     /* the whole line(s) including the final line end */
	uint32_t raw_len;
	uint8_t id;           /* enum sip_hdr_id */
	uint8_t bare_lf;      /* some line of it ends in LF without CR */
	int16_t next;         /* next header with the same id, or -1 */
};

/* Defaults for sip_limits; the array in struct sip_msg bounds max_headers. */
#define SIP_MAX_HEADERS 128
#define SIP_DEFAULT_MAX_MSG 65535
#define SIP_DEFAULT_MAX_LINE 8192

struct sip_limits {
	uint32_t max_msg;     /* octets of start line + headers + body */
	uint16_t max_headers; /* header lines (<= SIP_MAX_HEADERS) */
	uint16_t max_line;    /* octets of one physical line */
};

extern const struct sip_limits sip_default_limits;

/*
 * What kind of problem a refusal is about, for callers that count refusals by cause
 * (the reason phrase says it to the sender; this says it to a counter). X(symbol, name).
 *   OTHER         any other refusal
 *   CONTROL_CHAR  a control octet (0x00-0x1f but HTAB, or DEL 0x7f; a CR that does not
 *                 end a line counts) in the start line or in a header line, where
 *                 RFC 3261 25.1 has none: sip_parse() refuses it (see sip_parse)
 */
#define SIP_ERR_CAUSES(X) X(OTHER, "other") X(CONTROL_CHAR, "control_char")

#define SIP_X_ENUM(sym, name) SIP_ERR_##sym,
enum sip_err_cause {
	SIP_ERR_CAUSES(SIP_X_ENUM) SIP_ERR_MAX
};
#undef SIP_X_ENUM

/*
 * Why a message was refused: the status an SBC answers to a request (0 for a response,
 * which is discarded silently), the reason phrase to send (static strings only) and the
 * cause, which is set whatever the message's kind (responses too).
 */
struct sip_error {
	uint16_t status;
	const char *reason;
	uint8_t cause; /* enum sip_err_cause */
};

/* Name of a cause ("control_char"), or NULL when out of range. Any thread. */
const char *sip_err_cause_name(enum sip_err_cause c);

struct sip_msg {
	const char *buf;      /* start of the message (after any leading CRLF) */
	uint32_t len;         /* octets of the message as framed (headers + body) */
	uint8_t kind;         /* enum sip_kind */
	uint8_t method;       /* enum sip_method (requests; responses: from CSeq on demand) */
	uint16_t status;      /* responses */
	struct sip_str method_str;
	struct sip_str ruri;
	struct sip_str version;
	struct sip_str reason;
	uint16_t n_hdrs;
	int16_t first[SIP_H_MAX];  /* first header of each id, or -1 */
	int16_t last[SIP_H_MAX];   /* last header of each id, or -1 */
	uint32_t hdr_end;          /* offset of the empty line ending the headers */
	uint32_t body_off;         /* offset of the body */
	int64_t content_length;    /* declared, or -1 when absent */
	struct sip_str body;
	struct sip_error err;
	struct sip_hdr hdrs[SIP_MAX_HEADERS];
};

/* How the buffer reached us. */
enum sip_framing {
	SIP_FRAME_DATAGRAM, /* UDP: one message; Content-Length bounds the body, the rest is
			       ignored; without Content-Length the body is the rest */
	SIP_FRAME_STREAM,   /* TCP/TLS: Content-Length required; see sip_frame_stream() */
};

/*
 * Parses the message in buf[0, len). Returns 0, or -1 with m->err set (for requests the
 * status to answer, 400/505/513...; 0 for responses and for a keep-alive of only CRLF,
 * which get no answer). On success m->len is the framed length (for a datagram, octets
 * past it are extra and ignored).
 *
 * A control octet in the start line or a header line (NUL, the other C0 controls but
 * HTAB, DEL, a CR not followed by LF) refuses the message with 400 "Control Character
 * in <element>" and err.cause SIP_ERR_CONTROL_CHAR, except where RFC 3261 25.1 allows
 * one: HTAB as whitespace in header values and the Reason-Phrase, and any control but
 * CR and LF as the escaped octet of a quoted-pair inside a quoted-string or comment of
 * a header whose grammar has them. The body is not looked at. Any thread.
 */
int sip_parse(struct sip_msg *m, const char *buf, size_t len, enum sip_framing framing,
		const struct sip_limits *lim);

enum sip_frame_result {
	SIP_FRAME_NEED_MORE = 0, /* no complete message yet: read more */
	SIP_FRAME_COMPLETE,      /* *msg_len octets (after *skip leading CRLFs) hold one */
	SIP_FRAME_ERROR,         /* unrecoverable framing error: close the connection */
};

/*
 * Stream framing (RFC 3261 18.3): finds where the next message in a stream buffer ends.
 * Leading CRLFs (keep-alives) are skipped and reported in *skip. Needs the header
 * section and a Content-Length; a missing, invalid, repeated or oversized one is an
 * error, as is a header section longer than lim->max_msg. Returns SIP_FRAME_COMPLETE
 * with *skip and *msg_len, SIP_FRAME_NEED_MORE, or SIP_FRAME_ERROR with *err. Any thread.
 */
enum sip_frame_result sip_frame_stream(const char *buf, size_t len, const struct sip_limits *lim,
		size_t *skip, size_t *msg_len, struct sip_error *err);

/* Returns the first header with this id, or NULL. Any thread. */
static inline const struct sip_hdr *
sip_hdr_first(const struct sip_msg *m, enum sip_hdr_id id)
{
	return m->first[id] < 0 ? NULL : &m->hdrs[m->first[id]];
}

/* Returns the next header with the same id as h, or NULL. Any thread. */
static inline const struct sip_hdr *
sip_hdr_next(const struct sip_msg *m, const struct sip_hdr *h)
{
	return h->next < 0 ? NULL : &m->hdrs[h->next];
}

/* Returns the number of header lines with this id. Any thread. */
unsigned int sip_hdr_count(const struct sip_msg *m, enum sip_hdr_id id);

/* Returns the long name of a known header ("Via"), or NULL for SIP_H_OTHER. Any thread. */
const char *sip_hdr_name(enum sip_hdr_id id);

/* Returns the id of a header name (long or compact, any case), or SIP_H_OTHER. Any thread. */
enum sip_hdr_id sip_hdr_lookup(const char *name, size_t len);

/* Returns the name of a known method, or NULL. Any thread. */
const char *sip_method_name(enum sip_method m);

/* Returns the method a token names (case-sensitive, RFC 3261 7.1), or SIP_M_OTHER. Any thread. */
enum sip_method sip_method_lookup(const char *s, size_t len);

#endif /* SIP_MSG_H */
