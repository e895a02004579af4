/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * manage_form.c: the forms of the manage page, one a kind of object:
 * their fields, written as HTML with the values and the reason one was
 * refused, filled from the stored object, and read back from a post (or
 * a CSV row) with each field checked on its own.  Handles and slugs are
 * [a-z0-9._-], dates YYYY-MM-DD[ HH:MM:SS], texts UTF-8 without control
 * characters.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"
#include "report.h"
#include "pages.h"
#include "manage.h"

const char *const manage_kinds[K__MAX + 1] = { "campaign", "advocate", "link",
    "event", NULL };

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

const struct mkind manage_forms[K__MAX] = {
	{ camp_f, sizeof(camp_f) / sizeof(camp_f[0]), "campaign" },
	{ adv_f, sizeof(adv_f) / sizeof(adv_f[0]), "advocate" },
	{ link_f, sizeof(link_f) / sizeof(link_f[0]), "link" },
	{ event_f, sizeof(event_f) / sizeof(event_f[0]), "event" },
};

/* The hidden fields every form carries: CSRF token and a fresh nonce. */
void
manage_hidden(struct hw *w, const struct sess *s)
{
	char	 nonce[RPT_NONCE_HEX + 1];

	hs_rand_hex(nonce, sizeof(nonce));
	hw_csrf(w, s);
	hw_hidden(w, "once", nonce);
}

/* The campaigns as <option>s, sel selected. */
static void
camp_options(struct hw *w, struct hs_db *db, const char *sel)
{
	char		 slug[80], name[RPT_TEXT_MAX],
			 hosts[HS_HOSTS_MAX + 1];
	struct hs_dbparam p[1] = { HS_DBP_INT(LIST_MAX) };
	struct hs_dbcol	 c[4] = { HS_DBC_TEXT(slug), HS_DBC_TEXT(name),
			    HS_DBC_TEXT(hosts), HS_DBC_INT };
	int		 have;

	hw_raw(w, "<option value=\"\">Choose a campaign</option>");
	if (w->e != HS_OK ||
	    (w->e = hs_db_query(db, M_CAMP_LIST, p, 1, c, 4)) != HS_OK)
		return;
	while (w->e == HS_OK &&
	    (w->e = hs_db_fetch(db, M_CAMP_LIST, &have)) == HS_OK && have) {
		hw_open(w, "option", "value", slug, "selected",
		    strcmp(slug, sel) == 0 ? hs_html_bare : NULL,
		    (char *)NULL);
		hw_text(w, name);
		hw_text(w, " (");
		hw_text(w, slug);
		hw_text(w, ")");
		hw_close(w, "option");
	}
	hs_db_end(db, M_CAMP_LIST);
}

/* A field's ids: its control's, and its hint's. */
struct fids {
	char	 id[80];
	char	 hint[96];
};

static void
field_ids(struct fids *ids, const struct mform *f, const struct fdef *d)
{

	(void)snprintf(ids->id, sizeof(ids->id), "%s-%s", manage_kinds[f->kind],
	    d->name);
	(void)snprintf(ids->hint, sizeof(ids->hint), "%s-hint", ids->id);
}

/*
 * Field i's control (a textarea, a select or an input) with its value
 * or its options, required when it is, and tied to its hint.
 */
static void
control_html(struct hw *w, struct mview *mv, const struct mform *f,
    size_t i, const struct fids *ids)
{
	static const char *const st[] = { "active", "paused", "removed" };
	const struct fdef *d = &manage_forms[f->kind].f[i];
	const char	*req = d->req ? hs_html_bare : NULL;
	const char	*inv = f->bad == (int)i ? "true" : NULL;
	const char	*desc = d->hint != NULL || f->bad == (int)i ?
			    ids->hint : NULL;
	char		 max[24];
	size_t		 j;

	switch (d->type) {
	case F_AREA:
		hw_open(w, "textarea", "id", ids->id, "name", d->name, "rows",
		    "3", "required", req, "aria-invalid", inv,
		    "aria-describedby", desc, (char *)NULL);
		hw_text(w, f->v[i]);
		hw_close(w, "textarea");
		break;
	case F_STATUS:
	case F_CAMPAIGN:
		hw_open(w, "select", "id", ids->id, "name", d->name,
		    "required", req, "aria-invalid", inv,
		    "aria-describedby", desc, (char *)NULL);
		if (d->type == F_CAMPAIGN)
			camp_options(w, mv->db, f->v[i]);
		else
			for (j = 0; j < 3; j++)
				hw_elem(w, "option", st[j], "selected",
				    strcmp(f->v[i], st[j]) == 0 ?
				    hs_html_bare : NULL, (char *)NULL);
		hw_close(w, "select");
		break;
	default:
		(void)snprintf(max, sizeof(max), "%zu", d->max);
		hw_void(w, "input", "type", d->type == F_URL ? "url" : "text",
		    "id", ids->id, "name", d->name, "maxlength", max,
		    "autocomplete", "off", "required", req,
		    "aria-invalid", inv, "aria-describedby", desc,
		    "value", f->v[i], (char *)NULL);
		break;
	}
}

