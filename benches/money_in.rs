//! `cargo bench --bench money_in [-- ROWS [PAYOUTS]]`: money in at scale. Writes a Benevity
//! disbursement report of ROWS donations (100,000 by default, in disbursements of 100 whose rows
//! agree), a bank statement of ROWS transactions as OFX and as a bank's CSV read through a saved
//! import profile, and a book of PAYOUTS platform payouts (10,000 by default) and as many deposits;
//! then prints how fast each imports into an empty book and how fast the bank matching runs.
//! Figures, not assertions: compare them with the README's.

use matchbook::money::{format_cents, Cents};
use matchbook::profile::Profile;
use matchbook::store::{ImportOptions, ImportOutcome, ProjectMapping, Store};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

mod measure;
use measure::*;

/// Projects the reports' lines are mapped to.
const PROJECTS: usize = 20;
/// Donations in one disbursement of the generated report.
const PER_DISBURSEMENT: usize = 100;
const BANK_PROFILE: &str = include_str!("../tests/data/profiles/bank.profile");

/// One figure: what, how long, and what else there is to say.
fn figure(what: &str, took: Duration, rest: &str) {
    println!("{what:<44} {:>6.2} s  {rest}", took.as_secs_f64());
}

fn day(n: usize) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2020, 1, 1).expect("a date") + chrono::Days::new(n as u64)
}

fn size_mb(path: &Path) -> f64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0) as f64 / 1e6
}

/// Imports `path` into `store`; returns the records added.
fn import(store: &mut Store, path: &Path, what: &str) -> u64 {
    let outcome = store.import(&[path.to_path_buf()], &ImportOptions::default(), &mut |_| {}).expect("import");
    match outcome {
        ImportOutcome::Imported(files) => files.iter().map(|f| f.added).sum(),
        ImportOutcome::Rejected(errors) => panic!("{what} refused: {:?}", &errors[..errors.len().min(3)]),
        ImportOutcome::Cancelled => unreachable!("nothing cancels"),
    }
}

/// Imports `path` into a new book made by `prepare`, and the same file again; prints both, after
/// the time `read` takes to read and check the file alone (no book), best of 3.
fn import_bench(
    dir: &Path,
    name: &str,
    path: &Path,
    rows: usize,
    read: impl Fn(&[u8]) -> bool,
    prepare: impl Fn(&Store),
) {
    let bytes = std::fs::read(path).expect("the file just written");
    let best = (0..3).map(|_| timed(|| assert!(read(&bytes), "{name} reads")).1).min().expect("three runs");
    drop(bytes);
    let db = dir.join(format!("{name}.sqlite"));
    let mut store = Store::open_or_create(&db).expect("open book");
    prepare(&store);
    let (added, t) = timed(|| import(&mut store, path, name));
    figure(
        &format!("import {name}"),
        t,
        &format!(
            "{:>7.0} rows/s  ({rows} rows, {:.0} MB, {added} records; peak memory so far {:.0} MB)",
            rows as f64 / t.as_secs_f64(),
            size_mb(path),
            peak_memory_mb()
        ),
    );
    figure("  read + check alone, no book (best of 3)", best, "");
    let (_, t) = timed(|| import(&mut store, path, name));
    figure("  the same file again", t, "(every record unchanged)");
}

