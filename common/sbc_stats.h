/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sbc_stats.h - the counter contract shared by every plane.
 *
 * Every lcore (dataplane, signalling, and the control thread on the main lcore) owns
 * one struct sbc_lcore_stats, cache aligned, and is the only thread that writes it.
 * Writers add with sbc_cnt_add(): a relaxed atomic load/add/store that compiles to a
 * plain add (no lock prefix) because there is exactly one writer. Readers (the
 * telemetry thread) load with sbc_cnt_read(), which is a relaxed atomic load: a
 * reader may see a counter a few packets behind, never a torn value.
 *
 * Drop reasons and events are X-macros: one list generates the enum, the names shown
 * by telemetry and a one-line description, so they can never drift apart.
 */
#ifndef SBC_STATS_H
#define SBC_STATS_H

#include <stdint.h>

#include "sbc_fw.h"

#define SBC_MAX_PORTS 8
#define SBC_MAX_LCORES 128 /* RTE_MAX_LCORE of the DPDK build */

/* X(symbol, "telemetry name", "what it means") */
#define SBC_DROP_REASONS(X)                                                                        \
	X(L2_RUNT, "l2_runt", "frame shorter than an Ethernet header")                             \
	X(L2_SEGMENTED, "l2_segmented", "headers not contiguous in the first segment")             \
	X(L2_DST_OTHER, "l2_dst_other", "destination MAC neither ours, broadcast nor multicast")   \
	X(L2_SRC_INVALID, "l2_src_invalid", "source MAC is multicast, broadcast or zero")          \
	X(VLAN_TRUNCATED, "vlan_truncated", "VLAN tag cut short")                                  \
	X(VLAN_TOO_MANY, "vlan_too_many", "more than two VLAN tags")                               \
	X(VLAN_MISMATCH, "vlan_mismatch", "VLAN id differs from the port's configured VLAN")       \
	X(ETHERTYPE_UNKNOWN, "ethertype_unknown", "EtherType not ARP, IPv4 or IPv6")               \
	X(ARP_TRUNCATED, "arp_truncated", "ARP packet shorter than 28 octets")                     \
	X(ARP_MALFORMED, "arp_malformed", "ARP hardware/protocol type or length not Ethernet/IPv4") \
	X(ARP_BAD_OP, "arp_bad_op", "ARP opcode neither request nor reply")                        \
	X(ARP_BAD_SENDER, "arp_bad_sender", "ARP sender invalid (multicast MAC, our or broadcast IP)") \
	X(ARP_NOT_FOR_US, "arp_not_for_us", "ARP target is not an address of this port")           \
	X(IP4_TRUNCATED, "ip4_truncated", "IPv4 header cut short")                                 \
	X(IP4_BAD_VERSION, "ip4_bad_version", "IPv4 version field is not 4")                       \
	X(IP4_BAD_IHL, "ip4_bad_ihl", "IPv4 header length below 20 or beyond the packet")          \
	X(IP4_BAD_LEN, "ip4_bad_len", "IPv4 total length inconsistent with the frame")             \
	X(IP4_BAD_CKSUM, "ip4_bad_cksum", "IPv4 header checksum wrong")                            \
	X(IP4_BAD_SRC, "ip4_bad_src", "IPv4 source is ours, multicast, broadcast, loopback or zero") \
	X(IP4_REASSEMBLY, "ip4_reassembly", "IPv4 fragment given up by reassembly (timeout, overlap, table full)") \
	X(IP6_TRUNCATED, "ip6_truncated", "IPv6 header cut short")                                 \
	X(IP6_BAD_VERSION, "ip6_bad_version", "IPv6 version field is not 6")                       \
	X(IP6_BAD_LEN, "ip6_bad_len", "IPv6 payload length beyond the frame")                      \
	X(IP6_EXT_MALFORMED, "ip6_ext_malformed", "IPv6 extension header truncated or unknown")    \
	X(IP6_EXT_TOO_MANY, "ip6_ext_too_many", "more than 8 IPv6 extension headers")              \
	X(IP6_BAD_SRC, "ip6_bad_src", "IPv6 source is ours, multicast, loopback or unspecified")   \
	X(IP6_FRAGMENT, "ip6_fragment", "IPv6 fragment (no local service takes fragments)")        \
	X(IP6_ROUTING, "ip6_routing", "IPv6 routing header with segments left (source routing)")  \
	X(L4_TRUNCATED, "l4_truncated", "UDP/TCP/ICMP header cut short")                           \
	X(UDP_BAD_LEN, "udp_bad_len", "UDP length field inconsistent with the IP payload")         \
	X(TCP_BAD_OFFSET, "tcp_bad_offset", "TCP data offset below 5 or beyond the segment")       \
	X(ICMP_BAD_CKSUM, "icmp_bad_cksum", "ICMP or ICMPv6 checksum wrong")                       \
	X(ICMP_UNHANDLED, "icmp_unhandled", "ICMP type the SBC does not answer")                   \
	X(ND_INVALID, "nd_invalid", "neighbour discovery message fails RFC 4861 validation")      \
	X(ND_NOT_FOR_US, "nd_not_for_us", "neighbour solicitation for an address not ours")        \
	X(L3_MULTICAST, "l3_multicast", "IP multicast or broadcast with no local listener")        \
	X(NOT_LOCAL, "not_local", "IP destination is not an address of the SBC")                   \
	X(NO_SERVICE, "no_service", "no local service on this protocol and port")                  \
	X(NO_ROUTE, "no_route", "no route to the reply's destination")                             \
	X(NEIGH_QUEUE_FULL, "neigh_queue_full", "queue to the control thread full (learning or resolution)") \
	X(NEIGH_UNRESOLVED, "neigh_unresolved", "next hop did not answer ARP/NS")                  \
	X(NEIGH_REPLACED, "neigh_replaced", "packet waiting for resolution replaced by a newer one") \
	X(NEIGH_TABLE_FULL, "neigh_table_full", "neighbour table full")                            \
	X(NO_MBUF, "no_mbuf", "mbuf pool empty")                                                   \
	X(SIP_QUEUE_FULL, "sip_queue_full", "signalling lcore's queue full: SIP datagram dropped") \
	X(SIP_UNPARSEABLE, "sip_unparseable", "SIP datagram without a start line: no answer possible") \
	X(SIP_TOO_BIG, "sip_too_big", "SIP message to send larger than the path allows over UDP") \
	X(MEDIA_NO_FLOW, "media_no_flow", "datagram to a relay port no call holds")              \
	X(MEDIA_BAD_SOURCE, "media_bad_source", "media from a source the SDP did not announce (RTP bleed, injection)") \
	X(MEDIA_NO_DEST, "media_no_dest", "media for a side whose peer has no address yet (no answer, on hold)") \
	X(MEDIA_RTCP_MALFORMED, "media_rtcp_malformed", "plain RTCP whose compound packet, SDES chunks or BYE do not add up (RFC 3550 6)") \
	X(MEDIA_RTCP_TOO_BIG, "media_rtcp_too_big", "plain RTCP that its scrubbed CNAMEs would make larger than the packet buffer") \
	X(TX_FULL, "tx_full", "transmit queue full")                                               \
	X(FW_BLOCKED, "fw_blocked", "source on the blocklist")                                     \
	X(FW_DENY, "fw_deny", "a firewall rule denies it")                                         \
	X(FW_DEFAULT_DENY, "fw_default_deny", "no firewall rule allows it and the service's default is deny") \
	X(FW_RATE_LIMIT, "fw_rate_limit", "over a rate-limit rule's rate")                         \
	X(SIP_FLOOD, "sip_flood", "SIP datagrams from one source above firewall.flood.sip_rate")   \
	X(CALL_FLOOD, "call_flood", "new calls from one source above firewall.flood.call_rate")   \
	X(SIP_SCANNER, "sip_scanner", "SIP from a known scanner (User-Agent)")                     \
	X(SIP_NO_START_LINE, "sip_no_start_line", "datagram to the SIP port without a SIP start line") \
	X(SIP_STUN, "sip_stun", "STUN on the SIP port (RFC 5626 keep-alive): not answered, not an offence") \
	X(HOST_NO_PATH, "host_no_path", "allowed traffic for a host service, but no host exception path (host.iface)") \
	X(HOST_BAD_SRC, "host_bad_src", "the host sent a packet whose source is not an SBC address")

