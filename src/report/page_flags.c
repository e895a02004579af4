/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * page_flags.c: the review of flagged referrals (issue 16).  The
 * reconciliation flags an attribution it should not reward unseen
 * (self-referral, velocity, bot clicks, shared client); here an analyst
 * accepts or rejects it with a reason, or undoes a decision.  Every
 * decision is a row of flag_reviews (sql/120: who, when, what, why),
 * never an edit of one, and is keyed by signup_ref, so a later run, a
 * --full one too, leaves it alone.  A flagged referral is reward-eligible
 * once its newest decision is an accept; the list and its CSV and JSON
 * say so in the reward_eligible column.
 *
 * Scope: an analyst of one campaign sees and decides that campaign's
 * flags only.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"
#include "report.h"
#include "pages.h"
#include "manage.h"

#define FLAGS_PAGE	50	/* flagged rows on one page */
#define FLAGS_EXPORT	10000	/* rows of one CSV or JSON download */
#define FLAGS_PAGES_MAX	100000	/* highest page number accepted */
#define REASON_MAX	500	/* bytes of a reason (flag_reviews.reason) */
#define REF_MAX		128	/* bytes of a signup_ref */

/* Which rows the list shows: the allowlist, bound into the query. */
static const char *const states[] = { "open", "decided", "all", NULL };
#define NSTATES		(sizeof(states) / sizeof(states[0]) - 1)

/* What each flag means, in the words an analyst reads. */
static const char *const risk_labels[HS_RISK__MAX] = {
	"Self-referral: the advocate's own e-mail or device",
	"Velocity: many signups from one device within an hour",
	"Bot clicks: only automated clicks carried the referral",
	"Shared device or network: many people on one connection",
};

static const struct rtcol flag_cols[] = {
	{ "signup_ref", "Signup", 0 },
	{ "day", "Day", 0 },
	{ "class", "Class", 0 },
	{ "channel", "Channel", 0 },
	{ "advocate", "Advocate", 0 },
	{ "risk_flags", "Flags", 0 },
	{ "state", "State", 0 },
	{ "reason", "Reason", 0 },
	{ "decided_by", "Decided by", 0 },
	{ "decided_at", "Decided at (UTC)", 0 },
	{ "reward_eligible", "Reward-eligible", 0 },
};
enum { FC_REF, FC_DAY, FC_CLASS, FC_CHANNEL, FC_ADV, FC_FLAGS, FC_STATE,
    FC_REASON, FC_BY, FC_AT, FC_ELIGIBLE };

struct flags {
	struct report	*rp;
	const struct sess *s;
	const char	*state;
	long long	 page;		/* 1-based */
	long long	 total;
	struct rtable	 t;
	const char	*notice_ref;	/* a decision just saved, or NULL */
	const char	*err_ref;	/* the row a form error belongs to */
	const char	*err;
	const char	*reason;	/* the reason typed, kept on error */
};

/* Reads the list's state and page; 0 or 400. */
static int
parse_list(const struct hs_req *r, struct flags *f)
{
	const char	*v;
	char		*end;
	size_t		 i;
	int		 h;

	f->state = states[0];
	f->page = 1;
	if ((h = qget(r, "state", &v)) < 0)
		return 400;
	if (h && *v != '\0') {
		for (i = 0; i < NSTATES; i++)
			if (strcmp(v, states[i]) == 0)
				break;
		if (i == NSTATES)
			return 400;
		f->state = states[i];
	}
	if ((h = qget(r, "page", &v)) < 0)
		return 400;
	if (h && *v != '\0') {
		if (strlen(v) > 6 || strspn(v, "0123456789") != strlen(v))
			return 400;
		f->page = strtoll(v, &end, 10);
		if (f->page < 1 || f->page > FLAGS_PAGES_MAX)
			return 400;
	}
	if ((h = qget(r, "saved", &v)) < 0)
		return 400;
	if (h && *v != '\0' && strlen(v) <= REF_MAX)
		f->notice_ref = v;
	return 0;
}

