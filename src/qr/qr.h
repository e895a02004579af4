/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * qr.h: hearsay-qr's internal interface.  svg.c and png.c turn a QR
 * symbol from libqrencode into an image in an hs_buf; opts.c parses and
 * bounds the image parameters; main.c serves /qr/, host.c the hosts'
 * printable pages and advocate.c the advocates' pages, with what those
 * two share in cap.c.  The renderers are pure (no I/O), so the Check
 * tests and the in-process benchmark call them directly.
 */
#ifndef QR_H
#define QR_H

#define QR_SCALE_MIN	1	/* pixels per module */
#define QR_SCALE_MAX	40
#define QR_SCALE_DEF	8
#define QR_MARGIN_MIN	0	/* quiet zone, in modules */
#define QR_MARGIN_MAX	16
#define QR_MARGIN_DEF	4	/* ISO/IEC 18004 asks for 4 */
#define QR_MAX_PX	4096	/* pixels on a side, any image */
#define QR_MAX_TEXT	512	/* bytes encoded: base_url + code + "?qr=1" */
#define QR_MAX_IMAGE	(HS_MAX_PAGE)	/* bytes of one rendered image */

enum qr_fmt {
	QR_SVG = 0,
	QR_PNG,
	QR__MAX
};

/* A colour a code may be drawn in, by name (a fixed, contrast-safe set). */
struct qr_colour {
	const char	*name;		/* as in ?fg= or ?bg= */
	const char	*hex;		/* "#rrggbb" for SVG */
	unsigned char	 rgb[3];	/* for the PNG palette */
};

struct qr_opts {
	int		 scale;		/* pixels per module, QR_SCALE_* */
	int		 level;		/* QRecLevel: QR_ECLEVEL_L..H */
	int		 margin;	/* modules, QR_MARGIN_* */
	const struct qr_colour *fg;	/* dark modules */
	const struct qr_colour *bg;	/* light modules and quiet zone */
};

/* opts.c */
void		 qr_opts_default(struct qr_opts *);
enum hs_err	 qr_opts_parse(struct qr_opts *, const struct hs_kv *, size_t,
		    const char **) HS_WUR;
char		 qr_level_name(int);

/*
 * svg.c, png.c: the _draw functions render a module matrix into b
 * (appended; the Check tests' golden ones); qr_render (png.c) encodes
 * text's QR symbol once and draws it in either format.
 */
enum hs_err	 qr_svg_draw(struct hs_buf *, const unsigned char *, int,
		    const struct qr_opts *) HS_WUR;
enum hs_err	 qr_png_draw(struct hs_buf *, const unsigned char *, int,
		    const struct qr_opts *) HS_WUR;
enum hs_err	 qr_render(struct hs_buf *, enum qr_fmt, const char *,
		    const struct qr_opts *) HS_WUR;

/* main.c: the program's statements (one table, STYLE.md section 8). */
enum stmt {
	STMT_LINK,
	STMT_ADV_FIND,		/* advocate.c: advocate.h's QR_ADV_SQL */
	STMT_ADV_GONE,
	STMT_ADV_LINKS,
	STMT_ADV_SHARES,
	STMT_ADV_RESULTS,
	STMT_ADV_HOSTCAMP,
	STMT_ADV_HOST_REVOKE,
	STMT_ADV_HOST_ADD,
	STMT_ADV_PREFS,
	STMT_ADV_BOARD,
	STMT_HOST,
	STMT_HOST_GONE,
	STMT_EVENTS,
	STMT_EVENT,
	STMT_EVENT_LINKS,
	STMT_SCANS,
	STMT_SIGNUPS,
	STMT_CAMPAIGN,
	STMT_EVENT_ADD,
	STMT_EVENT_ID,
	STMT_LINK_ADD,
	STMT_LINK_EVENT,
	STMT_LINKS_MOVED,
	STMT_EVENT_LANG,
	STMT__MAX
};

/* The page templates, loaded once at start. */
enum tmpl {
	TMPL_ADV,		/* advocate.c: QR_ADV_TMPLDEFS below */
	TMPL_ADV_LINK,
	TMPL_ADV_SHARE,
	TMPL_HOST,
	TMPL_HOST_EVENT,
	TMPL_POSTER,
	TMPL_SLIDE,
	TMPL_CARDS,
	TMPL_CARD,
	TMPL__MAX
};

struct qrprog {
	struct hs_conf	 conf;
	struct hs_db	*db;		/* per worker, opened after fork */
	struct hs_tmpl	*tmpl[TMPL__MAX];
};

extern const struct hs_tmpldef qr_tmpls[TMPL__MAX];

/* host.c */
void		 host_handle(struct hs_req *, void *);	/* a qrprog */

/* cap.c: what the host's and the advocate's pages share. */
struct qr_cap {
	const char	*prefix;	/* of the path: "/host/", "/a/" */
	const char	*who;		/* in the log */
	const char	*notfound;	/* a 404's words, for a bad token */
	const char	*gone;		/* a 410's words, for a revoked one */
	/*
	 * The statement that finds a revoked token by its SHA-256: one
	 * row, the language its page spoke, when there is one.
	 */
	size_t		 gonestmt;
	/*
	 * The token's row into a page, a token that works only:
	 * HS_OK, HS_ENOTFOUND, a DB error.
	 */
	enum hs_err	(*find)(const char *, void *);
};
const char	*qr_cap_open(struct hs_req *, struct hs_db *,
		    const struct qr_cap *, char [HS_CAP_HEX + 1], void *);
enum hs_err	 qr_cap_row(struct hs_db *, size_t, const char *,
		    struct hs_dbcol *, size_t) HS_WUR;
int		 qr_cap_method(struct hs_req *, int, const char *);
int		 qr_cap_sign(struct hs_req *, const char *, const char *,
		    long long, struct hs_buf *);
void		 qr_dberror(struct hs_req *, const char *, enum hs_err);
const char	*qr_short_base(const struct hs_conf *);
enum hs_err	 qr_put_grouped(const struct hs_out *, const char *) HS_WUR;

/*
 * advocate.c: the advocates' pages under /a/.  Their templates head
 * qr_tmpls (host.c) through QR_ADV_TMPLDEFS.
 */
#define ADV_NKEYS	29	/* markers of the advocate templates */
extern const char *const adv_tkeys[ADV_NKEYS];
#define QR_ADV_TMPLDEFS							\
	[TMPL_ADV] = { "qr-advocate.html", adv_tkeys, ADV_NKEYS },	\
	[TMPL_ADV_LINK] = { "qr-advocate-link.html", adv_tkeys,		\
	    ADV_NKEYS },						\
	[TMPL_ADV_SHARE] = { "qr-advocate-share.html", adv_tkeys,	\
	    ADV_NKEYS },
void		 adv_handle(struct hs_req *, void *);	/* a qrprog */

#endif /* !QR_H */
