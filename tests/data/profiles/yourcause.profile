# Matchbook import profile
# YourCause's payment detail export, as the foundation's German portal writes it:
# two title lines, then a table separated by semicolons, with decimal commas.
profile       YourCause payouts
makes         payments
header        Payment Date;Batch;Payment ID;Transaction Type;Donation Date;Company;Donor Name;Donor Email;Program;Gross Amount;Fee;Net Amount;Currency
skip          2
separator     ;
encoding      windows-1252
date-format   %d.%m.%Y
decimal-mark  ,
thousands     .
payer         YourCause

# Which column holds what.
column date           Payment Date
column disbursement   Batch
column reference      Payment ID
column type           Transaction Type
column gift-date      Donation Date
column employer       Company
column contributor    Donor Name
column email          Donor Email
column project        Program
column amount         Gross Amount
column fees           Fee
column net            Net Amount
column currency       Currency

# Whose money each transaction type is.
type match    Matching Gift
type match    Volunteer Grant
type gift     Donation
type skip     Refund
