/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * page_queue.c: the review queue of unmatched free texts, its
 * downloads, and the mapping of a text to a rule.  Each text comes with
 * the advocates and events whose names it contains, best first, with a
 * confidence; one click maps it to one.  A target that cannot be used
 * shows the queue again with the message beside the text and the typed
 * value kept; a mapping made is confirmed with an undo.  The queue and
 * its rules are global, so only analysts of all campaigns see it.
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
#define CANDS_MAX	2000	/* advocates and events weighed as suggestions */
#define SUGGEST_MAX	3	/* suggestions shown per text */
#define SUGGEST_MIN	0.5	/* lowest confidence suggested */
#define TOKENS_MAX	16	/* words of a name or text compared */

static const struct rtcol review_cols[] = {
	{ "kind", "Kind", 0 },
	{ "text", "Text (normalised)", 0 },
	{ "sample", "As typed", 0 },
	{ "count", "Signups", 1 },
	{ "first_seen", "First seen", 0 },
	{ "last_seen", "Last seen", 0 },
};

/* ------------------------------------------------------------ review */

/* An advocate or event a text may name, its name cut into words. */
struct cand {
	char		 kind[16];	/* advocate, event */
	char		 key[RPT_NAME_MAX + 1];	/* handle or slug */
	char		 label[RPT_TEXT_MAX];
	char		 tok[TOKENS_MAX][32];
	size_t		 ntok;
};

struct review {
	struct report	*rp;
	const struct sess *s;
	struct rtable	 t;
	struct cand	*cand;
	size_t		 ncand;
	long long	 done_rule;	/* ?rule=: a mapping just made */
	const char	*err;		/* a form error, beside its text */
	const char	*err_kind, *err_text, *typed;
};

/*
 * Cuts s into lower-case words of letters and digits (bytes from 0x80
 * kept: the queue's texts are normalised already, accents removed).
 */
static size_t
words(const char *s, char tok[][32], size_t max)
{
	size_t	 n = 0, l = 0;

	for (;; s++) {
		unsigned char ch = (unsigned char)*s;
		int	 in = (ch >= 'a' && ch <= 'z') || (ch >= 'A' &&
		    ch <= 'Z') || (ch >= '0' && ch <= '9') || ch >= 0x80;

		if (in && n < max && l < 31)
			tok[n][l++] = (char)(ch >= 'A' && ch <= 'Z' ?
			    ch + 32 : ch);
		else if (!in && l > 0) {
			tok[n++][l] = '\0';
			l = 0;
		}
		if (ch == '\0')
			break;
	}
	return n;
}

/*
 * How surely text names c, 0 to 1: the share of the name's words found
 * among the text's (an initial that begins a word counts half), the
 * whole name found rising with how much of the text it is; the handle
 * or slug as a word of its own is 0.95.
 */
static double
confidence(const struct cand *c, char tt[][32], size_t nt)
{
	double	 got = 0;
	size_t	 i, j;

	for (j = 0; j < nt; j++)
		if (strcmp(tt[j], c->key) == 0)
			return 0.95;
	if (c->ntok == 0)
		return 0;
	for (i = 0; i < c->ntok; i++)
		for (j = 0; j < nt; j++) {
			if (strcmp(c->tok[i], tt[j]) == 0) {
				got += 1;
				break;
			}
			if (strlen(tt[j]) == 1 && c->tok[i][0] == tt[j][0]) {
				got += 0.5;
				break;
			}
		}
	if (got >= (double)c->ntok)
		return 0.9 + 0.09 * (double)c->ntok / (double)(nt > c->ntok ?
		    nt : c->ntok);
	return 0.8 * got / (double)c->ntok;
}

/* Loads the advocates and events a text may name. */
static enum hs_err
load_cands(struct review *rv)
{
	struct report	*rp = rv->rp;
	char		 kind[16], key[RPT_TEXT_MAX], label[RPT_TEXT_MAX];
	struct hs_dbcol	 c[3] = { HS_DBC_TEXT(kind), HS_DBC_TEXT(key),
			    HS_DBC_TEXT(label) };
	struct cand	*k;
	enum hs_err	 e;
	int		 have;

	if ((rv->cand = hs_xcalloc(CANDS_MAX, sizeof(*rv->cand))) == NULL)
		return HS_ENOMEM;
	if ((e = hs_db_query(rp->ro, STMT_TARGETS, NULL, 0, c, 3)) != HS_OK)
		return e;
	while ((e = hs_db_fetch(rp->ro, STMT_TARGETS, &have)) == HS_OK &&
	    have && rv->ncand < CANDS_MAX) {
		if (c[1].truncated || strlen(key) > RPT_NAME_MAX)
			continue;
		k = &rv->cand[rv->ncand++];
		(void)snprintf(k->kind, sizeof(k->kind), "%s", kind);
		(void)snprintf(k->key, sizeof(k->key), "%s", key);
		(void)snprintf(k->label, sizeof(k->label), "%s", label);
		k->ntok = words(label, k->tok, TOKENS_MAX);
	}
	hs_db_end(rp->ro, STMT_TARGETS);
	return e;
}

