/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * manage.c: the program managed in the browser (issue 18).  An admin
 * (users.role = 'admin') creates, edits, disables and re-enables
 * campaigns, advocates, links and events under /admin/manage; an
 * analyst gets a 403 page that says why.  /admin/account lets every
 * user change their password and end every session of theirs
 * (manage_account.c).  This file holds the page, its routes and its
 * lists; manage.h says where the rest lives.
 *
 * The rules are the command line's: a destination or fallback is checked
 * with hs_dest_valid against the campaign's allowed hosts (core dest.c,
 * the same call hearsay-admin and hearsay-link make), handles and slugs
 * are [a-z0-9._-], codes canonical Crockford base32.  Every change runs
 * in one transaction that first inserts its audit_log row (who, what,
 * the object before, sql/130) keyed by the form's random nonce, then
 * changes the object, then writes the object after into the same row:
 * a form sent twice meets the nonce's unique key and changes nothing.
 * A change of a link or campaign moves counters.links_version in the
 * same transaction, and hearsay-link's helper snapshots at once.
 *
 * A refused value re-renders the form with what was typed and the
 * reason beside the field (400, or 409 for a name taken).  The pages use
 * their own database handle with their own statements (the read-write
 * user), opened on first use in each worker.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hearsay.h"
#include "report.h"
#include "manage.h"

#define AUDIT_SHOWN	50	/* audit rows on the page */
#define CLICK_DAYS	90	/* days of a link's or advocate's clicks */

/* The writer of every manage file (struct w): markup as it is. */
void
raw(struct w *w, const char *s)
{

	if (w->e == HS_OK)
		w->e = hs_html_raw(w->o, s);
}

/* Text, escaped. */
void
esc(struct w *w, const char *s)
{

	if (w->e == HS_OK)
		w->e = hs_html_puts(w->o, s != NULL ? s : "");
}

/* Raw printf: numbers and the manage files' constants only. */
void
fmt(struct w *w, const char *f, ...)
{
	struct hs_buf	 b;
	va_list		 ap;

	if (w->e != HS_OK)
		return;
	hs_buf_init(&b, HS_MAX_FIELD);
	va_start(ap, f);
	w->e = hs_buf_vprintf(&b, f, ap);
	va_end(ap);
	if (w->e == HS_OK)
		w->e = hs_html_raw(w->o, hs_buf_str(&b));
	hs_buf_free(&b);
}

/* A table of the objects of one kind, each a link to its edit form. */
static void
list_html(struct w *w, struct hs_db *db, enum kind k)
{
	static const size_t st[K__MAX] = { M_CAMP_LIST, M_ADV_LIST,
	    M_LINK_LIST, M_EV_LIST };
	static const char *const heads[K__MAX] = {
	    "<th scope=\"col\">Slug</th><th scope=\"col\">Name</th>"
	    "<th scope=\"col\">Allowed hosts</th><th scope=\"col\">State</th>",
	    "<th scope=\"col\">Handle</th><th scope=\"col\">Name</th>"
	    "<th scope=\"col\">Status</th>",
	    "<th scope=\"col\">Code</th><th scope=\"col\">Campaign</th>"
	    "<th scope=\"col\">Advocate</th><th scope=\"col\">Destination</th>"
	    "<th scope=\"col\">State</th>",
	    "<th scope=\"col\">Slug</th><th scope=\"col\">Name</th>"
	    "<th scope=\"col\">Campaign</th><th scope=\"col\">Host</th>"
	    "<th scope=\"col\">State</th>" };
	char		 a[RPT_TEXT_MAX], b[RPT_TEXT_MAX], c3[RPT_TEXT_MAX],
			 d[RPT_TEXT_MAX];
	struct hs_dbparam p[1] = { HS_DBP_INT(LIST_MAX) };
	struct hs_dbcol	 c[5] = { HS_DBC_TEXT(a), HS_DBC_TEXT(b),
			    HS_DBC_TEXT(c3), HS_DBC_TEXT(d), HS_DBC_INT };
	int		 wide = k == K_LINK || k == K_EVENT;
	size_t		 nc = wide ? 5 : k == K_CAMPAIGN ? 4 : 3;
	int		 have, rows = 0;

	if (k == K_CAMPAIGN)
		c[3] = (struct hs_dbcol)HS_DBC_INT;
	fmt(w, "<div class=\"tablewrap\" tabindex=\"0\"><table "
	    "class=\"manage\"><caption class=\"visually-hidden\">All %ss"
	    "</caption><thead><tr>", kinds[k]);
	raw(w, heads[k]);
	raw(w, "</tr></thead><tbody>");
	if (w->e != HS_OK ||
	    (w->e = hs_db_query(db, st[k], p, 1, c, nc)) != HS_OK)
		return;
	while (w->e == HS_OK &&
	    (w->e = hs_db_fetch(db, st[k], &have)) == HS_OK && have) {
		rows++;
		fmt(w, "<tr><td><a href=\"/admin/manage?%s=", kinds[k]);
		esc(w, a);
		raw(w, "\">");
		esc(w, a);
		raw(w, "</a></td><td class=\"text\">");
		esc(w, b);
		if (k != K_ADVOCATE) {
			raw(w, "</td><td class=\"text\">");
			esc(w, c3);
		}
		raw(w, "</td><td class=\"text\">");
		if (wide) {
			esc(w, d);
			raw(w, "</td><td>");
		}
		if (k == K_ADVOCATE)
			esc(w, c3);
		else
			raw(w, c[nc - 1].i ? "disabled" : "enabled");
		raw(w, "</td></tr>\n");
	}
	hs_db_end(db, st[k]);
	if (w->e == HS_OK && rows == 0)
		fmt(w, "<tr><td colspan=\"%zu\" class=\"muted\">None yet."
		    "</td></tr>", k == K_ADVOCATE ? (size_t)3 : nc);
	raw(w, "</tbody></table></div>\n");
}

