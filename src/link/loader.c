/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * loader.c: hearsay-link's helper process, the only part of the program
 * that talks to MariaDB.  In a loop it
 *  - writes the link snapshot the workers redirect from, every
 *    link_cache_secs (cache.c describes the file);
 *  - makes sure today's salt exists (INSERT IGNORE a random one, then
 *    read back whichever won, so every host agrees), writes it to a 0600
 *    file for the workers and destroys older salts, files and rows;
 *  - loads the click journals into `clicks` with a multi-row INSERT
 *    IGNORE, so a batch replayed after a lost connection or a crash
 *    cannot count a click twice (click_id is the primary key);
 *  - adds the clicks that could not even be journalled (disk full) to
 *    counters.clicks_unrecorded.
 * When MariaDB is down each step fails quickly and is tried again on the
 * next round; the workers keep redirecting from the last snapshot and
 * the journal keeps the clicks.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hearsay.h"
#include "link.h"

#define LOAD_BATCH	200	/* journal records per transaction */
#define LOAD_ROWS	50	/* rows in the multi-row INSERT */
#define CLICK_COLS	9	/* parameters per click row */
#define LOOP_MS		200	/* pause between rounds */
#define SALT_CHECK_SECS	60	/* how often the salt is re-checked */
#define SNAP_UTM	5	/* utm_* columns */
#define VERSION_MS	200	/* how often links_version is read */

enum stmt {
	STMT_SNAPSHOT,
	STMT_SALT_PUT,
	STMT_SALT_GET,
	STMT_SALT_DEL,
	STMT_CLICKS_N,
	STMT_CLICKS_1,
	STMT_COUNTER_ADD,
	STMT_LINKS_VERSION,
	STMT__MAX
};

#define CLICK_INSERT "INSERT IGNORE INTO clicks (click_id, clicked_at, " \
	"link_id, trigger_kind, client_hash, ua_class, referer_host, " \
	"is_bot, bot_reason) VALUES "
#define CLICK_ROW "(?, FROM_UNIXTIME(? / 1000), ?, ?, ?, ?, ?, ?, ?)"

/* The multi-row statement is CLICK_ROW repeated LOAD_ROWS times. */
static char clicks_n[sizeof(CLICK_INSERT) +
    LOAD_ROWS * (sizeof(CLICK_ROW) + 2)];

static const char *stmts[STMT__MAX] = {
	/* STMT_SNAPSHOT: what a redirect needs of every link. */
	"SELECT l.code, l.id, l.disabled OR c.disabled, "
	    "COALESCE(UNIX_TIMESTAMP(l.valid_from), 0), "
	    "COALESCE(UNIX_TIMESTAMP(l.valid_until), 0), l.destination, "
	    "l.utm_source, l.utm_medium, l.utm_campaign, l.utm_content, "
	    "l.utm_term, COALESCE(l.fallback_url, c.fallback_url, ''), "
	    "c.allowed_hosts FROM links l JOIN campaigns c "
	    "ON c.id = l.campaign_id",
	/* STMT_SALT_PUT: the first host to ask makes the day's salt. */
	"INSERT IGNORE INTO salts (day, salt) VALUES (?, ?)",
	/* STMT_SALT_GET */
	"SELECT salt FROM salts WHERE day = ?",
	/* STMT_SALT_DEL: yesterday's salt is destroyed. */
	"DELETE FROM salts WHERE day < ?",
	/* STMT_CLICKS_N: built at start from CLICK_ROW. */
	clicks_n,
	/* STMT_CLICKS_1 */
	CLICK_INSERT CLICK_ROW,
	/* STMT_COUNTER_ADD */
	"INSERT INTO counters (name, value) VALUES ('clicks_unrecorded', ?) "
	    "ON DUPLICATE KEY UPDATE value = value + VALUES(value)",
	/* STMT_LINKS_VERSION: moved on by every change of a link or a
	 * campaign (sql/130); one primary-key row. */
	"SELECT COALESCE(MAX(value), 0) FROM counters "
	    "WHERE name = 'links_version'",
};

