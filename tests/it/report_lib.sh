# tests/it/report_lib.sh: helpers shared by the report tests (sourced
# after lib.sh; not a test itself).

REPORT_PW=correct-horse-battery-staple

# report_user NAME [--campaign SLUG]: adds an analyst with REPORT_PW.
report_user() {
	echo "$REPORT_PW" | "$top_builddir/src/admin/hearsay-admin" \
	    -f "$HS_CONF" user add "$@" >/dev/null
}

# report_fixtures: the seeded reconcile tables (report_fixtures.sql).
report_fixtures() {
	hs_sql <"$top_srcdir/tests/it/report_fixtures.sql"
}

# report_token: a fresh login form token.
report_token() {
	curl -q -s --max-time 20 "$HS_URL/admin/login" |
	    sed -n 's/.*name="token" value="\([^"]*\)".*/\1/p'
}

# report_login NAME [PASSWORD]: prints the session token ('' on failure).
report_login() {
	local tok
	tok=$(report_token)
	curl -q -s --max-time 20 -D - -o /dev/null -X POST \
	    --data-urlencode "user=$1" \
	    --data-urlencode "password=${2:-$REPORT_PW}" \
	    --data-urlencode "token=$tok" "$HS_URL/admin/login" |
	    sed -n 's/^Set-Cookie: hs_session=\([0-9a-f]*\);.*/\1/p'
}

# report_csrf SID: the CSRF token the pages give that session.
report_csrf() {
	curl -q -s --max-time 20 -H "Cookie: hs_session=$1" "$HS_URL/admin/" |
	    sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -1
}
