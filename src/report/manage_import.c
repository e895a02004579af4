/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * manage_import.c: advocates or links pasted as CSV on the manage page,
 * in the columns of hearsay-admin's export.  A preview stores nothing;
 * an import saves every row as the form would (save_unit, its audit row
 * included) in one unit, and stores nothing if any row is refused,
 * unless only the good rows are asked for.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "hearsay.h"
#include "report.h"
#include "pages.h"
#include "manage.h"

#define IMPORT_ROWS	200	/* data rows of one import */
#define CSV_COLS	24	/* columns of an import */
#define CSV_RECORD	8192	/* bytes of one record */

/* The CSV column of each form field, where the names differ (the
 * columns of hearsay-admin's export and import). */
static const char *const csv_names[][2] = {
	{ "name", "display_name" },
	{ "dest", "destination" },
	{ "fallback", "fallback_url" },
};

/* Columns the command line imports and these pages do not. */
static const char *const csv_cli_only[] = { "event", "valid_from",
    "email", "email_hash", "email_key", "disabled" };

struct irow {
	int		 line;
	char		 key[80];
	char		 msg[240];	/* "" when the row is good */
};

/* One import: the CSV, and what became of each row. */
struct import {
	enum kind	 kind;
	const struct sess *s;
	const char	*csv;
	size_t		 csvsz;
	const char	*nonce;
	int		 apply;		/* 1: store; 0: preview */
	int		 goodonly;	/* 1: store the good rows only */
	size_t		 nstored;	/* out: rows stored */
	struct irow	 rows[IMPORT_ROWS];
	size_t		 nrows, nbad;
	int		 replay;
	const char	*fatal;		/* the whole file's fault */
	int		 toobig;
};

struct rowget {
	char		**head, **row;
	int		  nh, nr;
	char		  on[4];
};

static const char *
row_get(void *arg, const char *name)
{
	struct rowget	*g = arg;
	const char	*col = name, *v = NULL;
	size_t		 i;
	int		 j;

	for (i = 0; i < sizeof(csv_names) / sizeof(csv_names[0]); i++)
		if (strcmp(name, csv_names[i][0]) == 0)
			col = csv_names[i][1];
	for (j = 0; j < g->nh && j < g->nr; j++)
		if (strcmp(g->head[j], col) == 0)
			v = g->row[j];
	if (strcmp(name, "status") == 0 && (v == NULL || *v == '\0'))
		return "active";
	if (strcmp(name, "suggest") == 0 && v != NULL) {
		/* As hearsay-admin's --suggest: on, off and their kin. */
		if (strcasecmp(v, "on") == 0 || strcasecmp(v, "yes") == 0 ||
		    strcmp(v, "1") == 0 || strcasecmp(v, "true") == 0)
			return "on";
		if (*v == '\0' || strcasecmp(v, "off") == 0 ||
		    strcasecmp(v, "no") == 0 || strcmp(v, "0") == 0 ||
		    strcasecmp(v, "false") == 0)
			return "";
	}
	return v;
}

/* An import that stores: not a replay, and its audit row opened. */
static enum hs_err
import_begin(struct hs_db *db, struct import *im, long long *audit)
{
	char		 what[64];
	struct hs_dbparam p[5];
	struct change	 top;
	enum hs_err	 e;

	memset(&top, 0, sizeof(top));
	top.nonce = im->nonce;
	if ((e = manage_seen(db, &top)) != HS_OK) {
		im->replay = top.replay;
		return e;
	}
	(void)snprintf(what, sizeof(what), "%s.import", manage_kinds[im->kind]);
	p[0] = manage_ptext(im->s->name);
	p[1] = manage_ptext(what);
	p[2] = manage_ptext("CSV");
	p[3] = (struct hs_dbparam)HS_DBP_NULL;
	p[4] = manage_ptext(im->nonce);
	if ((e = hs_db_exec(db, M_AUDIT_ADD, p, 5, NULL)) != HS_OK) {
		im->replay = e == HS_EDUP;
		return e;
	}
	*audit = (long long)hs_db_insert_id(db, M_AUDIT_ADD);
	return HS_OK;
}

