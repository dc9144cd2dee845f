/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_rtcp.c - RTCP scrubbing for topology hiding (what and why: dp_rtcp.h). Out of line
 * on purpose: the relay calls it for RTCP only, about once per stream every 5 s.
 *
 * dp_rtcp_scrub() walks the compound once, reading within [in, in + len) and writing
 * the result to a separate buffer as it goes, so a malformation found late leaves
 * nothing behind; dp_rtcp_relay_scrub() copies the result into the packet only when
 * the whole compound was good, then mends lengths and checksums.
 */
#include <errno.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "dp_relay.h"
#include "dp_rtcp.h"

static const char b64_alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void
dp_rtcp_cname(const struct sbc_hash_key *key, uint32_t call, const uint8_t *cname, uint8_t n,
		char *out)
{
	uint8_t in[1 + 4 + UINT8_MAX];
	uint8_t h[12];
	uint64_t a, b;
	unsigned int i;

	/* One input hashed in two domains (its first octet): 128 bits, 96 of them used. */
	in[1] = (uint8_t)(call >> 24);
	in[2] = (uint8_t)(call >> 16);
	in[3] = (uint8_t)(call >> 8);
	in[4] = (uint8_t)call;
	memcpy(in + 5, cname, n);
	in[0] = 0;
	a = sbc_siphash13(key, in, 5u + n);
	in[0] = 1;
	b = sbc_siphash13(key, in, 5u + n);
	for (i = 0; i < 8; i++)
		h[i] = (uint8_t)(a >> (8 * i));
	for (i = 0; i < 4; i++)
		h[8 + i] = (uint8_t)(b >> (8 * i));
	/* Base64 (RFC 4648 4): three octets make four characters, no padding for 12. */
	for (i = 0; i < 4; i++) {
		uint32_t w = (uint32_t)h[3 * i] << 16 | (uint32_t)h[3 * i + 1] << 8 | h[3 * i + 2];

		out[4 * i] = b64_alphabet[w >> 18];
		out[4 * i + 1] = b64_alphabet[(w >> 12) & 63];
		out[4 * i + 2] = b64_alphabet[(w >> 6) & 63];
		out[4 * i + 3] = b64_alphabet[w & 63];
	}
}

/* The walk over one compound: what it reads, where it writes, how far it got. */
struct rtcp_walk {
	const struct sbc_hash_key *key;
	uint32_t call;
	uint8_t *out;
	uint32_t cap;
	uint32_t olen; /* octets written to out */
};

/* Appends n octets; 0, or -ENOSPC when they do not fit. */
static int
put(struct rtcp_walk *w, const void *p, uint32_t n)
{
	if (n > w->cap - w->olen)
		return -ENOSPC;
	memcpy(w->out + w->olen, p, n);
	w->olen += n;
	return 0;
}

/* The SDES items a chunk keeps as they are: identifiers the SDP chose, no free text. */
static bool
sdes_item_kept(uint8_t type)
{
	return type == DP_SDES_MID || type == DP_SDES_RTP_STREAM_ID ||
			type == DP_SDES_REPAIRED_RTP_STREAM_ID;
}

/*
 * Writes the packet header of a rewritten packet (V=2, no padding, count, type) at
 * offset at of out, for what was written from there on.
 */
static void
put_header(struct rtcp_walk *w, uint32_t at, uint8_t count, uint8_t type)
{
	uint32_t words = (w->olen - at) / 4 - 1;

	w->out[at] = (uint8_t)(0x80 | count);
	w->out[at + 1] = type;
	w->out[at + 2] = (uint8_t)(words >> 8);
	w->out[at + 3] = (uint8_t)words;
}

/*
 * One SDES chunk at offset *pos of the packet at pkt, whose chunks end at offset end:
 * written scrubbed, and *pos moved past it (its items, the null octet ending them and
 * the nulls up to the next 32-bit boundary). Returns 0, -EBADMSG or -ENOSPC.
 */
