/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * vocab.c: the words the programs share about a signup's source, in one
 * place: the canonical channels (what an analyst may map a text to, and
 * what the reconciliation credits), the five classes of an attribution
 * (the ENUM of attributions.class, sql/040_reconcile.sql) with their
 * names for people, and the risk flags (the SET of
 * attributions.risk_flags, bit by bit).  hearsay-reconcile writes these
 * words and hearsay-report reads and offers them, so a word added here
 * is added for both.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "hearsay.h"

/* The canonical channels; the survey's "friend" is "referral" here. */
const char *const hs_channels[HS_CHANNELS] = {
	"referral", "community", "event", "podcast", "search",
	"social", "newsletter", "ad", "other", "unknown",
};

/* As in the ENUM of attributions.class. */
const char *const hs_classes[HS_CLASS__MAX] = {
	"agree",		/* HS_CLASS_AGREE */
	"disagree",		/* HS_CLASS_DISAGREE */
	"tracked_only",		/* HS_CLASS_TRACKED_ONLY */
	"reported_only",	/* HS_CLASS_REPORTED_ONLY */
	"unattributed",		/* HS_CLASS_UNATTRIBUTED */
};

/* The same classes as the report's charts name them. */
const char *const hs_class_labels[HS_CLASS__MAX] = {
	"agree", "disagree", "tracked only", "reported only", "unattributed",
};

/* As in the SET of attributions.risk_flags: bit i is hs_risks[i]. */
const char *const hs_risks[HS_RISK__MAX] = {
	"self_referral",	/* HS_RISK_SELF */
	"velocity",		/* HS_RISK_VELOCITY */
	"bot_click",		/* HS_RISK_BOT */
	"shared_client",	/* HS_RISK_SHARED */
};

/*
 * The canonical name of a channel: the survey's "friend" and the links'
 * "referral" are the same source.  Returns a static string or ch.
 */
const char *
hs_channel_canon(const char *ch)
{

	if (strcmp(ch, "friend") == 0)
		return "referral";
	return ch;
}

/* Whether a canonical channel is word of mouth.  0 or 1. */
int
hs_channel_is_referral(const char *ch)
{

	return strcmp(ch, "referral") == 0 || strcmp(ch, "community") == 0 ||
	    strcmp(ch, "event") == 0;
}

/* Whether ch is one of hs_channels.  0 or 1. */
int
hs_channel_known(const char *ch)
{
	size_t	 i;

	for (i = 0; i < HS_CHANNELS; i++)
		if (strcmp(ch, hs_channels[i]) == 0)
			return 1;
	return 0;
}

/*
 * The names of the risk bits, joined by sep, into buf (sz bytes, always
 * terminated; "" for none): "," makes the SET value MariaDB reads.
 */
void
hs_risk_str(unsigned int risk, const char *sep, char *buf, size_t sz)
{
	size_t	 i, o = 0;
	int	 n;

	if (sz == 0)
		return;
	buf[0] = '\0';
	for (i = 0; i < HS_RISK__MAX; i++) {
		if (!(risk & (1u << i)))
			continue;
		n = snprintf(buf + o, sz - o, "%s%s", o > 0 ? sep : "",
		    hs_risks[i]);
		if (n < 0 || (size_t)n >= sz - o)
			return;		/* truncated, still terminated */
		o += (size_t)n;
	}
}
