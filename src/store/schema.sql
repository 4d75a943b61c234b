-- Matchbook book, schema version 1. Amounts are integer cents, hours integer ten-thousandths,
-- dates ISO text. `rid` is the row's internal key; `id` is the stable id users see and exchange.
-- `digest` hashes every column but `id` (names by their interned id), for the identical-row rule.

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
    status TEXT NOT NULL
);

CREATE TABLE donations (
    rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, digest INTEGER NOT NULL,
    date TEXT NOT NULL, contributor INTEGER NOT NULL REFERENCES contributors(id),
    employer INTEGER REFERENCES names(id), project INTEGER NOT NULL REFERENCES names(id),
    amount INTEGER NOT NULL CHECK (amount > 0), currency TEXT NOT NULL, status TEXT NOT NULL
);

CREATE TABLE payments (
    rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, digest INTEGER NOT NULL,
    date TEXT NOT NULL, payer INTEGER NOT NULL REFERENCES names(id), project INTEGER NOT NULL REFERENCES names(id),
    currency TEXT NOT NULL, gross INTEGER NOT NULL, fees INTEGER NOT NULL, net INTEGER NOT NULL,
    reference TEXT NOT NULL, CHECK (gross - fees = net)
);
CREATE INDEX payments_date ON payments(date);

-- The rules engine's results, a cache: valid only while meta.results_version equals
-- meta.records_version and the report date lies in meta.results_valid_from..=results_valid_to.
CREATE TABLE awards (
    entry_kind TEXT NOT NULL, entry_rid INTEGER NOT NULL, program_rid INTEGER,
    date TEXT NOT NULL, contributor INTEGER NOT NULL, employer INTEGER, project INTEGER NOT NULL,
    currency TEXT NOT NULL, status TEXT NOT NULL, hours INTEGER NOT NULL, gift INTEGER NOT NULL,
    base INTEGER NOT NULL, expected INTEGER NOT NULL, fee INTEGER NOT NULL, deadline TEXT, reasons INTEGER NOT NULL
);
-- Its indexes are made by the code that fills it (store/load.rs, AWARD_INDEXES), after each fill.

-- The awards summed per month for each grouping of `report expected` (`dim` is project, employer,
-- contributor or program; `key` the name id, or the program's name), so long periods stay fast.
CREATE TABLE rollup (
    dim TEXT NOT NULL, key, month TEXT NOT NULL, currency TEXT NOT NULL,
    hours INTEGER NOT NULL, gift INTEGER NOT NULL, expected INTEGER NOT NULL, fee INTEGER NOT NULL
);