/* The flags' names as the database gives them, in human words. */
static void
flags_human(const char *set, char *b, size_t sz)
{
	size_t	 i, n = 0;

	b[0] = '\0';
	for (i = 0; i < HS_RISK__MAX; i++) {
		const char *p = strstr(set, hs_risks[i]);
		size_t	 l = strlen(hs_risks[i]);

		if (p == NULL || (p != set && p[-1] != ',') ||
		    (p[l] != '\0' && p[l] != ','))
			continue;
		n += (size_t)snprintf(b + n, n < sz ? sz - n : 0, "%s%s",
		    n ? "; " : "", risk_labels[i]);
		if (n >= sz)
			break;
	}
}

/* Loads one page of the list (or the export) into f->t. */
static enum hs_err
load(struct flags *f, int export)
{
	char		 ref[REF_MAX + 1], day[11], cls[16], chan[CHANNEL_MAX + 1],
			 adv[RPT_TEXT_MAX], risk[RISKS_MAX], dec[8],
			 reason[REASON_MAX * 4 + 1], by[RPT_NAME_MAX * 4 + 1],
			 at[20];
	long long	 lim = export ? FLAGS_EXPORT : FLAGS_PAGE;
	long long	 off = export ? 0 : (f->page - 1) * FLAGS_PAGE;
	struct hs_dbparam p[7] = { HS_DBP_INT(f->s->campaign),
			    HS_DBP_INT(f->s->campaign),
			    HS_DBP_TEXT(f->state), HS_DBP_TEXT(f->state),
			    HS_DBP_INT(lim), HS_DBP_INT(off) };
	struct hs_dbcol	 c[11] = {
		HS_DBC_TEXT(ref), HS_DBC_TEXT(day), HS_DBC_TEXT(cls),
		HS_DBC_TEXT(chan), HS_DBC_TEXT(adv), HS_DBC_TEXT(risk),
		HS_DBC_TEXT(dec), HS_DBC_TEXT(reason), HS_DBC_TEXT(by),
		HS_DBC_TEXT(at), HS_DBC_INT,
	};
	struct hs_dbcol	 n = HS_DBC_INT;
	enum hs_err	 e;
	int		 have;

	rt_init(&f->t, "flags", "Flagged referrals", flag_cols,
	    NCOLS(flag_cols), (size_t)lim);
	if ((e = hs_db_row(f->rp->ro, STMT_FLAGS_COUNT, p, 4, &n, 1,
	    &have)) != HS_OK)
		return e;
	f->total = have ? n.i : 0;
	if ((e = hs_db_query(f->rp->ro, STMT_FLAGS_LIST, p, 6, c, 11)) !=
	    HS_OK)
		return e;
	while ((e = hs_db_fetch(f->rp->ro, STMT_FLAGS_LIST, &have)) ==
	    HS_OK && have) {
		const char *st = strcmp(dec, "accept") == 0 ? "accepted" :
		    strcmp(dec, "reject") == 0 ? "rejected" : "open";
		int	 decided = st[0] != 'o';

		if ((e = rt_put(&f->t, ref)) != HS_OK ||
		    (e = rt_put(&f->t, day)) != HS_OK ||
		    (e = rt_put(&f->t, cls)) != HS_OK ||
		    (e = rt_put(&f->t, chan)) != HS_OK ||
		    (e = rt_put(&f->t, adv)) != HS_OK ||
		    (e = rt_put(&f->t, risk)) != HS_OK ||
		    (e = rt_put(&f->t, st)) != HS_OK ||
		    (e = rt_put(&f->t, decided ? reason : NULL)) != HS_OK ||
		    (e = rt_put(&f->t, decided ? by : NULL)) != HS_OK ||
		    (e = rt_put(&f->t, decided ? at : NULL)) != HS_OK ||
		    (e = rt_put(&f->t, c[10].i ? "yes" : "no")) != HS_OK)
			break;
	}
	hs_db_end(f->rp->ro, STMT_FLAGS_LIST);
	return e;
}

/* A link to another state or page of the list. */
static void
list_link(struct hw *w, const char *state, long long page, const char *text,
    int current)
{
	char	 href[64];

	(void)snprintf(href, sizeof(href), "/admin/flags?state=%s&page=%lld",
	    state, page);
	hw_elem(w, "a", text, "href", href, "aria-current",
	    current ? "page" : NULL, (char *)NULL);
}

/* The hidden key of a row in a form: the referral, the list's state. */
static void
ref_key(struct hw *w, const struct flags *f, const char *ref)
{

	hw_csrf(w, f->s);
	hw_hidden(w, "ref", ref);
	hw_hidden(w, "state", f->state);
}

