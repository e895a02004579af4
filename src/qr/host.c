/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * host.c: the event hosts' pages under /host/<token>/.  The token is a
 * capability: 32 random bytes as 64 hex digits, made by `hearsay-admin
 * host grant`, stored only as its SHA-256 and revocable.  A revoked
 * token (the advocate made a new page, or the organisers closed it)
 * gets a 410 saying so, in the campaign's language, and what to do
 * instead; a wrong one is a plain 404, like any page that does not
 * exist (cap.c).
 *
 *   GET  /host/T/                 the host's events, counts, a form
 *   POST /host/T/events           create an event (CSRF token, origin)
 *   GET  /host/T/e/N/poster       A4 or US Letter poster (?paper=letter)
 *   GET  /host/T/e/N/slide        a 16:9 slide
 *   GET  /host/T/e/N/cards        table cards, one per link of the event
 *
 * An event is made by core's hs_event_create (event.c), as hearsay-admin
 * makes one: the form's nonce is its slug, so a form sent twice makes
 * one event.
 *
 * A host sees counts and never names: scans, signups tracked to the
 * event and, after the nightly reconciliation, signups that said they
 * came from it.  The capability is in the path, so every page is sent
 * with Referrer-Policy: no-referrer (the QR images it loads would
 * otherwise carry it to the logs) and is never cached.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "hearsay.h"
#include "qr.h"

#define HOST_MAX_EVENTS	100		/* events listed on the host page */
#define HOST_MAX_LINKS	60		/* links (cards) of one event */
#define HOST_MAX_TABLES	24		/* extra links made by the form */
#define HOST_FORM_SECS	(4 * 3600)	/* a form token's lifetime */
#define HOST_NONCE_HEX	16		/* form nonce, also the event slug */
#define HOST_PAYLOAD	64		/* a form token's payload, "id.nonce" */
#define HOST_SQLTIME	32		/* the start as parse_when writes it */
#define HOST_CHARS	200		/* characters: VARCHAR(200) */
#define HOST_TEXT	(HOST_CHARS * 4 + 1)	/* bytes, in utf8mb4 */
#define HOST_WHEN	20		/* "YYYY-MM-DD HH:MM" */
#define HOST_DATE	160		/* that date, as people read it */
/* The printables' one script (the Print button), by its full URL. */
#define HOST_SCRIPT	"/static/qr-print.js"

enum tk {
	TK_HOST_NAME,
	TK_BASE,
	TK_EVENTS,
	TK_CSRF,
	TK_MESSAGE,
	TK_EVENT_NAME,
	TK_VENUE,
	TK_WHEN,
	TK_EVENT_ID,
	TK_CODE,
	TK_CODE_GROUPED,
	TK_SHORT_URL,
	TK_QR,
	TK_SCANS,
	TK_SIGNUPS,
	TK_REPORTED,
	TK_PAPER,
	TK_CARDS,
	TK_LABEL,
	TK_JOIN,
	TK_HOSTED_BY,
	TK_LANGS,
	TK__MAX
};

static const char *const tkeys[TK__MAX] = {
	"host_name",	/* TK_HOST_NAME */
	"base",		/* TK_BASE */
	"events",	/* TK_EVENTS */
	"csrf",		/* TK_CSRF */
	"message",	/* TK_MESSAGE */
	"event_name",	/* TK_EVENT_NAME */
	"venue",	/* TK_VENUE */
	"when",		/* TK_WHEN */
	"event_id",	/* TK_EVENT_ID */
	"code",		/* TK_CODE */
	"code_grouped",	/* TK_CODE_GROUPED */
	"short_url",	/* TK_SHORT_URL */
	"qr",		/* TK_QR */
	"scans",	/* TK_SCANS */
	"signups",	/* TK_SIGNUPS */
	"reported",	/* TK_REPORTED */
	"paper",	/* TK_PAPER */
	"cards",	/* TK_CARDS */
	"label",	/* TK_LABEL */
	"join",		/* TK_JOIN */
	"hosted_by",	/* TK_HOSTED_BY */
	"langs",	/* TK_LANGS */
};

/* The languages an event may be shown in, by their own names. */
static const struct {
	const char	*tag;
	const char	*name;
} host_langs[] = {
	{ "en", "English" },
	{ "de", "Deutsch" },
};

