/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * call_bench.c - CPU cost of a complete call on a signalling lcore, without the kernel.
 *
 *   call_bench EAL-ARGUMENTS -- [--calls N] [--rate N] [--inflight N] [--runs N]
 *   (EAL: --lcores '(0-2)@0' --in-memory: everything runs on one CPU)
 *
 * sbcd's signalling code (sig_lcore: message layer, transactions, B2BUA, topology
 * hiding, relay ports and flow rules) handles calls between a caller and a callee that
 * this program plays, the way SIPp's built-in uac and uas scenarios do: INVITE with
 * SDP, 100, 180, 200 with SDP, ACK, BYE, 200. The ports are net_ring ports, as in the
 * other benchmarks: the SBC's datagrams land in the rings' TX rings, and the callee's
 * and caller's answers are whole Ethernet frames, handed to the signalling lcore as the
 * dataplane queues them (struct sbc_sip_dgram, with the first-line check's Call-ID
 * and branch; that check is the dataplane's work and is not timed). One thread does
 * both sides in turn, and only the SBC's side is timed: handling each datagram,
 * transmitting what it causes (the mbuf into the TX ring instead of a syscall), the
 * timer wheel, flow rule reclamation and the quiescent state: sig_lcore_turn, the body
 * of sig_lcore_main's loop, without polling an empty ring.
 *
 * --ids colliding: the caller's Call-IDs, From tags and Via branches are chosen so that
 * they all have the same 32-bit FNV-1a hash, the unkeyed hash the call and transaction
 * tables used before they were keyed (SipHash, sbc_hash.h): an attacker's hash flood.
 * With the keyed tables the cost per call must not move; with FNV every lookup walked
 * every call and lingering transaction.
 *
 * Time is virtual for the SBC's timers: calls start at --rate per second of the SBC's
 * clock (sl->now_ms), so transactions linger and expire (RFC 6026's 64*T1 after a 2xx,
 * Timer J, Timer K) as at that rate; after the last call the clock moves 64*T1 further
 * so every timer has fired, and that work is counted too. --inflight calls are in
 * progress at once, so the SBC's working set is that of a loaded lcore, not one call.
 *
 * Reports CPU microseconds and cycles per call and per message handled, and the calls
 * per second one core would sustain at that cost. Checks that every call completed and
 * that calls, transactions and flows are back at zero.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>
#include <rte_udp.h>

#include "b2b.h"
#include "bench_ring.h"
#include "sip_peek.h"
#include "dp.h"
#include "dp_proto.h"
#include "sbc_config.h"
#include "sbc_run.h"
#include "sig_lcore.h"
#include "sip_msg.h"
#include "sip_reply.h"

#define RING_SIZE 65536
#define N_TXQ 3 /* dataplane, control, signalling (dp.c) */
#define SIG_TXQ 2
#define BURST 32
#define MAX_RUNS 99
#define SIP_PORT 5060

static const char config_json[] =
	"{ \"lcores\": { \"dataplane\": [1], \"signalling\": [2] },"
	"  \"ports\": ["
	"    { \"name\": \"access\", \"devargs\": \"net_ring_access\","
	"      \"ipv4\": [\"192.0.2.1/24\"], \"sip_udp_port\": 5060 },"
	"    { \"name\": \"core\", \"devargs\": \"net_ring_core\","
	"      \"ipv4\": [\"198.51.100.1/24\"], \"sip_udp_port\": 5060 } ],"
	"  \"neighbours\": { \"reachable_s\": 86400, \"stale_s\": 86400 },"
	"  \"sip\": { \"max_calls\": 65536, \"max_transactions\": 524288 },"
	"  \"media\": { \"port_min\": 20000, \"port_max\": 59999 },"
	"  \"routes\": ["
	"    { \"from\": \"access\", \"to\": \"198.51.100.10:5060\", \"via\": \"core\" },"
	"    { \"from\": \"core\", \"to\": \"192.0.2.10:5060\", \"via\": \"access\" } ],"
	"  \"run_dir\": \"/tmp\", \"data_dir\": \"/tmp\", \"log_level\": \"warning\" }";

/* The caller (side 0, on "access") and the callee (side 1, on "core"). */
static const uint8_t host_ip[2][4] = { { 192, 0, 2, 10 }, { 198, 51, 100, 10 } };
static const uint8_t sbc_ip[2][4] = { { 192, 0, 2, 1 }, { 198, 51, 100, 1 } };
static const uint8_t host_mac[2][6] = { { 0x02, 0, 0, 0, 0, 0x10 }, { 0x02, 0, 0, 0, 0, 0x20 } };

enum call_state { C_IDLE, C_INVITED, C_BYE_SENT, C_DONE, C_FAILED };

struct bench {
	struct dp *dp;
	struct sig_lcore *sl;
	struct rte_ring *rx[2];
	struct rte_ring *tx[2][N_TXQ];
	struct rte_mempool *mp;
	struct rte_ether_addr sbc_mac[2];
	struct sip_msg *msg;      /* the generator's own parse of what the SBC sent */
	uint8_t *state;           /* per call of the run */
	unsigned int calls, inflight;
	double rate;
	/* per run */
	unsigned int started, done, failed, active;
	double vclock_ms;         /* the SBC's clock */
	uint64_t sbc_cycles;      /* timed: everything the signalling lcore did */
	uint64_t msgs_in;         /* datagrams the SBC handled */
	uint64_t msgs_out;        /* datagrams it sent */
	struct sbc_sip_dgram pending[4096]; /* datagrams for the SBC, handled next */
	unsigned int n_pending;
	bool colliding;           /* --ids colliding */
	char text[4096];
	char sdp[512];
};

struct result {
	double us_per_call;
	double cycles_per_call;
	double cycles_per_msg;
	unsigned int failed;
};

/* The SBC's loop body on what is pending (sig_lcore_turn): all of it timed. */
static void
sbc_turn(struct bench *b)
{
	uint64_t t0 = rte_rdtsc();

	sig_lcore_turn(b->sl, b->pending, b->n_pending, (uint64_t)b->vclock_ms);
	b->sbc_cycles += rte_rdtsc() - t0;
	b->msgs_in += b->n_pending;
	b->n_pending = 0;
}

/*
 * Identifiers whose 32-bit FNV-1a hashes are all equal. FNV-1a is a state machine: two
 * blocks that take one state to the same next state can be swapped wherever they stand.
 * A birthday search finds such a pair of 4-character blocks for each position (about
 * 2^16 tries each), and a string made of one block of each pair per position has one of
 * 2^COLL_PAIRS spellings, all with the same hash.
 */
#define COLL_PAIRS 16
#define COLL_BLOCK 4

struct collider {
	char block[COLL_PAIRS][2][COLL_BLOCK];
};

static uint32_t
fnv1a_step(uint32_t h, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (uint8_t)p[i];
		h *= 16777619u;
	}
	return h;
}

