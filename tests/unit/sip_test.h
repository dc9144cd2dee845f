/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sip_test.h - checks shared by the SIP/SDP unit tests: slice comparison, field checks
 * that print what differed, and exact-size heap copies (so that ASan catches a parser
 * reading past the end of its input). Include after cmocka.h.
 */
#ifndef SIP_TEST_H
#define SIP_TEST_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "sip_msg.h"

#define N_ELEM(a) (sizeof(a) / sizeof((a)[0]))

static inline bool
str_is(struct sip_str s, const char *exp)
{
	if (exp == NULL)
		return s.s == NULL && s.len == 0;
	return s.s != NULL && s.len == strlen(exp) && memcmp(s.s, exp, s.len) == 0;
}

static inline int
check_str(const char *cname, const char *field, struct sip_str got, const char *exp)
{
	if (str_is(got, exp))
		return 0;
	print_error("%s: %s: expected %s%s%s, got %s%.*s%s\n", cname, field, exp ? "\"" : "",
			exp ? exp : "(absent)", exp ? "\"" : "", got.s ? "\"" : "",
			got.s ? (int)got.len : 8, got.s ? got.s : "(absent)", got.s ? "\"" : "");
	return 1;
}

static inline int
check_int(const char *cname, const char *field, long long got, long long exp)
{
	if (got == exp)
		return 0;
	print_error("%s: %s: expected %lld, got %lld\n", cname, field, exp, got);
	return 1;
}

static inline char *
dup_exact(const char *s, size_t len)
{
	char *c = malloc(len ? len : 1);

	assert_non_null(c);
	memcpy(c, s, len);
	return c;
}

#endif /* SIP_TEST_H */
