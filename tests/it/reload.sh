#!/usr/bin/env bash
# tests/it/reload.sh: SIGHUP re-reads the configuration (and the
# templates) in every FastCGI program (issue 14).  For each of the five,
# a value that shows from outside is changed in hearsay.conf, the master
# is sent SIGHUP, and the test waits until the new workers serve the new
# value.  Then a reload that cannot succeed (an unknown key, an html_dir
# without the templates) keeps the running service with its old values
# and says why in the log: a reload never takes a service down.
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"

ADMIN="$top_builddir/src/admin/hearsay-admin"
admin() { "$ADMIN" -f "$HS_CONF" "$@"; }

hs_stack_start

# conf_set KEY VALUE: replaces (or adds) one key of the stack's config;
# the programs see it only when told to reload.
conf_set() {
	sed -i "/^$1[[:space:]]*=/d" "$HS_CONF"
	echo "$1 = $2" >>"$HS_CONF"
}

# reload NAME: SIGHUP to the program's master, which must live on.
reload() {
	kill -HUP "$(hs_pid "$1")"
}

# yes when the last fetched body matches REGEX, else no.
body_has() {
	if grep -Eq "$1" "$HTTP_BODY"; then echo yes; else echo no; fi
}

# --- fixtures: a campaign, an event with its links, an open survey
hs_sql "INSERT INTO campaigns (slug, name, allowed_hosts, default_dest)
    VALUES ('hup', 'HUP test', 'example.org', 'https://example.org/')"
hs_sql "INSERT INTO advocates (handle, display_name) VALUES ('hh', 'Host H')"
out=$(admin event create --name "HUP test" --campaign hup --host hh --tables 1)
read -r -a codes <<<"$(sed 's/.*code //' <<<"$out")"
C=${codes[0]}
ok test -n "$C"
cat >"$HS_TMP/survey.json" <<'EOF'
{ "slug": "it-hup", "question": "How did you hear about us?",
  "shuffle": "none", "allow_unsigned": true,
  "options": [
    { "key": "friend", "label": "A friend", "channel": "friend" },
    { "key": "other", "label": "Other", "channel": "other" } ] }
EOF
ok admin survey import "$HS_TMP/survey.json"

# --- hearsay-link: cookie_name names the click cookie
link_cookie() {
	http_fetch GET "/i/$C"
	grep -io '^set-cookie: [a-z_]*=' "$HTTP_HEADERS" | sed 's/.*: //' || true
}
# A short link cache first, so the new link is served at once.
conf_set link_cache_secs 1
reload link
wait_for 20 'hs_click=' link_cookie ||
    fail "link: the new link was never served"
conf_set cookie_name hs_hup
reload link
if wait_for 20 'hs_hup=' link_cookie; then
	pass "link: SIGHUP re-reads cookie_name"
else
	fail "link: SIGHUP re-reads cookie_name"
fi
ok kill -0 "$(hs_pid link)"

# --- hearsay-survey: consent_text, and the form's template (html_dir)
survey_form() {
	http_fetch GET /s/it-hup
	echo "$HTTP_STATUS $(body_has 'Reloaded consent words') $(body_has 'hup-template-marker')"
}
is "$(survey_form)" "200 no no" "survey: the old consent text and template"
cp -r "$top_srcdir/html" "$HS_TMP/html"
sed -i 's|</body>|<!-- hup-template-marker --></body>|' \
    "$HS_TMP/html/survey-form.html"
grep -q hup-template-marker "$HS_TMP/html/survey-form.html" ||
    fail "the template copy has no marker"
conf_set consent_text "Reloaded consent words."
conf_set html_dir "$HS_TMP/html"
reload survey
if wait_for 20 '200 yes yes' survey_form; then
	pass "survey: SIGHUP re-reads consent_text and the templates"
else
	fail "survey: SIGHUP re-reads consent_text and the templates"
fi
ok kill -0 "$(hs_pid survey)"

