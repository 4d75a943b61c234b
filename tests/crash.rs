//! Crash safety, as a test: the real `matchbook` is killed (SIGKILL) at many points of a large
//! import, of a recompute and of an export. Each time the book must pass SQLite's
//! `integrity_check`, report exactly what it reported before the command or after it (all or
//! nothing), and the command must then succeed when run again; an export must leave no file that
//! looks complete but is not.

mod common;

use common::*;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Kill points per command, spread over its uninterrupted run time.
const KILLS: u32 = 8;

fn integrity(db: &Path) -> String {
    rusqlite::Connection::open(db).unwrap().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap()
}

fn report(book: &Book) -> String {
    book.report_csv(&["--as-of", "2025-12-31", "--by", "contributor"])
}

/// Runs `matchbook --db DB ARGS` and kills it after `after`; returns whether it was still running.
fn run_and_kill(db: &Path, args: &[&std::ffi::OsStr], after: Duration) -> bool {
    let mut child =
        Command::new(BIN).arg("--db").arg(db).args(args).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    std::thread::sleep(after);
    let running = child.try_wait().unwrap().is_none();
    child.kill().ok(); // SIGKILL
    child.wait().unwrap();
    running
}

/// How long `matchbook --db DB ARGS` takes to run to its end.
fn timed(db: &Path, args: &[&std::ffi::OsStr]) -> Duration {
    let started = Instant::now();
    let out = Command::new(BIN).arg("--db").arg(db).args(args).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    started.elapsed()
}

/// A copy of the book at `from` (closed, its WAL merged), as a new book.
fn copy_of(from: &Path) -> Book {
    let book = Book::unmade();
    std::fs::copy(from, &book.db).unwrap();
    book
}

#[test]
fn a_killed_import_recompute_or_export_leaves_the_book_whole() {
    let base = Book::new();
    base.import(&[&repo("examples/book")]);
    let generated = base.path("generated");
    let out = Command::new(BIN).args(["generate", "--hours", "60000"]).arg(&generated).output().unwrap();
    assert!(out.status.success());
    let before = report(&base);
    rusqlite::Connection::open(&base.db).unwrap().execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();

    // The import, whole, for its time and what the book reports after it.
    let whole = copy_of(&base.db);
    let import: Vec<&std::ffi::OsStr> = vec!["import".as_ref(), generated.as_os_str()];
    let import_time = timed(&whole.db, &import);
    let after = report(&whole);
    assert_ne!(after, before);

    let mut killed = 0;
    for n in 1..=KILLS {
        let book = copy_of(&base.db);
        let at = import_time.mul_f64(f64::from(n) / f64::from(KILLS + 1));
        killed += u32::from(run_and_kill(&book.db, &import, at));
        assert_eq!(integrity(&book.db), "ok", "import killed at {at:?}");
        let now = report(&book);
        assert!(now == before || now == after, "import killed at {at:?}: the book holds part of it:\n{now}");
        book.ok(&import);
        assert_eq!(report(&book), after, "the import run again after a kill at {at:?}");
    }
    assert!(killed >= KILLS / 2, "most kill points fell inside the import ({killed} of {KILLS})");

    // A recompute of the results cache (a report on a new date), killed: the records are as they
    // were, and the next report recomputes.
    let recompute: Vec<&std::ffi::OsStr> =
        ["report", "expected", "--as-of", "2026-06-30"].iter().map(|a| a.as_ref()).collect();
    let fresh = copy_of(&whole.db);
    let recompute_time = timed(&fresh.db, &recompute);
    let later = fresh.ok(&recompute);
    for n in 1..=KILLS {
        let book = copy_of(&whole.db);
        let at = recompute_time.mul_f64(f64::from(n) / f64::from(KILLS + 1));
        run_and_kill(&book.db, &recompute, at);
        assert_eq!(integrity(&book.db), "ok", "recompute killed at {at:?}");
        assert_eq!(report(&book), after);
        assert_eq!(book.ok(&recompute), later);
    }

    // An export, killed: every file in the folder is whole (as the uninterrupted export wrote
    // it) or has a temporary name that no import reads.
    let full = whole.path("full");
    whole.ok(&["export".as_ref(), full.as_os_str()]);
    let export_time = timed(&whole.db, &["export".as_ref(), whole.path("timing").as_os_str()]);
    let mut interrupted = 0;
    for n in 1..=KILLS {
        let folder = whole.path(&format!("killed-{n}"));
        let at = export_time.mul_f64(f64::from(n) / f64::from(KILLS + 1));
        run_and_kill(&whole.db, &["export".as_ref(), folder.as_os_str()], at);
        for entry in std::fs::read_dir(&folder).into_iter().flatten() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            if name.starts_with('.') && name.contains(".partial-") {
                assert!(!name.ends_with(".csv"), "a temporary name an import would read: {name}");
                continue;
            }
            let (left, whole_file) =
                (std::fs::read(folder.join(&name)).unwrap(), std::fs::read(full.join(&name)).unwrap());
            assert!(left == whole_file, "export killed at {at:?} left {name} incomplete");
        }
        let finished = std::fs::read_dir(&folder).map(|d| d.count()).unwrap_or(0);
        interrupted += u32::from(finished < std::fs::read_dir(&full).unwrap().count());
        assert_eq!(integrity(&whole.db), "ok");
    }
    assert!(interrupted > 0, "some kill fell inside an export");
}
