/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * links_link.c: hearsay-admin's link commands: create, list, show,
 * disable, import and export.  Every destination and fallback URL is
 * checked when it is stored with hs_dest_valid, the function
 * hearsay-link checks it with again before each redirect.  Codes are
 * canonical Crockford base32 in the database and printed grouped.
 */
#include "config.h"

#include <err.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <sodium.h>

#include "hearsay.h"
#include "admin.h"
#include "links.h"

#define CODE_TRIES	8	/* random codes tried before giving up */


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
	if (nl->campaign == NULL || lk_camp_get(db, nl->campaign, &r->c) != 1) {
		warnx("link: --campaign must name an existing campaign");
		return -1;
	}
	if (nl->advocate != NULL && *nl->advocate != '\0' &&
	    (r->adv = lk_lookup(db, STMT_ADV_ID, nl->advocate)) <= 0) {
		warnx("link: no advocate %s", nl->advocate);
		return -1;
	}
	if (nl->event != NULL && *nl->event != '\0' &&
	    (r->ev = lk_lookup(db, STMT_EVENT_GET, nl->event)) <= 0) {
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
		    !lk_text_ok(nl->utm[i], UTM_MAX)) {
			warnx("link: utm values: text up to %d bytes",
			    UTM_MAX);
			return -1;
		}
	if ((nl->channel != NULL && *nl->channel != '\0' &&
	    !lk_slug_ok(nl->channel)) || (nl->label != NULL &&
	    *nl->label != '\0' && !lk_text_ok(nl->label, 200))) {
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
		p[0] = lk_ptext(r->code);
		p[1] = (struct hs_dbparam)HS_DBP_INT(r->c.id);
		p[2] = (struct hs_dbparam)HS_DBP_INT(r->adv);
		if (r->adv == 0)
			p[2] = (struct hs_dbparam)HS_DBP_NULL;
		p[3] = (struct hs_dbparam)HS_DBP_INT(r->ev);
		if (r->ev == 0)
			p[3] = (struct hs_dbparam)HS_DBP_NULL;
		p[4] = lk_ptext(nl->channel);
		p[5] = lk_ptext(nl->label);
		p[6] = lk_ptext(r->dest);
		for (i = 0; i < 5; i++)
			p[7 + i] = lk_ptext(nl->utm[i]);
		p[12] = lk_ptext(nl->valid_from);
		p[13] = lk_ptext(nl->valid_until);
		p[14] = lk_ptext(nl->fallback);
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
int
lk_link_create(struct adm *a, struct hs_db *db, const struct newlink *nl,
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
	lk_links_moved(db);
	if (hs_code_group(r.code, grouped, sizeof(grouped)) != HS_OK)
		return ADM_FAIL;
	printf("%s\t%s/i/%s\n", grouped, a->conf.base_url, grouped);
	return ADM_OK;
}

static const char *const link_heads[LINK_NCOLS] = { "code", "campaign",
    "advocate", "event", "channel", "label", "destination", "utm_source",
    "utm_medium", "utm_campaign", "utm_content", "utm_term", "valid_from",
    "valid_until", "fallback_url", "disabled", "id" };

/*
 * The text fields of a link: the CSV column of "link import" and
 * "link export" and the option of "link create" that set each.
 */
static const struct nlfield {
	const char	*col;		/* CSV column */
	const char	*opt;		/* option, without "--" */
	size_t		 off;		/* the const char * in struct newlink */
} nlfields[] = {
	{ "campaign", "campaign", offsetof(struct newlink, campaign) },
	{ "code", "code", offsetof(struct newlink, code) },
	{ "advocate", "advocate", offsetof(struct newlink, advocate) },
	{ "event", "event", offsetof(struct newlink, event) },
	{ "channel", "channel", offsetof(struct newlink, channel) },
	{ "label", "label", offsetof(struct newlink, label) },
	{ "destination", "dest", offsetof(struct newlink, dest) },
	{ "utm_source", "utm-source", offsetof(struct newlink, utm[0]) },
	{ "utm_medium", "utm-medium", offsetof(struct newlink, utm[1]) },
	{ "utm_campaign", "utm-campaign", offsetof(struct newlink, utm[2]) },
	{ "utm_content", "utm-content", offsetof(struct newlink, utm[3]) },
	{ "utm_term", "utm-term", offsetof(struct newlink, utm[4]) },
	{ "valid_from", "valid-from", offsetof(struct newlink, valid_from) },
	{ "valid_until", "valid-until",
	    offsetof(struct newlink, valid_until) },
	{ "fallback_url", "fallback", offsetof(struct newlink, fallback) },
};
#define NLFIELDS	(sizeof(nlfields) / sizeof(nlfields[0]))

/* Where field f of nl is stored. */
static const char **
nlslot(struct newlink *nl, const struct nlfield *f)
{

	return (const char **)(void *)((char *)nl + f->off);
}

/* One link row, created exactly as "link create" would. */
static int
link_row(struct adm *a, struct hs_db *db, const struct csvrow *r)
{
	struct newlink	 nl;
	const char	*d;
	size_t		 i;

	memset(&nl, 0, sizeof(nl));
	for (i = 0; i < NLFIELDS; i++)
		*nlslot(&nl, &nlfields[i]) = lk_rcell(r, nlfields[i].col);
	d = lk_rcell(r, "disabled");
	nl.disabled = d != NULL && strcmp(d, "1") == 0;
	return lk_link_create(a, db, &nl, 0);
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
	p[0] = lk_ptext(code);
	if (lk_print_rows(db, STMT_LINK_GET, p, 1, LINK_NCOLS, link_heads, 1) <
	    1) {
		warnx("no link %s", g);
		return ADM_FAIL;
	}
	printf("%-13s %s/i/%s\n", "url", a->conf.base_url, g);
	if ((id = lk_lookup(db, STMT_LINK_ID, code)) <= 0)
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
	struct hs_db	*db;
	struct newlink	 nl;
	size_t		 i;
	int		 rc;

	memset(&nl, 0, sizeof(nl));
	for (i = 0; i < NLFIELDS; i++)
		*nlslot(&nl, &nlfields[i]) = adm_arg(args, nlfields[i].opt);
	db = adm_open(a, lk_sqls, STMT__MAX);
	rc = lk_link_create(a, db, &nl, 0);
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

	p[0] = lk_ptext(adm_arg(args, "campaign"));
	p[1] = p[0];
	db = adm_open(a, lk_sqls, STMT__MAX);
	if (!csv)
		rc = lk_print_rows(db, STMT_LINK_LIST, p, 2, LINK_NCOLS,
		    link_heads, 0) < 0 ? ADM_FAIL : ADM_OK;
	else
		rc = lk_csv_export(db, STMT_LINK_LIST, p, 2, LINK_NCOLS,
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

	db = adm_open(a, lk_sqls, STMT__MAX);
	rc = link_show(a, db, args->pos[0]);
	hs_db_close(db);
	return rc;
}

static int
link_disable(struct adm *a, const struct adm_args *args)
{
	static const struct lk_off off = { STMT_LINK_DISABLE, "link",
	    "disabled: it goes to its fallback; its clicks are kept",
	    "disabled", 1 };
	char		 code[HS_CODE_MAX + 1];

	if (hs_code_canon(args->pos[0], code, sizeof(code)) != HS_OK) {
		warnx("%s: not a code", args->pos[0]);
		return ADM_FAIL;
	}
	return lk_disable(a, &off, code, args->pos[0]);
}

/* link import FILE.csv */
static int
link_import_cmd(struct adm *a, const struct adm_args *args)
{

	return lk_csv_import(a, args->pos[0], "campaign", "campaign, code, "
	    "advocate, destination, ...", "links", link_row);
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
