//! `cargo bench --bench book [-- HOURS]`: builds a synthetic book (1,000,000 hour entries by
//! default) and prints how fast Matchbook imports, recomputes, reports and exports it, and the
//! process's peak memory. Figures, not assertions: compare them with the README's.

use matchbook::browse::{EntryIndex, EntryQuery, SortKey};
use matchbook::model::{RecordKind, Status};
use matchbook::report::{self, GroupBy, Period};
use matchbook::rules;
use matchbook::store::{ImportOptions, ImportOutcome, Store};
use matchbook::synthetic::{self, Sizes};
use std::time::Duration;

mod measure;
use measure::*;

fn main() {
    let hours: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(Sizes::BENCH.hours);
    let sizes = Sizes { hours, ..Sizes::BENCH };
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("input");
    let ((), t) = timed(|| synthetic::write_book(&input, sizes).expect("writing the synthetic book"));
    let hours_file = input.join("hours.csv");
    let size_mb = std::fs::metadata(&hours_file).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;
    println!(
        "synthetic book: {} hour entries ({size_mb:.0} MB), {} projects, {} contributors, {} employers; written in {:.2} s",
        sizes.hours,
        sizes.projects,
        sizes.contributors,
        sizes.employers,
        t.as_secs_f64()
    );

    // Reference: our own CSV parse and validation of hours.csv, without SQLite.
    let (rows, t) = timed(|| {
        let mut reader = matchbook::ledger::LedgerReader::open(&hours_file, None, false).expect("readable");
        let mut n = 0u64;
        while let Some(row) = reader.next_record() {
            row.expect("valid row");
            n += 1;
        }
        n
    });
    println!(
        "parse + validate hours.csv:   {:>8.2} s  {:>10.0} rows/s",
        t.as_secs_f64(),
        rows as f64 / t.as_secs_f64()
    );

    let db = dir.path().join("bench.sqlite");
    let mut store = Store::open_or_create(&db).expect("open book");
    let (outcome, t) =
        timed(|| store.import(std::slice::from_ref(&input), &ImportOptions::default(), &mut |_| {}).expect("import"));
    let imported: u64 = match outcome {
        ImportOutcome::Imported(reports) => reports.iter().map(|r| r.added).sum(),
        ImportOutcome::Rejected(errors) => panic!("synthetic book refused: {:?}", &errors[..errors.len().min(3)]),
        ImportOutcome::Cancelled => unreachable!("nothing cancels"),
    };
    println!(
        "import (all files):           {:>8.2} s  {:>10.0} rows/s  (peak memory so far {:.0} MB)",
        t.as_secs_f64(),
        imported as f64 / t.as_secs_f64(),
        peak_memory_mb()
    );

    let (outcome, t) =
        timed(|| store.import(std::slice::from_ref(&input), &ImportOptions::default(), &mut |_| {}).expect("import"));
    let unchanged: u64 = match outcome {
        ImportOutcome::Imported(reports) => reports.iter().map(|r| r.unchanged).sum(),
        _ => unreachable!("the same files import again"),
    };
    println!(
        "import the same files again:  {:>8.2} s  {:>10.0} rows/s  ({unchanged} rows unchanged; peak memory so far {:.0} MB)",
        t.as_secs_f64(),
        unchanged as f64 / t.as_secs_f64(),
        peak_memory_mb()
    );
    let (rows, t) = timed(|| sqlite_alone(&db, &dir.path().join("sqlite-alone.sqlite")));
    println!(
        "  reference: SQLite alone:    {:>8.2} s  {:>10.0} rows/s  (the hour rows copied by SQL into an empty book)",
        t.as_secs_f64(),
        rows as f64 / t.as_secs_f64()
    );

    let as_of = chrono::NaiveDate::from_ymd_opt(2025, 12, 31).expect("valid date");
    let (results, t_load_eval) = timed(|| store.evaluate(as_of).expect("evaluate"));
    let book = results.book;
    drop(results.evaluation);
    let (evaluation, t_engine) = timed(|| rules::evaluate(&book, as_of));
    println!("rules engine alone:           {:>8.2} s  ({} awards)", t_engine.as_secs_f64(), evaluation.awards.len());
    println!("load book + rules engine:     {:>8.2} s", t_load_eval.as_secs_f64());
    drop((book, evaluation));
    let (_, t) = timed(|| store.refresh_results(as_of).expect("refresh"));
    println!(
        "full recompute (load, rules, store results): {:.2} s  (peak memory so far {:.0} MB)",
        t.as_secs_f64(),
        peak_memory_mb()
    );

    for by in [GroupBy::Project, GroupBy::Contributor] {
        let mut best = Duration::MAX;
        for _ in 0..5 {
            let (_, t) = timed(|| report::expected(&mut store, by, Period::year(2025), as_of).expect("report"));
            best = best.min(t);
        }
        let mut loose = Duration::MAX;
        for _ in 0..5 {
            let (_, t) = timed(|| {
                let period = Period { from: "2025-02-14".parse().ok(), to: "2025-11-20".parse().ok() };
                report::expected(&mut store, by, period, as_of).expect("report")
            });
            loose = loose.min(t);
        }
        println!(
            "report expected --by {:<11} best of 5: --year {:>6.1} ms; --from 2025-02-14 --to 2025-11-20 {:>6.1} ms",
            by.name(),
            best.as_secs_f64() * 1e3,
            loose.as_secs_f64() * 1e3
        );
    }
    let (_, t) = timed(|| report::due(&mut store, as_of, 30).expect("due"));
    println!("report due:                   {:>8.1} ms", t.as_secs_f64() * 1e3);
    let options = matchbook::claims::Options::default();
    let review = matchbook::claims::default_review_days;
    let (claims, t) = timed(|| matchbook::claims::claims(&mut store, as_of, &options, &review).expect("claims"));
    println!("report claims:                {:>8.1} ms  ({} lines)", t.as_secs_f64() * 1e3, claims.claims.len());

    // What the desktop app does with the book open: the overview on a cold start (results cache
    // already valid), then the hours table: building its index, and filtering and sorting it.
    drop(store);
    let (mut store, t_open) = timed(|| Store::open(&db).expect("reopen"));
    let (_, t) = timed(|| {
        matchbook::overview::overview(&mut store, "2025-01-01".parse().unwrap(), "2025-12-31".parse().unwrap(), as_of)
            .expect("overview")
    });
    println!("app: open book + overview:    {:>8.1} ms", (t_open + t).as_secs_f64() * 1e3);
    let (index, t) = timed(|| EntryIndex::build(&mut store, as_of).expect("index"));
    let mut index = index;
    println!(
        "app: hours table index build: {:>8.2} s  (peak memory so far {:.0} MB)",
        t.as_secs_f64(),
        peak_memory_mb()
    );
    let base = EntryQuery::all(RecordKind::Hours, 100);
    let queries = [
        ("sort by date", base.clone()),
        ("sort by expected, descending", EntryQuery { sort: SortKey::Expected, descending: true, ..base.clone() }),
        ("sort by contributor", EntryQuery { sort: SortKey::Contributor, ..base.clone() }),
        (
            "filter project, status",
            EntryQuery { project: Some("a".into()), status: Some(Status::Logged), ..base.clone() },
        ),
        ("filter contributor text", EntryQuery { contributor: Some("7".into()), ..base.clone() }),
    ];
    for (what, query) in queries {
        let (page, t) = timed(|| index.page(&store, &query).expect("page"));
        let (_, scroll) = timed(|| index.page(&store, &EntryQuery { offset: 5_000, ..query.clone() }).expect("page"));
        println!(
            "app: hours {what:<30} {:>6.1} ms ({} rows); next page {:>5.1} ms",
            t.as_secs_f64() * 1e3,
            page.total,
            scroll.as_secs_f64() * 1e3
        );
    }
    drop(index);

    let out = dir.path().join("export");
    let (written, t) = timed(|| matchbook::export::export_dir(&store, &out, false).expect("export"));
    let rows: u64 = written.iter().map(|(_, n)| n).sum();
    println!(
        "export (all kinds):           {:>8.2} s  {:>10.0} rows/s  (peak memory so far {:.0} MB)",
        t.as_secs_f64(),
        rows as f64 / t.as_secs_f64(),
        peak_memory_mb()
    );

    // The treasurer's side: payment lines for some of the claims (one per claim, every 200th),
    // imported, reconciled automatically, reported, and the book as a journal.
    let lines = dir.path().join("payment-lines.csv");
    let (written, t) = timed(|| payment_lines(&store, &lines, 200).expect("payment lines"));
    let (_, t_import) = timed(|| {
        store.import(std::slice::from_ref(&lines), &ImportOptions::default(), &mut |_| {}).expect("import lines")
    });
    println!(
        "payment lines: {written} written in {:.2} s, imported in {:.2} s",
        t.as_secs_f64(),
        t_import.as_secs_f64()
    );
    let (outcome, t) = timed(|| {
        matchbook::reconcile::auto_reconcile(&mut store, as_of, matchbook::bank::DEFAULT_WINDOW_DAYS)
            .expect("reconcile")
    });
    println!(
        "reconcile (automatic):        {:>8.2} s  ({} lines matched, {} ambiguous, {} not logged; peak memory so far {:.0} MB)",
        t.as_secs_f64(),
        outcome.matched_lines,
        outcome.ambiguous_lines,
        outcome.not_logged_lines,
        peak_memory_mb()
    );
    let (reconciliation, t) = timed(|| {
        matchbook::reconcile::reconciliation(&mut store, as_of, 90, matchbook::bank::DEFAULT_WINDOW_DAYS, Some(200))
            .expect("report reconcile")
    });
    println!(
        "report reconcile:             {:>8.2} s  ({} lines, {} claims not received)",
        t.as_secs_f64(),
        reconciliation.received.len(),
        reconciliation.not_received_total
    );
    drop(reconciliation);
    let (journal, t) = timed(|| {
        matchbook::journal::journal(&mut store, matchbook::journal::Flavour::Hledger, as_of).expect("journal")
    });
    println!("hledger journal:              {:>8.2} s  ({:.0} MB)", t.as_secs_f64(), journal.len() as f64 / 1e6);
    drop(journal);
    println!("peak memory (VmHWM):          {:>8.0} MB", peak_memory_mb());
}

