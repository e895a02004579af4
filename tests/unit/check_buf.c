/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * check_buf.c: struct hs_buf and struct hs_out: caps, growth, the NUL
 * terminator, ownership transfer and allocation failure.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"
#include "hs_check.h"

START_TEST(buf_appends_and_terminates)
{
	struct hs_buf	 b;
	char		*p;

	hs_buf_init(&b, 100);
	ck_assert_str_eq(hs_buf_str(&b), "");
	ck_assert_int_eq(hs_buf_puts(&b, "abc"), HS_OK);
	ck_assert_int_eq(hs_buf_putc(&b, 'd'), HS_OK);
	ck_assert_int_eq(hs_buf_printf(&b, "%d-%s", 42, "x"), HS_OK);
	ck_assert_str_eq(hs_buf_str(&b), "abcd42-x");
	ck_assert_uint_eq(b.len, 8);
	p = hs_buf_take(&b);
	ck_assert_str_eq(p, "abcd42-x");
	ck_assert_ptr_null(b.ptr);
	ck_assert_uint_eq(b.len, 0);
	free(p);
	hs_buf_free(&b);
}
END_TEST

START_TEST(buf_cap_is_exact)
{
	struct hs_buf	 b;
	char		 big[300];

	memset(big, 'x', sizeof(big));
	hs_buf_init(&b, 10);
	ck_assert_int_eq(hs_buf_add(&b, big, 10), HS_OK);
	/* One byte over the cap fails and leaves the buffer intact. */
	ck_assert_int_eq(hs_buf_add(&b, big, 1), HS_ETOOBIG);
	ck_assert_uint_eq(b.len, 10);
	ck_assert_uint_eq(strlen(hs_buf_str(&b)), 10);
	hs_buf_reset(&b);
	ck_assert_int_eq(hs_buf_printf(&b, "%.*s", 11, big), HS_ETOOBIG);
	ck_assert_str_eq(hs_buf_str(&b), "");
	/* A long printf (past the stack buffer) that fits. */
	hs_buf_free(&b);
	hs_buf_init(&b, 1000);
	ck_assert_int_eq(hs_buf_printf(&b, "%.*s", 300, big), HS_OK);
	ck_assert_uint_eq(b.len, 300);
	ck_assert_int_eq(hs_buf_add(&b, big, (size_t)-1), HS_ETOOBIG);
	hs_buf_free(&b);
}
END_TEST

START_TEST(buf_grows_many_times)
{
	struct hs_buf	 b;
	size_t		 i;

	hs_buf_init(&b, 1 << 20);
	for (i = 0; i < 100000; i++)
		ck_assert_int_eq(hs_buf_putc(&b, (char)('a' + i % 26)), HS_OK);
	ck_assert_uint_eq(b.len, 100000);
	ck_assert_int_eq(b.ptr[25], 'z');
	ck_assert_int_eq(b.ptr[100000], '\0');
	hs_buf_free(&b);
	hs_buf_free(NULL);
}
END_TEST

START_TEST(buf_enomem_keeps_contents)
{
	struct hs_buf	 b;
	char		 big[200];

	memset(big, 'y', sizeof(big));
	hs_buf_init(&b, 1 << 20);
	ck_assert_int_eq(hs_buf_puts(&b, "keep"), HS_OK);
	setenv("HS_FAILMALLOC", "1", 1);
	hs_failmalloc_init();
	ck_assert_int_eq(hs_buf_add(&b, big, sizeof(big)), HS_ENOMEM);
	ck_assert_str_eq(hs_buf_str(&b), "keep");
	ck_assert_ptr_null(hs_xmalloc(1));
	ck_assert_ptr_null(hs_xstrdup("x"));
	hs_buf_free(&b);
}
END_TEST

START_TEST(alloc_refuses_zero_and_overflow)
{
	void	*p;

	ck_assert_ptr_null(hs_xmalloc(0));
	ck_assert_ptr_null(hs_xreallocarray(NULL, SIZE_MAX / 2, 3));
	ck_assert_ptr_null(hs_xcalloc(0, 1));
	p = hs_xcalloc(4, 4);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(((char *)p)[15], 0);
	free(p);
}
END_TEST

START_TEST(out_to_buf)
{
	struct hs_buf	 b;
	struct hs_out	 o;

	hs_buf_init(&b, 64);
	hs_out_buf(&o, &b);
	ck_assert_int_eq(hs_out_puts(&o, "a"), HS_OK);
	ck_assert_int_eq(hs_out_printf(&o, "%03d", 7), HS_OK);
	ck_assert_int_eq(hs_out_write(&o, "zz", 0), HS_OK);
	ck_assert_str_eq(hs_buf_str(&b), "a007");
	hs_buf_free(&b);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("buf");
	TCase	*core = tcase_create("core"), *limits = tcase_create("limits"),
		*errors = tcase_create("errors");

	tcase_add_test(core, buf_appends_and_terminates);
	tcase_add_test(core, out_to_buf);
	tcase_add_test(limits, buf_cap_is_exact);
	tcase_add_test(limits, buf_grows_many_times);
	tcase_add_test(errors, buf_enomem_keeps_contents);
	tcase_add_test(errors, alloc_refuses_zero_and_overflow);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	suite_add_tcase(s, errors);
	return s;
}

int
main(void)
{

	return hs_check_run(suite());
}
