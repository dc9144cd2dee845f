/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sbc_contracts.h - every channel between sbcd's threads, in one place: the ring
 * elements (defined here), the tables published to lock-free readers and the counter
 * blocks (defined beside their code, their contract stated here). For each: who
 * produces or writes it, who consumes or reads it, its size, and what happens when it
 * is full. docs/THREADS.md draws the same as a thread x object table.
 *
 * Threads (roles):
 *   main      the control thread on the main lcore: start, neighbour table, stop
 *   dp        dataplane lcores (poll RX queues; never block)
 *   sig       signalling lcores (own the calls of their shard; never block)
 *   fw        the firewall's control thread "sbc-fw" (offences -> blocks, expiry)
 *   reload    the firewall's reloader "sbc-fw-reload" (builds rule sets)
 *   tel       EAL's telemetry thread (reads counters, runs operator commands)
 *   store, events, api: the next issues' threads (RocksDB writer; Kafka producer; HTTPS
 *             JSON API), whose rows are already in docs/THREADS.md
 *
 * ---- Rings (multi-producer or single-producer, single consumer; never waited on) ----
 *
 * SIP datagrams        struct sbc_sip_dgram, one ring per signalling lcore
 *   producers: every dp lcore (MP enqueue); consumer: that sig lcore (SC dequeue)
 *   size: sip.ring_size elements (startup file)
 *   full: the datagram is dropped at the producer and counted (drop sip_queue_full);
 *         a new call is refused 503 by the consumer when the ring is 3/4 full
 * Neighbour requests   struct sbc_neigh_msg, one ring (dataplane/dp_neigh.h)
 *   producers: dp and sig lcores (learnt addresses; packets waiting for resolution)
 *   consumer: main; size: SBC_NEIGH_RING (learning never takes the last quarter)
 *   full: a learn is dropped, a packet to resolve is dropped; both counted
 *         (drop neigh_queue_full)
 * Offence reports      struct sbc_fw_report, one ring (dataplane/dp_block.h)
 *   producers: dp lcores (floods, scanners, no start line), sig lcores (malformed SIP;
 *   later failed authentication); consumer: fw; size: SBC_REPORT_RING
 *   full: the report is lost and counted (event fw_report_lost)
 * Flow rules to free   one RCU defer queue per sig lcore (signalling/lcore/sig_env.c)
 *   producer and consumer: that sig lcore; size: 65536
 *   full: the lcore waits for a grace period itself (counter media_dq_full)
 *
 * ---- Published tables (one writer; readers lock-free) ----
 *
 * Firewall generation  struct dp_fw_rules *dp->fw (dataplane/dp_fw.h)
 *   writer: reload (or tel), holding mgmt_fw.c's reload and state locks; main sets
 *   the first generation in dp_init, before any reader runs
 *   readers: dp lcores, one acquire load per burst
 * Blocklist            struct dp_blocks (dataplane/dp_block.h: hash, scopes, hit counts)
 *   writer: whoever holds mgmt_fw.c's state lock (fw, or tel for an operator command)
 *   readers: dp lcores (lookups per burst, hit counts added without atomics)
 * Neighbour table      struct dp_neigh (dataplane/dp_neigh.h)
 *   writer: main; readers: dp and sig lcores (entry word: release/acquire)
 * Media flow rules     struct dp_flow_cfg *slot->cfg (dataplane/dp_flow.h)
 *   writer: the sig lcore owning the relay port (each owns a slice of the range)
 *   readers: dp lcores (acquire); the slot's counters are written by the dp lcore
 *   that receives the flow and read (relaxed) by its owner and by tel
 * Interfaces, configuration, hash keys (struct dp_iface, struct sbc_config, the shard
 *   key): written by main before the lcores start; read-only afterwards
 *
 * The RCU rule: one QSBR variable (dp->qsbr). Every dp and sig lcore is a registered
 * reader and reports a quiescent state once per loop turn, holding no pointer to a
 * published object from one turn to the next. A writer replaces an object by one
 * pointer store (release), then frees the old one only after a grace period
 * (rte_rcu_qsbr_synchronize, or a defer queue it reclaims). A thread that is not an
 * lcore reads a published table only while it holds that table's writer lock.
 *
 * ---- Counter blocks (one writer each; readers see values a little behind) ----
 *
 * struct sbc_lcore_stats (sbc_stats.h): one per lcore and one for main; written by
 *   its lcore with sbc_cnt_add (relaxed, no lock prefix), read by tel
 * Firewall rule and rate-limit counters: one row per dp lcore in each generation
 *   (dataplane/dp_fw.h), read by tel and the reloader when it carries them over
 * Media flow counters: in the flow slots (above)
 */
