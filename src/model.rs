//! The plain data model: one struct per record kind of the ledger contract, as a user wrote it.
//!
//! Names are kept as text here; the store interns them and the rules engine works on the interned
//! form ([`crate::rules::Book`]).

use crate::money::{Cents, Currency, Hours};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::fmt;
use std::str::FromStr;

pub type Date = NaiveDate;

/// The first and last dates Matchbook deals in; open ends of ranges stand at these, so that ISO
/// text of any date in range sorts like the date.
pub const FIRST_DATE: Date = match NaiveDate::from_ymd_opt(1, 1, 1) {
    Some(d) => d,
    None => panic!("0001-01-01 exists"),
};
pub const LAST_DATE: Date = match NaiveDate::from_ymd_opt(9999, 12, 31) {
    Some(d) => d,
    None => panic!("9999-12-31 exists"),
};

/// A date as ISO text (`YYYY-MM-DD`), as files and the book write it.
pub fn iso(date: Date) -> String {
    use chrono::Datelike;
    // Spelled by hand: `format!` costs several times more, and imports, exports and the results
    // cache spell millions of dates.
    let (year, month, day) = (date.year(), date.month(), date.day());
    if !(0..=9999).contains(&year) {
        return format!("{year:04}-{month:02}-{day:02}");
    }
    let digit = |n: u32| char::from(b'0' + n as u8);
    let year = year as u32;
    let mut text = String::with_capacity(10);
    for d in [year / 1000, year / 100 % 10, year / 10 % 10, year % 10] {
        text.push(digit(d));
    }
    text.push('-');
    text.push(digit(month / 10));
    text.push(digit(month % 10));
    text.push('-');
    text.push(digit(day / 10));
    text.push(digit(day % 10));
    text
}

#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
/// What an entry is: hours volunteered or a gift given. Its records are of the kind
/// [`EntryKind::record_kind`]; reports print it by [`EntryKind::name`].
pub enum EntryKind {
    // Declared first: on one date, donations come before hours.
    Donation,
    Hours,
}

impl EntryKind {
    pub fn name(self) -> &'static str {
        match self {
            EntryKind::Donation => "donation",
            EntryKind::Hours => "hours",
        }
    }

    /// The kind of record (and the table) that holds such entries.
    pub fn record_kind(self) -> RecordKind {
        match self {
            EntryKind::Donation => RecordKind::Donations,
            EntryKind::Hours => RecordKind::Hours,
        }
    }
}

impl RecordKind {
    /// The kind of entry that records of this kind are, if they are entries.
    pub fn entry_kind(self) -> Option<EntryKind> {
        match self {
            RecordKind::Hours => Some(EntryKind::Hours),
            RecordKind::Donations => Some(EntryKind::Donation),
            _ => None,
        }
    }
}

/// The kinds of file (and of record): the contract's five and Matchbook's `deposits`.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RecordKind {
    Programs,
    Employments,
    Hours,
    Donations,
    Payments,
    /// Money credited to the bank account (Matchbook's extension of the contract).
    Deposits,
}

impl RecordKind {
    pub const ALL: [RecordKind; 6] = [
        RecordKind::Programs,
        RecordKind::Employments,
        RecordKind::Hours,
        RecordKind::Donations,
        RecordKind::Payments,
        RecordKind::Deposits,
    ];

    pub fn name(self) -> &'static str {
        match self {
            RecordKind::Programs => "programs",
            RecordKind::Employments => "employments",
            RecordKind::Hours => "hours",
            RecordKind::Donations => "donations",
            RecordKind::Payments => "payments",
            RecordKind::Deposits => "deposits",
        }
    }

    /// The letter that starts ids of this kind (`h-...` for hours). Payments are "receipts",
    /// deposits are the "bank"'s.
    pub fn id_letter(self) -> char {
        match self {
            RecordKind::Programs => 'p',
            RecordKind::Employments => 'e',
            RecordKind::Hours => 'h',
            RecordKind::Donations => 'd',
            RecordKind::Payments => 'r',
            RecordKind::Deposits => 'b',
        }
    }
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for RecordKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        RecordKind::ALL.into_iter().find(|k| k.name() == s.trim().to_ascii_lowercase()).ok_or_else(|| {
            format!("unknown kind {s:?} (expected programs, employments, hours, donations, payments or deposits)")
        })
    }
}

