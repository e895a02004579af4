/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * links.c: hearsay-admin's invite-link commands: the statements and
 * helpers the files of this area share (links.h), the campaign commands
 * (create, list, show, disable) and the demo data of the area.  The
 * advocates are in links_adv.c, the links in links_link.c, CSV import
 * and export in links_csv.c.
 * Every destination and fallback URL is checked when it is stored with
 * hs_dest_valid, the function hearsay-link checks it with again before
 * each redirect.
 */
#include "config.h"

#include <ctype.h>
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <sodium.h>

#include "hearsay.h"
#include "admin.h"
#include "links.h"


#define LINK_COLS "l.code, c.slug, COALESCE(a.handle, ''), " \
	"COALESCE(e.slug, ''), l.channel, COALESCE(l.label, ''), " \
	"l.destination, COALESCE(l.utm_source, ''), " \
	"COALESCE(l.utm_medium, ''), COALESCE(l.utm_campaign, ''), " \
	"COALESCE(l.utm_content, ''), COALESCE(l.utm_term, ''), " \
	"COALESCE(DATE_FORMAT(l.valid_from, '%Y-%m-%d %H:%i:%s'), ''), " \
	"COALESCE(DATE_FORMAT(l.valid_until, '%Y-%m-%d %H:%i:%s'), ''), " \
	"COALESCE(l.fallback_url, ''), l.disabled, l.id "
#define LINK_FROM "FROM links l JOIN campaigns c ON c.id = l.campaign_id " \
	"LEFT JOIN advocates a ON a.id = l.advocate_id " \
	"LEFT JOIN events e ON e.id = l.event_id "
#define ADV_COLS "handle, display_name, COALESCE(aliases, ''), tier, " \
	"status, COALESCE(email_hash, ''), IF(suggest, 'on', 'off') "

const char *const lk_sqls[STMT__MAX] = {
	/* STMT_CAMP_ADD */
	"INSERT INTO campaigns (slug, name, allowed_hosts, default_dest, "
	    "fallback_url) VALUES (?, ?, ?, ?, ?)",
	/* STMT_CAMP_GET */
	"SELECT id, slug, name, allowed_hosts, default_dest, "
	    "COALESCE(fallback_url, ''), disabled FROM campaigns "
	    "WHERE slug = ?",
	/* STMT_CAMP_LIST */
	"SELECT c.id, c.slug, c.name, c.allowed_hosts, c.default_dest, "
	    "COALESCE(c.fallback_url, ''), c.disabled FROM campaigns c "
	    "ORDER BY c.slug",
	/* STMT_CAMP_DISABLE */
	"UPDATE campaigns SET disabled = 1 WHERE slug = ?",
	/* STMT_ADV_ADD: the e-mail key is keyed already (sql/101). */
	"INSERT INTO advocates (handle, display_name, aliases, tier, "
	    "email_hash, email_keyed, suggest) VALUES (?, ?, ?, "
	    "COALESCE(?, 'member'), ?, 1, ?)",
	/* STMT_ADV_GET */
	"SELECT id, " ADV_COLS "FROM advocates WHERE handle = ?",
	/* STMT_ADV_LIST */
	"SELECT id, " ADV_COLS "FROM advocates ORDER BY handle",
	/* STMT_ADV_DISABLE */
	"UPDATE advocates SET status = 'removed' WHERE handle = ?",
	/* STMT_ADV_SUGGEST: the advocate's consent, given or taken back. */
	"UPDATE advocates SET suggest = ? WHERE handle = ?",
	/* STMT_EVENT_GET */
	"SELECT id FROM events WHERE slug = ?",
	/* STMT_LINK_ADD */
	"INSERT INTO links (code, campaign_id, advocate_id, event_id, "
	    "channel, label, destination, utm_source, utm_medium, "
	    "utm_campaign, utm_content, utm_term, valid_from, valid_until, "
	    "fallback_url, disabled) VALUES (?, ?, ?, ?, COALESCE(?, "
	    "'referral'), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	/* STMT_LINK_GET */
	"SELECT " LINK_COLS LINK_FROM "WHERE l.code = ?",
	/* STMT_LINK_LIST */
	"SELECT " LINK_COLS LINK_FROM "WHERE ? IS NULL OR c.slug = ? "
	    "ORDER BY c.slug, l.id",
	/* STMT_LINK_DISABLE */
	"UPDATE links SET disabled = 1 WHERE code = ?",
	/* STMT_LINK_CLICKS: people and bots. */
	"SELECT COALESCE(SUM(is_bot = 0), 0), COALESCE(SUM(is_bot = 1), 0) "
	    "FROM clicks WHERE link_id = ?",
	/* STMT_ADV_ID */
	"SELECT id FROM advocates WHERE handle = ?",
	/* STMT_LINK_ID */
	"SELECT id FROM links WHERE code = ?",
	/* STMT_LINKS_MOVED: the redirector snapshots again at once. */
	HS_SQL_LINKS_MOVED,
};