/* The undo button of a decided row. */
static void
undo_form(struct hw *w, const struct flags *f, const char *ref,
    const char *label)
{

	hw_open(w, "form", "method", "post", "action", "/admin/flags/undo",
	    "class", "inline", (char *)NULL);
	ref_key(w, f, ref);
	hw_elem(w, "button", label, "type", "submit", "class", "secondary",
	    (char *)NULL);
	hw_close(w, "form");
}

/* One flagged referral as a card: what, why flagged, state, action. */
static void
card(struct hw *w, const struct flags *f, size_t i)
{
	const struct rtable *t = &f->t;
	const char	*ref = rt_cell(t, i, FC_REF);
	const char	*adv = rt_cell(t, i, FC_ADV);
	const char	*st = rt_cell(t, i, FC_STATE);
	char		 human[512], id[32], hint[48];
	int		 err = f->err_ref != NULL && strcmp(f->err_ref, ref) == 0;

	(void)snprintf(id, sizeof(id), "r%zu", i);
	(void)snprintf(hint, sizeof(hint), "r%zu-err", i);
	flags_human(rt_cell(t, i, FC_FLAGS), human, sizeof(human));
	hw_open(w, "li", "class", "card", "data-ref", ref, (char *)NULL);
	hw_elem(w, "h2", ref, (char *)NULL);
	hw_open(w, "dl", (char *)NULL);
	hw_elem(w, "dt", "Day", (char *)NULL);
	hw_elem(w, "dd", rt_cell(t, i, FC_DAY), (char *)NULL);
	hw_elem(w, "dt", "Advocate", (char *)NULL);
	hw_elem(w, "dd", adv[0] != '\0' ? adv : "none", (char *)NULL);
	hw_elem(w, "dt", "Channel, class", (char *)NULL);
	hw_open(w, "dd", (char *)NULL);
	hw_text(w, rt_cell(t, i, FC_CHANNEL));
	hw_text(w, ", ");
	hw_text(w, rt_cell(t, i, FC_CLASS));
	hw_close(w, "dd");
	hw_elem(w, "dt", "Why flagged", (char *)NULL);
	hw_elem(w, "dd", human, (char *)NULL);
	hw_elem(w, "dt", "State", (char *)NULL);
	hw_open(w, "dd", "class", "state", (char *)NULL);
	hw_text(w, st);
	if (st[0] != 'o') {
		hw_text(w, " by ");
		hw_text(w, rt_cell(t, i, FC_BY));
		hw_text(w, " at ");
		hw_text(w, rt_cell(t, i, FC_AT));
		hw_text(w, " UTC: ");
		hw_elem(w, "q", rt_cell(t, i, FC_REASON), (char *)NULL);
	}
	hw_close(w, "dd");
	hw_elem(w, "dt", "Reward-eligible", (char *)NULL);
	hw_elem(w, "dd", rt_cell(t, i, FC_ELIGIBLE), "class", "eligible",
	    (char *)NULL);
	hw_close(w, "dl");
	if (st[0] != 'o') {
		undo_form(w, f, ref, "Undo decision");
		hw_close(w, "li");
		return;
	}
	hw_open(w, "form", "method", "post", "action", "/admin/flags/decide",
	    "class", "decide", (char *)NULL);
	ref_key(w, f, ref);
	hw_elem(w, "label", "Reason (required)", "for", id, (char *)NULL);
	hw_void(w, "input", "type", "text", "id", id, "name", "reason",
	    "required", "", "maxlength", "500", "autocomplete", "off",
	    "value", err ? f->reason : NULL,
	    "aria-invalid", err ? "true" : NULL,
	    "aria-describedby", err ? hint : NULL, (char *)NULL);
	if (err)
		hw_elem(w, "p", f->err, "id", hint, "class", "error",
		    (char *)NULL);
	hw_open(w, "div", "class", "actions", (char *)NULL);
	hw_elem(w, "button", "Accept: count for rewards", "type", "submit",
	    "name", "decision", "value", "accept", (char *)NULL);
	hw_elem(w, "button", "Reject: keep out of rewards", "type", "submit",
	    "name", "decision", "value", "reject", "class", "secondary",
	    (char *)NULL);
	hw_close(w, "div");
	hw_close(w, "form");
	hw_close(w, "li");
}

