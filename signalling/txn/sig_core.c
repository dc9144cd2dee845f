/* SPDX-License-Identifier: BSD-3-Clause */
/* sig_core.c - a signalling lcore's shared state below the B2BUA (see sig_core.h). */
#include <errno.h>
#include <string.h>

#include "sig_core.h"

/* The transaction pool and its server index (a power of two of buckets). */
static int
txns_init(struct sig_core *c, uint32_t n)
{
	struct sig_txns *tl = &c->txns;
	uint32_t i, nb = 1;

	while (nb < n)
		nb <<= 1;
	tl->pool = c->ops->zalloc(c->env, "sbc_txns", sizeof(*tl->pool) * n);
	tl->bucket = c->ops->zalloc(c->env, "sbc_txn_hash", sizeof(*tl->bucket) * nb);
	if (tl->pool == NULL || tl->bucket == NULL)
		return -ENOMEM;
	tl->n = n;
	tl->mask = nb - 1;
	for (i = n; i-- > 0;) {
		tl->pool[i].idx = i;
		tl->pool[i].hnext = tl->free;
		tl->free = &tl->pool[i];
	}
	return 0;
}

int
sig_core_init(struct sig_core *c, const struct sig_core_args *a)
{
	int rc;

	memset(c, 0, sizeof(*c));
	c->ops = a->ops;
	c->env = a->env;
	c->st = a->st;
	c->shard = a->shard;
	c->t1_ms = a->t1_ms;
	c->t2_ms = a->t2_ms;
	c->t4_ms = a->t4_ms;
	c->tu = a->tu;
	c->tu_arg = a->tu_arg;
	c->now_ms = a->now_ms;
	if (sbc_hash_key_new(&c->key) < 0)
		return -EIO;
	c->out = c->ops->zalloc(c->env, "sbc_sig_out", SIG_BUF);
	c->kept = c->ops->zalloc(c->env, "sbc_sig_kept", sizeof(*c->kept));
	rc = c->out == NULL || c->kept == NULL ? -ENOMEM : txns_init(c, a->max_txns);
	if (rc < 0) {
		sig_core_fini(c);
		return rc;
	}
	sig_wheel_init(&c->wheel, a->now_ms, c);
	return 0;
}

void
sig_core_fini(struct sig_core *c)
{
	struct sig_txns *tl = &c->txns;
	uint32_t i;

	if (c->ops == NULL)
		return;
	/* Blocks in slabs go with the slabs; larger ones were malloc'd one by one. */
	for (i = 0; tl->pool != NULL && i < tl->n; i++) {
		sig_buf_free(&c->mem, &tl->pool[i].branch);
		sig_buf_free(&c->mem, &tl->pool[i].msg);
		sig_buf_free(&c->mem, &tl->pool[i].head);
	}
	c->ops->free(c->env, tl->pool);
	c->ops->free(c->env, tl->bucket);
	c->ops->free(c->env, c->out);
	c->ops->free(c->env, c->kept);
	sig_mem_fini(&c->mem);
	memset(tl, 0, sizeof(*tl));
	c->out = NULL;
	c->kept = NULL;
}

unsigned int
sig_core_tick(struct sig_core *c, uint64_t now_ms)
{
	c->now_ms = now_ms;
	return sig_wheel_run(&c->wheel, now_ms);
}