/* The latest audit rows: who, when, what, before and after. */
static void
audit_html(struct w *w, struct hs_db *db)
{
	static char	 before[DESC_MAX], after[DESC_MAX];
	char		 at[32], user[RPT_NAME_MAX + 1], act[40],
			 obj[RPT_TEXT_MAX];
	struct hs_dbparam p[1] = { HS_DBP_INT(AUDIT_SHOWN) };
	struct hs_dbcol	 c[6] = { HS_DBC_TEXT(at), HS_DBC_TEXT(user),
			    HS_DBC_TEXT(act), HS_DBC_TEXT(obj),
			    HS_DBC_TEXT(before), HS_DBC_TEXT(after) };
	int		 have, rows = 0;

	raw(w, "<section aria-labelledby=\"h-audit\"><h2 id=\"h-audit\">"
	    "Audit trail</h2><div class=\"tablewrap\" tabindex=\"0\"><table "
	    "class=\"audit\"><caption class=\"visually-hidden\">The latest "
	    "changes, newest first</caption><thead><tr>"
	    "<th scope=\"col\">When (UTC)</th>"
	    "<th scope=\"col\">Who</th><th scope=\"col\">What</th>"
	    "<th scope=\"col\">Before</th><th scope=\"col\">After</th>"
	    "</tr></thead><tbody>");
	if (w->e != HS_OK ||
	    (w->e = hs_db_query(db, M_AUDIT_LIST, p, 1, c, 6)) != HS_OK)
		return;
	while (w->e == HS_OK &&
	    (w->e = hs_db_fetch(db, M_AUDIT_LIST, &have)) == HS_OK && have) {
		rows++;
		raw(w, "<tr><td>");
		esc(w, at);
		raw(w, "</td><td>");
		esc(w, user);
		raw(w, "</td><td class=\"text\">");
		esc(w, act);
		raw(w, " ");
		esc(w, obj);
		raw(w, "</td><td class=\"text pre\">");
		esc(w, before);
		raw(w, "</td><td class=\"text pre\">");
		esc(w, after);
		raw(w, "</td></tr>\n");
	}
	hs_db_end(db, M_AUDIT_LIST);
	if (w->e == HS_OK && rows == 0)
		raw(w, "<tr><td colspan=\"5\" class=\"muted\">No change "
		    "yet.</td></tr>");
	raw(w, "</tbody></table></div></section>\n");
}

