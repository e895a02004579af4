/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * suggest.c: the names suggested for "Who told you about us?".
 *
 * GET /s/<slug>/suggest?q=<text> answers {"names":[...]}: at most
 * SUGGEST_MAX names of active advocates who opted in (advocates.suggest,
 * sql/102), where a word of the name starts with q, compared by the
 * column's collation (so "zoe" finds "Zoë", "ANA" finds "Ana").  The
 * form itself carries no name: before, every page listed 200 of them,
 * which let anyone with a signup link copy the member list.  So that
 * the lookup is no oracle for that list either:
 *  - only opted-in names are ever read (the WHERE clause, not a filter
 *    after it), and nothing tells an advocate who did not opt in from
 *    one who does not exist;
 *  - a query under SUGGEST_MIN_CHARS characters answers an empty list
 *    without reading anything, and at most SUGGEST_MAX names come back;
 *  - only a survey whose form asks "Who told you?" answers (else 404);
 *  - nginx limits the rate (its hs_suggest zone).
 * The script that calls it (html/static/survey-suggest.js) is
 * progressive enhancement: the form works the same without it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"
#include "survey.h"

#define SUGGEST_MAX		5	/* names in one answer */
#define SUGGEST_MIN_CHARS	3	/* characters typed before a lookup */
#define SUGGEST_MAX_CHARS	64	/* characters of a query */
#define SUGGEST_NAME		(200 * 4) /* bytes: VARCHAR(200), utf8mb4 */
/* A LIKE pattern: the query with every byte escaped, and "% " before. */
#define SUGGEST_PATTERN		(SUGGEST_MAX_CHARS * 4 * 2 + 8)

/*
 * Writes pre, then q with LIKE's wildcards and escape character escaped,
 * then '%', into out (at least SUGGEST_PATTERN bytes).
 */
static void
pattern(char *out, const char *pre, const char *q)
{
	size_t	 n;

	n = strlen(pre);
	memcpy(out, pre, n);
	for (; *q != '\0'; q++) {
		if (*q == '%' || *q == '_' || *q == '\\')
			out[n++] = '\\';
		out[n++] = *q;
	}
	out[n++] = '%';
	out[n] = '\0';
}

/* Whether the survey's form asks "Who told you?" (it alone looks up). */
static int
asks_referrer(const struct survey *s)
{
	size_t	 i;

	for (i = 0; i < s->nopts; i++)
		if (s->opts[i].fu == FOLLOWUP_REFERRER)
			return 1;
	return 0;
}

/* Answers 200 with the names in names[0..n). */
static void
reply(struct hs_req *r, char names[][SUGGEST_NAME + 1], size_t n)
{
	size_t	 i;

	/* Not cached (hs_http's no-store): a withdrawn name goes at once. */
	if (hs_http_open(r, 200, "application/json") != HS_OK ||
	    r->method == HS_METHOD_HEAD)
		return;
	if (hs_out_puts(&r->out, "{\"names\":[") != HS_OK)
		return;
	for (i = 0; i < n; i++)
		if ((i > 0 && hs_out_puts(&r->out, ",") != HS_OK) ||
		    hs_json_puts(&r->out, names[i]) != HS_OK)
			return;
	if (hs_out_puts(&r->out, "]}\n") != HS_OK)
		hs_log(HS_LOG_INFO, "suggest: client went away");
}

/* Whether q is at most SUGGEST_MAX_CHARS characters, none a control. */
static int
query_ok(const char *q, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if ((unsigned char)q[i] < 0x20 || q[i] == 0x7f)
			return 0;
	return hs_utf8_chars(q) <= SUGGEST_MAX_CHARS;
}

/* ?q=, trimmed of spaces, as a person's typing often is. */
static const struct hs_field query_field[] = {
	{ .name = "q", .kind = HS_FIELD_TEXT, .flags = HS_FIELD_TRIM,
	    .max = SUGGEST_MAX_CHARS * 4, .valid = query_ok,
	    .label = N_("Lookup"),
	    .hint = N_("The lookup may have at most 64 characters and no "
	    "control characters.") },
};

/*
 * The query ?q= into q (empty when absent): trimmed of spaces, at most
 * SUGGEST_MAX_CHARS characters, no control bytes.  Returns 0, or -1
 * after a 400.
 */
static int
read_query(struct hs_req *r, char q[SUGGEST_MAX_CHARS * 4 + 1])
{
	struct hs_fval	 v[1];
	struct hs_fbad	 bad;

	if (hs_field_parse(r->qv, r->qvsz, query_field, 1, 0, v, &bad) !=
	    HS_OK) {
		(void)hs_field_error(r, query_field, 1, &bad);
		return -1;
	}
	memcpy(q, v[0].set ? v[0].s : "", v[0].len);
	q[v[0].len] = '\0';
	return 0;
}

/* GET /s/<slug>/suggest?q=: see the top of this file. */
void
suggest_handle(struct hs_req *r, struct survey_ctx *c, const char *slug)
{
	static char		 names[SUGGEST_MAX][SUGGEST_NAME + 1];
	char			 q[SUGGEST_MAX_CHARS * 4 + 1];
	char			 start[SUGGEST_PATTERN], word[SUGGEST_PATTERN];
	char			 hyph[SUGGEST_PATTERN], name[SUGGEST_NAME + 1];
	struct hs_dbparam	 p[5];
	struct hs_dbcol		 col = { HS_DB_TEXT, 0, name, sizeof(name),
				    0, 0, 0 };
	const struct survey	*s;
	size_t			 n = 0;
	int			 have;

	switch (survey_get(c, slug, &s)) {
	case HS_OK:
		break;
	case HS_ENOTFOUND:
		(void)hs_http_error(r, 404, "There is no survey at this "
		    "address.");
		return;
	default:
		if (hs_http_header(r, "Retry-After", SURVEY_RETRY_AFTER) ==
		    HS_OK)
			(void)hs_http_error(r, 503, "Suggestions are not "
			    "available just now.");
		return;
	}
	if (!asks_referrer(s)) {
		(void)hs_http_error(r, 404, "This survey suggests no names.");
		return;
	}
	if (read_query(r, q) != 0)
		return;
	if (hs_utf8_chars(q) < SUGGEST_MIN_CHARS) {
		reply(r, names, 0);
		return;
	}
	pattern(start, "", q);
	pattern(word, "% ", q);
	pattern(hyph, "%-", q);
	p[0] = (struct hs_dbparam)HS_DBP_TEXT(start);
	p[1] = (struct hs_dbparam)HS_DBP_TEXT(word);
	p[2] = (struct hs_dbparam)HS_DBP_TEXT(hyph);
	p[3] = (struct hs_dbparam)HS_DBP_TEXT(start);
	p[4] = (struct hs_dbparam)HS_DBP_INT(SUGGEST_MAX);
	if (hs_db_query(c->db, STMT_SUGGEST, p, 5, &col, 1) != HS_OK) {
		if (hs_http_header(r, "Retry-After", SURVEY_RETRY_AFTER) ==
		    HS_OK)
			(void)hs_http_error(r, 503, "Suggestions are not "
			    "available just now.");
		return;
	}
	while (n < SUGGEST_MAX && hs_db_fetch(c->db, STMT_SUGGEST, &have) ==
	    HS_OK && have)
		memcpy(names[n++], name, sizeof(name));
	hs_db_end(c->db, STMT_SUGGEST);
	reply(r, names, n);
}
