//! Benevity's disbursement report: the newer, flat CSV of the Benevity Causes Portal, one row per
//! donation and several disbursements in one file, each row repeating its disbursement's id, dates
//! (`Disbursement Date`, `Bank Date`) and `Bank Reference ID`.
//!
//! Its columns are read by name; their order, the values of `Donation Type` and `Donation Method`
//! and the form of the dates are not documented, so a value Matchbook does not know is kept as it
//! is and reported, never read as meaning something. Whose money a row is comes from its amount
//! columns (`Donation Amount` the donor's, `Match Amount` the employer's), as in the donations
//! report, whose rows of the same money make the same records (see [`super::benevity`]). How a
//! `Foreign Exchange Rate` applies is not documented either: a row at another rate than 1, or in
//! another currency than the rest of its disbursement, is refused.

use super::benevity::{donor, Line, Payout};
use super::table::{self, Header, Row};
use super::{Clue, PlatformReport, BENEVITY};
use crate::ledger::LedgerError;
use crate::money::{Cents, Currency};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};

const REQUIRED: [&str; 8] = [
    "disbursement id",
    "disbursement date",
    "company name",
    "transaction id",
    "donation date",
    "donation currency",
    "donation amount",
    "match amount",
];
const OPTIONAL: [&str; 15] = [
    "bank date",
    "bank reference id",
    "project name",
    "project id",
    "project external id",
    "donor comment",
    "donation type",
    "donation method",
    "foreign exchange rate",
    "cause support fee",
    "merchant fee",
    "check fee",
    "donor first name",
    "donor last name",
    "donor email",
];
/// Columns Matchbook knows and leaves aside.
const IGNORED: [&str; 8] = [
    "nonprofit name",
    "nonprofit id",
    "payment method",
    "disbursement from (grantor)",
    "corporate / peer campaign",
    "grant requirements",
    "donation frequency",
    "donor zip / postal code",
];

/// `Donation Type` and `Donation Method` values seen in Benevity's files; others are reported.
const KNOWN_TYPES: [&str; 3] = ["user donation", "match", "volunteer reward"];
const KNOWN_METHODS: [&str; 3] = ["payroll", "credit card", "volunteer"];

/// Whether a header (trimmed, lower case) is a disbursement report's.
pub fn is_header(names: &[String]) -> bool {
    ["disbursement id", "disbursement date", "transaction id", "donation amount", "match amount"]
        .iter()
        .all(|c| names.iter().any(|n| n == c))
}

/// Reads a disbursement report. Every problem names the file, the line and the column.
pub fn read(file: &str, bytes: &[u8]) -> Result<PlatformReport, Vec<LedgerError>> {
    read_report(file, bytes).map_err(|e| vec![e])
}

fn read_report(file: &str, bytes: &[u8]) -> Result<PlatformReport, LedgerError> {
    let rows = table::read_rows(file, bytes, b',')?;
    let mut rows = rows.rows.into_iter();
    let Some(header) = rows.next() else {
        return Err(table::fail(file, 1, None, "the file is empty"));
    };
    let known: Vec<&str> = REQUIRED.iter().chain(&OPTIONAL).chain(&IGNORED).copied().collect();
    let (columns, mut warnings) = Header::new(file, &header, &known, "a Benevity disbursement report")?;
    columns.require(file, &REQUIRED, "the disbursement report")?;

    let mut payouts: HashMap<String, (Payout, u64)> = HashMap::new();
    let mut line_of_transaction: HashMap<String, u64> = HashMap::new();
    // Values not understood, and the lines they are on, for one warning each.
    let mut unknown: BTreeMap<(String, String), Vec<u64>> = BTreeMap::new();
    let mut lines = Vec::new();
    for row in rows {
        columns.check_width(file, &row)?;
        let (line, payout) = read_row(file, &columns, &row)?;
        match payouts.get(&payout.disbursement) {
            None => {
                payouts.insert(payout.disbursement.clone(), (payout.clone(), row.line));
            }
            Some((first, first_line)) => same_payout(file, &columns, row.line, first, *first_line, &payout)?,
        }
        if let Some(other) = line_of_transaction.insert(line.transaction_id.clone(), row.line) {
            let column = columns.title("transaction id");
            return Err(table::fail(
                file,
                row.line,
                Some(column),
                format!("{} is also on line {other}", line.transaction_id),
            ));
        }
        for (column, known) in [("donation type", &KNOWN_TYPES[..]), ("donation method", &KNOWN_METHODS[..])] {
            let value = columns.cell(&row, column);
            if !value.is_empty() && !known.contains(&value.to_ascii_lowercase().as_str()) {
                unknown.entry((columns.title(column).to_string(), value.to_string())).or_default().push(row.line);
            }
        }
        lines.push(line.into_report_line(&payout));
    }
    if lines.is_empty() {
        return Err(table::fail(file, header.line, None, "the report lists no donations; there is nothing to import"));
    }
    for ((column, value), at) in unknown {
        let at: Vec<String> = at.iter().map(u64::to_string).collect();
        warnings.push(format!(
            "{file}: {column} {value:?} (line(s) {}) is not one Matchbook knows; the amounts were read from Donation \
             Amount (the donor's) and Match Amount (the employer's) as on every line",
            at.join(", ")
        ));
    }
    Ok(PlatformReport::of_disbursements(
        file,
        &BENEVITY,
        "Benevity disbursement report",
        payouts.len(),
        lines,
        warnings,
    ))
}

