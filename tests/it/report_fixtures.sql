-- tests/it/report_fixtures.sql: seeded data for the report tests.  Rows
-- go straight into the reconcile tables (as hearsay-reconcile would
-- write them) so the report is tested on numbers known in advance.
-- Range 2026-03-01 .. 2026-03-03.  Expected overview, all campaigns:
--   signups 30; referral share tracked 14/30 = 46.7 %, reported 12/30 =
--   40.0 %, either 18/30 = 60.0 %; agreement over both-sided rows 8/9 =
--   88.9 %, kappa 0.795, PABAK 0.833; decoy rate 1/4 = 25.0 %.
-- Campaign 1 (spring) alone: 23 signups, referral share tracked 14/23 =
-- 60.9 %.  (Day rows: referral_tracked 6 + 8, referral_reported 7 + 5,
-- referral_any 10 + 8, consistent with the matrix below.)

INSERT INTO campaigns (id, slug, name, allowed_hosts, default_dest) VALUES
	(1, 'spring', 'Spring drive', 'example.org', 'https://example.org/'),
	(2, 'podcast', 'Podcast push', 'example.org', 'https://example.org/');
INSERT INTO advocates (id, handle, display_name) VALUES
	(1, 'maria', 'Maria Example'),
	(2, 'omar', 'Omar Host');
INSERT INTO events (id, slug, name, host_advocate_id, campaign_id, starts_at)
	VALUES (1, 'berlin-meetup', 'Berlin meetup', 2, 1,
	'2026-03-02 18:00:00');
INSERT INTO links (id, code, campaign_id, advocate_id, event_id, channel,
	destination) VALUES
	(1, 'EVT1BERL', 1, 2, 1, 'event', 'https://example.org/');
INSERT INTO clicks (click_id, clicked_at, link_id, trigger_kind, is_bot) VALUES
	('c0000000000000000000000000000001', '2026-03-02 18:10:00', 1, 'qr', 0),
	('c0000000000000000000000000000002', '2026-03-02 18:11:00', 1, 'qr', 0),
	('c0000000000000000000000000000003', '2026-03-02 18:12:00', 1, 'qr', 0),
	('c0000000000000000000000000000004', '2026-03-02 18:13:00', 1, 'qr', 1);

INSERT INTO daily_aggregates (day, channel, advocate_id, event_id,
	campaign_id, signups, tracked, reported, both_sides, agree, disagree,
	tracked_only, reported_only, unattributed, referral_tracked,
	referral_reported, referral_any, free_text, free_mapped, flagged,
	reviewed) VALUES
	('2026-03-01', 'referral', 1, 0, 1, 10, 6, 8, 4, 3, 1, 2, 4, 0,
	 6, 7, 10, 2, 1, 1, 0),
	('2026-03-01', 'none', 0, 0, 1, 5, 0, 0, 0, 0, 0, 0, 0, 5,
	 0, 0, 0, 0, 0, 0, 0),
	('2026-03-02', 'event', 2, 1, 1, 8, 8, 5, 5, 5, 0, 3, 0, 0,
	 8, 5, 8, 0, 0, 0, 0),
	('2026-03-02', 'podcast', 0, 0, 2, 7, 0, 7, 0, 0, 0, 0, 7, 0,
	 0, 0, 0, 1, 1, 0, 0);
INSERT INTO channel_matrix (day, tracked_channel, reported_channel, n) VALUES
	('2026-03-01', 'referral', 'referral', 3),
	('2026-03-01', 'referral', 'podcast', 1),
	('2026-03-01', 'referral', 'none', 2),
	('2026-03-01', 'none', 'referral', 4),
	('2026-03-01', 'none', 'none', 5),
	('2026-03-02', 'event', 'event', 5),
	('2026-03-02', 'event', 'none', 3),
	('2026-03-02', 'none', 'podcast', 7);
-- The rollups of 041, as hearsay-reconcile derives them from the rows
-- above (its statements STMT_RU_DAYS_INSERT, STMT_RU_ADV_INSERT); the
-- campaign matrix splits channel_matrix: the podcast row is campaign 2's.
INSERT INTO rollup_days (day, campaign_id, signups, tracked, reported,
	both_sides, agree, disagree, tracked_only, reported_only, unattributed,
	referral_tracked, referral_reported, referral_any, free_text,
	free_mapped, flagged, reviewed)
	SELECT day, campaign_id, SUM(signups), SUM(tracked), SUM(reported),
	SUM(both_sides), SUM(agree), SUM(disagree), SUM(tracked_only),
	SUM(reported_only), SUM(unattributed), SUM(referral_tracked),
	SUM(referral_reported), SUM(referral_any), SUM(free_text),
	SUM(free_mapped), SUM(flagged), SUM(reviewed)
	FROM daily_aggregates GROUP BY day, campaign_id;
