//! Reports over the book: `expected`, `due` and `explain`, as tables that print as aligned text,
//! the contract's CSV, or JSON.

use crate::model::EntryKind;
use crate::model::{Date, Status, FIRST_DATE, LAST_DATE};
use crate::money::{format_cents, format_hours, Cents, Currency, Hours};
use crate::rules::{self, Explanation};
use crate::store::{iso, MonthlySumKey, ReceivedBy, Store, StoreError};
use chrono::Datelike;
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, HashMap};

/// How `report expected` groups its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GroupBy {
    Project,
    Employer,
    Contributor,
    Program,
}

impl GroupBy {
    pub fn name(self) -> &'static str {
        match self {
            GroupBy::Project => "project",
            GroupBy::Employer => "employer",
            GroupBy::Contributor => "contributor",
            GroupBy::Program => "program",
        }
    }
}

/// First and last month (`YYYY-MM`) of a run of whole months.
type MonthRange = (String, String);

/// The entries a report covers: those dated `from..=to` (either end open).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Period {
    pub from: Option<Date>,
    pub to: Option<Date>,
}

impl Period {
    pub fn year(year: i32) -> Period {
        Period { from: Date::from_ymd_opt(year, 1, 1), to: Date::from_ymd_opt(year, 12, 31) }
    }

    /// First and last day, open ends at [`FIRST_DATE`] and [`LAST_DATE`].
    pub fn bounds(self) -> (Date, Date) {
        (self.from.unwrap_or(FIRST_DATE), self.to.unwrap_or(LAST_DATE))
    }

    /// Splits the period into whole months (for the monthly rollup) and the loose days around them.
    pub fn split(self) -> (Option<MonthRange>, Vec<(Date, Date)>) {
        let (from, to) = self.bounds();
        if from > to {
            return (None, Vec::new());
        }
        let first_full = if from.day() == 1 { Some(from) } else { next_month(from) };
        let last_full_end =
            if to.succ_opt().is_none_or(|d| d.day() == 1) { Some(to) } else { month_start(to).pred_opt() };
        match (first_full, last_full_end) {
            (Some(a), Some(b)) if a <= b => {
                let months = (month_key(a), month_key(b));
                let mut loose = Vec::new();
                if from < a {
                    loose.push((from, a.pred_opt().expect("after from")));
                }
                if b < to {
                    loose.push((b.succ_opt().expect("before to"), to));
                }
                (Some(months), loose)
            }
            _ => (None, vec![(from, to)]),
        }
    }
}

fn month_start(d: Date) -> Date {
    d.with_day(1).expect("day 1 exists")
}

fn next_month(d: Date) -> Option<Date> {
    let (y, m) = if d.month() == 12 { (d.year() + 1, 1) } else { (d.year(), d.month() + 1) };
    Date::from_ymd_opt(y, m, 1)
}

/// A date's month as `rollup` and the reports spell it: `2025-03`.
pub(crate) fn month_key(d: Date) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// A report: named columns and rows of cells.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// A cell knows whether it is text, an amount (with its currency, for display) or hours.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(untagged)]
pub enum Cell {
    Text(String),
    Amount(Cents, String),
    Hours(Hours),
    Int(i64),
}

impl Cell {
    /// The plain value, as CSV and JSON write it.
    pub fn plain(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Amount(c, _) => format_cents(*c),
            Cell::Hours(h) => format_hours(*h),
            Cell::Int(i) => i.to_string(),
        }
    }

    fn display(&self) -> String {
        match self {
            Cell::Amount(c, cur) => format!("{} {cur}", format_cents(*c)),
            other => other.plain(),
        }
    }

    fn numeric(&self) -> bool {
        !matches!(self, Cell::Text(_))
    }
}

/// How a table is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

/// What a report prints: named columns, and rows of cells given one at a time, so that a long
/// report is printed without first being held whole as cells (see [`write_rows`]).
pub trait Rows {
    fn columns(&self) -> &[String];
    /// Calls `f` with each row, in order. May be called more than once.
    fn each_row(&self, f: &mut dyn FnMut(&[Cell]) -> std::io::Result<()>) -> std::io::Result<()>;
}

impl Rows for Table {
    fn columns(&self) -> &[String] {
        &self.columns
    }

    fn each_row(&self, f: &mut dyn FnMut(&[Cell]) -> std::io::Result<()>) -> std::io::Result<()> {
        self.rows.iter().try_for_each(|row| f(row))
    }
}

