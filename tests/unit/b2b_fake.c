/* SPDX-License-Identifier: BSD-3-Clause */
/* b2b_fake.c - a fake environment for B2BUA unit tests (see b2b_fake.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "b2b_fake.h"
#include "sip_hdr.h"
#include "sip_peek.h"
#include "test_prng.h"

static const uint8_t host4[2][4] = { { 192, 0, 2, 10 }, { 198, 51, 100, 10 } };
static const uint8_t sbc4[2][4] = { { 192, 0, 2, 1 }, { 198, 51, 100, 1 } };
static const uint8_t host6[2][16] = {
	{ 0x20, 0x01, 0x0d, 0xb8, 0, 0xa, [15] = 0x10 },
	{ 0x20, 0x01, 0x0d, 0xb8, 0, 0xc, [15] = 0x10 },
};
static const uint8_t sbc6[2][16] = {
	{ 0x20, 0x01, 0x0d, 0xb8, 0, 0xa, [15] = 0x01 },
	{ 0x20, 0x01, 0x0d, 0xb8, 0, 0xc, [15] = 0x01 },
};

/* ---- the environment -------------------------------------------------------------------- */

static int
fake_send(void *env, const struct sig_addr *from, const struct sig_addr *to, const char *data,
		uint32_t len)
{
	struct fake_env *f = env;
	struct fake_sent *s;

	if (f->send_fails)
		return SBC_DROP_NO_MBUF;
	assert_true(f->n_sent < FAKE_MAX_SENT);
	s = &f->sent[f->n_sent++];
	s->from = *from;
	s->to = *to;
	s->data = malloc(len + 1);
	assert_non_null(s->data);
	memcpy(s->data, data, len);
	s->data[len] = '\0';
	s->len = len;
	return 0;
}

static uint64_t
fake_random(void *env)
{
	return test_prng_next(&((struct fake_env *)env)->rnd);
}

static void *
fake_zalloc(void *env, const char *what, size_t size)
{
	(void)env;
	(void)what;
	return calloc(1, size);
}

static void
fake_mfree(void *env, void *p)
{
	(void)env;
	free(p);
}

static const struct sig_env_ops core_ops = {
	.send = fake_send,
	.random = fake_random,
	.zalloc = fake_zalloc,
	.free = fake_mfree,
};

static uint16_t
fake_port_alloc(void *env, unsigned int ifidx)
{
	struct fake_env *f = env;
	unsigned int i;

	for (i = 0; ifidx < 2 && i < FAKE_PORTS; i++)
		if (!f->port_used[ifidx][i]) {
			f->port_used[ifidx][i] = true;
			f->ports_in_use++;
			return (uint16_t)(20000 + 2 * i);
		}
	return 0;
}

static void
fake_port_free(void *env, unsigned int ifidx, uint16_t port)
{
	struct fake_env *f = env;
	unsigned int i = (port - 20000u) / 2;

	assert_true(ifidx < 2 && port >= 20000 && i < FAKE_PORTS && port % 2 == 0);
	assert_true(f->port_used[ifidx][i]);
	/* Its flows were withdrawn first. */
	assert_false(f->flow[ifidx][2 * i].set);
	assert_false(f->flow[ifidx][2 * i + 1].set);
	f->port_used[ifidx][i] = false;
	f->ports_in_use--;
}

static struct fake_flow *
flow_of(struct fake_env *f, unsigned int ifidx, uint16_t port)
{
	assert_true(ifidx < 2 && port >= 20000 && port < 20000 + 2 * FAKE_PORTS);
	return &f->flow[ifidx][port - 20000];
}

static int
fake_flow_set(void *env, unsigned int ifidx, uint16_t port, const struct b2b_flow *fl,
		enum sbc_call_end why)
{
	struct fake_env *f = env;
	struct fake_flow *x = flow_of(f, ifidx, port);

