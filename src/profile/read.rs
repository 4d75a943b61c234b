//! A file read with a profile: decoded, its preamble left out, its rows read by
//! [`crate::platforms::table`] and each turned into a payment or a deposit, or left out with a
//! reason, or refused with one. Every row that cannot be read is reported, not just the first.

use super::decode::{decode_text, nth_line_start};
use super::{format, Encoding, Field, Makes, Profile, TypeMeaning};
use crate::ledger::LedgerError;
use crate::model::{Date, Deposit, Funds, Payment, StableHash};
use crate::money::{self, Cents, Currency, NumberError};
use crate::platforms::table::{self, Header, Row};
use crate::platforms::{Clue, PlatformReport, ReportLine};
use chrono::Datelike;
use std::collections::HashMap;

/// What a file read with a profile holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileRead {
    /// For the import's summary: "YourCause payouts (profile): 12 row(s) read, 2 skipped".
    pub description: String,
    /// A payments profile's report, its lines' projects still to be found through the mappings.
    pub payments: Option<PlatformReport>,
    /// A deposits profile's deposits, with their lines.
    pub deposits: Vec<(u64, Deposit)>,
    /// Rows left out, and why: a type the profile skips, a withdrawal, a row blank in every
    /// column the profile reads.
    pub skipped: Vec<(u64, String)>,
    pub warnings: Vec<String>,
}

/// The most errors one reading reports; past them, one more says how many were left out.
pub const MAX_ERRORS: usize = 10_000;

/// Reads `bytes` (the file `file`) with `profile`. Refused with every row that cannot be read,
/// each error naming its line (counting the skipped ones) and column and saying what is wrong.
pub fn read(profile: &Profile, file: &str, bytes: &[u8]) -> Result<ProfileRead, Vec<LedgerError>> {
    let fail = |line: Option<u64>, column: Option<&str>, message: String| LedgerError {
        file: file.into(),
        line,
        column: column.map(str::to_string),
        message,
    };
    let wrong = format::problems(profile);
    if !wrong.is_empty() {
        let name = &profile.name;
        return Err(wrong
            .into_iter()
            .map(|(_, m)| fail(None, None, format!("the profile {name:?} cannot read files: {m}")))
            .collect());
    }
    let text = decode_text(bytes, profile.encoding).map_err(|(line, m)| vec![fail(line, None, m)])?;
    let mut warnings = Vec::new();
    if profile.encoding == Encoding::Windows1252 && !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok() {
        warnings.push(format!(
            "{file}: the file reads as UTF-8 text too; if names look wrong (Ã« for ë), set `encoding utf-8` in the \
             profile"
        ));
    }

    // The preamble is left out before the CSV is read: a title's stray quote cannot upset it.
    let skip = profile.skip as u64;
    let body = nth_line_start(&text, profile.skip);
    let rows = table::read_rows(file, body.as_bytes(), profile.separator).map_err(|mut e| {
        e.line = e.line.map(|l| l.saturating_add(skip));
        vec![e]
    })?;
    let mut rows = rows.rows.into_iter().map(|mut row| {
        row.line = row.line.saturating_add(skip);
        row
    });
    let Some(header_row) = rows.next() else {
        let message = format!("the file has no header line after the {skip} line(s) the profile skips");
        return Err(vec![fail(Some(skip.saturating_add(1)), None, message)]);
    };
    if profile.header.is_some() {
        let from = nth_line_start(body, header_row.line.saturating_sub(skip + 1) as usize);
        let line = from.split('\n').next().unwrap_or("");
        if !profile.matches_header(line) {
            warnings.push(format!(
                "{file}:{}: the header line is not the one the profile names (its header line); the columns the \
                 profile reads were all found, but the layout may have changed",
                header_row.line
            ));
        }
    }
    let layout = format!("a file of the profile {:?}", profile.name);
    let every_name: Vec<String> = header_row.cells.iter().map(|c| c.to_ascii_lowercase()).collect();
    let every_name: Vec<&str> = every_name.iter().map(String::as_str).collect();
    let (header, _) = Header::new(file, &header_row, &every_name, &layout).map_err(|e| vec![e])?;

    let mut columns = HashMap::new();
    let mut descriptions = Vec::new();
    let mut missing = Vec::new();
    for (field, name) in &profile.columns {
        let wanted = name.trim().to_lowercase();
        match header_row.cells.iter().find(|c| c.to_lowercase() == wanted) {
            Some(title) => {
                let column = Column { key: title.to_ascii_lowercase(), title: title.clone() };
                if *field == Field::Description {
                    descriptions.push(column);
                } else {
                    columns.insert(*field, column);
                }
            }
            None => {
                let names: Vec<String> = header_row.cells.iter().take(30).map(|c| format!("{c:?}")).collect();
                let more = if header_row.cells.len() > 30 { ", ..." } else { "" };
                missing.push(fail(
                    Some(header_row.line),
                    Some(name),
                    format!(
                        "the file has no column {name:?} (the profile's column {}); its header names {}{more}",
                        field.name(),
                        names.join(", ")
                    ),
                ));
            }
        }
    }
    if !missing.is_empty() {
        return Err(missing);
    }

    let types: HashMap<String, TypeMeaning> =
        profile.types.iter().map(|(m, v)| (v.trim().to_lowercase(), *m)).collect();
    let type_list = TypeMeaning::ALL
        .iter()
        .filter_map(|m| {
            let values: Vec<&str> = profile.types.iter().filter(|(k, _)| k == m).map(|(_, v)| v.as_str()).collect();
            (!values.is_empty()).then(|| format!("{}: {}", m.name(), values.join(", ")))
        })
        .collect::<Vec<_>>()
        .join("; ");
    let reader = Reader { file, profile, header: &header, columns, descriptions, types, type_list };

    let mut errors = Errors::default();
    let mut skipped = Vec::new();
    let mut records: Vec<Read> = Vec::new();
    let mut steps: Vec<Step> = Vec::new();
    let mut any_row = false;
    for row in rows {
        any_row = true;
        let mut cells = Cells { reader: &reader, row: &row, errors: Vec::new() };
        let outcome = match profile.makes {
            Makes::Payments => reader.payment(&mut cells),
            Makes::Deposits => {
                let (outcome, step) = reader.deposit(&mut cells);
                steps.push(step);
                outcome
            }
        };
        if !cells.errors.is_empty() {
            errors.add(cells.errors);
            continue;
        }
        match outcome {
            Outcome::Skip(reason) => skipped.push((row.line, reason)),
            Outcome::Read(read) => records.push(*read),
            Outcome::Failed => {}
        }
    }
    if !any_row {
        let message = "the file has no rows after its header line; there is nothing to import".to_string();
        return Err(vec![fail(Some(header_row.line), None, message)]);
    }
    if let Some(balance) = reader.columns.get(&Field::Balance) {
        for (line, message) in check_balances(&steps) {
            errors.add(vec![fail(Some(line), Some(&balance.title), message)]);
        }
    }
    reader.give_ids(&mut records, &mut errors);
    if errors.count > 0 {
        return Err(errors.finish(file));
    }

    let description = format!("{} (profile): {} row(s) read, {} skipped", profile.name, records.len(), skipped.len());
    let mut result = ProfileRead {
        description: description.clone(),
        payments: None,
        deposits: Vec::new(),
        skipped,
        warnings: warnings.clone(),
    };
    match profile.makes {
        Makes::Payments => {
            let lines = records
                .into_iter()
                .filter_map(|r| match r.record {
                    Record::Payment(payment, clues) => {
                        Some(ReportLine { line: r.line, clues, payments: vec![payment] })
                    }
                    Record::Deposit(_) => None,
                })
                .collect();
            result.payments =
                Some(PlatformReport { file: file.into(), platform: profile.key(), description, lines, warnings });
        }
        Makes::Deposits => {
            result.deposits = records
                .into_iter()
                .filter_map(|r| match r.record {
                    Record::Deposit(deposit) => Some((r.line, deposit)),
                    Record::Payment(..) => None,
                })
                .collect();
        }
    }
    Ok(result)
}

