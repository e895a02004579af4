/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * hearsay.h: the internal API of libhearsay, the core library shared by
 * every hearsay program.  Prototypes are grouped under the file that
 * defines them, like OpenBSD httpd.h.  Library calls return enum hs_err;
 * predicates return 0 or 1.
 */
#ifndef HEARSAY_H
#define HEARSAY_H

#include <sys/types.h>

#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define HS_WUR		__attribute__((warn_unused_result))
#define HS_PRINTF(a, b)	__attribute__((format(printf, a, b)))

/* Internal functions are static except in test builds (cf. libqrencode). */
#ifdef HS_TESTING
#define HS_STATIC
#else
#define HS_STATIC	static
#endif

/* Named limits.  Every buffer that input can grow has one. */
#define HS_MAX_BODY	(16 * 1024)	/* urlencoded body; nginx caps too */
#define HS_MAX_JSON	(64 * 1024)	/* JSON API body */
#define HS_MAX_FIELDS	64		/* fields in a query or a body */
#define HS_MAX_KEY	64		/* bytes in a field name */
#define HS_MAX_FIELD	4096		/* bytes in one decoded value */
#define HS_MAX_COOKIES	32		/* cookies parsed from one header */
#define HS_MAX_PATH	1024		/* bytes in the request path */
#define HS_MAX_HEADERS	(8 * 1024)	/* bytes of response headers */
#define HS_MAX_PAGE	(1024 * 1024)	/* a rendered page or image */
#define HS_MAX_CONFLINE	1024		/* bytes in a config line */
#define HS_REQID_LEN	16		/* hex chars in a request id */
#define HS_NGXID_LEN	32		/* hex chars in nginx's $request_id */
#define HS_LOGIN_WINDOW	(15 * 60)	/* seconds a failed sign-in counts:
					   report's throttle, admin's retention */

enum hs_err {
	HS_OK = 0,
	HS_ENOMEM,	/* allocation failed */
	HS_EINVAL,	/* bad argument or input */
	HS_ETOOBIG,	/* over a named limit */
	HS_EENCODING,	/* malformed percent-encoding */
	HS_EUTF8,	/* invalid UTF-8 or an embedded NUL */
	HS_EDUP,	/* single-valued field given twice */
	HS_ESHORT,	/* body shorter than CONTENT_LENGTH */
	HS_EMEDIA,	/* unsupported content type */
	HS_ENOTFOUND,	/* no such row, key or file */
	HS_EDB,		/* database error that a retry will not fix */
	HS_EAGAIN,	/* transient: deadlock, lock wait, lost connection */
	HS_EIO,		/* system I/O error */
	HS_EFULL,	/* no space left (ENOSPC, EDQUOT) */
	HS_EWRITE,	/* writing to the client failed */
	HS_EHEADER,	/* header value with CR, LF or a control byte */
	HS_ERR__MAX
};

/* err.c */
const char	*hs_strerror(enum hs_err);

/* alloc.c: hs_x* log and return NULL (request paths); hs_* exit (startup). */
void		*hs_xmalloc(size_t) HS_WUR;
void		*hs_xcalloc(size_t, size_t) HS_WUR;
void		*hs_xreallocarray(void *, size_t, size_t) HS_WUR;
char		*hs_xstrdup(const char *) HS_WUR;
char		*hs_xstrndup(const char *, size_t) HS_WUR;
void		*hs_calloc(size_t, size_t);
char		*hs_strdup(const char *);
void		 hs_failmalloc_init(void);

/*
 * buf.c: a growable byte buffer, always NUL-terminated, with a hard cap
 * set at init (curl dynbuf).  Appends past the cap fail with HS_ETOOBIG
 * and leave the buffer as it was.
 */
struct hs_buf {
	char	*ptr;		/* data, NUL-terminated; NULL until used */
	size_t	 len;		/* bytes used, not counting the NUL */
	size_t	 alloc;		/* bytes allocated */
	size_t	 max;		/* hard cap on len */
};
void		 hs_buf_init(struct hs_buf *, size_t);
void		 hs_buf_free(struct hs_buf *);
void		 hs_buf_reset(struct hs_buf *);
enum hs_err	 hs_buf_add(struct hs_buf *, const void *, size_t) HS_WUR;
enum hs_err	 hs_buf_puts(struct hs_buf *, const char *) HS_WUR;
enum hs_err	 hs_buf_putc(struct hs_buf *, char) HS_WUR;
enum hs_err	 hs_buf_printf(struct hs_buf *, const char *, ...)
		    HS_PRINTF(2, 3) HS_WUR;
enum hs_err	 hs_buf_vprintf(struct hs_buf *, const char *, va_list)
		    HS_PRINTF(2, 0) HS_WUR;
const char	*hs_buf_str(const struct hs_buf *);
char		*hs_buf_take(struct hs_buf *);

/* out.c: where output goes (FastCGI stream, stdout, or an hs_buf). */
struct hs_out {
	enum hs_err	(*write)(const char *, size_t, void *);
	void		 *arg;
};
enum hs_err	 hs_out_write(const struct hs_out *, const void *, size_t) HS_WUR;
enum hs_err	 hs_out_puts(const struct hs_out *, const char *) HS_WUR;
enum hs_err	 hs_out_printf(const struct hs_out *, const char *, ...)
		    HS_PRINTF(2, 3) HS_WUR;
/* The one bounded printf under the writers' (out, html, a table cell). */
typedef enum hs_err (*hs_put_fn)(const char *, size_t, void *);
enum hs_err	 hs_vformat(size_t, hs_put_fn, void *, const char *, va_list)
		    HS_PRINTF(4, 0) HS_WUR;
void		 hs_out_buf(struct hs_out *, struct hs_buf *);
void		 hs_out_fd(struct hs_out *, int *);

