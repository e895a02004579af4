/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * check_reconcile.c: the pure parts of hearsay-reconcile -- text
 * normalisation (accents, case folding, NFKC), name matching (handles,
 * aliases, nicknames, typos, first name plus initial, ambiguity means
 * no match), the phonetic key, the analysts' rules, and rc_classify
 * over a table of signups whose attribution is worked out by hand from
 * hearsay-reconcile(8)'s DEFINITIONS: the window's edges, bot and
 * unknown-link clicks, which click is tracked, option, text, rule and
 * code on the reported side, class and credit, and each risk flag.
 * Kappa and PABAK are core's: tests/unit/check_metrics.c.  The "shapes"
 * case: names as people type them in free text (inside a sentence, with
 * initials, multi-part, told apart by an accent, phonetically close but
 * different), in Latin with diacritics, Greek, Cyrillic and CJK; each
 * table row says which shape it covers.
 */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"
#include "reconcile.h"

static const struct {
	const char	*in;
	const char	*out;
} norms[] = {
	{ "Anna", "anna" },
	{ "  ANNA   Kowalska ", "anna kowalska" },
	{ "Zoë Müller", "zoe muller" },
	{ "Łukasz Żółć", "lukasz zolc" },
	{ "Søren Ærø", "soren aero" },
	{ "Straße", "strasse" },
	{ "\xef\xbc\xa1\xef\xbd\x8e\xef\xbd\x8e\xef\xbd\x81", "anna" },
	{ "ﬁona", "fiona" },
	{ "@anna_k!", "anna k" },
	{ "José-María", "jose maria" },
	{ "İstanbul", "istanbul" },
	{ "", "" },
};

START_TEST(test_norm)
{
	char	 out[RC_NORM_MAX];

	ck_assert_int_eq(rc_norm(norms[_i].in, out, sizeof(out)), 0);
	ck_assert_str_eq(out, norms[_i].out);
}
END_TEST

