//! Matchbook under abuse, through the real `matchbook` binary: exports into folders that hold
//! other files or links, exports and journals replaced whole or not at all, a mistyped book.

mod common;

use common::*;
use std::path::Path;

fn example_book() -> Book {
    let book = Book::new();
    book.import(&[&repo("examples/book")]);
    book
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

/// An export into a folder that holds other files is refused: an import of the folder would read
/// them too (an old `old-hours-2024.csv` once brought 5 extra rows).
#[test]
fn an_export_refuses_a_folder_that_holds_other_files() {
    let book = example_book();
    let out = book.path("out");
    std::fs::create_dir(&out).unwrap();
    let old = "date,contributor,project,hours\n2024-01-02,Ada,Lumen,1\n";
    std::fs::write(out.join("old-hours-2024.csv"), old).unwrap();
    let err = book.fails(&["export".as_ref(), out.as_os_str()]);
    assert!(err.contains("is not empty (old-hours-2024.csv)") && err.contains("--force"), "{err}");
    assert_eq!(files_in(&out), ["old-hours-2024.csv"]);

    // Told to, it replaces its own files and leaves the others.
    book.ok(&["export".as_ref(), out.as_os_str(), "--force".as_ref()]);
    assert!(files_in(&out).contains(&"hours.csv".to_string()));
    assert_eq!(std::fs::read_to_string(out.join("old-hours-2024.csv")).unwrap(), old);
    // Its own files again, already there: still a folder that is not empty.
    let err = book.fails(&["export".as_ref(), out.as_os_str()]);
    assert!(err.contains("is not empty"), "{err}");
}

/// A link named like an export's file is replaced by the file, never written through.
#[test]
fn an_export_never_writes_through_a_link() {
    let book = example_book();
    let victim = book.write("victim.txt", "precious");
    let out = book.path("out");
    std::fs::create_dir(&out).unwrap();
    std::os::unix::fs::symlink(&victim, out.join("hours.csv")).unwrap();
    book.fails(&["export".as_ref(), out.as_os_str()]);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    book.ok(&["export".as_ref(), out.as_os_str(), "--force".as_ref()]);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    let hours = std::fs::symlink_metadata(out.join("hours.csv")).unwrap();
    assert!(hours.is_file(), "the link was replaced by a file");
    assert!(std::fs::read_to_string(out.join("hours.csv")).unwrap().starts_with("id,date,contributor"));

    // A folder that is itself a link is refused too, unless told.
    let real = book.path("real");
    std::fs::create_dir(&real).unwrap();
    let linked = book.path("linked");
    std::os::unix::fs::symlink(&real, &linked).unwrap();
    let err = book.fails(&["export".as_ref(), linked.as_os_str()]);
    assert!(err.contains("is a link"), "{err}");
    assert!(files_in(&real).is_empty());
}

/// A journal over an existing file is refused unless told; replaced, it is whole, and a link
/// there is replaced rather than followed.
#[test]
fn a_journal_export_refuses_to_replace_a_file_unless_told() {
    let book = example_book();
    let victim = book.write("victim.txt", "precious");
    let journal = book.path("book.journal");
    std::os::unix::fs::symlink(&victim, &journal).unwrap();
    let args = |force: bool| {
        let mut args = vec!["export", "--format", "hledger", "--as-of", "2025-12-31", journal.to_str().unwrap()];
        if force {
            args.push("--force");
        }
        args.into_iter().map(String::from).collect::<Vec<_>>()
    };
    let err = book.fails(&args(false));
    assert!(err.contains("already exists") && err.contains("--force"), "{err}");
    book.ok(&args(true));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    let text = std::fs::read_to_string(&journal).unwrap();
    assert!(text.starts_with("; Matchbook's book as a hledger journal"), "{text:.80}");
    assert!(std::fs::symlink_metadata(&journal).unwrap().is_file());
    // No temporary file is left beside it.
    assert!(files_in(journal.parent().unwrap()).iter().all(|n| !n.contains(".partial-")));
}

/// A file written whole or not at all: a writer that fails midway (a full disk, say) leaves the
/// old file as it was and no temporary file, and the error names the file.
#[test]
fn a_failed_write_leaves_the_old_file_and_names_the_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hours.csv");
    std::fs::write(&path, "the old export\n").unwrap();
    let err = matchbook::export::write_atomically(&path, |out| -> Result<(), matchbook::store::StoreError> {
        use std::io::Write;
        out.write_all(b"half of the new ")?;
        Err(std::io::Error::from_raw_os_error(28).into()) // ENOSPC
    })
    .unwrap_err();
    assert!(err.to_string().starts_with(&format!("{}: ", path.display())), "{err}");
    assert!(err.to_string().contains("No space left on device"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "the old export\n");
    assert_eq!(files_in(dir.path()), ["hours.csv"]);
}

/// A mistyped `--db` is an error naming the path, and makes nothing: only the default book is
/// made without asking (`init` or `--create` for others).
#[test]
fn a_missing_book_is_an_error_and_nothing_is_made() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("no/such/folder/b.sqlite");
    let out = std::process::Command::new(BIN)
        .arg("--db")
        .arg(&db)
        .args(["report", "expected"])
        .env_remove("MATCHBOOK_DB")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("there is no book at {}", db.display())), "{err}");
    assert!(err.contains("matchbook init"), "{err}");
    assert!(files_in(dir.path()).is_empty(), "no folder was made");

    let made = std::process::Command::new(BIN).arg("--db").arg(&db).args(["--create", "report", "expected"]).output();
    assert!(made.unwrap().status.success());
    assert!(db.exists());
    // `init` makes a new book, and never touches a file already there.
    let other = dir.path().join("other.sqlite");
    std::fs::write(&other, "not a book").unwrap();
    let out = std::process::Command::new(BIN).arg("init").arg(&other).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
    assert_eq!(std::fs::read_to_string(&other).unwrap(), "not a book");
}

