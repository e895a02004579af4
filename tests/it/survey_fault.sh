#!/usr/bin/env bash
# tests/it/survey_fault.sh: TESTING.md 3b row 1 for the survey.  MariaDB
# is stopped in the middle of a bounded stream of submissions and started
# again; every answer that got the thank-you redirect must end up in
# MariaDB exactly once (directly, or journalled and loaded by the
# helper), and no submission may get anything but 303 or 503.
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"

N=60			# submissions in the stream
PAUSE=0.1		# seconds between two submissions
LOAD_WAIT=60		# seconds the loader may take after the restart

hs_stack_start
ADMIN="$top_builddir/src/admin/hearsay-admin -f $HS_CONF"
cat >"$HS_TMP/open.json" <<'EOF'
{ "slug": "it-fault", "question": "How did you hear about us?",
  "allow_unsigned": true,
  "options": [ { "key": "search", "label": "Search", "channel": "search" },
    { "key": "other", "label": "Other", "channel": "other", "pinned": true,
      "followup": "other" } ] }
EOF
ok $ADMIN survey import "$HS_TMP/open.json"

# The nonce (submission_id) inside a form token's signed payload.
nonce_of() {
	local p=${1%%.*}
	while (( ${#p} % 4 )); do p+="="; done
	printf '%s' "$p" | tr '_-' '/+' | base64 -d 2>/dev/null | cut -c1-32
}

# N forms while MariaDB is up (each worker then has the survey cached).
: >"$HS_TMP/tokens"
for i in $(seq 1 "$N"); do
	ft=$(curl -q -s --max-time 10 "$HS_URL/s/it-fault" |
	    grep -o 'name="ft" value="[^"]*"' | sed 's/.*value="//; s/"$//')
	printf '%s\n' "$ft" >>"$HS_TMP/tokens"
done
is "$(grep -c . "$HS_TMP/tokens")" "$N" "$N forms fetched"

# The stream, in the background: "status nonce" per submission.
stream() {
	local ft i=0 st
	while read -r ft; do
		i=$((i + 1))
		st=$(curl -q -s -o /dev/null -w '%{http_code}' --max-time 30 \
		    --data-urlencode "ft=$ft" --data-urlencode o=other \
		    --data-urlencode "f_other=answer $i" "$HS_URL/s/it-fault" || true)
		echo "$st $(nonce_of "$ft")"
		sleep "$PAUSE"
	done <"$HS_TMP/tokens" >"$HS_TMP/results"
}
stream &
spid=$!
sleep 1
hs_db_stop
diag "MariaDB stopped"
sleep 2
hs_db_start
diag "MariaDB started again"
wait "$spid"

is "$(grep -c . "$HS_TMP/results")" "$N" "every submission answered"
is "$(grep -vcE '^(303|503) ' "$HS_TMP/results" || true)" 0 "only 303 or 503"
thanked=$(grep -c '^303 ' "$HS_TMP/results" || true)
ok test "$thanked" -gt 0
like "$(cat "$HS_DIR/log/survey.log")" 'answer journalled' \
    "answers were journalled while MariaDB was down"

# The loader replays the journal; wait until every thanked answer is in.
for i in $(seq 1 "$LOAD_WAIT"); do
	got=$(hs_sql "SELECT COUNT(*) FROM responses r JOIN surveys s ON s.id = r.survey_id
	    WHERE s.slug = 'it-fault'" 2>/dev/null || echo 0)
	((got >= thanked)) && break
	sleep 1
done
is "$got" "$thanked" "as many answers stored as thanked"
grep '^303 ' "$HS_TMP/results" | cut -d' ' -f2 | sed "s/.*/'&'/" | paste -sd, >"$HS_TMP/ids"
is "$(hs_sql "SELECT COUNT(DISTINCT submission_id) FROM responses
    WHERE submission_id IN ($(cat "$HS_TMP/ids"))")" "$thanked" \
    "every thanked answer is stored, each exactly once"
is "$(hs_sql "SELECT COUNT(*) - COUNT(DISTINCT other_text) FROM responses")" 0 \
    "no duplicates"

done_testing
