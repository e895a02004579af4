/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * link.h: hearsay-link's internal interface.  The program is split by
 * job: main.c (start, prefork), handle.c (one request), cache.c (the
 * link snapshot: written by the helper, read by the workers), loader.c
 * (the helper: snapshot, daily salt, journal loading, counters), click.c
 * (the click journal record: its encoder and decoder side by side) and
 * bots.c (user-agent classes and the bot list).  The destination check
 * it shares with hearsay-admin is core's (dest.c, hs_dest_valid).
 */
#ifndef LINK_H
#define LINK_H

#define LINK_SNAP_NAME	"links.snapshot"	/* in spool_dir */
#define LINK_JOURNAL	"clicks"		/* journal prefix */
#define CLICK_ID_LEN	32	/* hex characters of a click id */

/* bots.c */
enum ua_class {
	UA_DESKTOP = 0,
	UA_MOBILE,
	UA_TABLET,
	UA_BOT,
	UA_OTHER,
	UA__MAX
};
extern const char *const ua_names[UA__MAX];
enum ua_class	 link_ua_class(const char *, const char **);

/* click.c: the click journal record, encoder and decoder side by side. */
#define CLICK_REC_MAX	512	/* bytes of a record */
struct link_click {
	const char	*id;		/* CLICK_ID_LEN lower-case hex */
	long long	 ms;		/* when, ms since the epoch */
	long long	 link;		/* links.id */
	const char	*trigger;	/* "qr" or "link" */
	const char	*hash;		/* client hash (64 hex), or NULL */
	const char	*ua;		/* one of ua_names */
	const char	*referer;	/* referring host, or NULL */
	int		 bot;		/* 0 or 1 */
	const char	*reason;	/* why a bot, or NULL */
};
int		 link_click_encode(const struct link_click *, char *, size_t);
int		 link_click_decode(char *, struct link_click *);

/* cache.c: one link as the workers see it. */
struct link {
	const char	*code;		/* canonical code */
	long long	 id;		/* links.id */
	int		 disabled;	/* link or its campaign */
	long long	 valid_from;	/* epoch seconds, 0 if none */
	long long	 valid_until;	/* epoch seconds, 0 if none */
	const char	*dest;		/* stored destination, or "!" */
	const char	*utm;		/* encoded utm_*=... query, or "" */
	const char	*fallback;	/* link's or campaign's, or "" */
	const char	*hosts;		/* campaign's allowed hosts */
};
struct link_cache;
struct link_cache *link_cache_new(void);
void		 link_cache_free(struct link_cache *);
int		 link_cache_refresh(struct link_cache *, const char *);
const struct link *link_cache_get(const struct link_cache *, const char *);
size_t		 link_cache_count(const struct link_cache *);
int		 link_snap_field_ok(const char *);

/* loader.c: the helper process. */
struct linkd;
void		 link_helper(void *);

/* The program's state, shared by main.c, handle.c and loader.c. */
struct linkd {
	struct hs_conf		 conf;
	struct link_cache	*cache;		/* worker's snapshot */
	struct hs_journal	*journal;	/* worker's click journal */
	struct hs_tmpl		*notfound;	/* the 404 page */
	volatile unsigned long	*unrecorded;	/* shared with the master */
	char			 snap[1024];	/* snapshot path */
	char			 saltday[11];	/* day of salt[] */
	unsigned char		 salt[32];	/* today's client-hash salt */
	int			 havesalt;	/* salt[] is valid */
	int			 journal_warned; /* logged a lost click */
};
void		 link_handle(struct hs_req *, void *);
void		 link_nothere(struct hs_req *, void *);
#define LINK_NTMPLS	1	/* the 404 page */
extern const struct hs_tmpldef link_tmpls[LINK_NTMPLS];
int		 link_salt_path(const struct hs_conf *, const char *, char *,
		    size_t);

#endif /* !LINK_H */
