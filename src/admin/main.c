/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * main.c: hearsay-admin, the operator's command-line tool.  This file
 * holds the dispatcher and the commands that belong to no single area:
 * migrate (numbered SQL files, applied once each and recorded), demo
 * (demo data for the README's demo stack) and retention (erases what is
 * older than the configured window, and yesterday's salts).
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hearsay.h"
#include "admin.h"

#define MIGRATION_MAX	256		/* migration files */
#define RETENTION_CHUNK	10000		/* rows deleted per transaction */
#define EMAILKEY_CHUNK	500		/* e-mail hashes keyed per unit */

static int	cmd_migrate(struct adm *, const struct adm_args *);
static int	cmd_demo(struct adm *, const struct adm_args *);
static int	cmd_retention(struct adm *, const struct adm_args *);

static const struct adm_sub migrate_subs[] = {
	{ NULL, cmd_migrate, 0, 0, NULL, "" },
	{ NULL, NULL, 0, 0, NULL, NULL }
};
static const struct adm_sub demo_subs[] = {
	{ NULL, cmd_demo, 0, 0, NULL, "" },
	{ NULL, NULL, 0, 0, NULL, NULL }
};
static const struct adm_opt retention_opts[] = {
	{ "dry-run", ADM_FLAG }, { NULL, 0 }
};
static const struct adm_sub retention_subs[] = {
	{ NULL, cmd_retention, 0, 0, retention_opts, "[--dry-run]" },
	{ NULL, NULL, 0, 0, NULL, NULL }
};

/* The commands: each area's table of subcommands (admin.h). */
static const struct cmd {
	const char		*name;
	const struct adm_sub	*subs;
	const char		*note;	/* after the command's usage */
} cmds[] = {
	{ "migrate", migrate_subs, NULL },
	{ "demo", demo_subs, NULL },
	{ "retention", retention_subs, NULL },
	{ "campaign", adm_campaign_subs, NULL },
	{ "advocate", adm_advocate_subs, NULL },
	{ "link", adm_link_subs, NULL },
	{ "survey", adm_survey_subs, NULL },
	{ "apikey", adm_apikey_subs, NULL },
	{ "forget", adm_forget_subs, NULL },
	{ "cost", adm_cost_subs, NULL },
	{ "webhook", adm_webhook_subs, "(hearsay-webhook delivers them)" },
	{ "event", adm_event_subs, NULL },
	{ "host", adm_host_subs, NULL },
	{ "user", adm_user_subs,
	    "(passwords are read from standard input, one line)" },
	{ "share", adm_share_subs, NULL },
};

static void
usage(void)
{
	size_t	 i;

	fprintf(stderr, "usage: hearsay-admin [-f config] command ...\n");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		adm_usage_lines(stderr, cmds[i].name, cmds[i].subs, 0);
	exit(ADM_USAGE);
}

static int
namecmp(const void *a, const void *b)
{

	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Returns the version of "NNN_name.sql", or -1 for other names. */
static int
migration_version(const char *name)
{
	size_t	 len = strlen(name);

	if (len < 9 || name[0] < '0' || name[0] > '9' || name[1] < '0' ||
	    name[1] > '9' || name[2] < '0' || name[2] > '9' ||
	    name[3] != '_' || strcmp(name + len - 4, ".sql") != 0)
		return -1;
	return atoi(name);
}

enum { MIG_CREATE, MIG_HAS, MIG_RECORD, MIG__MAX };
static const char *const migsql[MIG__MAX] = {
	/* MIG_CREATE */
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	    "version INT UNSIGNED NOT NULL PRIMARY KEY, "
	    "name VARCHAR(255) NOT NULL, "
	    "applied_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)"
	    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
	/* MIG_HAS */
	"SELECT version FROM schema_migrations WHERE version = ?",
	/* MIG_RECORD */
	"INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
};

/*
 * Keying the e-mail hashes stored before sql/101 (issue 22): per table,
 * select the next rows still marked email_keyed = 0, locked, and write
 * each one's hs_email_key with the mark, in one transaction of at most
 * EMAILKEY_CHUNK rows.  The mark travels with the value, so a run cut
 * short resumes with the rows left and a second run finds none: no
 * value is keyed twice.  The UPDATE checks the mark again, for a
 * signup report that keyed its row meanwhile.  A value that is not a
 * SHA-256 (none came through the API or hearsay-admin) cannot be keyed
 * and is dropped: it never matched anything a person reported.
 */
enum { EK_SEL_ADV, EK_UPD_ADV, EK_SEL_SIGNUP, EK_UPD_SIGNUP, EK__MAX };
static const char *const eksql[EK__MAX] = {
	/* EK_SEL_ADV */
	"SELECT id, email_hash FROM advocates WHERE id > ? AND "
	    "email_keyed = 0 AND email_hash IS NOT NULL ORDER BY id LIMIT ? "
	    "FOR UPDATE",
	/* EK_UPD_ADV */
	"UPDATE advocates SET email_hash = ?, email_keyed = 1 WHERE id = ? "
	    "AND email_keyed = 0",
	/* EK_SEL_SIGNUP */
	"SELECT id, email_hash FROM signups WHERE id > ? AND "
	    "email_keyed = 0 AND email_hash IS NOT NULL ORDER BY id LIMIT ? "
	    "FOR UPDATE",
	/* EK_UPD_SIGNUP */
	"UPDATE signups SET email_hash = ?, email_keyed = 1 WHERE id = ? "
	    "AND email_keyed = 0",
};

struct ekchunk {
	const struct adm *a;
	size_t		 sel, upd;	/* the table's statements */
	long long	 after;		/* in: the last id done */
	long long	 last;		/* out: the last id of this chunk */
	size_t		 keyed, dropped; /* out: rows of this chunk */
	int		 nokey;		/* out: rows, but no hmac_key */
};

/* One chunk as a unit: idempotent, each try starts from ek->after. */
static enum hs_err
ek_unit(struct hs_db *db, void *arg)
{
	struct ekchunk		*ek = arg;
	long long		 ids[EMAILKEY_CHUNK];
	char			 old[EMAILKEY_CHUNK][65], buf[65];
	char			 nkey[65];
	struct hs_dbparam	 p[2] = { HS_DBP_INT(ek->after),
				    HS_DBP_INT(EMAILKEY_CHUNK) };
	struct hs_dbcol		 col[2] = { HS_DBC_INT, HS_DBC_TEXT(buf) };
	size_t			 n = 0, i;
	int			 have;
	enum hs_err		 e;

	ek->last = ek->after;
	ek->keyed = ek->dropped = 0;
	ek->nokey = 0;
	if ((e = hs_db_query(db, ek->sel, p, 2, col, 2)) != HS_OK)
		return e;
	while ((e = hs_db_fetch(db, ek->sel, &have)) == HS_OK && have &&
	    n < EMAILKEY_CHUNK) {
		ids[n] = col[0].i;
		/* A longer value is not a SHA-256: cut, it fails below. */
		(void)snprintf(old[n], sizeof(old[n]), "%s",
		    col[1].truncated ? "-" : buf);
		n++;
	}
	hs_db_end(db, ek->sel);
	if (e != HS_OK)
		return e;
	if (n > 0 && !ek->a->conf.have_hmac_key) {
		ek->nokey = 1;
		return HS_EINVAL;
	}
	for (i = 0; i < n; i++) {
		struct hs_dbparam u[2] = { HS_DBP_NULL, HS_DBP_INT(ids[i]) };

		if (hs_email_key(ek->a->conf.hmac_key, old[i], nkey) ==
		    HS_OK) {
			u[0] = (struct hs_dbparam)HS_DBP_TEXT(nkey);
			ek->keyed++;
		} else
			ek->dropped++;
		if ((e = hs_db_exec(db, ek->upd, u, 2, NULL)) != HS_OK)
			return e;
		ek->last = ids[i];
	}
	return HS_OK;
}

/* Keys every e-mail hash still plain.  Returns 0 or -1 (reported). */
static int
email_rekey(struct adm *a)
{
	static const struct {
		const char	*name;
		size_t		 sel, upd;
	} tabs[] = {
		{ "advocates", EK_SEL_ADV, EK_UPD_ADV },
		{ "signups", EK_SEL_SIGNUP, EK_UPD_SIGNUP },
	};
	struct hs_db	*db;
	struct ekchunk	 ek;
	size_t		 t, keyed, dropped;
	enum hs_err	 e;
	int		 rc = -1;

	db = adm_open(a, eksql, EK__MAX);
	for (t = 0; t < sizeof(tabs) / sizeof(tabs[0]); t++) {
		memset(&ek, 0, sizeof(ek));
		ek.a = a;
		ek.sel = tabs[t].sel;
		ek.upd = tabs[t].upd;
		keyed = dropped = 0;
		do {
			ek.after = ek.last;
			if ((e = hs_db_unit(db, ek_unit, &ek)) != HS_OK) {
				warnx("%s: keying e-mail hashes: %s",
				    tabs[t].name, ek.nokey ? "hmac_key "
				    "missing from the secrets file" :
				    hs_strerror(e));
				goto out;
			}
			keyed += ek.keyed;
			dropped += ek.dropped;
		} while (ek.last != ek.after);
		if (keyed > 0 || dropped > 0)
			printf("%s: %zu e-mail hashes keyed, %zu not a "
			    "SHA-256 dropped\n", tabs[t].name, keyed, dropped);
	}
	rc = 0;
out:
	hs_db_close(db);
	return rc;
}

/*
 * Applies every sql_dir/NNN_*.sql not yet recorded in schema_migrations,
 * in order.  Each file is written to be re-runnable (IF NOT EXISTS), so
 * a migration interrupted half-way is simply run again.  Then the steps
 * SQL cannot do: keying old e-mail hashes (email_rekey).
 */
static int
cmd_migrate(struct adm *a, const struct adm_args *args)
{
	struct hs_db	*db;
	DIR		*d;
	struct dirent	*de;
	char		*names[MIGRATION_MAX], path[PATH_MAX];
	size_t		 n = 0, i, applied = 0;
	int		 v, have, rc = ADM_FAIL;
	struct hs_dbcol	 col = { HS_DB_INT, 0, NULL, 0, 0, 0, 0 };

	db = adm_open(a, NULL, 0);
	if (hs_db_sql(db, migsql[MIG_CREATE]) != HS_OK) {
		warnx("cannot create schema_migrations");
		hs_db_close(db);
		return ADM_FAIL;
	}
	hs_db_close(db);
	/* Reopen with the statement table now that the table exists. */
	db = adm_open(a, migsql, MIG__MAX);
	if ((d = opendir(a->conf.sql_dir)) == NULL) {
		warn("%s", a->conf.sql_dir);
		goto out;
	}
	while ((de = readdir(d)) != NULL && n < MIGRATION_MAX)
		if (migration_version(de->d_name) >= 0)
			names[n++] = hs_strdup(de->d_name);
	closedir(d);
	qsort(names, n, sizeof(names[0]), namecmp);
	for (i = 0; i < n; i++) {
		struct hs_dbparam p[2] = { HS_DBP_INT(0), HS_DBP_TEXTN(NULL, 0) };

		v = migration_version(names[i]);
		p[0].i = v;
		if (hs_db_query(db, MIG_HAS, p, 1, &col, 1) != HS_OK ||
		    hs_db_fetch(db, MIG_HAS, &have) != HS_OK) {
			warnx("%s: cannot read schema_migrations", names[i]);
			goto out;
		}
		hs_db_end(db, MIG_HAS);
		if (have)
			continue;
		(void)snprintf(path, sizeof(path), "%s/%s", a->conf.sql_dir,
		    names[i]);
		if (adm_run_sql_file(db, path) != 0)
			goto out;
		p[1].s = names[i];
		p[1].sz = strlen(names[i]);
		if (hs_db_exec(db, MIG_RECORD, p, 2, NULL) != HS_OK) {
			warnx("%s: cannot record", names[i]);
			goto out;
		}
		printf("applied %s\n", names[i]);
		applied++;
	}
	/* Reopened below with statements on the columns 101 made. */
	hs_db_close(db);
	db = NULL;
	if (email_rekey(a) != 0)
		goto out;
	printf("schema up to date (%zu applied, %zu known)\n", applied, n);
	rc = ADM_OK;
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	hs_db_close(db);
	return rc;
}

/* Loads each area's demo data; every area's loader is idempotent. */
static int
cmd_demo(struct adm *a, const struct adm_args *args)
{

	if (adm_links_demo(a) != ADM_OK || adm_survey_demo(a) != ADM_OK ||
	    adm_events_demo(a) != ADM_OK || adm_users_demo(a) != ADM_OK ||
	    adm_advocates_demo(a) != ADM_OK)
		return ADM_FAIL;
	printf("demo data loaded\n");
	return ADM_OK;
}

/*
 * What retention erases: every row about a person, by the day it falls
 * on, once that day is retention_days old -- the client-hash salts of
 * past days at once.  Clicks stay attribution_days longer, so a signup
 * still kept keeps the clicks before it and a full reconciliation finds
 * what the nightly runs found; an answer goes with the attribution that
 * used it.  The counts made of them (daily_aggregates, the matrices and
 * rollups, daily_invites) stay: they are nobody's data, and
 * hearsay-reconcile keeps the days before the horizon as history
 * (KEEP_HISTORY in src/reconcile/sql.c).  Failed sign-ins (a name as
 * typed, perhaps a password typed in the wrong box, and a client hash)
 * are needed only for the report's throttle window, and go once out of
 * it.  forget's tombstones go at retention_days too (RET_TOMBS), and so
 * does the manage pages' audit trail (RET_AUDIT, sql/130): its rows name
 * staff and hold advocates' names and aliases as they were before and
 * after a change.  The plain tables are each a DELETE (age, chunk) and, for
 * --dry-run, a COUNT(*) (age), every one an index range; the age is in
 * days, for sign-ins in seconds.
 */
enum { RET_SALTS, RET_CLICKS, RET_ANSWERS, RET_SIGNUPS, RET_TOMBS,
    RET_LOGINS, RET_REPLACED, RET_AUDIT, RET_N };
static const char *const retnames[RET_N] = { "salts", "clicks",
    "answers", "signups", "erasure tombstones", "failed sign-ins",
    "replaced answers", "audit rows" };
#define RET_ATTR_DAY	(2 * RET_N)	/* the first history day, or NULL */
#define RET_ATTR_USED	(2 * RET_N + 1)	/* that day's attributions' answers */
#define RET_ATTR_DEL	(2 * RET_N + 2)	/* that day's attributions */
#define RET_ATTR_COUNT	(2 * RET_N + 3)	/* --dry-run: attributions, answers */
#define RET_REVIEW	(2 * RET_N + 4)	/* the review queue is owed */
static const char *const retsql[2 * RET_N + 5] = {
	/* A salt outlives its day by nothing: days 0. */
	"DELETE FROM salts WHERE day < UTC_DATE() - INTERVAL ? DAY LIMIT ?",
	"SELECT COUNT(*) FROM salts WHERE day < UTC_DATE() - INTERVAL ? DAY",
	"DELETE FROM clicks WHERE clicked_at < UTC_DATE() - INTERVAL ? DAY "
	    "LIMIT ?",
	"SELECT COUNT(*) FROM clicks WHERE clicked_at < UTC_DATE() - "
	    "INTERVAL ? DAY",
	"DELETE FROM responses WHERE answered_at < UTC_DATE() - "
	    "INTERVAL ? DAY LIMIT ?",
	/* Not those the attributions' step erases first. */
	"SELECT COUNT(*) FROM responses r WHERE r.answered_at < UTC_DATE() - "
	    "INTERVAL ? DAY AND NOT EXISTS (SELECT 1 FROM attributions a "
	    "WHERE a.response_id = r.id AND a.day < UTC_DATE() - "
	    "INTERVAL ? DAY)",
	/* Their signup_clicks go with them (ON DELETE CASCADE). */
	"DELETE FROM signups WHERE signed_up_at < UTC_DATE() - "
	    "INTERVAL ? DAY LIMIT ?",
	"SELECT COUNT(*) FROM signups WHERE signed_up_at < UTC_DATE() - "
	    "INTERVAL ? DAY",
	/*
	 * forget's tombstones (sql/100) stop the survey's journal loader
	 * storing an erased answer again.  The loader refuses whatever is
	 * older than retention_days by this same horizon, and an answer a
	 * tombstone blocks is no younger than the tombstone, so one older
	 * than it blocks nothing more.
	 */
	"DELETE FROM signup_erasures WHERE erased_at < UTC_DATE() - "
	    "INTERVAL ? DAY LIMIT ?",
	"SELECT COUNT(*) FROM signup_erasures WHERE erased_at < "
	    "UTC_DATE() - INTERVAL ? DAY",
	/* login_attempts: age in seconds. */
	"DELETE FROM login_attempts WHERE attempted_at < UTC_TIMESTAMP() - "
	    "INTERVAL ? SECOND LIMIT ?",
	"SELECT COUNT(*) FROM login_attempts WHERE attempted_at < "
	    "UTC_TIMESTAMP() - INTERVAL ? SECOND",
	/* Answers a person replaced (sql/170), by when they were given. */
	"DELETE FROM response_history WHERE answered_at < UTC_DATE() - "
	    "INTERVAL ? DAY LIMIT ?",
	"SELECT COUNT(*) FROM response_history WHERE answered_at < "
	    "UTC_DATE() - INTERVAL ? DAY",
	/* The audit trail of the manage pages (sql/130), by its time. */
	"DELETE FROM audit_log WHERE at < UTC_DATE() - INTERVAL ? DAY "
	    "LIMIT ?",
	"SELECT COUNT(*) FROM audit_log WHERE at < UTC_DATE() - "
	    "INTERVAL ? DAY",
	/* RET_ATTR_DAY */
	"SELECT MIN(day) FROM attributions WHERE day < UTC_DATE() - "
	    "INTERVAL ? DAY",
	/*
	 * RET_ATTR_USED: from attributions_day to the answers' primary key.
	 * (DELETE ... WHERE id IN (SELECT ...) scanned every answer, locking
	 * them against the survey's INSERTs, on MariaDB 10.11.)
	 */
	"DELETE r FROM attributions a JOIN responses r ON r.id = "
	    "a.response_id WHERE a.day = ?",
	/* RET_ATTR_DEL */
	"DELETE FROM attributions WHERE day = ?",
	/* RET_ATTR_COUNT */
	"SELECT COUNT(*), COUNT(r.id) FROM attributions a LEFT JOIN "
	    "responses r ON r.id = a.response_id WHERE a.day < UTC_DATE() - "
	    "INTERVAL ? DAY",
	/*
	 * RET_REVIEW: the review queue holds texts of the erased
	 * attributions; the next run rebuilds it whole (reconcile's
	 * review_all, as after a run killed owing texts).
	 */
	"INSERT INTO reconcile_state (name, last_id, last_at) VALUES "
	    "('review_all', 1, NULL) ON DUPLICATE KEY UPDATE last_id = 1",
};

/* Plain table s: its rows older than age, in chunks.  0 or -1. */
static int
ret_table(struct hs_db *db, size_t s, long long age, int dry)
{
	struct hs_dbparam	 p[2] = { HS_DBP_INT(age),
				    HS_DBP_INT(RETENTION_CHUNK) };
	struct hs_dbcol		 col = HS_DBC_INT;
	unsigned long long	 n, total = 0;
	int			 have = 0;

	if (dry) {
		p[1] = p[0];	/* RET_ANSWERS' count takes days twice */
		if (hs_db_row(db, 2 * s + 1, p, s == RET_ANSWERS ? 2 : 1, &col,
		    1, &have) != HS_OK)
			return -1;
		printf("%s to erase: %lld\n", retnames[s], have ? col.i : 0);
		return 0;
	}
	do {
		if (hs_db_exec(db, 2 * s, p, 2, &n) != HS_OK)
			return -1;
		total += n;
	} while (n == RETENTION_CHUNK);
	printf("%s erased: %llu\n", retnames[s], total);
	return 0;
}

/*
 * The attributions of days older than days, a day at a time (one
 * bounded pair of statements each), with the answers they used: an
 * answer given after its signup's day would otherwise outlive it.
 * 0 or -1.
 */
static int
ret_attributions(struct hs_db *db, long long days, int dry)
{
	struct hs_dbparam	 p[1] = { HS_DBP_INT(days) }, d[1];
	struct hs_dbcol		 c[2] = { HS_DBC_INT, HS_DBC_INT };
	unsigned long long	 n, attrs = 0, used = 0;
	char			 day[16];
	int			 have = 0;

	if (dry) {
		if (hs_db_row(db, RET_ATTR_COUNT, p, 1, c, 2, &have) != HS_OK)
			return -1;
		printf("attributions to erase: %lld\n"
		    "answers they used to erase: %lld\n", have ? c[0].i : 0,
		    have ? c[1].i : 0);
		return 0;
	}
	c[0] = (struct hs_dbcol)HS_DBC_TEXT(day);
	for (;;) {
		if (hs_db_row(db, RET_ATTR_DAY, p, 1, c, 1, &have) != HS_OK)
			return -1;
		if (!have || c[0].isnull)
			break;
		d[0] = (struct hs_dbparam)HS_DBP_TEXT(day);
		if (hs_db_exec(db, RET_ATTR_USED, d, 1, &n) != HS_OK)
			return -1;
		used += n;
		if (hs_db_exec(db, RET_ATTR_DEL, d, 1, &n) != HS_OK)
			return -1;
		attrs += n;
		if (n == 0)
			break;	/* the day did not go: never loop on it */
	}
	printf("attributions erased: %llu\nanswers they used erased: %llu\n",
	    attrs, used);
	if (attrs > 0 && hs_db_exec(db, RET_REVIEW, NULL, 0, NULL) != HS_OK)
		return -1;
	return 0;
}

/*
 * Erases what is older than retention_days (above), in bounded units so
 * live traffic never waits long: salts, clicks, attributions with their
 * answers, the other answers, signups, forget's tombstones, the audit
 * trail, failed sign-ins.  With --dry-run, counts what it
 * would erase and erases nothing.
 */
static int
cmd_retention(struct adm *a, const struct adm_args *args)
{
	struct hs_db	*db;
	long long	 keep = a->conf.retention_days;
	int		 dry = adm_arg(args, "dry-run") != NULL, rc = ADM_FAIL;

	db = adm_open(a, retsql, sizeof(retsql) / sizeof(retsql[0]));
	if (ret_table(db, RET_SALTS, 0, dry) == 0 &&
	    ret_table(db, RET_CLICKS, keep + a->conf.attribution_days,
	    dry) == 0 &&
	    ret_attributions(db, keep, dry) == 0 &&
	    ret_table(db, RET_ANSWERS, keep, dry) == 0 &&
	    ret_table(db, RET_REPLACED, keep, dry) == 0 &&
	    ret_table(db, RET_SIGNUPS, keep, dry) == 0 &&
	    ret_table(db, RET_TOMBS, keep, dry) == 0 &&
	    ret_table(db, RET_AUDIT, keep, dry) == 0 &&
	    ret_table(db, RET_LOGINS, HS_LOGIN_WINDOW, dry) == 0)
		rc = ADM_OK;
	hs_db_close(db);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct adm	 a;
	char		 errbuf[256];
	size_t		 i;
	int		 ch, rc;

	hs_crypto_init();
	hs_log_init("hearsay-admin", HS_LOG_WARN);
	memset(&a, 0, sizeof(a));
	a.confpath = hs_conf_path(argc, argv);
	while ((ch = getopt(argc, argv, "+f:")) != -1)
		if (ch != 'f')
			usage();
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(cmds[i].name, argv[0]) == 0)
			break;
	if (i == sizeof(cmds) / sizeof(cmds[0]))
		usage();
	if (hs_conf_load(&a.conf, a.confpath, errbuf, sizeof(errbuf)) != HS_OK)
		errx(ADM_FAIL, "%s", errbuf);
	rc = adm_dispatch(&a, cmds[i].name, cmds[i].subs, cmds[i].note, argc,
	    argv);
	hs_conf_free(&a.conf);
	return rc;
}
