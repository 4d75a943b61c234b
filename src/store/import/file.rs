//! One file's rows into the book: for each row, whether it adds a record, replaces one (same id)
//! or leaves the book as it is (same id and content, or an identical record already there).

use super::id_index::IdIndex;
use super::inserts::Inserts;
use super::read_ahead::{read_ahead, Batch, Read, Spent};
use super::resolver::write_new_names;
use super::source::Source;
use super::{FileKind, FileReport, Import, Progress, MAX_ERRORS};
use crate::ledger::LedgerError;
use crate::model::{iso, Date, Record, RecordKind, Status, StatusDates};
use crate::store::rows::{state_columns, status_dates, table_columns, values, Digests};
use crate::store::StoreError;
use rusqlite::types::{ToSqlOutput, Value};
use rusqlite::{params_from_iter, Transaction};
use rustc_hash::FxHashMap;
use std::sync::atomic::Ordering;

impl Import<'_> {
    /// Reads one file into the book. Without `write` it only counts what the file would add,
    /// replace or leave (a preview's shortcut, see `Store::import_sources_resolved`).
    pub(super) fn file(&mut self, reader: Source, write: bool) -> Result<FileReport, StoreError> {
        let Import { tx, resolver, new_ids, errors, program_lines, cancel, progress } = self;
        let tx: &Transaction = tx;
        let cancelled = || cancel.as_ref().is_some_and(|c| c.load(Ordering::Relaxed));
        let kind = reader.kind();
        let table = kind.name();
        let columns = table_columns(kind);
        let (format, warnings) = match &reader {
            Source::Ledger(reader) => (None, reader.warnings().to_vec()),
            Source::Report { format, warnings, .. } => (Some(format.clone()), warnings.clone()),
        };
        let mut report = FileReport {
            file: reader.file().to_string(),
            kind: FileKind::Records(kind),
            format,
            rows: 0,
            added: 0,
            replaced: 0,
            unchanged: 0,
            warnings,
        };
        // The book's ids, only for a file that has an id column: gathering a big book's ids takes
        // a while.
        let mut by_id = IdIndex::default();
        if reader.has_ids() {
            by_id.reserve(tx.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?);
            let state = state_columns(kind);
            let select = std::iter::once("id, rid, digest").chain(state.iter().copied()).collect::<Vec<_>>().join(", ");
            let mut stmt = tx.prepare(&format!("SELECT {select} FROM {table}"))?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let state = (3..3 + state.len()).map(|i| row.get_ref(i)).collect::<rusqlite::Result<Vec<_>>>()?;
                let digests = Digests::with_state(row.get(2)?, state);
                by_id.insert(row.get_ref(0)?.as_str()?, row.get(1)?, digests);
            }
        }
        let mut inserts = Inserts::new(tx, kind, write)?;
        // The records of the book before this file go up to this rid.
        let last_rid_before = inserts.last_rid;
        // Those records by identity: made at the file's first row without an id (a file with an
        // id in every row needs none), as they were before the file.
        let mut book: Option<BookContents> = None;
        // The records before the file that this file replaced: rid and identity (was, now), in order.
        let mut replaced: Vec<Replaced> = Vec::new();
        // How many rows of this file so far have each content that the book already holds.
        let mut seen: FxHashMap<i64, u32> = FxHashMap::default();
        let sets: Vec<String> = columns.iter().enumerate().map(|(i, c)| format!("{c} = ?{}", i + 3)).collect();
        let mut update = tx.prepare(&format!("UPDATE {table} SET digest = ?2, {} WHERE rid = ?1", sets.join(", ")))?;
        let total = std::fs::metadata(&report.file).map(|m| m.len()).unwrap_or(0);
        let mut file_errors = 0;
        std::thread::scope(|scope| -> Result<(), StoreError> {
            // Names are resolved on the thread with less to do: the reading one while rows are
            // written, this one in a preview's shortcut, which writes none.
            let mut kept = Some(resolver);
            let lent = if write { kept.take() } else { None };
            let (batches, spent) = read_ahead(scope, reader, lent);
            'file: for Batch { rows, new_names, bytes_read } in batches {
                write_new_names(tx, &new_names)?;
                // The rows go back to the reading thread to be freed there: its allocator's, and off
                // this thread, which the import waits on.
                let rows = Spent(rows, &spent);
                // New rows waiting to be written, borrowing this batch's texts.
                let mut pending = Vec::new();
                for row in rows.0.iter() {
                    report.rows += 1;
                    if report.rows.is_multiple_of(16_384) {
                        if cancelled() {
                            break 'file;
                        }
                        progress(Progress {
                            file: &report.file,
                            bytes_done: bytes_read,
                            bytes_total: total,
                            rows: report.rows,
                        });
                    }
                    let (line, record, resolved) = match row {
                        Ok(Read { line, record, resolved }) => (*line, record, resolved),
                        Err(e) => {
                            errors.push(e.clone());
                            file_errors += 1;
                            if errors.len() >= MAX_ERRORS {
                                break 'file;
                            }
                            continue;
                        }
                    };
                    if file_errors > 0 {
                        continue; // keep looking for problems, write nothing
                    }
                    let (refs, digests) = match (resolved, kept.as_deref_mut()) {
                        (Some(resolved), _) => *resolved,
                        (None, Some(resolver)) => {
                            let resolved = resolver.resolve(record);
                            write_new_names(tx, &std::mem::take(&mut resolver.new_names))?;
                            resolved
                        }
                        (None, None) => unreachable!("rows are resolved by the reader or here"),
                    };
                    let values = values(&mut refs.replay(), record);
                    let id = record.id();
                    let rid = if !id.is_empty() {
                        match by_id.get(id) {
                            Some((_, old)) if old.full == digests.full => {
                                report.unchanged += 1;
                                None
                            }
                            Some((rid, old)) => {
                                if write {
                                    if rid <= last_rid_before {
                                        replaced.push(Replaced { rid, was: old.identity, now: digests.identity });
                                    }
                                    inserts.flush(&mut pending)?; // the row replaced may be among them
                                    let rid_and_digest =
                                        [rid, digests.identity].map(|n| ToSqlOutput::Owned(Value::Integer(n)));
                                    update.execute(params_from_iter(rid_and_digest.into_iter().chain(values)))?;
                                }
                                by_id.insert(id, rid, digests);
                                report.replaced += 1;
                                Some(rid)
                            }
                            None => {
                                let rid = inserts.add(&mut pending, id.to_string(), digests.identity, values)?;
                                by_id.insert(id, rid, digests);
                                report.added += 1;
                                Some(rid)
                            }
                        }
                    } else {
                        // The n-th identical row of a file is the n-th such record of the book, or
                        // new when the book holds fewer than n; rows the book has none of are new,
                        // uncounted.
                        let book = match &mut book {
                            Some(book) => book,
                            None => book.insert(BookContents::count(tx, table, last_rid_before, &replaced)?),
                        };
                        let in_book = book.counts.get(&digests.identity).copied().unwrap_or(0);
                        let nth = if in_book == 0 {
                            None
                        } else {
                            let count = seen.entry(digests.identity).or_default();
                            *count += 1;
                            (*count <= in_book).then_some(*count)
                        };
                        match (nth, entry_state(record)) {
                            (None, _) => {
                                report.added += 1;
                                Some(inserts.add(&mut pending, new_ids.make(kind), digests.identity, values)?)
                            }
                            // A status further along moves the record forward, never back.
                            (Some(nth), Some(state)) if state.status != Status::Logged => {
                                let moved = book.move_forward(
                                    tx,
                                    table,
                                    last_rid_before,
                                    &replaced,
                                    (digests.identity, nth),
                                    state,
                                    write,
                                )?;
                                match moved {
                                    Moved::Forward => report.replaced += 1,
                                    Moved::No => report.unchanged += 1,
                                    Moved::Refused(column, message) => {
                                        errors.push(LedgerError {
                                            file: report.file.clone(),
                                            line: Some(line),
                                            column: Some(column.into()),
                                            message,
                                        });
                                        file_errors += 1;
                                        if errors.len() >= MAX_ERRORS {
                                            break 'file;
                                        }
                                    }
                                }
                                None
                            }
                            (Some(_), _) => {
                                report.unchanged += 1;
                                None
                            }
                        }
                    };
                    if let (Some(rid), RecordKind::Programs) = (rid, kind) {
                        program_lines.insert(rid, (report.file.clone(), line));
                    }
                }
                inserts.flush(&mut pending)?;
            }
            Ok(())
        })?;
        progress(Progress { file: &report.file, bytes_done: total, bytes_total: total, rows: report.rows });
        Ok(report)
    }
}