/* Returns 1 if s is non-empty text without control bytes, <= max. */
int
lk_text_ok(const char *s, size_t max)
{
	const unsigned char	*p;

	if (s == NULL || *s == '\0' || strlen(s) > max ||
	    !hs_utf8_valid(s, strlen(s)))
		return 0;
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

/* Returns 1 if s is a slug or handle: [a-z0-9_-], 1..64 bytes. */
int
lk_slug_ok(const char *s)
{
	size_t	 i;

	if (s == NULL || *s == '\0' || strlen(s) > 64)
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
		    s[i] == '_' || s[i] == '.'))
			return 0;
	return 1;
}

/* A text parameter, NULL (SQL NULL) when s is NULL or empty. */
struct hs_dbparam
lk_ptext(const char *s)
{
	struct hs_dbparam	 p = HS_DBP_NULL;

	if (s != NULL && *s != '\0') {
		p.type = HS_DB_TEXT;
		p.s = s;
		p.sz = strlen(s);
	}
	return p;
}

/* Looks up the id of a row by text key; 0 if absent, -1 on error. */
long long
lk_lookup(struct hs_db *db, size_t stmt, const char *key)
{
	struct hs_dbparam	 p[1];
	struct hs_dbcol		 c = { HS_DB_INT, 0, NULL, 0, 0, 0, 0 };
	int			 have = 0;

	p[0] = lk_ptext(key);
	if (hs_db_query(db, stmt, p, 1, &c, 1) != HS_OK)
		return -1;
	if (hs_db_fetch(db, stmt, &have) != HS_OK)
		have = -1;
	hs_db_end(db, stmt);
	return have < 0 ? -1 : have ? c.i : 0;
}

/*
 * Tells hearsay-link that links or campaigns changed (sql/130), so the
 * change redirects at once; if that fails it still does within
 * link_cache_secs, which the warning says.
 */
void
lk_links_moved(struct hs_db *db)
{

	if (hs_db_exec(db, STMT_LINKS_MOVED, NULL, 0, NULL) != HS_OK)
		warnx("links_version not moved: the change reaches redirects "
		    "within link_cache_secs");
}


/* Loads campaign slug into c.  Returns 1, 0 if absent, -1 on error. */
int
lk_camp_get(struct hs_db *db, const char *slug, struct camp *c)
{
	struct hs_dbparam	 p[1];
	char			 s[65], name[201];
	struct hs_dbcol		 col[7];
	int			 have = 0;

	memset(col, 0, sizeof(col));
	col[0].type = col[6].type = HS_DB_INT;
	col[1] = (struct hs_dbcol){ HS_DB_TEXT, 0, s, sizeof(s), 0, 0, 0 };
	col[2] = (struct hs_dbcol){ HS_DB_TEXT, 0, name, sizeof(name), 0, 0,
	    0 };
	col[3] = (struct hs_dbcol){ HS_DB_TEXT, 0, c->hosts,
	    sizeof(c->hosts), 0, 0, 0 };
	col[4] = (struct hs_dbcol){ HS_DB_TEXT, 0, c->dest, sizeof(c->dest),
	    0, 0, 0 };
	col[5] = (struct hs_dbcol){ HS_DB_TEXT, 0, c->fallback,
	    sizeof(c->fallback), 0, 0, 0 };
	p[0] = lk_ptext(slug);
	if (hs_db_query(db, STMT_CAMP_GET, p, 1, col, 7) != HS_OK)
		return -1;
	if (hs_db_fetch(db, STMT_CAMP_GET, &have) != HS_OK)
		have = -1;
	hs_db_end(db, STMT_CAMP_GET);
	c->id = col[0].i;
	return have;
}

