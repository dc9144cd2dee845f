/* SPDX-License-Identifier: BSD-3-Clause */
/* dp_iface.c - builds the interface table (see dp_iface.h). Main thread, at start. */
#include <string.h>

#include "dp_iface.h"

void
dp_iface_init(struct dp_iface *ifc, uint16_t idx, uint16_t port_id,
		const struct sbc_port_cfg *pc, const struct rte_ether_addr *mac)
{
	unsigned int i;
	uint8_t *ll;

	memset(ifc, 0, sizeof(*ifc));
	ifc->idx = idx;
	ifc->port_id = port_id;
	ifc->vlan = pc->vlan;
	ifc->mtu = pc->mtu;
	ifc->sip_port = rte_cpu_to_be_16(pc->sip_udp_port);
	ifc->media_nat = pc->media_nat;
	ifc->mac = *mac;
	snprintf(ifc->name, sizeof(ifc->name), "%s", pc->name);
	for (i = 0; i < pc->n_addr4; i++) {
		memcpy(ifc->addr4[i], pc->addr4[i].a, 4);
		ifc->plen4[i] = pc->addr4[i].plen;
	}
	ifc->n4 = (uint8_t)pc->n_addr4;

	if (pc->n_addr6 == 0)
		goto gateways; /* IPv6 is off on this port: no link-local either */
	/* fe80::/64 with the modified EUI-64 of the MAC (RFC 4291 appendix A). */
	ll = ifc->addr6[0];
	ll[0] = 0xfe;
	ll[1] = 0x80;
	ll[8] = mac->addr_bytes[0] ^ 0x02;
	ll[9] = mac->addr_bytes[1];
	ll[10] = mac->addr_bytes[2];
	ll[11] = 0xff;
	ll[12] = 0xfe;
	ll[13] = mac->addr_bytes[3];
	ll[14] = mac->addr_bytes[4];
	ll[15] = mac->addr_bytes[5];
	ifc->plen6[0] = 64;
	for (i = 0; i < pc->n_addr6; i++) {
		memcpy(ifc->addr6[i + 1], pc->addr6[i].a, 16);
		ifc->plen6[i + 1] = pc->addr6[i].plen;
	}
	ifc->n6 = (uint8_t)(pc->n_addr6 + 1);
gateways:
	if (pc->has_gw4) {
		ifc->has_gw4 = 1;
		memcpy(ifc->gw4, pc->gw4.a, 4);
	}
	if (pc->has_gw6) {
		ifc->has_gw6 = 1;
		memcpy(ifc->gw6, pc->gw6.a, 16);
	}
}
