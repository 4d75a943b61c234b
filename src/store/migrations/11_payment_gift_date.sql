-- Version 11: a payment says when the money was sent (`date`) and, apart, the day of the gift it is
-- for (`gift_date`, from a platform's report); the digests cover the new column.
ALTER TABLE payments ADD COLUMN gift_date TEXT;
