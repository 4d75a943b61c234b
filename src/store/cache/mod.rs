//! The results cache: the rules engine's awards for one report date, packed a day per row
//! ([`awards`]), and their sums per grouping, month and currency ([`monthly_sums`]), so that a
//! report reads results instead of running the engine over the whole book.
//!
//! Invariants:
//! - the cache is disposable. Its schema is `schema.sql` with its own [`CACHE_VERSION`]; a book
//!   whose cache was made at another version drops every `cache_*` table and makes them again, so
//!   a change to the cache's shape is never a migration of the book;
//! - a stored result never disagrees with the records: the cache is read only while it was
//!   computed from the book's current `records_version` and for a report date inside its validity
//!   range (no logged claim's deadline falls between); else [`Store::refresh_results`] recomputes
//!   it first. A recompute labels the cache with the version it read before loading, so a write by
//!   another process during the load leaves the cache stale, never wrong;
//! - every reader goes through [`Store::for_each_award`] or [`Store::for_each_monthly_sum`]: the
//!   packings are private to their files.

mod awards;
mod monthly_sums;
mod varint;

pub use awards::CachedAward;
pub(crate) use awards::Days;
pub use monthly_sums::{Key as MonthlySumKey, Sums as MonthlySums};

use super::{load, records_version, release_memory, Result, Results, Store};
use crate::model::EntryKind;
use crate::model::{iso, Date, ProgramVersion};
use crate::money::Currency;
use crate::people::Identities;
use crate::rules::{self, Book, ProgramIds};
use rusqlite::Connection;
use rustc_hash::{FxHashMap, FxHashSet};

/// The shape of the cache's tables and blobs. Change it with any change to `schema.sql`, to a
/// packing or to what a cached award holds: books then rebuild their cache instead of reading it.
const CACHE_VERSION: u32 = 1;

/// Makes the cache's tables unless the book has them at [`CACHE_VERSION`], dropping those of any
/// other version (and their results) first. A book that cannot be written now (read-only, or
/// another process writing it) gets a cache in memory instead, for as long as it is open.
pub(super) fn prepare(store: &mut Store) -> Result<()> {
    let has_state: bool = store.conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'cache_state'",
        [],
        |r| r.get(0),
    )?;
    if has_state && state(&store.conn, "version")?.as_deref() == Some(CACHE_VERSION.to_string().as_str()) {
        return Ok(());
    }
    let Some(tx) = store.try_begin_write()? else {
        return in_memory(&store.conn);
    };
    let tables: Vec<String> = tx
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB 'cache_*'")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for table in tables {
        tx.execute_batch(&format!("DROP TABLE \"{table}\""))?;
    }
    tx.execute_batch(include_str!("schema.sql"))?;
    set_state(&tx, "version", &CACHE_VERSION.to_string())?;
    tx.commit()
}

/// Keeps this connection's cache in memory, in temporary tables of the same names, which hide
/// the book's own from then on: reports of a book that cannot be written compute without writing
/// it.
fn in_memory(conn: &Connection) -> Result<()> {
    let made: bool = conn.query_row(
        "SELECT count(*) > 0 FROM temp.sqlite_master WHERE type = 'table' AND name = 'cache_state'",
        [],
        |r| r.get(0),
    )?;
    if !made {
        conn.execute_batch(&include_str!("schema.sql").replace("CREATE TABLE", "CREATE TEMP TABLE"))?;
        set_state(conn, "version", &CACHE_VERSION.to_string())?;
    }
    Ok(())
}

fn state(conn: &Connection, key: &str) -> Result<Option<String>> {
    super::value_of(conn, "cache_state", key)
}

fn set_state(conn: &Connection, key: &str, value: &str) -> Result<()> {
    super::set_value(conn, "cache_state", key, value)
}

/// Whether the cache holds the results of the book's current records (for any report date).
fn is_current(conn: &Connection) -> Result<bool> {
    let version = records_version(conn)?;
    Ok(!version.is_empty() && state(conn, "computed_from")?.as_deref() == Some(version.as_str()))
}

/// Whether the cache holds the results of the book's current records for the report date `as_of`.
fn is_fresh(conn: &Connection, as_of: Date) -> Result<bool> {
    let as_of = iso(as_of);
    Ok(is_current(conn)?
        && state(conn, "valid_from")?.is_some_and(|from| from <= as_of)
        && state(conn, "valid_to")?.is_some_and(|to| to >= as_of))
}