/// What an hours or donation row says of its entry's state: its date, status and status dates.
#[derive(Clone, Copy)]
struct EntryState {
    date: Date,
    status: Status,
    dates: StatusDates,
}

fn entry_state(record: &Record) -> Option<EntryState> {
    match record {
        Record::Hours(h) => Some(EntryState { date: h.date, status: h.status, dates: h.dates }),
        Record::Donation(d) => Some(EntryState { date: d.date, status: d.status, dates: d.dates }),
        _ => None,
    }
}

/// Whether an id-less row moved its record forward.
enum Moved {
    Forward,
    No,
    /// It would, but the dates it gives and those the record keeps are out of order: the
    /// column and the problem.
    Refused(&'static str, String),
}

/// A record of the book before a file that the file replaced by id: its identity before and after.
struct Replaced {
    rid: i64,
    was: i64,
    now: i64,
}

/// The book's records before a file (up to a rid), by identity digest, with the identities of
/// those the file has replaced so far counted as they were.
struct BookContents {
    /// How many records have each identity.
    counts: FxHashMap<i64, u32>,
    /// By identity: the records' rids, statuses and status dates, in rid order. Made when a row
    /// first moves a record's status forward (most files never do).
    records: Option<FxHashMap<i64, Vec<BookEntry>>>,
}

impl BookContents {
    fn count(tx: &Transaction, table: &str, last_rid: i64, replaced: &[Replaced]) -> Result<BookContents, StoreError> {
        let mut counts: FxHashMap<i64, u32> = FxHashMap::default();
        counts.reserve(tx.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?);
        let mut stmt = tx.prepare(&format!("SELECT digest FROM {table} WHERE rid <= ?1"))?;
        let mut rows = stmt.query([last_rid])?;
        while let Some(row) = rows.next()? {
            *counts.entry(row.get(0)?).or_default() += 1;
        }
        for r in replaced {
            if let Some(count) = counts.get_mut(&r.now) {
                *count -= 1;
                if *count == 0 {
                    counts.remove(&r.now);
                }
            }
            *counts.entry(r.was).or_default() += 1;
        }
        Ok(BookContents { counts, records: None })
    }

