//! Import: ledger files and platform reports into the book, all or nothing, with the contract's
//! id and identical-row rules.
//!
//! The stages, each in its own file: [`source`] opens a file as rows of records (a ledger, a
//! platform's report, or one of the book's other files); [`read_ahead`] parses a file on a second
//! thread while [`resolver`] gives each row's names their ids; [`file`] decides for each row
//! whether it adds, replaces or leaves a record (with [`id_index`] for rows with ids) and
//! [`inserts`] writes new rows many to a statement. This file runs the stages over every file in
//! one transaction and checks what spans files (program versions that overlap).

mod file;
mod id_index;
mod inserts;
mod read_ahead;
mod resolver;
mod source;

pub(super) use source::{read_whole, sniff};

use super::book_files::{self, BookFile};
use super::{bump_records_version, set_meta, Store, StoreError};
use crate::ledger::{LedgerError, LedgerReader};
use crate::model::*;
use resolver::{NewIds, Resolver};
use rusqlite::Transaction;
use source::{Opened, Source};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Read every file as this kind instead of recognising it from its header.
    pub kind: Option<RecordKind>,
    /// Read every file with the book's import profile of this name instead of recognising it.
    pub profile: Option<String>,
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
pub const MAX_ERRORS: usize = 50;

/// Expands folders into the files an import reads that they hold: CSV files and OFX (or QFX)
/// statements, sorted by name, not recursive.
pub fn expand_paths(paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut inside: Vec<PathBuf> =
                std::fs::read_dir(path)?.map(|e| e.map(|e| e.path())).collect::<std::io::Result<_>>()?;
            inside.retain(|p| {
                p.is_file()
                    && p.extension().is_some_and(|e| ["csv", "ofx", "qfx"].iter().any(|x| e.eq_ignore_ascii_case(x)))
            });
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
        if !options.dry_run {
            self.writable()?;
            self.check()?;
            self.backup("import")?;
        }
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

    /// Imports already opened ledgers (or the errors met opening them) in one transaction.
    pub fn import_readers(
        &mut self,
        readers: impl IntoIterator<Item = Result<LedgerReader, LedgerError>>,
        options: &ImportOptions,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<ImportOutcome, StoreError> {
        let sources = readers
            .into_iter()
            .map(|r| r.map(|r| Opened::Records(Box::new(Source::Ledger(Box::new(r))))).map_err(|e| vec![e]));
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
        // contributors that it read or wrote in this same transaction: SQLite checking each of
        // them again would be a large part of a big import's time.
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
        let tx = self.begin_write()?;
        let mut import = Import {
            tx: &tx,
            resolver: Resolver::new(&tx)?,
            new_ids: NewIds::new(&tx)?,
            errors: Vec::new(),
            program_lines: HashMap::new(),
            cancel: options.cancel.clone(),
            progress,
        };
        let mut reports = Vec::new();
        let mut book_files = Vec::new();
        let mut sources: Vec<_> = sources.into_iter().collect();
        source::share_bank_fields(&mut sources);
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
                Err(e) => import.errors.extend(e),
                Ok(Opened::Book { file, kind, rows }) => book_files.push((file, kind, rows)),
                Ok(Opened::Records(reader)) => {
                    // A preview need not write the entries (most of a big import) when nothing
                    // later in it reads them back: another file of their kind (ids, identical
                    // rows) or a `reconciled.csv` (links name entries). Its counts are the same.
                    let kind = reader.kind();
                    let read_back = links_in_import || kinds[i + 1..].contains(&Some(FileKind::Records(kind)));
                    let entries = kind.entry_kind().is_some();
                    let write = !(options.dry_run && entries && !read_back);
                    reports.push(import.file(*reader, write)?);
                }
            }
            if import.cancelled() {
                return Ok(ImportOutcome::Cancelled);
            }
            if import.errors.len() >= MAX_ERRORS {
                break;
            }
        }
        let Import { mut errors, program_lines, new_ids, .. } = import;
        if errors.is_empty() {
            check_program_overlaps(&tx, &program_lines, &mut errors)?;
        }
        // Links name records that this import may have brought: they come after all of them.
        if errors.is_empty() {
            book_files.sort_by_key(|(_, kind, _)| BookFile::ALL.iter().position(|k| k == kind));
            for (file, kind, rows) in book_files {
                let mut report = book_files::report(&file, kind);
                book_files::apply(&tx, kind, &rows, &mut report, &mut errors)?;
                reports.push(report);
            }
        }
        if errors.is_empty() {
            keep_linked_entries_paid(&tx, &mut reports)?;
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

/// An entry a payment pays stays `paid` when a row with its id replaces it with another status
/// (a contributor's older export): the link is the treasurer's decision, undone by unlinking, and
/// the book would otherwise say both "paid by this payment" and "submitted". Each is a warning
/// on the file of its kind.
fn keep_linked_entries_paid(tx: &Transaction, reports: &mut [FileReport]) -> Result<(), StoreError> {
    for kind in [RecordKind::Hours, RecordKind::Donations] {
        let table = kind.name();
        let unpaid: Vec<(String, String, String)> = {
            let mut stmt = tx.prepare(&format!(
                "SELECT e.id, r.payment, p.date FROM reconciled r
                 JOIN {table} e ON e.id = r.entry JOIN payments p ON p.id = r.payment
                 WHERE e.status <> 'paid'"
            ))?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for (entry, payment, paid_on) in unpaid {
            super::links::mark_paid(tx, kind, &entry, super::rows::date(&paid_on)?)?;
            if let Some(report) = reports.iter_mut().rev().find(|r| r.kind == FileKind::Records(kind)) {
                report.warnings.push(format!(
                    "{}: entry {entry} stays paid: payment {payment} pays it (unlink it to change its status)",
                    report.file
                ));
            }
        }
    }
    Ok(())
}

/// One import under way: its transaction and what it carries from file to file.
struct Import<'i> {
    tx: &'i Transaction<'i>,
    /// The ids of names and contributors, the book's and those this import brought.
    resolver: Resolver,
    /// Ids for new rows that come without one.
    new_ids: NewIds,
    /// Every problem met so far, up to [`MAX_ERRORS`]; one means nothing is written.
    errors: Vec<LedgerError>,
    /// The file and line of each program version this import wrote, to name them in errors.
    program_lines: HashMap<i64, (String, u64)>,
    cancel: Option<Arc<AtomicBool>>,
    progress: &'i mut dyn FnMut(Progress),
}

impl Import<'_> {
    fn cancelled(&self) -> bool {
        self.cancel.as_ref().is_some_and(|c| c.load(Ordering::Relaxed))
    }
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
    /// A program version's span, as the check compares them.
    struct Span {
        rid: i64,
        id: String,
        /// The program's name, case-folded, and its employer: what makes versions one program.
        program_key: String,
        employer: i64,
        from: String,
        to: Option<String>,
        program: String,
        employer_name: String,
    }
    let spans: Vec<Span> = stmt
        .query_map([], |r| {
            Ok(Span {
                rid: r.get(0)?,
                id: r.get(1)?,
                program_key: r.get(2)?,
                employer: r.get(3)?,
                from: r.get(4)?,
                to: r.get(5)?,
                program: r.get(6)?,
                employer_name: r.get(7)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    for pair in spans.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let same_program = a.program_key == b.program_key && a.employer == b.employer;
        let overlaps = a.to.as_deref().is_none_or(|a_end| a_end >= b.from.as_str());
        if same_program && overlaps {
            let culprit = if program_lines.contains_key(&b.rid) { b } else { a };
            let (file, line) = program_lines.get(&culprit.rid).cloned().unwrap_or_default();
            errors.push(LedgerError {
                file,
                line: Some(line),
                column: Some("effective_from".into()),
                message: format!(
                    "versions {} ({} to {}) and {} (from {}) of {} ({}) overlap; versions of one program must not overlap",
                    a.id,
                    a.from,
                    a.to.as_deref().unwrap_or("open end"),
                    b.id,
                    b.from,
                    a.program,
                    a.employer_name
                ),
            });
        }
    }
    Ok(())
}
