/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_host.h - the host exception path: how the host's own services (SSH, the management
 * API, a database) are reached through the SBC's addresses, and only by the sources the
 * firewall allows.
 *
 * sbcd owns the NICs, so the kernel never sees a packet the dataplane does not hand it.
 * A TUN interface (DPDK's net_tun, one RX queue, a TX queue per dataplane lcore) joins
 * the two: the kernel side carries every SBC address as a host address (/32, /128), and
 * policy routing sends whatever the kernel emits from those addresses back into the
 * TUN ("from ADDR lookup TABLE", TABLE holding one default route through the TUN), so
 * replies leave by the dataplane and nothing else on the host changes. A dataplane lcore
 * passes an allowed packet for a host service to the kernel (L2 stripped), and sends
 * the kernel's packets out of the port that owns their source address; a packet from
 * the kernel whose source is not an SBC address is dropped and counted. An nftables
 * guard keeps the kernel from accepting packets (or answering ARP) for the SBC's
 * addresses on any other interface, where they would bypass the firewall.
 *
 * Threads: dp_host_init/fini on the main thread (they run "ip" to set up and remove the
 * kernel side). The per-packet steps are in the polling loop (dp_lcore.c: dp_host_out,
 * dp_host_input): dataplane lcores, each sending on its own TX queue of the TUN.
 */
#ifndef DP_HOST_H
#define DP_HOST_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#define DP_HOST_IFIDX 0xffff /* RX queue marker: the exception port, not an SBC port */
#define DP_HOST_DESC 512     /* descriptors of each of its queues */

struct dp;
struct dp_lcore;

struct dp_host {
	bool on;
	bool open;     /* the ethdev port exists and must be closed */
	bool started;
	bool kernel;   /* the kernel side was configured and must be undone */
	bool guard;    /* the nftables guard is in place and must be removed */
	uint16_t port_id;
	char iface[16];
	unsigned int table;
};

/*
 * Creates the TUN port (when cfg->host.iface is set), with n_txq TX queues, starts it
 * and configures the kernel side. Returns 0, or -1 with a message naming host.* in err.
 * Main thread, before launch (from dp_init).
 */
int dp_host_init(struct dp *dp, uint16_t n_txq, char *err, size_t errlen);

/*
 * Undoes the kernel side (policy rules), stops and closes the port. Main thread, after
 * the lcores returned (from dp_fini).
 */
void dp_host_fini(struct dp *dp);

#endif /* DP_HOST_H */