/* The best candidates for one text, each a one-click form. */
static void
suggestions(struct hw *w, const struct review *rv, const char *kind,
    const char *text)
{
	char		 tt[TOKENS_MAX][32], target[RPT_NAME_MAX + 20],
			 label[RPT_TEXT_MAX + 64];
	double		 best[SUGGEST_MAX] = { 0 };
	size_t		 pick[SUGGEST_MAX], nt, i, j, n = 0;
	double		 cf;

	nt = words(text, tt, TOKENS_MAX);
	for (i = 0; i < rv->ncand; i++) {
		if (strcmp(kind, "event_text") == 0 &&
		    strcmp(rv->cand[i].kind, "event") != 0)
			continue;
		if ((cf = confidence(&rv->cand[i], tt, nt)) < SUGGEST_MIN)
			continue;
		for (j = n < SUGGEST_MAX ? n++ : SUGGEST_MAX; j > 0 &&
		    best[j - 1] < cf; j--)
			if (j < SUGGEST_MAX) {
				best[j] = best[j - 1];
				pick[j] = pick[j - 1];
			}
		if (j < SUGGEST_MAX) {
			best[j] = cf;
			pick[j] = i;
		}
	}
	if (n == 0)
		return;
	hw_elem(w, "p", "Suggested:", "class", "muted", (char *)NULL);
	hw_open(w, "div", "class", "actions", (char *)NULL);
	for (i = 0; i < n; i++) {
		const struct cand *c = &rv->cand[pick[i]];

		(void)snprintf(target, sizeof(target), "%s:%s", c->kind,
		    c->key);
		(void)snprintf(label, sizeof(label), "%s (%s, %.0f%% sure)",
		    c->label, c->kind, 100 * best[i]);
		hw_open(w, "form", "method", "post", "action",
		    "/admin/review/map", "class", "inline suggest",
		    (char *)NULL);
		hw_key(w, rv->s, kind, "text", text);
		hw_void(w, "input", "type", "hidden", "name", "target",
		    "value", target, (char *)NULL);
		hw_elem(w, "button", label, "type", "submit", "class",
		    i ? "secondary" : NULL, (char *)NULL);
		hw_close(w, "form");
	}
	hw_close(w, "div");
}

/* The confirmation of a mapping just made, with its undo. */
static void
done_notice(struct hw *w, const struct review *rv)
{
	char		 kind[16], pat[REVIEW_TEXT_MAX * 4 + 1], tk[16],
			 chan[40], name[RPT_TEXT_MAX];
	struct hs_dbparam p[1] = { HS_DBP_INT(rv->done_rule) };
	struct hs_dbcol	 c[5] = { HS_DBC_TEXT(kind), HS_DBC_TEXT(pat),
			    HS_DBC_TEXT(tk), HS_DBC_TEXT(chan),
			    HS_DBC_TEXT(name) };
	int		 have = 0;

	if (rv->done_rule == 0 || w->e != HS_OK)
		return;
	if ((w->e = hs_db_row(rv->rp->ro, STMT_RULE_GET_ID, p, 1, c, 5,
	    &have)) != HS_OK || !have)
		return;
	hw_open(w, "div", "class", "notice", "role", "status", (char *)NULL);
	hw_text(w, "Mapped \xe2\x80\x9c");
	hw_text(w, pat);
	hw_text(w, "\xe2\x80\x9d to ");
	hw_text(w, strcmp(tk, "channel") == 0 ? chan : name[0] != '\0' ?
	    name : tk);
	hw_text(w, ". The next reconciliation applies it.");
	hw_open(w, "form", "method", "post", "action", "/admin/rules/undo",
	    "class", "inline", (char *)NULL);
	hw_csrf(w, rv->s);
	hw_void(w, "input", "type", "hidden", "name", "kind", "value", kind,
	    (char *)NULL);
	hw_void(w, "input", "type", "hidden", "name", "pattern", "value", pat,
	    (char *)NULL);
	hw_void(w, "input", "type", "hidden", "name", "back", "value",
	    "review", (char *)NULL);
	hw_elem(w, "button", "Undo", "type", "submit", "class", "secondary",
	    (char *)NULL);
	hw_close(w, "form");
	hw_close(w, "div");
}

