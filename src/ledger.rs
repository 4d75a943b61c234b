//! The ledger's CSV files: recognising a file's kind, reading rows into [`Record`]s with errors that
//! name file, line and column, and writing records back so that a round trip is exact.
//!
//! Reading is streaming: a million-row file never becomes a million structs at once.

use crate::csv_text::{read_failure, CheckedText, MAX_CELL_BYTES, MAX_COLUMNS};
use crate::model::*;
use crate::money::{self, Currency};
use std::fmt;
use std::path::Path;

/// One problem with an input file. `line` is 1-based and counts the header as line 1.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LedgerError {
    pub file: String,
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub line: Option<u64>,
    pub column: Option<String>,
    pub message: String,
}

impl fmt::Display for LedgerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ": column {column}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for LedgerError {}

/// A column of a record kind: its name and whether a file must have it.
struct Column {
    name: &'static str,
    required: bool,
}

const fn req(name: &'static str) -> Column {
    Column { name, required: true }
}
const fn opt(name: &'static str) -> Column {
    Column { name, required: false }
}

const PROGRAM_COLUMNS: &[Column] = &[
    opt("id"),
    req("program"),
    req("employer"),
    opt("platform"),
    req("kind"),
    req("currency"),
    req("effective_from"),
    opt("effective_to"),
    opt("rate_per_hour"),
    opt("block_hours"),
    opt("block_amount"),
    opt("min_hours"),
    opt("match_ratio"),
    opt("min_gift"),
    opt("max_gift"),
    opt("annual_cap"),
    opt("cap_group"),
    opt("year_start"),
    opt("claim_days"),
    opt("fee_rate"),
];
const EMPLOYMENT_COLUMNS: &[Column] =
    &[opt("id"), req("contributor"), opt("email"), req("employer"), req("start"), opt("end")];
const HOURS_COLUMNS: &[Column] = &[
    opt("id"),
    req("date"),
    req("contributor"),
    opt("email"),
    opt("employer"),
    req("project"),
    req("hours"),
    opt("description"),
    opt("status"),
    opt("submitted_on"),
    opt("approved_on"),
    opt("paid_on"),
    opt("rejected_on"),
];
const DONATION_COLUMNS: &[Column] = &[
    opt("id"),
    req("date"),
    req("contributor"),
    opt("email"),
    opt("employer"),
    req("project"),
    req("amount"),
    req("currency"),
    opt("status"),
    opt("submitted_on"),
    opt("approved_on"),
    opt("paid_on"),
    opt("rejected_on"),
];
const PAYMENT_COLUMNS: &[Column] = &[
    opt("id"),
    req("date"),
    req("payer"),
    req("project"),
    req("currency"),
    req("gross"),
    opt("fees"),
    opt("net"),
    opt("reference"),
    opt("employer"),
    opt("contributor"),
    opt("email"),
    opt("type"),
    opt("disbursement"),
    opt("gift_date"),
    opt("bank_date"),
    opt("bank_reference"),
];
const DEPOSIT_COLUMNS: &[Column] =
    &[opt("id"), req("date"), opt("account"), req("currency"), req("amount"), opt("reference"), opt("description")];

fn columns(kind: RecordKind) -> &'static [Column] {
    match kind {
        RecordKind::Programs => PROGRAM_COLUMNS,
        RecordKind::Employments => EMPLOYMENT_COLUMNS,
        RecordKind::Hours => HOURS_COLUMNS,
        RecordKind::Donations => DONATION_COLUMNS,
        RecordKind::Payments => PAYMENT_COLUMNS,
        RecordKind::Deposits => DEPOSIT_COLUMNS,
    }
}

/// The header a file of this kind is written with, in the contract's order.
pub fn header(kind: RecordKind) -> Vec<&'static str> {
    columns(kind).iter().map(|c| c.name).collect()
}

/// Reads one ledger CSV file row by row.
pub struct LedgerReader {
    file: String,
    kind: RecordKind,
    /// For each column of the kind, its index in the file's header.
    positions: Vec<Option<usize>>,
    width: usize,
    warnings: Vec<String>,
    csv: csv::Reader<CheckedText<Box<dyn std::io::Read + Send>>>,
    record: csv::StringRecord,
    /// Set once the text itself failed (not a row): nothing after it can be read.
    ended: bool,
}

