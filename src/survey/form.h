/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * form.h: what the files of the survey form share: the state of one
 * rendering (struct view), which every step from the query to the
 * thanks fills in, and the steps one file asks of another.
 *	form.c		the route's handler, the query, the form (GET)
 *			and the thanks
 *	form_page.c	the pages: templates, markup, security headers
 *	form_token.c	the order of the options and the signed form token
 *	form_post.c	a posted answer: gates, validation, storing
 * After survey.h.
 */
#ifndef FORM_H
#define FORM_H

#define FORM_MAX_TOKEN	512	/* bytes in a signed form token */
#define FORM_HONEYPOT	"website" /* the field a bot fills */

/* Everything one rendering of the form needs. */
struct view {
	struct survey_ctx	*c;
	const struct survey	*s;
	const struct hs_req	*r;
	size_t			 order[SURVEY_MAX_OPTIONS]; /* option indexes */
	size_t			 norder;
	const char		*token;		/* the signed form token */
	char			 click[SURVEY_CLICKID + 1];
	const char		*error;		/* inline message, or NULL */
	int			 posted;	/* re-show r->form values */
	int			 embed;		/* ?embed=1: in an iframe */
	const struct prior	*prior;		/* earlier answer, or NULL */
	int			 changed;	/* thanks: an answer replaced */
	const char		*title;		/* the link page's heading */
	char			 fieldmsg[256];	/* a bad field, named */
};

/* The query of the survey's pages (form.c's query_fields). */
enum { SQ_T, SQ_EMBED, SQ_CHANGED, SQ__MAX };

/* form.c */
int		 form_query(struct hs_req *, struct view *,
		    struct hs_fval [SQ__MAX]);
void		 form_click(struct survey_ctx *, const struct hs_req *,
		    char [SURVEY_CLICKID + 1]);

/* form_page.c */
const char	*form_posted(const struct view *, const char *);
int		 form_chosen(const struct hs_req *, const char *);
void		 form_show(struct view *, struct hs_req *, int, int);
void		 form_page(struct view *, struct hs_req *, enum page_tmpl, int);

/* form_token.c */
void		 form_order(struct view *);
enum hs_err	 form_sign(struct view *, const char *, int, struct hs_buf *)
		    HS_WUR;
int		 form_token_check(struct hs_req *, struct view *, const char *,
		    int *, char [SURVEY_NONCE + 1], char [SURVEY_MAX_REF + 1]);

/* form_post.c */
void		 form_post(struct hs_req *, struct survey_ctx *,
		    const struct survey *);

#endif /* !FORM_H */
