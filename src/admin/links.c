/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * links.c: hearsay-admin's invite-link commands: campaigns, advocates
 * and links (create, list, show, disable; advocates and links also
 * import and export as RFC 4180 CSV; an advocate's consent to have their
 * name suggested by the survey is set with "advocate set"), and the demo
 * data of this area.
 * Every destination and fallback URL is checked when it is stored with
 * hs_dest_valid, the function hearsay-link checks it with again before
 * each redirect.  Advocates' e-mail addresses are stored only as their
 * keyed hash (adv_email).  Codes are canonical Crockford base32 in the
 * database and printed grouped for people.
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

#define FIELD_MAX	2048	/* bytes of a listed value */
#define CSV_LINE_MAX	(64 * 1024)	/* bytes of one CSV record */
#define CSV_COLS	24	/* columns of a CSV file */
#define CODE_TRIES	8	/* random codes tried before giving up */
#define UTM_MAX		100	/* bytes of a utm_* value */
#define ALIASES_MAX	2000	/* bytes of all aliases */

enum stmt {
	STMT_CAMP_ADD,
	STMT_CAMP_GET,
	STMT_CAMP_LIST,
	STMT_CAMP_DISABLE,
	STMT_ADV_ADD,
	STMT_ADV_GET,
	STMT_ADV_LIST,
	STMT_ADV_DISABLE,
	STMT_ADV_SUGGEST,
	STMT_EVENT_GET,
	STMT_LINK_ADD,
	STMT_LINK_GET,
	STMT_LINK_LIST,
	STMT_LINK_DISABLE,
	STMT_LINK_CLICKS,
	STMT_ADV_ID,
	STMT_LINK_ID,
	STMT_LINKS_MOVED,
	STMT__MAX
};

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
#define LINK_NCOLS 17
#define ADV_COLS "handle, display_name, COALESCE(aliases, ''), tier, " \
	"status, COALESCE(email_hash, ''), IF(suggest, 'on', 'off') "
#define ADV_NCOLS 7
/* Their names, as list, show and export print them (id first). */
#define ADV_HEADS (const char *const[]){ "id", "handle", "display_name", \
	"aliases", "tier", "status", "email_key", "suggest" }