/* Every template shares the markers; hs_program_main loads them. */
const struct hs_tmpldef qr_tmpls[TMPL__MAX] = {
	QR_ADV_TMPLDEFS
	{ "qr-host.html", tkeys, TK__MAX },		/* TMPL_HOST */
	{ "qr-host-event.html", tkeys, TK__MAX },	/* TMPL_HOST_EVENT */
	{ "qr-poster.html", tkeys, TK__MAX },		/* TMPL_POSTER */
	{ "qr-slide.html", tkeys, TK__MAX },		/* TMPL_SLIDE */
	{ "qr-cards.html", tkeys, TK__MAX },		/* TMPL_CARDS */
	{ "qr-card.html", tkeys, TK__MAX },		/* TMPL_CARD */
};

struct host {
	long long	 id;		/* host_tokens.id */
	long long	 advocate;	/* advocates.id */
	long long	 campaign;	/* campaign for new events */
	char		 name[HOST_TEXT]; /* the host's own display name */
	char		 lang[HS_LANG_MAX + 1];	/* the campaign's */
};

struct ev {
	long long	 id;
	char		 name[HOST_TEXT];
	char		 venue[HOST_TEXT];
	char		 when[HOST_WHEN + 1];
	char		 code[HS_CODE_MAX + 1];	/* the event's own link */
	char		 label[HOST_TEXT];	/* for a card */
	char		 lang[HS_LANG_MAX + 1];	/* its own, or its campaign's */
	char		 campaign[HOST_TEXT];	/* the campaign's name */
	char		 join[HOST_TEXT];	/* campaigns.join_text, or "" */
	long long	 scans;
	long long	 signups;
	long long	 reported;	/* attributions naming the event */
	int		 counted;	/* reconciled since it ended */
	int		 past;		/* it ended more than a day ago */
};

/* Everything a template callback may need for one page. */
struct page {
	struct hs_req	*r;
	struct qrprog	*p;
	struct host	*h;
	char		 base[6 + HS_CAP_HEX + 1];	/* "/host/T" */
	struct ev	*evs;		/* events or links */
	size_t		 nevs;
	struct ev	*cur;		/* the one being rendered */
	const char	*paper;		/* "a4" or "letter" */
	const char	*message;	/* shown above the form, or "" */
	struct hs_buf	 csrf;
};

/*
 * Writes the translated pattern pat with "{name}" replaced by val, all
 * escaped (a translator's text is no more trusted than a host's).
 */
static enum hs_err
put_pattern(const struct hs_out *out, const char *pat, const char *name,
    const char *val)
{
	const char	*m;
	char		 key[32];
	enum hs_err	 e;

	(void)snprintf(key, sizeof(key), "{%s}", name);
	if ((m = strstr(pat, key)) == NULL)
		return hs_html_puts(out, pat);
	if ((e = hs_html_printf(out, "%.*s", (int)(m - pat), pat)) != HS_OK ||
	    (e = hs_html_puts(out, val)) != HS_OK)
		return e;
	return hs_html_puts(out, m + strlen(key));
}

/* Writes n as decimal through out. */
static enum hs_err
putnum(const struct hs_out *out, long long n)
{

	return hs_html_printf(out, "%lld", n);
}

/* A key of the event ev (TMPL_HOST_EVENT, TMPL_CARD). */
static enum hs_err
cb_event(size_t key, const struct hs_out *out, const struct page *pg,
    const struct ev *ev)
{
	char		 date[HOST_DATE];

	switch (key) {
	case TK_EVENT_NAME:
		return hs_html_puts(out, ev->name);
	case TK_VENUE:
		return hs_html_puts(out, ev->venue);
	case TK_WHEN:
		/* In the page's language; as stored if it is not a date. */
		if (hs_date_long(ev->when, date, sizeof(date)))
			return hs_html_puts(out, date);
		return hs_html_puts(out, ev->when);
	case TK_JOIN:
		/*
		 * What a stranger who sees the code is asked to do: the
		 * campaign's own line ({event}: the event's name), else
		 * "Scan to join" and the campaign's name.
		 */
		if (ev->join[0] != '\0')
			return put_pattern(out, ev->join, "event", ev->name);
		/* TRANSLATORS: above a QR code; {name} is the campaign's. */
		return put_pattern(out, _("Scan to join {name}"), "name",
		    ev->campaign);
	case TK_EVENT_ID:
		return putnum(out, ev->id);
	case TK_LABEL:
		/* The event's own card is labelled like the table cards. */
		return hs_html_puts(out, ev->label[0] != '\0' ? ev->label :
		    _("Event code"));
	case TK_CODE:
		return hs_html_puts(out, ev->code);
	case TK_CODE_GROUPED:
		return qr_put_grouped(out, ev->code);
	case TK_SHORT_URL:
		return hs_html_printf(out, "%s/i/%s",
		    qr_short_base(&pg->p->conf), ev->code);
	case TK_QR:
		return hs_html_printf(out, "/qr/%s.svg", ev->code);
	case TK_SCANS:
		return putnum(out, ev->scans);
	case TK_SIGNUPS:
		return putnum(out, ev->signups);
	case TK_REPORTED:
		/*
		 * Signups that said they came from the event are counted
		 * by the nightly reconciliation (attributions): the count
		 * once a run finished after the event ended, else when
		 * it will be there.  An event long over that no run has
		 * counted (reconciliation not running) is not promised
		 * "tonight".
		 */
		if (ev->counted)
			return putnum(out, ev->reported);
		return hs_html_puts(out, ev->past ? _("not counted yet") :
		    _("after tonight's reconciliation"));
	default:
		return HS_OK;
	}
}