/// A book that cannot be written (its file and folder read-only) still reports: the results are
/// computed without writing; what would change it is refused with a plain message.
#[test]
fn a_read_only_book_reports_and_refuses_changes_plainly() {
    let book = example_book();
    // The cache holds the results as of 2025-12-31; claims expire before 2026-06-30.
    book.report_csv(&["--as-of", "2025-12-31"]);
    let bytes_before = std::fs::read(&book.db).unwrap();
    let dir = book.dir.path();
    let bin = dir.join("matchbook");
    std::fs::copy(BIN, &bin).unwrap();
    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &Path, mode: u32| std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    mode(&book.db, 0o444);
    mode(dir, 0o555);
    // Root may write anything: run as nobody then.
    let as_reader = |args: &[&str]| {
        let mut command = if is_root() {
            let mut c = std::process::Command::new("runuser");
            c.args(["-u", "nobody", "--"]).arg(&bin);
            c
        } else {
            std::process::Command::new(&bin)
        };
        command.arg("--db").arg(&book.db).args(args).env_remove("MATCHBOOK_DB").output().unwrap()
    };
    let report = as_reader(&["report", "expected", "--format", "csv", "--as-of", "2026-06-30"]);
    let shown = String::from_utf8_lossy(&report.stderr).into_owned();
    mode(dir, 0o755);
    mode(&book.db, 0o644);
    assert!(report.status.success(), "{shown}");
    assert_eq!(std::fs::read(&book.db).unwrap(), bytes_before, "the book was not written");
    assert_eq!(String::from_utf8_lossy(&report.stdout), book.report_csv(&["--as-of", "2026-06-30"]));
    mode(dir, 0o555);
    mode(&book.db, 0o444);
    let import = as_reader(&["import", repo("examples/book/hours.csv").to_str().unwrap()]);
    mode(dir, 0o755);
    mode(&book.db, 0o644);
    let err = String::from_utf8_lossy(&import.stderr);
    assert!(!import.status.success());
    assert!(err.contains("is read-only") && err.contains(&book.db.display().to_string()), "{err}");
}

/// Whether this test runs as root, for whom no file is read-only.
fn is_root() -> bool {
    std::process::Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

/// Two writers at once: the second waits for the first instead of failing ("database is locked"
/// in 0.01 s, before), and past its wait it says which book is busy and by whom.
#[test]
fn a_second_writer_waits_then_says_who_holds_the_book() {
    let book = example_book();
    let hours = book.write("a.csv", "date,contributor,project,hours\n2025-03-01,A,Lumen,1\n");
    let holder = rusqlite::Connection::open(&book.db).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let started = std::time::Instant::now();
    let import = std::process::Command::new(BIN)
        .arg("--db")
        .arg(&book.db)
        .arg("import")
        .arg(&hours)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    holder.execute_batch("COMMIT").unwrap();
    let out = import.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(started.elapsed().as_millis() >= 1500, "it waited for the first writer");
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 added"));

    // Held past the wait, by the app (as the note beside the book says while it writes).
    let note = format!("{}-writer", book.db.display());
    std::fs::write(&note, format!("the Matchbook app (process {})\n", std::process::id())).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let other = book.write("b.csv", "date,contributor,project,hours\n2025-03-02,B,Lumen,1\n");
    let out = book.run(&["import".as_ref(), other.as_os_str()]);
    holder.execute_batch("ROLLBACK").unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains(&format!(
            "the book {} is busy: the Matchbook app (process {}) is writing it",
            book.db.display(),
            std::process::id()
        )),
        "{err}"
    );
    assert!(!err.contains("database is locked"), "{err}");
    // A report meanwhile need not wait: it computes without writing.
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let started = std::time::Instant::now();
    book.report_csv(&["--as-of", "2026-06-30"]);
    holder.execute_batch("ROLLBACK").unwrap();
    assert!(started.elapsed().as_secs() < 5, "the report did not wait for the writer");
}

