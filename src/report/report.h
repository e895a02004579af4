/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * report.h: hearsay-report's internal interface.  main.c holds the
 * program (statement table, routing, the worker); auth.c the login,
 * sessions, CSRF and throttling; page_*.c the pages, one file per family
 * (pages.h what they share): overview, review queue and
 * downloads; table.c one table model written as HTML, CSV or JSON; svg.c
 * the charts.  svg.c and table.c are pure (no I/O but the struct hs_out
 * they are given), so Check tests them into an hs_buf.
 */
#ifndef REPORT_H
#define REPORT_H

#define RPT_NAME_MAX	64	/* bytes in a user name */
#define RPT_SID_HEX	64	/* hex chars of a session token / its hash */
#define RPT_TEXT_MAX	512	/* bytes fetched of one text column */

/* Statements of the program, prepared once per worker and handle. */
enum stmt {
	STMT_SESSION_GET,
	STMT_SESSION_TOUCH,
	STMT_SESSION_ADD,
	STMT_SESSION_DEL,
	STMT_SESSION_GC,
	STMT_USER_GET,
	STMT_ATTEMPTS_USER,
	STMT_ATTEMPTS_CLIENT,
	STMT_ATTEMPTS_ALL,
	STMT_ATTEMPT_ADD,
	STMT_ATTEMPTS_GC,
	STMT_ATTEMPTS_CLEAR,
	STMT_CAMPAIGNS,
	STMT_CAMPAIGN_HAS,
	STMT_DAYS,
	STMT_MATRIX,
	STMT_MATRIX_CAMP,
	STMT_ADVOCATES,
	STMT_ADV_FLAGS,
	STMT_EVENTS,
	STMT_FUNNEL,
	STMT_POSITIONS,
	STMT_FLAGS_COUNT,
	STMT_FLAGS_LIST,
	STMT_RULES_LIST,
	STMT_RULE_LAST,
	STMT_RULE_GET_ID,
	STMT_QUEUE_POINT,
	STMT_SIGNUPS_COUNT,
	STMT_SIGNUPS,
	STMT_FRESHNESS,
	STMT_REVIEW_LIST,
	STMT_REVIEW_GET,
	STMT_TARGET_ADVOCATE,
	STMT_TARGET_EVENT,
	STMT_RULE_VERSION,
	STMT_RULE_ADD,
	STMT_REVIEW_RESOLVE,
	STMT_TARGETS,
	STMT__MAX
};
extern const char *const report_stmts[STMT__MAX];

/* Templates, loaded at start from html_dir. */
enum tpl {
	TPL_PAGE,
	TPL_LOGIN,
	TPL__MAX
};

/* Markers of the page template. */
enum pkey {
	PKEY_TITLE,
	PKEY_USER,
	PKEY_CSRF,
	PKEY_BODY,
	PKEY__MAX
};

/* Markers of the login template. */
enum lkey {
	LKEY_TOKEN,
	LKEY_MESSAGE,
	LKEY_USER,
	LKEY__MAX
};

struct report {
	struct hs_conf	 conf;
	struct hs_tmpl	*tpl[TPL__MAX];
	struct hs_db	*ro;		/* read-only handle: every page */
	struct hs_db	*rw;		/* login, sessions, review decisions */
	char		 dummy_hash[128]; /* pwhash of nothing, for timing */
	int		 secure;	/* base_url is https: __Host- cookie */
};

/* The signed-in analyst, from a valid session. */
struct sess {
	char		 sid[RPT_SID_HEX + 1];	/* SHA-256 hex of the token */
	long long	 user_id;
	char		 name[RPT_NAME_MAX + 1];
	long long	 campaign;	/* 0: all campaigns, else that one */
	char		 csrf[RPT_SID_HEX + 1];	/* token forms carry */
	int		 admin;		/* role admin: may also manage */
};

/* A number's macro as a string literal: RPT_STR(N) is "N". */
#define RPT_STR(x)	RPT_STR2(x)
#define RPT_STR2(x)	#x

/*
 * The nonce every form that changes something carries (fresh random hex
 * per page, so a form sent twice changes once), and its field row.
 */
#define RPT_NONCE_HEX	32
#define RPT_ONCE_FIELD { .name = "once", .kind = HS_FIELD_PATTERN, \
	.flags = HS_FIELD_REQUIRED, .min = RPT_NONCE_HEX, \
	.max = RPT_NONCE_HEX, .chars = "0123456789abcdef", .label = "Form" }

/* Drops a result that does not change what happens next (logged). */
static inline void
rpt_ignore(enum hs_err e)
{

	(void)e;
}

