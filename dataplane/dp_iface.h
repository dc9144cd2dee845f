/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_iface.h - the SBC's own interfaces as the dataplane sees them: MAC, VLAN, IPv4
 * and IPv6 addresses with prefixes, gateways; ownership tests and next-hop choice.
 *
 * The table is built once at start from the configuration (dp_iface_init) and then
 * only read, by every thread, without locks. Inline helpers run per packet.
 */
#ifndef DP_IFACE_H
#define DP_IFACE_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>

#include "sbc_addr.h"
#include "sbc_config.h"

#define DP_IFACE_MAX_ADDRS (SBC_CFG_MAX_ADDRS + 1)

struct dp_iface {
	uint16_t idx;     /* position in the configuration; counter slot */
	uint16_t port_id; /* ethdev port */
	uint16_t vlan;    /* 0: untagged */
	uint16_t mtu;
	uint16_t sip_port;   /* SIP over UDP, network byte order; 0: none */
	bool media_nat;
	struct rte_ether_addr mac;
	uint8_t n4;
	uint8_t n6; /* addr6[0] is the link-local address derived from the MAC */
	uint8_t has_gw4;
	uint8_t has_gw6;
	uint8_t plen4[DP_IFACE_MAX_ADDRS];
	uint8_t plen6[DP_IFACE_MAX_ADDRS];
	uint8_t addr4[DP_IFACE_MAX_ADDRS][4];
	uint8_t addr6[DP_IFACE_MAX_ADDRS][16];
	uint8_t gw4[4];
	uint8_t gw6[16];
	char name[SBC_CFG_NAME_LEN];
};

/*
 * Fills ifc from the port configuration and the port's MAC (derives the link-local).
 * Main thread, before launch.
 */
void dp_iface_init(struct dp_iface *ifc, uint16_t idx, uint16_t port_id,
		const struct sbc_port_cfg *pc, const struct rte_ether_addr *mac);

/* Returns whether the IPv6 address a is link-local (fe80::/10). Any thread. */
static inline bool
dp_ip6_is_linklocal(const uint8_t *a)
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

/* Returns the index of addr (4 octets) among the interface's IPv4 addresses, or -1. Any thread. */
static inline int
dp_iface_own4(const struct dp_iface *ifc, const uint8_t *addr)
{
	unsigned int i;

	for (i = 0; i < ifc->n4; i++)
		if (memcmp(ifc->addr4[i], addr, 4) == 0)
			return (int)i;
	return -1;
}

/*
 * Returns the index of addr among the interface's IPv6 addresses (0: link-local), or -1.
 * Any thread.
 */
static inline int
dp_iface_own6(const struct dp_iface *ifc, const uint8_t *addr)
{
	unsigned int i;

	for (i = 0; i < ifc->n6; i++)
		if (memcmp(ifc->addr6[i], addr, 16) == 0)
			return (int)i;
	return -1;
}

/*
 * Returns true when addr is the solicited-node multicast group of one of our addresses.
 * Any thread.
 */
static inline bool
dp_iface_solicited6(const struct dp_iface *ifc, const uint8_t *addr)
{
	static const uint8_t pfx[13] = { 0xff, 0x02, [11] = 0x01, [12] = 0xff };
	unsigned int i;

	if (memcmp(addr, pfx, 13) != 0)
		return false;
	for (i = 0; i < ifc->n6; i++)
		if (memcmp(ifc->addr6[i] + 13, addr + 13, 3) == 0)
			return true;
	return false;
}

/* Returns true when addr (4 octets) is a broadcast of one of the port's subnets. Any thread. */
static inline bool
dp_iface_bcast4(const struct dp_iface *ifc, const uint8_t *addr)
{
	unsigned int i;
	uint32_t a = rte_be_to_cpu_32(*(const uint32_t *)(const void *)addr);

	if (a == 0xffffffffu)
		return true;
	for (i = 0; i < ifc->n4; i++) {
		uint32_t host = ifc->plen4[i] >= 31 ? 0 : 0xffffffffu >> ifc->plen4[i];
		uint32_t net = rte_be_to_cpu_32(*(const uint32_t *)(const void *)ifc->addr4[i]);

		if (host != 0 && (a & ~host) == (net & ~host) && (a & host) == host)
			return true;
	}
	return false;
}