/// A column of the file that the profile reads: its name lower-cased (as [`Header`] finds it)
/// and as the file writes it.
struct Column {
    key: String,
    title: String,
}

/// The errors of a reading, up to [`MAX_ERRORS`].
#[derive(Default)]
struct Errors {
    kept: Vec<LedgerError>,
    count: usize,
}

impl Errors {
    fn add(&mut self, errors: Vec<LedgerError>) {
        for error in errors {
            self.count += 1;
            if self.kept.len() < MAX_ERRORS {
                self.kept.push(error);
            }
        }
    }

    fn finish(mut self, file: &str) -> Vec<LedgerError> {
        self.kept.sort_by_key(|e| e.line.unwrap_or(u64::MAX));
        if self.count > self.kept.len() {
            let message = format!("... and {} more error(s) not listed", self.count - self.kept.len());
            self.kept.push(LedgerError { file: file.into(), line: None, column: None, message });
        }
        self.kept
    }
}

/// What a row became.
enum Outcome {
    Read(Box<Read>),
    Skip(String),
    /// The row's errors say why.
    Failed,
}

/// A record read from a row, its id still to be given.
struct Read {
    line: u64,
    record: Record,
    /// The row's reference, when the profile has a reference column and the row gives one.
    reference: Option<String>,
    /// A hash of what the row says, for an id when it has no reference.
    content: u64,
}

enum Record {
    Payment(Payment, Vec<Clue>),
    Deposit(Deposit),
}

/// A deposits row as the running balance sees it: its signed amount (`None`: unreadable) and
/// the balance it states.
struct Step {
    line: u64,
    amount: Option<Cents>,
    balance: Option<Cents>,
}

struct Reader<'a> {
    file: &'a str,
    profile: &'a Profile,
    header: &'a Header,
    columns: HashMap<Field, Column>,
    descriptions: Vec<Column>,
    /// Type values (lower case) and what they mean.
    types: HashMap<String, TypeMeaning>,
    /// "match: Matching Gift; gift: Donation; skip: Refund", for errors.
    type_list: String,
}

/// One row being read, and its errors.
struct Cells<'r> {
    reader: &'r Reader<'r>,
    row: &'r Row,
    errors: Vec<LedgerError>,
}

impl<'r> Cells<'r> {
    fn has(&self, field: Field) -> bool {
        self.reader.columns.contains_key(&field)
    }

    fn text(&self, field: Field) -> &'r str {
        match self.reader.columns.get(&field) {
            Some(column) => self.reader.header.cell(self.row, &column.key),
            None => "",
        }
    }

    fn title(&self, field: Field) -> &'r str {
        self.reader.columns.get(&field).map_or(field.name(), |c| c.title.as_str())
    }

    fn fail(&mut self, field: Field, message: String) {
        let error = table::fail(self.reader.file, self.row.line, Some(self.title(field)), message);
        self.errors.push(error);
    }

    /// Whether every cell the profile reads is empty.
    fn is_blank(&self) -> bool {
        let header = self.reader.header;
        self.reader.columns.values().chain(&self.reader.descriptions).all(|c| header.cell(self.row, &c.key).is_empty())
    }

    /// The date in `field`, `None` when empty (or wrong: then an error says why).
    fn date(&mut self, field: Field) -> Option<Date> {
        let text = self.text(field);
        if text.is_empty() {
            return None;
        }
        let format = &self.reader.profile.date_format;
        let date = parse_date(text, format);
        if date.is_none() {
            let example = chrono::NaiveDate::from_ymd_opt(2025, 3, 27).map_or(String::new(), |d| {
                let mut written = String::new();
                let _ = std::fmt::Write::write_fmt(&mut written, format_args!("{}", d.format(format)));
                written
            });
            self.fail(
                field,
                format!(
                    "{text:?} is not a date in the profile's format {format} (which writes 27 March 2025 as \
                     {example}); does the file write dates another way? (date-format)"
                ),
            );
        }
        date
    }

    fn required_date(&mut self, field: Field) -> Option<Date> {
        if self.text(field).is_empty() {
            self.fail(field, "is empty; every row needs its date".into());
            return None;
        }
        self.date(field)
    }

    /// The amount in `field`: `Ok(None)` when empty or the profile has no such column, `Err`
    /// when it is not an amount (an error says why).
    fn amount(&mut self, field: Field) -> Result<Option<Cents>, ()> {
        let text = self.text(field);
        if text.is_empty() {
            return Ok(None);
        }
        let profile = self.reader.profile;
        parse_amount(text, profile.decimal_mark, profile.thousands).map(Some).map_err(|message| {
            self.fail(field, message);
        })
    }

    /// A name (payer, employer, contributor) or reference: refused if it holds characters no
    /// name may hold.
    fn name(&mut self, field: Field) -> String {
        let text = self.text(field);
        match crate::ledger::name_problem(text) {
            Some(problem) => {
                self.fail(field, problem);
                String::new()
            }
            None => text.to_string(),
        }
    }

    /// The row's currency: the profile's, or its column's.
    fn currency(&mut self) -> Option<Currency> {
        if let Some(currency) = self.reader.profile.currency {
            return Some(currency);
        }
        let text = self.text(Field::Currency);
        if text.is_empty() {
            self.fail(Field::Currency, "is empty; every row needs its currency".into());
            return None;
        }
        text.parse().map_err(|m| self.fail(Field::Currency, m)).ok()
    }
}

