/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * main.c: hearsay-reconcile, the nightly reconciliation of what people
 * said with what links tracked (issue 6).  A command-line batch job run
 * by cron or a systemd timer, not a FastCGI program: this file only
 * parses the command line, loads the configuration, opens the database
 * and hands over to run.c (a run), summary.c (--summary, map).
 * Exit statuses: reconcile.h and hearsay-reconcile(8).
 */
#include "config.h"

#include <err.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hearsay.h"
#include "reconcile.h"

#define CHUNK_MAX	100000	/* largest --chunk */

static void
usage(void)
{

	fprintf(stderr,
	    "usage: hearsay-reconcile [-f config] [--full | --since T "
	    "[--until T]] [--dry-run | --cohorts]\n"
	    "           [--export csv|json] [--output file] [--chunk n] "
	    "[--lease-ttl s] [--quiet]\n"
	    "           [--timings]\n"
	    "       hearsay-reconcile [-f config] --summary [--since D] "
	    "[--until D]\n"
	    "       hearsay-reconcile [-f config] map --text TEXT "
	    "(--advocate HANDLE | --channel C |\n"
	    "           --event SLUG | --ignore) [--kind other_text|"
	    "referrer_text|event_text]\n");
	exit(RC_EXIT_USAGE);
}

/* SIGTERM, SIGINT: finish the chunk in hand, then stop. */
static void
onsignal(int sig)
{

	(void)sig;
	rc_stop = 1;
}

/* A positive integer option, or usage. */
static long long
num(const char *s, long long max)
{
	char		*end;
	long long	 v;

	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < 1 || v > max)
		usage();
	return v;
}

/* A time bound: "YYYY-MM-DD" or "YYYY-MM-DD HH:MM[:SS]", or usage. */
static const char *
when(const char *s)
{
	int	 y, m, d, h, mi, se, n;

	n = sscanf(s, "%4d-%2d-%2d %2d:%2d:%2d", &y, &m, &d, &h, &mi, &se);
	if ((n != 3 && n != 5 && n != 6) || strlen(s) > 19 || m < 1 ||
	    m > 12 || d < 1 || d > 31)
		usage();
	return s;
}

/* What the command line asks besides a run's options. */
struct args {
	const char	*text, *adv, *ch, *ev, *kind, *output;
	int		 summary, map, ignore;
};

static const struct option longopts[] = {
	{ "full", no_argument, NULL, 'F' },
	{ "since", required_argument, NULL, 's' },
	{ "until", required_argument, NULL, 'u' },
	{ "dry-run", no_argument, NULL, 'n' },
	{ "export", required_argument, NULL, 'e' },
	{ "output", required_argument, NULL, 'o' },
	{ "summary", no_argument, NULL, 'S' },
	{ "chunk", required_argument, NULL, 'c' },
	{ "lease-ttl", required_argument, NULL, 'l' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "text", required_argument, NULL, 't' },
	{ "advocate", required_argument, NULL, 'a' },
	{ "channel", required_argument, NULL, 'C' },
	{ "event", required_argument, NULL, 'E' },
	{ "ignore", no_argument, NULL, 'I' },
	{ "kind", required_argument, NULL, 'k' },
	{ "timings", no_argument, NULL, 'T' },
	{ "cohorts", no_argument, NULL, 'K' },
	{ NULL, 0, NULL, 0 }
};

/* The options of --summary, --output and map, or usage. */
static void
map_option(int c, struct args *a)
{

	switch (c) {
	case 'o':
		a->output = optarg;
		break;
	case 'S':
		a->summary = 1;
		break;
	case 't':
		a->text = optarg;
		break;
	case 'a':
		a->adv = optarg;
		break;
	case 'C':
		a->ch = optarg;
		break;
	case 'E':
		a->ev = optarg;
		break;
	case 'I':
		a->ignore = 1;
		break;
	case 'k':
		a->kind = optarg;
		break;
	default:
		usage();
	}
}

