//! A record as a row of its table, and back: the one place that knows how each kind of record is
//! laid out in SQLite, and the digest over a row that the identical-row rule compares.

use super::StoreError;
use crate::ledger;
use crate::model::*;
use crate::money::{format_cents, Currency};
use rusqlite::types::{ToSqlOutput, Value, ValueRef};
use rusqlite::{Connection, Row, Transaction};
use std::str::FromStr;

type Result<T> = std::result::Result<T, StoreError>;

/// The table columns of each kind after `rid`, `id` and `digest`, in the order
/// [`values`] produces them.
pub(super) fn table_columns(kind: RecordKind) -> &'static [&'static str] {
    match kind {
        RecordKind::Programs => &[
            "program",
            "employer",
            "platform",
            "kind",
            "currency",
            "effective_from",
            "effective_to",
            "rate_per_hour",
            "block_hours",
            "block_amount",
            "min_hours",
            "match_ratio",
            "min_gift",
            "max_gift",
            "annual_cap",
            "cap_group",
            "year_start",
            "claim_days",
            "fee_rate",
        ],
        RecordKind::Employments => &["contributor", "employer", "start", "\"end\""],
        RecordKind::Hours => &[
            "date",
            "contributor",
            "employer",
            "project",
            "hours",
            "description",
            "status",
            "submitted_on",
            "approved_on",
            "paid_on",
            "rejected_on",
        ],
        RecordKind::Donations => &[
            "date",
            "contributor",
            "employer",
            "project",
            "amount",
            "currency",
            "status",
            "submitted_on",
            "approved_on",
            "paid_on",
            "rejected_on",
        ],
        RecordKind::Payments => &[
            "date",
            "payer",
            "project",
            "currency",
            "gross",
            "fees",
            "net",
            "reference",
            "employer",
            "contributor",
            "type",
            "disbursement",
            "gift_date",
            "bank_date",
            "bank_reference",
        ],
        RecordKind::Deposits => &["date", "account", "currency", "amount", "reference", "description"],
    }
}

/// A new record's id: its kind's letter, the book's tag and the book's next sequence number.
///
/// The sequence number has at least eight digits, so that ids made one after another also sort one
/// after another: new rows then append to the id index instead of splitting its pages all over,
/// as `h-k3x9q-9`, `h-k3x9q-10`, ... would. Spelled out by hand, since `format!` with padding is
/// slow enough to show in a big import.
pub(super) fn record_id(kind: RecordKind, tag: &str, seq: i64) -> String {
    debug_assert!(seq >= 0, "sequence numbers start at 1");
    let mut digits = [b'0'; 20];
    let mut n = seq.unsigned_abs();
    let mut start = digits.len();
    while n > 0 || start > digits.len() - 8 {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    let mut id = String::with_capacity(3 + tag.len() + digits.len() - start);
    id.push(kind.id_letter());
    id.push('-');
    id.push_str(tag);
    id.push('-');
    id.extend(digits[start..].iter().map(|&d| d as char));
    id
}

pub(super) fn date(text: &str) -> rusqlite::Result<Date> {
    ledger::parse_date(text)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into()))
}

pub(super) fn parsed<T: FromStr>(text: &str) -> rusqlite::Result<T>
where
    T::Err: std::fmt::Display,
{
    text.parse().map_err(|e: T::Err| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.to_string().into())
    })
}

/// Names and contributors indexed by their row id (index 0 is unused).
pub(super) struct Lookup {
    pub(super) names: Vec<String>,
    pub(super) people: Vec<Person>,
}

pub(super) fn lookup(conn: &Connection) -> Result<Lookup> {
    let mut names = vec![String::new()];
    let mut stmt = conn.prepare("SELECT id, name FROM names ORDER BY id")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let id: usize = row.get(0)?;
        names.resize(id + 1, String::new());
        names[id] = row.get(1)?;
    }
    let mut people = vec![Person::default()];
    let mut stmt = conn.prepare("SELECT id, name, email FROM contributors ORDER BY id")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let id: usize = row.get(0)?;
        people.resize(id + 1, Person::default());
        people[id] = Person { name: row.get(1)?, email: row.get(2)? };
    }
    Ok(Lookup { names, people })
}

