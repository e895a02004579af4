/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * survey.h: hearsay-survey's internal interface.  One statement table
 * (main.c) serves every file; the per-worker state, struct survey_ctx,
 * holds the database handle, the journal, the templates and the small
 * caches (survey definitions, the day's salt) that let a form
 * be shown and an answer be journalled while MariaDB is down.
 */
#ifndef SURVEY_H
#define SURVEY_H

#define SURVEY_MAX_OPTIONS	36	/* one base-36 digit each in a token */
#define SURVEY_MAX_CACHED	16	/* survey definitions per worker */
#define SURVEY_CACHE_SECS	10	/* a definition is reused this long */
#define SURVEY_MAX_SLUG		64
#define SURVEY_MAX_REF		128	/* bytes in a signup reference */
#define SURVEY_MAX_FOLLOWUP	500	/* characters: responses.followup_text */
#define SURVEY_MAX_OTHER	500	/* characters: responses.other_text */
#define SURVEY_MAX_REFERRER	200	/* characters: responses.referrer_text */
#define SURVEY_MAX_CODE		64	/* characters: responses.code_text */
#define SURVEY_NONCE		32	/* hex chars: responses.submission_id */
#define SURVEY_CLICKID		32	/* hex chars in a click id */
#define SURVEY_JOURNAL		"survey" /* journal file prefix */
#define SURVEY_LOADER_SECS	1	/* the loader's pause between scans */
#define SURVEY_LOADER_BATCH	100	/* journal records per transaction */
#define SURVEY_RETRY_AFTER	"30"	/* seconds, with a 503 */
#define SURVEY_BATCH_MAX	16	/* answers stored by one INSERT */
/*
 * Activity items stored by one INSERT (STMT_ACTS).  A request that
 * finds the batch full is stored alone, in its own transaction of a
 * few statements per item; at 16, a tenth of the requests of 32
 * connections did so (measured: a general log sample), and the API's
 * CPU per request fell by a tenth to a third at 64, where none did.
 * The one statement takes any number, so the batch holds a whole
 * request of the API's most items (activity.c's ACT_MAX_ITEMS) too.
 */
#define SURVEY_ACT_BATCH	256

enum stmt {
	STMT_SURVEY_GET,
	STMT_OPTIONS_GET,
	STMT_SUGGEST,
	STMT_SALT_PUT,
	STMT_SALT_GET,
	STMT_RESPONSE_PUT,
	STMT_SIGNUP_PUT,
	STMT_SIGNUP_CLICK_PUT,
	STMT_SIGNUP_REPORT,
	STMT_SIGNUP_OWNER,
	STMT_APIKEY_GET,
	STMT_RESPONSE_SAME,
	STMT_LOAD_CHECK,
	STMT_ANSWER_GET,
	STMT_ANSWER_LOCK,
	STMT_HISTORY_HAS,
	STMT_HISTORY_PUT,
	STMT_RESPONSE_DEL,
	STMT_DIRTY_FROM,
	STMT_DIRTY_TO,
	STMT_ACT_SIGNUP,
	STMT_ACT_PUT,
	STMT_ACT_KEY,
	STMT_ACTS,
	STMT__MAX
};
/*
 * The INSERT of n answers at once (1 <= n <= SURVEY_BATCH_MAX): the
 * one-row STMT_RESPONSE_PUT, else the statements main.c makes from it
 * and appends to the table.
 */
#define STMT_RESPONSES(n)	((n) == 1 ? STMT_RESPONSE_PUT : \
				    STMT__MAX + (n) - 2)
#define STMT__ALL		(STMT__MAX + SURVEY_BATCH_MAX - 1)

enum followup {
	FOLLOWUP_NONE = 0,
	FOLLOWUP_TEXT,		/* free text, e.g. "Which community?" */
	FOLLOWUP_REFERRER,	/* "Who told you?", names looked up */
	FOLLOWUP_OTHER,		/* free text for "Other" */
	FOLLOWUP__MAX
};
extern const char *const followups[FOLLOWUP__MAX];

enum shuffle {
	SHUFFLE_NONE = 0,
	SHUFFLE_ALL,
	SHUFFLE_UNPINNED,	/* all but the pinned, which stay last */
	SHUFFLE__MAX
};

struct sopt {
	char		 key[65];	/* stable key, stored in answers */
	char		 label[201];
	char		 channel[33];
	int		 pinned;	/* kept last ("Other", "Don't know") */
	int		 decoy;		/* a channel that never ran */
	enum followup	 fu;
	char		 fulabel[201];	/* the follow-up's question */
};

struct survey {
	long long	 id;
	char		 slug[SURVEY_MAX_SLUG + 1];
	char		 question[501];
	char		 help[1001];	/* "" when none */
	int		 multi;
	enum shuffle	 shuffle;
	int		 ask_code;
	int		 allow_unsigned;
	char		 return_url[2001]; /* "" for the thank-you page */
	char		 new_link[2001]; /* where to get a new link, or "" */
	char		 consent_text[501]; /* "": no consent asked */
	long long	 version;
	char		 lang[HS_LANG_MAX + 1]; /* of its texts and the page */
	struct sopt	 opts[SURVEY_MAX_OPTIONS]; /* by position, not retired */
	size_t		 nopts;
	time_t		 loaded;	/* when read from MariaDB */
};

