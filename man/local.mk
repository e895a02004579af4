# Manual pages in mdoc.  `make check` (and so distcheck) lints them with
# mandoc -Tlint; each program's fragment adds its own page.
man_MANS += man/hearsay.conf.5 man/hearsay-admin.8 man/hearsay-health.8
EXTRA_DIST += man/hearsay.conf.5 man/hearsay-admin.8 man/hearsay-health.8

check-local: check-man
check-man:
	@command -v mandoc >/dev/null || { echo "mandoc missing"; exit 1; }
	cd $(srcdir) && mandoc -Tlint -Wwarning $(man_MANS)
.PHONY: check-man