static int
sdes_chunk(struct rtcp_walk *w, const uint8_t *pkt, uint32_t end, uint32_t *pos)
{
	static const uint8_t nulls[4];
	uint32_t p = *pos, start = w->olen, n;
	int rc;

	if (end - p < 4)
		return -EBADMSG;
	rc = put(w, pkt + p, 4); /* SSRC or CSRC */
	if (rc < 0)
		return rc;
	for (p += 4; p < end && pkt[p] != DP_SDES_END; p += 2 + n) {
		if (end - p < 2 || end - p - 2 < pkt[p + 1])
			return -EBADMSG; /* an item beyond the chunk */
		n = pkt[p + 1];
		if (pkt[p] == DP_SDES_CNAME) {
			uint8_t item[2 + DP_RTCP_CNAME_LEN] = { DP_SDES_CNAME, DP_RTCP_CNAME_LEN };

			dp_rtcp_cname(w->key, w->call, pkt + p + 2, (uint8_t)n, (char *)item + 2);
			rc = put(w, item, sizeof(item));
		} else if (sdes_item_kept(pkt[p])) {
			rc = put(w, pkt + p, 2 + n);
		}
		if (rc < 0)
			return rc;
	}
	if (p >= end)
		return -EBADMSG; /* no null octet ends the items */
	/* The chunk ends at the first 32-bit boundary after its null octet. */
	p = (p + 4) & ~3u;
	if (p > end)
		return -EBADMSG;
	*pos = p;
	n = w->olen - start;
	return put(w, nulls, ((n + 4) & ~3u) - n);
}

/* An SDES packet (RFC 3550 6.5), its chunks ending at offset end: rewritten. */
static int
sdes(struct rtcp_walk *w, const uint8_t *pkt, uint32_t end)
{
	uint8_t count = pkt[0] & 0x1f;
	uint32_t at = w->olen, pos = 4;
	unsigned int i;
	int rc;

	rc = put(w, pkt, 4); /* the header, written again below */
	for (i = 0; i < count && rc == 0; i++)
		rc = sdes_chunk(w, pkt, end, &pos);
	if (rc < 0)
		return rc;
	if (pos != end)
		return -EBADMSG; /* octets that no chunk accounts for */
	put_header(w, at, count, DP_RTCP_SDES);
	return 0;
}

/* A BYE packet (RFC 3550 6.6), its content ending at offset end: the reason removed. */
static int
bye(struct rtcp_walk *w, const uint8_t *pkt, uint32_t end)
{
	uint8_t count = pkt[0] & 0x1f;
	uint32_t ids = 4 + 4u * count, at = w->olen;
	int rc;

	if (ids > end)
		return -EBADMSG;
	/* A reason: its length octet, the text and nulls to the next 32-bit boundary. */
	if (end > ids && ids + ((1u + pkt[ids] + 3) & ~3u) != end)
		return -EBADMSG;
	rc = put(w, pkt, ids);
	if (rc < 0)
		return rc;
	put_header(w, at, count, DP_RTCP_BYE);
	return 0;
}

int
dp_rtcp_scrub(const struct sbc_hash_key *key, uint32_t call, const uint8_t *in, uint32_t len,
		uint8_t *out, uint32_t cap)
{
	struct rtcp_walk w = { .key = key, .call = call, .out = out, .cap = cap };
	uint32_t off = 0;

	if (len == 0)
		return -EBADMSG;
	while (off < len) {
		const uint8_t *pkt = in + off;
		uint32_t plen, end;
		int rc;

		if (len - off < 4 || (pkt[0] >> 6) != 2)
			return -EBADMSG;
		/* The length counts 32-bit words minus one, the header included. */
		plen = 4 * ((uint32_t)pkt[2] << 8 | pkt[3]) + 4;
		if (plen > len - off)
			return -EBADMSG;
		end = plen;
		if (pkt[0] & 0x20) {
			/* Padding: its last octet counts the padding octets, itself included. */
			if (pkt[plen - 1] == 0 || pkt[plen - 1] > plen - 4)
				return -EBADMSG;
			end -= pkt[plen - 1];
		}
		switch (pkt[1]) {
		case DP_RTCP_SDES:
			rc = sdes(&w, pkt, end);
			break;
		case DP_RTCP_BYE:
			rc = bye(&w, pkt, end);
			break;
		default:
			rc = put(&w, pkt, plen);
			break;
		}
		if (rc < 0)
			return rc;
		off += plen;
	}
	return (int)w.olen;
}

