/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * world.c: loading the world of a run -- links, advocates and their
 * names, events, survey options, advocates' own client hashes, the
 * rules, the accepted flags -- once, and the velocity set day by day as
 * the input needs it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"
#include "reconcile.h"
#include "run.h"

/* Free whatever a world holds. */
void
rc_world_free(struct rc_world *w)
{

	rc_map_free(w->codes, NULL);
	rc_map_free(w->links, free);
	rc_map_free(w->advocates, free);
	rc_map_free(w->events, free);
	rc_map_free(w->options, free);
	rc_map_free(w->selfhash, NULL);
	rc_map_free(w->velocity, NULL);
	rc_map_free(w->accepted, NULL);
	rc_names_free(w->advnames);
	rc_names_free(w->evnames);
	rc_rules_free(w->rules);
	memset(w, 0, sizeof(*w));
}

/* Links by id and by code.  0 or -1. */
static int
load_links(struct run *r)
{
	struct rc_world		*w = &r->w;
	struct hs_dbcol		 c[6];
	char			 code[40], ch[64], key[32];
	struct rc_link		*l;
	int			 have, rc = -1;

	rc_icol(&c[0]); rc_tcol(&c[1], code, sizeof(code)); rc_icol(&c[2]);
	rc_icol(&c[3]); rc_icol(&c[4]); rc_tcol(&c[5], ch, sizeof(ch));
	if (hs_db_query(r->db, STMT_LINKS, NULL, 0, c, 6) != HS_OK)
		return -1;
	while (hs_db_fetch(r->db, STMT_LINKS, &have) == HS_OK && have) {
		if ((l = hs_xcalloc(1, sizeof(*l))) == NULL)
			goto out;
		l->id = c[0].i;
		l->advocate_id = c[2].i;
		l->event_id = c[3].i;
		l->campaign_id = c[4].i;
		(void)snprintf(l->channel, sizeof(l->channel), "%s",
		    hs_channel_canon(ch));
		(void)snprintf(key, sizeof(key), "%lld", l->id);
		if (rc_map_put(w->links, key, l) != 0 ||
		    rc_map_put(w->codes, code, l) != 0) {
			free(l);
			goto out;
		}
	}
	rc = 0;
out:
	hs_db_end(r->db, STMT_LINKS);
	return rc;
}

/* Advocates by id, and their handles, names and aliases.  0 or -1. */
static int
load_advocates(struct run *r)
{
	struct rc_world		*w = &r->w;
	struct hs_dbcol		 c[6];
	char			 handle[80], name[256], aliases[4096];
	char			 eh[80], key[32];
	struct rc_advocate	*a;
	int			 have, rc = -1;

	rc_icol(&c[0]); rc_tcol(&c[1], handle, sizeof(handle));
	rc_tcol(&c[2], name, sizeof(name));
	rc_tcol(&c[3], aliases, sizeof(aliases));
	rc_tcol(&c[4], eh, sizeof(eh)); rc_icol(&c[5]);
	if (hs_db_query(r->db, STMT_ADVOCATES, NULL, 0, c, 6) != HS_OK)
		return -1;
	while (hs_db_fetch(r->db, STMT_ADVOCATES, &have) == HS_OK && have) {
		if ((a = hs_xcalloc(1, sizeof(*a))) == NULL)
			goto out;
		a->id = c[0].i;
		(void)snprintf(a->email_hash, sizeof(a->email_hash), "%.64s",
		    eh);
		a->campaign_id = c[5].i;
		(void)snprintf(key, sizeof(key), "%lld", a->id);
		if (rc_map_put(w->advocates, key, a) != 0) {
			free(a);
			goto out;
		}
		if (rc_names_add_handle(w->advnames, a->id, handle) != 0 ||
		    rc_names_add_name(w->advnames, a->id, name) != 0 ||
		    rc_names_add_alias(w->advnames, a->id, aliases) != 0)
			goto out;
	}
	rc = 0;
out:
	hs_db_end(r->db, STMT_ADVOCATES);
	return rc;
}

