//! The book: one SQLite file holding the records (`schema.sql`, brought there from older books by
//! [`migrations`]), and a cache of the rules engine's results ([`cache`]).
//!
//! Invariants:
//! - every write of records happens in one transaction that also bumps `records_version`
//!   ([`bump_records_version`]); an import that fails at any row rolls back entirely;
//! - the store owns the SQL: the rest of the library reaches the book through `Store`'s methods.

mod backups;
mod bank_matches;
mod book_files;
mod cache;
mod edit;
mod error;
mod import;
mod links;
mod load;
mod mapping;
mod migrations;
mod platforms;
mod profiles;
mod queries;
mod records;
mod rows;
mod settings;
mod write_statement;
mod writer;

pub use backups::{folder_of as backups_folder, list as backups_of, restore_damaged, Backup};
pub use bank_matches::{BankMatch, NOT_MATCHING};
pub use book_files::BookFile;
pub use cache::{CachedAward, MonthlySumKey, MonthlySums};
pub use edit::{fields_of, reader_of_fields, Fields, WriteError};
pub use error::{Result, StoreError};
pub use import::{
    expand_paths, FileKind, FileReport, ImportOptions, ImportOutcome, Progress, MAX_ERRORS as MAX_IMPORT_ERRORS,
};
pub use links::Link;
pub use mapping::{ProjectMapping, UnmappedLine};
pub use migrations::SCHEMA_VERSION;
pub use profiles::{ProfileRecord, ProfileTest, SkippedRow, PROFILE_TEST_SHOWN};
pub use queries::{PaymentRow, ReceivedBy, StoredEntry};
pub use settings::{PlatformSetting, SettingQuestion};

use crate::model::Date;
use crate::model::EntryKind;
use crate::rules::{self, Book};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
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
    /// Who this process is, as another process that finds the book busy is told.
    holder: String,
    /// A book in memory ([`Store::open_in_memory`]): no file, so no backups and no writer's note.
    in_memory: bool,
}

/// The engine's results for one report date, with the book they were computed from.
pub struct Results {
    pub book: Book,
    pub evaluation: rules::Evaluation,
    /// For each entry of `book`, its table and row.
    pub rows: Vec<(EntryKind, i64)>,
}

impl Store {
    /// Opens the book at `path` and brings its schema up to date. A missing file is an error
    /// that names it: only [`Store::open_or_create`] makes a book.
    pub fn open(path: &Path) -> Result<Store> {
        if !path.exists() {
            return Err(StoreError::Refused(format!(
                "there is no book at {}: check the path, or make a new book there (matchbook init FILE)",
                path.display()
            )));
        }
        Store::open_file(path)
    }

