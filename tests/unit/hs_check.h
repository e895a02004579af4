/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * hs_check.h: the one main() every Check unit shares.  It runs the suite
 * in fork mode (a crash fails one test, not the file) and turns the
 * result into the exit status automake's test driver reads.
 */
#ifndef HS_CHECK_H
#define HS_CHECK_H

#include <check.h>

static inline int
hs_check_run(Suite *s)
{
	SRunner	*sr = srunner_create(s);
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}

#endif /* !HS_CHECK_H */