START_TEST(test_norm_invalid)
{
	char	 out[RC_NORM_MAX];

	ck_assert_int_eq(rc_norm("a\xc0\xaf", out, sizeof(out)), -1);
	ck_assert_str_eq(out, "");
	/* Truncation keeps whole characters. */
	ck_assert_int_eq(rc_norm("ééééé", out, 6), 0);
	ck_assert_str_eq(out, "eeeee");
	ck_assert_int_eq(rc_norm_name("my friend Anna from work", out,
	    sizeof(out)), 0);
	ck_assert_str_eq(out, "anna");
	ck_assert_int_eq(rc_norm_name("my friend", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "my friend");
}
END_TEST

/* Filler words go, except where they can be an initial; accents kept. */
static const struct {
	const char	*in;
	const char	*name;	/* rc_norm_name */
	const char	*keep;	/* rc_norm_name_keep */
} names_norm[] = {
	{ "Joaquín A.", "joaquin a", "joaquín a" },
	{ "my friend Joaquín I.", "joaquin i", "joaquín i" },
	{ "from a friend Anna", "anna", "anna" },
	{ "it was Anna I think", "anna", "anna" },
	{ "Zoé Martin", "zoe martin", "zoé martin" },
	{ "Søren Ødegård", "soren odegard", "søren ødegård" },
	{ "Nguyễn Thị Minh", "nguyen thi minh", "nguyễn thị minh" },
	{ "Γιώργος Π.", "γιωργοσ π", "γιώργοσ π" },
	{ "Дмитрий Й.", "дмитрии и", "дмитрий й" },
	{ "王小明", "王小明", "王小明" },
};

START_TEST(test_norm_name)
{
	char	 out[RC_NORM_MAX];

	ck_assert_int_eq(rc_norm_name(names_norm[_i].in, out, sizeof(out)),
	    0);
	ck_assert_str_eq(out, names_norm[_i].name);
	ck_assert_int_eq(rc_norm_name_keep(names_norm[_i].in, out,
	    sizeof(out)), 0);
	ck_assert_str_eq(out, names_norm[_i].keep);
}
END_TEST

START_TEST(test_phonetic)
{
	char	 a[64], b[64];

	rc_phonetic("katrin", a, sizeof(a));
	rc_phonetic("kathrin", b, sizeof(b));
	ck_assert_str_eq(a, b);
	rc_phonetic("catrin", b, sizeof(b));
	ck_assert_str_eq(a, b);
	rc_phonetic("jon", a, sizeof(a));
	rc_phonetic("john", b, sizeof(b));
	ck_assert_str_eq(a, b);
	rc_phonetic("anna", a, sizeof(a));
	rc_phonetic("maria", b, sizeof(b));
	ck_assert_str_ne(a, b);
}
END_TEST

static struct rc_names *names;

static void
setup(void)
{

	names = rc_names_new(0);
	ck_assert_ptr_nonnull(names);
	ck_assert_int_eq(rc_names_add_handle(names, 1, "anna_k"), 0);
	ck_assert_int_eq(rc_names_add_name(names, 1, "Anna Kowalska"), 0);
	ck_assert_int_eq(rc_names_add_alias(names, 1, "Ania\nAnka"), 0);
	ck_assert_int_eq(rc_names_add_handle(names, 2, "bjorn"), 0);
	ck_assert_int_eq(rc_names_add_name(names, 2, "Björn Ødegård"), 0);
	ck_assert_int_eq(rc_names_add_handle(names, 3, "anna_m"), 0);
	ck_assert_int_eq(rc_names_add_name(names, 3, "Anna Müller"), 0);
	ck_assert_int_eq(rc_names_add_handle(names, 4, "kathrin"), 0);
	ck_assert_int_eq(rc_names_add_name(names, 4, "Kathrin Schmidt"), 0);
	ck_assert_int_eq(rc_names_add_handle(names, 5, "jon"), 0);
	ck_assert_int_eq(rc_names_add_name(names, 5, "Jonathan Weiss"), 0);
	ck_assert_int_eq(rc_names_add_alias(names, 5, "Johnny"), 0);
}

static void
teardown(void)
{

	rc_names_free(names);
	names = NULL;
}

static const struct {
	const char	*typed;
	long long	 id;	/* 0: no match */
	enum rc_how	 how;
} matches[] = {
	{ "@anna_k", 1, RC_HOW_HANDLE },
	{ "anna_k", 1, RC_HOW_HANDLE },
	{ "ANNA KOWALSKA", 1, RC_HOW_NAME },
	{ "Kowalska Anna", 1, RC_HOW_NAME },
	{ "my friend Ania", 1, RC_HOW_ALIAS },
	{ "Anna K.", 1, RC_HOW_HANDLE },	/* "anna k" is the handle */
	{ "Anna M", 3, RC_HOW_HANDLE },
	{ "Anna Kowalsak", 1, RC_HOW_FUZZY },	/* transposition */
	{ "Anna Kowalka", 1, RC_HOW_FUZZY },	/* deletion */
	{ "Bjorn Odegard", 2, RC_HOW_NAME },	/* accents and ø */
	{ "bjørn", 2, RC_HOW_HANDLE },
	{ "Björn", 2, RC_HOW_HANDLE },
	{ "Bjron", 2, RC_HOW_FUZZY },
	{ "Katrin Schmitt", 4, RC_HOW_PHONETIC },
	{ "Kathrin", 4, RC_HOW_HANDLE },
	{ "Johnny", 5, RC_HOW_ALIAS },
	{ "Jonathan", 5, RC_HOW_FIRST_NAME },
	{ "Anna", 0, RC_HOW_NONE },		/* two Annas: ambiguous */
	{ "Anna Z", 0, RC_HOW_NONE },
	{ "someone at a meetup", 0, RC_HOW_NONE },
	{ "", 0, RC_HOW_NONE },
};

START_TEST(test_match)
{
	struct rc_match	 m;
	char		 norm[RC_NORM_MAX];
	int		 r;

	ck_assert_int_eq(rc_norm(matches[_i].typed, norm, sizeof(norm)), 0);
	r = rc_names_match(names, norm, &m);
	ck_assert_msg(m.id == matches[_i].id, "%s: got %lld want %lld",
	    matches[_i].typed, m.id, matches[_i].id);
	ck_assert_int_eq(r, matches[_i].id != 0);
	if (matches[_i].id != 0)
		ck_assert_msg(m.how == matches[_i].how, "%s: got %s want %s",
		    matches[_i].typed, rc_how_name(m.how),
		    rc_how_name(matches[_i].how));
	/* The cache gives the same answer the second time. */
	r = rc_names_match(names, norm, &m);
	ck_assert_int_eq(m.id, matches[_i].id);
}
END_TEST

/* The world of the shapes: names that collide on purpose. */
static const struct {
	long long	 id;
	const char	*handle, *name, *aliases;
} shape_world[] = {
	{ 10, "alima", "Ana Lima", NULL },
	{ 11, "icarvalho", "Inês Carvalho", NULL },
	{ 12, "jalvarado", "Joaquín Alvarado", NULL },
	{ 13, "jibarra", "Joaquín Ibarra", NULL },
	{ 14, "mcdubois", "Marie-Claire Dubois", NULL },
	{ 15, "mdurand", "Marie Durand", NULL },
	{ 16, "jlgarcia", "José Luis García", NULL },
	{ 17, "jmartinez", "José Martínez", NULL },
	{ 18, "smgp", "Seán Mac Giolla Phádraig", NULL },
	{ 19, "smurphy", "Seán Murphy", NULL },
	{ 20, "mdangelo", "Marco D'Angelo", NULL },
	{ 21, "mduarte", "Marco Duarte", NULL },
	{ 22, "ldangelo", "Luca D'Angelo", NULL },
	{ 23, "oelamin", "Omar El-Amin", NULL },
	{ 24, "osharif", "Omar Sharif", NULL },
	{ 25, "avdberg", "Anneke van der Berg", NULL },
	{ 26, "avisser", "Anneke Visser", NULL },
	{ 27, "ntminh", "Nguyễn Thị Minh", NULL },
	{ 28, "zmartin1", "Zoé Martin", NULL },
	{ 29, "zmartin2", "Zoe Martin", NULL },
	{ 30, "gpapa", "Γιώργος Παπαδόπουλος", "Γιώργης" },
	{ 31, "divanov", "Дмитрий Иванов", "Дима" },
	{ 32, "wxm", "王小明", NULL },
	{ 33, "sato", "佐藤花子", NULL },
	{ 34, "adubois", "Anna Dubois", NULL },
	{ 35, "kschmidt", "Kathrin Schmidt", NULL },
	{ 36, "aobrien", "Andreas O'Brien", NULL },
};

static struct rc_names *shapes;

static void
shapes_setup(void)
{
	size_t	 i;

	shapes = rc_names_new(0);
	ck_assert_ptr_nonnull(shapes);
	for (i = 0; i < sizeof(shape_world) / sizeof(shape_world[0]); i++) {
		ck_assert_int_eq(rc_names_add_handle(shapes, shape_world[i].id,
		    shape_world[i].handle), 0);
		ck_assert_int_eq(rc_names_add_name(shapes, shape_world[i].id,
		    shape_world[i].name), 0);
		if (shape_world[i].aliases != NULL)
			ck_assert_int_eq(rc_names_add_alias(shapes,
			    shape_world[i].id, shape_world[i].aliases), 0);
	}
}

static void
shapes_teardown(void)
{

	rc_names_free(shapes);
	shapes = NULL;
}

/*
 * Texts as typed, the owner (0: none, for an ambiguous or different
 * name: a wrong match is worse than none) and the step.  The shape is
 * in the comment at the head of each group.
 */
static const struct {
	const char	*typed;
	long long	 id;
	enum rc_how	 how;
} shape_matches[] = {
	/* A name inside a longer text. */
	{ "my colleague Ana Lima told me about it", 10, RC_HOW_IN_TEXT },
	{ "heard it from Ana Lima's talk", 10, RC_HOW_IN_TEXT },
	{ "Ana Lima (the meetup organiser)", 10, RC_HOW_IN_TEXT },
	{ "my friend Inês Carvalho told me", 11, RC_HOW_IN_TEXT },
	{ "my friend Ines Carvalho told me", 11, RC_HOW_IN_TEXT },
	{ "saw a post by @alima on mastodon", 10, RC_HOW_IN_TEXT },
	{ "Lima, Ana -- she gave the talk", 10, RC_HOW_IN_TEXT },
	{ "ο φίλος μου Γιώργος Παπαδόπουλος μου είπε", 30, RC_HOW_IN_TEXT },
	{ "ο φιλος μου Γιωργος Παπαδοπουλος", 30, RC_HOW_IN_TEXT },
	{ "мой друг Дмитрий Иванов рассказал", 31, RC_HOW_IN_TEXT },
	{ "我的朋友王小明推荐的", 32, RC_HOW_IN_TEXT },
	{ "同事 佐藤 花子 さん", 33, RC_HOW_IN_TEXT },
	{ "Ana Lima and Inês Carvalho both did", 0, RC_HOW_NONE },
	{ "王小明和佐藤花子", 0, RC_HOW_NONE },
	{ "my colleague Ana told me", 0, RC_HOW_NONE },
	/* Initials that are also filler words. */
	{ "Joaquín A.", 12, RC_HOW_FIRST_INITIAL },
	{ "Joaquin I", 13, RC_HOW_FIRST_INITIAL },
	{ "my friend Joaquín A. from work", 12, RC_HOW_FIRST_INITIAL },
	{ "Joaquín", 0, RC_HOW_NONE },
	{ "it was Joaquín I think", 0, RC_HOW_NONE },
	{ "Γιώργος Π.", 30, RC_HOW_FIRST_INITIAL },
	{ "Дмитрий И.", 31, RC_HOW_FIRST_INITIAL },
	/* Multi-part given and family names. */
	{ "Marie-Claire D.", 14, RC_HOW_FIRST_INITIAL },
	{ "Marie-Claire", 14, RC_HOW_FIRST_NAME },
	{ "Marie D.", 0, RC_HOW_NONE },		/* or Marie Durand */
	{ "José Luis G.", 16, RC_HOW_FIRST_INITIAL },
	{ "José L.", 16, RC_HOW_FIRST_INITIAL },
	{ "Jose Luis", 16, RC_HOW_FIRST_NAME },
	{ "García, José Luis", 16, RC_HOW_NAME },
	{ "Seán Mac Giolla Phádraig", 18, RC_HOW_NAME },
	{ "Sean G.", 18, RC_HOW_FIRST_INITIAL },
	{ "Seán M.", 0, RC_HOW_NONE },		/* Mac... or Murphy */
	{ "Marco D.", 0, RC_HOW_NONE },		/* D'Angelo or Duarte */
	{ "Marco A.", 20, RC_HOW_FIRST_INITIAL },
	{ "Luca D.", 22, RC_HOW_FIRST_INITIAL },
	{ "Marco Angelo", 20, RC_HOW_NAME },
	{ "Omar E.", 23, RC_HOW_FIRST_INITIAL },
	{ "Omar El Amin", 23, RC_HOW_NAME },
	{ "Anneke V.", 0, RC_HOW_NONE },	/* van der Berg or Visser */
	{ "Anneke B.", 25, RC_HOW_FIRST_INITIAL },
	{ "Anneke Berg", 25, RC_HOW_NAME },
	{ "Anneke van der Berg", 25, RC_HOW_NAME },
	{ "Minh Nguyễn", 27, RC_HOW_NAME },
	{ "Minh Nguyen", 27, RC_HOW_NAME },
	{ "Minh N.", 27, RC_HOW_FIRST_INITIAL },
	{ "Nguyen Thi Minh", 27, RC_HOW_NAME },
	{ "Иванов Дмитрий", 31, RC_HOW_NAME },
	{ "Andreas OBrien", 36, RC_HOW_NAME },	/* the apostrophe left out */
	{ "Marco DAngelo", 20, RC_HOW_NAME },
	{ "heard it from andreas obrien's talk", 36, RC_HOW_IN_TEXT },
	/* Accents that tell two advocates apart. */
	{ "Zoé Martin", 28, RC_HOW_ACCENT },
	{ "ZOÉ MARTIN", 28, RC_HOW_ACCENT },
	{ "Zoé M.", 28, RC_HOW_ACCENT },
	{ "Martin Zoé", 28, RC_HOW_ACCENT },
	{ "my friend Zoé Martin told me", 28, RC_HOW_IN_TEXT },
	{ "Zoé", 0, RC_HOW_NONE },		/* a first name two share */
	{ "Zoe Martin", 0, RC_HOW_NONE },	/* either: no accent typed */
	{ "Zoë Martin", 0, RC_HOW_NONE },	/* another accent: either */
	/* Phonetic only when the words are alike too. */
	{ "Katrin Schmitt", 35, RC_HOW_PHONETIC },
	{ "Anna Tapas", 0, RC_HOW_NONE },	/* Dubois's key, not name */
	{ "Ana Lyma", 10, RC_HOW_FUZZY },
};

START_TEST(test_shapes)
{
	struct rc_match	 m;
	int		 r;

	r = rc_names_match(shapes, shape_matches[_i].typed, &m);
	ck_assert_msg(m.id == shape_matches[_i].id, "%s: got %lld (%s) want "
	    "%lld", shape_matches[_i].typed, m.id, rc_how_name(m.how),
	    shape_matches[_i].id);
	ck_assert_int_eq(r, shape_matches[_i].id != 0);
	if (shape_matches[_i].id != 0)
		ck_assert_msg(m.how == shape_matches[_i].how, "%s: got %s want "
		    "%s", shape_matches[_i].typed, rc_how_name(m.how),
		    rc_how_name(shape_matches[_i].how));
}
END_TEST

START_TEST(test_distances)
{

	ck_assert_int_eq(rc_damerau("anna", "anna"), 0);
	ck_assert_int_eq(rc_damerau("anna", "nana"), 1);
	ck_assert_int_eq(rc_damerau("kitten", "sitting"), 3);
	ck_assert(fabs(rc_jaro_winkler("martha", "marhta") - 0.9611) <
	    0.001);
	ck_assert(fabs(rc_jaro_winkler("dixon", "dicksonx") - 0.8133) <
	    0.001);
	ck_assert(rc_jaro_winkler("abc", "xyz") == 0.0);
}
END_TEST

START_TEST(test_rules)
{
	struct rc_rules		*r = rc_rules_new();
	struct rc_rule		 a = { 1, 1, RC_TARGET_CHANNEL, 0, "podcast" };
	struct rc_rule		 b = { 2, 2, RC_TARGET_ADVOCATE, 7, "" };
	struct rc_rule		 c = { 3, 3, RC_TARGET_REMOVED, 0, "" };
	struct rc_rule		 d = { 4, 4, RC_TARGET_ADVOCATE, 7, "" };
	const struct rc_rule	*f;

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(rc_rules_add(r, RC_TEXT_OTHER, "the show", &b), 0);
	ck_assert_int_eq(rc_rules_add(r, RC_TEXT_OTHER, "the show", &a), 0);
	f = rc_rules_find(r, RC_TEXT_OTHER, "the show");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->id, 2);	/* the higher version wins */
	ck_assert_ptr_null(rc_rules_find(r, RC_TEXT_REFERRER, "the show"));
	ck_assert_ptr_null(rc_rules_find(r, RC_TEXT_OTHER, "show"));
	/* A newest 'removed' version withdraws the rule, an undo (a
	 * higher version with a target) brings it back (issue 16). */
	ck_assert_int_eq(rc_rules_add(r, RC_TEXT_OTHER, "the show", &c), 0);
	ck_assert_ptr_null(rc_rules_find(r, RC_TEXT_OTHER, "the show"));
	ck_assert_int_eq(rc_rules_add(r, RC_TEXT_OTHER, "the show", &d), 0);
	f = rc_rules_find(r, RC_TEXT_OTHER, "the show");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->id, 4);
	rc_rules_free(r);
}
END_TEST