fn main() {
    let mut numbers = std::env::args().skip(1).filter_map(|a| a.parse::<usize>().ok());
    let rows = numbers.next().unwrap_or(100_000);
    let payouts = numbers.next().unwrap_or(10_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let dir = dir.path();

    let report = dir.join("benevity-disbursements.csv");
    disbursement_report(&report, rows).expect("write the disbursement report");
    let read = |bytes: &[u8]| {
        let layout = matchbook::platforms::recognise(bytes).expect("a disbursement report");
        matchbook::platforms::read(layout, "report.csv", bytes, &()).is_ok()
    };
    import_bench(dir, "Benevity disbursement report", &report, rows, read, |store| {
        for p in 0..PROJECTS {
            let mapping = ProjectMapping {
                platform: "benevity".into(),
                field: "comment".into(),
                value: format!("Project: P{p}"),
                project: format!("P{p}"),
            };
            store.set_project_mapping(&mapping).expect("mapping");
        }
    });

    let ofx = dir.join("statement.ofx");
    ofx_statement(&ofx, rows).expect("write the OFX statement");
    import_bench(
        dir,
        "OFX statement",
        &ofx,
        rows,
        |bytes| matchbook::ofx::read("statement.ofx", bytes).is_ok(),
        |_| {},
    );

    let csv = dir.join("bank-statement.csv");
    bank_csv(&csv, rows).expect("write the bank's CSV");
    let profile = Profile::parse("bank.profile", BANK_PROFILE).expect("the sample profile");
    let read = |bytes: &[u8]| matchbook::profile::read(&profile, "bank.csv", bytes).is_ok();
    import_bench(dir, "bank CSV through a saved profile", &csv, rows, read, |store| {
        store.save_import_profile(&profile).expect("save the profile");
    });

    bank_matching(dir, payouts);
    println!("{:<44} {:>6.0} MB", "peak memory (VmHWM)", peak_memory_mb());
}

/// A disbursement report of `rows` donations in disbursements of [`PER_DISBURSEMENT`], each
/// with one date, bank date, reference and currency, rate 1, as the reader requires.
fn disbursement_report(path: &Path, rows: usize) -> std::io::Result<()> {
    let header = include_str!("../tests/data/benevity-disbursement-sample.csv").lines().next().expect("a header");
    let mut out = String::with_capacity(rows * 420);
    out.push_str(header);
    out.push('\n');
    for i in 0..rows {
        let d = i / PER_DISBURSEMENT;
        let (sent, bank) = (day(d), day(d + 3));
        let gift: Cents = (i as i64 % 5) * 2_500;
        let matched: Cents = 5_000 + (i as i64 % 13) * 1_000;
        let fee = (gift + matched) * 3 / 100;
        let merchant = if gift > 0 { gift / 50 } else { 0 };
        let donor = i % 5_000;
        let _ = writeln!(
            out,
            "EXAMPLE SCIENCE FOUNDATION,840-000000001,D{d:06},{sent}T00:00:00Z,{bank},BANK{d:06},EFT,American Online Giving \
             Foundation,Company {},,EXAMPLE SCIENCE FOUNDATION,PRJ-1001,,,TX{i:08},{}T12:00:00Z,One Time,Payroll,User \
             Donation,USD,1.0,{},{},{},{},0.00,Donor,Number {donor},donor{donor}@example.org,98052,Project: P{}",
            i % 50,
            day(d.saturating_sub(30) + i % 30),
            format_cents(gift),
            format_cents(matched),
            format_cents(fee),
            format_cents(merchant),
            i % PROJECTS
        );
    }
    std::fs::write(path, out)
}

/// An OFX 1.x statement of `rows` transactions, three credits to two debits.
fn ofx_statement(path: &Path, rows: usize) -> std::io::Result<()> {
    let mut out = String::with_capacity(rows * 180 + 1_000);
    out.push_str(
        "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\nCOMPRESSION:NONE\n\
         OLDFILEUID:NONE\nNEWFILEUID:NONE\n\n<OFX>\n<SIGNONMSGSRSV1>\n<SONRS>\n<STATUS>\n<CODE>0\n<SEVERITY>INFO\n\
         </STATUS>\n<DTSERVER>20250501083015.000[-5:EST]\n<LANGUAGE>ENG\n</SONRS>\n</SIGNONMSGSRSV1>\n<BANKMSGSRSV1>\n\
         <STMTTRNRS>\n<TRNUID>0\n<STATUS>\n<CODE>0\n<SEVERITY>INFO\n</STATUS>\n<STMTRS>\n<CURDEF>USD\n<BANKACCTFROM>\n\
         <BANKID>999999999\n<ACCTID>000012345678\n<ACCTTYPE>CHECKING\n</BANKACCTFROM>\n<BANKTRANLIST>\n",
    );
    let _ = writeln!(out, "<DTSTART>{}\n<DTEND>{}", day(0).format("%Y%m%d"), day(rows / 50).format("%Y%m%d"));
    for i in 0..rows {
        let credit = i % 5 < 3;
        let cents: Cents = 1_000 + (i as i64 * 7_919) % 500_000;
        let (kind, amount, name) = if credit {
            ("CREDIT", format_cents(cents), "BENEVITY FUND")
        } else {
            ("DEBIT", format_cents(-cents), "CARD PURCHASE")
        };
        let _ = writeln!(
            out,
            "<STMTTRN>\n<TRNTYPE>{kind}\n<DTPOSTED>{}120000.000[-5:EST]\n<TRNAMT>{amount}\n<FITID>{i:012}\n\
             <NAME>{name}\n<MEMO>ACH TRANSACTION {i}\n</STMTTRN>",
            day(i / 50).format("%Y%m%d")
        );
    }
    out.push_str(
        "</BANKTRANLIST>\n<LEDGERBAL>\n<BALAMT>0.00\n<DTASOF>20250430\n</LEDGERBAL>\n</STMTRS>\n</STMTTRNRS>\n\
         </BANKMSGSRSV1>\n</OFX>\n",
    );
    std::fs::write(path, out)
}

/// `12,468.25`, as the bank's export writes amounts.
fn grouped(cents: Cents) -> String {
    let plain = format_cents(cents);
    let (whole, fraction) = plain.split_once('.').expect("two decimals");
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{out}.{fraction}")
}

/// The bank's CSV export that `bank.profile` reads: `rows` rows, three credits to two debits,
/// each with the running balance after it.
fn bank_csv(path: &Path, rows: usize) -> std::io::Result<()> {
    let mut out = String::with_capacity(rows * 90);
    out.push_str("Date,Description,Reference,Debit,Credit,Balance\n");
    let mut balance: Cents = 1_000_000;
    for i in 0..rows {
        let credit = i % 5 < 3;
        let cents: Cents = 1_000 + (i as i64 * 7_919) % 500_000;
        let (debit, credit) = if credit {
            balance += cents;
            (String::new(), grouped(cents))
        } else {
            balance -= cents / 2;
            (grouped(cents / 2), String::new())
        };
        let _ = writeln!(
            out,
            "{},BENEVITY FUND ACH CREDIT {i},REF{i:08},\"{debit}\",\"{credit}\",\"{}\"",
            day(i / 50).format("%m/%d/%Y"),
            grouped(balance)
        );
    }
    std::fs::write(path, out)
}

/// A book of `payouts` disbursements of two payment lines each and as many deposits: most
/// deposits bring one payout (a few days after its bank date, every other one quoting its bank
/// reference), some payouts have not arrived, some deposits are no payout's, and every 100th
/// payout has the same net as the one before it, so that references or the treasurer decide.
/// Times the bank matching, its second run, the bank's view and the whole automatic
/// reconciliation that follows an import.
fn bank_matching(dir: &Path, payouts: usize) {
    let payments = dir.join("payments.csv");
    let deposits = dir.join("deposits.csv");
    let mut p = String::from(
        "id,date,payer,project,currency,gross,fees,net,reference,employer,contributor,email,type,disbursement,gift_date,\
         bank_date,bank_reference\n",
    );
    let mut d = String::from("id,date,account,currency,amount,reference,description\n");
    let mut deposit_count = 0;
    for k in 0..payouts {
        let (sent, bank) = (day(k / 5), day(k / 5 + 2));
        let base = if k % 100 == 1 { k - 1 } else { k };
        let halves: [Cents; 2] = [10_000 + (base as i64 * 7_919) % 400_000, 5_000 + (base as i64 * 104_729) % 90_000];
        let reference = format!("BR{k:07}");
        for (n, net) in halves.iter().enumerate() {
            let _ = writeln!(
                p,
                "pay-{k}-{n},{sent},Benevity,P{},USD,{},0.00,{},TX{k}-{n},Company {},,,match,D{k:07},{sent},{bank},{reference}",
                k % PROJECTS,
                format_cents(*net),
                format_cents(*net),
                k % 50,
            );
        }
        // Every 20th payout has not reached the bank; a grant takes its place among the deposits.
        let (amount, quoted, description) = if k % 20 == 19 {
            (500_000 + k as i64, String::new(), "FOUNDATION GRANT")
        } else {
            let quoted = if k % 2 == 0 { reference.clone() } else { String::new() };
            (halves.iter().sum(), quoted, "BENEVITY FUND ACH CREDIT")
        };
        let _ = writeln!(
            d,
            "dep-{k},{},Checking,USD,{},{quoted},{description}",
            day(k / 5 + 2 + k % 4),
            format_cents(amount)
        );
        deposit_count += 1;
    }
    std::fs::write(&payments, p).expect("write payments");
    std::fs::write(&deposits, d).expect("write deposits");

    let db = dir.join("bank.sqlite");
    let mut store = Store::open_or_create(&db).expect("open book");
    let files: Vec<PathBuf> = vec![payments, deposits];
    let (outcome, t) = timed(|| store.import(&files, &ImportOptions::default(), &mut |_| {}).expect("import"));
    assert!(matches!(outcome, ImportOutcome::Imported(_)), "the payouts and deposits import: {outcome:?}");
    println!(
        "bank book: {payouts} payouts ({} payment lines) and {deposit_count} deposits, imported in {:.2} s",
        payouts * 2,
        t.as_secs_f64()
    );
    let window = matchbook::bank::DEFAULT_WINDOW_DAYS;
    let (outcome, t) = timed(|| matchbook::bank::auto_match(&mut store, window).expect("match"));
    figure(
        "bank matching (bank::auto_match)",
        t,
        &format!(
            "({} matched, {} ambiguous; peak memory so far {:.0} MB)",
            outcome.matched,
            outcome.ambiguous,
            peak_memory_mb()
        ),
    );
    let (outcome, t) = timed(|| matchbook::bank::auto_match(&mut store, window).expect("match"));
    figure("  again, nothing new", t, &format!("({} matched)", outcome.matched));
    let as_of = day(payouts / 5 + 60);
    let (view, t) = timed(|| matchbook::bank::bank_view(&mut store, as_of, window).expect("view"));
    figure(
        "bank view (report reconcile --list)",
        t,
        &format!("({} payouts, {} deposits)", view.payouts.len(), view.deposits.len()),
    );
    // From scratch, as after an import: the payment lines' entries, then the bank.
    drop(store);
    let mut store = Store::open_or_create(&dir.join("bank-2.sqlite")).expect("open book");
    store.import(&files, &ImportOptions::default(), &mut |_| {}).expect("import");
    let (outcome, t) = timed(|| matchbook::reconcile::auto_reconcile(&mut store, as_of, window).expect("reconcile"));
    figure(
        "reconcile::auto_reconcile (lines, then bank)",
        t,
        &format!(
            "({} payouts matched; {} lines match no logged entry)",
            outcome.bank_matched, outcome.not_logged_lines
        ),
    );
}