/* One option c (its argument in optarg) into o and a, or usage. */
static void
option(int c, struct rc_opts *o, struct args *a)
{

	switch (c) {
	case 'f':
		break;	/* hs_conf_path reads it */
	case 'F':
		o->mode = RC_MODE_FULL;
		break;
	case 's':
		o->since = when(optarg);
		break;
	case 'u':
		o->until = when(optarg);
		break;
	case 'n':
		o->dry_run = 1;
		break;
	case 'e':
		if (strcmp(optarg, "csv") == 0)
			o->export = RC_FMT_CSV;
		else if (strcmp(optarg, "json") == 0)
			o->export = RC_FMT_JSON;
		else
			usage();
		break;
	case 'c':
		o->chunk = num(optarg, CHUNK_MAX);
		break;
	case 'l':
		o->lease_secs = (int)num(optarg, 86400);
		break;
	case 'q':
		o->quiet = 1;
		break;
	case 'T':
		o->timings = 1;
		break;
	case 'K':
		o->cohorts = 1;
		break;
	default:
		map_option(c, a);
	}
}

/*
 * The command line into o and a: options, the one operand ("map"), and
 * the combinations that make sense (usage otherwise).
 */
static void
parse(int argc, char *argv[], struct rc_opts *o, struct args *a)
{
	int	 c, targets;

	memset(o, 0, sizeof(*o));
	memset(a, 0, sizeof(*a));
	o->mode = RC_MODE_INCREMENTAL;
	o->lease_secs = RC_LEASE_SECS;
	o->chunk = RC_CHUNK;
	o->out = stdout;
	while ((c = getopt_long(argc, argv, "f:q", longopts, NULL)) != -1)
		option(c, o, a);
	/* GNU getopt_long moves the one operand, "map", to the end. */
	if (optind == argc - 1 && strcmp(argv[optind], "map") == 0)
		a->map = 1;
	else if (optind != argc)
		usage();
	targets = (a->adv != NULL) + (a->ch != NULL) + (a->ev != NULL) +
	    a->ignore;
	if (a->map && (a->text == NULL || targets != 1))
		usage();
	if (!a->map && (a->text != NULL || targets != 0 || a->kind != NULL))
		usage();
	if (o->mode == RC_MODE_FULL && (o->since != NULL || o->until != NULL))
		usage();
	/* A dry run writes nothing, the cohort tables included. */
	if (o->cohorts && (o->dry_run || a->summary || a->map))
		usage();
	if (o->mode != RC_MODE_FULL && (o->since != NULL ||
	    o->until != NULL) && !a->summary)
		o->mode = RC_MODE_WINDOW;
	if (o->mode == RC_MODE_WINDOW && o->since == NULL)
		usage();
	o->progress = isatty(STDERR_FILENO) && !o->quiet;
}

/* SIGTERM and SIGINT finish the chunk in hand; SIGPIPE is ignored. */
static void
signals(void)
{
	struct sigaction	 sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = onsignal;
	sa.sa_flags = SA_RESTART;
	(void)sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigaction(SIGINT, &sa, NULL);
	(void)signal(SIGPIPE, SIG_IGN);
}

int
main(int argc, char *argv[])
{
	struct hs_conf		 conf;
	struct rc_opts		 o;
	struct args		 a;
	struct hs_db		*db = NULL;
	char			 errbuf[256];
	int			 ex;
	enum hs_err		 e;

	hs_log_init("hearsay-reconcile", HS_LOG_WARN);
	parse(argc, argv, &o, &a);
	hs_crypto_init();
	if ((e = hs_conf_load(&conf, hs_conf_path(argc, argv), errbuf,
	    sizeof(errbuf))) != HS_OK)
		errx(RC_EXIT_USAGE, "%s", errbuf);
	o.keep_days = conf.retention_days;
	if (rc_stmts_init() != 0)
		errx(RC_EXIT_FAIL, "out of memory");
	if (a.output != NULL && (o.out = fopen(a.output, "w")) == NULL)
		err(RC_EXIT_FAIL, "%s", a.output);
	signals();
	if ((e = hs_db_open(&db, &conf, HS_DB_BATCH, rc_stmts,
	    STMT__MAX)) != HS_OK) {
		hs_db_close(db);
		hs_conf_free(&conf);
		errx(e == HS_EAGAIN ? RC_EXIT_UNAVAIL : RC_EXIT_FAIL,
		    "database: %s", hs_strerror(e));
	}
	if (a.map)
		ex = rc_map_text(db, a.text, a.kind, a.adv, a.ch, a.ev);
	else if (a.summary)
		ex = rc_summary(db, o.since, o.until, o.out);
	else
		ex = rc_run(db, &conf, &o);
	hs_db_close(db);
	if (a.output != NULL && fclose(o.out) != 0 && ex == RC_EXIT_OK)
		ex = RC_EXIT_FAIL;
	hs_conf_free(&conf);
	rc_stmts_free();
	return ex;
}