__rte_noinline enum sbc_drop
dp_rtcp_relay_scrub(struct rte_mbuf *m, struct dp_pkt *p, int v6, const struct sbc_hash_key *key,
		uint32_t call, uint8_t *scratch, uint32_t scratch_len)
{
	uint8_t *frame = rte_pktmbuf_mtod(m, uint8_t *);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(frame + p->l4_off);
	uint8_t *payload = (uint8_t *)(udp + 1);
	uint32_t plen = rte_be_to_cpu_16(udp->dgram_len) - (uint32_t)sizeof(*udp);
	uint32_t ip_hdrs = (uint32_t)(p->l4_off - p->l3_off);
	uint32_t room = (uint32_t)m->buf_len - m->data_off - p->l4_off - sizeof(*udp);
	uint32_t cap = RTE_MIN(RTE_MIN(scratch_len, room), UINT16_MAX - ip_hdrs - sizeof(*udp));
	bool cksum = v6 || udp->dgram_cksum != 0; /* IPv4 may send none: then none */
	uint16_t ulen;
	uint32_t old_sum = 0;
	int n;

	n = dp_rtcp_scrub(key, call, payload, plen, scratch, cap);
	if (n == -ENOSPC)
		return SBC_DROP_MEDIA_RTCP_TOO_BIG;
	if (n < 0)
		return SBC_DROP_MEDIA_RTCP_MALFORMED;
	ulen = rte_cpu_to_be_16((uint16_t)(sizeof(*udp) + (uint32_t)n));
	/*
	 * The UDP checksum moves by the difference of the sums (RFC 1624): the payload, and
	 * the length, which counts twice (header and pseudo-header). The payload is a whole
	 * number of 32-bit words, so its sum lines up with the header's.
	 */
	if (cksum)
		old_sum = __rte_raw_cksum(payload, plen, 0) + 2u * udp->dgram_len;
	memcpy(payload, scratch, (size_t)n);
	if (cksum) {
		uint16_t ck = dp_cksum_adjust(udp->dgram_cksum, old_sum,
				__rte_raw_cksum(payload, (size_t)n, 0) + 2u * ulen);

		udp->dgram_cksum = ck ? ck : 0xffff;
	}
	udp->dgram_len = ulen;
	if (v6) {
		struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(frame + p->l3_off);

		ip->payload_len = rte_cpu_to_be_16((uint16_t)(ip_hdrs - sizeof(*ip) + sizeof(*udp) +
				(uint32_t)n));
	} else {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(frame + p->l3_off);
		uint16_t total = rte_cpu_to_be_16((uint16_t)(ip_hdrs + sizeof(*udp) + (uint32_t)n));

		ip->hdr_checksum = dp_cksum_update16(ip->hdr_checksum, ip->total_length, total);
		ip->total_length = total;
	}
	/* One segment (dp_rx_look): the frame now ends with the datagram. */
	m->data_len = (uint16_t)(p->l4_off + sizeof(*udp) + (uint32_t)n);
	m->pkt_len = m->data_len;
	p->l4_len = (uint16_t)(sizeof(*udp) + (uint32_t)n);
	p->l3_len = (uint16_t)(ip_hdrs + p->l4_len);
	return SBC_DROP_NONE;
}
