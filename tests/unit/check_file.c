/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * check_file.c: src/core/file.c.  hs_file_replace puts the new bytes in
 * place with the mode asked for, over an old file or none, and leaves no
 * temporary; when it cannot write, the old file stays.  hs_fnv1a gives
 * the published FNV-1a test vectors.
 */
#include "config.h"

#include <sys/stat.h>

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hearsay.h"
#include "hs_check.h"

static char	 dir[] = "/tmp/check_file.XXXXXX";
static char	 path[256], tmp[256];

static void
setup(void)
{

	ck_assert_ptr_nonnull(mkdtemp(dir));
	(void)snprintf(path, sizeof(path), "%s/f", dir);
	(void)snprintf(tmp, sizeof(tmp), "%s/f.tmp", dir);
}

static void
teardown(void)
{

	(void)unlink(path);
	(void)unlink(tmp);
	(void)rmdir(dir);
	memcpy(dir + strlen(dir) - 6, "XXXXXX", 6);
}

/* The whole content of path, NUL-terminated, into buf. */
static ssize_t
slurp(char *buf, size_t sz)
{
	ssize_t	 n;
	int	 fd;

	if ((fd = open(path, O_RDONLY)) == -1)
		return -1;
	n = read(fd, buf, sz - 1);
	(void)close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

START_TEST(replace_new_and_old)
{
	char		 buf[64];
	struct stat	 st;

	ck_assert_int_eq(hs_file_replace(path, "one\n", 4, 0600), HS_OK);
	ck_assert_int_eq(slurp(buf, sizeof(buf)), 4);
	ck_assert_str_eq(buf, "one\n");
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(hs_file_replace(path, "two", 3, 0600), HS_OK);
	ck_assert_int_eq(slurp(buf, sizeof(buf)), 3);
	ck_assert_str_eq(buf, "two");
	ck_assert_int_eq(access(tmp, F_OK), -1);
	ck_assert_int_eq(hs_file_replace(path, "", 0, 0600), HS_OK);
	ck_assert_int_eq(slurp(buf, sizeof(buf)), 0);
}
END_TEST

START_TEST(replace_fails_keeps_old)
{
	char	 buf[64], gone[300];

	ck_assert_int_eq(hs_file_replace(path, "old", 3, 0600), HS_OK);
	/* A temporary that cannot be made: the old file is untouched. */
	ck_assert_int_eq(mkdir(tmp, 0700), 0);
	ck_assert_int_eq(hs_file_replace(path, "new", 3, 0600), HS_EIO);
	ck_assert_int_eq(rmdir(tmp), 0);
	ck_assert_int_eq(slurp(buf, sizeof(buf)), 3);
	ck_assert_str_eq(buf, "old");
	(void)snprintf(gone, sizeof(gone), "%s/no/such/f", dir);
	ck_assert_int_eq(hs_file_replace(gone, "x", 1, 0600), HS_EIO);
}
END_TEST

START_TEST(dir_sync)
{

	ck_assert_int_eq(hs_dir_sync(dir), HS_OK);
	ck_assert_int_eq(hs_dir_sync("/nonexistent/dir"), HS_EIO);
}
END_TEST

/* Vectors from the FNV authors' test suite (32-bit FNV-1a). */
START_TEST(fnv1a_vectors)
{

	ck_assert_uint_eq(hs_fnv1a(""), 0x811c9dc5u);
	ck_assert_uint_eq(hs_fnv1a("a"), 0xe40c292cu);
	ck_assert_uint_eq(hs_fnv1a("foobar"), 0xbf9cf968u);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("file");
	TCase	*tc = tcase_create("replace");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, replace_new_and_old);
	tcase_add_test(tc, replace_fails_keeps_old);
	tcase_add_test(tc, dir_sync);
	suite_add_tcase(s, tc);
	tc = tcase_create("hash");
	tcase_add_test(tc, fnv1a_vectors);
	suite_add_tcase(s, tc);
	return hs_check_run(s);
}
