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

# ------------------------------------------------- counting 302s as rows
# The fault tests (link_faults.sh, tests/cluster/cluster_faults.sh) put
# a load of curl loops on /i/MASS-0001, fault the system under it, and
# then prove that every 302 the load was answered is one click row.
# They set LOOPS (parallel loops), BATCH (requests per curl process, one
# kept connection), MAXROUNDS (a bound on each loop) and CURL_MAXTIME.

# Starts LOOPS curl loops until $HS_TMP/stop exists; each writes
# "status url" lines to $HS_TMP/load.N.  Sets LOADPIDS.
clicks_load_start() {
	local i k urls=()
	rm -f "$HS_TMP"/stop "$HS_TMP"/load.*
	for ((k = 0; k < BATCH; k++)); do
		urls+=("$HS_URL/i/MASS-0001")
	done
	LOADPIDS=()
	for ((i = 0; i < LOOPS; i++)); do
		(
			for ((r = 0; r < MAXROUNDS; r++)); do
				[[ -e $HS_TMP/stop ]] && break
				curl -q -s -o /dev/null --max-time "$CURL_MAXTIME" \
				    -A "$UA_HUMAN" \
				    -w '%{http_code} %{redirect_url}\n' \
				    "${urls[@]}" || true
			done >>"$HS_TMP/load.$i"
		) &
		LOADPIDS+=($!)
	done
}

# Stops the loops; the served click ids, sorted, go to $HS_TMP/served
# (all answers to $HS_TMP/all); SERVED and OTHER count 302s and the rest.
clicks_load_stop() {
	touch "$HS_TMP/stop"
	wait "${LOADPIDS[@]}" || true
	cat "$HS_TMP"/load.* >"$HS_TMP/all"
	SERVED=$(grep -c '^302 ' "$HS_TMP/all" || true)
	OTHER=$(grep -vc '^302 ' "$HS_TMP/all" || true)
	grep '^302 ' "$HS_TMP/all" | sed 's/.*hs_click=//' | sort >"$HS_TMP/served"
}

# 302s the running load has reported so far (curl writes its lines as
# each of its processes ends, every BATCH requests).
served_now() {
	cat "$HS_TMP"/load.* 2>/dev/null | grep -c '^302 ' || true
}

# clicks_match NAME: waits (up to 60 s: the loaders replay journals a
# second after the database is back) until every served click id is a
# row of MASS-0001; checks that, the ids' uniqueness and that no click
# is stored twice.  Sets EXTRA to the rows no 302 reported: the caller
# says how many it allows.
clicks_match() {
	local name=$1 missing end=$((SECONDS + 60))
	while :; do
		db_clicks MASS-0001 >"$HS_TMP/db"
		missing=$(comm -23 "$HS_TMP/served" "$HS_TMP/db" | wc -l)
		((missing == 0 || SECONDS > end)) && break
		sleep 0.5
	done
	is "$missing" 0 "$name: every 302's click is a row ($SERVED served)"
	is "$(sort -u "$HS_TMP/served" | wc -l)" "$SERVED" "$name: click ids unique"
	is "$(hs_sql "SELECT COUNT(*) - COUNT(DISTINCT click_id) FROM clicks")" 0 \
	    "$name: no click twice"
	EXTRA=$(comm -13 "$HS_TMP/served" "$HS_TMP/db" | wc -l)
}
