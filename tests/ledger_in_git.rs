//! A ledger kept as a folder of files (in git), used without a book: `matchbook check` (text and
//! GitHub Actions annotations) and `matchbook report ... --ledger DIR`, whose every report must be
//! the report of a book that imported the same folder.

mod common;

use common::*;
use std::path::Path;
use std::process::Command;

/// A folder `ledger` beside the book, holding the example book's files.
fn example_ledger(book: &Book) -> std::path::PathBuf {
    let ledger = book.path("ledger");
    std::fs::create_dir_all(&ledger).unwrap();
    for entry in std::fs::read_dir(repo("examples/book")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), ledger.join(entry.file_name())).unwrap();
    }
    ledger
}

/// The tag a book gives new ids (`h-TAG-00000001`), from its exported hours.
fn tag_of(book: &Book) -> String {
    let export = book.export();
    let id = rows(&export, "hours.csv").first().map(|r| r.split(',').next().unwrap().to_string()).unwrap();
    id.split('-').nth(1).unwrap().to_string()
}

/// Runs `report ARGS` on the book and with `--ledger LEDGER`, and asserts the two print the same,
/// the ids apart that each makes with its own tag. Returns the report.
fn same_report(book: &Book, tag: &str, ledger: &Path, args: &[&str]) -> String {
    let mut on_book = vec!["report"];
    on_book.extend_from_slice(args);
    let from_book = book.ok(&on_book).replace(&format!("-{tag}-"), "-ledgr-");
    let mut on_ledger: Vec<&std::ffi::OsStr> = vec!["report".as_ref()];
    on_ledger.extend(args.iter().map(std::ffi::OsStr::new));
    on_ledger.extend(["--ledger".as_ref(), ledger.as_os_str()]);
    let from_ledger = book.ok(&on_ledger);
    assert!(from_book == from_ledger, "report {args:?}:\nfrom the book:\n{from_book}\nfrom --ledger:\n{from_ledger}");
    from_ledger
}

/// Every report of the example book, and of the same folder with a payment that the
/// reconciliation after the import links, equals the report of a book that imported it.
#[test]
fn ledger_reports_are_the_reports_of_the_imported_folder() {
    let book = Book::new();
    let ledger = example_ledger(&book);
    // An entry of this year and the payment of it: the import's reconciliation (as of today, in
    // both) links them, so the entry is paid.
    let today = chrono::Local::now().date_naive();
    let day = |days_ago: i64| (today - chrono::Duration::days(days_ago)).format("%Y-%m-%d").to_string();
    let (worked, paid) = match today.format("%m-%d").to_string().as_str() < "01-15" {
        true => (day(0), day(0)),
        false => (day(10), day(5)),
    };
    std::fs::write(
        ledger.join("hours-dev.csv"),
        format!("date,contributor,email,project,hours,description\n{worked},Dev Patel,dev.patel@example.co.uk,Quarry,4,Release review\n"),
    )
    .unwrap();
    std::fs::write(
        ledger.join("payments-tailspin.csv"),
        format!("date,payer,employer,contributor,email,project,currency,gross\n{paid},Tailspin Toys,Tailspin Toys,Dev Patel,dev.patel@example.co.uk,Quarry,GBP,60.00\n"),
    )
    .unwrap();
    book.import(&[&ledger]);
    let tag = tag_of(&book);
    assert_ne!(tag, "ledgr", "a book's own tag is never the one of a book in memory");

    for by in ["project", "employer", "contributor", "program"] {
        for format in ["table", "csv", "json"] {
            same_report(&book, &tag, &ledger, &["expected", "--by", by, "--as-of", "2026-01-31", "--format", format]);
        }
        same_report(&book, &tag, &ledger, &["expected", "--by", by, "--year", "2025", "--as-of", "2025-12-31"]);
        same_report(
            &book,
            &tag,
            &ledger,
            &["expected", "--by", by, "--from", "2025-03-01", "--to", "2025-08-31", "--as-of", "2025-09-30"],
        );
    }
    same_report(&book, &tag, &ledger, &["expected"]);
    for as_of in ["2025-06-30", "2025-12-01", "2026-03-15"] {
        same_report(&book, &tag, &ledger, &["due", "--as-of", as_of, "--within", "60"]);
        same_report(&book, &tag, &ledger, &["due", "--as-of", as_of, "--format", "json"]);
    }
    for list in ["summary", "received", "missing", "payouts", "deposits", "bank"] {
        same_report(&book, &tag, &ledger, &["reconcile", "--list", list]);
        same_report(&book, &tag, &ledger, &["reconcile", "--list", list, "--as-of", "2026-01-31", "--format", "csv"]);
    }
    let received = same_report(&book, &tag, &ledger, &["reconcile", "--list", "received", "--format", "csv"]);
    let line = received.lines().find(|l| l.contains("Dev Patel") && l.contains("60.00")).unwrap();
    assert!(line.contains(",matched,"), "the import's reconciliation linked the payment: {line}");

    // --ledger may come before the report's name too, and opens no book: not even the default.
    let home = book.path("home");
    let run = Command::new(BIN)
        .args(["report", "--ledger"])
        .arg(&ledger)
        .args(["expected", "--as-of", "2026-01-31"])
        .env_remove("MATCHBOOK_DB")
        .env("HOME", &home)
        .env("XDG_DATA_HOME", home.join("data"))
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert_eq!(String::from_utf8(run.stdout).unwrap(), book.ok(&["report", "expected", "--as-of", "2026-01-31"]));
    assert!(!home.exists(), "no book was made");
}

