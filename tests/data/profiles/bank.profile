# Matchbook import profile
# First Example Bank's "Download transactions (CSV)" of the checking account.
profile       First Example Bank checking
makes         deposits
header        Date,Description,Reference,Debit,Credit,Balance
date-format   %m/%d/%Y
thousands     ,
currency      USD
account       Checking
column date          Date
column credit        Credit
column debit         Debit
column balance       Balance
column reference     Reference
column description   Description
