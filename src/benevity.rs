//! Benevity's donations report, the CSV a charity downloads from the Benevity Causes Portal, read
//! as it comes: a preamble (`Donations Report`, `Charity Name`, ..., `Disbursement ID`), the table
//! of donations, a `Totals` row and a trailer (`Total Donations (Gross)`, `Check Fee`,
//! `Net Total Payment`). An older variant has no fee columns.
//!
//! Reading checks that the lines add up to the `Totals` row and the totals to the trailer: a report
//! that does not add up is refused rather than half believed. [`Report::payments`] then turns each
//! line into payment records (the employer's match and the donor's own gift apart), which the store
//! imports like any `payments.csv` row.

use crate::csv_text::{read_failure, CheckedText, MAX_CELL_BYTES, MAX_COLUMNS};
use crate::ledger::{parse_date, LedgerError};
use crate::model::{Date, Funds, Payment, Person};
use crate::money::{self, format_cents, Cents, Currency};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// The payer every line of a Benevity report names.
pub const PAYER: &str = "Benevity";

/// What a donor did not share reads like this in the report.
const NOT_SHARED: &str = "not shared by donor";

/// One disbursement report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub file: String,
    pub charity: String,
    pub charity_id: String,
    pub period_ending: Date,
    pub currency: Currency,
    pub payment_method: String,
    pub disbursement_id: String,
    pub lines: Vec<Line>,
    /// `Total Donations (Gross)`: the donors' gifts and the matches.
    pub gross: Cents,
    pub check_fee: Cents,
    /// `Net Total Payment`: what reached the charity's account.
    pub net: Cents,
    /// Columns of the table Matchbook does not know (Benevity adds some now and then).
    pub warnings: Vec<String>,
}

/// One donation of a report: a donor's gift, the employer's match of it, or both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The line in the file (1-based).
    pub line: u64,
    /// The employer (`Company`).
    pub company: String,
    pub project: String,
    pub comment: String,
    pub project_remote_id: String,
    pub date: Date,
    /// The donor, when they shared their name or email.
    pub donor: Option<Person>,
    pub transaction_id: String,
    pub reason: String,
    /// `Total Donation to be Acknowledged`: the donor's own gift.
    pub gift: Cents,
    /// `Match Amount`: the employer's money.
    pub matched: Cents,
    pub cause_support_fee: Cents,
    pub merchant_fee: Cents,
}

/// The report columns from which a line's project can be told, in the order they are tried.
pub const PROJECT_FIELDS: [&str; 3] = ["project remote id", "comment", "project"];

impl Line {
    /// The value of one of [`PROJECT_FIELDS`].
    pub fn field(&self, field: &str) -> &str {
        match field {
            "project remote id" => &self.project_remote_id,
            "comment" => &self.comment,
            _ => &self.project,
        }
    }

    /// The fees split between the gift and the match: the Cause Support Fee in proportion to the
    /// two amounts (the match's share rounded like every amount), the Merchant Fee, a card
    /// processor's charge on the donor's payment, to the gift (to the match when there is no gift).
    pub fn fee_shares(&self) -> (Cents, Cents) {
        let total = self.gift + self.matched;
        let match_share = if total == 0 {
            0
        } else {
            money::round_to_cents(
                Decimal::from(self.cause_support_fee) * Decimal::from(self.matched)
                    / Decimal::from(total)
                    / Decimal::ONE_HUNDRED,
            )
        };
        let gift_share = self.cause_support_fee - match_share;
        if self.gift > 0 {
            (gift_share + self.merchant_fee, match_share)
        } else {
            (gift_share, match_share + self.merchant_fee)
        }
    }
}

/// Whether these bytes look like a Benevity donations report (its first cell says so).
pub fn is_report(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
    let first = &bytes[start..bytes.len().min(start + 32)];
    let first = first.strip_prefix(b"\"").unwrap_or(first);
    first.len() >= 16 && first[..16].eq_ignore_ascii_case(b"donations report")
}

