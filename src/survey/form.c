/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * form.c: the survey form, its submission and the thank-you page.
 *
 * GET /s/<slug>?t=<token> shows the question.  The token, signed by the
 * host application with purpose "signup", names the signup, so nobody can
 * answer for someone else; a survey with allow_unsigned also takes no
 * token (the answer is stored as unverified).  The page carries a signed
 * form token of purpose "form" over
 *	<nonce>.<survey id>.<version>.<verified>.<order>.<signup ref>
 * where nonce (32 hex) becomes the answer's submission_id, so a double
 * submit or a retry stores one answer, and order is the shown order of
 * the options, one base-36 digit per option index, so the order stored
 * is the order the person saw and only shown options can be chosen.
 *
 * POST /s/<slug> checks, in order: method (405, main.c's routes), survey
 * (404), body (415, 413, 400 for malformed encoding, UTF-8, NUL, repeated
 * fields), CSRF
 * (Sec-Fetch-Site and Origin, then the form token: 403), the honeypot
 * (a filled one gets the thank-you redirect and nothing is stored, so a
 * bot learns nothing), then every field against the definition (400,
 * re-showing the form with what the person typed), and stores the
 * answer (store.c) before the 303 to the thank-you page.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "hearsay.h"
#include "survey.h"

#define FORM_MAX_TOKEN	512	/* bytes in a signed form token */
#define FORM_HONEYPOT	"website"
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

/* Everything one rendering of the form needs. */
struct view {
	struct survey_ctx	*c;
	const struct survey	*s;
	const struct hs_req	*r;
	size_t			 order[SURVEY_MAX_OPTIONS]; /* option indexes */
	size_t			 norder;
	const char		*token;		/* the signed form token */
	char			 click[SURVEY_CLICKID + 1];
	const char		*error;		/* inline message, or NULL */
	int			 posted;	/* re-show r->form values */
	int			 embed;		/* ?embed=1: in an iframe */
	const struct prior	*prior;		/* earlier answer, or NULL */
	int			 changed;	/* thanks: an answer replaced */
	const char		*title;		/* the link page's heading */
	char			 fieldmsg[256];	/* a bad field, named */
};

static const char b36[] = "0123456789abcdefghijklmnopqrstuvwxyz";

/* Whether s is empty or a click id (SURVEY_CLICKID lower-case hex). */
static int
cid_ok(const char *s, size_t len)
{

	return len == 0 || survey_hex_ok(s, SURVEY_CLICKID);
}

/*
 * The query of the survey's pages.  The display options are lax: any
 * other value is the plain page, as a link pasted by hand may carry.
 */
enum { SQ_T, SQ_EMBED, SQ_CHANGED, SQ__MAX };
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

/*
 * A posted single value to show again, as a one-row field table (any
 * text): NULL when not posted, absent or sent twice.
 */
static const char *
posted(const struct view *v, const char *name)
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
static int
chosen(const struct hs_req *r, const char *key)
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

	on = v->posted ? chosen(v->r, o->key) :
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
		val = v->posted ? posted(v, name) : prior_text(v, o);
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
		    (e = hs_html_puts(out, _("Choose again below and send it."))) ||
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
	val = v->posted ? posted(v, "code") : v->prior != NULL ?
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
	val = v->posted ? posted(v, "consent") : v->prior != NULL ?
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
			return put_el(out, "p", NULL, _("You can close this page "
			    "now."));
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
static void
show(struct view *v, struct hs_req *r, int code, int embed)
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
static void
page(struct view *v, struct hs_req *r, enum page_tmpl t, int code)
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
	page(v, r, TMPL_LINK, 403);
}

/* Fisher-Yates over idx[lo..hi). */
static void
shuffle(size_t *idx, size_t lo, size_t hi)
{
	size_t	 i, j, t;

	for (i = hi; i > lo + 1; i--) {
		j = lo + randombytes_uniform((uint32_t)(i - lo));
		t = idx[i - 1];
		idx[i - 1] = idx[j];
		idx[j] = t;
	}
}

/* Sets v->order by the survey's shuffle mode. */
static void
make_order(struct view *v)
{
	const struct survey	*s = v->s;
	size_t			 i, n = 0;

	if (s->shuffle == SHUFFLE_UNPINNED) {
		for (i = 0; i < s->nopts; i++)
			if (!s->opts[i].pinned)
				v->order[n++] = i;
		shuffle(v->order, 0, n);
		for (i = 0; i < s->nopts; i++)
			if (s->opts[i].pinned)
				v->order[n++] = i;
	} else {
		for (i = 0; i < s->nopts; i++)
			v->order[n++] = i;
		if (s->shuffle == SHUFFLE_ALL)
			shuffle(v->order, 0, n);
	}
	v->norder = n;
}