/* log.c: one line per event to stderr, tagged with program and request. */
enum hs_loglevel {
	HS_LOG_ERR = 0,
	HS_LOG_WARN,
	HS_LOG_INFO,
	HS_LOG_DEBUG
};
void		 hs_log_init(const char *, enum hs_loglevel);
void		 hs_log_setreq(const char *);
void		 hs_log(enum hs_loglevel, const char *, ...) HS_PRINTF(2, 3);
void		 hs_logerr(const char *, ...) HS_PRINTF(1, 2);	/* +errno */

/*
 * conf.c: the configuration file (key = value, # comments).  Unknown keys
 * and bad values are errors naming the line.  Secrets live in a separate
 * file that must not be readable by group or others.
 */
struct hs_conf {
	char	*db_socket;	/* unix socket, or NULL for TCP */
	char	*db_host;	/* TCP host when no socket */
	int	 db_port;	/* TCP port */
	char	*db_name;	/* schema */
	char	*db_user;	/* read-write user */
	char	*db_ro_user;	/* read-only user for reports, or NULL */
	char	*db_nodes;	/* Galera nodes (socket, host:port) or NULL */
	int	 db_sync_wait;	/* session wsrep_sync_wait on db_nodes */
	char	*secrets_file;	/* path of the secrets file */
	char	*db_password;	/* from secrets: db_password */
	char	*db_ro_password; /* from secrets: db_ro_password */
	unsigned char hmac_key[32]; /* from secrets: hmac_key (64 hex) */
	int	 have_hmac_key;	/* hmac_key was set */
	char	*run_dir;	/* sockets and pid files */
	char	*spool_dir;	/* journals */
	char	*html_dir;	/* templates and static assets */
	char	*locale_dir;	/* LL/LC_MESSAGES/hearsay.mo */
	char	*sql_dir;	/* migrations */
	char	*base_url;	/* public origin, e.g. https://go.example */
	int	 workers;	/* FastCGI workers per program */
	char	*click_param;	/* click id query parameter */
	char	*cookie_name;	/* click id cookie */
	char	*cookie_domain;	/* or NULL for host-only */
	int	 cookie_days;	/* click cookie lifetime */
	char	*trusted_proxies; /* CIDRs whose X-Forwarded-For we trust */
	char	*staff_cidrs;	/* CIDRs whose clicks are not tracked */
	char	*staff_param;	/* query parameter that skips tracking */
	int	 link_cache_secs; /* how long a link lookup is reused */
	int	 attribution_days; /* reconciliation window */
	int	 retention_days; /* clicks and responses older are erased */
	char	*consent_text;	/* shown under the survey */
	int	 token_max_age;	/* seconds a survey token is valid */
	int	 answer_change_hours; /* an answer may be changed this long */
	int	 velocity_limit; /* answers per client hash per hour */
	int	 webhook_allow_private; /* webhooks to internal addresses */
	int	 advocate_min_count; /* advocates' pages: smaller counts hidden */
	int	 leaderboard;	/* advocates' pages show the leaderboard */
	char	*activity_kinds; /* kinds of activity, space separated */
	char	*activity_retained; /* the kind that means "still here" */
	char	*activity_activated; /* the kind that means "activated" */
	char	*activity_currency; /* ISO 4217 code of activity values */
	int	 cohort_interval_hours; /* a cohort pass is due after */
};
#define HS_KIND_MAX	32	/* bytes in an activity kind */
enum hs_err	 hs_conf_load(struct hs_conf *, const char *, char *, size_t)
		    HS_WUR;
void		 hs_conf_defaults(struct hs_conf *);
int		 hs_conf_word(const char *, const char *, size_t);
void		 hs_conf_free(struct hs_conf *);
const char	*hs_conf_path(int, char *const *);

/* utf8.c: strict UTF-8 (no overlongs, surrogates, NUL, or BOM inside),
 * and the characters of a valid string counted. */
int		 hs_utf8_valid(const char *, size_t);
size_t		 hs_utf8_chars(const char *);

/*
 * url.c: percent-decoding and application/x-www-form-urlencoded.  A
 * malformed escape is an error, never dropped or passed through.
 */
struct hs_kv {
	char	*key;		/* decoded, NUL-terminated */
	char	*val;		/* decoded, NUL-terminated */
	size_t	 valsz;		/* bytes in val */
};
enum hs_err	 hs_url_decode(const char *, size_t, char **, size_t *) HS_WUR;
enum hs_err	 hs_path_decode(const char *, size_t, char **, size_t *) HS_WUR;
enum hs_err	 hs_url_encode(struct hs_buf *, const char *) HS_WUR;
int		 hs_url_check(const char *, size_t, const char **, size_t *,
		    const char **);
enum hs_err	 hs_form_parse(const char *, size_t, struct hs_kv **, size_t *)
		    HS_WUR;
void		 hs_kv_free(struct hs_kv *, size_t);
enum hs_err	 hs_kv_get(const struct hs_kv *, size_t, const char *,
		    const char **) HS_WUR;
size_t		 hs_kv_count(const struct hs_kv *, size_t, const char *);
enum hs_err	 hs_cookie_parse(const char *, struct hs_kv **, size_t *) HS_WUR;

/*
 * req.c: one request, parsed from the FastCGI parameters.  Everything is
 * copied, so it outlives FCGX_Finish_r; hs_req_free releases it all.
 */
