-- Schema version 2: the results cache also records what caps and missed deadlines took, for the
-- overview. The cache is recomputed on next use (results_version no longer matches).
ALTER TABLE awards ADD COLUMN lost_cap INTEGER NOT NULL DEFAULT 0;
ALTER TABLE awards ADD COLUMN lost_deadline INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup ADD COLUMN lost_cap INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup ADD COLUMN lost_deadline INTEGER NOT NULL DEFAULT 0;
DELETE FROM meta WHERE key = 'results_version';
