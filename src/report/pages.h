/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * pages.h: what the page families of hearsay-report share (page_util.c):
 * the range a request selects, dates, the layout, downloads, headings.
 * One file per page family: page_overview.c, page_queue.c, ...; a large
 * family a few files around its own header (overview.h, cohorts.h).
 */
#ifndef PAGES_H
#define PAGES_H

#define RANGE_DEFAULT	30	/* days shown when no range is given */
#define RANGE_MAX	(2 * 366) /* days in one range at most */
#define MATRIX_MAX	24	/* channels on each axis of the heatmap */
#define CHANNEL_MAX	32	/* bytes of a channel name */
#define RISKS_MAX	64	/* bytes of every risk flag's name, joined */

/*
 * Channels an analyst can map a text to, the risk flags and the classes
 * (stacked in their order) are core's vocabulary (vocab.c), the words
 * hearsay-reconcile writes.
 */
#define NCLASSES	HS_CLASS__MAX

#define NCOLS(a)	(sizeof(a) / sizeof(a[0]))

/* Sort keys of the advocates table: the allowlist. */
#define NSORTS		5
extern const char *const sorts[NSORTS];

/* The request's selection, validated. */
struct range {
	char		 from[11];	/* YYYY-MM-DD, inclusive */
	char		 to[11];	/* inclusive */
	char		 next[11];	/* the day after to */
	long		 day0;		/* from, as days since 1970-01-01 */
	size_t		 ndays;
	long long	 campaign;	/* 0: all */
	const char	*sort;		/* from sorts[] */
};

long		 days_from_civil(long, unsigned, unsigned);
void		 fmt_day(long, char [11]);
int		 parse_day(const char *, long *);
int		 qget(const struct hs_req *, const char *, const char **);
enum hs_err	 put_pct(struct rtable *, long long, long long) HS_WUR;
enum hs_err	 put_stat(struct rtable *, double, double, int) HS_WUR;
int		 parse_range(struct report *, const struct hs_req *,
		    const struct sess *, struct range *, const char **);
void		 download(struct hs_req *, const struct rtable *, int);
void		 download_range(struct hs_req *, const struct rtable *, int,
		    const struct range *);
int		 parse_format(const struct hs_req *, const char *const *,
		    size_t, size_t *);
enum hs_err	 range_link(const struct hs_out *, const struct range *,
		    const char *);
enum hs_err	 downloads(const struct hs_out *, const struct range *,
		    const char *);
enum hs_err	 kpi(const struct hs_out *, const char *, const char *,
		    const char *, const char *, const char *, const char *);
void		 fmt_pct(char *, size_t, long long, long long);
void		 fmt_stat(char *, size_t, double);
enum hs_err	 section(const struct hs_out *, const char *, const char *,
		    const char *);
void		 unavailable(struct hs_req *);

/* hw.c: an HTML writer that quotes by construction; the first error
 * sticks in e.  Attributes are NULL-ended name, value pairs. */
struct hw {
	const struct hs_out *o;
	enum hs_err	 e;
};
void		 hw_init(struct hw *, const struct hs_out *);
void		 hw_open(struct hw *, const char *, ...)
		    __attribute__((sentinel));
void		 hw_close(struct hw *, const char *);
void		 hw_raw(struct hw *, const char *);
void		 hw_text(struct hw *, const char *);
void		 hw_textf(struct hw *, const char *, ...) HS_PRINTF(2, 3);
void		 hw_elem(struct hw *, const char *, const char *, ...)
		    __attribute__((sentinel));
/* A void element (input, br) is only opened: no text, no end tag. */
#define hw_void	hw_open
void		 hw_hidden(struct hw *, const char *, const char *);
void		 hw_csrf(struct hw *, const struct sess *);
void		 hw_key(struct hw *, const struct sess *, const char *,
		    const char *, const char *);

/* page_rules.c: targets, kinds of text and the rules' shared parts. */
struct target {
	const char	*kind;		/* channel, advocate, event, ignore */
	const char	*name;		/* channel, handle or slug */
	long long	 id;		/* advocates.id or events.id, else 0 */
};
const char	*text_kind_label(const char *);
extern const char *const text_kinds[];
const char	*target_parse(const char *, struct target *);
enum hs_err	 target_resolve(struct hs_db *, struct target *);
void		 hw_targets(struct hw *, struct report *);

#endif /* !PAGES_H */
