/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_dp_sip.c - which signalling lcore a SIP datagram goes to (dp_sip_shard): the
 * one our identifiers name (a response's branch, a far-side request's Call-ID), else a
 * keyed hash of the Call-ID that keeps every message of a dialog on one lcore, spreads
 * foreign Call-IDs evenly, and changes with the key, so a set of Call-IDs chosen to
 * collide under one key does not under another.
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dp.h"
#include "dp_sip.h"
#include "sip_peek.h"
#include "sip_shard.h"

/* The shard dp gives to message text (peeked as the dataplane peeks it). */
static unsigned int
shard_of(const struct dp *dp, const char *text)
{
	struct sip_peek pk;

	sip_peek(text, (uint32_t)strlen(text), NULL, &pk);
	return dp_sip_shard(dp, (const uint8_t *)text, (uint32_t)strlen(text), &pk);
}

static struct dp *
new_dp(unsigned int n_sig)
{
	struct dp *dp = calloc(1, sizeof(*dp));

	assert_non_null(dp);
	dp->n_sig = n_sig;
	assert_int_equal(sbc_hash_key_new(&dp->shard_key), 0);
	return dp;
}

static void
request(char *buf, size_t cap, const char *call_id, const char *branch)
{
	snprintf(buf, cap,
			"BYE sip:a@192.0.2.1 SIP/2.0\r\n"
			"Via: SIP/2.0/UDP 192.0.2.10;branch=%s\r\n"
			"Call-ID: %s\r\n"
			"CSeq: 2 BYE\r\n\r\n",
			branch, call_id);
}

static void
response(char *buf, size_t cap, const char *call_id, const char *branch)
{
	snprintf(buf, cap,
			"SIP/2.0 200 OK\r\n"
			"Via: SIP/2.0/UDP 198.51.100.1;branch=%s\r\n"
			"Call-ID: %s\r\n"
			"CSeq: 2 BYE\r\n\r\n",
			branch, call_id);
}

/* Is every octet of s a SIP token character (tags and branches are tokens)? */
static bool
all_token(const char *s)
{
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
				strchr("-.!%*_+`'~", *s) != NULL))
			return false;
	return true;
}

/*
 * Identifiers: the shard and slot read back from what was written, every octet a token
 * character, the random part in full (a change of any random bit changes the text),
 * and nothing of another form accepted as a slot identifier.
 */
static void
test_identifiers(void **state)
{
	char id[SIP_ID_MAX], other[SIP_ID_MAX];
	uint32_t slot, slots[] = { 0, 1, 4095, 123456789, UINT32_MAX };
	unsigned int i, bit;

	(void)state;
	for (i = 0; i < sizeof(slots) / sizeof(slots[0]); i++) {
		size_t n = sip_make_slot_id(id, SIP_BRANCH_PREFIX, 0xa5, slots[i], 0x0123456789abcdefull);

		assert_int_equal(n, strlen(id));
		assert_true(n < SIP_ID_MAX);
		assert_true(all_token(id));
		assert_int_equal(sip_shard_from_id((struct sip_str){ id, (uint32_t)n },
					 SIP_BRANCH_PREFIX), 0xa5);
		assert_int_equal(sip_id_slot((struct sip_str){ id, (uint32_t)n }, SIP_BRANCH_PREFIX,
					 &slot), 0);
		assert_true(slot == slots[i]);
	}
	for (bit = 0; bit < 64; bit++) {
		sip_make_id(id, SIP_ID_PREFIX, 3, 0);
		sip_make_id(other, SIP_ID_PREFIX, 3, 1ull << bit);
		assert_string_not_equal(id, other);
	}
	/* A tag is not a slot identifier; nor is a foreign or truncated string. */
	sip_make_id(id, SIP_ID_PREFIX, 3, 42);
	assert_int_equal(sip_id_slot((struct sip_str){ id, (uint32_t)strlen(id) }, SIP_ID_PREFIX,
				 &slot), -1);
	assert_int_equal(sip_id_slot((struct sip_str){ "sbc03.AAAAAA", 12 }, SIP_ID_PREFIX, &slot),
			-1);
	assert_int_equal(sip_id_slot((struct sip_str){ "sbc03.!!!!!!AAAAAAAAAAA", 23 },
				 SIP_ID_PREFIX, &slot), -1);
	assert_int_equal(sip_shard_from_id((struct sip_str){ "abc", 3 }, SIP_ID_PREFIX), -1);
	assert_int_equal(sip_shard_from_id((struct sip_str){ "sbcx3.a", 7 }, SIP_ID_PREFIX), -1);
}

