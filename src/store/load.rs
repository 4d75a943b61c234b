//! Reading the book back: into the engine's [`Book`], into CSV, and writing the engine's results.

use super::rows::{date, lookup, parsed, program_from_row, select, table_columns, Lookup};
use super::{cache, StoreError};
use crate::model::*;
use crate::money::Currency;
use crate::rules::{keep_text, Book, EmploymentRef, Entry, ProgramIds, TextSpan};
use rusqlite::{Connection, OpenFlags};
use rustc_hash::FxHashMap;
use std::mem::MaybeUninit;

type Result<T> = std::result::Result<T, StoreError>;

/// Loads everything the rules engine needs. Also returns each entry's table and row.
pub(super) fn load_book(conn: &Connection) -> Result<(Book, Vec<(EntryKind, i64)>)> {
    load_book_parallel_from(conn, PARALLEL_LOAD_FROM)
}

/// [`load_book`], on two threads when the book has at least `parallel_from` hour entries.
fn load_book_parallel_from(conn: &Connection, parallel_from: usize) -> Result<(Book, Vec<(EntryKind, i64)>)> {
    let Lookup { names, people } = lookup(conn)?;
    let mut book = Book { names, people, ..Book::default() };
    let mut stmt = conn.prepare(&select(RecordKind::Programs, ""))?;
    book.programs = stmt.query_map([], |r| program_from_row(r, &book.names))?.collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare(&select(RecordKind::Employments, ""))?;
    book.employments = stmt
        .query_map([], |r| {
            Ok(EmploymentRef {
                person: r.get(0)?,
                employer: r.get(1)?,
                start: date(&r.get::<_, String>(2)?)?,
                end: r.get::<_, Option<String>>(3)?.map(|t| date(&t)).transpose()?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let (hours, donations) = (rid_range(conn, "hours")?, rid_range(conn, "donations")?);
    let mut entries = Entries::with_capacity(room_for(hours) + room_for(donations));
    // A big book's later hours are read on a second connection, in parallel: reading its rows
    // (dates parsed, ids and descriptions copied) would keep one core busy for most of a load.
    // Only outside a transaction, since the second connection sees only what is committed.
    let second = conn.path().filter(|p| {
        let room = room_for(hours);
        !p.is_empty() && room >= parallel_from.max(2) && room < ROOM_AT_MOST && conn.is_autocommit()
    });
    match (second, hours) {
        (Some(path), Some(range)) => entries.read_hours_in_two(conn, path, range)?,
        _ => entries.read(conn, EntryKind::Hours, i64::MIN..=i64::MAX)?,
    }
    entries.read(conn, EntryKind::Donation, i64::MIN..=i64::MAX)?;
    book.entries = entries.entries;
    book.texts = entries.texts;
    Ok((book, entries.rows))
}

/// The first and last row id of `table`, if it has rows: two descents of its b-tree, where a
/// count reads every row.
fn rid_range(conn: &Connection, table: &str) -> Result<Option<(i64, i64)>> {
    let end =
        |which: &str| conn.query_row(&format!("SELECT {which}(rid) FROM {table}"), [], |r| r.get::<_, Option<i64>>(0));
    Ok(end("min")?.zip(end("max")?))
}

/// How many rows a table's [`rid_range`] can hold (its rows, unless some were deleted): room
/// made for them at once, up to a bound, instead of growing by doubling.
fn room_for(range: Option<(i64, i64)>) -> usize {
    range.map_or(0, |(first, last)| {
        usize::try_from(last.saturating_sub(first)).map_or(ROOM_AT_MOST, |n| n.saturating_add(1).min(ROOM_AT_MOST))
    })
}

/// The most entries [`room_for`] makes room for at once.
const ROOM_AT_MOST: usize = 1 << 26;

/// Books with fewer hour entries load on one thread: a second would not pay for itself.
const PARALLEL_LOAD_FROM: usize = 100_000;

/// Entries as the engine takes them, their texts, and the table and row of each.
struct Entries {
    entries: Vec<Entry>,
    /// What the entries' [`TextSpan`]s point into: a buffer per loading thread, so that each
    /// thread allocates in its own arena (glibc keeps what is freed there for that arena).
    texts: String,
    rows: Vec<(EntryKind, i64)>,
}

impl Entries {
    fn with_capacity(n: usize) -> Entries {
        Entries { entries: Vec::with_capacity(n), texts: String::new(), rows: Vec::with_capacity(n) }
    }

    /// Reads the entries of `kind` whose row ids are in `rids`, in row order, after those read
    /// before.
    fn read(&mut self, conn: &Connection, kind: EntryKind, rids: std::ops::RangeInclusive<i64>) -> Result<()> {
        let Entries { entries, texts, rows } = self;
        read_entries(conn, kind, rids, texts, |entry, row| {
            entries.push(entry);
            rows.push(row);
            Ok(())
        })
    }

    /// Reads the hours whose row ids are in `first..=last`, the later half on a second, read-only
    /// connection to the book at `path`, while this one reads the first. Each half is read
    /// straight into its place, room for which the row ids tell (unique, so a half holds at most
    /// as many rows as its ids), instead of the later half being copied after the first.
    fn read_hours_in_two(&mut self, conn: &Connection, path: &str, (first, last): (i64, i64)) -> Result<()> {
        let split = first + (last - first) / 2 + 1;
        let (first_room, later_room) = ((split - first) as usize, (last - split + 1) as usize);
        let Entries { entries, texts, rows } = self;
        entries.reserve(first_room + later_room);
        rows.reserve(first_room + later_room);
        let start = entries.len();
        assert_eq!(start, rows.len(), "an entry's row goes with it");
        let (first_entries, later_entries) =
            entries.spare_capacity_mut()[..first_room + later_room].split_at_mut(first_room);
        let (first_rows, later_rows) = rows.spare_capacity_mut()[..first_room + later_room].split_at_mut(first_room);
        let (first_count, (later_count, later_texts)) = std::thread::scope(|scope| -> Result<_> {
            let later = scope.spawn(move || -> Result<(usize, String)> {
                let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
                let conn = Connection::open_with_flags(path, flags)?;
                let mut texts = String::new();
                let count = read_hours_into(&conn, split..=last, later_entries, later_rows, &mut texts)?;
                Ok((count, texts))
            });
            let count = read_hours_into(conn, first..=split - 1, first_entries, first_rows, texts)?;
            Ok((count, later.join().expect("the loading thread does not panic")?))
        })?;
        // The later half follows the first without a gap (rows deleted from the first half leave one).
        let later_at = first_room..first_room + later_count;
        entries.spare_capacity_mut().copy_within(later_at.clone(), first_count);
        rows.spare_capacity_mut().copy_within(later_at, first_count);
        let end = start + first_count + later_count;
        // SAFETY: read_hours_into initialised the first `first_count` slots of the spare capacity
        // and the `later_count` slots from `first_room`, which were just copied to follow them.
        unsafe {
            entries.set_len(end);
            rows.set_len(end);
        }
        let by = u32::try_from(texts.len()).map_err(|_| too_much_text())?;
        keep_text(texts, &later_texts).ok_or_else(too_much_text)?;
        // Every span ends within the texts just kept, so none overflows.
        let shift = |span: TextSpan| span.shifted(by).expect("the texts fit in 4 GiB");
        for entry in &mut entries[start + first_count..] {
            (entry.id, entry.description) = (shift(entry.id), shift(entry.description));
        }
        Ok(())
    }
}

/// Reads the hours whose row ids are in `rids` into the first of `entries` and `rows`, keeping
/// their texts in `texts`; returns how many.
fn read_hours_into(
    conn: &Connection,
    rids: std::ops::RangeInclusive<i64>,
    entries: &mut [MaybeUninit<Entry>],
    rows: &mut [MaybeUninit<(EntryKind, i64)>],
    texts: &mut String,
) -> Result<usize> {
    let mut count = 0;
    read_entries(conn, EntryKind::Hours, rids, texts, |entry, row| {
        let (Some(entry_slot), Some(row_slot)) = (entries.get_mut(count), rows.get_mut(count)) else {
            return Err(StoreError::Damaged("more hours than row ids in a range: the book is damaged".into()));
        };
        entry_slot.write(entry);
        row_slot.write(row);
        count += 1;
        Ok(())
    })?;
    Ok(count)
}

/// Calls `put` with each entry of `kind` whose row id is in `rids`, in row order, and its table
/// and row, keeping the entries' ids and descriptions in `texts`.
fn read_entries(
    conn: &Connection,
    kind: EntryKind,
    rids: std::ops::RangeInclusive<i64>,
    texts: &mut String,
    mut put: impl FnMut(Entry, (EntryKind, i64)) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare(&select(kind.record_kind(), "WHERE rid BETWEEN ?1 AND ?2"))?;
    let mut result = stmt.query([rids.start(), rids.end()])?;
    // date, contributor, employer, project, hours|amount, description|currency, status, the
    // status dates (not the engine's), id, rid
    let id_at = table_columns(kind.record_kind()).len();
    while let Some(r) = result.next()? {
        let sixth = r.get_ref(5)?.as_str()?;
        let (currency, description) = match kind {
            EntryKind::Hours => (None, sixth),
            EntryKind::Donation => (Some(parsed::<Currency>(sixth)?), ""),
        };
        let mut keep = |text| keep_text(texts, text).ok_or_else(too_much_text);
        let (id, description) = (keep(r.get_ref(id_at)?.as_str()?)?, keep(description)?);
        let entry = Entry {
            id,
            kind,
            date: date(r.get_ref(0)?.as_str()?)?,
            person: r.get(1)?,
            employer: r.get(2)?,
            project: r.get(3)?,
            quantity: r.get(4)?,
            currency,
            status: parsed(r.get_ref(6)?.as_str()?)?,
            description,
        };
        put(entry, (kind, r.get(id_at + 1)?))?;
    }
    Ok(())
}

fn too_much_text() -> StoreError {
    StoreError::Refused("the book's entry ids and descriptions pass 4 GiB, more than Matchbook can load".into())
}

/// [`cache::program_labels`] by the versions' row ids, for reading the results cache.
pub(super) fn program_labels_by_rid(conn: &Connection) -> Result<FxHashMap<i64, String>> {
    let Lookup { names, people } = lookup(conn)?;
    let mut book = Book { names, people, ..Book::default() };
    let mut stmt = conn.prepare(&select(RecordKind::Programs, ""))?;
    let mut rids = Vec::new();
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        book.programs.push(program_from_row(r, &book.names)?);
        rids.push(r.get(table_columns(RecordKind::Programs).len() + 1)?);
    }
    let labels = cache::program_labels(&book, &ProgramIds::of(&book));
    Ok(rids.into_iter().zip(labels).collect())
}

pub(super) fn program_rids(conn: &Connection) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare("SELECT rid FROM programs ORDER BY rid")?;
    let rids = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(rids)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The second thread's rows come back where one thread would have put them.
    #[test]
    fn a_book_loads_the_same_on_two_threads_as_on_one() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = super::super::Store::open_or_create(&dir.path().join("book.sqlite")).unwrap();
        let book = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/book");
        store.import(&[book], &super::super::ImportOptions::default(), &mut |_| {}).unwrap();
        let (one, one_rows) = load_book_parallel_from(&store.conn, usize::MAX).unwrap();
        let (two, two_rows) = load_book_parallel_from(&store.conn, 2).unwrap();
        assert!(one.entries.len() > 50 && one.entries.iter().any(|e| e.kind == EntryKind::Donation));
        assert_eq!(one.entries, two.entries);
        assert_eq!(one.texts, two.texts);
        assert!((0..one.entries.len() as u32).all(|e| one.entry_id(e).len() > 2));
        assert_eq!(one_rows, two_rows);
        // Row ids in order, every one once: hours, then donations.
        let mut sorted = one_rows.clone();
        sorted.sort_by_key(|&(kind, rid)| (std::cmp::Reverse(kind), rid));
        sorted.dedup();
        assert_eq!(sorted, one_rows);
        // Split at the middle row id, however many rows lie on each side of it.
        store.conn.execute_batch("DELETE FROM hours WHERE rid < 40 OR rid % 3 = 0").unwrap();
        let (one, one_rows) = load_book_parallel_from(&store.conn, usize::MAX).unwrap();
        let (two, two_rows) = load_book_parallel_from(&store.conn, 2).unwrap();
        assert!(one.entries.len() > 10);
        assert_eq!((one.entries, one.texts, one_rows), (two.entries, two.texts, two_rows));
    }
}