enum hs_method {
	HS_METHOD_GET = 0,
	HS_METHOD_HEAD,
	HS_METHOD_POST,
	HS_METHOD_OPTIONS,
	HS_METHOD_OTHER,
	HS_METHOD__MAX
};
/* Reads up to the given bytes of request body; returns bytes, 0 at EOF. */
typedef ssize_t	(*hs_read_fn)(char *, size_t, void *);
struct hs_req {
	char		 id[HS_REQID_LEN + 1]; /* random request id */
	/*
	 * nginx's name for the request (HS_REQUEST_ID, HS_REQUEST_MSEC:
	 * $request_id and $msec), the same when it sends the request again
	 * to another upstream; "" and 0 when not given or malformed.
	 */
	char		 ngx_id[HS_NGXID_LEN + 1];
	long long	 ngx_ms;	/* its time, ms since the epoch */
	enum hs_method	 method;
	char		*path;		/* decoded path, NUL-free, UTF-8 */
	char		*query;		/* raw query string */
	struct hs_kv	*qv;		/* parsed query */
	size_t		 qvsz;
	struct hs_kv	*form;		/* parsed urlencoded body */
	size_t		 formsz;
	struct hs_kv	*cookies;	/* parsed Cookie header */
	size_t		 cookiesz;
	char		*body;		/* raw body after hs_req_body */
	size_t		 bodysz;
	char		*remote_addr;	/* peer, after trusted-proxy XFF */
	char		*user_agent;
	char		*referer;
	char		*host;
	char		*origin;
	char		*content_type;
	char		*sec_fetch_site;
	char		*sec_purpose;	/* Sec-Purpose or Purpose */
	char		*if_none_match;	/* If-None-Match, for ETags */
	char		*authorization;	/* Authorization, for the APIs */
	char		*idempotency_key; /* Idempotency-Key, for the APIs */
	int		 gpc;		/* Sec-GPC: 1 or DNT: 1 */
	int		 https;		/* HTTPS=on */
	long long	 content_length; /* -1 when absent */
	hs_read_fn	 read;		/* body reader */
	void		*readarg;
	struct hs_out	 out;		/* body writer */
	struct hs_buf	 hdrs;		/* response headers, pending */
	int		 status;	/* response status, 0 until set */
	int		 hdrs_sent;	/* headers written */
	int		 may_defer;	/* the server has a settle hook */
	int		 deferred;	/* the answer assumes the hook's work */
	const struct hs_conf *conf;
	const struct hs_route *route;	/* the one taken, set by hs_route */
};
enum hs_err	 hs_req_init(struct hs_req *, char **, const struct hs_conf *)
		    HS_WUR;
const char	*hs_req_param(char **, const char *);
enum hs_err	 hs_req_body(struct hs_req *, size_t) HS_WUR;
enum hs_err	 hs_req_form(struct hs_req *) HS_WUR;
const char	*hs_req_cookie(const struct hs_req *, const char *);
int		 hs_req_same_origin(const struct hs_req *, const char *);
void		 hs_req_free(struct hs_req *);
int		 hs_cidr_match(const char *, const char *);

/*
 * http.c: the response.  Headers are collected and written once, before
 * the first body byte.  Values with CR, LF or other control bytes are
 * refused (HS_EHEADER) and never written.
 */
enum hs_err	 hs_http_header(struct hs_req *, const char *, const char *)
		    HS_WUR;
enum hs_err	 hs_http_open(struct hs_req *, int, const char *) HS_WUR;
enum hs_err	 hs_http_write(struct hs_req *, const void *, size_t) HS_WUR;
enum hs_err	 hs_http_redirect(struct hs_req *, int, const char *) HS_WUR;
enum hs_err	 hs_http_error(struct hs_req *, int, const char *);
const char	*hs_http_reason(int);
int		 hs_http_status_of(enum hs_err);

/* html.c: HTML escaping (& < > " ').  hs_html_raw is the only raw writer. */
enum hs_err	 hs_html_puts(const struct hs_out *, const char *) HS_WUR;
enum hs_err	 hs_html_putsz(const struct hs_out *, const char *, size_t)
		    HS_WUR;
enum hs_err	 hs_html_printf(const struct hs_out *, const char *, ...)
		    HS_PRINTF(2, 3) HS_WUR;
enum hs_err	 hs_html_raw(const struct hs_out *, const char *) HS_WUR;
enum hs_err	 hs_json_puts(const struct hs_out *, const char *) HS_WUR;
enum hs_err	 hs_csv_puts(const struct hs_out *, const char *) HS_WUR;

/*
 * markup.c: the one HTML element writer.  Attributes are NULL-ended
 * name, value pairs; every value is escaped inside double quotes, a
 * NULL value leaves its attribute out and hs_html_bare writes the name
 * alone.  Names must be [a-z][a-z0-9-]* (else HS_EINVAL, nothing
 * written).  Text goes through hs_html_puts.
 */
extern const char	 hs_html_bare[];
enum hs_err	 hs_html_open(const struct hs_out *, const char *, ...)
		    __attribute__((sentinel)) HS_WUR;
enum hs_err	 hs_html_vopen(const struct hs_out *, const char *, va_list)
		    HS_WUR;
enum hs_err	 hs_html_close(const struct hs_out *, const char *) HS_WUR;
enum hs_err	 hs_html_elem(const struct hs_out *, const char *, const char *,
		    ...) __attribute__((sentinel)) HS_WUR;

/*
 * field.c: a request's fields as a table (kcgi's keys[] with validators).
 * hs_field_parse checks a query's or body's pairs against the rows and
 * fills one typed hs_fval per row, or names the row that failed;
 * hs_field_error answers that 400 with a message naming the field.
 */
