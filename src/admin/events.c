/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * events.c: hearsay-admin's event commands and the hosts' page grants.
 *
 *   event create --name N --host HANDLE --campaign SLUG [--venue V]
 *       [--starts "YYYY-MM-DD HH:MM"] [--ends ...] [--slug S]
 *       [--tables N]
 *   event list
 *   event show SLUG
 *   event disable|enable SLUG
 *   host grant --advocate HANDLE --campaign SLUG
 *   host revoke --advocate HANDLE
 *
 * An event's own link is a row of links with event_id set and label
 * NULL; per-table links carry a label (see sql/030_events.sql).  The
 * event and its links are made by core's hs_event_create (event.c), the
 * same as the hosts' form in hearsay-qr; a slug that exists already is
 * refused rather than given more links.  A host
 * grant prints the host page's URL once: only the SHA-256 of its token
 * is stored, so it cannot be shown again, only revoked and granted anew.
 */
#include "config.h"

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "hearsay.h"
#include "admin.h"

#define EV_MAX_TABLES	HS_EVENT_TABLES_MAX /* extra links per event */
#define EV_TEXT		801	/* VARCHAR(200) in utf8mb4 */

enum stmt {
	ST_CAMPAIGN,
	ST_ADVOCATE,
	ST_EVENT_ADD,
	ST_EVENT_ID,
	ST_LINK_ADD,
	ST_LINK_OWNER,
	ST_LINKS_MOVED,
	ST_EVENTS,
	ST_EVENT_LINKS,
	ST_TOKEN_ADD,
	ST_TOKEN_REVOKE,
	ST_TOKEN_ACTIVE,
	ST_CAMPAIGN_ADD,
	ST_ADVOCATE_ADD,
	ST_EVENT_ABLE,
	ST_EVENT_LINKS_ABLE,
	ST__MAX
};

static const char *const stmts[ST__MAX] = {
	/* ST_CAMPAIGN */
	"SELECT id, default_dest FROM campaigns WHERE slug = ?",
	/* ST_ADVOCATE */
	"SELECT id FROM advocates WHERE handle = ?",
	/* ST_EVENT_ADD .. ST_LINKS_MOVED: core's hs_event_create. */
	HS_SQL_EVENT_ADD,
	HS_SQL_EVENT_ID,
	HS_SQL_EVENT_LINK_ADD,
	HS_SQL_EVENT_LINK_OWNER,
	HS_SQL_LINKS_MOVED,
	/* ST_EVENTS */
	"SELECT e.id, e.slug, e.name, COALESCE(a.handle, '-'), "
	    "COALESCE((SELECT l.code FROM links l WHERE l.event_id = e.id "
	    "AND l.label IS NULL ORDER BY l.id LIMIT 1), '-') "
	    "FROM events e LEFT JOIN advocates a ON a.id = e.host_advocate_id "
	    "WHERE ? = '' OR e.slug = ? ORDER BY e.id",
	/* ST_EVENT_LINKS */
	"SELECT l.code, COALESCE(l.label, '(event)') FROM links l "
	    "JOIN events e ON e.id = l.event_id WHERE e.slug = ? "
	    "ORDER BY l.label IS NOT NULL, l.id",
	/* ST_TOKEN_ADD */
	"INSERT INTO host_tokens (advocate_id, campaign_id, token_hash) "
	    "VALUES (?, ?, ?)",
	/* ST_TOKEN_REVOKE */
	"UPDATE host_tokens SET revoked_at = CURRENT_TIMESTAMP(3) "
	    "WHERE advocate_id = ? AND revoked_at IS NULL",
	/* ST_TOKEN_ACTIVE */
	"SELECT COUNT(*) FROM host_tokens WHERE advocate_id = ? "
	    "AND revoked_at IS NULL",
	/* ST_CAMPAIGN_ADD: demo only */
	"INSERT IGNORE INTO campaigns (slug, name, allowed_hosts, "
	    "default_dest) VALUES (?, ?, ?, ?)",
	/* ST_ADVOCATE_ADD: demo only */
	"INSERT IGNORE INTO advocates (handle, display_name) VALUES (?, ?)",
	/* ST_EVENT_ABLE, ST_EVENT_LINKS_ABLE: as hearsay-report's pages. */
	HS_SQL_EVENT_ABLE,
	HS_SQL_EVENT_LINKS_ABLE,
};