	/* Only ports a call holds carry flows. */
	assert_true(f->port_used[ifidx][(port - 20000) / 2]);
	if (fl != NULL) {
		if (!x->set)
			f->flows_set++;
		x->set = true;
		x->f = *fl;
		return 0;
	}
	if (x->set) {
		f->flows_set--;
		f->withdrawn[why <= SBC_END_MAX ? why : SBC_END_MAX]++;
	}
	x->set = false;
	return 0;
}

static uint64_t
fake_flow_last_ms(void *env, unsigned int ifidx, uint16_t port)
{
	return flow_of(env, ifidx, port)->last_ms;
}

static bool
fake_local_addr(void *env, unsigned int ifidx, int v6, const uint8_t *dst, uint8_t *src)
{
	(void)env;
	(void)dst;
	if (ifidx >= 2)
		return false;
	memcpy(src, v6 ? sbc6[ifidx] : sbc4[ifidx], v6 ? 16 : 4);
	return true;
}

static bool
fake_is_ours(void *env, int v6, const uint8_t *ip)
{
	int i;

	(void)env;
	for (i = 0; i < 2; i++)
		if (memcmp(ip, v6 ? sbc6[i] : sbc4[i], v6 ? 16 : 4) == 0)
			return true;
	return false;
}

static void
fake_offence(void *env, const struct sig_addr *src, enum sbc_fw_offence off)
{
	struct fake_env *f = env;

	(void)src;
	assert_true(off < SBC_FW_OFF_MAX);
	f->offences[off]++;
}

static bool
fake_overloaded(void *env)
{
	return ((struct fake_env *)env)->overloaded;
}

/* A stand-in for the relay's opaque CNAME: "cname-<call>-<length of the original>". */
static size_t
fake_rtcp_cname(void *env, uint32_t call, struct sip_str value, char *out)
{
	(void)env;
	return (size_t)snprintf(out, 32, "cname-%u-%u", call, value.len);
}

static const struct b2b_env_ops b2b_ops = {
	.port_alloc = fake_port_alloc,
	.port_free = fake_port_free,
	.flow_set = fake_flow_set,
	.flow_last_ms = fake_flow_last_ms,
	.local_addr = fake_local_addr,
	.is_ours = fake_is_ours,
	.offence = fake_offence,
	.overloaded = fake_overloaded,
	.rtcp_cname = fake_rtcp_cname,
	.store_post = NULL,
};

/* ---- set-up ----------------------------------------------------------------------------- */

void
fake_init(struct fake_env *f, const char *sip_json, const char *media_json,
		const struct b2b_hooks *hooks)
{
	char text[4096], err[512];
	struct b2b_args a;

	memset(f, 0, sizeof(*f));
	snprintf(text, sizeof(text),
			"{ \"lcores\": { \"dataplane\": [1], \"signalling\": [2] },"
			"  \"ports\": ["
			"    { \"name\": \"access\", \"devargs\": \"net_null0\","
			"      \"ipv4\": [\"192.0.2.1/24\"], \"ipv6\": [\"2001:db8:a::1/64\"],"
			"      \"sip_udp_port\": 5060 },"
			"    { \"name\": \"core\", \"devargs\": \"net_null1\","
			"      \"ipv4\": [\"198.51.100.1/24\"], \"sip_udp_port\": 5060 } ],"
			"  \"sip\": %s, \"media\": %s,"
			"  \"routes\": ["
			"    { \"from\": \"access\", \"to\": \"198.51.100.10:5060\", \"via\": \"core\" },"
			"    { \"from\": \"core\", \"to\": \"192.0.2.10:5060\", \"via\": \"access\" } ],"
			"  \"run_dir\": \"/tmp\", \"data_dir\": \"/tmp\" }",
			sip_json != NULL ? sip_json : "{ \"max_calls\": 64, \"max_transactions\": 512 }",
			media_json != NULL ? media_json :
					     "{ \"port_min\": 20000, \"port_max\": 20127 }");
	if (sbc_config_parse(text, "(b2b test)", &f->cfg, err, sizeof(err)) < 0)
		fail_msg("configuration: %s", err);
	f->st = calloc(1, sizeof(*f->st));
	f->msg = calloc(1, sizeof(*f->msg));
	assert_non_null(f->st);
	assert_non_null(f->msg);
	f->rnd = 0x5eed5eed5eed5eedull;
	f->now_ms = 1000000;
	memset(&a, 0, sizeof(a));
	a.core.ops = &core_ops;
	a.core.env = f;
	a.core.st = f->st;
	a.core.shard = 0;
	a.core.t1_ms = f->cfg.sip.t1_ms;
	a.core.t2_ms = f->cfg.sip.t2_ms;
	a.core.t4_ms = f->cfg.sip.t4_ms;
	a.core.max_txns = f->cfg.sip.max_transactions;
	a.core.now_ms = f->now_ms;
	a.ops = &b2b_ops;
	a.env = f;
	a.cfg = &f->cfg;
	a.max_calls = f->cfg.sip.max_calls;
	a.hooks = hooks;
	assert_int_equal(b2b_init(&f->b2b, &a), 0);
}

