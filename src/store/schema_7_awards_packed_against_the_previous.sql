-- Schema version 7: each cached award is packed against the one before it in its day
-- (store/awards.rs): its currency only where it changes, its entry's row id as a difference, ids
-- unsigned, expected as what base lost: a tenth fewer bytes to write at each recompute. Blobs of
-- the old shape are dropped, to be rebuilt at the next report.
DELETE FROM award_days;
DELETE FROM award_deadlines;
DELETE FROM meta WHERE key = 'results_version';
