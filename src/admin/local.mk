# hearsay-admin: the command-line tool (migrations, campaigns, links,
# surveys, events, users, retention and erasure).
sbin_PROGRAMS += src/admin/hearsay-admin
src_admin_hearsay_admin_SOURCES = src/admin/admin.h src/admin/main.c src/admin/open.c \
	src/admin/args.c src/admin/links.h src/admin/links.c \
	src/admin/links_adv.c src/admin/links_link.c src/admin/links_csv.c \
	src/admin/survey.c src/admin/apikey.c src/admin/forget.c \
	src/admin/events.c src/admin/users.c src/admin/webhook.c src/admin/cost.c
# Advocates' pages and share texts (issue 17).
src_admin_hearsay_admin_SOURCES += src/admin/advocate.c
src_admin_hearsay_admin_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/admin
src_admin_hearsay_admin_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS) $(UTF8PROC_CFLAGS) \
	$(CURL_CFLAGS)
src_admin_hearsay_admin_LDADD = $(HS_LIBS) $(JANSSON_LIBS) $(CURL_LIBS)

# Retention: what it erases, what it keeps, --dry-run.
TESTS += tests/it/admin_retention.sh tests/it/admin_forget.sh
EXTRA_DIST += tests/it/admin_retention.sh tests/it/admin_forget.sh
