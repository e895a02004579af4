/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * gen.c: hearsay-gen, a generator of realistic synthetic data with a
 * known truth, for the tests and the benchmark of hearsay-reconcile (not
 * installed).  It writes straight into MariaDB: a fixed world (two
 * campaigns, advocates with accented names, nicknames and handles,
 * events, links; the same for every seed, inserted once) and, for a
 * seed, N signups with the clicks they carried, background clicks
 * (humans, bots, link-preview prefetches, venue Wi-Fi shared by many),
 * survey answers against the "welcome" survey's option keys (created if
 * absent) with referrer names typed every way people type them, "Other"
 * texts and wrong memories.  Next to them, gen_truth says what really
 * happened per signup, computed with the definitions of
 * hearsay-reconcile(8) from what each person meant rather than typed,
 * and for a typed referrer name its shape (referrer_shape: "name",
 * "initial", "in_text", "multipart", "accent", "script"...) and whether
 * it names one advocate only (referrer_matchable), the ground the
 * accuracy check measures recall on.
 *
 * Rows are recorded (clicks.recorded_at, signups.created_at,
 * responses.recorded_at) by the server's clock, as rows arriving tonight;
 * --backdate records each when it happened, as history loaded before the
 * last nightly pass, which then owes nothing for it; --backdate-before
 * DAY only the rows that happened before DAY, as a night whose older
 * rows (the clicks its signups carried, from days before) were recorded
 * by the redirector when they happened, in earlier nights.
 *
 * Deterministic: the same seed on the same database gives the same
 * rows (ids are assigned from MAX(id) + 1, times from --start, random
 * numbers from a splitmix64 stream of the seed).  A seed already
 * generated is refused.  Fast: multi-row prepared INSERTs of GEN_BATCH
 * rows, GEN_TXN rows per transaction, foreign key checks off for the
 * session (every reference is made here and is known to exist), and two
 * processes on two connections, so that the server inserts on two
 * cores: both draw the same random stream and make every row, each
 * sends its share (a child most clicks, the parent the rest), so the
 * rows do not depend on the split.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <err.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hearsay.h"

int	gen_activity(struct hs_db *, long long, double); /* gen_activity.c */

#define GEN_BATCH	500	/* rows per multi-row INSERT */
#define GEN_TXN		20000	/* rows per transaction, about */
#define GEN_ROWMAX	1200	/* bytes of strings in one row, at most */
#define GEN_NADV	200	/* advocates in the world, and specials[] */
#define GEN_NEV		20	/* events in the world */
#define GEN_MAXSIGNUPS	50000000LL
#define GEN_MAXCARRY	8	/* clicks carried by one signup */
#define GEN_WINDOW_MS	(30LL * 86400000)	/* reconcile's default */
#define DAY_MS		86400000LL

/* ------------------------------------------------------------ random */

struct rng {
	uint64_t	 s;
};

