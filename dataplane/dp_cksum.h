/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_cksum.h - Internet checksum helpers on plain buffers (RFC 1071, RFC 1624).
 * Inline, no state; any thread.
 */
#ifndef DP_CKSUM_H
#define DP_CKSUM_H

#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>

/* Returns a 32-bit one's complement sum folded to 16 bits (not inverted). Any thread. */
static inline uint16_t
dp_cksum_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/*
 * Returns the sum of the IPv6 pseudo-header (RFC 8200 8.1) for an upper-layer length and
 * protocol. Any thread.
 */
static inline uint32_t
dp_cksum_phdr6(const uint8_t *src, const uint8_t *dst, uint32_t len, uint8_t proto)
{
	uint32_t sum = 0;
	uint32_t tail[2];

	sum = __rte_raw_cksum(src, 16, sum);
	sum = __rte_raw_cksum(dst, 16, sum);
	tail[0] = rte_cpu_to_be_32(len);
	tail[1] = rte_cpu_to_be_32(proto);
	return __rte_raw_cksum(tail, sizeof(tail), sum);
}

/* Returns the sum of the IPv4 pseudo-header for an upper-layer length and protocol. Any thread. */
static inline uint32_t
dp_cksum_phdr4(const uint8_t *src, const uint8_t *dst, uint16_t len, uint8_t proto)
{
	uint32_t sum = 0;
	uint16_t tail[2];

	sum = __rte_raw_cksum(src, 4, sum);
	sum = __rte_raw_cksum(dst, 4, sum);
	tail[0] = rte_cpu_to_be_16(proto);
	tail[1] = rte_cpu_to_be_16(len);
	return __rte_raw_cksum(tail, sizeof(tail), sum);
}

/* Returns the checksum field value for data of len octets after a pseudo-header sum. Any thread. */
static inline uint16_t
dp_cksum_finish(uint32_t phdr_sum, const void *data, size_t len)
{
	uint16_t c = (uint16_t)~dp_cksum_fold(__rte_raw_cksum(data, len, phdr_sum));

	return c;
}

/* Returns true when data (with its checksum field in place) sums to all ones. Any thread. */
static inline int
dp_cksum_ok(uint32_t phdr_sum, const void *data, size_t len)
{
	return dp_cksum_fold(__rte_raw_cksum(data, len, phdr_sum)) == 0xffff;
}

/*
 * Incremental update (RFC 1624 eqn. 3): returns the checksum field cksum (network order)
 * after a 16-bit word of the covered data changed from old to new (both network order).
 * Any thread.
 */
static inline uint16_t
dp_cksum_update16(uint16_t cksum, uint16_t old, uint16_t new_)
{
	uint32_t sum = (uint16_t)~cksum;

	sum += (uint16_t)~old;
	sum += new_;
	return (uint16_t)~dp_cksum_fold(sum);
}

#endif /* DP_CKSUM_H */
