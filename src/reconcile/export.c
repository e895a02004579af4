/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * export.c: the attributions a run computed, as CSV (RFC 4180, every
 * cell through hs_csv_puts, which also defuses spreadsheet formulas in
 * free text) or as a JSON array (jansson, which escapes control
 * characters).  Written through stdio so a million rows are not a
 * million write(2)s.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "hearsay.h"
#include "reconcile.h"

struct rc_export {
	enum rc_fmt	 fmt;
	FILE		*f;
	struct hs_out	 out;
	long long	 n;
	int		 err;
};

static const char *const cols[] = {
	"signup_ref", "signup_id", "response_id", "day", "class",
	"tracked_click_id", "first_click_id", "tracked_at", "tracked_link_id",
	"tracked_channel", "tracked_advocate_id", "tracked_event_id",
	"tracked_campaign_id", "reported_option", "reported_channel",
	"reported_advocate_id", "reported_event_id", "reported_link_id",
	"channel", "advocate_id", "event_id", "campaign_id", "rule",
	"confidence", "risk_flags", "free_kind", "free_text", "free_raw",
	"computed_at", "reward_eligible",
};
#define NCOLS	(sizeof(cols) / sizeof(cols[0]))

/* How a column travels in JSON: 's'tring, 'i'nteger or 'r'eal. */
static const char jtypes[] = "siisssssisiiissiiisiiisrsssssi";
#define CONF_DIGITS	4	/* significant digits of "0.950" */
_Static_assert(sizeof(jtypes) - 1 == NCOLS, "a JSON type per column");

/* hs_out writer over a FILE *. */
static enum hs_err
fwrite_cb(const char *p, size_t n, void *arg)
{

	return fwrite(p, 1, n, arg) == n ? HS_OK : HS_EIO;
}

/*
 * The cells of a row as strings, into v[NCOLS] using buf, and risk for
 * the risk flags: all four names joined need 46 bytes, more than a
 * number's 32 (a row with three or four flags was cut short).
 * reward_eligible is the report's (src/report/main.c, STMT_SIGNUPS):
 * credited to an advocate, and unflagged or its flags accepted by an
 * analyst; a rejected or undecided flag is not.
 */
static void
cells(const struct rc_attr *a, int accepted, const char **v,
    char buf[][32], char risk[HS_RISK_STRMAX])
{
	size_t	 i = 0, b = 0;

#define S(x)	(v[i++] = (x))
#define N(x)	do { if ((x) != 0) { (void)snprintf(buf[b], 32, "%lld", \
		    (long long)(x)); v[i++] = buf[b++]; } else v[i++] = NULL; \
		} while (0)
#define Z(x)	do { (void)snprintf(buf[b], 32, "%lld", (long long)(x)); \
		    v[i++] = buf[b++]; } while (0)
#define O(x)	(v[i++] = (x)[0] != '\0' ? (x) : NULL)
	S(a->ref); N(a->signup_id); N(a->response_id); S(a->day);
	S(hs_classes[a->class]); O(a->tracked_click); O(a->first_click);
	if (a->tracked_ms != 0) {
		rc_fmt_time(a->tracked_ms, buf[b]);
		v[i++] = buf[b++];
	} else
		v[i++] = NULL;
	N(a->t_link); O(a->t_channel); N(a->t_advocate); N(a->t_event);
	N(a->t_campaign); O(a->options); O(a->r_channel); N(a->r_advocate);
	N(a->r_event); N(a->r_link); S(a->channel); Z(a->advocate);
	Z(a->event); Z(a->campaign); S(a->rule);
	(void)snprintf(buf[b], 32, "%.3f", a->conf);
	v[i++] = buf[b++];
	hs_risk_str(a->risk, ",", risk, HS_RISK_STRMAX);
	v[i++] = risk;
	if (a->free_kind >= 0) {
		S(rc_textkinds[a->free_kind]); S(a->free_text); S(a->free_raw);
	} else {
		v[i++] = NULL; v[i++] = NULL; v[i++] = NULL;
	}
	S(a->computed_at);
	S(a->advocate != 0 && (a->risk == 0 || accepted) ? "1" : "0");
#undef S
#undef N
#undef Z
#undef O
}

/* Start an export to f; NULL on error. */
struct rc_export *
rc_export_open(enum rc_fmt fmt, FILE *f)
{
	struct rc_export	*x;
	size_t			 i;

	if ((x = hs_xcalloc(1, sizeof(*x))) == NULL)
		return NULL;
	x->fmt = fmt;
	x->f = f;
	x->out.write = fwrite_cb;
	x->out.arg = f;
	if (fmt == RC_FMT_CSV) {
		for (i = 0; i < NCOLS; i++)
			if ((i > 0 && fputc(',', f) == EOF) ||
			    fputs(cols[i], f) == EOF)
				x->err = 1;
		if (fputs("\r\n", f) == EOF)
			x->err = 1;
	} else if (fputs("[", f) == EOF)
		x->err = 1;
	return x;
}

/*
 * Write one row; accepted: an analyst accepted its flags (the newest
 * flag_reviews row).  Returns 0 or -1 (write error).
 */
int
rc_export_row(struct rc_export *x, const struct rc_attr *a, int accepted)
{
	const char	*v[NCOLS];
	char		 buf[NCOLS][32], risk[HS_RISK_STRMAX];
	json_t		*o;
	char		*s;
	size_t		 i;

	cells(a, accepted, v, buf, risk);
	if (x->fmt == RC_FMT_CSV) {
		for (i = 0; i < NCOLS; i++) {
			if (i > 0 && fputc(',', x->f) == EOF)
				x->err = 1;
			if (v[i] != NULL && hs_csv_puts(&x->out, v[i]) != HS_OK)
				x->err = 1;
		}
		if (fputs("\r\n", x->f) == EOF)
			x->err = 1;
	} else {
		if ((o = json_object()) == NULL)
			return -1;
		for (i = 0; i < NCOLS; i++)
			(void)json_object_set_new(o, cols[i], v[i] == NULL ?
			    json_null() : jtypes[i] == 'i' ?
			    json_integer(strtoll(v[i], NULL, 10)) :
			    jtypes[i] == 'r' ? json_real(strtod(v[i], NULL)) :
			    json_string(v[i]));
		s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER |
		    JSON_REAL_PRECISION(CONF_DIGITS));
		json_decref(o);
		if (s == NULL)
			return -1;
		if (fprintf(x->f, "%s\n%s", x->n > 0 ? "," : "", s) < 0)
			x->err = 1;
		free(s);
	}
	x->n++;
	return x->err ? -1 : 0;
}

/* Finish and free the export.  Returns 0 or -1 (write error). */
int
rc_export_close(struct rc_export *x)
{
	int	 rc;

	if (x == NULL)
		return 0;
	if (x->fmt == RC_FMT_JSON && fputs("\n]\n", x->f) == EOF)
		x->err = 1;
	if (fflush(x->f) == EOF)
		x->err = 1;
	rc = x->err ? -1 : 0;
	free(x);
	return rc;
}
