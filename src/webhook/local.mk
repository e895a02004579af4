# hearsay-webhook: delivers the signed survey-answer webhooks that
# hearsay-admin manages, one run per start (a timer every minute).
sbin_PROGRAMS += src/webhook/hearsay-webhook
src_webhook_hearsay_webhook_SOURCES = src/webhook/webhook.h \
	src/webhook/main.c src/webhook/send.c
src_webhook_hearsay_webhook_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/webhook
src_webhook_hearsay_webhook_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS) $(CURL_CFLAGS)
src_webhook_hearsay_webhook_LDADD = $(HS_LIBS) $(JANSSON_LIBS) $(CURL_LIBS)
man_MANS += man/hearsay-webhook.8
EXTRA_DIST += man/hearsay-webhook.8
