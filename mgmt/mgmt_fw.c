/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mgmt_fw.c - the firewall's control thread, reloads, blocks and alerts (see mgmt_fw.h).
 *
 * One instance per process (the daemon's dataplane). The control thread wakes every
 * millisecond for the offence reports, and every 100 ms unblocks what expired; a second
 * thread (the reloader) runs SIGHUP's reloads, so that a long build never delays a
 * block. Block state is kept per blocklist slot (the position the hash
 * gives a key), so the table and the records never disagree on what is blocked.
 */
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_lcore.h>

#include "mgmt_fw.h"
#include "sbc_log.h"

#define RECORDS 1024          /* the record keeps the last RECORDS entries */
#define OFFENDERS 16384       /* sources whose offences are being counted */
#define REPORT_BURST 256
#define EXPIRE_MS 100
#define LOG_AUTO_PER_S 20     /* automatic blocks logged per second; the record keeps all */

/* A source whose offences are counted. */
struct offender {
	struct dp_srctab_ent h;
	uint64_t since_ms;                /* start of the counting window */
	uint32_t n[SBC_FW_OFF_MAX];
};

/* What the control side knows of a blocklist slot. */
struct block {
	bool used;
	uint32_t li;                      /* its place in fw.used */
	struct dp_src_key key;
	uint64_t until_ms;                /* monotonic; 0: until unblocked */
	struct mgmt_fw_block_info info;
};

static struct {
	pthread_mutex_t state_lock;
	pthread_mutex_t reload_lock;
	pthread_t thread;                 /* offences and expiry */
	pthread_t reloader;               /* SIGHUP reloads, so that a build never stalls blocking */
	bool running, reloader_running;
	int stop;                         /* atomic */
	int sighup;                       /* atomic */
	struct dp *dp;
	const struct sbc_config *cfg;
	uint64_t gen;                     /* last generation built */
	struct block *blocks;             /* [slot] */
	uint32_t n_slots;
	uint32_t *used;                   /* the slots in use, in no order: expiry and listing */
	uint32_t n_used;                  /* walk these, not every slot */
	struct dp_srctab offenders;
	struct mgmt_fw_record *rec;       /* ring of RECORDS */
	unsigned int rec_next, rec_count;
	bool acked[SBC_FW_SVC_MAX];
	uint64_t offences[SBC_FW_OFF_MAX];
	uint64_t refused;
	uint64_t refused_logged_ms;
	uint64_t log_sec;                 /* automatic blocks logged in this second ... */
	unsigned int log_n;
	unsigned int log_skipped;         /* ... and not logged (LOG_AUTO_PER_S) */
} fw = { .state_lock = PTHREAD_MUTEX_INITIALIZER, .reload_lock = PTHREAD_MUTEX_INITIALIZER };

/* Milliseconds of the monotonic clock (expiry, windows). */
static uint64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Milliseconds since the epoch (what the record shows). */
static int64_t
wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the record (state_lock held) ------------------------------------------------------ */

/* Appends a record and logs it; src may be NULL. */
static void __attribute__((format(printf, 6, 7)))
record(const char *action, unsigned int offence, const struct sbc_ip *src, uint32_t seconds,
		const char *by, const char *fmt, ...)
{
	struct mgmt_fw_record *r = &fw.rec[fw.rec_next];
	char a[SBC_IP_STRLEN + 4];
	va_list ap;

	memset(r, 0, sizeof(*r));
	r->time_ms = wall_ms();
	snprintf(r->action, sizeof(r->action), "%s", action);
	r->offence = (uint8_t)offence;
	r->seconds = seconds;
	snprintf(r->by, sizeof(r->by), "%s", by);
	va_start(ap, fmt);
	vsnprintf(r->what, sizeof(r->what), fmt, ap);
	va_end(ap);
	if (src != NULL) {
		r->has_src = true;
		r->src = *src;
	}
	fw.rec_next = (fw.rec_next + 1) % RECORDS;
	if (fw.rec_count < RECORDS)
		fw.rec_count++;
	/* A flood of spoofed sources must not flood the log: a few lines a second. */
	if (strcmp(by, "auto") == 0) {
		uint64_t sec = mono_ms() / 1000;

		if (sec != fw.log_sec) {
			if (fw.log_skipped != 0)
				MGMT_LOG(NOTICE, "firewall: %u more automatic blocks and expiries "
						"not logged (see /sbc/fw/log)", fw.log_skipped);
			fw.log_sec = sec;
			fw.log_n = 0;
			fw.log_skipped = 0;
		}
		if (++fw.log_n > LOG_AUTO_PER_S) {
			fw.log_skipped++;
			return;
		}
	}
	if (src != NULL && strcmp(action, "block") == 0 && seconds != 0)
		MGMT_LOG(NOTICE, "firewall: block %s for %u s: %s (by %s)",
				sbc_ip_format(src, true, a, sizeof(a)), seconds, r->what, by);
	else if (src != NULL && strcmp(action, "block") == 0)
		MGMT_LOG(NOTICE, "firewall: block %s until unblocked: %s (by %s)",
				sbc_ip_format(src, true, a, sizeof(a)), r->what, by);
	else
		MGMT_LOG(NOTICE, "firewall: %s%s%s: %s (by %s)", action, src ? " " : "",
				src ? sbc_ip_format(src, true, a, sizeof(a)) : "", r->what, by);
}

/* ---- blocks (state_lock held) ---------------------------------------------------------- */

/* The blocklist key of ip, and the prefix it stands for (/32, or /64 for IPv6). */
static void
src_of(const struct sbc_ip *ip, struct dp_src_key *k, struct sbc_ip *src)
{
	dp_src_key_of_ip(k, ip);
	dp_src_key_ip(k, src);
}

/* Blocks the source of ip. Returns 0, or -EEXIST / -ENOSPC. */
static int
block_add(const struct sbc_ip *ip, unsigned int offence, unsigned int seconds, const char *by,
		const char *reason)
{
	/*
	 * What the planes report are SIP offences, and UDP sources can be spoofed: such a
	 * block shuts SIP only, so nobody can lock a source out of SSH or the API by
	 * forging its address. An operator's block shuts everything.
	 */
	uint8_t scope = offence == SBC_FW_OFF_OPERATOR ? DP_BLOCK_ALL : DP_BLOCK_SVC(SBC_FW_SIP);
	struct dp_src_key k;
	struct block *b;
	struct sbc_ip src;
	int pos;

	src_of(ip, &k, &src);
	pos = dp_blocks_add(&fw.dp->blocks, &k, scope);
	if (pos == -ENOSPC) {
		uint64_t now = mono_ms();

		fw.refused++;
		if (now - fw.refused_logged_ms >= 1000) {
			fw.refused_logged_ms = now;
			record("refused", offence, &src, seconds, by,
					"blocklist full (%u sources): %s", fw.dp->blocks.max, reason);
		}
		return pos;
	}
	if (pos < 0)
		return pos;
	b = &fw.blocks[pos];
	memset(b, 0, sizeof(*b));
	b->used = true;
	b->key = k;
	b->li = fw.n_used;
	fw.used[fw.n_used++] = (uint32_t)pos;
	b->until_ms = seconds ? mono_ms() + (uint64_t)seconds * 1000 : 0;
	b->info.src = src;
	b->info.seen = *ip;
	b->info.offence = (uint8_t)offence;
	b->info.all = scope == DP_BLOCK_ALL;
	snprintf(b->info.reason, sizeof(b->info.reason), "%s", reason);
	snprintf(b->info.by, sizeof(b->info.by), "%s", by);
	b->info.since_s = wall_ms() / 1000;
	b->info.until_s = seconds ? b->info.since_s + seconds : 0;
	record("block", offence, &src, seconds, by, "%s", reason);
	return 0;
}

/*
 * Unblocks slot pos and records it; the slot is reused only after the caller's
 * dp_blocks_reclaim() (a grace period).
 */
static void
block_del(int pos, const char *action, const char *by, const char *why)
{
	struct block *b = &fw.blocks[pos];

	b->info.hits = __atomic_load_n(&fw.dp->blocks.hits[pos], __ATOMIC_RELAXED);
	dp_blocks_del(&fw.dp->blocks, &b->key);
	record(action, b->info.offence, &b->info.src, 0, by, "%s; %" PRIu64 " packets dropped",
			why, b->info.hits);
	b->used = false;
	/* Out of the list of slots in use: the last takes its place. */
	fw.used[b->li] = fw.used[--fw.n_used];
	fw.blocks[fw.used[b->li]].li = b->li;
}

/* Unblocks what expired. */
static void
expire(uint64_t now)
{
	uint32_t i;

	/* Backwards: block_del() moves the last entry into the place it frees. */
	for (i = fw.n_used; i-- > 0;) {
		const struct block *b = &fw.blocks[fw.used[i]];

		if (b->until_ms != 0 && b->until_ms <= now)
			block_del((int)fw.used[i], "expire", "auto", "block expired");
	}
	dp_blocks_reclaim(&fw.dp->blocks, fw.dp->qsbr);
}

/* ---- offences (state_lock held) -------------------------------------------------------- */

/* The threshold of an offence (0: never blocks) and how long its block lasts. */
static unsigned int
threshold(const struct dp_fw_rules *r, unsigned int off, unsigned int *seconds)
{
	const struct sbc_fw_cfg *c = &r->cfg;

	*seconds = c->block.block_s;
	switch (off) {
	case SBC_FW_OFF_SIP_FLOOD:
	case SBC_FW_OFF_CALL_FLOOD:
		*seconds = c->flood.block_s;
		return 1; /* the dataplane counted already (flood.block_after) */
	case SBC_FW_OFF_SCANNER:
		return c->block.scanner;
	case SBC_FW_OFF_MALFORMED:
		return c->block.malformed;
	case SBC_FW_OFF_AUTH_FAILURE:
		return c->block.auth_failures;
	default:
		return 0;
	}
}

/* Counts one reported offence and blocks its source when that reaches the threshold. */
static void
offence(const struct sbc_fw_report *rep, uint64_t now)
{
	const struct dp_fw_rules *r = fw.dp->fw;
	struct offender *o;
	struct dp_src_key key;
	struct sbc_ip ip;
	unsigned int need, seconds;
	char reason[96];

	if (rep->offence >= SBC_FW_OFF_MAX)
		return;
	fw.offences[rep->offence]++;
	dp_src_key_make(&key, rep->v6, rep->addr);
	/* Trusted trunks (flood.exempt) are never blocked automatically. */
	if (dp_fw_exempt(&r->flood, rep->v6, rep->addr) ||
			dp_blocks_find(&fw.dp->blocks, &key) >= 0)
		return;
	need = threshold(r, rep->offence, &seconds);
	if (need == 0)
		return;
	o = dp_srctab_get(&fw.offenders, &key, now, true);
	if (now - o->since_ms > (uint64_t)r->cfg.block.window_s * 1000) {
		memset(o->n, 0, sizeof(o->n));
		o->since_ms = now;
	}
	if (++o->n[rep->offence] < need)
		return;
	memset(ip.a, 0, sizeof(ip.a));
	ip.family = rep->v6 ? AF_INET6 : AF_INET;
	ip.plen = rep->v6 ? 128 : 32;
	memcpy(ip.a, rep->addr, rep->v6 ? 16 : 4);
	switch (rep->offence) {
	case SBC_FW_OFF_SIP_FLOOD:
		snprintf(reason, sizeof(reason), "SIP above %u datagrams/s on %s",
				r->cfg.flood.sip_rate, fw.cfg->ports[rep->ifidx % fw.cfg->n_ports].name);
		break;
	case SBC_FW_OFF_CALL_FLOOD:
		snprintf(reason, sizeof(reason), "new calls above %u/s on %s", r->cfg.flood.call_rate,
				fw.cfg->ports[rep->ifidx % fw.cfg->n_ports].name);
		break;
	default:
		snprintf(reason, sizeof(reason), "%u %s message%s within %u s on %s", need,
				sbc_fw_offence_name(rep->offence), need == 1 ? "" : "s",
				r->cfg.block.window_s, fw.cfg->ports[rep->ifidx % fw.cfg->n_ports].name);
		break;
	}
	if (block_add(&ip, rep->offence, seconds, "auto", reason) == 0)
		memset(o->n, 0, sizeof(o->n));
}

/* ---- alerts (state_lock held) ---------------------------------------------------------- */

/* The alerts of generation r with their acknowledgements. */
static void
alerts_fill(const struct dp_fw_rules *r, struct mgmt_fw_alert_state *out)
{
	struct sbc_fw_alert a[SBC_FW_SVC_MAX];
	unsigned int s;

	sbc_fw_alerts(&r->cfg, fw.cfg, a);
	for (s = 0; s < SBC_FW_SVC_MAX; s++) {
		out[s].alert = a[s];
		out[s].acked = fw.acked[s];
		out[s].acked_config = r->cfg.svc[s].alert_ack;
	}
}

/* Logs the alerts nobody acknowledged (at start and after a reload). */
static void
alerts_log(const struct dp_fw_rules *r)
{
	struct mgmt_fw_alert_state st[SBC_FW_SVC_MAX];
	unsigned int s;

	alerts_fill(r, st);
	for (s = 0; s < SBC_FW_SVC_MAX; s++)
		if (st[s].alert.raised && !st[s].acked && !st[s].acked_config)
			MGMT_LOG(WARNING, "firewall: security alert: %s (deny unknown sources, or "
					"acknowledge if an external firewall filters)", st[s].alert.text);
}

void
mgmt_fw_alerts(struct mgmt_fw_alert_state out[SBC_FW_SVC_MAX])
{
	pthread_mutex_lock(&fw.state_lock);
	if (fw.dp != NULL)
		alerts_fill(fw.dp->fw, out);
	else
		memset(out, 0, sizeof(*out) * SBC_FW_SVC_MAX);
	pthread_mutex_unlock(&fw.state_lock);
}

int
mgmt_fw_ack(unsigned int svc, bool ack, const char *by)
{
	if (svc >= SBC_FW_SVC_MAX)
		return -EINVAL;
	pthread_mutex_lock(&fw.state_lock);
	fw.acked[svc] = ack;
	if (fw.dp != NULL)
		record(ack ? "ack" : "unack", SBC_FW_OFF_MAX, NULL, 0, by, "security alert of %s",
				sbc_fw_svc_name(svc));
	pthread_mutex_unlock(&fw.state_lock);
	return 0;
}

/* ---- reload ------------------------------------------------------------------------------ */

/* Microseconds since t0 (monotonic). */
static uint64_t
us_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (uint64_t)(t1.tv_sec - t0->tv_sec) * 1000000u +
			(uint64_t)((t1.tv_nsec - t0->tv_nsec) / 1000);
}