struct batch {
	struct link_click *c;
	size_t		 n;
};

struct helper {
	struct linkd	*ld;
	struct hs_db	*db;
	long long	 version;	/* links_version snapshotted */
};

/* spool_dir/salt-<day>: the workers' copy of the day's salt. */
int
link_salt_path(const struct hs_conf *c, const char *day, char *out,
    size_t sz)
{
	int	 n;

	n = snprintf(out, sz, "%s/salt-%s", c->spool_dir, day);
	return n < 0 || (size_t)n >= sz ? -1 : 0;
}

/*
 * Writes one snapshot field, or "!" for a value that could break the
 * format (the worker then refuses the link with 500, logged).
 */
static enum hs_err
snapfield(struct hs_buf *b, const char *s, int last)
{
	enum hs_err	 e;

	e = hs_buf_puts(b, link_snap_field_ok(s) ? s : "!");
	if (e == HS_OK)
		e = hs_buf_putc(b, last ? '\n' : '\t');
	return e;
}

/*
 * Reads every link and writes the snapshot.  Returns 0, or -1 when the
 * database or the disk failed (the old snapshot stays).
 */
static int
snapshot(struct helper *h)
{
	static const char *const utmk[SNAP_UTM] = { "utm_source",
	    "utm_medium", "utm_campaign", "utm_content", "utm_term" };
	char		 code[64], dest[HS_DEST_MAX + 1];
	char		 utm[SNAP_UTM][128], fb[HS_DEST_MAX + 1];
	char		 hosts[HS_HOSTS_MAX + 1], num[96];
	struct hs_dbcol	 c[13];
	struct hs_buf	 b, u;
	size_t		 i, n = 0;
	int		 have, rc = -1, q = 0;
	enum hs_err	 e;

	memset(c, 0, sizeof(c));
	c[0] = (struct hs_dbcol){ HS_DB_TEXT, 0, code, sizeof(code), 0, 0, 0 };
	c[1].type = c[2].type = c[3].type = c[4].type = HS_DB_INT;
	c[5] = (struct hs_dbcol){ HS_DB_TEXT, 0, dest, sizeof(dest), 0, 0, 0 };
	for (i = 0; i < SNAP_UTM; i++)
		c[6 + i] = (struct hs_dbcol){ HS_DB_TEXT, 0, utm[i],
		    sizeof(utm[i]), 0, 0, 0 };
	c[11] = (struct hs_dbcol){ HS_DB_TEXT, 0, fb, sizeof(fb), 0, 0, 0 };
	c[12] = (struct hs_dbcol){ HS_DB_TEXT, 0, hosts, sizeof(hosts), 0, 0,
	    0 };
	hs_buf_init(&b, (size_t)256 * 1024 * 1024);
	hs_buf_init(&u, 4096);
	if (hs_db_query(h->db, STMT_SNAPSHOT, NULL, 0, c, 13) != HS_OK)
		goto out;
	q = 1;
	if (hs_buf_puts(&b, "hearsay-links 1\n") != HS_OK)
		goto out;
	for (;;) {
		if (hs_db_fetch(h->db, STMT_SNAPSHOT, &have) != HS_OK)
			goto out;
		if (!have)
			break;
		hs_buf_reset(&u);
		e = HS_OK;
		for (i = 0; i < SNAP_UTM && e == HS_OK; i++) {
			if (c[6 + i].isnull)
				continue;
			if (u.len > 0)
				e = hs_buf_putc(&u, '&');
			if (e == HS_OK &&
			    (e = hs_buf_printf(&u, "%s=", utmk[i])) == HS_OK)
				e = hs_url_encode(&u, utm[i]);
		}
		(void)snprintf(num, sizeof(num), "%lld\t%d\t%lld\t%lld",
		    c[1].i, c[2].i != 0, c[3].i, c[4].i);
		if (e != HS_OK || c[5].truncated || c[11].truncated ||
		    c[12].truncated || !link_snap_field_ok(code)) {
			hs_log(HS_LOG_ERR, "link %lld: cannot be cached",
			    c[1].i);
			continue;
		}
		if (snapfield(&b, code, 0) != HS_OK ||
		    hs_buf_printf(&b, "%s\t", num) != HS_OK ||
		    snapfield(&b, dest, 0) != HS_OK ||
		    snapfield(&b, hs_buf_str(&u), 0) != HS_OK ||
		    snapfield(&b, fb, 0) != HS_OK ||
		    snapfield(&b, hosts, 1) != HS_OK)
			goto out;
		n++;
	}
	if (hs_buf_printf(&b, "end\t%zu\n", n) != HS_OK)
		goto out;
	rc = hs_file_replace(h->ld->snap, b.ptr, b.len, 0640) == HS_OK ?
	    0 : -1;
out:
	if (q)
		hs_db_end(h->db, STMT_SNAPSHOT);
	hs_buf_free(&b);
	hs_buf_free(&u);
	return rc;
}