/*
 * 1 if the first line (nh columns) names the columns, the kind's key
 * (or a link's campaign) among them; else 0 with im->fatal set.
 */
static int
import_head(struct import *im, char **head, int nh)
{
	int		 j;

	if (nh <= 0) {
		im->fatal = "The first line must name the columns.";
		return 0;
	}
	for (j = 0; j < nh; j++)
		if (strcmp(head[j], manage_forms[im->kind].f[0].name) == 0 ||
		    (im->kind == K_LINK && strcmp(head[j], "campaign") == 0))
			break;
	if (j == nh) {
		im->fatal = im->kind == K_LINK ? "The first line must name "
		    "the columns, campaign among them." : "The first line "
		    "must name the columns, handle among them.";
		return 0;
	}
	return 1;
}

/*
 * Why a row is refused before its fields are read, into ir->msg: a
 * column only the command line imports, or a spreadsheet formula.
 */
static void
row_refusal(struct irow *ir, const struct rowget *g)
{
	size_t		 i;
	int		 j;

	for (j = 0; j < g->nr && j < g->nh; j++) {
		for (i = 0; i < sizeof(csv_cli_only) /
		    sizeof(csv_cli_only[0]); i++)
			if (strcmp(g->head[j], csv_cli_only[i]) == 0 &&
			    g->row[j][0] != '\0' &&
			    !(strcmp(g->head[j], "disabled") == 0 &&
			    strcmp(g->row[j], "0") == 0))
				(void)snprintf(ir->msg, sizeof(ir->msg),
				    "column %s: import it with hearsay-admin",
				    g->head[j]);
		if (g->row[j][0] != '\0' &&
		    strchr("=+@\t\r", g->row[j][0]) != NULL)
			(void)snprintf(ir->msg, sizeof(ir->msg),
			    "column %.40s: a spreadsheet formula, not a value",
			    g->head[j]);
	}
}

/*
 * One row saved as the form would save it, its audit row included (or
 * undone alone when only the good rows are stored); its name and what
 * became of it into ir.
 */
static enum hs_err
import_row(struct hs_db *db, struct import *im, struct irow *ir,
    struct rowget *g)
{
	static struct mform f;
	static struct change ch;
	const char	*key;
	enum hs_err	 e;

	row_refusal(ir, g);
	memset(&f, 0, sizeof(f));
	f.kind = im->kind;
	f.bad = -1;
	if (ir->msg[0] == '\0' && form_read(&f, row_get, g)) {
		memset(&ch, 0, sizeof(ch));
		ch.f = &f;
		ch.s = im->s;
		ch.op = "save";
		/* Only the good rows: each refused row is undone alone
		 * (its audit row too), the others kept. */
		if (im->goodonly && (e = hs_db_exec(db, M_SAVEPOINT, NULL, 0,
		    NULL)) != HS_OK)
			return e;
		e = save_unit(db, &ch);
		if (e != HS_OK && e != HS_EINVAL)
			return e;
		if (e == HS_EINVAL && im->goodonly &&
		    (e = hs_db_exec(db, M_SAVEPOINT_BACK, NULL, 0, NULL)) !=
		    HS_OK)
			return e;
	}
	key = f.v[0][0] != '\0' ? f.v[0] :
	    row_get(g, manage_forms[im->kind].f[0].name);
	(void)snprintf(ir->key, sizeof(ir->key), "%.*s",
	    (int)sizeof(ir->key) - 1, key != NULL ? key : "");
	if (ir->msg[0] == '\0' && f.why != NULL)
		(void)snprintf(ir->msg, sizeof(ir->msg), "%s: %s",
		    f.bad >= 0 ? manage_forms[im->kind].f[f.bad].name : "row",
		    f.why);
	if (ir->msg[0] != '\0')
		im->nbad++;
	return HS_OK;
}

