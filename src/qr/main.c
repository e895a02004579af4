/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * main.c: hearsay-qr.  GET /qr/<code>.svg and /qr/<code>.png answer the
 * QR code of an existing invite link, and /host/<token>/... the event
 * hosts' pages (host.c).  An image encodes exactly base_url/i/CODE?qr=1
 * for a code found in links, never text taken from the request, so the
 * service cannot be used to mint codes pointing elsewhere.  Everything
 * about a request is checked before the database is asked, and the
 * database before anything is drawn: method, path, then parameters,
 * then the code, then If-None-Match, and only then libqrencode.
 *
 * Two small per-worker caches keep the common case off the database and
 * off the encoder.  A code found in links is remembered for QR_SEEN_SECS
 * (so a link disabled since is still drawn for at most that long, and an
 * unknown code is always looked up and always 404s); and since an image
 * is immutable for its ETag (which hashes everything that decides its
 * bytes), the last QR_CACHE_MAX images, at most QR_CACHE_BYTES in all,
 * are kept by ETag and sent again without drawing.  HEARSAY_QR_CACHE=0
 * in the environment turns the image cache off (the benchmark's
 * uncached rate).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "hearsay.h"
#include "qr.h"
#include "advocate.h"

/*
 * Bumped whenever the drawing changes, so that a cached image with an
 * old ETag is never taken for the new one.
 */
#define QR_CONTENT_VERSION	"hearsay-qr/1"
#define QR_ETAG_HEX		32	/* hex digits of SHA-256 in the ETag */
#define QR_MAX_AGE		"public, max-age=31536000, immutable"
#define QR_SEEN_MAX	64	/* codes known to exist, per worker */
#define QR_SEEN_SECS	5	/* how long a lookup is trusted */
#define QR_CACHE_MAX	32	/* rendered images kept, per worker */
#define QR_CACHE_BYTES	(1024 * 1024)	/* their bytes in all */
#define QR_CACHE_ENV	"HEARSAY_QR_CACHE"	/* "0": no image cache */
/* An image may be shown anywhere but can do nothing. */
#define QR_SVG_CSP		"default-src 'none'; frame-ancestors 'none'"

static const char *const stmts[STMT__MAX] = {
	/* STMT_LINK: a disabled link gets no new posters. */
	"SELECT id FROM links WHERE code = ? AND disabled = 0",
	QR_ADV_SQL
	/* STMT_HOST */
	"SELECT t.id, t.advocate_id, t.campaign_id, a.display_name, c.lang "
	    "FROM host_tokens t JOIN advocates a ON a.id = t.advocate_id "
	    "JOIN campaigns c ON c.id = t.campaign_id "
	    "WHERE t.token_hash = ? AND t.revoked_at IS NULL "
	    "AND a.status = 'active'",
	/* STMT_HOST_GONE: a revoked one (cap.c), its campaign's lang. */
	"SELECT c.lang FROM host_tokens t JOIN advocates a ON "
	    "a.id = t.advocate_id JOIN campaigns c ON c.id = t.campaign_id "
	    "WHERE t.token_hash = ? AND t.revoked_at IS NOT NULL "
	    "AND a.status = 'active' LIMIT 1",
	/*
	 * STMT_EVENTS: with the signups that said they came from the
	 * event (attributions), whether a reconciliation run finished
	 * since the event ended (else that count is not there yet), and
	 * whether it ended more than a day ago.
	 */
	"SELECT e.id, e.name, COALESCE(e.venue, ''), "
	    "COALESCE(DATE_FORMAT(e.starts_at, '%Y-%m-%d %H:%i'), ''), "
	    "COALESCE((SELECT l.code FROM links l WHERE l.event_id = e.id "
	    "AND l.label IS NULL ORDER BY l.id LIMIT 1), ''), "
	    "(SELECT COUNT(*) FROM attributions a "
	    "WHERE a.reported_event_id = e.id), "
	    "EXISTS (SELECT 1 FROM reconcile_runs r WHERE r.status = 'ok' "
	    "AND r.dry_run = 0 AND r.finished_at >= "
	    "COALESCE(e.ends_at, e.starts_at, e.created_at)), "
	    "COALESCE(e.ends_at, e.starts_at, e.created_at) < "
	    "UTC_TIMESTAMP() - INTERVAL 1 DAY "
	    "FROM events e WHERE e.host_advocate_id = ? "
	    "ORDER BY e.starts_at DESC, e.id DESC LIMIT 100",
	/* STMT_EVENT: only the host's own events (no IDOR). */
	"SELECT e.name, COALESCE(e.venue, ''), "
	    "COALESCE(DATE_FORMAT(e.starts_at, '%Y-%m-%d %H:%i'), ''), "
	    "COALESCE(e.lang, c.lang), c.name, COALESCE(c.join_text, '') "
	    "FROM events e JOIN campaigns c ON c.id = e.campaign_id "
	    "WHERE e.id = ? AND e.host_advocate_id = ?",
	/* STMT_EVENT_LINKS: the event's own link first. */
	"SELECT code, COALESCE(label, '') FROM links "
	    "WHERE event_id = ? AND disabled = 0 "
	    "ORDER BY label IS NOT NULL, id LIMIT 60",
	/* STMT_SCANS: human visits through a QR code. */
	"SELECT COUNT(*) FROM clicks c JOIN links l ON l.id = c.link_id "
	    "WHERE l.event_id = ? AND c.trigger_kind = 'qr' AND c.is_bot = 0",
	/* STMT_SIGNUPS: signups that carried a click of the event. */
	"SELECT COUNT(DISTINCT sc.signup_id) FROM links l "
	    "JOIN clicks c ON c.link_id = l.id AND c.is_bot = 0 "
	    "JOIN signup_clicks sc ON sc.click_id = c.click_id "
	    "WHERE l.event_id = ?",
	/* STMT_CAMPAIGN */
	"SELECT default_dest FROM campaigns WHERE id = ? AND disabled = 0",
	/*
	 * STMT_EVENT_ADD .. STMT_LINKS_MOVED: core's hs_event_create (the
	 * slug is the form's nonce, so a form sent twice makes one event).
	 */
	HS_SQL_EVENT_ADD,
	HS_SQL_EVENT_ID,
	HS_SQL_EVENT_LINK_ADD,
	HS_SQL_EVENT_LINK_OWNER,
	HS_SQL_LINKS_MOVED,
	/* STMT_EVENT_LANG: the language the host's form chose. */
	"UPDATE events SET lang = ? WHERE slug = ? AND host_advocate_id = ?",
};

