-- Schema version 6: the monthly sums are kept in order of grouping, month, currency and key
-- (`slot`: 0 for none, else the key's id + 1), so that they need no index of their own: writing
-- them in that order appends, where indexing 70,000 rows after each recompute took ~0.07 s.
DROP TABLE rollup;
CREATE TABLE rollup (
    dim TEXT NOT NULL, month TEXT NOT NULL, currency TEXT NOT NULL, slot INTEGER NOT NULL, key,
    hours INTEGER NOT NULL, gift INTEGER NOT NULL, expected INTEGER NOT NULL, fee INTEGER NOT NULL,
    lost_cap INTEGER NOT NULL, lost_deadline INTEGER NOT NULL,
    PRIMARY KEY (dim, month, currency, slot)
) WITHOUT ROWID;
DELETE FROM meta WHERE key = 'results_version';
