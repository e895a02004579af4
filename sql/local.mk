# The schema, which hearsay-admin migrate reads from sql_dir (by default
# $(pkgdatadir)/sql), and the demo survey.  Listed by name, as automake
# wants; check-data below fails when a file here is not in a list.
hssqldir = $(pkgdatadir)/sql
dist_hssql_DATA = sql/001_base.sql sql/002_referrals.sql \
	sql/003_survey.sql sql/010_links.sql sql/020_survey.sql \
	sql/030_events.sql sql/040_reconcile.sql sql/041_rollups.sql \
	sql/042_survey_rollups.sql sql/043_reconcile_indexes.sql \
	sql/050_report.sql sql/060_webhooks.sql sql/070_webhook_erasures.sql \
	sql/080_webhook_rotation.sql sql/095_apikey_scope.sql \
	sql/100_signup_erasures.sql sql/101_email_key.sql \
	sql/102_advocate_suggest.sql sql/110_advocate_pages.sql \
	sql/120_flag_reviews.sql sql/121_rule_removal.sql sql/130_manage.sql \
	sql/150_activity.sql sql/151_cohorts.sql sql/160_hourly_invites.sql \
	sql/170_answer_history.sql sql/180_lang.sql sql/190_flagged_index.sql \
	sql/195_event_disabled.sql sql/200_cohort_kfactor.sql \
	sql/201_cohort_referred.sql sql/202_cohort_match.sql \
	sql/210_clicks_recorded_cover.sql \
	sql/225_review_cover.sql sql/230_hourly_link_invites.sql \
	sql/240_rollups_owed.sql sql/250_activity_rowid.sql
hssqldemodir = $(pkgdatadir)/sql/demo
dist_hssqldemo_DATA = sql/demo/survey.json
HS_DATA_LISTED = $(dist_hssql_DATA) $(dist_hssqldemo_DATA)
HS_DATA_GLOBS = sql/*.sql sql/demo/*
