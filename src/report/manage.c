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

#include <stdio.h>
#include <string.h>

#include "hearsay.h"
#include "report.h"
#include "pages.h"
#include "manage.h"

#define AUDIT_SHOWN	50	/* audit rows on the page */
#define CLICK_DAYS	90	/* days of a link's or advocate's clicks */

/* A table of the objects of one kind, each a link to its edit form. */
static void
list_html(struct hw *w, struct hs_db *db, enum kind k)
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
			 d[RPT_TEXT_MAX], href[RPT_TEXT_MAX + 32], span[8];
	struct hs_dbparam p[1] = { HS_DBP_INT(LIST_MAX) };
	struct hs_dbcol	 c[5] = { HS_DBC_TEXT(a), HS_DBC_TEXT(b),
			    HS_DBC_TEXT(c3), HS_DBC_TEXT(d), HS_DBC_INT };
	int		 wide = k == K_LINK || k == K_EVENT;
	size_t		 nc = wide ? 5 : k == K_CAMPAIGN ? 4 : 3;
	int		 have, rows = 0;

	if (k == K_CAMPAIGN)
		c[3] = (struct hs_dbcol)HS_DBC_INT;
	hw_raw(w, "<div class=\"tablewrap\" tabindex=\"0\"><table "
	    "class=\"manage\"><caption class=\"visually-hidden\">");
	hw_textf(w, "All %ss", manage_kinds[k]);
	hw_raw(w, "</caption><thead><tr>");
	hw_raw(w, heads[k]);
	hw_raw(w, "</tr></thead><tbody>");
	if (w->e != HS_OK ||
	    (w->e = hs_db_query(db, st[k], p, 1, c, nc)) != HS_OK)
		return;
	while (w->e == HS_OK &&
	    (w->e = hs_db_fetch(db, st[k], &have)) == HS_OK && have) {
		rows++;
		(void)snprintf(href, sizeof(href), "/admin/manage?%s=%s",
		    manage_kinds[k], a);
		hw_raw(w, "<tr><td>");
		hw_elem(w, "a", a, "href", href, (char *)NULL);
		hw_raw(w, "</td><td class=\"text\">");
		hw_text(w, b);
		if (k != K_ADVOCATE) {
			hw_raw(w, "</td><td class=\"text\">");
			hw_text(w, c3);
		}
		hw_raw(w, "</td><td class=\"text\">");
		if (wide) {
			hw_text(w, d);
			hw_raw(w, "</td><td>");
		}
		if (k == K_ADVOCATE)
			hw_text(w, c3);
		else
			hw_raw(w, c[nc - 1].i ? "disabled" : "enabled");
		hw_raw(w, "</td></tr>\n");
	}
	hs_db_end(db, st[k]);
	(void)snprintf(span, sizeof(span), "%zu", k == K_ADVOCATE ?
	    (size_t)3 : nc);
	if (w->e == HS_OK && rows == 0) {
		hw_raw(w, "<tr>");
		hw_elem(w, "td", "None yet.", "colspan", span, "class",
		    "muted", (char *)NULL);
		hw_raw(w, "</tr>");
	}
	hw_raw(w, "</tbody></table></div>\n");
}

/* The latest audit rows: who, when, what, before and after. */
static void
audit_html(struct hw *w, struct hs_db *db)
{
	static char	 before[DESC_MAX], after[DESC_MAX];
	char		 at[32], user[RPT_NAME_MAX + 1], act[40],
			 obj[RPT_TEXT_MAX];
	struct hs_dbparam p[1] = { HS_DBP_INT(AUDIT_SHOWN) };
	struct hs_dbcol	 c[6] = { HS_DBC_TEXT(at), HS_DBC_TEXT(user),
			    HS_DBC_TEXT(act), HS_DBC_TEXT(obj),
			    HS_DBC_TEXT(before), HS_DBC_TEXT(after) };
	int		 have, rows = 0;

	hw_raw(w, "<section aria-labelledby=\"h-audit\"><h2 id=\"h-audit\">"
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
		hw_raw(w, "<tr>");
		hw_elem(w, "td", at, (char *)NULL);
		hw_elem(w, "td", user, (char *)NULL);
		hw_open(w, "td", "class", "text", (char *)NULL);
		hw_text(w, act);
		hw_text(w, " ");
		hw_text(w, obj);
		hw_close(w, "td");
		hw_elem(w, "td", before, "class", "text pre", (char *)NULL);
		hw_elem(w, "td", after, "class", "text pre", (char *)NULL);
		hw_raw(w, "</tr>\n");
	}
	hs_db_end(db, M_AUDIT_LIST);
	if (w->e == HS_OK && rows == 0)
		hw_raw(w, "<tr><td colspan=\"5\" class=\"muted\">No change "
		    "yet.</td></tr>");
	hw_raw(w, "</tbody></table></div></section>\n");
}