/* Deletes salt files of other days than today. */
static void
salt_prune(const struct hs_conf *c, const char *today)
{
	DIR		*d;
	struct dirent	*de;
	char		 keep[32], path[1100];

	(void)snprintf(keep, sizeof(keep), "salt-%s", today);
	if ((d = opendir(c->spool_dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, "salt-", 5) == 0 &&
		    strcmp(de->d_name, keep) != 0 &&
		    snprintf(path, sizeof(path), "%s/%s", c->spool_dir,
		    de->d_name) < (int)sizeof(path))
			(void)unlink(path);
	closedir(d);
}

/*
 * Makes today's salt exist in the database and in the workers' file.
 * With the database down and no file for today, a local salt is made so
 * that clicks still get a hash; it is replaced by the shared one later
 * (hashes of that morning then differ between hosts, which only weakens
 * velocity checks across hosts for those hours).
 */
static void
salt(struct helper *h)
{
	unsigned char	 s[32], got[33], old[32];
	char		 day[11], path[1100];
	time_t		 now = time(NULL);
	struct tm	 tm;
	struct hs_dbparam p[2];
	struct hs_dbcol	 col = { HS_DB_BLOB, 0, (char *)got, sizeof(got), 0,
			    0, 0 };
	int		 have = 0, fd, fromdb = 0;
	ssize_t		 n = 0;

	(void)gmtime_r(&now, &tm);
	(void)strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	if (link_salt_path(&h->ld->conf, day, path, sizeof(path)) == -1)
		return;
	hs_rand_bytes(s, sizeof(s));
	p[0] = (struct hs_dbparam)HS_DBP_TEXT(day);
	p[1] = (struct hs_dbparam)HS_DBP_BLOB(s, sizeof(s));
	if (hs_db_exec(h->db, STMT_SALT_PUT, p, 2, NULL) == HS_OK &&
	    hs_db_query(h->db, STMT_SALT_GET, p, 1, &col, 1) == HS_OK) {
		if (hs_db_fetch(h->db, STMT_SALT_GET, &have) == HS_OK &&
		    have && col.len == sizeof(s) && !col.isnull) {
			memcpy(s, got, sizeof(s));
			fromdb = 1;
		}
		hs_db_end(h->db, STMT_SALT_GET);
	}
	if (fromdb && hs_db_exec(h->db, STMT_SALT_DEL, p, 1, NULL) != HS_OK)
		hs_log(HS_LOG_WARN, "old salts not deleted yet");
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) != -1) {
		n = read(fd, old, sizeof(old));
		close(fd);
	}
	if (n == (ssize_t)sizeof(old) &&
	    (!fromdb || memcmp(old, s, sizeof(s)) == 0))
		goto prune;	/* up to date, or keep the local one */
	if (hs_file_replace(path, s, sizeof(s), 0600) != HS_OK)
		return;
	if (!fromdb)
		hs_log(HS_LOG_WARN, "database down: made a local salt for %s",
		    day);