/* Options of the event and host commands. */
struct evopts {
	const char	*name, *host, *campaign, *venue, *starts, *ends, *slug;
	int		 tables;
};

/*
 * Reads event create's options into o.  Returns 0, or -1 after a
 * message for a --tables out of range.
 */
static int
evopts_get(const struct adm_args *args, struct evopts *o)
{
	const char	*v;
	char		*ep;
	long		 n;

	memset(o, 0, sizeof(*o));
	o->name = adm_arg(args, "name");
	o->host = adm_arg(args, "host");
	o->campaign = adm_arg(args, "campaign");
	o->venue = adm_arg(args, "venue");
	o->starts = adm_arg(args, "starts");
	o->ends = adm_arg(args, "ends");
	o->slug = adm_arg(args, "slug");
	if ((v = adm_arg(args, "tables")) != NULL) {
		n = strtol(v, &ep, 10);
		if (*v == '\0' || *ep != '\0' || n < 0 || n > EV_MAX_TABLES) {
			warnx("--tables: 0 to %d", EV_MAX_TABLES);
			return -1;
		}
		o->tables = (int)n;
	}
	return 0;
}

/* Looks up one id (and optionally a text column).  Returns 1, 0 or -1. */
static int
lookup(struct hs_db *db, enum stmt s, const char *key, long long *id,
    char *text, size_t textsz)
{
	struct hs_dbparam p[1] = { HS_DBP_TEXT(key) };
	struct hs_dbcol	 c[2] = {
		{ HS_DB_INT, 0, NULL, 0, 0, 0, 0 },
		{ HS_DB_TEXT, 0, text, textsz, 0, 0, 0 },
	};
	int		 have = 0;

	if (hs_db_query(db, s, p, 1, c, text != NULL ? 2 : 1) != HS_OK)
		return -1;
	if (hs_db_fetch(db, s, &have) != HS_OK)
		have = -1;
	hs_db_end(db, s);
	*id = c[0].i;
	return have;
}

static const struct hs_event_stmts evstmts = {
	ST_EVENT_ADD, ST_EVENT_ID, ST_LINK_ADD, ST_LINK_OWNER, ST_LINKS_MOVED
};

/*
 * Creates the event of o (slug given or random) with its own link and
 * o->tables per-table links (hs_event_create); codes are random unless
 * fixed (demo).  A slug that exists is refused, unless the codes are
 * fixed: the demo run again finds its event as it made it.  Returns
 * ADM_OK or ADM_FAIL (with a message).
 */
static int
event_make(struct hs_db *db, const struct evopts *o,
    const char (*fixed)[HS_CODE_MAX + 1])
{
	struct hs_event	*ev;
	char		 slug[64], dest[HS_DEST_MAX + 1];
	int		 i, rc = ADM_FAIL;
	enum hs_err	 e;

	if (o->name == NULL || o->campaign == NULL) {
		warnx("event create: --name and --campaign are required");
		return ADM_FAIL;
	}
	if ((ev = hs_xcalloc(1, sizeof(*ev))) == NULL)
		return ADM_FAIL;
	ev->name = o->name;
	ev->venue = o->venue;
	ev->starts = o->starts;
	ev->ends = o->ends;
	ev->tables = o->tables;
	if (lookup(db, ST_CAMPAIGN, o->campaign, &ev->campaign, dest,
	    sizeof(dest)) != 1) {
		warnx("no campaign %s", o->campaign);
		goto out;
	}
	ev->dest = dest;
	if (o->host != NULL && lookup(db, ST_ADVOCATE, o->host, &ev->host,
	    NULL, 0) != 1) {
		warnx("no advocate %s", o->host);
		goto out;
	}
	if (o->slug != NULL)
		ev->slug = o->slug;
	else {
		hs_rand_hex(slug + 3, 17);
		memcpy(slug, "ev-", 3);
		ev->slug = slug;
	}
	if (fixed != NULL) {
		ev->fixed = 1;
		for (i = 0; i <= o->tables; i++)
			memcpy(ev->codes[i], fixed[i], sizeof(ev->codes[i]));
	}
	if ((e = hs_event_create(db, &evstmts, ev)) == HS_EINVAL)
		warnx("event create: %s is another host's event", ev->slug);
	else if (e == HS_EDUP)
		warnx("event create: a code is another link's");
	else if (e != HS_OK)
		warnx("event create: %s", hs_strerror(e));
	else if (!ev->added && !ev->fixed)
		warnx("event create: %s exists already (event show %s)",
		    ev->slug, ev->slug);
	else {
		printf("event %lld %s: code %s", ev->id, ev->slug,
		    ev->codes[0]);
		for (i = 1; i <= o->tables; i++)
			printf(" %s", ev->codes[i]);
		printf("\n");
		rc = ADM_OK;
	}
out:
	free(ev);
	return rc;
}