/*
 * After the rows: a preview or a refused row rolls the whole back
 * (HS_EINVAL, unless only the good rows are stored); else the audit row
 * says how many rows were stored.
 */
static enum hs_err
import_end(struct hs_db *db, struct import *im, long long audit)
{
	char		 what[64];
	struct hs_dbparam p[2];

	if (im->nrows == 0) {
		im->fatal = "There is no row under the first line.";
		return HS_EINVAL;
	}
	if (!im->apply || (im->nbad > 0 && !im->goodonly) ||
	    im->nbad == im->nrows)
		return HS_EINVAL;
	im->nstored = im->nrows - im->nbad;
	if (im->nbad > 0)
		(void)snprintf(what, sizeof(what), "%zu rows, %zu refused",
		    im->nstored, im->nbad);
	else
		(void)snprintf(what, sizeof(what), "%zu rows", im->nrows);
	p[0] = manage_ptext(what);
	p[1] = (struct hs_dbparam)HS_DBP_INT(audit);
	return hs_db_exec(db, M_AUDIT_AFTER, p, 2, NULL);
}

/*
 * The unit of an import: every row as the form would save it, its audit
 * row included; any bad row, or a preview, rolls the whole back
 * (HS_EINVAL), so nothing is stored unless every row is good.
 */
static enum hs_err
import_unit(struct hs_db *db, void *arg)
{
	struct import	*im = arg;
	static char	 hbuf[CSV_RECORD], rbuf[CSV_RECORD];
	char		*head[CSV_COLS], *row[CSV_COLS];
	struct hs_csvin	 in;
	struct rowget	 g;
	struct irow	*ir;
	long long	 audit = 0;
	enum hs_err	 e;
	int		 nh, nr, line = 1;

	im->nrows = im->nbad = im->nstored = 0;
	im->replay = 0;
	im->fatal = NULL;
	if (im->apply && (e = import_begin(db, im, &audit)) != HS_OK)
		return e;
	hs_csv_mem(&in, im->csv, im->csvsz);
	nh = hs_csv_record(&in, hbuf, sizeof(hbuf), head, CSV_COLS);
	if (!import_head(im, head, nh))
		return HS_EINVAL;
	while ((nr = hs_csv_record(&in, rbuf, sizeof(rbuf), row, CSV_COLS)) !=
	    0) {
		line++;
		if (nr == 1 && row[0][0] == '\0')
			continue;
		if (im->nrows == IMPORT_ROWS) {
			im->fatal = "Too many rows: import at most 200 at a "
			    "time.";
			im->toobig = 1;
			return HS_EINVAL;
		}
		ir = &im->rows[im->nrows++];
		memset(ir, 0, sizeof(*ir));
		ir->line = line;
		if (nr < 0) {
			(void)snprintf(ir->msg, sizeof(ir->msg), "malformed "
			    "CSV (a quote left open, or too long)");
			im->nbad++;
			break;
		}
		g.head = head;
		g.nh = nh;
		g.row = row;
		g.nr = nr;
		if ((e = import_row(db, im, ir, &g)) != HS_OK)
			return e;
	}
	return import_end(db, im, audit);
}