prune:
	salt_prune(&h->ld->conf, day);
}

/* The nine parameters of one click row; an absent field is SQL NULL. */
static void
click_params(const struct link_click *c, struct hs_dbparam *p)
{

	p[0] = (struct hs_dbparam)HS_DBP_TEXT(c->id);
	p[1] = (struct hs_dbparam)HS_DBP_INT(c->ms);
	p[2] = (struct hs_dbparam)HS_DBP_INT(c->link);
	p[3] = (struct hs_dbparam)HS_DBP_TEXT(c->trigger);
	p[4] = (struct hs_dbparam)HS_DBP_TEXT(c->hash);
	p[5] = (struct hs_dbparam)HS_DBP_TEXT(c->ua);
	p[6] = (struct hs_dbparam)HS_DBP_TEXT(c->referer);
	p[7] = (struct hs_dbparam)HS_DBP_INT(c->bot);
	p[8] = (struct hs_dbparam)HS_DBP_TEXT(c->reason);
	if (c->hash == NULL)
		p[4] = (struct hs_dbparam)HS_DBP_NULL;
	if (c->referer == NULL)
		p[6] = (struct hs_dbparam)HS_DBP_NULL;
	if (c->reason == NULL)
		p[8] = (struct hs_dbparam)HS_DBP_NULL;
}

/* One transaction: the batch in LOAD_ROWS chunks, then single rows. */
static enum hs_err
insert_unit(struct hs_db *db, void *arg)
{
	struct batch		*b = arg;
	struct hs_dbparam	 p[LOAD_ROWS * CLICK_COLS];
	size_t			 i = 0, j;
	enum hs_err		 e;

	for (; i + LOAD_ROWS <= b->n; i += LOAD_ROWS) {
		for (j = 0; j < LOAD_ROWS; j++)
			click_params(&b->c[i + j], &p[j * CLICK_COLS]);
		if ((e = hs_db_exec(db, STMT_CLICKS_N, p,
		    LOAD_ROWS * CLICK_COLS, NULL)) != HS_OK)
			return e;
	}
	for (; i < b->n; i++) {
		click_params(&b->c[i], p);
		if ((e = hs_db_exec(db, STMT_CLICKS_1, p, CLICK_COLS, NULL))
		    != HS_OK)
			return e;
	}
	return HS_OK;
}

/*
 * hs_journal_replay's callback: loads n records in one transaction.
 * Returns HS_OK once they are committed, else the error (the journal
 * keeps them and hands them over again).
 */
static enum hs_err
load(const char *const *recs, const size_t *lens, size_t n, void *arg)
{
	struct helper	*h = arg;
	struct batch	 b;
	char		*buf = NULL, *p;
	size_t		 i, total = 0;
	enum hs_err	 e = HS_ENOMEM;

	memset(&b, 0, sizeof(b));
	for (i = 0; i < n; i++)
		total += lens[i] + 1;
	if (n == 0)
		return HS_OK;
	if ((buf = hs_xmalloc(total)) == NULL ||
	    (b.c = hs_xcalloc(n, sizeof(*b.c))) == NULL)
		goto out;
	for (p = buf, i = 0; i < n; i++) {
		memcpy(p, recs[i], lens[i]);
		p[lens[i]] = '\0';
		if (strlen(p) != lens[i] || link_click_decode(p, &b.c[b.n]) == -1)
			hs_log(HS_LOG_ERR, "click journal: unreadable record "
			    "skipped");
		else
			b.n++;
		p += lens[i] + 1;
	}
	e = hs_db_unit(h->db, insert_unit, &b);
out:
	free(b.c);
	free(buf);
	return e;
}

