/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sbc_addr.h - IPv4/IPv6 addresses and prefixes as the configuration and the planes
 * share them. Plain data, no EAL; safe from any thread.
 */
#ifndef SBC_ADDR_H
#define SBC_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* An address with an optional prefix length; IPv4 in a[0..3], network byte order. */
struct sbc_ip {
	uint8_t family; /* AF_INET or AF_INET6 */
	uint8_t plen;   /* prefix length; 32 or 128 for a host address */
	uint8_t a[16];
};

#define SBC_IP_STRLEN 64

/*
 * Parses "a.b.c.d", "a.b.c.d/len", "x:y::z" or "x:y::z/len". With want_prefix the
 * "/len" part is required, otherwise it is refused. Returns 0 or -EINVAL. Any thread.
 */
int sbc_ip_parse(const char *s, int family, bool want_prefix, struct sbc_ip *out);

/* Formats the address (and "/len" when with_prefix) into buf; returns buf. Any thread. */
char *sbc_ip_format(const struct sbc_ip *ip, bool with_prefix, char *buf, size_t len);

/* Returns true when addr lies inside the prefix net/net->plen (same family). Any thread. */
bool sbc_ip_in_prefix(const struct sbc_ip *addr, const struct sbc_ip *net);

/* Returns true when both hold the same family and address (prefix ignored). Any thread. */
bool sbc_ip_equal(const struct sbc_ip *x, const struct sbc_ip *y);

/* Returns true when bits [0, plen) of the addresses a and b match. Any thread. */
bool sbc_prefix_match(const uint8_t *a, const uint8_t *b, unsigned plen);

#endif /* SBC_ADDR_H */
