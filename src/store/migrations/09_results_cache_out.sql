-- Version 9: the results cache leaves the book's schema. Its tables (`awards`, `rollup` and, from
-- version 4 on, `award_days` and `award_deadlines`) are dropped here; the cache now keeps its own
-- schema and version (cache/schema.sql) and is rebuilt at the next report.
DROP TABLE IF EXISTS awards;
DROP TABLE IF EXISTS award_days;
DROP TABLE IF EXISTS award_deadlines;
DROP TABLE IF EXISTS rollup;
DELETE FROM meta WHERE key IN ('results_version', 'results_valid_from', 'results_valid_to', 'payments_digest');