impl LedgerReader {
    /// Opens `path`, checks that it is text CSV with a header, and recognises its kind (unless
    /// `kind` is given). The rows are read as they are asked for: the file is never whole in
    /// memory.
    pub fn open(path: &Path, kind: Option<RecordKind>, ignore_unknown: bool) -> Result<Self, LedgerError> {
        let file = path.display().to_string();
        let opened = std::fs::File::open(path).map_err(|e| LedgerError {
            file: file.clone(),
            line: None,
            column: None,
            message: format!("cannot read: {e}"),
        })?;
        Self::from_reader(file, Box::new(opened), kind, ignore_unknown)
    }

    /// Like [`LedgerReader::open`], for bytes already in memory; `file` names them in errors.
    pub fn from_bytes(
        file: String,
        bytes: Vec<u8>,
        kind: Option<RecordKind>,
        ignore_unknown: bool,
    ) -> Result<Self, LedgerError> {
        Self::from_reader(file, Box::new(std::io::Cursor::new(bytes)), kind, ignore_unknown)
    }

    fn from_reader(
        file: String,
        source: Box<dyn std::io::Read + Send>,
        kind: Option<RecordKind>,
        ignore_unknown: bool,
    ) -> Result<Self, LedgerError> {
        let err = |line: Option<u64>, message: String| LedgerError { file: file.clone(), line, column: None, message };
        let mut csv = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(CheckedText::new(source));
        let mut record = csv::StringRecord::new();
        let empty = || err(None, "the file is empty; a ledger file starts with a header row".into());
        let read = csv.read_record(&mut record).map_err(|e| text_error(&file, &mut csv, e))?;
        if !read {
            return Err(empty());
        }
        if record.iter().all(|h| h.trim().is_empty()) {
            let more = csv.read_record(&mut record).map_err(|e| text_error(&file, &mut csv, e))?;
            return Err(if more {
                err(Some(1), "line 1 is blank; a ledger file starts with a header row".into())
            } else {
                empty()
            });
        }
        if record.len() > MAX_COLUMNS {
            return Err(err(
                Some(1),
                format!("the header has {} columns; Matchbook reads at most {MAX_COLUMNS}", record.len()),
            ));
        }
        let names: Vec<String> = record.iter().map(|h| h.trim().to_ascii_lowercase()).collect();
        let kind = match kind {
            Some(kind) => kind,
            None => recognise(&names).map_err(|m| err(Some(1), m))?,
        };
        let cols = columns(kind);
        let mut warnings = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for name in &names {
            if !seen.insert(name.as_str()) {
                return Err(err(Some(1), format!("column {name:?} appears twice in the header")));
            }
            if !cols.iter().any(|c| c.name == name) {
                let message =
                    format!("unknown column {name:?} for a {kind} file (known columns: {})", header(kind).join(", "));
                if ignore_unknown {
                    warnings.push(format!("{file}:1: {message}; ignored"));
                } else {
                    return Err(err(Some(1), format!("{message}; use --ignore-unknown to skip it")));
                }
            }
        }
        let missing: Vec<&str> =
            cols.iter().filter(|c| c.required && !names.iter().any(|n| n == c.name)).map(|c| c.name).collect();
        if !missing.is_empty() {
            return Err(err(Some(1), format!("a {kind} file needs the column(s) {}", missing.join(", "))));
        }
        let positions = cols.iter().map(|c| names.iter().position(|n| n == c.name)).collect();
        Ok(LedgerReader { file, kind, positions, width: names.len(), warnings, csv, record, ended: false })
    }

    pub fn kind(&self) -> RecordKind {
        self.kind
    }

    pub fn file(&self) -> &str {
        &self.file
    }

    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Whether the file has an `id` column: without one, no row names a record to replace.
    pub fn has_ids(&self) -> bool {
        columns(self.kind)
            .iter()
            .zip(&self.positions)
            .any(|(column, position)| column.name == "id" && position.is_some())
    }

    /// How far through the file the reader is, in bytes; for progress bars.
    pub fn bytes_read(&self) -> u64 {
        self.csv.position().byte()
    }

