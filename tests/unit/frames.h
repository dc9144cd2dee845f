/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * frames.h - builders of test frames for the dataplane unit tests. Each writes into a
 * caller's buffer and returns the frame length; checksums are computed here with a
 * plain RFC 1071 loop, independent of the code under test.
 */
#ifndef TEST_FRAMES_H
#define TEST_FRAMES_H

#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>

static const uint8_t T_MAC_US[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t T_MAC_PEER[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x10 };
static const uint8_t T_MAC_BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t T_IP4_US[4] = { 192, 0, 2, 1 };
static const uint8_t T_IP4_PEER[4] = { 192, 0, 2, 10 };
static const uint8_t T_IP6_US[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x0a, [15] = 1 };
static const uint8_t T_IP6_PEER[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x0a, [15] = 0x10 };

/* Plain one's complement sum (RFC 1071) of data, added to sum. */
static inline uint32_t
t_sum(const uint8_t *p, size_t n, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)(p[n - 1] << 8);
	return sum;
}

static inline uint16_t
t_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static inline void
t_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Ethernet header with nvlan 802.1Q tags (ids vlan, vlan+1); returns its length. */
static inline size_t
t_eth(uint8_t *f, const uint8_t *dst, const uint8_t *src, uint16_t type, int nvlan, uint16_t vlan)
{
	size_t off = 12;
	int i;

	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	for (i = 0; i < nvlan; i++) {
		t_put16(f + off, i == 0 && nvlan == 2 ? 0x88a8 : 0x8100);
		t_put16(f + off + 2, (uint16_t)(vlan + i));
		off += 4;
	}
	t_put16(f + off, type);
	return off + 2;
}

/* ARP packet at p; returns 28. */
static inline size_t
t_arp(uint8_t *p, uint16_t op, const uint8_t *sha, const uint8_t *sip, const uint8_t *tha,
		const uint8_t *tip)
{
	t_put16(p, 1);
	t_put16(p + 2, 0x0800);
	p[4] = 6;
	p[5] = 4;
	t_put16(p + 6, op);
	memcpy(p + 8, sha, 6);
	memcpy(p + 14, sip, 4);
	memcpy(p + 18, tha, 6);
	memcpy(p + 24, tip, 4);
	return 28;
}

/* IPv4 header (20 octets, checksum set) for a payload of plen octets. */
static inline size_t
t_ip4(uint8_t *p, const uint8_t *src, const uint8_t *dst, uint8_t proto, uint16_t plen)
{
	memset(p, 0, 20);
	p[0] = 0x45;
	t_put16(p + 2, (uint16_t)(20 + plen));
	t_put16(p + 4, 0x1234);
	p[8] = 64;
	p[9] = proto;
	memcpy(p + 12, src, 4);
	memcpy(p + 16, dst, 4);
	t_put16(p + 10, t_fold(t_sum(p, 20, 0)));
	return 20;
}

/* IPv6 header for a payload of plen octets. */
static inline size_t
t_ip6(uint8_t *p, const uint8_t *src, const uint8_t *dst, uint8_t nh, uint16_t plen, uint8_t hops)
{
	memset(p, 0, 40);
	p[0] = 0x60;
	t_put16(p + 4, plen);
	p[6] = nh;
	p[7] = hops;
	memcpy(p + 8, src, 16);
	memcpy(p + 24, dst, 16);
	return 40;
}

/* Checksum of an ICMPv6 (or UDP/TCP over IPv6) message after the IPv6 header at ip6. */
static inline uint16_t
t_cksum6(const uint8_t *ip6, const uint8_t *l4, size_t len, uint8_t proto)
{
	uint32_t sum = t_sum(ip6 + 8, 32, 0);

	sum += (uint32_t)(len >> 16) + (uint32_t)(len & 0xffff) + proto;
	return t_fold(t_sum(l4, len, sum));
}

/* Echo request/reply body: type, code, checksum (plain, for ICMPv4), id, seq, data. */
static inline size_t
t_icmp_echo(uint8_t *p, uint8_t type, size_t datalen)
{
	size_t i;

	memset(p, 0, 8);
	p[0] = type;
	t_put16(p + 4, 0x4242);
	t_put16(p + 6, 7);
	for (i = 0; i < datalen; i++)
		p[8 + i] = (uint8_t)i;
	return 8 + datalen;
}

#endif /* TEST_FRAMES_H */