/* Adds the clicks lost to a full disk to counters.clicks_unrecorded. */
static void
flush_unrecorded(struct helper *h)
{
	struct hs_dbparam	 p[1];
	unsigned long		 n;

	if (h->ld->unrecorded == NULL ||
	    (n = __atomic_exchange_n(h->ld->unrecorded, 0,
	    __ATOMIC_RELAXED)) == 0)
		return;
	p[0] = (struct hs_dbparam)HS_DBP_INT((long long)n);
	if (hs_db_exec(h->db, STMT_COUNTER_ADD, p, 1, NULL) != HS_OK)
		(void)__atomic_add_fetch(h->ld->unrecorded, n,
		    __ATOMIC_RELAXED);
	else
		hs_log(HS_LOG_WARN, "clicks_unrecorded += %lu", n);
}

/*
 * Returns 1 when links_version moved since the last snapshot (a link or
 * campaign was changed by hearsay-admin or the manage pages), with the
 * new value in *v; 0 when it did not or cannot be read.  Read before the
 * snapshot, so the snapshot holds at least the change that moved it.
 */
static int
version_moved(struct helper *h, long long *v)
{
	struct hs_dbcol	 c = HS_DBC_INT;
	int		 have = 0;

	if (hs_db_row(h->db, STMT_LINKS_VERSION, NULL, 0, &c, 1, &have) !=
	    HS_OK || !have)
		return 0;
	*v = c.i;
	return c.i != h->version;
}

static long long
mono_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * The helper: runs until SIGTERM.  Exits quietly; the master respawns it
 * if it dies.
 */
void
link_helper(void *arg)
{
	struct helper	 h;
	long long	 now, next_snap = 0, next_salt = 0, next_ver = 0, v;
	size_t		 i, loaded, off;
	int		 secs, yday = -1;
	time_t		 t;
	struct tm	 tm;
	enum hs_err	 e;

	memset(&h, 0, sizeof(h));
	h.ld = arg;
	off = (size_t)snprintf(clicks_n, sizeof(clicks_n), "%s", CLICK_INSERT);
	for (i = 0; i < LOAD_ROWS && off < sizeof(clicks_n); i++)
		off += (size_t)snprintf(clicks_n + off, sizeof(clicks_n) - off,
		    "%s%s", i > 0 ? ", " : "", CLICK_ROW);
	if (off >= sizeof(clicks_n))
		abort();	/* clicks_n is sized from the same constants */
	if (hs_db_open(&h.db, &h.ld->conf, 0, stmts, STMT__MAX) != HS_OK)
		hs_log(HS_LOG_WARN, "link helper: database not reachable yet");
	if (h.db == NULL)
		return;
	secs = h.ld->conf.link_cache_secs > 0 ? h.ld->conf.link_cache_secs :
	    1;
	while (!hs_stopping) {
		now = mono_ms();
		v = h.version;
		if (now >= next_ver) {
			next_ver = now + VERSION_MS;
			if (version_moved(&h, &v))
				next_snap = now;
		}
		if (now >= next_snap) {
			if (snapshot(&h) == 0) {
				next_snap = now + secs * 1000LL;
				h.version = v;
			} else
				next_snap = now + 1000;
		}
		t = time(NULL);
		(void)gmtime_r(&t, &tm);
		/* A new UTC day needs its salt at once, not within a minute. */
		if (now >= next_salt || tm.tm_yday != yday) {
			yday = tm.tm_yday;
			salt(&h);
			next_salt = now + SALT_CHECK_SECS * 1000LL;
		}
		loaded = 0;
		e = hs_journal_replay(h.ld->conf.spool_dir, LINK_JOURNAL,
		    LOAD_BATCH, load, &h, &loaded);
		if (e != HS_OK && e != HS_ENOTFOUND)
			hs_log(HS_LOG_DEBUG, "click journal: %s",
			    hs_strerror(e));
		flush_unrecorded(&h);
		if (loaded == 0 && !hs_stopping)
			(void)nanosleep(&(struct timespec){ 0,
			    LOOP_MS * 1000000L }, NULL);
	}
	hs_db_close(h.db);
}