/* What the last preview or import found: a line, and its rows. */
static void
import_result_html(struct hw *w, const struct import *im)
{
	char		 line[16];
	size_t		 i;

	if (im->fatal != NULL) {
		hw_raw(w, "<p class=\"error\" role=\"alert\">");
		hw_text(w, im->fatal);
		hw_raw(w, " Nothing was stored.</p>");
	} else if (im->nstored > 0) {
		hw_raw(w, "<p class=\"notice\" role=\"status\">");
		hw_textf(w, "%zu rows imported. %zu rows are refused (below) "
		    "and were not stored.", im->nstored, im->nbad);
		hw_raw(w, "</p>");
	} else if (im->nbad > 0 && !im->apply && im->goodonly &&
	    im->nbad < im->nrows) {
		hw_raw(w, "<p class=\"error\" role=\"alert\">");
		hw_textf(w, "Preview: %zu of %zu rows are refused (below). "
		    "Importing with only the good rows stores the other %zu.",
		    im->nbad, im->nrows, im->nrows - im->nbad);
		hw_raw(w, "</p>");
	} else if (im->nbad > 0) {
		hw_raw(w, "<p class=\"error\" role=\"alert\">");
		hw_textf(w, "%zu of %zu rows are refused (below); nothing was "
		    "stored. Correct them and import again.", im->nbad,
		    im->nrows);
		hw_raw(w, "</p>");
	} else {
		hw_raw(w, "<p class=\"notice\" role=\"status\">");
		hw_textf(w, "Preview: the %zu rows are good; nothing is "
		    "stored until you import.", im->nrows);
		hw_raw(w, "</p>");
	}
	if (im->nrows == 0)
		return;
	hw_raw(w, "<div class=\"tablewrap\" tabindex=\"0\"><table "
	    "class=\"import\"><caption class=\"visually-"
	    "hidden\">Rows of the CSV</caption><thead><tr>"
	    "<th scope=\"col\">Line</th><th scope=\"col\">"
	    "Name</th><th scope=\"col\">Result</th></tr>"
	    "</thead><tbody>");
	for (i = 0; i < im->nrows; i++) {
		(void)snprintf(line, sizeof(line), "%d", im->rows[i].line);
		hw_open(w, "tr", "class", im->rows[i].msg[0] != '\0' ? "bad" :
		    NULL, (char *)NULL);
		hw_elem(w, "td", line, (char *)NULL);
		hw_elem(w, "td", im->rows[i].key, "class", "text",
		    (char *)NULL);
		hw_elem(w, "td", im->rows[i].msg[0] != '\0' ?
		    im->rows[i].msg : "good", "class", "text", (char *)NULL);
		hw_raw(w, "</tr>\n");
	}
	hw_raw(w, "</tbody></table></div>\n");
}

/* The import form, and what the last preview or import found. */
void
import_html(struct hw *w, struct mview *mv)
{
	const struct import *im = mv->imp;
	const char	*sel = hs_html_bare;

	hw_raw(w, "<section aria-labelledby=\"h-import\"><h2 id=\"h-import\">"
	    "Import from CSV</h2>\n");
	if (im != NULL)
		import_result_html(w, im);
	hw_raw(w, "<form method=\"post\" action=\"/admin/manage/save\" "
	    "class=\"manage\" id=\"form-import\" novalidate>");
	manage_hidden(w, mv->s);
	hw_raw(w, "<p><label for=\"import-kind\">What</label><select "
	    "id=\"import-kind\" name=\"kind\">");
	hw_elem(w, "option", "Advocates", "value", "advocate", "selected",
	    im != NULL && im->kind == K_ADVOCATE ? sel : NULL, (char *)NULL);
	hw_elem(w, "option", "Links", "value", "link", "selected",
	    im != NULL && im->kind == K_LINK ? sel : NULL, (char *)NULL);
	hw_raw(w, "</select></p><p><label for=\"import-csv\">CSV, the first "
	    "line naming the columns</label><textarea id=\"import-csv\" "
	    "name=\"csv\" rows=\"6\" aria-describedby=\"import-hint\">");
	hw_text(w, im != NULL ? im->csv : NULL);
	hw_raw(w, "</textarea><span class=\"hint\" id=\"import-hint\">the "
	    "columns of hearsay-admin's export: advocates handle, "
	    "display_name, aliases, tier, status, suggest; links campaign, "
	    "code, advocate, channel, label, destination, utm_source ... "
	    "utm_term, valid_until, fallback_url. ");
	hw_textf(w, "At most %d rows and 16 kB; ", IMPORT_ROWS);
	hw_raw(w, "nothing is stored if any row is refused, unless you tick "
	    "the box below.</span></p><p>");
	hw_void(w, "input", "type", "checkbox", "id", "import-goodonly",
	    "name", "goodonly", "value", "on", "checked",
	    im != NULL && im->goodonly ? sel : NULL, (char *)NULL);
	hw_raw(w, " <label for=\"import-goodonly\">Store only the good rows "
	    "when some are refused (the refused ones are listed)</label>"
	    "</p><p class=\"buttons\"><button type=\"submit\" name=\"op\" "
	    "value=\"preview\">Preview</button> <button type=\"submit\" "
	    "name=\"op\" value=\"import\">Import</button></p></form>"
	    "</section>\n");
}