/// The import's result stands: when the reconciliation that follows it cannot run, that is a
/// warning with the command to run, not a failure of an import already in the book.
#[test]
fn an_import_stands_when_the_reconciliation_after_it_fails() {
    let book = example_book();
    // A results cache that cannot be written (a view where a table was) makes the
    // reconciliation fail after the import has committed.
    let conn = rusqlite::Connection::open(&book.db).unwrap();
    conn.execute_batch("DROP TABLE cache_award_days; CREATE VIEW cache_award_days AS SELECT 1 AS day, x'' AS awards;")
        .unwrap();
    drop(conn);
    let payment = book.write(
        "payments.csv",
        "date,payer,project,currency,gross,employer,contributor,email,type\n2025-07-01,Benevity,Lumen,USD,62.50,Microsoft,Ada Lindqvist,ada.lindqvist@example.org,match\n",
    );
    let out = book.run(&["import".as_ref(), payment.as_os_str()]);
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("1 row(s): 1 added"), "{stdout}");
    assert!(
        stderr.contains("warning: the import is in the book") && stderr.contains("matchbook reconcile"),
        "{stderr}"
    );
    let export = book.export();
    assert_eq!(rows(&export, "payments.csv").len(), 5);
}

/// Overwrites `len` bytes of the book's file at `offset` (its WAL merged in first).
fn damage(db: &Path, offset: u64, bytes: &[u8]) {
    rusqlite::Connection::open(db).unwrap().execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    use std::io::{Seek, Write};
    let mut file = std::fs::OpenOptions::new().write(true).open(db).unwrap();
    file.seek(std::io::SeekFrom::Start(offset)).unwrap();
    file.write_all(bytes).unwrap();
}

/// A damaged book is refused by what would change it or copy it out, with a message that says
/// it is damaged and names it; nothing is written (an export and an import once went through).
#[test]
fn a_damaged_book_is_refused_with_a_clear_message() {
    let expect_damaged = |book: &Book, what: &str| {
        let out_dir = book.path("out");
        for args in [
            vec!["import".to_string(), repo("examples/book/hours.csv").display().to_string()],
            vec!["export".to_string(), out_dir.display().to_string()],
        ] {
            let err = book.fails(&args);
            assert!(err.contains(&format!("the book {} is damaged", book.db.display())), "{what}: {err}");
            assert!(err.contains("restore a backup"), "{what}: {err}");
        }
        assert!(!out_dir.exists(), "{what}: nothing exported");
    };
    // A b-tree page whose header is overwritten.
    let book = example_book();
    damage(&book.db, 16384 * 4, &[0xff; 8]);
    expect_damaged(&book, "a damaged page");
    // Cut short.
    let book = example_book();
    damage(&book.db, 0, &[]);
    let len = std::fs::metadata(&book.db).unwrap().len();
    std::fs::OpenOptions::new().write(true).open(&book.db).unwrap().set_len(len / 2).unwrap();
    expect_damaged(&book, "a truncated book");

    // Not SQLite at all, and a book from a newer Matchbook: refused when opened, left as they are.
    let book = Book::unmade();
    std::fs::write(&book.db, "date,contributor\nthis is a CSV file, not a book\n").unwrap();
    let err = book.fails(&["report", "expected"]);
    assert!(err.contains("is not a Matchbook book: it is not an SQLite database"), "{err}");
    let book = Book::new();
    rusqlite::Connection::open(&book.db).unwrap().pragma_update(None, "user_version", 99).unwrap();
    let before = std::fs::read(&book.db).unwrap();
    let err = book.fails(&["report", "expected"]);
    assert!(err.contains("was made by a newer Matchbook (book schema 99"), "{err}");
    assert_eq!(std::fs::read(&book.db).unwrap(), before);
}

