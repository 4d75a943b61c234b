//! The results cache's monthly sums: one `rollup` row per grouping, month and currency, whose blob
//! holds the sums of every key that any award added to.
//!
//! `report expected` over whole months and the overview's bars read these instead of the awards.
//! A row per key (70,000 for a million entries) took a twentieth of a full recompute to write; a
//! few dozen blobs take a millisecond. The packing is private to this file: changing it takes a
//! schema migration that also clears `meta.results_version`.

use super::varint::{put_unsigned, put_varint, take_unsigned, take_varint};
use super::write_statement::WriteStatement;
use super::{Result, StoreError};
use crate::money::Currency;
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
    conn.execute_batch("DELETE FROM rollup")?;
    let mut insert =
        WriteStatement::prepare(conn, "INSERT INTO rollup (dim, month, currency, sums) VALUES (?, ?, ?, ?)")?;
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
        "SELECT month, currency, sums FROM rollup WHERE dim = ?1 AND month BETWEEN ?2 AND ?3 ORDER BY month, currency",
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
    StoreError::Unsupported("the results cache is damaged; delete the rollup rows to have it rebuilt".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_come_back_as_packed() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE rollup (dim TEXT NOT NULL, month TEXT NOT NULL, currency TEXT NOT NULL, sums BLOB NOT NULL,
                 PRIMARY KEY (dim, month, currency)) WITHOUT ROWID;",
        )
        .unwrap();
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
        conn.execute("UPDATE rollup SET sums = x'05' WHERE dim = 'project'", []).unwrap();
        let error = for_each(&conn, "project", "2025-01", "2025-12", |_, _, _, _| Ok(())).unwrap_err();
        assert!(error.to_string().contains("damaged"), "{error}");
    }
}