/// The same on a synthetic folder of 100,000 hour entries (`matchbook generate`).
#[test]
fn ledger_reports_are_the_reports_of_an_imported_folder_of_100000_entries() {
    let book = Book::new();
    let ledger = book.path("synthetic");
    book.ok(&["generate".as_ref(), "--hours".as_ref(), "100000".as_ref(), ledger.as_os_str()]);
    book.import(&[&ledger]);
    let tag = tag_of(&book);
    for by in ["project", "employer", "contributor", "program"] {
        same_report(
            &book,
            &tag,
            &ledger,
            &["expected", "--by", by, "--year", "2025", "--as-of", "2025-12-31", "--format", "csv"],
        );
    }
    let due =
        same_report(&book, &tag, &ledger, &["due", "--as-of", "2025-12-31", "--within", "120", "--format", "csv"]);
    assert!(due.lines().count() > 1000, "a real comparison: {} claims due", due.lines().count());
    same_report(&book, &tag, &ledger, &["reconcile", "--as-of", "2026-06-30"]);
}

/// A folder an import would refuse is refused the same way, and nothing is reported.
#[test]
fn a_ledger_an_import_refuses_reports_nothing() {
    let book = Book::new();
    let ledger = example_ledger(&book);
    std::fs::copy(repo("examples/bad/too-many-hours.csv"), ledger.join("hours-ben.csv")).unwrap();
    let out = book.run(&["report", "expected", "--ledger", "ledger"]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    let file = Path::new("ledger").join("hours-ben.csv");
    assert!(stderr.starts_with(&format!("error: {}:3: column hours:", file.display())), "{stderr}");
    assert!(stderr.ends_with("the ledger was refused as an import would refuse it: 1 problem(s)\n"), "{stderr}");
}

/// `check --format github`: one annotation a problem, on its file's line, the column as title;
/// a file-wide problem on the file; paths as given, escaped as GitHub documents.
#[test]
fn check_prints_github_annotations_line_by_line() {
    let book = Book::new();
    let ledger = example_ledger(&book);
    std::fs::write(
        ledger.join("hours, 2026.csv"),
        "date,contributor,email,project,hours,description\n\
         2026-01-05,Ada Lindqvist,ada@example.org,Lumen,2,fine\n\
         2026-01-06,Ada Lindqvist,ada@example.org,Lumen,25,too many\n\
         2026-01-07,Ada Lindqvist,ada@example.org,Lumen,\"2\n5\",two lines in one cell\n\
         2026-01-08,Ada Lindqvist,ada@example.org,Lumen,50%,percent\n\
         2026-02-30,Ada Lindqvist,ada@example.org,Lumen,1,no such day\n",
    )
    .unwrap();
    std::fs::write(ledger.join("hours-ben.csv"), "").unwrap();
    std::fs::copy(repo("examples/bad/unknown-status.csv"), ledger.join("hours-chloe.csv")).unwrap();

    let out = book.run(&["check", "--format", "github", "./ledger"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let expected = [
        "::error file=ledger/hours%2C 2026.csv,line=3,title=column hours::\"25\" is out of range: an entry has more than 0 and at most 24 hours",
        "::error file=ledger/hours%2C 2026.csv,line=4,title=column hours::\"2\\n5\" is not a number (write plain decimals with a dot, like 1234.50)",
        "::error file=ledger/hours%2C 2026.csv,line=6,title=column hours::\"50%25\" is not a number (write plain decimals with a dot, like 1234.50)",
        "::error file=ledger/hours%2C 2026.csv,line=7,title=column date::\"2026-02-30\" is not a date (write ISO dates like 2025-03-31)",
        "::error file=ledger/hours-ben.csv::the file is empty; a ledger file starts with a header row",
        "::error file=ledger/hours-chloe.csv,line=3,title=column status::unknown status \"pending\" (expected logged, submitted, approved, paid or rejected)",
        "6 problem(s) in 3 file(s)",
    ];
    assert_eq!(stdout.lines().collect::<Vec<_>>(), expected);

    // The same problems as text: FILE:LINE: column COLUMN: PROBLEM, the path as given.
    let out = book.run(&["check", "ledger"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let first = stdout.lines().next().unwrap();
    let file = Path::new("ledger").join("hours, 2026.csv");
    assert_eq!(
        first,
        format!(
            "{}:3: column hours: \"25\" is out of range: an entry has more than 0 and at most 24 hours",
            file.display()
        )
    );
    assert_eq!(stdout.lines().count(), expected.len());

    // A warning is an annotation too, and does not fail the check.
    let out = book.run(&[
        "check".as_ref(),
        "--ignore-unknown".as_ref(),
        "--format".as_ref(),
        "github".as_ref(),
        repo("examples/bad/unknown-column.csv").as_os_str(),
    ]);
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let file = repo("examples/bad/unknown-column.csv").display().to_string().replace(',', "%2C").replace(':', "%3A");
    assert!(
        stdout.starts_with(&format!("::warning file={file},line=1::unknown column \"colour\" for a hours file")),
        "{stdout}"
    );
}

/// What spans files is checked as the import checks it: versions of one program in two files
/// that overlap, and links that name entries no file has.
#[test]
fn check_finds_problems_that_span_files() {
    let book = Book::new();
    let ledger = example_ledger(&book);
    std::fs::write(
        ledger.join("programs-2025.csv"),
        "program,employer,kind,currency,effective_from,rate_per_hour\n\
         Northwind Dollars for Doers,Northwind Traders,volunteer,USD,2025-06-01,20.00\n",
    )
    .unwrap();
    let out = book.run(&["check", "--format", "github", "ledger"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(lines[0].starts_with("::error file=ledger/programs-2025.csv,line=2,title=column effective_from::versions "));
    assert!(lines[0].ends_with(
        "of Northwind Dollars for Doers (Northwind Traders) overlap; versions of one program must not overlap"
    ));
    std::fs::remove_file(ledger.join("programs-2025.csv")).unwrap();

    std::fs::write(
        ledger.join("reconciled.csv"),
        "payment,entry,prior_status,how\nr-nobody-00000001,h-nobody-00000001,,\n",
    )
    .unwrap();
    let out = book.run(&["check", "ledger"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let file = Path::new("ledger").join("reconciled.csv");
    assert!(stdout.starts_with(&format!("{}:2: column payment:", file.display())), "{stdout}");
}

/// A good folder passes, and the check makes no book anywhere.
#[test]
fn check_of_a_good_ledger_passes_and_writes_nothing() {
    let book = Book::unmade();
    let ledger = example_ledger(&book);
    let home = book.path("home");
    let run = Command::new(BIN)
        .args(["check", "--format", "github", "ledger"])
        .current_dir(book.dir.path())
        .env_remove("MATCHBOOK_DB")
        .env("HOME", &home)
        .env("XDG_DATA_HOME", home.join("data"))
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stdout));
    let stdout = String::from_utf8(run.stdout).unwrap();
    let sep = std::path::MAIN_SEPARATOR;
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        [
            format!("ledger{sep}donations.csv: donations, 11 row(s)"),
            format!("ledger{sep}employments.csv: employments, 7 row(s)"),
            format!("ledger{sep}hours.csv: hours, 86 row(s)"),
            format!("ledger{sep}payments.csv: payments, 4 row(s)"),
            format!("ledger{sep}programs.csv: programs, 8 row(s)"),
            "ok: 5 file(s), 116 row(s), no problems".to_string(),
        ]
    );
    assert!(!home.exists() && !book.db.exists(), "no book was made");
    let names: Vec<_> = std::fs::read_dir(book.dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, ["ledger"]);
    assert_eq!(std::fs::read_dir(&ledger).unwrap().count(), 5, "nothing written beside the files");
}