/* ------------------------------------------------------------ classify */

#define T0	1772366400000LL		/* 2026-03-01 12:00:00 UTC, in ms */
#define HOUR	3600000LL
#define DAY	(24 * HOUR)
#define WINDOW	(30 * DAY)
#define EMAIL_A	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define HASH_S	"5555555555555555555555555555555555555555555555555555555555555555"
#define HASH_V	"7777777777777777777777777777777777777777777777777777777777777777"
#define HASH_X	"9999999999999999999999999999999999999999999999999999999999999999"

/*
 * The world: link 1 is advocate 10's (referral, campaign 100), link 2
 * event 20's (campaign 100), link 3 a social post (campaign 101, code
 * ABCD2345).  Advocate 10 is Anna Kowalska (e-mail hash EMAIL_A, seen
 * on device HASH_S); event 20 is the Spring Meetup.  Survey 1 offers
 * friend, search, social, event, other and dunno (channel unknown).
 * HASH_V is over the velocity limit in the signups' hour.  The rule
 * maps "the podcast" typed as Other to channel podcast.
 */
static struct rc_world	 world;
static struct rc_link	 wlinks[3] = {
	{ 1, 10, 0, 100, "referral" },
	{ 2, 0, 20, 100, "event" },
	{ 3, 0, 0, 101, "social" },
};
static struct rc_advocate wadv[1] = { { 10, EMAIL_A, 100 } };
static struct rc_event	 wev[1] = { { 20, 100, 10 } };
static struct rc_option	 wopts[6] = {
	{ "referral", RC_FOLLOW_REFERRER },
	{ "search", RC_FOLLOW_NONE },
	{ "social", RC_FOLLOW_NONE },
	{ "event", RC_FOLLOW_TEXT },
	{ "other", RC_FOLLOW_OTHER },
	{ "unknown", RC_FOLLOW_NONE },
};
static const char *const woptkeys[6] = {
	"1 friend", "1 search", "1 social", "1 event", "1 other", "1 dunno",
};
static struct rc_rule	 wrule = { 5, 1, RC_TARGET_CHANNEL, 0, "podcast" };
static char		 mark[] = "";