/* One link's or advocate's clicks per day: people, QR scans, bots. */
static void
clicks_html(struct w *w, struct hs_db *db, enum kind k, const char *key)
{
	char		 day[16];
	struct hs_dbparam p[2] = { HS_DBP_TEXT(key), HS_DBP_INT(CLICK_DAYS) };
	struct hs_dbcol	 c[4] = { HS_DBC_TEXT(day), HS_DBC_INT,
			    HS_DBC_INT,
			    HS_DBC_INT };
	size_t		 st = k == K_LINK ? M_CLICKS_LINK : M_CLICKS_ADV;
	int		 have, rows = 0;

	raw(w, "<section aria-labelledby=\"h-clicks\"><h2 id=\"h-clicks\">"
	    "Clicks over time</h2><div class=\"tablewrap\" "
	    "tabindex=\"0\"><table "
	    "class=\"clicks\"><caption class=\"visually-hidden\">Clicks "
	    "per day</caption><thead><tr><th scope=\"col\">Day (UTC)</th>"
	    "<th scope=\"col\" class=\"num\">People (link)</th>"
	    "<th scope=\"col\" class=\"num\">People (QR scan)</th>"
	    "<th scope=\"col\" class=\"num\">Bots</th></tr></thead><tbody>");
	if (w->e != HS_OK || (w->e = hs_db_query(db, st, p, 2, c, 4)) != HS_OK)
		return;
	while (w->e == HS_OK &&
	    (w->e = hs_db_fetch(db, st, &have)) == HS_OK && have) {
		rows++;
		raw(w, "<tr><td>");
		esc(w, day);
		fmt(w, "</td><td class=\"num\">%lld</td><td class=\"num\">"
		    "%lld</td><td class=\"num\">%lld</td></tr>\n", c[1].i,
		    c[2].i, c[3].i);
	}
	hs_db_end(db, st);
	if (w->e == HS_OK && rows == 0)
		raw(w, "<tr><td colspan=\"4\" class=\"muted\">No click "
		    "yet.</td></tr>");
	fmt(w, "</tbody></table></div><p class=\"muted\">The last %d days "
	    "with clicks, newest first; the hourly load adds new ones.</p>"
	    "</section>\n", CLICK_DAYS);
}

enum hs_err
manage_body(const struct hs_out *o, void *arg)
{
	struct mview	*mv = arg;
	struct w	 w = { o, HS_OK };
	static struct mform blank;
	size_t		 k;

	if (mv->denied) {
		raw(&w, "<h1>Managing needs an admin</h1>\n<p role=\"alert\">"
		    "Your account can read the "
		    "report and review texts, but only a user with the "
		    "admin role, for every campaign, can create or change "
		    "campaigns, advocates and links. Ask an admin, or whoever "
		    "runs "
		    "<kbd>hearsay-admin user add --role admin</kbd>.</p>\n"
		    "<p><a href=\"/admin/\">Back to the overview</a></p>\n");
		return w.e;
	}
	raw(&w, "<h1>Manage the program</h1>\n<p class=\"muted\">A new or "
	    "changed link or campaign is live for redirects at once. Every "
	    "change is kept in the audit trail below.</p>\n");
	if (mv->notice != NULL) {
		raw(&w, "<p class=\"notice\" role=\"status\">");
		esc(&w, mv->notice);
		raw(&w, "</p>\n");
	}
	if (mv->f != NULL) {
		fmt(&w, "<section aria-labelledby=\"h-form\"><h2 "
		    "id=\"h-form\">%s %s", mv->f->edit ? "Edit" : "New",
		    forms[mv->f->kind].title);
		if (mv->f->edit) {
			raw(&w, " ");
			esc(&w, mv->f->v[0]);
			if (mv->f->disabled)
				raw(&w, " (disabled)");
		}
		raw(&w, "</h2>\n");
		form_html(&w, mv, mv->f);
		raw(&w, "</section>\n");
		if (mv->f->edit && mv->f->kind == K_EVENT)
			event_extra_html(&w, mv);
		else if (mv->f->edit && mv->f->kind != K_CAMPAIGN)
			clicks_html(&w, mv->db, mv->f->kind, mv->f->v[0]);
		raw(&w, "<p><a href=\"/admin/manage\">All campaigns, "
		    "advocates, links and events</a></p>\n");
	}
	for (k = 0; k < K__MAX; k++) {
		fmt(&w, "<section aria-labelledby=\"h-%ss\"><h2 id=\"h-%ss\">"
		    "%c%ss</h2>\n", kinds[k], kinds[k],
		    kinds[k][0] - 'a' + 'A', kinds[k] + 1);
		list_html(&w, mv->db, (enum kind)k);
		if (mv->f == NULL || mv->f->kind != k) {
			memset(&blank, 0, sizeof(blank));
			blank.kind = (enum kind)k;
			blank.bad = -1;
			if (k == K_ADVOCATE)
				(void)snprintf(blank.v[4], sizeof(blank.v[4]),
				    "active");
			fmt(&w, "<details><summary>New %s</summary>\n",
			    kinds[k]);
			form_html(&w, mv, &blank);
			raw(&w, "</details>\n");
		}
		raw(&w, "</section>\n");
	}
	import_html(&w, mv);
	audit_html(&w, mv->db);
	return w.e;
}

void
manage_unavailable(struct hs_req *r)
{

	if (hs_http_header(r, "Retry-After", "5") == HS_OK)
		(void)hs_http_error(r, 503, "The database is not available; "
		    "try again shortly.");
}

/* Renders the manage page with code, f first (or the lists alone), and
 * a host page's URL when one was just granted. */