static enum hs_err
cb(size_t key, const struct hs_out *out, void *arg)
{
	struct page	*pg = arg;
	struct ev	*ev = pg->cur;
	enum hs_err	 e;
	size_t		 i;

	switch (key) {
	case TK_LANGS:
		for (i = 0; i < sizeof(host_langs) / sizeof(host_langs[0]);
		    i++)
			if ((e = hs_html_elem(out, "option",
			    host_langs[i].name, "value", host_langs[i].tag,
			    "selected", strcmp(host_langs[i].tag,
			    pg->h->lang) == 0 ? hs_html_bare : NULL,
			    (char *)NULL)) != HS_OK)
				return e;
		return HS_OK;
	case TK_HOSTED_BY:
		/* TRANSLATORS: on a poster; {name} is the host's. */
		return put_pattern(out, _("Hosted by {name}"), "name",
		    pg->h->name);
	case TK_HOST_NAME:
		return hs_html_puts(out, pg->h->name);
	case TK_BASE:
		return hs_html_puts(out, pg->base);
	case TK_CSRF:
		return hs_html_puts(out, hs_buf_str(&pg->csrf));
	case TK_MESSAGE:
		return hs_html_puts(out, pg->message != NULL ?
		    pg->message : "");
	case TK_PAPER:
		return hs_html_puts(out, pg->paper != NULL ? pg->paper : "a4");
	case TK_EVENTS:
	case TK_CARDS:
		for (i = 0; i < pg->nevs; i++) {
			pg->cur = &pg->evs[i];
			if ((e = hs_tmpl_render(pg->p->tmpl[key == TK_EVENTS ?
			    TMPL_HOST_EVENT : TMPL_CARD], out, cb, pg))
			    != HS_OK)
				return e;
		}
		pg->cur = pg->nevs > 0 ? &pg->evs[0] : NULL;
		if (key == TK_EVENTS && pg->nevs == 0)
			return hs_html_raw(out, "<li>No events yet.</li>");
		return HS_OK;
	default:
		break;
	}
	if (ev == NULL)
		return HS_OK;
	return cb_event(key, out, pg, ev);
}

/* Reads one integer-valued row of stmt with one integer parameter. */
static enum hs_err
count1(struct hs_db *db, enum stmt s, long long id, long long *n)
{
	struct hs_dbparam prm[1] = { HS_DBP_INT(id) };
	struct hs_dbcol	 col = { HS_DB_INT, 0, NULL, 0, 0, 0, 0 };
	enum hs_err	 e;
	int		 have = 0;

	*n = 0;
	if ((e = hs_db_row(db, s, prm, 1, &col, 1, &have)) == HS_OK && have)
		*n = col.i;
	return e;
}

/*
 * Finds the host of a token for the page pg (its qr_cap's find).
 * Returns HS_OK, HS_ENOTFOUND (malformed, unknown or revoked: cap.c
 * tells the last apart), or a DB error.
 */
static enum hs_err
host_find(const char *tok, void *arg)
{
	struct page	*pg = arg;
	struct host	*h = pg->h;
	struct hs_dbcol	 c[5] = {
		{ HS_DB_INT, 0, NULL, 0, 0, 0, 0 },
		{ HS_DB_INT, 0, NULL, 0, 0, 0, 0 },
		{ HS_DB_INT, 0, NULL, 0, 0, 0, 0 },
		{ HS_DB_TEXT, 0, h->name, sizeof(h->name), 0, 0, 0 },
		{ HS_DB_TEXT, 0, h->lang, sizeof(h->lang), 0, 0, 0 },
	};
	enum hs_err	 e;

	if ((e = qr_cap_row(pg->p->db, STMT_HOST, tok, c, 5)) != HS_OK)
		return e;
	h->id = c[0].i;
	h->advocate = c[1].i;
	h->campaign = c[2].i;
	return HS_OK;
}

