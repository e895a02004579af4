/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * form.c: the survey form, its submission and the thank-you page; the
 * route's handler, and the form's GET.  form.h maps the other files.
 *
 * GET /s/<slug>?t=<token> shows the question.  The token, signed by the
 * host application with purpose "signup", names the signup, so nobody can
 * answer for someone else; a survey with allow_unsigned also takes no
 * token (the answer is stored as unverified).  The page carries a signed
 * form token (form_token.c) that names the answer and the order of the
 * options shown; POST /s/<slug> (form_post.c) checks it before anything
 * else is read, and stores the answer before the 303 to the thank-you
 * page.
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "hearsay.h"
#include "survey.h"
#include "form.h"

/*
 * The query of the survey's pages.  The display options are lax: any
 * other value is the plain page, as a link pasted by hand may carry.
 */
static const struct hs_field query_fields[SQ__MAX] = {
	/* SQ_T: the signup token of a survey link, checked by form_get */
	{ .name = "t", .kind = HS_FIELD_TEXT, .max = HS_MAX_FIELD,
	    .label = N_("Link token") },
	/* SQ_EMBED: ?embed=1, the iframe variant */
	{ .name = "embed", .kind = HS_FIELD_BOOL, .flags = HS_FIELD_LAX,
	    .chars = "1" },
	/* SQ_CHANGED: the thanks after an answer was replaced */
	{ .name = "changed", .kind = HS_FIELD_BOOL, .flags = HS_FIELD_LAX,
	    .chars = "1" },
};

/*
 * The click id from the query parameter (named in the configuration:
 * a lax row, so a bad one falls back), else the cookie; "" if none.
 */
void
form_click(struct survey_ctx *c, const struct hs_req *r,
    char out[SURVEY_CLICKID + 1])
{
	struct hs_field	 f[1];
	struct hs_fval	 val[1];
	struct hs_fbad	 bad;
	const char	*v = NULL;

	out[0] = '\0';
	memset(f, 0, sizeof(f));
	f[0].name = c->conf.click_param;
	f[0].kind = HS_FIELD_PATTERN;
	f[0].flags = HS_FIELD_LAX;
	f[0].min = f[0].max = SURVEY_CLICKID;
	f[0].chars = "0123456789abcdef";
	if (hs_field_parse(r->qv, r->qvsz, f, 1, 0, val, &bad) == HS_OK &&
	    val[0].set)
		v = val[0].s;
	else
		v = hs_req_cookie(r, c->conf.cookie_name);
	if (v != NULL && survey_hex_ok(v, SURVEY_CLICKID))
		memcpy(out, v, SURVEY_CLICKID + 1);
}

/*
 * The query of the survey's pages into q, and its display options into
 * v.  Returns 0, or -1 after a 400 naming the field.
 */
int
form_query(struct hs_req *r, struct view *v, struct hs_fval q[SQ__MAX])
{
	struct hs_fbad	 bad;

	if (hs_field_parse(r->qv, r->qvsz, query_fields, SQ__MAX, 0, q,
	    &bad) != HS_OK) {
		(void)hs_field_error(r, query_fields, SQ__MAX, &bad);
		return -1;
	}
	v->embed = (int)q[SQ_EMBED].i;
	v->changed = (int)q[SQ_CHANGED].i;
	return 0;
}

/*
 * A signup link that does not work: what happened (title, message) and
 * what to do (the survey's new_link, else whom to ask), 403.
 */
static void
bad_link(struct view *v, struct hs_req *r, const char *title,
    const char *msg)
{

	v->title = title;
	v->error = msg;
	form_page(v, r, TMPL_LINK, 403);
}

