-- Schema version 5: the results cache keeps each day's awards packed in one blob (store/awards.rs)
-- instead of one row per award, which was most of a full recompute's time.
DROP TABLE awards;
DROP TABLE award_days;
-- `day` counts days from 0001-01-01 (day 1), so a period is one range of the table's rowids;
-- `first_deadline` and `last_deadline` (days too) bound the claim deadlines of the day's logged
-- awards, so that `report due` unpacks only the days that may hold a claim coming due.
CREATE TABLE award_days (
    day INTEGER PRIMARY KEY, first_deadline INTEGER, last_deadline INTEGER, awards BLOB NOT NULL
);
DELETE FROM meta WHERE key = 'results_version';
