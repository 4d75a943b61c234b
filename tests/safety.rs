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
