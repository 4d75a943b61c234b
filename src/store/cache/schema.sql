-- The results cache: the rules engine's results for one report date, kept so that reports need
-- not run the engine. Every table of the cache is named `cache_*`; all of them are dropped and
-- made again from this file when the book's cache was made by code of another CACHE_VERSION
-- (cache/mod.rs), so that a change to this file is no migration of the book.

-- computed_from: the book's records_version the results were computed from; valid_from and
-- valid_to: the report dates they hold for (no logged claim's deadline falls between);
-- version: the CACHE_VERSION that made these tables.
CREATE TABLE cache_state (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

-- Each day's awards, packed in one blob (cache/awards.rs). `day` counts days from 0001-01-01
-- (day 1), so a period is one range of the table's rowids.
CREATE TABLE cache_award_days (day INTEGER PRIMARY KEY, awards BLOB NOT NULL);

-- The claim deadlines (days too) of each day's logged awards, so that `report due` unpacks only
-- the days that hold a claim coming due.
CREATE TABLE cache_award_deadlines (deadline INTEGER NOT NULL, day INTEGER NOT NULL, PRIMARY KEY (deadline, day))
    WITHOUT ROWID;

-- The awards summed per grouping (project, employer, contributor or program), month and currency,
-- every key's sums packed in one blob (cache/monthly_sums.rs), so that long periods stay fast.
CREATE TABLE cache_monthly_sums (
    dim TEXT NOT NULL, month TEXT NOT NULL, currency TEXT NOT NULL, sums BLOB NOT NULL,
    PRIMARY KEY (dim, month, currency)
) WITHOUT ROWID;
