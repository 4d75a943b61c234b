//! `cargo bench --bench ledger_folder [-- HOURS]`: a ledger kept as a folder of files, used
//! without a book, on the synthetic book's folder (1,000,000 hour entries by default). Prints how
//! long `matchbook check` takes beside the import's parse of the same files, and how long a report
//! with `--ledger` takes beside importing the folder into a book and reporting there. Each is run
//! five times, taking turns, since the machine's speed varies. Figures, not assertions: compare
//! them with the README's.

use matchbook::ledger::LedgerReader;
use matchbook::ledger_folder::{self, Opened};
use matchbook::model::Date;
use matchbook::report::{self, Format, GroupBy, Period};
use matchbook::store::{ImportOptions, ImportOutcome, Store};
use matchbook::synthetic::{self, Sizes};
use std::path::{Path, PathBuf};
use std::time::Duration;

mod measure;
use measure::*;

const RUNS: usize = 5;

fn seconds(times: &[Duration]) -> String {
    let shown: Vec<String> = times.iter().map(|t| format!("{:.2}", t.as_secs_f64())).collect();
    format!("{} s", shown.join(" / "))
}

fn median(times: &[Duration]) -> f64 {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted[sorted.len() / 2].as_secs_f64()
}

/// The import's own parse and checks of every ledger file in `dir`, no database.
fn parse_all(dir: &Path) -> u64 {
    let files = matchbook::store::expand_paths(&[dir.to_path_buf()]).expect("the folder");
    let mut rows = 0;
    for file in files {
        let mut reader = LedgerReader::open(&file, None, false).expect("a ledger file");
        while let Some(row) = reader.next_record() {
            row.expect("a valid row");
            rows += 1;
        }
    }
    rows
}

/// The reports timed: `report expected` for a year, by project, and `report due`, each printed
/// as the command prints it (as CSV, to nowhere).
fn reports(store: &mut Store, as_of: Date) {
    let table = report::expected(store, GroupBy::Project, Period::year(2025), as_of).expect("report expected");
    report::write_rows(&table, Format::Csv, &mut std::io::sink()).expect("printed");
    let due = report::due(store, as_of, 30).expect("report due");
    report::write_rows(&due, Format::Csv, &mut std::io::sink()).expect("printed");
}

/// `matchbook import DIR` into a new book at `db`, then the reports on it, as two commands do.
/// Returns the import's time and the reports'.
fn import_then_report(folder: &Path, db: &Path, today: Date, as_of: Date) -> (Duration, Duration) {
    let _ = std::fs::remove_dir_all(matchbook::store::backups_folder(db));
    let _ = std::fs::remove_file(db);
    let (store, t_import) = timed(|| {
        let mut store = Store::open_or_create(db).expect("a new book");
        let options = ImportOptions::default();
        let outcome = store.import(&[folder.to_path_buf()], &options, &mut |_| {}).expect("import");
        assert!(matches!(outcome, ImportOutcome::Imported(_)), "the synthetic book imports");
        matchbook::reconcile::after_import(&mut store, &options, &outcome, today).expect("reconcile");
        store
    });
    drop(store);
    let (_, t_report) = timed(|| {
        let mut store = Store::open(db).expect("the book");
        reports(&mut store, as_of);
    });
    (t_import, t_report)
}

fn main() {
    let hours: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(Sizes::BENCH.hours);
    let sizes = Sizes { hours, ..Sizes::BENCH };
    let dir = tempfile::tempdir().expect("temp dir");
    let folder: PathBuf = dir.path().join("ledger");
    synthetic::write_book(&folder, sizes).expect("writing the synthetic book");
    let size_mb: u64 =
        std::fs::read_dir(&folder).expect("written").map(|e| e.expect("a file").metadata().unwrap().len()).sum();
    println!(
        "synthetic ledger folder: {} hour entries, {} contributors, {:.0} MB",
        sizes.hours,
        sizes.contributors,
        size_mb as f64 / 1e6
    );
    let today = chrono::Local::now().date_naive();
    let as_of = chrono::NaiveDate::from_ymd_opt(2025, 12, 31).expect("a date");
    let db = dir.path().join("book.sqlite");

    let (mut parse, mut check, mut import, mut report_on_book, mut ledger) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut ledger_peak = 0f64;
    for _ in 0..RUNS {
        let (rows, t) = timed(|| parse_all(&folder));
        assert!(rows as usize >= sizes.hours);
        parse.push(t);

        let (checked, t) =
            timed(|| ledger_folder::check(std::slice::from_ref(&folder), &ImportOptions::default()).expect("check"));
        assert!(checked.problems.is_empty(), "the synthetic book checks: {:?}", &checked.problems[..1]);
        check.push(t);

        let (t_import, t_report) = import_then_report(&folder, &db, today, as_of);
        import.push(t_import);
        report_on_book.push(t_report);

        reset_peak_memory();
        let (_, t) = timed(|| {
            let opened =
                ledger_folder::open(std::slice::from_ref(&folder), &ImportOptions::default(), today).expect("read");
            let Opened::Book { mut store, .. } = opened else { panic!("the synthetic book reads") };
            reports(&mut store, as_of);
        });
        ledger.push(t);
        ledger_peak = ledger_peak.max(peak_memory_mb());
    }
    let both: Vec<Duration> = import.iter().zip(&report_on_book).map(|(a, b)| *a + *b).collect();
    println!("runs, taking turns: {RUNS}; each figure run by run, then the ratio of the medians");
    println!("parse + validate every file (the import's reader, no book): {}", seconds(&parse));
    println!(
        "check (an import into a book in memory, as a preview):      {}  {:.2}x the parse",
        seconds(&check),
        median(&check) / median(&parse)
    );
    println!("import into a new book (file):                              {}", seconds(&import));
    println!("  then report expected --year 2025 and report due on it:    {}", seconds(&report_on_book));
    println!(
        "the same reports with --ledger (read into memory, reported): {}  {:.2}x the import, {:.2}x import + reports  (peak memory {:.0} MB)",
        seconds(&ledger),
        median(&ledger) / median(&import),
        median(&ledger) / median(&both),
        ledger_peak
    );
}
