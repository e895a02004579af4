/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * form_page.c: the survey's pages (the form, the thanks, an answer that
 * can no longer change, a link that does not work) from their templates
 * in html/: the markers' markup, written through core's element writer
 * so that every attribute is quoted by construction, and the security
 * headers (CSP, framing) each page is sent with.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"
#include "survey.h"
#include "form.h"

/*
 * The script that looks up advocates' names for "Who told you?" (the
 * page itself carries none: suggest.c), and the only one a form may run.
 */
#define FORM_SCRIPT	"/static/survey-suggest.js"
/*
 * The script of the embedded pages: it tells the parent page their
 * height (postMessage), so the app can size the iframe; without it the
 * README's iframe height fits the compact form.
 */
#define EMBED_SCRIPT	"/static/survey-embed.js"
/* What the form says of an answer without the consent a survey asks. */
#define CONSENT_UNLINKED N_("If you leave this unticked, we keep your answer " \
	"without your account, link or network: it counts only in our " \
	"totals, and you cannot change it later.")

enum key {
	KEY_QUESTION,
	KEY_HELP,
	KEY_ACTION,
	KEY_ERRORS,
	KEY_OPTIONS,
	KEY_CODE,
	KEY_HIDDEN,
	KEY_CONSENT,
	KEY_SCRIPT,
	KEY_THANKS,
	KEY_ANSWERED,
	KEY_EMBED,
	KEY_CONTINUE,
	KEY_TITLE,
	KEY_MESSAGE,
	KEY_NEWLINK,
	KEY__MAX
};

static const char *const form_keys[KEY__MAX] = {
	"question",	/* KEY_QUESTION */
	"help",		/* KEY_HELP */
	"action",	/* KEY_ACTION */
	"errors",	/* KEY_ERRORS */
	"options",	/* KEY_OPTIONS */
	"code",		/* KEY_CODE */
	"hidden",	/* KEY_HIDDEN */
	"consent",	/* KEY_CONSENT */
	"script",	/* KEY_SCRIPT */
	"thanks",	/* KEY_THANKS */
	"answered",	/* KEY_ANSWERED */
	"embed",	/* KEY_EMBED */
	"continue",	/* KEY_CONTINUE */
	"title",	/* KEY_TITLE */
	"message",	/* KEY_MESSAGE */
	"newlink",	/* KEY_NEWLINK */
};

/* Both pages share the markers; hs_program_main loads them. */
const struct hs_tmpldef survey_tmpls[TMPL__MAX] = {
	{ "survey-form.html", form_keys, KEY__MAX },	/* TMPL_FORM */
	{ "survey-thanks.html", form_keys, KEY__MAX },	/* TMPL_THANKS */
	{ "survey-answered.html", form_keys, KEY__MAX }, /* TMPL_ANSWERED */
	{ "survey-link.html", form_keys, KEY__MAX },	/* TMPL_LINK */
};

/*
 * A posted single value to show again, as a one-row field table (any
 * text): NULL when not posted, absent or sent twice.
 */
const char *
form_posted(const struct view *v, const char *name)
{
	struct hs_field	 f[1];
	struct hs_fval	 val[1];
	struct hs_fbad	 bad;

	if (!v->posted)
		return NULL;
	memset(f, 0, sizeof(f));
	f[0].name = name;
	f[0].kind = HS_FIELD_TEXT;
	f[0].max = HS_MAX_FIELD;
	if (hs_field_parse(v->r->form, v->r->formsz, f, 1, 0, val, &bad) !=
	    HS_OK)
		return NULL;
	return val[0].s;
}

