# hearsay-qr: QR codes of invite links (/qr/) and the event hosts'
# printable pages (/host/).
sbin_PROGRAMS += src/qr/hearsay-qr
src_qr_hearsay_qr_SOURCES = src/qr/qr.h src/qr/main.c src/qr/host.c \
	src/qr/opts.c src/qr/svg.c src/qr/png.c
src_qr_hearsay_qr_CFLAGS = $(AM_CFLAGS) $(QRENCODE_CFLAGS) $(PNG_CFLAGS)
src_qr_hearsay_qr_LDADD = $(HS_LIBS) $(QRENCODE_LIBS) $(PNG_LIBS)

man_MANS += man/hearsay-qr.8
EXTRA_DIST += man/hearsay-qr.8

TESTS += tests/it/qr_codes.sh tests/it/qr_host.sh
EXTRA_DIST += tests/it/qr_codes.sh tests/it/qr_host.sh