# --- hearsay-qr: base_url is what an image encodes
qr_text() {
	curl -s --max-time 20 -o "$HS_TMP/qr.png" "$HS_URL/qr/$C.png" || true
	zbarimg -q --raw "$HS_TMP/qr.png" 2>/dev/null || true
}
is "$(qr_text)" "$HS_URL/i/$C?qr=1" "qr: encodes the old base_url"
conf_set base_url http://qr-hup.example
reload qr
if wait_for 20 "http://qr-hup.example/i/$C?qr=1" qr_text; then
	pass "qr: SIGHUP re-reads base_url"
else
	fail "qr: SIGHUP re-reads base_url"
fi
ok kill -0 "$(hs_pid qr)"

# --- hearsay-report: base_url is the origin a form must come from
report_refuses() {
	http_fetch POST /admin/login -H "Origin: $1" \
	    --data-urlencode user=nobody --data-urlencode password=wrong
	if [[ $HTTP_STATUS == 403 ]] &&
	    grep -q 'must be sent from this site' "$HTTP_BODY"; then
		echo refused
	else
		echo accepted
	fi
}
is "$(report_refuses http://report-hup.example)" refused \
    "report: a form from another origin is refused"
conf_set base_url http://report-hup.example
reload report
if wait_for 20 accepted 'report_refuses http://report-hup.example'; then
	pass "report: SIGHUP re-reads base_url"
else
	fail "report: SIGHUP re-reads base_url"
fi
is "$(report_refuses "$HS_URL")" refused \
    "report: the old origin is now another site"
ok kill -0 "$(hs_pid report)"

# --- hearsay-health: db_name is the schema it probes.  A schema without
# hearsay's tables makes it say unavailable (its body says no more).
hs_sql "CREATE DATABASE hs_hup;
    GRANT SELECT ON hs_hup.* TO 'hearsay_ro'@'localhost';
    GRANT SELECT ON hs_hup.* TO 'hearsay_ro'@'127.0.0.1'"
health_status() { http_status GET /health; }
is "$(health_status)" 200 "health: probes the real schema"
conf_set db_name hs_hup
reload health
if wait_for 20 503 health_status; then
	pass "health: SIGHUP re-reads db_name"
else
	fail "health: SIGHUP re-reads db_name"
fi
ok kill -0 "$(hs_pid health)"

# --- a reload that cannot succeed keeps the old configuration
# log_has NAME REGEX: yes when the program's log matches.
log_has() {
	if grep -Eq "$2" "$HS_DIR/log/$1.log"; then echo yes; else echo no; fi
}
good=$HS_TMP/good.conf
cp "$HS_CONF" "$good"
echo "wokers = 3" >>"$HS_CONF"
reload survey
if wait_for 20 yes "log_has survey 'reload: .*unknown key \"wokers\".*keeping'"; then
	pass "survey: a bad config's reload is refused, with its reason"
else
	fail "survey: a bad config's reload is refused, with its reason"
fi
ok kill -0 "$(hs_pid survey)"
is "$(survey_form)" "200 yes yes" \
    "survey: still serves the old configuration after a bad reload"

# A good config whose html_dir lacks the templates: refused too, by
# every program that has templates.
cp "$good" "$HS_CONF"
mkdir -p "$HS_TMP/empty-html"
conf_set html_dir "$HS_TMP/empty-html"
conf_set consent_text "Never shown."
for x in survey qr report link; do
	reload "$x"
	if wait_for 20 yes "log_has $x 'reload: .*empty-html/[a-z-]*\.html.*keeping'"; then
		pass "$x: a reload without its templates is refused, with its reason"
	else
		fail "$x: a reload without its templates is refused, with its reason"
	fi
	ok kill -0 "$(hs_pid "$x")"
done
is "$(survey_form)" "200 yes yes" \
    "survey: still serves the old templates after a refused reload"
is "$(link_cookie)" 'hs_hup=' "link: still serves after a refused reload"
is "$(qr_text)" "http://qr-hup.example/i/$C?qr=1" \
    "qr: still serves after a refused reload"
is "$(report_refuses http://report-hup.example)" accepted \
    "report: still serves after a refused reload"

done_testing