/* A host's pages, for cap.c. */
static const struct qr_cap host_cap = {
	.prefix = "/host/",
	.who = "host",
	.notfound = N_("There is no such page."),
	.gone = N_("This host page has a newer address: the advocate made "
	    "a new one, or the organisers closed this one.  Open the newest "
	    "link you were given, or ask the organisers."),
	.gonestmt = STMT_HOST_GONE,
	.find = host_find,
};

/* Loads the host's events with their counts into pg.  Returns as hs_db. */
static enum hs_err
events_load(struct page *pg)
{
	struct hs_db	*db = pg->p->db;
	struct ev	 row;
	struct hs_dbparam prm[1] = { HS_DBP_INT(pg->h->advocate) };
	struct hs_dbcol	 c[8] = {
		{ HS_DB_INT, 0, NULL, 0, 0, 0, 0 },
		{ HS_DB_TEXT, 0, row.name, sizeof(row.name), 0, 0, 0 },
		{ HS_DB_TEXT, 0, row.venue, sizeof(row.venue), 0, 0, 0 },
		{ HS_DB_TEXT, 0, row.when, sizeof(row.when), 0, 0, 0 },
		{ HS_DB_TEXT, 0, row.code, sizeof(row.code), 0, 0, 0 },
		{ HS_DB_INT, 0, NULL, 0, 0, 0, 0 },
		{ HS_DB_INT, 0, NULL, 0, 0, 0, 0 },
		{ HS_DB_INT, 0, NULL, 0, 0, 0, 0 },
	};
	enum hs_err	 e;
	size_t		 i;
	int		 have;

	if ((pg->evs = hs_xcalloc(HOST_MAX_EVENTS, sizeof(*pg->evs))) == NULL)
		return HS_ENOMEM;
	memset(&row, 0, sizeof(row));
	if ((e = hs_db_query(db, STMT_EVENTS, prm, 1, c, 8)) != HS_OK)
		return e;
	while (pg->nevs < HOST_MAX_EVENTS &&
	    (e = hs_db_fetch(db, STMT_EVENTS, &have)) == HS_OK && have) {
		row.id = c[0].i;
		row.reported = c[5].i;
		row.counted = c[6].i != 0;
		row.past = c[7].i != 0;
		pg->evs[pg->nevs++] = row;
	}
	hs_db_end(db, STMT_EVENTS);
	if (e != HS_OK)
		return e;
	for (i = 0; i < pg->nevs; i++)
		if ((e = count1(db, STMT_SCANS, pg->evs[i].id,
		    &pg->evs[i].scans)) != HS_OK ||
		    (e = count1(db, STMT_SIGNUPS, pg->evs[i].id,
		    &pg->evs[i].signups)) != HS_OK)
			return e;
	return HS_OK;
}

/*
 * Loads event id of the host and its links (the event's own first) into
 * pg->evs, one entry per link.  Returns HS_ENOTFOUND for someone else's
 * event or one without links, else as hs_db.
 */