/*
 * Signs a new form token for v (fresh nonce, v->order) into tok.
 * Returns HS_OK or an hs_buf/hs_token_sign error.
 */
static enum hs_err
sign_form(struct view *v, const char *ref, int verified, struct hs_buf *tok)
{
	char	 nonce[SURVEY_NONCE + 1], payload[512], ord[SURVEY_MAX_OPTIONS + 1];
	size_t	 i;

	hs_rand_hex(nonce, sizeof(nonce));
	for (i = 0; i < v->norder; i++)
		ord[i] = b36[v->order[i]];
	ord[i] = '\0';
	if (snprintf(payload, sizeof(payload), "%s.%lld.%lld.%d.%s.%s", nonce,
	    v->s->id, v->s->version, verified, ord, ref != NULL ? ref : "") >=
	    (int)sizeof(payload))
		return HS_ETOOBIG;
	return hs_token_sign(v->c->conf.hmac_key, "form", payload,
	    (long long)time(NULL) + v->c->conf.token_max_age, tok);
}

/*
 * The click id from the query parameter (named in the configuration:
 * a lax row, so a bad one falls back), else the cookie; "" if none.
 */
static void
click_of(struct survey_ctx *c, const struct hs_req *r, char out[33])
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
static int
query_read(struct hs_req *r, struct view *v, struct hs_fval q[SQ__MAX])
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
	if (query_read(r, &v, q) != 0)
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
			    N_("The link is not the one we sent: part of it may "
			    "be missing or changed. Nothing was stored."));
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
			page(&v, r, TMPL_ANSWERED, 200);
			goto out;
		}
	}
	make_order(&v);
	click_of(c, r, v.click);
	if (sign_form(&v, verified ? ref : NULL, verified, &tok) != HS_OK) {
		(void)hs_http_error(r, 500, "The form could not be shown.");
		goto out;
	}
	v.token = hs_buf_str(&tok);
	show(&v, r, 200, v.embed);
out:
	hs_buf_free(&tok);
}

