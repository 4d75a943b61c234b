//! The treasurer's income end to end, through the real `matchbook` binary: Benevity donation
//! reports (the sample as it comes, and variants good and bad), project mappings, reconciliation
//! of received lines with logged entries, and hledger/beancount journals checked by the real tools.

mod common;

use common::*;
use matchbook::store::Store;
use std::path::{Path, PathBuf};
use std::process::Command;

const SAMPLE: &str = include_str!("data/benevity-sample.csv");

fn payments_in(book: &Book) -> u64 {
    let store = Store::open(&book.db).unwrap();
    store.counts().unwrap().into_iter().find(|(k, _)| k.name() == "payments").unwrap().1
}

/// The sample's book: its two designations mapped to projects.
fn sample_book() -> Book {
    let book = Book::new();
    book.ok(&["map", "set", "comment", "Project: Widgets", "Widgets"]);
    book.ok(&["map", "set", "comment", "project: gadgets", "Gadgets"]);
    book
}

#[test]
fn the_sample_report_becomes_one_payout_and_importing_it_again_changes_nothing() {
    let book = Book::new();
    let report = book.write("benevity.csv", SAMPLE);
    // Nothing maps the sample's lines yet: refused, every line named, nothing written.
    let err = book.import_fails(&[&report]);
    for line in [13, 14, 15] {
        assert!(err.contains(&format!("benevity.csv:{line}: column Project: no Matchbook project")), "{err}");
    }
    assert!(err.contains(r#"Comment "Project: Widgets""#), "{err}");
    assert_eq!(payments_in(&book), 0);

    book.ok(&["map", "set", "comment", "Project: Widgets", "Widgets"]);
    book.ok(&["map", "set", "comment", "project: gadgets", "Gadgets"]);
    let out = book.import(&[&report]);
    assert!(out.contains("Benevity donations report EXAMPLE0001 (3 donation(s), net 2668.80 USD)"), "{out}");
    assert!(out.contains("5 row(s): 5 added, 0 replaced, 0 unchanged"), "{out}");
    let out = book.import(&[&report]);
    assert!(out.contains("5 row(s): 0 added, 0 replaced, 5 unchanged"), "{out}");

    // Per line: the match and the donor's gift apart, the fees split between them, the whole
    // adding up to the trailer's Net Total Payment (2,668.80). Each is dated when the money
    // was sent (the report's Period Ending) and keeps the gift's date for matching.
    let export = book.export();
    let mut payments = rows(&export, "payments.csv");
    payments.sort();
    assert_eq!(
        payments,
        [
            "benevity-EXAMPLE0001-TX0000001-match,2023-03-01,Benevity,Widgets,USD,250.00,7.25,242.75,TX0000001,Microsoft,Ada Example,ada@example.org,match,EXAMPLE0001,2023-02-03,,",
            "benevity-EXAMPLE0001-TX0000002-gift,2023-03-01,Benevity,Widgets,USD,1200.00,34.80,1165.20,TX0000002,Microsoft,Ada Example,ada@example.org,gift,EXAMPLE0001,2023-02-10,,",
            "benevity-EXAMPLE0001-TX0000002-match,2023-03-01,Benevity,Widgets,USD,1200.00,34.80,1165.20,TX0000002,Microsoft,Ada Example,ada@example.org,match,EXAMPLE0001,2023-02-10,,",
            "benevity-EXAMPLE0001-TX0000003-gift,2023-03-01,Benevity,Gadgets,USD,50.00,2.90,47.10,TX0000003,Acme Corp,,,gift,EXAMPLE0001,2023-02-14,,",
            "benevity-EXAMPLE0001-TX0000003-match,2023-03-01,Benevity,Gadgets,USD,50.00,1.45,48.55,TX0000003,Acme Corp,,,match,EXAMPLE0001,2023-02-14,,",
        ]
    );
    let net: i64 = payments.iter().map(|r| cents(r.split(',').nth(7).unwrap())).sum();
    assert_eq!(net, 266_880);

    // Donors' gifts are income, but never "received" against what claims expect.
    let report = book.report_csv(&["--as-of", "2023-12-31"]);
    assert!(report.contains("Widgets,USD,0.00,0.00,0.00,0.00,0.00,1407.95,-1407.95"), "{report}");
    assert!(report.contains("Gadgets,USD,0.00,0.00,0.00,0.00,0.00,48.55,-48.55"), "{report}");
}

/// Cents of a signed amount as reports and hledger print them.
fn cents(text: &str) -> i64 {
    match text.strip_prefix('-') {
        Some(positive) => -matchbook::money::parse_cents(positive).unwrap(),
        None => matchbook::money::parse_cents(text).unwrap(),
    }
}

/// The sample with `from` replaced by `to` (which must occur).
fn variant(from: &str, to: &str) -> String {
    assert!(SAMPLE.contains(from), "{from:?} is not in the sample");
    SAMPLE.replace(from, to)
}

#[test]
fn the_legacy_layout_without_fee_columns_imports() {
    let book = sample_book();
    let legacy: Vec<String> = SAMPLE
        .lines()
        .map(|line| {
            if line.starts_with("Company,") {
                line.replace(",Cause Support Fee,Merchant Fee,Fee Comment", "")
            } else if line.starts_with("Microsoft,") || line.starts_with("Acme Corp,") {
                // Drop the two fee cells and the empty fee comment.
                let cut = line.rmatch_indices(',').nth(2).unwrap().0;
                line[..cut].to_string()
            } else if line.starts_with("Totals,") {
                line.replace(",79.75,1.45", "")
            } else if line.starts_with("Net Total Payment") {
                "Net Total Payment,\"2,750.00\"".into()
            } else if line.starts_with("Check Fee") {
                String::new()
            } else {
                line.to_string()
            }
        })
        .collect();
    let file = book.write("legacy.csv", legacy.join("\r\n"));
    let out = book.import(&[&file]);
    assert!(out.contains("net 2750.00 USD"), "{out}");
    let export = book.export();
    assert!(rows(&export, "payments.csv").iter().all(|r| r.contains(",0.00,")), "no fees in the legacy layout");
}

#[test]
fn bad_reports_are_refused_with_their_line_and_nothing_is_written() {
    let book = sample_book();
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "no rows",
            SAMPLE
                .lines()
                .filter(|l| !l.starts_with("Microsoft,") && !l.starts_with("Acme Corp,"))
                .collect::<Vec<_>>()
                .join("\n"),
            ":13: the report lists no donations",
        ),
        (
            "bad trailer",
            variant("Net Total Payment,\"2,668.80\"", "Net Total Payment,\"2,700.00\""),
            ":19: column Net Total Payment: the trailer says 2700.00 but gross 2750.00 less fees 81.20 and check fee 0.00 is 2668.80",
        ),
        (
            "gross in the trailer",
            variant("Total Donations (Gross),\"2,750.00\"", "Total Donations (Gross),\"2,760.00\""),
            ":17: column Total Donations (Gross): the trailer says 2760.00",
        ),
        (
            "wrong total",
            variant("\"1,250.00\",\"1,500.00\",79.75", "\"1,250.00\",\"1,510.00\",79.75"),
            ":16: column Match Amount: Totals says 1510.00 but the lines add up to 1500.00",
        ),
        ("missing Disbursement ID", variant("Disbursement ID,EXAMPLE0001\n", ""), ":11: column Disbursement ID: the report's preamble"),
        ("empty Disbursement ID", variant("Disbursement ID,EXAMPLE0001", "Disbursement ID,"), ":8: column Disbursement ID: Disbursement ID is empty"),
        ("malformed CSV", variant("\"1,200.00\",\"1,200.00\"", "\"1,200.00,\"1,200.00\""), ":14: "),
        ("unmapped project", variant("Project: Gadgets", "Project: Doohickeys"), ":15: column Project: no Matchbook project"),
        ("bad amount", variant(",50.00,50.00,", ",5O.00,50.00,"), ":15: column Total Donation to be Acknowledged: \"5O.00\" is not a number"),
        ("bad date", variant("2023-02-14T21:48:05Z", "14/02/2023"), ":15: column Donation Date"),
        ("other currency", variant("Recurring,USD", "Recurring,EUR"), ":15: column Currency: EUR differs from the report's currency USD"),
        ("repeated transaction", variant("TX0000003", "TX0000001"), ":15: column Transaction ID: TX0000001 is also on line 13"),
        ("no Totals row", SAMPLE.lines().take(15).collect::<Vec<_>>().join("\n"), "the report ends without its Totals row"),
    ];
    for (name, text, expected) in cases {
        let file = book.write(&format!("{}.csv", name.replace(' ', "-")), &text);
        let err = book.import_fails(&[&file]);
        assert!(err.contains(expected), "{name}: expected {expected:?} in:\n{err}");
        assert!(err.contains(&format!("{}.csv", name.replace(' ', "-"))), "{name}: the file is named:\n{err}");
        assert_eq!(payments_in(&book), 0, "{name}: nothing written");
    }
}

