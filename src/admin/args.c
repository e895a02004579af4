/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * args.c: hearsay-admin's one option parser.  Every subcommand declares
 * its options and how many other arguments it takes (struct adm_sub);
 * this file finds the subcommand, parses its command line the same way
 * for all of them and prints the usage when the line does not fit:
 *
 *	--name VALUE	an option the subcommand declares, anywhere on the
 *			line; given once unless ADM_REPEAT
 *	--name		a flag (ADM_FLAG)
 *	ARG		any other argument, in order
 */
#include "config.h"

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"
#include "admin.h"

/*
 * Prints the usage lines of subs (all of them, or only the one named
 * sub), the first after "usage:", for the command cmd.
 */
static void
usage_print(const char *cmd, const struct adm_sub *subs,
    const struct adm_sub *only, const char *note)
{
	const struct adm_sub	*s;
	const char		*u, *nl;
	int			 first = 1;

	for (s = subs; s->fn != NULL; s++) {
		if (only != NULL && s != only)
			continue;
		for (u = s->usage; u != NULL; u = nl != NULL ? nl + 1 : NULL) {
			nl = strchr(u, '\n');
			if (u == s->usage)
				fprintf(stderr, "%s hearsay-admin %s%s",
				    first ? "usage:" : "      ", cmd,
				    *u != '\0' ? " " : "");
			fprintf(stderr, "%.*s\n", nl != NULL ? (int)(nl - u) :
			    (int)strlen(u), u);
			first = 0;
		}
	}
	if (note != NULL)
		fprintf(stderr, "%s\n", note);
}

/*
 * The line of cmd in hearsay-admin's own usage: its usage if it has no
 * subcommands, else the names of its subcommands.
 */
void
adm_usage_lines(FILE *fp, const char *cmd, const struct adm_sub *subs,
    int first)
{
	const struct adm_sub	*s;

	fprintf(fp, "%s hearsay-admin %s", first ? "usage:" : "      ", cmd);
	if (subs[0].name == NULL) {
		if (subs[0].usage[0] != '\0')
			fprintf(fp, " %s", subs[0].usage);
		fputc('\n', fp);
		return;
	}
	for (s = subs; s->fn != NULL; s++)
		fprintf(fp, "%s%s", s == subs ? " " : "|", s->name);
	fprintf(fp, " ...\n");
}

/* Returns the option name of sub, or NULL after a message. */
static const struct adm_opt *
opt_find(const struct adm_sub *sub, const char *name)
{
	const struct adm_opt	*o;

	for (o = sub->opts; o != NULL && o->name != NULL; o++)
		if (strcmp(o->name, name) == 0)
			return o;
	warnx("unknown option --%s", name);
	return NULL;
}

/*
 * Parses argv against sub into args.  Returns 0, or -1 (after a message
 * where the usage alone would not say what is wrong).
 */
static int
parse(const struct adm_sub *sub, int argc, char **argv,
    struct adm_args *args)
{
	const struct adm_opt	*o;
	int			 i;

	memset(args, 0, sizeof(*args));
	for (i = 0; i < argc; i++) {
		if (strncmp(argv[i], "--", 2) != 0 || argv[i][2] == '\0') {
			if (args->npos == ADM_ARGS_MAX)
				return -1;
			args->pos[args->npos++] = argv[i];
			continue;
		}
		if ((o = opt_find(sub, argv[i] + 2)) == NULL)
			return -1;
		if (!(o->flags & ADM_REPEAT) && adm_arg(args, o->name) !=
		    NULL) {
			warnx("--%s given twice", o->name);
			return -1;
		}
		if (args->n == ADM_ARGS_MAX)
			return -1;
		args->name[args->n] = o->name;
		if (o->flags & ADM_FLAG)
			args->val[args->n++] = "";
		else if (i + 1 < argc)
			args->val[args->n++] = argv[++i];
		else {
			warnx("--%s needs a value", o->name);
			return -1;
		}
	}
	if ((int)args->npos < sub->minpos ||
	    (sub->maxpos >= 0 && (int)args->npos > sub->maxpos))
		return -1;
	return 0;
}

/*
 * Runs "hearsay-admin cmd ..." (argv[0] is cmd) by its table subs:
 * finds the subcommand, parses its options and calls its handler.
 * note, if not NULL, follows the command's usage.  Returns the exit
 * status.
 */
int
adm_dispatch(struct adm *a, const char *cmd, const struct adm_sub *subs,
    const char *note, int argc, char **argv)
{
	const struct adm_sub	*sub = subs;
	struct adm_args		 args;
	int			 rc;

	argc--;
	argv++;
	if (subs[0].name != NULL) {
		for (; argc > 0 && sub->fn != NULL; sub++)
			if (strcmp(sub->name, argv[0]) == 0)
				break;
		if (argc == 0 || sub->fn == NULL) {
			usage_print(cmd, subs, NULL, note);
			return ADM_USAGE;
		}
		argc--;
		argv++;
	}
	if (parse(sub, argc, argv, &args) == -1) {
		usage_print(cmd, subs, sub, NULL);
		return ADM_USAGE;
	}
	if ((rc = sub->fn(a, &args)) == ADM_SHOW_USAGE) {
		usage_print(cmd, subs, sub, NULL);
		rc = ADM_USAGE;
	}
	return rc;
}

/*
 * The row id a command names: a positive decimal number, or 0 when s is
 * anything else (a handle, a slug, a typo).
 */
long long
adm_id(const char *s)
{
	char		*ep;
	long long	 v;

	v = strtoll(s, &ep, 10);
	return *s != '\0' && *ep == '\0' && v > 0 ? v : 0;
}

/* Returns the value of option name, or NULL if it was not given. */
const char *
adm_arg(const struct adm_args *args, const char *name)
{
	size_t	 i = 0;

	return adm_arg_next(args, name, &i);
}

/*
 * The values of a repeated option, one per call from *i = 0: returns
 * the next, or NULL after the last.
 */
const char *
adm_arg_next(const struct adm_args *args, const char *name, size_t *i)
{

	for (; *i < args->n; (*i)++)
		if (strcmp(args->name[*i], name) == 0)
			return args->val[(*i)++];
	return NULL;
}