/* Whether key is a word of the space-separated list. */
static int
listed(const char *list, const char *key)
{
	size_t	 n = strlen(key);
	const char *p;

	for (p = list; (p = strstr(p, key)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') &&
		    (p[n] == ' ' || p[n] == '\0'))
			return 1;
	return 0;
}

/*
 * What a reopened link fills in of its earlier answer for option o's
 * follow-up (NULL: nothing; a multiple choice's texts are one field).
 */
static const char *
prior_text(const struct view *v, const struct sopt *o)
{
	const struct prior	*pr = v->prior;

	if (pr == NULL || !listed(pr->options, o->key))
		return NULL;
	if (o->fu == FOLLOWUP_REFERRER)
		return pr->referrer;
	if (o->fu == FOLLOWUP_OTHER)
		return pr->other;
	return v->s->multi ? NULL : pr->followup;
}

/* Whether option key was among the posted choices. */
int
form_chosen(const struct hs_req *r, const char *key)
{
	size_t	 i;

	for (i = 0; i < r->formsz; i++)
		if (strcmp(r->form[i].key, "o") == 0 &&
		    strcmp(r->form[i].val, key) == 0)
			return 1;
	return 0;
}

/* An element with a class (or NULL) and escaped text. */
static enum hs_err
put_el(const struct hs_out *out, const char *el, const char *cls,
    const char *text)
{

	return hs_html_elem(out, el, text, "class", cls, NULL);
}

/* " (optional)" after a field's label, in the page's language. */
static enum hs_err
put_optional(const struct hs_out *out)
{
	enum hs_err	 e;

	if ((e = hs_html_open(out, "span", "class", "muted", NULL)) ||
	    (e = hs_html_puts(out, "(")) ||
	    (e = hs_html_puts(out, _("optional"))) ||
	    (e = hs_html_puts(out, ")")))
		return e;
	return hs_html_close(out, "span");
}

/* <p><a class="button" href="url" [target="_top"]>text</a></p> */
static enum hs_err
put_button(const struct hs_out *out, const char *url, int top,
    const char *text)
{
	enum hs_err	 e;

	if ((e = hs_html_open(out, "p", NULL)) ||
	    (e = hs_html_open(out, "a", "class", "button", "href", url,
	    "target",
	    top ? "_top" : NULL, NULL)) ||
	    (e = hs_html_puts(out, text)) ||
	    (e = hs_html_close(out, "a")))
		return e;
	return hs_html_close(out, "p");
}

/* Whether the shown form asks "Who told you?" (and so runs the script). */
static int
asks_referrer(const struct view *v)
{
	size_t	 i;

	for (i = 0; i < v->norder; i++)
		if (v->s->opts[v->order[i]].fu == FOLLOWUP_REFERRER)
			return 1;
	return 0;
}

/*
 * One option with its follow-up input, if it has one.  A "Who told
 * you?" input names the address its script looks names up at
 * (progressive enhancement: without the script it is a plain text
 * input).
 */
static enum hs_err
put_option(const struct view *v, const struct sopt *o)
{
	const struct hs_out	*out = &v->r->out;
	const char		*val;
	char			 name[80], id[80], len[16], sug[100];
	int			 on, ref = o->fu == FOLLOWUP_REFERRER;
	enum hs_err		 e;

	on = v->posted ? form_chosen(v->r, o->key) :
	    v->prior != NULL && listed(v->prior->options, o->key);
	(void)snprintf(id, sizeof(id), "o-%s", o->key);
	if ((e = hs_html_open(out, "div", "class", "opt", NULL)) ||
	    (e = hs_html_open(out, "input", "type", v->s->multi ? "checkbox" :
	    "radio", "name", "o", "id", id, "value", o->key, "checked",
	    on ? hs_html_bare : NULL, NULL)) ||
	    (e = hs_html_open(out, "label", "for", id, NULL)) ||
	    (e = hs_html_puts(out, o->label)) ||
	    (e = hs_html_close(out, "label")))
		return e;
	if (o->fu != FOLLOWUP_NONE) {
		(void)snprintf(name, sizeof(name), "f_%s", o->key);
		(void)snprintf(id, sizeof(id), "f-%s", o->key);
		(void)snprintf(len, sizeof(len), "%d", ref ?
		    SURVEY_MAX_REFERRER : o->fu == FOLLOWUP_OTHER ?
		    SURVEY_MAX_OTHER : SURVEY_MAX_FOLLOWUP);
		(void)snprintf(sug, sizeof(sug), "/s/%s/suggest", v->s->slug);
		val = v->posted ? form_posted(v, name) : prior_text(v, o);
		if ((e = hs_html_open(out, "div", "class", "fu", NULL)) ||
		    (e = hs_html_open(out, "label", "for", id, NULL)) ||
		    (e = hs_html_puts(out, o->fulabel[0] != '\0' ?
		    o->fulabel : _("Please tell us more"))) ||
		    (e = hs_html_puts(out, " ")) ||
		    (e = put_optional(out)) ||
		    (e = hs_html_close(out, "label")) ||
		    (e = hs_html_open(out, "input", "type", "text", "id", id,
		    "name",
		    name, "maxlength", len, "autocomplete", ref ? "off" : NULL,
		    "data-suggest", ref ? sug : NULL, "value",
		    val != NULL ? val : "", NULL)) ||
		    (e = hs_html_close(out, "div")))
			return e;
	}
	if ((e = hs_html_close(out, "div")))
		return e;
	return hs_html_raw(out, "\n");
}

/*
 * "You answered: ..." of a reopened link: the labels of the options
 * chosen (the key of one retired since), the texts given, and whether
 * and until when it may be changed.
 */
static enum hs_err
put_answered(const struct view *v, const struct hs_out *out)
{
	const struct prior	*pr = v->prior;
	const struct sopt	*o;
	char			 list[sizeof(pr->options)], *k, *save = NULL;
	const char		*texts[4];
	size_t			 i, n = 0;
	enum hs_err		 e;

	(void)snprintf(list, sizeof(list), "%s", pr->options);
	if ((e = hs_html_open(out, "div", "class", "answered", "role", "status",
	    NULL)) ||
	    (e = hs_html_open(out, "p", NULL)) ||
	    (e = hs_html_puts(out, _("You answered:"))) ||
	    (e = hs_html_puts(out, " ")) ||
	    (e = hs_html_open(out, "strong", NULL)))
		return e;
	for (k = strtok_r(list, " ", &save); k != NULL;
	    k = strtok_r(NULL, " ", &save)) {
		o = survey_opt(v->s, k);
		if ((n++ > 0 && (e = hs_html_puts(out, "; "))) ||
		    (e = hs_html_puts(out, o != NULL ? o->label : k)))
			return e;
	}
	if ((e = hs_html_close(out, "strong")) || (e = hs_html_close(out, "p")))
		return e;
	texts[0] = pr->referrer;
	texts[1] = pr->other;
	texts[2] = pr->followup;
	texts[3] = pr->code;
	for (i = 0; i < 4; i++)
		if (texts[i][0] != '\0' &&
		    (e = put_el(out, "p", "given", texts[i])))
			return e;
	if (pr->changeable) {
		/* "YYYY-MM-DD HH:MM" of until, in UTC. */
		if ((e = hs_html_open(out, "p", NULL)) ||
		    (e = hs_html_puts(out, _("You can change it until"))) ||
		    (e = hs_html_puts(out, " ")) ||
		    (e = hs_html_putsz(out, pr->until, 16)) ||
		    (e = hs_html_puts(out, " UTC. ")) ||
		    (e = hs_html_puts(out, _("Choose again below and send "
		    "it."))) ||
		    (e = hs_html_close(out, "p")))
			return e;
	} else if ((e = put_el(out, "p", NULL, _("Your answer is kept. It can "
	    "no longer be changed."))))
		return e;
	return hs_html_close(out, "div");
}

/* KEY_CODE: the box for a code someone gave, if the survey asks. */
static enum hs_err
put_code(const struct view *v, const struct hs_out *out)
{
	const char	*val;
	enum hs_err	 e;

	if (!v->s->ask_code)
		return HS_OK;
	val = v->posted ? form_posted(v, "code") : v->prior != NULL ?
	    v->prior->code : NULL;
	if ((e = hs_html_open(out, "div", "class", "code", NULL)) ||
	    (e = hs_html_open(out, "label", "for", "code", NULL)) ||
	    (e = hs_html_puts(out, _("Did someone give you a code?"))) ||
	    (e = hs_html_puts(out, " ")) ||
	    (e = put_optional(out)) ||
	    (e = hs_html_close(out, "label")) ||
	    (e = hs_html_open(out, "input", "type", "text", "id", "code",
	    "name", "code", "autocomplete", "off", "spellcheck", "false",
	    "autocapitalize", "characters", "maxlength", "64", "value",
	    val != NULL ? val : "", NULL)))
		return e;
	return hs_html_close(out, "div");
}

/* KEY_HIDDEN: the form token, the click and the honeypot. */
static enum hs_err
put_hidden(const struct view *v, const struct hs_out *out)
{
	enum hs_err	 e;

	if ((e = hs_html_open(out, "input", "type", "hidden", "name", "ft",
	    "value", v->token, NULL)) ||
	    (e = hs_html_open(out, "input", "type", "hidden", "name", "cid",
	    "value", v->click, NULL)))
		return e;
	/* The honeypot: hidden from people (CSS, aria, tab). */
	if ((e = hs_html_open(out, "div", "class", "hp", "aria-hidden", "true",
	    NULL)) ||
	    (e = hs_html_open(out, "label", "for", FORM_HONEYPOT, NULL)) ||
	    (e = hs_html_puts(out, _("Leave this empty"))) ||
	    (e = hs_html_close(out, "label")) ||
	    (e = hs_html_open(out, "input", "type", "text", "id", FORM_HONEYPOT,
	    "name", FORM_HONEYPOT, "tabindex", "-1", "autocomplete",
	    "off", "value", "", NULL)))
		return e;
	return hs_html_close(out, "div");
}

/* KEY_CONSENT: the survey's consent box, or the plain notice. */
static enum hs_err
put_consent(const struct view *v, const struct hs_out *out)
{
	const struct survey	*s = v->s;
	const char		*val;
	enum hs_err		 e;

	/* A survey that asks no consent: a plain notice. */
	if (s->consent_text[0] == '\0')
		return put_el(out, "p", "notice muted",
		    _(v->c->conf.consent_text));
	val = v->posted ? form_posted(v, "consent") : v->prior != NULL ?
	    "1" : NULL;
	if ((e = hs_html_open(out, "div", "class", "consent", NULL)) ||
	    (e = hs_html_open(out, "input", "type", "checkbox", "id",
	    "consent", "name", "consent", "value", "1",
	    "aria-describedby", "consent-what", "checked",
	    val != NULL ? hs_html_bare : NULL, NULL)) ||
	    (e = hs_html_open(out, "label", "for", "consent", NULL)) ||
	    (e = hs_html_puts(out, s->consent_text)) ||
	    (e = hs_html_close(out, "label")) ||
	    (e = hs_html_open(out, "p", "id", "consent-what", "class", "muted",
	    NULL)) ||
	    (e = hs_html_puts(out, _(CONSENT_UNLINKED))) ||
	    (e = hs_html_close(out, "p")))
		return e;
	return hs_html_close(out, "div");
}

/*
 * The page's scripts: the embedded pages' one that sizes the frame, and
 * the name lookup when the form asks who told the person.
 */
static enum hs_err
put_scripts(const struct view *v, const struct hs_out *out)
{
	enum hs_err	 e;

	if (v->embed && ((e = hs_html_open(out, "script", "src",
	    EMBED_SCRIPT, "defer", hs_html_bare, NULL)) ||
	    (e = hs_html_close(out, "script"))))
		return e;
	if (!asks_referrer(v))
		return HS_OK;
	if ((e = hs_html_open(out, "script", "src", FORM_SCRIPT, "defer",
	    hs_html_bare, NULL)))
		return e;
	return hs_html_close(out, "script");
}

/* The template callback: writes marker key, escaping every value. */
static enum hs_err
render(size_t key, const struct hs_out *out, void *arg)
{
	const struct view	*v = arg;
	const struct survey	*s = v->s;
	enum hs_err		 e = HS_OK;
	size_t			 i;

	switch (key) {
	case KEY_QUESTION:
		return hs_html_puts(out, s->question);
	case KEY_HELP:
		if (s->help[0] == '\0')
			return HS_OK;
		return put_el(out, "p", "help", s->help);
	case KEY_ACTION:
		/* The embedded form posts with ?embed=1, so that the page
		 * it leads to may be shown in the same frame. */
		if ((e = hs_html_raw(out, "/s/")) ||
		    (e = hs_html_puts(out, s->slug)))
			return e;
		return v->embed ? hs_html_raw(out, "?embed=1") : HS_OK;
	case KEY_ERRORS:
		if (v->error == NULL)
			return HS_OK;
		if ((e = hs_html_open(out, "p", "class", "error", "role",
		    "alert", NULL)) || (e = hs_html_puts(out, _(v->error))))
			return e;
		return hs_html_close(out, "p");
	case KEY_OPTIONS:
		for (i = 0; i < v->norder && e == HS_OK; i++)
			e = put_option(v, &s->opts[v->order[i]]);
		return e;
	case KEY_CODE:
		return put_code(v, out);
	case KEY_HIDDEN:
		return put_hidden(v, out);
	case KEY_CONSENT:
		return put_consent(v, out);
	case KEY_SCRIPT:
		return put_scripts(v, out);
	case KEY_THANKS:
		if ((e = hs_html_puts(out, _("Your answer to"))) ||
		    (e = hs_html_raw(out, " &ldquo;")) ||
		    (e = hs_html_puts(out, s->question)) ||
		    (e = hs_html_raw(out, "&rdquo; ")))
			return e;
		return hs_html_puts(out, v->changed ? _("is changed.") :
		    _("is saved."));
	case KEY_ANSWERED:
		return v->prior != NULL && v->prior->have ?
		    put_answered(v, out) : HS_OK;
	case KEY_EMBED:
		return v->embed ? hs_html_raw(out, " embed") : HS_OK;
	case KEY_CONTINUE:
		/* Back to the app; from the embedded form, its whole page. */
		if (s->return_url[0] == '\0')
			return put_el(out, "p", NULL, _("You can close this "
			    "page now."));
		return put_button(out, s->return_url, v->embed, _("Continue"));
	case KEY_TITLE:
		return hs_html_puts(out, v->title != NULL ? _(v->title) : "");
	case KEY_MESSAGE:
		return hs_html_puts(out, v->error != NULL ? _(v->error) : "");
	case KEY_NEWLINK:
		if (s->new_link[0] == '\0')
			return put_el(out, "p", NULL, _("Please ask the people "
			    "who sent you this link for a new one."));
		return put_button(out, s->new_link, v->embed,
		    _("Get a new link"));
	default:
		abort();
	}
}

/* The origin of an absolute URL into out ("" if it has none). */
static void
origin_of(const char *u, char *out, size_t sz)
{
	const char	*s;
	size_t		 len;

	out[0] = '\0';
	if ((s = strstr(u, "://")) == NULL)
		return;
	len = strcspn(s + 3, "/?#") + (size_t)(s + 3 - u);
	if (len < sz) {
		memcpy(out, u, len);
		out[len] = '\0';
	}
}

/* Whether u may stand in a CSP source list: no spaces, quotes or ';'. */
static int
csp_ok(const char *u)
{

	return strcspn(u, " ;,'\"") == strlen(u);
}

/*
 * Queues the headers of a form page.  A survey that sends people back
 * to the app's return_url must allow that origin as a form target too
 * (Chrome applies form-action to the redirect after a POST), and the
 * ?embed=1 variant may be framed by that same origin (the app that
 * embeds it): frame-ancestors overrides X-Frame-Options in every
 * current browser, and SAMEORIGIN replaces DENY for older ones.  A form
 * that asks "Who told you?" may run one script, FORM_SCRIPT, and fetch
 * from one address, its survey's lookup: both are named by their full
 * URL (a source with a path matches that file only), not 'self', so no
 * other script of the site could run here.
 */
static enum hs_err
form_headers(struct hs_req *r, const struct view *v, int embed)
{
	const struct survey	*s = v->s;
	const char		*base = v->c->conf.base_url, *ret;
	char			 csp[2000], app[600], js[900];

	origin_of(s->return_url, app, sizeof(app));
	if (!csp_ok(app))
		app[0] = '\0';
	ret = app[0] != '\0' ? " " : "";
	js[0] = '\0';
	if (!csp_ok(base))
		;
	else if (asks_referrer(v) && (size_t)snprintf(js, sizeof(js),
	    "; script-src %s" FORM_SCRIPT "%s%s%s; connect-src "
	    "%s/s/%s/suggest", base, embed ? " " : "", embed ? base : "",
	    embed ? EMBED_SCRIPT : "", base, s->slug) >= sizeof(js))
		js[0] = '\0';
	else if (!asks_referrer(v) && embed && (size_t)snprintf(js,
	    sizeof(js), "; script-src %s" EMBED_SCRIPT, base) >= sizeof(js))
		js[0] = '\0';
	(void)snprintf(csp, sizeof(csp), "default-src 'none'; style-src "
	    "'self'; img-src 'self' data:%s; form-action 'self'%s%s; "
	    "frame-ancestors %s%s%s; base-uri 'none'", js, ret, app,
	    embed ? "'self'" : "'none'", embed ? ret : "",
	    embed ? app : "");
	if (embed && hs_http_header(r, "X-Frame-Options", "SAMEORIGIN") !=
	    HS_OK)
		return HS_EINVAL;
	return hs_http_header(r, "Content-Security-Policy", csp);
}

/* Writes the form page with status code. */
void
form_show(struct view *v, struct hs_req *r, int code, int embed)
{

	if (form_headers(r, v, embed) != HS_OK ||
	    hs_http_open(r, code, "text/html") != HS_OK) {
		(void)hs_http_error(r, 500, "The form could not be shown.");
		return;
	}
	if (r->method == HS_METHOD_HEAD)
		return;
	if (hs_tmpl_render(v->c->tmpl[TMPL_FORM], &r->out, render, v) !=
	    HS_OK)
		hs_log(HS_LOG_INFO, "form: client went away");
}

/*
 * A page of v's survey other than the form (template t) with status
 * code: the thanks, an answer that can no longer be changed, a link
 * that does not work.
 */
void
form_page(struct view *v, struct hs_req *r, enum page_tmpl t, int code)
{

	if (form_headers(r, v, v->embed) != HS_OK ||
	    hs_http_open(r, code, "text/html") != HS_OK) {
		(void)hs_http_error(r, 500, "The page could not be shown.");
		return;
	}
	if (r->method != HS_METHOD_HEAD &&
	    hs_tmpl_render(v->c->tmpl[t], &r->out, render, v) != HS_OK)
		hs_log(HS_LOG_INFO, "form: client went away");
}
