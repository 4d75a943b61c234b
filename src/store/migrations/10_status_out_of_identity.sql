-- Version 10: an entry's status is no part of its identity (the contract's "identity of rows
-- without an id"), so the digests of hours and donations no longer cover it. No table changes;
-- the digests are recomputed once the migrations have run (see migrations.rs).
SELECT 1;
