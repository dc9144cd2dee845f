/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sig_addr.h - one end of a SIP flow over UDP as the signalling layers see it: which
 * interface of the SBC, an IPv4 or IPv6 address, a port. Plain data; any thread.
 */
#ifndef SIG_ADDR_H
#define SIG_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sig_addr {
	uint8_t v6;
	uint8_t ifidx;  /* the SBC's interface (position in the configuration's ports) */
	uint16_t port;  /* host order */
	uint8_t ip[16]; /* IPv4 in ip[0..3], the rest zero */
};

/* Returns whether a and b are the same address and port (interfaces aside). Any thread. */
bool sig_addr_eq(const struct sig_addr *a, const struct sig_addr *b);

/*
 * Formats the address ("192.0.2.1" or "2001:db8::1": no port, no brackets) into buf of
 * len octets (at least 16 for IPv4, 46 for IPv6) and returns buf. Any thread.
 */
char *sig_addr_ip_str(const struct sig_addr *a, char *buf, size_t len);

#endif /* SIG_ADDR_H */
