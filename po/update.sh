#!/bin/sh
# po/update.sh: collects the fixed wording people read into po/hearsay.pot
# and merges it into every po/LL.po of po/LINGUAS (`make update-po`).
#   - C: _("..."), N_("...") and hs_http_error's message (its third
#     argument: the error page translates it, src/core/http.c);
#   - templates: the @@t:...@@ texts of the pages people read (the
#     engine translates them, src/core/tmpl.c), one text per line.
# With an argument, writes the .pot there and touches nothing else
# (tests/it/i18n.sh compares it with the catalogues).
# Run from the top of the source tree.
set -eu
out=${1:-po/hearsay.pot}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The sources whose strings a person reads (analysts' pages, the CLI and
# the API's JSON stay English).
CSRC="src/core/i18n.c src/core/http.c src/core/conf.c src/core/field.c
    src/survey/form.c src/survey/form_page.c src/survey/form_token.c
    src/survey/form_post.c src/survey/suggest.c src/survey/main.c
    src/qr/host.c src/qr/cap.c src/qr/main.c"
HTML="html/survey-form.html html/survey-thanks.html html/survey-answered.html
    html/survey-link.html html/qr-card.html
    html/qr-cards.html html/qr-host-event.html html/qr-host.html
    html/qr-poster.html html/qr-slide.html"

# shellcheck disable=SC2086
xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ \
    --keyword=hs_http_error:3 --add-comments=TRANSLATORS: \
    --package-name=hearsay --msgid-bugs-address=hearsay --sort-by-file \
    -o "$tmp/c.pot" $CSRC
# shellcheck disable=SC2086
awk '
BEGIN {
	print "msgid \"\""
	print "msgstr \"Content-Type: text/plain; charset=UTF-8\\n\""
	print ""
}
{
	s = $0
	while ((i = index(s, "@@t:")) > 0) {
		s = substr(s, i + 4)
		j = index(s, "@@")
		if (j == 0)
			break
		m = substr(s, 1, j - 1)
		s = substr(s, j + 2)
		gsub(/\\/, "\\\\", m)
		gsub(/"/, "\\\"", m)
		printf "#: %s:%d\nmsgid \"%s\"\nmsgstr \"\"\n\n", FILENAME, FNR, m
	}
}' $HTML >"$tmp/html-dup.po"
msguniq --use-first -o "$tmp/html.po" "$tmp/html-dup.po"
msgcat --use-first --sort-by-file -o "$tmp/all.pot" "$tmp/c.pot" "$tmp/html.po"
# A stable header: no creation date, so an unchanged catalogue is
# byte-identical after another run.
sed -e '/^"POT-Creation-Date:/d' -e 's/charset=CHARSET/charset=UTF-8/' \
    "$tmp/all.pot" >"$out"
[ $# -gt 0 ] && exit 0
for l in $(cat po/LINGUAS); do
	msgmerge --quiet --update --backup=none --no-fuzzy-matching \
	    --sort-by-file "po/$l.po" "$out"
done
