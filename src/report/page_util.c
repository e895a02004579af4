/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * page_util.c: what every page family shares: dates and the
 * range a request selects, the page layout, downloads (CSV and JSON as
 * attachments), section headings and key figures, the 503 of a page.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hearsay.h"
#include "report.h"
#include "pages.h"

/* Sort keys of the advocates table: the allowlist. */
const char *const sorts[NSORTS] = {
	"tracked", "implicit", "signups", "flagged", "name",
};

/* ------------------------------------------------------------ dates */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
long
days_from_civil(long y, unsigned m, unsigned d)
{
	long		 era;
	unsigned	 yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

/* Writes day (days since 1970-01-01) as YYYY-MM-DD. */
void
fmt_day(long z, char out[11])
{
	long		 era, y;
	unsigned	 doe, yoe, doy, mp, d, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = (long)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	{
		char	 tmp[32];

		(void)snprintf(tmp, sizeof(tmp), "%04ld-%02u-%02u", y, m, d);
		memcpy(out, tmp, 10);
		out[10] = '\0';
	}
}

/*
 * Parses exactly YYYY-MM-DD, a real calendar day from 2000 to 2999.
 * Returns 1 with *day set, or 0.
 */
int
parse_day(const char *s, long *day)
{
	unsigned	 y, m, d, i;
	char		 back[11];

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	y = (unsigned)atoi(s);
	m = (unsigned)atoi(s + 5);
	d = (unsigned)atoi(s + 8);
	if (y < 2000 || y > 2999 || m < 1 || m > 12 || d < 1 || d > 31)
		return 0;
	*day = days_from_civil((long)y, m, d);
	fmt_day(*day, back);	/* 2026-02-31 comes back as March */
	return strcmp(back, s) == 0;
}

/* ------------------------------------------------------------ helpers */

/*
 * Looks up a single-valued query field as a one-row field table (any
 * text up to HS_MAX_FIELD bytes): 1 found, 0 absent, -1 sent twice or
 * not text (the page answers 400).
 */
int
qget(const struct hs_req *r, const char *key, const char **v)
{
	struct hs_field	 f[1];
	struct hs_fval	 fv[1];
	struct hs_fbad	 bad;

	*v = NULL;
	memset(f, 0, sizeof(f));
	f[0].name = key;
	f[0].kind = HS_FIELD_TEXT;
	f[0].max = HS_MAX_FIELD;
	if (hs_field_parse(r->qv, r->qvsz, f, 1, 0, fv, &bad) != HS_OK)
		return -1;
	*v = fv[0].s;
	return fv[0].set;
}

/* Percentage of a in b with one decimal, or NULL (printed as null). */
enum hs_err
put_pct(struct rtable *t, long long a, long long b)
{

	if (b <= 0)
		return rt_put(t, NULL);
	return rt_printf(t, "%.1f", 100.0 * (double)a / (double)b);
}

/* A statistic with three decimals, or NULL when it is not a number. */
enum hs_err
put_stat(struct rtable *t, double v, double scale, int prec)
{

	if (!isfinite(v))
		return rt_put(t, NULL);
	return rt_printf(t, "%.*f", prec, v * scale);
}

/*
 * Validates from, to, campaign and sort against the session's scope.
 * Returns 0, or an HTTP status with *msg set: 400 (malformed), 403
 * (another campaign than the analyst's), 404 (no such campaign), 503.
 */
int
parse_range(struct report *rp, const struct hs_req *r, const struct sess *s,
    struct range *rg, const char **msg)
{
	const char	*f, *t, *c, *so;
	long		 d0, d1, today;
	char		*end;
	size_t		 i;
	int		 hf, ht, hc, hs, have = 0;
	struct hs_dbparam p[1] = { HS_DBP_INT(0) };
	struct hs_dbcol	 col = { HS_DB_INT, 0, NULL, 0, 0, 0, 0 };

	memset(rg, 0, sizeof(*rg));
	*msg = "The selection could not be read.";
	if ((hf = qget(r, "from", &f)) < 0 || (ht = qget(r, "to", &t)) < 0 ||
	    (hc = qget(r, "campaign", &c)) < 0 ||
	    (hs = qget(r, "sort", &so)) < 0)
		return 400;
	today = (long)(time(NULL) / 86400);
	d1 = today;
	if (ht && *t != '\0' && !parse_day(t, &d1)) {
		*msg = "The end date must be a day written YYYY-MM-DD.";
		return 400;
	}
	d0 = d1 - (RANGE_DEFAULT - 1);
	if (hf && *f != '\0' && !parse_day(f, &d0)) {
		*msg = "The start date must be a day written YYYY-MM-DD.";
		return 400;
	}
	if (d0 > d1 || d1 - d0 + 1 > RANGE_MAX) {
		*msg = "The start date must come before the end date, and a "
		    "range can be two years at most.";
		return 400;
	}
	rg->day0 = d0;
	rg->ndays = (size_t)(d1 - d0 + 1);
	fmt_day(d0, rg->from);
	fmt_day(d1, rg->to);
	fmt_day(d1 + 1, rg->next);
	rg->sort = sorts[0];
	if (hs && *so != '\0') {
		for (i = 0; i < NSORTS; i++)
			if (strcmp(so, sorts[i]) == 0)
				break;
		if (i == NSORTS) {
			*msg = "Unknown sort order.";
			return 400;
		}
		rg->sort = sorts[i];
	}
	rg->campaign = s->campaign;
	if (hc && *c != '\0') {
		if (c[0] < '1' || c[0] > '9' || strlen(c) > 18 ||
		    strspn(c, "0123456789") != strlen(c)) {
			*msg = "The campaign must be a campaign number.";
			return 400;
		}
		rg->campaign = strtoll(c, &end, 10);
		if (s->campaign != 0 && rg->campaign != s->campaign) {
			*msg = "You can see only your own campaign.";
			return 403;
		}
		p[0].i = rg->campaign;
		if (hs_db_query(rp->ro, STMT_CAMPAIGN_HAS, p, 1, &col, 1) !=
		    HS_OK) {
			*msg = "The report database is not available.";
			return 503;
		}
		if (hs_db_fetch(rp->ro, STMT_CAMPAIGN_HAS, &have) != HS_OK)
			have = 0;
		hs_db_end(rp->ro, STMT_CAMPAIGN_HAS);
		if (!have || col.i == 0) {
			*msg = "There is no such campaign.";
			return 404;
		}
	}
	return 0;
}

/* ------------------------------------------------------------ output */

struct pageview {
	struct report	*rp;
	const struct sess *s;
	const char	*title;
	enum hs_err	(*body)(const struct hs_out *, void *);
	void		*arg;
};

/*
 * The line every page opens with: when the numbers were reconciled and
 * up to when they count signups, so that today (and any day after the
 * last run) reads as partial.
 */
static enum hs_err
freshness(struct report *rp, const struct hs_out *o)
{
	char		 done[20], upto[20];
	struct hs_dbcol	 c[2] = { HS_DBC_TEXT(done), HS_DBC_TEXT(upto) };
	struct hw	 w;
	int		 have = 0;

	if (hs_db_row(rp->ro, STMT_FRESHNESS, NULL, 0, c, 2, &have) != HS_OK)
		have = 0;	/* the page still helps without it */
	hw_init(&w, o);
	hw_open(&w, "p", "class", "freshness", (char *)NULL);
	if (have && !c[0].isnull)
		hw_textf(&w, "Reconciled at %s UTC; covers signups up to %s "
		    "UTC. Later days, today included, are partial until "
		    "the next run.", done, upto);
	else
		hw_text(&w, "Not reconciled yet: the numbers fill in after "
		    "the first run of hearsay-reconcile.");
	hw_close(&w, "p");
	return w.e;
}

static enum hs_err
page_cb(size_t key, const struct hs_out *o, void *arg)
{
	struct pageview	*v = arg;
	enum hs_err	 e;

	switch (key) {
	case PKEY_TITLE:
		return hs_html_puts(o, v->title);
	case PKEY_USER:
		return hs_html_puts(o, v->s->name);
	case PKEY_CSRF:
		return hs_html_puts(o, v->s->csrf);
	case PKEY_BODY:
		if ((e = freshness(v->rp, o)) != HS_OK)
			return e;
		return v->body(o, v->arg);
	default:
		return HS_EINVAL;
	}
}

/*
 * Writes a page of the layout with status code; body writes the main
 * part.  Returns HS_OK or the first write error.
 */
enum hs_err
page_render(struct report *rp, struct hs_req *r, int code,
    const struct sess *s, const char *title,
    enum hs_err (*body)(const struct hs_out *, void *), void *arg)
{
	struct pageview	 v = { rp, s, title, body, arg };
	enum hs_err	 e;

	if ((e = hs_http_open(r, code, "text/html")) != HS_OK ||
	    r->method == HS_METHOD_HEAD)
		return e;
	return hs_tmpl_render(rp->tpl[TPL_PAGE], &r->out, page_cb, &v);
}

/*
 * Writes a download of table t: CSV or JSON as an attachment whose name
 * is a constant of this program (the table's name), never input.
 */
void
download(struct hs_req *r, const struct rtable *t, int json)
{
	char	 cd[128];

	(void)snprintf(cd, sizeof(cd), "attachment; filename=\"hearsay-%s.%s\"",
	    t->name, json ? "json" : "csv");
	if (hs_http_header(r, "Content-Disposition", cd) != HS_OK ||
	    hs_http_open(r, 200, json ? "application/json" : "text/csv") !=
	    HS_OK || r->method == HS_METHOD_HEAD)
		return;
	if ((json ? rt_json(&r->out, t) : rt_csv(&r->out, t)) != HS_OK)
		hs_log(HS_LOG_INFO, "download: client went away");
}

/*
 * As download, for a table of a range: the file name carries the range
 * (hearsay-TABLE-FROM-to-TO.EXT), and a CSV starts with a UTF-8 byte
 * order mark, which spreadsheet programs need to read accented names
 * as UTF-8 rather than in the machine's legacy code page.
 */
void
download_range(struct hs_req *r, const struct rtable *t, int json,
    const struct range *rg)
{
	char	 cd[160];

	(void)snprintf(cd, sizeof(cd), "attachment; filename=\"hearsay-%s-%s-"
	    "to-%s.%s\"", t->name, rg->from, rg->to, json ? "json" : "csv");
	if (hs_http_header(r, "Content-Disposition", cd) != HS_OK ||
	    hs_http_open(r, 200, json ? "application/json" : "text/csv") !=
	    HS_OK || r->method == HS_METHOD_HEAD)
		return;
	if ((!json && hs_out_puts(&r->out, "\xef\xbb\xbf") != HS_OK) ||
	    (json ? rt_json(&r->out, t) : rt_csv(&r->out, t)) != HS_OK)
		hs_log(HS_LOG_INFO, "download: client went away");
}

/* ?format= and ?table= of a page with downloads; 0 1 2 as returned. */
static const char *const formats[] = { "html", "csv", "json", NULL };
enum { FMT_FORMAT, FMT_TABLE, FMT__MAX };
static const struct hs_field format_fields[FMT__MAX] = {
	/* FMT_FORMAT */
	{ .name = "format", .kind = HS_FIELD_ENUM, .list = formats },
	/* FMT_TABLE */
	{ .name = "table", .kind = HS_FIELD_TEXT, .max = HS_MAX_FIELD },
};

/*
 * Reads format and table.  Returns 0 for the page, 1 for CSV, 2 for
 * JSON with *which set to the table index (from names[n]), or -1 (400).
 */
int
parse_format(const struct hs_req *r, const char *const *names, size_t n,
    size_t *which)
{
	struct hs_fval	 v[FMT__MAX];
	struct hs_fbad	 bad;
	int		 kind;

	if (hs_field_parse(r->qv, r->qvsz, format_fields, FMT__MAX, 0, v,
	    &bad) != HS_OK)
		return -1;
	if ((kind = (int)v[FMT_FORMAT].i) == 0)
		return 0;	/* html, or none */
	if (!v[FMT_TABLE].set && n == 1) {
		*which = 0;
		return kind;
	}
	if (!v[FMT_TABLE].set)
		return -1;
	for (*which = 0; *which < n; (*which)++)
		if (strcmp(v[FMT_TABLE].s, names[*which]) == 0)
			return kind;
	return -1;
}

/* Writes a query string for the range with extra (constant) appended. */
enum hs_err
range_link(const struct hs_out *o, const struct range *rg, const char *extra)
{
	char	 q[160];

	if (rg->campaign)
		(void)snprintf(q, sizeof(q), "/admin/?from=%s&to=%s&campaign="
		    "%lld&sort=%s%s", rg->from, rg->to, rg->campaign,
		    rg->sort, extra);
	else
		(void)snprintf(q, sizeof(q), "/admin/?from=%s&to=%s&sort=%s%s",
		    rg->from, rg->to, rg->sort, extra);
	return hs_html_puts(o, q);
}

/* The CSV and JSON links of a table. */
enum hs_err
downloads(const struct hs_out *o, const struct range *rg, const char *name)
{
	char		 x[64];
	enum hs_err	 e;

	(void)snprintf(x, sizeof(x), "&table=%s&format=csv", name);
	if ((e = hs_html_raw(o, "<p class=\"downloads\">Download: <a href=\""))
	    != HS_OK || (e = range_link(o, rg, x)) != HS_OK ||
	    (e = hs_html_raw(o, "\">CSV</a> \xc2\xb7 <a href=\"")) != HS_OK)
		return e;
	(void)snprintf(x, sizeof(x), "&table=%s&format=json", name);
	if ((e = range_link(o, rg, x)) != HS_OK)
		return e;
	return hs_html_raw(o, "\">JSON</a></p>\n");
}

/*
 * A key figure for the summary list: its label, value (with id; a link
 * to the signups it counts if href is not NULL), a one-line plain
 * definition, and the previous period's figure if any.
 */
enum hs_err
kpi(const struct hs_out *o, const char *label, const char *value,
    const char *id, const char *def, const char *prev, const char *href)
{
	struct hw	 w;

	hw_init(&w, o);
	hw_open(&w, "div", (char *)NULL);
	hw_elem(&w, "dt", label, (char *)NULL);
	if (href != NULL) {
		hw_open(&w, "dd", "id", id, (char *)NULL);
		hw_elem(&w, "a", value, "href", href, (char *)NULL);
		hw_close(&w, "dd");
	} else
		hw_elem(&w, "dd", value, "id", id, (char *)NULL);
	if (prev != NULL)
		hw_elem(&w, "dd", prev, "class", "prev", (char *)NULL);
	hw_elem(&w, "dd", def, "class", "def", (char *)NULL);
	hw_close(&w, "div");
	return w.e;
}

void
fmt_pct(char *b, size_t sz, long long a, long long n)
{

	if (n <= 0)
		(void)snprintf(b, sz, "\xe2\x80\x94");	/* em dash */
	else
		(void)snprintf(b, sz, "%.1f%%", 100.0 * (double)a / (double)n);
}

void
fmt_stat(char *b, size_t sz, double v)
{

	if (!isfinite(v))
		(void)snprintf(b, sz, "\xe2\x80\x94");
	else
		(void)snprintf(b, sz, "%.3f", v);
}

/* A section heading with an id for the table of contents. */
enum hs_err
section(const struct hs_out *o, const char *id, const char *title,
    const char *note)
{
	enum hs_err	 e;

	if ((e = hs_html_raw(o, "<section id=\"")) != HS_OK ||
	    (e = hs_html_puts(o, id)) != HS_OK ||
	    (e = hs_html_raw(o, "\"><h2>")) != HS_OK ||
	    (e = hs_html_puts(o, title)) != HS_OK ||
	    (e = hs_html_raw(o, "</h2>")) != HS_OK)
		return e;
	if (note != NULL && ((e = hs_html_raw(o, "<p class=\"muted\">")) !=
	    HS_OK || (e = hs_html_puts(o, note)) != HS_OK ||
	    (e = hs_html_raw(o, "</p>")) != HS_OK))
		return e;
	return HS_OK;
}

/* Answers a database failure of a page. */
void
unavailable(struct hs_req *r)
{

	if (hs_http_header(r, "Retry-After", "5") == HS_OK)
		(void)hs_http_error(r, 503, "The report database is not "
		    "available; try again shortly.");
}
