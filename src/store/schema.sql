-- The book as it is today (schema version 13): every record a user entered or imported. A new book
-- is made from this file; an older book is brought here by `migrations/` (see migrations.rs), and a
-- test checks that both give the same tables. The results cache is not part of the book's schema:
-- it lives in `cache/schema.sql` and is rebuilt, not migrated.
--
-- Amounts are integer cents, hours integer ten-thousandths, dates ISO text. `rid` is the row's
-- internal key; `id` is the stable id users see and exchange. `digest` hashes the columns of the
-- record's identity (every one but `id` and an entry's state: its `status` and the days it reached
-- them, `submitted_on` ... `rejected_on`; names by their interned id), for the identical-row rule of
-- the import.

-- book_tag (in new ids), next_seq (the next id's number), records_version (bumped by every write).
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

-- Employers, projects and payers, compared case-insensitively by `key`.
CREATE TABLE names (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, name TEXT NOT NULL);

-- A contributor as rows name them: one row per (name, email) pair, compared case-insensitively.
CREATE TABLE contributors (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, name TEXT NOT NULL, email TEXT NOT NULL);

CREATE TABLE programs (
    rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, digest INTEGER NOT NULL,
    program TEXT NOT NULL, employer INTEGER NOT NULL REFERENCES names(id), platform TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('volunteer', 'donation')), currency TEXT NOT NULL,
    effective_from TEXT NOT NULL, effective_to TEXT,
    rate_per_hour TEXT, block_hours INTEGER, block_amount INTEGER, min_hours INTEGER,
    match_ratio TEXT, min_gift INTEGER, max_gift INTEGER, annual_cap INTEGER,
    cap_group TEXT NOT NULL, year_start TEXT NOT NULL, claim_days INTEGER, fee_rate TEXT
);

CREATE TABLE employments (
    rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, digest INTEGER NOT NULL,
    contributor INTEGER NOT NULL REFERENCES contributors(id), employer INTEGER NOT NULL REFERENCES names(id),
    start TEXT NOT NULL, "end" TEXT
);

CREATE TABLE hours (
    rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, digest INTEGER NOT NULL,
    date TEXT NOT NULL, contributor INTEGER NOT NULL REFERENCES contributors(id),
    employer INTEGER REFERENCES names(id), project INTEGER NOT NULL REFERENCES names(id),
    hours INTEGER NOT NULL CHECK (hours > 0 AND hours <= 240000), description TEXT NOT NULL,
    status TEXT NOT NULL,
    submitted_on TEXT, approved_on TEXT, paid_on TEXT, rejected_on TEXT
);
-- The outstanding entries that have status dates, for the forecast (see platforms.rs).
CREATE INDEX hours_outstanding ON hours(submitted_on, approved_on)
    WHERE status IN ('submitted', 'approved') AND (submitted_on IS NOT NULL OR approved_on IS NOT NULL);

CREATE TABLE donations (
    rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, digest INTEGER NOT NULL,
    date TEXT NOT NULL, contributor INTEGER NOT NULL REFERENCES contributors(id),
    employer INTEGER REFERENCES names(id), project INTEGER NOT NULL REFERENCES names(id),
    amount INTEGER NOT NULL CHECK (amount > 0), currency TEXT NOT NULL, status TEXT NOT NULL,
    submitted_on TEXT, approved_on TEXT, paid_on TEXT, rejected_on TEXT
);
CREATE INDEX donations_outstanding ON donations(submitted_on, approved_on)
    WHERE status IN ('submitted', 'approved') AND (submitted_on IS NOT NULL OR approved_on IS NOT NULL);

