//! Import: ledger files into the book, all or nothing, with the contract's id and identical-row
//! rules.

use super::book_files::{self, BookFile, BookRow};
use super::write_statement::WriteStatement;
use super::{bump_records_version, set_meta, Store, StoreError};
use crate::benevity;
use crate::ledger::{LedgerError, LedgerReader};
use crate::model::*;
use crate::money::format_cents;
use rusqlite::types::{ToSqlOutput, Value, ValueRef};
use rusqlite::{params, params_from_iter, Transaction};
use rustc_hash::FxHashMap;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Read every file as this kind instead of recognising it from its header.
    pub kind: Option<RecordKind>,
    /// Unknown columns are a warning instead of an error.
    pub ignore_unknown: bool,
    /// Check and count everything, then roll back: a preview.
    pub dry_run: bool,
    /// Set from another thread to stop the import; it then rolls back and reports
    /// [`ImportOutcome::Cancelled`].
    pub cancel: Option<Arc<AtomicBool>>,
}

/// What a file holds: records of one kind, or one of the book's other files.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(untagged)]
pub enum FileKind {
    Records(RecordKind),
    Book(BookFile),
}

impl std::fmt::Display for FileKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FileKind::Records(kind) => kind.fmt(f),
            FileKind::Book(file) => file.fmt(f),
        }
    }
}

/// What an import did (or, in a dry run, would do) to one file's rows.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FileReport {
    pub file: String,
    pub kind: FileKind,
    /// For a platform's report read as records of `kind`: what it was, e.g.
    /// "Benevity donations report EXAMPLE0001 (3 donations, net 2668.80 USD)".
    pub format: Option<String>,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub rows: u64,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub added: u64,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub replaced: u64,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub unchanged: u64,
    pub warnings: Vec<String>,
}

/// Either every file's report, or every problem found (up to a limit) and nothing written.
#[derive(Debug)]
pub enum ImportOutcome {
    Imported(Vec<FileReport>),
    Rejected(Vec<LedgerError>),
    /// Stopped by [`ImportOptions::cancel`]; nothing written.
    Cancelled,
}

/// Progress of a long import, for a progress bar.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    pub file: &'a str,
    pub bytes_done: u64,
    pub bytes_total: u64,
    pub rows: u64,
}

/// Past this many problems an import stops looking for more.
const MAX_ERRORS: usize = 50;

/// The table columns of each kind after `rid`, `id` and `digest`, in the order
/// [`Resolver::values`] produces them.
pub(super) fn table_columns(kind: RecordKind) -> &'static [&'static str] {
    match kind {
        RecordKind::Programs => &[
            "program",
            "employer",
            "platform",
            "kind",
            "currency",
            "effective_from",
            "effective_to",
            "rate_per_hour",
            "block_hours",
            "block_amount",
            "min_hours",
            "match_ratio",
            "min_gift",
            "max_gift",
            "annual_cap",
            "cap_group",
            "year_start",
            "claim_days",
            "fee_rate",
        ],
        RecordKind::Employments => &["contributor", "employer", "start", "\"end\""],
        RecordKind::Hours => &["date", "contributor", "employer", "project", "hours", "description", "status"],
        RecordKind::Donations => &["date", "contributor", "employer", "project", "amount", "currency", "status"],
        RecordKind::Payments => &[
            "date",
            "payer",
            "project",
            "currency",
            "gross",
            "fees",
            "net",
            "reference",
            "employer",
            "contributor",
            "type",
            "disbursement",
        ],
    }
}