/// Where an entry stands in its claim's life.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Logged,
    Submitted,
    Approved,
    Paid,
    Rejected,
}

impl Status {
    pub const ALL: [Status; 5] = [Status::Logged, Status::Submitted, Status::Approved, Status::Paid, Status::Rejected];

    pub fn name(self) -> &'static str {
        match self {
            Status::Logged => "logged",
            Status::Submitted => "submitted",
            Status::Approved => "approved",
            Status::Paid => "paid",
            Status::Rejected => "rejected",
        }
    }

    /// Whether an entry at `self` moves forward by becoming `to`: along logged -> submitted ->
    /// approved -> paid only (a rejection is no step along it).
    pub fn moves_forward_to(self, to: Status) -> bool {
        let step = |s: Status| match s {
            Status::Logged => Some(0),
            Status::Submitted => Some(1),
            Status::Approved => Some(2),
            Status::Paid => Some(3),
            Status::Rejected => None,
        };
        matches!((step(self), step(to)), (Some(a), Some(b)) if b > a)
    }
}

impl FromStr for Status {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        // The book, and most files, spell a status as it is named: found without folding a copy
        // (a million rows read made a million copies).
        if let Some(status) = Status::ALL.into_iter().find(|k| k.name() == s) {
            return Ok(status);
        }
        let t = s.trim().to_ascii_lowercase();
        if t.is_empty() {
            return Ok(Status::Logged);
        }
        Status::ALL
            .into_iter()
            .find(|k| k.name() == t)
            .ok_or_else(|| format!("unknown status {s:?} (expected logged, submitted, approved, paid or rejected)"))
    }
}

/// The ledger columns that date an entry's statuses, in the order of [`StatusDates::STATUSES`].
pub const STATUS_DATE_COLUMNS: [&str; 4] = ["submitted_on", "approved_on", "paid_on", "rejected_on"];

impl Status {
    /// Whether an entry at `self` has passed through `step` on its way: a `paid` entry was
    /// `submitted` and `approved` (on days a file may not know), a `rejected` one may have been
    /// `submitted` or `approved` before; `logged` is every entry's start.
    pub fn reached(self, step: Status) -> bool {
        use Status::*;
        match self {
            Logged => step == Logged,
            Submitted => matches!(step, Logged | Submitted),
            Approved => matches!(step, Logged | Submitted | Approved),
            Paid => matches!(step, Logged | Submitted | Approved | Paid),
            Rejected => matches!(step, Logged | Submitted | Approved | Rejected),
        }
    }

    /// The column that dates this status (`submitted_on`, ...); `None` for `logged`.
    pub fn date_column(self) -> Option<&'static str> {
        StatusDates::STATUSES.iter().position(|s| *s == self).map(|i| STATUS_DATE_COLUMNS[i])
    }
}

/// The days an entry reached each status it reached (`submitted_on`, `approved_on`, `paid_on`,
/// `rejected_on`), where known. An entry has a date only for a status it reached, none before its
/// own date, and they are in the order of the claim's life: submitted, then approved, then paid;
/// a rejection after the submission and approval it ends. See [`StatusDates::problem`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct StatusDates {
    pub submitted_on: Option<Date>,
    pub approved_on: Option<Date>,
    pub paid_on: Option<Date>,
    pub rejected_on: Option<Date>,
}

impl StatusDates {
    /// The statuses that have a date, in the order of [`STATUS_DATE_COLUMNS`].
    pub const STATUSES: [Status; 4] = [Status::Submitted, Status::Approved, Status::Paid, Status::Rejected];

    /// The dates in the order of [`STATUS_DATE_COLUMNS`].
    pub fn all(&self) -> [Option<Date>; 4] {
        [self.submitted_on, self.approved_on, self.paid_on, self.rejected_on]
    }

