# hearsay-qr: QR codes of invite links (/qr/) and the event hosts'
# printable pages (/host/).
sbin_PROGRAMS += src/qr/hearsay-qr
src_qr_hearsay_qr_SOURCES = src/qr/qr.h src/qr/main.c src/qr/host.c \
	src/qr/advocate.h src/qr/advocate.c src/qr/cap.c \
	src/qr/opts.c src/qr/svg.c src/qr/png.c
src_qr_hearsay_qr_CFLAGS = $(AM_CFLAGS) $(QRENCODE_CFLAGS)
# png.c writes PNGs with zlib directly (libpng-dev pulls in zlib1g-dev).
src_qr_hearsay_qr_LDADD = $(HS_LIBS) $(QRENCODE_LIBS) $(ZLIB_LIBS)

man_MANS += man/hearsay-qr.8
EXTRA_DIST += man/hearsay-qr.8

if HAVE_CHECK
check_PROGRAMS += tests/unit/check_qr
tests_unit_check_qr_SOURCES = tests/unit/check_qr.c src/qr/qr.h \
	src/qr/opts.c src/qr/svg.c src/qr/png.c
tests_unit_check_qr_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/qr
tests_unit_check_qr_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) -DHS_TESTING \
	$(QRENCODE_CFLAGS) $(PNG_CFLAGS)
tests_unit_check_qr_LDADD = $(HS_TEST_LIBS) $(QRENCODE_LIBS) $(PNG_LIBS) $(ZLIB_LIBS)
TESTS += tests/unit/check_qr
endif

TESTS += tests/it/qr_codes.sh tests/it/qr_host.sh
EXTRA_DIST += tests/it/qr_codes.sh tests/it/qr_host.sh

# Benchmark helpers (make bench): in-process cost and a bare libfcgi loop.
noinst_PROGRAMS += tests/bench/qr_inproc tests/bench/qr_bare
tests_bench_qr_inproc_SOURCES = tests/bench/qr_inproc.c src/qr/opts.c \
	src/qr/svg.c src/qr/png.c
tests_bench_qr_inproc_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/qr
tests_bench_qr_inproc_CFLAGS = $(AM_CFLAGS) $(QRENCODE_CFLAGS)
tests_bench_qr_inproc_LDADD = $(HS_LIBS) $(QRENCODE_LIBS) $(ZLIB_LIBS)
tests_bench_qr_bare_SOURCES = tests/bench/qr_bare.c
tests_bench_qr_bare_LDADD = $(FCGI_LIBS)
BENCH_SCRIPTS += tests/bench/qr.sh
