/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * manage.c: the program managed in the browser (issue 18).  An admin
 * (users.role = 'admin') creates, edits, disables and re-enables
 * campaigns, advocates and links under /admin/manage; an analyst gets a
 * 403 page that says why.  /admin/account lets every user change their
 * password and end every session of theirs.
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
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "hearsay.h"
#include "report.h"
#include "manage.h"

#define AUDIT_SHOWN	50	/* audit rows on the page */
#define CLICK_DAYS	90	/* days of a link's or advocate's clicks */

/* ------------------------------------------------------------ forms */

const char *const kinds[K__MAX] = { "campaign", "advocate", "link",
    "event" };

/* The first field of each kind names the object and is fixed on edit. */
static const struct fdef camp_f[] = {
	{ "slug", "Slug", F_TEXT, 64, 1, "a-z, 0-9, dot, dash, underscore",
	    0 },
	{ "name", "Name", F_TEXT, 200, 1, NULL, 0 },
	{ "hosts", "Allowed destination hosts", F_TEXT, HS_HOSTS_MAX, 1,
	    "space separated; *.example.org allows its subdomains", 0 },
	{ "dest", "Default destination", F_URL, HS_DEST_MAX, 1,
	    "https URL on an allowed host", 0 },
	{ "fallback", "Fallback", F_URL, HS_DEST_MAX, 0,
	    "where expired or disabled links go (optional)", 0 },
	/* The share texts (hearsay-admin share set): empty removes one. */
	{ "share_subject", "Share by e-mail: subject", F_TEXT,
	    4 * HS_SHARE_SUBJECT_MAX, 0, "one line, at most 200 characters",
	    0 },
	{ "share_email", "Share by e-mail: text", F_AREA, VALUE_MAX, 0,
	    "{link} and {name} stand for the advocate's link and name; "
	    "at most 2000 characters; empty: none", 0 },
	{ "share_chat", "Share in a chat: text", F_AREA, VALUE_MAX, 0,
	    "as above", 0 },
	{ "share_social", "Share on social media: text", F_AREA, VALUE_MAX,
	    0, "as above", 0 },
};
static const struct fdef adv_f[] = {
	{ "handle", "Handle", F_TEXT, 64, 1,
	    "a-z, 0-9, dot, dash, underscore", 0 },
	{ "name", "Display name", F_TEXT, 200, 1, NULL, 0 },
	{ "aliases", "Aliases", F_AREA, 2000, 0,
	    "other names people use, one per line", 0 },
	{ "tier", "Tier", F_TEXT, 32, 0, "member when empty", 0 },
	{ "status", "Status", F_STATUS, 16, 1, NULL, 0 },
	{ "suggest", "Opted in: the survey may suggest this name", F_CHECK,
	    2, 0, NULL, 0 },
};
static const struct fdef link_f[] = {
	{ "code", "Code", F_TEXT, HS_CODE_MAX + 8, 0,
	    "empty: a random code; or a vanity code of 0-9 A-Z", 0 },
	{ "campaign", "Campaign", F_CAMPAIGN, 64, 1, NULL, 0 },
	{ "advocate", "Advocate handle", F_TEXT, 64, 0, "optional", 0 },
	{ "channel", "Channel", F_TEXT, 32, 0, "referral when empty", 0 },
	{ "label", "Label", F_TEXT, 200, 0, NULL, 0 },
	{ "dest", "Destination", F_URL, HS_DEST_MAX, 0,
	    "empty: the campaign's default; else on its allowed hosts", 0 },
	{ "utm_source", "utm_source", F_TEXT, 100, 0, NULL, 0 },
	{ "utm_medium", "utm_medium", F_TEXT, 100, 0, NULL, 0 },
	{ "utm_campaign", "utm_campaign", F_TEXT, 100, 0, NULL, 0 },
	{ "utm_content", "utm_content", F_TEXT, 100, 0, NULL, 0 },
	{ "utm_term", "utm_term", F_TEXT, 100, 0, NULL, 0 },
	{ "valid_until", "Valid until (UTC)", F_TEXT, 19, 0,
	    "YYYY-MM-DD or YYYY-MM-DD HH:MM:SS; empty: no expiry", 0 },
	{ "fallback", "Fallback", F_URL, HS_DEST_MAX, 0,
	    "empty: the campaign's fallback", 0 },
};
/* An event: made by core's hs_event_create, as hearsay-admin's. */
static const struct fdef event_f[] = {
	{ "slug", "Slug", F_TEXT, 64, 1, "a-z, 0-9, dot, dash, underscore",
	    0 },
	{ "name", "Name", F_TEXT, 200, 1, NULL, 0 },
	{ "campaign", "Campaign", F_CAMPAIGN, 64, 1, NULL, 1 },
	{ "host", "Host (advocate handle)", F_TEXT, 64, 0,
	    "optional; the host's page lists the event", 1 },
	{ "venue", "Venue", F_TEXT, 200, 0, NULL, 0 },
	{ "starts", "Starts (UTC)", F_TEXT, 19, 0,
	    "YYYY-MM-DD or YYYY-MM-DD HH:MM:SS", 0 },
	{ "ends", "Ends (UTC)", F_TEXT, 19, 0,
	    "YYYY-MM-DD or YYYY-MM-DD HH:MM:SS", 0 },
	{ "tables", "Table cards", F_TEXT, 2, 0,
	    "0 to 60: one more link each, labelled Table N", 1 },
};

