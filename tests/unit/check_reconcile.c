/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * check_reconcile.c: the pure parts of hearsay-reconcile -- text
 * normalisation (accents, case folding, NFKC), name matching (handles,
 * aliases, nicknames, typos, first name plus initial, ambiguity means
 * no match), the phonetic key, and the analysts' rules.  Kappa and
 * PABAK are core's: tests/unit/check_metrics.c.
 */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"
#include "reconcile.h"

static const struct {
	const char	*in;
	const char	*out;
} norms[] = {
	{ "Anna", "anna" },
	{ "  ANNA   Kowalska ", "anna kowalska" },
	{ "Zoë Müller", "zoe muller" },
	{ "Łukasz Żółć", "lukasz zolc" },
	{ "Søren Ærø", "soren aero" },
	{ "Straße", "strasse" },
	{ "\xef\xbc\xa1\xef\xbd\x8e\xef\xbd\x8e\xef\xbd\x81", "anna" },
	{ "ﬁona", "fiona" },
	{ "@anna_k!", "anna k" },
	{ "José-María", "jose maria" },
	{ "İstanbul", "istanbul" },
	{ "", "" },
};

START_TEST(test_norm)
{
	char	 out[RC_NORM_MAX];

	ck_assert_int_eq(rc_norm(norms[_i].in, out, sizeof(out)), 0);
	ck_assert_str_eq(out, norms[_i].out);
}
END_TEST