/* The review queue: one card per text, its suggestions, one form. */
static enum hs_err
review_body(const struct hs_out *o, void *arg)
{
	struct review	*rv = arg;
	struct hw	 w;
	char		 id[24], hint[32];
	size_t		 i, n = rt_rows(&rv->t);

	hw_init(&w, o);
	hw_elem(&w, "h1", "Review queue", (char *)NULL);
	hw_elem(&w, "p", "Texts people typed that matched no advocate, event "
	    "or channel, most frequent first. Map one and every later "
	    "reconciliation applies the rule; rules can be changed or "
	    "removed under Mapping rules.", (char *)NULL);
	done_notice(&w, rv);
	hw_targets(&w, rv->rp);
	if (n == 0)
		hw_elem(&w, "p", "Nothing to review.", "class", "empty",
		    (char *)NULL);
	hw_open(&w, "ul", "class", "cards", (char *)NULL);
	for (i = 0; i < n && w.e == HS_OK; i++) {
		const char *kind = rt_cell(&rv->t, i, 0);
		const char *text = rt_cell(&rv->t, i, 1);
		int err = rv->err_kind != NULL &&
		    strcmp(rv->err_kind, kind) == 0 &&
		    strcmp(rv->err_text, text) == 0;

		(void)snprintf(id, sizeof(id), "t%zu", i);
		(void)snprintf(hint, sizeof(hint), "t%zu-err", i);
		hw_open(&w, "li", "class", "card", "data-text", text,
		    (char *)NULL);
		hw_elem(&w, "h2", rt_cell(&rv->t, i, 2), (char *)NULL);
		hw_open(&w, "dl", (char *)NULL);
		hw_elem(&w, "dt", "Where", (char *)NULL);
		hw_elem(&w, "dd", text_kind_label(kind), (char *)NULL);
		hw_elem(&w, "dt", "Signups", (char *)NULL);
		hw_elem(&w, "dd", rt_cell(&rv->t, i, 3), (char *)NULL);
		hw_elem(&w, "dt", "Seen", (char *)NULL);
		hw_open(&w, "dd", (char *)NULL);
		hw_text(&w, rt_cell(&rv->t, i, 4));
		hw_text(&w, " \xe2\x80\x93 ");
		hw_text(&w, rt_cell(&rv->t, i, 5));
		hw_close(&w, "dd");
		hw_close(&w, "dl");
		suggestions(&w, rv, kind, text);
		hw_open(&w, "form", "method", "post", "action",
		    "/admin/review/map", "class", "decide map", (char *)NULL);
		hw_key(&w, rv->s, kind, "text", text);
		hw_elem(&w, "label", "Map to (advocate, event, channel or "
		    "ignore)", "for", id, (char *)NULL);
		hw_void(&w, "input", "type", "text", "id", id, "name",
		    "target", "list", "targets", "required", "",
		    "autocomplete", "off", "value", err ? rv->typed : NULL,
		    "aria-invalid", err ? "true" : NULL, "aria-describedby",
		    err ? hint : NULL, (char *)NULL);
		if (err)
			hw_elem(&w, "p", rv->err, "id", hint, "class",
			    "error", (char *)NULL);
		hw_open(&w, "div", "class", "actions", (char *)NULL);
		hw_elem(&w, "button", "Map", "type", "submit", (char *)NULL);
		hw_close(&w, "div");
		hw_close(&w, "form");
		hw_close(&w, "li");
	}
	hw_close(&w, "ul");
	hw_open(&w, "p", "class", "downloads", (char *)NULL);
	hw_text(&w, "Download: ");
	hw_elem(&w, "a", "CSV", "href", "/admin/review?format=csv",
	    (char *)NULL);
	hw_text(&w, " \xc2\xb7 ");
	hw_elem(&w, "a", "JSON", "href", "/admin/review?format=json",
	    (char *)NULL);
	hw_close(&w, "p");
	return w.e;
}

