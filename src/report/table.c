/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * table.c: one model for every table of the report -- rows of strings
 * with typed columns -- and its three renderings: the HTML table under
 * each chart, the CSV download and the JSON download.  Every number an
 * analyst sees can be checked against a download because all three come
 * from the same cells.  Text cells are escaped for their target (HTML
 * entities; CSV quoting plus the formula-injection apostrophe of
 * hs_csv_puts; JSON string escapes).  Number cells are written as they
 * are because this program formatted them; a NULL cell is empty in HTML
 * and CSV and null in JSON.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"
#include "report.h"

#define RT_CELL_MAX	1024	/* bytes in one formatted cell */

/* Starts an empty table of at most max rows; cols must outlive it. */
void
rt_init(struct rtable *t, const char *name, const char *caption,
    const struct rtcol *cols, size_t ncols, size_t max)
{

	memset(t, 0, sizeof(*t));
	t->name = name;
	t->caption = caption;
	t->cols = cols;
	t->ncols = ncols;
	t->max = max;
}

/* Frees every cell; the table can be reused after rt_init. */
void
rt_free(struct rtable *t)
{
	size_t	 i;

	if (t == NULL)
		return;
	for (i = 0; i < t->ncells; i++)
		free(t->cells[i]);
	free(t->cells);
	t->cells = NULL;
	t->ncells = t->cap = 0;
}

/* Returns the number of complete rows. */
size_t
rt_rows(const struct rtable *t)
{

	return t->ncols == 0 ? 0 : t->ncells / t->ncols;
}

/* Returns the cell at row r, column c, or NULL. */
const char *
rt_cell(const struct rtable *t, size_t r, size_t c)
{

	if (c >= t->ncols || r * t->ncols + c >= t->ncells)
		return NULL;
	return t->cells[r * t->ncols + c];
}

/*
 * Appends the next cell (rows fill left to right); s NULL is a null.
 * Returns HS_OK, HS_ETOOBIG past the row limit, or HS_ENOMEM.
 */
enum hs_err
rt_put(struct rtable *t, const char *s)
{
	char	**p, *c = NULL;
	size_t	 ncap;

	if (t->ncols == 0 || t->ncells / t->ncols >= t->max)
		return HS_ETOOBIG;
	if (t->ncells == t->cap) {
		ncap = t->cap == 0 ? 64 : t->cap * 2;
		if ((p = hs_xreallocarray(t->cells, ncap, sizeof(*p))) == NULL)
			return HS_ENOMEM;
		t->cells = p;
		t->cap = ncap;
	}
	if (s != NULL && (c = hs_xstrdup(s)) == NULL)
		return HS_ENOMEM;
	t->cells[t->ncells++] = c;
	return HS_OK;
}

/* hs_vformat's put for rt_printf: arg is the table. */
static enum hs_err
cell(const char *s, size_t len, void *arg)
{

	return rt_put(arg, s);
}

/* As rt_put, with a formatted cell (at most RT_CELL_MAX bytes). */
enum hs_err
rt_printf(struct rtable *t, const char *fmt, ...)
{
	va_list		 ap;
	enum hs_err	 e;

	va_start(ap, fmt);
	e = hs_vformat(RT_CELL_MAX, cell, t, fmt, ap);
	va_end(ap);
	return e;
}

/*
 * Writes the table as HTML: a caption, a header row with scoped th, and
 * numbers right-aligned (class "num").  An empty table says so in one
 * row rather than showing nothing.
 */