const struct mkind forms[K__MAX] = {
	{ camp_f, sizeof(camp_f) / sizeof(camp_f[0]), "campaign" },
	{ adv_f, sizeof(adv_f) / sizeof(adv_f[0]), "advocate" },
	{ link_f, sizeof(link_f) / sizeof(link_f[0]), "link" },
	{ event_f, sizeof(event_f) / sizeof(event_f[0]), "event" },
};

void
raw(struct w *w, const char *s)
{

	if (w->e == HS_OK)
		w->e = hs_html_raw(w->o, s);
}

void
esc(struct w *w, const char *s)
{

	if (w->e == HS_OK)
		w->e = hs_html_puts(w->o, s != NULL ? s : "");
}

/* Raw printf: numbers and this file's constants only. */
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

/* The hidden fields every form carries: CSRF token and a fresh nonce. */
void
hidden(struct w *w, const struct sess *s)
{
	char	 nonce[NONCE_HEX + 1];

	hs_rand_hex(nonce, sizeof(nonce));
	raw(w, "<input type=\"hidden\" name=\"csrf\" value=\"");
	esc(w, s->csrf);
	raw(w, "\"><input type=\"hidden\" name=\"once\" value=\"");
	esc(w, nonce);
	raw(w, "\">");
}

/* The campaigns as <option>s, sel selected. */
static void
camp_options(struct w *w, struct hs_db *db, const char *sel)
{
	char		 slug[80], name[RPT_TEXT_MAX],
			 hosts[HS_HOSTS_MAX + 1];
	struct hs_dbparam p[1] = { HS_DBP_INT(LIST_MAX) };
	struct hs_dbcol	 c[4] = { HS_DBC_TEXT(slug), HS_DBC_TEXT(name),
			    HS_DBC_TEXT(hosts), HS_DBC_INT };
	int		 have;

	raw(w, "<option value=\"\">Choose a campaign</option>");
	if (w->e != HS_OK ||
	    (w->e = hs_db_query(db, M_CAMP_LIST, p, 1, c, 4)) != HS_OK)
		return;
	while (w->e == HS_OK &&
	    (w->e = hs_db_fetch(db, M_CAMP_LIST, &have)) == HS_OK && have) {
		raw(w, "<option value=\"");
		esc(w, slug);
		raw(w, strcmp(slug, sel) == 0 ? "\" selected>" : "\">");
		esc(w, name);
		raw(w, " (");
		esc(w, slug);
		raw(w, ")</option>");
	}
	hs_db_end(db, M_CAMP_LIST);
}

/* Opens a field's control: a textarea, a select or an input. */
static void
control_open(struct w *w, const char *k, const struct fdef *d)
{
	const char	*n = d->name;

	switch (d->type) {
	case F_AREA:
		fmt(w, "<textarea id=\"%s-%s\" name=\"%s\" rows=\"3\"",
		    k, n, n);
		break;
	case F_STATUS:
	case F_CAMPAIGN:
		fmt(w, "<select id=\"%s-%s\" name=\"%s\"", k, n, n);
		break;
	default:
		fmt(w, "<input type=\"%s\" id=\"%s-%s\" name=\"%s\" "
		    "maxlength=\"%zu\" autocomplete=\"off\"",
		    d->type == F_URL ? "url" : "text", k, n, n, d->max);
		break;
	}
}