/* Block number k (of 64^4) in a URL-safe alphabet. */
static void
coll_block(uint32_t k, char *out)
{
	static const char abc[64] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	int i;

	for (i = 0; i < COLL_BLOCK; i++, k >>= 6)
		out[i] = abc[k & 63];
}

/* Two different blocks that take state h to the same state; returns it. */
static uint32_t
coll_pair(uint32_t h, char *a, char *b)
{
	enum { BITS = 20 };
	uint32_t *seen = calloc(1u << BITS, sizeof(*seen)), k;
	uint32_t *who = calloc(1u << BITS, sizeof(*who));
	char blk[COLL_BLOCK];

	for (k = 1; seen != NULL && who != NULL && k < (1u << 24); k++) {
		uint32_t v, slot;

		coll_block(k, blk);
		v = fnv1a_step(h, blk, COLL_BLOCK);
		slot = v >> (32 - BITS);
		if (seen[slot] == v && who[slot] != 0) {
			coll_block(who[slot], a);
			memcpy(b, blk, COLL_BLOCK);
			free(seen);
			free(who);
			return v;
		}
		seen[slot] = v;
		who[slot] = k;
	}
	fprintf(stderr, "call_bench: no FNV-1a collision found\n");
	exit(1);
}

/* The pairs for strings that start with prefix. */
static void
coll_init(struct collider *c, const char *prefix)
{
	uint32_t h = fnv1a_step(2166136261u, prefix, strlen(prefix));
	unsigned int j;

	for (j = 0; j < COLL_PAIRS; j++)
		h = coll_pair(h, c->block[j][0], c->block[j][1]);
}

