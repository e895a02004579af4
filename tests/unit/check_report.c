/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * check_report.c: Check units for hearsay-report's pure parts: the SVG
 * charts (accessible names, escaping, gaps, shapes) and the table model
 * written as HTML, CSV (formula injection) and JSON, all rendered into
 * an hs_buf.  The agreement statistics are core's (check_metrics.c).
 */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"
#include "report.h"

#define HS_CHECK_OUT_MAX (1024 * 1024)	/* a whole chart or table */
#include "hs_check_out.h"

/* Returns how often needle occurs in hay. */
static size_t
count(const char *hay, const char *needle)
{
	size_t	 n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

static const char *const days[4] = {
	"2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04",
};

START_TEST(svg_line_is_accessible_and_escaped)
{
	double		 a[4] = { 0.1, 0.2, 0.3, 0.25 };
	double		 c[4] = { 0.5, 0.5, 0.5, 0.5 };
	struct svg_series s[2] = { { "tracked <b>", a }, { "reported", c } };
	struct svg_chart ch = { "ch1", "Share <of> \"users\"",
	    "desc & more", days, 4, s, 2, 1 };
	const char	*p;

	ck_assert_int_eq(svg_line(&o, &ch), HS_OK);
	p = hs_buf_str(&b);
	ck_assert_ptr_nonnull(strstr(p, "role=\"img\""));
	ck_assert_ptr_nonnull(strstr(p, "aria-labelledby=\"ch1-t ch1-d\""));
	ck_assert_ptr_nonnull(strstr(p, "<title id=\"ch1-t\">Share &lt;of&gt; "
	    "&quot;users&quot;</title>"));
	ck_assert_ptr_nonnull(strstr(p, "<desc id=\"ch1-d\">desc &amp; more"
	    "</desc>"));
	ck_assert_ptr_nonnull(strstr(p, "tracked &lt;b&gt;"));
	ck_assert_ptr_null(strstr(p, "<b>"));
	ck_assert_ptr_null(strstr(p, "style="));
	ck_assert_ptr_null(strstr(p, "<script"));
	ck_assert_uint_eq(count(p, "<polyline"), 2);
	/* y axis of a share is in per cent, up to a nice 50 %. */
	ck_assert_ptr_nonnull(strstr(p, ">50%</text>"));
	ck_assert_uint_eq(count(p, "</svg>"), 1);
}
END_TEST

START_TEST(svg_line_breaks_at_gaps)
{
	double		 a[4] = { 1, NAN, 2, 3 };
	struct svg_series s[1] = { { "x", a } };
	struct svg_chart ch = { "g", "t", "d", days, 4, s, 1, 0 };

	ck_assert_int_eq(svg_line(&o, &ch), HS_OK);
	ck_assert_uint_eq(count(hs_buf_str(&b), "<polyline"), 2);
}
END_TEST

START_TEST(svg_line_single_point)
{
	double		 a[1] = { 4 };
	struct svg_series s[1] = { { "x", a } };
	struct svg_chart ch = { "g", "t", "d", days, 1, s, 1, 0 };

	ck_assert_int_eq(svg_line(&o, &ch), HS_OK);
	ck_assert_uint_eq(count(hs_buf_str(&b), "<circle"), 1);
}
END_TEST

START_TEST(svg_stacked_draws_positive_values)
{
	double		 a[4] = { 1, 0, 2, -1 };
	double		 c[4] = { 3, 3, NAN, 1 };
	struct svg_series s[2] = { { "agree", a }, { "disagree", c } };
	struct svg_chart ch = { "st", "Stacked", "d", days, 4, s, 2, 0 };
	const char	*p;

	ck_assert_int_eq(svg_stacked(&o, &ch), HS_OK);
	p = hs_buf_str(&b);
	/* 2 bars of a, 3 of c, plus 2 legend swatches. */
	ck_assert_uint_eq(count(p, "<rect"), 7);
	ck_assert_uint_eq(count(p, "<g fill="), 2);
	ck_assert_ptr_nonnull(strstr(p, ">agree</text>"));
}
END_TEST

/*
 * The x labels: six on a desktop, and on a phone (report.css hides
 * "wide", shows "narrow") the first, the middle and the last; the middle
 * only where it clears both ends at the phone's size.
 */
START_TEST(svg_xaxis_thins_for_phones)
{
	static char	 lab[31][11];
	const char	*x[31];
	double		 a[31];
	struct svg_series s[1] = { { "x", a } };
	struct svg_chart ch = { "xa", "t", "d", x, 31, s, 1, 0 };
	const char	*p;
	size_t		 i;

	for (i = 0; i < 31; i++) {
		(void)snprintf(lab[i], sizeof(lab[i]), "2026-01-%02zu", i + 1);
		x[i] = lab[i];
		a[i] = (double)i;
	}
	ck_assert_int_eq(svg_line(&o, &ch), HS_OK);
	p = hs_buf_str(&b);
	ck_assert_uint_eq(count(p, "class=\"ax x\"") +
	    count(p, "class=\"ax x wide\""), 6);
	ck_assert_uint_eq(count(p, "class=\"ax x\"") +
	    count(p, "class=\"ax x narrow\""), 3);
	ck_assert_ptr_nonnull(strstr(p, "class=\"ax x narrow\" x=\"394.0\""));
	hs_buf_reset(&b);
	ch.n = 4;
	ck_assert_int_eq(svg_line(&o, &ch), HS_OK);
	p = hs_buf_str(&b);
	ck_assert_uint_eq(count(p, "class=\"ax x\""), 2);
	ck_assert_uint_eq(count(p, "class=\"ax x wide\""), 2);
	ck_assert_uint_eq(count(p, "narrow"), 0);
}
END_TEST

START_TEST(svg_heatmap_cells_and_labels)
{
	const char	*rows[2] = { "friend", "<x>" };
	long long	 cells[4] = { 7, 1, 0, 3 };
	const char	*p;

	ck_assert_int_eq(svg_heatmap(&o, "hm", "Matrix", "d", rows, 2, rows,
	    2, cells), HS_OK);
	p = hs_buf_str(&b);
	ck_assert_uint_eq(count(p, "<rect"), 4);
	ck_assert_ptr_nonnull(strstr(p, ">7</text>"));
	ck_assert_ptr_nonnull(strstr(p, "&lt;x&gt;"));
	ck_assert_ptr_null(strstr(p, "<x>"));
}
END_TEST

static const struct rtcol cols[3] = {
	{ "name", "Name", 0 },
	{ "n", "Count", 1 },
	{ "kappa", "Kappa", 1 },
};

/* A table with hostile text, a negative number and a null. */
static void
fill(struct rtable *t)
{

	rt_init(t, "demo", "Demo <table>", cols, 3, 10);
	ck_assert_int_eq(rt_put(t, "=HYPERLINK(\"http://evil\",\"x\")"), HS_OK);
	ck_assert_int_eq(rt_printf(t, "%d", 3), HS_OK);
	ck_assert_int_eq(rt_put(t, "-0.125"), HS_OK);
	ck_assert_int_eq(rt_put(t, "<script>alert(1)</script>"), HS_OK);
	ck_assert_int_eq(rt_put(t, "0"), HS_OK);
	ck_assert_int_eq(rt_put(t, NULL), HS_OK);
	ck_assert_uint_eq(rt_rows(t), 2);
}

START_TEST(table_csv_defuses_formulas)
{
	struct rtable	 t;

	fill(&t);
	ck_assert_int_eq(rt_csv(&o, &t), HS_OK);
	ck_assert_str_eq(hs_buf_str(&b), "\"name\",\"n\",\"kappa\"\r\n"
	    "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",3,-0.125\r\n"
	    "\"<script>alert(1)</script>\",0,\r\n");
	rt_free(&t);
}
END_TEST

START_TEST(table_json_escapes)
{
	struct rtable	 t;
	const char	*p;

	fill(&t);
	ck_assert_int_eq(rt_json(&o, &t), HS_OK);
	p = hs_buf_str(&b);
	ck_assert_ptr_nonnull(strstr(p, "{\"table\":\"demo\",\"columns\":"
	    "[\"name\",\"n\",\"kappa\"],\"rows\":["));
	ck_assert_ptr_nonnull(strstr(p, "\"name\":\"\\u003cscript\\u003e"));
	ck_assert_ptr_nonnull(strstr(p, "\"kappa\":-0.125}"));
	ck_assert_ptr_nonnull(strstr(p, "\"kappa\":null}"));
	ck_assert_ptr_null(strstr(p, "<script"));
	rt_free(&t);
}
END_TEST

START_TEST(table_html_escapes)
{
	struct rtable	 t;
	const char	*p;

	fill(&t);
	ck_assert_int_eq(rt_html(&o, &t), HS_OK);
	p = hs_buf_str(&b);
	ck_assert_ptr_nonnull(strstr(p, "<caption>Demo &lt;table&gt;"
	    "</caption>"));
	ck_assert_ptr_nonnull(strstr(p, "&lt;script&gt;alert(1)"));
	ck_assert_ptr_null(strstr(p, "<script"));
	ck_assert_ptr_nonnull(strstr(p, "<td class=\"num\">-0.125</td>"));
	rt_free(&t);
}
END_TEST

START_TEST(table_limits)
{
	struct rtable	 t;

	rt_init(&t, "x", NULL, cols, 3, 1);
	ck_assert_int_eq(rt_put(&t, "a"), HS_OK);
	ck_assert_int_eq(rt_put(&t, "1"), HS_OK);
	ck_assert_int_eq(rt_put(&t, "2"), HS_OK);
	ck_assert_int_eq(rt_put(&t, "b"), HS_ETOOBIG);
	ck_assert_ptr_null(rt_cell(&t, 1, 0));
	ck_assert_str_eq(rt_cell(&t, 0, 0), "a");
	rt_free(&t);
	rt_init(&t, "x", NULL, cols, 3, 5);
	ck_assert_int_eq(rt_html(&o, &t), HS_OK);
	ck_assert_ptr_nonnull(strstr(hs_buf_str(&b), "No data"));
	rt_free(&t);
}
END_TEST

static Suite *
report_suite(void)
{
	Suite	*s = suite_create("report");
	TCase	*svg = tcase_create("svg"), *tab = tcase_create("table");

	hs_check_out_fixture(svg);
	tcase_add_test(svg, svg_line_is_accessible_and_escaped);
	tcase_add_test(svg, svg_line_breaks_at_gaps);
	tcase_add_test(svg, svg_line_single_point);
	tcase_add_test(svg, svg_stacked_draws_positive_values);
	tcase_add_test(svg, svg_xaxis_thins_for_phones);
	tcase_add_test(svg, svg_heatmap_cells_and_labels);
	suite_add_tcase(s, svg);
	hs_check_out_fixture(tab);
	tcase_add_test(tab, table_csv_defuses_formulas);
	tcase_add_test(tab, table_json_escapes);
	tcase_add_test(tab, table_html_escapes);
	tcase_add_test(tab, table_limits);
	suite_add_tcase(s, tab);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(report_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
