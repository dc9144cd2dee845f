/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_src.h - a traffic source as the firewall counts it: an IPv4 address, or the /64
 * prefix of an IPv6 address (one subscriber's network: a host picks any address in
 * it, so limits and blocks per address would be no limit at all). Plain data, shared
 * by the flood limiter, the blocklist and the offence reports; any thread.
 */
#ifndef DP_SRC_H
#define DP_SRC_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_hash_crc.h>

#include "sbc_addr.h"

struct dp_src_key {
	uint8_t v6;
	uint8_t pad[3];
	uint8_t a[8]; /* IPv4: a[0..3], the rest 0; IPv6: the /64 prefix */
};

/* Fills k with the source key of address a (4 or 16 octets). Any thread. */
static inline void
dp_src_key_make(struct dp_src_key *k, int v6, const uint8_t *a)
{
	memset(k, 0, sizeof(*k));
	k->v6 = (uint8_t)(v6 != 0);
	memcpy(k->a, a, v6 ? 8 : 4);
}

/* Returns whether two keys are the same source. Any thread. */
static inline bool
dp_src_key_eq(const struct dp_src_key *x, const struct dp_src_key *y)
{
	return memcmp(x, y, sizeof(*x)) == 0;
}

/*
 * Returns the CRC32 of a key at any address, from init. The key is read through memcpy:
 * keys sit 12 octets apart in arrays (misaligned for 8-octet loads), and a struct of
 * octets must not be read through a uint64_t pointer (strict aliasing), which
 * rte_hash_crc() would do. Any thread.
 */
static inline uint32_t
dp_src_key_hash_init(const void *k, uint32_t init)
{
	uint64_t a;
	uint32_t b;

	_Static_assert(sizeof(struct dp_src_key) == 12, "two loads");
	memcpy(&a, k, 8);
	memcpy(&b, (const uint8_t *)k + 8, 4);
	return rte_hash_crc_4byte(b, rte_hash_crc_8byte(a, init));
}

/* Returns the CRC32 of a key from a fixed seed (the source tables' hash). Any thread. */
static inline uint32_t
dp_src_key_hash(const struct dp_src_key *k)
{
	return dp_src_key_hash_init(k, 0x5bd1e995);
}

/* Writes the key as an address with its prefix (/32, or /64 for IPv6) into ip. Any thread. */
static inline void
dp_src_key_ip(const struct dp_src_key *k, struct sbc_ip *ip)
{
	memset(ip, 0, sizeof(*ip));
	ip->family = k->v6 ? AF_INET6 : AF_INET;
	ip->plen = k->v6 ? 64 : 32;
	memcpy(ip->a, k->a, k->v6 ? 8 : 4);
}

/* Fills k with the key of an address given as an sbc_ip (prefix length ignored). Any thread. */
static inline void
dp_src_key_of_ip(struct dp_src_key *k, const struct sbc_ip *ip)
{
	dp_src_key_make(k, ip->family == AF_INET6, ip->a);
}

/*
 * A set-associative table of sources: a source hashes to a set of DP_SRCTAB_WAYS
 * entries; a source not in its set takes the entry least recently seen. A flood of
 * spoofed sources therefore recycles entries instead of exhausting memory, while a
 * source that keeps sending stays. Entries are of any size (esize) and begin with a
 * struct dp_srctab_ent; memory is the caller's. One thread reads and writes a table.
 */
#define DP_SRCTAB_WAYS 4

struct dp_srctab_ent {
	struct dp_src_key key;
	uint32_t spare;  /* for the entry's owner */
	uint64_t seen;   /* last use (any clock > 0); 0: free */
};

struct dp_srctab {
	uint32_t mask;  /* sets - 1 */
	uint32_t esize;
	uint8_t *mem;
};

/* Returns the octets a table of at least n entries of esize octets needs. Any thread. */
static inline size_t
dp_srctab_mem_size(unsigned int n, size_t esize)
{
	size_t sets = 1;

	while (sets * DP_SRCTAB_WAYS < n && sets < ((size_t)1 << 30))
		sets <<= 1;
	return sets * DP_SRCTAB_WAYS * esize;
}

/*
 * Makes an empty table in mem (dp_srctab_mem_size(n, esize) zeroed octets). The thread
 * that owns t, or the main thread before it hands t over.
 */
static inline void
dp_srctab_init(struct dp_srctab *t, void *mem, unsigned int n, size_t esize)
{
	t->mask = (uint32_t)(dp_srctab_mem_size(n, esize) / esize / DP_SRCTAB_WAYS - 1);
	t->esize = (uint32_t)esize;
	t->mem = mem;
}

/*
 * Returns the entry of k, or, when create, a new one (zeroed, key set) taking over the
 * least recently seen of its set; NULL when absent and !create. Marks it seen at now. The
 * thread that owns t (a dataplane lcore; the firewall control thread, under its lock).
 */
static inline void *
dp_srctab_get(struct dp_srctab *t, const struct dp_src_key *k, uint64_t now, bool create)
{
	uint8_t *set = t->mem + (size_t)(dp_src_key_hash(k) & t->mask) * DP_SRCTAB_WAYS * t->esize;
	struct dp_srctab_ent *e, *old = (struct dp_srctab_ent *)(void *)set;
	unsigned int i;

	for (i = 0; i < DP_SRCTAB_WAYS; i++) {
		e = (struct dp_srctab_ent *)(void *)(set + i * t->esize);
		if (e->seen != 0 && dp_src_key_eq(&e->key, k)) {
			e->seen = now;
			return e;
		}
		if (e->seen < old->seen)
			old = e;
	}
	if (!create)
		return NULL;
	memset(old, 0, t->esize);
	old->key = *k;
	old->seen = now;
	return old;
}

#endif /* DP_SRC_H */