/* Events by id, and their slugs and names.  0 or -1. */
static int
load_events(struct run *r)
{
	struct rc_world		*w = &r->w;
	struct hs_dbcol		 c[5];
	char			 handle[80], name[256], key[32];
	struct rc_event		*e;
	int			 have, rc = -1;

	rc_icol(&c[0]); rc_tcol(&c[1], handle, sizeof(handle));
	rc_tcol(&c[2], name, sizeof(name)); rc_icol(&c[3]); rc_icol(&c[4]);
	if (hs_db_query(r->db, STMT_EVENTS, NULL, 0, c, 5) != HS_OK)
		return -1;
	while (hs_db_fetch(r->db, STMT_EVENTS, &have) == HS_OK && have) {
		if ((e = hs_xcalloc(1, sizeof(*e))) == NULL)
			goto out;
		e->id = c[0].i;
		e->campaign_id = c[3].i;
		e->host_advocate_id = c[4].i;
		(void)snprintf(key, sizeof(key), "%lld", e->id);
		if (rc_map_put(w->events, key, e) != 0) {
			free(e);
			goto out;
		}
		if (rc_names_add_handle(w->evnames, e->id, handle) != 0 ||
		    rc_names_add_name(w->evnames, e->id, name) != 0)
			goto out;
	}
	rc = 0;
out:
	hs_db_end(r->db, STMT_EVENTS);
	return rc;
}

/* Survey options by "survey_id key".  0 or -1. */
static int
load_options(struct run *r)
{
	struct hs_dbcol		 c[4];
	char			 code[40], ch[64], fu[80], key[600];
	struct rc_option	*op;
	int			 have, rc = -1;

	rc_icol(&c[0]); rc_tcol(&c[1], code, sizeof(code));
	rc_tcol(&c[2], ch, sizeof(ch)); rc_tcol(&c[3], fu, sizeof(fu));
	if (hs_db_query(r->db, STMT_OPTIONS, NULL, 0, c, 4) != HS_OK)
		return -1;
	while (hs_db_fetch(r->db, STMT_OPTIONS, &have) == HS_OK && have) {
		if ((op = hs_xcalloc(1, sizeof(*op))) == NULL)
			goto out;
		(void)snprintf(op->channel, sizeof(op->channel), "%s",
		    hs_channel_canon(ch));
		op->followup = strcmp(fu, "text") == 0 ? RC_FOLLOW_TEXT :
		    strcmp(fu, "referrer") == 0 ? RC_FOLLOW_REFERRER :
		    strcmp(fu, "other") == 0 ? RC_FOLLOW_OTHER : RC_FOLLOW_NONE;
		(void)snprintf(key, sizeof(key), "%lld %s", c[0].i, code);
		if (rc_map_put(r->w.options, key, op) != 0) {
			free(op);
			goto out;
		}
	}
	rc = 0;
out:
	hs_db_end(r->db, STMT_OPTIONS);
	return rc;
}

/* Advocates' own client hashes, "advocate_id hash".  0 or -1. */
static int
load_selfhash(struct run *r)
{
	struct hs_dbcol		 c[2];
	char			 eh[80], key[128];
	int			 have, rc = 0;

	rc_icol(&c[0]); rc_tcol(&c[1], eh, sizeof(eh));
	if (hs_db_query(r->db, STMT_SELFHASH, NULL, 0, c, 2) != HS_OK)
		return -1;
	while (hs_db_fetch(r->db, STMT_SELFHASH, &have) == HS_OK && have) {
		(void)snprintf(key, sizeof(key), "%lld %s", c[0].i, eh);
		if (rc_map_put(r->w.selfhash, key, rc_present) != 0) {
			rc = -1;
			break;
		}
	}
	hs_db_end(r->db, STMT_SELFHASH);
	return rc;
}

/*
 * The signups whose flags an analyst accepted, for the export's
 * reward_eligible; read only when the run exports.  Few: one per
 * decision an analyst made by hand.  0 or -1.
 */
static int
load_accepted(struct run *r)
{
	struct hs_dbcol		 c[1];
	char			 ref[129];
	int			 have, rc = 0;

	if (r->o->export == RC_FMT_NONE)
		return 0;
	rc_tcol(&c[0], ref, sizeof(ref));
	if (hs_db_query(r->db, STMT_ACCEPTED, NULL, 0, c, 1) != HS_OK)
		return -1;
	while (hs_db_fetch(r->db, STMT_ACCEPTED, &have) == HS_OK && have)
		if (rc_map_put(r->w.accepted, ref, rc_present) != 0) {
			rc = -1;
			break;
		}
	hs_db_end(r->db, STMT_ACCEPTED);
	return rc;
}