    /// The day the entry reached `status`, if known (`logged` has none).
    pub fn on(&self, status: Status) -> Option<Date> {
        match status {
            Status::Logged => None,
            Status::Submitted => self.submitted_on,
            Status::Approved => self.approved_on,
            Status::Paid => self.paid_on,
            Status::Rejected => self.rejected_on,
        }
    }

    /// Dates `status` `on` (`logged` has no date: nothing changes).
    pub fn set(&mut self, status: Status, on: Option<Date>) {
        match status {
            Status::Logged => {}
            Status::Submitted => self.submitted_on = on,
            Status::Approved => self.approved_on = on,
            Status::Paid => self.paid_on = on,
            Status::Rejected => self.rejected_on = on,
        }
    }

    /// The statuses that come before `status` in a claim's life and so are dated no later.
    fn before(status: Status) -> &'static [Status] {
        match status {
            Status::Logged | Status::Submitted => &[],
            Status::Approved => &[Status::Submitted],
            Status::Paid | Status::Rejected => &[Status::Submitted, Status::Approved],
        }
    }

    /// What is wrong with these dates for an entry of `date` at `status`, as the column and the
    /// problem: a date for a status the entry has not reached, a date before the entry's own, or
    /// dates out of the order of the claim's life.
    pub fn problem(&self, status: Status, date: Date) -> Option<(&'static str, String)> {
        for (step, column) in Self::STATUSES.into_iter().zip(STATUS_DATE_COLUMNS) {
            let Some(on) = self.on(step) else { continue };
            if !status.reached(step) {
                return Some((
                    column,
                    format!(
                        "is given but the entry is {}: an entry has a date only for a status it reached",
                        status.name()
                    ),
                ));
            }
            if on < date {
                return Some((column, format!("{} is before the entry's own date {}", iso(on), iso(date))));
            }
            for &earlier in Self::before(step) {
                if let Some(then) = self.on(earlier).filter(|then| *then > on) {
                    return Some((
                        column,
                        format!(
                            "{} is before {} {}: an entry is submitted, then approved, then paid or rejected",
                            iso(on),
                            earlier.date_column().unwrap_or_default(),
                            iso(then)
                        ),
                    ));
                }
            }
        }
        None
    }

    /// The dates after an entry of `date` moves from status `from` to `to`, the new status
    /// reached `on` (`None`: on a day not known, as when an unlink gives an entry back the status
    /// it had). The dates of the statuses `to` reached are kept; the new status, unless the entry
    /// moves back to one it had reached, is dated `on`, or, were that earlier, the entry's date or
    /// the latest date of a status before it (a date never breaks the order); the dates of the
    /// statuses `to` has not reached are cleared.
    pub fn moved(self, from: Status, to: Status, on: Option<Date>, date: Date) -> StatusDates {
        let mut dates = StatusDates::default();
        for step in Self::STATUSES {
            if to.reached(step) && from.reached(step) {
                dates.set(step, self.on(step));
            }
        }
        if !from.reached(to) {
            let floor = Self::before(to).iter().filter_map(|s| dates.on(*s)).fold(date, Date::max);
            dates.set(to, on.map(|on| on.max(floor)));
        }
        dates
    }
}

/// Whether a program pays for hours or matches gifts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProgramKind {
    Volunteer,
    Donation,
}

impl FromStr for ProgramKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "volunteer" => Ok(ProgramKind::Volunteer),
            "donation" => Ok(ProgramKind::Donation),
            _ => Err(format!("unknown program kind {s:?} (expected volunteer or donation)")),
        }
    }
}

impl ProgramKind {
    pub fn name(self) -> &'static str {
        match self {
            ProgramKind::Volunteer => "volunteer",
            ProgramKind::Donation => "donation",
        }
    }
}

/// How one program version turns an entry into money.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Earning {
    /// Volunteer: `rate` per hour.
    Rate(Decimal),
    /// Volunteer: `amount` for every full `hours`.
    Blocks { hours: Hours, amount: Cents },
    /// Donation: `ratio` × the gift, for gifts of at least `min_gift`, counting at most `max_gift`.
    Match { ratio: Decimal, min_gift: Option<Cents>, max_gift: Option<Cents> },
}

