/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * advocate.c: an advocate's own page under /a/<token>/ (issue 17).  The
 * token is a capability like a host's (host.c): 32 random bytes as 64
 * hex digits, made by `hearsay-admin advocate page`, stored only as its
 * SHA-256.  Making a new one revokes the old; a revoked token gets a
 * page saying so (410), an unknown or malformed one a page saying what
 * to check (404), never a bare 403.
 *
 *   GET  /a/T/          links with QR codes, share texts, results,
 *                       events, opt-ins, the leaderboard if enabled
 *   POST /a/T/prefs     the two opt-ins (CSRF token, our origin)
 *   POST /a/T/host      open a host page: a new host token, 303 there;
 *                       the advocate's older ones (that campaign) revoked
 *
 * Results are counts per month and never anything about a person:
 * human clicks on their links, signups that carried one, answers that
 * named them (after the reconciliation) and of those the ones their
 * link agrees with.  A count from 1 to advocate_min_count - 1 is shown
 * as "fewer than N", so that no single signup can be singled out.
 *
 * The copy and share buttons are hidden until html/static/advocate.js
 * (same origin, allowed by this page's CSP and nothing else) shows
 * them; without script the texts stay selectable in their fields.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "hearsay.h"
#include "qr.h"

#define ADV_MAX_LINKS	20		/* as STMT_ADV_LINKS's LIMIT */
#define ADV_MAX_SHARES	30		/* as STMT_ADV_SHARES's LIMIT */
#define ADV_MAX_MONTHS	24		/* as STMT_ADV_RESULTS's LIMIT */
#define ADV_MAX_EVENTS	100		/* as host.c's STMT_EVENTS */
#define ADV_MAX_BOARD	20		/* as STMT_ADV_BOARD's LIMIT */
#define ADV_TEXT	(200 * 4 + 1)	/* VARCHAR(200), utf8mb4 */
#define ADV_BODY	(2000 * 4 + 1)	/* share_texts.body */
#define ADV_FORM_SECS	(4 * 3600)	/* a form token's lifetime */
#define ADV_SUBST_MAX	(64 * 1024)	/* a share text, filled in */
/* Scripts from our origin only: the copy and share buttons. */
#define ADV_CSP	"default-src 'none'; script-src 'self'; style-src 'self'; " \
		"img-src 'self' data:; form-action 'self'; " \
		"frame-ancestors 'none'; base-uri 'none'"

enum tk {
	TK_NAME,
	TK_BASE,
	TK_LINKS,
	TK_SHARES,
	TK_RESULTS,
	TK_EVENTS,
	TK_BOARD,
	TK_CSRF,
	TK_MESSAGE,
	TK_SUGGEST,
	TK_BOARD_ON,
	TK_BOARD_NOTE,
	TK_THRESHOLD,
	TK_HOST_FORM,
	TK_N,
	TK_CAMPAIGN,
	TK_URL,
	TK_SHORT_URL,
	TK_CODE,
	TK_CODE_GROUPED,
	TK_QR_SVG,
	TK_QR_PNG,
	TK_QR_PNG_PRINT,
	TK_KIND,
	TK_SUBJECT,
	TK_TEXT,
	TK_MAILTO,
	TK_ROWS,
	TK_LEGEND,
	TK__MAX
};

const char *const adv_tkeys[ADV_NKEYS] = {
	"name",		/* TK_NAME */
	"base",		/* TK_BASE */
	"links",	/* TK_LINKS */
	"shares",	/* TK_SHARES */
	"results",	/* TK_RESULTS */
	"events",	/* TK_EVENTS */
	"board",	/* TK_BOARD */
	"csrf",		/* TK_CSRF */
	"message",	/* TK_MESSAGE */
	"suggest",	/* TK_SUGGEST */
	"board_on",	/* TK_BOARD_ON */
	"board_note",	/* TK_BOARD_NOTE */
	"threshold",	/* TK_THRESHOLD */
	"host_form",	/* TK_HOST_FORM */
	"n",		/* TK_N */
	"campaign",	/* TK_CAMPAIGN */
	"url",		/* TK_URL */
	"short_url",	/* TK_SHORT_URL */
	"code",		/* TK_CODE */
	"code_grouped",	/* TK_CODE_GROUPED */
	"qr_svg",	/* TK_QR_SVG */
	"qr_png",	/* TK_QR_PNG */
	"qr_png_print",	/* TK_QR_PNG_PRINT */
	"kind",		/* TK_KIND */
	"subject",	/* TK_SUBJECT */
	"text",		/* TK_TEXT */
	"mailto",	/* TK_MAILTO */
	"rows",		/* TK_ROWS */
	"legend",	/* TK_LEGEND */
};

_Static_assert(TK__MAX == ADV_NKEYS, "adv_tkeys and ADV_NKEYS agree");

struct adv {
	long long	 tok;		/* advocate_tokens.id */
	long long	 id;		/* advocates.id */
	char		 name[ADV_TEXT];
	int		 suggest;	/* opted in to the survey's names */
	int		 board;		/* opted in to the leaderboard */
};

struct advlink {
	char		 code[HS_CODE_MAX + 1];
	char		 campaign[ADV_TEXT];
	long long	 camp;
};

struct advshare {
	long long	 camp;
	char		 kind[8];
	char		 subject[ADV_TEXT];
	char		 body[ADV_BODY];
};

/* What the markers of a template stand for. */
enum mode {
	MODE_PAGE,
	MODE_LINK,			/* one of pg->links, at cur */
	MODE_SHARE			/* one of pg->shares, at cur */
};

struct page {
	struct hs_req	*r;
	struct qrprog	*p;
	struct adv	*a;
	char		 base[3 + HS_CAP_HEX + 1];	/* "/a/T" */
	struct advlink	*links;
	size_t		 nlinks;
	struct advshare	*shares;
	size_t		 nshares;
	enum mode	 mode;
	size_t		 cur;		/* the link or share rendered */
	long long	 hostcamp;	/* 0: no host page to open */
	const char	*message;
	struct hs_buf	 csrf;
	struct hs_buf	 text;		/* the current share, filled in */
	struct hs_buf	 subj;
};

/*
 * Writes a count for an advocate's eyes: 0 as 0, a count under the
 * threshold as "fewer than N" (one signup must not stand out), else
 * the number.
 */
static enum hs_err
putcount(const struct hs_out *out, const struct hs_conf *conf, long long n)
{

	if (n > 0 && n < conf->advocate_min_count)
		return hs_html_printf(out, "fewer than %d",
		    conf->advocate_min_count);
	return hs_html_printf(out, "%lld", n);
}

/*
 * Copies s into b with {link} and {name} replaced.  Anything else in
 * braces stays as written: the owner sees their typo on the page.
 */
static enum hs_err
subst(struct hs_buf *b, const char *s, const char *url, const char *name)
{
	enum hs_err	 e = HS_OK;

	hs_buf_reset(b);
	while (*s != '\0' && e == HS_OK) {
		if (strncmp(s, "{link}", 6) == 0) {
			e = hs_buf_puts(b, url);
			s += 6;
		} else if (strncmp(s, "{name}", 6) == 0) {
			e = hs_buf_puts(b, name);
			s += 6;
		} else
			e = hs_buf_putc(b, *s++);
	}
	return e;
}

/* The link of campaign camp that share texts name, or NULL. */
static const struct advlink *
link_of(const struct page *pg, long long camp)
{
	size_t	 i;

	for (i = 0; i < pg->nlinks; i++)
		if (pg->links[i].camp == camp)
			return &pg->links[i];
	return NULL;
}

/* mailto: with the share's subject and text, percent-encoded. */
static enum hs_err
put_mailto(const struct hs_out *out, struct page *pg)
{
	struct hs_buf	 b;
	enum hs_err	 e;

	hs_buf_init(&b, HS_MAX_PAGE);
	if ((e = hs_buf_puts(&b, "mailto:?")) == HS_OK &&
	    hs_buf_str(&pg->subj)[0] != '\0' &&
	    ((e = hs_buf_puts(&b, "subject=")) != HS_OK ||
	    (e = hs_url_encode(&b, hs_buf_str(&pg->subj))) != HS_OK ||
	    (e = hs_buf_puts(&b, "&")) != HS_OK))
		goto out;
	if (e != HS_OK || (e = hs_buf_puts(&b, "body=")) != HS_OK ||
	    (e = hs_url_encode(&b, hs_buf_str(&pg->text))) != HS_OK)
		goto out;
	e = hs_html_puts(out, hs_buf_str(&b));
out:
	hs_buf_free(&b);
	return e;
}

/* The results, one block per month, newest first. */
static enum hs_err
put_results(const struct hs_out *out, struct page *pg)
{
	static const char *const what[4][2] = {
		{ "adv-clicks", "Clicks on your links" },
		{ "adv-signups", "Signups that came through your links" },
		{ "adv-named", "People who named you in the survey" },
		{ "adv-agree", "…of whom your link says the same" },
	};
	const struct hs_conf *conf = &pg->p->conf;
	struct hs_db	*db = pg->p->db;
	char		 month[16];
	struct hs_dbparam prm[3] = { HS_DBP_INT(pg->a->id),
			    HS_DBP_INT(pg->a->id), HS_DBP_INT(pg->a->id) };
	struct hs_dbcol	 c[5] = {
		HS_DBC_TEXT(month), HS_DBC_INT, HS_DBC_INT, HS_DBC_INT,
		HS_DBC_INT,
	};
	enum hs_err	 e, we = HS_OK;
	size_t		 n = 0, k;
	int		 have;

	if ((e = hs_db_query(db, STMT_ADV_RESULTS, prm, 3, c, 5)) != HS_OK)
		return e;
	while (n < ADV_MAX_MONTHS && we == HS_OK &&
	    (e = hs_db_fetch(db, STMT_ADV_RESULTS, &have)) == HS_OK && have) {
		n++;
		we = hs_html_raw(out, "<section class=\"adv-month\"><h3>");
		if (we == HS_OK)
			we = hs_html_puts(out, month);
		if (we == HS_OK)
			we = hs_html_raw(out,
			    "</h3>\n<dl class=\"qr-counts\">");
		for (k = 0; k < 4 && we == HS_OK; k++) {
			if ((we = hs_html_elem(out, "dt", what[k][1],
			    (char *)NULL)) == HS_OK &&
			    (we = hs_html_open(out, "dd", "class", what[k][0],
			    (char *)NULL)) == HS_OK &&
			    (we = putcount(out, conf, c[k + 1].i)) == HS_OK)
				we = hs_html_close(out, "dd");
		}
		if (we == HS_OK)
			we = hs_html_raw(out, "</dl></section>\n");
	}
	hs_db_end(db, STMT_ADV_RESULTS);
	if (e != HS_OK)
		return e;
	if (we == HS_OK && n == 0)
		we = hs_html_raw(out, "<p>No clicks or signups yet.</p>");
	return we;
}

/* Their events, each with the printables of its host page. */
static enum hs_err
put_events(const struct hs_out *out, struct page *pg)
{
	struct hs_db	*db = pg->p->db;
	char		 name[ADV_TEXT], venue[ADV_TEXT], when[32];
	char		 code[HS_CODE_MAX + 1];
	struct hs_dbparam prm[1] = { HS_DBP_INT(pg->a->id) };
	/* host.c's STMT_EVENTS; the last three (its counts) unused here. */
	struct hs_dbcol	 c[8] = {
		HS_DBC_INT, HS_DBC_TEXT(name), HS_DBC_TEXT(venue),
		HS_DBC_TEXT(when), HS_DBC_TEXT(code), HS_DBC_INT, HS_DBC_INT,
		HS_DBC_INT,
	};
	enum hs_err	 e, we = HS_OK;
	size_t		 n = 0;
	int		 have;

	if ((e = hs_db_query(db, STMT_EVENTS, prm, 1, c, 8)) != HS_OK)
		return e;
	while (n < ADV_MAX_EVENTS && we == HS_OK &&
	    (e = hs_db_fetch(db, STMT_EVENTS, &have)) == HS_OK && have) {
		if (n++ == 0)
			we = hs_html_raw(out, "<ul class=\"adv-events\">");
		if (we == HS_OK)
			we = hs_html_raw(out, "<li>");
		if (we == HS_OK)
			we = hs_html_puts(out, name);
		if (we == HS_OK && when[0] != '\0')
			we = hs_html_printf(out, ", %s", when);
		if (we == HS_OK && venue[0] != '\0')
			we = hs_html_printf(out, ", %s", venue);
		if (we == HS_OK && code[0] != '\0')
			we = hs_html_printf(out, " (link %s/i/%s)",
			    qr_short_base(&pg->p->conf), code);
		if (we == HS_OK)
			we = hs_html_raw(out, "</li>");
	}
	hs_db_end(db, STMT_EVENTS);
	if (e != HS_OK)
		return e;
	if (we == HS_OK)
		we = hs_html_raw(out, n > 0 ? "</ul>" :
		    "<p>You host no events.</p>");
	return we;
}

/* The leaderboard, when the owner enabled it: opted-in names, counts. */
static enum hs_err
put_board(const struct hs_out *out, struct page *pg)
{
	const struct hs_conf *conf = &pg->p->conf;
	struct hs_db	*db = pg->p->db;
	char		 name[ADV_TEXT];
	struct hs_dbparam prm[1] = { HS_DBP_INT(conf->advocate_min_count) };
	struct hs_dbcol	 c[4] = {
		HS_DBC_INT, HS_DBC_TEXT(name), HS_DBC_INT, HS_DBC_INT,
	};
	enum hs_err	 e, we;
	size_t		 n = 0;
	int		 have;

	if (!conf->leaderboard)
		return HS_OK;
	if ((we = hs_html_raw(out, "<section aria-labelledby=\"adv-board-h\">"
	    "<h2 id=\"adv-board-h\">Leaderboard</h2>\n<p class=\"qr-note\">"
	    "Advocates who chose to be listed; counts only.</p>\n"
	    "<ol class=\"adv-board\">")) != HS_OK)
		return we;
	if ((e = hs_db_query(db, STMT_ADV_BOARD, prm, 1, c, 4)) != HS_OK)
		return e;
	while (n < ADV_MAX_BOARD && we == HS_OK &&
	    (e = hs_db_fetch(db, STMT_ADV_BOARD, &have)) == HS_OK && have) {
		n++;
		if ((we = hs_html_raw(out, "<li>")) != HS_OK ||
		    (we = hs_html_puts(out, name)) != HS_OK ||
		    (c[0].i == pg->a->id &&
		    (we = hs_html_raw(out, " (you)")) != HS_OK) ||
		    (we = hs_html_raw(out, ": ")) != HS_OK ||
		    (we = putcount(out, conf, c[2].i)) != HS_OK ||
		    (we = hs_html_raw(out, " signups through their links, "))
		    != HS_OK ||
		    (we = putcount(out, conf, c[3].i)) != HS_OK ||
		    (we = hs_html_raw(out, " named them</li>")) != HS_OK)
			break;
	}
	hs_db_end(db, STMT_ADV_BOARD);
	if (e != HS_OK)
		return e;
	if (we == HS_OK && n == 0)
		we = hs_html_raw(out, "<li>Nobody is listed yet.</li>");
	if (we == HS_OK)
		we = hs_html_raw(out, "</ol></section>");
	return we;
}

static enum hs_err	cb(size_t, const struct hs_out *, void *);

/*
 * TK_LINKS and TK_SHARES (mode MODE_LINK or MODE_SHARE): each link, or
 * each share text with a link, by its template; a note if there is none.
 */
static enum hs_err
put_each(const struct hs_out *out, struct page *pg, enum mode mode)
{
	size_t		 n = mode == MODE_LINK ? pg->nlinks : pg->nshares;
	enum hs_err	 e;
	size_t		 i;

	pg->mode = mode;
	for (i = 0; i < n; i++) {
		pg->cur = i;
		if (mode == MODE_SHARE &&
		    link_of(pg, pg->shares[i].camp) == NULL)
			continue;
		if ((e = hs_tmpl_render(pg->p->tmpl[mode == MODE_LINK ?
		    TMPL_ADV_LINK : TMPL_ADV_SHARE], out, cb, pg)) != HS_OK)
			return e;
	}
	pg->mode = MODE_PAGE;
	if (n == 0)
		return hs_html_raw(out, mode == MODE_LINK ? "<p>You have no "
		    "invite link yet.</p>" : "<p>There are no texts to share "
		    "yet.</p>");
	return HS_OK;
}

/* A key of TMPL_ADV_LINK, for the link l. */
static enum hs_err
cb_link(size_t key, const struct hs_out *out, const struct page *pg,
    const struct advlink *l)
{
	const struct hs_conf *conf = &pg->p->conf;

	switch (key) {
	case TK_N:
		return hs_html_printf(out, "%zu", pg->cur);
	case TK_CAMPAIGN:
		return hs_html_puts(out, l->campaign);
	case TK_URL:
		return hs_html_printf(out, "%s/i/%s", conf->base_url, l->code);
	case TK_SHORT_URL:
		return hs_html_printf(out, "%s/i/%s", qr_short_base(conf),
		    l->code);
	case TK_CODE:
		return hs_html_puts(out, l->code);
	case TK_CODE_GROUPED:
		return qr_put_grouped(out, l->code);
	case TK_QR_SVG:
		return hs_html_printf(out, "/qr/%s.svg", l->code);
	case TK_QR_PNG:
		return hs_html_printf(out, "/qr/%s.png?s=6", l->code);
	case TK_QR_PNG_PRINT:
		return hs_html_printf(out, "/qr/%s.png?s=20", l->code);
	default:
		return HS_OK;
	}
}

/* A key of TMPL_ADV_SHARE, for the share text s with its link l. */
static enum hs_err
cb_share(size_t key, const struct hs_out *out, struct page *pg,
    const struct advshare *s, const struct advlink *l)
{
	const struct hs_conf *conf = &pg->p->conf;
	char		 url[HS_CODE_MAX + 512];
	const char	*t;
	size_t		 rows = 2;
	enum hs_err	 e;

	switch (key) {
	case TK_N:
		return hs_html_printf(out, "%zu", pg->cur);
	case TK_KIND:
		return hs_html_puts(out, strcmp(s->kind, "email") == 0 ?
		    "E-mail" : strcmp(s->kind, "chat") == 0 ? "Chat message" :
		    "Social media post");
	case TK_CAMPAIGN:
		return hs_html_puts(out, l->campaign);
	case TK_SUBJECT:
	case TK_TEXT:
	case TK_MAILTO:
	case TK_ROWS:
		break;
	default:
		return HS_OK;
	}
	(void)snprintf(url, sizeof(url), "%s/i/%s", conf->base_url, l->code);
	if ((e = subst(&pg->text, s->body, url, pg->a->name)) != HS_OK ||
	    (e = subst(&pg->subj, s->subject, url, pg->a->name)) != HS_OK)
		return e;
	switch (key) {
	case TK_SUBJECT:
		return hs_html_puts(out, hs_buf_str(&pg->subj));
	case TK_TEXT:
		return hs_html_puts(out, hs_buf_str(&pg->text));
	case TK_ROWS:
		for (t = hs_buf_str(&pg->text); *t != '\0'; t++)
			if (*t == '\n')
				rows++;
		return hs_html_printf(out, "%zu", rows + pg->text.len / 60);
	default:
		return put_mailto(out, pg);
	}
}

/* The button to their host page, when a campaign has one. */
static enum hs_err
put_host_form(const struct hs_out *out, struct page *pg)
{
	char		 action[sizeof(pg->base) + sizeof("/host")];
	enum hs_err	 e;

	(void)snprintf(action, sizeof(action), "%s/host", pg->base);
	if ((e = hs_html_open(out, "form", "method", "post", "action",
	    action, (char *)NULL)) != HS_OK ||
	    (e = hs_html_open(out, "input", "type", "hidden", "name", "csrf",
	    "value", hs_buf_str(&pg->csrf), (char *)NULL)) != HS_OK ||
	    (e = hs_html_open(out, "p", (char *)NULL)) != HS_OK ||
	    (e = hs_html_elem(out, "button", "Open my host page (posters, "
	    "slides, table cards)", "type", "submit", (char *)NULL)) != HS_OK ||
	    (e = hs_html_close(out, "p")) != HS_OK ||
	    (e = hs_html_elem(out, "p", "Each time you open it, your host "
	    "page gets a new address and the addresses it had before work no "
	    "more: bookmark the page it opens, and use the button again if "
	    "you lose it.", "class", "qr-note", (char *)NULL)) != HS_OK)
		return e;
	return hs_html_close(out, "form");
}

static enum hs_err
cb(size_t key, const struct hs_out *out, void *arg)
{
	struct page	*pg = arg;
	const struct hs_conf *conf = &pg->p->conf;
	const struct advlink *l;
	enum hs_err	 e;

	switch (key) {
	case TK_NAME:
		return hs_html_puts(out, pg->a->name);
	case TK_BASE:
		return hs_html_puts(out, pg->base);
	case TK_CSRF:
		return hs_html_puts(out, hs_buf_str(&pg->csrf));
	case TK_MESSAGE:
		if (pg->message == NULL)
			return HS_OK;
		if ((e = hs_html_raw(out, "<p class=\"adv-message\" "
		    "role=\"status\">")) != HS_OK ||
		    (e = hs_html_puts(out, pg->message)) != HS_OK)
			return e;
		return hs_html_raw(out, "</p>");
	case TK_SUGGEST:
		return hs_html_raw(out, pg->a->suggest ? "checked" : "");
	case TK_BOARD_ON:
		return hs_html_raw(out, pg->a->board ? "checked" : "");
	case TK_BOARD_NOTE:
		return hs_html_puts(out, conf->leaderboard ? "" :
		    " (there is no leaderboard now; this takes effect if one "
		    "is opened)");
	case TK_THRESHOLD:
		return hs_html_printf(out, "%d", conf->advocate_min_count);
	case TK_LINKS:
		return put_each(out, pg, MODE_LINK);
	case TK_SHARES:
		return put_each(out, pg, MODE_SHARE);
	case TK_RESULTS:
		return put_results(out, pg);
	case TK_EVENTS:
		return put_events(out, pg);
	case TK_BOARD:
		return put_board(out, pg);
	case TK_HOST_FORM:
		if (pg->hostcamp == 0)
			return HS_OK;
		return put_host_form(out, pg);
	default:
		break;
	}
	if (pg->mode == MODE_LINK && pg->cur < pg->nlinks)
		return cb_link(key, out, pg, &pg->links[pg->cur]);
	if (pg->mode == MODE_SHARE && pg->cur < pg->nshares &&
	    (l = link_of(pg, pg->shares[pg->cur].camp)) != NULL)
		return cb_share(key, out, pg, &pg->shares[pg->cur], l);
	return HS_OK;
}

/*
 * Finds the advocate of a token for the page pg (its qr_cap's find).
 * Returns HS_OK, HS_ENOTFOUND (malformed, unknown or revoked: cap.c
 * tells the last apart), or a DB error.
 */
static enum hs_err
adv_find(const char *tok, void *arg)
{
	struct page	*pg = arg;
	struct adv	*a = pg->a;
	struct hs_dbcol	 c[5] = {
		HS_DBC_INT, HS_DBC_INT, HS_DBC_TEXT(a->name), HS_DBC_INT,
		HS_DBC_INT,
	};
	enum hs_err	 e;

	if ((e = qr_cap_row(pg->p->db, STMT_ADV_FIND, tok, c, 5)) != HS_OK)
		return e;
	a->tok = c[0].i;
	a->id = c[1].i;
	a->suggest = c[3].i != 0;
	a->board = c[4].i != 0;
	return HS_OK;
}

/* An advocate's pages, for cap.c. */
static const struct qr_cap adv_cap = {
	.prefix = "/a/",
	.who = "advocate",
	.notfound = "There is no advocate's page at this address.  Check "
	    "that the whole address was copied; if it was, ask the "
	    "program's owner for a new one.",
	.gone = "This address of your page has been replaced by a new "
	    "one, and works no more.  Open the newest link you were "
	    "given, or ask the program's owner for the new address.",
	.gonestmt = STMT_ADV_GONE,
	.find = adv_find,
};

/* A DB error as the page a person sees (cap.c). */
static void
dberror(struct hs_req *r, enum hs_err e)
{

	qr_dberror(r, "advocate", e);
}

/* Loads the links and the share texts of the page.  Returns as hs_db. */
static enum hs_err
page_load(struct page *pg)
{
	struct hs_db	*db = pg->p->db;
	struct advlink	 l;
	struct advshare	*s;
	struct hs_dbparam prm[1] = { HS_DBP_INT(pg->a->id) };
	struct hs_dbcol	 lc[3] = {
		HS_DBC_TEXT(l.code), HS_DBC_TEXT(l.campaign), HS_DBC_INT,
	};
	struct hs_dbcol	 sc[4];
	struct hs_dbcol	 hc = HS_DBC_INT;
	enum hs_err	 e;
	int		 have = 0;

	if ((pg->links = hs_xcalloc(ADV_MAX_LINKS, sizeof(*pg->links))) ==
	    NULL || (pg->shares = hs_xcalloc(ADV_MAX_SHARES,
	    sizeof(*pg->shares))) == NULL || (s = hs_xcalloc(1,
	    sizeof(*s))) == NULL)
		return HS_ENOMEM;
	memset(&l, 0, sizeof(l));
	if ((e = hs_db_query(db, STMT_ADV_LINKS, prm, 1, lc, 3)) != HS_OK)
		goto out;
	while (pg->nlinks < ADV_MAX_LINKS &&
	    (e = hs_db_fetch(db, STMT_ADV_LINKS, &have)) == HS_OK && have) {
		l.camp = lc[2].i;
		pg->links[pg->nlinks++] = l;
	}
	hs_db_end(db, STMT_ADV_LINKS);
	if (e != HS_OK)
		goto out;
	sc[0] = (struct hs_dbcol)HS_DBC_INT;
	sc[1] = (struct hs_dbcol)HS_DBC_TEXT(s->kind);
	sc[2] = (struct hs_dbcol)HS_DBC_TEXT(s->subject);
	sc[3] = (struct hs_dbcol)HS_DBC_TEXT(s->body);
	if ((e = hs_db_query(db, STMT_ADV_SHARES, prm, 1, sc, 4)) != HS_OK)
		goto out;
	while (pg->nshares < ADV_MAX_SHARES &&
	    (e = hs_db_fetch(db, STMT_ADV_SHARES, &have)) == HS_OK && have) {
		s->camp = sc[0].i;
		pg->shares[pg->nshares++] = *s;
	}
	hs_db_end(db, STMT_ADV_SHARES);
	if (e != HS_OK)
		goto out;
	if ((e = hs_db_row(db, STMT_ADV_HOSTCAMP, prm, 1, &hc, 1, &have)) ==
	    HS_OK && have)
		pg->hostcamp = hc.i;
out:
	free(s);
	return e;
}

/* GET /a/T/: the page, with a fresh form token. */
static void
page_show(struct page *pg, const char *message)
{
	char		 payload[32];
	enum hs_err	 e;

	if ((e = page_load(pg)) != HS_OK) {
		dberror(pg->r, e);
		return;
	}
	(void)snprintf(payload, sizeof(payload), "%lld", pg->a->tok);
	if (qr_cap_sign(pg->r, "adv-form", payload, ADV_FORM_SECS,
	    &pg->csrf) != 0)
		return;
	pg->message = message;
	if (hs_http_header(pg->r, "Content-Security-Policy", ADV_CSP) !=
	    HS_OK || hs_http_header(pg->r, "X-Robots-Tag",
	    "noindex, nofollow") != HS_OK ||
	    hs_http_open(pg->r, 200, "text/html") != HS_OK)
		return;
	if (pg->r->method == HS_METHOD_HEAD)
		return;
	if (hs_tmpl_render(pg->p->tmpl[TMPL_ADV], &pg->r->out, cb, pg) !=
	    HS_OK)
		hs_log(HS_LOG_INFO, "advocate: page cut short");
}

/* The forms of the page: its token, and the opt-ins of /prefs. */
enum { AF_CSRF, AF_SUGGEST, AF_BOARD, AF__MAX };
static const struct hs_field adv_fields[AF__MAX] = {
	/* AF_CSRF */
	{ .name = "csrf", .kind = HS_FIELD_TEXT, .max = HS_MAX_FIELD },
	/* AF_SUGGEST */
	{ .name = "suggest", .kind = HS_FIELD_BOOL,
	    .label = "Suggest my name",
	    .hint = "A choice is ticked or not: \"on\" or absent." },
	/* AF_BOARD */
	{ .name = "leaderboard", .kind = HS_FIELD_BOOL,
	    .label = "Leaderboard",
	    .hint = "A choice is ticked or not: \"on\" or absent." },
};

/*
 * Checks a form of the page against its first n rows of adv_fields
 * into v: our origin, known single fields, the page's own signed token.
 * Answers the 4xx itself; returns 1 if good.
 */
static int
form_ok(struct page *pg, size_t n, struct hs_fval *v)
{
	struct hs_req	*r = pg->r;
	struct hs_fbad	 bad;
	char		 payload[32], want[32];

	if (!hs_req_same_origin(r, r->conf->base_url)) {
		(void)hs_http_error(r, 403, "This form must be sent from its "
		    "own page.");
		return 0;
	}
	if (hs_req_form(r) != HS_OK) {
		(void)hs_http_error(r, 400, "The form could not be read.");
		return 0;
	}
	if (hs_field_parse(r->form, r->formsz, adv_fields, n,
	    HS_FIELD_STRICT, v, &bad) != HS_OK) {
		(void)hs_field_error(r, adv_fields, n, &bad);
		return 0;
	}
	(void)snprintf(want, sizeof(want), "%lld", pg->a->tok);
	if (!v[AF_CSRF].set ||
	    hs_token_verify(pg->p->conf.hmac_key, "adv-form", v[AF_CSRF].s,
	    (long long)time(NULL), payload, sizeof(payload)) != HS_OK ||
	    strcmp(payload, want) != 0) {
		(void)hs_http_error(r, 403, "The form has expired; please "
		    "reload the page and try again.");
		return 0;
	}
	return 1;
}

/* POST /a/T/prefs: the opt-ins, then 303 back to the page. */
static void
page_prefs(struct page *pg)
{
	struct hs_req	*r = pg->r;
	struct hs_fval	 v[AF__MAX];
	struct hs_dbparam prm[3];
	char		 loc[sizeof(pg->base) + 16];
	enum hs_err	 e;
	int		 sug, board;

	if (!form_ok(pg, AF__MAX, v))
		return;
	sug = (int)v[AF_SUGGEST].i;
	board = (int)v[AF_BOARD].i;
	prm[0] = (struct hs_dbparam)HS_DBP_INT(sug);
	prm[1] = (struct hs_dbparam)HS_DBP_INT(board);
	prm[2] = (struct hs_dbparam)HS_DBP_INT(pg->a->id);
	if ((e = hs_db_exec(pg->p->db, STMT_ADV_PREFS, prm, 3, NULL)) !=
	    HS_OK) {
		dberror(r, e);
		return;
	}
	(void)snprintf(loc, sizeof(loc), "%s/?saved=1", pg->base);
	if (hs_http_redirect(r, 303, loc) != HS_OK)
		hs_log(HS_LOG_INFO, "advocate: client went away");
}

/* A new host page: the advocate, its campaign, its token's hash. */
struct newhost {
	long long	 adv;
	long long	 camp;
	const char	*hex;
};

/*
 * The unit of the host page button: revokes the advocate's host pages
 * in the campaign, then adds the new one.  The revoke locks their rows,
 * so of two clicks at once the second revokes the first's page too.
 */
static enum hs_err
host_unit(struct hs_db *db, void *arg)
{
	struct newhost	*n = arg;
	struct hs_dbparam prm[3] = { HS_DBP_INT(n->adv), HS_DBP_INT(n->camp),
			    HS_DBP_TEXT(n->hex) };
	enum hs_err	 e;

	if ((e = hs_db_exec(db, STMT_ADV_HOST_REVOKE, prm, 2, NULL)) != HS_OK)
		return e;
	return hs_db_exec(db, STMT_ADV_HOST_ADD, prm, 3, NULL);
}

/*
 * POST /a/T/host: a host page for an advocate who has one.  Its token
 * is stored hashed like any, so it cannot be shown again: a new one is
 * made, in the campaign of their latest, and the browser sent there.
 * The ones before it in that campaign are revoked with it, so that each
 * click does not leave one more address working for ever: an advocate
 * has one host page address a campaign, the newest (the page says so
 * beside the button).
 */
static void
page_host(struct page *pg)
{
	struct hs_req	*r = pg->r;
	struct hs_fval	 v[AF__MAX];
	char		 tok[HS_CAP_HEX + 1], hex[65];
	char		 loc[8 + HS_CAP_HEX];
	struct hs_dbparam prm[1] = { HS_DBP_INT(pg->a->id) };
	struct hs_dbcol	 hc = HS_DBC_INT;
	struct newhost	 n;
	enum hs_err	 e;
	int		 have = 0;

	if (!form_ok(pg, AF_CSRF + 1, v))
		return;
	if ((e = hs_db_row(pg->p->db, STMT_ADV_HOSTCAMP, prm, 1, &hc, 1,
	    &have)) != HS_OK) {
		dberror(r, e);
		return;
	}
	if (!have) {
		(void)hs_http_error(r, 404, "You have no host page; ask the "
		    "program's owner if you would like to host events.");
		return;
	}
	hs_cap_new(tok, hex);
	n.adv = pg->a->id;
	n.camp = hc.i;
	n.hex = hex;
	if ((e = hs_db_unit(pg->p->db, host_unit, &n)) != HS_OK) {
		dberror(r, e);
		goto out;
	}
	(void)snprintf(loc, sizeof(loc), "/host/%s/", tok);
	if (hs_http_redirect(r, 303, loc) != HS_OK)
		hs_log(HS_LOG_INFO, "advocate: client went away");
out:
	sodium_memzero(tok, sizeof(tok));
	sodium_memzero(loc, sizeof(loc));
}

/* The page's one option: ?saved=1 after the opt-ins were stored. */
static const struct hs_field saved_field[] = {
	{ .name = "saved", .kind = HS_FIELD_BOOL, .chars = "1",
	    .label = "saved" },
};

/* The page rest ("/", "/prefs", "/host") of the advocate's pages pg. */
static void
adv_route(struct page *pg, const char *rest)
{
	struct hs_req	*r = pg->r;
	struct hs_fval	 v[1];
	struct hs_fbad	 bad;

	if (!qr_cap_method(r, strcmp(rest, "/prefs") == 0 ||
	    strcmp(rest, "/host") == 0, "This is where the page's form is "
	    "sent."))
		return;
	if (strcmp(rest, "/prefs") == 0)
		page_prefs(pg);
	else if (strcmp(rest, "/host") == 0)
		page_host(pg);
	else if (strcmp(rest, "/") != 0)
		(void)hs_http_error(r, 404, "There is no such page.");
	else if (hs_field_parse(r->qv, r->qvsz, saved_field, 1,
	    HS_FIELD_STRICT, v, &bad) != HS_OK)
		(void)hs_field_error(r, saved_field, 1, &bad);
	else
		page_show(pg, v[0].set ? "Your choices are saved." : NULL);
}

/* Everything under /a/. */
void
adv_handle(struct hs_req *r, void *arg)
{
	struct qrprog	*p = arg;
	struct page	 pg;
	struct adv	 a;
	char		 tok[HS_CAP_HEX + 1];
	const char	*rest;

	memset(&pg, 0, sizeof(pg));
	memset(&a, 0, sizeof(a));
	hs_buf_init(&pg.csrf, 512);
	hs_buf_init(&pg.text, ADV_SUBST_MAX);
	hs_buf_init(&pg.subj, ADV_SUBST_MAX);
	pg.r = r;
	pg.p = p;
	pg.a = &a;
	if ((rest = qr_cap_open(r, p->db, &adv_cap, tok, &pg)) == NULL)
		goto out;
	(void)snprintf(pg.base, sizeof(pg.base), "/a/%s", tok);
	adv_route(&pg, rest);
out:
	free(pg.links);
	free(pg.shares);
	hs_buf_free(&pg.csrf);
	hs_buf_free(&pg.text);
	hs_buf_free(&pg.subj);
	sodium_memzero(tok, sizeof(tok));
}