/// The table's columns Matchbook reads; the fee columns are missing in the older variant.
const REQUIRED: [&str; 10] = [
    "company",
    "project",
    "donation date",
    "donor first name",
    "donor last name",
    "email",
    "transaction id",
    "currency",
    "total donation to be acknowledged",
    "match amount",
];
const OPTIONAL: [&str; 5] = ["comment", "project remote id", "reason", "cause support fee", "merchant fee"];
/// Columns Matchbook knows and leaves aside (addresses stay in Benevity).
const IGNORED: [&str; 8] =
    ["address", "city", "state/province", "postal code", "activity", "donation frequency", "source", "fee comment"];

/// Reads a report. Every problem names the file, the line and, where there is one, the column.
pub fn read(file: &str, bytes: &[u8]) -> Result<Report, Vec<LedgerError>> {
    Reader::new(file, bytes).and_then(Reader::read).map_err(|e| vec![e])
}

/// A record of the file with the line it starts on.
struct CsvRecord {
    line: u64,
    cells: Vec<String>,
}

struct Reader {
    file: String,
    rows: std::vec::IntoIter<CsvRecord>,
    last_line: u64,
}

impl Reader {
    fn new(file: &str, bytes: &[u8]) -> Result<Reader, LedgerError> {
        let fail = |line: Option<u64>, message: String| LedgerError { file: file.into(), line, column: None, message };
        let mut csv = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(CheckedText::new(bytes));
        let mut rows = Vec::new();
        let mut record = csv::StringRecord::new();
        loop {
            match csv.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    let line = csv.get_mut().line_at(record.position().map_or(0, |p| p.byte()));
                    if record.len() > MAX_COLUMNS {
                        return Err(fail(
                            Some(line),
                            format!("the line has {} cells; Matchbook reads at most {MAX_COLUMNS}", record.len()),
                        ));
                    }
                    if record.iter().any(|c| c.len() > MAX_CELL_BYTES) {
                        let message =
                            format!("a cell holds more than {} KiB, the most Matchbook reads", MAX_CELL_BYTES / 1024);
                        return Err(fail(Some(line), message));
                    }
                    let cells: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
                    if cells.iter().any(|c| !c.is_empty()) {
                        rows.push(CsvRecord { line, cells });
                    }
                }
                Err(e) => {
                    let (line, message) = read_failure(&mut csv, e);
                    return Err(fail(line, message));
                }
            }
        }
        let last_line = csv.get_ref().lines();
        Ok(Reader { file: file.into(), last_line, rows: rows.into_iter() })
    }

    fn fail(&self, line: u64, column: Option<&str>, message: impl Into<String>) -> LedgerError {
        LedgerError {
            file: self.file.clone(),
            line: Some(line),
            column: column.map(str::to_string),
            message: message.into(),
        }
    }

    fn read(mut self) -> Result<Report, LedgerError> {
        // The preamble: `key,value` lines up to the table's header.
        let mut preamble: Vec<(String, String, u64)> = Vec::new();
        let header = loop {
            let Some(row) = self.rows.next() else {
                return Err(self.fail(
                    self.last_line,
                    None,
                    "the report has no table of donations (no line starts with Company)",
                ));
            };
            let first = row.cells[0].to_ascii_lowercase();
            if first == "company" {
                break row;
            }
            if !first.starts_with("#-") {
                preamble.push((first, row.cells.get(1).cloned().unwrap_or_default(), row.line));
            }
        };
        let setting = |key: &str| preamble.iter().find(|(k, _, _)| k == key).map(|(_, v, line)| (v.as_str(), *line));
        let required = |key: &str, shown: &str| match setting(key) {
            Some((value, _)) if !value.is_empty() => Ok(value.to_string()),
            Some((_, line)) => Err(self.fail(line, Some(shown), format!("{shown} is empty"))),
            None => Err(self.fail(
                header.line,
                Some(shown),
                format!("the report's preamble (the lines before line {}) has no {shown}", header.line),
            )),
        };
        let disbursement_id = required("disbursement id", "Disbursement ID")?;
        let currency_text = required("currency", "Currency")?;
        let currency: Currency = currency_text
            .parse()
            .map_err(|m: String| self.fail(setting("currency").map_or(header.line, |s| s.1), Some("Currency"), m))?;
        let period_text = required("period ending", "Period Ending")?;
        let period_ending = parse_period_ending(&period_text).ok_or_else(|| {
            self.fail(
                setting("period ending").map_or(header.line, |s| s.1),
                Some("Period Ending"),
                format!("{period_text:?} is not a date like \"Wed 1 Mar 2023 0:00:00\""),
            )
        })?;

        // The table's header.
        let names: Vec<String> = header.cells.iter().map(|c| c.to_ascii_lowercase()).collect();
        let mut warnings = Vec::new();
        // Each column's place, found once: a row's cells are looked up by name.
        let mut places: HashMap<&str, usize> = HashMap::with_capacity(names.len());
        for (i, name) in names.iter().enumerate() {
            if name.is_empty() {
                continue;
            }
            if places.insert(name, i).is_some() {
                return Err(self.fail(header.line, Some(&header.cells[i]), "the column appears twice in the header"));
            }
            let known = |list: &[&str]| list.contains(&name.as_str());
            if !known(&REQUIRED) && !known(&OPTIONAL) && !known(&IGNORED) {
                warnings.push(format!(
                    "{}:{}: unknown column {:?} in a Benevity report; ignored",
                    self.file, header.line, header.cells[i]
                ));
            }
        }
        let missing: Vec<&str> = REQUIRED.into_iter().filter(|c| !places.contains_key(c)).collect();
        if !missing.is_empty() {
            return Err(self.fail(
                header.line,
                None,
                format!("the table of donations lacks the column(s) {}", missing.join(", ")),
            ));
        }
        let at = |name: &str| places.get(name).copied();
        let width = names.iter().rposition(|n| !n.is_empty()).map_or(0, |i| i + 1);

        // The donations, up to the Totals row.
        let mut lines = Vec::new();
        let mut line_of_transaction: HashMap<String, u64> = HashMap::new();
        let totals = loop {
            let Some(row) = self.rows.next() else {
                return Err(self.fail(self.last_line, None, "the report ends without its Totals row"));
            };
            if row.cells[0].eq_ignore_ascii_case("totals") {
                break row;
            }
            if row.cells.len() < width {
                return Err(self.fail(
                    row.line,
                    None,
                    format!("the row has {} field(s) but the header has {width} (a short row)", row.cells.len()),
                ));
            }
            let line = self.line(&row, &at, currency)?;
            if let Some(other) = line_of_transaction.insert(line.transaction_id.clone(), line.line) {
                return Err(self.fail(
                    row.line,
                    Some("Transaction ID"),
                    format!("{} is also on line {other}", line.transaction_id),
                ));
            }
            lines.push(line);
        };
        if lines.is_empty() {
            return Err(self.fail(totals.line, None, "the report lists no donations; there is nothing to import"));
        }

        // The Totals row must be the sum of the lines.
        fn cell<'r>(row: &'r CsvRecord, at: &dyn Fn(&str) -> Option<usize>, name: &str) -> &'r str {
            at(name).and_then(|i| row.cells.get(i)).map_or("", |c| c.as_str())
        }
        type Column = (&'static str, &'static str, fn(&Line) -> Cents);
        let sums: [Column; 4] = [
            ("total donation to be acknowledged", "Total Donation to be Acknowledged", |l| l.gift),
            ("match amount", "Match Amount", |l| l.matched),
            ("cause support fee", "Cause Support Fee", |l| l.cause_support_fee),
            ("merchant fee", "Merchant Fee", |l| l.merchant_fee),
        ];
        let mut total = [0; 4];
        for (i, (name, shown, of)) in sums.iter().enumerate() {
            if at(name).is_none() {
                continue;
            }
            let stated = self.amount(totals.line, shown, cell(&totals, &at, name))?;
            let sum: Cents = lines.iter().map(of).sum();
            if stated != sum {
                return Err(self.fail(
                    totals.line,
                    Some(shown),
                    format!("Totals says {} but the lines add up to {}", format_cents(stated), format_cents(sum)),
                ));
            }
            total[i] = sum;
        }

        // The trailer must agree with the totals.
        let mut trailer: Vec<(String, String, u64)> = Vec::new();
        for row in self.rows.by_ref() {
            trailer.push((row.cells[0].to_ascii_lowercase(), row.cells.get(1).cloned().unwrap_or_default(), row.line));
        }
        let trailer_amount = |key: &str, shown: &str| -> Result<Option<(Cents, u64)>, LedgerError> {
            match trailer.iter().find(|(k, _, _)| k == key) {
                Some((_, value, line)) => Ok(Some((self.amount(*line, shown, value)?, *line))),
                None => Ok(None),
            }
        };
        let gross_line = trailer_amount("total donations (gross)", "Total Donations (Gross)")?;
        let check_fee = trailer_amount("check fee", "Check Fee")?.map_or(0, |(c, _)| c);
        let net_line = trailer_amount("net total payment", "Net Total Payment")?;
        let Some((net, net_at)) = net_line else {
            return Err(self.fail(
                self.last_line,
                Some("Net Total Payment"),
                "the report's trailer has no Net Total Payment",
            ));
        };
        let gross = total[0] + total[1];
        if let Some((stated, line)) = gross_line {
            if stated != gross {
                return Err(self.fail(
                    line,
                    Some("Total Donations (Gross)"),
                    format!(
                        "the trailer says {} but the Totals row's donations and matches add up to {}",
                        format_cents(stated),
                        format_cents(gross)
                    ),
                ));
            }
        }
        let expected_net = gross - total[2] - total[3] - check_fee;
        if net != expected_net {
            return Err(self.fail(
                net_at,
                Some("Net Total Payment"),
                format!(
                    "the trailer says {} but gross {} less fees {} and check fee {} is {}",
                    format_cents(net),
                    format_cents(gross),
                    format_cents(total[2] + total[3]),
                    format_cents(check_fee),
                    format_cents(expected_net)
                ),
            ));
        }
        Ok(Report {
            file: self.file.clone(),
            charity: setting("charity name").map(|s| s.0.to_string()).unwrap_or_default(),
            charity_id: setting("charity id").map(|s| s.0.to_string()).unwrap_or_default(),
            period_ending,
            currency,
            payment_method: setting("payment method").map(|s| s.0.to_string()).unwrap_or_default(),
            disbursement_id,
            lines,
            gross,
            check_fee,
            net,
            warnings,
        })
    }

    fn line(
        &self,
        row: &CsvRecord,
        at: &dyn Fn(&str) -> Option<usize>,
        currency: Currency,
    ) -> Result<Line, LedgerError> {
        let cell = |name: &str| at(name).and_then(|i| row.cells.get(i)).map_or("", |c| c.as_str());
        let shared = |name: &str| {
            let value = cell(name);
            if value.eq_ignore_ascii_case(NOT_SHARED) {
                ""
            } else {
                value
            }
        };
        let required = |name: &str, shown: &str| {
            let value = cell(name);
            if value.is_empty() {
                Err(self.fail(row.line, Some(shown), "is empty but required"))
            } else {
                Ok(value.to_string())
            }
        };
        let date_text = cell("donation date");
        let date = parse_date(date_text.get(..10).unwrap_or(date_text)).map_err(|_| {
            self.fail(row.line, Some("Donation Date"), format!("{date_text:?} is not a date like 2023-04-01T01:10:39Z"))
        })?;
        let line_currency: Currency =
            cell("currency").parse().map_err(|m: String| self.fail(row.line, Some("Currency"), m))?;
        if line_currency != currency {
            return Err(self.fail(
                row.line,
                Some("Currency"),
                format!("{line_currency} differs from the report's currency {currency}"),
            ));
        }
        let amount = |name: &str, shown: &str| {
            if at(name).is_none() {
                return Ok(0);
            }
            self.amount(row.line, shown, cell(name))
        };
        // The donor and company become a payment's contributor and employer: names, as in a ledger.
        for (field, shown) in [
            ("company", "Company"),
            ("donor first name", "Donor First Name"),
            ("donor last name", "Donor Last Name"),
            ("email", "Email"),
        ] {
            if let Some(problem) = crate::ledger::name_problem(cell(field)) {
                return Err(self.fail(row.line, Some(shown), problem));
            }
        }
        let name = [shared("donor first name"), shared("donor last name")].join(" ").trim().to_string();
        let email = shared("email").to_string();
        if !email.is_empty() && (!email.contains('@') || email.contains(char::is_whitespace)) {
            return Err(self.fail(row.line, Some("Email"), format!("{email:?} is not an email address")));
        }
        let donor = match (name.is_empty(), email.is_empty()) {
            (true, true) => None,
            (true, false) => Some(Person { name: email.clone(), email }),
            _ => Some(Person { name, email }),
        };
        let line = Line {
            line: row.line,
            company: required("company", "Company")?,
            project: cell("project").to_string(),
            comment: cell("comment").to_string(),
            project_remote_id: cell("project remote id").to_string(),
            date,
            donor,
            transaction_id: required("transaction id", "Transaction ID")?,
            reason: cell("reason").to_string(),
            gift: amount("total donation to be acknowledged", "Total Donation to be Acknowledged")?,
            matched: amount("match amount", "Match Amount")?,
            cause_support_fee: amount("cause support fee", "Cause Support Fee")?,
            merchant_fee: amount("merchant fee", "Merchant Fee")?,
        };
        if line.cause_support_fee + line.merchant_fee > line.gift + line.matched {
            return Err(self.fail(
                row.line,
                Some("Cause Support Fee"),
                "the fees are larger than the donation and match",
            ));
        }
        Ok(line)
    }

    /// An amount as Benevity writes it: `1,000.00` (thousands separators allowed), never negative.
    fn amount(&self, line: u64, column: &str, text: &str) -> Result<Cents, LedgerError> {
        if text.is_empty() {
            return Ok(0);
        }
        let well_grouped = text.split('.').next().is_some_and(|whole| {
            let groups: Vec<&str> = whole.split(',').collect();
            groups.len() == 1
                || (!groups[0].is_empty() && groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3))
        });
        if !well_grouped {
            return Err(self.fail(line, Some(column), format!("{text:?} is not an amount like 1,000.00")));
        }
        money::parse_cents(&text.replace(',', "")).map_err(|e| self.fail(line, Some(column), e.to_string()))
    }
}