/// The month and day on which a program year starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct YearStart {
    pub month: u32,
    pub day: u32,
}

impl Default for YearStart {
    fn default() -> Self {
        YearStart { month: 1, day: 1 }
    }
}

impl FromStr for YearStart {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let t = s.trim();
        if t.is_empty() {
            return Ok(YearStart::default());
        }
        let bad = || format!("{s:?} is not a month and day like 07-01 (MM-DD; 02-29 is not allowed)");
        let (m, d) = t.split_once('-').ok_or_else(bad)?;
        if m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let month: u32 = m.parse().map_err(|_| bad())?;
        let day: u32 = d.parse().map_err(|_| bad())?;
        // 2001 is not a leap year, so 02-29 is refused: it would not exist in most years.
        NaiveDate::from_ymd_opt(2001, month, day).ok_or_else(bad)?;
        Ok(YearStart { month, day })
    }
}

impl fmt::Display for YearStart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}-{:02}", self.month, self.day)
    }
}

impl YearStart {
    /// The program year containing `date`, named by the calendar year it starts in, and its first
    /// and last day.
    pub fn program_year(self, date: Date) -> (i32, Date, Date) {
        let year = self.year_of(date);
        let (first, last) = self.bounds(year);
        (year, first, last)
    }

    /// The program year containing `date`, as [`YearStart::program_year`] names it; without
    /// making dates, which a million entries would feel.
    pub fn year_of(self, date: Date) -> i32 {
        let year = date.year_ce_i32();
        if (chrono::Datelike::month(&date), chrono::Datelike::day(&date)) >= (self.month, self.day) {
            year
        } else {
            year - 1
        }
    }

    /// The first and last day of the program year `year`.
    pub fn bounds(self, year: i32) -> (Date, Date) {
        let start_in = |year: i32| NaiveDate::from_ymd_opt(year, self.month, self.day).expect("validated month-day");
        (start_in(year), start_in(year + 1).pred_opt().expect("dates in range"))
    }
}

trait YearCe {
    fn year_ce_i32(&self) -> i32;
}

impl YearCe for Date {
    fn year_ce_i32(&self) -> i32 {
        chrono::Datelike::year(self)
    }
}

/// A contributor as a row names them. Identity rules live in [`crate::people`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Person {
    pub name: String,
    /// Empty when the row gives none.
    pub email: String,
}

/// One version of one program's rules (a row of `programs.csv`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramVersion {
    pub id: String,
    pub program: String,
    pub employer: String,
    pub platform: String,
    pub kind: ProgramKind,
    pub currency: Currency,
    pub effective_from: Date,
    pub effective_to: Option<Date>,
    pub earning: Earning,
    pub min_hours: Option<Hours>,
    pub annual_cap: Option<Cents>,
    pub cap_group: String,
    pub year_start: YearStart,
    pub claim_days: Option<u32>,
    pub fee_rate: Option<Decimal>,
}

impl ProgramVersion {
    pub fn in_force_on(&self, date: Date) -> bool {
        self.effective_from <= date && self.effective_to.is_none_or(|to| date <= to)
    }
}

/// A row of `employments.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Employment {
    pub id: String,
    pub person: Person,
    pub employer: String,
    pub start: Date,
    pub end: Option<Date>,
}

/// A row of `hours.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoursEntry {
    pub id: String,
    pub date: Date,
    pub person: Person,
    /// Empty: taken from the employment history on `date`.
    pub employer: String,
    pub project: String,
    pub hours: Hours,
    pub description: String,
    pub status: Status,
    /// The days it reached its statuses, where known.
    pub dates: StatusDates,
}

/// A row of `donations.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Donation {
    pub id: String,
    pub date: Date,
    pub person: Person,
    pub employer: String,
    pub project: String,
    pub amount: Cents,
    pub currency: Currency,
    pub status: Status,
    /// The days it reached its statuses, where known.
    pub dates: StatusDates,
}

