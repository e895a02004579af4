/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * manage_event.c: events on the manage page.  A new one is made with
 * its links by core's hs_event_create (one rule with hearsay-admin event
 * create and the hosts' form), its audit row written by the hook; an
 * existing one is edited by save_unit and event_store.  Below its form:
 * its links, and its host's pages granted (shown once) or revoked.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "hearsay.h"
#include "report.h"
#include "pages.h"
#include "manage.h"

/* An event edited; made by event_create, with its links. */
enum hs_err
event_store(struct hs_db *db, struct change *ch, int exists)
{
	struct mform	*f = ch->f;
	struct hs_dbparam p[5];
	enum hs_err	 e;
	size_t		 i;

	if (!exists)
		return HS_EINVAL;
	p[0] = manage_ptext(f->v[1]);
	for (i = 0; i < 3; i++)
		p[1 + i] = manage_ptext(f->v[4 + i]);
	p[4] = manage_ptext(f->v[0]);
	if ((e = hs_db_exec(db, M_EV_SET, p, 5, NULL)) == HS_EDB)
		return manage_refuse(ch, 5, "The database refused this date.");
	return e;
}

static const struct hs_event_stmts ev_stmts = {
	M_EV_ADD, M_EV_ID, M_EV_LINK_ADD, M_EV_LINK_OWNER, M_MOVED
};

/*
 * hs_event_create's hook: before the event, the checks of save_unit
 * (the form sent before, the slug taken, the campaign and host there)
 * and the audit row; after it and its links, the object after.
 */
static enum hs_err
event_hook(struct hs_db *db, struct hs_event *ev, int after, void *arg)
{
	struct change	*ch = arg;
	struct mform	*f = ch->f;
	static struct camp c;
	const char	*why;
	enum hs_err	 e;
	int		 have = 0, exists = 0;

	if (after)
		return audit_end(db, ch);
	ch->replay = ch->taken = ch->missing = 0;
	if ((e = manage_seen(db, ch)) != HS_OK)
		return e;
	if ((e = manage_describe(db, ch, &exists)) != HS_OK)
		return e;
	if (exists) {
		ch->taken = 1;
		return manage_refuse(ch, 0, "That name is taken already.");
	}
	if ((e = camp_get(db, f->v[2], &c, &have)) != HS_OK)
		return e;
	if (!have)
		return manage_refuse(ch, 2, "There is no such campaign.");
	/* The event's links go to the campaign's default destination. */
	if (!hs_dest_valid(c.dest, c.hosts, &why))
		return manage_refuse(ch, 2, why);
	ev->campaign = c.id;
	ev->dest = c.dest;
	ev->host = 0;
	if (f->v[3][0] != '\0' && (e = adv_id(db, ch, 3, &ev->host)) != HS_OK)
		return e;
	return audit_begin(db, ch, 0);
}

/*
 * A new event from the form, with its links, by hs_event_create (one
 * rule with hearsay-admin event create and the hosts' form); the audit
 * row is written in its unit by event_hook.
 */
enum hs_err
event_create(struct hs_db *db, struct change *ch)
{
	static struct hs_event ev;
	struct mform	*f = ch->f;
	enum hs_err	 e;

	memset(&ev, 0, sizeof(ev));
	(void)snprintf(ch->key, sizeof(ch->key), "%s", f->v[0]);
	ev.slug = ch->key;
	ev.name = f->v[1];
	ev.venue = f->v[4][0] != '\0' ? f->v[4] : NULL;
	ev.starts = f->v[5][0] != '\0' ? f->v[5] : NULL;
	ev.ends = f->v[6][0] != '\0' ? f->v[6] : NULL;
	ev.tables = atoi(f->v[7]);
	ev.hook = event_hook;
	ev.hook_arg = ch;
	e = hs_event_create(db, &ev_stmts, &ev);
	if (e == HS_EINVAL && f->why == NULL && !ch->replay) {
		/* Made by another between the hook's look and the insert. */
		ch->taken = 1;
		return manage_refuse(ch, 0, "That name is taken already.");
	}
	if (e == HS_EDB && f->why == NULL)
		return manage_refuse(ch, 5, "The database refused these "
		    "dates.");
	return e;
}