enum hs_field_kind {
	HS_FIELD_TEXT = 0,	/* UTF-8 text of min..max bytes */
	HS_FIELD_INT,		/* decimal integer in min..max */
	HS_FIELD_ENUM,		/* one of list[] (NULL-ended); i: its index */
	HS_FIELD_BOOL,		/* a ticked box: chars, or "on" if NULL */
	HS_FIELD_PATTERN,	/* min..max bytes, each one of chars */
	HS_FIELD__MAX
};
#define HS_FIELD_REQUIRED 0x01	/* row: absent or empty is an error */
#define HS_FIELD_LAX	0x02	/* row: a bad or repeated value is absent */
#define HS_FIELD_TRIM	0x04	/* row: spaces and tabs around dropped */
#define HS_FIELD_STRICT	0x01	/* parse: a key no row names is an error */
struct hs_field {
	const char		*name;	/* the query or form key */
	enum hs_field_kind	 kind;
	unsigned int		 flags;	/* HS_FIELD_REQUIRED, _LAX, _TRIM */
	long long		 min, max; /* bytes (text, pattern); value */
	const char		*chars;	/* pattern's bytes; box's value */
	const char *const	*list;	/* enum's values, NULL-ended */
	int			(*valid)(const char *, size_t); /* or NULL */
	const char		*label;	/* N_(): what people call it */
	const char		*hint;	/* N_(): message for a bad value */
};
struct hs_fval {
	int		 set;	/* sent and valid */
	const char	*s;	/* the value, owned by the pairs */
	size_t		 len;
	long long	 i;	/* integer, enum index, 1 for a ticked box */
};
struct hs_fbad {
	size_t		 row;	/* the failing row, or ntab: unknown key */
	const char	*key;	/* the unknown key, owned by the pairs */
	enum hs_err	 err;	/* as hs_field_parse returned */
};
enum hs_err	 hs_field_parse(struct hs_kv *, size_t, const struct hs_field *,
		    size_t, unsigned int, struct hs_fval *, struct hs_fbad *)
		    HS_WUR;
const char	*hs_field_msg(const struct hs_field *, size_t,
		    const struct hs_fbad *, char *, size_t);
enum hs_err	 hs_field_error(struct hs_req *, const struct hs_field *,
		    size_t, const struct hs_fbad *);

/* share.c: a campaign's share text may be stored (NULL) or why not. */
#define HS_SHARE_SUBJECT_MAX	200	/* characters: share_texts.subject */
#define HS_SHARE_BODY_MAX	2000	/* characters: share_texts.body */
const char	*hs_share_bad(const char *, size_t);

/* csv.c: RFC 4180 records from a file or from memory. */
struct hs_csvin {
	void		*fp;		/* a FILE *, or NULL: p..end */
	const char	*p, *end;
};
void		 hs_csv_file(struct hs_csvin *, void *);	/* FILE * */
void		 hs_csv_mem(struct hs_csvin *, const char *, size_t);
int		 hs_csv_record(struct hs_csvin *, char *, size_t, char **, int);

/*
 * i18n.c: the fixed wording people read, from gettext catalogues, in
 * the language chosen for the request (hs_lang_set; the dispatcher sets
 * English before each request).  _() translates, N_() only marks a
 * string for po/update.sh (translated where it is shown).  hs_date_long
 * writes "YYYY-MM-DD HH:MM" as a date people read, in the language.
 */
#define HS_TEXTDOMAIN	"hearsay"
#define HS_LANG_MAX	8		/* bytes of a language tag */
#define _(s)		hs_tr(s)
#define N_(s)		(s)
void		 hs_i18n_init(const char *);
int		 hs_lang_ok(const char *);
const char	*hs_lang_set(const char *);
const char	*hs_lang(void);
const char	*hs_tr(const char *) __attribute__((format_arg(1)));
int		 hs_date_long(const char *, char *, size_t);

/*
 * tmpl.c: templates from html/ (*.html) with @@key@@ markers.  Loaded once
 * at start; each marker calls back with the key's index, and the callback
 * writes the value through hs_html_puts.  Two markers are the engine's
 * own: @@t:Some text@@ writes "Some text" translated (_()) and escaped,
 * and @@lang@@ the request's language (for <html lang>).
 */
struct hs_tmpl;
typedef enum hs_err (*hs_tmpl_cb)(size_t, const struct hs_out *, void *);
enum hs_err	 hs_tmpl_load(struct hs_tmpl **, const char *, const char *,
		    const char *const *, size_t) HS_WUR;
enum hs_err	 hs_tmpl_parse(struct hs_tmpl **, const char *, size_t,
		    const char *const *, size_t) HS_WUR;
enum hs_err	 hs_tmpl_render(const struct hs_tmpl *, const struct hs_out *,
		    hs_tmpl_cb, void *) HS_WUR;
void		 hs_tmpl_free(struct hs_tmpl *);

/*
 * db.c, dbconn.c, dbstmt.c: MariaDB through one table of prepared
 * statements per program (db.h holds what the three share).
 * Never MYSQL_OPT_RECONNECT: a lost connection is reopened explicitly and
 * every statement re-prepared; hs_db_unit replays a whole unit.
 */