/// A payments file paying every `every`-th claim with expected money, as a platform's lines would:
/// employer, contributor and exact gross. Returns how many lines it wrote.
fn payment_lines(store: &Store, path: &std::path::Path, every: i64) -> Result<u64, Box<dyn std::error::Error>> {
    let (names, people) = store.names_and_people()?;
    let mut out = csv::Writer::from_path(path)?;
    out.write_record(["date", "payer", "employer", "contributor", "email", "project", "currency", "gross"])?;
    let mut n = 0;
    store.for_each_award(None, None, |a| {
        let Some(employer) = a.employer.filter(|_| a.expected > 0 && a.entry_rid % every == 0) else { return Ok(()) };
        let person = &people[a.contributor as usize];
        let (date, gross) = (matchbook::model::iso(a.date), matchbook::money::format_cents(a.expected));
        let (employer, project) = (&names[employer as usize], &names[a.project as usize]);
        out.write_record([
            &date,
            "Benevity",
            employer,
            &person.name,
            &person.email,
            project,
            a.currency.as_str(),
            &gross,
        ])?;
        n += 1;
        Ok(())
    })?;
    out.flush()?;
    Ok(n)
}

/// What the import's writing costs SQLite alone: the hour rows of the book at `from`, copied by
/// one `INSERT ... SELECT` into an empty book at `to` (same schema, pragmas and transaction, no
/// parsing, checking or binding). Returns how many rows.
fn sqlite_alone(from: &std::path::Path, to: &std::path::Path) -> usize {
    drop(Store::open_or_create(to).expect("make the empty book"));
    let conn = rusqlite::Connection::open(to).expect("open the empty book");
    conn.pragma_update(None, "foreign_keys", "OFF").expect("as the import does");
    conn.execute("ATTACH ?1 AS source", [from.to_str().expect("a UTF-8 temp path")]).expect("attach");
    let columns = "id, digest, date, contributor, employer, project, hours, description, status";
    conn.execute_batch("BEGIN").expect("begin");
    let rows = conn
        .execute(&format!("INSERT INTO hours ({columns}) SELECT {columns} FROM source.hours ORDER BY rid"), [])
        .expect("copy");
    conn.execute_batch("COMMIT").expect("commit");
    rows
}
