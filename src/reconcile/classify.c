/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * classify.c: one signup's evidence to one attribution row, with no I/O
 * so that the same input always gives the same row (the idempotence of
 * the whole job rests on this) and Check can test it.  The definitions
 * it implements are those of hearsay-reconcile(8), DEFINITIONS:
 * tracked = the last human click carried inside the attribution window;
 * reported = the option's channel refined by the free text, the typed
 * code and the analysts' rules; class and credit from the two; risk
 * flags from hashes, the precomputed velocity set and the shared flag
 * each click carries.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "hearsay.h"
#include "reconcile.h"

/* ms since the epoch to "YYYY-MM-DD" (UTC) in d[11]. */
void
rc_fmt_day(long long ms, char *d)
{
	struct tm	 tm;
	time_t		 t = (time_t)(ms / 1000);

	(void)gmtime_r(&t, &tm);
	(void)strftime(d, 11, "%Y-%m-%d", &tm);
}

/* ms since the epoch to "YYYY-MM-DD HH:MM:SS.mmm" (UTC) in d[24]. */
void
rc_fmt_time(long long ms, char *d)
{
	struct tm	 tm;
	time_t		 t = (time_t)(ms / 1000);
	char		 s[20], tmp[48];

	(void)gmtime_r(&t, &tm);
	(void)strftime(s, sizeof(s), "%Y-%m-%d %H:%M:%S", &tm);
	(void)snprintf(tmp, sizeof(tmp), "%s.%03d", s, (int)(ms % 1000));
	memcpy(d, tmp, 23);
	d[23] = '\0';
}

/* Copy a string into a fixed field, always terminated. */
static void
put(char *dst, size_t sz, const char *src)
{

	(void)snprintf(dst, sz, "%s", src);
}

/* The option of survey sid named key, or NULL. */
static const struct rc_option *
option(const struct rc_world *w, long long sid, const char *key, size_t kl)
{
	char	 k[96];

	(void)snprintf(k, sizeof(k), "%lld %.*s", sid, (int)kl, key);
	return rc_map_get(w->options, k);
}

/* A link by id, or NULL. */
static const struct rc_link *
link_by_id(const struct rc_world *w, long long id)
{
	char	 k[24];

	(void)snprintf(k, sizeof(k), "%lld", id);
	return rc_map_get(w->links, k);
}

/*
 * The tracked side: last and first human clicks inside the window
 * ending at the signup.  Clicks arrive sorted by time.
 */
static void
tracked(const struct rc_world *w, const struct rc_item *it, struct rc_attr *a)
{
	const struct rc_click	*c, *first = NULL, *last = NULL;
	const struct rc_link	*l;
	size_t			 i;
	int			 any = 0;

	for (i = 0; i < it->nclicks; i++) {
		c = &it->clicks[i];
		if (c->at_ms > it->signed_ms ||
		    c->at_ms < it->signed_ms - w->window_ms)
			continue;
		any = 1;
		if (c->is_bot || link_by_id(w, c->link_id) == NULL)
			continue;
		if (first == NULL)
			first = c;
		last = c;
	}
	if (any && last == NULL)
		a->risk |= HS_RISK_BOT;
	if (last == NULL)
		return;
	l = link_by_id(w, last->link_id);
	put(a->tracked_click, sizeof(a->tracked_click), last->id);
	put(a->first_click, sizeof(a->first_click), first->id);
	a->tracked_ms = last->at_ms;
	a->t_link = l->id;
	a->t_advocate = l->advocate_id;
	a->t_event = l->event_id;
	a->t_campaign = l->campaign_id;
	put(a->t_channel, sizeof(a->t_channel), l->channel);
	if (last->shared)
		a->risk |= HS_RISK_SHARED;
}

/*
 * The chosen option: the first whose channel is known, or the one that
 * agrees with the tracked channel when several were chosen.  Sets
 * a->r_channel and returns the option, or NULL.
 */
static const struct rc_option *
chosen(const struct rc_world *w, const struct rc_item *it, struct rc_attr *a)
{
	const struct rc_option	*o, *pick = NULL;
	const char		*p, *e;

	for (p = it->options; *p != '\0'; p = e) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		for (e = p; *e != '\0' && *e != ' '; e++)
			continue;
		if ((o = option(w, it->survey_id, p, (size_t)(e - p))) == NULL)
			continue;
		if (strcmp(o->channel, "unknown") == 0)
			continue;
		if (pick == NULL)
			pick = o;
		if (a->t_channel[0] != '\0' &&
		    strcmp(o->channel, a->t_channel) == 0) {
			pick = o;
			break;
		}
	}
	if (pick != NULL)
		put(a->r_channel, sizeof(a->r_channel), pick->channel);
	return pick;
}

