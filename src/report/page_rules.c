/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * page_rules.c: the analysts' mapping rules (issue 16), listed, edited,
 * removed and undone.  Rules are versioned (sql/040): every change here
 * is one more version of the (kind, pattern), never an edit of a row,
 * so the history stays and the next hearsay-reconcile replays the
 * texts of every new version (phase_rules).  Removing adds a version
 * 'removed' (sql/121): the text is unmatched again and back in the
 * queue.  Undo adds a copy of the version before the newest.  Like the
 * queue, rules are global: analysts of all campaigns only.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"
#include "report.h"
#include "pages.h"

#define RULES_PAGE	100	/* rules on one page */
#define PATTERN_MAX	2000	/* bytes of a pattern (500 characters) */

/* What a kind of text is, in an analyst's words. */
const char *
text_kind_label(const char *kind)
{

	if (strcmp(kind, "other_text") == 0)
		return "Typed under \"Other\"";
	if (strcmp(kind, "referrer_text") == 0)
		return "Name of the person who referred them";
	if (strcmp(kind, "event_text") == 0)
		return "Event they named";
	return kind;
}

/*
 * The kinds of text a rule maps, as the database spells them: the one
 * list the rules' and the review queue's field tables both take.
 */
const char *const text_kinds[] = { "other_text", "referrer_text",
    "event_text", NULL };

/*
 * Parses a target as typed: channel:NAME, advocate:HANDLE, event:SLUG
 * or ignore.  Returns NULL with t filled, or a message for the person.
 */
const char *
target_parse(const char *s, struct target *t)
{
	const char	*colon;
	size_t		 n;

	memset(t, 0, sizeof(*t));
	if (s == NULL)
		return "Choose what the text means.";
	s += strspn(s, " ");
	if (strcmp(s, "ignore") == 0) {
		t->kind = "ignore";
		t->name = "";
		return NULL;
	}
	if ((colon = strchr(s, ':')) == NULL || colon[1] == '\0' ||
	    strlen(colon + 1) > RPT_NAME_MAX)
		return "Write advocate:HANDLE, event:SLUG, channel:NAME or "
		    "ignore (pick from the list).";
	n = (size_t)(colon - s);
	t->name = colon + 1;
	if (n == 8 && strncmp(s, "advocate", n) == 0)
		t->kind = "advocate";
	else if (n == 5 && strncmp(s, "event", n) == 0)
		t->kind = "event";
	else if (n == 7 && strncmp(s, "channel", n) == 0) {
		t->kind = "channel";
		if (!hs_channel_known(t->name))
			return "There is no such channel; pick one from the "
			    "list.";
	} else
		return "Write advocate:HANDLE, event:SLUG, channel:NAME or "
		    "ignore (pick from the list).";
	return NULL;
}

/*
 * Inside a unit: the id of t's advocate or event (HS_EINVAL when there
 * is none), 0 for a channel or ignore.
 */
enum hs_err
target_resolve(struct hs_db *db, struct target *t)
{
	struct hs_dbparam p[1] = { HS_DBP_TEXT(t->name) };
	struct hs_dbcol	 c = HS_DBC_INT;
	enum hs_err	 e;
	int		 have = 0;

	t->id = 0;
	if (strcmp(t->kind, "advocate") != 0 && strcmp(t->kind, "event") != 0)
		return HS_OK;
	if ((e = hs_db_row(db, t->kind[0] == 'a' ? STMT_TARGET_ADVOCATE :
	    STMT_TARGET_EVENT, p, 1, &c, 1, &have)) != HS_OK)
		return e;
	if (!have)
		return HS_EINVAL;
	t->id = c.i;
	return HS_OK;
}

/* A change of one rule, for the unit that stores it. */
struct change {
	const char	*kind;
	const char	*pattern;
	const char	*user;
	enum { CH_SET, CH_REMOVE, CH_UNDO } op;
	struct target	 t;		/* CH_SET: the new target */
	long long	 rule;		/* out: the new version's id */
};

/*
 * The unit: reads the newest two versions, adds the next one (the new
 * target, 'removed', or a copy of the one before the newest), and
 * points the queue row at it (0 when removed: the text is open again).
 * HS_ENOTFOUND when there is no rule to remove or undo, HS_EINVAL for
 * an unknown advocate or event.
 */