void
fake_fini(struct fake_env *f)
{
	fake_flush(f);
	free(f->taken.data);
	f->taken.data = NULL;
	b2b_fini(&f->b2b);
	sbc_config_free(&f->cfg);
	free(f->st);
	free(f->msg);
}

struct fake_env *
fake_new(const char *sip_json, const char *media_json, const struct b2b_hooks *hooks)
{
	struct fake_env *f = malloc(sizeof(*f));

	assert_non_null(f);
	fake_init(f, sip_json, media_json, hooks);
	return f;
}

void
fake_free(struct fake_env *f)
{
	if (f == NULL)
		return;
	fake_fini(f);
	free(f);
}

/* ---- driving ---------------------------------------------------------------------------- */

/* "\n" -> CRLF: messages are written with \n in the tests. */
static uint32_t
crlf(const char *in, char *out, size_t cap)
{
	size_t n = 0;

	for (; *in != '\0' && n + 2 < cap; in++) {
		if (*in == '\n')
			out[n++] = '\r';
		out[n++] = *in;
	}
	out[n] = '\0';
	return (uint32_t)n;
}

static void
recv_v(struct fake_env *f, enum fake_side side, int v6, const char *fmt, va_list ap)
{
	char raw[8192], text[16384];
	struct b2b_dgram d;
	struct sip_peek pk;

	vsnprintf(raw, sizeof(raw), fmt, ap);
	memset(&d, 0, sizeof(d));
	d.len = crlf(raw, text, sizeof(text));
	d.data = text;
	d.src.v6 = d.dst.v6 = (uint8_t)v6;
	d.src.ifidx = d.dst.ifidx = (uint8_t)side;
	d.src.port = d.dst.port = 5060;
	memcpy(d.src.ip, v6 ? host6[side] : host4[side], v6 ? 16 : 4);
	memcpy(d.dst.ip, v6 ? sbc6[side] : sbc4[side], v6 ? 16 : 4);
	/* The dataplane's first-line check finds the Call-ID and branch: the same here. */
	sip_peek(text, d.len, NULL, &pk);
	if (pk.call_id_len != 0)
		d.call_id = (struct sip_str){ text + pk.call_id_off, pk.call_id_len };
	if (pk.branch_len != 0)
		d.branch = (struct sip_str){ text + pk.branch_off, pk.branch_len };
	b2b_datagram(&f->b2b, &d);
}

void
fake_recv(struct fake_env *f, enum fake_side side, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	recv_v(f, side, 0, fmt, ap);
	va_end(ap);
}

void
fake_recv6(struct fake_env *f, enum fake_side side, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	recv_v(f, side, 1, fmt, ap);
	va_end(ap);
}

void
fake_advance(struct fake_env *f, uint64_t ms)
{
	uint64_t end = f->now_ms + ms;

	/* Millisecond by millisecond, as the lcore's turns go. */
	while (f->now_ms < end) {
		f->now_ms++;
		b2b_tick(&f->b2b, f->now_ms);
	}
}

