# libhearsay: the core library every program links.
noinst_LTLIBRARIES += src/core/libhearsay.la
src_core_libhearsay_la_SOURCES = src/core/hearsay.h \
	src/core/err.c src/core/alloc.c src/core/buf.c src/core/out.c \
	src/core/log.c src/core/conf.c src/core/utf8.c src/core/url.c \
	src/core/req.c src/core/http.c src/core/html.c src/core/markup.c \
	src/core/tmpl.c \
	src/core/db.h src/core/db.c src/core/dbconn.c src/core/dbstmt.c \
	src/core/journal.c src/core/prefork.c src/core/fcgi.c \
	src/core/fcgiproto.c src/core/fcgimux.c \
	src/core/program.c src/core/route.c \
	src/core/code.c src/core/crypto.c src/core/privacy.c src/core/webhook.c \
	src/core/file.c src/core/metrics.c src/core/vocab.c src/core/dest.c \
	src/core/event.c src/core/csv.c src/core/i18n.c src/core/share.c \
	src/core/field.c
src_core_libhearsay_la_CFLAGS = $(AM_CFLAGS) $(UTF8PROC_CFLAGS)

# The same sources built with HS_TESTING, so Check can reach HS_STATIC
# functions (libqrencode's STATIC_IN_RELEASE).
noinst_LTLIBRARIES += src/core/libhearsay_test.la
src_core_libhearsay_test_la_SOURCES = $(src_core_libhearsay_la_SOURCES)
src_core_libhearsay_test_la_CFLAGS = $(AM_CFLAGS) $(UTF8PROC_CFLAGS) -DHS_TESTING
HS_TEST_LIBS = src/core/libhearsay_test.la $(FCGI_LIBS) $(MARIADB_LIBS) \
	$(SODIUM_LIBS) $(UTF8PROC_LIBS) $(CHECK_LIBS)
