-- Schema version 4: the results cache finds a period's awards by where they lie, not by an index.
-- `awards` rows are written in date order, so each day's awards are one run of rowids;
-- `award_days` says which. (Building the date index took a tenth of a million-entry recompute.)
CREATE TABLE award_days (date TEXT PRIMARY KEY, first_award INTEGER NOT NULL, last_award INTEGER NOT NULL) WITHOUT ROWID;
DROP INDEX IF EXISTS awards_date;
DELETE FROM meta WHERE key = 'results_version';
