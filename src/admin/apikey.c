/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * apikey.c: hearsay-admin's API keys for hearsay-survey's JSON API.
 *
 *	apikey create NAME [--scope LIST] [--survey SLUG ...]
 *	apikey list | revoke ID
 *
 * A key is printed once; only its SHA-256 is kept.
 */
#include "config.h"

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "hearsay.h"
#include "admin.h"

#define APIKEY_BYTES		24	/* random bytes in an API key */
/* A new key's scope: what an app that draws its own form needs. */
#define APIKEY_SCOPE_DEFAULT	"read,answers"
#define APIKEY_SCOPE_MAX	32	/* bytes of a canonical scope list */
#define APIKEY_SURVEYS_SHOWN	1024	/* slugs' bytes, apikey list */

enum kstmt {
	S_SURVEY_ID,
	S_KEY_PUT,
	S_KEY_SURVEY_PUT,
	S_KEY_LIST,
	S_KEY_REVOKE,
	S__MAX
};

static const char *const sqls[S__MAX] = {
	/* S_SURVEY_ID */
	"SELECT id, version FROM surveys WHERE slug = ?",
	/*
	 * S_KEY_PUT: scopes and surveys are sql/095's.  A unit replayed
	 * after a COMMIT whose answer was lost finds its own row again.
	 */
	"INSERT INTO api_keys (name, key_hash, scopes, all_surveys) "
	    "VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE "
	    "id = LAST_INSERT_ID(id)",
	/* S_KEY_SURVEY_PUT: key id, slug (checked to exist before). */
	"INSERT IGNORE INTO api_key_surveys (api_key_id, survey_id) "
	    "SELECT ?, id FROM surveys WHERE slug = ?",
	/* S_KEY_LIST: "*" for every survey, "-" for none. */
	"SELECT k.id, k.name, k.revoked, "
	    "DATE_FORMAT(k.created_at, '%Y-%m-%d %H:%i:%s'), "
	    "IF(k.scopes = '', '-', k.scopes), IF(k.all_surveys, '*', "
	    "COALESCE((SELECT GROUP_CONCAT(s.slug ORDER BY s.slug) FROM "
	    "api_key_surveys ks JOIN surveys s ON s.id = ks.survey_id "
	    "WHERE ks.api_key_id = k.id), '-')) FROM api_keys k "
	    "ORDER BY k.id",
	/* S_KEY_REVOKE */
	"UPDATE api_keys SET revoked = 1 WHERE id = ?",
};

/* What a key may do (sql/095's SET, in its order). */
static const char *const kscopes[] = { "read", "answers", "signups",
    "activity" };
#define NSCOPES	(sizeof(kscopes) / sizeof(kscopes[0]))

/*
 * A comma-separated list of kscopes into out, canonical (the SET's
 * order, each once).  Returns 0, or -1 for an unknown or empty item.
 */
static int
scope_parse(const char *list, char out[APIKEY_SCOPE_MAX])
{
	int		 want[NSCOPES];
	const char	*p = list, *q;
	size_t		 i, n, len = 0;

	memset(want, 0, sizeof(want));
	for (;;) {
		q = strchr(p, ',');
		n = q != NULL ? (size_t)(q - p) : strlen(p);
		for (i = 0; i < NSCOPES; i++)
			if (strlen(kscopes[i]) == n &&
			    strncmp(p, kscopes[i], n) == 0)
				break;
		if (i == NSCOPES)
			return -1;
		want[i] = 1;
		if (q == NULL)
			break;
		p = q + 1;
	}
	out[0] = '\0';
	for (i = 0; i < NSCOPES; i++)
		if (want[i])
			len += snprintf(out + len, APIKEY_SCOPE_MAX - len,
			    "%s%s", len > 0 ? "," : "", kscopes[i]);
	return 0;
}

/* A key to create, for key_unit. */
struct keynew {
	const char		*name;
	const char		*hash;		/* SHA-256 hex */
	const char		*scopes;	/* canonical */
	const char		**slugs;	/* its surveys; none: all */
	size_t			 nslugs;
	unsigned long long	 id;		/* out */
};

/* The unit that stores a key and its surveys, all or nothing. */
static enum hs_err
key_unit(struct hs_db *db, void *arg)
{
	struct keynew		*k = arg;
	struct hs_dbparam	 p[4] = { HS_DBP_TEXT(k->name),
				    HS_DBP_TEXT(k->hash),
				    HS_DBP_TEXT(k->scopes),
				    HS_DBP_INT(k->nslugs == 0) };
	enum hs_err		 e;
	size_t			 i;

	if ((e = hs_db_exec(db, S_KEY_PUT, p, 4, NULL)) != HS_OK)
		return e;
	k->id = hs_db_insert_id(db, S_KEY_PUT);
	for (i = 0; i < k->nslugs; i++) {
		p[0] = (struct hs_dbparam)HS_DBP_INT((long long)k->id);
		p[1] = (struct hs_dbparam)HS_DBP_TEXT(k->slugs[i]);
		if ((e = hs_db_exec(db, S_KEY_SURVEY_PUT, p, 2, NULL)) !=
		    HS_OK)
			return e;
	}
	return HS_OK;
}

/*
 * apikey create NAME [--scope LIST] [--survey SLUG ...]: prints the key
 * once; only its SHA-256 is kept.  LIST is read, answers and signups,
 * comma-separated (read,answers by default); without --survey, read and
 * answers cover every survey, present and to come.  Returns ADM_OK or
 * ADM_FAIL, or -1 for a usage error (adm_apikey prints the usage).
 */