/// Prints `rows` as `format` into `out` a line at a time: a big report held whole, and again as
/// display texts or JSON values, would take gigabytes.
pub fn write_rows(rows: &impl Rows, format: Format, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let columns = rows.columns();
    match format {
        Format::Csv => {
            let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(out);
            w.write_record(columns)?;
            rows.each_row(&mut |row| {
                let cells = row.iter().map(|c| match c {
                    Cell::Text(t) => crate::ledger::guard_formula(t).into_owned(),
                    other => other.plain(),
                });
                Ok(w.write_record(cells)?)
            })?;
            w.flush()
        }
        Format::Json => {
            use serde::ser::{SerializeMap, SerializeSeq, Serializer};
            // An array of objects, one per row, with the columns as keys, in their order.
            struct JsonRow<'a>(&'a [String], &'a [Cell]);
            impl serde::Serialize for JsonRow<'_> {
                fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    let mut map = serializer.serialize_map(Some(self.0.len()))?;
                    for (column, cell) in self.0.iter().zip(self.1) {
                        map.serialize_entry(column, &cell.plain())?;
                    }
                    map.end()
                }
            }
            let mut serializer = serde_json::Serializer::pretty(&mut *out);
            let mut seq = serializer.serialize_seq(None)?;
            rows.each_row(&mut |row| Ok(seq.serialize_element(&JsonRow(columns, row))?))?;
            SerializeSeq::end(seq)?;
            out.write_all(b"\n")
        }
        Format::Table => {
            // The widths first, each cell's text made and measured; then the lines.
            let mut widths: Vec<usize> = columns.iter().map(|c| c.chars().count()).collect();
            let mut numeric: Option<Vec<bool>> = None;
            rows.each_row(&mut |row| {
                numeric.get_or_insert_with(|| row.iter().map(Cell::numeric).collect());
                for (width, cell) in widths.iter_mut().zip(row) {
                    *width = (*width).max(cell.display().chars().count());
                }
                Ok(())
            })?;
            let numeric = numeric.unwrap_or_else(|| vec![false; columns.len()]);
            let mut line = String::new();
            let mut write_line = |out: &mut dyn std::io::Write, texts: &mut dyn Iterator<Item = String>| {
                line.clear();
                for (i, text) in texts.enumerate() {
                    if i > 0 {
                        line.push_str("  ");
                    }
                    let pad = widths[i].saturating_sub(text.chars().count());
                    if numeric[i] {
                        line.extend(std::iter::repeat_n(' ', pad));
                        line.push_str(&text);
                    } else {
                        line.push_str(&text);
                        line.extend(std::iter::repeat_n(' ', pad));
                    }
                }
                out.write_all(line.trim_end().as_bytes())?;
                out.write_all(b"\n")
            };
            write_line(out, &mut columns.iter().cloned())?;
            write_line(out, &mut widths.iter().map(|w| "-".repeat(*w)))?;
            let mut any = false;
            rows.each_row(&mut |row| {
                any = true;
                write_line(out, &mut row.iter().map(Cell::display))
            })?;
            if !any {
                out.write_all(b"(nothing in this period)\n")?;
            }
            Ok(())
        }
    }
}

/// A report group as SQL gives it: a name's id, a program's name, or nothing.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum GroupKey {
    None,
    Id(i64),
    Text(String),
}

/// What one group earned in one currency over a period. Amounts are cents.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ExpectedRow {
    /// The group's name: a project, employer, contributor or program; "(none)" for no employer.
    pub group: String,
    pub currency: String,
    /// Hours, in ten-thousandths of an hour.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub hours: Hours,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub gifts: Cents,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub expected: Cents,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub fees: Cents,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub expected_net: Cents,
    /// The `net` of payments dated in the period.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub received: Cents,
    /// expected_net − received.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub outstanding: Cents,
    /// What annual caps cut from the awards.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub lost_to_caps: Cents,
    /// What expired claims would have earned.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub lost_to_deadlines: Cents,
}

