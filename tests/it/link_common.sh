# tests/it/link_common.sh: sourced by the link_*.sh tests.  Starts a
# stack, makes a campaign and links with hearsay-admin, shortens the link
# cache to 1 s and waits until the redirector serves them.

ADMIN=$top_builddir/src/admin/hearsay-admin
UA_HUMAN='Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'

admin() {
	"$ADMIN" -f "$HS_CONF" "$@"
}

# Arguments go to hs_stack_start (e.g. --workers 1).
link_setup() {
	hs_stack_start "$@"
	{
		echo "link_cache_secs = 1"
		echo "staff_param = hs_staff"
	} >>"$HS_CONF"
	kill -HUP "$(hs_pid link)"
	admin campaign create --slug itc --name "IT campaign" \
	    --hosts "example.org *.example.net" \
	    --dest "https://example.org/signup" \
	    --fallback "https://example.org/over" >/dev/null
	admin link create --campaign itc --code TEST-0001 --utm-source "news letter" \
	    --utm-medium email --utm-campaign "spring&summer" >/dev/null
	admin link create --campaign itc --code TEST-0002 \
	    --dest "https://www.example.net/path?x=1#frag" >/dev/null
	admin link create --campaign itc --code TEST-0003 \
	    --valid-until "2020-01-01 00:00:00" >/dev/null
	admin link create --campaign itc --code TEST-0004 >/dev/null
	admin link create --campaign itc --code MASS-0001 >/dev/null
	wait_for 20 302 'http_status GET /i/MASS-0001' ||
	    fail "the redirector never served the new links"
}

# Click ids of the link with this code, from MariaDB, sorted.
db_clicks() {
	hs_sql "SELECT c.click_id FROM clicks c JOIN links l ON l.id = c.link_id
	    WHERE l.code = '${1//-/}'" | sort
}

db_count() {
	hs_sql "SELECT COUNT(*) FROM clicks c JOIN links l ON l.id = c.link_id
	    WHERE l.code = '${1//-/}'"
}
