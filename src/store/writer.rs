//! Writing a book that another process may be writing too. Every write transaction begins
//! `IMMEDIATE`: it takes the book's write lock at once, waiting up to [`WAIT`] for another
//! writer, instead of starting as a reader and failing at its first write (SQLite cannot wait
//! there without risking a deadlock). While it writes, a note beside the book says who writes
//! it, so that a process that gives up can say by whom the book is busy.

use super::{Result, Store, StoreError};
use rusqlite::{Transaction, TransactionBehavior};
use std::path::PathBuf;
use std::time::Duration;

/// How long a write waits for another writer to finish.
pub(super) const WAIT: Duration = Duration::from_secs(10);

/// Who a process is, until its face says better (see [`Store::set_holder`]).
pub(super) fn default_holder() -> String {
    "another Matchbook".into()
}

/// A write under way: its transaction, and the note beside the book that says who writes it
/// (removed when the write ends, whether committed or not).
pub(crate) struct Write<'c> {
    /// Always there until [`Write::commit`] takes it.
    tx: Option<Transaction<'c>>,
    /// None for a book in memory, which no other process can write.
    note: Option<PathBuf>,
}

impl<'c> std::ops::Deref for Write<'c> {
    type Target = Transaction<'c>;
    fn deref(&self) -> &Transaction<'c> {
        self.tx.as_ref().expect("a write under way")
    }
}

impl std::ops::DerefMut for Write<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        self.tx.as_mut().expect("a write under way")
    }
}

impl Write<'_> {
    pub(crate) fn commit(mut self) -> Result<()> {
        Ok(self.tx.take().expect("a write under way").commit()?)
    }
}

impl Drop for Write<'_> {
    fn drop(&mut self) {
        if let Some(note) = &self.note {
            let _ = std::fs::remove_file(note);
        }
    }
}

/// The note beside the book at `path` that names its writer.
fn note_of(path: &str) -> PathBuf {
    PathBuf::from(format!("{path}-writer"))
}

/// Who the note beside the book says is writing it, if that process is still there.
fn writer_of(path: &str) -> Option<String> {
    let note = std::fs::read_to_string(note_of(path)).ok()?;
    let pid = note.rsplit_once("(process ")?.1.trim_end().strip_suffix(')')?;
    let alive = cfg!(not(target_os = "linux")) || PathBuf::from(format!("/proc/{pid}")).exists();
    alive.then(|| note.trim().to_string())
}

/// Whether SQLite said another connection holds the lock.
pub(super) fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked))
}

impl Store {
    /// Refuses at once what would change a read-only book.
    pub(crate) fn writable(&self) -> Result<()> {
        if self.is_read_only() {
            return Err(StoreError::Refused(format!(
                "the book {} is read-only (its file or folder): Matchbook can read it but not change it",
                self.path
            )));
        }
        Ok(())
    }

    /// Begins a write: waits up to [`WAIT`] for another writer, then says the book is busy, and
    /// by whom when it can tell. A read-only book refuses at once.
    pub(crate) fn begin_write(&self) -> Result<Write<'_>> {
        self.writable()?;
        match Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate) {
            Ok(tx) => {
                let note = (!self.in_memory).then(|| note_of(&self.path));
                if let Some(note) = &note {
                    let _ = std::fs::write(note, format!("{} (process {})\n", self.holder, std::process::id()));
                }
                Ok(Write { tx: Some(tx), note })
            }
            Err(e) if is_busy(&e) => Err(busy(&self.path)),
            Err(e) => Err(e.into()),
        }
    }
}

impl Store {
    /// Begins a write if the book can be written at once; `None` when it is read-only or another
    /// process is writing it.
    pub(crate) fn try_begin_write(&self) -> Result<Option<Write<'_>>> {
        if self.is_read_only() {
            return Ok(None);
        }
        self.conn.busy_timeout(Duration::ZERO)?;
        let began = self.begin_write();
        // The write (if any) holds its lock now: later statements wait as every other does.
        let waits = self.conn.busy_timeout(WAIT);
        match began {
            Ok(write) => {
                waits?;
                Ok(Some(write))
            }
            Err(StoreError::Busy { .. }) => {
                waits?;
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }
}

/// The book at `path` is busy: another process holds its write lock.
pub(super) fn busy(path: &str) -> StoreError {
    StoreError::Busy { book: path.to_string(), writer: writer_of(path), waited: WAIT.as_secs() }
}

#[cfg(test)]
mod tests {
    use crate::store::Store;

    /// While a write is under way, a note beside the book says who writes it; it goes when the
    /// write ends, committed or not.
    #[test]
    fn a_write_says_who_writes_while_it_lasts() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("book.sqlite");
        let mut store = Store::open_or_create(&path).unwrap();
        store.set_holder("the test");
        let note = super::note_of(store.path());
        let write = store.begin_write().unwrap();
        let said = std::fs::read_to_string(&note).unwrap();
        assert_eq!(said, format!("the test (process {})\n", std::process::id()));
        assert_eq!(super::writer_of(store.path()).as_deref(), Some(said.trim()));
        write.commit().unwrap();
        assert!(!note.exists());
        drop(store.begin_write().unwrap());
        assert!(!note.exists());
        // A note left by a process that is gone names nobody.
        std::fs::write(&note, "the app (process 4000000)\n").unwrap();
        assert_eq!(super::writer_of(store.path()), None);
    }
}
