//! The treasurer's overview of a period: per project and currency what was expected, received and
//! lost; expected against received month by month; and the claims whose deadline is near.
//!
//! Also the program editor's preview: what one entry would earn under a program version being
//! edited, before it is saved.

use crate::browse::Amount;
use crate::model::{Date, HoursEntry, Person, Record, RecordKind};
use crate::report::{self, DueItem, ExpectedRow, GroupBy, Period};
use crate::rules::{self, Book, Explanation};
use crate::store::{iso, reader_of_fields, Fields, Store, StoreError, WriteError};
use std::collections::BTreeMap;

/// How far ahead the overview looks for claim deadlines.
pub const DUE_WITHIN_DAYS: u32 = 60;
/// How many due claims the overview lists (the soonest).
pub const DUE_LISTED: usize = 100;

/// Expected against received in one month and currency. Amounts are cents.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct MonthBar {
    /// `YYYY-MM`.
    pub month: String,
    pub currency: String,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub expected_net: i64,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub received: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Overview {
    pub from: String,
    pub to: String,
    pub as_of: String,
    /// Per project and currency.
    pub rows: Vec<ExpectedRow>,
    pub months: Vec<MonthBar>,
    /// Logged claims not yet expired whose deadline falls within [`DUE_WITHIN_DAYS`], soonest
    /// first, at most [`DUE_LISTED`].
    pub due: Vec<DueItem>,
    /// How many such claims there are in all, and the money at stake per currency.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub due_count: usize,
    pub due_at_stake: Vec<Amount>,
    /// What arrived in the months before the report date's, what is expected from it on (and
    /// `late`: expected before the report date, not received), per currency.
    pub forecast: Vec<crate::forecast::ForecastMonth>,
    /// Outstanding claims past their expected arrival and [`crate::forecast::DEFAULT_GRACE_DAYS`],
    /// the oldest first, at most [`crate::forecast::OVERDUE_LISTED`].
    pub overdue: Vec<crate::forecast::OverdueItem>,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub overdue_count: usize,
    pub overdue_at_stake: Vec<Amount>,
}

/// How many months before the report date's the overview shows what arrived.
pub const FORECAST_BACK: u32 = 3;

/// The overview of entries and payments dated from `from` to `to`, as of `as_of`.
pub fn overview(store: &mut Store, from: Date, to: Date, as_of: Date) -> Result<Overview, StoreError> {
    let period = Period { from: Some(from), to: Some(to) };
    let rows = report::expected_rows(store, GroupBy::Project, period, as_of)?;
    let months = months(store, from, to)?;
    let due = report::due_items(store, as_of, DUE_WITHIN_DAYS, false)?;
    let mut at_stake: BTreeMap<String, i64> = BTreeMap::new();
    for d in &due {
        *at_stake.entry(d.currency.clone()).or_default() += d.at_stake;
    }
    let claims = crate::forecast::claims(store, as_of)?;
    let forecast =
        crate::forecast::months_around(store, as_of, FORECAST_BACK, crate::forecast::DEFAULT_MONTHS, &claims)?;
    let overdue = crate::forecast::overdue_of(
        store,
        &claims,
        as_of,
        crate::forecast::DEFAULT_GRACE_DAYS,
        crate::forecast::OVERDUE_LISTED,
    )?;
    Ok(Overview {
        forecast,
        overdue_count: overdue.count,
        overdue_at_stake: overdue.at_stake.into_iter().map(|(currency, cents)| Amount { cents, currency }).collect(),
        overdue: overdue.items,
        from: iso(from),
        to: iso(to),
        as_of: iso(as_of),
        rows,
        months,
        due_count: due.len(),
        due: due.into_iter().take(DUE_LISTED).collect(),
        due_at_stake: at_stake.into_iter().map(|(currency, cents)| Amount { cents, currency }).collect(),
    })
}