static void
world_setup(void)
{
	size_t	 i;
	char	 k[96];

	memset(&world, 0, sizeof(world));
	world.links = rc_map_new();
	world.codes = rc_map_new();
	world.advocates = rc_map_new();
	world.events = rc_map_new();
	world.options = rc_map_new();
	world.selfhash = rc_map_new();
	world.velocity = rc_map_new();
	world.advnames = rc_names_new(0);
	world.evnames = rc_names_new(1);
	world.rules = rc_rules_new();
	world.window_ms = WINDOW;
	ck_assert_ptr_nonnull(world.rules);
	for (i = 0; i < 3; i++) {
		(void)snprintf(k, sizeof(k), "%lld", wlinks[i].id);
		ck_assert_int_eq(rc_map_put(world.links, k, &wlinks[i]), 0);
	}
	ck_assert_int_eq(rc_map_put(world.codes, "ABCD2345", &wlinks[2]), 0);
	ck_assert_int_eq(rc_map_put(world.advocates, "10", &wadv[0]), 0);
	ck_assert_int_eq(rc_map_put(world.events, "20", &wev[0]), 0);
	for (i = 0; i < 6; i++)
		ck_assert_int_eq(rc_map_put(world.options, woptkeys[i],
		    &wopts[i]), 0);
	ck_assert_int_eq(rc_map_put(world.selfhash, "10 " HASH_S, mark), 0);
	ck_assert_int_eq(rc_map_put(world.velocity,
	    HASH_V " 2026-03-01 12", mark), 0);
	ck_assert_int_eq(rc_names_add_name(world.advnames, 10,
	    "Anna Kowalska"), 0);
	ck_assert_int_eq(rc_names_add_name(world.evnames, 20,
	    "Spring Meetup"), 0);
	ck_assert_int_eq(rc_rules_add(world.rules, RC_TEXT_OTHER,
	    "the podcast", &wrule), 0);
}

