/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sig_io.h - datagrams in and out of a signalling lcore.
 *
 * In: a ring element the dataplane queued (struct sbc_sip_dgram) already says where the
 * payload is, who sent it to which of our addresses, and where its Call-ID is; this
 * only finds the octets (reading a reassembled chain into a contiguous scratch
 * buffer). Out: a UDP datagram is built in a fresh mbuf (IPv4 or IPv6, checksums in
 * software), fragmented when IPv4 and larger than the interface's MTU, and sent on the
 * lcore's own TX queue through dp_output(). Only the owning signalling lcore calls
 * these, on its own state.
 */
#ifndef SIG_IO_H
#define SIG_IO_H

#include <stdint.h>

#include "b2b.h"
#include "dp.h"
#include "sbc_contracts.h"
#include "sbc_stats.h"

/*
 * Fills d from the ring element e, using scratch (65536 octets) when the frame is a
 * chain. Returns 0, or -1 when the element does not hold a datagram (counted by the
 * caller). Owner lcore.
 */
int sig_dgram_read(const struct sbc_sip_dgram *e, uint8_t *scratch, struct b2b_dgram *d);

/*
 * Sends len octets from from (our address: interface, IP, port) to to, on TX queue txq.
 * Returns SBC_DROP_NONE or the drop reason (counted by the caller). Owner lcore (the
 * writer of st and the only user of txq), an RCU reader of dp->qsbr.
 */
enum sbc_drop sig_send(struct dp *dp, uint16_t txq, struct sbc_lcore_stats *st,
		const struct sig_addr *from, const struct sig_addr *to, const char *data,
		uint32_t len);

#endif /* SIG_IO_H */