pub(super) fn program_from_row(row: &Row, names: &[String]) -> rusqlite::Result<ProgramVersion> {
    let rate = |i: usize| -> rusqlite::Result<Option<rust_decimal::Decimal>> {
        row.get::<_, Option<String>>(i)?.map(|t| parsed(&t)).transpose()
    };
    let kind: ProgramKind = parsed(&row.get::<_, String>(3)?)?;
    let earning = match kind {
        ProgramKind::Volunteer => match rate(7)? {
            Some(rate) => Earning::Rate(rate),
            None => Earning::Blocks { hours: row.get(8)?, amount: row.get(9)? },
        },
        ProgramKind::Donation => {
            Earning::Match { ratio: rate(11)?.unwrap_or_default(), min_gift: row.get(12)?, max_gift: row.get(13)? }
        }
    };
    let employer: usize = row.get(1)?;
    Ok(ProgramVersion {
        id: row.get(19)?,
        program: row.get(0)?,
        employer: names[employer].clone(),
        platform: row.get(2)?,
        kind,
        currency: parsed::<Currency>(&row.get::<_, String>(4)?)?,
        effective_from: date(&row.get::<_, String>(5)?)?,
        effective_to: row.get::<_, Option<String>>(6)?.map(|t| date(&t)).transpose()?,
        earning,
        min_hours: row.get(10)?,
        annual_cap: row.get(14)?,
        cap_group: row.get(15)?,
        year_start: parsed(&row.get::<_, String>(16)?)?,
        claim_days: row.get(17)?,
        fee_rate: rate(18)?,
    })
}

/// A kind's columns, then `id` and `rid`, in rid order; `filter` is a `WHERE` clause or nothing.
pub(super) fn select(kind: RecordKind, filter: &str) -> String {
    format!("SELECT {}, id, rid FROM {} {filter} ORDER BY rid", table_columns(kind).join(", "), kind.name())
}

/// Reads every record of `kind` back as a [`Record`], in the order they were added.
pub(super) fn for_each_record(
    conn: &Connection,
    kind: RecordKind,
    mut f: impl FnMut(Record) -> Result<()>,
) -> Result<()> {
    let lookup = lookup(conn)?;
    let mut stmt = conn.prepare(&select(kind, ""))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        f(record_from_row(kind, r, &lookup)?)?;
    }
    Ok(())
}

/// The records of `kind` with these ids, in the order of `ids`; an unknown id is an error.
pub(super) fn records_by_id(conn: &Connection, kind: RecordKind, ids: &[String]) -> Result<Vec<Record>> {
    let lookup = lookup(conn)?;
    let sql = format!("SELECT {}, id, rid FROM {} WHERE id = ?1", table_columns(kind).join(", "), kind.name());
    let mut stmt = conn.prepare(&sql)?;
    ids.iter()
        .map(|id| {
            let mut rows = stmt.query([id])?;
            match rows.next()? {
                Some(r) => Ok(record_from_row(kind, r, &lookup)?),
                None => Err(StoreError::UnknownId(id.clone())),
            }
        })
        .collect()
}