/* Loads the queue (and, for the page, the candidates) and answers. */
static void
review_show(struct report *rp, struct hs_req *r, struct review *rv,
    int fmt, int code)
{
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
	enum hs_err	 e;
	int		 have;

	rt_init(&rv->t, "review", "Unmatched texts", review_cols,
	    NCOLS(review_cols), REVIEW_MAX);
	if ((e = hs_db_query(rp->ro, STMT_REVIEW_LIST, p, 1, c, 6)) != HS_OK) {
		unavailable(r);
		goto out;
	}
	while ((e = hs_db_fetch(rp->ro, STMT_REVIEW_LIST, &have)) == HS_OK &&
	    have) {
		if (c[1].truncated)
			continue;	/* cannot be mapped by its text */
		if ((e = rt_put(&rv->t, kind)) != HS_OK ||
		    (e = rt_put(&rv->t, text)) != HS_OK ||
		    (e = rt_put(&rv->t, sample)) != HS_OK ||
		    (e = rt_printf(&rv->t, "%lld", c[3].i)) != HS_OK ||
		    (e = rt_put(&rv->t, f)) != HS_OK ||
		    (e = rt_put(&rv->t, l)) != HS_OK)
			break;
	}
	hs_db_end(rp->ro, STMT_REVIEW_LIST);
	if (e == HS_OK && fmt == 0)
		e = load_cands(rv);
	if (e != HS_OK) {
		unavailable(r);
		goto out;
	}
	if (fmt > 0)
		download(r, &rv->t, fmt == 2);
	else if (page_render(rp, r, code, rv->s, "Review queue", review_body,
	    rv) != HS_OK)
		hs_log(HS_LOG_INFO, "review: not sent in full");
out:
	rt_free(&rv->t);
	free(rv->cand);
	rv->cand = NULL;
}

/* The queue's ?rule=ID: the rule just added, offered for undo. */
static const struct hs_field review_fields[] = {
	{ .name = "rule", .kind = HS_FIELD_INT, .min = 0,
	    .max = 999999999999999999LL, .label = "Rule" },
};

