/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_port.h - bringing ethdev ports up and down from their configuration: probing any
 * devargs (PCI address or vdev), queues, RSS, MTU. Main thread only.
 */
#ifndef DP_PORT_H
#define DP_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_mempool.h>

#include "sbc_config.h"

/*
 * Finds the port of devargs, probing the device unless it exists already (probed by the
 * EAL, or made by the application). *probed says whether this call probed it, so that
 * only such devices are detached again. Returns 0 or -errno with why filled. Main thread.
 */
int dp_port_probe(const char *devargs, uint16_t *port_id, bool *probed, char *why, size_t len);

/*
 * Returns how many RX queues the port gets (the choice is explained in dp_port.c), 0 on
 * error. Main thread.
 */
uint16_t dp_port_rx_queues(uint16_t port_id, const struct sbc_port_cfg *pc, unsigned int n_dp);

/*
 * Configures the port with n_rxq RX and n_txq TX queues, descriptors, MTU and RSS.
 * *rx_hints receives the DP_HINT_* flags the enabled offloads allow. Returns 0, or -errno
 * with why filled and *key naming the port's configuration key at fault. Main thread.
 */
int dp_port_configure(uint16_t port_id, const struct sbc_port_cfg *pc, uint16_t n_rxq,
		uint16_t n_txq, struct rte_mempool *pool, unsigned int *rx_hints, char *why,
		size_t len, const char **key);

/* Starts the port; logs its link state. Returns 0 or -errno. Main thread, before launch. */
int dp_port_start(uint16_t port_id, const char *name);

/*
 * Stops (if started) and closes the port; detaches its device when remove is set. Main
 * thread, once no lcore polls or sends on the port.
 */
void dp_port_close(uint16_t port_id, const char *name, bool started, bool remove);

#endif /* DP_PORT_H */
