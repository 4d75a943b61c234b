//! The results cache's awards: one row per day, holding that day's awards packed into a blob.
//!
//! An award per SQLite row made SQLite's own per-row work most of a full recompute; packed a day
//! at a time they take a few hundred rows and far fewer bytes. Every reader goes through
//! [`for_each`], which unpacks the days of a period in date order; sums over whole months come
//! from the monthly sums instead.
//!
//! The packing is private to this file. Changing it means a new `CACHE_VERSION`, so that no blob
//! of the old shape is ever read.

use super::varint::{put_unsigned, put_varint, take_unsigned, take_varint};
use crate::model::EntryKind;
use crate::model::{Date, Status};
use crate::money::{Cents, Currency, Hours};
use crate::store::write_statement::WriteStatement;
use crate::store::{Result, StoreError};
use chrono::Datelike;
use rusqlite::types::{ToSqlOutput, Value, ValueRef};
use rusqlite::Connection;

/// One award as the cache keeps it: what reports group and sum, by row ids of the book's tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedAward {
    pub kind: EntryKind,
    /// The entry's `rid` in `hours` or `donations`.
    pub entry_rid: i64,
    /// The program version's `rid` in `programs`, if a program applies.
    pub program_rid: Option<i64>,
    pub date: Date,
    /// The `contributors` row that stands for the entry's person in reports.
    pub contributor: u32,
    pub employer: Option<u32>,
    pub project: u32,
    pub currency: Currency,
    pub status: Status,
    /// The entry's hours and gift, counted on the first of its awards in each currency only, so
    /// that sums count an entry once however many programs it meets.
    pub hours: Hours,
    pub gift: Cents,
    pub base: Cents,
    pub expected: Cents,
    pub fee: Cents,
    pub deadline: Option<Date>,
    /// [`crate::rules::Award::reason_bits`].
    pub reasons: u16,
    pub lost_to_cap: Cents,
    pub lost_to_deadline: Cents,
}

impl CachedAward {
    pub fn has(&self, reason: crate::rules::Reason) -> bool {
        self.reasons & reason.bit() != 0
    }
}

const HOURS: u8 = 1;
const HAS_PROGRAM: u8 = 1 << 1;
const HAS_EMPLOYER: u8 = 1 << 2;
const HAS_DEADLINE: u8 = 1 << 3;
const STATUS_SHIFT: u8 = 4;
const NEW_CURRENCY: u8 = 1 << 7;

/// The awards of one fill of the cache, packed day by day as they come, in any order of days.
/// (The engine gives awards in the order entries were loaded; taking them in date order instead
/// meant a cache miss for every award of a big book.)
pub(crate) struct Days {
    /// The first day's number (see [`day_number`]).
    first: i32,
    /// By day from `first`, the day's place in `days` (`u32::MAX` for a day without awards): four
    /// bytes a day, so that a book with one entry dated in year 1 costs megabytes, not hundreds.
    slot: Vec<u32>,
    /// The days that have awards, in date order.
    days: Vec<Day>,
}

/// One day's awards, packed, and the claim deadlines of its logged awards (a few distinct ones).
struct Day {
    date: Date,
    packed: Vec<u8>,
    deadlines: Vec<Date>,
    /// The last award packed, which the next is packed against.
    previous: Previous,
}

/// What an award is packed against: the award before it in its day, which mostly shares its
/// currency and has a row id a little below its own (the engine gives awards in row order).
#[derive(Default)]
struct Previous {
    currency: Option<Currency>,
    entry_rid: i64,
}

/// Days counted from 0001-01-01 (day 1), as the `cache_award_days` table keys them. Differences
/// of day numbers, not of dates: chrono's subtraction of dates is slow enough to show in a
/// recompute.
pub(crate) fn day_number(date: Date) -> i32 {
    date.num_days_from_ce()
}

impl Days {
    /// Room for the awards of `dates`, one date per award.
    pub(super) fn new(dates: impl Iterator<Item = Date> + Clone) -> Days {
        let numbers = dates.map(day_number);
        let span = numbers.clone().fold(None, |span, n| match span {
            None => Some((n, n)),
            Some((first, last)) => Some((n.min(first), n.max(last))),
        });
        let Some((first, last)) = span else {
            return Days { first: 0, slot: Vec::new(), days: Vec::new() };
        };
        let mut counts = vec![0u32; (last - first) as usize + 1];
        for n in numbers {
            counts[(n - first) as usize] += 1;
        }
        // About what an award takes packed, so that few days grow their buffer twice.
        const BYTES_PER_AWARD: usize = 30;
        let mut days = Vec::new();
        let first_date = Date::from_num_days_from_ce_opt(first).expect("a day number made from a date");
        for (date, count) in first_date.iter_days().zip(&mut counts) {
            if *count == 0 {
                *count = u32::MAX;
            } else {
                let packed = Vec::with_capacity(*count as usize * BYTES_PER_AWARD);
                days.push(Day { date, packed, deadlines: Vec::new(), previous: Previous::default() });
                *count = days.len() as u32 - 1;
            }
        }
        Days { first, slot: counts, days }
    }

