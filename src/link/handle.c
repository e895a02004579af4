/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * handle.c: GET /i/<code>.  The code is canonicalised by Crockford's
 * rules only and looked up in the worker's snapshot of the links (never
 * in MariaDB: a redirect must not wait on it).  A live link answers 302
 * to its stored destination with its UTM parameters and a fresh click id
 * appended; the click is appended to the local journal *before* the
 * answer, so every 302 has its click on disk (the record is click.c's),
 * and the helper process loads the journal into MariaDB.  Nothing from the request ever reaches
 * the Location: the request's own query is read for qr=1 and the staff
 * parameter and never passed on.  An expired or disabled link goes to
 * its fallback URL untracked; an unknown code gets a page that helps a
 * person type it again.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hearsay.h"
#include "link.h"

#define TYPED_ECHO_MAX	64	/* bytes of a bad code shown back */
#define REFHOST_MAX	255	/* bytes of a referer host kept */
#define SNAP_CHECK_SECS	1	/* how often a worker stats the snapshot */
#define CLICK_TIME_HEX	12	/* hex digits of milliseconds, 48 bits */

/* Markers of html/link-notfound.html. */
enum tkey {
	TKEY_MESSAGE,
	TKEY_CODE,
	TKEY__MAX
};
static const char *const tkeys[TKEY__MAX] = {
	"message",	/* TKEY_MESSAGE */
	"code",		/* TKEY_CODE */
};
const struct hs_tmpldef link_tmpls[LINK_NTMPLS] = {
	{ "link-notfound.html", tkeys, TKEY__MAX },
};

struct page {
	const char	*message;	/* what went wrong, for people */
	const char	*code;		/* prefilled into the form */
};

static enum hs_err
tmplcb(size_t key, const struct hs_out *out, void *arg)
{
	const struct page	*p = arg;

	switch (key) {
	case TKEY_MESSAGE:
		return hs_html_puts(out, p->message);
	case TKEY_CODE:
		return hs_html_puts(out, p->code != NULL ? p->code : "");
	default:
		abort();
	}
}

/*
 * The 404 page: the message, the code as we read it (grouped) or as
 * typed (if short and valid UTF-8, escaped), a form to try again and
 * the O/0 and I/1 hints.
 */
static void
notfound(struct hs_req *r, struct linkd *ld, const char *message,
    const char *code)
{
	struct page	 p;

	p.message = message;
	p.code = code != NULL && strlen(code) <= TYPED_ECHO_MAX &&
	    link_snap_field_ok(code) ? code : "";
	if (hs_http_open(r, 404, "text/html") != HS_OK)
		return;
	if (r->method == HS_METHOD_HEAD || ld->notfound == NULL)
		return;
	if (hs_tmpl_render(ld->notfound, &r->out, tmplcb, &p) != HS_OK)
		hs_log(HS_LOG_INFO, "404 page: client went away");
}

/* Loads today's salt (UTC) from the helper's file, once per day. */
static void
salt_load(struct linkd *ld)
{
	char		 day[11], path[1100];
	time_t		 now = time(NULL);
	struct tm	 tm;
	ssize_t		 n;
	int		 fd;

	(void)gmtime_r(&now, &tm);
	(void)strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	if (ld->havesalt && strcmp(day, ld->saltday) == 0)
		return;
	ld->havesalt = 0;
	if (link_salt_path(&ld->conf, day, path, sizeof(path)) == -1)
		return;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return;
	n = read(fd, ld->salt, sizeof(ld->salt));
	close(fd);
	if (n != (ssize_t)sizeof(ld->salt))
		return;
	memcpy(ld->saltday, day, sizeof(day));
	ld->havesalt = 1;
}

/*
 * Writes the host of a Referer ("https://Chat.Example:8443/x" ->
 * "chat.example") into out, or "" when there is none or it is odd.
 */
static void
refhost(const char *ref, char *out, size_t sz)
{
	const char	*p;
	size_t		 n = 0;

	out[0] = '\0';
	if (ref == NULL || (p = strstr(ref, "://")) == NULL)
		return;
	for (p += 3; *p != '\0' && *p != '/' && *p != ':' && *p != '?' &&
	    *p != '#'; p++) {
		if (n + 1 >= sz || n >= REFHOST_MAX) {
			out[0] = '\0';		/* too long: odd */
			return;
		}
		if (*p >= 'A' && *p <= 'Z')
			out[n++] = (char)(*p - 'A' + 'a');
		else if ((*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '-')
			out[n++] = *p;
		else {
			out[0] = '\0';
			return;
		}
	}
	out[n] = '\0';
	/* "-" is the journal's absent field (click.c): no host. */
	if (strcmp(out, "-") == 0)
		out[0] = '\0';
}

/* Returns 1 if s contains "prefetch" or "prerender" (any case). */
static int
prefetch(const char *s)
{
	char	 low[64];
	size_t	 i;

	if (s == NULL)
		return 0;
	for (i = 0; s[i] != '\0' && i + 1 < sizeof(low); i++)
		low[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ?
		    s[i] - 'A' + 'a' : s[i]);
	low[i] = '\0';
	return strstr(low, "prefetch") != NULL ||
	    strstr(low, "prerender") != NULL;
}

/*
 * Builds dest + the link's UTM query + click_param=click (when click is
 * not NULL) into b, keeping a #fragment last.  Returns HS_OK or the
 * hs_buf error.
 */
static enum hs_err
build_location(struct hs_buf *b, const struct link *l, const char *cparam,
    const char *click)
{
	const char	*frag;
	size_t		 base;
	enum hs_err	 e;
	char		 last;

	frag = strchr(l->dest, '#');
	base = frag != NULL ? (size_t)(frag - l->dest) : strlen(l->dest);
	if ((e = hs_buf_add(b, l->dest, base)) != HS_OK)
		return e;
	last = base > 0 ? l->dest[base - 1] : '\0';
	if (*l->utm != '\0') {
		if (last != '?' && last != '&' && (e = hs_buf_putc(b,
		    memchr(l->dest, '?', base) != NULL ? '&' : '?')) != HS_OK)
			return e;
		if ((e = hs_buf_puts(b, l->utm)) != HS_OK)
			return e;
		last = 'x';
	}
	if (click != NULL) {
		if (last != '?' && last != '&' && (e = hs_buf_putc(b,
		    strchr(hs_buf_str(b), '?') != NULL ? '&' : '?')) != HS_OK)
			return e;
		if ((e = hs_url_encode(b, cparam)) != HS_OK ||
		    (e = hs_buf_putc(b, '=')) != HS_OK ||
		    (e = hs_buf_puts(b, click)) != HS_OK)
			return e;
	}
	if (frag != NULL && (e = hs_buf_puts(b, frag)) != HS_OK)
		return e;
	return HS_OK;
}

/*
 * Appends the click to the journal.  Returns 0, or -1 when it could not
 * be written (the journal is then reopened on the next click).
 */
static int
record(struct linkd *ld, const char *rec, size_t len)
{
	enum hs_err	 e;

	if (ld->journal == NULL && (e = hs_journal_open(&ld->journal,
	    ld->conf.spool_dir, LINK_JOURNAL, 0)) != HS_OK) {
		ld->journal = NULL;
		return -1;
	}
	if (hs_journal_append(ld->journal, rec, len) != HS_OK) {
		/* The journal abandons a file after a write error. */
		hs_journal_close(ld->journal);
		ld->journal = NULL;
		return -1;
	}
	return 0;
}

/* Records a click lost to a full disk: counted, logged once per worker. */
static void
unrecorded(struct linkd *ld)
{
	unsigned long	 n = 0;

	if (ld->unrecorded != NULL)
		n = __atomic_add_fetch(ld->unrecorded, 1, __ATOMIC_RELAXED);
	if (!ld->journal_warned) {
		hs_log(HS_LOG_ERR, "click journal not writable: redirecting "
		    "without recording (clicks_unrecorded %lu)", n);
		ld->journal_warned = 1;
	}
}

/* Queues the click cookie, unless the visitor asked not to be tracked. */
static enum hs_err
cookie(struct hs_req *r, const struct hs_conf *c, const char *click)
{
	char	 v[512];
	int	 n;

	if (r->gpc || c->cookie_days <= 0 || c->cookie_name == NULL)
		return HS_OK;
	n = snprintf(v, sizeof(v), "%s=%s; Path=/; Max-Age=%ld; HttpOnly; "
	    "SameSite=Lax%s%s%s", c->cookie_name, click,
	    (long)c->cookie_days * 86400L,
	    c->cookie_domain != NULL ? "; Domain=" : "",
	    c->cookie_domain != NULL ? c->cookie_domain : "",
	    r->https ? "; Secure" : "");
	if (n < 0 || (size_t)n >= sizeof(v))
		return HS_ETOOBIG;
	return hs_http_header(r, "Set-Cookie", v);
}

/* Redirect to the fallback of an expired or disabled link, untracked. */
static void
fallback(struct hs_req *r, struct linkd *ld, const struct link *l)
{
	const char	*why;

	if (*l->fallback == '\0') {
		notfound(r, ld, "This invite link is no longer active.",
		    NULL);
		return;
	}
	if (!hs_dest_valid(l->fallback, l->hosts, &why)) {
		hs_log(HS_LOG_ERR, "link %lld: stored fallback refused: %s",
		    l->id, why);
		(void)hs_http_error(r, 500, "This link cannot be followed.");
		return;
	}
	if (hs_http_redirect(r, 302, l->fallback) != HS_OK)
		(void)hs_http_error(r, 500, "This link cannot be followed.");
}

/*
 * The query fields a person's request may carry.  Both are lax: a click
 * is never refused for its query, and the code form answers its own
 * 404 page rather than a 400.
 */
enum { Q_CODE, Q_QR, Q__MAX };
static const struct hs_field query_fields[Q__MAX] = {
	/* Q_CODE: as typed into the 404 page's form */
	{ .name = "code", .kind = HS_FIELD_TEXT, .flags = HS_FIELD_LAX,
	    .max = HS_MAX_FIELD },
	/* Q_QR: ?qr=1 on the links printed as QR codes */
	{ .name = "qr", .kind = HS_FIELD_BOOL, .flags = HS_FIELD_LAX,
	    .chars = "1" },
};

/* ?code=... from the 404 form: 302 to /i/<canonical>, or the 404 again. */
static void
retype(struct hs_req *r, struct linkd *ld)
{
	struct hs_fval	 v[Q__MAX];
	struct hs_fbad	 bad;
	const char	*typed;
	char		 canon[HS_CODE_MAX + 1], loc[HS_CODE_MAX + 8];

	if (hs_field_parse(r->qv, r->qvsz, query_fields, Q__MAX, 0, v,
	    &bad) != HS_OK || !v[Q_CODE].set || v[Q_CODE].len == 0) {
		notfound(r, ld, "Type the code from your invitation.", NULL);
		return;
	}
	typed = v[Q_CODE].s;
	if (hs_code_canon(typed, canon, sizeof(canon)) != HS_OK) {
		notfound(r, ld, "That is not an invite code: codes use the "
		    "digits 0-9 and the letters A-Z except I, L, O and U.",
		    typed);
		return;
	}
	/* Built from the canonical alphabet only. */
	(void)snprintf(loc, sizeof(loc), "/i/%s", canon);
	if (hs_http_redirect(r, 302, loc) != HS_OK)
		(void)hs_http_error(r, 500, "Please try again.");
}

/*
 * A click id: the click's milliseconds since the epoch in
 * CLICK_TIME_HEX hex digits, then random hex (80 bits, past guessing).
 * clicks' primary key is the click id, and InnoDB clusters rows by it:
 * ids in time order append to the end of the tree, where random ones
 * land on any page (splits, and at scale a buffer pool miss per click);
 * the loader's INSERT cost MariaDB a quarter less CPU.
 *
 * Behind nginx the random part is nginx's $request_id (128 random bits)
 * and the time is nginx's $msec (see link_handle): when a host dies
 * after journalling a click but before answering, nginx sends the
 * request again to another host (fastcgi_next_upstream) with both
 * unchanged, so the journalled click and the repeat's 302 are one id,
 * one row.
 */
static void
click_id(const struct hs_req *r, char out[CLICK_ID_LEN + 1],
    const struct timespec *now)
{
	unsigned long long	 ms;
	int			 i;

	if (r->ngx_id[0] != '\0') {
		memcpy(out, r->ngx_id, CLICK_ID_LEN);
		out[CLICK_ID_LEN] = '\0';
	} else
		hs_rand_hex(out, CLICK_ID_LEN + 1);
	ms = (unsigned long long)now->tv_sec * 1000 +
	    (unsigned long long)now->tv_nsec / 1000000;
	for (i = CLICK_TIME_HEX - 1; i >= 0; i--, ms >>= 4)
		out[i] = "0123456789abcdef"[ms & 0xf];
}

/* Returns 1 if this request must not be tracked (staff). */
static int
staff(const struct hs_req *r, const struct hs_conf *c)
{

	if (c->staff_param != NULL &&
	    hs_kv_count(r->qv, r->qvsz, c->staff_param) > 0)
		return 1;
	return c->staff_cidrs != NULL && r->remote_addr != NULL &&
	    hs_cidr_match(r->remote_addr, c->staff_cidrs);
}

/*
 * Loads the snapshot into the worker's cache when it has none, is
 * empty or was last looked at SNAP_CHECK_SECS ago.  Returns 0, or -1
 * after a 503.
 */
static int
cache_ready(struct hs_req *r, struct linkd *ld, time_t now)
{
	static time_t	 checked;

	if (ld->cache != NULL && now - checked < SNAP_CHECK_SECS &&
	    link_cache_count(ld->cache) != 0)
		return 0;
	checked = now;
	if (ld->cache == NULL)
		ld->cache = link_cache_new();
	if (ld->cache == NULL || !link_cache_refresh(ld->cache, ld->snap)) {
		if (hs_http_header(r, "Retry-After", "5") != HS_OK)
			hs_log(HS_LOG_ERR, "Retry-After refused");
		(void)hs_http_error(r, 503, "Invite links are starting "
		    "up. Please try again in a few seconds.");
		return -1;
	}
	return 0;
}

/*
 * Records the click of id click on link l in the journal, and sets the
 * click cookie: who (a salted client hash, unless GPC), what kind of
 * agent, from which host, and whether a QR code was scanned.
 */
static void
click_track(struct hs_req *r, struct linkd *ld, const struct link *l,
    const char *click, const struct timespec *now)
{
	const char		*reason = NULL;
	struct hs_fval		 qv[Q__MAX];
	struct hs_fbad		 bad;
	char			 prefix[64], hash[65];
	char			 ref[REFHOST_MAX + 1], rec[CLICK_REC_MAX];
	struct link_click	 cr;
	enum ua_class		 uac;
	int			 n, isbot;

	uac = link_ua_class(r->user_agent, &reason);
	isbot = reason != NULL;
	if (!isbot && prefetch(r->sec_purpose)) {
		isbot = 1;
		reason = "prefetch";
	}
	hash[0] = '\0';
	if (!r->gpc && r->remote_addr != NULL &&
	    hs_client_prefix(r->remote_addr, prefix, sizeof(prefix)) ==
	    HS_OK) {
		salt_load(ld);
		if (ld->havesalt)
			hs_client_hash(ld->salt, prefix, hash);
	}
	refhost(r->referer, ref, sizeof(ref));
	/* Lax: absent, given twice or not "1" is a plain link click. */
	if (hs_field_parse(r->qv, r->qvsz, query_fields, Q__MAX, 0, qv,
	    &bad) != HS_OK)
		memset(qv, 0, sizeof(qv));
	memset(&cr, 0, sizeof(cr));
	cr.id = click;
	cr.ms = (long long)now->tv_sec * 1000 + now->tv_nsec / 1000000;
	cr.link = l->id;
	cr.trigger = qv[Q_QR].set ? "qr" : "link";
	cr.hash = hash[0] != '\0' ? hash : NULL;
	cr.ua = ua_names[uac];
	cr.referer = ref[0] != '\0' ? ref : NULL;
	cr.bot = isbot;
	cr.reason = reason;
	if ((n = link_click_encode(&cr, rec, sizeof(rec))) == -1 ||
	    record(ld, rec, (size_t)n) == -1)
		unrecorded(ld);
	if (cookie(r, &ld->conf, click) != HS_OK)
		hs_log(HS_LOG_ERR, "click cookie refused");
}

/* Any path but /i/...: the 404 page, with its form to try again. */
void
link_nothere(struct hs_req *r, void *arg)
{

	notfound(r, arg, "There is nothing here.", NULL);
}

/* GET or HEAD /i/<code> (core's gates passed: link_routes). */
void
link_handle(struct hs_req *r, void *arg)
{
	struct linkd		*ld = arg;
	const struct link	*l;
	const char		*code, *why;
	char			 canon[HS_CODE_MAX + 1], grouped[HS_CODE_MAX * 2];
	char			 click[CLICK_ID_LEN + 1];
	struct hs_buf		 loc;
	struct timespec		 now;
	int			 track;

	hs_buf_init(&loc, HS_LOC_MAX);
	code = r->path + 3;
	if (*code == '\0') {
		retype(r, ld);
		goto out;
	}
	if (hs_code_canon(code, canon, sizeof(canon)) != HS_OK) {
		notfound(r, ld, "We could not read this invite code. Check "
		    "it against your invitation and type it again.", code);
		goto out;
	}
	clock_gettime(CLOCK_REALTIME, &now);
	/* A request nginx repeats on another host keeps its time too. */
	if (r->ngx_ms > 0) {
		now.tv_sec = (time_t)(r->ngx_ms / 1000);
		now.tv_nsec = (long)(r->ngx_ms % 1000) * 1000000;
	}
	if (cache_ready(r, ld, now.tv_sec) != 0)
		goto out;
	/*
	 * A miss looks at the snapshot again at once (a stat when it did
	 * not change): a link created a moment ago then works on every
	 * worker as soon as the helper wrote it, not up to a second later
	 * on a worker that checked just before.
	 */
	if ((l = link_cache_get(ld->cache, canon)) == NULL &&
	    link_cache_refresh(ld->cache, ld->snap))
		l = link_cache_get(ld->cache, canon);
	if (l == NULL) {
		if (hs_code_group(canon, grouped, sizeof(grouped)) != HS_OK)
			grouped[0] = '\0';
		notfound(r, ld, "No invite link has this code. Check it "
		    "against your invitation: 0 (zero) and O, 1 (one) and "
		    "I or L are read the same, but other letters matter.",
		    grouped);
		goto out;
	}
	if (l->disabled || (l->valid_from != 0 && now.tv_sec <
	    l->valid_from) || (l->valid_until != 0 && now.tv_sec >=
	    l->valid_until)) {
		fallback(r, ld, l);
		goto out;
	}

	track = r->method == HS_METHOD_GET && !staff(r, &ld->conf);
	if (track)
		click_id(r, click, &now);
	if (build_location(&loc, l, ld->conf.click_param, track ? click :
	    NULL) != HS_OK || !hs_dest_valid(hs_buf_str(&loc), l->hosts,
	    &why)) {
		hs_log(HS_LOG_ERR, "link %lld: destination refused: %s",
		    l->id, loc.len > 0 ? why : "too long");
		(void)hs_http_error(r, 500, "This link cannot be followed.");
		goto out;
	}
	if (track)
		click_track(r, ld, l, click, &now);
	if (hs_http_redirect(r, 302, hs_buf_str(&loc)) != HS_OK)
		hs_log(HS_LOG_INFO, "redirect: client went away");
out:
	hs_buf_free(&loc);
}