/// Expected net and received per month in the period (partial months only count their days).
fn months(store: &Store, from: Date, to: Date) -> Result<Vec<MonthBar>, StoreError> {
    let mut bars: BTreeMap<(String, String), (i64, i64)> = BTreeMap::new();
    // Whole months from the monthly sums, loose days from the awards themselves.
    let (whole, loose) = Period { from: Some(from), to: Some(to) }.split();
    if let Some((first, last)) = whole {
        store.for_each_monthly_sum("project", &first, &last, |month, currency, _, sums| {
            let [_, _, expected, fee, _, _] = *sums;
            bars.entry((month.to_string(), currency.to_string())).or_default().0 += expected - fee;
            Ok(())
        })?;
    }
    for (a, b) in loose {
        store.for_each_award(Some(a), Some(b), |award| {
            let month = report::month_key(award.date);
            bars.entry((month, award.currency.to_string())).or_default().0 += award.expected - award.fee;
            Ok(())
        })?;
    }
    for (month, currency, net) in store.received_matches_by_month(from, to)? {
        bars.entry((month, currency.to_string())).or_default().1 += net;
    }
    Ok(bars
        .into_iter()
        .map(|((month, currency), (expected_net, received))| MonthBar { month, currency, expected_net, received })
        .collect())
}

/// What an entry would earn under a program version as edited.
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ProgramPreview {
    /// "2.5 hours on 2025-03-01 by Ada earn 62.50 USD (fee 1.56 USD)."
    pub summary: String,
    pub explanation: Option<Explanation>,
}

/// Previews `program` (a programs row as a form holds it) on one entry by `contributor` on
/// `date`: `quantity` hours for a volunteer program, a gift of that amount for a donation program.
/// The entry is taken on its own, as the first of its program year: earlier entries of the
/// contributor (cap room used, hours towards a threshold) are not counted.
pub fn preview_program(
    program: &Fields,
    contributor: &str,
    date: &str,
    quantity: &str,
    as_of: Date,
) -> Result<ProgramPreview, WriteError> {
    let version = match parse_one(RecordKind::Programs, program)? {
        Record::Program(p) => p,
        _ => unreachable!("read as a programs row"),
    };
    let person = Person { name: contributor.trim().to_string(), email: String::new() };
    let mut entry_fields = Fields::new();
    entry_fields.insert("date".into(), date.into());
    entry_fields.insert("contributor".into(), if person.name.is_empty() { "someone".into() } else { person.name });
    entry_fields.insert("employer".into(), version.employer.clone());
    entry_fields.insert("project".into(), "preview".into());
    let entry = match version.kind {
        crate::model::ProgramKind::Volunteer => {
            entry_fields.insert("hours".into(), quantity.into());
            parse_one(RecordKind::Hours, &entry_fields)?
        }
        crate::model::ProgramKind::Donation => {
            entry_fields.insert("amount".into(), quantity.into());
            entry_fields.insert("currency".into(), version.currency.to_string());
            parse_one(RecordKind::Donations, &entry_fields)?
        }
    };
    let what = match &entry {
        Record::Hours(HoursEntry { hours, date, person, .. }) => {
            format!("{} hours on {} by {}", crate::money::format_hours(*hours), iso(*date), person.name)
        }
        Record::Donation(d) => format!(
            "A gift of {} {} on {} by {}",
            crate::money::format_cents(d.amount),
            d.currency,
            iso(d.date),
            d.person.name
        ),
        _ => unreachable!("an entry"),
    };
    let records = [Record::Program(version), entry];
    let book = Book::from_records(&records);
    let evaluation = rules::evaluate(&book, as_of);
    let explanation = evaluation.awards_of(0).first().map(|award| rules::explain(&book, &evaluation, award));
    let summary = match &explanation {
        Some(e) => format!(
            "{what} earn {} {cur} (fee {} {cur}, net {} {cur}).",
            e.expected,
            e.fee,
            e.expected_net,
            cur = e.currency
        ),
        None => format!("{what} earn nothing."),
    };
    Ok(ProgramPreview { summary, explanation })
}

/// Reads one form's fields as a record of `kind`, with the import's checks.
fn parse_one(kind: RecordKind, fields: &Fields) -> Result<Record, WriteError> {
    let mut reader =
        reader_of_fields(kind, std::slice::from_ref(fields), "preview").map_err(|e| WriteError::Invalid(vec![e]))?;
    match reader.next_record() {
        Some(Ok((_, record))) => Ok(record),
        Some(Err(e)) => Err(WriteError::Invalid(vec![e])),
        None => unreachable!("one row was written"),
    }
}
