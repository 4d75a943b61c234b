//! Bad files of every money-in reader, through the real `matchbook` binary: each made by editing
//! a good sample here, each refused by `matchbook import` with an error that names the file, the
//! line (and the column, where there is one) and what is wrong, and each leaving the book exactly
//! as it was (every exported file compared before and after).

mod common;

use common::*;

const DISBURSEMENTS: &str = include_str!("data/benevity-disbursement-sample.csv");
const DONATIONS_OF_EXDISB0325: &str = include_str!("data/benevity-donations-EXDISB0325.csv");
const BRIGHT_FUNDS: &str = include_str!("data/brightfunds-sample.csv");
const OFX: &[u8] = include_bytes!("data/bank-statement.ofx");
const OFX_V2: &str = include_str!("data/bank-statement-v2.ofx");
const YOURCAUSE_PROFILE: &str = include_str!("data/profiles/yourcause.profile");
/// windows-1252, as the profile says.
const YOURCAUSE: &[u8] = include_bytes!("data/profiles/yourcause-payouts.csv");
const BANK_PROFILE: &str = include_str!("data/profiles/bank.profile");
const BANK_CSV: &str = include_str!("data/profiles/bank-statement.csv");
const BANK_CSV_UTF16: &[u8] = include_bytes!("data/profiles/bank-statement-utf16.csv");

const BANK: &str = "First Example Bank checking";

/// A book that can read every sample: the mappings of Benevity's, Bright Funds' and YourCause's
/// projects, Bright Funds' currency, both saved profiles; and that holds records already (the
/// disbursement report, the Bright Funds report and the OFX statement), so that a refused import
/// that half happened would show.
fn book() -> Book {
    let book = Book::new();
    map_sample_benevity(&book);
    book.ok(&["platform", "set", "bright funds", "currency", "USD"]);
    book.ok(&["map", "set", "--platform", "bright funds", "designation", "Project: Widgets", "Widgets"]);
    book.ok(&["map", "set", "--platform", "bright funds", "designation", "Project: Gadgets", "Gadgets"]);
    book.ok(&["map", "set", "--platform", "bright funds", "fund-name", "Open Science Fund", "Widgets"]);
    for (name, text) in [("yourcause.profile", YOURCAUSE_PROFILE), ("bank.profile", BANK_PROFILE)] {
        let profile = book.write(name, text);
        book.ok(&["profile".as_ref(), "import".as_ref(), profile.as_os_str()]);
    }
    book.ok(&["map", "set", "--platform", "YourCause payouts", "program", "Project: Widgets", "Widgets"]);
    book.ok(&["map", "set", "--platform", "YourCause payouts", "program", "Project: Gadgets", "Gadgets"]);
    let held = [
        book.write("held-disbursements.csv", DISBURSEMENTS),
        book.write("held-brightfunds.csv", BRIGHT_FUNDS),
        book.write("held-statement.ofx", OFX),
    ];
    book.import(&held.iter().map(|p| p.as_path()).collect::<Vec<_>>());
    book
}

/// `text` with the first `from` made `to`; `from` must be there, so that no variant is the
/// sample itself by mistake.
fn edit(text: impl AsRef<[u8]>, from: &str, to: &str) -> Vec<u8> {
    let text = text.as_ref();
    let at = text
        .windows(from.len())
        .position(|w| w == from.as_bytes())
        .unwrap_or_else(|| panic!("{from:?} is not in the sample"));
    [&text[..at], to.as_bytes(), &text[at + from.len()..]].concat()
}

/// The line (1-based) of `text` that holds `needle`.
fn line_of(text: &[u8], needle: &str) -> usize {
    let text = String::from_utf8_lossy(text);
    1 + text.lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("{needle:?} is not in the text"))
}

/// What a test checks the book against: its export when the test began.
struct Unchanged<'b> {
    book: &'b Book,
    export: Export,
}

