//! Opening a file for an import: a ledger file of the contract, a platform's report, a bank's OFX
//! statement or a file of a saved import profile (each read whole and turned into records), or one
//! of the book's other files (links, mappings).

use super::super::book_files::{self, BookFile, BookRow};
use crate::ledger::{LedgerError, LedgerReader};
use crate::model::{Deposit, Record, RecordKind};
use crate::ofx;
use crate::platforms::{self, PlatformReport};
use crate::profile::{self, Profile};
use crate::store::{ImportOptions, Store, StoreError};
use std::io::Read;
use std::path::Path;

/// Where an import's rows come from.
pub enum Source {
    /// A ledger file of the contract.
    Ledger(Box<LedgerReader>),
    /// Records made from a platform's report (see [`crate::platforms`]), a bank statement or a
    /// profile's file, with their lines in it.
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
    /// Opens one file. What it is, is told by its beginning (unless `options` says): a platform's
    /// report or a bank's OFX statement becomes records, one of the book's other files (by its
    /// header) is read whole, a file with the header of a saved import profile is read with it,
    /// anything else is a ledger file, read as the import goes.
    pub(super) fn open_source(
        &self,
        path: &Path,
        options: &ImportOptions,
    ) -> Result<Result<Opened, Vec<LedgerError>>, StoreError> {
        let file = path.display().to_string();
        if options.kind.is_some() {
            return Ok(LedgerReader::open(path, options.kind, options.ignore_unknown)
                .map(|reader| Opened::Records(Box::new(Source::Ledger(Box::new(reader)))))
                .map_err(|e| vec![e]));
        }
        if let Some(name) = &options.profile {
            let Some(profile) = self.import_profile(name)? else {
                return Ok(Err(vec![whole_file(&file, self.no_such_profile(name)?)]));
            };
            return self.profile_source(&profile, path);
        }
        let start = match sniff(path) {
            Ok(start) => start,
            Err(e) => return Ok(Err(vec![e])),
        };
        if ofx::is_ofx(&start) {
            let bytes = match read_whole(path) {
                Ok(bytes) => bytes,
                Err(e) => return Ok(Err(vec![e])),
            };
            return Ok(ofx::read(&file, &bytes).and_then(|statements| ofx_source(file, statements)));
        }
        let layout = platforms::recognise(&start);
        let book_file = crate::csv_text::first_line_names(&start)
            .and_then(|header| BookFile::recognise(&header).map(|k| (k, header)));
        if layout.is_none() && book_file.is_none() {
            return match self.profile_recognising(&start)? {
                Ok(Some(profile)) => self.profile_source(&profile, path),
                Ok(None) => Ok(LedgerReader::open(path, None, options.ignore_unknown)
                    .map(|reader| Opened::Records(Box::new(Source::Ledger(Box::new(reader)))))
                    .map_err(|e| vec![e])),
                Err(message) => Ok(Err(vec![whole_file(&file, message)])),
            };
        }
        // Platform reports and the book's own files are read whole: they are checked as a whole.
        let bytes = match read_whole(path) {
            Ok(bytes) => bytes,
            Err(e) => return Ok(Err(vec![e])),
        };
        if let Some(layout) = layout {
            let report = match platforms::read(layout, &file, &bytes, &self.book_settings()?) {
                Ok(report) => report,
                Err(errors) => return Ok(Err(errors)),
            };
            return self.report_source(report);
        }
        let (kind, header) = book_file.expect("a report or a book file");
        Ok(book_files::read(&file, &bytes, kind, &header).map(|rows| Opened::Book { file, kind, rows }))
    }

    /// The file at `path` read with `profile`: a payments profile's lines go through the book's
    /// mappings like a platform report's; a deposits profile's rows are deposits.
    fn profile_source(&self, profile: &Profile, path: &Path) -> Result<Result<Opened, Vec<LedgerError>>, StoreError> {
        let file = path.display().to_string();
        let bytes = match read_whole(path) {
            Ok(bytes) => bytes,
            Err(e) => return Ok(Err(vec![e])),
        };
        let read = match profile::read(profile, &file, &bytes) {
            Ok(read) => read,
            Err(errors) => return Ok(Err(errors)),
        };
        let mut warnings = read.warnings;
        if !read.skipped.is_empty() {
            let (line, why) = &read.skipped[0];
            warnings.push(format!(
                "{file}: {} row(s) left out, as the profile says (line {line}: {why})",
                read.skipped.len()
            ));
        }
        if let Some(mut report) = read.payments {
            report.warnings = warnings;
            return self.report_source(report);
        }
        Ok(Ok(deposits_source(file, read.description, read.deposits, warnings)))
    }

