/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * page_queue.c: the review queue of unmatched free texts, its
 * downloads, and the mapping of a text to a rule.  The queue and its
 * rules are global, so only analysts of all campaigns see it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"
#include "report.h"
#include "pages.h"

#define REVIEW_MAX	100	/* review items on one page */
#define REVIEW_TEXT_MAX	500	/* bytes of review_queue.norm_text */

static const struct rtcol review_cols[] = {
	{ "kind", "Kind", 0 },
	{ "text", "Text (normalised)", 0 },
	{ "sample", "As typed", 0 },
	{ "count", "Signups", 1 },
	{ "first_seen", "First seen", 0 },
	{ "last_seen", "Last seen", 0 },
};

/* ------------------------------------------------------------ review */

struct review {
	struct report	*rp;
	const struct sess *s;
	struct rtable	 t;
};

/*
 * One review item's form: the text's key in hidden fields, a target
 * picked from the page's datalist, one button.
 */
static enum hs_err
map_form(const struct hs_out *o, const char *csrf, const char *kind,
    const char *text, size_t i)
{
	enum hs_err	 e;

	if ((e = hs_html_raw(o, "<form method=\"post\" "
	    "action=\"/admin/review/map\" class=\"map\"><input "
	    "type=\"hidden\" name=\"csrf\" value=\"")) != HS_OK ||
	    (e = hs_html_puts(o, csrf)) != HS_OK ||
	    (e = hs_html_raw(o, "\"><input type=\"hidden\" "
	    "name=\"kind\" value=\"")) != HS_OK ||
	    (e = hs_html_puts(o, kind)) != HS_OK ||
	    (e = hs_html_raw(o, "\"><input type=\"hidden\" "
	    "name=\"text\" value=\"")) != HS_OK ||
	    (e = hs_html_puts(o, text)) != HS_OK)
		return e;
	return hs_out_printf(o, "\"><label class=\"visually-hidden\" "
	    "for=\"t%zu\">Map to</label><input type=\"text\" "
	    "id=\"t%zu\" name=\"target\" list=\"targets\" required "
	    "autocomplete=\"off\"><button type=\"submit\">Map</button>"
	    "</form>", i, i);
}