-- Money received. `employer` and `contributor` say whose match it was, `type` whether it is an
-- employer's match or a donor's own gift, `disbursement` the platform's payout it came in, `date`
-- when the money was sent, `gift_date` (when a platform's report says) the gift it is for, and
-- `bank_date`, `bank_reference` when and how its payout reached the bank.
CREATE TABLE payments (
    rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, digest INTEGER NOT NULL,
    date TEXT NOT NULL, payer INTEGER NOT NULL REFERENCES names(id), project INTEGER NOT NULL REFERENCES names(id),
    currency TEXT NOT NULL, gross INTEGER NOT NULL, fees INTEGER NOT NULL, net INTEGER NOT NULL,
    reference TEXT NOT NULL,
    employer INTEGER REFERENCES names(id),
    contributor INTEGER REFERENCES contributors(id),
    type TEXT NOT NULL DEFAULT 'match' CHECK (type IN ('match', 'gift')),
    disbursement TEXT NOT NULL DEFAULT '',
    gift_date TEXT,
    bank_date TEXT,
    bank_reference TEXT NOT NULL DEFAULT '',
    CHECK (gross - fees = net)
);
CREATE INDEX payments_date ON payments(date);
CREATE INDEX payments_disbursement ON payments(disbursement) WHERE disbursement <> '';

-- Which project a value of a platform report's column stands for ("asked once and remembered").
-- `value_key` is the value trimmed and case-folded.
CREATE TABLE project_map (
    platform TEXT NOT NULL, field TEXT NOT NULL, value_key TEXT NOT NULL, value TEXT NOT NULL,
    project TEXT NOT NULL, PRIMARY KEY (platform, field, value_key)
) WITHOUT ROWID;

-- A received payment line and the entries it pays, by their stable ids. An entry is paid once.
-- `prior_status` is the entry's status before the link made it `paid`, restored when unlinked.
CREATE TABLE reconciled (
    payment TEXT NOT NULL, entry TEXT NOT NULL UNIQUE, prior_status TEXT NOT NULL,
    how TEXT NOT NULL CHECK (how IN ('auto', 'chosen')),
    PRIMARY KEY (payment, entry)
) WITHOUT ROWID;

-- Money credited to the bank account, from its statements: what payouts are checked against.
CREATE TABLE deposits (
    rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, digest INTEGER NOT NULL,
    date TEXT NOT NULL, account TEXT NOT NULL, currency TEXT NOT NULL,
    amount INTEGER NOT NULL CHECK (amount > 0), reference TEXT NOT NULL, description TEXT NOT NULL
);
CREATE INDEX deposits_date ON deposits(date);

-- A deposit and the payout it brought (a payment's `disbursement`, or the payment's id when it
-- names none), by stable ids; or a deposit the treasurer marked as no payout's (`payout` empty,
-- `how` 'not matching', `note` why). A payout arrives once.
CREATE TABLE bank_matches (
    deposit TEXT PRIMARY KEY, payout TEXT NOT NULL,
    how TEXT NOT NULL CHECK (how IN ('auto', 'chosen', 'not matching')), note TEXT NOT NULL
) WITHOUT ROWID;
CREATE UNIQUE INDEX bank_matches_payout ON bank_matches(payout) WHERE payout <> '';

-- Saved import profiles (how to read a platform's or bank's CSV), in their text form.
CREATE TABLE import_profiles (name_key TEXT PRIMARY KEY, name TEXT NOT NULL, text TEXT NOT NULL) WITHOUT ROWID;

-- What the treasurer told the book about a platform, for what its reports do not say.
CREATE TABLE platform_settings (
    platform TEXT NOT NULL, setting TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (platform, setting)
) WITHOUT ROWID;

-- The platforms' payout schedules (platforms.csv), one row per platform name compared
-- case-insensitively: review days, payout rule, minimum payout and check fee as written back.
CREATE TABLE platforms (
    name_key TEXT PRIMARY KEY, name TEXT NOT NULL, review_days INTEGER NOT NULL, payout TEXT NOT NULL,
    minimum_payout TEXT NOT NULL, check_fee TEXT NOT NULL, notes TEXT NOT NULL
) WITHOUT ROWID;