/// The example book with the example Benevity report, its designations mapped.
fn example_book() -> (Book, Export) {
    let book = Book::new();
    book.import(&[&repo("examples/book")]);
    for project in ["Lumen", "Quarry", "Tessel"] {
        book.ok(&["map", "set", "comment", &format!("Project: {project}"), project]);
    }
    let out = book.import(&[&repo("examples/benevity")]);
    // Four of the six lines of employer money have exactly one fitting set of open entries.
    assert!(out.contains("reconciled: 4 payment line(s) matched to 5 entries and marked paid"), "{out}");
    let export = book.export();
    (book, export)
}

/// The id of Ada Lindqvist's hours entry of `date`.
fn ada(export: &Export, date: &str) -> String {
    id_of(export, "hours.csv", &format!("{date},Ada Lindqvist"))
}

fn status_of(book: &Book, id: &str) -> String {
    cell(&book.export(), "hours.csv", id, "status")
}

/// The `column` of the record `id` in an exported `file`.
fn cell(export: &Export, file: &str, id: &str, column: &str) -> String {
    let mut reader = csv::Reader::from_reader(&export[file][..]);
    let at = reader.headers().unwrap().iter().position(|h| h == column).unwrap();
    let row = reader.records().map(|r| r.unwrap()).find(|r| &r[0] == id).unwrap();
    row[at].to_string()
}

