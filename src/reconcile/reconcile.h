/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * reconcile.h: hearsay-reconcile's internal interface.  One job per
 * file: normalise.c (text folding), map.c (a string hash map), match.c
 * (names to advocates and events), rules.c (analysts' mapping rules),
 * classify.c (one attribution from one signup's evidence, pure),
 * aggregate.c (agreement metrics and the summary), lease.c (one runner),
 * run.c (the chunked, resumable run, its phases split over run.h's
 * files), export.c (CSV and JSON), sql.c
 * (the statement table).  The pure parts (normalise, map, match, rules
 * lookup, classify, metrics) take no database handle so Check can test
 * them.
 */
#ifndef RECONCILE_H
#define RECONCILE_H

#include <signal.h>
#include <stdio.h>

/* Exit statuses, documented in hearsay-reconcile(8), EXIT STATUS. */
#define RC_EXIT_OK	0	/* done */
#define RC_EXIT_FAIL	1	/* database or system error */
#define RC_EXIT_USAGE	2	/* bad command line or configuration */
#define RC_EXIT_BUSY	3	/* another run holds the lease */
#define RC_EXIT_LOST	4	/* our lease was taken over mid-run */
#define RC_EXIT_UNAVAIL	5	/* database unreachable: try later */
#define RC_EXIT_INTR	6	/* stopped by a signal after a chunk */

/* Named limits. */
#define RC_NORM_MAX	512	/* bytes of a normalised text, with NUL */
#define RC_CHANNEL_MAX	33	/* bytes of a channel name, with NUL */
#define RC_CHUNK	2000	/* signups per transaction */
#define RC_BATCH	250	/* rows per multi-row INSERT */
#define RC_BATCH_MID	32	/* rows per INSERT of a chunk's tail */
#define RC_BATCH_SMALL	4	/* rows per INSERT of the tail's tail */
#define RC_MAXCLICKS	64	/* clicks considered per signup */
#define RC_LEASE_SECS	300	/* lease lifetime, renewed per chunk */
#define RC_ORPHAN_WINDOW 10000	/* attributions read per orphan probe */
#define RC_STR(x)	RC_STR2(x)	/* a limit into SQL text */
#define RC_STR2(x)	#x

/* Thresholds of the fuzzy matcher (see hearsay-reconcile(8)). */
#define RC_FUZZY_MIN	0.88	/* Jaro-Winkler similarity to accept */
#define RC_FUZZY_MARGIN	0.03	/* best must beat the runner-up by this */
#define RC_SHARED_MIN	10	/* human clicks per client hash per day */
#define RC_PHONETIC_MIN	0.80	/* Jaro-Winkler of each word, phonetic */
#define RC_RUN_MAX	8	/* words of a name looked for inside a text */

/* normalise.c */
int		 rc_norm(const char *, char *, size_t);
int		 rc_norm_name(const char *, char *, size_t);
int		 rc_norm_keep(const char *, char *, size_t);
int		 rc_norm_name_keep(const char *, char *, size_t);
void		 rc_phonetic(const char *, char *, size_t);

/* map.c: string -> pointer, open addressing; keys are copied. */
struct rc_map;
struct rc_map	*rc_map_new(void);
void		 rc_map_free(struct rc_map *, void (*)(void *));
void		*rc_map_get(const struct rc_map *, const char *);
int		 rc_map_put(struct rc_map *, const char *, void *);
size_t		 rc_map_count(const struct rc_map *);

/* match.c: names of advocates (or events) and the matcher over them. */
enum rc_how {
	RC_HOW_NONE = 0,
	RC_HOW_HANDLE,		/* handle or @handle, exact */
	RC_HOW_ALIAS,		/* one of the aliases, exact */
	RC_HOW_NAME,		/* full display name (either order) */
	RC_HOW_FIRST_INITIAL,	/* "anna k" */
	RC_HOW_FIRST_NAME,	/* a first name only one advocate has */
	RC_HOW_FUZZY,		/* Jaro-Winkler over the names above */
	RC_HOW_PHONETIC,	/* same phonetic key, and similar */
	RC_HOW_ACCENT,		/* a name as above, accents kept: "zoé m" */
	RC_HOW_IN_TEXT,		/* a name, alias or handle inside a text */
	RC_HOW__MAX
};
struct rc_match {
	long long	 id;	/* advocate or event id; 0 when none */
	enum rc_how	 how;
	double		 conf;	/* 0..1 */
};
struct rc_names;
struct rc_names	*rc_names_new(int);
void		 rc_names_free(struct rc_names *);
int		 rc_names_add_handle(struct rc_names *, long long, const char *);
int		 rc_names_add_alias(struct rc_names *, long long, const char *);
int		 rc_names_add_name(struct rc_names *, long long, const char *);
int		 rc_names_match(struct rc_names *, const char *,
		    struct rc_match *);
const char	*rc_how_name(enum rc_how);
double		 rc_jaro_winkler(const char *, const char *);
int		 rc_damerau(const char *, const char *);

/* rules.c: the analysts' rules, latest version per (kind, pattern). */
enum rc_textkind {
	RC_TEXT_OTHER = 0,	/* "Other" text */
	RC_TEXT_REFERRER,	/* referrer name as typed */
	RC_TEXT_EVENT,		/* event named in a follow-up */
	RC_TEXT__MAX
};
enum rc_target {
	RC_TARGET_CHANNEL = 0,
	RC_TARGET_ADVOCATE,
	RC_TARGET_EVENT,
	RC_TARGET_IGNORE,
	RC_TARGET_REMOVED,	/* an analyst withdrew the rule (sql/121) */
	RC_TARGET__MAX
};
struct rc_rule {
	long long	 id;
	long long	 version;
	enum rc_target	 target;
	long long	 target_id;
	char		 channel[RC_CHANNEL_MAX];
};
struct rc_rules;
extern const char *const rc_textkinds[RC_TEXT__MAX];
extern const char *const rc_targets[RC_TARGET__MAX];
struct rc_rules	*rc_rules_new(void);
void		 rc_rules_free(struct rc_rules *);
int		 rc_rules_add(struct rc_rules *, enum rc_textkind, const char *,
		    const struct rc_rule *);
const struct rc_rule *rc_rules_find(const struct rc_rules *, enum rc_textkind,
		    const char *);
int		 rc_textkind_parse(const char *);
int		 rc_target_parse(const char *);

/*
 * classify.c: the world the classifier looks things up in (loaded once
 * per run) and one signup's evidence.
 */
struct rc_link {
	long long	 id;
	long long	 advocate_id;	/* 0 when none */
	long long	 event_id;	/* 0 when none */
	long long	 campaign_id;
	char		 channel[RC_CHANNEL_MAX]; /* canonical */
};
struct rc_advocate {
	long long	 id;
	char		 email_hash[65]; /* "" when unknown */
	long long	 campaign_id;	/* of its first link, 0 if none */
};
struct rc_event {
	long long	 id;
	long long	 campaign_id;
	long long	 host_advocate_id;
};
struct rc_option {
	char		 channel[RC_CHANNEL_MAX]; /* canonical */
	int		 followup;	/* RC_FOLLOW_* */
};
#define RC_FOLLOW_NONE		0
#define RC_FOLLOW_TEXT		1
#define RC_FOLLOW_REFERRER	2
#define RC_FOLLOW_OTHER		3

struct rc_world {
	struct rc_map	*links;		/* "id" -> rc_link */
	struct rc_map	*codes;		/* canonical code -> rc_link */
	struct rc_map	*advocates;	/* "id" -> rc_advocate */
	struct rc_map	*events;	/* "id" -> rc_event */
	struct rc_map	*options;	/* "survey_id key" -> rc_option */
	struct rc_map	*selfhash;	/* "advocate_id client_hash" -> "" */
	struct rc_map	*velocity;	/* "client_hash yyyy-mm-dd hh" -> "" */
	struct rc_map	*accepted;	/* signup_ref -> "": flag accepted */
	struct rc_names	*advnames;	/* advocate matcher */
	struct rc_names	*evnames;	/* event matcher */
	struct rc_rules	*rules;
	long long	 window_ms;	/* attribution window */
};

struct rc_click {
	char		 id[33];
	long long	 at_ms;		/* clicked_at, ms since the epoch */
	long long	 link_id;
	int		 is_bot;
	int		 shared;	/* its hash: RC_SHARED_MIN+ that day */
	char		 client_hash[65];
};

/* One signup (or lone answer) and everything said or tracked about it. */
struct rc_item {
	char		 ref[129];	/* attribution key */
	long long	 signup_id;	/* 0: no signup row */
	long long	 signed_ms;	/* signup time (answer time if none) */
	char		 email_hash[65];
	char		 client_hash[65];
	long long	 response_id;	/* 0: no answer */
	long long	 survey_id;
	long long	 answered_ms;
	char		 options[1001];
	char		 other_text[501];
	char		 referrer_text[201];
	char		 followup_text[501];
	char		 code_text[65];
	char		 resp_client_hash[65];
	int		 velocity_flag;
	struct rc_click	 clicks[RC_MAXCLICKS];
	size_t		 nclicks;
};

/* Classes and risk flags: core's vocabulary (vocab.c, HS_CLASS_*,
 * HS_RISK_*). */

struct rc_attr {
	char		 ref[129];
	long long	 signup_id, response_id;	/* 0: NULL */
	char		 day[11];		/* YYYY-MM-DD */
	enum hs_class	 class;
	char		 tracked_click[33], first_click[33]; /* "": NULL */
	long long	 tracked_ms;		/* 0: NULL */
	long long	 t_link, t_advocate, t_event, t_campaign; /* 0: NULL */
	char		 t_channel[RC_CHANNEL_MAX];	/* "": NULL */
	char		 options[1001];		/* "": NULL */
	char		 r_channel[RC_CHANNEL_MAX];	/* "": NULL */
	long long	 r_advocate, r_event, r_link;	/* 0: NULL */
	char		 channel[RC_CHANNEL_MAX];	/* credited, 'none' */
	long long	 advocate, event, campaign;	/* credited, 0 */
	char		 rule[64];
	double		 conf;
	unsigned int	 risk;			/* HS_RISK_* */
	int		 free_kind;		/* -1: none */
	char		 free_text[RC_NORM_MAX];
	char		 free_raw[501];
	char		 computed_at[24];	/* YYYY-MM-DD HH:MM:SS.mmm */
};

void		 rc_classify(struct rc_world *, const struct rc_item *,
		    struct rc_attr *);
void		 rc_fmt_day(long long, char *);
void		 rc_fmt_time(long long, char *);

/*
 * aggregate.c: the rollups.  The agreement metrics over a channel matrix
 * are core's (metrics.c, hs_agreement), shared with hearsay-report.
 */
enum hs_err	 rc_rollups(struct hs_db *, const struct hs_dbparam *, int);

/*
 * survey_rollup.c: the rollups of sql/042 (answers, positions, scans),
 * and the touched days of rows recorded since a pass's mark, which the
 * invites (finalise.c) use too.  A pass looks RC_SLACK_SECS before its mark,
 * for rows whose transaction committed after the mark was read; with
 * RC_BACKLOG_MAX rows or more recorded since, listing their days may
 * take longer than a statement may (the read timeout), and every day is
 * rebuilt instead.
 */
#define RC_DAY_MS	(24LL * 3600 * 1000)
#define RC_SLICE_DAYS	7	/* days per unit: ~250k rows at 1M a month */
#define RC_SLACK_SECS	600	/* look-back for late commits */
#define RC_BACKLOG_MAX	200000	/* rows recorded since: more, rebuild all */
#define RC_TOUCHED_MAX	512	/* touched days read per query */
#define RC_INV_PAIRS	64	/* (hour, link) pairs per statement */

struct rc_opts;
int		 rc_state_read(struct hs_db *, const char *, long long *,
		    long long *);
int		 rc_survey_rollups(struct hs_db *, const char *,
		    const struct rc_opts *, long long);
int		 rc_touched(struct hs_db *, size_t, struct hs_dbparam *,
		    size_t, int (*)(void *, long long, long long), void *);
int		 rc_slices(long long, long long, long long,
		    int (*)(void *, long long, long long), void *);

/*
 * lease.c's statements: the first of every statement table a lease is
 * renewed on, the run's (sql.c) and the cohort pass's own (cohorts.c),
 * which begin with RC_LEASE_SQL.
 */
enum {
	STMT_LEASE_TAKE,
	STMT_LEASE_HOLDER,
	STMT_LEASE_RENEW,
	STMT_LEASE_DROP,
	STMT_LEASE__MAX
};
#define RC_LEASE_SQL \
	/* STMT_LEASE_TAKE: ours if free, expired or already ours. */ \
	"INSERT INTO leases (name, holder, expires_at) VALUES " \
	"(?, ?, NOW(3) + INTERVAL ? SECOND) ON DUPLICATE KEY UPDATE " \
	"holder = IF(expires_at < NOW(3), VALUES(holder), holder), " \
	"expires_at = IF(holder = VALUES(holder), VALUES(expires_at), " \
	"expires_at)", \
	/* \
	 * STMT_LEASE_HOLDER: a locking read, which sees the row as \
	 * committed now, at any isolation level: the cohort pass's unit \
	 * is REPEATABLE READ, where a plain read sees its snapshot, \
	 * taken before another holder took the lease. \
	 */ \
	"SELECT holder FROM leases WHERE name = ? LOCK IN SHARE MODE", \
	/* STMT_LEASE_RENEW */ \
	"UPDATE leases SET expires_at = NOW(3) + INTERVAL ? SECOND " \
	"WHERE name = ? AND holder = ?", \
	/* STMT_LEASE_DROP */ \
	"DELETE FROM leases WHERE name = ? AND holder = ?"

/* sql.c: the program's statement table (one per program, STYLE.md 8). */
enum stmt {
	/* READ COMMITTED: no locks on live rows */
	STMT_SESSION = STMT_LEASE__MAX,
	STMT_LINKS,
	STMT_ADVOCATES,
	STMT_EVENTS,
	STMT_OPTIONS,
	STMT_SELFHASH,
	STMT_RULES,
	STMT_RULES_MAX,
	STMT_ACCEPTED,
	STMT_VELOCITY,
	STMT_SIGNUP_SPAN,
	STMT_RESPONSE_IDS,
	STMT_CHUNK_SIGNUPS,
	STMT_CHUNK_CLICKS,
	STMT_CLICK_ONE,
	STMT_CHUNK_RESPONSES,
	STMT_RULE_ROWS,
	STMT_ATTR_ONE,
	STMT_ATTR_BATCH,
	STMT_ATTR_MID,
	STMT_ATTR_SMALL,
	STMT_STATE_GET,
	STMT_STATE_SET,
	STMT_DIRTY_FROM,
	STMT_DIRTY_TO,
	STMT_DIRTY_CLEAR,
	STMT_RQ_DELETE,
	STMT_RQ_INSERT,
	STMT_RQ_CLEAR,
	STMT_RQ_ALL,
	STMT_ATTR_DAYS,
	STMT_AGG_DELETE,
	STMT_AGG_DELETE_OUT,
	STMT_AGG_INSERT,
	STMT_MX_DELETE,
	STMT_MX_DELETE_OUT,
	STMT_MX_INSERT,
	STMT_RU_DAYS_DELETE,
	STMT_RU_DAYS_DELETE_OUT,
	STMT_RU_DAYS_INSERT,
	STMT_RU_ADV_DELETE,
	STMT_RU_ADV_DELETE_OUT,
	STMT_RU_ADV_INSERT,
	STMT_CM_DELETE,
	STMT_CM_DELETE_OUT,
	STMT_CM_INSERT,
	STMT_CLICK_SPAN,
	STMT_HORIZON,
	STMT_INV_DELETE,
	STMT_INV_INSERT,
	STMT_INV_BACKLOG,
	STMT_INV_PRINTS,
	STMT_INV_TOUCHED,
	STMT_HINV_DELETE,	/* sql/230: invites by the hour and link */
	STMT_HINV_INSERT,
	STMT_HINV_RANGE_DELETE,
	STMT_HINV_RANGE_INSERT,
	STMT_HINV_PAIRS_DELETE,
	STMT_HINV_PAIRS_INSERT,
	STMT_HINV_HISTORY,
	STMT_ORPHANS,
	STMT_ATTR_DELETE,
	STMT_RUN_NEW,
	STMT_RUN_ABANDON,
	STMT_RUN_LAST,
	STMT_RUN_CURSOR,
	STMT_RUN_END,
	STMT_SUM_AGG,
	STMT_SUM_MATRIX,
	STMT_SUM_INVITES,
	STMT_ADV_BY_HANDLE,
	STMT_EVENT_BY_SLUG,
	STMT_RULE_VERSION,
	STMT_RULE_INSERT,
	STMT_SR_SPAN,		/* survey_rollup.c: sql/042 */
	STMT_SR_TOUCHED,
	STMT_SR_BACKLOG,
	STMT_SR_PRINTS,
	STMT_SR_DAYS_DELETE,
	STMT_SR_DAYS_DELETE_OUT,
	STMT_SR_DAYS_INSERT,
	STMT_SR_POS_DELETE,
	STMT_SR_POS_DELETE_OUT,
	STMT_SR_POS_INSERT,
	STMT_SR_SCANS_DELETE,
	STMT_SR_SCANS_DELETE_OUT,
	STMT_SR_SCANS_INSERT,
	STMT_SR_DIRTY_CLEAR,
	STMT_CO_RECENT,		/* cohorts.c: whether the pass is due */
	STMT__MAX
};
extern const char *rc_stmts[STMT__MAX];
extern const char *rc_side_stmts[STMT__MAX];
int		 rc_stmts_init(void);
void		 rc_stmts_free(void);
#define RC_ATTR_COLS	29	/* columns written per attribution row */
#define RC_RQ_TEXTS	200	/* review queue texts per statement */

/* lease.c: one runner at a time, through the leases table. */
struct hs_db;
int		 rc_lease_take(struct hs_db *, const char *, int);
enum hs_err	 rc_lease_fence(struct hs_db *, const char *, int, int *);
void		 rc_lease_drop(struct hs_db *, const char *);
#define RC_LEASE_NAME	"reconcile"

/* run.c: the run itself; summary.c: metrics as JSON; export.c. */
enum rc_mode {
	RC_MODE_INCREMENTAL = 0,
	RC_MODE_WINDOW,
	RC_MODE_FULL,
	RC_MODE__MAX
};
enum rc_fmt {
	RC_FMT_NONE = 0,
	RC_FMT_CSV,
	RC_FMT_JSON
};
struct rc_opts {
	enum rc_mode	 mode;
	const char	*since;		/* "YYYY-MM-DD[ HH:MM:SS]" or NULL */
	const char	*until;		/* exclusive; or NULL */
	int		 dry_run;
	enum rc_fmt	 export;
	FILE		*out;		/* export destination */
	int		 progress;	/* stderr is a terminal */
	int		 quiet;		/* no summary line */
	int		 lease_secs;
	long long	 chunk;		/* signups per transaction */
	int		 keep_days;	/* retention_days: older days are history */
	int		 timings;	/* --timings: each step's time on stderr */
	int		 cohorts;	/* --cohorts: the cohort pass, due or not */
};
struct rc_export;
struct rc_export *rc_export_open(enum rc_fmt, FILE *);
int		 rc_export_row(struct rc_export *, const struct rc_attr *,
		    int);
int		 rc_export_close(struct rc_export *);
int		 rc_run(struct hs_db *, const struct hs_conf *,
		    const struct rc_opts *);
int		 rc_summary(struct hs_db *, const char *, const char *, FILE *);
int		 rc_map_text(struct hs_db *, const char *, const char *,
		    const char *, const char *, const char *);
extern const char *const rc_modes[RC_MODE__MAX];
extern volatile sig_atomic_t rc_stop;

/* cohorts.c */
int		 rc_cohorts(struct hs_db *, const char *, int,
		    const struct hs_conf *, const char *, int);

#endif /* !RECONCILE_H */
