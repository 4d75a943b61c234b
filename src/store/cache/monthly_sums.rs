//! The results cache's monthly sums: one `cache_monthly_sums` row per grouping, month and
//! currency, whose blob holds the sums of every key that any award added to.
//!
//! `report expected` over whole months and the overview's bars read these instead of the awards.
//! A row per key would be tens of thousands of rows to write at every recompute; a blob per month
//! and currency is a few dozen. The packing is private to this file: changing it means a new
//! `CACHE_VERSION`.

use super::awards::day_number;
use super::varint::{put_unsigned, put_varint, take_unsigned, take_varint};
use super::CachedAwards;
use crate::model::Date;
use crate::money::Currency;
use crate::report;
use crate::rules::ProgramIds;
use crate::store::write_statement::WriteStatement;
use crate::store::{Result, StoreError};
use chrono::Datelike;
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{params, Connection};

/// What the sums add up, in this order: hours, gifts, expected, fees, lost to caps, lost to deadlines.
pub type Sums = [i64; 6];

/// A key of a grouping: none (no employer, no program), a name or contributor id, or a program by
/// the name reports give it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key<'a> {
    None,
    Id(u32),
    Label(&'a str),
}

/// The sums of one grouping (`dim`), month (`YYYY-MM`) and currency, as [`write`] takes them.
pub(super) struct Packed<'a> {
    pub dim: &'a str,
    pub month: &'a str,
    pub currency: &'a str,
    pub sums: Vec<u8>,
}

/// Packs a key's sums after those of lower slots (0 for no key, else the key's id + 1; a
/// program's slot also carries its label).
pub(super) fn pack(out: &mut Vec<u8>, previous_slot: &mut u64, slot: u64, label: Option<&str>, sums: &Sums) {
    put_unsigned(out, slot - *previous_slot);
    *previous_slot = slot;
    if let Some(label) = label {
        put_unsigned(out, label.len() as u64);
        out.extend_from_slice(label.as_bytes());
    }
    for &n in sums {
        put_varint(out, n);
    }
}

/// Replaces the cache's monthly sums with `rows`, which come in the order of the table's key
/// (grouping, month, currency), so that each row appends.
pub(super) fn write(conn: &Connection, rows: &[Packed]) -> Result<()> {
    conn.execute_batch("DELETE FROM cache_monthly_sums")?;
    let mut insert = WriteStatement::prepare(
        conn,
        "INSERT INTO cache_monthly_sums (dim, month, currency, sums) VALUES (?, ?, ?, ?)",
    )?;
    fn text(t: &str) -> ToSqlOutput<'_> {
        ToSqlOutput::Borrowed(ValueRef::Text(t.as_bytes()))
    }
    for row in rows {
        insert.execute(&[
            text(row.dim),
            text(row.month),
            text(row.currency),
            ToSqlOutput::Borrowed(ValueRef::Blob(&row.sums)),
        ])?;
    }
    Ok(())
}

/// Calls `f` with each key's sums of grouping `dim` in the months `first..=last` (`YYYY-MM`), by
/// month, currency and key. The cache must be fresh.
pub(crate) fn for_each(
    conn: &Connection,
    dim: &str,
    first: &str,
    last: &str,
    mut f: impl FnMut(&str, Currency, Key, &Sums) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT month, currency, sums FROM cache_monthly_sums WHERE dim = ?1 AND month BETWEEN ?2 AND ?3 ORDER BY month, currency",
    )?;
    let mut rows = stmt.query(params![dim, first, last])?;
    while let Some(row) = rows.next()? {
        let month = row.get_ref(0)?.as_str()?;
        let currency: Currency = row.get_ref(1)?.as_str()?.parse().map_err(|_| damaged())?;
        let mut packed = row.get_ref(2)?.as_blob()?;
        let mut slot = 0u64;
        while !packed.is_empty() {
            let (key, sums) = unpack(&mut packed, &mut slot, dim == "program").ok_or_else(damaged)?;
            f(month, currency, key, &sums)?;
        }
    }
    Ok(())
}