/* main.c */
const char	*report_cookie_name(const struct report *);

/* auth.c */
int		 auth_session(struct report *, struct hs_req *, struct sess *);
int		 auth_csrf_ok(const struct sess *, const struct hs_req *);
void		 auth_login_page(struct report *, struct hs_req *);
void		 auth_login(struct report *, struct hs_req *);
void		 auth_signed_out(struct report *, struct hs_req *);
void		 auth_logout(struct report *, struct hs_req *,
		    const struct sess *);
void		 auth_csrf_token(const struct report *, const char *,
		    char [RPT_SID_HEX + 1]);

/* page_*.c */
void		 page_overview(struct report *, struct hs_req *,
		    const struct sess *);
void		 page_review(struct report *, struct hs_req *,
		    const struct sess *);
void		 page_review_map(struct report *, struct hs_req *,
		    const struct sess *);
void		 page_flags(struct report *, struct hs_req *,
		    const struct sess *);
void		 page_flags_decide(struct report *, struct hs_req *,
		    const struct sess *, int);
void		 page_rules(struct report *, struct hs_req *,
		    const struct sess *);
void		 page_rules_change(struct report *, struct hs_req *,
		    const struct sess *, int);
void		 page_signups(struct report *, struct hs_req *,
		    const struct sess *);
enum hs_err	 page_render(struct report *, struct hs_req *, int,
		    const struct sess *, const char *,
		    enum hs_err (*)(const struct hs_out *, void *), void *);

/* cohorts.c: the page and its downloads; cohorts_cost.c: the costs form */
void		 page_cohorts(struct report *, struct hs_req *,
		    const struct sess *);
void		 page_cohorts_cost(struct report *, struct hs_req *,
		    const struct sess *);

/* manage.c: campaigns, advocates, links and events managed by an admin;
 * manage_account.c: the signed-in user's password and sessions.  The last
 * argument is 1 for the POST that saves. */
void		 manage_page(struct report *, struct hs_req *,
		    const struct sess *, int);
void		 account_page(struct report *, struct hs_req *,
		    const struct sess *, int);

/* table.c: rows of strings, written as an HTML table, CSV or JSON. */
struct rtcol {
	const char	*key;		/* CSV header and JSON key */
	const char	*label;		/* HTML header */
	int		 num;		/* 1: a number we formatted */
};
struct rtable {
	const char		*name;	/* download name: a constant */
	const char		*caption;
	const struct rtcol	*cols;
	size_t			 ncols;
	char			**cells; /* nrows * ncols; NULL is null */
	size_t			 ncells;
	size_t			 cap;
	size_t			 max;	/* row limit */
	/* Optional: a link for a cell (1 with the URL in the buffer). */
	int			(*href)(const struct rtable *, size_t, size_t,
				    char *, size_t);
	const void		*harg;	/* for href */
};
void		 rt_init(struct rtable *, const char *, const char *,
		    const struct rtcol *, size_t, size_t);
void		 rt_free(struct rtable *);
size_t		 rt_rows(const struct rtable *);
const char	*rt_cell(const struct rtable *, size_t, size_t);
enum hs_err	 rt_put(struct rtable *, const char *) HS_WUR;
enum hs_err	 rt_printf(struct rtable *, const char *, ...)
		    HS_PRINTF(2, 3) HS_WUR;
enum hs_err	 rt_html(const struct hs_out *, const struct rtable *) HS_WUR;
enum hs_err	 rt_csv(const struct hs_out *, const struct rtable *) HS_WUR;
enum hs_err	 rt_json(const struct hs_out *, const struct rtable *) HS_WUR;

/* svg.c: charts as inline SVG, each with a title and a description. */
struct svg_series {
	const char	*name;		/* legend text */
	const double	*v;		/* one value per x */
};
struct svg_chart {
	const char	*id;		/* element id prefix: a constant */
	const char	*title;
	const char	*desc;		/* the text alternative */
	const char	*const *x;	/* x labels (n) */
	size_t		 n;
	const struct svg_series *s;
	size_t		 ns;
	int		 percent;	/* y is a fraction shown as % */
};
enum hs_err	 svg_line(const struct hs_out *, const struct svg_chart *)
		    HS_WUR;
enum hs_err	 svg_stacked(const struct hs_out *, const struct svg_chart *)
		    HS_WUR;
enum hs_err	 svg_heatmap(const struct hs_out *, const char *,
		    const char *, const char *, const char *const *, size_t,
		    const char *const *, size_t, const long long *) HS_WUR;

#endif /* !REPORT_H */