int
mgmt_fw_reload(const char *by, struct mgmt_fw_reload_res *res)
{
	struct sbc_fw_cfg cfg;
	struct dp_fw_rules *r, *old;
	struct timespec t0;
	char why[256];

	memset(res, 0, sizeof(*res));
	pthread_mutex_lock(&fw.reload_lock);
	if (fw.dp == NULL) {
		pthread_mutex_unlock(&fw.reload_lock);
		snprintf(res->msg, sizeof(res->msg), "the firewall is not running");
		snprintf(res->err.problem, sizeof(res->err.problem), "%s", res->msg);
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* Validate the whole set and build it aside: the running set stays untouched. */
	if (sbc_fw_config_reload(fw.cfg->path, fw.cfg, &cfg, res->msg, sizeof(res->msg),
			    &res->err) < 0)
		goto refused;
	r = dp_fw_build(&cfg, fw.cfg, fw.dp->n_lcores, fw.gen + 1, why, sizeof(why));
	if (r == NULL) {
		snprintf(res->msg, sizeof(res->msg), "%s: firewall: %s", fw.cfg->path, why);
		snprintf(res->err.key, sizeof(res->err.key), "firewall");
		snprintf(res->err.problem, sizeof(res->err.problem), "%s", why);
		goto refused;
	}
	res->build_us = us_since(&t0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pthread_mutex_lock(&fw.state_lock);
	old = dp_fw_publish(fw.dp, r);
	fw.gen = r->gen;
	dp_fw_free(old);
	res->publish_us = us_since(&t0);
	res->ok = true;
	res->gen = r->gen;
	res->rules = sbc_fw_config_rules(&r->cfg);
	snprintf(res->method, sizeof(res->method), "%s", dp_fw_alg_name(r));
	record("reload", SBC_FW_OFF_MAX, NULL, 0, by,
			"generation %" PRIu64 ": %lu rules, %s, built in %" PRIu64 " us, in force "
			"%" PRIu64 " us later", res->gen, res->rules, res->method, res->build_us,
			res->publish_us);
	alerts_log(r);
	pthread_mutex_unlock(&fw.state_lock);
	pthread_mutex_unlock(&fw.reload_lock);
	return 0;
refused:
	pthread_mutex_lock(&fw.state_lock);
	record("reload", SBC_FW_OFF_MAX, NULL, 0, by, "refused, generation %" PRIu64 " stays: %s",
			fw.gen, res->msg);
	pthread_mutex_unlock(&fw.state_lock);
	pthread_mutex_unlock(&fw.reload_lock);
	res->gen = fw.gen;
	return -1;
}

/* ---- operator commands --------------------------------------------------------------- */

int
mgmt_fw_block(const struct sbc_ip *ip, unsigned int seconds, const char *reason, const char *by,
		char *err, size_t errlen)
{
	int rc = -1;

	pthread_mutex_lock(&fw.state_lock);
	if (fw.dp == NULL)
		snprintf(err, errlen, "the firewall is not running");
	else if ((rc = block_add(ip, SBC_FW_OFF_OPERATOR, seconds, by, reason)) == -EEXIST)
		snprintf(err, errlen, "already blocked (unblock it first to change the block)");
	else if (rc == -ENOSPC)
		snprintf(err, errlen, "the blocklist is full (%u sources: "
				"firewall.blocklist.max_entries)", fw.dp->blocks.max);
	else if (rc < 0)
		snprintf(err, errlen, "cannot block: %s", strerror(-rc));
	pthread_mutex_unlock(&fw.state_lock);
	return rc < 0 ? -1 : 0;
}

int
mgmt_fw_unblock(const struct sbc_ip *ip, const char *by, char *err, size_t errlen)
{
	struct dp_src_key k;
	int pos = -ENOENT;

	dp_src_key_of_ip(&k, ip);
	pthread_mutex_lock(&fw.state_lock);
	if (fw.dp != NULL)
		pos = dp_blocks_find(&fw.dp->blocks, &k);
	if (pos >= 0 && (uint32_t)pos < fw.n_slots && fw.blocks[pos].used) {
		block_del(pos, "unblock", by, "unblocked");
		dp_blocks_reclaim(&fw.dp->blocks, fw.dp->qsbr);
	} else {
		snprintf(err, errlen, fw.dp ? "not blocked" : "the firewall is not running");
		pos = -1;
	}
	pthread_mutex_unlock(&fw.state_lock);
	return pos < 0 ? -1 : 0;
}

unsigned int
mgmt_fw_blocks(unsigned int from, struct mgmt_fw_block_info *out, unsigned int n,
		unsigned int *total)
{
	unsigned int i, got = 0;

	pthread_mutex_lock(&fw.state_lock);
	for (i = from; i < fw.n_used && got < n; i++) {
		uint32_t slot = fw.used[i];

		out[got] = fw.blocks[slot].info;
		out[got].hits = __atomic_load_n(&fw.dp->blocks.hits[slot], __ATOMIC_RELAXED);
		got++;
	}
	*total = fw.n_used;
	pthread_mutex_unlock(&fw.state_lock);
	return got;
}

unsigned int
mgmt_fw_records(unsigned int from, struct mgmt_fw_record *out, unsigned int n,
		unsigned int *total)
{
	unsigned int i, got = 0;

	pthread_mutex_lock(&fw.state_lock);
	*total = fw.rec_count;
	for (i = from; i < fw.rec_count && got < n; i++)
		out[got++] = fw.rec[(fw.rec_next + RECORDS - 1 - i) % RECORDS];
	pthread_mutex_unlock(&fw.state_lock);
	return got;
}

void
mgmt_fw_with_rules(void (*fn)(const struct dp_fw_rules *r, void *arg), void *arg)
{
	pthread_mutex_lock(&fw.state_lock);
	if (fw.dp != NULL)
		fn(fw.dp->fw, arg);
	pthread_mutex_unlock(&fw.state_lock);
}

void
mgmt_fw_counters(uint64_t offences[SBC_FW_OFF_MAX], uint64_t *refused)
{
	pthread_mutex_lock(&fw.state_lock);
	memcpy(offences, fw.offences, sizeof(fw.offences));
	*refused = fw.refused;
	pthread_mutex_unlock(&fw.state_lock);
}

/* ---- the control thread -------------------------------------------------------------- */

void
mgmt_fw_sighup(void)
{
	__atomic_store_n(&fw.sighup, 1, __ATOMIC_RELAXED);
}

/* The reloader: a SIGHUP's reload, built aside while the control thread goes on. */
static void *
reloader_start(void *arg)
{
	struct timespec tick = { .tv_sec = 0, .tv_nsec = 10 * 1000 * 1000 };

	(void)arg;
	while (!__atomic_load_n(&fw.stop, __ATOMIC_RELAXED)) {
		if (__atomic_exchange_n(&fw.sighup, 0, __ATOMIC_RELAXED)) {
			struct mgmt_fw_reload_res res;

			if (mgmt_fw_reload("SIGHUP", &res) < 0)
				MGMT_LOG(ERR, "firewall reload refused, the running rules stay: %s",
						res.msg);
		}
		nanosleep(&tick, NULL);
	}
	return NULL;
}

/* The control thread: offence reports every millisecond, expiry every 100 ms. */
static void *
fw_thread_start(void *arg)
{
	struct timespec tick = { .tv_sec = 0, .tv_nsec = 1000 * 1000 };
	struct sbc_fw_report rep[REPORT_BURST];
	uint64_t next_expiry = 0;

	(void)arg;
	while (!__atomic_load_n(&fw.stop, __ATOMIC_RELAXED)) {
		uint64_t now = mono_ms();
		unsigned int n, i;

		pthread_mutex_lock(&fw.state_lock);
		do {
			n = dp_blocks_reports(&fw.dp->blocks, rep, REPORT_BURST);
			for (i = 0; i < n; i++)
				offence(&rep[i], now);
		} while (n == REPORT_BURST);
		if (now >= next_expiry) {
			expire(now);
			next_expiry = now + EXPIRE_MS;
		}
		pthread_mutex_unlock(&fw.state_lock);
		nanosleep(&tick, NULL);
	}
	return NULL;
}

int
mgmt_fw_start(struct dp *dp, const struct sbc_config *cfg)
{
	size_t osize = dp_srctab_mem_size(OFFENDERS, sizeof(struct offender));
	void *omem;
	int rc;

	pthread_mutex_lock(&fw.state_lock);
	fw.n_slots = dp->blocks.max + dp->blocks.max / 4 + 1;
	fw.blocks = calloc(fw.n_slots, sizeof(*fw.blocks));
	fw.used = calloc(fw.n_slots, sizeof(*fw.used));
	fw.n_used = 0;
	fw.rec = calloc(RECORDS, sizeof(*fw.rec));
	omem = calloc(1, osize);
	if (fw.blocks == NULL || fw.used == NULL || fw.rec == NULL || omem == NULL) {
		free(fw.blocks);
		free(fw.used);
		free(fw.rec);
		free(omem);
		fw.blocks = NULL;
		fw.used = NULL;
		fw.rec = NULL;
		pthread_mutex_unlock(&fw.state_lock);
		return -ENOMEM;
	}
	dp_srctab_init(&fw.offenders, omem, OFFENDERS, sizeof(struct offender));
	fw.dp = dp;
	fw.cfg = cfg;
	fw.gen = dp->fw->gen;
	fw.rec_next = fw.rec_count = 0;
	fw.stop = 0; /* a SIGHUP that came during start-up is kept */
	memset(fw.acked, 0, sizeof(fw.acked));
	memset(fw.offences, 0, sizeof(fw.offences));
	fw.refused = 0;
	alerts_log(dp->fw);
	pthread_mutex_unlock(&fw.state_lock);
	rc = rte_ctrl_thread_create(&fw.thread, "sbc-fw", NULL, fw_thread_start, NULL);
	if (rc != 0) {
		mgmt_fw_stop();
		return rc;
	}
	fw.running = true;
	rc = rte_ctrl_thread_create(&fw.reloader, "sbc-fw-reload", NULL, reloader_start, NULL);
	if (rc != 0) {
		mgmt_fw_stop();
		return rc;
	}
	fw.reloader_running = true;
	return 0;
}

void
mgmt_fw_stop(void)
{
	__atomic_store_n(&fw.stop, 1, __ATOMIC_RELAXED);
	if (fw.running) {
		pthread_join(fw.thread, NULL);
		fw.running = false;
	}
	if (fw.reloader_running) {
		pthread_join(fw.reloader, NULL);
		fw.reloader_running = false;
	}
	pthread_mutex_lock(&fw.reload_lock);
	pthread_mutex_lock(&fw.state_lock);
	free(fw.blocks);
	free(fw.used);
	free(fw.rec);
	free(fw.offenders.mem);
	fw.blocks = NULL;
	fw.used = NULL;
	fw.n_used = 0;
	fw.rec = NULL;
	fw.offenders.mem = NULL;
	fw.n_slots = 0;
	fw.rec_count = 0;
	fw.dp = NULL;
	fw.cfg = NULL;
	pthread_mutex_unlock(&fw.state_lock);
	pthread_mutex_unlock(&fw.reload_lock);
}