/* Spelling i of the colliding strings: the blocks chosen by i's bits, into out. */
static int
coll_make(const struct collider *c, unsigned int i, char *out)
{
	unsigned int j;

	for (j = 0; j < COLL_PAIRS; j++)
		memcpy(out + j * COLL_BLOCK, c->block[j][(i >> j) & 1], COLL_BLOCK);
	out[COLL_PAIRS * COLL_BLOCK] = '\0';
	return COLL_PAIRS * COLL_BLOCK;
}

static struct collider coll_id, coll_tag, coll_branch[3];

/* The caller's identifiers of call i: Call-ID, From tag, branch of request k (0-2). */
static const char *
uac_call_id(const struct bench *b, unsigned int i, char *buf)
{
	if (!b->colliding) {
		sprintf(buf, "%u-bench@192.0.2.10", i);
		return buf;
	}
	buf[0] = 'c';
	coll_make(&coll_id, i, buf + 1);
	return buf;
}

static const char *
uac_tag(const struct bench *b, unsigned int i, char *buf)
{
	if (!b->colliding) {
		sprintf(buf, "%u", i);
		return buf;
	}
	buf[0] = 't';
	coll_make(&coll_tag, i, buf + 1);
	return buf;
}

static const char *
uac_branch(const struct bench *b, unsigned int i, unsigned int k, char *buf)
{
	if (!b->colliding) {
		sprintf(buf, "z9hG4bK-%u-%u", i, k + 1);
		return buf;
	}
	memcpy(buf, "z9hG4bK", 7);
	coll_make(&coll_branch[k], i, buf + 7);
	return buf;
}

/* The call a Call-ID names, or -1. */
static long
call_of_id(const struct bench *b, struct sip_str c)
{
	char buf[96], *end;
	long i;

	if (c.len == 0 || c.len >= sizeof(buf))
		return -1;
	if (b->colliding) {
		unsigned int j, v = 0;

		/* Read the bits back from the blocks. */
		if (c.len != 1 + COLL_PAIRS * COLL_BLOCK || c.s[0] != 'c')
			return -1;
		for (j = 0; j < COLL_PAIRS; j++) {
			const char *blk = c.s + 1 + j * COLL_BLOCK;

			if (memcmp(blk, coll_id.block[j][1], COLL_BLOCK) == 0)
				v |= 1u << j;
			else if (memcmp(blk, coll_id.block[j][0], COLL_BLOCK) != 0)
				return -1;
		}
		return v < b->calls ? (long)v : -1;
	}
	memcpy(buf, c.s, c.len);
	buf[c.len] = '\0';
	i = strtol(buf, &end, 10);
	return end > buf && *end == '-' && i >= 0 && (unsigned long)i < b->calls ? i : -1;
}

/*
 * A frame from host side to the SBC on that side, UDP 5060 -> 5060, carrying text,
 * queued as the dataplane queues it (its first-line check's findings included).
 */
static int
queue_frame(struct bench *b, unsigned int side, const char *text, size_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(b->mp);
	struct sbc_sip_dgram *d;
	struct sip_peek pk;
	struct rte_ether_hdr *eth;
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *udp;
	size_t hl = sizeof(*eth) + sizeof(*ip) + sizeof(*udp);

	if (b->n_pending == RTE_DIM(b->pending))
		sbc_turn(b); /* the SBC takes what is waiting first */
	if (m == NULL || hl + len > rte_pktmbuf_tailroom(m)) {
		rte_pktmbuf_free(m);
		return -1;
	}
	eth = (struct rte_ether_hdr *)rte_pktmbuf_append(m, (uint16_t)(hl + len));
	if (eth == NULL) {
		rte_pktmbuf_free(m);
		return -1;
	}
	rte_ether_addr_copy((const struct rte_ether_addr *)host_mac[side], &eth->src_addr);
	eth->dst_addr = b->sbc_mac[side];
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ip = (struct rte_ipv4_hdr *)(eth + 1);
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = 0x45;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(sizeof(*ip) + sizeof(*udp) + len));
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	memcpy(&ip->src_addr, host_ip[side], 4);
	memcpy(&ip->dst_addr, sbc_ip[side], 4);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp = (struct rte_udp_hdr *)(ip + 1);
	udp->src_port = rte_cpu_to_be_16(SIP_PORT);
	udp->dst_port = rte_cpu_to_be_16(SIP_PORT);
	udp->dgram_len = rte_cpu_to_be_16((uint16_t)(sizeof(*udp) + len));
	udp->dgram_cksum = 0;
	memcpy(udp + 1, text, len);
	udp->dgram_cksum = rte_ipv4_udptcp_cksum(ip, udp);
	m->port = (uint16_t)side;
	sip_peek((const char *)(udp + 1), (uint32_t)len, NULL, &pk);
	d = &b->pending[b->n_pending++];
	memset(d, 0, sizeof(*d));
	d->mbuf = m;
	memcpy(d->src_ip, host_ip[side], 4);
	memcpy(d->dst_ip, sbc_ip[side], 4);
	d->src_port = SIP_PORT;
	d->dst_port = SIP_PORT;
	d->payload_off = (uint16_t)hl;
	d->payload_len = (uint16_t)len;
	d->call_id_off = pk.call_id_off;
	d->call_id_len = pk.call_id_len;
	d->branch_off = pk.branch_off;
	d->branch_len = pk.branch_len;
	d->ifidx = (uint8_t)side;
	d->kind = pk.kind;
	return 0;
}

