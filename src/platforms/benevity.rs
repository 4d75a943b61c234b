//! Benevity's donations report, the CSV a charity downloads from the Benevity Causes Portal, read
//! as it comes: a preamble (`Donations Report`, `Charity Name`, ..., `Disbursement ID`), the table
//! of donations, a `Totals` row and a trailer (`Total Donations (Gross)`, `Check Fee`,
//! `Net Total Payment`). An older variant has no fee columns.
//!
//! Reading checks that the lines add up to the `Totals` row and the totals to the trailer: a report
//! that does not add up is refused rather than half believed. [`Report::into_platform_report`]
//! then turns each line into payment records (the employer's match and the donor's own gift
//! apart), as Benevity's newer disbursement report does ([`super::benevity_disbursements`]).

use super::table::{self, Header, Row};
use super::{Clue, PlatformReport, ReportLine, BENEVITY};
use crate::ledger::{parse_date, LedgerError};
use crate::model::{Date, Funds, Payment, Person};
use crate::money::{self, format_cents, Cents, Currency};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// The payer every line of a Benevity report names.
pub const PAYER: &str = "Benevity";

/// What a donor did not share reads like this in the report.
const NOT_SHARED: &str = "not shared by donor";

/// One donations report: one disbursement.
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

/// One donation of a Benevity report (of either layout): a donor's gift, the employer's match of
/// it, or both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The line in the file (1-based).
    pub line: u64,
    /// The employer (`Company`).
    pub company: String,
    /// The values that may tell the project, as the layout names them.
    pub clues: Vec<Clue>,
    pub date: Date,
    /// The donor, when they shared their name or email.
    pub donor: Option<Person>,
    pub transaction_id: String,
    /// `Total Donation to be Acknowledged` (`Donation Amount`): the donor's own gift.
    pub gift: Cents,
    /// `Match Amount`: the employer's money.
    pub matched: Cents,
    pub cause_support_fee: Cents,
    pub merchant_fee: Cents,
    /// The line's part of the disbursement's check fee.
    pub check_fee: Cents,
}

impl Line {
    /// The fees split between the gift and the match: the Cause Support Fee and the check fee in
    /// proportion to the two amounts (the match's share rounded like every amount), the Merchant
    /// Fee, a card processor's charge on the donor's payment, to the gift (to the match when there
    /// is no gift).
    pub fn fee_shares(&self) -> (Cents, Cents) {
        let total = self.gift + self.matched;
        let shared = self.cause_support_fee + self.check_fee;
        let match_share = if total == 0 {
            0
        } else {
            money::round_to_cents(
                Decimal::from(shared) * Decimal::from(self.matched) / Decimal::from(total) / Decimal::ONE_HUNDRED,
            )
        };
        let gift_share = shared - match_share;
        if self.gift > 0 {
            (gift_share + self.merchant_fee, match_share)
        } else {
            (gift_share, match_share + self.merchant_fee)
        }
    }

    /// Refuses a line whose donor's gift, or employer's match, would bear more fees than it is
    /// (see [`Line::fee_shares`]): the Merchant Fee is the gift's, and a line's share of the check
    /// fee comes on top of its own fees. Either would make a payment of less than nothing, which
    /// no book holds (its own export would be refused). `columns`: the titles of the Merchant Fee
    /// and the Cause Support Fee as the file writes them.
    pub(super) fn check_fee_shares(&self, file: &str, columns: (&str, &str)) -> Result<(), LedgerError> {
        let (gift_fee, match_fee) = self.fee_shares();
        let (column, what, amount, fees, which) = if self.gift > 0 && gift_fee > self.gift {
            (columns.0, "the donor's gift", self.gift, gift_fee, "the Merchant Fee and its share of the others")
        } else if self.matched > 0 && match_fee > self.matched {
            (
                columns.1,
                "the employer's match",
                self.matched,
                match_fee,
                "its share of the Cause Support Fee and check fee",
            )
        } else {
            return Ok(());
        };
        Err(table::fail(
            file,
            self.line,
            Some(column),
            format!(
                "{what} of {} would bear {} of fees ({which}): more than itself",
                format_cents(amount),
                format_cents(fees)
            ),
        ))
    }

