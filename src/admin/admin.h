/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * admin.h: hearsay-admin's command areas.  main.c parses the global
 * options and dispatches "hearsay-admin AREA ..." to one function per
 * area; each area lives in its own file with its own statement table.
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

/* open.c */
struct hs_db	*adm_open(struct adm *, const char *const *, size_t);
int		 adm_run_sql_file(struct hs_db *, const char *);

/* links.c: campaigns, advocates, links (issue: invite links) */
int	 adm_campaign(struct adm *, int, char **);
int	 adm_advocate(struct adm *, int, char **);
int	 adm_link(struct adm *, int, char **);
int	 adm_links_demo(struct adm *);

/* survey.c: surveys, API keys, signups, erasure */
int	 adm_survey(struct adm *, int, char **);
int	 adm_apikey(struct adm *, int, char **);
int	 adm_forget(struct adm *, int, char **);
int	 adm_survey_demo(struct adm *);

/* events.c: events and host pages (issue: QR codes) */
int	 adm_event(struct adm *, int, char **);

/* cost.c: the program's costs per campaign and month (issue 20) */
int	 adm_cost(struct adm *, int, char **);
int	 adm_host(struct adm *, int, char **);
int	 adm_events_demo(struct adm *);

/* webhook.c: signed webhooks on new answers (issue: survey) */
int	 adm_webhook(struct adm *, int, char **);

/* advocate.c: advocates' own pages and share texts (issue 17) */
int	 adm_advocate_page(struct adm *, int, char **);
int	 adm_share(struct adm *, int, char **);
int	 adm_advocates_demo(struct adm *);

/* users.c: analyst accounts (issue: report) */
int	 adm_user(struct adm *, int, char **);
int	 adm_users_demo(struct adm *);

#endif /* !ADMIN_H */