/* Closes field i's control with its value (or its options). */
static void
control_close(struct w *w, struct mview *mv, const struct mform *f,
    size_t i)
{
	static const char *const st[] = { "active", "paused", "removed" };
	size_t		 j;

	switch (forms[f->kind].f[i].type) {
	case F_AREA:
		raw(w, ">");
		esc(w, f->v[i]);
		raw(w, "</textarea>");
		break;
	case F_STATUS:
		raw(w, ">");
		for (j = 0; j < 3; j++) {
			fmt(w, "<option%s>%s</option>",
			    strcmp(f->v[i], st[j]) == 0 ?
			    " selected" : "", st[j]);
		}
		raw(w, "</select>");
		break;
	case F_CAMPAIGN:
		raw(w, ">");
		camp_options(w, mv->db, f->v[i]);
		raw(w, "</select>");
		break;
	default:
		raw(w, " value=\"");
		esc(w, f->v[i]);
		raw(w, "\">");
		break;
	}
}

/* Field i's hint, and why it was refused. */
static void
hint_html(struct w *w, const struct mform *f, size_t i)
{
	const struct fdef *d = &forms[f->kind].f[i];

	if (d->hint == NULL && f->bad != (int)i)
		return;
	fmt(w, "<span class=\"hint%s\" id=\"%s-%s-hint\">",
	    f->bad == (int)i ? " error" : "", kinds[f->kind], d->name);
	if (f->bad == (int)i) {
		esc(w, f->why);
		if (d->hint != NULL)
			raw(w, " \xe2\x80\x94 ");
	}
	esc(w, d->hint);
	raw(w, "</span>");
}

/* Field i of a form: its label, control and hint. */
static void
field_html(struct w *w, struct mview *mv, const struct mform *f, size_t i)
{
	const struct fdef *d = &forms[f->kind].f[i];
	const char	*k = kinds[f->kind], *n = d->name;

	if (d->type == F_CHECK) {
		fmt(w, "<p><input type=\"checkbox\" id=\"%s-%s\" "
		    "name=\"%s\" value=\"on\"%s> <label for=\"%s-%s\">",
		    k, n, n, f->v[i][0] != '\0' ? " checked" : "", k, n);
		esc(w, d->label);
		raw(w, "</label></p>");
		return;
	}
	fmt(w, "<p><label for=\"%s-%s\">", k, n);
	esc(w, d->label);
	raw(w, d->req ? " (required)</label>" : "</label>");
	if (f->edit && (i == 0 || d->type == F_CAMPAIGN || d->fixed)) {
		/* What names the object is not changed here. */
		fmt(w, "<input type=\"text\" id=\"%s-%s\" name=\"%s\" "
		    "readonly value=\"", k, n, n);
		esc(w, f->v[i]);
		raw(w, "\"></p>");
		return;
	}
	control_open(w, k, d);
	if (d->req)
		raw(w, " required");
	if (f->bad == (int)i)
		fmt(w, " aria-invalid=\"true\"");
	if (d->hint != NULL || f->bad == (int)i)
		fmt(w, " aria-describedby=\"%s-%s-hint\"", k, n);
	control_close(w, mv, f, i);
	hint_html(w, f, i);
	raw(w, "</p>");
}

/* Disable or re-enable an object: a form of its own, one button. */
static void
able_html(struct w *w, struct mview *mv, const struct mform *f)
{
	const char	*k = kinds[f->kind];

	fmt(w, "<form method=\"post\" action=\"/admin/manage/save\" "
	    "class=\"manage able\">");
	hidden(w, mv->s);
	fmt(w, "<input type=\"hidden\" name=\"kind\" value=\"%s\">"
	    "<input type=\"hidden\" name=\"op\" value=\"%s\">"
	    "<input type=\"hidden\" name=\"%s\" value=\"", k,
	    f->disabled ? "enable" : "disable", forms[f->kind].f[0].name);
	esc(w, f->v[0]);
	fmt(w, "\"><button type=\"submit\">%s this %s</button></form>\n",
	    f->disabled ? "Re-enable" : "Disable", forms[f->kind].title);
}

