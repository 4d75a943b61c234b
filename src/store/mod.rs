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
mod write_statement;

pub use book_files::BookFile;
pub use cache::{CachedAward, MonthlySumKey, MonthlySums};
pub use edit::{fields_of, reader_of_fields, Fields, WriteError};
pub use error::{Result, StoreError};
pub use import::{expand_paths, FileKind, FileReport, ImportOptions, ImportOutcome, Progress};
pub use links::Link;
pub(crate) use load::program_labels_by_rid;
pub use mapping::{ProjectMapping, UnmappedLine, BENEVITY};
pub use migrations::SCHEMA_VERSION;

use crate::model::{Date, RecordKind, Status};
use crate::rules::{self, Book, EntryKind};
use rusqlite::{params, Connection, OptionalExtension};
use rustc_hash::FxHashSet;
use std::path::{Path, PathBuf};

/// An hours or donation entry by its id: its kind, row and status. Takes a connection so that
/// a transaction under way (links) can look entries up too.
fn find_entry_in(conn: &Connection, id: &str) -> Result<(EntryKind, i64, Status)> {
    for kind in [EntryKind::Hours, EntryKind::Donation] {
        let sql = format!("SELECT rid, status FROM {} WHERE id = ?1", kind.record_kind().name());
        let found: Option<(i64, String)> = conn.query_row(&sql, [id], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
        if let Some((rid, status)) = found {
            return Ok((kind, rid, status.parse().unwrap_or(Status::Logged)));
        }
    }
    Err(StoreError::UnknownId(id.to_string()))
}

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

    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// How many records of each kind the book holds.
    pub fn counts(&self) -> Result<Vec<(RecordKind, u64)>> {
        RecordKind::ALL
            .into_iter()
            .map(|kind| {
                let n: i64 = self.conn.query_row(&format!("SELECT count(*) FROM {}", kind.name()), [], |r| r.get(0))?;
                Ok((kind, n as u64))
            })
            .collect()
    }

    /// The ids of entries given by kind and row, in the same order. Many are found in one pass
    /// over their table, a few by one lookup each.
    pub fn entry_ids(&self, entries: &[(EntryKind, i64)]) -> Result<Vec<String>> {
        self.entry_ids_scanning_from(entries, 1000)
    }

    /// [`Store::entry_ids`], reading a whole table when at least `scan_from` of its entries are asked.
    fn entry_ids_scanning_from(&self, entries: &[(EntryKind, i64)], scan_from: usize) -> Result<Vec<String>> {
        let mut order: Vec<u32> = (0..entries.len() as u32).collect();
        order.sort_unstable_by_key(|&i| entries[i as usize]);
        let mut ids = vec![String::new(); entries.len()];
        for kind in [EntryKind::Hours, EntryKind::Donation] {
            let wanted: Vec<u32> = order.iter().copied().filter(|&i| entries[i as usize].0 == kind).collect();
            let table = kind.record_kind().name();
            let missing = |rid: i64| StoreError::Damaged(format!("no row {rid} in {table}"));
            if wanted.len() < scan_from {
                let mut stmt = self.conn.prepare_cached(&format!("SELECT id FROM {table} WHERE rid = ?1"))?;
                for i in wanted {
                    let rid = entries[i as usize].1;
                    ids[i as usize] = stmt.query_row([rid], |r| r.get(0)).optional()?.ok_or_else(|| missing(rid))?;
                }
                continue;
            }
            let mut stmt = self.conn.prepare(&format!("SELECT rid, id FROM {table} ORDER BY rid"))?;
            let mut rows = stmt.query([])?;
            // The last row read: its rid, and its id when wanted (only those are copied).
            let mut row: Option<(i64, Option<String>)> = None;
            for i in wanted {
                let rid = entries[i as usize].1;
                while row.as_ref().is_none_or(|(r, _)| *r < rid) {
                    let r = rows.next()?.ok_or_else(|| missing(rid))?;
                    let at: i64 = r.get(0)?;
                    row = Some((at, if at == rid { Some(r.get(1)?) } else { None }));
                }
                match &row {
                    Some((r, Some(id))) if *r == rid => ids[i as usize].clone_from(id),
                    _ => return Err(missing(rid)),
                }
            }
        }
        Ok(ids)
    }

    /// Loads the book and runs the rules as of `as_of`, without touching the cache.
    pub fn evaluate(&self, as_of: Date) -> Result<Results> {
        let (book, rows) = load::load_book(&self.conn)?;
        let evaluation = rules::evaluate(&book, as_of);
        Ok(Results { book, evaluation, rows })
    }

    /// Finds an hours or donation entry by its id.
    pub fn find_entry(&self, id: &str) -> Result<(EntryKind, i64)> {
        let (kind, rid, _) = find_entry_in(&self.conn, id)?;
        Ok((kind, rid))
    }

    /// Writes every record of `kind` as the contract's CSV, ids included; returns the row count.
    pub fn export_kind(&self, kind: RecordKind, out: impl std::io::Write) -> Result<u64> {
        load::export_kind(&self.conn, kind, out, |_| true)
    }

    /// Writes one of the book's other files (see [`BookFile`]) as CSV; returns the rows written.
    pub fn export_book_file(&self, kind: BookFile, out: impl std::io::Write) -> Result<u64> {
        book_files::export(&self.conn, kind, out)
    }

    /// Like [`Store::export_kind`], only the records `keep` accepts (called once per record, in
    /// the order they were added).
    pub fn export_kind_where(
        &self,
        kind: RecordKind,
        out: impl std::io::Write,
        keep: impl FnMut(&crate::model::Record) -> bool,
    ) -> Result<u64> {
        load::export_kind(&self.conn, kind, out, keep)
    }

    /// Every name (employers, projects, payers) and contributor, indexed by their row id as the
    /// records refer to them (index 0 is unused).
    pub fn names_and_people(&self) -> Result<(Vec<String>, Vec<crate::model::Person>)> {
        let load::Lookup { names, people } = load::lookup(&self.conn)?;
        Ok((names, people))
    }

    /// Every contributor as rows name them (one per name and email), sorted by name.
    pub fn contributors(&self) -> Result<Vec<crate::model::Person>> {
        let mut stmt = self.conn.prepare("SELECT name, email FROM contributors ORDER BY key")?;
        let people = stmt
            .query_map([], |r| Ok(crate::model::Person { name: r.get(0)?, email: r.get(1)? }))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(people)
    }

    /// The projects and employers the records name, sorted, for forms to offer.
    pub fn names_in_use(&self) -> Result<NamesInUse> {
        let ids = |sql: &str| -> Result<FxHashSet<i64>> {
            let mut stmt = self.conn.prepare(sql)?;
            let ids = stmt.query_map([], |r| r.get::<_, Option<i64>>(0))?.filter_map(|id| id.transpose());
            Ok(ids.collect::<rusqlite::Result<_>>()?)
        };
        // While the results cache is current its monthly sums name every entry's project and
        // employer: reading them is much faster than a scan of every entry, at every start of the
        // app.
        let (mut projects, mut employers) = match (
            cache::names_in_monthly_sums(&self.conn, "project")?,
            cache::names_in_monthly_sums(&self.conn, "employer")?,
        ) {
            (Some(projects), Some(employers)) => (projects, employers),
            _ => (
                ids("SELECT DISTINCT project FROM hours UNION SELECT project FROM donations")?,
                ids("SELECT DISTINCT employer FROM hours UNION SELECT employer FROM donations")?,
            ),
        };
        projects.extend(ids("SELECT project FROM payments")?);
        employers.extend(ids("SELECT employer FROM programs UNION SELECT employer FROM employments")?);
        let mut stmt = self.conn.prepare("SELECT id, name FROM names ORDER BY key")?;
        let (mut in_projects, mut in_employers) = (Vec::new(), Vec::new());
        for name in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
            let (id, name) = name?;
            if employers.contains(&id) {
                in_employers.push(name.clone());
            }
            if projects.contains(&id) {
                in_projects.push(name);
            }
        }
        Ok(NamesInUse { projects: in_projects, employers: in_employers })
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
    #[test]
    fn new_ids_have_at_least_eight_digits() {
        for seq in [0, 1, 7, 10, 12_345_678, 99_999_999, 100_000_000, 1_234_567_890_123, i64::MAX] {
            let id = super::import::record_id(crate::model::RecordKind::Hours, "k3x9q", seq);
            assert_eq!(id, format!("h-k3x9q-{seq:08}"));
        }
    }

    /// Looked up one by one or found in a pass over the tables, the ids are the same, in the order
    /// asked, duplicates included; a row that is not there is an error.
    #[test]
    fn entry_ids_come_back_in_the_order_asked_however_they_are_found() {
        use crate::rules::EntryKind::{Donation, Hours};
        let dir = tempfile::tempdir().unwrap();
        let mut store = super::Store::open(&dir.path().join("book.sqlite")).unwrap();
        let book = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/book");
        store.import(&[book], &super::ImportOptions::default(), &mut |_| {}).unwrap();
        let rid = |table: &str, id: &str| {
            store
                .conn
                .query_row(&format!("SELECT rid FROM {table} WHERE id = ?1"), [id], |r| r.get::<_, i64>(0))
                .unwrap()
        };
        let mut asked = Vec::new();
        let mut expected = Vec::new();
        for (kind, table) in [(Hours, "hours"), (Donation, "donations")] {
            let mut stmt = store.conn.prepare(&format!("SELECT id FROM {table} ORDER BY id DESC")).unwrap();
            for id in stmt.query_map([], |r| r.get::<_, String>(0)).unwrap().map(Result::unwrap) {
                asked.push((kind, rid(table, &id)));
                expected.push(id);
            }
        }
        asked.push(asked[0]);
        expected.push(expected[0].clone());
        assert!(asked.len() > 50);
        assert_eq!(store.entry_ids_scanning_from(&asked, usize::MAX).unwrap(), expected);
        assert_eq!(store.entry_ids_scanning_from(&asked, 0).unwrap(), expected);
        for scan_from in [0, usize::MAX] {
            assert!(store.entry_ids_scanning_from(&[(Hours, 1_000_000)], scan_from).is_err());
        }
    }

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