static void
make_sdp(struct bench *b, unsigned int side, unsigned int call)
{
	const uint8_t *a = host_ip[side];

	snprintf(b->sdp, sizeof(b->sdp),
			"v=0\r\n"
			"o=user1 %u 1 IN IP4 %u.%u.%u.%u\r\n"
			"s=-\r\n"
			"c=IN IP4 %u.%u.%u.%u\r\n"
			"t=0 0\r\n"
			"m=audio %u RTP/AVP 0\r\n"
			"a=rtpmap:0 PCMU/8000\r\n",
			call, a[0], a[1], a[2], a[3], a[0], a[1], a[2], a[3],
			6000 + 2 * (call % 20000));
}

/* The caller starts call i (SIPp uac's INVITE). */
static void
uac_invite(struct bench *b, unsigned int i)
{
	char id[96], tag[96], br[96];
	int n;

	make_sdp(b, 0, i);
	n = snprintf(b->text, sizeof(b->text),
			"INVITE sip:service@192.0.2.1:5060 SIP/2.0\r\n"
			"Via: SIP/2.0/UDP 192.0.2.10:5060;branch=%s\r\n"
			"From: sipp <sip:sipp@192.0.2.10:5060>;tag=%s\r\n"
			"To: service <sip:service@192.0.2.1:5060>\r\n"
			"Call-ID: %s\r\n"
			"CSeq: 1 INVITE\r\n"
			"Contact: sip:sipp@192.0.2.10:5060\r\n"
			"Max-Forwards: 70\r\n"
			"Subject: Performance Test\r\n"
			"Content-Type: application/sdp\r\n"
			"Content-Length: %zu\r\n\r\n%s",
			uac_branch(b, i, 0, br), uac_tag(b, i, tag), uac_call_id(b, i, id),
			strlen(b->sdp), b->sdp);
	queue_frame(b, 0, b->text, (size_t)n);
	b->state[i] = C_INVITED;
}

static struct sip_str
hdr(const struct sip_msg *m, unsigned int id)
{
	int k = m->first[id];

	return k < 0 ? (struct sip_str){ NULL, 0 } : m->hdrs[k].value;
}

/* The call a message of ours belongs to, from its Call-ID, or -1. */
static long
call_of(const struct bench *b, const struct sip_msg *m)
{
	return call_of_id(b, hdr(m, SIP_H_CALL_ID));
}