INSERT INTO rollup_advocate_months (month, campaign_id, advocate_id, signups,
	tracked, reported_only, agree, flagged, reviewed)
	SELECT DATE_FORMAT(day, '%Y-%m-01'), campaign_id, advocate_id,
	SUM(signups), SUM(tracked), SUM(reported_only), SUM(agree),
	SUM(flagged), SUM(reviewed) FROM daily_aggregates
	WHERE advocate_id <> 0 GROUP BY 1, 2, 3;
INSERT INTO campaign_matrix (day, campaign_id, tracked_channel,
	reported_channel, n)
	SELECT day, IF(tracked_channel = 'none' AND
	reported_channel = 'podcast', 2, 1), tracked_channel,
	reported_channel, n FROM channel_matrix;
-- One flagged attribution, so the advocates table shows its flags.
INSERT INTO attributions (signup_ref, day, class, tracked_channel,
	reported_channel, channel, advocate_id, campaign_id, rule, confidence,
	risk_flags, computed_at) VALUES
	('s-flagged', '2026-03-01', 'agree', 'referral', 'referral',
	'referral', 1,
	1, 'handle', 1.000, 'self_referral,velocity', '2026-03-01 10:00:00');

INSERT INTO surveys (id, slug, question) VALUES
	(1, 'welcome', 'How did you hear about us?');
INSERT INTO survey_options (survey_id, opt_key, label, channel, position,
	pinned, decoy) VALUES
	(1, 'friend', 'A friend', 'friend', 1, 0, 0),
	(1, 'podcast', 'A podcast', 'podcast', 2, 0, 0),
	(1, 'tiktok', 'TikTok', 'social', 3, 0, 1),
	(1, 'other', 'Other', 'other', 4, 1, 0);
INSERT INTO responses (submission_id, survey_id, answered_at, options,
	shown_order, other_text) VALUES
	('r0000000000000000000000000000001', 1, '2026-03-01 09:00:00',
	 'friend', 'friend podcast tiktok other', NULL),
	('r0000000000000000000000000000002', 1, '2026-03-01 09:05:00',
	 'podcast', 'tiktok podcast friend other', NULL),
	('r0000000000000000000000000000003', 1, '2026-03-02 09:00:00',
	 'tiktok', 'tiktok friend podcast other', NULL),
	('r0000000000000000000000000000004', 1, '2026-03-02 09:30:00',
	 'other', 'podcast friend tiktok other',
	 '<script>alert(1)</script>');
-- The rollups of 042, as hearsay-reconcile derives them from the raw rows
-- above (its statements STMT_SR_DAYS_INSERT, STMT_SR_POS_INSERT,
-- STMT_SR_SCANS_INSERT, over every day): the overview reads these, not
-- responses and clicks.
INSERT INTO rollup_survey_days (day, campaign_id, answers, decoy_answers)
	SELECT DATE(r.answered_at), COALESCE(s.campaign_id, 0), COUNT(*),
	SUM(EXISTS (SELECT 1 FROM survey_options o WHERE
	o.survey_id = r.survey_id AND o.decoy = 1 AND
	FIND_IN_SET(o.opt_key, REPLACE(r.options, ' ', ',')) > 0))
	FROM responses r LEFT JOIN signups s ON s.signup_ref = r.signup_ref
	GROUP BY 1, 2;
INSERT INTO rollup_survey_positions (day, campaign_id, position, answers)
	SELECT DATE(r.answered_at), COALESCE(s.campaign_id, 0),
	FIND_IN_SET(SUBSTRING_INDEX(r.options, ' ', 1),
	REPLACE(r.shown_order, ' ', ',')), COUNT(*)
	FROM responses r LEFT JOIN signups s ON s.signup_ref = r.signup_ref
	WHERE r.options <> '' GROUP BY 1, 2, 3;
INSERT INTO rollup_event_scans (event_id, day, scans)
	SELECT l.event_id, DATE(c.clicked_at), COUNT(*) FROM clicks c
	JOIN links l ON l.id = c.link_id WHERE l.event_id IS NOT NULL AND
	c.trigger_kind = 'qr' AND c.is_bot = 0 GROUP BY 1, 2;

INSERT INTO review_queue (kind, norm_text, sample_text, n, first_seen,
	last_seen) VALUES
	('referrer_text', 'maria e', 'Maria E.', 5, '2026-03-01', '2026-03-02'),
	('other_text', '<script>alert(1)</script>',
	 '<script>alert(1)</script>', 3, '2026-03-01', '2026-03-02'),
	('other_text', '=hyperlink("http://evil","x")',
	 '=HYPERLINK("http://evil","x")', 1, '2026-03-02', '2026-03-02');
