//! The narrow questions the library's features ask of the book (reports, reconciliation, the
//! journal, the app's entry index), each a `Store` method, so that the schema is known here and
//! nowhere else. Names and contributors come back by their ids, as the records refer to them
//! (see [`Store::names_and_people`]).

use super::rows::{date, parsed, status_dates};
use super::{load, Result, Store};
use crate::model::EntryKind;
use crate::model::{iso, Date, Funds, Status, StatusDates, YearStart};
use crate::money::{Cents, Currency};
use rusqlite::OptionalExtension;
use rustc_hash::FxHashMap;
use std::collections::HashMap;

/// A payment as reports and reconciliation read it.
#[derive(Debug, Clone)]
pub struct PaymentRow {
    pub id: String,
    pub date: Date,
    pub payer: u32,
    pub employer: Option<u32>,
    pub contributor: Option<u32>,
    pub project: u32,
    pub currency: Currency,
    pub gross: Cents,
    pub fees: Cents,
    pub net: Cents,
    pub funds: Funds,
    pub reference: String,
    pub disbursement: String,
    /// The day of the gift the money is for, when a platform's report says (else `date`).
    pub gift_date: Option<Date>,
    pub bank_date: Option<Date>,
    pub bank_reference: String,
}

impl PaymentRow {
    pub fn payout(&self) -> &str {
        crate::model::payout_of(&self.id, &self.disbursement)
    }
}

/// An hours or donation entry as the app's entry index keeps it: its quantity is hours (in
/// ten-thousandths) or the gift's cents, `currency` the gift's.
#[derive(Debug, Clone)]
pub struct StoredEntry {
    pub rid: i64,
    pub date: Date,
    pub contributor: u32,
    pub employer: Option<u32>,
    pub project: u32,
    pub quantity: i64,
    pub status: Status,
    pub currency: Option<Currency>,
}

/// What received money is summed by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReceivedBy {
    Project,
    /// The employer a payment names, else its payer; only employers of the book's programs and
    /// employments: a platform's payout of unknown origin belongs to projects, not to any one
    /// employer.
    Employer,
}

impl Store {
    /// The bank date and reference of the stored payments among `ids` that have one.
    pub(super) fn bank_fields_of(&self, ids: &[&str]) -> Result<HashMap<String, (Option<Date>, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT bank_date, bank_reference FROM payments WHERE id = ?1 AND (bank_date IS NOT NULL OR bank_reference <> '')",
        )?;
        let mut found = HashMap::new();
        for id in ids {
            let row: Option<(Option<String>, String)> =
                stmt.query_row([id], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
            if let Some((bank_date, reference)) = row {
                found.insert(id.to_string(), (bank_date.map(|d| date(&d)).transpose()?, reference));
            }
        }
        Ok(found)
    }

