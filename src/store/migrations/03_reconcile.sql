-- Version 3: reconciliation. Payments say whose money they are and whom it was for (the optional
-- columns of payments.csv); their digests now cover these columns (recomputed after migrating).
ALTER TABLE payments ADD COLUMN employer INTEGER REFERENCES names(id);
ALTER TABLE payments ADD COLUMN contributor INTEGER REFERENCES contributors(id);
ALTER TABLE payments ADD COLUMN type TEXT NOT NULL DEFAULT 'match' CHECK (type IN ('match', 'gift'));
ALTER TABLE payments ADD COLUMN disbursement TEXT NOT NULL DEFAULT '';
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