/// `report reconcile --list received` as (payment, state, entries) for the Benevity lines.
fn received(book: &Book) -> Vec<(String, String, String)> {
    let out = book.ok(&["report", "reconcile", "--as-of", "2025-12-31", "--list", "received", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    reader
        .records()
        .map(|r| r.unwrap())
        .filter(|r| r[0].starts_with("benevity-"))
        .map(|r| (r[0].replace("benevity-BNV-2025-07-0042-", ""), r[8].to_string(), r[9].to_string()))
        .collect()
}

#[test]
fn received_lines_are_matched_with_the_entries_they_pay() {
    let (book, export) = example_book();
    let (h45, h52, h49) = (ada(&export, "2025-04-09"), ada(&export, "2025-05-07"), ada(&export, "2025-04-23"));
    let (h56, h58, h65) = (ada(&export, "2025-05-21"), ada(&export, "2025-06-04"), ada(&export, "2025-06-25"));
    let lines = received(&book);
    let state = |tx: &str| lines.iter().find(|l| l.0.starts_with(tx)).cloned().unwrap();
    // 125.00 for Lumen: Ada's only single entry of 125.00 in the program year.
    assert_eq!(state("BVT-2025-0601"), ("BVT-2025-0601-match".into(), "matched".into(), h45.clone()));
    assert_eq!(state("BVT-2025-0602"), ("BVT-2025-0602-match".into(), "matched".into(), h52));
    assert_eq!(state("BVT-2025-0604"), ("BVT-2025-0604-match".into(), "matched".into(), h49));
    // The second 125.00: no single open entry, but exactly one pair (50.00 + 75.00, submitted).
    assert_eq!(state("BVT-2025-0603"), ("BVT-2025-0603-match".into(), "matched".into(), format!("{h56} {h58}")));
    // 175.00: no set of open entries fits; with the entries marked paid by hand, two pairs do
    // (62.50 + 112.50 and 106.25 + 68.75): the treasurer chooses.
    assert_eq!(state("BVT-2025-0607").1, "ambiguous");
    // Grace Hopper never logged her hours; the Contoso gift is the donor's own money.
    assert_eq!(state("BVT-2025-0605").1, "not logged");
    assert_eq!(state("BVT-2025-0606").1, "donor gift");
    // Matched entries are paid (h45 was approved), on the day their line's money was sent.
    assert_eq!(status_of(&book, &h45), "paid");
    let sent = cell(&export, "payments.csv", "benevity-BNV-2025-07-0042-BVT-2025-0601-match", "date");
    assert_eq!(cell(&export, "hours.csv", &h45, "paid_on"), sent);

    // The treasurer's choice: the submitted entry of late June and the paid one of January.
    let h19 = ada(&export, "2025-01-08");
    assert_eq!(status_of(&book, &h65), "submitted");
    let payment = "benevity-BNV-2025-07-0042-BVT-2025-0607-match";
    book.ok(&["reconcile", "--link", payment, &h19, &h65]);
    assert_eq!(status_of(&book, &h65), "paid");
    // The link dates the entry it made paid, not the one paid by hand before.
    let sent = cell(&export, "payments.csv", payment, "date");
    assert_eq!(cell(&book.export(), "hours.csv", &h65, "paid_on"), sent);
    assert_eq!(cell(&book.export(), "hours.csv", &h19, "paid_on"), "");
    assert_eq!(state_after(&book, "BVT-2025-0607"), ("matched".into(), format!("{h19} {h65}")));
    // An entry pays once.
    let err = book.fails(&["reconcile", "--link", "benevity-BNV-2025-07-0042-BVT-2025-0605-match", &h65]);
    assert!(err.contains(&format!("entry {h65} is already paid by payment {payment}")), "{err}");
    // Unlinking gives the entries their earlier status back.
    book.ok(&["reconcile", "--unlink", payment]);
    assert_eq!(status_of(&book, &h65), "submitted");
    assert_eq!(status_of(&book, &h19), "paid");
    // ... and takes back the date the link gave.
    assert_eq!(cell(&book.export(), "hours.csv", &h65, "paid_on"), "");
    assert_eq!(state_after(&book, "BVT-2025-0607").0, "ambiguous");
    // Reconciling again changes nothing that was settled.
    let out = book.ok(&["reconcile", "--as-of", "2025-12-31"]);
    assert!(out.contains("reconciled: 0 payment line(s) matched"), "{out}");

    // The summary per project and currency.
    let summary = book.ok(&["report", "reconcile", "--as-of", "2025-12-31", "--format", "csv"]);
    assert!(summary.starts_with("project,currency,matched,matched_lines,to_match,ambiguous,ambiguous_lines,not_logged,not_logged_lines,donor_gifts,not_received,not_received_entries,received_net,in_bank,not_in_bank\n"), "{summary}");
    let lumen = summary.lines().find(|l| l.starts_with("Lumen,USD,")).unwrap();
    // Matched 125.00 + 150.00 + 125.00; ambiguous 175.00; not logged: Grace's 200.00 and the
    // example's 937.50 payout that names nobody.
    assert!(lumen.starts_with("Lumen,USD,400.00,3,0.00,175.00,1,1137.50,2,0.00,"), "{lumen}");
    // What arrived, net of fees; no bank statement was imported, so none of it is seen in the bank.
    assert!(lumen.ends_with(",1662.82,0.00,1662.82"), "{lumen}");
    let tessel = summary.lines().find(|l| l.starts_with("Tessel,USD,")).unwrap();
    assert!(tessel.contains(",1040.00,"), "the donor gift: {tessel}");
}

fn state_after(book: &Book, tx: &str) -> (String, String) {
    let line = received(book).into_iter().find(|l| l.0.starts_with(tx)).unwrap();
    (line.1, line.2)
}

#[test]
fn a_generic_payments_file_reconciles_the_same_way() {
    let book = Book::new();
    let programs = book.write(
        "programs.csv",
        "program,employer,kind,currency,effective_from,rate_per_hour,fee_rate\n\
         Acme Hours,Acme,volunteer,USD,2025-01-01,25,0.02\n",
    );
    let employments = book.write(
        "employments.csv",
        "contributor,email,employer,start\nKim,kim@example.org,Acme,2020-01-01\nLee,,Acme,2020-01-01\n",
    );
    let hours = book.write(
        "hours.csv",
        "date,contributor,email,project,hours,status\n\
         2025-02-01,Kim,kim@example.org,Lumen,2,submitted\n\
         2025-03-01,Kim,kim@example.org,Lumen,3,submitted\n\
         2025-03-01,Lee,,Lumen,2,logged\n\
         2025-09-01,Kim,kim@example.org,Lumen,4,logged\n",
    );
    book.import(&[&programs, &employments, &hours]);
    // The employer pays directly: 75.00 is Kim's 3 hours (the only entry of 75.00); 50.00 names
    // Lee, so it is Lee's 2 hours, not Kim's; 10.00 fits nothing.
    let payments = book.write(
        "payments.csv",
        "date,payer,project,currency,gross,fees,reference,contributor,email\n\
         2025-04-01,Acme,Lumen,USD,75.00,0,ACME-1,,\n\
         2025-04-02,Acme,Lumen,USD,50.00,0,ACME-2,Lee,\n\
         2025-04-03,Acme,Lumen,USD,10.00,0,ACME-3,,\n",
    );
    let out = book.import(&[&payments]);
    assert!(out.contains("reconciled: 2 payment line(s) matched to 2 entries and marked paid; 0 need your choice, 1 match no logged entry"), "{out}");
    let out = book.ok(&["report", "reconcile", "--as-of", "2025-12-31", "--list", "received", "--format", "csv"]);
    let states: Vec<String> = out.lines().skip(1).map(|l| l.split(',').nth(8).unwrap().to_string()).collect();
    assert_eq!(states, ["matched", "matched", "not logged"], "{out}");
    // Kim's February entry (50.00) is older than 90 days and unpaid; her September one is not.
    let missing = book.ok(&["report", "reconcile", "--as-of", "2025-11-15", "--list", "missing", "--format", "csv"]);
    let missing: Vec<&str> = missing.lines().skip(1).collect();
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert!(missing[0].contains(",2025-02-01,Lumen,Acme,Kim,submitted,USD,50.00"), "{missing:?}");
    let later = book.ok(&[
        "report",
        "reconcile",
        "--as-of",
        "2025-12-31",
        "--lag",
        "60",
        "--list",
        "missing",
        "--format",
        "csv",
    ]);
    assert_eq!(later.lines().count(), 3, "with a 60-day lag September counts too:\n{later}");
}

/// hledger and beancount, as `scripts/setup.sh` installs them.
fn hledger() -> Command {
    Command::new("hledger")
}

fn beancount_python() -> PathBuf {
    std::env::var_os("MATCHBOOK_BEANCOUNT_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo("target/journal-tools/bin/python"))
}

fn run_tool(mut command: Command) -> String {
    let shown = format!("{command:?}");
    let out = command.output().unwrap_or_else(|e| panic!("{shown}: {e} (scripts/setup.sh installs the journal tools)"));
    assert!(out.status.success(), "{shown} failed:\n{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// (account, currency, cents) per account and currency.
type Balances = Vec<(String, String, i64)>;

/// Balances per (account, currency) in cents, as hledger reports them between `from` and `to`
/// (inclusive; `None` for all), of the transactions tagged `tag` (`None` for all).
fn hledger_balances(journal: &Path, period: Option<(&str, &str)>, tag: Option<&str>) -> Balances {
    let mut command = hledger();
    command.arg("-f").arg(journal).args(["bal", "-N", "--flat", "-E", "-O", "csv", "--layout", "bare"]);
    if let Some((from, to)) = period {
        let to = chrono::NaiveDate::parse_from_str(to, "%Y-%m-%d").unwrap().succ_opt().unwrap();
        command.args(["-b", from, "-e", &to.to_string()]);
    }
    if let Some(tag) = tag {
        command.arg(format!("tag:{tag}"));
    }
    let out = run_tool(command);
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    reader.records().map(|r| r.unwrap()).map(|r| (r[0].to_string(), r[1].to_string(), cents(&r[2]))).collect()
}

/// The same from beancount's own loader, which also checks the journal (balanced transactions,
/// opened accounts); `tag` is a metadata key.
fn beancount_balances(journal: &Path, period: Option<(&str, &str)>, tag: Option<&str>) -> Balances {
    let script = r#"
import sys, collections
from beancount import loader
from beancount.core import data
entries, errors, options = loader.load_file(sys.argv[1])
if errors:
    sys.exit("\n".join(str(e) for e in errors))
start, end, tag = sys.argv[2], sys.argv[3], sys.argv[4]
sums = collections.defaultdict(int)
for entry in entries:
    if isinstance(entry, data.Transaction) and start <= entry.date.isoformat() <= end:
        if tag and tag not in entry.meta:
            continue
        for p in entry.postings:
            sums[(p.account, p.units.currency)] += int(p.units.number * 100)
for (account, currency), cents in sorted(sums.items()):
    print(f"{account},{currency},{cents}")
"#;
    let (from, to) = period.unwrap_or(("0001-01-01", "9999-12-31"));
    let mut command = Command::new(beancount_python());
    command.arg("-c").arg(script).arg(journal).arg(from).arg(to).arg(tag.unwrap_or(""));
    run_tool(command)
        .lines()
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            (cells[0].to_string(), cells[1].to_string(), cells[2].parse().unwrap())
        })
        .collect()
}

/// What the journal's balances must be by `report expected`, per project and currency: the
/// balances `Income:Matching` = −expected, `Expenses:Fees:Matching` = fees and
/// `Assets:Receivable:Matching` = outstanding; and, of the transactions tagged `payment` alone,
/// `Assets:Receivable:Matching` = −received (the money received settles the claim; where it went,
/// the payer's receivable or the bank, is not the project's).
fn report_balances(book: &Book, period: Option<(&str, &str)>) -> (Balances, Balances) {
    let mut args = vec!["--as-of", "2025-12-31"];
    if let Some((from, to)) = period {
        args.extend(["--from", from, "--to", to]);
    }
    let report = book.report_csv(&args);
    let (mut balances, mut received) = (Vec::new(), Vec::new());
    for line in report.lines().skip(1) {
        let c: Vec<&str> = line.split(',').collect();
        if c[1] == "XXX" {
            continue; // hours no program pays: no money, no accounts
        }
        let add = |to: &mut Balances, account: &str, amount: i64| {
            if amount != 0 {
                to.push((format!("{account}:{}", c[0]), c[1].to_string(), amount));
            }
        };
        add(&mut balances, "Income:Matching", -cents(c[4]));
        add(&mut balances, "Expenses:Fees:Matching", cents(c[5]));
        add(&mut balances, "Assets:Receivable:Matching", cents(c[8]));
        add(&mut received, "Assets:Receivable:Matching", -cents(c[7]));
    }
    balances.sort();
    received.sort();
    (balances, received)
}

/// The book as an hledger and a beancount journal, as of the end of 2025.
fn export_journals(book: &Book) -> (PathBuf, PathBuf) {
    let hledger_file = book.path("book.journal");
    let beancount_file = book.path("book.beancount");
    for (format, file) in [("hledger", &hledger_file), ("beancount", &beancount_file)] {
        book.ok(&[
            "export".as_ref(),
            "--format".as_ref(),
            format.as_ref(),
            "--as-of".as_ref(),
            "2025-12-31".as_ref(),
            "--force".as_ref(),
            file.as_os_str(),
        ]);
    }
    (hledger_file, beancount_file)
}

/// Both journals' balances of the matching accounts over `period` are `report expected`'s, to
/// the cent (see [`report_balances`]); returns how many balances were compared.
fn journals_agree_with_the_report(book: &Book, journals: &(PathBuf, PathBuf), period: Option<(&str, &str)>) -> usize {
    let (want, want_received) = report_balances(book, period);
    let matching = |all: Balances| -> Balances {
        let mut kept: Vec<_> = all.into_iter().filter(|(a, _, n)| a.contains(":Matching:") && *n != 0).collect();
        kept.sort();
        kept
    };
    let received = |all: Balances| -> Balances {
        matching(all).into_iter().filter(|(a, _, _)| a.starts_with("Assets:Receivable:Matching:")).collect()
    };
    let (hledger_file, beancount_file) = journals;
    assert_eq!(matching(hledger_balances(hledger_file, period, None)), want, "hledger, {period:?}");
    assert_eq!(matching(beancount_balances(beancount_file, period, None)), want, "beancount, {period:?}");
    assert_eq!(received(hledger_balances(hledger_file, period, Some("payment"))), want_received, "hledger, {period:?}");
    assert_eq!(
        received(beancount_balances(beancount_file, period, Some("payment"))),
        want_received,
        "beancount, {period:?}"
    );
    want.len() + want_received.len()
}

/// Per currency, the sum of the balances of the accounts starting with `prefix`.
fn sum_of(balances: &[(String, String, i64)], prefix: &str) -> std::collections::BTreeMap<String, i64> {
    let mut sums = std::collections::BTreeMap::new();
    for (account, currency, cents) in balances {
        if account.starts_with(prefix) && !currency.is_empty() {
            *sums.entry(currency.clone()).or_insert(0) += cents;
        }
    }
    sums
}

#[test]
fn journals_balance_to_the_cent_with_the_expected_report_in_hledger_and_beancount() {
    let (book, _) = example_book();
    let journals = export_journals(&book);
    let (hledger_file, beancount_file) = &journals;
    let journal = std::fs::read_to_string(hledger_file).unwrap();
    assert!(journal.contains("; entry:h-"), "entries carry their id as a tag");
    let beancount = std::fs::read_to_string(beancount_file).unwrap();
    assert!(beancount.contains("  contributor: \"Ada Lindqvist\""), "and the contributor as metadata");

    for period in [None, Some(("2025-03-01", "2025-06-30"))] {
        let compared = journals_agree_with_the_report(&book, &journals, period);
        assert!(compared >= 10, "a report worth comparing: {compared}");
    }
    // The donor's own gift has accounts of its own: income 1,040.00, fees 60.32.
    let all = hledger_balances(hledger_file, None, None);
    let balance = |account: &str| all.iter().find(|(a, _, _)| a == account).map(|b| b.2);
    assert_eq!(balance("Income:Gifts:Tessel"), Some(-104_000));
    assert_eq!(balance("Expenses:Fees:Gifts:Tessel"), Some(6032));
    // The book has no bank statement: every payer still owes what it sent, the employers' money
    // (received) and the donors' gifts (979.68 of them) alike; a payer's name becomes an account
    // as a project's does.
    assert!(all.iter().any(|(a, _, _)| a.starts_with("Assets:Receivable:Platforms:Tailspin-Toys-")), "{all:?}");
    assert!(!all.iter().any(|(a, _, _)| a.starts_with("Assets:Bank:")), "{all:?}");
    let (_, received) = report_balances(&book, None);
    let mut owed = sum_of(&received, "Assets:Receivable:Matching:");
    owed.values_mut().for_each(|n| *n = -*n);
    for (currency, gifts) in sum_of(&all, "Income:Gifts:").into_iter().chain(sum_of(&all, "Expenses:Fees:Gifts:")) {
        *owed.entry(currency).or_insert(0) -= gifts;
    }
    assert_eq!(sum_of(&all, "Assets:Receivable:Platforms:"), owed);
    assert_eq!(sum_of(&beancount_balances(beancount_file, None, None), "Assets:Receivable:Platforms:"), owed);
}

#[test]
fn a_deposit_moves_a_payout_from_the_platforms_receivable_into_the_bank() {
    let book = book_with_sample_payouts();
    // The statement's credits: the two payouts, a grant and 1.37 of interest.
    let statement = book.write("march-april.ofx", include_bytes!("data/bank-statement.ofx"));
    let out = book.import(&[&statement]);
    assert!(out.contains("bank: 2 payout(s) matched to their deposit"), "{out}");
    book.ok(&["reconcile", "--not-matching", "ofx-000012345678-20250314000001", "--note", "Sloan grant 2025"]);
    // And a deposit of a statement that names no account, which no payout explains.
    let cash = book.write(
        "deposits.csv",
        "id,date,account,currency,amount,reference,description\ncash-1,2025-05-02,,USD,20.00,,BAKE SALE\n",
    );
    book.import(&[&cash]);
    let journals = export_journals(&book);
    let (hledger_file, beancount_file) = &journals;
    let hledger = std::fs::read_to_string(hledger_file).unwrap();
    assert!(hledger.contains("| payout EXDISB0325 in the bank  ; deposit:ofx-000012345678-20250331000001, payout:EXDISB0325, matched:auto"), "{hledger}");
    assert!(hledger.contains("not matching money: Sloan grant 2025"), "{hledger}");

    for (tool, balances) in [
        ("hledger", hledger_balances(hledger_file, None, None)),
        ("beancount", beancount_balances(beancount_file, None, None)),
    ] {
        let of = |account: &str| {
            assert!(balances.iter().any(|(a, _, _)| a == account), "{tool}: no {account} in {balances:?}");
            balances.iter().filter(|(a, c, _)| a == account && c == "USD").map(|b| b.2).sum::<i64>()
        };
        // Both payouts are in the bank: Benevity owes nothing.
        assert_eq!(of("Assets:Receivable:Platforms:Benevity"), 0, "{tool}");
        // The bank holds every deposit: the two payouts, the grant and the interest.
        assert_eq!(of("Assets:Bank:000012345678"), 266_880 + 94_452 + 500_000 + 137, "{tool}");
        assert_eq!(of("Assets:Bank:Unnamed-account"), 2000, "{tool}");
        assert_eq!(of("Income:Other"), -500_000, "{tool}");
        assert_eq!(of("Equity:Unreconciled"), -137 - 2000, "{tool}");
    }
    // Before the second payout reached the bank, Benevity owed it.
    let april = Some(("2025-01-01", "2025-04-29"));
    for (tool, balances) in [
        ("hledger", hledger_balances(hledger_file, april, None)),
        ("beancount", beancount_balances(beancount_file, april, None)),
    ] {
        let of =
            |account: &str| balances.iter().filter(|(a, c, _)| a == account && c == "USD").map(|b| b.2).sum::<i64>();
        assert_eq!(of("Assets:Receivable:Platforms:Benevity"), 94_452, "{tool}");
        assert_eq!(of("Assets:Bank:000012345678"), 266_880 + 500_000, "{tool}");
    }
    for period in [None, april, Some(("2025-04-01", "2025-04-30"))] {
        let compared = journals_agree_with_the_report(&book, &journals, period);
        assert!(compared >= 2, "a report worth comparing: {compared}, {period:?}");
    }
}

#[test]
fn an_older_export_does_not_take_paid_from_an_entry_a_payment_pays() {
    let (book, export) = example_book();
    let h45 = ada(&export, "2025-04-09");
    assert_eq!(status_of(&book, &h45), "paid");
    // The contributor's file from before: the same entry, with its id, still `submitted`.
    let hours = std::str::from_utf8(&export["hours.csv"]).unwrap();
    let header = hours.lines().next().unwrap();
    let status_at = header.split(',').position(|c| c == "status").unwrap();
    let row = hours.lines().find(|l| l.starts_with(&format!("{h45},"))).unwrap();
    let older: Vec<String> = row
        .split(',')
        .enumerate()
        .map(|(i, v)| match i {
            i if i == status_at => "submitted".into(),
            // Its status dates too: a submitted entry has no paid_on.
            _ if header.split(',').nth(i) == Some("paid_on") => String::new(),
            _ => v.to_string(),
        })
        .collect();
    let file = book.write("older/hours.csv", format!("{header}\n{}\n", older.join(",")));
    let run = book.run(&["import".as_ref(), file.as_os_str()]);
    assert!(run.status.success());
    let out = String::from_utf8_lossy(&run.stderr);
    assert!(out.contains(&format!("entry {h45} stays paid: payment")), "{out}");
    assert_eq!(status_of(&book, &h45), "paid");
    assert!(!cell(&book.export(), "hours.csv", &h45, "paid_on").is_empty());
}
