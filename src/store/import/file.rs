//! One file's rows into the book: for each row, whether it adds a record, replaces one (same id)
//! or leaves the book as it is (same id and content, or an identical record already there).

use super::id_index::IdIndex;
use super::inserts::Inserts;
use super::read_ahead::{read_ahead, Batch, Read, Spent};
use super::resolver::write_new_names;
use super::source::Source;
use super::{FileKind, FileReport, Import, Progress, MAX_ERRORS};
use crate::model::RecordKind;
use crate::store::rows::{table_columns, values};
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
            let mut stmt = tx.prepare(&format!("SELECT id, rid, digest FROM {table}"))?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                by_id.insert(row.get_ref(0)?.as_str()?, row.get(1)?, row.get(2)?);
            }
        }
        let mut inserts = Inserts::new(tx, kind, write)?;
        // The records of the book before this file go up to this rid.
        let last_rid_before = inserts.last_rid;
        // How many of those hold each content: counted at the file's first row without an id (a
        // file with an id in every row needs none), as they were before the file.
        let mut book_count: Option<FxHashMap<i64, u32>> = None;
        // The contents (was, now) of those records that this file replaced, in order.
        let mut replaced_contents: Vec<(i64, i64)> = Vec::new();
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
                    let (refs, digest) = match (resolved, kept.as_deref_mut()) {
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
                            Some((_, old)) if old == digest => {
                                report.unchanged += 1;
                                None
                            }
                            Some((rid, old)) => {
                                if write {
                                    if rid <= last_rid_before {
                                        replaced_contents.push((old, digest));
                                    }
                                    inserts.flush(&mut pending)?; // the row replaced may be among them
                                    let rid_and_digest = [rid, digest].map(|n| ToSqlOutput::Owned(Value::Integer(n)));
                                    update.execute(params_from_iter(rid_and_digest.into_iter().chain(values)))?;
                                }
                                by_id.insert(id, rid, digest);
                                report.replaced += 1;
                                Some(rid)
                            }
                            None => {
                                let rid = inserts.add(&mut pending, id.to_string(), digest, values)?;
                                by_id.insert(id, rid, digest);
                                report.added += 1;
                                Some(rid)
                            }
                        }
                    } else {
                        // The n-th identical row of a file is new when the book holds fewer than n
                        // such records; rows the book has none of are new, uncounted.
                        if book_count.is_none() {
                            book_count = Some(count_contents(tx, table, last_rid_before, &replaced_contents)?);
                        }
                        let in_book = book_count.as_ref().and_then(|counts| counts.get(&digest)).copied().unwrap_or(0);
                        let is_new = in_book == 0 || {
                            let count = seen.entry(digest).or_default();
                            *count += 1;
                            *count > in_book
                        };
                        if is_new {
                            report.added += 1;
                            Some(inserts.add(&mut pending, new_ids.make(kind), digest, values)?)
                        } else {
                            report.unchanged += 1;
                            None
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

/// How many records of `table` up to `last_rid` hold each content, counting the contents that
/// `replaced` changed (was, now, in order) as they were.
fn count_contents(
    tx: &Transaction,
    table: &str,
    last_rid: i64,
    replaced: &[(i64, i64)],
) -> Result<FxHashMap<i64, u32>, StoreError> {
    let mut counts: FxHashMap<i64, u32> = FxHashMap::default();
    counts.reserve(tx.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?);
    let mut stmt = tx.prepare(&format!("SELECT digest FROM {table} WHERE rid <= ?1"))?;
    let mut rows = stmt.query([last_rid])?;
    while let Some(row) = rows.next()? {
        *counts.entry(row.get(0)?).or_default() += 1;
    }
    for &(was, now) in replaced {
        if let Some(count) = counts.get_mut(&now) {
            *count -= 1;
            if *count == 0 {
                counts.remove(&now);
            }
        }
        *counts.entry(was).or_default() += 1;
    }
    Ok(counts)
}
