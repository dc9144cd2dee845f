/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp.h - the dataplane: ports, interfaces, packet pool, RCU, neighbour table and the
 * polling lcores.
 *
 * Threads:
 *  - main thread: dp_init() before launch, dp_ctl_poll() periodically (it is the
 *    "control thread": the single writer of the neighbour table, and the sender of ARP
 *    and NS requests on its own TX queue), dp_fini() after every lcore returned.
 *  - dataplane lcores: dp_lcore_main(), each polling its own RX queues and sending on
 *    its own TX queue of every port; they only read shared tables (RCU QSBR readers).
 *  - signalling lcores: dp_output() on their own TX queues, as RCU QSBR readers.
 *  - telemetry thread: reads counters and tables; its firewall commands (block, unblock,
 *    reload) write through mgmt_fw.c, which serialises every firewall writer.
 *  - firewall threads (mgmt_fw.c): the blocklist's writer and the reloader.
 * TX queue layout on every port: [0, n_dp) dataplane lcores, n_dp control thread,
 * n_dp + 1 + i signalling lcore i. No TX queue is shared, so none needs a lock.
 */
#ifndef DP_H
#define DP_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ethdev.h>
#include <rte_mempool.h>
#include <rte_rcu_qsbr.h>

#include <rte_ip_frag.h>
#include <rte_ring.h>

#include "dp_block.h"
#include "dp_host.h"
#include "dp_flow.h"
#include "dp_fw.h"
#include "dp_iface.h"
#include "dp_limit.h"
#include "dp_neigh.h"
#include "dp_parse.h"
#include "sbc_config.h"
#include "sbc_contracts.h"
#include "sbc_hash.h"
#include "sbc_stats.h"

#define DP_MAX_RXQ_PER_LCORE 64
#define DP_MAX_BURST 256

struct dp_rxq {
	uint16_t port_id;
	uint16_t queue;
	uint16_t ifidx; /* DP_HOST_IFIDX: the host exception port */
};

/* What stage 1 of a burst found out about a packet (dp_lcore.c). */
enum dp_rx_kind {
	DP_RX_DROP = 0, /* why says why */
	DP_RX_ARP,
	DP_RX_UDP,
	DP_RX_TCP,
	DP_RX_ICMP,     /* ICMP or ICMPv6 for us */
	DP_RX_FRAG,     /* IPv4 fragment for us */
	DP_RX_TO_HOST,  /* an ICMP error about a host service's flow: to the kernel */
};

/* A packet between the stages of a burst. */
struct dp_rx_pkt {
	struct dp_pkt p;
	struct dp_flow *flow; /* media: the relay slot (prefetched) */
	uint8_t kind;         /* enum dp_rx_kind */
	uint8_t svc;          /* firewall service, DP_FW_SVC_NONE */
	uint8_t v6;
	uint8_t blocked;
	uint16_t why;         /* DP_RX_DROP: the reason */
	uint16_t key;         /* index of its key in key4/key6 */
};

/* State of one dataplane lcore; only that lcore writes it. */
struct dp_lcore {
	struct dp *dp;
	unsigned int lcore_id;
	unsigned int n_rxq;
	uint16_t txq;
	struct dp_rxq rxq[DP_MAX_RXQ_PER_LCORE];
	struct rte_eth_dev_tx_buffer *txb[SBC_MAX_PORTS];
	struct sbc_lcore_stats *st;
	uint64_t drain_tsc;
	uint64_t last_drain;
	uint64_t now;   /* TSC at the start of the current burst */
	uint16_t n_free;
	struct rte_mbuf *to_free[DP_MAX_BURST]; /* consumed packets, freed once per burst */
	/* IPv4 reassembly (dp_sip.h) */
	struct rte_ip_frag_tbl *frag_tbl;
	struct rte_ip_frag_death_row frag_dr;
	uint64_t frag_purge;
	uint8_t *scratch; /* DP_SCRATCH octets for one packet at a time: reassembled SIP, RTCP */
	/* The firewall (dp_fw.h, dp_limit.h, dp_block.h) */
	unsigned int idx;            /* position among the dataplane lcores: counter row */
	const struct dp_fw_rules *fw; /* the generation this burst uses */
	struct dp_limit limit;       /* per-source flood limits */
	struct rte_eth_dev_tx_buffer *host_txb; /* to the host's kernel */
	struct dp_rx_pkt rx[DP_MAX_BURST];
	struct dp_fw_key4 key4[DP_MAX_BURST];
	struct dp_fw_key6 key6[DP_MAX_BURST];
	const uint8_t *key_ptrs[DP_FW_FAMILIES][DP_MAX_BURST]; /* into key4/key6, for rte_acl */
	uint32_t res[DP_FW_FAMILIES][DP_MAX_BURST];
	struct dp_src_key block_keys[DP_MAX_BURST]; /* sources to look up in the blocklist */
	uint8_t block_svc[DP_MAX_BURST];  /* the service of each (DP_BLOCK_SVC) */
} __rte_cache_aligned;

