/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sig_io.h - datagrams in and out of a signalling lcore.
 *
 * In: the mbufs the dataplane queued (whole frames; a chain when reassembled) are read
 * into addresses, ports and a contiguous SIP payload. Out: a UDP datagram is built in a
 * fresh mbuf (IPv4 or IPv6, checksums in software), fragmented when IPv4 and larger than
 * the interface's MTU, and sent on the lcore's own TX queue through dp_output().
 * Only the owning signalling lcore calls these, on its own state.
 */
#ifndef SIG_IO_H
#define SIG_IO_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "dp.h"
#include "sbc_stats.h"

/* One end of a UDP flow: an interface of the SBC and an address and port. */
struct sig_addr {
	uint8_t v6;
	uint8_t ifidx;
	uint16_t port; /* host order */
	uint8_t ip[16];
};

/* A received datagram: who sent it, to which of our addresses, and the payload. */
struct sig_pkt {
	struct sig_addr src;  /* the peer */
	struct sig_addr dst;  /* our address and port it reached */
	const char *data;
	uint32_t len;
};

/*
 * Reads m (as queued by the dataplane) into pkt, using scratch (65536 octets) when the
 * frame is a chain. Returns 0, or -1 when it is not a UDP datagram for us.
 */
int sig_pkt_read(struct dp *dp, struct rte_mbuf *m, uint8_t *scratch, struct sig_pkt *pkt);

/*
 * Sends len octets from from (our address: interface, IP, port) to to. Returns
 * SBC_DROP_NONE or the drop reason (counted by the caller).
 */
enum sbc_drop sig_send(struct dp *dp, uint16_t txq, struct sbc_lcore_stats *st,
		const struct sig_addr *from, const struct sig_addr *to, const char *data,
		uint32_t len);

/* True when a and b are the same address and port. */
bool sig_addr_eq(const struct sig_addr *a, const struct sig_addr *b);

/* Formats "1.2.3.4" or "2001:db8::1" (no port, no brackets) into buf; returns buf. */
char *sig_addr_ip_str(const struct sig_addr *a, char *buf, size_t len);

#endif /* SIG_IO_H */
