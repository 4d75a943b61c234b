//! End-to-end tests of the `matchbook` command line: the real binary, real CSV files and a real
//! SQLite book in a temporary directory per test. Every command is given `--db` explicitly.

mod common;

use common::*;
use std::path::{Path, PathBuf};

fn lines(text: &str) -> Vec<&str> {
    text.lines().collect()
}

// ---------------------------------------------------------------------------------------------
// 1. A small scenario computed by hand
// ---------------------------------------------------------------------------------------------

/// Acme has a volunteer program (25.00/h until 2025-06-30, 30.00/h from 2025-07-01) and a 1:1
/// donation match (max_gift 200.00). Both share the cap group `acme` with an annual cap of 500.00,
/// and the platform keeps 3 %. Claims are due 90 days after the program year (2026-03-31 for 2025).
const SCENARIO_PROGRAMS: &str = "\
program,employer,platform,kind,currency,effective_from,effective_to,rate_per_hour,match_ratio,max_gift,annual_cap,cap_group,claim_days,fee_rate
Acme Volunteer,Acme,Benevity,volunteer,USD,2025-01-01,2025-06-30,25.00,,,500.00,acme,90,0.03
Acme Volunteer,Acme,Benevity,volunteer,USD,2025-07-01,,30.00,,,500.00,acme,90,0.03
Acme Give,Acme,Benevity,donation,USD,2025-01-01,,,1,200.00,500.00,acme,90,0.03
";

/// Zoe worked for Otherco (no program) until 2025-02-28 and for Acme from 2025-03-01. Yann (no
/// email) works for Acme.
const SCENARIO_EMPLOYMENTS: &str = "\
contributor,email,employer,start,end
Zoe Quill,zoe@example.org,Otherco,2020-01-01,2025-02-28
Zoe Quill,zoe@example.org,Acme,2025-03-01,
Yann Ode,,Acme,2024-01-01,
";

/// Zoe's cap pool `acme` for 2025, entries in date order:
///
/// | date       | project | entry            | rule                               | expected | fee (3 %)       | pool used |
/// |------------|---------|------------------|------------------------------------|----------|-----------------|-----------|
/// | 2025-02-15 | Alpha   | 4 h              | Otherco has no program: XXX        |     0.00 | 0.00            |      0.00 |
/// | 2025-03-10 | Alpha   | 6 h, submitted   | v1: 6 x 25.00                      |   150.00 | 4.50            |    150.00 |
/// | 2025-04-01 | Beta    | 1 h, rejected    | rejected, uses no cap room         |     0.00 | 0.00            |    150.00 |
/// | 2025-05-05 | Beta    | 2.5 h            | v1: 2.5 x 25.00                    |    62.50 | 1.875 -> 1.88   |    212.50 |
/// | 2025-06-01 | Alpha   | gift 300.00, paid| min(300, 200) x 1                  |   200.00 | 6.00            |    412.50 |
/// | 2025-07-10 | Beta    | 3 h              | v2: 3 x 30.00 = 90.00, cut by cap  |    87.50 | 2.625 -> 2.63   |    500.00 |
/// | 2025-08-01 | Alpha   | 2 h              | capped                             |     0.00 | 0.00            |    500.00 |
/// | 2026-01-05 | Alpha   | 1 h              | program year 2026: 1 x 30.00       |    30.00 | 0.90            |  (2026)   |
///
/// Yann has his own cap pool: 2025-09-10, Beta, 4 h x 30.00 = 120.00, fee 3.60.
const SCENARIO_HOURS: &str = "\
date,contributor,email,employer,project,hours,description,status
2025-02-15,Zoe Quill,zoe@example.org,,Alpha,4,Docs before joining Acme,logged
2025-03-10,Zoe Quill,zoe@example.org,,Alpha,6,Release prep,submitted
2025-04-01,Zoe Quill,zoe@example.org,,Beta,1,Claim refused,rejected
2025-05-05,Zoe Quill,zoe@example.org,,Beta,2.5,Triage,logged
2025-07-10,Zoe Quill,zoe@example.org,,Beta,3,Mentoring,logged
2025-08-01,Zoe Quill,zoe@example.org,,Alpha,2,Bug fixes,logged
2026-01-05,Zoe Quill,zoe@example.org,,Alpha,1,New year,logged
2025-09-10,Yann Ode,,,Beta,4,Packaging,logged
";

const SCENARIO_DONATIONS: &str = "\
date,contributor,email,employer,project,amount,currency,status
2025-06-01,Zoe Quill,zoe@example.org,,Alpha,300.00,USD,paid
";

/// Benevity paid Alpha 100.00 gross, 3.00 fees: net 97.00 (derived).
const SCENARIO_PAYMENTS: &str = "\
date,payer,project,currency,gross,fees,reference
2025-09-01,Benevity,Alpha,USD,100.00,3.00,BNV-1
";

fn scenario_book() -> Book {
    let book = Book::new();
    let files = [
        book.write("in/programs.csv", SCENARIO_PROGRAMS),
        book.write("in/employments.csv", SCENARIO_EMPLOYMENTS),
        book.write("in/hours.csv", SCENARIO_HOURS),
        book.write("in/donations.csv", SCENARIO_DONATIONS),
        book.write("in/payments.csv", SCENARIO_PAYMENTS),
    ];
    let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let out = book.import(&refs);
    assert!(out.contains("hours, 8 row(s): 8 added"), "{out}");
    book
}

#[test]
fn scenario_expected_report_matches_hand_computation() {
    let book = scenario_book();
    let report = book.report_csv(&["--year", "2025", "--as-of", "2025-12-31"]);
    // Alpha USD: hours 6 + 2 = 8; gifts 300.00; expected 150.00 + 200.00 + 0.00 = 350.00;
    //            fees 4.50 + 6.00 = 10.50; net 339.50; received 97.00; outstanding 242.50.
    // Alpha XXX: Zoe's 4 hours while at Otherco, which has no program.
    // Beta USD:  hours 1 (rejected) + 2.5 + 3 + 4 = 10.5; expected 62.50 + 87.50 + 120.00 = 270.00;
    //            fees 1.88 + 2.63 + 3.60 = 8.11; net 261.89; nothing received.
    // The 2026-01-05 hour is outside --year 2025.
    assert_eq!(
        lines(&report),
        [
            "project,currency,hours,gifts,expected,fees,expected_net,received,outstanding",
            "Alpha,USD,8.00,300.00,350.00,10.50,339.50,97.00,242.50",
            "Alpha,XXX,4.00,0.00,0.00,0.00,0.00,0.00,0.00",
            "Beta,USD,10.50,0.00,270.00,8.11,261.89,0.00,261.89",
        ],
        "{report}"
    );

    // 2026 is a new program year: the cap is fresh, 1 h x 30.00 = 30.00, fee 0.90.
    let report = book.report_csv(&["--year", "2026", "--as-of", "2026-12-31"]);
    assert_eq!(
        lines(&report),
        [
            "project,currency,hours,gifts,expected,fees,expected_net,received,outstanding",
            "Alpha,USD,1.00,0.00,30.00,0.90,29.10,0.00,29.10",
        ],
        "{report}"
    );

    // As of 2026-06-01 every 2025 entry still `logged` is past its deadline (2026-03-31) and earns
    // nothing; expired entries use no cap room, so the submitted hours (150.00) and the paid gift
    // (200.00) keep what they earned. Beta's entries were all logged (or rejected): 0.00.
    let report = book.report_csv(&["--year", "2025", "--as-of", "2026-06-01"]);
    assert_eq!(
        lines(&report),
        [
            "project,currency,hours,gifts,expected,fees,expected_net,received,outstanding",
            "Alpha,USD,8.00,300.00,350.00,10.50,339.50,97.00,242.50",
            "Alpha,XXX,4.00,0.00,0.00,0.00,0.00,0.00,0.00",
            "Beta,USD,10.50,0.00,0.00,0.00,0.00,0.00,0.00",
        ],
        "{report}"
    );

    // Any period selection gives each entry the same amount: a period of only July 2025 holds the
    // capped 3 h (87.50, fee 2.63).
    let report = book.report_csv(&["--from", "2025-07-01", "--to", "2025-07-31", "--as-of", "2025-12-31"]);
    assert_eq!(
        lines(&report),
        [
            "project,currency,hours,gifts,expected,fees,expected_net,received,outstanding",
            "Beta,USD,3.00,0.00,87.50,2.63,84.87,0.00,84.87",
        ],
        "{report}"
    );

    // By contributor: Zoe 350.00 + 62.50 + 87.50 = 500.00 (exactly the cap), fees 10.50 + 1.88 + 2.63.
    let report = book.report_csv(&["--by", "contributor", "--year", "2025", "--as-of", "2025-12-31"]);
    let report = lines(&report);
    assert_eq!(report[0], "contributor,currency,hours,gifts,expected,fees,expected_net,received,outstanding");
    assert!(report.contains(&"Yann Ode,USD,4.00,0.00,120.00,3.60,116.40,0.00,116.40"), "{report:#?}");
    assert!(report.contains(&"Zoe Quill,USD,14.50,300.00,500.00,15.01,484.99,0.00,484.99"), "{report:#?}");
}