/* The unit of a host page granted (tok's hash) or revoked. */
struct hostop {
	struct change	*ch;
	const char	*hash;		/* grant; NULL: revoke */
	int		 nohost;	/* out: the event has no host */
};

static enum hs_err
host_unit(struct hs_db *db, void *arg)
{
	struct hostop	*h = arg;
	struct change	*ch = h->ch;
	struct hs_dbparam p[2];
	unsigned long long n = 0;
	enum hs_err	 e;

	ch->replay = ch->missing = h->nohost = 0;
	if ((e = existing_begin(db, ch)) != HS_OK)
		return e;
	if (h->hash != NULL) {
		p[0] = manage_ptext(h->hash);
		p[1] = manage_ptext(ch->key);
		if ((e = hs_db_exec(db, M_TOKEN_ADD, p, 2, &n)) != HS_OK)
			return e;
		if (n == 0) {
			h->nohost = 1;
			return HS_EINVAL;
		}
	} else {
		p[0] = manage_ptext(ch->key);
		if ((e = hs_db_exec(db, M_TOKEN_REVOKE, p, 1, NULL)) != HS_OK)
			return e;
	}
	return audit_end(db, ch);
}

/* The event's links, below its form. */
static void
event_links_html(struct hw *w, struct mview *mv)
{
	char		 code[HS_CODE_MAX + 1], label[RPT_TEXT_MAX],
			 href[HS_CODE_MAX + 32];
	struct hs_dbparam p[1] = { HS_DBP_TEXT(mv->f->v[0]) };
	struct hs_dbcol	 c[3] = { HS_DBC_TEXT(code), HS_DBC_TEXT(label),
			    HS_DBC_INT };
	int		 have;

	hw_raw(w, "<section aria-labelledby=\"h-evlinks\"><h2 "
	    "id=\"h-evlinks\">The event's links</h2><div class=\"tablewrap\" "
	    "tabindex=\"0\"><table class=\"evlinks\"><caption "
	    "class=\"visually-hidden\">Links of this event</caption><thead>"
	    "<tr><th scope=\"col\">Code</th><th scope=\"col\">Label</th>"
	    "<th scope=\"col\">State</th></tr></thead><tbody>");
	if (w->e != HS_OK ||
	    (w->e = hs_db_query(mv->db, M_EV_LINKS, p, 1, c, 3)) != HS_OK)
		return;
	while (w->e == HS_OK && (w->e = hs_db_fetch(mv->db, M_EV_LINKS,
	    &have)) == HS_OK && have) {
		(void)snprintf(href, sizeof(href), "/admin/manage?link=%s",
		    code);
		hw_raw(w, "<tr><td>");
		hw_elem(w, "a", code, "href", href, (char *)NULL);
		hw_raw(w, "</td>");
		if (label[0] != '\0')
			hw_elem(w, "td", label, "class", "text", (char *)NULL);
		else
			hw_raw(w, "<td class=\"text\">the event's own</td>");
		hw_raw(w, c[2].i ? "<td>disabled</td></tr>\n" :
		    "<td>enabled</td></tr>\n");
	}
	hs_db_end(mv->db, M_EV_LINKS);
	hw_raw(w, "</tbody></table></div><p class=\"muted\">Each code opens "
	    "its link's page, with its clicks over time. Disabling the "
	    "event disables them all; re-enabling it enables them all."
	    "</p></section>\n");
}

