/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * manage_change.c: one change of the manage page, as the unit it runs
 * in.  It first inserts its audit row (who, what, the object before,
 * sql/130) keyed by the form's random nonce, then changes the object,
 * then writes the object after into the same row: a form sent twice
 * meets the nonce's unique key and changes nothing.  save_unit creates
 * or edits an object of any kind (each kind's checks and store in its
 * own file), able_unit disables or re-enables one.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "hearsay.h"
#include "report.h"
#include "manage.h"

struct hs_dbparam
manage_ptext(const char *s)
{
	struct hs_dbparam p = HS_DBP_TEXT(s);

	return p;
}

/*
 * The object's audit text into ch->text ("" when it does not exist).
 * Returns HS_OK or a database error.
 */
enum hs_err
manage_describe(struct hs_db *db, struct change *ch, int *have)
{
	static const size_t st[K__MAX] = { M_CAMP_DESC, M_ADV_DESC,
	    M_LINK_DESC, M_EV_DESC };
	struct hs_dbparam p[1] = { HS_DBP_TEXT(ch->key) };
	struct hs_dbcol	 c[1] = { HS_DBC_TEXT(ch->text) };

	ch->text[0] = '\0';
	return hs_db_row(db, st[ch->f->kind], p, 1, c, 1, have);
}

/*
 * Sets ch->replay when the form's nonce was used by a change already
 * (the form sent twice, one after the other; two at once meet the
 * unique key in audit_begin instead).
 */
enum hs_err
manage_seen(struct hs_db *db, struct change *ch)
{
	struct hs_dbparam p[1] = { HS_DBP_TEXT(ch->nonce) };
	struct hs_dbcol	 c[1] = { HS_DBC_INT };
	enum hs_err	 e;
	int		 have = 0;

	if (ch->nonce == NULL)		/* a row of an import */
		return HS_OK;
	if ((e = hs_db_row(db, M_NONCE, p, 1, c, 1, &have)) != HS_OK)
		return e;
	if (have && c[0].i > 0) {
		ch->replay = 1;
		return HS_EDUP;
	}
	return HS_OK;
}

/* Inserts the audit row with the object as it is before the change. */
enum hs_err
audit_begin(struct hs_db *db, struct change *ch, int exists)
{
	char		 action[40];
	struct hs_dbparam p[5];
	enum hs_err	 e;

	(void)snprintf(action, sizeof(action), "%s.%s",
	    manage_kinds[ch->f->kind], strcmp(ch->op, "save") != 0 ? ch->op :
	    exists ? "edit" : "create");
	p[0] = manage_ptext(ch->s->name);
	p[1] = manage_ptext(action);
	p[2] = manage_ptext(ch->key);
	p[3] = exists ? manage_ptext(ch->text) : (struct hs_dbparam)HS_DBP_NULL;
	p[4] = ch->nonce != NULL ? manage_ptext(ch->nonce) :
	    (struct hs_dbparam)HS_DBP_NULL;
	if ((e = hs_db_exec(db, M_AUDIT_ADD, p, 5, NULL)) == HS_EDUP)
		ch->replay = 1;
	ch->audit = (long long)hs_db_insert_id(db, M_AUDIT_ADD);
	return e;
}

/*
 * The start of a change to an object that must exist: not a replay
 * (seen), the object read as it is (HS_ENOTFOUND, ch->missing, when it
 * is gone), and the audit row opened with it.
 */
enum hs_err
existing_begin(struct hs_db *db, struct change *ch)
{
	enum hs_err	 e;
	int		 have = 0;

	if ((e = manage_seen(db, ch)) != HS_OK ||
	    (e = manage_describe(db, ch, &have)) != HS_OK)
		return e;
	if (!have) {
		ch->missing = 1;
		return HS_ENOTFOUND;
	}
	return audit_begin(db, ch, 1);
}

/* Writes the object as it is after the change into the audit row. */
enum hs_err
audit_end(struct hs_db *db, struct change *ch)
{
	struct hs_dbparam p[2];
	enum hs_err	 e;
	int		 have = 0;

	if ((e = manage_describe(db, ch, &have)) != HS_OK)
		return e;
	p[0] = manage_ptext(ch->text);
	p[1] = (struct hs_dbparam)HS_DBP_INT(ch->audit);
	return hs_db_exec(db, M_AUDIT_AFTER, p, 2, NULL);
}

/* Refuses field i of the change's form: HS_EINVAL. */
enum hs_err
manage_refuse(struct change *ch, int i, const char *why)
{

	ch->f->bad = i;
	ch->f->why = why;
	return HS_EINVAL;
}