/* Lists events (slug NULL) or shows one with its links. */
static int
event_list(struct hs_db *db, const char *slug)
{
	char		 s[65], name[EV_TEXT], host[65], code[HS_CODE_MAX + 1];
	char		 label[EV_TEXT];
	struct hs_dbparam p[2] = { HS_DBP_TEXT(slug != NULL ? slug : ""),
			    HS_DBP_TEXT(slug != NULL ? slug : "") };
	struct hs_dbcol	 c[5] = {
		{ HS_DB_INT, 0, NULL, 0, 0, 0, 0 },
		{ HS_DB_TEXT, 0, s, sizeof(s), 0, 0, 0 },
		{ HS_DB_TEXT, 0, name, sizeof(name), 0, 0, 0 },
		{ HS_DB_TEXT, 0, host, sizeof(host), 0, 0, 0 },
		{ HS_DB_TEXT, 0, code, sizeof(code), 0, 0, 0 },
	};
	struct hs_dbcol	 lc[2] = {
		{ HS_DB_TEXT, 0, code, sizeof(code), 0, 0, 0 },
		{ HS_DB_TEXT, 0, label, sizeof(label), 0, 0, 0 },
	};
	int		 have, n = 0;

	if (hs_db_query(db, ST_EVENTS, p, 2, c, 5) != HS_OK)
		return ADM_FAIL;
	while (hs_db_fetch(db, ST_EVENTS, &have) == HS_OK && have) {
		printf("%lld\t%s\t%s\thost=%s\tcode=%s\n", c[0].i, s, name,
		    host, code);
		n++;
	}
	hs_db_end(db, ST_EVENTS);
	if (slug == NULL)
		return ADM_OK;
	if (n == 0) {
		warnx("no event %s", slug);
		return ADM_FAIL;
	}
	if (hs_db_query(db, ST_EVENT_LINKS, p, 1, lc, 2) != HS_OK)
		return ADM_FAIL;
	while (hs_db_fetch(db, ST_EVENT_LINKS, &have) == HS_OK && have)
		printf("  link %s\t%s\n", code, label);
	hs_db_end(db, ST_EVENT_LINKS);
	return ADM_OK;
}

/* One event disabled or re-enabled, with all its links. */
struct evable {
	const char		*slug;
	int			 off;
	unsigned long long	 found;	/* out: 0 when no such event */
};

static enum hs_err
able_unit(struct hs_db *db, void *arg)
{
	struct evable		*v = arg;
	struct hs_dbparam	 p[2] = { HS_DBP_INT(v->off),
				    HS_DBP_TEXT(v->slug) };
	struct hs_dbcol		 c[2] = { HS_DBC_INT, HS_DBC_INT };
	int			 have = 0;
	enum hs_err		 e;

	v->found = 0;
	if ((e = hs_db_row(db, ST_EVENT_ID, p + 1, 1, c, 2, &have)) != HS_OK)
		return e;
	if (!have)
		return HS_OK;
	v->found = 1;
	if ((e = hs_db_exec(db, ST_EVENT_ABLE, p, 2, NULL)) != HS_OK ||
	    (e = hs_db_exec(db, ST_EVENT_LINKS_ABLE, p, 2, NULL)) != HS_OK)
		return e;
	/* Its links stop, or answer again, at once. */
	return hs_db_exec(db, ST_LINKS_MOVED, NULL, 0, NULL);
}

/* event disable|enable SLUG.  ADM_OK or ADM_FAIL. */
static int
event_able(struct hs_db *db, const char *slug, int off)
{
	struct evable	 v = { slug, off, 0 };

	if (hs_db_unit(db, able_unit, &v) != HS_OK) {
		warnx("event %s: database error", off ? "disable" : "enable");
		return ADM_FAIL;
	}
	if (!v.found) {
		warnx("no event %s", slug);
		return ADM_FAIL;
	}
	printf("event %s %s, with its links\n", slug, off ? "disabled" :
	    "enabled");
	return ADM_OK;
}


