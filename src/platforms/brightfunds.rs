//! Bright Funds' donor report: one row per donation, read by column name. A company's
//! transaction (`Matched Donation`, `Volunteer Match`, `Credit Donation`) is the employer's money
//! on behalf of the contributor named in `On Behalf Of`; a donor's (`Credit card Donation`,
//! `PayPal Donation`, `Bank Transfer Donation`) is their own gift; `Private` (or blank) is a donor
//! who chose not to be named. `Designation` and `Fund Name` tell the project; `Disbursement ID`
//! groups the rows of one payout.
//!
//! The report does not say what a treasurer must know to book it, so those answers are asked once
//! and kept in the book's platform settings (see [`super::Settings`]): the currency of its amounts,
//! and how Bright Funds pays the charity, since a disbursement of 500.00 or more sent by check
//! costs a 25.00 check fee that no row shows. Nor does it say when a disbursement was sent: its
//! payments are dated with its latest donation, the earliest day it can have left.

use super::table::{self, Header, Row};
use super::{Clue, PlatformReport, ReportLine, Settings, BRIGHT_FUNDS};
use crate::ledger::LedgerError;
use crate::model::{Funds, Payment, Person};
use crate::money::{format_cents, Cents, Currency};
use std::collections::{BTreeMap, HashMap};

/// The payer the rows' payments name.
pub const PAYER: &str = "Bright Funds";

/// The settings a Bright Funds report needs, and what they may be.
pub const CURRENCY: &str = "currency";
pub const DELIVERY: &str = "delivery";
pub const DELIVERIES: [&str; 2] = ["check", "eft"];

/// A check disbursement of at least this much (500.00, in cents) costs [`CHECK_FEE`] (25.00).
const CHECK_FEE_FROM: Cents = 50_000;
const CHECK_FEE: Cents = 2_500;

const REQUIRED: [&str; 6] =
    ["donation id", "created at", "company name", "transaction type", "amount", "disbursement id"];
const OPTIONAL: [&str; 5] = ["donor name", "donor email", "on behalf of", "designation", "fund name"];

const COMPANY_TYPES: [&str; 3] = ["matched donation", "volunteer match", "credit donation"];
const DONOR_TYPES: [&str; 3] = ["credit card donation", "paypal donation", "bank transfer donation"];

/// What a donor who chose not to be named reads like.
const PRIVATE: &str = "private";

/// Whether a header (trimmed, lower case) is a donor report's.
pub fn is_header(names: &[String]) -> bool {
    ["donation id", "created at", "transaction type", "on behalf of", "disbursement id"]
        .iter()
        .all(|c| names.iter().any(|n| n == c))
}

/// Reads a donor report with the book's answers for what it does not say.
pub fn read(file: &str, bytes: &[u8], settings: &dyn Settings) -> Result<PlatformReport, Vec<LedgerError>> {
    read_report(file, bytes, settings).map_err(|e| vec![e])
}

/// One row, read.
struct Donation {
    line: u64,
    id: String,
    date: crate::model::Date,
    company: String,
    funds: Funds,
    person: Option<Person>,
    clues: Vec<Clue>,
    amount: Cents,
    disbursement: String,
}