fn unpack<'a>(packed: &mut &'a [u8], slot: &mut u64, labelled: bool) -> Option<(Key<'a>, Sums)> {
    *slot = slot.checked_add(take_unsigned(packed)?)?;
    let key = match (*slot, labelled) {
        (0, _) => Key::None,
        (_, true) => {
            let length = usize::try_from(take_unsigned(packed)?).ok()?;
            let (label, rest) = packed.split_at_checked(length)?;
            *packed = rest;
            Key::Label(std::str::from_utf8(label).ok()?)
        }
        (slot, false) => Key::Id(u32::try_from(slot - 1).ok()?),
    };
    let mut sums = [0; 6];
    for sum in &mut sums {
        *sum = take_varint(packed)?;
    }
    Some((key, sums))
}

fn damaged() -> StoreError {
    StoreError::Damaged("the results cache is damaged; delete the cache_monthly_sums rows to have it rebuilt".into())
}

/// The monthly sums as they are made: per month and currency, for each grouping's keys, the awards'
/// hours, gifts, expected, fees and losses. A month's sums are dense, a cell for every key of every
/// grouping: awards come in the engine's order rather than by date and each adds four times, and
/// hashing every addition cost more than packing the awards that this runs beside.
pub(super) struct Dense {
    /// Where each grouping's cells start in a month's, in the order of [`Dense::DIMS`], and
    /// where the last ends. A key's cell is its id + 1 from there, or the first for none.
    starts: [usize; 5],
    /// By month and currency, as first met: the cells.
    months: Vec<(MonthOf, Box<[KeySums]>)>,
}

/// A month (its first day) and a currency.
type MonthOf = (Date, Currency);

/// One sum of [`Dense`], and whether any award added to it.
#[derive(Clone, Copy, Default)]
struct KeySums([i64; 6], bool);

