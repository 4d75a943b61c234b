//! Everything leaving the book for files: the contract's CSV per kind of record (the whole book
//! as a folder, or the entries a filter selects) and the book as an hledger or beancount journal.

use crate::journal::{self, Flavour};
use crate::ledger;
use crate::model::{Date, Record, RecordKind};
use crate::store::{BookFile, Store, StoreError};
use std::io::Write;
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
///
/// A folder that holds anything is refused unless `replace` is set: an import of the folder
/// would read every CSV file in it, those of another export too. Each file is written under a
/// temporary name and renamed into place (see [`write_atomically`]), so that an interrupted
/// export never leaves a file that looks complete, and a link in the folder is replaced, never
/// written through.
pub fn export_dir(store: &Store, dir: &Path, replace: bool) -> Result<Vec<(PathBuf, u64)>, StoreError> {
    store.check()?;
    check_destination_dir(dir, replace)?;
    std::fs::create_dir_all(dir).map_err(|e| StoreError::file(dir, e))?;
    let mut written = Vec::new();
    for kind in RecordKind::ALL {
        let path = dir.join(format!("{}.csv", kind.name()));
        let count = write_atomically(&path, |out| write_records(store, kind, out, |_| true))?;
        written.push((path, count));
    }
    for kind in BookFile::ALL {
        let path = dir.join(kind.file_name());
        let count = write_atomically(&path, |out| store.export_book_file(kind, out))?;
        written.push((path, count));
    }
    sync_dir(dir)?;
    Ok(written)
}

/// Writes the book as an hledger or beancount journal at `path`, as of the report date `as_of`.
/// A file (or link) already there is refused unless `replace` is set, and then replaced whole.
pub fn export_journal(
    store: &mut Store,
    flavour: Flavour,
    as_of: Date,
    path: &Path,
    replace: bool,
) -> Result<(), StoreError> {
    if !replace && path.symlink_metadata().is_ok() {
        return Err(StoreError::Refused(format!(
            "{} already exists; choose another file, or replace it (--force)",
            path.display()
        )));
    }
    store.check()?;
    let text = journal::journal(store, flavour, as_of)?;
    write_atomically(path, |out| Ok(out.write_all(text.as_bytes())?))?;
    sync_dir(path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")))
}

/// Refuses a folder to export into that is a link or holds anything, unless `replace` is set.
fn check_destination_dir(dir: &Path, replace: bool) -> Result<(), StoreError> {
    let Ok(meta) = dir.symlink_metadata() else { return Ok(()) }; // made anew
    if replace {
        return Ok(());
    }
    if meta.file_type().is_symlink() {
        return Err(StoreError::Refused(format!(
            "{} is a link; export into a real folder, or follow the link (--force)",
            dir.display()
        )));
    }
    if !meta.is_dir() {
        return Err(StoreError::Refused(format!("{} is a file, not a folder", dir.display())));
    }
    let mut inside: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| StoreError::file(dir, e))?
        .map(|entry| entry.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<std::io::Result<_>>()
        .map_err(|e| StoreError::file(dir, e))?;
    if inside.is_empty() {
        return Ok(());
    }
    inside.sort();
    let shown = inside.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
    let more = if inside.len() > 3 { format!(" and {} more", inside.len() - 3) } else { String::new() };
    Err(StoreError::Refused(format!(
        "{} is not empty ({shown}{more}): an import of the folder would read every CSV file in it; \
         export into a new or empty folder, or replace Matchbook's files in this one (--force)",
        dir.display()
    )))
}

/// Writes a file whole or not at all: into a temporary file beside `path` (a name that no import
/// reads: hidden, not ending in `.csv`), synced to disk, then renamed over `path`. An error names
/// the file and leaves what was at `path` as it was.
pub fn write_atomically<T>(
    path: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temporary = path.with_file_name(format!(".{name}.partial-{}", std::process::id()));
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temporary)
        .map_err(|e| StoreError::file(&temporary, e))?;
    let mut out = std::io::BufWriter::new(file);
    let written = write(&mut out).and_then(|value| {
        let file = out.into_inner().map_err(|e| StoreError::file(path, e.into_error()))?;
        file.sync_all().map_err(|e| StoreError::file(path, e))?;
        std::fs::rename(&temporary, path).map_err(|e| StoreError::file(path, e))?;
        Ok(value)
    });
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    // A full disk fails a write: say which file.
    written.map_err(|e| match e {
        StoreError::Io(source) => StoreError::file(path, source),
        StoreError::Csv(e) if e.is_io_error() => match e.into_kind() {
            csv::ErrorKind::Io(source) => StoreError::file(path, source),
            _ => unreachable!("an I/O error"),
        },
        other => other,
    })
}

/// Makes the renames into `dir` last: a crash after an export returned keeps its files.
fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    std::fs::File::open(dir).and_then(|d| d.sync_all()).map_err(|e| StoreError::file(dir, e))?;
    Ok(())
}