/* splitmix64: the next 64 random bits. */
static uint64_t
rnext(struct rng *r)
{
	uint64_t	 z;

	z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A uniform double in [0, 1). */
static double
runi(struct rng *r)
{

	return (double)(rnext(r) >> 11) / 9007199254740992.0;
}

/* A uniform integer in [0, n). */
static long long
rint_(struct rng *r, long long n)
{

	return n <= 0 ? 0 : (long long)(rnext(r) % (uint64_t)n);
}

/* n hex digits (n even, <= 64) of a hash of (a, b, c), in out[n + 1]. */
static void
hexid(char *out, int n, uint64_t a, uint64_t b, uint64_t c)
{
	struct rng	 h;
	uint64_t	 v = 0;
	int		 i;

	h.s = a * 0x100000001b3ULL ^ b * 0xc6a4a7935bd1e995ULL ^ c;
	for (i = 0; i < n; i++) {
		if (i % 16 == 0)
			v = rnext(&h);
		out[i] = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	}
	out[n] = '\0';
}

/* ------------------------------------------------------------ world */

static const char *const firsts[] = {
	"José", "María", "Zoë", "Renée", "Søren", "Jürgen", "François",
	"Anna", "Chloé", "Björn", "Robert", "William", "Katherine", "Mohammed",
	"Aoife", "Siobhán", "Ana", "Joan", "Élodie", "Nikolaj", "Ingrid",
	"Thomas", "Elizabeth", "Jonathan", "Margarita", "Dmitri", "Yusuf",
	"Agnieszka", "Lucía", "Andreas", "Fatima", "Håkon", "Miguel",
	"Nuño", "Céline", "Emma", "Daniel", "Sofía", "Paweł", "Olivia",
};
#define NFIRST	(sizeof(firsts) / sizeof(firsts[0]))

/* Nicknames, by index in firsts[] ("" when none). */
static const char *const nicks[NFIRST] = {
	"Pepe", "Mari", "", "", "", "Jo", "Franck", "Ania", "", "",
	"Bob", "Bill", "Kate", "Mo", "", "", "", "", "", "Niko", "",
	"Tom", "Liz", "Jon", "Rita", "Dima", "", "Aga", "Lu", "Andi",
	"", "", "Mike", "", "", "", "Dan", "Sofi", "", "Liv",
};

static const char *const lasts[] = {
	"Álvarez", "Müller", "O'Brien", "García", "Øster", "Nguyễn",
	"Kowalska", "Schmidt", "Dubois", "Jensen", "Smith", "Johnson",
	"Fernández", "Rossi", "Novák", "Ødegård", "Lefèvre", "Papadopoulos",
	"Murphy", "Andersson", "Weiß", "Brontë", "Ivanova", "Yılmaz",
	"Martínez", "Costa", "Kim", "Silva", "Nowak", "Hernández", "Larsen",
	"Walsh", "Moreau", "Bianchi", "Horvath", "Lindqvist", "Duarte",
	"Becker", "Quinn", "Sørensen", "Tanaka", "Okafor", "Dvořák",
	"Gómez", "Fischer", "Kelly", "Petrov", "Santos", "Núñez", "Wagner",
};
#define NLAST	(sizeof(lasts) / sizeof(lasts[0]))

static const char *const cities[] = {
	"Lisbon", "Berlin", "Dublin", "Kraków", "Malmö", "Zürich", "Lyon",
	"Porto", "Gdańsk", "Bilbao",
};
static const char *const topics[] = {
	"Product", "Growth", "Rust", "Design", "Data",
};

/*
 * Advocates whose names people get wrong in the ways of issue 15: a name
 * inside a sentence, an initial that is also a filler word ("Joaquín
 * A."), multi-part given and family names, two advocates told apart by
 * an accent only, and names in Greek, Cyrillic and CJK.  Each has the
 * ways a referrer types it, with its shape and whether a careful reader
 * who knows every advocate could tell who was meant ("Marco D." could
 * be Marco D'Angelo or Marco Duarte: not matchable, and matching it is
 * a wrong match half of the time).  None of their given names is one of
 * firsts[] but José, whose initials "José L." and "José G." the
 * regular advocates' initial shape counts (see initial_unique).  Their
 * handles are whole names, unlike any regular advocate's.
 */
#define SPECIAL_FORMS	5
static const struct {
	const char	*name, *handle, *alias;
	struct {
		const char	*typed;
		const char	*shape;
		int		 matchable;
	} forms[SPECIAL_FORMS];
} specials[] = {
	{ "Inês Carvalho", "inescarvalho", NULL, {
	    { "my colleague Inês Carvalho told me about it", "in_text", 1 },
	    { "heard it from Ines Carvalho's talk", "in_text", 1 },
	    { "Inês Carvalho (the meetup organiser)", "in_text", 1 },
	    { "Inês Carvalho", "name", 1 } } },
	{ "Tiago Lima", "tiagolima", NULL, {
	    { "my colleague Tiago Lima told me about it", "in_text", 1 },
	    { "heard it from Tiago Lima's talk", "in_text", 1 },
	    { "Tiago Lima (the meetup organiser)", "in_text", 1 },
	    { "saw a post by @tiagolima on mastodon", "in_text", 1 } } },
	{ "Joaquín Alvarado", "joaquinalvarado", NULL, {
	    { "Joaquín A.", "initial", 1 },
	    { "Joaquin A", "initial", 1 },
	    { "my friend Joaquín A. from work", "initial", 1 },
	    { "Joaquín", "first", 0 } } },
	{ "Joaquín Ibarra", "joaquinibarra", NULL, {
	    { "Joaquín I.", "initial", 1 },
	    { "Joaquin I", "initial", 1 },
	    { "Joaquín", "first", 0 } } },
	{ "Marie-Claire Dubois", "marieclairedubois", NULL, {
	    { "Marie-Claire D.", "multipart", 1 },
	    { "Marie-Claire Dubois", "multipart", 1 },
	    { "Marie Claire Dubois", "multipart", 1 },
	    { "Marie-Claire", "multipart", 1 } } },
	{ "José Luis García", "joseluisgarcia", NULL, {
	    { "José Luis G.", "multipart", 1 },
	    { "José Luis García", "multipart", 1 },
	    { "Jose Luis Garcia", "multipart", 1 },
	    { "García, José Luis", "multipart", 1 } } },
	{ "Seán Mac Giolla Phádraig", "seanmacgiollaphadraig", NULL, {
	    { "Seán Mac Giolla Phádraig", "multipart", 1 },
	    { "Sean Mac Giolla Phadraig", "multipart", 1 },
	    { "Seán M.", "multipart", 0 } } },
	{ "Seán Murphy", "seanmurphy", NULL, {
	    { "Seán Murphy", "name", 1 },
	    { "Seán M.", "multipart", 0 } } },
	{ "Marco D'Angelo", "marcodangelo", NULL, {
	    { "Marco D'Angelo", "multipart", 1 },
	    { "Marco D Angelo", "multipart", 1 },
	    { "Marco Angelo", "multipart", 1 },
	    { "Marco D.", "multipart", 0 } } },
	{ "Marco Duarte", "marcoduarte", NULL, {
	    { "Marco Duarte", "name", 1 },
	    { "Marco D.", "multipart", 0 } } },
	{ "Omar El-Amin", "omarelamin", NULL, {
	    { "Omar El-Amin", "multipart", 1 },
	    { "Omar E.", "multipart", 1 },
	    { "Omar El Amin", "multipart", 1 },
	    { "Omar Amin", "multipart", 1 } } },
	{ "Anneke van der Berg", "annekevanderberg", NULL, {
	    { "Anneke van der Berg", "multipart", 1 },
	    { "Anneke B.", "multipart", 1 },
	    { "Anneke Berg", "multipart", 1 },
	    { "Anneke V.", "multipart", 0 } } },
	{ "Anneke Visser", "annekevisser", NULL, {
	    { "Anneke Visser", "name", 1 },
	    { "Anneke V.", "multipart", 0 } } },
	{ "Nguyễn Thị Minh", "nguyenthiminh", NULL, {
	    { "Nguyễn Thị Minh", "multipart", 1 },
	    { "Minh Nguyễn", "multipart", 1 },
	    { "Minh N.", "multipart", 1 },
	    { "Nguyen Thi Minh", "multipart", 1 } } },
	{ "Zoé Martin", "zoemartin1", NULL, {
	    { "Zoé Martin", "accent", 1 },
	    { "ZOÉ MARTIN", "accent", 1 },
	    { "Zoé M.", "accent", 1 },
	    { "my friend Zoé Martin told me", "accent", 1 },
	    { "Zoe Martin", "accent", 0 } } },
	{ "Zoe Martin", "zoemartin2", NULL, {
	    { "Zoe Martin", "accent", 0 } } },
	{ "Lúcia Reis", "luciareis1", NULL, {
	    { "Lúcia Reis", "accent", 1 },
	    { "Lúcia R.", "accent", 1 },
	    { "heard it from Lúcia Reis's talk", "accent", 1 },
	    { "Lucia Reis", "accent", 0 } } },
	{ "Lucia Reis", "luciareis2", NULL, {
	    { "Lucia Reis", "accent", 0 },
	    { "Lucia R.", "accent", 0 } } },
	{ "Γιώργος Παπαδόπουλος", "giorgospapadopoulos", "Γιώργης", {
	    { "Γιώργος Παπαδόπουλος", "script", 1 },
	    { "Γιώργος Π.", "script", 1 },
	    { "ο φίλος μου Γιώργος Παπαδόπουλος μου είπε", "in_text", 1 },
	    { "Γιώργης", "script", 1 } } },
	{ "Дмитрий Иванов", "dmitriyivanov", "Дима", {
	    { "Дмитрий Иванов", "script", 1 },
	    { "Дмитрий И.", "script", 1 },
	    { "Иванов Дмитрий", "script", 1 },
	    { "мой друг Дмитрий Иванов рассказал", "in_text", 1 } } },
	{ "王小明", "wangxiaoming", NULL, {
	    { "王小明", "script", 1 },
	    { "我的朋友王小明推荐的", "in_text", 1 } } },
	{ "佐藤花子", "satohanako", NULL, {
	    { "佐藤花子", "script", 1 },
	    { "佐藤 花子", "script", 1 },
	    { "同事の佐藤花子さん", "in_text", 1 } } },
};
#define NSPECIAL	(sizeof(specials) / sizeof(specials[0]))
#define GEN_NALL	(GEN_NADV + NSPECIAL)

/* Sentences around a regular advocate's name (the in_text shape). */
static const struct {
	const char	*before, *after;
} around[] = {
	{ "my colleague ", " told me about it" },
	{ "heard it from ", "'s talk" },
	{ "", " (the meetup organiser)" },
	{ "it was ", ", great person" },
};
#define NAROUND	(sizeof(around) / sizeof(around[0]))

/* Marketing channels with links of their own (and survey options). */
static const char *const mchannels[] = {
	"community", "social", "podcast", "newsletter", "ad",
};
#define NMCH	(sizeof(mchannels) / sizeof(mchannels[0]))

/* The welcome survey's options (sql/demo/survey.json). */
static const struct {
	const char	*key, *label, *channel, *followup;
	int		 pinned;
} opts[] = {
	{ "friend", "A friend or colleague told me", "friend", "referrer", 0 },
	{ "community", "An online community or forum", "community", "text", 0 },
	{ "event", "An event or meetup", "event", "text", 0 },
	{ "podcast", "A podcast", "podcast", "text", 0 },
	{ "search", "A search engine", "search", "none", 0 },
	{ "social", "Social media", "social", "text", 0 },
	{ "newsletter", "A newsletter or blog", "newsletter", "none", 0 },
	{ "ad", "An advertisement", "ad", "none", 0 },
	{ "radio", "A radio advert", "ad", "none", 0 },
	{ "other", "Something else", "other", "other", 1 },
	{ "dont-remember", "I don't remember", "unknown", "none", 1 },
};
#define NOPTS	(sizeof(opts) / sizeof(opts[0]))

struct adv {
	long long	 id, link;
	long long	 linkno;	/* its link's number, from 0 */
	int		 first, last;	/* -1, -1: specials[special] */
	int		 special;
	char		 handle[64];
	char		 name[128];
	char		 email[65];
};
struct ev {
	long long	 id, link, host;	/* host: index in advs[] */
	char		 name[128];
	char		 venue[65];	/* the venue Wi-Fi's client hash */
	long long	 day_ms;	/* offset of the event day */
};
struct world {
	long long	 camp_adv, camp_mkt, survey;
	struct adv	 advs[GEN_NALL];
	struct ev	 evs[GEN_NEV];
	long long	 mlink[NMCH];
	long long	 nlinks, links[GEN_NALL + GEN_NEV + NMCH];
};

/* ------------------------------------------------------------ statements */

enum tbl {
	T_CLICKS, T_SIGNUPS, T_SC, T_RESP, T_TRUTH, T__MAX
};
/*
 * The last column of a table with stamp set is when the row was
 * recorded: the time it happened with --backdate (or before the day of
 * --backdate-before), else NULL for the server's clock.
 */
#define GEN_MAXCOLS	14
static const struct {
	const char	*head;
	int		 ncols;
	int		 stamp;
} tbls[T__MAX] = {
	{ "INSERT INTO clicks (click_id, clicked_at, link_id, trigger_kind, "
	  "client_hash, ua_class, is_bot, bot_reason, recorded_at) VALUES ",
	  9, 1 },
	{ "INSERT INTO signups (id, signup_ref, signed_up_at, campaign_id, "
	  "email_hash, client_hash, created_at) VALUES ", 7, 1 },
	{ "INSERT INTO signup_clicks (signup_id, click_id) VALUES ", 2, 0 },
	{ "INSERT INTO responses (id, submission_id, survey_id, signup_ref, "
	  "verified, answered_at, options, shown_order, followup_text, "
	  "other_text, referrer_text, code_text, client_hash, recorded_at) "
	  "VALUES ", 14, 1 },
	{ "INSERT INTO gen_truth (signup_ref, true_class, true_channel, "
	  "true_advocate_id, true_event_id, true_reported_advocate_id, "
	  "referrer_typed, referrer_shape, referrer_matchable) VALUES ",
	  9, 0 },
};

enum stmt {
	G_CAMP_INS, G_CAMP_ID, G_ADV_INS, G_ADV_ID, G_EV_INS, G_EV_ID,
	G_LINK_INS, G_LINK_ID, G_SURVEY_INS, G_SURVEY_ID, G_OPT_INS,
	G_SEEN, G_MAX_SIGNUP, G_MAX_RESPONSE,
	G_BATCH0,			/* T__MAX batch statements */
	G_ONE0 = G_BATCH0 + T__MAX,	/* T__MAX single-row ones */
	G__MAX = G_ONE0 + T__MAX
};
static const char *stmts[G__MAX] = {
	"INSERT IGNORE INTO campaigns (slug, name, allowed_hosts, "
	"default_dest) VALUES (?, ?, 'example.org', 'https://example.org/')",
	"SELECT id FROM campaigns WHERE slug = ?",
	"INSERT IGNORE INTO advocates (handle, display_name, aliases, "
	"email_hash) VALUES (?, ?, ?, ?)",
	"SELECT id FROM advocates WHERE handle = ?",
	"INSERT IGNORE INTO events (slug, name, host_advocate_id, campaign_id, "
	"venue, starts_at) VALUES (?, ?, ?, ?, ?, FROM_UNIXTIME(? / 1000))",
	"SELECT id FROM events WHERE slug = ?",
	"INSERT IGNORE INTO links (code, campaign_id, advocate_id, event_id, "
	"channel, destination) VALUES (?, ?, ?, ?, ?, 'https://example.org/')",
	"SELECT id FROM links WHERE code = ?",
	"INSERT IGNORE INTO surveys (slug, question) VALUES ('welcome', "
	"'How did you hear about us?')",
	"SELECT id FROM surveys WHERE slug = 'welcome'",
	"INSERT IGNORE INTO survey_options (survey_id, opt_key, label, "
	"channel, position, pinned, followup) VALUES (?, ?, ?, ?, ?, ?, ?)",
	"SELECT COUNT(*) FROM signups WHERE signup_ref = ?",
	"SELECT COALESCE(MAX(id), 0) FROM signups",
	"SELECT COALESCE(MAX(id), 0) FROM responses",
};

#define TRUTH_DDL \
	"CREATE TABLE IF NOT EXISTS gen_truth (" \
	"signup_ref VARCHAR(128) NOT NULL PRIMARY KEY, " \
	"true_class ENUM('agree','disagree','tracked_only','reported_only'," \
	"'unattributed') NOT NULL, " \
	"true_channel VARCHAR(32) NOT NULL, " \
	"true_advocate_id BIGINT UNSIGNED NOT NULL DEFAULT 0, " \
	"true_event_id BIGINT UNSIGNED NOT NULL DEFAULT 0, " \
	"true_reported_advocate_id BIGINT UNSIGNED NOT NULL DEFAULT 0, " \
	"referrer_typed TINYINT(1) NOT NULL DEFAULT 0, " \
	"referrer_shape VARCHAR(16) NOT NULL DEFAULT '', " \
	"referrer_matchable TINYINT(1) NOT NULL DEFAULT 0" \
	") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 " \
	"COLLATE=utf8mb4_unicode_520_ci"

/*
 * Build "head (?,..),(?,..)" for nrows rows, the last ? of a row a
 * record time when stamp is set; NULL when out of memory.
 */
static char *
build(const char *head, int ncols, int stamp, int nrows)
{
	struct hs_buf	 b;
	int		 i, j;

	hs_buf_init(&b, 1 << 20);
	if (hs_buf_puts(&b, head) != HS_OK)
		goto fail;
	for (i = 0; i < nrows; i++) {
		if (hs_buf_puts(&b, i ? ",(" : "(") != HS_OK)
			goto fail;
		for (j = 0; j < ncols; j++)
			if (hs_buf_puts(&b, j == 0 ? "?" : stamp &&
			    j == ncols - 1 ? ",COALESCE(?, NOW(3))" : ",?") !=
			    HS_OK)
				goto fail;
		if (hs_buf_putc(&b, ')') != HS_OK)
			goto fail;
	}
	return b.ptr;
fail:
	hs_buf_free(&b);
	return NULL;
}

/* Rows waiting for a multi-row INSERT, with their strings. */
struct batch {
	int		 t, nrows;
	struct hs_dbparam p[GEN_BATCH * GEN_MAXCOLS];
	char		 arena[GEN_BATCH * GEN_ROWMAX];
	size_t		 used;
};

/* Which process sends a row (see the top of the file). */
#define SEND_PARENT	0	/* every table but the child's clicks */
#define SEND_CHILD	1	/* two clicks in three */
#define SEND_ALL	2	/* one process sends everything */

struct gen {
	struct hs_db	*db;
	struct world	 w;
	struct rng	 r;
	struct batch	*b[T__MAX];
	struct batch	*skip;		/* rows another process sends */
	int		 send;		/* SEND_* */
	long long	 backdate;	/* rows before (ms): recorded then */
	long long	 rows, txrows;
	long long	 counts[T__MAX];
};

/* Send the rows of one table.  0 or -1. */
static int
flush(struct gen *g, int t)
{
	struct batch	*b = g->b[t];
	int		 i, nc = tbls[t].ncols;

	if (b->nrows == GEN_BATCH) {
		if (hs_db_exec(g->db, G_BATCH0 + t, b->p, (size_t)(nc *
		    GEN_BATCH), NULL) != HS_OK)
			return -1;
	} else
		for (i = 0; i < b->nrows; i++)
			if (hs_db_exec(g->db, G_ONE0 + t, b->p + i * nc,
			    (size_t)nc, NULL) != HS_OK)
				return -1;
	b->nrows = 0;
	b->used = 0;
	return 0;
}

/* Commit every GEN_TXN rows.  0 or -1. */
static int
txn(struct gen *g, int force)
{
	int	 t;

	if (!force && g->txrows < GEN_TXN)
		return 0;
	for (t = 0; t < T__MAX; t++)
		if (g->b[t]->nrows > 0 && flush(g, t) != 0)
			return -1;
	if (hs_db_sql(g->db, "COMMIT") != HS_OK ||
	    hs_db_sql(g->db, "START TRANSACTION") != HS_OK)
		return -1;
	g->txrows = 0;
	return 0;
}

/*
 * Whether this process sends row number n (counted per table) of table
 * t: clicks are split two to one between child and parent, the other
 * tables (about as much work as half the clicks) are the parent's.
 */
static int
mine(const struct gen *g, int t, long long n)
{

	if (g->send == SEND_ALL)
		return 1;
	if (t != T_CLICKS)
		return g->send == SEND_PARENT;
	return (n % 3 != 0) == (g->send == SEND_CHILD);
}

/* Column values of the row being added (a scratch row if not ours). */
static struct batch *
row(struct gen *g, int t)
{
	struct batch	*b = g->b[t];

	if (!mine(g, t, g->counts[t])) {
		g->skip->t = t;
		g->skip->nrows = 0;
		g->skip->used = 0;
		return g->skip;
	}
	if (b->nrows == GEN_BATCH && flush(g, t) != 0)
		return NULL;
	return b;
}

static void
pint(struct batch *b, int col, long long v)
{
	struct hs_dbparam	*p;

	p = &b->p[b->nrows * tbls[b->t].ncols + col];
	p->type = HS_DB_INT;
	p->i = v;
	p->s = NULL;
	p->sz = 0;
}

/* A string value copied into the batch; NULL for s NULL or "" if nul. */
static void
pstr(struct batch *b, int col, const char *s, int nul)
{
	struct hs_dbparam	*p;
	size_t			 n;

	p = &b->p[b->nrows * tbls[b->t].ncols + col];
	if (s == NULL || (nul && *s == '\0')) {
		p->type = HS_DB_NULL;
		p->s = NULL;
		p->sz = 0;
		return;
	}
	n = strlen(s);
	if (n > GEN_ROWMAX / 4)
		n = GEN_ROWMAX / 4;
	memcpy(b->arena + b->used, s, n);
	p->type = HS_DB_TEXT;
	p->s = b->arena + b->used;
	p->sz = n;
	b->used += n;
}

static void
done(struct gen *g, struct batch *b)
{

	b->nrows++;
	g->counts[b->t]++;
	g->rows++;
	g->txrows++;
}

/* ms since the epoch to "YYYY-MM-DD HH:MM:SS.mmm" UTC, in d[24]. */
static void
fmt_time(long long ms, char *d)
{
	struct tm	 tm;
	time_t		 t = (time_t)(ms / 1000);
	char		 s[20];

	(void)gmtime_r(&t, &tm);
	(void)strftime(s, sizeof(s), "%Y-%m-%d %H:%M:%S", &tm);
	memcpy(d, s, 19);
	(void)snprintf(d + 19, 5, ".%03d", (int)(ms % 1000 + 1000) % 1000);
}

/* ------------------------------------------------------------ the world */

/* One id from a single-column SELECT with one text parameter, or -1. */
static long long
one_id(struct gen *g, size_t st, const char *key)
{
	struct hs_dbparam	 p[1] = { HS_DBP_TEXT(key) };
	struct hs_dbcol		 c[1];
	int			 have = 0;
	long long		 id = -1;

	memset(c, 0, sizeof(c));
	c[0].type = HS_DB_INT;
	if (hs_db_query(g->db, st, key != NULL ? p : NULL, key != NULL, c, 1)
	    != HS_OK)
		return -1;
	if (hs_db_fetch(g->db, st, &have) == HS_OK && have)
		id = c[0].i;
	hs_db_end(g->db, st);
	return id;
}

/* Lower-case ASCII letters of a name, accents dropped (crudely). */
static void
asciify(const char *s, char *out, size_t sz)
{
	size_t	 o = 0;
	unsigned char c;

	for (; *s != '\0' && o + 1 < sz; s++) {
		c = (unsigned char)*s;
		if (c >= 'A' && c <= 'Z')
			out[o++] = (char)(c - 'A' + 'a');
		else if (c >= 'a' && c <= 'z')
			out[o++] = (char)c;
		else if (c == 0xc3 && s[1] != '\0') {
			/* Latin-1 supplement: map the common vowels. */
			c = (unsigned char)*++s;
			if (c == 0x9f && o + 2 < sz) {
				/* ß: "Weiss", as people type it. */
				out[o++] = 's';
				out[o++] = 's';
				continue;
			}
			out[o++] = strchr("\x80\x81\x82\x83\x84\x85\xa0\xa1\xa2"
			    "\xa3\xa4\xa5", c) ? 'a' : strchr("\x88\x89\x8a\x8b"
			    "\xa8\xa9\xaa\xab", c) ? 'e' : strchr("\x8c\x8d\x8e"
			    "\x8f\xac\xad\xae\xaf", c) ? 'i' : strchr("\x92\x93"
			    "\x94\x95\x96\x98\xb2\xb3\xb4\xb5\xb6\xb8", c) ?
			    'o' : strchr("\x99\x9a\x9b\x9c\xb9\xba\xbb\xbc", c)
			    ? 'u' : c == 0xb1 || c == 0x91 ? 'n' : c == 0xa7 ||
			    c == 0x87 ? 'c' : 'x';
		} else if (c >= 0x80) {
			/*
			 * Other letters: the few of the names above as people
			 * type them without the mark (ı ł ř ễ), else 'x'.
			 */
			out[o++] = strncmp(s, "\xc4\xb1", 2) == 0 ? 'i' :
			    strncmp(s, "\xc5\x82", 2) == 0 ? 'l' :
			    strncmp(s, "\xc5\x99", 2) == 0 ? 'r' :
			    strncmp(s, "\xe1\xbb\x85", 3) == 0 ? 'e' : 'x';
			while ((s[1] & 0xc0) == 0x80)
				s++;
		}
	}
	out[o] = '\0';
}

/* Crockford base32 code of link number k, 8 characters, "GN..." */
static void
link_code(long long k, char *out)
{
	static const char	 a[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	int			 i;

	out[0] = 'G';
	out[1] = 'N';
	for (i = 7; i >= 2; i--) {
		out[i] = a[k & 31];
		k >>= 5;
	}
	out[8] = '\0';
}

/* Insert a link (or find it) and return its id, -1 on error. */
static long long
mklink(struct gen *g, long long camp, long long adv, long long ev,
    const char *channel)
{
	char			 code[9];
	struct hs_dbparam	 p[5];

	link_code(g->w.nlinks + 1, code);
	p[0] = (struct hs_dbparam)HS_DBP_TEXT(code);
	p[1] = (struct hs_dbparam)HS_DBP_INT(camp);
	p[2] = (struct hs_dbparam)HS_DBP_INT(adv);
	p[3] = (struct hs_dbparam)HS_DBP_INT(ev);
	p[4] = (struct hs_dbparam)HS_DBP_TEXT(channel);
	if (adv == 0)
		p[2] = (struct hs_dbparam)HS_DBP_NULL;
	if (ev == 0)
		p[3] = (struct hs_dbparam)HS_DBP_NULL;
	if (hs_db_exec(g->db, G_LINK_INS, p, 5, NULL) != HS_OK)
		return -1;
	return g->w.links[g->w.nlinks++] = one_id(g, G_LINK_ID, code);
}

/*
 * The world, the same for every seed: inserted once (INSERT IGNORE on
 * the unique keys), looked up afterwards.  0 or -1.
 */
static int
world(struct gen *g, long long start_ms)
{
	struct world		*w = &g->w;
	struct adv		*a;
	struct ev		*e;
	struct hs_dbparam	 p[7];
	char			 al[64], ln[64], key[64];
	size_t			 i, j;
	long long		 q;

	p[0] = (struct hs_dbparam)HS_DBP_TEXT("gen-ambassadors");
	p[1] = (struct hs_dbparam)HS_DBP_TEXT("Ambassadors (generated)");
	if (hs_db_exec(g->db, G_CAMP_INS, p, 2, NULL) != HS_OK ||
	    (w->camp_adv = one_id(g, G_CAMP_ID, "gen-ambassadors")) < 0)
		return -1;
	p[0] = (struct hs_dbparam)HS_DBP_TEXT("gen-marketing");
	p[1] = (struct hs_dbparam)HS_DBP_TEXT("Marketing (generated)");
	if (hs_db_exec(g->db, G_CAMP_INS, p, 2, NULL) != HS_OK ||
	    (w->camp_mkt = one_id(g, G_CAMP_ID, "gen-marketing")) < 0)
		return -1;

	for (i = 0; i < GEN_NADV; i++) {
		a = &w->advs[i];
		/* Distinct (first, last) pairs: 41 and 50 are coprime. */
		q = (long long)(i / NFIRST);
		a->first = (int)(i % NFIRST);
		a->last = (int)((q * (long long)(NFIRST + 1) + a->first) %
		    (long long)NLAST);
		(void)snprintf(a->name, sizeof(a->name), "%s %s",
		    firsts[a->first], lasts[a->last]);
		asciify(firsts[a->first], al, sizeof(al));
		asciify(lasts[a->last], ln, sizeof(ln));
		(void)snprintf(a->handle, sizeof(a->handle), "%c%.40s", al[0], ln);
		for (j = 0; j < i; j++)
			if (strcmp(w->advs[j].handle, a->handle) == 0) {
				(void)snprintf(a->handle, sizeof(a->handle),
				    "%c%.40s%zu", al[0], ln, i);
				break;
			}
		hexid(a->email, 64, 0xad, i, 0);
		p[0] = (struct hs_dbparam)HS_DBP_TEXT(a->handle);
		p[1] = (struct hs_dbparam)HS_DBP_TEXT(a->name);
		p[2] = (struct hs_dbparam)HS_DBP_TEXT(nicks[a->first]);
		if (nicks[a->first][0] == '\0')
			p[2] = (struct hs_dbparam)HS_DBP_NULL;
		p[3] = (struct hs_dbparam)HS_DBP_TEXT(a->email);
		if (hs_db_exec(g->db, G_ADV_INS, p, 4, NULL) != HS_OK ||
		    (a->id = one_id(g, G_ADV_ID, a->handle)) < 0)
			return -1;
		a->linkno = w->nlinks;
		if ((a->link = mklink(g, w->camp_adv, a->id, 0, "referral"))
		    < 0)
			return -1;
	}
	for (i = 0; i < GEN_NEV; i++) {
		e = &w->evs[i];
		e->host = (long long)((i * 7) % GEN_NADV);
		(void)snprintf(e->name, sizeof(e->name), "%s %s Meetup",
		    cities[i % 10], topics[(i / 2) % 5]);
		if (i >= 10)
			(void)snprintf(e->name, sizeof(e->name), "%s %s Night",
			    cities[i % 10], topics[(i + 3) % 5]);
		(void)snprintf(key, sizeof(key), "gen-ev-%zu", i);
		hexid(e->venue, 64, 0x7e, i, 0);
		e->day_ms = (long long)(i + 1) * DAY_MS + 18 * 3600000LL;
		p[0] = (struct hs_dbparam)HS_DBP_TEXT(key);
		p[1] = (struct hs_dbparam)HS_DBP_TEXT(e->name);
		p[2] = (struct hs_dbparam)HS_DBP_INT(w->advs[e->host].id);
		p[3] = (struct hs_dbparam)HS_DBP_INT(w->camp_adv);
		p[4] = (struct hs_dbparam)HS_DBP_TEXT(cities[i % 10]);
		p[5] = (struct hs_dbparam)HS_DBP_INT(start_ms + e->day_ms);
		if (hs_db_exec(g->db, G_EV_INS, p, 6, NULL) != HS_OK ||
		    (e->id = one_id(g, G_EV_ID, key)) < 0)
			return -1;
		if ((e->link = mklink(g, w->camp_adv, w->advs[e->host].id,
		    e->id, "event")) < 0)
			return -1;
	}
	for (i = 0; i < NMCH; i++)
		if ((w->mlink[i] = mklink(g, w->camp_mkt, 0, 0, mchannels[i]))
		    < 0)
			return -1;
	/* After every other link, so that those keep their codes. */
	for (i = 0; i < NSPECIAL; i++) {
		a = &w->advs[GEN_NADV + i];
		a->first = a->last = -1;
		a->special = (int)i;
		(void)snprintf(a->name, sizeof(a->name), "%s",
		    specials[i].name);
		(void)snprintf(a->handle, sizeof(a->handle), "%s",
		    specials[i].handle);
		hexid(a->email, 64, 0xad, GEN_NADV + i, 0);
		p[0] = (struct hs_dbparam)HS_DBP_TEXT(a->handle);
		p[1] = (struct hs_dbparam)HS_DBP_TEXT(a->name);
		p[2] = (struct hs_dbparam)HS_DBP_NULL;
		if (specials[i].alias != NULL)
			p[2] = (struct hs_dbparam)HS_DBP_TEXT(
			    specials[i].alias);
		p[3] = (struct hs_dbparam)HS_DBP_TEXT(a->email);
		if (hs_db_exec(g->db, G_ADV_INS, p, 4, NULL) != HS_OK ||
		    (a->id = one_id(g, G_ADV_ID, a->handle)) < 0)
			return -1;
		a->linkno = w->nlinks;
		if ((a->link = mklink(g, w->camp_adv, a->id, 0, "referral"))
		    < 0)
			return -1;
	}

	if (hs_db_exec(g->db, G_SURVEY_INS, NULL, 0, NULL) != HS_OK ||
	    (w->survey = one_id(g, G_SURVEY_ID, NULL)) < 0)
		return -1;
	for (i = 0; i < NOPTS; i++) {
		p[0] = (struct hs_dbparam)HS_DBP_INT(w->survey);
		p[1] = (struct hs_dbparam)HS_DBP_TEXT(opts[i].key);
		p[2] = (struct hs_dbparam)HS_DBP_TEXT(opts[i].label);
		p[3] = (struct hs_dbparam)HS_DBP_TEXT(opts[i].channel);
		p[4] = (struct hs_dbparam)HS_DBP_INT((long long)i + 1);
		p[5] = (struct hs_dbparam)HS_DBP_INT(opts[i].pinned);
		p[6] = (struct hs_dbparam)HS_DBP_TEXT(opts[i].followup);
		if (hs_db_exec(g->db, G_OPT_INS, p, 7, NULL) != HS_OK)
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ people */

/* What a signup really came from, and what they said. */
struct side {
	char		 channel[33];	/* canonical; "" none */
	long long	 adv, ev;	/* ids, 0 none */
};

/* hearsay-reconcile(8)'s "same source" on the meant values. */
static int
same(const struct side *t, const struct side *r)
{

	if (t->adv != 0 && r->adv != 0)
		return t->adv == r->adv;
	if (t->ev != 0 && r->ev != 0)
		return t->ev == r->ev;
	if (r->adv != 0 || r->ev != 0)
		return t->adv == r->adv && t->ev == r->ev;
	return strcmp(t->channel, r->channel) == 0;
}

/* One typo in s (a swap, a drop or a doubled letter), in place. */
static void
typo(struct gen *g, char *s)
{
	size_t	 n = strlen(s), i;
	char	 c;

	if (n < 4)
		return;
	/* Only inside an ASCII run, so UTF-8 stays valid. */
	i = 1 + (size_t)rint_(&g->r, (long long)n - 3);
	if ((s[i] & 0x80) || (s[i + 1] & 0x80) || s[i] == ' ' ||
	    s[i + 1] == ' ')
		return;
	switch (rint_(&g->r, 3)) {
	case 0:
		c = s[i];
		s[i] = s[i + 1];
		s[i + 1] = c;
		break;
	case 1:
		memmove(s + i, s + i + 1, n - i);
		break;
	default:
		if (n + 2 < 200) {
			memmove(s + i + 1, s + i, n - i + 1);
		}
		break;
	}
}

/* Bytes of the first UTF-8 character of s. */
static int
u8len(const char *s)
{
	unsigned char	 c = (unsigned char)s[0];

	return c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

/*
 * Whether "First L." names one advocate only: no other advocate has the
 * same first name and a family name starting with the same letter (as
 * folded: "Ø" is "o"), and the initial is not one that José Luis García
 * may use ("José L.", "José G.").
 */
static int
initial_unique(const struct world *w, const struct adv *a)
{
	char	 l[64], m[64];
	size_t	 i;
	int	 n = 0;

	asciify(lasts[a->last], l, sizeof(l));
	for (i = 0; i < GEN_NADV; i++) {
		if (w->advs[i].first != a->first)
			continue;
		asciify(lasts[w->advs[i].last], m, sizeof(m));
		n += m[0] == l[0];
	}
	if (strcmp(firsts[a->first], "José") == 0 && (l[0] == 'l' ||
	    l[0] == 'g'))
		n++;
	return n == 1;
}

/*
 * The referrer name as someone types it, in out[200], with its shape
 * and whether it names one advocate only (*matchable).
 */
static void
referrer(struct gen *g, const struct adv *a, char *out, const char **shape,
    int *matchable)
{
	char	 f[64], l[64], nm[128];
	double	 u = runi(&g->r);
	size_t	 k, nf;

	*matchable = 1;
	if (a->first < 0) {
		for (nf = 0; nf < SPECIAL_FORMS &&
		    specials[a->special].forms[nf].typed != NULL; nf++)
			continue;
		k = (size_t)rint_(&g->r, (long long)nf);
		(void)snprintf(out, 200, "%s",
		    specials[a->special].forms[k].typed);
		*shape = specials[a->special].forms[k].shape;
		*matchable = specials[a->special].forms[k].matchable;
		return;
	}
	asciify(firsts[a->first], f, sizeof(f));
	asciify(lasts[a->last], l, sizeof(l));
	if (u < 0.25) {
		(void)snprintf(out, 200, "%s", a->name);
		*shape = "name";
	} else if (u < 0.35) {
		(void)snprintf(out, 200, "%s %s", f, l);
		*shape = "ascii";
	} else if (u < 0.45) {
		(void)snprintf(out, 200, "%s %.*s.", firsts[a->first],
		    u8len(lasts[a->last]), lasts[a->last]);
		*shape = "initial";
		*matchable = initial_unique(&g->w, a);
	} else if (u < 0.55) {
		(void)snprintf(out, 200, "@%s", a->handle);
		*shape = "handle";
	} else if (u < 0.62 && nicks[a->first][0] != '\0') {
		/* Five advocates share a first name, and its nickname. */
		(void)snprintf(out, 200, "%s", nicks[a->first]);
		*shape = "nickname";
		*matchable = 0;
	} else if (u < 0.75) {
		*shape = "typo";
		/*
		 * "Anna Núñez" with an n less is Ana Núñez, another advocate:
		 * a reader would take it for her.  Such a typo is made again.
		 */
		for (nf = 0; nf < 4; nf++) {
			(void)snprintf(out, 200, "%s", a->name);
			typo(g, out);
			asciify(out, nm, sizeof(nm));
			for (k = 0; k < GEN_NADV; k++) {
				asciify(g->w.advs[k].name, f, sizeof(f));
				if (&g->w.advs[k] != a && strcmp(f, nm) == 0)
					break;
			}
			if (k == GEN_NADV)
				break;
		}
		if (nf == 4)
			*matchable = 0;
	} else if (u < 0.82) {
		(void)snprintf(out, 200, "%s", firsts[a->first]);
		*shape = "first";
		*matchable = 0;
	} else if (u < 0.94) {
		if (runi(&g->r) < 0.5)
			(void)snprintf(nm, sizeof(nm), "%s", a->name);
		else
			(void)snprintf(nm, sizeof(nm), "%s %s", f, l);
		k = (size_t)rint_(&g->r, NAROUND);
		(void)snprintf(out, 200, "%s%s%s", around[k].before, nm,
		    around[k].after);
		*shape = "in_text";
	} else {
		(void)snprintf(out, 200, "my friend %s %s from work",
		    firsts[a->first], lasts[a->last]);
		*shape = "sentence";
	}
}

/* A typed code with confusables and noise, in out[65]. */
static void
typed_code(struct gen *g, long long linkidx, char *out)
{
	char	 c[9];
	size_t	 i;

	link_code(linkidx + 1, c);
	for (i = 0; i < 8; i++) {
		if (c[i] >= 'A' && c[i] <= 'Z' && runi(&g->r) < 0.3)
			c[i] = (char)(c[i] - 'A' + 'a');
		else if (c[i] == '0' && runi(&g->r) < 0.5)
			c[i] = 'O';
		else if (c[i] == '1' && runi(&g->r) < 0.5)
			c[i] = 'l';
	}
	(void)snprintf(out, 65, "%.4s-%.4s", c, c + 4);
}

static const char *const other_texts[] = {
	"a linkedin post", "saw it on reddit", "my boss told me",
	"youtube video", "hacker news", "a slack group", "conference talk",
	"i think a blog", "through my university", "chatgpt",
};
#define NOTHER	(sizeof(other_texts) / sizeof(other_texts[0]))

/* Add a click row.  The id is written to id[33].  0 or -1. */
static int
click(struct gen *g, long long n, long long at, long long link,
    const char *client, int bot, const char *reason, int qr, char *id)
{
	struct batch	*b;
	char		 t[24];

	if ((b = row(g, T_CLICKS)) == NULL)
		return -1;
	hexid(id, 32, g->r.s, (uint64_t)n, 0xc1);
	fmt_time(at, t);
	pstr(b, 0, id, 0);
	pstr(b, 1, t, 0);
	pint(b, 2, link);
	pstr(b, 3, qr ? "qr" : "link", 0);
	pstr(b, 4, client, 1);
	pstr(b, 5, bot ? "bot" : (n & 1) ? "mobile" : "desktop", 0);
	pint(b, 6, bot);
	pstr(b, 7, reason, 1);
	pstr(b, 8, at < g->backdate ? t : NULL, 1);
	done(g, b);
	return 0;
}

struct params {
	long long	 n, start_ms, days, seed;
	double		 cps;
};

/*
 * Generate one signup with its clicks, answer and truth.  Returns 0 or
 * -1 on a database error.
 */
static int
person(struct gen *g, const struct params *pa, long long i, long long sid,
    long long *rid, long long *nclick)
{
	struct world	*w = &g->w;
	struct side	 src, t, rep;
	struct batch	*b;
	const struct adv *a = NULL, *ra = NULL;
	const struct ev	*e = NULL, *ve;
	char		 ch[65], ref[64], me[65], dev[65], id[33], tm[24];
	char		 carried[GEN_MAXCARRY][33], rtext[200], otext[200];
	char		 ftext[200], ctext[65], sub[33];
	const char	*opt = NULL, *cls;
	long long	 signed_ms, link = 0, at, linkidx = -1;
	double		 u, noise;
	int		 ncar = 0, k, nh, tracked, answered, mch = -1;
	int		 typed = 0, matchable = 0;
	const char	*shape = "";

	memset(&src, 0, sizeof(src));
	memset(&t, 0, sizeof(t));
	memset(&rep, 0, sizeof(rep));
	rtext[0] = otext[0] = ftext[0] = ctext[0] = '\0';
	(void)snprintf(ref, sizeof(ref), "gen%lld-%lld", pa->seed, i);
	signed_ms = pa->start_ms + (i * pa->days * DAY_MS) / pa->n +
	    rint_(&g->r, 60000);
	hexid(me, 64, (uint64_t)pa->seed, (uint64_t)i, 0xe1);
	hexid(dev, 64, (uint64_t)pa->seed, (uint64_t)i, 0xd1);

	/* What really happened. */
	u = runi(&g->r);
	if (u < 0.32) {
		/* Word of mouth from an advocate, skewed to the active. */
		if (runi(&g->r) < 0.3)
			a = &w->advs[GEN_NADV + rint_(&g->r, NSPECIAL)];
		else
			a = &w->advs[(int)(GEN_NADV * runi(&g->r) *
			    runi(&g->r))];
		(void)snprintf(src.channel, sizeof(src.channel), "referral");
		src.adv = a->id;
		link = a->link;
		linkidx = a->linkno;
		tracked = runi(&g->r) < 0.55;
	} else if (u < 0.42) {
		e = &w->evs[rint_(&g->r, GEN_NEV)];
		(void)snprintf(src.channel, sizeof(src.channel), "event");
		src.ev = e->id;
		link = e->link;
		linkidx = GEN_NADV + (long long)(e - w->evs);
		tracked = runi(&g->r) < 0.6;
	} else if (u < 0.60) {
		mch = (int)rint_(&g->r, NMCH);
		(void)snprintf(src.channel, sizeof(src.channel), "%s",
		    mchannels[mch]);
		link = w->mlink[mch];
		tracked = runi(&g->r) < 0.7;
	} else if (u < 0.75) {
		(void)snprintf(src.channel, sizeof(src.channel), "search");
		tracked = 0;
	} else
		tracked = 0;

	/* The clicks the signup carries. */
	if (tracked) {
		at = e != NULL ? pa->start_ms + e->day_ms +
		    rint_(&g->r, 3 * 3600000LL) : signed_ms - 60000 -
		    rint_(&g->r, 10 * DAY_MS);
		if (at > signed_ms - 60000)
			at = signed_ms - 60000;
		if (at < signed_ms - GEN_WINDOW_MS + DAY_MS)
			at = signed_ms - GEN_WINDOW_MS + DAY_MS;
		nh = 1 + (runi(&g->r) < 0.3);
		for (k = 0; k < nh; k++) {
			if (runi(&g->r) < 0.12) {
				/* A chat app's link preview, just before. */
				if (click(g, ++*nclick, at - 500, link, dev, 1,
				    "prefetch", 0, carried[ncar++]) != 0)
					return -1;
			}
			if (click(g, ++*nclick, at, link, e != NULL ? e->venue :
			    dev, 0, NULL, e != NULL, carried[ncar++]) != 0)
				return -1;
			at += rint_(&g->r, 3600000);
			if (at > signed_ms)
				at = signed_ms;
		}
		t = src;
		if (e != NULL)
			t.adv = w->advs[e->host].id;
	} else if (link != 0 && runi(&g->r) < 0.12) {
		/* Only a bot, or a click from long ago: not tracked. */
		if (runi(&g->r) < 0.5) {
			if (click(g, ++*nclick, signed_ms - 3600000, link,
			    NULL, 1, "ua:slackbot", 0, carried[ncar++]) != 0)
				return -1;
		} else if (click(g, ++*nclick, signed_ms - GEN_WINDOW_MS -
		    DAY_MS - rint_(&g->r, 10 * DAY_MS), link, dev, 0, NULL, 0,
		    carried[ncar++]) != 0)
			return -1;
	}

	/* Background clicks, up to about cps per signup in all. */
	noise = pa->cps - (double)ncar;
	while (noise > 0) {
		if (noise < 1 && runi(&g->r) >= noise)
			break;
		noise -= 1;
		at = pa->start_ms + rint_(&g->r, pa->days * DAY_MS);
		k = (int)rint_(&g->r, (long long)w->nlinks);
		u = runi(&g->r);
		if (u < 0.2) {
			if (click(g, ++*nclick, at, w->links[k], NULL, 1,
			    "ua:bot", 0, id) != 0)
				return -1;
		} else if (u < 0.3) {
			/* Venue Wi-Fi: many people behind one hash. */
			ve = &w->evs[rint_(&g->r, GEN_NEV)];
			if (click(g, ++*nclick, pa->start_ms + ve->day_ms +
			    rint_(&g->r, 3 * 3600000LL), ve->link, ve->venue, 0,
			    NULL, 1, id) != 0)
				return -1;
		} else {
			hexid(ch, 64, (uint64_t)pa->seed, (uint64_t)*nclick,
			    0xb0);
			if (click(g, ++*nclick, at, w->links[k], ch, 0, NULL,
			    0, id) != 0)
				return -1;
		}
	}

	/* The signup. */
	if ((b = row(g, T_SIGNUPS)) == NULL)
		return -1;
	fmt_time(signed_ms, tm);
	pint(b, 0, sid);
	pstr(b, 1, ref, 0);
	pstr(b, 2, tm, 0);
	pint(b, 3, a != NULL || e != NULL ? w->camp_adv : w->camp_mkt);
	/* 1 in 200 referred signups is the advocate themself. */
	pstr(b, 4, a != NULL && runi(&g->r) < 0.005 ? a->email : me, 0);
	pstr(b, 5, dev, 0);
	pstr(b, 6, signed_ms < g->backdate ? tm : NULL, 1);
	done(g, b);
	for (k = 0; k < ncar; k++) {
		if ((b = row(g, T_SC)) == NULL)
			return -1;
		pint(b, 0, sid);
		pstr(b, 1, carried[k], 0);
		done(g, b);
	}

	/* The answer: most answer, most remember right. */
	answered = runi(&g->r) < 0.7;
	if (answered) {
		u = runi(&g->r);
		if (u < 0.80 && src.channel[0] != '\0') {
			/* Right memory. */
			rep = src;
			if (a != NULL) {
				opt = "friend";
				ra = a;
			} else if (e != NULL) {
				opt = "event";
				rep.ev = 0;
				if (runi(&g->r) < 0.8) {
					rep.ev = e->id;
					(void)snprintf(ftext, sizeof(ftext),
					    "%s", e->name);
					if (runi(&g->r) < 0.3)
						typo(g, ftext);
				}
			} else
				opt = src.channel;
			if (runi(&g->r) < 0.06) {
				/* "Other", with the source in words. */
				opt = "other";
				if (a != NULL)
					(void)snprintf(otext, sizeof(otext),
					    "%s told me", a->name);
				else
					(void)snprintf(otext, sizeof(otext),
					    "%s", other_texts[rint_(&g->r,
					    NOTHER)]);
				ra = NULL;
				ftext[0] = '\0';
			}
		} else if (u < 0.92) {
			/* Wrong memory: another source. */
			switch (rint_(&g->r, 4)) {
			case 0:
				ra = &w->advs[rint_(&g->r, GEN_NADV)];
				opt = "friend";
				(void)snprintf(rep.channel,
				    sizeof(rep.channel), "referral");
				rep.adv = ra->id;
				break;
			case 1:
				opt = "search";
				break;
			default:
				opt = mchannels[rint_(&g->r, NMCH)];
				break;
			}
			if (rep.channel[0] == '\0')
				(void)snprintf(rep.channel,
				    sizeof(rep.channel), "%s", opt);
		} else if (u < 0.97)
			opt = "dont-remember";
		else {
			opt = "other";
			(void)snprintf(otext, sizeof(otext), "%s",
			    other_texts[rint_(&g->r, NOTHER)]);
			/* What it says is not what happened: other. */
			memset(&rep, 0, sizeof(rep));
			(void)snprintf(rep.channel, sizeof(rep.channel),
			    "other");
		}
		if (ra != NULL && runi(&g->r) < 0.9) {
			referrer(g, ra, rtext, &shape, &matchable);
			typed = 1;
		}
		if (ra != NULL && ra == a && runi(&g->r) < 0.1)
			typed_code(g, linkidx, ctext);
		if (strcmp(opt, "other") == 0 && rep.channel[0] == '\0')
			(void)snprintf(rep.channel, sizeof(rep.channel),
			    "other");
		/* An answer naming no one meant a referral, not an advocate. */
		if (opt != NULL && strcmp(opt, "friend") == 0 && !typed &&
		    ctext[0] == '\0')
			rep.adv = 0;
		if (rep.channel[0] == '\0' && strcmp(opt, "dont-remember") != 0)
			(void)snprintf(rep.channel, sizeof(rep.channel), "%s",
			    opt);

		if ((b = row(g, T_RESP)) == NULL)
			return -1;
		hexid(sub, 32, (uint64_t)pa->seed, (uint64_t)i, 0x5b);
		at = signed_ms + 1000 + rint_(&g->r, 600000);
		fmt_time(at, tm);
		pint(b, 0, ++*rid);
		pstr(b, 1, sub, 0);
		pint(b, 2, w->survey);
		pstr(b, 3, ref, 0);
		pint(b, 4, 1);
		pstr(b, 5, tm, 0);
		pstr(b, 6, opt, 0);
		pstr(b, 7, "friend community event podcast search social "
		    "newsletter ad radio other dont-remember", 0);
		pstr(b, 8, ftext, 1);
		pstr(b, 9, otext, 1);
		pstr(b, 10, rtext, 1);
		pstr(b, 11, ctext, 1);
		pstr(b, 12, dev, 0);
		pstr(b, 13, at < g->backdate ? tm : NULL, 1);
		done(g, b);
	}

	/* The truth, by the definitions, on what was meant. */
	if (t.channel[0] != '\0' && rep.channel[0] != '\0')
		cls = same(&t, &rep) ? "agree" : "disagree";
	else if (t.channel[0] != '\0')
		cls = "tracked_only";
	else if (rep.channel[0] != '\0')
		cls = "reported_only";
	else
		cls = "unattributed";
	if ((b = row(g, T_TRUTH)) == NULL)
		return -1;
	pstr(b, 0, ref, 0);
	pstr(b, 1, cls, 0);
	if (t.channel[0] != '\0') {
		pstr(b, 2, t.channel, 0);
		pint(b, 3, t.adv);
		pint(b, 4, t.ev);
	} else if (rep.channel[0] != '\0') {
		pstr(b, 2, rep.channel, 0);
		pint(b, 3, rep.adv);
		pint(b, 4, rep.ev);
	} else {
		pstr(b, 2, "none", 0);
		pint(b, 3, 0);
		pint(b, 4, 0);
	}
	pint(b, 5, typed && ra != NULL ? ra->id : 0);
	pint(b, 6, typed);
	pstr(b, 7, typed ? shape : "", 0);
	pint(b, 8, typed && matchable);
	done(g, b);
	return txn(g, 0);
}

/*
 * Make the N people after signup sid and answer rid, sending the rows
 * that are this process's.  Returns 0 or -1 (logged).
 */
static int
people(struct gen *g, const struct params *pa, long long sid, long long rid)
{
	long long	 i, nclick = 0;

	if ((g->skip = calloc(1, sizeof(*g->skip))) == NULL) {
		warn(NULL);
		return -1;
	}
	if (hs_db_sql(g->db, "SET SESSION foreign_key_checks = 0") != HS_OK ||
	    hs_db_sql(g->db, "SET SESSION unique_checks = 0") != HS_OK ||
	    hs_db_sql(g->db, "START TRANSACTION") != HS_OK)
		return -1;
	for (i = 0; i < pa->n; i++)
		if (person(g, pa, i, ++sid, &rid, &nclick) != 0) {
			warnx("database error at signup %lld", i);
			return -1;
		}
	if (txn(g, 1) != 0 || hs_db_sql(g->db, "COMMIT") != HS_OK)
		return -1;
	return 0;
}

/* ------------------------------------------------------------ main */

static void
usage(void)
{

	fprintf(stderr, "usage: hearsay-gen --signups N [--clicks-per-signup "
	    "R] [--seed S]\n"
	    "           [--start YYYY-MM-DD] [--days D] [--backdate | "
	    "--backdate-before YYYY-MM-DD]\n"
	    "           [--activity-uplift U] [-f config]\n");
	exit(2);
}

/* "YYYY-MM-DD" to ms since the epoch (UTC), or usage. */
static long long
day_ms(const char *s)
{
	struct tm	 tm;
	int		 y, m, d;

	if (sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 ||
	    d < 1 || d > 31)
		usage();
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	return (long long)timegm(&tm) * 1000;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "signups", required_argument, NULL, 'n' },
		{ "clicks-per-signup", required_argument, NULL, 'r' },
		{ "seed", required_argument, NULL, 's' },
		{ "start", required_argument, NULL, 'S' },
		{ "days", required_argument, NULL, 'd' },
		{ "backdate", no_argument, NULL, 'b' },
		{ "backdate-before", required_argument, NULL, 'B' },
		{ "activity-uplift", required_argument, NULL, 'A' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const boot[] = { "SELECT 1" };
	struct hs_conf	 conf;
	struct params	 pa;
	struct gen	*g = NULL;
	struct hs_db	*db = NULL;
	char		 errbuf[256], ref[64], *end;
	long long	 sid, rid;
	pid_t		 child;
	long long	 backdate = 0;
	double		 uplift = -1;	/* --activity-uplift; < 0: none */
	int		 c, t, ex = 1, status;
	enum hs_err	 e;
	struct timespec	 t0, t1;

	memset(&pa, 0, sizeof(pa));
	pa.cps = 5;
	pa.seed = 1;
	pa.days = 28;
	pa.start_ms = day_ms("2026-01-05");
	hs_log_init("hearsay-gen", HS_LOG_WARN);
	while ((c = getopt_long(argc, argv, "f:", longopts, NULL)) != -1) {
		switch (c) {
		case 'A':	/* activity, gen_activity.c */
			uplift = strtod(optarg, &end);
			if (*optarg == '\0' || *end != '\0' || !(uplift >= 0 &&
			    uplift <= 1000))
				errx(2, "--activity-uplift: 0 to 1000");
			break;
		case 'f':
			break;
		case 'n':
			pa.n = strtoll(optarg, &end, 10);
			if (*end != '\0' || pa.n < 1 || pa.n > GEN_MAXSIGNUPS)
				usage();
			break;
		case 'r':
			pa.cps = strtod(optarg, &end);
			if (*end != '\0' || pa.cps < 0 || pa.cps > 100)
				usage();
			break;
		case 's':
			pa.seed = strtoll(optarg, &end, 10);
			if (*end != '\0' || pa.seed < 0)
				usage();
			break;
		case 'S':
			pa.start_ms = day_ms(optarg);
			break;
		case 'd':
			pa.days = strtoll(optarg, &end, 10);
			if (*end != '\0' || pa.days < 1 || pa.days > 3650)
				usage();
			break;
		case 'b':
			backdate = LLONG_MAX;
			break;
		case 'B':
			backdate = day_ms(optarg);
			break;
		default:
			usage();
		}
	}
	if (optind != argc || pa.n == 0)
		usage();
	(void)clock_gettime(CLOCK_MONOTONIC, &t0);
	hs_crypto_init();
	if (hs_conf_load(&conf, hs_conf_path(argc, argv), errbuf,
	    sizeof(errbuf)) != HS_OK)
		errx(2, "%s", errbuf);

	/* gen_truth first: the statement table prepares against it. */
	if ((e = hs_db_open(&db, &conf, HS_DB_BATCH, boot, 1)) != HS_OK ||
	    hs_db_sql(db, TRUTH_DDL) != HS_OK) {
		warnx("database: %s", hs_strerror(e));
		goto out;
	}
	hs_db_close(db);
	db = NULL;
	for (t = 0; t < T__MAX; t++)
		if ((stmts[G_BATCH0 + t] = build(tbls[t].head, tbls[t].ncols,
		    tbls[t].stamp, GEN_BATCH)) == NULL || (stmts[G_ONE0 + t] =
		    build(tbls[t].head, tbls[t].ncols, tbls[t].stamp, 1)) ==
		    NULL)
			errx(1, "out of memory");
	if ((g = calloc(1, sizeof(*g))) == NULL)
		err(1, NULL);
	g->backdate = backdate;
	for (t = 0; t < T__MAX; t++) {
		if ((g->b[t] = calloc(1, sizeof(*g->b[t]))) == NULL)
			err(1, NULL);
		g->b[t]->t = t;
	}
	if ((e = hs_db_open(&db, &conf, HS_DB_BATCH, stmts, G__MAX)) !=
	    HS_OK) {
		warnx("database: %s", hs_strerror(e));
		goto out;
	}
	g->db = db;
	(void)snprintf(ref, sizeof(ref), "gen%lld-0", pa.seed);
	if (one_id(g, G_SEEN, ref) != 0) {
		warnx("seed %lld is already in the database", pa.seed);
		goto out;
	}
	if (hs_db_sql(db, "START TRANSACTION") != HS_OK ||
	    world(g, pa.start_ms) != 0 || hs_db_sql(db, "COMMIT") != HS_OK) {
		warnx("database error while making the world");
		goto out;
	}
	if ((sid = one_id(g, G_MAX_SIGNUP, NULL)) < 0 ||
	    (rid = one_id(g, G_MAX_RESPONSE, NULL)) < 0)
		goto out;
	g->r.s = 0x5eed0000ULL ^ (uint64_t)pa.seed * 0x9e3779b97f4a7c15ULL;
	(void)fflush(NULL);
	if ((child = fork()) == 0) {
		/* Its own connection; the parent's is never touched here. */
		g->send = SEND_CHILD;
		if (hs_db_open(&g->db, &conf, HS_DB_BATCH, stmts, G__MAX) != HS_OK)
			_exit(1);
		c = people(g, &pa, sid, rid);
		hs_db_close(g->db);
		_exit(c == 0 ? 0 : 1);
	}
	g->send = child == -1 ? SEND_ALL : SEND_PARENT;
	c = people(g, &pa, sid, rid);
	if (child > 0 && (waitpid(child, &status, 0) != child ||
	    !WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
		warnx("the process sending clicks failed");
		goto out;
	}
	if (c != 0)
		goto out;
	if (uplift >= 0 && gen_activity(db, pa.seed, uplift) != 0) {
		warnx("database error while making activity");
		goto out;
	}
	(void)clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("signups %lld clicks %lld signup_clicks %lld responses %lld "
	    "seconds %.2f\n", g->counts[T_SIGNUPS], g->counts[T_CLICKS],
	    g->counts[T_SC], g->counts[T_RESP], (double)(t1.tv_sec -
	    t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	ex = 0;
out:
	hs_db_close(db);
	if (g != NULL) {
		for (t = 0; t < T__MAX; t++)
			free(g->b[t]);
		free(g->skip);
	}
	free(g);
	for (t = 0; t < T__MAX; t++) {
		free((void *)stmts[G_BATCH0 + t]);
		free((void *)stmts[G_ONE0 + t]);
	}
	hs_conf_free(&conf);
	return ex;
}