impl Store {
    /// Makes sure the cached results hold for `as_of`, recomputing them if not. Returns whether
    /// it recomputed.
    pub fn refresh_results(&mut self, as_of: Date) -> Result<bool> {
        if is_fresh(&self.conn, as_of)? {
            return Ok(false);
        }
        let version = records_version(&self.conn)?;
        // The whole book is about to be in memory: first give back what SQLite caches, and again
        // once the load has filled its cache.
        release_memory(&self.conn)?;
        let (book, rows) = load::load_book(&self.conn)?;
        release_memory(&self.conn)?;
        let evaluation = rules::evaluate(&book, as_of);
        let (valid_from, valid_to) = (evaluation.valid_from, evaluation.valid_to);
        let results = Results { book, evaluation, rows };
        let store = |tx: &Connection| -> Result<()> {
            store_results(tx, results)?;
            // Labelled with the version read before the load: another process's write during the
            // load (which two connections may each have seen or not) leaves the cache stale, not
            // wrong.
            set_state(tx, "computed_from", &version)?;
            set_state(tx, "valid_from", &iso(valid_from))?;
            set_state(tx, "valid_to", &iso(valid_to))
        };
        if self.cache_in_memory()? {
            let tx = self.conn.unchecked_transaction()?;
            store(&tx)?;
            tx.commit()?;
        } else if let Some(tx) = self.try_begin_write()? {
            store(&tx)?;
            tx.commit()?;
        } else {
            // Another process writes the book, or it is read-only: the report need not wait.
            in_memory(&self.conn)?;
            let tx = self.conn.unchecked_transaction()?;
            store(&tx)?;
            tx.commit()?;
        }
        release_memory(&self.conn)?;
        Ok(true)
    }

    /// Whether this connection keeps its cache in memory (see [`in_memory`]).
    fn cache_in_memory(&self) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT count(*) > 0 FROM temp.sqlite_master WHERE type = 'table' AND name = 'cache_state'",
            [],
            |r| r.get(0),
        )?)
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

    /// Calls `f` with the monthly sums of grouping `dim` (project, employer, contributor or
    /// program) in the months `first..=last` (`YYYY-MM`): month, currency, key and sums. The cache
    /// must be fresh: call [`Store::refresh_results`] first.
    pub fn for_each_monthly_sum(
        &self,
        dim: &str,
        first: &str,
        last: &str,
        f: impl FnMut(&str, Currency, MonthlySumKey, &MonthlySums) -> Result<()>,
    ) -> Result<()> {
        monthly_sums::for_each(&self.conn, dim, first, last, f)
    }

    /// Every award of the results cache, read at once and unpacked by [`Days::for_each`] (on
    /// another thread, say). The cache must be fresh.
    pub(crate) fn packed_awards(&self) -> Result<Days> {
        Days::read(&self.conn)
    }
}

/// The name ids that the monthly sums of grouping `dim` hold, while the cache holds the current
/// records' results (for any report date: every entry has an award); `None` otherwise.
pub(super) fn names_in_monthly_sums(conn: &Connection, dim: &str) -> Result<Option<FxHashSet<i64>>> {
    if !is_current(conn)? {
        return Ok(None);
    }
    let mut keys = FxHashSet::default();
    monthly_sums::for_each(conn, dim, "0000-00", "9999-99", |_, _, key, _| {
        if let MonthlySumKey::Id(id) = key {
            keys.insert(id.into());
        }
        Ok(())
    })?;
    Ok(Some(keys))
}

/// Replaces the cached results with `results`: every award, packed day by day (see [`awards`]),
/// and their monthly sums. Frees the results once packed.
fn store_results(conn: &Connection, results: Results) -> Result<()> {
    let program_rids = load::program_rids(conn)?;
    let cached = CachedAwards::new(&results, &program_rids);
    // The awards are packed here while a second thread sums them by month: both only read them.
    let (days, sums) = std::thread::scope(|scope| {
        let sums = scope.spawn(|| monthly_sums::Dense::of(&cached));
        let (book, evaluation) = (&results.book, &results.evaluation);
        let mut days = Days::new(evaluation.awards.iter().map(|a| book.entries[a.entry as usize].date));
        cached.for_each(|_, award| days.add(&award));
        (days, sums.join().expect("summing awards does not panic"))
    });
    let labels = program_labels(&results.book, &cached.ids);
    let CachedAwards { ids, .. } = cached;
    // What follows needs only the packed awards and sums: writing them grows SQLite's cache.
    drop(results);
    days.write(conn)?;
    sums.write(conn, &ids, &labels)?;
    Ok(())
}

/// The engine's awards as the results cache keeps them ([`CachedAward`]).
struct CachedAwards<'a> {
    results: &'a Results,
    /// By contributor row: the first row of the same person, which stands for them in reports.
    representative: Vec<u32>,
    /// By program version (as [`Book::programs`]): its row id.
    program_rids: &'a [i64],
    ids: ProgramIds,
}

