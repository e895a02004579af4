/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * overview.h: what the files of the overview (GET /admin/) share.
 *	page_overview.c		the handler: what a request needs, loaded,
 *				then the page or one table's download
 *	overview_tables.c	the tables: names, columns, titles, links
 *	overview_data.c		the loaders, from the nightly rollups
 *	overview_html.c		the page: filters, key figures, sections
 * After report.h and pages.h.
 */
#ifndef OVERVIEW_H
#define OVERVIEW_H

#define ADVOCATES_MAX	25	/* rows of the advocates table */
#define EVENTS_MAX	50	/* rows of the events table */

enum otable {
	OT_SHARE,
	OT_CLASSES,
	OT_MATRIX,
	OT_AGREEMENT,
	OT_ADVOCATES,
	OT_EVENTS,
	OT_FUNNEL,
	OT_POSITIONS,
	OT_DECOY,
	OT__MAX
};

/* Everything the overview shows. */
struct overview {
	struct range	 rg;
	struct rtable	 t[OT__MAX];
	char		(*labels)[11];	/* one per day */
	const char	**x;		/* pointers into labels */
	double		*ref[3];	/* tracked, reported, union share */
	double		*cls[NCLASSES];	/* signups by class */
	long long	 signups, tref, rref, uref, reported, free_text,
			 free_mapped, answers, decoys;
	char		 chan[MATRIX_MAX][CHANNEL_MAX + 1];
	size_t		 nchan;
	long long	 cells[MATRIX_MAX * MATRIX_MAX];
	struct hs_agreement ag;	/* core's metrics.c: one set of rules */
	long long	 p_signups, p_tref, p_rref, p_uref; /* the period
					   of as many days before */
	long long	 p_answers, p_decoys;
	struct hs_agreement p_ag;
	char		 evslug[EVENTS_MAX][RPT_NAME_MAX + 1]; /* per row */
	const struct sess *s;
};

/* One table of the overview, as rt_init takes it; its cells' links read
 * the overview (harg). */
struct otdef {
	const char		*title;
	const struct rtcol	*cols;
	size_t			 ncols;
	size_t			 max;	/* rows at most */
	int			(*href)(const struct rtable *, size_t, size_t,
				    char *, size_t);	/* or NULL */
};

/* overview_tables.c */
extern const char *const otnames[OT__MAX];
extern const struct otdef otdefs[OT__MAX];
size_t		 su_base(char *, size_t, const struct range *, const char *,
		    const char *);

/* overview_data.c */
enum hs_err	 ov_load_days(struct report *, struct overview *) HS_WUR;
enum hs_err	 ov_load_prev(struct report *, struct overview *) HS_WUR;
enum hs_err	 ov_load_matrix(struct report *, struct overview *) HS_WUR;
enum hs_err	 ov_load_advocates(struct report *, struct overview *) HS_WUR;
enum hs_err	 ov_load_events(struct report *, struct overview *) HS_WUR;
enum hs_err	 ov_load_survey(struct report *, struct overview *) HS_WUR;

/* overview_html.c: the page's main part, for page_render (arg). */
struct ovbody {
	struct report	*rp;
	struct overview	*ov;
};
enum hs_err	 overview_body(const struct hs_out *, void *);

#endif /* !OVERVIEW_H */
