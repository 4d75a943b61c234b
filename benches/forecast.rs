//! `cargo bench --bench forecast [-- HOURS]`: `report forecast` and the overdue list on the
//! synthetic book (1,000,000 hour entries by default, `matchbook generate`'s), whose submitted and
//! approved entries (one in four) are given status dates, and whose YourCause programs pay on a
//! schedule with a minimum payout (every claim of a project grouped). Figures, not assertions:
//! compare them with the README's (target: under 300 ms).

use matchbook::forecast::{self, ForecastBy};
use matchbook::report::{write_rows, Format};
use matchbook::store::{ImportOptions, ImportOutcome, Store};
use matchbook::synthetic::{write_book, Sizes};

mod measure;
use measure::*;

/// Gives each submitted row a `submitted_on` 3 days after its date and each approved row that and
/// an `approved_on` 20 days after.
fn with_status_dates(hours: &str) -> String {
    let mut out = String::with_capacity(hours.len() + hours.len() / 8);
    let mut lines = hours.lines();
    out.push_str(lines.next().expect("a header"));
    out.push_str(",submitted_on,approved_on\n");
    for line in lines {
        out.push_str(line);
        let date: chrono::NaiveDate = line[..10].parse().expect("a date first");
        let after = |n: u64| matchbook::model::iso(date + chrono::Days::new(n));
        if line.ends_with(",submitted") {
            out.push_str(&format!(",{},\n", after(3)));
        } else if line.ends_with(",approved") {
            out.push_str(&format!(",{},{}\n", after(3), after(20)));
        } else {
            out.push_str(",,\n");
        }
    }
    out
}

fn main() {
    let hours: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(Sizes::BENCH.hours);
    let sizes = Sizes { hours, ..Sizes::BENCH };
    let dir = tempfile::tempdir().expect("a temporary folder");
    let ledger = dir.path().join("ledger");
    write_book(&ledger, sizes).expect("the synthetic book");
    let path = ledger.join("hours.csv");
    let text = std::fs::read_to_string(&path).expect("hours.csv");
    std::fs::write(&path, with_status_dates(&text)).expect("hours.csv with dates");
    std::fs::write(
        ledger.join("platforms.csv"),
        "name,review_days,payout,minimum_payout,check_fee,notes\nYourCause,14,month+1:15,45.00 or 365 days,,bench\n",
    )
    .expect("platforms.csv");
    let mut store = Store::open_or_create(&dir.path().join("book.sqlite")).expect("a book");
    match store.import(&[ledger], &ImportOptions::default(), &mut |_| {}).expect("import") {
        ImportOutcome::Imported(_) => {}
        ImportOutcome::Rejected(errors) => panic!("refused: {:?}", &errors[..errors.len().min(3)]),
        ImportOutcome::Cancelled => unreachable!("nothing cancels"),
    }
    let as_of = chrono::NaiveDate::from_ymd_opt(2025, 12, 31).expect("a date");
    store.refresh_results(as_of).expect("the results cache");
    let claims = forecast::claims(&mut store, as_of).expect("claims").claims.len();
    println!("{hours} hour entries, {claims} outstanding claims, report date {as_of}");
    for by in [ForecastBy::Month, ForecastBy::Project, ForecastBy::Platform] {
        let (lines, took) = best_of(5, || {
            let table = forecast::forecast(&mut store, by, 6, as_of).expect("forecast");
            let mut out = Vec::new();
            write_rows(&table, Format::Table, &mut out).expect("printed");
            out.iter().filter(|b| **b == b'\n').count()
        });
        println!(
            "report forecast --by {by:?}: {:>7.1} ms ({lines} lines printed), best of 5",
            took.as_secs_f64() * 1e3
        );
    }
    let (overdue, took) = best_of(5, || forecast::overdue(&mut store, as_of, 30, 100).expect("overdue"));
    println!(
        "overdue (the Overview's 100 oldest):   {:>7.1} ms ({} overdue in all), best of 5",
        took.as_secs_f64() * 1e3,
        overdue.count
    );
    let (_, took) = best_of(5, || {
        let overdue = forecast::overdue(&mut store, as_of, 30, usize::MAX).expect("overdue");
        let mut out = Vec::new();
        write_rows(&forecast::overdue_table(&overdue.items), Format::Csv, &mut out).expect("printed");
        out.len()
    });
    println!("report forecast --overdue (all, as CSV): {:>7.1} ms, best of 5", took.as_secs_f64() * 1e3);
}