static enum hs_err
flags_body(const struct hs_out *o, void *arg)
{
	struct flags	*f = arg;
	struct hw	 w;
	char		 x[160];
	size_t		 i, n = rt_rows(&f->t);
	long long	 last;

	hw_init(&w, o);
	hw_elem(&w, "h1", "Flagged referrals", (char *)NULL);
	hw_elem(&w, "p", "The reconciliation flags a referral it should not "
	    "reward unseen. Accept it (it counts for rewards) or reject it "
	    "(it stays out), with a reason; every decision is kept with who "
	    "made it and when, later runs keep it, and it can be undone.",
	    (char *)NULL);
	if (f->notice_ref != NULL) {
		hw_open(&w, "div", "class", "notice", "role", "status",
		    (char *)NULL);
		hw_textf(&w, "Decision on %s saved. ", f->notice_ref);
		undo_form(&w, f, f->notice_ref, "Undo");
		hw_close(&w, "div");
	}
	if (f->err != NULL && f->err_ref == NULL)
		hw_elem(&w, "p", f->err, "class", "error", "role", "alert",
		    (char *)NULL);
	hw_open(&w, "nav", "aria-label", "Which flags", "class", "tabs",
	    (char *)NULL);
	list_link(&w, "open", 1, "Open", strcmp(f->state, "open") == 0);
	list_link(&w, "decided", 1, "Decided",
	    strcmp(f->state, "decided") == 0);
	list_link(&w, "all", 1, "All", strcmp(f->state, "all") == 0);
	hw_close(&w, "nav");
	last = f->total ? (f->total + FLAGS_PAGE - 1) / FLAGS_PAGE : 1;
	hw_open(&w, "p", "class", "muted", (char *)NULL);
	hw_textf(&w, "%lld flagged referral%s; page %lld of %lld.", f->total,
	    f->total == 1 ? "" : "s", f->page, last);
	hw_close(&w, "p");
	if (n == 0)
		hw_elem(&w, "p", "No flagged referrals here.", "class",
		    "empty", (char *)NULL);
	hw_open(&w, "ul", "class", "cards", (char *)NULL);
	for (i = 0; i < n; i++)
		card(&w, f, i);
	hw_close(&w, "ul");
	if (last > 1) {
		hw_open(&w, "nav", "aria-label", "Pages", "class", "pager",
		    (char *)NULL);
		if (f->page > 1)
			list_link(&w, f->state, f->page - 1, "Previous", 0);
		if (f->page < last)
			list_link(&w, f->state, f->page + 1, "Next", 0);
		hw_close(&w, "nav");
	}
	hw_open(&w, "p", "class", "downloads", (char *)NULL);
	hw_text(&w, "Download with reward eligibility: ");
	(void)snprintf(x, sizeof(x), "/admin/flags?state=%s&format=csv",
	    f->state);
	hw_elem(&w, "a", "CSV", "href", x, (char *)NULL);
	hw_text(&w, " \xc2\xb7 ");
	(void)snprintf(x, sizeof(x), "/admin/flags?state=%s&format=json",
	    f->state);
	hw_elem(&w, "a", "JSON", "href", x, (char *)NULL);
	hw_close(&w, "p");
	return w.e;
}

/* Renders the list with status code (200, or 422 with f->err). */
static void
show(struct report *rp, struct hs_req *r, struct flags *f, int code)
{

	if (load(f, 0) != HS_OK) {
		unavailable(r);
		return;
	}
	if (page_render(rp, r, code, f->s, "Flagged referrals", flags_body,
	    f) != HS_OK)
		hs_log(HS_LOG_INFO, "flags: not sent in full");
}

/* GET /admin/flags: the list, or it as CSV or JSON. */
void
page_flags(struct report *rp, struct hs_req *r, const struct sess *s)
{
	static const char *const names[1] = { "flags" };
	struct flags	 f;
	size_t		 which;
	int		 fmt;

	memset(&f, 0, sizeof(f));
	f.rp = rp;
	f.s = s;
	if ((fmt = parse_format(r, names, 1, &which)) < 0 ||
	    parse_list(r, &f) != 0) {
		(void)hs_http_error(r, 400, "Unknown state, page, format or "
		    "table.");
		return;
	}
	if (fmt > 0) {
		if (load(&f, 1) != HS_OK)
			unavailable(r);
		else
			download(r, &f.t, fmt == 2);
	} else
		show(rp, r, &f, 200);
	rt_free(&f.t);
}

