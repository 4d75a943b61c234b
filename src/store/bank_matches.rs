//! Which deposit in the bank brought which platform payout (a disbursement, or a payment line that
//! names none), and the deposits the treasurer marked as no payout's (a grant, a sponsorship).
//! Both are kept by stable ids, apart from the records, so that importing a statement or a report
//! again never loses them; a match whose deposit or payout is gone is dropped.

use super::{Store, StoreError};
use crate::model::{Deposit, Record, RecordKind};
use rusqlite::{params, OptionalExtension};

/// A deposit and the payout it brought, or a deposit marked as no payout's.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BankMatch {
    pub deposit: String,
    /// The payout (empty when `how` is `not matching`).
    pub payout: String,
    /// `auto` (the only fit), `chosen` (by the treasurer) or `not matching`.
    pub how: String,
    /// Why a deposit is not matching money, as the treasurer wrote it.
    pub note: String,
}

pub const NOT_MATCHING: &str = "not matching";

impl Store {
    /// Every deposit, oldest first.
    pub fn deposits(&self) -> Result<Vec<Deposit>, StoreError> {
        let mut deposits = Vec::new();
        super::rows::for_each_record(&self.conn, RecordKind::Deposits, |record| {
            if let Record::Deposit(d) = record {
                deposits.push(d);
            }
            Ok(())
        })?;
        deposits.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
        Ok(deposits)
    }

