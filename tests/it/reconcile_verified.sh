#!/bin/bash
# reconcile_verified.sh: which answer counts when one person has several
# (issue 22).  A verified answer (signed signup token, or the API) counts
# before any unverified one that names the same signup reference, and the
# latest counts among equals -- for a signup the app reported, and for an
# answer that names no known signup.  An unverified answer once overrode
# the person's own verified one just by being later.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/reconcile_lib.sh"

hs_stack_start --no-programs
ADMIN="$top_builddir/src/admin/hearsay-admin -f $HS_CONF"

# Two surveys with the same options, so that a person can answer both.
sed 's/"slug": "welcome"/"slug": "second"/' "$top_srcdir/sql/demo/survey.json" \
    >"$HS_TMP/second.json"
ok $ADMIN survey import "$top_srcdir/sql/demo/survey.json" "$HS_TMP/second.json"

# answer REF SURVEY MINUTE OPTION VERIFIED
n=0
answer() {
	n=$((n + 1))
	hs_sql "INSERT INTO responses (submission_id, survey_id, signup_ref,
	    answered_at, options, shown_order, verified) SELECT
	    LPAD('$n', 32, 'a'), id, '$1', UTC_TIMESTAMP(3) - INTERVAL 2 HOUR
	    + INTERVAL $3 MINUTE, '$4',
	    'search podcast newsletter', $5 FROM surveys WHERE slug = '$2'"
}
reported() {
	hs_sql "SELECT reported_channel FROM attributions WHERE signup_ref = '$1'"
}
hs_sql "INSERT INTO signups (signup_ref, signed_up_at) VALUES
    ('known-1', UTC_TIMESTAMP(3) - INTERVAL 3 HOUR),
    ('known-2', UTC_TIMESTAMP(3) - INTERVAL 3 HOUR)"

# A known signup: verified first, a later unverified one on another survey.
answer known-1 welcome 10 search 1
answer known-1 second 20 podcast 0
# A known signup, two verified answers: the latest counts.
answer known-2 welcome 10 search 1
answer known-2 second 20 podcast 1
# No signup row: the same two cases.
answer loose-1 welcome 10 search 1
answer loose-1 second 20 podcast 0
answer loose-2 welcome 10 search 1
answer loose-2 second 20 podcast 1
# Unverified first, verified later: the verified one.
answer loose-3 welcome 10 podcast 0
answer loose-3 second 20 search 1

ok rc_run --full
is "$(reported known-1)" search "known signup: the verified answer, not a later unverified one"
is "$(reported known-2)" podcast "known signup, both verified: the latest"
is "$(reported loose-1)" search "no signup row: the verified answer, not a later unverified one"
is "$(reported loose-2)" podcast "no signup row, both verified: the latest"
is "$(reported loose-3)" search "no signup row: a later verified answer counts"

# After a run: a late unverified answer changes nothing on the next
# (incremental) run, a late verified one does.
sed 's/"slug": "welcome"/"slug": "third"/' "$top_srcdir/sql/demo/survey.json" \
    >"$HS_TMP/third.json"
ok $ADMIN survey import "$HS_TMP/third.json"
answer known-2 third 30 newsletter 0
answer known-1 third 30 newsletter 1
ok rc_run
is "$(reported known-2)" podcast "incremental: a late unverified answer does not override"
is "$(reported known-1)" newsletter "incremental: a late verified answer does"
is "$(hs_sql "SELECT COUNT(*) FROM attributions WHERE signup_ref LIKE 'loose-%' OR
    signup_ref LIKE 'known-%'")" 5 "one attribution per person"
ok rc_run --full
is "$(reported known-2)" podcast "full run: the same"
is "$(reported known-1)" newsletter "full run: the same (verified)"

done_testing