    /// The line's payment records, their project still empty: the employer's match and the
    /// donor's gift, each when not zero, with ids made from the disbursement and transaction, so
    /// that importing the line again, from either layout, changes nothing.
    pub(super) fn payments(&self, payout: &Payout) -> Vec<Payment> {
        let (gift_fee, match_fee) = self.fee_shares();
        [(Funds::Match, self.matched, match_fee), (Funds::Gift, self.gift, gift_fee)]
            .into_iter()
            .filter(|(_, gross, _)| *gross != 0)
            .map(|(funds, gross, fees)| Payment {
                id: format!(
                    "benevity-{}-{}-{}",
                    super::id_part(&payout.disbursement),
                    super::id_part(&self.transaction_id),
                    funds.name()
                ),
                // The money was sent with the disbursement; the gift is when it was given.
                date: payout.sent,
                payer: PAYER.into(),
                project: String::new(),
                currency: payout.currency,
                gross,
                fees,
                net: gross - fees,
                reference: self.transaction_id.clone(),
                employer: self.company.clone(),
                person: self.donor.clone(),
                funds,
                disbursement: payout.disbursement.clone(),
                gift_date: Some(self.date),
                bank_date: payout.bank_date,
                bank_reference: payout.bank_reference.clone(),
            })
            .collect()
    }

    pub(super) fn into_report_line(self, payout: &Payout) -> ReportLine {
        ReportLine { line: self.line, payments: self.payments(payout), clues: self.clues }
    }
}

/// What a Benevity disbursement says of itself, the same on all its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Payout {
    pub disbursement: String,
    pub sent: Date,
    pub currency: Currency,
    pub bank_date: Option<Date>,
    pub bank_reference: String,
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
    let rows = table::read_rows(file, bytes, b',').map_err(|e| vec![e])?;
    Reader { file: file.into(), last_line: rows.last_line, rows: rows.rows.into_iter() }.read().map_err(|e| vec![e])
}

struct Reader {
    file: String,
    rows: std::vec::IntoIter<Row>,
    last_line: u64,
}

impl Reader {
    fn fail(&self, line: u64, column: Option<&str>, message: impl Into<String>) -> LedgerError {
        table::fail(&self.file, line, column, message)
    }