fn read_report(file: &str, bytes: &[u8], settings: &dyn Settings) -> Result<PlatformReport, LedgerError> {
    let rows = table::read_rows(file, bytes, b',')?;
    let mut rows = rows.rows.into_iter();
    let Some(header) = rows.next() else {
        return Err(table::fail(file, 1, None, "the file is empty"));
    };
    let known: Vec<&str> = REQUIRED.iter().chain(&OPTIONAL).copied().collect();
    let (columns, warnings) = Header::new(file, &header, &known, "a Bright Funds donor report")?;
    columns.require(file, &REQUIRED, "the donor report")?;
    let ask = |setting: &str, what: &str, example: &str| {
        table::fail(
            file,
            header.line,
            None,
            format!(
                "a Bright Funds donor report does not say {what}; tell Matchbook once \
                 (matchbook platform set \"Bright Funds\" {setting} {example}, or in the app's Import screen) and import again"
            ),
        )
    };
    let currency: Currency = match settings.setting(BRIGHT_FUNDS.key, CURRENCY) {
        Some(code) => code.parse().map_err(|m: String| table::fail(file, header.line, None, m))?,
        None => return Err(ask(CURRENCY, "in which currency its amounts are", "USD")),
    };

    let mut donations = Vec::new();
    let mut line_of_id: HashMap<String, u64> = HashMap::new();
    for row in rows {
        columns.check_width(file, &row)?;
        let donation = read_row(file, &columns, &row)?;
        if let Some(other) = line_of_id.insert(donation.id.clone(), row.line) {
            let message = format!("{} is also on line {other}", donation.id);
            return Err(table::fail(file, row.line, Some(columns.title("donation id")), message));
        }
        donations.push(donation);
    }
    if donations.is_empty() {
        return Err(table::fail(file, header.line, None, "the report lists no donations; there is nothing to import"));
    }

    // Per disbursement: the day it can have left at the earliest, and its check fee.
    let mut payouts: BTreeMap<&str, (crate::model::Date, Cents)> = BTreeMap::new();
    for d in &donations {
        let entry = payouts.entry(d.disbursement.as_str()).or_insert((d.date, 0));
        entry.0 = entry.0.max(d.date);
        entry.1 += d.amount;
    }
    let delivery = settings.setting(BRIGHT_FUNDS.key, DELIVERY);
    let mut check_fees: HashMap<&str, Vec<Cents>> = HashMap::new();
    for (disbursement, (_, total)) in &payouts {
        if *total < CHECK_FEE_FROM {
            continue;
        }
        match delivery.as_deref() {
            Some("check") => {
                let weights: Vec<Cents> =
                    donations.iter().filter(|d| d.disbursement == *disbursement).map(|d| d.amount).collect();
                check_fees.insert(disbursement, table::split_in_proportion(CHECK_FEE, &weights));
            }
            Some(_) => {}
            None => {
                return Err(ask(
                    DELIVERY,
                    &format!(
                        "whether disbursement {disbursement} ({} {currency}) came by check, which costs {} that no \
                         row shows, or by bank transfer",
                        format_cents(*total),
                        format_cents(CHECK_FEE)
                    ),
                    "check|eft",
                ))
            }
        }
    }

    let mut lines = Vec::with_capacity(donations.len());
    for d in &donations {
        let fees = check_fees.get_mut(d.disbursement.as_str()).map_or(0, |shares| shares.remove(0));
        let payment = Payment {
            id: format!("brightfunds-{}", super::id_part(&d.id)),
            date: payouts[d.disbursement.as_str()].0,
            payer: PAYER.into(),
            project: String::new(),
            currency,
            gross: d.amount,
            fees,
            net: d.amount - fees,
            reference: d.id.clone(),
            employer: d.company.clone(),
            person: d.person.clone(),
            funds: d.funds,
            disbursement: d.disbursement.clone(),
            gift_date: Some(d.date),
            bank_date: None,
            bank_reference: String::new(),
        };
        lines.push(ReportLine { line: d.line, clues: d.clues.clone(), payments: vec![payment] });
    }
    Ok(PlatformReport::of_disbursements(
        file,
        &BRIGHT_FUNDS,
        "Bright Funds donor report",
        payouts.len(),
        lines,
        warnings,
    ))
}