/* Things that happened, counted per port; not drops. */
#define SBC_EVENTS(X)                                                                              \
	X(ARP_REQUEST_RX, "arp_request_rx", "ARP requests for our addresses")                      \
	X(ARP_REPLY_TX, "arp_reply_tx", "ARP replies sent")                                        \
	X(ARP_REPLY_RX, "arp_reply_rx", "ARP replies received")                                    \
	X(ARP_REQUEST_TX, "arp_request_tx", "ARP requests sent to resolve or refresh a neighbour") \
	X(ND_NS_RX, "nd_ns_rx", "neighbour solicitations for our addresses")                       \
	X(ND_NA_TX, "nd_na_tx", "neighbour advertisements sent")                                   \
	X(ND_NA_RX, "nd_na_rx", "neighbour advertisements received")                               \
	X(ND_NS_TX, "nd_ns_tx", "neighbour solicitations sent")                                    \
	X(ICMP_ECHO_RX, "icmp_echo_rx", "ICMP echo requests to our addresses")                     \
	X(ICMP_ECHO_TX, "icmp_echo_tx", "ICMP echo replies sent")                                  \
	X(ICMP6_ECHO_RX, "icmp6_echo_rx", "ICMPv6 echo requests to our addresses")                 \
	X(ICMP6_ECHO_TX, "icmp6_echo_tx", "ICMPv6 echo replies sent")                              \
	X(NEIGH_LEARNED, "neigh_learned", "neighbour entries created or refreshed")                \
	X(NEIGH_RESOLVED, "neigh_resolved", "held packets sent after resolution")                  \
	X(NEIGH_EXPIRED, "neigh_expired", "neighbour entries aged out")                            \
	X(IP4_REASSEMBLED, "ip4_reassembled", "IPv4 datagrams reassembled from fragments")         \
	X(SIP_RX, "sip_rx", "SIP datagrams received")                                              \
	X(SIP_TX, "sip_tx", "SIP datagrams sent")                                                  \
	X(SIP_REJECTED, "sip_rejected", "requests answered with an error by the message layer")   \
	X(SIP_DISCARDED, "sip_discarded", "malformed responses and keep-alives, not answered")    \
	X(SIP_OPTIONS, "sip_options", "OPTIONS to the SBC answered 200")                          \
	X(SIP_CONTROL_CHAR, "sip_control_char", "SIP refused for a control character in the start line or a header") \
	X(MEDIA_RELAYED, "media_relayed", "RTP and RTCP datagrams relayed (counted at ingress)")   \
	X(MEDIA_LATCHED, "media_latched", "NAT-flagged flows latched onto a new source")         \
	X(HOST_IN, "host_in", "packets for a host service passed to the kernel")                   \
	X(HOST_OUT, "host_out", "packets from the kernel sent out of this port")                   \
	X(FW_REPORTED, "fw_reported", "offences reported for the blocklist (flood, scanner, malformed)") \
	X(FW_REPORT_LOST, "fw_report_lost", "offence reports lost: the control thread's queue was full")