impl<'a> CachedAwards<'a> {
    fn new(results: &'a Results, program_rids: &'a [i64]) -> CachedAwards<'a> {
        let book = &results.book;
        let identities = Identities::new(&book.people);
        let mut first_row: FxHashMap<u32, u32> = FxHashMap::default();
        let representative =
            (0..book.people.len() as u32).map(|row| *first_row.entry(identities.person(row)).or_insert(row)).collect();
        CachedAwards { results, representative, program_rids, ids: ProgramIds::of(book) }
    }

    /// Calls `f` with each award's program version and cached form, in the engine's order (by
    /// entry, as loaded), which reads the book's entries in order.
    fn for_each(&self, mut f: impl FnMut(Option<u32>, CachedAward)) {
        let Results { book, evaluation, rows } = self.results;
        let mut currencies_seen: Vec<Currency> = Vec::new();
        let mut last_entry = u32::MAX;
        for award in &evaluation.awards {
            let entry = &book.entries[award.entry as usize];
            if award.entry != last_entry {
                currencies_seen.clear();
                last_entry = award.entry;
            }
            // An entry's hours and gift count once per currency, however many programs it meets.
            let first_in_currency = !currencies_seen.contains(&award.currency);
            currencies_seen.push(award.currency);
            let (hours, gift) = match (entry.kind, first_in_currency) {
                (_, false) => (0, 0),
                (EntryKind::Hours, true) => (entry.quantity, 0),
                (EntryKind::Donation, true) => (0, entry.quantity),
            };
            let (kind, rid) = rows[award.entry as usize];
            let cached = CachedAward {
                kind,
                entry_rid: rid,
                program_rid: award.program.map(|v| self.program_rids[v as usize]),
                date: entry.date,
                contributor: self.representative[entry.person as usize],
                employer: award.program.map_or(entry.employer, |v| self.ids.employer[v as usize]),
                project: entry.project,
                currency: award.currency,
                status: entry.status,
                hours,
                gift,
                base: award.base,
                expected: award.expected,
                fee: award.fee,
                deadline: award.deadline,
                reasons: award.reason_bits(),
                lost_to_cap: award.lost_to_cap(),
                lost_to_deadline: award.lost_to_deadline(),
            };
            f(award.program, cached);
        }
    }
}

/// The name each program version's program goes by in reports, indexed like `book.programs`: the
/// first version's "program (employer)", so that a later version that spells the name in another
/// case still counts under the same program.
pub(super) fn program_labels(book: &Book, ids: &ProgramIds) -> Vec<String> {
    let mut first: FxHashMap<u32, &ProgramVersion> = FxHashMap::default();
    (ids.program.iter().zip(&book.programs))
        .map(|(program, version)| {
            let first = first.entry(*program).or_insert(version);
            format!("{} ({})", first.program, first.employer)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::report::{self, GroupBy, Period};
    use crate::store::{ImportOptions, Store};

    /// A cache made by another `CACHE_VERSION` is dropped, never read, however fresh it says it is.
    #[test]
    fn a_cache_of_another_version_is_rebuilt_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("book.sqlite");
        let as_of = "2025-12-31".parse().unwrap();
        let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/book");
        let mut store = Store::open_or_create(&path).unwrap();
        store.import(&[sample], &ImportOptions::default(), &mut |_| {}).unwrap();
        let expected = report::expected(&mut store, GroupBy::Project, Period::year(2025), as_of).unwrap();
        // Another version's cache that says it is fresh, with blobs no packing writes, and a
        // table this version does not know.
        store
            .conn
            .execute_batch(
                "UPDATE cache_state SET value = '0' WHERE key = 'version';
                 UPDATE cache_award_days SET awards = x'ff';
                 UPDATE cache_monthly_sums SET sums = x'ff';
                 CREATE TABLE cache_of_the_future (x);",
            )
            .unwrap();
        drop(store);
        let mut store = Store::open(&path).unwrap();
        let gone: i64 = store.conn.query_row("SELECT count(*) FROM cache_award_days", [], |r| r.get(0)).unwrap();
        assert_eq!(gone, 0);
        assert!(store.conn.prepare("SELECT * FROM cache_of_the_future").is_err());
        let again = report::expected(&mut store, GroupBy::Project, Period::year(2025), as_of).unwrap();
        assert_eq!(again, expected);
        let period = Period { from: "2025-02-14".parse().ok(), to: "2025-03-20".parse().ok() };
        assert!(!report::expected(&mut store, GroupBy::Project, period, as_of).unwrap().rows.is_empty());
    }
}
