/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * check_velocity.c: the survey's shared per-hour answer counts
 * (src/survey/velocity.c): counting, clock hours, hashes kept apart,
 * no hash, a table full of other hashes, and processes counting at
 * once without losing a count.
 */
#include "config.h"

#include <sys/wait.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hearsay.h"
#include "survey.h"
#include "hs_check.h"

#define T0	((time_t)1795000000)	/* some instant in 2026 */
#define HOUR	3600

/* A hex client hash from a number (as the real ones: 64 hex digits). */
static void
hash_of(unsigned long long n, char out[65])
{

	(void)snprintf(out, 65, "%016llx%048d", n * 0x9e3779b97f4a7c15ULL,
	    0);
}

START_TEST(counts_per_hash_and_hour)
{
	struct velocity	*v = velocity_new();
	char		 a[65], b[65];
	unsigned int	 i;
	time_t		 h0 = T0 - T0 % HOUR;

	ck_assert_ptr_nonnull(v);
	hash_of(1, a);
	hash_of(2, b);
	for (i = 1; i <= 12; i++)
		ck_assert_uint_eq(velocity_hit(v, a, h0 + 60 * i), i);
	ck_assert_uint_eq(velocity_hit(v, b, h0 + 10), 1);
	ck_assert_uint_eq(velocity_hit(v, a, h0 + HOUR - 1), 13);
	/* The next clock hour starts again. */
	ck_assert_uint_eq(velocity_hit(v, a, h0 + HOUR), 1);
	ck_assert_uint_eq(velocity_hit(v, b, h0 + HOUR), 1);
	velocity_free(v);
}
END_TEST

START_TEST(no_hash_counts_nothing)
{
	struct velocity	*v = velocity_new();

	ck_assert_uint_eq(velocity_hit(v, "", T0), 0);
	ck_assert_uint_eq(velocity_hit(v, "not hex at all, not at all!!", T0),
	    0);
	ck_assert_uint_eq(velocity_hit(NULL, "00112233445566778899", T0), 0);
	velocity_free(v);
}
END_TEST

/*
 * Many distinct hashes in one hour (more than the table holds) never
 * make a count too high: an innocent client is not flagged by a flood.
 */
START_TEST(flood_never_overcounts)
{
	struct velocity	*v = velocity_new();
	char		 h[65];
	unsigned long long n;

	for (n = 1; n <= 200000; n++) {
		hash_of(n, h);
		ck_assert_uint_le(velocity_hit(v, h, T0), 1);
	}
	velocity_free(v);
}
END_TEST

/* Forked processes hitting one hash: every hit counted once. */
START_TEST(processes_share_counts)
{
	struct velocity	*v = velocity_new();
	char		 h[65];
	pid_t		 pid[4];
	int		 i, j, st, hits = 500;

	hash_of(7, h);
	for (i = 0; i < 4; i++) {
		ck_assert_int_ge(pid[i] = fork(), 0);
		if (pid[i] == 0) {
			for (j = 0; j < hits; j++)
				if (velocity_hit(v, h, T0) == 0)
					_exit(1);
			_exit(0);
		}
	}
	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(waitpid(pid[i], &st, 0), pid[i]);
		ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	ck_assert_uint_eq(velocity_hit(v, h, T0), 4 * hits + 1);
	velocity_free(v);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("velocity");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, counts_per_hash_and_hour);
	tcase_add_test(tc, no_hash_counts_nothing);
	tcase_add_test(tc, flood_never_overcounts);
	tcase_add_test(tc, processes_share_counts);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{

	return hs_check_run(suite());
}