#ifndef SBC_CONTRACTS_H
#define SBC_CONTRACTS_H

#include <stdint.h>

struct rte_mbuf;

/* ---- SIP datagrams: dataplane lcore -> signalling lcore -------------------------------- */

#define SBC_SIP_DGRAM_F_INVITE 0x01 /* a request whose method is INVITE */
#define SBC_SIP_DGRAM_F_TO_TAG 0x02 /* To has a tag: inside a dialog */

/*
 * A SIP datagram queued to the signalling lcore that owns its call, with what the
 * dataplane's first-line check learnt about it, so that the signalling lcore neither
 * parses L2-L4 again nor searches for the Call-ID. Offsets are in octets; the payload's
 * are relative to the payload.
 */
struct sbc_sip_dgram {
	struct rte_mbuf *mbuf;  /* the frame as received (a chain when reassembled): the
				   consumer frees it */
	uint8_t src_ip[16];     /* the peer (IPv4 in src_ip[0..3], the rest zero) */
	uint8_t dst_ip[16];     /* our address it reached */
	uint16_t src_port;      /* host order */
	uint16_t dst_port;
	uint16_t payload_off;   /* the SIP message: offset in the frame (chain) */
	uint16_t payload_len;
	uint16_t call_id_off;   /* the first Call-ID header's value in the payload ... */
	uint16_t call_id_len;   /* ... 0: none found */
	uint16_t branch_off;    /* the top Via's branch parameter in the payload ... */
	uint16_t branch_len;    /* ... 0: none found */
	uint8_t ifidx;          /* the interface it arrived on */
	uint8_t v6;
	uint8_t kind;           /* enum sip_peek_kind (sip_peek.h): request or response */
	uint8_t flags;          /* SBC_SIP_DGRAM_F_* */
};

_Static_assert(sizeof(struct sbc_sip_dgram) == 64, "one cache line per queued datagram");

/* ---- Neighbour requests: dataplane and signalling lcores -> control thread ------------- */

#define SBC_NEIGH_RING 4096

enum sbc_neigh_msg_type {
	SBC_NEIGH_MSG_LEARN = 1, /* an address and its MAC seen in ARP or ND */
	SBC_NEIGH_MSG_RESOLVE,   /* a packet whose next hop has no MAC yet */
};

struct sbc_neigh_msg {
	uint8_t type;       /* enum sbc_neigh_msg_type */
	uint8_t flags;      /* LEARN: DP_LEARN_* (dataplane/dp_proto.h) */
	uint8_t v6;
	uint8_t mac[6];
	uint8_t pad;
	uint16_t ifidx;
	uint8_t addr[16];
	struct rte_mbuf *m; /* RESOLVE: the packet, L3 header at data start */
	uint16_t l3_len;
	uint8_t pad2[6];
};

_Static_assert(sizeof(struct sbc_neigh_msg) % 8 == 0, "ring elements are 4-octet multiples");

/* ---- Offence reports: dataplane and signalling lcores -> firewall control thread ------- */

#define SBC_REPORT_RING 4096

struct sbc_fw_report {
	uint8_t offence;  /* enum sbc_fw_offence (sbc_fw.h) */
	uint8_t ifidx;    /* where it was seen */
	uint8_t v6;
	uint8_t pad;
	uint8_t addr[16]; /* the source (IPv4 in addr[0..3], the rest zero) */
};

_Static_assert(sizeof(struct sbc_fw_report) % 4 == 0, "ring elements are 4-octet multiples");

#endif /* SBC_CONTRACTS_H */
