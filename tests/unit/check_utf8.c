/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * check_utf8.c: tables of valid and invalid byte strings for the strict
 * UTF-8 validator, one row per rule (overlongs, surrogates, range, NUL,
 * BOM, controls, truncation), with the boundaries on both sides.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"
#include "hs_check.h"

struct row {
	const char	*s;
	size_t		 len;	/* 0: strlen(s) */
	const char	*why;
};

#define S(x)	x, sizeof(x) - 1

static const struct row good[] = {
	{ S(""), "empty" },
	{ S("hello"), "ASCII" },
	{ S("tab\there"), "TAB" },
	{ S("two\r\nlines\n"), "CR LF" },
	{ S(" ~"), "first and last printable ASCII" },
	{ S("\xc2\x80"), "U+0080, first 2-byte" },
	{ S("caf\xc3\xa9"), "e acute" },
	{ S("\xdf\xbf"), "U+07FF, last 2-byte" },
	{ S("\xe0\xa0\x80"), "U+0800, first 3-byte" },
	{ S("\xe2\x82\xac"), "euro sign" },
	{ S("\xed\x9f\xbf"), "U+D7FF, before surrogates" },
	{ S("\xee\x80\x80"), "U+E000, after surrogates" },
	{ S("\xef\xbb\xbe"), "U+FEFE, next to the BOM" },
	{ S("\xef\xbf\xbd"), "U+FFFD replacement character" },
	{ S("\xef\xbf\xbf"), "U+FFFF, last 3-byte" },
	{ S("\xf0\x90\x80\x80"), "U+10000, first 4-byte" },
	{ S("\xf0\x9f\x98\x80"), "emoji U+1F600" },
	{ S("\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd"), "emoji with skin tone" },
	{ S("\xf4\x8f\xbf\xbf"), "U+10FFFF, last code point" },
	{ S("\xd0\x90\xef\xbc\xa1"), "Cyrillic A, fullwidth A" },
};

static const struct row bad[] = {
	{ S("a\0b"), "NUL inside" },
	{ S("\0"), "NUL alone" },
	{ S("\x01"), "SOH" },
	{ S("\x1b[31m"), "ESC" },
	{ S("\x1f"), "US, last C0" },
	{ S("\x7f"), "DEL" },
	{ S("\x0b"), "VT" },
	{ S("\x80"), "stray continuation" },
	{ S("\xbf"), "stray last continuation" },
	{ S("\xc0\xaf"), "overlong slash" },
	{ S("\xc0\x80"), "overlong NUL (Java's modified UTF-8)" },
	{ S("\xc1\xbf"), "overlong U+007F" },
	{ S("\xe0\x80\xaf"), "3-byte overlong slash" },
	{ S("\xe0\x9f\xbf"), "3-byte overlong U+07FF" },
	{ S("\xf0\x80\x80\xaf"), "4-byte overlong slash" },
	{ S("\xf0\x8f\xbf\xbf"), "4-byte overlong U+FFFF" },
	{ S("\xed\xa0\x80"), "U+D800, first surrogate" },
	{ S("\xed\xbf\xbf"), "U+DFFF, last surrogate" },
	{ S("\xed\xa0\xbd\xed\xb8\x80"), "CESU-8 surrogate pair" },
	{ S("\xf4\x90\x80\x80"), "U+110000" },
	{ S("\xf5\x80\x80\x80"), "F5 lead" },
	{ S("\xf8\x88\x80\x80\x80"), "5-byte form" },
	{ S("\xfc\x84\x80\x80\x80\x80"), "6-byte form" },
	{ S("\xfe"), "FE" },
	{ S("\xff"), "FF" },
	{ S("\xe2\x82"), "truncated euro" },
	{ S("abc\xe2"), "lead byte at the end" },
	{ S("\xf0\x9f\x98"), "truncated emoji" },
	{ S("\xe2\x28\xa1"), "bad second byte" },
	{ S("\xe2\x82\x28"), "bad third byte" },
	{ S("\xc3\xc3"), "lead where continuation due" },
	{ S("\xef\xbb\xbf"), "BOM alone" },
	{ S("a\xef\xbb\xbf" "b"), "BOM inside" },
};