    /// The next row as a record with its line number, or the first problem found in it.
    pub fn next_record(&mut self) -> Option<Result<(u64, Record), LedgerError>> {
        if self.ended {
            return None;
        }
        match self.csv.read_record(&mut self.record) {
            Ok(false) => None,
            Err(e) => {
                self.ended = true;
                Some(Err(text_error(&self.file, &mut self.csv, e)))
            }
            Ok(true) => {
                let start = self.record.position().map_or(0, |p| p.byte());
                let line = self.csv.get_mut().line_at(start);
                Some(self.parse_row(line).map(|r| (line, r)))
            }
        }
    }

    fn parse_row(&self, line: u64) -> Result<Record, LedgerError> {
        if self.record.len() != self.width {
            return Err(LedgerError {
                file: self.file.clone(),
                line: Some(line),
                column: None,
                message: format!(
                    "the row has {} field(s) but the header has {}{}",
                    self.record.len(),
                    self.width,
                    if self.record.len() < self.width { " (a short row)" } else { "" }
                ),
            });
        }
        if let Some(at) = self.record.iter().position(|cell| cell.len() > MAX_CELL_BYTES) {
            let column = columns(self.kind).iter().zip(&self.positions).find(|(_, p)| **p == Some(at));
            return Err(LedgerError {
                file: self.file.clone(),
                line: Some(line),
                column: column.map(|(c, _)| c.name.to_string()),
                message: format!(
                    "the cell holds {} KiB; Matchbook reads at most {} KiB in one cell",
                    self.record[at].len() / 1024,
                    MAX_CELL_BYTES / 1024
                ),
            });
        }
        let row = ParsedRow { reader: self, line };
        row.parse()
    }
}

/// The error for a read that the text itself failed: the problem the checks found, with its line,
/// or the CSV parser's own.
fn text_error<R: std::io::Read>(file: &str, csv: &mut csv::Reader<CheckedText<R>>, e: csv::Error) -> LedgerError {
    let (line, message) = read_failure(csv, e);
    LedgerError { file: file.to_string(), line, column: None, message }
}

/// Picks the kind whose required columns the header holds; on a tie, the one with fewest unknown
/// columns.
fn recognise(names: &[String]) -> Result<RecordKind, String> {
    let score = |kind: RecordKind| {
        let cols = columns(kind);
        let missing = cols.iter().filter(|c| c.required && !names.iter().any(|n| n == c.name)).count();
        let unknown = names.iter().filter(|n| !cols.iter().any(|c| c.name == n.as_str())).count();
        (missing, unknown)
    };
    let mut scored: Vec<_> = RecordKind::ALL.into_iter().map(|k| (score(k), k)).collect();
    scored.sort();
    let ((missing, _), best) = scored[0];
    if missing == 0 {
        return Ok(best);
    }
    let needed: Vec<&str> =
        columns(best).iter().filter(|c| c.required && !names.iter().any(|n| n == c.name)).map(|c| c.name).collect();
    Err(format!(
        "cannot tell what kind of ledger file this is from its header ({}); closest is {best}, which needs {}",
        names.join(","),
        needed.join(", ")
    ))
}

/// One row being parsed; knows how to read each column and to report a problem in it.
struct ParsedRow<'a> {
    reader: &'a LedgerReader,
    line: u64,
}