impl Reader<'_> {
    fn payment(&self, cells: &mut Cells) -> Outcome {
        if cells.is_blank() {
            return Outcome::Skip("the row is blank in every column the profile reads".into());
        }
        // A type the profile skips leaves the row out whatever else it says.
        let mut funds = Funds::Match;
        if cells.has(Field::Type) {
            let value = cells.text(Field::Type);
            match self.types.get(&value.to_lowercase()) {
                Some(TypeMeaning::Skip) => {
                    return Outcome::Skip(format!("its type {value:?} is one the profile skips"))
                }
                Some(TypeMeaning::Match) => funds = Funds::Match,
                Some(TypeMeaning::Gift) => funds = Funds::Gift,
                None => cells.fail(
                    Field::Type,
                    format!(
                        "{value:?} is not a value the profile's type lines know ({}); it decides whose money this \
                         is, so Matchbook will not guess: add a line `type match|gift|skip {value}`",
                        self.type_list
                    ),
                ),
            }
        }
        if let Err(error) = self.header.check_width(self.file, cells.row) {
            cells.errors.push(error);
            return Outcome::Failed;
        }
        let date = cells.required_date(Field::Date);
        let amounts = self.payment_amounts(cells);
        let payer = match &self.profile.payer {
            Some(payer) => payer.clone(),
            None => {
                let payer = cells.name(Field::Payer);
                if payer.is_empty() && cells.text(Field::Payer).is_empty() {
                    cells.fail(Field::Payer, "is empty; every payment names who paid it".into());
                }
                payer
            }
        };
        let currency = cells.currency();
        let project = cells.text(Field::Project);
        let clues = match self.profile.column(Field::Project) {
            Some(name) if !project.is_empty() => {
                vec![Clue::new(&name.trim().to_lowercase(), cells.title(Field::Project), project)]
            }
            _ => Vec::new(),
        };
        let employer = cells.name(Field::Employer);
        let contributor = cells.name(Field::Contributor);
        let email = cells.text(Field::Email).to_string();
        let person = match table::person(self.file, cells.row.line, contributor, (cells.title(Field::Email), email)) {
            Ok(person) => person,
            Err(error) => {
                cells.errors.push(error);
                None
            }
        };
        let reference = cells.name(Field::Reference);
        let disbursement = cells.name(Field::Disbursement);
        let gift_date = cells.date(Field::GiftDate);
        let bank_date = cells.date(Field::BankDate);
        let bank_reference = cells.name(Field::BankReference);
        let (Some(date), Some((gross, fees, net)), Some(currency)) = (date, amounts, currency) else {
            return Outcome::Failed;
        };
        let payment = Payment {
            id: String::new(),
            date,
            payer,
            project: String::new(),
            currency,
            gross,
            fees,
            net,
            reference,
            employer,
            person,
            funds,
            disbursement,
            gift_date,
            bank_date,
            bank_reference,
        };
        let mut hash = StableHash::new();
        for part in [
            crate::model::iso(date).as_str(),
            &gross.to_string(),
            &fees.to_string(),
            currency.as_str(),
            &payment.payer,
            project,
            &payment.employer,
            payment.person.as_ref().map_or("", |p| p.name.as_str()),
            payment.person.as_ref().map_or("", |p| p.email.as_str()),
            &payment.disbursement,
            &gift_date.map(crate::model::iso).unwrap_or_default(),
            &bank_date.map(crate::model::iso).unwrap_or_default(),
            &payment.bank_reference,
            funds.name(),
        ] {
            hash.eat(part.as_bytes());
            hash.eat(&[0x1F]);
        }
        let reference = (!payment.reference.is_empty()).then(|| payment.reference.clone());
        Outcome::Read(Box::new(Read {
            line: cells.row.line,
            record: Record::Payment(payment, clues),
            reference,
            content: hash.finish(),
        }))
    }

    /// Gross, fees and net, from the two or three columns the profile gives (a fee written
    /// negative, as some platforms write what they take, is taken as it is meant).
    fn payment_amounts(&self, cells: &mut Cells) -> Option<(Cents, Cents, Cents)> {
        let gross = cells.amount(Field::Amount);
        let fees = cells.amount(Field::Fees);
        let net = cells.amount(Field::Net);
        let (Ok(gross), Ok(fees), Ok(net)) = (gross, fees, net) else { return None };
        let fees = fees.map(Cents::abs);
        let blamed = if cells.has(Field::Amount) { Field::Amount } else { Field::Net };
        let (gross, fees, net) = match (gross, net) {
            (Some(gross), Some(net)) => {
                let fees = fees.unwrap_or(gross - net);
                if gross - fees != net {
                    cells.fail(
                        Field::Net,
                        format!(
                            "the amount less the fees is not the net: {} - {} is {}, the file says {}",
                            grouped(gross.into()),
                            grouped(fees.into()),
                            grouped((gross - fees).into()),
                            grouped(net.into())
                        ),
                    );
                    return None;
                }
                (gross, fees, net)
            }
            (Some(gross), None) => (gross, fees.unwrap_or(0), gross - fees.unwrap_or(0)),
            (None, Some(net)) => (net + fees.unwrap_or(0), fees.unwrap_or(0), net),
            (None, None) => {
                cells.fail(blamed, "is empty; every payment has an amount".into());
                return None;
            }
        };
        if gross <= 0 {
            let what = if gross == 0 { "is 0" } else { "is negative" };
            let how = if cells.has(Field::Type) {
                "leave such rows out with a `type skip` line for their type"
            } else {
                "to leave out refunds and reversals, give the profile `column type` and `type skip` lines"
            };
            let text = cells.text(blamed);
            cells.fail(blamed, format!("{text:?} {what}: a payment is money received, more than 0; {how}"));
            return None;
        }
        if net < 0 {
            let message = format!(
                "the fees ({}) are more than the amount ({}): the net cannot be negative",
                grouped(fees.into()),
                grouped(gross.into())
            );
            cells.fail(if cells.has(Field::Fees) { Field::Fees } else { Field::Net }, message);
            return None;
        }
        Some((gross, fees, net))
    }

    fn deposit(&self, cells: &mut Cells) -> (Outcome, Step) {
        let line = cells.row.line;
        if cells.is_blank() {
            let reason = "the row is blank in every column the profile reads".to_string();
            return (Outcome::Skip(reason), Step { line, amount: Some(0), balance: None });
        }
        if let Err(error) = self.header.check_width(self.file, cells.row) {
            cells.errors.push(error);
            return (Outcome::Failed, Step { line, amount: None, balance: None });
        }
        let amount = self.deposit_amount(cells);
        let balance = cells.amount(Field::Balance).ok().flatten();
        let step = Step { line, amount, balance };
        match amount {
            Some(0) if cells.errors.is_empty() => {
                return (Outcome::Skip("the row has no amount (a balance line?)".into()), step);
            }
            Some(withdrawal) if withdrawal < 0 && cells.errors.is_empty() => {
                let reason = format!("a withdrawal ({})", grouped((-i128::from(withdrawal)).max(0)));
                return (Outcome::Skip(reason), step);
            }
            _ => {}
        }
        let date = cells.required_date(Field::Date);
        let currency = cells.currency();
        let reference = cells.name(Field::Reference);
        let mut description = Vec::new();
        for column in &self.descriptions {
            let value = self.header.cell(cells.row, &column.key).split_whitespace().collect::<Vec<_>>().join(" ");
            if let Some(problem) = crate::ledger::name_problem(&value) {
                cells.errors.push(table::fail(self.file, line, Some(&column.title), problem));
            } else if !value.is_empty() {
                description.push(value);
            }
        }
        let (Some(date), Some(currency), Some(amount)) = (date, currency, amount) else {
            return (Outcome::Failed, step);
        };
        let deposit = Deposit {
            id: String::new(),
            date,
            account: self.profile.account.clone(),
            currency,
            amount,
            reference,
            description: description.join(" · "),
        };
        let mut hash = StableHash::new();
        for part in [
            crate::model::iso(date).as_str(),
            &amount.to_string(),
            currency.as_str(),
            &deposit.account,
            &deposit.reference,
            &deposit.description,
        ] {
            hash.eat(part.as_bytes());
            hash.eat(&[0x1F]);
        }
        let reference = (!deposit.reference.is_empty()).then(|| deposit.reference.clone());
        let read = Read { line, record: Record::Deposit(deposit), reference, content: hash.finish() };
        (Outcome::Read(Box::new(read)), step)
    }

    /// A deposits row's signed amount (0: none), from its amount column or its credit and
    /// debit columns; `None` when it cannot be read.
    fn deposit_amount(&self, cells: &mut Cells) -> Option<Cents> {
        if cells.has(Field::Amount) {
            return cells.amount(Field::Amount).ok().map(|a| a.unwrap_or(0));
        }
        let (Ok(credit), Ok(debit)) = (cells.amount(Field::Credit), cells.amount(Field::Debit)) else {
            return None;
        };
        // A debit column's amounts are withdrawals, whether written with a minus or without.
        match (credit.unwrap_or(0), debit.unwrap_or(0).abs()) {
            (credit, 0) if credit >= 0 => Some(credit),
            (0, debit) => Some(-debit),
            (_, 0) => {
                let text = cells.text(Field::Credit);
                cells.fail(
                    Field::Credit,
                    format!("{text:?} is a negative credit; a withdrawal belongs in the debit column"),
                );
                None
            }
            _ => {
                cells.fail(
                    Field::Debit,
                    "the row has both a credit and a debit; a bank's row is one or the other".into(),
                );
                None
            }
        }
    }

    /// Gives every record its id: made of its reference, or else of its content and how many
    /// rows before said the same. Two rows with the same id are refused.
    fn give_ids(&self, records: &mut [Read], errors: &mut Errors) {
        let prefix = match self.profile.makes {
            Makes::Payments => format!("profile-{}", crate::platforms::slug(&self.profile.name)),
            Makes::Deposits if !self.profile.account.is_empty() => {
                format!("bank-{}", crate::platforms::slug(&self.profile.account))
            }
            Makes::Deposits => format!("bank-{}", crate::platforms::slug(&self.profile.name)),
        };
        let mut occurrences: HashMap<u64, u64> = HashMap::new();
        let mut lines_of: HashMap<String, u64> = HashMap::with_capacity(records.len());
        let reference_title = self.columns.get(&Field::Reference).map_or("reference", |c| c.title.as_str());
        for read in records.iter_mut() {
            let id = match &read.reference {
                Some(reference) => format!("{prefix}-{}", crate::platforms::id_part(reference)),
                None => {
                    let seen = occurrences.entry(read.content).or_insert(0);
                    *seen += 1;
                    let mut hash = StableHash::new();
                    hash.eat(&read.content.to_le_bytes());
                    hash.eat(&seen.to_le_bytes());
                    format!("{prefix}-{:016x}", hash.finish())
                }
            };
            if let Some(first) = lines_of.insert(id.clone(), read.line) {
                let message = match &read.reference {
                    Some(reference) => format!(
                        "the reference {reference:?} is also on line {first}; each row's reference must be its own, \
                         since the record's id is made of it (if the file repeats references, leave out `column \
                         reference`)"
                    ),
                    None => format!("the row makes the same id as line {first} ({id})"),
                };
                errors.add(vec![table::fail(self.file, read.line, Some(reference_title), message)]);
            }
            match &mut read.record {
                Record::Payment(payment, _) => payment.id = id,
                Record::Deposit(deposit) => deposit.id = id,
            }
        }
    }
}