/* The analysts' rules, and the highest rule id.  0 or -1. */
static int
load_rules(struct run *r)
{
	struct hs_dbcol		 c[7];
	char			 kind[64], pat[256], target[80], ch[40];
	struct rc_rule		 rule;
	int			 have, k, t, rc = 0;

	rc_icol(&c[0]); rc_icol(&c[1]); rc_tcol(&c[2], kind, sizeof(kind));
	rc_tcol(&c[3], pat, sizeof(pat));
	rc_tcol(&c[4], target, sizeof(target));
	rc_icol(&c[5]); rc_tcol(&c[6], ch, sizeof(ch));
	if (hs_db_query(r->db, STMT_RULES, NULL, 0, c, 7) != HS_OK)
		return -1;
	while (hs_db_fetch(r->db, STMT_RULES, &have) == HS_OK && have) {
		memset(&rule, 0, sizeof(rule));
		if ((k = rc_textkind_parse(kind)) < 0 ||
		    (t = rc_target_parse(target)) < 0)
			continue;
		rule.id = c[0].i;
		if (rule.id > r->rules_max)
			r->rules_max = rule.id;
		rule.version = c[1].i;
		rule.target = t;
		rule.target_id = c[5].i;
		(void)snprintf(rule.channel, sizeof(rule.channel), "%.32s", ch);
		if (rc_rules_add(r->w.rules, k, pat, &rule) != 0) {
			rc = -1;
			break;
		}
	}
	hs_db_end(r->db, STMT_RULES);
	return rc;
}

/*
 * Load links, advocates (and their names), events, survey options,
 * advocates' own client hashes and the rules.  Returns 0 or -1 (logged).
 */
int
rc_world_load(struct run *r, const struct hs_conf *conf)
{
	struct rc_world		*w = &r->w;

	w->window_ms = (long long)(conf->attribution_days > 0 ?
	    conf->attribution_days : 30) * RC_DAY_MS;
	if ((w->links = rc_map_new()) == NULL ||
	    (w->codes = rc_map_new()) == NULL ||
	    (w->advocates = rc_map_new()) == NULL ||
	    (w->events = rc_map_new()) == NULL ||
	    (w->options = rc_map_new()) == NULL ||
	    (w->selfhash = rc_map_new()) == NULL ||
	    (w->velocity = rc_map_new()) == NULL ||
	    (w->accepted = rc_map_new()) == NULL ||
	    (w->advnames = rc_names_new(0)) == NULL ||
	    (w->evnames = rc_names_new(1)) == NULL ||
	    (w->rules = rc_rules_new()) == NULL ||
	    (r->days = rc_map_new()) == NULL ||
	    (r->rqseen = rc_map_new()) == NULL)
		return -1;
	if (load_links(r) != 0 || load_advocates(r) != 0 ||
	    load_events(r) != 0 || load_options(r) != 0 ||
	    load_selfhash(r) != 0 || load_rules(r) != 0 ||
	    load_accepted(r) != 0)
		return -1;
	return 0;
}

/*
 * Make sure the velocity set holds the whole UTC day of ms.  It is
 * loaded per day from the full table, so a row gets the same flag
 * whichever run, mode or chunk reconciles it.  Returns 0 or -1.
 */
int
rc_need_day(struct run *r, long long ms)
{
	struct hs_dbparam	 p[3];
	struct hs_dbcol		 c[2];
	char			 day[11], h[80], t[32], key[128];
	long long		 d0;
	int			 have;

	rc_fmt_day(ms, day);
	if (rc_map_get(r->days, day) != NULL)
		return 0;
	d0 = ms - ((ms % RC_DAY_MS) + RC_DAY_MS) % RC_DAY_MS;
	p[0] = (struct hs_dbparam)HS_DBP_INT(d0);
	p[1] = (struct hs_dbparam)HS_DBP_INT(d0 + RC_DAY_MS);
	p[2] = (struct hs_dbparam)HS_DBP_INT(r->velocity_limit);
	rc_tcol(&c[0], h, sizeof(h));
	rc_tcol(&c[1], t, sizeof(t));
	/* Velocity: more signups than the hourly limit from one hash. */
	if (hs_db_query(r->db, STMT_VELOCITY, p, 3, c, 2) != HS_OK)
		return -1;
	while (hs_db_fetch(r->db, STMT_VELOCITY, &have) == HS_OK && have) {
		(void)snprintf(key, sizeof(key), "%s %s", h, t);
		if (rc_map_put(r->w.velocity, key, rc_present) != 0)
			break;
	}
	hs_db_end(r->db, STMT_VELOCITY);
	return rc_map_put(r->days, day, rc_present);
}