/// A row of `payments.csv`: money that arrived. `gross - fees = net` always holds.
///
/// The columns after `reference` are Matchbook's compatible extension of the contract: they say
/// whose money a line is and whom it was for, so that it can be reconciled with the entries it
/// pays (a platform's disbursement report becomes one such line per donation it lists).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub id: String,
    pub date: Date,
    pub payer: String,
    pub project: String,
    pub currency: Currency,
    pub gross: Cents,
    pub fees: Cents,
    pub net: Cents,
    pub reference: String,
    /// The employer whose match this is, when the payer is a platform paying for many.
    pub employer: String,
    /// The contributor the money was for, when the payer says.
    pub person: Option<Person>,
    pub funds: Funds,
    /// The payout this line is part of (a Benevity Disbursement ID); lines of one payout share it.
    pub disbursement: String,
    /// The day of the gift (or volunteering) this money is for, when it is not `date`, the day the
    /// money was sent: a platform's report says both, and matching lines to entries goes by it.
    pub gift_date: Option<Date>,
    /// When the payout reached the bank, when the payer says (Benevity's `Bank Date`).
    pub bank_date: Option<Date>,
    /// The reference the payout carries on the bank statement (Benevity's `Bank Reference ID`).
    pub bank_reference: String,
}

impl Payment {
    pub fn payout(&self) -> &str {
        payout_of(&self.id, &self.disbursement)
    }
}

/// The payout a payment line came in, as bank matching names it: its disbursement (whose lines
/// reached the bank as one deposit), or the line's own id when it names none.
pub fn payout_of<'a>(id: &'a str, disbursement: &'a str) -> &'a str {
    if disbursement.is_empty() {
        id
    } else {
        disbursement
    }
}

/// A row of `deposits.csv`: money credited to the treasurer's bank account, as the bank's
/// statement shows it. Deposits are what payouts are checked against; they name no project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deposit {
    pub id: String,
    pub date: Date,
    /// The account as the statement names it (an OFX `ACCTID`, or what the treasurer calls it).
    pub account: String,
    pub currency: Currency,
    /// Always more than 0: a statement's debits are not deposits.
    pub amount: Cents,
    /// The bank's reference for the credit, where it gives one.
    pub reference: String,
    /// The statement's text: payer's name, memo.
    pub description: String,
}

/// Whose money a payment is. Only employer money is what claims expect; a donor's own gift that
/// passes through a platform is income too, but is kept apart in every report.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Funds {
    /// An employer's match or volunteer reward (column `type` = `match`, the default).
    #[default]
    Match,
    /// A donor's own gift (`type` = `gift`).
    Gift,
}

impl Funds {
    pub fn name(self) -> &'static str {
        match self {
            Funds::Match => "match",
            Funds::Gift => "gift",
        }
    }
}

impl FromStr for Funds {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "" | "match" => Ok(Funds::Match),
            "gift" => Ok(Funds::Gift),
            _ => Err(format!("unknown type {s:?} (expected match or gift)")),
        }
    }
}

/// Any one record, as read from a file or the book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    Program(ProgramVersion),
    Employment(Employment),
    Hours(HoursEntry),
    Donation(Donation),
    Payment(Payment),
    Deposit(Deposit),
}

impl Record {
    pub fn kind(&self) -> RecordKind {
        match self {
            Record::Program(_) => RecordKind::Programs,
            Record::Employment(_) => RecordKind::Employments,
            Record::Hours(_) => RecordKind::Hours,
            Record::Donation(_) => RecordKind::Donations,
            Record::Payment(_) => RecordKind::Payments,
            Record::Deposit(_) => RecordKind::Deposits,
        }
    }

    pub fn id(&self) -> &str {
        match self {
            Record::Program(r) => &r.id,
            Record::Employment(r) => &r.id,
            Record::Hours(r) => &r.id,
            Record::Donation(r) => &r.id,
            Record::Payment(r) => &r.id,
            Record::Deposit(r) => &r.id,
        }
    }