/// `report expected`: per group and currency, for entries (and payments) dated in `period`.
pub fn expected(store: &mut Store, by: GroupBy, period: Period, as_of: Date) -> Result<Table, StoreError> {
    let rows = expected_rows(store, by, period, as_of)?;
    let columns =
        [by.name(), "currency", "hours", "gifts", "expected", "fees", "expected_net", "received", "outstanding"];
    Ok(Table {
        columns: columns.iter().map(|c| c.to_string()).collect(),
        rows: rows
            .into_iter()
            .map(|r| {
                let amount = |c: Cents| Cell::Amount(c, r.currency.clone());
                vec![
                    Cell::Text(r.group.clone()),
                    Cell::Text(r.currency.clone()),
                    Cell::Hours(r.hours),
                    amount(r.gifts),
                    amount(r.expected),
                    amount(r.fees),
                    amount(r.expected_net),
                    amount(r.received),
                    amount(r.outstanding),
                ]
            })
            .collect(),
    })
}

/// The rows of `report expected`, sorted by group name and currency.
pub fn expected_rows(
    store: &mut Store,
    by: GroupBy,
    period: Period,
    as_of: Date,
) -> Result<Vec<ExpectedRow>, StoreError> {
    store.refresh_results(as_of)?;
    let key = match by {
        GroupBy::Project => "project",
        GroupBy::Employer => "employer",
        GroupBy::Contributor => "contributor",
        GroupBy::Program => "program",
    };
    // Rows are summed here rather than by SQL's GROUP BY, which sorted every one of them first.
    let mut partial: FxHashMap<(GroupKey, Currency), [i64; 6]> = FxHashMap::default();
    let (months, loose) = period.split();
    if let Some((first, last)) = months {
        store.for_each_monthly_sum(key, &first, &last, |_, currency, key, sums| {
            let key = match key {
                MonthlySumKey::None => GroupKey::None,
                MonthlySumKey::Id(id) => GroupKey::Id(id.into()),
                MonthlySumKey::Label(label) => GroupKey::Text(label.to_string()),
            };
            let s = partial.entry((key, currency)).or_default();
            for (sum, n) in s.iter_mut().zip(sums) {
                *sum += n;
            }
            Ok(())
        })?;
    }
    // An award names its program version; the group is the program, by the name the rollup gives it.
    let program_label = if by == GroupBy::Program { store.program_labels_by_rid()? } else { Default::default() };
    let id = |id: Option<u32>| id.map_or(GroupKey::None, |id| GroupKey::Id(id.into()));
    for (from, to) in loose {
        store.for_each_award(Some(from), Some(to), |a| {
            let key = match by {
                GroupBy::Project => GroupKey::Id(a.project.into()),
                GroupBy::Employer => id(a.employer),
                GroupBy::Contributor => GroupKey::Id(a.contributor.into()),
                GroupBy::Program => {
                    a.program_rid.map_or(GroupKey::None, |rid| GroupKey::Text(program_label[&rid].clone()))
                }
            };
            let s = partial.entry((key, a.currency)).or_default();
            for (sum, n) in s.iter_mut().zip([a.hours, a.gift, a.expected, a.fee, a.lost_to_cap, a.lost_to_deadline]) {
                *sum += n;
            }
            Ok(())
        })?;
    }
    let mut sums: BTreeMap<(GroupKey, String), ExpectedRow> = BTreeMap::new();
    for ((key, currency), s) in partial {
        let row = sums.entry((key, currency.to_string())).or_default();
        row.hours += s[0];
        row.gifts += s[1];
        row.expected += s[2];
        row.fees += s[3];
        row.lost_to_caps += s[4];
        row.lost_to_deadlines += s[5];
    }
    let received_by = match by {
        GroupBy::Project => Some(ReceivedBy::Project),
        GroupBy::Employer => Some(ReceivedBy::Employer),
        GroupBy::Contributor | GroupBy::Program => None,
    };
    if let Some(received_by) = received_by {
        // Donors' own gifts are never what claims expect.
        let (from, to) = period.bounds();
        for (key, currency, net) in store.received_matches(received_by, from, to)? {
            let key = key.map_or(GroupKey::None, GroupKey::Id);
            sums.entry((key, currency.to_string())).or_default().received += net;
        }
    }
    let names = group_names(store, by)?;
    let mut rows: Vec<ExpectedRow> = sums
        .into_iter()
        .map(|((key, currency), mut row)| {
            row.group = match key {
                GroupKey::Id(id) => names.get(&id).cloned().unwrap_or_else(|| format!("#{id}")),
                GroupKey::Text(t) => t,
                GroupKey::None => "(none)".into(),
            };
            row.currency = currency;
            row.expected_net = row.expected - row.fees;
            row.outstanding = row.expected_net - row.received;
            row
        })
        .collect();
    rows.sort_by_cached_key(|r| (r.group.to_lowercase(), r.currency.clone()));
    Ok(rows)
}

