/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * check_field.c: field tables (field.c).  Each validator's edges, one
 * table row per case, then hostile input: invalid UTF-8, an embedded
 * NUL, overlong values, a field sent twice, unknown keys, and the
 * messages that name the failing field.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"
#include "hs_check.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static const char *const colours[] = { "red", "green", "blue", NULL };

/* Refuses "nope": a row's own extra check. */
static int
not_nope(const char *s, size_t len)
{

	return !(len == 4 && memcmp(s, "nope", 4) == 0);
}

/* One row of each kind; the index names them in the cases below. */
enum { F_TEXT, F_INT, F_ENUM, F_BOOL, F_SLUG, F_ONE, F__MAX };
static const struct hs_field tab[F__MAX] = {
	{ .name = "text", .kind = HS_FIELD_TEXT, .max = 5, .valid = not_nope,
	    .label = "Text" },
	{ .name = "n", .kind = HS_FIELD_INT, .min = -3, .max = 12,
	    .label = "Number" },
	{ .name = "c", .kind = HS_FIELD_ENUM, .list = colours },
	{ .name = "b", .kind = HS_FIELD_BOOL, .label = "Box" },
	{ .name = "slug", .kind = HS_FIELD_PATTERN, .min = 2, .max = 4,
	    .chars = "abc-", .label = "Slug" },
	{ .name = "one", .kind = HS_FIELD_BOOL, .chars = "1" },
};

/* hs_field_msg for row failing with e. */
static const char *
msgof(const struct hs_field *t, size_t n, size_t row, enum hs_err e,
    char *buf, size_t sz)
{
	struct hs_fbad	 b;

	b.row = row;
	b.key = NULL;
	b.err = e;
	return hs_field_msg(t, n, &b, buf, sz);
}

/* Fills one pair; val is copied (the parser may trim it in place). */
static void
pair(struct hs_kv *kv, const char *key, const char *val, size_t len)
{

	kv->key = strdup(key);
	kv->val = malloc(len + 1);
	ck_assert_ptr_nonnull(kv->key);
	ck_assert_ptr_nonnull(kv->val);
	memcpy(kv->val, val, len);
	kv->val[len] = '\0';
	kv->valsz = len;
}

static void
pairs_free(struct hs_kv *kv, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(kv[i].key);
		free(kv[i].val);
	}
}