enum hs_dbtype {
	HS_DB_NULL = 0,
	HS_DB_INT,	/* long long */
	HS_DB_TEXT,	/* bytes with a length */
	HS_DB_BLOB
};
struct hs_dbparam {
	enum hs_dbtype	 type;
	long long	 i;
	const char	*s;
	size_t		 sz;
};
#define HS_DBP_NULL	 { HS_DB_NULL, 0, NULL, 0 }
#define HS_DBP_INT(x)	 { HS_DB_INT, (x), NULL, 0 }
#define HS_DBP_TEXT(x)	 { HS_DB_TEXT, 0, (x), ((x) != NULL ? strlen(x) : 0) }
#define HS_DBP_TEXTN(x, n) { HS_DB_TEXT, 0, (x), (n) }
#define HS_DBP_BLOB(x, n) { HS_DB_BLOB, 0, (const char *)(x), (n) }
struct hs_dbcol {
	enum hs_dbtype	 type;		/* HS_DB_INT or HS_DB_TEXT/BLOB */
	long long	 i;		/* value, for HS_DB_INT */
	char		*s;		/* caller's buffer, for TEXT/BLOB */
	size_t		 cap;		/* its size; one byte kept for NUL */
	unsigned long	 len;		/* bytes in the value */
	char		 isnull;	/* value was NULL */
	char		 truncated;	/* value did not fit in cap */
};
/* Result columns: an integer, or text into the array buf. */
#define HS_DBC_INT	 { HS_DB_INT, 0, NULL, 0, 0, 0, 0 }
#define HS_DBC_TEXT(buf) { HS_DB_TEXT, 0, (buf), sizeof(buf), 0, 0, 0 }
struct hs_db;
typedef enum hs_err (*hs_db_unit_fn)(struct hs_db *, void *);
/* hs_db_open's flags. */
#define HS_DB_READONLY	1	/* as the read-only user, read-only session */
#define HS_DB_BATCH	2	/* long statements: DB_BATCH_READ_TIMEOUT */
enum hs_err	 hs_db_open(struct hs_db **, const struct hs_conf *, int,
		    const char *const *, size_t) HS_WUR;
void		 hs_db_close(struct hs_db *);
enum hs_err	 hs_db_exec(struct hs_db *, size_t, const struct hs_dbparam *,
		    size_t, unsigned long long *) HS_WUR;
enum hs_err	 hs_db_query(struct hs_db *, size_t, const struct hs_dbparam *,
		    size_t, struct hs_dbcol *, size_t) HS_WUR;
enum hs_err	 hs_db_fetch(struct hs_db *, size_t, int *) HS_WUR;
void		 hs_db_end(struct hs_db *, size_t);
enum hs_err	 hs_db_row(struct hs_db *, size_t, const struct hs_dbparam *,
		    size_t, struct hs_dbcol *, size_t, int *) HS_WUR;
unsigned long long hs_db_insert_id(struct hs_db *, size_t);
enum hs_err	 hs_db_unit(struct hs_db *, hs_db_unit_fn, void *) HS_WUR;
enum hs_err	 hs_db_ensure(struct hs_db *) HS_WUR;
enum hs_err	 hs_db_sql(struct hs_db *, const char *) HS_WUR;

/*
 * Statements more than one program runs, for their statement tables.
 * The days whose per-day tables the next reconciliation owes, as two
 * ranges in reconcile_state, each read and cleared by the one pass that
 * rebuilds them: 'dirty_from' / 'dirty_to' for the attributions'
 * aggregates, 'rollups_from' / 'rollups_to' for the survey rollups,
 * which count raw answers and so run beside the run's chunks
 * (hearsay-reconcile).  HS_SQL_WIDEN(names, fn) widens the ranges of
 * names (a SELECT of them) with a day ('YYYY-MM-DD'), fn LEAST or
 * GREATEST.  The run's chunks widen the aggregates' alone; forget
 * (hearsay-admin) and a replaced answer (hearsay-survey) both
 * (HS_SQL_DIRTY_FROM, HS_SQL_DIRTY_TO).
 */
#define HS_SQL_WIDEN(names, fn)						\
	"INSERT INTO reconcile_state (name, last_id, last_at) SELECT n, "	\
	"0, ? FROM (" names ") x ON DUPLICATE KEY UPDATE last_at = " fn	\
	"(COALESCE(last_at, VALUES(last_at)), VALUES(last_at))"
#define HS_SQL_DIRTY_FROM						\
	HS_SQL_WIDEN("SELECT 'dirty_from' n UNION ALL "			\
	    "SELECT 'rollups_from'", "LEAST")
#define HS_SQL_DIRTY_TO							\
	HS_SQL_WIDEN("SELECT 'dirty_to' n UNION ALL "			\
	    "SELECT 'rollups_to'", "GREATEST")

/*
 * Moves counters.links_version on (sql/130): run in the same transaction
 * as (or right after) any change of a link or a campaign, so
 * hearsay-link's helper writes a new snapshot at once.
 */
#define HS_SQL_LINKS_MOVED						\
	"INSERT INTO counters (name, value) VALUES ('links_version', 1) " \
	"ON DUPLICATE KEY UPDATE value = value + 1"

/*
 * journal.c: a local append-only journal of checksummed records, written
 * when a record must not be lost or the database must not be waited for,
 * and replayed exactly once (the loader's inserts are idempotent on a
 * client-generated id).  A write or fsync error abandons the file: fsync
 * is never retried on the same descriptor.
 */
#define HS_JOURNAL_MAXREC (64 * 1024)	/* bytes in one journal record */
struct hs_journal;
enum hs_err	 hs_journal_open(struct hs_journal **, const char *,
		    const char *, int) HS_WUR;
enum hs_err	 hs_journal_append(struct hs_journal *, const void *, size_t)
		    HS_WUR;
enum hs_err	 hs_journal_appendv(struct hs_journal *, const void *const *,
		    const size_t *, size_t) HS_WUR;
enum hs_err	 hs_journal_sync(struct hs_journal *) HS_WUR;
void		 hs_journal_close(struct hs_journal *);
/* Called with a batch of records; HS_OK means durably loaded. */
typedef enum hs_err (*hs_journal_load_fn)(const char *const *,
		    const size_t *, size_t, void *);
enum hs_err	 hs_journal_replay(const char *, const char *, size_t,
		    hs_journal_load_fn, void *, size_t *) HS_WUR;

/*
 * prefork.c: the master.  It binds a unix socket (or takes the one
 * systemd passes), forks workers and optional helper processes (the
 * journal loader), respawns the dead, reloads on SIGHUP and drains on
 * SIGTERM.
 */