/* One form: create or edit (save), with its values and refusal. */
void
form_html(struct w *w, struct mview *mv, const struct mform *f)
{
	const char	*k = kinds[f->kind];
	size_t		 i;

	fmt(w, "<form method=\"post\" action=\"/admin/manage/save\" "
	    "class=\"manage\" id=\"form-%s\" novalidate>", k);
	hidden(w, mv->s);
	fmt(w, "<input type=\"hidden\" name=\"kind\" value=\"%s\">"
	    "<input type=\"hidden\" name=\"op\" value=\"save\">"
	    "<input type=\"hidden\" name=\"edit\" value=\"%d\">", k, f->edit);
	if (f->why != NULL && f->bad < 0) {
		raw(w, "<p class=\"error\" role=\"alert\">");
		esc(w, f->why);
		raw(w, "</p>");
	}
	for (i = 0; i < forms[f->kind].n; i++)
		field_html(w, mv, f, i);
	fmt(w, "<p><button type=\"submit\">%s %s</button></p></form>\n",
	    f->edit ? "Save" : "Create", forms[f->kind].title);
	if (f->edit)
		able_html(w, mv, f);
}

/* ------------------------------------------------------------ reading */

/*
 * Fills f with the stored object named key.  Returns 1, 0 when there is
 * none, or -1 for a database error.
 */