/// A row of [`select`] (or the same columns) as a [`Record`].
pub(super) fn record_from_row(
    kind: RecordKind,
    r: &Row,
    Lookup { names, people }: &Lookup,
) -> rusqlite::Result<Record> {
    let name = |id: Option<usize>| id.map(|i| names[i].clone()).unwrap_or_default();
    Ok(match kind {
        RecordKind::Programs => Record::Program(program_from_row(r, names)?),
        RecordKind::Employments => Record::Employment(Employment {
            id: r.get(4)?,
            person: people[r.get::<_, usize>(0)?].clone(),
            employer: name(r.get(1)?),
            start: date(&r.get::<_, String>(2)?)?,
            end: r.get::<_, Option<String>>(3)?.map(|t| date(&t)).transpose()?,
        }),
        RecordKind::Hours => Record::Hours(HoursEntry {
            id: r.get(11)?,
            date: date(r.get_ref(0)?.as_str()?)?,
            person: people[r.get::<_, usize>(1)?].clone(),
            employer: name(r.get(2)?),
            project: name(r.get(3)?),
            hours: r.get(4)?,
            description: r.get(5)?,
            status: parsed(r.get_ref(6)?.as_str()?)?,
            dates: status_dates(r, 7)?,
        }),
        RecordKind::Donations => Record::Donation(Donation {
            id: r.get(11)?,
            date: date(r.get_ref(0)?.as_str()?)?,
            person: people[r.get::<_, usize>(1)?].clone(),
            employer: name(r.get(2)?),
            project: name(r.get(3)?),
            amount: r.get(4)?,
            currency: parsed(r.get_ref(5)?.as_str()?)?,
            status: parsed(r.get_ref(6)?.as_str()?)?,
            dates: status_dates(r, 7)?,
        }),
        RecordKind::Payments => Record::Payment(Payment {
            id: r.get(15)?,
            date: date(r.get_ref(0)?.as_str()?)?,
            payer: name(r.get(1)?),
            project: name(r.get(2)?),
            currency: parsed(r.get_ref(3)?.as_str()?)?,
            gross: r.get(4)?,
            fees: r.get(5)?,
            net: r.get(6)?,
            reference: r.get(7)?,
            employer: name(r.get(8)?),
            person: r.get::<_, Option<usize>>(9)?.map(|i| people[i].clone()),
            funds: parsed(r.get_ref(10)?.as_str()?)?,
            disbursement: r.get(11)?,
            gift_date: r.get_ref(12)?.as_str_or_null()?.map(date).transpose()?,
            bank_date: r.get_ref(13)?.as_str_or_null()?.map(date).transpose()?,
            bank_reference: r.get(14)?,
        }),
        RecordKind::Deposits => Record::Deposit(Deposit {
            id: r.get(6)?,
            date: date(r.get_ref(0)?.as_str()?)?,
            account: r.get(1)?,
            currency: parsed(r.get_ref(2)?.as_str()?)?,
            amount: r.get(3)?,
            reference: r.get(4)?,
            description: r.get(5)?,
        }),
    })
}

/// An entry's status dates from the four columns of `row` from `first` on (`submitted_on`,
/// `approved_on`, `paid_on`, `rejected_on`, as [`table_columns`] orders them).
pub(super) fn status_dates(row: &Row, first: usize) -> rusqlite::Result<StatusDates> {
    let on = |i: usize| row.get_ref(first + i)?.as_str_or_null()?.map(date).transpose();
    Ok(StatusDates { submitted_on: on(0)?, approved_on: on(1)?, paid_on: on(2)?, rejected_on: on(3)? })
}

/// Where [`values`] gets the ids of the names and contributors a record refers to.
pub(super) trait Refer {
    /// `None` for no name.
    fn name(&mut self, name: &str) -> Option<i64>;
    fn contributor(&mut self, person: &Person) -> i64;
}

