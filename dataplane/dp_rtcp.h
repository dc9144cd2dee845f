/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_rtcp.h - topology hiding inside plain RTCP: the relay rewrites the SDES items that
 * name a host or a person before a compound RTCP packet (RFC 3550 6) leaves the SBC.
 *
 * Why: a softphone's RTCP carries its CNAME, by tradition "user@host" with the host's
 * private address (RFC 3550 6.5.1), in every report and in its final BYE. Rewriting
 * the SIP and SDP hides nothing if the media then names the caller's network.
 *
 * What the relay does to a compound packet of a flow whose rule says DP_FLOW_RTCP_SCRUB
 * (plain RTP/AVP or RTP/AVPF: the signalling side decides, see dp_flow.h):
 *  - SDES (PT 202): each chunk keeps its SSRC/CSRC; its CNAME becomes an opaque one
 *    (below); MID, RtpStreamId and RepairedRtpStreamId (RFC 8843, RFC 8852: tokens
 *    the SDP chose, which BUNDLE and simulcast need) are kept; every other item is
 *    removed. That is NAME, EMAIL, PHONE, LOC and NOTE, which name a person or a host;
 *    PRIV, which is free-form and may carry anything (RFC 3550 6.5.8); TOOL, which no
 *    receiver needs (6.5.6: for debugging) and which gives away the exact software
 *    build; H323-CADDR, an H.323 callable address; and any item type this code does
 *    not know, so that a new one cannot leak by default.
 *  - BYE (PT 203): the optional reason for leaving (free text) is removed; the SSRC/CSRC
 *    list is kept.
 *  - Every other packet (SR, RR, APP, feedback, XR, ...) is copied octet for octet,
 *    padding included. APP data is the application's and is left alone.
 *  - A rewritten packet carries no padding (P = 0): its length is a multiple of 32 bits
 *    anyway, and in plain RTCP padding only served RFC 3550 9.1 encryption, which a
 *    relay cannot see through either way.
 * The compound is checked whole before anything is written back: every packet's
 * version 2 and length within the datagram, the lengths adding up to the datagram's,
 * padding counts within their packet, every SDES item and the null octets that end a
 * chunk within the packet, chunk and BYE reason sizes exactly as RFC 3550 6.5 and 6.6
 * lay them out (items, a null octet, nulls to the next 32-bit boundary). Anything else
 * is dropped (SBC_DROP_MEDIA_RTCP_MALFORMED), never forwarded half-checked. Reads stay
 * within the datagram, writes within the caller's buffer.
 *
 * The opaque CNAME. RFC 7022 4.2 style: 96 bits, base64 (16 characters), computed and
 * not stored: SipHash-1-3, under a key the dataplane draws from the CSPRNG at start
 * (struct dp, never leaves the process), of the rule's call number and the CNAME the
 * endpoint sent. So:
 *  - no state: every report of a stream gets the same replacement, on any lcore,
 *    across rule replacements (re-INVITE, hold), with nothing to allocate or expire;
 *  - every stream that one endpoint names with one CNAME within one call (audio and
 *    video, RTP and RTCP ports, rtcp-mux or not) keeps one CNAME, which receivers need
 *    to synchronise them (RFC 3550 6.5.1, RFC 7022 4); two participants with distinct
 *    CNAMEs keep distinct ones (a mixer's CSRC chunks included);
 *  - without the key the value tells nothing about the original, and the same endpoint
 *    gets unrelated values in calls with other numbers and after a restart. Call
 *    numbers are slots that a later call on the same signalling lcore reuses, so the
 *    same endpoint may get the same value in two calls that held one slot: this hides
 *    addresses, it does not make calls unlinkable (the SIP side names the caller);
 *  - the signalling side computes the same value for the CNAME of an SDP's a=ssrc
 *    lines (RFC 5576; b2b_media.c through sdp_rewrite), so SDP and RTCP still agree.
 *
 * SRTCP is never touched: its packets are authenticated (and mostly encrypted), so a
 * rule for an SAVP/SAVPF stream, or an AVP stream that negotiated SDES-SRTP, has no
 * DP_FLOW_RTCP_SCRUB. Datagrams that do not look like RTCP (dp_rtcp_is: STUN, DTLS,
 * ZRTP, RTP) pass as before.
 *
 * Cost: RTCP is about one datagram per stream every 5 s; all of this is out of line
 * (dp_rtcp.c) and touches nothing on the RTP path but a test of the rule's flags.
 * Threads: dataplane lcores, and signalling lcores for dp_rtcp_cname (the a=ssrc CNAMEs of
 * an SDP); pure functions of their arguments, so any thread.
 */
#ifndef DP_RTCP_H
#define DP_RTCP_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "dp_parse.h"
#include "sbc_hash.h"
#include "sbc_stats.h"

/* RTCP packet types (RFC 3550 12.1). */
#define DP_RTCP_SR 200
#define DP_RTCP_RR 201
#define DP_RTCP_SDES 202
#define DP_RTCP_BYE 203
#define DP_RTCP_APP 204

/* SDES item types (RFC 3550 12.2, IANA "RTP SDES item types"). */
#define DP_SDES_END 0
#define DP_SDES_CNAME 1
#define DP_SDES_NAME 2
#define DP_SDES_EMAIL 3
#define DP_SDES_PHONE 4
#define DP_SDES_LOC 5
#define DP_SDES_TOOL 6
#define DP_SDES_NOTE 7
#define DP_SDES_PRIV 8
#define DP_SDES_H323_CADDR 9
#define DP_SDES_RTP_STREAM_ID 12
#define DP_SDES_REPAIRED_RTP_STREAM_ID 13
#define DP_SDES_MID 15

/* Length of the CNAME the relay writes: 96 bits in base64. */
#define DP_RTCP_CNAME_LEN 16

/*
 * Whether a datagram looks like RTCP: version 2 and a first packet type in 192-223
 * (RFC 5761 4, the range that tells RTCP from RTP on a shared port). Any thread.
 */
static inline bool
dp_rtcp_is(const uint8_t *d, uint32_t len)
{
	return len >= 2 && (d[0] >> 6) == 2 && (uint8_t)(d[1] - 192) < 32;
}

/*
 * Writes to out the opaque CNAME (DP_RTCP_CNAME_LEN characters, not terminated) that
 * replaces the n-octet CNAME at cname in call number call, under key. Any thread.
 */
void dp_rtcp_cname(const struct sbc_hash_key *key, uint32_t call, const uint8_t *cname,
		uint8_t n, char *out);

/*
 * Scrubs the compound RTCP packet of len octets at in into out (cap octets; in and out
 * must not overlap). Returns the length written (a multiple of 4), -EBADMSG when the
 * compound is malformed, or -ENOSPC when the result would not fit in cap. Any thread.
 */
int dp_rtcp_scrub(const struct sbc_hash_key *key, uint32_t call, const uint8_t *in, uint32_t len,
		uint8_t *out, uint32_t cap);

/*
 * The relay's slow path for an RTCP datagram (mbuf m, one segment, parsed into p, the
 * UDP payload accepted by dp_rtcp_is), before dp_relay_rewrite(): scrubs the payload
 * through scratch (scratch_len octets) and writes it back in place, then sets the UDP
 * length, the IP total or payload length (an IPv4 header checksum follows), the UDP
 * checksum (adjusted by the difference, so an error in the received datagram still
 * shows; a zero IPv4 checksum stays zero), the mbuf's length and p's l3_len and l4_len.
 * Octets after the UDP datagram are dropped. Returns SBC_DROP_NONE,
 * SBC_DROP_MEDIA_RTCP_MALFORMED, or SBC_DROP_MEDIA_RTCP_TOO_BIG when the result would
 * not fit in the mbuf or in an IP packet; m and p are unchanged unless SBC_DROP_NONE.
 * Dataplane lcores (with their scratch buffer), or any thread with its own.
 */
enum sbc_drop dp_rtcp_relay_scrub(struct rte_mbuf *m, struct dp_pkt *p, int v6,
		const struct sbc_hash_key *key, uint32_t call, uint8_t *scratch,
		uint32_t scratch_len);

#endif /* DP_RTCP_H */
