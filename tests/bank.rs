//! The bank's side of reconciliation, through the real `matchbook` binary: each platform payout
//! matched to the deposit that brought it (exact, within the window, outside it, two deposits of
//! one amount for the treasurer to choose from), and a deposit marked as not matching money.

mod common;

use common::*;

const DISBURSEMENTS: &str = include_str!("data/benevity-disbursement-sample.csv");

fn deposits(book: &Book, rows: &[&str]) -> String {
    let text = format!("id,date,account,currency,amount,reference,description\n{}\n", rows.join("\n"));
    let file = book.write("deposits.csv", text);
    book.import(&[&file])
}

/// `report reconcile --list LIST` as CSV rows, header skipped.
fn list(book: &Book, list: &str, as_of: &str) -> Vec<String> {
    let out = book.ok(&["report", "reconcile", "--list", list, "--as-of", as_of, "--format", "csv"]);
    out.lines().skip(1).map(str::to_string).collect()
}

#[test]
fn exact_and_within_the_window_match_by_themselves_and_a_grant_is_marked_once() {
    let book = book_with_sample_payouts();
    let out = deposits(
        &book,
        &[
            "b-1,2025-03-31,Checking,USD,2668.80,EXBANK778812,BENEVITY FUND",
            // Eight days after the bank date: within the default window of 10.
            "b-2,2025-05-08,Checking,USD,944.52,,BENEVITY FUND",
            "b-3,2025-04-15,Checking,USD,5000.00,,SLOAN FOUNDATION GRANT",
        ],
    );
    assert!(out.contains("bank: 2 payout(s) matched to their deposit; 0 need your choice"), "{out}");
    assert_eq!(
        list(&book, "payouts", "2025-06-30"),
        [
            "EXDISB0325,Benevity,\"Widgets, Gadgets\",2025-03-27,2025-03-31,USD,2668.80,5,in bank,b-1",
            "EXDISB0425,Benevity,\"Widgets, Gadgets\",2025-04-28,2025-04-30,USD,944.52,3,in bank,b-2",
        ]
    );
    assert_eq!(
        list(&book, "deposits", "2025-06-30")[1],
        "b-3,2025-04-15,Checking,USD,5000.00,unexplained,,,SLOAN FOUNDATION GRANT"
    );
    book.ok(&["reconcile", "--not-matching", "b-3", "--note", "Sloan grant 2025"]);
    // The mark stays through an import of the same statement.
    deposits(
        &book,
        &[
            "b-1,2025-03-31,Checking,USD,2668.80,EXBANK778812,BENEVITY FUND",
            "b-2,2025-05-08,Checking,USD,944.52,,BENEVITY FUND",
            "b-3,2025-04-15,Checking,USD,5000.00,,SLOAN FOUNDATION GRANT",
        ],
    );
    assert_eq!(
        list(&book, "deposits", "2025-06-30")[1],
        "b-3,2025-04-15,Checking,USD,5000.00,not matching,Sloan grant 2025,,SLOAN FOUNDATION GRANT"
    );
    assert_eq!(list(&book, "bank", "2025-06-30"), ["USD,8613.32,3,3613.32,0.00,0,5000.00,1"]);
    // Per project: every line received is in the bank.
    let summary = list(&book, "summary", "2025-06-30");
    assert!(
        summary.iter().any(|r| r.starts_with("Widgets,USD,") && r.ends_with(",3032.17,3032.17,0.00")),
        "{summary:?}"
    );
    // The marks and matches travel with the book.
    let export = book.export();
    let mut matches = rows(&export, "bank-matches.csv");
    matches.sort();
    assert_eq!(matches, ["b-1,EXDISB0325,auto,", "b-2,EXDISB0425,auto,", "b-3,,not matching,Sloan grant 2025"]);
}

#[test]
fn outside_the_window_a_payout_is_not_in_the_bank_and_the_deposit_unexplained() {
    let book = book_with_sample_payouts();
    deposits(&book, &["b-1,2025-03-31,,USD,2668.80,,", "b-2,2025-05-20,,USD,944.52,,"]);
    let payouts = list(&book, "payouts", "2025-06-30");
    assert!(payouts[1].ends_with(",not in bank,"), "{payouts:?}");
    // Before the window passes, it is only waiting.
    assert!(list(&book, "payouts", "2025-05-05")[1].ends_with(",waiting,"), "{payouts:?}");
    assert!(list(&book, "deposits", "2025-06-30")[1].contains(",unexplained,"));
    let summary = list(&book, "summary", "2025-06-30");
    assert!(
        summary.iter().any(|r| r.starts_with("Gadgets,USD,") && r.ends_with(",581.15,95.65,485.50")),
        "{summary:?}"
    );
    // A wider window finds it.
    let out = book.ok(&["reconcile", "--window", "30"]);
    assert!(out.contains("bank: 1 payout(s) matched"), "{out}");
}