/* Prints the rows of a query as tab-separated lines (or key: value). */
int
lk_print_rows(struct hs_db *db, size_t stmt, const struct hs_dbparam *p,
    size_t np, size_t nc, const char *const *heads, int vertical)
{
	struct hs_dbcol	 col[LINK_NCOLS];
	static char	 buf[LINK_NCOLS][FIELD_MAX];
	size_t		 i;
	int		 have, rows = 0;

	for (i = 0; i < nc; i++)
		col[i] = (struct hs_dbcol){ HS_DB_TEXT, 0, buf[i],
		    sizeof(buf[i]), 0, 0, 0 };
	if (hs_db_query(db, stmt, p, np, col, nc) != HS_OK)
		return -1;
	if (!vertical)
		for (i = 0; i < nc; i++)
			printf("%s%s", heads[i], i + 1 < nc ? "\t" : "\n");
	while (hs_db_fetch(db, stmt, &have) == HS_OK && have) {
		rows++;
		for (i = 0; i < nc; i++) {
			if (vertical)
				printf("%-13s %s\n", heads[i], buf[i]);
			else
				printf("%s%s", buf[i], i + 1 < nc ? "\t" :
				    "\n");
		}
	}
	hs_db_end(db, stmt);
	return rows;
}

/*
 * "list": every row of stmt (no parameters, nc columns named heads) as
 * a table, on a handle of its own.  Returns an exit status.
 */
int
lk_list(struct adm *a, size_t stmt, size_t nc, const char *const *heads)
{
	struct hs_db	*db;
	int		 rc;

	db = adm_open(a, lk_sqls, STMT__MAX);
	rc = lk_print_rows(db, stmt, NULL, 0, nc, heads, 0) < 0 ? ADM_FAIL :
	    ADM_OK;
	hs_db_close(db);
	return rc;
}

/*
 * "show KEY": the row of stmt for key as "name value" lines, or "no
 * WHAT KEY".  Returns an exit status.
 */
int
lk_show(struct adm *a, size_t stmt, const char *key, size_t nc,
    const char *const *heads, const char *what)
{
	struct hs_db		*db;
	struct hs_dbparam	 p[1] = { lk_ptext(key) };
	int			 rc;

	db = adm_open(a, lk_sqls, STMT__MAX);
	rc = lk_print_rows(db, stmt, p, 1, nc, heads, 1);
	if (rc == 0)
		warnx("no %s %s", what, key);
	hs_db_close(db);
	return rc > 0 ? ADM_OK : ADM_FAIL;
}

/*
 * "disable KEY": runs d's statement on key (canonical), which must
 * change one row; shown is the key as the user typed it.  Returns an
 * exit status.
 */
int
lk_disable(struct adm *a, const struct lk_off *d, const char *key,
    const char *shown)
{
	struct hs_db		*db;
	struct hs_dbparam	 p[1] = { lk_ptext(key) };
	unsigned long long	 n;
	int			 rc;

	db = adm_open(a, lk_sqls, STMT__MAX);
	rc = hs_db_exec(db, d->stmt, p, 1, &n) == HS_OK && n == 1 ?
	    ADM_OK : ADM_FAIL;
	if (rc == ADM_OK) {
		if (d->moved)
			lk_links_moved(db);
		printf("%s %s %s\n", d->what, shown, d->done);
	} else
		warnx("no %s %s (or already %s)", d->what, shown, d->past);
	hs_db_close(db);
	return rc;
}

/* ------------------------------------------------------------ campaigns */

/*
 * Creates a campaign after checking its destinations against its own
 * allowlist.  Returns ADM_OK, ADM_FAIL (reason printed); a duplicate is
 * ADM_OK when quiet_dup (the demo).
 */