    /// What an import says when `--profile` names no saved profile.
    fn no_such_profile(&self, name: &str) -> Result<String, StoreError> {
        let names: Vec<String> = self.import_profiles()?.into_iter().map(|p| format!("{:?}", p.name)).collect();
        Ok(if names.is_empty() {
            format!("the book has no import profile {name:?} (it has none yet)")
        } else {
            format!("the book has no import profile {name:?} (it has {})", names.join(", "))
        })
    }

    /// A platform's report as a source of payment records, each placed in its project. A line
    /// that another layout of the same money brought keeps what this one does not say (the
    /// donations report knows no bank reference), so that importing both changes nothing.
    fn report_source(&self, report: PlatformReport) -> Result<Result<Opened, Vec<LedgerError>>, StoreError> {
        let mut payments = match self.placed_payments(&report)? {
            Ok(payments) => payments,
            Err(errors) => return Ok(Err(errors)),
        };
        let unbanked: Vec<&str> = payments
            .iter()
            .filter(|(_, p)| p.bank_date.is_none() && p.bank_reference.is_empty())
            .map(|(_, p)| p.id.as_str())
            .collect();
        let banked = self.bank_fields_of(&unbanked)?;
        for (_, payment) in &mut payments {
            if let Some((date, reference)) = banked.get(&payment.id) {
                payment.bank_date = *date;
                payment.bank_reference.clone_from(reference);
            }
        }
        Ok(Ok(Opened::Records(Box::new(Source::Report {
            format: report.description,
            file: report.file,
            kind: RecordKind::Payments,
            rows: payments.into_iter().map(|(line, p)| (line, Record::Payment(p))).collect::<Vec<_>>().into_iter(),
            warnings: report.warnings,
        }))))
    }

    /// The platform report at `path` (a built-in layout, or a saved payments profile's), read
    /// with the book's settings; `None` when the file is not one or does not read (the import
    /// says why).
    pub(in crate::store) fn read_platform_report(&self, path: &Path) -> Result<Option<PlatformReport>, StoreError> {
        let Ok(start) = sniff(path) else { return Ok(None) };
        let file = path.display().to_string();
        if let Some(layout) = platforms::recognise(&start) {
            let Ok(bytes) = read_whole(path) else { return Ok(None) };
            return Ok(platforms::read(layout, &file, &bytes, &self.book_settings()?).ok());
        }
        if ofx::is_ofx(&start)
            || crate::csv_text::first_line_names(&start).and_then(|h| BookFile::recognise(&h)).is_some()
        {
            return Ok(None);
        }
        let Ok(Some(profile)) = self.profile_recognising(&start)? else { return Ok(None) };
        let Ok(bytes) = read_whole(path) else { return Ok(None) };
        Ok(profile::read(&profile, &file, &bytes).ok().and_then(|read| read.payments))
    }
}