enum hs_err
rt_html(const struct hs_out *o, const struct rtable *t)
{
	size_t		 r, c, nrows = rt_rows(t);
	enum hs_err	 e;

	/* The box scrolls (a long table, a phone): tabindex lets a
	 * keyboard reach and scroll it too. */
	if ((e = hs_html_raw(o, "<div class=\"tablewrap\" tabindex=\"0\">"
	    "<table>")) != HS_OK)
		return e;
	if (t->caption != NULL &&
	    ((e = hs_html_raw(o, "<caption>")) != HS_OK ||
	    (e = hs_html_puts(o, t->caption)) != HS_OK ||
	    (e = hs_html_raw(o, "</caption>")) != HS_OK))
		return e;
	if ((e = hs_html_raw(o, "<thead><tr>")) != HS_OK)
		return e;
	for (c = 0; c < t->ncols; c++)
		if ((e = hs_html_raw(o, t->cols[c].num ?
		    "<th scope=\"col\" class=\"num\">" : "<th scope=\"col\">"))
		    != HS_OK || (e = hs_html_puts(o, t->cols[c].label))
		    != HS_OK || (e = hs_html_raw(o, "</th>")) != HS_OK)
			return e;
	if ((e = hs_html_raw(o, "</tr></thead><tbody>")) != HS_OK)
		return e;
	if (nrows == 0 && ((e = hs_out_printf(o, "<tr><td colspan=\"%zu\" "
	    "class=\"muted\">", t->ncols)) != HS_OK ||
	    (e = hs_html_raw(o, "No data for this selection.</td></tr>"))
	    != HS_OK))
		return e;
	for (r = 0; r < nrows; r++) {
		if ((e = hs_html_raw(o, "<tr>")) != HS_OK)
			return e;
		for (c = 0; c < t->ncols; c++) {
			char	 url[512];
			int	 link = t->href != NULL &&
			    rt_cell(t, r, c) != NULL &&
			    t->href(t, r, c, url, sizeof(url));

			if ((e = hs_html_raw(o, t->cols[c].num ?
			    "<td class=\"num\">" : "<td>")) != HS_OK ||
			    (link && ((e = hs_html_raw(o, "<a href=\"")) !=
			    HS_OK || (e = hs_html_puts(o, url)) != HS_OK ||
			    (e = hs_html_raw(o, "\">")) != HS_OK)) ||
			    (e = hs_html_puts(o, rt_cell(t, r, c))) != HS_OK ||
			    (link && (e = hs_html_raw(o, "</a>")) != HS_OK) ||
			    (e = hs_html_raw(o, "</td>")) != HS_OK)
				return e;
		}
		if ((e = hs_html_raw(o, "</tr>")) != HS_OK)
			return e;
	}
	return hs_html_raw(o, "</tbody></table></div>\n");
}

/*
 * Writes the table as CSV (RFC 4180, CRLF): a header of column keys,
 * then the rows.  Text goes through hs_csv_puts, which quotes and
 * defuses formulas; numbers are written bare so a spreadsheet reads
 * them as numbers (a negative kappa must not gain an apostrophe).
 */
enum hs_err
rt_csv(const struct hs_out *o, const struct rtable *t)
{
	size_t		 r, c, nrows = rt_rows(t);
	const char	*v;
	enum hs_err	 e;

	for (c = 0; c < t->ncols; c++)
		if ((c > 0 && (e = hs_out_puts(o, ",")) != HS_OK) ||
		    (e = hs_csv_puts(o, t->cols[c].key)) != HS_OK)
			return e;
	if ((e = hs_out_puts(o, "\r\n")) != HS_OK)
		return e;
	for (r = 0; r < nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			v = rt_cell(t, r, c);
			if (c > 0 && (e = hs_out_puts(o, ",")) != HS_OK)
				return e;
			if (t->cols[c].num)
				e = hs_out_puts(o, v != NULL ? v : "");
			else
				e = hs_csv_puts(o, v);
			if (e != HS_OK)
				return e;
		}
		if ((e = hs_out_puts(o, "\r\n")) != HS_OK)
			return e;
	}
	return HS_OK;
}

/*
 * Writes the table as one JSON object: {"table": name, "columns":
 * [keys], "rows": [{key: value}, ...]}.  Numbers bare, text escaped by
 * hs_json_puts, NULL as null.
 */
enum hs_err
rt_json(const struct hs_out *o, const struct rtable *t)
{
	size_t		 r, c, nrows = rt_rows(t);
	const char	*v;
	enum hs_err	 e;

	if ((e = hs_out_puts(o, "{\"table\":")) != HS_OK ||
	    (e = hs_json_puts(o, t->name)) != HS_OK ||
	    (e = hs_out_puts(o, ",\"columns\":[")) != HS_OK)
		return e;
	for (c = 0; c < t->ncols; c++)
		if ((c > 0 && (e = hs_out_puts(o, ",")) != HS_OK) ||
		    (e = hs_json_puts(o, t->cols[c].key)) != HS_OK)
			return e;
	if ((e = hs_out_puts(o, "],\"rows\":[")) != HS_OK)
		return e;
	for (r = 0; r < nrows; r++) {
		if ((e = hs_out_puts(o, r > 0 ? ",\n{" : "\n{")) != HS_OK)
			return e;
		for (c = 0; c < t->ncols; c++) {
			v = rt_cell(t, r, c);
			if ((c > 0 && (e = hs_out_puts(o, ",")) != HS_OK) ||
			    (e = hs_json_puts(o, t->cols[c].key)) != HS_OK ||
			    (e = hs_out_puts(o, ":")) != HS_OK)
				return e;
			if (v == NULL)
				e = hs_out_puts(o, "null");
			else if (t->cols[c].num)
				e = hs_out_puts(o, v);
			else
				e = hs_json_puts(o, v);
			if (e != HS_OK)
				return e;
		}
		if ((e = hs_out_puts(o, "}")) != HS_OK)
			return e;
	}
	return hs_out_puts(o, "]}\n");
}
