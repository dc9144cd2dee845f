/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sip_bench.c - SIP parsing rate of one core: sbc's message layer, lazy and full, side
 * by side with libosip2 (Debian's libosip2) on the same message in the same run.
 *
 *   sip_bench [--seconds N] [--runs N] [--count N --only K] [FILE]
 *
 * The message is a typical carrier INVITE with SDP (about 1 KB; FILE replaces it).
 *   sbc lazy   sip_parse (start line, header index, framing) + Call-ID, CSeq, top Via:
 *              what a signalling lcore needs to find the transaction and the call
 *   sbc full   sip_parse + every header to its typed form (all Vias, From, To, Call-ID,
 *              CSeq, Max-Forwards, Contact, Record-Route, P-Asserted-Identity,
 *              Content-Type, Allow, Supported, Session-Expires, Min-SE) + sdp_parse
 *   sbc full + validation
 *              the same + sip_validate: the accept/reject verdict, which parses every
 *              URI (Request-URI, From, To, Contact, Record-Route) to its parts
 *   sbc forward
 *              lazy parse + SDP parse and rewrite + sip_rebuild with a new Via and
 *              Contact and Record-Route removed: what the B2BUA does to each INVITE
 *   osip       osip_message_init + osip_message_parse + osip_message_free
 *   osip+sdp   the same + sdp_message_parse of the body (the comparable "full")
 * Each runs for --seconds, --runs times; the table gives messages per second per core
 * and nanoseconds and TSC cycles per message, median and best run.
 * --count N --only K parses the message N times with parser K (0-5) and stops: for
 * counting instructions under valgrind --tool=callgrind, which a shared machine cannot
 * disturb (tools/bench-sip --instructions does it for every parser).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <x86intrin.h>

#include "sdp.h"
#include "sip_build.h"
#include "sip_check.h"
#include "sip_hdr.h"
#include "sip_msg.h"

/* Header part; Content-Length and the body are appended at start. */
static const char invite_hdrs[] =
	"INVITE sip:+14155550123@198.51.100.10:5060;user=phone SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-524287-1---a6f3c1d2e4b5f607;rport\r\n"
	"Via: SIP/2.0/UDP 203.0.113.7:5060;received=203.0.113.7;branch=z9hG4bK.1f2e3d4c5b\r\n"
	"Max-Forwards: 69\r\n"
	"Record-Route: <sip:192.0.2.10;lr;ftag=as5c2a1f3b>\r\n"
	"From: \"Acme Support\" <sip:+12125550199@192.0.2.10;user=phone>;tag=as5c2a1f3b\r\n"
	"To: <sip:+14155550123@198.51.100.10;user=phone>\r\n"
	"Call-ID: 3c26700b5a1f4e0b9c5a2f3e1d7c9b8a@192.0.2.10\r\n"
	"CSeq: 102 INVITE\r\n"
	"Contact: <sip:+12125550199@192.0.2.10:5060;transport=udp>\r\n"
	"P-Asserted-Identity: \"Acme Support\" <sip:+12125550199@192.0.2.10;user=phone>\r\n"
	"Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, INFO, PRACK, UPDATE\r\n"
	"Supported: replaces, timer, 100rel\r\n"
	"Session-Expires: 1800;refresher=uac\r\n"
	"Min-SE: 90\r\n"
	"User-Agent: AcmeGateway/5.2.1\r\n"
	"Content-Type: application/sdp\r\n";

static const char invite_sdp[] =
	"v=0\r\n"
	"o=AcmeGW 1732612800 1732612800 IN IP4 192.0.2.10\r\n"
	"s=AcmeGW\r\n"
	"c=IN IP4 192.0.2.10\r\n"
	"t=0 0\r\n"
	"m=audio 30000 RTP/AVP 0 8 18 101\r\n"
	"a=rtpmap:0 PCMU/8000\r\n"
	"a=rtpmap:8 PCMA/8000\r\n"
	"a=rtpmap:18 G729/8000\r\n"
	"a=fmtp:18 annexb=no\r\n"
	"a=rtpmap:101 telephone-event/8000\r\n"
	"a=fmtp:101 0-16\r\n"
	"a=ptime:20\r\n"
	"a=maxptime:150\r\n"
	"a=sendrecv\r\n"
	"a=rtcp:30001\r\n";

static char msg_buf[65536];
static const char *msg = msg_buf;
static size_t msg_len;
static struct sip_msg m;
static struct sdp sd;
static volatile uint64_t sink;

static int
sbc_lazy(void)
{
	struct sip_str id;
	struct sip_cseq cs;
	struct sip_via v;

	if (sip_parse(&m, msg, msg_len, SIP_FRAME_DATAGRAM, NULL) < 0 || sip_call_id(&m, &id) < 0 ||
			sip_cseq(&m, &cs) < 0 || sip_via_top(&m, &v) < 0)
		return -1;
	sink += id.len + cs.num + v.branch.len;
	return 0;
}

/* Every header to its typed form, and the SDP body. */
static int
full_headers(void)
{
	struct sip_content_type ct;
	struct sip_session_expires se;
	struct sip_iter it;
	struct sip_addr a;
	struct sip_via v;
	struct sip_cseq cs;
	struct sip_str t;
	int n = 0;

	if (sip_call_id(&m, &t) < 0 || sip_cseq(&m, &cs) < 0 || sip_from(&m, &a) < 0 ||
			sip_to(&m, &a) < 0 || sip_max_forwards(&m) < 0 ||
			sip_content_type(&m, &ct) < 0 || sip_session_expires(&m, &se) < 0 ||
			sip_delta_seconds(&m, SIP_H_MIN_SE) < 0)
		return -1;
	sip_iter_init(&it, &m, SIP_H_VIA);
	while (sip_via_next(&it, &v) == 1)
		n++;
	sip_iter_init(&it, &m, SIP_H_CONTACT);
	while (sip_addr_next(&it, &a) == 1)
		n++;
	sip_iter_init(&it, &m, SIP_H_RECORD_ROUTE);
	while (sip_addr_next(&it, &a) == 1)
		n++;
	sip_iter_init(&it, &m, SIP_H_P_ASSERTED_IDENTITY);
	while (sip_addr_next(&it, &a) == 1)
		n++;
	sip_iter_init(&it, &m, SIP_H_ALLOW);
	while (sip_token_next(&it, &t) == 1)
		n++;
	sip_iter_init(&it, &m, SIP_H_SUPPORTED);
	while (sip_token_next(&it, &t) == 1)
		n++;
	if (sdp_parse(m.body.s, m.body.len, &sd) < 0)
		return -1;
	sink += (uint64_t)n + cs.num + se.delta + sd.n_media;
	return 0;
}

static int
sbc_full(void)
{
	if (sip_parse(&m, msg, msg_len, SIP_FRAME_DATAGRAM, NULL) < 0)
		return -1;
	return full_headers();
}

/* The same, plus the verdict: every URI (Request-URI, From, To, Contact, ...) parsed. */
static int
sbc_full_validate(void)
{
	struct sip_error err;

	if (sip_parse(&m, msg, msg_len, SIP_FRAME_DATAGRAM, NULL) < 0 || sip_validate(&m, &err) < 0)
		return -1;
	return full_headers();
}

/*
 * What the B2BUA does to every INVITE it forwards: lazy parse, SDP parse, then a new
 * message with a new top Via and Contact, Record-Route removed and the SDP rewritten
 * for the relay (origin, connection, port, RTCP).
 */
static int
sbc_rebuild(void)
{
	static char sdp_out[2048], out[4096];
	static const char via[] = "SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bK-sbc-0001";
	static const char contact[] = "<sip:sbc@198.51.100.1:5060>";
	struct sdp_rewrite rw = { .origin_addr = "198.51.100.1", .conn_addr = "198.51.100.1",
		.n_media = 1 };
	const struct sip_edit edits[] = {
		{ SIP_EDIT_INSERT_FIRST, SIP_H_VIA, SIP_STR_NULL, { via, sizeof(via) - 1 } },
		{ SIP_EDIT_REPLACE, SIP_H_CONTACT, SIP_STR_NULL, { contact, sizeof(contact) - 1 } },
		{ SIP_EDIT_REMOVE, SIP_H_RECORD_ROUTE, SIP_STR_NULL, SIP_STR_NULL },
	};
	struct sip_rebuild rb = { .edits = edits, .n_edits = 3, .set_body = true };
	int n;

	if (sbc_lazy() < 0 || sdp_parse(m.body.s, m.body.len, &sd) < 0)
		return -1;
	rw.media[0] = (struct sdp_rewrite_media){ .set_port = true, .port = 20000,
		.set_rtcp = true, .rtcp_port = 20001 };
	n = sdp_rewrite(m.body.s, m.body.len, &sd, &rw, sdp_out, sizeof(sdp_out));
	if (n < 0)
		return -1;
	rb.body = (struct sip_str){ sdp_out, (uint32_t)n };
	n = sip_rebuild(&m, &rb, out, sizeof(out));
	sink += (uint64_t)n;
	return n < 0 ? -1 : 0;
}

/* libosip2 lives in bench_osip.c: its sdp_message.h and our sdp.h share struct names. */
int bench_osip_init(void);
int bench_osip(const char *buf, size_t len, int with_sdp);

static int
osip(void)
{
	return bench_osip(msg, msg_len, 0);
}

static int
osip_sdp(void)
{
	return bench_osip(msg, msg_len, 1);
}

struct result {
	double per_sec, ns, cycles;
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct result
measure(int (*fn)(void), double seconds)
{
	struct result r;
	uint64_t n = 0, c0;
	double t0 = now(), t1;
	unsigned int i;

	c0 = __rdtsc();
	do {
		for (i = 0; i < 1000; i++)
			if (fn() < 0) {
				fprintf(stderr, "sip_bench: the parser refused the message\n");
				exit(1);
			}
		n += 1000;
		t1 = now();
	} while (t1 - t0 < seconds);
	r.per_sec = (double)n / (t1 - t0);
	r.ns = (t1 - t0) * 1e9 / (double)n;
	r.cycles = (double)(__rdtsc() - c0) / (double)n;
	return r;
}

static int
by_rate(const void *a, const void *b)
{
	double x = ((const struct result *)a)->per_sec, y = ((const struct result *)b)->per_sec;

	return x < y ? 1 : x > y ? -1 : 0;
}

int
main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(void);
	} cases[] = {
		{ "sbc lazy (index + Call-ID, CSeq, top Via)", sbc_lazy },
		{ "sbc full (every header typed + SDP)", sbc_full },
		{ "sbc full + validation (every URI parsed, verdict)", sbc_full_validate },
		{ "sbc forward: lazy parse + SDP rewrite + rebuild (B2BUA work)", sbc_rebuild },
		{ "libosip2 osip_message_parse", osip },
		{ "libosip2 osip_message_parse + sdp_message_parse", osip_sdp },
	};
	static const struct option opts[] = {
		{ "seconds", required_argument, NULL, 's' },
		{ "runs", required_argument, NULL, 'r' },
		{ "count", required_argument, NULL, 'c' },
		{ "only", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	double seconds = 2;
	unsigned int runs = 5, i, k, count = 0, only = 0;
	int opt;

	while ((opt = getopt_long(argc, argv, "s:r:c:o:", opts, NULL)) != -1) {
		if (opt == 's')
			seconds = atof(optarg);
		else if (opt == 'r')
			runs = (unsigned int)atoi(optarg);
		else if (opt == 'c')
			count = (unsigned int)atoi(optarg);
		else if (opt == 'o')
			only = (unsigned int)atoi(optarg);
		else
			return 2;
	}
	if (runs == 0 || runs > 99 || seconds <= 0)
		return 2;
	if (optind < argc) {
		FILE *f = fopen(argv[optind], "rb");

		if (f == NULL) {
			perror(argv[optind]);
			return 2;
		}
		msg_len = fread(msg_buf, 1, sizeof(msg_buf), f);
		fclose(f);
	} else {
		msg_len = (size_t)snprintf(msg_buf, sizeof(msg_buf), "%sContent-Length: %zu\r\n\r\n%s",
				invite_hdrs, sizeof(invite_sdp) - 1, invite_sdp);
	}
	bench_osip_init();
	if (count > 0) {
		if (only >= sizeof(cases) / sizeof(cases[0]))
			return 2;
		for (i = 0; i < count; i++)
			if (cases[only].fn() < 0)
				return 1;
		printf("%s: %u messages\n", cases[only].name, count);
		return 0;
	}
	printf("# sip_bench: %zu-octet message, %u runs of %.0f s per parser, one core\n", msg_len,
			runs, seconds);
	printf("| parser | msgs/s (median) | ns/msg (median) | cycles/msg (median) | "
	       "msgs/s (best) | cycles/msg (best) |\n|---|---:|---:|---:|---:|---:|\n");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct result r[99];

		for (k = 0; k < runs; k++)
			r[k] = measure(cases[i].fn, seconds);
		qsort(r, runs, sizeof(r[0]), by_rate);
		printf("| %s | %.0f | %.0f | %.0f | %.0f | %.0f |\n", cases[i].name,
				r[runs / 2].per_sec, r[runs / 2].ns, r[runs / 2].cycles, r[0].per_sec,
				r[0].cycles);
		fflush(stdout);
	}
	return 0;
}