/// A new record's id: its kind's letter, the book's tag and the book's next sequence number.
///
/// The sequence number has at least eight digits, so that ids made one after another also sort one
/// after another: a million new rows then append to the id index instead of splitting its pages all
/// over (an import of a million rows took 1.2 s longer with `h-k3x9q-9`, `h-k3x9q-10`, ...).
/// (Spelled out by hand: `format!` with padding took a twentieth of a million-row import.)
pub(super) fn record_id(kind: RecordKind, tag: &str, seq: i64) -> String {
    debug_assert!(seq >= 0, "sequence numbers start at 1");
    let mut digits = [b'0'; 20];
    let mut n = seq.unsigned_abs();
    let mut start = digits.len();
    while n > 0 || start > digits.len() - 8 {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    let mut id = String::with_capacity(3 + tag.len() + digits.len() - start);
    id.push(kind.id_letter());
    id.push('-');
    id.push_str(tag);
    id.push('-');
    id.extend(digits[start..].iter().map(|&d| d as char));
    id
}

/// Where an import's rows come from.
pub enum Source {
    /// A ledger file of the contract.
    Ledger(LedgerReader),
    /// Records made from a platform's report (see [`crate::benevity`]), with their lines in it.
    Report {
        file: String,
        format: String,
        kind: RecordKind,
        rows: std::vec::IntoIter<(u64, Record)>,
        warnings: Vec<String>,
    },
}

/// A file opened for an import.
enum Opened {
    Records(Box<Source>),
    /// One of the book's other files, read whole: it is applied after every file of records.
    Book {
        file: String,
        kind: BookFile,
        rows: Vec<BookRow>,
    },
}

impl Source {
    fn kind(&self) -> RecordKind {
        match self {
            Source::Ledger(reader) => reader.kind(),
            Source::Report { kind, .. } => *kind,
        }
    }

    fn file(&self) -> &str {
        match self {
            Source::Ledger(reader) => reader.file(),
            Source::Report { file, .. } => file,
        }
    }

    fn next_record(&mut self) -> Option<Result<(u64, Record), LedgerError>> {
        match self {
            Source::Ledger(reader) => reader.next_record(),
            Source::Report { rows, .. } => rows.next().map(Ok),
        }
    }

    /// Whether rows may name records by id (a report's always do).
    fn has_ids(&self) -> bool {
        match self {
            Source::Ledger(reader) => reader.has_ids(),
            Source::Report { .. } => true,
        }
    }

    fn bytes_read(&self) -> u64 {
        match self {
            Source::Ledger(reader) => reader.bytes_read(),
            Source::Report { .. } => 0,
        }
    }
}

/// Expands folders into the CSV files they hold (sorted by name, not recursive).
pub fn expand_paths(paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut inside: Vec<PathBuf> =
                std::fs::read_dir(path)?.map(|e| e.map(|e| e.path())).collect::<std::io::Result<_>>()?;
            inside.retain(|p| p.is_file() && p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")));
            inside.sort();
            files.extend(inside);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

impl Store {
    /// Imports `paths` (files or folders of CSV files) in one transaction.
    pub fn import(
        &mut self,
        paths: &[PathBuf],
        options: &ImportOptions,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<ImportOutcome, StoreError> {
        let files = expand_paths(paths)?;
        if files.is_empty() {
            return Ok(ImportOutcome::Rejected(vec![LedgerError {
                file: paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "),
                line: None,
                column: None,
                message: "no CSV files to import here".into(),
            }]));
        }
        let sources: Vec<_> = files.iter().map(|file| self.open_source(file, options)).collect::<Result<_, _>>()?;
        self.import_sources(sources, options, progress)
    }

    /// Opens one file: a Benevity donations report (recognised by its first line, unless
    /// `options.kind` says otherwise) becomes payment records, one of the book's other files (by
    /// its header) is read whole, anything else is a ledger file.
    fn open_source(
        &self,
        path: &Path,
        options: &ImportOptions,
    ) -> Result<Result<Opened, Vec<LedgerError>>, StoreError> {
        let file = path.display().to_string();
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => {
                return Ok(Err(vec![LedgerError {
                    file,
                    line: None,
                    column: None,
                    message: format!("cannot read: {e}"),
                }]))
            }
        };
        if options.kind.is_none() && benevity::is_report(&bytes) {
            let report = match benevity::read(&file, &bytes) {
                Ok(report) => report,
                Err(errors) => return Ok(Err(errors)),
            };
            let project_of = self.benevity_projects()?;
            return Ok(report.payments(&project_of).map(|payments| {
                Opened::Records(Box::new(Source::Report {
                    format: format!(
                        "Benevity donations report {} ({} donation(s), net {} {})",
                        report.disbursement_id,
                        report.lines.len(),
                        format_cents(report.net),
                        report.currency
                    ),
                    file,
                    kind: RecordKind::Payments,
                    rows: payments
                        .into_iter()
                        .map(|(line, p)| (line, Record::Payment(p)))
                        .collect::<Vec<_>>()
                        .into_iter(),
                    warnings: report.warnings,
                }))
            }));
        }
        if options.kind.is_none() {
            let header = book_files::header_of(&bytes).unwrap_or_default();
            if let Some(kind) = BookFile::recognise(&header) {
                return Ok(book_files::read(&file, &bytes, kind, &header).map(|rows| Opened::Book {
                    file,
                    kind,
                    rows,
                }));
            }
        }
        Ok(LedgerReader::from_bytes(file, bytes, options.kind, options.ignore_unknown)
            .map(|reader| Opened::Records(Box::new(Source::Ledger(reader))))
            .map_err(|e| vec![e]))
    }

    /// Imports already opened ledgers (or the errors met opening them) in one transaction.
    pub fn import_readers(
        &mut self,
        readers: impl IntoIterator<Item = Result<LedgerReader, LedgerError>>,
        options: &ImportOptions,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<ImportOutcome, StoreError> {
        let sources =
            readers.into_iter().map(|r| r.map(|r| Opened::Records(Box::new(Source::Ledger(r)))).map_err(|e| vec![e]));
        self.import_sources(sources, options, progress)
    }

    /// Imports opened sources (or the errors met opening them) in one transaction.
    fn import_sources(
        &mut self,
        sources: impl IntoIterator<Item = Result<Opened, Vec<LedgerError>>>,
        options: &ImportOptions,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<ImportOutcome, StoreError> {
        // The rows' references are made by the `Resolver`, which hands out only ids of names and
        // contributors that it read or wrote in this same transaction. SQLite checking each of them
        // again took a fifth of a million-row import.
        self.conn.pragma_update(None, "foreign_keys", "OFF")?;
        let outcome = self.import_sources_resolved(sources, options, progress);
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        outcome
    }

    fn import_sources_resolved(
        &mut self,
        sources: impl IntoIterator<Item = Result<Opened, Vec<LedgerError>>>,
        options: &ImportOptions,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<ImportOutcome, StoreError> {
        let tx = self.conn.transaction()?;
        let mut resolver = Resolver::new(&tx)?;
        let mut new_ids = NewIds::new(&tx)?;
        let mut errors = Vec::new();
        let mut reports = Vec::new();
        let mut program_lines: HashMap<i64, (String, u64)> = HashMap::new();
        let cancelled = || options.cancel.as_ref().is_some_and(|c| c.load(Ordering::Relaxed));
        let mut book_files = Vec::new();
        let sources: Vec<_> = sources.into_iter().collect();
        let kinds: Vec<Option<FileKind>> = (sources.iter())
            .map(|source| match source {
                Ok(Opened::Records(reader)) => Some(FileKind::Records(reader.kind())),
                Ok(Opened::Book { kind, .. }) => Some(FileKind::Book(*kind)),
                Err(_) => None,
            })
            .collect();
        let links_in_import = kinds.contains(&Some(FileKind::Book(BookFile::Reconciled)));
        for (i, source) in sources.into_iter().enumerate() {
            match source {
                Err(e) => errors.extend(e),
                Ok(Opened::Book { file, kind, rows }) => book_files.push((file, kind, rows)),
                Ok(Opened::Records(reader)) => {
                    // A preview need not write the entries (most of a big import) when nothing
                    // later in it reads them back: another file of their kind (ids, identical
                    // rows) or a `reconciled.csv` (links name entries). Its counts are the same.
                    let kind = reader.kind();
                    let read_back = links_in_import || kinds[i + 1..].contains(&Some(FileKind::Records(kind)));
                    let entries = matches!(kind, RecordKind::Hours | RecordKind::Donations);
                    let write = !(options.dry_run && entries && !read_back);
                    let report = import_file(
                        &tx,
                        &mut resolver,
                        &mut new_ids,
                        *reader,
                        write,
                        &mut errors,
                        &mut program_lines,
                        &cancelled,
                        progress,
                    )?;
                    reports.push(report);
                }
            }
            if cancelled() {
                return Ok(ImportOutcome::Cancelled);
            }
            if errors.len() >= MAX_ERRORS {
                break;
            }
        }
        if errors.is_empty() {
            check_program_overlaps(&tx, &program_lines, &mut errors)?;
        }
        // Links name records that this import may have brought: they come after all of them.
        if errors.is_empty() {
            for (file, kind, rows) in book_files {
                let mut report = book_files::report(&file, kind);
                book_files::apply(&tx, kind, &rows, &mut report, &mut errors)?;
                reports.push(report);
            }
        }
        if !errors.is_empty() {
            return Ok(ImportOutcome::Rejected(errors));
        }
        if options.dry_run {
            return Ok(ImportOutcome::Imported(reports));
        }
        let seq: i64 = tx
            .query_row("SELECT value FROM meta WHERE key = 'next_seq'", [], |r| r.get::<_, String>(0))?
            .parse()
            .unwrap_or(1);
        set_meta(&tx, "next_seq", &(seq + new_ids.made).to_string())?;
        if reports.iter().any(|r| r.added + r.replaced > 0) {
            bump_records_version(&tx)?;
        }
        tx.commit()?;
        Ok(ImportOutcome::Imported(reports))
    }
}

/// Reads one file into the book. Without `write` it only counts what the file would add, replace
/// or leave (a preview's shortcut, see [`import_sources_resolved`]).
#[allow(clippy::too_many_arguments)]
fn import_file(
    tx: &Transaction,
    resolver: &mut Resolver,
    new_ids: &mut NewIds,
    reader: Source,
    write: bool,
    errors: &mut Vec<LedgerError>,
    program_lines: &mut HashMap<i64, (String, u64)>,
    cancelled: &dyn Fn() -> bool,
    progress: &mut dyn FnMut(Progress),
) -> Result<FileReport, StoreError> {
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
    // The book's ids, for a file that has an id column (a million of them took a second to
    // gather and free).
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

/// Records by id, with their rid and digest: the ids in one buffer rather than a string each,
/// which for a million took half a second to gather and free.
#[derive(Default)]
struct IdIndex {
    text: String,
    /// By the id's hash: its record, the first of those whose ids share the hash.
    first: FxHashMap<u64, u32>,
    records: Vec<IdRecord>,
}

struct IdRecord {
    /// Where the id lies in [`IdIndex::text`].
    start: usize,
    end: usize,
    rid: i64,
    digest: i64,
    /// The next record whose id has the same hash, if any.
    next: Option<u32>,
}

impl IdIndex {
    fn reserve(&mut self, records: usize) {
        self.first.reserve(records);
        self.records.reserve(records);
    }

    fn hash(id: &str) -> u64 {
        std::hash::BuildHasher::hash_one(&rustc_hash::FxBuildHasher, id)
    }

    /// The record with `id`, whose hash is `hash`.
    fn find(&self, hash: u64, id: &str) -> Option<u32> {
        let mut at = self.first.get(&hash).copied();
        while let Some(i) = at {
            let record = &self.records[i as usize];
            if &self.text[record.start..record.end] == id {
                return Some(i);
            }
            at = record.next;
        }
        None
    }

    /// The rid and digest of the record with `id`.
    fn get(&self, id: &str) -> Option<(i64, i64)> {
        let record = &self.records[self.find(IdIndex::hash(id), id)? as usize];
        Some((record.rid, record.digest))
    }

    fn insert(&mut self, id: &str, rid: i64, digest: i64) {
        self.insert_hashed(IdIndex::hash(id), id, rid, digest);
    }

    fn insert_hashed(&mut self, hash: u64, id: &str, rid: i64, digest: i64) {
        match self.find(hash, id) {
            Some(i) => {
                let record = &mut self.records[i as usize];
                (record.rid, record.digest) = (rid, digest);
            }
            None => {
                let i = u32::try_from(self.records.len()).expect("fewer than 4 billion records");
                let next = self.first.insert(hash, i);
                let start = self.text.len();
                self.text.push_str(id);
                self.records.push(IdRecord { start, end: self.text.len(), rid, digest, next });
            }
        }
    }
}

/// New records of one table, written many rows to a statement: a million one-row `INSERT`s
/// spent a quarter of their time starting and ending statements. SQLite gives each new row the
/// table's largest rid + 1, so a statement's rows get consecutive rids; each statement checks it.
struct Inserts<'t> {
    tx: &'t Transaction<'t>,
    one: WriteStatement<'t>,
    many: WriteStatement<'t>,
    /// Values per row: id, digest and the table's columns.
    width: usize,
    /// The rid of the last record added (at first, the table's largest).
    last_rid: i64,
    /// False for a preview's shortcut (see [`import_file`]): rows are counted, not written.
    write: bool,
}

impl<'t> Inserts<'t> {
    /// Rows per statement of `many`: more gained nothing more.
    const ROWS: usize = 32;

    fn new(tx: &'t Transaction<'t>, kind: RecordKind, write: bool) -> Result<Inserts<'t>, StoreError> {
        let (table, columns) = (kind.name(), table_columns(kind));
        let width = columns.len() + 2;
        let row = format!("({})", vec!["?"; width].join(", "));
        // OR FAIL: a statement that fails keeps the rows it wrote before, so SQLite need not
        // journal each statement; any error rolls the whole import back anyway.
        let sql = |rows: usize| {
            let values = vec![row.as_str(); rows].join(", ");
            format!("INSERT OR FAIL INTO {table} (id, digest, {}) VALUES {values}", columns.join(", "))
        };
        let last_rid = tx.query_row(&format!("SELECT coalesce(max(rid), 0) FROM {table}"), [], |r| r.get(0))?;
        let (one, many) = (WriteStatement::prepare(tx, &sql(1))?, WriteStatement::prepare(tx, &sql(Inserts::ROWS))?);
        Ok(Inserts { tx, one, many, width, last_rid, write })
    }

    /// Adds a record to `pending`, writing them once there are enough; returns its rid (0 when
    /// not writing).
    fn add<'r>(
        &mut self,
        pending: &mut Vec<ToSqlOutput<'r>>,
        id: String,
        digest: i64,
        values: Vec<ToSqlOutput<'r>>,
    ) -> Result<i64, StoreError> {
        if !self.write {
            return Ok(0);
        }
        // Past i64::MAX, SQLite would choose a rid at random.
        let rid = self
            .last_rid
            .checked_add(1)
            .ok_or_else(|| StoreError::Refused("a new row has no rid left: the book's largest is i64::MAX".into()))?;
        self.last_rid = rid;
        pending.extend([Value::Text(id), Value::Integer(digest)].map(ToSqlOutput::Owned));
        pending.extend(values);
        debug_assert_eq!(pending.len() % self.width, 0);
        if pending.len() == Inserts::ROWS * self.width {
            self.flush(pending)?;
        }
        Ok(rid)
    }

    /// Writes the rows of `pending`.
    fn flush(&mut self, pending: &mut Vec<ToSqlOutput<'_>>) -> Result<(), StoreError> {
        let statement = if pending.len() == Inserts::ROWS * self.width { &mut self.many } else { &mut self.one };
        let rows = pending.len() / self.width;
        for (n, row) in pending.chunks(statement.parameter_count()).enumerate() {
            statement.execute(row)?;
            // The rid of the statement's last row, as `add` counted: only a table whose largest rid
            // is i64::MAX would make SQLite choose otherwise.
            let last = self.last_rid - (rows - (n + 1) * row.len() / self.width) as i64;
            if self.tx.last_insert_rowid() != last {
                return Err(StoreError::Damaged(format!(
                    "SQLite gave a new row the rid {} where {last} was expected",
                    self.tx.last_insert_rowid()
                )));
            }
        }
        pending.clear();
        Ok(())
    }
}

/// A row as read: its record and what the reading thread made of it, or why it is refused.
type Row = Result<Read, LedgerError>;

/// A record as read, with the ids of the names and contributors it refers to and its digest
/// when the reading thread resolved them.
struct Read {
    line: u64,
    record: Record,
    resolved: Option<(Refs, i64)>,
}

/// Rows of one file, read on another thread.
struct Batch {
    rows: Vec<Row>,
    /// The names and contributors that these rows brought to the book, to be written first.
    new_names: Vec<NewName>,
    /// How far into the file the reader was after these rows.
    bytes_read: u64,
}

/// A batch's rows once written, sent back to the reading thread when dropped.
struct Spent<'a>(Vec<Row>, &'a std::sync::mpsc::Sender<Vec<Row>>);

impl Drop for Spent<'_> {
    fn drop(&mut self) {
        // The reader may have finished: then the rows are freed here.
        let _ = self.1.send(std::mem::take(&mut self.0));
    }
}

/// Reads `source` on a thread of `scope`, a batch of rows at a time, a few batches ahead of the
/// caller: a million rows take ~1 s to parse and check (and resolve, given the `resolver`), which
/// the writing of the rows before them then hides. The reader also frees the rows the caller
/// sends back when done with them. Dropping the receiver stops the reader.
fn read_ahead<'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    mut source: Source,
    mut resolver: Option<&'scope mut Resolver>,
) -> (std::sync::mpsc::Receiver<Batch>, std::sync::mpsc::Sender<Vec<Row>>) {
    const ROWS: usize = 4096;
    let (sender, receiver) = std::sync::mpsc::sync_channel(4);
    let (spent_sender, spent) = std::sync::mpsc::channel::<Vec<Row>>();
    scope.spawn(move || loop {
        while let Ok(rows) = spent.try_recv() {
            drop(rows);
        }
        let rows: Vec<_> = std::iter::from_fn(|| source.next_record())
            .take(ROWS)
            .map(|row| {
                row.map(|(line, record)| {
                    let resolved = resolver.as_deref_mut().map(|resolver| resolver.resolve(&record));
                    Read { line, record, resolved }
                })
            })
            .collect();
        let last = rows.len() < ROWS;
        let new_names = resolver.as_deref_mut().map(|r| std::mem::take(&mut r.new_names)).unwrap_or_default();
        if sender.send(Batch { rows, new_names, bytes_read: source.bytes_read() }).is_err() || last {
            break;
        }
    });
    (receiver, spent_sender)
}

/// Refuses overlapping versions of one program (same employer and name), naming the row that
/// this import brought.
fn check_program_overlaps(
    tx: &Transaction,
    program_lines: &HashMap<i64, (String, u64)>,
    errors: &mut Vec<LedgerError>,
) -> Result<(), StoreError> {
    if program_lines.is_empty() {
        return Ok(());
    }
    let mut stmt = tx.prepare(
        "SELECT p.rid, p.id, lower(p.program), p.employer, p.effective_from, p.effective_to, p.program, n.name
         FROM programs p JOIN names n ON n.id = p.employer ORDER BY lower(p.program), p.employer, p.effective_from, p.rid",
    )?;
    type Row = (i64, String, String, i64, String, Option<String>, String, String);
    let rows: Vec<Row> = stmt
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?))
        })?
        .collect::<Result<_, _>>()?;
    for pair in rows.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let same_program = a.2 == b.2 && a.3 == b.3;
        let overlaps = a.5.as_deref().is_none_or(|a_end| a_end >= b.4.as_str());
        if same_program && overlaps {
            let culprit = if program_lines.contains_key(&b.0) { b } else { a };
            let (file, line) = program_lines.get(&culprit.0).cloned().unwrap_or_default();
            errors.push(LedgerError {
                file,
                line: Some(line),
                column: Some("effective_from".into()),
                message: format!(
                    "versions {} ({} to {}) and {} (from {}) of {} ({}) overlap; versions of one program must not overlap",
                    a.1,
                    a.4,
                    a.5.as_deref().unwrap_or("open end"),
                    b.1,
                    b.4,
                    a.6,
                    a.7
                ),
            });
        }
    }
    Ok(())
}

