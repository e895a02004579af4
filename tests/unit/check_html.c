/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * check_html.c: the escapers (HTML, JSON, CSV) and the templates.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"
#include "hs_check.h"
#include "hs_check_out.h"

static const struct {
	const char	*in;
	const char	*html;
	const char	*json;
	const char	*csv;
} rows[] = {
	{ "plain", "plain", "\"plain\"", "\"plain\"" },
	{ "<script>alert(1)</script>",
	  "&lt;script&gt;alert(1)&lt;/script&gt;",
	  "\"\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\"",
	  "\"<script>alert(1)</script>\"" },
	{ "\"><svg onload=x>", "&quot;&gt;&lt;svg onload=x&gt;",
	  "\"\\\"\\u003e\\u003csvg onload=x\\u003e\"",
	  "\"\"\"><svg onload=x>\"" },
	{ "it's & co", "it&#39;s &amp; co", "\"it's \\u0026 co\"",
	  "\"it's & co\"" },
	{ "=HYPERLINK(\"http://x\")", "=HYPERLINK(&quot;http://x&quot;)",
	  "\"=HYPERLINK(\\\"http://x\\\")\"",
	  "\"'=HYPERLINK(\"\"http://x\"\")\"" },
	{ "+1", "+1", "\"+1\"", "\"'+1\"" },
	{ "-2", "-2", "\"-2\"", "\"'-2\"" },
	{ "@SUM(A1)", "@SUM(A1)", "\"@SUM(A1)\"", "\"'@SUM(A1)\"" },
	{ "tab\there", "tab\there", "\"tab\\u0009here\"", "\"tab\there\"" },
	{ "line\r\nbreak", "line\r\nbreak", "\"line\\u000d\\u000abreak\"",
	  "\"line\r\nbreak\"" },
	{ "caf\xc3\xa9 \xf0\x9f\x8e\x89", "caf\xc3\xa9 \xf0\x9f\x8e\x89",
	  "\"caf\xc3\xa9 \xf0\x9f\x8e\x89\"",
	  "\"caf\xc3\xa9 \xf0\x9f\x8e\x89\"" },
	{ "back\\slash", "back\\slash", "\"back\\\\slash\"",
	  "\"back\\slash\"" },
	{ "", "", "\"\"", "\"\"" },
};

START_TEST(escapers_table)
{
	size_t	 i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		hs_buf_reset(&b);
		ck_assert_int_eq(hs_html_puts(&o, rows[i].in), HS_OK);
		ck_assert_msg(strcmp(hs_buf_str(&b), rows[i].html) == 0,
		    "html row %zu: %s", i, hs_buf_str(&b));
		hs_buf_reset(&b);
		ck_assert_int_eq(hs_json_puts(&o, rows[i].in), HS_OK);
		ck_assert_msg(strcmp(hs_buf_str(&b), rows[i].json) == 0,
		    "json row %zu: %s", i, hs_buf_str(&b));
		hs_buf_reset(&b);
		ck_assert_int_eq(hs_csv_puts(&o, rows[i].in), HS_OK);
		ck_assert_msg(strcmp(hs_buf_str(&b), rows[i].csv) == 0,
		    "csv row %zu: %s", i, hs_buf_str(&b));
	}
}
END_TEST

START_TEST(html_nul_and_printf)
{
	ck_assert_int_eq(hs_html_putsz(&o, "a\0<", 3), HS_OK);
	ck_assert_str_eq(hs_buf_str(&b), "a\xef\xbf\xbd&lt;");
	hs_buf_reset(&b);
	ck_assert_int_eq(hs_html_printf(&o, "%s=%d", "<b>", 5), HS_OK);
	ck_assert_str_eq(hs_buf_str(&b), "&lt;b&gt;=5");
	hs_buf_reset(&b);
	ck_assert_int_eq(hs_html_puts(&o, NULL), HS_OK);
	ck_assert_int_eq(hs_json_puts(&o, NULL), HS_OK);
	ck_assert_str_eq(hs_buf_str(&b), "null");
	hs_buf_reset(&b);
	/* Control bytes and DEL in JSON. */
	ck_assert_int_eq(hs_json_puts(&o, "\x01\x1f\x7f"), HS_OK);
	ck_assert_str_eq(hs_buf_str(&b), "\"\\u0001\\u001f\\u007f\"");
}
END_TEST

/*
 * The formatting writers (hs_vformat): all of a result or nothing, up
 * to each one's bound, and an empty result writes nothing.
 */
START_TEST(printf_bounds)
{
	struct hs_buf	 big;
	struct hs_out	 bo;
	char		*x;

	ck_assert_ptr_nonnull(x = malloc(HS_MAX_FIELD + 1));
	memset(x, 'x', HS_MAX_FIELD);
	x[HS_MAX_FIELD] = '\0';
	hs_buf_init(&big, 2 * HS_MAX_FIELD);
	hs_out_buf(&bo, &big);
	ck_assert_int_eq(hs_html_printf(&bo, "%.*s<", HS_MAX_FIELD - 1, x),
	    HS_OK);
	ck_assert_uint_eq(big.len, HS_MAX_FIELD - 1 + 4);
	ck_assert_str_eq(hs_buf_str(&big) + HS_MAX_FIELD - 1, "&lt;");
	hs_buf_reset(&big);
	ck_assert_int_eq(hs_html_printf(&bo, "%s<", x), HS_ETOOBIG);
	ck_assert_uint_eq(big.len, 0);
	ck_assert_int_eq(hs_out_printf(&bo, "%s<", x), HS_OK);
	ck_assert_uint_eq(big.len, HS_MAX_FIELD + 1);
	hs_buf_free(&big);
	free(x);
	ck_assert_int_eq(hs_out_printf(&o, "%s", ""), HS_OK);
	ck_assert_int_eq(hs_html_printf(&o, "%s", ""), HS_OK);
	SAYS("");
}
END_TEST