/* The caller: a 200 to INVITE gets ACK then BYE; a 200 to BYE ends the call. */
static void
uac_response(struct bench *b, const struct sip_msg *m)
{
	struct sip_str cseq = hdr(m, SIP_H_CSEQ), to = hdr(m, SIP_H_TO), ct = hdr(m, SIP_H_CONTACT);
	long i = call_of(b, m);
	const char *lt, *gt;
	int n, k;

	if (i < 0 || m->status < 200)
		return;
	if (m->status >= 300) {
		if (b->state[i] != C_FAILED && b->state[i] != C_DONE) {
			b->state[i] = C_FAILED;
			b->failed++;
			b->active--;
		}
		return;
	}
	if (cseq.len >= 5 && memcmp(cseq.s + cseq.len - 3, "BYE", 3) == 0) {
		if (b->state[i] == C_BYE_SENT) {
			b->state[i] = C_DONE;
			b->done++;
			b->active--;
		}
		return;
	}
	if (b->state[i] != C_INVITED || ct.len == 0 || to.len == 0)
		return;
	/* The Contact's URI: between < and >, or the whole value up to parameters. */
	lt = memchr(ct.s, '<', ct.len);
	gt = lt ? memchr(lt, '>', ct.len - (uint32_t)(lt - ct.s)) : NULL;
	if (lt && gt) {
		ct.s = lt + 1;
		ct.len = (uint32_t)(gt - lt - 1);
	}
	for (k = 0; k < 2; k++) {
		char id[96], tag[96], br[96];

		n = snprintf(b->text, sizeof(b->text),
				"%s %.*s SIP/2.0\r\n"
				"Via: SIP/2.0/UDP 192.0.2.10:5060;branch=%s\r\n"
				"From: sipp <sip:sipp@192.0.2.10:5060>;tag=%s\r\n"
				"To: %.*s\r\n"
				"Call-ID: %s\r\n"
				"CSeq: %d %s\r\n"
				"Contact: sip:sipp@192.0.2.10:5060\r\n"
				"Max-Forwards: 70\r\n"
				"Content-Length: 0\r\n\r\n",
				k ? "BYE" : "ACK", (int)ct.len, ct.s,
				uac_branch(b, (unsigned int)i, (unsigned int)k + 1, br),
				uac_tag(b, (unsigned int)i, tag), (int)to.len, to.s,
				uac_call_id(b, (unsigned int)i, id), k + 1, k ? "BYE" : "ACK");
		queue_frame(b, 0, b->text, (size_t)n);
	}
	b->state[i] = C_BYE_SENT;
}

/* The callee: INVITE gets 180 and 200 with SDP, BYE (or anything else but ACK) 200. */
static void
uas_request(struct bench *b, struct sip_msg *m)
{
	char tag[24];
	struct sip_reply r = { .to_tag = { tag, 0 } };
	long i = call_of(b, m);
	int n;

	if (m->method == SIP_M_ACK)
		return;
	r.to_tag.len = (uint32_t)snprintf(tag, sizeof(tag), "uas%ld", i < 0 ? 0 : i);
	if (m->method == SIP_M_INVITE) {
		r.status = 180;
		r.reason = "Ringing";
		n = sip_make_response(m, &r, b->text, sizeof(b->text));
		if (n > 0)
			queue_frame(b, 1, b->text, (size_t)n);
		make_sdp(b, 1, (unsigned int)(i < 0 ? 0 : i));
		r.body = (struct sip_str){ b->sdp, (uint32_t)strlen(b->sdp) };
		r.content_type = "application/sdp";
		r.extra = "Contact: <sip:uas@198.51.100.10:5060>\r\n";
	}
	r.status = 200;
	r.reason = "OK";
	n = sip_make_response(m, &r, b->text, sizeof(b->text));
	if (n > 0)
		queue_frame(b, 1, b->text, (size_t)n);
}

/* Reads what the SBC sent on both ports and plays the caller and the callee. */
static unsigned int
peers_turn(struct bench *b)
{
	struct rte_mbuf *m[BURST];
	unsigned int side, n, i, got = 0;

	for (side = 0; side < 2; side++) {
		while ((n = rte_ring_sc_dequeue_burst(b->tx[side][SIG_TXQ], (void **)m, BURST,
				NULL)) > 0) {
			for (i = 0; i < n; i++) {
				const uint8_t *f = rte_pktmbuf_mtod(m[i], const uint8_t *);
				size_t hl = sizeof(struct rte_ether_hdr) + sizeof(struct rte_ipv4_hdr) +
						sizeof(struct rte_udp_hdr);
				uint32_t len = rte_pktmbuf_data_len(m[i]);

				got++;
				/* One segment, untagged IPv4 without options: what sig_send builds. */
				if (len > hl && m[i]->nb_segs == 1 &&
						sip_parse(b->msg, (const char *)f + hl, len - hl,
								SIP_FRAME_DATAGRAM, NULL) == 0) {
					if (side == 1 && b->msg->kind == SIP_KIND_REQUEST)
						uas_request(b, b->msg);
					else if (side == 0 && b->msg->kind == SIP_KIND_RESPONSE)
						uac_response(b, b->msg);
				}
			}
			rte_pktmbuf_free_bulk(m, n);
		}
	}
	b->msgs_out += got;
	return got;
}