/* GET /s/<slug>: checks the signup token and shows the form. */
static void
form_get(struct hs_req *r, struct survey_ctx *c, const struct survey *s)
{
	struct view	 v;
	struct hs_buf	 tok;
	struct prior	 pr;
	struct hs_fval	 q[SQ__MAX];
	const char	*t;
	char		 ref[SURVEY_MAX_REF + 1], now[32];
	int		 verified = 0;
	enum hs_err	 e;

	hs_buf_init(&tok, FORM_MAX_TOKEN);
	memset(&v, 0, sizeof(v));
	v.c = c;
	v.s = s;
	v.r = r;
	ref[0] = '\0';
	if (form_query(r, &v, q) != 0)
		goto out;
	t = q[SQ_T].s;
	if (t != NULL) {
		e = hs_token_verify(c->conf.hmac_key, "signup", t,
		    (long long)time(NULL), ref, sizeof(ref));
		if (e == HS_ENOTFOUND) {
			bad_link(&v, r, N_("This survey link has expired"),
			    N_("Survey links work for a limited time, and this "
			    "one's time is over. Nothing was stored."));
			goto out;
		}
		if (e != HS_OK || ref[0] == '\0') {
			bad_link(&v, r, N_("This survey link does not work"),
			    N_("The link is not the one we sent: part of it "
			    "may be missing or changed. Nothing was stored."));
			goto out;
		}
		verified = 1;
	} else if (!s->allow_unsigned) {
		bad_link(&v, r, N_("This survey link is incomplete"),
		    N_("The link has lost its end, which says who is "
		    "answering. Please open the whole link you were given."));
		goto out;
	}
	if (verified) {
		/* A reopened link: its answer, and whether it may change. */
		survey_now(now);
		if (answer_current(c, s->id, ref, now, &pr) != HS_OK) {
			/* MariaDB away: the form still takes (journals) an
			 * answer, judged by its time once loaded. */
			hs_log(HS_LOG_WARN, "form: earlier answer not read");
			pr.have = 0;
		}
		if (pr.have)
			v.prior = &pr;
		if (pr.have && !pr.changeable) {
			form_page(&v, r, TMPL_ANSWERED, 200);
			goto out;
		}
	}
	form_order(&v);
	form_click(c, r, v.click);
	if (form_sign(&v, verified ? ref : NULL, verified, &tok) != HS_OK) {
		(void)hs_http_error(r, 500, "The form could not be shown.");
		goto out;
	}
	v.token = hs_buf_str(&tok);
	form_show(&v, r, 200, v.embed);
out:
	hs_buf_free(&tok);
}

/* GET /s/<slug>/thanks */
static void
thanks_get(struct hs_req *r, struct survey_ctx *c, const struct survey *s)
{
	struct view	 v;
	struct hs_fval	 q[SQ__MAX];

	memset(&v, 0, sizeof(v));
	v.c = c;
	v.s = s;
	v.r = r;
	if (form_query(r, &v, q) != 0)
		return;
	form_page(&v, r, TMPL_THANKS, 200);
}

/*
 * The form, its submission, or the thank-you page of survey slug (the
 * route table in main.c has answered other methods): 404 for an unknown
 * survey, 503 when MariaDB is down and the survey is not cached.
 */
void
form_handle(struct hs_req *r, struct survey_ctx *c, const char *slug,
    int thanks)
{
	const struct survey	*s;
	enum hs_err		 e;

	if ((e = survey_get(c, slug, &s)) != HS_OK) {
		if (e == HS_ENOTFOUND)
			(void)hs_http_error(r, 404, "There is no survey at "
			    "this address.");
		else {
			if (hs_http_header(r, "Retry-After",
			    SURVEY_RETRY_AFTER) != HS_OK)
				return;
			(void)hs_http_error(r, 503, "The survey is not "
			    "available just now. Please try again in a "
			    "minute.");
		}
		return;
	}
	/* The fixed wording in the survey's language (its own texts are). */
	(void)hs_lang_set(s->lang);
	if (thanks)
		thanks_get(r, c, s);
	else if (r->method == HS_METHOD_POST)
		form_post(r, c, s);
	else
		form_get(r, c, s);
}