    /// Adds an award, after those of its day added before; its date must be one of [`Days::new`]'s.
    pub(super) fn add(&mut self, award: &CachedAward) {
        let day = &mut self.days[self.slot[(day_number(award.date) - self.first) as usize] as usize];
        pack(award, &mut day.previous, &mut day.packed);
        if let (Status::Logged, Some(d)) = (award.status, award.deadline) {
            if !day.deadlines.contains(&d) {
                day.deadlines.push(d);
            }
        }
    }

    /// Replaces the cache's awards with these.
    pub(super) fn write(&self, conn: &Connection) -> Result<()> {
        conn.execute_batch("DELETE FROM cache_award_days; DELETE FROM cache_award_deadlines;")?;
        // The blobs are lent to SQLite rather than copied: they are most of the cache's bytes.
        let mut insert = WriteStatement::prepare(conn, "INSERT INTO cache_award_days (day, awards) VALUES (?1, ?2)")?;
        let mut insert_deadline = conn.prepare("INSERT INTO cache_award_deadlines (deadline, day) VALUES (?1, ?2)")?;
        for Day { date, packed, deadlines, .. } in &self.days {
            let blob = ToSqlOutput::Borrowed(ValueRef::Blob(packed));
            insert.execute(&[ToSqlOutput::Owned(Value::Integer(day_number(*date).into())), blob])?;
            for deadline in deadlines {
                insert_deadline.execute([day_number(*deadline), day_number(*date)])?;
            }
        }
        Ok(())
    }

    /// Every day of the cache, read at once (its blobs, not yet unpacked).
    pub(super) fn read(conn: &Connection) -> Result<Days> {
        let mut stmt = conn.prepare("SELECT day, awards FROM cache_award_days ORDER BY day")?;
        let mut rows = stmt.query([])?;
        let mut days = Vec::new();
        while let Some(row) = rows.next()? {
            let date = Date::from_num_days_from_ce_opt(row.get(0)?).ok_or_else(damaged)?;
            days.push(Day { date, packed: row.get(1)?, deadlines: Vec::new(), previous: Previous::default() });
        }
        Ok(Days { first: days.first().map_or(0, |d| day_number(d.date)), slot: Vec::new(), days })
    }

    /// Calls `f` with each award, in date order.
    pub(crate) fn for_each(&self, mut f: impl FnMut(&CachedAward) -> Result<()>) -> Result<()> {
        for day in &self.days {
            unpack_day(&day.packed, day.date, &mut f)?;
        }
        Ok(())
    }
}

/// Calls `f` with each cached award of the days `from..=to` (all days when `None`), in date order;
/// a day's awards come in the order they were written.
pub(super) fn for_each(
    conn: &Connection,
    from: Option<Date>,
    to: Option<Date>,
    f: impl FnMut(&CachedAward) -> Result<()>,
) -> Result<()> {
    let (first, last) = (from.map_or(i32::MIN, day_number), to.map_or(i32::MAX, day_number));
    read_days(
        conn,
        "SELECT day, awards FROM cache_award_days WHERE day BETWEEN ?1 AND ?2 ORDER BY day",
        [first, last],
        f,
    )
}

/// Like [`for_each`] over every day, but skips the days where no logged award has a claim
/// deadline in `from..=to` (the others still come: `f` chooses).
pub(super) fn for_each_of_days_with_deadlines(
    conn: &Connection,
    from: Date,
    to: Date,
    f: impl FnMut(&CachedAward) -> Result<()>,
) -> Result<()> {
    read_days(
        conn,
        "SELECT day, awards FROM cache_award_days
         WHERE day IN (SELECT day FROM cache_award_deadlines WHERE deadline BETWEEN ?1 AND ?2) ORDER BY day",
        [day_number(from), day_number(to)],
        f,
    )
}

fn read_days(
    conn: &Connection,
    sql: &str,
    params: [i32; 2],
    mut f: impl FnMut(&CachedAward) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params)?;
    while let Some(row) = rows.next()? {
        let date = Date::from_num_days_from_ce_opt(row.get(0)?).ok_or_else(damaged)?;
        unpack_day(row.get_ref(1)?.as_blob()?, date, &mut f)?;
    }
    Ok(())
}

