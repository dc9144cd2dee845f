/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_block.c - the blocklist's table and report ring (see dp_block.h). The writer side
 * runs under mgmt_fw.c's state lock (one writer at a time); init and fini on the main
 * thread.
 */
#include <errno.h>
#include <stdio.h>

#include <rte_hash_crc.h>
#include <rte_malloc.h>

#include "dp_block.h"

/* The table's hash function: a source key (len is always its size). */
static uint32_t
key_hash(const void *key, uint32_t len, uint32_t init)
{
	(void)len;
	return dp_src_key_hash_init(key, init);
}

int
dp_blocks_init(struct dp_blocks *b, unsigned int max, int socket)
{
	static unsigned int seq; /* unique names: one table per dataplane (tests make several) */
	char name[RTE_HASH_NAMESIZE], rname[RTE_RING_NAMESIZE];
	uint32_t slots;
	struct rte_hash_parameters p = {
		.name = name,
		.key_len = sizeof(struct dp_src_key),
		.hash_func = key_hash,
		.hash_func_init_val = 0,
		.socket_id = socket,
		.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF,
	};

	/* A configuration made by hand (benchmarks) may leave it 0: a small table then. */
	if (max < 64)
		max = 64;
	/* Cuckoo tables fill to ~90% before an insertion fails: a quarter more slots. */
	slots = max + max / 4;
	memset(b, 0, sizeof(*b));
	p.entries = slots;
	snprintf(name, sizeof(name), "sbc_block%u", seq);
	snprintf(rname, sizeof(rname), "sbc_fwrep%u", seq++);
	b->max = max;
	b->h = rte_hash_create(&p);
	b->hits = rte_zmalloc_socket("sbc_block_hits", (slots + 1) * sizeof(uint64_t),
			RTE_CACHE_LINE_SIZE, socket);
	b->freed = rte_zmalloc_socket("sbc_block_freed", (slots + 1) * sizeof(int32_t), 0, socket);
	b->scope = rte_malloc_socket("sbc_block_scope", slots + 1, 0, socket);
	b->reports = rte_ring_create_elem(rname, sizeof(struct sbc_fw_report), SBC_REPORT_RING,
			socket, RING_F_SC_DEQ);
	if (b->h == NULL || b->hits == NULL || b->freed == NULL || b->scope == NULL ||
			b->reports == NULL) {
		dp_blocks_fini(b);
		return -ENOMEM;
	}
	memset(b->scope, DP_BLOCK_ALL, slots + 1);
	return 0;
}

void
dp_blocks_fini(struct dp_blocks *b)
{
	rte_hash_free(b->h);
	rte_free(b->hits);
	rte_free(b->freed);
	rte_free(b->scope);
	rte_ring_free(b->reports);
	memset(b, 0, sizeof(*b));
}

int
dp_blocks_find(const struct dp_blocks *b, const struct dp_src_key *k)
{
	int rc = rte_hash_lookup(b->h, k);

	return rc >= 0 ? rc : -ENOENT;
}

int
dp_blocks_add(struct dp_blocks *b, const struct dp_src_key *k, uint8_t scope)
{
	int pos;

	if (dp_blocks_find(b, k) >= 0)
		return -EEXIST;
	if (__atomic_load_n(&b->count, __ATOMIC_RELAXED) >= b->max)
		return -ENOSPC;
	pos = rte_hash_add_key(b->h, k);
	if (pos < 0)
		return -ENOSPC;
	__atomic_store_n(&b->hits[pos], 0, __ATOMIC_RELAXED);
	__atomic_store_n(&b->scope[pos], scope, __ATOMIC_RELAXED);
	__atomic_store_n(&b->count, b->count + 1, __ATOMIC_RELAXED);
	return pos;
}

int
dp_blocks_del(struct dp_blocks *b, const struct dp_src_key *k)
{
	int pos = rte_hash_del_key(b->h, k);

	if (pos < 0)
		return -ENOENT;
	b->freed[b->n_freed++] = pos;
	__atomic_store_n(&b->count, b->count - 1, __ATOMIC_RELAXED);
	return 0;
}

void
dp_blocks_reclaim(struct dp_blocks *b, struct rte_rcu_qsbr *qsbr)
{
	uint32_t i;

	if (b->n_freed == 0)
		return;
	if (qsbr != NULL)
		rte_rcu_qsbr_synchronize(qsbr, RTE_QSBR_THRID_INVALID);
	for (i = 0; i < b->n_freed; i++) {
		__atomic_store_n(&b->scope[b->freed[i]], DP_BLOCK_ALL, __ATOMIC_RELAXED);
		rte_hash_free_key_with_position(b->h, b->freed[i]);
	}
	b->n_freed = 0;
}

unsigned int
dp_blocks_reports(struct dp_blocks *b, struct sbc_fw_report *out, unsigned int n)
{
	return rte_ring_sc_dequeue_burst_elem(b->reports, out, sizeof(*out), n, NULL);
}
