//! The book: one SQLite file holding the records, and a cache of the rules engine's results.
//!
//! Invariants:
//! - every write of records happens in one transaction that also bumps `records_version`; an
//!   import that fails at any row rolls back entirely;
//! - the cached results (`award_days`, `award_deadlines`, `rollup`) are used only while they were
//!   computed from the current `records_version` and for a report date inside their validity
//!   range; otherwise [`Store::refresh_results`] recomputes them first.

mod awards;
mod book_files;
mod edit;
mod import;
mod links;
mod load;
mod mapping;
mod rollup;
mod varint;
mod write_statement;

pub use awards::CachedAward;
pub use book_files::BookFile;
pub use edit::{fields_of, reader_of_fields, Fields, WriteError};
pub use import::{expand_paths, FileKind, FileReport, ImportOptions, ImportOutcome, Progress};
pub use links::Link;
pub(crate) use load::program_labels_by_rid;
pub use mapping::{ProjectMapping, UnmappedLine, BENEVITY};
pub use rollup::{Key as RollupKey, Sums as RollupSums};

use crate::model::{Date, RecordKind, Status};
use crate::money::Currency;
use crate::rules::{self, Book, EntryKind};
use rusqlite::{params, Connection, OptionalExtension};
use rusqlite_migration::{Migrations, M};
use rustc_hash::FxHashSet;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database {path}: {source}")]
    Open { path: String, source: rusqlite::Error },
    #[error("database {path}: cannot migrate the schema: {source}")]
    Migrate { path: String, source: rusqlite_migration::Error },
    #[error("database: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("database: {0}")]
    Value(#[from] rusqlite::types::FromSqlError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("csv: {0}")]
    Csv(#[from] csv::Error),
    #[error("no record has the id {0:?}")]
    UnknownId(String),
    /// A request the book cannot answer, e.g. a malformed date in a filter.
    #[error("{0}")]
    Unsupported(String),
}

pub type Result<T> = std::result::Result<T, StoreError>;

fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("schema.sql")),
        M::up(include_str!("schema_2_losses.sql")),
        M::up(include_str!("schema_3_reconcile.sql")),
        M::up(include_str!("schema_4_award_days.sql")),
        M::up(include_str!("schema_5_packed_awards.sql")),
        M::up(include_str!("schema_6_rollup_by_key.sql")),
        M::up(include_str!("schema_7_awards_packed_against_the_previous.sql")),
        M::up(include_str!("schema_8_rollup_packed.sql")),
    ])
}

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
        // Pages of 16 KB for a new book (an existing one keeps its own): a million-entry book
        // imported and recomputed a few percent faster than with 4 KB, and the results cache's
        // day blobs span fewer pages.
        conn.pragma_update(None, "page_size", 16384)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // 32 MB of page cache: imports and recomputes of a million entries ran as fast as with
        // 64 MB, and the book's peak memory was 36 MB lower.
        conn.pragma_update(None, "cache_size", -32768)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        migrations().to_latest(&mut conn).map_err(|source| StoreError::Migrate { path: shown.clone(), source })?;
        let store = Store { conn, path: shown };
        if store.meta("book_tag")?.is_none() {
            store.set_meta("book_tag", &new_book_tag())?;
            store.set_meta("next_seq", "1")?;
            store.set_meta("records_version", "0")?;
        }
        // Schema 3 gave payments more columns; the identical-row rule needs digests over all.
        if store.meta("payments_digest")?.as_deref() != Some("3") {
            let tx = store.conn.unchecked_transaction()?;
            import::recompute_digests(&tx, RecordKind::Payments, None)?;
            set_meta(&tx, "payments_digest", "3")?;
            tx.commit()?;
        }
        Ok(store)
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self.conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    }

    fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        set_meta(&self.conn, key, value)
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

    /// Makes sure the cached results hold for `as_of`, recomputing them if not. Returns whether
    /// it recomputed.
    pub fn refresh_results(&mut self, as_of: Date) -> Result<bool> {
        let version = self.meta("records_version")?;
        let fresh = version.is_some()
            && self.meta("results_version")? == version
            && self.meta("results_valid_from")?.is_some_and(|f| f.as_str() <= iso(as_of).as_str())
            && self.meta("results_valid_to")?.is_some_and(|t| t.as_str() >= iso(as_of).as_str());
        if fresh {
            return Ok(false);
        }
        // The whole book is about to be in memory: first give back what SQLite caches, and again
        // once the load has filled its cache.
        self.release_memory()?;
        let (book, rows) = load::load_book(&self.conn)?;
        self.release_memory()?;
        let evaluation = rules::evaluate(&book, as_of);
        let (valid_from, valid_to) = (evaluation.valid_from, evaluation.valid_to);
        let tx = self.conn.transaction()?;
        load::store_results(&tx, Results { book, evaluation, rows })?;
        // Labelled with the version read before the load: another process's write during the load
        // (which two connections may each have seen or not) leaves the cache stale, not wrong.
        set_meta(&tx, "results_version", &version.unwrap_or_default())?;
        set_meta(&tx, "results_valid_from", &iso(valid_from))?;
        set_meta(&tx, "results_valid_to", &iso(valid_to))?;
        tx.commit()?;
        self.release_memory()?;
        Ok(true)
    }

    /// Calls `f` with each award of the results cache dated `from..=to` (every day when `None`), in
    /// date order. The cache must be fresh: call [`Store::refresh_results`] first.
    pub fn for_each_award(
        &self,
        from: Option<Date>,
        to: Option<Date>,
        f: impl FnMut(&CachedAward) -> Result<()>,
    ) -> Result<()> {
        awards::for_each(&self.conn, from, to, f)
    }

    /// Calls `f` with the monthly sums of grouping `dim` (project, employer, contributor or
    /// program) in the months `first..=last` (`YYYY-MM`): month, currency, key and sums. The cache
    /// must be fresh: call [`Store::refresh_results`] first.
    pub fn for_each_monthly_sum(
        &self,
        dim: &str,
        first: &str,
        last: &str,
        f: impl FnMut(&str, Currency, RollupKey, &RollupSums) -> Result<()>,
    ) -> Result<()> {
        rollup::for_each(&self.conn, dim, first, last, f)
    }

    /// Every award of the results cache, read at once and unpacked by [`awards::Days::for_each`]
    /// (on another thread, say). The cache must be fresh.
    pub(crate) fn packed_awards(&self) -> Result<awards::Days> {
        awards::Days::read(&self.conn)
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
            let missing = |rid: i64| StoreError::Unsupported(format!("no row {rid} in {table}"));
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

    /// Calls `f` with the awards of the results cache, in date order, of every day that holds a
    /// logged award whose claim deadline falls in `from..=to` (and with the other awards of those
    /// days too). The cache must be fresh.
    pub fn for_each_award_of_days_with_deadlines(
        &self,
        from: Date,
        to: Date,
        f: impl FnMut(&CachedAward) -> Result<()>,
    ) -> Result<()> {
        awards::for_each_of_days_with_deadlines(&self.conn, from, to, f)
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
        // employer: reading them takes a millisecond where scanning a million entries takes half
        // a second (at every start of the app).
        let version = self.meta("records_version")?;
        let (mut projects, mut employers) = if version.is_some() && self.meta("results_version")? == version {
            let keys = |dim: &str| -> Result<FxHashSet<i64>> {
                let mut keys = FxHashSet::default();
                rollup::for_each(&self.conn, dim, "0000-00", "9999-99", |_, _, key, _| {
                    if let RollupKey::Id(id) = key {
                        keys.insert(id.into());
                    }
                    Ok(())
                })?;
                Ok(keys)
            };
            (keys("project")?, keys("employer")?)
        } else {
            (
                ids("SELECT DISTINCT project FROM hours UNION SELECT project FROM donations")?,
                ids("SELECT DISTINCT employer FROM hours UNION SELECT employer FROM donations")?,
            )
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
        self.conn.execute_batch("PRAGMA shrink_memory")?;
        // glibc keeps what is freed for later use by the same arena, the other threads' arenas
        // included: trimming gives it back to the system.
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        // SAFETY: malloc_trim has no preconditions and may be called from any thread.
        unsafe {
            libc::malloc_trim(0);
        }
        Ok(())
    }

    /// Changes whenever any record changes.
    pub fn records_version(&self) -> Result<String> {
        Ok(self.meta("records_version")?.unwrap_or_default())
    }
}

pub(crate) fn set_meta(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
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

    #[test]
    fn schema_migrations_are_valid() {
        super::migrations().validate().unwrap();
    }

    /// A book whose results cache was made at schema 5 (monthly sums indexed after each fill)
    /// opens at the latest schema, recomputes, and reports as a new book does.
    #[test]
    fn a_book_with_a_schema_5_cache_reports_as_a_new_one() {
        use crate::report::{self, GroupBy, Period};
        let dir = tempfile::tempdir().unwrap();
        let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/book");
        let as_of: crate::model::Date = "2025-12-31".parse().unwrap();
        let report = |store: &mut super::Store| {
            (
                report::expected(store, GroupBy::Contributor, Period::year(2025), as_of).unwrap(),
                store.meta("results_version").unwrap(),
            )
        };
        let mut new = super::Store::open(&dir.path().join("new.sqlite")).unwrap();
        new.import(std::slice::from_ref(&sample), &super::ImportOptions::default(), &mut |_| {}).unwrap();
        let fresh = report(&mut new).0;

        let old = dir.path().join("old.sqlite");
        let mut conn = rusqlite::Connection::open(&old).unwrap();
        super::migrations().to_version(&mut conn, 5).unwrap();
        // The rows of a schema 5 cache, as its code wrote them: to be dropped, not read.
        conn.execute_batch(
            "INSERT INTO meta (key, value) VALUES ('results_version', '1');
             INSERT INTO rollup (dim, key, month, currency, hours, gift, expected, fee, lost_cap, lost_deadline)
                 VALUES ('contributor', 1, '2025-01', 'USD', 1, 0, 999999, 0, 0, 0);
             CREATE INDEX rollup_dim_month ON rollup(dim, month);",
        )
        .unwrap();
        drop(conn);
        let mut store = super::Store::open(&old).unwrap();
        store.import(&[sample], &super::ImportOptions::default(), &mut |_| {}).unwrap();
        let (migrated, version) = report(&mut store);
        assert_eq!(migrated, fresh);
        assert!(version.is_some());
    }

    /// Blobs packed the schema 6 way are never unpacked the schema 7 way.
    #[test]
    fn a_schema_6_cache_is_rebuilt_not_read() {
        use crate::report::{self, GroupBy, Period};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("book.sqlite");
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        super::migrations().to_version(&mut conn, 6).unwrap();
        // A cache that says it is fresh, with a blob no packing of either shape writes.
        conn.execute_batch(
            "INSERT INTO meta (key, value) VALUES ('book_tag', 'old'), ('next_seq', '1'),
                 ('records_version', '1'), ('results_version', '1'),
                 ('results_valid_from', '0001-01-01'), ('results_valid_to', '9999-12-31');
             INSERT INTO award_days (day, awards) VALUES (739302, x'ff');",
        )
        .unwrap();
        drop(conn);
        let mut store = super::Store::open(&path).unwrap();
        let as_of = "2025-12-31".parse().unwrap();
        // Loose ends, read from the days: 2025-02-20 among them.
        let period = Period { from: "2025-02-14".parse().ok(), to: "2025-03-20".parse().ok() };
        let lines = report::expected(&mut store, GroupBy::Project, period, as_of).unwrap();
        assert!(lines.rows.is_empty(), "{lines:?}");
        assert_eq!(store.meta("results_version").unwrap().as_deref(), Some("1"));
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
