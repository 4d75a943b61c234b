//! The book: one SQLite file holding the records (`schema.sql`, brought there from older books by
//! [`migrations`]), and a cache of the rules engine's results ([`cache`]).
//!
//! Invariants:
//! - every write of records happens in one transaction that also bumps `records_version`
//!   ([`bump_records_version`]); an import that fails at any row rolls back entirely;
//! - the store owns the SQL: the rest of the library reaches the book through `Store`'s methods.

mod book_files;
mod cache;
mod edit;
mod error;
mod import;
mod links;
mod load;
mod mapping;
mod migrations;
mod queries;
mod records;
mod rows;
mod write_statement;

pub use book_files::BookFile;
pub use cache::{CachedAward, MonthlySumKey, MonthlySums};
pub use edit::{fields_of, reader_of_fields, Fields, WriteError};
pub use error::{Result, StoreError};
pub use import::{expand_paths, FileKind, FileReport, ImportOptions, ImportOutcome, Progress};
pub use links::Link;
pub use mapping::{ProjectMapping, UnmappedLine, BENEVITY};
pub use migrations::SCHEMA_VERSION;
pub use queries::{PaymentRow, ReceivedBy, StoredEntry};

use crate::model::Date;
use crate::model::EntryKind;
use crate::rules::{self, Book};
use rusqlite::{params, Connection, OptionalExtension};
use std::path::{Path, PathBuf};

/// The default book shared by the command line and the desktop app:
/// `matchbook.sqlite` in the platform's data directory.
pub fn default_path() -> PathBuf {
    dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join("matchbook").join("matchbook.sqlite")
}

/// See [`Store::names_in_use`].
pub struct NamesInUse {
    pub projects: Vec<String>,
    pub employers: Vec<String>,
}

/// An open book.
pub struct Store {
    conn: Connection,
    path: String,
}

/// The engine's results for one report date, with the book they were computed from.
pub struct Results {
    pub book: Book,
    pub evaluation: rules::Evaluation,
    /// For each entry of `book`, its table and row.
    pub rows: Vec<(EntryKind, i64)>,
}

impl Store {
    /// Opens (creating if needed) the book at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        let shown = path.display().to_string();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let mut conn = Connection::open(path).map_err(|source| StoreError::Open { path: shown.clone(), source })?;
        // Pages of 16 KB for a new book (an existing one keeps its own): big imports and
        // recomputes ran a few percent faster than with 4 KB, and the cache's day blobs span
        // fewer pages.
        conn.pragma_update(None, "page_size", 16384)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // A page cache of 32 MB: a larger one made big imports and recomputes no faster and took
        // memory.
        conn.pragma_update(None, "cache_size", -32768)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        migrations::bring_up_to_date(&mut conn, &shown)?;
        cache::prepare(&conn)?;
        let store = Store { conn, path: shown };
        if meta(&store.conn, "book_tag")?.is_none() {
            set_meta(&store.conn, "book_tag", &new_book_tag())?;
            set_meta(&store.conn, "next_seq", "1")?;
            set_meta(&store.conn, "records_version", "0")?;
        }
        Ok(store)
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    /// Loads the book and runs the rules as of `as_of`, without touching the cache.
    pub fn evaluate(&self, as_of: Date) -> Result<Results> {
        let (book, rows) = load::load_book(&self.conn)?;
        let evaluation = rules::evaluate(&book, as_of);
        Ok(Results { book, evaluation, rows })
    }

    /// Gives back the memory SQLite's caches hold (after a pass over the whole book), and what
    /// the allocator keeps.
    pub fn release_memory(&self) -> Result<()> {
        release_memory(&self.conn)
    }

    /// Changes whenever any record changes.
    pub fn records_version(&self) -> Result<String> {
        records_version(&self.conn)
    }
}

fn release_memory(conn: &Connection) -> Result<()> {
    conn.execute_batch("PRAGMA shrink_memory")?;
    // glibc keeps what is freed for later use by the same arena, the other threads' arenas
    // included: trimming gives it back to the system.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim has no preconditions and may be called from any thread.
    unsafe {
        libc::malloc_trim(0);
    }
    Ok(())
}

fn meta(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()?)
}

fn set_meta(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

fn records_version(conn: &Connection) -> Result<String> {
    Ok(meta(conn, "records_version")?.unwrap_or_default())
}

/// Marks that records changed, in the transaction that changed them: the results cache and the
/// app's indexes made before are stale from its commit on.
fn bump_records_version(tx: &Connection) -> Result<()> {
    tx.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'records_version'", [])?;
    Ok(())
}

pub use crate::model::iso;

/// A short random tag that makes this book's new ids unlike any other book's.
fn new_book_tag() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
    hasher.write_u32(std::process::id());
    let mut n = hasher.finish();
    const ALPHABET: &[u8] = b"0123456789abcdefghjkmnpqrstvwxyz";
    (0..5)
        .map(|_| {
            let c = ALPHABET[(n % 32) as usize] as char;
            n /= 32;
            c
        })
        .collect()
}

#[cfg(test)]
mod tests {
    /// Imports turn SQLite's reference checks off while they write; every other write needs them.
    #[test]
    fn references_are_checked_again_after_an_import() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = super::Store::open(&dir.path().join("book.sqlite")).unwrap();
        let file = dir.path().join("hours.csv");
        std::fs::write(&file, "date,contributor,project,hours\n2025-01-02,Ada,matchbook,1\nnot a date,Ada,x,1\n")
            .unwrap();
        let checked =
            |store: &super::Store| store.conn.pragma_query_value(None, "foreign_keys", |r| r.get::<_, bool>(0));
        for file in [file.clone(), dir.path().join("missing.csv")] {
            let _ = store.import(&[file], &super::ImportOptions::default(), &mut |_| {});
            assert!(checked(&store).unwrap());
        }
        std::fs::write(&file, "date,contributor,project,hours\n2025-01-02,Ada,matchbook,1\n").unwrap();
        store.import(&[file], &super::ImportOptions::default(), &mut |_| {}).unwrap();
        assert!(checked(&store).unwrap());
        let orphan = store.conn.execute("UPDATE hours SET project = 999", []);
        assert!(orphan.is_err(), "a reference to no name is refused");
    }
}