    /// An entry's status; `None` for records that are not entries.
    pub fn status(&self) -> Option<Status> {
        match self {
            Record::Hours(r) => Some(r.status),
            Record::Donation(r) => Some(r.status),
            _ => None,
        }
    }

    pub fn set_id(&mut self, id: String) {
        match self {
            Record::Program(r) => r.id = id,
            Record::Employment(r) => r.id = id,
            Record::Hours(r) => r.id = id,
            Record::Donation(r) => r.id = id,
            Record::Payment(r) => r.id = id,
            Record::Deposit(r) => r.id = id,
        }
    }
}

/// Key under which names (people, employers, projects) are compared: trimmed, composed (NFC),
/// case-folded.
pub fn name_key(name: &str) -> String {
    let name = name.trim();
    if unicode_normalization::is_nfc(name) {
        name.to_lowercase()
    } else {
        unicode_normalization::UnicodeNormalization::nfc(name).collect::<String>().to_lowercase()
    }
}

/// FNV-1a: a hash that is the same on every machine and in every run (std's is not), for what
/// is kept or shown: the book's row digests, journal account names.
pub(crate) struct StableHash(u64);

impl StableHash {
    pub(crate) fn new() -> StableHash {
        StableHash(0xcbf2_9ce4_8422_2325)
    }