/// One row: its donation, and what it says of its disbursement.
fn read_row(file: &str, columns: &Header, row: &Row) -> Result<(Line, Payout), LedgerError> {
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
    let amount = |name: &'static str| table::amount(file, row.line, title(name), cell(name));
    let date = |name: &'static str| table::date(file, row.line, title(name), cell(name));

    let currency: Currency = cell("donation currency").parse().map_err(|m: String| fail("donation currency", m))?;
    let rate = cell("foreign exchange rate");
    if !rate.is_empty() {
        let parsed: Decimal =
            rate.parse().map_err(|_| fail("foreign exchange rate", format!("{rate:?} is not a number")))?;
        if parsed != Decimal::ONE {
            return Err(fail(
                "foreign exchange rate",
                format!(
                    "the row is at rate {rate}; Benevity does not document how a rate applies to the amounts and \
                     fees, so Matchbook reads rows at rate 1 only and will not guess"
                ),
            ));
        }
    }
    let payout = Payout {
        disbursement: required("disbursement id")?,
        sent: date("disbursement date")?,
        currency,
        bank_date: if cell("bank date").is_empty() { None } else { Some(date("bank date")?) },
        bank_reference: cell("bank reference id").to_string(),
    };
    let line = Line {
        line: row.line,
        company: table::name(file, row.line, title("company name"), &required("company name")?)?,
        clues: [
            ("project remote id", "project external id"),
            ("project id", "project id"),
            ("comment", "donor comment"),
            ("project", "project name"),
        ]
        .into_iter()
        .filter(|(_, column)| !cell(column).is_empty())
        .map(|(field, column)| Clue::new(field, title(column), cell(column)))
        .collect(),
        date: date("donation date")?,
        donor: donor(
            file,
            row.line,
            ["donor first name", "donor last name", "donor email"].map(|c| (columns.title(c), cell(c))),
        )?,
        transaction_id: required("transaction id")?,
        gift: amount("donation amount")?,
        matched: amount("match amount")?,
        cause_support_fee: amount("cause support fee")?,
        merchant_fee: amount("merchant fee")?,
        check_fee: amount("check fee")?,
    };
    if line.gift + line.matched == 0 {
        return Err(fail("donation amount", "the row has neither a donation nor a match amount".into()));
    }
    if line.cause_support_fee + line.merchant_fee + line.check_fee > line.gift + line.matched {
        return Err(fail("cause support fee", "the fees are larger than the donation and match".into()));
    }
    line.check_fee_shares(file, (title("merchant fee"), title("cause support fee")))?;
    Ok((line, payout))
}

/// Refuses a row that says something else of its disbursement than the disbursement's first row.
fn same_payout(
    file: &str,
    columns: &Header,
    line: u64,
    first: &Payout,
    first_line: u64,
    this: &Payout,
) -> Result<(), LedgerError> {
    let show_date = |d: Option<crate::model::Date>| d.map_or("none".to_string(), |d| d.to_string());
    let differences: [(&str, String, String); 4] = [
        ("donation currency", first.currency.to_string(), this.currency.to_string()),
        ("disbursement date", first.sent.to_string(), this.sent.to_string()),
        ("bank date", show_date(first.bank_date), show_date(this.bank_date)),
        ("bank reference id", first.bank_reference.clone(), this.bank_reference.clone()),
    ];
    for (column, was, is) in differences {
        if was != is {
            return Err(table::fail(
                file,
                line,
                Some(columns.title(column)),
                format!(
                    "{is:?} differs from {was:?} on line {first_line}, in the same disbursement {}: one \
                     disbursement has one {}",
                    first.disbursement,
                    columns.title(column)
                ),
            ));
        }
    }
    Ok(())
}

