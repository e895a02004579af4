/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * form_post.c: POST /s/<slug>, an answer sent from the form.  It checks,
 * in order: method (405, main.c's routes), survey (404, form.c), body
 * (415, 413, 400 for malformed encoding, UTF-8, NUL, repeated fields),
 * CSRF (Sec-Fetch-Site and Origin, then the form token, form_token.c:
 * 403), the honeypot (a filled one gets the thank-you redirect and
 * nothing is stored, so a bot learns nothing), then every field against
 * the definition (400, re-showing the form with what the person typed),
 * and stores the answer (store.c) before the 303 to the thank-you page.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "hearsay.h"
#include "survey.h"
#include "form.h"

/* Whether s is empty or a click id (SURVEY_CLICKID lower-case hex). */
static int
cid_ok(const char *s, size_t len)
{

	return len == 0 || survey_hex_ok(s, SURVEY_CLICKID);
}

/*
 * The fixed fields of a posted form; the options ("o") and their
 * follow-ups ("f_KEY") depend on the survey and are checked by
 * validate_fields.  The form token is the first row: form_gate reads
 * it alone, before the token is checked and the rest is looked at.
 */
enum { SF_FT, SF_CONSENT, SF_CID, SF_CODE, SF_HONEYPOT, SF__MAX };
static const struct hs_field form_fields[SF__MAX] = {
	/* SF_FT: the signed form token */
	{ .name = "ft", .kind = HS_FIELD_TEXT, .max = HS_MAX_FIELD,
	    .label = N_("Form token") },
	/* SF_CONSENT: the consent box */
	{ .name = "consent", .kind = HS_FIELD_BOOL, .chars = "1",
	    .label = N_("Consent"),
	    .hint = N_("The consent box has an unexpected value.") },
	/* SF_CID: the click id the form was shown for, or empty */
	{ .name = "cid", .kind = HS_FIELD_PATTERN, .max = SURVEY_CLICKID,
	    .chars = "0123456789abcdef", .valid = cid_ok,
	    .label = N_("Click reference"),
	    .hint = N_("The form's click reference is not valid.") },
	/* SF_CODE: as typed; its length in characters is validate's */
	{ .name = "code", .kind = HS_FIELD_TEXT, .max = HS_MAX_FIELD,
	    .label = N_("Code") },
	/* SF_HONEYPOT: people never see it; a bot fills it */
	{ .name = FORM_HONEYPOT, .kind = HS_FIELD_TEXT, .max = HS_MAX_FIELD },
};

/* hs_xstrdup of a non-empty value, else NULL; *oom set on failure. */
static char *
dupval(const char *s, int *oom)
{
	char	*d;

	if (s == NULL || *s == '\0')
		return NULL;
	if ((d = hs_xstrdup(s)) == NULL)
		*oom = 1;
	return d;
}

/* Appends " key" (or "key" first) to a space-separated list. */
static void
addkey(char *list, size_t sz, const char *key)
{
	size_t	 len = strlen(list);

	(void)snprintf(list + len, sz - len, "%s%s", len > 0 ? " " : "",
	    key);
}

/* Answers 400 for a bad form body, from hs_req_form's error. */
static void
body_error(struct hs_req *r, enum hs_err e)
{

	switch (e) {
	case HS_EMEDIA:
		(void)hs_http_error(r, 415, "Please send the form as "
		    "application/x-www-form-urlencoded in UTF-8.");
		break;
	case HS_ETOOBIG:
		if (r->body == NULL)
			(void)hs_http_error(r, 413, "The answer is too large.");
		else
			(void)hs_http_error(r, 400, "One of the answers is "
			    "too long.");
		break;
	case HS_EENCODING:
		(void)hs_http_error(r, 400, "The form data has malformed "
		    "encoding.");
		break;
	case HS_EUTF8:
		(void)hs_http_error(r, 400, "The form data is not valid "
		    "UTF-8 text (or holds a NUL byte).");
		break;
	case HS_ESHORT:
		(void)hs_http_error(r, 400, "The form data was cut off.");
		break;
	case HS_ENOMEM:
	case HS_EIO:
		(void)hs_http_error(r, 500, "The answer could not be read.");
		break;
	default:
		(void)hs_http_error(r, 400, "The form data could not be read.");
		break;
	}
}

/*
 * Whether a bot filled the honeypot.  Its row alone: a bad value of
 * another field is validate's to tell.
 */
static int
honeypot(struct hs_req *r)
{
	struct hs_fval	 f[1];
	struct hs_fbad	 bad;

	return hs_field_parse(r->form, r->formsz, &form_fields[SF_HONEYPOT],
	    1, 0, f, &bad) == HS_OK && f[0].len != 0;
}

/* Whether option index idx is in the shown order. */
static int
shown(const struct view *v, const struct sopt *o)
{
	size_t	 i;

	for (i = 0; i < v->norder; i++)
		if (&v->s->opts[v->order[i]] == o)
			return 1;
	return 0;
}

/*
 * Checks that every posted field is one the form shows, once, and
 * counts the options chosen into *nchosen.  Returns NULL, or the
 * message for a body no form of ours can send.
 */
static const char *
validate_fields(const struct view *v, size_t *nchosen)
{
	const struct hs_req	*r = v->r;
	const struct survey	*s = v->s;
	const struct sopt	*o;
	const char		*k;
	size_t			 i, j;

	*nchosen = 0;
	for (i = 0; i < r->formsz; i++) {
		k = r->form[i].key;
		if (strcmp(k, "o") == 0) {
			if ((o = survey_opt(s, r->form[i].val)) == NULL ||
			    !shown(v, o))
				return N_("That answer is not one of this "
				    "survey's options.");
			for (j = 0; j < i; j++)
				if (strcmp(r->form[j].key, "o") == 0 &&
				    strcmp(r->form[j].val, o->key) == 0)
					return N_("An answer was sent twice.");
			if (++*nchosen > 1 && !s->multi)
				return N_("Please choose only one answer.");
			continue;
		}
		if (strcmp(k, "ft") != 0 && strcmp(k, "cid") != 0 &&
		    strcmp(k, "consent") != 0 &&
		    strcmp(k, FORM_HONEYPOT) != 0 &&
		    !(strcmp(k, "code") == 0 && s->ask_code) &&
		    !(strncmp(k, "f_", 2) == 0 &&
		    (o = survey_opt(s, k + 2)) != NULL && shown(v, o) &&
		    o->fu != FOLLOWUP_NONE))
			return N_("The form has a field this survey does "
			    "not know.");
		if (hs_kv_count(r->form, r->formsz, k) > 1)
			return N_("A field was sent twice.");
	}
	return NULL;
}

/*
 * The options chosen, in the order shown, and their follow-up texts,
 * into a.  Returns NULL, or the message for the person.
 */
static const char *
validate_followups(struct view *v, struct answer *a, int *oom)
{
	const struct hs_req	*r = v->r;
	const struct survey	*s = v->s;
	const struct sopt	*o;
	const char		*val;
	struct hs_buf		 fu;
	size_t			 i, cap;
	static char		 msg[300];

	hs_buf_init(&fu, SURVEY_MAX_FOLLOWUP * 4 + 1);
	for (i = 0; i < v->norder; i++) {
		o = &s->opts[v->order[i]];
		addkey(a->shown, sizeof(a->shown), o->key);
		if (!form_chosen(r, o->key))
			continue;
		addkey(a->options, sizeof(a->options), o->key);
		if (o->fu == FOLLOWUP_NONE)
			continue;
		(void)snprintf(msg, sizeof(msg), "f_%s", o->key);
		val = form_posted(v, msg);
		cap = o->fu == FOLLOWUP_REFERRER ? SURVEY_MAX_REFERRER :
		    o->fu == FOLLOWUP_OTHER ? SURVEY_MAX_OTHER :
		    SURVEY_MAX_FOLLOWUP;
		if (val != NULL && hs_utf8_chars(val) > cap) {
			hs_buf_free(&fu);
			(void)snprintf(msg, sizeof(msg), "Your answer to "
			    "\"%.200s\" is too long: at most %zu characters, "
			    "please.", o->fulabel, cap);
			return msg;
		}
		if (val == NULL || *val == '\0')
			continue;
		if (o->fu == FOLLOWUP_REFERRER && a->referrer == NULL)
			a->referrer = dupval(val, oom);
		else if (o->fu == FOLLOWUP_OTHER && a->other == NULL)
			a->other = dupval(val, oom);
		else if (s->multi) {
			/* Several text follow-ups: "key: text" lines. */
			if ((fu.len > 0 && hs_buf_putc(&fu, '\n') != HS_OK) ||
			    hs_buf_printf(&fu, "%s: %s", o->key, val) !=
			    HS_OK) {
				hs_buf_free(&fu);
				return N_("Your answers are too long, "
				    "please shorten them.");
			}
		} else
			a->followup = dupval(val, oom);
	}
	if (fu.len > 0) {
		if (hs_utf8_chars(hs_buf_str(&fu)) > SURVEY_MAX_FOLLOWUP) {
			hs_buf_free(&fu);
			return N_("Your answers are too long, please "
			    "shorten them.");
		}
		a->followup = dupval(hs_buf_str(&fu), oom);
	}
	hs_buf_free(&fu);
	return NULL;
}

/*
 * Checks every posted field against the definition and fills a.
 * Returns NULL when the answer is fine, else the message for the person
 * (shown above the form, 400).  *hard is set when the body is one no
 * form of ours can send (unknown field, option not shown, repeated
 * field): then a plain error page, not the form again.
 */
static const char *
validate(struct view *v, struct answer *a, int *hard, int *oom)
{
	const struct survey	*s = v->s;
	struct hs_fval		 f[SF__MAX];
	struct hs_fbad		 bad;
	const char		*val, *why;
	size_t			 nchosen;

	*hard = 1;
	if ((why = validate_fields(v, &nchosen)) != NULL)
		return why;
	if (hs_field_parse(v->r->form, v->r->formsz, form_fields, SF__MAX,
	    0, f, &bad) != HS_OK)
		return hs_field_msg(form_fields, SF__MAX, &bad, v->fieldmsg,
		    sizeof(v->fieldmsg));
	/* Consent is stored only when the survey asks for it. */
	a->consent = f[SF_CONSENT].set && s->consent_text[0] != '\0';
	if (f[SF_CID].set)
		(void)snprintf(a->click, sizeof(a->click), "%s", f[SF_CID].s);
	*hard = 0;

	if (nchosen == 0)
		return N_("Please choose an answer.");
	if ((why = validate_followups(v, a, oom)) != NULL)
		return why;
	val = f[SF_CODE].s;
	if (val != NULL && hs_utf8_chars(val) > SURVEY_MAX_CODE)
		return N_("The code is too long: at most 64 characters, "
		    "please.");
	a->code = dupval(val, oom);
	return NULL;
}

/*
 * The 303 after an answer: our thanks (in the embedded form's frame,
 * the thanks that may be shown there), which says whether the answer
 * was saved or changed and offers "Continue" to the survey's
 * return_url.
 */
static void
thank(struct hs_req *r, struct survey_ctx *c, const struct survey *s,
    int embed, int changed)
{
	struct hs_buf	 loc;

	hs_buf_init(&loc, 4096);
	if (hs_buf_printf(&loc, "%s/s/%s/thanks%s%s", c->conf.base_url,
	    s->slug, embed ? "?embed=1" : "", changed ? (embed ?
	    "&changed=1" : "?changed=1") : "") != HS_OK)
		goto fail;
	if (hs_http_redirect(r, 303, hs_buf_str(&loc)) != HS_OK)
		goto fail;
	hs_buf_free(&loc);
	return;
fail:
	hs_buf_free(&loc);
	(void)hs_http_error(r, 500, "The thank-you page could not be shown.");
}

/*
 * The gates a posted form passes first: a body we can read, sent from
 * our own pages, with one security token, into *ft.  Returns 0, or -1
 * once answered.
 */
static int
form_gate(struct hs_req *r, struct survey_ctx *c, const char **ft)
{
	struct hs_fval	 f[SF__MAX];
	struct hs_fbad	 bad;
	enum hs_err	 e;

	*ft = NULL;
	if ((e = hs_req_form(r)) != HS_OK) {
		hs_log(HS_LOG_INFO, "form: %s", hs_strerror(e));
		body_error(r, e);
		return -1;
	}
	/* CSRF, first by what the browser says about the sender. */
	if (!hs_req_same_origin(r, c->conf.base_url)) {
		(void)hs_http_error(r, 403, "This form can only be sent from "
		    "its own page.");
		return -1;
	}
	/* The token's row alone: the other fields wait for the token. */
	if (hs_field_parse(r->form, r->formsz, form_fields, SF_FT + 1, 0, f,
	    &bad) != HS_OK) {
		(void)hs_field_error(r, form_fields, SF_FT + 1, &bad);
		return -1;
	}
	*ft = f[SF_FT].s;
	if (*ft == NULL) {
		(void)hs_http_error(r, 403, "This form is missing its security "
		    "check. Please reload the page and answer again.");
		return -1;
	}
	return 0;
}

/*
 * The survey was edited since the form was shown: the form again, newly
 * signed for ref, asking to answer again.
 */
static void
form_stale(struct view *v, struct hs_req *r, const char *ref, int verified,
    struct hs_buf *tok)
{

	form_order(v);
	form_click(v->c, r, v->click);
	if (form_sign(v, ref[0] != '\0' ? ref : NULL, verified, tok) !=
	    HS_OK) {
		(void)hs_http_error(r, 500, "The form could not be shown.");
		return;
	}
	v->token = hs_buf_str(tok);
	v->error = N_("This survey changed while you were answering. "
	    "Please answer again.");
	form_show(v, r, 400, v->embed);
}

/*
 * The answer a did not validate (msg, hard and oom as validate set
 * them): an error page, or the form again with the message.
 */
static void
form_invalid(struct view *v, struct hs_req *r, const struct answer *a,
    const char *msg, int hard, int oom)
{

	if (oom)
		(void)hs_http_error(r, 500, "The answer could not be stored.");
	else if (hard)
		(void)hs_http_error(r, 400, msg);
	else {
		v->error = msg;
		(void)snprintf(v->click, sizeof(v->click), "%s", a->click);
		form_show(v, r, 400, v->embed);
	}
}

/* Stores a and answers the person: thanks, or why not. */
static void
form_store(struct view *v, struct hs_req *r, struct answer *a)
{
	struct prior	 pr;
	enum stored	 how = STORED_NEW;

	switch (answer_store(v->c, a, &how)) {
	case HS_OK:
		if (how != STORED_LOCKED) {
			thank(r, v->c, v->s, v->embed, how == STORED_CHANGED);
			break;
		}
		/* Past its window: say so, with the answer that stays. */
		if (answer_current(v->c, v->s->id, a->signup_ref,
		    a->answered_at, &pr) == HS_OK && pr.have)
			v->prior = &pr;
		form_page(v, r, TMPL_ANSWERED, 409);
		break;
	case HS_EFULL:
	case HS_EIO:
		if (hs_http_header(r, "Retry-After", SURVEY_RETRY_AFTER) !=
		    HS_OK)
			break;
		(void)hs_http_error(r, 503, "We could not save your answer "
		    "just now. Please try again in a minute.");
		break;
	default:
		(void)hs_http_error(r, 500, "Your answer could not be saved. "
		    "Please try again later.");
		break;
	}
}

/*
 * Links a to the person (the signup ref, the click, the network) as far
 * as the survey's consent question allows.  Returns 0, or -1 once
 * answered (the form again, or 500).
 */
static int
form_link(struct view *v, struct hs_req *r, struct answer *a, char *ref)
{
	const struct survey	*s = v->s;
	struct prior		 pr;

	if (s->consent_text[0] != '\0' && !a->consent && ref[0] != '\0' &&
	    answer_current(v->c, s->id, ref, a->answered_at, &pr) == HS_OK &&
	    pr.have) {
		/* The earlier answer was given with consent: a change
		 * cannot take it back (that is an erasure). */
		v->error = N_("Your earlier answer was kept with your consent. "
		    "To change it, tick the box; to have it erased, please "
		    "write to us.");
		form_show(v, r, 400, v->embed);
		return -1;
	}
	if (s->consent_text[0] != '\0' && !a->consent) {
		/* Not linked to the person: no signup, click or network. */
		ref[0] = '\0';
		a->verified = 0;
		a->click[0] = '\0';
	}
	if (ref[0] != '\0' && (a->signup_ref = hs_xstrdup(ref)) == NULL) {
		(void)hs_http_error(r, 500, "The answer could not be stored.");
		return -1;
	}
	if (s->consent_text[0] == '\0' || a->consent)
		survey_client(v->c, r, a->client);
	return 0;
}

/* POST /s/<slug>: validates, stores (or journals, or defers), 303. */
void
form_post(struct hs_req *r, struct survey_ctx *c, const struct survey *s)
{
	struct view	 v;
	struct answer	 a;
	struct hs_buf	 tok;
	struct hs_fval	 q[SQ__MAX];
	const char	*ft = NULL, *msg;
	char		 nonce[SURVEY_NONCE + 1] = "";
	char		 ref[SURVEY_MAX_REF + 1] = "";
	int		 verified = 0, hard, oom = 0, rc;

	memset(&v, 0, sizeof(v));
	memset(&a, 0, sizeof(a));
	hs_buf_init(&tok, FORM_MAX_TOKEN);
	v.c = c;
	v.s = s;
	v.r = r;
	if (form_query(r, &v, q) != 0)
		goto out;
	if (form_gate(r, c, &ft) != 0)
		goto out;
	if ((rc = form_token_check(r, &v, ft, &verified, nonce, ref)) > 0)
		goto out;
	if (rc < 0) {
		form_stale(&v, r, ref, verified, &tok);
		goto out;
	}
	v.token = ft;
	if (honeypot(r)) {
		/* Thanked, never stored: the bot learns nothing. */
		hs_log(HS_LOG_INFO, "form: honeypot filled; not stored");
		thank(r, c, s, v.embed, 0);
		goto out;
	}
	v.posted = 1;
	if ((msg = validate(&v, &a, &hard, &oom)) != NULL || oom) {
		form_invalid(&v, r, &a, msg, hard, oom);
		goto out;
	}
	memcpy(a.submission, nonce, sizeof(a.submission));
	a.survey_id = s->id;
	a.verified = verified;
	survey_now(a.answered_at);
	if (form_link(&v, r, &a, ref) != 0)
		goto out;
	a.velocity = answer_velocity(c, a.client);
	a.source = "form";
	if (answer_defer(r, c, &a)) {
		/* Stored with the batch, before this answer is written. */
		thank(r, c, s, v.embed, 0);
		goto out;
	}
	form_store(&v, r, &a);
out:
	answer_free(&a);
	hs_buf_free(&tok);
}