/// Recomputes the digest of every record of `kind` from its row, after a migration changed what
/// the digest covers.
/// With `id`, only that record's.
pub(super) fn recompute_digests(tx: &Transaction, kind: RecordKind, id: Option<&str>) -> Result<(), StoreError> {
    let columns = table_columns(kind);
    let table = kind.name();
    let rows: Vec<(i64, i64)> = {
        let only = if id.is_some() { "WHERE id = ?1" } else { "WHERE ?1 IS NULL" };
        let mut stmt = tx.prepare(&format!("SELECT rid, {} FROM {table} {only}", columns.join(", ")))?;
        let rows = stmt.query_map([id], |r| {
            let values: Vec<Value> = (1..=columns.len()).map(|i| r.get(i)).collect::<rusqlite::Result<_>>()?;
            Ok((r.get(0)?, digest(values.iter().map(ValueRef::from))))
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut update = tx.prepare(&format!("UPDATE {table} SET digest = ?2 WHERE rid = ?1"))?;
    for (rid, digest) in rows {
        update.execute([rid, digest])?;
    }
    Ok(())
}

/// FNV-1a over the values: stable across runs and machines, unlike std's hasher.
fn digest<'a>(values: impl IntoIterator<Item = ValueRef<'a>>) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for value in values {
        match value {
            ValueRef::Null => eat(&[0]),
            ValueRef::Integer(i) => {
                eat(&[1]);
                eat(&i.to_le_bytes());
            }
            ValueRef::Text(t) => {
                eat(&[2]);
                eat(&(t.len() as u64).to_le_bytes());
                eat(t);
            }
            ValueRef::Real(_) | ValueRef::Blob(_) => unreachable!("the book stores no reals or blobs"),
        }
    }
    h as i64
}

/// A value to bind as the digest reads it.
fn value_ref<'a>(value: &'a ToSqlOutput<'a>) -> ValueRef<'a> {
    match value {
        ToSqlOutput::Borrowed(v) => *v,
        ToSqlOutput::Owned(v) => v.into(),
        _ => unreachable!("values are borrowed or owned"),
    }
}

/// Resolves the names and contributors that records refer to: ids of those the book holds, and
/// new ids, in order after its last, for those it does not yet hold (`new_names`), which the
/// writing thread inserts before the rows that use them. Runs on the reading thread while rows
/// are written (see [`Batch::new_names`]), on the writing one in a preview.
struct Resolver {
    /// By case-folded key, and by the exact spelling last seen (saves folding every row).
    names: FxHashMap<String, i64>,
    names_exact: FxHashMap<String, i64>,
    contributors: FxHashMap<String, i64>,
    /// By name and email exactly as spelled, joined by U+001F (as in the keys); `spelled` is the
    /// buffer that joins them for a lookup, so that a row costs one lookup and no allocation.
    contributors_exact: FxHashMap<String, i64>,
    spelled: String,
    last_name: i64,
    last_contributor: i64,
    /// Made since the last batch.
    new_names: Vec<NewName>,
}

/// A name or contributor new to the book, with the id the [`Resolver`] gave it.
enum NewName {
    Name { id: i64, key: String, name: String },
    Contributor { id: i64, key: String, name: String, email: String },
}

fn write_new_names(tx: &Transaction, new_names: &[NewName]) -> Result<(), StoreError> {
    for new in new_names {
        match new {
            NewName::Name { id, key, name } => {
                tx.prepare_cached("INSERT INTO names (id, key, name) VALUES (?1, ?2, ?3)")?
                    .execute(params![id, key, name])?;
            }
            NewName::Contributor { id, key, name, email } => {
                tx.prepare_cached("INSERT INTO contributors (id, key, name, email) VALUES (?1, ?2, ?3, ?4)")?
                    .execute(params![id, key, name, email])?;
            }
        }
    }
    Ok(())
}

/// Where [`values`] gets the ids of the names and contributors a record refers to.
trait Refer {
    /// `None` for no name.
    fn name(&mut self, name: &str) -> Option<i64>;
    fn contributor(&mut self, person: &Person) -> i64;
}

/// The ids a record refers to, in the order [`values`] asks for them (a payment has four).
#[derive(Clone, Copy, Default)]
struct Refs {
    ids: [Option<i64>; 4],
    len: usize,
}

impl Refs {
    fn push(&mut self, id: Option<i64>) {
        self.ids[self.len] = id;
        self.len += 1;
    }

    /// Gives the ids again, in the same order, to a second call of [`values`].
    fn replay(&self) -> impl Refer + '_ {
        struct Replay<'a>(std::slice::Iter<'a, Option<i64>>);
        impl Refer for Replay<'_> {
            fn name(&mut self, _: &str) -> Option<i64> {
                *self.0.next().expect("values asks for as many names as when resolved")
            }
            fn contributor(&mut self, _: &Person) -> i64 {
                self.name("").expect("values asks for contributors where it did when resolved")
            }
        }
        Replay(self.ids[..self.len].iter())
    }
}