static enum hs_err
change_unit(struct hs_db *db, void *arg)
{
	struct change	*ch = arg;
	struct hs_dbparam q[2] = { HS_DBP_TEXT(ch->kind),
			    HS_DBP_TEXT(ch->pattern) };
	struct hs_dbparam ins[7], res[3];
	char		 tk[2][16], tc[2][CHANNEL_MAX + 1], tkb[16],
			 tcb[CHANNEL_MAX + 1];
	long long	 ver[2] = { 0, 0 }, tid[2] = { 0, 0 };
	struct hs_dbcol	 c[4];
	const char	*nk, *nc;
	long long	 nid;
	enum hs_err	 e;
	int		 have, n = 0;

	if (ch->op == CH_SET && (e = target_resolve(db, &ch->t)) != HS_OK)
		return e;
	c[0] = (struct hs_dbcol)HS_DBC_INT;
	c[1] = (struct hs_dbcol)HS_DBC_TEXT(tkb);
	c[2] = (struct hs_dbcol)HS_DBC_INT;
	c[3] = (struct hs_dbcol)HS_DBC_TEXT(tcb);
	if ((e = hs_db_query(db, STMT_RULE_LAST, q, 2, c, 4)) != HS_OK)
		return e;
	while (n < 2 && (e = hs_db_fetch(db, STMT_RULE_LAST, &have)) ==
	    HS_OK && have) {
		ver[n] = c[0].i;
		tid[n] = c[2].i;
		(void)snprintf(tk[n], sizeof(tk[n]), "%s", tkb);
		(void)snprintf(tc[n], sizeof(tc[n]), "%s", tcb);
		n++;
	}
	hs_db_end(db, STMT_RULE_LAST);
	if (e != HS_OK)
		return e;
	switch (ch->op) {
	case CH_SET:
		nk = ch->t.kind;
		nid = ch->t.id;
		nc = strcmp(nk, "channel") == 0 ? ch->t.name : "";
		break;
	case CH_REMOVE:
		if (n == 0 || strcmp(tk[0], "removed") == 0)
			return HS_ENOTFOUND;
		nk = "removed";
		nid = 0;
		nc = "";
		break;
	default:
		if (n == 0)
			return HS_ENOTFOUND;
		if (n == 1) {		/* undo the first: no rule */
			nk = "removed";
			nid = 0;
			nc = "";
		} else {
			nk = tk[1];
			nid = tid[1];
			nc = tc[1];
		}
		break;
	}
	ins[0] = (struct hs_dbparam)HS_DBP_INT(ver[0] + 1);
	ins[1] = (struct hs_dbparam)HS_DBP_TEXT(ch->kind);
	ins[2] = (struct hs_dbparam)HS_DBP_TEXT(ch->pattern);
	ins[3] = (struct hs_dbparam)HS_DBP_TEXT(nk);
	ins[4] = (struct hs_dbparam)HS_DBP_INT(nid);
	ins[5] = (struct hs_dbparam)HS_DBP_TEXT(nc);
	ins[6] = (struct hs_dbparam)HS_DBP_TEXT(ch->user);
	if ((e = hs_db_exec(db, STMT_RULE_ADD, ins, 7, NULL)) != HS_OK)
		return e;
	ch->rule = (long long)hs_db_insert_id(db, STMT_RULE_ADD);
	res[0] = (struct hs_dbparam)HS_DBP_INT(strcmp(nk, "removed") == 0 ?
	    0 : ch->rule);
	res[1] = (struct hs_dbparam)HS_DBP_TEXT(ch->kind);
	res[2] = (struct hs_dbparam)HS_DBP_TEXT(ch->pattern);
	return hs_db_exec(db, STMT_QUEUE_POINT, res, 3, NULL);
}

struct rules {
	struct report	*rp;
	const struct sess *s;
	const char	*err;		/* a form error, beside its rule */
	const char	*err_kind, *err_pattern, *typed;
};