    /// Moves the `nth` (from 1) record of identity `identity` to the row's status if that is
    /// further along than its own (without `write`, only says whether it would). The record takes
    /// the row's status dates, and keeps its own of the statuses the row gives no date for.
    #[allow(clippy::too_many_arguments)]
    fn move_forward(
        &mut self,
        tx: &Transaction,
        table: &str,
        last_rid: i64,
        replaced: &[Replaced],
        (identity, nth): (i64, u32),
        row: EntryState,
        write: bool,
    ) -> Result<Moved, StoreError> {
        let records = match &mut self.records {
            Some(records) => records,
            None => self.records.insert(records_by_identity(tx, table, last_rid, replaced)?),
        };
        let Some(record) = records.get_mut(&identity).and_then(|r| r.get_mut(nth as usize - 1)) else {
            return Ok(Moved::No);
        };
        if !record.status.moves_forward_to(row.status) {
            return Ok(Moved::No);
        }
        let mut dates = row.dates;
        for step in StatusDates::STATUSES {
            if dates.on(step).is_none() && row.status.reached(step) {
                dates.set(step, record.dates.on(step));
            }
        }
        if let Some((column, problem)) = dates.problem(row.status, row.date) {
            return Ok(Moved::Refused(column, format!("{problem} (with the dates the book has for this entry)")));
        }
        if write {
            let [submitted, approved, paid, rejected] = dates.all().map(|d| d.map(iso));
            tx.prepare_cached(&format!(
                "UPDATE {table} SET status = ?2, submitted_on = ?3, approved_on = ?4, paid_on = ?5, rejected_on = ?6 \
                 WHERE rid = ?1"
            ))?
            .execute(rusqlite::params![
                record.rid,
                row.status.name(),
                submitted,
                approved,
                paid,
                rejected
            ])?;
        }
        record.status = row.status;
        record.dates = dates;
        Ok(Moved::Forward)
    }
}

/// A record of the book as [`BookContents::move_forward`] needs it.
struct BookEntry {
    rid: i64,
    status: Status,
    dates: StatusDates,
}

/// The records of `table` up to `last_rid` by identity, with their rids, statuses and status
/// dates in rid order, those that `replaced` changed under their identity before.
fn records_by_identity(
    tx: &Transaction,
    table: &str,
    last_rid: i64,
    replaced: &[Replaced],
) -> Result<FxHashMap<i64, Vec<BookEntry>>, StoreError> {
    let mut records: FxHashMap<i64, Vec<BookEntry>> = FxHashMap::default();
    let mut stmt = tx.prepare(&format!(
        "SELECT rid, digest, status, submitted_on, approved_on, paid_on, rejected_on FROM {table} \
         WHERE rid <= ?1 ORDER BY rid"
    ))?;
    let mut rows = stmt.query([last_rid])?;
    while let Some(row) = rows.next()? {
        let status = row.get_ref(2)?.as_str()?.parse().map_err(StoreError::Damaged)?;
        let entry = BookEntry { rid: row.get(0)?, status, dates: status_dates(row, 3)? };
        records.entry(row.get(1)?).or_default().push(entry);
    }
    for r in replaced {
        let mut found = None;
        if let Some(now) = records.get_mut(&r.now) {
            if let Some(at) = now.iter().position(|e| e.rid == r.rid) {
                found = Some(now.remove(at));
            }
        }
        if let Some(record) = found {
            let was = records.entry(r.was).or_default();
            let at = was.partition_point(|e| e.rid < r.rid);
            was.insert(at, record);
        }
    }
    Ok(records)
}