static void
manage_render2(struct report *rp, struct hs_req *r, const struct sess *s,
    int code, struct mform *f, const char *notice, const char *hostpage)
{
	struct mview	 mv;

	memset(&mv, 0, sizeof(mv));
	mv.rp = rp;
	mv.s = s;
	mv.f = f;
	mv.notice = notice;
	mv.hostpage = hostpage;
	if (!s->admin || s->campaign != 0)
		mv.denied = 1;
	else if ((mv.db = manage_db(rp)) == NULL) {
		manage_unavailable(r);
		return;
	}
	if (page_render(rp, r, code, s, mv.denied ? "Not allowed" : "Manage",
	    manage_body, &mv) != HS_OK)
		hs_log(HS_LOG_INFO, "manage: page not sent in full");
}

static void
manage_render(struct report *rp, struct hs_req *r, const struct sess *s,
    int code, struct mform *f, const char *notice)
{

	manage_render2(rp, r, s, code, f, notice, NULL);
}

void
manage_render_host(struct report *rp, struct hs_req *r,
    const struct sess *s, struct mform *f, const char *url)
{

	manage_render2(rp, r, s, 200, f, "A new host page is granted.", url);
}

/* A posted field, or NULL. */
static const char *
form_get(void *arg, const char *name)
{
	const struct hs_req *r = arg;
	const char	*v;

	return hs_kv_get(r->form, r->formsz, name, &v) == HS_OK ? v : NULL;
}

/* 1 if the form's nonce is NONCE_HEX hex digits. */
int
nonce_ok(const char *v)
{

	return v != NULL && strlen(v) == NONCE_HEX &&
	    strspn(v, "0123456789abcdef") == NONCE_HEX;
}

/*
 * The kind, op and nonce of a posted change.  Returns the kind, or -1
 * after answering 400.
 */
static int
posted_change(struct hs_req *r, const char **op, const char **once)
{
	const char	*kind = NULL;
	size_t		 k;

	*op = *once = NULL;
	if (hs_kv_get(r->form, r->formsz, "kind", &kind) != HS_OK ||
	    hs_kv_get(r->form, r->formsz, "op", op) != HS_OK ||
	    hs_kv_get(r->form, r->formsz, "once", once) != HS_OK ||
	    kind == NULL || *op == NULL || !nonce_ok(*once)) {
		(void)hs_http_error(r, 400, "The form could not be read; "
		    "reload the page and try again.");
		return -1;
	}
	for (k = 0; k < K__MAX; k++)
		if (strcmp(kind, kinds[k]) == 0)
			break;
	if (k == K__MAX || (strcmp(*op, "save") != 0 &&
	    strcmp(*op, "disable") != 0 && strcmp(*op, "enable") != 0 &&
	    strcmp(*op, "preview") != 0 && strcmp(*op, "import") != 0 &&
	    !(k == K_EVENT && (strcmp(*op, "grant") == 0 ||
	    strcmp(*op, "revoke") == 0)))) {
		(void)hs_http_error(r, 400, "Unknown kind of change.");
		return -1;
	}
	return (int)k;
}

/*
 * The answer to a change made (e): its form again with the reason
 * beside what was typed (400, 409 for a name taken), 404, 503, or 303
 * to the object's page.
 */
static void
change_answer(struct report *rp, struct hs_req *r, const struct sess *s,
    struct change *ch, enum hs_err e)
{
	struct mform	*f = ch->f;
	const char	*k = kinds[f->kind];
	char		 to[VALUE_MAX + 64];

	if (e == HS_EINVAL) {
		/* Keep what was typed; say what is wrong beside it. */
		manage_render(rp, r, s, ch->taken ? 409 : 400, f, NULL);
		return;
	}
	if (e == HS_ENOTFOUND || ch->missing) {
		(void)hs_http_error(r, 404, "There is no such object; it may "
		    "have been renamed.");
		return;
	}
	if (e != HS_OK && !(e == HS_EDUP && ch->replay)) {
		manage_unavailable(r);
		return;
	}
	if (!ch->replay)
		hs_log(HS_LOG_INFO, "manage: %s %s %s by user %lld", k,
		    ch->op, ch->key, s->user_id);
	/* A replay (the form sent twice) lands where the first did. */
	(void)snprintf(to, sizeof(to), "/admin/manage?%s=%s", k,
	    ch->key[0] != '\0' ? ch->key : f->v[0]);
	if (ch->replay && strcmp(ch->op, "save") == 0 && f->kind == K_LINK &&
	    f->v[0][0] == '\0')
		(void)snprintf(to, sizeof(to), "/admin/manage");
	rpt_ignore(hs_http_redirect(r, 303, to));
}

