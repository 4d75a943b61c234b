//! The links between received payment lines and the entries they pay. Linking makes an entry
//! `paid` (on the day the line's money was sent) and remembers its status before; unlinking gives
//! that status back, and clears the date the link gave. Both happen in one transaction with the
//! status change, so the links and the statuses never disagree.

use super::{rows, Store, StoreError};
use crate::model::{iso, Date, RecordKind, Status};
use rusqlite::{params, OptionalExtension};

/// A payment line and one entry it pays.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Link {
    pub payment: String,
    pub entry: String,
    /// The entry's status before the link made it `paid`.
    pub prior_status: Status,
    /// `auto` (the only candidate) or `chosen` (by the treasurer).
    pub how: String,
}

impl Store {
    /// Every link, by payment.
    pub fn links(&self) -> Result<Vec<Link>, StoreError> {
        let mut stmt =
            self.conn.prepare("SELECT payment, entry, prior_status, how FROM reconciled ORDER BY payment, entry")?;
        let rows = stmt.query_map([], link_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Links `payment` to `entries` (hours or donation ids) and marks them paid, all or nothing,
    /// dated as [`mark_paid`] says. An entry already linked to another payment is refused.
    pub fn link(&mut self, payment: &str, entries: &[String], how: &str) -> Result<(), StoreError> {
        let tx = self.begin_write()?;
        let Some(paid_on) = payment_date(&tx, payment)? else {
            return Err(StoreError::UnknownId(payment.to_string()));
        };
        for entry in entries {
            let (table, status) = entry_status(&tx, entry)?;
            if let Some(other) = link_of(&tx, entry)?.map(|l| l.payment).filter(|p| p != payment) {
                return Err(StoreError::Refused(already_paid(entry, &other)));
            }
            tx.execute(
                "INSERT INTO reconciled(payment, entry, prior_status, how) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(payment, entry) DO NOTHING",
                params![payment, entry, status.name(), how],
            )?;
            mark_paid(&tx, table, entry, paid_on)?;
        }
        super::bump_records_version(&tx)?;
        tx.commit()?;
        Ok(())
    }

    /// Removes the links of `payment`; each entry still `paid` gets its prior status back, and
    /// loses the `paid_on` the link gave it (and any other date of a status its prior status had
    /// not reached). Returns how many links there were.
    pub fn unlink(&mut self, payment: &str) -> Result<usize, StoreError> {
        let tx = self.begin_write()?;
        let links: Vec<(String, String)> = {
            let mut stmt = tx.prepare("SELECT entry, prior_status FROM reconciled WHERE payment = ?1")?;
            let rows = stmt.query_map([payment], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for (entry, prior) in &links {
            if let Ok((table, Status::Paid)) = entry_status(&tx, entry) {
                move_entry(&tx, table, entry, prior.parse().unwrap_or(Status::Logged), None)?;
            }
        }
        tx.execute("DELETE FROM reconciled WHERE payment = ?1", [payment])?;
        if !links.is_empty() {
            super::bump_records_version(&tx)?;
        }
        tx.commit()?;
        Ok(links.len())
    }

    /// Drops links whose payment or entry is no longer in the book (deleted since); an entry
    /// whose payment went gets its prior status back. Returns how many links went.
    pub fn prune_links(&mut self) -> Result<usize, StoreError> {
        let gone: Vec<String> = {
            let mut stmt = self.conn.prepare(
                "SELECT DISTINCT payment FROM reconciled WHERE payment NOT IN (SELECT id FROM payments)
                 UNION SELECT DISTINCT payment FROM reconciled
                 WHERE entry NOT IN (SELECT id FROM hours UNION ALL SELECT id FROM donations)",
            )?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut n = 0;
        for payment in gone {
            n += self.unlink(&payment)?;
        }
        Ok(n)
    }
}

/// The table and status of an hours or donation entry.
fn entry_status(tx: &rusqlite::Transaction, entry: &str) -> Result<(RecordKind, Status), StoreError> {
    let (kind, _, status) = super::records::find_entry_in(tx, entry)?;
    Ok((kind.record_kind(), status))
}

/// The date of the book's payment line with this id (when its money was sent), if it holds one.
pub(super) fn payment_date(tx: &rusqlite::Transaction, payment: &str) -> Result<Option<Date>, StoreError> {
    let date: Option<String> =
        tx.query_row("SELECT date FROM payments WHERE id = ?1", [payment], |r| r.get(0)).optional()?;
    Ok(date.map(|d| rows::date(&d)).transpose()?)
}

/// The link that pays `entry`, if one does.
pub(super) fn link_of(tx: &rusqlite::Transaction, entry: &str) -> Result<Option<Link>, StoreError> {
    let link = tx
        .query_row("SELECT payment, entry, prior_status, how FROM reconciled WHERE entry = ?1", [entry], link_from_row)
        .optional()?;
    Ok(link)
}

/// A row of `payment, entry, prior_status, how` from `reconciled`.
fn link_from_row(r: &rusqlite::Row) -> rusqlite::Result<Link> {
    Ok(Link {
        payment: r.get(0)?,
        entry: r.get(1)?,
        prior_status: r.get::<_, String>(2)?.parse().unwrap_or(Status::Logged),
        how: r.get(3)?,
    })
}

/// Why `entry` cannot be linked to another payment line.
pub(super) fn already_paid(entry: &str, payment: &str) -> String {
    format!("entry {entry} is already paid by payment {payment}")
}

/// Makes a linked entry `paid`, on `paid_on`, the date of the payment line that pays it (when the
/// money was sent; no earlier than the entry's own date or its other status dates). An entry
/// already `paid` keeps its date.
pub(super) fn mark_paid(
    tx: &rusqlite::Transaction,
    kind: RecordKind,
    entry: &str,
    paid_on: Date,
) -> Result<(), StoreError> {
    move_entry(tx, kind, entry, Status::Paid, Some(paid_on))
}

/// Moves `entry` to status `to`, reached `on`, its status dates as
/// [`crate::model::StatusDates::moved`] makes them. Nothing changes if it has that status.
fn move_entry(
    tx: &rusqlite::Transaction,
    kind: RecordKind,
    entry: &str,
    to: Status,
    on: Option<Date>,
) -> Result<(), StoreError> {
    let table = kind.name();
    let (date, from, dates) = tx.query_row(
        &format!("SELECT date, status, submitted_on, approved_on, paid_on, rejected_on FROM {table} WHERE id = ?1"),
        [entry],
        |r| {
            Ok((
                rows::date(r.get_ref(0)?.as_str()?)?,
                rows::parsed::<Status>(r.get_ref(1)?.as_str()?)?,
                rows::status_dates(r, 2)?,
            ))
        },
    )?;
    if from == to {
        return Ok(());
    }
    let [submitted, approved, paid, rejected] = dates.moved(from, to, on, date).all().map(|d| d.map(iso));
    // The status and its dates are no part of the entry's identity: its digest stays.
    tx.execute(
        &format!(
            "UPDATE {table} SET status = ?2, submitted_on = ?3, approved_on = ?4, paid_on = ?5, rejected_on = ?6 \
             WHERE id = ?1"
        ),
        params![entry, to.name(), submitted, approved, paid, rejected],
    )?;
    Ok(())
}