impl Dense {
    /// The groupings, in the order of an award's keys. A program's key is its
    /// [`ProgramIds::program`]; the others are name or contributor ids.
    const DIMS: [&'static str; 4] = ["project", "employer", "contributor", "program"];

    pub(super) fn of(awards: &CachedAwards) -> Dense {
        let book = &awards.results.book;
        let programs = awards.ids.program.iter().max().map_or(0, |&p| p as usize + 1);
        let mut starts = [0; 5];
        for (dim, keys) in [book.names.len(), book.names.len(), book.people.len(), programs].into_iter().enumerate() {
            starts[dim + 1] = starts[dim] + keys + 1;
        }
        let mut sums = Dense { starts, months: Vec::new() };
        // Each day's month is looked up in a table of the entries' days, and the month's cells by
        // currency among the few of that month: awards come in no order of dates, and a lookup
        // by date and hash per award would cost more than the summing.
        let numbers = book.entries.iter().map(|e| day_number(e.date));
        let (first, last) = (numbers.clone().min().unwrap_or(0), numbers.max().unwrap_or(-1));
        let mut month_of_day: Vec<u32> = Vec::with_capacity((last - first + 1) as usize);
        let mut firsts: Vec<Date> = Vec::new();
        let first_date = Date::from_num_days_from_ce_opt(first).unwrap_or(Date::MIN);
        for date in first_date.iter_days().take((last - first + 1) as usize) {
            if firsts.last().is_none_or(|f| (f.year(), f.month()) != (date.year(), date.month())) {
                firsts.push(date);
            }
            month_of_day.push(firsts.len() as u32 - 1);
        }
        let mut by_currency: Vec<Vec<(Currency, usize)>> = vec![Vec::new(); firsts.len()];
        awards.for_each(|version, a| {
            let month = month_of_day[(day_number(a.date) - first) as usize] as usize;
            let m = match by_currency[month].iter().find(|(c, _)| *c == a.currency) {
                Some(&(_, m)) => m,
                None => {
                    sums.months
                        .push(((firsts[month], a.currency), vec![KeySums::default(); starts[4]].into_boxed_slice()));
                    by_currency[month].push((a.currency, sums.months.len() - 1));
                    sums.months.len() - 1
                }
            };
            let cells = &mut sums.months[m].1;
            let program = version.map(|v| awards.ids.program[v as usize]);
            let keys = [Some(a.project), a.employer, Some(a.contributor), program];
            let add = [a.hours, a.gift, a.expected, a.fee, a.lost_to_cap, a.lost_to_deadline];
            for (dim, key) in keys.into_iter().enumerate() {
                let KeySums(total, used) = &mut cells[starts[dim] + key.map_or(0, |k| k as usize + 1)];
                *used = true;
                for (t, n) in total.iter_mut().zip(add) {
                    *t += n;
                }
            }
        });
        sums
    }

    /// Writes the sums into `cache_monthly_sums`, in the order of its primary key (grouping, month, currency
    /// and slot), so that each row appends.
    pub(super) fn write(self, conn: &Connection, ids: &ProgramIds, labels: &[String]) -> Result<()> {
        // By [`ProgramIds::program`]: what reports call it (see [`program_labels`]).
        let mut program_label = vec![""; self.starts[4] - self.starts[3]];
        for (&program, label) in ids.program.iter().zip(labels) {
            program_label[program as usize] = label;
        }
        let mut months: Vec<_> = self
            .months
            .iter()
            .map(|((day, currency), cells)| (report::month_key(*day), currency.as_str(), cells))
            .collect();
        months.sort_unstable_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        let mut dims: Vec<_> = Dense::DIMS.into_iter().enumerate().collect();
        dims.sort_unstable_by_key(|&(_, name)| name);
        let mut rows = Vec::new();
        for (dim, name) in dims {
            for (month, currency, cells) in &months {
                let dim_cells = &cells[self.starts[dim]..self.starts[dim + 1]];
                let (mut sums, mut previous) = (Vec::new(), 0);
                for (slot, KeySums(s, _)) in dim_cells.iter().enumerate().filter(|(_, cell)| cell.1) {
                    let label = match (name, slot.checked_sub(1)) {
                        ("program", Some(program)) => Some(program_label[program]),
                        _ => None,
                    };
                    pack(&mut sums, &mut previous, slot as u64, label, s);
                }
                if !sums.is_empty() {
                    rows.push(Packed { dim: name, month, currency, sums });
                }
            }
        }
        write(conn, &rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_come_back_as_packed() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(include_str!("schema.sql")).unwrap();
        let packed = |keys: &[(u64, Option<&str>, Sums)]| {
            let (mut out, mut previous) = (Vec::new(), 0);
            for (slot, label, sums) in keys {
                pack(&mut out, &mut previous, *slot, *label, sums);
            }
            out
        };
        let big = [i64::MAX, i64::MIN, 0, -1, 1, 1 << 40];
        let rows = [
            Packed { dim: "contributor", month: "2025-01", currency: "EUR", sums: packed(&[(7, None, big)]) },
            Packed {
                dim: "program",
                month: "2025-01",
                currency: "USD",
                sums: packed(&[(0, None, [1; 6]), (3, Some("Match (Acme)"), [2; 6])]),
            },
            Packed {
                dim: "project",
                month: "2025-02",
                currency: "USD",
                sums: packed(&[(1, None, [3; 6]), (9, None, [4; 6])]),
            },
        ];
        write(&conn, &rows).unwrap();
        let read = |dim: &str, first: &str, last: &str| {
            let mut found = Vec::new();
            for_each(&conn, dim, first, last, |month, currency, key, sums| {
                let key = match key {
                    Key::None => "none".to_string(),
                    Key::Id(id) => id.to_string(),
                    Key::Label(label) => label.to_string(),
                };
                found.push((month.to_string(), currency.to_string(), key, *sums));
                Ok(())
            })
            .unwrap();
            found
        };
        let row =
            |month: &str, currency: &str, key: &str, sums: Sums| (month.into(), currency.into(), key.into(), sums);
        assert_eq!(read("contributor", "2025-01", "2025-12"), [row("2025-01", "EUR", "6", big)]);
        assert_eq!(
            read("program", "2025-01", "2025-01"),
            [row("2025-01", "USD", "none", [1; 6]), row("2025-01", "USD", "Match (Acme)", [2; 6])]
        );
        assert_eq!(
            read("project", "2025-01", "2025-12"),
            [row("2025-02", "USD", "0", [3; 6]), row("2025-02", "USD", "8", [4; 6])]
        );
        assert!(read("project", "2025-03", "2025-12").is_empty());
        conn.execute("UPDATE cache_monthly_sums SET sums = x'05' WHERE dim = 'project'", []).unwrap();
        let error = for_each(&conn, "project", "2025-01", "2025-12", |_, _, _, _| Ok(())).unwrap_err();
        assert!(error.to_string().contains("damaged"), "{error}");
    }
}