static int
run(struct bench *b, struct result *r)
{
	const struct sbc_sig_stats *ss = &b->sl->st->sig;
	double step = 1000.0 / b->rate;
	unsigned int stall = 0, i;

	memset(b->state, C_IDLE, b->calls);
	b->started = b->done = b->failed = b->active = 0;
	b->sbc_cycles = b->msgs_in = b->msgs_out = 0;
	while (b->done + b->failed < b->calls) {
		while (b->active < b->inflight && b->started < b->calls) {
			uac_invite(b, b->started++);
			b->active++;
			b->vclock_ms += step;
		}
		sbc_turn(b);
		if (peers_turn(b) == 0 && b->n_pending == 0) {
			if (++stall > 1000)
				break; /* nothing moves: the rest failed */
			b->vclock_ms += 1; /* let retransmission timers speak */
		} else {
			stall = 0;
		}
	}
	/* Every call ended: the lingering transactions expire (64*T1 and Timer K). */
	for (i = 0; i < 70; i++) {
		b->vclock_ms += 500;
		sbc_turn(b);
		peers_turn(b);
	}
	r->failed = b->calls - b->done;
	r->cycles_per_call = (double)b->sbc_cycles / b->calls;
	r->us_per_call = r->cycles_per_call * 1e6 / (double)rte_get_tsc_hz();
	r->cycles_per_msg = (double)b->sbc_cycles / (double)(b->msgs_in + b->msgs_out);
	if (sbc_cnt_read(&ss->calls_active) != 0 || sbc_cnt_read(&ss->txns_active) != 0 ||
			sbc_cnt_read(&ss->flows_active) != 0) {
		fprintf(stderr, "call_bench: after the run: %" PRIu64 " calls, %" PRIu64
				" transactions, %" PRIu64 " flows still active\n",
				sbc_cnt_read(&ss->calls_active), sbc_cnt_read(&ss->txns_active),
				sbc_cnt_read(&ss->flows_active));
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "calls", required_argument, NULL, 'c' },
		{ "rate", required_argument, NULL, 'r' },
		{ "inflight", required_argument, NULL, 'i' },
		{ "runs", required_argument, NULL, 'n' },
		{ "ids", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const name[2] = { "access", "core" };
	struct result res[MAX_RUNS];
	struct bench b = { .calls = 20000, .inflight = 100, .rate = 2000 };
	struct sbc_config cfg;
	unsigned int runs = 5, p, k, bad = 0;
	char err[512];
	int opt, n;

	n = rte_eal_init(argc, argv);
	if (n < 0) {
		fprintf(stderr, "call_bench: EAL initialisation failed\n");
		return 1;
	}
	argc -= n;
	argv += n;
	while ((opt = getopt_long(argc, argv, "c:r:i:n:d:", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			b.calls = (unsigned int)strtoul(optarg, NULL, 10);
			break;
		case 'r':
			b.rate = atof(optarg);
			break;
		case 'i':
			b.inflight = (unsigned int)strtoul(optarg, NULL, 10);
			break;
		case 'n':
			runs = (unsigned int)strtoul(optarg, NULL, 10);
			break;
		case 'd':
			if (strcmp(optarg, "colliding") != 0 && strcmp(optarg, "plain") != 0) {
				fprintf(stderr, "call_bench: --ids plain|colliding\n");
				return 2;
			}
			b.colliding = strcmp(optarg, "colliding") == 0;
			break;
		default:
			return 2;
		}
	}
	if (b.calls == 0 || b.calls > 10000000 || b.rate < 1 || b.rate > 20000 ||
			b.inflight == 0 || b.inflight > 10000 || runs == 0 || runs > MAX_RUNS) {
		fprintf(stderr, "call_bench: --calls 1-10000000, --rate 1-20000, --inflight "
				"1-10000, --runs 1-%u\n", MAX_RUNS);
		return 2;
	}
	if (b.colliding) {
		if (b.calls > 1u << COLL_PAIRS) {
			fprintf(stderr, "call_bench: --ids colliding: at most %u calls\n",
					1u << COLL_PAIRS);
			return 2;
		}
		coll_init(&coll_id, "c");
		coll_init(&coll_tag, "t");
		for (k = 0; k < 3; k++)
			coll_init(&coll_branch[k], "z9hG4bK");
	}
	for (p = 0; p < 2; p++)
		if (bench_ring_port("cb", p, name[p], RING_SIZE, &b.rx[p], b.tx[p], N_TXQ) < 0) {
			fprintf(stderr, "call_bench: cannot create the ring port %s\n", name[p]);
			return 1;
		}
	if (sbc_config_parse(config_json, "(call_bench)", &cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "call_bench: %s\n", err);
		return 1;
	}
	b.dp = calloc(1, sizeof(*b.dp));
	b.sl = calloc(1, sizeof(*b.sl));
	b.msg = malloc(sizeof(*b.msg));
	b.state = malloc(b.calls);
	b.mp = rte_pktmbuf_pool_create("cb_gen", 8192, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
			(int)rte_socket_id());
	if (b.dp == NULL || b.sl == NULL || b.msg == NULL || b.state == NULL || b.mp == NULL) {
		fprintf(stderr, "call_bench: out of memory\n");
		return 1;
	}
	if (dp_init(b.dp, &cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "call_bench: %s\n", err);
		return 1;
	}
	if (sig_lcore_init(b.sl, b.dp, &cfg, 0, cfg.sig_lcores[0]) < 0) {
		fprintf(stderr, "call_bench: cannot set up the signalling lcore\n");
		return 1;
	}
	/* The peers' MAC addresses, as the neighbour table would have learnt them. */
	for (p = 0; p < 2; p++) {
		struct rte_ether_addr hm;

		b.sbc_mac[p] = b.dp->ifaces[p].mac;
		memcpy(hm.addr_bytes, host_mac[p], 6);
		dp_neigh_learn(b.dp, (uint16_t)p, 0, host_ip[p], &hm,
				DP_LEARN_UPDATE | DP_LEARN_CREATE | DP_LEARN_CONFIRM | DP_LEARN_OVERRIDE);
	}
	rte_rcu_qsbr_thread_register(b.dp->qsbr, b.sl->lcore_id);
	rte_rcu_qsbr_thread_online(b.dp->qsbr, b.sl->lcore_id);
	b.vclock_ms = (double)(rte_rdtsc() / (rte_get_tsc_hz() / 1000));

	printf("# call_bench: sbcd's signalling lcore code, one CPU, net_ring ports, no kernel; "
	       "SIPp uac/uas call flow (INVITE+SDP, 100, 180, 200+SDP, ACK, BYE, 200), B2BUA "
	       "with relay ports and 4 flow rules per call; %u calls per run, %u in progress, "
	       "SBC clock at %.0f calls/s; %u runs; TSC %.2f GHz; %s identifiers\n",
			b.calls, b.inflight, b.rate, runs, (double)rte_get_tsc_hz() / 1e9,
			b.colliding ? "FNV-1a-colliding" : "plain");
	for (k = 0; k < runs; k++) {
		if (run(&b, &res[k]) < 0)
			bad++;
		if (res[k].failed != 0)
			bad++;
	}
	BENCH_SORT_BEST_FIRST(res, runs, cycles_per_call);
	/* Best = fewest cycles: the last after sorting by the largest first. */
	printf("| CPU µs/call (median) | cycles/call (median) | cycles/message (median) | "
	       "calls/s per core (median) | CPU µs/call (best) | calls/s per core (best) | "
	       "failed calls |\n");
	printf("|---:|---:|---:|---:|---:|---:|---:|\n");
	{
		const struct result *med = &res[runs / 2], *best = &res[runs - 1];
		unsigned int failed = 0;

		for (k = 0; k < runs; k++)
			failed += res[k].failed;
		printf("| %.2f | %.0f | %.0f | %.0f | %.2f | %.0f | %u |\n", med->us_per_call,
				med->cycles_per_call, med->cycles_per_msg, 1e6 / med->us_per_call,
				best->us_per_call, 1e6 / best->us_per_call, failed);
	}
	rte_rcu_qsbr_thread_offline(b.dp->qsbr, b.sl->lcore_id);
	rte_rcu_qsbr_thread_unregister(b.dp->qsbr, b.sl->lcore_id);
	sig_lcore_fini(b.sl);
	dp_fini(b.dp);
	sbc_config_free(&cfg);
	sbc_stats_release_all();
	rte_mempool_free(b.mp);
	free(b.state);
	free(b.msg);
	free(b.sl);
	free(b.dp);
	rte_eal_cleanup();
	return bad ? 1 : 0;
}
