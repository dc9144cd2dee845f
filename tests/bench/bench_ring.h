/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_ring.h - what the benchmarks that drive sbcd's code through net_ring ports
 * share: a port made of rings that the benchmark reads and writes directly, and
 * best-first ordering of runs.
 */
#ifndef BENCH_RING_H
#define BENCH_RING_H

#include <stdio.h>

#include <rte_eth_ring.h>
#include <rte_ring.h>

/*
 * Creates the ethdev "net_ring_<name>" (a config's devargs name it so) from one RX
 * ring and n_txq TX rings of size entries, named <prefix>_rx<idx> and
 * <prefix>_tx<idx>_<q>. Returns 0, or -1 with the rings it made left for the EAL.
 */
static inline int
bench_ring_port(const char *prefix, unsigned int idx, const char *name, unsigned int size,
		struct rte_ring **rx, struct rte_ring **tx, unsigned int n_txq)
{
	char rn[RTE_RING_NAMESIZE];
	unsigned int q;

	snprintf(rn, sizeof(rn), "%s_rx%u", prefix, idx);
	*rx = rte_ring_create(rn, size, (int)rte_socket_id(), RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (*rx == NULL)
		return -1;
	for (q = 0; q < n_txq; q++) {
		snprintf(rn, sizeof(rn), "%s_tx%u_%u", prefix, idx, q);
		tx[q] = rte_ring_create(rn, size, (int)rte_socket_id(), RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (tx[q] == NULL)
			return -1;
	}
	return rte_eth_from_rings(name, rx, 1, tx, (unsigned int)n_txq, rte_socket_id()) < 0 ? -1 :
			0;
}

/* Sorts n results (any struct with a double field named by key) best (largest) first. */
#define BENCH_SORT_BEST_FIRST(r, n, key)                                                    \
	do {                                                                                  \
		unsigned int k_, i_;                                                          \
		for (k_ = 1; k_ < (n); k_++)                                                  \
			for (i_ = k_; i_ > 0 && (r)[i_].key > (r)[i_ - 1].key; i_--) {       \
				__typeof__((r)[0]) t_ = (r)[i_];                              \
				(r)[i_] = (r)[i_ - 1];                                        \
				(r)[i_ - 1] = t_;                                             \
			}                                                                     \
	} while (0)

#endif /* BENCH_RING_H */