/* Apply an analyst's rule to the reported side. */
static void
apply_rule(const struct rc_rule *r, struct rc_attr *a)
{
	int	 vague;

	vague = a->r_channel[0] == '\0' || strcmp(a->r_channel, "other") == 0;
	switch (r->target) {
	case RC_TARGET_CHANNEL:
		put(a->r_channel, sizeof(a->r_channel),
		    hs_channel_canon(r->channel));
		break;
	case RC_TARGET_ADVOCATE:
		a->r_advocate = r->target_id;
		if (r->channel[0] != '\0')
			put(a->r_channel, sizeof(a->r_channel),
			    hs_channel_canon(r->channel));
		else if (vague)
			put(a->r_channel, sizeof(a->r_channel), "referral");
		break;
	case RC_TARGET_EVENT:
		a->r_event = r->target_id;
		if (r->channel[0] != '\0')
			put(a->r_channel, sizeof(a->r_channel),
			    hs_channel_canon(r->channel));
		else if (vague)
			put(a->r_channel, sizeof(a->r_channel), "event");
		break;
	default:
		(void)snprintf(a->rule, sizeof(a->rule), "ignore:%lld", r->id);
		a->conf = 0.0;
		return;
	}
	(void)snprintf(a->rule, sizeof(a->rule), "rule:%lld", r->id);
	a->conf = 1.0;
}

/* The free text, matched built-in, else by rule, else unmatched. */
static void
freetext(struct rc_world *w, const struct rc_item *it,
    const struct rc_option *o, struct rc_attr *a)
{
	const struct rc_rule	*r;
	struct rc_match		 m;
	const char		*raw = NULL;
	int			 kind = -1;

	if (it->referrer_text[0] != '\0') {
		raw = it->referrer_text;
		kind = RC_TEXT_REFERRER;
	} else if (it->other_text[0] != '\0') {
		raw = it->other_text;
		kind = RC_TEXT_OTHER;
	} else if (it->followup_text[0] != '\0' && o != NULL &&
	    strcmp(o->channel, "event") == 0) {
		raw = it->followup_text;
		kind = RC_TEXT_EVENT;
	}
	if (raw == NULL || rc_norm(raw, a->free_text, sizeof(a->free_text))
	    != 0 || a->free_text[0] == '\0') {
		a->free_text[0] = '\0';
		return;
	}
	a->free_kind = kind;
	put(a->free_raw, sizeof(a->free_raw), raw);
	/* "Other: Ana Lima told me" names an advocate as well. */
	if ((kind == RC_TEXT_REFERRER || kind == RC_TEXT_OTHER) &&
	    rc_names_match(w->advnames, raw, &m)) {
		a->r_advocate = m.id;
		if (a->r_channel[0] == '\0' ||
		    strcmp(a->r_channel, "other") == 0)
			put(a->r_channel, sizeof(a->r_channel), "referral");
	} else if (kind == RC_TEXT_EVENT &&
	    rc_names_match(w->evnames, raw, &m)) {
		a->r_event = m.id;
	} else if ((r = rc_rules_find(w->rules, kind, a->free_text)) != NULL) {
		apply_rule(r, a);
		return;
	} else {
		put(a->rule, sizeof(a->rule), "unmatched");
		a->conf = 0.0;
		return;
	}
	put(a->rule, sizeof(a->rule), kind == RC_TEXT_EVENT ? "event" :
	    rc_how_name(m.how));
	a->conf = m.conf;
}

/* A typed code: its link names the source when nothing else did. */
static void
code(const struct rc_world *w, const struct rc_item *it, struct rc_attr *a)
{
	const struct rc_link	*l;
	char			 c[HS_CODE_MAX + 1];

	if (it->code_text[0] == '\0' ||
	    hs_code_canon(it->code_text, c, sizeof(c)) != HS_OK ||
	    (l = rc_map_get(w->codes, c)) == NULL)
		return;
	a->r_link = l->id;
	if (a->r_advocate != 0 || a->r_event != 0)
		return;
	a->r_advocate = l->advocate_id;
	a->r_event = l->event_id;
	if (a->r_channel[0] == '\0' || strcmp(a->r_channel, "other") == 0 ||
	    strcmp(a->r_channel, "referral") == 0 ||
	    strcmp(a->r_channel, "event") == 0)
		put(a->r_channel, sizeof(a->r_channel), l->channel);
	put(a->rule, sizeof(a->rule), "code");
	a->conf = 1.0;
}

/* Whether both sides name the same source.  0 or 1. */
static int
same(const struct rc_attr *a)
{

	if (a->t_advocate != 0 && a->r_advocate != 0)
		return a->t_advocate == a->r_advocate;
	if (a->t_event != 0 && a->r_event != 0)
		return a->t_event == a->r_event;
	if (a->r_advocate != 0 || a->r_event != 0)
		return a->t_advocate == a->r_advocate &&
		    a->t_event == a->r_event;
	return strcmp(a->t_channel, a->r_channel) == 0;
}