/* The review queue: one form per text, one action each. */
static enum hs_err
review_body(const struct hs_out *o, void *arg)
{
	struct review	*rv = arg;
	char		 kind[16], handle[RPT_TEXT_MAX], label[RPT_TEXT_MAX];
	struct hs_dbcol	 c[3] = {
		{ HS_DB_TEXT, 0, kind, sizeof(kind), 0, 0, 0 },
		{ HS_DB_TEXT, 0, handle, sizeof(handle), 0, 0, 0 },
		{ HS_DB_TEXT, 0, label, sizeof(label), 0, 0, 0 },
	};
	size_t		 i, n = rt_rows(&rv->t);
	enum hs_err	 e;
	int		 have;

	if ((e = hs_html_raw(o, "<h1>Review queue</h1>\n<p>Free texts that "
	    "matched no advocate, event or channel, most frequent first. Map "
	    "one and every later reconciliation applies the rule. Type "
	    "<kbd>advocate:</kbd>, <kbd>event:</kbd> or <kbd>channel:</kbd> "
	    "and pick from the list, or <kbd>ignore</kbd>.</p>\n"
	    "<datalist id=\"targets\"><option value=\"ignore\">not a "
	    "source</option>")) != HS_OK)
		return e;
	for (i = 0; i < HS_CHANNELS; i++)
		if ((e = hs_html_raw(o, "<option value=\"channel:")) != HS_OK ||
		    (e = hs_html_puts(o, hs_channels[i])) != HS_OK ||
		    (e = hs_html_raw(o, "\"></option>")) != HS_OK)
			return e;
	if ((e = hs_db_query(rv->rp->ro, STMT_TARGETS, NULL, 0, c, 3)) !=
	    HS_OK)
		return e;
	while ((e = hs_db_fetch(rv->rp->ro, STMT_TARGETS, &have)) == HS_OK &&
	    have)
		if ((e = hs_html_raw(o, "<option value=\"")) != HS_OK ||
		    (e = hs_html_puts(o, kind)) != HS_OK ||
		    (e = hs_html_raw(o, ":")) != HS_OK ||
		    (e = hs_html_puts(o, handle)) != HS_OK ||
		    (e = hs_html_raw(o, "\">")) != HS_OK ||
		    (e = hs_html_puts(o, label)) != HS_OK ||
		    (e = hs_html_raw(o, "</option>")) != HS_OK)
			break;
	hs_db_end(rv->rp->ro, STMT_TARGETS);
	if (e != HS_OK)
		return e;
	if ((e = hs_html_raw(o, "</datalist>\n<div class=\"tablewrap\" "
	    "tabindex=\"0\"><table class=\"review\"><caption>Unmatched "
	    "texts</caption><thead><tr>"
	    "<th scope=\"col\">Kind</th><th scope=\"col\">As typed</th>"
	    "<th scope=\"col\" class=\"num\">Signups</th><th scope=\"col\">"
	    "Seen</th><th scope=\"col\">Map to</th></tr></thead><tbody>"))
	    != HS_OK)
		return e;
	if (n == 0 && (e = hs_html_raw(o, "<tr><td colspan=\"5\" "
	    "class=\"muted\">Nothing to review.</td></tr>")) != HS_OK)
		return e;
	for (i = 0; i < n; i++) {
		if ((e = hs_html_raw(o, "<tr><td>")) != HS_OK ||
		    (e = hs_html_puts(o, rt_cell(&rv->t, i, 0))) != HS_OK ||
		    (e = hs_html_raw(o, "</td><td class=\"text\">")) != HS_OK ||
		    (e = hs_html_puts(o, rt_cell(&rv->t, i, 2))) != HS_OK ||
		    (e = hs_html_raw(o, "</td><td class=\"num\">")) != HS_OK ||
		    (e = hs_html_puts(o, rt_cell(&rv->t, i, 3))) != HS_OK ||
		    (e = hs_html_raw(o, "</td><td>")) != HS_OK ||
		    (e = hs_html_puts(o, rt_cell(&rv->t, i, 4))) != HS_OK ||
		    (e = hs_html_raw(o, " \xe2\x80\x93 ")) != HS_OK ||
		    (e = hs_html_puts(o, rt_cell(&rv->t, i, 5))) != HS_OK ||
		    (e = hs_html_raw(o, "</td><td>")) != HS_OK ||
		    (e = map_form(o, rv->s->csrf, rt_cell(&rv->t, i, 0),
		    rt_cell(&rv->t, i, 1), i)) != HS_OK ||
		    (e = hs_html_raw(o, "</td></tr>\n")) != HS_OK)
			return e;
	}
	if ((e = hs_html_raw(o, "</tbody></table></div>\n"
	    "<p class=\"downloads\">Download: "
	    "<a href=\"/admin/review?format=csv\">CSV</a> \xc2\xb7 "
	    "<a href=\"/admin/review?format=json\">JSON</a></p>\n")) !=
	    HS_OK)
		return e;
	return HS_OK;
}