    /// Every payment, in order of date and id.
    pub fn payments_by_date(&self) -> Result<Vec<PaymentRow>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, date, payer, employer, contributor, project, currency, gross, fees, net, type, reference,
                    disbursement, gift_date, bank_date, bank_reference
             FROM payments ORDER BY date, id",
        )?;
        let mut rows = stmt.query([])?;
        let mut payments = Vec::new();
        while let Some(r) = rows.next()? {
            payments.push(PaymentRow {
                id: r.get(0)?,
                date: date(r.get_ref(1)?.as_str()?)?,
                payer: r.get(2)?,
                employer: r.get(3)?,
                contributor: r.get(4)?,
                project: r.get(5)?,
                currency: parsed(r.get_ref(6)?.as_str()?)?,
                gross: r.get(7)?,
                fees: r.get(8)?,
                net: r.get(9)?,
                funds: parsed(r.get_ref(10)?.as_str()?)?,
                reference: r.get(11)?,
                disbursement: r.get(12)?,
                gift_date: r.get_ref(13)?.as_str_or_null()?.map(date).transpose()?,
                bank_date: r.get_ref(14)?.as_str_or_null()?.map(date).transpose()?,
                bank_reference: r.get(15)?,
            });
        }
        Ok(payments)
    }

    /// Employers' money (not donors' own gifts) received in `from..=to`, summed per project or
    /// employer (`None` where a payment names none) and currency.
    pub fn received_matches(
        &self,
        by: ReceivedBy,
        from: Date,
        to: Date,
    ) -> Result<Vec<(Option<i64>, Currency, Cents)>> {
        let (key, only_employers) = match by {
            ReceivedBy::Project => ("project", ""),
            ReceivedBy::Employer => (
                "coalesce(employer, payer)",
                "AND coalesce(employer, payer) IN (SELECT employer FROM programs UNION SELECT employer FROM employments)",
            ),
        };
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {key}, currency, sum(net) FROM payments
             WHERE type = 'match' AND date BETWEEN ?1 AND ?2 {only_employers} GROUP BY 1, 2"
        ))?;
        let mut rows = stmt.query([iso(from), iso(to)])?;
        let mut sums = Vec::new();
        while let Some(r) = rows.next()? {
            sums.push((r.get(0)?, parsed(r.get_ref(1)?.as_str()?)?, r.get(2)?));
        }
        Ok(sums)
    }

    /// Employers' money received in `from..=to`, summed per month (`YYYY-MM`) and currency.
    pub fn received_matches_by_month(&self, from: Date, to: Date) -> Result<Vec<(String, Currency, Cents)>> {
        let mut stmt = self.conn.prepare(
            "SELECT substr(date, 1, 7), currency, sum(net) FROM payments
             WHERE type = 'match' AND date BETWEEN ?1 AND ?2 GROUP BY 1, 2",
        )?;
        let mut rows = stmt.query([iso(from), iso(to)])?;
        let mut sums = Vec::new();
        while let Some(r) = rows.next()? {
            sums.push((r.get(0)?, parsed(r.get_ref(1)?.as_str()?)?, r.get(2)?));
        }
        Ok(sums)
    }

    /// How many employers' payments no link places yet: reconciliation has nothing to do without.
    pub fn unlinked_matches(&self) -> Result<u64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM payments WHERE type = 'match' AND id NOT IN (SELECT payment FROM reconciled)",
            [],
            |r| r.get(0),
        )?)
    }

    /// Each program version's program name, by its row id.
    pub fn program_names_by_rid(&self) -> Result<HashMap<i64, String>> {
        let mut stmt = self.conn.prepare("SELECT rid, program FROM programs")?;
        let names = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        Ok(names)
    }

    /// Each program version's program name and platform, by its row id.
    pub fn program_platforms_by_rid(&self) -> Result<HashMap<i64, (String, String)>> {
        let mut stmt = self.conn.prepare("SELECT rid, program, platform FROM programs")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The day each entry of `kind` that is still `submitted` was submitted, by row id, where the
    /// book knows it and it is no later than `until`.
    pub fn submitted_on_until(&self, kind: EntryKind, until: Date) -> Result<FxHashMap<i64, Date>> {
        let table = kind.record_kind().name();
        let mut stmt = self.conn.prepare(&format!(
            "SELECT rid, submitted_on FROM {table} WHERE status = 'submitted' AND submitted_on <= ?1"
        ))?;
        let mut rows = stmt.query([iso(until)])?;
        let mut dates = FxHashMap::default();
        while let Some(r) = rows.next()? {
            dates.insert(r.get(0)?, date(r.get_ref(1)?.as_str()?)?);
        }
        Ok(dates)
    }

    /// What each program version's program is called in reports, by the version's row id (see
    /// `cache::program_labels`).
    pub fn program_labels_by_rid(&self) -> Result<FxHashMap<i64, String>> {
        load::program_labels_by_rid(&self.conn)
    }

    /// Each program version's first day of the program year, by its row id.
    pub fn program_year_starts_by_rid(&self) -> Result<HashMap<i64, YearStart>> {
        let mut stmt = self.conn.prepare("SELECT rid, year_start FROM programs")?;
        let mut rows = stmt.query([])?;
        let mut starts = HashMap::new();
        while let Some(r) = rows.next()? {
            starts.insert(r.get(0)?, parsed(r.get_ref(1)?.as_str()?)?);
        }
        Ok(starts)
    }

    /// How many records of `kind`'s table there are.
    pub fn entry_count(&self, kind: EntryKind) -> Result<usize> {
        let table = kind.record_kind().name();
        Ok(self.conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
    }

    /// Calls `f` with every entry of `kind`, in the order they were added.
    pub fn for_each_stored_entry(&self, kind: EntryKind, mut f: impl FnMut(StoredEntry)) -> Result<()> {
        let sql = match kind {
            EntryKind::Hours => {
                "SELECT rid, date, contributor, employer, project, hours, status, NULL FROM hours ORDER BY rid"
            }
            EntryKind::Donation => {
                "SELECT rid, date, contributor, employer, project, amount, status, currency FROM donations ORDER BY rid"
            }
        };
        let mut stmt = self.conn.prepare(sql)?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            f(StoredEntry {
                rid: r.get(0)?,
                date: date(r.get_ref(1)?.as_str()?)?,
                contributor: r.get(2)?,
                employer: r.get(3)?,
                project: r.get(4)?,
                quantity: r.get(5)?,
                status: parsed(r.get_ref(6)?.as_str()?)?,
                currency: r.get_ref(7)?.as_str_or_null()?.map(parsed).transpose()?,
            });
        }
        Ok(())
    }

    /// The id of the entry in `kind`'s row `rid`.
    pub fn entry_id(&self, kind: EntryKind, rid: i64) -> Result<String> {
        let sql = match kind {
            EntryKind::Donation => "SELECT id FROM donations WHERE rid = ?1",
            EntryKind::Hours => "SELECT id FROM hours WHERE rid = ?1",
        };
        Ok(self.conn.prepare_cached(sql)?.query_row([rid], |r| r.get(0))?)
    }

    /// The id, description (empty for a donation) and status dates of the entry in `kind`'s row
    /// `rid`, if the row is still there: what a page of entries shows beyond the entry index.
    pub fn entry_details(&self, kind: EntryKind, rid: i64) -> Result<Option<(String, String, StatusDates)>> {
        let sql = match kind {
            EntryKind::Hours => {
                "SELECT id, description, submitted_on, approved_on, paid_on, rejected_on FROM hours WHERE rid = ?1"
            }
            EntryKind::Donation => {
                "SELECT id, '', submitted_on, approved_on, paid_on, rejected_on FROM donations WHERE rid = ?1"
            }
        };
        let mut stmt = self.conn.prepare_cached(sql)?;
        Ok(stmt.query_row([rid], |r| Ok((r.get(0)?, r.get(1)?, status_dates(r, 2)?))).optional()?)
    }
}
