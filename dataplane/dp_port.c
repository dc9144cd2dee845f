/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_port.c - ethdev port bring-up (see dp_port.h). Main thread only.
 *
 * RX queues: normally one per dataplane lcore, spread by RSS when the device has it.
 * Some PMDs fix the number of queue pairs in their devargs and deliver packets to every
 * one of them (net_af_packet's qpairs= sockets share a fanout group), so for those all
 * RX queues are configured and polled, or packets hashed to an unpolled one are lost.
 * TX queues: one per sending thread (see dp.h), so no TX queue is ever shared.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_bus.h>
#include <rte_dev.h>
#include <rte_ethdev.h>

#include "dp_parse.h"
#include "dp_port.h"
#include "sbc_log.h"

int
dp_port_probe(const char *devargs, uint16_t *port_id, bool *probed, char *why, size_t len)
{
	char name[RTE_ETH_NAME_MAX_LEN];
	size_t n = strcspn(devargs, ",");
	int rc;

	if (n == 0 || n >= sizeof(name)) {
		snprintf(why, len, "no device name before the first ','");
		return -EINVAL;
	}
	memcpy(name, devargs, n);
	name[n] = '\0';
	*probed = false;
	/* Already there: probed by the EAL (-a, --vdev) or created by the application
	 * (rte_eth_from_rings names its port net_ring_NAME). */
	if (n == strlen(devargs) && rte_eth_dev_get_port_by_name(name, port_id) == 0)
		return 0;
	rc = rte_dev_probe(devargs);
	if (rc < 0 && rc != -EEXIST) {
		snprintf(why, len, "cannot probe the device: %s", strerror(-rc));
		return rc;
	}
	*probed = rc == 0;
	if (rte_eth_dev_get_port_by_name(name, port_id) != 0) {
		snprintf(why, len, "no ethernet port named \"%s\" after probing "
				"(is the device bound to a DPDK driver?)", name);
		return -ENODEV;
	}
	return 0;
}

uint16_t
dp_port_rx_queues(uint16_t port_id, const struct sbc_port_cfg *pc, unsigned int n_dp)
{
	struct rte_eth_dev_info info;

	if (pc->rx_queues != 0)
		return pc->rx_queues;
	if (rte_eth_dev_info_get(port_id, &info) != 0)
		return 0;
	if (strcmp(info.driver_name, "net_af_packet") == 0)
		return info.max_rx_queues; /* every qpair socket receives: poll them all */
	return (uint16_t)RTE_MIN(n_dp, info.max_rx_queues);
}

int
dp_port_configure(uint16_t port_id, const struct sbc_port_cfg *pc, uint16_t n_rxq,
		uint16_t n_txq, struct rte_mempool *pool, unsigned int *rx_hints, char *why,
		size_t len, const char **key)
{
	struct rte_eth_conf conf = { 0 };
	struct rte_eth_dev_info info;
	uint16_t nb_rxd = pc->rx_desc, nb_txd = pc->tx_desc, q;
	int socket = rte_eth_dev_socket_id(port_id);
	int rc;

	if (socket < 0)
		socket = 0;
	*key = "devargs";
	rc = rte_eth_dev_info_get(port_id, &info);
	if (rc != 0) {
		snprintf(why, len, "cannot read device information: %s", strerror(-rc));
		return rc;
	}
	if (n_txq > info.max_tx_queues) {
		snprintf(why, len,
				"the device offers %u TX queues, sbcd needs %u (one per dataplane and "
				"signalling lcore, one for the control thread)%s",
				info.max_tx_queues, n_txq,
				strcmp(info.driver_name, "net_af_packet") == 0 ?
						"; raise qpairs= in the devargs" :
						"");
		return -EINVAL;
	}
	if (n_rxq == 0 || n_rxq > info.max_rx_queues) {
		*key = "rx_queues";
		snprintf(why, len, "rx_queues %u not possible: the device offers %u", n_rxq,
				info.max_rx_queues);
		return -EINVAL;
	}
	if (pc->mtu < info.min_mtu || pc->mtu > info.max_mtu) {
		*key = "mtu";
		snprintf(why, len, "MTU %u outside the device's range %u-%u", pc->mtu, info.min_mtu,
				info.max_mtu);
		return -EINVAL;
	}
	conf.rxmode.mtu = pc->mtu;
	if (n_rxq > 1 && info.flow_type_rss_offloads != 0) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf = (RTE_ETH_RSS_IP | RTE_ETH_RSS_UDP |
							   RTE_ETH_RSS_TCP) &
				info.flow_type_rss_offloads;
	}
	*rx_hints = 0;
	if (info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_IPV4_CKSUM) {
		conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_IPV4_CKSUM;
		*rx_hints |= DP_HINT_IP4_CKSUM_GOOD;
	}
	rc = rte_eth_dev_configure(port_id, n_rxq, n_txq, &conf);
	if (rc == 0)
		rc = rte_eth_dev_adjust_nb_rx_tx_desc(port_id, &nb_rxd, &nb_txd);
	if (rc != 0) {
		snprintf(why, len, "cannot configure %u RX / %u TX queues: %s", n_rxq, n_txq,
				strerror(-rc));
		return rc;
	}
	for (q = 0; q < n_rxq; q++) {
		rc = rte_eth_rx_queue_setup(port_id, q, nb_rxd, (unsigned int)socket, NULL, pool);
		if (rc != 0) {
			snprintf(why, len, "cannot set up RX queue %u: %s", q, strerror(-rc));
			return rc;
		}
	}
	for (q = 0; q < n_txq; q++) {
		rc = rte_eth_tx_queue_setup(port_id, q, nb_txd, (unsigned int)socket, NULL);
		if (rc != 0) {
			snprintf(why, len, "cannot set up TX queue %u: %s", q, strerror(-rc));
			return rc;
		}
	}
	return 0;
}

int
dp_port_start(uint16_t port_id, const char *name)
{
	struct rte_eth_link link;
	char status[RTE_ETH_LINK_MAX_STR_LEN];
	int rc = rte_eth_dev_start(port_id);

	if (rc != 0)
		return rc;
	/* IPv6 neighbour discovery needs solicited-node multicast frames. */
	rc = rte_eth_allmulticast_enable(port_id);
	if (rc != 0 && rc != -ENOTSUP)
		DP_LOG(WARNING, "port %s: cannot receive all multicast: %s", name, strerror(-rc));
	if (rte_eth_link_get_nowait(port_id, &link) == 0) {
		rte_eth_link_to_str(status, sizeof(status), &link);
		DP_LOG(INFO, "port %s (ethdev %u) started: %s", name, port_id, status);
	}
	return 0;
}

void
dp_port_close(uint16_t port_id, const char *name, bool started, bool remove)
{
	struct rte_eth_dev_info info;
	struct rte_device *dev = NULL;
	int rc;

	if (rte_eth_dev_info_get(port_id, &info) == 0)
		dev = info.device;
	if (started) {
		rc = rte_eth_dev_stop(port_id);
		if (rc != 0)
			DP_LOG(WARNING, "port %s: stop failed: %s", name, strerror(-rc));
	}
	rc = rte_eth_dev_close(port_id);
	if (rc != 0) {
		DP_LOG(WARNING, "port %s: close failed: %s", name, strerror(-rc));
		return;
	}
	/* Detach a device sbcd probed itself, so that its driver state is freed too. */
	if (remove && dev != NULL && (rc = rte_dev_remove(dev)) != 0)
		DP_LOG(WARNING, "port %s: device removal failed: %s", name, strerror(-rc));
	DP_LOG(INFO, "port %s stopped and closed", name);
}