/// The net total of each disbursement in a report, by id (for messages and tests).
pub fn disbursement_nets(report: &PlatformReport) -> BTreeMap<String, (Currency, Cents)> {
    let mut nets = BTreeMap::new();
    for p in report.lines.iter().flat_map(|l| &l.payments) {
        nets.entry(p.disbursement.clone()).or_insert((p.currency, 0)).1 += p.net;
    }
    nets
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::format_cents;

    const SAMPLE: &str = include_str!("../../tests/data/benevity-disbursement-sample.csv");

    #[test]
    fn reads_the_sample_report() {
        let report = read("d.csv", SAMPLE.as_bytes()).unwrap();
        assert_eq!(report.lines.len(), 6);
        assert_eq!(
            report.description,
            "Benevity disbursement report (2 disbursement(s), 6 donation(s), net 3613.32 USD)"
        );
        let nets: Vec<(String, String)> =
            disbursement_nets(&report).into_iter().map(|(d, (_, n))| (d, format_cents(n))).collect();
        assert_eq!(nets, [("EXDISB0325".into(), "2668.80".into()), ("EXDISB0425".into(), "944.52".into())]);
        let first = &report.lines[0];
        assert_eq!(
            first.clues.iter().map(|c| c.field.as_str()).collect::<Vec<_>>(),
            ["project id", "comment", "project"]
        );
        assert_eq!(first.payments.len(), 2);
        let m = &first.payments[0];
        assert_eq!(m.id, "benevity-EXDISB0325-EXTX000101-match");
        assert_eq!((m.date.to_string(), m.gift_date.unwrap().to_string()), ("2025-03-27".into(), "2025-02-03".into()));
        assert_eq!(
            (m.bank_date.unwrap().to_string(), m.bank_reference.as_str()),
            ("2025-03-31".into(), "EXBANK778812")
        );
        assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    }

    #[test]
    fn a_rate_other_than_one_is_refused() {
        let text = SAMPLE.replacen("USD,1.0,0.00,250.00", "USD,0.74,0.00,250.00", 1);
        let e = &read("d.csv", text.as_bytes()).unwrap_err()[0];
        assert_eq!((e.line, e.column.as_deref()), (Some(3), Some("Foreign Exchange Rate")), "{e}");
    }

    #[test]
    fn a_currency_change_inside_a_disbursement_is_refused() {
        let text = SAMPLE.replacen("Volunteer Reward,USD", "Volunteer Reward,CAD", 1);
        let e = &read("d.csv", text.as_bytes()).unwrap_err()[0];
        assert_eq!((e.line, e.column.as_deref()), (Some(3), Some("Donation Currency")), "{e}");
        assert!(e.message.contains("EXDISB0325"), "{e}");
    }

    #[test]
    fn a_merchant_fee_larger_than_the_gift_is_refused() {
        // 51.00 of fees on 101.00 is not too much for the line, but the card fee is the gift's.
        let text = SAMPLE.replacen("USD,1.0,100.00,0.00,2.90,2.20", "USD,1.0,1.00,100.00,0.00,51.00", 1);
        let e = &read("d.csv", text.as_bytes()).unwrap_err()[0];
        assert_eq!((e.line, e.column.as_deref()), (Some(6), Some("Merchant Fee")), "{e}");
        assert!(e.message.contains("the donor's gift of 1.00 would bear 51.00 of fees"), "{e}");
    }

    #[test]
    fn unknown_type_values_are_kept_and_reported() {
        let text = SAMPLE.replacen("Volunteer Reward", "Dollars for Doers", 1);
        let report = read("d.csv", text.as_bytes()).unwrap();
        assert!(
            report.warnings[0].contains("Donation Type \"Dollars for Doers\" (line(s) 3)"),
            "{:?}",
            report.warnings
        );
    }
}
