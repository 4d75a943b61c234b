//! Nothing a user entered is lost: the backups kept before every change, listed, restored, and
//! the way back from a damaged book.

mod common;

use common::*;

fn backups(book: &Book) -> Vec<Vec<String>> {
    let out = book.ok(&["backups", "--format", "csv"]);
    out.lines().skip(1).map(|l| l.split(',').map(str::to_string).collect()).collect()
}

fn hours_file(book: &Book, name: &str, rows: usize) -> std::path::PathBuf {
    let body: String = (0..rows).map(|i| format!("2025-03-{:02},Ada,Lumen,1,{name} {i}\n", 1 + i % 28)).collect();
    book.write(name, format!("date,contributor,project,hours,description\n{body}"))
}

#[test]
fn an_import_can_be_undone_whole_and_the_undo_too() {
    let book = Book::new();
    book.import(&[&repo("examples/book")]);
    let before = book.report_csv(&["--as-of", "2025-12-31"]);
    let more = hours_file(&book, "more.csv", 30);
    book.import(&[&more]);
    let after = book.report_csv(&["--as-of", "2025-12-31"]);
    assert_ne!(after, before);

    let kept = backups(&book);
    assert_eq!(kept.len(), 2, "one before each import: {kept:?}");
    assert_eq!(kept[0][1], "import");
    let before_more = &kept[0][3];
    let out = book.ok(&["restore", before_more]);
    assert!(out.contains("restored from") && out.contains("matchbook restore undoes this"), "{out}");
    assert_eq!(book.report_csv(&["--as-of", "2025-12-31"]), before);

    // The restore kept the book as it was: restoring that gives the import back.
    let kept = backups(&book);
    assert_eq!(kept[0][1], "restore");
    book.ok(&["restore", &kept[0][3]]);
    assert_eq!(book.report_csv(&["--as-of", "2025-12-31"]), after);
}

#[test]
fn ten_backups_are_kept_and_an_unchanged_book_makes_none() {
    let book = Book::new();
    let same = hours_file(&book, "same.csv", 3);
    for _ in 0..3 {
        book.import(&[&same]);
    }
    assert_eq!(backups(&book).len(), 2, "the empty book, then the one with same.csv; no more");
    for n in 0..12 {
        book.import(&[&hours_file(&book, &format!("f{n}.csv"), 2)]);
    }
    let kept = backups(&book);
    assert_eq!(kept.len(), 10);
    let mut names: Vec<&String> = kept.iter().map(|b| &b[3]).collect();
    let newest_first = names.clone();
    names.sort_by(|a, b| b.cmp(a));
    assert_eq!(names, newest_first);
    // By hand too, into a file of one's choosing.
    let copy = book.path("copy.sqlite");
    book.ok(&["backup".as_ref(), copy.as_os_str()]);
    let copied = Book { dir: tempfile::tempdir().unwrap(), db: copy };
    assert_eq!(copied.report_csv(&["--as-of", "2025-12-31"]), book.report_csv(&["--as-of", "2025-12-31"]));
}

/// A damaged book points at its newest backup, and `restore` puts it back even though the book
/// cannot be opened; the damaged file is kept aside.
#[test]
fn a_damaged_book_points_at_its_newest_backup_and_is_restored_from_it() {
    let book = Book::new();
    book.import(&[&repo("examples/book")]);
    let good = book.report_csv(&["--as-of", "2025-12-31"]);
    book.import(&[&hours_file(&book, "more.csv", 5)]);
    let newest = backups(&book)[0][3].clone();
    rusqlite::Connection::open(&book.db).unwrap().execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    std::fs::write(&book.db, b"this was a book once, and the disk ate it").unwrap();
    let err = book.fails(&["report", "expected"]);
    assert!(
        err.contains("is not a Matchbook book") && err.contains(&format!("The newest backup is {newest}")),
        "{err}"
    );
    assert!(err.contains(&format!("matchbook restore {newest}")), "{err}");
    let out = book.ok(&["restore", &newest]);
    assert!(out.contains("the damaged file is kept as"), "{out}");
    assert_eq!(book.report_csv(&["--as-of", "2025-12-31"]), good);
    let aside: Vec<String> = std::fs::read_dir(book.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("book.sqlite.damaged-"))
        .collect();
    assert_eq!(aside.len(), 1);
}

/// A backup is checked before it is restored: a damaged one is refused and the book stays.
#[test]
fn a_damaged_backup_is_refused() {
    let book = Book::new();
    book.import(&[&repo("examples/book")]);
    let report = book.report_csv(&["--as-of", "2025-12-31"]);
    let bad = book.write("bad-backup.sqlite", "not a book at all");
    let err = book.fails(&["restore".as_ref(), bad.as_os_str()]);
    assert!(err.contains("bad-backup.sqlite"), "{err}");
    assert_eq!(book.report_csv(&["--as-of", "2025-12-31"]), report);
}

/// A book of an earlier schema is kept as it was before it is migrated.
#[test]
fn a_migration_keeps_the_book_as_it_was() {
    let book = Book::unmade();
    let dump = std::fs::read_to_string(repo("tests/fixtures/books/schema-8.sql")).unwrap();
    rusqlite::Connection::open(&book.db).unwrap().execute_batch(&dump).unwrap();
    book.ok(&["report", "expected"]);
    let kept = backups(&book);
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0][1], "migrate");
    let version: u32 = rusqlite::Connection::open(&kept[0][3])
        .unwrap()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, 8);
}