/* A decision, checked, for the unit that stores it. */
struct decision {
	const char	*ref;
	const char	*what;		/* accept, reject, undo */
	const char	*reason;
	const char	*user;
	long long	 campaign;	/* the analyst's scope */
	/* On HS_EINVAL: the newest decision, who made it and when. */
	char		 last[8];
	char		 by[RPT_NAME_MAX * 4 + 1];
	char		 at[20];
};

/*
 * The unit, on the read-write manage handle: the row must be flagged and
 * in the analyst's scope (else HS_ENOTFOUND); accept and reject need an
 * open row, undo a decided one (else HS_EINVAL, the newest decision in
 * d).  Adds the audit row and marks attributions.reviewed.  Both reads
 * lock: the attributions row first, so that two analysts deciding one
 * referral at once take turns, and the second reads the first's
 * decision (committed by then), not the state both started from.
 */
static enum hs_err
decide_unit(struct hs_db *db, void *arg)
{
	struct decision	*d = arg;
	struct hs_dbparam g[3] = { HS_DBP_TEXT(d->ref), HS_DBP_INT(d->campaign),
			    HS_DBP_INT(d->campaign) };
	struct hs_dbparam a[4] = { HS_DBP_TEXT(d->ref), HS_DBP_TEXT(d->what),
			    HS_DBP_TEXT(d->reason), HS_DBP_TEXT(d->user) };
	struct hs_dbparam m[2] = { HS_DBP_INT(strcmp(d->what, "undo") != 0),
			    HS_DBP_TEXT(d->ref) };
	struct hs_dbcol	 n = HS_DBC_INT;
	struct hs_dbcol	 c[3] = { HS_DBC_TEXT(d->last), HS_DBC_TEXT(d->by),
			    HS_DBC_TEXT(d->at) };
	enum hs_err	 e;
	int		 have = 0, open;

	if ((e = hs_db_row(db, M_FLAG_LOCK, g, 3, &n, 1, &have)) != HS_OK)
		return e;
	if (!have || n.i == 0)
		return HS_ENOTFOUND;
	d->last[0] = d->by[0] = d->at[0] = '\0';
	if ((e = hs_db_row(db, M_FLAG_STATE, g, 1, c, 3, &have)) != HS_OK)
		return e;
	open = !have || strcmp(d->last, "undo") == 0;
	if (open == (strcmp(d->what, "undo") == 0))
		return HS_EINVAL;
	if ((e = hs_db_exec(db, M_FLAG_ADD, a, 4, NULL)) != HS_OK)
		return e;
	return hs_db_exec(db, M_FLAG_MARK, m, 2, NULL);
}

/*
 * Why a decision cannot be made, into b (sz bytes): decided already, or
 * nothing to undo; with who made the newest decision and when, so that
 * an analyst who lost a race to another sees whose decision stands.
 */
static void
conflict(char *b, size_t sz, const struct decision *d, int undo)
{

	if (!undo)
		(void)snprintf(b, sz, "That referral was decided already, by "
		    "%s at %s UTC; undo the decision first.", d->by, d->at);
	else if (d->last[0] != '\0')
		(void)snprintf(b, sz, "That decision was undone already, by "
		    "%s at %s UTC: the referral is open.", d->by, d->at);
	else
		(void)snprintf(b, sz, "That referral has no decision to "
		    "undo.");
}

/* Why a decision's reason is refused, or NULL: empty, or too long. */
static const char *
reason_bad(const char *reason)
{

	if (reason[strspn(reason, " \t\r\n")] == '\0')
		return "Write why: the reason is kept with the decision.";
	if (strlen(reason) > REASON_MAX ||
	    !hs_utf8_valid(reason, strlen(reason)))
		return "The reason is too long: 500 characters at most.";
	return NULL;
}

/*
 * The list of state after a decision on ref, into to (sz bytes, ref
 * percent-encoded into the query as far as it fits).
 */