    pub(crate) fn eat(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= b as u64;
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    pub(crate) fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn iso_spells_dates_as_chrono_does() {
        for text in ["2025-01-01", "2024-02-29", "1999-12-31", "0987-07-04", "9999-12-31"] {
            assert_eq!(iso(d(text)), text);
        }
        let far = Date::from_ymd_opt(12345, 6, 7).unwrap();
        assert_eq!(iso(far), far.format("%Y-%m-%d").to_string().trim_start_matches('+'));
    }

    #[test]
    fn statuses_parse_in_any_case_and_blank_is_logged() {
        for (text, status) in [
            ("paid", Status::Paid),
            (" Approved ", Status::Approved),
            ("SUBMITTED", Status::Submitted),
            ("", Status::Logged),
        ] {
            assert_eq!(text.parse::<Status>(), Ok(status), "{text:?}");
        }
        assert!("payed".parse::<Status>().unwrap_err().contains("unknown status"));
    }

    fn dates(submitted: &str, approved: &str, paid: &str, rejected: &str) -> StatusDates {
        let on = |t: &str| (!t.is_empty()).then(|| d(t));
        StatusDates {
            submitted_on: on(submitted),
            approved_on: on(approved),
            paid_on: on(paid),
            rejected_on: on(rejected),
        }
    }

    #[test]
    fn status_dates_are_for_statuses_reached_from_the_entrys_date_in_order() {
        let day = d("2025-03-04");
        let ok =
            |status: Status, dates: StatusDates| assert_eq!(dates.problem(status, day), None, "{status:?} {dates:?}");
        ok(Status::Logged, StatusDates::default());
        ok(Status::Paid, StatusDates::default());
        ok(Status::Submitted, dates("2025-03-04", "", "", ""));
        ok(Status::Paid, dates("2025-03-05", "2025-03-05", "2025-04-30", ""));
        ok(Status::Paid, dates("", "", "2025-04-30", ""));
        ok(Status::Rejected, dates("2025-03-05", "2025-03-20", "", "2025-03-20"));
        let refused = |status: Status, dates: StatusDates, column: &str, says: &str| {
            let (at, problem) = dates.problem(status, day).unwrap_or_else(|| panic!("{status:?} {dates:?}"));
            assert_eq!(at, column, "{problem}");
            assert!(problem.contains(says), "{problem}");
        };
        refused(Status::Logged, dates("2025-03-05", "", "", ""), "submitted_on", "the entry is logged");
        refused(Status::Approved, dates("2025-03-05", "2025-03-06", "2025-03-07", ""), "paid_on", "is approved");
        refused(Status::Paid, dates("", "", "2025-03-07", "2025-03-08"), "rejected_on", "is paid");
        refused(Status::Rejected, dates("", "", "2025-03-07", "2025-03-08"), "paid_on", "is rejected");
        refused(
            Status::Submitted,
            dates("2025-03-03", "", "", ""),
            "submitted_on",
            "before the entry's own date 2025-03-04",
        );
        refused(
            Status::Paid,
            dates("2025-03-10", "2025-03-09", "", ""),
            "approved_on",
            "before submitted_on 2025-03-10",
        );
        refused(Status::Paid, dates("2025-03-10", "", "2025-03-09", ""), "paid_on", "before submitted_on 2025-03-10");
        refused(Status::Paid, dates("", "2025-03-10", "2025-03-09", ""), "paid_on", "before approved_on 2025-03-10");
        refused(Status::Rejected, dates("", "2025-03-10", "", "2025-03-09"), "rejected_on", "before approved_on");
    }

    #[test]
    fn a_status_change_dates_the_new_status_and_clears_those_not_reached() {
        use Status::*;
        let day = d("2025-03-04");
        let today = Some(d("2025-06-01"));
        // Forward: the new status is dated today, earlier dates kept, skipped ones unknown.
        assert_eq!(StatusDates::default().moved(Logged, Submitted, today, day), dates("2025-06-01", "", "", ""));
        let submitted = dates("2025-05-01", "", "", "");
        assert_eq!(submitted.moved(Submitted, Approved, today, day), dates("2025-05-01", "2025-06-01", "", ""));
        assert_eq!(StatusDates::default().moved(Logged, Paid, today, day), dates("", "", "2025-06-01", ""));
        // Back: the dates of statuses no longer reached go; the status returned to keeps its own.
        let paid = dates("2025-05-01", "2025-05-10", "2025-06-01", "");
        assert_eq!(paid.moved(Paid, Approved, today, day), dates("2025-05-01", "2025-05-10", "", ""));
        assert_eq!(paid.moved(Paid, Submitted, today, day), submitted);
        assert_eq!(paid.moved(Paid, Logged, today, day), StatusDates::default());
        assert_eq!(paid.moved(Paid, Rejected, today, day), dates("2025-05-01", "2025-05-10", "", "2025-06-01"));
        let rejected = dates("2025-05-01", "", "", "2025-05-20");
        assert_eq!(rejected.moved(Rejected, Paid, today, day), dates("2025-05-01", "", "2025-06-01", ""));
        // A day not known (an unlink) dates nothing new.
        assert_eq!(paid.moved(Paid, Rejected, None, day), dates("2025-05-01", "2025-05-10", "", ""));
        // Never before the entry's date or an earlier status's date.
        assert_eq!(
            StatusDates::default().moved(Logged, Submitted, Some(d("2025-01-01")), day),
            dates("2025-03-04", "", "", "")
        );
        let late = dates("2025-07-01", "", "", "");
        assert_eq!(late.moved(Submitted, Paid, today, day), dates("2025-07-01", "", "2025-07-01", ""));
        // Whatever the move, the dates stay valid.
        for from in Status::ALL {
            for to in Status::ALL {
                let before = StatusDates::default().moved(Logged, from, Some(d("2025-05-01")), day);
                let after = before.moved(from, to, Some(d("2025-02-01")), day);
                assert_eq!(after.problem(to, day), None, "{from:?} -> {to:?}: {after:?}");
            }
        }
    }

    #[test]
    fn program_years_not_starting_in_january() {
        let ys: YearStart = "07-01".parse().unwrap();
        assert_eq!(ys.program_year(d("2025-06-30")), (2024, d("2024-07-01"), d("2025-06-30")));
        assert_eq!(ys.program_year(d("2025-07-01")), (2025, d("2025-07-01"), d("2026-06-30")));
        let jan = YearStart::default();
        assert_eq!(jan.program_year(d("2024-02-29")), (2024, d("2024-01-01"), d("2024-12-31")));
        assert!("02-29".parse::<YearStart>().is_err());
        assert!("13-01".parse::<YearStart>().is_err());
        assert!("7-1".parse::<YearStart>().is_err());
    }
}