impl ParsedRow<'_> {
    fn raw(&self, name: &str) -> &str {
        let index = columns(self.reader.kind).iter().position(|c| c.name == name).expect("known column");
        self.reader.positions[index].map_or("", |p| &self.reader.record[p])
    }

    fn fail(&self, column: &str, message: impl Into<String>) -> LedgerError {
        LedgerError {
            file: self.reader.file.clone(),
            line: Some(self.line),
            column: Some(column.to_string()),
            message: message.into(),
        }
    }

    /// A free-text cell, with the formula guard of the export undone.
    fn text(&self, name: &str) -> String {
        unguard_formula(self.raw(name).trim()).to_string()
    }

    fn required_text(&self, name: &str) -> Result<String, LedgerError> {
        let value = self.text(name);
        if value.is_empty() {
            return Err(self.fail(name, "is empty but required"));
        }
        Ok(value)
    }

    /// A name that says who or what (see [`name_problem`]), in Unicode's composed form (NFC), so
    /// that an `é` typed as one character and one typed as `e` and an accent are one name.
    fn name(&self, column: &str) -> Result<String, LedgerError> {
        let value = self.text(column);
        match name_problem(&value) {
            Some(problem) => Err(self.fail(column, problem)),
            None if unicode_normalization::is_nfc(&value) => Ok(value),
            None => Ok(unicode_normalization::UnicodeNormalization::nfc(value.as_str()).collect()),
        }
    }

    fn required_name(&self, column: &str) -> Result<String, LedgerError> {
        self.required_text(column)?;
        self.name(column)
    }

    fn date(&self, name: &str) -> Result<Date, LedgerError> {
        self.optional_date(name)?.ok_or_else(|| self.fail(name, "is empty but required"))
    }

    fn optional_date(&self, name: &str) -> Result<Option<Date>, LedgerError> {
        let raw = self.raw(name).trim();
        if raw.is_empty() {
            return Ok(None);
        }
        parse_date(raw).map(Some).map_err(|m| self.fail(name, m))
    }

    fn parsed<T>(
        &self,
        name: &str,
        parse: impl Fn(&str) -> Result<T, money::NumberError>,
    ) -> Result<Option<T>, LedgerError> {
        let raw = self.raw(name).trim();
        if raw.is_empty() {
            return Ok(None);
        }
        parse(raw).map(Some).map_err(|e| self.fail(name, e.to_string()))
    }

    fn required<T>(&self, name: &str, parse: impl Fn(&str) -> Result<T, money::NumberError>) -> Result<T, LedgerError> {
        self.parsed(name, parse)?.ok_or_else(|| self.fail(name, "is empty but required"))
    }

    fn parse_cell<T: std::str::FromStr<Err = String>>(&self, name: &str) -> Result<T, LedgerError> {
        self.raw(name).parse().map_err(|m: String| self.fail(name, m))
    }

    fn currency(&self, name: &str) -> Result<Currency, LedgerError> {
        self.parse_cell(name)
    }

    fn person(&self) -> Result<Person, LedgerError> {
        let name = self.required_name("contributor")?;
        let email = self.name("email")?;
        if !email.is_empty() && (!email.contains('@') || email.contains(char::is_whitespace)) {
            return Err(self.fail("email", format!("{email:?} is not an email address")));
        }
        Ok(Person { name, email })
    }

    fn parse(&self) -> Result<Record, LedgerError> {
        let id = self.text("id");
        if id.contains(char::is_whitespace) {
            return Err(self.fail("id", format!("{id:?} contains spaces")));
        }
        Ok(match self.reader.kind {
            RecordKind::Programs => Record::Program(self.program(id)?),
            RecordKind::Employments => {
                let employment = Employment {
                    id,
                    person: self.person()?,
                    employer: self.required_name("employer")?,
                    start: self.date("start")?,
                    end: self.optional_date("end")?,
                };
                if employment.end.is_some_and(|end| end < employment.start) {
                    return Err(self.fail("end", "is before start"));
                }
                Record::Employment(employment)
            }
            RecordKind::Hours => {
                let hours = self.required("hours", money::parse_hours)?;
                if hours == 0 || hours > 24 * money::HOURS_SCALE {
                    return Err(self.fail(
                        "hours",
                        format!(
                            "{:?} is out of range: an entry has more than 0 and at most 24 hours",
                            self.raw("hours").trim()
                        ),
                    ));
                }
                let date = self.date("date")?;
                let status = self.parse_cell("status")?;
                Record::Hours(HoursEntry {
                    id,
                    date,
                    person: self.person()?,
                    employer: self.name("employer")?,
                    project: self.required_name("project")?,
                    hours,
                    description: self.text("description"),
                    status,
                    dates: self.status_dates(status, date)?,
                })
            }
            RecordKind::Donations => {
                let date = self.date("date")?;
                let status = self.parse_cell("status")?;
                Record::Donation(Donation {
                    id,
                    date,
                    person: self.person()?,
                    employer: self.name("employer")?,
                    project: self.required_name("project")?,
                    amount: {
                        let amount = self.required("amount", money::parse_cents)?;
                        if amount == 0 {
                            return Err(self.fail("amount", "is zero; a gift is more than 0"));
                        }
                        amount
                    },
                    currency: self.currency("currency")?,
                    status,
                    dates: self.status_dates(status, date)?,
                })
            }
            RecordKind::Payments => Record::Payment(self.payment(id)?),
            RecordKind::Deposits => Record::Deposit(Deposit {
                id,
                date: self.date("date")?,
                account: self.text("account"),
                currency: self.currency("currency")?,
                amount: {
                    let amount = self.parsed("amount", money::parse_cents)?.unwrap_or(0);
                    if amount <= 0 {
                        return Err(self.fail("amount", "is not more than 0; a deposit is money in"));
                    }
                    amount
                },
                reference: self.text("reference"),
                description: self.text("description"),
            }),
        })
    }

    /// An entry's status dates (Matchbook's optional columns `submitted_on` ... `rejected_on`),
    /// checked against its status and date (see [`StatusDates::problem`]).
    fn status_dates(&self, status: Status, date: Date) -> Result<StatusDates, LedgerError> {
        let dates = StatusDates {
            submitted_on: self.optional_date("submitted_on")?,
            approved_on: self.optional_date("approved_on")?,
            paid_on: self.optional_date("paid_on")?,
            rejected_on: self.optional_date("rejected_on")?,
        };
        match dates.problem(status, date) {
            Some((column, problem)) => Err(self.fail(column, problem)),
            None => Ok(dates),
        }
    }

    fn payment(&self, id: String) -> Result<Payment, LedgerError> {
        let fees = self.parsed("fees", money::parse_cents)?;
        let net = self.parsed("net", money::parse_cents)?;
        // When two of gross, fees and net are given, the third is derived (the contract).
        let gross = match (self.parsed("gross", money::parse_cents)?, fees, net) {
            (Some(gross), _, _) => gross,
            (None, Some(fees), Some(net)) => fees + net,
            (None, _, _) => return Err(self.fail("gross", "is empty but required (or give both fees and net)")),
        };
        let (fees, net) = match (fees, net) {
            (Some(fees), Some(net)) if gross - fees != net => {
                return Err(self.fail(
                    "net",
                    format!(
                        "gross {} minus fees {} is {}, not {}",
                        money::format_cents(gross),
                        money::format_cents(fees),
                        money::format_cents(gross - fees),
                        money::format_cents(net)
                    ),
                ))
            }
            (Some(fees), Some(net)) => (fees, net),
            (Some(fees), None) if fees > gross => {
                return Err(self.fail("fees", "are larger than gross"));
            }
            (Some(fees), None) => (fees, gross - fees),
            (None, Some(net)) if net > gross => return Err(self.fail("net", "is larger than gross")),
            (None, Some(net)) => (gross - net, net),
            (None, None) => (0, gross),
        };
        Ok(Payment {
            id,
            date: self.date("date")?,
            payer: self.required_name("payer")?,
            project: self.required_name("project")?,
            currency: self.currency("currency")?,
            gross,
            fees,
            net,
            reference: self.text("reference"),
            employer: self.name("employer")?,
            person: if self.text("contributor").is_empty() && self.text("email").is_empty() {
                None
            } else {
                Some(self.person()?)
            },
            funds: self.parse_cell("type")?,
            disbursement: self.text("disbursement"),
            gift_date: self.optional_date("gift_date")?,
            bank_date: self.optional_date("bank_date")?,
            bank_reference: self.text("bank_reference"),
        })
    }

    fn program(&self, id: String) -> Result<ProgramVersion, LedgerError> {
        let kind: ProgramKind = self.parse_cell("kind")?;
        let rate = self.parsed("rate_per_hour", money::parse_rate)?;
        let block_hours = self.parsed("block_hours", money::parse_hours)?;
        let block_amount = self.parsed("block_amount", money::parse_cents)?;
        let ratio = self.parsed("match_ratio", money::parse_rate)?;
        let min_gift = self.parsed("min_gift", money::parse_cents)?;
        let max_gift = self.parsed("max_gift", money::parse_cents)?;
        let min_hours = self.parsed("min_hours", money::parse_hours)?;
        let not_for = |column: &str, present: bool, what: &str| {
            if present {
                Err(self.fail(column, format!("does not apply to {what} programs")))
            } else {
                Ok(())
            }
        };
        let earning = match kind {
            ProgramKind::Volunteer => {
                not_for("match_ratio", ratio.is_some(), "volunteer")?;
                not_for("min_gift", min_gift.is_some(), "volunteer")?;
                not_for("max_gift", max_gift.is_some(), "volunteer")?;
                match (rate, block_hours, block_amount) {
                    (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
                        return Err(self.fail("rate_per_hour", "a version has either a rate or blocks, not both"))
                    }
                    (Some(rate), None, None) => Earning::Rate(rate),
                    (None, Some(hours), Some(amount)) => {
                        if hours == 0 {
                            return Err(self.fail("block_hours", "must be more than 0"));
                        }
                        Earning::Blocks { hours, amount }
                    }
                    (None, Some(_), None) => return Err(self.fail("block_amount", "is missing (block_hours is given)")),
                    (None, None, Some(_)) => return Err(self.fail("block_hours", "is missing (block_amount is given)")),
                    (None, None, None) => {
                        return Err(self.fail(
                            "rate_per_hour",
                            "a volunteer version needs a rate_per_hour or block_hours and block_amount",
                        ))
                    }
                }
            }
            ProgramKind::Donation => {
                not_for("rate_per_hour", rate.is_some(), "donation")?;
                not_for("block_hours", block_hours.is_some(), "donation")?;
                not_for("block_amount", block_amount.is_some(), "donation")?;
                not_for("min_hours", min_hours.is_some(), "donation")?;
                let ratio = ratio.ok_or_else(|| self.fail("match_ratio", "a donation version needs a match_ratio"))?;
                if let (Some(min), Some(max)) = (min_gift, max_gift) {
                    if min > max {
                        return Err(self.fail("min_gift", "is larger than max_gift"));
                    }
                }
                Earning::Match { ratio, min_gift, max_gift }
            }
        };
        let fee_rate = self.parsed("fee_rate", money::parse_rate)?;
        if fee_rate.is_some_and(|f| f > rust_decimal::Decimal::ONE) {
            return Err(self.fail("fee_rate", "is more than 1 (write 2.9% as 0.029)"));
        }
        let claim_days = match self.raw("claim_days").trim() {
            "" => None,
            raw => Some(
                raw.parse::<u32>()
                    .ok()
                    .filter(|&d| d <= 36_500)
                    .ok_or_else(|| self.fail("claim_days", format!("{raw:?} is not a whole number of days")))?,
            ),
        };
        let version = ProgramVersion {
            id,
            program: self.required_name("program")?,
            employer: self.required_name("employer")?,
            platform: self.text("platform"),
            kind,
            currency: self.currency("currency")?,
            effective_from: self.date("effective_from")?,
            effective_to: self.optional_date("effective_to")?,
            earning,
            min_hours,
            annual_cap: self.parsed("annual_cap", money::parse_cents)?,
            cap_group: self.name("cap_group")?,
            year_start: self.parse_cell("year_start")?,
            claim_days,
            fee_rate,
        };
        if version.effective_to.is_some_and(|to| to < version.effective_from) {
            return Err(self.fail("effective_to", "is before effective_from"));
        }
        Ok(version)
    }
}

