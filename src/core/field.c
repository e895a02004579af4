/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * field.c: a request's fields as a table, after kcgi's keys[] with their
 * validators (STYLE.md section 6).  A handler declares each field it
 * reads (name, kind, limits, whether it must be there) and one call,
 * hs_field_parse, checks the parsed query or body against the table and
 * fills one typed value per row, or says which row failed and why, so
 * the handler answers 400 naming the field (hs_field_error) before it
 * changes anything.
 *
 * The validators are pure: no I/O, no allocation.  They refuse what the
 * form parser (url.c) already refuses too (an embedded NUL, invalid
 * UTF-8), because a table may be applied to pairs from elsewhere and a
 * second look costs nothing.  A field sent twice is always an error,
 * never "first wins" (see hs_kv_get).  HS_FIELD_LAX makes a bad value
 * read as absent instead, for the few fields a page must never refuse
 * (a click's ?qr=1, a display option such as ?embed=1).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"

#define FIELD_MSG_MAX	512	/* bytes of a 400's message */
#define FIELD_INT_MAX	20	/* digits and sign of a long long */

/*
 * Whether s (len bytes, NUL-terminated) is a decimal integer within
 * [min, max]: an optional '-' and digits only, no spaces, no '+', at
 * most FIELD_INT_MAX bytes.  Sets *out when it is.
 */
static int
int_ok(const char *s, size_t len, long long min, long long max,
    long long *out)
{
	char		*end;
	long long	 v;
	size_t		 i;

	if (len == 0 || len > FIELD_INT_MAX)
		return 0;
	for (i = s[0] == '-' ? 1 : 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	if (s[0] == '-' && len == 1)
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return 0;
	*out = v;
	return 1;
}

/* Drops spaces and tabs around the value, in place. */
static void
trim(struct hs_kv *kv)
{
	size_t	 b = 0, e = kv->valsz;

	while (b < e && (kv->val[b] == ' ' || kv->val[b] == '\t'))
		b++;
	while (e > b && (kv->val[e - 1] == ' ' || kv->val[e - 1] == '\t'))
		e--;
	memmove(kv->val, kv->val + b, e - b);
	kv->val[e - b] = '\0';
	kv->valsz = e - b;
}

/*
 * Checks one present value against its row and fills v.
 * Returns HS_OK; HS_EUTF8 for an embedded NUL or invalid UTF-8;
 * HS_ETOOBIG over the row's max bytes (text, pattern); HS_EINVAL for
 * any other bad value (too short, out of range, not in the list, a
 * byte outside the pattern, refused by the row's own check).
 */
static enum hs_err
check(const struct hs_field *f, const struct hs_kv *kv, struct hs_fval *v)
{
	const char	*s = kv->val;
	size_t		 len = kv->valsz, i;
	long long	 n = 0;

	if (strlen(s) != len || !hs_utf8_valid(s, len))
		return HS_EUTF8;
	switch (f->kind) {
	case HS_FIELD_TEXT:
	case HS_FIELD_PATTERN:
		if ((long long)len > f->max)
			return HS_ETOOBIG;
		if ((long long)len < f->min)
			return HS_EINVAL;
		if (f->kind == HS_FIELD_PATTERN && f->chars != NULL)
			for (i = 0; i < len; i++)
				if (strchr(f->chars, s[i]) == NULL)
					return HS_EINVAL;
		break;
	case HS_FIELD_INT:
		if (!int_ok(s, len, f->min, f->max, &n))
			return HS_EINVAL;
		break;
	case HS_FIELD_ENUM:
		for (n = 0; f->list[n] != NULL; n++)
			if (strcmp(f->list[n], s) == 0)
				break;
		if (f->list[n] == NULL)
			return HS_EINVAL;
		break;
	case HS_FIELD_BOOL:
		if (strcmp(s, f->chars != NULL ? f->chars : "on") != 0)
			return HS_EINVAL;
		n = 1;
		break;
	default:
		abort();
	}
	if (f->valid != NULL && !f->valid(s, len))
		return HS_EINVAL;
	v->set = 1;
	v->s = s;
	v->len = len;
	v->i = n;
	return HS_OK;
}

/* Index of the row named key, or ntab. */
static size_t
row(const struct hs_field *tab, size_t ntab, const char *key)
{
	size_t	 i;

	for (i = 0; i < ntab; i++)
		if (strcmp(tab[i].name, key) == 0)
			break;
	return i;
}

/*
 * Checks the n pairs of kv (a request's qv or form) against the ntab
 * rows of tab and fills vals[ntab]: for each row, set is 1 with s/len
 * (the value, NUL-terminated, owned by kv) and i (the integer, the
 * list index, 1 for a ticked box) when the field came and is valid,
 * else set is 0, s NULL and i 0.  Rows are checked in order and the
 * first failure stops the parse.  With HS_FIELD_STRICT in flags a key
 * no row names is refused too.  HS_FIELD_TRIM rows are trimmed in
 * place, so kv is not const.
 * Returns HS_OK; else bad says the failing row (ntab for a key no row
 * names, bad->key then that key) and the error, which is HS_ENOTFOUND (a
 * required row absent or empty), HS_EDUP (sent twice), HS_EUTF8,
 * HS_ETOOBIG or HS_EINVAL (see check; HS_EINVAL also for an unknown
 * key).  An empty integer or list field reads as absent.  A row with
 * HS_FIELD_LAX never fails: a bad or repeated value reads as absent
 * (then HS_ENOTFOUND if it is required too).
 */
enum hs_err
hs_field_parse(struct hs_kv *kv, size_t n, const struct hs_field *tab,
    size_t ntab, unsigned int flags, struct hs_fval *vals,
    struct hs_fbad *bad)
{
	const struct hs_field	*f;
	struct hs_kv		*hit;
	size_t			 i, k, c;
	enum hs_err		 e = HS_OK;

	memset(bad, 0, sizeof(*bad));
	memset(vals, 0, ntab * sizeof(vals[0]));
	for (i = 0; i < ntab; i++) {
		f = &tab[i];
		hit = NULL;
		for (k = c = 0; k < n; k++)
			if (strcmp(kv[k].key, f->name) == 0) {
				hit = &kv[k];
				c++;
			}
		if (c > 1)
			e = HS_EDUP;
		else if (c == 1) {
			if (f->flags & HS_FIELD_TRIM)
				trim(hit);
			/* An empty number or choice was left blank. */
			if (hit->valsz == 0 && (f->kind == HS_FIELD_INT ||
			    f->kind == HS_FIELD_ENUM))
				e = HS_OK;
			else
				e = check(f, hit, &vals[i]);
		}
		if (e != HS_OK && (f->flags & HS_FIELD_LAX)) {
			memset(&vals[i], 0, sizeof(vals[i]));
			e = HS_OK;
		}
		if (e == HS_OK && (f->flags & HS_FIELD_REQUIRED) &&
		    (!vals[i].set || vals[i].len == 0))
			e = HS_ENOTFOUND;
		if (e != HS_OK) {
			memset(&vals[i], 0, sizeof(vals[i]));
			bad->row = i;
			bad->err = e;
			return e;
		}
	}
	if (flags & HS_FIELD_STRICT)
		for (k = 0; k < n; k++)
			if (row(tab, ntab, kv[k].key) == ntab) {
				bad->row = ntab;
				bad->key = kv[k].key;
				bad->err = HS_EINVAL;
				return HS_EINVAL;
			}
	return HS_OK;
}

/*
 * The message for people when hs_field_parse failed as bad says, in
 * the request's language, into buf: it names the
 * field by its label (or its name) and says what was wrong.  A row's
 * hint, when it has one, is the message for any bad value (not for a
 * missing or repeated field): a sentence that names the field and says
 * what it takes.  Returns buf.
 */
const char *
hs_field_msg(const struct hs_field *tab, size_t ntab,
    const struct hs_fbad *bad, char *buf, size_t bufsz)
{
	const struct hs_field	*f;
	const char		*name;
	enum hs_err		 e = bad->err;

	if (bad->row >= ntab) {
		(void)snprintf(buf, bufsz, _("This page does not take a field "
		    "named \"%s\"."), bad->key != NULL ? bad->key : "");
		return buf;
	}
	f = &tab[bad->row];
	name = f->label != NULL ? _(f->label) : f->name;
	if (e == HS_ENOTFOUND)
		(void)snprintf(buf, bufsz, _("Please fill in \"%s\"."), name);
	else if (e == HS_EDUP)
		(void)snprintf(buf, bufsz, _("The field \"%s\" was sent "
		    "twice."), name);
	else if (f->hint != NULL)
		(void)snprintf(buf, bufsz, "%s", _(f->hint));
	else if (e == HS_EUTF8)
		(void)snprintf(buf, bufsz, _("The field \"%s\" is not "
		    "readable text."), name);
	else if (e == HS_ETOOBIG)
		(void)snprintf(buf, bufsz, _("The field \"%s\" is too long."),
		    name);
	else if (f->kind == HS_FIELD_INT)
		(void)snprintf(buf, bufsz, _("The field \"%s\" must be a whole "
		    "number from %lld to %lld."), name, f->min, f->max);
	else if (f->kind == HS_FIELD_TEXT)
		(void)snprintf(buf, bufsz, _("The field \"%s\" is too short."),
		    name);
	else
		(void)snprintf(buf, bufsz, _("The field \"%s\" has a value it "
		    "cannot take."), name);
	return buf;
}

/*
 * Answers 400 with hs_field_msg's message for bad (escaped, as every
 * error page is).  Returns as hs_http_error.
 */
enum hs_err
hs_field_error(struct hs_req *r, const struct hs_field *tab, size_t ntab,
    const struct hs_fbad *bad)
{
	char	 msg[FIELD_MSG_MAX];

	return hs_http_error(r, 400, hs_field_msg(tab, ntab, bad, msg,
	    sizeof(msg)));
}
