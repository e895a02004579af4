/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * tmpl.c: page templates from html/ (*.html) with @@key@@ markers (kcgi's
 * khttp_template).  A template is parsed once at start into literal and
 * marker segments, so rendering never searches text and an unknown
 * marker is caught at start, not in front of a user.  The callback
 * writes each value, through hs_html_puts unless it is trusted markup.
 * @@t:text@@ is fixed wording, written translated (i18n.c) and escaped;
 * @@lang@@ is the request's language.  po/update.sh collects the
 * @@t:...@@ texts into the catalogue.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hearsay.h"

#define TMPL_MAXSEG	512		/* segments in one template */
#define TMPL_MAXFILE	(256 * 1024)	/* bytes in one template file */

struct seg {
	const char	*lit;	/* literal text, or NULL for a marker */
	size_t		 len;	/* literal length */
	size_t		 key;	/* marker's key index, or SEG_* */
	const char	*msg;	/* @@t:msgid@@: the msgid, NUL-terminated */
};

/* The engine's own markers (key values past any program's keys). */
#define SEG_TR		((size_t)-1)	/* @@t:text@@: translated text */
#define SEG_LANG	((size_t)-2)	/* @@lang@@: the request's language */
#define TMPL_TR		"t:"

struct hs_tmpl {
	char		*text;	/* the file, owned */
	struct seg	*segs;
	size_t		 nsegs;
};

void
hs_tmpl_free(struct hs_tmpl *t)
{

	if (t == NULL)
		return;
	free(t->text);
	free(t->segs);
	free(t);
}

static enum hs_err
addseg(struct hs_tmpl *t, const char *lit, size_t len, size_t key,
    const char *msg)
{
	struct seg	*s;

	if (t->nsegs >= TMPL_MAXSEG)
		return HS_ETOOBIG;
	if ((s = hs_xreallocarray(t->segs, t->nsegs + 1, sizeof(*s))) == NULL)
		return HS_ENOMEM;
	t->segs = s;
	s[t->nsegs].lit = lit;
	s[t->nsegs].len = len;
	s[t->nsegs].key = key;
	s[t->nsegs].msg = msg;
	t->nsegs++;
	return HS_OK;
}

/*
 * Parses text (taking ownership of it, NUL-terminated, sz bytes) into
 * *tp.  Returns HS_ENOTFOUND for a marker not in keys (logged), else
 * HS_OK; on error text is freed.
 */
static enum hs_err
parse(struct hs_tmpl **tp, char *text, size_t sz, const char *const *keys,
    size_t nkeys)
{
	struct hs_tmpl	*t;
	const char	*p, *m, *end, *e;
	size_t		 i, klen;
	enum hs_err	 rc;

	*tp = NULL;
	if ((t = hs_xcalloc(1, sizeof(*t))) == NULL) {
		free(text);
		return HS_ENOMEM;
	}
	t->text = text;
	p = text;
	end = text + sz;
	while ((m = strstr(p, "@@")) != NULL &&
	    (e = strstr(m + 2, "@@")) != NULL) {
		klen = (size_t)(e - m - 2);
		if (klen > strlen(TMPL_TR) && strncmp(m + 2, TMPL_TR,
		    strlen(TMPL_TR)) == 0) {
			/* The text is ours (owned): end the msgid in place. */
			text[e - text] = '\0';
			if ((rc = addseg(t, p, (size_t)(m - p), 0, NULL))
			    != HS_OK || (rc = addseg(t, NULL, 0, SEG_TR,
			    m + 2 + strlen(TMPL_TR))) != HS_OK)
				goto out;
			p = e + 2;
			continue;
		}
		if (klen == 4 && memcmp(m + 2, "lang", 4) == 0) {
			if ((rc = addseg(t, p, (size_t)(m - p), 0, NULL))
			    != HS_OK || (rc = addseg(t, NULL, 0, SEG_LANG,
			    NULL)) != HS_OK)
				goto out;
			p = e + 2;
			continue;
		}
		for (i = 0; i < nkeys; i++)
			if (strlen(keys[i]) == klen &&
			    memcmp(keys[i], m + 2, klen) == 0)
				break;
		if (i == nkeys) {
			hs_log(HS_LOG_ERR, "template: unknown marker "
			    "@@%.*s@@", (int)(klen > 40 ? 40 : klen), m + 2);
			rc = HS_ENOTFOUND;
			goto out;
		}
		if ((rc = addseg(t, p, (size_t)(m - p), 0, NULL)) != HS_OK ||
		    (rc = addseg(t, NULL, 0, i, NULL)) != HS_OK)
			goto out;
		p = e + 2;
	}
	if ((rc = addseg(t, p, (size_t)(end - p), 0, NULL)) != HS_OK)
		goto out;
	*tp = t;
	return HS_OK;
out:
	hs_tmpl_free(t);
	return rc;
}

/* Parses a template held in memory (copied). */
enum hs_err
hs_tmpl_parse(struct hs_tmpl **tp, const char *s, size_t sz,
    const char *const *keys, size_t nkeys)
{
	char	*text;

	*tp = NULL;
	if ((text = hs_xstrndup(s, sz)) == NULL)
		return HS_ENOMEM;
	return parse(tp, text, sz, keys, nkeys);
}

/*
 * Loads dir/name and parses it.  Returns HS_ENOTFOUND (missing file or
 * unknown marker), HS_ETOOBIG, HS_EIO, HS_ENOMEM or HS_OK.
 */
enum hs_err
hs_tmpl_load(struct hs_tmpl **tp, const char *dir, const char *name,
    const char *const *keys, size_t nkeys)
{
	char		 path[PATH_MAX];
	struct hs_buf	 b;
	char		 chunk[8192];
	ssize_t		 n;
	int		 fd = -1;
	enum hs_err	 e;

	*tp = NULL;
	hs_buf_init(&b, TMPL_MAXFILE);
	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    (int)sizeof(path)) {
		e = HS_ETOOBIG;
		goto out;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		hs_logerr("template %s", path);
		e = errno == ENOENT ? HS_ENOTFOUND : HS_EIO;
		goto out;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			hs_logerr("template %s", path);
			e = HS_EIO;
			goto out;
		}
		if ((e = hs_buf_add(&b, chunk, (size_t)n)) != HS_OK)
			goto out;
	}
	if (b.ptr == NULL && (e = hs_buf_add(&b, "", 0)) != HS_OK)
		goto out;
	n = (ssize_t)b.len;
	e = parse(tp, hs_buf_take(&b), (size_t)n, keys, nkeys);
	if (e != HS_OK)
		hs_log(HS_LOG_ERR, "template %s: %s", path, hs_strerror(e));
out:
	if (fd != -1)
		close(fd);
	hs_buf_free(&b);
	return e;
}

/*
 * Writes the template, calling cb for each marker.  Returns the first
 * error from the writer or the callback.
 */
enum hs_err
hs_tmpl_render(const struct hs_tmpl *t, const struct hs_out *o,
    hs_tmpl_cb cb, void *arg)
{
	size_t		 i;
	enum hs_err	 e;

	for (i = 0; i < t->nsegs; i++) {
		if (t->segs[i].lit != NULL)
			e = hs_out_write(o, t->segs[i].lit, t->segs[i].len);
		else if (t->segs[i].key == SEG_TR)
			e = hs_html_puts(o, _(t->segs[i].msg));
		else if (t->segs[i].key == SEG_LANG)
			e = hs_html_puts(o, hs_lang());
		else
			e = cb(t->segs[i].key, o, arg);
		if (e != HS_OK)
			return e;
	}
	return HS_OK;
}
