/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * manage.h: what the files of the manage and account pages share (issue
 * 18; see manage.c for the rules they keep).  One job a file:
 *
 *	manage.c		the page, its routes and its lists
 *	manage_sql.c		the statements, on the manage handle
 *	manage_form.c		the forms: fields, markup, reading, checks
 *	manage_change.c		a change's unit: audit row, save, disable
 *	manage_campaign.c	campaigns: checks, store, share texts
 *	manage_link.c		links and advocates: checks, store
 *	manage_event.c		events: create, edit, links, host pages
 *	manage_import.c		CSV import of advocates and links
 *	manage_account.c	/admin/account: password, sign-out
 */
#ifndef MANAGE_H
#define MANAGE_H

#define FIELDS_MAX	16	/* fields of one form */
#define VALUE_MAX	(4 * HS_SHARE_BODY_MAX)	/* bytes of a field's value */
#define DESC_MAX	32768	/* bytes of an object's audit text */
#define LIST_MAX	500	/* rows of each list on the page */

/* manage_sql.c: the statements of the manage handle. */
enum mstmt {
	M_AUDIT_ADD,
	M_AUDIT_AFTER,
	M_NONCE,
	M_MOVED,
	M_CAMP_DESC,
	M_CAMP_GET,
	M_CAMP_ADD,
	M_CAMP_SET,
	M_CAMP_ABLE,
	M_CAMP_LIST,
	M_ADV_DESC,
	M_ADV_GET,
	M_ADV_ADD,
	M_ADV_SET,
	M_ADV_ABLE,
	M_ADV_LIST,
	M_ADV_ID,
	M_LINK_DESC,
	M_LINK_GET,
	M_LINK_ADD,
	M_LINK_SET,
	M_LINK_ABLE,
	M_LINK_LIST,
	M_AUDIT_LIST,
	M_CLICKS_LINK,
	M_CLICKS_ADV,
	M_PW_GET,
	M_PW_SET,
	M_SESS_OTHERS,
	M_SESS_ALL,
	M_CAMP_FORM,
	M_SHARE_SET,
	M_SHARE_DEL,
	M_SAVEPOINT,
	M_SAVEPOINT_BACK,
	M_CAMP_LINKS,
	M_EV_DESC,
	M_EV_GET,
	M_EV_SET,
	M_EV_ABLE,
	M_EV_LINKS_ABLE,
	M_EV_LIST,
	M_EV_ADD,
	M_EV_ID,
	M_EV_LINK_ADD,
	M_EV_LINK_OWNER,
	M_EV_LINKS,
	M_TOKEN_ADD,
	M_TOKEN_REVOKE,
	M_TOKEN_ACTIVE,
	M_FLAG_LOCK,
	M_FLAG_STATE,
	M_FLAG_ADD,
	M_FLAG_MARK,
	M__MAX
};

struct hs_db	*manage_db(struct report *);

/* manage_form.c: the kinds of object and their forms. */
enum kind {
	K_CAMPAIGN,
	K_ADVOCATE,
	K_LINK,
	K_EVENT,
	K__MAX
};

extern const char *const manage_kinds[K__MAX + 1];	/* NULL-ended */

enum ftype {
	F_TEXT,		/* one line */
	F_URL,		/* one line, an http(s) URL */
	F_AREA,		/* lines */
	F_STATUS,	/* active, paused, removed */
	F_CHECK,	/* on or empty */
	F_CAMPAIGN,	/* a campaign's slug, from a list */
};

struct fdef {
	const char	*name;
	const char	*label;
	enum ftype	 type;
	size_t		 max;		/* bytes */
	int		 req;		/* required */
	const char	*hint;		/* NULL: none */
	int		 fixed;		/* not changed on edit */
};

/* The fields of each kind: the first names the object. */
struct mkind {
	const struct fdef	*f;
	size_t			 n;
	const char		*title;
};

extern const struct mkind manage_forms[K__MAX];