fn read_row(file: &str, columns: &Header, row: &Row) -> Result<Donation, LedgerError> {
    let cell = |name: &str| columns.cell(row, name);
    let title = |name: &'static str| columns.title(name);
    let fail = |name: &'static str, message: String| table::fail(file, row.line, Some(title(name)), message);
    let required = |name: &'static str| {
        let value = cell(name);
        if value.is_empty() {
            Err(fail(name, "is empty but required".into()))
        } else {
            Ok(value.to_string())
        }
    };
    let kind = cell("transaction type");
    let funds = if COMPANY_TYPES.contains(&kind.to_ascii_lowercase().as_str()) {
        Funds::Match
    } else if DONOR_TYPES.contains(&kind.to_ascii_lowercase().as_str()) {
        Funds::Gift
    } else {
        return Err(fail(
            "transaction type",
            format!(
                "{kind:?} is not a transaction type Matchbook knows, so it cannot tell whether this is the \
                 employer's money or the donor's (the company's: Matched Donation, Volunteer Match, Credit \
                 Donation; the donor's: Credit card Donation, PayPal Donation, Bank Transfer Donation)"
            ),
        ));
    };
    let named = |column: &'static str| -> Result<String, LedgerError> {
        let value = table::name(file, row.line, title(column), cell(column))?;
        Ok(if value.eq_ignore_ascii_case(PRIVATE) { String::new() } else { value })
    };
    // The company's money is for the contributor it was given on behalf of; a donor's is theirs.
    let person = match funds {
        Funds::Match => table::person(file, row.line, named("on behalf of")?, (title("donor email"), String::new()))?,
        Funds::Gift => {
            table::person(file, row.line, named("donor name")?, (title("donor email"), named("donor email")?))?
        }
    };
    let amount = table::amount(file, row.line, title("amount"), cell("amount"))?;
    if amount == 0 {
        return Err(fail("amount", "is zero; a donation is more than 0".into()));
    }
    Ok(Donation {
        line: row.line,
        id: required("donation id")?,
        date: table::date(file, row.line, title("created at"), cell("created at"))?,
        company: table::name(file, row.line, title("company name"), &required("company name")?)?,
        funds,
        person,
        clues: [("designation", "designation"), ("fund name", "fund name")]
            .into_iter()
            .filter(|(_, column)| !cell(column).is_empty())
            .map(|(field, column)| Clue::new(field, title(column), cell(column)))
            .collect(),
        amount,
        disbursement: required("disbursement id")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = include_str!("../../tests/data/brightfunds-sample.csv");

    struct Answers(&'static [(&'static str, &'static str)]);
    impl Settings for Answers {
        fn setting(&self, _: &str, setting: &str) -> Option<String> {
            self.0.iter().find(|(s, _)| *s == setting).map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn reads_the_sample_once_told_its_currency() {
        let e = &read("b.csv", SAMPLE.as_bytes(), &()).unwrap_err()[0];
        assert!(e.message.contains("platform set \"Bright Funds\" currency USD"), "{e}");
        let report = read("b.csv", SAMPLE.as_bytes(), &Answers(&[(CURRENCY, "USD")])).unwrap();
        assert_eq!(report.description, "Bright Funds donor report (2 disbursement(s), 5 donation(s), net 575.00 USD)");
        let kinds: Vec<(Funds, Option<String>)> = report
            .lines
            .iter()
            .map(|l| (l.payments[0].funds, l.payments[0].person.as_ref().map(|p| p.name.clone())))
            .collect();
        assert_eq!(
            kinds,
            [
                (Funds::Gift, Some("Emma Example".into())),
                (Funds::Match, Some("Emma Example".into())),
                (Funds::Match, Some("Emma Example".into())),
                (Funds::Gift, None),
                (Funds::Match, Some("Felix Example".into())),
            ]
        );
        // Dated with the disbursement's latest donation, keeping each donation's own date.
        let first = &report.lines[0].payments[0];
        assert_eq!(
            (first.date.to_string(), first.gift_date.unwrap().to_string()),
            ("2025-01-31".into(), "2025-01-14".into())
        );
        assert_eq!(report.lines[3].clues, [Clue::new("fund name", "Fund Name", "Open Science Fund")]);
    }

    #[test]
    fn a_check_disbursement_of_500_or_more_bears_the_check_fee() {
        let big = SAMPLE.replacen("Volunteer Match,200.00", "Volunteer Match,400.00", 1);
        let e = &read("b.csv", big.as_bytes(), &Answers(&[(CURRENCY, "USD")])).unwrap_err()[0];
        assert!(e.message.contains("INV-2025-02-0042 (625.00 USD) came by check"), "{e}");
        let report = read("b.csv", big.as_bytes(), &Answers(&[(CURRENCY, "USD"), (DELIVERY, "check")])).unwrap();
        let fees: Vec<Cents> = report.lines.iter().map(|l| l.payments[0].fees).collect();
        assert_eq!(fees, [400, 400, 1600, 100, 0]);
        let report = read("b.csv", big.as_bytes(), &Answers(&[(CURRENCY, "USD"), (DELIVERY, "eft")])).unwrap();
        assert!(report.lines.iter().all(|l| l.payments[0].fees == 0));
    }

    #[test]
    fn an_unknown_transaction_type_is_refused() {
        let text = SAMPLE.replacen("Volunteer Match", "Payroll Giving", 1);
        let e = &read("b.csv", text.as_bytes(), &Answers(&[(CURRENCY, "USD")])).unwrap_err()[0];
        assert_eq!((e.line, e.column.as_deref()), (Some(4), Some("Transaction Type")), "{e}");
    }
}