/* The target of a rule as an analyst types it. */
static void
target_str(char *b, size_t sz, const char *tk, const char *name,
    const char *chan)
{

	if (strcmp(tk, "ignore") == 0 || strcmp(tk, "removed") == 0)
		(void)snprintf(b, sz, "%s", tk);
	else if (strcmp(tk, "channel") == 0)
		(void)snprintf(b, sz, "channel:%s", chan);
	else
		(void)snprintf(b, sz, "%s:%s", tk, name);
}

/* One rule as listed: STMT_RULES_LIST's columns. */
struct rule_row {
	long long	 version;
	char		 kind[16], pat[PATTERN_MAX + 1], tk[16], chan[40],
			 name[RPT_TEXT_MAX], by[RPT_NAME_MAX * 4 + 1], at[20];
};

/* A rule's Remove (unless it is removed) and Undo buttons. */
static void
rule_actions(struct hw *w, const struct sess *s, const struct rule_row *ru,
    int removed)
{

	hw_open(w, "div", "class", "actions", (char *)NULL);
	if (!removed) {
		hw_open(w, "form", "method", "post", "action",
		    "/admin/rules/remove", "class", "inline", (char *)NULL);
		hw_key(w, s, ru->kind, "pattern", ru->pat);
		hw_elem(w, "button", "Remove", "type", "submit", "class",
		    "secondary", (char *)NULL);
		hw_close(w, "form");
	}
	hw_open(w, "form", "method", "post", "action", "/admin/rules/undo",
	    "class", "inline", (char *)NULL);
	hw_key(w, s, ru->kind, "pattern", ru->pat);
	hw_elem(w, "button", "Undo last change", "type", "submit", "class",
	    "secondary", (char *)NULL);
	hw_close(w, "form");
	hw_close(w, "div");
}

/*
 * The card of rule n: what it means, who changed it, a form to change
 * it (with the refused value and why, when it is the rule refused) and
 * its actions.
 */
static void
rule_card(struct hw *w, const struct rules *rl, const struct rule_row *ru,
    size_t n)
{
	char		 cur[RPT_TEXT_MAX + 16], id[24], hint[32];
	int		 removed = strcmp(ru->tk, "removed") == 0, err;

	err = rl->err_kind != NULL && strcmp(rl->err_kind, ru->kind) == 0 &&
	    strcmp(rl->err_pattern, ru->pat) == 0;
	(void)snprintf(id, sizeof(id), "u%zu", n);
	(void)snprintf(hint, sizeof(hint), "u%zu-err", n);
	target_str(cur, sizeof(cur), ru->tk, ru->name, ru->chan);
	hw_open(w, "li", "class", "card", (char *)NULL);
	hw_elem(w, "h2", ru->pat, (char *)NULL);
	hw_open(w, "dl", (char *)NULL);
	hw_elem(w, "dt", "Kind", (char *)NULL);
	hw_elem(w, "dd", text_kind_label(ru->kind), (char *)NULL);
	hw_elem(w, "dt", "Means", (char *)NULL);
	hw_elem(w, "dd", removed ? "nothing decided (removed)" : cur,
	    "class", "means", (char *)NULL);
	hw_elem(w, "dt", "Changed", (char *)NULL);
	hw_open(w, "dd", (char *)NULL);
	hw_textf(w, "%s UTC by %s (version %lld)", ru->at, ru->by,
	    ru->version);
	hw_close(w, "dd");
	hw_close(w, "dl");
	hw_open(w, "form", "method", "post", "action", "/admin/rules/set",
	    "class", "decide", (char *)NULL);
	hw_key(w, rl->s, ru->kind, "pattern", ru->pat);
	hw_elem(w, "label", "Change to", "for", id, (char *)NULL);
	hw_void(w, "input", "type", "text", "id", id, "name", "target",
	    "list", "targets", "required", "", "autocomplete", "off",
	    "value", err ? rl->typed : removed ? NULL : cur, "aria-invalid",
	    err ? "true" : NULL, "aria-describedby", err ? hint : NULL,
	    (char *)NULL);
	if (err)
		hw_elem(w, "p", rl->err, "id", hint, "class", "error",
		    (char *)NULL);
	hw_open(w, "div", "class", "actions", (char *)NULL);
	hw_elem(w, "button", "Save", "type", "submit", (char *)NULL);
	hw_close(w, "div");
	hw_close(w, "form");
	rule_actions(w, rl->s, ru, removed);
	hw_close(w, "li");
}