/* One answer, ready to store or journal (all strings NUL-terminated). */
struct answer {
	char		 submission[SURVEY_NONCE + 1];
	long long	 survey_id;
	char		*signup_ref;	/* NULL when unsigned */
	int		 verified;
	char		 answered_at[32]; /* "YYYY-MM-DD HH:MM:SS.mmm" UTC */
	char		 options[1100];	/* chosen keys, space separated */
	char		 shown[2400];	/* keys in the order shown */
	char		*followup;	/* NULL when none */
	char		*other;
	char		*referrer;
	char		*code;
	char		 click[SURVEY_CLICKID + 1]; /* "" when none */
	int		 consent;
	char		 client[65];	/* "" under Sec-GPC/DNT */
	int		 velocity;
	const char	*source;	/* "form" or "api" */
};

/*
 * A signup's current answer to a survey, as its reopened link shows it,
 * and until when it may be changed (answer_change_hours after the
 * first answer).
 */
struct prior {
	int		 have;		/* 0: not answered yet */
	long long	 id;		/* responses.id */
	char		 submission[SURVEY_NONCE + 1];
	char		 options[1100];
	char		 followup[2001];
	char		 other[2001];
	char		 referrer[801];
	char		 code[257];
	char		 until[32];	/* "YYYY-MM-DD HH:MM:SS.ffffff" UTC */
	char		 day[16];	/* its UTC day, "YYYY-MM-DD" */
	int		 changeable;	/* at the time asked about */
};

/* What storing an answer did. */
enum stored {
	STORED_NEW,		/* a new row */
	STORED_DUP,		/* a double submit or retry: nothing new */
	STORED_CHANGED,		/* replaced the signup's answer (history) */
	STORED_LOCKED		/* not stored: past answer_change_hours */
};

struct hs_tmpl;

enum page_tmpl {
	TMPL_FORM,
	TMPL_THANKS,
	TMPL_ANSWERED,
	TMPL_LINK,
	TMPL__MAX
};

struct survey_ctx {
	struct hs_conf	 conf;
	struct hs_db	*db;		/* per worker */
	struct hs_journal *jnl;		/* opened on first need */
	struct hs_journal *ajnl;	/* activity's, likewise */
	struct velocity	*vel;		/* shared by the workers */
	struct hs_tmpl	*tmpl[TMPL__MAX];
	struct survey	*cache[SURVEY_MAX_CACHED];
	char		 salt_day[16];	/* UTC day of salt, "" if none */
	unsigned char	 salt[32];
	struct answer	 batch[SURVEY_BATCH_MAX]; /* deferred, unsettled */
	size_t		 nbatch;
};

/* def.c */
enum hs_err	 survey_get(struct survey_ctx *, const char *,
		    const struct survey **) HS_WUR;
const struct sopt *survey_opt(const struct survey *, const char *);
void		 survey_client(struct survey_ctx *, const struct hs_req *,
		    char [65]);
int		 survey_slug_ok(const char *, size_t);
int		 survey_hex_ok(const char *, size_t);
void		 survey_now(char [32]);
void		 survey_cache_free(struct survey_ctx *);

/* store.c */
enum hs_err	 answer_store(struct survey_ctx *, const struct answer *,
		    enum stored *) HS_WUR;
enum hs_err	 answer_current(struct survey_ctx *, long long, const char *,
		    const char *, struct prior *) HS_WUR;
int		 answer_defer(struct hs_req *, struct survey_ctx *,
		    struct answer *);
int		 answer_settle(void *);
int		 answer_velocity(struct survey_ctx *, const char *);
void		 answer_free(struct answer *);
void		 loader_run(struct survey_ctx *);

/* velocity.c */
struct velocity;
struct velocity	*velocity_new(void);
void		 velocity_free(struct velocity *);
unsigned int	 velocity_hit(struct velocity *, const char *, time_t);

/* form.c; the templates' table in form_page.c (form.h: the form's files) */
extern const struct hs_tmpldef survey_tmpls[TMPL__MAX];
void		 form_handle(struct hs_req *, struct survey_ctx *,
		    const char *, int);

/* suggest.c */
void		 suggest_handle(struct hs_req *, struct survey_ctx *,
		    const char *);

/* api.c: the handlers of main.c's API routes, and their errors. */
enum hs_err	 api_error(struct hs_req *, int, const char *);
void		 api_report(struct hs_req *, void *);
void		 api_definition(struct hs_req *, void *);
void		 api_answers(struct hs_req *, void *);

/* activity.c */
struct json_t;
void		 activity_post(struct hs_req *, struct survey_ctx *, long long,
		    struct json_t *, int *, struct json_t **, int *);
int		 activity_settle(struct survey_ctx *, int);
void		 activity_load(struct survey_ctx *);

#endif /* !SURVEY_H */