/* POST /admin/manage/save: kind, op, edit, once and the kind's fields. */
static void
manage_save(struct report *rp, struct hs_req *r, const struct sess *s)
{
	static struct mform f;
	static struct change ch;
	struct hs_db	*db;
	const char	*op, *once, *edit = NULL, *key = NULL;
	enum hs_err	 e;
	int		 k;

	if ((k = posted_change(r, &op, &once)) < 0)
		return;
	if (strcmp(op, "preview") == 0 || strcmp(op, "import") == 0) {
		manage_import(rp, r, s, (enum kind)k, op, once);
		return;
	}
	if ((db = manage_db(rp)) == NULL) {
		manage_unavailable(r);
		return;
	}
	memset(&f, 0, sizeof(f));
	memset(&ch, 0, sizeof(ch));
	f.kind = (enum kind)k;
	f.bad = -1;
	ch.f = &f;
	ch.s = s;
	ch.op = op;
	ch.nonce = once;
	if (strcmp(op, "save") == 0) {
		f.edit = hs_kv_get(r->form, r->formsz, "edit", &edit) ==
		    HS_OK && edit != NULL && strcmp(edit, "1") == 0;
		if (!form_read(&f, form_get, r)) {
			manage_render(rp, r, s, 400, &f, NULL);
			return;
		}
		if (f.kind == K_EVENT && !f.edit)
			e = event_create(db, &ch);
		else
			e = hs_db_unit(db, save_unit, &ch);
	} else {
		if (hs_kv_get(r->form, r->formsz, forms[k].f[0].name, &key) !=
		    HS_OK || key == NULL || *key == '\0' ||
		    strlen(key) > VALUE_MAX) {
			(void)hs_http_error(r, 400, "Which one?");
			return;
		}
		(void)snprintf(ch.key, sizeof(ch.key), "%s", key);
		(void)snprintf(f.v[0], sizeof(f.v[0]), "%s", key);
		if (k == K_EVENT && (strcmp(op, "grant") == 0 ||
		    strcmp(op, "revoke") == 0)) {
			manage_host(rp, r, s, db, &ch);
			return;
		}
		e = hs_db_unit(db, able_unit, &ch);
	}
	change_answer(rp, r, s, &ch, e);
}

/*
 * GET /admin/manage[?campaign=S|advocate=H|link=CODE]: the lists, the
 * new forms and the audit trail; with a key, that object's edit form
 * first (and its clicks).  POST /admin/manage/save: a change.  An
 * analyst gets 403 with a page that says why.
 */
void
manage_page(struct report *rp, struct hs_req *r, const struct sess *s,
    int save)
{
	static struct mform f;
	struct hs_db	*db;
	const char	*v;
	char		 code[HS_CODE_MAX + 1], note[64];
	size_t		 k;
	int		 got;

	/* An admin of one campaign reads it only: managing reaches all. */
	if (!s->admin || s->campaign != 0) {
		manage_render(rp, r, s, 403, NULL, NULL);
		return;
	}
	if (save) {
		manage_save(rp, r, s);
		return;
	}
	memset(&f, 0, sizeof(f));
	f.bad = -1;
	for (k = 0; k < K__MAX; k++)
		if (hs_kv_get(r->qv, r->qvsz, kinds[k], &v) == HS_OK &&
		    v != NULL && *v != '\0')
			break;
	if (k == K__MAX) {
		/* After an import: how many rows it stored. */
		if (hs_kv_get(r->qv, r->qvsz, "imported", &v) == HS_OK &&
		    v != NULL && *v != '\0' && strlen(v) < 5 &&
		    strspn(v, "0123456789") == strlen(v)) {
			(void)snprintf(note, sizeof(note), "%s rows imported.",
			    v);
			manage_render(rp, r, s, 200, NULL, note);
		} else
			manage_render(rp, r, s, 200, NULL, NULL);
		return;
	}
	if (strlen(v) > VALUE_MAX || (k == K_LINK &&
	    hs_code_canon(v, code, sizeof(code)) != HS_OK)) {
		(void)hs_http_error(r, 404, "There is no such object.");
		return;
	}
	if ((db = manage_db(rp)) == NULL) {
		manage_unavailable(r);
		return;
	}
	f.kind = (enum kind)k;
	if ((got = form_load(db, &f, k == K_LINK ? code : v)) < 0) {
		manage_unavailable(r);
		return;
	}
	if (got == 0) {
		(void)hs_http_error(r, 404, "There is no such object.");
		return;
	}
	manage_render(rp, r, s, 200, &f, NULL);
}