/// A date cell in `format`; a time after it (`27.03.2025 14:02`, `2025-03-27T14:02:00Z`) is left
/// out when the format has none.
fn parse_date(text: &str, format: &str) -> Option<Date> {
    // Each cut is a parse: a cell longer than any date with a time is none.
    if text.len() > 64 {
        return None;
    }
    let date = |t: &str| chrono::NaiveDate::parse_from_str(t, format).ok().filter(|d| (1..=9999).contains(&d.year()));
    if let Some(d) = date(text) {
        return Some(d);
    }
    text.char_indices()
        .filter(|&(at, c)| (c == ' ' || c == 'T') && text[at + 1..].starts_with(|n: char| n.is_ascii_digit()))
        .find_map(|(at, _)| date(text[..at].trim_end()))
}

/// A signed amount written with `decimal` and `thousands` (`1.234,56`, `-12.50`, `(12.50)`,
/// `12.50-`), in cents; else why it is none, and what the file may use instead.
pub(super) fn parse_amount(text: &str, decimal: char, thousands: Option<char>) -> Result<Cents, String> {
    let t = text.trim();
    let (negative, body) = if let Some(inner) = t.strip_prefix('(').and_then(|s| s.strip_suffix(')')) {
        (true, inner.trim())
    } else if let Some(rest) = t.strip_prefix(['-', '\u{2212}']) {
        (true, rest.trim_start())
    } else if let Some(rest) = t.strip_suffix('-') {
        (true, rest.trim_end())
    } else {
        (false, t.strip_prefix('+').unwrap_or(t))
    };
    let groups_thousands = |c: char| match thousands {
        // A space that groups thousands may be a no-break one, as French and Swiss files write it.
        Some(' ') => matches!(c, ' ' | '\u{A0}' | '\u{202F}'),
        Some(t) => c == t,
        None => false,
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let (whole, fraction) = match body.split_once(decimal) {
        Some((whole, fraction)) => (whole, fraction),
        None => (body, ""),
    };
    let whole_digits = if whole.contains(groups_thousands) {
        let groups: Vec<&str> = whole.split(groups_thousands).collect();
        let grouped_well = (1..=3).contains(&groups[0].len())
            && groups.iter().all(|g| all_digits(g))
            && groups[1..].iter().all(|g| g.len() == 3);
        grouped_well.then(|| groups.concat())
    } else {
        all_digits(whole).then(|| whole.to_string())
    };
    let Some(whole_digits) = whole_digits.filter(|w| all_digits(fraction) && !(w.is_empty() && fraction.is_empty()))
    else {
        return Err(not_an_amount(text, body, decimal, thousands));
    };
    let plain = format!(
        "{}.{}",
        if whole_digits.is_empty() { "0" } else { &whole_digits },
        if fraction.is_empty() { "0" } else { fraction }
    );
    let cents = money::parse_cents(&plain).map_err(|e| match e {
        NumberError::TooPrecise(..) => format!("{text:?} has more than 2 decimals"),
        NumberError::TooLarge(_, most) => format!("{text:?} is more than any amount Matchbook takes ({most})"),
        _ => not_an_amount(text, body, decimal, thousands),
    })?;
    Ok(if negative { -cents } else { cents })
}

/// Why `text` is no amount, and what the profile may have to say instead.
fn not_an_amount(text: &str, body: &str, decimal: char, thousands: Option<char>) -> String {
    let mut message = format!("{text:?} is not an amount with decimal mark \"{decimal}\"");
    if let Some(t) = thousands {
        message.push_str(&format!(" and thousands separator \"{t}\""));
    }
    let digit = |b: u8| b.is_ascii_digit();
    // `1.234,56` where the profile says a decimal point: a mark followed by one or two digits at
    // the end is a decimal mark.
    let ends_as_decimal = |mark: char| {
        body.rfind(mark).is_some_and(|at| {
            let tail = &body[at + 1..];
            (1..=2).contains(&tail.len()) && tail.bytes().all(digit)
        })
    };
    let between_digits = |mark: char| {
        body.match_indices(mark).any(|(at, _)| {
            at > 0
                && body.as_bytes().get(at - 1).copied().is_some_and(digit)
                && body.as_bytes().get(at + mark.len_utf8()).copied().is_some_and(digit)
        })
    };
    let hint = if decimal == '.' && ends_as_decimal(',') {
        Some("does the file use a decimal comma? (decimal-mark ,)".to_string())
    } else if decimal == ',' && ends_as_decimal('.') {
        Some("does the file use a decimal point? (decimal-mark .)".to_string())
    } else if let Some(mark) =
        [',', '.', '\'', ' ', '\u{A0}'].into_iter().find(|&m| m != decimal && Some(m) != thousands && between_digits(m))
    {
        let name = if mark == '\'' || mark.is_ascii_punctuation() { mark.to_string() } else { "space".into() };
        Some(format!("does the file group thousands with {name:?}? (thousands {name})"))
    } else if thousands.is_some_and(|t| body.contains(t)) {
        Some("a thousands separator groups three digits, like 1.234.567".to_string())
    } else if body.chars().any(|c| !c.is_ascii_digit() && c != decimal && Some(c) != thousands) {
        Some(
            "an amount holds digits, the decimal mark and a sign only; a currency belongs in the currency column or \
             the profile's currency line"
                .to_string(),
        )
    } else {
        None
    };
    if let Some(hint) = hint {
        message.push_str(" — ");
        message.push_str(&hint);
    }
    message
}

/// `1,234.56`: cents as the messages write them.
fn grouped(cents: i128) -> String {
    let abs = cents.unsigned_abs();
    let whole = (abs / 100).to_string();
    let mut text = String::with_capacity(whole.len() + whole.len() / 3 + 4);
    if cents < 0 {
        text.push('-');
    }
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            text.push(',');
        }
        text.push(digit);
    }
    text.push_str(&format!(".{:02}", abs % 100));
    text
}

