//! The platforms' payout schedules the book keeps (`platforms.csv`, one row per platform name;
//! see [`crate::forecast`]), and the questions the forecast asks of the book: each program
//! version's platform and the status dates of the outstanding entries.

use super::rows::date;
use super::{Result, Store, StoreError};
use crate::forecast::{platform_key, Platform, PlatformRow, ScheduleSource};
use crate::model::{Date, EntryKind};
use rusqlite::{params, OptionalExtension};
use rustc_hash::FxHashMap;

/// The `submitted_on` and `approved_on` of outstanding entries, by kind and row id.
pub type OutstandingDates = FxHashMap<(EntryKind, i64), (Option<Date>, Option<Date>)>;

/// Checks a row as the import and the app take it; or the column at fault and why.
pub(super) fn checked(row: &PlatformRow) -> std::result::Result<Platform, (&'static str, String)> {
    Platform::from_row(row, ScheduleSource::Book)
}

/// Whether a row of that name is kept, and as what.
pub(super) fn kept(conn: &rusqlite::Connection, name: &str) -> Result<Option<PlatformRow>> {
    Ok(conn
        .query_row(
            "SELECT name, review_days, payout, minimum_payout, check_fee, notes FROM platforms WHERE name_key = ?1",
            [platform_key(name)],
            row_of,
        )
        .optional()?)
}

/// Stores a checked schedule, replacing the one of its name.
pub(super) fn remember(conn: &rusqlite::Connection, platform: &Platform) -> Result<()> {
    let row = platform.row();
    conn.execute(
        "INSERT INTO platforms(name_key, name, review_days, payout, minimum_payout, check_fee, notes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT(name_key) DO UPDATE SET name = excluded.name, review_days = excluded.review_days,
           payout = excluded.payout, minimum_payout = excluded.minimum_payout, check_fee = excluded.check_fee,
           notes = excluded.notes",
        params![
            platform_key(&row.name),
            row.name,
            platform.review_days,
            row.payout,
            row.minimum_payout,
            row.check_fee,
            row.notes
        ],
    )?;
    Ok(())
}

fn row_of(r: &rusqlite::Row) -> rusqlite::Result<PlatformRow> {
    Ok(PlatformRow {
        name: r.get(0)?,
        review_days: r.get::<_, i64>(1)?.to_string(),
        payout: r.get(2)?,
        minimum_payout: r.get(3)?,
        check_fee: r.get(4)?,
        notes: r.get(5)?,
    })
}

/// The SQL of the export of `platforms.csv`.
pub(super) const EXPORT_SQL: &str =
    "SELECT name, CAST(review_days AS TEXT), payout, minimum_payout, check_fee, notes FROM platforms ORDER BY name_key";

impl Store {
    /// The book's own schedules (rows of `platforms.csv`), by name.
    pub fn platform_rows(&self) -> Result<Vec<PlatformRow>> {
        let mut stmt = self.conn.prepare(
            "SELECT name, review_days, payout, minimum_payout, check_fee, notes FROM platforms ORDER BY name_key",
        )?;
        let rows = stmt.query_map([], row_of)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The book's own schedules, checked.
    pub fn platforms(&self) -> Result<Vec<Platform>> {
        self.platform_rows()?
            .iter()
            .map(|row| {
                checked(row).map_err(|(column, message)| {
                    StoreError::Damaged(format!("the platform {:?} kept in the book: {column}: {message}", row.name))
                })
            })
            .collect()
    }

    /// Gives or changes a platform's schedule (by its name, compared case-insensitively); returns
    /// it as kept. A row with an error is refused, naming the column.
    pub fn set_platform(&self, row: &PlatformRow) -> Result<Platform> {
        let platform = checked(row).map_err(|(column, message)| StoreError::Invalid(format!("{column}: {message}")))?;
        let tx = self.begin_write()?;
        remember(&tx, &platform)?;
        tx.commit()?;
        Ok(platform)
    }

    /// Forgets the book's schedule of a platform (its shipped default, if any, applies again);
    /// returns whether there was one.
    pub fn remove_platform(&self, name: &str) -> Result<bool> {
        let tx = self.begin_write()?;
        let n = tx.execute("DELETE FROM platforms WHERE name_key = ?1", [platform_key(name)])?;
        tx.commit()?;
        Ok(n > 0)
    }

    /// Each program version's platform, as its `platform` column names it, by the version's row id.
    pub fn program_platforms(&self) -> Result<Vec<(i64, String)>> {
        let mut stmt = self.conn.prepare("SELECT rid, platform FROM programs ORDER BY rid")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The `submitted_on` and `approved_on` of every submitted or approved entry that has either,
    /// by kind and row id (through the partial indexes `*_outstanding`, so a book of few such
    /// entries reads few).
    pub fn outstanding_status_dates(&self) -> Result<OutstandingDates> {
        let mut dates = FxHashMap::default();
        for (kind, table) in [(EntryKind::Hours, "hours"), (EntryKind::Donation, "donations")] {
            let mut stmt = self.conn.prepare(&format!(
                "SELECT rid, submitted_on, approved_on FROM {table} INDEXED BY {table}_outstanding
                 WHERE status IN ('submitted', 'approved') AND (submitted_on IS NOT NULL OR approved_on IS NOT NULL)"
            ))?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let day = |i: usize| -> rusqlite::Result<Option<Date>> {
                    r.get_ref(i)?.as_str_or_null()?.map(date).transpose()
                };
                dates.insert((kind, r.get(0)?), (day(1)?, day(2)?));
            }
        }
        Ok(dates)
    }

    /// The platform of a program version (by its row id) and its schedule: the book's row, the
    /// shipped default or "about 60 days". For "submitted but not approved after the platform's
    /// review time": `schedule.review_days`.
    pub fn platform_of_program(&self, program_rid: i64) -> Result<Option<Platform>> {
        let name: Option<String> = self
            .conn
            .query_row("SELECT platform FROM programs WHERE rid = ?1", [program_rid], |r| r.get(0))
            .optional()?;
        let Some(name) = name else { return Ok(None) };
        Ok(Some(crate::forecast::Schedules::of_book(self)?.get(&name)))
    }
}