impl Resolver {
    fn new(tx: &Transaction) -> Result<Resolver, StoreError> {
        let mut names = FxHashMap::default();
        let mut stmt = tx.prepare("SELECT key, id FROM names")?;
        for row in stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))? {
            let (k, v) = row?;
            names.insert(k, v);
        }
        let mut contributors = FxHashMap::default();
        let mut stmt = tx.prepare("SELECT key, id FROM contributors")?;
        for row in stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))? {
            let (k, v) = row?;
            contributors.insert(k, v);
        }
        let last = |table: &str| tx.query_row(&format!("SELECT coalesce(max(id), 0) FROM {table}"), [], |r| r.get(0));
        Ok(Resolver {
            names,
            names_exact: FxHashMap::default(),
            contributors,
            contributors_exact: FxHashMap::default(),
            spelled: String::new(),
            last_name: last("names")?,
            last_contributor: last("contributors")?,
            new_names: Vec::new(),
        })
    }

    /// Resolves what `record` refers to, and digests it.
    fn resolve(&mut self, record: &Record) -> (Refs, i64) {
        struct Recording<'a>(&'a mut Resolver, Refs);
        impl Refer for Recording<'_> {
            fn name(&mut self, name: &str) -> Option<i64> {
                let id = self.0.name(name);
                self.1.push(id);
                id
            }
            fn contributor(&mut self, person: &Person) -> i64 {
                let id = self.0.contributor(person);
                self.1.push(Some(id));
                id
            }
        }
        let mut recording = Recording(self, Refs::default());
        let digest = digest(values(&mut recording, record).iter().map(value_ref));
        (recording.1, digest)
    }

    fn name(&mut self, name: &str) -> Option<i64> {
        let name = name.trim();
        if name.is_empty() {
            return None;
        }
        if let Some(&id) = self.names_exact.get(name) {
            return Some(id);
        }
        let key = name_key(name);
        let id = match self.names.get(&key) {
            Some(&id) => id,
            None => {
                self.last_name += 1;
                let id = self.last_name;
                self.names.insert(key.clone(), id);
                self.new_names.push(NewName::Name { id, key, name: name.to_string() });
                id
            }
        };
        self.names_exact.insert(name.to_string(), id);
        Some(id)
    }

    fn contributor(&mut self, person: &Person) -> i64 {
        let (name, email) = (person.name.trim(), person.email.trim());
        self.spelled.clear();
        self.spelled.extend([name, "\u{1f}", email]);
        if let Some(&id) = self.contributors_exact.get(&self.spelled) {
            return id;
        }
        let key = format!("{}\u{1f}{}", name_key(name), email.to_lowercase());
        let id = match self.contributors.get(&key) {
            Some(&id) => id,
            None => {
                self.last_contributor += 1;
                let id = self.last_contributor;
                self.contributors.insert(key.clone(), id);
                let (name, email) = (name.to_string(), email.to_string());
                self.new_names.push(NewName::Contributor { id, key, name, email });
                id
            }
        };
        self.contributors_exact.insert(self.spelled.clone(), id);
        id
    }
}