/* The event's links and its host's page, below its form. */
void
event_extra_html(struct hw *w, struct mview *mv)
{
	const struct mform *f = mv->f;
	struct hs_dbparam hp[1] = { HS_DBP_TEXT(f->v[3]) };
	struct hs_dbcol	 hc[1] = { HS_DBC_INT };
	char		 id[32];
	int		 have;
	const char	*op;

	event_links_html(w, mv);
	hw_raw(w, "<section aria-labelledby=\"h-host\"><h2 "
	    "id=\"h-host\">Host page</h2>\n");
	if (mv->hostpage != NULL) {
		hw_raw(w, "<p class=\"notice\" role=\"status\">The host's page "
		    "(shown this once: only its hash is kept; send it to the "
		    "host): ");
		hw_elem(w, "a", mv->hostpage, "class", "url", "href",
		    mv->hostpage, (char *)NULL);
		hw_raw(w, "</p>\n");
	}
	if (f->v[3][0] == '\0') {
		hw_raw(w, "<p>This event has no host, so no host page.</p>"
		    "</section>\n");
		return;
	}
	hc[0].i = 0;
	have = 0;
	if (w->e == HS_OK)
		w->e = hs_db_row(mv->db, M_TOKEN_ACTIVE, hp, 1, hc, 1, &have);
	hw_raw(w, "<p>");
	hw_text(w, f->v[3]);
	hw_textf(w, " has %lld active host page", hc[0].i);
	hw_raw(w, hc[0].i == 1 ? " (a page lists the host's events and lets "
	    "them make more in the campaign).</p>" : "s (a page lists the "
	    "host's events and lets them make more in the campaign).</p>");
	for (op = "grant"; op != NULL;
	    op = strcmp(op, "grant") == 0 && hc[0].i > 0 ? "revoke" : NULL) {
		(void)snprintf(id, sizeof(id), "form-host-%s", op);
		hw_open(w, "form", "method", "post", "action",
		    "/admin/manage/save", "class", "manage able", "id", id,
		    (char *)NULL);
		manage_hidden(w, mv->s);
		hw_hidden(w, "kind", "event");
		hw_hidden(w, "op", op);
		hw_hidden(w, "slug", f->v[0]);
		hw_raw(w, strcmp(op, "grant") == 0 ? "<button type=\"submit\">"
		    "Grant a new host page</button></form>\n" :
		    "<button type=\"submit\">Revoke the host's pages"
		    "</button></form>\n");
	}
	hw_raw(w, "</section>\n");
}

/*
 * op grant or revoke of an event: a new host page for its host, shown
 * once on the event's page (200: the URL is never stored, so the answer
 * is not a redirect), or every host page of its host revoked.
 */
void
manage_host(struct report *rp, struct hs_req *r, const struct sess *s,
    struct hs_db *db, struct change *ch)
{
	static struct mform f;
	struct hostop	 h;
	char		 tok[HS_CAP_HEX + 1], hex[65], url[HS_LOC_MAX];
	char		 to[VALUE_MAX + 64];
	enum hs_err	 e;
	int		 got;

	memset(&h, 0, sizeof(h));
	h.ch = ch;
	if (strcmp(ch->op, "grant") == 0) {
		hs_cap_new(tok, hex);
		h.hash = hex;
	}
	e = hs_db_unit(db, host_unit, &h);
	if (e == HS_ENOTFOUND || ch->missing) {
		(void)hs_http_error(r, 404, "There is no such event.");
		goto out;
	}
	if (h.nohost) {
		(void)hs_http_error(r, 409, "This event has no host: give "
		    "it one with hearsay-admin, or make a new event with a "
		    "host.");
		goto out;
	}
	if (e != HS_OK && !(e == HS_EDUP && ch->replay)) {
		manage_unavailable(r);
		goto out;
	}
	(void)snprintf(to, sizeof(to), "/admin/manage?event=%s", ch->key);
	if (ch->replay || h.hash == NULL) {
		rpt_ignore(hs_http_redirect(r, 303, to));
		goto out;
	}
	hs_log(HS_LOG_INFO, "manage: host page for event %s granted by user "
	    "%lld", ch->key, s->user_id);
	memset(&f, 0, sizeof(f));
	f.kind = K_EVENT;
	f.bad = -1;
	if ((got = form_load(db, &f, ch->key)) <= 0) {
		manage_unavailable(r);
		goto out;
	}
	(void)snprintf(url, sizeof(url), "%s/host/%s/", rp->conf.base_url,
	    tok);
	manage_render_host(rp, r, s, &f, url);
out:
	sodium_memzero(tok, sizeof(tok));
}