static int
apikey_create(struct adm *a, const struct adm_args *args)
{
	struct hs_db		*db;
	struct keynew		 k;
	unsigned char		 raw[APIKEY_BYTES], h[crypto_hash_sha256_BYTES];
	char			 key[4 + 2 * APIKEY_BYTES + 1];
	char			 hex[2 * sizeof(h) + 1];
	char			 scopes[APIKEY_SCOPE_MAX];
	const char		*list = adm_arg(args, "scope"), *v;
	const char		*slugs[ADM_ARGS_MAX];
	struct hs_dbparam	 p[1];
	struct hs_dbcol		 col[2] = { HS_DBC_INT, HS_DBC_INT };
	size_t			 i = 0, j;
	int			 have, rc = ADM_FAIL;

	memset(&k, 0, sizeof(k));
	k.slugs = slugs;
	while ((v = adm_arg_next(args, "survey", &i)) != NULL) {
		if (*v == '\0')
			return ADM_SHOW_USAGE;
		k.slugs[k.nslugs++] = v;
	}
	k.name = args->pos[0];
	if (*k.name == '\0' || strlen(k.name) > 100)
		return ADM_SHOW_USAGE;
	if (scope_parse(list != NULL ? list : APIKEY_SCOPE_DEFAULT,
	    scopes) != 0) {
		warnx("--scope: a comma-separated list of read, answers, "
		    "signups");
		return ADM_SHOW_USAGE;
	}
	db = adm_open(a, sqls, S__MAX);
	/* An unknown slug refuses the key, rather than confine it less. */
	for (j = 0; j < k.nslugs; j++) {
		p[0] = (struct hs_dbparam)HS_DBP_TEXT(k.slugs[j]);
		if (hs_db_row(db, S_SURVEY_ID, p, 1, col, 2, &have) != HS_OK)
			goto out;
		if (!have) {
			warnx("no survey %s: no key created", k.slugs[j]);
			goto out;
		}
	}
	hs_rand_bytes(raw, sizeof(raw));
	memcpy(key, "hsk_", 4);
	hs_hex(raw, sizeof(raw), key + 4);
	crypto_hash_sha256(h, (unsigned char *)key, strlen(key));
	hs_hex(h, sizeof(h), hex);
	k.hash = hex;
	k.scopes = scopes;
	if (hs_db_unit(db, key_unit, &k) != HS_OK) {
		warnx("no key created");
		goto out;
	}
	printf("%s\n", key);
	fprintf(stderr, "api key %s created (id %llu), scope %s on %s; it "
	    "is shown only now\n", k.name, k.id, scopes[0] != '\0' ? scopes :
	    "nothing", k.nslugs > 0 ? "the surveys named" : "every survey");
	rc = ADM_OK;
out:
	sodium_memzero(key, sizeof(key));
	hs_db_close(db);
	return rc;
}

/* apikey list: the keys, never the keys themselves. */
static int
apikey_list(struct adm *a, const struct adm_args *args)
{
	struct hs_db		*db;
	char			 name[101], when[32];
	char			 scopes[APIKEY_SCOPE_MAX];
	char			 surveys[APIKEY_SURVEYS_SHOWN + 1];
	struct hs_dbcol		 col[6] = { HS_DBC_INT,
				    HS_DBC_TEXT(name), HS_DBC_INT,
				    HS_DBC_TEXT(when), HS_DBC_TEXT(scopes),
				    HS_DBC_TEXT(surveys) };
	int			 have, rc = ADM_FAIL;

	db = adm_open(a, sqls, S__MAX);
	if (hs_db_query(db, S_KEY_LIST, NULL, 0, col, 6) == HS_OK) {
		printf("%-6s %-30s %-8s %-19s %-20s %s\n", "ID", "NAME",
		    "REVOKED", "CREATED", "SCOPES", "SURVEYS");
		while (hs_db_fetch(db, S_KEY_LIST, &have) == HS_OK && have)
			printf("%-6lld %-30s %-8s %-19s %-20s %s\n",
			    col[0].i, name, col[2].i ? "yes" : "no", when,
			    scopes, surveys);
		hs_db_end(db, S_KEY_LIST);
		rc = ADM_OK;
	}
	hs_db_close(db);
	return rc;
}

static int
apikey_revoke(struct adm *a, const struct adm_args *args)
{
	struct hs_db		*db;
	struct hs_dbparam	 p[1];
	unsigned long long	 n = 0;
	int			 rc = ADM_FAIL;

	p[0] = (struct hs_dbparam)HS_DBP_INT(adm_id(args->pos[0]));
	if (p[0].i == 0)
		return ADM_SHOW_USAGE;
	db = adm_open(a, sqls, S__MAX);
	if (hs_db_exec(db, S_KEY_REVOKE, p, 1, &n) == HS_OK) {
		if (n == 0)
			warnx("no api key %lld (or already revoked)", p[0].i);
		else
			printf("api key %lld revoked\n", p[0].i);
		rc = n == 0 ? ADM_FAIL : ADM_OK;
	}
	hs_db_close(db);
	return rc;
}

static const struct adm_opt apikey_opts[] = {
	{ "scope", 0 }, { "survey", ADM_REPEAT }, { NULL, 0 }
};

const struct adm_sub adm_apikey_subs[] = {
	{ "create", apikey_create, 1, 1, apikey_opts, "create NAME "
	    "[--scope read,answers,signups] [--survey SLUG ...]" },
	{ "list", apikey_list, 0, 0, NULL, "list" },
	{ "revoke", apikey_revoke, 1, 1, NULL, "revoke ID" },
	{ NULL, NULL, 0, 0, NULL, NULL }
};
