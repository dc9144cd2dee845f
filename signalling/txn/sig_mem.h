/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sig_mem.h - variable-size memory of one signalling lcore: the messages transactions
 * keep for retransmission, dialog strings (sig_buf), counted in octets.
 *
 * Blocks come in size classes from 32 to 8192 octets, two per power of two (32, 48,
 * 64, 96, ...: a fifth wasted on average, so that a call stays within its 4 KiB
 * budget), carved from 64 KiB slabs and recycled through a free list per class; a
 * block's class follows from the length its owner records, so blocks carry no header.
 * Larger blocks (a message with a big body) go to malloc. A call allocates and frees a
 * dozen such blocks: a free list costs a few instructions where malloc costs a search
 * (docs/BENCHMARKS.md, CPU per call).
 *
 * Slabs are kept until sig_mem_fini: after a peak the memory stays with the lcore for
 * the next one (bounded by the transaction and call pools it serves).
 * Concurrency: one per signalling lcore, used only by it (and by the main thread
 * after the lcore stopped, to release it).
 */
#ifndef SIG_MEM_H
#define SIG_MEM_H

#include <stdbool.h>
#include <stdint.h>

#define SIG_MEM_CLASSES 17 /* 32, 48, 64, 96, ... 6144, 8192 */
#define SIG_MEM_MAX 8192u
#define SIG_MEM_SLAB 65536u

struct sig_mem {
	uint64_t bytes;                /* in use: block sizes, and what malloc gave */
	void *free[SIG_MEM_CLASSES];   /* free blocks of each class (first word: next) */
	void *slabs;                   /* every slab (first word: next) */
	char *cur;                     /* unused end of the newest slab */
	uint32_t left;
};

/* Returns a block for n > 0 octets, or NULL. Owner lcore. */
void *sig_mem_alloc(struct sig_mem *m, uint32_t n);

/* Gives back a block sig_mem_alloc(m, n) returned (same n; NULL: nothing). Owner lcore. */
void sig_mem_free(struct sig_mem *m, void *p, uint32_t n);

/*
 * Releases every slab (blocks still held become invalid). Main thread, after the lcore
 * stopped (sig_core_fini).
 */
void sig_mem_fini(struct sig_mem *m);

/* A copy of some octets, owned by a transaction or a call. */
struct sig_buf {
	char *s;
	uint32_t len;
};

/*
 * Replaces a kept buffer with a copy of [s, s + n). Returns false when out of memory
 * (b then empty). Owner lcore.
 */
bool sig_buf_set(struct sig_mem *m, struct sig_buf *b, const char *s, uint32_t n);

/* Frees b's copy and leaves b empty. Owner lcore (or the main thread, once it stopped). */
void sig_buf_free(struct sig_mem *m, struct sig_buf *b);

#endif /* SIG_MEM_H */