    fn amount(&self, line: u64, column: &str, text: &str) -> Result<Cents, LedgerError> {
        table::amount(&self.file, line, column, text)
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
        let known: Vec<&str> = REQUIRED.iter().chain(&OPTIONAL).chain(&IGNORED).copied().collect();
        let (columns, warnings) = Header::new(&self.file, &header, &known, "a Benevity report")?;
        columns.require(&self.file, &REQUIRED, "the table of donations")?;

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
            columns.check_width(&self.file, &row)?;
            let line = self.line(&row, &columns, currency)?;
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
        type Column = (&'static str, &'static str, fn(&Line) -> Cents);
        let sums: [Column; 4] = [
            ("total donation to be acknowledged", "Total Donation to be Acknowledged", |l| l.gift),
            ("match amount", "Match Amount", |l| l.matched),
            ("cause support fee", "Cause Support Fee", |l| l.cause_support_fee),
            ("merchant fee", "Merchant Fee", |l| l.merchant_fee),
        ];
        let mut total = [0; 4];
        for (i, (name, shown, of)) in sums.iter().enumerate() {
            if !columns.has(name) {
                continue;
            }
            let stated = self.amount(totals.line, shown, columns.cell(&totals, name))?;
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
        // The check fee is the disbursement's: its lines share it in proportion to their amounts,
        // so that their payments add up to what reached the bank.
        let weights: Vec<Cents> = lines.iter().map(|l| l.gift + l.matched).collect();
        for (line, share) in lines.iter_mut().zip(table::split_in_proportion(check_fee, &weights)) {
            line.check_fee = share;
        }
        for line in &lines {
            line.check_fee_shares(&self.file, ("Merchant Fee", "Cause Support Fee"))?;
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

    fn line(&self, row: &Row, columns: &Header, currency: Currency) -> Result<Line, LedgerError> {
        let cell = |name: &str| columns.cell(row, name);
        let required = |name: &str, shown: &str| {
            let value = cell(name);
            if value.is_empty() {
                Err(self.fail(row.line, Some(shown), "is empty but required"))
            } else {
                Ok(value.to_string())
            }
        };
        let date = table::date(&self.file, row.line, "Donation Date", cell("donation date"))?;
        let line_currency: Currency =
            cell("currency").parse().map_err(|m: String| self.fail(row.line, Some("Currency"), m))?;
        if line_currency != currency {
            return Err(self.fail(
                row.line,
                Some("Currency"),
                format!("{line_currency} differs from the report's currency {currency}"),
            ));
        }
        let amount = |name: &str, shown: &str| self.amount(row.line, shown, cell(name));
        let donor = donor(
            &self.file,
            row.line,
            [("donor first name", "Donor First Name"), ("donor last name", "Donor Last Name"), ("email", "Email")]
                .map(|(name, shown)| (shown, cell(name))),
        )?;
        let line = Line {
            line: row.line,
            company: table::name(&self.file, row.line, "Company", &required("company", "Company")?)?,
            clues: [
                ("project remote id", "Project Remote ID", "project remote id"),
                ("comment", "Comment", "comment"),
                ("project", "Project", "project"),
            ]
            .into_iter()
            .filter(|(_, _, column)| !cell(column).is_empty())
            .map(|(field, title, column)| Clue::new(field, title, cell(column)))
            .collect(),
            date,
            donor,
            transaction_id: required("transaction id", "Transaction ID")?,
            gift: amount("total donation to be acknowledged", "Total Donation to be Acknowledged")?,
            matched: amount("match amount", "Match Amount")?,
            cause_support_fee: amount("cause support fee", "Cause Support Fee")?,
            merchant_fee: amount("merchant fee", "Merchant Fee")?,
            check_fee: 0,
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
}

/// The donor of a Benevity line from its first name, last name and email cells (as (column, cell)),
/// or `None` when they shared none of them ("Not shared by donor").
pub(super) fn donor(file: &str, line: u64, cells: [(&str, &str); 3]) -> Result<Option<Person>, LedgerError> {
    for (column, value) in cells {
        table::name(file, line, column, value)?;
    }
    let shared = |value: &str| if value.eq_ignore_ascii_case(NOT_SHARED) { "" } else { value }.to_string();
    let [(_, first), (_, last), (email_column, email)] = cells;
    let name = [shared(first), shared(last)].join(" ").trim().to_string();
    table::person(file, line, name, (email_column, shared(email)))
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
    /// The report as every platform's: each line's payments, sent on the `Period Ending`.
    pub fn into_platform_report(self) -> PlatformReport {
        let payout = Payout {
            disbursement: self.disbursement_id.clone(),
            sent: self.period_ending,
            currency: self.currency,
            bank_date: None,
            bank_reference: String::new(),
        };
        PlatformReport {
            description: format!(
                "Benevity donations report {} ({} donation(s), net {} {})",
                self.disbursement_id,
                self.lines.len(),
                format_cents(self.net),
                self.currency
            ),
            file: self.file,
            platform: BENEVITY.key.into(),
            lines: self.lines.into_iter().map(|l| l.into_report_line(&payout)).collect(),
            warnings: self.warnings,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = include_str!("../../tests/data/benevity-sample.csv");

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
