/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sip_shard.h - which signalling lcore owns a SIP message, and the identifiers that
 * make it cheap to tell.
 *
 * A call belongs to one signalling lcore (its shard) for its whole life. Messages of
 * the caller's dialog carry the caller's Call-ID: their shard is a hash of it. Every
 * identifier the SBC makes for the leg it opens carries the shard in a fixed place:
 *   Call-ID  "sbcXX.<random>"      (requests from the far side in that dialog)
 *   branch   "z9hG4bKsbcXX.<random>" (responses to anything the SBC sent)
 *   tag      "sbcXX.<random>"
 * with XX the shard in two hex digits. The dataplane reads the top Via of a response
 * and the Call-ID of a request, and dispatches without any lookup. Any thread.
 */
#ifndef SIP_SHARD_H
#define SIP_SHARD_H

#include <stddef.h>
#include <stdint.h>

#include "sip_msg.h"

#define SIP_SHARD_MAX 256
#define SIP_ID_PREFIX "sbc"
#define SIP_BRANCH_PREFIX "z9hG4bKsbc"

/*
 * The shard (0 .. n_shards-1) of the message in [buf, buf + len), parsed as a datagram.
 * A message the parser refuses goes to the shard of its bytes' hash, so that the same
 * malformed request always meets the same lcore (which answers it 400).
 */
unsigned int sip_shard_of(const char *buf, size_t len, unsigned int n_shards);

/* The shard encoded in one of our identifiers (Call-ID, tag, branch), or -1. */
int sip_shard_from_id(struct sip_str id, const char *prefix);

/*
 * The slot number a signalling lcore put in the upper half of an identifier's random
 * part (sip_make_id with rnd = slot << 32 | random). Returns 0, or -1 when id is not of
 * that form.
 */
int sip_id_slot(struct sip_str id, const char *prefix, uint32_t *slot);

/* 32-bit FNV-1a of the slice (the hash of foreign Call-IDs). */
uint32_t sip_hash(struct sip_str s);

/*
 * Writes an identifier "<prefix><XX>.<16 hex digits>" for shard into out (at least
 * 32 octets); returns its length. seq is mixed with a per-lcore random seed by the
 * caller, so that identifiers are unique and unpredictable.
 */
size_t sip_make_id(char *out, const char *prefix, unsigned int shard, uint64_t rnd);

#endif /* SIP_SHARD_H */
