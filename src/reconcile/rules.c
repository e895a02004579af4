/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * rules.c: the analysts' decisions (mapping_rules) in memory.  A rule
 * maps a normalised free text of one kind to a channel, an advocate, an
 * event, or to nothing ('ignore').  Rules are versioned: for the same
 * kind and pattern the highest version wins, whatever order the rows
 * come in, so an edit is an insert and history is kept.  A newest
 * version 'removed' withdraws the rule: the text is unmatched again.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"
#include "reconcile.h"

/* As in the ENUM of mapping_rules.kind. */
const char *const rc_textkinds[RC_TEXT__MAX] = {
	"other_text",		/* RC_TEXT_OTHER */
	"referrer_text",	/* RC_TEXT_REFERRER */
	"event_text",		/* RC_TEXT_EVENT */
};

/* As in the ENUM of mapping_rules.target_kind. */
const char *const rc_targets[RC_TARGET__MAX] = {
	"channel",		/* RC_TARGET_CHANNEL */
	"advocate",		/* RC_TARGET_ADVOCATE */
	"event",		/* RC_TARGET_EVENT */
	"ignore",		/* RC_TARGET_IGNORE */
	"removed",		/* RC_TARGET_REMOVED */
};

struct rc_rules {
	struct rc_map	*m;	/* "kind\037pattern" -> rc_rule */
};

/* The index of s in rc_textkinds, or -1. */
int
rc_textkind_parse(const char *s)
{
	int	 i;

	for (i = 0; i < RC_TEXT__MAX; i++)
		if (strcmp(s, rc_textkinds[i]) == 0)
			return i;
	return -1;
}

/* The index of s in rc_targets, or -1. */
int
rc_target_parse(const char *s)
{
	int	 i;

	for (i = 0; i < RC_TARGET__MAX; i++)
		if (strcmp(s, rc_targets[i]) == 0)
			return i;
	return -1;
}

/* An empty rule set, or NULL without memory. */
struct rc_rules *
rc_rules_new(void)
{
	struct rc_rules	*r;

	if ((r = hs_xcalloc(1, sizeof(*r))) == NULL)
		return NULL;
	if ((r->m = rc_map_new()) == NULL) {
		free(r);
		return NULL;
	}
	return r;
}

/* Free the set; NULL is fine. */
void
rc_rules_free(struct rc_rules *r)
{

	if (r == NULL)
		return;
	rc_map_free(r->m, free);
	free(r);
}

/* The map key of (kind, pattern); a unit separator cannot be typed. */
static void
rkey(enum rc_textkind kind, const char *pattern, char *k, size_t ksz)
{

	(void)snprintf(k, ksz, "%d\037%s", (int)kind, pattern);
}

/*
 * Add a rule for (kind, pattern), keeping only the highest version (the
 * id breaks ties).  Returns 0, or -1 without memory.
 */
int
rc_rules_add(struct rc_rules *r, enum rc_textkind kind, const char *pattern,
    const struct rc_rule *rule)
{
	char		 k[RC_NORM_MAX + 16];
	struct rc_rule	*old, *nr;

	rkey(kind, pattern, k, sizeof(k));
	if ((old = rc_map_get(r->m, k)) != NULL) {
		if (old->version > rule->version ||
		    (old->version == rule->version && old->id > rule->id))
			return 0;
		*old = *rule;
		return 0;
	}
	if ((nr = hs_xmalloc(sizeof(*nr))) == NULL)
		return -1;
	*nr = *rule;
	if (rc_map_put(r->m, k, nr) != 0) {
		free(nr);
		return -1;
	}
	return 0;
}

/* The rule in force for (kind, normalised text), or NULL (none, or
 * its newest version withdrew it). */
const struct rc_rule *
rc_rules_find(const struct rc_rules *r, enum rc_textkind kind,
    const char *norm)
{
	const struct rc_rule *rule;
	char	 k[RC_NORM_MAX + 16];

	if (r == NULL || *norm == '\0')
		return NULL;
	rkey(kind, norm, k, sizeof(k));
	rule = rc_map_get(r->m, k);
	return rule != NULL && rule->target == RC_TARGET_REMOVED ? NULL :
	    rule;
}
