-- Version 13: the platforms' payout schedules (`platforms.csv`: review days, payout rule, minimum
-- payout, check fee, notes; one row per platform name, compared case-insensitively by
-- `name_key`), and partial indexes that find the outstanding entries' status dates for the
-- forecast without reading every entry.
CREATE TABLE platforms (
    name_key TEXT PRIMARY KEY, name TEXT NOT NULL, review_days INTEGER NOT NULL, payout TEXT NOT NULL,
    minimum_payout TEXT NOT NULL, check_fee TEXT NOT NULL, notes TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX hours_outstanding ON hours(submitted_on, approved_on)
    WHERE status IN ('submitted', 'approved') AND (submitted_on IS NOT NULL OR approved_on IS NOT NULL);
CREATE INDEX donations_outstanding ON donations(submitted_on, approved_on)
    WHERE status IN ('submitted', 'approved') AND (submitted_on IS NOT NULL OR approved_on IS NOT NULL);