struct hs_prefork {
	const char	 *name;		/* program name, for logs */
	const char	 *sock;		/* socket path */
	int		  workers;	/* how many */
	void		(*worker)(int, void *); /* runs until hs_stopping */
	void		(*helper)(void *);	/* loader, or NULL */
	int		(*reload)(void *);	/* re-read config, or NULL */
	void		 *arg;
};
extern volatile sig_atomic_t hs_stopping;
int		 hs_prefork_run(const struct hs_prefork *);

/* fcgi.c: the worker loop and the CGI-mode single request. */
typedef void	(*hs_handler)(struct hs_req *, void *);
void		 hs_fcgi_loop(int, const struct hs_conf *, hs_handler, void *);
int		 hs_fcgi_serve(char **, const struct hs_conf *, hs_read_fn,
		    void *, const struct hs_out *, int, hs_handler, void *);
int		 hs_fcgi_is_cgi(void);
int		 hs_cgi_once(const struct hs_conf *, hs_handler, void *);

/*
 * route.c: routes as a table (kcgi's pages[]).  hs_route() answers an
 * unknown path 404, OPTIONS 204 with Allow, a method not in the route's
 * set 405 with Allow, a Content-Length over body_max 413, and only then
 * calls the route's handler.  A last route whose path is NULL takes
 * every other path, with no gates (a program's own 404 page).  A path
 * segment "*" matches any one non-empty segment (so /s/<slug>/thanks
 * takes any slug); hs_path_seg hands the handler what it matched.
 * hs_route_err is hs_route whose errors are written by its errfn (an
 * API's JSON) rather than as hs_http_error's page.
 */
#define HS_M(m)		(1u << (m))	/* a method in hs_route.methods */
#define HS_M_READ	(HS_M(HS_METHOD_GET) | HS_M(HS_METHOD_HEAD))
struct hs_route {
	const char	*path;		/* the path, or its start if prefix */
	int		 prefix;	/* 1: every path starting with path */
	unsigned	 methods;	/* HS_M() bits; OPTIONS is core's */
	size_t		 body_max;	/* bytes of body read; 0: none */
	hs_handler	 handle;
	const char	*refused;	/* 405 message, or NULL: core's */
	const char	*toolarge;	/* 413 message, or NULL: core's */
};
void		 hs_route(struct hs_req *, const struct hs_route *, size_t,
		    const char *, void *);
typedef enum hs_err (*hs_errfn)(struct hs_req *, int, const char *);
void		 hs_route_err(struct hs_req *, const struct hs_route *,
		    size_t, const char *, hs_errfn, void *);
int		 hs_path_seg(const char *, size_t, char *, size_t);

/* fcgiproto.c: FastCGI records without I/O, for fcgimux.c. */
#define HS_FCGI_PARAMS_MAX	(64 * 1024) /* > nginx's 4 x 8k headers */
#define HS_FCGI_BODY_MAX	HS_MAX_JSON /* the largest body nginx passes */
#define HS_FCGI_ENV_MAX		256	/* parameters of one request */
struct hs_fcgi_in {
	struct hs_buf	 params;	/* name-value pairs, encoded */
	struct hs_buf	 body;		/* standard input */
	unsigned	 id;		/* request id; 0: none begun */
	int		 keep;		/* FCGI_KEEP_CONN */
	int		 params_done;	/* the empty FCGI_PARAMS came */
};
enum hs_fcgi_ev {
	HS_FCGI_MORE,			/* need the rest of a record */
	HS_FCGI_REQUEST,		/* a request is whole */
	HS_FCGI_ERROR			/* protocol broken: close */
};
void		 hs_fcgi_in_init(struct hs_fcgi_in *);
void		 hs_fcgi_in_reset(struct hs_fcgi_in *);
void		 hs_fcgi_in_free(struct hs_fcgi_in *);
enum hs_fcgi_ev	 hs_fcgi_parse(struct hs_fcgi_in *, const unsigned char *,
		    size_t, size_t *, struct hs_buf *);
enum hs_err	 hs_fcgi_env(const struct hs_buf *, char **, size_t, char *)
		    HS_WUR;
enum hs_err	 hs_fcgi_respond(struct hs_buf *, unsigned, const char *,
		    size_t) HS_WUR;

/*
 * fcgimux.c: one worker serving many kept FastCGI connections.  The
 * settle hook (or NULL) runs after each batch of requests, before any
 * of their answers is written: a handler that set r->deferred answered
 * as if the hook's work (say, one COMMIT for every answer of the batch)
 * had succeeded.  The hook returns 0 when it did; else -1, and every
 * deferring request is served again with may_defer off.
 */
typedef int	(*hs_settle_fn)(void *);
void		 hs_fcgi_mux(int, const struct hs_conf *, hs_handler,
		    hs_settle_fn, void *);

/*
 * program.c: the one skeleton of every FastCGI program.  A program
 * describes itself (name, handler, templates, statements, hooks) and
 * hs_program_main() does the rest: configuration, templates, CGI mode or
 * the prefork master on run_dir/<name>.sock, workers that open their
 * database handles and serve, and SIGHUP, which re-reads the
 * configuration and the templates in the master (the new workers get
 * them) or, when they do not load, keeps the running ones and says why.
 */