/// The record's values in [`table_columns`] order, borrowing its texts (copies would be most of
/// the writing thread's allocations), with the ids `refer` gives its names.
pub(super) fn values<'r>(refer: &mut impl Refer, record: &'r Record) -> Vec<ToSqlOutput<'r>> {
    let text = |s: &'r str| ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes()));
    let owned = ToSqlOutput::Owned;
    let null = || owned(Value::Null);
    let date = |d: Date| owned(Value::Text(iso(d)));
    let opt_date = |d: Option<Date>| d.map_or_else(null, date);
    let int = |n: i64| owned(Value::Integer(n));
    let opt_int = |v: Option<i64>| v.map_or_else(null, int);
    let rate = |r: rust_decimal::Decimal| owned(Value::Text(crate::money::format_rate(r)));
    match record {
        Record::Program(p) => {
            let (rate_per_hour, block_hours, block_amount, ratio, min_gift, max_gift) = match &p.earning {
                Earning::Rate(r) => (rate(*r), null(), null(), null(), None, None),
                Earning::Blocks { hours, amount } => (null(), int(*hours), int(*amount), null(), None, None),
                Earning::Match { ratio, min_gift, max_gift } => {
                    (null(), null(), null(), rate(*ratio), *min_gift, *max_gift)
                }
            };
            vec![
                text(&p.program),
                opt_int(refer.name(&p.employer)),
                text(&p.platform),
                text(p.kind.name()),
                text(p.currency.as_str()),
                date(p.effective_from),
                opt_date(p.effective_to),
                rate_per_hour,
                block_hours,
                block_amount,
                opt_int(p.min_hours),
                ratio,
                opt_int(min_gift),
                opt_int(max_gift),
                opt_int(p.annual_cap),
                text(&p.cap_group),
                owned(Value::Text(p.year_start.to_string())),
                opt_int(p.claim_days.map(i64::from)),
                p.fee_rate.map_or_else(null, rate),
            ]
        }
        Record::Employment(e) => {
            vec![int(refer.contributor(&e.person)), opt_int(refer.name(&e.employer)), date(e.start), opt_date(e.end)]
        }
        Record::Hours(h) => vec![
            date(h.date),
            int(refer.contributor(&h.person)),
            opt_int(refer.name(&h.employer)),
            opt_int(refer.name(&h.project)),
            int(h.hours),
            text(&h.description),
            text(h.status.name()),
            opt_date(h.dates.submitted_on),
            opt_date(h.dates.approved_on),
            opt_date(h.dates.paid_on),
            opt_date(h.dates.rejected_on),
        ],
        Record::Donation(d) => vec![
            date(d.date),
            int(refer.contributor(&d.person)),
            opt_int(refer.name(&d.employer)),
            opt_int(refer.name(&d.project)),
            int(d.amount),
            text(d.currency.as_str()),
            text(d.status.name()),
            opt_date(d.dates.submitted_on),
            opt_date(d.dates.approved_on),
            opt_date(d.dates.paid_on),
            opt_date(d.dates.rejected_on),
        ],
        Record::Payment(p) => {
            debug_assert_eq!(p.gross - p.fees, p.net, "{}", format_cents(p.net));
            vec![
                date(p.date),
                opt_int(refer.name(&p.payer)),
                opt_int(refer.name(&p.project)),
                text(p.currency.as_str()),
                int(p.gross),
                int(p.fees),
                int(p.net),
                text(&p.reference),
                opt_int(refer.name(&p.employer)),
                match &p.person {
                    Some(person) => int(refer.contributor(person)),
                    None => null(),
                },
                text(p.funds.name()),
                text(&p.disbursement),
                opt_date(p.gift_date),
                opt_date(p.bank_date),
                text(&p.bank_reference),
            ]
        }
        Record::Deposit(d) => vec![
            date(d.date),
            text(&d.account),
            text(d.currency.as_str()),
            int(d.amount),
            text(&d.reference),
            text(&d.description),
        ],
    }
}

