/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * links.h: what the files of the invite-link commands share (links.c:
 * the statements, the helpers, campaigns and the demo; links_adv.c:
 * advocates; links_link.c: links; links_csv.c: CSV import and export).
 */
#ifndef LINKS_H
#define LINKS_H

#define FIELD_MAX	2048	/* bytes of a listed value */
#define UTM_MAX		100	/* bytes of a utm_* value */

enum stmt {
	STMT_CAMP_ADD,
	STMT_CAMP_GET,
	STMT_CAMP_LIST,
	STMT_CAMP_DISABLE,
	STMT_ADV_ADD,
	STMT_ADV_GET,
	STMT_ADV_LIST,
	STMT_ADV_DISABLE,
	STMT_ADV_SUGGEST,
	STMT_EVENT_GET,
	STMT_LINK_ADD,
	STMT_LINK_GET,
	STMT_LINK_LIST,
	STMT_LINK_DISABLE,
	STMT_LINK_CLICKS,
	STMT_ADV_ID,
	STMT_LINK_ID,
	STMT_LINKS_MOVED,
	STMT__MAX
};

#define LINK_NCOLS 17	/* columns of LINK_COLS */
#define ADV_NCOLS 7	/* columns of ADV_COLS */
/* Their names, as list, show and export print them (id first). */
#define ADV_HEADS (const char *const[]){ "id", "handle", "display_name", \
	"aliases", "tier", "status", "email_key", "suggest" }

extern const char *const lk_sqls[STMT__MAX];

/* A campaign's id, hosts and default destination. */
struct camp {
	long long	 id;
	char		 hosts[HS_HOSTS_MAX + 1];
	char		 dest[HS_DEST_MAX + 1];
	char		 fallback[HS_DEST_MAX + 1];
};

/* What a link is made of, from options or a CSV row. */
struct newlink {
	const char	*campaign, *advocate, *event, *channel, *label;
	const char	*dest, *code, *fallback, *valid_from, *valid_until;
	const char	*utm[5];
	int		 disabled;
};

/*
 * The CSV header and one data row, as csv_import hands them to a row
 * callback.
 */
struct csvrow {
	char	**head;
	int	  nh;
	char	**row;
	int	  nr;
};

/* What "disable" does: its statement, and what it says. */
struct lk_off {
	size_t		 stmt;		/* changes one row, by key */
	const char	*what;		/* "campaign" */
	const char	*done;		/* after "campaign KEY " */
	const char	*past;		/* "(or already PAST)" */
	int		 moved;		/* redirects change: lk_links_moved */
};

/* links.c */
int		 lk_text_ok(const char *, size_t);
int		 lk_slug_ok(const char *);
struct hs_dbparam lk_ptext(const char *);
long long	 lk_lookup(struct hs_db *, size_t, const char *);
void		 lk_links_moved(struct hs_db *);
int		 lk_camp_get(struct hs_db *, const char *, struct camp *);
int		 lk_print_rows(struct hs_db *, size_t,
		    const struct hs_dbparam *, size_t, size_t,
		    const char *const *, int);
int		 lk_list(struct adm *, size_t, size_t, const char *const *);
int		 lk_show(struct adm *, size_t, const char *, size_t,
		    const char *const *, const char *);
int		 lk_disable(struct adm *, const struct lk_off *, const char *,
		    const char *);

/* links_adv.c */
int		 lk_adv_create(struct hs_db *, const char *, const char *,
		    const char *, const char *, const char *, const char *,
		    int);

/* links_link.c */
int		 lk_link_create(struct adm *, struct hs_db *,
		    const struct newlink *, int);

/* links_csv.c */
int		 lk_csv_export(struct hs_db *, size_t,
		    const struct hs_dbparam *, size_t, size_t, size_t,
		    const char *const *);
const char	*lk_rcell(const struct csvrow *, const char *);
typedef int	(*lk_row_fn)(struct adm *, struct hs_db *,
		    const struct csvrow *);
int		 lk_csv_import(struct adm *, const char *, const char *,
		    const char *, const char *, lk_row_fn);

#endif /* !LINKS_H */