/// Parses an ISO date `YYYY-MM-DD`, refusing impossible days.
/// Why `value` cannot be a name (of a contributor, email, employer, project, payer, program or cap
/// group): names are compared and joined into keys, so a character that shows nothing, or makes
/// one name look like another, is refused rather than kept invisible: control characters (a tab,
/// a line break, U+001F), bidirectional controls (U+202E turns the text after it around), line and
/// paragraph separators, zero-width characters.
pub fn name_problem(value: &str) -> Option<String> {
    let (at, c) = value.chars().enumerate().find(|(_, c)| c.is_control() || is_invisible_format(*c))?;
    let what = if c.is_control() { "a control character" } else { "an invisible character" };
    Some(format!(
        "holds {what} (U+{:04X}) at character {}; names are plain text that reads as it looks",
        c as u32,
        at + 1
    ))
}

/// Characters that change how text around them shows, or show nothing themselves.
fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

pub fn parse_date(text: &str) -> Result<Date, String> {
    let b = text.trim().as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        b[range].iter().try_fold(0u32, |n, &c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    let shaped = b.len() == 10 && b[4] == b'-' && b[7] == b'-';
    let date = match (shaped, shaped.then(|| (digits(0..4), digits(5..7), digits(8..10)))) {
        (true, Some((Some(y), Some(m), Some(d)))) if y >= 1 => Date::from_ymd_opt(y as i32, m, d),
        _ => None,
    };
    date.ok_or_else(|| format!("{text:?} is not a date (write ISO dates like 2025-03-31)"))
}

/// Whether a text cell would run as a formula in a spreadsheet, possibly behind apostrophes that a
/// guard put there.
fn looks_like_formula(text: &str) -> bool {
    matches!(text.trim_start_matches('\'').chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r'))
}

/// The cell as exported: one apostrophe before anything formula-like.
pub fn guard_formula(text: &str) -> std::borrow::Cow<'_, str> {
    if looks_like_formula(text) {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

/// The inverse of [`guard_formula`]: removes the one apostrophe it added.
pub fn unguard_formula(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if looks_like_formula(rest) => rest,
        _ => text,
    }
}

/// The cells of a record in [`header`] order, as the contract writes them.
pub fn cells(record: &Record) -> Vec<String> {
    use money::{format_cents as c, format_hours as h, format_rate as r};
    let opt_c = |v: Option<i64>| v.map(c).unwrap_or_default();
    let date = iso;
    let opt_date = |d: Option<Date>| d.map(date).unwrap_or_default();
    let text = |t: &str| guard_formula(t).into_owned();
    match record {
        Record::Program(p) => {
            let (rate, block_hours, block_amount, ratio, min_gift, max_gift) = match &p.earning {
                Earning::Rate(rate) => (r(*rate), String::new(), String::new(), String::new(), None, None),
                Earning::Blocks { hours, amount } => (String::new(), h(*hours), c(*amount), String::new(), None, None),
                Earning::Match { ratio, min_gift, max_gift } => {
                    (String::new(), String::new(), String::new(), r(*ratio), *min_gift, *max_gift)
                }
            };
            vec![
                text(&p.id),
                text(&p.program),
                text(&p.employer),
                text(&p.platform),
                p.kind.name().into(),
                p.currency.to_string(),
                date(p.effective_from),
                opt_date(p.effective_to),
                rate,
                block_hours,
                block_amount,
                p.min_hours.map(h).unwrap_or_default(),
                ratio,
                opt_c(min_gift),
                opt_c(max_gift),
                opt_c(p.annual_cap),
                text(&p.cap_group),
                p.year_start.to_string(),
                p.claim_days.map(|d| d.to_string()).unwrap_or_default(),
                p.fee_rate.map(r).unwrap_or_default(),
            ]
        }
        Record::Employment(e) => vec![
            text(&e.id),
            text(&e.person.name),
            text(&e.person.email),
            text(&e.employer),
            date(e.start),
            opt_date(e.end),
        ],
        Record::Hours(e) => vec![
            text(&e.id),
            date(e.date),
            text(&e.person.name),
            text(&e.person.email),
            text(&e.employer),
            text(&e.project),
            h(e.hours),
            text(&e.description),
            e.status.name().into(),
            opt_date(e.dates.submitted_on),
            opt_date(e.dates.approved_on),
            opt_date(e.dates.paid_on),
            opt_date(e.dates.rejected_on),
        ],
        Record::Donation(e) => vec![
            text(&e.id),
            date(e.date),
            text(&e.person.name),
            text(&e.person.email),
            text(&e.employer),
            text(&e.project),
            c(e.amount),
            e.currency.to_string(),
            e.status.name().into(),
            opt_date(e.dates.submitted_on),
            opt_date(e.dates.approved_on),
            opt_date(e.dates.paid_on),
            opt_date(e.dates.rejected_on),
        ],
        Record::Payment(p) => vec![
            text(&p.id),
            date(p.date),
            text(&p.payer),
            text(&p.project),
            p.currency.to_string(),
            c(p.gross),
            c(p.fees),
            c(p.net),
            text(&p.reference),
            text(&p.employer),
            p.person.as_ref().map(|p| text(&p.name)).unwrap_or_default(),
            p.person.as_ref().map(|p| text(&p.email)).unwrap_or_default(),
            p.funds.name().into(),
            text(&p.disbursement),
            opt_date(p.gift_date),
            opt_date(p.bank_date),
            text(&p.bank_reference),
        ],
        Record::Deposit(d) => vec![
            text(&d.id),
            date(d.date),
            text(&d.account),
            d.currency.to_string(),
            c(d.amount),
            text(&d.reference),
            text(&d.description),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<(u64, Record)>, LedgerError> {
        let mut reader = LedgerReader::from_bytes("t.csv".into(), text.as_bytes().to_vec(), None, false)?;
        let mut out = Vec::new();
        while let Some(row) = reader.next_record() {
            out.push(row?);
        }
        Ok(out)
    }

    #[test]
    fn formula_guard_round_trips() {
        for text in ["=1+1", "'=1+1", "''-x", "plain", "'quoted'", "-5", "@home", "'"] {
            assert_eq!(unguard_formula(&guard_formula(text)), text, "{text}");
        }
        assert_eq!(guard_formula("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(guard_formula("'quoted'"), "'quoted'");
    }

    #[test]
    fn recognises_kinds_and_names_lines() {
        let rows = read("Date, Contributor ,project,hours\n2025-01-02,Ada,Lumen,1.5\n").unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].0, 2);
        let e = read("date,contributor,project,hours\n2025-01-02,Ada,Lumen,1.5\n2025-02-30,Ada,Lumen,1\n").unwrap_err();
        assert_eq!((e.line, e.column.as_deref()), (Some(3), Some("date")));
        let e = read("date,contributor,project,hours\n\"2025-01-02,Ada,Lumen,1.5\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("unterminated"), "{e}");
        let e = read("date,contributor,hours\n").unwrap_err();
        assert!(e.message.contains("project"), "{e}");
    }

    #[test]
    fn status_dates_are_optional_columns_checked_with_their_line() {
        // An older file without them reads as before: no dates known.
        let rows = read("date,contributor,project,amount,currency,status\n2025-01-02,Ada,Lumen,50,USD,paid\n").unwrap();
        match &rows[0].1 {
            Record::Donation(d) => assert_eq!(d.dates, StatusDates::default()),
            other => panic!("{other:?}"),
        }
        let header = "date,contributor,project,hours,status,submitted_on,approved_on,paid_on,rejected_on\n";
        let rows = read(&format!("{header}2025-01-02,Ada,Lumen,1.5,paid,2025-01-10,,2025-02-27,\n")).unwrap();
        match &rows[0].1 {
            Record::Hours(h) => {
                let on = |t: &str| Some(t.parse().unwrap());
                assert_eq!(
                    h.dates,
                    StatusDates {
                        submitted_on: on("2025-01-10"),
                        approved_on: None,
                        paid_on: on("2025-02-27"),
                        rejected_on: None
                    }
                );
                assert_eq!(cells(&rows[0].1)[9..], ["2025-01-10", "", "2025-02-27", ""]);
            }
            other => panic!("{other:?}"),
        }
        for (row, column, says) in [
            ("2025-01-02,Ada,Lumen,1.5,submitted,2025-01-01,,,", "submitted_on", "before the entry's own date"),
            ("2025-01-02,Ada,Lumen,1.5,paid,2025-01-10,2025-01-09,,", "approved_on", "before submitted_on"),
            ("2025-01-02,Ada,Lumen,1.5,approved,,2025-01-09,2025-01-10,", "paid_on", "the entry is approved"),
            ("2025-01-02,Ada,Lumen,1.5,logged,2025-01-09,,,", "submitted_on", "the entry is logged"),
            ("2025-01-02,Ada,Lumen,1.5,rejected,,,,2025-02-30", "rejected_on", "is not a date"),
        ] {
            let ok = "2025-01-02,Ada,Lumen,1.5,submitted,2025-01-03,,,\n";
            let e = read(&format!("{header}{ok}{row}\n")).unwrap_err();
            assert_eq!((e.line, e.column.as_deref()), (Some(3), Some(column)), "{e}");
            assert!(e.message.contains(says), "{e}");
        }
    }

    #[test]
    fn escaped_quotes_are_not_unterminated() {
        let rows =
            read("date,contributor,project,hours,description\n2025-01-02,Ada,Lumen,1.5,\"say \"\"hi\"\", then\"\n")
                .unwrap();
        match &rows[0].1 {
            Record::Hours(h) => assert_eq!(h.description, "say \"hi\", then"),
            other => panic!("{other:?}"),
        }
    }
}