/* Why calls ended: X(symbol, "telemetry name", "what it means"). */
#define SBC_CALL_ENDS(X)                                                                           \
	X(BYE_A, "bye_caller", "the caller hung up")                                               \
	X(BYE_B, "bye_callee", "the callee hung up")                                               \
	X(CANCEL, "cancelled", "the caller cancelled before the answer")                           \
	X(FAILED, "failed", "the far side refused the call (final error relayed)")                 \
	X(NO_ANSWER, "no_answer", "the far side did not answer in time")                           \
	X(NO_ACK, "no_ack", "no ACK for the 2xx: ended with BYE")                                  \
	X(MEDIA_TIMEOUT, "media_timeout", "no media for media.inactivity_s: ended with BYE")      \
	X(MAX_DURATION, "max_duration", "maximum duration reached: ended with BYE")                \
	X(SESSION_EXPIRED, "session_expired", "session timer not refreshed (RFC 4028): ended with BYE") \
	X(REJECTED, "rejected", "refused by the SBC (route, SDP, capacity, admission)")            \
	X(ADMIT_TIMEOUT, "admission_timeout", "admission gave no answer in time: 503")           \
	X(ERROR, "error", "ended on an internal error")                                            \
	X(SHUTDOWN, "shutdown", "ended because sbcd stopped")

#define SBC_X_ENUM(sym, name, desc) SBC_DROP_##sym,
enum sbc_drop {
	SBC_DROP_NONE = 0,
	SBC_DROP_REASONS(SBC_X_ENUM) SBC_DROP_MAX
};
#undef SBC_X_ENUM

#define SBC_X_ENUM(sym, name, desc) SBC_EV_##sym,
enum sbc_event { SBC_EVENTS(SBC_X_ENUM) SBC_EV_MAX };
#undef SBC_X_ENUM

#define SBC_X_ENUM(sym, name, desc) SBC_END_##sym,
enum sbc_call_end { SBC_CALL_ENDS(SBC_X_ENUM) SBC_END_MAX };
#undef SBC_X_ENUM

/*
 * Signalling lcores: gauges of what is alive (they go back to their idle values when
 * the traffic stops) and counters of what happened. Same single-writer rule.
 */
