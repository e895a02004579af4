/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * i18n.c: the fixed wording people read (survey, thank-you and error
 * pages, the event host's kit) in the language of the survey or event,
 * from GNU gettext catalogues (po/LL.po, compiled at build time into
 * locale_dir/LL/LC_MESSAGES/hearsay.mo).
 *
 * A language is chosen per request (hs_lang_set), not per process, and
 * without needing a system locale per language: a fresh Debian machine
 * has no de_DE.UTF-8 unless someone runs locale-gen.  glibc's gettext
 * honours the LANGUAGE variable whenever LC_MESSAGES is not exactly
 * "C", and C.UTF-8 is built into glibc (2.35 and later; Debian's libc-bin
 * has shipped it for longer).  So the lookup runs under a C.UTF-8
 * LC_MESSAGES locale installed for that call only (uselocale, so nothing
 * else in the worker sees it: numbers, strerror and the logs stay C),
 * with LANGUAGE naming the request's language.  gettext caches lookups
 * by locale name, not by LANGUAGE, so a change of language bumps
 * _nl_msg_cat_cntr, as the gettext manual says to ("Being a gettext
 * grok": changing the language at run time).  Workers are
 * single-threaded, which is what makes a process-wide LANGUAGE right.
 *
 * English is the msgids themselves: no catalogue, no lookup.  A
 * language hs_lang_ok does not know, or a catalogue that is missing,
 * falls back to English.
 */
#include "config.h"

#include <libintl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hearsay.h"

/* glibc's (and GNU libintl's) catalogue generation counter. */
extern int	 _nl_msg_cat_cntr;

/* The languages with a complete catalogue (po/LINGUAS), English first. */
static const char *const langs[] = { "en", "de" };
#define NLANGS	(sizeof(langs) / sizeof(langs[0]))

static locale_t		 msgloc = (locale_t)0;	/* C.UTF-8 LC_MESSAGES */
static const char	*cur = "en";		/* one of langs[] */

int
hs_lang_ok(const char *lang)
{
	size_t	 i;

	if (lang == NULL)
		return 0;
	for (i = 0; i < NLANGS; i++)
		if (strcmp(lang, langs[i]) == 0)
			return 1;
	return 0;
}

void
hs_i18n_init(const char *dir)
{

	(void)bindtextdomain(HS_TEXTDOMAIN, dir);
	(void)bind_textdomain_codeset(HS_TEXTDOMAIN, "UTF-8");
	if (msgloc == (locale_t)0 &&
	    (msgloc = newlocale(LC_MESSAGES_MASK, "C.UTF-8", (locale_t)0))
	    == (locale_t)0)
		hs_log(HS_LOG_WARN, "i18n: no C.UTF-8 locale: pages are "
		    "in English only");
	++_nl_msg_cat_cntr;
}

const char *
hs_lang_set(const char *lang)
{
	const char	*old = cur;
	size_t		 i;

	for (i = 0; i < NLANGS; i++)
		if (lang != NULL && strcmp(lang, langs[i]) == 0)
			break;
	if (i == NLANGS)
		i = 0;
	if (strcmp(cur, langs[i]) != 0) {
		cur = langs[i];
		if (i != 0) {
			(void)setenv("LANGUAGE", cur, 1);
			++_nl_msg_cat_cntr;
		}
	}
	return old;
}

const char *
hs_lang(void)
{

	return cur;
}

const char *
hs_tr(const char *msgid)
{
	locale_t	 old;
	const char	*s;

	if (msgid == NULL || *msgid == '\0' || cur == langs[0] ||
	    msgloc == (locale_t)0)
		return msgid;
	old = uselocale(msgloc);
	s = dgettext(HS_TEXTDOMAIN, msgid);
	(void)uselocale(old);
	return s;
}

/* Month and weekday names, marked for the catalogue. */
static const char *const months[12] = {
	N_("January"), N_("February"), N_("March"), N_("April"), N_("May"),
	N_("June"), N_("July"), N_("August"), N_("September"),
	N_("October"), N_("November"), N_("December")
};
static const char *const wdays[7] = {
	N_("Sunday"), N_("Monday"), N_("Tuesday"), N_("Wednesday"),
	N_("Thursday"), N_("Friday"), N_("Saturday")
};

/*
 * Writes when ("YYYY-MM-DD HH:MM", as stored) into out as a date people
 * read in the request's language, from a pattern the translator orders
 * ({weekday}, {day}, {month}, {year}, {time}): no printf format comes
 * from a catalogue.  Returns 1, or 0 (out is "") for anything else.
 */
int
hs_date_long(const char *when, char *out, size_t sz)
{
	/* TRANSLATORS: a date on a poster; keep the {names}. */
	const char	*pat = _("{weekday}, {month} {day}, {year}, {time}");
	const char	*p, *v;
	char		 num[16];
	struct tm	 tm;
	size_t		 len = 0, n;
	int		 y, mo, d, h, mi, k = 0;

	if (sz == 0)
		return 0;
	out[0] = '\0';
	if (when == NULL || strlen(when) != 16 || sscanf(when,
	    "%4d-%2d-%2d %2d:%2d%n", &y, &mo, &d, &h, &mi, &k) != 5 ||
	    k != 16 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 ||
	    h > 23 || mi < 0 || mi > 59)
		return 0;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = 12;
	if (timegm(&tm) == (time_t)-1 || tm.tm_wday < 0 || tm.tm_wday > 6)
		return 0;
	for (p = pat; *p != '\0'; p += n) {
		v = NULL;
		n = 1;
		if (strncmp(p, "{weekday}", 9) == 0) {
			v = _(wdays[tm.tm_wday]);
			n = 9;
		} else if (strncmp(p, "{month}", 7) == 0) {
			v = _(months[mo - 1]);
			n = 7;
		} else if (strncmp(p, "{day}", 5) == 0) {
			(void)snprintf(num, sizeof(num), "%d", d);
			v = num;
			n = 5;
		} else if (strncmp(p, "{year}", 6) == 0) {
			(void)snprintf(num, sizeof(num), "%04d", y);
			v = num;
			n = 6;
		} else if (strncmp(p, "{time}", 6) == 0) {
			(void)snprintf(num, sizeof(num), "%02d:%02d", h, mi);
			v = num;
			n = 6;
		}
		if (v == NULL) {
			if (len + 1 >= sz)
				goto trunc;
			out[len++] = *p;
		} else {
			if (len + strlen(v) >= sz)
				goto trunc;
			memcpy(out + len, v, strlen(v));
			len += strlen(v);
		}
	}
	out[len] = '\0';
	return 1;
trunc:
	out[0] = '\0';
	return 0;
}