/* One value for one row: what parse must say and the value it gives. */
static const struct {
	int		 row;
	const char	*val;
	size_t		 len;
	enum hs_err	 err;
	long long	 i;
} one[] = {
	{ F_TEXT, "", 0, HS_OK, 0 },
	{ F_TEXT, "hello", 5, HS_OK, 0 },		/* max bytes */
	{ F_TEXT, "hello!", 6, HS_ETOOBIG, 0 },
	{ F_TEXT, "\xc3\xa9t\xc3\xa9", 5, HS_OK, 0 },	/* 5 bytes */
	{ F_TEXT, "\xc3\xa9t\xc3\xa9s", 6, HS_ETOOBIG, 0 },
	{ F_TEXT, "a\0b", 3, HS_EUTF8, 0 },		/* NUL inside */
	{ F_TEXT, "\xff", 1, HS_EUTF8, 0 },
	{ F_TEXT, "\xc0\xaf", 2, HS_EUTF8, 0 },	/* overlong '/' */
	{ F_TEXT, "\xed\xa0\x80", 3, HS_EUTF8, 0 },	/* surrogate */
	{ F_TEXT, "\xc3", 1, HS_EUTF8, 0 },		/* cut short */
	{ F_TEXT, "nope", 4, HS_EINVAL, 0 },		/* row's check */
	{ F_INT, "-3", 2, HS_OK, -3 },
	{ F_INT, "12", 2, HS_OK, 12 },
	{ F_INT, "0", 1, HS_OK, 0 },
	{ F_INT, "007", 3, HS_OK, 7 },
	{ F_INT, "-4", 2, HS_EINVAL, 0 },
	{ F_INT, "13", 2, HS_EINVAL, 0 },
	{ F_INT, "+1", 2, HS_EINVAL, 0 },
	{ F_INT, " 1", 2, HS_EINVAL, 0 },
	{ F_INT, "1 ", 2, HS_EINVAL, 0 },
	{ F_INT, "-", 1, HS_EINVAL, 0 },
	{ F_INT, "1.0", 3, HS_EINVAL, 0 },
	{ F_INT, "0x1", 3, HS_EINVAL, 0 },
	{ F_INT, "1e3", 3, HS_EINVAL, 0 },
	{ F_INT, "99999999999999999999", 20, HS_EINVAL, 0 }, /* ERANGE */
	{ F_INT, "000000000000000000001", 21, HS_EINVAL, 0 }, /* too long */
	{ F_INT, "", 0, HS_OK, 0 },			/* blank: absent */
	{ F_INT, "1\0", 2, HS_EUTF8, 0 },
	{ F_ENUM, "red", 3, HS_OK, 0 },
	{ F_ENUM, "blue", 4, HS_OK, 2 },
	{ F_ENUM, "Blue", 4, HS_EINVAL, 0 },
	{ F_ENUM, "blu", 3, HS_EINVAL, 0 },
	{ F_ENUM, "blue ", 5, HS_EINVAL, 0 },
	{ F_ENUM, "", 0, HS_OK, 0 },			/* blank: absent */
	{ F_BOOL, "on", 2, HS_OK, 1 },
	{ F_BOOL, "off", 3, HS_EINVAL, 0 },
	{ F_BOOL, "ON", 2, HS_EINVAL, 0 },
	{ F_BOOL, "", 0, HS_EINVAL, 0 },
	{ F_BOOL, "1", 1, HS_EINVAL, 0 },
	{ F_ONE, "1", 1, HS_OK, 1 },
	{ F_ONE, "on", 2, HS_EINVAL, 0 },
	{ F_SLUG, "ab", 2, HS_OK, 0 },
	{ F_SLUG, "a-bc", 4, HS_OK, 0 },
	{ F_SLUG, "a", 1, HS_EINVAL, 0 },		/* under min */
	{ F_SLUG, "", 0, HS_EINVAL, 0 },
	{ F_SLUG, "abcab", 5, HS_ETOOBIG, 0 },
	{ F_SLUG, "ab_", 3, HS_EINVAL, 0 },
	{ F_SLUG, "AB", 2, HS_EINVAL, 0 },
	{ F_SLUG, "a\xc3\xa9", 3, HS_EINVAL, 0 },	/* not in chars */
	{ F_SLUG, "a\0b", 3, HS_EUTF8, 0 },
};

START_TEST(test_one)
{
	struct hs_kv	 kv[1];
	struct hs_fval	 v[F__MAX];
	struct hs_fbad	 bad;
	enum hs_err	 e;
	int		 r = one[_i].row;

	pair(&kv[0], tab[r].name, one[_i].val, one[_i].len);
	e = hs_field_parse(kv, 1, tab, F__MAX, 0, v, &bad);
	ck_assert_msg(e == one[_i].err, "case %d (%s): got %s", _i,
	    tab[r].name, hs_strerror(e));
	if (e == HS_OK) {
		ck_assert_int_eq(v[r].i, one[_i].i);
		if (one[_i].len == 0 && (tab[r].kind == HS_FIELD_INT ||
		    tab[r].kind == HS_FIELD_ENUM))
			ck_assert_int_eq(v[r].set, 0);
		else {
			ck_assert_int_eq(v[r].set, 1);
			ck_assert_uint_eq(v[r].len, one[_i].len);
			ck_assert_mem_eq(v[r].s, one[_i].val, one[_i].len);
		}
	} else {
		ck_assert_uint_eq(bad.row, (size_t)r);
		ck_assert_int_eq(v[r].set, 0);
		ck_assert_ptr_null(v[r].s);
	}
	pairs_free(kv, 1);
}
END_TEST

/* Nothing sent: every row unset, no error; the values are zeroed. */
START_TEST(test_absent)
{
	struct hs_fval	 v[F__MAX];
	struct hs_fbad	 bad;
	size_t		 i;

	memset(v, 0xa5, sizeof(v));
	ck_assert_int_eq(hs_field_parse(NULL, 0, tab, F__MAX, HS_FIELD_STRICT,
	    v, &bad), HS_OK);
	for (i = 0; i < F__MAX; i++) {
		ck_assert_int_eq(v[i].set, 0);
		ck_assert_ptr_null(v[i].s);
		ck_assert_int_eq(v[i].i, 0);
	}
}
END_TEST

