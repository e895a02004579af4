/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * event.c: an event with its links, made in one unit: the event row, its
 * own link (label NULL) and one link per table card ("Table N"), all on
 * the campaign's default destination (sql/030_events.sql).  hearsay-admin
 * (event create, the demo) and hearsay-qr (a host's form) both make
 * events through hs_event_create, so the rules are the same wherever an
 * event is made:
 *  - the slug and the codes are chosen before the unit, so a replay (a
 *    lost connection, a deadlock) inserts the same rows, and every insert
 *    is IGNORE;
 *  - a slug that exists already is the same request made again when the
 *    event has the same host (no new links: they were committed with
 *    it), and refused when it has another (HS_EINVAL);
 *  - a code that belongs to another link is a collision: the unit rolls
 *    back and new codes are drawn, a few times, unless the caller fixed
 *    them (HS_EDUP).
 * A caller's hook (hearsay-report's manage pages: the audit row) runs in
 * the same unit, before and after; its refusal is never retried.
 * The statements are the HS_SQL_EVENT_* texts, which each program puts in
 * its own statement table and names in a struct hs_event_stmts.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "hearsay.h"

#define EVENT_TRIES	3	/* draws of codes before HS_EDUP */
#define EVENT_LABEL	32	/* bytes of "Table N" */

struct evunit {
	struct hs_event			*ev;
	const struct hs_event_stmts	*st;
};

/* NULL for a NULL string, else the text. */
static struct hs_dbparam
text_or_null(const char *s)
{

	if (s == NULL)
		return (struct hs_dbparam)HS_DBP_NULL;
	return (struct hs_dbparam)HS_DBP_TEXT(s);
}

/* NULL for 0, else the id. */
static struct hs_dbparam
id_or_null(long long id)
{

	if (id == 0)
		return (struct hs_dbparam)HS_DBP_NULL;
	return (struct hs_dbparam)HS_DBP_INT(id);
}

/*
 * The links of event ev->id: its own and one per table.  A code skipped
 * by INSERT IGNORE is ours from an earlier try of this unit, or another
 * link's (HS_EDUP).
 */
static enum hs_err
event_links(struct hs_db *db, const struct hs_event_stmts *st,
    const struct hs_event *ev)
{
	struct hs_dbparam	 lp[6];
	struct hs_dbcol		 oc = HS_DBC_INT;
	unsigned long long	 aff;
	char			 label[EVENT_LABEL];
	enum hs_err		 e;
	int			 i, have;

	for (i = 0; i <= ev->tables; i++) {
		(void)snprintf(label, sizeof(label), "Table %d", i);
		lp[0] = (struct hs_dbparam)HS_DBP_TEXT(ev->codes[i]);
		lp[1] = (struct hs_dbparam)HS_DBP_INT(ev->campaign);
		lp[2] = id_or_null(ev->host);
		lp[3] = (struct hs_dbparam)HS_DBP_INT(ev->id);
		lp[4] = text_or_null(i == 0 ? NULL : label);
		lp[5] = (struct hs_dbparam)HS_DBP_TEXT(ev->dest);
		if ((e = hs_db_exec(db, st->link_add, lp, 6, &aff)) != HS_OK)
			return e;
		if (aff != 0)
			continue;
		have = 0;
		if ((e = hs_db_row(db, st->link_owner, lp, 1, &oc, 1,
		    &have)) != HS_OK)
			return e;
		if (!have || oc.i != ev->id)
			return HS_EDUP;
	}
	return HS_OK;
}

/* The unit: the event, then its links unless it was there already. */
static enum hs_err
event_unit(struct hs_db *db, void *arg)
{
	struct evunit		*u = arg;
	struct hs_event		*ev = u->ev;
	struct hs_dbparam	 ep[7] = {
		HS_DBP_TEXT(ev->slug), HS_DBP_TEXT(ev->name),
		HS_DBP_NULL, HS_DBP_INT(ev->campaign),
		HS_DBP_NULL, HS_DBP_NULL, HS_DBP_NULL
	};
	struct hs_dbparam	 sp[1] = { HS_DBP_TEXT(ev->slug) };
	struct hs_dbcol		 c[2] = { HS_DBC_INT, HS_DBC_INT };
	unsigned long long	 added = 0;
	enum hs_err		 e;
	int			 have = 0;

	if (ev->hook != NULL && (e = ev->hook(db, ev, 0, ev->hook_arg)) !=
	    HS_OK) {
		ev->hooked = e;
		return e;
	}
	ep[2] = id_or_null(ev->host);
	ep[3] = (struct hs_dbparam)HS_DBP_INT(ev->campaign);
	ep[4] = text_or_null(ev->venue);
	ep[5] = text_or_null(ev->starts);
	ep[6] = text_or_null(ev->ends);
	if ((e = hs_db_exec(db, u->st->add, ep, 7, &added)) != HS_OK)
		return e;
	if ((e = hs_db_row(db, u->st->id, sp, 1, c, 2, &have)) != HS_OK)
		return e;
	if (!have || c[1].i != ev->host)
		return HS_EINVAL;
	ev->id = c[0].i;
	ev->added = added != 0;
	if (ev->added) {
		if ((e = event_links(db, u->st, ev)) != HS_OK)
			return e;
		/* The new links redirect at once (hearsay-link's snapshot). */
		if ((e = hs_db_exec(db, u->st->moved, NULL, 0, NULL)) != HS_OK)
			return e;
	}
	if (ev->hook != NULL && (e = ev->hook(db, ev, 1, ev->hook_arg)) !=
	    HS_OK)
		ev->hooked = e;
	return e;
}

/*
 * Make the event ev describes, with its own link and ev->tables table
 * links, drawing the codes unless ev->fixed.  Sets ev->id, and
 * ev->added to 0 when the event was there already (same slug, same
 * host: nothing new was made).  Returns HS_OK; HS_EINVAL for a bad
 * table count or a slug another host's event has; HS_EDUP when codes
 * kept colliding (or a fixed one belongs to another link); or the
 * database's error.
 */
enum hs_err
hs_event_create(struct hs_db *db, const struct hs_event_stmts *st,
    struct hs_event *ev)
{
	struct evunit	 u = { ev, st };
	enum hs_err	 e = HS_EDUP;
	int		 try, i;

	if (ev->tables < 0 || ev->tables > HS_EVENT_TABLES_MAX)
		return HS_EINVAL;
	for (try = 0; try < EVENT_TRIES && e == HS_EDUP; try++) {
		if (!ev->fixed)
			for (i = 0; i <= ev->tables; i++)
				if ((e = hs_code_new(ev->codes[i],
				    HS_CODE_LEN + 1)) != HS_OK)
					return e;
		ev->id = 0;
		ev->added = 0;
		ev->hooked = HS_OK;
		e = hs_db_unit(db, event_unit, &u);
		if (ev->fixed || (ev->hooked != HS_OK && e == ev->hooked))
			break;
	}
	return e;
}