struct sbc_sig_stats {
	uint64_t calls_active;
	uint64_t txns_active;
	uint64_t flows_active;
	uint64_t mem_bytes;          /* malloc'd: kept messages, dialog strings, flow rules */
	uint64_t calls_offered;      /* new INVITEs that became calls */
	uint64_t calls_answered;
	uint64_t calls_overload;     /* new INVITEs refused 503 (capacity, backlog) */
	uint64_t calls_ended[SBC_END_MAX];
	uint64_t flows_withdrawn[SBC_END_MAX];
	uint64_t retransmissions;    /* requests and responses we sent again */
	uint64_t retransmissions_rx; /* requests received again (absorbed) */
	uint64_t txn_timeouts;
	uint64_t no_relay_port;
	uint64_t no_memory;
	uint64_t media_dq_full;
	uint64_t stray;              /* responses and in-dialog requests matching nothing */
	uint64_t tx_cycles;          /* part of busy_cycles spent transmitting (a syscall with af_packet) */
	uint64_t msg_cycles;         /* part of busy_cycles handling messages and timers (TX included) */
};

/* Counters of one lcore on one port (index = position of the port in the config). */
struct sbc_port_stats {
	uint64_t rx_pkts;
	uint64_t rx_bytes;
	uint64_t tx_pkts;
	uint64_t tx_bytes;
	uint64_t drops[SBC_DROP_MAX];
	uint64_t events[SBC_EV_MAX];
};

/*
 * Firewall counters of a dataplane lcore: verdicts per service, and the exception
 * path's packets from the kernel (which belong to no port until routed).
 */
struct sbc_fw_stats {
	uint64_t svc[SBC_FW_SVC_MAX][SBC_FW_V_MAX];
	uint64_t host_rx;                  /* packets the kernel sent */
	uint64_t host_drops[SBC_DROP_MAX]; /* ... and why some were not forwarded */
};

enum sbc_lcore_role {
	SBC_ROLE_NONE = 0,
	SBC_ROLE_CONTROL,
	SBC_ROLE_DATAPLANE,
	SBC_ROLE_SIGNALLING,
};

/*
 * Per-lcore counters. busy_cycles counts TSC cycles of loop iterations that did work,
 * idle_cycles those that found nothing (including time asleep), so the cost of work is
 * busy_cycles / packets (or / calls) whatever the idle policy.
 */
struct sbc_lcore_stats {
	uint64_t busy_cycles;
	uint64_t idle_cycles;
	uint64_t sleep_cycles; /* part of idle_cycles spent asleep */
	uint64_t polls;
	uint64_t busy_polls;
	uint64_t sleeps;
	uint32_t role; /* enum sbc_lcore_role, set before launch */
	struct sbc_port_stats port[SBC_MAX_PORTS];
	struct sbc_sig_stats sig; /* signalling lcores only */
	struct sbc_fw_stats fw;   /* dataplane lcores only */
} __attribute__((aligned(64)));

/* Adds n to the counter c (see the file header). The counter's one writer only. */
static inline void
sbc_cnt_add(uint64_t *c, uint64_t n)
{
	__atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + n, __ATOMIC_RELAXED);
}

/* Returns the counter c, perhaps a few additions behind, never torn. Any thread. */
static inline uint64_t
sbc_cnt_read(const uint64_t *c)
{
	return __atomic_load_n(c, __ATOMIC_RELAXED);
}

/*
 * Registry of the per-lcore counters. The main thread registers every lcore that has a
 * role before launching them and releases them after all returned; lookups are safe
 * from any thread in between.
 */

/*
 * Returns the counters of lcore, zeroed and given role on the first call, the same ones
 * on later calls; NULL when out of memory or lcore >= SBC_MAX_LCORES. Main thread,
 * before launch.
 */
struct sbc_lcore_stats *sbc_stats_register(unsigned int lcore, enum sbc_lcore_role role);

/* Returns the counters of lcore, or NULL when it has none. Any thread, until release. */
struct sbc_lcore_stats *sbc_stats_get(unsigned int lcore);

/*
 * Frees every registered set of counters. Main thread, after every lcore returned and
 * telemetry was detached (mgmt_telemetry_stop).
 */
void sbc_stats_release_all(void);

/*
 * Each returns a static string: the telemetry name of a drop reason, its one-line
 * description, the name of an event, of a call end, of an lcore role ("?", or "none"
 * for a role, when out of range). Any thread.
 */
const char *sbc_drop_name(enum sbc_drop d);
const char *sbc_drop_desc(enum sbc_drop d);
const char *sbc_event_name(enum sbc_event e);
const char *sbc_call_end_name(enum sbc_call_end e);
const char *sbc_role_name(enum sbc_lcore_role r);

#endif /* SBC_STATS_H */