static enum hs_err
event_load(struct page *pg, long long id)
{
	struct hs_db	*db = pg->p->db;
	struct ev	 ev;
	char		 code[HS_CODE_MAX + 1], label[HOST_TEXT];
	struct hs_dbparam prm[2] = { HS_DBP_INT(id),
			    HS_DBP_INT(pg->h->advocate) };
	struct hs_dbcol	 c[6] = {
		{ HS_DB_TEXT, 0, ev.name, sizeof(ev.name), 0, 0, 0 },
		{ HS_DB_TEXT, 0, ev.venue, sizeof(ev.venue), 0, 0, 0 },
		{ HS_DB_TEXT, 0, ev.when, sizeof(ev.when), 0, 0, 0 },
		{ HS_DB_TEXT, 0, ev.lang, sizeof(ev.lang), 0, 0, 0 },
		{ HS_DB_TEXT, 0, ev.campaign, sizeof(ev.campaign), 0, 0, 0 },
		{ HS_DB_TEXT, 0, ev.join, sizeof(ev.join), 0, 0, 0 },
	};
	struct hs_dbcol	 lc[2] = {
		{ HS_DB_TEXT, 0, code, sizeof(code), 0, 0, 0 },
		{ HS_DB_TEXT, 0, label, sizeof(label), 0, 0, 0 },
	};
	enum hs_err	 e;
	int		 have = 0;

	memset(&ev, 0, sizeof(ev));
	ev.id = id;
	if ((e = hs_db_row(db, STMT_EVENT, prm, 2, c, 6, &have)) != HS_OK)
		return e;
	if (!have)
		return HS_ENOTFOUND;
	/* The printables speak the event's language. */
	(void)hs_lang_set(ev.lang);
	if ((pg->evs = hs_xcalloc(HOST_MAX_LINKS, sizeof(*pg->evs))) == NULL)
		return HS_ENOMEM;
	if ((e = hs_db_query(db, STMT_EVENT_LINKS, prm, 1, lc, 2)) != HS_OK)
		return e;
	while (pg->nevs < HOST_MAX_LINKS &&
	    (e = hs_db_fetch(db, STMT_EVENT_LINKS, &have)) == HS_OK && have) {
		pg->evs[pg->nevs] = ev;
		memcpy(pg->evs[pg->nevs].code, code, sizeof(code));
		memcpy(pg->evs[pg->nevs].label, label, sizeof(label));
		pg->nevs++;
	}
	hs_db_end(db, STMT_EVENT_LINKS);
	if (e != HS_OK)
		return e;
	if (pg->nevs == 0)
		return HS_ENOTFOUND;
	pg->cur = &pg->evs[0];
	return HS_OK;
}

/* Answers a page from template t; headers for a capability URL. */
static void
render(struct page *pg, int code, enum tmpl t)
{
	const char	*base = pg->p->conf.base_url;
	char		 csp[600];

	/*
	 * The printables may run one script, HOST_SCRIPT (their Print
	 * button), named by its full URL: no other script of the site.
	 */
	if (t != TMPL_HOST && strcspn(base, " ;,'\"") == strlen(base) &&
	    (size_t)snprintf(csp, sizeof(csp), "default-src 'none'; "
	    "style-src 'self'; img-src 'self' data:; script-src %s"
	    HOST_SCRIPT "; form-action 'self'; frame-ancestors 'none'; "
	    "base-uri 'none'", base) < sizeof(csp) &&
	    hs_http_header(pg->r, "Content-Security-Policy", csp) != HS_OK)
		return;
	if (hs_http_header(pg->r, "X-Robots-Tag", "noindex, nofollow")
	    != HS_OK ||
	    hs_http_open(pg->r, code, "text/html") != HS_OK)
		return;
	if (pg->r->method == HS_METHOD_HEAD)
		return;
	if (hs_tmpl_render(pg->p->tmpl[t], &pg->r->out, cb, pg) != HS_OK)
		hs_log(HS_LOG_INFO, "host: page cut short");
}

/* A DB error as the page a person sees (cap.c). */
static void
dberror(struct hs_req *r, enum hs_err e)
{

	qr_dberror(r, "host", e);
}

/* The host page, with a fresh form token.  message may be NULL. */
static void
page_host(struct page *pg, int code, const char *message)
{
	char		 payload[64], nonce[HOST_NONCE_HEX + 1];
	enum hs_err	 e;

	if ((e = events_load(pg)) != HS_OK) {
		dberror(pg->r, e);
		return;
	}
	/*
	 * The form token binds the host and a nonce; the nonce becomes the
	 * event's slug, so a form sent twice makes one event.
	 */
	hs_rand_hex(nonce, sizeof(nonce));
	(void)snprintf(payload, sizeof(payload), "%lld.%s", pg->h->id, nonce);
	if (qr_cap_sign(pg->r, "host-form", payload, HOST_FORM_SECS,
	    &pg->csrf) != 0)
		return;
	pg->message = message;
	render(pg, code, TMPL_HOST);
}

/*
 * Returns 1 if s is "YYYY-MM-DDTHH:MM" (an <input type=datetime-local>)
 * naming a real date and time, and writes the SQL form to out.
 */