#[test]
fn scenario_reports_by_program_employer_and_partial_period() {
    let book = scenario_book();
    // By program: Acme Volunteer has Zoe's 6 + 1 (rejected) + 2.5 + 3 + 2 hours and Yann's 4 (18.5 h),
    // earning 150.00 + 62.50 + 87.50 + 0.00 + 120.00 = 420.00 with fees 4.50 + 1.88 + 2.63 + 3.60 = 12.61;
    // Acme Give matched 200.00 of the 300.00 gift, fee 6.00. Zoe's hours at Otherco have no program.
    let report = book.report_csv(&["--by", "program", "--year", "2025", "--as-of", "2025-12-31"]);
    let report = lines(&report);
    assert_eq!(report[0], "program,currency,hours,gifts,expected,fees,expected_net,received,outstanding");
    assert!(
        report
            .iter()
            .any(|l| l.ends_with(",USD,18.50,0.00,420.00,12.61,407.39,0.00,407.39") && l.starts_with("Acme Volunteer")),
        "{report:#?}"
    );
    assert!(
        report
            .iter()
            .any(|l| l.ends_with(",USD,0.00,300.00,200.00,6.00,194.00,0.00,194.00") && l.starts_with("Acme Give")),
        "{report:#?}"
    );
    assert!(report.iter().any(|l| l.ends_with(",XXX,4.00,0.00,0.00,0.00,0.00,0.00,0.00")), "{report:#?}");
    assert_eq!(report.len(), 4, "{report:#?}");

    // By employer: Acme earns 500.00 (Zoe, at the cap) + 120.00 (Yann), fees 15.01 + 3.60.
    let report = book.report_csv(&["--by", "employer", "--year", "2025", "--as-of", "2025-12-31"]);
    assert!(lines(&report).contains(&"Acme,USD,18.50,300.00,620.00,18.61,601.39,0.00,601.39"), "{report}");

    // A period of loose days (not whole months): 2025-03-10 to 2025-05-05 holds the 6 h for Alpha
    // (150.00, fee 4.50), the rejected hour and the 2.5 h for Beta (62.50, fee 1.88).
    let report = book.report_csv(&["--from", "2025-03-10", "--to", "2025-05-05", "--as-of", "2025-12-31"]);
    assert_eq!(
        lines(&report),
        [
            "project,currency,hours,gifts,expected,fees,expected_net,received,outstanding",
            "Alpha,USD,6.00,0.00,150.00,4.50,145.50,0.00,145.50",
            "Beta,USD,3.50,0.00,62.50,1.88,60.62,0.00,60.62",
        ],
        "{report}"
    );
}

#[test]
fn scenario_explain_names_program_version_and_cap() {
    let book = scenario_book();
    let export = book.export();
    let v1 = id_of(&export, "programs.csv", "2025-01-01,2025-06-30");
    let v2 = id_of(&export, "programs.csv", "Acme Volunteer,Acme,Benevity,volunteer,USD,2025-07-01");
    assert_ne!(v1, v2);

    // 2025-05-05, 2.5 h under v1: 62.50, fee 1.88.
    let triage = id_of(&export, "hours.csv", "Triage");
    let text = book.ok(&["explain", &triage, "--as-of", "2025-12-31"]);
    assert!(text.contains(&triage), "{text}");
    assert!(text.contains("Acme Volunteer"), "{text}");
    assert!(text.contains(&v1), "{text}");
    assert!(!text.contains(&v2), "{text}");
    assert!(text.contains("62.50"), "{text}");
    assert!(text.contains("1.88"), "{text}");
    assert!(text.contains("500.00"), "the cap should be shown:\n{text}");
    assert!(text.contains("2026-03-31"), "the claim deadline should be shown:\n{text}");

    // 2025-07-10, 3 h under v2: 90.00 cut to the 87.50 left under the 500.00 cap of group acme.
    let mentoring = id_of(&export, "hours.csv", "Mentoring");
    let text = book.ok(&["explain", &mentoring, "--as-of", "2025-12-31"]);
    assert!(text.contains("Acme Volunteer"), "{text}");
    assert!(text.contains(&v2), "{text}");
    assert!(text.contains("90.00"), "{text}");
    assert!(text.contains("87.50"), "{text}");
    assert!(text.contains("500.00"), "{text}");
    assert!(text.contains("acme"), "the cap group should be named:\n{text}");
    assert!(text.contains("2.63"), "{text}");

    // The JSON form carries the same result.
    let json = book.ok(&["explain", &mentoring, "--as-of", "2025-12-31", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json).expect("explain --format json is JSON");
    assert!(json.contains(&v2), "{json}");
    assert!(json.contains("87.50"), "{json}");
    assert_eq!(value["id"], serde_json::Value::String(mentoring.clone()));

    // 2025-08-01: capped, earns 0.
    let capped = id_of(&export, "hours.csv", "Bug fixes");
    let text = book.ok(&["explain", &capped, "--as-of", "2025-12-31"]);
    assert!(text.contains(&v2), "{text}");
    assert!(text.contains("cap"), "{text}");
    assert!(text.contains("0.00 USD expected"), "{text}");

    // Zoe's hours at Otherco: no program.
    let before = id_of(&export, "hours.csv", "Docs before joining Acme");
    let text = book.ok(&["explain", &before, "--as-of", "2025-12-31"]);
    assert!(!text.contains("Acme Volunteer"), "{text}");

    // An unknown id is an error.
    let err = book.fails(&["explain", "h-nope-1", "--as-of", "2025-12-31"]);
    assert!(err.contains("h-nope-1"), "{err}");
}

#[test]
fn scenario_due_lists_logged_entries_near_their_deadline() {
    let book = scenario_book();
    let export = book.export();
    // As of 2026-03-15 with a 30-day window, the 2025 `logged` entries that have a program
    // (deadline 2026-03-31) are due; the submitted, paid and rejected ones are not, nor the entry
    // without a program, nor the 2026 entry (deadline 2027-03-31).
    let out = book.ok(&["report", "due", "--as-of", "2026-03-15", "--within", "30", "--format", "csv"]);
    let due: Vec<&str> = out.lines().skip(1).collect();
    let ids: Vec<String> = due.iter().map(|l| l.split(',').next().unwrap().to_string()).collect();
    let mut expected_ids = vec![
        id_of(&export, "hours.csv", "Triage"),
        id_of(&export, "hours.csv", "Mentoring"),
        id_of(&export, "hours.csv", "Bug fixes"),
        id_of(&export, "hours.csv", "Packaging"),
    ];
    let mut got = ids.clone();
    got.sort();
    expected_ids.sort();
    assert_eq!(got, expected_ids, "{out}");
    let packaging = due.iter().find(|l| l.contains("Yann Ode")).expect("Yann's entry");
    assert!(packaging.contains("2026-03-31"), "{packaging}");
    assert!(packaging.ends_with(",120.00"), "{packaging}");

    // The same lines as JSON (objects keyed by the CSV's columns, in their order) and as a table
    // (a header, a rule, then a line each, amounts with their currency).
    let args = ["report", "due", "--as-of", "2026-03-15", "--within", "30", "--format"];
    let json = book.ok(&[&args[..], &["json"]].concat());
    let objects: Vec<serde_json::Map<String, serde_json::Value>> = serde_json::from_str(&json).expect("an array");
    let header: Vec<&str> = out.lines().next().unwrap().split(',').collect();
    assert_eq!(objects.len(), due.len(), "{json}");
    for (object, line) in objects.iter().zip(&due) {
        let cells: Vec<&str> = line.split(',').collect();
        for (column, cell) in header.iter().zip(cells) {
            assert_eq!(object[*column], serde_json::Value::String(cell.to_string()), "{column}: {json}");
        }
    }
    let keys_in_order: Vec<usize> =
        header.iter().map(|c| json.find(&format!("\"{c}\":")).expect("every column")).collect();
    assert!(keys_in_order.windows(2).all(|w| w[0] < w[1]), "{json}");
    let table = book.ok(&[&args[..], &["table"]].concat());
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), due.len() + 2, "{table}");
    assert!(lines[0].starts_with("id ") && lines[1].starts_with("---"), "{table}");
    let yann = lines.iter().find(|l| l.contains("Yann Ode")).expect("Yann's line");
    assert!(yann.ends_with("120.00 USD"), "{table}");
    assert!(lines.iter().all(|l| l.len() <= lines[1].len()), "every line within the rule's width: {table}");
}