#[test]
fn two_deposits_of_one_amount_are_the_treasurers_choice() {
    let book = book_with_sample_payouts();
    deposits(&book, &["b-1,2025-04-29,,USD,944.52,,", "b-2,2025-05-02,,USD,944.52,,"]);
    let payouts = list(&book, "payouts", "2025-06-30");
    assert!(payouts[1].ends_with(",ambiguous,one of: b-1 | b-2"), "{payouts:?}");
    let out = book.ok(&["reconcile", "--deposit", "b-2", "--payout", "EXDISB0425"]);
    assert!(out.contains("b-2: brought payout EXDISB0425"), "{out}");
    assert!(list(&book, "payouts", "2025-06-30")[1].ends_with(",in bank,b-2"));
    assert!(list(&book, "deposits", "2025-06-30")[0].contains(",unexplained,"));
    // One deposit brings one payout.
    let err = book.fails(&["reconcile", "--deposit", "b-1", "--payout", "EXDISB0425"]);
    assert!(err.contains("payout EXDISB0425 is matched to deposit b-2 already"), "{err}");
    book.ok(&["reconcile", "--unmatch", "b-2"]);
    assert!(list(&book, "payouts", "2025-06-30")[1].contains(",ambiguous,"));
    // A deposit of another sum does not bring a payout, even by the treasurer's choice.
    let err = book.fails(&["reconcile", "--deposit", "b-1", "--payout", "EXDISB0325"]);
    assert!(err.contains("deposit b-1 is 944.52 USD and payout EXDISB0325 2668.80 USD"), "{err}");
}

#[test]
fn a_deposit_quoting_the_bank_reference_decides_between_two() {
    let book = book_with_sample_payouts();
    deposits(&book, &["b-1,2025-04-29,,USD,944.52,,TRANSFER", "b-2,2025-05-02,,USD,944.52,,ACH EXBANK781140"]);
    assert!(list(&book, "payouts", "2025-06-30")[1].ends_with(",in bank,b-2"));
}

#[test]
fn an_ofx_statement_brings_its_credits_and_matches_them_once_however_often_imported() {
    let book = book_with_sample_payouts();
    let statement = book.write("march-april.ofx", include_bytes!("data/bank-statement.ofx"));
    let out = book.import(&[&statement]);
    assert!(out.contains("bank: 2 payout(s) matched to their deposit"), "{out}");
    let payouts = list(&book, "payouts", "2025-06-30");
    assert!(payouts.iter().all(|p| p.contains(",in bank,ofx-")), "{payouts:?}");
    let deposits = list(&book, "deposits", "2025-06-30");
    // The credits only: the grant, the two payouts and the interest; five withdrawals left out.
    assert_eq!(deposits.len(), 4, "{deposits:?}");
    assert!(deposits.iter().any(|d| d.contains(",5000.00,unexplained,")), "the grant: {deposits:?}");
    // The same statement again, and the same account's in OFX 2: nothing twice. That file's
    // credit card statement brings its one credit (a refund), unexplained.
    book.import(&[&statement]);
    assert_eq!(list(&book, "deposits", "2025-06-30"), deposits);
    let v2 = book.write("v2.ofx", include_bytes!("data/bank-statement-v2.ofx"));
    book.import(&[&v2]);
    let after = list(&book, "deposits", "2025-06-30");
    assert_eq!(after.len(), 5, "{after:?}");
    assert!(after.iter().any(|d| d.contains(",500.00,unexplained,")), "{after:?}");
    // A statement that is cut off is refused whole, naming the file.
    let text = std::fs::read(statement).unwrap();
    let cut = book.write("cut.ofx", &text[..text.len() / 2]);
    let err = book.import_fails(&[&cut]);
    assert!(err.contains("cut.ofx"), "{err}");
    assert_eq!(list(&book, "deposits", "2025-06-30"), after);
}

#[test]
fn a_saved_profile_reads_a_banks_csv_by_its_header_without_being_named() {
    let book = book_with_sample_payouts();
    let profile = book.write("bank.profile", include_str!("data/profiles/bank.profile"));
    book.ok(&["profile", "import", profile.to_str().unwrap()]);
    let csv = book.write("export.csv", include_bytes!("data/profiles/bank-statement.csv"));
    let out = book.import(&[&csv]);
    assert!(out.contains("bank: 2 payout(s) matched to their deposit"), "{out}");
    // A UTF-8 profile does not take the bank's UTF-16 export for its own, and named, refuses it.
    let utf16 = book.write("export16.csv", include_bytes!("data/profiles/bank-statement-utf16.csv"));
    let err = book.fails(&["import", "--profile", "first example bank checking", utf16.to_str().unwrap()]);
    assert!(err.contains("export16.csv") && err.contains("UTF-16"), "{err}");
    // The profile travels with the book's export, and a new book reads its files with it.
    let export = book.export_to("exported");
    let profiles = std::str::from_utf8(&export["import-profiles.csv"]).unwrap();
    assert!(
        profiles.starts_with("name,profile\nFirst Example Bank checking,\"# Matchbook import profile\n"),
        "{profiles}"
    );
    let other = Book::new();
    other.import(&[&book.path("exported")]);
    assert!(other.ok(&["profile", "list"]).contains("First Example Bank checking"));
    let out = other.import(&[&csv]);
    assert!(out.contains("deposits"), "{out}");
}

#[test]
fn a_folder_brings_its_statements_with_its_reports() {
    let book = Book::new();
    map_sample_benevity(&book);
    book.write("month/disbursements.csv", DISBURSEMENTS);
    book.write("month/statement.OFX", include_bytes!("data/bank-statement.ofx"));
    let out = book.import(&[&book.path("month")]);
    assert!(out.contains("an OFX bank statement"), "{out}");
    assert!(out.contains("bank: 2 payout(s) matched to their deposit"), "{out}");
}