/*
 * The start of a save: not a replay (seen), the key (a link's code made
 * canonical), and the object there (*exists) when the form edits one,
 * or not there when it creates one.
 */
static enum hs_err
save_begin(struct hs_db *db, struct change *ch, int *exists)
{
	struct mform	*f = ch->f;
	char		 code[HS_CODE_MAX + 1];
	enum hs_err	 e;

	ch->replay = ch->taken = ch->missing = 0;
	if ((e = manage_seen(db, ch)) != HS_OK)
		return e;
	(void)snprintf(ch->key, sizeof(ch->key), "%s", f->v[0]);
	if (f->kind == K_LINK && f->v[0][0] != '\0') {
		if (hs_code_canon(f->v[0], code, sizeof(code)) != HS_OK)
			return manage_refuse(ch, 0, "4 to 32 of 0-9 A-Z "
			    "without I L O U (hyphens allowed).");
		(void)snprintf(ch->key, sizeof(ch->key), "%s", code);
	}
	*exists = 0;
	if (ch->key[0] != '\0' &&
	    (e = manage_describe(db, ch, exists)) != HS_OK)
		return e;
	if (f->edit && !*exists) {
		ch->missing = 1;
		return HS_ENOTFOUND;
	}
	if (!f->edit && *exists) {
		ch->taken = 1;
		return manage_refuse(ch, 0, "That name is taken already.");
	}
	return HS_OK;
}

/* The end of a save: a name taken, the links moved, the audit row. */
static enum hs_err
save_end(struct hs_db *db, struct change *ch, enum hs_err e)
{
	struct mform	*f = ch->f;

	if (e == HS_EDUP) {
		ch->taken = 1;
		return manage_refuse(ch, 0, "That name is taken already.");
	}
	if (e != HS_OK)
		return e;
	if ((f->kind == K_CAMPAIGN || f->kind == K_LINK) &&
	    (e = hs_db_exec(db, M_MOVED, NULL, 0, NULL)) != HS_OK)
		return e;
	if (f->kind == K_LINK)
		(void)snprintf(f->v[0], sizeof(f->v[0]), "%s", ch->key);
	return audit_end(db, ch);
}

/*
 * The unit of a save of any kind (create or edit): its start, the
 * kind's checks, the audit row, the kind's store, its end.
 */
enum hs_err
save_unit(struct hs_db *db, void *arg)
{
	struct change	*ch = arg;
	static struct linkto lk;
	enum hs_err	 e;
	int		 exists;

	if ((e = save_begin(db, ch, &exists)) != HS_OK)
		return e;
	if (ch->f->kind == K_CAMPAIGN)
		e = camp_check(db, ch, exists);
	else if (ch->f->kind == K_LINK)
		e = link_check(db, ch, &lk);
	if (e != HS_OK || (e = audit_begin(db, ch, exists)) != HS_OK)
		return e;
	switch (ch->f->kind) {
	case K_CAMPAIGN:
		e = camp_store(db, ch, exists);
		break;
	case K_ADVOCATE:
		e = adv_store(db, ch, exists);
		break;
	case K_EVENT:
		e = event_store(db, ch, exists);
		break;
	default:
		e = link_store(db, ch, exists, &lk);
		break;
	}
	return save_end(db, ch, e);
}

/* The unit of disable and enable. */
enum hs_err
able_unit(struct hs_db *db, void *arg)
{
	struct change	*ch = arg;
	struct hs_dbparam p[2];
	static const size_t st[K__MAX] = { M_CAMP_ABLE, M_ADV_ABLE,
	    M_LINK_ABLE, M_EV_ABLE };
	int		 off = strcmp(ch->op, "disable") == 0;
	enum hs_err	 e;

	ch->replay = ch->missing = 0;
	if ((e = existing_begin(db, ch)) != HS_OK)
		return e;
	if (ch->f->kind == K_ADVOCATE)
		p[0] = manage_ptext(off ? "removed" : "active");
	else
		p[0] = (struct hs_dbparam)HS_DBP_INT(off);
	p[1] = manage_ptext(ch->key);
	if ((e = hs_db_exec(db, st[ch->f->kind], p, 2, NULL)) != HS_OK)
		return e;
	/* An event's links go off and on with it. */
	if (ch->f->kind == K_EVENT &&
	    (e = hs_db_exec(db, M_EV_LINKS_ABLE, p, 2, NULL)) != HS_OK)
		return e;
	if (ch->f->kind != K_ADVOCATE &&
	    (e = hs_db_exec(db, M_MOVED, NULL, 0, NULL)) != HS_OK)
		return e;
	return audit_end(db, ch);
}