/// Calls `f` with each award packed in one day's blob, in the order they were packed.
fn unpack_day(mut packed: &[u8], date: Date, f: &mut impl FnMut(&CachedAward) -> Result<()>) -> Result<()> {
    let mut previous = Previous::default();
    while !packed.is_empty() {
        f(&unpack(&mut packed, date, &mut previous).ok_or_else(damaged)?)?;
    }
    Ok(())
}

fn damaged() -> StoreError {
    StoreError::Damaged("the results cache is damaged; delete the cache_award_days rows to have it rebuilt".into())
}

/// Packs `a` after `previous`: a flags byte (kind, whether program, employer and deadline are
/// there, status, and whether a currency code follows), then varints: the entry's row id less the
/// previous award's, the ids, the amounts (expected as what base lost), the deadline as days
/// after the date, the reasons and the losses.
fn pack(a: &CachedAward, previous: &mut Previous, out: &mut Vec<u8>) {
    let status = Status::ALL.iter().position(|s| *s == a.status).unwrap_or(0) as u8;
    let mut flags = status << STATUS_SHIFT;
    let new_currency = previous.currency != Some(a.currency);
    for (set, bit) in [
        (a.kind == EntryKind::Hours, HOURS),
        (a.program_rid.is_some(), HAS_PROGRAM),
        (a.employer.is_some(), HAS_EMPLOYER),
        (a.deadline.is_some(), HAS_DEADLINE),
        (new_currency, NEW_CURRENCY),
    ] {
        if set {
            flags |= bit;
        }
    }
    out.push(flags);
    if new_currency {
        out.extend_from_slice(a.currency.as_str().as_bytes());
    }
    put_varint(out, a.entry_rid.wrapping_sub(previous.entry_rid));
    *previous = Previous { currency: Some(a.currency), entry_rid: a.entry_rid };
    if let Some(rid) = a.program_rid {
        put_varint(out, rid);
    }
    put_unsigned(out, a.contributor.into());
    if let Some(employer) = a.employer {
        put_unsigned(out, employer.into());
    }
    put_unsigned(out, a.project.into());
    for n in [a.hours, a.gift, a.base, a.base.wrapping_sub(a.expected), a.fee] {
        put_varint(out, n);
    }
    if let Some(deadline) = a.deadline {
        put_varint(out, i64::from(day_number(deadline) - day_number(a.date)));
    }
    put_unsigned(out, a.reasons.into());
    for n in [a.lost_to_cap, a.lost_to_deadline] {
        put_varint(out, n);
    }
}