static void
world_teardown(void)
{

	rc_map_free(world.links, NULL);
	rc_map_free(world.codes, NULL);
	rc_map_free(world.advocates, NULL);
	rc_map_free(world.events, NULL);
	rc_map_free(world.options, NULL);
	rc_map_free(world.selfhash, NULL);
	rc_map_free(world.velocity, NULL);
	rc_names_free(world.advnames);
	rc_names_free(world.evnames);
	rc_rules_free(world.rules);
}

/* A click of a case: when (ms before the signup), link, bot, shared. */
struct cclick {
	long long	 before;	/* 0: no click */
	long long	 link;
	int		 bot, shared;
};

static const struct {
	const char	*name;
	/* the signup */
	struct cclick	 clicks[3];	/* ids c0, c1, c2 in this order */
	int		 answered;	/* response_id 1, survey 1 */
	const char	*options, *other, *referrer, *followup, *code;
	const char	*email, *client, *resp_client;
	int		 vflag;
	/* its attribution */
	enum hs_class	 class;
	const char	*channel;
	long long	 advocate, event, campaign;
	const char	*tracked, *first;	/* click ids, "" for NULL */
	const char	*t_channel, *r_channel;
	const char	*rule;
	const char	*risk;
} classes[] = {
	{ "nothing", { { 0 } }, 0, "", "", "", "", "", "", "", "", 0,
	    HS_CLASS_UNATTRIBUTED, "none", 0, 0, 0, "", "", "", "", "none",
	    "" },
	{ "one click an hour before", { { HOUR, 1, 0, 0 } }, 0, "", "", "",
	    "", "", "", "", "", 0, HS_CLASS_TRACKED_ONLY, "referral", 10, 0,
	    100, "c0", "c0", "referral", "", "none", "" },
	{ "a click at the window's start is in it", { { WINDOW, 3, 0, 0 } },
	    0, "", "", "", "", "", "", "", "", 0, HS_CLASS_TRACKED_ONLY,
	    "social", 0, 0, 101, "c0", "c0", "social", "", "none", "" },
	{ "a click 1 ms before the window is not",
	    { { WINDOW + 1, 3, 0, 0 } }, 0, "", "", "", "", "", "", "", "", 0,
	    HS_CLASS_UNATTRIBUTED, "none", 0, 0, 0, "", "", "", "", "none",
	    "" },
	{ "a click 1 ms after the signup is not", { { -1, 1, 0, 0 } }, 0,
	    "", "", "", "", "", "", "", "", 0, HS_CLASS_UNATTRIBUTED, "none",
	    0, 0, 0, "", "", "", "", "none", "" },
	{ "a click at the signup's ms is", { { 0, 1, 0, 0 } }, 0, "", "", "",
	    "", "", "", "", "", 0, HS_CLASS_TRACKED_ONLY, "referral", 10, 0,
	    100, "c0", "c0", "referral", "", "none", "" },
	{ "only a bot click: unattributed, flagged",
	    { { HOUR, 1, 1, 0 } }, 0, "", "", "", "", "", "", "", "", 0,
	    HS_CLASS_UNATTRIBUTED, "none", 0, 0, 0, "", "", "", "", "none",
	    "bot_click" },
	{ "a bot click outside the window is no evidence",
	    { { WINDOW + HOUR, 1, 1, 0 } }, 0, "", "", "", "", "", "", "", "",
	    0, HS_CLASS_UNATTRIBUTED, "none", 0, 0, 0, "", "", "", "", "none",
	    "" },
	{ "a later bot click does not hide a human one",
	    { { 2 * HOUR, 3, 0, 0 }, { HOUR, 1, 1, 0 } }, 0, "", "", "", "",
	    "", "", "", "", 0, HS_CLASS_TRACKED_ONLY, "social", 0, 0, 101,
	    "c0", "c0", "social", "", "none", "" },
	{ "the last human click is tracked, the first kept",
	    { { 2 * DAY, 3, 0, 0 }, { HOUR, 1, 0, 0 } }, 0, "", "", "", "",
	    "", "", "", "", 0, HS_CLASS_TRACKED_ONLY, "referral", 10, 0, 100,
	    "c1", "c0", "referral", "", "none", "" },
	{ "a shared device's click", { { HOUR, 2, 0, 1 } }, 0, "", "", "",
	    "", "", "", "", "", 0, HS_CLASS_TRACKED_ONLY, "event", 0, 20, 100,
	    "c0", "c0", "event", "", "none", "shared_client" },
	{ "only the tracked click's device counts as shared",
	    { { 2 * HOUR, 3, 0, 1 }, { HOUR, 1, 0, 0 } }, 0, "", "", "", "",
	    "", "", "", "", 0, HS_CLASS_TRACKED_ONLY, "referral", 10, 0, 100,
	    "c1", "c0", "referral", "", "none", "" },
	{ "an option alone", { { 0 } }, 1, "search", "", "", "", "", "", "",
	    "", 0, HS_CLASS_REPORTED_ONLY, "search", 0, 0, 0, "", "", "",
	    "search", "option", "" },
	{ "an unknown-channel option is no answer", { { 0 } }, 1, "dunno",
	    "", "", "", "", "", "", "", 0, HS_CLASS_UNATTRIBUTED, "none", 0,
	    0, 0, "", "", "", "", "none", "" },
	{ "click and option agree",
	    { { HOUR, 3, 0, 0 } }, 1, "social", "", "", "", "", "", "", "", 0,
	    HS_CLASS_AGREE, "social", 0, 0, 101, "c0", "c0", "social",
	    "social", "option", "" },
	{ "click and option disagree: the click is credited",
	    { { HOUR, 3, 0, 0 } }, 1, "search", "", "", "", "", "", "", "", 0,
	    HS_CLASS_DISAGREE, "social", 0, 0, 101, "c0", "c0", "social",
	    "search", "option", "" },
	{ "of two options, the one that agrees",
	    { { HOUR, 3, 0, 0 } }, 1, "search social", "", "", "", "", "", "",
	    "", 0, HS_CLASS_AGREE, "social", 0, 0, 101, "c0", "c0", "social",
	    "social", "option", "" },
	{ "the referrer named agrees with the advocate's link",
	    { { HOUR, 1, 0, 0 } }, 1, "friend", "", "anna kowalska", "", "",
	    "", "", "", 0, HS_CLASS_AGREE, "referral", 10, 0, 100, "c0", "c0",
	    "referral", "referral", "name", "" },
	{ "a referrer named, no click", { { 0 } }, 1, "friend", "",
	    "Anna Kowalska", "", "", "", "", "", 0, HS_CLASS_REPORTED_ONLY,
	    "referral", 10, 0, 100, "", "", "", "referral", "name", "" },
	{ "Other text a rule maps", { { 0 } }, 1, "other", "The Podcast!",
	    "", "", "", "", "", "", 0, HS_CLASS_REPORTED_ONLY, "podcast", 0,
	    0, 0, "", "", "", "podcast", "rule:5", "" },
	{ "Other text nothing maps", { { 0 } }, 1, "other", "zzz qqq", "",
	    "", "", "", "", "", 0, HS_CLASS_REPORTED_ONLY, "other", 0, 0, 0,
	    "", "", "", "other", "unmatched", "" },
	{ "a typed code names the link", { { 0 } }, 1, "", "", "", "",
	    "abcd-2345", "", "", "", 0, HS_CLASS_REPORTED_ONLY, "social", 0,
	    0, 101, "", "", "", "social", "code", "" },
	{ "an event named in the follow-up agrees with its link",
	    { { HOUR, 2, 0, 0 } }, 1, "event", "", "", "spring meetup", "",
	    "", "", "", 0, HS_CLASS_AGREE, "event", 0, 20, 100, "c0", "c0",
	    "event", "event", "event", "" },
	{ "the advocate's own e-mail: self-referral",
	    { { HOUR, 1, 0, 0 } }, 0, "", "", "", "", "", EMAIL_A, "", "", 0,
	    HS_CLASS_TRACKED_ONLY, "referral", 10, 0, 100, "c0", "c0",
	    "referral", "", "none", "self_referral" },
	{ "the advocate's own device, answering: self-referral",
	    { { 0 } }, 1, "friend", "", "Anna Kowalska", "", "", "", "",
	    HASH_S, 0, HS_CLASS_REPORTED_ONLY, "referral", 10, 0, 100, "", "",
	    "", "referral", "name", "self_referral" },
	{ "another device: no flag", { { HOUR, 1, 0, 0 } }, 0, "", "", "", "",
	    "", "", HASH_X, HASH_X, 0, HS_CLASS_TRACKED_ONLY, "referral", 10,
	    0, 100, "c0", "c0", "referral", "", "none", "" },
	{ "a signup from a hash over the velocity limit that hour",
	    { { 0 } }, 0, "", "", "", "", "", "", HASH_V, "", 0,
	    HS_CLASS_UNATTRIBUTED, "none", 0, 0, 0, "", "", "", "", "none",
	    "velocity" },
	{ "an answer flagged by the survey", { { 0 } }, 1, "search", "", "",
	    "", "", "", "", "", 1, HS_CLASS_REPORTED_ONLY, "search", 0, 0, 0,
	    "", "", "", "search", "option", "velocity" },
	{ "three flags at once (the bot click is not the last human one)",
	    { { HOUR, 1, 0, 1 }, { HOUR / 2, 1, 1, 0 } }, 0, "", "", "", "",
	    "", EMAIL_A, HASH_V, "", 0, HS_CLASS_TRACKED_ONLY, "referral", 10,
	    0, 100, "c0", "c0", "referral", "", "none",
	    "self_referral,velocity,shared_client" },
};