/* The campaign of the reported source, or 0. */
static long long
r_campaign(const struct rc_world *w, const struct rc_attr *a)
{
	const struct rc_link		*l;
	const struct rc_event		*e;
	const struct rc_advocate	*ad;
	char				 k[24];

	if (a->r_link != 0 && (l = link_by_id(w, a->r_link)) != NULL)
		return l->campaign_id;
	if (a->r_event != 0) {
		(void)snprintf(k, sizeof(k), "%lld", a->r_event);
		if ((e = rc_map_get(w->events, k)) != NULL)
			return e->campaign_id;
	}
	if (a->r_advocate != 0) {
		(void)snprintf(k, sizeof(k), "%lld", a->r_advocate);
		if ((ad = rc_map_get(w->advocates, k)) != NULL)
			return ad->campaign_id;
	}
	return 0;
}

/* Self-referral: the advocate's own e-mail or own device. */
static int
self(const struct rc_world *w, const struct rc_item *it, long long adv)
{
	const struct rc_advocate	*ad;
	char				 k[96];

	if (adv == 0)
		return 0;
	(void)snprintf(k, sizeof(k), "%lld", adv);
	if ((ad = rc_map_get(w->advocates, k)) != NULL &&
	    ad->email_hash[0] != '\0' &&
	    strcmp(ad->email_hash, it->email_hash) == 0)
		return 1;
	if (it->client_hash[0] != '\0') {
		(void)snprintf(k, sizeof(k), "%lld %s", adv, it->client_hash);
		if (rc_map_get(w->selfhash, k) != NULL)
			return 1;
	}
	if (it->resp_client_hash[0] != '\0') {
		(void)snprintf(k, sizeof(k), "%lld %s", adv,
		    it->resp_client_hash);
		if (rc_map_get(w->selfhash, k) != NULL)
			return 1;
	}
	return 0;
}

/* The velocity set holds "client_hash YYYY-MM-DD HH" over the limit. */
static int
velocity(const struct rc_world *w, const struct rc_item *it)
{
	char	 k[96], t[24];

	if (it->velocity_flag)
		return 1;
	if (it->client_hash[0] == '\0' || it->signup_id == 0)
		return 0;
	rc_fmt_time(it->signed_ms, t);
	(void)snprintf(k, sizeof(k), "%s %.13s", it->client_hash, t);
	return rc_map_get(w->velocity, k) != NULL;
}

/*
 * Classify one item into *a (overwritten).  Deterministic: the same
 * item and world give the same bytes.
 */
void
rc_classify(struct rc_world *w, const struct rc_item *it, struct rc_attr *a)
{
	const struct rc_option	*o = NULL;
	long long		 t;
	int			 has_t, has_r;

	memset(a, 0, sizeof(*a));
	a->free_kind = -1;
	put(a->ref, sizeof(a->ref), it->ref);
	a->signup_id = it->signup_id;
	a->response_id = it->response_id;
	rc_fmt_day(it->signed_ms, a->day);
	put(a->rule, sizeof(a->rule), "none");

	tracked(w, it, a);
	if (it->response_id != 0) {
		put(a->options, sizeof(a->options), it->options);
		if ((o = chosen(w, it, a)) != NULL) {
			put(a->rule, sizeof(a->rule), "option");
			a->conf = 1.0;
		}
		freetext(w, it, o, a);
		code(w, it, a);
		if (a->r_event != 0 && a->r_channel[0] == '\0')
			put(a->r_channel, sizeof(a->r_channel), "event");
	}

	has_t = a->t_link != 0;
	has_r = a->r_channel[0] != '\0' || a->r_advocate != 0 ||
	    a->r_event != 0;
	if (has_r && a->r_channel[0] == '\0')
		put(a->r_channel, sizeof(a->r_channel), a->r_event != 0 ?
		    "event" : "referral");
	if (has_t && has_r)
		a->class = same(a) ? HS_CLASS_AGREE : HS_CLASS_DISAGREE;
	else if (has_t)
		a->class = HS_CLASS_TRACKED_ONLY;
	else if (has_r)
		a->class = HS_CLASS_REPORTED_ONLY;
	else
		a->class = HS_CLASS_UNATTRIBUTED;

	if (has_t) {
		put(a->channel, sizeof(a->channel), a->t_channel);
		a->advocate = a->t_advocate;
		a->event = a->t_event;
		a->campaign = a->t_campaign;
	} else if (has_r) {
		put(a->channel, sizeof(a->channel), a->r_channel);
		a->advocate = a->r_advocate;
		a->event = a->r_event;
		a->campaign = r_campaign(w, a);
	} else
		put(a->channel, sizeof(a->channel), "none");

	if (self(w, it, a->t_advocate) || self(w, it, a->r_advocate))
		a->risk |= HS_RISK_SELF;
	if (velocity(w, it))
		a->risk |= HS_RISK_VELOCITY;

	t = it->signed_ms;
	if (it->response_id != 0 && it->answered_ms > t)
		t = it->answered_ms;
	if (a->tracked_ms > t)
		t = a->tracked_ms;
	rc_fmt_time(t, a->computed_at);
}