/* The import's fields: the CSV pasted, and the box to keep the good. */
enum { IF_CSV, IF_GOODONLY, IF__MAX };
static const struct hs_field import_fields[IF__MAX] = {
	/* IF_CSV: read row by row by import_unit */
	{ .name = "csv", .kind = HS_FIELD_TEXT, .max = HS_MAX_FIELD,
	    .label = "CSV" },
	/* IF_GOODONLY */
	{ .name = "goodonly", .kind = HS_FIELD_BOOL, .flags = HS_FIELD_LAX },
};

/* POST /admin/manage/save with op preview or import. */
void
manage_import(struct report *rp, struct hs_req *r, const struct sess *s,
    enum kind k, const char *op, const char *once)
{
	static struct import im;
	struct mview	 mv;
	struct hs_db	*db;
	struct hs_fval	 v[IF__MAX];
	struct hs_fbad	 bad;
	char		 to[96];
	enum hs_err	 e;

	memset(&im, 0, sizeof(im));
	if (k == K_CAMPAIGN || hs_field_parse(r->form, r->formsz,
	    import_fields, IF__MAX, 0, v, &bad) != HS_OK || !v[IF_CSV].set) {
		(void)hs_http_error(r, 400, "Import advocates or links, "
		    "pasted as CSV.");
		return;
	}
	if ((db = manage_db(rp)) == NULL) {
		manage_unavailable(r);
		return;
	}
	im.kind = k;
	im.s = s;
	im.csv = v[IF_CSV].s;
	im.csvsz = v[IF_CSV].len;
	im.nonce = once;
	im.apply = strcmp(op, "import") == 0;
	im.goodonly = v[IF_GOODONLY].set;
	e = hs_db_unit(db, import_unit, &im);
	if (e == HS_OK && im.nbad > 0) {
		/* Stored the good rows: the page lists the refused. */
		hs_log(HS_LOG_INFO, "manage: %zu %ss imported, %zu refused, "
		    "by user %lld", im.nstored, manage_kinds[k], im.nbad,
		    s->user_id);
		goto page;
	}
	if (e == HS_OK) {
		hs_log(HS_LOG_INFO, "manage: %zu %ss imported by user %lld",
		    im.nrows, manage_kinds[k], s->user_id);
		(void)snprintf(to, sizeof(to), "/admin/manage?imported=%zu",
		    im.nrows);
		rpt_ignore(hs_http_redirect(r, 303, to));
		return;
	}
	if (im.replay) {
		rpt_ignore(hs_http_redirect(r, 303, "/admin/manage"));
		return;
	}
	if (e != HS_EINVAL) {
		manage_unavailable(r);
		return;
	}
page:
	memset(&mv, 0, sizeof(mv));
	mv.rp = rp;
	mv.s = s;
	mv.db = db;
	mv.imp = &im;
	if (page_render(rp, r, im.toobig ? 413 : im.nstored > 0 ? 200 :
	    im.fatal != NULL || im.nbad > 0 ? 400 : 200, s, "Manage",
	    manage_body, &mv) != HS_OK)
		hs_log(HS_LOG_INFO, "manage: page not sent in full");
}