/* A required row: absent or empty fails HS_ENOTFOUND with its index. */
START_TEST(test_required)
{
	static const struct hs_field req[] = {
		{ .name = "a", .kind = HS_FIELD_TEXT, .max = 10 },
		{ .name = "who", .kind = HS_FIELD_TEXT,
		    .flags = HS_FIELD_REQUIRED, .max = 10,
		    .label = "Your name" },
		{ .name = "n", .kind = HS_FIELD_INT,
		    .flags = HS_FIELD_REQUIRED, .max = 9 },
	};
	struct hs_kv	 kv[3];
	struct hs_fval	 v[3];
	struct hs_fbad	 bad;
	char		 msg[256];

	pair(&kv[0], "a", "x", 1);
	ck_assert_int_eq(hs_field_parse(kv, 1, req, 3, 0, v, &bad),
	    HS_ENOTFOUND);
	ck_assert_uint_eq(bad.row, 1);
	ck_assert_str_eq(msgof(req, 3, bad.row, HS_ENOTFOUND, msg,
	    sizeof(msg)), "Please fill in \"Your name\".");
	pair(&kv[1], "who", "", 0);
	ck_assert_int_eq(hs_field_parse(kv, 2, req, 3, 0, v, &bad),
	    HS_ENOTFOUND);
	ck_assert_uint_eq(bad.row, 1);
	free(kv[1].val);
	kv[1].val = strdup("Ann");
	kv[1].valsz = 3;
	pair(&kv[2], "n", "", 0);	/* a blank number is absent */
	ck_assert_int_eq(hs_field_parse(kv, 3, req, 3, 0, v, &bad),
	    HS_ENOTFOUND);
	ck_assert_uint_eq(bad.row, 2);
	ck_assert_str_eq(msgof(req, 3, bad.row, HS_ENOTFOUND, msg,
	    sizeof(msg)), "Please fill in \"n\".");	/* no label: name */
	free(kv[2].val);
	kv[2].val = strdup("4");
	kv[2].valsz = 1;
	ck_assert_int_eq(hs_field_parse(kv, 3, req, 3, 0, v, &bad),
	    HS_OK);
	ck_assert_str_eq(v[1].s, "Ann");
	ck_assert_int_eq(v[2].i, 4);
	pairs_free(kv, 3);
}
END_TEST

/*
 * A field sent twice is HS_EDUP, even with two good or equal values,
 * and even when the table has it after a good row; a lax row reads as
 * absent instead.
 */
START_TEST(test_repeated)
{
	static const struct hs_field lax[] = {
		{ .name = "qr", .kind = HS_FIELD_BOOL, .flags = HS_FIELD_LAX,
		    .chars = "1" },
	};
	struct hs_kv	 kv[3];
	struct hs_fval	 v[F__MAX];
	struct hs_fbad	 bad;
	char		 msg[256];

	pair(&kv[0], "slug", "ab", 2);
	pair(&kv[1], "n", "1", 1);
	pair(&kv[2], "n", "1", 1);
	ck_assert_int_eq(hs_field_parse(kv, 3, tab, F__MAX, 0, v, &bad),
	    HS_EDUP);
	ck_assert_uint_eq(bad.row, F_INT);
	ck_assert_str_eq(msgof(tab, F__MAX, bad.row, HS_EDUP, msg,
	    sizeof(msg)), "The field \"Number\" was sent twice.");
	pairs_free(kv, 3);

	pair(&kv[0], "qr", "1", 1);
	pair(&kv[1], "qr", "1", 1);
	ck_assert_int_eq(hs_field_parse(kv, 2, lax, 1, 0, v, &bad),
	    HS_OK);
	ck_assert_int_eq(v[0].set, 0);
	ck_assert_int_eq(hs_field_parse(kv, 1, lax, 1, 0, v, &bad),
	    HS_OK);
	ck_assert_int_eq(v[0].set, 1);
	pairs_free(kv, 2);
}
END_TEST