/* GET /admin/review: the queue, or it as CSV or JSON. */
void
page_review(struct report *rp, struct hs_req *r, const struct sess *s)
{
	static const char *const names[1] = { "review" };
	struct review	 rv;
	char		 kind[16], text[REVIEW_TEXT_MAX * 4 + 1],
			 sample[REVIEW_TEXT_MAX * 4 + 1], f[16], l[16];
	struct hs_dbparam p[1] = { HS_DBP_INT(REVIEW_MAX) };
	struct hs_dbcol	 c[6] = {
		{ HS_DB_TEXT, 0, kind, sizeof(kind), 0, 0, 0 },
		{ HS_DB_TEXT, 0, text, sizeof(text), 0, 0, 0 },
		{ HS_DB_TEXT, 0, sample, sizeof(sample), 0, 0, 0 },
		{ HS_DB_INT, 0, NULL, 0, 0, 0, 0 },
		{ HS_DB_TEXT, 0, f, sizeof(f), 0, 0, 0 },
		{ HS_DB_TEXT, 0, l, sizeof(l), 0, 0, 0 },
	};
	size_t		 which;
	enum hs_err	 e;
	int		 fmt, have;

	if ((fmt = parse_format(r, names, 1, &which)) < 0) {
		(void)hs_http_error(r, 400, "Unknown format or table.");
		return;
	}
	if (s->campaign != 0) {
		(void)hs_http_error(r, 403, "The review queue covers every "
		    "campaign; ask an analyst of all campaigns.");
		return;
	}
	memset(&rv, 0, sizeof(rv));
	rv.rp = rp;
	rv.s = s;
	rt_init(&rv.t, "review", "Unmatched texts", review_cols,
	    NCOLS(review_cols), REVIEW_MAX);
	if ((e = hs_db_query(rp->ro, STMT_REVIEW_LIST, p, 1, c, 6)) != HS_OK) {
		unavailable(r);
		goto out;
	}
	while ((e = hs_db_fetch(rp->ro, STMT_REVIEW_LIST, &have)) == HS_OK &&
	    have) {
		if (c[1].truncated)
			continue;	/* cannot be mapped by its text */
		if ((e = rt_put(&rv.t, kind)) != HS_OK ||
		    (e = rt_put(&rv.t, text)) != HS_OK ||
		    (e = rt_put(&rv.t, sample)) != HS_OK ||
		    (e = rt_printf(&rv.t, "%lld", c[3].i)) != HS_OK ||
		    (e = rt_put(&rv.t, f)) != HS_OK ||
		    (e = rt_put(&rv.t, l)) != HS_OK)
			break;
	}
	hs_db_end(rp->ro, STMT_REVIEW_LIST);
	if (e != HS_OK) {
		unavailable(r);
		goto out;
	}
	if (fmt > 0)
		download(r, &rv.t, fmt == 2);
	else if (page_render(rp, r, 200, s, "Review queue", review_body, &rv)
	    != HS_OK)
		hs_log(HS_LOG_INFO, "review: not sent in full");
out:
	rt_free(&rv.t);
}

/* A mapping decision, checked, for the unit that stores it. */
struct mapping {
	const char	*kind;		/* review_queue.kind */
	const char	*text;		/* review_queue.norm_text */
	const char	*tkind;		/* channel, advocate, event, ignore */
	const char	*tname;		/* handle, slug or channel */
	const char	*user;
	long long	 rule;		/* out: the new rule's id */
};

/*
 * The unit: the queue row must still be open; the target must exist;
 * a new version of the rule for this text is added and the row marked
 * resolved by it.  Returns HS_OK, HS_ENOTFOUND (row resolved meanwhile
 * or no such target: *what says which), or a database error.
 */
static enum hs_err
map_unit(struct hs_db *db, void *arg)
{
	struct mapping	*m = arg;
	struct hs_dbparam q[2] = { HS_DBP_TEXT(m->kind), HS_DBP_TEXT(m->text) };
	struct hs_dbparam t[1] = { HS_DBP_TEXT(m->tname) };
	struct hs_dbparam ins[7];
	struct hs_dbparam res[3];
	struct hs_dbcol	 col = { HS_DB_INT, 0, NULL, 0, 0, 0, 0 };
	long long	 target = 0, version;
	enum hs_err	 e;
	int		 have = 0;
	int		 ischan = strcmp(m->tkind, "channel") == 0;

	if ((e = hs_db_row(db, STMT_REVIEW_GET, q, 2, &col, 1, &have)) != HS_OK)
		return e;
	if (!have || col.i == 0)
		return HS_ENOTFOUND;
	if (strcmp(m->tkind, "advocate") == 0 ||
	    strcmp(m->tkind, "event") == 0) {
		size_t st = m->tkind[0] == 'a' ? STMT_TARGET_ADVOCATE :
		    STMT_TARGET_EVENT;

		if ((e = hs_db_row(db, st, t, 1, &col, 1, &have)) != HS_OK)
			return e;
		if (!have)
			return HS_EINVAL;
		target = col.i;
	}
	if ((e = hs_db_row(db, STMT_RULE_VERSION, q, 2, &col, 1, &have)) !=
	    HS_OK)
		return e;
	version = (have ? col.i : 0) + 1;
	ins[0] = (struct hs_dbparam)HS_DBP_INT(version);
	ins[1] = (struct hs_dbparam)HS_DBP_TEXT(m->kind);
	ins[2] = (struct hs_dbparam)HS_DBP_TEXT(m->text);
	ins[3] = (struct hs_dbparam)HS_DBP_TEXT(m->tkind);
	ins[4] = (struct hs_dbparam)HS_DBP_INT(target);
	ins[5] = (struct hs_dbparam)HS_DBP_TEXT(ischan ? m->tname : "");
	ins[6] = (struct hs_dbparam)HS_DBP_TEXT(m->user);
	if ((e = hs_db_exec(db, STMT_RULE_ADD, ins, 7, NULL)) != HS_OK)
		return e;
	m->rule = (long long)hs_db_insert_id(db, STMT_RULE_ADD);
	res[0] = (struct hs_dbparam)HS_DBP_INT(m->rule);
	res[1] = (struct hs_dbparam)HS_DBP_TEXT(m->kind);
	res[2] = (struct hs_dbparam)HS_DBP_TEXT(m->text);
	return hs_db_exec(db, STMT_REVIEW_RESOLVE, res, 3, NULL);
}

