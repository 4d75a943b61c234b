//! Books made by every earlier schema version open, migrate and report as they did.
//!
//! `tests/fixtures/books/schema-N.sql` is a book made by the Matchbook of schema N (the commit is
//! in each file's first line): the example book imported, for N >= 3 the example Benevity report
//! too (mapped and reconciled), and the results cache filled by two reports; `.expected.csv` is
//! what that Matchbook's `report expected` printed, but for one fix made since: a gift that a
//! program in another currency does not match counts in its own currency (Dev Patel's 40 USD for
//! Tessel were in a GBP row of their own).

mod common;
use common::{repo, Book};
use rusqlite::Connection;

const VERSIONS: std::ops::RangeInclusive<u32> = 1..=8;

/// The book made by schema `version`'s Matchbook, in a new directory.
fn old_book(version: u32) -> Book {
    let book = Book::unmade();
    let dump = std::fs::read_to_string(repo(&format!("tests/fixtures/books/schema-{version}.sql"))).unwrap();
    Connection::open(&book.db).unwrap().execute_batch(&dump).unwrap();
    book
}

/// Each table's and index's shape, as SQLite reports them (not their text, which `ALTER TABLE`
/// writes differently from `CREATE TABLE`).
fn shape(db: &std::path::Path) -> Vec<String> {
    let conn = Connection::open(db).unwrap();
    let mut stmt = conn.prepare("SELECT type, name, tbl_name FROM sqlite_master ORDER BY type, name").unwrap();
    let objects: Vec<(String, String, String)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(Result::unwrap).collect();
    let mut shape = Vec::new();
    for (kind, name, table) in objects {
        let info = match kind.as_str() {
            "table" => format!("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('{name}')"),
            "index" => format!("SELECT name, seqno, 0, 0, 0 FROM pragma_index_info('{name}')"),
            _ => continue,
        };
        let mut stmt = conn.prepare(&info).unwrap();
        let columns: Vec<String> = stmt
            .query_map([], |r| {
                let cell = |i| r.get_ref(i).map(|v| format!("{v:?}"));
                Ok([cell(0)?, cell(1)?, cell(2)?, cell(3)?, cell(4)?].join(" "))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        shape.push(format!("{kind} {name} on {table}: {}", columns.join(", ")));
    }
    shape
}

#[test]
fn a_book_of_every_earlier_schema_reports_as_it_did() {
    for version in VERSIONS {
        let book = old_book(version);
        let report = book.ok(&["report", "expected", "--year", "2025", "--as-of", "2025-12-31", "--format", "csv"]);
        let expected =
            std::fs::read_to_string(repo(&format!("tests/fixtures/books/schema-{version}.expected.csv"))).unwrap();
        assert_eq!(report, expected, "the book of schema {version}");
    }
}

#[test]
fn a_migrated_book_has_the_tables_of_a_new_one() {
    let new = Book::new();
    new.ok(&["report", "expected"]);
    let today = shape(&new.db);
    assert!(today.iter().any(|t| t.starts_with("table payments")), "{today:#?}");
    assert!(today.iter().any(|t| t.starts_with("table cache_award_days")), "{today:#?}");
    for version in VERSIONS {
        let book = old_book(version);
        book.ok(&["report", "expected"]);
        assert_eq!(shape(&book.db), today, "the book of schema {version}");
    }
}

/// What the migrations recompute (the digests of the identical-row rule) is what today's import
/// makes: importing the same files again changes nothing, reconciled entries included.
#[test]
fn importing_the_same_files_into_a_migrated_book_changes_nothing() {
    for version in VERSIONS {
        let book = old_book(version);
        let mut files = vec![repo("examples/book")];
        if version >= 3 {
            files.push(repo("examples/benevity"));
        }
        // The first pass may correct rows an older Matchbook read differently
        // (a Benevity payment is now dated when the money was sent), but it
        // never adds one; the second pass finds nothing left to change.
        for pass in [1, 2] {
            for file in &files {
                let out = book.ok(&[std::ffi::OsStr::new("import"), file.as_os_str()]);
                let lines: Vec<&str> = out.lines().filter(|l| l.contains(" row(s): ")).collect();
                assert!(!lines.is_empty(), "{out}");
                for line in lines {
                    let expected = if pass == 1 { ": 0 added, " } else { ": 0 added, 0 replaced," };
                    assert!(line.contains(expected), "the book of schema {version}, pass {pass}: {line}");
                }
            }
        }
    }
}
