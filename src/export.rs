//! Everything leaving the book for files: the contract's CSV per kind of record (the whole book
//! as a folder, or the entries a filter selects) and the book as an hledger or beancount journal.

use crate::journal::{self, Flavour};
use crate::ledger;
use crate::model::{Date, Record, RecordKind};
use crate::store::{BookFile, Store, StoreError};
use std::path::{Path, PathBuf};

/// Writes the records of `kind` that `keep` accepts (called once per record, in the order they
/// were added) as the contract's CSV, ids included; returns the rows written.
pub fn write_records(
    store: &Store,
    kind: RecordKind,
    out: impl std::io::Write,
    mut keep: impl FnMut(&Record) -> bool,
) -> Result<u64, StoreError> {
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(out);
    writer.write_record(ledger::header(kind))?;
    let mut count = 0;
    store.for_each_record(kind, |record| {
        if keep(&record) {
            writer.write_record(ledger::cells(&record))?;
            count += 1;
        }
        Ok(())
    })?;
    writer.flush()?;
    Ok(count)
}

/// Writes one CSV per kind of record into `dir`, and the book's links and project mappings (see
/// [`BookFile`]); returns the files and their row counts.
pub fn export_dir(store: &Store, dir: &Path) -> Result<Vec<(PathBuf, u64)>, StoreError> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    for kind in RecordKind::ALL {
        let path = dir.join(format!("{}.csv", kind.name()));
        let file = std::io::BufWriter::new(std::fs::File::create(&path)?);
        let count = write_records(store, kind, file, |_| true)?;
        written.push((path, count));
    }
    for kind in BookFile::ALL {
        let path = dir.join(kind.file_name());
        let file = std::io::BufWriter::new(std::fs::File::create(&path)?);
        let count = store.export_book_file(kind, file)?;
        written.push((path, count));
    }
    Ok(written)
}

/// Writes the book as an hledger or beancount journal at `path`, as of the report date `as_of`.
pub fn export_journal(store: &mut Store, flavour: Flavour, as_of: Date, path: &Path) -> Result<(), StoreError> {
    let text = journal::journal(store, flavour, as_of)?;
    std::fs::write(path, text).map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    Ok(())
}