static int
event_create(struct adm *a, const struct adm_args *args)
{
	struct hs_db	*db;
	struct evopts	 o;
	int		 rc;

	if (evopts_get(args, &o) != 0)
		return ADM_SHOW_USAGE;
	db = adm_open(a, stmts, ST__MAX);
	rc = event_make(db, &o, NULL);
	hs_db_close(db);
	return rc;
}

/* event list, and event show SLUG. */
static int
event_show(struct adm *a, const struct adm_args *args)
{
	struct hs_db	*db;
	int		 rc;

	db = adm_open(a, stmts, ST__MAX);
	rc = event_list(db, args->npos > 0 ? args->pos[0] : NULL);
	hs_db_close(db);
	return rc;
}

/* event disable SLUG, event enable SLUG. */
static int
event_onoff(struct adm *a, const char *slug, int off)
{
	struct hs_db	*db;
	int		 rc;

	db = adm_open(a, stmts, ST__MAX);
	rc = event_able(db, slug, off);
	hs_db_close(db);
	return rc;
}

static int
event_disable(struct adm *a, const struct adm_args *args)
{

	return event_onoff(a, args->pos[0], 1);
}

static int
event_enable(struct adm *a, const struct adm_args *args)
{

	return event_onoff(a, args->pos[0], 0);
}

static const struct adm_opt event_opts[] = {
	{ "name", 0 }, { "host", 0 }, { "campaign", 0 }, { "venue", 0 },
	{ "starts", 0 }, { "ends", 0 }, { "slug", 0 }, { "tables", 0 },
	{ NULL, 0 }
};

const struct adm_sub adm_event_subs[] = {
	{ "create", event_create, 0, 0, event_opts, "create --name N "
	    "--campaign SLUG [--host HANDLE] [--venue V]\n"
	    "           [--starts 'YYYY-MM-DD HH:MM'] [--ends ...] "
	    "[--slug S] [--tables N]" },
	{ "list", event_show, 0, 0, NULL, "list" },
	{ "show", event_show, 1, 1, NULL, "show SLUG" },
	{ "disable", event_disable, 1, 1, NULL, "disable SLUG" },
	{ "enable", event_enable, 1, 1, NULL, "enable SLUG" },
	{ NULL, NULL, 0, 0, NULL, NULL }
};

/*
 * Grants advocate a host page for campaign and prints its URL, the only
 * time the token is ever shown.  Returns ADM_OK or ADM_FAIL.
 */
static int
host_grant(struct adm *a, struct hs_db *db, const char *advocate,
    const char *campaign)
{
	char		 tok[HS_CAP_HEX + 1], hex[65], dest[2001];
	long long	 adv, camp;
	struct hs_dbparam p[3];

	if (lookup(db, ST_ADVOCATE, advocate, &adv, NULL, 0) != 1) {
		warnx("no advocate %s", advocate);
		return ADM_FAIL;
	}
	if (lookup(db, ST_CAMPAIGN, campaign, &camp, dest,
	    sizeof(dest)) != 1) {
		warnx("no campaign %s", campaign);
		return ADM_FAIL;
	}
	hs_cap_new(tok, hex);
	p[0] = (struct hs_dbparam)HS_DBP_INT(adv);
	p[1] = (struct hs_dbparam)HS_DBP_INT(camp);
	p[2] = (struct hs_dbparam)HS_DBP_TEXT(hex);
	if (hs_db_exec(db, ST_TOKEN_ADD, p, 3, NULL) != HS_OK) {
		warnx("host grant: database error");
		return ADM_FAIL;
	}
	printf("%s/host/%s/\n", a->conf.base_url, tok);
	sodium_memzero(tok, sizeof(tok));
	return ADM_OK;
}

static int
host_grant_cmd(struct adm *a, const struct adm_args *args)
{
	struct hs_db	*db;
	const char	*adv = adm_arg(args, "advocate");
	const char	*camp = adm_arg(args, "campaign");
	int		 rc;

	if (adv == NULL || camp == NULL)
		return ADM_SHOW_USAGE;
	db = adm_open(a, stmts, ST__MAX);
	rc = host_grant(a, db, adv, camp);
	hs_db_close(db);
	return rc;
}

