-- Version 11: money in from every platform, checked against the bank.
-- A payment says when the money was sent (`date`) and, apart, the day of the gift it is for
-- (`gift_date`), when its payout reached the bank (`bank_date`) and under which reference
-- (`bank_reference`); the digests cover the new columns. Bank statements' credits are deposits;
-- `bank_matches` says which payout each deposit brought; saved import profiles read other layouts.
ALTER TABLE payments ADD COLUMN gift_date TEXT;
ALTER TABLE payments ADD COLUMN bank_date TEXT;
ALTER TABLE payments ADD COLUMN bank_reference TEXT NOT NULL DEFAULT '';

CREATE TABLE deposits (
    rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, digest INTEGER NOT NULL,
    date TEXT NOT NULL, account TEXT NOT NULL, currency TEXT NOT NULL,
    amount INTEGER NOT NULL CHECK (amount > 0), reference TEXT NOT NULL, description TEXT NOT NULL
);
CREATE INDEX deposits_date ON deposits(date);

CREATE TABLE bank_matches (
    deposit TEXT PRIMARY KEY, payout TEXT NOT NULL,
    how TEXT NOT NULL CHECK (how IN ('auto', 'chosen', 'not matching')), note TEXT NOT NULL
) WITHOUT ROWID;
CREATE UNIQUE INDEX bank_matches_payout ON bank_matches(payout) WHERE payout <> '';

CREATE TABLE import_profiles (name_key TEXT PRIMARY KEY, name TEXT NOT NULL, text TEXT NOT NULL) WITHOUT ROWID;

-- What the treasurer told the book about a platform, for what its reports do not say.
CREATE TABLE platform_settings (
    platform TEXT NOT NULL, setting TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (platform, setting)
) WITHOUT ROWID;