/// Stated limits, each refused with its line, at once and without reading on (see csv_text.rs):
/// a cell of more than 64 KiB, a line of more than 1 MiB, a header of more than 500 columns.
#[test]
fn oversized_cells_lines_and_headers_are_refused_with_their_line() {
    let book = example_book();
    let header = "date,contributor,project,hours,description\n";
    let fine = "2025-01-02,Ada,Lumen,1,fine\n";
    let cases = [
        ("cell.csv", format!("{header}{fine}2025-01-03,Ada,Lumen,1,{}\n", "x".repeat(70_000)), "3", "64 KiB"),
        (
            "line.csv",
            format!("{header}{fine}{fine}2025-01-03,Ada,Lumen,1,\"{}\n", "y\n".repeat(600_000)),
            "4",
            "longer than 1 MiB",
        ),
        (
            "columns.csv",
            format!(
                "{},{}\n{fine}",
                header.trim_end(),
                (0..600).map(|i| format!("c{i}")).collect::<Vec<_>>().join(",")
            ),
            "1",
            "at most 500",
        ),
    ];
    for (name, text, line, says) in cases {
        let file = book.write(name, text);
        let err = book.import_fails(&[&file]);
        assert!(err.contains(&format!("{name}:{line}:")) && err.contains(says), "{name}: {err}");
    }
    assert!(book.import_fails(&[&book.path("cell.csv")]).contains("column description"));
}

/// A Benevity report whose header has 100,000 extra columns is refused at once (it took 32 s,
/// quadratic in the columns).
#[test]
fn a_report_with_a_huge_header_is_refused_at_once() {
    let book = example_book();
    let sample = include_str!("data/benevity-sample.csv");
    let extra: String = (0..100_000).map(|i| format!(",c{i}")).collect();
    let wide: String = sample
        .lines()
        .map(|l| if l.starts_with("Company,") { format!("{l}{extra}\n") } else { format!("{l}\n") })
        .collect();
    let header_line = sample.lines().position(|l| l.starts_with("Company,")).unwrap() + 1;
    let file = book.write("wide.csv", wide);
    let err = book.import_fails(&[&file]);
    assert!(err.contains(&format!("wide.csv:{header_line}:")) && err.contains("at most 500"), "{err}");
}

/// Look-alike names: a bidirectional control, a line separator or a zero-width character in a
/// name is refused with its line and column; an accent written two ways is one name.
#[test]
fn look_alike_names_are_refused_and_accents_compare_composed() {
    let book = example_book();
    for (name, invisible) in [("Lumen\u{202E}", "U+202E"), ("Lu\u{2028}men", "U+2028"), ("Lu\u{200B}men", "U+200B")] {
        let file = book.write(
            "hours.csv",
            format!("date,contributor,project,hours\n2025-01-02,Ada,Lumen,1\n2025-01-02,Ada,{name},1\n"),
        );
        let err = book.import_fails(&[&file]);
        assert!(
            err.contains("hours.csv:3: column project: holds an invisible character") && err.contains(invisible),
            "{err}"
        );
    }
    let file = book.write(
        "accents.csv",
        "date,contributor,project,hours\n2025-01-02,Zoe,Caf\u{e9},1\n2025-01-03,Zoe,Cafe\u{301},1\n",
    );
    book.import(&[&file]);
    let hours = rows(&book.export(), "hours.csv");
    let cafe: Vec<&String> = hours.iter().filter(|r| r.contains(",Zoe,")).collect();
    assert_eq!(cafe.len(), 2);
    assert!(cafe.iter().all(|r| r.contains(",Caf\u{e9},")), "one project, spelled composed: {cafe:?}");
}

/// A disk that fills up during an import: a plain message, and the book as it was. (Needs a
/// small file system of its own: a tmpfs, which root mounts; elsewhere the test says it cannot.)
#[test]
fn a_full_disk_during_an_import_leaves_the_book_as_it_was() {
    if !is_root() {
        eprintln!("a_full_disk_during_an_import: not root, cannot mount a small file system; not run");
        return;
    }
    let outside = Book::unmade();
    let generated = outside.path("generated");
    let made = std::process::Command::new(BIN).args(["generate", "--hours", "20000"]).arg(&generated).output().unwrap();
    assert!(made.status.success());
    let small = outside.path("small");
    std::fs::create_dir(&small).unwrap();
    let mounted =
        std::process::Command::new("mount").args(["-t", "tmpfs", "-o", "size=3m", "tmpfs"]).arg(&small).status();
    assert!(mounted.is_ok_and(|s| s.success()), "root mounts a tmpfs");
    let book = Book { dir: tempfile::tempdir().unwrap(), db: small.join("book.sqlite") };
    let checked = std::panic::catch_unwind(|| {
        book.ok(&["--create".as_ref(), "import".as_ref(), repo("examples/book").as_os_str()]);
        let before = book.report_csv(&["--as-of", "2025-12-31"]);
        let err = book.fails(&["import".as_ref(), generated.as_os_str()]);
        assert!(err.contains(&format!("the book {}: the disk is full", book.db.display())), "{err}");
        assert_eq!(integrity_of(&book.db), "ok");
        assert_eq!(book.report_csv(&["--as-of", "2025-12-31"]), before);
    });
    std::process::Command::new("umount").arg(&small).status().unwrap();
    checked.unwrap();
}

fn integrity_of(db: &Path) -> String {
    rusqlite::Connection::open(db).unwrap().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap()
}