    /// Opens the book at `path`, making it (and its folder) first if there is none.
    pub fn open_or_create(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::file(dir, e))?;
        }
        Store::open_file(path)
    }

    fn open_file(path: &Path) -> Result<Store> {
        let shown = path.display().to_string();
        Store::open_file_unnamed(path).map_err(|e| match e {
            StoreError::Damaged(_) => backups::pointing_at_backup(e, path),
            other => other.in_book(&shown),
        })
    }

    fn open_file_unnamed(path: &Path) -> Result<Store> {
        let shown = path.display().to_string();
        let not_a_book = |source: rusqlite::Error| match source.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => StoreError::Damaged(format!(
                "{shown} is not a Matchbook book: it is not an SQLite database (damaged, or another kind of file)"
            )),
            _ => StoreError::Sql(source),
        };
        let mut conn = Connection::open(path).map_err(not_a_book)?;
        conn.busy_timeout(writer::WAIT).map_err(not_a_book)?;
        // Pages of 16 KB for a new book (an existing one keeps its own): big imports and
        // recomputes ran a few percent faster than with 4 KB, and the cache's day blobs span
        // fewer pages.
        conn.pragma_update(None, "page_size", 16384).map_err(not_a_book)?;
        // A book we may not write, in a folder we may not write: SQLite cannot make the files it
        // reads a WAL book through, and reads it as it is on disk instead.
        if let Err(e) = conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(())) {
            if e.sqlite_error_code() != Some(rusqlite::ErrorCode::ReadOnly) {
                return Err(not_a_book(e));
            }
            let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            conn = Connection::open_with_flags(immutable_uri(path), flags).map_err(not_a_book)?;
        }
        if !conn.is_readonly(rusqlite::DatabaseName::Main)? {
            conn.pragma_update(None, "journal_mode", "WAL").map_err(not_a_book)?;
        }
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // A page cache of 32 MB: a larger one made big imports and recomputes no faster and took
        // memory.
        conn.pragma_update(None, "cache_size", -32768)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        let mut store = Store { conn, path: shown, holder: writer::default_holder(), in_memory: false };
        store.bring_up_to_date()?;
        cache::prepare(&mut store)?;
        Ok(store)
    }

    /// Makes a new, empty book in memory, gone when it is dropped, that messages call `name`: for
    /// files read without a book (`matchbook check`, `report --ledger`). It keeps no backups and
    /// gives new ids the tag [`IN_MEMORY_TAG`], so that the same files get the same ids every time.
    pub fn open_in_memory(name: &str) -> Result<Store> {
        let conn = Connection::open_in_memory()?;
        conn.pragma_update(None, "page_size", 16384)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        let mut store = Store { conn, path: name.to_string(), holder: writer::default_holder(), in_memory: true };
        store.bring_up_to_date()?;
        set_meta(&store.conn, "book_tag", IN_MEMORY_TAG)?;
        cache::prepare(&mut store)?;
        Ok(store)
    }

    /// Whether the book is in memory ([`Store::open_in_memory`]) rather than in a file.
    pub fn is_in_memory(&self) -> bool {
        self.in_memory
    }

    /// Checks the book's file (SQLite's `quick_check`): a command that would change the book or
    /// copy it out refuses a damaged one rather than spread the damage.
    pub fn check(&self) -> Result<()> {
        let mut stmt = self.conn.prepare("PRAGMA quick_check(5)")?;
        let problems: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        if problems == ["ok"] {
            return Ok(());
        }
        let damaged = StoreError::Damaged(format!(
            "the book {} is damaged ({}); nothing was changed: restore a backup of it",
            self.path,
            problems.join("; ")
        ));
        Err(backups::pointing_at_backup(damaged, Path::new(&self.path)))
    }

    /// Says who this process is to another that finds the book busy, e.g. "the Matchbook app".
    pub fn set_holder(&mut self, holder: impl Into<String>) {
        self.holder = holder.into();
    }

    /// Whether the book can only be read (its file or folder is read-only).
    pub fn is_read_only(&self) -> bool {
        self.conn.is_readonly(rusqlite::DatabaseName::Main).unwrap_or(true)
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

/// The URI that opens the book at `path` as a file nobody changes while it is open.
fn immutable_uri(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut uri = String::from("file:");
    for byte in absolute.to_string_lossy().bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => uri.push(byte as char),
            other => uri.push_str(&format!("%{other:02X}")),
        }
    }
    uri + "?immutable=1"
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

/// A value of one of the book's key-value tables: `meta`, or the results cache's `cache_state`.
fn value_of(conn: &Connection, table: &str, key: &str) -> Result<Option<String>> {
    let sql = format!("SELECT value FROM {table} WHERE key = ?1");
    Ok(conn.prepare_cached(&sql)?.query_row([key], |r| r.get(0)).optional()?)
}

fn set_value(conn: &Connection, table: &str, key: &str, value: &str) -> Result<()> {
    let sql = format!(
        "INSERT INTO {table}(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value"
    );
    conn.prepare_cached(&sql)?.execute(params![key, value])?;
    Ok(())
}

fn meta(conn: &Connection, key: &str) -> Result<Option<String>> {
    value_of(conn, "meta", key)
}

fn set_meta(conn: &Connection, key: &str, value: &str) -> Result<()> {
    set_value(conn, "meta", key, value)
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

/// The tag of a book in memory's new ids: never a file's book's, whose tags have no `l`.
pub const IN_MEMORY_TAG: &str = "ledgr";

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
    /// New books use 16 KB pages (set before anything is written, or it is too late).
    #[test]
    fn a_new_book_has_16_kb_pages() {
        let dir = tempfile::tempdir().unwrap();
        let store = super::Store::open_or_create(&dir.path().join("book.sqlite")).unwrap();
        let page_size: i64 = store.conn.pragma_query_value(None, "page_size", |r| r.get(0)).unwrap();
        assert_eq!(page_size, 16384);
    }

    /// Imports turn SQLite's reference checks off while they write; every other write needs them.
    #[test]
    fn references_are_checked_again_after_an_import() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = super::Store::open_or_create(&dir.path().join("book.sqlite")).unwrap();
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