/* Our identifiers name their lcore; a name beyond the lcores is hashed like any. */
static void
test_our_identifiers(void **state)
{
	struct dp *dp = new_dp(4);
	char id[SIP_ID_MAX], br[SIP_ID_MAX], msg[512];
	unsigned int s;

	(void)state;
	for (s = 0; s < 4; s++) {
		sip_make_slot_id(id, SIP_ID_PREFIX, s, 7, 0x0123456789abcdefull);
		sip_make_slot_id(br, SIP_BRANCH_PREFIX, s, 9, 0xfedcba9876543210ull);
		request(msg, sizeof(msg), id, "z9hG4bKfar");
		assert_int_equal(shard_of(dp, msg), s);
		/* A response goes by our branch, whatever its Call-ID says. */
		response(msg, sizeof(msg), "foreign@x", br);
		assert_int_equal(shard_of(dp, msg), s);
	}
	/* Shard 9 of 4 lcores: not ours to trust, hashed, still in range. */
	sip_make_slot_id(id, SIP_ID_PREFIX, 9, 1, 1);
	request(msg, sizeof(msg), id, "z9hG4bKx");
	assert_true(shard_of(dp, msg) < 4);
	free(dp);
}

/* Foreign Call-IDs: every message of a dialog meets one lcore; they spread evenly. */
static void
test_foreign_call_ids(void **state)
{
	struct dp *dp = new_dp(4);
	unsigned int count[4] = { 0 }, i;
	char id[64], msg[512];

	(void)state;
	for (i = 0; i < 4000; i++) {
		unsigned int s;

		snprintf(id, sizeof(id), "%u-caller@pc33.atlanta.example.com", i);
		request(msg, sizeof(msg), id, "z9hG4bKa");
		s = shard_of(dp, msg);
		request(msg, sizeof(msg), id, "z9hG4bKother");
		assert_int_equal(shard_of(dp, msg), s);
		response(msg, sizeof(msg), id, "z9hG4bKfar-branch"); /* the caller's answer */
		assert_int_equal(shard_of(dp, msg), s);
		count[s]++;
	}
	for (i = 0; i < 4; i++)
		assert_true(count[i] > 800 && count[i] < 1200); /* 1000 expected, 5 sigma ~ 140 */
	free(dp);
}

/* The key decides: under two keys the same Call-IDs are placed independently. */
static void
test_keyed(void **state)
{
	struct dp *a = new_dp(8), *b = new_dp(8);
	unsigned int i, same = 0;
	char id[64], msg[512];

	(void)state;
	for (i = 0; i < 1000; i++) {
		snprintf(id, sizeof(id), "id%u", i);
		request(msg, sizeof(msg), id, "z9hG4bKa");
		same += shard_of(a, msg) == shard_of(b, msg);
	}
	assert_true(same < 250); /* 125 expected by chance */
	/* One lcore: everything goes to it. */
	a->n_sig = 1;
	assert_int_equal(shard_of(a, msg), 0);
	free(a);
	free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identifiers),
		cmocka_unit_test(test_our_identifiers),
		cmocka_unit_test(test_foreign_call_ids),
		cmocka_unit_test(test_keyed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