struct hs_tmpldef {
	const char		 *file;		/* in html_dir */
	const char *const	 *keys;		/* its markers */
	size_t			  nkeys;
};
struct hs_program {
	const char		 *name;		/* "qr": hearsay-qr, qr.sock */
	struct hs_conf		 *conf;		/* the program's; loaded here */
	hs_handler		  handle;	/* one request, or NULL: */
	const struct hs_route	 *routes;	/* its routes (route.c) */
	size_t			  nroutes;
	const char		 *notfound;	/* their 404's message */
	int			  mux;		/* kept connections: fcgimux */
	hs_settle_fn		  settle;	/* mux batch hook, or NULL */
	const struct hs_tmpldef	 *tmpls;	/* templates, or NULL */
	size_t			  ntmpls;
	struct hs_tmpl		**tmpl;		/* ntmpls slots, loaded here */
	const char *const	 *stmts;	/* prepared by each worker */
	size_t			  nstmts;
	struct hs_db		**db;		/* read-write handle, or NULL */
	struct hs_db		**db_ro;	/* read-only handle, or NULL */
	int			  workers;	/* 0: conf->workers */
	int			  hmac;		/* signs: needs hmac_key */
	/* Refuses a configuration (start or reload): -1, reason in err. */
	int			(*check)(const struct hs_conf *, char *,
				    size_t);
	void			(*configure)(void *); /* after each load */
	void			(*start)(void *);  /* once; exits on failure */
	int			(*worker_init)(void *); /* -1: worker exits */
	void			(*worker_fini)(void *);
	void			(*helper)(void *); /* the loader, or NULL */
	void			 *arg;		/* given to every hook */
	const char		 *confpath;	/* set by hs_program_main */
};
int		 hs_program_main(struct hs_program *, int, char *[]);
int		 hs_program_reload(struct hs_program *);

/* code.c: short codes in Crockford base32, grouped for people. */
#define HS_CODE_LEN	8	/* random code: 40 bits */
#define HS_CODE_MAX	32	/* vanity codes up to this */
enum hs_err	 hs_code_new(char *, size_t) HS_WUR;
enum hs_err	 hs_code_canon(const char *, char *, size_t) HS_WUR;
enum hs_err	 hs_code_group(const char *, char *, size_t) HS_WUR;

/* rand.c, crypto.c: randomness, HMAC, signed tokens (libsodium). */
void		 hs_crypto_init(void);
void		 hs_rand_hex(char *, size_t);
void		 hs_rand_bytes(void *, size_t);
void		 hs_hex(const unsigned char *, size_t, char *);
enum hs_err	 hs_unhex(const char *, unsigned char *, size_t) HS_WUR;
void		 hs_hmac(const unsigned char *, const void *, size_t,
		    unsigned char [32]);
void		 hs_ref_hash(const unsigned char *, const char *, char [65]);
/*
 * Capability tokens (the host's and the advocate's pages): HS_CAP_HEX
 * lowercase hex digits in the URL, only their SHA-256 stored.
 */
#define HS_CAP_BYTES	32			/* 256 bits */
#define HS_CAP_HEX	(2 * HS_CAP_BYTES)
void		 hs_cap_new(char [HS_CAP_HEX + 1], char [65]);
enum hs_err	 hs_cap_hash(const char *, char [65]) HS_WUR;
enum hs_err	 hs_token_sign(const unsigned char *, const char *,
		    const char *, long long, struct hs_buf *) HS_WUR;
enum hs_err	 hs_token_verify(const unsigned char *, const char *,
		    const char *, long long, char *, size_t) HS_WUR;
int		 hs_ct_equal(const char *, const char *);
void		 hs_email_sha256(const char *, char [65]);
enum hs_err	 hs_email_key(const unsigned char [32], const char *,
		    char [65]) HS_WUR;

/* webhook.c: what may be a webhook URL; its signing secret (sql/060). */
#define HS_WEBHOOK_URL_MAX	2000	/* bytes in a URL (the column) */
#define HS_WEBHOOK_NONCE_HEX	32	/* hex digits of the key nonce */
#define HS_WEBHOOK_SECRET_LEN	(6 + 2 * 32)	/* "whsec_" + hex MAC */
int		 hs_webhook_url_ok(const char *);
void		 hs_webhook_secret(const unsigned char [32], const char *,
		    char [HS_WEBHOOK_SECRET_LEN + 1]);

/*
 * privacy.c: pseudonymous client hash with a daily salt; whether an
 * address is internal (loopback, private, link-local...), for outgoing
 * requests.
 */
struct sockaddr;
enum hs_err	 hs_client_prefix(const char *, char *, size_t) HS_WUR;
void		 hs_client_hash(const unsigned char [32], const char *,
		    char [65]);
int		 hs_addr_internal(const struct sockaddr *);
int		 hs_addr_internal_str(const char *);

/*
 * file.c: a small file replaced whole (temporary, fsync, rename, fsync of
 * the directory), the errors of writing, and FNV-1a for tables of short
 * keys we choose ourselves.
 */
enum hs_err	 hs_io_err(int);
int		 hs_write_all(int, const void *, size_t) HS_WUR;
enum hs_err	 hs_dir_sync(const char *) HS_WUR;
enum hs_err	 hs_file_replace(const char *, const void *, size_t, mode_t)
		    HS_WUR;
uint32_t	 hs_fnv1a(const char *);

/*
 * metrics.c: agreement of the tracked and the reported channel over a
 * k x k matrix of counts (row: tracked, column: reported).  NAN marks a
 * statistic that is undefined; the edge rules are at the top of
 * metrics.c.
 */
struct hs_agreement {
	long long	 n;		/* signups in the matrix */
	size_t		 k;		/* channels used on either side */
	double		 po;		/* observed agreement */
	double		 pe;		/* agreement expected by chance */
	double		 kappa;		/* Cohen's kappa */
	double		 pabak;		/* prevalence- and bias-adjusted */
};
void		 hs_agreement(const long long *, size_t,
		    struct hs_agreement *);

/*
 * vocab.c: the words of attribution the programs share: canonical
 * channels, the classes of attributions.class and the risk flags of
 * attributions.risk_flags (bit i is hs_risks[i]).
 */