/// The names of a grouping's keys by id: contributors' or names' (projects, employers).
fn group_names(store: &Store, by: GroupBy) -> Result<HashMap<i64, String>, StoreError> {
    let (names, people) = store.names_and_people()?;
    let names: Vec<&String> = match by {
        GroupBy::Contributor => people.iter().map(|p| &p.name).collect(),
        _ => names.iter().collect(),
    };
    Ok(names.into_iter().enumerate().skip(1).map(|(id, name)| (id as i64, name.clone())).collect())
}

/// A logged claim whose deadline has passed or is near.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct DueItem {
    pub id: String,
    pub kind: EntryKind,
    pub date: String,
    pub contributor: String,
    pub project: String,
    pub employer: String,
    pub program: String,
    pub deadline: String,
    /// Negative once the deadline has passed.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub days_left: i64,
    pub expired: bool,
    pub currency: String,
    /// What the claim earns if made in time (for an expired one, what it would have earned).
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub at_stake: Cents,
}

/// `report due`: logged entries whose claim deadline has passed or falls within `within` days of
/// `as_of`, with the money at stake.
pub fn due(store: &mut Store, as_of: Date, within: u32) -> Result<Due, StoreError> {
    let columns = [
        "id",
        "kind",
        "date",
        "contributor",
        "project",
        "employer",
        "program",
        "deadline",
        "days_left",
        "state",
        "currency",
        "at_stake",
    ];
    let items = due_items(store, as_of, within, true)?;
    Ok(Due { columns: columns.iter().map(|c| c.to_string()).collect(), items })
}

/// The lines of `report due`, made into cells one at a time as they are printed (a million-entry
/// book can have hundreds of thousands).
pub struct Due {
    columns: Vec<String>,
    items: Vec<DueItem>,
}

impl Rows for Due {
    fn columns(&self) -> &[String] {
        &self.columns
    }

    fn each_row(&self, f: &mut dyn FnMut(&[Cell]) -> std::io::Result<()>) -> std::io::Result<()> {
        for d in &self.items {
            f(&[
                Cell::Text(d.id.clone()),
                Cell::Text(d.kind.name().into()),
                Cell::Text(d.date.clone()),
                Cell::Text(d.contributor.clone()),
                Cell::Text(d.project.clone()),
                Cell::Text(d.employer.clone()),
                Cell::Text(d.program.clone()),
                Cell::Text(d.deadline.clone()),
                Cell::Int(d.days_left),
                Cell::Text(if d.expired { "expired".into() } else { "due".into() }),
                Cell::Text(d.currency.clone()),
                Cell::Amount(d.at_stake, d.currency.clone()),
            ])?;
        }
        Ok(())
    }
}

/// The claims of `report due`, soonest deadline first; with `include_expired` false, only those
/// whose deadline is still ahead.
pub fn due_items(
    store: &mut Store,
    as_of: Date,
    within: u32,
    include_expired: bool,
) -> Result<Vec<DueItem>, StoreError> {
    store.refresh_results(as_of)?;
    let horizon = as_of + chrono::Days::new(within.into());
    let earliest = if include_expired { FIRST_DATE } else { as_of };
    let mut claims = Vec::new();
    store.for_each_award_of_days_with_deadlines(earliest, horizon, |a| {
        if a.status == Status::Logged && a.deadline.is_some_and(|d| (earliest..=horizon).contains(&d)) {
            claims.push(a.clone());
        }
        Ok(())
    })?;
    let ids = store.entry_ids(&claims.iter().map(|a| (a.kind, a.entry_rid)).collect::<Vec<_>>())?;
    let (names, people) = store.names_and_people()?;
    let name = |id: Option<u32>| id.and_then(|i| names.get(i as usize)).cloned().unwrap_or_default();
    let programs = store.program_names_by_rid()?;
    let mut items: Vec<DueItem> = (claims.into_iter().zip(ids))
        .map(|(a, id)| {
            let deadline = a.deadline.unwrap_or(a.date); // has one: chosen by it
            let expired = a.has(rules::Reason::Expired);
            DueItem {
                id,
                kind: a.kind,
                date: iso(a.date),
                contributor: people.get(a.contributor as usize).map(|p| p.name.clone()).unwrap_or_default(),
                project: name(Some(a.project)),
                employer: name(a.employer),
                program: a.program_rid.and_then(|rid| programs.get(&rid)).cloned().unwrap_or_default(),
                deadline: iso(deadline),
                days_left: (deadline - as_of).num_days(),
                expired,
                currency: a.currency.to_string(),
                at_stake: if expired { a.base } else { a.expected },
            }
        })
        .collect();
    items.sort_by(|a, b| (&a.deadline, &a.date, &a.id).cmp(&(&b.deadline, &b.date, &b.id)));
    Ok(items)
}