/* A lax row's bad value is absent; lax and required is still missing. */
START_TEST(test_lax)
{
	static const struct hs_field lax[] = {
		{ .name = "embed", .kind = HS_FIELD_BOOL,
		    .flags = HS_FIELD_LAX, .chars = "1" },
		{ .name = "t", .kind = HS_FIELD_PATTERN,
		    .flags = HS_FIELD_LAX | HS_FIELD_REQUIRED, .min = 1,
		    .max = 4, .chars = "0123456789" },
	};
	struct hs_kv	 kv[2];
	struct hs_fval	 v[2];
	struct hs_fbad	 bad;

	pair(&kv[0], "embed", "\xff", 1);
	pair(&kv[1], "t", "12345", 5);
	ck_assert_int_eq(hs_field_parse(kv, 2, lax, 2, 0, v, &bad),
	    HS_ENOTFOUND);
	ck_assert_uint_eq(bad.row, 1);
	ck_assert_int_eq(v[0].set, 0);
	kv[1].val[4] = '\0';
	kv[1].valsz = 4;
	ck_assert_int_eq(hs_field_parse(kv, 2, lax, 2, 0, v, &bad),
	    HS_OK);
	ck_assert_int_eq(v[0].set, 0);
	ck_assert_str_eq(v[1].s, "1234");
	pairs_free(kv, 2);
}
END_TEST

/* Strict: a key no row names fails after the rows, with that key. */
START_TEST(test_strict)
{
	struct hs_kv	 kv[2];
	struct hs_fval	 v[F__MAX];
	struct hs_fbad	 bad;
	char		 msg[256];

	pair(&kv[0], "c", "red", 3);
	pair(&kv[1], "evil", "1", 1);
	ck_assert_int_eq(hs_field_parse(kv, 2, tab, F__MAX, 0, v, &bad),
	    HS_OK);
	ck_assert_ptr_null(bad.key);
	ck_assert_int_eq(hs_field_parse(kv, 2, tab, F__MAX, HS_FIELD_STRICT,
	    v, &bad), HS_EINVAL);
	ck_assert_uint_eq(bad.row, F__MAX);
	ck_assert_str_eq(bad.key, "evil");
	ck_assert_int_eq(bad.err, HS_EINVAL);
	ck_assert_str_eq(hs_field_msg(tab, F__MAX, &bad, msg, sizeof(msg)),
	    "This page does not take a field named \"evil\".");
	pairs_free(kv, 2);
}
END_TEST

/* Trimmed rows lose spaces and tabs around, in place, before limits. */
START_TEST(test_trim)
{
	static const struct hs_field tr[] = {
		{ .name = "q", .kind = HS_FIELD_TEXT,
		    .flags = HS_FIELD_TRIM | HS_FIELD_REQUIRED, .max = 3 },
	};
	struct hs_kv	 kv[1];
	struct hs_fval	 v[1];
	struct hs_fbad	 bad;

	pair(&kv[0], "q", " \tabc \t", 7);
	ck_assert_int_eq(hs_field_parse(kv, 1, tr, 1, 0, v, &bad),
	    HS_OK);
	ck_assert_str_eq(v[0].s, "abc");
	ck_assert_uint_eq(v[0].len, 3);
	pairs_free(kv, 1);
	pair(&kv[0], "q", "  \t ", 4);
	ck_assert_int_eq(hs_field_parse(kv, 1, tr, 1, 0, v, &bad),
	    HS_ENOTFOUND);
	pairs_free(kv, 1);
	pair(&kv[0], "q", " a b c ", 7);
	ck_assert_int_eq(hs_field_parse(kv, 1, tr, 1, 0, v, &bad),
	    HS_ETOOBIG);
	pairs_free(kv, 1);
}
END_TEST

