/* SPDX-License-Identifier: BSD-3-Clause */
/* sig_io.c - signalling lcore datagram I/O (see sig_io.h). Owning lcore only. */
#include <string.h>

#include <rte_cycles.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "dp_cksum.h"
#include "sig_io.h"

int
sig_dgram_read(const struct sbc_sip_dgram *e, uint8_t *scratch, struct b2b_dgram *d)
{
	const struct rte_mbuf *m = e->mbuf;

	if (m == NULL || (uint32_t)e->payload_off + e->payload_len > rte_pktmbuf_pkt_len(m))
		return -1;
	if (m->nb_segs > 1)
		d->data = rte_pktmbuf_read(m, e->payload_off, e->payload_len, scratch);
	else
		d->data = rte_pktmbuf_mtod_offset(m, const char *, e->payload_off);
	d->len = e->payload_len;
	d->src.v6 = d->dst.v6 = e->v6;
	d->src.ifidx = d->dst.ifidx = e->ifidx;
	d->src.port = e->src_port;
	d->dst.port = e->dst_port;
	memcpy(d->src.ip, e->src_ip, 16);
	memcpy(d->dst.ip, e->dst_ip, 16);
	d->call_id = e->call_id_len == 0 ?
			SIP_STR_NULL :
			(struct sip_str){ d->data + e->call_id_off, e->call_id_len };
	d->branch = e->branch_len == 0 ? SIP_STR_NULL :
					 (struct sip_str){ d->data + e->branch_off, e->branch_len };
	return d->data != NULL ? 0 : -1;
}

/* UDP header and checksum over the pseudo-header, the header and the payload. */
static void
udp_fill(struct rte_udp_hdr *udp, const struct sig_addr *from, const struct sig_addr *to,
		const char *data, uint32_t len)
{
	uint16_t ulen = (uint16_t)(len + sizeof(*udp));
	uint32_t sum;
	uint16_t c;

	udp->src_port = rte_cpu_to_be_16(from->port);
	udp->dst_port = rte_cpu_to_be_16(to->port);
	udp->dgram_len = rte_cpu_to_be_16(ulen);
	udp->dgram_cksum = 0;
	sum = from->v6 ? dp_cksum_phdr6(from->ip, to->ip, ulen, IPPROTO_UDP) :
			 dp_cksum_phdr4(from->ip, to->ip, ulen, IPPROTO_UDP);
	sum = __rte_raw_cksum(udp, sizeof(*udp), sum);
	c = dp_cksum_finish(sum, data, len);
	udp->dgram_cksum = c == 0 ? 0xffff : c; /* 0 means "no checksum" in UDP */
}

static void
ip4_fill(struct rte_ipv4_hdr *ip, const struct sig_addr *from, const struct sig_addr *to,
		uint16_t total, uint16_t id, uint16_t frag)
{
	ip->version_ihl = 0x45;
	ip->type_of_service = 0;
	ip->total_length = rte_cpu_to_be_16(total);
	ip->packet_id = rte_cpu_to_be_16(id);
	ip->fragment_offset = rte_cpu_to_be_16(frag);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	memcpy(&ip->src_addr, from->ip, 4);
	memcpy(&ip->dst_addr, to->ip, 4);
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
}

static enum sbc_drop
output(struct dp *dp, uint16_t txq, const struct dp_iface *out, struct rte_mbuf *m,
		const struct sig_addr *to, struct sbc_lcore_stats *st)
{
	uint64_t t0 = rte_rdtsc();
	enum sbc_drop why = dp_output(dp, txq, out, m, to->v6, to->ip, &st->port[out->idx]);

	/* Kept apart: with a kernel-backed PMD the transmit is a system call, not our work. */
	sbc_cnt_add(&st->sig.tx_cycles, rte_rdtsc() - t0);
	if (why != SBC_DROP_NONE)
		rte_pktmbuf_free(m);
	return why;
}

enum sbc_drop
sig_send(struct dp *dp, uint16_t txq, struct sbc_lcore_stats *st, const struct sig_addr *from,
		const struct sig_addr *to, const char *data, uint32_t len)
{
	static __thread uint16_t ip_id;
	const struct dp_iface *out = &dp->ifaces[from->ifidx];
	uint32_t hdr = from->v6 ? sizeof(struct rte_ipv6_hdr) : sizeof(struct rte_ipv4_hdr);
	struct rte_udp_hdr udp;
	uint32_t payload = len + (uint32_t)sizeof(udp), off, chunk, room;
	struct rte_mbuf *m;
	uint8_t *l3;
	uint16_t id;
	enum sbc_drop why = SBC_DROP_NONE;

	udp_fill(&udp, from, to, data, len);
	room = rte_pktmbuf_data_room_size(dp->pool) - RTE_PKTMBUF_HEADROOM;
	if (hdr + payload <= out->mtu && hdr + payload <= room) {
		m = rte_pktmbuf_alloc(dp->pool);
		if (m == NULL)
			return SBC_DROP_NO_MBUF;
		l3 = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)(hdr + payload));
		if (from->v6) {
			struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)l3;

			ip->vtc_flow = RTE_BE32(6u << 28);
			ip->payload_len = rte_cpu_to_be_16((uint16_t)payload);
			ip->proto = IPPROTO_UDP;
			ip->hop_limits = 64;
			memcpy(ip->src_addr, from->ip, 16);
			memcpy(ip->dst_addr, to->ip, 16);
		} else {
			ip4_fill((struct rte_ipv4_hdr *)l3, from, to, (uint16_t)(hdr + payload),
					ip_id++, 0);
		}
		memcpy(l3 + hdr, &udp, sizeof(udp));
		memcpy(l3 + hdr + sizeof(udp), data, len);
		return output(dp, txq, out, m, to, st);
	}
	/* Larger than the link: IPv4 fragments (RFC 791); IPv6 would need TCP (RFC 3261 18.1.1). */
	if (from->v6 || payload > 65535 - hdr)
		return SBC_DROP_SIP_TOO_BIG;
	chunk = ((RTE_MIN(out->mtu, room) - hdr) / 8) * 8;
	id = ip_id++;
	for (off = 0; off < payload && why == SBC_DROP_NONE; off += chunk) {
		uint32_t n = RTE_MIN(chunk, payload - off), k = 0;

		m = rte_pktmbuf_alloc(dp->pool);
		if (m == NULL)
			return SBC_DROP_NO_MBUF;
		l3 = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)(hdr + n));
		ip4_fill((struct rte_ipv4_hdr *)l3, from, to, (uint16_t)(hdr + n), id,
				(uint16_t)((off / 8) | (off + n < payload ? RTE_IPV4_HDR_MF_FLAG : 0)));
		/* The UDP header is the first 8 octets of the datagram's payload. */
		if (off == 0) {
			memcpy(l3 + hdr, &udp, sizeof(udp));
			k = sizeof(udp);
		}
		memcpy(l3 + hdr + k, data + off + k - sizeof(udp), n - k);
		why = output(dp, txq, out, m, to, st);
	}
	return why;
}