    /// Every match and mark, by deposit.
    pub fn bank_matches(&self) -> Result<Vec<BankMatch>, StoreError> {
        let mut stmt = self.conn.prepare("SELECT deposit, payout, how, note FROM bank_matches ORDER BY deposit")?;
        let rows = stmt.query_map([], match_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records that `deposit` brought `payout` (`how`: `auto` or `chosen`). A deposit or payout
    /// matched already, or marked, is refused: unmatch it first.
    pub fn match_deposit(&mut self, deposit: &str, payout: &str, how: &str) -> Result<(), StoreError> {
        self.match_deposits(&[(deposit, payout)], how)
    }

    /// Records every (deposit, payout) pair as [`Store::match_deposit`] does, in one write: all of
    /// them, or none when one is refused. A write of its own for each of an automatic run's
    /// thousands of matches cost more than the run's deciding.
    pub fn match_deposits(&mut self, pairs: &[(&str, &str)], how: &str) -> Result<(), StoreError> {
        if pairs.is_empty() {
            return Ok(());
        }
        let tx = self.begin_write()?;
        {
            let mut insert =
                tx.prepare("INSERT INTO bank_matches(deposit, payout, how, note) VALUES (?1, ?2, ?3, '')")?;
            for (deposit, payout) in pairs {
                check_free(&tx, deposit, Some(payout))?;
                if how != "auto" {
                    check_same_money(&tx, deposit, payout)?;
                }
                insert.execute(params![deposit, payout, how])?;
            }
        }
        super::bump_records_version(&tx)?;
        tx.commit()?;
        Ok(())
    }

    /// Marks `deposit` as money no payout explains (a grant, a sponsorship), with a note; it stays
    /// so through later imports.
    pub fn mark_not_matching(&mut self, deposit: &str, note: &str) -> Result<(), StoreError> {
        let tx = self.begin_write()?;
        check_free(&tx, deposit, None)?;
        tx.execute(
            "INSERT INTO bank_matches(deposit, payout, how, note) VALUES (?1, '', ?2, ?3)",
            params![deposit, NOT_MATCHING, note.trim()],
        )?;
        super::bump_records_version(&tx)?;
        tx.commit()?;
        Ok(())
    }

    /// Forgets the match or mark of `deposit`; returns whether there was one.
    pub fn unmatch_deposit(&mut self, deposit: &str) -> Result<bool, StoreError> {
        let tx = self.begin_write()?;
        let n = tx.execute("DELETE FROM bank_matches WHERE deposit = ?1", [deposit])?;
        if n > 0 {
            super::bump_records_version(&tx)?;
        }
        tx.commit()?;
        Ok(n > 0)
    }

    /// Drops matches whose deposit or payout is no longer in the book (deleted since).
    pub fn prune_bank_matches(&mut self) -> Result<usize, StoreError> {
        let stale: i64 = self.conn.query_row(
            "SELECT count(*) FROM bank_matches WHERE deposit NOT IN (SELECT id FROM deposits)
             OR (payout <> '' AND payout NOT IN (SELECT disbursement FROM payments UNION ALL SELECT id FROM payments))",
            [],
            |r| r.get(0),
        )?;
        if stale == 0 {
            return Ok(0);
        }
        let tx = self.begin_write()?;
        let n = tx.execute(
            "DELETE FROM bank_matches WHERE deposit NOT IN (SELECT id FROM deposits)
             OR (payout <> '' AND payout NOT IN (SELECT disbursement FROM payments UNION ALL SELECT id FROM payments))",
            [],
        )?;
        super::bump_records_version(&tx)?;
        tx.commit()?;
        Ok(n)
    }
}

/// Refuses a deposit that is not in the book or is matched or marked already, and a payout that
/// is not in the book or is matched already.
pub(super) fn check_free(conn: &rusqlite::Connection, deposit: &str, payout: Option<&str>) -> Result<(), StoreError> {
    let exists: Option<i64> =
        conn.query_row("SELECT rid FROM deposits WHERE id = ?1", [deposit], |r| r.get(0)).optional()?;
    if exists.is_none() {
        return Err(StoreError::UnknownId(deposit.to_string()));
    }
    if let Some(m) = conn
        .query_row("SELECT deposit, payout, how, note FROM bank_matches WHERE deposit = ?1", [deposit], match_from_row)
        .optional()?
    {
        let what = if m.how == NOT_MATCHING {
            "marked not matching".to_string()
        } else {
            format!("matched to payout {}", m.payout)
        };
        return Err(StoreError::Refused(format!("deposit {deposit} is {what} already; unmatch it first")));
    }
    let Some(payout) = payout else { return Ok(()) };
    if !payout_exists(conn, payout)? {
        return Err(StoreError::Refused(format!(
            "no payout {payout} in the book (a payment's disbursement, or the id of a payment that names none)"
        )));
    }
    // `payout <> ''` lets SQLite use the partial index on payouts rather than read every match.
    let taken: Option<String> = conn
        .query_row("SELECT deposit FROM bank_matches WHERE payout = ?1 AND payout <> ''", [payout], |r| r.get(0))
        .optional()?;
    if let Some(other) = taken {
        return Err(StoreError::Refused(format!("payout {payout} is matched to deposit {other} already")));
    }
    Ok(())
}

/// Whether a payment's disbursement, or the id of a payment that names none, is `payout`.
pub(super) fn payout_exists(conn: &rusqlite::Connection, payout: &str) -> Result<bool, StoreError> {
    // Two lookups, each by its index: with `OR`, and `disbursement <> ''` left unsaid, SQLite
    // cannot use the partial index on disbursements and reads every payment, once per match.
    let found: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM payments WHERE disbursement = ?1 AND disbursement <> '')
             OR EXISTS (SELECT 1 FROM payments WHERE id = ?1 AND disbursement = '')",
        [payout],
        |r| r.get(0),
    )?;
    Ok(found)
}

/// A deposit the treasurer chooses for a payout must be its money: the same currency and the
/// payout's whole net (an automatic match is found only so). Otherwise the summary would count
/// the payout as in the bank on the strength of another sum.
fn check_same_money(conn: &rusqlite::Connection, deposit: &str, payout: &str) -> Result<(), StoreError> {
    let (currency, amount): (String, i64) =
        conn.query_row("SELECT currency, amount FROM deposits WHERE id = ?1", [deposit], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let sent: Option<(String, i64)> = conn
        .query_row(
            "SELECT currency, sum(net) FROM payments
             WHERE (disbursement = ?1 AND disbursement <> '') OR (id = ?1 AND disbursement = '')
             GROUP BY currency",
            [payout],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((payout_currency, net)) = sent else { return Ok(()) };
    if payout_currency != currency || net != amount {
        return Err(StoreError::Refused(format!(
            "deposit {deposit} is {} {currency} and payout {payout} {} {payout_currency}: a deposit brings one \
             whole payout of its currency",
            crate::money::format_cents(amount),
            crate::money::format_cents(net)
        )));
    }
    Ok(())
}

fn match_from_row(r: &rusqlite::Row) -> rusqlite::Result<BankMatch> {
    Ok(BankMatch { deposit: r.get(0)?, payout: r.get(1)?, how: r.get(2)?, note: r.get(3)? })
}