static void
saved_to(char *to, size_t sz, const char *state, const char *ref)
{
	const unsigned char *p;
	size_t		 n;

	n = (size_t)snprintf(to, sz, "/admin/flags?state=%s&saved=", state);
	for (p = (const unsigned char *)ref; *p != '\0' && n + 4 < sz; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-_.", *p))
			to[n++] = (char)*p;
		else
			n += (size_t)snprintf(to + n, sz - n, "%%%02X", *p);
	to[n] = '\0';
}

/*
 * The form of a decision.  The decision and reason are read only by
 * /decide (a bad one then reads as absent there, 400); a reason too
 * long or empty is the list's 422 (reason_bad), not a bad form.
 */
enum { DF_REF, DF_DECISION, DF_REASON, DF_STATE, DF__MAX };
static const char *const decisions[] = { "accept", "reject", "undo", NULL };
static const struct hs_field decide_fields[DF__MAX] = {
	/* DF_REF */
	{ .name = "ref", .kind = HS_FIELD_TEXT, .flags = HS_FIELD_REQUIRED,
	    .max = REF_MAX, .label = "Referral" },
	/* DF_DECISION */
	{ .name = "decision", .kind = HS_FIELD_ENUM, .flags = HS_FIELD_LAX,
	    .list = decisions, .label = "Decision" },
	/* DF_REASON */
	{ .name = "reason", .kind = HS_FIELD_TEXT, .flags = HS_FIELD_LAX,
	    .max = HS_MAX_FIELD, .label = "Reason" },
	/* DF_STATE: the list to go back to; anything else is the first */
	{ .name = "state", .kind = HS_FIELD_ENUM, .flags = HS_FIELD_LAX,
	    .list = states },
};

/*
 * POST /admin/flags/decide (ref, decision accept|reject, reason) and
 * /admin/flags/undo (ref); CSRF checked by the caller.  A missing or
 * too long reason shows the list again, 422, the error beside the row
 * and the typed reason kept; else 303 back to the list with a notice.
 */
void
page_flags_decide(struct report *rp, struct hs_req *r, const struct sess *s,
    int undo)
{
	struct hs_fval	 v[DF__MAX];
	struct hs_fbad	 bad;
	struct decision	 d;
	struct flags	 f;
	struct hs_db	*db;
	char		 to[64 + REF_MAX * 3], why[160 + RPT_NAME_MAX * 4];
	enum hs_err	 e;

	if (hs_field_parse(r->form, r->formsz, decide_fields, DF__MAX, 0, v,
	    &bad) != HS_OK) {
		(void)hs_field_error(r, decide_fields, DF__MAX, &bad);
		return;
	}
	/* A decision and its reason, when deciding: else a bad form. */
	bad.row = !v[DF_DECISION].set ? DF_DECISION : DF_REASON;
	bad.err = HS_ENOTFOUND;
	if (!undo && (!v[DF_DECISION].set || !v[DF_REASON].set)) {
		(void)hs_field_error(r, decide_fields, DF__MAX, &bad);
		return;
	}
	memset(&d, 0, sizeof(d));
	memset(&f, 0, sizeof(f));
	f.rp = rp;
	f.s = s;
	f.state = states[v[DF_STATE].i];
	f.page = 1;
	d.ref = v[DF_REF].s;
	d.what = undo ? "undo" : v[DF_DECISION].s;
	d.reason = undo ? "" : v[DF_REASON].s;
	d.user = s->name;
	d.campaign = s->campaign;
	if (!undo) {
		f.err_ref = d.ref;
		f.reason = d.reason;
		if ((f.err = reason_bad(d.reason)) != NULL) {
			show(rp, r, &f, 422);
			rt_free(&f.t);
			return;
		}
	}
	if ((db = manage_db(rp)) == NULL) {
		unavailable(r);
		return;
	}
	e = hs_db_unit(db, decide_unit, &d);
	if (e == HS_ENOTFOUND) {
		(void)hs_http_error(r, 404, "There is no such flagged "
		    "referral in your scope.");
		return;
	}
	if (e == HS_EINVAL) {
		f.err_ref = NULL;
		conflict(why, sizeof(why), &d, undo);
		f.err = why;
		show(rp, r, &f, 409);
		rt_free(&f.t);
		return;
	}
	if (e != HS_OK) {
		unavailable(r);
		return;
	}
	hs_log(HS_LOG_INFO, "flags: %s of one referral by user %lld", d.what,
	    s->user_id);
	if (undo)
		(void)snprintf(to, sizeof(to), "/admin/flags?state=%s",
		    f.state);
	else
		saved_to(to, sizeof(to), f.state, d.ref);
	rpt_ignore(hs_http_redirect(r, 303, to));
}