START_TEST(test_classify)
{
	struct rc_item	*it;
	struct rc_attr	 a, b;
	char		 risk[128];
	size_t		 i;

	it = calloc(1, sizeof(*it));
	ck_assert_ptr_nonnull(it);
	(void)snprintf(it->ref, sizeof(it->ref), "ref-%d", _i);
	it->signup_id = 1;
	it->signed_ms = T0;
	for (i = 0; i < 3 && classes[_i].clicks[i].link != 0; i++) {
		(void)snprintf(it->clicks[i].id, sizeof(it->clicks[i].id),
		    "c%zu", i);
		it->clicks[i].at_ms = T0 - classes[_i].clicks[i].before;
		it->clicks[i].link_id = classes[_i].clicks[i].link;
		it->clicks[i].is_bot = classes[_i].clicks[i].bot;
		it->clicks[i].shared = classes[_i].clicks[i].shared;
	}
	it->nclicks = i;
	if (classes[_i].answered) {
		it->response_id = 1;
		it->survey_id = 1;
		it->answered_ms = T0 + HOUR;
	}
	(void)snprintf(it->options, sizeof(it->options), "%s",
	    classes[_i].options);
	(void)snprintf(it->other_text, sizeof(it->other_text), "%s",
	    classes[_i].other);
	(void)snprintf(it->referrer_text, sizeof(it->referrer_text), "%s",
	    classes[_i].referrer);
	(void)snprintf(it->followup_text, sizeof(it->followup_text), "%s",
	    classes[_i].followup);
	(void)snprintf(it->code_text, sizeof(it->code_text), "%s",
	    classes[_i].code);
	(void)snprintf(it->email_hash, sizeof(it->email_hash), "%s",
	    classes[_i].email);
	(void)snprintf(it->client_hash, sizeof(it->client_hash), "%s",
	    classes[_i].client);
	(void)snprintf(it->resp_client_hash, sizeof(it->resp_client_hash),
	    "%s", classes[_i].resp_client);
	it->velocity_flag = classes[_i].vflag;

	rc_classify(&world, it, &a);
	ck_assert_msg(a.class == classes[_i].class, "%s: class %s, not %s",
	    classes[_i].name, hs_classes[a.class],
	    hs_classes[classes[_i].class]);
	ck_assert_msg(strcmp(a.channel, classes[_i].channel) == 0,
	    "%s: channel %s", classes[_i].name, a.channel);
	ck_assert_msg(a.advocate == classes[_i].advocate &&
	    a.event == classes[_i].event &&
	    a.campaign == classes[_i].campaign,
	    "%s: advocate %lld event %lld campaign %lld", classes[_i].name,
	    a.advocate, a.event, a.campaign);
	ck_assert_msg(strcmp(a.tracked_click, classes[_i].tracked) == 0 &&
	    strcmp(a.first_click, classes[_i].first) == 0,
	    "%s: tracked '%s' first '%s'", classes[_i].name, a.tracked_click,
	    a.first_click);
	ck_assert_msg(strcmp(a.t_channel, classes[_i].t_channel) == 0 &&
	    strcmp(a.r_channel, classes[_i].r_channel) == 0,
	    "%s: tracked channel '%s' reported '%s'", classes[_i].name,
	    a.t_channel, a.r_channel);
	ck_assert_msg(strcmp(a.rule, classes[_i].rule) == 0,
	    "%s: rule %s", classes[_i].name, a.rule);
	hs_risk_str(a.risk, ",", risk, sizeof(risk));
	ck_assert_msg(strcmp(risk, classes[_i].risk) == 0, "%s: risk '%s'",
	    classes[_i].name, risk);
	ck_assert_str_eq(a.day, "2026-03-01");
	/* Deterministic: the same input gives the same bytes. */
	rc_classify(&world, it, &b);
	ck_assert_msg(memcmp(&a, &b, sizeof(a)) == 0, "%s: not deterministic",
	    classes[_i].name);
	free(it);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("reconcile");
	TCase	*tc;

	tc = tcase_create("normalise");
	tcase_add_loop_test(tc, test_norm, 0, sizeof(norms) / sizeof(norms[0]));
	tcase_add_test(tc, test_norm_invalid);
	tcase_add_test(tc, test_phonetic);
	tcase_add_loop_test(tc, test_norm_name, 0,
	    sizeof(names_norm) / sizeof(names_norm[0]));
	suite_add_tcase(s, tc);
	tc = tcase_create("shapes");
	tcase_add_checked_fixture(tc, shapes_setup, shapes_teardown);
	tcase_add_loop_test(tc, test_shapes, 0,
	    sizeof(shape_matches) / sizeof(shape_matches[0]));
	suite_add_tcase(s, tc);
	tc = tcase_create("match");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_match, 0,
	    sizeof(matches) / sizeof(matches[0]));
	tcase_add_test(tc, test_distances);
	suite_add_tcase(s, tc);
	tc = tcase_create("rules");
	tcase_add_test(tc, test_rules);
	suite_add_tcase(s, tc);
	tc = tcase_create("classify");
	tcase_add_checked_fixture(tc, world_setup, world_teardown);
	tcase_add_loop_test(tc, test_classify, 0,
	    sizeof(classes) / sizeof(classes[0]));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