/// New ids for rows that come without one: the book's tag and the next sequence numbers.
struct NewIds {
    tag: String,
    next_seq: i64,
    /// How many were made.
    made: i64,
}

impl NewIds {
    fn new(tx: &Transaction) -> Result<NewIds, StoreError> {
        let meta = |key: &str| tx.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get::<_, String>(0));
        Ok(NewIds { tag: meta("book_tag")?, next_seq: meta("next_seq")?.parse().unwrap_or(1), made: 0 })
    }

    fn make(&mut self, kind: RecordKind) -> String {
        let id = record_id(kind, &self.tag, self.next_seq + self.made);
        self.made += 1;
        id
    }
}

/// The record's values in [`table_columns`] order, borrowing its texts (a million rows' copies
/// were a tenth of the writing thread's allocations), with the ids `refer` gives its names.
fn values<'r>(refer: &mut impl Refer, record: &'r Record) -> Vec<ToSqlOutput<'r>> {
    let text = |s: &'r str| ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes()));
    let owned = ToSqlOutput::Owned;
    let null = || owned(Value::Null);
    let date = |d: Date| owned(Value::Text(crate::model::iso(d)));
    let opt_date = |d: Option<Date>| d.map_or_else(null, date);
    let int = |n: i64| owned(Value::Integer(n));
    let opt_int = |v: Option<i64>| v.map_or_else(null, int);
    let rate = |r: rust_decimal::Decimal| owned(Value::Text(crate::money::format_rate(r)));
    match record {
        Record::Program(p) => {
            let (rate_per_hour, block_hours, block_amount, ratio, min_gift, max_gift) = match &p.earning {
                Earning::Rate(r) => (rate(*r), null(), null(), null(), None, None),
                Earning::Blocks { hours, amount } => (null(), int(*hours), int(*amount), null(), None, None),
                Earning::Match { ratio, min_gift, max_gift } => {
                    (null(), null(), null(), rate(*ratio), *min_gift, *max_gift)
                }
            };
            vec![
                text(&p.program),
                opt_int(refer.name(&p.employer)),
                text(&p.platform),
                text(p.kind.name()),
                text(p.currency.as_str()),
                date(p.effective_from),
                opt_date(p.effective_to),
                rate_per_hour,
                block_hours,
                block_amount,
                opt_int(p.min_hours),
                ratio,
                opt_int(min_gift),
                opt_int(max_gift),
                opt_int(p.annual_cap),
                text(&p.cap_group),
                owned(Value::Text(p.year_start.to_string())),
                opt_int(p.claim_days.map(i64::from)),
                p.fee_rate.map_or_else(null, rate),
            ]
        }
        Record::Employment(e) => {
            vec![int(refer.contributor(&e.person)), opt_int(refer.name(&e.employer)), date(e.start), opt_date(e.end)]
        }
        Record::Hours(h) => vec![
            date(h.date),
            int(refer.contributor(&h.person)),
            opt_int(refer.name(&h.employer)),
            opt_int(refer.name(&h.project)),
            int(h.hours),
            text(&h.description),
            text(h.status.name()),
        ],
        Record::Donation(d) => vec![
            date(d.date),
            int(refer.contributor(&d.person)),
            opt_int(refer.name(&d.employer)),
            opt_int(refer.name(&d.project)),
            int(d.amount),
            text(d.currency.as_str()),
            text(d.status.name()),
        ],
        Record::Payment(p) => {
            debug_assert_eq!(p.gross - p.fees, p.net, "{}", format_cents(p.net));
            vec![
                date(p.date),
                opt_int(refer.name(&p.payer)),
                opt_int(refer.name(&p.project)),
                text(p.currency.as_str()),
                int(p.gross),
                int(p.fees),
                int(p.net),
                text(&p.reference),
                opt_int(refer.name(&p.employer)),
                match &p.person {
                    Some(person) => int(refer.contributor(person)),
                    None => null(),
                },
                text(p.funds.name()),
                text(&p.disbursement),
            ]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Books keep digests: the bytes they hash may never change. (This value is the digest as
    /// first made, over owned values; borrowed texts must give the same.)
    #[test]
    fn digests_are_what_books_already_hold() {
        let owned = [Value::Text("2025-01-02".into()), Value::Integer(7), Value::Null, Value::Text("logged".into())];
        let borrowed = [ValueRef::Text(b"2025-01-02"), ValueRef::Integer(7), ValueRef::Null, ValueRef::Text(b"logged")];
        let from_owned = digest(owned.iter().map(ValueRef::from));
        assert_eq!(from_owned, digest(borrowed));
        assert_eq!(from_owned, PINNED);
    }

    const PINNED: i64 = -8507636858603271091;

    /// Ids whose hashes collide are told apart by their text, and each keeps its own record.
    #[test]
    fn the_id_index_finds_each_id_and_replaces_in_place() {
        let mut index = IdIndex::default();
        for i in 0..10_000 {
            index.insert(&format!("h-x-{i}"), i, -i);
        }
        index.insert("h-x-7", 70, 700);
        assert_eq!(index.get("h-x-7"), Some((70, 700)));
        assert_eq!(index.get("h-x-9999"), Some((9999, -9999)));
        assert_eq!(index.get("h-x-10000"), None);
        assert_eq!(index.records.len(), 10_000);
        // Three ids under one hash.
        for (n, id) in ["a", "b", "c"].into_iter().enumerate() {
            index.insert_hashed(42, id, n as i64, 0);
        }
        index.insert_hashed(42, "b", 11, 1);
        let found = |id| index.find(42, id).map(|i| index.records[i as usize].rid);
        assert_eq!((found("a"), found("b"), found("c"), found("d")), (Some(0), Some(11), Some(2), None));
        assert_eq!(index.records.len(), 10_003);
    }

    /// Rids are counted, not asked for: should SQLite choose another (only past i64::MAX), the
    /// import says so and writes nothing.
    #[test]
    fn an_import_refuses_rows_whose_rids_are_not_the_ones_counted() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("book.sqlite")).unwrap();
        let conn = store.connection();
        conn.pragma_update(None, "foreign_keys", "OFF").unwrap();
        conn.execute(
            "INSERT INTO hours (rid, id, digest, date, contributor, project, hours, description, status)
             VALUES (?1, 'h-last', 0, '2025-01-01', 1, 1, 10000, '', 'logged')",
            [i64::MAX],
        )
        .unwrap();
        let csv = dir.path().join("hours.csv");
        std::fs::write(&csv, "date,contributor,project,hours\n2025-01-02,Ada,Lumen,1\n").unwrap();
        let error = store.import(&[csv], &ImportOptions::default(), &mut |_| {}).unwrap_err();
        assert!(error.to_string().contains("no rid left"), "{error}");
        let rows: i64 = store.connection().query_row("SELECT count(*) FROM hours", [], |r| r.get(0)).unwrap();
        assert_eq!(rows, 1);
    }
}