/// Every row whose stated balance is not the one before it plus its amount: in file order, or
/// newest first when the first two balances only fit that way. A row that cannot be read breaks
/// the chain (its amount is unknown), and each stated balance starts it again.
fn check_balances(steps: &[Step]) -> Vec<(u64, String)> {
    let forward = run_balances(steps.iter());
    if forward.is_empty() {
        return forward;
    }
    // The rows up to the second with a balance: do they add up oldest first, or newest first?
    let mut with_balance = steps.iter().enumerate().filter(|(_, s)| s.balance.is_some() && s.amount.is_some());
    let Some((second, _)) = with_balance.nth(1) else { return forward };
    let first_two = &steps[..=second];
    if !run_balances(first_two.iter()).is_empty() && run_balances(first_two.iter().rev()).is_empty() {
        let mut backward = run_balances(steps.iter().rev());
        backward.reverse();
        return backward;
    }
    forward
}

fn run_balances<'s>(steps: impl Iterator<Item = &'s Step>) -> Vec<(u64, String)> {
    let mut errors = Vec::new();
    // The balance after the rows so far, when known.
    let mut known: Option<i128> = None;
    for step in steps {
        let Some(amount) = step.amount else {
            known = step.balance.map(i128::from);
            continue;
        };
        let amount = i128::from(amount);
        let expected = known.map(|k| k + amount);
        match (expected, step.balance.map(i128::from)) {
            (Some(expected), Some(stated)) if expected != stated => {
                let (sign, size) = if amount < 0 { ("-", -amount) } else { ("+", amount) };
                errors.push((
                    step.line,
                    format!(
                        "the running balance does not add up: {} {sign} {} is {}, the file says {}",
                        grouped(known.unwrap_or(0)),
                        grouped(size),
                        grouped(expected),
                        grouped(stated)
                    ),
                ));
                known = Some(stated);
            }
            (_, Some(stated)) => known = Some(stated),
            (expected, None) => known = expected,
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Person;

    const YOURCAUSE_PROFILE: &str = include_str!("../../tests/data/profiles/yourcause.profile");
    const YOURCAUSE: &[u8] = include_bytes!("../../tests/data/profiles/yourcause-payouts.csv");
    const BANK_PROFILE: &str = include_str!("../../tests/data/profiles/bank.profile");
    const BANK: &[u8] = include_bytes!("../../tests/data/profiles/bank-statement.csv");
    const BANK_UTF16: &[u8] = include_bytes!("../../tests/data/profiles/bank-statement-utf16.csv");

    fn yourcause() -> Profile {
        Profile::parse("yourcause.profile", YOURCAUSE_PROFILE).unwrap()
    }

    fn bank() -> Profile {
        Profile::parse("bank.profile", BANK_PROFILE).unwrap()
    }

    fn date(text: &str) -> Date {
        text.parse().unwrap()
    }

    /// `bytes` with the first `from` replaced by `to` (ASCII both; the samples are not UTF-8).
    fn edit(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
        let at = bytes.windows(from.len()).position(|w| w == from.as_bytes()).unwrap_or_else(|| panic!("{from}"));
        [&bytes[..at], to.as_bytes(), &bytes[at + from.len()..]].concat()
    }

    /// The errors of a refused reading, as (line, column, message).
    fn refusals(profile: &Profile, bytes: &[u8]) -> Vec<(Option<u64>, Option<String>, String)> {
        read(profile, "f.csv", bytes).unwrap_err().into_iter().map(|e| (e.line, e.column, e.message)).collect()
    }

    #[test]
    fn reads_the_yourcause_sample() {
        let read = read(&yourcause(), "yourcause-payouts.csv", YOURCAUSE).unwrap();
        assert_eq!(read.description, "YourCause payouts (profile): 7 row(s) read, 1 skipped");
        assert_eq!(read.skipped, [(7, "its type \"Refund\" is one the profile skips".to_string())]);
        assert!(read.deposits.is_empty() && read.warnings.is_empty(), "{read:#?}");
        let report = read.payments.unwrap();
        assert_eq!((report.platform.as_str(), report.file.as_str()), ("yourcause payouts", "yourcause-payouts.csv"));
        let eur: Currency = "EUR".parse().unwrap();
        #[rustfmt::skip]
        let expected = [
            // line, reference, date, gross, fees, employer, contributor, email, funds, batch, gift date, program
            (4, "YC-100231", "2025-03-27", 120_000, 3_600, "Microsoft", "Zoë Example", "zoe@example.org", Funds::Match, "YC-B-2025-03", "2025-02-03", "Project: Widgets"),
            (5, "YC-100232", "2025-03-27", 25_000, 750, "Microsoft", "Ada Example", "ada@example.org", Funds::Match, "YC-B-2025-03", "2025-02-11", "Project: Widgets"),
            (6, "YC-100233", "2025-03-27", 5_000, 150, "Acme Corp", "Lin Example", "lin@example.org", Funds::Gift, "YC-B-2025-03", "2025-02-14", "Project: Gadgets"),
            (8, "YC-100301", "2025-04-28", 250_000, 7_500, "Contoso", "Grace Example", "grace@example.org", Funds::Match, "YC-B-2025-04", "2025-03-09", "Project: Gadgets"),
            (9, "YC-100302", "2025-04-28", 10_000, 300, "Contoso", "", "", Funds::Gift, "YC-B-2025-04", "2025-03-20", "Project: Widgets"),
            (10, "YC-100303", "2025-04-28", 37_500, 1_125, "Microsoft", "Zoë Example", "zoe@example.org", Funds::Match, "YC-B-2025-04", "2025-03-25", ""),
            (11, "YC-100304", "2025-04-28", 100_000, 3_000, "Microsoft", "Müller, Jürgen", "juergen@example.org", Funds::Match, "YC-B-2025-04", "2025-03-25", "Project: Widgets"),
        ];
        assert_eq!(report.lines.len(), expected.len());
        for (line, (number, reference, day, gross, fees, employer, name, email, funds, batch, gift, program)) in
            report.lines.iter().zip(expected)
        {
            let payment = Payment {
                id: format!("profile-yourcause-payouts-{reference}"),
                date: date(day),
                payer: "YourCause".into(),
                project: String::new(),
                currency: eur,
                gross,
                fees,
                net: gross - fees,
                reference: reference.into(),
                employer: employer.into(),
                person: (!name.is_empty()).then(|| Person { name: name.into(), email: email.into() }),
                funds,
                disbursement: batch.into(),
                gift_date: Some(date(gift)),
                bank_date: None,
                bank_reference: String::new(),
            };
            let clues: Vec<Clue> =
                if program.is_empty() { Vec::new() } else { vec![Clue::new("program", "Program", program)] };
            assert_eq!(*line, ReportLine { line: number, clues, payments: vec![payment] });
        }
        assert_eq!(report.net_by_currency(), "5310.75 EUR");
    }

    #[test]
    fn reads_the_bank_sample_in_utf8_and_utf16() {
        let usd: Currency = "USD".parse().unwrap();
        let deposit = |id: &str, day: &str, amount: Cents, reference: &str, description: &str| Deposit {
            id: id.into(),
            date: date(day),
            account: "Checking".into(),
            currency: usd,
            amount,
            reference: reference.into(),
            description: description.into(),
        };
        let expected = vec![
            (
                3,
                deposit(
                    "bank-checking-G-2025-117",
                    "2025-03-14",
                    500_000,
                    "G-2025-117",
                    "SLOAN FOUNDATION GRANT ACH CREDIT GRANT G-2025-117",
                ),
            ),
            (
                5,
                deposit(
                    "bank-checking-EXBANK778812",
                    "2025-03-31",
                    266_880,
                    "EXBANK778812",
                    "BENEVITY FUND ACH CREDIT AMERICAN ONLINE GIVING EXBANK778812",
                ),
            ),
            (
                9,
                deposit(
                    "bank-checking-EXBANK781140",
                    "2025-04-30",
                    94_452,
                    "EXBANK781140",
                    "BENEVITY FUND ACH CREDIT AMERICAN ONLINE GIVING EXBANK781140",
                ),
            ),
            (10, deposit("bank-checking-7a58438c86c73f3d", "2025-04-30", 137, "", "INTEREST PAID")),
        ];
        let skipped: Vec<(u64, String)> = [(2, "12.00"), (4, "18.40"), (6, "12.00"), (7, "350.00"), (8, "1,500.00")]
            .into_iter()
            .map(|(line, amount)| (line, format!("a withdrawal ({amount})")))
            .collect();
        let mut profile = bank();
        for (bytes, encoding) in [(BANK, Encoding::Utf8), (BANK_UTF16, Encoding::Utf16)] {
            profile.encoding = encoding;
            let read = read(&profile, "bank-statement.csv", bytes).unwrap();
            assert_eq!(read.description, "First Example Bank checking (profile): 4 row(s) read, 5 skipped");
            assert_eq!(read.deposits, expected, "{encoding:?}");
            assert_eq!(read.skipped, skipped);
            assert!(read.payments.is_none() && read.warnings.is_empty(), "{read:#?}");
        }
    }

    #[test]
    fn refuses_a_date_not_in_the_profiles_format() {
        let bytes = edit(YOURCAUSE, "27.03.2025;YC-B-2025-03;YC-100232", "03/27/2025;YC-B-2025-03;YC-100232");
        let found = refusals(&yourcause(), &bytes);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!((found[0].0, found[0].1.as_deref()), (Some(5), Some("Payment Date")));
        assert_eq!(
            found[0].2,
            "\"03/27/2025\" is not a date in the profile's format %d.%m.%Y (which writes 27 March 2025 as \
             27.03.2025); does the file write dates another way? (date-format)"
        );
    }

    #[test]
    fn refuses_a_decimal_comma_file_read_with_a_decimal_point() {
        let mut profile = yourcause();
        (profile.decimal_mark, profile.thousands) = ('.', None);
        let found = refusals(&profile, YOURCAUSE);
        // Every amount of every row that is not skipped: three columns on seven rows.
        assert_eq!(found.len(), 21, "{found:#?}");
        assert_eq!((found[0].0, found[0].1.as_deref()), (Some(4), Some("Gross Amount")));
        assert_eq!(
            found[0].2,
            "\"1.200,00\" is not an amount with decimal mark \".\" — does the file use a decimal comma? (decimal-mark ,)"
        );
    }

    #[test]
    fn refuses_an_unknown_type_value_rather_than_guess() {
        let bytes = edit(YOURCAUSE, "Volunteer Grant;11.02", "Payroll Giving;11.02");
        let found = refusals(&yourcause(), &bytes);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!((found[0].0, found[0].1.as_deref()), (Some(5), Some("Transaction Type")));
        assert!(
            found[0].2.starts_with(
                "\"Payroll Giving\" is not a value the profile's type lines know (match: Matching Gift, Volunteer \
                 Grant; gift: Donation; skip: Refund); it decides whose money this is, so Matchbook will not guess"
            ),
            "{found:#?}"
        );
    }

    #[test]
    fn refuses_a_file_without_a_column_the_profile_names() {
        let bytes = edit(YOURCAUSE, ";Fee;", ";Fees;");
        let found = refusals(&yourcause(), &bytes);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!((found[0].0, found[0].1.as_deref()), (Some(3), Some("Fee")));
        assert!(found[0].2.starts_with("the file has no column \"Fee\" (the profile's column fees)"), "{found:#?}");
        // Names are found whatever their case; the profile's header line only recognises files.
        let bytes = edit(YOURCAUSE, ";Fee;", ";FEE;");
        let read_back = read(&yourcause(), "f.csv", &bytes).unwrap();
        assert_eq!(read_back.payments.unwrap().lines.len(), 7);
        assert!(read_back.warnings.is_empty(), "{:?}", read_back.warnings);
        let mut profile = bank();
        profile.header = Some("Date,Memo,Reference,Debit,Credit,Balance".into());
        let warnings = read(&profile, "f.csv", BANK).unwrap().warnings;
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].starts_with("f.csv:1: the header line is not the one the profile names"), "{warnings:?}");
    }

    #[test]
    fn refuses_a_running_balance_that_does_not_add_up() {
        // A row left out of the export, or an amount misread: the one row is wrong.
        let bytes = edit(BANK, "350.00", "305.00");
        let found = refusals(&bank(), &bytes);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!((found[0].0, found[0].1.as_deref()), (Some(7), Some("Balance")));
        assert_eq!(
            found[0].2,
            "the running balance does not add up: 20,106.65 - 305.00 is 19,801.65, the file says 19,756.65"
        );
    }

    #[test]
    fn a_statement_newest_first_adds_up_backwards() {
        let text = std::str::from_utf8(BANK).unwrap();
        let mut lines: Vec<&str> = text.lines().collect();
        lines[1..].reverse();
        let reversed = lines.join("\n");
        let read = read(&bank(), "b.csv", reversed.as_bytes()).unwrap();
        assert_eq!(read.deposits.len(), 4);
        let broken = reversed.replacen("\"5,000.00\"", "\"5,100.00\"", 1);
        let found = refusals(&bank(), broken.as_bytes());
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].0, Some(9));
        assert!(found[0].2.contains("12,468.25 + 5,100.00 is 17,568.25, the file says 17,468.25"), "{found:#?}");
    }

    #[test]
    fn refuses_utf16_read_as_utf8_clearly() {
        let found = refusals(&bank(), BANK_UTF16);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, Some(1));
        assert!(found[0].2.contains("it is UTF-16 text, not UTF-8; set `encoding utf-16`"), "{found:#?}");
        let mut yourcause = yourcause();
        yourcause.encoding = Encoding::Utf8;
        let found = refusals(&yourcause, YOURCAUSE);
        assert_eq!(found[0].0, Some(4));
        assert!(found[0].2.contains("encoding windows-1252"), "{found:#?}");
    }

    #[test]
    fn refuses_a_duplicate_reference_naming_both_lines() {
        let bytes = edit(YOURCAUSE, "YC-100303", "YC-100231");
        let found = refusals(&yourcause(), &bytes);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!((found[0].0, found[0].1.as_deref()), (Some(10), Some("Payment ID")));
        assert!(found[0].2.starts_with("the reference \"YC-100231\" is also on line 4"), "{found:#?}");
    }

    #[test]
    fn collects_every_row_it_cannot_read() {
        let bytes = edit(YOURCAUSE, "250,00;7,50;242,50", "250,00;7,50;240,50");
        let bytes = edit(
            &bytes,
            "EUR\r\n28.04.2025 09:15;YC-B-2025-04;YC-100302",
            "EURO\r\n28.04.2025 09:15;YC-B-2025-04;YC-100302",
        );
        let bytes = edit(&bytes, "lin@example.org;Project: Gadgets;50", "lin(at)example.org;Project: Gadgets;50");
        let found = refusals(&yourcause(), &bytes);
        let places: Vec<(Option<u64>, Option<&str>)> = found.iter().map(|(l, c, _)| (*l, c.as_deref())).collect();
        assert_eq!(
            places,
            [(Some(5), Some("Net Amount")), (Some(6), Some("Donor Email")), (Some(8), Some("Currency"))],
            "{found:#?}"
        );
        assert!(found[0].2.contains("250.00 - 7.50 is 242.50, the file says 240.50"), "{found:#?}");
    }

    #[test]
    fn refuses_negative_payments_unless_their_type_is_skipped() {
        let bytes = edit(YOURCAUSE, "Refund", "Donation");
        let found = refusals(&yourcause(), &bytes);
        assert_eq!((found[0].0, found[0].1.as_deref()), (Some(7), Some("Gross Amount")), "{found:#?}");
        assert!(found[0].2.starts_with("\"-50,00\" is negative: a payment is money received"), "{found:#?}");
    }

    #[test]
    fn amounts_in_every_notation() {
        let cents = |text: &str, decimal: char, thousands: Option<char>| parse_amount(text, decimal, thousands);
        for (text, expected) in [("1234.56", 123_456), ("-12.50", -1_250), ("(12.50)", -1_250), ("12.50-", -1_250)] {
            assert_eq!(cents(text, '.', None), Ok(expected), "{text}");
        }
        assert_eq!(cents("1,234,567.8", '.', Some(',')), Ok(123_456_780));
        assert_eq!(cents("1.234,56", ',', Some('.')), Ok(123_456));
        assert_eq!(cents("1 234,56", ',', Some(' ')), Ok(123_456));
        assert_eq!(cents("1\u{202F}234,56", ',', Some(' ')), Ok(123_456));
        assert_eq!(cents("1'234.50", '.', Some('\'')), Ok(123_450));
        assert_eq!(cents("+7", '.', None), Ok(700));
        assert_eq!(cents(",5", ',', None), Ok(50));
        assert_eq!(cents("- 3.00", '.', None), Ok(-300));
        for (text, decimal, thousands, hint) in [
            ("12,34,567.00", '.', Some(','), "groups three digits"),
            ("1234,56", '.', Some(','), "decimal comma"),
            ("1,234.56", ',', Some('.'), "decimal point"),
            ("1,234", '.', None, "thousands ,"),
            ("1 234.00", '.', None, "thousands space"),
            ("$12.00", '.', None, "a currency belongs"),
            ("12.00 EUR", '.', None, "a currency belongs"),
            ("", '.', None, ""),
            ("-", '.', None, ""),
            ("1.2.3", '.', None, ""),
            ("(12.50", '.', None, ""),
        ] {
            let message = cents(text, decimal, thousands).unwrap_err();
            assert!(message.contains(hint), "{text}: {message}");
        }
        assert!(cents("1.005", '.', None).unwrap_err().contains("more than 2 decimals"));
        assert!(cents("99999999999999", '.', None).unwrap_err().contains("more than any amount"));
    }

    #[test]
    fn dates_with_a_time_after_them() {
        let day = Some(date("2025-03-27"));
        assert_eq!(parse_date("2025-03-27", "%Y-%m-%d"), day);
        assert_eq!(parse_date("2025-03-27T14:02:00Z", "%Y-%m-%d"), day);
        assert_eq!(parse_date("2025-03-27 14:02", "%Y-%m-%d"), day);
        assert_eq!(parse_date("27 Mar 2025 14:02", "%d %b %Y"), day);
        assert_eq!(parse_date("27 MARCH 2025", "%d %B %Y"), day);
        assert_eq!(parse_date("3/27/25", "%m/%d/%y"), day);
        assert_eq!(parse_date("2025-03-27 nonsense", "%Y-%m-%d"), None);
        assert_eq!(parse_date("2025-02-30", "%Y-%m-%d"), None);
        assert_eq!(parse_date(&format!("2025-03-27 {}", "1 ".repeat(40)), "%Y-%m-%d"), None);
    }

    #[test]
    fn ids_without_references_are_stable_and_unique() {
        let mut profile = yourcause();
        profile.columns.retain(|(f, _)| *f != Field::Reference);
        let bytes = edit(YOURCAUSE, "YC-100232;Volunteer Grant;11.02.2025", "YC-100231;Matching Gift;03.02.2025");
        let bytes = edit(&bytes, "Ada Example;ada@", "Zoë Example;zoe@");
        let bytes = edit(&bytes, "250,00;7,50;242,50", "1.200,00;36,00;1.164,00");
        let ids = |bytes: &[u8]| -> Vec<String> {
            let report = read(&profile, "f.csv", bytes).unwrap().payments.unwrap();
            report.lines.iter().map(|l| l.payments[0].id.clone()).collect()
        };
        let first = ids(&bytes);
        assert_eq!(first, ids(&bytes), "the same file gives the same ids");
        assert!(first.iter().all(|id| id.starts_with("profile-yourcause-payouts-") && id.len() == 42), "{first:?}");
        let unique: std::collections::HashSet<&String> = first.iter().collect();
        assert_eq!(unique.len(), first.len(), "two identical rows, two ids: {first:?}");
        // A row added at the end changes no id before it.
        let more = [&bytes[..], b"28.04.2025;B;X;Donation;25.03.2025;Contoso;;;P;1,00;0,00;1,00;EUR\r\n"].concat();
        assert_eq!(ids(&more)[..first.len()], first[..]);
    }

    #[test]
    fn payments_from_net_and_fees_and_signed_bank_amounts() {
        let text = "profile Net\nmakes payments\ncurrency USD\ncolumn payer Payer\ncolumn date Date\n\
                    column net Net\ncolumn fees Fee\ncolumn project Fund\n";
        let profile = Profile::parse("p", text).unwrap();
        let file = "Date,Payer,Net,Fee,Fund\n2025-01-02,PayPal Giving Fund,97.10,-2.90,Lumen\n";
        let payment = &read(&profile, "f.csv", file.as_bytes()).unwrap().payments.unwrap().lines[0].payments[0];
        assert_eq!((payment.gross, payment.fees, payment.net), (10_000, 290, 9_710));
        assert_eq!(payment.payer, "PayPal Giving Fund");
        assert!(payment.id.starts_with("profile-net-"), "{}", payment.id);

        let text = "profile Bank\nmakes deposits\ncurrency EUR\ndate-format %d.%m.%Y\ndecimal-mark ,\n\
                    column date Buchungstag\ncolumn amount Betrag\ncolumn description Empfänger\n\
                    column description Verwendungszweck\nseparator ;\n";
        let profile = Profile::parse("p", text).unwrap();
        let file = "Buchungstag;Empfänger;Verwendungszweck;Betrag\n01.04.2025;Miete;April;-800,00\n\
                    02.04.2025;YourCause;Zahlung  YC-B-2025-04;2425,00\n03.04.2025;;;\n";
        let read = read(&profile, "f.csv", file.as_bytes()).unwrap();
        assert_eq!(read.deposits.len(), 1);
        let deposit = &read.deposits[0].1;
        assert_eq!((deposit.amount, deposit.description.as_str()), (242_500, "YourCause · Zahlung YC-B-2025-04"));
        assert!(deposit.id.starts_with("bank-bank-"), "{}", deposit.id);
        assert_eq!(read.skipped[0], (2, "a withdrawal (800.00)".to_string()));
        assert_eq!(read.skipped[1].0, 4);
    }

    #[test]
    fn a_preamble_is_left_out_before_the_csv_is_read() {
        let mut profile = bank();
        profile.skip = 2;
        let file = [&b"Statement \"March\nAccount 1234, \"checking\n"[..], BANK].concat();
        let read = read(&profile, "f.csv", &file).unwrap();
        assert_eq!(read.deposits[0].0, 5, "lines count the skipped ones");
        let found = refusals(&profile, b"only a title\n");
        assert!(found[0].2.contains("no header line after the 2 line(s)"), "{found:#?}");
    }
}