/* Which side a datagram went to, by its destination. */
static int
side_of(const struct fake_sent *s)
{
	int i;

	for (i = 0; i < 2; i++)
		if (memcmp(s->to.ip, s->to.v6 ? host6[i] : host4[i], s->to.v6 ? 16 : 4) == 0)
			return i;
	return -1;
}

const char *
fake_take(struct fake_env *f, enum fake_side side)
{
	unsigned int i;

	for (i = 0; i < f->n_sent; i++) {
		if (side_of(&f->sent[i]) != (int)side)
			continue;
		free(f->taken.data);
		f->taken = f->sent[i];
		memmove(&f->sent[i], &f->sent[i + 1], (f->n_sent - i - 1) * sizeof(f->sent[0]));
		f->n_sent--;
		/* What each side receives comes from the SBC's address on that side. */
		assert_true(f->taken.from.ifidx == side);
		assert_memory_equal(f->taken.from.ip,
				f->taken.from.v6 ? sbc6[side] : sbc4[side], f->taken.from.v6 ? 16 : 4);
		if (sip_parse(f->msg, f->taken.data, f->taken.len, SIP_FRAME_DATAGRAM, NULL) < 0)
			fail_msg("the SBC sent an unparseable message:\n%s", f->taken.data);
		return f->taken.data;
	}
	return NULL;
}

void
fake_parse(struct fake_env *f, const char *text)
{
	if (sip_parse(f->msg, text, strlen(text), SIP_FRAME_DATAGRAM, NULL) < 0)
		fail_msg("unparseable:\n%s", text);
}

unsigned int
fake_pending(const struct fake_env *f, enum fake_side side)
{
	unsigned int i, n = 0;

	for (i = 0; i < f->n_sent; i++)
		n += side_of(&f->sent[i]) == (int)side;
	return n;
}

void
fake_flush(struct fake_env *f)
{
	unsigned int i;

	for (i = 0; i < f->n_sent; i++)
		free(f->sent[i].data);
	f->n_sent = 0;
}

const char *
fake_hdr(const struct fake_env *f, const char *name)
{
	static char v[2048];
	enum sip_hdr_id id = sip_hdr_lookup(name, strlen(name));
	uint16_t i;

	for (i = 0; i < f->msg->n_hdrs; i++) {
		const struct sip_hdr *h = &f->msg->hdrs[i];

		if (id != SIP_H_OTHER ? h->id == id : sip_str_icase(h->name, name)) {
			snprintf(v, sizeof(v), "%.*s", (int)h->value.len, h->value.s);
			return v;
		}
	}
	return "";
}

const char *
fake_param(const struct fake_env *f, const char *name, const char *param)
{
	static char v[256];
	const char *h = fake_hdr(f, name), *p;
	char key[64];
	size_t n;

	snprintf(key, sizeof(key), ";%s=", param);
	p = strstr(h, key);
	if (p == NULL)
		return "";
	p += strlen(key);
	n = strcspn(p, ";,> \t");
	snprintf(v, sizeof(v), "%.*s", (int)n, p);
	return v;
}

int
fake_status(const struct fake_env *f)
{
	return f->msg->kind == SIP_KIND_RESPONSE ? f->msg->status : 0;
}

const char *
fake_start(const struct fake_env *f)
{
	static char v[512];
	size_t n = strcspn(f->msg->buf, "\r\n");

	snprintf(v, sizeof(v), "%.*s", (int)n, f->msg->buf);
	return v;
}

bool
fake_has(const char *text, const char *s)
{
	return text != NULL && strstr(text, s) != NULL;
}

unsigned int
fake_calls(const struct fake_env *f)
{
	return f->b2b.calls.active;
}

unsigned int
fake_txns(const struct fake_env *f)
{
	return f->b2b.core.txns.active;
}