/* Counts UTF-8 characters (the input is valid UTF-8). */
static size_t
chars(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

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
 * Checks the form token ft against survey s and fills v->order, *ver,
 * nonce and ref from it.  Every output is set on every path: empty (or 0)
 * first, then what the token proves once its MAC verified.  Returns 0;
 * -1 when the token is genuine but the survey changed since it was
 * signed (then *ver and ref are the token's own, to be signed into a
 * fresh form, and v->order and nonce are not to be used); or the HTTP
 * status already answered (403).
 */
static int
check_token(struct hs_req *r, struct view *v, const char *ft, int *ver,
    char nonce[SURVEY_NONCE + 1], char ref[SURVEY_MAX_REF + 1])
{
	char		 payload[512], *f[6], *p, *ep;
	size_t		 i, j, n;
	enum hs_err	 e;

	/*
	 * The caller's buffers live on a worker's stack, reused request
	 * after request: a path that returned without setting them once
	 * signed the previous poster's signup reference into this
	 * person's fresh form.
	 */
	*ver = 0;
	nonce[0] = '\0';
	ref[0] = '\0';
	v->norder = 0;
	e = hs_token_verify(v->c->conf.hmac_key, "form", ft,
	    (long long)time(NULL), payload, sizeof(payload));
	if (e == HS_ENOTFOUND) {
		(void)hs_http_error(r, 403, "This form has expired. Please "
		    "reload the page and answer again.");
		return 403;
	}
	if (e != HS_OK)
		goto forged;
	/* The signup ref is last: it may hold dots. */
	for (p = payload, i = 0; i < 5; i++) {
		f[i] = p;
		if ((p = strchr(p, '.')) == NULL)
			goto forged;
		*p++ = '\0';
	}
	f[5] = p;
	if (!survey_hex_ok(f[0], SURVEY_NONCE) ||
	    strtoll(f[1], &ep, 10) != v->s->id || *ep != '\0' ||
	    strlen(f[5]) > SURVEY_MAX_REF ||
	    (strcmp(f[3], "0") != 0 && strcmp(f[3], "1") != 0))
		goto forged;
	/* What the MAC proves, whatever the survey's version now is. */
	*ver = strcmp(f[3], "1") == 0;
	(void)snprintf(ref, SURVEY_MAX_REF + 1, "%s", f[5]);
	if (strtoll(f[2], &ep, 10) != v->s->version || *ep != '\0')
		return -1;	/* the survey changed: a fresh form */
	if ((n = strlen(f[4])) > v->s->nopts)
		return -1;
	for (i = 0; i < n; i++) {
		if ((p = strchr(b36, f[4][i])) == NULL ||
		    (size_t)(p - b36) >= v->s->nopts)
			return -1;
		v->order[i] = (size_t)(p - b36);
		for (j = 0; j < i; j++)
			if (v->order[j] == v->order[i])
				goto forged;
	}
	v->norder = n;
	memcpy(nonce, f[0], SURVEY_NONCE + 1);
	return 0;
forged:
	(void)hs_http_error(r, 403, "This form's security check failed. "
	    "Please reload the page and answer again.");
	return 403;
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
		if (!chosen(r, o->key))
			continue;
		addkey(a->options, sizeof(a->options), o->key);
		if (o->fu == FOLLOWUP_NONE)
			continue;
		(void)snprintf(msg, sizeof(msg), "f_%s", o->key);
		val = posted(v, msg);
		cap = o->fu == FOLLOWUP_REFERRER ? SURVEY_MAX_REFERRER :
		    o->fu == FOLLOWUP_OTHER ? SURVEY_MAX_OTHER :
		    SURVEY_MAX_FOLLOWUP;
		if (val != NULL && chars(val) > cap) {
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
		if (chars(hs_buf_str(&fu)) > SURVEY_MAX_FOLLOWUP) {
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
	if (val != NULL && chars(val) > SURVEY_MAX_CODE)
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

	make_order(v);
	click_of(v->c, r, v->click);
	if (sign_form(v, ref[0] != '\0' ? ref : NULL, verified, tok) !=
	    HS_OK) {
		(void)hs_http_error(r, 500, "The form could not be shown.");
		return;
	}
	v->token = hs_buf_str(tok);
	v->error = N_("This survey changed while you were answering. "
	    "Please answer again.");
	show(v, r, 400, v->embed);
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
		show(v, r, 400, v->embed);
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
		page(v, r, TMPL_ANSWERED, 409);
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

/* POST /s/<slug>: validates, stores (or journals, or defers), 303. */
static void
form_post(struct hs_req *r, struct survey_ctx *c, const struct survey *s)
{
	struct view	 v;
	struct answer	 a;
	struct hs_buf	 tok;
	struct hs_fval	 q[SQ__MAX];
	const char	*ft = NULL, *msg;
	char		 nonce[SURVEY_NONCE + 1] = "";
	char		 ref[SURVEY_MAX_REF + 1] = "";
	struct prior	 pr;
	int		 verified = 0, hard, oom = 0, rc;

	memset(&v, 0, sizeof(v));
	memset(&a, 0, sizeof(a));
	hs_buf_init(&tok, FORM_MAX_TOKEN);
	v.c = c;
	v.s = s;
	v.r = r;
	if (query_read(r, &v, q) != 0)
		goto out;
	if (form_gate(r, c, &ft) != 0)
		goto out;
	if ((rc = check_token(r, &v, ft, &verified, nonce, ref)) > 0)
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
	if (s->consent_text[0] != '\0' && !a.consent && ref[0] != '\0' &&
	    answer_current(c, s->id, ref, a.answered_at, &pr) == HS_OK &&
	    pr.have) {
		/* The earlier answer was given with consent: a change
		 * cannot take it back (that is an erasure). */
		v.error = N_("Your earlier answer was kept with your consent. "
		    "To change it, tick the box; to have it erased, please "
		    "write to us.");
		show(&v, r, 400, v.embed);
		goto out;
	}
	if (s->consent_text[0] != '\0' && !a.consent) {
		/* Not linked to the person: no signup, click or network. */
		ref[0] = '\0';
		a.verified = 0;
		a.click[0] = '\0';
	}
	if (ref[0] != '\0' && (a.signup_ref = hs_xstrdup(ref)) == NULL) {
		(void)hs_http_error(r, 500, "The answer could not be stored.");
		goto out;
	}
	if (s->consent_text[0] == '\0' || a.consent)
		survey_client(c, r, a.client);
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
	if (query_read(r, &v, q) != 0)
		return;
	page(&v, r, TMPL_THANKS, 200);
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