START_TEST(test_good)
{
	const struct row *r = &good[_i];

	ck_assert_msg(hs_utf8_valid(r->s, r->len) == 1, "%s", r->why);
}
END_TEST

START_TEST(test_bad)
{
	const struct row *r = &bad[_i];

	ck_assert_msg(hs_utf8_valid(r->s, r->len) == 0, "%s", r->why);
}
END_TEST

/* The length is what counts, not a NUL terminator. */
START_TEST(test_len)
{

	ck_assert_int_eq(hs_utf8_valid("ab\xff", 2), 1);
	ck_assert_int_eq(hs_utf8_valid("\xe2\x82\xac", 2), 0);
	ck_assert_int_eq(hs_utf8_valid(NULL, 0), 1);
	ck_assert_int_eq(hs_utf8_valid(NULL, 1), 0);
}
END_TEST

/* Every single byte: exactly the printable ASCII and TAB, LF, CR pass. */
START_TEST(test_bytes)
{
	char	 c;
	int	 i, want;

	for (i = 0; i < 256; i++) {
		c = (char)i;
		want = (i >= 0x20 && i < 0x7f) || i == '\t' || i == '\n' ||
		    i == '\r';
		ck_assert_msg(hs_utf8_valid(&c, 1) == want, "byte %02x", i);
	}
}
END_TEST

/* Every code point, encoded here independently, against the rules. */
START_TEST(test_all_code_points)
{
	unsigned char	 b[4];
	unsigned long	 cp;
	size_t		 n;
	int		 want;

	for (cp = 0x80; cp <= 0x10ffff; cp++) {
		if (cp < 0x800) {
			b[0] = 0xc0 | cp >> 6;
			b[1] = 0x80 | (cp & 0x3f);
			n = 2;
		} else if (cp < 0x10000) {
			b[0] = 0xe0 | cp >> 12;
			b[1] = 0x80 | ((cp >> 6) & 0x3f);
			b[2] = 0x80 | (cp & 0x3f);
			n = 3;
		} else {
			b[0] = 0xf0 | cp >> 18;
			b[1] = 0x80 | ((cp >> 12) & 0x3f);
			b[2] = 0x80 | ((cp >> 6) & 0x3f);
			b[3] = 0x80 | (cp & 0x3f);
			n = 4;
		}
		want = !(cp >= 0xd800 && cp <= 0xdfff) && cp != 0xfeff;
		if (hs_utf8_valid((char *)b, n) != want)
			ck_abort_msg("U+%04lX", cp);
		/* Cut short, never valid. */
		if (hs_utf8_valid((char *)b, n - 1) != 0)
			ck_abort_msg("truncated U+%04lX", cp);
	}
}
END_TEST

/* A long valid run, then one bad byte at the very end. */
START_TEST(test_long)
{
	char	*s;
	size_t	 i, len = 3 * 100000;

	s = malloc(len + 1);
	ck_assert_ptr_nonnull(s);
	for (i = 0; i < len; i += 3)
		memcpy(s + i, "\xe2\x82\xac", 3);
	ck_assert_int_eq(hs_utf8_valid(s, len), 1);
	s[len] = '\x80';
	ck_assert_int_eq(hs_utf8_valid(s, len + 1), 0);
	free(s);
}
END_TEST

/* Characters, not bytes: what a length limit people read counts. */
START_TEST(test_chars)
{

	ck_assert_uint_eq(hs_utf8_chars(""), 0);
	ck_assert_uint_eq(hs_utf8_chars("abc"), 3);
	ck_assert_uint_eq(hs_utf8_chars("caf\xc3\xa9"), 4);
	ck_assert_uint_eq(hs_utf8_chars("\xe2\x82\xac\xf0\x9f\x98\x80"), 2);
}
END_TEST

static Suite *
utf8_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("utf8");

	tc = tcase_create("core");
	tcase_add_loop_test(tc, test_good, 0, sizeof(good) / sizeof(good[0]));
	tcase_add_test(tc, test_len);
	tcase_add_test(tc, test_chars);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_test(tc, test_bytes);
	tcase_add_test(tc, test_all_code_points);
	tcase_add_test(tc, test_long);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_loop_test(tc, test_bad, 0, sizeof(bad) / sizeof(bad[0]));
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{

	return hs_check_run(utf8_suite());
}
