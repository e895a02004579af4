/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * manage_campaign.c: campaigns, as save_unit checks and stores them:
 * their destinations on their allowed hosts, every link of theirs still
 * allowed when the hosts change, and their share texts.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "hearsay.h"
#include "report.h"
#include "manage.h"

enum hs_err
camp_get(struct hs_db *db, const char *slug, struct camp *c, int *have)
{
	struct hs_dbparam p[1] = { HS_DBP_TEXT(slug) };
	struct hs_dbcol	 col[6] = { HS_DBC_INT, HS_DBC_TEXT(c->name),
			    HS_DBC_TEXT(c->hosts), HS_DBC_TEXT(c->dest),
			    HS_DBC_TEXT(c->fallback), HS_DBC_INT };
	enum hs_err	 e;

	if ((e = hs_db_row(db, M_CAMP_GET, p, 1, col, 6, have)) == HS_OK)
		c->id = col[0].i;
	return e;
}

#define NAMED_MAX	10	/* links named in a refusal */

/*
 * A campaign's hosts changed: every link of it must still be allowed
 * where it points (hs_dest_valid, the check hearsay-link makes again
 * before each redirect), disabled links too, since re-enabling one
 * would otherwise give a link that answers nothing.  Refuses the hosts
 * field naming the links that would be left outside.
 */
static enum hs_err
hosts_cover(struct hs_db *db, struct change *ch)
{
	static char	 why[NAMED_MAX * (HS_CODE_MAX + 2) + 256];
	static char	 dest[HS_DEST_MAX + 1], fb[HS_DEST_MAX + 1];
	char		 code[HS_CODE_MAX + 1];
	const char	*hosts = ch->f->v[2];
	struct hs_dbparam p[1] = { HS_DBP_TEXT(ch->key) };
	struct hs_dbcol	 c[3] = { HS_DBC_TEXT(code), HS_DBC_TEXT(dest),
			    HS_DBC_TEXT(fb) };
	struct hs_buf	 names;
	enum hs_err	 e;
	size_t		 n = 0;
	int		 have;

	hs_buf_init(&names, sizeof(why));
	if ((e = hs_db_query(db, M_CAMP_LINKS, p, 1, c, 3)) != HS_OK)
		goto out;
	while ((e = hs_db_fetch(db, M_CAMP_LINKS, &have)) == HS_OK && have) {
		if (hs_dest_valid(dest, hosts, NULL) &&
		    (fb[0] == '\0' || hs_dest_valid(fb, hosts, NULL)))
			continue;
		if (n++ < NAMED_MAX)
			rpt_ignore(hs_buf_printf(&names, "%s%s",
			    n > 1 ? ", " : "", code));
	}
	hs_db_end(db, M_CAMP_LINKS);
	if (e != HS_OK || n == 0)
		goto out;
	(void)snprintf(why, sizeof(why), "%zu link%s would point outside "
	    "these hosts: %s%s. Change %s destination first, or keep its "
	    "host.", n, n == 1 ? "" : "s", hs_buf_str(&names),
	    n > NAMED_MAX ? " and more" : "", n == 1 ? "its" : "their");
	e = manage_refuse(ch, 2, why);
out:
	hs_buf_free(&names);
	return e;
}

/* The campaign's share texts from its form: set, or removed if empty. */
static enum hs_err
share_save(struct hs_db *db, const struct mform *f)
{
	static const char *const sk[3] = { "email", "chat", "social" };
	struct hs_dbparam p[4];
	enum hs_err	 e = HS_OK;
	size_t		 i;

	for (i = 0; i < 3 && e == HS_OK; i++) {
		if (f->v[6 + i][0] == '\0') {
			p[0] = manage_ptext(f->v[0]);
			p[1] = manage_ptext(sk[i]);
			e = hs_db_exec(db, M_SHARE_DEL, p, 2, NULL);
			continue;
		}
		p[0] = manage_ptext(sk[i]);
		p[1] = manage_ptext(i == 0 ? f->v[5] : "");
		p[2] = manage_ptext(f->v[6 + i]);
		p[3] = manage_ptext(f->v[0]);
		e = hs_db_exec(db, M_SHARE_SET, p, 4, NULL);
	}
	return e;
}

/* A campaign's destinations: the same check as the command line's. */
enum hs_err
camp_check(struct hs_db *db, struct change *ch, int exists)
{
	struct mform	*f = ch->f;
	const char	*why;

	if (!hs_dest_valid(f->v[3], f->v[2], &why))
		return manage_refuse(ch, 3, why);
	if (f->v[4][0] != '\0' && !hs_dest_valid(f->v[4], f->v[2], &why))
		return manage_refuse(ch, 4, why);
	if (exists)
		return hosts_cover(db, ch);
	return HS_OK;
}

/* A campaign created or edited, with its share texts. */
enum hs_err
camp_store(struct hs_db *db, struct change *ch, int exists)
{
	struct mform	*f = ch->f;
	struct hs_dbparam p[5];
	enum hs_err	 e;
	size_t		 i;

	if (exists) {
		for (i = 0; i < 4; i++)
			p[i] = manage_ptext(f->v[i + 1]);
		p[4] = manage_ptext(f->v[0]);
		e = hs_db_exec(db, M_CAMP_SET, p, 5, NULL);
	} else {
		for (i = 0; i < 5; i++)
			p[i] = manage_ptext(f->v[i]);
		e = hs_db_exec(db, M_CAMP_ADD, p, 5, NULL);
	}
	if (e == HS_OK)
		e = share_save(db, f);
	return e;
}
