/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_sig_mem.c - the signalling lcores' block allocator (sig_mem.c): blocks never
 * overlap, keep their contents, are counted by class while held and not after, and
 * large ones go to malloc; sig_buf copies.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sig_mem.h"

#define N 3000

struct held {
	uint8_t *p;
	uint32_t n;
	uint8_t fill;
};

static uint32_t
class_size(uint32_t n)
{
	uint32_t s = 32;

	while (s < n && s + s / 2 < n)
		s <<= 1;
	return s >= n ? s : s + s / 2; /* 32, 48, 64, 96, 128, ... */
}

static void
test_random(void **state)
{
	struct sig_mem m = { 0 };
	struct held *h = calloc(N, sizeof(*h));
	unsigned int seed = 7, i, k;
	uint64_t counted = 0;

	(void)state;
	assert_non_null(h);
	for (k = 0; k < 200000; k++) {
		i = (unsigned int)rand_r(&seed) % N;
		if (h[i].p != NULL) {
			uint32_t j;

			for (j = 0; j < h[i].n; j++) /* nobody wrote over it */
				assert_int_equal(h[i].p[j], (uint8_t)(h[i].fill + j));
			sig_mem_free(&m, h[i].p, h[i].n);
			counted -= h[i].n > SIG_MEM_MAX ? 0 : class_size(h[i].n);
			h[i].p = NULL;
		} else {
			uint32_t j;

			h[i].n = rand_r(&seed) % 16 == 0 ? 1 + (uint32_t)rand_r(&seed) % 20000 :
							   1 + (uint32_t)rand_r(&seed) % 1500;
			h[i].p = sig_mem_alloc(&m, h[i].n);
			assert_non_null(h[i].p);
			h[i].fill = (uint8_t)rand_r(&seed);
			for (j = 0; j < h[i].n; j++)
				h[i].p[j] = (uint8_t)(h[i].fill + j);
			counted += h[i].n > SIG_MEM_MAX ? 0 : class_size(h[i].n);
		}
		if (counted > 0)
			assert_true(m.bytes >= counted); /* large blocks add their malloc size */
	}
	for (i = 0; i < N; i++)
		if (h[i].p != NULL)
			sig_mem_free(&m, h[i].p, h[i].n);
	assert_int_equal(m.bytes, 0);
	sig_mem_fini(&m);
	assert_null(m.slabs);
	free(h);
}

static void
test_buf(void **state)
{
	struct sig_mem m = { 0 };
	struct sig_buf b = { 0 };
	char big[9000];

	(void)state;
	assert_true(sig_buf_set(&m, &b, "INVITE", 6));
	assert_int_equal(b.len, 6);
	assert_memory_equal(b.s, "INVITE", 6);
	assert_int_equal(m.bytes, 32);
	memset(big, 'x', sizeof(big));
	assert_true(sig_buf_set(&m, &b, big, sizeof(big))); /* replaces: the 32 go back */
	assert_int_equal(b.len, sizeof(big));
	assert_true(m.bytes >= sizeof(big));
	assert_true(sig_buf_set(&m, &b, "", 0));
	assert_null(b.s);
	assert_int_equal(m.bytes, 0);
	sig_buf_free(&m, &b);
	assert_int_equal(m.bytes, 0);
	sig_mem_fini(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_buf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
