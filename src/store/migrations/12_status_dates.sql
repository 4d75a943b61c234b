-- Version 12: an entry records the day it reached each status (`submitted_on`, `approved_on`,
-- `paid_on`, `rejected_on`; NULL where not known, as for every entry of an older book). They are
-- an entry's state, like its status: no part of its identity, so no digest changes.
ALTER TABLE hours ADD COLUMN submitted_on TEXT;
ALTER TABLE hours ADD COLUMN approved_on TEXT;
ALTER TABLE hours ADD COLUMN paid_on TEXT;
ALTER TABLE hours ADD COLUMN rejected_on TEXT;
ALTER TABLE donations ADD COLUMN submitted_on TEXT;
ALTER TABLE donations ADD COLUMN approved_on TEXT;
ALTER TABLE donations ADD COLUMN paid_on TEXT;
ALTER TABLE donations ADD COLUMN rejected_on TEXT;
