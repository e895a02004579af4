/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * link.h: hearsay-link's internal interface.  The program is split by
 * job: main.c (start, prefork), handle.c (one request), cache.c (the
 * link snapshot: written by the helper, read by the workers), loader.c
 * (the helper: snapshot, daily salt, journal loading, counters), bots.c
 * (user-agent classes and the bot list) and dest.c (the destination
 * validator, also linked into hearsay-admin).
 */
#ifndef LINK_H
#define LINK_H

#define LINK_DEST_MAX	2000	/* bytes in a stored destination */
#define LINK_HOSTS_MAX	1000	/* bytes in a campaign's host list */
#define LINK_LOC_MAX	4096	/* bytes in a Location we build */
#define LINK_SNAP_NAME	"links.snapshot"	/* in spool_dir */
#define LINK_JOURNAL	"clicks"		/* journal prefix */
#define CLICK_ID_LEN	32	/* hex characters of a click id */

/* dest.c: the one destination check, at store time and at redirect. */
int		 link_dest_valid(const char *, const char *, const char **);
int		 link_host_allowed(const char *, size_t, const char *);

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
#define LINK_NTMPLS	1	/* the 404 page */
extern const struct hs_tmpldef link_tmpls[LINK_NTMPLS];
int		 link_salt_path(const struct hs_conf *, const char *, char *,
		    size_t);

#endif /* !LINK_H */