static enum hs_err
rules_body(const struct hs_out *o, void *arg)
{
	struct rules	*rl = arg;
	struct report	*rp = rl->rp;
	struct rule_row	 ru;
	struct hs_dbparam p[1] = { HS_DBP_INT(RULES_PAGE) };
	struct hs_dbcol	 c[8] = {
		HS_DBC_INT, HS_DBC_TEXT(ru.kind), HS_DBC_TEXT(ru.pat),
		HS_DBC_TEXT(ru.tk), HS_DBC_TEXT(ru.chan), HS_DBC_TEXT(ru.name),
		HS_DBC_TEXT(ru.by), HS_DBC_TEXT(ru.at),
	};
	struct hw	 w;
	size_t		 n = 0;
	enum hs_err	 e;
	int		 have;

	hw_init(&w, o);
	hw_elem(&w, "h1", "Mapping rules", (char *)NULL);
	hw_elem(&w, "p", "Each rule says what a typed text means. The next "
	    "reconciliation applies a change to every signup with that "
	    "text; removing a rule puts the text back in the queue. Every "
	    "change is kept and can be undone.", (char *)NULL);
	if (rl->err != NULL && rl->err_kind == NULL)
		hw_elem(&w, "p", rl->err, "class", "error", "role", "alert",
		    (char *)NULL);
	hw_targets(&w, rp);
	if (w.e != HS_OK)
		return w.e;
	if ((e = hs_db_query(rp->ro, STMT_RULES_LIST, p, 1, c, 8)) != HS_OK)
		return e;
	hw_open(&w, "ul", "class", "cards", (char *)NULL);
	while (w.e == HS_OK && (e = hs_db_fetch(rp->ro, STMT_RULES_LIST,
	    &have)) == HS_OK && have) {
		ru.version = c[0].i;
		rule_card(&w, rl, &ru, n);
		n++;
	}
	hs_db_end(rp->ro, STMT_RULES_LIST);
	if (e != HS_OK)
		return e;
	hw_close(&w, "ul");
	if (n == 0)
		hw_elem(&w, "p", "No rules yet: map a text from the review "
		    "queue.", "class", "empty", (char *)NULL);
	return w.e;
}

/* GET /admin/rules. */
void
page_rules(struct report *rp, struct hs_req *r, const struct sess *s)
{
	struct rules	 rl;

	if (s->campaign != 0) {
		(void)hs_http_error(r, 403, "Rules cover every campaign; ask "
		    "an analyst of all campaigns.");
		return;
	}
	memset(&rl, 0, sizeof(rl));
	rl.rp = rp;
	rl.s = s;
	if (page_render(rp, r, 200, s, "Mapping rules", rules_body, &rl) !=
	    HS_OK)
		hs_log(HS_LOG_INFO, "rules: not sent in full");
}

/* The form of a rule's change; back=review returns to the queue. */
enum { RF_KIND, RF_PATTERN, RF_TARGET, RF_BACK, RF__MAX };
static const char *const backs[] = { "review", NULL };
static const struct hs_field rule_fields[RF__MAX] = {
	/* RF_KIND */
	{ .name = "kind", .kind = HS_FIELD_ENUM, .flags = HS_FIELD_REQUIRED,
	    .list = text_kinds, .label = "Kind of text" },
	/* RF_PATTERN */
	{ .name = "pattern", .kind = HS_FIELD_TEXT,
	    .flags = HS_FIELD_REQUIRED, .max = PATTERN_MAX,
	    .label = "Pattern" },
	/* RF_TARGET: checked by target_parse, which says why */
	{ .name = "target", .kind = HS_FIELD_TEXT, .max = HS_MAX_FIELD,
	    .label = "Target" },
	/* RF_BACK: anything else returns to the rules */
	{ .name = "back", .kind = HS_FIELD_ENUM, .flags = HS_FIELD_LAX,
	    .list = backs },
};