/* A code that was in links (and not disabled) at a given time. */
struct seen {
	char		 code[HS_CODE_MAX + 1];
	time_t		 until;		/* trusted until; 0: empty slot */
};

/* A rendered image, by ETag. */
struct cached {
	char		 etag[QR_ETAG_HEX + 3];
	unsigned char	*img;		/* NULL: empty slot */
	size_t		 len;
	unsigned long	 used;		/* tick of the last use, for LRU */
};

/* Per worker (each is one process); zeroed, which is empty. */
static struct seen	 seen[QR_SEEN_MAX];
static struct cached	 cache[QR_CACHE_MAX];
static size_t		 cache_bytes;
static unsigned long	 cache_tick;
static int		 cache_off = -1;	/* unknown until first use */

/* Returns 1 if code was found in links less than QR_SEEN_SECS ago. */
static int
seen_get(const char *code, time_t now)
{
	size_t	 i;

	for (i = 0; i < QR_SEEN_MAX; i++)
		if (seen[i].until > now && strcmp(seen[i].code, code) == 0)
			return 1;
	return 0;
}

/* Remembers that code exists, in the slot that expires first. */
static void
seen_put(const char *code, time_t now)
{
	size_t	 i, old = 0;

	for (i = 0; i < QR_SEEN_MAX; i++) {
		if (strcmp(seen[i].code, code) == 0) {
			old = i;
			break;
		}
		if (seen[i].until < seen[old].until)
			old = i;
	}
	(void)snprintf(seen[old].code, sizeof(seen[old].code), "%s", code);
	seen[old].until = now + QR_SEEN_SECS;
}

/* Returns the cached image with this ETag, or NULL. */
static struct cached *
cache_get(const char *etag)
{
	size_t	 i;

	if (cache_off == -1) {
		const char *v = getenv(QR_CACHE_ENV);

		cache_off = v != NULL && strcmp(v, "0") == 0;
	}
	if (cache_off)
		return NULL;
	for (i = 0; i < QR_CACHE_MAX; i++)
		if (cache[i].img != NULL &&
		    strcmp(cache[i].etag, etag) == 0) {
			cache[i].used = ++cache_tick;
			return &cache[i];
		}
	return NULL;
}

/*
 * Keeps a copy of img under etag, evicting the least recently used
 * images until it fits.  Failing to keep it changes nothing.
 */