/* One link's or advocate's clicks per day: people, QR scans, bots. */
static void
clicks_html(struct hw *w, struct hs_db *db, enum kind k, const char *key)
{
	char		 day[16];
	struct hs_dbparam p[2] = { HS_DBP_TEXT(key), HS_DBP_INT(CLICK_DAYS) };
	struct hs_dbcol	 c[4] = { HS_DBC_TEXT(day), HS_DBC_INT,
			    HS_DBC_INT,
			    HS_DBC_INT };
	size_t		 st = k == K_LINK ? M_CLICKS_LINK : M_CLICKS_ADV;
	size_t		 i;
	int		 have, rows = 0;

	hw_raw(w, "<section aria-labelledby=\"h-clicks\"><h2 id=\"h-clicks\">"
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
		hw_raw(w, "<tr>");
		hw_elem(w, "td", day, (char *)NULL);
		for (i = 1; i < 4; i++) {
			hw_raw(w, "<td class=\"num\">");
			hw_textf(w, "%lld", c[i].i);
			hw_raw(w, "</td>");
		}
		hw_raw(w, "</tr>\n");
	}
	hs_db_end(db, st);
	if (w->e == HS_OK && rows == 0)
		hw_raw(w, "<tr><td colspan=\"4\" class=\"muted\">No click "
		    "yet.</td></tr>");
	hw_raw(w, "</tbody></table></div><p class=\"muted\">");
	hw_textf(w, "The last %d days with clicks, newest first; the hourly "
	    "load adds new ones.", CLICK_DAYS);
	hw_raw(w, "</p></section>\n");
}

/* The form shown first: a new object's or one being edited. */
static void
first_form_html(struct hw *w, struct mview *mv)
{
	const struct mform *f = mv->f;

	hw_raw(w, "<section aria-labelledby=\"h-form\"><h2 id=\"h-form\">");
	hw_text(w, f->edit ? "Edit " : "New ");
	hw_text(w, manage_forms[f->kind].title);
	if (f->edit) {
		hw_text(w, " ");
		hw_text(w, f->v[0]);
		if (f->disabled)
			hw_text(w, " (disabled)");
	}
	hw_raw(w, "</h2>\n");
	form_html(w, mv, f);
	hw_raw(w, "</section>\n");
	if (f->edit && f->kind == K_EVENT)
		event_extra_html(w, mv);
	else if (f->edit && f->kind != K_CAMPAIGN)
		clicks_html(w, mv->db, f->kind, f->v[0]);
	hw_raw(w, "<p><a href=\"/admin/manage\">All campaigns, "
	    "advocates, links and events</a></p>\n");
}

/* One kind's section: its list and, unless shown first, its new form. */
static void
kind_html(struct hw *w, struct mview *mv, enum kind k)
{
	static struct mform blank;
	char		 id[32], title[32];

	(void)snprintf(id, sizeof(id), "h-%ss", manage_kinds[k]);
	(void)snprintf(title, sizeof(title), "%c%ss",
	    manage_kinds[k][0] - 'a' + 'A', manage_kinds[k] + 1);
	hw_open(w, "section", "aria-labelledby", id, (char *)NULL);
	hw_elem(w, "h2", title, "id", id, (char *)NULL);
	hw_raw(w, "\n");
	list_html(w, mv->db, k);
	if (mv->f == NULL || mv->f->kind != k) {
		memset(&blank, 0, sizeof(blank));
		blank.kind = k;
		blank.bad = -1;
		if (k == K_ADVOCATE)
			(void)snprintf(blank.v[4], sizeof(blank.v[4]),
			    "active");
		hw_raw(w, "<details><summary>New ");
		hw_text(w, manage_kinds[k]);
		hw_raw(w, "</summary>\n");
		form_html(w, mv, &blank);
		hw_raw(w, "</details>\n");
	}
	hw_raw(w, "</section>\n");
}