static int
camp_create(struct hs_db *db, const char *slug, const char *name,
    const char *hosts, const char *dest, const char *fallback, int quiet_dup)
{
	struct hs_dbparam	 p[5];
	const char		*why;
	enum hs_err		 e;

	if (!lk_slug_ok(slug) || !lk_text_ok(name, 200) ||
	    !lk_text_ok(hosts, HS_HOSTS_MAX)) {
		warnx("campaign: --slug [a-z0-9._-], --name and --hosts are "
		    "required");
		return ADM_FAIL;
	}
	if (!hs_dest_valid(dest, hosts, &why) || strlen(dest) >
	    HS_DEST_MAX) {
		warnx("campaign %s: destination refused: %s", slug,
		    why != NULL ? why : "too long");
		return ADM_FAIL;
	}
	if (fallback != NULL && *fallback != '\0' &&
	    (!hs_dest_valid(fallback, hosts, &why) ||
	    strlen(fallback) > HS_DEST_MAX)) {
		warnx("campaign %s: fallback refused: %s", slug,
		    why != NULL ? why : "too long");
		return ADM_FAIL;
	}
	p[0] = lk_ptext(slug);
	p[1] = lk_ptext(name);
	p[2] = lk_ptext(hosts);
	p[3] = lk_ptext(dest);
	p[4] = lk_ptext(fallback);
	if ((e = hs_db_exec(db, STMT_CAMP_ADD, p, 5, NULL)) == HS_OK)
		lk_links_moved(db);
	if (e == HS_EDUP && quiet_dup)
		return ADM_OK;
	if (e != HS_OK) {
		warnx("campaign %s: %s", slug, e == HS_EDUP ? "exists" :
		    hs_strerror(e));
		return ADM_FAIL;
	}
	printf("campaign %s created\n", slug);
	return ADM_OK;
}

static const char *const camp_heads[] = { "id", "slug", "name", "hosts",
    "destination", "fallback", "disabled" };

static int
camp_create_cmd(struct adm *a, const struct adm_args *args)
{
	struct hs_db	*db;
	int		 rc;

	db = adm_open(a, lk_sqls, STMT__MAX);
	rc = camp_create(db, adm_arg(args, "slug"), adm_arg(args, "name"),
	    adm_arg(args, "hosts"), adm_arg(args, "dest"),
	    adm_arg(args, "fallback"), 0);
	hs_db_close(db);
	return rc;
}

static int
camp_list(struct adm *a, const struct adm_args *args)
{

	return lk_list(a, STMT_CAMP_LIST, 7, camp_heads);
}

static int
camp_show(struct adm *a, const struct adm_args *args)
{

	return lk_show(a, STMT_CAMP_GET, args->pos[0], 7, camp_heads,
	    "campaign");
}

static int
camp_disable(struct adm *a, const struct adm_args *args)
{
	static const struct lk_off off = { STMT_CAMP_DISABLE, "campaign",
	    "disabled: its links go to their fallback", "disabled", 1 };

	return lk_disable(a, &off, args->pos[0], args->pos[0]);
}

static const struct adm_opt camp_opts[] = {
	{ "slug", 0 }, { "name", 0 }, { "hosts", 0 }, { "dest", 0 },
	{ "fallback", 0 }, { NULL, 0 }
};

const struct adm_sub adm_campaign_subs[] = {
	{ "create", camp_create_cmd, 0, 0, camp_opts, "create --slug S "
	    "--name N --hosts \"a.example b.example\" --dest URL "
	    "[--fallback URL]" },
	{ "list", camp_list, 0, 0, NULL, "list" },
	{ "show", camp_show, 1, 1, NULL, "show SLUG" },
	{ "disable", camp_disable, 1, 1, NULL, "disable SLUG" },
	{ NULL, NULL, 0, 0, NULL, NULL }
};

/* ------------------------------------------------------------ demo */

/*
 * The demo data: two campaigns, six advocates (aliases and accents, for
 * the reconciliation's name matching; four opted in to the survey's
 * suggestions) and twelve links with fixed
 * vanity codes, so the README can print their URLs (DEMO-2024 is read
 * as DEM0-2024).  One link has expired and one is disabled.  Loading it
 * twice changes nothing.
 */
