/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * admin.h: hearsay-admin's command areas.  main.c parses the global
 * options and holds the one table of commands; each area lives in its
 * own file with its statement table and the table of its subcommands
 * (struct adm_sub), whose options args.c parses, the same way for all.
 * A command returns the process exit status: 0 success, 1 failure,
 * 2 usage error.
 */
#ifndef ADMIN_H
#define ADMIN_H

struct adm {
	struct hs_conf	 conf;		/* loaded config */
	const char	*confpath;	/* where it came from */
};

#define ADM_OK		0
#define ADM_FAIL	1
#define ADM_USAGE	2

/* One option a subcommand takes: "--name VALUE", or a flag. */
struct adm_opt {
	const char	*name;		/* without the "--" */
	int		 flags;
#define ADM_REPEAT	0x01		/* may be given more than once */
#define ADM_FLAG	0x02		/* takes no value */
};

#define ADM_ARGS_MAX	32	/* options, and arguments, of one command */

/* A command line as args.c parsed it against its subcommand. */
struct adm_args {
	const char	*name[ADM_ARGS_MAX];	/* options given, in order */
	const char	*val[ADM_ARGS_MAX];	/* their values ("": a flag) */
	size_t		 n;
	const char	*pos[ADM_ARGS_MAX];	/* the other arguments */
	size_t		 npos;
};

/*
 * One subcommand ("campaign create"): its handler, how many arguments
 * it takes besides its options, the options, and its usage line (after
 * "hearsay-admin "; a continuation line starts with a newline).  A table
 * of them ends with a NULL handler; a command without subcommands
 * ("forget") has one entry named NULL.  A handler returns the exit
 * status, or ADM_SHOW_USAGE for arguments it refuses without a message
 * of its own.
 */
struct adm_sub {
	const char		*name;
	int			(*fn)(struct adm *, const struct adm_args *);
	int			 minpos, maxpos;	/* maxpos -1: any */
	const struct adm_opt	*opts;		/* ends with a NULL name */
	const char		*usage;
};
#define ADM_SHOW_USAGE	(-1)

/* args.c: the one option parser and the dispatcher. */
int		 adm_dispatch(struct adm *, const char *,
		    const struct adm_sub *, const char *, int, char **);
void		 adm_usage_lines(FILE *, const char *, const struct adm_sub *,
		    int);
const char	*adm_arg(const struct adm_args *, const char *);
long long	 adm_id(const char *);
const char	*adm_arg_next(const struct adm_args *, const char *,
		    size_t *);

/* open.c */
struct hs_db	*adm_open(struct adm *, const char *const *, size_t);
int		 adm_run_sql_file(struct hs_db *, const char *);

/*
 * links.c, links_adv.c, links_link.c (links.h): campaigns, advocates,
 * links (issue: invite links)
 */
extern const struct adm_sub adm_campaign_subs[], adm_advocate_subs[];
extern const struct adm_sub adm_link_subs[];
int	 adm_links_demo(struct adm *);

/* survey.c: surveys; apikey.c: API keys; forget.c: erasure */
extern const struct adm_sub adm_survey_subs[], adm_apikey_subs[];
extern const struct adm_sub adm_forget_subs[];
int	 adm_survey_demo(struct adm *);

/* events.c: events and host pages (issue: QR codes) */
extern const struct adm_sub adm_event_subs[], adm_host_subs[];
int	 adm_events_demo(struct adm *);

/* cost.c: the program's costs per campaign and month (issue 20) */
extern const struct adm_sub adm_cost_subs[];

/* webhook.c: signed webhooks on new answers (issue: survey) */
extern const struct adm_sub adm_webhook_subs[];

/* advocate.c: advocates' own pages and share texts (issue 17) */
int	 adm_advocate_page(struct adm *, const struct adm_args *);
extern const struct adm_sub adm_share_subs[];
int	 adm_advocates_demo(struct adm *);

/* users.c: analyst accounts (issue: report) */
extern const struct adm_sub adm_user_subs[];
int	 adm_users_demo(struct adm *);

#endif /* !ADMIN_H */