/// Recomputes the digest of every record of `kind` from its row, after a migration changed what
/// the digest covers.
pub(super) fn recompute_digests(tx: &Transaction, kind: RecordKind) -> Result<()> {
    let columns = &table_columns(kind)[..identity_len(kind)];
    let table = kind.name();
    let rows: Vec<(i64, i64)> = {
        let mut stmt = tx.prepare(&format!("SELECT rid, {} FROM {table}", columns.join(", ")))?;
        let rows = stmt.query_map([], |r| {
            let values: Vec<Value> = (1..=columns.len()).map(|i| r.get(i)).collect::<rusqlite::Result<_>>()?;
            Ok((r.get(0)?, digest(values.iter().map(ValueRef::from))))
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut update = tx.prepare(&format!("UPDATE {table} SET digest = ?2 WHERE rid = ?1"))?;
    for (rid, digest) in rows {
        update.execute([rid, digest])?;
    }
    Ok(())
}

/// The columns of `kind` that are not part of a record's identity: an entry's status, which a
/// contributor's file may still say `logged` after the book moved on (the contract's "identity
/// of rows without an id"), and the days it reached its statuses. They come last in
/// [`table_columns`].
pub(super) fn state_columns(kind: RecordKind) -> &'static [&'static str] {
    match kind.entry_kind() {
        Some(_) => &["status", "submitted_on", "approved_on", "paid_on", "rejected_on"],
        None => &[],
    }
}

/// How many of [`table_columns`] make a record's identity: all but its [`state_columns`].
pub(super) fn identity_len(kind: RecordKind) -> usize {
    table_columns(kind).len() - state_columns(kind).len()
}

/// A row's two digests: over its identity (the `digest` column, which the identical-row rule
/// compares) and over everything (whether a row with an id changes its record).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Digests {
    pub(super) identity: i64,
    pub(super) full: i64,
}

impl Digests {
    /// The digests of a record of `kind` whose values (in [`table_columns`] order) are `values`.
    pub(super) fn of<'a>(kind: RecordKind, values: impl IntoIterator<Item = ValueRef<'a>>) -> Digests {
        let mut values = values.into_iter();
        let identity = digest(values.by_ref().take(identity_len(kind)));
        Digests::with_state(identity, values)
    }

    /// The digests of a record whose identity digest is `identity` and whose state columns hold
    /// `state`. A record with no state has one digest.
    pub(super) fn with_state<'a>(identity: i64, state: impl IntoIterator<Item = ValueRef<'a>>) -> Digests {
        let mut state = state.into_iter().peekable();
        let full = match state.peek() {
            None => identity,
            Some(_) => digest(std::iter::once(ValueRef::Integer(identity)).chain(state)),
        };
        Digests { identity, full }
    }
}

/// A digest over the values: the same on every machine and in every run, since books keep them.
pub(super) fn digest<'a>(values: impl IntoIterator<Item = ValueRef<'a>>) -> i64 {
    let mut hash = crate::model::StableHash::new();
    let mut eat = |bytes: &[u8]| hash.eat(bytes);
    for value in values {
        match value {
            ValueRef::Null => eat(&[0]),
            ValueRef::Integer(i) => {
                eat(&[1]);
                eat(&i.to_le_bytes());
            }
            ValueRef::Text(t) => {
                eat(&[2]);
                eat(&(t.len() as u64).to_le_bytes());
                eat(t);
            }
            ValueRef::Real(_) | ValueRef::Blob(_) => unreachable!("the book stores no reals or blobs"),
        }
    }
    hash.finish() as i64
}

/// A value to bind as the digest reads it.
pub(super) fn value_ref<'a>(value: &'a ToSqlOutput<'a>) -> ValueRef<'a> {
    match value {
        ToSqlOutput::Borrowed(v) => *v,
        ToSqlOutput::Owned(v) => v.into(),
        _ => unreachable!("values are borrowed or owned"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_ids_have_at_least_eight_digits() {
        for seq in [0, 1, 7, 10, 12_345_678, 99_999_999, 100_000_000, 1_234_567_890_123, i64::MAX] {
            let id = record_id(RecordKind::Hours, "k3x9q", seq);
            assert_eq!(id, format!("h-k3x9q-{seq:08}"));
        }
    }

    /// Books keep digests: the bytes they hash may never change. (This value is the digest as
    /// first made, over owned values; borrowed texts must give the same.)
    #[test]
    fn digests_are_what_books_already_hold() {
        let owned = [Value::Text("2025-01-02".into()), Value::Integer(7), Value::Null, Value::Text("logged".into())];
        let borrowed = [ValueRef::Text(b"2025-01-02"), ValueRef::Integer(7), ValueRef::Null, ValueRef::Text(b"logged")];
        let from_owned = digest(owned.iter().map(ValueRef::from));
        assert_eq!(from_owned, digest(borrowed));
        assert_eq!(from_owned, PINNED);
    }

    const PINNED: i64 = -8507636858603271091;
}