/*
 * Returns true when addr (4 octets) is the network address of one of the port's subnets.
 * Any thread.
 */
static inline bool
dp_iface_net4(const struct dp_iface *ifc, const uint8_t *addr)
{
	unsigned int i;

	for (i = 0; i < ifc->n4; i++)
		if (ifc->plen4[i] <= 30 && sbc_prefix_match(addr, ifc->addr4[i], ifc->plen4[i]) &&
				(rte_be_to_cpu_32(*(const uint32_t *)(const void *)addr) &
						(0xffffffffu >> ifc->plen4[i])) == 0)
			return true;
	return false;
}

/*
 * Returns the length of the longest prefix among the interface's addresses covering addr,
 * or -1. Any thread.
 */
static inline int
dp_iface_onlink(const struct dp_iface *ifc, int v6, const uint8_t *addr)
{
	unsigned int i;
	int best = -1;

	if (v6) {
		if (ifc->n6 == 0)
			return -1;
		if (dp_ip6_is_linklocal(addr))
			return 64;
		for (i = 1; i < ifc->n6; i++)
			if (ifc->plen6[i] > best && sbc_prefix_match(addr, ifc->addr6[i], ifc->plen6[i]))
				best = ifc->plen6[i];
	} else {
		for (i = 0; i < ifc->n4; i++)
			if (ifc->plen4[i] > best && sbc_prefix_match(addr, ifc->addr4[i], ifc->plen4[i]))
				best = ifc->plen4[i];
	}
	return best;
}

/*
 * Chooses the interface and next hop for a packet to dst (4 or 16 octets). A link-local
 * destination is reached on the ingress interface. Returns the interface or NULL (no
 * route); *nexthop points into dst or the interface's gateway. Any thread.
 */
static inline const struct dp_iface *
dp_route(const struct dp_iface *ifaces, unsigned int n, const struct dp_iface *ingress, int v6,
		const uint8_t *dst, const uint8_t **nexthop)
{
	const struct dp_iface *best = NULL, *gw = NULL;
	int best_len = -1;
	unsigned int i;

	if (v6 && dp_ip6_is_linklocal(dst)) {
		*nexthop = dst;
		return ingress != NULL && ingress->n6 ? ingress : NULL;
	}
	for (i = 0; i < n; i++) {
		int l = dp_iface_onlink(&ifaces[i], v6, dst);

		if (l > best_len) {
			best_len = l;
			best = &ifaces[i];
		}
		if (v6 ? ifaces[i].has_gw6 : ifaces[i].has_gw4)
			gw = &ifaces[i];
	}
	if (best != NULL) {
		*nexthop = dst;
		return best;
	}
	if (gw != NULL)
		*nexthop = v6 ? gw->gw6 : gw->gw4;
	return gw;
}

/*
 * Returns the next hop towards dst (4 or 16 octets) out of ifc: dst itself when on-link,
 * else ifc's gateway of that family; NULL when there is neither. Any thread.
 */
static inline const uint8_t *
dp_iface_nexthop(const struct dp_iface *ifc, int v6, const uint8_t *dst)
{
	if (dp_iface_onlink(ifc, v6, dst) >= 0)
		return dst;
	if (v6 ? !ifc->has_gw6 : !ifc->has_gw4)
		return NULL;
	return v6 ? ifc->gw6 : ifc->gw4;
}

/*
 * Returns our source address for talking to dst on ifc (same prefix, else the first; for
 * IPv4, NULL when ifc has none). Any thread.
 */
static inline const uint8_t *
dp_iface_src_for(const struct dp_iface *ifc, int v6, const uint8_t *dst)
{
	unsigned int i;

	if (v6) {
		if (dp_ip6_is_linklocal(dst) || ifc->n6 == 1)
			return ifc->addr6[0];
		for (i = 1; i < ifc->n6; i++)
			if (sbc_prefix_match(dst, ifc->addr6[i], ifc->plen6[i]))
				return ifc->addr6[i];
		return ifc->addr6[1];
	}
	for (i = 0; i < ifc->n4; i++)
		if (sbc_prefix_match(dst, ifc->addr4[i], ifc->plen4[i]))
			return ifc->addr4[i];
	return ifc->n4 ? ifc->addr4[0] : NULL;
}

#endif /* DP_IFACE_H */
