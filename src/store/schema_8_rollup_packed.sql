-- Schema version 8: the monthly sums are packed (store/rollup.rs), one row per grouping, month and
-- currency whose blob holds the sums of every key, instead of a row per key: writing 70,000 rows
-- took a twentieth of a full recompute.
DROP TABLE rollup;
CREATE TABLE rollup (
    dim TEXT NOT NULL, month TEXT NOT NULL, currency TEXT NOT NULL, sums BLOB NOT NULL,
    PRIMARY KEY (dim, month, currency)
) WITHOUT ROWID;
DELETE FROM meta WHERE key = 'results_version';
