/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * def.c: survey definitions and the day's salt, read
 * from MariaDB and kept per worker for a few seconds.  The cache is what
 * lets a form be shown, and an answer validated and journalled, while
 * MariaDB is briefly away; it is short so that an edited survey shows
 * within SURVEY_CACHE_SECS.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hearsay.h"
#include "survey.h"

const char *const followups[FOLLOWUP__MAX] = {
	"none",		/* FOLLOWUP_NONE */
	"text",		/* FOLLOWUP_TEXT */
	"referrer",	/* FOLLOWUP_REFERRER */
	"other",	/* FOLLOWUP_OTHER */
};

/* Returns 1 if s[0..len) is a slug: 1-64 of [a-z0-9-]. */
int
survey_slug_ok(const char *s, size_t len)
{
	size_t	 i;

	if (len == 0 || len > SURVEY_MAX_SLUG)
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

/* Returns 1 if s is exactly len lowercase hex digits. */
int
survey_hex_ok(const char *s, size_t len)
{
	size_t	 i;

	if (strlen(s) != len)
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* Writes the current UTC time as a DATETIME(3) literal. */
void
survey_now(char out[32])
{
	struct timespec	 ts;
	struct tm	 tm;
	char		 s[24];

	(void)clock_gettime(CLOCK_REALTIME, &ts);
	(void)gmtime_r(&ts.tv_sec, &tm);
	(void)strftime(s, sizeof(s), "%Y-%m-%d %H:%M:%S", &tm);
	(void)snprintf(out, 32, "%s.%03d", s,
	    (int)(ts.tv_nsec / 1000000L % 1000));
}

/* Copies a fetched column into a fixed field, cut at its size. */
static void
colcpy(char *dst, size_t sz, const struct hs_dbcol *c)
{

	(void)snprintf(dst, sz, "%s", c->isnull ? "" : c->s);
}

/*
 * Reads the options of survey s, in their order, into it.  Returns HS_OK
 * or a database error.
 */
static enum hs_err
load_options(struct survey_ctx *c, struct survey *s)
{
	struct hs_dbparam	 q[1] = { HS_DBP_INT(s->id) };
	char			 b[7][2048];
	struct hs_dbcol		 col[7];
	struct sopt		*o;
	enum hs_err		 e;
	size_t			 i;
	int			 have;

	memset(col, 0, sizeof(col));
	for (i = 0; i < 7; i++) {
		col[i].type = HS_DB_TEXT;
		col[i].s = b[i];
		col[i].cap = sizeof(b[i]);
	}
	col[3].type = col[4].type = HS_DB_INT;
	if ((e = hs_db_query(c->db, STMT_OPTIONS_GET, q, 1, col, 7)) != HS_OK)
		return e;
	while ((e = hs_db_fetch(c->db, STMT_OPTIONS_GET, &have)) == HS_OK &&
	    have) {
		if (s->nopts == SURVEY_MAX_OPTIONS) {
			hs_log(HS_LOG_WARN, "survey %s: options past %d "
			    "ignored", s->slug, SURVEY_MAX_OPTIONS);
			break;
		}
		o = &s->opts[s->nopts++];
		colcpy(o->key, sizeof(o->key), &col[0]);
		colcpy(o->label, sizeof(o->label), &col[1]);
		colcpy(o->channel, sizeof(o->channel), &col[2]);
		o->pinned = col[3].i != 0;
		o->decoy = col[4].i != 0;
		for (o->fu = FOLLOWUP_NONE; o->fu < FOLLOWUP__MAX; o->fu++)
			if (strcmp(b[5], followups[o->fu]) == 0)
				break;
		if (o->fu == FOLLOWUP__MAX)
			o->fu = FOLLOWUP_NONE;
		colcpy(o->fulabel, sizeof(o->fulabel), &col[6]);
	}
	hs_db_end(c->db, STMT_OPTIONS_GET);
	return e;
}

/*
 * Reads survey slug and its options from MariaDB into a new struct.
 * Returns HS_OK, HS_ENOTFOUND, HS_ENOMEM or a database error.
 */
static enum hs_err
load(struct survey_ctx *c, const char *slug, struct survey **sp)
{
	struct survey		*s;
	struct hs_dbparam	 p[1] = { HS_DBP_TEXT(slug) };
	char			 b[13][2048];
	struct hs_dbcol		 col[13];
	enum hs_err		 e;
	size_t			 i;
	int			 have;

	*sp = NULL;
	if ((s = hs_xcalloc(1, sizeof(*s))) == NULL)
		return HS_ENOMEM;
	memset(col, 0, sizeof(col));
	for (i = 0; i < 13; i++) {
		col[i].type = HS_DB_TEXT;
		col[i].s = b[i];
		col[i].cap = sizeof(b[i]);
	}
	col[0].type = col[4].type = col[6].type = col[7].type =
	    col[9].type = HS_DB_INT;
	if ((e = hs_db_row(c->db, STMT_SURVEY_GET, p, 1,
	    col, 13, &have)) != HS_OK)
		goto out;
	if (!have) {
		e = HS_ENOTFOUND;
		goto out;
	}
	s->id = col[0].i;
	colcpy(s->slug, sizeof(s->slug), &col[1]);
	colcpy(s->question, sizeof(s->question), &col[2]);
	colcpy(s->help, sizeof(s->help), &col[3]);
	s->multi = col[4].i != 0;
	s->shuffle = strcmp(b[5], "none") == 0 ? SHUFFLE_NONE :
	    strcmp(b[5], "all") == 0 ? SHUFFLE_ALL : SHUFFLE_UNPINNED;
	s->ask_code = col[6].i != 0;
	s->allow_unsigned = col[7].i != 0;
	colcpy(s->return_url, sizeof(s->return_url), &col[8]);
	s->version = col[9].i;
	colcpy(s->new_link, sizeof(s->new_link), &col[10]);
	colcpy(s->consent_text, sizeof(s->consent_text), &col[11]);
	colcpy(s->lang, sizeof(s->lang), &col[12]);

	if ((e = load_options(c, s)) != HS_OK)
		goto out;
	s->loaded = time(NULL);
	*sp = s;
	s = NULL;
out:
	free(s);
	return e;
}

/*
 * Finds survey slug: from the cache while fresh, else from MariaDB; a
 * stale copy is still used when MariaDB cannot be reached, so answers
 * keep being taken (and journalled) through a short outage.
 * Returns HS_OK with *sp (owned by the cache, valid until the next
 * call), HS_ENOTFOUND, or HS_EAGAIN/HS_EDB/HS_ENOMEM.
 */
enum hs_err
survey_get(struct survey_ctx *c, const char *slug, const struct survey **sp)
{
	struct survey	*s;
	long		 i, match = -1, empty = -1, old = -1;
	time_t		 now = time(NULL);
	enum hs_err	 e;

	*sp = NULL;
	for (i = 0; i < SURVEY_MAX_CACHED; i++) {
		if (c->cache[i] == NULL) {
			if (empty == -1)
				empty = i;
		} else if (strcmp(c->cache[i]->slug, slug) == 0)
			match = i;
		else if (old == -1 || c->cache[i]->loaded <
		    c->cache[old]->loaded)
			old = i;
	}
	if (match != -1 && now - c->cache[match]->loaded < SURVEY_CACHE_SECS) {
		*sp = c->cache[match];
		return HS_OK;
	}
	if ((e = load(c, slug, &s)) != HS_OK) {
		if (e == HS_EAGAIN && match != -1) {
			*sp = c->cache[match];
			return HS_OK;
		}
		if (e == HS_ENOTFOUND && match != -1) {
			free(c->cache[match]);
			c->cache[match] = NULL;
		}
		return e;
	}
	i = match != -1 ? match : empty != -1 ? empty : old;
	free(c->cache[i]);
	c->cache[i] = s;
	*sp = s;
	return HS_OK;
}

/* The option of survey s with key, or NULL. */
const struct sopt *
survey_opt(const struct survey *s, const char *key)
{
	size_t	 i;

	for (i = 0; i < s->nopts; i++)
		if (strcmp(s->opts[i].key, key) == 0)
			return &s->opts[i];
	return NULL;
}

/*
 * Today's salt, made by the first worker that needs it and cached for
 * the day.  Returns 1 with c->salt set, 0 when it cannot be had.
 */
static int
salt_today(struct survey_ctx *c)
{
	unsigned char		 fresh[32];
	struct hs_dbparam	 p[1] = { HS_DBP_BLOB(fresh, sizeof(fresh)) };
	char			 day[16], salt[40], today[16];
	struct hs_dbcol		 col[2] = {
		{ HS_DB_TEXT, 0, day, sizeof(day), 0, 0, 0 },
		{ HS_DB_BLOB, 0, salt, sizeof(salt), 0, 0, 0 } };
	time_t			 now = time(NULL);
	struct tm		 tm;
	int			 have = 0;

	(void)gmtime_r(&now, &tm);
	(void)strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	if (strcmp(c->salt_day, today) == 0)
		return 1;
	hs_rand_bytes(fresh, sizeof(fresh));
	if (hs_db_exec(c->db, STMT_SALT_PUT, p, 1, NULL) != HS_OK)
		return 0;
	if (hs_db_query(c->db, STMT_SALT_GET, NULL, 0, col, 2) != HS_OK)
		return 0;
	if (hs_db_fetch(c->db, STMT_SALT_GET, &have) != HS_OK)
		have = 0;
	hs_db_end(c->db, STMT_SALT_GET);
	if (!have || col[1].len != 32)
		return 0;
	memcpy(c->salt, salt, 32);
	(void)snprintf(c->salt_day, sizeof(c->salt_day), "%s", day);
	return 1;
}

/*
 * The pseudonymous client hash of the request into out, or "" under
 * Sec-GPC or DNT, for an address that is not an IP, or without a salt.
 */
void
survey_client(struct survey_ctx *c, const struct hs_req *r, char out[65])
{
	char	 prefix[64];

	out[0] = '\0';
	if (r->gpc || r->remote_addr == NULL ||
	    hs_client_prefix(r->remote_addr, prefix, sizeof(prefix)) != HS_OK)
		return;
	if (!salt_today(c))
		return;
	hs_client_hash(c->salt, prefix, out);
}

/* Frees the caches (at worker exit, so leak checkers stay quiet). */
void
survey_cache_free(struct survey_ctx *c)
{
	size_t	 i;

	for (i = 0; i < SURVEY_MAX_CACHED; i++) {
		free(c->cache[i]);
		c->cache[i] = NULL;
	}
}