/* GET /admin/review: the queue, or it as CSV or JSON. */
void
page_review(struct report *rp, struct hs_req *r, const struct sess *s)
{
	static const char *const names[1] = { "review" };
	struct review	 rv;
	struct hs_fval	 qv[1];
	struct hs_fbad	 bad;
	size_t		 which;
	int		 fmt;

	if ((fmt = parse_format(r, names, 1, &which)) < 0) {
		(void)hs_http_error(r, 400, "Unknown format or table.");
		return;
	}
	if (hs_field_parse(r->qv, r->qvsz, review_fields, 1, 0, qv, &bad) !=
	    HS_OK) {
		(void)hs_field_error(r, review_fields, 1, &bad);
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
	if (qv[0].set)
		rv.done_rule = qv[0].i;
	review_show(rp, r, &rv, fmt, 200);
}

/* A mapping decision, checked, for the unit that stores it. */
struct mapping {
	const char	*kind;		/* review_queue.kind */
	const char	*text;		/* review_queue.norm_text */
	struct target	 t;
	const char	*user;
	long long	 rule;		/* out: the new rule's id */
};

/*
 * The unit: the queue row must still be open; the target must exist;
 * a new version of the rule for this text is added and the row marked
 * resolved by it.  Returns HS_OK, HS_ENOTFOUND (row resolved meanwhile),
 * HS_EINVAL (no such target), or a database error.
 */
static enum hs_err
map_unit(struct hs_db *db, void *arg)
{
	struct mapping	*m = arg;
	struct hs_dbparam q[2] = { HS_DBP_TEXT(m->kind), HS_DBP_TEXT(m->text) };
	struct hs_dbparam ins[7];
	struct hs_dbparam res[3];
	struct hs_dbcol	 col = { HS_DB_INT, 0, NULL, 0, 0, 0, 0 };
	long long	 version;
	enum hs_err	 e;
	int		 have = 0;
	int		 ischan = strcmp(m->t.kind, "channel") == 0;

	if ((e = hs_db_row(db, STMT_REVIEW_GET, q, 2, &col, 1, &have)) != HS_OK)
		return e;
	if (!have || col.i == 0)
		return HS_ENOTFOUND;
	if ((e = target_resolve(db, &m->t)) != HS_OK)
		return e;
	if ((e = hs_db_row(db, STMT_RULE_VERSION, q, 2, &col, 1, &have)) !=
	    HS_OK)
		return e;
	version = (have ? col.i : 0) + 1;
	ins[0] = (struct hs_dbparam)HS_DBP_INT(version);
	ins[1] = (struct hs_dbparam)HS_DBP_TEXT(m->kind);
	ins[2] = (struct hs_dbparam)HS_DBP_TEXT(m->text);
	ins[3] = (struct hs_dbparam)HS_DBP_TEXT(m->t.kind);
	ins[4] = (struct hs_dbparam)HS_DBP_INT(m->t.id);
	ins[5] = (struct hs_dbparam)HS_DBP_TEXT(ischan ? m->t.name : "");
	ins[6] = (struct hs_dbparam)HS_DBP_TEXT(m->user);
	if ((e = hs_db_exec(db, STMT_RULE_ADD, ins, 7, NULL)) != HS_OK)
		return e;
	m->rule = (long long)hs_db_insert_id(db, STMT_RULE_ADD);
	res[0] = (struct hs_dbparam)HS_DBP_INT(m->rule);
	res[1] = (struct hs_dbparam)HS_DBP_TEXT(m->kind);
	res[2] = (struct hs_dbparam)HS_DBP_TEXT(m->text);
	return hs_db_exec(db, STMT_REVIEW_RESOLVE, res, 3, NULL);
}

/* The mapping form of the review queue. */
enum { MAP_KIND, MAP_TEXT, MAP_TARGET, MAP__MAX };
static const struct hs_field map_fields[MAP__MAX] = {
	/* MAP_KIND */
	{ .name = "kind", .kind = HS_FIELD_ENUM, .flags = HS_FIELD_REQUIRED,
	    .list = text_kinds, .label = "Kind of text" },
	/* MAP_TEXT */
	{ .name = "text", .kind = HS_FIELD_TEXT, .flags = HS_FIELD_REQUIRED,
	    .max = REVIEW_TEXT_MAX * 4, .label = "Text" },
	/* MAP_TARGET */
	{ .name = "target", .kind = HS_FIELD_TEXT, .max = HS_MAX_FIELD,
	    .label = "Target" },
};

/*
 * POST /admin/review/map: kind, text, target ("channel:NAME",
 * "advocate:HANDLE", "event:SLUG" or "ignore"); CSRF checked by the
 * caller.  400 naming the field for a malformed form, 404 when the
 * text is not (or no longer) in the queue; a target that cannot be used
 * shows the queue again, 422, the message beside the text and the typed
 * value kept; else 303 to the queue, which confirms the mapping with an
 * undo.
 */
void
page_review_map(struct report *rp, struct hs_req *r, const struct sess *s)
{
	struct hs_fval	 v[MAP__MAX];
	struct hs_fbad	 bad;
	const char	*text, *target, *msg;
	char		 to[48];
	struct mapping	 m;
	struct review	 rv;
	enum hs_err	 e;

	if (s->campaign != 0) {
		(void)hs_http_error(r, 403, "The review queue covers every "
		    "campaign; ask an analyst of all campaigns.");
		return;
	}
	if (hs_field_parse(r->form, r->formsz, map_fields, MAP__MAX, 0, v,
	    &bad) != HS_OK) {
		(void)hs_field_error(r, map_fields, MAP__MAX, &bad);
		return;
	}
	/* An empty target is the queue's 422, an absent one a bad form. */
	if (!v[MAP_TARGET].set) {
		bad.row = MAP_TARGET;
		bad.err = HS_ENOTFOUND;
		(void)hs_field_error(r, map_fields, MAP__MAX, &bad);
		return;
	}
	text = v[MAP_TEXT].s;
	target = v[MAP_TARGET].s;
	memset(&m, 0, sizeof(m));
	m.kind = text_kinds[v[MAP_KIND].i];
	m.text = text;
	m.user = s->name;
	memset(&rv, 0, sizeof(rv));
	rv.rp = rp;
	rv.s = s;
	rv.err_kind = m.kind;
	rv.err_text = text;
	rv.typed = target;
	if ((msg = target_parse(target, &m.t)) != NULL) {
		rv.err = msg;
		review_show(rp, r, &rv, 0, 422);
		return;
	}
	e = hs_db_unit(rp->rw, map_unit, &m);
	if (e == HS_ENOTFOUND) {
		(void)hs_http_error(r, 404, "That text is no longer in the "
		    "queue; it may have been mapped already.");
		return;
	}
	if (e == HS_EINVAL) {
		rv.err = "There is no such advocate or event; pick one from "
		    "the list.";
		review_show(rp, r, &rv, 0, 422);
		return;
	}
	if (e != HS_OK) {
		unavailable(r);
		return;
	}
	hs_log(HS_LOG_INFO, "review: rule %lld added by user %lld", m.rule,
	    s->user_id);
	(void)snprintf(to, sizeof(to), "/admin/review?rule=%lld", m.rule);
	rpt_ignore(hs_http_redirect(r, 303, to));
}