/*
 * POST /admin/review/map: kind, text, target ("channel:NAME",
 * "advocate:HANDLE", "event:SLUG" or "ignore"); CSRF checked by the
 * caller.  400 for a malformed decision or unknown target, 404 when
 * the text is not (or no longer) in the queue, else 303 to the queue.
 */
void
page_review_map(struct report *rp, struct hs_req *r, const struct sess *s)
{
	static const char *const kinds[] = { "other_text", "referrer_text",
	    "event_text" };
	const char	*kind = NULL, *text = NULL, *target = NULL, *colon;
	char		 tkind[16];
	struct mapping	 m;
	enum hs_err	 e;
	size_t		 i, n;

	if (s->campaign != 0) {
		(void)hs_http_error(r, 403, "The review queue covers every "
		    "campaign; ask an analyst of all campaigns.");
		return;
	}
	if (hs_kv_get(r->form, r->formsz, "kind", &kind) != HS_OK ||
	    hs_kv_get(r->form, r->formsz, "text", &text) != HS_OK ||
	    hs_kv_get(r->form, r->formsz, "target", &target) != HS_OK ||
	    kind == NULL || text == NULL || target == NULL ||
	    strlen(text) > REVIEW_TEXT_MAX * 4 || *text == '\0') {
		(void)hs_http_error(r, 400, "The mapping could not be read.");
		return;
	}
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kind, kinds[i]) == 0)
			break;
	if (i == sizeof(kinds) / sizeof(kinds[0])) {
		(void)hs_http_error(r, 400, "Unknown kind of text.");
		return;
	}
	memset(&m, 0, sizeof(m));
	m.kind = kinds[i];
	m.text = text;
	m.user = s->name;
	if (strcmp(target, "ignore") == 0) {
		m.tkind = "ignore";
		m.tname = "";
	} else {
		if ((colon = strchr(target, ':')) == NULL ||
		    (n = (size_t)(colon - target)) >= sizeof(tkind) ||
		    colon[1] == '\0' || strlen(colon + 1) > RPT_NAME_MAX) {
			(void)hs_http_error(r, 400, "Map to advocate:HANDLE, "
			    "event:SLUG, channel:NAME or ignore.");
			return;
		}
		memcpy(tkind, target, n);
		tkind[n] = '\0';
		m.tname = colon + 1;
		if (strcmp(tkind, "advocate") == 0)
			m.tkind = "advocate";
		else if (strcmp(tkind, "event") == 0)
			m.tkind = "event";
		else if (strcmp(tkind, "channel") == 0) {
			m.tkind = "channel";
			if (!hs_channel_known(m.tname)) {
				(void)hs_http_error(r, 400, "Unknown channel.");
				return;
			}
		} else {
			(void)hs_http_error(r, 400, "Map to advocate:HANDLE, "
			    "event:SLUG, channel:NAME or ignore.");
			return;
		}
	}
	e = hs_db_unit(rp->rw, map_unit, &m);
	if (e == HS_ENOTFOUND) {
		(void)hs_http_error(r, 404, "That text is no longer in the "
		    "queue; it may have been mapped already.");
		return;
	}
	if (e == HS_EINVAL) {
		(void)hs_http_error(r, 400, "There is no such advocate or "
		    "event.");
		return;
	}
	if (e != HS_OK) {
		unavailable(r);
		return;
	}
	hs_log(HS_LOG_INFO, "review: rule %lld added by user %lld", m.rule,
	    s->user_id);
	rpt_ignore(hs_http_redirect(r, 303, "/admin/review"));
}
