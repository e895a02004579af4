/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * webhook.h: hearsay-webhook, the sender of survey-answer webhooks.
 * main.c reads the options, send.c makes one run.
 */
#ifndef WEBHOOK_H
#define WEBHOOK_H

#define HW_TIMEOUT_SECS	15	/* whole request, by default */
#define HW_TIMEOUT_MAX	120	/* --timeout cap */

struct hw_opts {
	int		 force;		/* ignore each webhook's backoff */
	long long	 only;		/* one webhook's id, or 0 for all */
	long long	 timeout;	/* seconds per request */
};

int	 hw_send(const struct hs_conf *, const struct hw_opts *);

#endif /* !WEBHOOK_H */