/*
 * POST /admin/rules/set (kind, pattern, target), /remove and /undo
 * (kind, pattern; back=review returns to the queue).  A target that
 * cannot be used shows the rules again, 422, the message beside the
 * rule and the typed value kept; else 303.
 */
void
page_rules_change(struct report *rp, struct hs_req *r, const struct sess *s,
    int op)
{
	struct hs_fval	 v[RF__MAX];
	struct hs_fbad	 bad;
	struct change	 ch;
	struct rules	 rl;
	const char	*msg;
	enum hs_err	 e;

	if (s->campaign != 0) {
		(void)hs_http_error(r, 403, "Rules cover every campaign; ask "
		    "an analyst of all campaigns.");
		return;
	}
	if (hs_field_parse(r->form, r->formsz, rule_fields, RF__MAX, 0, v,
	    &bad) != HS_OK) {
		(void)hs_field_error(r, rule_fields, RF__MAX, &bad);
		return;
	}
	memset(&ch, 0, sizeof(ch));
	memset(&rl, 0, sizeof(rl));
	ch.kind = text_kinds[v[RF_KIND].i];
	ch.pattern = v[RF_PATTERN].s;
	ch.user = s->name;
	ch.op = op == 0 ? CH_SET : op == 1 ? CH_REMOVE : CH_UNDO;
	rl.rp = rp;
	rl.s = s;
	rl.err_kind = ch.kind;
	rl.err_pattern = ch.pattern;
	if (ch.op == CH_SET) {
		rl.typed = v[RF_TARGET].s;
		if ((msg = target_parse(rl.typed, &ch.t)) != NULL) {
			rl.err = msg;
			goto again;
		}
	}
	e = hs_db_unit(rp->rw, change_unit, &ch);
	if (e == HS_EINVAL) {
		rl.err = "There is no such advocate or event; pick one from "
		    "the list.";
		goto again;
	}
	if (e == HS_ENOTFOUND) {
		(void)hs_http_error(r, 404, "There is no such rule to change.");
		return;
	}
	if (e != HS_OK) {
		unavailable(r);
		return;
	}
	hs_log(HS_LOG_INFO, "rules: version %lld added by user %lld",
	    ch.rule, s->user_id);
	rpt_ignore(hs_http_redirect(r, 303, v[RF_BACK].set ? "/admin/review" :
	    "/admin/rules"));
	return;
again:
	if (page_render(rp, r, 422, s, "Mapping rules", rules_body, &rl) !=
	    HS_OK)
		hs_log(HS_LOG_INFO, "rules: not sent in full");
}

/* The list of targets the map and rule inputs offer (a datalist). */
void
hw_targets(struct hw *w, struct report *rp)
{
	char		 kind[16], key[RPT_TEXT_MAX], label[RPT_TEXT_MAX],
			 v[RPT_TEXT_MAX + 16];
	struct hs_dbcol	 c[3] = { HS_DBC_TEXT(kind), HS_DBC_TEXT(key),
			    HS_DBC_TEXT(label) };
	enum hs_err	 e;
	size_t		 i;
	int		 have;

	hw_open(w, "datalist", "id", "targets", (char *)NULL);
	hw_elem(w, "option", "not a source", "value", "ignore", (char *)NULL);
	for (i = 0; i < HS_CHANNELS; i++) {
		(void)snprintf(v, sizeof(v), "channel:%s", hs_channels[i]);
		hw_elem(w, "option", "", "value", v, (char *)NULL);
	}
	if (w->e != HS_OK)
		return;
	if ((e = hs_db_query(rp->ro, STMT_TARGETS, NULL, 0, c, 3)) != HS_OK) {
		w->e = e;
		return;
	}
	while (w->e == HS_OK && (e = hs_db_fetch(rp->ro, STMT_TARGETS,
	    &have)) == HS_OK && have) {
		(void)snprintf(v, sizeof(v), "%s:%s", kind, key);
		hw_elem(w, "option", label, "value", v, (char *)NULL);
	}
	hs_db_end(rp->ro, STMT_TARGETS);
	if (w->e == HS_OK)
		w->e = e;
	hw_close(w, "datalist");
}