// ---------------------------------------------------------------------------------------------
// 2. Bad input is refused with file, line and column, and the book is unchanged
// ---------------------------------------------------------------------------------------------

/// A book holding the sample book, to check that refused imports leave it as it was.
fn sample_book() -> Book {
    let book = Book::new();
    book.import(&[&repo("examples/book")]);
    book
}

/// Imports `path` into `book`, expects a refusal that names `file:line` and, when given, one of
/// `columns`, and checks that the book did not change.
fn assert_refused(book: &Book, path: &Path, line: Option<u64>, columns: &[&str]) -> String {
    let before = book.export();
    let stderr = book.import_fails(&[path]);
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    assert!(stderr.starts_with("error: "), "{stderr}");
    let first = stderr.lines().next().unwrap();
    assert!(first.contains(&name), "the error should name {name}: {stderr}");
    if let Some(line) = line {
        if columns.is_empty() {
            assert!(first.contains(&format!("{name}:{line}: ")), "expected {name}:{line}: in {stderr}");
        } else {
            assert!(
                columns.iter().any(|c| first.contains(&format!("{name}:{line}: column {c}: "))),
                "expected {name}:{line}: column {columns:?} in {stderr}"
            );
        }
    }
    let after = book.export();
    assert_eq!(before, after, "a refused import of {} changed the book", path.display());
    stderr
}

#[test]
fn example_bad_files_are_refused_with_line_and_column() {
    let book = sample_book();
    let bad = |name: &str| repo(&format!("examples/bad/{name}"));
    assert_refused(&book, &bad("bad-date.csv"), Some(3), &["date"]);
    assert_refused(&book, &bad("negative-hours.csv"), Some(3), &["hours"]);
    assert_refused(&book, &bad("too-many-hours.csv"), Some(3), &["hours"]);
    assert_refused(&book, &bad("not-a-number.csv"), Some(3), &["hours"]);
    assert_refused(&book, &bad("unknown-status.csv"), Some(3), &["status"]);
    assert_refused(&book, &bad("bad-currency.csv"), Some(3), &["currency"]);
    assert_refused(&book, &bad("absurd-amount.csv"), Some(3), &["amount"]);
    assert_refused(&book, &bad("inconsistent-payment.csv"), Some(3), &["gross", "fees", "net"]);
    let err = assert_refused(&book, &bad("status-date-before-entry.csv"), Some(3), &["submitted_on"]);
    assert!(err.contains("2025-03-01 is before the entry's own date 2025-03-11"), "{err}");
    let err = assert_refused(&book, &bad("status-dates-out-of-order.csv"), Some(3), &["paid_on"]);
    assert!(err.contains("2025-04-02 is before approved_on 2025-04-30"), "{err}");
    // In the sample book, line 2 (2025-01-01 to 2025-12-31) already overlaps the book's own
    // versions; line 3 is identical to the book's 2025-07-01 version and adds nothing.
    assert_refused(&book, &bad("overlapping-versions.csv"), Some(2), &["effective_from", "effective_to"]);
    // In an empty book the file's two versions overlap each other from line 3.
    let empty = Book::new();
    let err = assert_refused(&empty, &bad("overlapping-versions.csv"), Some(3), &["effective_from", "effective_to"]);
    assert!(err.contains("overlap") && err.contains("2025-07-01"), "{err}");

    // Header problems are on line 1 and name the column in the message.
    let err = assert_refused(&book, &bad("missing-column.csv"), Some(1), &[]);
    assert!(err.lines().next().unwrap().contains("project"), "{err}");
    let err = assert_refused(&book, &bad("unknown-column.csv"), Some(1), &[]);
    assert!(err.lines().next().unwrap().contains("colour"), "{err}");

    // Syntax problems.
    let err = assert_refused(&book, &bad("unterminated-quote.csv"), Some(3), &[]);
    assert!(err.contains("quote"), "{err}");
    let err = assert_refused(&book, &bad("short-row.csv"), Some(3), &[]);
    assert!(err.contains("field"), "{err}");
    let err = assert_refused(&book, &bad("garbage.csv"), Some(1), &[]);
    assert!(err.contains("binary") || err.contains("not CSV"), "{err}");
    // An empty file has no line to name; the error names the file.
    let err = assert_refused(&book, &bad("empty.csv"), None, &[]);
    assert!(err.contains("empty"), "{err}");
}

