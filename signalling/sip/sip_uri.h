/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sip_uri.h - URIs of RFC 3261 (sip, sips), RFC 3966 (tel) and, kept opaque, any other
 * absolute URI. Fields are slices of the input; escapes are validated, never decoded
 * in place. Any thread.
 */
#ifndef SIP_URI_H
#define SIP_URI_H

#include "sip_msg.h"

enum sip_scheme {
	SIP_SCHEME_OTHER = 0,
	SIP_SCHEME_SIP,
	SIP_SCHEME_SIPS,
	SIP_SCHEME_TEL,
};

enum sip_host_type {
	SIP_HOST_NONE = 0,
	SIP_HOST_NAME,
	SIP_HOST_IPV4,
	SIP_HOST_IPV6, /* host keeps its brackets */
};

struct sip_uri {
	uint8_t scheme;    /* enum sip_scheme */
	uint8_t host_type; /* enum sip_host_type */
	bool lr;
	int32_t port;      /* -1 when absent */
	struct sip_str scheme_str;
	struct sip_str user;     /* sip/sips user, or the tel number */
	struct sip_str password;
	struct sip_str host;
	struct sip_str params;   /* ";a=b;c" as on the wire, without the first ';' */
	struct sip_str headers;  /* after '?' */
	struct sip_str opaque;   /* other schemes: everything after ':' */
	struct sip_str transport, user_param, method, maddr, ttl; /* well-known params */
};

/*
 * Parses the URI in [s, s + len). Returns 0, or -1 with *why (if given) naming the
 * problem. Any thread.
 */
int sip_uri_parse(const char *s, size_t len, struct sip_uri *u, const char **why);

/*
 * Validates an IPv6 reference without its brackets: RFC 4291 text forms, and the extra
 * colon before an embedded IPv4 address that RFC 3261's grammar allows (RFC 5118 4.10).
 * Returns whether it is one, and fills the 16 octets when addr is not NULL. Any thread.
 */
bool sip_ipv6_parse(const char *s, size_t len, uint8_t *addr);

/*
 * Returns true when [s, s + len) is a dotted-quad IPv4 address (each part 0-255), and
 * fills its 4 octets when addr is not NULL. Any thread.
 */
bool sip_ipv4_parse(const char *s, size_t len, uint8_t *addr);

/*
 * Parses a host (name, IPv4, or IPv6 reference) at [p, end); returns its end or NULL.
 * Any thread.
 */
const char *sip_host_parse(const char *p, const char *end, struct sip_str *host,
		uint8_t *host_type);

/*
 * Parses "host [: port]" (the host part of a URI, no whitespace) at [p, end).
 * Returns the position after it, or NULL. *port is -1 when absent. Any thread.
 */
const char *sip_hostport_parse(const char *p, const char *end, struct sip_str *host,
		uint8_t *host_type, int32_t *port);

#endif /* SIP_URI_H */