/// One entry and the explanation of each of its awards.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, serde::Serialize)]
pub struct EntryExplanation {
    pub id: String,
    pub kind: EntryKind,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub date: Date,
    pub contributor: String,
    pub project: String,
    pub quantity: String,
    pub status: &'static str,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub as_of: Date,
    pub results: Vec<Explanation>,
    /// When its money is expected, and how that was worked out (see [`crate::forecast`]).
    pub arrival: Vec<String>,
}

/// `explain ID`: the entry's results as of `as_of`, rule by rule.
pub fn explain(store: &mut Store, id: &str, as_of: Date) -> Result<EntryExplanation, StoreError> {
    let (kind, rid) = store.find_entry(id)?;
    let results = store.evaluate(as_of)?;
    let index = (0..results.book.entries.len() as u32)
        .position(|e| results.book.entry_id(e) == id)
        .ok_or_else(|| StoreError::UnknownId(id.into()))?;
    let entry = &results.book.entries[index];
    let arrival = crate::forecast::explain_entry(store, kind, rid, entry.status, as_of)?;
    let person = &results.book.people[entry.person as usize];
    Ok(EntryExplanation {
        id: id.to_string(),
        kind: entry.kind,
        date: entry.date,
        contributor: if person.email.is_empty() {
            person.name.clone()
        } else {
            format!("{} <{}>", person.name, person.email)
        },
        project: results.book.names[entry.project as usize].clone(),
        quantity: match entry.kind {
            EntryKind::Hours => format!("{} h", format_hours(entry.quantity)),
            EntryKind::Donation => {
                format!("{} {}", format_cents(entry.quantity), entry.currency.map_or(String::new(), |c| c.to_string()))
            }
        },
        status: entry.status.name(),
        as_of,
        results: results
            .evaluation
            .awards_of(index as u32)
            .iter()
            .map(|a| rules::explain(&results.book, &results.evaluation, a))
            .collect(),
        arrival,
    })
}

impl EntryExplanation {
    pub fn render_text(&self) -> String {
        let mut out = format!(
            "{} {:?} on {}: {} for {} by {} ({}), as of {}\n",
            self.id, self.kind, self.date, self.quantity, self.project, self.contributor, self.status, self.as_of
        )
        .replace("Hours", "hours")
        .replace("Donation", "donation");
        for result in &self.results {
            out.push('\n');
            for step in &result.steps {
                out.push_str(&format!("  {:<13} {}\n", step.rule, step.detail));
            }
            out.push_str(&format!(
                "  {:<13} {} {cur} expected, {} {cur} fee, {} {cur} net\n",
                "result",
                result.expected,
                result.fee,
                result.expected_net,
                cur = result.currency
            ));
        }
        out.push('\n');
        for (i, line) in self.arrival.iter().enumerate() {
            out.push_str(&format!("  {:<13} {line}\n", if i == 0 { "arrival" } else { "" }));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn periods_split_into_whole_months_and_loose_days() {
        let year = Period::year(2025);
        assert_eq!(year.split(), (Some(("2025-01".into(), "2025-12".into())), vec![]));
        let p = Period { from: Some(d("2025-01-15")), to: Some(d("2025-03-10")) };
        assert_eq!(
            p.split(),
            (
                Some(("2025-02".into(), "2025-02".into())),
                vec![(d("2025-01-15"), d("2025-01-31")), (d("2025-03-01"), d("2025-03-10"))]
            )
        );
        let p = Period { from: Some(d("2025-01-15")), to: Some(d("2025-01-20")) };
        assert_eq!(p.split(), (None, vec![(d("2025-01-15"), d("2025-01-20"))]));
        assert_eq!(Period::default().split(), (Some(("0001-01".into(), "9999-12".into())), vec![]));
        let p = Period { from: Some(d("2025-02-02")), to: None };
        assert_eq!(p.split().0, Some(("2025-03".into(), "9999-12".into())));
    }
}