struct dp {
	const struct sbc_config *cfg;
	unsigned int n_ifaces;
	struct dp_iface ifaces[SBC_MAX_PORTS];
	bool port_open[SBC_MAX_PORTS];   /* has an ethdev port that must be closed */
	bool port_probed[SBC_MAX_PORTS]; /* sbcd probed the device: detach it at the end */
	bool port_started[SBC_MAX_PORTS];
	unsigned int rx_hints[SBC_MAX_PORTS]; /* DP_HINT_* per interface */
	int16_t ifidx_of_port[RTE_MAX_ETHPORTS];
	struct rte_mempool *pool;
	struct rte_rcu_qsbr *qsbr;
	struct dp_neigh neigh;
	unsigned int n_lcores;
	struct dp_lcore *lcores[SBC_CFG_MAX_LCORES];
	uint16_t ctl_txq;
	uint16_t sig_txq_base;
	uint16_t n_txq;
	struct sbc_lcore_stats *ctl_stats; /* counters of the control thread */
	uint64_t tsc_hz;
	unsigned int n_sig;
	struct rte_ring *sip_ring[SBC_CFG_MAX_LCORES]; /* to each signalling lcore (sbc_contracts.h) */
	struct sbc_hash_key shard_key;                 /* which ring a foreign Call-ID goes to */
	struct dp_flows flows;                         /* media relay (dp_flow.h) */
	struct dp_fw_rules *fw;     /* firewall rule set in force (dp_fw.h; RCU) */
	struct dp_blocks blocks;    /* blocklist and offence reports (dp_block.h) */
	struct dp_host host;         /* host exception path (dp_host.h) */
	struct sbc_hash_key rtcp_key; /* opaque RTCP CNAMEs (dp_rtcp.h); set by dp_init */
};

/*
 * Probes and starts the configured ports, builds the interface table, the packet pool,
 * RCU and the neighbour table, and prepares one struct dp_lcore per dataplane lcore.
 * EAL must be up. Returns 0, or -1 with a message naming the configuration key in err.
 * Main thread, before launch.
 */
int dp_init(struct dp *dp, const struct sbc_config *cfg, char *err, size_t errlen);

/*
 * Entry point of a dataplane lcore (arg: its struct dp_lcore); returns 0 at shutdown.
 * Runs on that lcore, launched by the main thread.
 */
int dp_lcore_main(void *arg);

/*
 * Control-thread duty: resolution requests, learning, aging. Call every millisecond.
 * Main thread (the control thread) only.
 */
void dp_ctl_poll(struct dp *dp);

/*
 * Stops and closes the ports and frees everything dp_init() made. Main thread, after
 * every lcore returned and the firewall and telemetry were stopped.
 */
void dp_fini(struct dp *dp);

/*
 * Puts the firewall generation r in force and returns the one it replaces, which no
 * reader can see any more when this returns (a grace period passed): the caller frees
 * it. The thread running a reload, holding mgmt_fw.c's reload and state locks (the
 * reloader, or telemetry's /sbc/fw/reload); dp_init() sets the first generation itself.
 */
struct dp_fw_rules *dp_fw_publish(struct dp *dp, struct dp_fw_rules *r);

/* Returns the dataplane lcore state of lcore_id, or NULL. Any thread, after dp_init(). */
struct dp_lcore *dp_lcore_of(struct dp *dp, unsigned int lcore_id);

/*
 * Sends an L3 packet (IP header at the data start) from a thread that is not a dataplane
 * lcore (a signalling lcore), on TX queue txq of out: the next hop is dst when on-link,
 * else out's gateway; its MAC comes from the neighbour table, or the packet waits for
 * resolution at the control thread. Returns SBC_DROP_NONE (m is gone) or why m was not
 * sent (m still the caller's). Signalling lcores, each on its own txq, as RCU readers of
 * dp->qsbr.
 */
enum sbc_drop dp_output(struct dp *dp, uint16_t txq, const struct dp_iface *out,
		struct rte_mbuf *m, int v6, const uint8_t *dst, struct sbc_port_stats *ps);

/*
 * Sends one packet on the control thread's TX queue; frees it and counts if refused.
 * Main thread (the control thread) only: the queue is its own.
 */
void dp_ctl_send(struct dp *dp, const struct dp_iface *ifc, struct rte_mbuf *m);

/*
 * Makes the L2 header in front of the L3 packet at l3_off: 14 octets, or 18 with the
 * interface's VLAN tag; sets the frame to end after l3_len octets of L3. Returns 0, or -1
 * when the segment lacks head- or tailroom. Any thread that owns m.
 */
static inline int
dp_l2_encap(struct rte_mbuf *m, uint16_t l3_off, uint16_t l3_len, const struct dp_iface *ifc,
		const struct rte_ether_addr *dst, uint16_t ethertype)
{
	uint16_t l2 = ifc->vlan ? sizeof(struct rte_ether_hdr) + sizeof(struct rte_vlan_hdr)
				: sizeof(struct rte_ether_hdr);
	struct rte_ether_hdr *eth;

	if (l3_off > l2) {
		rte_pktmbuf_adj(m, (uint16_t)(l3_off - l2));
	} else if (l3_off < l2) {
		if (rte_pktmbuf_prepend(m, (uint16_t)(l2 - l3_off)) == NULL)
			return -1;
	}
	if (rte_pktmbuf_data_len(m) > l2 + l3_len)
		rte_pktmbuf_trim(m, (uint16_t)(rte_pktmbuf_data_len(m) - l2 - l3_len));
	else if (rte_pktmbuf_data_len(m) < l2 + l3_len &&
			rte_pktmbuf_append(m, (uint16_t)(l2 + l3_len - rte_pktmbuf_data_len(m))) == NULL)
		return -1;
	eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	eth->dst_addr = *dst;
	eth->src_addr = ifc->mac;
	if (ifc->vlan) {
		struct rte_vlan_hdr *vh = (struct rte_vlan_hdr *)(eth + 1);

		eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_VLAN);
		vh->vlan_tci = rte_cpu_to_be_16(ifc->vlan);
		vh->eth_proto = rte_cpu_to_be_16(ethertype);
	} else {
		eth->ether_type = rte_cpu_to_be_16(ethertype);
	}
	return 0;
}

#endif /* DP_H */
