/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sip_build.h - writing SIP messages into a caller's buffer.
 *
 * Two levels:
 *  - sip_out_*: append a start line, headers (new, or copied raw from a parsed
 *    message) and end with the body; Content-Length is always written by the builder,
 *    from the body it is given, so it cannot disagree with it.
 *  - sip_rebuild(): a new message from a parsed one, with a new start line, headers
 *    removed, replaced or inserted, and a new body; untouched header lines are copied
 *    as they were (runs of them in one memcpy), line ends normalised to CRLF. Edits
 *    naming Content-Length are ignored: the builder writes it from the body.
 * Overflow never writes past the buffer: it is reported once at the end. Any thread.
 */
#ifndef SIP_BUILD_H
#define SIP_BUILD_H

#include "sip_msg.h"

struct sip_out {
	char *start;
	char *p;
	char *end;
	bool overflow;
};

/*
 * The sip_out_* writers append at o's end; one that does not fit writes nothing and
 * marks o overflowed, which sip_out_finish() reports. Any thread, each on its own o.
 */

/* Starts an empty message in buf of cap octets. Any thread. */
void sip_out_init(struct sip_out *o, char *buf, size_t cap);

/* Appends n octets at s. Any thread. */
void sip_out_raw(struct sip_out *o, const char *s, size_t n);

/* Appends a slice. Any thread. */
void sip_out_str(struct sip_out *o, struct sip_str s);

/* Appends a C string (without its NUL). Any thread. */
void sip_out_cstr(struct sip_out *o, const char *s);

/* Appends v in decimal. Any thread. */
void sip_out_uint(struct sip_out *o, unsigned int v);

/*
 * Writes v in decimal and a NUL into out (at least 21 octets); returns the length.
 * Per message, so not snprintf (a fifth of a call's CPU went to printf's machinery).
 * Any thread.
 */
size_t sip_fmt_u64(char *out, uint64_t v);

/* Appends "METHOD uri SIP/2.0\r\n". Any thread. */
void sip_out_request_line(struct sip_out *o, struct sip_str method, struct sip_str uri);

/* Appends "SIP/2.0 code reason\r\n". Any thread. */
void sip_out_status_line(struct sip_out *o, unsigned int code, struct sip_str reason);

/* Inserts n octets at offset off of what was written, moving the rest up. Any thread. */
void sip_out_insert(struct sip_out *o, size_t off, const char *s, size_t n);

/* Appends "Name: value\r\n". Any thread. */
void sip_out_header(struct sip_out *o, struct sip_str name, struct sip_str value);

/*
 * Appends the header line(s) of h exactly as they were in m (folds and compact names
 * kept; line ends written as CRLF). Any thread.
 */
void sip_out_copy_header(struct sip_out *o, const struct sip_msg *m, const struct sip_hdr *h);

/*
 * Writes "Content-Length: N", the empty line and the body; returns the message's length,
 * or -1 when o overflowed. Any thread.
 */
int sip_out_finish(struct sip_out *o, struct sip_str body);

enum sip_edit_op {
	SIP_EDIT_REMOVE,       /* drop every header of the id (or name) */
	SIP_EDIT_REPLACE,      /* drop them all, write value where the first one was */
	SIP_EDIT_INSERT_FIRST, /* write value before the first one (a new top Via) */
	SIP_EDIT_APPEND,       /* write value after the last header */
};

struct sip_edit {
	uint8_t op;           /* enum sip_edit_op */
	uint8_t id;           /* enum sip_hdr_id; SIP_H_OTHER matches by name */
	struct sip_str name;  /* name to write (default: the id's long name) / to match */
	struct sip_str value;
};

struct sip_rebuild {
	/* New start line: method and uri for a request, or status and reason. */
	bool set_request_line;
	struct sip_str method, uri;
	bool set_status_line;
	unsigned int status;
	struct sip_str reason;
	const struct sip_edit *edits;
	unsigned int n_edits;
	bool set_body;        /* else the parsed message's body */
	struct sip_str body;
};

/*
 * Writes m with the changes in rb into buf. Every Content-Length of m is dropped and a
 * correct one written. Returns the length, or -1 when cap is too small (or rb has more
 * than 64 edits). Any thread.
 */
int sip_rebuild(const struct sip_msg *m, const struct sip_rebuild *rb, char *buf, size_t cap);

#endif /* SIP_BUILD_H */
