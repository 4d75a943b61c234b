//! Opening a file for an import: a ledger file of the contract, a platform's report (read whole
//! and turned into records), or one of the book's other files (links, mappings).

use super::super::book_files::{self, BookFile, BookRow};
use crate::benevity;
use crate::ledger::{LedgerError, LedgerReader};
use crate::model::{Record, RecordKind};
use crate::money::format_cents;
use crate::store::{ImportOptions, Store, StoreError};
use std::io::Read;
use std::path::Path;

/// Where an import's rows come from.
pub enum Source {
    /// A ledger file of the contract.
    Ledger(Box<LedgerReader>),
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
pub(super) enum Opened {
    Records(Box<Source>),
    /// One of the book's other files, read whole: it is applied after every file of records.
    Book {
        file: String,
        kind: BookFile,
        rows: Vec<BookRow>,
    },
}

impl Source {
    pub(super) fn kind(&self) -> RecordKind {
        match self {
            Source::Ledger(reader) => reader.kind(),
            Source::Report { kind, .. } => *kind,
        }
    }

    pub(super) fn file(&self) -> &str {
        match self {
            Source::Ledger(reader) => reader.file(),
            Source::Report { file, .. } => file,
        }
    }

    pub(super) fn next_record(&mut self) -> Option<Result<(u64, Record), LedgerError>> {
        match self {
            Source::Ledger(reader) => reader.next_record(),
            Source::Report { rows, .. } => rows.next().map(Ok),
        }
    }

    /// Whether rows may name records by id (a report's always do).
    pub(super) fn has_ids(&self) -> bool {
        match self {
            Source::Ledger(reader) => reader.has_ids(),
            Source::Report { .. } => true,
        }
    }

    pub(super) fn bytes_read(&self) -> u64 {
        match self {
            Source::Ledger(reader) => reader.bytes_read(),
            Source::Report { .. } => 0,
        }
    }
}

impl Store {
    /// Opens one file: a Benevity donations report (recognised by its first line, unless
    /// `options.kind` says otherwise) becomes payment records, one of the book's other files (by
    /// its header) is read whole, anything else is a ledger file, read as the import goes.
    pub(super) fn open_source(
        &self,
        path: &Path,
        options: &ImportOptions,
    ) -> Result<Result<Opened, Vec<LedgerError>>, StoreError> {
        let file = path.display().to_string();
        let cannot_read = |e: std::io::Error| {
            Ok(Err(vec![LedgerError {
                file: file.clone(),
                line: None,
                column: None,
                message: format!("cannot read: {e}"),
            }]))
        };
        if options.kind.is_some() {
            return Ok(LedgerReader::open(path, options.kind, options.ignore_unknown)
                .map(|reader| Opened::Records(Box::new(Source::Ledger(Box::new(reader)))))
                .map_err(|e| vec![e]));
        }
        // The file's beginning tells what it is.
        let mut start = Vec::with_capacity(SNIFF_BYTES);
        match std::fs::File::open(path).and_then(|f| f.take(SNIFF_BYTES as u64).read_to_end(&mut start)) {
            Ok(_) => {}
            Err(e) => return cannot_read(e),
        }
        let is_report = benevity::is_report(&start);
        let book_file =
            book_files::header_of(&start).and_then(|header| BookFile::recognise(&header).map(|k| (k, header)));
        if !is_report && book_file.is_none() {
            return Ok(LedgerReader::open(path, None, options.ignore_unknown)
                .map(|reader| Opened::Records(Box::new(Source::Ledger(Box::new(reader)))))
                .map_err(|e| vec![e]));
        }
        // Platform reports and the book's own files are read whole: they are checked as a whole.
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        if size > MAX_WHOLE_FILE_BYTES {
            return Ok(Err(vec![LedgerError {
                file,
                line: None,
                column: None,
                message: format!(
                    "the file holds {} MiB; Matchbook reads a report of at most {} MiB",
                    size >> 20,
                    MAX_WHOLE_FILE_BYTES >> 20
                ),
            }]));
        }
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => return cannot_read(e),
        };
        if is_report {
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
        let (kind, header) = book_file.expect("a report or a book file");
        Ok(book_files::read(&file, &bytes, kind, &header).map(|rows| Opened::Book { file, kind, rows }))
    }
}

/// How much of a file's beginning is read to tell what it is.
const SNIFF_BYTES: usize = 64 * 1024;

/// The largest platform report or book file read whole (a ledger file of any size streams).
const MAX_WHOLE_FILE_BYTES: u64 = 256 << 20;