/* Overlong values: at the parser's cap, and far past a row's max. */
START_TEST(test_overlong)
{
	static const struct hs_field big[] = {
		{ .name = "t", .kind = HS_FIELD_TEXT, .max = HS_MAX_FIELD },
		{ .name = "s", .kind = HS_FIELD_PATTERN, .min = 1, .max = 8,
		    .chars = "a" },
	};
	struct hs_kv	 kv[2];
	struct hs_fval	 v[2];
	struct hs_fbad	 bad;
	char		*s;

	s = malloc(HS_MAX_FIELD + 2);
	ck_assert_ptr_nonnull(s);
	memset(s, 'a', HS_MAX_FIELD + 1);
	pair(&kv[0], "t", s, HS_MAX_FIELD);
	pair(&kv[1], "s", s, HS_MAX_FIELD + 1);
	ck_assert_int_eq(hs_field_parse(kv, 1, big, 2, 0, v, &bad),
	    HS_OK);
	ck_assert_uint_eq(v[0].len, HS_MAX_FIELD);
	ck_assert_int_eq(hs_field_parse(kv, 2, big, 2, 0, v, &bad),
	    HS_ETOOBIG);
	ck_assert_uint_eq(bad.row, 1);
	pairs_free(kv, 2);
	pair(&kv[0], "t", s, HS_MAX_FIELD + 1);
	ck_assert_int_eq(hs_field_parse(kv, 1, big, 2, 0, v, &bad),
	    HS_ETOOBIG);
	ck_assert_uint_eq(bad.row, 0);
	pairs_free(kv, 1);
	free(s);
}
END_TEST

/*
 * Every error has a message naming the field by its label; a hint is
 * the message for a bad value only.
 */
START_TEST(test_messages)
{
	static const struct hs_field hinted[] = {
		{ .name = "t", .kind = HS_FIELD_INT, .max = 24,
		    .label = "Tables",
		    .hint = "Tables: a number from 0 to 24." },
	};
	char	 msg[256];

	ck_assert_str_eq(msgof(tab, F__MAX, F_INT, HS_EINVAL, msg,
	    sizeof(msg)), "The field \"Number\" must be a whole number "
	    "from -3 to 12.");
	ck_assert_str_eq(msgof(tab, F__MAX, F_TEXT, HS_ETOOBIG, msg,
	    sizeof(msg)), "The field \"Text\" is too long.");
	ck_assert_str_eq(msgof(tab, F__MAX, F_TEXT, HS_EUTF8, msg,
	    sizeof(msg)), "The field \"Text\" is not readable text.");
	ck_assert_str_eq(msgof(tab, F__MAX, F_TEXT, HS_EINVAL, msg,
	    sizeof(msg)), "The field \"Text\" is too short.");
	ck_assert_str_eq(msgof(tab, F__MAX, F_ENUM, HS_EINVAL, msg,
	    sizeof(msg)), "The field \"c\" has a value it cannot take.");
	ck_assert_str_eq(msgof(hinted, 1, 0, HS_EINVAL, msg,
	    sizeof(msg)), "Tables: a number from 0 to 24.");
	ck_assert_str_eq(msgof(hinted, 1, 0, HS_ETOOBIG, msg,
	    sizeof(msg)), "Tables: a number from 0 to 24.");
	ck_assert_str_eq(msgof(hinted, 1, 0, HS_EDUP, msg,
	    sizeof(msg)), "The field \"Tables\" was sent twice.");
	ck_assert_str_eq(msgof(hinted, 1, 0, HS_ENOTFOUND, msg,
	    sizeof(msg)), "Please fill in \"Tables\".");
	/* A small buffer truncates, never overflows. */
	ck_assert_str_eq(msgof(tab, F__MAX, F_SLUG, HS_EINVAL, msg,
	    8), "The fie");
}
END_TEST

static Suite *
field_suite(void)
{
	Suite	*s = suite_create("field");
	TCase	*tc = tcase_create("field");

	tcase_add_loop_test(tc, test_one, 0, (int)NELEM(one));
	tcase_add_test(tc, test_absent);
	tcase_add_test(tc, test_required);
	tcase_add_test(tc, test_repeated);
	tcase_add_test(tc, test_lax);
	tcase_add_test(tc, test_strict);
	tcase_add_test(tc, test_trim);
	tcase_add_test(tc, test_overlong);
	tcase_add_test(tc, test_messages);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{

	return hs_check_run(field_suite());
}