static const char *const stmts[STMT__MAX] = {
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
static int
text_ok(const char *s, size_t max)
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
static int
slug_ok(const char *s)
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
static struct hs_dbparam
ptext(const char *s)
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
static long long
lookup(struct hs_db *db, size_t stmt, const char *key)
{
	struct hs_dbparam	 p[1];
	struct hs_dbcol		 c = { HS_DB_INT, 0, NULL, 0, 0, 0, 0 };
	int			 have = 0;

	p[0] = ptext(key);
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
static void
links_moved(struct hs_db *db)
{

	if (hs_db_exec(db, STMT_LINKS_MOVED, NULL, 0, NULL) != HS_OK)
		warnx("links_version not moved: the change reaches redirects "
		    "within link_cache_secs");
}

/* A campaign's id, hosts and default destination. */
struct camp {
	long long	 id;
	char		 hosts[HS_HOSTS_MAX + 1];
	char		 dest[HS_DEST_MAX + 1];
	char		 fallback[HS_DEST_MAX + 1];
};

/* Loads campaign slug into c.  Returns 1, 0 if absent, -1 on error. */
static int
camp_get(struct hs_db *db, const char *slug, struct camp *c)
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
	p[0] = ptext(slug);
	if (hs_db_query(db, STMT_CAMP_GET, p, 1, col, 7) != HS_OK)
		return -1;
	if (hs_db_fetch(db, STMT_CAMP_GET, &have) != HS_OK)
		have = -1;
	hs_db_end(db, STMT_CAMP_GET);
	c->id = col[0].i;
	return have;
}

/* Prints the rows of a query as tab-separated lines (or key: value). */
static int
print_rows(struct hs_db *db, size_t stmt, const struct hs_dbparam *p,
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

	if (!slug_ok(slug) || !text_ok(name, 200) ||
	    !text_ok(hosts, HS_HOSTS_MAX)) {
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
	p[0] = ptext(slug);
	p[1] = ptext(name);
	p[2] = ptext(hosts);
	p[3] = ptext(dest);
	p[4] = ptext(fallback);
	if ((e = hs_db_exec(db, STMT_CAMP_ADD, p, 5, NULL)) == HS_OK)
		links_moved(db);
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

	db = adm_open(a, stmts, STMT__MAX);
	rc = camp_create(db, adm_arg(args, "slug"), adm_arg(args, "name"),
	    adm_arg(args, "hosts"), adm_arg(args, "dest"),
	    adm_arg(args, "fallback"), 0);
	hs_db_close(db);
	return rc;
}

static int
camp_list(struct adm *a, const struct adm_args *args)
{
	struct hs_db	*db;
	int		 rc;

	db = adm_open(a, stmts, STMT__MAX);
	rc = print_rows(db, STMT_CAMP_LIST, NULL, 0, 7, camp_heads, 0) < 0 ?
	    ADM_FAIL : ADM_OK;
	hs_db_close(db);
	return rc;
}

static int
camp_show(struct adm *a, const struct adm_args *args)
{
	struct hs_db		*db;
	struct hs_dbparam	 p[1] = { ptext(args->pos[0]) };
	int			 rc;

	db = adm_open(a, stmts, STMT__MAX);
	rc = print_rows(db, STMT_CAMP_GET, p, 1, 7, camp_heads, 1);
	if (rc == 0)
		warnx("no campaign %s", args->pos[0]);
	hs_db_close(db);
	return rc > 0 ? ADM_OK : ADM_FAIL;
}

static int
camp_disable(struct adm *a, const struct adm_args *args)
{
	struct hs_db		*db;
	struct hs_dbparam	 p[1] = { ptext(args->pos[0]) };
	unsigned long long	 n;
	int			 rc;

	db = adm_open(a, stmts, STMT__MAX);
	rc = hs_db_exec(db, STMT_CAMP_DISABLE, p, 1, &n) == HS_OK &&
	    n == 1 ? ADM_OK : ADM_FAIL;
	if (rc == ADM_OK) {
		links_moved(db);
		printf("campaign %s disabled: its links go to their "
		    "fallback\n", args->pos[0]);
	}
	else
		warnx("no campaign %s (or already disabled)", args->pos[0]);
	hs_db_close(db);
	return rc;
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

/* ------------------------------------------------------------ advocates */

/*
 * The e-mail key to store for an advocate (issue 22, hs_email_key):
 * from email (an address, or its plain SHA-256 as 64 hex), sha (a plain
 * SHA-256: the "email_hash" column of CSV files from before the key) or
 * keyed (an "email_key" column, as advocate export writes it: stored as
 * it is, so an export imported again is not keyed twice).  The first
 * non-empty one counts.  out is "" when none is given.  Returns 0, or -1
 * (reported).
 */
static int
adv_email(const struct adm *a, const char *handle, const char *email,
    const char *sha, const char *keyed, char out[65])
{
	char	 plain[65];

	out[0] = '\0';
	if (email != NULL && *email != '\0') {
		if (strlen(email) == 64 && strspn(email,
		    "0123456789abcdef") == 64)
			sha = email;
		else if (strchr(email, '@') == NULL || !text_ok(email, 320)) {
			warnx("advocate %s: not an e-mail address", handle);
			return -1;
		} else {
			hs_email_sha256(email, plain);
			sha = plain;
		}
	} else if ((sha == NULL || *sha == '\0') &&
	    keyed != NULL && *keyed != '\0') {
		if (strlen(keyed) != 64 ||
		    strspn(keyed, "0123456789abcdef") != 64) {
			warnx("advocate %s: email_key: 64 lowercase hex "
			    "digits", handle);
			return -1;
		}
		memcpy(out, keyed, 65);
		return 0;
	}
	if (sha == NULL || *sha == '\0')
		return 0;
	if (strlen(sha) != 64 || strspn(sha, "0123456789abcdef") != 64) {
		warnx("advocate %s: email_hash: SHA-256 as 64 lowercase hex "
		    "digits", handle);
		return -1;
	}
	if (!a->conf.have_hmac_key) {
		warnx("hmac_key missing from the secrets file");
		return -1;
	}
	if (hs_email_key(a->conf.hmac_key, sha, out) != HS_OK)
		return -1;
	return 0;
}

/*
 * The value of --suggest or a CSV "suggest" cell: 1 for on, 0 for off
 * (and for none: nobody is suggested without saying so), -1 otherwise.
 */
static int
onoff(const char *v)
{
	static const char *const on[] = { "on", "yes", "1", "true", NULL };
	static const char *const off[] = { "off", "no", "0", "false", "",
	    NULL };
	size_t	 i;

	if (v == NULL)
		return 0;
	for (i = 0; on[i] != NULL; i++)
		if (strcasecmp(v, on[i]) == 0)
			return 1;
	for (i = 0; off[i] != NULL; i++)
		if (strcasecmp(v, off[i]) == 0)
			return 0;
	return -1;
}

/*
 * Creates an advocate.  aliases are newline-separated; ekey is the
 * e-mail key from adv_email ("" or NULL: none); suggest is the
 * advocate's consent to have their name suggested (onoff).  Returns an
 * exit status.
 */
static int
adv_create(struct hs_db *db, const char *handle, const char *name,
    const char *aliases, const char *tier, const char *ekey,
    const char *suggest, int quiet_dup)
{
	struct hs_dbparam	 p[6];
	const char		*s;
	enum hs_err		 e;
	int			 sug;

	if ((sug = onoff(suggest)) == -1) {
		warnx("advocate %s: --suggest is on or off", handle != NULL ?
		    handle : "");
		return ADM_FAIL;
	}
	if (!slug_ok(handle) || !text_ok(name, 200) ||
	    (tier != NULL && *tier != '\0' && !text_ok(tier, 32)) ||
	    (aliases != NULL && *aliases != '\0' &&
	    (strlen(aliases) > ALIASES_MAX ||
	    !hs_utf8_valid(aliases, strlen(aliases))))) {
		warnx("advocate: --handle [a-z0-9._-] and --name are "
		    "required; text must be UTF-8 without control bytes");
		return ADM_FAIL;
	}
	for (s = aliases; s != NULL && *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 && *s != '\n') {
			warnx("advocate %s: control byte in an alias", handle);
			return ADM_FAIL;
		}
	p[0] = ptext(handle);
	p[1] = ptext(name);
	p[2] = ptext(aliases);
	p[3] = ptext(tier);
	p[4] = ptext(ekey);
	p[5] = (struct hs_dbparam)HS_DBP_INT(sug);
	e = hs_db_exec(db, STMT_ADV_ADD, p, 6, NULL);
	if (e == HS_EDUP && quiet_dup)
		return ADM_OK;
	if (e != HS_OK) {
		warnx("advocate %s: %s", handle, e == HS_EDUP ? "exists" :
		    hs_strerror(e));
		return ADM_FAIL;
	}
	printf("advocate %s created\n", handle);
	return ADM_OK;
}

/* ------------------------------------------------------------ CSV */

/* One RFC 4180 record of fp: hs_csv_record, the web import's parser. */
static int
csv_record(FILE *fp, char *buf, size_t sz, char **cells, int max)
{
	struct hs_csvin	 in;

	hs_csv_file(&in, fp);
	return hs_csv_record(&in, buf, sz, cells, max);
}

/* Index of column name in the header, or -1. */
static int
col_of(char **head, int n, const char *name)
{
	int	 i;

	for (i = 0; i < n; i++)
		if (strcmp(head[i], name) == 0)
			return i;
	return -1;
}

/* Cell name of a row, or NULL when the file has no such column. */
static const char *
cell(char **head, int nh, char **row, int nr, const char *name)
{
	int	 i = col_of(head, nh, name);

	return i >= 0 && i < nr ? row[i] : NULL;
}

/*
 * Writes the rows of a query (nc columns) as CSV under a header line,
 * keeping the first nshow columns (internal ids stay out of exports).
 */
static int
csv_export(struct hs_db *db, size_t stmt, const struct hs_dbparam *p,
    size_t np, size_t nc, size_t nshow, const char *const *heads)
{
	struct hs_out	 out;
	struct hs_dbcol	 col[LINK_NCOLS];
	static char	 buf[LINK_NCOLS][FIELD_MAX];
	int		 fd = STDOUT_FILENO, have, rc = ADM_FAIL;
	size_t		 i;

	hs_out_fd(&out, &fd);
	for (i = 0; i < nc; i++)
		col[i] = (struct hs_dbcol){ HS_DB_TEXT, 0, buf[i],
		    sizeof(buf[i]), 0, 0, 0 };
	for (i = 0; i < nshow; i++)
		if (hs_csv_puts(&out, heads[i]) != HS_OK ||
		    hs_out_puts(&out, i + 1 < nshow ? "," : "\r\n") != HS_OK)
			return ADM_FAIL;
	if (hs_db_query(db, stmt, p, np, col, nc) != HS_OK)
		return ADM_FAIL;
	while (hs_db_fetch(db, stmt, &have) == HS_OK && have)
		for (i = 0; i < nshow; i++)
			if (hs_csv_puts(&out, buf[i]) != HS_OK ||
			    hs_out_puts(&out, i + 1 < nshow ? "," : "\r\n") !=
			    HS_OK)
				goto out;
	rc = ADM_OK;
out:
	hs_db_end(db, stmt);
	return rc;
}

/*
 * The CSV header and one data row, as csv_import hands them to a row
 * callback.
 */
struct csvrow {
	char	**head;
	int	  nh;
	char	**row;
	int	  nr;
};

/* The cell under the named column, or NULL. */
static const char *
rcell(const struct csvrow *r, const char *name)
{

	return cell(r->head, r->nh, r->row, r->nr, name);
}

/*
 * Reads path as RFC 4180 CSV whose first line names the columns (one of
 * them must be need) and calls fn for each data row; blank lines are
 * skipped.  Prints "N what imported".  Returns ADM_OK, or ADM_FAIL if
 * the file could not be read, a line was malformed or a row failed.
 */
static int
csv_import(const char *path, const char *need, const char *columns,
    const char *what, int (*fn)(const struct csvrow *, void *), void *arg)
{
	FILE		*fp;
	char		*head[CSV_COLS], *row[CSV_COLS], hbuf[4096];
	static char	 rbuf[CSV_LINE_MAX];
	struct csvrow	 r;
	int		 nh, nr, line = 1, rc = ADM_OK, made = 0;

	if ((fp = fopen(path, "r")) == NULL) {
		warn("%s", path);
		return ADM_FAIL;
	}
	if ((nh = csv_record(fp, hbuf, sizeof(hbuf), head, CSV_COLS)) <= 0 ||
	    col_of(head, nh, need) < 0) {
		warnx("%s: the first line must name the columns (%s)", path,
		    columns);
		fclose(fp);
		return ADM_FAIL;
	}
	while ((nr = csv_record(fp, rbuf, sizeof(rbuf), row, CSV_COLS)) != 0) {
		line++;
		if (nr < 0) {
			warnx("%s:%d: malformed CSV", path, line);
			rc = ADM_FAIL;
			break;
		}
		if (nr == 1 && row[0][0] == '\0')
			continue;
		r.head = head;
		r.nh = nh;
		r.row = row;
		r.nr = nr;
		if (fn(&r, arg) != ADM_OK) {
			warnx("%s:%d: not imported", path, line);
			rc = ADM_FAIL;
		} else
			made++;
	}
	fclose(fp);
	printf("%d %s imported\n", made, what);
	return rc;
}

/* What adv_row needs. */
struct advimport {
	const struct adm	*a;
	struct hs_db		*db;
};

/*
 * One advocate row: "email" (an address or its SHA-256) and
 * "email_hash" (a plain SHA-256) are keyed, "email_key" (from advocate
 * export) is taken as it is; see adv_email.
 */
static int
adv_row(const struct csvrow *r, void *arg)
{
	const struct advimport	*im = arg;
	const char		*handle = rcell(r, "handle");
	char			 ekey[65];

	if (adv_email(im->a, handle != NULL ? handle : "", rcell(r, "email"),
	    rcell(r, "email_hash"), rcell(r, "email_key"), ekey) != 0)
		return ADM_FAIL;
	return adv_create(im->db, handle, rcell(r, "display_name"),
	    rcell(r, "aliases"), rcell(r, "tier"), ekey, rcell(r, "suggest"),
	    0);
}

/* advocate import FILE.csv: one advocate per row; existing handles fail. */
static int
adv_import(const struct adm *a, struct hs_db *db, const char *path)
{
	struct advimport	 im = { a, db };

	return csv_import(path, "handle", "handle, display_name, aliases, "
	    "tier, email, suggest", "advocates", adv_row, &im);
}

/*
 * advocate set H --suggest on|off: records the advocate's consent to
 * have their name suggested by the survey (hearsay-survey(8)), or its
 * withdrawal.  Returns an exit status.
 */
static int
adv_suggest(struct hs_db *db, const char *handle, const char *v)
{
	struct hs_dbparam	 p[2];
	int			 on;

	if ((on = onoff(v)) == -1 || *v == '\0') {
		warnx("advocate %s: --suggest is on or off", handle);
		return ADM_FAIL;
	}
	p[0] = (struct hs_dbparam)HS_DBP_INT(on);
	p[1] = ptext(handle);
	if (hs_db_exec(db, STMT_ADV_SUGGEST, p, 2, NULL) != HS_OK) {
		warnx("advocate %s: not changed", handle);
		return ADM_FAIL;
	}
	/* Not the rows changed: setting what is already set changes none. */
	if (lookup(db, STMT_ADV_ID, handle) <= 0) {
		warnx("no advocate %s", handle);
		return ADM_FAIL;
	}
	printf("advocate %s: name %s\n", handle, on ? "suggested (opted in)" :
	    "not suggested");
	return ADM_OK;
}

static int
adv_create_cmd(struct adm *a, const struct adm_args *args)
{
	struct hs_db	*db;
	const char	*h = adm_arg(args, "handle"), *v;
	char		 aliases[ALIASES_MAX + 1], ekey[65];
	size_t		 i = 0, len = 0;
	int		 rc;

	/* --alias may repeat: the aliases, one a line. */
	aliases[0] = '\0';
	while ((v = adm_arg_next(args, "alias", &i)) != NULL) {
		if (len + strlen(v) + 2 > sizeof(aliases))
			return ADM_SHOW_USAGE;
		(void)snprintf(aliases + len, sizeof(aliases) - len, "%s%s",
		    len > 0 ? "\n" : "", v);
		len = strlen(aliases);
	}
	if (adv_email(a, h != NULL ? h : "", adm_arg(args, "email"), NULL,
	    NULL, ekey) != 0)
		return ADM_FAIL;
	db = adm_open(a, stmts, STMT__MAX);
	rc = adv_create(db, h, adm_arg(args, "name"), aliases,
	    adm_arg(args, "tier"), ekey, adm_arg(args, "suggest"), 0);
	hs_db_close(db);
	return rc;
}

static int
adv_list(struct adm *a, const struct adm_args *args)
{
	struct hs_db	*db;
	int		 rc;

	db = adm_open(a, stmts, STMT__MAX);
	rc = print_rows(db, STMT_ADV_LIST, NULL, 0, ADV_NCOLS + 1, ADV_HEADS,
	    0) < 0 ? ADM_FAIL : ADM_OK;
	hs_db_close(db);
	return rc;
}

static int
adv_show(struct adm *a, const struct adm_args *args)
{
	struct hs_db		*db;
	struct hs_dbparam	 p[1] = { ptext(args->pos[0]) };
	int			 rc;

	db = adm_open(a, stmts, STMT__MAX);
	rc = print_rows(db, STMT_ADV_GET, p, 1, ADV_NCOLS + 1, ADV_HEADS, 1);
	if (rc == 0)
		warnx("no advocate %s", args->pos[0]);
	hs_db_close(db);
	return rc > 0 ? ADM_OK : ADM_FAIL;
}

static int
adv_disable(struct adm *a, const struct adm_args *args)
{
	struct hs_db		*db;
	struct hs_dbparam	 p[1] = { ptext(args->pos[0]) };
	unsigned long long	 n;
	int			 rc;

	db = adm_open(a, stmts, STMT__MAX);
	rc = hs_db_exec(db, STMT_ADV_DISABLE, p, 1, &n) == HS_OK &&
	    n == 1 ? ADM_OK : ADM_FAIL;
	if (rc == ADM_OK)
		printf("advocate %s removed (links and clicks kept)\n",
		    args->pos[0]);
	else
		warnx("no advocate %s (or already removed)", args->pos[0]);
	hs_db_close(db);
	return rc;
}

static int
adv_set(struct adm *a, const struct adm_args *args)
{
	struct hs_db	*db;
	int		 rc;

	if (adm_arg(args, "suggest") == NULL)
		return ADM_SHOW_USAGE;
	db = adm_open(a, stmts, STMT__MAX);
	rc = adv_suggest(db, args->pos[0], adm_arg(args, "suggest"));
	hs_db_close(db);
	return rc;
}

static int
adv_import_cmd(struct adm *a, const struct adm_args *args)
{
	struct hs_db	*db;
	int		 rc;

	db = adm_open(a, stmts, STMT__MAX);
	rc = adv_import(a, db, args->pos[0]);
	hs_db_close(db);
	return rc;
}

static int
adv_export(struct adm *a, const struct adm_args *args)
{
	struct hs_db	*db;
	int		 rc;

	db = adm_open(a, stmts, STMT__MAX);
	/* import ignores the id column; it helps match rows. */
	rc = csv_export(db, STMT_ADV_LIST, NULL, 0, ADV_NCOLS + 1,
	    ADV_NCOLS + 1, ADV_HEADS);
	hs_db_close(db);
	return rc;
}

static const struct adm_opt adv_opts[] = {
	{ "handle", 0 }, { "name", 0 }, { "alias", ADM_REPEAT }, { "tier", 0 },
	{ "email", 0 }, { "suggest", 0 }, { NULL, 0 }
};
static const struct adm_opt adv_set_opts[] = {
	{ "suggest", 0 }, { NULL, 0 }
};

const struct adm_sub adm_advocate_subs[] = {
	{ "create", adv_create_cmd, 0, 0, adv_opts, "create --handle H "
	    "--name N [--alias A]... [--tier T] [--email E]\n"
	    "           [--suggest on|off]" },
	{ "set", adv_set, 1, 1, adv_set_opts, "set H --suggest on|off" },
	{ "list", adv_list, 0, 0, NULL, "list" },
	{ "show", adv_show, 1, 1, NULL, "show H" },
	{ "disable", adv_disable, 1, 1, NULL, "disable H" },
	{ "import", adv_import_cmd, 1, 1, NULL, "import FILE.csv" },
	{ "export", adv_export, 0, 0, NULL, "export" },
	{ "page", adm_advocate_page, 1, 1, NULL, "page H|ID" },
	{ NULL, NULL, 0, 0, NULL, NULL }
};

/* ------------------------------------------------------------ links */

/* What a link is made of, from options or a CSV row. */
struct newlink {
	const char	*campaign, *advocate, *event, *channel, *label;
	const char	*dest, *code, *fallback, *valid_from, *valid_until;
	const char	*utm[5];
	int		 disabled;
};

/* What link_check resolved of a newlink. */
struct linkref {
	struct camp	 c;
	long long	 adv, ev;	/* 0: none */
	const char	*dest;
	char		 code[HS_CODE_MAX + 1];	/* canonical */
};

/*
 * Checks nl and resolves its campaign, advocate, event, destination and
 * vanity code into r.  Returns 0, or -1 after a message.
 */
static int
link_check(struct hs_db *db, const struct newlink *nl, struct linkref *r)
{
	const char	*why;
	size_t		 i;

	r->adv = r->ev = 0;
	if (nl->campaign == NULL || camp_get(db, nl->campaign, &r->c) != 1) {
		warnx("link: --campaign must name an existing campaign");
		return -1;
	}
	if (nl->advocate != NULL && *nl->advocate != '\0' &&
	    (r->adv = lookup(db, STMT_ADV_ID, nl->advocate)) <= 0) {
		warnx("link: no advocate %s", nl->advocate);
		return -1;
	}
	if (nl->event != NULL && *nl->event != '\0' &&
	    (r->ev = lookup(db, STMT_EVENT_GET, nl->event)) <= 0) {
		warnx("link: no event %s", nl->event);
		return -1;
	}
	r->dest = nl->dest != NULL && *nl->dest != '\0' ? nl->dest :
	    r->c.dest;
	if (!hs_dest_valid(r->dest, r->c.hosts, &why) ||
	    strlen(r->dest) > HS_DEST_MAX) {
		warnx("link: destination refused: %s",
		    why != NULL ? why : "too long");
		return -1;
	}
	if (nl->fallback != NULL && *nl->fallback != '\0' &&
	    (!hs_dest_valid(nl->fallback, r->c.hosts, &why) ||
	    strlen(nl->fallback) > HS_DEST_MAX)) {
		warnx("link: fallback refused: %s",
		    why != NULL ? why : "too long");
		return -1;
	}
	for (i = 0; i < 5; i++)
		if (nl->utm[i] != NULL && *nl->utm[i] != '\0' &&
		    !text_ok(nl->utm[i], UTM_MAX)) {
			warnx("link: utm values: text up to %d bytes",
			    UTM_MAX);
			return -1;
		}
	if ((nl->channel != NULL && *nl->channel != '\0' &&
	    !slug_ok(nl->channel)) || (nl->label != NULL &&
	    *nl->label != '\0' && !text_ok(nl->label, 200))) {
		warnx("link: --channel is [a-z0-9._-]; --label is text");
		return -1;
	}
	if (nl->code != NULL && *nl->code != '\0' &&
	    hs_code_canon(nl->code, r->code, sizeof(r->code)) != HS_OK) {
		warnx("link: code %s: 4 to %d of 0-9 A-Z without I L O U "
		    "(hyphens allowed)", nl->code, HS_CODE_MAX);
		return -1;
	}
	return 0;
}

/*
 * Inserts the link checked into r: under its vanity code, or under
 * random codes drawn again while taken (CODE_TRIES).  Sets *e to the
 * insert's status and r->code to the code.  Returns 0, or -1 if no
 * code could be drawn.
 */
static int
link_insert(struct hs_db *db, const struct newlink *nl, struct linkref *r,
    enum hs_err *e)
{
	struct hs_dbparam	 p[16];
	int			 vanity, tries;
	size_t			 i;

	*e = HS_EDB;
	vanity = nl->code != NULL && *nl->code != '\0';
	for (tries = 0; tries < CODE_TRIES; tries++) {
		if (!vanity && hs_code_new(r->code, HS_CODE_LEN + 1) != HS_OK)
			return -1;
		p[0] = ptext(r->code);
		p[1] = (struct hs_dbparam)HS_DBP_INT(r->c.id);
		p[2] = (struct hs_dbparam)HS_DBP_INT(r->adv);
		if (r->adv == 0)
			p[2] = (struct hs_dbparam)HS_DBP_NULL;
		p[3] = (struct hs_dbparam)HS_DBP_INT(r->ev);
		if (r->ev == 0)
			p[3] = (struct hs_dbparam)HS_DBP_NULL;
		p[4] = ptext(nl->channel);
		p[5] = ptext(nl->label);
		p[6] = ptext(r->dest);
		for (i = 0; i < 5; i++)
			p[7 + i] = ptext(nl->utm[i]);
		p[12] = ptext(nl->valid_from);
		p[13] = ptext(nl->valid_until);
		p[14] = ptext(nl->fallback);
		p[15] = (struct hs_dbparam)HS_DBP_INT(nl->disabled);
		*e = hs_db_exec(db, STMT_LINK_ADD, p, 16, NULL);
		/* A vanity code is taken or not; a random one is redrawn. */
		if (*e != HS_EDUP || vanity)
			break;
	}
	return 0;
}

/*
 * Creates a link; prints its grouped code and URL.  Returns an exit
 * status.  With quiet_dup an existing code is not an error (the demo).
 */
static int
link_create(struct adm *a, struct hs_db *db, const struct newlink *nl,
    int quiet_dup)
{
	struct linkref	 r;
	char		 grouped[HS_CODE_MAX * 2];
	enum hs_err	 e;

	if (link_check(db, nl, &r) != 0)
		return ADM_FAIL;
	if (link_insert(db, nl, &r, &e) != 0)
		return ADM_FAIL;
	if (e == HS_EDUP && quiet_dup)
		return ADM_OK;
	if (e != HS_OK) {
		warnx("link: %s", e == HS_EDUP ? "code taken" : e == HS_EDB ?
		    "refused by the database (check --valid-from/--valid-"
		    "until: YYYY-MM-DD [HH:MM:SS], UTC)" : hs_strerror(e));
		return ADM_FAIL;
	}
	links_moved(db);
	if (hs_code_group(r.code, grouped, sizeof(grouped)) != HS_OK)
		return ADM_FAIL;
	printf("%s\t%s/i/%s\n", grouped, a->conf.base_url, grouped);
	return ADM_OK;
}

static const char *const link_heads[LINK_NCOLS] = { "code", "campaign",
    "advocate", "event", "channel", "label", "destination", "utm_source",
    "utm_medium", "utm_campaign", "utm_content", "utm_term", "valid_from",
    "valid_until", "fallback_url", "disabled", "id" };

struct linkimport {
	struct adm	*a;
	struct hs_db	*db;
};

/* One link row, created exactly as "link create" would. */
static int
link_row(const struct csvrow *r, void *arg)
{
	struct linkimport	*li = arg;
	struct newlink		 nl;
	const char		*d;
	int			 i;

	memset(&nl, 0, sizeof(nl));
	nl.campaign = rcell(r, "campaign");
	nl.code = rcell(r, "code");
	nl.advocate = rcell(r, "advocate");
	nl.event = rcell(r, "event");
	nl.channel = rcell(r, "channel");
	nl.label = rcell(r, "label");
	nl.dest = rcell(r, "destination");
	for (i = 0; i < 5; i++)
		nl.utm[i] = rcell(r, link_heads[7 + i]);
	nl.valid_from = rcell(r, "valid_from");
	nl.valid_until = rcell(r, "valid_until");
	nl.fallback = rcell(r, "fallback_url");
	d = rcell(r, "disabled");
	nl.disabled = d != NULL && strcmp(d, "1") == 0;
	return link_create(li->a, li->db, &nl, 0);
}

/* link import FILE.csv */
static int
link_import(struct adm *a, struct hs_db *db, const char *path)
{
	struct linkimport	 li = { a, db };

	return csv_import(path, "campaign", "campaign, code, advocate, "
	    "destination, ...", "links", link_row, &li);
}

/* link show CODE: the link, its URL and its clicks (people, bots). */
static int
link_show(struct adm *a, struct hs_db *db, const char *typed)
{
	char			 code[HS_CODE_MAX + 1], g[HS_CODE_MAX * 2];
	struct hs_dbparam	 p[1];
	struct hs_dbcol		 c[2];
	long long		 id;
	int			 have = 0;

	if (hs_code_canon(typed, code, sizeof(code)) != HS_OK ||
	    hs_code_group(code, g, sizeof(g)) != HS_OK) {
		warnx("%s: not a code", typed);
		return ADM_FAIL;
	}
	p[0] = ptext(code);
	if (print_rows(db, STMT_LINK_GET, p, 1, LINK_NCOLS, link_heads, 1) <
	    1) {
		warnx("no link %s", g);
		return ADM_FAIL;
	}
	printf("%-13s %s/i/%s\n", "url", a->conf.base_url, g);
	if ((id = lookup(db, STMT_LINK_ID, code)) <= 0)
		return ADM_OK;
	memset(c, 0, sizeof(c));
	c[0].type = c[1].type = HS_DB_INT;
	p[0] = (struct hs_dbparam)HS_DBP_INT(id);
	if (hs_db_query(db, STMT_LINK_CLICKS, p, 1, c, 2) == HS_OK) {
		if (hs_db_fetch(db, STMT_LINK_CLICKS, &have) == HS_OK && have)
			printf("%-13s %lld people, %lld bots\n", "clicks",
			    c[0].i, c[1].i);
		hs_db_end(db, STMT_LINK_CLICKS);
	}
	return ADM_OK;
}

static int
link_create_cmd(struct adm *a, const struct adm_args *args)
{
	static const char *const utm[5] = { "utm-source", "utm-medium",
	    "utm-campaign", "utm-content", "utm-term" };
	struct hs_db	*db;
	struct newlink	 nl;
	size_t		 i;
	int		 rc;

	memset(&nl, 0, sizeof(nl));
	nl.campaign = adm_arg(args, "campaign");
	nl.advocate = adm_arg(args, "advocate");
	nl.event = adm_arg(args, "event");
	nl.channel = adm_arg(args, "channel");
	nl.label = adm_arg(args, "label");
	nl.dest = adm_arg(args, "dest");
	nl.code = adm_arg(args, "code");
	nl.fallback = adm_arg(args, "fallback");
	nl.valid_from = adm_arg(args, "valid-from");
	nl.valid_until = adm_arg(args, "valid-until");
	for (i = 0; i < 5; i++)
		nl.utm[i] = adm_arg(args, utm[i]);
	db = adm_open(a, stmts, STMT__MAX);
	rc = link_create(a, db, &nl, 0);
	hs_db_close(db);
	return rc;
}

/* link list and link export: the same rows, as a table or as CSV. */
static int
link_list(struct adm *a, const struct adm_args *args, int csv)
{
	struct hs_db		*db;
	struct hs_dbparam	 p[2];
	int			 rc;

	p[0] = ptext(adm_arg(args, "campaign"));
	p[1] = p[0];
	db = adm_open(a, stmts, STMT__MAX);
	if (!csv)
		rc = print_rows(db, STMT_LINK_LIST, p, 2, LINK_NCOLS,
		    link_heads, 0) < 0 ? ADM_FAIL : ADM_OK;
	else
		rc = csv_export(db, STMT_LINK_LIST, p, 2, LINK_NCOLS,
		    LINK_NCOLS - 1, link_heads);
	hs_db_close(db);
	return rc;
}

static int
link_list_cmd(struct adm *a, const struct adm_args *args)
{

	return link_list(a, args, 0);
}

static int
link_export_cmd(struct adm *a, const struct adm_args *args)
{

	return link_list(a, args, 1);
}

static int
link_show_cmd(struct adm *a, const struct adm_args *args)
{
	struct hs_db	*db;
	int		 rc;

	db = adm_open(a, stmts, STMT__MAX);
	rc = link_show(a, db, args->pos[0]);
	hs_db_close(db);
	return rc;
}

static int
link_disable(struct adm *a, const struct adm_args *args)
{
	struct hs_db		*db;
	struct hs_dbparam	 p[1];
	unsigned long long	 n;
	const char		*typed = args->pos[0];
	char			 code[HS_CODE_MAX + 1];
	int			 rc;

	if (hs_code_canon(typed, code, sizeof(code)) != HS_OK) {
		warnx("%s: not a code", typed);
		return ADM_FAIL;
	}
	db = adm_open(a, stmts, STMT__MAX);
	p[0] = ptext(code);
	rc = hs_db_exec(db, STMT_LINK_DISABLE, p, 1, &n) == HS_OK && n == 1 ?
	    ADM_OK : ADM_FAIL;
	if (rc == ADM_OK) {
		links_moved(db);
		printf("link %s disabled: it goes to its fallback; its clicks "
		    "are kept\n", typed);
	}
	else
		warnx("no link %s (or already disabled)", typed);
	hs_db_close(db);
	return rc;
}

static int
link_import_cmd(struct adm *a, const struct adm_args *args)
{
	struct hs_db	*db;
	int		 rc;

	db = adm_open(a, stmts, STMT__MAX);
	rc = link_import(a, db, args->pos[0]);
	hs_db_close(db);
	return rc;
}

static const struct adm_opt link_opts[] = {
	{ "campaign", 0 }, { "advocate", 0 }, { "event", 0 },
	{ "channel", 0 }, { "label", 0 }, { "dest", 0 }, { "code", 0 },
	{ "fallback", 0 }, { "valid-from", 0 }, { "valid-until", 0 },
	{ "utm-source", 0 }, { "utm-medium", 0 }, { "utm-campaign", 0 },
	{ "utm-content", 0 }, { "utm-term", 0 }, { NULL, 0 }
};
static const struct adm_opt link_list_opts[] = {
	{ "campaign", 0 }, { NULL, 0 }
};

const struct adm_sub adm_link_subs[] = {
	{ "create", link_create_cmd, 0, 0, link_opts, "create --campaign S "
	    "[--advocate H] [--event SLUG] [--channel C] [--label L]\n"
	    "           [--dest URL] [--code VANITY] [--fallback URL] "
	    "[--valid-from T] [--valid-until T]\n"
	    "           [--utm-source V] [--utm-medium V] "
	    "[--utm-campaign V] [--utm-content V] [--utm-term V]" },
	{ "list", link_list_cmd, 0, 0, link_list_opts, "list [--campaign S]" },
	{ "show", link_show_cmd, 1, 1, NULL, "show CODE" },
	{ "disable", link_disable, 1, 1, NULL, "disable CODE" },
	{ "import", link_import_cmd, 1, 1, NULL, "import FILE.csv" },
	{ "export", link_export_cmd, 0, 0, link_list_opts,
	    "export [--campaign S]" },
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

	db = adm_open(a, stmts, STMT__MAX);
	if (camp_create(db, "spring", "Spring launch",
	    "example.org www.example.org", "https://example.org/signup",
	    "https://example.org/", 1) != ADM_OK ||
	    camp_create(db, "meetups", "Community meetups",
	    "example.org events.example.org", "https://events.example.org/join",
	    "https://events.example.org/", 1) != ADM_OK)
		goto out;
	for (i = 0; i < sizeof(demo_advs) / sizeof(demo_advs[0]); i++)
		if (adv_create(db, demo_advs[i].handle, demo_advs[i].name,
		    demo_advs[i].aliases, demo_advs[i].tier, NULL,
		    demo_advs[i].suggest, 1) != ADM_OK)
			goto out;
	for (i = 0; i < sizeof(demo_links) / sizeof(demo_links[0]); i++)
		if (link_create(a, db, &demo_links[i], 1) != ADM_OK)
			goto out;
	rc = ADM_OK;
out:
	hs_db_close(db);
	return rc;
}