#define HS_CHANNELS	10	/* entries of hs_channels */
#define HS_CHANNEL_MAX	32	/* bytes of a channel name */
enum hs_class {
	HS_CLASS_AGREE = 0,
	HS_CLASS_DISAGREE,
	HS_CLASS_TRACKED_ONLY,
	HS_CLASS_REPORTED_ONLY,
	HS_CLASS_UNATTRIBUTED,
	HS_CLASS__MAX
};
#define HS_RISK_SELF	0x1
#define HS_RISK_VELOCITY 0x2
#define HS_RISK_BOT	0x4
#define HS_RISK_SHARED	0x8
#define HS_RISK__MAX	4	/* bits, entries of hs_risks */
#define HS_RISK_STRMAX	64	/* bytes of every risk name joined, with NUL */
extern const char *const hs_channels[HS_CHANNELS];
extern const char *const hs_classes[HS_CLASS__MAX];
extern const char *const hs_class_labels[HS_CLASS__MAX];
extern const char *const hs_risks[HS_RISK__MAX];
const char	*hs_channel_canon(const char *);
int		 hs_channel_is_referral(const char *);
int		 hs_channel_known(const char *);
void		 hs_risk_str(unsigned int, const char *, char *, size_t);
/* hs_channel_is_referral's channels, for SQL: "x IN " HS_SQL_REFERRAL_SET. */
#define HS_SQL_REFERRAL_SET	"('referral','community','event')"

/*
 * dest.c: where an invite link may send a person: http(s), a host on the
 * campaign's allowlist, nothing that could split a header.  The one
 * check, when hearsay-admin stores a destination and when hearsay-link
 * redirects to it.
 */
#define HS_DEST_MAX	2000	/* bytes in a stored destination */
#define HS_HOSTS_MAX	1000	/* bytes in a campaign's host list */
#define HS_LOC_MAX	4096	/* bytes in a Location a redirect builds */
int		 hs_dest_valid(const char *, const char *, const char **);
int		 hs_host_allowed(const char *, size_t, const char *);

/*
 * event.c: an event with its own link and its table cards' links, in one
 * unit (hearsay-admin and hearsay-qr's host pages).  Each program puts
 * the HS_SQL_EVENT_* texts in its statement table and names their
 * indices in a struct hs_event_stmts.
 */
#define HS_EVENT_TABLES_MAX 60	/* table cards' links of one event */
#define HS_SQL_EVENT_ADD						\
	"INSERT IGNORE INTO events (slug, name, host_advocate_id, "	\
	"campaign_id, venue, starts_at, ends_at) "			\
	"VALUES (?, ?, ?, ?, ?, ?, ?)"
#define HS_SQL_EVENT_ID							\
	"SELECT id, COALESCE(host_advocate_id, 0) FROM events "		\
	"WHERE slug = ?"
#define HS_SQL_EVENT_LINK_ADD						\
	"INSERT IGNORE INTO links (code, campaign_id, advocate_id, "	\
	"event_id, channel, label, destination) "			\
	"VALUES (?, ?, ?, ?, 'event', ?, ?)"
#define HS_SQL_EVENT_LINK_OWNER						\
	"SELECT COALESCE(event_id, 0) FROM links WHERE code = ?"
/*
 * An event disabled or re-enabled (disabled, slug), and every link of
 * it with it (disabled, slug), then HS_SQL_LINKS_MOVED: hearsay-admin
 * event disable|enable and hearsay-report's manage pages (sql/195).
 */
#define HS_SQL_EVENT_ABLE						\
	"UPDATE events SET disabled = ? WHERE slug = ?"
#define HS_SQL_EVENT_LINKS_ABLE						\
	"UPDATE links l JOIN events e ON e.id = l.event_id "		\
	"SET l.disabled = ? WHERE e.slug = ?"
struct hs_event_stmts {
	size_t		 add;		/* HS_SQL_EVENT_ADD */
	size_t		 id;		/* HS_SQL_EVENT_ID */
	size_t		 link_add;	/* HS_SQL_EVENT_LINK_ADD */
	size_t		 link_owner;	/* HS_SQL_EVENT_LINK_OWNER */
	size_t		 moved;		/* HS_SQL_LINKS_MOVED */
};
struct hs_event;
/*
 * A caller's statements in the event's own unit: called with after 0
 * before the event is inserted (it may refuse, or fill in campaign, dest
 * and host) and with after 1 once it and its links are (an audit row).
 * Its error ends the unit and is hs_event_create's; it is not retried.
 */
typedef enum hs_err (*hs_event_hook)(struct hs_db *, struct hs_event *,
		    int, void *);
struct hs_event {
	const char	*slug;		/* chosen before: a replay is the same */
	const char	*name;
	const char	*venue;		/* or NULL */
	const char	*starts;	/* SQL DATETIME, or NULL */
	const char	*ends;		/* SQL DATETIME, or NULL */
	long long	 host;		/* advocates.id, 0 for none */
	long long	 campaign;	/* campaigns.id */
	const char	*dest;		/* the campaign's default destination */
	int		 tables;	/* table cards: 0..HS_EVENT_TABLES_MAX */
	int		 fixed;		/* codes[] given, not drawn (demo) */
	char		 codes[HS_EVENT_TABLES_MAX + 1][HS_CODE_MAX + 1];
					/* [0] the event's own link */
	long long	 id;		/* out: events.id */
	int		 added;		/* out: 0 if it was there already */
	hs_event_hook	 hook;		/* or NULL */
	void		*hook_arg;
	enum hs_err	 hooked;	/* out: the hook's error, or HS_OK */
};
enum hs_err	 hs_event_create(struct hs_db *, const struct hs_event_stmts *,
		    struct hs_event *) HS_WUR;

#endif /* !HEARSAY_H */
