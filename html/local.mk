# The page templates the programs read from html_dir (by default
# $(pkgdatadir)/html) and the static files nginx serves from its
# static/ (nginx/hearsay.conf's @HTML_DIR@).
hshtmldir = $(pkgdatadir)/html
dist_hshtml_DATA = html/link-notfound.html html/qr-card.html \
	html/qr-cards.html html/qr-host-event.html html/qr-host.html \
	html/qr-poster.html html/qr-slide.html html/report-login.html \
	html/report-page.html html/survey-answered.html html/survey-form.html \
	html/survey-link.html html/survey-thanks.html
hsstaticdir = $(pkgdatadir)/html/static
dist_hsstatic_DATA = html/static/hearsay.css html/static/link.css \
	html/static/qr.css html/static/report.css html/static/survey.css \
	html/static/survey-embed.js html/static/survey-suggest.js \
	html/static/qr-print.js
# Advocates' pages (issue 17).
dist_hshtml_DATA += html/qr-advocate.html html/qr-advocate-link.html \
	html/qr-advocate-share.html
dist_hsstatic_DATA += html/static/advocate.css html/static/advocate.js
HS_DATA_LISTED += $(dist_hshtml_DATA) $(dist_hsstatic_DATA)
HS_DATA_GLOBS += html/*.html html/static/*