#[test]
fn unknown_column_is_a_warning_with_ignore_unknown() {
    let book = Book::new();
    let path = repo("examples/bad/unknown-column.csv");
    let out = book.run(&["import".as_ref(), "--ignore-unknown".as_ref(), path.as_os_str()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stderr.contains("warning: "), "{stderr}");
    assert!(stderr.contains("unknown-column.csv:1"), "{stderr}");
    assert!(stderr.contains("colour"), "{stderr}");
    assert!(stdout.contains("2 added"), "{stdout}");
    let export = book.export();
    let hours = rows(&export, "hours.csv");
    assert_eq!(hours.len(), 2, "{hours:?}");
    assert!(!String::from_utf8_lossy(&export["hours.csv"]).contains("green"));
}

const HOURS_HEADER: &str = "date,contributor,email,employer,project,hours,description,status\n";
const GOOD_HOURS_ROW: &str = "2025-03-04,Ada Lindqvist,ada.lindqvist@example.org,,Lumen,2.5,Triage new issues,logged\n";

#[test]
fn crafted_bad_values_are_refused_with_line_and_column() {
    let book = sample_book();
    let hours_row = |n: usize, date: &str, hours: &str, status: &str| {
        let mut text = String::from(HOURS_HEADER);
        for _ in 0..n {
            text.push_str(GOOD_HOURS_ROW);
        }
        text.push_str(&format!("{date},Ada Lindqvist,ada.lindqvist@example.org,,Lumen,{hours},Work,{status}\n"));
        text
    };
    let cases: &[(&str, String, u64, &str)] = &[
        ("zero-hours.csv", hours_row(1, "2025-03-05", "0", "logged"), 3, "hours"),
        ("too-precise-hours.csv", hours_row(2, "2025-03-05", "1.23456", "logged"), 4, "hours"),
        ("clock-hours.csv", hours_row(1, "2025-03-05", "1:30", "logged"), 3, "hours"),
        ("short-date.csv", hours_row(1, "2025-3-5", "1", "logged"), 3, "date"),
        ("us-date.csv", hours_row(3, "03/05/2025", "1", "logged"), 5, "date"),
        ("feb-29.csv", hours_row(1, "2025-02-29", "1", "logged"), 3, "date"),
        ("status.csv", hours_row(1, "2025-03-05", "1", "done"), 3, "status"),
    ];
    for (name, content, line, column) in cases {
        let path = book.write(name, content);
        assert_refused(&book, &path, Some(*line), &[column]);
    }

    let donation = |amount: &str, currency: &str| {
        format!(
            "date,contributor,email,employer,project,amount,currency,status\n\
             2025-03-03,Ada Lindqvist,ada.lindqvist@example.org,,Lumen,500.00,USD,logged\n\
             2025-03-10,Ada Lindqvist,ada.lindqvist@example.org,,Lumen,{amount},{currency},logged\n"
        )
    };
    let cases: &[(&str, String, &str)] = &[
        ("dollar-sign.csv", donation("\"$1,234.50\"", "USD"), "amount"),
        ("decimal-comma.csv", donation("\"1234,50\"", "USD"), "amount"),
        ("exponent.csv", donation("1.2e3", "USD"), "amount"),
        ("too-precise-amount.csv", donation("10.505", "USD"), "amount"),
        ("just-over-limit.csv", donation("1000000000.01", "USD"), "amount"),
        ("xyz.csv", donation("10.00", "XYZ"), "currency"),
        ("us-dollar-sign.csv", donation("10.00", "US$"), "currency"),
    ];
    for (name, content, column) in cases {
        let path = book.write(name, content);
        assert_refused(&book, &path, Some(3), &[column]);
    }

    // Payments: fees larger than gross, and net inconsistent with gross and fees.
    let path = book.write(
        "payment-net.csv",
        "date,payer,project,currency,gross,fees,net\n2025-06-30,CyberGrants,Tessel,USD,100.00,3.00,97.00\n\
         2025-07-30,CyberGrants,Tessel,USD,100.00,,101.00\n",
    );
    assert_refused(&book, &path, Some(3), &["gross", "fees", "net"]);

    // Programs: a volunteer version with both a rate and blocks, and one with neither.
    let program = |rate: &str, block_hours: &str, block_amount: &str| {
        format!(
            "program,employer,kind,currency,effective_from,rate_per_hour,block_hours,block_amount\n\
             Contoso Hours,Contoso,volunteer,USD,2025-01-01,{rate},{block_hours},{block_amount}\n"
        )
    };
    let path = book.write("both.csv", program("20.00", "10", "250.00"));
    assert_refused(&book, &path, Some(2), &["rate_per_hour", "block_hours", "block_amount"]);
    let path = book.write("neither.csv", program("", "", ""));
    assert_refused(&book, &path, Some(2), &["rate_per_hour", "block_hours", "block_amount"]);

    // Names holding control characters: they are compared and joined into keys, so refused.
    let path = book.write(
        "control-in-name.csv",
        format!("{HOURS_HEADER}{GOOD_HOURS_ROW}2025-03-05,\"Ada\tLindqvist\",,,Lumen,1,Work,logged\n"),
    );
    assert_refused(&book, &path, Some(3), &["contributor"]);
    let path = book.write("unit-separator.csv", "contributor,employer,start,end\nZed,Con\u{1f}toso,2025-04-01,\n");
    assert_refused(&book, &path, Some(2), &["employer"]);

    // An employment that ends before it starts.
    let path = book.write("employment.csv", "contributor,employer,start,end\nZed,Contoso,2025-05-01,2025-04-30\n");
    assert_refused(&book, &path, Some(2), &["start", "end"]);

    // Line numbers are lines of the file: a BOM and CRLF line ends do not change them, and a
    // quoted field spanning two lines moves the next row down one line.
    let crlf = format!("\u{feff}{}{}", HOURS_HEADER, GOOD_HOURS_ROW).replace('\n', "\r\n")
        + "2025-03-05,Ada Lindqvist,ada.lindqvist@example.org,,Lumen,25,Marathon,logged\r\n";
    let path = book.write("crlf.csv", crlf);
    assert_refused(&book, &path, Some(3), &["hours"]);
    let multiline = format!(
        "{HOURS_HEADER}2025-03-04,Ada Lindqvist,ada.lindqvist@example.org,,Lumen,2.5,\"two\nlines\",logged\n\
         2025-03-05,Ada Lindqvist,ada.lindqvist@example.org,,Lumen,1,Work,pending\n"
    );
    let path = book.write("multiline.csv", multiline);
    assert_refused(&book, &path, Some(4), &["status"]);

    // A header only: nothing to add, but not an error.
    let path = book.write("header-only.csv", HOURS_HEADER);
    let before = book.export();
    book.import(&[&path]);
    assert_eq!(before, book.export());
}

/// The contract: "when two of gross, fees, net are given the third is derived"; gross too.
#[test]
fn a_payment_without_gross_derives_it_from_fees_and_net() {
    let book = Book::new();
    let file = book.write(
        "payments.csv",
        "date,payer,project,currency,gross,fees,net,reference\n2025-05-15,Benevity,Lumen,USD,,27.19,910.31,BNV-1\n",
    );
    let out = book.import(&[&file]);
    assert!(out.contains("1 row(s): 1 added"), "{out}");
    let payments = rows(&book.export(), "payments.csv");
    assert!(payments[0].contains(",Lumen,USD,937.50,27.19,910.31,BNV-1"), "{payments:?}");
    // Only one of fees and net: gross cannot be told.
    let file = book.write(
        "short.csv",
        "date,payer,project,currency,gross,fees,net,reference\n2025-05-16,Benevity,Lumen,USD,,,910.31,BNV-2\n",
    );
    let err = book.import_fails(&[&file]);
    assert!(err.contains("short.csv:2: column gross: is empty but required (or give both fees and net)"), "{err}");
}

#[test]
fn overlapping_program_versions_are_refused_also_against_the_book() {
    let book = sample_book();
    let header = "program,employer,platform,kind,currency,effective_from,effective_to,rate_per_hour,annual_cap,cap_group,claim_days,fee_rate\n";
    // The book holds Microsoft Volunteer Rewards 2024-01-01..2025-06-30 and 2025-07-01..open.
    // A new version from 2026-01-01 overlaps the open-ended one.
    let path = book.write(
        "later.csv",
        format!(
            "{header}Contoso Hours,Contoso,Direct,volunteer,USD,2025-01-01,,20.00,,,,\n\
             Microsoft Volunteer Rewards,Microsoft,Benevity,volunteer,USD,2026-01-01,,35.00,2500.00,giving,90,0.029\n"
        ),
    );
    let err = assert_refused(&book, &path, Some(3), &["effective_from", "effective_to"]);
    assert!(err.contains("overlap"), "{err}");
    // A version before the book's first one that runs into it.
    let path = book.write(
        "earlier.csv",
        format!(
            "{header}Microsoft Volunteer Rewards,Microsoft,Benevity,volunteer,USD,2023-01-01,2024-01-01,20.00,2500.00,giving,90,0.029\n"
        ),
    );
    assert_refused(&book, &path, Some(2), &["effective_from", "effective_to"]);
    // Employer names are compared case-insensitively after trimming.
    let path = book.write(
        "case.csv",
        format!(
            "{header}Microsoft Volunteer Rewards, MICROSOFT ,Benevity,volunteer,USD,2025-03-01,2025-03-31,20.00,2500.00,giving,90,0.029\n"
        ),
    );
    assert_refused(&book, &path, Some(2), &["effective_from", "effective_to"]);

    // Adjacent versions are fine: end the open one by replacing it (by id), then add the next.
    let export = book.export();
    let open =
        id_of(&export, "programs.csv", "Microsoft Volunteer Rewards,Microsoft,Benevity,volunteer,USD,2025-07-01");
    let path = book.write(
        "adjacent.csv",
        format!(
            "id,{header}{open},Microsoft Volunteer Rewards,Microsoft,Benevity,volunteer,USD,2025-07-01,2025-12-31,30.00,2500.00,giving,90,0.029\n\
             ,Microsoft Volunteer Rewards,Microsoft,Benevity,volunteer,USD,2026-01-01,,35.00,2500.00,giving,90,0.029\n"
        ),
    );
    let out = book.import(&[&path]);
    assert!(out.contains("1 added, 1 replaced"), "{out}");
    assert_eq!(rows(&book.export(), "programs.csv").len(), 9);
}

#[test]
fn dry_run_writes_nothing() {
    let book = sample_book();
    let before = book.export();
    let path = book.write("more.csv", format!("{HOURS_HEADER}{GOOD_HOURS_ROW}").replace("Triage", "Dry run"));
    let out = book.ok(&["import".as_ref(), "--dry-run".as_ref(), path.as_os_str()]);
    assert!(out.contains("1 added"), "{out}");
    assert!(out.contains("dry run"), "{out}");
    assert_eq!(before, book.export());
}

#[test]
fn a_preview_counts_what_the_import_then_does() {
    // A preview skips writing entries that nothing later in the import reads back; its counts
    // must still be the import's, file by file.
    let counts =
        |out: &str| -> Vec<String> { out.lines().filter(|l| l.contains(" row(s): ")).map(str::to_string).collect() };
    let book = Book::new();
    let sample = repo("examples/book");
    let more = book.write(
        "more/hours.csv",
        format!("{HOURS_HEADER}{GOOD_HOURS_ROW}{GOOD_HOURS_ROW}{GOOD_HOURS_ROW}").replace("Triage", "Twice"),
    );
    let again = book
        .write("again/hours.csv", format!("{HOURS_HEADER}{GOOD_HOURS_ROW}{GOOD_HOURS_ROW}").replace("Triage", "Twice"));
    let scenarios: Vec<Vec<&Path>> = vec![
        vec![&sample],       // into an empty book
        vec![&sample],       // again: every row unchanged
        vec![&more, &again], // the book has none of these; the second file reads the first back
        vec![&more],         // identical rows the book already holds
    ];
    for paths in scenarios {
        let mut args: Vec<&std::ffi::OsStr> = vec!["import".as_ref(), "--dry-run".as_ref()];
        args.extend(paths.iter().map(|p| p.as_os_str()));
        let preview = book.ok(&args);
        let before = book.export();
        let done = book.import(&paths);
        assert_eq!(counts(&preview), counts(&done), "{paths:?}");
        assert!(!counts(&done).is_empty());
        if counts(&done).iter().all(|l| l.contains(" 0 added, 0 replaced")) {
            assert_eq!(before, book.export());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 3. A large file with a bad last row
// ---------------------------------------------------------------------------------------------

#[test]
fn large_file_with_bad_last_row_is_refused_at_line_5001() {
    let book = Book::new();
    let mut text = String::from(HOURS_HEADER);
    for i in 0..4_999u32 {
        let (month, day) = (1 + i % 12, 1 + i % 28);
        text.push_str(&format!(
            "2025-{month:02}-{day:02},Contributor {c},,,Project {p},{h}.5,Task {i},logged\n",
            c = i % 37,
            p = i % 5,
            h = i % 8
        ));
    }
    text.push_str("2025-12-31,Contributor 1,,,Project 1,24.25,The last row,logged\n");
    assert_eq!(text.lines().count(), 5_001);
    let path = book.write("big.csv", &text);
    let err = book.import_fails(&[&path]);
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.contains("big.csv:5001: column hours: "), "{err}");
    assert_eq!(err.lines().filter(|l| l.starts_with("error: ")).count(), 1, "only the last row is bad:\n{err}");
    let export = book.export();
    assert_eq!(rows(&export, "hours.csv").len(), 0);
    assert_eq!(
        std::str::from_utf8(&export["hours.csv"]).unwrap(),
        "id,date,contributor,email,employer,project,hours,description,status,submitted_on,approved_on,paid_on,rejected_on\n"
    );
    let report = book.report_csv(&["--as-of", "2025-12-31"]);
    assert_eq!(lines(&report).len(), 1, "{report}");

    // Fixing the last row lets the whole file in.
    let fixed = text.replace("24.25,The last row", "4.25,The last row");
    let path = book.write("big-fixed.csv", fixed);
    let out = book.import(&[&path]);
    assert!(out.contains("5000 row(s): 5000 added"), "{out}");
}

// ---------------------------------------------------------------------------------------------
// 4. Re-importing and identical rows
// ---------------------------------------------------------------------------------------------

#[test]
fn importing_the_same_files_twice_changes_nothing() {
    let book = Book::new();
    let out = book.import(&[&repo("examples/book")]);
    assert!(out.contains("86 added"), "{out}");
    let first = book.export();
    let out = book.import(&[&repo("examples/book")]);
    for line in out.lines() {
        assert!(line.contains(": 0 added, 0 replaced"), "second import changed something: {line}");
    }
    assert_eq!(out.lines().count(), 5, "{out}");
    assert_eq!(first, book.export());
    // The export itself (with ids) imports as unchanged too.
    let dir = book.path("exported");
    book.export_to("exported");
    let out = book.import(&[&dir]);
    for line in out.lines() {
        assert!(line.contains(": 0 added, 0 replaced"), "re-importing the export changed something: {line}");
    }
    assert_eq!(first, book.export());
    // The export imported into a fresh book exports byte for byte the same, ids included.
    let fresh = Book::new();
    fresh.import(&[&dir]);
    assert_eq!(first, fresh.export());
}

#[test]
fn identical_rows_are_a_multiset() {
    let book = Book::new();
    let row = "2025-03-04,Ada Lindqvist,ada@example.org,,Lumen,1.5,Same thing,logged\n";
    let thrice = book.write("thrice.csv", format!("{HOURS_HEADER}{row}{row}{row}"));
    let out = book.import(&[&thrice]);
    assert!(out.contains("3 row(s): 3 added, 0 replaced, 0 unchanged"), "{out}");
    assert_eq!(rows(&book.export(), "hours.csv").len(), 3);

    let out = book.import(&[&thrice]);
    assert!(out.contains("3 row(s): 0 added, 0 replaced, 3 unchanged"), "{out}");
    assert_eq!(rows(&book.export(), "hours.csv").len(), 3);

    let twice = book.write("twice.csv", format!("{HOURS_HEADER}{row}{row}"));
    let out = book.import(&[&twice]);
    assert!(out.contains("2 row(s): 0 added"), "{out}");
    let export = book.export();
    assert_eq!(rows(&export, "hours.csv").len(), 3);
    let ids: std::collections::BTreeSet<String> =
        rows(&export, "hours.csv").iter().map(|r| r.split(',').next().unwrap().to_string()).collect();
    assert_eq!(ids.len(), 3, "three records, three ids: {ids:?}");

    // Four copies bring the book to four.
    let four = book.write("four.csv", format!("{HOURS_HEADER}{row}{row}{row}{row}"));
    let out = book.import(&[&four]);
    assert!(out.contains("4 row(s): 1 added"), "{out}");
    assert_eq!(rows(&book.export(), "hours.csv").len(), 4);

    // Identity ignores letter case and spaces of names (same person, same project).
    let respelled = book.write(
        "respelled.csv",
        format!("{HOURS_HEADER}2025-03-04, ada lindqvist ,ADA@example.org,, lumen ,1.50,Same thing,logged\n"),
    );
    let out = book.import(&[&respelled]);
    assert!(out.contains("1 row(s): 0 added"), "{out}");
    assert_eq!(rows(&book.export(), "hours.csv").len(), 4);
}

/// The contract's "identity of rows without an id": a status is no part of it. A row that
/// matches a record in every other column is that record, and moves it forward only.
#[test]
fn an_id_less_row_is_its_record_whatever_its_status_and_moves_it_forward_only() {
    let book = Book::new();
    let row =
        |status: &str| format!("{HOURS_HEADER}2025-03-04,Ada Lindqvist,ada@example.org,,Lumen,1.5,Triage,{status}\n");
    let status_in_book = |book: &Book| {
        let hours = rows(&book.export(), "hours.csv");
        assert_eq!(hours.len(), 1, "{hours:?}");
        hours[0].split(',').nth(8).unwrap().to_string()
    };
    let logged = book.write("logged.csv", row("logged"));
    book.import(&[&logged]);
    // Further along: the record moves forward, counted as replaced; the same again changes nothing.
    let approved = book.write("approved.csv", row("approved"));
    let out = book.import(&[&approved]);
    assert!(out.contains("1 row(s): 0 added, 1 replaced, 0 unchanged"), "{out}");
    assert_eq!(status_in_book(&book), "approved");
    let out = book.import(&[&approved]);
    assert!(out.contains("1 row(s): 0 added, 0 replaced, 1 unchanged"), "{out}");
    // Behind the book's status (the contributor's older file): never back.
    for older in ["logged", "submitted"] {
        let file = book.write(&format!("{older}-again.csv"), row(older));
        let out = book.import(&[&file]);
        assert!(out.contains("1 row(s): 0 added, 0 replaced, 1 unchanged"), "{older}: {out}");
        assert_eq!(status_in_book(&book), "approved");
    }
    // A rejection in the book stays unless a row with the record's id says otherwise.
    let id = id_of(&book.export(), "hours.csv", "Triage");
    let rejected = book.write(
        "rejected.csv",
        format!("id,date,contributor,email,employer,project,hours,description,status\n{id},2025-03-04,Ada Lindqvist,ada@example.org,,Lumen,1.5,Triage,rejected\n"),
    );
    let out = book.import(&[&rejected]);
    assert!(out.contains("1 row(s): 0 added, 1 replaced, 0 unchanged"), "{out}");
    let paid = book.write("paid.csv", row("paid"));
    let out = book.import(&[&paid]);
    assert!(out.contains("1 row(s): 0 added, 0 replaced, 1 unchanged"), "{out}");
    assert_eq!(status_in_book(&book), "rejected");
}

/// Reconciliation marks entries paid; the contributor's files still say logged, and importing
/// them again adds nothing (a tester's probe once found 5, then 2 more, hours rows added).
#[test]
fn importing_the_example_book_again_after_reconciliation_adds_nothing() {
    let book = reconciled_sample_book();
    let before = book.report_csv(&["--as-of", "2025-12-31"]);
    for _ in 0..2 {
        let out = book.import(&[&repo("examples/book")]);
        for line in out.lines().filter(|l| l.contains(" row(s): ")) {
            assert!(line.contains(": 0 added, 0 replaced,"), "{line}");
        }
    }
    assert_eq!(book.report_csv(&["--as-of", "2025-12-31"]), before);
}

#[test]
fn identical_rows_within_one_import_are_counted_per_file() {
    // The documented example: a.csv holds R twice, b.csv holds R once: the book ends with two.
    let book = Book::new();
    let row = "2025-03-04,Ada Lindqvist,ada@example.org,,Lumen,1.5,Same thing,logged\n";
    let a = book.write("a.csv", format!("{HOURS_HEADER}{row}{row}"));
    let b = book.write("b.csv", format!("{HOURS_HEADER}{row}"));
    let out = book.import(&[&a, &b]);
    assert!(out.contains("a.csv: hours, 2 row(s): 2 added"), "{out}");
    assert!(out.contains("b.csv: hours, 1 row(s): 0 added"), "{out}");
    assert_eq!(rows(&book.export(), "hours.csv").len(), 2);
}

// ---------------------------------------------------------------------------------------------
// 5. Formula-looking cells and exact round trips
// ---------------------------------------------------------------------------------------------

#[test]
fn formula_looking_cells_are_guarded_and_round_trip_exactly() {
    let book = Book::new();
    let programs = book.write(
        "in/programs.csv",
        "program,employer,platform,kind,currency,effective_from,effective_to,rate_per_hour,block_hours,block_amount,min_hours,match_ratio,min_gift,max_gift,annual_cap,cap_group,year_start,claim_days,fee_rate\n\
         =Hours Program,@Corp,+Platform,volunteer,usd,2025-01-01,2025-06-30,20.125,,,2.5,,,,1000.00,-grp,01-01,30,0.0275\n\
         =Hours Program,@Corp,+Platform,volunteer,USD,2025-07-01,,,10,250,20,,,,1000.00,-grp,01-01,30,\n\
         Plain Gifts,@Corp,Direct,donation,EUR,2024-07-01,,,,,,0.5,10,500.5,,,07-01,,\n",
    );
    let employments = book.write(
        "in/employments.csv",
        "contributor,email,employer,start,end\n=Eve,eve@example.org,@Corp,2024-01-01,\n\"Mallory, Jr.\",,@Corp,2024-01-01,2025-12-31\n",
    );
    let hours = book.write(
        "in/hours.csv",
        "date,contributor,email,employer,project,hours,description,status\n\
         2025-03-01,=Eve,eve@example.org,,Lumen,1.5,=SUM(A1),logged\n\
         2025-03-02,=Eve,eve@example.org,,Lumen,2,+1,submitted\n\
         2025-03-03,=Eve,eve@example.org,,Lumen,1.2575,-x,approved\n\
         2025-03-04,=Eve,eve@example.org,@Corp,Lumen,3,@home,paid\n\
         2025-03-05,=Eve,eve@example.org,,-Project,4,''=already guarded,rejected\n\
         2025-03-06,\"Mallory, Jr.\",,,Lumen,5,'quoted,logged\n\
         2025-03-07,\"Mallory, Jr.\",,,Lumen,6,\"He said \"\"hi\"\", twice\",logged\n\
         2025-03-08,\"Mallory, Jr.\",,,Lumen,7,Release 1.0,logged\n",
    );
    let donations = book.write(
        "in/donations.csv",
        "date,contributor,email,employer,project,amount,currency,status\n2025-04-01,=Eve,eve@example.org,,@Project,80,eur,logged\n",
    );
    let payments = book.write(
        "in/payments.csv",
        "date,payer,project,currency,gross,fees,net,reference\n2025-05-01,+Platform,Lumen,USD,100,,97.5,-REF-1\n",
    );
    book.import(&[&programs, &employments, &hours, &donations, &payments]);
    let first = book.export_to("first");

    let text = |file: &str| String::from_utf8(first[file].clone()).unwrap();
    let hours_csv = text("hours.csv");
    for guarded in [
        ",'=Eve,",
        ",'=SUM(A1),logged",
        ",'+1,submitted",
        ",'-x,approved",
        ",'@Corp,Lumen,",
        ",'@home,paid",
        ",'-Project,",
        ",''=already guarded,rejected",
        ",'quoted,logged",
        ",Release 1.0,logged",
        ",1.2575,",
    ] {
        assert!(hours_csv.contains(guarded), "hours.csv should contain {guarded:?}:\n{hours_csv}");
    }
    assert!(!hours_csv.contains(",=") && !hours_csv.contains(",+") && !hours_csv.contains(",@"), "{hours_csv}");
    let programs_csv = text("programs.csv");
    for guarded in [",'=Hours Program,'@Corp,'+Platform,", ",'-grp,", ",USD,"] {
        assert!(programs_csv.contains(guarded), "programs.csv should contain {guarded:?}:\n{programs_csv}");
    }
    assert!(
        text("employments.csv").contains(",'=Eve,eve@example.org,'@Corp,2024-01-01,"),
        "{}",
        text("employments.csv")
    );
    assert!(text("donations.csv").contains(",'@Project,80.00,EUR,logged"), "{}", text("donations.csv"));
    assert!(
        text("payments.csv").contains(",'+Platform,Lumen,USD,100.00,2.50,97.50,'-REF-1"),
        "{}",
        text("payments.csv")
    );
    // Every data line starts with an id the book made.
    for (file, content) in &first {
        for line in std::str::from_utf8(content).unwrap().lines().skip(1) {
            let id = line.split(',').next().unwrap();
            assert!(!id.is_empty() && !id.starts_with('\''), "{file}: {line}");
        }
    }

    // export -> import into a fresh book -> export: byte-identical, ids included.
    let other = Book::new();
    let out = other.import(&[&book.path("first")]);
    assert!(out.contains("hours, 8 row(s): 8 added"), "{out}");
    let second = other.export_to("second");
    for file in first.keys() {
        assert_eq!(
            String::from_utf8_lossy(&first[file]),
            String::from_utf8_lossy(&second[file]),
            "{file} changed in the round trip"
        );
    }
    assert_eq!(first, second);
    // And once more, importing the second export back into the first book changes nothing.
    let out = book.import(&[&other.path("second")]);
    for line in out.lines() {
        assert!(line.contains(": 0 added, 0 replaced"), "{line}");
    }
    assert_eq!(first, book.export());

    // The report's CSV guards text cells too.
    let report = other.report_csv(&["--year", "2025", "--as-of", "2025-12-31"]);
    assert!(report.contains("\n'-Project,") && report.contains("\n'@Project,"), "{report}");
}

// ---------------------------------------------------------------------------------------------
// 6. All or nothing across files
// ---------------------------------------------------------------------------------------------

#[test]
fn multi_file_import_is_all_or_nothing() {
    let book = Book::new();
    let good = book.write("good.csv", format!("{HOURS_HEADER}{GOOD_HOURS_ROW}"));
    let good_programs = repo("examples/book/programs.csv");
    let bad = repo("examples/bad/too-many-hours.csv");
    let err = book.import_fails(&[&good_programs, &good, &bad]);
    assert!(err.contains("too-many-hours.csv:3: column hours: "), "{err}");
    let export = book.export();
    for file in export.keys() {
        assert_eq!(rows(&export, file).len(), 0, "{file} should be empty after a refused import");
    }

    // A folder with one bad file is refused as a whole too.
    let folder = book.path("folder");
    std::fs::create_dir_all(&folder).unwrap();
    for name in ["employments.csv", "hours.csv", "programs.csv"] {
        std::fs::copy(repo(&format!("examples/book/{name}")), folder.join(name)).unwrap();
    }
    std::fs::copy(repo("examples/bad/inconsistent-payment.csv"), folder.join("payments.csv")).unwrap();
    let err = book.import_fails(&[&folder]);
    assert!(err.contains("payments.csv:3: column "), "{err}");
    let export = book.export();
    for file in export.keys() {
        assert_eq!(rows(&export, file).len(), 0, "{file} should be empty after a refused import");
    }

    // The next successful import numbers its ids as if nothing had happened before.
    let out = book.import(&[&good]);
    assert!(out.contains("1 added"), "{out}");
    let export = book.export();
    let id = rows(&export, "hours.csv")[0].split(',').next().unwrap().to_string();
    assert!(id.starts_with("h-") && id.ends_with("-00000001"), "{id}");
}

// ---------------------------------------------------------------------------------------------
// 7. A contributor's export merges into a treasurer's book
// ---------------------------------------------------------------------------------------------

#[test]
fn contributor_export_merges_into_treasurer_book_without_duplicates() {
    let treasurer = sample_book();
    let treasurer_before = treasurer.export();
    let sample_hours = rows(&treasurer_before, "hours.csv").len();

    let contributor = Book::new();
    let hours = contributor.write(
        "mine.csv",
        format!(
            "{HOURS_HEADER}2025-10-01,Gus Ivers,gus@example.net,,Lumen,2,Docs,logged\n\
             2025-10-02,Gus Ivers,gus@example.net,,Lumen,2,Docs,logged\n\
             2025-10-02,Gus Ivers,gus@example.net,,Lumen,2,Docs,logged\n"
        ),
    );
    contributor.import(&[&hours]);
    contributor.export_to("share1");

    // A second contributor's book makes ids with its own tag: no clashes.
    let other = Book::new();
    let other_hours = other
        .write("mine.csv", format!("{HOURS_HEADER}2025-10-01,Hana Ito,hana@example.net,,Quarry,3,Review,logged\n"));
    other.import(&[&other_hours]);
    other.export_to("share");

    let out = treasurer.import(&[&contributor.path("share1"), &other.path("share")]);
    assert!(out.contains("hours, 3 row(s): 3 added"), "{out}");
    assert!(out.contains("hours, 1 row(s): 1 added"), "{out}");
    let merged = treasurer.export();
    assert_eq!(rows(&merged, "hours.csv").len(), sample_hours + 4);

    // Importing the same exports again adds nothing.
    let out = treasurer.import(&[&contributor.path("share1"), &other.path("share")]);
    for line in out.lines() {
        assert!(line.contains(": 0 added, 0 replaced"), "{line}");
    }
    assert_eq!(merged, treasurer.export());

    // The contributor logs more and corrects an entry, then shares again: only the new row is
    // added and the corrected one replaced, by id.
    let share1 = read_dir(&contributor.path("share1"));
    let first_id = id_of(&share1, "hours.csv", "2025-10-01");
    let correction = contributor.write(
        "correction.csv",
        format!(
            "id,{HOURS_HEADER}{first_id},2025-10-01,Gus Ivers,gus@example.net,,Lumen,2.5,Docs,submitted\n\
             ,2025-10-03,Gus Ivers,gus@example.net,,Lumen,1,Release,logged\n"
        ),
    );
    let out = contributor.import(&[&correction]);
    assert!(out.contains("1 added, 1 replaced"), "{out}");
    contributor.export_to("share2");
    let out = treasurer.import(&[&contributor.path("share2")]);
    assert!(out.contains("hours, 4 row(s): 1 added, 1 replaced, 2 unchanged"), "{out}");
    let merged = treasurer.export();
    let hours = rows(&merged, "hours.csv");
    assert_eq!(hours.len(), sample_hours + 5);
    assert!(hours
        .iter()
        .any(|r| r.starts_with(&format!("{first_id},2025-10-01,")) && r.contains(",2.50,Docs,submitted")));
    // The treasurer's own records and everyone else's are untouched.
    for file in ["programs.csv", "employments.csv", "donations.csv", "payments.csv"] {
        assert_eq!(merged[file], treasurer_before[file], "{file}");
    }
    for row in rows(&treasurer_before, "hours.csv") {
        assert!(hours.contains(&row), "lost {row}");
    }
}

// ---------------------------------------------------------------------------------------------
// 8. The sample book
// ---------------------------------------------------------------------------------------------

#[test]
fn sample_book_expected_report() {
    let book = sample_book();
    let report = book.report_csv(&["--year", "2025", "--as-of", "2025-12-31"]);
    let lines = lines(&report);
    assert_eq!(lines[0], "project,currency,hours,gifts,expected,fees,expected_net,received,outstanding");
    let row = |project: &str, currency: &str| -> Vec<&str> {
        let prefix = format!("{project},{currency},");
        let found: Vec<&&str> = lines.iter().filter(|l| l.starts_with(&prefix)).collect();
        assert_eq!(found.len(), 1, "one {project} {currency} row in\n{report}");
        found[0].split(',').collect()
    };
    for (project, currency, expected, fees, net) in [
        ("Lumen", "USD", "2491.38", "71.67", "2419.71"),
        ("Quarry", "USD", "1156.25", "39.54", "1116.71"),
        ("Quarry", "GBP", "583.75", "0.00", "583.75"),
        ("Tessel", "USD", "1310.00", "32.76", "1277.24"),
    ] {
        let r = row(project, currency);
        assert_eq!(r.len(), 9, "{r:?}");
        assert_eq!((r[4], r[5], r[6]), (expected, fees, net), "{project} {currency}: {r:?}");
        // outstanding = expected_net - received, to the cent.
        let cents = |s: &str| -> i64 { (s.parse::<f64>().unwrap() * 100.0).round() as i64 };
        assert_eq!(cents(r[8]), cents(r[6]) - cents(r[7]), "{r:?}");
    }
    // Without --year the sample book (all 2025) gives the same report.
    let all = book.report_csv(&["--as-of", "2025-12-31"]);
    assert_eq!(all, report);
}

#[test]
fn sample_book_reports_agree_whatever_the_shape_of_the_period() {
    // All sample entries and payments are dated in 2025, so a period of whole months, one of
    // loose days around whole months, and no period at all must give the same report.
    let book = sample_book();
    for by in ["project", "employer", "contributor", "program"] {
        let year = book.report_csv(&["--by", by, "--year", "2025", "--as-of", "2025-12-31"]);
        let loose =
            book.report_csv(&["--by", by, "--from", "2024-12-15", "--to", "2026-01-15", "--as-of", "2025-12-31"]);
        let all = book.report_csv(&["--by", by, "--as-of", "2025-12-31"]);
        assert_eq!(year, loose, "--by {by}");
        assert_eq!(year, all, "--by {by}");
        assert!(lines(&year).len() > 2, "{year}");
    }
}

#[test]
fn employer_report_counts_only_payments_from_employers() {
    // docs/ledger-format.md, `report expected`: with --by employer, `received` is the net of the
    // payments whose payer is the employer's name; "Tailspin Toys pays its employees' hours
    // directly, so its payment counts as received for the employer Tailspin Toys; payments from
    // Benevity, YourCause or CyberGrants count for projects only."
    let book = sample_book();
    let report = book.report_csv(&["--by", "employer", "--year", "2025", "--as-of", "2025-12-31"]);
    let report = lines(&report);
    let tailspin: Vec<&&str> = report.iter().filter(|l| l.starts_with("Tailspin Toys,GBP,")).collect();
    assert_eq!(tailspin.len(), 1, "{report:#?}");
    assert_eq!(tailspin[0].split(',').nth(7), Some("165.00"), "{report:#?}");
    for platform in ["Benevity", "YourCause", "CyberGrants"] {
        assert!(
            !report.iter().any(|l| l.starts_with(&format!("{platform},"))),
            "{platform} is a platform, not an employer, and should not be a row of the employer report:\n{report:#?}"
        );
    }
}

/// The example book, its Benevity report imported after the treasurer mapped the report's three
/// comments: the import linked the lines it could to the entries they pay.
fn reconciled_sample_book() -> Book {
    let book = sample_book();
    for project in ["Lumen", "Quarry", "Tessel"] {
        book.ok(&["map", "set", "comment", &format!("Project: {project}"), project]);
    }
    book.import(&[&repo("examples/benevity")]);
    book
}

#[test]
fn an_exported_folder_carries_the_links_and_mappings_and_imports_as_it_is() {
    let book = reconciled_sample_book();
    let exported = book.export_to("out");
    let links = rows(&exported, "reconciled.csv");
    assert_eq!(links.len(), 5, "the report's four matched lines pay five entries: {links:?}");
    assert!(links.iter().all(|l| l.starts_with("benevity-BNV-2025-07-0042-") && l.ends_with(",auto")), "{links:?}");
    assert_eq!(
        rows(&exported, "project-mappings.csv"),
        [
            "benevity,comment,Project: Lumen,Lumen",
            "benevity,comment,Project: Quarry,Quarry",
            "benevity,comment,Project: Tessel,Tessel"
        ]
    );
    // Into an empty book: the same book comes out, and reconciliation sees the same lines matched.
    let copy = Book::new();
    let out_dir = book.path("out");
    let preview = copy.ok(&["import".as_ref(), "--dry-run".as_ref(), out_dir.as_os_str()]);
    assert!(preview.contains("reconciled.csv: reconciled, 5 row(s): 5 added"), "{preview}");
    let out = copy.import(&[&book.path("out")]);
    assert!(out.contains("reconciled.csv: reconciled, 5 row(s): 5 added"), "{out}");
    assert!(out.contains("project-mappings.csv: project mappings, 3 row(s): 3 added"), "{out}");
    assert_eq!(copy.export(), exported);
    let received = |b: &Book| b.ok(&["report", "reconcile", "--list", "received", "--format", "csv"]);
    assert_eq!(received(&copy), received(&book));
    // And again: nothing changes.
    let again = copy.import(&[&book.path("out")]);
    assert!(again.contains("reconciled.csv: reconciled, 5 row(s): 0 added, 0 replaced, 5 unchanged"), "{again}");
    assert_eq!(copy.export(), exported);
}

#[test]
fn bad_links_and_mappings_are_refused_with_line_and_column() {
    let book = reconciled_sample_book();
    let exported = book.export();
    let link = rows(&exported, "reconciled.csv")[0].clone();
    let (payment, rest) = link.split_once(',').unwrap();
    let entry = rest.split(',').next().unwrap();
    let other_payment = rows(&exported, "reconciled.csv")
        .iter()
        .map(|l| l.split(',').next().unwrap().to_string())
        .find(|p| p != payment)
        .unwrap();
    let hours = rows(&exported, "hours.csv")[0].split(',').next().unwrap().to_string();
    let cases: Vec<(&str, String, u64, &str)> = vec![
        ("reconciled.csv", "payment,entry,prior_status,how\nr-nope,h-nope,logged,auto\n".into(), 2, "payment"),
        ("reconciled.csv", format!("payment,entry,prior_status,how\n{payment},h-nope,logged,auto\n"), 2, "entry"),
        (
            "reconciled.csv",
            format!(
                "payment,entry,prior_status,how\n{payment},{hours},logged,auto\n{other_payment},{entry},logged,auto\n"
            ),
            3,
            "entry",
        ),
        (
            "reconciled.csv",
            format!("payment,entry,prior_status,how\n{payment},{hours},waiting,auto\n"),
            2,
            "prior_status",
        ),
        ("reconciled.csv", format!("how,entry,payment,prior_status\nguessed,{hours},{payment},logged\n"), 2, "how"),
        ("reconciled.csv", format!("payment,entry,prior_status,how\n{payment},,logged,auto\n"), 2, "entry"),
        ("project-mappings.csv", "platform,field,value,project\nbenevity,memo,X,Lumen\n".into(), 2, "field"),
        ("project-mappings.csv", "platform,field,value,project\nyourcause,comment,X,Lumen\n".into(), 2, "platform"),
        ("project-mappings.csv", "platform,field,value,project\nbenevity,comment,X,\n".into(), 2, "project"),
        // Written by a spreadsheet: CRLF line ends, the bad row on line 4.
        (
            "project-mappings.csv",
            "platform,field,value,project\r\nbenevity,comment,X,Lumen\r\nbenevity,comment,Y,Lumen\r\nbenevity,memo,Z,Lumen\r\n".into(),
            4,
            "field",
        ),
    ];
    for (i, (name, text, line, column)) in cases.into_iter().enumerate() {
        let path = book.write(&format!("bad-{i}/{name}"), text);
        assert_refused(&book, &path, Some(line), &[column]);
    }
}

/// A gift counts in its own currency's row: a 100 USD gift that a EUR program does not match is
/// no part of the EUR row's gifts (it made them 470.00 EUR).
#[test]
fn a_gift_counts_in_its_own_currency() {
    let book = Book::new();
    let programs = book.write(
        "programs.csv",
        "program,employer,kind,currency,effective_from,match_ratio\nEuro Match,Contoso,donation,EUR,2025-01-01,1\n",
    );
    let employments = book.write("employments.csv", "contributor,employer,start\nAda,Contoso,2020-01-01\n");
    let donations = book.write(
        "donations.csv",
        "date,contributor,project,amount,currency\n2025-03-01,Ada,Lumen,370,EUR\n2025-03-02,Ada,Lumen,100,USD\n",
    );
    book.import(&[&programs, &employments, &donations]);
    let report = book.report_csv(&["--year", "2025", "--as-of", "2025-12-31"]);
    let row = |currency: &str| {
        report.lines().find(|l| l.starts_with(&format!("Lumen,{currency},"))).unwrap_or("").to_string()
    };
    assert!(row("EUR").starts_with("Lumen,EUR,0.00,370.00,370.00,"), "{report}");
    assert!(row("USD").starts_with("Lumen,USD,0.00,100.00,0.00,"), "{report}");
}

#[test]
fn status_moves_entries_and_dates_the_status_reached() {
    let book = Book::new();
    book.import(&[&repo("examples/book")]);
    let export = book.export();
    let hours = std::str::from_utf8(&export["hours.csv"]).unwrap();
    let logged: Vec<&str> =
        hours.lines().filter(|l| l.contains(",logged,")).map(|l| l.split(',').next().unwrap()).take(2).collect();
    let out = book.ok(&["status", "submitted", logged[0], logged[1], "--on", "2026-01-15"]);
    assert_eq!(out.trim(), "hours: 2 of 2 entr(ies) now submitted");
    let after = book.export();
    let after = std::str::from_utf8(&after["hours.csv"]).unwrap();
    for id in &logged {
        let row = after.lines().find(|l| l.starts_with(&format!("{id},"))).unwrap();
        assert!(row.ends_with(",submitted,2026-01-15,,,"), "{row}");
    }
    // An unknown id changes nothing and says which.
    let err = book.fails(&["status", "approved", logged[0], "h-nope"]);
    assert!(err.contains("no record has the id \"h-nope\""), "{err}");
    let again = book.export();
    assert_eq!(std::str::from_utf8(&again["hours.csv"]).unwrap(), after);
}