static int
parse_when(const char *s, char *out, size_t sz)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };
	int		 y, mo, d, h, mi, n = 0;

	if (strlen(s) != 16 || sscanf(s, "%4d-%2d-%2dT%2d:%2d%n", &y, &mo,
	    &d, &h, &mi, &n) != 5 || n != 16)
		return 0;
	if (y < 2000 || y > 2100 || mo < 1 || mo > 12 || d < 1 ||
	    d > mdays[mo - 1] || h > 23 || mi > 59 || h < 0 || mi < 0)
		return 0;
	if (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 ||
	    y % 400 == 0)))
		return 0;
	(void)snprintf(out, sz, "%04d-%02d-%02d %02d:%02d:00", y, mo, d, h,
	    mi);
	return 1;
}

/* The statements hs_event_create runs, in the program's table. */
static const struct hs_event_stmts evstmts = {
	STMT_EVENT_ADD, STMT_EVENT_ID, STMT_LINK_ADD, STMT_LINK_EVENT,
	STMT_LINKS_MOVED
};

/* Returns 1 if s (valid UTF-8) has 1..max characters. */
static int
chars_ok(const char *s, size_t max)
{
	size_t	 n = hs_utf8_chars(s);

	return n >= 1 && n <= max;
}

/* Whether s is empty, or 1..HOST_CHARS characters (not bytes). */
static int
text_ok(const char *s, size_t len)
{

	return len == 0 || chars_ok(s, HOST_CHARS);
}

/* Whether s is empty, or a start parse_when reads. */
static int
when_ok(const char *s, size_t len)
{
	char	 when[HOST_SQLTIME];

	return len == 0 || parse_when(s, when, sizeof(when));
}

/* Whether s is empty, or a language hearsay speaks. */
static int
lang_ok(const char *s, size_t len)
{

	return len == 0 || hs_lang_ok(s);
}

/* The new event form; an empty optional field is left unset. */
enum { HF_CSRF, HF_NAME, HF_VENUE, HF_STARTS, HF_TABLES, HF_WEBSITE,
    HF_LANG, HF__MAX };
static const struct hs_field host_fields[HF__MAX] = {
	/* HF_CSRF: checked against the page (create_gate) */
	{ .name = "csrf", .kind = HS_FIELD_TEXT, .max = HS_MAX_FIELD },
	/* HF_NAME */
	{ .name = "name", .kind = HS_FIELD_TEXT, .flags = HS_FIELD_REQUIRED,
	    .max = HOST_TEXT - 1, .valid = text_ok, .label = N_("Name"),
	    .hint = N_("The event needs a name of at most 200 characters.") },
	/* HF_VENUE */
	{ .name = "venue", .kind = HS_FIELD_TEXT, .max = HOST_TEXT - 1,
	    .valid = text_ok, .label = N_("Venue"),
	    .hint = N_("The venue may have at most 200 characters.") },
	/* HF_STARTS */
	{ .name = "starts", .kind = HS_FIELD_TEXT, .max = HOST_SQLTIME,
	    .valid = when_ok, .label = N_("Starts"),
	    .hint = N_("The start must be a date and time such as "
	    "2026-05-14T18:30.") },
	/* HF_TABLES */
	{ .name = "tables", .kind = HS_FIELD_INT, .min = 0,
	    .max = HOST_MAX_TABLES, .label = N_("Table cards"),
	    .hint = N_("Table cards: a number from 0 to 24.") },
	/* HF_WEBSITE: the honeypot; people never see it */
	{ .name = "website", .kind = HS_FIELD_TEXT, .max = HS_MAX_FIELD },
	/* HF_LANG */
	{ .name = "lang", .kind = HS_FIELD_TEXT, .max = HS_LANG_MAX,
	    .valid = lang_ok, .label = N_("Language"),
	    .hint = N_("That language is not one hearsay speaks.") },
};

/* The new event form as read: values, and a bad value found. */
struct hostform {
	struct hs_fval	 v[HF__MAX];
	struct hs_fbad	 bad;
	int		 badval;	/* bad: a value, told after the gates */
};

/*
 * The gates of the new event form: sent from our page, known fields
 * once each, this page's unexpired form token (its nonce into *nonce,
 * inside payload), and no bot.  A field with a bad value is left in
 * f for create_fields, so that an expired form is still a 403.
 * Returns 0, or -1 once answered.
 */
