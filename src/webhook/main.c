/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * main.c: hearsay-webhook [-f config] [--force] [--id ID]
 * [--timeout SECONDS]: delivers what the webhooks are owed, once
 * (send.c), and exits.  A timer or cron line runs it every minute.
 * Exit status: 0 done (a receiver's failure is recorded on its webhook,
 * not an error here), 1 the sender's own failure, 2 usage.
 */
#include "config.h"

#include <err.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"
#include "webhook.h"

#define EXIT_USAGE	2

static void
usage(void)
{

	fprintf(stderr, "usage: hearsay-webhook [-f config] [--force] "
	    "[--id ID] [--timeout SECONDS]\n");
	exit(EXIT_USAGE);
}

/* A whole number from min to max, or usage. */
static long long
num(const char *s, long long min, long long max)
{
	char		*ep;
	long long	 v;

	v = strtoll(s, &ep, 10);
	if (*s == '\0' || *ep != '\0' || v < min || v > max)
		usage();
	return v;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "force", no_argument, NULL, 'F' },
		{ "id", required_argument, NULL, 'i' },
		{ "timeout", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	struct hs_conf	 conf;
	struct hw_opts	 o;
	char		 errbuf[256];
	int		 ch, rc;

	memset(&o, 0, sizeof(o));
	o.timeout = HW_TIMEOUT_SECS;
	hs_log_init("hearsay-webhook", HS_LOG_WARN);
	while ((ch = getopt_long(argc, argv, "f:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			break;	/* hs_conf_path reads it */
		case 'F':
			o.force = 1;
			break;
		case 'i':
			o.only = num(optarg, 1, LLONG_MAX);
			break;
		case 't':
			o.timeout = num(optarg, 1, HW_TIMEOUT_MAX);
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	hs_crypto_init();
	if (hs_conf_load(&conf, hs_conf_path(argc, argv), errbuf,
	    sizeof(errbuf)) != HS_OK)
		errx(EXIT_FAILURE, "%s", errbuf);
	rc = hw_send(&conf, &o);
	hs_conf_free(&conf);
	return rc;
}
