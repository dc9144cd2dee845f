/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sip_shard.h - the identifiers the SBC makes (tags, Via branches, Call-IDs), and which
 * signalling lcore (shard) they belong to.
 *
 * A call belongs to one signalling lcore for its whole life. Every identifier the SBC
 * makes carries that lcore's number in a fixed place, so that the dataplane sends what
 * comes back to the right lcore without a lookup, and carries 64 bits from the CSPRNG
 * (the caller draws them; RFC 3261 19.3 asks for cryptographically random tags and
 * Call-IDs), so that nobody can compute the next identifier from the last:
 *   tag      "sbcXX.RRRRRRRRRRR"
 *   Call-ID  "sbcXX.SSSSSSRRRRRRRRRRR"        (leg B; requests from the far side)
 *   branch   "z9hG4bKsbcXX.SSSSSSRRRRRRRRRRR" (responses to what the SBC sent)
 * XX is the shard in two hex digits, S the slot of the call or transaction (32 bits,
 * six characters), R the random part (64 bits, eleven characters), both in the
 * URL-safe base64 alphabet, which SIP's token and word rules allow. The slot lets the
 * owner find the call or transaction by index; the random part, checked in full on
 * lookup, makes the identifier unguessable. Plain C; any thread.
 */
#ifndef SIP_SHARD_H
#define SIP_SHARD_H

#include <stddef.h>
#include <stdint.h>

#include "sip_msg.h"

#define SIP_SHARD_MAX 256
#define SIP_ID_PREFIX "sbc"
#define SIP_BRANCH_PREFIX "z9hG4bKsbc"
#define SIP_ID_MAX 48 /* room for any identifier made here, with its NUL */

/*
 * Writes "<prefix><XX>.<random>" into out (SIP_ID_MAX octets): a tag. rnd must come
 * from a CSPRNG. Returns the length. Any thread.
 */
size_t sip_make_id(char *out, const char *prefix, unsigned int shard, uint64_t rnd);

/*
 * Writes "<prefix><XX>.<slot><random>" into out (SIP_ID_MAX octets): a Call-ID or
 * branch that also names the call's or transaction's slot. Returns the length. Any
 * thread.
 */
size_t sip_make_slot_id(char *out, const char *prefix, unsigned int shard, uint32_t slot,
		uint64_t rnd);

/*
 * Returns the shard encoded in one of our identifiers (tag, Call-ID, branch), or -1. Any
 * thread (the dataplane lcores choose rings with it).
 */
int sip_shard_from_id(struct sip_str id, const char *prefix);

/*
 * The slot of an identifier sip_make_slot_id made. Returns 0 with *slot set, or -1
 * when id is not of that form. Any thread.
 */
int sip_id_slot(struct sip_str id, const char *prefix, uint32_t *slot);

#endif /* SIP_SHARD_H */