static int
create_gate(struct page *pg, struct hostform *f, char payload[HOST_PAYLOAD],
    const char **nonce)
{
	struct hs_req	*r = pg->r;
	char		 want[64], *dot;
	enum hs_err	 e;

	if (!hs_req_same_origin(r, r->conf->base_url)) {
		(void)hs_http_error(r, 403, "This form must be sent from its "
		    "own page.");
		return -1;
	}
	if ((e = hs_req_form(r)) != HS_OK) {
		(void)hs_http_error(r, hs_http_status_of(e), "The form could "
		    "not be read.");
		return -1;
	}
	f->badval = 0;
	e = hs_field_parse(r->form, r->formsz, host_fields, HF__MAX,
	    HS_FIELD_STRICT, f->v, &f->bad);
	if (e == HS_OK)
		;
	else if (f->bad.row != HF_CSRF && f->bad.row != HF_WEBSITE &&
	    f->bad.row < HF__MAX && e != HS_EDUP)
		f->badval = 1;
	else {
		(void)hs_field_error(r, host_fields, HF__MAX, &f->bad);
		return -1;
	}
	if (!f->v[HF_CSRF].set ||
	    hs_token_verify(pg->p->conf.hmac_key, "host-form",
	    f->v[HF_CSRF].s, (long long)time(NULL), payload, HOST_PAYLOAD) !=
	    HS_OK || (dot = strchr(payload, '.')) == NULL ||
	    strlen(dot + 1) != HOST_NONCE_HEX) {
		(void)hs_http_error(r, 403, "The form has expired; please "
		    "reload the page and try again.");
		return -1;
	}
	(void)snprintf(want, sizeof(want), "%lld", pg->h->id);
	*dot = '\0';
	if (strcmp(payload, want) != 0) {
		(void)hs_http_error(r, 403, "This form belongs to another "
		    "page.");
		return -1;
	}
	/* A bot fills every field; people never see this one. */
	if (f->v[HF_WEBSITE].len != 0) {
		(void)hs_http_error(r, 400, "The form could not be read.");
		return -1;
	}
	*nonce = dot + 1;
	return 0;
}

/*
 * The event's name, venue, start (into when) and table cards into n,
 * and its language into *lang, from the form create_gate read.
 * Returns 0, or -1 after a 400 naming the field.
 */
static int
create_fields(struct hs_req *r, const struct hostform *f, struct hs_event *n,
    char when[HOST_SQLTIME], const char **lang)
{

	if (f->badval) {
		(void)hs_field_error(r, host_fields, HF__MAX, &f->bad);
		return -1;
	}
	n->name = f->v[HF_NAME].s;
	if (f->v[HF_VENUE].len != 0)
		n->venue = f->v[HF_VENUE].s;
	if (f->v[HF_STARTS].len != 0) {
		if (!parse_when(f->v[HF_STARTS].s, when, HOST_SQLTIME)) {
			(void)hs_http_error(r, 500, "Please try again.");
			return -1;	/* when_ok said yes */
		}
		n->starts = when;
	}
	if (f->v[HF_TABLES].set)
		n->tables = (int)f->v[HF_TABLES].i;
	*lang = f->v[HF_LANG].len != 0 ? f->v[HF_LANG].s : NULL;
	return 0;
}

/* POST /host/T/events: create an event, then 303 back to the page. */
static void
page_create(struct page *pg)
{
	struct hs_req	*r = pg->r;
	struct hs_event	 n;
	struct hs_dbcol	 dc;
	struct hs_dbparam cp[1] = { HS_DBP_INT(pg->h->campaign) };
	struct hs_dbparam lp[3];
	struct hostform	 f;
	const char	*lang, *nonce;
	char		 payload[HOST_PAYLOAD], when[HOST_SQLTIME], loc[128];
	char		 slug[4 + HOST_NONCE_HEX], dest[HS_DEST_MAX + 1];
	enum hs_err	 e;
	int		 have = 0;

	memset(&n, 0, sizeof(n));
	if (create_gate(pg, &f, payload, &nonce) != 0)
		return;
	(void)snprintf(slug, sizeof(slug), "ev-%s", nonce);
	n.slug = slug;
	n.host = pg->h->advocate;
	n.campaign = pg->h->campaign;
	if (create_fields(r, &f, &n, when, &lang) != 0)
		return;
	memset(&dc, 0, sizeof(dc));
	dc.type = HS_DB_TEXT;
	dc.s = dest;
	dc.cap = sizeof(dest);
	if ((e = hs_db_row(pg->p->db, STMT_CAMPAIGN, cp, 1, &dc, 1,
	    &have)) != HS_OK) {
		dberror(r, e);
		return;
	}
	if (!have || dc.truncated) {
		(void)hs_http_error(r, 409, "The campaign of this host page "
		    "is closed.");
		return;
	}
	n.dest = dest;
	e = hs_event_create(pg->p->db, &evstmts, &n);
	if (e == HS_EINVAL) {
		(void)hs_http_error(r, 409, "That form was already used.");
		return;
	}
	if (e == HS_OK && lang != NULL) {
		/* Idempotent too: the form sent twice sets the same. */
		lp[0] = (struct hs_dbparam)HS_DBP_TEXT(lang);
		lp[1] = (struct hs_dbparam)HS_DBP_TEXT(slug);
		lp[2] = (struct hs_dbparam)HS_DBP_INT(pg->h->advocate);
		e = hs_db_exec(pg->p->db, STMT_EVENT_LANG, lp, 3, NULL);
	}
	if (e != HS_OK) {
		dberror(r, e);
		return;
	}
	/* The location is our own path, made of a checked token. */
	(void)snprintf(loc, sizeof(loc), "%s/", pg->base);
	if (hs_http_redirect(r, 303, loc) != HS_OK)
		hs_log(HS_LOG_INFO, "host: client went away");
}