/* One form as shown: its values, and the reason one was refused. */
struct mform {
	enum kind	 kind;
	int		 edit;		/* 1: an existing object */
	int		 disabled;	/* its state, when edit */
	char		 v[FIELDS_MAX][VALUE_MAX + 1];
	int		 bad;		/* field refused, or -1 */
	const char	*why;		/* why (a constant), or NULL */
};

/* What a manage page shows. */
struct import;

struct mview {
	struct report	*rp;
	struct hs_db	*db;
	const struct sess *s;
	struct mform	*f;		/* the form shown first */
	const char	*notice;	/* a line above everything, or NULL */
	const char	*hostpage;	/* a host page's URL, shown once */
	int		 denied;	/* analyst: the 403 text only */
	struct import	*imp;		/* an import's result */
};

/* manage.c: markup through the report's writer (pages.h, struct hw). */
struct hw;

enum hs_err	 manage_body(const struct hs_out *, void *);
void		 manage_unavailable(struct hs_req *);
void		 manage_render_host(struct report *, struct hs_req *,
		    const struct sess *, struct mform *, const char *);

/* manage_form.c */
void		 manage_hidden(struct hw *, const struct sess *);
void		 form_html(struct hw *, struct mview *,
		    const struct mform *);
int		 form_load(struct hs_db *, struct mform *, const char *);
int		 form_read(struct mform *,
		    const char *(*)(void *, const char *), void *);

/* manage_change.c: one change, for its unit. */
struct change {
	struct mform	*f;
	const struct sess *s;
	const char	*op;		/* save, disable, enable */
	const char	*nonce;
	char		 key[VALUE_MAX + 1];	/* slug, handle, code */
	int		 replay;	/* out: the nonce was used already */
	int		 taken;		/* out: the name exists */
	int		 missing;	/* out: no such object */
	long long	 audit;		/* the audit row */
	char		 text[DESC_MAX];
};

struct hs_dbparam manage_ptext(const char *);
enum hs_err	 manage_describe(struct hs_db *, struct change *, int *);
enum hs_err	 manage_seen(struct hs_db *, struct change *);
enum hs_err	 audit_begin(struct hs_db *, struct change *, int);
enum hs_err	 existing_begin(struct hs_db *, struct change *);
enum hs_err	 audit_end(struct hs_db *, struct change *);
enum hs_err	 manage_refuse(struct change *, int, const char *);
enum hs_err	 save_unit(struct hs_db *, void *);
enum hs_err	 able_unit(struct hs_db *, void *);

/* manage_campaign.c: a campaign's id, hosts, default destination. */
struct camp {
	long long	 id;
	char		 name[RPT_TEXT_MAX];
	char		 hosts[HS_HOSTS_MAX + 1];
	char		 dest[HS_DEST_MAX + 1];
	char		 fallback[HS_DEST_MAX + 1];
};

enum hs_err	 camp_get(struct hs_db *, const char *, struct camp *, int *);
enum hs_err	 camp_check(struct hs_db *, struct change *, int);
enum hs_err	 camp_store(struct hs_db *, struct change *, int);

/* manage_link.c: what a link's checks found, for its store. */
struct linkto {
	struct camp	 c;		/* its campaign */
	long long	 adv;		/* its advocate's id, or 0 */
	const char	*dest;		/* its destination */
};

enum hs_err	 adv_id(struct hs_db *, struct change *, int, long long *);
enum hs_err	 adv_store(struct hs_db *, struct change *, int);
enum hs_err	 link_check(struct hs_db *, struct change *, struct linkto *);
enum hs_err	 link_store(struct hs_db *, struct change *, int,
		    const struct linkto *);

/* manage_event.c */
enum hs_err	 event_store(struct hs_db *, struct change *, int);
enum hs_err	 event_create(struct hs_db *, struct change *);
void		 event_extra_html(struct hw *, struct mview *);
void		 manage_host(struct report *, struct hs_req *,
		    const struct sess *, struct hs_db *, struct change *);

/* manage_import.c */
void		 import_html(struct hw *, struct mview *);
void		 manage_import(struct report *, struct hs_req *,
		    const struct sess *, enum kind, const char *, const char *);

#endif /* MANAGE_H */