static int
host_revoke(struct adm *a, const struct adm_args *args)
{
	struct hs_db	*db;
	const char	*handle = adm_arg(args, "advocate");
	struct hs_dbparam p[1];
	unsigned long long n = 0;
	long long	 adv;
	int		 rc = ADM_FAIL;

	if (handle == NULL)
		return ADM_SHOW_USAGE;
	db = adm_open(a, stmts, ST__MAX);
	if (lookup(db, ST_ADVOCATE, handle, &adv, NULL, 0) != 1)
		warnx("no advocate %s", handle);
	else {
		p[0] = (struct hs_dbparam)HS_DBP_INT(adv);
		if (hs_db_exec(db, ST_TOKEN_REVOKE, p, 1, &n) == HS_OK) {
			printf("revoked %llu host page(s)\n", n);
			rc = ADM_OK;
		}
	}
	hs_db_close(db);
	return rc;
}

static const struct adm_opt host_opts[] = {
	{ "advocate", 0 }, { "campaign", 0 }, { NULL, 0 }
};
static const struct adm_opt host_revoke_opts[] = {
	{ "advocate", 0 }, { NULL, 0 }
};

const struct adm_sub adm_host_subs[] = {
	{ "grant", host_grant_cmd, 0, 0, host_opts,
	    "grant --advocate HANDLE --campaign SLUG" },
	{ "revoke", host_revoke, 0, 0, host_revoke_opts,
	    "revoke --advocate HANDLE" },
	{ NULL, NULL, 0, 0, NULL, NULL }
};

/*
 * The demo: a meetup hosted by the demo host, with three table cards and
 * fixed codes, so that the README can name them.  Creates the demo
 * campaign and host if the links demo did not.  Idempotent.
 */
int
adm_events_demo(struct adm *a)
{
	static const char fixed[4][HS_CODE_MAX + 1] = {
		"DEM0EVNT", "DEM0TAB1", "DEM0TAB2", "DEM0TAB3"
	};
	struct hs_dbparam cp[4] = { HS_DBP_TEXT("demo"),
	    HS_DBP_TEXT("Demo campaign"), HS_DBP_TEXT("example.org"),
	    HS_DBP_TEXT("https://example.org/join") };
	struct hs_dbparam ap[2] = { HS_DBP_TEXT("demo-host"),
	    HS_DBP_TEXT("Dana Host") };
	struct hs_dbparam tp[1];
	struct hs_dbcol	 c = { HS_DB_INT, 0, NULL, 0, 0, 0, 0 };
	struct evopts	 o;
	struct hs_db	*db;
	long long	 adv;
	int		 rc = ADM_FAIL, have = 0;

	db = adm_open(a, stmts, ST__MAX);
	if (hs_db_exec(db, ST_CAMPAIGN_ADD, cp, 4, NULL) != HS_OK ||
	    hs_db_exec(db, ST_ADVOCATE_ADD, ap, 2, NULL) != HS_OK)
		goto out;
	memset(&o, 0, sizeof(o));
	o.name = "Demo meetup";
	o.host = "demo-host";
	o.campaign = "demo";
	o.venue = "The Community Hall";
	o.starts = "2026-06-18 18:30:00";
	o.slug = "demo-meetup";
	o.tables = 3;
	if (event_make(db, &o, fixed) != ADM_OK)
		goto out;
	if (lookup(db, ST_ADVOCATE, "demo-host", &adv, NULL, 0) != 1)
		goto out;
	tp[0] = (struct hs_dbparam)HS_DBP_INT(adv);
	if (hs_db_query(db, ST_TOKEN_ACTIVE, tp, 1, &c, 1) != HS_OK)
		goto out;
	if (hs_db_fetch(db, ST_TOKEN_ACTIVE, &have) != HS_OK)
		have = 0;
	hs_db_end(db, ST_TOKEN_ACTIVE);
	if (have && c.i > 0)
		printf("demo host page: already granted (revoke and grant "
		    "to see a new URL)\n");
	else {
		printf("demo host page: ");
		fflush(stdout);
		if (host_grant(a, db, "demo-host", "demo") != ADM_OK)
			goto out;
	}
	rc = ADM_OK;
out:
	hs_db_close(db);
	return rc;
}