enum hs_err
manage_body(const struct hs_out *o, void *arg)
{
	struct mview	*mv = arg;
	struct hw	 w;
	size_t		 k;

	hw_init(&w, o);
	if (mv->denied) {
		hw_raw(&w, "<h1>Managing needs an admin</h1>\n<p "
		    "role=\"alert\">Your account can read the "
		    "report and review texts, but only a user with the "
		    "admin role, for every campaign, can create or change "
		    "campaigns, advocates and links. Ask an admin, or whoever "
		    "runs "
		    "<kbd>hearsay-admin user add --role admin</kbd>.</p>\n"
		    "<p><a href=\"/admin/\">Back to the overview</a></p>\n");
		return w.e;
	}
	hw_raw(&w, "<h1>Manage the program</h1>\n<p class=\"muted\">A new or "
	    "changed link or campaign is live for redirects at once. Every "
	    "change is kept in the audit trail below.</p>\n");
	if (mv->notice != NULL) {
		hw_elem(&w, "p", mv->notice, "class", "notice", "role",
		    "status", (char *)NULL);
		hw_raw(&w, "\n");
	}
	if (mv->f != NULL)
		first_form_html(&w, mv);
	for (k = 0; k < K__MAX; k++)
		kind_html(&w, mv, (enum kind)k);
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

/*
 * The fields every change posts: the kind of object, the change and
 * the form's nonce (hidden fields: a bad one is a page to reload, not
 * a field to correct), and whether the object exists already.
 */
enum { PC_KIND, PC_OP, PC_ONCE, PC_EDIT, PC__MAX };
static const char *const ops[] = { "save", "disable", "enable", "preview",
    "import", "grant", "revoke", NULL };
#define OPS_EVENT	5	/* ops[] from here on: events only */
static const struct hs_field change_fields[PC__MAX] = {
	/* PC_KIND */
	{ .name = "kind", .kind = HS_FIELD_ENUM, .flags = HS_FIELD_REQUIRED,
	    .list = manage_kinds, .label = "Kind" },
	/* PC_OP */
	{ .name = "op", .kind = HS_FIELD_ENUM, .flags = HS_FIELD_REQUIRED,
	    .list = ops, .label = "Change" },
	/* PC_ONCE */
	RPT_ONCE_FIELD,
	/* PC_EDIT: 1 for an existing object */
	{ .name = "edit", .kind = HS_FIELD_BOOL, .flags = HS_FIELD_LAX,
	    .chars = "1" },
};

/*
 * The kind and op of a posted change into v.  Returns the kind, or -1
 * after answering 400.
 */
static int
posted_change(struct hs_req *r, struct hs_fval *v)
{
	struct hs_fbad	 bad;

	if (hs_field_parse(r->form, r->formsz, change_fields, PC__MAX, 0, v,
	    &bad) != HS_OK) {
		(void)hs_http_error(r, 400, bad.err == HS_EINVAL &&
		    bad.row != PC_ONCE ? "Unknown kind of change." :
		    "The form could not be read; reload the page and try "
		    "again.");
		return -1;
	}
	if (v[PC_OP].i >= OPS_EVENT && v[PC_KIND].i != K_EVENT) {
		(void)hs_http_error(r, 400, "Unknown kind of change.");
		return -1;
	}
	return (int)v[PC_KIND].i;
}

/*
 * The posted fields of a kind, as a table filled from its form's
 * (manage_forms[]): each is text as long as the form parser takes, and
 * form_read checks each against its own limit and rule, so a refused
 * value shows the form again with the reason beside it.
 */
struct posted {
	struct hs_field	 tab[FIELDS_MAX];
	struct hs_fval	 v[FIELDS_MAX];
	size_t		 n;
};

/* Reads kind k's fields from r into p.  Returns 1, or 0 after a 400. */
static int
posted_fields(struct hs_req *r, enum kind k, struct posted *p)
{
	struct hs_fbad	 bad;
	size_t		 i;

	p->n = manage_forms[k].n;
	for (i = 0; i < p->n; i++)
		p->tab[i] = (struct hs_field){
		    .name = manage_forms[k].f[i].name,
		    .kind = HS_FIELD_TEXT, .max = HS_MAX_FIELD,
		    .label = manage_forms[k].f[i].label };
	if (hs_field_parse(r->form, r->formsz, p->tab, p->n, 0, p->v,
	    &bad) != HS_OK) {
		(void)hs_field_error(r, p->tab, p->n, &bad);
		return 0;
	}
	return 1;
}

/* A posted field of the kind (form_read's getter), or NULL. */
static const char *
posted_get(void *arg, const char *name)
{
	const struct posted *p = arg;
	size_t		 i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->tab[i].name, name) == 0)
			return p->v[i].s;
	return NULL;
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
	const char	*k = manage_kinds[f->kind];
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
	static struct posted p;
	struct hs_fval	 v[PC__MAX];
	struct hs_db	*db;
	const char	*op, *key;
	enum hs_err	 e;
	int		 k;

	if ((k = posted_change(r, v)) < 0)
		return;
	op = ops[v[PC_OP].i];
	if (strcmp(op, "preview") == 0 || strcmp(op, "import") == 0) {
		manage_import(rp, r, s, (enum kind)k, op, v[PC_ONCE].s);
		return;
	}
	if (!posted_fields(r, (enum kind)k, &p))
		return;
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
	ch.nonce = v[PC_ONCE].s;
	if (strcmp(op, "save") == 0) {
		f.edit = v[PC_EDIT].set;
		if (!form_read(&f, posted_get, &p)) {
			manage_render(rp, r, s, 400, &f, NULL);
			return;
		}
		if (f.kind == K_EVENT && !f.edit)
			e = event_create(db, &ch);
		else
			e = hs_db_unit(db, save_unit, &ch);
	} else {
		/* The first field names the object. */
		key = p.v[0].s;
		if (key == NULL || *key == '\0' || p.v[0].len > VALUE_MAX) {
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
 * The query of the page: an object of one kind (the first given), or
 * how many rows an import stored.  A bad value reads as none.
 */
static const struct hs_field page_fields[K__MAX + 1] = {
	{ .name = "campaign", .kind = HS_FIELD_TEXT, .flags = HS_FIELD_LAX,
	    .max = HS_MAX_FIELD },
	{ .name = "advocate", .kind = HS_FIELD_TEXT, .flags = HS_FIELD_LAX,
	    .max = HS_MAX_FIELD },
	{ .name = "link", .kind = HS_FIELD_TEXT, .flags = HS_FIELD_LAX,
	    .max = HS_MAX_FIELD },
	{ .name = "event", .kind = HS_FIELD_TEXT, .flags = HS_FIELD_LAX,
	    .max = HS_MAX_FIELD },
	/* K__MAX: imported=N */
	{ .name = "imported", .kind = HS_FIELD_PATTERN, .flags = HS_FIELD_LAX,
	    .min = 1, .max = 4, .chars = "0123456789" },
};

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
	struct hs_fval	 q[K__MAX + 1];
	struct hs_fbad	 bad;
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
	/* Every row is lax: the parse cannot fail. */
	rpt_ignore(hs_field_parse(r->qv, r->qvsz, page_fields, K__MAX + 1, 0,
	    q, &bad));
	for (k = 0; k < K__MAX; k++)
		if (q[k].set && q[k].len > 0)
			break;
	if (k == K__MAX) {
		/* After an import: how many rows it stored. */
		if (q[K__MAX].set) {
			(void)snprintf(note, sizeof(note), "%s rows imported.",
			    q[K__MAX].s);
			manage_render(rp, r, s, 200, NULL, note);
		} else
			manage_render(rp, r, s, 200, NULL, NULL);
		return;
	}
	v = q[k].s;
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