int
form_load(struct hs_db *db, struct mform *f, const char *key)
{
	struct hs_dbparam p[1] = { HS_DBP_TEXT(key) };
	struct hs_dbcol	 c[FIELDS_MAX];
	size_t		 i, n = forms[f->kind].n, nc, st, first;
	int		 have = 0;

	memset(c, 0, sizeof(c));
	snprintf(f->v[0], sizeof(f->v[0]), "%s", key);
	switch (f->kind) {
	case K_CAMPAIGN:
		/* name, hosts, dest, fallback, share texts, disabled */
		st = M_CAMP_FORM;
		first = 0;
		nc = n;
		break;
	case K_ADVOCATE:
		/* name, aliases, tier, status, suggest */
		st = M_ADV_GET;
		first = 0;
		nc = 5;
		break;
	default:
		/* link: campaign ... fallback, disabled; event: name ...
		 * tables, disabled */
		st = f->kind == K_LINK ? M_LINK_GET : M_EV_GET;
		first = 0;
		nc = n;
		break;
	}
	for (i = 0; i + 1 < n; i++)
		c[first + i] = (struct hs_dbcol){ HS_DB_TEXT, 0, f->v[i + 1],
		    sizeof(f->v[i + 1]), 0, 0, 0 };
	c[nc - 1] = (struct hs_dbcol)HS_DBC_INT;
	if (f->kind == K_ADVOCATE)
		c[4] = (struct hs_dbcol){ HS_DB_TEXT, 0, f->v[5],
		    sizeof(f->v[5]), 0, 0, 0 };
	if (hs_db_row(db, st, p, 1, c, nc, &have) != HS_OK)
		return -1;
	if (!have)
		return 0;
	f->edit = 1;
	if (f->kind == K_ADVOCATE)
		f->disabled = strcmp(f->v[4], "removed") == 0;
	else
		f->disabled = c[nc - 1].i != 0;
	return 1;
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

/* ------------------------------------------------------------ checks */

/* 1 if s is 1..max of [a-z0-9._-]. */
static int
slug_ok(const char *s, size_t max)
{
	size_t	 n = strlen(s);

	return n > 0 && n <= max && strspn(s,
	    "abcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

/* 1 if s is UTF-8 of at most max bytes without control bytes (newlines
 * allowed when lines). */
static int
text_ok(const char *s, size_t max, int lines)
{
	const char	*p;
	size_t		 n = strlen(s);

	if (n > max || !hs_utf8_valid(s, n))
		return 0;
	for (p = s; *p != '\0'; p++)
		if (((unsigned char)*p < 0x20 && !(lines && *p == '\n')) ||
		    *p == 0x7f)
			return 0;
	return 1;
}

/* 1 if s is YYYY-MM-DD or YYYY-MM-DD HH:MM[:SS] (a T allowed). */
static int
when_ok(char *s)
{
	static const char pat[] = "dddd-dd-dd dd:dd:dd";
	size_t		 i, n = strlen(s);

	if (n != 10 && n != 16 && n != 19)
		return 0;
	if (n > 10 && s[10] == 'T')
		s[10] = ' ';
	for (i = 0; i < n; i++)
		if (pat[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != pat[i])
			return 0;
	return 1;
}

/*
 * Copies the posted fields of f's kind into f (CRLF made LF).  Returns
 * 1, or 0 with f->bad and f->why set when one is too long.
 */
static int
form_copy(struct mform *f, const char *(*get)(void *, const char *),
    void *arg)
{
	const struct fdef *d;
	const char	*v;
	char		*p, *q;
	size_t		 i;

	for (i = 0; i < forms[f->kind].n; i++) {
		d = &forms[f->kind].f[i];
		if ((v = get(arg, d->name)) == NULL)
			v = "";
		if (strlen(v) > d->max || strlen(v) >= sizeof(f->v[i])) {
			(void)snprintf(f->v[i], sizeof(f->v[i]), "%.*s",
			    (int)(d->max < VALUE_MAX ? d->max : VALUE_MAX), v);
			f->bad = (int)i;
			f->why = "Too long.";
			return 0;
		}
		(void)snprintf(f->v[i], sizeof(f->v[i]), "%s", v);
		for (p = q = f->v[i]; *p != '\0'; p++)
			if (!(p[0] == '\r' && p[1] == '\n'))
				*q++ = *p;
		*q = '\0';
	}
	return 1;
}

/* Why field i of f is refused (a constant), or NULL if it is good. */
static const char *
field_bad(struct mform *f, size_t i)
{
	static char	 whybuf[128];
	const struct fdef *d = &forms[f->kind].f[i];
	const char	*v = f->v[i], *why;

	if (d->req && *v == '\0')
		return "Required.";
	if (!text_ok(v, d->max, d->type == F_AREA))
		return "Text only: valid UTF-8 without control characters.";
	if ((strcmp(d->name, "slug") == 0 ||
	    strcmp(d->name, "handle") == 0 ||
	    ((strcmp(d->name, "advocate") == 0 ||
	    strcmp(d->name, "host") == 0) && *v != '\0') ||
	    (strcmp(d->name, "channel") == 0 && *v != '\0')) &&
	    !slug_ok(v, d->max))
		return "Use a-z, 0-9, dot, dash and underscore only.";
	if (d->type == F_STATUS && strcmp(v, "active") != 0 &&
	    strcmp(v, "paused") != 0 && strcmp(v, "removed") != 0)
		return "Choose active, paused or removed.";
	if (d->type == F_CHECK && *v != '\0' && strcmp(v, "on") != 0)
		return "On or off.";
	if ((strcmp(d->name, "valid_until") == 0 ||
	    strcmp(d->name, "starts") == 0 ||
	    strcmp(d->name, "ends") == 0) && *v != '\0' &&
	    !when_ok(f->v[i]))
		return "Use YYYY-MM-DD or YYYY-MM-DD HH:MM:SS.";
	if (strncmp(d->name, "share_", 6) == 0 && *v != '\0' &&
	    (why = hs_share_bad(v, strcmp(d->name, "share_subject") ==
	    0 ? HS_SHARE_SUBJECT_MAX : HS_SHARE_BODY_MAX)) != NULL) {
		(void)snprintf(whybuf, sizeof(whybuf), "The text %s.", why);
		return whybuf;
	}
	if (strcmp(d->name, "share_subject") == 0 && *v != '\0' &&
	    f->v[i + 1][0] == '\0')
		return "A subject needs an e-mail text.";
	if (strcmp(d->name, "tables") == 0 && *v != '\0' &&
	    (strspn(v, "0123456789") != strlen(v) ||
	    atoi(v) > HS_EVENT_TABLES_MAX))
		return "A number from 0 to 60.";
	return NULL;
}

/*
 * Copies the posted fields of f's kind into f (CRLF made LF) and checks
 * each on its own.  Returns 1, or 0 with f->bad and f->why set.
 */
int
form_read(struct mform *f, const char *(*get)(void *, const char *),
    void *arg)
{
	const char	*why;
	size_t		 i;

	if (!form_copy(f, get, arg))
		return 0;
	for (i = 0; i < forms[f->kind].n; i++)
		if ((why = field_bad(f, i)) != NULL) {
			f->bad = (int)i;
			f->why = why;
			return 0;
		}
	f->bad = -1;
	return 1;
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