/* Field i's hint, and why it was refused. */
static void
hint_html(struct hw *w, const struct mform *f, size_t i,
    const struct fids *ids)
{
	const struct fdef *d = &manage_forms[f->kind].f[i];

	if (d->hint == NULL && f->bad != (int)i)
		return;
	hw_open(w, "span", "class", f->bad == (int)i ? "hint error" : "hint",
	    "id", ids->hint, (char *)NULL);
	if (f->bad == (int)i) {
		hw_text(w, f->why);
		if (d->hint != NULL)
			hw_text(w, " \xe2\x80\x94 ");
	}
	hw_text(w, d->hint);
	hw_close(w, "span");
}

/* Field i of a form: its label, control and hint. */
static void
field_html(struct hw *w, struct mview *mv, const struct mform *f, size_t i)
{
	const struct fdef *d = &manage_forms[f->kind].f[i];
	struct fids	 ids;

	field_ids(&ids, f, d);
	hw_raw(w, "<p>");
	if (d->type == F_CHECK) {
		hw_void(w, "input", "type", "checkbox", "id", ids.id, "name",
		    d->name, "value", "on", "checked", f->v[i][0] != '\0' ?
		    hs_html_bare : NULL, (char *)NULL);
		hw_raw(w, " ");
		hw_elem(w, "label", d->label, "for", ids.id, (char *)NULL);
		hw_raw(w, "</p>");
		return;
	}
	hw_open(w, "label", "for", ids.id, (char *)NULL);
	hw_text(w, d->label);
	if (d->req)
		hw_raw(w, " (required)");
	hw_close(w, "label");
	if (f->edit && (i == 0 || d->type == F_CAMPAIGN || d->fixed)) {
		/* What names the object is not changed here. */
		hw_void(w, "input", "type", "text", "id", ids.id, "name",
		    d->name, "readonly", hs_html_bare, "value", f->v[i],
		    (char *)NULL);
		hw_raw(w, "</p>");
		return;
	}
	control_html(w, mv, f, i, &ids);
	hint_html(w, f, i, &ids);
	hw_raw(w, "</p>");
}

/* Disable or re-enable an object: a form of its own, one button. */
static void
able_html(struct hw *w, struct mview *mv, const struct mform *f)
{

	hw_raw(w, "<form method=\"post\" action=\"/admin/manage/save\" "
	    "class=\"manage able\">");
	manage_hidden(w, mv->s);
	hw_hidden(w, "kind", manage_kinds[f->kind]);
	hw_hidden(w, "op", f->disabled ? "enable" : "disable");
	hw_hidden(w, manage_forms[f->kind].f[0].name, f->v[0]);
	hw_raw(w, "<button type=\"submit\">");
	hw_text(w, f->disabled ? "Re-enable this " : "Disable this ");
	hw_text(w, manage_forms[f->kind].title);
	hw_raw(w, "</button></form>\n");
}

/* One form: create or edit (save), with its values and refusal. */
void
form_html(struct hw *w, struct mview *mv, const struct mform *f)
{
	char		 id[32];
	size_t		 i;

	(void)snprintf(id, sizeof(id), "form-%s", manage_kinds[f->kind]);
	hw_open(w, "form", "method", "post", "action", "/admin/manage/save",
	    "class", "manage", "id", id, "novalidate", hs_html_bare,
	    (char *)NULL);
	manage_hidden(w, mv->s);
	hw_hidden(w, "kind", manage_kinds[f->kind]);
	hw_hidden(w, "op", "save");
	hw_hidden(w, "edit", f->edit ? "1" : "0");
	if (f->why != NULL && f->bad < 0)
		hw_elem(w, "p", f->why, "class", "error", "role", "alert",
		    (char *)NULL);
	for (i = 0; i < manage_forms[f->kind].n; i++)
		field_html(w, mv, f, i);
	hw_raw(w, "<p><button type=\"submit\">");
	hw_text(w, f->edit ? "Save " : "Create ");
	hw_text(w, manage_forms[f->kind].title);
	hw_raw(w, "</button></p></form>\n");
	if (f->edit)
		able_html(w, mv, f);
}

/*
 * Fills f with the stored object named key.  Returns 1, 0 when there is
 * none, or -1 for a database error.
 */
int
form_load(struct hs_db *db, struct mform *f, const char *key)
{
	struct hs_dbparam p[1] = { HS_DBP_TEXT(key) };
	struct hs_dbcol	 c[FIELDS_MAX];
	size_t		 i, n = manage_forms[f->kind].n, nc, st, first;
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

	for (i = 0; i < manage_forms[f->kind].n; i++) {
		d = &manage_forms[f->kind].f[i];
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
	const struct fdef *d = &manage_forms[f->kind].f[i];
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
	for (i = 0; i < manage_forms[f->kind].n; i++)
		if ((why = field_bad(f, i)) != NULL) {
			f->bad = (int)i;
			f->why = why;
			return 0;
		}
	f->bad = -1;
	return 1;
}