impl<'b> Unchanged<'b> {
    fn new(book: &'b Book) -> Unchanged<'b> {
        Unchanged { book, export: book.export() }
    }

    /// The unedited sample (written as `name`) reads: each variant is refused for its edit alone.
    fn reads(&self, name: &str, bytes: impl AsRef<[u8]>, options: &[&str]) {
        let path = self.book.write(name, bytes);
        let mut args: Vec<&std::ffi::OsStr> = vec!["import".as_ref(), "--dry-run".as_ref()];
        args.extend(options.iter().map(std::ffi::OsStr::new));
        args.push(path.as_os_str());
        self.book.ok(&args);
    }

    /// Imports `bytes` as the file `name` (with `options`), which must be refused with an error
    /// `name:WHERE: ...REASON...` (WHERE: the line, and `: column C` where there is one), and the
    /// book must be as it was.
    fn refuses(&self, name: &str, bytes: impl AsRef<[u8]>, options: &[&str], at: &str, reason: &str) {
        let path = self.book.write(name, bytes);
        let mut args: Vec<&std::ffi::OsStr> = vec!["import".as_ref()];
        args.extend(options.iter().map(std::ffi::OsStr::new));
        args.push(path.as_os_str());
        let err = self.book.fails(&args);
        let place = format!("{name}:{at}: ");
        let error = err.lines().find(|l| l.starts_with("error: ") && l.contains(&place));
        let Some(error) = error else {
            panic!("{name}: no error at {place:?}:\n{err}");
        };
        assert!(error.contains(reason), "{name}: the error at {place:?} does not say {reason:?}:\n{err}");
        assert!(err.contains("the book was not changed"), "{name}:\n{err}");
        let after = self.book.export();
        let changed: Vec<&String> = after.keys().filter(|f| after.get(*f) != self.export.get(*f)).collect();
        assert!(changed.is_empty(), "{name}: refused, yet the book's {changed:?} changed");
    }
}

#[test]
fn benevity_donations_reports_that_do_not_add_up_are_refused() {
    let book = book();
    let book = Unchanged::new(&book);
    let report = DONATIONS_OF_EXDISB0325;
    book.reads("donations.csv", report, &[]);
    // A line's donation changed, its Totals row not.
    book.refuses(
        "wrong-totals.csv",
        edit(report, "50.00,50.00,2.90", "55.00,50.00,2.90"),
        &[],
        "15: column Total Donation to be Acknowledged",
        "Totals says 1250.00 but the lines add up to 1255.00",
    );
    // The trailer's net is not the gross less the fees.
    book.refuses(
        "wrong-net.csv",
        edit(report, "Net Total Payment,\"2,668.80\"", "Net Total Payment,\"2,686.80\""),
        &[],
        "18: column Net Total Payment",
        "the trailer says 2686.80 but gross 2750.00 less fees 81.20 and check fee 0.00 is 2668.80",
    );
    // Everything adds up, but the card fee is larger than the donor's gift it was charged on.
    let fee =
        edit(report, "Payroll,User Donation,50.00,50.00,2.90,1.45,", "Payroll,User Donation,1.00,99.00,0.00,50.00,");
    let fee = edit(&fee, "\"1,250.00\",\"1,500.00\",79.75,1.45", "\"1,201.00\",\"1,549.00\",76.85,50.00");
    let fee = edit(&fee, "Net Total Payment,\"2,668.80\"", "Net Total Payment,\"2,623.15\"");
    book.refuses(
        "merchant-fee.csv",
        fee,
        &[],
        "14: column Merchant Fee",
        "the donor's gift of 1.00 would bear 50.00 of fees",
    );
    // A check fee, shared by the lines in proportion to their amounts, on a line whose own fees
    // take all of its match.
    let fee = edit(report, "Volunteer Reward,0.00,250.00,7.25,", "Volunteer Reward,0.00,250.00,250.00,");
    let fee = edit(&fee, "\"1,250.00\",\"1,500.00\",79.75,1.45", "\"1,250.00\",\"1,500.00\",322.50,1.45");
    let fee = edit(
        &fee,
        "Check Fee,0.00\nNet Total Payment,\"2,668.80\"",
        "Check Fee,100.00\nNet Total Payment,\"2,326.05\"",
    );
    book.refuses(
        "check-fee.csv",
        fee,
        &[],
        "13: column Cause Support Fee",
        "the employer's match of 250.00 would bear 259.09 of fees",
    );
    // One disbursement is in one currency.
    book.refuses(
        "other-currency.csv",
        edit(report, "Recurring,USD", "Recurring,EUR"),
        &[],
        "14: column Currency",
        "EUR differs from the report's currency USD",
    );
}

#[test]
fn benevity_disbursement_reports_that_cannot_be_read_as_they_stand_are_refused() {
    let book = book();
    let book = Unchanged::new(&book);
    let report = DISBURSEMENTS;
    book.reads("disbursements.csv", report, &[]);
    book.refuses(
        "rate.csv",
        edit(report, "USD,1.0,0.00,250.00", "USD,0.74,0.00,250.00"),
        &[],
        "3: column Foreign Exchange Rate",
        "the row is at rate 0.74",
    );
    book.refuses(
        "currency-change.csv",
        edit(report, "Volunteer Reward,USD", "Volunteer Reward,CAD"),
        &[],
        "3: column Donation Currency",
        "\"CAD\" differs from \"USD\" on line 2, in the same disbursement EXDISB0325",
    );
    // The rows of one disbursement reached the bank on one day.
    book.refuses(
        "bank-date-change.csv",
        edit(
            report,
            "2025-04-30,EXBANK781140,EFT,American Online Giving Foundation,Contoso",
            "2025-05-01,EXBANK781140,EFT,American Online Giving Foundation,Contoso",
        ),
        &[],
        "6: column Bank Date",
        "\"2025-05-01\" differs from \"2025-04-30\" on line 5, in the same disbursement EXDISB0425",
    );
    book.refuses(
        "missing-column.csv",
        edit(report, "Donation Currency,", "Donation Curr,"),
        &[],
        "1",
        "the disbursement report lacks the column(s) Donation Currency",
    );
    // Fees that eat more than the row brings.
    book.refuses(
        "fees.csv",
        edit(report, "0.00,250.00,7.25", "0.00,250.00,257.25"),
        &[],
        "3: column Cause Support Fee",
        "the fees are larger than the donation and match",
    );
    // A card fee larger than the donor's gift it was charged on: a payment of less than nothing.
    book.refuses(
        "merchant-fee.csv",
        edit(report, "USD,1.0,100.00,0.00,2.90,2.20", "USD,1.0,1.00,100.00,0.00,51.00"),
        &[],
        "6: column Merchant Fee",
        "the donor's gift of 1.00 would bear 51.00 of fees",
    );
    // A decimal comma (1.200,00 read without its comma would be 1.20).
    book.refuses(
        "decimal-comma.csv",
        edit(report, "\"1,200.00\",\"1,200.00\",69.60", "\"1.200,00\",\"1.200,00\",69.60"),
        &[],
        "2: column Donation Amount",
        "\"1.200,00\" is not an amount like 1,000.00",
    );
    book.refuses(
        "nines.csv",
        edit(report, "USD,1.0,0.00,250.00", &format!("USD,1.0,0.00,{}", "9".repeat(28))),
        &[],
        "3: column Match Amount",
        "is absurdly large",
    );
    book.refuses(
        "transaction-twice.csv",
        edit(report, "EXTX000102", "EXTX000101"),
        &[],
        "3: column Transaction ID",
        "EXTX000101 is also on line 2",
    );

    // Not refused: an unknown Donation Type decides nothing (the amount columns say whose money
    // it is), so the row is read as every row and the value reported.
    let unknown = book.book.write("unknown-type.csv", edit(report, "Volunteer Reward", "Dollars for Doers"));
    let out = book.book.run(&["import".as_ref(), "--dry-run".as_ref(), unknown.as_os_str()]);
    assert!(out.status.success());
    let warned = String::from_utf8_lossy(&out.stderr);
    assert!(warned.contains("Donation Type \"Dollars for Doers\" (line(s) 3) is not one Matchbook knows"), "{warned}");
}

#[test]
fn bright_funds_reports_with_an_unknown_transaction_type_or_amount_are_refused() {
    let book = book();
    let book = Unchanged::new(&book);
    let report = BRIGHT_FUNDS;
    book.reads("brightfunds.csv", report, &[]);
    // The transaction type says whose money a row is: an unknown one is not guessed at.
    book.refuses(
        "unknown-type.csv",
        edit(report, "Volunteer Match", "Payroll Giving"),
        &[],
        "4: column Transaction Type",
        "\"Payroll Giving\" is not a transaction type Matchbook knows",
    );
    book.refuses(
        "decimal-comma.csv",
        edit(report, "Volunteer Match,200.00", "Volunteer Match,\"1.200,00\""),
        &[],
        "4: column Amount",
        "\"1.200,00\" is not an amount like 1,000.00",
    );
    book.refuses(
        "negative.csv",
        edit(report, "Volunteer Match,200.00", "Volunteer Match,-200.00"),
        &[],
        "4: column Amount",
        "\"-200.00\" is negative",
    );
    // Two donations whose ids differ only by a space and an underscore would make one record.
    book.refuses(
        "same-record.csv",
        edit(edit(report, "BF-90002", "BF_90002"), "BF-90003", "BF 90002"),
        &[],
        "4",
        "the line makes the record brightfunds-BF_90002, as line 3 does",
    );
    book.refuses(
        "bad-date.csv",
        edit(report, "BF-90003,2025-01-31", "BF-90003,2025-02-30"),
        &[],
        "4: column Created At",
        "\"2025-02-30\" is not a date",
    );
}

#[test]
fn files_that_do_not_fit_their_saved_profile_are_refused() {
    let book = book();
    let book = Unchanged::new(&book);
    // The sample's line 10 names no project, which no mapping can mend: given one here.
    let yourcause = edit(YOURCAUSE, "zoe@example.org;;375,00", "zoe@example.org;Project: Widgets;375,00");
    book.reads("yourcause.csv", &yourcause, &[]);
    book.reads("bank.csv", BANK_CSV, &[]);
    book.refuses(
        "date-format.csv",
        edit(&yourcause, "27.03.2025;YC-B-2025-03;YC-100232", "2025-03-27;YC-B-2025-03;YC-100232"),
        &[],
        "5: column Payment Date",
        "\"2025-03-27\" is not a date in the profile's format %d.%m.%Y",
    );
    // A value of the type column that no type line names: whose money is it?
    book.refuses(
        "unknown-type.csv",
        edit(&yourcause, "Volunteer Grant", "Payroll Grant"),
        &[],
        "5: column Transaction Type",
        "\"Payroll Grant\" is not a value the profile's type lines know",
    );
    // A refund that the type lines do not skip is a negative payment.
    book.refuses(
        "refund.csv",
        edit(&yourcause, "Refund;20.02.2025", "Donation;20.02.2025"),
        &[],
        "7: column Gross Amount",
        "\"-50,00\" is negative",
    );
    book.refuses(
        "nines.csv",
        edit(&yourcause, "250,00;7,50;242,50", &format!("{};7,50;242,50", "9".repeat(28))),
        &[],
        "5: column Gross Amount",
        "is more than any amount Matchbook takes",
    );
    // The bank's export with decimal commas, read by a profile that says a decimal point: by its
    // header, as the saved profile, and by its name.
    let commas = BANK_CSV.replace("\"5,000.00\",\"17,468.25\"", "\"5.000,00\",\"17.468,25\"");
    for options in [&[][..], &["--profile", BANK]] {
        book.refuses(
            "decimal-comma.csv",
            &commas,
            options,
            "3: column Credit",
            "\"5.000,00\" is not an amount with decimal mark \".\" and thousands separator \",\" — does the file use a \
             decimal comma? (decimal-mark ,)",
        );
    }
    book.refuses(
        "utf16.csv",
        BANK_CSV_UTF16,
        &["--profile", BANK],
        "1",
        "it is UTF-16 text, not UTF-8; set `encoding utf-16` in the profile",
    );
    book.refuses(
        "missing-column.csv",
        edit(BANK_CSV, "Date,Description,Reference,", "Date,Description,Ref,"),
        &["--profile", BANK],
        "1: column Reference",
        "the file has no column \"Reference\" (the profile's column reference)",
    );
    // A row left out of the export, or read wrongly, shows in the running balance.
    book.refuses(
        "balance.csv",
        edit(BANK_CSV, "\"20,118.65\"", "\"20,181.65\""),
        &[],
        "5: column Balance",
        "the running balance does not add up: 17,449.85 + 2,668.80 is 20,118.65, the file says 20,181.65",
    );
}

#[test]
fn ofx_statements_cut_off_or_with_bad_values_are_refused() {
    let book = book();
    let book = Unchanged::new(&book);
    book.reads("statement.ofx", OFX, &[]);
    // Cut off between two transactions, and right after its header.
    let cut = &OFX[..line_start(OFX, line_of(OFX, "<TRNAMT>-18.40") - 3)];
    book.refuses(
        "cut.ofx",
        cut,
        &[],
        "41: column BANKTRANLIST",
        "the file ends inside <BANKTRANLIST> opened on line 41: it is truncated",
    );
    book.refuses("header-only.ofx", &OFX[..40], &[], "3", "the file has an OFX header but no <OFX> after it");
    let v2_cut = &OFX_V2[..OFX_V2.find("</BANKMSGSRSV1>").unwrap()];
    book.refuses("cut-v2.ofx", v2_cut, &[], "18: column BANKMSGSRSV1", "the file ends inside <BANKMSGSRSV1>");
    book.refuses(
        "bad-date.ofx",
        edit(OFX, "<DTPOSTED>20250331\r", "<DTPOSTED>20250231\r"),
        &[],
        "70: column DTPOSTED",
        "\"20250231\" is not a date",
    );
    book.refuses(
        "bad-amount.ofx",
        edit(OFX, "<TRNAMT>2668.80", "<TRNAMT>2668.80 USD"),
        &[],
        "71: column TRNAMT",
        "\"2668.80 USD\" is not an amount",
    );
    book.refuses(
        "nines.ofx",
        edit(OFX, "<TRNAMT>2668.80", &format!("<TRNAMT>{}", "9".repeat(28))),
        &[],
        "71: column TRNAMT",
        "is larger than any amount Matchbook reads",
    );
    // The bank's id of a transaction is what makes importing a statement twice change nothing.
    book.refuses(
        "fitid-twice.ofx",
        edit(OFX, "<FITID>20250430000001", "<FITID>20250331000001"),
        &[],
        "105: column FITID",
        "FITID \"20250331000001\" is also the id of the transaction on line 68",
    );
    // Two FITIDs that differ only by a space and a _ would make one deposit id.
    book.refuses(
        "fitid-one-id.ofx",
        edit(edit(OFX, "<FITID>20250331000001", "<FITID>2025 0331"), "<FITID>20250430000001", "<FITID>2025_0331"),
        &[],
        "101: column FITID",
        "makes the same deposit id as the transaction on line 68",
    );
    book.refuses(
        "mismatched-tag.ofx",
        edit(OFX_V2, "<TRNAMT>944.52</TRNAMT>", "<TRNAMT>944.52</TRNAMTX>"),
        &[],
        "95: column TRNAMTX",
        "</TRNAMTX> on line 95 does not close <TRNAMT>",
    );
}

/// The byte where line `line` (1-based) of `text` starts.
fn line_start(text: &[u8], line: usize) -> usize {
    text.split_inclusive(|&b| b == b'\n').take(line - 1).map(<[u8]>::len).sum()
}

#[test]
fn ledger_payments_and_deposits_with_impossible_amounts_are_refused() {
    let book = book();
    let book = Unchanged::new(&book);
    // The book's own files, as its export writes them, edited.
    let payments = book.export["payments.csv"].clone();
    let deposits = book.export["deposits.csv"].clone();
    book.reads("payments.csv", &payments, &[]);
    book.reads("deposits.csv", &deposits, &[]);
    let nines = "9".repeat(28);
    let at = line_of(&payments, "EXTX000102-match");
    book.refuses(
        "payments-nines.csv",
        edit(&payments, ",USD,250.00,7.25,242.75,", &format!(",USD,{nines},7.25,242.75,")),
        &[],
        &format!("{at}: column gross"),
        "is absurdly large",
    );
    let at = line_of(&deposits, "INTEREST PAID");
    for (name, amount, reason) in [
        ("deposits-nines.csv", nines.as_str(), "is absurdly large"),
        ("deposits-zero.csv", "0.00", "is not more than 0; a deposit is money in"),
        ("deposits-negative.csv", "-1.37", "\"-1.37\" is negative"),
        ("deposits-comma.csv", "\"1,37\"", "\"1,37\" is not a number"),
    ] {
        let edited = edit(&deposits, ",USD,1.37,", &format!(",USD,{amount},"));
        book.refuses(name, edited, &[], &format!("{at}: column amount"), reason);
    }
}