/* Parses a positive decimal id of at most 18 digits.  Returns 1 or 0. */
static int
parse_id(const char *s, size_t len, long long *id)
{
	long long	 v = 0;
	size_t		 i;

	if (len == 0 || len > 18 || s[0] == '0')
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*id = v;
	return 1;
}

/* GET /host/T/e/N/poster|slide|cards. */
static void
page_event(struct page *pg, const char *rest)
{
	struct hs_req	*r = pg->r;
	const char	*slash, *paper = NULL;
	long long	 id;
	enum tmpl	 t;
	enum hs_err	 e;
	size_t		 i;

	if ((slash = strchr(rest, '/')) == NULL ||
	    !parse_id(rest, (size_t)(slash - rest), &id)) {
		(void)hs_http_error(r, 404, "There is no such page.");
		return;
	}
	if (strcmp(slash, "/poster") == 0)
		t = TMPL_POSTER;
	else if (strcmp(slash, "/slide") == 0)
		t = TMPL_SLIDE;
	else if (strcmp(slash, "/cards") == 0)
		t = TMPL_CARDS;
	else {
		(void)hs_http_error(r, 404, "There is no such page.");
		return;
	}
	for (i = 0; i < r->qvsz; i++) {
		if (t != TMPL_SLIDE && strcmp(r->qv[i].key, "paper") == 0 &&
		    paper == NULL && (strcmp(r->qv[i].val, "a4") == 0 ||
		    strcmp(r->qv[i].val, "letter") == 0))
			paper = r->qv[i].val;
		else {
			(void)hs_http_error(r, 400, "The only option is "
			    "paper=a4 or paper=letter.");
			return;
		}
	}
	pg->paper = paper != NULL ? paper : "a4";
	if ((e = event_load(pg, id)) == HS_ENOTFOUND) {
		(void)hs_http_error(r, 404, "There is no such event.");
		return;
	}
	if (e != HS_OK) {
		dberror(r, e);
		return;
	}
	render(pg, 200, t);
}

/* Everything under /host/. */
void
host_handle(struct hs_req *r, void *arg)
{
	struct qrprog	*p = arg;
	struct page	 pg;
	struct host	 h;
	char		 tok[HS_CAP_HEX + 1];
	const char	*rest;

	memset(&pg, 0, sizeof(pg));
	memset(&h, 0, sizeof(h));
	hs_buf_init(&pg.csrf, 512);
	pg.r = r;
	pg.p = p;
	pg.h = &h;
	if ((rest = qr_cap_open(r, p->db, &host_cap, tok, &pg)) == NULL)
		goto out;
	/* The host page speaks the campaign's language. */
	(void)hs_lang_set(h.lang);
	(void)snprintf(pg.base, sizeof(pg.base), "/host/%s", tok);
	if (!qr_cap_method(r, strcmp(rest, "/events") == 0,
	    N_("Events are created with the form.")))
		goto out;
	if (strcmp(rest, "/events") == 0)
		page_create(&pg);
	else if (strcmp(rest, "/") == 0) {
		if (r->qvsz != 0)
			(void)hs_http_error(r, 400, "This page takes no "
			    "options.");
		else
			page_host(&pg, 200, NULL);
	} else if (strncmp(rest, "/e/", 3) == 0)
		page_event(&pg, rest + 3);
	else
		(void)hs_http_error(r, 404, "There is no such page.");
out:
	free(pg.evs);
	hs_buf_free(&pg.csrf);
}