/// Gives a platform report's payment what another report of the same import says of its bank
/// date and reference: the donations report and the disbursement report of the same money may
/// come in one import (a folder holding both), and the one that knows no bank fields must not
/// replace the other's (the book's own, [`Store::report_source`] carries over when opening).
pub(super) fn share_bank_fields(sources: &mut [Result<Opened, Vec<LedgerError>>]) {
    let mut banked: std::collections::HashMap<String, (Option<crate::model::Date>, String)> = Default::default();
    for source in sources.iter_mut() {
        if let Ok(Opened::Records(source)) = source {
            if let Source::Report { rows, .. } = source.as_mut() {
                for (_, record) in rows.as_mut_slice() {
                    if let Record::Payment(p) = record {
                        if p.bank_date.is_some() || !p.bank_reference.is_empty() {
                            banked.insert(p.id.clone(), (p.bank_date, p.bank_reference.clone()));
                        }
                    }
                }
            }
        }
    }
    if banked.is_empty() {
        return;
    }
    for source in sources.iter_mut() {
        if let Ok(Opened::Records(source)) = source {
            if let Source::Report { rows, .. } = source.as_mut() {
                for (_, record) in rows.as_mut_slice() {
                    if let Record::Payment(p) = record {
                        if p.bank_date.is_none() && p.bank_reference.is_empty() {
                            if let Some((date, reference)) = banked.get(&p.id) {
                                p.bank_date = *date;
                                p.bank_reference.clone_from(reference);
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A bank's OFX statements as deposit records: every credit is one; debits are not deposits and
/// are left out, counted in a warning. A deposit's id is made of the account and the bank's id of
/// the transaction (`FITID`, unique within the account), so that a statement imported again, or
/// one that overlaps the last, changes nothing.
fn ofx_source(file: String, statements: Vec<ofx::Statement>) -> Result<Opened, Vec<LedgerError>> {
    let mut deposits = Vec::new();
    let mut lines_of: std::collections::HashMap<String, u64> = Default::default();
    let mut debits = 0usize;
    let mut accounts = Vec::new();
    for statement in statements {
        accounts.push(statement.account.clone());
        for t in statement.transactions {
            if t.amount <= 0 {
                debits += 1;
                continue;
            }
            let description = [t.name.as_str(), t.memo.as_str()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" / ");
            let id = format!("ofx-{}-{}", platforms::slug(&statement.account), platforms::id_part(&t.fitid));
            if let Some(first) = lines_of.insert(id.clone(), t.line) {
                return Err(vec![LedgerError {
                    file,
                    line: Some(t.line),
                    column: Some("FITID".into()),
                    message: format!(
                        "{:?} makes the same deposit id as the transaction on line {first} ({id}); each \
                         transaction of an account needs its own",
                        t.fitid
                    ),
                }]);
            }
            deposits.push((
                t.line,
                Deposit {
                    id,
                    date: t.date,
                    account: statement.account.clone(),
                    currency: t.currency,
                    amount: t.amount,
                    reference: t.reference,
                    description,
                },
            ));
        }
    }
    let mut warnings = Vec::new();
    if debits > 0 {
        warnings.push(format!("{file}: {debits} withdrawal(s) left out: only money in is checked against payouts"));
    }
    let description = format!("an OFX bank statement of {}", accounts.join(", "));
    Ok(deposits_source(file, description, deposits, warnings))
}

fn deposits_source(file: String, format: String, deposits: Vec<(u64, Deposit)>, warnings: Vec<String>) -> Opened {
    Opened::Records(Box::new(Source::Report {
        file,
        format,
        kind: RecordKind::Deposits,
        rows: deposits.into_iter().map(|(line, d)| (line, Record::Deposit(d))).collect::<Vec<_>>().into_iter(),
        warnings,
    }))
}

/// An error about a file as a whole.
fn whole_file(file: &str, message: String) -> LedgerError {
    LedgerError { file: file.to_string(), line: None, column: None, message }
}

/// The first [`SNIFF_BYTES`] of a file.
pub(in crate::store) fn sniff(path: &Path) -> Result<Vec<u8>, LedgerError> {
    let mut start = Vec::with_capacity(SNIFF_BYTES);
    std::fs::File::open(path)
        .and_then(|f| f.take(SNIFF_BYTES as u64).read_to_end(&mut start))
        .map_err(|e| cannot_read(path, e))?;
    Ok(start)
}

/// A report or book file, whole, if it is not larger than Matchbook reads.
pub(in crate::store) fn read_whole(path: &Path) -> Result<Vec<u8>, LedgerError> {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > MAX_WHOLE_FILE_BYTES {
        return Err(LedgerError {
            file: path.display().to_string(),
            line: None,
            column: None,
            message: format!(
                "the file holds {} MiB; Matchbook reads a report of at most {} MiB",
                size >> 20,
                MAX_WHOLE_FILE_BYTES >> 20
            ),
        });
    }
    std::fs::read(path).map_err(|e| cannot_read(path, e))
}

fn cannot_read(path: &Path, e: std::io::Error) -> LedgerError {
    LedgerError { file: path.display().to_string(), line: None, column: None, message: format!("cannot read: {e}") }
}

/// How much of a file's beginning is read to tell what it is.
const SNIFF_BYTES: usize = 64 * 1024;

/// The largest platform report or book file read whole (a ledger file of any size streams).
const MAX_WHOLE_FILE_BYTES: u64 = 256 << 20;
