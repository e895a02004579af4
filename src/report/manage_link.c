/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * manage_link.c: links and the advocates they belong to, as save_unit
 * checks and stores them: a link's campaign, advocate and destinations
 * (hs_dest_valid, as the command line and hearsay-link), and its code,
 * vanity or drawn at random.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "hearsay.h"
#include "report.h"
#include "manage.h"

#define CODE_TRIES	8	/* random codes drawn before giving up */

/* An advocate created or edited. */
enum hs_err
adv_store(struct hs_db *db, struct change *ch, int exists)
{
	struct mform	*f = ch->f;
	struct hs_dbparam p[6];

	p[0] = manage_ptext(f->v[1]);
	p[1] = manage_ptext(f->v[2]);
	p[2] = manage_ptext(f->v[3]);
	p[3] = manage_ptext(f->v[4]);
	p[4] = (struct hs_dbparam)HS_DBP_INT(f->v[5][0] != '\0');
	p[5] = manage_ptext(f->v[0]);
	if (exists)
		return hs_db_exec(db, M_ADV_SET, p, 6, NULL);
	memmove(p + 1, p, 5 * sizeof(p[0]));
	p[0] = manage_ptext(f->v[0]);
	return hs_db_exec(db, M_ADV_ADD, p, 6, NULL);
}

/*
 * The id of the advocate whose handle is field i of the change's form,
 * into *id; the field refused when there is none.
 */
enum hs_err
adv_id(struct hs_db *db, struct change *ch, int i, long long *id)
{
	struct hs_dbparam p[1] = { HS_DBP_TEXT(ch->f->v[i]) };
	struct hs_dbcol	 col = HS_DBC_INT;
	enum hs_err	 e;
	int		 have = 0;

	if ((e = hs_db_row(db, M_ADV_ID, p, 1, &col, 1, &have)) != HS_OK)
		return e;
	if (!have)
		return manage_refuse(ch, i, "There is no advocate with this "
		    "handle.");
	*id = col.i;
	return HS_OK;
}

/*
 * A link's campaign, advocate and destinations (the same check as the
 * command line's) into lk.
 */
enum hs_err
link_check(struct hs_db *db, struct change *ch, struct linkto *lk)
{
	struct mform	*f = ch->f;
	const char	*why;
	enum hs_err	 e;
	int		 have = 0;

	lk->adv = 0;
	if ((e = camp_get(db, f->v[1], &lk->c, &have)) != HS_OK)
		return e;
	if (!have)
		return manage_refuse(ch, 1, "There is no such campaign.");
	if (f->v[2][0] != '\0' && (e = adv_id(db, ch, 2, &lk->adv)) != HS_OK)
		return e;
	lk->dest = f->v[5][0] != '\0' ? f->v[5] : lk->c.dest;
	if (!hs_dest_valid(lk->dest, lk->c.hosts, &why))
		return manage_refuse(ch, 5, why);
	if (f->v[12][0] != '\0' &&
	    !hs_dest_valid(f->v[12], lk->c.hosts, &why))
		return manage_refuse(ch, 12, why);
	return HS_OK;
}

/*
 * A link created or edited; a new one without a code gets a random one,
 * drawn again if it is taken.
 */
enum hs_err
link_store(struct hs_db *db, struct change *ch, int exists,
    const struct linkto *lk)
{
	struct mform	*f = ch->f;
	struct hs_dbparam p[13];
	char		 code[HS_CODE_MAX + 1];
	enum hs_err	 e = HS_OK;
	size_t		 i;
	int		 tries;

	p[exists ? 0 : 2] = lk->adv != 0 ?
	    (struct hs_dbparam)HS_DBP_INT(lk->adv) :
	    (struct hs_dbparam)HS_DBP_NULL;
	if (exists) {
		p[1] = manage_ptext(f->v[3]);
		p[2] = manage_ptext(f->v[4]);
		p[3] = manage_ptext(lk->dest);
		for (i = 0; i < 7; i++)
			p[4 + i] = manage_ptext(f->v[6 + i]);
		p[11] = manage_ptext(ch->key);
		e = hs_db_exec(db, M_LINK_SET, p, 12, NULL);
	} else {
		p[1] = (struct hs_dbparam)HS_DBP_INT(lk->c.id);
		p[3] = manage_ptext(f->v[3]);
		p[4] = manage_ptext(f->v[4]);
		p[5] = manage_ptext(lk->dest);
		for (i = 0; i < 7; i++)
			p[6 + i] = manage_ptext(f->v[6 + i]);
		for (tries = 0; tries < CODE_TRIES; tries++) {
			if (f->v[0][0] == '\0') {
				if ((e = hs_code_new(code, HS_CODE_LEN + 1)) !=
				    HS_OK)
					return e;
				(void)snprintf(ch->key, sizeof(ch->key), "%s",
				    code);
			}
			p[0] = manage_ptext(ch->key);
			e = hs_db_exec(db, M_LINK_ADD, p, 13, NULL);
			if (e != HS_EDUP || f->v[0][0] != '\0')
				break;
		}
	}
	if (e == HS_EDB)
		return manage_refuse(ch, 11, "The database refused this date.");
	return e;
}