static const struct {
	const char *handle, *name, *aliases, *tier, *suggest;
} demo_advs[] = {
	{ "ana", "Ana Lúcia Ferreira", "Ana Lucia\nAna F.", "ambassador",
	    "on" },
	{ "bjorn", "Björn Ångström", "Bjorn Angstrom\nBjörn", "member",
	    "off" },
	{ "zoe", "Zoë Okafor", "Zoe Okafor\nZoe O.", "ambassador",
	    "on" },
	{ "mateo", "Mateo Núñez", "Mateo Nunez", "member", "off" },
	{ "sinead", "Sinéad O'Brien", "Sinead OBrien\nShin", "host",
	    "on" },
	{ "yuki", "佐藤 由紀", "Yuki Sato\nSato Yuki", "host", "on" },
};
static const struct newlink demo_links[] = {
	{ "spring", NULL, NULL, "web", "Homepage banner",
	    NULL, "DEMO-2024", NULL, NULL, NULL,
	    { "hearsay", "banner", "spring", NULL, NULL }, 0 },
	{ "spring", "ana", NULL, "referral", "Ana's newsletter",
	    NULL, "ANAF-2024", NULL, NULL, NULL,
	    { "ana", "newsletter", "spring", NULL, NULL }, 0 },
	{ "spring", "bjorn", NULL, "social", "Björn on Mastodon",
	    "https://example.org/signup?ref=bjorn", "BJRN-2024", NULL,
	    NULL, NULL, { "mastodon", "social", "spring", NULL, NULL },
	    0 },
	{ "spring", "zoe", NULL, "referral", "Zoë's podcast",
	    NULL, "Z0EK-2024", NULL, NULL, NULL,
	    { "podcast", "audio", "spring", "ep-12", NULL }, 0 },
	{ "spring", "mateo", NULL, "referral", NULL,
	    NULL, "MATE-2024", NULL, NULL, NULL,
	    { "mateo", NULL, NULL, NULL, NULL }, 0 },
	{ "spring", "sinead", NULL, "print", "Poster, Dublin office",
	    NULL, "P0ST-DBLN", NULL, NULL, NULL,
	    { "poster", "print", "spring", NULL, NULL }, 0 },
	{ "spring", NULL, NULL, "print", "Flyer, QR only",
	    NULL, "FLYR-QR01", NULL, NULL, NULL,
	    { "flyer", "print", "spring", NULL, NULL }, 0 },
	{ "meetups", "yuki", NULL, "event", "Tokyo meetup",
	    NULL, "MEET-TKY0", NULL, NULL, NULL,
	    { "meetup", "event", "tokyo", NULL, NULL }, 0 },
	{ "meetups", "sinead", NULL, "event", "Dublin meetup",
	    NULL, "MEET-DBLN", NULL, NULL, NULL,
	    { "meetup", "event", "dublin", NULL, NULL }, 0 },
	{ "meetups", "ana", NULL, "event", "Porto meetup",
	    NULL, "MEET-PRT0", NULL, NULL, NULL,
	    { "meetup", "event", "porto", NULL, NULL }, 0 },
	{ "spring", NULL, NULL, "web", "Last year's launch (expired)",
	    NULL, "EXPD-2023", "https://example.org/welcome",
	    "2023-01-01 00:00:00", "2024-01-01 00:00:00",
	    { "hearsay", "banner", "launch-2023", NULL, NULL }, 0 },
	{ "spring", "mateo", NULL, "referral", "Withdrawn (disabled)",
	    NULL, "0FF0-2024", NULL, NULL, NULL,
	    { NULL, NULL, NULL, NULL, NULL }, 1 },
};

int
adm_links_demo(struct adm *a)
{
	struct hs_db	*db;
	size_t		 i;
	int		 rc = ADM_FAIL;

	db = adm_open(a, lk_sqls, STMT__MAX);
	if (camp_create(db, "spring", "Spring launch",
	    "example.org www.example.org", "https://example.org/signup",
	    "https://example.org/", 1) != ADM_OK ||
	    camp_create(db, "meetups", "Community meetups",
	    "example.org events.example.org", "https://events.example.org/join",
	    "https://events.example.org/", 1) != ADM_OK)
		goto out;
	for (i = 0; i < sizeof(demo_advs) / sizeof(demo_advs[0]); i++)
		if (lk_adv_create(db, demo_advs[i].handle, demo_advs[i].name,
		    demo_advs[i].aliases, demo_advs[i].tier, NULL,
		    demo_advs[i].suggest, 1) != ADM_OK)
			goto out;
	for (i = 0; i < sizeof(demo_links) / sizeof(demo_links[0]); i++)
		if (lk_link_create(a, db, &demo_links[i], 1) != ADM_OK)
			goto out;
	rc = ADM_OK;
out:
	hs_db_close(db);
	return rc;
}
