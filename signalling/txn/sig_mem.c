/* SPDX-License-Identifier: BSD-3-Clause */
/* sig_mem.c - size-class blocks of a signalling lcore (sig_mem.h). */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "sig_mem.h"

/*
 * The class of an n-octet block (n <= SIG_MEM_MAX) and its size: 32, then two per
 * power of two (48, 64, 96, 128, ... 6144, 8192), so a block wastes at most a third
 * of its size and a fifth on average (kept SIP messages are a few hundred octets).
 */
static inline unsigned int
class_of(uint32_t n, uint32_t *size)
{
	unsigned int b;
	uint32_t mid;

	if (n <= 32) {
		*size = 32;
		return 0;
	}
	b = 32u - (unsigned int)__builtin_clz(n - 1); /* 2^(b-1) < n <= 2^b, b >= 6 */
	mid = 3u << (b - 2);
	if (n <= mid) {
		*size = mid;
		return 2 * (b - 6) + 1;
	}
	*size = 1u << b;
	return 2 * (b - 6) + 2;
}

_Static_assert(2 * (13 - 6) + 2 == SIG_MEM_CLASSES - 1 && SIG_MEM_MAX == 1u << 13,
		"the last class is SIG_MEM_MAX");

void *
sig_mem_alloc(struct sig_mem *m, uint32_t n)
{
	unsigned int c;
	uint32_t size;
	void *p;

	if (n > SIG_MEM_MAX) {
		p = malloc(n);
		if (p != NULL)
			m->bytes += malloc_usable_size(p);
		return p;
	}
	c = class_of(n, &size);
	p = m->free[c];
	if (p != NULL) {
		memcpy(&m->free[c], p, sizeof(void *));
	} else {
		if (m->left < size) {
			/* A new slab: its first line holds the link to the previous one. */
			char *slab = malloc(SIG_MEM_SLAB);

			if (slab == NULL)
				return NULL;
			memcpy(slab, &m->slabs, sizeof(void *));
			m->slabs = slab;
			m->cur = slab + 64;
			m->left = SIG_MEM_SLAB - 64;
		}
		p = m->cur;
		m->cur += size;
		m->left -= size;
	}
	m->bytes += size;
	return p;
}

void
sig_mem_free(struct sig_mem *m, void *p, uint32_t n)
{
	uint32_t size;
	unsigned int c;

	if (p == NULL)
		return;
	if (n > SIG_MEM_MAX) {
		m->bytes -= malloc_usable_size(p);
		free(p);
		return;
	}
	c = class_of(n, &size);
	m->bytes -= size;
	memcpy(p, &m->free[c], sizeof(void *));
	m->free[c] = p;
}

void
sig_mem_fini(struct sig_mem *m)
{
	while (m->slabs != NULL) {
		void *next;

		memcpy(&next, m->slabs, sizeof(void *));
		free(m->slabs);
		m->slabs = next;
	}
	memset(m, 0, sizeof(*m));
}

bool
sig_buf_set(struct sig_mem *m, struct sig_buf *b, const char *s, uint32_t n)
{
	sig_buf_free(m, b);
	if (n == 0)
		return true;
	b->s = sig_mem_alloc(m, n);
	if (b->s == NULL)
		return false;
	memcpy(b->s, s, n);
	b->len = n;
	return true;
}

void
sig_buf_free(struct sig_mem *m, struct sig_buf *b)
{
	if (b->s != NULL)
		sig_mem_free(m, b->s, b->len);
	b->s = NULL;
	b->len = 0;
}
