-- Schema version 5: the results cache keeps each day's awards packed in one blob (store/awards.rs)
-- instead of one row per award, which was most of a full recompute's time.
DROP TABLE awards;
DROP TABLE award_days;
-- `day` counts days from 0001-01-01 (day 1), so a period is one range of the table's rowids.
CREATE TABLE award_days (day INTEGER PRIMARY KEY, awards BLOB NOT NULL);
-- The claim deadlines (days too) of each day's logged awards, so that `report due` unpacks only
-- the days that hold a claim coming due.
CREATE TABLE award_deadlines (deadline INTEGER NOT NULL, day INTEGER NOT NULL, PRIMARY KEY (deadline, day))
    WITHOUT ROWID;
DELETE FROM meta WHERE key = 'results_version';
