/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * hs_check_out.h: the fixture of the Check units that look at what a
 * writer wrote (check_html, check_markup, check_report): o writes into
 * b, a buffer of HS_CHECK_OUT_MAX bytes (a unit may define its own
 * before including this) made afresh for every test
 * (hs_check_out_fixture adds it to a test case), and SAYS(want)
 * compares what b holds with want.
 */
#ifndef HS_CHECK_OUT_H
#define HS_CHECK_OUT_H

#include <check.h>
#include <string.h>

#include "hearsay.h"

#ifndef HS_CHECK_OUT_MAX
#define HS_CHECK_OUT_MAX	4096	/* bytes a test may write */
#endif

static struct hs_buf	b;
static struct hs_out	o;

static void
hs_check_out_setup(void)
{

	hs_buf_init(&b, HS_CHECK_OUT_MAX);
	hs_out_buf(&o, &b);
}

static void
hs_check_out_teardown(void)
{

	hs_buf_free(&b);
}

/* Gives each test of tc the writer o into a fresh b. */
static inline void
hs_check_out_fixture(TCase *tc)
{

	tcase_add_checked_fixture(tc, hs_check_out_setup,
	    hs_check_out_teardown);
}

#define SAYS(want)	ck_assert_msg(strcmp(hs_buf_str(&b), (want)) == 0, \
			    "wrote %s", hs_buf_str(&b))

#endif /* !HS_CHECK_OUT_H */