static void
cache_put(const char *etag, const char *img, size_t len)
{
	struct cached	*c, *lru;
	size_t		 i;

	if (cache_off || len > QR_CACHE_BYTES / 4)
		return;
	for (;;) {
		c = lru = NULL;
		for (i = 0; i < QR_CACHE_MAX; i++) {
			if (cache[i].img == NULL) {
				if (c == NULL)
					c = &cache[i];
			} else if (lru == NULL || cache[i].used < lru->used)
				lru = &cache[i];
		}
		if (c != NULL && cache_bytes + len <= QR_CACHE_BYTES)
			break;
		if (lru == NULL)
			return;
		cache_bytes -= lru->len;
		free(lru->img);
		lru->img = NULL;
		lru->len = 0;
	}
	if ((c->img = malloc(len)) == NULL)
		return;
	memcpy(c->img, img, len);
	c->len = len;
	cache_bytes += len;
	(void)snprintf(c->etag, sizeof(c->etag), "%s", etag);
	c->used = ++cache_tick;
}

/*
 * Splits "/qr/<code>.<ext>" into a canonical code and a format.
 * Returns HS_OK, or HS_ENOTFOUND for any other shape (no slash, dot or
 * odd byte in the code survives hs_code_canon).
 */
static enum hs_err
parse_path(const char *path, char *code, size_t codesz, enum qr_fmt *f)
{
	char		 raw[HS_CODE_MAX * 2 + 1];
	const char	*p, *dot;
	size_t		 n;

	if (strncmp(path, "/qr/", 4) != 0)
		return HS_ENOTFOUND;
	p = path + 4;
	if ((dot = strrchr(p, '.')) == NULL)
		return HS_ENOTFOUND;
	if (strcmp(dot, ".svg") == 0)
		*f = QR_SVG;
	else if (strcmp(dot, ".png") == 0)
		*f = QR_PNG;
	else
		return HS_ENOTFOUND;
	n = (size_t)(dot - p);
	if (n == 0 || n >= sizeof(raw))
		return HS_ENOTFOUND;
	memcpy(raw, p, n);
	raw[n] = '\0';
	if (hs_code_canon(raw, code, codesz) != HS_OK)
		return HS_ENOTFOUND;
	return HS_OK;
}

/*
 * The strong ETag of an image: a hash of everything that decides its
 * bytes (content version, origin, code, format and options).
 */
static void
etag_of(const struct hs_conf *conf, const char *code, enum qr_fmt f,
    const struct qr_opts *o, char *out, size_t sz)
{
	crypto_hash_sha256_state st;
	unsigned char	 h[crypto_hash_sha256_BYTES];
	char		 hex[2 * crypto_hash_sha256_BYTES + 1], opt[128];

	(void)snprintf(opt, sizeof(opt), "%d|%d|%c|%d|%s|%s", (int)f,
	    o->scale, qr_level_name(o->level), o->margin, o->fg->name,
	    o->bg->name);
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)
	    QR_CONTENT_VERSION, sizeof(QR_CONTENT_VERSION));
	crypto_hash_sha256_update(&st, (const unsigned char *)conf->base_url,
	    strlen(conf->base_url) + 1);
	crypto_hash_sha256_update(&st, (const unsigned char *)code,
	    strlen(code) + 1);
	crypto_hash_sha256_update(&st, (const unsigned char *)opt,
	    strlen(opt));
	crypto_hash_sha256_final(&st, h);
	hs_hex(h, sizeof(h), hex);
	(void)snprintf(out, sz, "\"%.*s\"", QR_ETAG_HEX, hex);
}

/*
 * Returns 1 if If-None-Match names etag (or is "*").  The weak
 * comparison of RFC 9110 section 13.1.2: a W/ prefix still matches.
 */
static int
etag_match(const char *inm, const char *etag)
{

	if (inm == NULL)
		return 0;
	inm += strspn(inm, " \t");
	if (strcmp(inm, "*") == 0)
		return 1;
	return strstr(inm, etag) != NULL;
}

/*
 * Whether code is a link's, from the recently seen or the database.
 * Returns 1, or 0 after a 404 or 503.
 */
static int
code_known(struct hs_req *r, struct qrprog *p, const char *code)
{
	struct hs_dbcol	 col = { HS_DB_INT, 0, NULL, 0, 0, 0, 0 };
	struct hs_dbparam prm[1] = { HS_DBP_TEXT(code) };
	time_t		 now = time(NULL);
	enum hs_err	 e;
	int		 have = 0;

	/* A hit is not refreshed: the database is asked every few s. */
	if ((have = seen_get(code, now)))
		e = HS_OK;
	else if ((e = hs_db_row(p->db, STMT_LINK, prm, 1, &col, 1,
	    &have)) == HS_OK && have)
		seen_put(code, now);
	if (e != HS_OK) {
		hs_log(HS_LOG_ERR, "qr: link lookup: %s", hs_strerror(e));
		if (hs_http_header(r, "Retry-After", "5") == HS_OK)
			(void)hs_http_error(r, 503, "The service is busy; "
			    "please try again in a moment.");
		return 0;
	}
	if (!have) {
		(void)hs_http_error(r, 404, "There is no such QR code.");
		return 0;
	}
	return 1;
}