/// `Wed 1 Mar 2023 0:00:00` (the weekday and time are optional), or an ISO date.
fn parse_period_ending(text: &str) -> Option<Date> {
    if let Ok(date) = parse_date(text.get(..10).unwrap_or(text)) {
        return Some(date);
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let start = usize::from(words.first().is_some_and(|w| w.chars().all(char::is_alphabetic)));
    let [day, month, year] = words.get(start..start + 3)?.try_into().ok()?;
    let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let month = months.iter().position(|m| month.to_ascii_lowercase().starts_with(m))? as u32 + 1;
    Date::from_ymd_opt(year.parse().ok()?, month, day.parse().ok()?)
}

impl Report {
    /// The report's lines as payment records: per line the employer's match and the donor's own
    /// gift (each when not zero), with ids made from the Disbursement ID and Transaction ID, so
    /// that importing the report again changes nothing. `project_of` names the Matchbook project
    /// of a line, or `None` when it cannot tell; every such line is an error.
    pub fn payments(
        &self,
        project_of: &dyn Fn(&Line) -> Option<String>,
    ) -> Result<Vec<(u64, Payment)>, Vec<LedgerError>> {
        let mut payments = Vec::new();
        let mut errors = Vec::new();
        let id_part = |text: &str| text.split_whitespace().collect::<Vec<_>>().join("_");
        for line in &self.lines {
            let Some(project) = project_of(line) else {
                errors.push(LedgerError {
                    file: self.file.clone(),
                    line: Some(line.line),
                    column: Some("Project".into()),
                    message: format!(
                        "no Matchbook project is mapped for this line ({}); map one of these values to a project once \
                         (matchbook map set FIELD VALUE PROJECT, or in the app's Import screen) and import again",
                        unmapped_values(line)
                    ),
                });
                continue;
            };
            let (gift_fee, match_fee) = line.fee_shares();
            for (funds, gross, fees) in [(Funds::Match, line.matched, match_fee), (Funds::Gift, line.gift, gift_fee)] {
                if gross == 0 {
                    continue;
                }
                payments.push((
                    line.line,
                    Payment {
                        id: format!(
                            "benevity-{}-{}-{}",
                            id_part(&self.disbursement_id),
                            id_part(&line.transaction_id),
                            funds.name()
                        ),
                        // The money was sent with the disbursement; the gift is when it was given.
                        date: self.period_ending,
                        payer: PAYER.into(),
                        project: project.clone(),
                        currency: self.currency,
                        gross,
                        fees,
                        net: gross - fees,
                        reference: line.transaction_id.clone(),
                        employer: line.company.clone(),
                        person: line.donor.clone(),
                        funds,
                        disbursement: self.disbursement_id.clone(),
                        gift_date: Some(line.date),
                    },
                ));
            }
        }
        if errors.is_empty() {
            Ok(payments)
        } else {
            Err(errors)
        }
    }
}

/// `Project "X", Comment "Y"`: the values a line's project could be told from.
fn unmapped_values(line: &Line) -> String {
    PROJECT_FIELDS
        .iter()
        .filter(|f| !line.field(f).is_empty())
        .map(|f| format!("{} {:?}", field_title(f), line.field(f)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A project field as the report's header spells it.
pub fn field_title(field: &str) -> &'static str {
    match field {
        "project remote id" => "Project Remote ID",
        "comment" => "Comment",
        _ => "Project",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = include_str!("../tests/data/benevity-sample.csv");

    #[test]
    fn reads_the_sample_report() {
        let report = read("r.csv", SAMPLE.as_bytes()).unwrap();
        assert_eq!(report.disbursement_id, "EXAMPLE0001");
        assert_eq!(report.period_ending, "2023-03-01".parse().unwrap());
        assert_eq!(report.currency.as_str(), "USD");
        assert_eq!(report.lines.len(), 3);
        assert_eq!((report.gross, report.check_fee, report.net), (275_000, 0, 266_880));
        let second = &report.lines[1];
        assert_eq!((second.line, second.gift, second.matched, second.cause_support_fee), (14, 120_000, 120_000, 6960));
        assert_eq!(second.donor, Some(Person { name: "Ada Example".into(), email: "ada@example.org".into() }));
        assert_eq!(report.lines[2].donor, None);
        assert_eq!(second.date, "2023-02-10".parse().unwrap());
    }

    #[test]
    fn fees_split_between_gift_and_match() {
        let report = read("r.csv", SAMPLE.as_bytes()).unwrap();
        let shares: Vec<(Cents, Cents)> = report.lines.iter().map(Line::fee_shares).collect();
        // 7.25 on a match alone; 69.60 on 1,200 + 1,200 halves; 2.90 halved, the 1.45 card fee to the gift.
        assert_eq!(shares, [(0, 725), (3480, 3480), (145 + 145, 145)]);
    }

    #[test]
    fn names_with_control_characters_are_refused_with_line_and_column() {
        let tab_in_company = SAMPLE.replacen("Acme Corp", "Acme\tCorp", 1);
        let errors = read("r.csv", tab_in_company.as_bytes()).unwrap_err();
        assert_eq!((errors[0].line, errors[0].column.as_deref()), (Some(15), Some("Company")), "{errors:?}");
        assert!(errors[0].message.contains("U+0009"), "{errors:?}");
        let unit_separator_in_name = SAMPLE.replacen("Ada,Example", "Ada\u{1f},Example", 1);
        let errors = read("r.csv", unit_separator_in_name.as_bytes()).unwrap_err();
        assert_eq!((errors[0].line, errors[0].column.as_deref()), (Some(13), Some("Donor First Name")), "{errors:?}");
    }

    #[test]
    fn recognises_reports() {
        assert!(is_report(SAMPLE.as_bytes()));
        assert!(is_report(b"\xEF\xBB\xBF\"Donations Report\",\n"));
        assert!(!is_report(b"date,contributor,project,hours\n"));
    }

    #[test]
    fn period_ending_formats() {
        assert_eq!(parse_period_ending("Wed 1 Mar 2023 0:00:00"), Some("2023-03-01".parse().unwrap()));
        assert_eq!(parse_period_ending("15 November 2024"), Some("2024-11-15".parse().unwrap()));
        assert_eq!(parse_period_ending("2024-11-15"), Some("2024-11-15".parse().unwrap()));
        assert_eq!(parse_period_ending("soon"), None);
    }
}