enum { K_NAME, K_ITEM, K__MAX };
static const char *const keys[K__MAX] = { "name", "item" };

static enum hs_err
cb(size_t key, const struct hs_out *out, void *arg)
{

	switch (key) {
	case K_NAME:
		return hs_html_puts(out, (const char *)arg);
	case K_ITEM:
		return hs_html_raw(out, "<li>x</li>");
	default:
		return HS_EINVAL;
	}
}

START_TEST(tmpl_expands_escaped)
{
	struct hs_tmpl	*t;
	const char	*src = "<p>@@name@@</p><ul>@@item@@</ul>@@name@@ end @@";

	ck_assert_int_eq(hs_tmpl_parse(&t, src, strlen(src), keys, K__MAX),
	    HS_OK);
	ck_assert_int_eq(hs_tmpl_render(t, &o, cb, "<i>&"), HS_OK);
	ck_assert_str_eq(hs_buf_str(&b), "<p>&lt;i&gt;&amp;</p><ul><li>x</li>"
	    "</ul>&lt;i&gt;&amp; end @@");
	hs_tmpl_free(t);
	hs_tmpl_free(NULL);
}
END_TEST

START_TEST(tmpl_unknown_marker_refused)
{
	struct hs_tmpl	*t = (struct hs_tmpl *)1;
	const char	*src = "a @@nope@@ b";

	ck_assert_int_eq(hs_tmpl_parse(&t, src, strlen(src), keys, K__MAX),
	    HS_ENOTFOUND);
	ck_assert_ptr_null(t);
	ck_assert_int_eq(hs_tmpl_load(&t, "/nonexistent", "x.html", keys,
	    K__MAX), HS_ENOTFOUND);
}
END_TEST

START_TEST(tmpl_writer_error_propagates)
{
	struct hs_tmpl	*t;
	struct hs_buf	 small;
	struct hs_out	 so;
	const char	*src = "0123456789@@name@@";

	hs_buf_init(&small, 12);
	hs_out_buf(&so, &small);
	ck_assert_int_eq(hs_tmpl_parse(&t, src, strlen(src), keys, K__MAX),
	    HS_OK);
	ck_assert_int_eq(hs_tmpl_render(t, &so, cb, "abc"), HS_ETOOBIG);
	hs_tmpl_free(t);
	hs_buf_free(&small);
}
END_TEST

/*
 * The engine's own markers, and the language chosen per request: in
 * English the msgids themselves; in German from the catalogue the build
 * compiled (po/de.po), switched back and forth in one process, as a
 * worker does between requests (the gettext cache must not keep the
 * other language); an unknown language is English.
 */
START_TEST(tmpl_translates_per_language)
{
	struct hs_tmpl	*t;
	const char	*src = "<html lang=\"@@lang@@\">@@t:Print@@ "
	    "@@t:Tom & Jerry@@ @@name@@";
	const char	*bd = getenv("top_builddir");
	char		 dir[1024], date[160];

	ck_assert_ptr_nonnull(bd);
	(void)snprintf(dir, sizeof(dir), "%s/po/locale", bd);
	hs_i18n_init(dir);
	ck_assert_int_eq(hs_tmpl_parse(&t, src, strlen(src), keys, K__MAX),
	    HS_OK);
	(void)hs_lang_set(NULL);
	ck_assert_int_eq(hs_tmpl_render(t, &o, cb, "x"), HS_OK);
	ck_assert_str_eq(hs_buf_str(&b), "<html lang=\"en\">Print "
	    "Tom &amp; Jerry x");
	ck_assert(hs_date_long("2026-06-01 18:00", date, sizeof(date)));
	ck_assert_str_eq(date, "Monday, June 1, 2026, 18:00");
	hs_buf_reset(&b);
	ck_assert_str_eq(hs_lang_set("de"), "en");
	ck_assert_int_eq(hs_tmpl_render(t, &o, cb, "x"), HS_OK);
	ck_assert_str_eq(hs_buf_str(&b), "<html lang=\"de\">Drucken "
	    "Tom &amp; Jerry x");
	ck_assert(hs_date_long("2026-06-01 18:00", date, sizeof(date)));
	ck_assert_str_eq(date, "Montag, 1. Juni 2026, 18:00 Uhr");
	ck_assert(!hs_date_long("2026-06-01", date, sizeof(date)));
	ck_assert_str_eq(date, "");
	(void)hs_lang_set("en");
	ck_assert_str_eq(_("Print"), "Print");
	(void)hs_lang_set("de");
	ck_assert_str_eq(_("Print"), "Drucken");
	(void)hs_lang_set("fr");
	ck_assert_str_eq(hs_lang(), "en");
	ck_assert_str_eq(_("Print"), "Print");
	ck_assert(hs_lang_ok("de") && !hs_lang_ok("fr") && !hs_lang_ok(NULL));
	hs_tmpl_free(t);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("html");
	TCase	*core = tcase_create("core"), *errors = tcase_create("errors");

	hs_check_out_fixture(core);
	hs_check_out_fixture(errors);
	tcase_add_test(core, escapers_table);
	tcase_add_test(core, html_nul_and_printf);
	tcase_add_test(core, printf_bounds);
	tcase_add_test(core, tmpl_expands_escaped);
	tcase_add_test(core, tmpl_translates_per_language);
	tcase_add_test(errors, tmpl_unknown_marker_refused);
	tcase_add_test(errors, tmpl_writer_error_propagates);
	suite_add_tcase(s, core);
	suite_add_tcase(s, errors);
	return s;
}

int
main(void)
{

	return hs_check_run(suite());
}