/*
 * GET or HEAD /qr/<code>.svg|.png[?s=&ecc=&m=&fg=&bg=]: the image, 304,
 * or a 4xx page.  Nothing is drawn for a request that fails a check.
 */
static void
handle_qr(struct hs_req *r, void *arg)
{
	struct qrprog	*p = arg;
	struct qr_opts	 o;
	struct hs_buf	 img, text;
	struct cached	*c;
	enum qr_fmt	 f;
	enum hs_err	 e;
	const char	*why, *type;
	char		 code[HS_CODE_MAX + 1], etag[QR_ETAG_HEX + 3];

	hs_buf_init(&img, QR_MAX_IMAGE);
	hs_buf_init(&text, QR_MAX_TEXT);
	if (parse_path(r->path, code, sizeof(code), &f) != HS_OK) {
		(void)hs_http_error(r, 404, "There is no such QR code.");
		goto out;
	}
	type = f == QR_SVG ? "image/svg+xml" : "image/png";
	if (qr_opts_parse(&o, r->qv, r->qvsz, &why) != HS_OK) {
		(void)hs_http_error(r, 400, why);
		goto out;
	}
	if (!code_known(r, p, code))
		goto out;
	etag_of(&p->conf, code, f, &o, etag, sizeof(etag));
	if (hs_http_header(r, "ETag", etag) != HS_OK ||
	    hs_http_header(r, "Cache-Control", QR_MAX_AGE) != HS_OK ||
	    (f == QR_SVG && hs_http_header(r, "Content-Security-Policy",
	    QR_SVG_CSP) != HS_OK))
		goto out;
	if (etag_match(r->if_none_match, etag)) {
		if (hs_http_open(r, 304, NULL) != HS_OK)
			hs_log(HS_LOG_INFO, "qr: client went away");
		goto out;
	}
	if ((c = cache_get(etag)) != NULL) {
		if (hs_http_open(r, 200, type) != HS_OK ||
		    hs_http_write(r, c->img, c->len) != HS_OK)
			hs_log(HS_LOG_INFO, "qr: client went away");
		goto out;
	}
	if ((e = hs_buf_printf(&text, "%s/i/%s?qr=1", p->conf.base_url,
	    code)) != HS_OK ||
	    (e = qr_render(&img, f, hs_buf_str(&text), &o)) != HS_OK) {
		hs_log(HS_LOG_ERR, "qr: render %s: %s", code, hs_strerror(e));
		/* Headers are queued, not sent: the error page replaces them. */
		hs_buf_reset(&r->hdrs);
		(void)hs_http_error(r, e == HS_ETOOBIG ? 400 : 500,
		    e == HS_ETOOBIG ? "That image would be too large." :
		    "The image could not be drawn.");
		goto out;
	}
	cache_put(etag, img.ptr, img.len);
	if (hs_http_open(r, 200, type) != HS_OK ||
	    hs_http_write(r, img.ptr, img.len) != HS_OK)
		hs_log(HS_LOG_INFO, "qr: client went away");
out:
	hs_buf_free(&text);
	hs_buf_free(&img);
}

/*
 * The routes; core answers the gates (hs_route).  A host's and an
 * advocate's pages take a form POST on some of their paths: host.c and
 * advocate.c refuse it on the others.
 */
static const struct hs_route routes[] = {
	{ "/qr/", 1, HS_M_READ, 0, handle_qr,
	    N_("QR codes can only be fetched."), NULL },
	{ "/host/", 1, HS_M_READ | HS_M(HS_METHOD_POST), HS_MAX_BODY,
	    host_handle, N_("That method is not allowed."),
	    N_("The form could not be read.") },
	{ "/a/", 1, HS_M_READ | HS_M(HS_METHOD_POST), HS_MAX_BODY,
	    adv_handle, N_("That method is not allowed."),
	    N_("The form could not be read.") },
};

static struct qrprog	 qp;

static struct hs_program prog = {
	.name = "qr",
	.conf = &qp.conf,
	.routes = routes,
	.nroutes = sizeof(routes) / sizeof(routes[0]),
	.notfound = "There is nothing here.",
	.tmpls = qr_tmpls,
	.ntmpls = TMPL__MAX,
	.tmpl = qp.tmpl,
	.stmts = stmts,
	.nstmts = STMT__MAX,
	.db = &qp.db,
	.hmac = 1,		/* signs posters and host links */
	.arg = &qp,
};

int
main(int argc, char *argv[])
{

	return hs_program_main(&prog, argc, argv);
}