START_TEST(test_norm_invalid)
{
	char	 out[RC_NORM_MAX];

	ck_assert_int_eq(rc_norm("a\xc0\xaf", out, sizeof(out)), -1);
	ck_assert_str_eq(out, "");
	/* Truncation keeps whole characters. */
	ck_assert_int_eq(rc_norm("ééééé", out, 6), 0);
	ck_assert_str_eq(out, "eeeee");
	ck_assert_int_eq(rc_norm_name("my friend Anna from work", out,
	    sizeof(out)), 0);
	ck_assert_str_eq(out, "anna");
	ck_assert_int_eq(rc_norm_name("my friend", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "my friend");
}
END_TEST

START_TEST(test_phonetic)
{
	char	 a[64], b[64];

	rc_phonetic("katrin", a, sizeof(a));
	rc_phonetic("kathrin", b, sizeof(b));
	ck_assert_str_eq(a, b);
	rc_phonetic("catrin", b, sizeof(b));
	ck_assert_str_eq(a, b);
	rc_phonetic("jon", a, sizeof(a));
	rc_phonetic("john", b, sizeof(b));
	ck_assert_str_eq(a, b);
	rc_phonetic("anna", a, sizeof(a));
	rc_phonetic("maria", b, sizeof(b));
	ck_assert_str_ne(a, b);
}
END_TEST

static struct rc_names *names;

static void
setup(void)
{

	names = rc_names_new(0);
	ck_assert_ptr_nonnull(names);
	ck_assert_int_eq(rc_names_add_handle(names, 1, "anna_k"), 0);
	ck_assert_int_eq(rc_names_add_name(names, 1, "Anna Kowalska"), 0);
	ck_assert_int_eq(rc_names_add_alias(names, 1, "Ania\nAnka"), 0);
	ck_assert_int_eq(rc_names_add_handle(names, 2, "bjorn"), 0);
	ck_assert_int_eq(rc_names_add_name(names, 2, "Björn Ødegård"), 0);
	ck_assert_int_eq(rc_names_add_handle(names, 3, "anna_m"), 0);
	ck_assert_int_eq(rc_names_add_name(names, 3, "Anna Müller"), 0);
	ck_assert_int_eq(rc_names_add_handle(names, 4, "kathrin"), 0);
	ck_assert_int_eq(rc_names_add_name(names, 4, "Kathrin Schmidt"), 0);
	ck_assert_int_eq(rc_names_add_handle(names, 5, "jon"), 0);
	ck_assert_int_eq(rc_names_add_name(names, 5, "Jonathan Weiss"), 0);
	ck_assert_int_eq(rc_names_add_alias(names, 5, "Johnny"), 0);
}

static void
teardown(void)
{

	rc_names_free(names);
	names = NULL;
}

static const struct {
	const char	*typed;
	long long	 id;	/* 0: no match */
	enum rc_how	 how;
} matches[] = {
	{ "@anna_k", 1, RC_HOW_HANDLE },
	{ "anna_k", 1, RC_HOW_HANDLE },
	{ "ANNA KOWALSKA", 1, RC_HOW_NAME },
	{ "Kowalska Anna", 1, RC_HOW_NAME },
	{ "my friend Ania", 1, RC_HOW_ALIAS },
	{ "Anna K.", 1, RC_HOW_HANDLE },	/* "anna k" is the handle */
	{ "Anna M", 3, RC_HOW_HANDLE },
	{ "Anna Kowalsak", 1, RC_HOW_FUZZY },	/* transposition */
	{ "Anna Kowalka", 1, RC_HOW_FUZZY },	/* deletion */
	{ "Bjorn Odegard", 2, RC_HOW_NAME },	/* accents and ø */
	{ "bjørn", 2, RC_HOW_HANDLE },
	{ "Björn", 2, RC_HOW_HANDLE },
	{ "Bjron", 2, RC_HOW_FUZZY },
	{ "Katrin Schmitt", 4, RC_HOW_PHONETIC },
	{ "Kathrin", 4, RC_HOW_HANDLE },
	{ "Johnny", 5, RC_HOW_ALIAS },
	{ "Jonathan", 5, RC_HOW_FIRST_NAME },
	{ "Anna", 0, RC_HOW_NONE },		/* two Annas: ambiguous */
	{ "Anna Z", 0, RC_HOW_NONE },
	{ "someone at a meetup", 0, RC_HOW_NONE },
	{ "", 0, RC_HOW_NONE },
};

START_TEST(test_match)
{
	struct rc_match	 m;
	char		 norm[RC_NORM_MAX];
	int		 r;

	ck_assert_int_eq(rc_norm(matches[_i].typed, norm, sizeof(norm)), 0);
	r = rc_names_match(names, norm, &m);
	ck_assert_msg(m.id == matches[_i].id, "%s: got %lld want %lld",
	    matches[_i].typed, m.id, matches[_i].id);
	ck_assert_int_eq(r, matches[_i].id != 0);
	if (matches[_i].id != 0)
		ck_assert_msg(m.how == matches[_i].how, "%s: got %s want %s",
		    matches[_i].typed, rc_how_name(m.how),
		    rc_how_name(matches[_i].how));
	/* The cache gives the same answer the second time. */
	r = rc_names_match(names, norm, &m);
	ck_assert_int_eq(m.id, matches[_i].id);
}
END_TEST

START_TEST(test_distances)
{

	ck_assert_int_eq(rc_damerau("anna", "anna"), 0);
	ck_assert_int_eq(rc_damerau("anna", "nana"), 1);
	ck_assert_int_eq(rc_damerau("kitten", "sitting"), 3);
	ck_assert(fabs(rc_jaro_winkler("martha", "marhta") - 0.9611) <
	    0.001);
	ck_assert(fabs(rc_jaro_winkler("dixon", "dicksonx") - 0.8133) <
	    0.001);
	ck_assert(rc_jaro_winkler("abc", "xyz") == 0.0);
}
END_TEST

START_TEST(test_rules)
{
	struct rc_rules		*r = rc_rules_new();
	struct rc_rule		 a = { 1, 1, RC_TARGET_CHANNEL, 0, "podcast" };
	struct rc_rule		 b = { 2, 2, RC_TARGET_ADVOCATE, 7, "" };
	const struct rc_rule	*f;

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(rc_rules_add(r, RC_TEXT_OTHER, "the show", &b), 0);
	ck_assert_int_eq(rc_rules_add(r, RC_TEXT_OTHER, "the show", &a), 0);
	f = rc_rules_find(r, RC_TEXT_OTHER, "the show");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->id, 2);	/* the higher version wins */
	ck_assert_ptr_null(rc_rules_find(r, RC_TEXT_REFERRER, "the show"));
	ck_assert_ptr_null(rc_rules_find(r, RC_TEXT_OTHER, "show"));
	rc_rules_free(r);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("reconcile");
	TCase	*tc;

	tc = tcase_create("normalise");
	tcase_add_loop_test(tc, test_norm, 0, sizeof(norms) / sizeof(norms[0]));
	tcase_add_test(tc, test_norm_invalid);
	tcase_add_test(tc, test_phonetic);
	suite_add_tcase(s, tc);
	tc = tcase_create("match");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_match, 0,
	    sizeof(matches) / sizeof(matches[0]));
	tcase_add_test(tc, test_distances);
	suite_add_tcase(s, tc);
	tc = tcase_create("rules");
	tcase_add_test(tc, test_rules);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