fn unpack(packed: &mut &[u8], date: Date, previous: &mut Previous) -> Option<CachedAward> {
    let (&flags, rest) = packed.split_first()?;
    *packed = rest;
    let currency = if flags & NEW_CURRENCY != 0 {
        let (code, rest) = packed.split_first_chunk::<3>()?;
        *packed = rest;
        std::str::from_utf8(code).ok()?.parse().ok()?
    } else {
        previous.currency?
    };
    let status = *Status::ALL.get(usize::from((flags & !NEW_CURRENCY) >> STATUS_SHIFT))?;
    let entry_rid = previous.entry_rid.wrapping_add(take_varint(packed)?);
    *previous = Previous { currency: Some(currency), entry_rid };
    let program_rid = if flags & HAS_PROGRAM != 0 { Some(take_varint(packed)?) } else { None };
    let id = |packed: &mut &[u8]| take_unsigned(packed).and_then(|n| u32::try_from(n).ok());
    let contributor = id(packed)?;
    let employer = if flags & HAS_EMPLOYER != 0 { Some(id(packed)?) } else { None };
    let project = id(packed)?;
    let [hours, gift, base, lost_to_base, fee] =
        [take_varint(packed)?, take_varint(packed)?, take_varint(packed)?, take_varint(packed)?, take_varint(packed)?];
    let deadline = if flags & HAS_DEADLINE != 0 {
        let days = i32::try_from(take_varint(packed)?).ok()?;
        Some(Date::from_num_days_from_ce_opt(day_number(date).checked_add(days)?)?)
    } else {
        None
    };
    let reasons = u16::try_from(take_unsigned(packed)?).ok()?;
    let [lost_to_cap, lost_to_deadline] = [take_varint(packed)?, take_varint(packed)?];
    Some(CachedAward {
        kind: if flags & HOURS != 0 { EntryKind::Hours } else { EntryKind::Donation },
        entry_rid,
        program_rid,
        date,
        contributor,
        employer,
        project,
        currency,
        status,
        hours,
        gift,
        base,
        expected: base.wrapping_sub(lost_to_base),
        fee,
        deadline,
        reasons,
        lost_to_cap,
        lost_to_deadline,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn award(date: &str) -> CachedAward {
        CachedAward {
            kind: EntryKind::Hours,
            entry_rid: 1_000_003,
            program_rid: Some(7),
            date: date.parse().unwrap(),
            contributor: 4999,
            employer: Some(12),
            project: 3,
            currency: "EUR".parse().unwrap(),
            status: Status::Rejected,
            hours: 2_5000,
            gift: 0,
            base: 6250,
            expected: 0,
            fee: -1,
            deadline: Some("2025-01-31".parse().unwrap()),
            reasons: 0b1010_0000_0001,
            lost_to_cap: i64::MAX,
            lost_to_deadline: i64::MIN,
        }
    }

    #[test]
    fn awards_come_back_as_they_were_written_day_by_day() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open_or_create(&dir.path().join("book.sqlite")).unwrap();
        let conn = &store.conn;
        let first = award("2025-02-28");
        let second = CachedAward {
            kind: EntryKind::Donation,
            program_rid: None,
            employer: None,
            deadline: None,
            currency: "USD".parse().unwrap(),
            status: Status::Logged,
            ..award("2025-02-28")
        };
        let due = Some("2025-04-15".parse().unwrap());
        let third = CachedAward { entry_rid: 0, status: Status::Logged, deadline: due, ..award("2025-03-01") };
        // Added out of date order; a day keeps the order of its own awards.
        let mut days = Days::new([&third, &first, &second].map(|a| a.date).into_iter());
        for a in [&third, &first, &second] {
            days.add(a);
        }
        days.write(conn).unwrap();
        let mut unpacked = Vec::new();
        days.for_each(|a| {
            unpacked.push(a.clone());
            Ok(())
        })
        .unwrap();
        assert_eq!(unpacked, [first.clone(), second.clone(), third.clone()]);
        let read = |from: Option<&str>, to: Option<&str>| {
            let mut all = Vec::new();
            let (from, to) = (from.map(|d| d.parse().unwrap()), to.map(|d| d.parse().unwrap()));
            for_each(conn, from, to, |a| {
                all.push(a.clone());
                Ok(())
            })
            .unwrap();
            all
        };
        assert_eq!(read(None, None), [first.clone(), second.clone(), third.clone()]);
        let mut all_at_once = Vec::new();
        Days::read(conn)
            .unwrap()
            .for_each(|a| {
                all_at_once.push(a.clone());
                Ok(())
            })
            .unwrap();
        assert_eq!(all_at_once, [first.clone(), second.clone(), third.clone()]);
        assert_eq!(read(Some("2025-03-01"), None), std::slice::from_ref(&third));
        assert_eq!(read(None, Some("2025-02-28")), [first, second]);
        assert_eq!(read(Some("2025-03-02"), Some("2026-01-01")), []);
        // Only a logged award's deadline makes its day one that `report due` reads.
        let with_deadlines = |from: &str, to: &str| {
            let mut all = Vec::new();
            for_each_of_days_with_deadlines(conn, from.parse().unwrap(), to.parse().unwrap(), |a| {
                all.push(a.clone());
                Ok(())
            })
            .unwrap();
            all
        };
        assert_eq!(with_deadlines("2025-04-15", "2025-04-15"), std::slice::from_ref(&third));
        assert_eq!(with_deadlines("2025-04-16", "2025-12-31"), []);
        assert_eq!(with_deadlines("2025-01-01", "2025-01-31"), [], "the award due then was rejected");
        // Writing again replaces what was there.
        Days::new(std::iter::empty()).write(conn).unwrap();
        assert_eq!(read(None, None), []);
    }

    /// Days without awards take no room of their own, however far apart the dates.
    #[test]
    fn awards_millennia_apart_are_kept_too() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open_or_create(&dir.path().join("book.sqlite")).unwrap();
        let conn = &store.conn;
        let awards = [award("9999-12-31"), CachedAward { deadline: None, ..award("0001-01-01") }, award("2025-06-30")];
        let mut days = Days::new(awards.iter().map(|a| a.date));
        assert_eq!(days.days.len(), 3);
        for a in &awards {
            days.add(a);
        }
        days.write(conn).unwrap();
        let mut read = Vec::new();
        for_each(conn, None, None, |a| {
            read.push(a.clone());
            Ok(())
        })
        .unwrap();
        assert_eq!(read, [awards[1].clone(), awards[2].clone(), awards[0].clone()]);
    }

    #[test]
    fn a_damaged_blob_is_an_error_not_a_wrong_answer() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open_or_create(&dir.path().join("book.sqlite")).unwrap();
        let conn = &store.conn;
        conn.execute("INSERT INTO cache_award_days VALUES (739000, x'31555344ff')", []).unwrap();
        let error = for_each(conn, None, None, |_| Ok(())).unwrap_err();
        assert!(error.to_string().contains("damaged"), "{error}");
    }
}
