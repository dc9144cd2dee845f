/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sip_peek.h - the first-line SIP check: what the dataplane learns from a SIP/UDP
 * datagram before handing it to a signalling lcore. It drops what is not SIP at all
 * (no start line) and counts keep-alives, and it tells the per-source flood limits
 * whether a request is an INVITE, whether it is inside a dialog (To has a tag) and
 * whether its User-Agent names a known scanner.
 *
 * It also finds the first Call-ID value and, in a response, the top Via's branch, which
 * choose the signalling lcore (sip_shard.h) and travel with the datagram, so that
 * nobody searches for them again (the message layer checks that the Call-ID is the one
 * it indexed; a request's Via is parsed whole by the transaction layer anyway).
 *
 * Design: one bounded pass over the start line and the header lines, nothing copied,
 * nothing allocated, the input never written. It is lenient where the message layer
 * (sip_parse, sip_validate) is strict: a request that the signalling lcore would answer
 * with a precise error (400, 505...) must reach it, so only what has no SIP start line
 * at all is classed SIP_PEEK_NO_START_LINE. Header names are matched in any case and
 * compact form; folded lines continue their header. The body is never looked at.
 *
 * Threads: any; sip_peek() reads only its arguments, and a struct sip_peek_names may be
 * shared read-only by every lcore once sip_peek_names_init() has filled it.
 */
#ifndef SIP_PEEK_H
#define SIP_PEEK_H

#include <stdbool.h>
#include <stdint.h>

#define SIP_PEEK_MAX_NAMES 32 /* scanner names in a list */
#define SIP_PEEK_NAME_LEN  48 /* octets of a name with its NUL */
/*
 * Octets of User-Agent values searched for scanner names per datagram (all User-Agent
 * lines together): the search costs octets times names, so it is bounded here.
 */
#define SIP_PEEK_UA_SCAN 512

enum sip_peek_kind {
	SIP_PEEK_REQUEST = 0,   /* a request line: METHOD SP Request-URI SP SIP/x.y CRLF */
	SIP_PEEK_RESPONSE,      /* a status line: SIP/x.y SP 3DIGIT SP ... */
	SIP_PEEK_KEEPALIVE,     /* only CR, LF, SP, HTAB, or empty: keep-alives (RFC 5626 3.5.1) */
	SIP_PEEK_NO_START_LINE, /* anything else: no SIP start line */
};

/* What sip_peek() found. Offsets are from the start of the datagram. */
struct sip_peek {
	uint8_t kind; /* enum sip_peek_kind */
	bool invite;  /* a request whose method is exactly INVITE */
	bool to_tag;  /* the To header (long "To" or compact "t", any case) has a tag parameter */
	bool scanner; /* a User-Agent header whose value contains one of the scanner names */
	uint16_t call_id_off; /* the first Call-ID ("Call-ID" or "i") header's value, without */
	uint16_t call_id_len; /*   surrounding whitespace; 0: none (or beyond 64 KiB) */
	uint16_t branch_off;  /* responses: the branch parameter of the first via-parm of the */
	uint16_t branch_len;  /*   first Via ("Via" or "v"); 0: none (and for requests) */
};

/* A list of scanner names to look for in User-Agent values (case-insensitive substrings). */
struct sip_peek_names {
	unsigned int n;
	const char *name[SIP_PEEK_MAX_NAMES]; /* NUL-terminated, not copied */
	uint8_t len[SIP_PEEK_MAX_NAMES];      /* strlen of each, 1 .. SIP_PEEK_NAME_LEN - 1 */
};

/*
 * The default scanner list: friendly-scanner, sipvicious, sipcli, sip-scan,
 * VaxSIPUserAgent, iWar, SIVuS, sundayddr, smap. NULL-terminated.
 */
extern const char *const sip_peek_default_scanners[];

/*
 * Fills names from a NULL-terminated list of strings, which must outlive it (they are
 * not copied). Returns 0, or -EINVAL (more than SIP_PEEK_MAX_NAMES names, an empty name
 * or one longer than SIP_PEEK_NAME_LEN - 1 octets) with names left empty. Any thread,
 * before names is shared (sbcd: the thread building a firewall generation).
 */
int sip_peek_names_init(struct sip_peek_names *names, const char *const *list);

/*
 * Reads the start line and the header lines of the datagram buf[0, len) and fills out.
 * Leading CR and LF are skipped (RFC 3261 7.5). names may be NULL: no scanner check.
 * Never reads outside buf, never writes to it. Returns out->kind (enum sip_peek_kind).
 * Any thread (sbcd: dataplane lcores).
 */
int sip_peek(const char *buf, uint32_t len, const struct sip_peek_names *names,
		struct sip_peek *out);

#endif /* SIP_PEEK_H */
