//! Editing single records, as a form or a bulk action does.
//!
//! A form edits one ledger row: its fields are the contract's columns, holding the text a CSV cell
//! would. Writing goes through the import path (as a one-file, in-memory import), so a record
//! typed into the app is checked by exactly the rules a file is, and errors name the column.

use super::import::{ImportOptions, ImportOutcome};
use super::{Store, StoreError};
use crate::ledger::{self, LedgerError, LedgerReader};
use crate::model::{Date, Record, RecordKind, Status};
use rusqlite::params;
use std::collections::BTreeMap;

/// One record as column → cell text, in the contract's columns (formula guard removed).
pub type Fields = BTreeMap<String, String>;

/// Why a write did not happen.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The rows broke the contract; nothing was written.
    #[error("{}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<LedgerError>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The fields of a record, as a form shows them.
pub fn fields_of(record: &Record) -> Fields {
    let header = ledger::header(record.kind());
    header
        .into_iter()
        .zip(ledger::cells(record))
        .map(|(column, cell)| (column.to_string(), ledger::unguard_formula(&cell).to_string()))
        .collect()
}

/// Reads rows given as fields as a ledger file of `kind` named `source` (row n is line n + 1),
/// so that they meet every check an imported file meets.
pub fn reader_of_fields(kind: RecordKind, rows: &[Fields], source: &str) -> Result<LedgerReader, LedgerError> {
    let header = ledger::header(kind);
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    let mut write = |cells: Vec<String>| writer.write_record(cells);
    let written = write(header.iter().map(|h| h.to_string()).collect()).and_then(|()| {
        rows.iter().try_for_each(|row| {
            write(
                header
                    .iter()
                    .map(|&column| ledger::guard_formula(row.get(column).map_or("", String::as_str)).into_owned())
                    .collect(),
            )
        })
    });
    let bytes = written.map_err(|e| e.to_string()).and_then(|()| writer.into_inner().map_err(|e| e.to_string()));
    match bytes {
        Ok(bytes) => LedgerReader::from_bytes(source.to_string(), bytes, Some(kind), false),
        Err(message) => Err(LedgerError { file: source.to_string(), line: None, column: None, message }),
    }
}

impl Store {
    /// Writes rows of `kind` given as fields: a row with an `id` the book knows replaces that
    /// record, any other row is added (with a new id when it has none; a form's "add" always
    /// adds, even a row identical to one the book holds). All or nothing. Returns each row's id.
    /// `source` names the rows in errors (a row is line 2, 3, ... as in a file).
    pub fn write_fields(&mut self, kind: RecordKind, rows: &[Fields], source: &str) -> Result<Vec<String>, WriteError> {
        let header = ledger::header(kind);
        let unknown: Vec<LedgerError> = rows
            .iter()
            .enumerate()
            .flat_map(|(i, row)| {
                row.keys().filter(|k| !header.contains(&k.as_str())).map(move |k| LedgerError {
                    file: source.to_string(),
                    line: Some(i as u64 + 2),
                    column: Some(k.clone()),
                    message: format!("{kind} have no column {k:?}"),
                })
            })
            .collect();
        if !unknown.is_empty() {
            return Err(WriteError::Invalid(unknown));
        }
        let mut ids = Vec::with_capacity(rows.len());
        let mut with_ids = Vec::with_capacity(rows.len());
        for row in rows {
            let id = match row.get("id").map(|s| s.trim()).filter(|s| !s.is_empty()) {
                Some(id) => id.to_string(),
                None => self.allocate_id(kind)?,
            };
            let mut row = row.clone();
            row.insert("id".into(), id.clone());
            with_ids.push(row);
            ids.push(id);
        }
        let reader = reader_of_fields(kind, &with_ids, source);
        match self.import_readers([reader], &ImportOptions::default(), &mut |_| {})? {
            ImportOutcome::Imported(_) => Ok(ids),
            ImportOutcome::Rejected(errors) => Err(WriteError::Invalid(errors)),
            ImportOutcome::Cancelled => unreachable!("nothing can cancel a write without a cancel flag"),
        }
    }

    /// Deletes the records of `kind` with these ids, all or none; returns them as they were,
    /// so that [`Store::write_fields`] can bring them back (undo).
    pub fn delete(&mut self, kind: RecordKind, ids: &[String]) -> Result<Vec<Fields>, StoreError> {
        let records = self.records_by_id(kind, ids)?;
        if ids.len() > 1 {
            self.backup("bulk-change")?;
        }
        let tx = self.begin_write()?;
        {
            let mut stmt = tx.prepare(&format!("DELETE FROM {} WHERE id = ?1", kind.name()))?;
            for id in ids {
                stmt.execute([id])?;
            }
        }
        super::bump_records_version(&tx)?;
        tx.commit()?;
        Ok(records.iter().map(fields_of).collect())
    }

    /// Sets the status of these hours or donations (e.g. "mark submitted"), reached `on` (the
    /// caller's today), their status dates as [`crate::model::StatusDates::moved`] makes them;
    /// returns how many changed.
    pub fn set_status(
        &mut self,
        kind: RecordKind,
        ids: &[String],
        status: Status,
        on: Date,
    ) -> Result<usize, WriteError> {
        let mut rows = Vec::new();
        for mut record in self.records_by_id(kind, ids)? {
            let (date, current, dates) = match &mut record {
                Record::Hours(h) => (h.date, &mut h.status, &mut h.dates),
                Record::Donation(d) => (d.date, &mut d.status, &mut d.dates),
                _ => {
                    return Err(WriteError::Invalid(vec![LedgerError {
                        file: kind.name().into(),
                        line: None,
                        column: Some("status".into()),
                        message: format!("{kind} have no status"),
                    }]))
                }
            };
            if *current != status {
                *dates = dates.moved(*current, status, Some(on), date);
                *current = status;
                rows.push(fields_of(&record));
            }
        }
        if rows.len() > 1 {
            self.backup("bulk-change")?;
        }
        if !rows.is_empty() {
            self.write_fields(kind, &rows, "status change")?;
        }
        Ok(rows.len())
    }

    /// Takes the next new id of this book for a record of `kind`.
    fn allocate_id(&mut self, kind: RecordKind) -> Result<String, StoreError> {
        let tag = super::meta(&self.conn, "book_tag")?.unwrap_or_default();
        let seq: i64 = super::meta(&self.conn, "next_seq")?.and_then(|s| s.parse().ok()).unwrap_or(1);
        self.conn.execute("UPDATE meta SET value = ?1 WHERE key = 'next_seq'", params![(seq + 1).to_string()])?;
        Ok(super::rows::record_id(kind, &tag, seq))
    }
}
